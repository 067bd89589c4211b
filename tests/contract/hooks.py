"""Schemathesis hooks of the contract suites: signing, state resets and steering.

- `Sandbox` owns one in-process app (fixed seed, frozen clock) and puts it back into its seed world
  (clock, reset, 1shop rate limit off) before an example when an earlier one may have changed it, so
  every example starts from the same state and Hypothesis can replay and shrink deterministically.
- `ShopeeSigner` / `OneshopCredentials` are Schemathesis auth providers: every generated request
  carries valid common parameters, except the ones a negative example mutated on purpose.
- `steer_*` are `map_case` hooks: a positive example's random ids are swapped, by a deterministic hash
  of the generated value, for ids that exist in the seed world, so examples also reach the handlers'
  business logic instead of answering "not found" every time.
The Shopee sign is computed here with hmac (not the package's signer, not tests/support).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from flask import Flask
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.meta import negated_parameters

from mockserver.testing.inbox import WebhookInbox
from tests.conftest import SEED, T0

T = TypeVar("T")
# get_order_detail's optional fields the sandbox renders (mockserver/shopee/render.py _OPTIONAL).
RENDERED_DETAIL_FIELDS = frozenset((
    "buyer_user_id", "buyer_username", "estimated_shipping_fee", "recipient_address", "actual_shipping_fee",
    "goods_to_declare", "note", "note_update_time", "item_list", "pay_time", "dropshipper", "dropshipper_phone",
    "split_up", "buyer_cancel_reason", "cancel_by", "cancel_reason", "actual_shipping_fee_confirmed",
    "buyer_cpf_id", "fulfillment_flag", "pickup_done_time", "package_list", "shipping_carrier",
    "checkout_shipping_carrier", "payment_method", "total_amount", "invoice_data", "order_chargeable_weight_gram",
    "return_request_due_date", "edt", "payment_info", "international_label", "reverse_shipping_fee",
    "hot_listing_order", "is_buyer_shop_collection"))
QUERY, PATH, BODY = ParameterLocation.QUERY, ParameterLocation.PATH, ParameterLocation.BODY
DAY = 86_400
# Generated-order requests of the admin API are capped: the contract allows 100,000 orders per
# call, which would turn one example into minutes of work without testing anything new.
MAX_GENERATED_ORDERS = 20
# URLs the sandbox sends to (push callbacks, deliveries) never leave the machine: a local port
# nobody listens on (the attempt fails at once) or the suite's own inbox (answers 200).
DEAD_URL = "http://127.0.0.1:9/contract-suite"


def shopee_sign(partner_key: str, partner_id: Any, path: str, timestamp: Any,
                access_token: Any = None, shop_id: Any = None) -> str:
    """HMAC-SHA256(partner_key, partner_id + path + timestamp [+ access_token + shop_id]), hex."""
    message = f"{partner_id}{path}{timestamp}"
    if access_token is not None:
        message += f"{access_token}{shop_id}"
    return hmac.new(partner_key.encode(), message.encode(), hashlib.sha256).hexdigest()


def _digest(value: Any, salt: str) -> int:
    text = json.dumps(value, sort_keys=True, default=repr, ensure_ascii=False)
    return int.from_bytes(hashlib.sha256(f"{salt}|{text}".encode()).digest()[:8], "big")


def pick(value: Any, choices: Sequence[T], salt: str = "") -> T:
    """A choice that depends only on the generated value (reproducible, shrinkable)."""
    return choices[_digest(value, salt) % len(choices)]


def chance(value: Any, percent: int, salt: str = "") -> bool:
    return _digest(value, "chance" + salt) % 100 < percent


class Sandbox:
    """One in-process sandbox and what the suites need to know about its seed world."""

    def __init__(self, app: Flask, prepare: Callable[[Sandbox], None] | None = None) -> None:
        self.app = app
        self.client = app.test_client()
        self.inbox = WebhookInbox(200)  # a daemon thread; lives as long as the test process
        self.dirty = True
        self.restore()
        creds = self.admin("GET", "/credentials")
        self.shopee: dict[str, Any] = creds["shopee"]
        self.oneshop: dict[str, Any] = creds["oneshop"]
        self.shopline: dict[str, Any] = creds["shopline"]
        # A suite's own records on top of the seed world (e.g. SHOPLINE subscriptions), made after
        # every restore; what it made goes in `made`.
        self.prepare = prepare
        self.made: dict[str, Any] = {}
        if prepare is not None:
            self.dirty = True
            self.restore()
        state = self.admin("GET", "/state")
        self.orders: list[dict[str, Any]] = state["shopee"]["orders"]
        self.order_numbers: list[str] = [o["order_number"] for o in state["oneshop"]["orders"]]
        self.page_prefixes: list[str] = sorted({p["prefix"] for a in state["oneshop"]["accounts"] for p in a["pages"]})
        self.channels: list[int] = sorted({o["logistics_channel_id"] for o in self.orders})

    def admin(self, method: str, path: str, body: Any = None) -> Any:
        response = self.client.open("/_sandbox" + path, method=method, json=body)
        assert response.status_code < 300, (method, path, response.status_code, response.get_data(as_text=True))
        return response.get_json()

    def restore(self) -> None:
        """Back to the seed world: the clock first (the world is built around it), then reset."""
        if not self.dirty:
            return
        self.admin("POST", "/clock", {"freeze": True, "now": T0})
        self.admin("POST", "/reset", {"seed": SEED})
        # 1shop's default account allows 10 calls per 10 s: off for the suites, which call far more.
        appid = self.admin("GET", "/credentials")["oneshop"]["appid"]
        self.admin("POST", f"/oneshop/accounts/{appid}/settings", {"rate_limit": None})
        # SHOPLINE's Open API allows 20 requests a second per token: the frozen clock never leaves it.
        self.admin("POST", "/shopline/settings", {"openapi_rate_limit": None})
        self.inbox.clear()
        if getattr(self, "prepare", None) is not None:
            self.made = {}
            self.prepare(self)
        self.dirty = False

    def settle(self, method: str, status: int | None) -> None:
        """After a call: a successful non-GET may have changed the world, so the next example starts
        from a reset one. An error changes nothing (checked by `unchanged`); a failed check
        (status None) may have, so it resets too."""
        if method.upper() != "GET" and (status is None or status < 400):
            self.dirty = True

    def watch(self, case: Any) -> tuple[str, Any] | None:
        """The admin view of the record a non-GET example targets, to compare after an error."""
        if case.method.upper() == "GET":
            return None
        if case.operation.path.startswith(("/v1/webhooks", "/admin/openapi/")):
            return "/shopline/subscriptions", self.admin("GET", "/shopline/subscriptions")
        found = [container.get(name) for container in (case.path_parameters, case.query, case.body)
                 if isinstance(container, dict) for name in ("order_sn", "order_number")]
        known = {o["order_sn"]: "/shopee/orders/" for o in self.orders}
        known.update({n: "/oneshop/orders/" for n in self.order_numbers})
        for value in found:
            if isinstance(value, str) and value in known:
                path = known[value] + value
                return path, self.admin("GET", path)
        return None

    def unchanged(self, watched: tuple[str, Any] | None) -> Any:
        """A check: an error answer left the watched record exactly as it was."""
        def error_changes_nothing(ctx: Any, response: Any, case: Any) -> None:
            if watched is None or response.status_code < 400:
                return
            path, before = watched
            after = self.admin("GET", path)
            changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
            assert not changed, f"a {response.status_code} answer changed {path}: {changed}"
        return error_changes_nothing

    def crashes(self) -> list[BaseException]:
        """Exceptions app.py's crash handler recorded since the last look (and forgets them)."""
        errors = self.app.extensions.get("shop_sandbox_errors", [])
        found = list(errors)
        errors.clear()
        return found

    # ---- the seed world, for steering --------------------------------------------------------
    def order(self, value: Any, salt: str, statuses: tuple[str, ...] = ()) -> dict[str, Any]:
        """A seed order picked by `value`: half the time one in `statuses` (when given)."""
        preferred = [o for o in self.orders if o["status"] in statuses]
        pool = preferred if preferred and chance(value, 50, salt + "status") else self.orders
        return pick(value, pool, salt)


