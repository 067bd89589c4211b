"""/_sandbox/requests: the request journal (core/journal.py): list, one entry whole, clear."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from mockserver.admin.http import AdminError, json_body, query_int, reply
from mockserver.core.journal import LIMIT
from mockserver.core.verify import VerifyError, verify

bp = Blueprint("sandbox_journal", __name__, url_prefix="/_sandbox")

DEFAULT_LIMIT = 100  # a read with no limit answers the latest 100: never the whole journal at once


@bp.get("/requests")
def list_requests() -> Response:
    """Platform requests in arrival order, filtered by method and path (a prefix ending in *); the
    latest `limit` (100 unless given) of them, only those after the id `after` when given."""
    limit = query_int("limit", 1, LIMIT, default=DEFAULT_LIMIT)
    after = query_int("after", 0, 2**53)
    method = request.args.get("method")
    journal = current_app.extensions["shop_sandbox"].journal
    path = request.args.get("path") or None
    entries = journal.entries(method.upper() if method else None, path, limit, after)
    total = journal.count(method.upper() if method else None, path)
    return reply({"requests": entries, "count": len(entries), "total": total, **journal.stats()})


@bp.get("/requests/<int:id>")
def get_request(id: int) -> Response:  # noqa: A002 (the contract names it id)
    """One entry whole: the request's headers and body, the answer's body (secrets masked)."""
    entry = current_app.extensions["shop_sandbox"].journal.get(id)
    if entry is None:
        raise AdminError(404, "not_found", f"no request {id} in the journal (it may have been evicted)")
    return reply(entry)


@bp.post("/requests/verify")
def verify_requests() -> Response:
    """Whether the journal holds the described requests the expected number of times; on failure
    the closest requests and what each missed (near misses), or the extra matches."""
    body = json_body(allowed=("match", "count"))
    entries = current_app.extensions["shop_sandbox"].journal.all()
    if "count" in body and body["count"] is None:
        raise AdminError(400, "invalid_field", "count should not be null (leave it out for at least 1)")
    try:
        return reply(verify(entries, body.get("match", {}), body.get("count")))
    except VerifyError as exc:
        raise AdminError(400, "invalid_field", str(exc)) from None


@bp.delete("/requests")
def clear_requests() -> Response:
    return reply({"deleted": current_app.extensions["shop_sandbox"].journal.clear()})
