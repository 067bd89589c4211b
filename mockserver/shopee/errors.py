"""Shopee's error envelope and its messages, verbatim from the v2 reference's error lists.

Shopee decides by the `error` field; the HTTP status is not documented. The sandbox answers
sign/auth/permission errors 403, rate limits 429, unknown paths 404, wrong methods 405 and every
other error 400 (docs/fidelity.md).
"""
from __future__ import annotations

import random
from typing import Any

# Common errors (common_error_list of every v2 API).
NO_PARTNER_ID = ("error_param", "There is no partner_id in query.")
BAD_PARTNER_ID = ("error_param", "Partner_id is invalid, should be an integer between 0 and 4294967295.")
UNKNOWN_PARTNER_ID = ("error_param", "Invalid partner_id.")
NO_TIMESTAMP = ("error_param", "no timestamp")
BAD_TIMESTAMP = ("error_param", "Timestamp is invalid, should be an integer between 0 and 4294967295.")
TIMESTAMP_EXPIRED = ("error_param", "Timestamp is expired.")
NO_SIGN = ("error_param", "There is no sign in query.")
WRONG_SIGN = ("error_sign", "Wrong sign.")
NO_ACCESS_TOKEN = ("error_param", "There is no access_token in query.")
NO_SHOP_ID = ("error_param", "There is no shop_id in query.")
BAD_SHOP_ID = ("error_param", "shop_id is invalid, should be an integer between 0 and 4294967295.")
INVALID_ACCESS_TOKEN = ("error_auth", "Invalid access_token.")
PARTNER_SHOP_NOT_LINKED = ("error_auth", "Invalid partner_id or shopid.")
APP_TYPE_NO_PERMISSION = ("error_api_permission", "This app type has no permission to this API.")
RATE_LIMITED = ("error_rate_limit", "Too many requests. You have reached the rate limit. Please try again later.")
UNKNOWN_PATH = ("error_param", "Permission denied. This API is currently offline or the request path is incorrect.")
SERVER_ERROR = ("error_server", "System error. Please try again later.")
SHOP_BANNED = ("shop_banned", "The\xa0shop account has been banned. Permissions for shop authorization and API calls have been suspended until the shop account is restored.")

# Authorisation.
INVALID_CODE = ("error_auth", "Invalid code")
INVALID_REFRESH_TOKEN = ("error_auth", "Invalid refresh_token.")
REFRESH_TOKEN_EXPIRED = ("refresh_token_expired", "Your refresh_token expired.")
SHOP_ID_NOT_FOUND = ("error_param", "The shop id you provided is not found. Please check your shop id.")

# Order module.
INVALID_TIME_RANGE = ("order.order_list_invalid_time", "Start time must be earlier than end time and diff in 15days.")
# The reference's words: "Can not cancel this order" without a full stop (seed 001 adds one).
CANCEL_NOT_ALLOWED = ("order.error_limit", "Can not cancel this order")
# Every "not found" of an order: the error example of get_order_detail and get_shipping_parameter.
ORDER_NOT_FOUND = ("error_not_found", "Wrong parameters, detail: the order is not found.")
ARCHIVED_ORDER = ("error_archived_order_update", "Cannot update old order")
NOT_IN_CANCEL = ("order.order_status_invalid", "Invalid order_status.The order status should be IN_CANCEL.")
ALREADY_SPLIT = ("order.order_has_been_split", "This order has already been split.")
SPLIT_NOT_PERMITTED = ("order.order_cannot_split", "You don’t have the permission to split order.")
SPLIT_TOO_MANY = ("error_param", "The size of package list is over limit.")
SPLIT_MISSING_ITEM = ("order.order_split_package_missing_item", "Cannot split order with missing items.")
SPLIT_INVALID_ITEM = ("order.order_split_item_not_exist", "Cannot split order with invalid items.")
SPLIT_DUPLICATE_ITEM = ("order.order_split_duplicate_item", "Cannot split order with duplicate items.")
SPLIT_WRONG_QUANTITY = ("order.order_split_wrong_item_quantity", "Cannot split order with wrong model quantity")
CANNOT_UNSPLIT = ("order.order_cannot_undo_split", "Cannot undo split this order.")

