"""Who may drive the sandbox through /_sandbox/: refuses what a browser sends on behalf of another
web site, and asks for the admin token when one is set.

The admin API needs no credentials and a developer's browser can reach 127.0.0.1, so without
these checks any page they open could reset the world (a "simple" cross-site POST needs no CORS
preflight) or, by DNS rebinding, read /_sandbox/credentials. The checks:
- Host: an IP address, localhost (or *.localhost), a name without a dot (a container or CI service
  name such as `shop-sandbox`), or a name listed in SHOP_SANDBOX_ALLOWED_HOSTS ("*": any). A
  rebinding attack needs a dotted public name, which is refused unless listed.
- Origin / Sec-Fetch-Site: a request a browser marks cross-site, or whose Origin is not an allowed
  host (or is "null"), is refused. The sandbox's own console page is same-origin and passes.
- A body must be JSON: a form or text/plain body (what a cross-site form can send) is refused.
- SHOP_SANDBOX_ADMIN_TOKEN, when set: every admin call but the health probe carries it
  (X-Sandbox-Admin-Token, or Authorization: Bearer). The CLI and the pytest plugin send it. The web
  console (/_sandbox/ui) asks a person for it once and keeps it in a cookie (HttpOnly,
  SameSite=Strict, Path=/_sandbox), which counts as the token on same-origin requests only; a
  console page asked for without it redirects to the console's sign-in form.
Platform paths are not guarded: they have their own credentials, as on the real platforms.
"""
from __future__ import annotations

import hmac
import ipaddress
from functools import lru_cache
from urllib.parse import urlencode, urlsplit

from flask import Flask, Response, redirect
from flask import request as current_request
from werkzeug.wrappers import Request

from mockserver.admin.http import AdminError

ADMIN_PREFIX = "/_sandbox"
TOKEN_HEADER = "X-Sandbox-Admin-Token"
OPEN_PATHS = ("/_sandbox/health",)  # probes carry no token
# The emulated Shopee authorisation page (a person's browser posts its form): part of the platform,
# guarded by its own ticket, so neither JSON-only nor the admin token apply; Host and Origin do.
PLATFORM_PAGES = ("/_sandbox/shopee/auth_page/",)
BODY_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# The web console (mockserver/ui): its sign-in form and its stylesheet and script need no token
# (they show nothing of the world); its pages without the token redirect to the form.
UI_PREFIX = "/_sandbox/ui"
UI_SIGN_IN = "/_sandbox/ui/login"
UI_STATIC = "/_sandbox/ui/static/"
TOKEN_COOKIE = "sandbox_admin_token"


@lru_cache(maxsize=256)  # every admin call asks about the same few names; an address parse costs
def host_allowed(host: str, listed: frozenset[str]) -> bool:
    """Whether a Host (or Origin) name is one the sandbox answers to; `host` has no port."""
    name = host.strip().lower().rstrip(".")
    if "*" in listed or name in listed:
        return True
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        pass
    return bool(name) and (name == "localhost" or name.endswith(".localhost") or "." not in name)


def _hostname(authority: str) -> str:
    """The name of a Host header value (host[:port], [v6][:port])."""
    authority = authority.strip()
    if authority.startswith("["):
        return authority[: authority.find("]") + 1] if "]" in authority else authority
    return authority.rsplit(":", 1)[0] if authority.count(":") == 1 else authority


def listed_hosts(allowed_hosts: str) -> frozenset[str]:
    """SHOP_SANDBOX_ALLOWED_HOSTS as the names host_allowed() is given."""
    return frozenset(h.strip().lower() for h in allowed_hosts.split(",") if h.strip())


def check(request: Request, listed: frozenset[str], token: str | None) -> Response | None:
    """Raises AdminError when the request may not drive the sandbox (or answers the console's
    redirect to its sign-in form). Any Werkzeug request: Flask's, or a lean handler's own."""
    if not host_allowed(_hostname(request.host or ""), listed):
        raise AdminError(403, "host_not_allowed",
                         f"the sandbox does not answer admin calls for the host {request.host!r}; "
                         "add it to SHOP_SANDBOX_ALLOWED_HOSTS (comma-separated) if you reach it by that name")
    if request.headers.get("Sec-Fetch-Site", "").lower() == "cross-site":
        raise AdminError(403, "cross_site", "admin calls from another web site are refused")
    origin = request.headers.get("Origin")
    if origin is not None:
        parts = urlsplit(origin)
        if origin == "null" or not parts.hostname or not host_allowed(parts.hostname, listed):
            raise AdminError(403, "cross_site", f"admin calls from the origin {origin!r} are refused")
    if request.path.startswith(PLATFORM_PAGES):
        return
    if request.method in BODY_METHODS and (request.content_length or request.headers.get("Transfer-Encoding")):
        mimetype = request.mimetype
        if mimetype != "application/json" and not mimetype.endswith("+json"):
            raise AdminError(415, "unsupported_media_type",
                             "send admin bodies as Content-Type: application/json")
    if token and request.path not in OPEN_PATHS and not _ui_open(request) and not _token_ok(request, token):
        if request.method in ("GET", "HEAD") and _is_ui(request.path):
            return redirect(f"{UI_SIGN_IN}?{urlencode({'next': request.full_path.rstrip('?')})}", 302)
        raise AdminError(401, "admin_token_required",
                         f"this sandbox needs its admin token: send it in the {TOKEN_HEADER} header")
    return None


def _is_ui(path: str) -> bool:
    return path == UI_PREFIX or path.startswith(UI_PREFIX + "/")


def _ui_open(request: Request) -> bool:
    return request.path == UI_SIGN_IN or request.path.startswith(UI_STATIC)


def same_origin(request: Request) -> bool:
    """Whether the browser says the request comes from the sandbox's own pages (or from the person
    typing the URL). Only then does the console's cookie count: another local site on another
    port is same-site, so SameSite=Strict alone would still send it the cookie."""
    if request.headers.get("Sec-Fetch-Site", "same-origin").lower() not in ("same-origin", "none"):
        return False
    origin = request.headers.get("Origin")
    return origin is None or origin.rstrip("/").lower() == request.host_url.rstrip("/").lower()


def _token_ok(request: Request, token: str) -> bool:
    given = request.headers.get(TOKEN_HEADER)
    if given is None:
        scheme, _, value = request.headers.get("Authorization", "").partition(" ")
        given = value.strip() if scheme.lower() == "bearer" else None
    if given is None and same_origin(request):
        given = request.cookies.get(TOKEN_COOKIE)
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


def install(app: Flask, allowed_hosts: str, token: str | None) -> None:
    listed = listed_hosts(allowed_hosts)

    @app.before_request
    def _guard() -> Response | None:
        request = current_request._get_current_object()  # type: ignore[attr-defined]
        if request.path == ADMIN_PREFIX or request.path.startswith(ADMIN_PREFIX + "/"):
            return check(request, listed, token or None)
        return None
