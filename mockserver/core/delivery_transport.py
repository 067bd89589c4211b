"""How the webhook engine's dispatcher (core/delivery_dispatch.py) makes its HTTP exchanges: it
starts each one, then asks which have ended, waiting a moment when none has.

- CurlTransport (the engine's own): every exchange on one libcurl multi handle, driven by the
  dispatcher's one thread. The exchanges run side by side and the thread holds the interpreter
  only to start them and to read their answers, however many are in flight. One thread per
  exchange held it several times each (woken, the exchange, the bookkeeping, waiting again), and
  every such turn was taken from the thread that answers requests: a worker per exchange cost a
  SHOPLINE trigger a third of its rate (bench/, docs/performance.md, "A seventh pass").
- CallTransport: exchanges made by a blocking post callable, each on a thread of its own (tests
  stand in for HTTP this way).

An exchange is started with a token (what the dispatcher needs to record it); finished() answers
(token, HttpResult), or (token, exception) when a post callable raised.
"""
from __future__ import annotations

import threading
import time
from typing import Any, Callable

import pycurl

from mockserver.core import curl_post
from mockserver.core.delivery_http import HttpResult

Finished = list[tuple[Any, Any]]
MAX_CONNECTIONS = 64  # open connections the multi handle keeps for reuse, over every receiver


class CurlTransport:
    """Connections a receiver lets stay open (HTTP/1.1 without `Connection: close`) stay in the multi
    handle's cache for the next exchange to that receiver (opening one was a third of a delivery's
    cost, bench/), at most MAX_CONNECTIONS of them, each reused within curl_post.IDLE_SECONDS of its
    last answer; curl checks a cached one is still open before it writes on it. close() closes them:
    the dispatcher does when nothing was sent for IDLE_SECONDS, and when the engine stops."""

    def __init__(self) -> None:
        self._multi = pycurl.CurlMulti()
        self._multi.setopt(pycurl.M_MAXCONNECTS, MAX_CONNECTIONS)
        self._running: dict[pycurl.Curl, tuple[Any, curl_post.Transfer]] = {}
        self._ended: Finished = []  # exchanges that ended before they started (a bad request)
        self._spare: list[pycurl.Curl] = []  # handles of ended exchanges, for the next ones

    def __len__(self) -> int:
        return len(self._running) + len(self._ended)

    def start(self, token: Any, url: str, headers: dict[str, str], body: bytes, timeout: float) -> None:
        handle = self._spare.pop() if self._spare else curl_post.new_handle(reuse=True)
        transfer = curl_post.begin(url, headers, body, timeout, handle)
        if isinstance(transfer, HttpResult):
            self._ended.append((token, transfer))
            self._spare.append(handle)
            return
        try:
            self._multi.add_handle(handle)
        except pycurl.error as exc:
            self._ended.append((token, curl_post.end(transfer, None, "", failure=("error", f"curl: {exc}"))))
            handle.close()
            return
        self._running[handle] = (token, transfer)

    def finished(self, wait: float) -> Finished:
        """The exchanges that ended; when none has, waits up to `wait` seconds (without the
        interpreter) for their sockets to move, then looks again."""
        ended, self._ended = self._ended, []
        ended += self._read()
        if not ended and self._running:
            began = time.monotonic()
            if not self._multi.select(wait) and time.monotonic() - began < wait / 2:
                # select() came back at once with nothing: curl gave it no socket to watch (one
                # numbered past select()'s 1024 is left out). Wait anyway rather than spin.
                time.sleep(wait)
            ended = self._read()
        return ended

    def _read(self) -> Finished:
        while self._multi.perform()[0] == pycurl.E_CALL_MULTI_PERFORM:
            pass
        ended: Finished = []
        while True:
            left, succeeded, failed = self._multi.info_read()
            for handle in succeeded:
                ended.append(self._end(handle, 0, ""))
            for handle, code, message in failed:
                ended.append(self._end(handle, code, message))
            if not left:
                return ended

    def _end(self, handle: pycurl.Curl, code: int, message: str) -> tuple[Any, HttpResult]:
        self._multi.remove_handle(handle)
        token, transfer = self._running.pop(handle)
        self._spare.append(handle)
        return token, curl_post.end(transfer, code, message)

    def close(self) -> None:
        """Stop what still runs (the engine waited for it) and close every connection."""
        for handle in [*self._running, *self._spare]:
            if handle in self._running:
                self._multi.remove_handle(handle)
            handle.close()
        self._running.clear()
        self._spare.clear()
        self._multi.close()


class CallTransport:
    """Exchanges made by a blocking post(url, headers, body, timeout), each on a thread of its own."""

    def __init__(self, post: Callable[..., HttpResult]) -> None:
        self._post = post
        self._cv = threading.Condition()
        self._running = 0
        self._ended: Finished = []

    def __len__(self) -> int:
        with self._cv:
            return self._running + len(self._ended)

    def start(self, token: Any, url: str, headers: dict[str, str], body: bytes, timeout: float) -> None:
        with self._cv:
            self._running += 1
        threading.Thread(target=self._run, args=(token, url, headers, body, timeout),
                         name="shop-sandbox-webhook-call", daemon=True).start()

    def _run(self, token: Any, url: str, headers: dict[str, str], body: bytes, timeout: float) -> None:
        try:
            outcome: Any = self._post(url, headers, body, timeout)
        except Exception as exc:  # noqa: BLE001 - the dispatcher records it as the sandbox's failure
            outcome = exc
        with self._cv:
            self._running -= 1
            self._ended.append((token, outcome))
            self._cv.notify()

    def finished(self, wait: float) -> Finished:
        with self._cv:
            if not self._ended and self._running:
                self._cv.wait(wait)
            ended, self._ended = self._ended, []
            return ended

    def close(self) -> None:
        """Nothing to free: a call still running ends on its own thread, and is not read."""
