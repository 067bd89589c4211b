"""SHOPLINE webhook payloads per topic and flavour, valid against contracts/shopline*/.

No second generator: the sandbox's own builders make the document (mockserver/shopline/payloads.py:
the topic's fixture, or the schema-driven generator with the fixture as hints), and Hypothesis draws
everything they take: which of the two, the generator's seed, the trace_id and the time. So a seed
shrinks towards the fixture and `derandomize` gives the same payloads every run.
"""
from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from mockserver.shopline import payloads, topics
from mockserver.strategies.common import TimeSpec, unix_times
from mockserver.strategies.hostile import hostile as hostile_of
from mockserver.strategies.text import HUGE

FLAVOURS = ("openapi", "global")
_SOURCES = ("fixture", "generated")  # the fixture first: failures shrink towards the seed's example


def shopline_topics(flavour: str = "openapi") -> st.SearchStrategy[str]:
    """A topic with a documented payload: the 47 of seed 004, or the global order topics."""
    _check_flavour(flavour)
    return st.sampled_from(topics.SEED_TOPICS if flavour == "openapi" else topics.GLOBAL_ORDER_BODY_TOPICS)


def _check_flavour(flavour: str) -> None:
    if flavour not in FLAVOURS:
        raise ValueError(f"flavour should be one of {', '.join(FLAVOURS)}, not {flavour!r}")


def schema_relative(topic: str, flavour: str = "openapi") -> str:
    """Where the payload's contract lives under contracts/."""
    return topics.GLOBAL_SCHEMA if flavour == "global" else topics.schema_relative(topic)


@st.composite
def _openapi(draw, topic: str, times: st.SearchStrategy[int]) -> dict[str, Any]:
    now = draw(times) + draw(st.integers(0, 999_999)) / 1_000_000
    generated = draw(st.sampled_from(_SOURCES)) == "generated"
    seed = draw(st.integers(0, 2**32 - 1)) if generated else None
    return payloads.build(topic, now, generate=generated, seed=seed, trace_id=str(draw(st.uuids(version=4))))


@st.composite
def _global(draw, topic: str) -> dict[str, Any]:
    generated = draw(st.sampled_from(_SOURCES)) == "generated"
    seed = draw(st.integers(0, 2**32 - 1)) if generated else None
    return payloads.build_global(topic, generate=generated, seed=seed)


def shopline_payloads(topic: str | None = None, *, flavour: str = "openapi", hostile: bool = False,
                      times: TimeSpec = None, huge: int = HUGE) -> st.SearchStrategy[dict[str, Any]]:
    """Webhook bodies of `topic` (drawn among the documented ones when None).

    flavour "openapi": the envelope (topic, event, merchant_id, resource, trace_id, ts) of
    contracts/shopline/<topic>.schema.json, `ts` from `times` ((start, end) unix seconds or a
    strategy; default 2021..2026). flavour "global": the order itself, for orders/updated and the
    other global order topics (contracts/shopline-global/orders-updated.schema.json).
    hostile: made hostile by `hostile()` (strings up to `huge` characters, boundary numbers,
    dropped optional fields, empty arrays, nulls where the schema allows them)."""
    _check_flavour(flavour)
    if topic is None:
        return shopline_topics(flavour).flatmap(
            lambda t: shopline_payloads(t, flavour=flavour, hostile=hostile, times=times, huge=huge))
    if flavour == "global":
        if topic not in topics.GLOBAL_ORDER_BODY_TOPICS:
            raise ValueError(f"no documented global body for {topic!r}; topics: "
                             f"{', '.join(topics.GLOBAL_ORDER_BODY_TOPICS)}")
        base = _global(topic)
    else:
        topic = topics.canonical(topic)
        if not topics.TOPICS[topic].documented:
            raise ValueError(f"SHOPLINE documents no payload for {topic}")
        base = _openapi(topic, unix_times(times))
    return hostile_of(schema_relative(topic, flavour), base, huge=huge) if hostile else base
