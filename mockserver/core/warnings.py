"""What the sandbox accepts without knowing that the platform does.

Where a platform's documents state a rule, the platform package enforces it. Where they are silent
(an unknown parameter, an unlisted optional field, a repeated parameter), the sandbox accepts the
request as the platform is believed to, and says so: the warning goes to the request's console
line, its journal entry and an X-Sandbox-Warning header. In strict mode (--strict,
SHOP_SANDBOX_STRICT, or POST /_sandbox/strict for one test) the same call refuses instead, with the
platform's own error, which the caller supplies.
"""
from __future__ import annotations

from typing import Callable

from mockserver.core.exchange import current

HEADER = "X-Sandbox-Warning"


def warn(message: str, refusal: BaseException | Callable[[], BaseException]) -> None:
    """Record a warning on the current request, or raise `refusal` (the platform's error) when the
    sandbox runs strict. `refusal` may be a callable, so that building it costs nothing when
    it is not raised."""
    record = current()
    if record.strict:
        raise refusal() if callable(refusal) and not isinstance(refusal, BaseException) else refusal
    record.warn(message)


def strict() -> bool:
    """Whether the request being answered runs strict (for platform code that must choose)."""
    return current().strict


def header_values(messages: list[str]) -> list[str]:
    """One X-Sandbox-Warning value per warning: printable ASCII, no line breaks, bounded."""
    values = []
    for message in messages:
        text = message.encode("ascii", "backslashreplace").decode("ascii")
        text = "".join(ch if " " <= ch <= "~" else " " for ch in text)
        values.append(text[:300])
    return values
