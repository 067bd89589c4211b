"""Many sorted keys into a big SortedList at once, in time linear in what changes.

SortedList.update sorts everything again when the new values are at least a quarter of the list,
and otherwise adds them one by one (a bisect and an insertion each): 100,000 orders into a shop of
900,000 took a second per key list that way, under the store's lock. Here the new keys, already
sorted, are cut at the list's sublist boundaries (one bisect per sublist) and each slice is merged
into its sublist by one C sort of two sorted runs; a sublist grown past twice the load is cut
again. This reaches into SortedList's documented-by-_check layout (sortedcontainers 2.4: _lists,
_maxes, _len, _load and the positional _index, rebuilt lazily once emptied); if that layout is not
there, SortedList.update does the work instead.
"""
from __future__ import annotations

from bisect import bisect_right, insort
from typing import Any

from sortedcontainers import SortedList

_LAYOUT = ("_lists", "_maxes", "_len", "_load", "_index")
# Below this many new values a sublist takes them by bisection, one each: a sort would compare
# every one of its up to 2,000 values to merge a handful.
_FEW = 32


def merge_sorted(target: SortedList, values: list[Any]) -> None:
    """Add `values`, sorted ascending, to `target`."""
    if not values:
        return
    if not all(hasattr(target, name) for name in _LAYOUT):
        target.update(values)
        return
    lists, maxes, load = target._lists, target._maxes, target._load
    if len(values) * 8 < len(lists):  # a few keys: SortedList.add each, not a pass over every sublist
        for value in values:
            target.add(value)
        return
    merged: list[list[Any]] = []
    start, last = 0, len(lists) - 1
    for position, sublist in enumerate(lists):
        # The last sublist also takes every value above the current maximum.
        stop = len(values) if position == last else bisect_right(values, maxes[position], start)
        if stop - start >= _FEW:
            sublist.extend(values[start:stop])
            sublist.sort()  # two sorted runs: timsort merges them in one pass
        else:
            for value in values[start:stop]:
                insort(sublist, value)
        start = stop
        _cut(sublist, load, merged)
    if start < len(values):  # the list was empty
        _cut(values[start:], load, merged)
    lists[:] = merged
    maxes[:] = [sublist[-1] for sublist in merged]
    target._len += len(values)
    del target._index[:]  # positions changed: SortedList rebuilds its index when next asked


def _cut(sublist: list[Any], load: int, into: list[list[Any]]) -> None:
    """Append `sublist` to `into`, in pieces of about `load` when it outgrew twice the load (as
    SortedList keeps them: at most twice the load, at least half of it)."""
    size = len(sublist)
    if size <= 2 * load:
        into.append(sublist)
        return
    pieces = -(-size // load)  # at least 3, so every piece holds over 2/3 of the load
    for piece in range(pieces):
        into.append(sublist[piece * size // pieces:(piece + 1) * size // pieces])
