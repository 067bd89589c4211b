"""How a generated order reaches its statuses: a weighted scenario of status changes per order.

Each scenario is a path a real 1shop order takes, so every generated combination of
progress_status / payment_status / logistic_status is one a shop can show: pay-on-delivery orders
stay "cod" until received, shipped orders went through the carrier, cancelled orders are refunded
or were never paid.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from mockserver.oneshop.models import (CVS, LOGISTIC_STATUSES, NOT_SHIPPED, PAY_ON_DELIVERY, PAYMENT_STATUSES,
                                       PROGRESS_STATUSES)

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


def final_statuses(scenario: Scenario, payment: str) -> dict[str, str]:
    """Where a scenario leaves an order: {"progress", "payment", "logistic"} (new_order's start, then
    every step's changes)."""
    state = {"progress": "temporary" if scenario.name == "temporary" else "pending",
             "payment": "paid" if payment == "nopay" else "cod" if payment in PAY_ON_DELIVERY else "pending",
             "logistic": "pending"}
    for step in scenario.steps:
        state.update(step)
    return state


# Every status value of seed 003, as (field of final_statuses, value).
_EVERY_STATUS = ([("progress", v) for v in PROGRESS_STATUSES] + [("payment", v) for v in PAYMENT_STATUSES]
                 + [("logistic", v) for v in LOGISTIC_STATUSES])


def plan_scenarios(rng: random.Random, pairs: list[tuple[str, str]]) -> list[Scenario]:
    """One scenario per (payment, logistic) of a generated batch, such that every status value of the
    seed ends up on some order when the batch can show it (issue 12: generated worlds cover every
    enum value the seed gives); the other orders draw by weight.

    The rarest values are placed first (need_confirm needs an atm order), each on a random order
    that can reach it, with a weighted pick among the scenarios that reach it."""
    options = [scenarios_for(payment, logistic) for payment, logistic in pairs]
    ends = [[final_statuses(s, payment) for s in opts] for opts, (payment, _) in zip(options, pairs)]
    chosen: list[Scenario | None] = [None] * len(pairs)
    covered: set[tuple[str, str]] = set()

    # Which orders could show each value at all, worked out once (not once per value placed).
    able = {value: [i for i in range(len(pairs)) if any(e[value[0]] == value[1] for e in ends[i])]
            for value in _EVERY_STATUS}

    def reach(value: tuple[str, str]) -> list[int]:
        return [i for i in able[value] if chosen[i] is None]

    for value in sorted(_EVERY_STATUS, key=lambda v: (len(reach(v)), v)):
        if value in covered:
            continue
        orders = reach(value)
        if not orders:
            continue  # this batch cannot show it (too few orders, or no fitting payment/logistic)
        i = rng.choice(orders)
        fits = [(s, e) for s, e in zip(options[i], ends[i]) if e[value[0]] == value[1]]
        scenario, end = rng.choices(fits, [s.weight for s, _ in fits])[0]
        chosen[i] = scenario
        covered.update(end.items())
    return [scenario if scenario is not None else rng.choices(opts, [s.weight for s in opts])[0]
            for scenario, opts in zip(chosen, options)]
