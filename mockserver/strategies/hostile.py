"""`hostile(contract, base)`: documents from `base` made hostile but still valid against the schema.

The schema is walked together with a drawn document to list the places that may change without
breaking it ("sites"): an optional property may be dropped, a free-text string (no const, enum,
pattern or format) may become hostile text up to its maxLength, an integer or number may take a
boundary value inside its bounds, an array without minItems may become empty, a nullable value null.
Hypothesis then picks which sites to change and how, so a failure shrinks to the fewest changes.
Only local `$ref`s ("#/...") are followed; properties the schema does not describe are left alone.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from mockserver.core.contracts import load
from mockserver.strategies.text import HUGE, hostile_integers, hostile_numbers, hostile_text

MAX_MUTATIONS = 24
# After one string this long, later strings in the same document stay short: one few-hundred-kB
# string already makes the point, and ten would make every example slow to encode and send.
_ONE_HUGE = 10_000
_FREE_TEXT_BLOCKERS = ("const", "enum", "pattern", "format")


@dataclass(frozen=True)
class Site:
    """One place of a document that may change without breaking its schema."""
    kind: str                 # "drop", "text", "integer", "number", "empty", "null"
    path: tuple[Any, ...]     # keys and indexes from the document's root
    schema: dict[str, Any]    # the schema at that place (for bounds)


def _resolve(schema: Any, root: dict[str, Any]) -> dict[str, Any]:
    seen = 0
    while isinstance(schema, dict) and "$ref" in schema and str(schema["$ref"]).startswith("#/"):
        node: Any = root
        for part in schema["$ref"][2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        schema, seen = node, seen + 1
        if seen > 32:
            raise ValueError("$ref cycle in the schema")
    return schema if isinstance(schema, dict) else {}


def _types(schema: dict[str, Any]) -> list[str]:
    kind = schema.get("type", [])
    return [kind] if isinstance(kind, str) else list(kind)


def sites(document: Any, schema: dict[str, Any], root: dict[str, Any] | None = None) -> list[Site]:
    """Every place of `document` that may change while it still matches `schema`."""
    root = schema if root is None else root
    found: list[Site] = []
    _visit(document, _resolve(schema, root), (), root, found)
    return found


def _visit(node: Any, schema: dict[str, Any], path: tuple[Any, ...], root: dict[str, Any],
           found: list[Site]) -> None:
    if node is None or "const" in schema or "enum" in schema:
        return
    types = _types(schema)
    if "null" in types and path:
        found.append(Site("null", path, schema))
    if isinstance(node, dict):
        properties, required = schema.get("properties", {}), set(schema.get("required", ()))
        for key, value in node.items():
            if key not in properties:
                continue  # not described: leave it as the base made it
            if key not in required:
                found.append(Site("drop", path + (key,), schema))
            _visit(value, _resolve(properties[key], root), path + (key,), root, found)
    elif isinstance(node, list):
        if node and schema.get("minItems", 0) == 0:
            found.append(Site("empty", path, schema))
        items = _resolve(schema.get("items", {}), root)
        for index, value in enumerate(node[:5]):  # a few elements are enough to reach every shape
            _visit(value, items, path + (index,), root, found)
    elif isinstance(node, bool):
        return
    elif isinstance(node, str):
        if not any(k in schema for k in _FREE_TEXT_BLOCKERS):
            found.append(Site("text", path, schema))
    elif isinstance(node, int) and "integer" in types:
        found.append(Site("integer", path, schema))
    elif isinstance(node, (int, float)) and "number" in types:
        found.append(Site("number", path, schema))


def _value(draw, site: Site, huge: int) -> Any:
    schema = site.schema
    if site.kind == "text":
        return draw(hostile_text(schema.get("minLength", 0), schema.get("maxLength"), huge=huge))
    if site.kind == "integer":
        return draw(hostile_integers(schema.get("minimum"), schema.get("maximum")))
    if site.kind == "number":
        return draw(hostile_numbers(schema.get("minimum"), schema.get("maximum"),
                                    exclusive_minimum=schema.get("exclusiveMinimum")))
    return [] if site.kind == "empty" else None


def _parent(document: Any, path: tuple[Any, ...]) -> Any:
    """The container holding path[-1], or None when the path no longer exists."""
    node = document
    for step in path[:-1]:
        if isinstance(node, dict) and step in node or isinstance(node, list) and isinstance(step, int) \
                and step < len(node):
            node = node[step]
        else:
            return None
    last = path[-1]
    if isinstance(node, dict) and last in node or isinstance(node, list) and last < len(node):
        return node
    return None


@st.composite
def mutate(draw, document: Any, schema: dict[str, Any], root: dict[str, Any] | None = None, *,
           max_mutations: int = MAX_MUTATIONS, huge: int = HUGE) -> Any:
    """`document` with 1..max_mutations of its sites changed (the document is changed in place)."""
    found = sites(document, schema, root)
    if not found:
        return document
    chosen = draw(st.lists(st.integers(0, len(found) - 1), min_size=1,
                           max_size=min(max_mutations, len(found)), unique=True))
    for index in chosen:
        site = found[index]
        if site.kind != "drop" and not site.path:
            continue
        parent = _parent(document, site.path)
        if parent is None:
            continue  # an ancestor was dropped or emptied by an earlier change
        if site.kind == "drop":
            del parent[site.path[-1]]
            continue
        value = _value(draw, site, huge)
        if isinstance(value, str) and len(value) > _ONE_HUGE:
            huge = min(huge, 1000)
        parent[site.path[-1]] = value
    return document


def hostile(contract: str | dict[str, Any], base: st.SearchStrategy[Any], *,
            max_mutations: int = MAX_MUTATIONS, huge: int = HUGE) -> st.SearchStrategy[Any]:
    """Documents of `base` made hostile, still valid against `contract` (a schema, or its path under
    contracts/ such as "shopee/push/3.schema.json"): see the module docstring for what changes."""
    schema = load(contract) if isinstance(contract, str) else contract
    # A copy: a base may hand out shared documents (a cached fixture), which must stay untouched.
    return base.flatmap(lambda document: mutate(copy.deepcopy(document), schema, max_mutations=max_mutations,
                                                huge=huge))
