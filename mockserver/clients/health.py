"""The health probe of `shop-sandbox health` (the container's HEALTHCHECK): standard library only,
so it starts fast and needs nothing the slim image lacks (no curl)."""
from __future__ import annotations

from mockserver.clients import http


def check(base_url: str, timeout: float = 3.0) -> tuple[bool, str]:
    """(healthy, one line saying why) for the sandbox at base_url."""
    url = base_url.rstrip("/") + "/_sandbox/health"
    try:
        response = http.request("GET", url, timeout=timeout)
    except http.SandboxUnreachable as exc:
        return False, f"unhealthy: no answer from {url}: {exc}"
    except ValueError as exc:  # not a URL urllib can use
        return False, f"unhealthy: {url}: {exc}"
    if response.status != 200:
        return False, f"unhealthy: {url} answered HTTP {response.status}"
    try:
        body = response.json()
    except ValueError:
        return False, f"unhealthy: {url} answered something that is not JSON"
    if not isinstance(body, dict) or body.get("status") != "ok":
        return False, f"unhealthy: {url} answered {str(body)[:200]}"
    return True, (f"healthy: shop-sandbox {body.get('version')} at {base_url.rstrip('/')}, seed {body.get('seed')}, "
                  f"up {body.get('uptime_seconds', 0):.0f}s")
