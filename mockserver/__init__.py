"""shop-sandbox: a local sandbox of the e-commerce platforms Taiwanese and SEA merchants sell on."""
from __future__ import annotations

__version__ = "0.1.0"

from mockserver.app import create_app  # noqa: E402  (re-exported for `from mockserver import create_app`)

__all__ = ["create_app", "__version__"]
