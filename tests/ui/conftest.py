"""The console's browser tests use the shared Chromium fixtures (tests/support/browser.py)."""
from tests.support.browser import browser, playwright_driver, screenshots  # noqa: F401
