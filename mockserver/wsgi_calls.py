"""How granian's WSGI worker calls the app (for mockserver/server.py), in one of two ways.

- Threaded (any WSGI app): granian runs each request on one of its own Python threads, started as
  requests find the others busy, up to `threads`. Whatever the app does in a request (waits on a
  database, calls another server) holds only that request's thread.
- Brief-first (an app that says which of its requests wait on nothing but Python, with a
  `runs_briefly(environ)` attribute: the sandbox's app): granian keeps one Python thread, which
  reads each request's body and runs the brief requests at once. Every other request goes to a
  request thread (request_threads.py), which hands its answer to granian when it has it. Under
  load, every granian thread more cost wake-ups and GIL hand-overs on every request: a signed
  get_order_list served about 4,100 requests a second with 64 of them against 6,500 to 8,300 with
  one (bench/), and a delay fault, a verification or a flush still holds a thread of its own.
"""
from __future__ import annotations

import io
import logging
import sys
from typing import Any, Callable

from mockserver.core import run_gate
from mockserver.request_threads import RequestThreads

log = logging.getLogger(__name__)

# Bodies up to this size are read before the app runs (mockserver/app.py's MAX_BODY_BYTES: it
# refuses larger ones unread).
READ_AHEAD_BYTES = 16 * 1024 * 1024
# A request thread's answer when the app raised (granian's own thread answers an empty 500 then).
_CRASHED = b'{"error":"internal_error","message":"the app raised; see the sandbox log"}'
# What one process adds to every request's environ (PEP 3333). granian's own wrapper also copies
# os.environ into it, which would make an HTTP_* environment variable look like a request header.
_BASE_ENVIRON = {
    "GATEWAY_INTERFACE": "CGI/1.1", "SCRIPT_NAME": "", "SERVER_SOFTWARE": "shop-sandbox",
    "wsgi.errors": sys.stderr, "wsgi.input_terminated": True, "wsgi.multiprocess": False,
    "wsgi.multithread": True, "wsgi.run_once": False, "wsgi.version": (1, 0),
}

Callback = Callable[[Any, dict[str, Any]], int]


class _StartResponse:
    """start_response for one request: keeps the status and headers granian sends."""

    __slots__ = ("status", "headers")

    def __init__(self) -> None:
        self.status = 200
        self.headers: list[tuple[str, str]] = []

    def __call__(self, status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        self.status = int(status.split(" ", 1)[0])
        self.headers = headers


class _BodyIterator:
    """The app's body iterator, handed to granian; the request leaves the in-flight count when
    granian closes it (after the last chunk, or when the client went away)."""

    __slots__ = ("_inner", "__next__", "_done")

    def __init__(self, inner: Any, done: Callable[[], None]) -> None:
        self._inner = inner
        self.__next__ = iter(inner).__next__
        self._done = done

    def close(self) -> None:
        try:
            closer = getattr(self._inner, "close", None)
            if closer is not None:
                closer()
        finally:
            self._done()


def _has_body(scope: dict[str, Any]) -> bool:
    return "HTTP_TRANSFER_ENCODING" in scope or scope.get("CONTENT_LENGTH", "") not in ("", "0")


def _read_ahead(scope: dict[str, Any]) -> None:
    """The request's body read whole before the app runs, and given to it as a fresh stream: granian
    keeps a body only while its callback runs (a read after it returns finds nothing, or blocks
    holding the GIL). A body larger than the app takes is not read: the app sees none (the
    sandbox's refuses it with a 413 for its Content-Length alone)."""
    length = scope.get("CONTENT_LENGTH", "")
    try:
        if length.isascii() and length.isdigit():
            data = scope["wsgi.input"].read(int(length)) if int(length) <= READ_AHEAD_BYTES else b""
        else:  # chunked: to its end, or one byte past what the app takes, so that it refuses it
            data = scope["wsgi.input"].read(READ_AHEAD_BYTES + 1)
    except Exception:  # noqa: BLE001 - a body cut off is the app's to refuse, as a short one
        data = b""
    scope["wsgi.input"] = io.BytesIO(data)


def _answer(app: Any, proto: Any, scope: dict[str, Any], in_flight: Any,
            stream_elsewhere: Callable[..., None] | None = None) -> None:
    """One request through the app on the calling thread; its answer handed to granian. A streamed
    answer is pulled by granian as the client reads it: on this thread, or handed to
    `stream_elsewhere(proto.response_iter, ...)` when this thread must not wait on a client."""
    handed_over = False
    run_gate.enter()  # one request's Python at a time (core/run_gate.py)
    try:
        start = _StartResponse()
        body = app(_BASE_ENVIRON | scope, start)
        if isinstance(body, list):
            proto.response_bytes(start.status, start.headers, b"".join(body))
        else:
            streamed = _BodyIterator(body, in_flight.leave)
            if stream_elsewhere is None:
                proto.response_iter(start.status, start.headers, streamed)
            else:
                stream_elsewhere(proto.response_iter, start.status, start.headers, streamed)
            handed_over = True
    finally:
        run_gate.leave()
        if not handed_over:
            in_flight.leave()


def threaded(app: Any, in_flight: Any) -> Callback:
    """Every request on the granian thread that calls back (granian starts them as needed)."""

    def run(proto: Any, scope: dict[str, Any]) -> int:
        in_flight.enter()
        _answer(app, proto, scope, in_flight)
        return 0

    return run


def brief_first(app: Any, in_flight: Any, threads: RequestThreads) -> Callback:
    """Brief requests on granian's one thread, the rest on request threads (the module's text)."""
    brief = app.runs_briefly  # environ -> whether the request waits on nothing but Python

    def elsewhere(proto: Any, scope: dict[str, Any]) -> None:
        try:
            _answer(app, proto, scope, in_flight)
        except Exception:  # noqa: BLE001 - granian answers its callback's errors, not a thread's
            log.exception("unhandled error in the app")
            proto.response_bytes(500, [("Content-Type", "application/json")], _CRASHED)

    def run(proto: Any, scope: dict[str, Any]) -> int:
        in_flight.enter()
        if _has_body(scope):
            # Here, on granian's thread: a body comes with its request's head, and granian keeps
            # it only while this callback runs. A client that stops in the middle of its body
            # holds the other requests until it sends the rest or goes away (README, "The server").
            _read_ahead(scope)
        if brief(scope):  # an error here: granian logs it and answers 500
            _answer(app, proto, scope, in_flight, stream_elsewhere=threads.submit)
        else:
            threads.submit(elsewhere, proto, scope)
        return 0

    return run
