"""@pytest.mark.shop_sandbox(world=...): the test's world has the file's records and credentials;
the next test's reset drops them; a bad file fails the test with every location."""
from __future__ import annotations

import pytest

from tests.plugin.conftest import run
from tests.world.support import SHOP_ID, shopee_get


@pytest.mark.shop_sandbox(world="tests/world/world.yaml")
def test_the_marker_lays_the_world_file_over_the_reset_world(shop_sandbox) -> None:
    info = shopee_get(shop_sandbox.url, "/api/v2/shop/get_shop_info")
    assert info.get("error") in ("", None) and info["shop_name"] == "測試世界小舖", info
    assert SHOP_ID in {s["shop_id"] for s in shop_sandbox.credentials()["shopee"]["shops"]}


@pytest.mark.shop_sandbox(world="../world/world.yaml")  # from the test file's directory (not the rootdir's)
def test_a_path_next_to_the_test_file(shop_sandbox) -> None:
    assert shop_sandbox.admin.get(f"/shopee/shops/{SHOP_ID}")["region"] == "TW"


PROJECT = """
    import pytest

    @pytest.mark.shop_sandbox(world="world.yaml")
    def test_with_the_world(shop_sandbox):
        assert shop_sandbox.admin.get("/oneshop/accounts/markerapp")["secret"] == "marker-secret"

    def test_without_it(shop_sandbox):
        from mockserver.clients.admin import AdminApiError
        with pytest.raises(AdminApiError):
            shop_sandbox.admin.get("/oneshop/accounts/markerapp")

    @pytest.mark.shop_sandbox(world="bad.yaml")
    def test_with_a_bad_world(shop_sandbox):
        pass

    @pytest.mark.shop_sandbox(world="clash.yaml")
    def test_with_a_world_the_sandbox_refuses(shop_sandbox):
        pass
"""


def test_reset_drops_the_marker_world_and_bad_files_fail_located(project, sandbox_url) -> None:
    project.makefile(".yaml", world="oneshop:\n  accounts: [{appid: markerapp, secret: marker-secret}]\n",
                     bad="oneshop:\n  accounts:\n    - {appid: 'no spaces'}\n",
                     clash="shopee:\n  shops: [{authorised_partners: [4242]}]\n")
    project.makepyfile(PROJECT)
    result = run(project, "-p", "no:randomly", "--shop-sandbox-url", sandbox_url)
    result.assert_outcomes(passed=2, errors=2)
    result.stdout.fnmatch_lines(["*bad.yaml:3: oneshop.accounts[[]0[]].appid: 'no spaces' does not match*",
                                 "*the sandbox refused it*",
                                 "*shopee.shops[[]0[]].authorised_partners[[]0[]]: partner 4242 is not a partner*"])
