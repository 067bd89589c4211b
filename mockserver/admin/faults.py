"""/_sandbox/faults: inject errors, latency, broken bodies and follow-up admin calls into platform
requests (rules in core/faults.py), and the request hooks that apply them."""
from __future__ import annotations

import json
import time
from typing import Any, Callable

from flask import Blueprint, Flask, Response, current_app, g, request

from mockserver.admin.http import AdminError, each_object, field, json_body, number, reply
from mockserver.core import exchange, run_gate
from mockserver.core.faults import ADMIN_PREFIX, AdminCall, FaultRule

bp = Blueprint("sandbox_faults", __name__, url_prefix="/_sandbox")

RULE_FIELDS = ("path", "method", "query", "skip", "times", "probability", "status", "body", "headers",
               "retry_after", "delay_ms", "malformed", "drop", "then")
THEN_FIELDS = ("method", "path", "body")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
MAX_DELAY_MS = 60_000  # longer than any client timeout worth testing; keeps a typo from hanging a worker
# The statuses a platform has an envelope for without help; any other status needs an explicit body.
ENVELOPE_STATUSES = frozenset([429, *range(500, 600)])

FaultAnswer = Callable[[int, "int | None"], Response]  # (status, retry_after) -> the platform's answer


def _book() -> Any:
    return current_app.extensions["shop_sandbox"].faults


def _then_calls(values: Any) -> list[AdminCall]:
    calls = []
    for _, where, entry in each_object(values, "then", THEN_FIELDS, limit=100):
        method = field(entry, "method", str, required=False, default="POST", where=where).upper()
        if method not in ("GET", "POST", "DELETE"):
            raise AdminError(400, "invalid_field", f"{where}method should be GET, POST or DELETE")
        path = field(entry, "path", str, where=where)
        if not path.startswith(ADMIN_PREFIX) or path.startswith(ADMIN_PREFIX + "faults"):
            raise AdminError(400, "invalid_field", f"{where}path should be an admin path under {ADMIN_PREFIX} "
                                                   "(other than the faults themselves)")
        calls.append(AdminCall(method, path, entry.get("body")))
    return calls


def _string_map(body: dict[str, Any], name: str) -> dict[str, str]:
    value = field(body, name, dict, required=False, default={})
    if not all(isinstance(v, str) for v in value.values()):
        raise AdminError(400, "invalid_field", f"{name} should map names to strings")
    return dict(value)


def parse_rule(body: dict[str, Any]) -> dict[str, Any]:
    """A rule's fields from an admin body; 400 on anything a rule cannot mean."""
    path = field(body, "path", str)
    if not path.startswith("/") or path.startswith(ADMIN_PREFIX):
        raise AdminError(400, "invalid_field", "path should be a platform path (not /_sandbox/...), "
                                               "optionally ending with * for a prefix")
    method = field(body, "method", str, required=False, nullable=True)
    if method is not None and method.upper() not in METHODS:
        raise AdminError(400, "invalid_field", f"method should be one of {', '.join(METHODS)}")
    spec: dict[str, Any] = {
        "path": path, "method": method.upper() if method else None,
        "query": _string_map(body, "query"), "headers": _string_map(body, "headers"),
        "skip": number(body, "skip", int, 0, None, required=False, default=0),
        "times": number(body, "times", int, 1, None, required=False, default=1, nullable=True),
        "probability": number(body, "probability", (int, float), 0, 1, required=False, default=1.0),
        "status": number(body, "status", int, 200, 599, required=False),
        "body": body.get("body"),
        "retry_after": number(body, "retry_after", int, 0, 86_400, required=False),
        "delay_ms": number(body, "delay_ms", int, 0, MAX_DELAY_MS, required=False, default=0),
        "malformed": field(body, "malformed", bool, required=False, default=False),
        "drop": field(body, "drop", bool, required=False, default=False),
        "then": _then_calls(body["then"]) if field(body, "then", list, required=False) is not None else [],
    }
    if spec["probability"] == 0:
        raise AdminError(400, "invalid_field", "probability should be > 0 (delete the rule to turn it off)")
    if sum((spec["status"] is not None, spec["malformed"], spec["drop"])) > 1:
        raise AdminError(400, "invalid_field", "give one of status (a fault answer), malformed (a broken real "
                                               "answer) and drop (a closed connection), not several")
    if spec["status"] is not None and spec["body"] is None and spec["status"] not in ENVELOPE_STATUSES:
        raise AdminError(400, "invalid_field", "status other than 429 or 5xx needs a body (the platform's "
                                               "envelope is only known for those)")
    if spec["status"] is None and spec["body"] is not None:
        raise AdminError(400, "invalid_field", "body needs a status")
    if not (spec["status"] or spec["malformed"] or spec["drop"] or spec["delay_ms"] or spec["then"]):
        raise AdminError(400, "invalid_field", "a rule should do something: status, malformed, drop, delay_ms or then")
    return spec


