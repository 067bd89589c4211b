"""Load from wrk (`wrk -t1 -c16 -d<seconds>s --latency`): requests per second, p50 and p99, and
every answer that was not a 2xx/3xx or never came (a figure with errors is not a figure)."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

THREADS = 1
CONNECTIONS = 16
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
_PERCENTILE = re.compile(r"^\s*(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s|m)\s*$", re.M)
_RPS = re.compile(r"^Requests/sec:\s+([\d.]+)", re.M)
_TOTAL = re.compile(r"^\s*(\d+) requests in ([\d.]+)(us|ms|s|m),", re.M)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_SOCKET = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")


def available() -> bool:
    """Whether wrk is on PATH."""
    return shutil.which("wrk") is not None


def version() -> str | None:
    """wrk's own version line (`wrk -v` prints it and exits 1)."""
    if not available():
        return None
    out = subprocess.run(["wrk", "-v"], capture_output=True, text=True)
    first = (out.stdout or out.stderr).strip().splitlines()
    return first[0].split(" [")[0] if first else None


def parse(text: str) -> dict[str, Any]:
    """The figures of one wrk report (its --latency text)."""
    rps = _RPS.search(text)
    if rps is None:
        raise ValueError(f"not a wrk report: {text[:200]!r}")
    found: dict[str, Any] = {"rps": float(rps.group(1))}
    for pct, value, unit in _PERCENTILE.findall(text):
        found[f"p{pct}_ms"] = round(float(value) * _UNITS[unit], 3)
    total = _TOTAL.search(text)
    if total:
        found["requests"] = int(total.group(1))
    errors = 0
    non_2xx = _NON_2XX.search(text)
    if non_2xx:
        errors += int(non_2xx.group(1))
    sockets = _SOCKET.search(text)
    if sockets:
        errors += sum(int(n) for n in sockets.groups())
    found["errors"] = errors
    return found


def post_script(body: Any) -> str:
    """A wrk Lua script that POSTs `body` as JSON (a long bracket: no escaping of the JSON)."""
    text = json.dumps(body, ensure_ascii=False)
    level = "=" * 4
    while f"]{level}]" in text:
        level += "="
    return (f'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
            f"wrk.body = [{level}[{text}]{level}]\n")


def run(url: str, seconds: float, *, body: Any = None, connections: int = CONNECTIONS,
        threads: int = THREADS) -> dict[str, Any]:
    """One wrk run against url (GET, or POST of `body` as JSON); its parsed figures."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency"]
    with tempfile.TemporaryDirectory(prefix="shop-sandbox-bench-") as folder:
        if body is not None:
            script = Path(folder) / "post.lua"
            script.write_text(post_script(body), encoding="utf-8")
            command += ["-s", str(script)]
        out = subprocess.run(command + [url], capture_output=True, text=True, timeout=seconds + 120)
    if out.returncode != 0:
        raise RuntimeError(f"wrk failed ({out.returncode}): {out.stderr.strip()[:300]}")
    return parse(out.stdout)
