"""JSON written the way JavaScript writes it (JSON.parse, then JSON.stringify), in pure Python: the
independent check of issue 12, point 7 (a Node receiver re-serialises a SHOPLINE body to verify it).

- Numbers: JSON.parse makes every number a double (an integer beyond 2**53 loses digits), and
  Number::toString writes the shortest round-trip digits: "8" for 8.0, fixed notation from 1e-6 to
  1e21, exponent notation ("1e+21", "1e-7") outside (ECMA-262 Number::toString).
- Strings: QuoteJSONString: \\" \\\\ \\b \\f \\n \\r \\t, \\u00XX (lowercase) for other control
  characters, everything else as is.
- Objects: keys in insertion order, except that array-index keys ("0", "17") come first in numeric
  order; a receiver sorting keys uses Array#sort, which compares UTF-16 code units.
"""
from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

_SHORT = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def number(value: int | float) -> str:
    """ECMA-262 Number::toString(10) of the double JSON.parse makes of `value`."""
    x = float(value)
    if x != x or x in (float("inf"), float("-inf")):
        return "null"
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    digits_tuple, exponent = Decimal(repr(abs(x))).as_tuple()[1:]
    digits = "".join(map(str, digits_tuple)).rstrip("0") or "0"
    exponent += len("".join(map(str, digits_tuple))) - len(digits)
    k = len(digits)
    n = exponent + k  # value = 0.digits x 10^n
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    e = n - 1
    mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
    return f"{sign}{mantissa}e{'+' if e > 0 else '-'}{abs(e)}"


def string(text: str) -> str:
    out = []
    for ch in text:
        if ch in _SHORT:
            out.append(_SHORT[ch])
        elif ch < " " or "\ud800" <= ch <= "\udfff":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _index_key(key: str) -> bool:
    return key.isdigit() and key.isascii() and (key == "0" or not key.startswith("0")) and int(key) < 2**32 - 1


def _utf16(key: str) -> bytes:
    return key.encode("utf-16-be", "surrogatepass")


def stringify(value: Any, sort_keys: bool = False) -> str:
    """JSON.stringify(value) (compact); sort_keys: of an object rebuilt with Object.keys().sort()."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return number(value)
    if isinstance(value, str):
        return string(value)
    if isinstance(value, list):
        return "[" + ",".join(stringify(v, sort_keys) for v in value) + "]"
    keys = sorted(value, key=_utf16) if sort_keys else list(value)
    keys = sorted((k for k in keys if _index_key(k)), key=int) + [k for k in keys if not _index_key(k)]
    return "{" + ",".join(string(k) + ":" + stringify(value[k], sort_keys) for k in keys) + "}"


def reserialise(raw: bytes | str, sort_keys: bool = False) -> str:
    """What a JavaScript receiver writes after JSON.parse of `raw`."""
    return stringify(json.loads(raw), sort_keys)
