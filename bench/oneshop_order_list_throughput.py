"""Requests per second of 1shop's GET /v1/order (page 1 of the default account) with the rate limit off.

    python bench/oneshop_order_list_throughput.py [--seconds 15] [--connections 16]
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from _sandbox_process import SandboxProcess, get_json  # noqa: E402
from order_list_throughput import python_load  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=8, help="waitress worker threads")
    args = parser.parse_args()
    with SandboxProcess("--threads", str(args.threads)) as sandbox:
        creds = get_json(sandbox.url + "/_sandbox/credentials")["oneshop"]
        get_json(f"{sandbox.url}/_sandbox/oneshop/accounts/{creds['appid']}/settings", {"rate_limit": None})
        query = urllib.parse.urlencode({"appid": creds["appid"], "secret": creds["secret"], "progress_status": "all",
                                        "payment_status": "all", "logistic_status": "all", "page": 1})
        url = f"{sandbox.url}/v1/order?{query}"
        with urllib.request.urlopen(url) as response:
            assert response.status == 200
        if shutil.which("wrk"):
            out = subprocess.run(["wrk", "-t", "2", "-c", str(args.connections), "-d", f"{int(args.seconds)}s",
                                  "--latency", url], capture_output=True, text=True, check=True).stdout
            print(f"wrk -t2 -c{args.connections} -d{int(args.seconds)}s (waitress threads={args.threads}), "
                  f"GET /v1/order page 1 (50 orders), rate limit off:")
            print(out)
        else:
            count, errors = python_load(url, args.seconds, args.connections)
            print(f"python client, {args.connections} threads: {count / args.seconds:.0f} requests/s ({errors} errors)")


if __name__ == "__main__":
    main()
