"""The web console for people (/_sandbox/ui): server-rendered pages over the admin API's operations.

Pages read the world under the store's lock and render it with Jinja; every button calls the
admin JSON API from the page (static/console.js), so the console can do nothing the API cannot,
and passes the admin guard as a same-origin page. No CDN, no build step: the templates, the
stylesheet and the script ship in the wheel.
"""
from __future__ import annotations

from mockserver.ui.common import bp

# Each page module registers its routes on bp.
from mockserver.ui import (login, pages_faults, pages_oneshop, pages_requests, pages_shopee,  # noqa: E402,F401
                           pages_webhooks, pages_world)

__all__ = ["bp"]
