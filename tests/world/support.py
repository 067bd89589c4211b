"""Signed calls made by hand (not with the package's clients), so a test proves the credentials."""
from __future__ import annotations

import hashlib
import hmac
import time
from pathlib import Path
from typing import Any

import requests

WORLD = Path(__file__).with_name("world.yaml")
PARTNER_ID, PARTNER_KEY = 1100001, "shpk-tests-world-key"
SHOP_ID, ACCESS_TOKEN = 810001, "tests-world-access"


def shopee_get(base_url: str, path: str, params: dict[str, Any] | None = None, *, partner_id: int = PARTNER_ID,
               key: str = PARTNER_KEY, shop_id: int = SHOP_ID, token: str = ACCESS_TOKEN) -> dict[str, Any]:
    timestamp = int(time.time())
    base = f"{partner_id}{path}{timestamp}{token}{shop_id}"
    sign = hmac.new(key.encode(), base.encode(), hashlib.sha256).hexdigest()
    query = {"partner_id": partner_id, "timestamp": timestamp, "access_token": token, "shop_id": shop_id,
             "sign": sign, **(params or {})}
    return requests.get(base_url + path, params=query, timeout=30).json()


def order_list(base_url: str) -> dict[str, Any]:
    now = int(time.time())
    return shopee_get(base_url, "/api/v2/order/get_order_list",
                      {"time_range_field": "create_time", "time_from": now - 14 * 86400, "time_to": now,
                       "page_size": 100})
