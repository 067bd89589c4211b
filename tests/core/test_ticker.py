"""Scheduled work falls due on the sandbox clock without a request: a client that only waits (for
a push, a tracking number) sees it happen."""
from __future__ import annotations

import threading
import time

from mockserver.core.clock import SandboxClock
from mockserver.core.scheduler import Scheduler
from mockserver.core.ticker import Ticker


def _rig(clock: SandboxClock):
    scheduler = Scheduler()
    lock = threading.Lock()
    ran: list[float] = []

    def run_due() -> None:
        with lock:
            scheduler.run_due(clock.now())

    ticker = Ticker(clock, scheduler, run_due)
    return scheduler, lock, ran, ticker


def _wait_for(condition, limit: float = 60.0) -> bool:
    deadline = time.monotonic() + limit
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)
    return condition()


def test_a_job_runs_when_it_falls_due_on_a_running_clock_with_no_request():
    clock = SandboxClock()  # real time, running
    scheduler, lock, ran, ticker = _rig(clock)
    with lock:
        scheduler.at(clock.now() + 0.2, lambda: ran.append(clock.now()))
    assert _wait_for(lambda: ran)
    ticker.close()


def test_a_frozen_clock_runs_nothing_until_it_moves_and_then_at_once():
    clock = SandboxClock(start=1_795_000_000, frozen=True)
    scheduler, lock, ran, ticker = _rig(clock)
    with lock:
        scheduler.at(1_795_000_060, lambda: ran.append(clock.now()))
    assert scheduler.next_due() == 1_795_000_060 and ran == []
    clock.advance(60)  # the ticker wakes on the clock's change
    assert _wait_for(lambda: ran) and ran == [1_795_000_060]
    ticker.close()


def test_a_failing_job_is_kept_and_the_next_still_runs():
    clock = SandboxClock()
    scheduler, lock, ran, ticker = _rig(clock)

    def boom() -> None:
        raise RuntimeError("job bug")

    with lock:
        scheduler.at(clock.now(), boom)
        scheduler.at(clock.now() + 0.1, lambda: ran.append(1))
    assert _wait_for(lambda: ran)
    assert [str(e) for e in ticker.errors] == ["job bug"]
    ticker.close()


def test_the_sandbox_numbers_a_shipped_order_for_a_client_that_only_waits():
    from mockserver.app import create_app
    from mockserver.settings import Settings
    from tests.shopee.order_support import make_order
    from tests.support.clients import SandboxClient

    app = create_app(Settings(seed=7))  # the sandbox clock runs on real time
    client = SandboxClient(flask_client=app.test_client())
    assert client.admin("POST", "/shopee/settings", {"tracking_delay_seconds": 1}).status == 200
    sn = make_order(client)
    shipped = client.shopee("POST", "logistics/ship_order", {"order_sn": sn, "dropoff": {}})
    assert shipped.status == 200, shipped.body
    world = app.extensions["shop_sandbox"].backend("shopee")
    # With a delay the number comes from a scheduled job (ship_order only schedules it), and no
    # request follows: only the ticker can run that job (the world is read directly).
    assert _wait_for(lambda: world.orders[sn].tracking_assigned)
