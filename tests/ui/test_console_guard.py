"""The console behind the admin guard: with an admin token a person signs in once and a cookie
(HttpOnly, SameSite=Strict, Path=/_sandbox) stands for the token, on same-origin requests only;
what another site sends is refused as before, cookie or not."""
from __future__ import annotations

import pytest

from mockserver.admin.guard import TOKEN_COOKIE
from mockserver.app import create_app
from tests.conftest import make_settings

TOKEN = "s3cret-token"


@pytest.fixture
def client():
    return create_app(make_settings(admin_token=TOKEN)).test_client()


def _signed_in(client) -> None:
    answer = client.post("/_sandbox/ui/login", json={"token": TOKEN})
    assert answer.status_code == 200, answer.get_json()


def test_a_console_page_without_the_token_redirects_to_the_sign_in_form(client):
    answer = client.get("/_sandbox/ui/webhooks?status=failed")
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/_sandbox/ui/login?next=%2F_sandbox%2Fui%2Fwebhooks%3Fstatus%3Dfailed"
    form = client.get("/_sandbox/ui/login?next=/_sandbox/ui/webhooks")
    assert form.status_code == 200 and 'name="token"' in form.get_data(as_text=True)
    assert client.get("/_sandbox/ui/static/console.css").status_code == 200  # the form's stylesheet
    assert client.get("/_sandbox/credentials").status_code == 401  # the API still answers 401


def test_signing_in_sets_a_strict_http_only_cookie_that_counts_as_the_token(client):
    assert client.post("/_sandbox/ui/login", json={"token": "wrong"}).status_code == 401
    assert client.get_cookie(TOKEN_COOKIE, path="/_sandbox") is None
    answer = client.post("/_sandbox/ui/login", json={"token": TOKEN})
    cookie = answer.headers["Set-Cookie"]
    assert cookie.startswith(f"{TOKEN_COOKIE}={TOKEN};")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/_sandbox" in cookie
    assert client.get("/_sandbox/ui/webhooks").status_code == 200
    assert client.get("/_sandbox/credentials").status_code == 200
    same_origin = {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}
    assert client.post("/_sandbox/clock", json={"advance_seconds": 1}, headers=same_origin).status_code == 200
    assert client.post("/_sandbox/ui/logout", headers=same_origin).status_code == 200
    assert client.get("/_sandbox/credentials").status_code == 401


def test_the_cookie_does_not_count_for_another_local_site(client):
    _signed_in(client)
    # A dev server on another port of the same machine is same-site: SameSite=Strict sends it the
    # cookie, so the guard itself only takes the cookie from the sandbox's own origin.
    other_port = {"Origin": "http://localhost:3000", "Sec-Fetch-Site": "same-site"}
    answer = client.post("/_sandbox/reset", json={"seed": 99}, headers=other_port)
    assert answer.status_code == 401 and answer.get_json()["error"] == "admin_token_required"
    assert client.post("/_sandbox/reset", json={}, headers={"Origin": "http://localhost:3000"}).status_code == 401


@pytest.mark.parametrize("headers", [{"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"},
                                     {"Origin": "null"}])
def test_a_cross_site_request_is_refused_with_or_without_the_cookie(client, headers):
    refused = client.post("/_sandbox/reset", json={"seed": 99}, headers=headers)
    assert refused.status_code == 403 and refused.get_json()["error"] == "cross_site"
    _signed_in(client)
    refused = client.post("/_sandbox/reset", json={"seed": 99}, headers=headers)
    assert refused.status_code == 403 and refused.get_json()["error"] == "cross_site"
    assert client.get("/_sandbox/health").get_json()["seed"] != 99


def test_sign_in_goes_back_to_a_console_page_only(client):
    for target in ("https://evil.example/", "//evil.example", "/api/v2/shop/auth_partner", "/_sandbox/ui//x"):
        page = client.get("/_sandbox/ui/login", query_string={"next": target}).get_data(as_text=True)
        assert 'data-then="goto:/_sandbox/ui"' in page, target
    page = client.get("/_sandbox/ui/login", query_string={"next": "/_sandbox/ui/requests"}).get_data(as_text=True)
    assert 'data-then="goto:/_sandbox/ui/requests"' in page


def test_without_a_token_the_console_opens_and_the_sign_in_form_steps_aside():
    client = create_app(make_settings()).test_client()
    assert client.get("/_sandbox/ui").status_code == 200
    assert client.get("/_sandbox/ui/login?next=/_sandbox/ui/faults").headers["Location"] == "/_sandbox/ui/faults"
    assert client.post("/_sandbox/ui/login", json={"token": "x"}).status_code == 401


def test_the_sign_in_body_must_be_json_like_every_admin_body(client):
    answer = client.post("/_sandbox/ui/login", data={"token": TOKEN})  # a cross-site form could send this
    assert answer.status_code == 415
