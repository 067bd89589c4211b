"""Numbers every common JSON implementation writes the same way (issue 12, point 7).

The Open API signature is over the body re-serialised with sorted keys and compact separators, by
the receiver, in its own language. Python writes the float 8.0 as "8.0" where JavaScript's
JSON.stringify writes "8", and the two switch to exponent notation at different magnitudes
(Python below 1e-4 and from 1e16, JavaScript below 1e-6 and from 1e21), so one document can sign
differently in Python and in Node. The sandbox therefore sends only numbers written alike by both:
integers within 2**53 (exact as a double) and non-integral floats with 1e-4 <= |x| < 1e16;
integral floats become integers.
"""
from __future__ import annotations

import math
from typing import Any

SAFE_INTEGER = 2**53 - 1  # JavaScript's Number.MAX_SAFE_INTEGER: larger integers lose digits
FLOAT_RANGE = (1e-4, 1e16)  # where Python's repr and JavaScript's Number#toString agree


def canonical(document: Any) -> Any:
    """A copy of the document with every integral float as an integer (8.0 -> 8, -0.0 -> 0)."""
    if isinstance(document, dict):
        return {key: canonical(value) for key, value in document.items()}
    if isinstance(document, list):
        return [canonical(value) for value in document]
    if isinstance(document, float) and math.isfinite(document) and document.is_integer():
        return int(document)
    return document


def problems(document: Any, path: str = "$") -> list[str]:
    """Where the document holds a number JSON implementations may write differently (empty: none)."""
    if isinstance(document, dict):
        return [p for key, value in document.items() for p in problems(value, f"{path}.{key}")]
    if isinstance(document, list):
        return [p for index, value in enumerate(document) for p in problems(value, f"{path}[{index}]")]
    if isinstance(document, bool) or not isinstance(document, (int, float)):
        return []
    if isinstance(document, int):
        return [] if abs(document) <= SAFE_INTEGER else [f"{path}: {document} is beyond 2**53"]
    if not math.isfinite(document):
        return [f"{path}: {document} is not JSON"]
    if document.is_integer():
        return [f"{path}: {document!r} is an integral float"]
    low, high = FLOAT_RANGE
    if not low <= abs(document) < high:
        return [f"{path}: {document!r} is written differently by Python and JavaScript"]
    return []
