"""Generated carts (single products, bundles with their items, charges, fees) and invoice requests."""
from __future__ import annotations

from mockserver.oneshop import places
from mockserver.oneshop.coverage import Coverage
from mockserver.oneshop.models import BundleItem, Line, Order, Receipt
from mockserver.oneshop.world import OneshopWorld

_BARCODE_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ+-."
_UBN_WEIGHTS = (1, 2, 1, 2, 1, 2, 4, 1)
# Seed 003 receipt.tax_type: 1 應稅 (taxable), 2 零稅率 (zero-rated), 3 免稅 (exempt), 4 混合應稅與免稅
# (mixed). A Taiwanese web shop's invoices are nearly all taxable; the others are rare.
TAX_TYPES, TAX_TYPE_WEIGHTS = (1, 2, 3, 4), (90, 3, 4, 3)


def new_cart(world: OneshopWorld, payment: str, logistic: str, lines: list[Line] | None = None,
             cover: Coverage | None = None) -> tuple[list[Line], int, int]:
    """(lines, logistic_fee, payment_fee). Given lines are kept as they are (explicit orders)."""
    if lines is None:
        lines = _free_sample() if payment == "nopay" else _lines(world, cover or Coverage(world.rng, off=True))
    sub_total = sum(line.line_total for line in lines)
    fee = places.LOGISTIC_FEES[logistic]
    if payment == "nopay" or (logistic in places.FREE_SHIPPING and sub_total >= places.FREE_SHIPPING_FROM):
        fee = 0
    payment_fee = places.COD_FEE if payment == "cod" else 0
    return lines, fee, payment_fee


def _free_sample() -> list[Line]:
    name, price, sku = places.FREE_SAMPLE
    return [Line("single", 1, price, name, sku=sku)]


def _lines(world: OneshopWorld, cover: Coverage) -> list[Line]:
    rng = world.rng
    lines = []
    for name, price, sku in rng.sample(places.PRODUCTS, rng.randint(1, 3)):
        lines.append(Line("single", rng.choice((1, 1, 1, 2, 3)), price, name, label=rng.choice(places.LABELS),
                          sku=sku, inventory_status=cover.pick("inventory_status", (0, 1), (9, 1))))
    if cover.chance("bundle", 0.25):
        lines.append(_bundle(world, cover))
    if cover.chance("charge", 0.15):
        name, price = rng.choice(places.CHARGES)
        lines.append(Line("charge", 1, price, name))
    return lines


def _bundle(world: OneshopWorld, cover: Coverage) -> Line:
    """A pick-N bundle: its price is 85% of its items'; item quantities are the units of every
    bundle bought (quantity x picks), what the warehouse packs."""
    rng = world.rng
    name, picks = rng.choice(places.BUNDLES)
    quantity = rng.choice((1, 1, 1, 2))
    chosen = [rng.choice(places.PRODUCTS) for _ in range(picks)]
    counts: dict[tuple[str, int, str], int] = {}
    for product in chosen:
        counts[product] = counts.get(product, 0) + 1
    items = [BundleItem(p_name, p_sku, n * quantity, inventory_status=cover.pick("bundle_inventory_status", (0, 1),
                                                                                  (19, 1)))
             for (p_name, _, p_sku), n in counts.items()]
    price = sum(p[1] for p in chosen) * 85 // 100
    return Line("bundle", quantity, price, name, label=rng.choice(places.LABELS), bundle=items)


def new_receipt(world: OneshopWorld, order: Order, cover: Coverage | None = None) -> Receipt:
    """The buyer's e-invoice choice: personal (member carrier, mobile barcode or citizen
    certificate), donation (a love code) or company (title and tax number)."""
    rng = world.rng
    cover = cover or Coverage(rng, off=True)
    kind = cover.pick("receipt_type", (0, 1, 2), (70, 15, 15))
    receipt = Receipt(third_party="ECPay", status=0, type=kind, carruer_type=0, carruer_num="", love_code="",
                      tax_type=cover.pick("tax_type", TAX_TYPES, TAX_TYPE_WEIGHTS), email=order.email,
                      phone=order.phone, create_time=order.create_time)
    if kind == 0:
        receipt.carruer_type = cover.pick("carruer_type", (0, 1, 2), (60, 35, 5))
        if receipt.carruer_type == 1:
            receipt.carruer_num = "/" + world.token(_BARCODE_CHARS, 7)
        elif receipt.carruer_type == 2:
            receipt.carruer_num = world.token("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 2) + world.digits(14)
    elif kind == 1:
        receipt.love_code = world.digits(rng.randint(3, 7))
    else:
        receipt.receipt_title = rng.choice(world.pools["companies"])
        receipt.tax_num = tax_number(world)
    return receipt


def tax_number(world: OneshopWorld) -> str:
    """An 8-digit 統一編號 that passes the Ministry of Finance checksum (weights 1,2,1,2,1,2,4,1)."""
    while True:
        digits = world.digits(8)
        if ubn_valid(digits):
            return digits


def ubn_valid(number: str) -> bool:
    if len(number) != 8 or not number.isdigit():
        return False
    total = sum(sum(divmod(int(d) * w, 10)) for d, w in zip(number, _UBN_WEIGHTS))
    return total % 10 == 0 or (number[6] == "7" and (total + 1) % 10 == 0)
