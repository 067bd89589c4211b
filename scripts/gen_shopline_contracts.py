#!/usr/bin/env python3
"""Generate SHOPLINE webhook fixtures and JSON Schemas from the seeds (re-run after a seed changes).

Open API flavour (seed 004): fixtures/shopline/<topic>.json and contracts/shopline/<topic>.schema.json
for its 47 "Topic Name" sections (the topic's slash is a folder: order/create -> order/create.json).
A fixture is the seed's payload example with every printed field kept; the only repairs are listed
in REPAIRS / _normalise and in fixtures/shopline/README.md (an envelope around the three bare
examples, trace_id/ts where the example omits them, the copy-pasted `topic` of two examples).

Global flavour (seed 002): contracts/shopline-global/orders-updated.schema.json from the flat field
table (nesting rebuilt by shopline_global_order.nest) and the realistic example fixture of
shopline_global_order.example(), which must validate.

Usage: python scripts/gen_shopline_contracts.py   (reads ../shared/seeds relative to the repository)
"""
from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import re
import sys
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from jsonschema import Draft202012Validator
from shopline_global_order import example as global_example
from shopline_global_order import global_schema

from mockserver.shopline import topics
from tests.support.seed_topics import field_table, topic_examples

FIXTURES = ROOT / "fixtures"
CONTRACTS = ROOT / "contracts"
DRAFT = "https://json-schema.org/draft/2020-12/schema"

# Seed examples whose `topic` value is a copy-paste of a sibling section (same trace_id, same body):
# heading -> the value printed. The fixture carries the heading's topic, which is what a subscriber
# to that topic must receive.
REPAIRS = {"order/confirm": "order/complete", "order_delivery/status_update": "order_delivery/update"}
# Used as merchant_id for a bare example that names no merchant: the seed's most frequent merchant
# (jimmytest2, printed by 9 examples).
FALLBACK_MERCHANT_ID = "5fc5ea00c43d7f001003999d"
FALLBACK_TS = "1700000000000000000"

HEX24 = "^[0-9a-fA-F]{24}$"
UUID = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
DIGITS = "^[0-9]+$"
# SHOPLINE's money object, as every printed amount shows it (subtotal, total, payment_fee, ...).
MONEY = {"type": "object", "properties": {"cents": {"type": "integer"}, "currency_symbol": {"type": "string"},
                                          "currency_iso": {"type": "string"}, "label": {"type": "string"},
                                          "dollars": {"type": "number"}}}
# Integers in the seed that are amounts or measures, so a fraction is legal (Money.dollars is 12.5
# for NT$12.5; product weight is printed both as 1 and 0.5).
WIDEN_TO_NUMBER = {"dollars", "weight"}
ENVELOPE_REQUIRED = ["event", "merchant_id", "resource", "topic", "trace_id", "ts"]
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


# ---------------------------------------------------------------- fixtures
def _parse_time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        if _ISO.match(value):
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        if _DATE.match(value):
            return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)
    except ValueError:
        return None
    return None


def _ns(moment: dt.datetime) -> str:
    delta = moment - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return str((delta.days * 86400 + delta.seconds) * 10**9 + delta.microseconds * 1000)


def placeholder_ts(resource: dict[str, Any]) -> str:
    """ts for an example that prints none: the resource's own last change (updated_at, created_at,
    then the first *_at / *_date field), else a fixed instant."""
    keys = ["updated_at", "created_at"] + [k for k in resource if k.endswith(("_at", "_date"))]
    for key in keys:
        moment = _parse_time(resource.get(key))
        if moment is not None:
            return _ns(moment)
    return FALLBACK_TS


def placeholder_trace_id(topic: str) -> str:
    """A stable uuid4-shaped trace_id per topic (the sender replaces it with a fresh one anyway)."""
    digest = hashlib.md5(f"shop-sandbox:shopline:{topic}".encode()).digest()
    return str(uuid.UUID(bytes=digest, version=4))


