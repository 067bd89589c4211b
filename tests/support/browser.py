"""Headless Chromium for the browser tests, driven by Playwright: Debian's /usr/bin/chromium (nothing
is downloaded: never `playwright install`), a fresh profile per test, loopback only.

A conftest.py imports the fixtures (tests/ui/conftest.py, tests/shopee/conftest.py); its tests
mark themselves `requires_chromium` and skip, saying why, where Chromium or Playwright is missing.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterator

import pytest

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium's own connections (updates, sync, field
# trials) are refused here and slow every start; --no-sandbox because the tests run as root.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--no-proxy-server"]
VIEWPORT = {"width": 1366, "height": 900}  # a laptop screen
# Auto-waiting bound of every action and expectation: generous for a busy 2-core machine. A test
# never sleeps: it waits for what the page shows (expect(...).to_have_text and the like).
TIMEOUT_MS = 30_000
SCREENSHOTS_ENV = "SHOP_SANDBOX_SCREENSHOTS"  # a folder to write the screenshots to (docs/screenshots)


def _skip_reason() -> str | None:
    if not os.path.exists(CHROMIUM):
        return f"{CHROMIUM} is absent: apt-get install -y chromium (.ci/run does)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed: pip install -e '.[test]'"
    return None


requires_chromium = pytest.mark.skipif(_skip_reason() is not None, reason=_skip_reason() or "")


# One Playwright driver per process: each test module that imports the fixture registers a session
# fixture of its own, and a second driver cannot start while the first one's loop runs.
_SHARED: dict[str, Any] = {"driver": None, "users": 0}


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Any]:
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    if _SHARED["driver"] is None:
        _SHARED["driver"] = sync_playwright().start()
    _SHARED["users"] += 1
    try:
        yield _SHARED["driver"]
    finally:
        _SHARED["users"] -= 1
        if not _SHARED["users"]:
            driver, _SHARED["driver"] = _SHARED["driver"], None
            driver.stop()


@pytest.fixture
def browser(playwright_driver: Any, tmp_path: Path) -> Iterator[Any]:
    """A page of a fresh headless Chromium (its own --user-data-dir), on a laptop-sized screen."""
    context = playwright_driver.chromium.launch_persistent_context(
        str(tmp_path / "chromium-profile"), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
        viewport=VIEWPORT, locale="en-US", timezone_id="UTC")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.pages[0] if context.pages else context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()
    assert errors == [], f"the page's script failed: {errors}"


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the tests save screenshots of the main pages: a folder of this run (its path is in
    the test's output), or $SHOP_SANDBOX_SCREENSHOTS (e.g. docs/screenshots, to refresh the README's)."""
    folder = Path(os.environ.get(SCREENSHOTS_ENV) or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder
