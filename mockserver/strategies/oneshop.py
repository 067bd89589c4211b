"""1shop order specs: items of POST /_sandbox/oneshop/accounts/{appid}/orders {"orders": [...]}.

Each spec is a `OneshopExplicitOrder` of contracts/admin/openapi.yaml: every payment and logistic
code, every progress, payment and logistic status (drawn independently: the sandbox takes any
combination), a buyer from the zh_TW Faker pools, custom fields and cart lines of the three kinds.
The kind rules the contract cannot say are kept: a charge line has no sku, inventory_status or
bundle; a single line no bundle; a bundle line a bundle and no sku or inventory_status; names are
never blank. page_prefix is left out (it must be one of the account's pages).
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from hypothesis import strategies as st

from mockserver.strategies.common import TimeSpec, admin_enum, admin_schema, unix_times
from mockserver.strategies.locales import localized
from mockserver.strategies.text import HUGE, hostile_text

REGION = "TW"  # 1shop is Taiwanese
# The sandbox's bounds (mockserver/oneshop/explicit.py): money 0..1e8, quantity 1..1e5.
MONEY_BOUNDS = (0, 100_000_000)
QUANTITY_BOUNDS = (1, 100_000)
BATCH_HUGE = 10_000
_REPEATED_HUGE = 64  # strings of an item repeated to maxItems (500 carts lines x 100 bundle items)
_TEXT_FIELDS = ("email", "phone", "tag", "note", "shop_note")


def _limit(schema: str, *path: str) -> int:
    node: Any = admin_schema(schema)
    for step in path:
        node = node["properties"][step] if step != "items" else node["items"]
    return node["maxItems"]


def _non_blank(text: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    # The sandbox refuses a name that is only whitespace; a letter makes any hostile text a name.
    return text.map(lambda s: s if s.strip() else s + "名")


_SKU = st.integers(100_000, 999_999).map(str)  # seed 003 prints six-digit SKUs ("306041")
_LABELS = st.sampled_from(("", "", "滿額贈", "限量", "預購", "加購價"))


@st.composite
def _bundle_item(draw, hostile: bool, huge: int) -> dict[str, Any]:
    if hostile:
        text = hostile_text(huge=huge)
        item = {"name": draw(_non_blank(text)), "sku": draw(text), "quantity": draw(st.sampled_from(QUANTITY_BOUNDS)),
                "label": draw(text), "inventory_status": draw(st.sampled_from((0, 1)))}
        dropped = draw(st.sets(st.sampled_from(("sku", "quantity", "label", "inventory_status"))))
        return {k: v for k, v in item.items() if k not in dropped}
    return {"name": draw(localized("word", REGION)), "sku": draw(_SKU), "quantity": draw(st.integers(1, 3)),
            "label": "", "inventory_status": draw(st.sampled_from((0, 0, 1)))}


@st.composite
def _product(draw, hostile: bool, huge: int, full: bool = True) -> dict[str, Any]:
    kind = draw(st.sampled_from(("single", "single", "bundle", "charge")))
    if hostile:
        text = hostile_text(huge=huge)
        line: dict[str, Any] = {"product_type": kind, "name": draw(_non_blank(text)),
                                "quantity": draw(st.sampled_from(QUANTITY_BOUNDS)),
                                "per_cost": draw(st.sampled_from(MONEY_BOUNDS)), "label": draw(text)}
        if kind == "single":
            line.update(sku=draw(text), inventory_status=draw(st.sampled_from((0, 1))))
    else:
        name = "".join(draw(st.lists(localized("word", REGION), min_size=1, max_size=2)))
        line = {"product_type": kind, "name": name, "quantity": draw(st.integers(1, 4)),
                "per_cost": draw(st.integers(1, 300)) * 10, "label": draw(_LABELS)}
        if kind == "single":
            line.update(sku=draw(_SKU), inventory_status=draw(st.sampled_from((0, 0, 1))))
    if kind == "bundle":
        if hostile and full:
            line["bundle"] = draw(_full(_bundle_item(True, huge), _bundle_item(True, _REPEATED_HUGE),
                                        _limit("OneshopProduct", "bundle")))
        else:
            line["bundle"] = draw(st.lists(_bundle_item(hostile, huge), min_size=1, max_size=3))
    if hostile:  # optional fields left out: product_type (single), quantity (1), label, sku ...
        optional = tuple(k for k in line if k not in ("name", "per_cost", "bundle"))
        dropped = draw(st.sets(st.sampled_from(optional)))
        if kind != "single" and "product_type" in dropped:
            dropped.discard("product_type")  # without it the line would be a single one
        line = {k: v for k, v in line.items() if k not in dropped}
    return line


@st.composite
def _full(draw, item: st.SearchStrategy[Any], repeated: st.SearchStrategy[Any], limit: int) -> list[Any]:
    """One to three items, or (one time in three) one `repeated` item `limit` times, the contract's
    maxItems. Repeating one item keeps drawing cheap and shrinking easy; its strings stay short so
    the list stays small."""
    if draw(st.sampled_from(("few", "few", "full"))) == "full":
        return [draw(repeated)] * limit
    return draw(st.lists(item, min_size=1, max_size=3))


# Spec field -> its enum in contracts/admin/openapi.yaml (the codes and statuses a spec draws from).
CHOICES = {"payment": "OneshopPayment", "logistic": "OneshopLogistic", "progress_status": "OneshopProgressStatus",
           "payment_status": "OneshopPaymentStatus", "logistic_status": "OneshopLogisticStatus"}


def _choices(only: dict[str, Iterable[str] | None]) -> dict[str, tuple[str, ...]]:
    """Each CHOICES field's values: the contract's enum, or the subset asked for (checked)."""
    out = {}
    for name, enum in CHOICES.items():
        allowed = admin_enum(enum)
        asked = only.get(name)
        chosen = allowed if asked is None else tuple(asked)
        if not chosen or set(chosen) - set(allowed):
            raise ValueError(f"{name} values should be among {', '.join(allowed)}; got {chosen!r}")
        out[name] = chosen
    return out


@st.composite
def _spec(draw, times: st.SearchStrategy[int] | None, choices: dict[str, tuple[str, ...]], max_products: int,
          hostile: bool, huge: int) -> dict[str, Any]:
    spec: dict[str, Any] = {}
    if times is not None:
        spec["create_time"] = draw(times)
    for name, values in choices.items():
        spec[name] = draw(st.sampled_from(values))
    spec["gender"] = draw(st.sampled_from(admin_schema("OneshopExplicitOrder")["properties"]["gender"]["enum"]))
    if hostile:
        text = hostile_text(huge=huge)
        spec["name"] = draw(_non_blank(text))
        spec.update({name: draw(text) for name in _TEXT_FIELDS})
        short = hostile_text(huge=_REPEATED_HUGE)
        fields = _full(st.fixed_dictionaries({"label": text, "value": text}),
                       st.fixed_dictionaries({"label": short, "value": short}),
                       _limit("OneshopExplicitOrder", "custom_fields"))
        spec["custom_fields"] = draw(st.one_of(st.just([]), fields))
        spec["products"] = draw(_full(_product(True, huge), _product(True, _REPEATED_HUGE, full=False),
                                      _limit("OneshopExplicitOrder", "products")))
        spec["logistic_fee"] = draw(st.sampled_from(MONEY_BOUNDS))
        spec["payment_fee"] = draw(st.sampled_from(MONEY_BOUNDS))
        optional = tuple(k for k in spec if k != "products")
        dropped = draw(st.sets(st.sampled_from(optional)))
        return {k: v for k, v in spec.items() if k not in dropped}
    spec.update(name=draw(localized("name", REGION)), email=draw(localized("email", REGION)),
                phone=draw(localized("phone", REGION)))
    if draw(st.booleans()):
        spec["note"] = draw(localized("sentence", REGION))
    field = st.fixed_dictionaries({"label": st.sampled_from(("身高", "體重", "生日", "統一編號")),
                                   "value": localized("word", REGION)})
    spec["custom_fields"] = draw(st.lists(field, max_size=2))
    spec["products"] = draw(st.lists(_product(False, huge), min_size=1, max_size=max_products))
    return spec


def oneshop_order_specs(*, create_time: TimeSpec = None, max_products: int = 3, hostile: bool = False,
                        huge: int = HUGE, payments: Iterable[str] | None = None, logistics: Iterable[str] | None = None,
                        progress_statuses: Iterable[str] | None = None, payment_statuses: Iterable[str] | None = None,
                        logistic_statuses: Iterable[str] | None = None) -> st.SearchStrategy[dict[str, Any]]:
    """One explicit order for POST /_sandbox/oneshop/accounts/{appid}/orders.

    create_time: (start, end) unix seconds or a strategy; None leaves it out (the sandbox's now).
    payments, logistics, *_statuses: the codes to draw from (default every one of the contract).
    hostile: hostile text in every free-text field (up to `huge` characters), carts, bundles and
    custom fields at the contract's maxItems, money and quantities at the sandbox's bounds,
    optional fields left out."""
    if max_products < 1:
        raise ValueError("max_products should be at least 1 (an order has a cart)")
    times = unix_times(create_time, default=None)
    if hostile and isinstance(create_time, tuple):
        times = st.one_of(st.sampled_from(tuple(create_time)), times)
    choices = _choices({"payment": payments, "logistic": logistics, "progress_status": progress_statuses,
                        "payment_status": payment_statuses, "logistic_status": logistic_statuses})
    return _spec(times, choices, max_products, hostile, huge)


def oneshop_order_batches(*, min_size: int = 0, max_size: int = 60, start: int, end: int, max_products: int = 3,
                          hostile: bool = False) -> st.SearchStrategy[list[dict[str, Any]]]:
    """Lists of 1shop order specs created between `start` and `end` (unix seconds, inclusive)."""
    specs = oneshop_order_specs(create_time=(start, end), max_products=max_products, hostile=hostile,
                                huge=BATCH_HUGE)
    return st.lists(specs, min_size=min_size, max_size=max_size)
