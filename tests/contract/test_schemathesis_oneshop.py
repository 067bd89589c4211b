"""1shop API v1 (contracts/oneshop/openapi.yaml) against the in-process sandbox, every operation.

appid and secret come from hooks.OneshopCredentials; the default account's rate limit is switched
off through the admin API (hooks.Sandbox.restore) so the suite is never answered 429.
"""
from __future__ import annotations

import pytest

pytest.importorskip("schemathesis", minversion="4.0")

import jsonschema

from tests.contract.conftest import contract_suite

suite = contract_suite("oneshop")
test_oneshop_contract = suite.test


@pytest.mark.parametrize("name", ["create_date_start", "create_date_end"])
def test_contract_admits_the_empty_date_the_server_takes_as_absent(name: str) -> None:
    """O1: the server (PHP empty()) takes an empty date as absent; the contract says allowEmptyValue."""
    sandbox = suite.sandbox
    sandbox.restore()
    creds = sandbox.oneshop
    query = {"appid": creds["appid"], "secret": creds["secret"], "progress_status": "all", "payment_status": "all",
             "logistic_status": "all", "page": 1}
    empty = sandbox.client.get("/v1/order", query_string={**query, name: ""})
    absent = sandbox.client.get("/v1/order", query_string=query)
    assert empty.status_code == 200  # the server's choice (mockserver/oneshop/routes.py _day)
    assert empty.get_json()["data"]["page"] == absent.get_json()["data"]["page"]
    parameter = next(p for p in suite.schema["/v1/order"]["GET"].definition.raw["parameters"]
                     if p.get("name") == name)
    checker = jsonschema.Draft202012Validator(parameter["schema"], format_checker=jsonschema.FormatChecker())
    assert parameter.get("allowEmptyValue") is True or checker.is_valid(""), \
        f"the contract should say an empty {name} is allowed (allowEmptyValue: true)"
