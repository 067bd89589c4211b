"""The WSGI layer around the app that sees every request whole: it opens the request's exchange
record (core/exchange.py), and once the answer is ready adds the X-Sandbox-Warning headers, keeps
the request in the journal and writes its console line.

It sits outside Flask so the latency it reports covers the whole app, and so an answer that was
computed in one piece reaches the server as one piece (granian then writes it with one call).
Streamed answers (no Content-Length: the console page's live feed) pass through untouched.
"""
from __future__ import annotations

import io
import time
from typing import Any, Callable, Iterable, Iterator

from mockserver.core import exchange
from mockserver.core.journal import PART_LIMIT, keep_body, keep_headers
from mockserver.core.secrets import mask_query
from mockserver.core.warnings import HEADER, header_values

ADMIN_PREFIX = "/_sandbox/"
_READS = ("GET", "HEAD", "OPTIONS")
MAX_BODY = 16 * 1024 * 1024  # the app refuses larger bodies (413); read no more than that
SERVER_HEADER = ("Server", "shop-sandbox")
DROP_FLUSH_PAUSE = 0.05  # seconds
_HEADER_NAMES: dict[str, str] = {}


def _header_name(key: str) -> str:
    name = _HEADER_NAMES.get(key)
    if name is None:
        name = _HEADER_NAMES[key] = key[5:].replace("_", "-").title() if key.startswith("HTTP_") else \
            key.replace("_", "-").title()
        if len(_HEADER_NAMES) > 4096:  # clients choose header names: keep the cache bounded
            _HEADER_NAMES.clear()
    return name


def request_headers(environ: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    pairs = [(_header_name(k), v) for k, v in environ.items()
             if k.startswith("HTTP_") or k in ("CONTENT_TYPE", "CONTENT_LENGTH")]
    return keep_headers(pairs)


class RequestLog:
    """WSGI middleware; `owner(path)` names the platform of a path when its code did not."""

    def __init__(self, app: Callable[..., Iterable[bytes]], store: Any, owner: Callable[[str], str | None]) -> None:
        self.app = app
        self.store = store
        self.owner = owner

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        started = time.perf_counter()
        wall = time.time()
        store = self.store
        body = _read_body(environ)
        record, token = exchange.begin(store.strict)
        answer: dict[str, Any] = {}

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            headers = headers + [SERVER_HEADER]
            if record.warnings:
                headers = headers + [(HEADER, v) for v in header_values(record.all_warnings())]
            answer["status"], answer["headers"] = status, headers
            return start_response(status, headers, exc_info)

        try:
            result = self.app(environ, start)
            headers = answer.get("headers", ())
            if not any(name.lower() == "content-length" for name, _ in headers):
                return result  # streamed: not journaled, no console line
            try:
                data = b"".join(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
        finally:
            exchange.end(token)
            count_change(store, environ)
        self._log(environ, record, body, answer, data, started, wall)
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            store.webhooks.pace()  # a flood of writes that queue webhooks waits for them a moment
        declared = next((v for n, v in headers if n.lower() == "content-length"), "")
        if method_has_body(environ, answer) and declared.isdigit() and int(declared) > len(data):
            return _cut_short(data)  # a drop fault: headers promise more than will come
        return [data]

    def _log(self, environ: dict[str, Any], record: exchange.Exchange, body: bytes | None,
             answer: dict[str, Any], data: bytes, started: float, wall: float) -> None:
        store = self.store
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "")
        query = mask_query(environ.get("QUERY_STRING", ""))  # once, for the journal and the console
        status = int(answer.get("status", "500").split(" ", 1)[0])
        latency = (time.perf_counter() - started) * 1000
        platform = record.platform or self.owner(path)
        warnings = tuple(record.all_warnings())
        journal_id = None
        if not path.startswith(ADMIN_PREFIX):
            response_type = next((v for n, v in answer.get("headers", ()) if n.lower() == "content-type"), "")
            journal_id = store.journal.record(
                method=method, path=path, query=query, headers=request_headers(environ),
                body=keep_body(body) if body else b"", body_size=len(body or b""), status=status,
                # An answer is masked when it is read (Entry.detail), not on the way out: the search
                # for secrets cost a third of an order detail's time, for answers rarely read.
                response=data[:PART_LIMIT], response_size=len(data), response_type=response_type,
                at=store.clock.now(), wall=wall, latency_ms=round(latency, 3), platform=platform,
                tenant=record.tenant, error=record.error, warnings=warnings, fault=record.fault)
        elif method in ("GET", "HEAD", "OPTIONS"):
            return  # the admin API's and the console page's reads would drown the platform lines
        store.console.request(wall=wall, platform=platform, tenant=record.tenant, method=method, path=path,
                              query=query, status=status, error=record.error, latency_ms=latency,
                              warnings=warnings, request_id=journal_id, masked=True)


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
