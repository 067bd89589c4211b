#!/usr/bin/env python3
"""Generate contracts/shopee/openapi.yaml from Shopee's reference JSONs.

Response/request schemas come from params.request_params / params.response_params;
the per-operation OVERRIDES below add what the reference does not say (required
fields, nullable fields, enums, aliases seen in samples).
"""
import html
import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
REF = ROOT.parent / "shared" / "reference" / "shopee-v2-api"
OUT = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "contracts" / "shopee" / "openapi.yaml")

ORDER_STATUS = ["UNPAID", "READY_TO_SHIP", "PROCESSED", "RETRY_SHIP", "SHIPPED",
                "TO_CONFIRM_RECEIVE", "IN_CANCEL", "CANCELLED", "TO_RETURN", "COMPLETED",
                "INVOICE_PENDING", "PENDING"]


# ---------------------------------------------------------------- helpers
def clean(text, limit=300):
    """HTML -> short plain text."""
    if not text:
        return ""
    if isinstance(text, dict):
        text = text.get("content", "")
    t = re.sub(r"<br\s*/?>|</p>|</li>", " ", text)
    t = re.sub(r"<[^>]+>", "", t)
    t = html.unescape(t).replace("\u00a0", " ")
    t = re.sub(r"\s+", " ", t).strip()
    if len(t) > limit:
        cut = t[:limit]
        dot = cut.rfind(". ")
        t = cut[: dot + 1] if dot > limit // 2 else cut.rstrip() + " ..."
    return t


def int_format(ref_type, name):
    if name.endswith("_id") or ref_type in ("int64", "timestamp"):
        return "int64"          # ids are 64-bit in practice even where the reference says int32
    if ref_type == "int32":
        return "int32"
    return None


def scalar(ref_type, name):
    t = ref_type.strip().lower()
    if t == "string":
        return {"type": "string"}
    if t in ("int", "int32", "int64", "timestamp", "uint32", "uint64"):
        s = {"type": "integer"}
        f = int_format(t, name)
        if f:
            s["format"] = f
        return s
    if t in ("float", "double"):
        return {"type": "number"}
    if t in ("boolean", "bool"):
        return {"type": "boolean"}
    raise ValueError(f"unknown scalar type {ref_type!r} for {name}")


def to_schema(p, path, ov, mode):
    """Reference param -> JSON Schema. path: dotted path used by overrides."""
    name, ref_type = p["name"], p["type"].strip()
    desc = clean(p.get("description"))
    if ref_type == "object":
        s = obj_schema(p.get("children") or [], path, ov, mode)
    elif ref_type == "object[]":
        s = {"type": "array", "items": obj_schema(p.get("children") or [], path + "[]", ov, mode)}
    elif ref_type.endswith("[]"):
        s = {"type": "array", "items": scalar(ref_type[:-2], name)}
    else:
        s = scalar(ref_type, name)
    if desc:
        s = {"description": desc, **s}
    USED.add(path)
    extra = ov.get("extra", {}).get(path)
    if extra:
        s.update(extra)
    if path in ov.get("nullable", ()):
        if s.get("type") == "object" or s.get("type") == "array":
            s["type"] = [s["type"], "null"]
        else:
            s["type"] = [s["type"], "null"]
    return s


def obj_schema(children, path, ov, mode):
    USED.add(path)
    props = {}
    req = []
    for c in children:
        cpath = f"{path}.{c['name']}" if path else c["name"]
        if mode == "response" and not path and c["name"] in ("request_id", "error", "message", "warning"):
            continue  # envelope fields come from SuccessEnvelope
        props[c["name"]] = to_schema(c, cpath, ov, mode)
        if mode == "request" and str(c.get("required")).lower() == "true":
            req.append(c["name"])
    for alias_path, alias_schema in ov.get("aliases", {}).items():
        parent, _, leaf = alias_path.rpartition(".")
        if parent == path:
            props[leaf] = alias_schema
    s = {"type": "object"}
    if mode == "response":
        req = ov.get("required", {}).get(path or "$", [])
    if req:
        for r in req:
            assert r in props, (path, r, list(props))
        s["required"] = req
    s["properties"] = props
    return s


