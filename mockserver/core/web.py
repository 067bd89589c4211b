"""The one way every platform and the admin API answer JSON (UTF-8, non-ASCII kept, compact).

The charset is named: a client that reads a bare application/json by the HTTP default decodes
Chinese shop names as latin-1 (issue 11; 1shop's seed 003 asks for UTF-8 explicitly).
orjson writes it: several times faster than the json module, byte for byte the same for the same
data. What orjson cannot write (an integer beyond 64 bits an admin caller sent) falls back to the
json module, written the same compact way.
"""
from __future__ import annotations

import json
from typing import Any, Callable

import orjson
from flask import Response
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.routing import IntegerConverter

JSON_TYPE = "application/json; charset=utf-8"
_OPTIONS = orjson.OPT_NON_STR_KEYS


def dumps(body: Any) -> bytes:
    """Compact UTF-8 JSON."""
    try:
        # Without OPT_NON_STR_KEYS first: it doubles orjson's time, and only a dict with a key that
        # is not a string (an admin answer keyed by id) needs it.
        return orjson.dumps(body)
    except TypeError:  # orjson.JSONEncodeError is one
        pass
    try:
        return orjson.dumps(body, option=_OPTIONS)
    except TypeError:
        return json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=_fallback).encode("utf-8")


def _fallback(value: Any) -> Any:
    """What the json module writes for a value it does not know: JSON kept as an orjson.Fragment
    (shopee/render.py) as the data it holds, anything else as its text."""
    if isinstance(value, orjson.Fragment):
        return orjson.loads(orjson.dumps(value))  # a Fragment shows its bytes only to orjson
    return str(value)


def json_response(body: Any, status: int = 200) -> Response:
    return Response(dumps(body), status=status, content_type=JSON_TYPE)


class JsonAnswer:
    """A JSON answer as the platform calls answered below Flask give it (shopee/lean.py,
    oneshop/lean.py): its status and bytes, which the WSGI layer (core/request_log.py) sends with
    the same two headers and status line as json_response's. Making a Werkzeug Response and
    taking it apart again cost a twentieth of a signed get_order_list. Any other WSGI layer can
    call it as an app."""

    __slots__ = ("status", "body")

    def __init__(self, body: bytes, status: int = 200) -> None:
        self.status = status
        self.body = body

    def status_line(self) -> str:
        line = _STATUS_LINES.get(self.status)
        if line is None:  # Werkzeug's own spelling: "404 NOT FOUND"
            line = _STATUS_LINES[self.status] = f"{self.status} {HTTP_STATUS_CODES.get(self.status, 'UNKNOWN').upper()}"
        return line

    def headers(self) -> list[tuple[str, str]]:
        return [("Content-Type", JSON_TYPE), ("Content-Length", str(len(self.body)))]

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        start_response(self.status_line(), self.headers())
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [self.body]


_STATUS_LINES: dict[int, str] = {}


def json_answer(body: Any, status: int = 200) -> JsonAnswer:
    """json_response's answer as a JsonAnswer, for the calls answered below Flask."""
    return JsonAnswer(dumps(body), status)


class AsciiIntConverter(IntegerConverter):
    """Flask's `<int:...>` path segments as ASCII digits, at most 19 of them: werkzeug's own matches
    any script's digits (`\\d`), so /shops/١٢٣ would read as shop 123. Anything else matches no
    route, a 404 in the path owner's envelope."""

    regex = r"[0-9]{1,19}"
