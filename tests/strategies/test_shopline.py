"""shopline_payloads: every documented topic, both flavours, valid against contracts/shopline*/;
built by the sandbox's own generator with Hypothesis drawing every choice; hostile ones hostile."""
from __future__ import annotations

import pytest
from hypothesis import given

from mockserver.shopline import topics
from mockserver.strategies import shopline_payloads, shopline_topics
from tests.strategies.support import FAST, errors, sample, strings

FEW = FAST.__class__(FAST, max_examples=3)  # 47 topics x 2 kinds: a few examples each is plenty


@pytest.mark.parametrize("topic", topics.SEED_TOPICS)
def test_every_topic_gives_valid_payloads(topic):
    validator = topics.validator(topic)

    @FEW
    @given(shopline_payloads(topic), shopline_payloads(topic, hostile=True, huge=2_000))
    def check(plain, hostile):
        for payload in (plain, hostile):
            assert payload["topic"] == topic and payload["event"] == topics.topic(topic).event
            assert errors(validator, payload) == []

    check()


@FAST
@given(shopline_payloads(flavour="global"), shopline_payloads(flavour="global", hostile=True, huge=2_000))
def test_global_bodies_are_valid(plain, hostile):
    for body in (plain, hostile):
        assert errors(topics.global_validator(), body) == []


def test_topics_cover_the_seed_and_the_global_order_topics():
    assert set(sample(shopline_topics(), 400)) == set(topics.SEED_TOPICS)
    assert set(sample(shopline_topics("global"), 60)) == set(topics.GLOBAL_ORDER_BODY_TOPICS)


def test_payloads_are_the_fixture_or_generated_from_it_and_the_same_every_run():
    first = sample(shopline_payloads("order/update", times=(1_795_000_000, 1_795_000_000)), 30)
    assert first == sample(shopline_payloads("order/update", times=(1_795_000_000, 1_795_000_000)), 30)
    fixture = topics.fixture("order/update")
    resources = [p["resource"] for p in first]
    assert fixture["resource"] in resources                       # the seed's example itself
    assert len({repr(r) for r in resources if r != fixture["resource"]}) >= 5  # and varied generated ones
    assert all(p["ts"].startswith("1795000000") and len(p["ts"]) == 19 for p in first)
    assert len({p["trace_id"] for p in first}) > 5 and all(p["trace_id"][14] == "4" for p in first)  # uuid4


def test_hostile_payloads_are_hostile():
    payloads = sample(shopline_payloads("order/create", hostile=True), 40)
    fixture_keys = set(topics.fixture("order/create")["resource"])
    longest = max(len(s) for p in payloads for s in strings(p))
    assert 100_000 <= longest <= 200_000
    assert any(not s.isascii() and not any("\u3400" <= c <= "\u9fff" for c in s) for p in payloads
               for s in strings(p))  # emoji, RTL, combining marks ... not just the seed's Chinese
    assert any(fixture_keys - set(p["resource"]) for p in payloads)  # optional fields left out
    assert any(v == [] for p in payloads for v in p["resource"].values())
    assert any(v in (2**63 - 1, -(2**63), 2**53 + 1) for p in payloads for v in _numbers(p))


def _numbers(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from _numbers(value)
    elif isinstance(node, list):
        for value in node:
            yield from _numbers(value)
    elif isinstance(node, (int, float)) and not isinstance(node, bool):
        yield node


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="flavour"):
        shopline_payloads("order/create", flavour="shopify")
    with pytest.raises(ValueError, match="documents no payload"):
        shopline_payloads("order/split_order")
    with pytest.raises(ValueError, match="no documented global body"):
        shopline_payloads("orders/delete", flavour="global")
    with pytest.raises(topics.UnknownTopic):
        shopline_payloads("order/created")
