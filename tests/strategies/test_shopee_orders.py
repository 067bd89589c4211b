"""shopee_order_specs / shopee_order_batches: valid `ExplicitOrder`s for every status and region,
accepted by the sandbox as they are (201, every order made with its status and create_time)."""
from __future__ import annotations

import pytest
from hypothesis import given

from mockserver.strategies import order_statuses, shopee_order_batches, shopee_order_specs, shopee_regions
from mockserver.strategies.locales import REGION_LOCALES
from tests.conftest import T0
from tests.strategies.support import FAST, admin_validator, errors, sample, strings

FEW = FAST.__class__(FAST, max_examples=6)
ALL_STATUSES = ("UNPAID", "INVOICE_PENDING", "READY_TO_SHIP", "PROCESSED", "RETRY_SHIP", "SHIPPED",
                "TO_CONFIRM_RECEIVE", "COMPLETED", "IN_CANCEL", "CANCELLED", "TO_RETURN")
DAY = 86400


def _shop(sandbox, region: str) -> int:
    if region == "TW":
        return sandbox.creds["shop_id"]
    answer = sandbox.admin("POST", "/shopee/shops", {"region": region})
    assert answer.status == 201, answer.text
    return answer.body["shop_id"]


def test_regions_and_statuses_come_from_the_contract():
    assert set(sample(shopee_regions(), 80)) == set(REGION_LOCALES)
    assert order_statuses("BR") == ALL_STATUSES
    assert order_statuses("TW") == order_statuses() == tuple(s for s in ALL_STATUSES if s != "INVOICE_PENDING")


@pytest.mark.parametrize("status", ALL_STATUSES)
def test_specs_of_every_status_match_the_contract(status):
    region = "BR" if status == "INVOICE_PENDING" else None

    @FEW
    @given(shopee_order_specs(statuses=[status], create_time=(T0 - DAY, T0), region=region),
           shopee_order_specs(statuses=[status], region=region, hostile=True, huge=2_000))
    def check(plain, hostile):
        assert plain["status"] == status and T0 - DAY <= plain["create_time"] <= T0
        assert hostile.get("status", "UNPAID") == status
        for spec in (plain, hostile):
            assert errors(admin_validator("ExplicitOrder"), spec) == []

    check()


def test_default_statuses_leave_invoice_pending_to_brazil():
    assert "INVOICE_PENDING" not in {s["status"] for s in sample(shopee_order_specs(), 30)}
    assert "INVOICE_PENDING" in {s["status"] for s in sample(shopee_order_specs(region="BR"), 60)}


@pytest.mark.parametrize("region", ["TW", "BR", "ID"])
def test_batches_are_accepted_by_the_sandbox(sandbox, region):
    shop_id = _shop(sandbox, region)

    @FEW
    @given(shopee_order_batches(min_size=1, max_size=25, start=T0 - 30 * DAY, end=T0, region=region))
    def post(batch):
        answer = sandbox.admin("POST", f"/shopee/shops/{shop_id}/orders", {"orders": batch})
        assert answer.status == 201, answer.text[:500]
        assert answer.body["created"] == len(batch) == len(answer.body["order_sns"])
        for spec, order_sn in list(zip(batch, answer.body["order_sns"], strict=True))[:: max(1, len(batch) // 3)]:
            view = sandbox.admin("GET", f"/shopee/orders/{order_sn}").body
            assert (view["status"], view["create_time"]) == (spec["status"], spec["create_time"])
            assert [i["item_name"] for i in view["items"]] == [i["item_name"] for i in spec["items"]]

    post()


def test_hostile_batches_are_accepted_by_the_sandbox(sandbox):
    shop_id = _shop(sandbox, "TW")

    @FEW
    @given(shopee_order_batches(min_size=1, max_size=15, start=T0 - 30 * DAY, end=T0, region="TW", hostile=True))
    def post(batch):
        answer = sandbox.admin("POST", f"/shopee/shops/{shop_id}/orders", {"orders": batch})
        assert answer.status == 201, answer.text[:500]
        assert answer.body["created"] == len(batch)
        view = sandbox.admin("GET", f"/shopee/orders/{answer.body['order_sns'][0]}").body
        assert view["items"][0]["item_name"] == batch[0]["items"][0].get("item_name", "Sandbox item")

    post()


def test_hostile_specs_are_hostile():
    specs = sample(shopee_order_specs(hostile=True, create_time=(T0 - DAY, T0)), 60)
    texts = [s for spec in specs for s in strings(spec)]
    assert 100_000 <= max(map(len, texts)) <= 200_000
    assert any(not t.isascii() for t in texts)
    # Only an UNPAID spec may leave its status out (the contract's default), half of the time: with
    # every status drawn, 60 specs miss it about one time in twenty, and which time depends on the
    # constants Hypothesis collects from the modules loaded (a new module anywhere moves it).
    unpaid = sample(shopee_order_specs(hostile=True, statuses=("UNPAID",), create_time=(T0 - DAY, T0)), 20)
    assert any("status" not in spec for spec in unpaid)
    assert any("price" not in item or "item_name" not in item for spec in specs for item in spec["items"])
    quantities = {item.get("quantity") for spec in specs for item in spec["items"]}
    prices = {item.get("price") for spec in specs for item in spec["items"]}
    assert {1, 1_000_000} <= quantities and {0.01, 1e9} <= prices
    assert {T0 - DAY, T0} <= {spec["create_time"] for spec in specs}


def test_names_follow_the_regions_locale():
    thai = sample(shopee_order_specs(region="TH"), 20)
    assert all(any("\u0e00" <= c <= "\u0e7f" for c in spec["items"][0]["item_name"]) for spec in thai)
    taiwan = sample(shopee_order_specs(region="TW"), 20)
    assert all(any("\u4e00" <= c <= "\u9fff" for c in spec["items"][0]["item_name"]) for spec in taiwan)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="unknown Shopee region"):
        shopee_order_specs(region="US")
    with pytest.raises(ValueError, match="statuses should be among"):
        shopee_order_specs(statuses=["PAID"])
    with pytest.raises(ValueError, match="empty time range"):
        shopee_order_batches(start=T0, end=T0 - 1)
