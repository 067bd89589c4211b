"""Generated orders in bulk: a batch decides at once what lists need of each order (order_sn,
times, status, channel, the stock it takes) and builds an order whole only when it is used.

Each order draws from its own stream, a hash of the batch's seed and its place in the batch, never
from the world's shared generator: so it is the same order whether it is built first, last or never,
and a million of them cost a hash and a few columns each. What lists read (create and update time,
status, channel, ship-by date) comes from the first draws; building the order replays the same
draws, then takes the rest (buyer, address, discounts, reasons) from a generator seeded by them.
"""
from __future__ import annotations

import hashlib
import math
import string
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from mockserver.core.taiwan import UTC8
from mockserver.shopee.paths import PATHS as _PATHS
from mockserver.shopee.paths import with_invoice
from mockserver.shopee.lifecycle import CANCELLED
from mockserver.shopee.order_index import CODES, Row

DAY = 86400
_SN_ALPHABET = string.digits + string.ascii_uppercase
# How many lines a generated order has and how many of each it buys (factory's old odds).
_LINE_COUNTS = (1, 1, 1, 2, 2, 3)
_QUANTITIES = (1, 1, 1, 2, 3)
_DAYS_TO_SHIP = (1, 2, 3)
# A byte to an order_sn character (the byte's remainder by 36: a bias too small to see).
_SN_TABLE = "".join(_SN_ALPHABET[b % 36] for b in range(256)).encode("ascii")


@dataclass(slots=True)  # not frozen: a frozen dataclass costs 2 us more to make, a million times
class Plan:
    """What a batch decided about one order, before (or without) building it."""
    order_sn: str
    create_time: int
    target: str
    steps: tuple[str, ...]
    step_times: tuple[int, ...]
    channel: tuple
    lines: tuple[tuple[tuple[int, int, int], int], ...]  # (model key, quantity)
    days_to_ship: int
    seed: int  # seeds the generator of everything else

    @property
    def update_time(self) -> int:
        return self.step_times[-1] if self.step_times else self.create_time

    @property
    def pay_time(self) -> int | None:
        return self.step_times[self.steps.index("pay")] if "pay" in self.steps else None

    @property
    def ship_by(self) -> int:
        return (self.pay_time or self.create_time) + self.days_to_ship * DAY


