"""Building blocks of the webhook-receiver suites: a webhook as sent, the flavour interface each
platform implements, Hypothesis as a deterministic chooser, and the ledger of what processed()
should hold."""
from __future__ import annotations

import copy
import dataclasses
import itertools
import json
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from hypothesis import given
from hypothesis import strategies as st

from mockserver.contract_suites.hypothesis_settings import suite_settings
from mockserver.core import delivery_http

T = TypeVar("T")
Processed = Callable[[], Sequence[Any]]
Current = Callable[[str], Any]
BODY_SHOWN = 160  # characters of a body quoted in a failure


def compact(document: Any) -> bytes:
    """JSON as the platforms send it: compact, UTF-8, key order kept."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def key_of(document: Any) -> str:
    """What identifies a body in processed(): its JSON with sorted keys (key order does not matter)."""
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def shorten(text: str, limit: int = BODY_SHOWN) -> str:
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} chars)"


@dataclass(frozen=True)
class Webhook:
    """One webhook request: the sandbox's delivery (delivery_id set) or one the suite made."""

    subject: str  # "code 3 order_status_push", "order/update", "orders/updated"
    url: str
    headers: dict[str, str]
    body: bytes
    delivery_id: str | None = None

    def document(self) -> Any:
        return json.loads(self.body.decode("utf-8"))

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == lowered), None)

    def replace(self, **changes: Any) -> Webhook:
        return dataclasses.replace(self, **changes)

    def describe(self, shown_headers: Sequence[str] = ()) -> str:
        """POST <url> [header: value ...] body <excerpt>: what a failure message shows."""
        headers = " ".join(f"{name}: {self.header(name) if self.header(name) is not None else '(absent)'};"
                           for name in shown_headers)
        origin = f" (delivery {self.delivery_id})" if self.delivery_id else ""
        return f"POST {self.url}{origin} {headers} body {shorten(self.body.decode('utf-8', 'replace'))}"


