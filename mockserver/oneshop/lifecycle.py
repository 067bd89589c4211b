"""Status changes of an order and what follows from them (payment date, invoices, tracking entries).

The generator builds every order by running these changes at increasing times, and the admin
status endpoint runs the same code at the sandbox's now, so generated and driven orders agree.
"""
from __future__ import annotations

from typing import Any

from mockserver.oneshop.models import CVS, NOT_SHIPPED, SHIPPED_STATUSES, Order, Tracking
from mockserver.oneshop.places import LOGISTICS_THIRD_PARTY, PAYMENT_THIRD_PARTY, PROVIDERS
from mockserver.oneshop.world import OneshopWorld

_CVS_LETTERS = {"uni": "E", "uni_freeze": "E", "fami": "F", "fami_freeze": "F", "hilife": "H",
                "hilife_freeze": "H", "ezship": "Z"}


def change(world: OneshopWorld, order: Order, now: int, *, progress: str | None = None,
           payment: str | None = None, logistic: str | None = None,
           tracking: dict[str, Any] | None = None) -> None:
    """Set the given statuses at `now`. A cod order's payment becomes paid when it is received,
    unless this change sets the payment status itself."""
    if payment is not None:
        set_payment(world, order, payment, now)
    if logistic is not None:
        set_logistic(world, order, logistic, now, tracking)
        if logistic == "received" and payment is None and order.payment_status == "cod":
            set_payment(world, order, "paid", now)
    if progress is not None:
        order.progress_status = progress
    order.update_time = max(order.update_time, now)


def set_payment(world: OneshopWorld, order: Order, status: str, now: int) -> None:
    order.payment_status = status
    if status == "paid":
        if order.payment_time is None:
            order.payment_time = now
        third_party = PAYMENT_THIRD_PARTY.get(order.payment, "ECPay")
        if third_party and not order.payment_third_party:
            order.payment_third_party = third_party
            order.payment_third_party_no = world.digits(7)  # seed: "1902949"
        for receipt in order.receipts:
            if receipt.status == 0:
                issue_receipt(world, order, receipt, now)
    elif status == "refunded":
        # A refund returns what was paid: the cart keeps its lines and total_price drops to 0.
        order.refund = order.sub_total + order.logistic_fee + order.payment_fee
        for receipt in order.receipts:
            if receipt.status == 1:
                receipt.status = 2


def issue_receipt(world: OneshopWorld, order: Order, receipt, now: int) -> None:
    receipt.status = 1
    receipt.sales_amount = order.total_price
    receipt.invoice_number = world.token("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 2) + world.digits(8)
    receipt.invoice_time = now
    receipt.random_number = world.digits(4)


def set_logistic(world: OneshopWorld, order: Order, status: str, now: int,
                 tracking: dict[str, Any] | None = None) -> None:
    order.logistic_status = status
    if status in SHIPPED_STATUSES:
        if order.logistic not in NOT_SHIPPED and not order.logistics_third_party_no:
            hand_over(world, order)
        if tracking is not None or (not order.tracking and order.logistic not in NOT_SHIPPED):
            order.tracking.append(new_tracking(world, order, now, tracking or {}))
    if status in ("delivered", "received") and order.logistic in CVS and order.tracking:
        latest = order.tracking[-1]
        if latest.store_arrived_time is None:
            latest.store_arrived_time = now


def hand_over(world: OneshopWorld, order: Order) -> None:
    """The order is thrown to its logistics service (seed: logistics_third_party(_no), shipping no)."""
    third_party = LOGISTICS_THIRD_PARTY.get(order.logistic, "")
    if third_party:
        order.logistics_third_party = third_party
        order.logistics_third_party_no = world.digits(7)
    if order.logistic in CVS:
        order.logistics_shipping_no = _CVS_LETTERS[order.logistic] + world.digits(8)  # seed: "E18771111"


def new_tracking(world: OneshopWorld, order: Order, now: int, given: dict[str, Any]) -> Tracking:
    provider, url = PROVIDERS.get(order.logistic, ("", ""))
    if "provider" in given and given["provider"] != provider:
        provider, url = given["provider"], ""
    number = given.get("tracking_number") or _tracking_number(world, order)
    return Tracking(provider=provider, url=url, tracking_number=number, shipping_time=now, create_time=now)


def _tracking_number(world: OneshopWorld, order: Order) -> str:
    if order.logistic in CVS:
        return order.logistics_shipping_no or _CVS_LETTERS[order.logistic] + world.digits(8)
    if order.logistic == "mailing":
        return world.digits(14)
    if order.logistic.startswith("oversea"):
        return world.digits(10)
    return world.digits(12)  # 黑貓宅急便: 12 digits
