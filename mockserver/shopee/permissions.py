"""Which app types may call which v2 APIs.

Every API of the reference JSONs carries its own list (`api_permission`, transcribed in
catalog.REFERENCE). For modules the reference does not cover, this module-level table follows seed
000's table of app types and the v1 API groups each may use, mapped onto v2 module names. For TW
shops seed 000's table (TW's own guide) wins over the reference's wider lists, and TW has no chat
API at all ("TW ... 不開放Chat API權限"): tw_allows.
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


# Seed 000's table for TW shops, as v2 modules: "All v1 Shop/ShopCategory/Item/Image APIs" (Product
# Management), "All v1 Order/Logistics/FirstMileTracking APIs" (Order Management), "All v1 Payment
# APIs" (Accounting), "All v1 TopPicks/Discount APIs" (Marketing), "All Chat APIs" (Customer
# Service, none in TW), and every app type's "All v1 Public APIs".
_TW_MODULES: dict[str, tuple[str, ...]] = {
    PRODUCT: ("shop", "shop_category", "product", "global_product", "media_space", "merchant", "public"),
    ORDER: ("order", "logistics", "first_mile", "public"),
    ACCOUNTING: ("payment", "public"),
    MARKETING: ("top_picks", "discount", "public"),
    CUSTOMER_SERVICE: ("public",),
}
# The "Other APIs" of the table: _EXTRA, plus GetOrderDetail for Accounting and Customer Service.
_TW_EXTRA = {**_EXTRA, "order.get_order_detail": (ACCOUNTING, CUSTOMER_SERVICE)}
_TW_NO_MODULES = ("sellerchat",)  # "且不開放Chat API權限": for every app type


def tw_allows(app_type: str, path: str) -> bool:
    """Seed 000's table for a call on a TW shop (path /api/v2/<module>/<api>)."""
    module, _, api = path.removeprefix("/api/v2/").partition("/")
    if module in _TW_NO_MODULES:
        return False
    if app_type in (ERP, SELLER_IN_HOUSE):
        return True
    return module in _TW_MODULES.get(app_type, ()) or app_type in _TW_EXTRA.get(f"{module}.{api}", ())


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
