"""How a contract suite reports a finding: an AssertionError that reads like a pytest failure."""
from __future__ import annotations

from collections.abc import Iterable


class SuiteFailure(AssertionError):
    """A suite's check failed: which suite, what rule, the details, and the sandbox's side of it."""

    def __init__(self, suite: str, rule: str, details: Iterable[str], sandbox_log: Iterable[str] = ()) -> None:
        self.suite = suite
        self.rule = rule
        self.details = [line.rstrip() for line in details]
        self.sandbox_log = list(sandbox_log)
        lines = [f"{suite}: {rule}"] + [f"  - {line}" for line in self.details]
        if self.sandbox_log:
            lines += ["  sandbox:"] + [f"    {line}" for line in self.sandbox_log]
        super().__init__("\n".join(lines))
