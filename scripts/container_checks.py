"""The checks scripts/container-smoke runs against a shop-sandbox container from the host: waiting
for it to answer, one real call per platform (signed Shopee, 1shop's rate limit, a SHOPLINE
delivery to a receiver on the host), load while it stops, and the console lines it printed.

    python scripts/container_checks.py wait URL --since EPOCH [--timeout S]
    python scripts/container_checks.py platforms URL [--secrets-out F]
    python scripts/container_checks.py world URL --dir DIR
    python scripts/container_checks.py state URL --file F [--check]
    python scripts/container_checks.py load URL --signal-file F --ready-file F [--connections N] [--delay-ms MS]
    python scripts/container_checks.py logs text|json [--secrets F] < podman-logs-output
    python scripts/container_checks.py sample text|json < podman-logs-output

Each prints what it measured and exits 1, with the reason on stderr, when a check fails. It needs
the package installed on the host (the webhook inbox, the admin client); the platform calls are
made by hand (signature included), so they prove the container, not this package's own clients.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import http.client
import json
import os
import sys
import threading
import time
from typing import Any
from urllib.parse import urlencode, urlsplit

from mockserver.clients.admin import AdminClient
from mockserver.testing import WebhookInbox

ORDER_LIST = "/api/v2/order/get_order_list"
IN_APP_MARGIN = 0.15  # seconds; the load's latency fault holds each call 0.3 s by default


class CheckFailed(Exception):
    """A check did not hold; the message says what was seen."""


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def _get(url: str, path: str, query: dict[str, Any], timeout: float = 10.0) -> tuple[int, dict[str, str], bytes]:
    """One GET on a connection of its own (closed after the answer)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request("GET", f"{path}?{urlencode(query)}", headers={"Connection": "close"})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


