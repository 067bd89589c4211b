"""Before/after: the headline figures of two runs side by side (`bench/run --compare OLD.json`; a
quick run compares itself with the previous quick run by itself)."""
from __future__ import annotations

from typing import Any

from bench.goals import size


def figures(results: dict[str, Any]) -> dict[str, tuple[float, bool]]:
    """name -> (value, higher is better) for every headline figure the run has."""
    found: dict[str, tuple[float, bool]] = {}
    for name, target in results.get("throughput", {}).get("targets", {}).items():
        for key, better in (("rps", True), ("p50_ms", False), ("p99_ms", False)):
            if target.get(key) is not None:
                found[f"{name} {key}"] = (target[key], better)
    for name, ratio in results.get("throughput", {}).get("ratios", {}).items():
        if ratio.get("median") is not None:
            found[f"ratio {name}"] = (ratio["median"], True)
    for row in results.get("scale", {}).get("sizes", []):
        at = size(row["orders"])
        for key in ("list_update_time", "list_create_time", "detail"):
            if row.get(key, {}).get("p50_ms") is not None:
                found[f"{at} {key} p50_ms"] = (row[key]["p50_ms"], False)
        if row.get("seed_seconds") is not None:
            found[f"{at} seed_seconds"] = (row["seed_seconds"], False)
        if row.get("rss"):
            found[f"{at} rss_mib"] = (round(row["rss"] / 2**20, 1), False)
    for name, start in results.get("startup", {}).items():
        if start.get("median_ms") is not None:
            found[f"startup {name} ms"] = (start["median_ms"], False)
    webhooks = results.get("webhooks", {})
    for part, key in (("engine", "per_second"), ("shopee_push", "per_second"), ("shopline_trigger", "rps"),
                      ("shopline_trigger", "delivered_per_second")):
        if webhooks.get(part, {}).get(key) is not None:
            found[f"{part} {key}"] = (webhooks[part][key], True)
    return found


def table(before: dict[str, Any], after: dict[str, Any]) -> str:
    """A plain-text table of the figures both runs have: before, after, after/before, better or worse."""
    old, new = figures(before), figures(after)
    names = [n for n in new if n in old]
    if not names:
        return "no figure in common with the earlier run"
    width = max(len(n) for n in names)
    lines = [f"{'figure':<{width}}  {'before':>12}  {'after':>12}  {'after/before':>12}",
             f"(before: {before.get('mode')} run of {before.get('started_at')}, load {before.get('machine', {}).get('load_at_start')};"
             f" after: load {after.get('machine', {}).get('load_at_start')})"]
    for name in names:
        (was, better_high), (now, _) = old[name], new[name]
        change = now / was if was else float("nan")
        verdict = "" if not was or abs(change - 1) < 0.05 else \
            ("better" if (change > 1) == better_high else "worse")
        lines.append(f"{name:<{width}}  {was:>12,.3f}  {now:>12,.3f}  {change:>11.2f}x  {verdict}")
    return "\n".join(lines)
