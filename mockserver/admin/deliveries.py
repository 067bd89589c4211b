"""Admin endpoints of the outbound webhook engine: /_sandbox/deliveries (list, read, replay, flush, and
a custom delivery for tests and demos)."""
from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, request
from werkzeug.routing import BaseConverter

from mockserver.admin.http import AdminError, field, json_body, query_int, reply
from mockserver.core.delivery_model import STATUSES
from mockserver.core.webhooks import DeliveryBusy, WebhookEngine

bp = Blueprint("sandbox_deliveries", __name__, url_prefix="/_sandbox/deliveries")


class DeliveryIdConverter(BaseConverter):
    """A delivery id: any path segment but "flush". Werkzeug answers OPTIONS and a 405's Allow with
    the methods of every rule the path matches, so /flush must not also match /<delivery_id>'s GET."""

    regex = r"(?!flush$)[^/]+"


# Before the routes below: a blueprint runs its deferred setup in the order it was recorded.
bp.record_once(lambda state: state.app.url_map.converters.setdefault("delivery", DeliveryIdConverter))

LIST_FILTERS = ("platform", "status", "target", "event", "contains", "limit", "offset")
DEFAULT_LIMIT, MAX_LIMIT = 100, 1000
# Admin-made deliveries all belong to this platform, whose policy is the engine's default: they
# must not reach a real platform's hooks (health statistics, lost pushes) with meta it never wrote.
CUSTOM_PLATFORM = "custom"


def engine() -> WebhookEngine:
    return current_app.extensions["shop_sandbox"].webhooks


@bp.get("")
def list_deliveries() -> Response:
    """Newest first, paged by limit and offset; filters combine (target matches a URL prefix,
    contains a part of the body)."""
    unknown = sorted(set(request.args) - set(LIST_FILTERS))
    if unknown:
        raise AdminError(400, "invalid_field", f"unknown query parameter {unknown[0]}; known: {', '.join(LIST_FILTERS)}")
    status = request.args.get("status")
    if status is not None and status not in STATUSES:
        raise AdminError(400, "invalid_field", f"status should be one of {', '.join(STATUSES)}")
    limit = query_int("limit", 1, MAX_LIMIT, DEFAULT_LIMIT)
    offset = query_int("offset", 0, 10**9, 0)
    contains = request.args.get("contains") or None
    total, deliveries = engine().list(platform=request.args.get("platform"), status=status,
                                      target=request.args.get("target"), event=request.args.get("event"),
                                      limit=limit, offset=offset,
                                      contains=contains.encode("utf-8") if contains else None)
    return reply({"total": total, "count": len(deliveries), "deliveries": deliveries,
                  "counts": engine().counts()})


@bp.post("")
def create_delivery() -> Response:
    """Queue an arbitrary delivery (platform "custom", the default policy); its first attempt is due now."""
    body = json_body(allowed=("platform", "url", "headers", "body", "event"))
    platform = field(body, "platform", str, required=False, default=CUSTOM_PLATFORM)
    if platform != CUSTOM_PLATFORM:
        raise AdminError(400, "invalid_field", f"platform should be {CUSTOM_PLATFORM!r}: platforms send their own webhooks")
    url = field(body, "url", str)
    event = field(body, "event", str, required=False, default="")
    headers = field(body, "headers", dict, required=False, default={})
    for name, value in headers.items():
        if not isinstance(value, str):
            raise AdminError(400, "invalid_field", f"headers.{name} should be a string")
    payload = body.get("body")
    if payload is None:
        data, content_type = b"", None
    elif isinstance(payload, str):
        data, content_type = payload.encode("utf-8"), "text/plain; charset=utf-8"
    else:  # any other JSON value is sent as compact JSON
        data, content_type = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), "application/json"
    if content_type and not any(name.lower() == "content-type" for name in headers):
        headers = {**headers, "Content-Type": content_type}
    try:
        view = engine().enqueue_view(CUSTOM_PLATFORM, url, data, headers, event=event)
    except ValueError as exc:
        raise AdminError(400, "invalid_field", str(exc)) from None
    return reply(view, 201)


@bp.post("/flush")
def flush() -> Response:
    """Deliver everything due now and answer once those attempts finished."""
    json_body(optional=True, allowed=())
    return reply(engine().flush())


@bp.get("/<delivery:delivery_id>")
def get_delivery(delivery_id: str) -> Response:
    view = engine().get(delivery_id)
    if view is None:
        raise AdminError(404, "not_found", f"no delivery {delivery_id}")
    return reply(view)


@bp.post("/<delivery:delivery_id>/replay")
def replay(delivery_id: str) -> Response:
    """Send a finished delivery again now (same id); answers after the attempt with all attempts."""
    json_body(optional=True, allowed=())
    try:
        view = engine().replay(delivery_id)
    except DeliveryBusy as exc:
        current = engine().get(delivery_id) or {}
        raise AdminError(409, "delivery_pending", f"{exc}: it is still being delivered; flush or advance the clock",
                         delivery_status=current.get("status", "pending")) from None
    if view is None:
        raise AdminError(404, "not_found", f"no delivery {delivery_id}")
    return reply(view)
