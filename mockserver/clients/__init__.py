"""Small HTTP clients of the sandbox (standard library only): the admin API, a signed Shopee v2
client, a 1shop client and SHOPLINE's two subscription APIs. The pytest plugin hands them out;
scripts can use them too."""
from __future__ import annotations

from mockserver.clients.admin import AdminApiError, AdminClient
from mockserver.clients.http import Response, SandboxUnreachable
from mockserver.clients.oneshop import OneshopClient
from mockserver.clients.shopee import ShopeeClient
from mockserver.clients.shopline import (
           ShoplineGlobalClient,
           ShoplineOpenApiClient,
           handshake_answer,
)

__all__ = ["AdminApiError", "AdminClient", "OneshopClient", "Response", "SandboxUnreachable", "ShopeeClient",
           "ShoplineGlobalClient", "ShoplineOpenApiClient", "handshake_answer"]
