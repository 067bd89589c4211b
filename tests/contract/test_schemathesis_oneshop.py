"""1shop API v1 (contracts/oneshop/openapi.yaml) against the in-process sandbox, every operation."""
from __future__ import annotations

import pytest

pytest.importorskip("schemathesis", minversion="4.0")

from tests.contract.conftest import contract_suite  # noqa: E402

suite = contract_suite("oneshop")
test_oneshop_contract = suite.test
