"""The records of the webhook engine: a per-platform Policy, a Delivery and its Attempts.

Kept apart from the engine (core/webhooks.py) so a platform can import the types without the
machinery. Nothing here knows any platform: a platform's rules enter only through a Policy.
"""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any, Callable

import orjson

PENDING = "pending"  # waiting for its first attempt or a retry (next_attempt_at)
SENDING = "sending"  # an attempt is in flight
SUCCEEDED = "succeeded"
FAILED = "failed"  # retries ran out (dead-lettered), or the last replay failed
SUPPRESSED = "suppressed"  # the policy said not to send (e.g. a suspended app): never sent again
DROPPED = "dropped"  # the queue was full (core/webhooks.py MAX_UNFINISHED): never sent
STATUSES = (PENDING, SENDING, SUCCEEDED, FAILED, SUPPRESSED, DROPPED)
UNFINISHED = (PENDING, SENDING)


@dataclass(frozen=True)
class Attempt:
    """One HTTP exchange of a delivery."""

    number: int  # 1-based, over the delivery's whole life (replays included)
    at: float  # sandbox-clock time the attempt started
    status: int | None  # HTTP status, None when no answer arrived
    latency_ms: float  # real milliseconds
    response_excerpt: str  # first 500 bytes of the answer's body, as text
    error: str | None  # "timeout", "connection refused", "connection reset", ... or None
    detail: str | None = None
    ok: bool = False  # the policy's verdict
    replay: bool = False  # made by an explicit replay, not by the retry schedule
    warning: str | None = None  # the policy's remark on an accepted answer (Policy.attempt_note)
    seq: int = 0  # engine-wide order of attempts (flush uses it); not shown

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "at": _time(self.at), "status": self.status,
                "latency_ms": self.latency_ms, "response_excerpt": self.response_excerpt,
                "error": self.error, "detail": self.detail, "ok": self.ok, "replay": self.replay,
                "warning": self.warning}


def two_xx(attempt: Attempt) -> bool:
    """The default verdict: a 2xx answer, whole, within the timeout (the body is ignored)."""
    return attempt.error is None and attempt.status is not None and 200 <= attempt.status < 300


AttemptHook = Callable[["Delivery", Attempt], None]
DeliveryHook = Callable[["Delivery"], None]


@dataclass(frozen=True)
class Policy:
    """How one platform delivers: timeout, verdict, retry schedule and hooks.

    timeout is in REAL seconds: an HTTP exchange cannot be measured on the sandbox clock (a frozen
    clock would never time out). retry_delays are SANDBOX-clock seconds after each failed
    attempt, so a test advances the clock instead of waiting; len(retry_delays) retries follow the
    first attempt. Hooks run on the engine's dispatcher thread without the engine's lock (they may
    take the store's lock, briefly: every delivery waits meanwhile); an exception in a hook is
    logged and kept in engine.hook_errors.
    """

    name: str
    timeout: float = 5.0
    retry_delays: tuple[float, ...] = (10, 60, 300)
    is_success: Callable[[Attempt], bool] = two_xx
    on_attempt: AttemptHook | None = None  # after every attempt (health statistics)
    on_dead_letter: DeliveryHook | None = None  # once, when the schedule's last attempt failed
    # Checked before every send: truthy means never send it (a string says why, on the console).
    suppressed: Callable[["Delivery"], bool | str] | None = None
    # A remark on an attempt's answer that the verdict does not show (a body where none is asked).
    attempt_note: Callable[[Attempt], str | None] | None = None

    def __post_init__(self) -> None:
        if not self.timeout > 0:
            raise ValueError("a policy's timeout should be > 0 seconds")
        object.__setattr__(self, "retry_delays", tuple(float(d) for d in self.retry_delays))
        if any(d < 0 for d in self.retry_delays):
            raise ValueError("retry delays should be >= 0 seconds")

    @property
    def max_attempts(self) -> int:
        return 1 + len(self.retry_delays)


