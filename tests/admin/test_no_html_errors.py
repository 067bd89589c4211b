"""No HTML error pages anywhere: unknown paths, wrong methods, crashes and bad bodies answer JSON
(the admin error body under /_sandbox/; Shopee's envelope under /api/ and on every path no other
platform owns, since Shopee is served at the root: issue 11, "No path under the emulated hosts may
answer an envelope that is not Shopee's")."""
from __future__ import annotations

import json

import pytest
import requests
import yaml

from mockserver.app import MAX_BODY_BYTES, create_app
from mockserver.resources import data_dir
from mockserver.server import BackgroundServer
from tests.conftest import T0, make_settings
from tests.support.clients import Answer, SandboxClient
from tests.support.shopee_signer import signed_query

SHOPEE_POST = "/api/v2/logistics/ship_order"


def _post_shopee_raw(client: SandboxClient, raw: bytes) -> Answer:
    """A correctly signed ship_order call with a raw body: the gateway passes, the body is read."""
    query = signed_query(client.creds, SHOPEE_POST, T0)
    return client.request("POST", SHOPEE_POST, query=query, data=raw, validate=False,
                          headers={"Content-Type": "application/json"})


def _json_admin_error(answer: Answer, status: int, error: str) -> None:
    assert answer.status == status, answer.text[:300]
    assert answer.headers["Content-Type"].startswith("application/json"), answer.headers
    assert "<html" not in answer.text.lower()
    assert answer.body["error"] == error, answer.body
    assert answer.body["message"]


def _shopee_envelope(answer: Answer, status: int) -> None:
    assert answer.status == status, answer.text[:300]
    assert answer.headers["Content-Type"].startswith("application/json"), answer.headers
    assert set(answer.body) >= {"request_id", "error", "message"}, answer.body
    assert answer.body["error"] and answer.body["message"]
    assert len(answer.body["request_id"]) == 32


# ---- unknown paths ----------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/_sandbox", "/_sandbox/", "/_sandbox/nope", "/_sandbox/shopee/nope",
                                  "/_sandbox/shopee/shops/abc", "/_sandbox/health/"])
def test_an_unknown_admin_path_is_a_json_404(sandbox, path):
    _json_admin_error(sandbox.request("GET", path), 404, "not_found")


@pytest.mark.parametrize("path", ["/index.html", "/favicon.ico", "/api", "/%ff%fe", "/auth/", "/oauth",
                                  "/api/v2/shop/auth_partner/x"])
def test_an_unknown_path_outside_every_other_platform_is_a_shopee_envelope_404(sandbox, path):
    answer = sandbox.request("GET", path, validate=False)
    _shopee_envelope(answer, 404)
    assert (answer.body["error"], answer.body["message"]) == (
        "error_param", "Permission denied. This API is currently offline or the request path is incorrect.")


@pytest.mark.parametrize("path", ["/api/v2/", "/api/v2/nope", "/api/v2/order/nope", "/api/v2/a/b/c",
                                  "/api/v2/order/get_order_list/extra", "/api/v3/order/get_order_list"])
def test_an_unknown_shopee_path_is_an_envelope_404(sandbox, path):
    _shopee_envelope(sandbox.request("GET", path), 404)


def test_unknown_paths_over_http_are_json(live):
    _shopee_envelope(live.request("GET", "/nope", validate=False), 404)
    _json_admin_error(live.request("GET", "/_sandbox/nope"), 404, "not_found")
    _shopee_envelope(live.request("GET", "/api/v2/nope/nope"), 404)


# ---- wrong methods ----------------------------------------------------------------------------
@pytest.mark.parametrize("method,path,allowed", [
    ("POST", "/_sandbox/health", {"GET", "HEAD"}),
    ("GET", "/_sandbox/reset", {"POST"}),
    ("PUT", "/_sandbox/clock", {"GET", "POST", "HEAD"}),
    ("DELETE", "/_sandbox/shopee/shops/1", {"GET", "HEAD"}),
    ("GET", "/_sandbox/shopee/auth_page/submit", {"POST"}),
    # /flush is not also a delivery id (mockserver/admin/deliveries.py DeliveryIdConverter): no GET listed.
    ("GET", "/_sandbox/deliveries/flush", {"POST"}),
    ("PUT", "/_sandbox/deliveries/flush", {"POST"}),
    ("GET", "/_sandbox/deliveries/flush/replay", {"POST"}),
    ("OPTIONS", "/_sandbox/reset", {"POST"}),
    ("OPTIONS", "/_sandbox/credentials", {"GET", "HEAD"}),
])
def test_a_wrong_method_on_the_admin_api_is_a_json_405_with_allow(sandbox, method, path, allowed):
    # Not validated: the client would read GET .../flush as GET .../{delivery_id}, which has no 405.
    answer = sandbox.request(method, path, validate="flush" not in path)
    _json_admin_error(answer, 405, "method_not_allowed")
    assert {m.strip() for m in answer.headers["Allow"].split(",")} == allowed


