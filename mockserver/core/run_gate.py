"""One request at a time runs the sandbox's Python; the others wait their turn on a lock, not on the
GIL.

Requests run on several threads (wsgi_calls.py: granian's own, and request threads for whatever may
wait, up to --threads), so that a slow call (a delay fault, a webhook verification, a flush) never
makes the rest wait. Threads that fight for the GIL after every few microseconds of work spend more
on the fight than on the work: a signed get_order_list took ~350 us of CPU over HTTP against ~60 us
of Python. A thread waiting on a lock sleeps and costs nothing; so a request takes the gate before
it runs (bench/: 3,400 to 4,600 requests a second when every request had a granian thread).

Nothing ever waits long for the gate: a request that does not get it within PATIENCE runs anyway,
as all of them did before. The places where a request waits for something else (a delay fault's
sleep, a verification sent to a receiver, a flush, a batch of orders being planned) let the gate go
meanwhile (`released()`), so the other requests run while it waits. The gate belongs to the process,
like the GIL it stands in front of: every server of the process shares it.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator

PATIENCE = 0.05  # seconds a request waits for the gate before it runs without it

_gate = threading.Lock()
_holding = threading.local()


def enter() -> bool:
    """Take the gate for this thread's request (or give up after PATIENCE); whether it was taken."""
    taken = _gate.acquire(timeout=PATIENCE)
    _holding.gate = taken
    return taken


def leave() -> None:
    """Give the gate back if this thread holds it (after released() it may not)."""
    if getattr(_holding, "gate", False):
        _holding.gate = False
        _gate.release()


@contextmanager
def released() -> Iterator[None]:
    """Around a wait that is not Python work: other requests run meanwhile; the gate is taken
    again afterwards (with the same patience)."""
    held = getattr(_holding, "gate", False)
    if held:
        _holding.gate = False
        _gate.release()
    try:
        yield
    finally:
        if held:
            enter()
