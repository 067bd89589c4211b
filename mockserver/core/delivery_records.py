"""Deliveries as plain data and back, for snapshots: id, body, headers, attempts and when the next
attempt falls due. A delivery in flight when saved is saved as pending, due at once (at-least-once:
the receiver may see it twice). The policy is not data: a restored delivery takes its platform's."""
from __future__ import annotations

import base64
from typing import Any, Callable

from mockserver.core import delivery_http
from mockserver.core.delivery_model import PENDING, SENDING, STATUSES, Attempt, Delivery, Policy

_ATTEMPT_FIELDS = ("number", "at", "status", "latency_ms", "response_excerpt", "error", "detail", "ok",
                   "replay", "warning")


def to_record(delivery: Delivery, now: float) -> dict[str, Any]:
    """The delivery as JSON data (caller holds the engine's lock)."""
    status, due = delivery.status, delivery.next_attempt_at
    if status == SENDING:
        status, due = PENDING, now
    record: dict[str, Any] = {"id": delivery.id, "platform": delivery.platform, "event": delivery.event,
                              "url": delivery.url, "headers": dict(delivery.headers)}
    try:
        record["body"] = delivery.body.decode("utf-8")
    except UnicodeDecodeError:
        record["body_base64"] = base64.b64encode(delivery.body).decode("ascii")
    record.update(created_at=delivery.created_at, policy=delivery.policy.name, meta=delivery.meta,
                  status=status, next_attempt_at=due, suppressed_reason=delivery.suppressed_reason,
                  replay_next=delivery.replay_next,
                  attempts=[{name: getattr(a, name) for name in _ATTEMPT_FIELDS} for a in delivery.attempts])
    return record


def from_record(record: Any, policy_for: Callable[[str], Policy], where: str) -> Delivery:
    """A Delivery from to_record's data; ValueError naming what is wrong."""
    if not isinstance(record, dict):
        raise ValueError(f"{where}: expected an object")
    try:
        if "body_base64" in record:
            body = base64.b64decode(record["body_base64"], validate=True)
        else:
            body = record["body"].encode("utf-8")
        url = record["url"]
        delivery_http.check_url(url)
        status = record["status"]
        if status not in STATUSES or status == SENDING:
            raise ValueError(f"status {status!r} is not one a saved delivery has")
        due = record["next_attempt_at"]
        if (status == PENDING) != isinstance(due, (int, float)):
            raise ValueError("a pending delivery has a next_attempt_at time, no other has one")
        attempts = [Attempt(**{name: a[name] for name in _ATTEMPT_FIELDS}) for a in record["attempts"]]
        headers, meta = record["headers"], record["meta"]
        if not isinstance(headers, dict) or not isinstance(meta, dict):
            raise ValueError("headers and meta should be objects")
        delivery = Delivery(id=str(record["id"]), platform=str(record["platform"]), event=str(record["event"]),
                            url=url, headers=delivery_http.check_headers(headers), body=body,
                            created_at=float(record["created_at"]), policy=policy_for(record["platform"]),
                            target=delivery_http.target_key(url), meta=meta, status=status,
                            next_attempt_at=due, attempts=attempts,
                            suppressed_reason=record["suppressed_reason"], replay_next=bool(record["replay_next"]))
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"{where}: {type(exc).__name__}: {exc}") from None
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None
    return delivery
