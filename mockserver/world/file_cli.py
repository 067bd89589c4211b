"""`shop-sandbox world validate FILE_OR_DIR` and `shop-sandbox world example`."""
from __future__ import annotations

import argparse
import sys
from importlib import resources


def example_text() -> str:
    """The commented example world file shipped with the package (covers every part)."""
    return resources.files("mockserver.world").joinpath("example.yaml").read_text(encoding="utf-8")


def add_parser(sub: argparse._SubParsersAction) -> None:
    world = sub.add_parser("world", help="world files: check one, or print a commented example")
    commands = world.add_subparsers(dest="world_command", required=True)
    validate = commands.add_parser("validate", help="check a world file or directory: the schema, then the "
                                                    "world it builds (exit 0 good, 1 with every problem)")
    validate.add_argument("location", metavar="FILE_OR_DIR")
    validate.add_argument("--seed", type=int, default=None, help="the seed of the world it goes over (default 42)")
    validate.set_defaults(func=_validate)
    example = commands.add_parser("example", help="print a commented example world file (YAML)")
    example.set_defaults(func=_example)


def _validate(args: argparse.Namespace) -> int:
    from mockserver.world.file_build import load
    from mockserver.world.file_problems import WorldFileError

    try:
        document = load(args.location)
        if document.parts:
            # The checks a schema cannot make need the world: build it, as `serve` would.
            from mockserver.app import create_app
            from mockserver.settings import from_env

            create_app(from_env(seed=args.seed, world=args.location, console=False))
    except WorldFileError as exc:
        print(f"shop-sandbox world validate {args.location}: {exc.report()}", file=sys.stderr)
        return 1
    files = len(document.parts)
    print(f"shop-sandbox world validate {args.location}: ok ({files} file{'s' if files != 1 else ''})")
    return 0


def _example(args: argparse.Namespace) -> int:
    sys.stdout.write(example_text())
    return 0
