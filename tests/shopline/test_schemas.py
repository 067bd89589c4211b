"""contracts/shopline/<topic>.schema.json accept their fixture and catch a wrong type or a missing
envelope field; contracts/shopline-global/orders-updated.schema.json covers every field of seed 002
with its type and nesting."""
from __future__ import annotations

import copy
import json
import re
from decimal import Decimal

import pytest

from mockserver.resources import data_dir
from mockserver.shopline import topics
from tests.support.seed_json import SEEDS

ENVELOPE = ("event", "merchant_id", "resource", "topic", "trace_id", "ts")
T = topics.SEED_TOPICS


def _valid(name: str, payload) -> bool:
    return topics.validator(name).is_valid(payload)


def _wrong(value):
    """A value of another JSON type than `value`."""
    if isinstance(value, bool):
        return "true"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return 12345
    if isinstance(value, list):
        return {"0": value}
    return "an object was expected"


@pytest.mark.parametrize("name", T)
def test_fixture_validates_against_its_schema(name):
    topics.validate(name, topics.fixture(name))


def test_every_schema_has_a_fixture_and_every_fixture_a_schema():
    contracts = data_dir("contracts") / "shopline"
    fixtures = data_dir("fixtures") / "shopline"
    schemas = {p.relative_to(contracts).as_posix().removesuffix(".schema.json") for p in contracts.rglob("*.json")}
    examples = {p.relative_to(fixtures).with_suffix("").as_posix() for p in fixtures.rglob("*.json")}
    assert schemas == examples == set(T)


@pytest.mark.parametrize("name", T)
def test_schema_rejects_a_wrong_type_in_every_resource_field(name):
    fixture = topics.fixture(name)
    checked = 0
    for key, value in fixture["resource"].items():
        if value is None:
            continue
        broken = copy.deepcopy(fixture)
        broken["resource"][key] = _wrong(value)
        assert not _valid(name, broken), f"{name}: resource.{key} = {broken['resource'][key]!r} accepted"
        checked += 1
    assert checked, f"{name}: no non-null resource field to check"


@pytest.mark.parametrize("name", T)
def test_schema_rejects_a_wrong_type_deep_in_the_resource(name):
    """The first non-null leaf of every nested object or array is typed too."""
    fixture = topics.fixture(name)

    def leaves(node, path):
        if isinstance(node, dict):
            for key, value in node.items():
                yield from leaves(value, path + [key])
        elif isinstance(node, list):
            if node:
                yield from leaves(node[0], path + [0])
        elif node is not None and len(path) > 1:
            yield path

    for path in list(leaves(fixture["resource"], []))[:40]:
        broken = copy.deepcopy(fixture)
        holder = broken["resource"]
        for step in path[:-1]:
            holder = holder[step]
        holder[path[-1]] = _wrong(holder[path[-1]])
        assert not _valid(name, broken), f"{name}: resource.{path} accepted a wrong type"


@pytest.mark.parametrize("name", T)
def test_schema_requires_every_envelope_field(name):
    fixture = topics.fixture(name)
    for field in ENVELOPE:
        broken = {k: v for k, v in fixture.items() if k != field}
        assert not _valid(name, broken), f"{name}: accepted without {field}"


@pytest.mark.parametrize("name", T)
def test_schema_rejects_malformed_envelope_values(name):
    fixture = topics.fixture(name)
    other = "category/create" if name != "category/create" else "order/create"
    for field, value in (("event", "Nope"), ("topic", other), ("merchant_id", "5fc5ea00c43d7f00100399"),
                         ("merchant_id", 123), ("trace_id", "not-a-uuid"), ("ts", 1700729042301360000),
                         ("ts", "1.7e18"), ("resource", [])):
        assert not _valid(name, dict(fixture, **{field: value})), f"{name}: {field}={value!r} accepted"


@pytest.mark.parametrize("name", T)
def test_schema_requires_the_resource_id_the_example_has(name):
    fixture = topics.fixture(name)
    ids = [k for k in ("_id", "id") if k in fixture["resource"]]
    assert topics.schema(name)["properties"]["resource"]["required"] == ids
    for key in ids:
        broken = copy.deepcopy(fixture)
        del broken["resource"][key]
        assert not _valid(name, broken), f"{name}: accepted without resource.{key}"


@pytest.mark.parametrize("name", T)
def test_schema_lets_real_payloads_omit_or_add_resource_fields(name):
    fixture = topics.fixture(name)
    slim = copy.deepcopy(fixture)
    slim["resource"] = {k: v for k, v in fixture["resource"].items() if k in ("_id", "id")}
    slim["resource"]["a_field_from_next_year"] = {"x": [1]}
    slim["merchant_handle"] = "someshop"
    assert _valid(name, slim)


def _schema_at(schema, path):
    for step in path:
        schema = schema["items"] if isinstance(step, int) else schema["properties"][step]
    return schema


