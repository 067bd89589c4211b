"""Helpers for the SHOPLINE subscription and emission tests: authenticated calls to both flavours'
REST APIs (answers validated against contracts/shopline*/openapi.yaml by the client), credentials,
a receiver that passes the endpoint verification, and the sandbox clock."""
from __future__ import annotations

import base64
from typing import Any

from mockserver.testing import Reply, WebhookInbox
from tests.support.clients import Answer, SandboxClient

VERSION = "v20210901"


def creds(client: SandboxClient) -> dict[str, Any]:
    return client.admin("GET", "/credentials").body["shopline"]


def openapi(client: SandboxClient, method: str, path: str = "", body: Any = None, token: str | None = None,
            query: dict | None = None, raw: bytes | None = None) -> Answer:
    """A call to /v1/webhooks<path> with `Authorization: Bearer <token>` (the default app token when
    None, no header when "")."""
    token = creds(client)["openapi"]["access_token"] if token is None else token
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if raw is not None:
        headers["Content-Type"] = "application/json"
    return client.request(method, "/v1/webhooks" + path, query=query, json_body=body, data=raw, headers=headers)


def global_api(client: SandboxClient, method: str, path: str, body: Any = None, token: str | None = None,
               version: str = VERSION) -> Answer:
    """A call to /admin/openapi/<version>/<path> with the default shop's token (None) or `token`."""
    token = creds(client)["global"]["access_token"] if token is None else token
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.request(method, f"/admin/openapi/{version}/{path}", json_body=body, headers=headers)


def b64(value: str) -> str:
    return base64.b64encode(value.encode()).decode()


def verifying(inbox: WebhookInbox, path: str, answer: str) -> str:
    """Make `path` of the inbox answer every request 200 with `answer` (the handshake's expected text);
    returns the URL."""
    inbox.respond(Reply(body=answer), path=path)
    return inbox.url_for(path)


def subscribe(client: SandboxClient, inbox: WebhookInbox, topics: list[str], path: str = "/hook",
              token: str | None = None, answer: str | None = None) -> dict[str, Any]:
    """An active Open API subscription of the default app (or `token`) whose endpoint passes the handshake."""
    expected = answer if answer is not None else b64(creds(client)["openapi"]["app_id"])
    url = verifying(inbox, path, expected)
    created = openapi(client, "POST", body={"address": url, "topics": topics}, token=token)
    assert created.status == 200, created.body
    return created.body


def subscribe_global(client: SandboxClient, url: str, topic: str = "orders/updated",
                     token: str | None = None) -> dict[str, Any]:
    created = global_api(client, "POST", "webhooks.json", {"webhook": {"address": url, "topic": topic,
                                                                       "api_version": VERSION}}, token=token)
    assert created.status == 200, created.body
    return created.body["webhook"]


def trigger(client: SandboxClient, **body: Any) -> dict[str, Any]:
    answer = client.admin("POST", "/shopline/trigger", body)
    assert answer.status == 200, answer.body
    return answer.body


def flush(client: SandboxClient) -> dict[str, Any]:
    result = client.admin("POST", "/deliveries/flush").body
    assert not result["timed_out"], result
    return result


def advance(client: SandboxClient, seconds: float) -> None:
    client.admin("POST", "/clock", {"advance_seconds": seconds})


def delivery(client: SandboxClient, delivery_id: str) -> dict[str, Any]:
    return client.admin("GET", f"/deliveries/{delivery_id}").body


def no_rate_limit(client: SandboxClient) -> None:
    assert client.admin("POST", "/shopline/settings", {"openapi_rate_limit": None}).status == 200
