"""The machine a run measured on: CPUs, memory, load (recorded beside every figure: the machine is
shared), and the versions of the sandbox and its peers."""
from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from bench.procs import REPO


def load() -> float:
    """The 1-minute load average now."""
    return round(os.getloadavg()[0], 2)


def _cpu_times() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs since boot, from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields) - idle, sum(fields)


def settle(busy_below: float = 0.2, window: float = 0.25, at_most: float = 10.0) -> float | None:
    """Wait until the machine's CPUs were less than `busy_below` busy over one `window` (what an
    earlier phase or server left running has calmed down), `at_most` seconds; the last window's
    busy fraction (None where /proc/stat cannot be read)."""
    deadline = time.monotonic() + at_most
    busy = None
    try:
        while True:
            start = _cpu_times()
            time.sleep(window)
            end = _cpu_times()
            busy = round((end[0] - start[0]) / max(1, end[1] - start[1]), 3)
            if busy < busy_below or time.monotonic() >= deadline:
                return busy
    except (OSError, ValueError, IndexError):
        return busy


def loads() -> list[float]:
    """The 1-, 5- and 15-minute load averages now."""
    return [round(value, 2) for value in os.getloadavg()]


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_bytes() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _git(*args: str) -> str | None:
    try:
        out = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def now_iso() -> str:
    """UTC now, to the second (ISO 8601)."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def describe() -> dict[str, Any]:
    """Everything about this machine and checkout a reader needs to weigh the figures."""
    from mockserver import __version__

    dirty = _git("status", "--porcelain", "--untracked-files=no", "--", "mockserver")
    return {
        "cpu_count": os.cpu_count(), "cpu_model": _cpu_model(), "memory_bytes": _memory_bytes(),
        "platform": platform.platform(), "python": platform.python_version(),
        # Which build: one without profile-guided optimisation (a pyenv build) runs the same
        # sandbox ~11% slower than Debian's (docs/performance.md, "A seventh pass").
        "python_executable": os.path.realpath(sys.executable),
        "load_at_start": loads(),
        "sandbox": {"version": __version__, "commit": _git("rev-parse", "--short", "HEAD"),
                    "mockserver_modified": bool(dirty), "granian": _version("granian"), "flask": _version("flask")},
    }
