"""GET /v1/order: required filters, dates as inclusive UTC+8 days, 50-order pages, data.page, shapes."""
from __future__ import annotations

import json

import pytest

from mockserver.resources import data_dir
from tests.oneshop.support import SEED_LIST_FIELDS, add_orders, items, list_orders, list_params, new_account, state, utc8, walk

PROGRESS = ["pending", "confirming", "confirmed", "processing", "completed", "cancelled", "temporary", "other"]
PAYMENT = ["pending", "need_confirm", "paid", "cod", "refunded"]
LOGISTIC = ["pending", "prepare", "send", "shipped", "delivered", "received", "abnormal", "returning", "delay",
            "returned"]


def _error(answer, success: int, msg: str) -> None:
    assert answer.status == 200, answer.text  # seed 003: 200 unless rate-limited
    assert answer.body == {"success": success, "data": [], "msg": msg}


# ---- required parameters ------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["progress_status", "payment_status", "logistic_status", "page"])
@pytest.mark.parametrize("empty", [None, ""])
def test_each_required_parameter_missing_or_empty_is_minus_5(shop, name, empty):
    _error(shop.oneshop("order", {**list_params(), name: empty}), -5, f"缺少必填參數: {name}")


def test_the_first_missing_parameter_in_the_seeds_order_is_named(shop):
    _error(shop.oneshop("order", {"page": "1"}), -5, "缺少必填參數: progress_status")
    _error(shop.oneshop("order", {"progress_status": "all", "logistic_status": "all"}), -5,
           "缺少必填參數: payment_status")


@pytest.mark.parametrize("name,values", [("progress_status", PROGRESS), ("payment_status", PAYMENT),
                                         ("logistic_status", LOGISTIC)])
def test_every_seed_value_of_a_filter_is_accepted_and_filters(shop, name, values):
    everything = walk(shop)
    for value in values:
        expected = sorted(o["order_number"] for o in everything if o[name] == value)
        got = walk(shop, **{name: value})
        assert sorted(o["order_number"] for o in got) == expected, value
        assert all(o[name] == value for o in got)


def test_filters_combine(shop):
    everything = walk(shop)
    got = walk(shop, progress_status="completed", payment_status="paid", logistic_status="received")
    expected = [o for o in everything if (o["progress_status"], o["payment_status"], o["logistic_status"])
                == ("completed", "paid", "received")]
    assert got == expected and got


@pytest.mark.parametrize("name,value", [("progress_status", "Pending"), ("progress_status", "paid"),
                                        ("payment_status", "shipped"), ("payment_status", "all,paid"),
                                        ("logistic_status", " pending"), ("logistic_status", "ALL"),
                                        ("progress_status", "待確認")])
def test_a_value_outside_the_enum_is_minus_6(shop, name, value):
    _error(shop.oneshop("order", {**list_params(), name: value}), -6, f"參數 {name} 的值無效: {value}")


@pytest.mark.parametrize("page", ["0", "00", "-1", "1.0", "+1", " 1", "1 ", "one", "１", "0x1", "1e1"])
def test_a_page_that_is_not_an_integer_from_1_is_minus_6(shop, page):
    _error(list_orders(shop, page=page), -6, f"參數 page 的值無效: {page}")


def test_a_page_with_leading_zeros_is_that_page(shop):
    answer = list_orders(shop, page="002")
    assert answer.status == 200
    assert answer.body["data"]["page"]["correct_page"] == 2


# ---- paging -------------------------------------------------------------------------------------
def test_the_default_world_is_three_pages_of_50_50_20_with_every_order_once(shop):
    seen = []
    for page, size in ((1, 50), (2, 50), (3, 20)):
        answer = list_orders(shop, page=page)
        assert answer.status == 200
        assert answer.body["data"]["page"] == {"total_page": 3, "correct_page": page, "page_order": size,
                                               "total_order": 120}
        assert len(answer.body["data"]["order"]) == size
        seen += [o["order_number"] for o in answer.body["data"]["order"]]
    assert len(seen) == len(set(seen)) == 120
    assert set(seen) == {o["order_number"] for o in state(shop)["orders"]}


@pytest.mark.parametrize("page,total", [("4", 3), ("99", 3), ("9" * 40, 3)])
def test_a_page_past_the_last_is_minus_8(shop, page, total):
    _error(list_orders(shop, page=page), -8, f"頁碼超出範圍: 共 {total} 頁")


def test_orders_are_newest_first_with_ties_by_order_number_descending(shop):
    account = new_account(shop, rate_limit=None)
    when = shop.now() - 3600
    numbers = add_orders(shop, account["appid"], [{"create_time": when}, {"create_time": when},
                                                  {"create_time": when - 60}, {"create_time": when + 60}])
    listed = [o["order_number"] for o in list_orders(shop, account).body["data"]["order"]]
    assert listed == [numbers[3]] + sorted(numbers[:2], reverse=True) + [numbers[2]]
    everything = walk(shop)
    keys = [(o["create_date"], o["order_number"]) for o in everything]
    assert keys == sorted(keys, reverse=True)


def test_page_1_of_an_empty_result_is_valid_and_empty_and_page_2_is_minus_8(shop):
    account = new_account(shop, rate_limit=None)
    answer = list_orders(shop, account)
    assert answer.status == 200
    assert answer.body["data"] == {"order": [], "page": {"total_page": 0, "correct_page": 1, "page_order": 0,
                                                         "total_order": 0}}
    _error(list_orders(shop, account, page=2), -8, "頁碼超出範圍: 共 0 頁")


