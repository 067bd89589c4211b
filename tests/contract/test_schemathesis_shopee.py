"""Shopee Open Platform v2 (contracts/shopee/openapi.yaml) against the in-process sandbox.

- test_shopee_contract: every operation, positive and negative, signed by hooks.ShopeeSigner.
- test_shopee_links: the contract's OpenAPI links as state-machine scenarios (get_order_list ->
  get_order_detail; get_shipment_list -> get_shipping_parameter / tracking / detail).
- test_authorise_token_list_detail_ship: the flow the links cannot express (the authorisation is an
  admin call, ship_order takes a body): authorise -> auth/token/get -> get_order_list ->
  get_order_detail -> get_shipping_parameter -> ship_order -> get_tracking_number, with the choices
  drawn by Hypothesis and every answer checked against the contracts.
- Regression tests of the findings S1-S6 (all fixed; docs/fidelity.md).
"""
from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("schemathesis", minversion="4.0")

import hypothesis
import schemathesis
from hypothesis import strategies as st

from mockserver.resources import data_dir
from tests.conftest import T0
from tests.contract.conftest import (
    PLATFORMS,
    admin_envelope,
    contract_admits_body,
    contract_suite,
    crash_check,
    schemathesis_config,
    stateful_test,
)
from tests.contract.hooks import DAY, declared_fields, shopee_sign

suite = contract_suite("shopee")
test_shopee_contract = suite.test
test_shopee_links = stateful_test(suite)

sandbox = suite.sandbox
# The admin contract, bound to the same app: the flow's admin calls are checked against it too.
admin_schema = schemathesis.openapi.from_path(data_dir("contracts") / "admin/openapi.yaml",
                                              config=schemathesis_config(PLATFORMS["admin"]))
admin_schema.app = sandbox.app
REDIRECT = "https://app.example.com/shopee/callback"
# Optional detail fields the sandbox renders (finding S2: it refuses the contract's others).
DETAIL_FIELDS = ["item_list", "package_list", "recipient_address", "pay_time", "total_amount", "note"]


def call(schema: Any, method: str, path: str, *, query: dict | None = None, body: Any = None,
         path_parameters: dict | None = None) -> Any:
    """One request built by hand, checked like the generated ones (contract, envelope, crashes)."""
    checks = suite.checks if schema is suite.schema else [admin_envelope, crash_check(sandbox)]
    operation = schema[path][method]
    kwargs: dict[str, Any] = {"query": query or {}, "path_parameters": path_parameters or {}}
    if body is not None:
        kwargs.update(body=body, media_type="application/json")
    case = operation.Case(**kwargs)
    return case.call_and_validate(additional_checks=checks)


def signed(path: str, token: str | None = None, shop_id: int | None = None, **params: Any) -> dict[str, Any]:
    """Common parameters signed with our own HMAC (public call without a token)."""
    creds = sandbox.shopee
    query: dict[str, Any] = {"partner_id": creds["partner_id"], "timestamp": T0, **params}
    if token is None:
        query["sign"] = shopee_sign(creds["partner_key"], creds["partner_id"], path, T0)
    else:
        query.update(access_token=token, shop_id=shop_id)
        query["sign"] = shopee_sign(creds["partner_key"], creds["partner_id"], path, T0, token, shop_id)
    return query


def shop_call(method: str, api: str, token: str, shop_id: int, params: dict[str, Any]) -> Any:
    path = "/api/v2/" + api
    if method == "GET":
        return call(suite.schema, "GET", path, query=signed(path, token, shop_id, **params))
    return call(suite.schema, "POST", path, query=signed(path, token, shop_id), body=params)


@hypothesis.settings(max_examples=12, derandomize=True, deadline=None, database=None,
                     suppress_health_check=list(hypothesis.HealthCheck))
