"""The Shopee world's records: partners (apps), shops, tokens, products, orders and packages."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Callable

# The fields of an Order that the world's index (order_index.py) keeps: status, times, ship-by date.
_INDEXED = frozenset({"status", "update_time", "pay_time", "days_to_ship"})
# The fields get_order_detail always shows (render.order_detail keeps them rendered until one changes).
_DETAIL_HEAD = frozenset({"order_sn", "region", "currency", "cod", "status", "message_to_seller", "create_time",
                          "update_time", "days_to_ship", "pay_time"})


@dataclass
class Partner:
    """An app on the Open Platform: its partner_id and key, and the app type that sets permissions."""
    partner_id: int
    partner_key: str
    app_type: str
    name: str


@dataclass
class Shop:
    shop_id: int
    shop_name: str
    region: str
    # Test-shop login for the authorisation page (seed 000: shops log in, then OTP 123456).
    account: str
    password: str
    status: str = "NORMAL"
    is_cb: bool = False
    # partner_id -> (auth_time, expire_time)
    authorisations: dict[int, tuple[int, int]] = field(default_factory=dict)
    # The test shop's expiration date (seed 000 step 5-3; None: never), and the Mart shop this
    # one is an Outlet of (testenv.py).
    expire_time: int | None = None
    mart_shop_id: int | None = None
    # Partners the shop was ever authorised to (created for, or approved on the page), in order:
    # whose test shop it is, for the authorisation page's list (auth.py). Empty: nobody's yet.
    claimed_by: list[int] = field(default_factory=list)


@dataclass
class AuthCode:
    code: str
    partner_id: int
    shop_id: int
    expires_at: int
    used: bool = False


@dataclass
class Token:
    """An access or refresh token of one shop for one partner."""
    value: str
    kind: str  # "access" | "refresh"
    partner_id: int
    shop_id: int
    expires_at: int
    used: bool = False  # refresh tokens are single-use


@dataclass
class Model:
    """A sellable variation (Shopee 'model') of an item, with its stock."""
    item_id: int
    model_id: int
    item_name: str
    item_sku: str
    model_name: str
    model_sku: str
    price: float
    stock: int
    weight: float
    image_url: str


@dataclass
class OrderItem:
    item_id: int
    model_id: int
    item_name: str
    item_sku: str
    model_name: str
    model_sku: str
    quantity: int
    original_price: float
    discounted_price: float
    weight: float
    order_item_id: int
    image_url: str
    cancelled_qty: int = 0


@dataclass
class TrackingEvent:
    update_time: int
    description: str
    logistics_status: str


@dataclass
class Package:
    package_number: str
    # [(item_id, model_id, quantity, order_item_id)] placed in this parcel
    items: list[tuple[int, int, int, int]]
    logistics_status: str = "LOGISTICS_NOT_START"
    tracking_number: str = ""
    pickup_done_time: int = 0
    shipped_with: str = ""  # pickup | dropoff | non_integrated, once ship_order was called
    tracking: list[TrackingEvent] = field(default_factory=list)


@dataclass
class Order:
    order_sn: str
    shop_id: int
    region: str
    currency: str
    cod: bool
    status: str
    create_time: int
    update_time: int
    pay_time: int | None
    days_to_ship: int
    message_to_seller: str
    buyer_user_id: int
    buyer_username: str
    recipient: dict[str, Any]
    payment_method: str
    logistics_channel_id: int
    shipping_carrier: str
    estimated_shipping_fee: float
    actual_shipping_fee: float
    items: list[OrderItem]
    packages: list[Package]
    note: str = ""
    note_update_time: int = 0
    cancel_by: str = ""
    cancel_reason: str = ""
    buyer_cancel_reason: str = ""
    split_up: bool = False
    # The status an IN_CANCEL order returns to when the seller rejects the buyer's request.
    status_before_cancel_request: str = ""
    pickup_done_time: int = 0
    history: list[tuple[int, str]] = field(default_factory=list)

    def __setattr__(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)
        if name in _DETAIL_HEAD:
            self.__dict__.pop("_detail_head", None)  # render.order_detail's cached default fields
            self.__dict__.pop("_detail_json", None)  # and the same written as JSON
        if name in _INDEXED:
            watcher = self.__dict__.get("_watcher")
            if watcher is not None:
                watcher(self)

    def watch(self, watcher: Callable[["Order"], None] | None) -> None:
        """Call `watcher` whenever a field the order lists sort or filter on changes (order_book.py
        keeps the world's index in step; nothing else needs to remember to)."""
        object.__setattr__(self, "_watcher", watcher)

    @property
    def ship_by_date(self) -> int:
        base = self.pay_time or self.create_time
        return base + self.days_to_ship * 86400

    @property
    def total_amount(self) -> float:
        goods = sum(i.discounted_price * i.quantity for i in self.items)
        return round(goods + self.estimated_shipping_fee, 2)

    @property
    def tracking_assigned(self) -> bool:
        return any(p.tracking_number for p in self.packages)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
