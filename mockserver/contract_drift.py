"""Contract drift: a captured payload checked against a contract, as a readable report.

Two directions. Violations: what the payload breaks (wrong type, missing required field, value
outside an enum or const, pattern, bounds, forbidden extra field), each with its JSON path and the
expected against the actual value. Unknown fields: what the payload carries that the contract does
not describe (most schemas allow extra fields, so these are warnings: the platform added something).
Formats (date-time, uri, ...) are not checked, like everywhere else in the sandbox's contracts.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft202012Validator, ValidationError
from referencing import Registry
from referencing.jsonschema import DRAFT202012

MAX_SHOWN = 200  # report lines per kind; a payload of another contract altogether breaks everything
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_BOUNDS = {"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}
_SIZES = {"minLength": ("at least", "characters", len), "maxLength": ("at most", "characters", len),
          "minItems": ("at least", "items", len), "maxItems": ("at most", "items", len),
          "minProperties": ("at least", "fields", len), "maxProperties": ("at most", "fields", len)}


@dataclass(frozen=True)
class Violation:
    """One way the payload breaks its contract."""
    path: str
    keyword: str
    message: str
    expected: Any = None
    actual: Any = None
    parts: tuple[Any, ...] = field(default=(), compare=False, repr=False)  # the path, for sorting


@dataclass(frozen=True)
class UnknownField:
    """A field the contract does not describe; `count` > 1 when it recurs in the items of an array."""
    path: str
    count: int = 1


@dataclass
class Report:
    violations: list[Violation] = field(default_factory=list)
    unknown: list[UnknownField] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.violations


class SchemaRef:
    """A schema to check against: a standalone JSON Schema, or a pointer into an OpenAPI document."""

    def __init__(self, document: dict[str, Any], uri: str, pointer: str = "") -> None:
        self.registry = Registry().with_resource(uri, DRAFT202012.create_resource(document))
        self.uri = uri
        self.pointer = pointer
        self.validator = Draft202012Validator({"$ref": f"{uri}#{pointer}"}, registry=self.registry)

    def root(self) -> tuple[Any, Any]:
        resolved = self.registry.resolver(self.uri).lookup(f"#{self.pointer}")
        return resolved.contents, resolved.resolver


# ---------------------------------------------------------------------------- paths and values
def json_path(parts: Any) -> str:
    """`$.resource.line_items[0].price`; keys that are not identifiers in brackets: `$['zh-hant']`."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _IDENTIFIER.match(part):
            out += f".{part}"
        else:
            out += "['" + part.replace("\\", "\\\\").replace("'", "\\'") + "']"
    return out


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def shown(value: Any, width: int = 60) -> str:
    """A short JSON rendering of a value for a report line."""
    if isinstance(value, dict):
        return f"an object ({len(value)} fields)"
    if isinstance(value, list):
        return f"an array ({len(value)} items)"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[:width - 1] + "…\""


# ---------------------------------------------------------------------------- violations
def _v(parts: list[Any], keyword: str, message: str, expected: Any = None, actual: Any = None) -> Violation:
    return Violation(json_path(parts), keyword, message, expected, actual, tuple(parts))


