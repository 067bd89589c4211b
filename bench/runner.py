"""`bench/run [--quick]`: install what is missing, measure every phase, write the results (JSON),
the Markdown table and the plots. A phase that fails is reported and skipped, never a crash."""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any, Callable

from bench import (compare, goals, hotspots, installs, machine, plots, profiles, report, scale, startup, throughput,
                   webhooks, wrk)
from bench.procs import REPO

PHASES = ("throughput", "startup", "scale", "webhooks", "hotspots")
QUICK_PHASES = PHASES[:-1]  # hotspots: py-spy under wrk, three calls, about a minute


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def _outputs(args: argparse.Namespace) -> tuple[Path, Path, Path]:
    """results.json, the Markdown document and the plot folder of this run."""
    if args.out:
        out = Path(args.out)
        return out / "results.json", out / "performance.md", out / "plots"
    if args.quick:  # bench/results/ is ignored by git: a quick run never replaces the committed figures
        out = REPO / "bench" / "results"
        return out / "quick.json", out / "quick.md", out / "plots"
    return REPO / "bench" / "results.json", REPO / "docs" / "performance.md", REPO / "docs" / "performance"


def _loads(value: Any) -> list[float]:
    """Every load recorded beside a figure, wherever it is in the results."""
    if isinstance(value, dict):
        found = [value["load"]] if isinstance(value.get("load"), (int, float)) else []
        return found + [x for v in value.values() for x in _loads(v)]
    if isinstance(value, list):
        return [x for v in value for x in _loads(v)]
    return []


def _phase(results: dict[str, Any], name: str, work: Callable[[], Any]) -> Any:
    _log(f"{name} ...")
    started = time.perf_counter()
    try:
        found = work()
    except Exception as exc:  # a broken phase is a finding to report, not a reason to lose the others
        traceback.print_exc()
        results.setdefault("skipped_phases", {})[name] = f"failed: {type(exc).__name__}: {exc}"
        return None
    results.setdefault("phase_seconds", {})[name] = round(time.perf_counter() - started, 1)
    return found


def measure(profile: profiles.Profile, phases: tuple[str, ...], install: bool) -> dict[str, Any]:
    """Every phase asked for, into one results dict."""
    started = time.perf_counter()
    results: dict[str, Any] = {"schema": 1, "mode": profile.name, "started_at": machine.now_iso(),
                               "profile": profile.as_dict(), "machine": machine.describe()}
    wrk_missing = installs.ensure_wrk(_log) if install else (None if wrk.available() else "wrk is not installed")
    tools: dict[str, Any] = {}
    for name, ensure in (("wiremock", installs.ensure_wiremock), ("prism", installs.ensure_prism)):
        tools[name] = ensure(_log) if install else {"skipped": "--no-install"}
        if tools[name].get("skipped"):
            _log(f"{name} skipped: {tools[name]['skipped']}")
    results["peers"] = {name: {k: v for k, v in tool.items() if k in ("version", "java_version", "node_version", "skipped")}
                        for name, tool in tools.items()}
    results["wrk"] = wrk.version()
    first_starts: dict[str, float] = {}
    page: tuple[str, bytes] | None = None
    with tempfile.TemporaryDirectory(prefix="shop-sandbox-bench-") as folder:
        if "throughput" in phases:
            if wrk_missing:
                results.setdefault("skipped_phases", {})["throughput"] = wrk_missing
                _log(f"throughput skipped: {wrk_missing}")
            else:
                found = _phase(results, "throughput", lambda: throughput.run(profile, tools, Path(folder), _log))
                if found:
                    page = found.pop("page", None)
                    first_starts = found.pop("starts", {})
                    results["throughput"] = found
        if "startup" in phases:
            found = _phase(results, "startup", lambda: startup.run(profile, tools, page, first_starts, _log))
            if found is not None:
                results["startup"] = found
    if "scale" in phases:
        found = _phase(results, "scale", lambda: scale.run(profile, _log))
        if found is not None:
            results["scale"] = found
    for name, work in (("webhooks", webhooks.run), ("hotspots", hotspots.run)):
        if name in phases:
            found = _phase(results, name, lambda: work(profile, _log))
            if found is not None:
                results[name] = found
    results["loads_seen"] = sorted(set(_loads({k: v for k, v in results.items() if k != "machine"})))
    results["finished_at"] = machine.now_iso()
    results["duration_seconds"] = round(time.perf_counter() - started, 1)
    return results


