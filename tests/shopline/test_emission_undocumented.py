"""Issue 12, point 10: everything that can be subscribed can be triggered. A topic SHOPLINE documents no
payload for is built from a schema (mockserver/shopline/undocumented.py), valid against it, and the
delivery says so (meta.payload, meta.note, the trigger's answer); application/uninstall, the topic of
the reference's signing vector, is subscribable and sends that vector's resource."""
from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from mockserver.shopline import payloads, topics, undocumented
from tests.shopline.emission_support import creds, delivery, flush, subscribe, subscribe_global, trigger
from tests.shopline.test_emission_openapi import verify

# Reference A's known-answer vector body (shopline.md), compact with sorted keys as it is signed.
VECTOR_BODY = ('{"event":"Application","merchant_id":"5dad5d2604515400018dcc90","resource":{"_id":'
               '"607fd9c2ff790b001cd23353","merchant_id":"5dad5d2604515400018dcc90","updated_at":'
               '"2021-04-21T08:36:17.892Z"},"topic":"application/uninstall"}')
UNDOCUMENTED = [t for t in topics.TOPICS if not topics.TOPICS[t].documented]


def test_every_subscribable_open_api_topic_is_delivered_and_valid(sandbox, inbox):
    c = creds(sandbox)["openapi"]
    names = list(topics.SEED_TOPICS + topics.EXTRA_TOPICS + topics.REFERENCE_TOPICS)
    subscribe(sandbox, inbox, names)
    queued = {name: trigger(sandbox, topic=name)["deliveries"] for name in names}
    assert all(len(q) == 1 for q in queued.values()), {n: q for n, q in queued.items() if len(q) != 1}
    result = flush(sandbox)
    assert result["succeeded"] == len(names) and result["failed"] == 0
    received = {verify(c["app_secret"], r)["topic"]: verify(c["app_secret"], r) for r in inbox.requests("/hook")[1:]}
    assert sorted(received) == sorted(names)
    for name in UNDOCUMENTED:
        payload = received[name]
        errors = list(Draft202012Validator(payloads.schema_of(name)).iter_errors(payload))
        assert not errors, (name, errors[0].message)
        assert payload["event"] == topics.TOPICS[name].event and payload["merchant_id"] == c["merchant_id"]


@pytest.mark.parametrize("name", [t for t in UNDOCUMENTED if t != "application/uninstall"])
def test_a_built_payload_says_so_in_the_delivery(sandbox, name):
    answer = trigger(sandbox, topic=name, to="http://127.0.0.1:9/hook", seed=5)
    queued, = answer["deliveries"]
    schema = f"contracts/{undocumented.openapi_source(name)}"
    assert queued["payload"] == {"source": "built", "schema": schema, "seed": 5}
    assert queued["note"] == f"SHOPLINE documents no payload for {name}: the sandbox built this one from {schema}"
    view = delivery(sandbox, queued["id"])
    assert view["meta"]["payload"] == queued["payload"] and view["meta"]["note"] == queued["note"]
    assert "note" not in json.loads(view["body"]) and not any("sandbox" in h.lower() for h in view["headers"])
    # The same seed builds the same resource; another seed another one.
    again, = trigger(sandbox, topic=name, to="http://127.0.0.1:9/hook", seed=5)["deliveries"]
    other, = trigger(sandbox, topic=name, to="http://127.0.0.1:9/hook", seed=6)["deliveries"]
    resource = lambda d: json.loads(delivery(sandbox, d["id"])["body"])["resource"]  # noqa: E731
    assert resource(again) == resource(queued) != resource(other)


def test_a_documented_example_is_marked_as_one(sandbox):
    queued, = trigger(sandbox, topic="order/create", to="http://127.0.0.1:9/hook")["deliveries"]
    assert queued["payload"] == {"source": "example", "example": "fixtures/shopline/order/create.json"}
    assert "note" not in queued


def test_application_uninstall_is_subscribable_and_sends_the_vectors_resource(sandbox, inbox):
    c = creds(sandbox)["openapi"]
    subscribe(sandbox, inbox, ["application/uninstall"])
    queued, = trigger(sandbox, topic="application/uninstall")["deliveries"]
    assert queued["payload"]["source"] == "example" and "note" not in queued
    flush(sandbox)
    payload = verify(c["app_secret"], inbox.requests("/hook")[-1])
    vector = json.loads(VECTOR_BODY)
    assert payload["event"] == "Application" and payload["topic"] == "application/uninstall"
    assert set(payload["resource"]) == set(vector["resource"])
    assert payload["resource"]["merchant_id"] == payload["merchant_id"] == c["merchant_id"]  # the subscriber's
    assert payload["resource"]["_id"] != vector["resource"]["_id"]  # a fresh event


def test_application_uninstall_verbatim_is_the_vector_byte_for_byte(sandbox, inbox):
    verbatim, = trigger(sandbox, topic="application/uninstall", to=inbox.url_for("/v"), verbatim=True)["deliveries"]
    assert verbatim["payload"] == {"source": "verbatim", "example": "reference/shopline.md (signing vector)"}
    flush(sandbox)
    body = inbox.requests("/v")[-1].body
    assert json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")) == VECTOR_BODY


@pytest.mark.parametrize("topic", [t for t in topics.GLOBAL_TOPICS if t not in topics.GLOBAL_ORDER_BODY_TOPICS])
def test_every_global_topic_can_be_subscribed_and_triggered(sandbox, inbox, topic):
    subscribe_global(sandbox, inbox.url_for("/g"), topic)
    queued, = trigger(sandbox, topic=topic, flavour="global")["deliveries"]
    assert queued["payload"]["source"] == "built" and topic in queued["note"]
    flush(sandbox)
    received = inbox.requests("/g")[-1]
    assert received.header("X-Shopline-Topic") == topic
    body = received.json()
    errors = list(Draft202012Validator(undocumented.global_schema(topic)).iter_errors(body))
    assert not errors, errors[0].message
    if topic.endswith("/delete"):
        assert set(body) == {"id"} and body["id"].isdigit()  # the deleted resource, by its id
    view = delivery(sandbox, queued["id"])
    assert view["meta"]["note"] == queued["note"]
