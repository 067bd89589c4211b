"""create_app(settings) -> a Flask app holding one emulated world, its platforms and the admin API."""
from __future__ import annotations

import logging
from collections import deque
from typing import Any

from flask import Flask, Response, redirect, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from mockserver.admin.errors import record_crash
from mockserver.admin.http import AdminError
from mockserver.core.request_log import RequestLog
from mockserver.core.store import Store
from mockserver.core.web import AsciiIntConverter, json_response
from mockserver.oneshop.errors import http_error as oneshop_http_error
from mockserver.oneshop.errors import is_oneshop_path
from mockserver.settings import Settings, from_env

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 16 * 1024 * 1024
KEEP_CRASHES = 100


_json = json_response


def _error_body(status: int, error: str, message: str) -> Response:
    """An error in the envelope of whichever platform owns the path."""
    path = request.path
    from mockserver.shopline.routes_global import error_body as shopline_error_body

    shopline = shopline_error_body(path, status, message)  # before 1shop: /v1/webhooks is SHOPLINE's
    if shopline is not None:
        return shopline
    if is_oneshop_path(path):  # 1shop's {"success", "msg"}: -10 unknown path, -11 method, -500 crash
        return oneshop_http_error(status)
    if owner(path) == "shopee":  # /api/..., /auth and every path no other platform owns
        from mockserver.shopee.errors import UNKNOWN_PATH, envelope

        if status == 404 and not path.startswith("/api/"):
            error, message = UNKNOWN_PATH  # as for an unknown /api/v2 path: Shopee's own words
        return _json(envelope(error if error.startswith("error_") else "error_param", message), status)
    return _json({"error": error, "message": message}, status)


def _fault_answer(status: int, retry_after: int | None) -> Response:
    """An injected fault's answer (admin /_sandbox/faults) in the envelope of the path's platform:
    its rate-limit answer for 429, its server error for 5xx, with the rule's status."""
    path = request.path
    if status == 429 and is_oneshop_path(path) and not path.startswith("/v1/webhooks"):
        from mockserver.oneshop.errors import rate_limited

        return rate_limited(10 if retry_after is None else retry_after)  # seed 003: 10 requests per 10 s
    if status == 429:
        response = _error_body(429, "error_rate_limit",
                               "Too many requests. You have reached the rate limit. Please try again later.")
    else:
        response = _error_body(status, "error_server", "System error. Please try again later.")
    response.status_code = status  # 1shop's and SHOPLINE's crash bodies carry 500; the rule says which 5xx
    return response


