"""An exception raised inside the in-thread server fails the test whose request caused it, with
the server-side traceback; the next test is not blamed for it."""
from __future__ import annotations

from tests.plugin.conftest import run

# In the inner conftest.py, not the test module: pytest starts a traceback at the test module's
# first frame, which would hide the server's frames above a function defined there.
BROKEN_RENDERER = """
    import pytest
    import mockserver.shopee.render

    def broken_order_detail(order, optional):
        raise ZeroDivisionError("renderer bug")

    @pytest.fixture
    def broken(monkeypatch):
        monkeypatch.setattr(mockserver.shopee.render, "order_detail", broken_order_detail)

    @pytest.fixture
    def detail():
        return lambda shop, order_sn: shop.client.get("order/get_order_detail", {"order_sn_list": [order_sn]})
"""


def test_a_server_exception_fails_the_test_that_caused_it_and_only_that_one(project):
    project.makeconftest(BROKEN_RENDERER)
    project.makepyfile("""
    def test_ignores_the_answer(shopee_shop, broken, detail):
        detail(shopee_shop, shopee_shop.create_order())  # a 500 the test does not look at

    def test_next(shopee_shop, detail):
        assert detail(shopee_shop, shopee_shop.create_order()).ok
    """)
    result = run(project)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([
        "*_ test_ignores_the_answer _*",
        "*mockserver/shopee/orders.py*",  # the traceback goes through the server's own frames
        "*raise ZeroDivisionError(\"renderer bug\")*",
        "E*ZeroDivisionError: renderer bug",
        "E*shop-sandbox: while answering GET /api/v2/order/get_order_detail",
        "E*shop-sandbox: raised inside the sandbox server thread during this test",
    ])


def test_the_test_own_failure_is_shown_with_the_server_exception(project):
    project.makeconftest(BROKEN_RENDERER)
    project.makepyfile("""
    def test_checks_the_answer(shopee_shop, broken, detail):
        answer = detail(shopee_shop, shopee_shop.create_order())
        assert answer.json()["error"] == "", "the client saw the 500"
    """)
    result = run(project)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "*AssertionError: the client saw the 500*",
        "*During handling of the above exception, another exception occurred*",
        "E*ZeroDivisionError: renderer bug",
    ])


def test_a_server_exception_in_a_fixture_teardown_errors_that_test(project):
    project.makeconftest(BROKEN_RENDERER)
    project.makepyfile("""
    import pytest

    @pytest.fixture
    def looks_at_the_order_afterwards(shopee_shop, broken, detail):
        order_sn = shopee_shop.create_order()
        yield order_sn
        detail(shopee_shop, order_sn)

    def test_body_passes(looks_at_the_order_afterwards):
        pass
    """)
    result = run(project)
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*ERROR at teardown of test_body_passes*",
                                 ("E*shop-sandbox: raised inside the sandbox server thread while this "
                                  "test's fixtures were torn down")])


def test_a_crash_of_a_running_sandbox_fails_the_test_with_its_traceback(project):
    """In another process the exception cannot be re-raised: GET /_sandbox/errors gives its type,
    message and traceback, which fail the test that caused it, and only that one."""
    from mockserver.app import create_app
    from mockserver.server import BackgroundServer
    from mockserver.settings import Settings

    project.makeconftest(BROKEN_RENDERER)
    project.makepyfile("""
    def test_ignores_the_answer(shopee_shop, broken, detail):
        assert shop_is_external(shopee_shop)
        detail(shopee_shop, shopee_shop.create_order())

    def test_next(shopee_shop, detail):
        assert detail(shopee_shop, shopee_shop.create_order()).ok

    def shop_is_external(shop):
        return shop.sandbox.app is None
    """)
    with BackgroundServer(create_app(Settings(port=0, seed=3))) as running:
        result = run(project, "--shop-sandbox-url", running.url)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([
        "*_ test_ignores_the_answer _*",
        "E*SandboxCrash: ZeroDivisionError: renderer bug",
        "*shop-sandbox: while answering GET /api/v2/order/get_order_detail; the server's traceback:",
        "*raise ZeroDivisionError(\"renderer bug\")*",
        "*shop-sandbox: raised in the sandbox's process during this test*",
    ])
