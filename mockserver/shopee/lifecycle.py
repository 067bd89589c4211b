"""The order status machine: who may move an order from which status to which, and what follows.

Buyers, 3PLs and Shopee act through admin events; the seller acts through the v2 API (ship_order,
cancel_order, handle_buyer_cancellation). Every change goes through `move`, which stamps
update_time, records history, keeps package logistics statuses in step and publishes a domain event.
"""
from __future__ import annotations

from mockserver.core.events import Event
from mockserver.shopee.models import Order, TrackingEvent

UNPAID = "UNPAID"
INVOICE_PENDING = "INVOICE_PENDING"
READY_TO_SHIP = "READY_TO_SHIP"
PROCESSED = "PROCESSED"
RETRY_SHIP = "RETRY_SHIP"
SHIPPED = "SHIPPED"
TO_CONFIRM_RECEIVE = "TO_CONFIRM_RECEIVE"
COMPLETED = "COMPLETED"
IN_CANCEL = "IN_CANCEL"
CANCELLED = "CANCELLED"
TO_RETURN = "TO_RETURN"

STATUSES = (UNPAID, INVOICE_PENDING, READY_TO_SHIP, PROCESSED, RETRY_SHIP, SHIPPED,
            TO_CONFIRM_RECEIVE, COMPLETED, IN_CANCEL, CANCELLED, TO_RETURN)

# Seed 001: the buyer may cancel without the seller's approval within 1 hour of payment.
FREE_CANCEL_WINDOW = 3600

# event -> {from status: to status}. buyer_cancel's target also depends on the payment time.
EVENTS: dict[str, dict[str, str]] = {
    "pay": {UNPAID: READY_TO_SHIP},
    "issue_invoice": {INVOICE_PENDING: READY_TO_SHIP},
    "buyer_cancel": {UNPAID: CANCELLED, INVOICE_PENDING: IN_CANCEL, READY_TO_SHIP: IN_CANCEL,
                     PROCESSED: IN_CANCEL, RETRY_SHIP: IN_CANCEL},
    "pickup": {PROCESSED: SHIPPED},
    "pickup_failed": {PROCESSED: RETRY_SHIP},
    "deliver": {SHIPPED: TO_CONFIRM_RECEIVE},
    "confirm_receive": {TO_CONFIRM_RECEIVE: COMPLETED},
    "request_return": {TO_CONFIRM_RECEIVE: TO_RETURN},
    "complete": {TO_CONFIRM_RECEIVE: COMPLETED, TO_RETURN: COMPLETED},
    "system_cancel": {UNPAID: CANCELLED, INVOICE_PENDING: CANCELLED, READY_TO_SHIP: CANCELLED,
                      PROCESSED: CANCELLED, RETRY_SHIP: CANCELLED, IN_CANCEL: CANCELLED,
                      SHIPPED: CANCELLED},
}

# The Shopee logistics status a package takes when its order enters a status.
_LOGISTICS_FOR_STATUS = {
    READY_TO_SHIP: "LOGISTICS_READY",
    INVOICE_PENDING: "LOGISTICS_PENDING_ARRANGE",
    PROCESSED: "LOGISTICS_REQUEST_CREATED",
    RETRY_SHIP: "LOGISTICS_PICKUP_RETRY",
    SHIPPED: "LOGISTICS_PICKUP_DONE",
    TO_CONFIRM_RECEIVE: "LOGISTICS_DELIVERY_DONE",
}

_TRACKING_TEXT = {
    PROCESSED: "Seller has arranged shipment; waiting for the courier to pick up the parcel",
    RETRY_SHIP: "Courier could not pick up the parcel; pickup will be retried",
    SHIPPED: "Parcel has been picked up by the courier",
    TO_CONFIRM_RECEIVE: "Parcel has been delivered",
    TO_RETURN: "Buyer requested a return",
    COMPLETED: "Order completed",
    CANCELLED: "Order cancelled",
}

# Auto-progress (when switched on): status -> (event, seconds on the sandbox clock).
AUTO_PROGRESS = {
    SHIPPED: ("deliver", 2 * 86400),
    TO_CONFIRM_RECEIVE: ("complete", 7 * 86400),
}
AUTO_PICKUP_AFTER = 86400  # PROCESSED with a tracking number -> picked up a day later


class IllegalTransition(Exception):
    def __init__(self, order: Order, event: str, reason: str = "") -> None:
        super().__init__(reason or f"event {event!r} is not allowed in status {order.status}")
        self.order = order
        self.event = event
        self.reason = reason or str(self)


