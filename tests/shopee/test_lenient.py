"""Issue 11, points 1, 4 and 5: what real clients send that Shopee accepts is accepted, with a
warning (X-Sandbox-Warning, the journal), and refused in strict mode as the sandbox used to.

Each request is the one the client sent, byte for byte in the query (lenient_support.raw_get), over
real HTTP (the `live` fixture) where the point is about what goes on the wire.
"""
from __future__ import annotations

import pytest

from tests.conftest import T0
from tests.shopee.lenient_support import not_warned, raw_get, raw_post, strict, warned
from tests.shopee.order_support import DAY, assert_error, make_order
from tests.shopee.push_support import get_config

LIST = [("time_range_field", "create_time"), ("time_from", T0 - DAY), ("time_to", T0), ("page_size", 20)]


# ---- point 1: unknown parameters ----------------------------------------------------------------
@pytest.mark.parametrize("api, pairs, name", [
    ("order/get_order_list", LIST + [("page", 1)], "page"),  # an ETL's paging
    ("order/get_order_list", LIST + [("language", "zh-hant")], "language"),
    ("shop/get_shop_info", [("order_sn", "X")], "order_sn"),
    ("logistics/get_channel_list", [("carrier_id", 30005)], "carrier_id"),
])
def test_an_unknown_parameter_is_ignored_with_a_warning_over_http(live, api, pairs, name):
    answer = raw_get(live, api, pairs)
    assert answer.status == 200 and answer.error == "", answer.body
    warnings = warned(live, answer, f"unknown parameter {name}")
    assert f"v2.{api.replace('/', '.')}" in warnings[0]


def test_shop_parameters_on_push_calls_are_ignored_with_a_warning(live):
    """A client that sends access_token and shop_id on every call, public ones included."""
    creds = live.creds
    answer = raw_get(live, "push/get_app_push_config",
                     [("access_token", creds["access_token"]), ("shop_id", creds["shop_id"])], shop=False)
    assert answer.status == 200 and "response" in answer.body, answer.body
    warned(live, answer, "unknown parameter access_token", "unknown parameter shop_id")
    post = raw_post(live, "push/set_app_push_config", {"set_push_config_off": [4]},
                    [("access_token", creds["access_token"]), ("shop_id", creds["shop_id"])], shop=False)
    assert post.status == 200 and post.body["response"] == {"result": "success"}, post.body
    warned(live, post, "unknown parameter access_token")
    assert 4 in get_config(live)["push_config_off_list"]


def test_an_unknown_parameter_never_hides_the_real_error(live):
    """A 30-day window sent with an unknown parameter answers the time-range error."""
    pairs = [("time_range_field", "create_time"), ("time_from", T0 - 30 * DAY), ("time_to", T0),
             ("page_size", 20), ("page", 1)]
    answer = raw_get(live, "order/get_order_list", pairs)
    assert_error(answer, "order.order_list_invalid_time",
                 message="Start time must be earlier than end time and diff in 15days.")
    warned(live, answer, "unknown parameter page")


def test_strict_mode_answers_the_unknown_parameter_error_first(live):
    strict(live)
    pairs = [("time_range_field", "create_time"), ("time_from", T0 - 30 * DAY), ("time_to", T0),
             ("page_size", 20), ("page", 1)]
    assert_error(raw_get(live, "order/get_order_list", pairs), "error_param",
                 message="Wrong parameters, detail: unknown parameter page.")


def test_strict_mode_ends_with_the_reset(sandbox):
    strict(sandbox)
    assert raw_get(sandbox, "order/get_order_list", LIST + [("page", 1)]).status == 400
    sandbox.admin("POST", "/reset", {})
    sandbox.forget_credentials()
    assert raw_get(sandbox, "order/get_order_list", LIST + [("page", 1)]).status == 200


def test_a_clean_request_carries_no_warning(live):
    answer = raw_get(live, "order/get_order_list", LIST)
    assert answer.status == 200
    not_warned(live, answer)


# ---- point 4: repeated parameters ---------------------------------------------------------------
def test_a_repeated_order_sn_list_is_the_list_warned_and_journaled_whole(live):
    sns = [make_order(live) for _ in range(3)]
    answer = raw_get(live, "order/get_order_detail", [("order_sn_list", sn) for sn in sns])
    assert answer.status == 200, answer.body
    assert [o["order_sn"] for o in answer.body["response"]["order_list"]] == sns
    warned(live, answer, "order_sn_list is repeated", *sns)
    entry = live.request("GET", "/_sandbox/requests", query={"limit": 1}).body["requests"][-1]
    assert entry["query_all"]["order_sn_list"] == sns


