"""What a SHOPLINE webhook carries, before signing and delivery.

Four ways to make a payload (`Source.kind`):
- "verbatim": the documented example byte for byte (a fixture; application/uninstall: the
  reference's signing vector), nothing changed, nothing merged.
- "example" (the default): the documented example as a fresh event: fresh trace_id and ts, the
  receiving merchant's references, new ids and times that end at the sandbox's now
  (variation.py); global order topics made consistent with their topic (global_orders.py).
- "generated" (`generate`): a varied payload from the topic's schema and Faker, deterministic for
  a seed.
- "built": a topic SHOPLINE documents no payload for, generated from the schema undocumented.py
  names; the delivery says so.
In every kind but verbatim, `overrides` are JSON-merge-patched (RFC 7386) into `resource` (Open
API) or the body (global): objects merge, null deletes a key, anything else replaces. Every number
is then canonical (numbers.py): the same text in Python and JavaScript.
"""
from __future__ import annotations

import copy
import random
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import orjson

from mockserver.shopline import example_plan, global_orders, numbers, topics, undocumented, variation
from mockserver.shopline.generate import fake

VERBATIM, EXAMPLE, GENERATED, BUILT = "verbatim", "example", "generated", "built"
# Open API order topics whose name says the order's status (seed 004: order/cancel prints
# "cancelled", order/pending "pending"); a generated order of these topics carries it.
ORDER_STATUS = {"order/cancel": "cancelled", "order/complete": "completed", "order/confirm": "confirmed",
                "order/pending": "pending"}


class NotVerbatim(ValueError):
    """Verbatim was asked for a topic without a documented example, or together with changes."""


@dataclass(frozen=True)
class Source:
    """Where a payload comes from, for the delivery's meta and the trigger's answer."""

    kind: str
    schema: str | None = None  # contracts/ path (and part) it was generated from
    seed: int | None = None
    example: str | None = None  # fixtures/ path, or the reference, of the example it came from
    note: str | None = None  # said in the delivery log when the payload is not SHOPLINE's own example

    def view(self) -> dict[str, Any]:
        return {k: v for k, v in {"source": self.kind, "schema": self.schema, "seed": self.seed,
                                  "example": self.example}.items() if v is not None}


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON Merge Patch; returns a new document (neither argument is changed)."""
    if not isinstance(patch, Mapping):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, Mapping) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return {k: copy.deepcopy(v) for k, v in result.items()}


def ts_ns(now: float) -> str:
    """The envelope's `ts`: nanoseconds since the epoch as a decimal string."""
    return str(round(now * 1_000_000) * 1000)  # the sandbox clock is a float: microseconds are exact


def _seed(seed: int | None) -> int:
    # No seed asked: a varied payload each time (SystemRandom does not touch any seeded RNG).
    return random.SystemRandom().getrandbits(32) if seed is None else seed


# ---- Open API --------------------------------------------------------------------------------------
def source(topic: str, *, generate: bool = False, verbatim: bool = False, seed: int | None = None) -> Source:
    """How an Open API payload of `topic` is made (raises NotVerbatim, topics.UnknownTopic)."""
    name = topics.canonical(topic)
    documented = topics.TOPICS[name].documented
    example = (f"fixtures/{topics.fixture_relative(name)}" if documented
               else "reference/shopline.md (signing vector)" if undocumented.openapi_example(name) else None)
    if verbatim:
        if example is None:
            raise NotVerbatim(f"SHOPLINE documents no example of {name}")
        if generate:
            raise NotVerbatim("verbatim sends the documented example: it cannot be generated too")
        return Source(VERBATIM, example=example)
    if example is not None and not generate:
        return Source(EXAMPLE, example=example)
    if documented:
        return Source(GENERATED, schema=f"contracts/{topics.schema_relative(name)}", seed=_seed(seed))
    schema = f"contracts/{undocumented.openapi_source(name)}"
    note = (f"SHOPLINE documents no payload for {name}: the sandbox built this one from {schema}"
            if example is None else None)
    return Source(BUILT if example is None else GENERATED, schema=schema, seed=_seed(seed), note=note)


def schema_of(topic: str) -> dict[str, Any]:
    """The envelope schema a payload of `topic` matches (documented, or the one it was built from)."""
    name = topics.canonical(topic)
    return topics.schema(name) if topics.TOPICS[name].documented else undocumented.openapi_schema(name)


