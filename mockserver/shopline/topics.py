"""SHOPLINE webhook topics: the Open API (shoplineapp) topic list, its aliases, and the data files.

Open API topics come from seed 004 (47 documented topics, each with a payload example) plus the
public OpenAPI enum the reference lists (subscribable, no documented payload). Global flavour
(shopline.com) topics come from the reference's list; only `orders/updated` has a seed (002).

Data files: a topic maps to a path by its own slash, so `order/create` lives at
fixtures/shopline/order/create.json and contracts/shopline/order/create.schema.json.
"""
from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mockserver.core.contracts import ContractViolation, load, schema_validator
from mockserver.resources import data_dir

if TYPE_CHECKING:  # jsonschema loads with the first check, not with every start
    from jsonschema import Draft202012Validator


class UnknownTopic(KeyError):
    """A topic SHOPLINE does not document (for the flavour asked)."""


class NoPayloadExample(LookupError):
    """A subscribable topic whose payload SHOPLINE never documented, so the sandbox cannot send it."""


@dataclass(frozen=True)
class Topic:
    name: str          # what the sandbox emits in `topic`, e.g. "order/create"
    resource: str      # the part before the slash, e.g. "order"
    action: str        # the part after the slash, e.g. "create"
    event: str         # the envelope's `event`, e.g. "Order"
    documented: bool   # True when seed 004 prints a payload example (a fixture and a schema exist)


# Seed 004, in document order: topic -> envelope `event` as its example prints it. Three examples
# print no envelope (member_point/create, user_credit/create, order/create); their event names are
# the sandbox's choice (PascalCase of the resource, like every printed one: CustomerGroup, UserCoupon).
_SEED: tuple[tuple[str, str], ...] = (
    ("category/create", "Category"), ("category/remove", "Category"), ("category/update", "Category"),
    ("customer_group/remove", "CustomerGroup"), ("customer_group/update", "CustomerGroup"),
    ("member_point/create", "MemberPoint"),
    ("user/create", "User"), ("user/membership_tier_update", "User"), ("user/mobile_sign_in", "User"),
    ("user/mobile_sign_up", "User"), ("user/remove", "User"), ("user/sign_in", "User"), ("user/update", "User"),
    ("user_coupon/create", "UserCoupon"), ("user_credit/create", "UserCredit"),
    ("invoice/create", "Invoice"), ("invoice/update", "Invoice"),
    ("order/cancel", "Order"), ("order/complete", "Order"), ("order/confirm", "Order"), ("order/create", "Order"),
    ("order/payment_slip_upload", "PaymentSlip"), ("order/pending", "Order"),
    ("order/product_detail_notify_customer", "Order"), ("order/remove", "Order"),
    ("order/status_notify_customer", "Order"), ("order/update", "Order"),
    ("order_delivery/status_notify_customer", "OrderDelivery"), ("order_delivery/status_update", "OrderDelivery"),
    ("order_delivery/update", "OrderDelivery"),
    ("order_payment/complete", "OrderPayment"), ("order_payment/refund", "OrderPayment"),
    ("order_payment/status_notify_customer", "OrderPayment"), ("order_payment/update", "OrderPayment"),
    ("pos_return_order/update", "Order"),
    ("return_order/cancel", "ReturnOrder"), ("return_order/complete", "ReturnOrder"),
    ("return_order/create", "ReturnOrder"),
    ("product/create", "Product"), ("product/inventory_update", "Product"), ("product/remove", "Product"),
    ("product/update", "Product"),
    ("stock/update", "Stock"), ("warehouse/create", "Warehouse"), ("comment/payment_slip_upload", "Comment"),
    ("merchant/update", "Merchant"), ("promotion/redeem", "Promotion"),
)

# The public OpenAPI enum's topics that seed 004 does not document (reference A). Subscriptions to
# them are accepted; their event names are guesses by the same PascalCase rule, except
# pos_return_order/create, whose sibling pos_return_order/update prints "Order".
_EXTRA: tuple[tuple[str, str], ...] = (
    ("order/combine_orders", "Order"), ("order/split_order", "Order"),
    ("page/create", "Page"), ("page/update", "Page"),
    ("product/back_in_stock", "Product"), ("product_review_comment/create", "ProductReviewComment"),
    ("user_credit/update", "UserCredit"),
    ("tax/create", "Tax"), ("tax/update", "Tax"), ("tax/remove", "Tax"),
    ("payment/create", "Payment"), ("payment/update", "Payment"), ("payment/remove", "Payment"),
    ("tag/create", "Tag"), ("tag/remove", "Tag"),
    ("persistent_cart/abandoned_cart", "PersistentCart"), ("pos_return_order/create", "Order"),
)

# Reference A's known-answer signing vector is an application/uninstall webhook (event "Application"):
# subscribable and triggered with that vector's resource as its example (mockserver/shopline/undocumented.py).
_REFERENCE: tuple[tuple[str, str], ...] = (("application/uninstall", "Application"),)

