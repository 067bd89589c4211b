"""How much a run measures: the full run (the issue's figures, tens of minutes) and the quick one
(under two minutes once the peers are installed, for a before/after check of a change)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any


@dataclass(frozen=True)
class Profile:
    name: str
    wrk_seconds: float  # one measurement of one target (wrk -d)
    warmup_seconds: float  # each sandbox target once before the rounds
    peer_warmup_seconds: float  # each peer once before the rounds (a JVM's JIT and Node's need seconds)
    rounds: int  # targets interleaved: sandbox, WireMock, Prism, ... then again
    sizes: tuple[int, ...]  # orders in one shop
    latency_samples: int  # at most this many calls per latency figure ...
    latency_budget: float  # ... or fewer once this many seconds are spent (3 at least)
    startup_runs: int  # dedicated starts of each server (0: the starts of the throughput phase)
    push_orders: int  # Shopee pushes sent end to end (one per order created)
    engine_deliveries: int  # deliveries through a bare webhook engine
    trigger_seconds: float  # wrk on the SHOPLINE trigger

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


FULL = Profile("full", wrk_seconds=8, warmup_seconds=3, peer_warmup_seconds=10, rounds=5, sizes=(1_000, 100_000, 1_000_000),
               latency_samples=300, latency_budget=15, startup_runs=5, push_orders=5_000,
               engine_deliveries=5_000, trigger_seconds=8)
QUICK = Profile("quick", wrk_seconds=3, warmup_seconds=1, peer_warmup_seconds=8, rounds=1, sizes=(1_000, 10_000),
                latency_samples=30, latency_budget=1.5, startup_runs=0, push_orders=1_000,
                engine_deliveries=1_000, trigger_seconds=3)


def choose(quick: bool, rounds: int | None = None, sizes: tuple[int, ...] | None = None) -> Profile:
    """The quick or full profile, with the rounds and sizes given instead of its own."""
    profile = QUICK if quick else FULL
    if rounds:
        profile = replace(profile, rounds=rounds)
    if sizes:
        profile = replace(profile, sizes=tuple(sorted(sizes)))
    return profile
