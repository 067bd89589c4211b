"""A webhook receiver for the bench, run as `python -m bench.receiver [--inbox]`: prints its URL,
answers 200 to everything, prints how many requests arrived for each line "count" on stdin, ends
at EOF.

By default a counter served by granian, the sandbox's own server: HTTP is parsed in native code,
as wrk's requests are written in it, so that the receiver takes as little as it can of the CPUs
the sandbox is measured on. `--inbox` receives with the pytest plugin's WebhookInbox instead (the
standard library's threaded server, parsing in Python: ~30% of a core at 1,700 deliveries a
second on the bench's 2-core machine), for the figure an integrator's test suite would see.
"""
from __future__ import annotations

import sys
import threading
from typing import Any, Callable, Iterable

from mockserver.testing import WebhookInbox, serve_wsgi

_OK = [b"ok"]
_OK_HEADERS = [("Content-Type", "text/plain"), ("Content-Length", "2")]


class Counter:
    """A WSGI app that reads each request's body, counts the request and answers 200."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        environ["wsgi.input"].read()
        with self._lock:
            self.count += 1
        start_response("200 OK", _OK_HEADERS)
        return _OK


def _answer_counts(count: Callable[[], int]) -> None:
    for line in sys.stdin:
        if line.strip() == "count":
            print(count(), flush=True)


def main(argv: list[str]) -> None:
    """Receive until stdin closes."""
    if "--inbox" in argv:
        with WebhookInbox() as inbox:
            print(inbox.url, flush=True)
            _answer_counts(lambda: len(inbox.received))
        return
    counter = Counter()
    with serve_wsgi(counter, threads=1) as url:
        print(url + "/", flush=True)
        _answer_counts(lambda: counter.count)


if __name__ == "__main__":
    main(sys.argv[1:])
