"""1shop's order calls without Flask in the way (as shopee/lean.py for Shopee): routes.serve called
straight from the WSGI layer, with the query read as Flask's request.args reads it.

A page of 50 orders spent about a third of its time in Flask's request context, routing and
response hooks. What goes through Flask still: any call while fault rules are set (their hooks are
Flask's), every method but GET (HEAD, and the 405s), a query that is not UTF-8, and every path but
/v1/order and /v1/order/{number}.
"""
from __future__ import annotations

from typing import Any, Callable

from mockserver.core import query_args
from mockserver.oneshop.errors import SERVER_ERROR, OneshopError, json_answer
from mockserver.oneshop.routes import serve

LIST_PATH = "/v1/order"
DETAIL_PREFIX = "/v1/order/"


def handler(store: Any, on_crash: Callable[[str, str, BaseException], None]) -> Callable[[dict[str, Any]], Any]:
    """A WSGI-level handler: a response for the calls it takes, None for Flask to answer."""

    def handle(environ: dict[str, Any]) -> Any:
        path = environ.get("PATH_INFO", "")
        if path != LIST_PATH and not (path.startswith(DETAIL_PREFIX) and "/" not in path[len(DETAIL_PREFIX):]
                                      and len(path) > len(DETAIL_PREFIX)):
            return None
        if environ.get("REQUEST_METHOD") != "GET" or store.faults:
            return None
        args = query_args.from_environ(environ)
        if args is None:
            return None
        try:
            return serve(store, "GET", args, environ.get("REMOTE_ADDR"), path[len("/v1/"):], json_answer)
        except Exception as exc:  # a sandbox bug: the platform's envelope, never a traceback
            on_crash("GET", path, exc)
            return OneshopError(SERVER_ERROR, status=500).response()  # as app.py answers a crash

    return handle
