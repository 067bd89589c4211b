"""Data the 1shop generator draws from: stores, islands, carriers, products, notes and tags.

County/city, district and zipcode pairs of Taiwan proper come from mockserver/core/taiwan.py; the
outlying islands (logistic island*) are here because core has none of them.
"""
from __future__ import annotations

# Outlying islands (宅配(台灣離島)): real Chunghwa Post 3-digit codes.
ISLAND_PLACES = {
    "澎湖縣": [("馬公市", "880"), ("湖西鄉", "885")],
    "金門縣": [("金城鎮", "893"), ("金湖鎮", "891")],
    "連江縣": [("南竿鄉", "209")],
}

# Store-name stems as the chains use them (seed: "7-11益風門市").
STORE_STEMS = ("益風", "福德", "興安", "民生", "松江", "中正", "大同", "光華", "復興", "信義", "仁愛", "永春",
               "長安", "建國", "華興", "和平", "自強", "文化", "東興", "中港", "公益", "精誠", "美村", "大墩",
               "惠中", "黎明", "向上", "五權", "忠孝", "三民", "成功", "四維", "博愛", "重慶", "新生", "育英")
# logistic family -> (store name format, digits of a store id, id prefix)
CVS_CHAINS = {
    "uni": ("7-11{stem}門市", 6, ""),
    "fami": ("全家{stem}店", 6, ""),
    "hilife": ("萊爾富{stem}店", 4, ""),
    "ezship": ("OK超商{stem}店", 5, "TOK"),  # ezShip's store codes carry the chain (TOK = OK mart)
}

# Carrier of each logistic for shipping_tracking (seed: 黑貓宅急便 and its trace URL).
TCAT = ("黑貓宅急便", "http://www.t-cat.com.tw/Inquire/Trace.aspx")
PROVIDERS = {
    "home": TCAT, "home_refrige": TCAT, "home_freeze": TCAT,
    "island": TCAT, "island_refrige": TCAT, "island_freeze": TCAT,
    "mailing": ("中華郵政", "https://postserv.post.gov.tw/pstmail/main_mail.html"),
    "uni": ("7-11", "https://eservice.7-11.com.tw/e-tracking/search.aspx"),
    "uni_freeze": ("7-11", "https://eservice.7-11.com.tw/e-tracking/search.aspx"),
    "fami": ("全家", "https://fmec.famiport.com.tw/FP_Entrance/QueryBox"),
    "fami_freeze": ("全家", "https://fmec.famiport.com.tw/FP_Entrance/QueryBox"),
    "hilife": ("萊爾富", "https://www.hilife.com.tw/serviceInfo_search.aspx"),
    "hilife_freeze": ("萊爾富", "https://www.hilife.com.tw/serviceInfo_search.aspx"),
    "ezship": ("ezShip", "https://www.ezship.com.tw/"),
    "oversea": ("DHL", "https://www.dhl.com/tw-zh/home/tracking.html"),
    "oversea_other": ("DHL", "https://www.dhl.com/tw-zh/home/tracking.html"),
}
# The logistics service an order is handed to (seed: logistics_third_party "ECPay").
LOGISTICS_THIRD_PARTY = {**{code: "ECPay" for code in PROVIDERS}, "ezship": "ezShip", "mailing": "",
                         "oversea": "", "oversea_other": ""}
PAYMENT_THIRD_PARTY = {"paypal": "PayPal", "linepay": "LINE Pay", "icash": "icash Pay",
                       "cod": "", "c2c": "", "nopay": ""}  # every other method: ECPay (seed)

LOGISTIC_FEES = {"home": 100, "home_refrige": 160, "home_freeze": 160, "mailing": 80, "uni": 60,
                 "uni_freeze": 129, "fami": 60, "fami_freeze": 129, "hilife": 60, "hilife_freeze": 129,
                 "ezship": 60, "virtual": 0, "local_pickup": 0, "island": 200, "island_refrige": 250,
                 "island_freeze": 250, "oversea": 450, "oversea_other": 600}
FREE_SHIPPING_FROM = 1500  # sub_total from which home and store pickup ship free
FREE_SHIPPING = frozenset({"home", "mailing", "uni", "fami", "hilife", "ezship"})
COD_FEE = 30

