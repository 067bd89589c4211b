"""What the order lists read, kept apart from the orders themselves: a few columns per order and
sorted keys per shop, so that get_order_list and get_shipment_list cost the same at a thousand
orders and at a million, and never build an order to list it.

Every order has an ordinal (its row). Columns hold what lists filter and sort on: order_sn, shop,
create_time, update_time, status, channel and ship-by date. A key is `time << SHIFT | ordinal`, an
int: cheap to keep and sorted by time, then by when the order came to the sandbox. Each shop
keeps its keys by create_time and by update_time, the same per status and per channel, and its
orders waiting to ship by ship-by date. update() moves an order's keys when its status or times
change (order_book.py calls it on every change of a live order).
"""
from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from itertools import islice
from typing import Iterable, Iterator

from sortedcontainers import SortedList

from mockserver.shopee.lifecycle import INVOICE_PENDING, READY_TO_SHIP, RETRY_SHIP, STATUSES
from mockserver.shopee.sorted_merge import merge_sorted

SHIFT = 26  # ordinals below 2**26 (67 million orders a world); times fit in the 37 bits above
_LOW = (1 << SHIFT) - 1
CODES = {status: code for code, status in enumerate(STATUSES)}
# The statuses get_shipment_list looks at (INVOICE_PENDING reads READY_TO_SHIP there).
TO_SHIP = frozenset(CODES[s] for s in (READY_TO_SHIP, RETRY_SHIP, INVOICE_PENDING))
FIELDS = ("create_time", "update_time")


@dataclass(slots=True)
class Row:
    """One order as the index sees it."""
    order_sn: str
    shop_id: int
    create_time: int
    update_time: int
    status: str
    channel: int
    ship_by: int


@dataclass
class _ShopKeys:
    by_time: dict[str, SortedList] = field(default_factory=lambda: {f: SortedList() for f in FIELDS})
    by_status: dict[tuple[str, int], SortedList] = field(default_factory=dict)
    by_channel: dict[tuple[str, int], SortedList] = field(default_factory=dict)
    to_ship: SortedList = field(default_factory=SortedList)

    def keyed(self, table: dict, key: tuple[str, int]) -> SortedList:
        found = table.get(key)
        if found is None:
            found = table[key] = SortedList()
        return found


def _merge_shifted(target: SortedList, keys: list[int], shift: int) -> None:
    if keys:
        merge_sorted(target, [key + shift for key in keys] if shift else keys)


@dataclass
class BatchKeys:
    """A batch's sorted keys with ordinals counted from `base` (the batch's first row when it was
    reserved, else 0): the costly part of indexing, made without the store's lock (batch_keys)."""
    by_time: dict[str, list[int]]
    groups: dict[tuple[str, str, int], list[int]]
    to_ship: list[int]
    base: int = 0
    # order_sn -> ordinal of the batch's rows, when made with the keys for its final order_sns
    # (one dict merged into by_sn is three times faster than a million pairs added one by one).
    by_sn: dict[str, int] | None = None


def batch_keys(created: list[int], updated: list[int], codes: list[int], channels: list[int],
               ship_by: list[int], base: int = 0) -> BatchKeys:
    """Every key list of a batch, each sorted (touches no shared state); ordinals from `base`.
    Each time field's keys are sorted once; the status and channel lists are cut from them in one
    pass that keeps their order (sorting each again, or a dict look-up per key, cost twice that)."""
    routes = sorted(set(channels))
    route_of = {channel: route for route, channel in enumerate(routes)}
    routed = bytes([route_of[channel] for channel in channels])  # small numbers: an index each
    codes = bytes(codes)  # a megabyte a million orders: read in no order, it stays in the cache
    by_time: dict[str, list[int]] = {}
    groups: dict[tuple[str, str, int], list[int]] = {}
    for name, times in zip(FIELDS, (created, updated)):
        keys = [time << SHIFT | ordinal for ordinal, time in enumerate(times, base)]
        keys.sort()
        # The same numbers made again in sorted order: every later pass (splitting, merging into
        # the shop's lists, slicing them) then reads memory in order, not a million cache misses.
        keys = [key + 0 for key in keys]
        by_time[name] = keys
        statuses: list[list[int]] = [[] for _ in STATUSES]
        by_route: list[list[int]] = [[] for _ in routes]
        _split(keys, base, codes, routed, statuses, by_route)
        groups.update((("status", name, code), found) for code, found in enumerate(statuses) if found)
        groups.update((("channel", name, routes[route]), found) for route, found in enumerate(by_route) if found)
    to_ship = [when << SHIFT | ordinal for ordinal, when, code in zip(range(base, base + len(codes)), ship_by, codes)
               if code in TO_SHIP]
    to_ship.sort()
    return BatchKeys(by_time, groups, to_ship, base)


