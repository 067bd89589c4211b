"""`shop-sandbox trigger shopline <topic>`: send a SHOPLINE webhook from a running sandbox, like
`stripe trigger` / `shopify webhook trigger`.

It talks to the sandbox through the admin API only (POST /_sandbox/shopline/trigger, then
POST /_sandbox/deliveries/flush and GET /_sandbox/deliveries/<id>), prints each delivery's id and the
receiver's answer, and exits 0 when every delivery got a 2xx, 1 when one did not (or nothing was
sent), 2 when the sandbox refused the request or could not be reached.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
from datetime import UTC, datetime
from typing import Any

from mockserver.clients.admin import admin_headers

DEFAULT_URL = "http://127.0.0.1:8000"
# The flush waits for the first attempt of each delivery; SHOPLINE's timeouts are 15 s (Open API)
# and 5 s (global), and the engine bounds a flush at 60 s.
HTTP_TIMEOUT = 90.0


class SandboxError(Exception):
    """The sandbox answered an error, or did not answer."""


def add_parser(platforms: Any) -> None:
    """Add `shopline` under `shop-sandbox trigger`."""
    parser = platforms.add_parser("shopline", help="send a SHOPLINE webhook (Open API or global flavour)",
                                  description="Send a SHOPLINE webhook from a running sandbox and print the "
                                              "receiver's answer. Without --to it goes to every active "
                                              "subscription of the topic.")
    parser.add_argument("topic", help="e.g. order/create (Open API) or orders/updated (global)")
    parser.add_argument("--flavour", choices=("openapi", "global"), default="openapi")
    parser.add_argument("--to", default=None, help="send to this URL only, without a subscription")
    parser.add_argument("--url", default=None,
                        help=f"the running sandbox (default $SHOP_SANDBOX_URL or {DEFAULT_URL})")
    parser.add_argument("--overrides", default=None, help="JSON object merged into the payload (RFC 7386)")
    parser.add_argument("--generate", action="store_true", help="a payload generated from the topic's schema")
    parser.add_argument("--seed", type=int, default=None, help="seed of the generated payload")
    parser.add_argument("--verbatim", action="store_true",
                        help="the documented example byte for byte (default: the example as a fresh event, "
                             "new ids and times)")
    parser.set_defaults(func=run)


def _call(base: str, method: str, path: str, body: Any = None) -> dict[str, Any]:
    data = None if body is None else json.dumps(body).encode("utf-8")
    # A shared sandbox's admin token (SHOP_SANDBOX_ADMIN_TOKEN), as every admin client sends it.
    headers = {**admin_headers(), **({"Content-Type": "application/json"} if data is not None else {})}
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=HTTP_TIMEOUT) as response:
            return json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        try:
            detail = json.loads(exc.read()).get("message") or exc.reason
        except ValueError:
            detail = exc.reason
        raise SandboxError(f"{method} {path}: HTTP {exc.code}: {detail}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise SandboxError(f"cannot reach the sandbox at {base}: {exc}") from None


def _describe(delivery: dict[str, Any]) -> tuple[bool, str]:
    attempts = delivery.get("attempts") or []
    if not attempts:
        return False, f"not attempted yet ({delivery.get('status')})"
    last = attempts[-1]
    ok = bool(last.get("ok")) and last.get("status") is not None and 200 <= last["status"] < 300
    answer = f"HTTP {last['status']}" if last.get("status") is not None else "no answer"
    if last.get("error"):
        answer += f" ({last['error']})"
    text = f"{answer} in {last.get('latency_ms')} ms"
    if not ok:
        text += f"; delivery {delivery.get('status')}"
        if delivery.get("next_attempt_at") is not None:
            due = float(delivery["next_attempt_at"])
            when = datetime.fromtimestamp(due, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            text += f", next attempt at {when} on the sandbox clock ({due - float(last['at']):g} s after this one)"
    excerpt = (last.get("response_excerpt") or "").strip()
    if excerpt:
        text += f"; body: {excerpt[:120]}"
    return ok, text


def run(args: argparse.Namespace) -> int:
    base = (args.url or os.environ.get("SHOP_SANDBOX_URL") or DEFAULT_URL).rstrip("/")
    request: dict[str, Any] = {"topic": args.topic, "flavour": args.flavour}
    if args.overrides is not None:
        try:
            request["overrides"] = json.loads(args.overrides)
        except ValueError as exc:
            print(f"shop-sandbox: --overrides is not JSON: {exc}", file=sys.stderr)
            return 2
    if args.generate:
        request["generate"] = True
    if args.verbatim:
        request["verbatim"] = True
    if args.seed is not None:
        request["seed"] = args.seed
    if args.to is not None:
        request["to"] = args.to
    try:
        queued = _call(base, "POST", "/_sandbox/shopline/trigger", request)["deliveries"]
        if not queued:
            print(f"no active SHOPLINE {args.flavour} subscription for {args.topic}: nothing sent "
                  "(subscribe first, or pass --to URL)", file=sys.stderr)
            return 1
        _call(base, "POST", "/_sandbox/deliveries/flush", {})
        all_ok = True
        for entry in queued:
            delivery = _call(base, "GET", f"/_sandbox/deliveries/{entry['id']}")
            ok, text = _describe(delivery)
            all_ok = all_ok and ok
            print(f"{entry['id']}  shopline {args.flavour} {args.topic} -> {delivery.get('url', entry['url'])}: {text}",
                  flush=True)
    except SandboxError as exc:
        print(f"shop-sandbox: {exc}", file=sys.stderr)
        return 2
    return 0 if all_ok else 1
