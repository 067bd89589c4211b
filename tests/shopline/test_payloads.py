"""Building SHOPLINE webhook payloads: the fixture with a fresh trace_id and ts, RFC 7386 overrides on
the resource, and schema-driven generated payloads that validate and follow their seed."""
from __future__ import annotations

import copy
import re
import uuid

import pytest

from mockserver.shopline import payloads, topics

T0 = 1_795_000_000
HEX24 = re.compile(r"^[0-9a-f]{24}$")
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


def _without_trace(payload: dict) -> dict:
    return {k: v for k, v in payload.items() if k != "trace_id"}


# ---------------------------------------------------------------- default: the fixture
def test_default_payload_is_the_fixture_with_a_fresh_trace_id_and_ts():
    fixture = topics.fixture("order/create")
    payload = payloads.build("order/create", T0 + 0.25)
    assert payload["resource"] == fixture["resource"]
    assert {k: v for k, v in payload.items() if k not in ("trace_id", "ts")} == \
        {k: v for k, v in fixture.items() if k not in ("trace_id", "ts")}
    assert payload["trace_id"] != fixture["trace_id"]
    assert uuid.UUID(payload["trace_id"]).version == 4
    assert payload["ts"] == "1795000000250000000"
    topics.validate("order/create", payload)


def test_every_build_gets_its_own_trace_id_unless_one_is_pinned():
    first, second = payloads.build("user/create", T0), payloads.build("user/create", T0)
    assert first["trace_id"] != second["trace_id"]
    pinned = payloads.build("user/create", T0, trace_id=first["trace_id"])
    assert pinned == first


def test_ts_is_the_sandbox_time_given_in_nanoseconds():
    early, late = payloads.build("invoice/create", T0), payloads.build("invoice/create", T0 + 5.5)
    assert early["ts"] == "1795000000000000000"
    assert int(late["ts"]) - int(early["ts"]) == 5_500_000_000
    assert payloads.ts_ns(1_700_729_042.30136) == "1700729042301360000"


def test_every_documented_topic_builds_a_payload_that_validates():
    for name in topics.SEED_TOPICS:
        payload = payloads.build(name, T0)
        topics.validate(name, payload)
        assert payload["topic"] == name and payload["event"] == topics.TOPICS[name].event


def test_the_receiving_merchant_replaces_the_examples():
    payload = payloads.build("order/cancel", T0, merchant_id="0123456789abcdef01234567", merchant_handle="myshop")
    assert (payload["merchant_id"], payload["merchant_handle"]) == ("0123456789abcdef01234567", "myshop")
    assert "merchant_handle" not in payloads.build("order/create", T0)


def test_building_does_not_change_the_fixture():
    before = topics.fixture("order/cancel")
    payloads.build("order/cancel", T0, overrides={"status": "pending", "subtotal": {"cents": 1}})
    assert topics.fixture("order/cancel") == before


def test_topics_without_a_documented_payload_are_built_and_unknown_ones_refused():
    built = payloads.build("tax/create", T0, seed=1)
    assert built["topic"] == "tax/create" and built["event"] == "Tax"
    assert payloads.source("tax/create").kind == payloads.BUILT
    with pytest.raises(payloads.NotVerbatim):
        payloads.build("tax/create", T0, verbatim=True)
    with pytest.raises(topics.UnknownTopic):
        payloads.build("order/created", T0)


# ---------------------------------------------------------------- overrides (RFC 7386 on resource)
def test_overrides_merge_into_the_resource():
    payload = payloads.build("order/cancel", T0, overrides={"status": "pending", "subtotal": {"cents": 99},
                                                            "note": "新欄位"})
    fixture = topics.fixture("order/cancel")["resource"]
    resource = payload["resource"]
    assert resource["status"] == "pending" and resource["note"] == "新欄位"
    assert resource["subtotal"] == dict(fixture["subtotal"], cents=99)
    assert resource["total"] == fixture["total"]
    assert payload["topic"] == "order/cancel"  # overrides touch the resource only


def test_a_null_override_deletes_the_key():
    payload = payloads.build("order/cancel", T0, overrides={"currency_iso": None, "subtotal": {"label": None}})
    assert "currency_iso" not in payload["resource"]
    assert "label" not in payload["resource"]["subtotal"] and "cents" in payload["resource"]["subtotal"]


