"""Push module routes: the app's push config (set_app_push_config, get_app_push_config and the older
set_push_config of seed 001) and the lost pushes (get_lost_push_message,
confirm_consumed_lost_push_message). State: push_model; sending: push_events.
"""
from __future__ import annotations

from typing import Any

from mockserver.core import delivery_http
from mockserver.shopee import push_model as M
from mockserver.shopee.catalog import PERMISSIONS, Later, api
from mockserver.shopee.errors import ShopeeError, wrong_param
from mockserver.shopee.params import UINT32_MAX
from mockserver.shopee.push_events import send_verification, verification

# error_list of v2.push.set_app_push_config and v2.push.confirm_consumed_lost_push_message.
INVALID_CALLBACK = ("error_param", "this callback_url is invalid, please check your callback_url.")
NO_CALLBACK = ("error_param", ("Your app's callback_url is empty, please input a callback_url before you turn "
                               "on push config."))
VERIFY_NO_ANSWER = ("error_param", ("Shopee have sent a test push to this call back url, but we didn't get any "
                                    "response in 3 seconds with 2xx code, please check your service. "))
VERIFY_NOT_2XX = ("error_param", ("Shopee have sent a test push to this call back url, the response code we get "
                                  "from this callback_url is not 2xx code, please check your service. "))
DATA_NOT_EXIST = ("error_data", "data not exist")
# "Block up to 500 shops" (guide, Blocking notifications from specific shops).
MAX_BLOCKED = 500
# The older set_push_config's push_config names (seed 001 shows order_status; the rest follow the
# push type names, unconfirmed) -> codes. Aliases are the v1 detailed_config names.
LEGACY_NAMES = {
    "shop_authorization": 1, "shop_deauthorization": 2, "order_status": 3, "order_trackingno": 4,
    "order_tracking_number": 4, "shopee_updates": 5, "shop_update": 5, "banned_item": 6,
    "item_promotion": 7, "reserved_stock_change": 8, "promotion_update": 9, "webchat": 10,
    "video_upload": 11, "openapi_authorization_expiry": 12, "brand_register_result": 13,
}
_SET_FIELDS = "callback_url, set_push_config_on, set_push_config_off or blocked_shop_id_list"


def _int_list(p, name: str, high: int = UINT32_MAX) -> list[int] | None:
    """A JSON array of integers; None when absent (null is a wrong type, as everywhere in params.py).
    Params has no integer-list reader and these APIs are all POST, so the value comes straight from
    the checked JSON body."""
    if name not in p._source:
        return None
    value = p._source[name]
    if not isinstance(value, list) or any(isinstance(i, bool) or not isinstance(i, int) or not 0 <= i <= high
                                          for i in value):
        raise wrong_param(f"{name} should be a list of integers between 0 and {high}")
    return list(dict.fromkeys(value))  # a repeated id means nothing more


def _check_codes(entry: M.PartnerPush, app_type: str, name: str, codes: list[int]) -> None:
    for code in codes:
        if code not in M.PUSH_CODES:
            raise wrong_param(f"{name} has {code}, which is not a push code (1 to 13)")
        if code not in entry.available:
            raise wrong_param(f"{name} has {code}, which the {app_type} app type cannot subscribe to")


def _configure(call, url: str | None, on: list[int], off: list[int], blocked: list[int] | None,
               blocked_name: str) -> dict[str, Any] | Later:
    """The rules both set APIs share. Checks everything first (an error changes nothing); a new
    callback_url must answer the verification push with a 2xx within 3 s before anything is saved."""
    partner = call.caller.partner
    world = call.world
    entry = world.push.of(partner.partner_id, partner.app_type)
    _check_codes(entry, partner.app_type, "set_push_config_on", on)
    _check_codes(entry, partner.app_type, "set_push_config_off", off)
    both = sorted(set(on) & set(off))
    if both:
        raise wrong_param(f"push code {both[0]} is in both set_push_config_on and set_push_config_off")
    if blocked is not None and len(blocked) > MAX_BLOCKED:
        raise wrong_param(f"{blocked_name} should have at most {MAX_BLOCKED} shop ids")
    if url is not None:
        try:
            delivery_http.check_url(url)
        except ValueError:
            raise ShopeeError.of(INVALID_CALLBACK) from None
        try:
            world.pusher.engine.check_target(url)
        except ValueError as exc:  # the sandbox's outbound allow-list (SHOP_SANDBOX_OUTBOUND_ALLOW)
            raise ShopeeError(INVALID_CALLBACK[0], f"{INVALID_CALLBACK[1]} (sandbox: {exc})") from None
    if on and url is None and not entry.callback_url:
        raise ShopeeError.of(NO_CALLBACK)

    def commit() -> dict[str, Any]:
        with world.push.lock:
            if url is not None:
                entry.callback_url = url
            entry.on = (entry.on | set(on)) - set(off)
            if blocked is not None:
                entry.blocked = blocked
            # Setting the config again subscribes again: Normal, statistics from zero (guide).
            entry.resubscribe()
        return {"response": {"result": "success"}}

    if url is None:
        return commit()
    payload, headers = verification(world, entry, url)
    engine, store = world.pusher.engine, call.store

    def verify_then_commit() -> dict[str, Any]:
        attempt = send_verification(engine, partner.partner_id, url, payload, headers)
        if attempt is None or attempt.status is None or attempt.error == "timeout":
            raise ShopeeError.of(VERIFY_NO_ANSWER)
        if not attempt.ok:
            raise ShopeeError.of(VERIFY_NOT_2XX)
        with store.lock:
            return commit()

    return Later(verify_then_commit)


