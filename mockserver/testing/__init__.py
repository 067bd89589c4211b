"""Helpers for testing an integration against the sandbox (the webhook receiver `WebhookInbox`,
`serve_wsgi` to put your own WSGI receiver on a loopback port)."""
from __future__ import annotations

from mockserver.testing.inbox import Received, Reply, WebhookInbox
from mockserver.testing.serve_wsgi import serve_wsgi

__all__ = ["Received", "Reply", "WebhookInbox", "serve_wsgi"]
