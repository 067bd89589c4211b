"""Results -> Markdown: the judged table of the issue, then every figure with the load beside it.
docs/performance.md keeps its hand-written text; only what lies between the markers is replaced."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from bench.goals import evaluate, ms, num

START = "<!-- bench:start: written by bench/run, edit outside the markers -->"
END = "<!-- bench:end -->"
MET = {True: "met", False: "**not met**", None: "not judged"}


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |"

    return [line(head), "|" + "|".join("---" for _ in head) + "|", *(line(r) for r in rows)]


def _machine(results: dict[str, Any]) -> list[str]:
    m = results.get("machine", {})
    sandbox = m.get("sandbox", {})
    peers = results.get("peers", {})
    versions = [f"shop-sandbox {sandbox.get('version')} at {sandbox.get('commit')}"
                + (" (mockserver/ modified)" if sandbox.get("mockserver_modified") else "")
                + f", granian {sandbox.get('granian')}, Flask {sandbox.get('flask')}, Python {m.get('python')}"
                + (f" ({m['python_executable']})" if m.get("python_executable") else "")]
    for name, label in (("wiremock", "WireMock"), ("prism", "Prism")):
        tool = peers.get(name, {})
        if tool.get("skipped"):
            versions.append(f"{label} skipped: {tool['skipped']}")
        elif tool:
            runtime = tool.get("java_version") or tool.get("node_version")
            versions.append(f"{label} {tool.get('version')} ({runtime})")
    if results.get("wrk"):
        versions.append(str(results["wrk"]))
    memory = m.get("memory_bytes")
    loads = results.get("loads_seen", [])
    return [f"- **When**: {results.get('started_at')}, {results.get('duration_seconds', 0) / 60:.1f} minutes "
            f"({results.get('mode')} run).",
            f"- **Machine**: {m.get('cpu_count')} x {m.get('cpu_model')}"
            + (f", {memory / 2**30:.0f} GiB" if memory else "") + f", {m.get('platform')}.",
            f"- **Load** (1-minute average; the machine is shared): {m.get('load_at_start')} at the start"
            + (f", {min(loads)} to {max(loads)} during the measurements" if loads else "") + ".",
            f"- **Versions**: {'; '.join(versions)}."]


def _throughput(tp: dict[str, Any], profile: dict[str, Any]) -> list[str]:
    targets = tp.get("targets", {})
    if not targets:
        return []
    lines = ["", f"### Requests per second (wrk -t1 -c16 -d{profile.get('wrk_seconds'):g}s, "
                 f"{profile.get('rounds')} rounds, targets interleaved)", ""]
    rows = [[t["label"], num(t.get("rps")), ms(t.get("p50_ms")), ms(t.get("p99_ms")), num(t.get("bytes")),
             ", ".join(f"{num(r.get('rps'))} @ {r.get('load')}" + (f" ({r['errors']} errors)" if r.get("errors") else "")
                       for r in t["rounds"])]
            for t in targets.values()]
    lines += _table(["target", "req/s (median)", "p50", "p99", "answer bytes", "each round: req/s @ load"], rows)
    ratio_rows = [[name, *(num(v, 2) for v in r["per_round"]), num(r.get("median"), 2)]
                  for name, r in tp.get("ratios", {}).items()]
    if ratio_rows:
        rounds = max(len(r) for r in ratio_rows) - 2
        lines += ["", *_table(["ratio", *(f"round {i + 1}" for i in range(rounds)), "median"], ratio_rows)]
    for name, why in tp.get("skipped", {}).items():
        lines.append(f"\n{name} skipped: {why}")
    return lines


def _scale(sc: dict[str, Any]) -> list[str]:
    rows = sc.get("sizes", [])
    if not rows:
        return []
    first = rows[0].get("detail", {})
    rounds = f"{first['rounds']} rounds, every shop in each" if first.get("rounds") else "one size after another"
    lines = ["", f"### Shop size (one client; p50 of up to {first.get('samples', 0):,} calls of each, {rounds}; "
                 "the largest is the shop grown, the others shops of their own)", ""]
    lines += _table(["orders", "seeding, all so far", "RSS", "peak RSS", "p50 list by update_time",
                     "p50 list by create_time", "p50 detail of 50", "load"],
                    [[f"{r['orders']:,}", f"{num(r.get('seed_seconds'), 1)} s", f"{num((r.get('rss') or 0) / 2**20)} MiB",
                      f"{num((r.get('peak_rss') or 0) / 2**20)} MiB", ms(r["list_update_time"].get("p50_ms")),
                      ms(r["list_create_time"].get("p50_ms")), ms(r["detail"].get("p50_ms")), str(r.get("load"))]
                     for r in rows])
    calls = sc.get("seed_calls", [])
    if calls:
        lines += ["", "Seeding, call by call (" + f"at most {sc.get('chunk', 0):,} orders a call): "
                  + ", ".join(f"{c['count']:,} -> {c['orders_after']:,} in {c['seconds']:.1f} s" for c in calls) + "."]
    return lines


def _startup(st: dict[str, Any]) -> list[str]:
    if not st:
        return []
    lines = ["", "### Startup (spawn to first answer: /_sandbox/health, or the peer's stubbed page; each start "
             "once the CPUs were under 20% busy for 0.25 s, at most 10 s of waiting)", ""]
    lines += _table(["server", "median", "each run: ms @ load (CPUs busy just before)"],
                    [[name, ms(s.get("median_ms")), ", ".join(f"{num(r['ms'])} @ {r.get('load')}" + _busy(r)
                                                              for r in s["runs"])]
                     for name, s in st.items()])
    return lines


def _busy(run: dict[str, Any]) -> str:
    busy = run.get("cpu_busy_before")
    return "" if busy is None else f" ({busy:.0%})"


def _webhooks(wh: dict[str, Any]) -> list[str]:
    if not wh:
        return []
    lines = ["", "### Webhooks (receiver: bench/receiver.py in another process, answering 200: a counter on granian, "
                 "or the plugin's WebhookInbox where said)", ""]
    push, engine = wh.get("shopee_push"), wh.get("engine")
    if push:
        lines.append(f"- Shopee pushes end to end: {push['received']:,} of {push['pushes']:,} received in "
                     f"{push['seconds']:.2f} s = **{num(push['per_second'])} per s** (creating the orders took "
                     f"{push['seed_seconds']:.2f} s of it; load {push.get('load')}).")
    if engine:
        lines.append(f"- Webhook engine alone ({engine['workers']} workers, Shopee's push policy): "
                     f"{engine['deliveries']:,} in {engine['seconds']:.2f} s = **{num(engine['per_second'])} per s** "
                     f"(load {engine.get('load')}).")
    for key, receiver in (("shopline_trigger", "the receiver"), ("shopline_trigger_inbox", "a WebhookInbox")):
        trigger = wh.get(key)
        if trigger:
            lines.append(f"- SHOPLINE trigger (wrk POST, order/create to {receiver}): **{num(trigger.get('rps'))} per s**, "
                         f"p50 {ms(trigger.get('p50_ms'))}, p99 {ms(trigger.get('p99_ms'))}"
                         + (f", {trigger['errors']} errors" if trigger.get("errors") else "")
                         + f"; {trigger.get('delivered', 0):,} delivered, the last {trigger.get('drain_seconds')} s after "
                         f"wrk ended ({num(trigger.get('delivered_per_second'))} per s overall; load {trigger.get('load')}).")
    return lines


def _hotspots(hs: dict[str, Any]) -> list[str]:
    calls = [(name, label) for name, label in (("sandbox_list", "signed list"), ("sandbox_detail", "detail of 50"),
                                               ("oneshop_list", "1shop list")) if hs.get(name)]
    if not calls:
        return []
    layers = list(dict.fromkeys(layer for name, _ in calls for layer in hs[name]["layers_percent"]))
    lines = ["", f"### Where the time goes (py-spy --gil at {hs.get('sample_rate')}/s during wrk: the sandbox "
                 "process's Python CPU; granian's Rust side is not in it)", ""]
    lines += _table(["layer", *(label for _, label in calls)],
                    [[layer, *(f"{hs[name]['layers_percent'].get(layer, 0):.1f}%" for name, _ in calls)]
                     for layer in layers])
    for name, label in calls:
        top = hs[name].get("top_functions_percent", {})
        lines.append(f"\n{label}, sandbox functions on the stack (inclusive): "
                     + ", ".join(f"`{fn}` {share:.1f}%" for fn, share in top.items()) + ".")
    return lines


def render(results: dict[str, Any], plots: dict[str, str] | None = None) -> str:
    """The generated part of docs/performance.md (plots: title -> path relative to the document)."""
    lines = [START, "", f"## Latest {results.get('mode', '')} run", "", *_machine(results), "",
             "### Against the goals of issue 15", ""]
    lines += _table(["what", "sandbox now", "peers, same run", "goal", "met"],
                    [[g["what"], g["sandbox"], g["peers"], g["goal"], MET[g["met"]] + (f" ({g['note']})" if g.get("note") else "")]
                     for g in evaluate(results)])
    lines += _throughput(results.get("throughput", {}), results.get("profile", {}))
    lines += _scale(results.get("scale", {}))
    lines += _startup(results.get("startup", {}))
    lines += _webhooks(results.get("webhooks", {}))
    lines += _hotspots(results.get("hotspots", {}))
    for phase, why in results.get("skipped_phases", {}).items():
        lines.append(f"\n{phase} not measured: {why}")
    if plots:
        lines += ["", "### Plots", ""]
        lines += "\n\n".join(f"![{title}]({path})" for title, path in plots.items()).split("\n")
    lines += ["", END]
    return "\n".join(lines) + "\n"


def write(document: Path, block: str, title: str = "# Performance") -> None:
    """Replace the generated block of `document` (or append it; create the file if needed)."""
    text = document.read_text(encoding="utf-8") if document.exists() else f"{title}\n\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        tail = rest.split(END, 1)[1].lstrip("\n")
        text = head + block + ("\n" + tail if tail else "")
    else:
        text = text.rstrip("\n") + "\n\n" + block
    document.parent.mkdir(parents=True, exist_ok=True)
    document.write_text(text, encoding="utf-8")


def relative(path: Path, document: Path) -> str:
    """A path as a link from the document."""
    return os.path.relpath(path, document.parent)

