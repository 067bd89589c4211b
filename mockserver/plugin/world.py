"""The marker's `world=`: a world file laid over a test's freshly reset world.

After the per-test reset, the document is POSTed to /_sandbox/world (the admin API, so a sandbox
in a container gets it the same way). The file is read and schema-checked once per session, then
only posted: cheaper than a server per world file, and correct since each test starts from a
reset. Problems fail the test with every location.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

_documents: dict[str, dict[str, Any]] = {}  # resolved path -> merged document (one session's files)


def resolve(location: str, node: pytest.Item) -> Path:
    """An absolute path; a relative one from pytest's rootdir, else from the test file's directory."""
    path = Path(location)
    if path.is_absolute():
        return path
    for base in (node.config.rootpath, Path(str(node.path)).parent):
        if (base / path).exists():
            return base / path
    return node.config.rootpath / path


def document(location: str, node: pytest.Item) -> dict[str, Any]:
    from mockserver.world.file_build import load
    from mockserver.world.file_problems import WorldFileError

    path = str(resolve(location, node))
    if path not in _documents:
        problem = None
        try:
            _documents[path] = load(path).data
        except WorldFileError as exc:
            problem = exc.report()
        if problem is not None:  # outside the except: the report alone, no chained exception
            pytest.fail(f"mark.shop_sandbox(world={location!r}): {problem}", pytrace=False)
    return _documents[path]


def lay_over(sandbox: Any, location: str, node: pytest.Item) -> dict[str, Any]:
    """POST the world document to the sandbox; fails the test with the sandbox's located errors."""
    from mockserver.clients.admin import AdminApiError

    data = document(location, node)
    try:
        return sandbox.admin.post("/world", data)
    except AdminApiError as exc:
        errors = exc.body.get("errors", []) if isinstance(exc.body, dict) else []
        refusal = "\n".join([exc.message] + [f"  {e.get('location')}: {e.get('message')}" for e in errors])
    pytest.fail(f"mark.shop_sandbox(world={location!r}): the sandbox refused it: {refusal}", pytrace=False)
