"""Issue 12, point 8: when a failing subscription is removed, and what becomes of the deliveries still
waiting for it. The rule is one setting per flavour (openapi_removal, global_removal): "message"
(default: one message used every resend), "consecutive" (N failed attempts in a row across
messages, a success starting the count again) or "never". Waiting deliveries are suppressed with
their reason kept on the delivery (suppressed_reason) and printed on the console, and the removal
itself is said on the console with the number of deliveries it silences. Driven by the sandbox
clock, never by sleeping."""
from __future__ import annotations

import io

import pytest

from mockserver.testing import Reply
from tests.shopline.emission_support import (
    advance,
    delivery,
    flush,
    global_api,
    openapi,
    subscribe,
    subscribe_global,
    trigger,
)


@pytest.fixture
def console(app) -> io.StringIO:
    """The sandbox's console, captured (text format)."""
    store = app.extensions["shop_sandbox"]
    store.console.enabled, store.console.stream = True, io.StringIO()
    yield store.console.stream
    assert store.webhooks.hook_errors == []  # the policies' hooks run on engine threads


def _settings(sandbox, **changes) -> dict:
    answer = sandbox.admin("POST", "/shopline/settings", changes)
    assert answer.status == 200, answer.body
    return answer.body


def test_the_default_rule_of_both_flavours_is_one_message(sandbox):
    view = sandbox.admin("GET", "/shopline/settings").body
    assert view["openapi_removal"] == view["global_removal"] == {"rule": "message", "failures": None}


def test_waiting_deliveries_of_a_removed_subscription_are_suppressed_and_said(sandbox, inbox, console):
    _settings(sandbox, openapi_retry_delays=[60])  # two attempts a message
    sub = subscribe(sandbox, inbox, ["order/create"])
    inbox.respond(500, path="/hook")
    first, = trigger(sandbox, topic="order/create")["deliveries"]
    flush(sandbox)
    advance(sandbox, 30)
    second, = trigger(sandbox, topic="order/create")["deliveries"]  # its resend is due at +90 s
    flush(sandbox)
    advance(sandbox, 30)  # +60: the first message's resend fails: the subscription is removed
    flush(sandbox)
    assert openapi(sandbox, "GET", "/" + sub["id"]).body["status"] == "removed"
    text = console.getvalue()
    assert (f"SHOPLINE Open API subscription {sub['id']} removed (status removed): delivery {first['id']} "
            f"failed 2 attempts; 1 waiting deliveries for it will not be sent") in text
    advance(sandbox, 30)  # +90: the second message's resend falls due
    flush(sandbox)
    view = delivery(sandbox, second["id"])
    reason = f"Open API subscription {sub['id']} is removed: delivery {first['id']} failed 2 attempts"
    assert view["status"] == "suppressed" and view["suppressed_reason"] == reason
    assert len(view["attempts"]) == 1  # nothing more was sent
    assert f"SUPPRESSED: {reason} [{second['id']}]" in console.getvalue()
    listed = sandbox.admin("GET", "/deliveries").body["deliveries"]
    assert next(d for d in listed if d["id"] == second["id"])["suppressed_reason"] == reason


def test_a_deleted_subscriptions_waiting_delivery_says_so(sandbox, inbox, console):
    sub = subscribe(sandbox, inbox, ["order/create"])
    inbox.respond(500, path="/hook")
    queued, = trigger(sandbox, topic="order/create")["deliveries"]
    flush(sandbox)
    assert openapi(sandbox, "DELETE", "/" + sub["id"]).status == 200
    advance(sandbox, 60)
    flush(sandbox)
    view = delivery(sandbox, queued["id"])
    assert view["status"] == "suppressed"
    assert view["suppressed_reason"] == f"Open API subscription {sub['id']} was deleted"
    assert view["suppressed_reason"] in console.getvalue()


