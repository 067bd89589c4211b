"""Who may drive the sandbox: what a browser sends for another web site is refused (cross-site
POSTs, a rebinding Host, form bodies), and a shared sandbox's admin token is asked for."""
from __future__ import annotations

import pytest

from mockserver.admin.guard import host_allowed
from mockserver.app import create_app
from mockserver.clients.admin import AdminApiError, AdminClient
from mockserver.server import BackgroundServer
from tests.conftest import SEED, make_settings
from tests.support.clients import SandboxClient


def _raw(sandbox: SandboxClient, method: str, path: str, **kwargs):
    return sandbox.request(method, path, validate=False, **kwargs)


def test_a_cross_site_post_is_refused_and_changes_nothing(sandbox):
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}, {"Origin": "null"}):
        answer = _raw(sandbox, "POST", "/_sandbox/reset", json_body={"seed": 99}, headers=headers)
        assert answer.status == 403 and answer.body["error"] == "cross_site", headers
    assert sandbox.admin("GET", "/health").body["seed"] == SEED


def test_the_sandbox_own_pages_and_local_tools_pass(sandbox):
    same_origin = {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}
    assert _raw(sandbox, "POST", "/_sandbox/clock", json_body={"advance_seconds": 1}, headers=same_origin).status == 200
    local_dev_server = {"Origin": "http://localhost:3000", "Sec-Fetch-Site": "same-site"}
    assert _raw(sandbox, "GET", "/_sandbox/clock", headers=local_dev_server).status == 200


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])
def test_a_body_a_form_could_send_is_refused(sandbox, content_type):
    answer = _raw(sandbox, "POST", "/_sandbox/reset", data=b'{"seed": 99}', headers={"Content-Type": content_type})
    assert answer.status == 415 and answer.body["error"] == "unsupported_media_type"
    assert sandbox.admin("GET", "/health").body["seed"] == SEED


def test_an_empty_post_without_a_content_type_still_works_for_curl(sandbox):
    assert _raw(sandbox, "POST", "/_sandbox/reset").status == 200


@pytest.mark.parametrize("host", ["attacker.example", "attacker.example:8000", "127.0.0.1.nip.io"])
def test_a_rebinding_host_cannot_read_the_credentials(sandbox, host):
    answer = _raw(sandbox, "GET", "/_sandbox/credentials", headers={"Host": host})
    assert answer.status == 403 and answer.body["error"] == "host_not_allowed"
    assert "SHOP_SANDBOX_ALLOWED_HOSTS" in answer.body["message"]


def test_platform_paths_answer_whatever_the_host():
    app = create_app(make_settings())
    answer = app.test_client().get("/v1/order", headers={"Host": "api.1shop.example"})
    assert answer.status_code != 403 or answer.get_json().get("error") != "host_not_allowed"
    assert "success" in answer.get_json()


@pytest.mark.parametrize("host,listed,allowed", [
    ("127.0.0.1", "", True), ("[::1]", "", True), ("10.1.2.3", "", True), ("localhost", "", True),
    ("app.localhost", "", True), ("shop-sandbox", "", True), ("sandbox.ci.internal", "", False),
    ("sandbox.ci.internal", "sandbox.ci.internal", True), ("anything.example", "*", True), ("", "", False)])
def test_which_hosts_are_answered(host, listed, allowed):
    names = frozenset(n for n in listed.split(",") if n)
    assert host_allowed(host, names) is allowed


def test_a_listed_host_is_answered():
    app = create_app(make_settings(allowed_hosts="sandbox.ci.internal, other.example"))
    answer = app.test_client().get("/_sandbox/health", headers={"Host": "sandbox.ci.internal:8000"})
    assert answer.status_code == 200


def test_the_admin_token_is_asked_for_except_by_the_health_probe():
    client = create_app(make_settings(admin_token="s3cret-token")).test_client()
    refused = client.get("/_sandbox/credentials")
    assert refused.status_code == 401 and refused.get_json()["error"] == "admin_token_required"
    assert client.get("/_sandbox/health").status_code == 200
    assert client.get("/_sandbox/credentials", headers={"X-Sandbox-Admin-Token": "s3cret-token"}).status_code == 200
    assert client.get("/_sandbox/credentials", headers={"Authorization": "Bearer s3cret-token"}).status_code == 200
    assert client.get("/_sandbox/credentials", headers={"X-Sandbox-Admin-Token": "wrong"}).status_code == 401


def test_the_admin_client_sends_the_token_from_the_environment(monkeypatch):
    with BackgroundServer(create_app(make_settings(admin_token="tok-123456"))) as server:
        with pytest.raises(AdminApiError, match="admin_token_required"):
            AdminClient(server.url).get("/credentials")
        monkeypatch.setenv("SHOP_SANDBOX_ADMIN_TOKEN", "tok-123456")
        assert "shopee" in AdminClient(server.url).get("/credentials")
