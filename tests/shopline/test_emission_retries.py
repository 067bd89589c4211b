"""Each flavour's resend rule, driven by the sandbox clock (never by sleeping): Open API resends 3 times
(60 s, 10 min, 1 h after the previous attempt started) and then disables the subscription (status
removed); global resends 19 times on the reference's schedule and then deletes the subscription.
Nothing goes out a second early, every resend is byte-identical, and a disabled or deleted
subscription gets nothing more."""
from __future__ import annotations

import pytest

from mockserver.testing import Reply
from tests.shopline.emission_support import (
    advance,
    b64,
    creds,
    delivery,
    flush,
    global_api,
    openapi,
    subscribe,
    subscribe_global,
    trigger,
)

OPENAPI_DELAYS = [60, 600, 3600]
GLOBAL_DELAYS = [0, 5, 10, 30, 45, 60, 120, 300, 720, 2280, 3600, 7200] + [4 * 3600] * 7


@pytest.fixture(autouse=True)
def _hooks_never_fail(app):
    """The flavours' hooks (disable, delete, suppressed) run on engine threads: an exception there
    would only be logged, so check the engine's record of them."""
    yield
    assert app.extensions["shop_sandbox"].webhooks.hook_errors == []


def _step_through(sandbox, inbox, path: str, delays: list[float]) -> None:
    """For each delay: one second short nothing more is sent; at the delay exactly one more attempt arrives."""
    for delay in delays:
        before = len(inbox.requests(path))
        if delay >= 1:
            advance(sandbox, delay - 1)
            flush(sandbox)
            assert len(inbox.requests(path)) == before, f"the resend due after {delay} s went out early"
            advance(sandbox, 1)
        flush(sandbox)
        assert len(inbox.requests(path)) == before + 1, f"the resend due after {delay} s is missing"


def _same_message(requests) -> None:
    first = requests[0]
    for later in requests[1:]:
        assert (later.path, later.query, later.body) == (first.path, first.query, first.body)
        assert {k: v for k, v in later.headers.items() if k != "Host"} == \
            {k: v for k, v in first.headers.items() if k != "Host"}


# ---- Open API ----------------------------------------------------------------------------------------
def test_open_api_resends_3_times_then_disables_the_subscription(sandbox, inbox):
    sub = subscribe(sandbox, inbox, ["order/create"])
    inbox.respond(500, path="/hook")
    queued, = trigger(sandbox, topic="order/create")["deliveries"]
    flush(sandbox)
    assert len(inbox.requests("/hook")) == 2  # handshake + first attempt
    _step_through(sandbox, inbox, "/hook", OPENAPI_DELAYS)
    sent = inbox.requests("/hook")[1:]
    assert len(sent) == 4
    _same_message(sent)  # same URL (sign), timestamp header and body on every resend
    view = delivery(sandbox, queued["id"])
    assert view["status"] == "failed" and [a["status"] for a in view["attempts"]] == [500] * 4
    after = openapi(sandbox, "GET", "/" + sub["id"]).body
    assert after["status"] == "removed" and after["updated_at"] != sub["updated_at"]
    admin_view, = sandbox.admin("GET", "/shopline/subscriptions").body["openapi"]
    assert admin_view["removed_reason"] == f"delivery {queued['id']} failed 4 attempts"
    # Disabled: no new delivery, and nothing more arrives however long we wait.
    assert trigger(sandbox, topic="order/create")["deliveries"] == []
    advance(sandbox, 86400)
    flush(sandbox)
    assert len(inbox.requests("/hook")) == 5


def test_open_api_stops_resending_after_a_success_and_stays_active(sandbox, inbox):
    sub = subscribe(sandbox, inbox, ["order/create"])
    inbox.script([500, Reply(status=204)], path="/hook")
    queued, = trigger(sandbox, topic="order/create")["deliveries"]
    flush(sandbox)
    _step_through(sandbox, inbox, "/hook", OPENAPI_DELAYS[:1])
    advance(sandbox, 7200)
    flush(sandbox)
    assert len(inbox.requests("/hook")) == 3
    assert delivery(sandbox, queued["id"])["status"] == "succeeded"
    assert openapi(sandbox, "GET", "/" + sub["id"]).body["status"] == "active"


def test_a_pending_resend_to_a_disabled_or_deleted_subscription_is_suppressed(sandbox, inbox):
    doomed = subscribe(sandbox, inbox, ["order/create"], path="/doomed")
    breaker = subscribe(sandbox, inbox, ["order/update"], path="/doomed")  # same receiver, other subscription
    inbox.respond(500, path="/doomed")
    first, = trigger(sandbox, topic="order/create")["deliveries"]
    flush(sandbox)
    assert openapi(sandbox, "DELETE", "/" + doomed["id"]).status == 200
    advance(sandbox, 60)
    flush(sandbox)
    assert delivery(sandbox, first["id"])["status"] == "suppressed"
    assert len(inbox.requests("/doomed")) == 3  # two handshakes + the first attempt only
    assert openapi(sandbox, "GET", "/" + breaker["id"]).body["status"] == "active"


