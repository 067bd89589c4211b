"""Builds 1shop worlds, accounts and orders deterministically from the seed, with zh_TW data.

random.Random(f"oneshop:{seed}") draws every choice; Faker zh_TW seeded the same way fills pools of
names, streets, e-mails and companies once per seed. An order is made in its initial state and then
moved through its scenario by lifecycle.change at increasing times, so its statuses, dates,
invoices and tracking entries agree with each other.
"""
from __future__ import annotations

import random
from datetime import datetime
from functools import lru_cache
from typing import Any

from mockserver.core import faker_cache
from mockserver.core.taiwan import TW_CITIES, TW_PLACES, TW_STREET_SUFFIXES, UTC8
from mockserver.oneshop import lifecycle, places
from mockserver.oneshop.cart import new_cart, new_receipt
from mockserver.oneshop.models import (CVS, LOGISTICS, NOT_SHIPPED, OVERSEA, PAY_ON_DELIVERY, PAYMENTS,
                                       Account, Line, Order, SalesPage)
from mockserver.oneshop.coverage import Coverage
from mockserver.oneshop.scenarios import plan_scenarios
from mockserver.oneshop.world import DAY, OneshopWorld

DEFAULT_ORDER_COUNT = 120  # three pages of 50 (issue 3)
DEFAULT_DAYS = 30
DEFAULT_RATE_LIMIT = (10, 10)  # seed 003: "每個appid,每 10 秒 10 個請求"
_URL_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789"


def _draw_pools(fake: Any) -> dict[str, tuple]:
    return {"male": tuple(fake.name_male() for _ in range(300)),
            "female": tuple(fake.name_female() for _ in range(300)),
            "streets": tuple(dict.fromkeys(fake.street_name() for _ in range(300))),
            "emails": tuple(fake.free_email() for _ in range(500)),
            "companies": tuple(dict.fromkeys(fake.company() for _ in range(100)))}


@lru_cache(maxsize=16)
def pools(seed: int) -> dict[str, tuple]:
    """Faker values drawn once per seed (kept between starts by core/faker_cache.py); orders pick
    from them with the world's rng (Faker costs ~0.1 ms a value and ~90 ms to start, too slow for
    every reset and 10,000-order batches)."""
    return faker_cache.drawn(_draw_pools, "zh_TW", f"oneshop:{seed}")


def build_world(store) -> OneshopWorld:
    """The default world: one enterprise account, rate limit on, 120 orders over the last 30 days."""
    world = OneshopWorld(random.Random(f"oneshop:{store.seed}"), store.clock, store.settings)
    world.pools = pools(store.seed)
    account = new_account(world)
    world.default_appid = account.appid
    epoch = store.world_epoch()
    count = int(store.settings.extra.get("oneshop_order_count", DEFAULT_ORDER_COUNT))
    generate_orders(world, account, count, epoch - DEFAULT_DAYS * DAY, epoch)
    return world


def new_account(world: OneshopWorld, appid: str | None = None, secret: str | None = None,
                enterprise: bool = True, rate_limit: tuple[int, float] | None = DEFAULT_RATE_LIMIT,
                list_shape: str = "array", ip_whitelist: list[str] | None = None) -> Account:
    rng = world.rng
    account = Account(appid=appid or world.new_appid(), secret=secret or world.token("0123456789abcdef", 32),
                      enterprise=enterprise, rate_limit=rate_limit, list_shape=list_shape,
                      ip_whitelist=list(ip_whitelist or []))
    shop = rng.choice(places.SHOP_NAMES)
    site = f"https://{world.token('abcdefghijklmnopqrstuvwxyz', rng.randint(4, 8))}.1shop.tw/"
    for index in range(rng.randint(2, 3)):
        title = (places.PAGE_TITLES[0] if index == 0 else rng.choice(places.PAGE_TITLES[1:])).format(name=shop)
        url = site if index == 0 else site + world.token(_URL_CHARS, 6)
        # The page had orders before the sandbox's window: its running number starts past 1.
        account.pages.append(SalesPage(title, world.new_prefix(), url, next_serial=rng.randint(1, 300)))
    return world.add_account(account)


