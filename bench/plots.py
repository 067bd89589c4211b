"""PNG plots of a run (matplotlib, Agg backend): throughput against the peers, p50 against shop
size, seeding time and RSS against size, startup, webhook deliveries per second."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.goals import PUSHES, STARTUP_MS, TRIGGERS, size

SHORT = {"sandbox_list": "sandbox\nlist", "wiremock": "WireMock\nstatic", "prism": "Prism\nstatic",
         "bare_flask": "bare Flask\ngranian", "sandbox_detail": "sandbox\ndetail of 50",
         "oneshop_list": "sandbox\n1shop list"}


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(plt: Any, fig: Any, path: Path) -> bool:
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def _by_size(axis: Any, orders: list[int], ylabel: str, title: str) -> None:
    """An axis over shop sizes (log scale, ticks named 1k, 100k, 1M)."""
    axis.set_xscale("log")
    axis.set_xticks(orders, [size(n) for n in orders])
    axis.set_xlabel("orders in the shop")
    axis.set_ylabel(ylabel)
    axis.set_title(title)
    axis.legend()
    axis.grid(True, which="both", alpha=0.3)


def _throughput(plt: Any, tp: dict[str, Any], path: Path) -> bool:
    targets = tp.get("targets", {})
    if not targets:
        return False
    names = list(targets)
    labels = [SHORT.get(n, n) for n in names]
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
    medians = [targets[n].get("rps") or 0 for n in names]
    low = [m - min((r["rps"] for r in targets[n]["rounds"]), default=m) for n, m in zip(names, medians)]
    high = [max((r["rps"] for r in targets[n]["rounds"]), default=m) - m for n, m in zip(names, medians)]
    colours = ["tab:blue" if n.startswith(("sandbox", "oneshop")) else "tab:grey" for n in names]
    left.bar(labels, medians, yerr=[low, high], color=colours, capsize=4)
    left.set_ylabel("requests per second (median of rounds; bars: min-max)")
    left.set_title("throughput, wrk -t1 -c16")
    left.tick_params(axis="x", labelsize=8)
    x = range(len(names))
    right.bar([i - 0.2 for i in x], [targets[n].get("p50_ms") or 0 for n in names], 0.4, label="p50")
    right.bar([i + 0.2 for i in x], [targets[n].get("p99_ms") or 0 for n in names], 0.4, label="p99")
    right.set_xticks(list(x), labels, fontsize=8)
    right.set_yscale("log")
    right.set_ylabel("latency under load, ms (log)")
    right.set_title("p50 / p99 under the same load")
    right.legend()
    return _save(plt, fig, path)


def _scale_latency(plt: Any, sc: dict[str, Any], path: Path) -> bool:
    rows = sc.get("sizes", [])
    if not rows:
        return False
    fig, axis = plt.subplots(figsize=(7, 4.5))
    orders = [r["orders"] for r in rows]
    for key, label in (("list_update_time", "get_order_list by update_time"),
                       ("list_create_time", "get_order_list by create_time"), ("detail", "get_order_detail of 50")):
        axis.plot(orders, [r[key].get("p50_ms") for r in rows], marker="o", label=label)
    axis.set_yscale("log")
    _by_size(axis, orders, "p50, ms (one client)", "latency against shop size")
    return _save(plt, fig, path)


def _scale_memory(plt: Any, sc: dict[str, Any], path: Path) -> bool:
    rows = sc.get("sizes", [])
    if not rows:
        return False
    orders = [r["orders"] for r in rows]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    left.plot(orders, [r.get("seed_seconds") for r in rows], marker="o")
    left.axhline(10, color="tab:green", linestyle="--", label="goal at 1M: 10 s")
    right.plot(orders, [(r.get("rss") or 0) / 2**20 for r in rows], marker="o", label="RSS")
    right.plot(orders, [(r.get("peak_rss") or 0) / 2**20 for r in rows], marker=".", linestyle=":", label="peak RSS")
    right.axhline(1.5e9 / 2**20, color="tab:green", linestyle="--", label="goal at 1M: 1.5 GB")
    _by_size(left, orders, "seconds seeding, in all", "seed time against size")
    _by_size(right, orders, "MiB", "sandbox RSS against size")
    return _save(plt, fig, path)


def _startup(plt: Any, st: dict[str, Any], path: Path) -> bool:
    if not st:
        return False
    names = list(st)
    fig, axis = plt.subplots(figsize=(6, 4))
    axis.bar(names, [st[n].get("median_ms") or 0 for n in names], color="tab:blue")
    for i, name in enumerate(names):
        runs = [r["ms"] for r in st[name]["runs"]]
        axis.scatter([i] * len(runs), runs, color="black", s=10, zorder=3)
    axis.axhline(STARTUP_MS, color="tab:green", linestyle="--", label=f"goal: {STARTUP_MS:.0f} ms")
    axis.set_ylabel("ms to the first answer (bars: median; dots: runs)")
    axis.set_title("startup")
    axis.legend()
    return _save(plt, fig, path)


def _webhooks(plt: Any, wh: dict[str, Any], path: Path) -> bool:
    bars: list[tuple[str, float, float]] = []
    if wh.get("engine"):
        bars.append(("Shopee pushes,\nwebhook engine", wh["engine"]["per_second"], PUSHES))
    if wh.get("shopee_push"):
        bars.append(("Shopee pushes,\nend to end", wh["shopee_push"]["per_second"], PUSHES))
    if wh.get("shopline_trigger"):
        trigger = wh["shopline_trigger"]
        bars.append(("SHOPLINE triggers\nanswered", trigger.get("rps") or 0, TRIGGERS))
        bars.append(("SHOPLINE triggers\ndelivered", trigger.get("delivered_per_second") or 0, TRIGGERS))
    if not bars:
        return False
    fig, axis = plt.subplots(figsize=(8, 4.2))
    axis.bar([b[0] for b in bars], [b[1] for b in bars], color="tab:blue")
    axis.scatter([b[0] for b in bars], [b[2] for b in bars], marker="_", s=900, color="tab:green", zorder=3,
                 label="goal")
    axis.set_ylabel("per second")
    axis.set_title("webhook deliveries per second")
    axis.tick_params(axis="x", labelsize=8)
    axis.legend(loc="upper right")
    axis.set_ylim(0, max(max(b[1] for b in bars), max(b[2] for b in bars)) * 1.15)
    return _save(plt, fig, path)


def draw(results: dict[str, Any], folder: Path) -> dict[str, Path]:
    """Every plot the results allow, as title -> PNG path."""
    plt = _pyplot()
    folder.mkdir(parents=True, exist_ok=True)
    made: dict[str, Path] = {}
    for title, name, drawer, part in (
            ("requests per second and p50/p99 against the peers", "throughput.png", _throughput, "throughput"),
            ("p50 against shop size", "scale_latency.png", _scale_latency, "scale"),
            ("seed time and RSS against size", "scale_memory.png", _scale_memory, "scale"),
            ("startup", "startup.png", _startup, "startup"),
            ("webhook deliveries per second", "webhooks.png", _webhooks, "webhooks")):
        path = folder / name
        if drawer(plt, results.get(part, {}), path):
            made[title] = path
    return made
