"""Shopee v2 signatures: the known-answer base string, public vs shop signatures, and what the
gateway refuses as "Wrong sign."."""
from __future__ import annotations

import hashlib
import hmac

import pytest

from mockserver.shopee import signing
from tests.shopee.auth_support import assert_error, new_partner, new_shop, raw_query
from tests.support.shopee_signer import shopee_sign

# shared/reference/shopee-guides/api-calls.md and shopee-v2.md "Common parameters and signing".
KNOWN_BASE = "2001887/api/v2/shop/get_shop_info165571443159777174636562737266615546704c6d14701711"
KNOWN_PUBLIC_BASE = "2001887/api/v2/public/get_shops_by_partner1655714431"
KNOWN = dict(partner_id=2001887, path="/api/v2/shop/get_shop_info", timestamp=1655714431,
             access_token="59777174636562737266615546704c6d", shop_id=14701711)
KEY = "shpk-known-answer-key"
# Computed outside Python: printf '%s' BASE | openssl dgst -sha256 -hmac shpk-known-answer-key
KNOWN_SIGN = "5a32a27d64141fc11de31a97f0efc682f6b7fb3c49077bf8046b5b6c88f4e870"
KNOWN_PUBLIC_SIGN = "03732688ca702c812e632f3f518850c973582034e2000365ba7522e252db8594"
SHOPS = "/api/v2/public/get_shops_by_partner"
SHOP_INFO = "/api/v2/shop/get_shop_info"
WRONG_SIGN = ("error_sign", "Wrong sign.", 403)


def test_known_answer_base_string_is_a_plain_concatenation():
    k = KNOWN
    assert signing.base_string(k["partner_id"], k["path"], k["timestamp"], k["access_token"],
                               k["shop_id"]) == KNOWN_BASE
    assert signing.base_string(2001887, SHOPS, 1655714431) == KNOWN_PUBLIC_BASE


def test_known_answer_sign_is_lowercase_hex_hmac_sha256_of_the_base_string():
    k = KNOWN
    wanted = hmac.new(KEY.encode(), KNOWN_BASE.encode(), hashlib.sha256).hexdigest()
    assert wanted == KNOWN_SIGN
    assert signing.sign(KEY, k["partner_id"], k["path"], k["timestamp"], k["access_token"],
                        k["shop_id"]) == KNOWN_SIGN
    assert signing.sign(KEY, 2001887, SHOPS, 1655714431) == KNOWN_PUBLIC_SIGN


def test_test_signer_matches_the_known_answer():
    k = KNOWN
    assert shopee_sign(KEY, k["partner_id"], k["path"], k["timestamp"], k["access_token"],
                       k["shop_id"]) == KNOWN_SIGN
    assert shopee_sign(KEY, 2001887, SHOPS, 1655714431) == KNOWN_PUBLIC_SIGN


def test_verify_refuses_upper_case_and_malformed_signs():
    k = KNOWN
    args = (k["partner_id"], k["path"], k["timestamp"], k["access_token"], k["shop_id"])
    assert signing.verify(KEY, KNOWN_SIGN, *args)
    for bad in (KNOWN_SIGN.upper(), KNOWN_SIGN[:-1], KNOWN_SIGN + "0", "é" * 64, " " + KNOWN_SIGN[1:]):
        assert not signing.verify(KEY, bad, *args), bad


@pytest.mark.parametrize("transport", ["sandbox", "live"])
def test_public_api_accepts_the_public_sign(request, transport):
    client = request.getfixturevalue(transport)
    answer = client.request("GET", SHOPS, raw_query(client.creds, SHOPS, client.now(), shop=False))
    assert answer.status == 200, answer.body
    assert answer.body["error"] == ""


def test_public_api_refuses_a_shop_sign(sandbox):
    creds, now = sandbox.creds, sandbox.now()
    shop_sign = shopee_sign(creds["partner_key"], creds["partner_id"], SHOPS, now,
                            creds["access_token"], creds["shop_id"])
    answer = sandbox.request("GET", SHOPS, raw_query(creds, SHOPS, now, shop=False, sign=shop_sign))
    assert_error(answer, *WRONG_SIGN)


def test_shop_api_accepts_the_shop_sign_and_refuses_the_public_sign(sandbox):
    creds, now = sandbox.creds, sandbox.now()
    assert sandbox.request("GET", SHOP_INFO, raw_query(creds, SHOP_INFO, now)).status == 200
    public_sign = shopee_sign(creds["partner_key"], creds["partner_id"], SHOP_INFO, now)
    answer = sandbox.request("GET", SHOP_INFO, raw_query(creds, SHOP_INFO, now, sign=public_sign))
    assert_error(answer, *WRONG_SIGN)


def test_upper_case_hex_sign_is_wrong_sign(sandbox):
    creds, now = sandbox.creds, sandbox.now()
    good = raw_query(creds, SHOP_INFO, now)
    answer = sandbox.request("GET", SHOP_INFO, {**good, "sign": good["sign"].upper()})
    assert_error(answer, *WRONG_SIGN)


def test_sign_for_another_path_is_wrong_sign(sandbox):
    creds, now = sandbox.creds, sandbox.now()
    other = raw_query(creds, "/api/v2/order/get_order_list", now)
    answer = sandbox.request("GET", SHOP_INFO, raw_query(creds, SHOP_INFO, now, sign=other["sign"]))
    assert_error(answer, *WRONG_SIGN)


def test_sign_for_another_shop_is_wrong_sign(sandbox):
    """Two shops of the same partner: a sign made for shop A does not open shop B."""
    creds, now = sandbox.creds, sandbox.now()
    partner = {"partner_id": creds["partner_id"], "partner_key": creds["partner_key"]}
    second = new_shop(sandbox, partner)
    signed_for_default = raw_query(creds, SHOP_INFO, now)["sign"]
    query = raw_query(second, SHOP_INFO, now, sign=signed_for_default)
    assert_error(sandbox.request("GET", SHOP_INFO, query), *WRONG_SIGN)
    assert sandbox.request("GET", SHOP_INFO, raw_query(second, SHOP_INFO, now)).status == 200


def test_sign_with_another_partners_key_is_wrong_sign(sandbox):
    other = new_partner(sandbox)
    creds = {**sandbox.creds, "partner_key": other["partner_key"]}
    answer = sandbox.request("GET", SHOP_INFO, raw_query(creds, SHOP_INFO, sandbox.now()))
    assert_error(answer, *WRONG_SIGN)


def test_sign_over_another_timestamp_is_wrong_sign(sandbox):
    creds, now = sandbox.creds, sandbox.now()
    answer = sandbox.request("GET", SHOP_INFO, raw_query(creds, SHOP_INFO, now, replace={"timestamp": now - 1}))
    assert_error(answer, *WRONG_SIGN)


@pytest.mark.parametrize("bad", ["not-hex", "%00", "é" * 64, "g" * 64])
def test_malformed_sign_is_wrong_sign_not_a_crash(sandbox, bad):
    answer = sandbox.request("GET", SHOP_INFO, raw_query(sandbox.creds, SHOP_INFO, sandbox.now(), sign=bad))
    assert_error(answer, *WRONG_SIGN)
