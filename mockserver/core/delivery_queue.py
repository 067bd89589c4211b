"""The webhook engine's queue: one heap per receiver (scheme://host:port) of the deliveries waiting
for their next attempt, ordered by due time on the sandbox clock.

One heap per receiver so that a receiver at its share of the attempts in flight never makes the others wait,
and picking the next delivery costs O(receivers), not O(deliveries waiting). Entries are never
removed in place: a rescheduled, reset or evicted delivery leaves a stale entry (its version moved
on) that is skipped when it reaches the top. The engine holds its lock around every call.
"""
from __future__ import annotations

import heapq
from typing import Callable

Entry = tuple[float, int, str, int]  # (due, seq, delivery id, delivery version)


class ReceiverQueues:
    def __init__(self, is_live: Callable[[Entry], bool]) -> None:
        self._is_live = is_live  # whether an entry still stands for its delivery's next attempt
        self._heaps: dict[str, list[Entry]] = {}

    def __bool__(self) -> bool:
        return bool(self._heaps)

    def push(self, target: str, entry: Entry) -> None:
        heapq.heappush(self._heaps.setdefault(target, []), entry)

    def head(self, target: str) -> float | None:
        """When a receiver's earliest queued delivery is due (stale entries dropped); None if none."""
        heap = self._heaps.get(target)
        while heap and not self._is_live(heap[0]):
            heapq.heappop(heap)
        if not heap:
            self._heaps.pop(target, None)
            return None
        return heap[0][0]

    def next_due(self, skip: Callable[[str], bool] | None = None) -> tuple[float, str] | None:
        """(due, receiver) of the earliest queued delivery, over the receivers `skip` does not name."""
        best: tuple[float, str] | None = None
        for target in list(self._heaps):
            if skip is not None and skip(target):
                continue
            due = self.head(target)
            if due is not None and (best is None or due < best[0]):
                best = (due, target)
        return best

    def pop(self, target: str) -> str:
        """The id of the receiver's earliest delivery (after head() or next_due() named it)."""
        return heapq.heappop(self._heaps[target])[2]
