"""The one way every platform and the admin API answer JSON (UTF-8, non-ASCII kept, compact).

The charset is named: a client that reads a bare application/json by the HTTP default decodes
Chinese shop names as latin-1 (issue 11; 1shop's seed 003 asks for UTF-8 explicitly).
orjson writes it: several times faster than the json module, byte for byte the same for the same
data. What orjson cannot write (an integer beyond 64 bits an admin caller sent) falls back to the
json module, written the same compact way.
"""
from __future__ import annotations

import json
from typing import Any

import orjson
from flask import Response
from werkzeug.routing import IntegerConverter

JSON_TYPE = "application/json; charset=utf-8"
_OPTIONS = orjson.OPT_NON_STR_KEYS


def dumps(body: Any) -> bytes:
    """Compact UTF-8 JSON."""
    try:
        return orjson.dumps(body, option=_OPTIONS)
    except (TypeError, orjson.JSONEncodeError):
        return json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=_fallback).encode("utf-8")


def _fallback(value: Any) -> Any:
    """What the json module writes for a value it does not know: JSON kept as an orjson.Fragment
    (shopee/render.py) as the data it holds, anything else as its text."""
    if isinstance(value, orjson.Fragment):
        return orjson.loads(orjson.dumps(value))  # a Fragment shows its bytes only to orjson
    return str(value)


def json_response(body: Any, status: int = 200) -> Response:
    return Response(dumps(body), status=status, content_type=JSON_TYPE)


class AsciiIntConverter(IntegerConverter):
    """Flask's `<int:...>` path segments as ASCII digits, at most 19 of them: werkzeug's own matches
    any script's digits (`\\d`), so /shops/١٢٣ would read as shop 123. Anything else matches no
    route, a 404 in the path owner's envelope."""

    regex = r"[0-9]{1,19}"
