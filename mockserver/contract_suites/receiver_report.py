"""The report of a webhook-receiver suite: every check made, the receiver's response times, and a
failure message that reads like a pytest assertion (check, event, what was sent, what came back)."""
from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from mockserver.contract_suites.report import SuiteFailure

# Enough failures of one check to see the pattern; the rest are counted, not printed.
SHOWN_PER_CHECK = 3


@dataclass(frozen=True)
class Check:
    """One verdict: `name` is the check ("delivered", "forged/wrong_signature" ...), `subject` the
    event it was made on ("code 3 order_status_push", "order/update" ...)."""

    name: str
    subject: str
    ok: bool
    sent: str = ""
    got: str = ""
    expected: str = ""


@dataclass
class ReceiverReport:
    """What a suite run found. `passed` is True when no check failed."""

    suite: str
    url: str
    timeout: float = 0.0  # the platform's answer deadline, seconds
    checks: list[Check] = field(default_factory=list)
    # Real milliseconds the receiver took to answer the sandbox's first attempt of each delivery,
    # per subject, and the suite's own POSTs (duplicates, forgeries, out-of-order).
    delivery_ms: dict[str, list[float]] = field(default_factory=dict)
    direct_ms: list[float] = field(default_factory=list)
    rejections: Counter = field(default_factory=Counter)  # answers to forged deliveries: status or error
    examples: int = 0  # Hypothesis examples run
    notes: list[str] = field(default_factory=list)

    # ---- recording -------------------------------------------------------------------------------
    def add(self, name: str, subject: str, ok: bool, *, sent: str = "", got: str = "", expected: str = "") -> bool:
        self.checks.append(Check(name, subject, ok, sent, got, expected))
        return ok

    def delivered_in(self, subject: str, latency_ms: float) -> None:
        self.delivery_ms.setdefault(subject, []).append(latency_ms)

    # ---- reading ---------------------------------------------------------------------------------
    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    @property
    def passed(self) -> bool:
        return not self.failures

    def subjects(self, name: str = "delivered") -> list[str]:
        """The subjects a check was made on (e.g. every push code or topic delivered), sorted."""
        return sorted({c.subject for c in self.checks if c.name == name})

    def failed(self, name: str) -> list[Check]:
        """Failures of one check, or of a family when name ends with "/" ("forged/")."""
        return [c for c in self.failures if c.name == name or (name.endswith("/") and c.name.startswith(name))]

    def timings(self) -> dict[str, Any]:
        """Response times in real milliseconds: to the sandbox's deliveries and to the suite's POSTs."""
        every = [ms for values in self.delivery_ms.values() for ms in values]
        return {"deliveries": _stats(every), "direct": _stats(self.direct_ms),
                "per_subject_max_ms": {s: max(v) for s, v in sorted(self.delivery_ms.items())},
                "timeout_seconds": self.timeout}

    def summary(self) -> str:
        """A few lines: checks per name (passed/failed), response times, how forgeries were refused."""
        by_name: dict[str, list[int]] = {}
        for check in self.checks:
            counts = by_name.setdefault(check.name, [0, 0])
            counts[0 if check.ok else 1] += 1
        failed = len(self.failures)
        verdict = "all passed" if not failed else f"{failed} failed"
        lines = [f"{self.suite} at {self.url}: {len(self.checks)} checks, {verdict} "
                 f"({self.examples} Hypothesis examples)"]
        width = max((len(n) for n in by_name), default=0)
        for name, (ok, bad) in by_name.items():
            lines.append(f"  {name:<{width}}  {ok} passed" + (f", {bad} FAILED" if bad else ""))
        timing = self.timings()
        for what, label in (("deliveries", "answers to the sandbox"), ("direct", "answers to the suite's POSTs")):
            stats = timing[what]
            if stats["count"]:
                lines.append(f"  {label}: {stats['count']}, median {stats['median_ms']} ms, "
                             f"max {stats['max_ms']} ms (platform limit {self.timeout:g} s)")
        if self.rejections:
            used = ", ".join(f"{k} x{v}" for k, v in sorted(self.rejections.items(), key=lambda kv: str(kv[0])))
            advice = "" if set(self.rejections) <= {401, 403} else " (401 or 403 expected)"
            lines.append(f"  forged deliveries answered with: {used}{advice}")
        lines.extend(f"  note: {note}" for note in self.notes)
        return "\n".join(lines)

    def failure_message(self) -> str:
        """Every failed check, grouped by check name; the first few of each in full."""
        failures = self.failures
        lines = [f"{self.suite} at {self.url}: {len(failures)} of {len(self.checks)} checks failed"]
        groups: dict[str, list[Check]] = {}
        for check in failures:
            groups.setdefault(check.name, []).append(check)
        for name, checks in groups.items():
            lines.append(f"\n{name}: {len(checks)} failed")
            for check in checks[:SHOWN_PER_CHECK]:
                lines.append(f"  - {check.subject}")
                if check.expected:
                    lines.append(f"      expected: {check.expected}")
                if check.sent:
                    lines.append(f"      sent:     {check.sent}")
                if check.got:
                    lines.append(f"      got:      {check.got}")
            if len(checks) > SHOWN_PER_CHECK:
                more = sorted({c.subject for c in checks[SHOWN_PER_CHECK:]})
                lines.append(f"  ... and {len(checks) - SHOWN_PER_CHECK} more ({', '.join(more[:8])}"
                             f"{' ...' if len(more) > 8 else ''})")
        lines.append("\n" + self.summary())
        return "\n".join(lines)

    def raise_for_failures(self) -> ReceiverReport:
        """Raise ReceiverContractError listing every failed check; the report itself when all passed."""
        if self.failures:
            raise ReceiverContractError(self)
        return self

    def __str__(self) -> str:
        return self.summary()


class ReceiverContractError(SuiteFailure):
    """A receiver broke its platform's webhook contract; `.report` has every check."""

    def __init__(self, report: ReceiverReport) -> None:
        self.report = report
        super().__init__(report.failure_message())


def _stats(values: list[float]) -> dict[str, Any]:
    if not values:
        return {"count": 0, "median_ms": None, "p95_ms": None, "max_ms": None}
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"count": len(values), "median_ms": round(statistics.median(ordered), 1), "p95_ms": round(p95, 1),
            "max_ms": round(ordered[-1], 1)}
