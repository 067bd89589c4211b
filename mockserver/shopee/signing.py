"""Shopee v2 request signature: lowercase hex HMAC-SHA256 over a plain concatenation.

public:   partner_id + path + timestamp
shop:     partner_id + path + timestamp + access_token + shop_id
merchant: partner_id + path + timestamp + access_token + merchant_id
"""
from __future__ import annotations

import hashlib
import hmac


def base_string(partner_id: int | str, path: str, timestamp: int | str,
                access_token: str = "", entity_id: int | str = "") -> str:
    return f"{partner_id}{path}{timestamp}{access_token}{entity_id}"


def sign(partner_key: str, partner_id: int | str, path: str, timestamp: int | str,
         access_token: str = "", entity_id: int | str = "") -> str:
    message = base_string(partner_id, path, timestamp, access_token, entity_id)
    return hmac.new(partner_key.encode(), message.encode(), hashlib.sha256).hexdigest()


def verify(expected_key: str, given_sign: str, partner_id: int | str, path: str,
           timestamp: int | str, access_token: str = "", entity_id: int | str = "") -> bool:
    """True when given_sign is the right lowercase hex signature (upper case is refused)."""
    wanted = sign(expected_key, partner_id, path, timestamp, access_token, entity_id)
    return hmac.compare_digest(wanted, given_sign)
