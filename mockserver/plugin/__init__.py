"""The pytest plugin's parts (the entry point is mockserver.pytest_plugin): the session's sandbox
and its clock (sandbox.py) and the per-platform helpers (platforms.py)."""
from __future__ import annotations

from mockserver.plugin.platforms import OneshopAccount, ShopeeShop, ShoplineApp
from mockserver.plugin.sandbox import SandboxClock, ShopSandbox

__all__ = ["OneshopAccount", "SandboxClock", "ShopSandbox", "ShopeeShop", "ShoplineApp"]
