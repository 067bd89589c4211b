"""tests/plugin: the pytest plugin (mockserver/pytest_plugin.py and mockserver/plugin/).

Fixture behaviour is tested by using the fixtures here (the plugin is loaded through its entry
point in this process too); what needs a pytest session of its own (loading, reset between tests,
options, server crashes, the README example) runs a small project with pytester.

The pytester fixture comes from `-p pytester` in pyproject.toml's addopts, not from
`pytest_plugins` here: pytest refuses `pytest_plugins` in a conftest.py below the top level when
the whole suite runs.
"""
from __future__ import annotations

import importlib
import pkgutil

import pytest

import mockserver

# Every mockserver module imported now, in this process. pytester's in-process runs remove from
# sys.modules whatever was first imported during a run; the next run would then import part of the
# package again (a second Shopee API registry next to the old modules) and fail in odd ways.
for _module in pkgutil.walk_packages(mockserver.__path__, "mockserver."):
    if not _module.name.endswith("__main__"):  # that one runs the CLI
        importlib.import_module(_module.name)

# Variables that would point an inner pytest run somewhere else than the test means.
_OUTSIDE = ("SHOP_SANDBOX_URL", "SHOP_SANDBOX_SEED", "PYTEST_XDIST_WORKER", "PYTEST_XDIST_WORKER_COUNT",
            "PYTEST_ADDOPTS")


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A pytester project whose inner runs see none of this run's sandbox or xdist settings."""
    for name in _OUTSIDE:
        monkeypatch.delenv(name, raising=False)
    return pytester


def run(project: pytest.Pytester, *args: str) -> pytest.RunResult:
    """The project's tests, in this process (a fraction of a second, against ~1 s for a subprocess)."""
    return project.runpytest_inprocess("-p", "no:cacheprovider", *args)


@pytest.fixture
def sandbox_url(shop_sandbox_session) -> str:
    """This run's own sandbox, lent to inner runs (--shop-sandbox-url) that need not start one:
    an in-thread server takes about a second to start and stop, this costs nothing."""
    return shop_sandbox_session.url