def load(api):
    return json.loads((REF / f"{api}.json").read_text())


USED = set()

# ---------------------------------------------------------------- operations
# module/api -> (reference json, x-api-type, summary, overrides)
OPS = {}


def op(path, ref, api_type, summary, **ov):
    OPS[path] = dict(ref=ref, api_type=api_type, summary=summary, ov=ov)


op("/api/v2/auth/token/get", "v2.public.get_access_token", "Public",
   "Exchange the authorization code for access_token and refresh_token",
   top_level=True,
   required={"$": ["access_token", "refresh_token", "expire_in"]})
op("/api/v2/auth/access_token/get", "v2.public.refresh_access_token", "Public",
   "Refresh the access_token (single-use refresh_token, a new one is returned)",
   top_level=True,
   required={"$": ["partner_id", "access_token", "refresh_token", "expire_in"]})
op("/api/v2/public/get_shops_by_partner", "v2.public.get_shops_by_partner", "Public",
   "List the shops that authorised the partner",
   top_level=True,
   required={"$": ["authed_shop_list", "more"],
             "authed_shop_list[]": ["region", "shop_id", "auth_time", "expire_time"]},
   aliases={"authed_shop_list[].sip_affi_shops": {
       "description": "SIP affiliate shops (name used in the reference sample; the field table calls it sip_affi_shop_list).",
       "type": "array",
       "items": {"type": "object", "properties": {
           "region": {"type": "string"}, "affi_shop_id": {"type": "integer", "format": "int64"}}}}},
   query={"page_size": {"minimum": 1, "maximum": 100}, "page_no": {"minimum": 1}})
op("/api/v2/shop/get_shop_info", "v2.shop.get_shop_info", "Shop",
   "Get information of the shop", top_level=True,
   required={"$": ["shop_name", "region", "status", "is_cb", "is_sip", "auth_time", "expire_time"]},
   nullable={"merchant_id"},
   extra={"status": {"enum": ["BANNED", "FROZEN", "NORMAL"]}})
op("/api/v2/order/get_order_list", "v2.order.get_order_list", "Shop",
   "Search orders by create/update time range (max 15 days), optionally by status",
   required={"$": ["response"], "response": ["more", "next_cursor", "order_list"],
             "response.order_list[]": ["order_sn"]},
   extra={"response.order_list[].order_status": {"$ref": "#/components/schemas/OrderStatus"}},
   query={"time_range_field": {"enum": ["create_time", "update_time"]},
          "time_from": {"minimum": 0}, "time_to": {"minimum": 0},
          "page_size": {"minimum": 1, "maximum": 100},
          "order_status": {"$ref": "#/components/schemas/OrderStatus"},
          "response_optional_fields": {"enum": ["order_status"]}})
op("/api/v2/order/get_shipment_list", "v2.order.get_shipment_list", "Shop",
   "List READY_TO_SHIP / RETRY_SHIP orders (with package_number) to ship",
   required={"$": ["response"], "response": ["more", "next_cursor", "order_list"],
             "response.order_list[]": ["order_sn", "package_number"]},
   query={"page_size": {"minimum": 1, "maximum": 100}})

DETAIL_DEFAULT = ["order_sn", "region", "currency", "cod", "order_status", "message_to_seller",
                  "create_time", "update_time", "days_to_ship", "ship_by_date"]
op("/api/v2/order/get_order_detail", "v2.order.get_order_detail", "Shop",
   "Get details of 1-50 orders",
   required={"$": ["response"], "response": ["order_list"], "response.order_list[]": DETAIL_DEFAULT},
   nullable={"response.order_list[].buyer_cpf_id", "response.order_list[].dropshipper",
             "response.order_list[].dropshipper_phone", "response.order_list[].invoice_data",
             "response.order_list[].pay_time",
             "response.order_list[].package_list[].group_shipment_id"},
   extra={"response.order_list[].order_status": {"$ref": "#/components/schemas/OrderStatus"}},
   aliases={"response.order_list[].package_list[].parcel_chargeable_weight_gram": {
       "description": "Parcel chargeable weight in grams (name used in the reference sample; the field table calls it parcel_chargeable_weight).",
       "type": "integer"}},
   list_query={"order_sn_list": dict(minItems=1, maxItems=50)},
   optional_fields_from_response=True)
