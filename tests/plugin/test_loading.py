"""The plugin is found through its pytest11 entry point: a project with no conftest.py gets the fixtures."""
from __future__ import annotations

from importlib.metadata import entry_points

from tests.plugin.conftest import run

USES_EVERY_FIXTURE = """
    def test_every_fixture(shop_sandbox, sandbox_clock, shopee_shop, oneshop_account, shopline_app,
                           webhook_inbox):
        assert shop_sandbox.mode == "thread" and shop_sandbox.app is not None
        assert shop_sandbox.url.startswith("http://127.0.0.1:")
        assert sandbox_clock.now() > 0
        assert shopee_shop.client.get("shop/get_shop_info").json()["error"] == ""
        assert oneshop_account.client.orders().json()["success"] == 0
        assert shopline_app.openapi.list_webhooks().status == 200
        assert webhook_inbox.url.startswith("http://127.0.0.1:")
"""


def test_the_package_declares_the_pytest11_entry_point():
    found = {ep.name: ep.value for ep in entry_points(group="pytest11")}
    assert found.get("shop_sandbox") == "mockserver.pytest_plugin"


def test_a_project_without_conftest_gets_every_fixture_from_the_entry_point(project):
    project.makepyfile(USES_EVERY_FIXTURE)
    result = run(project)
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["shop-sandbox: in-thread server, started by the first test that uses it*"])


def test_disabling_the_entry_point_by_name_removes_the_fixtures(project):
    project.makepyfile(USES_EVERY_FIXTURE)
    result = run(project, "-p", "no:shop_sandbox")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'shop_sandbox' not found*"])


def test_help_lists_the_options(project):
    result = run(project, "--help")
    result.stdout.fnmatch_lines(["*--shop-sandbox-url=URL*", "*--shop-sandbox-seed=N*"])


def test_loading_the_plugin_does_not_load_flask():
    """pytest imports the plugin in every run where the package is installed: Flask and the
    worlds load only when a test asks for a sandbox."""
    import subprocess
    import sys

    code = "import sys, mockserver.pytest_plugin; print(sorted(m for m in ('flask', 'mockserver.app') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