# ---- wait -------------------------------------------------------------------------------------------
def wait(url: str, since: float, timeout: float) -> float:
    """Seconds from `since` (the moment `podman run` was started) until GET /_sandbox/health is ok."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            status, _, body = _get(url, "/_sandbox/health", {}, timeout=2.0)
            if status == 200 and json.loads(body).get("status") == "ok":
                return time.time() - since
        except (OSError, ValueError, http.client.HTTPException):
            pass
        if time.monotonic() > deadline:
            raise CheckFailed(f"{url}/_sandbox/health did not answer ok within {timeout:g}s")
        time.sleep(0.02)


# ---- platforms --------------------------------------------------------------------------------------
def shopee_query(shopee: dict[str, Any], path: str, timestamp: int) -> dict[str, Any]:
    """The common parameters of a Shopee v2 shop API call, signed with the partner key:
    HMAC-SHA256 over partner_id + path + timestamp + access_token + shop_id, lowercase hex."""
    base = f"{shopee['partner_id']}{path}{timestamp}{shopee['access_token']}{shopee['shop_id']}"
    sign = hmac.new(shopee["partner_key"].encode(), base.encode(), hashlib.sha256).hexdigest()
    return {"partner_id": shopee["partner_id"], "timestamp": timestamp, "access_token": shopee["access_token"],
            "shop_id": shopee["shop_id"], "sign": sign}


def order_list_query(shopee: dict[str, Any], now: int) -> dict[str, Any]:
    return {**shopee_query(shopee, ORDER_LIST, now), "time_range_field": "create_time",
            "time_from": now - 14 * 86400, "time_to": now, "page_size": 20}


def check_shopee(url: str, shopee: dict[str, Any]) -> str:
    status, _, body = _get(url, ORDER_LIST, order_list_query(shopee, int(time.time())))
    answer = json.loads(body)
    expect(status == 200 and not answer.get("error"), f"signed get_order_list: HTTP {status} {body[:300]!r}")
    orders = answer["response"]["order_list"]
    expect(len(orders) > 0, f"signed get_order_list: no orders in the default world: {body[:300]!r}")
    # The same call with one character of the signature changed is refused: the signature is checked.
    query = order_list_query(shopee, int(time.time()))
    query["sign"] = ("0" if query["sign"][0] != "0" else "1") + query["sign"][1:]
    status, _, body = _get(url, ORDER_LIST, query)
    expect(status == 403 and json.loads(body).get("error") == "error_sign",
           f"get_order_list with a wrong sign: HTTP {status} {body[:300]!r}")
    return f"Shopee: signed get_order_list -> 200, {len(orders)} orders; a wrong sign -> 403 error_sign"


def check_oneshop(url: str, oneshop: dict[str, Any]) -> str:
    limit = oneshop["rate_limit"]["limit"]
    query = {"appid": oneshop["appid"], "secret": oneshop["secret"], "page": 1, "progress_status": "all",
             "payment_status": "all", "logistic_status": "all"}
    for number in range(1, limit + 1):
        status, _, body = _get(url, "/v1/order", query)
        expect(status == 200 and json.loads(body).get("success") == 0,
               f"1shop request {number} of {limit}: HTTP {status} {body[:300]!r}")
    status, headers, body = _get(url, "/v1/order", query)
    expect(status == 429 and json.loads(body).get("success") == -9999 and "retry-after" in headers,
           f"1shop request {limit + 1}: expected 429 {{\"success\": -9999}} with Retry-After, got HTTP "
           f"{status} {headers} {body[:300]!r}")
    return f"1shop: {limit} requests -> 200, request {limit + 1} -> 429 success -9999, Retry-After {headers['retry-after']}"


def check_shopline(url: str, shopline: dict[str, Any], admin: AdminClient) -> str:
    """A global-flavour subscription made through SHOPLINE's own API, then a delivery that must reach
    a receiver on the host, signed with the shop's app secret over the raw body."""
    shop = shopline["global"]
    with WebhookInbox(host="127.0.0.1") as inbox:
        api = urlsplit(shop["api_base"]).path
        parts = urlsplit(url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        try:
            payload = json.dumps({"webhook": {"address": inbox.url_for("/shopline-global"), "topic": "orders/updated",
                                              "api_version": shop["api_version"]}})
            connection.request("POST", f"{api}/webhooks.json", body=payload,
                               headers={"Authorization": f"Bearer {shop['access_token']}",
                                        "Content-Type": "application/json"})
            response = connection.getresponse()
            created = response.read()
        finally:
            connection.close()
        expect(response.status == 200, f"SHOPLINE POST webhooks.json: HTTP {response.status} {created[:300]!r}")
        admin.post("/shopline/trigger", {"topic": "orders/updated", "flavour": "global"})
        admin.flush()
        try:
            delivery, = inbox.wait_for(1, timeout=15)
        except Exception as exc:  # noqa: BLE001 - any failure here is the check failing
            raise CheckFailed(f"SHOPLINE delivery did not reach the receiver on the host: {exc}") from None
    signature = delivery.header("X-Shopline-Hmac-Sha256") or ""
    digest = hmac.new(shop["app_secret"].encode(), delivery.body, hashlib.sha256)
    expect(signature in (digest.hexdigest(), base64.b64encode(digest.digest()).decode()),
           f"SHOPLINE delivery: X-Shopline-Hmac-Sha256 {signature!r} is not the HMAC of the body")
    return (f"SHOPLINE: global orders/updated subscribed through webhooks.json, delivered to the host "
            f"receiver ({len(delivery.body)} bytes, X-Shopline-Hmac-Sha256 verified)")


def platforms(url: str, secrets_out: str | None) -> list[str]:
    admin = AdminClient(url)
    admin.reset()
    credentials = admin.credentials()
    if secrets_out:  # for `logs`: what the request lines must not show in full
        with open(secrets_out, "w") as out:
            json.dump([credentials["shopee"]["access_token"], credentials["oneshop"]["secret"]], out)
    return [check_shopee(url, credentials["shopee"]), check_oneshop(url, credentials["oneshop"]),
            check_shopline(url, credentials["shopline"], admin)]


# ---- a mounted world directory ----------------------------------------------------------------------
def world(url: str, directory: str) -> list[str]:
    """The container was started with DIR mounted at /world: the first Shopee partner and shop of its
    files work at once with their fixed key and access token (no reset, no credentials read), and
    again after a reset; the first 1shop account's appid/secret too."""
    import glob

    import yaml

    shopee_world: dict[str, Any] = {}
    oneshop_world: dict[str, Any] = {}
    for path in sorted(glob.glob(os.path.join(directory, "*.y*ml")) + glob.glob(os.path.join(directory, "*.json"))):
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
        shopee_world.setdefault("partners", []).extend(data.get("shopee", {}).get("partners", []))
        shopee_world.setdefault("shops", []).extend(data.get("shopee", {}).get("shops", []))
        oneshop_world.setdefault("accounts", []).extend(data.get("oneshop", {}).get("accounts", []))
    partner, shop = shopee_world["partners"][0], shopee_world["shops"][0]
    grant = shop["authorised_partners"][0]
    fixed = {"partner_id": partner["partner_id"], "partner_key": partner["partner_key"], "shop_id": shop["shop_id"],
             "access_token": grant["access_token"]}
    account = oneshop_world["accounts"][0]
    seen = []
    for when in ("at once", "after a reset"):
        if when == "after a reset":
            AdminClient(url).reset()
        status, _, body = _get(url, "/api/v2/shop/get_shop_info",
                               shopee_query(fixed, "/api/v2/shop/get_shop_info", int(time.time())))
        answer = json.loads(body)
        expect(status == 200 and not answer.get("error") and answer.get("region") == shop.get("region", "TW"),
               f"Shopee get_shop_info with the world file's key and token ({when}): HTTP {status} {body[:300]!r}")
        status, _, body = _get(url, "/v1/order", {"appid": account["appid"], "secret": account["secret"], "page": 1,
                                                 "progress_status": "all", "payment_status": "all",
                                                 "logistic_status": "all"})
        expect(status == 200 and json.loads(body).get("success") == 0,
               f"1shop with the world file's appid/secret ({when}): HTTP {status} {body[:300]!r}")
        seen.append(when)
    return [f"world: Shopee shop {shop['shop_id']} answered partner {partner['partner_id']}'s signed call with the "
            f"file's access token, and 1shop account {account['appid']} its own, {' and '.join(seen)}"]


# ---- a world kept in /state across containers ------------------------------------------------------
def state(url: str, file: str, check: bool) -> list[str]:
    """Without --check: a new shop authorised to the default partner, written to FILE. With it (a
    new container on the same /state volume): that shop and its access token still answer."""
    admin = AdminClient(url)
    if not check:
        shopee = admin.credentials()["shopee"]
        made = admin.post("/shopee/shops", {"region": "TW", "authorize_partner_id": shopee["partner_id"]})
        kept = {**{k: shopee[k] for k in ("partner_id", "partner_key")},
                "shop_id": made["shop_id"], "access_token": made["access_token"]}
        with open(file, "w", encoding="utf-8") as handle:
            json.dump(kept, handle)
        return [f"state: made shop {made['shop_id']} (saved on SIGTERM to /state)"]
    with open(file, encoding="utf-8") as handle:
        kept = json.load(handle)
    status, _, body = _get(url, "/api/v2/shop/get_shop_info",
                           shopee_query(kept, "/api/v2/shop/get_shop_info", int(time.time())))
    expect(status == 200 and not json.loads(body).get("error"),
           f"the shop made before the restart, with its token: HTTP {status} {body[:300]!r}")
    return [f"state: shop {kept['shop_id']} and its access token answered after the restart"]


# ---- load while the container stops -----------------------------------------------------------------
class Load:
    """`connections` clients sending signed get_order_list calls back to back, one TCP connection per
    request, until the server refuses connections (it has stopped) or `limit` seconds pass."""

    def __init__(self, url: str, shopee: dict[str, Any], connections: int, limit: float, ready_file: str) -> None:
        self.url = url
        self.shopee = shopee
        self.connections = connections
        self.deadline = time.monotonic() + limit
        self.lock = threading.Lock()
        self.records: list[tuple[float, float, str]] = []  # (sent, finished, outcome) in time.time()
        self.ready_file = ready_file

    def _one(self) -> str:
        parts = urlsplit(self.url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        try:
            try:
                connection.connect()
            except ConnectionRefusedError:
                return "refused"
            query = order_list_query(self.shopee, int(time.time()))
            try:
                connection.request("GET", f"{ORDER_LIST}?{urlencode(query)}", headers={"Connection": "close"})
                response = connection.getresponse()
                body = response.read()
            except (ConnectionError, http.client.HTTPException, TimeoutError) as exc:
                return f"cut:{type(exc).__name__}"
            if response.status == 200 and b'"error":""' in body.replace(b" ", b""):
                return "ok"
            return f"http:{response.status}"
        finally:
            connection.close()

    def _worker(self) -> None:
        while time.monotonic() < self.deadline:
            sent = time.time()
            outcome = self._one()
            with self.lock:
                self.records.append((sent, time.time(), outcome))
                if len(self.records) == self.connections:  # every client is in its loop: SIGTERM may come
                    open(self.ready_file, "w").close()
            if outcome == "refused":
                return

    def run(self, signal_file: str) -> dict[str, Any]:
        threads = [threading.Thread(target=self._worker, daemon=True) for _ in range(self.connections)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        signalled = float(open(signal_file).read().strip()) if os.path.exists(signal_file) else None
        expect(signalled is not None, f"load: no SIGTERM time in {signal_file}: the server stopped on its own")
        summary: dict[str, int] = {}
        for _, _, outcome in self.records:
            summary[outcome] = summary.get(outcome, 0) + 1
        in_flight = [r for r in self.records if r[0] < signalled < r[1]]
        # Sent this long before the signal, a request is surely inside the app (held there by the
        # latency fault): the drain must let it finish. One sent just before may still sit in the
        # listener's queue or be unread, and be reset when the listener closes.
        in_app = [r for r in in_flight if r[0] < signalled - IN_APP_MARGIN]
        return {"requests": len(self.records), "outcomes": summary, "in_flight_at_sigterm": len(in_flight),
                "in_flight_answered": sum(1 for r in in_flight if r[2] == "ok"),
                "in_flight_cut": sum(1 for r in in_flight if r[2].startswith("cut")),
                "in_flight_cut_in_app": sum(1 for r in in_app if r[2] != "ok"),
                "last_answer_after_sigterm_s": round(max((r[1] for r in self.records if r[2] == "ok"),
                                                         default=signalled) - signalled, 3)}


def load(url: str, signal_file: str, ready_file: str, connections: int, delay_ms: int) -> dict[str, Any]:
    admin = AdminClient(url)
    admin.reset()
    if delay_ms:
        # Every call stays in the app this long, so the SIGTERM surely finds requests in flight.
        admin.post("/faults", {"path": ORDER_LIST, "delay_ms": delay_ms, "times": None})
    shopee = admin.credentials()["shopee"]
    return Load(url, shopee, connections, limit=60, ready_file=ready_file).run(signal_file)


# ---- console lines ----------------------------------------------------------------------------------
def logs(fmt: str, text: str, secrets: list[str]) -> list[str]:
    """The request lines the platform checks must have left on the console, in either format, with
    no secret of theirs in full (the start banner shows the credentials on purpose)."""
    lines = [line for line in text.splitlines() if line.strip()]
    expect(bool(lines), "podman logs printed nothing")
    wanted = [("shopee", ORDER_LIST, 200), ("shopee", ORDER_LIST, 403), ("oneshop", "/v1/order", 429)]
    if fmt == "json":
        records = []
        for line in lines:
            try:
                records.append(json.loads(line))
            except ValueError:
                raise CheckFailed(f"--log-format json printed a line that is not JSON: {line[:200]!r}") from None
        requests = [r for r in records if r.get("kind") == "request"]
        for platform, path, status in wanted:
            expect(any(r.get("platform") == platform and r.get("path") == path and r.get("status") == status
                       for r in requests), f"no JSON request line for {platform} {path} -> {status}")
        request_lines = [json.dumps(r, ensure_ascii=False) for r in requests]
        expect(any(r.get("kind") == "webhook" and r.get("platform") == "shopline-global" and r.get("ok")
                   for r in records), "no JSON webhook line for the SHOPLINE delivery")
    else:
        request_lines = [line for line in lines if " -> " in line]
        for platform, path, status in wanted:
            expect(any(platform in line and path in line and f"-> {status}" in line for line in request_lines),
                   f"no text request line for {platform} {path} -> {status}")
        expect(any("shopline-global webhook orders/updated" in line and ": 200 " in line for line in lines),
               "no text webhook line for the SHOPLINE delivery")
    shown = [line for line in request_lines if any(secret in line for secret in secrets)]
    expect(not shown, f"a request line shows a secret unmasked: {shown[:1]}")
    return [f"{len(lines)} console lines ({fmt}), {len(request_lines)} request lines, "
            f"shopee 200/403, oneshop 429 and the SHOPLINE webhook among them, secrets masked"]


def sample(fmt: str, text: str) -> list[str]:
    """A few console lines to show: the start, one request line per platform and outcome, a webhook
    attempt, the stop."""
    picks: list[tuple[str, ...]] = [("listening",), ("shopee", " -> 200"), ("shopee", " -> 403"),
                                    ("oneshop", " -> 200"), ("oneshop", " -> 429"), ("shopline", "webhooks.json -> "),
                                    (" webhook ", " attempt "), ("SIGTERM",), ("stopped",)]
    if fmt == "json":
        picks = [('"kind": "started"',), ('"platform": "shopee"', '"status": 200'),
                 ('"platform": "shopee"', '"status": 403'), ('"platform": "oneshop"', '"status": 429'),
                 ('"kind": "request"', '"platform": "shopline"'), ('"kind": "webhook"',), ('"kind": "stopping"',),
                 ('"kind": "stopped"',)]
    lines = text.splitlines()
    chosen = []
    for words in picks:
        line = next((line for line in lines if all(w in line for w in words) and line not in chosen), None)
        if line is not None:
            chosen.append(line)
    # The JSON start line carries every credential: shorten it for the sample.
    return [line if len(line) <= 400 else line[:400] + " ..." for line in sorted(chosen, key=lines.index)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("wait")
    p.add_argument("url")
    p.add_argument("--since", type=float, required=True)
    p.add_argument("--timeout", type=float, default=60)
    p = sub.add_parser("platforms")
    p.add_argument("url")
    p.add_argument("--secrets-out", default=None)
    p = sub.add_parser("world")
    p.add_argument("url")
    p.add_argument("--dir", required=True, help="the directory mounted at /world")
    p = sub.add_parser("state")
    p.add_argument("url")
    p.add_argument("--file", required=True, help="where the shop made is written, and read with --check")
    p.add_argument("--check", action="store_true", help="check the shop written before is still there")
    p = sub.add_parser("load")
    p.add_argument("url")
    p.add_argument("--signal-file", required=True, help="where the SIGTERM's time.time() is written")
    p.add_argument("--ready-file", required=True, help="created once every client had an answer")
    p.add_argument("--connections", type=int, default=10)
    p.add_argument("--delay-ms", type=int, default=300)
    p = sub.add_parser("logs")
    p.add_argument("format", choices=("text", "json"))
    p.add_argument("--secrets", default=None, help="a JSON list of secrets (from platforms --secrets-out)")
    p = sub.add_parser("sample")
    p.add_argument("format", choices=("text", "json"))
    args = parser.parse_args(argv)
    try:
        if args.command == "wait":
            print(f"{wait(args.url, args.since, args.timeout):.2f}")
        elif args.command == "platforms":
            for line in platforms(args.url, args.secrets_out):
                print("  ok: " + line)
        elif args.command == "world":
            for line in world(args.url, args.dir):
                print("  ok: " + line)
        elif args.command == "state":
            for line in state(args.url, args.file, args.check):
                print("  ok: " + line)
        elif args.command == "load":
            print(json.dumps(load(args.url, args.signal_file, args.ready_file, args.connections, args.delay_ms)))
        elif args.command == "sample":
            for line in sample(args.format, sys.stdin.read()):
                print("    " + line)
        else:
            secrets = json.load(open(args.secrets)) if args.secrets else []
            for line in logs(args.format, sys.stdin.read(), secrets):
                print("  ok: " + line)
    except CheckFailed as exc:
        print(f"container check failed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
