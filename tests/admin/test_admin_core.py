"""The core admin API: health, reset, credentials, clock, state and its own contract."""
from __future__ import annotations

import json
import re
import time

import pytest
import yaml

from mockserver.app import create_app
from mockserver.resources import data_dir
from mockserver.settings import Settings
from tests.conftest import SEED, T0, make_settings
from tests.support.clients import SandboxClient

ADMIN_DOC = data_dir("contracts") / "admin" / "openapi.yaml"


def _client(**overrides) -> SandboxClient:
    return SandboxClient(flask_client=create_app(make_settings(**overrides)).test_client())


def _state(client: SandboxClient) -> dict:
    return client.admin("GET", "/state").body


# ---- health -----------------------------------------------------------------------------------
def test_health_answers_json_with_seed_platforms_and_sandbox_time(sandbox):
    answer = sandbox.admin("GET", "/health")
    assert answer.status == 200
    assert answer.headers["Content-Type"].startswith("application/json")
    assert answer.body["status"] == "ok"
    assert answer.body["seed"] == SEED
    assert "shopee" in answer.body["platforms"]
    assert answer.body["now"] == T0


# ---- reset ------------------------------------------------------------------------------------
def test_reset_restores_the_seeds_world(sandbox):
    before = _state(sandbox)
    shop_id = sandbox.creds["shop_id"]
    sandbox.admin("POST", "/shopee/partners", {"app_type": "Order Management"})
    sandbox.admin("POST", f"/shopee/shops/{shop_id}/orders", {"count": 3})
    sandbox.admin("POST", "/shopee/settings", {"tracking_delay_seconds": 60, "auto_progress": True})
    assert _state(sandbox) != before

    answer = sandbox.admin("POST", "/reset")
    assert answer.status == 200
    assert answer.body == {"status": "reset", "seed": SEED}
    assert _state(sandbox) == before
    assert sandbox.admin("GET", "/shopee/settings").body == {"tracking_delay_seconds": 0, "auto_progress": False,
                                                             "test_shop_limit": 8, "test_shop_days": 90}


def test_reset_with_a_seed_builds_another_world_and_keeps_that_seed(sandbox):
    before = _state(sandbox)
    assert sandbox.admin("POST", "/reset", {"seed": SEED + 1}).body["seed"] == SEED + 1
    other = _state(sandbox)
    assert other != before
    assert other["shopee"]["partners"][0]["partner_id"] != before["shopee"]["partners"][0]["partner_id"]
    assert sandbox.admin("GET", "/health").body["seed"] == SEED + 1
    sandbox.admin("POST", "/reset")  # no seed: the current one (SEED + 1)
    assert _state(sandbox) == other
    sandbox.admin("POST", "/reset", {"seed": SEED})
    assert _state(sandbox) == before


def test_reset_does_not_move_the_clock(sandbox):
    sandbox.admin("POST", "/clock", {"advance_seconds": 3600})
    sandbox.admin("POST", "/reset")
    assert sandbox.now() == T0 + 3600


@pytest.mark.parametrize("body", [{"seed": "8"}, {"seed": True}, {"seed": 1.5}, {"sead": 8}])
def test_reset_rejects_a_bad_seed_and_keeps_the_world(sandbox, body):
    before = _state(sandbox)
    answer = sandbox.admin("POST", "/reset", body)
    assert answer.status == 400
    assert answer.error == "invalid_field"
    assert _state(sandbox) == before


def test_two_apps_in_one_process_share_no_state():
    first, second = _client(), _client()
    before = _state(second)
    shop_id = first.creds["shop_id"]
    first.admin("POST", "/shopee/partners", {})
    first.admin("POST", f"/shopee/shops/{shop_id}/orders", {"count": 2})
    first.admin("POST", "/shopee/settings", {"tracking_delay_seconds": 30})
    first.admin("POST", "/clock", {"advance_seconds": 86400})
    first.admin("POST", "/reset", {"seed": 99})

    assert _state(second) == before
    assert second.now() == T0
    assert second.admin("GET", "/health").body["seed"] == SEED
    assert second.admin("GET", "/shopee/settings").body["tracking_delay_seconds"] == 0


# ---- credentials ------------------------------------------------------------------------------
def test_credentials_hold_everything_a_client_needs(sandbox):
    answer = sandbox.admin("GET", "/credentials")
    assert answer.status == 200
    body = answer.body
    assert body["base_url"] == "http://localhost"
    shopee = body["shopee"]
    assert shopee["base_url"] == body["base_url"]
    for name in ("partner_id", "shop_id"):
        assert isinstance(shopee[name], int) and shopee[name] > 0
    for name in ("partner_key", "access_token", "refresh_token"):
        assert isinstance(shopee[name], str) and shopee[name]
    assert shopee["test_shop_otp"] == "123456"
    default_shop = [s for s in shopee["shops"] if s["shop_id"] == shopee["shop_id"]]
    assert len(default_shop) == 1
    assert default_shop[0]["account"] and default_shop[0]["password"]
    assert any(p["partner_id"] == shopee["partner_id"] and p["partner_key"] == shopee["partner_key"]
               for p in shopee["partners"])


