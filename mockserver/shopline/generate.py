"""Varied fake documents that still match a JSON Schema: a small walker over the schemas this package
ships (contracts/shopline*), driven by a seeded RNG and Faker (zh_TW), so a seed gives the same
document every time.

It understands only what those schemas use: type (lists with "null" included), const, properties,
items, pattern (the few patterns the generator writes), format, and "examples" (the schema's own,
else the value at the same place in an optional example document, e.g. the topic's fixture).
Strings follow, in order: const, pattern, format, the field's name (ids, *_at, emails, urls,
phones, names, currencies, amounts, places), then the shape of the example: enum-like values are
kept (or picked among the documented ones), ids and digit strings keep their shape.
"""
from __future__ import annotations

import datetime as dt
import random
import re
import uuid
from typing import Any

from mockserver.core.taiwan import TW_PLACES
from mockserver.shopline.numbers import SAFE_INTEGER

HEX24 = "^[0-9a-fA-F]{24}$"
UUID = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
DIGITS = "^[0-9]+$"
DECIMAL2 = r"^-?[0-9]+\.[0-9]{2}$"

NULL_CHANCE = 0.2     # how often a nullable field is null
MAX_ITEMS = 3         # arrays get 0..MAX_ITEMS items
# Generated instants fall in this window (UTC), like the seed's examples (2021-2026).
_EPOCH_FROM, _EPOCH_TO = 1_609_459_200, 1_798_761_600
_ENUMISH = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,39}$")
_HEXISH = re.compile(r"^[0-9a-f]{24}$")
_CJK = re.compile(r"[\u3400-\u9fff]")
_AMOUNT = re.compile(r"(^|_)(price|amount|discounts|tax|outstanding|received)$")
_DECIMAL = re.compile(r"^-?[0-9]+\.[0-9]{2}$")
_LOCALE_KEYS = {"en", "zh-hant", "zh-cn", "ja", "th", "vi", "ms", "de", "fr", "id", "ko"}
_NAME_KEYS = {"name", "customer_name", "recipient_name", "performer_name", "sender_name", "receiver_name",
              "user_name", "full_name", "contact_name"}


