"""The issue's table, judged: each row's figure from a run's results, the peers of the same run, the
goal, and whether it is met (None: the run did not measure what the goal is about)."""
from __future__ import annotations

from typing import Any

FLAT = 1.2  # "flat": p50 at the largest size within 1.2x of the smallest (the update_time goal's bound)
GOAL_SIZE = 1_000_000
SEED_SECONDS = 10.0
SEED_RSS = 1.5e9
STARTUP_MS = 300.0
TRIGGERS = 2_000.0
PUSHES = 1_000.0


def num(value: float | None, digits: int = 0) -> str:
    """1,388 / 1.2 / "-" for a missing figure."""
    if value is None:
        return "-"
    return f"{value:,.{digits}f}"


def ms(value: float | None) -> str:
    """1.2 ms / 372 ms / "-"."""
    if value is None:
        return "-"
    return f"{value:,.1f} ms" if value < 100 else f"{value:,.0f} ms"


def size(orders: int) -> str:
    """1k / 100k / 1M."""
    return f"{orders // 1_000_000}M" if orders >= 1_000_000 and not orders % 1_000_000 else \
        f"{orders // 1000}k" if orders >= 1000 and not orders % 1000 else str(orders)


def _at_least(value: float | None, bound: float) -> bool | None:
    return None if value is None else value >= bound


def _row(what: str, sandbox: str, peers: str, goal: str, met: bool | None, note: str = "") -> dict[str, Any]:
    return {"what": what, "sandbox": sandbox, "peers": peers, "goal": goal, "met": met, "note": note}


def _throughput_rows(tp: dict[str, Any]) -> list[dict[str, Any]]:
    targets, ratios = tp.get("targets", {}), tp.get("ratios", {})

    def rps(name: str) -> str:
        t = targets.get(name)
        return "-" if not t else f"{num(t.get('rps'))} req/s (p50 {ms(t.get('p50_ms'))}, p99 {ms(t.get('p99_ms'))})"

    def ratio(name: str) -> float | None:
        return ratios.get(name, {}).get("median")

    peer_parts = [f"{label} {num(targets[n].get('rps'))}" for n, label in
                  (("wiremock", "WireMock static stub"), ("prism", "Prism static"),
                   ("bare_flask", "bare Flask on granian (reference)")) if n in targets]
    peer_parts += [f"{n}: skipped ({why})" for n, why in tp.get("skipped", {}).items()]
    faster = ratio("list_vs_faster_peer")
    return [
        _row("signed `get_order_list`, page of 20", rps("sandbox_list"),
             "; ".join(peer_parts) + (f"; sandbox / faster peer {faster:.2f}x (median of rounds)" if faster else ""),
             "at least the faster of WireMock and Prism serving the same page statically", _at_least(faster, 1.0)),
        _row("`get_order_detail` of 50", rps("sandbox_detail") + f", {num(ratio('detail_vs_list'), 2)}x the list",
             "", "at least 0.8x of get_order_list", _at_least(ratio("detail_vs_list"), 0.8)),
        _row("1shop `GET /v1/order` (50 orders)", rps("oneshop_list") + f", {num(ratio('oneshop_vs_list'), 2)}x the list",
             "", "at least 0.5x of get_order_list", _at_least(ratio("oneshop_vs_list"), 0.5)),
    ]


def _flat(rows: list[dict[str, Any]], key: str) -> tuple[str, bool | None, float | None]:
    points = [(r["orders"], r[key].get("p50_ms")) for r in rows if r.get(key, {}).get("p50_ms") is not None]
    if not points:
        return "-", None, None
    text = ", ".join(f"{ms(p)} at {size(n)}" for n, p in points)
    growth = points[-1][1] / points[0][1] if len(points) > 1 and points[0][1] else None
    return text, None if growth is None else growth <= FLAT, growth