op("/api/v2/order/cancel_order", "v2.order.cancel_order", "Shop",
   "Cancel an order before shipment (seller side)",
   required={"$": ["response"], "response": ["update_time"]},
   body_extra={"cancel_reason": {"enum": ["OUT_OF_STOCK", "CUSTOMER_REQUEST", "UNDELIVERABLE_AREA",
                                          "COD_NOT_SUPPORTED"]}},
   body_if_then=True)
op("/api/v2/order/handle_buyer_cancellation", "v2.order.handle_buyer_cancellation", "Shop",
   "Accept or reject the buyer's cancellation request (order must be IN_CANCEL)",
   required={"$": ["response"], "response": ["update_time"]},
   body_extra={"operation": {"enum": ["ACCEPT", "REJECT"]}})
op("/api/v2/order/split_order", "v2.order.split_order", "Shop",
   "Split a READY_TO_SHIP order into several packages",
   required={"$": ["response"], "response": ["order_sn", "package_list"],
             "response.package_list[]": ["package_number", "item_list"],
             "response.package_list[].item_list[]": ["item_id", "model_id"]},
   body_extra={"package_list": {"minItems": 2, "maxItems": 30},
               "package_list[].item_list": {"minItems": 1}})
op("/api/v2/order/unsplit_order", "v2.order.unsplit_order", "Shop",
   "Undo the split of an order (back to one package)", bare=True)
op("/api/v2/order/set_note", "v2.order.set_note", "Shop", "Set the seller's note on an order", bare=True)
op("/api/v2/logistics/get_shipping_parameter", "v2.logistics.get_shipping_parameter", "Shop",
   "Get the parameters needed to ship an order (pickup / dropoff / non_integrated)",
   required={"$": ["response"], "response": ["info_needed"]},
   nullable={"response.dropoff", "response.pickup", "response.dropoff.branch_list",
             "response.dropoff.slug_list", "response.pickup.address_list",
             "response.pickup.address_list[].time_slot_list"})
op("/api/v2/logistics/ship_order", "v2.logistics.ship_order", "Shop",
   "Arrange shipment (pickup, dropoff or non-integrated) for an order or package", bare=True,
   body_one_way=True)
op("/api/v2/logistics/get_tracking_number", "v2.logistics.get_tracking_number", "Shop",
   "Get the tracking number of a shipped order (may be empty until the 3PL assigns it)",
   required={"$": ["response"], "response": ["tracking_number"]},
   query={"response_optional_fields": {"enum": ["plp_number", "first_mile_tracking_number",
                                                 "last_mile_tracking_number"]}},
   list_query={"response_optional_fields": {}})
op("/api/v2/logistics/get_tracking_info", "v2.logistics.get_tracking_info", "Shop",
   "Get the logistics tracking history of an order or package",
   required={"$": ["response"],
             "response": ["order_sn", "package_number", "logistics_status", "tracking_info"]})
op("/api/v2/logistics/get_channel_list", "v2.logistics.get_channel_list", "Shop",
   "List the logistics channels of the shop",
   required={"$": ["response"], "response": ["logistics_channel_list"],
             "response.logistics_channel_list[]": ["logistics_channel_id", "logistics_channel_name",
                                                   "cod_enabled", "enabled", "fee_type"]},
   nullable={"response.logistics_channel_list[].seller_logistic_has_configuration",
             "response.logistics_channel_list[].service_type_identifier",
             "response.logistics_channel_list[].weight_limit.item_max_weight",
             "response.logistics_channel_list[].weight_limit.item_min_weight",
             "response.logistics_channel_list[].volume_limit.item_max_volume",
             "response.logistics_channel_list[].volume_limit.item_min_volume"})

