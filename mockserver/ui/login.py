"""The console's sign-in when the sandbox has an admin token: a person types it once, and a cookie
(HttpOnly, SameSite=Strict, Path=/_sandbox) carries it; admin/guard.py accepts that cookie as the
token on same-origin requests."""
from __future__ import annotations

import hmac

from flask import Response, redirect, request

from mockserver.admin.guard import TOKEN_COOKIE, UI_PREFIX
from mockserver.admin.http import AdminError, field, json_body, reply
from mockserver.ui.common import bp, page, store

COOKIE_PATH = "/_sandbox"
COOKIE_DAYS = 30


def _next_page() -> str:
    """Where to go after signing in: a console page only (never another site)."""
    target = request.args.get("next", "")
    return target if target.startswith(UI_PREFIX) and "//" not in target and "\\" not in target else UI_PREFIX


@bp.get("/login")
def sign_in_form() -> Response | str:
    if not store().settings.admin_token:
        return redirect(_next_page(), 302)
    return page("login.html", next_page=_next_page())


@bp.post("/login")
def sign_in() -> Response:
    """{"token": "..."} -> the cookie, when it is the sandbox's admin token (401 otherwise)."""
    token = store().settings.admin_token
    given = field(json_body(allowed=("token",)), "token", str)
    if not token or not hmac.compare_digest(given.encode(), token.encode()):
        raise AdminError(401, "admin_token_required", "that is not this sandbox's admin token")
    response = reply({"signed_in": True})
    response.set_cookie(TOKEN_COOKIE, token, max_age=COOKIE_DAYS * 86400, path=COOKIE_PATH, httponly=True,
                        samesite="Strict")
    return response


@bp.post("/logout")
def sign_out() -> Response:
    json_body(optional=True, allowed=())
    response = reply({"signed_in": False})
    response.delete_cookie(TOKEN_COOKIE, path=COOKIE_PATH, httponly=True, samesite="Strict")
    return response
