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


@pytest.mark.parametrize("name", sorted(n for n in topics.subscribable_topics() if topics.TOPICS[topics.canonical(n)].documented))
def test_every_documented_example_is_written_as_the_varied_document_would_be(name):
    """render(): the body and the text its sign covers, byte for byte those of orjson.dumps and
    signing.canonical_json over the document the walks make."""
    import orjson

    from mockserver.shopline import signing

    name = topics.canonical(name)
    for merchant, handle in ((None, None), ("5f1a2b3c4d5e6f7a8b9c0d1e", "my-shop")):
        plan = make_plan(payloads._example_enveloped(name, merchant, handle))
        rendered = plan.render("trace", payloads.ts_ns(NOW), random.Random(3), NOW)
        document = walked(name, merchant, handle, random.Random(3))
        assert rendered is not None
        assert rendered[0] == orjson.dumps(document)
        assert rendered[1] == signing.canonical_json(document).encode("utf-8")


def test_a_string_holding_the_marker_cannot_be_mistaken_for_a_hole():
    from mockserver.shopline import example_template

    document = {"a": "\x01shop-sandbox-hole-0\x01", "b": "x"}
    assert example_template.templates(document, [("b",)], [0]) is None  # refused, never a wrong text
    compact, canonical = example_template.templates({"b": "x", "a": 1.5}, [("b",)], [0])
    written = example_template.encode(['he said "hi"\n'])
    assert compact.render(written) == b'{"b":"he said \\"hi\\"\\n","a":1.5}'
    assert canonical.render(written) == b'{"a":1.5,"b":"he said \\"hi\\"\\n"}'


def test_a_trigger_signs_the_body_it_sends():
    """The emitter's fast path: the sign on the URL is over the body that is delivered."""
    from mockserver.app import create_app
    from mockserver.settings import Settings
    from mockserver.shopline import signing

    app = create_app(Settings(seed=7))
    store = app.extensions["shop_sandbox"]
    client = app.test_client()
    client.post("/_sandbox/clock", json={"freeze": True})
    answer = client.post("/_sandbox/shopline/trigger", json={"topic": "order/create", "to": "http://127.0.0.1:9/x"})
    assert answer.status_code == 200, answer.get_json()
    delivery = store.webhooks.delivery(answer.get_json()["deliveries"][0]["id"])
    sign = delivery.url.rsplit("sign=", 1)[1]
    world = store.backend("shopline")
    secret = world.apps[world.default_app_id].app_secret
    timestamp = delivery.headers[signing.TIMESTAMP_HEADER]
    assert signing.open_api_verify(secret, timestamp, delivery.body, sign)
    assert not signing.open_api_verify(secret, timestamp, delivery.body.replace(b"order", b"ordeR", 1), sign)


@pytest.mark.parametrize("later", [0.0, 0.0004, 0.0011, 0.9991, 1.0, 86_400.5])
def test_events_a_moment_apart_move_their_times_as_the_walk_does(later):
    """A plan reuses the moved times of its last event while the shift shows the same (to the
    millisecond, for order/create's times): events at NOW and just after carry the walk's times."""
    name = topics.canonical("order/create")
    plan = make_plan(payloads._example_enveloped(name, None, None))
    assert plan.time_grain == 1000  # its times are written to the millisecond
    for now in (NOW, NOW + later, NOW + later):
        texts = plan.changed(random.Random(5), now)
        walked_resource = variation.shift_times(variation.vary_ids(
            payloads._example_enveloped(name, None, None)["resource"], random.Random(5),
            variation.merchant_refs(payloads._example_enveloped(name, None, None))[0]), now)
        expected = set(variation._strings(walked_resource))
        assert set(texts) <= expected
