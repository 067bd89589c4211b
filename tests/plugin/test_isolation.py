"""Every test starts from the seed's world with the clock at real time: what one test creates or
changes is gone in the next; the marker and the settings fixture choose another start."""
from __future__ import annotations

from tests.plugin.conftest import run

T0 = 1_795_000_000


def test_state_a_test_creates_is_gone_in_the_next_test(project, sandbox_url):
    project.makepyfile("""
        import time
        import pytest
        from mockserver.clients import AdminApiError

        made = {}

        def test_one_changes_everything(shop_sandbox, shopee_shop, oneshop_account, shopline_app,
                                        webhook_inbox, sandbox_clock):
            made["order_sn"] = shopee_shop.create_order()
            made["shop_id"] = shopee_shop.shop_id
            made["appid"] = oneshop_account.appid
            shop_sandbox.admin.post("/shopee/settings", {"tracking_delay_seconds": 600})
            shopline_app.subscribe(webhook_inbox, ["order/create"])
            sandbox_clock.freeze()
            sandbox_clock.set(1_700_000_000)

        def test_two_finds_none_of_it(shop_sandbox, sandbox_clock, shopline_app):
            for path in (f"/shopee/orders/{made['order_sn']}", f"/shopee/shops/{made['shop_id']}",
                         f"/oneshop/accounts/{made['appid']}"):
                with pytest.raises(AdminApiError) as gone:
                    shop_sandbox.admin.get(path)
                assert gone.value.status == 404
            assert shop_sandbox.admin.get("/shopee/settings")["tracking_delay_seconds"] == 0
            assert shopline_app.subscriptions() == {"openapi": [], "global": []}
            assert shop_sandbox.deliveries() == []
            clock = sandbox_clock.state()
            assert not clock["frozen"] and abs(clock["now"] - time.time()) < 5
    """)
    run(project, "--shop-sandbox-url", sandbox_url).assert_outcomes(passed=2)


def test_every_test_rebuilds_the_world_from_the_seed_option(project, sandbox_url):
    project.makepyfile("""
        import pytest

        seen = []

        def test_one(shop_sandbox):
            seen.append(shop_sandbox.credentials()["shopee"])
            shop_sandbox.reset(seed=99)  # a test may rebuild another world; the next starts over

        def test_two(shop_sandbox):
            assert shop_sandbox.admin.health()["seed"] == 5
            assert shop_sandbox.credentials()["shopee"] == seen[0]

        @pytest.mark.shop_sandbox(seed=6)
        def test_three_marked(shop_sandbox):
            assert shop_sandbox.admin.health()["seed"] == 6
            assert shop_sandbox.credentials()["shopee"]["partner_key"] != seen[0]["partner_key"]
    """)
    run(project, "--shop-sandbox-url", sandbox_url, "--shop-sandbox-seed", "5").assert_outcomes(passed=3)


def test_the_marker_starts_a_test_on_a_frozen_clock_and_the_world_is_built_around_it(project, sandbox_url):
    project.makepyfile(f"""
        import time
        import pytest

        @pytest.mark.shop_sandbox(now={T0}, frozen=True)
        def test_frozen(shop_sandbox, sandbox_clock):
            assert sandbox_clock.state()["frozen"] and sandbox_clock.now() == {T0}
            orders = shop_sandbox.state()["shopee"]["orders"]
            assert orders and max(o["create_time"] for o in orders) <= {T0}

        @pytest.mark.shop_sandbox(now={T0})
        def test_running_from_t0(sandbox_clock):
            state = sandbox_clock.state()
            assert not state["frozen"] and {T0} <= state["now"] < {T0} + 5

        def test_unmarked(sandbox_clock):
            assert abs(sandbox_clock.now() - time.time()) < 5

        @pytest.mark.shop_sandbox(frozen_at={T0})
        def test_misspelt(shop_sandbox):
            pass
    """)
    result = run(project, "--shop-sandbox-url", sandbox_url)
    result.assert_outcomes(passed=3, errors=1)
    result.stdout.fnmatch_lines(["*mark.shop_sandbox has no 'frozen_at'; known: seed, now, frozen*"])


def test_overriding_the_settings_fixture_changes_the_in_thread_world(project):
    project.makeconftest(f"""
        import pytest

        @pytest.fixture(scope="session")
        def shop_sandbox_settings(shop_sandbox_settings):
            return shop_sandbox_settings.replace(seed=3, shopee_order_count=4, clock_start={T0},
                                                 clock_frozen=True)
    """)
    project.makepyfile(f"""
        def test_one(shop_sandbox, sandbox_clock):
            assert shop_sandbox.admin.health()["seed"] == 3
            assert len(shop_sandbox.state()["shopee"]["orders"]) == 4
            assert sandbox_clock.now() == {T0}
            sandbox_clock.advance(3600)

        def test_two_starts_there_again(sandbox_clock):
            assert sandbox_clock.now() == {T0} and sandbox_clock.state()["frozen"]
    """)
    run(project).assert_outcomes(passed=2)
