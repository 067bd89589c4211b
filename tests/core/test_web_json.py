"""core/web.py's JSON: orjson's bytes, and the json module's same compact text where orjson cannot
write a value (an integer beyond 64 bits), JSON kept as an orjson.Fragment included; a JsonAnswer
goes out with json_response's status line, headers and bytes."""
from __future__ import annotations

import json

import orjson
import pytest
from werkzeug.test import run_wsgi_app

from mockserver.core.web import dumps, json_answer, json_response


def test_kept_json_is_spliced_as_is() -> None:
    kept = orjson.Fragment(b'{"order_sn":"A1","cod":false}')
    assert dumps({"list": [kept, kept]}) == b'{"list":[{"order_sn":"A1","cod":false},{"order_sn":"A1","cod":false}]}'


def test_the_fallback_writes_kept_json_as_its_data_not_its_text() -> None:
    kept = orjson.Fragment('{"name":"陳家小舖","n":1}'.encode())
    written = dumps({"big": 2**70, "kept": kept})
    assert written == '{"big":1180591620717411303424,"kept":{"name":"陳家小舖","n":1}}'.encode()
    assert json.loads(written)["kept"] == {"name": "陳家小舖", "n": 1}


def test_keys_that_are_not_strings_are_written_as_strings() -> None:
    assert dumps({1: "a", "b": {2: [3]}}) == b'{"1":"a","b":{"2":[3]}}'
    assert dumps({1: 2**70}) == b'{"1":1180591620717411303424}'


@pytest.mark.parametrize("status", [200, 400, 403, 404, 405, 429, 500, 503, 299])
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_json_answer_is_sent_as_json_response_sends_it(status: int, method: str) -> None:
    body = {"order_list": [{"order_sn": "A1"}], "name": "陳家小舖"}
    environ = {"REQUEST_METHOD": method}
    lean = json_answer(body, status)
    assert (lean.status_line(), lean.headers()) == (json_response(body, status).status,
                                                    json_response(body, status).headers.to_wsgi_list())
    sent = [run_wsgi_app(app, dict(environ)) for app in (lean, json_response(body, status))]
    (chunks, line, headers), (werkzeug_chunks, werkzeug_line, werkzeug_headers) = sent
    assert (line, list(headers), b"".join(chunks)) == (werkzeug_line, list(werkzeug_headers), b"".join(werkzeug_chunks))
