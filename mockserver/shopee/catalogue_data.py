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

COD = "Cash on Delivery"
# Payment methods per region ("*": elsewhere). Seed 001: COD is not available in Brazil, where
# Boleto and Pix orders are the ones that stay UNPAID for a while.
PAYMENT_METHODS = {
    "TW": ("Credit Card", COD, "ShopeePay", "Bank Transfer"),
    "BR": ("Credit Card", "Boleto", "Pix"),
    "*": ("Credit Card", COD, "ShopeePay", "Bank Transfer"),
}

# County/city -> [(district, zipcode)]: real pairs (Chunghwa Post 3-digit codes). In recipient
# addresses the county/city goes to `city` and the district (區/市/鄉/鎮) to `district`.
TW_PLACES = {
    "臺北市": [("中正區", "100"), ("中山區", "104"), ("松山區", "105"), ("大安區", "106"), ("萬華區", "108"),
             ("信義區", "110"), ("士林區", "111"), ("北投區", "112"), ("內湖區", "114"), ("南港區", "115"),
             ("文山區", "116")],
    "新北市": [("板橋區", "220"), ("汐止區", "221"), ("新店區", "231"), ("永和區", "234"), ("中和區", "235"),
             ("土城區", "236"), ("三重區", "241"), ("新莊區", "242"), ("蘆洲區", "247"), ("淡水區", "251")],
    "基隆市": [("仁愛區", "200"), ("信義區", "201")],
    "桃園市": [("中壢區", "320"), ("平鎮區", "324"), ("龜山區", "333"), ("桃園區", "330")],
    "新竹市": [("東區", "300"), ("北區", "300")],
    "新竹縣": [("竹北市", "302")],
    "臺中市": [("西區", "403"), ("北區", "404"), ("北屯區", "406"), ("西屯區", "407"), ("南屯區", "408"),
             ("大里區", "412"), ("豐原區", "420")],
    "彰化縣": [("彰化市", "500"), ("員林市", "510")],
    "嘉義市": [("東區", "600"), ("西區", "600")],
    "臺南市": [("中西區", "700"), ("東區", "701"), ("北區", "704"), ("安平區", "708"), ("永康區", "710")],
    "高雄市": [("苓雅區", "802"), ("鼓山區", "804"), ("前鎮區", "806"), ("三民區", "807"), ("左營區", "813"),
             ("鳳山區", "830")],
    "屏東縣": [("屏東市", "900")],
    "宜蘭縣": [("宜蘭市", "260"), ("羅東鎮", "265")],
    "花蓮縣": [("花蓮市", "970")],
}
TW_CITIES = tuple(TW_PLACES)
TW_STREET_SUFFIXES = ("路", "路", "街", "路一段", "路二段", "路三段", "大道")

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