def test_credentials_list_new_shops_with_their_login(sandbox):
    created = sandbox.admin("POST", "/shopee/shops", {"region": "SG", "password": "s3cret"}).body
    shops = sandbox.admin("GET", "/credentials").body["shopee"]["shops"]
    listed = [s for s in shops if s["shop_id"] == created["shop_id"]]
    assert listed == [{"shop_id": created["shop_id"], "shop_name": created["shop_name"], "region": "SG",
                       "account": created["account"], "password": "s3cret"}]


def test_credentials_work_for_signed_shop_and_public_calls(sandbox):
    creds = sandbox.creds
    info = sandbox.shopee("GET", "shop/get_shop_info")
    assert info.status == 200, info.body
    assert info.body["error"] == ""
    shops = sandbox.shopee("GET", "public/get_shops_by_partner", shop=False)
    assert shops.status == 200, shops.body
    assert creds["shop_id"] in [s["shop_id"] for s in shops.body["authed_shop_list"]]


def test_credentials_over_http_name_the_servers_base_url(live, live_server):
    body = live.admin("GET", "/credentials").body
    assert body["base_url"] == live_server.url
    assert body["shopee"]["base_url"] == live_server.url
    live.forget_credentials()
    assert live.shopee("GET", "shop/get_shop_info").status == 200


# ---- clock ------------------------------------------------------------------------------------
def test_clock_follows_real_time_by_default():
    client = SandboxClient(flask_client=create_app(Settings(seed=SEED)).test_client())
    state = client.admin("GET", "/clock").body
    assert state["frozen"] is False
    assert abs(state["now_float"] - time.time()) < 5
    assert abs(state["offset_seconds"]) < 5


def test_freeze_stops_a_running_clock():
    client = SandboxClient(flask_client=create_app(Settings(seed=SEED)).test_client())
    frozen = client.admin("POST", "/clock", {"freeze": True}).body
    assert frozen["frozen"] is True
    time.sleep(0.01)  # the one real wait: proves a frozen clock ignores real time
    assert client.admin("GET", "/clock").body["now_float"] == frozen["now_float"]


def test_advance_seconds_moves_the_clock_forward(sandbox):
    answer = sandbox.admin("POST", "/clock", {"advance_seconds": 3600})
    assert answer.status == 200
    assert answer.body["now"] == T0 + 3600
    assert answer.body["frozen"] is True
    assert sandbox.admin("POST", "/clock", {"advance_seconds": 0.5}).body["now_float"] == pytest.approx(T0 + 3600.5)


def test_now_sets_the_clock_even_backwards(sandbox):
    assert sandbox.admin("POST", "/clock", {"now": T0 + 100}).body["now"] == T0 + 100
    assert sandbox.admin("POST", "/clock", {"now": T0 - 100}).body["now"] == T0 - 100


def test_unfreeze_runs_on_from_the_frozen_instant(sandbox):
    state = sandbox.admin("POST", "/clock", {"now": T0 + 50, "freeze": False}).body
    assert state["frozen"] is False
    assert T0 + 50 <= state["now_float"] < T0 + 55


@pytest.mark.parametrize("body", [
    {"advance_seconds": -1},
    {"advance_seconds": "60"},
    {"now": -5},
    {"now": 4_294_967_296},
    {"now": 4_294_967_000, "advance_seconds": 1000},
    {"freeze": "yes"},
    {"freeze": 1},
    {"speed": 2},
])
def test_a_bad_clock_change_is_400_and_leaves_the_clock(sandbox, body):
    answer = sandbox.admin("POST", "/clock", body)
    assert answer.status == 400, answer.body
    assert answer.error == "invalid_field"
    assert sandbox.admin("GET", "/clock").body["now"] == T0


@pytest.mark.parametrize("raw", [b"{not json", b'{"now": NaN}', b'{"advance_seconds": Infinity}',
                                 b"\xff\xfe{}", b"[1, 2]", b'"now"'])
def test_a_body_that_is_not_a_json_object_is_400(sandbox, raw):
    answer = sandbox.request("POST", "/_sandbox/clock", data=raw, headers={"Content-Type": "application/json"})
    assert answer.status == 400, answer.body
    assert answer.error in ("invalid_json", "invalid_body")
    assert sandbox.admin("GET", "/clock").body["now"] == T0
    assert sandbox.admin("GET", "/health").status == 200


