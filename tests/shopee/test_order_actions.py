"""v2.order.set_note, and what every order action does with a malformed request: Shopee's envelope,
a 4xx, and no change to the order."""
from __future__ import annotations

import json

import pytest

from tests.conftest import T0
from tests.shopee.lenient_support import strict, warned
from tests.shopee.order_support import (advance, assert_error, comparable, detail, make_order, new_shop,
                                        order)
from tests.support.shopee_signer import signed_query


def set_note(sandbox, sn, note, creds=None):
    return sandbox.shopee("POST", "order/set_note", {"order_sn": sn, "note": note}, creds=creds)


def refused(sandbox, sn, call, error="error_param", status=400):
    before = comparable(order(sandbox, sn))
    assert_error(call(), error, status)
    assert comparable(order(sandbox, sn)) == before


# ---- set_note -------------------------------------------------------------------------------
def test_set_note_stores_the_note_and_its_time(sandbox):
    sn = make_order(sandbox)
    advance(sandbox, 300)
    answer = set_note(sandbox, sn, "裝箱前確認顏色")
    assert answer.status == 200, answer.body
    assert "response" not in answer.body and answer.body["error"] == ""
    got = detail(sandbox, sn, "note,note_update_time")
    assert got["note"] == "裝箱前確認顏色" and got["note_update_time"] == T0 + 300
    advance(sandbox, 60)
    assert set_note(sandbox, sn, "").status == 200  # an empty note clears it
    got = detail(sandbox, sn, "note,note_update_time")
    assert got["note"] == "" and got["note_update_time"] == T0 + 360


def test_new_order_has_no_note(sandbox):
    got = detail(sandbox, make_order(sandbox), "note,note_update_time")
    assert got["note"] == "" and got["note_update_time"] == 0


def test_note_of_500_characters_is_kept_and_501_is_error_param(sandbox):
    sn = make_order(sandbox)
    assert set_note(sandbox, sn, "n" * 500).status == 200
    refused(sandbox, sn, lambda: set_note(sandbox, sn, "x" * 501))
    assert detail(sandbox, sn, "note")["note"] == "n" * 500


@pytest.mark.parametrize("note", [None, 5, ["a"], {"text": "a"}, True])
def test_missing_or_non_string_note_is_error_param(sandbox, note):
    sn = make_order(sandbox)
    body = {"order_sn": sn} if note is None else {"order_sn": sn, "note": note}
    refused(sandbox, sn, lambda: sandbox.shopee("POST", "order/set_note", body))


def test_set_note_on_another_shops_order_is_not_found(sandbox):
    other = new_shop(sandbox)
    theirs = make_order(sandbox, other["shop_id"])
    refused(sandbox, theirs, lambda: set_note(sandbox, theirs, "mine now"), "error_not_found", 404)


def test_set_note_on_a_cancelled_order_is_allowed(sandbox):
    sn = make_order(sandbox, status="CANCELLED")
    assert set_note(sandbox, sn, "refunded").status == 200


# ---- malformed requests to every order action ---------------------------------------------
def valid_body(api: str, sn: str) -> dict:
    return {
        "order/cancel_order": {"order_sn": sn, "cancel_reason": "CUSTOMER_REQUEST"},
        "order/handle_buyer_cancellation": {"order_sn": sn, "operation": "ACCEPT"},
        "order/split_order": {"order_sn": sn, "package_list": [{"item_list": []}, {"item_list": []}]},
        "order/unsplit_order": {"order_sn": sn},
        "order/set_note": {"order_sn": sn, "note": "hello"},
    }[api]


ACTIONS = ["order/cancel_order", "order/handle_buyer_cancellation", "order/split_order",
           "order/unsplit_order", "order/set_note"]


def raw_post(sandbox, api: str, data: str | bytes | None, content_type: str | None, query_extra=None):
    path = "/api/v2/" + api
    query = signed_query(sandbox.creds, path, sandbox.now(), **(query_extra or {}))
    headers = {"Content-Type": content_type} if content_type else {}
    return sandbox.request("POST", path, query=query, data=data, headers=headers)