def test_a_repeated_order_sn_list_is_error_param_in_strict_mode(live):
    sns = [make_order(live) for _ in range(2)]
    strict(live)
    assert_error(raw_get(live, "order/get_order_detail", [("order_sn_list", sn) for sn in sns]), "error_param",
                 message="Wrong parameters, detail: order_sn_list is repeated.")


def test_repeated_and_comma_joined_values_add_up(sandbox):
    sns = [make_order(sandbox) for _ in range(3)]
    answer = raw_get(sandbox, "order/get_order_detail", [("order_sn_list", ",".join(sns[:2])),
                                                         ("order_sn_list", sns[2])])
    assert [o["order_sn"] for o in answer.body["response"]["order_list"]] == sns


def test_a_repeated_single_valued_parameter_uses_the_first_value_and_names_every_value(live):
    make_order(live), make_order(live)
    answer = raw_get(live, "order/get_order_list", LIST[:3] + [("page_size", 1), ("page_size", 100)])
    assert answer.status == 200, answer.body
    assert len(answer.body["response"]["order_list"]) == 1 and answer.body["response"]["more"] is True
    warned(live, answer, "page_size is repeated ('1', '100')", "uses the first value")


def test_a_repeated_single_valued_parameter_is_error_param_in_strict_mode(live):
    strict(live)
    answer = raw_get(live, "order/get_order_list", LIST[:3] + [("page_size", 1), ("page_size", 100)])
    assert_error(answer, "error_param", message="Wrong parameters, detail: page_size is repeated.")


def test_a_repeated_common_parameter_uses_the_first_value(sandbox):
    creds = sandbox.creds
    answer = raw_get(sandbox, "shop/get_shop_info", [("shop_id", creds["shop_id"] + 1)])
    assert answer.status == 200, answer.body
    warned(sandbox, answer, "shop_id is repeated")
    strict(sandbox)
    assert_error(raw_get(sandbox, "shop/get_shop_info", [("shop_id", creds["shop_id"] + 1)]), "error_param")


# ---- point 5: auth/token/get as an ERP sends it ----------------------------------------------------
def _code(sandbox) -> str:
    creds = sandbox.creds
    answer = sandbox.admin("POST", "/shopee/authorize", {"partner_id": creds["partner_id"], "shop_id": creds["shop_id"],
                                                         "redirect": "https://erp.example.com/cb"})
    return answer.body["code"]


def test_token_get_with_partner_id_only_in_the_query_and_shop_id_as_a_string(live):
    """The ERP's request: partner_id in the query only, shop_id a JSON string of digits."""
    body = {"code": _code(live), "shop_id": str(live.creds["shop_id"])}
    answer = raw_post(live, "auth/token/get", body, shop=False)
    assert answer.status == 200 and answer.body["access_token"], answer.body
    warned(live, answer, "partner_id is missing from the body", "shop_id is the string")
    info = live.shopee("GET", "shop/get_shop_info", creds={**live.creds, "access_token": answer.body["access_token"]})
    assert info.status == 200, info.body


def test_token_get_without_partner_id_in_the_body_is_error_param_in_strict_mode(live):
    strict(live)
    answer = raw_post(live, "auth/token/get", {"code": _code(live), "shop_id": live.creds["shop_id"]}, shop=False)
    assert_error(answer, "error_param", message="Wrong parameters, detail: partner_id is a required field.")
    answer = raw_post(live, "auth/token/get", {"code": _code(live), "partner_id": live.creds["partner_id"],
                                               "shop_id": str(live.creds["shop_id"])}, shop=False)
    assert_error(answer, "error_param", message="Wrong parameters, detail: shop_id should be an integer.")


def test_refresh_with_partner_id_only_in_the_query(sandbox):
    creds = sandbox.creds
    answer = raw_post(sandbox, "auth/access_token/get",
                      {"refresh_token": creds["refresh_token"], "shop_id": creds["shop_id"]}, shop=False)
    assert answer.status == 200 and answer.body["partner_id"] == creds["partner_id"], answer.body
    warned(sandbox, answer, "partner_id is missing from the body")
