"""The platform calls the bench makes, as URLs wrk can repeat: the sandbox clock is frozen first, so
one Shopee signature (its timestamp valid 5 minutes on the sandbox clock) holds for the whole run."""
from __future__ import annotations

import urllib.parse
from typing import Any

from bench.procs import http_json
from mockserver.shopee import signing

ORDER_LIST = "/api/v2/order/get_order_list"
ORDER_DETAIL = "/api/v2/order/get_order_detail"
WINDOW = 15 * 86400 - 1  # Shopee's longest time range, to the second
PAGE = 20
DETAIL_SNS = 50


class Calls:
    """Signed URLs for one running sandbox (clock frozen at creation) and its default world."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.now = int(http_json(base + "/_sandbox/clock", {"freeze": True})["now"])
        credentials = http_json(base + "/_sandbox/credentials")
        self.shopee: dict[str, Any] = credentials["shopee"]
        self.oneshop: dict[str, Any] = credentials["oneshop"]
        self.shop = {"shop_id": self.shopee["shop_id"], "access_token": self.shopee["access_token"]}

    def shopee_url(self, path: str, params: dict[str, Any], shop: dict[str, Any] | None = None) -> str:
        """A shop-level Shopee call signed for the frozen sandbox time."""
        shop = shop or self.shop
        partner_id, key = self.shopee["partner_id"], self.shopee["partner_key"]
        sign = signing.sign(key, partner_id, path, self.now, shop["access_token"], shop["shop_id"])
        query = {"partner_id": partner_id, "timestamp": self.now, "access_token": shop["access_token"],
                 "shop_id": shop["shop_id"], "sign": sign, **params}
        return f"{self.base}{path}?{urllib.parse.urlencode(query)}"

    def public_url(self, path: str) -> str:
        """A partner-level (public) Shopee call signed for the frozen sandbox time."""
        partner_id = self.shopee["partner_id"]
        sign = signing.sign(self.shopee["partner_key"], partner_id, path, self.now)
        return f"{self.base}{path}?{urllib.parse.urlencode({'partner_id': partner_id, 'timestamp': self.now, 'sign': sign})}"

    def order_list(self, field: str = "create_time", shop: dict[str, Any] | None = None) -> str:
        """The first page of 20 orders of the last 15 days, by create_time or update_time."""
        return self.shopee_url(ORDER_LIST, {"time_range_field": field, "time_from": self.now - WINDOW,
                                            "time_to": self.now, "page_size": PAGE,
                                            "response_optional_fields": "order_status"}, shop)

    def order_detail(self, order_sns: list[str], shop: dict[str, Any] | None = None) -> str:
        """get_order_detail of these orders (at most 50), without optional fields."""
        return self.shopee_url(ORDER_DETAIL, {"order_sn_list": ",".join(order_sns[:DETAIL_SNS])}, shop)

    def shop_order_sns(self, count: int = DETAIL_SNS) -> list[str]:
        """The newest `count` order_sn of the default shop (admin state, not a platform call)."""
        orders = http_json(self.base + "/_sandbox/state")["shopee"]["orders"]
        mine = [o for o in orders if o.get("shop_id") == self.shop["shop_id"]]
        mine.sort(key=lambda o: (o.get("create_time", 0), o["order_sn"]), reverse=True)
        return [o["order_sn"] for o in mine[:count]]

    def oneshop_list(self) -> str:
        """1shop GET /v1/order page 1 (50 orders) of the default account, its rate limit lifted
        (10 requests per 10 s per appid would answer 429 to nearly all of a wrk run)."""
        appid = self.oneshop["appid"]
        http_json(f"{self.base}/_sandbox/oneshop/accounts/{appid}/settings", {"rate_limit": None})
        query = urllib.parse.urlencode({"appid": appid, "secret": self.oneshop["secret"], "progress_status": "all",
                                        "payment_status": "all", "logistic_status": "all", "page": 1})
        return f"{self.base}/v1/order?{query}"

    def new_shop(self) -> dict[str, Any]:
        """A new, empty test shop authorised to the default partner (for growing it to a size)."""
        created = http_json(self.base + "/_sandbox/shopee/shops",
                            {"region": "TW", "authorize_partner_id": self.shopee["partner_id"]})
        return {"shop_id": created["shop_id"], "access_token": created["access_token"]}
