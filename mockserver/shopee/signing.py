"""Shopee v2 request signature: lowercase hex HMAC-SHA256 over a plain concatenation.

public:   partner_id + path + timestamp
shop:     partner_id + path + timestamp + access_token + shop_id
merchant: partner_id + path + timestamp + access_token + merchant_id

Known answer (shared/reference/shopee-guides/api-calls.md): partner_id 2001887, path
/api/v2/shop/get_shop_info, timestamp 1655714431, access_token 59777174636562737266615546704c6d,
shop_id 14701711 give the base string
2001887/api/v2/shop/get_shop_info165571443159777174636562737266615546704c6d14701711.
"""
from __future__ import annotations

import hmac
import re

_LOWER_HEX_64 = re.compile(r"[0-9a-f]{64}")


def base_string(partner_id: int | str, path: str, timestamp: int | str,
                access_token: str = "", entity_id: int | str = "") -> str:
    return f"{partner_id}{path}{timestamp}{access_token}{entity_id}"


def sign(partner_key: str, partner_id: int | str, path: str, timestamp: int | str,
         access_token: str = "", entity_id: int | str = "") -> str:
    message = base_string(partner_id, path, timestamp, access_token, entity_id)
    return hmac.digest(partner_key.encode(), message.encode(), "sha256").hex()  # C one-shot: no HMAC object


def verify(expected_key: str, given_sign: str, partner_id: int | str, path: str,
           timestamp: int | str, access_token: str = "", entity_id: int | str = "") -> bool:
    """True when given_sign is the right lowercase hex signature.

    Upper case hex is refused: the reference asks for the hex digest as produced by hexdigest(),
    and a client that upper-cases it should find out here rather than on Shopee. Anything that is
    not 64 lowercase hex characters (including non-ASCII text, which compare_digest would reject
    with a TypeError) is simply wrong.
    """
    if not _LOWER_HEX_64.fullmatch(given_sign):
        return False
    wanted = sign(expected_key, partner_id, path, timestamp, access_token, entity_id)
    return hmac.compare_digest(wanted.encode(), given_sign.encode())
