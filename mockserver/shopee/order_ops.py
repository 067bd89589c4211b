"""What the seller does to an order through the v2 API: ship, cancel, answer a buyer's
cancellation, split and unsplit parcels, write a note. Each operation checks every rule first and
changes nothing when one fails.
"""
from __future__ import annotations

from typing import Any

from mockserver.shopee import errors as E
from mockserver.shopee import lifecycle
from mockserver.shopee.errors import ShopeeError, wrong_param
from mockserver.shopee.models import Order, Package
from mockserver.shopee.world import ShopeeWorld

CANCEL_REASONS = ("OUT_OF_STOCK", "CUSTOMER_REQUEST", "UNDELIVERABLE_AREA", "COD_NOT_SUPPORTED")
# What get_order_detail's cancel_reason then reads (order-management guide, "Cancel reason").
CANCEL_REASON_TEXT = {"OUT_OF_STOCK": "Out of Stock", "CUSTOMER_REQUEST": "Buyer Request to Cancel",
                      "UNDELIVERABLE_AREA": "Undeliverable Area", "COD_NOT_SUPPORTED": "COD Unsupported"}
UNDELIVERABLE_AREA_REGIONS = ("TW", "MY")
# Seed 001: split/unsplit (and the invoice APIs) are not used in Brazil.
SPLIT_UNAVAILABLE_REGIONS = ("BR",)
# split_order's model_quantity: "only eligible for the shop whitelisted to the unit-level split in
# SG/TH/TW/MY markets"; sandbox shops there count as whitelisted.
UNIT_SPLIT_REGIONS = ("SG", "TH", "TW", "MY")
MAX_PARCELS = {"TW": 30}
DEFAULT_MAX_PARCELS = 5
NOTE_MAX_LENGTH = 500
# A final order turns "old" (archived) this long after its last status change: the same 15 days as
# the return window of completed orders (render.RETURN_WINDOW).
ARCHIVE_AFTER = 15 * 86400
_CANCELLABLE = (lifecycle.UNPAID, lifecycle.INVOICE_PENDING, lifecycle.READY_TO_SHIP,
                lifecycle.PROCESSED, lifecycle.RETRY_SHIP)


def ship_modes(order: Order) -> tuple[str, ...]:
    from mockserver.shopee.factory import channels_of

    for channel_id, _, _, modes in channels_of(order.region):
        if channel_id == order.logistics_channel_id:
            return modes
    return ("pickup",)


def package_of(order: Order, package_number: str | None) -> Package:
    """The package a logistics call is about: split orders must name one."""
    if package_number:
        for package in order.packages:
            if package.package_number == package_number:
                return package
        raise ShopeeError.of(E.PACKAGE_NOT_EXIST)
    if len(order.packages) > 1:
        raise ShopeeError.of(E.NEED_PACKAGE_NUMBER)
    return order.packages[0]


def ship(world: ShopeeWorld, order: Order, package_number: str | None, mode: str, now: int) -> None:
    """ship_order: READY_TO_SHIP/RETRY_SHIP -> PROCESSED once every parcel is arranged."""
    if order.status == lifecycle.INVOICE_PENDING:
        raise ShopeeError.of(E.LACK_OF_INVOICE)
    if order.status not in (lifecycle.READY_TO_SHIP, lifecycle.RETRY_SHIP):
        raise ShopeeError.of(E.NOT_READY_TO_SHIP)
    package = package_of(order, package_number)
    if mode not in ship_modes(order):
        raise ShopeeError.of({"pickup": E.NO_PICKUP, "dropoff": E.NO_DROPOFF,
                              "non_integrated": E.NO_NON_INTEGRATED}[mode])
    if order.status == lifecycle.READY_TO_SHIP and package.shipped_with:
        raise ShopeeError("logistics.package_already_shipped",
                          "This package has already been arranged shipment and you can't call this API again.")
    package.shipped_with = mode
    package.logistics_status = "LOGISTICS_REQUEST_CREATED"  # also when other parcels wait
    if order.status == lifecycle.RETRY_SHIP or all(p.shipped_with for p in order.packages):
        lifecycle.move(world, order, lifecycle.PROCESSED, now)
    delay = world.tracking_delay
    if delay <= 0:
        lifecycle.assign_tracking_numbers(world, order, now)
    else:
        world.scheduler.at(now + delay, lambda: lifecycle.assign_tracking_numbers(world, order, now + delay),
                           {"platform": "shopee", "kind": "tracking", "order_sn": order.order_sn, "at": now + delay})


