"""JSON in, JSON out for the admin API: its error type, body parsing and field checks."""
from __future__ import annotations

import json
from typing import Any

from flask import Response, request


class AdminError(Exception):
    """An admin API error: {"error": code, "message": text} with a 4xx status."""

    def __init__(self, status: int, error: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
        self.extra = extra

    def response(self) -> Response:
        return reply({"error": self.error, "message": self.message, **self.extra}, self.status)


def reply(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json")


def json_body(optional: bool = False) -> dict[str, Any]:
    """The request's JSON object; an empty body counts as {} when optional."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        if optional:
            return {}
        raise AdminError(400, "invalid_body", "a JSON object body is required")
    if request.mimetype not in ("application/json", "") and not request.mimetype.endswith("+json"):
        raise AdminError(415, "unsupported_media_type", "send the body as application/json")
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise AdminError(400, "invalid_json", "the body is not valid JSON") from None
    if not isinstance(body, dict):
        raise AdminError(400, "invalid_body", "the body should be a JSON object")
    return body


def field(body: dict[str, Any], name: str, kind: type | tuple[type, ...], required: bool = True,
          default: Any = None) -> Any:
    """A typed field of an admin body (bool is not accepted where an int is asked)."""
    if name not in body or body[name] is None:
        if required:
            raise AdminError(400, "invalid_field", f"{name} is required")
        return default
    value = body[name]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds:
        raise AdminError(400, "invalid_field", f"{name} should be {_names(kinds)}")
    if not isinstance(value, kinds):
        raise AdminError(400, "invalid_field", f"{name} should be {_names(kinds)}")
    return value


def _names(kinds: tuple[type, ...]) -> str:
    names = {int: "an integer", float: "a number", str: "a string", bool: "a boolean", list: "a list",
             dict: "an object"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)
