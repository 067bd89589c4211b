"""How the contract suites report a finding: an AssertionError that reads like a pytest failure."""
from __future__ import annotations

from collections.abc import Iterable


class SuiteFailure(AssertionError):
    """Base of every suite's failure (order sync, webhook receivers): catch this for any of them."""


class OrderSyncFailure(SuiteFailure):
    """An order sync broke a rule: which suite, what rule, the details, and the sandbox's side."""

    def __init__(self, suite: str, rule: str, details: Iterable[str], sandbox_log: Iterable[str] = ()) -> None:
        self.suite = suite
        self.rule = rule
        self.details = [line.rstrip() for line in details]
        self.sandbox_log = list(sandbox_log)
        lines = [f"{suite}: {rule}"] + [f"  - {line}" for line in self.details]
        if self.sandbox_log:
            lines += ["  sandbox:"] + [f"    {line}" for line in self.sandbox_log]
        super().__init__("\n".join(lines))
