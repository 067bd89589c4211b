"""Shopee pushes raised by the world: domain events -> push bodies -> the webhook engine.

The world publishes what happened (lifecycle: order status changes and tracking numbers;
accounts: shops authorised and deauthorised); this module turns each event into the push of every
partner that subscribed to it, signs it and queues it on the store's engine under the "shopee"
policy: 2xx within 3 s, three retries on the sandbox clock, the health rule fed by every attempt,
dead letters kept for get_lost_push_message, nothing sent while the app is suspended.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import threading
from typing import Any

from mockserver.core import run_gate
from mockserver.core.delivery_model import Attempt, Delivery, Policy, two_xx
from mockserver.core.events import Event
from mockserver.core.scheduler import Job
from mockserver.core.webhooks import WebhookEngine
from mockserver.shopee import push_model as M
from mockserver.shopee.lifecycle import visible_status

DAY = 86400
# Code 12 goes out this long before an authorisation expires (guide: "notified 7 days in advance").
EXPIRY_NOTICE = 7 * DAY
# reference/shopee-v2.md, Push Mechanism: "answer 2xx ... within 3 s, else Shopee retries (count
# per code unconfirmed; reported 3 retries)". The delays are the sandbox's choice (docs/fidelity.md).
TIMEOUT = 3.0
RETRY_DELAYS = (60, 300, 1800)
# reference/shopee-v2.md: the verification push's text (wording unconfirmed).
VERIFY_INFO = "This is a Verification message.Please respond in the certain format."
# How long set_app_push_config waits for the verification attempt beyond its 3 s timeout (a busy
# engine may start it a little late).
VERIFY_GRACE = 5.0


def answered_a_body(attempt: Attempt) -> str | None:
    """Seed 001 asks the receiver for a 2xx with an empty body. The sandbox still counts a 2xx with a
    body as delivered (no document says Shopee refuses it) and says so on the attempt."""
    # The engine asks before it records its verdict (attempt.ok): the verdict is the 2xx rule.
    if two_xx(attempt) and attempt.response_excerpt:
        return ("the receiver answered a body; Shopee asks for a 2xx with an empty body (seed 001), "
                "live Shopee may count this push as failed and retry it")
    return None


def encode(body: dict[str, Any]) -> bytes:
    """The raw body: compact JSON, UTF-8 (the signature covers these exact bytes)."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def authorization(entry: M.PartnerPush, partner_key: str, url: str, payload: bytes) -> str:
    """The Authorization header: lowercase hex HMAC-SHA256 over callback_url|body with the partner
    key (the guide's "Push Authorization"), or over the body alone with the app's push key."""
    if entry.signing == M.SIGN_BODY:
        key, base = entry.push_key, payload
    else:
        key, base = partner_key, url.encode("utf-8") + b"|" + payload
    return hmac.new(key.encode("utf-8"), base, hashlib.sha256).hexdigest()


def forder_id(package_number: str) -> str:
    """Code 4's forder_id: the fulfilment order behind a package; the sandbox uses the package
    number's digits (OFG + 15 digits), so the two always agree."""
    return package_number.removeprefix("OFG")


