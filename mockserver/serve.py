"""`shop-sandbox serve` in the foreground: build the world, print where it listens and its
credentials, serve until SIGTERM or SIGINT, then stop in order and say what was left undone.

Stopping: the listener closes at once; requests in flight get `drain_seconds` to finish (a second
signal cuts that short); webhook attempts in flight finish within what is left of it; deliveries
still queued are summed up on the console (counts, a few examples), and the exit code is 0.
"""
from __future__ import annotations

import signal
import sys
import threading
import time
from typing import Any

from mockserver import __version__
from mockserver.settings import Settings

SIGNALS = (signal.SIGTERM, signal.SIGINT)


class _Stop(Exception):
    """A second signal while draining: stop now."""


def run(settings: Settings) -> int:
    started = time.perf_counter()
    received: list[int] = []
    wake = threading.Event()
    draining = threading.Event()

    def on_signal(signum: int, _frame: Any) -> None:
        received.append(signum)
        wake.set()
        if draining.is_set():
            raise _Stop()  # the second signal: cut the drain short

    # Before the world is built: as PID 1 of a container, a signal without a handler is dropped, so
    # a `docker stop` while the sandbox starts would wait for SIGKILL. One received now stops the
    # sandbox as soon as it is up.
    previous = {sig: signal.signal(sig, on_signal) for sig in SIGNALS}
    try:
        return _serve(settings, started, received, wake, draining)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _serve(settings: Settings, started: float, received: list[int], wake: threading.Event,
           draining: threading.Event) -> int:
    from mockserver.app import create_app
    from mockserver.server import BackgroundServer

    from mockserver.world.state_dir import StateDirError

    try:
        app = create_app(settings)
    except StateDirError as exc:  # never half-loaded: the start stops with the reason
        print(f"shop-sandbox: {exc}", file=sys.stderr)
        return 1
    store = app.extensions["shop_sandbox"]
    state_dir = app.extensions.get("shop_sandbox_state_dir")
    console = store.console
    for layer in store.layers:  # the world file: which files were read (none: the seeded world alone)
        files = getattr(layer, "files", [])
        console.notice("world", f"world {layer.location}: " + (", ".join(files) if files else
                                                                "no world file there; the seeded world only"),
                       files=files)
    try:
        server = BackgroundServer(app, settings.host, settings.port, settings.threads,
                                  drain=settings.drain_seconds)
    except OSError as exc:
        print(f"shop-sandbox: {exc}", file=sys.stderr)
        return 1
    display_host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(settings.host, settings.host)
    base_url = f"http://[{display_host}]:{server.port}" if ":" in display_host else f"http://{display_host}:{server.port}"
    with store.lock:
        credentials = {name: backend.credentials(base_url) for name, backend in store.backends.items()}
    server.start()  # before the banner: whoever reads it may connect at once
    ready = time.perf_counter() - started
    if settings.log_format == "json":
        console.notice("started", f"shop-sandbox {__version__} listening on {base_url}", url=base_url,
                       version=__version__, seed=store.seed, ready_seconds=round(ready, 3),
                       bound=f"{settings.host}:{server.port}", strict=settings.strict, credentials=credentials)
    else:
        print(f"shop-sandbox {__version__} listening on {base_url} (seed {store.seed}, ready in {ready:.2f}s"
              f"{', strict' if settings.strict else ''})")
        print(banner(base_url, credentials), flush=True)

    while not wake.wait(1.0):
        pass
    name = signal.Signals(received[0]).name
    console.notice("stopping", f"{name} received: stopping (requests in flight get up to "
                               f"{settings.drain_seconds:g}s; a second signal stops at once)", signal=name)
    deadline = time.monotonic() + settings.drain_seconds
    draining.set()
    try:
        cut = server.close()
    except _Stop:
        draining.clear()  # later signals are only counted: the rest takes no time anyway
        cut = server.in_flight.count
        deadline = time.monotonic()
    if cut:
        console.notice("requests_cut", f"{cut} requests were still running when the drain time ran out",
                       count=cut)
    try:
        unfinished = store.webhooks.close(timeout=max(0.0, deadline - time.monotonic()))
    except _Stop:
        draining.clear()
        unfinished = store.webhooks.close(timeout=0)
    report_unfinished(console, unfinished)
    if state_dir is not None:  # after the drain: what the last requests and attempts did is kept
        try:
            saved = state_dir.close()
        except OSError as exc:
            console.notice("save_failed", f"saving the world to {state_dir.path} failed: {exc}")
        else:
            if saved:
                console.notice("saved", f"world saved to {saved['path']} ({saved['bytes']} bytes)", **saved)
    console.notice("stopped", "stopped")
    console.flush()  # the console's lines are written by a thread of their own: all out before exit
    return 0


def report_unfinished(console: Any, unfinished: list[dict[str, Any]]) -> None:
    """At-least-once: deliveries still queued or retrying are named, never dropped without a word,
    and never in a line that grows with the backlog."""
    counts: dict[str, int] = {}
    for view in unfinished:
        counts[view["status"]] = counts.get(view["status"], 0) + 1
    console.summary("webhooks_unfinished", "webhook deliveries unfinished at stop", unfinished,
                    lambda v: f"{v['id']} ({v['status']}, {v['platform']} {v['event'] or '-'} -> {v['url']})",
                    counts)


def banner(base_url: str, credentials: dict) -> str:
    """The default world's credentials, one platform a block (all of it: GET /_sandbox/credentials)."""
    lines = [f"  admin API       {base_url}/_sandbox/health  (everything: {base_url}/_sandbox/credentials)"]
    shopee = credentials.get("shopee")
    if shopee:
        lines += [f"  Shopee v2       {base_url}/api/v2/...",
                  f"    partner_id    {shopee['partner_id']}", f"    partner_key   {shopee['partner_key']}",
                  f"    shop_id       {shopee['shop_id']}", f"    access_token  {shopee['access_token']}",
                  f"    refresh_token {shopee['refresh_token']}"]
    oneshop = credentials.get("oneshop")
    if oneshop:
        lines += [f"  1shop v1        {oneshop['api_base']}/order",
                  f"    appid         {oneshop['appid']}", f"    secret        {oneshop['secret']}"]
    shopline = credentials.get("shopline")
    if shopline:
        openapi, global_ = shopline["openapi"], shopline["global"]
        lines += [f"  SHOPLINE        {openapi['api_base']}/webhooks  (Bearer {openapi['access_token']})",
                  f"    app_id        {openapi['app_id']}", f"    app_secret    {openapi['app_secret']}",
                  f"  SHOPLINE global {global_['api_base']}/webhooks.json  (Bearer {global_['access_token']})",
                  f"    app_secret    {global_['app_secret']}"]
    return "\n".join(lines)
