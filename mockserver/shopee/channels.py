"""get_channel_list: the shop's logistics channels with every field of the reference's table.

The channels themselves are catalogue_data.CHANNELS (the sandbox's choice of realistic values);
the other fields take the reference sample's values (v2.logistics.get_channel_list.json) where it
shows them, and the table's "none" value elsewhere (docs/fidelity.md, "get_channel_list").
"""
from __future__ import annotations

from typing import Any

from mockserver.shopee.catalog import PERMISSIONS, api
from mockserver.shopee.factory import channels_of


def channel_view(channel: tuple[int, str, bool, tuple[str, ...]]) -> dict[str, Any]:
    channel_id, name, cod, modes = channel
    seller_logistics = modes == ("non_integrated",)  # the seller's own courier
    return {
        "logistics_channel_id": channel_id, "logistics_channel_name": name, "cod_enabled": cod,
        "enabled": True, "fee_type": "FIXED_DEFAULT_PRICE", "size_list": [],
        "weight_limit": {"item_max_weight": 20.0, "item_min_weight": 0.0},
        "item_max_dimension": {"height": 45.0, "width": 30.0, "length": 30.0, "unit": "cm",
                               "dimension_sum": 105.0},
        "volume_limit": {"item_max_volume": 0.0, "item_min_volume": 0.0},
        "logistics_description": "", "force_enable": False, "mask_channel_id": 0,
        "block_seller_cover_shipping_fee": False, "support_cross_border": False,
        # "if set will return true, otherwise it will return false or null" (the sample: null).
        "seller_logistic_has_configuration": True if seller_logistics else None,
        "logistics_capability": {"seller_logistics": seller_logistics},
        "preprint": False, "service_type_identifier": None,
        "auto_call_driver_setting": {"auto_call_driver_eligible": False, "auto_call_driver_enabled": False,
                                     "preparation_time": 0,
                                     "preparation_time_limit": {"min_preparation_time": 0,
                                                                "max_preparation_time": 0}},
        "support_pause": False, "compulsory_channel": False, "channel_relation_rules": [],
    }


@api("/api/v2/logistics/get_channel_list", "GET", "shop", (), PERMISSIONS["logistics.get_channel_list"])
def get_channel_list(call) -> dict[str, Any]:
    channels = [channel_view(c) for c in channels_of(call.caller.shop.region)]
    return {"response": {"logistics_channel_list": channels}}
