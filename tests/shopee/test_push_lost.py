"""v2.push.get_lost_push_message and confirm_consumed_lost_push_message: pushes whose every
scheduled attempt failed, kept 3 days, read 100 at a time from the earliest; confirming a page's
last_message_id makes the next page come."""
from __future__ import annotations

import pytest

from tests.conftest import T0
from tests.shopee.order_support import DAY, assert_error
from tests.shopee.push_support import _VALIDATORS, advance, flush, new_orders, subscribe

LOST_AT = T0 + 60 + 300 + 1800  # the first attempt at T0, then three retries 60 s, 300 s, 1800 s apart


def lost(sandbox, creds=None) -> dict:
    answer = sandbox.shopee("GET", "push/get_lost_push_message", creds=creds, shop=False)
    assert answer.status == 200, answer.body
    return answer.body["response"]


def confirm(sandbox, last_message_id, creds=None):
    return sandbox.shopee("POST", "push/confirm_consumed_lost_push_message", {"last_message_id": last_message_id},
                          creds=creds, shop=False)


def _fail_for_good(sandbox, inbox, count: int) -> list[str]:
    """count code 3 pushes that the receiver refuses until their retries run out."""
    assert subscribe(sandbox, inbox.url, on=(3,)).status == 200
    inbox.respond(500)
    sns = new_orders(sandbox, sandbox.creds["shop_id"], count)
    flush(sandbox)
    advance(sandbox, 60)
    advance(sandbox, 300)
    assert lost(sandbox)["push_message_list"] == []  # still one retry to go
    advance(sandbox, 1800)
    return sns


def test_lost_pushes_come_100_at_a_time_from_the_earliest_until_confirmed(sandbox, inbox):
    sns = _fail_for_good(sandbox, inbox, 130)
    assert len(inbox.received) == 1 + 130 * 4

    first = lost(sandbox)
    assert first["has_next_page"] is True and len(first["push_message_list"]) == 100
    for message in first["push_message_list"]:
        assert message["shop_id"] == sandbox.creds["shop_id"] and message["code"] == 3
        assert message["timestamp"] == LOST_AT
        assert list(_VALIDATORS[3].iter_errors(message["data"])) == []  # the whole push as it was sent
        assert message["data"]["shop_id"] == sandbox.creds["shop_id"] and message["data"]["timestamp"] == T0
    assert lost(sandbox) == first  # reading again without confirming gives the same page

    answer = confirm(sandbox, first["last_message_id"])
    assert answer.status == 200, answer.body
    second = lost(sandbox)
    assert second["has_next_page"] is False and len(second["push_message_list"]) == 30
    assert second["last_message_id"] > first["last_message_id"]
    orders = [m["data"]["data"]["ordersn"] for m in first["push_message_list"] + second["push_message_list"]]
    assert sorted(orders) == sorted(sns)  # every lost push once, none twice

    assert confirm(sandbox, second["last_message_id"]).status == 200
    assert lost(sandbox) == {"push_message_list": [], "has_next_page": False, "last_message_id": 0}


def test_confirming_an_id_up_to_the_middle_of_a_page_keeps_the_rest(sandbox, inbox):
    _fail_for_good(sandbox, inbox, 3)
    first = lost(sandbox)
    last = first["last_message_id"]
    assert confirm(sandbox, last - 1).status == 200  # message ids grow by one
    rest = lost(sandbox)
    assert rest["push_message_list"] == first["push_message_list"][2:] and rest["last_message_id"] == last


def test_lost_pushes_are_kept_three_days(sandbox, inbox):
    _fail_for_good(sandbox, inbox, 2)
    advance(sandbox, 3 * DAY)
    assert len(lost(sandbox)["push_message_list"]) == 2
    advance(sandbox, 1)
    assert lost(sandbox)["push_message_list"] == []


def test_each_app_reads_only_its_own_lost_pushes(sandbox, inbox):
    _fail_for_good(sandbox, inbox, 2)
    partner = sandbox.admin("POST", "/shopee/partners", {}).body
    other = {"partner_id": partner["partner_id"], "partner_key": partner["partner_key"]}
    assert lost(sandbox, other)["push_message_list"] == []
    last = lost(sandbox)["last_message_id"]
    assert_error(confirm(sandbox, last, other), "error_data", message="data not exist")
    assert len(lost(sandbox)["push_message_list"]) == 2


@pytest.mark.parametrize("body, error", [({"last_message_id": 999_999}, "error_data"),
                                         ({}, "error_param"), ({"last_message_id": "x"}, "error_param"),
                                         ({"last_message_id": 0}, "error_param")])
def test_a_confirm_that_names_no_lost_push_is_refused_and_changes_nothing(sandbox, inbox, body, error):
    _fail_for_good(sandbox, inbox, 1)
    before = lost(sandbox)
    answer = sandbox.shopee("POST", "push/confirm_consumed_lost_push_message", body, shop=False)
    assert_error(answer, error)
    assert lost(sandbox) == before


def test_a_lost_partner_level_push_has_no_shop_id(sandbox, inbox):
    partner = sandbox.admin("POST", "/shopee/partners", {}).body
    creds = {"partner_id": partner["partner_id"], "partner_key": partner["partner_key"]}
    assert subscribe(sandbox, inbox.url, on=(1,), creds=creds).status == 200
    inbox.respond(500)
    sandbox.admin("POST", "/shopee/shops", {"authorize_partner_id": partner["partner_id"]})
    flush(sandbox)
    for seconds in (60, 300, 1800):
        advance(sandbox, seconds)
    (message,) = lost(sandbox, creds)["push_message_list"]
    assert set(message) == {"code", "timestamp", "data"} and message["code"] == 1
    assert list(_VALIDATORS[1].iter_errors(message["data"])) == []
