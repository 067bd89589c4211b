"""Requests per second of a signed get_order_list (page_size 20) on a shop with 10,000 orders.

    python bench/order_list_throughput.py [--orders 10000] [--seconds 15] [--connections 16]

Load comes from wrk (Debian package `wrk`) when installed, else from a threaded Python client.
The sandbox clock is frozen so one signed URL stays inside Shopee's 5-minute timestamp window.
"""
from __future__ import annotations

import argparse
import hashlib
import hmac
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from _sandbox_process import SandboxProcess, get_json  # noqa: E402


def signed_url(base: str, creds: dict, now: int) -> str:
    path = "/api/v2/order/get_order_list"
    message = f"{creds['partner_id']}{path}{now}{creds['access_token']}{creds['shop_id']}"
    sign = hmac.new(creds["partner_key"].encode(), message.encode(), hashlib.sha256).hexdigest()
    query = urllib.parse.urlencode({
        "partner_id": creds["partner_id"], "timestamp": now, "access_token": creds["access_token"],
        "shop_id": creds["shop_id"], "sign": sign, "time_range_field": "create_time",
        "time_from": now - 15 * 86400 + 1, "time_to": now, "page_size": 20,
        "response_optional_fields": "order_status"})
    return f"{base}{path}?{query}"


def python_load(url: str, seconds: float, connections: int) -> tuple[int, int]:
    done = [0] * connections
    errors = [0] * connections
    stop = time.perf_counter() + seconds

    def worker(index: int) -> None:
        while time.perf_counter() < stop:
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    response.read()
                    done[index] += 1
            except OSError:
                errors[index] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done), sum(errors)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=8, help="waitress worker threads")
    args = parser.parse_args()
    with SandboxProcess("--threads", str(args.threads)) as sandbox:
        get_json(sandbox.url + "/_sandbox/clock", {"freeze": True})
        creds = get_json(sandbox.url + "/_sandbox/credentials")["shopee"]
        started = time.perf_counter()
        get_json(f"{sandbox.url}/_sandbox/shopee/shops/{creds['shop_id']}/orders", {"count": args.orders - 50})
        print(f"seeded {args.orders} orders in {time.perf_counter() - started:.1f} s")
        now = get_json(sandbox.url + "/_sandbox/clock")["now"]
        url = signed_url(sandbox.url, creds, now)
        with urllib.request.urlopen(url) as response:
            assert response.status == 200
        if shutil.which("wrk"):
            out = subprocess.run(["wrk", "-t", "2", "-c", str(args.connections), "-d", f"{int(args.seconds)}s",
                                  "--latency", url], capture_output=True, text=True, check=True).stdout
            print(f"wrk -t2 -c{args.connections} -d{int(args.seconds)}s (waitress threads={args.threads}):")
            print(out)
        else:
            count, errors = python_load(url, args.seconds, args.connections)
            print(f"python client, {args.connections} threads: {count / args.seconds:.0f} requests/s "
                  f"({errors} errors)")


if __name__ == "__main__":
    main()
