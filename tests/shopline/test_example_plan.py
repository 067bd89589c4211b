"""The prepared example (shopline/example_plan.py) varies a payload exactly as the walks over the
whole document (variation.vary_ids, then shift_times) do: same ids drawn, same times, same bytes."""
from __future__ import annotations

import random

import pytest

from mockserver.shopline import numbers, payloads, topics, variation
from mockserver.shopline.example_plan import make_plan

NOW = 1_795_000_000.25


def walked(name: str, merchant_id: str | None, handle: str | None, rng: random.Random) -> dict:
    """The payload as build() made it before plans: every step over the whole document."""
    payload = payloads._example_enveloped(name, merchant_id, handle, "trace", payloads.ts_ns(NOW))
    keep = variation.merchant_refs(payload)[0]
    payload["resource"] = variation.shift_times(variation.vary_ids(payload.get("resource"), rng, keep), NOW)
    return numbers.canonical(payload)


def planned(name: str, merchant_id: str | None, handle: str | None, rng: random.Random) -> dict:
    plan = make_plan(payloads._example_enveloped(name, merchant_id, handle))
    import orjson
    payload = orjson.loads(plan.payload)
    payload["trace_id"], payload["ts"] = "trace", payloads.ts_ns(NOW)
    payload["resource"] = plan.resource(payload, rng, NOW)
    return payload


@pytest.mark.parametrize("name", sorted(n for n in topics.subscribable_topics() if topics.TOPICS[topics.canonical(n)].documented))
def test_every_documented_example_varies_alike(name):
    name = topics.canonical(name)
    for merchant, handle in ((None, None), ("5f1a2b3c4d5e6f7a8b9c0d1e", "my-shop")):
        one, two = random.Random(3), random.Random(3)
        assert planned(name, merchant, handle, one) == walked(name, merchant, handle, two)
        assert list(_keys(planned(name, merchant, handle, random.Random(4)))) == \
            list(_keys(walked(name, merchant, handle, random.Random(4))))
        assert one.random() == two.random()  # the same draws were made


def _keys(document, path=""):
    if isinstance(document, dict):
        for key, value in document.items():
            yield f"{path}.{key}"
            yield from _keys(value, f"{path}.{key}")
    elif isinstance(document, list):
        for index, value in enumerate(document):
            yield from _keys(value, f"{path}[{index}]")


def test_two_events_of_one_example_differ_in_ids_and_share_the_plan():
    rng = random.Random(1)
    first = payloads.build("order/create", NOW, merchant_id="m1", vary=rng)
    second = payloads.build("order/create", NOW, merchant_id="m1", vary=rng)
    assert first["resource"] != second["resource"]
    assert first["merchant_id"] == second["merchant_id"] == "m1"
