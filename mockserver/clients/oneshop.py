"""A 1shop API v1 client: appid and secret in the query of GET /v1/order and /v1/order/{order_number}."""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

from mockserver.clients import http
from mockserver.clients.http import Response


class OneshopClient:
    """One account's calls. Answers are 1shop's envelope {"success", "data", "msg"} (0 = success),
    failures included, and they come with HTTP 200 (seed 003): check `success`, not the status
    (`Response.ok` is true for a failure). A 429 is {"success": -9999} with Retry-After."""

    def __init__(self, base_url: str, appid: str, secret: str, *, timeout: float = http.DEFAULT_TIMEOUT) -> None:
        self.base_url = base_url.rstrip("/")
        self.appid = appid
        self.secret = secret
        self.timeout = timeout

    def get(self, path: str, **params: Any) -> Response:
        """GET /v1/<path> with the credentials and params (None values left out)."""
        path = path if path.startswith("/") else "/" + path
        path = path if path == "/v1" or path.startswith("/v1/") else "/v1" + path
        query = {"appid": self.appid, "secret": self.secret, **params}
        return http.request("GET", self.base_url + path, query=query, timeout=self.timeout)

    def orders(self, page: int = 1, *, progress_status: str = "all", payment_status: str = "all",
               logistic_status: str = "all", create_date_start: str | None = None,
               create_date_end: str | None = None, **params: Any) -> Response:
        """GET /v1/order (50 per page). 1shop requires page and the three status filters: they default
        to 1 and "all" here; dates are YYYY-MM-DD in UTC+8, the end day included."""
        return self.get("/v1/order", page=page, progress_status=progress_status, payment_status=payment_status,
                        logistic_status=logistic_status, create_date_start=create_date_start,
                        create_date_end=create_date_end, **params)

    def order(self, order_number: str) -> Response:
        """GET /v1/order/{order_number}."""
        return self.get("/v1/order/" + quote(order_number, safe=""))

    def __repr__(self) -> str:
        return f"<OneshopClient {self.appid} at {self.base_url}>"
