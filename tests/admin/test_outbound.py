"""What the sandbox may send out: never a caller's Host or framing headers, and, with
SHOP_SANDBOX_OUTBOUND_ALLOW, only to the hosts it lists."""
from __future__ import annotations

import pytest

from mockserver.app import create_app
from mockserver.core.delivery_http import host_permitted
from tests.conftest import make_settings
from tests.support.clients import SandboxClient


@pytest.mark.parametrize("name", ["Host", "host", "Content-Length", "Transfer-Encoding", "Connection", "Upgrade"])
def test_a_caller_cannot_set_the_connections_own_headers(sandbox, name):
    answer = sandbox.admin("POST", "/deliveries", {"platform": "custom", "url": "http://127.0.0.1:1/hook",
                                                   "body": {}, "headers": {name: "x"}})
    assert answer.status == 400 and "set by the sandbox itself" in answer.body["message"]
    assert sandbox.admin("GET", "/deliveries").body["total"] == 0  # nothing was queued


def test_the_outbound_allow_list_refuses_other_hosts_before_queueing():
    sandbox = SandboxClient(flask_client=create_app(make_settings(outbound_allow="127.0.0.1, .ci.internal")).test_client())
    refused = sandbox.admin("POST", "/deliveries", {"platform": "custom", "url": "http://169.254.169.254/latest",
                                                    "body": {}})
    assert refused.status == 400 and "SHOP_SANDBOX_OUTBOUND_ALLOW" in refused.body["message"]
    allowed = sandbox.admin("POST", "/deliveries", {"platform": "custom", "url": "http://127.0.0.1:1/hook", "body": {}})
    assert allowed.status in (200, 201, 202), allowed.body


@pytest.mark.parametrize("url,allowed", [
    ("http://127.0.0.1:9000/x", True), ("http://hooks.ci.internal/x", True), ("http://ci.internal.evil.com/", False),
    ("http://169.254.169.254/", False), ("https://receiver/x", False)])
def test_which_hosts_the_allow_list_admits(url, allowed):
    assert host_permitted(url, frozenset({"127.0.0.1", ".ci.internal"})) is allowed
    assert host_permitted(url, frozenset())  # no list: anything