class Pusher:
    """One per ShopeeWorld: subscribes to its events and owns its push policy."""

    def __init__(self, world: Any, engine: WebhookEngine) -> None:
        self.world = world
        self.engine = engine
        self.book: M.PushBook = world.push
        self._expiry_jobs: dict[tuple[int, int], Job] = {}

    def install(self, schedule: bool = True) -> None:
        """Register the policy and the event handlers; schedule code 12 for the authorisations the
        world was built with (later ones are scheduled when the shop is authorised). A world loaded
        from a snapshot schedules nothing here: its jobs come with it."""
        self.engine.register_policy("shopee", self.policy())
        subscribe = self.world.events.subscribe
        subscribe("shopee.order_status_changed", self._order_status)
        subscribe("shopee.order_created", self._order_created)
        subscribe("shopee.tracking_number_assigned", self._tracking_number)
        subscribe("shopee.shop_authorised", self._authorised)
        subscribe("shopee.shop_deauthorised", self._deauthorised)
        for shop in sorted(self.world.shops.values(), key=lambda s: s.shop_id) if schedule else ():
            for partner_id in sorted(shop.authorisations):
                self.schedule_expiry(partner_id, shop.shop_id)

    def policy(self) -> Policy:
        return Policy("shopee", timeout=TIMEOUT, retry_delays=RETRY_DELAYS, on_attempt=self._attempted,
                      on_dead_letter=self._lost, suppressed=self._suppressed, attempt_note=answered_a_body)

    # ---- engine hooks (its dispatcher thread, no store lock) ------------------------------------
    def _attempted(self, delivery: Delivery, attempt: Attempt) -> None:
        # A replay is the user's doing, not Shopee's push: it does not move the success rate.
        if attempt.replay:
            return
        meta = delivery.meta
        self.book.record_attempt(meta["partner_id"], meta["subscription"], attempt.at, attempt.ok,
                                 self.world.clock.now())

    def _lost(self, delivery: Delivery) -> None:
        meta = delivery.meta
        self.book.add_lost(meta["partner_id"], meta["shop_id"], meta["code"], json.loads(delivery.body),
                           self.world.clock.now_int())

    def _suppressed(self, delivery: Delivery) -> bool:
        # Suspended apps get nothing, and what falls due meanwhile is never resent (guide).
        return self.book.suppressed(delivery.meta["partner_id"], delivery.meta["subscription"])

    # ---- domain events (publisher holds the store lock) ------------------------------------------
    def _order_status(self, event: Event) -> None:
        if self.world.writing_history:
            return  # an order made with a history pushes once, when it is made (_order_created)
        self._order_push(event)

    def _order_created(self, event: Event) -> None:
        self._order_push(event)

    def _order_push(self, event: Event) -> None:
        data = event.data
        # One rule for every view but get_order_list (lifecycle.visible_status): no INVOICE_PENDING.
        status = visible_status(data["status"])
        self.push_shop(data["shop_id"], 3, {"items": [], "ordersn": data["order_sn"], "status": status,
                                            "completed_scenario": "",
                                            "update_time": data.get("update_time", event.at)})

    def _tracking_number(self, event: Event) -> None:
        if self.world.writing_history:
            return
        data = event.data
        self.push_shop(data["shop_id"], 4, {"ordersn": data["order_sn"], "forder_id": forder_id(data["package_number"]),
                                            "package_number": data["package_number"],
                                            "tracking_no": data["tracking_number"]})

    def _authorised(self, event: Event) -> None:
        partner_id, shop_id = event.data["partner_id"], event.data["shop_id"]
        self.send(partner_id, 1, {"shop_id_list": [shop_id], "merchant_id_list": [], "success": 1,
                                  "extra": f"shop_id {shop_id} is authorized successfully"}, about=shop_id)
        self.schedule_expiry(partner_id, shop_id)

    def _deauthorised(self, event: Event) -> None:
        partner_id, shop_id = event.data["partner_id"], event.data["shop_id"]
        job = self._expiry_jobs.pop((partner_id, shop_id), None)
        if job is not None:
            job.cancel()
        self.send(partner_id, 2, {"shop_id_list": [shop_id], "merchant_id_list": [], "success": 1,
                                  "extra": f"shop_id {shop_id} authorization is canceled"}, about=shop_id)

    # ---- code 12 ----------------------------------------------------------------------------------
    def schedule_expiry(self, partner_id: int, shop_id: int) -> None:
        """Code 12, seven days before the authorisation expires, on the sandbox clock."""
        authorisation = self.world.shops[shop_id].authorisations.get(partner_id)
        if authorisation is None:
            return
        expire_time = authorisation[1]
        old = self._expiry_jobs.pop((partner_id, shop_id), None)
        if old is not None:
            old.cancel()
        self._expiry_jobs[(partner_id, shop_id)] = self.world.scheduler.at(
            expire_time - EXPIRY_NOTICE, self.expiry_job(partner_id, shop_id, expire_time),
            {"platform": "shopee", "kind": "expiry", "partner_id": partner_id, "shop_id": shop_id,
             "expire_time": expire_time})

    def expiry_job(self, partner_id: int, shop_id: int, expire_time: int):
        """Code 12's action (also made again from a snapshot's data: keep_expiry_job files it)."""
        def run() -> None:
            self._expiry_jobs.pop((partner_id, shop_id), None)
            # Only the authorisation this job was made for: re-authorised or cancelled since, it is stale.
            if self.world.shops[shop_id].authorisations.get(partner_id, (0, None))[1] != expire_time:
                return
            self.send(partner_id, 12, {"shop_expire_soon": [shop_id], "merchant_expire_soon": [],
                                       "expire_before": expire_time, "page_no": 1, "total_page": 1},
                      about=shop_id)
        return run

    def keep_expiry_job(self, partner_id: int, shop_id: int, job: Job) -> None:
        self._expiry_jobs[(partner_id, shop_id)] = job

    # ---- sending ------------------------------------------------------------------------------------
    def wants_shop(self, shop_id: int, code: int) -> bool:
        """Whether a shop-level push of `code` would go anywhere (send() would queue one)."""
        shop = self.world.shop(shop_id)
        if shop is None:
            return False
        for partner_id in shop.authorisations:
            entry = self.book.get(partner_id)
            if entry is not None and self.world.is_authorised(partner_id, shop_id):
                with self.book.lock:
                    if entry.wants(code, shop_id):
                        return True
        return False

    def push_shop(self, shop_id: int, code: int, data: dict[str, Any]) -> None:
        """A shop-level push to every partner the shop is authorised to."""
        shop = self.world.shop(shop_id)
        if shop is None:
            return
        for partner_id in sorted(shop.authorisations):
            if self.world.is_authorised(partner_id, shop_id):
                self.send(partner_id, code, data, shop_id=shop_id, about=shop_id)

    def send(self, partner_id: int, code: int, data: dict[str, Any], *, shop_id: int | None = None,
             about: int | None = None) -> Delivery | None:
        """Queue one push if the partner wants it (callback set, code on, `about` shop not blocked).

        shop_id goes into the body (shop-level codes); partner-level codes (1, 2, 12) carry none."""
        partner = self.world.partner(partner_id)
        entry = self.book.get(partner_id)
        if partner is None or entry is None:
            return None
        with self.book.lock:
            if not entry.wants(code, about):
                return None
            body: dict[str, Any] = {"data": data}
            if shop_id is not None:
                body["shop_id"] = shop_id
            body.update(code=code, timestamp=self.world.now())
            payload = encode(body)
            url = entry.callback_url
            headers = {"Content-Type": "application/json",
                       "Authorization": authorization(entry, partner.partner_key, url, payload)}
            meta = {"partner_id": partner_id, "shop_id": shop_id, "code": code, "subscription": entry.subscription}
        return self.engine.enqueue("shopee", url, payload, headers, event=M.CODE_NAMES[code], meta=meta)


