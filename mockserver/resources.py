"""Finds the shipped data folders (fixtures/, contracts/) in a wheel install or a source checkout."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def data_dir(name: str) -> Path:
    """Path of a top-level data folder: inside the installed package first, else the checkout."""
    for candidate in (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"shop-sandbox data folder {name!r} is missing from the installation")