def _example(name: str) -> dict[str, Any]:
    return topics.fixture(name) if topics.TOPICS[name].documented else undocumented.openapi_example(name) or {}


def build(topic: str, now: float, *, overrides: Mapping[str, Any] | None = None, generate: bool = False,
          seed: int | None = None, trace_id: str | None = None, merchant_id: str | None = None,
          merchant_handle: str | None = None, verbatim: bool = False, vary: random.Random | None = None,
          made: Source | None = None) -> dict[str, Any]:
    """The JSON document of one Open API webhook for `topic` (an alias is emitted by its canonical name).

    now: the sandbox time in seconds (becomes `ts`, and the latest time of a varied example).
    trace_id: fresh uuid4 unless given (a resend keeps its trace_id). merchant_id / merchant_handle:
    the receiving merchant (envelope and the resource's references), else the example's.
    vary: the RNG that draws new ids for an example (None: the example's ids and times are kept).
    made: the Source already decided (source()), else decided here.
    Raises topics.UnknownTopic for a topic SHOPLINE does not list, NotVerbatim (see source()).
    """
    name = topics.canonical(topic)
    made = made or source(name, generate=generate, verbatim=verbatim, seed=seed)
    if made.kind == VERBATIM:
        if overrides:
            raise NotVerbatim("verbatim sends the documented example as it is: overrides cannot apply")
        return _example(name)
    trace_id = trace_id or str(uuid.uuid4())
    if made.kind == EXAMPLE and vary is not None:
        # The varied example: prepared once per merchant, then only what varies is changed.
        plan = example_plan.plan_for(name, merchant_id, merchant_handle, _example_enveloped)
        payload = orjson.loads(plan.payload)
        payload["trace_id"], payload["ts"] = trace_id, ts_ns(now)
        payload["resource"] = plan.resource(payload, vary, now)
        if not overrides:
            return payload  # canonical already: the plan's numbers are, and only strings changed
    elif made.kind == EXAMPLE:
        payload = _example_enveloped(name, merchant_id, merchant_handle, trace_id, ts_ns(now))
    else:
        hint = topics.fixture(name) if topics.TOPICS[name].documented else None
        payload = fake(schema_of(name), _seed(made.seed), example=hint)
        if name in ORDER_STATUS and isinstance(payload.get("resource"), dict) and "status" in payload["resource"]:
            payload["resource"]["status"] = ORDER_STATUS[name]
        payload = _envelope(payload, name, merchant_id, merchant_handle, trace_id, ts_ns(now))
    if overrides:
        payload["resource"] = merge_patch(payload.get("resource"), overrides)
    return numbers.canonical(payload)


def build_text(topic: str, now: float, *, trace_id: str, merchant_id: str | None, merchant_handle: str | None,
               vary: random.Random, made: Source) -> tuple[bytes, bytes] | None:
    """What build(topic, now, vary=vary, made=made, ...) without overrides returns, as its text
    (orjson.dumps) and its text with keys sorted at every depth (signing.canonical_json), written
    straight from the example's plan; None unless the payload is a varied example (then build it)."""
    if made.kind != EXAMPLE:
        return None
    plan = example_plan.plan_for(topics.canonical(topic), merchant_id, merchant_handle, _example_enveloped)
    return plan.render(trace_id, ts_ns(now), vary, now)


def _example_enveloped(name: str, merchant_id: str | None, merchant_handle: str | None,
                       trace_id: str = "", ts: int = 0) -> dict[str, Any]:
    """The topic's example in its envelope, naming the receiving merchant (ids and times as documented)."""
    return _envelope(_example(name), name, merchant_id, merchant_handle, trace_id, ts)


def _envelope(payload: dict[str, Any], name: str, merchant_id: str | None, merchant_handle: str | None,
              trace_id: str, ts: int) -> dict[str, Any]:
    payload["topic"] = name
    payload["event"] = topics.TOPICS[name].event
    payload["trace_id"] = trace_id
    payload["ts"] = ts
    if merchant_id is not None:
        payload = variation.rebrand(payload, merchant_id, merchant_handle)
    elif merchant_handle is not None:
        payload["merchant_handle"] = merchant_handle
    if payload.get("merchant_handle") is None:
        payload.pop("merchant_handle", None)  # optional: absent rather than null
    return payload


