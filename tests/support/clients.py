"""Test clients for the sandbox: in-process (Flask test client) and over real HTTP (requests).

Both sign Shopee calls with the independent signer and validate every Shopee and admin answer
against its contract, so any test that talks to the sandbox also checks the contracts.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from requests.structures import CaseInsensitiveDict

from mockserver.core.contracts import openapi
from mockserver.resources import data_dir
from tests.support.shopee_signer import signed_query

SHOPEE_CONTRACT = "shopee/openapi.yaml"
ADMIN_CONTRACT = "admin/openapi.yaml"
ONESHOP_CONTRACT = "oneshop/openapi.yaml"
SHOPLINE_CONTRACT = "shopline/openapi.yaml"
SHOPLINE_GLOBAL_CONTRACT = "shopline-global/openapi.yaml"


@dataclass
class Answer:
    status: int
    body: Any
    headers: dict[str, str]
    text: str

    @property
    def error(self) -> str:
        return self.body.get("error", "") if isinstance(self.body, dict) else ""

    @property
    def message(self) -> str:
        return self.body.get("message", "") if isinstance(self.body, dict) else ""

    @property
    def success(self) -> int | None:
        """1shop's result code (0 = success)."""
        return self.body.get("success") if isinstance(self.body, dict) else None

    @property
    def msg(self) -> str:
        return self.body.get("msg", "") if isinstance(self.body, dict) else ""


def check_contract(method: str, path: str, answer: Answer) -> None:
    """Every answer is JSON (or a page/redirect where the contract says so) and matches the contract."""
    content_type = answer.headers.get("Content-Type", "")
    if path.startswith("/api/v2/"):
        contract = openapi(SHOPEE_CONTRACT)
        if path not in contract.doc["paths"] or method.lower() not in contract.doc["paths"][path]:
            assert content_type.startswith("application/json"), f"{method} {path}: {content_type}"
            _check_error_envelope(answer)  # paths the sandbox does not emulate answer an error envelope
            return
        if answer.status >= 400 and answer.status != 410:
            _check_error_envelope(answer)
        contract.validate_response(method, path, answer.status, content_type or "application/json",
                                   answer.body if content_type.startswith("application/json") else answer.text)
    elif _is_shopline_openapi(path):  # before 1shop: /v1/webhooks and /v1/webhooks/<id> are SHOPLINE's
        _check_shopline(SHOPLINE_CONTRACT, method, path, answer)
    elif path.startswith("/admin/openapi/"):
        _check_shopline(SHOPLINE_GLOBAL_CONTRACT, method, path, answer)
    elif path == "/v1" or path.startswith("/v1/"):
        _check_oneshop(method, path, answer)
    elif path.startswith("/_sandbox/"):
        assert content_type.startswith("application/json") or content_type.startswith("text/html"), content_type
        try:
            contract = openapi(ADMIN_CONTRACT)
        except FileNotFoundError:
            return
        template = _admin_template(contract.doc, method, path)
        if template and content_type.startswith("application/json"):
            contract.validate_response(method, template, answer.status, content_type, answer.body)


def _check_oneshop(method: str, path: str, answer: Answer) -> None:
    """1shop answers are JSON envelopes; with contracts/oneshop/openapi.yaml present they match it."""
    content_type = answer.headers.get("Content-Type", "")
    assert content_type.startswith("application/json"), f"{method} {path}: {content_type}"
    if method == "HEAD":
        return
    body = answer.body
    assert isinstance(body, dict) and isinstance(body.get("success"), int), answer.text[:300]
    if answer.status == 429:
        assert answer.text == '{"success":-9999}', answer.text
    else:  # seed 003: every other answer has success, data and msg; a failure's data is empty ([])
        assert set(body) == {"success", "data", "msg"}, answer.text[:300]
        if body["success"] != 0:
            assert body["success"] < 0 and body["data"] == [] and body["msg"], body
        # Seed 003: HTTP 200 unless rate-limited; only routing (-10: 404, -11: 405), the sandbox failing
        # (crash, fault) or a request a web server refuses (413, 414, 431) answers another status.
        routing = {-10: 404, -11: 405}
        if body["success"] in routing:
            assert answer.status == routing[body["success"]], answer.status
        else:
            assert answer.status in (200, 413, 414, 431) or answer.status >= 500, answer.status
            assert (answer.status == 200) == (body["success"] > -400), body  # -413 ... -500: not API answers
    if not (data_dir("contracts") / ONESHOP_CONTRACT).is_file():
        return
    contract = openapi(ONESHOP_CONTRACT)
    # The contract may name paths from the host (/v1/order) or from a server URL ending in /v1 (/order).
    template = _admin_template(contract.doc, method, path) or _admin_template(contract.doc, method, path[3:] or "/")
    if template is not None:  # unknown paths and methods answer -10 / -11 outside every operation
        contract.validate_response(method, template, answer.status, content_type, body)


def _is_shopline_openapi(path: str) -> bool:
    rest = path[len("/v1/webhooks/"):] if path.startswith("/v1/webhooks/") else None
    return path == "/v1/webhooks" or (rest is not None and rest != "" and "/" not in rest)


