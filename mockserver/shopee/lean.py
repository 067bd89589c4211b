"""The Shopee APIs without Flask in the way: the same answer() as the blueprint (blueprint.py),
called straight from the WSGI layer for the calls that need nothing Flask gives.

A signed get_order_list spends more in Flask's request context, routing and response hooks than
in the sandbox's own work; here a request costs its query's parsing and the API's own work. What
goes through Flask still: pages (the authorisation page), any call while fault rules are set (their
hooks are Flask's), HEAD, bodies the app would refuse as too large, and every path but /api/v2/.
"""
from __future__ import annotations

import logging
from typing import Any, Callable

from mockserver.core import query_args
from mockserver.core.query_args import QueryArgs
from mockserver.core.web import json_answer, json_response
from mockserver.shopee.blueprint import answer
from mockserver.shopee.catalog import REGISTRY
from mockserver.shopee.errors import envelope

log = logging.getLogger(__name__)
PREFIX = "/api/v2/"
MAX_BODY = 16 * 1024 * 1024  # app.MAX_BODY_BYTES: larger bodies get Flask's 413


class LeanRequest:
    """What answer() reads of a request, as Flask's request gives it (the same parsing rules)."""

    __slots__ = ("method", "args", "content_type", "mimetype", "_body")

    def __init__(self, environ: dict[str, Any], args: QueryArgs, body: bytes) -> None:
        self.method = environ["REQUEST_METHOD"]
        self.args = args
        self.content_type = environ.get("CONTENT_TYPE") or None
        self.mimetype = self.content_type.split(";", 1)[0].strip().lower() if self.content_type else ""
        self._body = body

    def get_data(self, cache: bool = True) -> bytes:
        return self._body


def handler(store: Any, on_crash: Callable[[str, str, BaseException], None]) -> Callable[[dict[str, Any]], Any]:
    """A WSGI-level handler: a response for the calls it takes, None for Flask to answer."""

    def handle(environ: dict[str, Any]) -> Any:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD")
        if not path.startswith(PREFIX) or method not in ("GET", "POST") or store.faults:
            return None
        entry = REGISTRY.get(path)
        if entry is None or entry.html:
            return None
        args = query_args.from_environ(environ)  # what request.args would hold, read the same way
        if args is None:
            return None
        body = b""
        if method == "POST":
            length = environ.get("CONTENT_LENGTH") or "0"
            if not (length.isascii() and length.isdigit()) or int(length) > MAX_BODY or environ.get("HTTP_TRANSFER_ENCODING"):
                return None
            body = environ["wsgi.input"].read(int(length)) if int(length) else b""
        try:
            return answer(store, LeanRequest(environ, args, body), path, json_answer)
        except Exception as exc:  # a sandbox bug: the platform's envelope, never a traceback
            on_crash(method, path, exc)
            return json_response(envelope("error_server", "System error. Please try again later."), 500)

    return handle
