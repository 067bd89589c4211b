"""Webhook deliveries per second to a local receiver that answers 200 at once.

    python bench/webhook_delivery.py [--deliveries 5000] [--workers 4] [--admin 2000]

1. In-process: a WebhookEngine (frozen sandbox clock) sends N deliveries to a WebhookInbox running
   in a child process (as an integrator's receiver would), then to one in the same process (both
   then share one GIL); the time runs from the first enqueue to the end of flush() (every attempt
   finished and recorded).
2. Through the admin API (unless --admin 0): `shop-sandbox serve` as a child process; the bench
   POSTs /_sandbox/deliveries from 8 threads, then POSTs /_sandbox/deliveries/flush; the time covers
   both, so it includes the admin API's own cost per delivery.
The receiver is the in-process WebhookInbox (http.server, a thread per connection); each attempt
opens its own connection, as the engine does for every delivery.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _sandbox_process import SandboxProcess  # noqa: E402

from mockserver.core.clock import SandboxClock  # noqa: E402
from mockserver.core.delivery_model import Policy  # noqa: E402
from mockserver.core.webhooks import WebhookEngine  # noqa: E402
from mockserver.testing import WebhookInbox  # noqa: E402

BODY = json.dumps({"code": 3, "shop_id": 123456, "timestamp": 1_795_000_000,
                   "data": {"ordersn": "2611180001ABCD", "status": "READY_TO_SHIP", "update_time": 1_795_000_000}}).encode()
HEADERS = {"Content-Type": "application/json", "Authorization": "0" * 64}


RECEIVER = """
import sys
from mockserver.testing import WebhookInbox
with WebhookInbox() as inbox:
    print(inbox.url, flush=True)
    sys.stdin.read()  # until the bench closes our stdin
"""


class ReceiverProcess:
    """A WebhookInbox in a child process: the receiver does not share the engine's GIL."""

    def __enter__(self) -> "ReceiverProcess":
        self.proc = subprocess.Popen([sys.executable, "-c", RECEIVER], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        self.url = self.proc.stdout.readline().strip()
        return self

    def __exit__(self, *exc: object) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


def in_process(count: int, workers: int, receiver_url: str) -> tuple[float, dict]:
    engine = WebhookEngine(SandboxClock(start=1_795_000_000, frozen=True), workers=workers, log_limit=count + 100)
    policy = Policy("bench", timeout=5, retry_delays=())
    for _ in range(50):  # warm up: threads started, code paths hot
        engine.enqueue("bench", receiver_url, BODY, HEADERS, policy=policy)
    engine.flush()
    started = time.perf_counter()
    for _ in range(count):
        engine.enqueue("bench", receiver_url, BODY, HEADERS, event="order_status", policy=policy)
    summary = engine.flush(timeout=600)
    elapsed = time.perf_counter() - started
    engine.close()
    assert summary["succeeded"] == count, summary["succeeded"]
    return elapsed, summary


def _post(url: str, body: dict | None) -> dict:
    data = b"" if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.loads(response.read())


def through_admin(count: int, workers: int) -> tuple[float, dict]:
    env_workers = os.environ.get("SHOP_SANDBOX_WEBHOOK_WORKERS")
    os.environ["SHOP_SANDBOX_WEBHOOK_WORKERS"] = str(workers)  # honoured once Settings has the field
    try:
        with WebhookInbox() as inbox, SandboxProcess() as sandbox:
            create = sandbox.url + "/_sandbox/deliveries"
            payload = {"url": inbox.url, "body": json.loads(BODY), "headers": HEADERS, "event": "order_status"}
            started = time.perf_counter()
            with ThreadPoolExecutor(8) as pool:
                list(pool.map(lambda _: _post(create, payload), range(count)))
            summary = _post(create + "/flush", None)
            elapsed = time.perf_counter() - started
            assert len(inbox.received) == count, len(inbox.received)
    finally:
        if env_workers is None:
            os.environ.pop("SHOP_SANDBOX_WEBHOOK_WORKERS", None)
    return elapsed, summary


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deliveries", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=4, help="engine worker threads")
    parser.add_argument("--admin", type=int, default=2000, help="deliveries through the admin API (0: skip)")
    args = parser.parse_args()

    with ReceiverProcess() as receiver:
        elapsed, summary = in_process(args.deliveries, args.workers, receiver.url)
    print(f"in-process engine, {args.workers} workers, receiver in another process: {args.deliveries} "
          f"deliveries in {elapsed:.2f}s = {args.deliveries / elapsed:.0f} deliveries/s")
    with WebhookInbox() as inbox:
        elapsed, summary = in_process(args.deliveries, args.workers, inbox.url)
        assert len(inbox.received) == args.deliveries + 50
    print(f"in-process engine, {args.workers} workers, receiver in the same process (one GIL): "
          f"{args.deliveries / elapsed:.0f} deliveries/s")
    if args.admin:
        elapsed, summary = through_admin(args.admin, args.workers)
        print(f"admin API (POST /_sandbox/deliveries x{args.admin} from 8 threads, then flush): "
              f"{elapsed:.2f}s = {args.admin / elapsed:.0f} deliveries/s end to end "
              f"(succeeded {summary['succeeded']})")


if __name__ == "__main__":
    main()
