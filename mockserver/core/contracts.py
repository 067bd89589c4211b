"""Loads contracts/ (OpenAPI documents and JSON Schemas) and validates documents against them."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mockserver.resources import data_dir

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from referencing import Resource

# yaml, jsonschema and referencing are imported where they are used: `serve` imports this module
# for /_sandbox/openapi.yaml, and they were a sixth of a start (bench/startup.py).


class ContractViolation(AssertionError):
    """A document does not match its contract (raised by the validators below)."""


@lru_cache(maxsize=None)
def load(relative: str) -> dict[str, Any]:
    """A contract file under contracts/ (YAML or JSON), parsed once."""
    import yaml

    path = data_dir("contracts") / relative
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle) if path.suffix in (".yaml", ".yml") else json.load(handle)


def _pointer(doc: dict[str, Any], ref: str) -> Any:
    node: Any = doc
    for part in ref.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


class OpenApiContract:
    """Response validation for one OpenAPI 3.1 document."""

    def __init__(self, relative: str) -> None:
        from referencing import Registry

        self.name = relative
        self.doc = load(relative)
        uri = f"urn:shop-sandbox:{relative}"
        self._uri = uri
        self._registry = Registry().with_resource(uri, _resource(self.doc))
        self._validators: dict[str, Draft202012Validator] = {}

    def operation(self, method: str, path: str) -> dict[str, Any]:
        item = self.doc["paths"].get(path)
        if item is None or method.lower() not in item:
            raise ContractViolation(f"{self.name}: no operation {method} {path}")
        return item[method.lower()]

    def response_schema_ref(self, method: str, path: str, status: int, content_type: str) -> str | None:
        """A JSON pointer (into the document) to the schema of this answer; None when no body schema."""
        op = self.operation(method, path)
        responses = op.get("responses", {})
        key = str(status) if str(status) in responses else f"{str(status)[0]}XX" if f"{str(status)[0]}XX" in responses else "default"
        if key not in responses:
            raise ContractViolation(f"{self.name}: {method} {path} does not document status {status}")
        response = responses[key]
        base = f"#/paths/{path.replace('~', '~0').replace('/', '~1')}/{method.lower()}/responses/{key}"
        if "$ref" in response:
            base = response["$ref"]
            response = _pointer(self.doc, base)
        content = response.get("content")
        if not content:
            return None
        media = content_type.split(";")[0].strip()
        if media not in content:
            raise ContractViolation(f"{self.name}: {method} {path} {status} has no {media} body in the contract")
        if "schema" not in content[media]:
            return None
        return f"{base}/content/{media.replace('/', '~1')}/schema"

    def validate_response(self, method: str, path: str, status: int, content_type: str, body: Any) -> None:
        ref = self.response_schema_ref(method, path, status, content_type)
        if ref is None:
            return
        validator = self._validators.get(ref)
        if validator is None:
            from jsonschema import Draft202012Validator

            validator = Draft202012Validator({"$ref": self._uri + ref}, registry=self._registry)
            self._validators[ref] = validator
        errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
        if errors:
            detail = "; ".join(f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors[:5])
            raise ContractViolation(f"{method} {path} {status} breaks {self.name}: {detail}")


def _resource(doc: dict[str, Any]) -> Resource:
    from referencing.jsonschema import DRAFT202012

    return DRAFT202012.create_resource(doc)


@lru_cache(maxsize=None)
def openapi(relative: str) -> OpenApiContract:
    return OpenApiContract(relative)


def schema_validator(relative: str) -> Draft202012Validator:
    """A validator for a standalone JSON Schema file under contracts/."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(load(relative))


def contract_files(suffix: str = ".json") -> list[Path]:
    return sorted(p for p in data_dir("contracts").rglob(f"*{suffix}"))
