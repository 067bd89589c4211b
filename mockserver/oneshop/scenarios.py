"""How a generated order reaches its statuses: a weighted scenario of status changes per order.

Each scenario is a path a real 1shop order takes, so every generated combination of
progress_status / payment_status / logistic_status is one a shop can show: pay-on-delivery orders
stay "cod" until received, shipped orders went through the carrier, cancelled orders are refunded
or were never paid.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from mockserver.oneshop.models import CVS, NOT_SHIPPED, PAY_ON_DELIVERY

Step = dict[str, str]


@dataclass(frozen=True)
class Scenario:
    name: str
    weight: int
    steps: tuple[Step, ...]


def _s(**change: str) -> Step:
    return change


def _shipping(cvs: bool, first: tuple[Step, ...]) -> dict[str, tuple[Step, ...]]:
    """The carrier's part: prepared, handed over, in transit, (at the store,) received."""
    prepare = first + (_s(progress="processing", logistic="prepare"),)
    send = prepare + (_s(logistic="send"),)
    transit = send + (_s(logistic="shipped"),)
    arrive = transit + ((_s(logistic="delivered"),) if cvs else ())
    received = arrive + (_s(logistic="received", progress="completed"),)
    paths = {"preparing": prepare, "delayed": first + (_s(progress="processing", logistic="delay"),),
             "sent": send, "in_transit": transit, "received": received,
             "abnormal": transit + (_s(logistic="abnormal"),)}
    if cvs:
        paths["at_store"] = arrive
    return paths


_WEIGHTS = {"await_payment": 8, "need_confirm": 2, "paid": 8, "preparing": 6, "delayed": 2, "sent": 5,
            "in_transit": 5, "at_store": 4, "received": 22, "abnormal": 1, "returning": 1, "returned": 1,
            "cancelled_unpaid": 4, "cancelled_refunded": 2, "temporary": 1, "other": 1,
            "await_confirm": 6, "confirmed": 6, "cancelled": 4, "unclaimed": 2, "fulfilled": 10}


def scenarios_for(payment: str, logistic: str) -> list[Scenario]:
    cvs, ships = logistic in CVS, logistic not in NOT_SHIPPED
    paths: dict[str, tuple[Step, ...]] = {}
    if payment in PAY_ON_DELIVERY:
        confirm = (_s(progress="confirmed"),)
        paths.update(await_confirm=(), confirmed=confirm, cancelled=(_s(progress="cancelled"),))
        paths.update(_shipping(cvs, confirm))
        if cvs:  # never picked up: the parcel goes back, nothing was paid
            paths["unclaimed"] = paths["at_store"] + (_s(logistic="returned", progress="cancelled"),)
    else:
        pay = (_s(payment="paid", progress="confirmed"),)
        paths.update(paid=pay, other=pay + (_s(progress="other"),))
        if payment != "nopay":  # a nopay order is paid when placed and is never refunded
            paths.update(await_payment=(), temporary=(), cancelled_unpaid=(_s(progress="cancelled"),),
                         cancelled_refunded=pay + (_s(progress="cancelled", payment="refunded"),))
        if payment == "atm":  # the buyer reported a transfer the shop has to confirm
            paths["need_confirm"] = (_s(payment="need_confirm", progress="confirming"),)
        if ships:
            paths.update(_shipping(cvs, pay))
            if payment != "nopay":
                returning = paths["received"] + (_s(logistic="returning", progress="processing"),)
                paths.update(returning=returning, returned=returning + (
                    _s(logistic="returned", payment="refunded", progress="cancelled"),))
    if not ships:  # digital goods and store pickup: done without a carrier or a tracking entry
        first = paths.get("paid") or paths["confirmed"]
        paths["fulfilled"] = first + (_s(logistic="received", progress="completed"),)
    return [Scenario(name, _WEIGHTS[name], steps) for name, steps in paths.items()]


def choose_scenario(rng: random.Random, payment: str, logistic: str) -> Scenario:
    options = scenarios_for(payment, logistic)
    return rng.choices(options, [s.weight for s in options])[0]
