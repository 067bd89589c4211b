"""hostile(): schema-guided changes that keep a document valid (required, const, enum, pattern and
format kept; maxLength, minItems and bounds respected) while reaching the schema's edges."""
from __future__ import annotations

import copy

from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from mockserver.strategies import hostile, hostile_integers, hostile_text, sites
from tests.strategies.support import FAST, errors, sample

SCHEMA = {
    "type": "object",
    "required": ["id", "kind", "lines"],
    "properties": {
        "id": {"type": "string", "pattern": "^[0-9]+$"},
        "kind": {"type": "string", "enum": ["a", "b"]},
        "at": {"type": "string", "format": "date-time"},
        "title": {"type": "string", "minLength": 2, "maxLength": 40},
        "note": {"type": ["string", "null"]},
        "count": {"type": "integer", "minimum": 1, "maximum": 99},
        "ratio": {"type": "number", "exclusiveMinimum": 0},
        "tags": {"type": "array", "items": {"type": "string"}},
        "lines": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/line"}},
    },
    "$defs": {"line": {"type": "object", "required": ["sku"], "properties": {
        "sku": {"type": "string", "const": "X-1"}, "name": {"type": "string", "maxLength": 8}}}},
}
DOC = {"id": "42", "kind": "a", "at": "2026-01-01T00:00:00Z", "title": "hello", "note": "n", "count": 5,
       "ratio": 0.5, "tags": ["t"], "lines": [{"sku": "X-1", "name": "pen"}], "extra": "kept"}
VALIDATOR = Draft202012Validator(SCHEMA)


def test_sites_are_the_places_that_may_change():
    found = {(site.kind, site.path) for site in sites(DOC, SCHEMA)}
    assert found == {
        ("drop", ("at",)), ("drop", ("title",)), ("text", ("title",)), ("drop", ("note",)), ("null", ("note",)),
        ("text", ("note",)), ("drop", ("count",)), ("integer", ("count",)), ("drop", ("ratio",)),
        ("number", ("ratio",)), ("drop", ("tags",)), ("empty", ("tags",)), ("text", ("tags", 0)),
        ("drop", ("lines", 0, "name")), ("text", ("lines", 0, "name"))}


@FAST
@given(hostile(SCHEMA, st.just(DOC), huge=500))
def test_changed_documents_stay_valid(document):
    assert errors(VALIDATOR, document) == []
    assert {"id": "42", "kind": "a", "extra": "kept"}.items() <= document.items()
    assert document["lines"] and document["lines"][0]["sku"] == "X-1"
    assert "at" not in document or document["at"] == DOC["at"]


def test_changes_reach_the_edges_and_leave_the_base_alone():
    base = copy.deepcopy(DOC)
    documents = sample(hostile(SCHEMA, st.just(DOC), huge=500), 150)
    assert DOC == base
    assert any(len(d.get("title", "")) == 40 for d in documents)
    assert any(len(d.get("title", "xxx")) == 2 for d in documents)
    assert any(len(d["lines"][0].get("name", "")) == 8 for d in documents)
    assert any(d.get("note", "") is None for d in documents)
    assert any(d.get("tags") == [] for d in documents)
    assert {1, 99} <= {d.get("count") for d in documents}
    assert any("count" not in d for d in documents)


def test_hostile_text_keeps_to_its_bounds_and_to_json_safe_characters():
    texts = sample(hostile_text(3, 50), 120)
    assert all(3 <= len(t) <= 50 for t in texts)
    assert {3, 50} <= {len(t) for t in texts}
    assert all("\x00" not in t and not any("\ud800" <= c <= "\udfff" for c in t) for t in texts)
    assert any(not t.isascii() for t in texts)
    unbounded = sample(hostile_text(huge=5_000), 60)
    assert max(map(len, unbounded)) == 5_000 and min(map(len, unbounded)) == 0


def test_hostile_integers_are_boundaries_inside_the_bounds():
    assert set(sample(hostile_integers(1, 4_294_967_295), 80)) <= {1, 4_294_967_295, 2**31 - 1, 2**31, 2**32 - 1}
    free = set(sample(hostile_integers(), 80))
    assert {-(2**63), 2**63 - 1, 0, -1} <= free
