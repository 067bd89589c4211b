"""Values Faker draws for a seed, kept on disk between starts.

The seeded worlds take their names, streets and e-mails from pools Faker fills once per seed. Faker
costs a fifth of a start (importing it and its locale providers, then ~0.1 ms a value), and the
pools of a seed never change while the same Faker and the same drawing code are installed. So the
pools are written to a cache the first time and read back (a millisecond) after that; the image
fills the default seed's at build time. What comes out is the same either way: the key holds
Faker's version and a fingerprint of the drawing function's code, so a change of either draws again.

SHOP_SANDBOX_CACHE_DIR moves the cache (default $XDG_CACHE_HOME/shop-sandbox, else
~/.cache/shop-sandbox); "off" turns it off. It keeps at most MAX_FILES files (about 20 kB each).
A cache that cannot be written is skipped silently: the pools are then drawn every start.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path
from types import CodeType
from typing import Any, Callable

MAX_FILES = 200  # a few seeds' pools each; beyond it the oldest go (tests may try many seeds)
Pools = dict[str, tuple]
Draw = Callable[[Any], Pools]  # given a seeded Faker, the pools


def cache_dir() -> Path | None:
    configured = os.environ.get("SHOP_SANDBOX_CACHE_DIR")
    if configured is not None:
        return None if configured.strip().lower() in ("", "off", "0", "false", "no") else Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "shop-sandbox"


@lru_cache(maxsize=1)
def faker_version() -> str:
    """The installed Faker's version, read from its package without importing it (the import is
    what the cache saves)."""
    spec = importlib.util.find_spec("faker")
    origin = spec.origin if spec is not None else None
    if not origin:
        return "unknown"
    try:
        text = Path(origin).read_text(encoding="utf-8")
    except OSError:
        return "unknown"
    found = re.search(r'^VERSION\s*=\s*["\']([^"\']+)["\']', text, re.M)
    return found.group(1) if found else f"mtime-{os.stat(origin).st_mtime_ns}"


def _fingerprint(code: CodeType, digest: Any) -> None:
    """What decides the values a function draws: its bytecode, names and constants, nested code
    included (line numbers and addresses left out, so moving it does not draw again)."""
    digest.update(code.co_code)
    digest.update(repr(code.co_names).encode())
    for const in code.co_consts:
        if isinstance(const, CodeType):
            _fingerprint(const, digest)
        else:
            digest.update(repr(const).encode())


def cache_key(draw: Draw, locale: str, seed: object) -> str:
    digest = hashlib.blake2b(digest_size=12)
    digest.update(f"{faker_version()}\0{locale}\0{seed!r}\0".encode())
    _fingerprint(draw.__code__, digest)
    return digest.hexdigest()


def draw_live(draw: Draw, locale: str, seed: object) -> Pools:
    from faker import Faker

    fake = Faker(locale)
    fake.seed_instance(seed)
    return draw(fake)


def _frozen(value: Any) -> Any:
    return tuple(_frozen(v) for v in value) if isinstance(value, list) else value


def drawn(draw: Draw, locale: str, seed: object) -> Pools:
    """draw(a Faker of `locale` seeded with `seed`), from the cache when it holds them."""
    folder = cache_dir()
    path = folder / "faker" / f"{draw.__name__}-{cache_key(draw, locale, seed)}.json" if folder else None
    if path is not None:
        try:
            with open(path, encoding="utf-8") as handle:
                return {name: _frozen(values) for name, values in json.load(handle).items()}
        except (OSError, ValueError, AttributeError):
            pass  # not there yet, or unreadable: drawn again and written anew
    pools = draw_live(draw, locale, seed)
    if path is not None:
        _write(path, pools)
    return pools


def _write(path: Path, pools: Pools) -> None:
    """Atomically (a start reading it meanwhile sees the whole file or none); failures ignored."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".pools-", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(pools, out, ensure_ascii=False)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
        _prune(path.parent)
    except OSError:
        pass


def _prune(folder: Path) -> None:
    """Keep the newest MAX_FILES files (by when they were last written)."""
    files = list(folder.glob("*.json"))
    if len(files) <= MAX_FILES:
        return
    for old in sorted(files, key=lambda f: f.stat().st_mtime_ns)[:len(files) - MAX_FILES]:
        old.unlink(missing_ok=True)