def cancel(world: ShopeeWorld, order: Order, reason: str, item_list: list[dict] | None, now: int) -> None:
    """cancel_order by the seller; seed 001's rules, and the stock goes back."""
    if reason not in CANCEL_REASONS:
        raise wrong_param(f"cancel_reason should be one of {', '.join(CANCEL_REASONS)}")
    if reason == "UNDELIVERABLE_AREA" and order.region not in UNDELIVERABLE_AREA_REGIONS:
        raise wrong_param("cancel_reason UNDELIVERABLE_AREA only applies to TW and MY")
    if reason == "COD_NOT_SUPPORTED" and order.region == "BR":
        raise wrong_param("cancel_reason COD_NOT_SUPPORTED is not available in BR")
    if reason == "OUT_OF_STOCK":
        if not item_list:
            raise wrong_param("item_list is required when cancel_reason is OUT_OF_STOCK")
        in_order = {(i.item_id, i.model_id) for i in order.items}
        for entry in item_list:
            if (entry["item_id"], entry["model_id"]) not in in_order:
                raise wrong_param(f"item_id {entry['item_id']} model_id {entry['model_id']} is not in this order")
    if not can_cancel(order):
        raise ShopeeError.of(E.CANCEL_NOT_ALLOWED)
    lifecycle.move(world, order, lifecycle.CANCELLED, now, by="seller", reason=CANCEL_REASON_TEXT[reason])


def can_cancel(order: Order) -> bool:
    """cancel_order would cancel it (get_order_detail's can_full_cancel_order). Seed 001: not once
    the tracking number exists, nor when already cancelled."""
    return order.status in _CANCELLABLE and not order.tracking_assigned


def handle_buyer_cancellation(world: ShopeeWorld, order: Order, operation: str, now: int) -> None:
    if operation not in ("ACCEPT", "REJECT"):
        raise wrong_param("operation should be ACCEPT or REJECT")
    if order.status != lifecycle.IN_CANCEL:
        raise ShopeeError.of(E.NOT_IN_CANCEL)
    if operation == "ACCEPT":
        lifecycle.move(world, order, lifecycle.CANCELLED, now, by="buyer", reason=order.buyer_cancel_reason)
    else:
        lifecycle.move(world, order, order.status_before_cancel_request or lifecycle.READY_TO_SHIP, now)


def _check_splittable(order: Order) -> None:
    if order.region in SPLIT_UNAVAILABLE_REGIONS:
        raise ShopeeError.of(E.SPLIT_NOT_PERMITTED)
    if order.status != lifecycle.READY_TO_SHIP:
        raise ShopeeError("order.order_split_failed", "Split order failed, please try again.")