@dataclass(frozen=True)
class Answer:
    """How the receiver answered one request (an attempt of the sandbox or a POST of the suite)."""

    status: int | None
    body: str
    latency_ms: float
    error: str | None = None

    @classmethod
    def of_attempt(cls, attempt: dict[str, Any]) -> Answer:
        return cls(attempt.get("status"), attempt.get("response_excerpt") or "", float(attempt.get("latency_ms") or 0),
                   attempt.get("error"))

    @property
    def two_xx(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300

    def describe(self, timeout: float) -> str:
        if self.error == "timeout":
            return f"no answer within {timeout:g} s (timeout)"
        if self.error is not None and self.status is None:
            return f"no answer: {self.error}"
        text = f"HTTP {self.status} {shorten(self.body, 80)!r} in {self.latency_ms:g} ms"
        return text + (f" then {self.error}" if self.error else "")


def post(webhook: Webhook, timeout: float) -> Answer:
    """Send a webhook the way the sandbox's engine does (same HTTP code, same deadline)."""
    result = delivery_http.post(webhook.url, webhook.headers, webhook.body, timeout)
    return Answer(result.status, result.excerpt, result.latency_ms, result.error)


class Flavour(Protocol):
    """What one platform's suite supplies to the shared checks (receiver_checks.ReceiverRun)."""

    title: str  # "Shopee push receiver"
    platform: str  # the engine's platform name (GET /_sandbox/deliveries?platform=)
    timeout: float  # the platform's answer deadline, real seconds
    empty_body: bool  # whether a 2xx must come with an empty body
    shown_headers: tuple[str, ...]  # headers worth quoting in a failure

    def subject(self, webhook: Webhook) -> str: ...

    def identity(self, webhook: Webhook) -> str:
        """The event's identity as the platform documents it (duplicates share it)."""

    def ignored(self, document: Any) -> bool:
        """Bodies processed() may hold that no check is about (a verification request)."""

    def forgeries(self, webhook: Webhook, drawer: Drawer) -> list[tuple[str, Webhook, str]]:
        """(kind, forged copy, what was changed) for each forgery the platform's signature must stop."""


# ---- choosing: Hypothesis inside the suite, a seeded Random outside ----------------------------------
class Drawer(Protocol):
    def pick(self, items: Sequence[T]) -> T: ...

    def integer(self, low: int, high: int) -> int: ...

    def token(self, nbytes: int) -> str:
        """Random bytes as lowercase hex."""

    def permutation(self, items: Sequence[T]) -> list[T]: ...


class HypothesisDrawer:
    """Draws through Hypothesis (st.data()), so a run is reproducible and each example differs."""

    def __init__(self, data: Any) -> None:
        self._data = data

    def pick(self, items: Sequence[T]) -> T:
        return self._data.draw(st.sampled_from(list(items)))

    def integer(self, low: int, high: int) -> int:
        return self._data.draw(st.integers(low, high))

    def token(self, nbytes: int) -> str:
        return self._data.draw(st.binary(min_size=nbytes, max_size=nbytes)).hex()

    def permutation(self, items: Sequence[T]) -> list[T]:
        return self._data.draw(st.permutations(list(items)))


class SeededDrawer:
    """The same interface on random.Random(seed): for the steps that run once, after the examples."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)

    def pick(self, items: Sequence[T]) -> T:
        return self._rng.choice(list(items))

    def integer(self, low: int, high: int) -> int:
        return self._rng.randint(low, high)

    def token(self, nbytes: int) -> str:
        return self._rng.randbytes(nbytes).hex()

    def permutation(self, items: Sequence[T]) -> list[T]:
        shuffled = list(items)
        self._rng.shuffle(shuffled)
        return shuffled


def explore(example: Callable[[Drawer, int], None], max_examples: int) -> int:
    """Run example(drawer, index) on max_examples Hypothesis examples; returns how many ran.

    Hypothesis chooses, it does not judge: checks go into the report and never raise, so there is
    nothing to shrink (shrinking would replay webhooks against a receiver that keeps state). Fixed
    seed (derandomize), no example database. An exception inside an example (the sandbox refusing
    a setup call) stops the exploration and is raised as itself, without Hypothesis' wrapping."""
    errors: list[BaseException] = []
    ran = 0

    @suite_settings(max_examples)
    @given(st.data())
    def run(data: Any) -> None:
        nonlocal ran
        if errors:
            return
        ran += 1
        try:
            example(HypothesisDrawer(data), ran - 1)
        except Exception as exc:  # noqa: BLE001 - raised below, outside Hypothesis
            errors.append(exc)

    if max_examples > 0:
        run()
    if errors:
        raise errors[0]
    return ran


def reordered(count: int, drawer: Drawer) -> list[int]:
    """A drawn sending order of count events (oldest first) in which the newest is not sent last."""
    orders = [list(p) for p in itertools.permutations(range(count)) if p[-1] != count - 1]
    return drawer.pick(orders)


# ---- tampering ---------------------------------------------------------------------------------------
def leaf_paths(document: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths to every scalar in a JSON document, in document order."""
    if isinstance(document, dict):
        return [p for k, v in document.items() for p in leaf_paths(v, prefix + (k,))]
    if isinstance(document, list):
        return [p for i, v in enumerate(document) for p in leaf_paths(v, prefix + (i,))]
    return [prefix]


def tampered(document: Any, path: tuple[Any, ...]) -> Any:
    """A copy with the scalar at path changed to a different value of the same type."""
    changed = copy.deepcopy(document)
    parent = changed
    for step in path[:-1]:
        parent = parent[step]
    value = parent[path[-1]] if path else changed
    if isinstance(value, bool):
        new: Any = not value
    elif isinstance(value, (int, float)):
        new = value + 1
    elif isinstance(value, str):
        new = value + "0" if value else "tampered"
    else:
        new = "tampered"
    if not path:
        return new
    parent[path[-1]] = new
    return changed


def path_text(path: tuple[Any, ...]) -> str:
    return "/".join(map(str, path)) or "<root>"


# ---- what processed() should hold ---------------------------------------------------------------------
class ProcessedLedger:
    """The receiver's processed() against what it should be: each event once, duplicates never."""

    def __init__(self, processed: Processed, ignored: Callable[[Any], bool], settle: float) -> None:
        self._processed = processed
        self._ignored = ignored
        self.settle = settle
        self.expected: dict[str, set[str]] = {}  # body key -> identities of the events with that body
        self.optional: set[str] = set()  # may be processed once or not at all
        self.reported: set[str] = set()  # unexpected keys already reported
        self._baseline: Counter = Counter()

    def start(self) -> None:
        """What processed() holds before the run (an earlier suite's events) is not this run's."""
        self._baseline = self._held()

    def counts(self) -> Counter:
        """Bodies processed() holds now beyond those it held at start(), verification bodies left out."""
        return self._held() - self._baseline

    def _held(self) -> Counter:
        held = self._processed()
        counts: Counter = Counter()
        for item in held:
            document = item
            if isinstance(item, (bytes, bytearray, str)):  # raw bodies are accepted too
                try:
                    document = json.loads(item)
                except ValueError:
                    document = item.decode("utf-8", "replace") if isinstance(item, (bytes, bytearray)) else item
            if not self._ignored(document):
                counts[key_of(document)] += 1
        return counts

    def expect(self, document: Any, identity: str) -> str:
        key = key_of(document)
        self.expected.setdefault(key, set()).add(identity)
        return key

    def allow(self, document: Any) -> str:
        key = key_of(document)
        self.optional.add(key)
        return key

    def wanted(self, key: str) -> int:
        return len(self.expected.get(key, ()))

    def wait_for(self, keys: Sequence[str]) -> Counter:
        """counts(), polled for up to `settle` seconds while any of keys is processed fewer times than
        expected (a receiver may act after answering)."""
        deadline = time.monotonic() + self.settle
        while True:
            counts = self.counts()
            if all(counts[k] >= self.wanted(k) for k in keys) or time.monotonic() >= deadline:
                return counts
            time.sleep(0.02)

    def unexpected(self, counts: Counter) -> list[str]:
        """Keys processed() holds that no valid event explains, not reported before."""
        fresh = [k for k in counts if k not in self.expected and k not in self.optional and k not in self.reported]
        self.reported.update(fresh)
        return fresh


def grew(before: Counter, after: Counter) -> str:
    """'' when processed() did not grow, else what was added."""
    added = after - before
    if not added:
        return ""
    return f"processed() grew by {sum(added.values())}: " + shorten("; ".join(added), 200)