# ---- which generated values may be changed ---------------------------------------------------
def _frozen(case: Any, location: ParameterLocation) -> set[str] | None:
    """Names at `location` a negative example mutated (keep them); None: keep the whole location."""
    meta = case._meta
    if meta is None or not meta.is_negative_at(location):
        return set()
    names = {name for name, where in negated_parameters(meta) if where == location}
    return names or None


def _replace(container: dict[str, Any], new: dict[str, Any]) -> None:
    """Edit a case's container in place. Assigning a new one would make Schemathesis revalidate the
    case, and its revalidation reads comma-joined query arrays as invalid, relabelling positive
    examples negative; edits made before the call are taken as the example's starting state."""
    container.clear()
    container.update(new)


def _positive(case: Any, location: ParameterLocation) -> bool:
    meta = case._meta
    return meta is None or not meta.is_negative_at(location)


# ---- auth providers --------------------------------------------------------------------------
class ShopeeSigner:
    """Common parameters of every Shopee call, signed for the sandbox's (frozen) time."""

    sandbox: Sandbox  # Schemathesis instantiates providers without arguments: see bind()

    def get(self, case: Any, context: Any) -> dict[str, Any]:
        clock = self.sandbox.admin("GET", "/clock")
        return {**self.sandbox.shopee, "now": clock["now"]}

    def set(self, case: Any, creds: dict[str, Any], context: Any) -> None:
        keep = _frozen(case, QUERY)
        if keep is None or not isinstance(case.query, dict):
            return  # a negative example that broke the query as a whole: sent as generated
        names = {parameter.name for parameter in case.operation.query}
        shop_api = "access_token" in names
        wanted: dict[str, Any] = {"partner_id": creds["partner_id"], "timestamp": creds["now"]}
        if shop_api:
            wanted.update(access_token=creds["access_token"], shop_id=creds["shop_id"])
        query = dict(case.query)
        query.update({k: v for k, v in wanted.items() if k not in keep})
        if "sign" not in keep:
            shop = (query.get("access_token", ""), query.get("shop_id", "")) if shop_api else (None, None)
            query["sign"] = shopee_sign(creds["partner_key"], query.get("partner_id", ""), case.operation.path,
                                        query.get("timestamp", ""), *shop)
        _replace(case.query, query)


