"""POST /_sandbox/shopline/trigger without Flask in the way (as shopee/lean.py and oneshop/lean.py
do for the platform reads): the admin guard and the trigger's own checks, called straight from the
WSGI layer on a Werkzeug request.

A trigger spent a third of its Python time in Flask's request context, routing and response hooks
(bench/, the SHOPLINE trigger). What still goes through Flask: any call while fault rules are set
(their hooks are Flask's), and a body whose size is not given or is beyond the app's limit (Flask's
413 and its reading of a chunked body answer those).
"""
from __future__ import annotations

from typing import Any, Callable

from werkzeug.wrappers import Request

from mockserver.admin import guard
from mockserver.admin.http import AdminError, json_body
from mockserver.shopline.admin import TRIGGER_FIELDS, answer_trigger

PATH = "/_sandbox/shopline/trigger"


def handler(store: Any, max_body: int,
            on_crash: Callable[[str, str, BaseException], Any]) -> Callable[[dict[str, Any]], Any]:
    """A WSGI-level handler: a response for the triggers it takes, None for Flask to answer.
    on_crash answers a sandbox bug as the app does (and keeps it for the plugin)."""
    listed = guard.listed_hosts(store.settings.allowed_hosts)
    token = store.settings.admin_token or None

    def handle(environ: dict[str, Any]) -> Any:
        if environ.get("PATH_INFO") != PATH or environ.get("REQUEST_METHOD") != "POST" or store.faults:
            return None
        length = environ.get("CONTENT_LENGTH", "")
        if not length.isdigit() or int(length) > max_body or "HTTP_TRANSFER_ENCODING" in environ:
            return None
        request = Request(environ)
        try:
            guard.check(request, listed, token)  # a POST is never the console's redirect
            return answer_trigger(store, json_body(allowed=TRIGGER_FIELDS, source=request))
        except AdminError as exc:
            return exc.response()
        except Exception as exc:  # a sandbox bug: JSON naming it, never a traceback
            return on_crash("POST", PATH, exc)

    return handle
