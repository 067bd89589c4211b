"""SHOPLINE webhook signatures: the two known-answer vectors of reference/shopline.md, both encodings
of the global flavour, and verification that notices any change."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re

import pytest

from mockserver.shopline import signing
from tests.support.seed_json import SEEDS, seed_text

# Reference A: Open API app webhook.
APP_SECRET = "b5138dd0a7c04f674260e1d3b3a762347421396fc5fc1bee55a2c2653c4207bd"
APP_TIMESTAMP = "1618994178"
APP_BODY = {"event": "Application", "merchant_id": "5dad5d2604515400018dcc90",
            "resource": {"_id": "607fd9c2ff790b001cd23353", "merchant_id": "5dad5d2604515400018dcc90",
                         "updated_at": "2021-04-21T08:36:17.892Z"},
            "topic": "application/uninstall"}
APP_SIGN = "ae8b68f6a26d8f95290c761d10dbce01c775fd4d734e942e643aee20c86ebf4b"
# Reference B: global flavour.
GLOBAL_SECRET = "LDLLJJLflja2039203flaflaLLFLE"
GLOBAL_BODY = b'{"body_html":"BodyHtml","id":"32398389389389"}'
GLOBAL_HEX = "edf64f4c46a9cb2c8aaa6c7034b77899aca1b63ad0c461901417a42b1cf139b0"
GLOBAL_BASE64 = "7fZPTEapyyyKqmxwNLd4mayhtjrQxGGQFBekKxzxObA="


# ---------------------------------------------------------------- Open API
def test_open_api_sign_matches_the_reference_vector():
    assert signing.open_api_sign(APP_SECRET, APP_TIMESTAMP, APP_BODY) == APP_SIGN
    assert signing.open_api_sign(APP_SECRET, int(APP_TIMESTAMP), APP_BODY) == APP_SIGN


def test_open_api_sign_ignores_key_order_and_whitespace_on_the_wire():
    shuffled = {"topic": APP_BODY["topic"], "resource": dict(reversed(list(APP_BODY["resource"].items()))),
                "merchant_id": APP_BODY["merchant_id"], "event": APP_BODY["event"]}
    text = json.dumps(shuffled, indent=2)
    for body in (shuffled, text, text.encode()):
        assert signing.open_api_sign(APP_SECRET, APP_TIMESTAMP, body) == APP_SIGN


def test_open_api_verify_accepts_the_vector_and_rejects_any_change():
    assert signing.open_api_verify(APP_SECRET, APP_TIMESTAMP, APP_BODY, APP_SIGN)
    assert signing.open_api_verify(APP_SECRET, APP_TIMESTAMP, APP_BODY, APP_SIGN.upper())
    changed_body = json.loads(json.dumps(APP_BODY))
    changed_body["resource"]["updated_at"] = "2021-04-21T08:36:17.893Z"
    assert not signing.open_api_verify(APP_SECRET, APP_TIMESTAMP, changed_body, APP_SIGN)
    assert not signing.open_api_verify(APP_SECRET[:-1] + "c", APP_TIMESTAMP, APP_BODY, APP_SIGN)
    assert not signing.open_api_verify(APP_SECRET, "1618994179", APP_BODY, APP_SIGN)
    assert not signing.open_api_verify(APP_SECRET, APP_TIMESTAMP, APP_BODY, APP_SIGN[:-1] + "0")
    assert not signing.open_api_verify(APP_SECRET, APP_TIMESTAMP, APP_BODY, "")
    assert not signing.open_api_verify(APP_SECRET, APP_TIMESTAMP, APP_BODY, None)
    assert not signing.open_api_verify(APP_SECRET, APP_TIMESTAMP, b"not json", APP_SIGN)


def test_canonical_json_sorts_keys_at_every_depth_compactly_and_keeps_non_ascii():
    body = {"b": {"d": 1, "c": "小明"}, "a": [{"z": None, "y": True}], "é": 1.5}
    assert signing.canonical_json(body) == '{"a":[{"y":true,"z":null}],"b":{"c":"小明","d":1},"é":1.5}'


def test_open_api_sign_covers_non_ascii_as_utf8_characters_not_escapes():
    body = {"resource": {"name": "小明", "note": "café"}, "topic": "user/update"}
    message = '1700000000:{"resource":{"name":"小明","note":"café"},"topic":"user/update"}'
    expected = hmac.new(b"secret", message.encode("utf-8"), hashlib.sha256).hexdigest()
    assert signing.open_api_sign("secret", 1700000000, body) == expected
    escaped = '1700000000:' + json.dumps(body, sort_keys=True, separators=(",", ":"))
    assert hmac.new(b"secret", escaped.encode(), hashlib.sha256).hexdigest() != expected


@pytest.mark.parametrize("size", [0, 1, 2046, 2047, 2048, 4094, 4095, 19_553])
@pytest.mark.parametrize("secret", ["", "app-secret", "k" * 64, "long-" * 30, "秘密"])
def test_a_body_signed_in_pieces_is_hmac_sha256_of_the_whole(size, secret):
    # Both flavours' signatures are hashed in pieces under hashlib's 2048 bytes: every length
    # around the pieces and every key length (empty, short, one block, longer than a block:
    # hashed first) is HMAC's.
    body = bytes(range(256)) * (size // 256) + bytes(range(size % 256))
    expected = hmac.new(secret.encode(), b"1795000000:" + body, hashlib.sha256).hexdigest()
    assert signing.open_api_sign_canonical(secret, 1_795_000_000, body) == expected
    assert signing.open_api_sign_canonical(secret.encode(), "1795000000", body) == expected
    assert signing.global_digest(secret, body) == hmac.new(secret.encode(), body, hashlib.sha256).digest()


def test_open_api_sign_is_lowercase_hex():
    assert re.fullmatch(r"[0-9a-f]{64}", signing.open_api_sign("k", 1, {"a": 1}))


# ---------------------------------------------------------------- global
def test_global_sign_matches_the_reference_vector_in_hex_by_default():
    assert signing.DEFAULT_GLOBAL_ENCODING == "hex"
    assert signing.global_sign(GLOBAL_SECRET, GLOBAL_BODY) == GLOBAL_HEX
    assert signing.global_sign(GLOBAL_SECRET, GLOBAL_BODY.decode(), "hex") == GLOBAL_HEX


def test_global_sign_base64_is_the_same_digest():
    assert signing.global_sign(GLOBAL_SECRET, GLOBAL_BODY, "base64") == GLOBAL_BASE64
    assert base64.b64decode(GLOBAL_BASE64) == bytes.fromhex(GLOBAL_HEX)


def test_global_verify_accepts_either_encoding_and_rejects_any_change():
    for signature in (GLOBAL_HEX, GLOBAL_BASE64, GLOBAL_HEX.upper()):
        assert signing.global_verify(GLOBAL_SECRET, GLOBAL_BODY, signature)
    assert signing.global_verify(GLOBAL_SECRET, GLOBAL_BODY, GLOBAL_HEX, "hex")
    assert signing.global_verify(GLOBAL_SECRET, GLOBAL_BODY, GLOBAL_BASE64, "base64")
    assert not signing.global_verify(GLOBAL_SECRET, GLOBAL_BODY, GLOBAL_BASE64, "hex")
    assert not signing.global_verify(GLOBAL_SECRET, GLOBAL_BODY, GLOBAL_HEX, "base64")
    # The raw body is signed: the same JSON with a space is another message.
    assert not signing.global_verify(GLOBAL_SECRET, b'{"body_html": "BodyHtml","id":"32398389389389"}', GLOBAL_HEX)
    assert not signing.global_verify(GLOBAL_SECRET + "x", GLOBAL_BODY, GLOBAL_HEX)
    assert not signing.global_verify(GLOBAL_SECRET, GLOBAL_BODY, "")
    assert not signing.global_verify(GLOBAL_SECRET, GLOBAL_BODY, "not a signature!")


def test_global_sign_refuses_an_unknown_encoding():
    with pytest.raises(ValueError):
        signing.global_sign(GLOBAL_SECRET, GLOBAL_BODY, "base32")  # type: ignore[arg-type]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds is not beside the checkout")
def test_seed_002s_example_signature_is_a_base64_sha256_digest():
    """Why base64 is supported at all: the seed's own header example is one."""
    match = re.search(r"X-Shopline-Hmac-Sha256 string required\s+\S+\s+Example: (\S+)", seed_text("002"))
    assert match is not None
    assert len(base64.b64decode(match.group(1), validate=True)) == hashlib.sha256().digest_size
