"""JSON null in admin bodies: refused (400 invalid_field) where the contract types a field without
null, meaningful where it says nullable (mockserver/admin/http.py field(..., nullable=...))."""
from __future__ import annotations

import pytest


def _paths(sandbox) -> dict[str, str]:
    return {"shop_id": str(sandbox.creds["shop_id"]), "appid": sandbox.creds_oneshop["appid"],
            "order_number": sandbox.admin("GET", "/state").body["oneshop"]["orders"][0]["order_number"]}


@pytest.mark.parametrize(("path", "body", "message"), [
    ("/reset", {"seed": None}, "seed should not be null"),
    ("/clock", {"advance_seconds": None}, "advance_seconds should not be null"),
    ("/clock", {"now": None}, "now should not be null"),
    ("/shopee/settings", {"auto_progress": None}, "auto_progress should not be null"),
    ("/shopee/partners", {"name": None}, "name should not be null"),
    ("/shopee/shops", {"region": None}, "region should not be null"),
    ("/shopee/shops/{shop_id}/orders", {"count": None}, "count should not be null"),
    ("/shopee/shops/{shop_id}/orders", {"orders": [{"items": [{"quantity": None}]}]},
     "orders[0].items[0].quantity should not be null"),
    ("/oneshop/accounts/{appid}/settings", {"secret": None}, "secret should not be null"),
    ("/oneshop/accounts/{appid}/orders", {"orders": [{"products": None}]}, "orders[0].products should not be null"),
    ("/oneshop/accounts/{appid}/orders", {"orders": [{"name": None}]}, "orders[0].name should not be null"),
    ("/oneshop/orders/{order_number}/status", {"payment_status": "paid", "tracking": None},
     "tracking should not be null"),
    ("/shopline/settings", {"openapi_timeout_seconds": None}, "openapi_timeout_seconds should not be null"),
    ("/shopline/trigger", {"topic": "orders/create", "seed": None}, "seed should not be null"),
    ("/deliveries", {"url": "http://127.0.0.1:9/x", "event": None}, "event should not be null"),
])
def test_null_for_a_field_the_contract_types_without_null_is_400_and_changes_nothing(sandbox, path, body, message):
    before = sandbox.admin("GET", "/state").body
    answer = sandbox.admin("POST", path.format(**_paths(sandbox)), body)
    assert answer.status == 400, answer.body
    assert answer.error == "invalid_field" and answer.body["message"] == message, answer.body
    assert sandbox.admin("GET", "/state").body == before


def test_null_rate_limit_and_ip_whitelist_of_a_1shop_account_mean_none(sandbox):
    appid = sandbox.creds_oneshop["appid"]
    sandbox.admin("POST", f"/oneshop/accounts/{appid}/settings", {"ip_whitelist": ["127.0.0.1"]})
    answer = sandbox.admin("POST", f"/oneshop/accounts/{appid}/settings", {"rate_limit": None, "ip_whitelist": None})
    assert answer.status == 200, answer.body
    assert answer.body["rate_limit"] is None and answer.body["ip_whitelist"] == []


def test_null_openapi_rate_limit_turns_shoplines_limit_off(sandbox):
    assert sandbox.admin("GET", "/shopline/settings").body["openapi_rate_limit"] is not None
    answer = sandbox.admin("POST", "/shopline/settings", {"openapi_rate_limit": None})
    assert answer.status == 200, answer.body
    assert answer.body["openapi_rate_limit"] is None


def test_a_custom_delivery_with_a_null_body_sends_an_empty_body(sandbox):
    answer = sandbox.admin("POST", "/deliveries", {"url": "http://127.0.0.1:9/x", "body": None})
    assert answer.status == 201, answer.body
    assert answer.body["body_size"] == 0 and answer.body["headers"] == {}


def _admits_null(schema: dict, schemas: dict) -> bool:
    while "$ref" in schema:
        schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
    kind = schema.get("type")
    if kind == "null" or (isinstance(kind, list) and "null" in kind) or schema == {} or set(schema) <= {"description"}:
        return True
    return any(_admits_null(option, schemas) for option in schema.get("oneOf", []) + schema.get("anyOf", []))


def _nullable_fields() -> list[tuple[str, str]]:
    import yaml

    from mockserver.resources import data_dir

    doc = yaml.safe_load((data_dir("contracts") / "admin" / "openapi.yaml").read_text(encoding="utf-8"))
    schemas = doc["components"]["schemas"]
    found = []
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            body = (operation.get("requestBody") or {}).get("content", {}).get("application/json") \
                if isinstance(operation, dict) else None
            if method != "post" or body is None:
                continue
            schema = body["schema"]
            while "$ref" in schema:
                schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
            found += [(path, name) for name, prop in schema.get("properties", {}).items() if _admits_null(prop, schemas)]
    return found


@pytest.mark.parametrize(("path", "name"), _nullable_fields())
def test_a_field_the_contract_types_nullable_takes_null(sandbox, path, name):
    """The other side of the rule: where the contract admits null, the server never calls it wrong."""
    answer = sandbox.request("POST", path.format(**_paths(sandbox)), json_body={name: None}, validate=False)
    assert not (answer.status == 400 and answer.body.get("message", "").startswith(f"{name} should not")), answer.body


def test_the_contract_has_nullable_request_fields_to_check():
    assert {("/_sandbox/oneshop/accounts/{appid}/settings", "rate_limit"),
            ("/_sandbox/shopline/settings", "openapi_rate_limit")} <= set(_nullable_fields())
