"""Runs an app under waitress (a multi-threaded production WSGI server), in the foreground for
the CLI or in a background thread for tests and the pytest plugin.
"""
from __future__ import annotations

import threading
from typing import Any

from waitress.server import create_server


class BackgroundServer:
    """A waitress server on host:port (0 = a free port) in a daemon thread."""

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0, threads: int = 8) -> None:
        self.app = app
        self._server = create_server(app, host=host, port=port, threads=threads,
                                     ident="shop-sandbox", clear_untrusted_proxy_headers=True)
        self.host = host
        self.port = self._server.effective_port
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> "BackgroundServer":
        self._thread = threading.Thread(target=self._server.run, name="shop-sandbox-server", daemon=True)
        self._thread.start()
        return self

    def run(self) -> None:
        """Serve in the calling thread until close() (from a signal handler) stops the loop."""
        self._server.run()

    def close(self) -> None:
        """Stop accepting, let running requests finish (2 s at most), then stop the loop thread.

        waitress's close() only closes the listening socket; its loop runs on while clients keep
        connections open, so the worker threads are shut down here and the loop thread (a daemon)
        is given a moment, not waited for."""
        self._server.close()
        self._server.task_dispatcher.shutdown(timeout=2)
        if self._thread is not None:
            self._thread.join(timeout=1)

    def __enter__(self) -> "BackgroundServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.close()