def split(world: ShopeeWorld, order: Order, package_list: list[dict[str, Any]], now: int) -> list[Package]:
    """split_order: every item of the order placed, in 2..5 parcels (30 in TW).

    Item-level split: an entry without model_quantity puts the whole line in that parcel, so the
    line may appear in no other parcel (order_split_duplicate_item). Unit-level split: entries with
    model_quantity may spread one line over several parcels; the quantities must add up to the
    quantity bought (order_split_wrong_item_quantity).
    """
    _check_splittable(order)
    if order.split_up:
        raise ShopeeError.of(E.ALREADY_SPLIT)
    limit = MAX_PARCELS.get(order.region, DEFAULT_MAX_PARCELS)
    if len(package_list) > limit:
        raise ShopeeError.of(E.SPLIT_TOO_MANY)
    if len(package_list) < 2:
        raise wrong_param("package_list should contain at least 2 packages")
    ordered = {(i.item_id, i.model_id): i for i in order.items}
    placed: dict[tuple[int, int], int] = {}
    whole_line: set[tuple[int, int]] = set()  # lines placed without a quantity
    parcels: list[list[tuple[int, int, int, int]]] = []
    for package in package_list:
        parcel = []
        seen_in_parcel = set()
        for entry in package["item_list"]:
            key = (entry["item_id"], entry["model_id"])
            item = ordered.get(key)
            if item is None or entry.get("order_item_id") not in (None, item.order_item_id):
                raise ShopeeError.of(E.SPLIT_INVALID_ITEM)
            quantity = entry.get("model_quantity")
            if quantity is not None and order.region not in UNIT_SPLIT_REGIONS:
                # No unit-level split here: a quantity may only restate the whole line.
                if quantity != item.quantity:
                    raise ShopeeError.of(E.SPLIT_WRONG_QUANTITY)
                quantity = None
            if key in seen_in_parcel or key in whole_line or (quantity is None and key in placed):
                raise ShopeeError.of(E.SPLIT_DUPLICATE_ITEM)
            seen_in_parcel.add(key)
            if quantity is None:
                whole_line.add(key)
                quantity = item.quantity
            if quantity <= 0:
                raise ShopeeError.of(E.SPLIT_WRONG_QUANTITY)
            placed[key] = placed.get(key, 0) + quantity
            parcel.append((item.item_id, item.model_id, quantity, item.order_item_id))
        if not parcel:
            raise wrong_param("every package needs at least one item")
        parcels.append(parcel)
    for key, item in ordered.items():
        if key not in placed:
            raise ShopeeError.of(E.SPLIT_MISSING_ITEM)
        if placed[key] != item.quantity:
            raise ShopeeError.of(E.SPLIT_WRONG_QUANTITY)
    order.packages = [Package(package_number=world.new_package_number(), items=parcel,
                              logistics_status=order.packages[0].logistics_status) for parcel in parcels]
    order.split_up = True
    order.update_time = now
    return order.packages


def unsplit(world: ShopeeWorld, order: Order, now: int) -> None:
    """unsplit_order: a split order whose parcels are not arranged yet goes back to one parcel.
    unsplit_order's error list has no order_cannot_split, so a BR order (never split) gets
    order_cannot_undo_split like any other order that is not split."""
    if not order.split_up or order.status != lifecycle.READY_TO_SHIP or any(p.shipped_with for p in order.packages):
        raise ShopeeError.of(E.CANNOT_UNSPLIT)
    status = order.packages[0].logistics_status
    order.packages = [Package(package_number=world.new_package_number(),
                              items=[(i.item_id, i.model_id, i.quantity, i.order_item_id) for i in order.items],
                              logistics_status=status)]
    order.split_up = False
    order.update_time = now


def archived(order: Order, now: int) -> bool:
    """An "old order" that set_note refuses (error_archived_order_update "Cannot update old order").
    The reference does not define it; the sandbox's rule: a final order (COMPLETED or CANCELLED)
    whose last change is ARCHIVE_AFTER or more ago, i.e. once a completed order's
    return_request_due_date has passed (docs/fidelity.md)."""
    if order.status not in (lifecycle.COMPLETED, lifecycle.CANCELLED):
        return False
    last_change = order.history[-1][0] if order.history else order.update_time
    return now - last_change >= ARCHIVE_AFTER


def set_note(order: Order, note: str, now: int) -> None:
    if archived(order, now):
        raise ShopeeError.of(E.ARCHIVED_ORDER)
    if len(note) > NOTE_MAX_LENGTH:
        raise wrong_param(f"note should be at most {NOTE_MAX_LENGTH} characters")
    order.note = note
    order.note_update_time = now
    order.update_time = now