def test_an_override_replaces_an_array_whole():
    payload = payloads.build("category/create", T0, overrides={"banner_medias": []})
    assert payload["resource"]["banner_medias"] == []


@pytest.mark.parametrize("target, patch, result", [  # RFC 7386 appendix A
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    (["a", "b"], ["c", "d"], ["c", "d"]),
    ({"a": "b"}, ["c"], ["c"]),
    ({"a": "foo"}, None, None),
    ({"a": "foo"}, "bar", "bar"),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
])
def test_merge_patch_follows_rfc_7386(target, patch, result):
    before_target, before_patch = copy.deepcopy(target), copy.deepcopy(patch)
    assert payloads.merge_patch(target, patch) == result
    assert (target, patch) == (before_target, before_patch)


# ---------------------------------------------------------------- generated payloads
@pytest.mark.parametrize("name", topics.SEED_TOPICS)
def test_generated_payloads_validate_for_every_topic(name):
    for seed in range(4):
        payload = payloads.build(name, T0, generate=True, seed=seed)
        topics.validate(name, payload)
        assert payload["topic"] == name and payload["ts"] == "1795000000000000000"


@pytest.mark.parametrize("name", topics.SEED_TOPICS)
def test_generated_payloads_are_deterministic_per_seed_and_differ_across_seeds(name):
    one = payloads.build(name, T0, generate=True, seed=11)
    again = payloads.build(name, T0, generate=True, seed=11)
    other = payloads.build(name, T0, generate=True, seed=12)
    assert _without_trace(one) == _without_trace(again)
    assert _without_trace(one) != _without_trace(other)
    assert one["resource"] != topics.fixture(name)["resource"]


def test_generated_payloads_without_a_seed_vary():
    a = payloads.build("order/update", T0, generate=True)
    b = payloads.build("order/update", T0, generate=True)
    assert a["resource"] != b["resource"]


def test_generated_values_follow_format_and_name_hints():
    seen = {"email": 0, "null": 0}
    for seed in range(30):
        payload = payloads.build("user/create", T0, generate=True, seed=seed)
        resource = payload["resource"]
        assert HEX24.match(payload["merchant_id"]) and HEX24.match(resource["_id"])
        assert ISO.match(resource["created_at"])
        assert resource["status"] == "active"  # enum-like values stay as documented
        assert 0 <= len(resource["phones"]) <= 3
        if resource["email"] is None:
            seen["null"] += 1
        else:
            assert "@" in resource["email"]
            seen["email"] += 1
        if resource["name"] is not None:
            assert re.search(r"[\u4e00-\u9fff]", resource["name"]), resource["name"]
        money = resource["orders_total_sum"]
        if money is not None:
            assert money["currency_iso"] == "TWD" and money["label"] == f"NT${money['dollars']}"
    assert seen["email"] and seen["null"], "a nullable field is sometimes null, sometimes not"


def test_overrides_apply_to_generated_payloads_too():
    payload = payloads.build("order/cancel", T0, generate=True, seed=3, overrides={"status": "cancelled"})
    assert payload["resource"]["status"] == "cancelled"


# ---------------------------------------------------------------- global flavour
def test_global_default_body_is_the_fixture_and_overrides_merge_into_it():
    assert payloads.build_global() == topics.global_fixture()
    body = payloads.build_global("orders/paid", overrides={"financial_status": "refunded", "tags": None,
                                                           "customer": {"phone": "+886900000000"}})
    assert body["financial_status"] == "refunded" and "tags" not in body
    assert body["customer"]["phone"] == "+886900000000"
    assert body["customer"]["email"] == topics.global_fixture()["customer"]["email"]


def test_global_generated_bodies_validate_and_are_deterministic_per_seed():
    for seed in range(5):
        body = payloads.build_global(generate=True, seed=seed)
        topics.validate_global(body)
        assert body == payloads.build_global(generate=True, seed=seed)
    assert payloads.build_global(generate=True, seed=1) != payloads.build_global(generate=True, seed=2)


def test_global_topics_without_a_documented_body_are_built_and_unknown_ones_refused():
    assert set(payloads.build_global("orders/delete", seed=1)) == {"id"}
    assert payloads.global_source("orders/delete").kind == payloads.BUILT
    with pytest.raises(payloads.NotVerbatim):
        payloads.build_global("orders/delete", verbatim=True)
    with pytest.raises(topics.UnknownTopic):
        payloads.build_global("order/create")