# Logistics module.
ORDER_NOT_EXIST = ("logistics.invalid_error", "The order is not exist.")
PACKAGE_NOT_EXIST = ("logistics.package_not_exist", "The package is not exist.")
NEED_PACKAGE_NUMBER = ("logistics.package_number_not_exist", "Please request with package_number for this split order.")
NOT_READY_TO_SHIP = ("logistics.error_param", "The order status is not ready to ship.")
ONE_SHIP_METHOD = ("logistics.ship_order_only_support_one_type", "Please select just one way to ship order: pickup or dropoff or non_integrated.")
NEED_ADDRESS_AND_SLOT = ("logistics.ship_order_need_address_pickup_time", "Parameter address_id and pickup_time_id are required.")
NEED_BRANCH_ID = ("logistics.ship_order_need_branch_id", "Parameter branch_id is required.")
BAD_PICKUP_SLOT = ("logistics.ship_order_pickup_time_invalid", "Invalid pickup time id. Please check the pick up time id.")
NO_DROPOFF = ("logistics.ship_order_unsupport_dropoff", "This order does not support ship with dropoff.")
NO_PICKUP = ("logistics.ship_order_unsupport_pickup", "This order does not support ship with pickup.")
NO_NON_INTEGRATED = ("logistics.ship_order_unsupport_non_integrated", "This order does not support ship with non_integrated.")
NOT_SHIPPABLE_STATUS = ("error_param", "Shipping parameters can only be obtained when package is ready to be shipped")
ORDER_CANCELLED = ("error_status", "The order has been cancelled.")
LACK_OF_INVOICE = ("logistics.lack_of_invoice_data", "Pending invoice data, can not arrange shipment.")
TRACKING_STATUS_INVALID = ("logistics.error_status_limit", "The order status is invalid. Please check the order status.")

_STATUS_BY_ERROR = {
    "error_sign": 403,
    "error_auth": 403,
    "error_api_permission": 403,
    "error_permission": 403,
    "shop_banned": 403,
    "refresh_token_expired": 403,
    "shop_no_linked": 403,
    "shop_access_expired": 403,
    "invalid_code": 403,
    "invalid_shop_id": 403,
    "error_shop_refresh_token": 403,
    "error_rate_limit": 429,
    "error_not_found": 404,
    "error_server": 500,
}


class ShopeeError(Exception):
    """An error answered in Shopee's envelope."""

    def __init__(self, error: str, message: str, status: int | None = None) -> None:
        super().__init__(f"{error}: {message}")
        self.error = error
        self.message = message
        self.status = status or _STATUS_BY_ERROR.get(error, 400)

    @classmethod
    def of(cls, pair: tuple[str, str], status: int | None = None) -> "ShopeeError":
        return cls(pair[0], pair[1], status)


def wrong_param(detail: str) -> ShopeeError:
    """The generic parameter error every v2 API lists: 'Wrong parameters, detail: {msg}.'"""
    return ShopeeError("error_param", f"Wrong parameters, detail: {detail}.")


def not_found(detail: str) -> ShopeeError:
    return ShopeeError("error_not_found", f"Wrong parameters, detail: {detail}.")


_ids = random.Random()  # seeded from the system once: ids differ between runs, as Shopee's do


def new_request_id() -> str:
    # 32 hex digits as Shopee's; a label, not a secret: the Mersenne twister (one call) rather than
    # the system's random source (a system call per answer).
    return f"{_ids.getrandbits(128):032x}"


def envelope(error: str = "", message: str = "", **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"request_id": new_request_id(), "error": error, "message": message}
    body.update(fields)
    return body