def _normalise(heading: str, example: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The fixture for one seed section and the list of repairs made to it."""
    name = topics.canonical(heading)
    info = topics.TOPICS[name]
    notes: list[str] = []
    if "resource" not in example:
        seller = example.get("seller_id")
        merchant = seller if isinstance(seller, str) and re.match(HEX24, seller) else FALLBACK_MERCHANT_ID
        fixture = {"event": info.event, "merchant_id": merchant, "resource": copy.deepcopy(example), "topic": name}
        notes.append(f"bare example wrapped as `resource` (event {info.event!r}, merchant_id {merchant}"
                     f"{' = resource.seller_id' if merchant == seller else ' (fallback)'})")
    else:
        fixture = copy.deepcopy(example)
        if fixture.get("event") != info.event:
            raise SystemExit(f"{heading}: seed event {fixture.get('event')!r} != topics.py {info.event!r}")
        printed = fixture.get("topic")
        if printed != name:
            if REPAIRS.get(heading) != printed:
                raise SystemExit(f"{heading}: seed prints topic {printed!r}; add it to REPAIRS if intended")
            fixture["topic"] = name
            notes.append(f"`topic` {printed!r} (copy-paste from that section) replaced by {name!r}")
    if "trace_id" not in fixture:
        fixture["trace_id"] = placeholder_trace_id(name)
        notes.append("trace_id added (stable uuid4-shaped placeholder)")
    if "ts" not in fixture:
        fixture["ts"] = placeholder_ts(fixture["resource"])
        notes.append("ts added (from the resource's own timestamp)")
    if heading != name:
        notes.append(f"heading {heading!r} is an alias; emitted as {name!r}")
    return fixture, notes


# ---------------------------------------------------------------- schema inference
def _types(schema: dict[str, Any]) -> list[str]:
    t = schema.get("type")
    return [] if t is None else [t] if isinstance(t, str) else list(t)


_ORDER = ["object", "array", "string", "integer", "number", "boolean", "null"]


def _with_types(schema: dict[str, Any], types: set[str]) -> dict[str, Any]:
    if "integer" in types and "number" in types:
        types.discard("integer")
    ordered = [t for t in _ORDER if t in types]
    out = {k: v for k, v in schema.items() if k != "type"}
    return {"type": ordered[0] if len(ordered) == 1 else ordered, **out}


def merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """The narrowest schema accepting what either accepts (used for array items and the type index)."""
    if a == b or not b:
        return a
    if not a:  # {} = nothing known (items of an empty array): the other side is the information
        return b
    out = _with_types({}, set(_types(a)) | set(_types(b)))
    if "properties" in a or "properties" in b:
        props = dict(a.get("properties", {}))
        for key, sub in b.get("properties", {}).items():
            props[key] = merge(props[key], sub) if key in props else sub
        out["properties"] = props
    if "items" in a or "items" in b:
        out["items"] = merge(a.get("items", {}), b.get("items", {})) if "items" in a and "items" in b \
            else a.get("items", b.get("items"))
    if a.get("format") and a.get("format") == b.get("format"):
        out["format"] = a["format"]
    for key in ("examples", "$comment"):
        if key in a or key in b:
            out[key] = a.get(key, b.get(key))
    return out


def _string(value: str) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if _parse_time(value) is not None:
        schema["format"] = "date" if _DATE.match(value) else "date-time"
    elif value.startswith(("http://", "https://")):
        schema["format"] = "uri"
    elif _EMAIL.match(value):
        schema["format"] = "email"
    schema["examples"] = [value]
    return schema


class Inferrer:
    """Schemas from example values; a null (or empty container) borrows its shape from the same
    field elsewhere in the seed, in order: same event + path, any event + path, same parent + key,
    same key, then name hints. Every borrowing is logged and left as a $comment in the schema."""

    def __init__(self, fixtures: dict[str, dict[str, Any]]) -> None:
        self.by_group: dict[tuple[str, tuple[str, ...]], dict[str, Any]] = {}
        self.by_path: dict[tuple[str, ...], dict[str, Any]] = {}
        self.by_pair: dict[tuple[str, str], dict[str, Any]] = {}
        self.by_key: dict[str, dict[str, Any]] = {}
        self.floats: set[tuple[str, tuple[str, ...]]] = set()
        self.log: dict[str, None] = {}  # ordered set: array items repeat the same borrowing
        for name, fixture in fixtures.items():
            self._index(topics.TOPICS[name].event, (), fixture)

    def _index(self, group: str, path: tuple[str, ...], value: Any) -> None:
        if value is None:
            return
        if isinstance(value, float):
            self.floats.add((group, path))
        plain = self._plain(value, group, path)
        keys = [(self.by_group, (group, path)), (self.by_path, path)]
        if path:
            keys.append((self.by_key, path[-1]))
            if len(path) > 1:
                keys.append((self.by_pair, path[-2:]))
        for table, key in keys:
            table[key] = merge(table[key], plain) if key in table else plain
        if isinstance(value, dict):
            for k, v in value.items():
                self._index(group, path + (k,), v)
        elif isinstance(value, list):
            for item in value:
                self._index(group, path + ("[]",), item)

    def _plain(self, value: Any, group: str, path: tuple[str, ...]) -> dict[str, Any]:
        """Inference without borrowing (what the index stores)."""
        if value is None:
            return {"type": "null"}
        if isinstance(value, bool):
            return {"type": "boolean"}
        if isinstance(value, int):
            return {"type": "number" if path and path[-1] in WIDEN_TO_NUMBER else "integer"}
        if isinstance(value, float):
            return {"type": "number"}
        if isinstance(value, str):
            return _string(value)
        if isinstance(value, list):
            items: dict[str, Any] | None = None
            for item in value:
                sub = self._plain(item, group, path + ("[]",))
                items = sub if items is None else merge(items, sub)
            return {"type": "array", "items": items or {}}
        return {"type": "object", "properties": {k: self._plain(v, group, path + (k,)) for k, v in value.items()}}

    def _borrow(self, group: str, path: tuple[str, ...], want: str | None) -> tuple[dict[str, Any], str] | None:
        candidates = [(self.by_group.get((group, path)), f"{group} {'.'.join(path)}"),
                      (self.by_path.get(path), f"other events' {'.'.join(path)}")]
        if len(path) > 1:
            candidates.append((self.by_pair.get(path[-2:]), f"'{'.'.join(path[-2:])}' elsewhere"))
        if path:
            candidates.append((self.by_key.get(path[-1]), f"key '{path[-1]}' elsewhere"))
        for schema, source in candidates:
            if not schema:
                continue
            real = [t for t in _types(schema) if t != "null"]
            if len(real) != 1 or (want and real[0] != want):
                continue
            if want == "array" and not schema.get("items"):
                continue
            if want == "object" and not schema.get("properties"):
                continue
            return copy.deepcopy(_with_types(schema, set(real))), source
        return None

    @classmethod
    def _hint(cls, path: tuple[str, ...]) -> dict[str, Any]:
        key = path[-1] if path else ""
        if key == "value" and len(path) > 1:  # {"birth_day": {"value": null}}: the parent names it
            return cls._hint(path[:-1])
        if key.endswith(("_year", "_month", "_day")):
            return {"type": "integer"}
        if key.endswith(("_at", "_date", "_time")) or key in ("date", "time"):
            return {"type": "string", "format": "date" if key.endswith("_date") else "date-time"}
        if key.startswith(("is_", "has_", "require_", "enable")) or key in ("adult", "new_tab"):
            return {"type": "boolean"}
        if key.endswith(("_count", "_quantity", "_point", "_points", "priority")) or key in ("count", "quantity"):
            return {"type": "integer"}
        if key.endswith(("_price", "_amount", "_fee")) or key in ("price", "total", "subtotal"):
            return copy.deepcopy(MONEY)  # every amount the seed prints is this money object
        if key.endswith("_ids"):
            return {"type": "array", "items": {"type": "string"}}
        if key.endswith(("_translations", "_data", "_setting", "_settings")):
            return {"type": "object"}
        return {"type": "string"}

    def infer(self, value: Any, group: str, path: tuple[str, ...], where: str) -> dict[str, Any]:
        if value is None:
            found = self._borrow(group, path, None)
            if found is None:
                schema, source = self._hint(path), "name hint"
            else:
                schema, source = found
            schema = _with_types(schema, set(_types(schema)) | {"null"})
            schema["$comment"] = f"null in the seed example; type guessed from {source}"
            self.log[f"{where} {'.'.join(path)}: null -> {_types(schema)[0]} ({source})"] = None
            return schema
        if isinstance(value, bool):
            return {"type": "boolean"}
        if isinstance(value, int):
            number = (group, path) in self.floats or (bool(path) and path[-1] in WIDEN_TO_NUMBER)
            return {"type": "number" if number else "integer", "examples": [value]}
        if isinstance(value, float):
            return {"type": "number", "examples": [value]}
        if isinstance(value, str):
            return _string(value)
        if isinstance(value, list):
            items: dict[str, Any] | None = None
            for item in value:
                sub = self.infer(item, group, path + ("[]",), where)
                items = sub if items is None else merge(items, sub)
            if items is None:
                found = self._borrow(group, path, "array")
                if found is not None:
                    self.log[f"{where} {'.'.join(path)}: empty array, items from {found[1]}"] = None
                    items = dict(found[0]["items"], **{"$comment": f"empty in the seed example; from {found[1]}"})
            return {"type": "array", "items": items or {}}
        props = {k: self.infer(v, group, path + (k,), where) for k, v in value.items()}
        if not props:
            found = self._borrow(group, path, "object")
            if found is not None:
                self.log[f"{where} {'.'.join(path)}: empty object, properties from {found[1]}"] = None
                return {"type": "object", "properties": found[0]["properties"],
                        "$comment": f"empty in the seed example; properties from {found[1]}"}
        return {"type": "object", "properties": props}


def envelope_schema(heading: str, fixture: dict[str, Any], inferrer: Inferrer) -> dict[str, Any]:
    name = fixture["topic"]
    group = topics.TOPICS[name].event
    resource = inferrer.infer(fixture["resource"], group, ("resource",), name)
    resource["required"] = [k for k in ("_id", "id") if k in fixture["resource"]]
    properties: dict[str, Any] = {
        "event": {"type": "string", "const": fixture["event"]},
        "merchant_id": {"type": "string", "pattern": HEX24, "examples": [fixture["merchant_id"]]},
        "merchant_handle": {"type": "string"},
        "resource": resource,
        "topic": {"type": "string", "const": name},
        "trace_id": {"type": "string", "format": "uuid", "pattern": UUID},
        "ts": {"type": "string", "pattern": DIGITS, "$comment": "nanoseconds since the epoch"},
    }
    for key, value in fixture.items():  # the extra top-level fields a few examples print
        if key not in properties:
            properties[key] = inferrer.infer(value, group, (key,), name)
    return {
        "$schema": DRAFT,
        "$id": f"urn:shop-sandbox:contracts:{topics.schema_relative(name)}",
        "title": f"SHOPLINE Open API webhook {name}",
        "$comment": (f"Generated by scripts/gen_shopline_contracts.py from seed 004 section '{heading}'. "
                     "Resource fields are described, not required (real payloads omit some); extra "
                     "fields are allowed at every level."),
        "type": "object",
        "required": ENVELOPE_REQUIRED,
        "properties": properties,
    }


# ---------------------------------------------------------------- output
def _dump(path: Path, document: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _clear(folder: Path, pattern: str) -> None:
    """Remove previously generated files, so a topic dropped from the seed leaves no orphan."""
    for path in folder.rglob(pattern):
        path.unlink()


def _readme(repairs: dict[str, list[str]]) -> str:
    lines = [
        "# SHOPLINE Open API webhook payload examples",
        "",
        "Generated by `scripts/gen_shopline_contracts.py` from seed 004; do not edit by hand.",
        "",
        "One file per topic; the topic's slash is a folder: `order/create` -> `order/create.json`",
        "(its schema: `contracts/shopline/order/create.schema.json`). Each file is the seed's example",
        "with every printed field unchanged, except these repairs:",
        "",
    ]
    for name, notes in repairs.items():
        lines.append(f"- `{name}`: " + "; ".join(notes))
    return "\n".join(lines) + "\n"


def build_open_api() -> tuple[dict[str, dict], dict[str, dict], dict[str, list[str]], list[str]]:
    sections = topic_examples()
    headings = [s.heading for s in sections]
    names = [topics.canonical(h) for h in headings]
    if sorted(names) != sorted(topics.SEED_TOPICS) or len(set(names)) != len(names):
        differ = sorted(set(names) ^ set(topics.SEED_TOPICS))
        raise SystemExit(f"seed 004 topics differ from topics.SEED_TOPICS: {differ}")
    fixtures: dict[str, dict] = {}
    repairs: dict[str, list[str]] = {}
    for section, name in zip(sections, names):
        fixtures[name], notes = _normalise(section.heading, section.example)
        if notes:
            repairs[name] = notes
    inferrer = Inferrer(fixtures)
    schemas = {name: envelope_schema(h, fixtures[name], inferrer) for h, name in zip(headings, names)}
    return fixtures, schemas, repairs, list(inferrer.log)


def main() -> None:
    fixtures, schemas, repairs, guesses = build_open_api()
    for name, fixture in fixtures.items():
        errors = list(Draft202012Validator(schemas[name]).iter_errors(fixture))
        if errors:
            raise SystemExit(f"{name}: fixture breaks its own schema: {errors[0].message}")
    _clear(FIXTURES / "shopline", "*.json")
    _clear(CONTRACTS / "shopline", "*.schema.json")
    for name in fixtures:
        _dump(FIXTURES / topics.fixture_relative(name), fixtures[name])
        _dump(CONTRACTS / topics.schema_relative(name), schemas[name])
    (FIXTURES / "shopline" / "README.md").write_text(_readme(repairs), encoding="utf-8")

    schema = global_schema(field_table())
    body = global_example()
    errors = list(Draft202012Validator(schema).iter_errors(body))
    if errors:
        raise SystemExit(f"global example breaks its schema: {errors[0].json_path}: {errors[0].message}")
    _dump(CONTRACTS / topics.GLOBAL_SCHEMA, schema)
    _dump(FIXTURES / topics.GLOBAL_FIXTURE, body)

    print(f"wrote {len(fixtures)} Open API fixtures and schemas, {sum(map(len, repairs.values()))} repairs")
    print(f"{len(guesses)} borrowed types (nulls / empty containers):")
    for line in guesses:
        print("  " + line)
    print(f"wrote {topics.GLOBAL_SCHEMA} and {topics.GLOBAL_FIXTURE}")


if __name__ == "__main__":
    main()