@api("/api/v2/push/set_app_push_config", "POST", "public",
     ("callback_url", "set_push_config_on", "set_push_config_off", "blocked_shop_id_list"),
     PERMISSIONS["push.set_app_push_config"])
def set_app_push_config(call) -> dict[str, Any] | Later:
    p = call.params
    url = p.string("callback_url", required=False)
    on = _int_list(p, "set_push_config_on")
    off = _int_list(p, "set_push_config_off")
    blocked = _int_list(p, "blocked_shop_id_list")
    if url is None and on is None and off is None and blocked is None:
        raise wrong_param(f"set at least one of {_SET_FIELDS}")
    return _configure(call, url, on or [], off or [], blocked, "blocked_shop_id_list")


@api("/api/v2/push/set_push_config", "POST", "public", ("callback_url", "push_config", "blocked_shop_id"))
def set_push_config(call) -> dict[str, Any] | Later:
    """The older form (seed 001): {"push_config": {"order_status": 1, ...}, "callback_url": ...}.
    Not in the reference JSONs: any app type may call it, and it answers like set_app_push_config."""
    p = call.params
    url = p.string("callback_url", required=False)
    config = p.object("push_config", {name: (int, False) for name in LEGACY_NAMES}) or {}
    on, off = [], []
    for name, value in config.items():
        if value not in (0, 1):
            raise wrong_param(f"push_config.{name} should be 0 (off) or 1 (on)")
        (on if value == 1 else off).append(LEGACY_NAMES[name])
    blocked = _int_list(p, "blocked_shop_id")
    if url is None and not config and blocked is None:
        raise wrong_param("set at least one of callback_url, push_config or blocked_shop_id")
    return _configure(call, url, list(dict.fromkeys(on)), list(dict.fromkeys(off)), blocked, "blocked_shop_id")


@api("/api/v2/push/get_app_push_config", "GET", "public", (), PERMISSIONS["push.get_app_push_config"])
def get_app_push_config(call) -> dict[str, Any]:
    partner = call.caller.partner
    entry = call.world.push.of(partner.partner_id, partner.app_type)
    with call.world.push.lock:
        return {"response": entry.view(call.world.clock.now())}


@api("/api/v2/push/get_lost_push_message", "GET", "public", (), PERMISSIONS["push.get_lost_push_message"])
def get_lost_push_message(call) -> dict[str, Any]:
    """The earliest 100 unconsumed lost pushes; the next 100 come after confirming these."""
    partner = call.caller.partner
    entry = call.world.push.of(partner.partner_id, partner.app_type)
    with call.world.push.lock:
        page, more, last = entry.lost_page(call.now)
        return {"response": {"push_message_list": [m.view() for m in page], "has_next_page": more,
                             "last_message_id": last}}


@api("/api/v2/push/confirm_consumed_lost_push_message", "POST", "public", ("last_message_id",),
     PERMISSIONS["push.confirm_consumed_lost_push_message"])
def confirm_consumed_lost_push_message(call) -> dict[str, Any]:
    last = call.params.integer("last_message_id", low=1)
    partner = call.caller.partner
    entry = call.world.push.of(partner.partner_id, partner.app_type)
    with call.world.push.lock:
        if not entry.confirm(last):
            raise ShopeeError.of(DATA_NOT_EXIST)
    return {}
