"""What every console page shares: the blueprint, the layout's data (clock, seed), formatting
filters, paging arguments and a render time for each page (Server-Timing)."""
from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, g, render_template, request

bp = Blueprint("sandbox_ui", __name__, url_prefix="/_sandbox/ui", template_folder="templates",
               static_folder="static", static_url_path="/static")

PAGE_SIZE = 50
# Status words -> the colour family of their badge (console.css .badge-*).
_GOOD = {"succeeded", "COMPLETED", "completed", "paid", "received", "delivered", "active", "NORMAL", "ok"}
_BAD = {"failed", "dropped", "CANCELLED", "cancelled", "refunded", "removed", "abnormal", "returned", "TO_RETURN",
        "returning", "BANNED", "FROZEN", "suppressed"}
_WAIT = {"pending", "sending", "UNPAID", "INVOICE_PENDING", "IN_CANCEL", "RETRY_SHIP", "need_confirm", "prepare",
         "confirming", "delay"}


def store() -> Any:
    return current_app.extensions["shop_sandbox"]


def page(template: str, **context: Any) -> str:
    """Render a console page (templates/ui/<template>) with the layout's data."""
    s = store()
    clock = s.clock.state()
    return render_template(f"ui/{template}", clock=clock, seed=s.seed, strict=s.strict,
                           token_required=bool(s.settings.admin_token), **context)


def missing(what: str) -> tuple[str, int]:
    """A console page for a record that does not exist (any more: a reset forgets everything)."""
    return page("missing.html", what=what), 404


def paging(default_limit: int = PAGE_SIZE) -> tuple[int, int]:
    """(limit, offset) from the page's query; a person's typo falls back to the first page."""
    def read(name: str, default: int, high: int) -> int:
        raw = request.args.get(name, "")
        return min(int(raw), high) if raw.isascii() and raw.isdigit() and len(raw) < 10 else default
    return max(1, read("limit", default_limit, 1000)), read("offset", 0, 10**9)


@bp.app_template_global("with_args")
def with_args(**changes: Any) -> str:
    """This page's URL with some query arguments changed (None removes one): pager and filter links."""
    args = {k: v for k, v in request.args.items()}
    for name, value in changes.items():
        if value is None or value == "":
            args.pop(name, None)
        else:
            args[name] = str(value)
    return request.path + ("?" + urlencode(args) if args else "")


@bp.app_template_filter("ts")
def format_time(value: Any) -> str:
    """A sandbox-clock time as UTC (the title of the cell keeps the Unix time)."""
    if value is None or value == "":
        return "—"
    try:
        return datetime.fromtimestamp(float(value), UTC).strftime("%Y-%m-%d %H:%M:%S")
    except (TypeError, ValueError, OverflowError, OSError):
        return str(value)


@bp.app_template_filter("pretty")
def pretty(value: Any) -> str:
    """JSON (a value, or text that parses as JSON) indented for reading; other text as it is."""
    if isinstance(value, (bytes, str)):
        try:
            value = json.loads(value)
        except (ValueError, UnicodeDecodeError):
            return value.decode("utf-8", "replace") if isinstance(value, bytes) else value
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False)


@bp.app_template_filter("badge")
def badge_class(value: Any) -> str:
    word = str(value)
    if word in _GOOD:
        return "badge badge-good"
    if word in _BAD:
        return "badge badge-bad"
    if word in _WAIT:
        return "badge badge-wait"
    return "badge"


@bp.app_template_filter("http_class")
def http_class(status: Any) -> str:
    if not isinstance(status, int):
        return "badge badge-bad"
    return "badge badge-good" if status < 400 else "badge badge-wait" if status < 500 else "badge badge-bad"


@bp.before_request
def _start_timer() -> None:
    g.ui_started = time.perf_counter()


@bp.after_request
def _render_time(response: Response) -> Response:
    """Server-Timing: how long the page took to build, for a person's browser tools and the bench."""
    started = g.pop("ui_started", None)
    if started is not None:
        response.headers["Server-Timing"] = f"render;dur={(time.perf_counter() - started) * 1000:.1f}"
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response
