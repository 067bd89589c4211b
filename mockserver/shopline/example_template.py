"""A prepared example's JSON text with holes where its varying strings go.

An event of a varied example differs from the example only in some strings (trace_id, ts, ids and
times: example_plan.py). Parsing the example into objects, changing those strings and writing the
document out again, twice (the body as built, and with keys sorted for the `sign`), cost about
three quarters of a trigger. Here each of those two texts is written once, with a marker in every
varying string, and cut at the markers; an event is then the pieces joined around its own strings,
each written by the same JSON encoder that would have written the whole document, so the bytes
are exactly those of orjson.dumps over the changed document (tests/shopline/test_example_plan.py).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson

# A control character is written \u0001 by orjson, so no string of an example can end up holding
# the written marker by accident unless it held the marker itself.
_MARK = "\x01shop-sandbox-hole-{}\x01"
_WRITTEN_MARK = re.compile(rb'"\\u0001shop-sandbox-hole-(\d+)\\u0001"')

Path = tuple[Any, ...]  # dict keys and list indexes from the document down to a string


@dataclass(frozen=True)
class Template:
    pieces: tuple[bytes, ...]  # the text between holes: one more than holes
    holes: tuple[int, ...]  # for each hole in text order, the index of the value that fills it

    def render(self, written: Sequence[bytes]) -> bytes:
        """The document's text with written[i] (a value as JSON text: encode()) in hole i."""
        out: list[bytes] = [b""] * (2 * len(self.holes) + 1)
        out[0::2] = self.pieces
        out[1::2] = [written[index] for index in self.holes]
        return b"".join(out)


def encode(values: Sequence[str]) -> list[bytes]:
    """The values as JSON text, once for both templates of a document."""
    return [orjson.dumps(value) for value in values]


def templates(document: Any, paths: Sequence[Path], fills: Sequence[int]) -> tuple[Template, Template] | None:
    """(as built, keys sorted) texts of `document` with a hole at each path (one string each), the
    hole at paths[i] filled by value fills[i]; None when orjson cannot write the document (the
    callers then write it whole, the slow way)."""
    marked = orjson.loads(orjson.dumps(document))  # a copy to write markers into
    for index, path in enumerate(paths):
        node = marked
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = _MARK.format(index)
    try:
        compact = _cut(orjson.dumps(marked), fills)
        canonical = _cut(orjson.dumps(marked, option=orjson.OPT_SORT_KEYS), fills)
    except (TypeError, ValueError):
        return None
    return compact, canonical


def _cut(text: bytes, fills: Sequence[int]) -> Template:
    pieces, marks, start = [], [], 0
    for match in _WRITTEN_MARK.finditer(text):
        pieces.append(text[start:match.start()])
        marks.append(int(match.group(1)))
        start = match.end()
    pieces.append(text[start:])
    if sorted(marks) != list(range(len(fills))):  # a marker lost or doubled: never render a wrong text
        raise ValueError("the example's text does not hold every hole once")
    return Template(tuple(pieces), tuple(fills[mark] for mark in marks))
