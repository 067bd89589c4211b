"""Console lines written by one thread of their own, so a request never waits on stdout.

With a line written and flushed under a lock by each request thread, the request threads queued
behind one another on the lock and on the pipe's write: the console cost a third of a busy server's
throughput. Here a request only hands its line over; the writer takes whatever has gathered, writes
it in one call and flushes once, at most every GATHER_SECONDS, so under load one write carries
many lines and, idle, a line goes out GATHER_SECONDS after it is handed over. Order is kept (one
queue, one writer).

A line may also be handed over unwritten (put_later: a function and what it takes), and the writer
makes it: a request line's masking and formatting then cost the answering thread nothing; a busy
server's signed get_order_list answered about 3% more a second (bench/). A function that fails
loses its line, never the writer.

Bounded: when the stream does not keep up (a pipe nobody reads), lines beyond MAX_PENDING are
counted instead of kept, and a line says how many were dropped once the stream moves again.
"""
from __future__ import annotations

import logging
import queue
import threading
import time
from typing import Any, Callable, TextIO

log = logging.getLogger(__name__)

MAX_PENDING = 10_000
GATHER_SECONDS = 0.01


class LineWriter:
    def __init__(self, stream: Callable[[], TextIO], dropped_line: Callable[[int], str]) -> None:
        self._stream = stream  # looked up at each write: sys.stdout may be replaced after start
        self._dropped_line = dropped_line  # the line that says how many were dropped, in the console's format
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._dropped = 0
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def put(self, line: str) -> None:
        self._hand_over(line)

    def put_later(self, make: Callable[..., str], args: tuple[Any, ...]) -> None:
        """A line the writer makes with make(*args) when it writes it."""
        self._hand_over((make, args))

    def _hand_over(self, item: str | tuple[Callable[..., str], tuple[Any, ...]]) -> None:
        if self._thread is None:
            self._start()
        if self._queue.qsize() >= MAX_PENDING:
            self._dropped += 1  # racy by one or two under contention: a count for a person, not an account
            return
        self._queue.put(item)

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until every line handed over is written (at stop, before the process exits)."""
        if self._thread is None:
            return True
        written = threading.Event()  # set by the writer once every line before it is out
        self._queue.put(written)
        return written.wait(timeout)

    def _start(self) -> None:
        with self._start_lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="shop-sandbox-console", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            lines = [self._queue.get()]
            # Let a busy server's lines gather: the writer woken for every line took the GIL
            # between every two requests (a fifth of a signed call's cost, bench/); a person
            # does not see GATHER_SECONDS.
            time.sleep(GATHER_SECONDS)
            while True:
                try:
                    lines.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            marks = [line for line in lines if isinstance(line, threading.Event)]
            text = "".join(line + "\n" for line in _made(lines))
            if self._dropped:
                dropped, self._dropped = self._dropped, 0
                text += self._dropped_line(dropped) + "\n"
            if text:
                try:
                    stream = self._stream()
                    stream.write(text)
                    stream.flush()
                except (OSError, ValueError):  # a closed pipe or stream must not stop the writer
                    pass
            for mark in marks:
                mark.set()


def _made(items: list[Any]) -> list[str]:
    """The lines among what was handed over, those handed over unwritten made now."""
    lines = []
    for item in items:
        if type(item) is str:
            lines.append(item)
        elif type(item) is tuple:
            make, args = item
            try:
                lines.append(make(*args))
            except Exception:  # noqa: BLE001 - a sandbox bug loses its line, not the console
                log.exception("a console line could not be made")
    return lines