PUSH_CODE = {"type": "integer", "minimum": 1, "maximum": 13}
op("/api/v2/push/set_app_push_config", "v2.push.set_app_push_config", "Public",
   "Set the app's push callback URL (verified by a code 0 push), codes on/off and blocked shops",
   required={"$": ["response"], "response": ["result"]},
   extra={"response.result": {"const": "success"}},
   body_extra={"set_push_config_on": {"items": PUSH_CODE}, "set_push_config_off": {"items": PUSH_CODE},
               "blocked_shop_id_list": {"maxItems": 500},
               "callback_url": {"format": "uri", "pattern": "^https?://"}})
op("/api/v2/push/get_app_push_config", "v2.push.get_app_push_config", "Public",
   "Get the app's push config and live push status",
   required={"$": ["response"],
             "response": ["callback_url", "live_push_status", "blocked_shop_id", "push_config_on_list",
                          "push_config_off_list"]},
   extra={"response.live_push_status": {
       "description": "Normal, Warning or Suspended (the field description's spelling; the reference sample "
                      "writes \"suspended\"). suspended_time is present only while Suspended.",
       "enum": ["Normal", "Warning", "Suspended"]}})
op("/api/v2/push/get_lost_push_message", "v2.push.get_lost_push_message", "Public",
   "The earliest 100 unconsumed pushes lost in the last 3 days",
   required={"$": ["response"], "response": ["push_message_list", "has_next_page", "last_message_id"],
             "response.push_message_list[]": ["code", "timestamp", "data"]},
   extra={"response.push_message_list[].data": {
       "description": "The whole push body as it was sent (the reference sample shows an object; its field "
                      "table says string).",
       "type": "object", "required": ["data", "code", "timestamp"]},
       "response.push_message_list": {"maxItems": 100}})
op("/api/v2/push/confirm_consumed_lost_push_message", "v2.push.confirm_consumed_lost_push_message", "Public",
   "Confirm the lost pushes up to last_message_id as consumed", bare=True,
   body_extra={"last_message_id": {"minimum": 1}})

EMPTY_IS_ABSENT = "An empty value (`name=`) is the same as leaving the parameter out."
COMMON_PUBLIC = ["PartnerId", "Timestamp", "Sign"]
COMMON_SHOP = COMMON_PUBLIC + ["AccessToken", "ShopId"]
ERR_CODES = ["400", "403", "404", "405", "429"]


def ref(name, kind="schemas"):
    return {"$ref": f"#/components/{kind}/{name}"}


def error_responses():
    return {c: ref("Error", "responses") for c in ERR_CODES}


def op_id(path):
    return path.replace("/api/", "").replace("/", ".")


def schema_name(path):
    parts = path.replace("/api/v2/", "").split("/")
    return "".join(p.title().replace("_", "") for p in parts)


def html_page_op(path, summary, description, op_name, page):
    return {
        "get": {
            "operationId": op_id(path),
            "tags": ["shop"],
            "summary": summary,
            "description": description,
            "x-api-type": "Public",
            "x-shopee-api-name": op_name,
            "parameters": [ref(p, "parameters") for p in COMMON_PUBLIC] + [ref("Redirect", "parameters")],
            "responses": {
                "200": {"description": page,
                        "content": {"text/html": {"schema": {"type": "string"}}}},
                "302": {"description": "Redirect to `redirect` (with `code` and `shop_id` or `main_account_id` after approval).",
                        "headers": {"Location": {"required": True, "description": "Target URL.",
                                                 "schema": {"type": "string"}}}},
                **error_responses(),
            },
        }
    }


LEGACY_PUSH_NAMES = ["shop_authorization", "shop_deauthorization", "order_status", "order_trackingno",
                     "order_tracking_number", "shopee_updates", "shop_update", "banned_item", "item_promotion",
                     "reserved_stock_change", "promotion_update", "webchat", "video_upload",
                     "openapi_authorization_expiry", "brand_register_result"]


