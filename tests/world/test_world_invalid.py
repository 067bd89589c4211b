"""Every kind of bad world file is refused with located errors, by `world validate` and by
`serve --world`: exit status 1, every problem on stderr, never a traceback, nothing served."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.world.support import WORLD

TIMEOUT = 300  # a busy 2-core machine builds the seeded world slowly; never the limit in practice


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mockserver.cli", *args], capture_output=True, text=True,
                          timeout=TIMEOUT)


def refused(location: Path | str, *expected: str) -> str:
    """`world validate` fails with every expected text in stderr, and no traceback."""
    answer = run("world", "validate", str(location))
    assert answer.returncode == 1, (answer.stdout, answer.stderr)
    assert "Traceback" not in answer.stderr
    for text in expected:
        assert text in answer.stderr, answer.stderr
    return answer.stderr


def write(tmp_path: Path, text: str, name: str = "world.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_validates() -> None:
    answer = run("world", "validate", str(WORLD))
    assert answer.returncode == 0, answer.stderr
    assert "ok (1 file)" in answer.stdout


def test_bad_yaml_syntax_gives_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "shopee:\n  partners:\n    - partner_id: [1, 2\n  shops: []\n")
    refused(path, f"{path}:4: not valid YAML")


def test_bad_json_syntax_gives_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, '{"shopee": {\n  "partners": [,]\n}}\n', "world.json")
    refused(path, f"{path}:2: not valid JSON")


def test_every_schema_violation_is_listed_with_its_path_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "\n".join([
        "shopee:",
        "  partners:",
        "    - partner_id: -3",                       # line 3
        "      app_type: Chat Bot",                   # line 4
        "  shops:",
        "    - region: TW",
        "    - region: TW",
        "    - region: XX",                           # line 8: shops[2]
        "oneshop:",
        "  accounts:",
        "    - {appid: 'has space', rate_limit: {limit: 0, window_seconds: 10}}",  # line 11
        "surprise: 1",                                # line 12
    ]) + "\n")
    stderr = refused(path,
                     f"{path}:3: shopee.partners[0].partner_id: -3 is less than the minimum of 1",
                     f"{path}:4: shopee.partners[0].app_type: 'Chat Bot' is not one of",
                     f"{path}:8: shopee.shops[2].region: 'XX' is not one of ['TW'",
                     f"{path}:11: oneshop.accounts[0].appid: 'has space' does not match",
                     "oneshop.accounts[0].rate_limit.limit: 0 is less than the minimum of 1",
                     f"{path}:12: surprise: unknown field; known here: oneshop, shopee, shopline, version")
    assert "the world document has 6 problems" in stderr


def test_semantic_errors_are_located(tmp_path: Path) -> None:
    path = write(tmp_path, "\n".join([
        "shopee:",
        "  partners:",
        "    - {partner_id: 1200001, app_type: Order Management, push: {callback_url: 'http://127.0.0.1:9/p', codes: [6]}}",
        "    - {partner_id: 1200001}",                                         # duplicate id
        "  shops:",
        "    - shop_id: 820001",
        "      authorised_partners: [1200001, 99]",                          # 99: unknown partner
        "      orders:",
        "        - {status: INVOICE_PENDING, items: [{quantity: 1}]}",        # not in TW
        "    - {shop_id: 820001, region: BR}",                                 # duplicate shop
        "  orders:",
        "    - {shop_id: 123, items: [{quantity: 1}]}",                       # no such shop
        "  generated_orders:",
        "    - {shop_id: 820001, count: 2, statuses: [INVOICE_PENDING]}",
        "shopline:",
        "  tokens: [{token: t1, kind: app, merchant_id: nobody}]",
        "  subscriptions: [{token: t2, address: 'http://127.0.0.1:9/h', topics: [not/a-topic]}]",
    ]) + "\n")
    refused(path,
            f"{path}:3: shopee.partners[0].push.codes[0]: the Order Management app type cannot subscribe to push code 6",
            f"{path}:4: shopee.partners[1].partner_id: partner_id 1200001 is taken",
            f"{path}:7: shopee.shops[0].authorised_partners[1]: partner 99 is not a partner",
            f"{path}:9: shopee.shops[0].orders[0]: status INVOICE_PENDING only exists for BR shops",
            f"{path}:10: shopee.shops[1].shop_id: shop_id 820001 is taken",
            f"{path}:12: shopee.orders[0].shop_id: shop 123 is not a shop",
            "shopee.generated_orders[0].statuses: INVOICE_PENDING only exists for BR",
            "shopline.tokens[0]: an app token names its app (app_id)",
            "shopline.tokens[0].merchant_id: merchant nobody is not a merchant",
            "shopline.subscriptions[0].token: not a token",
            "shopline.subscriptions[0].topics[0]: 'not/a-topic' is not a subscribable Open API topic")


def test_an_id_the_seeded_world_holds_is_taken(tmp_path: Path) -> None:
    from mockserver.app import create_app
    from mockserver.settings import Settings

    seeded = create_app(Settings(seed=42)).extensions["shop_sandbox"].backend("shopee").default
    path = write(tmp_path, f"shopee:\n  shops:\n    - shop_id: {seeded['shop_id']}\n")
    refused(path, f"{path}:3: shopee.shops[0].shop_id: shop_id {seeded['shop_id']} is taken")


@pytest.mark.parametrize("text", ["", "   \n# only a comment\n"])
def test_an_empty_file_is_refused(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, text)
    refused(path, f"{path}: the document is empty")


def test_a_list_is_not_a_world(tmp_path: Path) -> None:
    path = write(tmp_path, "- shopee\n")
    refused(path, "a world document is a mapping, not a list")


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    refused(tmp_path / "nowhere.yaml", f"{tmp_path / 'nowhere.yaml'}: no such file or directory")


def test_a_directory_names_its_bad_files_and_merges_the_good(tmp_path: Path) -> None:
    (tmp_path / "10-shopee.yaml").write_text("shopee:\n  partners: [{partner_id: 1300001}]\n", encoding="utf-8")
    (tmp_path / "20-broken.yaml").write_text("oneshop: {accounts: [\n", encoding="utf-8")
    (tmp_path / "30-schema.json").write_text('{"shopline": {"apps": [{"name": "no id"}]}}', encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not read", encoding="utf-8")
    refused(tmp_path, f"{tmp_path / '20-broken.yaml'}:2: not valid YAML",
            f"{tmp_path / '30-schema.json'}:1: shopline.apps[0]: 'app_id' is required")
    (tmp_path / "20-broken.yaml").unlink()
    (tmp_path / "30-schema.json").write_text('{"shopee": {"shops": [{"authorised_partners": [1300002]}]}}',
                                             encoding="utf-8")
    # A problem found on the merged document is reported in the file it came from.
    refused(tmp_path, f"{tmp_path / '30-schema.json'}:1: shopee.shops[0].authorised_partners[0]: partner 1300002")
    (tmp_path / "30-schema.json").write_text('{"shopee": {"shops": [{"authorised_partners": [1300001]}]}}',
                                             encoding="utf-8")
    answer = run("world", "validate", str(tmp_path))
    assert answer.returncode == 0 and "ok (2 files)" in answer.stdout, answer.stderr


def test_serve_refuses_a_bad_world_before_listening(tmp_path: Path) -> None:
    path = write(tmp_path, "shopee:\n  shops:\n    - region: XX\n    - authorised_partners: [77]\n")
    answer = subprocess.run([sys.executable, "-m", "mockserver.cli", "serve", "--port", "0", "--world", str(path)],
                            capture_output=True, text=True, timeout=TIMEOUT)
    assert answer.returncode == 1
    assert "Traceback" not in answer.stderr and "listening" not in answer.stdout
    assert f"{path}:3: shopee.shops[0].region: 'XX' is not one of" in answer.stderr
    # The schema's problems come first: the checks against the world need a schema-valid document.
    assert "partner 77" not in answer.stderr


def test_serve_reads_the_environment_variable(tmp_path: Path) -> None:
    import os

    path = write(tmp_path, "oneshop: {accounts: [{appid: 'bad id'}]}\n")
    answer = subprocess.run([sys.executable, "-m", "mockserver.cli", "serve", "--port", "0"], capture_output=True,
                            text=True, timeout=TIMEOUT, env={**os.environ, "SHOP_SANDBOX_WORLD": str(path)})
    assert answer.returncode == 1 and "oneshop.accounts[0].appid" in answer.stderr, answer.stderr


def test_the_example_validates_and_loads(tmp_path: Path) -> None:
    example = run("world", "example")
    assert example.returncode == 0 and example.stdout.startswith("# A shop-sandbox world file")
    path = write(tmp_path, example.stdout)
    answer = run("world", "validate", str(path))
    assert answer.returncode == 0, answer.stderr
    # It covers every part of the schema (every top-level section and every list of each).
    import yaml

    from mockserver.core.contracts import load

    data, schema = yaml.safe_load(example.stdout), load("admin/world.schema.yaml")
    for section in ("Shopee", "Oneshop", "Shopline"):
        key = section.lower()
        assert set(data[key]) == set(schema["$defs"][section]["properties"]), section
