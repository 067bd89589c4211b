"""Small WSGI helpers shared by the webhook receivers (standard library only)."""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

StartResponse = Callable[..., Any]
MAX_BODY_BYTES = 5 * 1024 * 1024  # webhook bodies are small; refuse anything absurd before reading it

REASONS = {200: "OK", 204: "No Content", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
           404: "Not Found", 405: "Method Not Allowed", 413: "Payload Too Large"}


def read_body(environ: dict[str, Any]) -> bytes | None:
    """The raw request body (exactly the bytes a signature covers), or None when it is too large."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        return None
    return environ["wsgi.input"].read(length) if length > 0 else b""


def respond(start_response: StartResponse, status: int, body: bytes | str = b"",
            content_type: str = "text/plain; charset=utf-8", extra: Iterable[tuple[str, str]] = ()) -> list[bytes]:
    """Send one complete answer."""
    payload = body.encode("utf-8") if isinstance(body, str) else body
    headers = [("Content-Length", str(len(payload))), *extra]
    if payload:
        headers.insert(0, ("Content-Type", content_type))
    start_response(f"{status} {REASONS.get(status, 'Status')}", headers)
    return [payload]


def parse_json(raw: bytes) -> Any:
    """The parsed body, or None when it is not JSON text in UTF-8."""
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
