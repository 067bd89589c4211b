"""fixtures/shopline/<topic>.json are seed 004's payload examples: every topic, every printed field
unchanged. The test reads the seed itself; the seed's own irregularities are spelled out below, and
any other difference fails."""
from __future__ import annotations

import importlib
import json
import re
import sys
from pathlib import Path

import pytest

from mockserver.resources import data_dir
from mockserver.shopline import payloads, topics
from tests.support.seed_json import SEEDS

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds is not beside the checkout")

if SEEDS.is_dir():
    from tests.support.seed_topics import topic_examples

    EXAMPLES = {e.heading: e.example for e in topic_examples()}
else:  # pragma: no cover - collected without seeds
    EXAMPLES = {}

REPO = Path(__file__).resolve().parents[2]
# The seed's heading "promotion/redeeem" vs its payload's "promotion/redeem" (reference A).
ALIAS = {"promotion/redeeem": "promotion/redeem"}
# Sections whose example prints a sibling section's `topic` (same trace_id and body as that sibling).
COPIED_TOPIC = {"order/confirm": "order/complete", "order_delivery/status_update": "order_delivery/update"}
# Sections whose example is the bare resource, without the envelope.
BARE = {"member_point/create", "user_credit/create", "order/create"}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def _fixture(name: str) -> dict:
    return json.loads((data_dir("fixtures") / "shopline" / f"{name}.json").read_text(encoding="utf-8"))