# Seed 004's heading says "promotion/redeeem" while its payload (and the public enum) say
# "promotion/redeem": both are accepted, the sandbox emits the payload's spelling.
ALIASES: dict[str, str] = {"promotion/redeeem": "promotion/redeem"}

SEED_TOPICS: tuple[str, ...] = tuple(name for name, _ in _SEED)
EXTRA_TOPICS: tuple[str, ...] = tuple(name for name, _ in _EXTRA)
REFERENCE_TOPICS: tuple[str, ...] = tuple(name for name, _ in _REFERENCE)


def _topic(name: str, event: str, documented: bool) -> Topic:
    resource, action = name.split("/", 1)
    return Topic(name=name, resource=resource, action=action, event=event, documented=documented)


TOPICS: dict[str, Topic] = {name: _topic(name, event, True) for name, event in _SEED}
TOPICS.update({name: _topic(name, event, False) for name, event in _EXTRA + _REFERENCE})

# Global flavour (reference B): topics a subscription may name. Only orders/updated has a seed.
GLOBAL_TOPICS: tuple[str, ...] = (
    "orders/create", "orders/updated", "orders/paid", "orders/cancelled", "orders/fulfilled",
    "orders/partially_fulfilled", "orders/edited", "orders/delete", "refunds/create",
    "products/create", "products/update", "products/delete",
    "customers/create", "customers/update", "customers/delete",
    "merchants/update", "apps/installed_uninstalled",
)
# Global order topics carry the order itself as the body (seed 002 documents it for orders/updated;
# the sandbox sends the same document for the other order-changing topics, made consistent with the
# topic by global_orders.py). The other topics have no documented body: undocumented.py builds one.
GLOBAL_ORDER_BODY_TOPICS: tuple[str, ...] = (
    "orders/create", "orders/updated", "orders/paid", "orders/cancelled", "orders/fulfilled",
    "orders/partially_fulfilled", "orders/edited",
)
GLOBAL_FIXTURE = "shopline-global/orders-updated.json"
GLOBAL_SCHEMA = "shopline-global/orders-updated.schema.json"


def canonical(name: str) -> str:
    """The emitted name of an Open API topic (aliases resolved); UnknownTopic otherwise."""
    name = ALIASES.get(name, name)
    if name not in TOPICS:
        raise UnknownTopic(name)
    return name


def is_subscribable(name: str) -> bool:
    """Whether an Open API subscription may name this topic (the union, aliases included)."""
    return ALIASES.get(name, name) in TOPICS


def subscribable_topics() -> tuple[str, ...]:
    """Every name a subscription accepts: seed topics, enum extras, the reference's own and aliases."""
    return SEED_TOPICS + EXTRA_TOPICS + REFERENCE_TOPICS + tuple(ALIASES)


def topic(name: str) -> Topic:
    return TOPICS[canonical(name)]


def is_global_topic(name: str) -> bool:
    return name in GLOBAL_TOPICS


# ------------------------------------------------------------------ data files
def fixture_relative(name: str) -> str:
    """Path of a topic's fixture under fixtures/ (the topic's slash becomes a folder)."""
    return f"shopline/{canonical(name)}.json"


def schema_relative(name: str) -> str:
    """Path of a topic's JSON Schema under contracts/."""
    return f"shopline/{canonical(name)}.schema.json"


def _documented(name: str) -> str:
    name = canonical(name)
    if not TOPICS[name].documented:
        raise NoPayloadExample(f"SHOPLINE documents no payload for {name}")
    return name


@cache
def _read_fixture(relative: str) -> Any:
    path: Path = data_dir("fixtures") / relative
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def fixture(name: str) -> dict[str, Any]:
    """A fresh copy of the topic's payload example (callers may change it freely)."""
    return copy.deepcopy(_read_fixture(fixture_relative(_documented(name))))


def schema(name: str) -> dict[str, Any]:
    """The topic's JSON Schema (shared, read-only)."""
    return load(schema_relative(_documented(name)))


@cache
def _validator(relative: str) -> Draft202012Validator:
    return schema_validator(relative)


def validator(name: str) -> Draft202012Validator:
    return _validator(schema_relative(_documented(name)))


def global_fixture() -> dict[str, Any]:
    return copy.deepcopy(_read_fixture(GLOBAL_FIXTURE))


def global_schema() -> dict[str, Any]:
    return load(GLOBAL_SCHEMA)


def global_validator() -> Draft202012Validator:
    return _validator(GLOBAL_SCHEMA)


def check(validator_: Draft202012Validator, document: Any, what: str) -> None:
    """Raise ContractViolation listing the first errors when the document breaks the schema."""
    errors = sorted(validator_.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        detail = "; ".join(f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message[:200]}"
                           for e in errors[:5])
        raise ContractViolation(f"{what} breaks its schema: {detail}")


def validate(name: str, payload: Any) -> None:
    """Raise ContractViolation unless the payload matches the topic's schema."""
    check(validator(name), payload, f"SHOPLINE {canonical(name)} payload")


def validate_global(body: Any) -> None:
    check(global_validator(), body, "SHOPLINE global orders/updated body")
