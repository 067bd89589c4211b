"""What the bench needs beyond the package: wrk (Debian), the peers (WireMock from the `wiremock` npm
package on the machine's Java, Prism from `@stoplight/prism-cli`) in a cache outside the
repository, and matplotlib in this venv. Whatever cannot be had is skipped with its reason."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable

# Pinned so that two runs compare the sandbox against the same peers.
WIREMOCK_PACKAGE = "wiremock@3.13.2"
PRISM_PACKAGE = "@stoplight/prism-cli@5.14.2"
Log = Callable[[str], None]


def cache_dir() -> Path:
    """~/.cache/shop-sandbox-bench (or $SHOP_SANDBOX_BENCH_CACHE): never inside the repository."""
    override = os.environ.get("SHOP_SANDBOX_BENCH_CACHE")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "shop-sandbox-bench"


def run_command(command: list[str], timeout: float = 900) -> tuple[bool, str]:
    """Run an install step: (succeeded, the end of its output)."""
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, str(exc)
    return out.returncode == 0, (out.stderr or out.stdout).strip()[-400:]


def ensure_wrk(log: Log) -> str | None:
    """None when wrk is on PATH (installed with apt-get if it was not and we are root), else why not."""
    if shutil.which("wrk"):
        return None
    if not shutil.which("apt-get") or os.geteuid() != 0:
        return "wrk is not installed and apt-get cannot run here (install the Debian package wrk)"
    log("installing wrk (apt-get install wrk) ...")
    ok, why = run_command(["apt-get", "install", "-y", "-q", "wrk"])
    if not ok:  # the package lists may be missing or stale: update once, then try again
        run_command(["apt-get", "update", "-q"])
        ok, why = run_command(["apt-get", "install", "-y", "-q", "wrk"])
    return None if ok and shutil.which("wrk") else f"apt-get install wrk failed: {why}"


def _npm_install(package: str, prefix: Path, marker: Path, log: Log) -> str | None:
    if marker.exists():
        return None
    if not shutil.which("npm"):
        return "npm is not installed (Node.js with npm is needed to install the peers)"
    prefix.mkdir(parents=True, exist_ok=True)
    log(f"installing {package} into {prefix} (npm) ...")
    ok, why = run_command(["npm", "install", "--prefix", str(prefix), "--no-audit", "--no-fund", "--no-save", package])
    if not ok or not marker.exists():
        return f"npm install {package} failed: {why}"
    return None


def _package_version(folder: Path) -> str | None:
    try:
        return json.loads((folder / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return None


def _first_line(command: list[str]) -> str | None:
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = (out.stderr or out.stdout).strip()
    return text.splitlines()[0] if out.returncode == 0 and text else None


def ensure_wiremock(log: Log) -> dict[str, Any]:
    """{"jar", "java", "version"} or {"skipped": reason}."""
    java = shutil.which("java")
    java_version = _first_line(["java", "-version"]) if java else None
    if not java_version:
        return {"skipped": "no working Java (`java -version`); WireMock runs on the machine's Java "
                           "(Debian: apt-get install default-jre-headless)"}
    prefix = cache_dir() / "wiremock"
    package = prefix / "node_modules" / "wiremock"
    reason = _npm_install(WIREMOCK_PACKAGE, prefix, package / "package.json", log)
    if reason:
        return {"skipped": reason}
    jars = sorted((package / "build").glob("wiremock-standalone-*.jar"))
    if not jars:
        return {"skipped": f"the wiremock npm package has no standalone jar under {package / 'build'}"}
    return {"jar": str(jars[-1]), "java": java, "java_version": java_version, "version": _package_version(package)}


def ensure_prism(log: Log) -> dict[str, Any]:
    """{"cli", "node", "version"} or {"skipped": reason}."""
    node = shutil.which("node")
    node_version = _first_line(["node", "--version"]) if node else None
    if not node_version:
        return {"skipped": "Node.js is not installed (`node --version`); Prism is a Node program"}
    prefix = cache_dir() / "prism"
    package = prefix / "node_modules" / "@stoplight" / "prism-cli"
    reason = _npm_install(PRISM_PACKAGE, prefix, package / "package.json", log)
    if reason:
        return {"skipped": reason}
    cli = prefix / "node_modules" / ".bin" / "prism"
    if not cli.exists():
        return {"skipped": f"no prism command at {cli}"}
    return {"cli": str(cli), "node": node, "node_version": node_version, "version": _package_version(package)}


def ensure_matplotlib(log: Log) -> str | None:
    """None when matplotlib imports (pip-installed into this interpreter if it did not), else why not."""
    try:
        import matplotlib  # noqa: F401
        return None
    except ImportError:
        pass
    log("installing matplotlib into this environment (pip) ...")
    ok, why = run_command([sys.executable, "-m", "pip", "install", "-q", "matplotlib"])
    if not ok:
        return f"pip install matplotlib failed: {why}"
    import importlib

    importlib.invalidate_caches()
    try:
        import matplotlib  # noqa: F401,F811
    except ImportError as exc:
        return f"matplotlib does not import after pip install: {exc}"
    return None
