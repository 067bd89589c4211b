"""Validators for the strategies' contracts and the in-process sandbox settings the tests share."""
from __future__ import annotations

from functools import cache
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from mockserver.contract_drift import SchemaRef
from mockserver.core.contracts import load

# Examples stay few: the whole folder should run in well under 20 s.
FAST = settings(max_examples=25, derandomize=True, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# For `find`: the same example every run, nothing written to the example database.
FIND = settings(derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))


@cache
def admin_validator(component: str) -> Draft202012Validator:
    """A validator for a component schema of contracts/admin/openapi.yaml (its $refs resolved)."""
    return SchemaRef(load("admin/openapi.yaml"), "urn:test:admin", f"/components/schemas/{component}").validator


def errors(validator: Draft202012Validator, document: Any) -> list[str]:
    """Readable validation errors (an empty list when the document is valid)."""
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message[:200]}"
            for e in validator.iter_errors(document)]


def strings(node: Any) -> list[str]:
    """Every string value in a JSON document."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in strings(value)]
    return []


def sample(strategy: st.SearchStrategy[Any], count: int = 50) -> list[Any]:
    """`count` examples of a strategy, the same every run, without shrinking (checks over a set of
    examples, e.g. "some are huge", are cheaper than `find`, which shrinks a huge string slowly)."""
    drawn: list[Any] = []

    @settings(max_examples=count, derandomize=True, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def collect(example: Any) -> None:
        drawn.append(example)

    collect()
    return drawn
