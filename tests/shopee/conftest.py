"""Fixtures of the Shopee tests."""
from __future__ import annotations

import pytest

from mockserver.testing.inbox import WebhookInbox
from tests.shopee.push_support import check_schema
from tests.support.browser import browser, playwright_driver  # noqa: F401 (test_auth_page_browser.py)


@pytest.fixture
def inbox():
    """A WebhookInbox for one test. At the end, every request it received must be a Shopee push that
    validates against its code's schema (contracts/shopee/push/<code>.schema.json)."""
    with WebhookInbox() as box:
        yield box
        assert box.errors == []
        for received in box.received:
            check_schema(received)
