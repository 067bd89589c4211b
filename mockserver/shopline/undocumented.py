"""The schemas of topics SHOPLINE documents no payload for, so that every subscribable topic can be
triggered (issue 12, point 10): the payload is generated from the schema, and the delivery says so.

Open API: a topic whose resource has a documented sibling uses the sibling's schema (order/split_order
and order/combine_orders carry an Order like order/update; pos_return_order/create like
pos_return_order/update; user_credit/update like user_credit/create; product/back_in_stock a Product
like product/update), with its own topic and event. The others use a resource schema the sandbox
wrote (contracts/shopline-undocumented/openapi/<resource>.schema.json) inside the reference's
envelope. application/uninstall has a documented example: the resource of reference A's signing vector.

Global: customers/create|update carry the customer object of seed 002's order; refunds/create one
refund of its refunds[]; orders/delete, customers/delete and products/delete the deleted resource's
id; products/*, merchants/update and apps/installed_uninstalled a schema the sandbox wrote
(contracts/shopline-undocumented/global/).
"""
from __future__ import annotations

import copy
from functools import cache
from typing import Any

from mockserver.core.contracts import load
from mockserver.shopline import topics

FOLDER = "shopline-undocumented"
FAMILY: dict[str, str] = {
    "order/combine_orders": "order/update", "order/split_order": "order/update",
    "pos_return_order/create": "pos_return_order/update", "user_credit/update": "user_credit/create",
    "product/back_in_stock": "product/update",
}
RESOURCE_SCHEMA: dict[str, str] = {
    "page": "page", "product_review_comment": "product_review_comment", "tax": "tax", "payment": "payment",
    "tag": "tag", "persistent_cart": "persistent_cart", "application": "application",
}
_ENVELOPE_REQUIRED = ["event", "merchant_id", "resource", "topic", "trace_id", "ts"]
_UUID = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
_HEX24 = "^[0-9a-fA-F]{24}$"


def openapi_source(name: str) -> str:
    """Where the payload of a topic without a documented example comes from (contracts/ path)."""
    name = topics.canonical(name)
    if name in FAMILY:
        return topics.schema_relative(FAMILY[name])
    return f"{FOLDER}/openapi/{RESOURCE_SCHEMA[topics.TOPICS[name].resource]}.schema.json"


@cache
def _openapi_schema(name: str) -> dict[str, Any]:
    topic = topics.TOPICS[name]
    if name in FAMILY:
        schema = copy.deepcopy(topics.schema(FAMILY[name]))
    else:
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                  "required": list(_ENVELOPE_REQUIRED),
                  "properties": {"event": {}, "merchant_id": {"type": "string", "pattern": _HEX24},
                                 "merchant_handle": {"type": "string"},
                                 "resource": copy.deepcopy(load(openapi_source(name))),
                                 "topic": {}, "trace_id": {"type": "string", "pattern": _UUID, "format": "uuid"},
                                 "ts": {"type": "string", "pattern": "^[0-9]+$"}}}
    schema["properties"]["event"] = {"const": topic.event}
    schema["properties"]["topic"] = {"const": name}
    schema["title"] = f"SHOPLINE {name} (no documented payload; built from contracts/{openapi_source(name)})"
    return schema


def openapi_schema(name: str) -> dict[str, Any]:
    """The envelope schema of an Open API topic without a fixture (shared, read-only)."""
    return _openapi_schema(topics.canonical(name))


def openapi_example(name: str) -> dict[str, Any] | None:
    """A documented example of an undocumented topic's payload (application/uninstall: the signing
    vector of reference A, which has no trace_id and ts), else None."""
    resource = load(openapi_source(name)) if topics.canonical(name) not in FAMILY else {}
    examples = resource.get("examples") or []
    if not examples:
        return None
    example = copy.deepcopy(examples[0])
    return {"event": topics.TOPICS[topics.canonical(name)].event, "merchant_id": example.get("merchant_id", ""),
            "resource": example, "topic": topics.canonical(name)}


# ---- global --------------------------------------------------------------------------------------------
DELETED = ("orders/delete", "customers/delete", "products/delete")
_GLOBAL_FILES = {"products/create": "products", "products/update": "products", "merchants/update": "merchants",
                 "apps/installed_uninstalled": "apps"}


def global_source(topic: str) -> str:
    """Where a global topic's body comes from (contracts/ path, and the part of it)."""
    if topic in _GLOBAL_FILES:
        return f"{FOLDER}/global/{_GLOBAL_FILES[topic]}.schema.json"
    part = {"customers/create": "#/properties/customer", "customers/update": "#/properties/customer",
            "refunds/create": "#/properties/refunds/items"}.get(topic, "#/properties/id (the deleted resource's id)")
    return f"{topics.GLOBAL_SCHEMA} {part}"


@cache
def global_schema(topic: str) -> dict[str, Any]:
    """The body schema of a global topic without a documented body (shared, read-only)."""
    if topic in _GLOBAL_FILES:
        return load(global_source(topic).split(" ")[0])
    order = topics.global_schema()
    if topic in ("customers/create", "customers/update"):
        schema = copy.deepcopy(order["properties"]["customer"])
    elif topic == "refunds/create":
        schema = copy.deepcopy(order["properties"]["refunds"]["items"])
    elif topic in DELETED:
        example = {"orders/delete": topics.global_fixture()["id"],
                   "customers/delete": topics.global_fixture()["customer"]["id"],
                   "products/delete": topics.global_fixture()["line_items"][0]["product_id"]}[topic]
        schema = {"type": "object", "properties": {"id": {"type": "string", "pattern": "^[0-9]+$", "examples": [example]}}}
    else:
        raise topics.UnknownTopic(topic)
    schema["required"] = ["id"]
    return schema
