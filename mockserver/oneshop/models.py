"""The 1shop world's records (accounts, sales pages, orders, cart lines, receipts, tracking) and the
seed's closed lists of values."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Seed 003, GET /v1/order parameters (without "all") and the order example's comments, in seed order.
PROGRESS_STATUSES = ("pending", "confirming", "confirmed", "processing", "completed", "cancelled",
                     "temporary", "other")
PAYMENT_STATUSES = ("pending", "need_confirm", "paid", "cod", "refunded")
LOGISTIC_STATUSES = ("pending", "prepare", "send", "shipped", "delivered", "received", "abnormal",
                     "returning", "delay", "returned")
PAYMENTS = ("atm", "cod", "credit", "credit3", "credit6", "credit12", "credit24", "regular", "paypal",
            "code", "vacc", "c2c", "linepay", "icash", "applepay", "nocard3", "nocard6", "nocard12",
            "nocard24", "nopay")
LOGISTICS = ("home", "home_refrige", "home_freeze", "mailing", "uni", "uni_freeze", "fami", "fami_freeze",
             "hilife", "hilife_freeze", "ezship", "virtual", "local_pickup", "island", "island_refrige",
             "island_freeze", "oversea", "oversea_other")
GENDERS = ("none", "male", "female")
PRODUCT_TYPES = ("single", "bundle", "charge")
LIST_SHAPES = ("array", "object")

# Logistic families: where the parcel goes decides which address fields an order fills.
CVS = frozenset({"uni", "uni_freeze", "fami", "fami_freeze", "hilife", "hilife_freeze", "ezship"})
HOME = frozenset({"home", "home_refrige", "home_freeze", "mailing"})
ISLAND = frozenset({"island", "island_refrige", "island_freeze"})
OVERSEA = frozenset({"oversea", "oversea_other"})
NOT_SHIPPED = frozenset({"virtual", "local_pickup"})  # nothing is handed to a carrier
# Paid to the carrier or the store on delivery: payment_status "cod" until the parcel is received.
PAY_ON_DELIVERY = frozenset({"cod", "c2c"})
# Logistic statuses that mean the parcel was handed to a carrier (the order then has a tracking entry).
SHIPPED_STATUSES = frozenset({"send", "shipped", "delivered", "received"})


@dataclass
class SalesPage:
    """A sales page (銷售頁) or shop site of an account: orders carry its title, prefix and URL."""
    title: str
    prefix: str
    shop_url: str
    next_serial: int = 1  # the 5-digit running number of the page's next order


@dataclass
class Account:
    appid: str
    secret: str
    enterprise: bool = True
    rate_limit: tuple[int, float] | None = (10, 10.0)  # (limit, window seconds); None = off
    list_shape: str = "array"
    ip_whitelist: list[str] = field(default_factory=list)  # empty: any IP
    pages: list[SalesPage] = field(default_factory=list)


@dataclass
class BundleItem:
    name: str
    sku: str
    quantity: int
    label: str = ""
    inventory_status: int = 0  # 0 in stock, 1 pre-order


@dataclass
class Line:
    """A cart line: a single product, a bundle (its items nested) or a charge."""
    product_type: str
    quantity: int
    per_cost: int
    name: str
    label: str = ""
    sku: str = ""
    inventory_status: int = 0
    bundle: list[BundleItem] = field(default_factory=list)

    @property
    def line_total(self) -> int:
        return self.quantity * self.per_cost


@dataclass
class Receipt:
    """A Taiwanese e-invoice request of an order (seed: receipt[])."""
    third_party: str
    status: int  # 0 waiting, 1 issued, 2 voided
    type: int  # 0 personal, 1 donation, 2 company
    carruer_type: int  # personal: 0 member carrier, 1 mobile barcode, 2 citizen certificate
    carruer_num: str
    love_code: str
    tax_type: int  # 1 taxable, 2 zero-rated, 3 exempt, 4 mixed
    email: str
    phone: str
    create_time: int
    receipt_title: str = ""
    tax_num: str = ""
    address: str = ""
    sales_amount: int = 0
    invoice_number: str = ""
    invoice_time: int | None = None
    random_number: str = ""
    invoice_remark: str = ""


@dataclass
class Tracking:
    provider: str
    url: str
    tracking_number: str
    shipping_time: int
    create_time: int
    store_arrived_time: int | None = None


@dataclass
class Order:
    """A 1shop order. Any field set forgets the order's cached list entry (render.py)."""
    appid: str
    order_number: str
    order_ip: str
    name: str
    gender: str
    payment: str
    logistic: str
    create_time: int
    page_title: str
    page_prefix: str
    shop_url: str
    order_url: str
    email: str
    phone: str
    country: str = "TW"
    progress_status: str = "pending"
    payment_status: str = "pending"
    logistic_status: str = "pending"
    payment_time: int | None = None
    update_time: int = 0
    tag: str = ""
    note: str = ""
    shop_note: str = ""
    zip_code: str = ""
    county_and_city: str = ""
    area: str = ""
    address: str = ""
    address_oversea: str = ""
    cvs_store_id: str = ""
    cvs_store_name: str = ""
    cvs_store_address: str = ""
    payment_third_party: str = ""
    payment_third_party_no: str = ""
    logistics_third_party: str = ""
    logistics_third_party_no: str = ""
    logistics_shipping_no: str = ""
    regular_time: int = 1
    custom_fields: list[dict[str, str]] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    logistic_fee: int = 0
    payment_fee: int = 0
    refund: int = 0
    receipts: list[Receipt] = field(default_factory=list)
    tracking: list[Tracking] = field(default_factory=list)

    @property
    def sub_total(self) -> int:
        return sum(line.line_total for line in self.lines)

    @property
    def total_price(self) -> int:
        """Seed 003's cart: sub_total + logistic_fee + payment_fee - refund."""
        return self.sub_total + self.logistic_fee + self.payment_fee - self.refund

    def sort_key(self) -> tuple[int, str]:
        return (self.create_time, self.order_number)

    def __setattr__(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)
        if name != "_list_json" and "_list_json" in self.__dict__:
            del self.__dict__["_list_json"]


def jsonable(value: Any) -> Any:
    """A record as plain JSON values (tuples become lists) for the state snapshot."""
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    return value
