"""World documents end to end: read (file, directory or posted body), schema-checked, checked
against the running world, then applied to it under the store's lock, all or nothing.

`StartWorld` is the store's start layer: the world file is applied after the seeded worlds are
built, on start and after every reset, so a reset keeps the file's fixed ids and credentials.
"""
from __future__ import annotations

from typing import Any

from mockserver.world import file_oneshop, file_shopee, file_shopline
from mockserver.world.file_problems import Path, Problem, WorldFileError
from mockserver.world.file_read import Document, Part, merge, read_parts
from mockserver.world.file_schema import schema_problems


def load(location: str) -> Document:
    """A world file or directory, parsed and schema-checked (every file, every error)."""
    parts, problems = read_parts(location)
    for part in parts:
        problems += schema_problems(part.data, lambda path, message, part=part: _at(part, path, message))
    if problems:
        raise WorldFileError(problems)
    return merge(parts)


def from_data(data: Any, source: str | None = None) -> Document:
    """A document already parsed (a posted JSON body), schema-checked."""
    if not isinstance(data, dict):
        raise WorldFileError([Problem("a world document is a JSON object", "", source)])
    part = Part(source, data)
    problems = schema_problems(data, lambda path, message: _at(part, path, message))
    if problems:
        raise WorldFileError(problems)
    return merge([part])


def _at(part: Part, path: Path, message: str) -> Problem:
    from mockserver.world.file_problems import dotted

    return Problem(message, dotted(path), part.source, part.line(path))


def apply(store: Any, document: Document) -> dict[str, Any]:
    """Check the document against the world, then put it in; the caller holds store.lock.
    WorldFileError, and the world untouched, when anything does not fit."""
    problems: list[Problem] = []

    def report(path: Path, message: str) -> None:
        problems.append(document.problem(path, message))

    data = document.data
    shopee, oneshop, shopline = (store.backend(name) for name in ("shopee", "oneshop", "shopline"))
    plans = (file_shopee.check(data.get("shopee", {}), shopee, shopee.now(), report),
             file_oneshop.check(data.get("oneshop", {}), oneshop, oneshop.now(), report),
             file_shopline.check(data.get("shopline", {}), shopline, report))
    if problems:
        raise WorldFileError(problems)
    return {"shopee": file_shopee.apply(plans[0], shopee, shopee.now()),
            "oneshop": file_oneshop.apply(plans[1], oneshop, oneshop.now()),
            "shopline": file_shopline.apply(plans[2], shopline)}


class StartWorld:
    """The world file as a start layer of the store (core/store.py runs it after every build)."""

    def __init__(self, location: str, document: Document) -> None:
        self.location = location
        self.document = document

    @property
    def files(self) -> list[str]:
        return [part.source or "" for part in self.document.parts]

    def __call__(self, store: Any) -> None:
        if self.document.parts:
            apply(store, self.document)
