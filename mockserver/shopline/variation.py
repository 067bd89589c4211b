"""Making a documented example into a fresh event: new ids, times that end now, and the receiving
merchant's own references (issue 12, points 5 and 6).

A receiver that de-duplicates on (id, updated_at) would drop every second trigger of the same
example, so unless the example is asked for byte for byte the sandbox varies it:
- ids: every value of an `id` / `_id` / `*_id` field that looks like an id (24 hex digits, or 6 or
  more decimal digits) gets a new value of the same shape, and every occurrence of the old value in
  any string of the document (URLs, other references) follows, so the document still agrees with
  itself. Merchant and shop ids are left to the rebranding below.
- times: every ISO 8601 date-time string moves by one offset, so that the latest becomes the
  sandbox's now: the example's order of events and the gaps between them are kept, each string
  keeps its own format (milliseconds and Z, or seconds and +08:00).
- merchant (Open API): the envelope names the subscriber's merchant; the resource's own references
  to the example's merchant (seller_id, merchant_id, a user's owner_id, a Merchant's _id / id /
  handle) name it too.
"""
from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

ISO_TIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$")
_HEX24 = re.compile(r"^[0-9a-fA-F]{24}$")
_DIGIT_ID = re.compile(r"^[1-9][0-9]{5,}$")
MERCHANT_KEYS = frozenset({"merchant_id", "seller_id"})


# ---- times --------------------------------------------------------------------------------------
def parse_time(text: Any) -> datetime | None:
    """An ISO 8601 date-time string as an aware datetime; None for anything else."""
    if not isinstance(text, str) or not ISO_TIME.match(text):
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def format_like(template: Any, moment: datetime) -> str:
    """`moment` written the way `template` is (fraction digits and zone); ms + Z when it is no time."""
    match = ISO_TIME.match(template) if isinstance(template, str) else None
    if match is None:
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    fraction, zone = match.group(7), match.group(8)
    if zone == "Z":
        local = moment.astimezone(UTC)
    else:
        minutes = int(zone[1:3]) * 60 + int(zone[4:6])
        local = moment.astimezone(timezone(timedelta(minutes=minutes if zone[0] == "+" else -minutes)))
    text = local.strftime("%Y-%m-%dT%H:%M:%S")
    if fraction:
        text += "." + f"{local.microsecond:06d}"[:len(fraction) - 1]
    return text + zone


def _strings(document: Any) -> Iterable[str]:
    if isinstance(document, dict):
        for value in document.values():
            yield from _strings(value)
    elif isinstance(document, list):
        for value in document:
            yield from _strings(value)
    elif isinstance(document, str):
        yield document


def map_strings(document: Any, change: Any) -> Any:
    """A copy of the document with every string passed through `change`."""
    if isinstance(document, dict):
        return {key: map_strings(value, change) for key, value in document.items()}
    if isinstance(document, list):
        return [map_strings(value, change) for value in document]
    if isinstance(document, str):
        return change(document)
    return document


def shift_times(document: Any, now: float) -> Any:
    """A copy in which every date-time string moved by the same offset, the latest to `now`."""
    moments = [m for m in (parse_time(s) for s in _strings(document)) if m is not None]
    if not moments:
        return document
    target = datetime.fromtimestamp(now, UTC)
    delta = target - max(moments)

    def move(text: str) -> str:
        moment = parse_time(text)
        return text if moment is None else format_like(text, moment + delta)

    return map_strings(document, move)


# ---- ids --------------------------------------------------------------------------------------------
def _is_id_key(key: str) -> bool:
    return key in ("id", "_id") or key.endswith("_id")


def collect_ids(document: Any, found: dict[str, None]) -> None:
    """The id values of the document's id fields, into `found`, in document order."""
    if isinstance(document, dict):
        for key, value in document.items():
            if isinstance(value, str) and _is_id_key(key) and (_HEX24.match(value) or _DIGIT_ID.match(value)):
                found.setdefault(value, None)
            else:
                collect_ids(value, found)
    elif isinstance(document, list):
        for value in document:
            collect_ids(value, found)


IdShape = tuple[bool, int, int, int]  # (24 hex digits; else lowest decimal value, how many, bits to draw)