def compatible(payment: str, logistic: str) -> bool:
    """Which payment can go with which logistic (COD is the carrier's, c2c the store's)."""
    if payment == "cod":
        return logistic in ("home", "home_refrige", "home_freeze")
    if payment == "c2c":
        return logistic in CVS
    if logistic in OVERSEA:
        return payment in ("credit", "paypal", "applepay")
    return True


def _weighted(rng: random.Random, weights: dict[str, int], codes: list[str]) -> str:
    return rng.choices(codes, [weights[c] for c in codes])[0]


def _logistic_for(rng: random.Random, payment: str | None) -> str:
    codes = [c for c in places.LOGISTIC_WEIGHTS if payment is None or compatible(payment, c)]
    return _weighted(rng, places.LOGISTIC_WEIGHTS, codes)


def _payment_for(rng: random.Random, logistic: str) -> str:
    return _weighted(rng, places.PAYMENT_WEIGHTS, [p for p in places.PAYMENT_WEIGHTS if compatible(p, logistic)])


def method_pairs(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """(payment, logistic) per order: every code of the seed first (as far as count allows), then
    weighted like a live shop, shuffled."""
    pairs: list[tuple[str, str]] = []
    uncovered = list(LOGISTICS)
    for payment in PAYMENTS:
        fits = [code for code in uncovered if compatible(payment, code)]
        logistic = rng.choice(fits) if fits else _logistic_for(rng, payment)
        if logistic in uncovered:
            uncovered.remove(logistic)
        pairs.append((payment, logistic))
    for logistic in uncovered:
        pairs.append((_payment_for(rng, logistic), logistic))
    while len(pairs) < count:
        logistic = _logistic_for(rng, None)
        pairs.append((_payment_for(rng, logistic), logistic))
    pairs = pairs[:count]
    rng.shuffle(pairs)
    return pairs


def generate_orders(world: OneshopWorld, account: Account, count: int, start: int, end: int) -> list[Order]:
    """count orders created in [start, end); every later status change happens before `end` too."""
    rng = world.rng
    times = sorted(rng.randrange(start, end) for _ in range(count))
    pairs = method_pairs(rng, count)
    cover = Coverage(rng)  # every enum value of the seed in the batch, as far as its size allows
    orders = []
    for create_time, (payment, logistic), scenario in zip(times, pairs, plan_scenarios(rng, pairs)):
        order = new_order(world, account, create_time, payment, logistic,
                          temporary=scenario.name == "temporary", cover=cover)
        _run(world, order, scenario.steps, horizon=end)
        orders.append(world.add_order(order))
    return orders


def _run(world: OneshopWorld, order: Order, steps: tuple[dict[str, str], ...], horizon: int) -> None:
    """Each step some minutes to days after the last, squeezed to end before the horizon."""
    rng = world.rng
    gaps = [rng.randint(10 * 60, 36 * 3600) for _ in steps]
    room = max(0, horizon - 1 - order.create_time)
    if sum(gaps) > room:
        gaps = [gap * room // sum(gaps) for gap in gaps]
    when = order.create_time
    for gap, step in zip(gaps, steps):
        when += gap
        lifecycle.change(world, order, when, **step)
    for entry in order.tracking:  # the carrier's record follows the shipment by seconds (seed: 16 s)
        entry.create_time = min(entry.shipping_time + rng.randint(5, 60), max(entry.shipping_time, horizon - 1))


def new_order(world: OneshopWorld, account: Account, create_time: int, payment: str, logistic: str,
              temporary: bool = False, lines: list[Line] | None = None, page: SalesPage | None = None,
              cover: Coverage | None = None) -> Order:
    """An order in its initial state: customer, address, cart, an invoice request. `cover`: the
    batch's coverage of the seed's enum values (generated batches), None for a one-off order."""
    rng, pool = world.rng, world.pools
    cover = cover or Coverage(rng, off=True)
    page = page or rng.choice(account.pages)
    gender = cover.pick("gender", ("none", "male", "female"), (1, 4, 5))
    name = rng.choice(pool["female"] if gender == "female" else pool["male"] if gender == "male"
                      else pool["male"] + pool["female"])
    order = Order(
        appid=account.appid, order_number=world.new_order_number(page, create_time),
        order_ip=f"{rng.choice(places.IP_PREFIXES)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        name=name, gender=gender, payment=payment, logistic=logistic, create_time=create_time,
        page_title=page.title, page_prefix=page.prefix, shop_url=page.shop_url,
        order_url="https://tinyurl.com/" + world.token(_URL_CHARS, 8),
        email=rng.choice(pool["emails"]), phone="09" + world.digits(8), update_time=create_time,
        progress_status="temporary" if temporary else "pending",
        payment_status="cod" if payment in PAY_ON_DELIVERY else "pending",
        regular_time=rng.randint(1, 12) if payment == "regular" else 1,
        note=rng.choice(places.CUSTOMER_NOTES), shop_note=rng.choice(places.SHOP_NOTES))
    if rng.random() < 0.35:
        order.tag = f"{rng.choice(places.TAG_CHANNELS)}{_date(create_time - rng.randint(0, 60) * DAY)}"
    _address(world, order)
    order.custom_fields = _custom_fields(rng, create_time)
    order.lines, order.logistic_fee, order.payment_fee = new_cart(world, payment, logistic, lines, cover)
    if payment != "nopay" and not temporary and rng.random() < 0.9:
        order.receipts.append(new_receipt(world, order, cover))
    if payment == "nopay":  # nothing to pay: paid when placed
        lifecycle.set_payment(world, order, "paid", create_time)
    return order


def _address(world: OneshopWorld, order: Order) -> None:
    """Home delivery: county, area, zip and street; store pickup: the buyer's area and the store;
    outlying islands: their own places; oversea: the country and a free-form address."""
    rng, logistic = world.rng, order.logistic
    if logistic in NOT_SHIPPED:
        return
    if logistic in OVERSEA:
        order.country, order.address_oversea = rng.choice(places.OVERSEA_ADDRESSES)
        return
    table = places.ISLAND_PLACES if logistic.startswith("island") else TW_PLACES
    city = rng.choice(tuple(table) if table is not TW_PLACES else TW_CITIES)
    area, zip_code = rng.choice(table[city])
    order.county_and_city, order.area, order.zip_code = city, area, zip_code
    if logistic in CVS:
        stem_format, id_digits, id_prefix = places.CVS_CHAINS[logistic.split("_")[0]]
        order.cvs_store_id = id_prefix + world.digits(id_digits)
        order.cvs_store_name = stem_format.format(stem=rng.choice(places.STORE_STEMS))
        order.cvs_store_address = f"{city}{area}{_street(world)}"
        return
    order.address = _street(world)
    if rng.random() < 0.4:
        order.address += f"{rng.randint(2, 15)}樓"


def _street(world: OneshopWorld) -> str:
    rng = world.rng
    return f"{rng.choice(world.pools['streets'])}{rng.choice(TW_STREET_SUFFIXES)}{rng.randint(1, 300)}號"


def _custom_fields(rng: random.Random, create_time: int) -> list[dict[str, str]]:
    """Answers to a sales page's own questions (seed: {"label": "身高", "value": "180cm"})."""
    if rng.random() >= 0.3:
        return []
    fields: list[dict[str, Any]] = [{"label": "身高", "value": f"{rng.randint(150, 190)}cm"},
                                    {"label": "生日", "value": _date(create_time - rng.randint(18, 60) * 365 * DAY, "-")},
                                    {"label": "希望到貨時段", "value": rng.choice(places.DELIVERY_SLOTS)}]
    return rng.sample(fields, rng.randint(1, 2))


def _date(when: int, sep: str = "") -> str:
    return datetime.fromtimestamp(when, UTC8).strftime(f"%Y{sep}%m{sep}%d")
