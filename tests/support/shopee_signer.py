"""An independent Shopee v2 signer, written from the published algorithm (not imported from the
package): lowercase hex HMAC-SHA256(partner_key, partner_id + path + timestamp [+ access_token +
shop_id]).
"""
from __future__ import annotations

import hashlib
import hmac


def shopee_sign(partner_key: str, partner_id: int, path: str, timestamp: int,
                access_token: str | None = None, shop_id: int | None = None) -> str:
    message = f"{partner_id}{path}{timestamp}"
    if access_token is not None:
        message += f"{access_token}{shop_id}"
    return hmac.new(partner_key.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).hexdigest()


def signed_query(creds: dict, path: str, timestamp: int, shop: bool = True, **extra) -> dict:
    """The common query parameters of a call, signed; `creds` is /_sandbox/credentials' shopee part."""
    query = {"partner_id": creds["partner_id"], "timestamp": timestamp}
    if shop:
        query["access_token"] = creds["access_token"]
        query["shop_id"] = creds["shop_id"]
        query["sign"] = shopee_sign(creds["partner_key"], creds["partner_id"], path, timestamp,
                                    creds["access_token"], creds["shop_id"])
    else:
        query["sign"] = shopee_sign(creds["partner_key"], creds["partner_id"], path, timestamp)
    query.update(extra)
    return query