def _scale_rows(sc: dict[str, Any]) -> list[dict[str, Any]]:
    rows = sc.get("sizes", [])
    if not rows:
        return []
    largest = rows[-1]["orders"]
    partial = "" if largest >= GOAL_SIZE else f"largest size measured {size(largest)}, not 1M"
    update, update_met, growth = _flat(rows, "list_update_time")
    create, create_met, _ = _flat(rows, "list_create_time")
    detail, detail_met, _ = _flat(rows, "detail")
    both = None if create_met is None or detail_met is None else create_met and detail_met
    last = rows[-1]
    rss = last.get("rss")
    seed = last.get("seed_seconds")
    empty = sc.get("rss_empty_shop") or 0
    per_order = f", {(rss - empty) / largest / 1000:.1f} kB per order" if rss and largest else ""
    seed_met = None if partial or seed is None or rss is None else seed < SEED_SECONDS and rss < SEED_RSS
    return [
        _row("`get_order_list` by `update_time`, p50", update + (f" ({growth:,.1f}x)" if growth else ""), "",
             f"at 1M within {FLAT}x of its p50 at 1k", update_met, partial),
        _row("`get_order_list` by `create_time` / detail, p50", f"{create} / {detail}", "",
             f"stays flat (largest size within {FLAT}x of the smallest)", both, partial),
        _row(f"seeding {size(largest)} orders into one shop",
             f"{num(seed, 1)} s, {num(rss / 1e9 if rss else None, 2)} GB RSS{per_order}", "",
             "1M: under 10 s and under 1.5 GB", seed_met, partial),
    ]


def _other_rows(results: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    st = results.get("startup", {})
    if st.get("sandbox"):
        peers = "; ".join(f"{label} {ms(st[n].get('median_ms'))}" for n, label in (("wiremock", "WireMock"),
                                                                                   ("prism", "Prism")) if st.get(n))
        median = st["sandbox"].get("median_ms")
        cold = st.get("sandbox_cold", {}).get("median_ms")
        shown = ms(median) + (f" ({ms(cold)} for a first start, Faker's pools not yet cached)" if cold else "")
        found.append(_row("startup to first healthy answer", shown, peers,
                          f"under {STARTUP_MS:.0f} ms with the default world",
                          None if median is None else median < STARTUP_MS))
    wh = results.get("webhooks", {})
    trigger = wh.get("shopline_trigger")
    if trigger:
        # Both rates: a trigger answered but never delivered (a queue outrun, then dropped) is no trigger.
        sustained = None if trigger.get("errors") else min(trigger.get("rps") or 0.0,
                                                           trigger.get("delivered_per_second") or 0.0)
        inbox = wh.get("shopline_trigger_inbox")
        found.append(_row("SHOPLINE trigger", f"{num(trigger.get('rps'))} per s (p50 {ms(trigger.get('p50_ms'))}); "
                          f"delivered {num(trigger.get('delivered_per_second'))} per s"
                          + (f" (to a WebhookInbox: {num(inbox.get('rps'))} answered, "
                             f"{num(inbox.get('delivered_per_second'))} delivered)" if inbox else ""), "",
                          f"{TRIGGERS:,.0f} per s, answered and delivered", _at_least(sustained, TRIGGERS)))
    engine, push = wh.get("engine"), wh.get("shopee_push")
    if engine or push:
        rate = engine.get("per_second") if engine else None
        found.append(_row("Shopee push deliveries",
                          f"{num(rate)} per s (webhook engine); "
                          f"{num(push.get('per_second') if push else None)} per s end to end (orders created to pushes received)",
                          "", f"keep above {PUSHES:,.0f} per s (the engine)", None if rate is None else rate > PUSHES))
    return found


def evaluate(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Every row of the issue's table that the run measured."""
    return (_throughput_rows(results.get("throughput", {})) if results.get("throughput", {}).get("targets") else []) \
        + _scale_rows(results.get("scale", {})) + _other_rows(results)
