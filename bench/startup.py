"""Startup time: from spawning `shop-sandbox serve` to the first 200 of /_sandbox/health.

    python bench/startup.py [runs]
"""
from __future__ import annotations

import statistics
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from _sandbox_process import SandboxProcess  # noqa: E402


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    times = []
    for _ in range(runs):
        with SandboxProcess() as sandbox:
            times.append(sandbox.startup_seconds)
    print(f"startup to healthy /_sandbox/health over {runs} runs: median {statistics.median(times) * 1000:.0f} ms, "
          f"min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
