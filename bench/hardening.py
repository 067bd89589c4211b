"""`python -m bench.hardening [--runs N] [--out FILE]`: the "Done when" figures of issue 13, measured
against a real `shop-sandbox serve` on a free loopback port (a script, not a test: the figures
depend on the machine, whose load is recorded beside them).

- who may drive it: the status of a cross-site POST and of a rebinding Host on the admin API;
- waiting on the outside world: /_sandbox/health latency while 12 endpoint verifications (6 SHOPLINE,
  6 Shopee) to a black-holed address (a loopback socket that accepts and never answers) and a 5 s
  delay fault are pending (goal: p99 < 100 ms);
- heavy admin work: Shopee get_order_list of one shop while another shop gets 100,000 generated
  orders (goal: delayed < 100 ms);
- memory: RSS growth after 2,000 platform requests with a 100 kB query (goal < 50 MB);
- the suite: tests/test_server.py run N times in a row while another process burns a CPU; failures.
"""
from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Callable

from bench.calls import Calls
from bench.machine import load
from bench.procs import REPO, http_json, rss_bytes, sandbox
from mockserver.shopee import signing

BLACK_HOLE_BACKLOG = 64
VERIFICATIONS = 12  # half SHOPLINE (5 s timeout), half Shopee (3 s plus grace)
DELAY_MS = 5000
PAD_QUERY = 100_000  # bytes of padding in each query of the memory phase
MEMORY_REQUESTS = 2000
GENERATED = 100_000


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def _status(base: str, method: str, path: str, headers: dict[str, str], body: Any = None) -> int:
    """The status of one request with exactly these headers (Host included, when given)."""
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    data = None if body is None else json.dumps(body).encode()
    try:
        connection.putrequest(method, path, skip_host="Host" in headers)
        for name, value in {**headers, **({"Content-Length": str(len(data))} if data else {})}.items():
            connection.putheader(name, value)
        connection.endheaders(data)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _percentiles(times_ms: list[float]) -> dict[str, Any]:
    if not times_ms:
        return {"samples": 0}
    ordered = sorted(times_ms)
    return {"samples": len(ordered), "p50_ms": round(statistics.median(ordered), 2),
            "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 2),
            "max_ms": round(ordered[-1], 2)}


def _sample(url: str, until: Callable[[], bool], pause: float = 0.01) -> list[float]:
    """Latency (ms) of GET url on one kept-alive connection, again and again until `until()`."""
    parts = urllib.parse.urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    times: list[float] = []
    try:
        while not until():
            started = time.perf_counter()
            connection.request("GET", target)
            response = connection.getresponse()
            response.read()
            times.append((time.perf_counter() - started) * 1000)
            if response.status != 200:
                raise RuntimeError(f"GET {target} answered {response.status}")
            time.sleep(pause)
    finally:
        connection.close()
    return times


# ---- who may drive the sandbox -------------------------------------------------------------------
def guard(base: str) -> dict[str, Any]:
    json_type = {"Content-Type": "application/json"}
    return {"cross_site_post_status": _status(base, "POST", "/_sandbox/reset",
                                              {**json_type, "Origin": "https://evil.example"}, {"seed": 9}),
            "rebinding_host_status": _status(base, "GET", "/_sandbox/credentials",
                                             {"Host": "rebind.attacker.example:8000"}),
            "own_host_status": _status(base, "GET", "/_sandbox/credentials", {})}


# ---- waiting on the outside world ----------------------------------------------------------------------
class BlackHole:
    """A loopback port whose kernel completes connections that nobody ever reads or answers."""

    def __enter__(self) -> "BlackHole":
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(BLACK_HOLE_BACKLOG)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/hook"
        return self

    def __exit__(self, *exc: object) -> None:
        self.sock.close()


