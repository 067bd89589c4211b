"""Test helpers for the sample integration: a loopback server for the receivers, and a look at the
sandbox's request journal.

The shop-sandbox fixtures (shop_sandbox, shopee_shop, oneshop_account, shopline_app, sandbox_clock)
come from the package's pytest plugin, loaded by its entry point. Failures come from the sandbox
itself (shop_sandbox.inject_fault): no proxy sits between the clients and the sandbox.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import pytest

from mockserver import testing


@pytest.fixture
def serve_wsgi(webhook_inbox_host: str, webhook_inbox_public_host: str) -> Iterator[Callable[[Any], str]]:
    """serve_wsgi(app) -> "http://<host>:<port>": the WSGI app on a free port (the package's
    mockserver.testing.serve_wsgi), stopped after the test. It listens where the plugin's
    webhook_inbox does and is reached by the same public host name, so a sandbox running in a
    container can deliver to it too."""
    with ExitStack() as stack:
        yield lambda app: stack.enter_context(
            testing.serve_wsgi(app, host=webhook_inbox_host, public_host=webhook_inbox_public_host))


@pytest.fixture
def journal(shop_sandbox: Any) -> Callable[..., list[dict[str, Any]]]:
    """journal(path, **query) -> the sandbox's record of the platform requests to `path` (exact, or a
    prefix ending in *), oldest first, kept when their query has these values (shop_id=..., page="2")."""
    def requests_to(path: str, **query: str) -> list[dict[str, Any]]:
        return [entry for entry in shop_sandbox.requests(path)
                if all(entry["query"].get(name) == value for name, value in query.items())]

    return requests_to
