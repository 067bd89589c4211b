"""How a new (UNPAID) order reaches each status: the events after its creation, for generated
orders (factory.py, batch.py)."""
from __future__ import annotations

from mockserver.shopee import lifecycle

# How a generated order reaches its status: events after creation ("ship" = seller ship_order,
# "ask_cancel" = the buyer's cancellation request after the free-cancel hour). BR orders get an
# "issue_invoice" after "pay" unless they should stay INVOICE_PENDING.
PATHS: dict[str, tuple[tuple[str, ...], ...]] = {
    lifecycle.UNPAID: ((),),
    lifecycle.READY_TO_SHIP: (("pay",),),
    lifecycle.INVOICE_PENDING: (("pay",),),
    lifecycle.PROCESSED: (("pay", "ship"),),
    lifecycle.RETRY_SHIP: (("pay", "ship", "pickup_failed"),),
    lifecycle.SHIPPED: (("pay", "ship", "pickup"),),
    lifecycle.TO_CONFIRM_RECEIVE: (("pay", "ship", "pickup", "deliver"),),
    lifecycle.COMPLETED: (("pay", "ship", "pickup", "deliver", "confirm_receive"),),
    lifecycle.IN_CANCEL: (("pay", "ask_cancel"),),
    # Never paid, the buyer changed their mind, or the seller never shipped.
    lifecycle.CANCELLED: (("system_cancel",), ("buyer_cancel",), ("pay", "system_cancel")),
    lifecycle.TO_RETURN: (("pay", "ship", "pickup", "deliver", "request_return"),),
}


def with_invoice(target: str, region: str, steps: tuple[str, ...]) -> tuple[str, ...]:
    """A path with the BR invoice step after "pay" where the region needs one (seed 001), except
    for an order that should stay INVOICE_PENDING."""
    if region in lifecycle.INVOICE_REGIONS and "pay" in steps and target != lifecycle.INVOICE_PENDING:
        after_pay = steps.index("pay") + 1
        steps = steps[:after_pay] + ("issue_invoice",) + steps[after_pay:]
    return steps
