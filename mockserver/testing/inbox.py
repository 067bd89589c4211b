"""WebhookInbox: an in-process HTTP receiver for webhooks, for tests and for people trying the sandbox.

It records every request that arrives and answers as told: a status, a delay, a dropped
connection, or a script of replies consumed in order, for every path or per path.

    with WebhookInbox() as inbox:
        inbox.script([500, 500, 200])
        ... make the sandbox send to inbox.url ...
        first, = inbox.wait_for(1)
        assert first.json()["code"] == 3
"""
from __future__ import annotations

import json
import socket
import struct
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterable, Union
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Reply:
    """How the inbox answers one request."""

    status: int = 200
    body: Any = b""  # bytes, str, or a JSON value (dict/list) sent as application/json
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # real seconds to wait before answering (or before dropping)
    drop: bool = False  # close the connection with a reset instead of answering

    @classmethod
    def hang(cls, seconds: float, status: int = 200) -> "Reply":
        return cls(status=status, delay=seconds)

    @classmethod
    def dropped(cls, delay: float = 0.0) -> "Reply":
        return cls(drop=True, delay=delay)


ReplyLike = Union[Reply, int]


def as_reply(value: ReplyLike) -> Reply:
    if isinstance(value, Reply):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 100 <= value <= 599:
        return Reply(status=value)
    raise TypeError(f"a reply is a Reply or an HTTP status (100-599), not {value!r}")


@dataclass(frozen=True)
class Received:
    """One request as it arrived."""

    method: str
    path: str  # without the query
    query: dict[str, list[str]]
    headers: dict[str, str]  # as sent (name case kept; repeated headers joined with ", ")
    body: bytes
    received_at: float  # real time (time.time()) when the whole request had arrived
    reply: Reply  # what the inbox answered (or was told to do)

    def header(self, name: str, default: str | None = None) -> str | None:
        """A header by name, whatever its case."""
        lowered = name.lower()
        for key, value in self.headers.items():
            if key.lower() == lowered:
                return value
        return default

    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> Any:
        return json.loads(self.body)


class WebhookInbox:
    """An HTTP server on 127.0.0.1 (port 0: a free one) in a daemon thread; a context manager."""

    def __init__(self, reply: ReplyLike = 200, host: str = "127.0.0.1", port: int = 0) -> None:
        self._lock = threading.Condition()
        self._received: list[Received] = []
        self._default: dict[str | None, Reply] = {None: as_reply(reply)}
        self._scripts: dict[str | None, deque[Reply]] = {}
        self._stopping = threading.Event()
        self.errors: list[BaseException] = []  # unexpected errors in handler threads
        self._server = _Server((host, port), _Handler)
        self._server.inbox = self
        self.host, self.port = host, self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"webhook-inbox-{self.port}", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        """The inbox's base URL (any path under it is recorded)."""
        return f"http://{self.host}:{self.port}/"

    def url_for(self, path: str) -> str:
        return f"http://{self.host}:{self.port}/{path.lstrip('/')}"

    # ---- behaviour -------------------------------------------------------------------------------
    def respond(self, reply: ReplyLike, path: str | None = None) -> "WebhookInbox":
        """Answer every request (or every request to path) like this from now on."""
        with self._lock:
            self._default[path] = as_reply(reply)
        return self

    def script(self, replies: Iterable[ReplyLike], path: str | None = None) -> "WebhookInbox":
        """Answer the next requests (to path, or to any path) with these, in order; then as respond() says."""
        with self._lock:
            self._scripts.setdefault(path, deque()).extend(as_reply(r) for r in replies)
        return self

    def _choose(self, path: str) -> Reply:
        for key in (path, None):
            script = self._scripts.get(key)
            if script:
                return script.popleft()
            if key is not None and key in self._default:
                return self._default[key]
        return self._default[None]

    # ---- what arrived ----------------------------------------------------------------------------
    @property
    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    def requests(self, path: str | None = None) -> list[Received]:
        with self._lock:
            return [r for r in self._received if path is None or r.path == path]

    def wait_for(self, count: int, timeout: float = 5.0, path: str | None = None) -> list[Received]:
        """Block until at least count requests (to path) arrived; AssertionError after timeout real seconds."""
        with self._lock:
            arrived = self._lock.wait_for(lambda: len(self._matching(path)) >= count, timeout=timeout)
            found = self._matching(path)
        if not arrived:
            seen = ", ".join(f"{r.method} {r.path}" for r in found) or "nothing"
            raise AssertionError(f"expected {count} requests{f' to {path}' if path else ''} within "
                                 f"{timeout} s; got {len(found)}: {seen}")
        return found

    def _matching(self, path: str | None) -> list[Received]:
        return [r for r in self._received if path is None or r.path == path]

    def clear(self) -> None:
        """Forget what arrived, scripts and per-path replies; answer 200 again."""
        with self._lock:
            self._received.clear()
            self._scripts.clear()
            self._default = {None: Reply()}

    def _record(self, handler: BaseHTTPRequestHandler, body: bytes) -> Reply:
        parts = urlsplit(handler.path)
        headers: dict[str, str] = {}
        for name, value in handler.headers.items():
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        with self._lock:
            reply = self._choose(parts.path)
            self._received.append(Received(handler.command, parts.path, parse_qs(parts.query, keep_blank_values=True),
                                           headers, body, time.time(), reply))
            self._lock.notify_all()
        return reply

    # ---- lifetime --------------------------------------------------------------------------------
    def close(self) -> None:
        """Stop serving; requests still hanging in a delay end at once (their clients see a drop)."""
        if self._stopping.is_set():
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=2)

    def __enter__(self) -> "WebhookInbox":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # close() must not wait for a request hanging on purpose
    inbox: WebhookInbox

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        # A client that gave up (timeout, reset) is part of the tests; anything else is a bug to show.
        if exc is not None and not isinstance(exc, OSError):
            self.inbox.errors.append(exc)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_POST(self) -> None:
        self._handle()

    do_GET = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_POST

    def _handle(self) -> None:
        inbox = self.server.inbox
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        reply = inbox._record(self, body)
        if reply.delay > 0 and inbox._stopping.wait(reply.delay):
            reply = Reply(drop=True)  # closing: end the hang now
        if reply.drop:
            # SO_LINGER 0: the close sends a reset, as a crashed or impatient server would.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()  # the socket really closes when http.server drops its files
            return
        payload, content_type = _encode(reply.body)
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if content_type and not any(n.lower() == "content-type" for n in reply.headers):
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _encode(body: Any) -> tuple[bytes, str | None]:
    if isinstance(body, bytes):
        return body, None if not body else "application/octet-stream"
    if isinstance(body, str):
        return body.encode("utf-8"), "text/plain; charset=utf-8"
    return json.dumps(body).encode("utf-8"), "application/json"
