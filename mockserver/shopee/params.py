"""Reads one API's own parameters (query for GET, JSON body for POST) with Shopee's errors.

Every failure is `error_param` "Wrong parameters, detail: ...", the template every v2 API lists.
A JSON null is a wrong type, never "absent"; an empty query value (`name=`) is "absent" (the
contract marks every optional query parameter allowEmptyValue).
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

from mockserver.shopee.errors import wrong_param

UINT32_MAX = 4294967295
INT64_MAX = 2**63 - 1
_MISSING = object()
_INTEGER = re.compile(r"-?[0-9]{1,19}")


class Params:
    """Typed access to a request's API parameters; remembers which names were read."""

    def __init__(self, source: Mapping[str, Any], from_query: bool) -> None:
        self._source = source
        self._from_query = from_query

    def check_known(self, known: Iterable[str]) -> None:
        unknown = sorted(set(self._source) - set(known))
        if unknown:
            raise wrong_param(f"unknown parameter {unknown[0]}")

    def _raw(self, name: str, required: bool) -> Any:
        value = self._source.get(name, _MISSING)
        if value is _MISSING or (self._from_query and value == ""):
            if required:
                raise wrong_param(f"{name} is required")
            return _MISSING
        return value

    def integer(self, name: str, required: bool = True, default: int | None = None,
                low: int = 0, high: int = INT64_MAX) -> int | None:
        value = self._raw(name, required)
        if value is _MISSING:
            return default
        if isinstance(value, bool):
            raise wrong_param(f"{name} should be an integer")
        if isinstance(value, str):
            # Plain ASCII digits only: int() would also take "1_0", "+5", " 7 " and other scripts' digits.
            if not _INTEGER.fullmatch(value):
                raise wrong_param(f"{name} should be an integer")
            value = int(value)
        if not isinstance(value, int):
            raise wrong_param(f"{name} should be an integer")
        if not low <= value <= high:
            raise wrong_param(f"{name} should be between {low} and {high}")
        return value

    def string(self, name: str, required: bool = True, default: str | None = None,
               choices: Iterable[str] | None = None, max_length: int | None = None) -> str | None:
        value = self._raw(name, required)
        if value is _MISSING:
            return default
        if not isinstance(value, str):
            raise wrong_param(f"{name} should be a string")
        if choices is not None and value not in choices:
            raise wrong_param(f"{name} should be one of {', '.join(choices)}")
        if max_length is not None and len(value) > max_length:
            raise wrong_param(f"{name} should be at most {max_length} characters")
        return value

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self._raw(name, False)
        if value is _MISSING:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise wrong_param(f"{name} should be true or false")

    def string_list(self, name: str, required: bool = True, low: int = 1, high: int = 50) -> list[str]:
        """A comma-joined list in a query, or a JSON array in a body."""
        value = self._raw(name, required)
        if value is _MISSING:
            return []
        if isinstance(value, str):
            items = [part.strip() for part in value.split(",")]
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            items = value
        else:
            raise wrong_param(f"{name} should be a list of strings")
        if any(not item for item in items):
            raise wrong_param(f"{name} has an empty entry")
        if not low <= len(items) <= high:
            raise wrong_param(f"the size of {name} should be between {low} and {high}")
        return items

    def object_list(self, name: str, fields: Mapping[str, tuple[type, bool]], required: bool = True) -> list[dict] | None:
        """A JSON array of objects whose fields are typed (type, required)."""
        value = self._raw(name, required)
        if value is _MISSING:
            return None
        if not isinstance(value, list):
            raise wrong_param(f"{name} should be a list")
        return [check_object(f"{name}[{i}]", entry, fields) for i, entry in enumerate(value)]

    def object(self, name: str, fields: Mapping[str, tuple[type, bool]], required: bool = False) -> dict | None:
        value = self._raw(name, required)
        if value is _MISSING:
            return None
        return check_object(name, value, fields)


def check_object(where: str, value: Any, fields: Mapping[str, Any]) -> dict:
    """Checks a JSON object's fields: {name: (type, required)} or {name: (list, required, subfields)}."""
    if not isinstance(value, dict):
        raise wrong_param(f"{where} should be an object")
    unknown = sorted(set(value) - set(fields))
    if unknown:
        raise wrong_param(f"unknown parameter {where}.{unknown[0]}")
    for field_name, spec in fields.items():
        kind, required = spec[0], spec[1]
        if field_name not in value:
            if required:
                raise wrong_param(f"{where}.{field_name} is required")
            continue
        # A JSON null is a wrong type like any other (as for a top-level parameter), not "absent":
        # the contract types no request field nullable.
        item = value[field_name]
        if kind is int:
            if isinstance(item, bool) or not isinstance(item, int) or not 0 <= item <= INT64_MAX:
                raise wrong_param(f"{where}.{field_name} should be an integer")
        elif kind is list:
            if not isinstance(item, list):
                raise wrong_param(f"{where}.{field_name} should be a list")
            value[field_name] = [check_object(f"{where}.{field_name}[{i}]", sub, spec[2])
                                 for i, sub in enumerate(item)]
        elif not isinstance(item, kind):
            raise wrong_param(f"{where}.{field_name} should be a {kind.__name__ if kind is not str else 'string'}")
    return value
