"""Connections to webhook receivers kept open between deliveries, so a burst of deliveries to one
receiver does not open and close a TCP connection each (a third of a delivery's cost, bench/).
What is kept is a curl handle holding one open connection (core/curl_post.py), with that
connection's socket; closing the handle closes the connection.

A connection is kept only after a whole answer that lets it stay open (HTTP/1.1 without
`Connection: close`), and reused only within IDLE_SECONDS of that answer: receivers close idle
connections (gunicorn after 2 s, Node and uvicorn after 5 s), and one closed while a delivery is
being written on it would be a failed attempt the receiver never saw. A kept connection whose
socket has anything to read (the receiver closed it, or sent bytes nobody asked for) is dropped
instead of reused. A sweeper thread, alive only while connections are kept, closes those idle
longer, so the sandbox never holds a receiver's connection open for long.

Bounded: at most MAX_PER_RECEIVER idle connections a receiver and MAX_RECEIVERS receivers.
"""
from __future__ import annotations

import select
import threading
import time
from collections import OrderedDict
from typing import Any, Hashable

IDLE_SECONDS = 1.0
MAX_PER_RECEIVER = 8
MAX_RECEIVERS = 64


class KeptConnections:
    def __init__(self) -> None:
        # receiver -> [(handle, its socket, when it was given back)], the most recently used last
        self._idle: OrderedDict[Hashable, list[tuple[Any, int, float]]] = OrderedDict()
        self._lock = threading.Lock()
        self._sweeper: threading.Thread | None = None
        self._closed = False

    def take(self, key: Hashable) -> Any:
        """A kept connection to the receiver `key`, still fresh and quiet; None: open a new one."""
        stale = []
        found = None
        with self._lock:
            kept = self._idle.get(key)
            now = time.monotonic()
            while kept and found is None:
                conn, sock, since = kept.pop()  # the most recently used first
                if now - since < IDLE_SECONDS and _quiet(sock):
                    found = conn
                else:
                    stale.append(conn)
            if kept is not None and not kept:
                del self._idle[key]
        for conn in stale:
            conn.close()
        return found

    def give(self, key: Hashable, conn: Any, sock: int) -> None:
        """Keep a connection (anything with close()) whose answer was read whole and which stays
        open on the socket `sock` (a file descriptor)."""
        extra = []
        with self._lock:
            if self._closed:
                extra.append(conn)
            else:
                kept = self._idle.setdefault(key, [])
                self._idle.move_to_end(key)
                kept.append((conn, sock, time.monotonic()))
                if len(kept) > MAX_PER_RECEIVER:
                    extra.append(kept.pop(0)[0])
                while len(self._idle) > MAX_RECEIVERS:
                    extra += [c for c, _, _ in self._idle.popitem(last=False)[1]]
                if self._sweeper is None:
                    self._sweeper = threading.Thread(target=self._sweep, name="shop-sandbox-kept-connections",
                                                     daemon=True)
                    self._sweeper.start()
        for old in extra:
            old.close()

    def close(self) -> None:
        """Close every kept connection; later ones are closed as they are given back."""
        with self._lock:
            self._closed = True
            kept = [c for entries in self._idle.values() for c, _, _ in entries]
            self._idle.clear()
        for conn in kept:
            conn.close()

    def count(self) -> int:
        with self._lock:
            return sum(len(entries) for entries in self._idle.values())

    def _sweep(self) -> None:
        while True:
            time.sleep(IDLE_SECONDS / 2)
            stale = []
            with self._lock:
                now = time.monotonic()
                for key in list(self._idle):
                    kept = self._idle[key]
                    stale += [entry[0] for entry in kept if now - entry[2] >= IDLE_SECONDS]
                    kept[:] = [entry for entry in kept if now - entry[2] < IDLE_SECONDS]
                    if not kept:
                        del self._idle[key]
                done = not self._idle
                if done:
                    self._sweeper = None
            for conn in stale:
                conn.close()
            if done:
                return


def _quiet(sock: int) -> bool:
    """Nothing to read on an idle connection: a readable one was closed by the receiver (EOF)."""
    try:
        poller = select.poll()  # not select.select: it refuses descriptors above 1023
        poller.register(sock, select.POLLIN)
        return not poller.poll(0)
    except (OSError, ValueError):
        return False
