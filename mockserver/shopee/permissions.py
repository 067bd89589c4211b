"""Which app types may call which v2 APIs.

Every API of the reference JSONs carries its own list (`api_permission`, transcribed in
catalog.REFERENCE). For modules the reference does not cover, this module-level table follows seed
000's table of app types and the v1 API groups each may use, mapped onto v2 module names.
"""
from __future__ import annotations

ERP = "ERP System"
SELLER_IN_HOUSE = "Seller In House System"
PRODUCT = "Product Management"
ORDER = "Order Management"
ACCOUNTING = "Accounting And Finance"
MARKETING = "Marketing"
CUSTOMER_SERVICE = "Customer Service"

APP_TYPES = (ERP, SELLER_IN_HOUSE, PRODUCT, ORDER, ACCOUNTING, MARKETING, CUSTOMER_SERVICE)

# Spellings seen in seed 000 and the console, folded onto the reference's names.
_ALIASES = {name.lower(): name for name in APP_TYPES}
_ALIASES.update({
    "seller in-house system": SELLER_IN_HOUSE,
    "accounting and finance": ACCOUNTING,
    "erp": ERP,
})

# module -> app types allowed (ERP and Seller In House may call everything), for the modules the
# reference JSONs do not cover (catalog.REFERENCE has the exact lists of order, logistics, shop,
# public, push and auth). v1 groups of seed 000 -> v2 modules: Item/ShopCategory/Image -> product,
# global_product, media_space; FirstMileTracking -> first_mile; Payment -> payment; TopPicks ->
# top_picks; Discount -> discount; Chat -> sellerchat. returns has no v1 group of its own in the
# table, so only the "All v1 APIs" types (ERP, Seller In House) may call it.
_MODULES: dict[str, tuple[str, ...]] = {
    "merchant": (PRODUCT,),
    "product": (PRODUCT,),
    "global_product": (PRODUCT,),
    "media_space": (PRODUCT,),
    "first_mile": (ORDER,),
    "payment": (ACCOUNTING,),
    "returns": (),
    "discount": (MARKETING,),
    "top_picks": (MARKETING,),
    "sellerchat": (CUSTOMER_SERVICE,),
}

# Single APIs seed 000 grants beyond an app type's own modules ("Other APIs"): GetItemDetail ->
# product.get_item_base_info, GetPromotionInfo -> product.get_item_promotion, GetComment ->
# product.get_comment, GetDiscountDetail -> discount.get_discount.
_EXTRA: dict[str, tuple[str, ...]] = {
    "product.get_item_base_info": (ORDER, ACCOUNTING, MARKETING, CUSTOMER_SERVICE),
    "product.get_item_promotion": (ORDER, ACCOUNTING, MARKETING),
    "product.get_comment": (ORDER, ACCOUNTING),
    "discount.get_discount": (ORDER, ACCOUNTING),
}


def normalise_app_type(name: str) -> str | None:
    return _ALIASES.get(name.strip().lower())


def module_allows(app_type: str, module: str, api: str) -> bool:
    """Seed 000's rule for an API the sandbox does not emulate."""
    if app_type in (ERP, SELLER_IN_HOUSE):
        return True
    if app_type in _MODULES.get(module, ()):
        return True
    return app_type in _EXTRA.get(f"{module}.{api}", ())


def known_modules() -> tuple[str, ...]:
    return tuple(_MODULES)