@hypothesis.given(data=st.data())
def test_authorise_token_list_detail_ship(data: st.DataObject) -> None:
    sandbox.dirty = True
    sandbox.restore()
    creds = sandbox.shopee
    partner_id, shop_id = creds["partner_id"], creds["shop_id"]

    # The seller approves the partner (admin), the app trades the code for tokens.
    approved = call(admin_schema, "POST", "/_sandbox/shopee/authorize",
                    body={"partner_id": partner_id, "shop_id": shop_id, "redirect": REDIRECT}).json()
    assert approved["url"].startswith(REDIRECT) and approved["shop_id"] == shop_id
    tokens = call(suite.schema, "POST", "/api/v2/auth/token/get", query=signed("/api/v2/auth/token/get"),
                  body={"code": approved["code"], "partner_id": partner_id, "shop_id": shop_id}).json()
    token = tokens["access_token"]

    # Every READY_TO_SHIP order of the last 15 days, page by page (page size and time field drawn).
    page_size = data.draw(st.integers(1, 100), label="page_size")
    field = data.draw(st.sampled_from(["create_time", "update_time"]), label="time_range_field")
    end = T0 - data.draw(st.integers(0, 3600), label="seconds_before_now")
    cursor, found = "", []
    while True:
        page = shop_call("GET", "order/get_order_list", token, shop_id, {
            "time_range_field": field, "time_from": end - 15 * DAY, "time_to": end, "page_size": page_size,
            "cursor": cursor, "order_status": "READY_TO_SHIP"}).json()["response"]
        found += [o["order_sn"] for o in page["order_list"]]
        assert len(page["order_list"]) <= page_size
        if not page["more"]:
            break
        cursor = page["next_cursor"]
    expected = {o["order_sn"] for o in sandbox.orders
                if o["status"] == "READY_TO_SHIP" and end - 15 * DAY <= o[field] <= end}
    assert sorted(found) == sorted(expected) and expected, (found, expected)

    # Its detail, with optional fields drawn from those the sandbox renders.
    order_sn = data.draw(st.sampled_from(sorted(found)), label="order_sn")
    optional = data.draw(st.lists(st.sampled_from(DETAIL_FIELDS), unique=True), label="optional_fields")
    detail = shop_call("GET", "order/get_order_detail", token, shop_id, {
        "order_sn_list": order_sn, "response_optional_fields": ",".join(optional)}).json()["response"]
    assert [o["order_sn"] for o in detail["order_list"]] == [order_sn]
    assert detail["order_list"][0]["order_status"] == "READY_TO_SHIP"

    # Ship it the way a drawn one of the offered modes asks.
    parameters = shop_call("GET", "logistics/get_shipping_parameter", token, shop_id,
                           {"order_sn": order_sn}).json()["response"]
    mode = data.draw(st.sampled_from(sorted(parameters["info_needed"])), label="mode")
    how: dict[str, Any] = {}
    if mode == "pickup":
        address = parameters["pickup"]["address_list"][0]
        slot = data.draw(st.sampled_from(address["time_slot_list"]), label="slot")
        how = {"address_id": address["address_id"], "pickup_time_id": slot["pickup_time_id"]}
    elif mode == "dropoff" and parameters["info_needed"]["dropoff"]:
        how = {"branch_id": data.draw(st.sampled_from(parameters["dropoff"]["branch_list"]))["branch_id"]}
    elif mode == "non_integrated":
        how = {"tracking_number": data.draw(st.from_regex(r"[A-Z0-9]{8,20}", fullmatch=True), label="tn")}
    shop_call("POST", "logistics/ship_order", token, shop_id, {"order_sn": order_sn, mode: how})

    after = call(admin_schema, "GET", "/_sandbox/shopee/orders/{order_sn}", path_parameters={"order_sn": order_sn})
    assert after.json()["status"] == "PROCESSED"
    shop_call("GET", "logistics/get_tracking_number", token, shop_id, {"order_sn": order_sn})


# ---- regression tests of the findings -------------------------------------------------------
def _raw(method: str, api: str, query: dict[str, Any], body: Any = None) -> Any:
    sandbox.dirty = True
    sandbox.restore()
    return sandbox.client.open("/api/v2/" + api, method=method, query_string=query, json=body)