def target_of(order: Order, event: str, now: int) -> str:
    """The status `event` leads to from the order's status, or IllegalTransition."""
    table = EVENTS.get(event)
    if table is None:
        raise ValueError(f"unknown event {event!r}; one of {', '.join(EVENTS)}")
    target = table.get(order.status)
    if target is None:
        raise IllegalTransition(order, event)
    if event == "pay" and order.region == "BR":
        target = INVOICE_PENDING  # seed 001: BR orders wait for their invoice before shipping
    if event == "pickup" and not order.tracking_assigned:
        raise IllegalTransition(order, event, "the parcel has no tracking number yet")
    if (event == "buyer_cancel" and order.status == READY_TO_SHIP and order.pay_time
            and now - order.pay_time <= FREE_CANCEL_WINDOW):
        target = CANCELLED
    return target


def move(world, order: Order, target: str, now: int, *, by: str = "", reason: str = "") -> None:
    """Put the order in `target` with every side effect (stock, packages, history, event)."""
    previous = order.status
    if target == IN_CANCEL:
        order.status_before_cancel_request = previous
        order.buyer_cancel_reason = reason or order.buyer_cancel_reason
    if target == CANCELLED:
        order.cancel_by = by or "system"
        order.cancel_reason = reason or order.cancel_reason
        _restore_stock(world, order)
    if previous == UNPAID and target in (READY_TO_SHIP, INVOICE_PENDING):
        order.pay_time = now
    order.status = target
    order.update_time = now
    order.history.append((now, target))
    _update_packages(order, target, now, previous)
    world.events.publish(Event("shopee.order_status_changed", now, {
        "shop_id": order.shop_id, "order_sn": order.order_sn,
        "from": previous, "status": target,
    }))
    _schedule_auto_progress(world, order, now)


def _update_packages(order: Order, target: str, now: int, previous: str) -> None:
    for package in order.packages:
        if target == CANCELLED:
            package.logistics_status = ("LOGISTICS_LOST" if previous == SHIPPED
                                        else "LOGISTICS_REQUEST_CANCELED" if package.shipped_with
                                        else "LOGISTICS_INVALID")
        elif target in _LOGISTICS_FOR_STATUS:
            package.logistics_status = _LOGISTICS_FOR_STATUS[target]
        if target == SHIPPED:
            package.pickup_done_time = now
            order.pickup_done_time = now
        if target in _TRACKING_TEXT and (package.shipped_with or target == CANCELLED):
            package.tracking.append(TrackingEvent(now, _TRACKING_TEXT[target], package.logistics_status))


def _restore_stock(world, order: Order) -> None:
    """Seed 001: every cancelled order gives its stock back."""
    for item in order.items:
        model = world.models.get((order.shop_id, item.item_id, item.model_id))
        remaining = item.quantity - item.cancelled_qty
        if model is not None and remaining > 0:
            model.stock += remaining
        item.cancelled_qty = item.quantity


def assign_tracking_numbers(world, order: Order, now: int) -> None:
    """The 3PL gives every arranged parcel a tracking number (ship_order, then after a delay)."""
    for package in order.packages:
        if package.shipped_with and not package.tracking_number:
            package.tracking_number = world.new_tracking_number(order.region)
            package.tracking.append(TrackingEvent(now, f"Tracking number {package.tracking_number} assigned",
                                                  package.logistics_status))
            world.events.publish(Event("shopee.tracking_number_assigned", now, {
                "shop_id": order.shop_id, "order_sn": order.order_sn,
                "package_number": package.package_number, "tracking_number": package.tracking_number,
            }))
    order.update_time = now
    _schedule_auto_progress(world, order, now)


def apply_event(world, order: Order, event: str, now: int, reason: str = "") -> str:
    """Apply an admin-driven event (buyer, 3PL or Shopee). Returns the new status."""
    target = target_of(order, event, now)
    by = {"buyer_cancel": "buyer", "system_cancel": "system"}.get(event, "")
    if event == "buyer_cancel" and target == CANCELLED and not reason:
        reason = "Change of mind"
    move(world, order, target, now, by=by, reason=reason)
    return target


def _schedule_auto_progress(world, order: Order, now: int) -> None:
    if not world.auto_progress:
        return
    status = order.status
    if status == PROCESSED and order.tracking_assigned:
        event, delay = "pickup", AUTO_PICKUP_AFTER
    elif status in AUTO_PROGRESS:
        event, delay = AUTO_PROGRESS[status]
    else:
        return

    def run() -> None:
        # Only if nothing else moved the order meanwhile.
        if order.status == status and order.update_time == now:
            apply_event(world, order, event, now + delay)

    world.scheduler.at(now + delay, run)
