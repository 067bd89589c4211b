"""The wheel ships everything a non-editable install needs: code, templates, contracts and fixtures.

Slow (a wheel build and a fresh venv): marked `slow`, deselect with `-m "not slow"`. It builds from a
copy of the source tree so a stale build/ folder can neither leak into the wheel nor be left behind.
Dependencies come from pip's usual sources (index, find-links, cache); with none reachable the
fresh venv borrows the running environment's site-packages, which still proves the wheel itself.
"""
from __future__ import annotations

import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import urllib.request
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
_IGNORE = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", "*.pyc",
                                 ".pytest_cache", ".hypothesis", "tests", "bench")


def _env() -> dict[str, str]:
    """The subprocess environment: no PYTHONPATH, so only the fresh venv provides mockserver."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _run(args: list, cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=_env(), capture_output=True, text=True,
                          timeout=timeout)


def _local_backend() -> bool:
    """setuptools>=68 here, and bdist_wheel from the wheel package or setuptools>=70.1 itself."""
    from importlib.metadata import PackageNotFoundError, version

    def at_least(name: str, wanted: tuple[int, ...]) -> bool:
        try:
            parts = version(name).split(".")
        except PackageNotFoundError:
            return False
        return tuple(int(p) for p in parts[:len(wanted)] if p.isdigit()) >= wanted

    return at_least("setuptools", (68,)) and (at_least("wheel", (0,)) or at_least("setuptools", (70, 1)))


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("source") / "shop-sandbox"
    shutil.copytree(REPO, source, ignore=_IGNORE)
    out = tmp_path_factory.mktemp("dist")
    build = [sys.executable, "-m", "pip", "wheel", source, "--no-deps", "-w", out]
    result = _run(build, cwd=out)
    if result.returncode != 0 and "satisfies the requirement" in result.stderr + result.stdout:
        # pip found no build backend (offline): use the running environment's, if it is recent enough.
        if not _local_backend():
            pytest.skip("offline and no local setuptools>=68 with wheel support: the wheel cannot be built")
        result = _run(build + ["--no-build-isolation"], cwd=out)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    wheels = list(out.glob("shop_sandbox-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def venv_python(wheel, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("venv")
    result = _run([sys.executable, "-m", "venv", root], cwd=root)
    assert result.returncode == 0, result.stderr
    python = root / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    installed = _run([python, "-m", "pip", "install", "--retries", "1", "--timeout", "20", wheel], cwd=root)
    if installed.returncode != 0:
        # No index, find-links or cache answered: install the wheel alone and borrow the dependencies.
        alone = _run([python, "-m", "pip", "install", "--no-deps", wheel], cwd=root)
        assert alone.returncode == 0, installed.stderr[-3000:] + alone.stderr[-3000:]
        purelib = _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=root)
        borrowed = [p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir()]
        Path(purelib.stdout.strip(), "_shop_sandbox_test_deps.pth").write_text("\n".join(borrowed) + "\n")
    return python


def _wheel_names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_the_wheel_ships_both_contracts_and_every_data_file(wheel):
    names = _wheel_names(wheel)
    assert "mockserver/_data/contracts/shopee/openapi.yaml" in names
    assert "mockserver/_data/contracts/admin/openapi.yaml" in names
    for folder in ("contracts", "fixtures"):
        for path in (REPO / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                assert f"mockserver/_data/{path.relative_to(REPO).as_posix()}" in names, path


def test_the_wheel_ships_every_module_and_template(wheel):
    names = _wheel_names(wheel)
    package = REPO / "mockserver"
    expected = [p for p in package.rglob("*") if p.is_file() and (p.suffix == ".py" or "templates" in p.parts
                                                                   or "static" in p.parts)
                and "__pycache__" not in p.parts]
    assert "mockserver/shopee/templates/auth_page.html" in names
    assert "mockserver/ui/static/console.js" in names and "mockserver/ui/templates/ui/base.html" in names
    for path in expected:
        assert path.relative_to(REPO).as_posix() in names, path


def test_the_wheel_declares_the_shop_sandbox_command(wheel):
    with zipfile.ZipFile(wheel) as archive:
        entry_points = next(n for n in archive.namelist() if n.endswith(".dist-info/entry_points.txt"))
        text = archive.read(entry_points).decode()
    assert re.search(r"^shop-sandbox\s*=\s*mockserver\.cli:main\s*$", text, re.M), text


_IN_VENV = r'''
import hashlib, hmac, json
import mockserver
from mockserver.app import create_app
from mockserver.core.contracts import openapi
from mockserver.resources import data_dir
from mockserver.settings import Settings

contracts = data_dir("contracts")
openapi("shopee/openapi.yaml"), openapi("admin/openapi.yaml")
client = create_app(Settings(seed=7)).test_client()
health = client.get("/_sandbox/health")
doc = client.get("/_sandbox/openapi.json").get_json()
creds = client.get("/_sandbox/credentials").get_json()["shopee"]
now = client.get("/_sandbox/clock").get_json()["now"]
path = "/api/v2/shop/auth_partner"
sign = hmac.new(creds["partner_key"].encode(), f"{creds['partner_id']}{path}{now}".encode(),
                hashlib.sha256).hexdigest()
page = client.get(path, query_string={"partner_id": creds["partner_id"], "timestamp": now, "sign": sign,
                                      "redirect": "https://app.example/cb"})
console = client.get("/_sandbox/ui")
script = client.get("/_sandbox/ui/static/console.js")
print(json.dumps({"package": mockserver.__file__, "contracts": str(contracts), "health": health.status_code,
                  "admin_openapi": doc.get("openapi"), "page": page.status_code, "page_type": page.content_type,
                  "form": "<form" in page.get_data(as_text=True), "console": console.status_code,
                  "script": script.status_code}))
'''


def test_a_non_editable_install_finds_its_data_and_serves(venv_python, tmp_path):
    result = _run([venv_python, "-c", _IN_VENV], cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    venv_root = venv_python.parent.parent
    assert Path(seen["package"]).is_relative_to(venv_root), seen  # the wheel, not the checkout
    assert Path(seen["contracts"]) == Path(seen["package"]).parent / "_data" / "contracts"
    assert seen["health"] == 200
    assert seen["admin_openapi"].startswith("3.1")
    assert seen["page"] == 200 and seen["page_type"].startswith("text/html") and seen["form"], seen
    assert (seen["console"], seen["script"]) == (200, 200), seen  # the web console's templates and assets


def test_the_installed_command_serves_on_a_free_port_and_stops_on_sigterm(venv_python, tmp_path):
    command = venv_python.parent / ("shop-sandbox.exe" if os.name == "nt" else "shop-sandbox")
    process = subprocess.Popen([str(command), "serve", "--port", "0", "--seed", "7"], cwd=tmp_path, env=_env(),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    try:
        first = lines.get(timeout=60)
        match = re.search(r"listening on (http://[\d.]+:(\d+))", first)
        assert match, first
        assert int(match.group(2)) > 0
        with urllib.request.urlopen(match.group(1) + "/_sandbox/health", timeout=10) as response:
            assert json.load(response)["seed"] == 7
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
