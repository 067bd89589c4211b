"""Reads SHOPLINE's seeds: seed 004's "Topic Name" sections with their payload examples, and seed 002's
field table (the global orders/updated request body), so tests and the contract generator compare
against the documents themselves.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tests.support.seed_json import clean, json_blocks, seed_text

_HEADING = re.compile(r"\nTopic Name:\n")
_BULLET = re.compile(r"\A\s*•\s*(\S+)")


@dataclass(frozen=True)
class TopicExample:
    heading: str   # the name under "Topic Name:", exactly as printed (typos included)
    block: str     # the JSON text of its "Payload Example"
    example: Any   # that JSON parsed (cleaned the same way as every seed example)


def topic_examples(text: str | None = None) -> list[TopicExample]:
    """Every "Topic Name" section of seed 004, in document order, paired with its one JSON example."""
    text = seed_text("004") if text is None else text
    sections = _HEADING.split(text)[1:]
    result = []
    for section in sections:
        match = _BULLET.match(section)
        if match is None:
            raise ValueError(f"a Topic Name section without its bullet: {section[:80]!r}")
        blocks = json_blocks(section)
        if len(blocks) != 1:
            raise ValueError(f"{match.group(1)}: expected one payload example, found {len(blocks)}")
        result.append(TopicExample(match.group(1), blocks[0], clean(blocks[0])))
    return result


# ------------------------------------------------------------------ seed 002
@dataclass(frozen=True)
class Field:
    name: str
    type: str          # as printed: string, integer, double, boolean, array, object, object[]
    description: str   # the lines under the field, "Example:" line excluded
    example: str | None


_FIELD = re.compile(r"^\s*•\s*([A-Za-z0-9_]+?)\s*(object\[\]|object|string|integer|double|boolean|array)\s*$")
_BODY_START, _BODY_END = "请求体", "响应"


def field_table(text: str | None = None) -> list[Field]:
    """Seed 002's request-body fields in printed order. The table is flat (nesting is not printed)."""
    text = seed_text("002") if text is None else text
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == _BODY_START)
    fields: list[Field] = []
    pending: dict[str, Any] | None = None

    def flush() -> None:
        if pending is not None:
            fields.append(Field(pending["name"], pending["type"], " ".join(pending["desc"]).strip(),
                                pending["example"]))

    for line in lines[start + 1:]:
        if line.strip() == _BODY_END:
            break
        match = _FIELD.match(line)
        if match:
            flush()
            pending = {"name": match.group(1), "type": match.group(2), "desc": [], "example": None}
        elif pending is not None and line.strip():
            stripped = line.strip()
            if stripped.startswith("Example:"):
                pending["example"] = stripped[len("Example:"):].strip()
            else:
                pending["desc"].append(stripped)
        elif line.strip().startswith("•"):
            raise ValueError(f"seed 002: a field line this parser does not understand: {line!r}")
    flush()
    return fields
