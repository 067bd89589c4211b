"""Issue 12, point 7: every payload the sandbox sends reads back the same in Python and JavaScript, so
a Node receiver verifies the Open API `sign` (over the re-serialised body) exactly as Python does.

Checked twice: with a pure-Python JSON.parse/JSON.stringify (tests/shopline/js_json.py), always; and
with Node itself when `node` is installed (skipped otherwise)."""
from __future__ import annotations

import hashlib
import hmac
import json
import shutil
import subprocess

import pytest

from mockserver.shopline import numbers, topics
from tests.shopline import js_json
from tests.shopline.emission_support import creds, flush, subscribe, subscribe_global, trigger

OPENAPI_TOPICS = list(topics.SEED_TOPICS + topics.EXTRA_TOPICS + topics.REFERENCE_TOPICS)
NODE = shutil.which("node")
# The receiver's check in JavaScript: sort keys at every depth, JSON.stringify, HMAC-SHA256 hex.
NODE_SCRIPT = r"""
const crypto = require('crypto');
let input = '';
process.stdin.on('data', d => { input += d; });
process.stdin.on('end', () => {
  const sortKeys = v => Array.isArray(v) ? v.map(sortKeys)
    : (v !== null && typeof v === 'object')
      ? Object.keys(v).sort().reduce((o, k) => { o[k] = sortKeys(v[k]); return o; }, {}) : v;
  const out = JSON.parse(input).map(it => ({
    sign: it.secret === null ? null : crypto.createHmac('sha256', it.secret)
      .update(it.ts + ':' + JSON.stringify(sortKeys(JSON.parse(it.body)))).digest('hex'),
    again: JSON.stringify(JSON.parse(it.body)),
  }));
  process.stdout.write(JSON.stringify(out));
});
"""


# ---- the rules themselves ----------------------------------------------------------------------------------
@pytest.mark.parametrize("value,written", [
    (8.0, "8"), (8, "8"), (-0.0, "0"), (123.99, "123.99"), (1.1, "1.1"), (0.1 + 0.2, "0.30000000000000004"),
    (1e20, "100000000000000000000"), (1e21, "1e+21"), (1.5e22, "1.5e+22"), (1e-6, "0.000001"), (1e-7, "1e-7"),
    (1.25e-7, "1.25e-7"), (2**53 + 1, "9007199254740992"), (12345678901234567890, "12345678901234567000"),
])
def test_the_javascript_rules_of_numbers(value, written):
    assert js_json.number(value) == written


def test_numbers_that_python_and_javascript_write_differently_are_found_and_integral_floats_fixed():
    assert numbers.canonical({"a": [8.0, -0.0, 1.5, True, "8.0"]}) == {"a": [8, 0, 1.5, True, "8.0"]}
    assert isinstance(numbers.canonical(8.0), int)
    assert numbers.problems({"ok": [1, 1.5, 0.25, 123.99, 2**53 - 1]}) == []
    found = numbers.problems({"a": 8.0, "b": [1.5e16 + 0.5, 1.5e-5], "c": 2**53})
    assert found == ["$.a: 8.0 is an integral float", "$.b[0]: 1.5e+16 is an integral float",
                     "$.b[1]: 1.5e-05 is written differently by Python and JavaScript",
                     "$.c: 9007199254740992 is beyond 2**53"]
    assert js_json.number(1.5e-5) == "0.000015" != json.dumps(1.5e-5)
    for value in (1.5, 123.99, 0.0001, 9999999999999998.0 / 3):
        assert json.dumps(value) == js_json.number(value) or numbers.problems(value)


# ---- what the sandbox sends ------------------------------------------------------------------------------------
def _open_api_deliveries(sandbox, inbox) -> tuple[str, list]:
    c = creds(sandbox)["openapi"]
    subscribe(sandbox, inbox, OPENAPI_TOPICS)
    for topic in OPENAPI_TOPICS:
        trigger(sandbox, topic=topic)
        for seed in range(4):
            trigger(sandbox, topic=topic, generate=True, seed=seed)
    flush(sandbox)
    received = inbox.requests("/hook")[1:]
    assert len(received) == 5 * len(OPENAPI_TOPICS)
    return c["app_secret"], received


def _js_sign(secret: str, received) -> str:
    timestamp = received.header("X-Shopline-Developer-Event-Timestamp")
    canonical = js_json.reserialise(received.body, sort_keys=True)
    return hmac.new(secret.encode(), f"{timestamp}:{canonical}".encode(), hashlib.sha256).hexdigest()


def test_every_open_api_delivery_verifies_when_re_serialised_the_javascript_way(sandbox, inbox):
    secret, received = _open_api_deliveries(sandbox, inbox)
    for request in received:
        payload = json.loads(request.body)
        assert numbers.problems(payload) == [], (payload["topic"], numbers.problems(payload)[:3])
        assert request.query["sign"] == [_js_sign(secret, request)], payload["topic"]


def _global_deliveries(sandbox, inbox) -> list:
    for topic in topics.GLOBAL_TOPICS:
        subscribe_global(sandbox, inbox.url_for("/g/" + topic.replace("/", "-")), topic)
        trigger(sandbox, topic=topic, flavour="global")
        for seed in range(4):
            trigger(sandbox, topic=topic, flavour="global", generate=True, seed=seed)
    flush(sandbox)
    received = [r for r in inbox.received if r.path.startswith("/g/")]
    assert len(received) == 5 * len(topics.GLOBAL_TOPICS)
    return received


def test_every_global_body_is_written_as_javascript_writes_it(sandbox, inbox):
    for request in _global_deliveries(sandbox, inbox):
        assert numbers.problems(json.loads(request.body)) == []
        # The signature covers the raw bytes; a receiver that stores and re-sends the parsed body
        # must still get the same bytes.
        assert js_json.reserialise(request.body) == request.body.decode("utf-8")


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_node_verifies_every_delivery_and_re_writes_it_unchanged(sandbox, inbox):
    secret, received = _open_api_deliveries(sandbox, inbox)
    items = [{"secret": secret, "ts": r.header("X-Shopline-Developer-Event-Timestamp"),
              "body": r.body.decode("utf-8")} for r in received]
    glob = _global_deliveries(sandbox, inbox)
    items += [{"secret": None, "ts": "", "body": r.body.decode("utf-8")} for r in glob]
    done = subprocess.run([NODE, "-e", NODE_SCRIPT], input=json.dumps(items), capture_output=True, text=True,
                          timeout=120, check=True)
    results = json.loads(done.stdout)
    for request, result in zip(received, results):
        assert request.query["sign"] == [result["sign"]], json.loads(request.body)["topic"]
        assert result["again"] == js_json.reserialise(request.body)  # the pure-Python rules agree with Node
    for request, result in zip(glob, results[len(received):]):
        assert result["again"] == request.body.decode("utf-8")


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_the_pure_python_rules_agree_with_node_on_awkward_numbers():
    values = [8.0, -0.0, 1e20, 1e21, 1.5e22, 1e-6, 1e-7, 1.25e-7, 0.1 + 0.2, 123.99, 5e-324, 1.7976931348623157e308,
              2**53 + 1, 12345678901234567890, 0.000123, 1234567.125]
    text = json.dumps(values)
    done = subprocess.run([NODE, "-e", "process.stdout.write(JSON.stringify(JSON.parse(process.argv[1])))", text],
                          capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout == js_json.reserialise(text)
