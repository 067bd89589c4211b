"""world.orders: every order of the Shopee world by order_sn, generated ones built only when used.

A generated batch (batch.py) costs a few columns per order in the index (order_index.py) until
something reads or changes one of its orders: then that order is built whole, the same way every
time, and kept. Lists read the index and build nothing. A live order tells the book when its
status or times change (models.Order.__setattr__), and the book moves its keys in the index.
"""
from __future__ import annotations

import bisect
from collections.abc import Mapping
from typing import Any, Callable, Iterator

from mockserver.shopee.models import Order
from mockserver.shopee.order_index import OrderIndex, Row

Builder = Callable[[Any, int, str], Order]  # (batch, index in it, order_sn) -> the order, built whole


def row_of(order: Order) -> Row:
    return Row(order.order_sn, order.shop_id, order.create_time, order.update_time, order.status,
               order.logistics_channel_id, order.ship_by_date)


class OrderBook(Mapping[str, Order]):
    def __init__(self, build: Builder) -> None:
        self.index = OrderIndex()
        self._build = build
        self._live: dict[int, Order] = {}
        self._batches: list[Any] = []  # generated batches, by first ordinal
        self._starts: list[int] = []

    # ---- Mapping ----------------------------------------------------------------------------------
    def __getitem__(self, order_sn: str) -> Order:
        return self.at(self.index.by_sn[order_sn])

    def get(self, order_sn: str, default: Any = None) -> Any:  # type: ignore[override]
        ordinal = self.index.by_sn.get(order_sn)
        return default if ordinal is None else self.at(ordinal)

    def __contains__(self, order_sn: object) -> bool:
        return order_sn in self.index.by_sn

    def __len__(self) -> int:
        return len(self.index.by_sn)

    def __iter__(self) -> Iterator[str]:
        return iter([sn for sn in self.index.order_sn if sn is not None])

    # ---- orders ------------------------------------------------------------------------------------
    def at(self, ordinal: int) -> Order:
        """The order in row `ordinal`, built now if it is a generated one nobody used yet."""
        order = self._live.get(ordinal)
        if order is None:
            position = bisect.bisect_right(self._starts, ordinal) - 1
            batch = self._batches[position]
            order = self._build(batch, ordinal - self._starts[position], self.index.order_sn[ordinal])
            self._keep(ordinal, order)
        return order

    def live(self) -> Iterator[Order]:
        """The orders built so far (made by hand, or generated and used since), by arrival."""
        for ordinal in sorted(self._live):
            yield self._live[ordinal]

    def is_built(self, order_sn: str) -> bool:
        ordinal = self.index.by_sn.get(order_sn)
        return ordinal is not None and ordinal in self._live

    def add(self, order: Order) -> Order:
        if order.order_sn in self.index.by_sn:
            raise ValueError(f"order_sn {order.order_sn} exists")
        ordinal = self.index.add_many([row_of(order)])[0]
        self._keep(ordinal, order)
        return order

    def add_batch(self, batch: Any, shop_id: int, columns: tuple[list, ...], keys: Any = None) -> int:
        """A generated batch's orders as index columns (order_sns, create and update times, status
        codes, channels, ship-by dates) and, when made beforehand, their index keys
        (order_index.batch_keys); they are built when first used. Answers the first ordinal."""
        first = self.index.add_columns(shop_id, *columns, keys=keys, first=getattr(batch, "first", None))
        if columns[0]:
            self._batches.append(batch)
            self._starts.append(first)
        return first

    def remove(self, order_sn: str) -> None:
        ordinal = self.index.by_sn[order_sn]
        order = self._live.pop(ordinal, None)
        if order is not None:
            order.watch(None)
        self.index.remove(ordinal)

    def built(self) -> list[tuple[int, Order]]:
        """(ordinal, order) of every order built so far (made by hand, or generated and used)."""
        return sorted(self._live.items())

    def restore_built(self, ordinal: int, order: Order) -> None:
        """Put a built order back in its row (snapshot import; the row exists)."""
        if self.index.order_sn[ordinal] != order.order_sn:
            raise ValueError(f"row {ordinal} is {self.index.order_sn[ordinal]}, not {order.order_sn}")
        self._keep(ordinal, order)

    def batches(self) -> list[tuple[int, Any]]:
        """(first ordinal, batch) of every generated batch, oldest first."""
        return list(zip(self._starts, self._batches))

    def _keep(self, ordinal: int, order: Order) -> None:
        self._live[ordinal] = order
        index = self.index

        def changed(changed_order: Order) -> None:
            index.update(ordinal, changed_order.status, changed_order.update_time, changed_order.ship_by_date)

        order.watch(changed)
        changed(order)  # a built order is what its row said; a hand-made one may have moved since
