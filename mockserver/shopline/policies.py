"""Each SHOPLINE flavour's delivery policy on the webhook engine: timeout, resends, and when a failing
subscription goes, with a word on the console and in the delivery log (issue 12, point 8).

The removal rule is one setting per flavour (EmissionSettings.openapi_removal / global_removal):
- "message" (default, both flavours): a message that used every resend and failed removes its
  subscription. Reference B: "up to 19 [retries] over 48 h ...; after 19 consecutive failures the
  subscription is deleted": the 19 is the length of the retry schedule given in the same sentence,
  so the failures counted are one message's; reference A: "resends at most 3 times, and continued
  failure disables the subscription" (after the resends).
- "consecutive": `failures` failed attempts in a row across the subscription's messages remove it;
  a success in between starts the count again (the other reading of "consecutive").
- "never": subscriptions stay, whatever fails (for tests of a receiver that fails on purpose).
Open API removes by status "removed" (the record stays visible, reference A's circuit breaker);
global deletes the subscription (reference B). Deliveries still waiting for a subscription that is
gone are suppressed, each with its reason on the console and in /_sandbox/deliveries.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mockserver.core.delivery_model import PENDING, Attempt, Delivery, Policy

OPENAPI_PLATFORM = "shopline"  # engine platform names (GET /_sandbox/deliveries?platform=...)
GLOBAL_PLATFORM = "shopline-global"
MESSAGE, CONSECUTIVE, NEVER = "message", "consecutive", "never"
RULES = (MESSAGE, CONSECUTIVE, NEVER)
MAX_REMEMBERED = 1000  # reasons kept for deleted global subscriptions (the oldest forgotten first)


@dataclass(frozen=True)
class Removal:
    """When a failing subscription is removed: rule, and for "consecutive" how many failures."""

    rule: str = MESSAGE
    failures: int | None = None

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise ValueError(f"rule should be one of {', '.join(RULES)}")
        if (self.rule == CONSECUTIVE) != (self.failures is not None):
            raise ValueError('failures goes with rule "consecutive" only')

    def view(self) -> dict[str, Any]:
        return {"rule": self.rule, "failures": self.failures}


class _Flavour:
    """The hooks of one flavour, bound to one world (the builder registers them after every reset)."""

    def __init__(self, store: Any, world: Any, platform: str, removal: Removal) -> None:
        self.store, self.world, self.platform, self.removal = store, world, platform, removal
        self.name = "Open API" if platform == OPENAPI_PLATFORM else "global"

    def current(self) -> bool:
        return self.store.backends.get("shopline") is self.world

    def suppressed(self, delivery: Delivery) -> str | None:
        sub_id = delivery.meta.get("subscription_id")
        if not sub_id:
            return None  # sent with `to`: no subscription to lose
        with self.store.lock:
            return self.gone(sub_id) if self.current() else None

    def gone(self, sub_id: str) -> str | None:  # caller holds the store's lock
        raise NotImplementedError

    def remove(self, sub_id: str, reason: str) -> bool:  # caller holds the store's lock
        raise NotImplementedError

    def dead(self, delivery: Delivery) -> None:
        if self.removal.rule == MESSAGE:
            self._remove(delivery, f"delivery {delivery.id} failed {len(delivery.attempts)} attempts")

    def attempted(self, delivery: Delivery, attempt: Attempt) -> None:
        sub_id = delivery.meta.get("subscription_id")
        if self.removal.rule != CONSECUTIVE or not sub_id:
            return
        with self.store.lock:
            if not self.current():
                return
            failures = self.world.consecutive_failures
            failures[sub_id] = 0 if attempt.ok else failures.get(sub_id, 0) + 1
            count = failures[sub_id]
        if count >= (self.removal.failures or 1):
            self._remove(delivery, f"{count} deliveries failed in a row, the last {delivery.id}")

    def _remove(self, delivery: Delivery, reason: str) -> None:
        sub_id = delivery.meta.get("subscription_id")
        if not sub_id:
            return
        with self.store.lock:
            if not self.current() or not self.remove(sub_id, reason):
                return
            self.world.consecutive_failures.pop(sub_id, None)
        # Said where a person looks: the console now, and each waiting delivery when it falls due.
        _, waiting = self.store.webhooks.list(platform=self.platform, status=PENDING, limit=100_000)
        count = sum(1 for d in waiting if d["meta"].get("subscription_id") == sub_id and d["id"] != delivery.id)
        verb = "removed (status removed)" if self.platform == OPENAPI_PLATFORM else "deleted"
        self.store.console.notice("shopline_subscription_removed",
                                  f"SHOPLINE {self.name} subscription {sub_id} {verb}: {reason}; "
                                  f"{count} waiting deliveries for it will not be sent",
                                  subscription_id=sub_id, waiting=count)


class _OpenApi(_Flavour):
    def gone(self, sub_id: str) -> str | None:
        sub = self.world.subscriptions.get(sub_id)
        if sub is None:
            return f"Open API subscription {sub_id} was deleted"
        if sub.status != "active":
            return f"Open API subscription {sub_id} is removed: {sub.removed_reason or 'status removed'}"
        return None

    def remove(self, sub_id: str, reason: str) -> bool:
        return self.world.disable(sub_id, reason)


class _Global(_Flavour):
    def gone(self, sub_id: str) -> str | None:
        if sub_id in self.world.global_subscriptions:
            return None
        why = self.world.deleted_reasons.get(sub_id, "deleted through the API")
        return f"global subscription {sub_id} was deleted ({why})"

    def remove(self, sub_id: str, reason: str) -> bool:
        if self.world.global_subscriptions.pop(sub_id, None) is None:
            return False
        remember(self.world, sub_id, f"removed after failures: {reason}")
        return True


def remember(world: Any, sub_id: str, reason: str) -> None:
    """Why a global subscription was deleted, for the deliveries still waiting for it (bounded)."""
    reasons = world.deleted_reasons
    reasons[sub_id] = reason
    while len(reasons) > MAX_REMEMBERED:
        reasons.pop(next(iter(reasons)))


def register_policies(store: Any, world: Any) -> None:
    """Both flavours' policies, bound to this world (the builder calls it after every reset, and the
    settings endpoint after a change; queued deliveries keep the policy they were queued with)."""
    settings = world.settings
    for flavour, timeout, delays in (
            (_OpenApi(store, world, OPENAPI_PLATFORM, settings.openapi_removal), settings.openapi_timeout,
             settings.openapi_retry_delays),
            (_Global(store, world, GLOBAL_PLATFORM, settings.global_removal), settings.global_timeout,
             settings.global_retry_delays)):
        store.webhooks.register_policy(flavour.platform, Policy(
            flavour.platform, timeout=timeout, retry_delays=delays, on_dead_letter=flavour.dead,
            on_attempt=flavour.attempted, suppressed=flavour.suppressed))
