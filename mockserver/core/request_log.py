"""The WSGI layer around the app that sees every request whole: it opens the request's exchange
record (core/exchange.py), asks the lean handlers (the platform calls answered below Flask) before
Flask, and once the answer is ready adds the X-Sandbox-Warning headers, keeps the request in the
journal and writes its console line.

It sits outside Flask so the latency it reports covers the whole app, and so an answer that was
computed in one piece reaches the server as one piece (granian then writes it with one call). A
lean handler's JsonAnswer goes out as its status, headers and bytes with nothing in between.
Streamed answers (no Content-Length: the console page's live feed) pass through untouched.
"""
from __future__ import annotations

import io
import time
from typing import Any, Callable, Iterable, Iterator

from mockserver.core import exchange
from mockserver.core.journal import PART_LIMIT, environ_headers, keep_body
from mockserver.core.warnings import HEADER, header_values
from mockserver.core.web import JSON_TYPE, JsonAnswer

ADMIN_PREFIX = "/_sandbox/"
_READS = ("GET", "HEAD", "OPTIONS")
MAX_BODY = 16 * 1024 * 1024  # the app refuses larger bodies (413); read no more than that
SERVER_HEADER = ("Server", "shop-sandbox")
DROP_FLUSH_PAUSE = 0.05  # seconds
Lean = Callable[[dict[str, Any]], Any]  # environ -> a lean handler's answer, or None for the app


class RequestLog:
    """WSGI middleware; `owner(path)` names the platform of a path when its code did not; `lean`
    answers the calls it takes before the app sees them (app.py's LeanRouter)."""

    def __init__(self, app: Callable[..., Iterable[bytes]], store: Any, owner: Callable[[str], str | None],
                 lean: Lean | None = None) -> None:
        self.app = app
        self.store = store
        self.owner = owner
        self.lean = lean

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        started = time.perf_counter()
        wall = time.time()
        store = self.store
        body = _read_body(environ)
        record, token = exchange.begin(store.strict)
        try:
            lean = self.lean(environ) if self.lean is not None else None
            if type(lean) is JsonAnswer and environ.get("REQUEST_METHOD") != "HEAD":
                status, response_type, data = lean.status, JSON_TYPE, lean.body
                start_response(lean.status_line(), _with_ours(lean.headers(), record))
                cut_short = False
            else:
                app = self.app if lean is None else (lambda env, start: _send(lean, env, start))
                streamed, status, response_type, data, cut_short = _through(app, environ, start_response, record)
                if streamed is not None:
                    return streamed  # not journaled, no console line
        finally:
            exchange.end(token)
            count_change(store, environ)
        self._log(environ, record, body, status, response_type, data, started, wall)
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            store.webhooks.pace()  # a flood of writes that queue webhooks waits for them a moment
        return _cut_short(data) if cut_short else [data]

    def _log(self, environ: dict[str, Any], record: exchange.Exchange, body: bytes | None, status: int,
             response_type: str, data: bytes, started: float, wall: float) -> None:
        store = self.store
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "")
        query = environ.get("QUERY_STRING", "")
        latency = (time.perf_counter() - started) * 1000
        platform = record.platform or self.owner(path)
        warnings = tuple(record.all_warnings()) if record.warnings else ()
        journal_id = None
        if not path.startswith(ADMIN_PREFIX):
            # The query and headers as sent, masked when read (core/journal.py), as the answer is.
            journal_id = store.journal.record(
                method=method, path=path, query=query, headers=environ_headers(environ),
                body=keep_body(body) if body else b"", body_size=len(body or b""), status=status,
                response=data[:PART_LIMIT], response_size=len(data), response_type=response_type,
                at=store.clock.now(), wall=wall, latency_ms=round(latency, 3), platform=platform,
                tenant=record.tenant, error=record.error, warnings=warnings, fault=record.fault)
        elif method in ("GET", "HEAD", "OPTIONS"):
            return  # the admin API's and the console page's reads would drown the platform lines
        store.console.request(wall=wall, platform=platform, tenant=record.tenant, method=method, path=path,
                              query=query, status=status, error=record.error, latency_ms=latency,
                              warnings=warnings, request_id=journal_id)


