"""1shop API v1 emulation: GET /v1/order and GET /v1/order/{order_number}, appid/secret auth, the
enterprise plan, IP whitelists and the per-appid rate limit, with deterministic Taiwanese orders.

Knows nothing of other platforms; app.py registers build_world and the two blueprints.
"""
