"""Shopee test orders: a shop's page (make orders, a paged list of them) and an order's page (a
button for every event it allows now, its status history and the webhooks it caused)."""
from __future__ import annotations

from typing import Any

from flask import request

from mockserver.shopee import lifecycle
from mockserver.shopee.admin_orders import order_page, seller_actions
from mockserver.shopee.admin_shops import _model_view, _shop_view
from mockserver.ui.common import bp, missing, page, paging, store
from mockserver.ui.pages_webhooks import deliveries

# What each button says: who acts, and what it is called in Shopee's words.
EVENT_LABELS = {
    "pay": ("Pay", "buyer"), "ship": ("Ship", "seller · ship_order"), "issue_invoice": ("Issue invoice", "seller"),
    "pickup": ("Pick up", "3PL"), "pickup_failed": ("Pickup failed", "3PL"), "deliver": ("Deliver", "3PL"),
    "confirm_receive": ("Confirm receipt", "buyer"), "request_return": ("Request return", "buyer"),
    "complete": ("Complete", "Shopee"), "buyer_cancel": ("Cancel", "buyer"),
    "system_cancel": ("Cancel", "Shopee (system)"),
}
WEBHOOK_ROWS = 50  # the order's newest webhooks on its page (the Webhooks page has them all)
_DANGER = ("buyer_cancel", "system_cancel", "pickup_failed", "request_return")


def _shopee() -> Any:
    return store().backend("shopee")


@bp.get("/shopee/shops/<int:shop_id>")
def shop_page(shop_id: int) -> tuple[str, int] | str:
    s = store()
    limit, offset = paging()
    status = request.args.get("status") or None
    if status not in lifecycle.STATUSES:
        status = None
    with s.lock:
        s.tick()
        world = _shopee()
        shop = world.shop(shop_id)
        if shop is None:
            return missing(f"Shopee shop {shop_id}")
        view = _shop_view(shop, world.now())
        models = [_model_view(m) for m in world.shop_models(shop_id)]
        orders = order_page(world, shop_id, status, limit, offset)
        tracking_delay = world.tracking_delay
    statuses = [st for st in lifecycle.STATUSES
                if st != lifecycle.INVOICE_PENDING or shop.region in lifecycle.INVOICE_REGIONS]
    return page("shop.html", title=f"Shop {shop_id}", nav="world", shop=view, models=models, orders=orders,
                status=status, statuses=statuses, limit=limit, offset=offset, tracking_delay=tracking_delay)


@bp.get("/shopee/orders/<order_sn>")
def order_page_view(order_sn: str) -> tuple[str, int] | str:
    s = store()
    with s.lock:
        s.tick()
        world = _shopee()
        order = world.orders.get(order_sn)
        if order is None:
            return missing(f"Shopee order {order_sn}")
        now = world.now()
        actions = seller_actions(order) + lifecycle.allowed_events(order, now)
        shop = world.shop(order.shop_id)
        view = {"order_sn": order.order_sn, "shop_id": order.shop_id, "shop_name": shop.shop_name if shop else "",
                "region": order.region, "currency": order.currency, "status": order.status, "cod": order.cod,
                "create_time": order.create_time, "update_time": order.update_time, "pay_time": order.pay_time,
                "ship_by_date": order.ship_by_date, "total_amount": order.total_amount,
                "buyer_username": order.buyer_username, "payment_method": order.payment_method,
                "shipping_carrier": order.shipping_carrier, "message_to_seller": order.message_to_seller,
                "cancel_by": order.cancel_by, "cancel_reason": order.cancel_reason,
                "buyer_cancel_reason": order.buyer_cancel_reason,
                "items": [{"item_id": i.item_id, "model_id": i.model_id, "item_name": i.item_name,
                           "model_name": i.model_name, "quantity": i.quantity, "price": i.discounted_price}
                          for i in order.items],
                "packages": [{"package_number": p.package_number, "logistics_status": p.logistics_status,
                              "tracking_number": p.tracking_number, "shipped_with": p.shipped_with,
                              "tracking": [{"update_time": t.update_time, "description": t.description,
                                            "logistics_status": t.logistics_status} for t in p.tracking]}
                             for p in order.packages],
                "history": list(order.history)}
        # Shipped but no tracking number yet: the 3PL's delay (settings) runs on the sandbox clock.
        waiting_tracking = (order.status == lifecycle.PROCESSED and not order.tracking_assigned)
        tracking_delay = world.tracking_delay
        auto_progress = world.auto_progress
        next_auto = lifecycle.AUTO_PROGRESS.get(order.status) if auto_progress else None
    buttons = [{"event": event, "label": EVENT_LABELS.get(event, (event, ""))[0],
                "actor": EVENT_LABELS.get(event, ("", ""))[1], "danger": event in _DANGER} for event in actions]
    total, rows = deliveries({"contains": order_sn}, WEBHOOK_ROWS, 0)
    return page("order.html", title=f"Order {order_sn}", nav="world", order=view, buttons=buttons,
                waiting_tracking=waiting_tracking, tracking_delay=tracking_delay, next_auto=next_auto,
                rows=rows, total=total, rows_limit=WEBHOOK_ROWS)
