"""Fixed reference data of the emulated Shopee world: regions, channels, places and products.

Region currencies are Shopee's; the channel table and the Taiwanese place list are the sandbox's
own choice of realistic values (docs/fidelity.md).
"""
from __future__ import annotations

CURRENCY = {"TW": "TWD", "SG": "SGD", "MY": "MYR", "TH": "THB", "ID": "IDR", "PH": "PHP",
            "VN": "VND", "BR": "BRL", "MX": "MXN", "CO": "COP", "CL": "CLP"}
REGIONS = tuple(CURRENCY)

# (logistics_channel_id, name, cod_enabled, ship modes offered by get_shipping_parameter)
CHANNELS = {
    "TW": [
        (30005, "7-ELEVEN", True, ("dropoff",)),
        (30006, "全家", True, ("dropoff",)),
        (30007, "萊爾富", True, ("dropoff",)),
        (30001, "黑貓宅急便", True, ("pickup",)),
        (30029, "蝦皮店到店", True, ("dropoff", "pickup")),
        (30011, "賣家宅配", False, ("non_integrated",)),
    ],
}
DEFAULT_CHANNELS = [
    (90001, "Standard Delivery", True, ("pickup", "dropoff")),
    (90002, "Express Delivery", False, ("pickup",)),
]
# BR adds 90026, the channel whose orders carry recipient_address.geolocation ("Only available for
# logistics_channel_id 90026") and whose shipping_carrier has its service code appended ("e.g.,
# Entrega Turbo - M1020"): get_order_detail's field table; the name is the sandbox's choice.
CHANNELS["BR"] = DEFAULT_CHANNELS + [(90026, "Entrega Turbo", False, ("pickup",))]

COD = "Cash on Delivery"
# Seed 000 step 5-10: "系統預設的付款方式為"Dummy Channel", 此付款方式可以適用於測試環境中所有的訂單"
# (the test environment's default payment method, usable for every order there). Test orders made
# through the admin API use it unless they name another; generated orders keep the region's methods.
DUMMY_CHANNEL = "Dummy Channel"
# Payment methods per region ("*": elsewhere). Seed 001: COD is not available in Brazil, where
# Boleto and Pix orders are the ones that stay UNPAID for a while.
PAYMENT_METHODS = {
    "TW": ("Credit Card", COD, "ShopeePay", "Bank Transfer"),
    "BR": ("Credit Card", "Boleto", "Pix"),
    "*": ("Credit Card", COD, "ShopeePay", "Bank Transfer"),
}

# Taiwanese places live in mockserver/core/taiwan.py (1shop uses them too).
from mockserver.core.taiwan import TW_CITIES, TW_PLACES, TW_STREET_SUFFIXES  # noqa: E402,F401

# (item name, [(model name, price)]) for generated catalogues.
TW_PRODUCTS = [
    ("無線藍牙耳機 降噪版", [("黑色", 1290.0), ("白色", 1290.0)]),
    ("不鏽鋼保溫瓶 500ml", [("霧黑", 450.0), ("奶茶色", 450.0), ("薄荷綠", 450.0)]),
    ("純棉短袖T恤", [("S", 299.0), ("M", 299.0), ("L", 329.0), ("XL", 329.0)]),
    ("iPhone 15 防摔手機殼", [("透明", 199.0), ("霧面黑", 249.0)]),
    ("無患子洗髮精 750ml", [("單瓶", 380.0), ("兩入組", 720.0)]),
    ("台灣高山烏龍茶 150g", [("一般包裝", 680.0), ("禮盒", 980.0)]),
    ("USB-C 快充線 1m", [("單條", 159.0)]),
    ("LED 護眼檯燈", [("白光", 890.0), ("暖光", 890.0)]),
    ("手工鳳梨酥 12入", [("原味", 420.0)]),
    ("瑜珈墊 6mm", [("紫色", 560.0), ("灰色", 560.0)]),
]
