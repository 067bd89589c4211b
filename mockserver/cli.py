"""`shop-sandbox serve | credentials | trigger | validate`: the command line of the sandbox."""
from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from typing import Sequence

from mockserver import __version__
from mockserver.app import create_app
from mockserver.server import BackgroundServer
from mockserver.settings import Settings, from_env


def serve_settings(args: argparse.Namespace) -> Settings:
    """The settings `serve` runs with: SHOP_SANDBOX_* variables, overridden by the flags given."""
    return from_env(host=args.host, port=args.port, seed=args.seed, threads=args.threads,
                    epoch=args.epoch, shopee_tracking_delay=args.tracking_delay,
                    shopee_auto_progress=True if args.auto_progress else None,
                    webhook_workers=args.webhook_workers)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive integer")
    return value


def _serve(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    settings = serve_settings(args)
    app = create_app(settings)
    server = BackgroundServer(app, settings.host, settings.port, settings.threads)
    display_host = "127.0.0.1" if settings.host in ("0.0.0.0", "::") else settings.host
    base_url = f"http://{display_host}:{server.port}"
    store = app.extensions["shop_sandbox"]
    with store.lock:
        credentials = {name: backend.credentials(base_url) for name, backend in store.backends.items()}
    print(f"shop-sandbox {__version__} listening on {base_url} (seed {store.seed}, "
          f"ready in {time.perf_counter() - started:.2f}s)")
    print(_banner(base_url, credentials), flush=True)

    # The server runs in a thread; the main thread only waits for SIGTERM/SIGINT, then closes it.
    stopping = threading.Event()

    def stop(signum, _frame) -> None:
        if not stopping.is_set():
            print(f"shop-sandbox: {signal.Signals(signum).name} received, stopping", flush=True)
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server.start()
    while not stopping.wait(0.5):
        pass
    server.close()
    # At-least-once: deliveries still queued or retrying are named, never dropped without a word.
    unfinished = store.webhooks.close()
    if unfinished:
        print(f"shop-sandbox: {len(unfinished)} webhook deliveries unfinished at stop: "
              + ", ".join(f"{d['id']} ({d['status']}, {d['url']})" for d in unfinished), flush=True)
    print("shop-sandbox: stopped", flush=True)
    return 0


def _banner(base_url: str, credentials: dict) -> str:
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


def _credentials(args: argparse.Namespace) -> int:
    app = create_app(from_env(seed=args.seed, epoch=args.epoch))
    store = app.extensions["shop_sandbox"]
    base_url = args.base_url
    with store.lock:
        print(json.dumps({name: b.credentials(base_url) for name, b in store.backends.items()},
                         ensure_ascii=False, indent=2))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="shop-sandbox", description="A local sandbox of Shopee, 1shop and SHOPLINE.")
    parser.add_argument("--version", action="version", version=f"shop-sandbox {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the sandbox (waitress, multi-threaded)")
    serve.add_argument("--host", default=None, help="interface to bind (default 127.0.0.1; 0.0.0.0 in a container)")
    serve.add_argument("--port", type=int, default=None, help="port (default 8000; 0 picks a free one)")
    serve.add_argument("--seed", type=int, default=None, help="seed of the default world (default 42)")
    serve.add_argument("--epoch", type=int, default=None, help="unix time the seeded dates lead up to")
    serve.add_argument("--threads", type=int, default=None, help="worker threads (default 8)")
    serve.add_argument("--tracking-delay", type=int, default=None,
                       help="seconds on the sandbox clock before ship_order's tracking number appears")
    serve.add_argument("--auto-progress", action="store_true", help="shipped orders move on by themselves")
    serve.add_argument("--webhook-workers", type=_positive, default=None,
                       help="threads sending webhooks (default 4)")
    serve.set_defaults(func=_serve)
    creds = sub.add_parser("credentials", help="print the default world's credentials for a seed")
    creds.add_argument("--seed", type=int, default=None)
    creds.add_argument("--epoch", type=int, default=None)
    creds.add_argument("--base-url", default="http://127.0.0.1:8000")
    creds.set_defaults(func=_credentials)
    # `shop-sandbox trigger <platform> ...`: a platform's webhook from a running sandbox (admin API).
    trigger = sub.add_parser("trigger", help="send a platform's webhook from a running sandbox, like `stripe trigger`")
    trigger_platforms = trigger.add_subparsers(dest="platform", required=True)
    from mockserver.shopline.trigger_cli import add_parser as add_shopline_trigger

    add_shopline_trigger(trigger_platforms)
    # `shop-sandbox validate <file.json> --contract <name>`: contract drift of a captured payload.
    from mockserver.validate import add_parser as add_validate

    add_validate(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
