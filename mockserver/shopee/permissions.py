"""Which app types may call which v2 APIs.

Emulated APIs carry their own list from the reference (`api_permission` of each API's JSON, see
catalog.py). For the rest, this module-level table follows seed 000's table of app types and the
v1 API groups each may use, mapped onto v2 module names.
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

# module -> app types allowed (ERP and Seller In House may call everything).
_MODULES: dict[str, tuple[str, ...]] = {
    "public": APP_TYPES,
    "push": APP_TYPES,
    "auth": APP_TYPES,
    "shop": (PRODUCT, ORDER, CUSTOMER_SERVICE),
    "merchant": (PRODUCT,),
    "product": (PRODUCT,),
    "global_product": (PRODUCT,),
    "media_space": (PRODUCT,),
    "order": (ORDER,),
    "logistics": (ORDER,),
    "first_mile": (ORDER,),
    "payment": (ACCOUNTING,),
    "discount": (MARKETING,),
    "top_picks": (MARKETING,),
    "sellerchat": (CUSTOMER_SERVICE,),
}

# Single APIs seed 000 grants beyond an app type's own modules ("Other APIs").
_EXTRA: dict[str, tuple[str, ...]] = {
    "product.get_item_base_info": (ORDER, ACCOUNTING, MARKETING, CUSTOMER_SERVICE),
    "product.get_comment": (ORDER, ACCOUNTING),
    "discount.get_discount": (ORDER, ACCOUNTING),
    "order.get_order_detail": (ACCOUNTING, CUSTOMER_SERVICE),
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
