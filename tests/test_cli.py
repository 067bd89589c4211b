"""`shop-sandbox serve`: a real process on granian that prints its credentials, is healthy, obeys
SHOP_SANDBOX_* variables (flags win) and exits cleanly on SIGTERM and Ctrl-C."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from mockserver.cli import build_parser
from mockserver.settings import from_env


def _start(*args: str, env: dict | None = None) -> tuple[subprocess.Popen, str, list[str]]:
    proc = subprocess.Popen([sys.executable, "-m", "mockserver", "serve", "--port", "0", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {}), "PYTHONUNBUFFERED": "1"})
    lines = []
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if "refresh_token" in line:
            break
    match = re.search(r"listening on (http://\S+)", "".join(lines))
    assert match, "".join(lines) + proc.stderr.read()
    return proc, match.group(1), lines


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=5) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("application/json")
        return json.loads(response.read())


def _stop(proc: subprocess.Popen, sig: int) -> int:
    proc.send_signal(sig)
    try:
        return proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()


def test_serve_prints_working_credentials_and_stops_on_sigterm():
    proc, base_url, lines = _start("--seed", "11")
    try:
        health = _get(base_url + "/_sandbox/health")
        assert health["status"] == "ok" and health["seed"] == 11
        creds = _get(base_url + "/_sandbox/credentials")["shopee"]
        printed = "".join(lines)
        for key in ("partner_id", "partner_key", "shop_id", "access_token", "refresh_token"):
            assert str(creds[key]) in printed, key
        with urllib.request.urlopen(base_url + "/_sandbox/health") as response:
            assert response.headers["Server"] == "shop-sandbox"  # the sandbox names itself, not granian or Werkzeug
    finally:
        code = _stop(proc, signal.SIGTERM)
    assert code == 0
    assert "stopped" in proc.stdout.read()


def test_serve_stops_cleanly_on_ctrl_c():
    proc, base_url, _ = _start()
    _get(base_url + "/_sandbox/health")
    assert _stop(proc, signal.SIGINT) == 0


def test_environment_sets_the_seed_and_a_flag_wins():
    proc, base_url, _ = _start(env={"SHOP_SANDBOX_SEED": "5"})
    try:
        assert _get(base_url + "/_sandbox/health")["seed"] == 5
    finally:
        _stop(proc, signal.SIGTERM)
    proc, base_url, _ = _start("--seed", "6", env={"SHOP_SANDBOX_SEED": "5"})
    try:
        assert _get(base_url + "/_sandbox/health")["seed"] == 6
    finally:
        _stop(proc, signal.SIGTERM)


def test_settings_from_env_parse_types_and_reject_garbage():
    settings = from_env({"SHOP_SANDBOX_PORT": "9001", "SHOP_SANDBOX_SHOPEE_AUTO_PROGRESS": "true",
                         "SHOP_SANDBOX_CLOCK_START": "1700000000.5"})
    assert settings.port == 9001 and settings.shopee_auto_progress is True
    assert settings.clock_start == 1700000000.5
    assert from_env({"SHOP_SANDBOX_PORT": "9001"}, port=9002).port == 9002
    with pytest.raises(ValueError, match="SHOP_SANDBOX_PORT"):
        from_env({"SHOP_SANDBOX_PORT": "eighty"})


def test_serve_needs_a_subcommand():
    with pytest.raises(SystemExit):
        build_parser().parse_args([])


def _post(url: str, body: dict) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_sigterm_reports_webhooks_that_still_have_retries_left():
    proc, base_url, _ = _start()
    try:
        # Port 1 refuses connections: the first attempt fails and a retry waits on the sandbox clock.
        created = _post(base_url + "/_sandbox/deliveries", {"platform": "custom", "url": "http://127.0.0.1:1/hook",
                                                             "body": {"hello": "world"}})
        _post(base_url + "/_sandbox/deliveries/flush", {})
        delivery = _get(f"{base_url}/_sandbox/deliveries/{created['id']}")
        assert delivery["status"] == "pending" and delivery["attempts"][0]["error"] == "connection refused"
    finally:
        code = _stop(proc, signal.SIGTERM)
    assert code == 0
    out = proc.stdout.read()
    assert "1 webhook deliveries unfinished at stop (1 pending)" in out
    assert f"{created['id']} (pending, custom - -> http://127.0.0.1:1/hook)" in out


def test_serve_flags_reach_the_settings_and_win_over_the_environment(monkeypatch):
    from mockserver.cli import build_parser, serve_settings

    monkeypatch.setenv("SHOP_SANDBOX_WEBHOOK_WORKERS", "3")
    assert serve_settings(build_parser().parse_args(["serve"])).webhook_workers == 3
    args = build_parser().parse_args(["serve", "--webhook-workers", "2", "--threads", "5"])
    settings = serve_settings(args)
    assert (settings.webhook_workers, settings.threads) == (2, 5)


def test_webhook_workers_must_be_positive(capsys):
    from mockserver.cli import build_parser

    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(["serve", "--webhook-workers", "0"])
    assert exit_.value.code == 2 and "0 is not a positive integer" in capsys.readouterr().err


_SIGNAL_WHILE_STARTING = """
import os, signal, sys
import mockserver.app
from mockserver.serve import run
from mockserver.settings import Settings

real_create_app = mockserver.app.create_app

def create_app(settings):
    os.kill(os.getpid(), signal.SIGTERM)  # `docker stop` while the world is being built
    return real_create_app(settings)

mockserver.app.create_app = create_app
sys.exit(run(Settings(port=0, console=True)))
"""


def test_a_sigterm_while_the_world_is_built_stops_the_sandbox_once_it_is_up():
    # As PID 1 of a container a signal with no handler is dropped: the handler must be there first.
    proc = subprocess.run([sys.executable, "-c", _SIGNAL_WHILE_STARTING], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "SIGTERM received: stopping" in proc.stdout and "stopped" in proc.stdout