def _split(keys: list[int], base: int, codes: bytes, routes: bytes, statuses: list[list[int]],
           by_route: list[list[int]]) -> None:
    """Each of `keys` (sorted) to the list of its row's status code and of its channel's route,
    in order (so each list stays sorted)."""
    positions = [(key & _LOW) - base for key in keys]
    to_status = [found.append for found in statuses]
    to_route = [found.append for found in by_route]
    for key, code, route in zip(keys, map(codes.__getitem__, positions), map(routes.__getitem__, positions)):
        to_status[code](key)
        to_route[route](key)


def _key(time: int, ordinal: int) -> int:
    return time << SHIFT | ordinal


class OrderIndex:
    def __init__(self) -> None:
        self.order_sn: list[str | None] = []
        self.shop_id = array("q")
        self.create_time = array("q")
        self.update_time = array("q")
        self.status = bytearray()
        self.channel = array("q")
        self.ship_by = array("q")
        self.by_sn: dict[str, int] = {}
        self._shops: dict[int, _ShopKeys] = {}

    def __len__(self) -> int:
        return len(self.by_sn)

    def __contains__(self, order_sn: object) -> bool:
        return order_sn in self.by_sn

    # ---- writing --------------------------------------------------------------------------------
    def add_many(self, rows: Iterable[Row]) -> list[int]:
        """Append orders (their order_sn unique); answers their ordinals."""
        rows = list(rows)
        shops = {row.shop_id for row in rows}
        ordinals: list[int] = []
        for shop_id in shops:  # one shop at a time (a batch is one shop; single orders are one)
            mine = [row for row in rows if row.shop_id == shop_id]
            first = self.add_columns(shop_id, [r.order_sn for r in mine], [r.create_time for r in mine],
                                     [r.update_time for r in mine], [CODES[r.status] for r in mine],
                                     [r.channel for r in mine], [r.ship_by for r in mine])
            ordinals.extend(range(first, first + len(mine)))
        return ordinals

    def add_columns(self, shop_id: int, sns: list[str], created: list[int], updated: list[int],
                    codes: list[int], channels: list[int], ship_by: list[int],
                    keys: "BatchKeys | None" = None, first: int | None = None) -> int:
        """One shop's orders given as columns, in the rows reserve() set aside from `first`, else
        appended; answers the first ordinal (the others follow). Keys go in one sorted merge per
        list, not one insertion per order; `keys`, when given, are batch_keys() of these columns,
        made before (outside the store's lock)."""
        count = len(sns)
        if first is None:
            first = self.reserve(count)
        if keys is None:
            keys = batch_keys(created, updated, codes, channels, ship_by, first)
        end = first + count
        self.order_sn[first:end] = sns
        self.shop_id[first:end] = array("q", [shop_id]) * count
        for column, values in ((self.create_time, created), (self.update_time, updated),
                               (self.channel, channels), (self.ship_by, ship_by)):
            column[first:end] = values if isinstance(values, array) else array("q", values)
        self.status[first:end] = bytes(codes)
        shift = first - keys.base  # none when the keys were made for the rows reserved
        self.by_sn.update(keys.by_sn if keys.by_sn is not None and not shift else zip(sns, range(first, end)))
        shop = self._shops.get(shop_id)
        if shop is None:
            shop = self._shops[shop_id] = _ShopKeys()
        # A key with the batch's own ordinal r is time << SHIFT | r; its ordinal here is first + r,
        # below 2**SHIFT, so the real key is the relative one plus `first` and the order holds.
        for name in FIELDS:
            _merge_shifted(shop.by_time[name], keys.by_time[name], shift)
        for (kind, name, which), found in keys.groups.items():
            table = shop.by_status if kind == "status" else shop.by_channel
            _merge_shifted(shop.keyed(table, (name, which)), found, shift)
        _merge_shifted(shop.to_ship, keys.to_ship, shift)
        return first

    def reserve(self, count: int) -> int:
        """Rows for `count` orders to come (empty until add_columns fills them); the first ordinal.
        Reserved rows that are never filled stay empty, like the row of a removed order."""
        first = len(self.order_sn)
        if first + count > _LOW:
            raise OverflowError("a world holds at most 67 million orders")
        self.order_sn.extend([None] * count)
        zeros = array("q", bytes(8 * count))
        for column in (self.shop_id, self.create_time, self.update_time, self.channel, self.ship_by):
            column.extend(zeros)
        self.status.extend(bytes(count))
        return first

    def add_hole(self) -> int:
        """A row for an order that was removed (snapshots keep every ordinal where it was)."""
        self.order_sn.append(None)
        for column in (self.shop_id, self.create_time, self.update_time, self.channel, self.ship_by):
            column.append(0)
        self.status.append(0)
        return len(self.order_sn) - 1

    def update(self, ordinal: int, status: str, update_time: int, ship_by: int) -> None:
        """Move an order's keys to its new status, update_time and ship-by date."""
        code = CODES[status]
        old_code, old_update, old_ship = self.status[ordinal], self.update_time[ordinal], self.ship_by[ordinal]
        if (code, update_time, ship_by) == (old_code, old_update, old_ship):
            return
        shop_id, channel, created = self.shop_id[ordinal], self.channel[ordinal], self.create_time[ordinal]
        self._unkey(ordinal, shop_id, old_code, old_update, channel, created, old_ship)
        self.status[ordinal], self.update_time[ordinal], self.ship_by[ordinal] = code, update_time, ship_by
        self._rekey(ordinal, shop_id, code, update_time, channel, created, ship_by)

    def remove(self, ordinal: int) -> None:
        sn = self.order_sn[ordinal]
        if sn is None:
            return
        self._unkey(ordinal, self.shop_id[ordinal], self.status[ordinal], self.update_time[ordinal],
                    self.channel[ordinal], self.create_time[ordinal], self.ship_by[ordinal], with_create=True)
        del self.by_sn[sn]
        self.order_sn[ordinal] = None

    def _unkey(self, ordinal: int, shop_id: int, code: int, update_time: int, channel: int, created: int,
               ship_by: int, with_create: bool = False) -> None:
        keys = self._shops[shop_id]
        updated = _key(update_time, ordinal)
        keys.by_time["update_time"].remove(updated)
        keys.by_status[("update_time", code)].remove(updated)
        keys.by_status[("create_time", code)].remove(_key(created, ordinal))
        keys.by_channel[("update_time", channel)].remove(updated)
        if with_create:
            keys.by_time["create_time"].remove(_key(created, ordinal))
            keys.by_channel[("create_time", channel)].remove(_key(created, ordinal))
        if code in TO_SHIP:
            keys.to_ship.remove(_key(ship_by, ordinal))

    def _rekey(self, ordinal: int, shop_id: int, code: int, update_time: int, channel: int, created: int,
               ship_by: int) -> None:
        keys = self._shops[shop_id]
        updated = _key(update_time, ordinal)
        keys.by_time["update_time"].add(updated)
        keys.keyed(keys.by_status, ("update_time", code)).add(updated)
        keys.keyed(keys.by_status, ("create_time", code)).add(_key(created, ordinal))
        keys.keyed(keys.by_channel, ("update_time", channel)).add(updated)
        if code in TO_SHIP:
            keys.to_ship.add(_key(ship_by, ordinal))

    # ---- reading --------------------------------------------------------------------------------
    def page(self, shop_id: int, field_name: str, start: int, end: int, status: str | None,
             channel: int | None, offset: int, size: int) -> tuple[list[int], bool]:
        """Ordinals of one page of a shop's orders with start <= field <= end, newest first (ties:
        the later arrival first), filtered by status and channel; and whether more follow."""
        keys = self._shops.get(shop_id)
        if keys is None:
            return [], False
        if status is not None:
            if status not in CODES:  # PENDING: a status no sandbox order ever has
                return [], False
            source = keys.by_status.get((field_name, CODES[status]))
            also = channel  # the status list is the narrower; the channel is checked per row
        elif channel is not None:
            source, also = keys.by_channel.get((field_name, channel)), None
        else:
            source, also = keys.by_time[field_name], None
        if not source:
            return [], False
        low = source.bisect_left(_key(start, 0))
        high = source.bisect_right(_key(end, _LOW))
        if also is None:  # a direct slice: O(log n + page), whatever the offset
            top = high - offset
            bottom = max(low, top - size - 1)
            window = [key & _LOW for key in reversed(source[bottom:top])] if top > low else []
        else:
            wanted = (key & _LOW for key in source.islice(low, high, reverse=True) if self.channel[key & _LOW] == also)
            window = list(islice(wanted, offset, offset + size + 1))
        return window[:size], len(window) > size

    def status_counts(self, shop_id: int) -> dict[str, int]:
        """How many orders of the shop are in each status (no order read)."""
        keys = self._shops.get(shop_id)
        return {status: len(keys.by_status.get(("create_time", code), ())) if keys is not None else 0
                for status, code in CODES.items()}

    def waiting_to_ship(self, shop_id: int) -> Iterator[int]:
        """Ordinals of the shop's orders in a to-ship status, by ship-by date (ties: arrival)."""
        keys = self._shops.get(shop_id)
        for key in (keys.to_ship if keys is not None else ()):
            yield key & _LOW

    def of_shop(self, shop_id: int) -> Iterator[int]:
        """Every order of the shop, newest created first."""
        keys = self._shops.get(shop_id)
        for key in reversed(keys.by_time["create_time"] if keys is not None else ()):
            yield key & _LOW

    def status_of(self, ordinal: int) -> str:
        return STATUSES[self.status[ordinal]]