class OneshopCredentials:
    """appid and secret of the default 1shop account on every call (unless mutated on purpose)."""

    sandbox: Sandbox

    def get(self, case: Any, context: Any) -> dict[str, Any]:
        return self.sandbox.oneshop

    def set(self, case: Any, creds: dict[str, Any], context: Any) -> None:
        keep = _frozen(case, QUERY)
        if keep is None or not isinstance(case.query, dict):
            return
        case.query.update({k: creds[k] for k in ("appid", "secret") if k not in keep})


def bind(provider: type, sandbox: Sandbox) -> type:
    """A subclass of an auth provider bound to one sandbox."""
    return type(provider.__name__, (provider,), {"sandbox": sandbox})


# ---- steering ----------------------------------------------------------------------------------
_SHIP_WAYS = ("pickup", "dropoff", "non_integrated")
# Statuses an operation has something to do with (the others answer its business errors).
_PREFERRED = {
    "cancel_order": ("UNPAID", "READY_TO_SHIP"), "handle_buyer_cancellation": ("IN_CANCEL",),
    "split_order": ("READY_TO_SHIP",), "unsplit_order": ("READY_TO_SHIP",),
    "get_shipping_parameter": ("READY_TO_SHIP", "RETRY_SHIP"), "ship_order": ("READY_TO_SHIP", "RETRY_SHIP"),
    "get_tracking_number": ("PROCESSED", "SHIPPED"), "get_tracking_info": ("SHIPPED", "TO_CONFIRM_RECEIVE"),
}


def steer_shopee(sandbox: Sandbox, case: Any) -> Any:
    api = case.operation.path.rsplit("/", 1)[-1]
    keep = _frozen(case, QUERY)
    if keep is not None and isinstance(case.query, dict):
        query = dict(case.query)
        _steer_shopee_query(sandbox, api, query, keep)
        _replace(case.query, query)
    if _positive(case, BODY) and isinstance(case.body, dict):
        body = json.loads(json.dumps(case.body))  # a deep copy; the generated object stays as drawn
        _drop_undeclared(case, body)
        _steer_shopee_body(sandbox, api, body)
        _replace(case.body, body)
    _local_urls(sandbox, case)
    return case


_PLAIN_URL = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?")


