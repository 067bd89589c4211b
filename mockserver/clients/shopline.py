"""SHOPLINE webhook subscription clients: the Open API flavour (/v1/webhooks) and the global
flavour (/admin/openapi/{version}/webhooks.json), both with `Authorization: Bearer <token>`."""
from __future__ import annotations

import base64
from collections.abc import Iterable
from typing import Any

from mockserver.clients import http
from mockserver.clients.http import Response

DEFAULT_GLOBAL_VERSION = "v20210901"


def handshake_answer(app_or_merchant_id: str) -> str:
    """What an Open API endpoint answers the verification request with: base64 of the app id (app
    token) or of the merchant id (merchant token)."""
    return base64.b64encode(app_or_merchant_id.encode("utf-8")).decode("ascii")


class _Bearer:
    def __init__(self, base_url: str, token: str, timeout: float) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def _call(self, method: str, path: str, body: Any = None, query: dict[str, Any] | None = None) -> Response:
        return http.request(method, self.base_url + path, query=query, json_body=body,
                            headers={"Authorization": f"Bearer {self.token}"}, timeout=self.timeout)


class ShoplineOpenApiClient(_Bearer):
    """POST|GET /v1/webhooks, GET|PUT|DELETE /v1/webhooks/{id}. Creating or moving a subscription
    makes SHOPLINE verify the address first (see handshake_answer)."""

    def __init__(self, base_url: str, token: str, *, timeout: float = http.DEFAULT_TIMEOUT) -> None:
        super().__init__(base_url, token, timeout)

    def create_webhook(self, address: str, topics: Iterable[str]) -> Response:
        return self._call("POST", "/v1/webhooks", {"address": address, "topics": list(topics)})

    def list_webhooks(self, page: int | None = None, per_page: int | None = None) -> Response:
        return self._call("GET", "/v1/webhooks", query={"page": page, "per_page": per_page})

    def get_webhook(self, webhook_id: str) -> Response:
        return self._call("GET", f"/v1/webhooks/{webhook_id}")

    def update_webhook(self, webhook_id: str, **fields: Any) -> Response:
        """fields: address and/or topics."""
        return self._call("PUT", f"/v1/webhooks/{webhook_id}", fields)

    def delete_webhook(self, webhook_id: str) -> Response:
        return self._call("DELETE", f"/v1/webhooks/{webhook_id}")


class ShoplineGlobalClient(_Bearer):
    """The global flavour's webhook endpoints of one shop (its access token) and API version."""

    def __init__(self, base_url: str, token: str, api_version: str = DEFAULT_GLOBAL_VERSION, *,
                 timeout: float = http.DEFAULT_TIMEOUT) -> None:
        super().__init__(base_url, token, timeout)
        self.api_version = api_version

    def _path(self, rest: str) -> str:
        return f"/admin/openapi/{self.api_version}/{rest}"

    def create_webhook(self, address: str, topic: str = "orders/updated", api_version: str | None = None) -> Response:
        webhook = {"address": address, "topic": topic, "api_version": api_version or self.api_version}
        return self._call("POST", self._path("webhooks.json"), {"webhook": webhook})

    def list_webhooks(self) -> Response:
        return self._call("GET", self._path("webhooks.json"))

    def count_webhooks(self) -> Response:
        return self._call("GET", self._path("webhooks/count.json"))

    def get_webhook(self, webhook_id: str) -> Response:
        return self._call("GET", self._path(f"{webhook_id}/webhooks.json"))

    def update_webhook(self, webhook_id: str, **fields: Any) -> Response:
        """fields: address, topic, api_version."""
        return self._call("PUT", self._path(f"{webhook_id}/webhooks.json"), {"webhook": fields})

    def delete_webhook(self, webhook_id: str) -> Response:
        return self._call("DELETE", self._path(f"{webhook_id}/webhooks.json"))
