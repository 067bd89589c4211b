"""SHOPLINE Open API webhooks REST (reference A): POST|GET /v1/webhooks, GET|PUT|DELETE /v1/webhooks/<id>.

Its real base is https://open.shopline.io/v1, which shares /v1 with 1shop in this sandbox: these two
exact paths are SHOPLINE's (Werkzeug prefers them to 1shop's /v1/<path:rest>), every other /v1 path
stays 1shop's. Every method is routed here so that a wrong one answers SHOPLINE's body, not 1shop's.

Answers: validation failures 422 {"message": "Unable to process the changes [<detail>]"} (the
documented malformed-id message is verbatim; the other details follow the same Joi wording); other
failures {"error", "code"} like the documented 429 (401 Unauthorized, 404 NotFound, 405).
Check order: token, rate limit, id format, existence, body.
"""
from __future__ import annotations

import json
import math
import re
from typing import Any

from flask import Blueprint, Response, current_app, request

from mockserver.core import exchange
from mockserver.core.warnings import warn
from mockserver.core.web import json_response
from mockserver.shopline import emitter, topics
from mockserver.shopline.numbers import SAFE_INTEGER
from mockserver.shopline.subscriptions import (
    ACTIVE,
    DEFAULT_PER_PAGE,
    MAX_PER_PAGE,
    REMOVED,
    WEBHOOK_ID,
    ShoplineWorld,
    Subscription,
    Token,
    check_address,
    subscribable,
)

bp = Blueprint("shopline_openapi", __name__)

PREFIX = "/v1/webhooks"
_ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
RATE_LIMITED = {"error": "Rate limit exceeded for attempts to access Open API. please try again later",
                "code": "RateLimitExceeded"}  # reference A, verbatim
UNAUTHORIZED = {"error": "Invalid or missing access token", "code": "Unauthorized"}  # our wording
NOT_FOUND = {"error": "Webhook not found", "code": "NotFound"}
FIELDS = ("address", "topics", "webhook_version")
# Fields an update must name at least one of (Joi's "must contain at least one of").
UPDATABLE = ("address", "topics", "webhook_version")


class OpenApiError(Exception):
    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        super().__init__(body)
        self.status, self.body, self.headers = status, body, headers or {}

    def response(self) -> Response:
        exchange.annotate(error=str(self.body.get("code") or self.status))
        response = _json(self.body, self.status)
        response.headers.update(self.headers)
        return response


_json = json_response


def invalid(detail: str) -> OpenApiError:
    return OpenApiError(422, {"message": f"Unable to process the changes [{detail}]"})


def is_openapi_path(path: str) -> bool:
    return path == PREFIX or (path.startswith(PREFIX + "/") and path.count("/") == 3 and len(path) > len(PREFIX) + 1)


COLLECTION_ALLOW, ITEM_ALLOW = "GET, HEAD, POST", "GET, HEAD, PUT, DELETE"
# Python's int() also takes "1_0" and other scripts' digits, which Joi's number() refuses.
_INTEGER = re.compile(r"\s*[+-]?[0-9]+\s*")


def error_body(status: int, message: str) -> Response:
    """Errors the app raises on these paths (a crash, an oversized body, a method outside every
    rule such as TRACE): SHOPLINE's {"error", "code"} form; a 405 lists the methods (RFC 9110)."""
    if status == 429:  # an injected fault (admin /_sandbox/faults): the documented rate-limit answer
        return _json(RATE_LIMITED, 429)
    codes = {404: "NotFound", 405: "MethodNotAllowed", 413: "PayloadTooLarge", 500: "InternalServerError",
             502: "BadGateway", 503: "ServiceUnavailable", 504: "GatewayTimeout"}
    response = _json({"error": message, "code": codes.get(status, "InternalServerError" if status >= 500
                                                           else "BadRequest")}, status)
    if status == 405:
        response.headers["Allow"] = COLLECTION_ALLOW if request.path == PREFIX else ITEM_ALLOW
    return response


# ---- request plumbing ----------------------------------------------------------------------------------
def _store() -> Any:
    return current_app.extensions["shop_sandbox"]


def bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _authenticate(world: ShoplineWorld) -> Token:
    value = bearer()
    token = world.token(value) if value else None
    if token is None:
        raise OpenApiError(401, UNAUTHORIZED, {"WWW-Authenticate": 'Bearer realm="SHOPLINE Open API"'})
    exchange.annotate(tenant=f"merchant={token.merchant_id}")
    limit = world.settings.openapi_rate_limit
    decision = world.limiter.hit(token.token, *(limit or (None, 0)))
    if not decision.allowed:
        raise OpenApiError(429, RATE_LIMITED, {"Retry-After": str(decision.retry_after)})
    return token


