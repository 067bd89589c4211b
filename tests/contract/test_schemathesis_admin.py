"""The admin API (contracts/admin/openapi.yaml) against the in-process sandbox, every operation.

Generated-order requests are capped at hooks.MAX_GENERATED_ORDERS orders (the contract allows
100,000 per call); delivery and push URLs go to the suite's inbox or a closed local port
(hooks._local_urls). /_sandbox/shopline/* is left out until its trigger's `to` is kept local too
(conftest.PLATFORMS["admin"].excluded).
"""
from __future__ import annotations

import pytest

pytest.importorskip("schemathesis", minversion="4.0")

from tests.contract.conftest import contract_admits_body, contract_suite

suite = contract_suite("admin")
test_admin_contract = suite.test


# ---- regression tests of the findings -------------------------------------------------------
def _post(path: str, body: object) -> tuple[int, dict]:
    sandbox = suite.sandbox
    sandbox.dirty = True
    sandbox.restore()
    answer = sandbox.client.post("/_sandbox" + path, json=body)
    return answer.status_code, answer.get_json()


@pytest.mark.parametrize(("path", "body"), [
    ("/reset", {"seed": None}),
    ("/clock", {"advance_seconds": None}),
    ("/shopee/settings", {"auto_progress": None}),
    ("/shopee/partners", {"name": None}),
    ("/oneshop/accounts", {"rate_limit": None}),
    ("/oneshop/accounts", {"ip_whitelist": None}),
    ("/oneshop/accounts", {"list_shape": None}),
    ("/shopline/settings", {"openapi_rate_limit": None}),
    ("/shopline/settings", {"openapi_retry_delays": None}),
])
def test_contract_and_server_agree_on_null_fields(path: str, body: dict) -> None:
    """A1: null is refused (400 invalid_field) where the contract types a field without null and
    accepted where it says nullable (mockserver/admin/http.py field(..., nullable=...))."""
    status, answer = _post(path, body)
    admitted = contract_admits_body(suite.schema, "/_sandbox" + path, "POST", body)
    assert (status < 400) == admitted, (status, answer, admitted)
    if not admitted:
        assert status == 400 and answer["error"] == "invalid_field", answer


@pytest.mark.parametrize("method", ["GET", "PUT", "OPTIONS"])
def test_flush_allows_only_post(method: str) -> None:
    """A2: /flush is not also a delivery id, so no 405 lists GET (OPTIONS is a JSON 405 too)."""
    answer = suite.sandbox.client.open("/_sandbox/deliveries/flush", method=method)
    assert answer.status_code == 405, answer.get_json()
    assert {m.strip() for m in answer.headers["Allow"].split(",")} == {"POST"}
