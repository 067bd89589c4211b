"""Helpers of the snapshot tests: a world moved away from its seed in every way a snapshot keeps."""
from __future__ import annotations

from typing import Any

from tests.conftest import create_app, make_settings
from tests.shopee.auth_support import refresh
from tests.support.clients import SandboxClient

DEAD_URL = "http://127.0.0.1:9/hook"  # discard port: nothing listens, the attempt fails at once


def new_sandbox(**overrides: Any) -> tuple[Any, SandboxClient]:
    app = create_app(make_settings(**overrides))
    return app, SandboxClient(flask_client=app.test_client())


def export(app: Any) -> bytes:
    answer = app.test_client().get("/_sandbox/snapshot")
    assert answer.status_code == 200, answer.data[:500]
    return answer.data


def restore(app: Any, document: bytes) -> Any:
    return app.test_client().post("/_sandbox/snapshot", data=document, content_type="application/json")


def first_order(sandbox: SandboxClient, status: str) -> str:
    shop_id = sandbox.creds["shop_id"]
    listed = sandbox.request("GET", f"/_sandbox/shopee/shops/{shop_id}/orders", query={"status": status})
    assert listed.status == 200, listed.body
    return listed.body["orders"][0]["order_sn"]


def lived_in(sandbox: SandboxClient) -> dict[str, Any]:
    """Change the world the ways a developer does: an order moved by hand, tokens refreshed, due
    work scheduled (auto-progress, a late tracking number), a pending webhook retry, a fault rule,
    strict mode, a bigger generated batch. Answers what was done."""
    creds = sandbox.creds
    done: dict[str, Any] = {}
    answer = sandbox.admin("POST", "/shopee/settings", {"tracking_delay_seconds": 600, "auto_progress": True})
    assert answer.status == 200, answer.body
    unpaid = first_order(sandbox, "UNPAID")
    answer = sandbox.admin("POST", f"/shopee/orders/{unpaid}/events", {"event": "pay"})
    assert answer.status == 200, answer.body
    done["paid"] = unpaid
    ready = first_order(sandbox, "READY_TO_SHIP")
    answer = sandbox.admin("POST", f"/shopee/orders/{ready}/ship", {})
    assert answer.status == 200, answer.body
    done["shipped"] = ready
    answer = refresh(sandbox, creds, creds["refresh_token"], creds["shop_id"])
    assert answer.status == 200, answer.body
    done["access_token"], done["refresh_token"] = answer.body["access_token"], answer.body["refresh_token"]
    answer = sandbox.admin("POST", f"/shopee/shops/{creds['shop_id']}/orders", {"count": 300})
    assert answer.status in (200, 201), answer.body
    queued = sandbox.admin("POST", "/deliveries", {"url": DEAD_URL, "body": {"hello": "world"}, "event": "t"})
    assert queued.status == 201, queued.body
    flushed = sandbox.admin("POST", "/deliveries/flush", {})
    assert flushed.status == 200, flushed.body
    view = sandbox.admin("GET", f"/deliveries/{queued.body['id']}").body
    assert view["status"] == "pending" and view["next_attempt_at"] is not None, view
    done["delivery"] = view
    answer = sandbox.admin("POST", "/faults", {"path": "/api/v2/order/get_order_list", "status": 500, "times": 2})
    assert answer.status in (200, 201), answer.body
    assert sandbox.admin("POST", "/strict", {"strict": True}).status == 200
    return done
