"""SHOPLINE webhook signatures, for both flavours (reference shopline.md, "Signature").

Open API app webhooks: query parameter `sign` = lowercase hex HMAC-SHA256(app_secret,
"<timestamp>:<body as JSON with keys sorted recursively, compact separators, non-ASCII kept>"), the
timestamp (seconds) travelling in X-Shopline-Developer-Event-Timestamp. The receiver re-serialises the
parsed body, so the signature does not depend on the bytes on the wire.

Global flavour: X-Shopline-Hmac-Sha256 = HMAC-SHA256(app secret, raw body bytes), lowercase hex by
default (SHOPLINE's SDK emits hex) or base64 (seed 002's example value is base64).
"""
from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import json
from typing import Any, Literal

import orjson

SIGN_QUERY_PARAM = "sign"
TIMESTAMP_HEADER = "X-Shopline-Developer-Event-Timestamp"
HMAC_HEADER = "X-Shopline-Hmac-Sha256"

Encoding = Literal["hex", "base64"]
ENCODINGS: tuple[str, ...] = ("hex", "base64")
DEFAULT_GLOBAL_ENCODING: Encoding = "hex"


def _bytes(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode("utf-8")


def canonical_json(body: Any) -> str:
    """Keys sorted at every depth, no whitespace, non-ASCII characters kept as themselves."""
    try:  # orjson writes these documents as json.dumps below does, ten times faster
        return orjson.dumps(body, option=orjson.OPT_SORT_KEYS).decode("utf-8")
    except TypeError:  # what orjson does not take (an integer beyond 64 bits, a non-string key)
        return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _as_document(body: Any) -> Any:
    """A receiver holds raw bytes; the signature covers the parsed document re-serialised."""
    if isinstance(body, (bytes, bytearray)):
        return json.loads(bytes(body).decode("utf-8"))
    if isinstance(body, str):
        return json.loads(body)
    return body


def open_api_sign(app_secret: str | bytes, timestamp: int | str, body: Any) -> str:
    """The `sign` query parameter of an Open API app webhook (body: dict, JSON text or bytes)."""
    return open_api_sign_canonical(app_secret, timestamp, canonical_json(_as_document(body)).encode("utf-8"))


def open_api_sign_canonical(app_secret: str | bytes, timestamp: int | str, canonical: bytes) -> str:
    """open_api_sign of a body already written as canonical_json (UTF-8)."""
    return _hmac_sha256(_bytes(app_secret), f"{timestamp}:".encode(), canonical).hex()


def _hmac_sha256(key: bytes, *parts: bytes) -> bytes:
    """HMAC-SHA256 (RFC 2104) of the parts joined, fed to hashlib in pieces below its GIL_MINSIZE
    (2048 bytes): hashlib lets go of the interpreter for anything longer, and a trigger's 19 kB
    event then handed the interpreter to the webhook dispatcher in the middle of a request, for
    ~4 us of hashing, and waited to get it back: 8% of the SHOPLINE trigger's rate (bench/,
    docs/performance.md, "A seventh pass"). Both flavours' signatures cover such bodies."""
    inner, outer = _pads(key)
    inner = inner.copy()
    for part in parts:
        view = memoryview(part)
        for start in range(0, len(view), _PIECE):
            inner.update(view[start:start + _PIECE])
    outer = outer.copy()
    outer.update(inner.digest())
    return outer.digest()


_PIECE = 2047  # bytes: hashlib hashes shorter input with the interpreter held
_BLOCK = 64  # SHA-256's block size, HMAC's key length


@functools.lru_cache(maxsize=64)
def _pads(key: bytes) -> tuple[Any, Any]:
    """SHA-256 states after HMAC's inner and outer padded key, ready to copy (a few app secrets)."""
    if len(key) > _BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_BLOCK, b"\0")
    return (hashlib.sha256(bytes(b ^ 0x36 for b in key)), hashlib.sha256(bytes(b ^ 0x5C for b in key)))


def open_api_verify(app_secret: str | bytes, timestamp: int | str, body: Any, sign: str | None) -> bool:
    if not sign:
        return False
    try:
        expected = open_api_sign(app_secret, timestamp, body)
    except (ValueError, UnicodeDecodeError):  # a body that is not JSON cannot carry a valid sign
        return False
    return hmac.compare_digest(expected, sign.strip().lower())


def global_digest(secret: str | bytes, raw_body: str | bytes) -> bytes:
    return _hmac_sha256(_bytes(secret), _bytes(raw_body))


def global_sign(secret: str | bytes, raw_body: str | bytes, encoding: Encoding = DEFAULT_GLOBAL_ENCODING) -> str:
    """X-Shopline-Hmac-Sha256 over the exact bytes sent."""
    digest = global_digest(secret, raw_body)
    if encoding == "hex":
        return digest.hex()
    if encoding == "base64":
        return base64.b64encode(digest).decode("ascii")
    raise ValueError(f"unknown signature encoding {encoding!r} (use one of {ENCODINGS})")


def _decode(signature: str, encoding: Encoding) -> bytes | None:
    try:
        if encoding == "hex":
            return bytes.fromhex(signature)
        return base64.b64decode(signature, validate=True)
    except (ValueError, binascii.Error):
        return None


def global_verify(secret: str | bytes, raw_body: str | bytes, signature: str | None,
                  encoding: Encoding | None = None) -> bool:
    """Check a global-flavour signature; encoding None accepts either form (a 64-char hex digest
    and a 44-char base64 digest cannot be confused)."""
    if not signature:
        return False
    signature = signature.strip()
    expected = global_digest(secret, raw_body)
    for candidate in (encoding,) if encoding else ENCODINGS:
        if candidate not in ENCODINGS:
            raise ValueError(f"unknown signature encoding {candidate!r} (use one of {ENCODINGS})")
        decoded = _decode(signature, candidate)  # type: ignore[arg-type]
        if decoded is not None and hmac.compare_digest(decoded, expected):
            return True
    return False
