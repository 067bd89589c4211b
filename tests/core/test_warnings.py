"""Warnings: what the sandbox accepts without knowing the platform does reaches the answer's
X-Sandbox-Warning headers, the journal and the console; strict mode refuses with the platform's
own error instead. Exercised through a tiny app of its own, so no platform's rules are involved."""
from __future__ import annotations

import io
from types import SimpleNamespace

from flask import Flask, jsonify, request

from mockserver.core import exchange
from mockserver.core.clock import SandboxClock
from mockserver.core.console import Console
from mockserver.core.journal import Journal
from mockserver.core.request_log import RequestLog
from mockserver.core.warnings import header_values, warn


class Refused(Exception):
    pass


def _app(strict: bool = False):
    app = Flask("warnings-test")
    store = SimpleNamespace(strict=strict, changes=0, journal=Journal(),
                            clock=SandboxClock(start=1_795_000_000, frozen=True),
                            console=Console(io.StringIO()))

    @app.errorhandler(Refused)
    def refused(exc: Refused):
        exchange.annotate(error="error_param")
        return jsonify(error="error_param", message=str(exc)), 400

    @app.get("/api/thing")
    def thing():
        exchange.annotate(platform="demo", tenant="shop_id=1")
        for name in request.args:
            if name != "known":
                warn(f"unknown parameter {name}", lambda name=name: Refused(f"unknown parameter {name}"))
        return jsonify(ok=True)

    app.wsgi_app = RequestLog(app.wsgi_app, store, lambda path: None)
    return app, store


def test_a_warning_reaches_the_header_the_journal_and_the_console():
    app, store = _app()
    answer = app.test_client().get("/api/thing?known=1&page=2&lang=zh")
    assert answer.status_code == 200
    assert answer.headers.getlist("X-Sandbox-Warning") == ["unknown parameter page", "unknown parameter lang"]
    entry = store.journal.entries()[-1]
    assert entry["warnings"] == ["unknown parameter page", "unknown parameter lang"]
    assert (entry["platform"], entry["tenant"]) == ("demo", "shop_id=1")
    assert "warning: unknown parameter page; unknown parameter lang" in store.console.stream.getvalue()


def test_strict_mode_refuses_with_the_platforms_error_and_says_nothing_else():
    app, store = _app(strict=True)
    answer = app.test_client().get("/api/thing?known=1&page=2")
    assert answer.status_code == 400 and answer.get_json()["message"] == "unknown parameter page"
    assert "X-Sandbox-Warning" not in answer.headers
    assert store.journal.entries()[-1]["error"] == "error_param"


def test_a_clean_request_has_no_warning_header():
    app, _ = _app()
    assert "X-Sandbox-Warning" not in app.test_client().get("/api/thing?known=1").headers


def test_many_warnings_are_capped_and_counted():
    app, store = _app()
    answer = app.test_client().get("/api/thing?" + "&".join(f"p{i}=1" for i in range(50)))
    values = answer.headers.getlist("X-Sandbox-Warning")
    assert len(values) == 21 and values[-1] == "and 30 more warnings"


def test_header_values_are_printable_ascii_on_one_line():
    assert header_values(["unknown parameter 頁\r\nX-Injected: 1"]) == ["unknown parameter \\u9801  X-Injected: 1"]


def test_outside_a_request_a_warning_is_harmless():
    warn("nothing listens", Refused("never raised"))  # no exception: a detached record
