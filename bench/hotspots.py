"""Where the time goes: py-spy samples the sandbox process (only threads holding the GIL, so the
Python CPU, not threads waiting) while wrk loads one call; each sample is put in the layer of its
innermost frame that names one (standard library frames count for their caller)."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Iterable

from bench.calls import Calls
from bench.installs import run_command
from bench.procs import sandbox

SAMPLE_RATE = 250  # per second
_FILE = re.compile(r"\(([^:()]+):\d+\)$")
REQUEST_LOG = ("mockserver/core/request_log.py", "mockserver/core/console.py", "mockserver/core/journal.py",
               "mockserver/core/secrets.py", "mockserver/core/exchange.py", "mockserver/core/warnings.py",
               "mockserver/admin/faults.py", "mockserver/core/faults.py")
WRAPPERS = ("_callback.<locals>.run", "RequestLog.__call__")  # on every stack: not worth listing
LAYERS = ("JSON encoding", "Flask and Werkzeug", "request log, console, journal, fault hooks",
          "server glue (mockserver/server.py)", "platform code (mockserver/)", "other")


def _layer(path: str) -> str | None:
    if path.startswith("json/"):
        return LAYERS[0]
    if path.startswith(("flask/", "werkzeug/", "blinker/")):
        return LAYERS[1]
    if path in REQUEST_LOG:
        return LAYERS[2]
    if path == "mockserver/server.py":
        return LAYERS[3]
    if path.startswith("mockserver/"):
        return LAYERS[4]
    return None


def summarise(lines: Iterable[str], top: int = 8) -> dict[str, Any]:
    """py-spy's raw output (`frame;frame;... count` a line, outermost first) -> the share of each
    layer and the sandbox functions most often on the stack (inclusive)."""
    layers: Counter[str] = Counter()
    functions: Counter[str] = Counter()
    total = 0
    for line in lines:
        stack, _, count = line.rstrip().rpartition(" ")
        if not stack or not count.isdigit():
            continue
        samples = int(count)
        frames = [f for f in stack.split(";") if not f.startswith(("thread ", "process "))]
        total += samples
        paths = [(m.group(1) if (m := _FILE.search(f)) else "", f.split(" (")[0]) for f in frames]
        layer = next((found for path, _ in reversed(paths) if (found := _layer(path))), LAYERS[5])
        layers[layer] += samples
        for name in {f"{fn} ({path})" for path, fn in paths if path.startswith("mockserver/") and fn not in WRAPPERS}:
            functions[name] += samples
    share = {name: round(layers[name] / total * 100, 1) for name in LAYERS if layers[name]} if total else {}
    return {"samples": total, "layers_percent": share,
            "top_functions_percent": {n: round(c / total * 100, 1) for n, c in functions.most_common(top)}}


def _ensure_pyspy(log: Callable[[str], None]) -> str | None:
    if shutil.which("py-spy") or (Path(sys.executable).parent / "py-spy").exists():
        return None
    log("installing py-spy into this environment (pip) ...")
    ok, why = run_command([sys.executable, "-m", "pip", "install", "-q", "py-spy"])
    return None if ok else f"pip install py-spy failed: {why}"


def _record(pid: int, url: str, seconds: float, folder: Path) -> list[str]:
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    out = folder / "samples.txt"
    load = subprocess.Popen(["wrk", "-t1", "-c16", f"-d{round(seconds) + 3}s", url], stdout=subprocess.DEVNULL)
    try:
        time.sleep(1)
        done = subprocess.run([spy, "record", "-p", str(pid), "-d", str(round(seconds)), "-r", str(SAMPLE_RATE),
                               "--format", "raw", "--gil", "--nonblocking", "-o", str(out)],
                              capture_output=True, text=True, timeout=seconds + 60)
    finally:
        load.wait(timeout=seconds + 60)
    if done.returncode != 0 or not out.exists():
        raise RuntimeError(f"py-spy failed ({done.returncode}): {done.stderr.strip()[-300:]}")
    return out.read_text().splitlines()


def run(profile: Any, log: Callable[[str], None]) -> dict[str, Any]:
    """The hotspots phase: the signed list, the detail of 50 and 1shop's list, one after another."""
    missing = _ensure_pyspy(log)
    if missing:
        raise RuntimeError(missing)
    found: dict[str, Any] = {"sample_rate": SAMPLE_RATE, "seconds": profile.wrk_seconds}
    with sandbox() as server, tempfile.TemporaryDirectory(prefix="shop-sandbox-bench-") as folder:
        calls = Calls(server.url)
        urls = {"sandbox_list": calls.order_list(), "sandbox_detail": calls.order_detail(calls.shop_order_sns()),
                "oneshop_list": calls.oneshop_list()}
        for name, url in urls.items():
            found[name] = summarise(_record(server.pid, url, profile.wrk_seconds, Path(folder)))
            log(f"  {name}: {found[name]['layers_percent']}")
    return found