class Batch:
    """`count` generated orders of one shop, created over `days` days before `end`."""

    def __init__(self, shop: Any, seed: int, count: int, end: int, days: int, names: list[str],
                 weights: list[int] | None, model_keys: tuple, channels: tuple, serials: tuple[int, int]) -> None:
        self.shop_id, self.region = shop.shop_id, shop.region
        self.seed, self.count, self.end, self.days = seed, count, end, days
        self.names, self.weights = tuple(names), tuple(weights) if weights else None
        self.model_keys, self.channels = model_keys, channels
        self.package_serial, self.tracking_serial = serials
        # Orders whose drawn order_sn was taken when the batch was committed: position -> the one
        # redrawn (generated.commit), so a snapshot keeps parameters, not 100,000 order_sns.
        self.renamed: dict[int, str] = {}
        # The batch's rows, when reserved in the index before it is planned (generated.prepare):
        # its keys are then made final without the lock. None: appended when committed.
        self.first: int | None = None
        self._hash = hashlib.blake2b(digest_size=64, key=seed.to_bytes(16, "little", signed=False))
        self._total = sum(self.weights) if self.weights else len(self.names)
        # A weighted pick as one draw below the total: the status of each of its values.
        self._pick = ([n for n, w in zip(self.names, self.weights) for _ in range(w)] if self.weights else None)
        self._create_span = self.days * DAY - DAY // 2 + 1
        self._steps = {(name, which): with_invoice(name, self.region, path)
                       for name in self.names for which, path in enumerate(_PATHS[name])}

    def plan(self, index: int, order_sn: str | None = None) -> Plan:
        """The order at `index`: the same plan every time (order_sn, when given, is the one the
        batch settled on; when None it is drawn, as at generation). Written flat, without helper
        calls: a million orders are planned at generation."""
        stream = self._hash.copy()  # cheaper than a keyed hash made anew
        stream.update(index.to_bytes(8, "little"))
        digest = stream.digest()
        value = int.from_bytes(digest[:48], "little")  # the numeric draws, mixed radix
        value, offset = divmod(value, self._create_span)
        create_time = self.end - self.days * DAY + offset
        if index < len(self.names):  # cover every status once before sampling
            target = self.names[index]
        else:
            value, pick = divmod(value, self._total)
            target = self._pick[pick] if self._pick is not None else self.names[pick]
        options = _PATHS[target]
        value, which = divmod(value, len(options))
        steps = self._steps[(target, which)]
        last = min(self.end, create_time + 3 * DAY)
        span = max(1, (last - create_time) // (len(steps) + 1))
        low = max(1, span // 3)
        width = span - low + 1
        at, times = create_time, []
        for _ in steps:
            value, step = divmod(value, width)
            at = min(at + low + step, last)
            times.append(at)
        value, channel = divmod(value, len(self.channels))
        value, count = divmod(value, len(_LINE_COUNTS))
        count = min(len(self.model_keys), _LINE_COUNTS[count])
        pool = list(range(len(self.model_keys))) if count > 1 else None
        lines = []
        for _ in range(count):
            if pool is None:
                value, model = divmod(value, len(self.model_keys))
            else:
                value, position = divmod(value, len(pool))
                model = pool.pop(position)
            value, quantity = divmod(value, len(_QUANTITIES))
            lines.append((self.model_keys[model], _QUANTITIES[quantity]))
        value, days = divmod(value, len(_DAYS_TO_SHIP))
        if order_sn is None:
            order_sn = day_prefix(create_time) + digest[56:64].translate(_SN_TABLE).decode("ascii")
        return Plan(order_sn, create_time, target, steps, tuple(times), self.channels[channel], tuple(lines),
                    _DAYS_TO_SHIP[days], int.from_bytes(digest[48:56], "little"))

    def columns(self, columns: "Columns") -> "Columns":
        """What plan(index) says of every order, for the index and the stock, as columns: the same
        draws in the same order (tests/shopee/test_batch_columns.py holds it to plan()), without
        a Plan, its tuples and the step times nobody lists (2x faster). Big-number divisions are
        the cost: the first two draws take one (a divmod by a*b gives the draws of a then b: the
        remainder's r % a and r // a), and every later draw comes from one remainder, the value
        modulo the product of their radices, with smaller numbers. Fills `columns` (empty: a
        Columns or a subclass) and answers it."""
        sns, created, updated, codes, channel_ids = (columns.sns, columns.created, columns.updated,
                                                     columns.codes, columns.channels)
        ship_by = columns.ship_by
        first = min(len(self.names), self.count)
        for index in range(first):  # these cover every status once: plan() draws them differently
            columns.add(self.plan(index))
        copy, end, span = self._hash.copy, self.end, self._create_span
        start, head = self.end - self.days * DAY, span * self._total
        table = self._pick if self._pick is not None else self.names
        # Per status: its code, how many paths lead to it, and per path its step count and where
        # "pay" is in it (-1: never paid).
        shapes = {}
        for name in self.names:
            paths = [self._steps[(name, which)] for which in range(len(_PATHS[name]))]
            shapes[name] = (CODES[name], len(paths),
                            [(len(steps), steps.index("pay") if "pay" in steps else -1) for steps in paths])
        targets = [shapes[name] for name in table]
        routes = [channel[0] for channel in self.channels]
        models = len(self.model_keys)
        pool_of_all = list(range(models))
        line_counts = [min(models, count) for count in _LINE_COUNTS]
        # After the steps, every draw left (channel, line count, each line's model and quantity,
        # days to ship) is a digit of the value below tail * lines: `lines` is a multiple of what
        # the lines and days of any line count take, so the value modulo it gives the same digits.
        tail = len(routes) * len(_LINE_COUNTS)
        lines = math.lcm(*(math.prod((models if count == 1 else models - line) * len(_QUANTITIES)
                                     for line in range(count)) * len(_DAYS_TO_SHIP)
                           for count in set(line_counts)))
        # The steps of an order created over 3 days before the end are spaced alike: per step count
        # (low, width, the radix of the draws from the steps on).
        spaced = {}
        for steps in {shape[0] for _, _, paths in shapes.values() for shape in paths}:
            gap = max(1, 3 * DAY // (steps + 1))
            low = max(1, gap // 3)
            spaced[steps] = (low, gap - low + 1, (gap - low + 1) ** steps * tail * lines)
        taken = [0] * models  # quantity per model, of orders not cancelled
        quantities, days_to_ship = len(_QUANTITIES), len(_DAYS_TO_SHIP)  # radices of the last draws
        cancelled = CODES[CANCELLED]
        prefixes: dict[int, str] = {}
        for index in range(first, self.count):
            stream = copy()
            stream.update(index.to_bytes(8, "little"))
            digest = stream.digest()
            value, drawn = divmod(int.from_bytes(digest[:48], "little"), head)
            create_time = start + drawn % span
            code, options, paths = targets[drawn // span]
            if options > 1:
                value, which = divmod(value, options)
                steps, pay = paths[which]
            else:
                steps, pay = paths[0]
            last = create_time + 3 * DAY
            if last <= end:
                low, width, radix = spaced[steps]
            else:
                last = end
                gap = (last - create_time) // (steps + 1)
                if gap < 1:
                    gap = 1
                low = gap // 3 or 1
                width = gap - low + 1
                radix = width ** steps * tail * lines
            drawn = value % radix  # every draw left, one big-number division
            # A step's time is min(the previous one + low + its draw, last): as times only grow,
            # that is min(create_time + the lows and draws so far, last), clamped once at the end.
            at = paid = create_time
            for step in range(steps):
                at += low + drawn % width
                drawn //= width
                if step == pay:
                    paid = at
            if at > last:
                at = last
                if paid > last:
                    paid = last
            route = drawn % len(routes)
            drawn //= len(routes)
            count = line_counts[drawn % len(_LINE_COUNTS)]
            drawn //= len(_LINE_COUNTS)
            if count == 1:
                model = drawn % models
                drawn //= models
                if code != cancelled:
                    taken[model] += _QUANTITIES[drawn % quantities]
                drawn //= quantities
            else:
                pool = pool_of_all[:]
                for size in range(models, models - count, -1):
                    model = pool.pop(drawn % size)
                    drawn //= size
                    if code != cancelled:
                        taken[model] += _QUANTITIES[drawn % quantities]
                    drawn //= quantities
            day = (create_time + _UTC8_SECONDS) // DAY
            prefix = prefixes.get(day)
            if prefix is None:
                prefix = prefixes[day] = day_prefix(create_time)
            sns.append(prefix + digest[56:64].translate(_SN_TABLE).decode("ascii"))
            created.append(create_time)
            updated.append(at)
            codes.append(code)
            channel_ids.append(routes[route])
            ship_by.append(paid + _DAYS_TO_SHIP[drawn % days_to_ship] * DAY)
        bought = columns.bought
        for key, quantity in zip(self.model_keys, taken):
            if quantity:
                bought[key] = bought.get(key, 0) + quantity
        return columns

    def row(self, plan: Plan) -> Row:
        return Row(plan.order_sn, self.shop_id, plan.create_time, plan.update_time, plan.target,
                   plan.channel[0], plan.ship_by)

    def to_dict(self) -> dict[str, Any]:
        """The batch as data (snapshots): with the world's models and order_sns it rebuilds itself."""
        return {"shop_id": self.shop_id, "region": self.region, "seed": self.seed, "count": self.count,
                "end": self.end, "days": self.days, "names": list(self.names),
                "weights": list(self.weights) if self.weights else None,
                "model_keys": [list(k) for k in self.model_keys], "channels": [list(c[:2]) for c in self.channels],
                "package_serial": self.package_serial, "tracking_serial": self.tracking_serial,
                "renamed": [[position, sn] for position, sn in sorted(self.renamed.items())]}

    @classmethod
    def from_dict(cls, data: dict[str, Any], shop: Any, channels: list[tuple]) -> "Batch":
        """The batch to_dict() describes, for `shop` (its channel tuples looked up by id in
        `channels`, the region's table). ValueError/TypeError/KeyError on data of the wrong shape."""
        if data["shop_id"] != shop.shop_id or data["region"] != shop.region:
            raise ValueError(f"batch of shop {data['shop_id']} ({data['region']}) does not match shop {shop.shop_id}")
        by_id = {c[0]: c for c in channels}
        chosen = tuple(by_id.get(c[0], (c[0], c[1], False, ())) for c in data["channels"])
        names = [str(n) for n in data["names"]]
        weights = data["weights"]
        if not names or any(n not in _PATHS for n in names) or (weights is not None and len(weights) != len(names)):
            raise ValueError("batch statuses (names) or weights are not valid")
        count, seed = int(data["count"]), int(data["seed"])
        if count < 0 or not 0 <= seed < 2**128 or not chosen or not data["model_keys"]:
            raise ValueError("batch count, seed, channels or model_keys are not valid")
        batch = cls(shop, seed, count, int(data["end"]), int(data["days"]), names,
                    [int(w) for w in weights] if weights else None,
                    tuple(tuple(int(x) for x in key) for key in data["model_keys"]), chosen,
                    (int(data["package_serial"]), int(data["tracking_serial"])))
        batch.renamed = {int(position): str(sn) for position, sn in data.get("renamed", [])}
        return batch


class Columns:
    """A batch's orders as the index and the stock see them (Batch.columns)."""

    def __init__(self) -> None:
        self.sns: list[str] = []
        self.created: list[int] = []
        self.updated: list[int] = []
        self.codes: list[int] = []
        self.channels: list[int] = []
        self.ship_by: list[int] = []
        self.bought: dict[tuple[int, int, int], int] = {}  # model key -> quantity (not cancelled)

    def add(self, plan: Plan) -> None:
        self.sns.append(plan.order_sn)
        self.created.append(plan.create_time)
        self.updated.append(plan.update_time)
        self.codes.append(CODES[plan.target])
        self.channels.append(plan.channel[0])
        self.ship_by.append(plan.ship_by)
        if plan.target != CANCELLED:  # a cancelled order gave its stock back when it was cancelled
            for key, quantity in plan.lines:
                self.bought[key] = self.bought.get(key, 0) + quantity


_EPOCH = datetime(1970, 1, 1)
_UTC8_SECONDS = int(UTC8.utcoffset(None).total_seconds())
_DAY_PREFIXES: dict[int, str] = {}


def day_prefix(create_time: int) -> str:
    """yyMMdd of the Taiwan/SEA business day (UTC+8), the head of an order_sn."""
    day = (create_time + _UTC8_SECONDS) // DAY
    prefix = _DAY_PREFIXES.get(day)
    if prefix is None:
        if len(_DAY_PREFIXES) > 100_000:
            _DAY_PREFIXES.clear()
        prefix = _DAY_PREFIXES[day] = (_EPOCH + timedelta(days=day)).strftime("%y%m%d")
    return prefix
