"""The peers: servers that answer the page the sandbox answered, statically. WireMock gets it as a
stub mapping (the exact bytes), Prism as the OpenAPI example of its one operation (static mode,
Prism's default; it re-serialises the JSON compactly), and, for reference, a bare Flask view on
the sandbox's own server (granian in-process) shows what server and framework alone cost."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from bench.procs import REPO, Service, free_port

LABELS = {"wiremock": "WireMock static stub", "prism": "Prism static example",
          "bare_flask": "bare Flask view on granian"}


def wiremock(tool: dict[str, Any], folder: Path, path: str, body: bytes) -> Service:
    """WireMock standalone (the npm package's jar on the machine's Java), no request journal (it
    would grow with every request of the run), answering `body` to GET `path` with any query."""
    (folder / "mappings").mkdir(parents=True, exist_ok=True)
    stub = {"request": {"method": "GET", "urlPath": path},
            "response": {"status": 200, "headers": {"Content-Type": "application/json"},
                         "body": body.decode("utf-8")}}
    (folder / "mappings" / "page.json").write_text(json.dumps(stub), encoding="utf-8")
    port = free_port()
    command = [tool["java"], "-jar", tool["jar"], "--port", str(port), "--root-dir", str(folder),
               "--no-request-journal", "--disable-banner"]
    return Service("WireMock", command, port, path)


def prism(tool: dict[str, Any], folder: Path, path: str, body: bytes) -> Service:
    """`prism mock` (static: the example, never generated) of a one-operation OpenAPI document,
    logging only errors (its per-request log lines would be its own cost, not the page's)."""
    folder.mkdir(parents=True, exist_ok=True)
    document = {"openapi": "3.0.3", "info": {"title": "shop-sandbox bench page", "version": "1"},
                "paths": {path: {"get": {"responses": {"200": {
                    "description": "the page the sandbox answered",
                    "content": {"application/json": {"example": json.loads(body)}}}}}}}}
    spec = folder / "openapi.json"
    spec.write_text(json.dumps(document), encoding="utf-8")
    port = free_port()
    command = [tool["node"], tool["cli"], "mock", "-p", str(port), "-h", "127.0.0.1", "-v", "error", str(spec)]
    return Service("Prism", command, port, path)


def bare_flask(folder: Path, path: str, body: bytes) -> Service:
    """`python -m bench.bare_app`: one Flask view answering `body`, on mockserver.server."""
    folder.mkdir(parents=True, exist_ok=True)
    page = folder / "page.json"
    page.write_bytes(body)
    port = free_port()
    command = [sys.executable, "-m", "bench.bare_app", "--port", str(port), "--path", path, "--body", str(page)]
    return Service("bare Flask", command, port, path, env={**os.environ, "PYTHONUNBUFFERED": "1"}, cwd=REPO)