def _first_difference(a, b, path="") -> str | None:
    """Where two JSON documents first differ (a readable failure instead of two huge dumps)."""
    if type(a) is not type(b):
        return f"{path or '<root>'}: {a!r} != {b!r}"
    if isinstance(a, dict):
        for key in a.keys() | b.keys():
            if key not in a or key not in b:
                return f"{path}.{key}: present on one side only"
            found = _first_difference(a[key], b[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items != {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b)):
            found = _first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None
    return None if a == b else f"{path}: {a!r} != {b!r}"


def test_seed_004_documents_exactly_47_distinct_topics():
    headings = [e.heading for e in topic_examples()]
    assert len(headings) == 47
    assert len(set(headings)) == 47


def test_every_seed_topic_has_a_fixture_and_every_fixture_a_seed_topic():
    folder = data_dir("fixtures") / "shopline"
    on_disk = {p.relative_to(folder).with_suffix("").as_posix() for p in folder.rglob("*.json")}
    expected = {ALIAS.get(h, h) for h in EXAMPLES}
    assert on_disk == expected


def test_topics_module_lists_the_seed_topics_in_document_order():
    assert topics.SEED_TOPICS == tuple(ALIAS.get(h, h) for h in EXAMPLES)


@pytest.mark.parametrize("heading", list(EXAMPLES))
def test_fixture_keeps_every_field_of_its_seed_example(heading):
    example, name = EXAMPLES[heading], ALIAS.get(heading, heading)
    fixture = _fixture(name)
    if heading in BARE:
        assert "resource" not in example and "topic" not in example
        assert _first_difference(fixture["resource"], example) is None, _first_difference(fixture["resource"], example)
        assert set(fixture) == {"event", "merchant_id", "resource", "topic", "trace_id", "ts"}
        assert fixture["topic"] == name
        return
    for key, value in example.items():
        if key == "topic" and heading in COPIED_TOPIC:
            assert value == COPIED_TOPIC[heading], "the seed's copy-paste changed: review COPIED_TOPIC"
            assert fixture["topic"] == heading
            continue
        assert key in fixture, f"{heading}: {key} dropped"
        assert _first_difference(fixture[key], value, key) is None, _first_difference(fixture[key], value, key)
    added = set(fixture) - set(example)
    assert added <= {"trace_id", "ts"}, added


def test_only_examples_without_trace_id_or_ts_get_them_added_and_well_formed():
    for heading, example in EXAMPLES.items():
        fixture = _fixture(ALIAS.get(heading, heading))
        if "trace_id" in example:
            assert fixture["trace_id"] == example["trace_id"]
        assert UUID.match(fixture["trace_id"]), heading
        assert fixture["ts"].isdigit() and len(fixture["ts"]) == 19, heading


def test_the_redeem_heading_typo_is_accepted_and_the_payload_spelling_emitted():
    assert "promotion/redeeem" in EXAMPLES
    assert EXAMPLES["promotion/redeeem"]["topic"] == "promotion/redeem"
    assert topics.canonical("promotion/redeeem") == "promotion/redeem"
    assert topics.is_subscribable("promotion/redeeem") and topics.is_subscribable("promotion/redeem")
    assert "promotion/redeeem" not in topics.SEED_TOPICS
    assert not (data_dir("fixtures") / "shopline" / "promotion" / "redeeem.json").exists()
    assert payloads.build("promotion/redeeem", 1_795_000_000)["topic"] == "promotion/redeem"


def test_copied_topics_are_emitted_under_their_own_heading():
    for heading in COPIED_TOPIC:
        assert _fixture(heading)["topic"] == heading
        assert payloads.build(heading, 1_795_000_000)["topic"] == heading


def test_bare_examples_get_the_envelope_of_their_resource():
    assert _fixture("order/create")["event"] == "Order"
    assert _fixture("order/create")["merchant_id"] == EXAMPLES["order/create"]["seller_id"]
    assert _fixture("member_point/create")["event"] == "MemberPoint"
    assert _fixture("user_credit/create")["event"] == "UserCredit"


def test_every_other_event_is_the_one_its_example_prints():
    for heading, example in EXAMPLES.items():
        if heading not in BARE:
            assert topics.topic(heading).event == example["event"], heading


def test_subscriptions_accept_the_union_of_seed_topics_and_the_public_enum():
    enum_only = {"order/combine_orders", "order/split_order", "page/create", "page/update",
                 "product/back_in_stock", "product_review_comment/create", "user_credit/update",
                 "tax/create", "tax/update", "tax/remove", "payment/create", "payment/update", "payment/remove",
                 "tag/create", "tag/remove", "persistent_cart/abandoned_cart", "pos_return_order/create"}
    accepted = set(topics.subscribable_topics())
    reference = {"application/uninstall"}  # the topic of reference A's signing vector (issue 12)
    assert accepted == {ALIAS.get(h, h) for h in EXAMPLES} | enum_only | reference | set(ALIAS)
    assert all(topics.is_subscribable(t) for t in accepted)
    for name in enum_only | reference:
        assert not topics.TOPICS[name].documented
        with pytest.raises(topics.NoPayloadExample):
            topics.fixture(name)


def test_unknown_topics_are_refused():
    for name in ("order/created", "orders/updated", "promotion/redeeeem", ""):
        assert not topics.is_subscribable(name)
        with pytest.raises(topics.UnknownTopic):
            topics.canonical(name)


def test_topics_split_into_resource_and_action():
    info = topics.topic("order_delivery/status_update")
    assert (info.resource, info.action, info.event) == ("order_delivery", "status_update", "OrderDelivery")


def test_checked_in_files_are_what_the_generator_writes_today():
    saved = list(sys.path)
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        generator = importlib.import_module("gen_shopline_contracts")
        global_order = importlib.import_module("shopline_global_order")
    finally:
        sys.path[:] = saved
    from tests.support.seed_topics import field_table

    fixtures, schemas, _, _ = generator.build_open_api()
    for name in fixtures:
        assert _fixture(name) == fixtures[name], f"{name}: re-run scripts/gen_shopline_contracts.py"
        on_disk = json.loads((data_dir("contracts") / topics.schema_relative(name)).read_text(encoding="utf-8"))
        assert on_disk == schemas[name], f"{name}: re-run scripts/gen_shopline_contracts.py"
    assert topics.global_schema() == global_order.global_schema(field_table())
    assert topics.global_fixture() == global_order.example()
