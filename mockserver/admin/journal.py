"""/_sandbox/requests: the request journal (core/journal.py), and the hook that fills it."""
from __future__ import annotations

from flask import Blueprint, Flask, Response, current_app, g, request

from mockserver.admin.http import query_int, reply
from mockserver.core.faults import ADMIN_PREFIX
from mockserver.core.journal import LIMIT

bp = Blueprint("sandbox_journal", __name__, url_prefix="/_sandbox")


@bp.get("/requests")
def list_requests() -> Response:
    """Platform requests in arrival order, filtered by method and path (a prefix ending in *)."""
    limit = query_int("limit", 1, LIMIT)
    method = request.args.get("method")
    entries = current_app.extensions["shop_sandbox"].journal.entries(
        method.upper() if method else None, request.args.get("path") or None, limit)
    return reply({"requests": entries, "count": len(entries)})


@bp.delete("/requests")
def clear_requests() -> Response:
    return reply({"deleted": current_app.extensions["shop_sandbox"].journal.clear()})


def install(app: Flask) -> None:
    """Journal every platform request once it is answered (faulted ones included)."""

    @app.after_request
    def _journal(response: Response) -> Response:
        if not request.path.startswith(ADMIN_PREFIX):
            store = app.extensions["shop_sandbox"]
            store.journal.record(request.method, request.path, request.query_string, response.status_code,
                                 store.clock.now(), g.get("shop_sandbox_fault_id"))
        return response