def test_a_filter_that_matches_nothing_is_an_empty_page(shop):
    answer = list_orders(shop, create_date_start="2001-01-01", create_date_end="2001-01-31")
    assert answer.body["data"]["page"]["total_order"] == 0 and answer.body["data"]["order"] == []


def test_an_account_sees_only_its_own_orders(shop):
    account = new_account(shop, rate_limit=None)
    numbers = add_orders(shop, account["appid"], [{}, {}])
    assert sorted(o["order_number"] for o in walk(shop, account)) == sorted(numbers)
    assert not set(numbers) & {o["order_number"] for o in walk(shop)}


# ---- dates ---------------------------------------------------------------------------------------
def test_date_bounds_are_whole_days_in_utc8_from_000000_to_235959(shop):
    account = new_account(shop, rate_limit=None)
    times = ["2026-11-09 23:59:59", "2026-11-10 00:00:00", "2026-11-10 12:00:00", "2026-11-11 23:59:59",
             "2026-11-12 00:00:00"]
    numbers = add_orders(shop, account["appid"], [{"create_time": utc8(t)} for t in times])
    by_time = dict(zip(times, numbers))

    def listed(**dates):
        return {o["order_number"] for o in walk(shop, account, **dates)}

    assert listed(create_date_start="2026-11-10", create_date_end="2026-11-11") == set(numbers[1:4])
    assert listed(create_date_start="2026-11-10", create_date_end="2026-11-10") == set(numbers[1:3])
    assert listed(create_date_start="2026-11-11") == set(numbers[3:])
    assert listed(create_date_end="2026-11-09") == {by_time["2026-11-09 23:59:59"]}
    assert listed(create_date_start="2026-11-12", create_date_end="") == {by_time["2026-11-12 00:00:00"]}
    created = {o["order_number"]: o["create_date"] for o in walk(shop, account)}
    assert [created[n] for n in numbers] == times  # rendered in UTC+8


@pytest.mark.parametrize("value", ["2026-1-05", "2026/11/10", "20261110", "2026-11-10 00:00:00", "2026-13-01",
                                   "2026-02-30", "2026-11-1a", "0000-01-01", "２０２６-１１-１０", "yesterday"])
@pytest.mark.parametrize("name", ["create_date_start", "create_date_end"])
def test_a_malformed_date_is_minus_7(shop, name, value):
    _error(list_orders(shop, **{name: value}), -7, f"日期格式錯誤: {name} 應為 YYYY-MM-DD")


def test_a_start_after_the_end_is_minus_7(shop):
    _error(list_orders(shop, create_date_start="2026-11-11", create_date_end="2026-11-10"), -7,
           "create_date_start 不可晚於 create_date_end")


def test_dates_are_checked_before_the_page(shop):
    _error(list_orders(shop, page="x", create_date_start="x"), -7, "日期格式錯誤: create_date_start 應為 YYYY-MM-DD")


def test_a_leap_day_is_a_date(shop):
    assert list_orders(shop, create_date_start="2028-02-29").status == 200


# ---- shape and fields ----------------------------------------------------------------------------
def test_a_list_order_has_exactly_the_seed_list_examples_fields_in_order(shop):
    for order in walk(shop):
        assert list(order) == SEED_LIST_FIELDS
    fixture = data_dir("fixtures") / "oneshop" / "order-list.json"
    if fixture.is_file():
        seed = json.loads(fixture.read_text(encoding="utf-8"))
        assert list(seed["data"]["order"]) == SEED_LIST_FIELDS
        assert list(seed["data"]["page"]) == ["total_page", "correct_page", "page_order", "total_order"]


def test_the_page_object_has_the_seeds_keys_in_order(shop):
    assert list(list_orders(shop).body["data"]["page"]) == ["total_page", "correct_page", "page_order", "total_order"]
    assert list(list_orders(shop).body["data"]) == ["order", "page"]


def test_list_shape_object_keys_orders_by_position_like_php(shop):
    as_array = list_orders(shop, page=3).body["data"]["order"]
    shop.admin("POST", f"/oneshop/accounts/{shop.creds_oneshop['appid']}/settings", {"list_shape": "object"})
    answer = list_orders(shop, page=3)
    order = answer.body["data"]["order"]
    assert isinstance(order, dict)
    assert list(order) == [str(i) for i in range(20)]
    assert list(order.values()) == as_array
    assert answer.text.startswith('{"success":0,"data":{"order":{"0":{"order_number"')
    assert items(order) == as_array


def test_list_shape_object_with_an_empty_page_is_an_empty_array_like_json_encode(shop):
    account = new_account(shop, rate_limit=None, list_shape="object")
    assert list_orders(shop, account).body["data"]["order"] == []


def test_list_shape_object_with_one_order_is_keyed_0(shop):
    account = new_account(shop, rate_limit=None, list_shape="object")
    (number,) = add_orders(shop, account["appid"], [{}])
    assert list(list_orders(shop, account).body["data"]["order"]) == ["0"]
    assert list_orders(shop, account).body["data"]["order"]["0"]["order_number"] == number


def test_list_values_match_the_detail(shop):
    for order in list_orders(shop, page=3).body["data"]["order"][:5]:
        full = shop.oneshop(f"order/{order['order_number']}").body["data"]["order"]
        assert {k: full[k] for k in SEED_LIST_FIELDS} == order
