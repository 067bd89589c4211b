"""Runs an app under waitress (a multi-threaded production WSGI server), in the foreground for
the CLI or in a background thread for tests and the pytest plugin.
"""
from __future__ import annotations

import threading
from typing import Any

from waitress import wasyncore
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

    def close(self) -> None:
        """Stop accepting, let running requests finish (2 s at most), then end the loop.

        waitress's loop thread owns its sockets: closing them from this thread races its select()
        (EBADF) and waits out the loop timeout, so the closes run inside the loop via its trigger."""
        server = self._server
        if self._thread is None or not self._thread.is_alive():
            server.close()
            server.task_dispatcher.shutdown(timeout=2)
            return
        server.trigger.pull_trigger(lambda: wasyncore.dispatcher.close(server))  # stop accepting
        server.task_dispatcher.shutdown(timeout=2)  # running requests finish
        try:
            server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))  # the loop ends
        except OSError:
            # pull_trigger queues the job before writing its wake-up byte; a loop woken by other
            # traffic may run the job (closing the trigger) first, and the write then meets a
            # closed descriptor. The job ran: nothing is lost.
            pass
        self._thread.join(timeout=2)

    def __enter__(self) -> "BackgroundServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.close()
