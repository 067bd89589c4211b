"""The granian server in this process: it serves, refuses new connections once closed, lets
requests in flight finish within the drain time, and reports the ones it had to cut."""
from __future__ import annotations

import socket
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from mockserver.server import BackgroundServer, InFlight

RELEASE = threading.Event()
ENTERED = threading.Semaphore(0)


def app(environ, start_response):
    if environ["PATH_INFO"] == "/hold":  # stays inside the app until the test releases it
        ENTERED.release()
        RELEASE.wait(30)
    if environ["PATH_INFO"] == "/environ":
        body = "\n".join(sorted(k for k in environ if k.startswith("HTTP_"))).encode()
    else:
        body = b"ok"
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


def fetch(url: str, timeout: float = 30) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as answer:
        return answer.read()


def refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    except OSError:
        return True
    return False


def test_it_serves_on_a_free_port_and_refuses_connections_once_closed():
    before = set(threading.enumerate())
    server = BackgroundServer(app).start()
    assert fetch(server.url + "/") == b"ok"
    assert server.close() == 0
    assert refused(server.port)
    assert set(threading.enumerate()) - before == set()


def test_the_port_can_be_bound_again_after_close():
    first = BackgroundServer(app).start()
    first.close()
    second = BackgroundServer(app, port=first.port).start()
    try:
        assert fetch(second.url + "/") == b"ok"
    finally:
        second.close()


def test_a_busy_port_is_a_clean_oserror():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(OSError, match="cannot listen on 127.0.0.1:"):
            BackgroundServer(app, port=taken.getsockname()[1])


def test_environment_variables_never_look_like_request_headers(monkeypatch):
    monkeypatch.setenv("HTTP_X_FROM_THE_ENVIRONMENT", "1")
    with BackgroundServer(app) as server:
        seen = fetch(server.url + "/environ").decode().split("\n")
    assert "HTTP_X_FROM_THE_ENVIRONMENT" not in seen and "HTTP_HOST" in seen


def test_a_request_in_flight_finishes_while_new_connections_are_refused():
    RELEASE.clear()
    server = BackgroundServer(app, drain=30).start()
    with ThreadPoolExecutor(4) as pool:  # three requests and the close
        pending = [pool.submit(fetch, server.url + "/hold") for _ in range(3)]
        for _ in pending:
            assert ENTERED.acquire(timeout=30)  # all three are inside the app
        closing = pool.submit(server.close)
        # The listener goes first; the held requests are still running.
        while not refused(server.port):
            pass
        assert not closing.done()
        RELEASE.set()
        assert closing.result(timeout=30) == 0
        assert [p.result(timeout=30) for p in pending] == [b"ok"] * 3


def test_the_drain_limit_cuts_what_is_still_running_and_says_how_many():
    RELEASE.clear()
    server = BackgroundServer(app).start()
    with ThreadPoolExecutor(1) as pool:
        # A cut request's connection stays open until the process ends (serve exits right after):
        # the client's short timeout only bounds this test's wait, whatever happens first.
        pending = pool.submit(fetch, server.url + "/hold", 2)
        assert ENTERED.acquire(timeout=30)
        assert server.close(drain=0) == 1
        RELEASE.set()
        pending.exception(timeout=60)


def test_in_flight_counts_and_waits():
    count = InFlight()
    count.enter()
    assert count.wait_idle(0) == 1
    threading.Timer(0.01, count.leave).start()
    assert count.wait_idle(30) == 0


def test_asyncio_run_works_while_a_server_runs():
    """An integrator's async test in the same process as the plugin's server."""
    import asyncio

    async def main() -> int:
        await asyncio.sleep(0)
        return 7

    results: list[int] = []
    with BackgroundServer(app) as server:
        assert fetch(server.url + "/") == b"ok"
        # In a thread of its own: another test's tool (Playwright) may hold a loop in this one.
        runner = threading.Thread(target=lambda: results.append(asyncio.run(main())))
        runner.start()
        runner.join(30)
    assert results == [7]