def _local_urls(sandbox: Sandbox, case: Any) -> None:
    """URLs the sandbox sends to (push callbacks, deliveries) point at the inbox or a closed port. In
    a negative example only a well-formed URL is replaced (the mutation is elsewhere): a broken one
    may be the mutation, which Schemathesis does not always name."""
    if not isinstance(case.body, dict):
        return
    positive = _positive(case, BODY)
    for name in ("url", "callback_url"):
        value = case.body.get(name)
        if value in (sandbox.inbox.url, DEAD_URL):
            continue  # steered already (hooks may run twice on one case; the inbox port is random)
        if isinstance(value, str) and (positive or _PLAIN_URL.fullmatch(value)):
            case.body[name] = sandbox.inbox.url if chance(value, 50, "inbox") else DEAD_URL


def _drop_undeclared(case: Any, body: dict[str, Any]) -> None:
    """Most of the time, leave out the extra fields an open request schema lets Hypothesis add: the
    server refuses unknown parameters (finding S5), which would stop nearly every positive example."""
    if not chance(body, 80, "undeclared"):
        return
    declared = declared_fields(case.operation)
    for name in [k for k in body if k not in declared]:
        del body[name]


def declared_fields(operation: Any) -> set[str]:
    raw = operation.schema.raw_schema
    schema = raw["paths"][operation.path][operation.method.lower()]["requestBody"]["content"]["application/json"]["schema"]
    while "$ref" in schema:
        node = raw
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return set(schema.get("properties", {}))


def _steer_shopee_query(sandbox: Sandbox, api: str, query: dict[str, Any], keep: set[str]) -> None:
    def free(name: str) -> bool:
        return name in query and name not in keep

    if api == "get_order_list" and free("time_from") and free("time_to") and chance(query, 80, "window"):
        query["time_to"] = T0 - pick(query, range(3 * DAY), "to")
        query["time_from"] = query["time_to"] - pick(query, range(DAY, 15 * DAY + 1), "span")
    if free("logistics_channel_id") and chance(query, 80, "channel"):
        del query["logistics_channel_id"]  # BR only; the contract lets it be negative (finding S5)
    if free("cursor") and chance(query, 70, "cursor"):
        query["cursor"] = ""
    if free("response_optional_fields") and api == "get_order_detail" and chance(query, 80, "optional"):
        # Keep the fields the sandbox renders (finding S2: it refuses the contract's others).
        fields = [f for f in str(query["response_optional_fields"]).split(",") if f in RENDERED_DETAIL_FIELDS]
        query["response_optional_fields"] = ",".join(fields)
    if free("order_sn_list") and isinstance(query["order_sn_list"], str):  # arrays arrive comma-joined
        query["order_sn_list"] = ",".join(
            sandbox.order(sn, f"list{i}")["order_sn"] if chance(sn, 80, str(i)) else sn
            for i, sn in enumerate(query["order_sn_list"].split(",")))
    if free("order_sn") and chance(query["order_sn"], 80, api):
        order = sandbox.order(query["order_sn"], api, _PREFERRED.get(api, ()))
        query["order_sn"] = order["order_sn"]
        if "package_number" in query and "package_number" not in keep:
            query["package_number"] = pick(query["package_number"], order["packages"])["package_number"]
    if free("redirect") and chance(query["redirect"], 70, "redirect"):
        query["redirect"] = "https://app.example.com/shopee/callback"


def _steer_shopee_body(sandbox: Sandbox, api: str, body: dict[str, Any]) -> None:
    creds = sandbox.shopee
    if "partner_id" in body:  # auth/token/get and auth/access_token/get
        if chance(body, 80, "ids"):
            body["partner_id"] = creds["partner_id"]
            if "shop_id" in body or chance(body, 50, "shop"):
                body["shop_id"] = creds["shop_id"]
        if "refresh_token" in body and chance(body, 50, "refresh"):
            body["refresh_token"] = creds["refresh_token"]
        if chance(body, 80, "unknown_fields"):  # documented, refused as unknown (finding S3)
            for name in ("supplier_id", "user_id", "principal_id"):
                body.pop(name, None)
    if "order_sn" not in body or not chance(body["order_sn"], 80, api):
        return
    order = sandbox.order(body["order_sn"], api, _PREFERRED.get(api, ()))
    body["order_sn"] = order["order_sn"]
    if "package_number" in body:
        body["package_number"] = pick(body["package_number"], order["packages"])["package_number"]
    items = [{"item_id": i["item_id"], "model_id": i["model_id"]} for i in order["items"]]
    if "item_list" in body and isinstance(body["item_list"], list):
        body["item_list"] = items[:max(1, len(body["item_list"]))]
    count = min(len(body.get("package_list") or []), len(items)) if api == "split_order" else 0
    if count > 1 and isinstance(body["package_list"], list):
        # Every item once, round the generated number of packages (at most one per item).
        offset = pick(body["package_list"], range(count))
        body["package_list"] = [{"item_list": [dict(item, model_quantity=line["quantity"])
                                               for index, (item, line) in enumerate(zip(items, order["items"]))
                                               if (index + offset) % count == n]}
                                for n in range(count)]
    if api == "ship_order":
        ways = [way for way in _SHIP_WAYS if way in body]
        if len(ways) > 1:
            chosen = pick(body, ways, "way")
            for way in ways:
                if way != chosen:
                    del body[way]


