"""Domain events and a tiny synchronous in-process bus (state change -> webhook mappers)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

Handler = Callable[["Event"], None]


@dataclass(frozen=True)
class Event:
    name: str  # e.g. "shopee.order_status_changed"
    at: int  # sandbox-clock unix time
    data: dict[str, Any] = field(default_factory=dict)


class EventBus:
    def __init__(self) -> None:
        self._handlers: dict[str, list[Handler]] = {}
        self.recent: list[Event] = []  # bounded log, for the admin API and tests

    def subscribe(self, name: str, handler: Handler) -> None:
        self._handlers.setdefault(name, []).append(handler)

    def publish(self, event: Event) -> None:
        self.recent.append(event)
        del self.recent[:-1000]
        for handler in self._handlers.get(event.name, []) + self._handlers.get("*", []):
            handler(event)
