"""The SHOPLINE part of a world document: apps, merchants, Open API tokens and subscriptions,
global shops and their subscriptions. Subscriptions are made as the subscription APIs make them
(same records, same topic and address rules) but without the endpoint verification: a world
file describes subscriptions that were verified when they were made."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from mockserver.shopline import topics
from mockserver.shopline.subscriptions import (APP_TOKEN, DEFAULT_API_VERSION, App, Merchant, Shop,
                                               ShoplineWorld, Token, check_address, subscribable,
                                               valid_api_version)
from mockserver.world.file_problems import Path

Report = Callable[[Path, str], None]


@dataclass
class ShoplinePlan:
    section: dict[str, Any]


def check(section: dict[str, Any], world: ShoplineWorld, report: Report) -> ShoplinePlan:
    apps = _unique(section, "apps", "app_id", set(world.apps), report)
    merchants = _unique(section, "merchants", "merchant_id", set(world.merchants), report)
    # token -> (kind, merchant_id, app_id) of every token the document may use
    tokens = {t.token: (t.kind, t.merchant_id, t.app_id) for t in world.tokens.values()}
    for index, entry in enumerate(section.get("tokens", [])):
        here = ("shopline", "tokens", index)
        if entry["token"] in tokens or world.shop_by_token(entry["token"]) is not None:
            report(here + ("token",), "this token is already another token's or shop's")
        if entry["merchant_id"] not in merchants:
            report(here + ("merchant_id",), f"merchant {entry['merchant_id']} is not a merchant of the world or of "
                                            "this document")
        app_id = entry.get("app_id")
        if entry["kind"] == APP_TOKEN and app_id is None:
            report(here, "an app token names its app (app_id)")
        elif entry["kind"] != APP_TOKEN and app_id is not None:
            report(here + ("app_id",), "a merchant token belongs to no app: leave app_id out")
        elif app_id is not None and app_id not in apps:
            report(here + ("app_id",), f"app {app_id} is not an app of the world or of this document")
        tokens[entry["token"]] = (entry["kind"], entry["merchant_id"], app_id)
    _check_subscriptions(section, world, tokens, report)
    shops = _unique(section, "shops", "shop_id", set(world.shops), report)
    shop_tokens = {s.token for s in world.shops.values()} | set(tokens)
    for index, entry in enumerate(section.get("shops", [])):
        value = entry.get("access_token")
        if value is not None:
            if value in shop_tokens:
                report(("shopline", "shops", index, "access_token"), "this token is already another shop's or token's")
            shop_tokens.add(value)
    seen: set[tuple[str, str, str]] = {(s.shop_id, s.address, s.topic) for s in world.global_subscriptions.values()}
    for index, entry in enumerate(section.get("global_subscriptions", [])):
        here = ("shopline", "global_subscriptions", index)
        if entry["shop_id"] not in shops:
            report(here + ("shop_id",), f"shop {entry['shop_id']} is not a global shop of the world or of this document")
        if not topics.is_global_topic(entry["topic"]):
            report(here + ("topic",), f"{entry['topic']!r} is not a topic of the global flavour")
        _address(entry["address"], here, report)
        if "api_version" in entry and not valid_api_version(entry["api_version"]):
            report(here + ("api_version",), f"{entry['api_version']!r} is not an API version (vYYYYMMDD, a real date)")
        key = (entry["shop_id"], entry["address"], entry["topic"])
        if key in seen:
            report(here, "address for this topic has already been taken")
        seen.add(key)
    return ShoplinePlan(section)


def _unique(section: dict[str, Any], name: str, key: str, taken: set[str], report: Report) -> set[str]:
    """The ids of the world and the document's `name` entries, reporting the document's taken ones."""
    for index, entry in enumerate(section.get(name, [])):
        value = entry.get(key)
        if value is None:
            continue
        if value in taken:
            report(("shopline", name, index, key), f"{key} {value} is taken")
        taken.add(value)
    return taken


def _address(address: str, here: Path, report: Report) -> None:
    try:
        check_address(address)
    except ValueError as exc:
        report(here + ("address",), f"not an address the sandbox can send to: {exc}")


def _check_subscriptions(section: dict[str, Any], world: ShoplineWorld, tokens: dict[str, tuple],
                         report: Report) -> None:
    # (owner, address) -> topics already sent there: an owner subscribes a topic to an address once
    sent: dict[tuple, set[str]] = {}
    for sub in world.subscriptions.values():
        sent.setdefault((sub.owner, sub.address), set()).update(sub.topics)
    for index, entry in enumerate(section.get("subscriptions", [])):
        here = ("shopline", "subscriptions", index)
        owner = tokens.get(entry["token"])
        if owner is None:
            report(here + ("token",), "not a token of the world or of this document")
        _address(entry["address"], here, report)
        names = []
        for position, name in enumerate(entry["topics"]):
            canonical = subscribable(name)
            if canonical is None:
                report(here + ("topics", position), f"{name!r} is not a subscribable Open API topic")
            elif canonical in names:
                report(here + ("topics", position), f"{name!r} is listed twice")
            else:
                names.append(canonical)
        if owner is not None:
            taken = sent.setdefault(((owner[1], owner[2]), entry["address"]), set())
            shared = sorted(taken & set(names))
            if shared:
                report(here, f"topic {shared[0]} already goes to this address for this token's owner")
            taken.update(names)


def apply(plan: ShoplinePlan, world: ShoplineWorld) -> dict[str, int]:
    section = plan.section
    for entry in section.get("apps", []):
        world.add_app(App(entry["app_id"], entry.get("app_secret") or world.hex_token(64),
                          entry.get("name", "Sandbox App")))
    for entry in section.get("merchants", []):
        merchant_id = entry["merchant_id"]
        world.add_merchant(Merchant(merchant_id, entry.get("handle", f"store-{merchant_id[-6:].lower()}"),
                                    entry.get("name", "Sandbox Store")))
    for entry in section.get("tokens", []):
        world.add_token(Token(entry["token"], entry["kind"], entry["merchant_id"], entry.get("app_id")))
    for entry in section.get("subscriptions", []):
        token = world.token(entry["token"])
        names = [subscribable(name) for name in entry["topics"]]
        world.create_subscription(token, entry["address"], names, entry.get("webhook_version"))
    for entry in section.get("shops", []):
        shop_id = entry.get("shop_id") or world.digits(13, world.shops)
        world.add_shop(Shop(shop_id=shop_id, handle=entry.get("handle", f"shop{shop_id[-6:]}"),
                            merchant_id=entry.get("merchant_id") or world.digits(10),
                            name=entry.get("name", "Sandbox Shop"),
                            app_secret=entry.get("app_secret") or world.hex_token(40),
                            token=entry.get("access_token") or world.hex_token(64),
                            signature_encoding=entry.get("signature_encoding", "hex")))
    for entry in section.get("global_subscriptions", []):
        world.create_global(world.shops[entry["shop_id"]], entry["address"], entry["topic"],
                            entry.get("api_version", DEFAULT_API_VERSION))
    return {name: len(section.get(name, [])) for name in ("apps", "merchants", "tokens", "subscriptions", "shops",
                                                           "global_subscriptions")}
