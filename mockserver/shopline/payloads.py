"""What a SHOPLINE webhook carries, before signing and delivery.

Open API flavour (`build`): by default the topic's fixture (seed 004's example) with a fresh
trace_id (uuid4) and ts (nanoseconds since the epoch, as a string, from the sandbox time given);
with `generate`, a varied payload from the topic's schema and Faker, deterministic for a seed. In
both, `overrides` are JSON-merge-patched (RFC 7386) into `resource`: objects merge, null deletes
a key, anything else replaces.

Global flavour (`build_global`): the body is the order itself (seed 002), no envelope; the same
three ways to make it, overrides merged into the body.
"""
from __future__ import annotations

import copy
import random
import uuid
from collections.abc import Mapping
from typing import Any

from mockserver.shopline import topics
from mockserver.shopline.generate import fake


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


def build(topic: str, now: float, *, overrides: Mapping[str, Any] | None = None, generate: bool = False,
          seed: int | None = None, trace_id: str | None = None, merchant_id: str | None = None,
          merchant_handle: str | None = None) -> dict[str, Any]:
    """The JSON document of one Open API webhook for `topic` (an alias is emitted by its canonical name).

    now: the sandbox time in seconds (becomes `ts`). trace_id: fresh uuid4 unless given (a resend
    keeps its trace_id). merchant_id / merchant_handle: the receiving merchant, else the example's.
    Raises topics.UnknownTopic for a topic SHOPLINE does not list and topics.NoPayloadExample for a
    subscribable one without a documented payload.
    """
    name = topics.canonical(topic)
    if generate:
        payload = fake(topics.schema(name), _seed(seed), example=topics.fixture(name))
    else:
        payload = topics.fixture(name)
    payload["topic"] = name
    payload["event"] = topics.TOPICS[name].event
    payload["trace_id"] = trace_id or str(uuid.uuid4())
    payload["ts"] = ts_ns(now)
    if merchant_id is not None:
        payload["merchant_id"] = merchant_id
    if merchant_handle is not None:
        payload["merchant_handle"] = merchant_handle
    elif payload.get("merchant_handle") is None:
        payload.pop("merchant_handle", None)  # optional: absent rather than null
    if overrides:
        payload["resource"] = merge_patch(payload.get("resource"), overrides)
    return payload


def build_global(topic: str = "orders/updated", *, overrides: Mapping[str, Any] | None = None,
                 generate: bool = False, seed: int | None = None) -> dict[str, Any]:
    """The body of a global-flavour order webhook (the order itself)."""
    if topic not in topics.GLOBAL_TOPICS:
        raise topics.UnknownTopic(topic)
    if topic not in topics.GLOBAL_ORDER_BODY_TOPICS:
        raise topics.NoPayloadExample(f"SHOPLINE documents no body for the global topic {topic}")
    if generate:
        body = fake(topics.global_schema(), _seed(seed), example=topics.global_fixture())
    else:
        body = topics.global_fixture()
    if overrides:
        body = merge_patch(body, overrides)
    return body
