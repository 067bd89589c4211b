"""Helpers for the lenient/strict tests (issue 11): strict mode per test, the warnings of an answer
(its X-Sandbox-Warning headers and its journal entry), and requests sent byte for byte as a real
client sent them (a raw query string, repeated parameters included)."""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

from tests.support.clients import Answer, SandboxClient
from tests.support.shopee_signer import signed_query

HEADER = "X-Sandbox-Warning"


def strict(sandbox: SandboxClient, on: bool = True) -> None:
    """POST /_sandbox/strict: until the next reset, warnings are refused with the platform's error."""
    answer = sandbox.admin("POST", "/strict", {"strict": on})
    assert answer.status == 200 and answer.body == {"strict": on}, answer.body


def last_entry(sandbox: SandboxClient) -> dict[str, Any]:
    entries = sandbox.request("GET", "/_sandbox/requests", query={"limit": 1}).body["requests"]
    assert entries, "the journal is empty"
    return entries[-1]


def warned(sandbox: SandboxClient, answer: Answer, *needles: str) -> list[str]:
    """The answer carries X-Sandbox-Warning and its journal entry has a warning containing each needle."""
    assert answer.headers.get(HEADER), (answer.status, dict(answer.headers))
    warnings = last_entry(sandbox)["warnings"]
    for needle in needles:
        assert any(needle in w for w in warnings), (needle, warnings)
    return warnings


def not_warned(sandbox: SandboxClient, answer: Answer) -> None:
    assert HEADER not in answer.headers, answer.headers.get(HEADER)
    assert last_entry(sandbox)["warnings"] == []


def raw_get(sandbox: SandboxClient, api: str, pairs: list[tuple[str, Any]], creds: dict | None = None,
            shop: bool = True, validate: bool = True) -> Answer:
    """A signed GET whose own parameters go in the query exactly as given, in order, repeats kept."""
    path = "/api/v2/" + api
    common = signed_query(creds or sandbox.creds, path, sandbox.now(), shop=shop)
    query = "&".join(f"{quote(str(k), safe='')}={quote(str(v), safe=',')}"
                     for k, v in list(common.items()) + pairs)
    return sandbox.request("GET", path, query=query, validate=validate)


def raw_post(sandbox: SandboxClient, api: str, body: Any, extra_query: list[tuple[str, Any]] = (),
             creds: dict | None = None, shop: bool = True) -> Answer:
    """A signed POST with `body` as its JSON and extra query pairs after the common ones."""
    path = "/api/v2/" + api
    common = signed_query(creds or sandbox.creds, path, sandbox.now(), shop=shop)
    query = "&".join(f"{quote(str(k), safe='')}={quote(str(v), safe='')}"
                     for k, v in list(common.items()) + list(extra_query))
    return sandbox.request("POST", path, query=query, json_body=body)
