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


def _strip_comments(text: str) -> str:
    """Drop // comments outside strings."""
    out, in_string, escaped, i = [], False, False, 0
    while i < len(text):
        ch = text[i]
        if in_string:
            out.append(ch)
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            i += 1
            continue
        if ch == '"':
            in_string = True
        if text.startswith("//", i):
            while i < len(text) and text[i] != "\n":
                i += 1
            continue
        out.append(ch)
        i += 1
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
    in_string = escaped = False
    for i, ch in enumerate(text):
        if start is None:
            if ch == "{" and (i == 0 or text[i - 1] == "\n"):
                start, depth = i, 1
            continue
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            continue
        if ch == '"':
            in_string = True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                blocks.append(text[start:i + 1])
                start = None
    return blocks
