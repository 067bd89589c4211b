"""Child processes of the bench (the sandbox, the peers, a webhook receiver): started on a free
port, timed until they answer, measured (RSS), stopped by their own process group."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
READY_TIMEOUT = 120.0  # a JVM on a loaded 2-core machine can take many seconds


def free_port() -> int:
    """A TCP port nothing listens on now (the child binds it a moment later)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_json(url: str, body: Any = None, timeout: float = 900.0) -> Any:
    """GET (body None) or POST a JSON body; the decoded JSON answer. HTTPError on a 4xx/5xx."""
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"} if data is not None else {}
    request = urllib.request.Request(url, data=data, headers=headers, method="GET" if data is None else "POST")
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def http_bytes(url: str, timeout: float = 30.0) -> tuple[int, bytes]:
    """Status and body of a GET (a 4xx/5xx is answered, not raised)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            response.read()
            return response.status == 200
    except (OSError, ValueError):
        return False


def rss_bytes(pid: int) -> dict[str, int]:
    """Resident memory of a process now (VmRSS) and at its peak (VmHWM), in bytes."""
    found: dict[str, int] = {}
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return found
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found["rss" if name == "VmRSS" else "peak_rss"] = int(value.split()[0]) * 1024
    return found


class Service:
    """A server in a child process: `start()` spawns it and waits until `ready_path` answers 200,
    keeping the seconds that took in `startup_seconds`; `stop()` ends its process group."""

    def __init__(self, name: str, command: list[str], port: int, ready_path: str,
                 env: dict[str, str] | None = None, cwd: Path | None = None) -> None:
        self.name = name
        self.command = command
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.ready_path = ready_path
        self.env = env
        self.cwd = cwd
        self.proc: subprocess.Popen | None = None
        self.startup_seconds = 0.0

    def start(self) -> "Service":
        started = time.perf_counter()
        # A session of its own: stop() ends the server and anything it spawned (node, java), and
        # nothing else.
        self.proc = subprocess.Popen(self.command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, env=self.env, cwd=self.cwd,
                                     start_new_session=True)
        deadline = started + READY_TIMEOUT
        while time.perf_counter() < deadline:
            if _answers(self.url + self.ready_path):
                self.startup_seconds = time.perf_counter() - started
                return self
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode} before answering")
            time.sleep(0.005)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer {self.ready_path} within {READY_TIMEOUT:g} s")

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=15)
        except ProcessLookupError:
            pass

    def __enter__(self) -> "Service":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def sandbox(*args: str, env: dict[str, str] | None = None) -> Service:
    """`shop-sandbox serve` of this checkout on a free port, ready at its first healthy answer
    (the console's lines go to /dev/null: they are formatted as for a user, not shown); `env` adds
    variables."""
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    return Service("shop-sandbox", [sys.executable, "-m", "mockserver", "serve", "--port", str(port), *args],
                   port, "/_sandbox/health", env=env, cwd=REPO)


class Receiver:
    """A webhook receiver (bench/receiver.py, answering 200) in a child process, so that it does not
    share a GIL with what sends to it; `count()` asks how many requests arrived. inbox: receive with
    the plugin's WebhookInbox instead of the native-parsing counter."""

    def __init__(self, inbox: bool = False) -> None:
        self.inbox = inbox

    def __enter__(self) -> "Receiver":
        self.proc = subprocess.Popen([sys.executable, "-m", "bench.receiver", *(["--inbox"] if self.inbox else [])],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO)
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http"):
            raise RuntimeError("the webhook receiver did not start")
        return self

    def count(self) -> int:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write("count\n")
        self.proc.stdin.flush()
        return int(self.proc.stdout.readline())

    def __exit__(self, *exc: object) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
