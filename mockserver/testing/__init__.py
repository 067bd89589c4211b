"""Helpers for testing an integration against the sandbox (the webhook receiver `WebhookInbox`)."""
from __future__ import annotations

from mockserver.testing.inbox import Received, Reply, WebhookInbox

__all__ = ["Received", "Reply", "WebhookInbox"]
