"""shopee_push_bodies: every code's bodies match contracts/shopee/push/<code>.schema.json, look like
the sandbox's and the reference's pushes, and the hostile ones are hostile and still valid."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import find, given

from mockserver.core.contracts import schema_validator
from mockserver.strategies import push_codes, shopee_push_bodies
from tests.strategies.support import FAST, FIND, errors, sample, strings

CODES = (0, 1, 2, 3, 4, 12)
SN = re.compile(r"^[0-9]{6}[0-9A-Z]{8}$")


def test_every_push_contract_has_a_code():
    assert push_codes() == CODES


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("hostile", [False, True], ids=["plain", "hostile"])
def test_bodies_match_their_contract(code, hostile):
    validator = schema_validator(f"shopee/push/{code}.schema.json")

    @FAST
    @given(shopee_push_bodies(code, hostile=hostile))
    def check(body):
        assert body["code"] == code
        assert errors(validator, body) == []

    check()


@FAST
@given(shopee_push_bodies(timestamps=(1_700_000_000, 1_700_086_400)))
def test_bodies_look_like_the_sandboxs(body):
    code, data = body["code"], body["data"]
    assert ("shop_id" in body) == (code in (3, 4))  # partner-level codes carry no shop_id
    if code == 0:
        return
    assert 1_700_000_000 <= body["timestamp"] <= 1_700_086_400
    if code in (3, 4):
        assert 100_000_000 <= body["shop_id"] <= 999_999_999
        assert SN.match(data["ordersn"]), data["ordersn"]
    if code == 3:
        day = dt.datetime.fromtimestamp(data["update_time"], dt.timezone(dt.timedelta(hours=8))).strftime("%y%m%d")
        assert data["ordersn"].startswith(day) and data["update_time"] <= body["timestamp"]
        assert data["items"] == [] and data["completed_scenario"] == ""
    if code == 4:
        assert data["package_number"] == "OFG" + data["forder_id"] and len(data["forder_id"]) == 15
    if code == 12:
        assert data["expire_before"] == body["timestamp"] + 7 * 86400
        assert 1 <= data["page_no"] <= data["total_page"]


def test_code_3_carries_every_status_of_its_contract():
    enum = schema_validator("shopee/push/3.schema.json").schema["properties"]["data"]["properties"]["status"]["enum"]
    for status in enum:
        find(shopee_push_bodies(3), lambda b, s=status: b["data"]["status"] == s, settings=FIND)


def test_hostile_bodies_are_hostile():
    bodies = sample(shopee_push_bodies(hostile=True), 150)
    longest = max(len(s) for b in bodies for s in strings(b))
    assert 100_000 <= longest <= 200_000
    assert any(b["code"] == 3 and not b["data"]["ordersn"].isascii() for b in bodies)
    assert any(b["code"] in (1, 2, 4, 12) and b["timestamp"] in (0, 2**32 - 1) for b in bodies)
    assert any(b["code"] == 12 and b["data"]["page_no"] > 2**31 for b in bodies)
    assert any(b["code"] == 12 and b["data"]["merchant_expire_soon"] == [] for b in bodies)


def test_an_unknown_code_is_refused():
    with pytest.raises(ValueError, match="codes: 0, 1, 2, 3, 4, 12"):
        shopee_push_bodies(5)
