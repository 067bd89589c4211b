"""Issue 11, point 12: seed 001 asks a push receiver for "código de status 2xx" and "um corpo vazio".
A 2xx with a body is still delivered (no document says Shopee refuses it), and the attempt carries a
warning in the delivery log and on the console line: live Shopee may count it as failed."""
from __future__ import annotations

import io

from mockserver.testing.inbox import Reply
from tests.shopee.order_support import event, make_order
from tests.shopee.push_support import deliveries, flush, subscribe

NOTE = "live Shopee may count this push as failed"


def _push_one(sandbox, inbox) -> dict:
    assert subscribe(sandbox, inbox.url, on=(3,)).status == 200
    sn = make_order(sandbox, status="UNPAID")
    event(sandbox, sn, "pay")
    flush(sandbox)
    pushed = [d for d in deliveries(sandbox, event="order_status_push")]
    assert pushed, deliveries(sandbox)
    answer = sandbox.request("GET", f"/_sandbox/deliveries/{pushed[-1]['id']}")
    return answer.body


def test_a_receiver_answering_a_body_is_delivered_with_a_warning(sandbox, app, inbox):
    console = app.extensions["shop_sandbox"].console
    console.enabled, console.stream = True, io.StringIO()
    inbox.respond(Reply(status=200, body=b'{"result": "ok"}'))
    delivery = _push_one(sandbox, inbox)
    assert delivery["status"] == "succeeded"
    attempt = delivery["attempts"][-1]
    assert attempt["ok"] is True and NOTE in attempt["warning"] and "empty body" in attempt["warning"]
    lines = [line for line in console.stream.getvalue().splitlines() if "order_status_push" in line]
    assert lines and all(NOTE in line for line in lines), console.stream.getvalue()


def test_a_receiver_answering_an_empty_body_has_no_warning(sandbox, inbox):
    inbox.respond(204)
    delivery = _push_one(sandbox, inbox)
    assert delivery["status"] == "succeeded" and delivery["attempts"][-1]["warning"] is None
