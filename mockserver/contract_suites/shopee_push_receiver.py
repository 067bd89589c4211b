"""ShopeePushReceiverSuite: the contract of a Shopee push (webhook) receiver, checked against the
sandbox. It subscribes the receiver (the verification push, code 0), makes the sandbox send every
subscribed push code with its real signature, then replays, forges and reorders pushes.

    with serve_wsgi(receiver.wsgi_app) as url:
        ShopeePushReceiverSuite(shop_sandbox, shopee_shop).run(url, processed=lambda: receiver.events)

Shopee documents no push id: a resend carries the same body, so the suite takes a push's identity
to be its body (code, shop_id, timestamp and data together); see docs/fidelity.md.
"""
from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from mockserver.contract_suites.receiver_checks import ReceiverRun
from mockserver.contract_suites.receiver_common import (
    Answer,
    Current,
    Drawer,
    Processed,
    ProcessedLedger,
    SeededDrawer,
    Webhook,
    explore,
    key_of,
    leaf_paths,
    path_text,
    reordered,
    tampered,
)
from mockserver.contract_suites.receiver_report import ReceiverReport
from mockserver.plugin.platforms import SHOPEE_PUSH_CODES
from mockserver.shopee import push_events
from mockserver.shopee import push_model as M

DAY = 86400
# Code 12 goes out 7 days before an authorisation (365 days) expires: 358 days on, plus an hour so
# every authorisation made since the test began is covered.
EXPIRY_ADVANCE = 358 * DAY + 3600
SHIPPABLE = ("READY_TO_SHIP", "RETRY_SHIP")
# An order's way forward; a walk takes the next of these three times in four, and any other allowed
# event (a cancellation, a failed pickup, a return) otherwise, so walks reach the later statuses.
FORWARD = ("ship", "pay", "issue_invoice", "pickup", "deliver", "confirm_receive", "complete")
OTHER_CALLBACK = "https://receiver.example/shopee/push"  # "signed for another callback URL"


def status_push(shop_id: int, order_sn: str, status: str, at: int) -> dict[str, Any]:
    """A code 3 body as Shopee (and push_events.Pusher) sends it when an order enters `status` at `at`."""
    return {"data": {"items": [], "ordersn": order_sn, "status": status, "completed_scenario": "",
                     "update_time": at}, "shop_id": shop_id, "code": 3, "timestamp": at}


def callback_url(url: str) -> str:
    """The URL subscribed (and signed over): a URL without a path gets "/", which HTTP sends anyway,
    so a receiver rebuilding its URL from the request signs the same string."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/")) if not parts.path else url


class ShopeePushFlavour:
    """Shopee's push rules for the shared checks: Authorization header, 3 s, empty 2xx body."""

    title = "Shopee push receiver"
    platform = "shopee"
    timeout = push_events.TIMEOUT
    shown_headers = ("Authorization",)

    def __init__(self, url: str, partner_key: str, entry: M.PartnerPush, empty_body: bool) -> None:
        self.url = url
        self.partner_key = partner_key
        self.entry = entry
        self.empty_body = empty_body

    def subject(self, webhook: Webhook) -> str:
        code = webhook.document().get("code")
        return f"code {code} {M.CODE_NAMES.get(code, 'unknown')}"

    def identity(self, webhook: Webhook) -> str:
        return key_of(webhook.document())

    def ignored(self, document: Any) -> bool:
        return isinstance(document, dict) and document.get("code") == M.VERIFICATION

    def sign(self, body: bytes, *, url: str | None = None, key: str | None = None) -> str:
        """The Authorization header by the sandbox's own rule (push_events.authorization), in the
        app's signing mode; key replaces the partner key (or push key) to forge."""
        entry, partner_key = self.entry, self.partner_key
        if key is not None:
            if entry.signing == M.SIGN_BODY:
                entry = replace(entry, push_key=key)
            else:
                partner_key = key
        return push_events.authorization(entry, partner_key, url or self.url, body)

    def webhook(self, document: dict[str, Any]) -> Webhook:
        body = push_events.encode(document)
        return Webhook("", self.url, {"Content-Type": "application/json", "Authorization": self.sign(body)}, body)

    def forgeries(self, webhook: Webhook, drawer: Drawer) -> list[tuple[str, Webhook, str]]:
        document = webhook.document()
        headers = {k: v for k, v in webhook.headers.items() if k.lower() != "authorization"}
        random_hex = drawer.token(32)
        path = drawer.pick(leaf_paths(document))
        forged = [
            ("wrong_signature", webhook.replace(headers={**headers, "Authorization": random_hex}),
             "Authorization replaced by 64 random hex digits"),
            ("missing_signature", webhook.replace(headers=headers), "no Authorization header"),
            ("tampered_body", webhook.replace(body=push_events.encode(tampered(document, path))),
             f"body field {path_text(path)} changed, the original body's Authorization kept"),
            ("other_key", webhook.replace(headers={**headers, "Authorization": self.sign(webhook.body,
                                                                                         key=drawer.token(32))}),
             "signed the Shopee way with a key that is not the app's"),
        ]
        if self.entry.signing == M.SIGN_URL_AND_BODY:
            forged.append(("other_callback_url", webhook.replace(
                headers={**headers, "Authorization": self.sign(webhook.body, url=OTHER_CALLBACK)}),
                f"signed with the partner key over {OTHER_CALLBACK}|body (another app's callback URL)"))
        return forged


