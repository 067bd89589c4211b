"""JSON in, JSON out for the admin API: its error type, body parsing and field checks."""
from __future__ import annotations

import json
import math
from typing import Any, Iterable, Iterator

from flask import Response, request
from werkzeug.wrappers import Request

from mockserver.core.web import json_response


class AdminError(Exception):
    """An admin API error: {"error": code, "message": text, ...extra} with a 4xx status."""

    def __init__(self, http_status: int, error: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = http_status
        self.error = error
        self.message = message
        self.extra = extra

    def response(self) -> Response:
        return reply({"error": self.error, "message": self.message, **self.extra}, self.status)


reply = json_response  # the admin API answers like every platform


def _no_constants(name: str) -> Any:
    # Python's json accepts NaN and Infinity, which are not JSON; a NaN clock would break every request.
    raise ValueError(f"{name} is not valid JSON")


def json_body(optional: bool = False, allowed: Iterable[str] | None = None,
              source: Request | None = None) -> dict[str, Any]:
    """The request's JSON object; an empty body counts as {} when optional. source: the request
    (Flask's current one when not given).

    With `allowed`, any other top-level field is a 400: a misspelt field must not be silently ignored.
    """
    source = request if source is None else source
    raw = source.get_data(cache=True)
    if not raw.strip():
        if optional:
            return {}
        raise AdminError(400, "invalid_body", "a JSON object body is required")
    if source.mimetype not in ("application/json", "") and not source.mimetype.endswith("+json"):
        raise AdminError(415, "unsupported_media_type", "send the body as application/json")
    try:
        body = json.loads(raw, parse_constant=_no_constants)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise AdminError(400, "invalid_json", "the body is not valid JSON") from None
    if not isinstance(body, dict):
        raise AdminError(400, "invalid_body", "the body should be a JSON object")
    if allowed is not None:
        reject_unknown(body, allowed)
    return body


def reject_unknown(body: dict[str, Any], allowed: Iterable[str], where: str = "") -> None:
    allowed = tuple(allowed)
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        raise AdminError(400, "invalid_field",
                         f"unknown field {where}{unknown[0]}; known fields: {', '.join(allowed)}")


def each_object(values: Any, name: str, allowed: Iterable[str], prefix: str = "",
                limit: int | None = None) -> Iterator[tuple[int, str, dict[str, Any]]]:
    """(index, "name[i].", object) for a non-empty list of closed objects; 400 on anything else."""
    if not isinstance(values, list) or not values:
        raise AdminError(400, "invalid_field", f"{prefix}{name} should be a non-empty list")
    if limit is not None and len(values) > limit:
        raise AdminError(400, "invalid_field", f"{prefix}{name} should hold at most {limit} entries")
    for index, entry in enumerate(values):
        where = f"{prefix}{name}[{index}]."
        if not isinstance(entry, dict):
            raise AdminError(400, "invalid_field", f"{prefix}{name}[{index}] should be an object")
        reject_unknown(entry, allowed, where)
        yield index, where, entry


def field(body: dict[str, Any], name: str, kind: type | tuple[type, ...], required: bool = True,
          default: Any = None, where: str = "", nullable: bool = False) -> Any:
    """A typed field of an admin body (bool is not accepted where an int is asked).

    An explicit null is not "absent": it is refused unless the contract types the field nullable
    (then null means something of its own and comes back as None, never as `default`)."""
    if name not in body:
        if required:
            raise AdminError(400, "invalid_field", f"{where}{name} is required")
        return default
    value = body[name]
    if value is None:
        if nullable:
            return None
        raise AdminError(400, "invalid_field", f"{where}{name} should not be null")
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds:
        raise AdminError(400, "invalid_field", f"{where}{name} should be {_names(kinds)}")
    if not isinstance(value, kinds):
        raise AdminError(400, "invalid_field", f"{where}{name} should be {_names(kinds)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise AdminError(400, "invalid_field", f"{where}{name} should be a finite number")
    return value


def number(body: dict[str, Any], name: str, kind: type | tuple[type, ...], low: float | None = None,
           high: float | None = None, required: bool = True, default: Any = None, where: str = "",
           nullable: bool = False) -> Any:
    """A numeric field inside [low, high] (either bound may be open)."""
    value = field(body, name, kind, required, default, where, nullable)
    if body.get(name) is None:  # absent (the default, which is not checked) or an allowed null
        return value
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = (f"between {low} and {high}" if low is not None and high is not None
                  else f">= {low}" if low is not None else f"<= {high}")
        raise AdminError(400, "invalid_field", f"{where}{name} should be {bounds}")
    return value


def query_int(name: str, low: int, high: int | None = None, default: int | None = None) -> int | None:
    """A non-negative integer query parameter inside [low, high]; default when absent."""
    raw = request.args.get(name)
    if raw is None:
        return default
    # ASCII digits only ("²".isdigit() is true, and int() reads "١" as 1), and never thousands of them.
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18 or int(raw) < low or (high is not None and int(raw) > high):
        bounds = f"between {low} and {high}" if high is not None else f">= {low}"
        raise AdminError(400, "invalid_field", f"{name} should be an integer {bounds}")
    return int(raw)


def _names(kinds: tuple[type, ...]) -> str:
    names = {int: "an integer", float: "a number", str: "a string", bool: "a boolean", list: "a list",
             dict: "an object"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)
