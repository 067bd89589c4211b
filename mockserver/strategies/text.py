"""Hostile text and numbers: unicode that breaks naive code, huge strings, boundary values.

Everything here is JSON-safe: no NUL and no lone surrogates (neither survives every JSON stack, and
the brief for these strategies is "hostile but still valid"). Huge strings are built by repeating
a drawn unit, because Hypothesis cannot draw a few hundred kilobytes character by character.
"""
from __future__ import annotations

from hypothesis import strategies as st

# Cap for strings whose schema sets no maxLength: a few hundred kB once encoded (CJK is 3 bytes).
HUGE = 200_000
LARGE_INT = 2**63 - 1     # the largest int64: a receiver parsing into a double loses digits
UNSAFE_INT = 2**53 + 1    # the first int a JavaScript number cannot hold exactly
# Fragments that trip naive code: CJK and astral CJK, emoji (ZWJ sequence, skin tone, flag),
# right-to-left text and the RTL override, combining marks, zero-width and BOM characters, Thai and
# Vietnamese diacritics, control and quote characters, markup and injection look-alikes.
FRAGMENTS: tuple[str, ...] = (
    "蝦皮購物", "訂單備註：請小心輕放", "𠜎𠜱𠝹", "👩‍👩‍👧‍👦", "👍🏽", "🇹🇼", "😀", "مرحبا بالعالم", "שלום",
    "\u202eevil\u202c", "e\u0301", "Z\u0324\u0354\u0367\u0311\u0313", "\u200b", "\u200d", "\ufeff",
    "สวัสดีครับ", "Tiếng Việt có dấu", "ﷺ", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "\t", "\n", "\r\n", "\x1b[31m", "\"", "\\", "'",
    "<script>alert(1)</script>", "'; DROP TABLE orders;--", "%s%n%x", "${jndi:ldap://x}", "{{7*7}}",
    "   ", "\u3000", "NaN", "null", "-0", "1e309",
)
_CHARS = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
_UNIT = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(_CHARS, min_size=1, max_size=6)),
                 min_size=1, max_size=6).map("".join)


def _fit(unit: str, length: int) -> str:
    """`unit` repeated and cut to exactly `length` code points (JSON Schema counts code points)."""
    return (unit * (length // len(unit) + 1))[:length]


@st.composite
def hostile_text(draw, min_size: int = 0, max_size: int | None = None, *, huge: int = HUGE) -> str:
    """A hostile string within [min_size, max_size] code points: usually a short unicode mix,
    sometimes exactly max_size (or `huge` when unbounded), sometimes empty or the minimum."""
    high = huge if max_size is None else max_size
    low = min(min_size, high)
    unit = draw(_UNIT)
    shape = draw(st.sampled_from(("mix", "mix", "mix", "longest", "shortest")))
    if shape == "longest":
        return _fit(unit, high)
    if shape == "shortest":
        return _fit(unit, low)
    return _fit(unit, min(max(len(unit), low), high))


def hostile_integers(minimum: int | None = None, maximum: int | None = None) -> st.SearchStrategy[int]:
    """Boundary integers: the bounds, 0, -1 and 1, int32/int53/int64 edges, all inside the bounds."""
    low = -LARGE_INT - 1 if minimum is None else minimum
    high = LARGE_INT if maximum is None else maximum
    picks = [low, high, 0, -1, 1, 2**31 - 1, 2**31, -(2**31) - 1, UNSAFE_INT, -UNSAFE_INT, 2**32 - 1, 2**32]
    inside = sorted({v for v in picks if low <= v <= high})
    return st.sampled_from(inside) if inside else st.integers(low, high)


def hostile_numbers(minimum: float | None = None, maximum: float | None = None, *,
                    exclusive_minimum: float | None = None) -> st.SearchStrategy[float]:
    """Boundary numbers: the bounds, 0, tiny and huge magnitudes and negatives where allowed."""
    picks = [0.0, -0.0, 0.01, -0.01, 1e-9, 1e15, -1e15, 1.7976931348623157e308, 0.1 + 0.2, 2.0**53 + 2]
    if minimum is not None:
        picks.append(float(minimum))
    if maximum is not None:
        picks.append(float(maximum))

    def inside(v: float) -> bool:
        return ((minimum is None or v >= minimum) and (maximum is None or v <= maximum)
                and (exclusive_minimum is None or v > exclusive_minimum))
    chosen = sorted({v for v in picks if inside(v)})
    return st.sampled_from(chosen) if chosen else st.floats(minimum, maximum, allow_nan=False)
