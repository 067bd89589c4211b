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


# ---- where a platform registers a callback URL ------------------------------------------------------
FORBIDDEN = "http://169.254.169.254/latest/hook"


@pytest.fixture
def guarded() -> SandboxClient:
    """A sandbox that may send only to loopback (and nothing listens where the tests point)."""
    return SandboxClient(flask_client=create_app(make_settings(outbound_allow="127.0.0.1")).test_client())


def _deliveries(sandbox: SandboxClient) -> int:
    return sandbox.admin("GET", "/deliveries").body["total"]


def test_a_shopee_callback_url_outside_the_allow_list_is_refused_in_shopees_envelope(guarded):
    from tests.shopee.push_support import get_config, subscribe

    answer = subscribe(guarded, FORBIDDEN)
    assert answer.status == 400 and answer.body["error"] == "error_param"
    assert answer.body["message"].startswith("this callback_url is invalid, please check your callback_url.")
    assert "SHOP_SANDBOX_OUTBOUND_ALLOW" in answer.body["message"]
    assert get_config(guarded)["callback_url"] == "" and _deliveries(guarded) == 0  # nothing sent, nothing saved


def test_a_shopline_address_outside_the_allow_list_is_refused_before_the_handshake(guarded):
    from tests.shopline.emission_support import global_api, openapi

    answer = openapi(guarded, "POST", body={"address": FORBIDDEN, "topics": ["order/create"]})
    assert answer.status == 422 and answer.body["message"].startswith('Unable to process the changes ["address" is refused')
    assert "SHOP_SANDBOX_OUTBOUND_ALLOW" in answer.body["message"]
    answer = global_api(guarded, "POST", "webhooks.json",
                        {"webhook": {"address": FORBIDDEN, "topic": "orders/updated", "api_version": "v20230601"}})
    assert answer.status == 422 and answer.body["errors"].startswith("address is refused by the sandbox")
    subscriptions = guarded.admin("GET", "/shopline/subscriptions").body
    assert subscriptions["openapi"] == [] and subscriptions["global"] == [] and _deliveries(guarded) == 0


def test_a_shopline_trigger_to_a_url_outside_the_allow_list_is_refused(guarded):
    answer = guarded.admin("POST", "/shopline/trigger", {"topic": "order/create", "to": FORBIDDEN})
    assert answer.status == 400 and "SHOP_SANDBOX_OUTBOUND_ALLOW" in answer.body["message"]
    assert _deliveries(guarded) == 0
