"""Issue 13, point 10: every integer parameter of every API, read from the contracts (so a new one is
swept without editing this file), given arbitrary text: never a 5xx, always the platform's own
envelope. Query and path parameters typed integer, and the top-level integer fields of JSON bodies
(sent as a JSON string of that text).

The text mixes Hypothesis' arbitrary Unicode with what broke before: other scripts' digits ("١",
"²"), thousands of ASCII digits, signs, spaces and empties. Run against one in-process app per
module (create_app's test client) for speed; the example count is kept modest.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import quote

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mockserver.app import create_app
from tests.conftest import T0, make_settings
from tests.support.shopee_signer import shopee_sign

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"
# contract folder -> which envelope its answers are in
PLATFORMS = {"shopee": "shopee", "oneshop": "oneshop", "shopline": "shopline", "shopline-global": "shopline-global",
             "admin": "admin"}
METHODS = ("get", "post", "put", "patch", "delete")
EXAMPLES = 12  # per parameter; the explicit @examples below come on top
_HEX32 = re.compile(r"[0-9a-f]{32}")

TEXT = st.one_of(
    st.text(max_size=24),
    st.from_regex(r"\A[ +\-]?[0-9]{1,40}[ ]?\Z"),
    st.integers(min_value=1, max_value=6000).map(lambda n: "9" * n),
    st.text(alphabet="0123456789٠١٢٣٤٥٦٧٨٩²³¹０１２ -+.e_", max_size=12),
)


# ---- the integer parameters of the contracts ---------------------------------------------------
def _resolve(doc: dict, node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = doc
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def _is_integer(doc: dict, schema: Any) -> bool:
    schema = _resolve(doc, schema) or {}
    kinds = schema.get("type")
    if kinds == "integer" or (isinstance(kinds, list) and "integer" in kinds):
        return True
    return any(_is_integer(doc, s) for s in schema.get("anyOf", []) + schema.get("oneOf", []))


def _body_schema(doc: dict, operation: dict) -> dict | None:
    body = _resolve(doc, operation.get("requestBody")) or {}
    media = (body.get("content") or {}).get("application/json")
    schema = _resolve(doc, (media or {}).get("schema"))
    return schema if isinstance(schema, dict) and "properties" in schema else None


def _targets() -> Iterator[tuple[str, str, str, str, str]]:
    """(contract, method, path template, parameter, where: query | path | body)."""
    for contract in PLATFORMS:
        doc = yaml.safe_load((CONTRACTS / contract / "openapi.yaml").read_text(encoding="utf-8"))
        for path, item in doc["paths"].items():
            for method in METHODS:
                operation = item.get(method)
                if operation is None:
                    continue
                for parameter in _parameters(doc, item, operation):
                    if parameter["in"] in ("query", "path") and _is_integer(doc, parameter.get("schema")):
                        yield contract, method, path, parameter["name"], parameter["in"]
                body = _body_schema(doc, operation)
                for name, schema in ((body or {}).get("properties") or {}).items():
                    if _is_integer(doc, schema):
                        yield contract, method, path, name, "body"


def _parameters(doc: dict, item: dict, operation: dict) -> list[dict]:
    return [_resolve(doc, p) for p in item.get("parameters", []) + operation.get("parameters", [])]


TARGETS = sorted(set(_targets()))
_DOCS = {c: yaml.safe_load((CONTRACTS / c / "openapi.yaml").read_text(encoding="utf-8")) for c in PLATFORMS}


def test_the_sweep_covers_every_api():
    contracts = {t[0] for t in TARGETS}
    assert {"shopee", "oneshop", "shopline", "admin"} <= contracts  # SHOPLINE global types none integer
    assert ("oneshop", "get", "/v1/order", "page", "query") in TARGETS
    assert ("shopline", "get", "/v1/webhooks", "per_page", "query") in TARGETS
    assert len(TARGETS) > 60


# ---- one request ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def app():
    return create_app(make_settings())


@pytest.fixture(scope="module")
def creds(app) -> dict:
    return app.test_client().get("/_sandbox/credentials").get_json()


def _fresh_windows(app) -> None:
    """Every request of the sweep outside the rate limits' windows (1shop 10 s, SHOPLINE 1 s), so
    that each reaches the parameter it is about rather than a 429: the frozen clock moves on 11 s,
    and goes back to T0 within the tokens' 4 hours (a clock moved back forgets later requests)."""
    clock = app.extensions["shop_sandbox"].clock
    clock.advance(11)
    if clock.now() > T0 + 3600:
        clock.set(T0)


def _value(doc: dict, schema: Any, json_typed: bool) -> Any:
    """A plausible value for a parameter the sweep does not vary."""
    schema = _resolve(doc, schema) or {}
    for key in ("example", "default"):
        if key in schema:
            return schema[key]
    if schema.get("enum"):
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "integer" or _is_integer(doc, schema):
        return 1
    if kind == "boolean":
        return True if json_typed else "true"
    if kind == "array":
        return [] if json_typed else "1"
    if kind == "object":
        return {}
    return "x"


def _KNOWN_IDS(creds: dict) -> dict[str, Any]:
    """Path parameters of the admin API filled with the default world's ids, so the request reaches
    the parameter's own parsing."""
    return {"shop_id": creds["shopee"]["shop_id"], "partner_id": creds["shopee"]["partner_id"],
            "appid": creds["oneshop"]["appid"]}