def test_an_update_reverifies_and_reactivates_a_disabled_subscription(sandbox, inbox):
    sub = subscribe(sandbox, inbox, ["order/create"])
    sandbox.admin("POST", "/shopline/settings", {"openapi_retry_delays": []})  # no resend: disabled at once
    inbox.respond(500, path="/hook")
    trigger(sandbox, topic="order/create")
    flush(sandbox)
    assert openapi(sandbox, "GET", "/" + sub["id"]).body["status"] == "removed"
    inbox.respond(Reply(body=b64(creds(sandbox)["openapi"]["app_id"])), path="/hook")
    updated = openapi(sandbox, "PUT", "/" + sub["id"], {"topics": ["order/create"]})
    assert updated.status == 200 and updated.body["status"] == "active"
    assert inbox.requests("/hook")[-1].json() == {"topic": "webhook/verification"}
    assert len(trigger(sandbox, topic="order/create")["deliveries"]) == 1


def test_a_receiver_slower_than_the_timeout_fails_the_attempt(sandbox, inbox):
    sandbox.admin("POST", "/shopline/settings", {"openapi_timeout_seconds": 0.3, "global_timeout_seconds": 0.3})
    inbox.respond(Reply.hang(3))
    one, = trigger(sandbox, topic="order/create", to=inbox.url_for("/slow"))["deliveries"]
    two, = trigger(sandbox, topic="orders/updated", flavour="global", to=inbox.url_for("/slow"))["deliveries"]
    flush(sandbox)
    for queued in (one, two):
        attempt = delivery(sandbox, queued["id"])["attempts"][0]
        assert attempt["error"] == "timeout" and not attempt["ok"] and attempt["latency_ms"] < 2000


def test_open_api_retry_delays_are_configurable_up_to_3(sandbox, inbox):
    assert sandbox.admin("POST", "/shopline/settings", {"openapi_retry_delays": [1, 2, 3, 4]}).status == 400
    settings = sandbox.admin("POST", "/shopline/settings", {"openapi_retry_delays": [5, 5]}).body
    assert settings["openapi_retry_delays"] == [5, 5] and settings["openapi_timeout_seconds"] == 15
    inbox.respond(500)
    queued, = trigger(sandbox, topic="order/create", to=inbox.url_for("/x"))["deliveries"]
    flush(sandbox)
    _step_through(sandbox, inbox, "/x", [5, 5])
    assert delivery(sandbox, queued["id"])["status"] == "failed"


# ---- global ------------------------------------------------------------------------------------------
def test_global_resends_19_times_on_the_reference_schedule_then_deletes_the_subscription(sandbox, inbox):
    assert len(GLOBAL_DELAYS) == 19
    sub = subscribe_global(sandbox, inbox.url_for("/g"))
    inbox.respond(503, path="/g")
    queued, = trigger(sandbox, topic="orders/updated", flavour="global")["deliveries"]
    flush(sandbox)
    assert len(inbox.requests("/g")) == 2  # the first attempt, and the "0s" resend right after it
    _step_through(sandbox, inbox, "/g", GLOBAL_DELAYS[1:])
    sent = inbox.requests("/g")
    assert len(sent) == 20
    _same_message(sent)
    assert {r.header("X-Shopline-Webhook-Id") for r in sent} == {queued["webhook_id"]}  # dedupe key is stable
    view = delivery(sandbox, queued["id"])
    assert view["status"] == "failed" and len(view["attempts"]) == 20
    assert view["attempts"][-1]["at"] - view["attempts"][0]["at"] == sum(GLOBAL_DELAYS)  # 32 h
    assert global_api(sandbox, "GET", f"{sub['id']}/webhooks.json").status == 404
    assert global_api(sandbox, "GET", "webhooks/count.json").body == {"count": 0}
    assert trigger(sandbox, topic="orders/updated", flavour="global")["deliveries"] == []


def test_global_is_not_deleted_before_the_last_resend_fails(sandbox, inbox):
    sub = subscribe_global(sandbox, inbox.url_for("/g"))
    inbox.script([503] * 19 + [200], path="/g")
    queued, = trigger(sandbox, topic="orders/updated", flavour="global")["deliveries"]
    flush(sandbox)
    _step_through(sandbox, inbox, "/g", GLOBAL_DELAYS[1:])
    assert delivery(sandbox, queued["id"])["status"] == "succeeded"
    assert global_api(sandbox, "GET", f"{sub['id']}/webhooks.json").status == 200


def test_a_pending_global_resend_to_a_deleted_subscription_is_suppressed(sandbox, inbox):
    sub = subscribe_global(sandbox, inbox.url_for("/g"))
    inbox.respond(500, path="/g")
    queued, = trigger(sandbox, topic="orders/updated", flavour="global")["deliveries"]
    flush(sandbox)
    assert global_api(sandbox, "DELETE", f"{sub['id']}/webhooks.json").status == 200
    advance(sandbox, 5)
    flush(sandbox)
    assert delivery(sandbox, queued["id"])["status"] == "suppressed" and len(inbox.requests("/g")) == 2
