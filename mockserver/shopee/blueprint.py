"""The Shopee blueprint: one dispatcher for /api/v2/<module>/<api> driven by catalog.REGISTRY.

Every answer, including unknown paths, wrong methods and crashes, is Shopee's JSON envelope.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any, Callable

from flask import Blueprint, Response, current_app, request

from mockserver.core import exchange
from mockserver.core.web import json_response

# The handlers register themselves in catalog.REGISTRY on import.
from mockserver.shopee import auth, channels, logistics, orders, push, tracking  # noqa: F401,E402
from mockserver.shopee import errors as E
from mockserver.shopee import lenient, testenv
from mockserver.shopee.auth_link import open_link
from mockserver.shopee.catalog import REGISTRY, Api, Later, real_api
from mockserver.shopee.errors import ShopeeError, envelope, wrong_param
from mockserver.shopee.gateway import COMMON_PUBLIC, COMMON_SHOP, Caller, authenticate
from mockserver.shopee.params import Params
from mockserver.shopee.world import ShopeeWorld

log = logging.getLogger(__name__)
# The auth page template lives next to this package (templates/auth_page.html).
bp = Blueprint("shopee", __name__, template_folder="templates")
_ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


@dataclass
class Call:
    """What a handler gets: the world, who called, its parameters and the sandbox time."""
    world: ShopeeWorld
    caller: Caller
    params: Params
    now: int
    api: Api
    store: Any = None  # for handlers that answer Later and take the lock again


def error_response(error: ShopeeError) -> Response:
    exchange.annotate(error=error.error)
    return json_response(envelope(error.error, error.message), error.status)


def _store():
    return current_app.extensions["shop_sandbox"]


def _body_params(req: Any) -> dict[str, Any]:
    if not req.content_type or req.mimetype != "application/json":
        raise wrong_param("the request body should be JSON with Content-Type: application/json")
    raw = req.get_data(cache=True)
    try:
        body = json.loads(raw or b"{}")
    except (ValueError, UnicodeDecodeError, RecursionError):  # deep nesting too
        raise wrong_param("the request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise wrong_param("the request body should be a JSON object")
    return body


@bp.route("/api/v1/<path:rest>", methods=_ALL_METHODS)
def v1(rest: str) -> Response:
    return error_response(ShopeeError("api_suspended", "The API is offline. Please call v2 API instead.", 404))


@bp.route("/api/v2/", defaults={"rest": ""}, methods=_ALL_METHODS, strict_slashes=False)  # no HTML 308
@bp.route("/api/v2/<path:rest>", methods=_ALL_METHODS)
def dispatch(rest: str) -> Response:
    return answer(_store(), request, "/api/v2/" + rest)


def answer(store: Any, req: Any, path: str, render: Callable[[Any], Any] = json_response) -> Any:
    """One call to a v2 API, from Flask's request or lean.py's (method, args, content_type,
    mimetype, get_data): the gateway's checks, the API's parameters, its handler, its envelope,
    written by `render` (lean.py's writes a JsonAnswer; errors are Responses either way)."""
    exchange.annotate(platform="shopee", tenant=tenant_of(req.args))
    entry = REGISTRY.get(path) or _not_emulated(path, req.method)
    if entry is None:
        return error_response(ShopeeError(*E.UNKNOWN_PATH, status=404))
    if req.method != entry.method:
        refused = error_response(wrong_param_status(f"this API only accepts {entry.method}", 405))
        refused.headers["Allow"] = entry.method  # RFC 9110: a 405 names the methods that work
        return refused
    try:
        with store.lock:
            store.tick()
            world: ShopeeWorld = store.backend("shopee")
            now = store.clock.now_int()
            _warn_repeated_common(entry, req.args)
            caller = authenticate(world, req.args, path, entry.api_type, entry.permissions, now)
            if caller.shop is not None:
                testenv.check_active(entry.name, caller.shop, now)
            params = _params_for(entry, req)
            result = entry.handler(Call(world, caller, params, now, entry, store))
        if isinstance(result, Later):
            result = result.run()  # outside the lock: it may wait for the webhook engine
    except ShopeeError as exc:
        return error_response(exc)
    if isinstance(result, Response):
        return result
    return render(envelope(**result))


@bp.route("/auth", methods=_ALL_METHODS)
def auth_link() -> Response:
    """The newer authorisation link (auth_link.py): no sign, the same page and redirect."""
    exchange.annotate(platform="shopee", tenant=tenant_of(request.args))
    if request.method not in ("GET", "HEAD"):
        refused = error_response(wrong_param_status("this page only accepts GET", 405))
        refused.headers["Allow"] = "GET"
        return refused
    store = _store()
    try:
        with store.lock:
            store.tick()
            return open_link(store.backend("shopee"), request.args, store.clock.now_int())
    except ShopeeError as exc:
        return error_response(exc)


def tenant_of(query: Any) -> str | None:
    """Whose call it is, for the console and the journal: the shop, else the partner (as sent)."""
    shop_id, partner_id = query.get("shop_id"), query.get("partner_id")
    if shop_id:
        return f"shop_id={shop_id[:20]}"
    return f"partner_id={partner_id[:20]}" if partner_id else None


def wrong_param_status(detail: str, status: int) -> ShopeeError:
    exc = wrong_param(detail)
    exc.status = status
    return exc


def _common(entry: Api) -> tuple[str, ...]:
    return COMMON_SHOP if entry.api_type == "shop" else COMMON_PUBLIC


def _warn_repeated_common(entry: Api, args: Any) -> None:
    """A repeated common parameter (partner_id=1&partner_id=2): the gateway reads the first value."""
    for name in _common(entry):
        values = args.getlist(name)
        if len(values) > 1:
            lenient.repeated_parameter(entry.name, name, values)


def _params_for(entry: Api, req: Any) -> Params:
    if entry.params is None:  # not emulated: nothing will be read
        return Params({}, from_query=True)
    common = _common(entry)
    args = req.args
    if entry.method == "GET":
        query = {k: v for k, v in args.items() if k not in common}
        repeated = {k: v for k, v in args.lists() if len(v) > 1 and k not in common}
        params = Params(query, from_query=True, api=entry.name, repeated=repeated)
    else:
        # A POST API's own parameters are its JSON body: anything else in the query is unknown.
        for name in sorted(set(args) - set(common)):
            lenient.unknown_parameter(entry.name, name)
        params = Params(_body_params(req), from_query=False, api=entry.name)
    params.check_known(entry.params)
    return params


def _not_emulated(path: str, method: str) -> Api | None:
    """A real API the sandbox does not emulate: the gateway still checks the call (so an app type
    without the permission gets the permission error), then the answer says it is not emulated."""
    real = real_api(path, method)
    if real is None:
        return None
    name = "v2." + path.removeprefix("/api/v2/").replace("/", ".")

    def refuse(call: Call) -> dict:
        raise ShopeeError("error_not_found",
                          f"shop-sandbox does not emulate {name}; see the README's list of emulated APIs.",
                          404)

    return Api(name, path, real.method, real.api_type, real.permissions, None, refuse)
