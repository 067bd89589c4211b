"""The order-sync suite's engine, shared by Shopee and 1shop: Hypothesis seeds a random set of
orders into a fresh shop or account, arranges status changes between list pages and injected
429s and 5xx (admin /_sandbox/faults), runs the integrator's sync function, and checks it returned
exactly that set, each order in a status it really had during the sync.

A platform subclass says how to make a tenant, seed orders, change one order's status and which
paths to fault (shopee_order_sync.py, oneshop_order_sync.py).
"""
from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from hypothesis import given
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

from mockserver.contract_suites.hypothesis_settings import suite_settings
from mockserver.contract_suites.report import OrderSyncFailure

DAY = 86_400
FAULT_STATUSES = (429, 500, 502, 503)
# A sync that backs off for longer than this (sandbox seconds, summed) is reported as stuck.
MAX_BACKOFF_SECONDS = 3600
# Random scenarios draw their orders' create times as if the range ended here, then move them to
# the real range: a scenario starts at real time, and bounds that followed the wall clock would
# give the same draws other constraints each time, which Hypothesis refuses as flaky generation.
DRAW_ANCHOR = 1_800_000_000


def drawn_range(start: int, end: int) -> tuple[int, int, int]:
    """(start, end) as the strategies draw create times in, and the seconds to add to each after."""
    shift = end - DRAW_ANCHOR
    return start - shift, DRAW_ANCHOR, shift


def moved(specs: list[dict[str, Any]], shift: int) -> list[dict[str, Any]]:
    """Order specs drawn in drawn_range(), their create times moved to the real range."""
    return [{**spec, "create_time": spec["create_time"] + shift} if "create_time" in spec else spec
            for spec in specs]


@dataclass
class SyncContext:
    """What the suite hands the integrator's sync function.

    credentials: the platform's (base_url and keys); time_from/time_to: the range to sync (unix
    seconds, inclusive); sleep(seconds): wait by moving the sandbox clock instead of the wall
    clock (rate limits and Retry-After read the sandbox clock), so backoff costs no real time;
    now(): the sandbox time, for signatures."""

    credentials: dict[str, Any]
    time_from: int
    time_to: int
    sleep: Callable[[float], None]
    now: Callable[[], int]
    slept: list[float] = field(default_factory=list)


Sync = Callable[[SyncContext], "Mapping[str, Any] | Iterable[str]"]


@dataclass
class Scenario:
    """One example: the orders seeded, the statuses each may have, the faults and changes arranged."""

    tenant: Any
    expected: dict[str, set[str]]  # order id -> statuses it had during the sync
    faults: list[dict[str, Any]] = field(default_factory=list)  # the rules as created
    changes: list[tuple[str, str, int]] = field(default_factory=list)  # (order id, change, after n list pages)
    days: int = 1
    time_from: int = 0
    time_to: int = 0

    def describe(self) -> str:
        faults = ", ".join(f"{f['status']} on {f['path'].rsplit('/', 1)[-1]} after {f['skip']} x{f['times']}"
                           for f in self.faults if f.get("status")) or "none"
        changes = ", ".join(f"{oid} {what} after list request {n}" for oid, what, n in self.changes) or "none"
        return (f"{len(self.expected)} orders over {self.days} days; injected faults: {faults}; "
                f"status changes: {changes}")


