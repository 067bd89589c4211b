"""contract test for shopee"""
from __future__ import annotations

import pytest

pytest.importorskip("schemathesis", minversion="4.0")

from tests.contract.conftest import contract_suite  # noqa: E402

suite = contract_suite("shopee")
test_shopee_contract = suite.test
