"""Shared fixtures: a fresh in-process sandbox per test, and a live waitress server over HTTP."""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile

import pytest
import requests

from mockserver.app import create_app
from mockserver.server import BackgroundServer
from mockserver.settings import Settings
from tests.support.clients import SandboxClient

# A fixed instant for the frozen sandbox clock: 2026-11-18 11:06:40 UTC.
T0 = 1_795_000_000
SEED = 7

# Faker's pools (core/faker_cache.py) go to a cache of this session, not the user's: a test run
# leaves nothing behind in ~/.cache. Servers the tests start inherit it.
if "SHOP_SANDBOX_CACHE_DIR" not in os.environ:
    os.environ["SHOP_SANDBOX_CACHE_DIR"] = _CACHE = tempfile.mkdtemp(prefix="shop-sandbox-test-cache-")
    atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)


def make_settings(**overrides) -> Settings:
    values = dict(seed=SEED, clock_start=T0, clock_frozen=True)
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def app():
    return create_app(make_settings())


@pytest.fixture
def sandbox(app) -> SandboxClient:
    """In-process client of a fresh sandbox with a frozen clock at T0."""
    return SandboxClient(flask_client=app.test_client())


@pytest.fixture(scope="session")
def live_server():
    """One real waitress server for the session; tests reset it through the admin API."""
    server = BackgroundServer(create_app(make_settings()), port=0).start()
    yield server
    server.close()


@pytest.fixture
def live(live_server) -> SandboxClient:
    session = requests.Session()
    client = SandboxClient(base_url=live_server.url, session=session)
    # Clock first: the reset world is built around the clock's time.
    client.admin("POST", "/clock", {"freeze": True, "now": T0})
    client.admin("POST", "/reset", {"seed": SEED})
    yield client
    session.close()