class OrderSyncSuite:
    """Base of the platform suites; run(sync) is the whole public API."""

    platform = ""
    page_size = 50  # the list API's largest page: example sizes straddle it
    list_path = ""  # the list API's path, where status changes and faults land
    fault_paths: tuple[str, ...] = ()

    def __init__(self, sandbox: Any, *, max_examples: int = 8, max_orders: int = 160, max_days: int = 45,
                 faults: bool = True, status_changes: bool = True, shrink: bool = False,
                 seed: int | None = None) -> None:
        """sandbox: the plugin's ShopSandbox (shop_sandbox fixture). max_examples: random scenarios
        after the fixed one (every status, several pages and windows). faults: inject 429s and 5xx.
        status_changes: change orders' statuses between list pages. shrink: let Hypothesis shrink a
        failure to a minimal scenario (slower). seed: Hypothesis seed (None: derandomized).
        max_orders / max_days bound the random scenarios; the fixed one always has 2 pages + 3
        orders over 45 days."""
        if max_examples < 0 or max_orders < 0 or max_days < 1:
            raise ValueError("max_examples and max_orders should be >= 0, max_days >= 1")
        self.sandbox = sandbox
        self.max_examples = max_examples
        self.max_orders = max_orders
        self.max_days = max_days
        self.faults = faults
        self.status_changes = status_changes
        self.shrink = shrink
        self.seed = seed
        self.examples_run = 0

    # ---- what a platform supplies --------------------------------------------------------------------
    def new_tenant(self) -> Any:
        raise NotImplementedError

    def credentials(self, tenant: Any) -> dict[str, Any]:
        raise NotImplementedError

    def tenant_query(self, tenant: Any) -> dict[str, str]:
        """Query parameters that single out the tenant's requests, so faults hit no one else."""
        raise NotImplementedError

    def seed_orders(self, data: st.DataObject | None, tenant: Any, count: int, start: int,
                    end: int) -> dict[str, str]:
        """Create `count` orders between start and end (every status when data is None); id -> status."""
        raise NotImplementedError

    def change(self, data: st.DataObject | None, tenant: Any, order_id: str,
               status: str) -> tuple[str, dict[str, Any]] | None:
        """An admin call that changes this order's status: (path, body), or None when none applies."""
        raise NotImplementedError

    def status_of(self, tenant: Any, order_id: str) -> str:
        raise NotImplementedError

    def fixed_times(self, count: int, start: int, end: int) -> list[int]:
        """The fixed scenario's create times: page_size + 3 orders in the range's last two days
        (more than a page in one 15-day window), the rest spread evenly over the whole range,
        its first and last second included."""
        crowded = min(count, self.page_size + 3)
        recent = max(start, end - 2 * DAY)
        times = [recent + (end - recent) * i // max(1, crowded - 1) for i in range(crowded)]
        rest = count - crowded
        times += [start + (end - start) * i // max(1, rest - 1) for i in range(rest)]
        return [max(1, t) for t in times]

    # ---- the run -------------------------------------------------------------------------------------------
    def run(self, sync: Sync) -> int:
        """Run the fixed scenario, then max_examples random ones; raise AssertionError (a readable
        report) on the first scenario the sync gets wrong. Returns how many scenarios ran."""
        self._check(sync, None)
        if self.max_examples > 0:
            @suite_settings(self.max_examples, shrink=self.shrink, derandomize=self.seed is None)
            @given(st.data())
            def scenario(data: st.DataObject) -> None:
                self._check(sync, data)

            if self.seed is not None:
                scenario = hypothesis_seed(self.seed)(scenario)
            scenario()
        return self.examples_run

    def _check(self, sync: Sync, data: st.DataObject | None) -> None:
        self.examples_run += 1
        self.sandbox.clock.set(time.time())  # each scenario starts at real time (signatures use it)
        scenario = self._arrange(data)
        context = self._context(scenario)
        try:
            result = sync(context)
            result = dict(result) if isinstance(result, Mapping) else list(result)
        except Exception as exc:  # the integrator's code failed: that is the finding
            raise OrderSyncFailure(f"{self.platform} order sync", "the sync raised instead of converging",
                                   [scenario.describe(), *traceback.format_exception_only(exc)],
                                   self._fault_log()) from exc
        problems = self._compare(scenario, result)
        if sum(context.slept) > MAX_BACKOFF_SECONDS:
            problems.append(f"backed off {sum(context.slept):.0f} s in all (sandbox time), more than "
                            f"{MAX_BACKOFF_SECONDS} s")
        if problems:
            raise OrderSyncFailure(f"{self.platform} order sync", "the sync did not return exactly the seeded orders",
                                   [scenario.describe(), *problems], self._fault_log())
        self.sandbox.clear_faults()

    def _arrange(self, data: st.DataObject | None) -> Scenario:
        page = self.page_size
        if data is None:  # the fixed scenario: every status, four 15-day windows, one of them over a page
            count, days = 2 * page + 3, 45
        else:
            # Page and window edges, as far as the limits allow, besides any size and span.
            sizes = [n for n in (0, 1, page - 1, page, page + 1, 2 * page) if n <= self.max_orders]
            spans = [d for d in (1, 15, 16, 30, 31) if d <= self.max_days]
            count = data.draw(st.one_of(st.sampled_from(sizes), st.integers(0, self.max_orders)), label="orders")
            days = data.draw(st.one_of(st.sampled_from(spans), st.integers(1, self.max_days)), label="days")
        tenant = self.new_tenant()
        now = self.sandbox.clock.now()
        start = now - days * DAY
        statuses = self.seed_orders(data, tenant, count, start, now)
        scenario = Scenario(tenant, {oid: {status} for oid, status in statuses.items()}, days=days,
                            time_from=start, time_to=now)
        list_requests = max(1, -(-count // page))
        if self.status_changes and statuses:
            self._arrange_changes(data, scenario, statuses, list_requests)
        if self.faults:
            self._arrange_faults(data, scenario, list_requests)
        return scenario

    def _arrange_changes(self, data: st.DataObject | None, scenario: Scenario, statuses: dict[str, str],
                         list_requests: int) -> None:
        ids = sorted(statuses)
        if data is None:
            picks = [(ids[len(ids) // 2], 1), (ids[-1], max(1, list_requests - 1))]
        else:
            chosen = data.draw(st.lists(st.sampled_from(ids), max_size=3, unique=True), label="changed orders")
            picks = [(oid, data.draw(st.integers(1, list_requests), label="after list request")) for oid in chosen]
        for order_id, after in picks:
            call = self.change(data, scenario.tenant, order_id, statuses[order_id])
            if call is None:
                continue
            path, body = call
            # Fires once the tenant's list API has answered `after` times: lands between two pages.
            self.sandbox.inject_fault(self.list_path, query=self.tenant_query(scenario.tenant), skip=after - 1,
                                      then=[{"path": path, "body": body}])
            scenario.changes.append((order_id, str(body), after))

    def _arrange_faults(self, data: st.DataObject | None, scenario: Scenario, list_requests: int) -> None:
        if data is None:
            plan = [(self.list_path, 429, 0, 1), (self.list_path, 503, 1, 1), (self.fault_paths[-1], 500, 0, 2)]
        else:
            plan = data.draw(st.lists(st.tuples(st.sampled_from(self.fault_paths), st.sampled_from(FAULT_STATUSES),
                                                st.integers(0, list_requests), st.integers(1, 2)),
                                      max_size=3), label="faults")
        for path, status, skip, times in plan:
            rule = {"path": path, "query": self.tenant_query(scenario.tenant), "status": status, "skip": skip,
                    "times": times}
            self.sandbox.inject_fault(**rule)
            scenario.faults.append(rule)

    def _context(self, scenario: Scenario) -> SyncContext:
        slept: list[float] = []

        def sleep(seconds: float) -> None:
            seconds = max(0.0, float(seconds))
            slept.append(seconds)
            if seconds:
                self.sandbox.clock.advance(seconds)

        return SyncContext(self.credentials(scenario.tenant), scenario.time_from, scenario.time_to, sleep,
                           self.sandbox.clock.now, slept)

    def _compare(self, scenario: Scenario, result: dict[str, Any] | list[str]) -> list[str]:
        ids = list(result)
        problems = []
        repeated = sorted({oid for oid in ids if ids.count(oid) > 1}) if len(set(ids)) != len(ids) else []
        if repeated:
            problems.append(f"returned more than once: {_few(repeated)}")
        missing = sorted(set(scenario.expected) - set(ids))
        extra = sorted(set(ids) - set(scenario.expected))
        if missing:
            problems.append(f"missing {len(missing)} of {len(scenario.expected)}: {_few(missing)}")
        if extra:
            problems.append(f"{len(extra)} orders that were not seeded (or are outside the range): {_few(extra)}")
        if isinstance(result, dict):
            changed = {order_id for order_id, _, _ in scenario.changes}
            for order_id in sorted(set(result) & set(scenario.expected)):
                allowed = set(scenario.expected[order_id])
                if order_id in changed:  # it may be seen before or after its change
                    allowed.add(self.status_of(scenario.tenant, order_id))
                got = _status_text(result[order_id])
                if got is not None and got not in allowed:
                    problems.append(f"{order_id}: status {got!r}, but it was only ever {sorted(allowed)}")
        return problems

    def _fault_log(self) -> list[str]:
        return [f"{f['id']} {f['method'] or 'ANY'} {f['path']} status={f['status']} matched={f['matched']} "
                f"fired={f['fired']}" for f in self.sandbox.faults()]


def _status_text(value: Any) -> str | None:
    """A returned status: a string, or a dict's status field (1shop returns three statuses)."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return value.get("order_status") or value.get("progress_status")
    return None


def _few(ids: list[str], limit: int = 8) -> str:
    return ", ".join(ids[:limit]) + (f" ... (+{len(ids) - limit})" if len(ids) > limit else "")
