"""Schemathesis hooks of the SHOPLINE suites (contracts/shopline/openapi.yaml, contracts/shopline-global/
openapi.yaml): bearer tokens, a few subscriptions to aim at, and steering.

- `prepare_*` run after every restore (hooks.Sandbox.prepare): they subscribe through the real APIs,
  so examples on /{id} paths can reach existing records; the Open API flavour's endpoint verification
  is answered by the suite's inbox on VERIFY_PATH.
- `ShoplineOpenApiToken` / `ShoplineGlobalToken` put the default world's token in `Authorization`.
- `steer_shopline*` swap generated ids, versions and topics for real ones (by a hash of the generated
  value, like hooks.steer_*), and point every Open API address the server would accept at the inbox or
  a closed local port: creating a subscription POSTs to its address, which must never leave the machine.
"""
from __future__ import annotations

import base64
import json
from typing import Any

from mockserver.shopline import topics
from mockserver.shopline.subscriptions import check_address
from mockserver.testing.inbox import Reply
from tests.contract.hooks import BODY, DEAD_URL, PATH, QUERY, Sandbox, _frozen, _positive, _replace, chance, pick

VERIFY_PATH = "/shopline"
OPENAPI = "/v1/webhooks"


def _call(sandbox: Sandbox, method: str, path: str, token: str, body: Any = None) -> Any:
    answer = sandbox.client.open(path, method=method, json=body, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, (method, path, answer.status_code, answer.get_data(as_text=True))
    return answer.get_json()


def verify_url(sandbox: Sandbox) -> str:
    return sandbox.inbox.url_for(VERIFY_PATH)


# ---- records to aim at --------------------------------------------------------------------------
def prepare_shopline(sandbox: Sandbox) -> None:
    """Two Open API subscriptions of the app token; the inbox answers the endpoint verification."""
    creds = sandbox.shopline["openapi"]
    answer = base64.b64encode(creds["app_id"].encode()).decode()
    sandbox.inbox.respond(Reply(body=answer), path=VERIFY_PATH)
    made = [_call(sandbox, "POST", OPENAPI, creds["access_token"],
                  {"address": verify_url(sandbox), "topics": names})
            for names in (["order/create"], ["order/update", "product/create"])]
    sandbox.made["ids"] = [m["id"] for m in made]


def prepare_shopline_global(sandbox: Sandbox) -> None:
    """Two global subscriptions of the default shop."""
    creds = sandbox.shopline["global"]
    base = f"/admin/openapi/{creds['api_version']}/webhooks.json"
    made = [_call(sandbox, "POST", base, creds["access_token"],
                  {"webhook": {"address": DEAD_URL, "topic": topic}})["webhook"]
            for topic in ("orders/create", "products/update")]
    sandbox.made["ids"] = [m["id"] for m in made]


# ---- auth providers ---------------------------------------------------------------------------
class _Bearer:
    sandbox: Sandbox  # set by hooks.bind
    flavour = ""

    def get(self, case: Any, context: Any) -> str:
        return self.sandbox.shopline[self.flavour]["access_token"]

    def set(self, case: Any, token: str, context: Any) -> None:
        if case.headers is None:
            case.headers = {}
        case.headers["Authorization"] = f"Bearer {token}"


class ShoplineOpenApiToken(_Bearer):
    """The default app token of the Open API flavour (its subscriptions answer base64(app_id))."""
    flavour = "openapi"


class ShoplineGlobalToken(_Bearer):
    """The default global shop's token."""
    flavour = "global"


# ---- steering --------------------------------------------------------------------------------
def _accepted_address(value: Any) -> bool:
    try:
        check_address(value)
    except ValueError:
        return False
    return True


def steer_shopline(sandbox: Sandbox, case: Any) -> Any:
    """Open API flavour: real subscription ids and topics; addresses the server would send to are local."""
    if _positive(case, PATH) and isinstance(case.path_parameters, dict) and "id" in case.path_parameters:
        value = case.path_parameters["id"]
        if chance(value, 80, "id"):
            case.path_parameters["id"] = pick(value, sandbox.made["ids"], "id")
    keep = _frozen(case, QUERY)
    page = case.query.get("page") if isinstance(case.query, dict) else None
    if keep is not None and "page" not in keep and isinstance(page, int) and page > 3 and chance(page, 80, "page"):
        _replace(case.query, {**case.query, "page": 1 + page % 3})  # pages past 1 are empty anyway
    if not isinstance(case.body, dict):
        return case
    body = json.loads(json.dumps(case.body))
    positive = _positive(case, BODY)
    if positive and isinstance(body.get("topics"), list) and chance(body["topics"], 80, "topics"):
        known = topics.subscribable_topics()
        body["topics"] = [pick(name, known, f"topic{i}") for i, name in enumerate(body["topics"])]
    address = body.get("address")
    if address not in (verify_url(sandbox), DEAD_URL) and _accepted_address(address):
        # Positive: mostly the inbox, which passes the verification; negative: a closed port, so a
        # mutated but acceptable address fails the verification instead of reaching the network.
        body["address"] = verify_url(sandbox) if positive and chance(address, 70, "inbox") else DEAD_URL
    _replace(case.body, body)
    return case


def steer_shopline_global(sandbox: Sandbox, case: Any) -> Any:
    """Global flavour: the shop's API version and subscription ids, valid api_version in bodies."""
    creds = sandbox.shopline["global"]
    if _positive(case, PATH) and isinstance(case.path_parameters, dict):
        params = dict(case.path_parameters)
        if "version" in params and chance(params["version"], 90, "version"):
            params["version"] = creds["api_version"]
        if "id" in params and chance(params["id"], 80, "id"):
            params["id"] = pick(params["id"], sandbox.made["ids"], "id")
        _replace(case.path_parameters, params)
    if _positive(case, BODY) and isinstance(case.body, dict) and isinstance(case.body.get("webhook"), dict):
        body = json.loads(json.dumps(case.body))
        webhook = body["webhook"]
        if "api_version" in webhook and chance(webhook["api_version"], 80, "api_version"):
            webhook["api_version"] = creds["api_version"]
        _replace(case.body, body)
    return case
