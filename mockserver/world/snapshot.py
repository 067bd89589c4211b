"""The whole world as one versioned JSON document, and a world replaced by one (all or nothing).

export_snapshot() reads everything under the store's lock into plain data (no serialising there);
dumps() makes the bytes outside it. import_snapshot() checks and builds the new world without the
lock (prepare: every platform's loader builds its backend from its part, nothing live is touched),
then swaps it in under the lock (commit: only assignments that cannot fail). A bad document raises
SnapshotError and the world stays as it was.

What a snapshot holds: the seed, strict mode, the clock, every platform's state (its loader and
export_state() are registered in app.py, as its builder is), the scheduler's due work as data
(each job names its platform, whose rearm() makes the action again), the webhook log with pending
deliveries and their next-attempt times, and the fault rules. Not the request journal (traffic,
not state: a restored world starts with an empty one), nor rate-limit windows.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable

import orjson

from mockserver.core import web

from mockserver.core.delivery_model import DEFAULT_POLICY, Delivery
from mockserver.core.delivery_records import from_record
from mockserver.core.events import EventBus
from mockserver.core.faults import FaultRule

FORMAT = "shop-sandbox-snapshot"
VERSION = 1
TOP_LEVEL = ("format", "version", "seed", "strict", "clock", "platforms", "scheduled", "webhooks", "faults")


class SnapshotError(ValueError):
    """A document that is not a snapshot this sandbox can load; the message says why."""


def export_snapshot(store: Any) -> dict[str, Any]:
    """The world as plain data (a consistent cut: taken under the store's lock)."""
    with store.lock:
        return {"format": FORMAT, "version": VERSION, "seed": store.seed, "strict": store.strict,
                "clock": store.clock.export_state(),
                "platforms": {name: backend.export_state() for name, backend in store.backends.items()},
                "scheduled": store.scheduler.export_jobs(),
                "webhooks": store.webhooks.export_state(), "faults": store.faults.export_state()}


def dumps(document: dict[str, Any]) -> bytes:
    """Compact UTF-8 JSON, as every answer of the sandbox (integers beyond 64 bits included)."""
    return web.dumps(document)


# A number token of 19 digits or more (after ":", "," or "["; digits inside strings do not count).
_LONG_NUMBER = re.compile(rb"[:,\[]\s*-?\d{19,}")


def loads(raw: bytes) -> Any:
    """The document; SnapshotError when it is not JSON. orjson reads integers beyond 64 bits as
    floats: a document with such long digit runs is read by the json module instead (exactly)."""
    try:
        if _LONG_NUMBER.search(raw) is None:
            return orjson.loads(raw)
        return json.loads(raw, parse_constant=_no_constant)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise SnapshotError(f"not JSON: {exc}") from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def check_version(document: Any) -> None:
    """SnapshotError unless this is a shop-sandbox snapshot of the version this sandbox reads."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise SnapshotError(f'not a shop-sandbox snapshot (expected "format": "{FORMAT}")')
    version = document.get("version")
    if version != VERSION:
        raise SnapshotError(f"snapshot version {version!r} cannot be loaded: this sandbox reads version {VERSION} "
                            f"(export it again from a sandbox of the same version, or start without it)")


class _PolicyRecorder:
    """The webhook engine as the loaders see it: policies are noted (registered at commit, after
    the engine's reset); everything else is the engine's own."""

    def __init__(self, engine: Any) -> None:
        self._engine = engine
        self.policies: list[tuple[str, Any]] = []

    def register_policy(self, platform: str, policy: Any) -> None:
        self.policies.append((platform, policy))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._engine, name)


class Staging:
    """What a loader gets instead of the store: the store's own clock, lock, settings and
    scheduler (a loader must not schedule: rearm() does that at commit), a new event bus, the
    recording engine, and the snapshot's seed."""

    def __init__(self, store: Any, seed: int) -> None:
        self._store = store
        self.seed = seed
        self.events = EventBus()
        self.webhooks = _PolicyRecorder(store.webhooks)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


@dataclass
class Prepared:
    seed: int
    strict: bool
    clock: dict[str, Any]
    staging: Staging
    backends: dict[str, Any]
    jobs: list[tuple[float, Callable[[], None], dict[str, Any]]]
    ids: Any
    dropped: int
    deliveries: list[Delivery] = field(default_factory=list)
    faults: tuple[int, int, list[FaultRule]] = (0, 1, [])


def prepare(store: Any, document: Any) -> Prepared:
    """Check the document and build the world it describes, touching nothing live."""
    check_version(document)
    unknown = sorted(set(document) - set(TOP_LEVEL))
    missing = [name for name in TOP_LEVEL if name not in document]
    if unknown or missing:
        raise SnapshotError("; ".join(filter(None, [unknown and f"unknown fields: {', '.join(unknown)}",
                                                    missing and f"missing fields: {', '.join(missing)}"])))
    try:
        return _prepare(store, document)
    except SnapshotError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        raise SnapshotError(f"{type(exc).__name__}: {exc}" if not isinstance(exc, ValueError) else str(exc)) from None


def _prepare(store: Any, document: dict[str, Any]) -> Prepared:
    seed, strict, clock = document["seed"], document["strict"], document["clock"]
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise SnapshotError("seed: expected an integer")
    if not isinstance(strict, bool):
        raise SnapshotError("strict: expected true or false")
    if not (isinstance(clock, dict) and len(clock) == 1
            and isinstance(clock.get("frozen_at", clock.get("offset")), (int, float))):
        raise SnapshotError('clock: expected {"frozen_at": <time>} or {"offset": <seconds>}')
    platforms = document["platforms"]
    loaders = store.loaders
    if not isinstance(platforms, dict) or set(platforms) != set(loaders):
        raise SnapshotError(f"platforms: expected exactly {', '.join(sorted(loaders))}")
    staging = Staging(store, seed)
    backends = {name: loaders[name](staging, platforms[name]) for name in loaders}
    jobs = []
    scheduled = document["scheduled"]
    if not isinstance(scheduled, list):
        raise SnapshotError("scheduled: expected a list")
    for number, job in enumerate(scheduled):
        where = f"scheduled[{number}]"
        data = job.get("data") if isinstance(job, dict) else None
        if not isinstance(data, dict) or data.get("platform") not in backends or not isinstance(job.get("due"), (int, float)):
            raise SnapshotError(f"{where}: expected {{\"due\": <time>, \"data\": {{\"platform\": <name>, ...}}}}")
        jobs.append((job["due"], backends[data["platform"]].rearm(data), data))
    hooks = document["webhooks"]
    if not isinstance(hooks, dict) or not isinstance(hooks.get("deliveries"), list):
        raise SnapshotError("webhooks: expected an object with a list of deliveries")
    deliveries = [from_record(record, lambda platform: DEFAULT_POLICY, f"webhooks.deliveries[{n}]")
                  for n, record in enumerate(hooks["deliveries"])]
    if len({d.id for d in deliveries}) != len(deliveries):
        raise SnapshotError("webhooks.deliveries: two deliveries have the same id")
    ids = hooks.get("ids")
    try:  # checked here so that commit cannot fail on it
        import random

        random.Random().setstate((ids[0], tuple(ids[1]), ids[2]))
    except (TypeError, ValueError, IndexError, KeyError) as exc:
        raise SnapshotError(f"webhooks.ids: not a random generator's state ({exc})") from None
    dropped = hooks.get("dropped_count")
    if not isinstance(dropped, int):
        raise SnapshotError("webhooks.dropped_count: expected an integer")
    faults = store.faults.rules_from_state(document["faults"])
    return Prepared(seed, strict, clock, staging, backends, jobs, (ids[0], tuple(ids[1]), ids[2]), dropped,
                    deliveries, faults)


def commit(store: Any, prepared: Prepared) -> None:
    """Swap the prepared world in (caller holds nothing; this takes the store's lock)."""
    with store.lock:
        store.seed, store.strict = prepared.seed, prepared.strict
        store.scheduler.clear()
        store.faults.restore(*prepared.faults)
        store.journal.reset()
        store.webhooks.reset(prepared.seed)
        for platform, policy in prepared.staging.webhooks.policies:
            store.webhooks.register_policy(platform, policy)
        store.webhooks.restore_state(prepared.ids, prepared.dropped, prepared.deliveries)
        store.events = prepared.staging.events
        store.backends = prepared.backends
        for due, action, data in prepared.jobs:
            job = store.scheduler.at(due, action, data)
            armed = getattr(prepared.backends[data["platform"]], "job_armed", None)
            if armed is not None:  # a platform that cancels its jobs keeps a handle on them
                armed(data, job)
        store.clock.restore_state(prepared.clock)  # last: moving the clock runs the work now due
        store.changes += 1


def import_snapshot(store: Any, document: Any) -> None:
    """Replace the world with the document's; SnapshotError (and the world unchanged) if it is bad."""
    commit(store, prepare(store, document))
