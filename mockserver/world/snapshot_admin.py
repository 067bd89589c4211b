"""Admin endpoints of snapshots: GET/POST /_sandbox/snapshot (export, replace the world) and
POST /_sandbox/snapshot/save (write the state directory now)."""
from __future__ import annotations

from flask import Blueprint, Flask, Response, current_app, request

from mockserver.admin.http import AdminError, json_body, reply
from mockserver.core.web import JSON_TYPE
from mockserver.world import snapshot
from mockserver.world.state_dir import StateDir

bp = Blueprint("sandbox_snapshot", __name__, url_prefix="/_sandbox/snapshot")
STATE_DIR_KEY = "shop_sandbox_state_dir"


def state_dir(app: Flask) -> StateDir | None:
    return app.extensions.get(STATE_DIR_KEY)


@bp.get("")
def export() -> Response:
    store = current_app.extensions["shop_sandbox"]
    document = snapshot.export_snapshot(store)  # the lock is held only while reading
    return Response(snapshot.dumps(document), status=200, content_type=JSON_TYPE)


@bp.post("")
def restore() -> Response:
    raw = request.get_data(cache=False)
    if request.mimetype not in ("application/json", "") and not request.mimetype.endswith("+json"):
        raise AdminError(415, "unsupported_media_type", "send the snapshot as application/json")
    try:
        document = snapshot.loads(raw)
        store = current_app.extensions["shop_sandbox"]
        snapshot.import_snapshot(store, document)
    except snapshot.SnapshotError as exc:
        raise AdminError(400, "invalid_snapshot", str(exc)) from None
    return reply({"status": "restored", "seed": store.seed, "platforms": sorted(store.backends)})


@bp.post("/save")
def save() -> Response:
    """Write the world to the state directory now (any strategy; the only saves of "manual")."""
    directory = state_dir(current_app)
    if directory is None:
        raise AdminError(409, "no_state_dir", "the sandbox runs without --state-dir: there is nowhere to save")
    json_body(optional=True, allowed=())
    directory.save(force=True)
    return reply(directory.view())


def install(app: Flask) -> None:
    """The blueprint (the change count a saver reads is kept by core/request_log.py)."""
    app.register_blueprint(bp)