def _violations(error: ValidationError) -> Iterator[Violation]:
    path, keyword, expected, value = list(error.absolute_path), error.validator, error.validator_value, error.instance
    if keyword == "type":
        types = [expected] if isinstance(expected, str) else list(expected)
        yield _v(path, "type", f"wrong type: expected {' or '.join(types)}, got {json_type(value)} {shown(value)}"
                        if not isinstance(value, (dict, list)) else
                        f"wrong type: expected {' or '.join(types)}, got {shown(value)}", " or ".join(types),
                        json_type(value))
    elif keyword == "required":
        for name in expected:
            if isinstance(value, dict) and name not in value:
                yield _v(path + [name], "required", "missing required field", name, None)
    elif keyword == "enum":
        options = ", ".join(shown(o, 30) for o in expected[:8]) + (", …" if len(expected) > 8 else "")
        yield _v(path, "enum", f"not an allowed value: expected one of {options}, got {shown(value)}",
                        tuple(expected), value)
    elif keyword == "const":
        yield _v(path, "const", f"wrong value: expected {shown(expected)}, got {shown(value)}", expected, value)
    elif keyword == "pattern":
        yield _v(path, "pattern", f"wrong format: expected a string matching {expected}, got {shown(value)}",
                        expected, value)
    elif keyword in _BOUNDS:
        yield _v(path, keyword, f"out of range: expected {_BOUNDS[keyword]} {expected}, got {shown(value)}",
                        expected, value)
    elif keyword in _SIZES:
        word, unit, size = _SIZES[keyword]
        yield _v(path, keyword, f"wrong size: expected {word} {expected} {unit}, got {size(value)}",
                        expected, size(value))
    elif keyword == "additionalProperties" and isinstance(value, dict):
        described = set(error.schema.get("properties", {}))
        patterns = [re.compile(p) for p in error.schema.get("patternProperties", {})]
        for name in value:
            if name not in described and not any(p.search(name) for p in patterns):
                yield _v(path + [name], "additionalProperties",
                                "field not allowed: the contract forbids extra fields here", None, name)
    elif keyword == "not" and isinstance(expected, dict) and expected.get("required") and isinstance(value, dict):
        why = f" ({expected['description'].rstrip('.')})" if expected.get("description") else ""
        for name in expected["required"]:
            if name in value:
                yield _v(path + [name], "not", f"must be absent{why}", None, name)
    elif keyword in ("oneOf", "anyOf") and error.context:
        yield _v(path, keyword, f"matches none of the {len(expected)} allowed shapes; {_closest(error)}",
                        None, json_type(value))
    else:
        yield _v(path, str(keyword), error.message[:200], expected if not isinstance(expected, (dict, list))
                        else None, None)


def _closest(error: ValidationError) -> str:
    """The alternative of a oneOf/anyOf the value misses by the fewest errors, and its first error."""
    by_branch: dict[Any, list[ValidationError]] = {}
    for inner in error.context or ():
        by_branch.setdefault(inner.relative_schema_path[0], []).append(inner)
    branch, errors = min(by_branch.items(), key=lambda item: len(item[1]))
    alternative = error.validator_value[branch] if isinstance(branch, int) else {}
    ref = alternative.get("$ref", "") if isinstance(alternative, dict) else ""
    label = ref.rsplit("/", 1)[-1] if ref else f"shape {branch + 1 if isinstance(branch, int) else branch}"
    first = next(_violations(min(errors, key=lambda e: _sort_key(e.absolute_path))), None)
    more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"closest is {label}: {first.path}: {first.message}{more}" if first else f"closest is {label}"


def _sort_key(parts: Any) -> tuple[tuple[int, Any], ...]:
    """Paths in a stable order, indexes numerically (so [2] comes before [10])."""
    return tuple((0, p) if isinstance(p, int) else (1, str(p)) for p in parts)


# ---------------------------------------------------------------------------- unknown fields
def _branches(schema: Any, resolver: Any) -> Iterator[tuple[dict[str, Any], Any]]:
    """The schema and every schema it pulls in ($ref, allOf, anyOf, oneOf), resolved."""
    if not isinstance(schema, dict):
        return
    if "$ref" in schema:
        resolved = resolver.lookup(schema["$ref"])
        yield from _branches(resolved.contents, resolved.resolver)
    yield schema, resolver
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(key, ()):
            yield from _branches(sub, resolver)


def _unknown(value: Any, schema: Any, resolver: Any, path: list[Any], found: list[list[Any]]) -> None:
    """Collect the paths of object keys no (resolved) schema at their place describes."""
    branches = list(_branches(schema, resolver))
    if isinstance(value, dict):
        described: dict[str, list[tuple[Any, Any]]] = {}
        talks_of_objects = open_ended = False
        for sub, sub_resolver in branches:
            properties = sub.get("properties", {})
            kind = sub.get("type", ())
            talks_of_objects |= bool(properties) or "object" in ([kind] if isinstance(kind, str) else kind)
            # A schema for extra properties (a map) or pattern properties describes any key; `false`
            # forbids them, which the violations already report.
            extra = sub.get("additionalProperties")
            open_ended |= (isinstance(extra, dict) and bool(extra)) or extra is False \
                or bool(sub.get("patternProperties"))
            for name, property_schema in properties.items():
                described.setdefault(name, []).append((property_schema, sub_resolver))
        for name, item in value.items():
            if name in described:
                for property_schema, sub_resolver in described[name]:
                    _unknown(item, property_schema, sub_resolver, path + [name], found)
            elif talks_of_objects and not open_ended:
                found.append(path + [name])
    elif isinstance(value, list):
        for sub, sub_resolver in branches:
            if isinstance(sub.get("items"), dict):
                for index, item in enumerate(value):
                    _unknown(item, sub["items"], sub_resolver, path + [index], found)


