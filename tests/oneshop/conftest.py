"""1shop fixtures: the in-process sandbox with the default account's rate limit switched off."""
from __future__ import annotations

import pytest

from tests.support.clients import SandboxClient


@pytest.fixture
def shop(sandbox) -> SandboxClient:
    """For tests that make more than 10 API calls at one frozen instant (the limit is tested apart)."""
    answer = sandbox.admin("POST", f"/oneshop/accounts/{sandbox.creds_oneshop['appid']}/settings",
                           {"rate_limit": None})
    assert answer.status == 200, answer.body
    return sandbox