def legacy_set_push_config(schemas):
    """The older push/set_push_config of seed 001: not in the reference JSONs, written here."""
    schemas["PushSetPushConfigRequest"] = {
        "type": "object",
        "properties": {
            "callback_url": {"type": "string", "format": "uri", "pattern": "^https?://",
                             "description": "Where pushes go; a new one is verified by a code 0 push."},
            "push_config": {"description": "Push types by name: 1 on, 0 off (seed 001: order_status).",
                            "type": "object", "additionalProperties": False,
                            "properties": {n: {"type": "integer", "enum": [0, 1]} for n in LEGACY_PUSH_NAMES}},
            "blocked_shop_id": {"description": "Shops whose pushes are not sent (at most 500).",
                                "type": "array", "maxItems": 500,
                                "items": {"type": "integer", "format": "int64", "minimum": 0}},
        },
    }
    schemas["PushSetPushConfigResponse"] = {"allOf": [ref("SuccessEnvelope"), {
        "type": "object", "required": ["response"],
        "properties": {"response": {"type": "object", "required": ["result"],
                                    "properties": {"result": {"type": "string", "const": "success"}}}}}]}
    return {"post": {
        "operationId": op_id("/api/v2/push/set_push_config"),
        "tags": ["push"],
        "summary": "Older form of set_app_push_config (seed 001): push_config names switched 1/0",
        "description": "Not in Shopee's reference JSONs (seed 001 shows it); answers like set_app_push_config.",
        "x-api-type": "Public",
        "x-shopee-api-name": "v2.push.set_push_config",
        "parameters": [ref(p, "parameters") for p in COMMON_PUBLIC],
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": ref("PushSetPushConfigRequest")}}},
        "responses": {"200": {"description": "Success.", "content": {"application/json": {
            "schema": ref("PushSetPushConfigResponse")}}}, **error_responses()},
    }}


