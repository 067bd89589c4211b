"""The admin API (contracts/admin/openapi.yaml) against the in-process sandbox, every operation.

Generated-order requests are capped at hooks.MAX_GENERATED_ORDERS orders (the contract allows
100,000 per call); custom deliveries go to a closed local port (hooks.DEAD_URL). Nothing is excluded.
"""
from __future__ import annotations

import pytest

pytest.importorskip("schemathesis", minversion="4.0")

from tests.contract.conftest import contract_suite  # noqa: E402

suite = contract_suite("admin")
test_admin_contract = suite.test
