"""v2.push.set_app_push_config / get_app_push_config and the older set_push_config (seed 001): the
verification push, what a set refuses (and then changes nothing), codes off and blocked shops."""
from __future__ import annotations

import pytest

from mockserver.testing.inbox import Reply
from tests.shopee.order_support import assert_error, make_order
from tests.shopee.push_support import (VERIFY_BODY, check_push, flush, get_config, new_app, new_orders, order_event,
                                       pushes, set_config, subscribe, url_signature)

ERP_CODES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13]  # guide: ERP System gets every push but webchat (10)
NOT_2XX = ("Shopee have sent a test push to this call back url, the response code we get from this callback_url "
           "is not 2xx code, please check your service. ")
NO_ANSWER = ("Shopee have sent a test push to this call back url, but we didn't get any response in 3 seconds "
             "with 2xx code, please check your service. ")
NO_CALLBACK = "Your app's callback_url is empty, please input a callback_url before you turn on push config."
INVALID_URL = "this callback_url is invalid, please check your callback_url."


def test_a_new_app_has_no_callback_and_every_available_code_off(sandbox):
    assert get_config(sandbox) == {"callback_url": "", "live_push_status": "Normal", "blocked_shop_id": [],
                                   "push_config_on_list": [], "push_config_off_list": ERP_CODES}


def test_available_codes_follow_the_app_type(sandbox):
    order_app = new_app(sandbox, "Order Management")
    assert get_config(sandbox, order_app)["push_config_off_list"] == [1, 2, 3, 4, 5, 12]
    answer = set_config(sandbox, order_app, set_push_config_off=[6])
    assert_error(answer, "error_param")
    assert answer.message.startswith("Wrong parameters, detail: ")


def test_setting_a_callback_url_sends_the_verification_push_signed_with_the_partner_key(sandbox, inbox):
    url = inbox.url_for("/shopee/push")
    answer = subscribe(sandbox, url, on=(3, 4))
    assert answer.status == 200, answer.body
    assert answer.body["response"] == {"result": "success"}
    (verification,) = inbox.received
    assert verification.path == "/shopee/push"
    assert verification.body == VERIFY_BODY
    assert verification.header("Authorization") == url_signature(sandbox.creds["partner_key"], url, VERIFY_BODY)
    check_push(verification, sandbox.creds["partner_key"], url)
    assert get_config(sandbox) == {"callback_url": url, "live_push_status": "Normal", "blocked_shop_id": [],
                                   "push_config_on_list": [3, 4],
                                   "push_config_off_list": [c for c in ERP_CODES if c not in (3, 4)]}


def test_changing_only_the_codes_sends_no_verification(sandbox, inbox):
    assert subscribe(sandbox, inbox.url, on=(3,)).status == 200
    answer = set_config(sandbox, set_push_config_on=[4], set_push_config_off=[3])
    assert answer.status == 200, answer.body
    assert len(inbox.received) == 1
    assert get_config(sandbox)["push_config_on_list"] == [4]


@pytest.mark.parametrize("reply, message", [(500, NOT_2XX), (302, NOT_2XX), (Reply.dropped(), NO_ANSWER)])
def test_a_callback_that_fails_the_verification_is_refused_and_nothing_changes(sandbox, inbox, reply, message):
    before = get_config(sandbox)
    inbox.respond(reply)
    answer = subscribe(sandbox, inbox.url, on=(3,))
    assert_error(answer, "error_param", message=message)
    assert len(inbox.received) == 1  # the one verification push, no retry
    assert get_config(sandbox) == before
    order_event(sandbox, make_order(sandbox, status="UNPAID"), "pay")
    flush(sandbox)
    assert len(inbox.received) == 1


def test_turning_a_code_on_without_any_callback_url_is_refused(sandbox):
    assert_error(set_config(sandbox, set_push_config_on=[3]), "error_param", message=NO_CALLBACK)
    assert get_config(sandbox)["push_config_on_list"] == []


@pytest.mark.parametrize("url", ["www.site.com.br", "ftp://example.com/push", "", "http://"])
def test_a_callback_url_that_is_not_an_absolute_http_url_is_refused(sandbox, inbox, url):
    assert_error(subscribe(sandbox, url), "error_param", message=INVALID_URL)
    assert inbox.received == [] and get_config(sandbox)["callback_url"] == ""


