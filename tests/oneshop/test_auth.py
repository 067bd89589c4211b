"""appid/secret on every request, the enterprise plan, the IP whitelist, and the order of the checks."""
from __future__ import annotations

import pytest

from tests.oneshop.support import list_orders, list_params, new_account

NOT_ENTERPRISE = "API為企業方案功能,如需使用請聯繫1shop客服"


def _error(answer, success: int, msg: str) -> None:
    """Seed 003: HTTP 200 whatever the outcome; the failure is in success and msg, data is empty."""
    assert answer.status == 200, answer.text
    assert answer.body == {"success": success, "data": [], "msg": msg}


@pytest.mark.parametrize("path", ["order", "order/QI2041900127"])
@pytest.mark.parametrize("creds", [{}, {"appid": ""}, {"secret": "x"}, {"appid": "x"}, {"appid": "", "secret": ""}])
def test_missing_appid_or_secret_is_minus_2(shop, path, creds):
    creds = {k: (shop.creds_oneshop[k] if v == "x" else v) for k, v in creds.items()}
    _error(shop.oneshop(path, list_params(), creds), -2, "缺少 appid 或 secret")


def test_an_unknown_appid_is_minus_3(shop):
    creds = {"appid": "nosuchapp", "secret": shop.creds_oneshop["secret"]}
    _error(list_orders(shop, creds), -3, "appid 或 secret 錯誤")


@pytest.mark.parametrize("wrong", ["upper", "prefix", "extra", "other"])
def test_a_secret_that_differs_in_any_way_is_minus_3(shop, wrong):
    secret = shop.creds_oneshop["secret"]
    bad = {"upper": secret.upper(), "prefix": secret[:-1], "extra": secret + "0", "other": "0" * 32}[wrong]
    _error(list_orders(shop, {"appid": shop.creds_oneshop["appid"], "secret": bad}), -3, "appid 或 secret 錯誤")


def test_the_secret_of_another_account_is_minus_3(shop):
    other = new_account(shop)
    _error(list_orders(shop, {"appid": shop.creds_oneshop["appid"], "secret": other["secret"]}), -3,
           "appid 或 secret 錯誤")


def test_the_right_credentials_answer_success(shop):
    answer = list_orders(shop)
    assert answer.status == 200
    assert answer.body["success"] == 0 and answer.body["msg"] == "success"


def test_a_non_enterprise_account_gets_the_seeds_plan_message_on_every_endpoint(shop):
    account = new_account(shop, enterprise=False)
    _error(list_orders(shop, account), -4, NOT_ENTERPRISE)
    _error(shop.oneshop("order/QI2041900127", None, account), -4, NOT_ENTERPRISE)


def test_switching_the_default_account_off_the_enterprise_plan_refuses_it(shop):
    appid = shop.creds_oneshop["appid"]
    shop.admin("POST", f"/oneshop/accounts/{appid}/settings", {"enterprise": False})
    _error(list_orders(shop), -4, NOT_ENTERPRISE)
    shop.admin("POST", f"/oneshop/accounts/{appid}/settings", {"enterprise": True})
    assert list_orders(shop).status == 200


def test_a_client_ip_outside_the_whitelist_is_minus_1(shop):
    account = new_account(shop, ip_whitelist=["203.0.113.5", "2001:db8::1"], rate_limit=None)
    _error(list_orders(shop, account), -1, "IP未加入白名單")


def test_a_whitelisted_client_ip_is_served(shop):
    account = new_account(shop, ip_whitelist=["203.0.113.5", "127.0.0.1"], rate_limit=None)
    assert list_orders(shop, account).status == 200
    assert shop.oneshop("order", list_params(), account, headers={"X-Forwarded-For": "203.0.113.5"}).status == 200


def test_an_empty_whitelist_lets_every_ip_in(shop):
    account = new_account(shop, ip_whitelist=["203.0.113.5"], rate_limit=None)
    assert list_orders(shop, account).success == -1
    shop.admin("POST", f"/oneshop/accounts/{account['appid']}/settings", {"ip_whitelist": []})
    assert list_orders(shop, account).status == 200


def test_x_forwarded_for_does_not_get_a_client_past_the_whitelist(shop):
    account = new_account(shop, ip_whitelist=["203.0.113.5"], rate_limit=None)
    answer = shop.oneshop("order", list_params(), account, headers={"X-Forwarded-For": "203.0.113.5"})
    _error(answer, -1, "IP未加入白名單")


# ---- check order -----------------------------------------------------------------------------
def test_credentials_are_checked_before_parameters(shop):
    creds = {"appid": shop.creds_oneshop["appid"], "secret": "wrong"}
    _error(shop.oneshop("order", {"page": "x"}, creds), -3, "appid 或 secret 錯誤")


def test_the_plan_is_checked_before_the_whitelist_and_the_parameters(shop):
    account = new_account(shop, enterprise=False, ip_whitelist=["203.0.113.5"])
    _error(shop.oneshop("order", {"page": "x"}, account), -4, NOT_ENTERPRISE)


def test_the_whitelist_is_checked_before_the_parameters(shop):
    account = new_account(shop, ip_whitelist=["203.0.113.5"])
    _error(shop.oneshop("order", {"page": "x"}, account), -1, "IP未加入白名單")


def test_unknown_query_parameters_are_ignored(shop):
    answer = list_orders(shop, foo="bar", limit="1000", page_size="5")
    assert answer.status == 200
    assert answer.body["data"]["page"]["page_order"] == 50
