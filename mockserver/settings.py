"""One dataclass of settings, read from CLI flags and SHOP_SANDBOX_* environment variables."""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from typing import Any, Mapping

ENV_PREFIX = "SHOP_SANDBOX_"


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    seed: int = 42
    # Unix time the default world's dates are built around. None: the start (00:00 UTC) of the
    # day the world is built, so the seeded orders are always inside the last 15 days.
    epoch: int | None = None
    # Most request threads running at once (wsgi_calls.py: every request the app does not call
    # brief). They start as requests come and end when idle, so a generous cap costs nothing at
    # rest; a request that waits on the outside world (an endpoint verification, a delay fault)
    # takes one thread, not everyone's turn.
    threads: int = 64
    # Outbound webhook attempts in flight at once (core/webhooks.py).
    webhook_workers: int = 4
    shopee_order_count: int = 50
    # Seconds on the sandbox clock between ship_order and the 3PL's tracking number (0 = at once).
    shopee_tracking_delay: int = 0
    # When true, shipped orders move on by themselves as the sandbox clock passes (see lifecycle).
    shopee_auto_progress: bool = False
    # A fixed start for the sandbox clock (unix seconds); None follows real time.
    clock_start: float | None = None
    clock_frozen: bool = False
    # Refuse what the sandbox would otherwise accept with a warning (core/warnings.py).
    strict: bool = False
    # The console (core/console.py): off for an app built in-process (tests), on for `serve`.
    console: bool = False
    log_format: str = "text"  # text | json
    quiet: bool = False  # no request lines (webhook and lifecycle lines stay)
    # Seconds a stopping server lets requests in flight finish (SIGTERM, SIGINT, close()).
    drain_seconds: float = 5.0
    # Bytes the request journal may hold (core/journal.py); the oldest entries go first.
    journal_max_bytes: int = 32 * 1024 * 1024
    # Host names the admin API answers to besides IPs, localhost and dotless names (admin/guard.py).
    allowed_hosts: str = ""
    # When set, every admin call but /_sandbox/health must carry it (X-Sandbox-Admin-Token).
    admin_token: str | None = None
    # When set, webhooks go only to these hosts (comma-separated names or IPs; core/webhooks.py).
    outbound_allow: str = ""
    # Keep the world in this directory and restore it at start (world/state_dir.py); None: don't.
    state_dir: str | None = None
    # When to save it: scheduled (every save_interval seconds if changed, and at shutdown),
    # on_change, on_shutdown or manual (POST /_sandbox/snapshot/save).
    save_strategy: str = "scheduled"
    save_interval: float = 2.0
    # A world file or directory applied over the seeded world on start and after every reset
    # (mockserver/world/; the container reads /world).
    world: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def replace(self, **changes: Any) -> "Settings":
        return dataclasses.replace(self, **changes)


def _coerce(kind: Any, raw: str) -> Any:
    kind_name = kind if isinstance(kind, str) else getattr(kind, "__name__", str(kind))
    if "bool" in kind_name:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if "float" in kind_name:
        return float(raw) if raw != "" else None
    if "int" in kind_name:
        return int(raw) if raw != "" else None
    return raw


def from_env(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Settings from SHOP_SANDBOX_<FIELD> variables; explicit overrides (CLI flags) win."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for f in dataclasses.fields(Settings):
        if f.name == "extra":
            continue
        raw = environ.get(ENV_PREFIX + f.name.upper())
        if raw is not None:
            try:
                values[f.name] = _coerce(f.type, raw)
            except ValueError as exc:
                raise ValueError(f"{ENV_PREFIX}{f.name.upper()}={raw!r}: {exc}") from None
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**values)
