"""A client of the sandbox's admin API (/_sandbox/...), the API the CLI, the pytest plugin and a
person with curl share (contracts/admin/openapi.yaml)."""
from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from mockserver.clients import http
from mockserver.clients.http import Response


TOKEN_ENV = "SHOP_SANDBOX_ADMIN_TOKEN"
TOKEN_HEADER = "X-Sandbox-Admin-Token"


def admin_headers(token: str | None = None) -> dict[str, str]:
    """The header that carries the admin token, when there is one (given or from the environment)."""
    token = token if token is not None else os.environ.get(TOKEN_ENV)
    return {TOKEN_HEADER: token} if token else {}


class AdminApiError(AssertionError):
    """The admin API refused a request ({"error", "message"} with a 4xx or 5xx).

    An AssertionError: a test whose setup the sandbox refuses fails, it does not error, and the
    message carries the sandbox's explanation."""

    def __init__(self, method: str, path: str, response: Response) -> None:
        body = _safe_json(response)
        self.status = response.status
        self.body = body
        self.error = body.get("error", "") if isinstance(body, dict) else ""
        self.message = body.get("message", "") if isinstance(body, dict) else response.text[:500]
        super().__init__(f"{method} /_sandbox{path} answered {response.status} {self.error}: {self.message}")


def _safe_json(response: Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


class AdminClient:
    """Calls /_sandbox/<path> of the sandbox at base_url; get/post return the parsed JSON answer."""

    def __init__(self, base_url: str, timeout: float = http.DEFAULT_TIMEOUT, token: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        # A shared sandbox's admin token (admin/guard.py): given, or SHOP_SANDBOX_ADMIN_TOKEN.
        self.headers = admin_headers(token)

    def request(self, method: str, path: str, body: Any = None,
                query: Mapping[str, Any] | None = None) -> Response:
        """The raw answer of /_sandbox<path> (path starts with /)."""
        return http.request(method, f"{self.base_url}/_sandbox{path}", query=query, json_body=body,
                            headers=self.headers, timeout=self.timeout)

    def call(self, method: str, path: str, body: Any = None, query: Mapping[str, Any] | None = None) -> Any:
        response = self.request(method, path, body, query)
        if not response.ok:
            raise AdminApiError(method, path, response)
        return response.json()

    def get(self, path: str, /, **query: Any) -> Any:  # "path" may also be a query parameter
        return self.call("GET", path, query=query or None)

    def post(self, path: str, body: Any = None) -> Any:
        # An empty object rather than no body: every admin POST accepts {} where its body is optional.
        return self.call("POST", path, {} if body is None else body)

    def delete(self, path: str) -> Any:
        return self.call("DELETE", path)

    # ---- the endpoints every helper needs -------------------------------------------------------
    def health(self) -> dict[str, Any]:
        return self.get("/health")

    def reset(self, seed: int | None = None) -> dict[str, Any]:
        return self.post("/reset", {} if seed is None else {"seed": seed})

    def credentials(self) -> dict[str, Any]:
        return self.get("/credentials")

    def clock(self, **change: Any) -> dict[str, Any]:
        """GET /clock, or POST /clock with freeze / now / advance_seconds."""
        return self.post("/clock", change) if change else self.get("/clock")

    def flush(self) -> dict[str, Any]:
        """Deliver every webhook due now and answer when those attempts finished."""
        return self.post("/deliveries/flush")

    def deliveries(self, **filters: Any) -> list[dict[str, Any]]:
        """GET /deliveries (platform, status, target, event, limit), newest first."""
        return self.get("/deliveries", **filters)["deliveries"]