def _request(contract: str, method: str, path: str, name: str, where: str, text: str,
             creds: dict, now: int) -> dict[str, Any]:
    doc = _DOCS[contract]
    operation = doc["paths"][path][method]
    query: dict[str, Any] = {}
    path_values: dict[str, str] = {}
    headers: dict[str, str] = {}
    for parameter in _parameters(doc, doc["paths"][path], operation):
        if parameter["in"] == "query" and parameter.get("required"):
            query[parameter["name"]] = _value(doc, parameter.get("schema"), False)
        elif parameter["in"] == "path":
            path_values[parameter["name"]] = str(_KNOWN_IDS(creds).get(parameter["name"])
                                                 or _value(doc, parameter.get("schema"), False))
    body: dict[str, Any] | None = None
    schema = _body_schema(doc, operation)
    if schema is not None:
        body = {k: _value(doc, s, True) for k, s in schema["properties"].items() if k in schema.get("required", [])}
    if contract == "shopee":
        shopee = creds["shopee"]
        shop_api = any(p.get("name") == "access_token" for p in _parameters(doc, doc["paths"][path], operation))
        query.update(partner_id=shopee["partner_id"], timestamp=now)
        if shop_api:
            query.update(access_token=shopee["access_token"], shop_id=shopee["shop_id"])
        if "redirect" in query:
            query["redirect"] = "https://erp.example.com/cb"
        if "time_from" in query:  # get_order_list: a window the API accepts
            query.update(time_range_field="create_time", time_from=now - 86400, time_to=now)
    elif contract == "oneshop":
        query.update(appid=creds["oneshop"]["appid"], secret=creds["oneshop"]["secret"])
    elif contract == "shopline":
        headers["Authorization"] = f"Bearer {creds['shopline']['openapi']['access_token']}"
    elif contract == "shopline-global":
        headers["Authorization"] = f"Bearer {creds['shopline']['global']['access_token']}"
    if where == "query":
        query[name] = text
    if contract == "shopee":  # signed over what is sent, the fuzzed text included, to get past the gateway
        shopee = creds["shopee"]
        query["sign"] = shopee_sign(shopee["partner_key"], query["partner_id"], path, query["timestamp"],
                                    query.get("access_token"), query.get("shop_id"))
    elif where == "path":
        path_values[name] = text
    else:
        body = {**(body or {}), name: text}
    url = re.sub(r"\{(\w+)\}", lambda m: quote(path_values.get(m[1], "1"), safe=""), path)
    query = {k: v for k, v in query.items() if v is not None}
    request: dict[str, Any] = {"method": method.upper(), "path": url, "query_string": query, "headers": headers}
    if body is not None:
        request["data"] = json.dumps(body)
        request["content_type"] = "application/json"
    return request


# ---- the platforms' envelopes ------------------------------------------------------------------------
def _check_envelope(platform: str, response: Any) -> None:
    status = response.status_code
    is_json = "json" in (response.content_type or "")
    if status < 400 and not is_json:
        return  # a page (Shopee's auth pages, the admin console) or a redirect
    assert is_json, f"{status} {response.content_type}: {response.get_data()[:200]!r}"
    body = json.loads(response.get_data())
    assert isinstance(body, dict), body
    if platform == "shopee":
        assert {"request_id", "error", "message"} <= set(body) and _HEX32.fullmatch(body["request_id"]), body
        assert (body["error"] != "") == (status >= 400), body
    elif platform == "oneshop":
        assert isinstance(body.get("success"), int), body
        if status != 429:
            assert set(body) == {"success", "data", "msg"}, body
    elif platform == "shopline" and status >= 400:
        assert set(body) in ({"message"}, {"error", "code"}), body
    elif platform == "shopline-global" and status >= 400:
        assert set(body) == {"errors"}, body
    elif platform == "admin" and status >= 400:
        assert isinstance(body.get("error"), str) and body["error"] and isinstance(body.get("message"), str), body


@pytest.mark.parametrize("target", TARGETS, ids=["{0} {1} {2} {4}:{3}".format(*t) for t in TARGETS])
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=TEXT)
@example(text="²")
@example(text="١")
@example(text="9" * 5000)
@example(text="")
@example(text=" 7 ")
@example(text="-1")
@example(text="1e3")
def test_an_integer_parameter_given_any_text_answers_the_platforms_envelope_never_a_5xx(app, creds, target, text):
    contract, method, path, name, where = target
    client = app.test_client()
    _fresh_windows(app)
    now = app.extensions["shop_sandbox"].clock.now_int()
    response = client.open(**_request(contract, method, path, name, where, text, creds, now))
    assert response.status_code < 500, (response.status_code, response.get_data()[:300])
    _check_envelope(PLATFORMS[contract], response)


def test_path_integers_are_ascii_digits_only(app, creds):
    client = app.test_client()
    shop_id = creds["shopee"]["shop_id"]
    assert client.get(f"/_sandbox/shopee/shops/{shop_id}").status_code == 200
    arabic = "".join("٠١٢٣٤٥٦٧٨٩"[int(d)] for d in str(shop_id))  # the same number in Arabic-Indic digits
    answer = client.get("/_sandbox/shopee/shops/" + quote(arabic))
    assert answer.status_code == 404 and answer.get_json()["error"] == "not_found"


@pytest.mark.parametrize("text,message", [("9" * 5000, '"page" must be a safe number'),
                                          ("9007199254740992", '"page" must be a safe number'),
                                          ("²", '"page" must be a number'), ("0", '"page" must be greater than or equal to 1')])
def test_shopline_paging_reads_numbers_like_joi(app, creds, text, message):
    _fresh_windows(app)
    answer = app.test_client().get("/v1/webhooks", query_string={"page": text}, headers={
        "Authorization": f"Bearer {creds['shopline']['openapi']['access_token']}"})
    assert answer.status_code == 422 and answer.get_json() == {"message": f"Unable to process the changes [{message}]"}