def _body() -> dict[str, Any]:
    try:
        body = json.loads(request.get_data(cache=True) or b"null")
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise invalid('"value" must be of type object') from None
    if not isinstance(body, dict):
        raise invalid('"value" must be of type object')
    unknown = [k for k in body if k not in FIELDS]
    if unknown:
        raise invalid(f'"{unknown[0]}" is not allowed')
    return body


def _address(body: dict[str, Any]) -> str:
    value = body["address"]
    if not isinstance(value, str):
        raise invalid('"address" must be a string')
    try:
        check_address(value)
    except ValueError:
        raise invalid('"address" must be a valid uri') from None
    try:
        return _store().webhooks.check_target(value)
    except ValueError as exc:  # the sandbox's outbound allow-list (SHOP_SANDBOX_OUTBOUND_ALLOW)
        raise invalid(f'"address" is refused by the sandbox: {exc}') from None


def _topics(body: dict[str, Any]) -> list[str]:
    value = body["topics"]
    if not isinstance(value, list):
        raise invalid('"topics" must be an array')
    if not value:
        raise invalid('"topics" must contain at least 1 items')
    names: list[str] = []
    for index, name in enumerate(value):
        canonical = subscribable(name)
        if canonical is None:
            if not isinstance(name, str):
                raise invalid(f'"topics[{index}]" must be a string')
            raise invalid(f'"topics[{index}]" must be one of [{", ".join(topics.subscribable_topics())}]')
        if canonical not in names:  # promotion/redeeem is stored as promotion/redeem, once
            names.append(canonical)
    return names


def _webhook_version(body: dict[str, Any], current: str | None = None) -> str | None:
    """shopline-sdk-python (generated from SHOPLINE's API document) sends `webhook_version`, a string,
    on create and update, and reads it back from the Webhook: stored as given, returned as given."""
    if "webhook_version" not in body:
        return current
    value = body["webhook_version"]
    if not isinstance(value, str):
        raise invalid('"webhook_version" must be a string')
    return value


def _no_duplicate(world: ShoplineWorld, token: Token, address: str, names: list[str], ignore: str | None = None) -> None:
    """One owner cannot have two subscriptions sending a topic to the same address (each event would
    arrive twice with one trace_id): refused like the global flavour's duplicate (reference A is silent)."""
    clash = world.overlap(token, address, names, ignore)
    if clash is not None:
        sub, topic = clash
        raise invalid(f'"address" is already subscribed to "{topic}" by webhook {sub.id}')


def _need(world: ShoplineWorld, token: Token, webhook_id: str) -> Subscription:
    if not WEBHOOK_ID.fullmatch(webhook_id):
        # Reference A, verbatim (the value is shown as sent).
        raise invalid(f'"webhookId" with value "{webhook_id}" fails to match the required pattern: /^[0-9a-fA-F]{{24}}$/')
    sub = world.owned_subscription(token, webhook_id)
    if sub is None:
        raise OpenApiError(404, NOT_FOUND)
    return sub


def _method_not_allowed(allowed: str) -> OpenApiError:
    return OpenApiError(405, {"error": f"Method {request.method} is not allowed", "code": "MethodNotAllowed"},
                        {"Allow": allowed})


def _handshake(check: emitter.Verification) -> None:
    """The endpoint verification, outside the store's lock (see emitter.verify_endpoint)."""
    failure = emitter.verify_endpoint(check, _store().webhooks)
    if failure is not None:
        raise invalid(f'"address" failed the endpoint verification: {failure}')


# ---- routes ------------------------------------------------------------------------------------------------
@bp.route(PREFIX, methods=_ALL_METHODS, strict_slashes=True, merge_slashes=False)
def collection() -> Response:
    try:
        if request.method in ("GET", "HEAD"):
            return _list()
        if request.method == "POST":
            return _create()
        raise _method_not_allowed(COLLECTION_ALLOW)
    except OpenApiError as exc:
        return exc.response()


@bp.route(PREFIX + "/<webhook_id>", methods=_ALL_METHODS, merge_slashes=False)
def item(webhook_id: str) -> Response:
    try:
        if request.method in ("GET", "HEAD"):
            store = _store()
            with store.lock:
                world = store.backend("shopline")
                return _json(_need(world, _authenticate(world), webhook_id).view())
        if request.method == "PUT":
            return _update(webhook_id)
        if request.method == "DELETE":
            return _delete(webhook_id)
        raise _method_not_allowed(ITEM_ALLOW)
    except OpenApiError as exc:
        return exc.response()


