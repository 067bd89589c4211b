"""fixtures/oneshop/ holds the official document's two JSON examples, cleaned to valid JSON and
otherwise unchanged, and both validate against contracts/oneshop/openapi.yaml."""
from __future__ import annotations

import json

import pytest

from mockserver.core.contracts import openapi
from mockserver.resources import data_dir
from tests.support.seed_json import SEEDS, clean, json_blocks, seed_text

FIXTURES = {"order-list.json": ("/v1/order", 0), "order-detail.json": ("/v1/order/{order_number}", 1)}


def _fixture(name: str) -> dict:
    return json.loads((data_dir("fixtures") / "oneshop" / name).read_text(encoding="utf-8"))


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds is not beside the checkout")
@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_is_the_seed_example_cleaned(name):
    blocks = json_blocks(seed_text("003"))
    assert len(blocks) == 2, "seed 003 prints two JSON examples"
    assert _fixture(name) == clean(blocks[FIXTURES[name][1]])


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_validates_against_the_contract(name):
    openapi("oneshop/openapi.yaml").validate_response("GET", FIXTURES[name][0], 200, "application/json",
                                                     _fixture(name))


def test_cleaning_removes_only_comments_commas_and_the_missing_colon():
    assert clean('{"a": "http:\\/\\/x//y", // note\n "b": [1, 2,], "bundle" [3],}') == \
        {"a": "http://x//y", "b": [1, 2], "bundle": [3]}


def test_the_detail_example_keeps_the_documents_own_spelling():
    receipt = _fixture("order-detail.json")["data"]["receipt"][0]
    assert "carruer_type" in receipt and "carruer_num" in receipt


def test_the_contract_refuses_a_wrong_type():
    broken = _fixture("order-detail.json")
    broken["data"]["cart"]["products"][0]["quantity"] = "1"
    with pytest.raises(AssertionError):
        openapi("oneshop/openapi.yaml").validate_response("GET", "/v1/order/{order_number}", 200,
                                                         "application/json", broken)