@pytest.mark.parametrize("name", T)
def test_every_null_in_an_example_is_nullable_with_a_recorded_guess(name):
    fixture, schema = topics.fixture(name), topics.schema(name)

    def nulls(node, path):
        if node is None:
            yield path
        elif isinstance(node, dict):
            for key, value in node.items():
                yield from nulls(value, path + [key])
        elif isinstance(node, list):
            for i, value in enumerate(node):
                yield from nulls(value, path + [i])

    for path in nulls(fixture, []):
        sub = _schema_at(schema, path)
        types = sub["type"] if isinstance(sub["type"], list) else [sub["type"]]
        assert "null" in types and len(types) >= 2, f"{name}: {path} typed {types}"
        if not any(isinstance(s, int) for s in path):  # array items merge several elements
            assert "guessed from" in sub.get("$comment", ""), f"{name}: {path} has no recorded guess"


# ---------------------------------------------------------------- global flavour (seed 002)
_SEED_TYPES = {"string": "string", "integer": "integer", "double": "number", "boolean": "boolean",
               "object": "object", "object[]": "object[]", "array": "array"}


def _walk(properties, path=()):
    """(path, name, type) of every schema field in document order (object[] for arrays of objects)."""
    for name, sub in properties.items():
        types = [t for t in ([sub["type"]] if isinstance(sub["type"], str) else sub["type"]) if t != "null"]
        (kind,) = types
        node = sub
        if kind == "array" and sub["items"].get("type") == "object":
            kind, node = "object[]", sub["items"]
        yield path + (name,), name, kind
        if "properties" in node:
            yield from _walk(node["properties"], path + (name,))


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds is not beside the checkout")
def test_global_schema_lists_every_seed_002_field_in_order_with_its_type():
    from tests.support.seed_topics import field_table

    seed = [(f.name, _SEED_TYPES[f.type]) for f in field_table()]
    assert len(seed) == 359
    ours = [(name, kind) for _, name, kind in _walk(topics.global_schema()["properties"])]
    assert ours == seed


def test_global_schema_keeps_each_objects_fields_alphabetical_like_the_seed():
    def objects(properties):
        yield list(properties)
        for sub in properties.values():
            node = sub.get("items", sub)
            if "properties" in node:
                yield from objects(node["properties"])

    for names in objects(topics.global_schema()["properties"]):
        assert names == sorted(names), names


def test_global_schema_nests_the_fields_alphabetical_order_cannot_place():
    paths = {path for path, _, _ in _walk(topics.global_schema()["properties"])}
    for expected in [("customer_locale",), ("customer", "area_code"), ("customer", "addresses", "zip"),
                     ("line_items", "fulfillable_quantity"), ("line_items", "tax_lines", "rate"),
                     ("line_items", "discount_allocations", "discount_application_index"),
                     ("payment_gateway_names",), ("phone",), ("shipping_lines", "title"),
                     ("shipping_lines", "discounted_price"), ("fulfillments", "name"),
                     ("fulfillments", "line_items", "vendor"), ("tax_number",), ("total_weight",),
                     ("current_total_price_set", "shop_money", "currency_code")]:
        assert expected in paths, expected
    assert ("payment_details", "payment_gateway_names") not in paths
    assert ("customer", "customer_locale") not in paths


def test_global_fixture_validates_and_is_a_taiwanese_order():
    body = topics.global_fixture()
    topics.validate_global(body)
    assert body["currency"] == body["presentment_currency"] == "TWD"
    assert body["shipping_address"]["country_code"] == "TW"
    assert re.search(r"[\u4e00-\u9fff]", body["customer"]["last_name"] + body["line_items"][0]["title"])
    codes = re.findall(r'"currency_code": "(\w+)"', json.dumps(body))
    assert codes and set(codes) == {"TWD"}


def test_global_fixture_totals_add_up():
    body = topics.global_fixture()
    items = body["line_items"]
    gross = sum(Decimal(i["price"]) * i["quantity"] for i in items)
    assert Decimal(body["total_line_items_price"]) == gross
    discounts = sum(Decimal(a["amount"]) for i in items for a in i["discount_allocations"])
    assert Decimal(body["subtotal_price"]) == gross - discounts
    tax = sum(Decimal(t["price"]) for i in items for t in i["tax_lines"])
    assert Decimal(body["total_tax"]) == tax
    shipping = body["shipping_lines"][0]
    assert Decimal(body["current_total_price"]) == gross - discounts + Decimal(shipping["discounted_price"])


def test_global_schema_rejects_wrong_types_and_malformed_amounts():
    body = topics.global_fixture()
    for mutate in (lambda b: b["line_items"][0].__setitem__("quantity", "2"),
                   lambda b: b.__setitem__("taxes_included", "true"),
                   lambda b: b.__setitem__("total_weight", "1700"),
                   lambda b: b["total_tax_set"]["shop_money"].__setitem__("amount", "84.8"),
                   lambda b: b.__setitem__("customer", "林怡君"),
                   lambda b: b.__setitem__("payment_gateway_names", "LINE Pay"),
                   lambda b: b["fulfillments"][0]["line_items"][0].__setitem__("requires_shipping", 1),
                   lambda b: b.pop("id")):
        broken = copy.deepcopy(body)
        mutate(broken)
        assert not topics.global_validator().is_valid(broken)


def test_global_fulfillment_status_may_be_null_as_seed_002_says():
    body = topics.global_fixture()
    body["fulfillment_status"] = None
    body["line_items"][0]["fulfillment_status"] = None
    topics.validate_global(body)
    body["financial_status"] = None
    assert not topics.global_validator().is_valid(body)
