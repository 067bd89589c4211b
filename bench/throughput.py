"""Requests per second and p50/p99 under wrk: the signed get_order_list page (20 orders) against the
peers serving the same page statically, get_order_detail of 50 and 1shop's GET /v1/order (50
orders). Targets run interleaved in rounds, so drift of a shared machine hits all alike; ratios
are taken within a round, then their median across rounds."""
from __future__ import annotations

import json
import statistics
import urllib.parse
from pathlib import Path
from typing import Any, Callable

from bench import peers, wrk
from bench.calls import Calls
from bench.machine import load
from bench.procs import Service, http_bytes, sandbox

# (ratio name, numerator target, denominator: a target or the faster of several)
RATIOS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("list_vs_wiremock", "sandbox_list", ("wiremock",)),
    ("list_vs_prism", "sandbox_list", ("prism",)),
    ("list_vs_faster_peer", "sandbox_list", ("wiremock", "prism")),
    ("list_vs_bare_flask", "sandbox_list", ("bare_flask",)),
    ("detail_vs_list", "sandbox_detail", ("sandbox_list",)),
    ("oneshop_vs_list", "oneshop_list", ("sandbox_list",)),
)
LABELS = {"sandbox_list": "sandbox: signed get_order_list, page of 20",
          "sandbox_detail": "sandbox: get_order_detail of 50", "oneshop_list": "sandbox: 1shop GET /v1/order (50 orders)",
          **peers.LABELS}
PEER_ORDER = ("wiremock", "prism", "bare_flask")


def ratios(targets: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each ratio of RATIOS per round (rounds where every side has a clean figure) and its median."""
    found: dict[str, dict[str, Any]] = {}
    for name, top, bottoms in RATIOS:
        if top not in targets or not any(b in targets for b in bottoms):
            continue
        per_round: list[float | None] = []
        for index, row in enumerate(targets[top]["rounds"]):
            below = [targets[b]["rounds"][index] for b in bottoms
                     if b in targets and index < len(targets[b]["rounds"])]
            figures = [r for r in [row, *below] if not r.get("errors") and r.get("rps")]
            if len(figures) != 1 + len(below) or not below:
                per_round.append(None)
                continue
            per_round.append(round(row["rps"] / max(r["rps"] for r in below), 3))
        clean = [r for r in per_round if r is not None]
        found[name] = {"per_round": per_round, "median": round(statistics.median(clean), 3) if clean else None}
    return found


def summary(rounds: list[dict[str, Any]], key: str) -> float | None:
    """The median of one figure over the clean rounds."""
    values = [r[key] for r in rounds if not r.get("errors") and r.get(key) is not None]
    return round(statistics.median(values), 3) if values else None


def _start_peer(name: str, tools: dict[str, Any], folder: Path, path: str, page: bytes) -> Service:
    if name == "bare_flask":
        return peers.bare_flask(folder / name, path, page).start()
    maker: Callable[..., Service] = getattr(peers, name)
    return maker(tools[name], folder / name, path, page).start()


def run(profile: Any, tools: dict[str, Any], folder: Path, log: Callable[[str], None]) -> dict[str, Any]:
    """The throughput phase; also hands back how long each server took to start (`starts`)."""
    result: dict[str, Any] = {"targets": {}, "skipped": {}, "starts": {}}
    services: list[Service] = []
    try:
        server = sandbox()
        services.append(server.start())
        result["starts"]["sandbox"] = server.startup_seconds
        calls = Calls(server.url)
        list_url = calls.order_list()
        status, page = http_bytes(list_url)
        if status != 200 or json.loads(page).get("error"):
            raise RuntimeError(f"the sandbox answered {status} to the signed list: {page[:300]!r}")
        path_and_query = list_url[len(server.url):]
        path = urllib.parse.urlsplit(list_url).path
        urls = {"sandbox_list": list_url}
        result["page"] = (path, page)  # for the startup phase's peers; not kept in the results
        for name in PEER_ORDER:
            reason = tools.get(name, {}).get("skipped") if name != "bare_flask" else None
            if reason:
                result["skipped"][name] = reason
                continue
            log(f"  starting {peers.LABELS[name]} ...")
            try:
                peer = _start_peer(name, tools, folder, path, page)
            except (RuntimeError, OSError) as exc:
                result["skipped"][name] = f"did not start: {exc}"
                continue
            services.append(peer)
            result["starts"][name] = peer.startup_seconds
            url = peer.url + path_and_query
            status, body = http_bytes(url)
            if status != 200 or json.loads(body) != json.loads(page):
                result["skipped"][name] = f"answered {status} and not the recorded page"
                continue
            urls[name] = url
        urls["sandbox_detail"] = calls.order_detail(calls.shop_order_sns())
        urls["oneshop_list"] = calls.oneshop_list()
        order = ["sandbox_list", *[n for n in PEER_ORDER if n in urls], "sandbox_detail", "oneshop_list"]
        for name in order:
            status, body = http_bytes(urls[name])
            if status != 200:
                raise RuntimeError(f"{name} answered {status}: {body[:300]!r}")
            result["targets"][name] = {"label": LABELS[name], "bytes": len(body), "rounds": []}
            warmup = profile.peer_warmup_seconds if name in PEER_ORDER else profile.warmup_seconds
            wrk.run(urls[name], warmup)  # warm-up: JIT, caches, connection pools
        for index in range(profile.rounds):
            for name in order:
                before = load()
                figures = wrk.run(urls[name], profile.wrk_seconds)
                figures.update(round=index + 1, load=before)
                result["targets"][name]["rounds"].append(figures)
                log(f"  round {index + 1}/{profile.rounds} {name}: {figures['rps']:,.0f} req/s, "
                    f"p50 {figures.get('p50_ms')} ms, p99 {figures.get('p99_ms')} ms, load {before}"
                    + (f", {figures['errors']} ERRORS" if figures["errors"] else ""))
    finally:
        for service in reversed(services):
            service.stop()
    for target in result["targets"].values():
        target.update(rps=summary(target["rounds"], "rps"), p50_ms=summary(target["rounds"], "p50_ms"),
                      p99_ms=summary(target["rounds"], "p99_ms"))
    result["ratios"] = ratios(result["targets"])
    return result