def build():
    paths = {}
    schemas = {
        "RequestId": {"description": "Request identifier: 32 lowercase hex characters.",
                      "type": "string", "pattern": "^[0-9a-f]{32}$"},
        "Warning": {"description": "Warning text; some APIs send a string, others a list of strings.",
                    "type": ["string", "array"], "items": {"type": "string"}},
        "OrderStatus": {"description": "Order status (Data Definition - OrderStatus; INVOICE_PENDING is BR-only, PENDING needs request_order_status_pending).",
                        "type": "string", "enum": ORDER_STATUS},
        "SuccessEnvelope": {
            "description": "Fields every successful JSON answer carries.",
            "type": "object",
            "required": ["request_id", "error", "message"],
            "properties": {
                "request_id": ref("RequestId"),
                "error": {"description": "Empty on success.", "type": "string", "const": ""},
                "message": {"type": "string"},
                "warning": ref("Warning"),
            },
        },
        "Error": {
            "description": "Error envelope (error_param, error_sign, error_auth, error_permission, error_api_permission, error_not_found, error_rate_limit, <module>.<code> business errors, ...).",
            "type": "object",
            "required": ["request_id", "error", "message"],
            "properties": {
                "request_id": ref("RequestId"),
                "error": {"type": "string", "minLength": 1},
                "message": {"type": "string"},
                "warning": ref("Warning"),
            },
        },
    }

    paths["/api/v2/shop/auth_partner"] = html_page_op(
        "/api/v2/shop/auth_partner",
        "Shop authorisation page (seller logs in and approves the partner)",
        "Public sign (partner_id + path + timestamp). After approval the browser is redirected to "
        "`redirect?code=...&shop_id=...` (or `main_account_id=...`). `code` is single-use and valid 10 minutes.",
        "v2.shop.auth_partner", "HTML page: seller login (test shops: OTP 123456) and approval.")
    paths["/api/v2/shop/cancel_auth_partner"] = html_page_op(
        "/api/v2/shop/cancel_auth_partner",
        "Shop de-authorisation page",
        "Public sign (partner_id + path + timestamp). After the seller confirms, the browser is redirected to `redirect`.",
        "v2.shop.cancel_auth_partner", "HTML page: seller confirms cancelling the authorisation.")

    paths["/api/v2/push/set_push_config"] = legacy_set_push_config(schemas)

    for path, spec in OPS.items():
        d = load(spec["ref"])
        assert d["path"] == path, (d["path"], path)
        ov = spec["ov"]
        method = {1: "post", 2: "get"}[d["method"]]
        module = path.split("/")[3]
        params = [ref(p, "parameters") for p in (COMMON_SHOP if spec["api_type"] == "Shop" else COMMON_PUBLIC)]
        o = {
            "operationId": op_id(path),
            "tags": [module],
            "summary": spec["summary"],
            "description": clean(d.get("define"), 600),
            "x-api-type": spec["api_type"],
            "x-shopee-api-name": d["api_name"],
        }
        req_params = d["params"].get("request_params") or []
        if method == "get":
            for p in req_params:
                s = to_schema(p, "q." + p["name"], {}, "request")
                desc = s.pop("description", "")
                s.update(ov.get("query", {}).get(p["name"], {}))
                if "$ref" in s:
                    s = {"$ref": s["$ref"]}
                if p["type"] == "string" and "enum" not in s and "$ref" not in s and (
                        str(p.get("required")).lower() == "true" or p["name"] == "package_number"):
                    s["minLength"] = 1
                param = {"name": p["name"], "in": "query",
                         "required": str(p.get("required")).lower() == "true"}
                if desc:
                    param["description"] = desc
                if p["name"] in ov.get("list_query", {}) or (
                        p["name"] == "response_optional_fields" and ov.get("optional_fields_from_response")):
                    item = dict(s)
                    item.pop("minLength", None)
                    if p["name"] == "response_optional_fields" and ov.get("optional_fields_from_response"):
                        item = {"type": "string", "enum": optional_detail_fields(d)}
                    elif "enum" not in item and "$ref" not in item:
                        item = {"type": "string", "minLength": 1, "pattern": "^[^,]+$"}
                    s = {"type": "array", "items": item, **ov.get("list_query", {}).get(p["name"], {})}
                    param["style"] = "form"
                    param["explode"] = False
                    param["description"] = (desc + " " if desc else "") + "Comma-joined list."
                if not param["required"]:
                    # The server reads `name=` as leaving the parameter out (mockserver/shopee/params.py
                    # Params._raw), as a Go backend binding the query into a struct does; say so.
                    param["allowEmptyValue"] = True
                    text = param.get("description", "").rstrip()
                    param["description"] = (text + ("" if not text or text.endswith(".") else ".") + " "
                                            + EMPTY_IS_ABSENT).strip()
                param["schema"] = s
                params.append(param)
        else:
            body = obj_schema(req_params, "", {}, "request")
            for key, extra in ov.get("body_extra", {}).items():
                target = body
                for part in key.split("."):
                    if part.endswith("[]"):
                        target = target["properties"][part[:-2]]["items"]
                    else:
                        target = target["properties"][part]
                target.update(extra)
            if ov.get("body_if_then"):
                body["if"] = {"required": ["cancel_reason"],
                              "properties": {"cancel_reason": {"const": "OUT_OF_STOCK"}}}
                body["then"] = {"required": ["item_list"], "properties": {"item_list": {"minItems": 1}}}
            if ov.get("body_one_way"):
                body["not"] = {"description": "At most one of pickup, dropoff, non_integrated.",
                               "anyOf": [{"required": ["pickup", "dropoff"]},
                                         {"required": ["pickup", "non_integrated"]},
                                         {"required": ["dropoff", "non_integrated"]}]}
            for name, prop in body["properties"].items():
                if prop.get("type") == "string" and "enum" not in prop and (
                        name in body.get("required", []) or name == "package_number"):
                    prop.setdefault("minLength", 1)
            schemas[schema_name(path) + "Request"] = body
            request_body = {"required": True,
                                "content": {"application/json": {"schema": ref(schema_name(path) + "Request")}}}
        o["parameters"] = params
        if method == "post":
            o["requestBody"] = request_body

        # success schema
        sname = schema_name(path) + "Response"
        if ov.get("bare"):
            part = {"type": "object",
                    "properties": {"response": {"description": "Not sent by this API; tolerated if present.",
                                                "type": "object"}}}
        else:
            part = obj_schema(d["params"]["response_params"], "", ov, "response")
        schemas[sname] = {"allOf": [ref("SuccessEnvelope"), part]}
        o["responses"] = {"200": {"description": "Success.",
                                  "content": {"application/json": {"schema": ref(sname)}}},
                          **error_responses()}
        links = LINKS.get(path)
        if links:
            o["responses"]["200"]["links"] = links
        paths[path] = {method: o}

    for path, spec in OPS.items():
        for key in ("nullable", "extra", "aliases"):
            for p in spec["ov"].get(key, ()):
                parent = p.rpartition(".")[0] if key == "aliases" else p
                assert parent in USED or parent == "", (path, key, p)
        for p in spec["ov"].get("required", {}):
            assert p == "$" or p in USED, (path, "required", p)
    doc = {
        "openapi": "3.1.0",
        "info": {
            "title": "shop-sandbox: Shopee Open Platform v2",
            "version": "2.0",
            "description": INFO_DESCRIPTION,
        },
        "servers": [{"url": "http://127.0.0.1:8000"}],
        "tags": [
            {"name": "shop", "description": "Shop authorisation pages and shop info."},
            {"name": "auth", "description": "Access token issue and refresh."},
            {"name": "public", "description": "Partner-level APIs (public sign)."},
            {"name": "order", "description": "Order management."},
            {"name": "logistics", "description": "Shipping and tracking."},
            {"name": "push", "description": "Push Mechanism (webhooks): config and lost pushes. The pushes "
                                            "themselves: contracts/shopee/push/<code>.schema.json."},
        ],
        "paths": dict(sorted(paths.items(), key=lambda kv: PATH_ORDER.index(kv[0]))),
        "components": {
            "parameters": COMPONENT_PARAMETERS,
            "responses": {"Error": {
                "description": "Error envelope. HTTP status: 400 error_param and business errors; 403 error_sign, "
                               "error_auth, error_api_permission, error_permission; 404 not found; 405 wrong method; "
                               "429 error_rate_limit. Clients decide by the `error` field.",
                "content": {"application/json": {"schema": ref("Error")}}}},
            "schemas": schemas,
        },
    }
    return doc