def id_shape(old: str) -> IdShape:
    if _HEX24.match(old):
        return True, 0, 0, 96
    low = 10 ** (len(old) - 1)
    span = 10 * low - low
    # 64 bits more than the span needs: the remainder's bias is below 2**-64, and one C call draws
    # it (randrange's rejection loop in Python, or a draw a digit, cost a trigger tens of us).
    return False, low, span, span.bit_length() + 64


def new_id(old: str, rng: random.Random, taken: set[str], shape: IdShape | None = None) -> str:
    """A new id of old's shape (24 hex digits, or as many decimal digits, the first not 0), added
    to taken. shape: id_shape(old), when the caller has it already."""
    hexadecimal, low, span, bits = shape or id_shape(old)
    while True:
        new = f"{rng.getrandbits(96):024x}" if hexadecimal else str(low + rng.getrandbits(bits) % span)
        if new not in taken and new != old:
            taken.add(new)
            return new


def vary_ids(document: Any, rng: random.Random, keep: Iterable[str] = ()) -> Any:
    """A copy with every id replaced by a new one of its shape, consistently (see the module doc)."""
    found: dict[str, None] = {}
    collect_ids(document, found)
    kept = set(keep)
    taken = set(found) | kept
    change = id_changer({old: new_id(old, rng, taken) for old in found if old not in kept})
    return document if change is None else map_strings(document, change)


def any_of(texts: Iterable[str]) -> re.Pattern[str]:
    """A pattern matching any of the texts, the longest first (an id inside a longer one)."""
    return re.compile("|".join(re.escape(text) for text in sorted(texts, key=len, reverse=True)))


def id_changer(mapping: dict[str, str]) -> Callable[[str], str] | None:
    """old id -> new id, as a change to one string (a whole id, or every id inside it); None when
    there is nothing to change."""
    if not mapping:
        return None
    pattern = any_of(mapping)
    return lambda text: mapping[text] if text in mapping else pattern.sub(lambda m: mapping[m.group(0)], text)


# ---- merchant (Open API) ----------------------------------------------------------------------------
def merchant_refs(payload: dict[str, Any]) -> tuple[set[str], set[str]]:
    """(ids, handles) by which an Open API payload names its merchant: the envelope's, and the
    resource's seller_id / merchant_id fields, a User's owner_id, a Merchant's own _id, id and handle."""
    ids = {payload["merchant_id"]} if isinstance(payload.get("merchant_id"), str) else set()
    handles = {payload["merchant_handle"]} if isinstance(payload.get("merchant_handle"), str) else set()
    resource = payload.get("resource")

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in MERCHANT_KEYS and isinstance(value, str) and value:
                    ids.add(value)
                elif key == "merchant_handle" and isinstance(value, str) and value:
                    handles.add(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(resource)
    if isinstance(resource, dict):
        event = payload.get("event")
        if event == "User" and isinstance(resource.get("owner_id"), str):
            ids.add(resource["owner_id"])
        if event == "Merchant":
            ids.update(v for v in (resource.get("_id"), resource.get("id")) if isinstance(v, str) and v)
            if isinstance(resource.get("handle"), str) and resource["handle"]:
                handles.add(resource["handle"])
    return ids, handles


def rebrand(payload: dict[str, Any], merchant_id: str, handle: str | None) -> dict[str, Any]:
    """The payload sent for `merchant_id`: the envelope and every reference to the example's
    merchant in the resource name it (ids anywhere in a string, handles as whole values or in URLs)."""
    ids, handles = merchant_refs(payload)
    old_ids = {i for i in ids if i != merchant_id}
    old_handles = {h for h in handles if h and h != handle} if handle else set()
    id_pattern = any_of(old_ids) if old_ids else None

    def change(text: str) -> str:
        if id_pattern is not None:
            text = id_pattern.sub(merchant_id, text)
        if handle and text in old_handles:
            return handle
        if handle and text.startswith(("http://", "https://")):
            for old in old_handles:
                text = text.replace(f"//{old}.", f"//{handle}.")
        return text

    resource = map_strings(payload.get("resource"), change)
    payload = {**payload, "resource": resource, "merchant_id": merchant_id}
    if handle is not None:
        payload["merchant_handle"] = handle
    return payload