def _check_shopline(contract_name: str, method: str, path: str, answer: Answer) -> None:
    """SHOPLINE subscription answers are JSON and, for documented operations, match their contract
    (a wrong method answers 405 outside every operation)."""
    content_type = answer.headers.get("Content-Type", "")
    assert content_type.startswith("application/json"), f"{method} {path}: {content_type}"
    if method == "HEAD":
        return
    contract = openapi(contract_name)
    template = _admin_template(contract.doc, method, path)
    if template is not None:
        contract.validate_response(method, template, answer.status, content_type, answer.body)


def _check_error_envelope(answer: Answer) -> None:
    body = answer.body
    assert isinstance(body, dict), answer.text
    assert set(body) >= {"request_id", "error", "message"}, body
    assert body["error"], body
    assert len(body["request_id"]) == 32


def _admin_template(doc: dict, method: str, path: str) -> str | None:
    """The contract path template matching a concrete admin path (e.g. /orders/{order_sn})."""
    parts = path.split("/")
    for template, item in doc.get("paths", {}).items():
        t_parts = template.split("/")
        if len(t_parts) == len(parts) and method.lower() in item and all(
                t == p or (t.startswith("{") and t.endswith("}")) for t, p in zip(t_parts, parts)):
            return template
    return None


class SandboxClient:
    """Talks to one sandbox; `transport` is a Flask test client or a requests.Session + base URL."""

    def __init__(self, flask_client=None, base_url: str | None = None, session=None) -> None:
        self._flask = flask_client
        self._base = base_url
        self._session = session
        self._creds: dict | None = None
        self._creds_oneshop: dict | None = None

    # ---- raw ------------------------------------------------------------------------------
    def request(self, method: str, path: str, query: dict | None = None, json_body: Any = None,
                data: Any = None, headers: dict | None = None, validate: bool = True,
                follow_redirects: bool = False) -> Answer:
        if self._flask is not None:
            kwargs: dict[str, Any] = {"query_string": query or {}, "headers": headers or {}}
            if json_body is not None:
                kwargs["json"] = json_body
            if data is not None:
                kwargs["data"] = data
            response = self._flask.open(path, method=method, follow_redirects=follow_redirects, **kwargs)
            text = response.get_data(as_text=True)
            answer = Answer(response.status_code, _parse(text, response.content_type),
                            CaseInsensitiveDict(response.headers), text)
        else:
            response = self._session.request(method, self._base + path, params=query, json=json_body, data=data,
                                              headers=headers, allow_redirects=follow_redirects, timeout=10)
            answer = Answer(response.status_code, _parse(response.text, response.headers.get("Content-Type", "")),
                            CaseInsensitiveDict(response.headers), response.text)
        if validate:
            check_contract(method, path, answer)
        return answer

    # ---- admin ----------------------------------------------------------------------------
    def admin(self, method: str, path: str, body: Any = None) -> Answer:
        return self.request(method, "/_sandbox" + path, json_body=body)

    @property
    def creds_oneshop(self) -> dict:
        """The default 1shop account: base_url, api_base, appid, secret, rate_limit."""
        if self._creds_oneshop is None:
            self._creds_oneshop = self.admin("GET", "/credentials").body["oneshop"]
        return self._creds_oneshop

    @property
    def creds(self) -> dict:
        if self._creds is None:
            self._creds = self.admin("GET", "/credentials").body["shopee"]
        return self._creds

    def forget_credentials(self) -> None:
        self._creds = None
        self._creds_oneshop = None

    def now(self) -> int:
        return self.admin("GET", "/clock").body["now"]

    # ---- Shopee ---------------------------------------------------------------------------
    def shopee(self, method: str, api: str, params: dict | None = None, *, creds: dict | None = None,
               shop: bool = True, timestamp: int | None = None, query_extra: dict | None = None,
               validate: bool = True) -> Answer:
        """A signed Shopee call: GET params go to the query, POST params to a JSON body."""
        path = "/api/v2/" + api
        creds = creds or self.creds
        query = signed_query(creds, path, self.now() if timestamp is None else timestamp, shop=shop)
        query.update(query_extra or {})
        if method == "GET":
            query.update({k: v for k, v in (params or {}).items()})
            return self.request("GET", path, query=query, validate=validate)
        return self.request(method, path, query=query, json_body=params or {}, validate=validate)

    # ---- 1shop ----------------------------------------------------------------------------
    def oneshop(self, path: str, params: dict | None = None, creds: dict | None = None, *,
                method: str = "GET", headers: dict | None = None, validate: bool = True) -> Answer:
        """A 1shop call: "order" or "order/<number>" (relative to /v1), appid and secret of `creds`
        (the default account when None; {} sends none) plus params (None values left out)."""
        creds = self.creds_oneshop if creds is None else creds
        query = {k: creds[k] for k in ("appid", "secret") if k in creds}
        query.update({k: v for k, v in (params or {}).items() if v is not None})
        return self.request(method, _oneshop_path(path), query=query, headers=headers, validate=validate)


def _parse(text: str, content_type: str) -> Any:
    if "json" in (content_type or ""):
        return json.loads(text) if text else None
    return text


def _oneshop_path(path: str) -> str:
    path = path if path.startswith("/") else "/" + path
    return path if path == "/v1" or path.startswith("/v1/") else "/v1" + path
