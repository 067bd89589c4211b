"""Starts `shop-sandbox serve` as a child process on a free port and waits until it is healthy."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get_json(url: str, body: dict | None = None) -> dict:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"} if data else {})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


class SandboxProcess:
    def __init__(self, *args: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.args = args
        self.proc: subprocess.Popen | None = None
        self.startup_seconds = 0.0

    def __enter__(self) -> "SandboxProcess":
        started = time.perf_counter()
        self.proc = subprocess.Popen([sys.executable, "-m", "mockserver", "serve", "--port", str(self.port), *self.args],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     env={**os.environ, "PYTHONUNBUFFERED": "1"})
        deadline = started + 30
        while time.perf_counter() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/_sandbox/health", timeout=1) as response:
                    if response.status == 200:
                        self.startup_seconds = time.perf_counter() - started
                        return self
            except OSError:
                time.sleep(0.005)
        raise RuntimeError("shop-sandbox did not become healthy in 30 s")

    def __exit__(self, *exc) -> None:
        assert self.proc is not None
        self.proc.terminate()
        self.proc.wait(timeout=10)