def _shopline_verification(base: str, token: str, address: str) -> int:
    request = urllib.request.Request(base + "/v1/webhooks", method="POST",
                                     data=json.dumps({"address": address, "topics": ["order/create"]}).encode(),
                                     headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _shopee_verification(calls: Calls, address: str) -> int:
    path = "/api/v2/push/set_app_push_config"
    partner_id, key = calls.shopee["partner_id"], calls.shopee["partner_key"]
    query = urllib.parse.urlencode({"partner_id": partner_id, "timestamp": calls.now,
                                    "sign": signing.sign(key, partner_id, path, calls.now)})
    request = urllib.request.Request(f"{calls.base}{path}?{query}", method="POST",
                                     data=json.dumps({"callback_url": address}).encode(),
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def stall(base: str, calls: Calls) -> dict[str, Any]:
    """Health latency while 12 verifications to a black hole and a 5 s delay fault are pending."""
    token = http_json(base + "/_sandbox/credentials")["shopline"]["openapi"]["access_token"]
    http_json(base + "/_sandbox/faults", {"path": "/v1/order", "delay_ms": DELAY_MS, "times": 1})
    baseline = _percentiles(_sample(base + "/_sandbox/health", _deadline(2.0)))
    statuses: list[int] = []
    with BlackHole() as hole:
        jobs = [lambda i=i: statuses.append(_shopline_verification(base, token, f"{hole.url}/{i}"))
                for i in range(VERIFICATIONS // 2)]
        jobs += [lambda i=i: statuses.append(_shopee_verification(calls, f"{hole.url}/shopee{i}"))
                 for i in range(VERIFICATIONS - VERIFICATIONS // 2)]
        oneshop = calls.oneshop
        delayed = f"{base}/v1/order?" + urllib.parse.urlencode({"appid": oneshop["appid"], "secret": oneshop["secret"],
                                                               "page": 1})
        jobs.append(lambda: statuses.append(_get_status(delayed)))
        threads = [threading.Thread(target=job, daemon=True) for job in jobs]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        time.sleep(0.3)  # every call is in the server by now
        pending = _sample(base + "/_sandbox/health", lambda: time.perf_counter() - started > 4.0)
        for thread in threads:
            thread.join(60)
        waited = round(time.perf_counter() - started, 2)
    return {"baseline": baseline, "while_pending": _percentiles(pending), "load": load(),
            "pending_calls": len(jobs), "their_statuses": sorted(statuses), "their_seconds": waited}


def _get_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _deadline(seconds: float) -> Callable[[], bool]:
    end = time.perf_counter() + seconds
    return lambda: time.perf_counter() > end


# ---- heavy admin work ------------------------------------------------------------------------------
def generation(base: str, calls: Calls) -> dict[str, Any]:
    """Another shop's order list while one shop gets 100,000 generated orders."""
    url = calls.order_list("create_time")
    baseline = _percentiles(_sample(url, _deadline(3.0)))
    shop = calls.new_shop()
    done = threading.Event()
    took: list[float] = []

    def generate() -> None:
        started = time.perf_counter()
        http_json(f"{base}/_sandbox/shopee/shops/{shop['shop_id']}/orders", {"count": GENERATED}, timeout=3600)
        took.append(time.perf_counter() - started)
        done.set()

    worker = threading.Thread(target=generate, daemon=True)
    worker.start()
    during = _sample(url, done.is_set)
    worker.join()
    result = {"baseline": baseline, "while_generating": _percentiles(during), "generated": GENERATED,
              "generation_seconds": round(took[0], 2), "load": load()}
    if during and baseline.get("p50_ms") is not None:
        result["delay_max_ms"] = round(max(during) - baseline["p50_ms"], 2)
    return result


# ---- memory ----------------------------------------------------------------------------------------
def memory(base: str, pid: int, calls: Calls, pad: int = PAD_QUERY) -> dict[str, Any]:
    """RSS before and after 2,000 platform requests with a `pad`-byte query (the journal keeps them;
    granian refuses a request head over 64 kB with a 414 before the app sees it)."""
    parts = urllib.parse.urlsplit(base)
    url = calls.order_list("create_time")
    target = urllib.parse.urlsplit(url).path + "?" + urllib.parse.urlsplit(url).query + "&pad=" + "p" * pad
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    statuses: dict[int, int] = {}
    try:
        for _ in range(50):  # warm-up: first allocations, caches
            connection.request("GET", target)
            connection.getresponse().read()
        before = rss_bytes(pid)
        for _ in range(MEMORY_REQUESTS):
            connection.request("GET", target)
            response = connection.getresponse()
            response.read()
            statuses[response.status] = statuses.get(response.status, 0) + 1
        after = rss_bytes(pid)
    finally:
        connection.close()
    journal = http_json(base + "/_sandbox/requests?limit=1")
    return {"requests": MEMORY_REQUESTS, "query_bytes": len(target), "statuses": statuses,
            "rss_before": before.get("rss"), "rss_after": after.get("rss"),
            "growth_mb": round((after.get("rss", 0) - before.get("rss", 0)) / 1e6, 1),
            "journal_bytes": journal.get("bytes"), "journal_max_bytes": journal.get("max_bytes"), "load": load()}


# ---- the server test under load --------------------------------------------------------------------
def _burn(stop: Any) -> None:
    while not stop.is_set():
        sum(i * i for i in range(10_000))


def server_tests(runs: int) -> dict[str, Any]:
    """tests/test_server.py `runs` times in a row while another process burns a CPU."""
    stop = multiprocessing.Event()
    burner = multiprocessing.Process(target=_burn, args=(stop,), daemon=True)
    burner.start()
    failures: list[dict[str, Any]] = []
    loads: list[float] = []
    started = time.perf_counter()
    try:
        for run in range(1, runs + 1):
            done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "tests/test_server.py"],
                                  cwd=REPO, capture_output=True, text=True, check=False)
            loads.append(load())
            if done.returncode != 0:
                failures.append({"run": run, "tail": done.stdout.strip().splitlines()[-3:]})
            if run % 10 == 0:
                _log(f"  {run} runs, {len(failures)} failed, load {loads[-1]}")
    finally:
        stop.set()
        burner.join(10)
        if burner.is_alive():
            burner.terminate()
    return {"runs": runs, "failed": len(failures), "failures": failures[:5],
            "seconds": round(time.perf_counter() - started, 1), "load_min": min(loads), "load_max": max(loads)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.hardening", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=100, help="runs of tests/test_server.py under load (0: skip)")
    parser.add_argument("--out", default=str(REPO / "bench" / "results" / "hardening.json"))
    args = parser.parse_args(argv)
    results: dict[str, Any] = {"started_load": load(), "cpus": os.cpu_count()}
    with sandbox() as server:
        calls = Calls(server.url)
        _log("guard ...")
        results["guard"] = guard(server.url)
        _log(f"  {results['guard']}")
        _log("health while verifications and a delay are pending ...")
        results["stall"] = stall(server.url, calls)
        _log(f"  {results['stall']}")
        _log("Shopee latency while 100,000 orders are generated ...")
        results["generation"] = generation(server.url, calls)
        _log(f"  {results['generation']}")
        _log("RSS after 2,000 requests with a 100 kB query ...")
        results["memory"] = memory(server.url, server.pid, calls)
        _log(f"  {results['memory']}")
        _log("RSS after 2,000 requests with a 60 kB query (the largest granian takes) ...")
        results["memory_60kb"] = memory(server.url, server.pid, calls, pad=60_000)
        _log(f"  {results['memory_60kb']}")
    if args.runs:
        _log(f"tests/test_server.py {args.runs} times under load ...")
        results["server_tests"] = server_tests(args.runs)
        _log(f"  {results['server_tests']}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    _log(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