# ---- global ----------------------------------------------------------------------------------------
def global_source(topic: str, *, generate: bool = False, verbatim: bool = False, seed: int | None = None) -> Source:
    """How a global body of `topic` is made (raises NotVerbatim, topics.UnknownTopic)."""
    if topic not in topics.GLOBAL_TOPICS:
        raise topics.UnknownTopic(topic)
    fixture = f"fixtures/{topics.GLOBAL_FIXTURE}"
    if topic in topics.GLOBAL_ORDER_BODY_TOPICS:
        note = None if topic == "orders/updated" else (
            f"seed 002 documents the order body for orders/updated only: this is that order made "
            f"consistent with {topic}")
        if verbatim:
            if topic != "orders/updated" or generate:
                raise NotVerbatim(f"seed 002 documents no example of {topic} (its body is the orders/updated "
                                  "example made consistent with the topic)" if topic != "orders/updated"
                                  else "verbatim sends the documented example: it cannot be generated too")
            return Source(VERBATIM, example=fixture)
        if generate:
            return Source(GENERATED, schema=f"contracts/{topics.GLOBAL_SCHEMA}", seed=_seed(seed), note=note)
        return Source(EXAMPLE, example=fixture, note=note)
    if verbatim:
        raise NotVerbatim(f"SHOPLINE documents no body for the global topic {topic}")
    schema = f"contracts/{undocumented.global_source(topic)}"
    return Source(BUILT, schema=schema, seed=_seed(seed),
                  note=f"SHOPLINE documents no body for the global topic {topic}: the sandbox built this one from {schema}")


def build_global(topic: str = "orders/updated", *, overrides: Mapping[str, Any] | None = None,
                 generate: bool = False, seed: int | None = None, verbatim: bool = False,
                 vary: random.Random | None = None, now: float | None = None, shop_id: str | None = None,
                 shop_domain: str | None = None, made: Source | None = None) -> dict[str, Any]:
    """The body of a global-flavour webhook: the order itself for the order topics (consistent with
    the topic), else the resource undocumented.py describes.

    vary: RNG for new ids of an example (None: kept); now: the sandbox time the body's latest time
    moves to (None: times kept); shop_id / shop_domain: the sending shop (store_id and the shop's
    URLs). Raises topics.UnknownTopic, NotVerbatim."""
    made = made or global_source(topic, generate=generate, verbatim=verbatim, seed=seed)
    if made.kind == VERBATIM:
        if overrides:
            raise NotVerbatim("verbatim sends the documented example as it is: overrides cannot apply")
        return topics.global_fixture()
    rng = vary or random.Random(f"{topic}:{made.seed}")
    if topic in topics.GLOBAL_ORDER_BODY_TOPICS:
        example = topics.global_fixture()
        body = example if made.kind == EXAMPLE else fake(topics.global_schema(), _seed(made.seed), example=example)
        global_orders.shape(body, topic, rng, keep_state=made.kind == EXAMPLE)
        if shop_id is not None:
            body = _rebrand_shop(body, shop_id, shop_domain)
    else:
        body = fake(undocumented.global_schema(topic), _seed(made.seed), example=_global_hint(topic))
    if made.kind == EXAMPLE and vary is not None:
        body = variation.vary_ids(body, vary, keep=[body.get("store_id")] if body.get("store_id") else [])
    if now is not None:
        body = variation.shift_times(body, now)
    if overrides:
        body = merge_patch(body, overrides)
    return numbers.canonical(body)


def _global_hint(topic: str) -> Any:
    fixture = topics.global_fixture()
    return {"customers/create": fixture["customer"], "customers/update": fixture["customer"]}.get(topic)


def _rebrand_shop(body: dict[str, Any], shop_id: str, domain: str | None) -> dict[str, Any]:
    """The order of the sending shop: store_id, and the example shop's id and domain in its URLs."""
    old_id = body.get("store_id")
    old_domain = urlsplit(body.get("order_status_url") or "").hostname

    def change(text: str) -> str:
        if isinstance(old_id, str) and old_id and old_id != shop_id:
            text = text.replace(old_id, shop_id)
        if domain and old_domain and old_domain != domain:
            text = text.replace(old_domain, domain)
        return text

    body = variation.map_strings(body, change)
    body["store_id"] = shop_id
    return body