class ShopeePushReceiverSuite:
    """The Shopee push contract, checked on a receiver URL with a small adapter.

    codes: the push codes to subscribe and exercise (1 authorisation, 2 deauthorisation, 3 order
    status, 4 tracking number, 12 authorisation expiry; code 12 moves the sandbox clock 358 days
    forward, then back). max_examples: Hypothesis examples (each a few orders walked through random
    status changes, then duplicates, forgeries and an out-of-order pair). settle: seconds processed()
    may take to show a delivered push. require_empty_body: Shopee asks for a 2xx with an empty body.
    """

    def __init__(self, sandbox: Any, shop: Any, *, codes: Iterable[int] = SHOPEE_PUSH_CODES, max_examples: int = 5,
                 settle: float = 1.0, require_empty_body: bool = True, seed: int = 0) -> None:
        self.sandbox = sandbox
        self.shop = shop
        self.codes = tuple(sorted(set(codes)))
        unknown = sorted(set(self.codes) - set(SHOPEE_PUSH_CODES))
        if unknown:
            raise ValueError(f"push codes {unknown} are not sent by the sandbox; use some of {SHOPEE_PUSH_CODES}")
        self.max_examples = max_examples
        self.settle = settle
        self.require_empty_body = require_empty_body
        self.seed = seed
        self._seen_codes: set[int] = set()
        self._tracking_delay: int | None = None

    # ---- the run ---------------------------------------------------------------------------------
    def run(self, url: str, processed: Processed, current: Current | None = None, *,
            raise_on_failure: bool = True) -> ReceiverReport:
        """Check the receiver at url. processed(): the push bodies (parsed JSON) it acted on, after its
        own de-duplication; current(order_sn) (optional): the order status it holds now. Returns the
        report; raises ReceiverContractError listing every failed check unless raise_on_failure=False."""
        url = callback_url(url)
        self._seen_codes = set()
        entry = self._push_entry()
        flavour = ShopeePushFlavour(url, self.shop.partner_key, entry, self.require_empty_body)
        report = ReceiverReport(flavour.title, url, timeout=flavour.timeout)
        run = ReceiverRun(self.sandbox, url, flavour, ProcessedLedger(processed, flavour.ignored, self.settle),
                          current, report)
        run.mark_seen()
        if self._subscribe(run):
            report.examples = explore(lambda drawer, index: self._example(run, drawer, index), self.max_examples)
            self._cover(run)
            if 12 in self.codes:
                self._expiry(run)
            for code in self.codes:
                report.add("coverage", f"code {code} {M.CODE_NAMES[code]}", code in self._seen_codes,
                           expected="the sandbox sent this code at least once", got="none was sent")
        return report.raise_for_failures() if raise_on_failure else report

    def _push_entry(self) -> M.PartnerPush:
        """The app's signing mode and push key, as the console shows them (admin API)."""
        view = self.sandbox.admin.get(f"/shopee/partners/{self.shop.partner_id}/push")
        return M.PartnerPush(self.shop.partner_id, (), signing=view["signing"], push_key=view["push_key"] or "")

    def _subscribe(self, run: ReceiverRun) -> bool:
        """set_app_push_config with the URL: Shopee first sends it the verification push (code 0)."""
        error = ""
        try:
            self.shop.subscribe_push(run.url, self.codes)
        except AssertionError as exc:
            error = str(exc)
        found = self.sandbox.deliveries(platform="shopee", event="verification", target=run.url, limit=1)
        attempts = self.sandbox.admin.get(f"/deliveries/{found[0]['id']}")["attempts"] if found else []
        answer = Answer.of_attempt(attempts[0]) if attempts else None
        got = answer.describe(run.flavour.timeout) if answer else "no verification push was sent"
        if answer is not None:
            run.report.delivered_in("code 0 verification", answer.latency_ms)
        return run.report.add("verification", "code 0 verification", not error,
                              sent="POST /api/v2/push/set_app_push_config",
                              expected="a 2xx within 3 s to the verification push (code 0)",
                              got=got + (f"; set_app_push_config refused: {error}" if error else ""))

    def _example(self, run: ReceiverRun, drawer: Drawer, index: int) -> None:
        if index == 0 and {1, 2} & set(self.codes):
            self._authorisation_events()
        if {3, 4} & set(self.codes):
            for _ in range(drawer.integer(1, 2)):
                self._journey(drawer)
        self._note_codes(run.exercise(drawer))
        if 3 in self.codes:
            self._out_of_order(run, drawer)

    def _cover(self, run: ReceiverRun) -> None:
        """Whatever code the examples happened not to cause, caused once on purpose."""
        missing = set(self.codes) - self._seen_codes - {12}
        if not missing:
            return
        if {3, 4} & missing:
            self._journey(None, script=("pay", "ship") if 4 in missing else ("pay",))
        if {1, 2} & missing:
            self._authorisation_events()
        self._note_codes(run.exercise(SeededDrawer(self.seed)))

    def _note_codes(self, batch: Sequence[tuple[Webhook, bool]]) -> None:
        self._seen_codes.update(w.document().get("code") for w, _ in batch)

    # ---- what makes the sandbox push -------------------------------------------------------------------
    def _authorisation_events(self) -> None:
        """Code 1: a new shop authorised to the partner; code 2: that shop deauthorised."""
        fields = {"region": self.shop.region, "authorize_partner_id": self.shop.partner_id}
        other = self.sandbox.admin.post("/shopee/shops", fields)
        self.sandbox.admin.post("/shopee/deauthorize", {"partner_id": self.shop.partner_id,
                                                         "shop_id": other["shop_id"]})

    def _journey(self, drawer: Drawer | None, script: Sequence[str] = ()) -> str:
        """A new order walked through status changes: drawn among the allowed ones, or scripted."""
        order_sn = self.shop.create_order(status="UNPAID")
        steps = drawer.integer(1, 6) if drawer is not None else len(script)
        for step in range(steps):
            view = self.shop.order(order_sn)
            actions = list(view["allowed_events"])
            if view["status"] in SHIPPABLE and any(not p.get("shipped_with") for p in view.get("packages", [])):
                actions.append("ship")
            forward = [a for a in FORWARD if a in actions]
            others = [a for a in actions if a not in forward]
            if drawer is None:
                if script[step] not in actions:
                    break
                action = script[step]
            elif not actions:
                break
            elif forward and (not others or drawer.integer(0, 3) > 0):
                action = forward[0]
            else:
                action = drawer.pick(others)
            if action == "ship":
                self._ship(order_sn)
            else:
                self.shop.event(order_sn, action)
        return order_sn

    def _ship(self, order_sn: str) -> None:
        """logistics/ship_order with what get_shipping_parameter offers; the 3PL's tracking number
        (code 4) follows at once or after the sandbox's tracking delay (the clock is moved)."""
        client = self.shop.client
        params = client.get("logistics/get_shipping_parameter", {"order_sn": order_sn}).json()
        offer = params.get("response") or {}
        needed = offer.get("info_needed") or {}
        if "pickup" in needed:
            address = offer["pickup"]["address_list"][0]
            how: dict[str, Any] = {"pickup": {"address_id": address["address_id"],
                                              "pickup_time_id": address["time_slot_list"][0]["pickup_time_id"]}}
        elif "dropoff" in needed:
            branch = {"branch_id": offer["dropoff"]["branch_list"][0]["branch_id"]} if needed["dropoff"] else {}
            how = {"dropoff": branch}
        else:
            how = {"non_integrated": {"tracking_number": f"SBX{order_sn}"}}
        answer = client.post("logistics/ship_order", {"order_sn": order_sn, **how})
        body = answer.json() if answer.body else {}
        if not answer.ok or body.get("error"):
            raise AssertionError(f"logistics/ship_order for {order_sn}: HTTP {answer.status} {body} "
                                 f"(get_shipping_parameter: {params})")
        if self._tracking_delay is None:
            self._tracking_delay = int(self.sandbox.admin.get("/shopee/settings")["tracking_delay_seconds"])
        if self._tracking_delay:
            self.sandbox.clock.advance(self._tracking_delay)

    def _expiry(self, run: ReceiverRun) -> None:
        """Code 12: the clock moved to 7 days before the authorisations expire, then put back."""
        state, started = self.sandbox.clock.state(), time.monotonic()
        self.sandbox.clock.advance(EXPIRY_ADVANCE)
        try:
            self._note_codes(run.exercise(SeededDrawer(self.seed + 12)))
        finally:
            elapsed = 0.0 if state["frozen"] else time.monotonic() - started
            self.sandbox.admin.clock(now=state["now_float"] + elapsed, freeze=state["frozen"])
        run.report.notes.append("code 12 came from moving the sandbox clock 358 days forward (and back after)")

    # ---- out of order ----------------------------------------------------------------------------------
    def _blocked(self) -> list[int]:
        answer = self.shop.client.get("push/get_app_push_config").json()
        return list((answer.get("response") or {}).get("blocked_shop_id") or [])

    def _set_blocked(self, shop_ids: list[int]) -> None:
        answer = self.shop.client.post("push/set_app_push_config", {"blocked_shop_id_list": shop_ids})
        body = answer.json() if answer.body else {}
        if not answer.ok or body.get("error"):
            raise AssertionError(f"push/set_app_push_config blocked_shop_id_list={shop_ids}: "
                                 f"HTTP {answer.status} {body}")

    def _out_of_order(self, run: ReceiverRun, drawer: Drawer) -> None:
        """An order's status pushes, the newest sent first: the shop's pushes are blocked while the
        order changes, then the suite sends what Shopee would have, signed, in a drawn order."""
        blocked = self._blocked()
        self._set_blocked(blocked + [self.shop.shop_id])
        try:
            order_sn = self.shop.create_order(status="UNPAID")
            view = self.shop.order(order_sn)
            states = [(view["status"], view["update_time"])]
            for _ in range(drawer.integer(1, 2)):
                if not view["allowed_events"]:
                    break
                self.sandbox.clock.advance(drawer.integer(1, 5))  # a later update_time for each change
                moved = self.shop.event(order_sn, drawer.pick(view["allowed_events"]))
                states.append((moved["status"], moved["update_time"]))
                view = self.shop.order(order_sn)
        finally:
            self._set_blocked(blocked)
        if len(states) < 2:
            return
        flavour: ShopeePushFlavour = run.flavour  # type: ignore[assignment]
        events = [flavour.webhook(status_push(self.shop.shop_id, order_sn, status, at))
                  for status, at in states]
        events = [e.replace(subject=flavour.subject(e)) for e in events]
        run.check_out_of_order(events, reordered(len(events), drawer), order_sn, [s for s, _ in states])

