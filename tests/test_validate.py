"""`shop-sandbox validate <file> --contract <name>`: contract drift of a captured payload, as a
readable report (violations with their JSON path, unknown fields as warnings, a summary line) and
exit codes 0 valid, 1 violations, 2 usage errors."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mockserver.cli import main
from mockserver.resources import data_dir

FIXTURES = data_dir("fixtures")


def _write(tmp_path: Path, document, name: str = "captured.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return str(path)


def _fixture(relative: str):
    return json.loads((FIXTURES / relative).read_text(encoding="utf-8"))


def _run(capsys, *argv: str) -> tuple[int, list[str], str]:
    code = main(["validate", *argv])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_a_valid_payload_exits_0_with_a_summary(capsys):
    path = str(FIXTURES / "shopline" / "order" / "create.json")
    code, lines, err = _run(capsys, path, "--contract", "shopline/order/create")
    assert code == 0 and err == ""
    assert lines == ["contract: shopline/order/create (contracts/shopline/order/create.schema.json)",
                     f"payload:  {path}", "", "VALID: 0 violations, 0 unknown fields"]


def test_the_report_names_each_violation_and_unknown_field(tmp_path, capsys):
    body = _fixture("shopee/push/3.json")
    del body["data"]["ordersn"]                    # missing required field
    body["data"]["status"] = "PAID"                # not in the enum
    body["data"]["update_time"] = "1660123127"     # wrong type
    body["data"]["foo"] = {"bar": 1}               # a field the contract does not know
    path = _write(tmp_path, body)
    code, lines, _ = _run(capsys, path, "--contract", "shopee/push/3")
    assert code == 1
    assert lines == [
        "contract: shopee/push/3 (contracts/shopee/push/3.schema.json)",
        f"payload:  {path}",
        "",
        "ERROR  $.data.ordersn: missing required field",
        ('ERROR  $.data.status: not an allowed value: expected one of "UNPAID", "INVOICE_PENDING", "READY_TO_SHIP", '
         '"PROCESSED", "RETRY_SHIP", "SHIPPED", "TO_CONFIRM_RECEIVE", "COMPLETED", …, got "PAID"'),
        'ERROR  $.data.update_time: wrong type: expected integer, got string "1660123127"',
        "WARN   $.data.foo: field not in the contract",
        "",
        "INVALID: 3 violations, 1 unknown field",
    ]


def test_unknown_fields_alone_are_warnings_and_exit_0(tmp_path, capsys):
    body = _fixture("shopline/order/update.json")
    body["resource"]["brand_new_field"] = "x"
    body["resource"]["subtotal_items"] = [dict(body["resource"]["subtotal_items"][0], added=1)] * 3
    body["resource"]["name_translations"] = {"zh-hant": "x"}
    code, lines, _ = _run(capsys, _write(tmp_path, body), "-c", "shopline/order/update")
    assert code == 0
    assert lines[3:] == ["WARN   $.resource.subtotal_items[*].added: field not in the contract (in 3 items)",
                         "WARN   $.resource.brand_new_field: field not in the contract",
                         "WARN   $.resource.name_translations: field not in the contract",
                         "", "VALID: 0 violations, 3 unknown fields"]


def test_const_forbidden_extra_fields_and_must_be_absent_fields(tmp_path, capsys):
    verification = _fixture("shopee/push/0.json") | {"shop_id": 1}
    code, lines, _ = _run(capsys, _write(tmp_path, verification), "-c", "shopee/push/0")
    assert code == 1
    assert "ERROR  $.shop_id: field not allowed: the contract forbids extra fields here" in lines
    assert "ERROR  $.shop_id: must be absent (Partner-level pushes carry no shop_id)" in lines
    assert not any(line.startswith("WARN") for line in lines)  # forbidden, so not also "unknown"
    envelope = _fixture("shopline/order/create.json") | {"event": "Orders"}
    code, lines, _ = _run(capsys, _write(tmp_path, envelope), "-c", "shopline/order/create")
    assert code == 1 and 'ERROR  $.event: wrong value: expected "Order", got "Orders"' in lines


def test_a_oneshop_response_names_the_closest_cart_line_shape(tmp_path, capsys):
    detail = _fixture("oneshop/order-detail.json")
    detail["data"]["cart"]["products"][0]["quantity"] = "1"
    code, lines, _ = _run(capsys, _write(tmp_path, detail), "-c", "oneshop/order-detail")
    assert code == 1
    assert lines[3] == ("ERROR  $.data.cart.products[0]: matches none of the 3 allowed shapes; closest is "
                        'SingleProduct: $.data.cart.products[0].quantity: wrong type: expected integer, got string "1"')


def test_json_output_is_machine_readable(tmp_path, capsys):
    body = _fixture("shopee/push/4.json")
    body["shop_id"] = 0
    code, lines, _ = _run(capsys, _write(tmp_path, body), "-c", "shopee/push/4", "--json")
    report = json.loads("\n".join(lines))
    assert code == 1 and report["valid"] is False and report["contract"] == "shopee/push/4"
    assert report["violations"] == [{"path": "$.shop_id", "keyword": "minimum", "expected": 1, "actual": 0,
                                     "message": "out of range: expected >= 1, got 0"}]
    assert report["unknown_fields"] == [] and report["summary"] == "INVALID: 1 violation, 0 unknown fields"


def test_list_prints_every_contract_name(capsys):
    code, lines, _ = _run(capsys, "--list")
    names = [line.split()[0] for line in lines]
    assert code == 0 and len(names) == 47 + 7 + 6 + 2
    assert {"shopline/order/create", "shopline-global/orders/updated", "shopee/push/12", "oneshop/order-list",
            "oneshop/order-detail"} <= set(names)


def test_a_topic_alias_names_its_topics_contract(capsys):
    path = str(FIXTURES / "shopline" / "promotion" / "redeem.json")
    code, lines, _ = _run(capsys, path, "-c", "shopline/promotion/redeeem")
    assert code == 0 and lines[0].startswith("contract: shopline/promotion/redeem ")


@pytest.mark.parametrize("argv, says", [
    (["x.json", "--contract", "shopline/order/created"],
     "unknown contract 'shopline/order/created' (did you mean shopline/order/create"),
    (["x.json"], "give a payload file and --contract <name>"),
    (["--contract", "shopee/push/3"], "give a payload file and --contract <name>"),
])
def test_usage_errors_exit_2_with_the_list_hint(capsys, argv, says):
    code, lines, err = _run(capsys, *argv)
    assert code == 2 and lines == []
    assert says in err and "run `shop-sandbox validate --list` for the contract names" in err


def test_unreadable_or_invalid_json_files_exit_2(tmp_path, capsys):
    code, _, err = _run(capsys, str(tmp_path / "missing.json"), "-c", "shopee/push/3")
    assert code == 2 and "cannot read" in err and "missing.json" in err
    broken = tmp_path / "broken.json"
    broken.write_text('{"code": 3,\n "data": }', encoding="utf-8")
    code, _, err = _run(capsys, str(broken), "-c", "shopee/push/3")
    assert code == 2 and "is not valid JSON: Expecting value at line 2 column 10" in err


def test_the_installed_command_runs_it(tmp_path):
    body = _fixture("shopee/push/12.json")
    body["data"]["page_no"] = 0
    result = subprocess.run([sys.executable, "-m", "mockserver", "validate", _write(tmp_path, body),
                             "--contract", "shopee/push/12"], check=False, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stderr
    assert "ERROR  $.data.page_no: out of range: expected >= 1, got 0" in result.stdout.splitlines()
    assert result.stdout.splitlines()[-1] == "INVALID: 1 violation, 0 unknown fields"
