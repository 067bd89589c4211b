"""shop-sandbox: a local sandbox of the e-commerce platforms Taiwanese and SEA merchants sell on."""
from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["create_app", "__version__"]


def __getattr__(name: str) -> Any:
    # `from mockserver import create_app` works, but importing the package (which pytest does for
    # its plugin in every run where shop-sandbox is installed) does not load Flask and the worlds.
    if name == "create_app":
        from mockserver.app import create_app

        return create_app
    raise AttributeError(f"module 'mockserver' has no attribute {name!r}")