class _Walker:
    def __init__(self, seed: int) -> None:
        from faker import Faker  # here: importing Faker is a tenth of a start that never needs it

        self.rng = random.Random(seed)
        # Faker instances are cheap (~2 ms); one per call keeps seeding thread-safe.
        self.zh = Faker("zh_TW")
        self.zh.seed_instance(seed)
        self.en = Faker("en_US")
        self.en.seed_instance(seed + 1)

    # ---------------------------------------------------------------- dispatch
    def value(self, schema: dict[str, Any], key: str = "", example: Any = None) -> Any:
        if not schema:
            return None  # nothing known (items of an always-empty array): null matches {}
        if "const" in schema:
            return schema["const"]
        if "enum" in schema and schema["enum"]:
            return self.rng.choice(schema["enum"])
        types = schema.get("type", [])
        types = [types] if isinstance(types, str) else list(types)
        real = [t for t in types if t != "null"]
        if not real or ("null" in types and self.rng.random() < NULL_CHANCE):
            return None
        kind = real[0]
        if kind == "object":
            given = example if isinstance(example, dict) else {}
            return _coherent({k: self.value(sub, k, given.get(k)) for k, sub in schema.get("properties", {}).items()})
        if kind == "array":
            items = schema.get("items")
            if not items:
                return []
            first = example[0] if isinstance(example, list) and example else None
            return [self.value(items, key, first) for _ in range(self.rng.randint(0, MAX_ITEMS))]
        examples = schema.get("examples") or ([] if example is None else [example])
        if kind == "string":
            return self.string(schema, key, examples)
        if kind == "integer":
            return self.integer(schema, key, examples)
        if kind == "number":
            return self.number(schema, key, examples)
        if kind == "boolean":
            return self.rng.random() < 0.5
        raise ValueError(f"cannot generate type {kind!r}")

    # ---------------------------------------------------------------- scalars
    def hex24(self) -> str:
        return f"{self.rng.getrandbits(96):024x}"

    def uuid4(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def digits(self, length: int) -> str:
        return str(self.rng.randint(1, 9)) + "".join(str(self.rng.randint(0, 9)) for _ in range(length - 1))

    def instant(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.rng.randint(_EPOCH_FROM, _EPOCH_TO), dt.UTC).replace(
            microsecond=self.rng.randint(0, 999) * 1000)

    def iso(self) -> str:
        return self.instant().isoformat(timespec="milliseconds").replace("+00:00", "Z")

    def decimal2(self, high: float = 5000.0) -> str:
        return f"{self.rng.randint(0, int(high * 100)) / 100:.2f}"

    def string(self, schema: dict[str, Any], key: str, examples: list[Any]) -> str:
        pattern, fmt = schema.get("pattern"), schema.get("format")
        texts = [e for e in examples if isinstance(e, str)]
        example = self.rng.choice(texts) if texts else None
        if pattern == HEX24:
            return self.hex24()
        if pattern == UUID:
            return self.uuid4()
        if pattern == DIGITS:
            return self.digits(len(example) if isinstance(example, str) and example.isdigit() else 19)
        if pattern == DECIMAL2:
            return self.decimal2()
        if pattern is not None:  # a pattern this walker does not know: the documented example fits it
            return example if isinstance(example, str) else ""
        if fmt == "date-time":
            return self.iso()
        if fmt == "date":
            return self.instant().date().isoformat()
        if fmt == "uuid":
            return self.uuid4()
        if fmt == "email" or "email" in key:
            return self.zh.email()
        if fmt == "uri" or key.endswith("url"):
            return self.en.url() + self.hex24()[:8]
        return self._by_name(key, example)

    def _by_name(self, key: str, ex: str | None) -> str:
        if key in ("id", "_id") or key.endswith("_id"):
            if ex is not None and ex.isdigit():
                return self.digits(len(ex))
            return self.hex24()
        if key.endswith(("_at", "_time")):
            return self.iso()
        if key.endswith("handle"):
            return self.en.user_name()
        if key.endswith("country_code"):
            return ex if ex is not None else "TW"
        if "phone" in key:
            return f"09{self.rng.randint(0, 99_999_999):08d}"
        if key in ("currency_iso", "currency_code", "currency", "presentment_currency"):
            return "TWD"
        if key == "currency_symbol":
            return "NT$"
        if key == "label" and ex is not None and ex.startswith("NT$"):
            return f"NT${self.rng.randint(0, 5000)}"
        if _AMOUNT.search(key) and (ex is None or _DECIMAL.match(ex)):
            return self.decimal2()
        if key == "first_name":
            return self.zh.first_name()
        if key == "last_name":
            return self.zh.last_name()
        if key in _NAME_KEYS:
            return self.zh.name()
        if key in ("city", "province", "state", "layer1"):
            return self.rng.choice(list(TW_PLACES))
        if key in ("district", "layer2"):
            return self.rng.choice(self.rng.choice(list(TW_PLACES.values())))[0]
        if key in ("zip", "postcode", "zipcode"):
            return self.rng.choice(self.rng.choice(list(TW_PLACES.values())))[1]
        if key.startswith("address"):
            return self.zh.street_address()
        if key == "zh-hant":
            return self.zh.word() + self.zh.word()
        if key == "en":
            return self.en.word().capitalize()
        if key in _LOCALE_KEYS:
            return ex if ex is not None else ""
        if ex is None:
            return self.zh.word()
        if ex == "" or _ENUMISH.match(ex):  # enum-like values (status, type, ...) stay as documented
            return ex
        if _HEXISH.match(ex):
            return self.hex24()
        if ex.isdigit():
            return self.digits(len(ex))
        if _CJK.search(ex):
            return self.zh.sentence(nb_words=3).rstrip("。.")
        return self.en.word()

    def _range(self, schema: dict[str, Any], key: str, examples: list[Any]) -> tuple[float, float]:
        numbers = [e for e in examples if isinstance(e, (int, float)) and not isinstance(e, bool)]
        example = numbers[0] if numbers else None
        low, high = schema.get("minimum"), schema.get("maximum")
        if low is None:
            low = -1000 if isinstance(example, (int, float)) and example < 0 else 0
        if high is None:
            if key.endswith("year"):
                low, high = 1950, 2010
            elif key.endswith("month"):
                low, high = 1, 12
            elif key.endswith("day"):
                low, high = 1, 28
            elif key in ("rate",):
                high = 1
            else:
                high = max(10, 2 * abs(example)) if isinstance(example, (int, float)) else 1000
        return low, high

    def integer(self, schema: dict[str, Any], key: str, examples: list[Any]) -> int:
        low, high = self._range(schema, key, examples)
        # Within 2**53: a larger integer loses digits in JavaScript (shopline/numbers.py).
        return self.rng.randint(max(int(low), -SAFE_INTEGER), min(int(high), SAFE_INTEGER))

    def number(self, schema: dict[str, Any], key: str, examples: list[Any]) -> float | int:
        low, high = self._range(schema, key, examples)
        value = round(self.rng.uniform(low, high), 2)
        # 8.0 is "8.0" in Python and "8" in JavaScript: an integral value is sent as an integer.
        return int(value) if value.is_integer() else value


def _coherent(obj: dict[str, Any]) -> dict[str, Any]:
    """SHOPLINE money objects repeat one amount three ways; keep them agreeing (TWD has no subunit in
    the seed's examples: cents == dollars, label "NT$<dollars>")."""
    if isinstance(obj.get("cents"), int) and "dollars" in obj and obj.get("currency_iso") == "TWD":
        obj["dollars"] = obj["cents"]
        if isinstance(obj.get("label"), str):
            obj["label"] = f"{obj.get('currency_symbol') or 'NT$'}{obj['cents']}"
    return obj


def fake(schema: dict[str, Any], seed: int, example: Any = None) -> Any:
    """A document matching the schema, the same for the same seed; `example` (a document of the same
    shape, e.g. the fixture) lends its values as hints where the schema keeps no examples."""
    return _Walker(seed).value(schema, "", example)
