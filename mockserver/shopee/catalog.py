"""The table of v2 APIs (moto-style routing as data).

REGISTRY holds the emulated APIs: path, method, signing type, the app types allowed, the API's own
parameters and its handler. REFERENCE holds every API of Shopee's reference JSONs
(shared/reference/shopee-v2-api/*.json: `path`, `method`, `api_permission`), so that a real API the
sandbox does not emulate still gets the gateway's checks, with the right app-type permission, before
its "not emulated" answer, while a made-up path in those modules is an unknown path like on Shopee.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from mockserver.shopee import permissions as P


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


@dataclass(frozen=True)
class RefApi:
    """One API of the reference: what the gateway needs to check a call to it."""
    path: str
    method: str
    api_type: str  # public | shop
    permissions: tuple[str, ...]


# ---- the reference, transcribed --------------------------------------------------------------
# `api_permission` of each reference JSON, restricted to seed 000's app types. Names ending in
# ":GET" are GET APIs (reference `method` 2), the others POST (`method` 1).
# tests/shopee/test_permissions.py checks this table against the JSON files.
_CORE = (P.ERP, P.SELLER_IN_HOUSE, P.ORDER)
_WITH_PRODUCT = (P.ERP, P.SELLER_IN_HOUSE, P.PRODUCT, P.ORDER)
_WITH_CS = _CORE + (P.CUSTOMER_SERVICE,)
_EVERY = P.APP_TYPES
_REFERENCE_TEXT: dict[tuple[str, ...], str] = {
    _CORE: """
        logistics/batch_ship_order logistics/batch_update_tpf_warehouse_tracking_status
        logistics/check_polygon_update_status logistics/create_booking_shipping_document
        logistics/create_shipping_document logistics/create_shipping_document_job logistics/delete_address
        logistics/delete_special_operating_hour logistics/download_booking_shipping_document
        logistics/download_shipping_document logistics/download_shipping_document_job logistics/download_to_label
        logistics/get_address_list:GET logistics/get_booking_shipping_document_data_info
        logistics/get_booking_shipping_document_parameter logistics/get_booking_shipping_document_result
        logistics/get_booking_shipping_parameter:GET logistics/get_booking_tracking_info:GET
        logistics/get_booking_tracking_number:GET logistics/get_mart_packaging_info:GET
        logistics/get_mass_shipping_parameter logistics/get_mass_tracking_number
        logistics/get_operating_hour_restrictions:GET logistics/get_operating_hours:GET
        logistics/get_pause_status:GET logistics/get_shipping_document_data_info
        logistics/get_shipping_document_job_status logistics/get_shipping_document_parameter
        logistics/get_shipping_document_result logistics/get_shipping_parameter:GET logistics/mass_ship_order
        logistics/set_address_config logistics/set_mart_packaging_info logistics/set_pause_status
        logistics/ship_booking logistics/ship_order logistics/update_address logistics/update_channel
        logistics/update_operating_hours logistics/update_self_collection_order_logistics
        logistics/update_shipping_order logistics/update_tracking_status logistics/upload_serviceable_polygon
        order/cancel_order order/download_fbs_invoices order/download_invoice_doc:GET order/generate_fbs_invoices
        order/get_booking_detail:GET order/get_booking_list:GET order/get_buyer_invoice_info
        order/get_estimate_cancel_value order/get_fbs_invoices_result order/get_package_detail:GET
        order/get_pending_buyer_invoice_order_list:GET order/get_shipment_list:GET
        order/get_warehouse_filter_config:GET order/handle_prescription_check order/search_package_list
        order/split_order order/unsplit_order order/upload_invoice_doc
    """,
    _WITH_PRODUCT: """
        logistics/get_channel_list:GET shop/get_authorised_reseller_brand:GET shop/get_br_shop_onboarding_info:GET
        shop/get_profile:GET shop/get_shop_holiday_mode:GET shop/get_warehouse_detail:GET
        shop/set_shop_holiday_mode shop/update_profile
    """,
    _WITH_CS: """
        logistics/get_tracking_info:GET logistics/get_tracking_number:GET order/get_order_list:GET
        order/handle_buyer_cancellation order/set_note
    """,
    _CORE + (P.ACCOUNTING, P.CUSTOMER_SERVICE): "order/get_order_detail:GET",
    _WITH_PRODUCT + (P.CUSTOMER_SERVICE,): "shop/get_shop_info:GET",
    _EVERY: """
        auth/token/get auth/access_token/get public/get_merchants_by_partner:GET
        public/get_shopee_ip_ranges:GET public/get_shops_by_partner:GET public/get_token_by_resend_code
        push/confirm_consumed_lost_push_message push/get_app_push_config:GET push/get_lost_push_message:GET
        push/set_app_push_config shop/get_shop_notification:GET
    """,
}
# Modules whose every API carries only the public signature (reference `api_type` "Public").
PUBLIC_MODULES = ("public", "push", "auth")


def _reference() -> dict[str, RefApi]:
    table = {}
    for allowed, text in _REFERENCE_TEXT.items():
        for word in text.split():
            name, _, method = word.partition(":")
            path = "/api/v2/" + name
            api_type = "public" if name.split("/")[0] in PUBLIC_MODULES else "shop"
            table[path] = RefApi(path, method or "POST", api_type, allowed)
    return table


REFERENCE: dict[str, RefApi] = _reference()
# The modules the reference covers completely enough that any other name in them is a wrong path.
REFERENCE_MODULES = frozenset(path.split("/")[3] for path in REFERENCE)


def _permissions_of(name: str) -> tuple[str, ...]:
    return REFERENCE["/api/v2/" + name.replace(".", "/")].permissions


# Permission lists of the emulated APIs, by short name (the handlers' modules use these).
PERMISSIONS = {name: _permissions_of(name) for name in (
    "order.get_order_list", "order.get_shipment_list", "order.get_order_detail", "order.cancel_order",
    "order.handle_buyer_cancellation", "order.split_order", "order.unsplit_order", "order.set_note",
    "logistics.get_shipping_parameter", "logistics.ship_order", "logistics.get_tracking_number",
    "logistics.get_tracking_info", "logistics.get_channel_list", "shop.get_shop_info",
    "push.set_app_push_config", "push.get_app_push_config", "push.get_lost_push_message",
    "push.confirm_consumed_lost_push_message",
)}


_MODULE_API = re.compile(r"/api/v2/([a-z][a-z0-9_]*)/([a-z][a-z0-9_]*)")


# ---- the emulated APIs -----------------------------------------------------------------------
REGISTRY: dict[str, Api] = {}


class Later:
    """A handler's answer that needs work outside the store lock: set_app_push_config waits up to
    3 s for its verification push, and holding the lock meanwhile would stall every other call and
    any webhook hook that takes it. The dispatcher releases the lock, then calls run(), which
    answers the result dict or raises ShopeeError (and takes the lock again itself to save)."""

    def __init__(self, run: Callable[[], dict[str, Any]]) -> None:
        self.run = run


def api(path: str, method: str, api_type: str, params: tuple[str, ...] = (),
        permissions: tuple[str, ...] | None = None, html: bool = False) -> Callable:
    """Registers a handler for one v2 path."""
    def register(handler: Callable) -> Callable:
        name = "v2." + path.removeprefix("/api/v2/").replace("/", ".")
        REGISTRY[path] = Api(name, path, method, api_type, permissions, params, handler, html)
        return handler
    return register


def real_api(path: str, request_method: str) -> RefApi | None:
    """A real v2 API the sandbox does not emulate, or None for a path that is not a Shopee API.

    Modules the reference covers (order, logistics, shop, public, push, auth) are closed lists.
    For the other modules of seed 000's table (product, payment, discount, ...) the reference has
    no list, so any `<module>/<name>` counts as real, answered with the module's permission rule.
    """
    if path in REFERENCE:
        return REFERENCE[path]
    match = _MODULE_API.fullmatch(path)
    if match is None:
        return None
    module, name = match.groups()
    if module in REFERENCE_MODULES or module not in P.known_modules():
        return None
    allowed = tuple(t for t in P.APP_TYPES if P.module_allows(t, module, name))
    api_type = "public" if module in PUBLIC_MODULES else "shop"
    return RefApi(path, request_method, api_type, allowed)
