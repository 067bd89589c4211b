"""Small pieces the platform strategies share: unix-time ranges and enums read from contracts/."""
from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from mockserver.core.contracts import load

# The default window for generated instants (UTC): 2021-01-01 .. 2027-01-01, like the seeds' dates.
TIME_FROM, TIME_TO = 1_609_459_200, 1_798_761_600

TimeSpec = tuple[int, int] | st.SearchStrategy[int] | None


def unix_times(spec: TimeSpec, default: tuple[int, int] | None = (TIME_FROM, TIME_TO)) -> st.SearchStrategy[int] | None:
    """Unix seconds from a (start, end) range (inclusive) or a strategy; `default` when None
    (None again when no default: the caller then leaves the field out)."""
    if spec is None:
        spec = default
        if spec is None:
            return None
    if isinstance(spec, st.SearchStrategy):
        return spec
    start, end = spec
    if start > end:
        raise ValueError(f"empty time range: {start} > {end}")
    return st.integers(int(start), int(end))


def admin_schema(name: str) -> dict[str, Any]:
    """A component schema of contracts/admin/openapi.yaml (the /_sandbox API)."""
    return load("admin/openapi.yaml")["components"]["schemas"][name]


def admin_enum(name: str) -> tuple[Any, ...]:
    """The enum of an admin component schema, in the contract's order."""
    return tuple(admin_schema(name)["enum"])
