"""Core admin endpoints: health, reset, credentials, clock, state and the admin OpenAPI document."""
from __future__ import annotations

import time

from flask import Blueprint, Response, current_app, request

from mockserver import __version__
from mockserver.admin.http import AdminError, field, json_body, number, reply
from mockserver.core import contracts

bp = Blueprint("sandbox_admin", __name__, url_prefix="/_sandbox")

# Shopee timestamps are 32-bit unsigned ("an integer between 0 and 4294967295"): the clock stays inside.
MAX_TIME = 4_294_967_295


def store():
    return current_app.extensions["shop_sandbox"]


@bp.get("/health")
def health() -> Response:
    """What a health probe needs; takes no lock, so it answers while the world is busy."""
    s = store()
    return reply({"status": "ok", "version": __version__, "seed": s.seed, "platforms": sorted(s.backends),
                  "now": s.clock.now_int(), "uptime_seconds": round(time.monotonic() - s.started_monotonic, 3),
                  "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(s.started_wall)),
                  "strict": s.strict})


@bp.get("/strict")
def get_strict() -> Response:
    return reply({"strict": store().strict})


@bp.post("/strict")
def set_strict() -> Response:
    """Refuse (true) or only warn about (false) what the platforms' documents do not settle, until
    the next reset, which restores the --strict setting."""
    body = json_body(allowed=("strict",))
    store().strict = field(body, "strict", bool)
    return reply({"strict": store().strict})


@bp.post("/reset")
def reset() -> Response:
    body = json_body(optional=True, allowed=("seed",))
    seed = field(body, "seed", int, required=False)
    s = store()
    from mockserver.world.file_admin import world_error
    from mockserver.world.file_problems import WorldFileError

    with s.lock:
        previous = s.seed
        try:
            s.reset(seed)
        except WorldFileError as exc:
            # The start's world file does not fit the new seed's world (an id the seed drew): the
            # world goes back to the seed it fitted, and the caller learns why.
            s.reset(previous)
            raise world_error(exc, 409, "world_file_conflict") from None
    return reply({"status": "reset", "seed": s.seed})


@bp.get("/credentials")
def credentials() -> Response:
    s = store()
    base_url = request.host_url.rstrip("/")
    with s.lock:
        platforms = {name: backend.credentials(base_url) for name, backend in s.backends.items()
                     if hasattr(backend, "credentials")}
    return reply({"base_url": base_url, **platforms})


@bp.get("/clock")
def get_clock() -> Response:
    return reply(store().clock.state())


@bp.post("/clock")
def set_clock() -> Response:
    body = json_body(allowed=("freeze", "advance_seconds", "now", "real_time"))
    if field(body, "real_time", bool, required=False):
        if len(body) > 1:
            raise AdminError(400, "invalid_field", "real_time goes alone: it sets the time and lets it run")
        store().clock.real_time()
        return reply(store().clock.state())
    freeze = field(body, "freeze", bool, required=False)
    now = number(body, "now", (int, float), 0, MAX_TIME, required=False)
    advance = field(body, "advance_seconds", (int, float), required=False)
    if advance is not None and advance < 0:
        raise AdminError(400, "invalid_field", "advance_seconds should be >= 0: the sandbox clock only moves forward")
    if advance is not None and (store().clock.now() if now is None else now) + advance > MAX_TIME:
        raise AdminError(400, "invalid_field", f"the sandbox clock cannot go past {MAX_TIME}")
    clock = store().clock
    if freeze is True:
        clock.freeze()
    if now is not None:
        clock.set(now)
    if advance:
        clock.advance(advance)
    if freeze is False:
        clock.unfreeze()
    return reply(clock.state())


@bp.get("/state")
def state() -> Response:
    """Every record of every platform (the determinism check and debugging)."""
    return reply(store().snapshot())


@bp.get("/openapi.json")
def openapi() -> Response:
    # Parsed once per process (contracts.load caches), from the data folder a wheel install ships.
    return reply(contracts.load("admin/openapi.yaml"))
