"""Faults and clock: the injected fault rules (list, add, remove) and the sandbox clock (freeze,
advance, set, back to real time)."""
from __future__ import annotations

from mockserver.admin.faults import METHODS
from mockserver.ui.common import bp, page, store


@bp.get("/faults")
def faults_page() -> str:
    s = store()
    rules = [rule.view() for rule in s.faults.rules()]
    return page("faults.html", title="Faults & clock", nav="faults", rules=rules, methods=METHODS)
