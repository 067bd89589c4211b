"""Pulls the JSON examples out of a seed document and cleans them to valid JSON.

The seeds print examples with // comments, trailing commas, a missing colon and a repeated key;
cleaning removes exactly those and nothing else, so a fixture can be compared with its seed.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def seed_text(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def _scan(text: str):
    """(index, character, inside a string literal) for every character of a JSON-like text."""
    in_string = escaped = False
    for i, ch in enumerate(text):
        if in_string:
            yield i, ch, True
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            continue
        if ch == '"':
            in_string = True
        yield i, ch, in_string


def _strip_comments(text: str) -> str:
    """Drop // comments outside strings."""
    out, skip_to_newline = [], False
    for i, ch, in_string in _scan(text):
        if skip_to_newline:
            if ch != "\n":
                continue
            skip_to_newline = False
        elif not in_string and text.startswith("//", i):
            skip_to_newline = True
            continue
        out.append(ch)
    return "".join(out)


def _unique_keys(pairs):
    result = {}
    for key, value in pairs:
        result.setdefault(key, value)  # a repeated key keeps its first value
    return result


def clean(block: str):
    text = _strip_comments(block)
    text = re.sub(r",(\s*[}\]])", r"\1", text)  # trailing commas
    text = re.sub(r'("[A-Za-z_]+")\s+\[', r"\1: [", text)  # '"bundle" [' lacks its colon
    return json.loads(text, object_pairs_hook=_unique_keys)


def json_blocks(text: str) -> list[str]:
    """Every top-level {...} block that starts a line."""
    blocks, depth, start = [], 0, None
    for i, ch, in_string in _scan(text):
        if in_string:
            continue
        if start is None:
            if ch == "{" and (i == 0 or text[i - 1] == "\n"):
                start, depth = i, 1
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                blocks.append(text[start:i + 1])
                start = None
    return blocks
