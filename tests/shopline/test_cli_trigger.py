"""`shop-sandbox trigger shopline <topic>` end to end: a real `shop-sandbox serve` process, the CLI in
another process, a WebhookInbox receiving; the CLI prints the delivery id and the receiver's answer
and exits 0 only when it got a 2xx."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from mockserver.shopline import topics
from mockserver.testing import Reply


def _http(method: str, url: str, body=None, headers=None) -> dict:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json", **(headers or {})})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def server():
    proc = subprocess.Popen([sys.executable, "-m", "mockserver", "serve", "--port", "0", "--seed", "3"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        base = None
        deadline = time.monotonic() + 20
        while base is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            match = re.search(r"listening on (http://\S+)", line)
            base = match.group(1) if match else None
        assert base, proc.stderr.read()
        while _http("GET", base + "/_sandbox/health")["status"] != "ok":
            time.sleep(0.05)
        yield base
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        finally:
            if proc.poll() is None:
                proc.kill()


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mockserver", "trigger", "shopline", *args],
                          check=False, capture_output=True, text=True, timeout=60)


def _signed_ok(secret: str, received) -> dict:
    timestamp = received.header("X-Shopline-Developer-Event-Timestamp")
    canonical = json.dumps(json.loads(received.body), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    expected = hmac.new(secret.encode(), f"{timestamp}:{canonical}".encode(), hashlib.sha256).hexdigest()
    assert received.query["sign"] == [expected]
    return json.loads(received.body)


def test_trigger_to_a_url_prints_the_delivery_and_the_answer(server, inbox):
    secret = _http("GET", server + "/_sandbox/credentials")["shopline"]["openapi"]["app_secret"]
    done = _cli("order/create", "--to", inbox.url_for("/cli"), "--url", server,
                "--overrides", json.dumps({"status": "confirmed"}))
    assert done.returncode == 0, done.stderr
    delivery_id = re.search(r"\b(dlv_[0-9a-f]{24})\b", done.stdout).group(1)
    assert "HTTP 200" in done.stdout and inbox.url_for("/cli") in done.stdout
    received, = inbox.received
    payload = _signed_ok(secret, received)
    assert payload["topic"] == "order/create" and payload["resource"]["status"] == "confirmed"
    assert _http("GET", f"{server}/_sandbox/deliveries/{delivery_id}")["status"] == "succeeded"


def test_trigger_to_a_failing_receiver_exits_non_zero(server, inbox):
    inbox.respond(500)
    done = _cli("orders/updated", "--flavour", "global", "--to", inbox.url, "--url", server)
    assert done.returncode == 1
    assert "HTTP 500" in done.stdout and "next attempt at" in done.stdout
    assert inbox.received[0].header("X-Shopline-Topic") == "orders/updated"


def test_trigger_without_to_goes_to_the_subscriptions(server, inbox):
    creds = _http("GET", server + "/_sandbox/credentials")["shopline"]["openapi"]
    inbox.respond(Reply(body=base64.b64encode(creds["app_id"].encode()).decode()), path="/sub")
    _http("POST", server + "/v1/webhooks", {"address": inbox.url_for("/sub"), "topics": ["user/create"]},
          {"Authorization": f"Bearer {creds['access_token']}"})
    done = _cli("user/create", "--generate", "--seed", "4", "--url", server)
    assert done.returncode == 0, done.stdout + done.stderr
    verification, event = inbox.requests("/sub")
    assert verification.json() == {"topic": "webhook/verification"}
    assert _signed_ok(creds["app_secret"], event)["topic"] == "user/create"
    nobody = _cli("order/remove", "--url", server)
    assert nobody.returncode == 1 and "nothing sent" in nobody.stderr


def test_trigger_reports_refusals_and_an_unreachable_sandbox(server):
    bad = _cli("order/nope", "--to", "http://127.0.0.1:9/", "--url", server)
    assert bad.returncode == 2 and "is not a SHOPLINE openapi topic" in bad.stderr
    gone = _cli("order/create", "--url", "http://127.0.0.1:9")
    assert gone.returncode == 2 and "cannot reach the sandbox" in gone.stderr


def test_verbatim_sends_the_documented_example_byte_for_byte(server, inbox):
    done = _cli("order/cancel", "--to", inbox.url_for("/v"), "--url", server, "--verbatim")
    assert done.returncode == 0, done.stdout + done.stderr
    received, = inbox.received
    assert json.loads(received.body) == topics.fixture("order/cancel")  # its own trace_id, ts and merchant


def test_trigger_sends_the_admin_token_of_a_shared_sandbox(inbox, monkeypatch, capsys):
    from mockserver.app import create_app
    from mockserver.cli import main
    from mockserver.server import BackgroundServer
    from tests.conftest import make_settings

    with BackgroundServer(create_app(make_settings(admin_token="shared-tok-42"))) as shared:
        monkeypatch.delenv("SHOP_SANDBOX_ADMIN_TOKEN", raising=False)
        assert main(["trigger", "shopline", "order/create", "--to", inbox.url, "--url", shared.url]) == 2
        assert "HTTP 401: this sandbox needs its admin token" in capsys.readouterr().err
        assert inbox.received == []
        monkeypatch.setenv("SHOP_SANDBOX_ADMIN_TOKEN", "shared-tok-42")
        assert main(["trigger", "shopline", "order/create", "--to", inbox.url, "--url", shared.url]) == 0
        assert "HTTP 200" in capsys.readouterr().out
        assert len(inbox.received) == 1
