"""`shop-sandbox serve` as a person and a CI job see it: a console line per request (text or JSON,
secrets masked), --quiet, the health command, and a SIGTERM under load that lets every request in
flight finish."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from mockserver.cli import main
from mockserver.server import BackgroundServer


def _serve(*args: str, env: dict | None = None) -> tuple[subprocess.Popen, str]:
    """A `serve` process on a free port, once it says where it listens (proc.first_line)."""
    proc = subprocess.Popen([sys.executable, "-m", "mockserver", "serve", "--port", "0", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {}), "PYTHONUNBUFFERED": "1"})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        match = re.search(r"listening on (http://[0-9.:]+)", line)
        if match:
            proc.first_line = line  # type: ignore[attr-defined]
            return proc, match.group(1)
        if not line:
            break
    proc.kill()
    raise AssertionError("serve did not start: " + proc.stderr.read())


def _call(url: str, method: str = "GET", body: dict | None = None) -> tuple[int, bytes]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _stop(proc: subprocess.Popen) -> tuple[int, str]:
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=60)
    return proc.returncode, out


def request_lines(out: str) -> list[str]:
    """The console's request lines for /v1/order (not the banner, which names the URL too)."""
    return [line for line in out.splitlines() if re.search(r" GET +/v1/order", line)]


def _oneshop(base_url: str) -> tuple[str, str]:
    creds = json.loads(_call(base_url + "/_sandbox/credentials")[1])["oneshop"]
    return (f"{base_url}/v1/order?appid={creds['appid']}&secret={creds['secret']}&progress_status=all"
            f"&payment_status=all&logistic_status=all&page=1"), creds["secret"]


def test_every_request_gets_a_text_line_with_its_secret_masked():
    proc, base_url = _serve()
    try:
        url, secret = _oneshop(base_url)
        assert _call(url)[0] == 200
        assert _call(base_url + "/v1/order?appid=nobody&secret=wrong-secret-value")[0] in (200, 401)
    finally:
        code, out = _stop(proc)
    assert code == 0
    lines = request_lines(out)
    assert len(lines) == 2, out
    assert "oneshop" in lines[0] and "-> 200" in lines[0] and "ms" in lines[0]
    logged = "\n".join(lines)  # the banner above them shows the credentials on purpose
    assert secret not in logged and "wrong-secret-value" not in logged
    assert "secret=" + secret[:4] + "***" in lines[0]
    assert "appid=nobody" in lines[1] and re.search(r"-> \d{3} -3 ", lines[1])  # 1shop's code for wrong credentials
    assert "SIGTERM received: stopping" in out and out.rstrip().endswith("stopped")


def test_json_lines_are_what_a_log_collector_reads():
    proc, base_url = _serve("--log-format", "json")
    try:
        url, _ = _oneshop(base_url)
        _call(url)
    finally:
        code, out = _stop(proc)
    assert code == 0
    started = json.loads(proc.first_line)
    assert started["kind"] == "started" and started["credentials"]["oneshop"]["appid"]
    records = [json.loads(line) for line in out.splitlines() if line.strip()]
    kinds = [r["kind"] for r in records]
    assert kinds[-2:] == ["stopping", "stopped"]
    request = next(r for r in records if r["kind"] == "request" and r["path"] == "/v1/order")
    assert request["platform"] == "oneshop" and request["status"] == 200 and request["tenant"].startswith("appid=")


def test_quiet_keeps_request_lines_out(tmp_path):
    proc, base_url = _serve(env={"SHOP_SANDBOX_QUIET": "true"})
    try:
        url, _ = _oneshop(base_url)
        _call(url)
    finally:
        code, out = _stop(proc)
    assert code == 0 and request_lines(out) == [] and "stopped" in out


def test_sigterm_under_load_lets_every_request_in_flight_finish():
    proc, base_url = _serve()
    try:
        url, _ = _oneshop(base_url)
        # Every /v1/order request waits 1.5 s inside the sandbox: ten of them are surely in flight
        # when the signal comes, which the fault rule's match count tells without guessing.
        status, rule = _call(base_url + "/_sandbox/faults", "POST", {"path": "/v1/order", "delay_ms": 1500,
                                                                     "times": None})
        assert status == 201, rule
        rule_id = json.loads(rule)["id"]
        with ThreadPoolExecutor(10) as pool:
            pending = [pool.submit(_call, url) for _ in range(10)]
            while json.loads(_call(f"{base_url}/_sandbox/faults/{rule_id}")[1])["matched"] < 10:
                time.sleep(0.01)
            proc.send_signal(signal.SIGTERM)
            answers = [p.result(timeout=60) for p in pending]
    finally:
        out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, out
    assert [status for status, _ in answers] == [200] * 10
    assert all(json.loads(body)["success"] == 0 for _, body in answers)
    assert "requests were still running" not in out


def test_health_is_0_for_a_healthy_sandbox_and_1_for_none(capsys, monkeypatch):
    from mockserver.app import create_app
    from mockserver.settings import Settings

    with BackgroundServer(create_app(Settings(seed=3))) as server:
        assert main(["health", "--url", server.url]) == 0
        assert "healthy: shop-sandbox" in capsys.readouterr().out
        monkeypatch.setenv("SHOP_SANDBOX_PORT", str(server.port))
        monkeypatch.setenv("SHOP_SANDBOX_HOST", "0.0.0.0")
        assert main(["health"]) == 0  # found from the variables, 0.0.0.0 reached as 127.0.0.1
    assert main(["health", "--url", server.url, "--timeout", "5"]) == 1
    assert "unhealthy: no answer" in capsys.readouterr().err
    assert main(["health", "--url", "not a url"]) == 1


def test_health_of_something_that_is_not_the_sandbox_is_1(capsys):
    def other(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/html"), ("Content-Length", "2")])
        return [b"hi"]

    with BackgroundServer(other) as server:
        assert main(["health", "--url", server.url]) == 1
    assert "not JSON" in capsys.readouterr().err


def test_a_busy_port_is_a_message_and_exit_1_not_a_traceback():
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        done = subprocess.run([sys.executable, "-m", "mockserver", "serve", "--port", str(taken.getsockname()[1])],
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "cannot listen on" in done.stderr and "Traceback" not in done.stderr


def test_lines_from_many_threads_never_interleave():
    import io

    from mockserver.core.console import Console

    out = io.StringIO()
    console = Console(out)

    def write(n: int) -> None:
        for _ in range(200):
            console.notice("x", f"line-{n}-" + "y" * 200)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    lines = out.getvalue().splitlines()
    assert len(lines) == 1600 and all(line.endswith("y" * 200) for line in lines)
