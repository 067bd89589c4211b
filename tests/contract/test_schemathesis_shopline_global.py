"""SHOPLINE global-flavour webhooks.json API (contracts/shopline-global/openapi.yaml), every operation."""
from __future__ import annotations

import pytest

pytest.importorskip("schemathesis", minversion="4.0")

from tests.contract.conftest import contract_suite

test_shopline_global_contract = contract_suite("shopline-global").test