@pytest.fixture
def in_cancel(sandbox) -> str:
    """An order every action could act on (IN_CANCEL: cancellable by the buyer answer)."""
    return make_order(sandbox, status="IN_CANCEL")


@pytest.mark.parametrize("api", ACTIONS)
@pytest.mark.parametrize("data", ['{"order_sn": ', "order_sn=1", "[]", '"text"', "\xff\xfe"])
def test_body_that_is_not_a_json_object_is_error_param(sandbox, in_cancel, api, data):
    raw = data.encode("latin-1") if data.startswith("\xff") else data
    refused(sandbox, in_cancel, lambda: raw_post(sandbox, api, raw, "application/json"))


@pytest.mark.parametrize("api", ACTIONS)
@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_body_without_json_content_type_is_error_param(sandbox, in_cancel, api, content_type):
    body = json.dumps(valid_body(api, in_cancel))
    refused(sandbox, in_cancel, lambda: raw_post(sandbox, api, body, content_type))


@pytest.mark.parametrize("api", ACTIONS)
def test_get_on_an_order_action_is_405(sandbox, in_cancel, api):
    refused(sandbox, in_cancel, lambda: sandbox.shopee("GET", api, {"order_sn": in_cancel}), status=405)


@pytest.mark.parametrize("api", ACTIONS)
def test_unknown_parameter_in_body_or_query_is_error_param_in_strict_mode(sandbox, in_cancel, api):
    strict(sandbox)
    body = valid_body(api, in_cancel)
    refused(sandbox, in_cancel, lambda: sandbox.shopee("POST", api, {**body, "shop_note": "x"}))
    refused(sandbox, in_cancel, lambda: sandbox.shopee("POST", api, body, query_extra={"order_sn": in_cancel}))


@pytest.mark.parametrize("where", ["body", "query"])
def test_unknown_parameter_in_body_or_query_is_ignored_with_a_warning(sandbox, where):
    """Issue 11, point 1: by default an unknown parameter is ignored, and said so."""
    sn = make_order(sandbox)
    body = {"order_sn": sn, "note": "hello"}
    if where == "body":
        answer = sandbox.shopee("POST", "order/set_note", {**body, "shop_note": "x"})
    else:
        answer = sandbox.shopee("POST", "order/set_note", body, query_extra={"order_sn": sn})
    assert answer.status == 200 and answer.error == "", answer.body
    warned(sandbox, answer, "unknown parameter shop_note" if where == "body" else "unknown parameter order_sn")
    assert order(sandbox, sn)["note"] == "hello"


@pytest.mark.parametrize("api", ACTIONS)
@pytest.mark.parametrize("order_sn", [None, "", "  ", 12345, ["A"]])
def test_missing_empty_or_mistyped_order_sn_is_error_param(sandbox, in_cancel, api, order_sn):
    body = {k: v for k, v in valid_body(api, in_cancel).items() if k != "order_sn"}
    if order_sn is not None:
        body["order_sn"] = order_sn
    refused(sandbox, in_cancel, lambda: sandbox.shopee("POST", api, body))


@pytest.mark.parametrize("api", ACTIONS)
def test_unknown_order_sn_is_error_not_found(sandbox, in_cancel, api):
    body = {**valid_body(api, in_cancel), "order_sn": "261118NOSUCH00"}
    refused(sandbox, in_cancel, lambda: sandbox.shopee("POST", api, body), "error_not_found", 404)


def test_valid_bodies_above_are_really_accepted(sandbox, in_cancel):
    """The malformed-request tests start from bodies the sandbox accepts (so they test the fault)."""
    assert sandbox.shopee("POST", "order/set_note", valid_body("order/set_note", in_cancel)).status == 200
    answer = sandbox.shopee("POST", "order/handle_buyer_cancellation",
                            valid_body("order/handle_buyer_cancellation", in_cancel))
    assert answer.status == 200, answer.body
    assert sandbox.shopee("POST", "order/cancel_order", valid_body("order/cancel_order", in_cancel)).error \
        == "order.error_limit"  # the order passed every parameter check and reached the rules
    assert sandbox.shopee("POST", "order/unsplit_order", {"order_sn": in_cancel}).error \
        == "order.order_cannot_undo_split"
