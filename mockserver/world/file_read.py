"""Reads a world file, or every *.yaml/*.yml/*.json of a directory in name order, and merges them.

Parse errors are located (file, line, column); nothing raises anything but WorldFileError. Each
part keeps its YAML node tree, so a problem found later on the merged document is reported at
the file and line it came from.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

from mockserver.world.file_problems import Path, Problem, WorldFileError, dotted

SUFFIXES = (".yaml", ".yml", ".json")
MAX_FILE_BYTES = 64 * 1024 * 1024  # a world file is configuration: anything larger is a mistake


@dataclass
class Part:
    """One document: its source (a file name, or None for a posted body), its data, its YAML nodes."""
    source: str | None
    data: Any
    node: Any = None

    def line(self, path: Path) -> int | None:
        """The line of the deepest node of `path` found in the file (1-based)."""
        node, line = self.node, None
        if node is None:
            return None
        import yaml  # here, not at the top: a start without a world file never needs it
        line = node.start_mark.line + 1
        for part in path:
            if isinstance(node, yaml.MappingNode):
                node = next((v for k, v in node.value if getattr(k, "value", None) == str(part)), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                node = node.value[part]
            else:
                node = None
            if node is None:
                break
            line = node.start_mark.line + 1
        return line


@dataclass
class Document:
    """The merged world document, and where each of its list entries came from."""
    data: dict[str, Any]
    parts: list[Part]
    origins: dict[Path, tuple[int, Path]] = field(default_factory=dict)

    def problem(self, path: Path, message: str) -> Problem:
        """A problem at `path` of the merged document, located in the part it came from."""
        for cut in range(len(path), 0, -1):
            origin = self.origins.get(tuple(path[:cut]))
            if origin is not None:
                index, prefix = origin
                local = prefix + tuple(path[cut:])
                part = self.parts[index]
                return Problem(message, dotted(local), part.source, part.line(local))
        part = self.parts[0] if len(self.parts) == 1 else None
        return Problem(message, dotted(path), part.source if part else None, part.line(path) if part else None)


def parse_text(text: str, source: str | None, as_json: bool = False) -> Part:
    """One document from text; WorldFileError (located) when it does not parse or is no mapping."""
    import yaml

    node = None
    try:
        if as_json:
            data = json.loads(text)
        else:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
            data = yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise WorldFileError([Problem(f"not valid JSON: {exc.msg} (column {exc.colno})", "", source, exc.lineno)]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        what = " ".join(str(p) for p in (getattr(exc, "context", None), getattr(exc, "problem", None)) if p) or str(exc)
        raise WorldFileError([Problem(f"not valid YAML: {what}" + (f" (column {mark.column + 1})" if mark else ""),
                                      "", source, mark.line + 1 if mark else None)]) from None
    except RecursionError:
        raise WorldFileError([Problem("nested too deeply to read", "", source)]) from None
    if as_json:
        try:  # JSON is YAML: the node tree gives the lines of later problems
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except (yaml.YAMLError, RecursionError):
            node = None
    if data is None:
        raise WorldFileError([Problem("the document is empty: a world document is a mapping "
                                      "(shopee:, oneshop:, shopline:)", "", source)])
    if not isinstance(data, dict):
        raise WorldFileError([Problem(f"a world document is a mapping, not {_kind(data)}", "", source, 1)])
    return Part(source, data, node)


def read_file(path: FsPath) -> Part:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise WorldFileError([Problem(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB", "", str(path))])
        raw = path.read_bytes()
    except OSError as exc:
        raise WorldFileError([Problem(f"cannot be read: {exc.strerror or exc}", "", str(path))]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise WorldFileError([Problem(f"not UTF-8 text (byte {exc.start})", "", str(path))]) from None
    return parse_text(text, str(path), as_json=path.suffix.lower() == ".json")


def world_files(path: FsPath) -> list[FsPath]:
    """The files a directory contributes, in name order (hidden files skipped)."""
    return sorted(p for p in path.iterdir()
                  if p.suffix.lower() in SUFFIXES and not p.name.startswith(".") and p.is_file())


def read_parts(location: str) -> tuple[list[Part], list[Problem]]:
    """Every part of a file or directory that parses, and the problems of those that do not (an
    empty directory gives neither): every file is read, so one run reports every broken file."""
    path = FsPath(location)
    if not path.exists():
        raise WorldFileError([Problem("no such file or directory", "", location)])
    if not path.is_dir():
        return [read_file(path)], []
    try:
        files = world_files(path)
    except OSError as exc:
        raise WorldFileError([Problem(f"cannot be listed: {exc.strerror or exc}", "", location)]) from None
    parts, problems = [], []
    for file in files:
        try:
            parts.append(read_file(file))
        except WorldFileError as exc:
            problems += exc.problems
    return parts, problems


def merge(parts: list[Part]) -> Document:
    """One document: mappings merged key by key, lists appended in part order; a scalar given
    twice with different values is a problem."""
    document = Document({}, parts)
    problems: list[Problem] = []
    for index, part in enumerate(parts):
        _merge_into(document, document.data, part.data, (), index, problems)
    if problems:
        raise WorldFileError(problems)
    return document


def _merge_into(document: Document, target: dict[str, Any], source: dict[str, Any], path: Path, index: int,
                problems: list[Problem]) -> None:
    for key, value in source.items():
        here = path + (key,)
        if isinstance(value, list):
            current = target.setdefault(key, [])
            if not isinstance(current, list):
                problems.append(_conflict(document, here, index))
                continue
            for position in range(len(value)):
                document.origins[here + (len(current) + position,)] = (index, here + (position,))
            current.extend(value)
        elif isinstance(value, dict):
            current = target.setdefault(key, {})
            if not isinstance(current, dict):
                problems.append(_conflict(document, here, index))
                continue
            _merge_into(document, current, value, here, index, problems)
        elif key in target and target[key] != value:
            problems.append(_conflict(document, here, index))
        else:
            target[key] = value


def _conflict(document: Document, path: Path, index: int) -> Problem:
    part = document.parts[index]
    return Problem("given a different value by an earlier file", dotted(path), part.source, part.line(path))


def _kind(value: Any) -> str:
    return {list: "a list", str: "a string", int: "a number", float: "a number", bool: "a boolean"}.get(
        type(value), type(value).__name__)
