"""A world file is served exactly: its fixed keys and tokens work at once, over real HTTP, and
again after every reset; documents posted at run time go with a reset."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from mockserver.app import create_app
from mockserver.settings import Settings
from mockserver.testing import serve_wsgi
from tests.world.support import SHOP_ID, WORLD, order_list, shopee_get


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    app = create_app(Settings(seed=42, world=str(WORLD)))
    with serve_wsgi(app) as url:
        yield url
    app.extensions["shop_sandbox"].webhooks.close(timeout=2)


def _check_every_platform(base_url: str) -> None:
    info = shopee_get(base_url, "/api/v2/shop/get_shop_info")
    assert info.get("error") in ("", None), info
    assert info["shop_name"] == "測試世界小舖" and info["region"] == "TW"
    orders = order_list(base_url)
    assert orders.get("error") in ("", None), orders
    assert len(orders["response"]["order_list"]) == 13  # 1 explicit + 12 generated
    answer = requests.get(f"{base_url}/v1/order", params={"appid": "testsworld", "secret": "tests-world-secret", "page": 1,
                                                          "progress_status": "all", "payment_status": "all",
                                                          "logistic_status": "all"}, timeout=30).json()
    assert answer["success"] == 0, answer
    assert len(answer["data"]["order"]) == 3
    hooks = requests.get(f"{base_url}/v1/webhooks", headers={"Authorization": "Bearer tests-world-token"},
                         timeout=30)
    assert hooks.status_code == 200, hooks.text
    listed = hooks.json()
    items = listed["items"] if isinstance(listed, dict) else listed
    assert [(s["address"], s["topics"]) for s in items] == [("http://127.0.0.1:9/hooks", ["order/create"])]


def test_fixed_credentials_work_at_once(base_url: str) -> None:
    _check_every_platform(base_url)


def test_a_wrong_key_is_still_refused(base_url: str) -> None:
    answer = shopee_get(base_url, "/api/v2/shop/get_shop_info", key="shpk-not-the-key")
    assert answer["error"] == "error_sign"


def test_reset_keeps_the_file_world_and_drops_posted_documents(base_url: str) -> None:
    posted = requests.post(f"{base_url}/_sandbox/world", json={"oneshop": {"accounts": [
        {"appid": "postedlater", "secret": "s"}]}}, timeout=30)
    assert posted.status_code == 201, posted.text
    assert requests.get(f"{base_url}/_sandbox/oneshop/accounts/postedlater", timeout=30).status_code == 200
    for body in ({}, {"seed": 7}, {"seed": 42}):
        assert requests.post(f"{base_url}/_sandbox/reset", json=body, timeout=60).status_code == 200
        _check_every_platform(base_url)
        assert requests.get(f"{base_url}/_sandbox/oneshop/accounts/postedlater", timeout=30).status_code == 404


def test_the_file_world_lies_over_the_seeded_one(base_url: str) -> None:
    credentials = requests.get(f"{base_url}/_sandbox/credentials", timeout=30).json()
    shopee = credentials["shopee"]
    assert shopee["shop_id"] != SHOP_ID  # the seed's default shop is still the default
    assert {s["shop_id"] for s in shopee["shops"]} >= {SHOP_ID, shopee["shop_id"]}
