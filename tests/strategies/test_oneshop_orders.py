"""oneshop_order_specs / oneshop_order_batches: valid `OneshopExplicitOrder`s with every code and
status of the contract, accepted by the sandbox as they are; hostile ones hostile and accepted too."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mockserver.strategies import oneshop_order_batches, oneshop_order_specs
from mockserver.strategies.common import admin_enum
from mockserver.strategies.oneshop import CHOICES
from tests.conftest import T0
from tests.strategies.support import FAST, admin_validator, errors, sample, strings

FEW = FAST.__class__(FAST, max_examples=8)
DAY = 86400


@pytest.fixture(scope="module")
def specs() -> list[dict]:
    return sample(oneshop_order_specs(create_time=(T0 - DAY, T0)), 120)


def test_specs_match_the_contract(specs):
    validator = admin_validator("OneshopExplicitOrder")
    assert [e for spec in specs[:60] for e in errors(validator, spec)] == []


def _every(field: str, enum: str) -> st.SearchStrategy[list[dict]]:
    """One spec per value of the enum, pinned with the strategy's own argument."""
    argument = {"payment": "payments", "logistic": "logistics"}.get(field, field.replace("status", "statuses"))
    return st.tuples(*[oneshop_order_specs(create_time=(T0 - DAY, T0), **{argument: [value]})
                       for value in admin_enum(enum)]).map(list)


def test_specs_of_every_code_and_status_are_accepted(sandbox):
    """Every payment and logistic code and every status, in one batch per example."""
    appid = sandbox.creds_oneshop["appid"]
    every = st.tuples(*[_every(field, enum) for field, enum in CHOICES.items()]).map(
        lambda parts: [spec for part in parts for spec in part])

    @FAST.__class__(FAST, max_examples=3)
    @given(every)
    def post(batch):
        seen = {field: {spec[field] for spec in batch} for field in CHOICES}
        assert seen == {field: set(admin_enum(enum)) for field, enum in CHOICES.items()}
        answer = sandbox.admin("POST", f"/oneshop/accounts/{appid}/orders", {"orders": batch})
        assert answer.status == 201, answer.text[:500]
        assert answer.body["created"] == len(batch) == 61

    post()


def test_specs_draw_from_the_whole_enum_by_default(specs):
    for field, enum in CHOICES.items():
        assert {spec[field] for spec in specs} <= set(admin_enum(enum))
        assert len({spec[field] for spec in specs}) >= len(admin_enum(enum)) // 2, field


def test_cart_lines_of_every_kind_keep_the_kind_rules(specs):
    lines = [line for spec in specs for line in spec["products"]]
    assert {line["product_type"] for line in lines} == {"single", "bundle", "charge"}
    for line in lines:
        assert ("bundle" in line) == (line["product_type"] == "bundle")
        assert ("sku" in line) == (line["product_type"] == "single")
    assert any(spec["custom_fields"] for spec in specs)


def test_batches_are_accepted_by_the_sandbox(sandbox):
    appid = sandbox.creds_oneshop["appid"]

    @FEW
    @given(oneshop_order_batches(min_size=1, max_size=25, start=T0 - 30 * DAY, end=T0))
    def post(batch):
        answer = sandbox.admin("POST", f"/oneshop/accounts/{appid}/orders", {"orders": batch})
        assert answer.status == 201, answer.text[:500]
        assert answer.body["created"] == len(batch) == len(answer.body["order_numbers"])
        spec, number = batch[-1], answer.body["order_numbers"][-1]
        order = sandbox.admin("GET", f"/oneshop/orders/{number}").body["detail"]["order"]
        for name in ("payment", "logistic", "progress_status", "payment_status", "logistic_status", "name"):
            assert order[name] == spec[name], name

    post()


def test_hostile_batches_are_accepted_by_the_sandbox(sandbox):
    appid = sandbox.creds_oneshop["appid"]
    validator = admin_validator("OneshopExplicitOrder")

    @FEW
    @given(oneshop_order_batches(min_size=1, max_size=6, start=T0 - 30 * DAY, end=T0, hostile=True))
    def post(batch):
        assert [e for spec in batch for e in errors(validator, spec)] == []
        answer = sandbox.admin("POST", f"/oneshop/accounts/{appid}/orders", {"orders": batch})
        assert answer.status == 201, answer.text[:500]
        assert answer.body["created"] == len(batch)

    post()


def test_hostile_specs_are_hostile():
    texts = [s for spec in sample(oneshop_order_specs(hostile=True), 12) for s in strings(spec)]
    assert 100_000 <= max(map(len, texts)) <= 200_000
    assert any(not t.isascii() for t in texts)
    # Shapes, on more examples with short strings (the rare ones, maxItems, come one time in ten).
    specs = sample(oneshop_order_specs(hostile=True, huge=200), 100)
    assert all(spec["name"].strip() for spec in specs if "name" in spec)  # never blank: the sandbox refuses it
    assert any("payment" not in spec and "email" not in spec for spec in specs)
    assert any(len(spec["products"]) == 500 for spec in specs)
    assert any(len(spec.get("custom_fields", ())) == 50 for spec in specs)
    assert any(spec.get("custom_fields") == [] for spec in specs)
    assert any(len(line.get("bundle", ())) == 100 for spec in specs for line in spec["products"])
    assert {0, 100_000_000} <= {line["per_cost"] for spec in specs for line in spec["products"]}


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="payment values should be among"):
        oneshop_order_specs(payments=["bitcoin"])
    with pytest.raises(ValueError, match="max_products"):
        oneshop_order_specs(max_products=0)
