"""Coverage of the seed's closed lists in a generated batch: every value shows up at least once.

Issue 12: generated worlds should cover every enum value seed 003 gives (tax_type 1-4, receipt
types and carriers, genders, stock states ...). A weighted draw alone leaves rare values out of
small batches (tax_type 2 at a few per cent is absent from most 120-order worlds), so each draw of
a batch first takes a value the batch has not shown yet, then follows the weights.
"""
from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


class Coverage:
    """The values a batch has drawn so far, per field; `off` draws by weight only (one-off orders)."""

    def __init__(self, rng: random.Random, off: bool = False) -> None:
        self.rng = rng
        self.off = off
        self.seen: dict[str, set[object]] = {}

    def pick(self, key: str, values: Sequence[T], weights: Sequence[float]) -> T:
        """A value not drawn yet for `key` when one is left, else a weighted draw."""
        seen = self.seen.setdefault(key, set())
        missing = [] if self.off else [v for v in values if v not in seen]
        value = self.rng.choice(missing) if missing else self.rng.choices(values, weights)[0]
        seen.add(value)
        return value

    def chance(self, key: str, probability: float) -> bool:
        """True with `probability`, and the first time `key` is asked in a batch."""
        seen = self.seen.setdefault(key, set())
        if not self.off and True not in seen:
            seen.add(True)
            return True
        return self.rng.random() < probability