@bp.get("/faults")
def list_faults() -> Response:
    return reply({"faults": [rule.view() for rule in _book().rules()]})


@bp.post("/faults")
def add_fault() -> Response:
    spec = parse_rule(json_body(allowed=RULE_FIELDS))
    return reply(_book().add(**spec).view(), 201)


@bp.delete("/faults")
def clear_faults() -> Response:
    return reply({"deleted": _book().clear()})


@bp.get("/faults/<fault_id>")
def get_fault(fault_id: str) -> Response:
    rule = _book().get(fault_id)
    if rule is None:
        raise AdminError(404, "not_found", f"no fault {fault_id}")
    return reply(rule.view())


@bp.delete("/faults/<fault_id>")
def delete_fault(fault_id: str) -> Response:
    if not _book().delete(fault_id):
        raise AdminError(404, "not_found", f"no fault {fault_id}")
    return reply({"deleted": 1})


# ---- applying the rules to platform requests -------------------------------------------------------
def _fault_answer(rule: FaultRule, answer: FaultAnswer) -> Response:
    status = rule.status or 500
    if rule.body is None:
        response = answer(status, rule.retry_after)
    else:
        raw = rule.body if isinstance(rule.body, str) else json.dumps(rule.body, ensure_ascii=False)
        response = Response(raw, status=status, content_type="application/json; charset=utf-8"
                            if not isinstance(rule.body, str) else "text/plain; charset=utf-8")
    if rule.retry_after is not None:
        response.headers["Retry-After"] = str(rule.retry_after)
    response.headers.update(rule.headers)
    return response


def _run_then(app: Flask, rule: FaultRule) -> None:
    """The rule's admin calls, in order, through the app itself (the same API a test would call)."""
    book = app.extensions["shop_sandbox"].faults
    client = app.test_client()
    for call in rule.then:
        result = client.open(call.path, method=call.method,
                             json=call.body if call.body is not None else None)
        book.record_then(rule, call, result.status_code, result.get_json(silent=True))


def install(app: Flask, answer: FaultAnswer) -> None:
    """Hooks that apply the rules to every platform request; `answer` renders a fault's status in
    the envelope of the platform that owns the path."""

    @app.before_request
    def _inject() -> Response | None:
        book = app.extensions["shop_sandbox"].faults
        if not book:
            return None
        rule = book.match(request.method, request.path, request.args.to_dict())
        if rule is None:
            return None
        g.shop_sandbox_fault = rule
        exchange.current().fault = rule.id  # for the request journal and the console
        if rule.delay_ms:
            with run_gate.released():  # the other requests run while this one is held
                time.sleep(rule.delay_ms / 1000)  # latency is real time by nature: it is what the client waits
        if rule.status is not None:
            return _fault_answer(rule, answer)
        return None

    @app.after_request
    def _after(response: Response) -> Response:
        rule: FaultRule | None = g.pop("shop_sandbox_fault", None)
        if rule is None:
            return response
        if rule.malformed and rule.status is None:
            data = response.get_data()
            response.set_data(data[: max(1, len(data) // 2)])  # cut mid-body: no longer valid JSON
        if rule.drop and rule.status is None:
            # Headers promise the whole body, its first byte follows and the connection closes: the
            # client reads an incomplete answer (http.client.IncompleteRead). One byte, not none:
            # the server sends headers with the first body bytes, and with none it may close
            # before the headers went out (core/request_log.py ends the body early).
            data = response.get_data()
            response.set_data(data[:1])
            response.headers["Content-Length"] = str(max(2, len(data)))
        if rule.then:
            _run_then(app, rule)
        return response
