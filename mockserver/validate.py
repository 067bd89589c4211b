"""`shop-sandbox validate <file.json> --contract <name>`: the contract names and the subcommand.

Names: shopline/<topic> (the 47 documented Open API topics), shopline-global/<topic> (the order
topics, one body), shopee/push/<code>, oneshop/order-list and oneshop/order-detail (the 200 bodies
of GET /v1/order and GET /v1/order/{order_number}). Each names its schema and the fixture that is
its example, so the fixture tests and the command share one table. Exit 0 valid (unknown fields are
warnings), 1 violations, 2 usage errors.
"""
from __future__ import annotations

import argparse
import difflib
import json
import sys
from dataclasses import dataclass
from functools import cache
from typing import Any

from mockserver.contract_drift import SchemaRef, check, render_json, render_text
from mockserver.core.contracts import load, openapi
from mockserver.resources import data_dir
from mockserver.shopline import topics

EXIT_VALID, EXIT_VIOLATIONS, EXIT_USAGE = 0, 1, 2
LIST_HINT = "run `shop-sandbox validate --list` for the contract names"


class UnknownContract(KeyError):
    """No contract of that name."""


@dataclass(frozen=True)
class Contract:
    """A named contract: a JSON Schema file, or one response body of an OpenAPI document."""
    name: str
    source: str                               # file under contracts/
    fixture: str                              # its example under fixtures/
    response: tuple[str, str, int] | None = None  # (method, path, status) in the OpenAPI `source`
    # Which alternative of a oneOf body: 1shop answers a failure with HTTP 200 too (seed 003), so its
    # 200 body is oneOf [the answer, the failure]; its contract names the answer (0).
    alternative: int | None = None

    @property
    def described_as(self) -> str:
        where = f"contracts/{self.source}"
        if self.response:
            method, path, status = self.response
            return f"{where} {method} {path} {status}"
        return where

    def schema(self) -> SchemaRef:
        return _schema(self)


@cache
def _schema(contract: Contract) -> SchemaRef:
    document = load(contract.source)
    uri = document.get("$id") or f"urn:shop-sandbox:contracts:{contract.source}"
    if contract.response is None:
        return SchemaRef(document, uri)
    method, path, status = contract.response
    pointer = openapi(contract.source).response_schema_ref(method, path, status, "application/json")
    if pointer is None:
        raise LookupError(f"{contract.described_as} has no JSON body")
    if contract.alternative is not None:
        pointer += f"/oneOf/{contract.alternative}"
    return SchemaRef(document, uri, pointer.removeprefix("#"))


def _push_codes() -> list[int]:
    folder = data_dir("contracts") / "shopee" / "push"
    return sorted(int(p.name.split(".")[0]) for p in folder.glob("*.schema.json"))


@cache
def catalogue() -> dict[str, Contract]:
    """Every contract name, in --list order."""
    entries = [Contract(f"shopline/{t}", topics.schema_relative(t), topics.fixture_relative(t))
               for t in topics.SEED_TOPICS]
    entries += [Contract(f"shopline-global/{t}", topics.GLOBAL_SCHEMA, topics.GLOBAL_FIXTURE)
                for t in topics.GLOBAL_ORDER_BODY_TOPICS]
    entries += [Contract(f"shopee/push/{c}", f"shopee/push/{c}.schema.json", f"shopee/push/{c}.json")
                for c in _push_codes()]
    entries += [Contract("oneshop/order-list", "oneshop/openapi.yaml", "oneshop/order-list.json",
                         ("GET", "/v1/order", 200), alternative=0),
                Contract("oneshop/order-detail", "oneshop/openapi.yaml", "oneshop/order-detail.json",
                         ("GET", "/v1/order/{order_number}", 200), alternative=0)]
    return {entry.name: entry for entry in entries}


def contract(name: str) -> Contract:
    """The contract of a name (a SHOPLINE topic alias such as promotion/redeeem resolves too)."""
    known = catalogue()
    if name in known:
        return known[name]
    if name.startswith("shopline/"):
        try:
            return known[f"shopline/{topics.canonical(name.removeprefix('shopline/'))}"]
        except (topics.UnknownTopic, KeyError):
            pass
    raise UnknownContract(name)


def fixture(entry: Contract) -> Any:
    """The contract's example document from fixtures/."""
    with open(data_dir("fixtures") / entry.fixture, encoding="utf-8") as handle:
        return json.load(handle)


# ---------------------------------------------------------------------------- the subcommand
def add_parser(sub: Any) -> None:
    """`validate` under the CLI's subcommands."""
    parser = sub.add_parser("validate", help="check a payload captured from a platform against a contract",
                            description="Check a JSON payload against a contract (contract drift): every "
                                        "violation with its JSON path, fields the contract does not know as "
                                        "warnings. Exit 0 valid, 1 violations, 2 usage errors.")
    parser.add_argument("file", nargs="?", help="the payload, a JSON file (- for stdin)")
    parser.add_argument("--contract", "-c", help="e.g. shopline/order/create, shopee/push/3, oneshop/order-detail")
    parser.add_argument("--list", action="store_true", help="print every contract name and exit")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.set_defaults(func=run)


def _usage(message: str) -> int:
    print(f"shop-sandbox validate: {message}", file=sys.stderr)
    return EXIT_USAGE


def _read(file: str) -> Any:
    if file == "-":
        return json.loads(sys.stdin.read())
    with open(file, encoding="utf-8") as handle:
        return json.load(handle)


def run(args: argparse.Namespace) -> int:
    """The `validate` subcommand; returns the exit code."""
    if args.list:
        entries = list(catalogue().values())
        if args.json:
            print(json.dumps([{"name": e.name, "source": e.described_as} for e in entries], indent=2))
        else:
            width = max(len(e.name) for e in entries)
            print("\n".join(f"{e.name:<{width}}  {e.described_as}" for e in entries))
        return EXIT_VALID
    if not args.file or not args.contract:
        return _usage("give a payload file and --contract <name>; " + LIST_HINT)
    try:
        entry = contract(args.contract)
    except UnknownContract:
        close = difflib.get_close_matches(args.contract, list(catalogue()), n=3)
        maybe = f" (did you mean {', '.join(close)}?)" if close else ""
        return _usage(f"unknown contract {args.contract!r}{maybe}; {LIST_HINT}")
    try:
        document = _read(args.file)
    except OSError as exc:
        return _usage(f"cannot read {args.file}: {exc.strerror or exc}")
    except UnicodeDecodeError as exc:
        return _usage(f"{args.file} is not UTF-8 text: {exc.reason}")
    except json.JSONDecodeError as exc:
        return _usage(f"{args.file} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
    report = check(document, entry.schema())
    if args.json:
        print(json.dumps(render_json(report, entry.name, entry.described_as, args.file), ensure_ascii=False,
                         indent=2))
    else:
        print(render_text(report, entry.name, entry.described_as, args.file))
    return EXIT_VALID if report.valid else EXIT_VIOLATIONS