def create_app(settings: Settings | None = None) -> Flask:
    """One sandbox: state lives in app.extensions["shop_sandbox"], never in module globals."""
    from mockserver.admin import errors, faults, guard, journal
    from mockserver.admin.deliveries import bp as deliveries_bp
    from mockserver.admin.routes import bp as admin_bp
    from mockserver.oneshop.admin import bp as oneshop_admin_bp
    from mockserver.oneshop.factory import build_world as build_oneshop
    from mockserver.oneshop.routes import bp as oneshop_bp
    from mockserver.shopee.admin import bp as shopee_admin_bp
    from mockserver.shopee.blueprint import bp as shopee_bp
    from mockserver.shopee.factory import build_world as build_shopee
    from mockserver.shopline.admin import bp as shopline_admin_bp
    from mockserver.shopline.factory import build_world as build_shopline
    from mockserver.shopline.routes_global import bp as shopline_global_bp
    from mockserver.shopline.routes_openapi import bp as shopline_openapi_bp
    from mockserver.oneshop import lean as oneshop_lean
    from mockserver.shopee import lean as shopee_lean
    from mockserver.shopline import lean_trigger as shopline_lean_trigger

    settings = settings or from_env()
    app = Flask(__name__)
    app.config["JSON_AS_ASCII"] = False
    app.url_map.converters["int"] = AsciiIntConverter  # before any route is added (core/web.py)
    # No automatic OPTIONS answers (an empty text/html 200): OPTIONS on a path that does not take
    # it is a JSON 405 with Allow in the path owner's envelope; no cross-site preflight is wanted.
    app.config["PROVIDE_AUTOMATIC_OPTIONS"] = False
    from mockserver.oneshop.snapshot import load as load_oneshop
    from mockserver.shopee.snapshot import load as load_shopee
    from mockserver.shopline.snapshot import load as load_shopline

    from mockserver.world.file_admin import bp as world_bp
    from mockserver.world.file_build import StartWorld, load

    # A bad world file raises WorldFileError (every problem, located) before anything is built.
    layers = (StartWorld(settings.world, load(settings.world)),) if settings.world else ()
    # Each platform: a builder (a new world from the seed) and a loader (its part of a snapshot).
    app.extensions["shop_sandbox"] = Store(settings, {"shopee": build_shopee, "oneshop": build_oneshop,
                                                      "shopline": build_shopline},
                                           {"shopee": load_shopee, "oneshop": load_oneshop,
                                            "shopline": load_shopline}, layers)
    guard.install(app, settings.allowed_hosts, settings.admin_token)  # before any admin route runs
    app.register_blueprint(admin_bp)
    app.register_blueprint(deliveries_bp)
    app.register_blueprint(faults.bp)
    faults.install(app, _fault_answer)
    app.register_blueprint(journal.bp)
    app.register_blueprint(errors.bp)
    app.register_blueprint(shopee_admin_bp)
    app.register_blueprint(shopee_bp)
    app.register_blueprint(oneshop_admin_bp)
    app.register_blueprint(oneshop_bp)
    # /v1/webhooks and /v1/webhooks/<id> are SHOPLINE's: Werkzeug ranks these rules above 1shop's
    # /v1/<path:rest>, whatever the registration order (tests/shopline/test_subscriptions_routing.py).
    app.register_blueprint(shopline_openapi_bp)
    app.register_blueprint(shopline_global_bp)
    app.register_blueprint(shopline_admin_bp)
    app.register_blueprint(world_bp)
    from mockserver.world import snapshot_admin

    snapshot_admin.install(app)  # /_sandbox/snapshot
    if settings.state_dir:
        from mockserver.world.state_dir import StateDir

        # Restored before the first request; StateDirError (a bad or foreign snapshot) stops here.
        directory = StateDir(app.extensions["shop_sandbox"], settings.state_dir, settings.save_strategy,
                             settings.save_interval)
        directory.restore()
        directory.start()
        app.extensions[snapshot_admin.STATE_DIR_KEY] = directory
    from mockserver.ui import bp as ui_bp

    app.register_blueprint(ui_bp)  # the web console for people, /_sandbox/ui (issue 14)

    @app.before_request
    def _to_the_console() -> Response | None:
        # A person opening the sandbox's address lands on its console; every other method on / is
        # still answered by Shopee, which owns the root.
        if request.path == "/" and request.method in ("GET", "HEAD"):
            return redirect("/_sandbox/ui", 302)
        return None

    # A body larger than this is refused (413, JSON) before any handler reads it; explicit order
    # batches of thousands of orders stay far below.
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES

    @app.errorhandler(AdminError)
    def _admin_error(exc: AdminError) -> Response:
        return exc.response()

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        names = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large", 415: "unsupported_media_type"}
        error = names.get(exc.code or 400, "bad_request")
        message = f"no endpoint {request.method} {request.path}" if exc.code in (404, 405) else exc.description
        response = _error_body(exc.code or 400, error, message or error)
        if is_oneshop_path(request.path):
            return response  # its 405 already has 1shop's Allow (GET, HEAD)
        if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
            response.headers["Allow"] = ", ".join(exc.valid_methods)  # RFC 9110: a 405 lists the methods
        return response

    @app.errorhandler(Exception)
    def _crash(exc: Exception) -> Response:
        # A sandbox bug must still answer JSON; the traceback goes to the log and the test plugin.
        note_crash(app, request.method, request.path, exc)
        if owner(request.path) != "sandbox":
            return _error_body(500, "error_server", "System error. Please try again later.")
        return _sandbox_bug(exc)

    store = app.extensions["shop_sandbox"]
    # The platform calls that need nothing of Flask skip it (shopee/lean.py, oneshop/lean.py); the
    # rest go through.
    crashed = lambda method, path, exc: note_crash(app, method, path, exc)  # noqa: E731

    def admin_crashed(method: str, path: str, exc: BaseException) -> Response:
        note_crash(app, method, path, exc)
        return _sandbox_bug(exc)

    lean = LeanRouter([shopee_lean.handler(store, crashed), oneshop_lean.handler(store, crashed),
                       shopline_lean_trigger.handler(store, MAX_BODY_BYTES, admin_crashed)])
    # Outside both: the journal, the console line and the X-Sandbox-Warning headers of every request.
    app.wsgi_app = RequestLog(app.wsgi_app, store, owner, lean)  # type: ignore[method-assign]
    app.runs_briefly = lambda environ: runs_briefly(store, environ)  # type: ignore[attr-defined]
    return app