def test_consecutive_counts_failures_across_messages_and_a_success_resets_it(sandbox, inbox, console):
    _settings(sandbox, openapi_retry_delays=[], openapi_removal={"rule": "consecutive", "failures": 3})
    sub = subscribe(sandbox, inbox, ["order/create"])
    inbox.script([500, 500, Reply(status=200), 500, 500, 500], path="/hook")
    for expected in ("active", "active", "active", "active", "active", "removed"):
        trigger(sandbox, topic="order/create")
        flush(sandbox)
        assert openapi(sandbox, "GET", "/" + sub["id"]).body["status"] == expected
    admin, = sandbox.admin("GET", "/shopline/subscriptions").body["openapi"]
    assert admin["removed_reason"].startswith("3 deliveries failed in a row, the last dlv_")
    assert f"SHOPLINE Open API subscription {sub['id']} removed" in console.getvalue()


def test_under_consecutive_one_messages_resends_alone_do_not_remove_below_the_count(sandbox, inbox):
    _settings(sandbox, openapi_removal={"rule": "consecutive", "failures": 10})
    sub = subscribe(sandbox, inbox, ["order/create"])
    inbox.respond(500, path="/hook")
    queued, = trigger(sandbox, topic="order/create")["deliveries"]
    flush(sandbox)
    for delay in (60, 600, 3600):
        advance(sandbox, delay)
        flush(sandbox)
    assert delivery(sandbox, queued["id"])["status"] == "failed"  # 4 failures: the message gave up
    assert openapi(sandbox, "GET", "/" + sub["id"]).body["status"] == "active"  # 4 < 10


def test_never_keeps_the_subscription_whatever_fails(sandbox, inbox):
    _settings(sandbox, openapi_retry_delays=[], openapi_removal={"rule": "never"})
    sub = subscribe(sandbox, inbox, ["order/create"])
    inbox.respond(500, path="/hook")
    for _ in range(5):
        trigger(sandbox, topic="order/create")
        flush(sandbox)
    assert openapi(sandbox, "GET", "/" + sub["id"]).body["status"] == "active"


def test_the_global_flavour_has_its_own_setting(sandbox, inbox, console):
    _settings(sandbox, global_removal={"rule": "consecutive", "failures": 2})
    assert sandbox.admin("GET", "/shopline/settings").body["openapi_removal"]["rule"] == "message"
    sub = subscribe_global(sandbox, inbox.url_for("/g"))
    inbox.respond(500, path="/g")
    first, = trigger(sandbox, topic="orders/updated", flavour="global")["deliveries"]
    flush(sandbox)  # attempt 1 fails; the "0 s" resend follows at once: 2 in a row
    flush(sandbox)
    assert global_api(sandbox, "GET", f"{sub['id']}/webhooks.json").status == 404
    view = delivery(sandbox, first["id"])
    assert view["status"] == "pending" and len(view["attempts"]) == 2  # its next resend is due at +5 s
    advance(sandbox, 5)
    flush(sandbox)
    view = delivery(sandbox, first["id"])
    assert view["status"] == "suppressed"
    assert view["suppressed_reason"].startswith(f"global subscription {sub['id']} was deleted (removed after "
                                                "failures: 2 deliveries failed in a row")
    assert f"SHOPLINE global subscription {sub['id']} deleted" in console.getvalue()


@pytest.mark.parametrize("body,fragment", [
    ({"openapi_removal": "message"}, "openapi_removal should be an object"),
    ({"openapi_removal": {"rule": "sometimes"}}, "openapi_removal.rule should be one of message, consecutive, never"),
    ({"global_removal": {"rule": "consecutive"}}, 'global_removal.failures goes with rule "consecutive"'),
    ({"global_removal": {"rule": "message", "failures": 3}}, 'global_removal.failures goes with rule "consecutive"'),
    ({"openapi_removal": {"rule": "consecutive", "failures": 0}}, "openapi_removal.failures should be between 1"),
    ({"openapi_removal": {"rule": "never", "after": 1}}, "unknown field openapi_removal.after"),
])
def test_a_bad_removal_setting_is_refused_and_changes_nothing(sandbox, body, fragment):
    answer = sandbox.admin("POST", "/shopline/settings", body)
    assert answer.status == 400 and fragment in answer.message, answer.body
    view = sandbox.admin("GET", "/shopline/settings").body
    assert view["openapi_removal"] == view["global_removal"] == {"rule": "message", "failures": None}