def test_options_on_flush_is_a_json_405_listing_only_its_own_methods(sandbox):
    answer = sandbox.request("OPTIONS", "/_sandbox/deliveries/flush", validate=False)
    _json_admin_error(answer, 405, "method_not_allowed")
    assert {m.strip() for m in answer.headers["Allow"].split(",")} == {"POST"}


@pytest.mark.parametrize("path", ["/admin/openapi/v20260301/webhooks.json", "/v1/webhooks", "/v1/order",
                                  "/api/v2/order/get_order_list", "/nope"])
def test_options_anywhere_is_json_never_an_empty_html_200(sandbox, path):
    answer = sandbox.request("OPTIONS", path, validate=False)
    assert answer.status == (404 if path == "/nope" else 405), (path, answer.status)
    assert answer.headers["Content-Type"].startswith("application/json") and answer.body is not None


@pytest.mark.parametrize("method,path", [("POST", "/api/v2/order/get_order_list"), ("GET", SHOPEE_POST),
                                         ("DELETE", "/api/v2/shop/get_shop_info")])
def test_a_wrong_method_on_a_shopee_api_is_an_envelope_405(sandbox, method, path):
    _shopee_envelope(sandbox.request(method, path, validate=False), 405)


# ---- crashes ----------------------------------------------------------------------------------
def _crashing_app():
    app = create_app(make_settings())

    def boom():
        raise RuntimeError("kaboom")

    # Test-only routes, registered before the first request (Flask refuses them afterwards).
    app.add_url_rule("/_sandbox/test-only/boom", "test_admin_boom", boom, methods=["GET", "POST"])
    app.add_url_rule("/api/v2/test_only/boom", "test_shopee_boom", boom)
    app.add_url_rule("/test-only/boom", "test_root_boom", boom)
    return app


def test_an_unexpected_exception_is_a_json_500_naming_it():
    app = _crashing_app()
    answer = SandboxClient(flask_client=app.test_client()).request("GET", "/_sandbox/test-only/boom")
    _json_admin_error(answer, 500, "internal_error")
    assert "RuntimeError: kaboom" in answer.body["message"]
    assert isinstance(app.extensions["shop_sandbox_errors"][-1], RuntimeError)


@pytest.mark.parametrize("path", ["/api/v2/test_only/boom", "/test-only/boom"])
def test_an_unexpected_exception_outside_the_admin_api_is_the_server_error_envelope(path):
    answer = SandboxClient(flask_client=_crashing_app().test_client()).request("GET", path, validate=False)
    _shopee_envelope(answer, 500)
    assert answer.body["error"] == "error_server"
    assert answer.body["message"] == "System error. Please try again later."  # common_error_list, verbatim


def test_a_crash_over_http_is_json_and_the_server_keeps_serving():
    with BackgroundServer(_crashing_app(), port=0) as server:
        crashed = requests.get(server.url + "/_sandbox/test-only/boom", timeout=10)
        assert crashed.status_code == 500
        assert crashed.headers["Content-Type"].startswith("application/json")
        assert crashed.json()["error"] == "internal_error"
        assert requests.get(server.url + "/_sandbox/health", timeout=10).json()["status"] == "ok"


# ---- oversized and malformed bodies -----------------------------------------------------------
def test_an_oversized_admin_body_is_a_json_413(sandbox):
    raw = b'{"pad": "' + b"x" * MAX_BODY_BYTES + b'"}'
    answer = sandbox.request("POST", "/_sandbox/clock", data=raw, headers={"Content-Type": "application/json"})
    _json_admin_error(answer, 413, "payload_too_large")
    assert sandbox.now() == T0


