"""Helpers for the Push Mechanism tests: subscribing an app, reading what a WebhookInbox received,
and checking every push against its JSON Schema and an independent signer.

The signer is written here from the guide ("Push Authorization": hex HMAC-SHA256 with the partner
key over callback URL + "|" + body), not imported from the package, so a signing bug cannot hide.
"""
from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from jsonschema import Draft202012Validator

from mockserver.resources import data_dir
from mockserver.testing.inbox import Received, WebhookInbox
from tests.support.clients import Answer, SandboxClient

VERIFY_INFO = "This is a Verification message.Please respond in the certain format."
VERIFY_BODY = b'{"code":0,"data":{"verify_info":"' + VERIFY_INFO.encode() + b'"}}'
PUSH_CODES = (0, 1, 2, 3, 4, 12)
_VALIDATORS = {code: Draft202012Validator(json.loads((data_dir("contracts") / "shopee" / "push" /
                                                      f"{code}.schema.json").read_text(encoding="utf-8")))
               for code in PUSH_CODES}


def hmac_hex(key: str, message: bytes) -> str:
    return hmac.new(key.encode("utf-8"), message, hashlib.sha256).hexdigest()


def url_signature(partner_key: str, url: str, body: bytes) -> str:
    """The guide's form: HMAC-SHA256(partner key, url + "|" + raw body), lowercase hex."""
    return hmac_hex(partner_key, url.encode("utf-8") + b"|" + body)


def check_push(received: Received, key: str, url: str, body_only: bool = False) -> dict[str, Any]:
    """The push's body validates against contracts/shopee/push/<code>.schema.json and its
    Authorization header is right for the key; returns the parsed body."""
    assert received.method == "POST", received.method
    assert received.header("Content-Type") == "application/json", received.headers
    body = check_schema(received)
    expected = hmac_hex(key, received.body) if body_only else url_signature(key, url, received.body)
    assert received.header("Authorization") == expected, received.headers
    return body


def check_schema(received: Received) -> dict[str, Any]:
    """The body validates against its code's schema; returns it parsed."""
    body = received.json()
    errors = [e.message for e in _VALIDATORS[body["code"]].iter_errors(body)]
    assert errors == [], (body, errors)
    return body


def pushes(inbox: WebhookInbox, key: str, url: str, body_only: bool = False, code: int | None = None,
           ) -> list[dict[str, Any]]:
    """Every push the inbox received (each checked), optionally only one code's."""
    bodies = [check_push(r, key, url, body_only) for r in inbox.received]
    return [b for b in bodies if code is None or b["code"] == code]


def subscribe(sandbox: SandboxClient, url: str, on: tuple[int, ...] = (1, 2, 3, 4, 12),
              creds: dict | None = None, **fields: Any) -> Answer:
    """set_app_push_config with a callback URL (the inbox answers the verification push)."""
    return set_config(sandbox, creds, callback_url=url, set_push_config_on=list(on), **fields)


def set_config(sandbox: SandboxClient, creds: dict | None = None, **fields: Any) -> Answer:
    return sandbox.shopee("POST", "push/set_app_push_config", fields, creds=creds, shop=False)


def get_config(sandbox: SandboxClient, creds: dict | None = None) -> dict[str, Any]:
    answer = sandbox.shopee("GET", "push/get_app_push_config", creds=creds, shop=False)
    assert answer.status == 200, answer.body
    return answer.body["response"]


def flush(sandbox: SandboxClient) -> dict[str, Any]:
    answer = sandbox.admin("POST", "/deliveries/flush")
    assert answer.status == 200 and not answer.body["timed_out"], answer.body
    return answer.body


def advance(sandbox: SandboxClient, seconds: int) -> dict[str, Any]:
    """Move the sandbox clock, then deliver whatever fell due."""
    assert sandbox.admin("POST", "/clock", {"advance_seconds": seconds}).status == 200
    return flush(sandbox)


def deliveries(sandbox: SandboxClient, **filters: Any) -> list[dict[str, Any]]:
    answer = sandbox.request("GET", "/_sandbox/deliveries", query={"platform": "shopee", **filters})
    assert answer.status == 200, answer.body
    return answer.body["deliveries"]


def push_admin(sandbox: SandboxClient, partner_id: int, body: dict | None = None) -> dict[str, Any]:
    answer = sandbox.admin("POST" if body is not None else "GET", f"/shopee/partners/{partner_id}/push", body)
    assert answer.status == 200, answer.body
    return answer.body


def new_app(sandbox: SandboxClient, app_type: str = "ERP System") -> dict[str, Any]:
    """A new partner with one authorised shop: credentials usable with .shopee()."""
    partner = sandbox.admin("POST", "/shopee/partners", {"app_type": app_type}).body
    shop = sandbox.admin("POST", "/shopee/shops", {"authorize_partner_id": partner["partner_id"]}).body
    return {"partner_id": partner["partner_id"], "partner_key": partner["partner_key"], "app_type": app_type,
            "shop_id": shop["shop_id"], "access_token": shop["access_token"]}


def new_orders(sandbox: SandboxClient, shop_id: int, count: int, status: str = "UNPAID") -> list[str]:
    """Generated orders (each pushes one code 3 with its status as it is made)."""
    answer = sandbox.admin("POST", f"/shopee/shops/{shop_id}/orders", {"count": count, "statuses": [status]})
    assert answer.status == 201, answer.body
    return answer.body["order_sns"]


def order_event(sandbox: SandboxClient, order_sn: str, name: str) -> Answer:
    answer = sandbox.admin("POST", f"/shopee/orders/{order_sn}/events", {"event": name})
    assert answer.status == 200, answer.body
    return answer
