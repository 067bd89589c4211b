"""How long a request that queued deliveries pauses before it answers, so that a flood of requests
does not outrun the deliveries it queues (WebhookEngine.pace).

One interpreter runs both the requests and the webhook engine's dispatcher, and the thread that
answers requests can win the interpreter far more often: under a flood of SHOPLINE triggers the
queue of the worker threads the engine had then grew by a thousand deliveries a second until its
bound (MAX_UNFINISHED) dropped the oldest unsent (bench/, the SHOPLINE trigger). A pause that
grows with the deliveries still waiting for their first attempt lets the dispatcher in; the rate
triggers are answered at then settles where deliveries keep pace. Below PACE_FROM nothing
pauses: a test that queues hundreds of webhooks at once never waits. Only writes pause (a read
queues nothing), and never for longer than PACE_MAX.
"""
from __future__ import annotations

PACE_FROM = 1000  # deliveries waiting for their first attempt before any request pauses
PACE_STEP = 2e-6  # seconds of pause for each delivery waiting beyond PACE_FROM
PACE_MAX = 0.002  # the longest pause a request makes, however long the queue


def pause_for(waiting: int) -> float:
    """Seconds to pause when `waiting` deliveries wait for their first attempt."""
    if waiting <= PACE_FROM:
        return 0.0
    return min(PACE_MAX, (waiting - PACE_FROM) * PACE_STEP)
