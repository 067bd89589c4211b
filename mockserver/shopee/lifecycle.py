"""The order status machine: who may move an order from which status to which, and what follows.

Buyers, 3PLs and Shopee act through admin events; the seller acts through the v2 API (ship_order,
cancel_order, handle_buyer_cancellation). Every change goes through `move`, which stamps
update_time, records history, keeps package logistics statuses and tracking events in step,
publishes a domain event and (when switched on) schedules the next automatic step.
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
# Seed 001: only Brazilian orders wait for their invoice (INVOICE_PENDING) after payment.
INVOICE_REGIONS = ("BR",)

DAY = 86400
# Seed 001: the buyer may cancel without the seller's approval within 1 hour of payment (which is
# why ship_order is advised after that hour). From `pay_time` up to, not including, pay_time + 3600.
FREE_CANCEL_WINDOW = 3600
_BEFORE_PICKUP = (INVOICE_PENDING, READY_TO_SHIP, PROCESSED, RETRY_SHIP)

# event -> {from status: to status}. buyer_cancel's target also depends on the payment time, and
# pay's on the region (see target_of).
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
# Events of the 3PL: a courier only comes for a parcel that has a tracking number.
_NEED_TRACKING = ("pickup", "pickup_failed")

# Default reasons, from the data definition's CancelReason and BuyerCancelReason lists.
BUYER_CANCEL_REASON = "Change of mind / others"
BUYER_CANCELLED = "Buyer Request to Cancel"
_SYSTEM_CANCEL_REASON = {UNPAID: "Unpaid Order", INVOICE_PENDING: "Seller did not Ship",
                         READY_TO_SHIP: "Seller did not Ship", PROCESSED: "3PL pickup Fail",
                         RETRY_SHIP: "3PL pickup Fail", IN_CANCEL: "Auto Cancel", SHIPPED: "Parcel is Lost"}

# The Shopee logistics status a package takes when its order enters a status.
_LOGISTICS_FOR_STATUS = {
    UNPAID: "LOGISTICS_NOT_START",
    READY_TO_SHIP: "LOGISTICS_READY",
    INVOICE_PENDING: "LOGISTICS_PENDING_ARRANGE",
    PROCESSED: "LOGISTICS_REQUEST_CREATED",
    RETRY_SHIP: "LOGISTICS_PICKUP_RETRY",
    SHIPPED: "LOGISTICS_PICKUP_DONE",
    TO_CONFIRM_RECEIVE: "LOGISTICS_DELIVERY_DONE",
}

# Tracking events of get_tracking_info: (previous, new status) -> (TrackingLogisticsStatus, TW text,
# text elsewhere). "*" matches any previous status. Only arranged parcels have a tracking history.
_TRACKING = {
    ("*", PROCESSED): ("ORDER_CREATED", "賣家已安排出貨，等待物流取件",
                       "Seller has arranged shipment; waiting for the courier to pick up the parcel"),
    ("*", RETRY_SHIP): ("PICKUP_RETRY", "物流取件失敗，將重新安排取件",
                        "The courier could not pick up the parcel; pickup will be retried"),
    ("*", SHIPPED): ("PICKED_UP", "包裹已由物流取件", "The parcel has been picked up by the courier"),
    ("*", TO_CONFIRM_RECEIVE): ("DELIVERED", "包裹已送達", "The parcel has been delivered"),
    ("*", TO_RETURN): ("RETURN_STARTED", "買家已申請退貨", "The buyer requested a return"),
    (TO_RETURN, COMPLETED): ("RETURNED", "退貨包裹已送回賣家", "The returned parcel reached the seller"),
    (SHIPPED, CANCELLED): ("LOST", "包裹遺失", "The parcel has been lost"),
    ("*", CANCELLED): ("CANCELED", "物流訂單已取消", "The logistics request has been cancelled"),
}
_TRACKING_NUMBER_TEXT = ("物流單號 {} 已建立", "Tracking number {} assigned")

# Auto-progress (when switched on): status -> (event, seconds on the sandbox clock after the order
# entered the status). PROCESSED only moves once the parcel has a tracking number.
AUTO_PROGRESS = {
    PROCESSED: ("pickup", DAY),
    SHIPPED: ("deliver", 2 * DAY),
    TO_CONFIRM_RECEIVE: ("complete", 7 * DAY),
}


def visible_status(status: str) -> str:
    """The status every view but get_order_list shows. Seed 001: INVOICE_PENDING "atualmente aparece
    apenas na API v2.get_order_list"; elsewhere (get_order_detail, get_shipment_list,
    get_tracking_info, push code 3) the paid BR order waiting for its invoice reads READY_TO_SHIP,
    and ship_order / get_shipping_parameter answer logistics.lack_of_invoice_data."""
    return READY_TO_SHIP if status == INVOICE_PENDING else status


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
    if event == "pay" and order.region in INVOICE_REGIONS:
        target = INVOICE_PENDING
    if event in _NEED_TRACKING and not order.tracking_assigned:
        raise IllegalTransition(order, event, f"event {event!r} needs a tracking number and the parcel has none yet")
    if event == "buyer_cancel" and order.status in _BEFORE_PICKUP and in_free_cancel_window(order, now):
        target = CANCELLED
    return target


def allowed_events(order: Order, now: int) -> list[str]:
    """The events the order would accept now (EVENTS plus the tracking-number rule)."""
    allowed = []
    for event in EVENTS:
        try:
            target_of(order, event, now)
        except IllegalTransition:
            continue
        allowed.append(event)
    return allowed


def in_free_cancel_window(order: Order, now: int) -> bool:
    return order.pay_time is not None and 0 <= now - order.pay_time < FREE_CANCEL_WINDOW


def move(world, order: Order, target: str, now: int, *, by: str = "", reason: str = "") -> None:
    """Put the order in `target` with every side effect (stock, packages, history, event)."""
    previous = order.status
    if target == IN_CANCEL:
        order.status_before_cancel_request = previous
        order.buyer_cancel_reason = reason or order.buyer_cancel_reason or BUYER_CANCEL_REASON
    if target == CANCELLED:
        order.cancel_by = by or "system"
        if order.cancel_by == "buyer":
            # The buyer's own words stay in buyer_cancel_reason; cancel_reason names the case.
            order.buyer_cancel_reason = reason or order.buyer_cancel_reason or BUYER_CANCEL_REASON
            order.cancel_reason = BUYER_CANCELLED
        else:
            order.cancel_reason = reason or _SYSTEM_CANCEL_REASON.get(previous, "Other")
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
    text = _TRACKING.get((previous, target)) or _TRACKING.get(("*", target))
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
        # Back from IN_CANCEL (the seller rejected the request) nothing happened to the parcel.
        if text and package.shipped_with and previous != IN_CANCEL:
            code, tw, other = text
            package.tracking.append(TrackingEvent(now, tw if order.region == "TW" else other, code))


def _restore_stock(world, order: Order) -> None:
    """Seed 001: every cancelled order gives its stock back."""
    for item in order.items:
        model = world.models.get((order.shop_id, item.item_id, item.model_id))
        remaining = item.quantity - item.cancelled_qty
        # A generated order's history replayed (world.replaying) gave its stock back long ago.
        if model is not None and remaining > 0 and not world.replaying:
            model.stock += remaining
        item.cancelled_qty = item.quantity


def assign_tracking_numbers(world, order: Order, now: int) -> None:
    """The 3PL gives every arranged parcel without one a tracking number (at ship_order, or after
    the configured delay). A cancelled order gets none; a call with nothing to assign changes nothing."""
    if order.status == CANCELLED:
        return
    assigned = False
    for package in order.packages:
        if package.shipped_with and not package.tracking_number:
            package.tracking_number = world.new_tracking_number(order.region)
            template = _TRACKING_NUMBER_TEXT[0 if order.region == "TW" else 1]
            package.tracking.append(TrackingEvent(now, template.format(package.tracking_number), "PICKUP_REQUESTED"))
            world.events.publish(Event("shopee.tracking_number_assigned", now, {
                "shop_id": order.shop_id, "order_sn": order.order_sn,
                "package_number": package.package_number, "tracking_number": package.tracking_number,
            }))
            assigned = True
    if assigned:
        order.update_time = now
        _schedule_auto_progress(world, order, now)


def apply_event(world, order: Order, event: str, now: int, reason: str = "") -> str:
    """Apply an admin-driven event (buyer, 3PL or Shopee). Returns the new status."""
    target = target_of(order, event, now)
    by = {"buyer_cancel": "buyer", "system_cancel": "system"}.get(event, "")
    move(world, order, target, now, by=by, reason=reason)
    return target


# ---- auto-progress ------------------------------------------------------------------------------
def _schedule_auto_progress(world, order: Order, start: int) -> bool:
    """Schedule the order's next automatic step, `start` being when its current status began."""
    if not world.auto_progress:
        return False
    step = AUTO_PROGRESS.get(order.status)
    if step is None or (order.status == PROCESSED and not order.tracking_assigned):
        return False
    event, delay = step
    status, version = order.status, len(order.history)
    world.scheduler.at(start + delay, auto_progress_job(world, order, status, version, event, start + delay),
                       {"platform": "shopee", "kind": "auto_progress", "order_sn": order.order_sn,
                        "status": status, "version": version, "event": event, "at": start + delay})
    return True


def auto_progress_job(world, order: Order, status: str, version: int, event: str, at: int):
    """The action of an auto-progress timer (also made again from a snapshot's data)."""
    def run() -> None:
        # A stale job does nothing: the order moved meanwhile (by hand, or by another job), or
        # auto-progress was switched off. len(history) grows on every move, so a round trip back to
        # the same status (PROCESSED -> RETRY_SHIP -> PROCESSED) also makes the old job stale.
        if world.auto_progress and order.status == status and len(order.history) == version:
            apply_event(world, order, event, at)
    return run


def resume_auto_progress(world, orders=None) -> int:
    """Start the timers of orders that were already waiting when auto-progress was switched on (or
    that were made with a history): each timer starts at the later of the order's last move and
    now, so switching it on never moves a backlog of old orders at once. Returns how many."""
    if not world.auto_progress:
        return 0
    now = world.now()
    count = 0
    for order in (world.orders.values() if orders is None else orders):
        if order.status in AUTO_PROGRESS:
            last_move = order.history[-1][0] if order.history else order.update_time
            count += _schedule_auto_progress(world, order, max(last_move, now))
    return count
