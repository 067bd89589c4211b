"""A query parameter given twice (issue 12, point 3): 1shop (PHP) reads the last value; the sandbox
says so in a warning naming the parameter and every value, and refuses with -6 in strict mode."""
from __future__ import annotations

import requests

from tests.oneshop.support import ALL
from tests.support.clients import SandboxClient

WARNING = "X-Sandbox-Warning"


def _query(client: SandboxClient, *pairs: tuple[str, str]) -> list[tuple[str, str]]:
    creds = client.creds_oneshop
    return [("appid", creds["appid"]), ("secret", creds["secret"]), *pairs]


def _list(client: SandboxClient, *pairs: tuple[str, str]):
    return client.request("GET", "/v1/order", query=_query(client, *pairs))


def _strict(client: SandboxClient, on: bool) -> None:
    assert client.admin("POST", "/strict", {"strict": on}).status == 200


def test_the_last_value_of_a_repeated_parameter_is_used_and_warned(shop):
    statuses = [(k, v) for k, v in ALL.items()]
    answer = _list(shop, *statuses, ("page", "2"), ("page", "1"))
    assert answer.status == 200 and answer.success == 0, answer.body
    assert answer.body["data"]["page"]["correct_page"] == 1  # the last of page=2&page=1
    warning = answer.headers[WARNING]
    assert "page" in warning and "'2'" in warning and "'1'" in warning and "last" in warning
    entry = shop.request("GET", "/_sandbox/requests", query={"limit": "1"}).body["requests"][-1]
    assert entry["query_all"]["page"] == ["2", "1"]
    assert any("page" in w and "'2', '1'" in w for w in entry["warnings"]), entry["warnings"]


def test_the_last_value_decides_even_when_the_first_is_valid(shop):
    answer = _list(shop, ("progress_status", "all"), ("progress_status", "bogus"), ("payment_status", "all"),
                   ("logistic_status", "all"), ("page", "1"))
    assert answer.body == {"success": -6, "data": [], "msg": "參數 progress_status 的值無效: bogus"}
    assert "progress_status" in answer.headers[WARNING]
    answer = _list(shop, ("progress_status", "bogus"), ("progress_status", "all"), ("payment_status", "all"),
                   ("logistic_status", "all"), ("page", "x"), ("page", "1"))
    assert answer.success == 0, answer.body


def test_a_repeated_filter_filters_by_its_last_value(shop):
    answer = _list(shop, ("progress_status", "all"), ("progress_status", "completed"), ("payment_status", "all"),
                   ("logistic_status", "all"), ("page", "1"))
    orders = answer.body["data"]["order"]
    assert orders and {o["progress_status"] for o in orders} == {"completed"}


def test_a_repeated_secret_is_named_but_its_values_are_masked(shop):
    creds = shop.creds_oneshop
    answer = shop.request("GET", "/v1/order", query=[("appid", creds["appid"]), ("secret", "wrong-secret-value"),
                                                     ("secret", creds["secret"]), *ALL.items(), ("page", "1")])
    assert answer.success == 0, answer.body  # the last secret is the right one
    warning = answer.headers[WARNING]
    assert "secret" in warning and creds["secret"] not in warning and "wrong-secret-value" not in warning
    assert "wron***" in warning and creds["secret"][:4] + "***" in warning


def test_a_parameter_given_once_warns_nothing(shop):
    answer = _list(shop, *ALL.items(), ("page", "1"))
    assert answer.success == 0 and WARNING not in answer.headers


def test_strict_mode_refuses_a_repeated_parameter_with_minus_6_naming_it(shop):
    _strict(shop, True)
    answer = _list(shop, *ALL.items(), ("page", "1"), ("page", "1"))
    assert answer.status == 200
    assert answer.body == {"success": -6, "data": [], "msg": "參數 page 只能有一個值: '1', '1'"}
    creds = shop.creds_oneshop
    answer = shop.request("GET", "/v1/order/QI2041900127",
                          query=[("appid", creds["appid"]), ("appid", creds["appid"]), ("secret", creds["secret"])])
    assert answer.body["success"] == -6 and "appid" in answer.body["msg"]
    _strict(shop, False)
    assert _list(shop, *ALL.items(), ("page", "1"), ("page", "1")).success == 0


def test_over_real_http_the_last_value_is_used(live):
    creds = live.creds_oneshop
    query = [("appid", creds["appid"]), ("secret", creds["secret"]), *ALL.items(), ("page", "9"), ("page", "1")]
    live.admin("POST", f"/oneshop/accounts/{creds['appid']}/settings", {"rate_limit": None})
    response = requests.get(creds["api_base"] + "/order", params=query, timeout=10)
    assert response.status_code == 200 and response.json()["data"]["page"]["correct_page"] == 1
    assert "page" in response.headers[WARNING]
