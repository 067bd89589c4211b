"""A reference point, `python -m bench.bare_app --port P --path /x --body page.json`: one Flask view
answering fixed bytes, served like the sandbox (mockserver.server, granian in-process, its GETs
brief), so the bench shows what the server and Flask cost before any of the sandbox's own work."""
from __future__ import annotations

import argparse
import signal
import threading
from pathlib import Path

from flask import Flask, Response

from mockserver.server import BackgroundServer


def build(path: str, body: bytes) -> Flask:
    """The one-view app."""
    app = Flask("bare")

    @app.get(path)
    def page() -> Response:
        return Response(body, mimetype="application/json")

    app.runs_briefly = lambda environ: True  # type: ignore[attr-defined] # as the sandbox's GETs (wsgi_calls.py)
    return app


def main() -> None:
    """Serve until SIGTERM or SIGINT."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", required=True)
    parser.add_argument("--body", type=Path, required=True)
    args = parser.parse_args()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    with BackgroundServer(build(args.path, args.body.read_bytes()), "127.0.0.1", args.port, threads=8):
        while not stop.wait(1.0):
            pass


if __name__ == "__main__":
    main()