def _grouped(found: list[list[Any]]) -> list[UnknownField]:
    """One line per field: array indexes become [*] when the field recurs in several items."""
    groups: dict[str, list[str]] = {}
    for path in found:
        concrete = json_path(path)
        groups.setdefault(re.sub(r"\[\d+\]", "[*]", concrete), []).append(concrete)
    out = []
    for wildcard, concrete in groups.items():
        unique = list(dict.fromkeys(concrete))
        out.append(UnknownField(unique[0] if len(unique) == 1 else wildcard, len(unique)))
    return out


# ---------------------------------------------------------------------------- checking
def _positions(document: Any) -> dict[tuple[Any, ...], int]:
    """Every path of the document, numbered in reading order."""
    positions: dict[tuple[Any, ...], int] = {}
    stack: list[tuple[tuple[Any, ...], Any]] = [((), document)]
    while stack:
        path, node = stack.pop()
        positions[path] = len(positions)
        children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        stack.extend(reversed([(path + (key,), value) for key, value in children]))
    return positions


def _document_order(parts: tuple[Any, ...], positions: dict[tuple[Any, ...], int]) -> tuple[Any, ...]:
    """Where a violation reads in the payload: at its path, or (missing fields) at its parent's."""
    for cut in range(len(parts), -1, -1):
        if parts[:cut] in positions:
            return positions[parts[:cut]], len(parts) - cut, _sort_key(parts[cut:])
    return len(positions), len(parts), _sort_key(parts)


def check(document: Any, schema: SchemaRef) -> Report:
    """Every violation and every undescribed field of `document`."""
    report = Report()
    found = [violation for error in schema.validator.iter_errors(document) for violation in _violations(error)]
    # In the payload's order; a required error is per missing name, so the same line may come twice.
    positions = _positions(document)
    report.violations = list(dict.fromkeys(sorted(found, key=lambda v: _document_order(v.parts, positions))))
    undescribed: list[list[Any]] = []
    root, resolver = schema.root()
    _unknown(document, root, resolver, [], undescribed)
    forbidden = {v.path for v in report.violations if v.keyword == "additionalProperties"}
    report.unknown = [u for u in _grouped(undescribed) if u.path not in forbidden]
    return report


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(report: Report) -> str:
    head = "VALID" if report.valid else "INVALID"
    return (f"{head}: {_plural(len(report.violations), 'violation')}, "
            f"{_plural(sum(1 for _ in report.unknown), 'unknown field')}")


def render_text(report: Report, contract: str, source: str, file: str) -> str:
    """The human report: header, one line per violation and unknown field, a summary line."""
    lines = [f"contract: {contract} ({source})", f"payload:  {file}", ""]
    for violation in report.violations[:MAX_SHOWN]:
        lines.append(f"ERROR  {violation.path}: {violation.message}")
    if len(report.violations) > MAX_SHOWN:
        lines.append(f"ERROR  … {len(report.violations) - MAX_SHOWN} more violations")
    for unknown in report.unknown[:MAX_SHOWN]:
        times = f" (in {unknown.count} items)" if unknown.count > 1 else ""
        lines.append(f"WARN   {unknown.path}: field not in the contract{times}")
    if len(report.unknown) > MAX_SHOWN:
        lines.append(f"WARN   … {len(report.unknown) - MAX_SHOWN} more unknown fields")
    if report.violations or report.unknown:
        lines.append("")
    lines.append(summary(report))
    return "\n".join(lines)


def render_json(report: Report, contract: str, source: str, file: str) -> dict[str, Any]:
    """The machine-readable report (--json)."""
    return {"contract": contract, "source": source, "file": file, "valid": report.valid,
            "violations": [{"path": v.path, "keyword": v.keyword, "message": v.message, "expected": v.expected,
                            "actual": v.actual} for v in report.violations],
            "unknown_fields": [{"path": u.path, "count": u.count} for u in report.unknown],
            "summary": summary(report)}
