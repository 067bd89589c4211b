"""POST /_sandbox/shopline/trigger answered below Flask (shopline/lean_trigger.py) answers exactly as
the Flask route does: the admin guard's refusals, the trigger's own 400s, a success and a crash,
compared request by request with an app whose fault rules send every request through Flask."""
from __future__ import annotations

import pytest

from mockserver.app import create_app
from mockserver.shopline import emitter
from tests.conftest import make_settings

PATH = "/_sandbox/shopline/trigger"
TO = "http://127.0.0.1:9/hook"
JSON = {"Content-Type": "application/json"}

CASES = {
    "queued": ({"topic": "order/create", "to": TO}, {}),
    "queued with overrides": ({"topic": "order/create", "to": TO, "overrides": {"id": "1"}}, {}),
    "cross-site origin": ({"topic": "order/create", "to": TO}, {"Origin": "https://evil.example"}),
    "browser says cross-site": ({"topic": "order/create", "to": TO}, {"Sec-Fetch-Site": "cross-site"}),
    "rebinding host": ({"topic": "order/create", "to": TO}, {"Host": "attacker.example"}),
    "form body": ('{"topic": "order/create"}', {"Content-Type": "text/plain"}),
    "not JSON": ('{"topic": ', {}),
    "not an object": ("[1]", {}),
    "unknown field": ({"topic": "order/create", "colour": "red"}, {}),
    "no topic": ({"to": TO}, {}),
    "unknown topic": ({"topic": "order/nothing", "to": TO}, {}),
    "bad flavour": ({"topic": "order/create", "flavour": "x"}, {}),
    "bad target": ({"topic": "order/create", "to": "ftp://example.com/x"}, {}),
    "seed out of range": ({"topic": "order/create", "seed": -1}, {}),
}


def _through_flask_only(app) -> None:
    """A fault rule on another path: while any is set, the lean handler leaves requests to Flask."""
    answer = app.test_client().post("/_sandbox/faults", json={"path": "/v1/order", "status": 503})
    assert answer.status_code == 201, answer.get_json()


def _lean_only(app) -> None:
    def not_flask() -> None:
        raise AssertionError("the trigger went through Flask")
    app.full_dispatch_request = not_flask  # a trigger Flask answered would be this app's 500


def _send(app, body, headers):
    client = app.test_client()
    if isinstance(body, str):
        return client.post(PATH, data=body, headers={**JSON, **headers})
    return client.post(PATH, json=body, headers=headers)


@pytest.mark.parametrize("case", CASES)
def test_the_lean_trigger_answers_as_flask_does(case):
    body, headers = CASES[case]
    lean, flask = create_app(make_settings()), create_app(make_settings())
    _lean_only(lean)
    _through_flask_only(flask)
    got, expected = _send(lean, body, headers), _send(flask, body, headers)
    assert (got.status_code, got.get_json()) == (expected.status_code, expected.get_json())
    assert got.headers["Content-Type"] == expected.headers["Content-Type"]
    counts = [sum(app.extensions["shop_sandbox"].webhooks.counts().values()) for app in (lean, flask)]
    assert counts[0] == counts[1] == (1 if got.status_code == 200 else 0)


def test_the_admin_token_is_asked_for_on_the_lean_path():
    lean = create_app(make_settings(admin_token="s3cret"))
    _lean_only(lean)
    body = {"topic": "order/create", "to": TO}
    refused = _send(lean, body, {})
    assert refused.status_code == 401 and refused.get_json()["error"] == "admin_token_required"
    assert _send(lean, body, {"X-Sandbox-Admin-Token": "s3cret"}).status_code == 200
    assert _send(lean, body, {"Authorization": "Bearer s3cret"}).status_code == 200


def test_a_crash_on_the_lean_path_is_json_and_kept_for_the_errors_api(monkeypatch):
    lean = create_app(make_settings())
    _lean_only(lean)

    def broken(*args, **kwargs):
        raise RuntimeError("emitter broke")

    monkeypatch.setattr(emitter, "emit_openapi", broken)
    answer = _send(lean, {"topic": "order/create", "to": TO}, {})
    assert answer.status_code == 500
    assert answer.get_json() == {"error": "internal_error", "message": "sandbox bug: RuntimeError: emitter broke"}
    lean.full_dispatch_request = type(lean).full_dispatch_request.__get__(lean)  # the errors API is Flask's
    crashes = lean.test_client().get("/_sandbox/errors").get_json()
    assert "emitter broke" in str(crashes)