def steer_oneshop(sandbox: Sandbox, case: Any) -> Any:
    if _positive(case, PATH) and isinstance(case.path_parameters, dict) and "order_number" in case.path_parameters:
        number = case.path_parameters["order_number"]
        if chance(number, 80, "number"):
            case.path_parameters["order_number"] = pick(number, sandbox.order_numbers)
    keep = _frozen(case, QUERY)
    if keep is None or not isinstance(case.query, dict):
        return case
    query = dict(case.query)
    if "page" in query and "page" not in keep and chance(query["page"], 80, "page"):
        query["page"] = 1 + pick(query["page"], range(3))
    for name, back in (("create_date_start", 90), ("create_date_end", 0)):
        if name in query and name not in keep and chance(query[name], 70, name):
            day = T0 - (back + pick(query[name], range(30), name)) * DAY
            query[name] = _utc8_date(day)
    _replace(case.query, query)
    return case


def _utc8_date(unix: int) -> str:
    return dt.datetime.fromtimestamp(unix + 8 * 3600, dt.UTC).strftime("%Y-%m-%d")


def steer_admin(sandbox: Sandbox, case: Any) -> Any:
    if _positive(case, PATH) and isinstance(case.path_parameters, dict):
        params = dict(case.path_parameters)
        for name, values in (("shop_id", [sandbox.shopee["shop_id"]]), ("partner_id", [sandbox.shopee["partner_id"]]),
                             ("order_sn", [o["order_sn"] for o in sandbox.orders]),
                             ("appid", [sandbox.oneshop["appid"]]),
                             ("order_number", sandbox.order_numbers)):
            if name in params and chance(params[name], 80, name):
                params[name] = pick(params[name], values, name)
        _replace(case.path_parameters, params)
    if isinstance(case.body, dict):
        body = dict(case.body)
        count = body.get("count")
        # Capped in positive bodies, and in negative ones only below 10,000 (valid for both the
        # Shopee and the 1shop endpoint), so the cap never turns a negative example positive.
        limit = 100_000 if _positive(case, BODY) else 10_000
        if isinstance(count, int) and not isinstance(count, bool) and MAX_GENERATED_ORDERS < count <= limit:
            body["count"] = 1 + count % MAX_GENERATED_ORDERS
        if _positive(case, BODY):
            _steer_admin_body(sandbox, body)
        _replace(case.body, body)
    _local_urls(sandbox, case)
    return case


def _steer_admin_body(sandbox: Sandbox, body: dict[str, Any]) -> None:
    if isinstance(body.get("redirect"), str) and chance(body["redirect"], 70, "redirect"):
        body["redirect"] = "https://app.example.com/shopee/callback"
    for name, value in (("partner_id", sandbox.shopee["partner_id"]), ("shop_id", sandbox.shopee["shop_id"]),
                        ("authorize_partner_id", sandbox.shopee["partner_id"])):
        if isinstance(body.get(name), int) and chance(body, 70, name):
            body[name] = value
    for index, order in enumerate(body.get("orders") or []):  # explicit orders of either platform
        if not isinstance(order, dict) or not chance(order, 80, f"order{index}"):
            continue
        if "page_prefix" in order:
            order["page_prefix"] = pick(order, sandbox.page_prefixes, "prefix")
        if "logistics_channel_id" in order:
            order["logistics_channel_id"] = pick(order, sandbox.channels, "channel")