# ---- the verification push (set_app_push_config) ----------------------------------------------------
def verification(world: Any, entry: M.PartnerPush, url: str) -> tuple[bytes, dict[str, str]]:
    """Body and headers of the verification push to `url`, signed like every push (caller holds
    the store lock). The body is exactly the reference's: code 0 and verify_info, nothing else."""
    payload = encode({"code": M.VERIFICATION, "data": {"verify_info": VERIFY_INFO}})
    partner = world.partner(entry.partner_id)
    with world.push.lock:
        signature = authorization(entry, partner.partner_key, url, payload)
    return payload, {"Content-Type": "application/json", "Authorization": signature}


def send_verification(engine: WebhookEngine, partner_id: int, url: str, payload: bytes,
                      headers: dict[str, str]) -> Attempt | None:
    """Send it now, once, and wait for the answer (None if no attempt ended in time). Never call
    this holding the store lock: the request waits for the engine's dispatcher."""
    done = threading.Event()
    outcome: list[Attempt] = []

    def finished(delivery: Delivery, attempt: Attempt) -> None:
        outcome.append(attempt)
        done.set()

    # Its own policy: no retry (the caller answers at once), and it feeds neither the health
    # statistics nor the lost pushes.
    policy = Policy("shopee-verification", timeout=TIMEOUT, retry_delays=(), on_attempt=finished)
    engine.enqueue("shopee", url, payload, headers, event=M.CODE_NAMES[M.VERIFICATION],
                   meta={"partner_id": partner_id, "shop_id": None, "code": M.VERIFICATION}, policy=policy)
    with run_gate.released():  # the receiver may call the sandbox while it verifies
        done.wait(TIMEOUT + VERIFY_GRACE)
    return outcome[0] if outcome else None
