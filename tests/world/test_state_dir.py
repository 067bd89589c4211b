"""--state-dir: the world survives a restart (SIGTERM saves after the drain), a bad or foreign
snapshot stops the start with its reason, and a crash mid-write leaves a loadable snapshot."""
from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from mockserver.world import snapshot
from mockserver.world.state_dir import StateDir, StateDirError, write_atomically
from tests.shopee.auth_support import refresh
from tests.support.clients import SandboxClient
from tests.world.snapshot_support import DEAD_URL, first_order, new_sandbox

DEADLINE = 60.0  # seconds: generous, the machine is shared


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(state_dir: Path, port: int, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "SHOP_SANDBOX_CLOCK_START": "1795000000", "SHOP_SANDBOX_CLOCK_FROZEN": "true"}
    return subprocess.Popen([sys.executable, "-m", "mockserver", "serve", "--port", str(port), "--quiet",
                             "--state-dir", str(state_dir), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)


def _wait_healthy(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        try:
            if requests.get(base + "/_sandbox/health", timeout=5).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    raise AssertionError("the sandbox did not start in time")


def _stop(process: subprocess.Popen) -> tuple[str, str]:
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=DEADLINE)
    assert process.returncode == 0, err
    return out.decode(), err.decode()


def test_a_restart_keeps_the_shop_its_tokens_a_moved_order_and_a_pending_delivery(tmp_path):
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    process = _serve(tmp_path, port, "--save-strategy", "on_shutdown")
    try:
        _wait_healthy(base, process)
        client = SandboxClient(base_url=base, session=requests.Session())
        creds = client.creds
        partner = client.admin("POST", "/shopee/partners", {"app_type": "ERP System"}).body
        shop = client.admin("POST", "/shopee/shops", {"authorize_partner_id": partner["partner_id"]}).body
        refreshed = refresh(client, creds, creds["refresh_token"], creds["shop_id"]).body
        assert refreshed.get("access_token"), refreshed
        order_sn = first_order(client, "UNPAID")
        assert client.admin("POST", f"/shopee/orders/{order_sn}/events", {"event": "pay"}).status == 200
        delivery = client.admin("POST", "/deliveries", {"url": DEAD_URL, "body": "x"}).body
        client.admin("POST", "/deliveries/flush", {})
    finally:
        out, err = _stop(process)
    assert "world saved to" in out + err
    assert (tmp_path / "snapshot.json").exists()

    process = _serve(tmp_path, port)
    try:
        _wait_healthy(base, process)
        client = SandboxClient(base_url=base, session=requests.Session())
        assert client.admin("GET", f"/shopee/shops/{shop['shop_id']}").status == 200
        new_creds = dict(creds, access_token=refreshed["access_token"])
        info = client.shopee("GET", "shop/get_shop_info", creds=new_creds)
        assert info.status == 200 and not info.body.get("error"), info.body
        again = refresh(client, creds, refreshed["refresh_token"], creds["shop_id"])
        assert again.status == 200 and again.body.get("access_token"), again.body
        assert client.admin("GET", f"/shopee/orders/{order_sn}").body["status"] == "READY_TO_SHIP"
        view = client.admin("GET", f"/deliveries/{delivery['id']}").body
        assert view["status"] == "pending" and view["attempt_count"] == 1, view
    finally:
        _stop(process)


def test_a_snapshot_of_another_version_stops_the_start_with_its_reason(tmp_path):
    app, _ = new_sandbox()
    document = snapshot.export_snapshot(app.extensions["shop_sandbox"])
    document["version"] = 99
    (tmp_path / "snapshot.json").write_bytes(snapshot.dumps(document))
    process = _serve(tmp_path, _free_port())
    out, err = process.communicate(timeout=DEADLINE)
    assert process.returncode == 1
    assert "snapshot version 99 cannot be loaded: this sandbox reads version 1" in err.decode()


def test_a_bad_snapshot_on_disk_is_refused_before_anything_is_served(tmp_path):
    (tmp_path / "snapshot.json").write_text('{"format": "shop-sandbox-snapshot", "version": 1}')
    with pytest.raises(StateDirError, match="missing fields"):
        new_sandbox(state_dir=str(tmp_path))


def test_manual_saves_and_a_new_app_restores_them(tmp_path):
    app, sandbox = new_sandbox(state_dir=str(tmp_path), save_strategy="manual")
    assert sandbox.admin("POST", "/strict", {"strict": True}).status == 200
    assert not (tmp_path / "snapshot.json").exists()
    saved = sandbox.admin("POST", "/snapshot/save", {})
    assert saved.status == 200 and saved.body["saves"] == 1, saved.body
    other, client = new_sandbox(state_dir=str(tmp_path), save_strategy="manual")
    assert client.admin("GET", "/strict").body == {"strict": True}
    assert new_sandbox()[1].admin("POST", "/snapshot/save", {}).status == 409


def test_the_scheduled_saver_writes_what_changed(tmp_path):
    app, sandbox = new_sandbox(state_dir=str(tmp_path), save_strategy="scheduled", save_interval=0.2)
    directory: StateDir = app.extensions["shop_sandbox_state_dir"]
    assert sandbox.admin("POST", "/strict", {"strict": True}).status == 200
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline and directory.saves == 0:
        time.sleep(0.05)
    assert json.loads((tmp_path / "snapshot.json").read_bytes())["strict"] is True
    directory.close()


def test_a_failed_write_leaves_the_previous_snapshot(tmp_path, monkeypatch):
    target = tmp_path / "snapshot.json"
    write_atomically(target, b'{"old": true}')

    def crash(*args):
        raise OSError("disk on fire")

    for point in ("fsync", "replace"):
        with monkeypatch.context() as patch:
            patch.setattr(os, point, crash)
            with pytest.raises(OSError):
                write_atomically(target, b'{"new": true}')
        assert target.read_bytes() == b'{"old": true}'
        assert [p.name for p in tmp_path.iterdir()] == ["snapshot.json"]  # no temp file left


_WRITER = """
import sys
from pathlib import Path
from mockserver.world.state_dir import write_atomically
target = Path(sys.argv[1])
n = 0
print("ready", flush=True)
while True:
    n += 1
    write_atomically(target, (b'{"n": %d, "pad": "' % n) + b"x" * 2_000_000 + b'"}')
"""


def test_kill_9_while_saving_leaves_a_loadable_snapshot(tmp_path):
    target = tmp_path / "snapshot.json"
    draw = random.Random(16)
    for _ in range(5):
        writer = subprocess.Popen([sys.executable, "-c", _WRITER, str(target)], stdout=subprocess.PIPE)
        assert writer.stdout.readline() == b"ready\n"
        deadline = time.monotonic() + DEADLINE
        while not target.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(draw.uniform(0.0, 0.3))  # a random moment of the write loop
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=DEADLINE)
        assert json.loads(target.read_bytes())["n"] >= 1
    # A start cleans up the temp file a killed save left behind, and loads the whole snapshot.
    app, _ = new_sandbox()
    write_atomically(target, snapshot.dumps(snapshot.export_snapshot(app.extensions["shop_sandbox"])))
    (tmp_path / ".snapshot.json.leftover.tmp").write_bytes(b"half a snap")
    restored, client = new_sandbox(state_dir=str(tmp_path), save_strategy="manual")
    assert client.admin("GET", "/health").status == 200
    assert [p.name for p in tmp_path.iterdir()] == ["snapshot.json"]
