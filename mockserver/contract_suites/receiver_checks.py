"""The checks every webhook-receiver suite runs, whatever the platform: the sandbox's deliveries
answered in time on the first attempt, each event processed once, duplicates acknowledged and
ignored, forgeries refused, out-of-order events accepted with the newest winning."""
from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

from mockserver.contract_suites.receiver_common import (
    Answer,
    Current,
    Drawer,
    Flavour,
    ProcessedLedger,
    Webhook,
    grew,
    post,
    shorten,
)
from mockserver.contract_suites.receiver_report import ReceiverReport

DUPLICATES_PER_BATCH = 2  # replays and as many re-POSTs, drawn from each batch's deliveries
LOG_LIMIT = 1000  # the admin API's largest page of deliveries


class ReceiverRun:
    """One suite run against one receiver URL: the report, the ledger, and the checks."""

    def __init__(self, sandbox: Any, url: str, flavour: Flavour, ledger: ProcessedLedger,
                 current: Current | None, report: ReceiverReport) -> None:
        self.sandbox = sandbox
        self.url = url
        self.flavour = flavour
        self.ledger = ledger
        self.current = current
        self.report = report
        self._seen: set[str] = set()

    # ---- the sandbox's deliveries ------------------------------------------------------------------
    def _mine(self) -> list[dict[str, Any]]:
        found = self.sandbox.deliveries(platform=self.flavour.platform, target=self.url, limit=LOG_LIMIT)
        # target matches a prefix: /shopline must not take /shopline2's deliveries.
        return [d for d in found if d["url"] == self.url or d["url"][len(self.url):][:1] in ("?", "&")
                and d["url"].startswith(self.url)]

    def mark_seen(self) -> None:
        """Deliveries already in the log and bodies processed() already holds are not this run's."""
        self._seen.update(d["id"] for d in self._mine())
        self.ledger.start()

    def collect(self) -> list[tuple[Webhook, bool]]:
        """Flush, then check every new delivery: delivered on its first attempt, in time, with an empty
        body where the platform asks for one. Returns (webhook, delivered) sorted by subject and body,
        so Hypothesis' choices among them do not depend on arrival order."""
        self.sandbox.flush()
        batch = []
        for summary in self._mine():
            if summary["id"] in self._seen:
                continue
            self._seen.add(summary["id"])
            view = self.sandbox.admin.get(f"/deliveries/{summary['id']}")
            body = base64.b64decode(view["body_base64"]) if "body_base64" in view else view["body"].encode("utf-8")
            webhook = Webhook("", view["url"], dict(view["headers"]), body, view["id"])
            try:
                document = webhook.document()
            except ValueError:
                document = None
            if document is not None and self.flavour.ignored(document):
                continue
            webhook = webhook.replace(subject=self.flavour.subject(webhook))
            batch.append((webhook, self._check_delivery(webhook, view)))
        return sorted(batch, key=lambda item: (item[0].subject, item[0].body))

    def _check_delivery(self, webhook: Webhook, view: dict[str, Any]) -> bool:
        flavour, report = self.flavour, self.report
        attempts = view.get("attempts") or []
        sent = webhook.describe(flavour.shown_headers)
        if not attempts:
            return report.add("delivered", webhook.subject, False, sent=sent, expected="one attempt after flush",
                              got=f"no attempt yet (status {view['status']})")
        answer = Answer.of_attempt(attempts[0])
        report.delivered_in(webhook.subject, answer.latency_ms)
        ok = report.add("delivered", webhook.subject, bool(attempts[0].get("ok")), sent=sent,
                        expected=f"2xx within {flavour.timeout:g} s on the first attempt",
                        got=answer.describe(flavour.timeout) + f"; delivery status {view['status']}")
        if ok and flavour.empty_body:
            self.check_empty_body(webhook, answer)
        return ok

    def check_empty_body(self, webhook: Webhook, answer: Answer, name: str = "empty_body") -> bool:
        return self.report.add(name, webhook.subject, answer.body == "",
                               sent=webhook.describe(self.flavour.shown_headers),
                               expected="a 2xx with an empty body", got=answer.describe(self.flavour.timeout))

    # ---- processed() ---------------------------------------------------------------------------------
    def check_processed(self, batch: Sequence[tuple[Webhook, bool]]) -> None:
        """Each delivered event processed exactly once (a failed delivery: at most once)."""
        keys = []
        for webhook, delivered in batch:
            document = webhook.document()
            if delivered:
                keys.append((webhook, self.ledger.expect(document, self.flavour.identity(webhook))))
            else:
                self.ledger.allow(document)
        counts = self.ledger.wait_for([k for _, k in keys])
        for webhook, key in keys:
            want, held = self.ledger.wanted(key), counts[key]
            self.report.add("processed_once", webhook.subject, held == want,
                            sent=webhook.describe(self.flavour.shown_headers),
                            expected=f"processed() holds this body {want} time(s)", got=f"{held} time(s)")
        self.check_nothing_unexpected(counts)

    def check_nothing_unexpected(self, counts: Any) -> None:
        for key in self.ledger.unexpected(counts):
            self.report.add("processed_unexpected", "processed()", False, expected="only bodies the platform sent",
                            got=f"a body no valid delivery carried: {shorten(key, 200)}")

    # ---- duplicates ------------------------------------------------------------------------------------
    def check_duplicates(self, batch: Sequence[tuple[Webhook, bool]], drawer: Drawer) -> None:
        """Replays (the sandbox resends the delivery) and re-POSTs of identical bytes and headers: a
        2xx, so the platform stops retrying, and processed() unchanged."""
        delivered = [w for w, ok in batch if ok]
        if not delivered:
            return
        chosen = drawer.permutation(delivered)[:DUPLICATES_PER_BATCH]
        for webhook in chosen:
            self._duplicate(webhook, "duplicate/replay")
            self._duplicate(webhook, "duplicate/repost")

    def _duplicate(self, webhook: Webhook, name: str) -> None:
        before = self.ledger.counts()
        if name == "duplicate/replay":
            view = self.sandbox.admin.post(f"/deliveries/{webhook.delivery_id}/replay")
            answer = Answer.of_attempt(view["attempts"][-1])
            how = f"POST /_sandbox/deliveries/{webhook.delivery_id}/replay (the sandbox resends it)"
        else:
            answer = self.send(webhook)
            how = "the same bytes and headers again: " + webhook.describe(self.flavour.shown_headers)
        growth = grew(before, self.ledger.counts())
        ok = answer.two_xx and not growth
        got = answer.describe(self.flavour.timeout) + (f"; {growth}" if growth else "; processed() unchanged")
        self.report.add(name, webhook.subject, ok, sent=how, got=got,
                        expected=f"2xx within {self.flavour.timeout:g} s and processed() unchanged")
        if answer.two_xx and self.flavour.empty_body:
            self.check_empty_body(webhook, answer)

    # ---- forgeries -------------------------------------------------------------------------------------
    def check_forgeries(self, batch: Sequence[tuple[Webhook, bool]], drawer: Drawer) -> None:
        """Each forgery kind once, on a webhook drawn from the batch: non-2xx, processed() unchanged."""
        if not batch:
            return
        base = drawer.pick([w for w, _ in batch])
        for kind, forged, change in self.flavour.forgeries(base, drawer):
            before = self.ledger.counts()
            answer = self.send(forged)
            after = self.ledger.counts()
            growth = grew(before, after)
            self.ledger.reported.update(after - before)  # reported here, not again as unexpected
            answered = answer.status is not None and answer.error is None
            if answered and not answer.two_xx:
                self.report.rejections[answer.status] += 1
            ok = answered and not answer.two_xx and not growth
            got = answer.describe(self.flavour.timeout) + (f"; {growth}" if growth else "")
            self.report.add(f"forged/{kind}", base.subject, ok,
                            sent=f"{change}: {forged.describe(self.flavour.shown_headers)}",
                            expected="a non-2xx answer (401 or 403) and processed() unchanged", got=got)

    # ---- out of order ----------------------------------------------------------------------------------
    def check_out_of_order(self, events: Sequence[Webhook], send_order: Sequence[int], key: str,
                           statuses: Sequence[str]) -> None:
        """events: one resource's webhooks, oldest first, with their statuses; sent in send_order (the
        newest not last). Each must get a 2xx; the newest is processed once; with current(), the
        receiver holds the newest status."""
        newest = events[-1]
        story = ", ".join(f"{statuses[i]} (event {i + 1} of {len(events)})" for i in send_order)
        before = self.ledger.counts()
        for index in send_order:
            webhook = events[index]
            answer = self.send(webhook)
            self.report.add("out_of_order/accepted", webhook.subject, answer.two_xx,
                            sent=f"{key}: sent {story}; this one: {webhook.describe(self.flavour.shown_headers)}",
                            expected=f"2xx within {self.flavour.timeout:g} s",
                            got=answer.describe(self.flavour.timeout))
            if answer.two_xx and self.flavour.empty_body:
                self.check_empty_body(webhook, answer)
        for webhook in events[:-1]:
            self.ledger.allow(webhook.document())  # acting on a stale event is the receiver's choice
        newest_key = self.ledger.expect(newest.document(), self.flavour.identity(newest))
        counts = self.ledger.wait_for([newest_key])
        self.report.add("out_of_order/newest_processed", newest.subject, counts[newest_key] - before[newest_key] == 1,
                        sent=f"{key}: sent {story}", expected=f"the newest event ({statuses[-1]}) processed once",
                        got=f"{counts[newest_key] - before[newest_key]} time(s)")
        self.check_nothing_unexpected(counts)
        if self.current is not None:
            held = self.current(key)
            self.report.add("out_of_order/current", newest.subject, held == statuses[-1], sent=f"{key}: sent {story}",
                            expected=f"current({key!r}) == {statuses[-1]!r} (the newest)", got=repr(held))

    # ---- sending -----------------------------------------------------------------------------------------
    def send(self, webhook: Webhook) -> Answer:
        """POST as the engine does, with the platform's deadline; the time goes into the report."""
        answer = post(webhook, self.flavour.timeout)
        self.report.direct_ms.append(answer.latency_ms)
        return answer

    def exercise(self, drawer: Drawer) -> list[tuple[Webhook, bool]]:
        """Flush and run every batch check on what the sandbox just sent."""
        batch = self.collect()
        self.check_processed(batch)
        self.check_duplicates(batch, drawer)
        self.check_forgeries(batch, drawer)
        return batch