def optional_detail_fields(d):
    m = re.search(r"Available values:\s*(.*)", clean(d["params"]["request_params"][2]["description"], 5000))
    names = [n.strip() for n in m.group(1).split(",") if n.strip()]
    order_item = next(c for c in d["params"]["response_params"] if c["name"] == "response")["children"][0]
    names += [c["name"] for c in order_item["children"]]
    out = []
    for n in names:
        if n not in out:
            out.append(n)
    return out


PATH_ORDER = [
    "/api/v2/shop/auth_partner", "/api/v2/shop/cancel_auth_partner", "/api/v2/auth/token/get",
    "/api/v2/auth/access_token/get", "/api/v2/public/get_shops_by_partner", "/api/v2/shop/get_shop_info",
    "/api/v2/order/get_order_list", "/api/v2/order/get_shipment_list", "/api/v2/order/get_order_detail",
    "/api/v2/order/cancel_order", "/api/v2/order/handle_buyer_cancellation", "/api/v2/order/split_order",
    "/api/v2/order/unsplit_order", "/api/v2/order/set_note", "/api/v2/logistics/get_shipping_parameter",
    "/api/v2/logistics/ship_order", "/api/v2/logistics/get_tracking_number",
    "/api/v2/logistics/get_tracking_info", "/api/v2/logistics/get_channel_list",
    "/api/v2/push/set_app_push_config", "/api/v2/push/set_push_config", "/api/v2/push/get_app_push_config",
    "/api/v2/push/get_lost_push_message", "/api/v2/push/confirm_consumed_lost_push_message",
]

