"""The shop-sandbox pytest plugin (entry point `pytest11: shop_sandbox`, installed with the package).

Fixtures: `shop_sandbox` (a live sandbox, reset before each test), `sandbox_clock`, `shopee_shop`,
`oneshop_account`, `shopline_app`, `webhook_inbox`; config fixtures to override:
`shop_sandbox_settings`, `shop_sandbox_url`, `shop_sandbox_seed`, `webhook_inbox_host`,
`webhook_inbox_public_host`. The marker `shop_sandbox(seed=, now=, frozen=, world=, snapshot=)` sets
one test's world (world: a world file posted after the reset, plugin/world.py; snapshot: a JSON file
from GET /_sandbox/snapshot, or the document, restored after the reset); `shop_sandbox.snapshot()`
and `shop_sandbox.restore(doc_or_path)` do it by hand.

Modes. By default each pytest process (each pytest-xdist worker, since session fixtures run per
worker) starts its own server on a free port in a daemon thread, so workers never share state.
With --shop-sandbox-url / SHOP_SANDBOX_URL the tests use a running sandbox (a CI service container);
its state is shared, so under xdist give one URL per worker (comma-separated).

Exceptions raised inside the in-thread server are re-raised in the test that caused them; an
external server's are read from GET /_sandbox/errors and raised as SandboxCrash (the server's
traceback as text).

Imports stay light: flask and the worlds load when a test first asks for a sandbox.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from mockserver.plugin.platforms import OneshopAccount, ShopeeShop, ShoplineApp
from mockserver.plugin.sandbox import (
    THREAD,
    SandboxClock,
    ShopSandbox,
    raise_server_errors,
)

URL_ENV = "SHOP_SANDBOX_URL"
SEED_ENV = "SHOP_SANDBOX_SEED"  # the same variable `shop-sandbox serve` reads
MARKER_FIELDS = ("seed", "now", "frozen", "world", "snapshot")
DEFAULT_SEED = 42  # mockserver.settings.Settings.seed


# ---- options, marker, header -----------------------------------------------------------------------
def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("shop-sandbox", "shop-sandbox (local Shopee / 1shop / SHOPLINE sandbox)")
    group.addoption("--shop-sandbox-url", dest="shop_sandbox_url", default=None, metavar="URL[,URL...]",
                    help=f"use a running sandbox instead of starting one (env {URL_ENV}); under pytest-xdist "
                         "give one URL per worker, comma-separated")
    group.addoption("--shop-sandbox-seed", dest="shop_sandbox_seed", default=None, type=int, metavar="N",
                    help=f"the seed each test's world is rebuilt from (env {SEED_ENV}; default "
                         f"{DEFAULT_SEED}, or the running sandbox's own seed)")
    parser.addini("shop_sandbox_url", "like --shop-sandbox-url", default="")
    parser.addini("shop_sandbox_seed", "like --shop-sandbox-seed", default="")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "shop_sandbox(seed=None, now=None, frozen=False, world=None, snapshot=None): the world "
                   "this test starts with: the seed to rebuild from, the sandbox clock (now: unix time; frozen: "
                   "stopped), a world file or directory laid over it (world: a path, relative to the rootdir), "
                   "and a snapshot file (GET /_sandbox/snapshot) restored after the reset")


def _configured_urls(config: pytest.Config) -> list[str]:
    raw = config.getoption("shop_sandbox_url") or os.environ.get(URL_ENV) or config.getini("shop_sandbox_url")
    return [u.strip().rstrip("/") for u in (raw or "").split(",") if u.strip()]


def _configured_seed(config: pytest.Config) -> int | None:
    value = config.getoption("shop_sandbox_seed")
    if value is not None:
        return value
    raw = os.environ.get(SEED_ENV) or config.getini("shop_sandbox_seed")
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise pytest.UsageError(f"shop-sandbox seed {raw!r} is not an integer") from None


def pytest_report_header(config: pytest.Config) -> str:
    urls = _configured_urls(config)
    where = (f"running sandbox at {', '.join(urls)}" if urls
             else "in-thread server, started by the first test that uses it (one per xdist worker)")
    return f"shop-sandbox: {where}"


# ---- errors raised in the server thread -------------------------------------------------------------
def _sandbox_of(item: pytest.Item) -> ShopSandbox | None:
    sandbox = getattr(item, "funcargs", {}).get("shop_sandbox")
    return sandbox if isinstance(sandbox, ShopSandbox) else None


def _reraise_server_errors(item: pytest.Item, when: str) -> Iterator[None]:
    """Around a test phase: when the in-thread server recorded exceptions meanwhile, the phase fails
    with the first (chained to the test's own failure, if any)."""
    __tracebackhide__ = True
    try:
        result = yield
    except BaseException:
        sandbox = _sandbox_of(item)
        if sandbox is not None:
            raise_server_errors(sandbox.new_errors(), when)  # raised here, the test's error is its context
        raise
    sandbox = _sandbox_of(item)
    if sandbox is not None:
        raise_server_errors(sandbox.new_errors(), when)
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    __tracebackhide__ = True
    return (yield from _reraise_server_errors(item, "while this test's fixtures were set up"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    __tracebackhide__ = True
    return (yield from _reraise_server_errors(item, "during this test"))


# ---- config fixtures (override them in a conftest.py) -----------------------------------------------
@pytest.fixture(scope="session")
def shop_sandbox_url(request: pytest.FixtureRequest) -> str | None:
    """The running sandbox this worker uses, or None to start one in a thread."""
    urls = _configured_urls(request.config)
    if not urls:
        return None
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # gw0, gw1 ... under pytest-xdist
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") or 1)
    index = int(worker[2:]) if worker.startswith("gw") and worker[2:].isdigit() else 0
    if workers > 1 and len(urls) < workers:
        pytest.fail(f"shop-sandbox: {workers} xdist workers but {len(urls)} sandbox URL(s): workers sharing a "
                    "sandbox reset each other's world. Give one URL per worker (comma-separated) or "
                    "drop --shop-sandbox-url / SHOP_SANDBOX_URL to start a server in each worker.", pytrace=False)
    return urls[index]


@pytest.fixture(scope="session")
def shop_sandbox_seed(request: pytest.FixtureRequest) -> int | None:
    """The seed of every test's world (None: the in-thread default, or the running sandbox's seed)."""
    return _configured_seed(request.config)


@pytest.fixture(scope="session")
def shop_sandbox_settings(shop_sandbox_seed: int | None) -> Any:
    """mockserver.settings.Settings of the in-thread server (not used with a URL). Keep port=0 (a
    free port). clock_start / clock_frozen are where every test's clock starts."""
    from mockserver.settings import Settings

    return Settings(host="127.0.0.1", port=0, seed=DEFAULT_SEED if shop_sandbox_seed is None else shop_sandbox_seed)


@pytest.fixture(scope="session")
def webhook_inbox_host() -> str:
    """The address webhook_inbox listens on (0.0.0.0 when a container must reach it)."""
    return "127.0.0.1"


@pytest.fixture(scope="session")
def webhook_inbox_public_host(webhook_inbox_host: str) -> str:
    """The host name the sandbox sends to (e.g. host.docker.internal for a container)."""
    return webhook_inbox_host


# ---- the sandbox ------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def shop_sandbox_session(shop_sandbox_url: str | None, shop_sandbox_seed: int | None,
                         request: pytest.FixtureRequest) -> Iterator[ShopSandbox]:
    """The session's sandbox, not reset: for session-scoped fixtures of your own."""
    if shop_sandbox_url is not None:
        sandbox = ShopSandbox.external(shop_sandbox_url, shop_sandbox_seed)
        try:
            yield sandbox
        finally:
            sandbox.close()
        return
    settings = request.getfixturevalue("shop_sandbox_settings")
    sandbox = ShopSandbox.in_thread(settings)
    try:
        yield sandbox
    finally:
        sandbox.close()


def _world_of(node: pytest.Item) -> dict[str, Any]:
    marker = node.get_closest_marker("shop_sandbox")
    if marker is None:
        return {}
    # A misspelt keyword must not silently give the test the default world.
    if marker.args:
        pytest.fail(f"mark.shop_sandbox takes keywords only ({', '.join(MARKER_FIELDS)})", pytrace=False)
    unknown = sorted(set(marker.kwargs) - set(MARKER_FIELDS))
    if unknown:
        pytest.fail(f"mark.shop_sandbox has no {unknown[0]!r}; known: {', '.join(MARKER_FIELDS)}", pytrace=False)
    return dict(marker.kwargs)


def _snapshot_path(request: pytest.FixtureRequest, path: Any) -> Any:
    """A relative path is looked for next to the test's file first, then from the working directory."""
    if isinstance(path, dict) or os.path.isabs(str(path)):
        return path
    beside = request.node.path.parent / str(path)
    return beside if beside.exists() else path


@pytest.fixture
def shop_sandbox(shop_sandbox_session: ShopSandbox, request: pytest.FixtureRequest) -> Iterator[ShopSandbox]:
    """The sandbox, its world rebuilt from the seed and its clock back at real time (or as the
    test's shop_sandbox marker says) before the test."""
    sandbox = shop_sandbox_session
    world = _world_of(request.node)
    sandbox.mark_errors_seen()
    try:
        sandbox.prepare(seed=world.get("seed"), now=world.get("now"), frozen=world.get("frozen"))
        if world.get("snapshot") is not None:  # after the reset: the test starts in the saved world
            sandbox.restore(_snapshot_path(request, world["snapshot"]))
    except AssertionError:
        raise_server_errors(sandbox.new_errors(), "while the sandbox was reset for this test")
        raise
    if world.get("world") is not None:
        from mockserver.plugin.world import lay_over

        lay_over(sandbox, str(world["world"]), request.node)
        sandbox._credentials = None  # read again: the document may hold what a helper looks up
    yield sandbox
    # What crashed after the test body (in other fixtures' teardown) is reported here.
    raise_server_errors(sandbox.new_errors(), "while this test's fixtures were torn down")


@pytest.fixture
def sandbox_clock(shop_sandbox: ShopSandbox) -> SandboxClock:
    """The sandbox clock: .now(), .freeze(), .unfreeze(), .advance(seconds), .set(unix), .real_time()."""
    return shop_sandbox.clock


@pytest.fixture
def shopee_shop(shop_sandbox: ShopSandbox) -> ShopeeShop:
    """A new TW shop with no orders, authorised to the default partner (ERP System app)."""
    return ShopeeShop.create(shop_sandbox)


@pytest.fixture
def oneshop_account(shop_sandbox: ShopSandbox) -> OneshopAccount:
    """A new 1shop enterprise account with no orders (10 requests per 10 s, like 1shop)."""
    return OneshopAccount.create(shop_sandbox)


@pytest.fixture
def shopline_app(shop_sandbox: ShopSandbox) -> ShoplineApp:
    """The default SHOPLINE app, merchant and global shop, with no subscriptions yet."""
    return ShoplineApp(shop_sandbox)


@pytest.fixture
def webhook_inbox(webhook_inbox_host: str, webhook_inbox_public_host: str) -> Iterator[Any]:
    """A mockserver.testing.WebhookInbox on a free port (its .url, .received, .wait_for ...), closed
    after the test; errors in its handler threads fail the test at teardown."""
    from mockserver.testing import WebhookInbox

    inbox = WebhookInbox(host=webhook_inbox_host)
    inbox.host = webhook_inbox_public_host  # only .url / .url_for read it: the socket is bound already
    try:
        yield inbox
    finally:
        inbox.close()
    if inbox.errors:
        raise inbox.errors[0]


__all__ = ["THREAD", "OneshopAccount", "SandboxClock", "ShopSandbox", "ShopeeShop", "ShoplineApp"]
