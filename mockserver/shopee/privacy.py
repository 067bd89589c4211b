"""What get_order_detail hides of a buyer: the masking rules of the v2 reference's field table.

Sources (shared/reference/shopee-v2-api/v2.order.get_order_detail.json), all recorded in
docs/fidelity.md ("get_order_detail: masking"):
- recipient_address: "For TW region integrated channel orders will be all masked as "****"";
- recipient_address.phone: "[Only for TW non-integrated channel] Will return "****" when the
  "virtual_contact_number" is available" (the sandbox gives every such parcel one);
- buyer_user_id "will be empty" and buyer_username "masked as "****"" for a TW non-integrated order;
- a COMPLETED order's recipient as the reference sample shows it: "P******n", "******64", "Ấp******".
The admin API (GET /_sandbox/shopee/orders/{order_sn}) always shows the unmasked record.
"""
from __future__ import annotations

from typing import Any

from mockserver.shopee import lifecycle
from mockserver.shopee.models import Order

MASK = "****"
SAMPLE_MASK = "******"  # the reference sample's infix
# Which parts of a completed order's address the sample masks; the other parts stay readable.
_COMPLETED_MASKED = ("name", "phone", "full_address")


def non_integrated(order: Order) -> bool:
    """The seller's own courier (catalogue_data.CHANNELS: ship mode non_integrated only)."""
    from mockserver.shopee.order_ops import ship_modes

    return ship_modes(order) == ("non_integrated",)


def tw_integrated(order: Order) -> bool:
    return order.region == "TW" and not non_integrated(order)


def tw_non_integrated(order: Order) -> bool:
    return order.region == "TW" and non_integrated(order)


def _sample_mask(part: str, value: str) -> str:
    if not value:
        return value
    if part == "name":
        return value[0] + SAMPLE_MASK + (value[-1] if len(value) > 1 else "")
    if part == "phone":
        return SAMPLE_MASK + value[-2:]
    return value[:2] + SAMPLE_MASK


def recipient(order: Order) -> dict[str, Any]:
    """recipient_address as the API shows it."""
    shown = dict(order.recipient)
    if tw_integrated(order):
        # "all masked": every part but the two-letter region code (docs/fidelity.md).
        return {part: (value if part == "region" else MASK) for part, value in shown.items()}
    if order.status == lifecycle.COMPLETED:
        for part in _COMPLETED_MASKED:
            if isinstance(shown.get(part), str):
                shown[part] = _sample_mask(part, shown[part])
    if tw_non_integrated(order):
        shown["phone"] = MASK  # the parcel's virtual_contact_number stands in for it
    return shown


def buyer_user_id(order: Order) -> int:
    return 0 if tw_non_integrated(order) else order.buyer_user_id


def buyer_username(order: Order) -> str:
    return MASK if tw_non_integrated(order) else order.buyer_username
