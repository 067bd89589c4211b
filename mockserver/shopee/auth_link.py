"""The newer authorisation link: GET /auth?auth_type=seller&partner_id=…&redirect_uri=…&response_type=code.

shopee-guides/sandbox-testing-v2.md (2.2 "Use the authorization link", 2.3) gives it for the sandbox
host (open.sandbox.test-stable.shopee.com/auth); published SDKs use it as their default. It carries
no sign and no timestamp. It opens the same page as shop/auth_partner, and the approval redirects to
`redirect_uri?code=…&shop_id=…` like the older link (authorization-and-authentication.md).
"""
from __future__ import annotations

from typing import Any, Mapping
from urllib.parse import urlsplit

from flask import Response

from mockserver.shopee import errors as E
from mockserver.shopee import lenient
from mockserver.shopee.auth import open_page
from mockserver.shopee.errors import ShopeeError, wrong_param
from mockserver.shopee.gateway import _DIGITS
from mockserver.shopee.params import UINT32_MAX, missing
from mockserver.shopee.world import ShopeeWorld

NAME = "auth"  # how warnings name it (it is no v2 API)
PARAMETERS = ("auth_type", "partner_id", "redirect_uri", "response_type")
# The only values the guide shows; anything else is accepted with a warning.
DOCUMENTED = {"auth_type": "seller", "response_type": "code"}


def _first(args: Any, name: str) -> str | None:
    values = args.getlist(name)
    if len(values) > 1:
        lenient.repeated_parameter(NAME, name, values)
    return values[0] if values else None


def _partner_id(args: Any) -> int:
    raw = _first(args, "partner_id")
    if not raw:
        raise ShopeeError.of(E.NO_PARTNER_ID)
    if not _DIGITS.fullmatch(raw) or int(raw) > UINT32_MAX:
        raise ShopeeError.of(E.BAD_PARTNER_ID)
    return int(raw)


def open_link(world: ShopeeWorld, args: Any, now: int) -> Response:
    """The authorisation page of the link's partner; its approval redirects to redirect_uri."""
    for name in sorted(set(args) - set(PARAMETERS)):
        lenient.unknown_parameter(NAME, name)
    partner_id = _partner_id(args)
    target = _first(args, "redirect_uri")
    if not target:
        raise missing("redirect_uri")
    if not urlsplit(target).scheme:
        raise wrong_param("redirect_uri should be an absolute URL")
    _check_documented(args)
    if world.partner(partner_id) is None:
        raise ShopeeError.of(E.UNKNOWN_PARTNER_ID)
    return open_page(world, partner_id, target, "auth", now)


def _check_documented(args: Mapping[str, str]) -> None:
    for name, value in DOCUMENTED.items():
        given = _first(args, name)
        if given != value:
            shown = "missing" if given is None else f"{given[:30]!r}"
            lenient.note(NAME, f"{name} is {shown}; the guide's link has {name}={value}",
                         wrong_param(f"{name} should be {value}"))
