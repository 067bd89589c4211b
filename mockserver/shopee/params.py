"""Reads one API's own parameters (query for GET, JSON body for POST) with Shopee's errors.

Every failure is `error_param` "Wrong parameters, detail: ...", the template every v2 API lists,
with the reference's own words where its error examples give them ("order_sn is a required
field.", "page_size must be 100 or less."). A JSON null is a wrong type, never "absent"; an empty
query value (`name=`) is "absent" (the contract marks every optional query parameter
allowEmptyValue). What the reference does not say Shopee refuses (an unknown parameter, a repeated
one, digits sent as a JSON string) is accepted with a warning (lenient.py), refused in strict mode.
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

from mockserver.shopee import lenient
from mockserver.shopee.errors import ShopeeError, wrong_param

UINT32_MAX = 4294967295
INT64_MAX = 2**63 - 1
_MISSING = object()
_INTEGER = re.compile(r"-?[0-9]{1,19}")


def missing(name: str) -> ShopeeError:
    """The reference's words for a missing parameter (error example of cancel_order, set_note)."""
    return wrong_param(f"{name} is a required field")


class Params:
    """Typed access to one API's parameters: the first value of each query parameter (`source`),
    every value of the repeated ones (`repeated`), or the JSON body."""

    def __init__(self, source: Mapping[str, Any], from_query: bool, api: str = "",
                 repeated: Mapping[str, list[str]] | None = None) -> None:
        self._source = source
        self._from_query = from_query
        self.api = api
        self._repeated = dict(repeated or {})

    def check_known(self, known: Iterable[str]) -> None:
        """Unknown names are ignored with a warning each (strict: error_param for the first)."""
        for name in sorted(set(self._source) - set(known)):
            lenient.unknown_parameter(self.api, name)

    def present(self, name: str) -> bool:
        return self._raw(name, False) is not _MISSING

    def _raw(self, name: str, required_: bool) -> Any:
        value = self._source.get(name, _MISSING)
        if value is _MISSING or (self._from_query and value == ""):
            if required_:
                raise missing(name)
            return _MISSING
        values = self._repeated.pop(name, None)  # warned once, at the first read
        if values is not None:
            lenient.repeated_parameter(self.api, name, values)
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
            if not self._from_query:  # a JSON string where the reference types a number
                lenient.string_for_integer(self.api, name, value)
            value = int(value)
        if not isinstance(value, int):
            raise wrong_param(f"{name} should be an integer")
        return in_range(name, value, low, high)

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
        """A comma-joined list in a query (name=a,b; name=a&name=b too, warned), or a JSON array in a body."""
        values = self._repeated.pop(name, None)
        if values is not None:
            lenient.repeated_list(self.api, name, values)
            value: Any = ",".join(values)
        else:
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
        if len(items) > high:
            raise wrong_param(f"the size of {name} must be {high} or less")
        if len(items) < low:
            raise wrong_param(f"the size of {name} must be {low} or more")
        return items

    def object_list(self, name: str, fields: Mapping[str, tuple[type, bool]], required: bool = True) -> list[dict] | None:
        """A JSON array of objects whose fields are typed (type, required)."""
        value = self._raw(name, required)
        if value is _MISSING:
            return None
        if not isinstance(value, list):
            raise wrong_param(f"{name} should be a list")
        return [check_object(f"{name}[{i}]", entry, fields, self.api) for i, entry in enumerate(value)]

    def object(self, name: str, fields: Mapping[str, tuple[type, bool]], required: bool = False) -> dict | None:
        value = self._raw(name, required)
        if value is _MISSING:
            return None
        return check_object(name, value, fields, self.api)


def in_range(name: str, value: int, low: int, high: int) -> int:
    """The reference's words for a number out of range ("page_size must be 100 or less.")."""
    if value > high:
        raise wrong_param(f"{name} must be {high} or less")
    if value < low:
        raise wrong_param(f"{name} must be {low} or more")
    return value


def check_object(where: str, value: Any, fields: Mapping[str, Any], api: str = "") -> dict:
    """Checks a JSON object's fields: {name: (type, required)} or {name: (list, required, subfields)}.
    Unknown fields are ignored with a warning (strict: error_param) and dropped from the result."""
    if not isinstance(value, dict):
        raise wrong_param(f"{where} should be an object")
    for unknown in sorted(set(value) - set(fields)):
        lenient.unknown_parameter(api, f"{where}.{unknown}")
    value = {k: v for k, v in value.items() if k in fields}
    for field_name, spec in fields.items():
        kind, required_ = spec[0], spec[1]
        if field_name not in value:
            if required_:
                raise missing(f"{where}.{field_name}")
            continue
        # A JSON null is a wrong type like any other (as for a top-level parameter), not "absent":
        # the contract types no request field nullable.
        item = value[field_name]
        if kind is int:
            if isinstance(item, str) and _INTEGER.fullmatch(item) and not item.startswith("-"):
                lenient.string_for_integer(api, f"{where}.{field_name}", item)
                item = value[field_name] = int(item)
            if isinstance(item, bool) or not isinstance(item, int) or not 0 <= item <= INT64_MAX:
                raise wrong_param(f"{where}.{field_name} should be an integer")
        elif kind is list:
            if not isinstance(item, list):
                raise wrong_param(f"{where}.{field_name} should be a list")
            value[field_name] = [check_object(f"{where}.{field_name}[{i}]", sub, spec[2], api)
                                 for i, sub in enumerate(item)]
        elif not isinstance(item, kind):
            raise wrong_param(f"{where}.{field_name} should be a {kind.__name__ if kind is not str else 'string'}")
    return value