# The policy of deliveries made through the admin API (platform "custom") and of any platform that
# registered none: 2xx within 5 s, retries 10 s, 1 min and 5 min later on the sandbox clock.
DEFAULT_POLICY = Policy("default", timeout=5.0, retry_delays=(10, 60, 300))


@dataclass(eq=False)
class Delivery:
    """One webhook: the same id and body on every attempt, retry and replay. Owned by the engine."""

    id: str
    platform: str
    event: str
    url: str
    headers: dict[str, str]
    body: bytes
    created_at: float  # sandbox clock
    policy: Policy
    target: str  # scheme://host:port: the receiver, for the per-receiver share of the workers
    meta: dict[str, Any] = field(default_factory=dict)  # the platform's own data (shop, push code ...)
    status: str = PENDING
    next_attempt_at: float | None = None
    attempts: list[Attempt] = field(default_factory=list)
    suppressed_reason: str | None = None  # why the policy would not send it (status suppressed)
    # Engine bookkeeping: the reset generation, the version of the queued heap entry, whether the
    # next attempt is a replay, and the engine seq of the last change (for flush's summary).
    generation: int = 0
    version: int = 0
    replay_next: bool = False
    changed_seq: int = 0

    @property
    def scheduled_failures(self) -> int:
        """Failed attempts of the retry schedule (replays do not use up retries)."""
        return sum(1 for a in self.attempts if not a.ok and not a.replay)

    def brief(self) -> dict[str, Any]:
        """What the observer (the console) is told of a delivery with each attempt: a summary
        without its meta and last attempt, which a line never shows (made on every attempt)."""
        return {"id": self.id, "platform": self.platform, "event": self.event, "url": self.url,
                "status": self.status, "attempt_count": len(self.attempts),
                "max_attempts": self.policy.max_attempts}

    def summary(self) -> dict[str, Any]:
        last = self.attempts[-1].to_dict() if self.attempts else None
        return {"id": self.id, "platform": self.platform, "event": self.event, "url": self.url,
                "status": self.status, "created_at": _time(self.created_at),
                "next_attempt_at": None if self.next_attempt_at is None else _time(self.next_attempt_at),
                "attempt_count": len(self.attempts), "max_attempts": self.policy.max_attempts,
                "policy": self.policy.name, "last_attempt": last, "meta": _json_safe(self.meta),
                "suppressed_reason": self.suppressed_reason}

    def to_dict(self) -> dict[str, Any]:
        """Everything, attempts included: the body as text, plus base64 when it is not UTF-8."""
        view = self.summary()
        view["headers"] = dict(self.headers)
        view["body_size"] = len(self.body)
        try:
            view["body"] = self.body.decode("utf-8")
        except UnicodeDecodeError:
            view["body"] = self.body.decode("utf-8", errors="replace")
            view["body_base64"] = base64.b64encode(self.body).decode("ascii")
        view["policy_timeout_seconds"] = self.policy.timeout
        view["retry_delays_seconds"] = list(self.policy.retry_delays)
        view["attempts"] = [a.to_dict() for a in self.attempts]
        return view


def _time(value: float) -> float | int:
    """Sandbox times as integers when whole (the usual case), else to the millisecond."""
    rounded = round(float(value), 3)  # a clock set to T0 reads T0 + float noise
    return int(rounded) if rounded.is_integer() else rounded


def _json_safe(value: Any) -> Any:
    # meta belongs to the platform and may hold anything; the admin API shows it as JSON. orjson
    # first (a summary is made for every attempt's console line), which writes NaN as null, valid
    # JSON; json for what orjson refuses (an integer beyond 64 bits).
    try:
        return orjson.loads(orjson.dumps(value, default=str, option=orjson.OPT_NON_STR_KEYS))
    except TypeError:
        return json.loads(json.dumps(value, default=str))
