"""Requests: the journal, newest first and updating live (the page's script polls
GET /_sandbox/requests?after=<last id>), and one request whole with its answer."""
from __future__ import annotations

from flask import request

from mockserver.ui.common import bp, missing, page, store

FIRST_PAGE = 100  # the newest entries the page opens with; the script adds newer ones as they come


@bp.get("/requests")
def requests_page() -> str:
    method = (request.args.get("method") or "").upper() or None
    path = request.args.get("path") or None
    journal = store().journal
    entries = journal.entries(method, path, FIRST_PAGE, None)
    entries.reverse()  # the journal lists in arrival order; a person reads the newest first
    return page("requests.html", title="Requests", nav="requests", entries=entries, method=method or "",
                path=path or "", last_id=max((e["id"] for e in entries), default=0), stats=journal.stats(),
                total=journal.count(method, path))


@bp.get("/requests/<int:entry_id>")
def request_page(entry_id: int) -> tuple[str, int] | str:
    entry = store().journal.get(entry_id)
    if entry is None:
        return missing(f"request {entry_id} (the journal may have let it go: it keeps the newest)")
    return page("request.html", title=f"Request {entry_id}", nav="requests", e=entry)
