"""The Open API endpoint verification (reference A): before a subscription is created (or its address
changed) SHOPLINE POSTs {"topic":"webhook/verification"}; the receiver must answer base64(app_id) for an
app token, base64(merchant_id) for a merchant token. A failed handshake creates nothing (422)."""
from __future__ import annotations

import hashlib
import hmac
import json
import re
import socket
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from mockserver.testing import Reply
from tests.shopline.emission_support import b64, creds, openapi, subscribe, verifying

FAILED = 'Unable to process the changes ["address" failed the endpoint verification: '


def _sign(secret: str, timestamp: str, body: bytes) -> str:
    """Reference A's rule, written here: hex HMAC-SHA256 of "<ts>:<JSON sorted, compact, non-ASCII kept>"."""
    canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hmac.new(secret.encode(), f"{timestamp}:{canonical}".encode(), hashlib.sha256).hexdigest()


def _nothing_created(sandbox) -> bool:
    return sandbox.admin("GET", "/shopline/subscriptions").body["openapi"] == []


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_app_token_handshake_expects_base64_of_the_app_id_and_is_signed(sandbox, inbox):
    c = creds(sandbox)["openapi"]
    created = subscribe(sandbox, inbox, ["order/create"])
    request, = inbox.received
    assert request.method == "POST" and request.path == "/hook"
    assert request.body == b'{"topic":"webhook/verification"}' and request.header("Content-Type") == "application/json"
    timestamp = request.header("X-Shopline-Developer-Event-Timestamp")
    assert timestamp == str(sandbox.now())
    assert request.query["sign"] == [_sign(c["app_secret"], timestamp, request.body)]
    assert created["status"] == "active"


def test_a_merchant_token_handshake_expects_base64_of_the_merchant_id(sandbox, inbox):
    c = creds(sandbox)["openapi"]
    wrong = openapi(sandbox, "POST", body={"address": verifying(inbox, "/m", b64(c["app_id"])), "topics": ["order/create"]},
                    token=c["merchant_token"])
    assert wrong.status == 422 and wrong.body["message"].startswith(FAILED)
    assert "did not answer the verification with the base64 of the merchant id" in wrong.body["message"]
    created = subscribe(sandbox, inbox, ["order/create"], path="/m2", token=c["merchant_token"],
                        answer=b64(c["merchant_id"]))
    assert created["merchant_id"] == c["merchant_id"]
    assert "sign" not in inbox.requests("/m2")[0].query  # a merchant token has no app secret to sign with


def test_surrounding_whitespace_in_the_answer_is_ignored(sandbox, inbox):
    answer = b64(creds(sandbox)["openapi"]["app_id"]) + "\r\n"
    assert subscribe(sandbox, inbox, ["order/create"], answer=answer)["status"] == "active"


@pytest.mark.parametrize("kind", ["other text", "empty", "right text but HTTP 500", "dropped connection"])
def test_a_wrong_answer_creates_no_subscription(sandbox, inbox, kind):
    right = b64(creds(sandbox)["openapi"]["app_id"])
    reply, reason, excerpt = {
        "other text": (Reply(body="secret page"), "did not answer the verification with the base64 of the app id",
                       "secret page"),
        "empty": (Reply(body=""), "did not answer the verification with the base64 of the app id", ""),
        "right text but HTTP 500": (Reply(status=500, body=right), "with HTTP 500", right),
        "dropped connection": (Reply.dropped(), "failed (connection reset)", "")}[kind]
    inbox.respond(reply)
    answer = openapi(sandbox, "POST", body={"address": inbox.url_for("/h"), "topics": ["order/create"]})
    assert answer.status == 422, answer.body
    assert answer.body["message"].startswith(FAILED) and reason in answer.body["message"]
    assert len(inbox.received) == 1 and _nothing_created(sandbox)
    # What the target answered is the admin's to read, in the delivery log, never in the platform's message.
    delivery_id = re.search(r"see delivery (dlv_[0-9a-f]{24}) in the sandbox's delivery log", answer.body["message"])[1]
    logged = sandbox.admin("GET", f"/deliveries/{delivery_id}").body
    assert logged["status"] == "failed" and logged["event"] == "webhook/verification"
    assert logged["attempts"][0]["response_excerpt"] == excerpt
    if excerpt:
        assert excerpt not in answer.body["message"]


def test_a_passed_handshake_is_in_the_delivery_log(sandbox, inbox):
    subscribe(sandbox, inbox, ["order/create"])
    logged, = sandbox.request("GET", "/_sandbox/deliveries", query={"event": "webhook/verification"}).body["deliveries"]
    assert logged["status"] == "succeeded" and logged["platform"] == "shopline"


def test_an_unreachable_endpoint_creates_no_subscription(sandbox):
    answer = openapi(sandbox, "POST", body={"address": f"http://127.0.0.1:{_closed_port()}/h", "topics": ["order/create"]})
    assert answer.status == 422
    assert re.fullmatch(re.escape(FAILED + "the verification request failed (connection refused); see delivery ")
                        + r"dlv_[0-9a-f]{24} in the sandbox's delivery log\]", answer.body["message"])
    assert _nothing_created(sandbox)


def test_a_slow_endpoint_fails_the_handshake_after_the_verification_timeout(sandbox, inbox):
    sandbox.admin("POST", "/shopline/settings", {"verification_timeout_seconds": 0.3})
    inbox.respond(Reply.hang(3, status=200))
    answer = openapi(sandbox, "POST", body={"address": inbox.url_for("/slow"), "topics": ["order/create"]})
    assert answer.status == 422 and "failed (timeout); see delivery" in answer.body["message"]
    assert _nothing_created(sandbox)


def test_a_new_address_that_fails_the_handshake_leaves_the_subscription_unchanged(sandbox, inbox):
    created = subscribe(sandbox, inbox, ["order/create"])
    inbox.respond(Reply(body="wrong"), path="/other")
    answer = openapi(sandbox, "PUT", "/" + created["id"], {"address": inbox.url_for("/other"), "topics": ["user/create"]})
    assert answer.status == 422 and answer.body["message"].startswith(FAILED)
    assert openapi(sandbox, "GET", "/" + created["id"]).body == created


class _CallingBack(BaseHTTPRequestHandler):
    """A receiver that, while it verifies, lists the sandbox's subscriptions (and so needs its lock)."""

    sandbox_url = ""
    answer = ""
    seen: ClassVar[list] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with urllib.request.urlopen(self.sandbox_url + "/_sandbox/shopline/subscriptions", timeout=5) as response:
            self.seen.append(json.loads(response.read()))
        payload = self.answer.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args) -> None:
        pass


def test_the_handshake_runs_outside_the_lock_so_a_receiver_may_call_the_sandbox(live):
    _CallingBack.sandbox_url = live._base
    _CallingBack.answer = b64(creds(live)["openapi"]["app_id"])
    _CallingBack.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _CallingBack)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        answer = openapi(live, "POST", body={"address": f"http://127.0.0.1:{server.server_address[1]}/cb",
                                             "topics": ["order/create"]})
    finally:
        server.shutdown()
        server.server_close()
    assert answer.status == 200, answer.body
    assert _CallingBack.seen == [{"openapi": [], "global": []}]  # not created before the handshake passed
