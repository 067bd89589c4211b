"""1shop test orders: an account's page (make orders, a paged, filtered list) and an order's page
(change its progress, payment and logistic statuses; see the order as GET /v1/order answers it)."""
from __future__ import annotations

from flask import request

from mockserver.oneshop.admin import account_view, order_page, order_view
from mockserver.oneshop.models import LOGISTIC_STATUSES, PAYMENT_STATUSES, PROGRESS_STATUSES
from mockserver.ui.common import bp, missing, page, paging, store

STATUS_LISTS = {"progress_status": PROGRESS_STATUSES, "payment_status": PAYMENT_STATUSES,
                "logistic_status": LOGISTIC_STATUSES}


@bp.get("/oneshop/accounts/<appid>")
def account_page(appid: str) -> tuple[str, int] | str:
    s = store()
    limit, offset = paging()
    filters = {name: request.args[name] for name, allowed in STATUS_LISTS.items()
               if request.args.get(name) in allowed}
    with s.lock:
        world = s.backend("oneshop")
        account = world.account(appid)
        if account is None:
            return missing(f"1shop account {appid}")
        view = account_view(world, account)
        orders = order_page(world, appid, filters, limit, offset)
    return page("oneshop_account.html", title=f"1shop {appid}", nav="world", account=view, orders=orders,
                filters=filters, status_lists=STATUS_LISTS, limit=limit, offset=offset)


@bp.get("/oneshop/orders/<order_number>")
def oneshop_order_page(order_number: str) -> tuple[str, int] | str:
    s = store()
    with s.lock:
        world = s.backend("oneshop")
        order = world.orders.get(order_number)
        if order is None:
            return missing(f"1shop order {order_number}")
        view = order_view(order)
        current = {"progress_status": order.progress_status, "payment_status": order.payment_status,
                   "logistic_status": order.logistic_status}
    return page("oneshop_order.html", title=f"1shop order {order_number}", nav="world", order=view,
                current=current, status_lists=STATUS_LISTS)
