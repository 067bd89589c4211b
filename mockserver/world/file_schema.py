"""Checks a world document against contracts/admin/world.schema.yaml: every error, located."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable

from mockserver.world.file_problems import Path, Problem

if TYPE_CHECKING:  # jsonschema is imported when a world file is first checked, not at every start
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

SCHEMA = "admin/world.schema.yaml"
MAX_PROBLEMS = 200  # a wholly wrong file says enough in 200 lines


@lru_cache(maxsize=1)
def validator() -> Draft202012Validator:
    from mockserver.core.contracts import schema_validator

    return schema_validator(SCHEMA)


def schema_problems(data: Any, locate: Callable[[Path, str], Problem]) -> list[Problem]:
    """Every schema error of `data`, in document order, each made a Problem by `locate`."""
    problems: list[Problem] = []
    for error in sorted(validator().iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        problems += _explain(error, locate)
        if len(problems) >= MAX_PROBLEMS:
            problems.append(locate((), f"... and more (the first {MAX_PROBLEMS} are shown)"))
            break
    return problems


def _explain(error: ValidationError, locate: Callable[[Path, str], Problem]) -> list[Problem]:
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = sorted(error.schema.get("properties", {}))
        return [locate(path + (key,), f"unknown field; known here: {', '.join(known)}")
                for key in sorted(set(error.instance) - set(known), key=str)]
    if error.validator == "unevaluatedProperties" and "(" in error.message:
        names = re.findall(r"'([^']*)'", error.message[error.message.rindex("("):])
        return [locate(path + (name,), "unknown field") for name in names]
    if error.validator == "required":
        return [locate(path, error.message.replace("is a required property", "is required"))]
    if error.context:  # oneOf/anyOf: the branch that came closest (deepest error) says what is wrong
        closest = max(error.context, key=lambda e: (len(e.absolute_path), e.validator != "type"))
        return _explain(closest, locate)
    return [locate(path, error.message)]
