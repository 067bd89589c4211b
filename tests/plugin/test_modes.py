"""--shop-sandbox-url / SHOP_SANDBOX_URL point the fixtures at a running sandbox; under pytest-xdist
each worker needs its own (the in-thread mode gives each worker a server of its own)."""
from __future__ import annotations

import pytest

from mockserver.app import create_app
from mockserver.clients import AdminClient
from mockserver.server import BackgroundServer
from mockserver.settings import Settings
from tests.plugin.conftest import run

USES_THE_SANDBOX = """
    import os

    def test_uses_the_running_sandbox(shop_sandbox, shopee_shop):
        assert shop_sandbox.mode == "external" and shop_sandbox.app is None
        assert shop_sandbox.admin.health()["seed"] == 11  # the running sandbox's own seed
        with open(os.environ["SHOP_ID_FILE"], "w") as out:
            out.write(str(shopee_shop.shop_id))
"""


@pytest.fixture(scope="module")
def running():
    """A sandbox started before the tests, as a CI service container would be."""
    server = BackgroundServer(create_app(Settings(port=0, seed=11))).start()
    yield server
    server.close()


def _shop_made_there(running, project) -> None:
    shop_id = (project.path / "shop_id.txt").read_text()
    assert AdminClient(running.url).get(f"/shopee/shops/{shop_id}")["shop_id"] == int(shop_id)


@pytest.mark.parametrize("how", ["option", "env"])
def test_the_fixtures_use_the_sandbox_the_url_names(project, running, monkeypatch, how):
    monkeypatch.setenv("SHOP_ID_FILE", str(project.path / "shop_id.txt"))
    project.makepyfile(USES_THE_SANDBOX)
    if how == "env":
        monkeypatch.setenv("SHOP_SANDBOX_URL", running.url)
        result = run(project)
    else:
        result = run(project, "--shop-sandbox-url", running.url)
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines([f"shop-sandbox: running sandbox at {running.url}"])
    _shop_made_there(running, project)


def test_each_xdist_worker_takes_its_own_url(project, running, monkeypatch):
    # What pytest-xdist sets in its second worker of two.
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw1")
    monkeypatch.setenv("PYTEST_XDIST_WORKER_COUNT", "2")
    monkeypatch.setenv("SHOP_ID_FILE", str(project.path / "shop_id.txt"))
    project.makepyfile(USES_THE_SANDBOX)
    run(project, "--shop-sandbox-url", f"http://127.0.0.1:9,{running.url}").assert_outcomes(passed=1)
    _shop_made_there(running, project)


def test_xdist_workers_sharing_one_url_are_refused(project, running, monkeypatch):
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw0")
    monkeypatch.setenv("PYTEST_XDIST_WORKER_COUNT", "2")
    project.makepyfile("def test_x(shop_sandbox): pass")
    result = run(project, "--shop-sandbox-url", running.url)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*2 xdist workers but 1 sandbox URL(s)*one URL per worker*"])


def test_a_url_where_no_sandbox_answers_fails_with_the_url_named(project):
    with BackgroundServer(lambda environ, start: [], port=0) as placeholder:
        url = placeholder.url  # a port that was free a moment ago and is closed again
    project.makepyfile("def test_x(shop_sandbox): pass")
    result = run(project, "--shop-sandbox-url", url)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([f"*no shop-sandbox answers at {url}*"])


def test_a_running_sandbox_is_left_with_the_seed_it_had(project, running):
    project.makepyfile("""
        import pytest

        @pytest.mark.shop_sandbox(seed=3)
        def test_marked(shop_sandbox):
            assert shop_sandbox.admin.health()["seed"] == 3
    """)
    run(project, "--shop-sandbox-url", running.url, "--shop-sandbox-seed", "4").assert_outcomes(passed=1)
    assert AdminClient(running.url).health()["seed"] == 11


SUITES_AGAINST_IT = """
    from mockserver.contract_suites import OneshopOrderSyncSuite, ShoplineReceiverSuite
    from mockserver.testing import serve_wsgi

    def poll(ctx):
        from mockserver.clients import OneshopClient
        client = OneshopClient(ctx.credentials["base_url"], ctx.credentials["appid"], ctx.credentials["secret"])
        orders, page, pages = {}, 1, 1
        while page <= pages:
            answer = client.orders(page)
            if answer.status == 429 or answer.status >= 500:
                ctx.sleep(float(answer.headers.get("Retry-After") or 1))
                continue
            data = answer.json()["data"]
            pages = data["page"]["total_page"]
            orders.update({o["order_number"]: o["progress_status"] for o in data["order"]})
            page += 1
        return orders

    def test_order_sync_suite(shop_sandbox):
        assert shop_sandbox.mode == "external"
        assert OneshopOrderSyncSuite(shop_sandbox, max_examples=2).run(poll) == 3

    def test_receiver_suite(shop_sandbox, shopline_app):
        import hashlib, hmac, json
        events = []

        def receiver(environ, start_response):  # the global flavour: HMAC of the body, dedupe by id
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            import base64
            mac = hmac.new(shopline_app.shop_secret.encode(), body, hashlib.sha256).digest()
            given = environ.get("HTTP_X_SHOPLINE_HMAC_SHA256", "")
            shop = environ.get("HTTP_X_SHOPLINE_SHOP_ID", "")
            if given not in (mac.hex(), base64.b64encode(mac).decode()) or shop != str(shopline_app.shop_id):
                start_response("401 Unauthorized", [("Content-Length", "0")])
                return [b""]
            webhook_id = environ.get("HTTP_X_SHOPLINE_WEBHOOK_ID")
            if webhook_id not in {e[0] for e in events}:
                events.append((webhook_id, json.loads(body)))
            start_response("200 OK", [("Content-Length", "0")])
            return [b""]

        with serve_wsgi(receiver) as url:
            report = ShoplineReceiverSuite(shop_sandbox, shopline_app, flavour="global", max_examples=1).run(
                url + "/global", processed=lambda: [e[1] for e in events])
        assert report.passed
"""


def test_the_contract_suites_run_against_a_running_sandbox(project, running):
    """Everything the suites do goes through the admin API (faults, clock, tenants, triggers), so
    they work against a sandbox in another process as well as in-thread."""
    project.makepyfile(SUITES_AGAINST_IT)
    result = run(project, "--shop-sandbox-url", running.url)
    result.assert_outcomes(passed=2)