def _with_ours(headers: list[tuple[str, str]], record: exchange.Exchange) -> list[tuple[str, str]]:
    """An answer's headers and the sandbox's: Server, and X-Sandbox-Warning for each warning."""
    headers.append(SERVER_HEADER)
    if record.warnings:
        headers += [(HEADER, v) for v in header_values(record.all_warnings())]
    return headers


def _through(app: Callable[..., Iterable[bytes]], environ: dict[str, Any], start_response: Callable[..., Any],
             record: exchange.Exchange) -> tuple[Iterable[bytes] | None, int, str, bytes, bool]:
    """The request through a WSGI app: (None, status, content type, body, whether a drop fault
    cuts it short), or (the app's iterable, ...) for a streamed answer, passed on untouched."""
    answer: dict[str, Any] = {}

    def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        headers = _with_ours(list(headers), record)
        answer["status"], answer["headers"] = status, headers
        return start_response(status, headers, exc_info)

    result = app(environ, start)
    headers = answer.get("headers", ())
    declared = next((v for n, v in headers if n.lower() == "content-length"), None)
    if declared is None:
        return result, 0, "", b"", False
    try:
        data = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    status = answer.get("status", "500")
    response_type = next((v for n, v in headers if n.lower() == "content-type"), "")
    cut_short = method_has_body(environ, answer) and declared.isdigit() and int(declared) > len(data)
    return None, int(status.split(" ", 1)[0]), response_type, data, cut_short  # cut short: a drop fault


def _send(response: Any, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
    """A lean handler's Werkzeug Response to the server. A whole body (an error's JSON) goes as its
    status, headers and bytes: Werkzeug's Response.__call__ prepares headers a JSON answer never
    needs (Location, ETag, ranges). Anything else goes Werkzeug's way."""
    if isinstance(response.response, list) and not response.direct_passthrough and \
            response.status_code not in (204, 304) and environ.get("REQUEST_METHOD") != "HEAD":
        start_response(response.status, response.headers.to_wsgi_list())
        return response.response
    return response(environ, start_response)


def count_change(store: Any, environ: dict[str, Any]) -> None:
    """After the answer: store.changes, which a saver of --state-dir compares (world/state_dir.py),
    grows with every request that may have changed the world: anything but an admin read. Here and
    not in a Flask hook, so the calls answered below Flask (shopee/lean.py) count too. Platform
    reads count: a GET can change state (an authorisation page, a generated order built when read)."""
    if not (environ.get("REQUEST_METHOD") in _READS and environ.get("PATH_INFO", "").startswith("/_sandbox")):
        store.changes += 1


def method_has_body(environ: dict[str, Any], answer: dict[str, Any]) -> bool:
    """Whether the answer carries a body at all (HEAD, 204 and 304 declare a length and send none)."""
    return environ.get("REQUEST_METHOD") != "HEAD" and not answer.get("status", "").startswith(("204", "304"))


def _cut_short(data: bytes) -> Iterator[bytes]:
    """An answer body that breaks off: the server closes the connection after what was sent, and
    the client reads an incomplete answer (http.client.IncompleteRead)."""
    # Ending early is enough: the server sees fewer bytes than Content-Length promised and closes the
    # connection (raising instead would print a traceback for what is a wanted outcome). The pause
    # lets the server flush the headers and first bytes before it sees the end; without it, it
    # may close before anything went out, which a client also sees as a broken answer.
    if data:
        yield data
        time.sleep(DROP_FLUSH_PAUSE)


def _read_body(environ: dict[str, Any]) -> bytes | None:
    """The request body, read once here and given back to the app as a fresh stream (the journal
    keeps its first PART_LIMIT bytes). None when there is none."""
    length = environ.get("CONTENT_LENGTH") or ""
    if not (length.isascii() and length.isdigit()) or len(length) > 9 or not 0 < int(length) <= MAX_BODY:
        return None  # no body, or one the app refuses (413) before reading it
    stream = environ.get("wsgi.input")
    if stream is None:
        return None
    data = stream.read(int(length))
    environ["wsgi.input"] = io.BytesIO(data)
    return data


__all__ = ["RequestLog", "PART_LIMIT"]