def test_an_oversized_shopee_body_is_an_envelope_413(sandbox):
    raw = b"{" + b" " * (MAX_BODY_BYTES + 1) + b"}"
    _shopee_envelope(_post_shopee_raw(sandbox, raw), 413)


def test_an_oversized_body_over_http_is_a_json_413(live):
    raw = b"[" + b"0," * (MAX_BODY_BYTES // 2) + b"0]"
    answer = live.request("POST", "/_sandbox/clock", data=raw, headers={"Content-Type": "application/json"})
    _json_admin_error(answer, 413, "payload_too_large")


@pytest.mark.parametrize("raw", [b"[" * 100_000 + b"]" * 100_000, b'{"a": ' * 50_000 + b"1" + b"}" * 50_000,
                                 b"\x00\x01\x02", b"{\"now\": 1", b"\xef\xbb\xbf{}garbage"])
def test_a_malformed_admin_body_is_a_json_400(sandbox, raw):
    answer = sandbox.request("POST", "/_sandbox/shopee/settings", data=raw,
                             headers={"Content-Type": "application/json"})
    _json_admin_error(answer, 400, "invalid_json")


@pytest.mark.parametrize("raw", [b"{not json", b"\xff\xfe", b"[1]"])
def test_a_malformed_shopee_body_is_an_envelope_400(sandbox, raw):
    answer = _post_shopee_raw(sandbox, raw)
    _shopee_envelope(answer, 400)
    assert answer.body["error"] == "error_param"


def test_a_deeply_nested_shopee_body_is_an_envelope_400(sandbox):
    _shopee_envelope(_post_shopee_raw(sandbox, b"[" * 100_000), 400)


@pytest.mark.parametrize("data,content_type", [
    (b"--x\r\nContent-Disposition: form-data; name=\"ticket\"\r\n\r\nabc", "multipart/form-data; boundary=x"),
    (b"--x\r\n\r\n", "multipart/form-data"),
    (b"%zz=%%&ticket", "application/x-www-form-urlencoded"),
    (b'{"ticket": "t"}', "application/json"),
])
def test_a_malformed_auth_page_form_never_crashes(sandbox, data, content_type):
    answer = sandbox.request("POST", "/_sandbox/shopee/auth_page/submit", data=data,
                             headers={"Content-Type": content_type})
    assert 400 <= answer.status < 500, answer.text[:300]
    assert "Traceback" not in answer.text


def _json_operations() -> list[tuple[str, dict]]:
    with open(data_dir("contracts") / "admin" / "openapi.yaml", encoding="utf-8") as handle:
        doc = yaml.safe_load(handle)
    schemas = doc["components"]["schemas"]
    operations = []
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method == "parameters":
                continue
            schema = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if schema is None:
                continue
            schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
            names = set(schema.get("properties", {}))
            for choice in schema.get("oneOf", []):
                names |= set(schemas[choice["$ref"].rsplit("/", 1)[1]].get("properties", {}))
            operations.append((f"{method.upper()} {path}", {"names": sorted(names)}))
    return operations


_WEIRD_VALUES = [None, True, -1, 0, 2**64, 1e308, -1e-9, "", "x" * 1000, [], [{}], {}, {"a": [None]}, "\u0000"]


@pytest.mark.parametrize("operation,info", _json_operations(), ids=[op for op, _ in _json_operations()])
def test_no_field_value_crashes_an_admin_endpoint(app, operation, info):
    """Every field of every JSON admin body, with values of every JSON type, answers JSON below 500."""
    client = SandboxClient(flask_client=app.test_client())
    method, template = operation.split(" ")
    order_sn = client.admin("GET", "/state").body["shopee"]["orders"][0]["order_sn"]
    path = template.replace("{shop_id}", str(client.creds["shop_id"])).replace("{order_sn}", order_sn)
    for name in info["names"]:
        for value in _WEIRD_VALUES:
            answer = client.request(method, path, json_body={name: value})
            assert answer.status < 500, (name, value, answer.body)
            assert answer.headers["Content-Type"].startswith("application/json"), (name, value)
        nested = client.request(method, path, data=json.dumps({name: [{"items": [{name: None}]}]}),
                                headers={"Content-Type": "application/json"})
        assert nested.status < 500, (name, nested.body)


def test_api_v2_without_a_slash_is_an_envelope_not_a_redirect(sandbox):
    answer = sandbox.request("GET", "/api/v2")
    _shopee_envelope(answer, 404)
