"""Fixtures of the SHOPLINE tests."""
from __future__ import annotations

import pytest

from mockserver.testing import WebhookInbox


@pytest.fixture
def inbox():
    """A webhook receiver on loopback for one test (answers 200 unless told otherwise)."""
    with WebhookInbox() as inbox:
        yield inbox
