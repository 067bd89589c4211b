"""Webhooks: every delivery with its attempts (filter, replay, flush), one delivery whole, and the
forms that send a SHOPLINE topic or a Shopee push now."""
from __future__ import annotations

import json
from typing import Any

from flask import request

from mockserver.core.delivery_model import STATUSES
from mockserver.shopee.push_admin import TRIGGER_CODES
from mockserver.shopee.push_model import CODE_NAMES
from mockserver.shopline import topics
from mockserver.ui.common import bp, missing, page, paging, store

PLATFORMS = ("shopee", "shopline", "shopline-global", "custom")  # the engine's platform names
FILTERS = ("platform", "status", "target", "event", "contains")
# The headers that prove who sent a webhook, per platform: shown apart on the delivery's page.
SIGNATURE_HEADERS = ("authorization", "x-shopline-hmac-sha256", "x-shopline-signature", "sign")


def _filters() -> dict[str, str]:
    values = {name: request.args.get(name, "").strip() for name in FILTERS}
    if values["status"] not in STATUSES:
        values["status"] = ""
    return {name: value for name, value in values.items() if value}


def deliveries(filters: dict[str, str], limit: int, offset: int) -> tuple[int, list[dict[str, Any]]]:
    contains = filters.get("contains")
    return store().webhooks.list(platform=filters.get("platform"), status=filters.get("status"),
                                 target=filters.get("target"), event=filters.get("event"), limit=limit,
                                 offset=offset, contains=contains.encode("utf-8") if contains else None)


@bp.get("/webhooks")
def webhooks_page() -> str:
    limit, offset = paging()
    filters = _filters()
    total, rows = deliveries(filters, limit, offset)
    s = store()
    with s.lock:
        shopee = s.backend("shopee")
        partners = [{"partner_id": p.partner_id, "name": p.name} for p in
                    sorted(shopee.partners.values(), key=lambda p: p.partner_id)]
        default_shop = shopee.default.get("shop_id")
    return page("webhooks.html", title="Webhooks", nav="webhooks", rows=rows, total=total, filters=filters,
                counts=s.webhooks.counts(), statuses=STATUSES, platforms=PLATFORMS, limit=limit, offset=offset,
                live_query=request.query_string.decode("latin-1"), partners=partners, default_shop=default_shop,
                push_codes=[(c, CODE_NAMES[c]) for c in TRIGGER_CODES],
                openapi_topics=topics.subscribable_topics(), global_topics=topics.GLOBAL_TOPICS)


@bp.get("/webhooks/rows")
def webhook_rows() -> str:
    """The table's rows alone, for the page's script to refresh them while attempts come in."""
    limit, offset = paging()
    total, rows = deliveries(_filters(), limit, offset)
    return page("delivery_rows.html", rows=rows, total=total,
                compact=request.args.get("compact") == "1")


@bp.get("/webhooks/<delivery_id>")
def delivery_page(delivery_id: str) -> tuple[str, int] | str:
    view = store().webhooks.get(delivery_id)
    if view is None:
        return missing(f"delivery {delivery_id}")
    signature = {k: v for k, v in view["headers"].items() if k.lower() in SIGNATURE_HEADERS}
    order_sn = _order_of(view)
    return page("delivery.html", title=f"Delivery {delivery_id}", nav="webhooks", d=view, signature=signature,
                order_sn=order_sn)


def _order_of(view: dict[str, Any]) -> str | None:
    """The Shopee order a push is about (codes 3 and 4 name it), for a link back to its page."""
    if view["platform"] != "shopee":
        return None
    try:
        data = json.loads(view["body"]).get("data", {})
    except (ValueError, AttributeError):
        return None
    return data.get("ordersn") if isinstance(data, dict) and isinstance(data.get("ordersn"), str) else None
