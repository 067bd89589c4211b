"""`shop-sandbox serve | health | credentials | trigger | validate | world`: the command line of the sandbox."""
from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Sequence

from mockserver import __version__
from mockserver.settings import Settings, from_env


def serve_settings(args: argparse.Namespace) -> Settings:
    """The settings `serve` runs with: SHOP_SANDBOX_* variables, overridden by the flags given."""
    return from_env(host=args.host, port=args.port, seed=args.seed, threads=args.threads,
                    epoch=args.epoch, shopee_tracking_delay=args.tracking_delay,
                    shopee_auto_progress=True if args.auto_progress else None,
                    webhook_workers=args.webhook_workers, log_format=args.log_format,
                    quiet=True if args.quiet else None, strict=True if args.strict else None,
                    drain_seconds=args.drain_seconds, world=args.world, console=True, state_dir=args.state_dir,
                    save_strategy=args.save_strategy, save_interval=args.save_interval)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive integer")
    return value


def _seconds(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 3600:
        raise argparse.ArgumentTypeError(f"{text} is not a number of seconds between 0 and 3600")
    return value


def _serve(args: argparse.Namespace) -> int:
    from mockserver.serve import run

    try:
        settings = serve_settings(args)
    except (ValueError, TypeError) as exc:
        print(f"shop-sandbox: {exc}", file=sys.stderr)
        return 2
    from mockserver.world.file_problems import WorldFileError

    try:
        code = run(settings)
    except WorldFileError as exc:  # before anything listens: every problem, located, no traceback
        print(f"shop-sandbox: world {settings.world}: {exc.report()}", file=sys.stderr)
        return 1
    # Everything is said and flushed: skip the interpreter's teardown of a large world (tenths of a
    # second after "stopped" that `docker stop` would otherwise wait for).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _health(args: argparse.Namespace) -> int:
    """Exit 0 when the sandbox at --url (else SHOP_SANDBOX_HOST/PORT) answers healthy, else 1."""
    from mockserver.clients.health import check

    try:
        url = args.url or local_url(from_env())
    except ValueError as exc:
        print(f"shop-sandbox health: {exc}", file=sys.stderr)
        return 1
    healthy, message = check(url, timeout=args.timeout)
    print(f"shop-sandbox health: {message}", file=sys.stdout if healthy else sys.stderr)
    return 0 if healthy else 1


def local_url(settings: Settings) -> str:
    """Where this machine reaches a sandbox bound to settings.host:port (0.0.0.0 is 127.0.0.1)."""
    host = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}.get(settings.host, settings.host)
    return f"http://[{host}]:{settings.port}" if ":" in host else f"http://{host}:{settings.port}"


def _credentials(args: argparse.Namespace) -> int:
    from mockserver.app import create_app
    from mockserver.world.file_problems import WorldFileError

    try:
        app = create_app(from_env(seed=args.seed, epoch=args.epoch, world=args.world))
    except WorldFileError as exc:
        print(f"shop-sandbox: world {exc.report()}", file=sys.stderr)
        return 1
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
    _serve_parser(sub.add_parser("serve", help="run the sandbox (granian, multi-threaded); every flag has a "
                                             "SHOP_SANDBOX_* variable"))
    _health_parser(sub.add_parser("health", help="exit 0 when a sandbox answers healthy (the container's HEALTHCHECK)"))
    creds = sub.add_parser("credentials", help="print the default world's credentials for a seed")
    creds.add_argument("--seed", type=int, default=None)
    creds.add_argument("--epoch", type=int, default=None)
    creds.add_argument("--base-url", default="http://127.0.0.1:8000")
    creds.add_argument("--world", default=None, metavar="FILE_OR_DIR", help="with this world file")
    creds.set_defaults(func=_credentials)
    # `shop-sandbox trigger <platform> ...`: a platform's webhook from a running sandbox (admin API).
    trigger = sub.add_parser("trigger", help="send a platform's webhook from a running sandbox, like `stripe trigger`")
    trigger_platforms = trigger.add_subparsers(dest="platform", required=True)
    from mockserver.shopline.trigger_cli import add_parser as add_shopline_trigger

    add_shopline_trigger(trigger_platforms)
    # `shop-sandbox validate <file.json> --contract <name>`: contract drift of a captured payload.
    from mockserver.validate import add_parser as add_validate

    add_validate(sub)
    from mockserver.world.file_cli import add_parser as add_world

    add_world(sub)  # `shop-sandbox world validate FILE | example`
    return parser


def _serve_parser(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--host", default=None, help="interface to bind (default 127.0.0.1; 0.0.0.0 in a container)")
    parser.add_argument("--port", type=int, default=None, help="port (default 8000; 0 picks a free one)")
    parser.add_argument("--seed", type=int, default=None, help="seed of the default world (default 42)")
    parser.add_argument("--epoch", type=int, default=None, help="unix time the seeded dates lead up to")
    parser.add_argument("--threads", type=_positive, default=None,
                        help="most threads running requests that may wait at once (default 64; started as needed)")
    parser.add_argument("--tracking-delay", type=int, default=None,
                        help="seconds on the sandbox clock before ship_order's tracking number appears")
    parser.add_argument("--auto-progress", action="store_true", help="shipped orders move on by themselves")
    parser.add_argument("--webhook-workers", type=_positive, default=None,
                        help="webhook attempts in flight at once, one receiver at most one fewer (default 4)")
    parser.add_argument("--log-format", choices=("text", "json"), default=None,
                        help="console lines as text (default) or one JSON object a line")
    parser.add_argument("--quiet", action="store_true", help="no line per request (webhook lines stay)")
    parser.add_argument("--strict", action="store_true",
                        help="refuse what the sandbox would otherwise accept with a warning")
    parser.add_argument("--state-dir", default=None, metavar="DIR",
                        help="keep the world in DIR and restore it at start (SHOP_SANDBOX_STATE_DIR)")
    parser.add_argument("--save-strategy", default=None, choices=("scheduled", "on_change", "on_shutdown", "manual"),
                        help="when to save with --state-dir (SHOP_SANDBOX_SAVE_STRATEGY; default scheduled: "
                             "every --save-interval seconds when changed, and at shutdown)")
    parser.add_argument("--save-interval", type=float, default=None, metavar="SECONDS",
                        help="seconds between scheduled saves (SHOP_SANDBOX_SAVE_INTERVAL, default 2)")
    parser.add_argument("--drain-seconds", type=_seconds, default=None,
                        help="on SIGTERM/SIGINT, how long requests in flight may finish (default 5)")
    parser.add_argument("--world", default=None, metavar="FILE_OR_DIR",
                        help="a world file (YAML or JSON) or a directory of them, applied over the seeded "
                             "world on start and after every reset (SHOP_SANDBOX_WORLD)")
    parser.set_defaults(func=_serve)
    return parser


def _health_parser(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--url", default=None,
                        help="the sandbox's base URL (default: from SHOP_SANDBOX_HOST and SHOP_SANDBOX_PORT)")
    parser.add_argument("--timeout", type=_seconds, default=3.0, help="seconds to wait for the answer (default 3)")
    parser.set_defaults(func=_health)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    light = {"health": _health_parser, "serve": _serve_parser}.get(argv[0] if argv else "")
    if light is not None:
        # The container's HEALTHCHECK runs `health` every few seconds, and `serve`'s start is
        # measured against WireMock's: both skip the imports of the other commands (jsonschema and
        # the trigger client, a third of a start) that build_parser() needs.
        args = light(argparse.ArgumentParser(prog=f"shop-sandbox {argv[0]}")).parse_args(argv[1:])
        return args.func(args)
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