def test_a_clock_change_needs_a_body(sandbox):
    answer = sandbox.request("POST", "/_sandbox/clock")
    assert answer.status == 400
    assert answer.error == "invalid_body"


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"])
def test_a_body_in_another_media_type_is_415(sandbox, content_type):
    answer = sandbox.request("POST", "/_sandbox/clock", data=b'{"advance_seconds": 60}',
                             headers={"Content-Type": content_type})
    assert answer.status == 415
    assert answer.error == "unsupported_media_type"
    assert sandbox.now() == T0


# ---- state and the contract -------------------------------------------------------------------
def test_state_holds_every_shopee_record(sandbox):
    shopee = _state(sandbox)["shopee"]
    assert len(shopee["orders"]) == 50
    assert [p["partner_id"] for p in shopee["partners"]] == [sandbox.creds["partner_id"]]
    assert [s["shop_id"] for s in shopee["shops"]] == [sandbox.creds["shop_id"]]
    assert sandbox.creds["access_token"] in [t["value"] for t in shopee["tokens"]]
    assert shopee["models"]


def test_openapi_json_serves_the_admin_contract(sandbox):
    answer = sandbox.admin("GET", "/openapi.json")
    assert answer.status == 200
    with open(ADMIN_DOC, encoding="utf-8") as handle:
        assert answer.body == json.loads(json.dumps(yaml.safe_load(handle)))


def _flask_routes(app) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/_sandbox/") or rule.rule.startswith("/_sandbox/ui"):
            continue  # the web console's pages are HTML for people, not the admin API
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule)
        routes |= {(m.lower(), path) for m in rule.methods - {"HEAD", "OPTIONS"}}
    return routes


def test_the_contract_documents_exactly_the_admin_routes(app):
    with open(ADMIN_DOC, encoding="utf-8") as handle:
        doc = yaml.safe_load(handle)
    documented = {(m, p) for p, item in doc["paths"].items() for m in item if m != "parameters"}
    assert documented == _flask_routes(app)


def test_the_contract_gives_each_operation_a_unique_operation_id():
    with open(ADMIN_DOC, encoding="utf-8") as handle:
        doc = yaml.safe_load(handle)
    ids = [op["operationId"] for item in doc["paths"].values() for m, op in item.items() if m != "parameters"]
    assert len(ids) == len(set(ids))


def test_the_contract_is_valid_openapi_3_1():
    validator = pytest.importorskip("openapi_spec_validator")  # a dev tool, not a project dependency
    with open(ADMIN_DOC, encoding="utf-8") as handle:
        doc = yaml.safe_load(handle)
    assert doc["openapi"].startswith("3.1")
    validator.validate(doc)


def test_the_contracts_enums_are_the_servers():
    """Statuses, events and regions in the contract follow the code (a new event must be documented)."""
    from mockserver.shopee import lifecycle
    from mockserver.shopee.catalogue_data import CURRENCY

    with open(ADMIN_DOC, encoding="utf-8") as handle:
        schemas = yaml.safe_load(handle)["components"]["schemas"]
    assert schemas["OrderStatus"]["enum"] == list(lifecycle.STATUSES)
    assert schemas["OrderEvent"]["enum"] == list(lifecycle.EVENTS)
    assert schemas["Region"]["enum"] == list(CURRENCY)


def test_real_time_puts_a_moved_frozen_clock_back_to_real_time_running(sandbox):
    assert sandbox.admin("GET", "/clock").body["frozen"] is True
    state = sandbox.admin("POST", "/clock", {"real_time": True}).body
    assert state["frozen"] is False and abs(state["offset_seconds"]) < 0.01
    assert abs(state["now_float"] - time.time()) < 5
    assert sandbox.admin("POST", "/clock", {"real_time": False}).status == 200  # nothing to do


def test_real_time_goes_alone(sandbox):
    answer = sandbox.admin("POST", "/clock", {"real_time": True, "advance_seconds": 5})
    assert answer.status == 400 and "real_time goes alone" in answer.message
    assert sandbox.admin("GET", "/clock").body["now"] == T0


@pytest.mark.parametrize("path,name", [("/_sandbox/requests", "limit"), ("/_sandbox/requests", "after"),
                                       ("/_sandbox/errors", "after"), ("/_sandbox/deliveries", "limit")])
@pytest.mark.parametrize("value", ["²", "١", "1" * 5000, "-1", "1.5", " 7"])
def test_an_integer_query_parameter_takes_ascii_digits_only(sandbox, path, name, value):
    answer = sandbox.request("GET", path, query={name: value}, validate=False)
    assert answer.status == 400 and answer.body["error"] == "invalid_field", (value, answer.status)