def publish(results: dict[str, Any], json_path: Path | None, doc: Path, plot_folder: Path, install: bool) -> None:
    """results.json (unless None), the plots (when matplotlib is there) and the document's generated block."""
    if json_path is not None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    made: dict[str, str] = {}
    missing = installs.ensure_matplotlib(_log) if install else None
    if missing:
        _log(f"plots skipped: {missing}")
    else:
        try:
            made = {title: report.relative(path, doc) for title, path in plots.draw(results, plot_folder).items()}
        except ImportError as exc:
            _log(f"plots skipped: {exc}")
    report.write(doc, report.render(results, made))
    _log(f"wrote {', '.join(str(p) for p in (json_path, doc) if p)}"
         + (f" and {len(made)} plots in {plot_folder}" if made else ""))


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line of bench/run."""
    parser = argparse.ArgumentParser(prog="bench/run", description="Benchmarks of shop-sandbox against WireMock "
                                                                     "and Prism (see docs/performance.md).")
    parser.add_argument("--quick", action="store_true",
                        help="short wrk runs, small shops, one round (under two minutes); writes bench/results/")
    parser.add_argument("--only", default=None, help=f"comma-separated phases of {', '.join(PHASES)} (default: all; "
                                                   "a quick run leaves hotspots out)")
    parser.add_argument("--rounds", type=int, default=None, help="rounds of interleaved wrk runs")
    parser.add_argument("--sizes", default=None, help="shop sizes, comma-separated (e.g. 1000,100000)")
    parser.add_argument("--out", default=None, help="write results.json, performance.md and plots/ here instead")
    parser.add_argument("--compare", default=None, help="an earlier results JSON to compare the figures with")
    parser.add_argument("--no-install", action="store_true", help="use only what is installed already")
    parser.add_argument("--report", default=None, metavar="RESULTS.json",
                        help="measure nothing: write the document and plots again from an earlier results JSON")
    return parser.parse_args(argv)


def _compile_bytecode() -> None:
    """Every start measured reads the package's cached bytecode, as a user's second start does (the
    interpreter writes it on the first; pip writes it at install). Without this, a machine that sets
    PYTHONDONTWRITEBYTECODE (this one does) compiles ~100 modules on every start: ~130 ms."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "mockserver")], check=False,
                   stdout=subprocess.DEVNULL)


def main(argv: list[str] | None = None) -> int:
    """bench/run: measure (or --report), publish, print the table and the comparison."""
    args = parse(argv)
    chosen = args.only or ",".join(QUICK_PHASES if args.quick else PHASES)
    phases = tuple(p.strip() for p in chosen.split(",") if p.strip())
    unknown = sorted(set(phases) - set(PHASES))
    if unknown:
        print(f"bench/run: unknown phase {unknown[0]} (phases: {', '.join(PHASES)})")
        return 2
    sizes = tuple(int(s) for s in args.sizes.split(",")) if args.sizes else None
    profile = profiles.choose(args.quick, args.rounds, sizes)
    json_path, doc, plot_folder = _outputs(args)
    if args.report:
        results = json.loads(Path(args.report).read_text(encoding="utf-8"))
        publish(results, None, doc, plot_folder, install=not args.no_install)
        return 0
    earlier = Path(args.compare) if args.compare else None
    if earlier is None and args.quick and json_path.exists():
        earlier = json_path.with_name("quick-previous.json")
        shutil.copyfile(json_path, earlier)
    _log(f"{profile.name} run: {', '.join(phases)}; load {machine.loads()}")
    _compile_bytecode()
    results = measure(profile, phases, install=not args.no_install)
    publish(results, json_path, doc, plot_folder, install=not args.no_install)
    table = report.render(results).split("### Against the goals of issue 15", 1)[-1].split("\n###", 1)[0].strip()
    if goals.evaluate(results):
        print("\n" + table)
    if earlier is not None and earlier.exists():
        print("\n" + compare.table(json.loads(earlier.read_text(encoding="utf-8")), results))
    _log(f"done in {results['duration_seconds'] / 60:.1f} minutes")
    return 0