def _integer(name: str, default: int, high: int) -> int:
    """A paging parameter as Joi reads one: absent is the default; empty ("page=") or anything but
    ASCII digits (optional sign, surrounding spaces) is not a number."""
    values = request.args.getlist(name)
    if not values:
        return default
    if len(values) > 1:
        # A Node/Joi service: Express reads name=a&name=b as an array, which Joi's number() refuses.
        # The documents are silent: the first value is used, with a warning; strict mode refuses.
        shown = ", ".join(repr(v) for v in values)
        warn(f"SHOPLINE: query parameter {name} given {len(values)} times ({shown}); the sandbox uses the first value",
             lambda: invalid(f'"{name}" must be a number'))
    raw = values[0]
    if not _INTEGER.fullmatch(raw):
        raise invalid(f'"{name}" must be a number')
    digits = raw.strip().lstrip("+-").lstrip("0")
    # Joi reads the text as a JavaScript number and refuses one beyond 2**53 - 1 before its
    # min/max rules ("number.unsafe"); never int() on thousands of digits.
    if len(digits) > 16 or int(digits or "0") > SAFE_INTEGER:
        raise invalid(f'"{name}" must be a safe number')
    value = int(raw)
    if value < 1:
        raise invalid(f'"{name}" must be greater than or equal to 1')
    if value > high:
        raise invalid(f'"{name}" must be less than or equal to {high}')
    return value


def _list() -> Response:
    store = _store()
    with store.lock:
        world = store.backend("shopline")
        token = _authenticate(world)
        page = _integer("page", 1, 10**9)
        per_page = _integer("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
        owned = world.owned(token)  # creation order, oldest first
        shown = owned[(page - 1) * per_page:page * per_page]
        return _json({"items": [s.view() for s in shown],
                      "pagination": {"current_page": page, "per_page": per_page, "total_count": len(owned),
                                     "total_pages": math.ceil(len(owned) / per_page)}})


def _create() -> Response:
    store = _store()
    with store.lock:
        world = store.backend("shopline")
        token = _authenticate(world)
        body = _body()
        for name in ("address", "topics"):
            if name not in body:
                raise invalid(f'"{name}" is required')
        address, names, version = _address(body), _topics(body), _webhook_version(body)
        _no_duplicate(world, token, address, names)
        check = emitter.verification_for(world, token, address)
    _handshake(check)
    with store.lock:
        # A reset during the handshake leaves this world unreachable: the record goes with it. A
        # duplicate created meanwhile (another request's handshake) is refused now.
        _no_duplicate(world, token, address, names)
        return _json(world.create_subscription(token, address, names, version).view())


def _update(webhook_id: str) -> Response:
    store = _store()
    with store.lock:
        world = store.backend("shopline")
        token = _authenticate(world)
        sub = _need(world, token, webhook_id)
        body = _body()
        if not body:
            raise invalid(f'"value" must contain at least one of [{", ".join(UPDATABLE)}]')
        address = _address(body) if "address" in body else sub.address
        names = _topics(body) if "topics" in body else list(sub.topics)
        version = _webhook_version(body, sub.webhook_version)
        _no_duplicate(world, token, address, names, ignore=sub.id)
        # A new address is verified again; so is a removed (circuit-broken) subscription, which an
        # update re-activates once its endpoint answers.
        reverify = address != sub.address or sub.status != ACTIVE
        check = emitter.verification_for(world, token, address) if reverify else None
    if check is not None:
        _handshake(check)
    with store.lock:
        current = world.owned_subscription(token, webhook_id)
        if current is None:  # deleted meanwhile
            raise OpenApiError(404, NOT_FOUND)
        _no_duplicate(world, token, address, names, ignore=current.id)
        current.address, current.topics, current.webhook_version = address, names, version
        if check is not None:
            current.status, current.removed_reason = ACTIVE, None
        current.updated_at = world.clock.now()
        return _json(current.view())


def _delete(webhook_id: str) -> Response:
    store = _store()
    with store.lock:
        world = store.backend("shopline")
        sub = _need(world, _authenticate(world), webhook_id)
        del world.subscriptions[sub.id]
        sub.status, sub.updated_at = REMOVED, world.clock.now()
        return _json(sub.view())
