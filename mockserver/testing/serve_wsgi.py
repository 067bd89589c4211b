"""serve_wsgi: a WSGI app (your webhook receiver) on a real loopback HTTP server in a daemon thread,
for as long as a `with` block lasts, so the sandbox can deliver webhooks to it."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from mockserver.server import BackgroundServer


def base_url(host: str, port: int) -> str:
    """http://host:port, an IPv6 address in brackets."""
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


@contextmanager
def serve_wsgi(app: Any, host: str = "127.0.0.1", port: int = 0, *, threads: int = 4,
               public_host: str | None = None) -> Iterator[str]:
    """Serve app on host:port (0: a free port) with the sandbox's own server (granian); yields the
    base URL, no trailing slash.

    public_host: the name the sandbox reaches this machine by, when it is not `host` (a sandbox in a
    container: host="0.0.0.0", public_host="host.docker.internal"). On leaving, the server stops
    accepting, lets running requests finish (2 s at most) and its thread ends. An exception the
    app raises becomes a 500 answer (the server logs it)."""
    server = BackgroundServer(app, host=host, port=port, threads=threads).start()
    try:
        yield base_url(public_host or host, server.port)
    finally:
        server.close()
