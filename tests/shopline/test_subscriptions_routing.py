"""/v1 is shared: SHOPLINE Open API owns exactly /v1/webhooks and /v1/webhooks/<id>; every other /v1
path stays 1shop's (its -10 envelope), whatever order the blueprints are registered in."""
from __future__ import annotations

import pytest
from flask import Flask

from mockserver.oneshop.routes import bp as oneshop_bp
from mockserver.shopline.routes_openapi import bp as shopline_bp


@pytest.mark.parametrize("path", ["/v1/webhooks", "/v1/webhooks/0123456789abcdef01234567", "/v1/webhooks/x"])
def test_the_webhook_paths_are_shoplines(sandbox, path):
    answer = sandbox.request("GET", path)
    assert answer.status == 401 and answer.body["code"] == "Unauthorized"


@pytest.mark.parametrize("path", ["/v1/webhooks/", "/v1/webhooks/a/b", "/v1/webhook", "/v1/webhooksx",
                                  "/v1//webhooks", "/v1/order/x/webhooks"])
def test_every_other_v1_path_stays_1shops(sandbox, path):
    answer = sandbox.request("GET", path)
    assert answer.status == 404 and answer.body == {"success": -10, "data": [], "msg": answer.body["msg"]}


def test_1shop_orders_still_answer(sandbox):
    answer = sandbox.oneshop("order", {"progress_status": "all", "payment_status": "all",
                                       "logistic_status": "all", "page": 1})
    assert answer.status == 200 and answer.success == 0


@pytest.mark.parametrize("first,second", [(oneshop_bp, shopline_bp), (shopline_bp, oneshop_bp)])
def test_the_more_specific_rule_wins_in_either_registration_order(first, second):
    app = Flask(__name__)
    app.register_blueprint(first)
    app.register_blueprint(second)
    urls = app.url_map.bind("localhost")
    for method in ("GET", "POST", "PUT", "DELETE", "PATCH"):
        assert urls.match("/v1/webhooks", method=method)[0] == "shopline_openapi.collection"
        assert urls.match("/v1/webhooks/abc", method=method)[0] == "shopline_openapi.item"
        assert urls.match("/v1/webhooks/abc/def", method=method)[0] == "oneshop.dispatch"
        assert urls.match("/v1/order", method=method)[0] == "oneshop.dispatch"


def test_a_crash_answers_each_flavours_error_shape(app, monkeypatch):
    from mockserver.shopline import routes_global, routes_openapi
    from tests.support.clients import SandboxClient

    def boom(*args, **kwargs):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(routes_openapi, "_list", boom)
    monkeypatch.setattr(routes_global, "_context", boom)
    client = SandboxClient(flask_client=app.test_client())
    crashed = client.request("GET", "/v1/webhooks")
    assert crashed.status == 500 and crashed.body["code"] == "InternalServerError"
    crashed = client.request("GET", "/admin/openapi/v20210901/webhooks.json")
    assert crashed.status == 500 and crashed.body == {"errors": "Internal Server Error"}
    assert [str(e) for e in app.extensions["shop_sandbox_errors"]] == ["kaboom", "kaboom"]
