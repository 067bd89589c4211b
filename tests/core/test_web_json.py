"""core/web.py's JSON: orjson's bytes, and the json module's same compact text where orjson cannot
write a value (an integer beyond 64 bits), JSON kept as an orjson.Fragment included."""
from __future__ import annotations

import json

import orjson

from mockserver.core.web import dumps


def test_kept_json_is_spliced_as_is() -> None:
    kept = orjson.Fragment(b'{"order_sn":"A1","cod":false}')
    assert dumps({"list": [kept, kept]}) == b'{"list":[{"order_sn":"A1","cod":false},{"order_sn":"A1","cod":false}]}'


def test_the_fallback_writes_kept_json_as_its_data_not_its_text() -> None:
    kept = orjson.Fragment('{"name":"陳家小舖","n":1}'.encode())
    written = dumps({"big": 2**70, "kept": kept})
    assert written == '{"big":1180591620717411303424,"kept":{"name":"陳家小舖","n":1}}'.encode()
    assert json.loads(written)["kept"] == {"name": "陳家小舖", "n": 1}
