"""A signed Shopee Open Platform v2 client: the common parameters (partner_id, timestamp, sign and,
for shop APIs, access_token and shop_id) added to every call, GET parameters in the query and POST
parameters in a JSON body, as Shopee's guide asks.

It signs with mockserver.shopee.signing, the same code the sandbox verifies with: it is a
convenience for tests and scripts, not an independent check of the signature (tests/support has that).
"""
from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from mockserver.clients import http
from mockserver.clients.http import Response
from mockserver.shopee import signing

API_PREFIX = "/api/v2/"
# Signed without a shop (partner_id + path + timestamp): the auth, public and push modules and the
# authorisation pages. Every other emulated API is a shop API; `shop=` overrides the guess.
PUBLIC_MODULES = ("auth/", "public/", "push/")
PUBLIC_APIS = frozenset({"shop/auth_partner", "shop/cancel_auth_partner"})


def api_path(api: str) -> str:
    """ "order/get_order_list" or "/api/v2/order/get_order_list" -> "/api/v2/order/get_order_list"."""
    return api if api.startswith(API_PREFIX) else API_PREFIX + api.lstrip("/")


def is_public(api: str) -> bool:
    name = api_path(api)[len(API_PREFIX):]
    return name.startswith(PUBLIC_MODULES) or name in PUBLIC_APIS


class ShopeeClient:
    """Calls one partner's (and optionally one shop's) APIs on a Shopee-compatible base URL.

    time_source gives the request timestamp. Shopee refuses a timestamp more than 5 minutes from
    its own clock; against the sandbox, pass the sandbox clock (the pytest plugin does) so a test
    that moves the clock does not get its own calls refused."""

    def __init__(self, base_url: str, partner_id: int, partner_key: str, shop_id: int | None = None,
                 access_token: str | None = None, refresh_token: str | None = None, *,
                 time_source: Callable[[], float] = time.time, timeout: float = http.DEFAULT_TIMEOUT) -> None:
        self.base_url = base_url.rstrip("/")
        self.partner_id = int(partner_id)
        self.partner_key = partner_key
        self.shop_id = shop_id
        self.access_token = access_token
        self.refresh_token = refresh_token
        self.time_source = time_source
        self.timeout = timeout

    def signed_query(self, api: str, *, shop: bool | None = None, timestamp: int | None = None) -> dict[str, Any]:
        """The common parameters of a call to `api`, signed."""
        path = api_path(api)
        shop = not is_public(api) if shop is None else shop
        ts = int(self.time_source()) if timestamp is None else int(timestamp)
        query: dict[str, Any] = {"partner_id": self.partner_id, "timestamp": ts}
        if shop:
            if self.shop_id is None or not self.access_token:
                raise ValueError(f"{path} is a shop API: this client has no shop_id and access_token")
            query["access_token"] = self.access_token
            query["shop_id"] = self.shop_id
            query["sign"] = signing.sign(self.partner_key, self.partner_id, path, ts, self.access_token, self.shop_id)
        else:
            query["sign"] = signing.sign(self.partner_key, self.partner_id, path, ts)
        return query

    def call(self, method: str, api: str, params: Mapping[str, Any] | None = None, *, shop: bool | None = None,
             timestamp: int | None = None, extra_query: Mapping[str, Any] | None = None) -> Response:
        """A signed call; GET params go to the query (lists as comma-separated values), POST params
        to a JSON body. The answer whatever its status: Shopee errors are {"error", "message"}."""
        method = method.upper()
        query = self.signed_query(api, shop=shop, timestamp=timestamp)
        query.update(extra_query or {})
        url = self.base_url + api_path(api)
        if method == "GET":
            for key, value in (params or {}).items():
                query[key] = ",".join(map(str, value)) if isinstance(value, (list, tuple)) else value
            return http.request("GET", url, query=query, timeout=self.timeout)
        return http.request(method, url, query=query, json_body=dict(params or {}), timeout=self.timeout)

    def get(self, api: str, params: Mapping[str, Any] | None = None, **kwargs: Any) -> Response:
        return self.call("GET", api, params, **kwargs)

    def post(self, api: str, body: Mapping[str, Any] | None = None, **kwargs: Any) -> Response:
        return self.call("POST", api, body, **kwargs)

    # ---- authorisation --------------------------------------------------------------------------
    def authorization_url(self, redirect: str, *, cancel: bool = False) -> str:
        """The signed URL of the page where a seller authorises (or, cancel, deauthorises) this app."""
        api = "shop/cancel_auth_partner" if cancel else "shop/auth_partner"
        query = {**self.signed_query(api, shop=False), "redirect": redirect}
        return f"{self.base_url}{api_path(api)}?{http.query_string(query)}"

    def get_token(self, code: str, shop_id: int) -> Response:
        """auth/token/get: exchange an authorisation code; on success this client uses the shop's tokens."""
        answer = self.post("auth/token/get", {"code": code, "partner_id": self.partner_id, "shop_id": int(shop_id)},
                           shop=False)
        self._take_tokens(answer, shop_id)
        return answer

    def refresh_access_token(self) -> Response:
        """auth/access_token/get with this client's refresh token; on success it uses the new pair."""
        if self.shop_id is None or not self.refresh_token:
            raise ValueError("refresh_access_token needs shop_id and refresh_token")
        answer = self.post("auth/access_token/get", {"refresh_token": self.refresh_token,
                                                    "partner_id": self.partner_id, "shop_id": self.shop_id},
                           shop=False)
        self._take_tokens(answer, self.shop_id)
        return answer

    def _take_tokens(self, answer: Response, shop_id: int) -> None:
        body = answer.json() if answer.ok else None
        if isinstance(body, dict) and not body.get("error") and body.get("access_token"):
            self.shop_id = int(shop_id)
            self.access_token = body["access_token"]
            self.refresh_token = body.get("refresh_token", self.refresh_token)

    def __repr__(self) -> str:
        return f"<ShopeeClient partner {self.partner_id} shop {self.shop_id} at {self.base_url}>"