COMPONENT_PARAMETERS = {
    "PartnerId": {"name": "partner_id", "in": "query", "required": True,
                  "description": "Partner ID assigned to the app.",
                  "schema": {"type": "integer", "format": "int64", "minimum": 1}},
    "Timestamp": {"name": "timestamp", "in": "query", "required": True,
                  "description": "Unix time in seconds; valid for 5 minutes.",
                  "schema": {"type": "integer", "format": "int64", "minimum": 0}},
    "Sign": {"name": "sign", "in": "query", "required": True,
             "description": "Lowercase hex HMAC-SHA256 with the partner key over partner_id + path + timestamp "
                            "(shop APIs: + access_token + shop_id).",
             "schema": {"type": "string", "pattern": "^[0-9a-f]{64}$"}},
    "AccessToken": {"name": "access_token", "in": "query", "required": True,
                    "description": "Shop access token (4 hours, reusable).",
                    "schema": {"type": "string", "minLength": 1}},
    "ShopId": {"name": "shop_id", "in": "query", "required": True,
               "description": "Shopee's unique identifier for a shop.",
               "schema": {"type": "integer", "format": "int64", "minimum": 1}},
    "Redirect": {"name": "redirect", "in": "query", "required": True,
                 "description": "URL the browser is sent to when the seller has finished.",
                 "schema": {"type": "string", "minLength": 1}},
}

FIRST_ORDER = {"order_sn": "$response.body#/response/order_list/0/order_sn"}
FIRST_SHIPMENT = {"order_sn": "$response.body#/response/order_list/0/order_sn",
                  "package_number": "$response.body#/response/order_list/0/package_number"}
LINKS = {
    "/api/v2/order/get_order_list": {
        "GetOrderDetail": {"operationId": "v2.order.get_order_detail",
                           "parameters": {"order_sn_list": FIRST_ORDER["order_sn"]},
                           "description": "Detail of the first order in the page."},
    },
    "/api/v2/order/get_shipment_list": {
        "GetShippingParameter": {"operationId": "v2.logistics.get_shipping_parameter",
                                 "parameters": FIRST_SHIPMENT},
        "GetTrackingNumber": {"operationId": "v2.logistics.get_tracking_number",
                              "parameters": FIRST_SHIPMENT},
        "GetTrackingInfo": {"operationId": "v2.logistics.get_tracking_info",
                            "parameters": FIRST_SHIPMENT},
        "GetOrderDetail": {"operationId": "v2.order.get_order_detail",
                           "parameters": {"order_sn_list": FIRST_SHIPMENT["order_sn"]}},
    },
}

INFO_DESCRIPTION = """\
Contract of the Shopee Open Platform v2 operations emulated by shop-sandbox, derived from Shopee's
API reference data (shared/reference/shopee-v2-api/*.json).

Conventions:
- Common query parameters on every call: partner_id, timestamp, sign. Shop APIs (x-api-type: Shop)
  also take access_token and shop_id. GET parameters are in the query (lists comma-joined,
  e.g. order_sn_list=A,B); POST parameters are a JSON body.
- An optional query parameter sent empty (`name=`) counts as left out (allowEmptyValue), so an
  empty cursor is the first page. JSON null is a wrong type for every body field (error_param).
- Every JSON answer carries request_id (32 lowercase hex), error ("" on success) and message, and
  may carry warning (string or list of strings). Most APIs wrap data in `response`;
  auth/token/get, auth/access_token/get, public/get_shops_by_partner and shop/get_shop_info put
  their fields at top level; ship_order, set_note and unsplit_order answer the bare envelope.
- Errors use the Error envelope with HTTP 400 (error_param, business errors), 403 (error_sign,
  error_auth, error_api_permission, error_permission), 404 (not found), 405 (wrong method),
  429 (error_rate_limit).
- Response objects are open (no additionalProperties: false); only always-present fields are required.
"""


class Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


def str_presenter(dumper, data):
    if "\n" in data:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


Dumper.add_representer(str, str_presenter)

if __name__ == "__main__":
    doc = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    header = ("# shop-sandbox contract: Shopee Open Platform v2 (emulated subset).\n"
              "# Derived from shared/reference/shopee-v2-api/*.json; see info.description for conventions.\n")
    OUT.write_text(header + yaml.dump(doc, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100))
    print("wrote", OUT, len(OUT.read_text()), "bytes")
