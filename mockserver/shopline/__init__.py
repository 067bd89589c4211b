"""SHOPLINE webhooks, both flavours: topics and their data files (topics), signatures (signing),
payload building (payloads) and schema-driven fake data (generate).

The Open API flavour (shoplineapp, seed 004) wraps a resource in an envelope
{event, merchant_id, merchant_handle?, resource, topic, trace_id, ts}; the global flavour
(shopline.com, seed 002) sends the resource itself. Delivery and subscriptions live elsewhere.
"""
from __future__ import annotations