@pytest.mark.parametrize("fields", [
    {},
    {"set_push_config_on": [14]},
    {"set_push_config_on": [0]},
    {"set_push_config_on": [10]},  # webchat: not for ERP System apps
    {"set_push_config_on": [3], "set_push_config_off": [3]},
    {"set_push_config_on": "3"},
    {"set_push_config_on": [True]},
    {"blocked_shop_id_list": list(range(1, 502))},
    {"callback_url": 7},
    {"push_config_on_list": [3]},
    {"callback_url": None},
])
def test_bad_fields_are_wrong_parameters_and_change_nothing(sandbox, inbox, fields):
    before = get_config(sandbox), sandbox.admin("GET", "/state").body["shopee"]["push"]
    answer = set_config(sandbox, **fields)
    assert_error(answer, "error_param")
    assert answer.message.startswith("Wrong parameters, detail: "), answer.message
    assert (get_config(sandbox), sandbox.admin("GET", "/state").body["shopee"]["push"]) == before
    assert inbox.received == []


def test_the_older_set_push_config_form_of_seed_001_switches_order_status(sandbox, inbox):
    answer = sandbox.shopee("POST", "push/set_push_config",
                            {"push_config": {"order_status": 1}, "callback_url": inbox.url}, shop=False)
    assert answer.status == 200, answer.body
    assert inbox.received[0].body == VERIFY_BODY
    assert get_config(sandbox)["push_config_on_list"] == [3]
    answer = sandbox.shopee("POST", "push/set_push_config", {"push_config": {"order_status": 0}}, shop=False)
    assert answer.status == 200, answer.body
    assert get_config(sandbox)["push_config_on_list"] == []
    assert_error(sandbox.shopee("POST", "push/set_push_config", {"push_config": {"order_status": 2}}, shop=False),
                 "error_param")
    assert_error(sandbox.shopee("POST", "push/set_push_config", {"push_config": {"orders": 1}}, shop=False),
                 "error_param")


@pytest.mark.parametrize("body", [{"set_push_config_on": None}, {"set_push_config_off": None},
                                  {"set_push_config_on": [3], "blocked_shop_id_list": None}])
def test_null_is_a_wrong_type_not_an_absent_field(sandbox, inbox, body):
    """JSON null is refused like any wrong type (mockserver/shopee/params.py), never read as absent:
    the contract types no request field nullable."""
    before = get_config(sandbox)
    answer = set_config(sandbox, callback_url=inbox.url, **body)
    assert_error(answer, "error_param")
    assert answer.message.startswith("Wrong parameters, detail: ") and "should be a list" in answer.message
    assert get_config(sandbox) == before and inbox.received == []


@pytest.mark.parametrize("body", [{"push_config": {"order_status": None}}, {"push_config": None},
                                  {"push_config": {"order_status": 1}, "blocked_shop_id": None}])
def test_the_older_set_push_config_refuses_null_like_any_wrong_type(sandbox, inbox, body):
    before = get_config(sandbox)
    answer = sandbox.shopee("POST", "push/set_push_config", {"callback_url": inbox.url, **body}, shop=False)
    assert_error(answer, "error_param")
    assert answer.message.startswith("Wrong parameters, detail: "), answer.message
    assert get_config(sandbox) == before and inbox.received == []


def test_codes_switched_off_send_nothing(sandbox, inbox):
    assert subscribe(sandbox, inbox.url, on=(4,)).status == 200
    order_event(sandbox, make_order(sandbox, status="UNPAID"), "pay")
    flush(sandbox)
    assert [b["code"] for b in pushes(inbox, sandbox.creds["partner_key"], inbox.url)] == [0]


def test_a_blocked_shop_gets_nothing_and_the_others_still_do(sandbox, inbox):
    blocked = sandbox.creds["shop_id"]
    other = sandbox.admin("POST", "/shopee/shops", {"authorize_partner_id": sandbox.creds["partner_id"]}).body
    assert subscribe(sandbox, inbox.url, on=(3,), blocked_shop_id_list=[blocked]).status == 200
    assert get_config(sandbox)["blocked_shop_id"] == [blocked]
    order_event(sandbox, make_order(sandbox, status="UNPAID"), "pay")
    (sn,) = new_orders(sandbox, other["shop_id"], 1)
    flush(sandbox)
    got = pushes(inbox, sandbox.creds["partner_key"], inbox.url, code=3)
    assert [(b["shop_id"], b["data"]["ordersn"]) for b in got] == [(other["shop_id"], sn)]
    # Unblocked again (an empty list replaces the old one), the shop's pushes come back.
    assert set_config(sandbox, blocked_shop_id_list=[]).status == 200
    order_event(sandbox, make_order(sandbox, status="UNPAID"), "pay")
    flush(sandbox)
    got = pushes(inbox, sandbox.creds["partner_key"], inbox.url, code=3)[1:]
    # Workers send in parallel, so the arrival order is not the order of the events.
    assert sorted((b["shop_id"], b["data"]["status"]) for b in got) == [(blocked, "READY_TO_SHIP"), (blocked, "UNPAID")]
