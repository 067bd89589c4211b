"""Every fixture validates against its schema and every schema has a fixture.

The fixture -> contract table below is written out by hand (not derived from the folders), so a new
fixture or schema without its counterpart fails here. The contract names are those of
`shop-sandbox validate`, whose catalogue (mockserver/validate.py) must agree with this table.
"""
from __future__ import annotations

import pytest

from mockserver import validate
from mockserver.contract_drift import check
from mockserver.resources import data_dir
from mockserver.shopline import topics

PUSH_CODES = (0, 1, 2, 3, 4, 12)
FIXTURE_CONTRACTS: dict[str, str] = {
    "oneshop/order-list.json": "oneshop/order-list",        # GET /v1/order 200
    "oneshop/order-detail.json": "oneshop/order-detail",    # GET /v1/order/{order_number} 200
    "shopline-global/orders-updated.json": "shopline-global/orders/updated",
    **{f"shopee/push/{code}.json": f"shopee/push/{code}" for code in PUSH_CODES},
    # Seed 004's 47 topics, one fixture each (tests/shopline/test_fixtures.py checks them against the seed).
    **{f"shopline/{topic}.json": f"shopline/{topic}" for topic in topics.SEED_TOPICS},
}
SCHEMA_OF = {
    "oneshop/order-list": "oneshop/openapi.yaml GET /v1/order 200",
    "oneshop/order-detail": "oneshop/openapi.yaml GET /v1/order/{order_number} 200",
    "shopline-global/orders/updated": "shopline-global/orders-updated.schema.json",
    **{f"shopee/push/{code}": f"shopee/push/{code}.schema.json" for code in PUSH_CODES},
    **{f"shopline/{topic}": f"shopline/{topic}.schema.json" for topic in topics.SEED_TOPICS},
}


def test_the_table_names_every_fixture_on_disk():
    folder = data_dir("fixtures")
    on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*.json")}
    assert on_disk == set(FIXTURE_CONTRACTS)
    assert len(FIXTURE_CONTRACTS) == 2 + 1 + 6 + 47


# Schemas the sandbox wrote for topics SHOPLINE documents no payload for (issue 12, point 10): no
# example exists by definition (application's carries reference A's signing vector as `examples`).
UNDOCUMENTED = "shopline-undocumented/"


def test_every_schema_file_has_a_fixture():
    folder = data_dir("contracts")
    schemas = {p.relative_to(folder).as_posix() for p in folder.rglob("*.schema.json")}
    covered = {SCHEMA_OF[name] for name in FIXTURE_CONTRACTS.values()}
    documented = {s for s in schemas if not s.startswith(UNDOCUMENTED)}
    assert documented <= covered, sorted(documented - covered)


def test_every_schema_of_an_undocumented_topic_is_used():
    from mockserver.shopline import undocumented

    folder = data_dir("contracts")
    written = {p.relative_to(folder).as_posix() for p in (folder / UNDOCUMENTED).rglob("*.schema.json")}
    used = {undocumented.openapi_source(t) for t in topics.TOPICS if not topics.TOPICS[t].documented}
    used |= {undocumented.global_source(t).split(" ")[0] for t in topics.GLOBAL_TOPICS
             if t not in topics.GLOBAL_ORDER_BODY_TOPICS}
    assert written == {u for u in used if u.startswith(UNDOCUMENTED)}


def test_every_openapi_body_contract_of_the_catalogue_has_a_fixture():
    responses = {name for name, entry in validate.catalogue().items() if entry.response is not None}
    assert responses == {"oneshop/order-list", "oneshop/order-detail"}
    assert responses <= set(FIXTURE_CONTRACTS.values())


def test_the_validate_catalogue_agrees_with_the_table():
    catalogue = validate.catalogue()
    for fixture, name in FIXTURE_CONTRACTS.items():
        entry = catalogue[name]
        assert entry.fixture == fixture, name
        assert entry.described_as == f"contracts/{SCHEMA_OF[name]}", name
    # The other global order topics share orders/updated's body, schema and fixture.
    others = set(catalogue) - set(FIXTURE_CONTRACTS.values())
    assert others == {f"shopline-global/{t}" for t in topics.GLOBAL_ORDER_BODY_TOPICS} - {
        "shopline-global/orders/updated"}
    assert {catalogue[name].fixture for name in others} == {"shopline-global/orders-updated.json"}


@pytest.mark.parametrize("fixture", list(FIXTURE_CONTRACTS))
def test_fixture_validates_and_every_field_is_in_its_contract(fixture):
    entry = validate.contract(FIXTURE_CONTRACTS[fixture])
    report = check(validate.fixture(entry), entry.schema())
    assert report.violations == []
    assert report.unknown == []  # the contracts describe every field their examples show