# Writes that wait on nothing but Python: a Shopee call (but for the push configuration, which
# verifies the callback URL with a push and waits for its answer) and a SHOPLINE trigger (its
# deliveries are queued). Any other write may wait on a receiver, a flush, a batch being planned.
_BRIEF_WRITE_PREFIX = "/api/v2/"
_WAITING_WRITES = frozenset({"/api/v2/push/set_app_push_config"})
_BRIEF_WRITES = frozenset({"/_sandbox/shopline/trigger"})


def runs_briefly(store: Any, environ: dict[str, Any]) -> bool:
    """Whether a request waits on nothing but Python, for the server (wsgi_calls.py: such a request
    runs at once on granian's one thread, any other on a thread of its own). Every read does; while
    a fault rule is set, none (a delay or a drop may hold any request)."""
    if store.faults:
        return False
    if environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
        return True
    path = environ.get("PATH_INFO", "")
    return (path.startswith(_BRIEF_WRITE_PREFIX) and path not in _WAITING_WRITES) or path in _BRIEF_WRITES


def _sandbox_bug(exc: BaseException) -> Response:
    # Admin callers are developers: name the failure so a bug report can point at it.
    return _json({"error": "internal_error", "message": f"sandbox bug: {type(exc).__name__}: {exc}"}, 500)


def note_crash(app: Flask, method: str, path: str, exc: BaseException) -> None:
    """A sandbox bug: logged, kept for the pytest plugin and for GET /_sandbox/errors."""
    log.error("unhandled error on %s %s", method, path, exc_info=exc)
    # Which request it was, for whoever sees the exception away from this log (the pytest plugin).
    exc.add_note(f"shop-sandbox: while answering {method} {path}")
    # The newest KEEP_CRASHES only, with a running count (a crash loop must not grow memory).
    app.extensions.setdefault("shop_sandbox_errors", deque(maxlen=KEEP_CRASHES)).append(exc)
    app.extensions["shop_sandbox_errors_total"] = app.extensions.get("shop_sandbox_errors_total", 0) + 1
    record_crash(app, exc, method, path)  # the same, for a client in another process


class LeanRouter:
    """The first lean handler's answer to a request, or None when none takes it (Flask answers)."""

    def __init__(self, handlers: list[Any]) -> None:
        self.handlers = handlers

    def __call__(self, environ: dict[str, Any]) -> Any:
        for handle in self.handlers:
            response = handle(environ)
            if response is not None:
                return response
        return None


def owner(path: str) -> str | None:
    """The platform a path belongs to, for requests its own code did not name (404s, crashes)."""
    if path.startswith("/api/"):
        return "shopee"
    if path.startswith("/v1/webhooks") or path.startswith("/admin/openapi/"):
        return "shopline"
    if is_oneshop_path(path):
        return "oneshop"
    if path == "/_sandbox" or path.startswith("/_sandbox/"):
        return "sandbox"
    # Shopee is served at the root (partner.shopeemobile.com, open.*.shopee.*/auth): any other path
    # is one of its hosts' paths, so it answers in Shopee's envelope (issue 11).
    return "shopee"
