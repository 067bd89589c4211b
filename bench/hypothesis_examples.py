"""Hypothesis examples per second against the in-process app (Flask test client, no sockets):

1. strategy only: drawing explicit Shopee order specs (mockserver.strategies), no request;
2. a property test: each example posts a drawn order batch to the admin API and lists it back
   through a signed Shopee get_order_list, checking every order came back;
3. SHOPLINE payloads: drawing a payload of a random topic and validating it against its schema.

    python -m bench.hypothesis_examples [examples]
"""
from __future__ import annotations

import sys
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockserver.app import create_app
from mockserver.shopee import signing
from mockserver.core.contracts import schema_validator
from mockserver.settings import Settings
from mockserver.strategies import shopee_order_batches, shopee_order_specs, shopline_payloads, shopline_topics

T0 = 1_795_000_000


def _rate(label: str, examples: int, test) -> None:
    started = time.perf_counter()
    test()
    seconds = time.perf_counter() - started
    print(f"{label}: {examples} examples in {seconds:.2f} s = {examples / seconds:.0f} examples/s")


def main() -> None:
    examples = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    options = dict(max_examples=examples, deadline=None, database=None, derandomize=True,
                   suppress_health_check=list(HealthCheck))

    @settings(**options)
    @given(shopee_order_specs(create_time=(T0 - 86_400, T0), region="TW"))
    def draw_only(spec: dict) -> None:
        assert spec["items"]

    app = create_app(Settings(seed=7, clock_start=T0, clock_frozen=True))
    client = app.test_client()
    creds = client.get("/_sandbox/credentials").get_json()["shopee"]
    # One shop per example: lift seed 000's cap of 8 test shops (shopee/testenv.py).
    client.post("/_sandbox/shopee/settings", json={"test_shop_limit": None})

    @settings(**options)
    @given(st.data())
    def seed_and_list(data: st.DataObject) -> None:
        shop = client.post("/_sandbox/shopee/shops", json={"region": "TW",
                                                          "authorize_partner_id": creds["partner_id"]}).get_json()
        batch = data.draw(shopee_order_batches(min_size=1, max_size=20, start=T0 - 86_400, end=T0, region="TW"))
        sns = client.post(f"/_sandbox/shopee/shops/{shop['shop_id']}/orders", json={"orders": batch}).get_json()
        path = "/api/v2/order/get_order_list"
        query = {"partner_id": creds["partner_id"], "timestamp": T0, "shop_id": shop["shop_id"],
                 "access_token": shop["access_token"], "time_range_field": "create_time",
                 "time_from": T0 - 86_400, "time_to": T0, "page_size": 100,
                 "sign": signing.sign(creds["partner_key"], creds["partner_id"], path, T0, shop["access_token"],
                                      shop["shop_id"])}
        listed = client.get(path, query_string=query).get_json()["response"]["order_list"]
        assert {o["order_sn"] for o in listed} == set(sns["order_sns"])

    @settings(**options)
    @given(st.data())
    def shopline(data: st.DataObject) -> None:
        topic = data.draw(shopline_topics())
        payload = data.draw(shopline_payloads(topic))
        schema_validator(f"shopline/{topic}.schema.json").validate(payload)

    _rate("strategy only (Shopee order specs)", examples, draw_only)
    _rate("property test over the in-process app (new shop, 1-20 orders, signed list)", examples, seed_and_list)
    _rate("SHOPLINE payloads drawn and validated", examples, shopline)


if __name__ == "__main__":
    main()
