"""Admin endpoint of the Push Mechanism: /_sandbox/shopee/partners/<id>/push (on admin.py's blueprint).

What the Open Platform console shows and sets for an app's pushes and the signing mode; the app
itself configures its subscription through the v2 push APIs (push.py).
"""
from __future__ import annotations

from flask import Response, request

from mockserver.admin.http import AdminError, field, json_body, reply
from mockserver.shopee import push_model
from mockserver.shopee.admin import _need_partner, _non_empty, _world, bp


@bp.route("/partners/<int:partner_id>/push", methods=["GET", "POST"])
def partner_push(partner_id: int) -> Response:
    """An app's push subscription as the console shows it (health, lost pushes), and the signing
    mode: "url_and_body" (partner key over callback_url|body) or "body" (a push key over the body)."""
    body = json_body(allowed=("signing", "push_key")) if request.method == "POST" else {}
    signing = field(body, "signing", str, required=False)
    if signing is not None and signing not in push_model.SIGNING_MODES:
        raise AdminError(400, "invalid_field", f"signing should be one of {', '.join(push_model.SIGNING_MODES)}")
    push_key = _non_empty(body, "push_key")
    store, world = _world()
    with store.lock:
        store.tick()
        partner = _need_partner(world, partner_id)
        entry = world.push.of(partner_id, partner.app_type)
        with world.push.lock:
            if push_key is not None:
                entry.push_key = push_key
            if signing is not None:
                entry.signing = signing
            if entry.signing == push_model.SIGN_BODY and not entry.push_key:
                entry.push_key = world.hex_token(64)  # the console issues one with the mode
            now = world.clock.now()
            entry.lost_page(now)  # forgets lost pushes older than 3 days
            view = {"partner_id": partner_id, **entry.view(now), "signing": entry.signing,
                    "push_key": entry.push_key, "health": entry.health(now),
                    "lost_push_messages": len(entry.lost)}
            view.setdefault("suspended_time", None)
        return reply(view)
