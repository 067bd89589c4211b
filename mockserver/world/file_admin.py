"""POST /_sandbox/world: a world document (the world file's schema, as JSON) added to the running
world, all or nothing. Contract: contracts/admin/openapi.yaml.

A reset drops what was posted, like every other change made at run time; the world file given
at start (--world) is applied again after every reset.
"""
from __future__ import annotations

from flask import Blueprint, Response, current_app

from mockserver.admin.http import AdminError, json_body, reply
from mockserver.world.file_build import apply, from_data
from mockserver.world.file_problems import WorldFileError

bp = Blueprint("sandbox_world", __name__, url_prefix="/_sandbox")
MAX_LISTED = 200


def world_error(exc: WorldFileError, status: int = 400, error: str = "invalid_world") -> AdminError:
    """The admin envelope with every problem: {"error", "message", "errors": [{location, message, ...}]}."""
    first = str(exc.problems[0]) if exc.problems else ""
    return AdminError(status, error, f"{exc}: {first}" + (" ..." if len(exc.problems) > 1 else ""),
                      errors=[p.view() for p in exc.problems[:MAX_LISTED]])


@bp.post("/world")
def add_world() -> Response:
    body = json_body()
    try:
        document = from_data(body)
    except WorldFileError as exc:
        raise world_error(exc) from None
    store = current_app.extensions["shop_sandbox"]
    with store.lock:
        store.tick()
        try:
            added = apply(store, document)
        except WorldFileError as exc:
            raise world_error(exc) from None
    return reply({"status": "added", "added": added}, 201)
