"""Helpers for the gateway, authorisation and permission tests: partners, shops and the auth flow
through the admin API, and raw signed calls for breaking one common parameter at a time."""
from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.support.clients import Answer, SandboxClient
from tests.support.shopee_signer import shopee_sign

HOUR = 3600
DAY = 86400


def new_partner(sandbox: SandboxClient, app_type: str = "ERP System") -> dict[str, Any]:
    answer = sandbox.admin("POST", "/shopee/partners", {"app_type": app_type})
    assert answer.status == 201, answer.body
    return answer.body


def new_shop(sandbox: SandboxClient, partner: dict[str, Any] | None = None, region: str = "TW") -> dict[str, Any]:
    """A shop authorised to `partner` (or to nobody), as credentials usable with .shopee()."""
    body: dict[str, Any] = {"authorize_partner_id": partner["partner_id"]} if partner else {}
    body["region"] = region
    answer = sandbox.admin("POST", "/shopee/shops", body)
    assert answer.status == 201, answer.body
    shop = answer.body
    creds = {"shop_id": shop["shop_id"], "password": shop["password"], "account": shop["account"]}
    if partner:
        creds.update(partner_id=partner["partner_id"], partner_key=partner["partner_key"],
                     access_token=shop["access_token"], refresh_token=shop["refresh_token"])
    return creds


def creds_of(partner: dict[str, Any], shop_id: int, access_token: str = "unused") -> dict[str, Any]:
    return {"partner_id": partner["partner_id"], "partner_key": partner["partner_key"],
            "shop_id": shop_id, "access_token": access_token}


def advance(sandbox: SandboxClient, seconds: int) -> None:
    answer = sandbox.admin("POST", "/clock", {"advance_seconds": seconds})
    assert answer.status == 200, answer.body


def authorize_code(sandbox: SandboxClient, partner_id: int, shop_id: int,
                   redirect: str = "https://erp.example.com/cb?state=s1") -> str:
    """The admin shortcut of the auth page: the code from the redirect URL it returns."""
    answer = sandbox.admin("POST", "/shopee/authorize",
                           {"partner_id": partner_id, "shop_id": shop_id, "redirect": redirect})
    assert answer.status == 200, answer.body
    query = parse_qs(urlsplit(answer.body["url"]).query)
    assert query["shop_id"] == [str(shop_id)]
    return query["code"][0]


def token_get(sandbox: SandboxClient, creds: dict[str, Any], code: str, shop_id: int) -> Answer:
    return sandbox.shopee("POST", "auth/token/get",
                          {"code": code, "partner_id": creds["partner_id"], "shop_id": shop_id},
                          creds=creds, shop=False)


def refresh(sandbox: SandboxClient, creds: dict[str, Any], refresh_token: str, shop_id: int) -> Answer:
    return sandbox.shopee("POST", "auth/access_token/get",
                          {"refresh_token": refresh_token, "partner_id": creds["partner_id"],
                           "shop_id": shop_id}, creds=creds, shop=False)


def shop_info(sandbox: SandboxClient, creds: dict[str, Any]) -> Answer:
    return sandbox.shopee("GET", "shop/get_shop_info", creds=creds)


def raw_query(creds: dict[str, Any], path: str, timestamp: int, shop: bool = True,
              drop: tuple[str, ...] = (), replace: dict[str, Any] | None = None,
              **override: Any) -> dict[str, Any]:
    """A correctly signed common query, then `drop` removes and `replace`/`override` replace
    parameters (after signing, so the sign no longer matches when a signed value changes)."""
    query: dict[str, Any] = {"partner_id": creds["partner_id"], "timestamp": timestamp}
    if shop:
        query.update(access_token=creds["access_token"], shop_id=creds["shop_id"])
        query["sign"] = shopee_sign(creds["partner_key"], creds["partner_id"], path, timestamp,
                                    creds["access_token"], creds["shop_id"])
    else:
        query["sign"] = shopee_sign(creds["partner_key"], creds["partner_id"], path, timestamp)
    for name in drop:
        query.pop(name, None)
    query.update(replace or {})
    query.update(override)
    return query


def assert_error(answer: Answer, error: str, message: str, status: int) -> None:
    assert (answer.status, answer.error, answer.message) == (status, error, message), answer.body
    assert set(answer.body) >= {"request_id", "error", "message"}
    assert "response" not in answer.body
