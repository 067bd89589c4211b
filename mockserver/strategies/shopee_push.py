"""Shopee push bodies (codes 0, 1, 2, 3, 4, 12) valid against contracts/shopee/push/<code>.schema.json.

Values look like what the sandbox (and the reference's get_lost_push_message sample) sends: shop ids
of nine digits, order_sn = yyMMdd (UTC+8) of the update + 8 of [0-9A-Z], package numbers OFG + 15
digits with forder_id their digits, tracking numbers region + 12 digits + a letter, code 12 seven
days ahead of the expiry. Key order follows the sandbox's bodies: data, shop_id, code, timestamp.
"""
from __future__ import annotations

import datetime as dt
import string
from typing import Any

from hypothesis import strategies as st

from mockserver.core.contracts import load
from mockserver.core.taiwan import UTC8 as _UTC8
from mockserver.resources import data_dir
from mockserver.strategies.common import TimeSpec, unix_times
from mockserver.strategies.hostile import hostile as hostile_of
from mockserver.strategies.text import HUGE

VERIFY_INFO = "This is a Verification message.Please respond in the certain format."
EXPIRY_NOTICE = 7 * 86400
_SN_ALPHABET = string.digits + string.ascii_uppercase
_REGIONS = ("TW", "SG", "MY", "TH", "ID", "PH", "VN", "BR", "MX", "CO", "CL")


def push_codes() -> tuple[int, ...]:
    """The codes with a contract: every contracts/shopee/push/<code>.schema.json."""
    folder = data_dir("contracts") / "shopee" / "push"
    return tuple(sorted(int(p.name.split(".")[0]) for p in folder.glob("*.schema.json")))


def schema_relative(code: int) -> str:
    return f"shopee/push/{code}.schema.json"


def order_statuses() -> tuple[str, ...]:
    """The statuses a code 3 push may carry (its contract's enum)."""
    return tuple(load(schema_relative(3))["properties"]["data"]["properties"]["status"]["enum"])


shop_ids = st.integers(100_000_000, 999_999_999)
merchant_ids = st.integers(1_000_000, 99_999_999)


@st.composite
def order_sns(draw, at: int) -> str:
    """An order_sn of an order alive at `at`: its UTC+8 day and 8 characters."""
    day = dt.datetime.fromtimestamp(at, _UTC8).strftime("%y%m%d")
    return day + draw(st.text(_SN_ALPHABET, min_size=8, max_size=8))


@st.composite
def _data(draw, code: int, timestamp: int) -> dict[str, Any]:
    if code == 0:
        return {"verify_info": VERIFY_INFO}
    if code in (1, 2):
        shops = draw(st.lists(shop_ids, min_size=1, max_size=3, unique=True))
        success = draw(st.sampled_from((1, 1, 1, 0)))
        what = "is authorized successfully" if code == 1 else "authorization is canceled"
        return {"shop_id_list": shops, "merchant_id_list": draw(st.lists(merchant_ids, max_size=2, unique=True)),
                "success": success, "extra": f"shop_id {shops[0]} {what}" if success else ""}
    if code == 3:
        update_time = timestamp - draw(st.integers(0, min(timestamp, 60)))
        return {"items": [], "ordersn": draw(order_sns(update_time)), "status": draw(st.sampled_from(order_statuses())),
                "completed_scenario": "", "update_time": update_time}
    if code == 4:
        package = "OFG" + str(draw(st.integers(10**14, 10**15 - 1)))
        tracking = (draw(st.sampled_from(_REGIONS)) + str(draw(st.integers(10**11, 10**12 - 1)))
                    + draw(st.sampled_from(string.ascii_uppercase)))
        return {"ordersn": draw(order_sns(timestamp - draw(st.integers(0, min(timestamp, 14 * 86400))))),
                "forder_id": package.removeprefix("OFG"), "package_number": package, "tracking_no": tracking}
    if code == 12:
        total = draw(st.integers(1, 3))
        return {"shop_expire_soon": draw(st.lists(shop_ids, min_size=1, max_size=3, unique=True)),
                "merchant_expire_soon": draw(st.lists(merchant_ids, max_size=2, unique=True)),
                "expire_before": min(timestamp + EXPIRY_NOTICE, 2**32 - 1),
                "page_no": draw(st.integers(1, total)), "total_page": total}
    raise ValueError(f"no Shopee push contract for code {code}; codes: {', '.join(map(str, push_codes()))}")


@st.composite
def _body(draw, code: int, times: st.SearchStrategy[int]) -> dict[str, Any]:
    if code == 0:  # the verification push is exactly code and data (reference, Push Mechanism)
        return {"code": 0, "data": {"verify_info": VERIFY_INFO}}
    timestamp = draw(times)
    body: dict[str, Any] = {"data": draw(_data(code, timestamp))}
    if code in (3, 4):  # shop-level codes; partner-level ones (1, 2, 12) carry no shop_id
        body["shop_id"] = draw(shop_ids)
    body.update(code=code, timestamp=timestamp)
    return body


def shopee_push_bodies(code: int | None = None, *, hostile: bool = False, timestamps: TimeSpec = None,
                       huge: int = HUGE) -> st.SearchStrategy[dict[str, Any]]:
    """Push bodies of `code` (any code with a contract when None), valid against its schema.

    timestamps: (start, end) unix seconds or a strategy for the push time (default 2021..2026).
    hostile: the body made hostile by `hostile()` (unicode strings up to `huge` characters, boundary
    ids and times, empty merchant lists); code 0 has nothing that may change and stays as it is."""
    codes = push_codes()
    if code is not None and code not in codes:
        raise ValueError(f"no Shopee push contract for code {code}; codes: {', '.join(map(str, codes))}")
    times = unix_times(timestamps)
    if code is None:
        return st.sampled_from(codes).flatmap(
            lambda c: shopee_push_bodies(c, hostile=hostile, timestamps=times, huge=huge))
    base = _body(code, times)
    return hostile_of(schema_relative(code), base, huge=huge) if hostile else base
