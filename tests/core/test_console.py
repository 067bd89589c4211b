"""The console: a line per request and per webhook attempt, text or JSON, secrets masked, and
summaries bounded whatever the backlog."""
from __future__ import annotations

import io
import json

import pytest

from mockserver.core.console import Console


def _request(console: Console, **overrides) -> None:
    values = dict(wall=1_795_000_000.25, platform="shopee", tenant="shop_id=2000001", method="GET",
                  path="/api/v2/order/get_order_list",
                  query="partner_id=1&access_token=6f1c2a9b8e7d&sign=abcdef0123456789&page_size=20",
                  status=403, error="error_sign", latency_ms=3.14159, warnings=(), request_id=7)
    values.update(overrides)
    console.request(**values)


def test_a_text_request_line_names_everything_a_person_debugging_needs_with_secrets_masked():
    out = io.StringIO()
    _request(Console(out), warnings=["unknown parameter page"])
    line = out.getvalue()
    assert line.count("\n") == 1
    for part in ("shopee", "shop_id=2000001", "GET", "/api/v2/order/get_order_list?partner_id=1",
                 "-> 403 error_sign", "3.1ms", "warning: unknown parameter page", "page_size=20"):
        assert part in line, part
    assert "6f1c2a9b8e7d" not in line and "abcdef0123456789" not in line
    assert "access_token=6f1c***" in line and "sign=abcd***" in line


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_line_made_by_the_writer_thread_is_the_line_written_at_once(monkeypatch, fmt: str):
    at_once = io.StringIO()
    _request(Console(at_once, fmt=fmt), warnings=["unknown parameter page"])
    stdout = io.StringIO()
    monkeypatch.setattr("sys.stdout", stdout)
    console = Console(fmt=fmt)  # no stream: standard output, through the writer thread
    _request(console, warnings=["unknown parameter page"])
    console.flush(timeout=30)
    assert stdout.getvalue() == at_once.getvalue()
    assert "6f1c2a9b8e7d" not in stdout.getvalue() and "abcdef0123456789" not in stdout.getvalue()


def test_a_json_request_line_is_one_object_with_the_same_facts():
    out = io.StringIO()
    _request(Console(out, fmt="json"), error=None, status=200)
    record = json.loads(out.getvalue())
    assert record["kind"] == "request" and record["platform"] == "shopee" and record["status"] == 200
    assert record["tenant"] == "shop_id=2000001" and record["latency_ms"] == 3.14
    assert "error" not in record  # nulls are left out
    assert record["time"].endswith("Z") and record["journal_id"] == 7
    assert "6f1c2a9b8e7d" not in record["query"]


def test_a_json_webhook_line_is_one_object_with_the_attempts_facts():
    out = io.StringIO()
    Console(out, fmt="json").attempt({"id": "dlv_1", "platform": "shopee", "event": "order_status_push",
                                      "url": "http://r/hook", "max_attempts": 4},
                                     {"number": 2, "status": None, "error": "timeout", "ok": False,
                                      "latency_ms": 3000.0}, 300.0)
    record = json.loads(out.getvalue())
    assert record == {"time": record["time"], "kind": "webhook", "platform": "shopee", "event": "order_status_push",
                      "url": "http://r/hook", "delivery": "dlv_1", "attempt": 2, "max_attempts": 4,
                      "error": "timeout", "ok": False, "latency_ms": 3000.0, "next_retry_in": 300.0}
    assert record["time"].endswith("Z")  # nulls (status, note) are left out


def test_quiet_drops_request_lines_but_keeps_webhook_lines():
    out = io.StringIO()
    console = Console(out, quiet=True)
    _request(console)
    assert out.getvalue() == ""
    console.attempt({"id": "dlv_1", "platform": "shopee", "event": "order_status_push", "url": "http://r/hook",
                     "max_attempts": 4}, {"number": 1, "status": 200, "error": None, "ok": True, "latency_ms": 2.0},
                    None)
    assert "order_status_push -> http://r/hook attempt 1/4: 200" in out.getvalue()


def test_a_failed_attempt_says_when_the_retry_comes_and_a_given_up_delivery_says_so():
    out = io.StringIO()
    console = Console(out)
    view = {"id": "dlv_2", "platform": "shopline", "event": "orders/updated", "url": "http://r/x",
            "max_attempts": 20, "attempt_count": 20}
    console.attempt(view, {"number": 3, "status": None, "error": "timeout", "ok": False, "latency_ms": 5000.0}, 60)
    console.delivery_ended(view, "gave_up", "20 attempts failed, the last timeout")
    console.delivery_ended(view, "suppressed", "the subscription was removed")
    lines = out.getvalue().splitlines()
    assert "attempt 3/20: timeout" in lines[0] and "retry in 60s (sandbox clock)" in lines[0]
    assert "GAVE_UP: 20 attempts failed" in lines[1] and "[dlv_2]" in lines[1]
    assert "SUPPRESSED: the subscription was removed" in lines[2]


def test_a_summary_of_twelve_thousand_deliveries_is_one_short_line():
    out = io.StringIO()
    items = [{"id": f"dlv_{i}", "status": "pending"} for i in range(12_000)]
    Console(out).summary("webhooks_unfinished", "webhook deliveries unfinished at stop", items,
                         lambda v: f"{v['id']} ({v['status']})", {"pending": 12_000})
    text = out.getvalue()
    assert text.count("\n") == 1 and len(text) < 500
    assert "12000 webhook deliveries unfinished at stop (12000 pending)" in text
    assert "dlv_4 (pending)" in text and "dlv_5 " not in text and "and 11995 more" in text


def test_a_disabled_console_writes_nothing_and_a_bad_format_is_refused():
    out = io.StringIO()
    console = Console(out, enabled=False)
    _request(console)
    console.notice("started", "hello")
    assert out.getvalue() == ""
    with pytest.raises(ValueError, match="text, json"):
        Console(out, fmt="yaml")


def test_a_closed_stream_never_fails_the_request():
    out = io.StringIO()
    out.close()
    _request(Console(out))  # no exception
