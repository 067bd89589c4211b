"""A documented example made ready once, varied per event by touching only what varies.

payloads.build varies an example for every trigger (variation.py: new ids, times ending now, the
receiving merchant's references). Done on the whole document each time (a deep copy, three walks
over every node, a time parse per string), an order example cost ~7 ms a trigger. What depends on
the merchant only (the rebranded example, which ids it holds, which strings hold an id or a time)
is worked out here once per (topic, merchant, handle), down to each varying string's parsed time
and format; an event then costs new ids, the moved times, and either those strings set into a copy
of the document (resource()) or its two texts joined around them (render(), example_template.py),
with exactly the result, random draws included, that the walks give
(tests/shopline/test_example_plan.py compares them).
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property, lru_cache
from typing import Any, Callable

import orjson

from mockserver.shopline import example_template, numbers, variation

Path = tuple[Any, ...]  # dict keys and list indexes from the resource down to a string


@dataclass(frozen=True)
class Varying:
    """A string of the resource that varies (one entry however many leaves hold it): it holds a
    varied id, or it is a date-time."""

    text: str
    pieces: tuple[str, ...] | None  # text cut around the varied ids it holds (odd places); None: none
    whole: str | None = None  # the text is this one varied id and nothing else
    # Only a time holds a time after its ids change (an id in a time can only be its fraction's digits).
    time_with_id: bool = False
    moment: datetime | None = None  # when it holds no varied id: the time it is, parsed once
    local: datetime | None = None  # moment as written (its wall time in its own zone), naive
    cut: int = 19  # how much of isoformat(timespec="microseconds") its format keeps (fraction digits)
    zone: str = ""  # "Z" or "+08:00", as written


@dataclass(frozen=True)
class ExamplePlan:
    payload: bytes  # the rebranded envelope and resource, canonical numbers (trace_id/ts set per event)
    found: tuple[str, ...]  # the resource's ids in document order (variation.collect_ids)
    kept: frozenset[str]  # the merchant's ids: never varied
    shapes: tuple[tuple[str, variation.IdShape], ...]  # the ids that vary, in order, with their shape
    paths: tuple[Path, ...]  # the varying strings' places, in document order
    sources: tuple[int, ...]  # for each place, its string in `varying`
    varying: tuple[Varying, ...]  # each distinct varying string once
    latest: datetime | None  # the latest time among the strings that hold no varied id
    # The payload's text as built and with sorted keys, with holes for trace_id, ts and the places,
    # filled from [trace_id, ts, *varying] (None: orjson cannot write it, so an event is written whole).
    texts: tuple[example_template.Template, example_template.Template] | None
    # The moved times' texts for the last shift, held as one (shift, {index: text}) in a box of one:
    # a time written to the millisecond, from a time on a whole millisecond, moves as whole
    # milliseconds of the shift do, so the events of one millisecond (of a frozen clock: all of
    # them) share their texts; each event formatted all 19 times of an order before. One pair,
    # read and replaced whole: plans are shared by every sandbox of the process, whose triggers
    # hold different locks.
    last_times: list[Any] = field(default_factory=lambda: [None], compare=False, repr=False)

    @cached_property
    def time_grain(self) -> int:
        """The microseconds of a shift that no time's text shows (0: a time's text cannot be reused)."""
        grain = 1_000_000
        for item in self.varying:
            if item.moment is None and not item.time_with_id:
                continue
            if item.time_with_id or item.local is None or not 19 <= item.cut <= 26:
                return 0
            shown = 1_000_000 if item.cut == 19 else 10 ** (26 - item.cut)  # cut 23: milliseconds
            if item.local.microsecond % shown:
                return 0
            grain = min(grain, shown)
        return grain

    def changed(self, rng: random.Random, now: float) -> list[str]:
        """Each varying string as one event has it, as variation.vary_ids then shift_times would
        make it (the same draws from rng)."""
        taken = set(self.found) | set(self.kept)
        mapping = {old: variation.new_id(old, rng, taken, shape) for old, shape in self.shapes}
        texts: list[str] = []
        moments: list[datetime | None] = []
        latest = self.latest
        for item in self.varying:
            moment = None
            if item.pieces is None:
                text, moment = item.text, item.moment
            elif item.whole is not None:
                text = mapping[item.whole]
            else:
                pieces = item.pieces
                text = "".join([pieces[0], *(mapping[pieces[i]] + pieces[i + 1] for i in range(1, len(pieces), 2))])
                if item.time_with_id:  # rare: parsed each time
                    moment = variation.parse_time(text)
                    if moment is not None and (latest is None or moment > latest):
                        latest = moment
            texts.append(text)
            moments.append(moment)
        if latest is None:
            return texts
        delta = datetime.fromtimestamp(now, UTC) - latest
        grain = self.time_grain
        shift = (delta.days, delta.seconds, delta.microseconds // grain) if grain else None
        last = self.last_times[0]
        if shift is not None and last is not None and last[0] == shift:
            for index, text in last[1].items():
                texts[index] = text
            return texts
        for index, (item, moment) in enumerate(zip(self.varying, moments)):
            if moment is None:
                continue
            if item.local is not None:
                # Its wall time as written plus delta: the same as format_like for a fixed
                # offset, without a zone conversion and strftime per string.
                local = item.local + delta
                texts[index] = (local.isoformat(timespec="microseconds")[:item.cut] + item.zone
                                if local.year >= 1000 else variation.format_like(item.text, moment + delta))
            else:
                texts[index] = variation.format_like(texts[index], moment + delta)
        if shift is not None:
            self.last_times[0] = (shift, {i: texts[i] for i, moment in enumerate(moments) if moment is not None})
        return texts

    def resource(self, payload: dict[str, Any], rng: random.Random, now: float) -> Any:
        """payload["resource"] varied as variation.vary_ids then shift_times would vary it."""
        resource = payload.get("resource")
        texts = self.changed(rng, now)
        for path, source in zip(self.paths, self.sources):
            if path:
                _set(resource, path, texts[source])
            else:
                resource = texts[source]
        return resource

    def render(self, trace_id: str, ts: str, rng: random.Random, now: float) -> tuple[bytes, bytes] | None:
        """One event's (body, body with sorted keys): the bytes orjson writes for the payload that
        resource() makes; None when the plan has no texts."""
        if self.texts is None:
            return None
        written = example_template.encode([trace_id, ts, *self.changed(rng, now)])
        return self.texts[0].render(written), self.texts[1].render(written)


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

    found: list[tuple[Path, str]] = []
    _leaves(resource, (), wanted, found)
    distinct: dict[str, int] = {}
    for _, text in found:
        distinct.setdefault(text, len(distinct))
    varying = tuple(_varying(text, pattern) for text in distinct)
    sources = tuple(distinct[text] for _, text in found)
    moments = [item.moment for item in varying if item.moment is not None]
    holes = [("trace_id",), ("ts",), *(("resource", *path) for path, _ in found)]
    fills = [0, 1, *(2 + source for source in sources)]
    shapes = tuple((old, variation.id_shape(old)) for old in varied)
    return ExamplePlan(orjson.dumps(payload), tuple(ids), kept, shapes, tuple(path for path, _ in found), sources,
                       varying, max(moments) if moments else None, example_template.templates(payload, holes, fills))


def _varying(text: str, pattern: Any) -> Varying:
    if pattern is not None and pattern.search(text) is not None:
        pieces: list[str] = []
        start = 0
        for match in pattern.finditer(text):  # what pattern.sub would replace, found once
            pieces += [text[start:match.start()], match.group(0)]
            start = match.end()
        whole = text if len(pieces) == 2 and not pieces[0] and start == len(text) else None
        return Varying(text, (*pieces, text[start:]), whole, time_with_id=variation.parse_time(text) is not None)
    moment = variation.parse_time(text)
    match = variation.ISO_TIME.match(text)
    fraction, zone = (match.group(7), match.group(8)) if match else (None, "")
    return Varying(text, None, moment=moment, local=moment.replace(tzinfo=None) if moment else None,
                   cut=19 + len(fraction) if fraction else 19, zone=zone)


@lru_cache(maxsize=256)  # (topic, merchant, handle): bounded whatever merchants a world makes
def plan_for(name: str, merchant_id: str | None, merchant_handle: str | None,
             example: Callable[[str, str | None, str | None], dict[str, Any]]) -> ExamplePlan:
    """example(name, merchant_id, merchant_handle): the rebranded example in its envelope (payloads.py)."""
    return make_plan(example(name, merchant_id, merchant_handle))
