"""core/run_gate.py: one request's Python at a time, nobody waits past the patience, and a request
that waits on something else lets the others run."""
from __future__ import annotations

import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from mockserver.app import create_app
from mockserver.core import run_gate
from mockserver.server import BackgroundServer
from tests.conftest import make_settings

LONG = 30.0  # seconds: only bounds a test that would otherwise hang


def _in_thread(work):
    result: list = []
    thread = threading.Thread(target=lambda: result.append(work()))
    thread.start()
    return thread, result


def _wait_until(condition) -> None:
    deadline = time.monotonic() + LONG
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.005)


def test_a_second_request_waits_for_the_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run_gate, "PATIENCE", LONG)
    assert run_gate.enter()
    try:
        thread, taken = _in_thread(lambda: (run_gate.enter(), run_gate.leave())[0])
        time.sleep(0.05)  # not a race: the other cannot finish before leave() below, however slow
        assert taken == []
    finally:
        run_gate.leave()
    thread.join(LONG)
    assert taken == [True]
    assert not run_gate._gate.locked()


def test_nobody_waits_past_the_patience_and_a_late_request_frees_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run_gate, "PATIENCE", 0.01)
    assert run_gate.enter()
    try:
        thread, taken = _in_thread(lambda: (run_gate.enter(), run_gate.leave())[0])
        thread.join(LONG)
        assert taken == [False]  # it ran without the gate...
        assert run_gate._gate.locked()  # ...and leaving did not take this thread's gate away
    finally:
        run_gate.leave()
    assert not run_gate._gate.locked()


def test_a_wait_lets_another_request_run_and_then_takes_the_gate_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run_gate, "PATIENCE", LONG)
    assert run_gate.enter()
    try:
        with run_gate.released():
            assert not run_gate._gate.locked()
            thread, taken = _in_thread(lambda: (run_gate.enter(), run_gate.leave())[0])
            thread.join(LONG)
            assert taken == [True]
        assert run_gate._gate.locked()
    finally:
        run_gate.leave()
    assert not run_gate._gate.locked()
    with run_gate.released():  # outside a request: nothing to give back, nothing taken
        assert not run_gate._gate.locked()
    assert not run_gate._gate.locked()


def test_a_request_held_by_a_delay_fault_lets_the_gate_go() -> None:
    app = create_app(make_settings())
    store = app.extensions["shop_sandbox"]
    # 10 s: far longer than the checks below take on a loaded machine, short enough to wait out.
    rule = store.faults.add(path="/v1/order/SLOW", delay_ms=10_000, times=None)
    server = BackgroundServer(app).start()
    try:
        with ThreadPoolExecutor(1) as pool:
            slow = pool.submit(lambda: urllib.request.urlopen(server.url + "/v1/order/SLOW", timeout=60).read())
            _wait_until(lambda: store.faults.get(rule.id).matched == 1)
            _wait_until(lambda: not run_gate._gate.locked())  # it sleeps without the gate
            with urllib.request.urlopen(server.url + "/_sandbox/health", timeout=60) as answer:
                assert answer.status == 200
            assert not slow.done()
            server.close(drain=0)
    finally:
        server.close(drain=0)
