"""Injected faults: rules that make matching platform requests fail, slow down, answer a broken
body, drop the connection, or run admin calls after they are answered (e.g. an order changes status between two pages).

A rule matches a method, a path (exact, or a prefix when it ends with "*") and query parameters;
it lets the first `skip` matches through, then fires on the next `times` matches (every one after
when times is None), each with `probability` (a seeded draw, so a run is repeatable). Every rule
counts every request it matches; the first firing rule, in creation order, decides the answer.
The core knows no platform: the app renders a fault's status in the envelope of the path's owner.
"""
from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from typing import Any

ADMIN_PREFIX = "/_sandbox/"  # never faulted, and the only target of follow-up calls


def path_matches(pattern: str, path: str) -> bool:
    """The admin API's path patterns (faults, the request journal): exact, or a prefix ending in "*"."""
    return path.startswith(pattern[:-1]) if pattern.endswith("*") else path == pattern


@dataclass(frozen=True)
class AdminCall:
    """A request to the admin API run after a fired rule's request is answered."""

    method: str
    path: str
    body: Any = None

    def view(self) -> dict[str, Any]:
        return {"method": self.method, "path": self.path, "body": self.body}


@dataclass
class FaultRule:
    """One rule: what it matches, when it fires, and what it does."""

    id: str
    path: str
    method: str | None = None  # None: any method
    query: dict[str, str] = field(default_factory=dict)
    skip: int = 0
    times: int | None = 1
    probability: float = 1.0
    status: int | None = None  # answer this status (the platform's envelope unless body is given)
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    retry_after: int | None = None  # Retry-After on the fault answer
    delay_ms: int = 0  # real latency before the answer (a fault or the real one)
    malformed: bool = False  # the real answer, cut off half-way through its body
    drop: bool = False  # the real answer's headers, then the connection closes before the body
    then: list[AdminCall] = field(default_factory=list)
    matched: int = 0
    fired: int = 0
    then_results: list[dict[str, Any]] = field(default_factory=list)
    _rng: random.Random = field(default_factory=random.Random, repr=False)

    def matches(self, method: str, path: str, query: dict[str, str]) -> bool:
        if self.method is not None and self.method != method:
            return False
        if not path_matches(self.path, path):
            return False
        return all(query.get(name) == value for name, value in self.query.items())

    def exhausted(self) -> bool:
        return self.times is not None and self.fired >= self.times

    def _fires(self) -> bool:
        """Called once per matching request, after `matched` counted it."""
        if self.matched <= self.skip or self.exhausted():
            return False
        # Draw even at probability 1, so changing another rule's probability keeps this one's draws.
        return self._rng.random() < self.probability

    def view(self) -> dict[str, Any]:
        return {"id": self.id, "method": self.method, "path": self.path, "query": dict(self.query),
                "skip": self.skip, "times": self.times, "probability": self.probability,
                "status": self.status, "body": self.body, "headers": dict(self.headers),
                "retry_after": self.retry_after, "delay_ms": self.delay_ms, "malformed": self.malformed,
                "drop": self.drop,
                "then": [call.view() for call in self.then], "matched": self.matched, "fired": self.fired,
                "remaining": None if self.times is None else self.times - self.fired,
                "then_results": list(self.then_results)}


class FaultBook:
    """The rules of one sandbox; thread-safe; cleared by the world's reset."""

    def __init__(self, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []
        self._seed = seed
        self._next = 1

    def reset(self, seed: int) -> None:
        with self._lock:
            self._rules = []
            self._seed = seed
            self._next = 1

    def add(self, **spec: Any) -> FaultRule:
        with self._lock:
            number = self._next
            self._next += 1
            rule = FaultRule(id=f"fault_{number}", **spec)
            rule._rng = random.Random(f"{self._seed}:{number}")
            self._rules.append(rule)
            return rule

    def rules(self) -> list[FaultRule]:
        with self._lock:
            return list(self._rules)

    def get(self, rule_id: str) -> FaultRule | None:
        with self._lock:
            return next((rule for rule in self._rules if rule.id == rule_id), None)

    def delete(self, rule_id: str) -> bool:
        with self._lock:
            kept = [rule for rule in self._rules if rule.id != rule_id]
            found = len(kept) != len(self._rules)
            self._rules = kept
            return found

    def clear(self) -> int:
        with self._lock:
            count = len(self._rules)
            self._rules = []
            return count

    def __bool__(self) -> bool:
        return bool(self._rules)  # the hot path's cheap check; a stale read only delays a new rule

    def match(self, method: str, path: str, query: dict[str, str]) -> FaultRule | None:
        """The rule that fires on this request, if any (counting it as matched by every rule)."""
        if path.startswith(ADMIN_PREFIX):
            return None
        with self._lock:
            chosen = None
            for rule in self._rules:
                if not rule.matches(method, path, query):
                    continue
                rule.matched += 1
                if chosen is None and rule._fires():
                    rule.fired += 1
                    chosen = rule
            return chosen

    def export_state(self) -> dict[str, Any]:
        """The rules as data (snapshots), each with its generator's state."""
        from mockserver.world.snapshot_codec import encoder_of, rng_state

        with self._lock:
            rules = []
            for rule in self._rules:
                view = {f.name: encoder_of(_RULE_HINTS[f.name])(getattr(rule, f.name)) for f in _RULE_FIELDS}
                view["rng"] = rng_state(rule._rng)
                rules.append(view)
            return {"seed": self._seed, "next": self._next, "rules": rules}

    @staticmethod
    def rules_from_state(state: dict[str, Any]) -> tuple[int, int, list[FaultRule]]:
        """(seed, next number, rules) from export_state's data; ValueError naming what is wrong."""
        from mockserver.world.snapshot_codec import decoder_of, new_rng

        if not isinstance(state, dict) or not isinstance(state.get("rules"), list):
            raise ValueError("faults: expected an object with a list of rules")
        rules = []
        for number, data in enumerate(state["rules"]):
            where = f"faults.rules[{number}]"
            if not isinstance(data, dict) or set(data) != {f.name for f in _RULE_FIELDS} | {"rng"}:
                raise ValueError(f"{where}: expected the fields of a fault rule")
            rule = FaultRule(**{f.name: decoder_of(_RULE_HINTS[f.name])(data[f.name], f"{where}.{f.name}")
                                for f in _RULE_FIELDS})
            rule._rng = new_rng(data["rng"], f"{where}.rng")
            rules.append(rule)
        seed, nxt = state.get("seed"), state.get("next")
        if not isinstance(seed, int) or not isinstance(nxt, int):
            raise ValueError("faults: seed and next should be integers")
        return seed, nxt, rules

    def restore(self, seed: int, next_number: int, rules: list[FaultRule]) -> None:
        with self._lock:
            self._seed, self._next, self._rules = seed, next_number, list(rules)

    def record_then(self, rule: FaultRule, call: AdminCall, status: int, body: Any) -> None:
        with self._lock:
            rule.then_results.append({"method": call.method, "path": call.path, "status": status, "body": body})
            del rule.then_results[:-50]  # the latest few are enough to debug a rule


def _rule_fields() -> tuple[Any, dict[str, Any]]:
    import dataclasses
    import typing

    hints = typing.get_type_hints(FaultRule)
    return tuple(f for f in dataclasses.fields(FaultRule) if f.name != "_rng"), hints


_RULE_FIELDS, _RULE_HINTS = _rule_fields()
