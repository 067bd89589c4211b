"""What the sandbox learns about one request while answering it: which platform and tenant it
belongs to, the platform's error code, and the warnings raised (core/warnings.py).

Platform code annotates the request it is answering through current(); the request middleware
(core/request_log.py) creates the record, reads it when the answer is out, and writes the console
line, the journal entry and the X-Sandbox-Warning headers. The core knows no platform: each names
itself. Outside a request (a unit test calling a model) current() answers a throwaway record.
"""
from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field

# At most this many warnings are kept per request: a request with 10,000 unknown parameters must
# not build a 10,000-line answer header.
MAX_WARNINGS = 20


@dataclass(slots=True)
class Exchange:
    platform: str | None = None
    tenant: str | None = None  # shop_id=…, appid=…, merchant=…: whose data the request touched
    error: str | None = None  # the platform's own error code or name, when it answered one
    strict: bool = False  # refuse what would only be warned (--strict, or per test)
    fault: str | None = None  # the injected fault rule that fired (core/faults.py)
    warnings: list[str] = field(default_factory=list)
    dropped_warnings: int = 0

    def warn(self, message: str) -> None:
        if message in self.warnings:
            return
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(message)
        else:
            self.dropped_warnings += 1

    def all_warnings(self) -> list[str]:
        if not self.dropped_warnings:
            return list(self.warnings)
        return self.warnings + [f"and {self.dropped_warnings} more warnings"]


_current: ContextVar[Exchange | None] = ContextVar("shop_sandbox_exchange", default=None)


def current() -> Exchange:
    """The record of the request being answered (a detached one outside a request)."""
    found = _current.get()
    return found if found is not None else Exchange()


def begin(strict: bool) -> tuple[Exchange, object]:
    record = Exchange(strict=strict)
    return record, _current.set(record)


def end(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]


def annotate(platform: str | None = None, tenant: str | None = None, error: str | None = None) -> None:
    """Name the request's platform, tenant or error (each only when given)."""
    record = _current.get()
    if record is None:
        return
    if platform is not None:
        record.platform = platform
    if tenant is not None:
        record.tenant = tenant
    if error is not None:
        record.error = error
