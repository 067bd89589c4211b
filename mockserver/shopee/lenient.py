"""What the Shopee package accepts without knowing that Shopee does, in Shopee's words.

Each helper records a warning on the request (core/warnings.py: console line, journal entry,
X-Sandbox-Warning header) or, in strict mode, raises the Shopee error the sandbox answered before
it was lenient. The choices and their sources are in docs/fidelity.md ("Lenient by default").
"""
from __future__ import annotations

from typing import Sequence

from mockserver.core.warnings import warn
from mockserver.shopee.errors import ShopeeError, wrong_param

# A repeated parameter's warning shows at most this many of its values (the journal keeps them all).
SHOWN_VALUES = 5


def _values(values: Sequence[str]) -> str:
    shown = ", ".join(repr(v[:40]) for v in values[:SHOWN_VALUES])
    return shown + (f" and {len(values) - SHOWN_VALUES} more" if len(values) > SHOWN_VALUES else "")


def unknown_parameter(api: str, name: str) -> None:
    """A parameter the reference does not list for this API: ignored (strict: error_param)."""
    warn(f"{api}: unknown parameter {name}, not in Shopee's reference for this API; ignored",
         lambda: wrong_param(f"unknown parameter {name}"))


def repeated_parameter(api: str, name: str, values: Sequence[str]) -> None:
    """A single-valued query parameter sent more than once: the first value counts, like Go's and
    Java's getParameter (strict: error_param naming it)."""
    warn(f"{api}: {name} is repeated ({_values(values)}); the sandbox uses the first value",
         lambda: wrong_param(f"{name} is repeated"))


def repeated_list(api: str, name: str, values: Sequence[str]) -> None:
    """A list parameter sent as name=a&name=b: read as the list's items (strict: error_param)."""
    warn(f"{api}: {name} is repeated ({_values(values)}); the sandbox reads every value as items of "
         f"the list (Shopee documents one comma-joined value)",
         lambda: wrong_param(f"{name} is repeated"))


def string_for_integer(api: str, name: str, raw: str) -> None:
    """A JSON string of digits where the reference types an integer (strict: error_param)."""
    warn(f"{api}: {name} is the string {raw[:30]!r}, the reference types it as an integer; "
         f"the sandbox reads it as {int(raw)}",
         lambda: wrong_param(f"{name} should be an integer"))


def unknown_value(api: str, name: str, value: str, known: Sequence[str], refusal: ShopeeError) -> None:
    """A value of a list parameter the reference does not list (an unknown response_optional_fields
    name): ignored (strict: `refusal`)."""
    warn(f"{api}: {name} {value[:60]!r} is not among the names the reference lists "
         f"({', '.join(known[:6])}{', ...' if len(known) > 6 else ''}); ignored", refusal)


def note(api: str, message: str, refusal: ShopeeError | None = None) -> None:
    """Any other acceptance the documents do not back (strict: `refusal`, or error_param)."""
    warn(f"{api}: {message}", refusal if refusal is not None else (lambda: wrong_param(message)))
