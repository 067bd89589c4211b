"""A documented example made ready once, varied per event by touching only what varies.

payloads.build varies an example for every trigger (variation.py: new ids, times ending now, the
receiving merchant's references). Done on the whole document each time (a deep copy, three walks
over every node, a time parse per string), an order example cost ~7 ms a trigger. What depends on
the merchant only (the rebranded example, which ids it holds, which strings hold an id or a time)
is worked out here once per (topic, merchant, handle); an event then costs a C-speed copy of the
document (orjson) and a change to the few strings that vary, with exactly the result, random draws
included, that the walks give (tests/shopline/test_example_plan.py compares the two).
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Callable

import orjson

from mockserver.shopline import numbers, variation

Path = tuple[Any, ...]  # dict keys and list indexes from the resource down to a string


@dataclass(frozen=True)
class ExamplePlan:
    payload: bytes  # the rebranded envelope and resource, canonical numbers (trace_id/ts set per event)
    found: tuple[str, ...]  # the resource's ids in document order (variation.collect_ids)
    kept: frozenset[str]  # the merchant's ids: never varied
    leaves: tuple[tuple[Path, str], ...]  # strings that hold one of `found` or are a date-time

    def resource(self, payload: dict[str, Any], rng: random.Random, now: float) -> Any:
        """payload["resource"] varied as variation.vary_ids then shift_times would vary it."""
        resource = payload.get("resource")
        taken = set(self.found) | set(self.kept)
        change = variation.id_changer(
            {old: variation.new_id(old, rng, taken) for old in self.found if old not in self.kept})
        texts = [(path, text, variation.parse_time(text))
                 for path, text in ((path, change(text) if change else text) for path, text in self.leaves)]
        moments = [moment for _, _, moment in texts if moment is not None]
        delta = datetime.fromtimestamp(now, UTC) - max(moments) if moments else None
        for path, text, moment in texts:
            if delta is not None and moment is not None:
                text = variation.format_like(text, moment + delta)
            if path:
                _set(resource, path, text)
            else:
                resource = text
        return resource


def _set(document: Any, path: Path, value: str) -> None:
    for step in path[:-1]:
        document = document[step]
    document[path[-1]] = value


def _leaves(document: Any, path: Path, wanted: Callable[[str], bool], out: list[tuple[Path, str]]) -> None:
    if isinstance(document, dict):
        for key, value in document.items():
            _leaves(value, path + (key,), wanted, out)
    elif isinstance(document, list):
        for index, value in enumerate(document):
            _leaves(value, path + (index,), wanted, out)
    elif isinstance(document, str) and wanted(document):
        out.append((path, document))


def make_plan(payload: dict[str, Any]) -> ExamplePlan:
    """The plan of a rebranded example payload (envelope + resource, before ids and times vary)."""
    payload = numbers.canonical(payload)
    resource = payload.get("resource")
    kept = frozenset(variation.merchant_refs(payload)[0])
    ids: dict[str, None] = {}
    variation.collect_ids(resource, ids)
    varied = [old for old in ids if old not in kept]
    pattern = variation.any_of(varied) if varied else None

    def wanted(text: str) -> bool:
        return variation.parse_time(text) is not None or (pattern is not None and pattern.search(text) is not None)

    leaves: list[tuple[Path, str]] = []
    _leaves(resource, (), wanted, leaves)
    return ExamplePlan(orjson.dumps(payload), tuple(ids), kept, tuple(leaves))


@lru_cache(maxsize=256)  # (topic, merchant, handle): bounded whatever merchants a world makes
def plan_for(name: str, merchant_id: str | None, merchant_handle: str | None,
             example: Callable[[str, str | None, str | None], dict[str, Any]]) -> ExamplePlan:
    """example(name, merchant_id, merchant_handle): the rebranded example in its envelope (payloads.py)."""
    return make_plan(example(name, merchant_id, merchant_handle))
