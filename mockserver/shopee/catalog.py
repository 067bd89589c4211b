"""The table of emulated v2 APIs (moto-style routing as data): path, method, signing type,
the app types the reference allows (`api_permission`), the API's own parameters and its handler.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from mockserver.shopee import permissions as P

# Permission lists copied from each API's `api_permission` in the v2 reference, restricted to the
# app types the sandbox knows (seed 000's table).
_ORDER_CORE = (P.ERP, P.SELLER_IN_HOUSE, P.ORDER)


@dataclass(frozen=True)
class Api:
    name: str  # v2.order.get_order_list
    path: str
    method: str  # GET | POST
    api_type: str  # public | shop
    permissions: tuple[str, ...] | None  # None: any app type
    params: tuple[str, ...] | None  # None: not checked (APIs the sandbox does not emulate)
    handler: Callable[..., Any]
    html: bool = False  # answers a page or a redirect, not JSON


REGISTRY: dict[str, Api] = {}


def api(path: str, method: str, api_type: str, params: tuple[str, ...] = (),
        permissions: tuple[str, ...] | None = None, html: bool = False) -> Callable:
    """Registers a handler for one v2 path."""
    def register(handler: Callable) -> Callable:
        name = "v2." + path.removeprefix("/api/v2/").replace("/", ".")
        REGISTRY[path] = Api(name, path, method, api_type, permissions, params, handler, html)
        return handler
    return register


PERMISSIONS = {
    "order.get_order_list": _ORDER_CORE + (P.CUSTOMER_SERVICE,),
    "order.get_shipment_list": _ORDER_CORE,
    "order.get_order_detail": _ORDER_CORE + (P.ACCOUNTING, P.CUSTOMER_SERVICE),
    "order.cancel_order": _ORDER_CORE,
    "order.handle_buyer_cancellation": _ORDER_CORE + (P.CUSTOMER_SERVICE,),
    "order.split_order": _ORDER_CORE,
    "order.unsplit_order": _ORDER_CORE,
    "order.set_note": _ORDER_CORE + (P.CUSTOMER_SERVICE,),
    "logistics.get_shipping_parameter": _ORDER_CORE,
    "logistics.ship_order": _ORDER_CORE,
    "logistics.get_tracking_number": _ORDER_CORE + (P.CUSTOMER_SERVICE,),
    "logistics.get_tracking_info": _ORDER_CORE + (P.CUSTOMER_SERVICE,),
    "logistics.get_channel_list": _ORDER_CORE + (P.PRODUCT,),
    "shop.get_shop_info": _ORDER_CORE + (P.PRODUCT, P.CUSTOMER_SERVICE),
}