def test_wrong_method_answer_lists_the_allowed_method() -> None:
    creds = sandbox.shopee
    answer = _raw("PUT", "shop/get_shop_info", signed("/api/v2/shop/get_shop_info", creds["access_token"],
                                                      creds["shop_id"]))
    assert answer.status_code == 405
    assert answer.headers.get("Allow") == "GET"  # RFC 9110: a 405 lists the methods the resource has


def test_order_detail_accepts_every_optional_field_of_the_contract() -> None:
    creds = sandbox.shopee
    operation = suite.schema["/api/v2/order/get_order_detail"]["GET"]
    listed = next(p for p in operation.definition.raw["parameters"] if p.get("name") == "response_optional_fields")
    names = ",".join(listed["schema"]["items"]["enum"])
    answer = _raw("GET", "order/get_order_detail", signed(
        "/api/v2/order/get_order_detail", creds["access_token"], creds["shop_id"],
        order_sn_list=sandbox.orders[0]["order_sn"], response_optional_fields=names))
    assert answer.status_code == 200, answer.get_json()


@pytest.mark.parametrize("field", ["supplier_id", "user_id", "principal_id"])
def test_refresh_token_knows_every_documented_body_field(field: str) -> None:
    creds = sandbox.shopee
    body = {"refresh_token": creds["refresh_token"], "partner_id": creds["partner_id"], field: 1}
    answer = _raw("POST", "auth/access_token/get", signed("/api/v2/auth/access_token/get"), body)
    documented = field in declared_fields(suite.schema["/api/v2/auth/access_token/get"]["POST"])
    # Fixed either way: the server knows the field (e.g. "not emulated", like merchant_id) or the
    # contract stops listing it.
    assert not (documented and "unknown parameter" in answer.get_json()["message"]), answer.get_json()


def test_optional_query_parameters_may_be_empty_and_an_empty_one_is_absent() -> None:
    """S4: the server reads `name=` as leaving the parameter out (mockserver/shopee/params.py
    Params._raw), and the contract says so for every optional query parameter (allowEmptyValue)."""
    empty = _raw("GET", "public/get_shops_by_partner", signed("/api/v2/public/get_shops_by_partner", page_no=""))
    absent = _raw("GET", "public/get_shops_by_partner", signed("/api/v2/public/get_shops_by_partner"))
    assert empty.status_code == 200 and empty.get_json()["authed_shop_list"] == absent.get_json()["authed_shop_list"]
    undeclared = [f"{operation.path} {parameter.name}" for operation in _operations("GET")
                  for parameter in operation.query
                  if not parameter.is_required and parameter.definition.get("allowEmptyValue") is not True]
    assert not undeclared, "scripts/gen_shopee_openapi.py should mark these allowEmptyValue"


def _operations(method: str) -> list[Any]:
    return [result.ok() for result in suite.schema.get_all_operations() if result.ok().method.upper() == method]


@pytest.mark.parametrize(("api", "body"), [
    ("push/set_push_config", {"push_config": {"webchat": None}}),
    ("push/set_app_push_config", {"blocked_shop_id_list": None}),
    ("logistics/ship_order", {"non_integrated": {"tracking_number": None}}),
])
def test_contract_and_server_agree_on_null_fields(api: str, body: dict) -> None:
    """S6: the contract types no request field nullable, and the server refuses null like any wrong
    type (error_param "Wrong parameters, detail: ...") instead of reading it as absent."""
    shop = api.startswith("logistics/")
    creds = sandbox.shopee
    body = {"order_sn": sandbox.orders[0]["order_sn"], **body} if shop else {"callback_url": sandbox.inbox.url, **body}
    query = (signed("/api/v2/" + api, creds["access_token"], creds["shop_id"]) if shop
             else signed("/api/v2/" + api))
    answer = _raw("POST", api, query, body)
    assert not contract_admits_body(suite.schema, "/api/v2/" + api, "POST", body)
    assert answer.status_code == 400, answer.get_json()
    assert answer.get_json()["error"] == "error_param", answer.get_json()
    assert answer.get_json()["message"].startswith("Wrong parameters, detail: "), answer.get_json()
