"""A flood of slow calls cannot stall the sandbox: while a dozen requests wait on a delay fault,
the health probe and another tenant's requests are answered at once."""
from __future__ import annotations

import json
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from mockserver.app import create_app
from mockserver.server import BackgroundServer
from tests.conftest import make_settings

DELAY_MS = 20_000


def _get(url: str) -> tuple[int, dict]:
    with urllib.request.urlopen(url, timeout=60) as answer:
        return answer.status, json.loads(answer.read())


def test_health_and_other_requests_answer_while_a_dozen_calls_wait():
    app = create_app(make_settings())
    store = app.extensions["shop_sandbox"]
    rule = store.faults.add(path="/v1/order/SLOW", delay_ms=DELAY_MS, times=None)
    server = BackgroundServer(app).start()  # the default settings' thread cap
    try:
        with ThreadPoolExecutor(12) as pool:
            slow = [pool.submit(_get, server.url + "/v1/order/SLOW") for _ in range(12)]
            while store.faults.get(rule.id).matched < 12:  # all twelve are inside the sandbox
                time.sleep(0.01)
            assert _get(server.url + "/_sandbox/health")[1]["status"] == "ok"
            assert "shopee" in _get(server.url + "/_sandbox/credentials")[1]
            # Both answered while the twelve still wait, not after them.
            assert not any(call.done() for call in slow)
            server.close(drain=0)
    finally:
        server.close(drain=0)