# Weights of generated payment methods and logistics (a live shop: cards, ATM and COD lead).
PAYMENT_WEIGHTS = {"credit": 30, "atm": 10, "cod": 14, "c2c": 10, "linepay": 8, "code": 5, "vacc": 3,
                   "credit3": 3, "credit6": 2, "credit12": 2, "credit24": 1, "regular": 2, "paypal": 1,
                   "icash": 1, "applepay": 3, "nocard3": 1, "nocard6": 1, "nocard12": 1, "nocard24": 1,
                   "nopay": 1}
LOGISTIC_WEIGHTS = {"home": 30, "uni": 20, "fami": 15, "hilife": 5, "home_refrige": 3, "home_freeze": 3,
                    "mailing": 3, "uni_freeze": 2, "fami_freeze": 2, "hilife_freeze": 1, "ezship": 2,
                    "virtual": 2, "local_pickup": 2, "island": 2, "island_refrige": 1, "island_freeze": 1,
                    "oversea": 2, "oversea_other": 1}

OVERSEA_ADDRESSES = (
    ("HK", "Flat 12B, 8/F, 25 Nathan Road, Tsim Sha Tsui, Kowloon, Hong Kong"),
    ("MO", "Avenida da Praia Grande 429, 15 andar, Macau"),
    ("SG", "10 Anson Road, #12-05 International Plaza, Singapore 079903"),
    ("MY", "No. 12, Jalan SS 2/24, 47300 Petaling Jaya, Selangor, Malaysia"),
    ("JP", "東京都新宿区西新宿2-8-1 新宿ビル501"),
    ("US", "1200 Market St Apt 4, San Francisco, CA 94103, USA"),
    ("AU", "22 George St, Sydney NSW 2000, Australia"),
)
# First two octets of Taiwanese consumer networks (HiNet, Chunghwa mobile, Taiwan Mobile, FET).
IP_PREFIXES = ("59.127", "61.216", "114.36", "118.160", "1.160", "36.224", "49.216", "111.250", "220.135",
               "101.12", "123.193", "223.136", "42.73", "39.12")

# (name, price in TWD, sku)
PRODUCTS = (
    ("台灣高山烏龍茶 150g", 450, "306041"), ("日月潭紅玉紅茶 75g", 380, "306042"),
    ("手工鳳梨酥 12入禮盒", 480, "306101"), ("牛軋糖綜合口味 300g", 260, "306102"),
    ("花蓮麻糬 6入", 220, "306103"), ("屏東黑珍珠蓮霧 3斤", 680, "307001"),
    ("台南愛文芒果 5斤", 890, "307002"), ("宜蘭三星蔥油餅 10片", 320, "308001"),
    ("嘉義雞肉飯調理包 4入", 360, "308002"), ("澎湖干貝XO醬 220g", 580, "308003"),
    ("冷壓初榨苦茶油 500ml", 720, "309001"), ("有機黑豆醬油 420ml", 280, "309002"),
    ("天然手工皂 100g", 180, "310001"), ("竹炭除臭襪 3雙", 299, "310002"),
    ("MIT純棉短袖T恤", 390, "311001"), ("防潑水輕量後背包", 1280, "311002"),
    ("陶瓷馬克杯 350ml", 350, "312001"), ("不鏽鋼保溫瓶 500ml", 690, "312002"),
    ("蘋果", 45, "313001"), ("香蕉", 25, "313002"),
)
FREE_SAMPLE = ("試用包", 0, "399001")  # what a nopay (不需付款) order holds
BUNDLES = (("ABC任選優惠", 3), ("伴手禮任選3件組", 3), ("茶葉任選2入組", 2), ("早餐組合2入", 2))
CHARGES = (("禮盒包裝費", 50), ("加購保固一年", 199), ("急件處理費", 100), ("客製刻字", 150))
LABELS = ("", "", "", "", "滿額贈", "新品", "限量", "熱銷")

CUSTOMER_NOTES = ("", "", "", "", "請幫我包裝好，謝謝", "麻煩盡快出貨", "送禮用，請勿放價格單",
                  "平日白天不在家，請傍晚送達", "請附上發票")
SHOP_NOTES = ("", "", "", "", "", "已電話確認", "VIP 客戶", "缺貨中，已通知顧客", "重複下單，保留此筆")
TAG_CHANNELS = ("fb", "ig", "line", "google", "kol")
DELIVERY_SLOTS = ("不指定", "上午", "下午", "晚上")

PAGE_TITLES = ("{name}官方網站", "{name}｜限時團購", "{name}年節禮盒預購", "{name}人氣商品")
SHOP_NAMES = ("好日子選物", "山嵐茶坊", "小農直送", "禾田食品", "森活雜貨", "拾光手作")
