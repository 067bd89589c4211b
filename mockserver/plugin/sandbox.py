"""The sandbox a pytest session talks to: a server of its own in a background thread, or an
already running one (a CI service container) at a URL. Everything per test goes through the admin
API, so both modes behave the same; only the in-thread mode can see the server's own exceptions.
"""
from __future__ import annotations

import json
import os

import logging
import time
from typing import Any

from mockserver.clients import AdminClient
from mockserver.clients.http import SandboxUnreachable

log = logging.getLogger(__name__)

THREAD, EXTERNAL = "thread", "external"
ERRORS_KEY = "shop_sandbox_errors"  # app.py's _crash appends every unexpected exception here
JOURNAL_ALL = 10_000  # the journal's whole length (GET /_sandbox/requests answers 100 by default)
ERRORS_TOTAL_KEY = "shop_sandbox_errors_total"  # and counts them (the list keeps the newest 100)


class SandboxClock:
    """The sandbox clock, through POST /_sandbox/clock. Work due at the new time (tracking numbers,
    auto-progress, expiries, webhook retries becoming due) runs before each call returns."""

    def __init__(self, admin: AdminClient) -> None:
        self._admin = admin

    def state(self) -> dict[str, Any]:
        """{"now", "now_float", "frozen", "offset_seconds"}."""
        return self._admin.clock()

    def now(self) -> int:
        """Sandbox time, unix seconds."""
        return int(self.state()["now"])

    def now_float(self) -> float:
        return float(self.state()["now_float"])

    def freeze(self) -> int:
        """Stop the clock where it is; returns the time it stands at."""
        return int(self._admin.clock(freeze=True)["now"])

    def unfreeze(self) -> int:
        """Let the clock run on from where it stands."""
        return int(self._admin.clock(freeze=False)["now"])

    def advance(self, seconds: float) -> int:
        """Move forward (never back); returns the new time."""
        return int(self._admin.clock(advance_seconds=seconds)["now"])

    def set(self, unix: float) -> int:
        """Put the clock at `unix` (it may go back); a frozen clock stays frozen there."""
        return int(self._admin.clock(now=unix)["now"])

    def real_time(self) -> int:
        """Back to real time, running (what every test starts with unless it asks otherwise)."""
        return int(self._admin.clock(real_time=True)["now"])

    def __repr__(self) -> str:
        return f"<SandboxClock {self.state()}>"


class ShopSandbox:
    """One sandbox: its URL, an admin client, the clock, and (in-thread) the app and its errors."""

    def __init__(self, url: str, mode: str, seed: int, server: Any = None, timeout: float = 30.0,
                 default_clock: tuple[float | None, bool] = (None, False)) -> None:
        self.url = url.rstrip("/")
        self.mode = mode
        self.seed = seed  # the seed each test's reset rebuilds the world from
        # Where each test's clock starts unless its marker says otherwise: (unix time or None for
        # real time, frozen).
        self.default_clock = default_clock
        self.server = server  # mockserver.server.BackgroundServer in the in-thread mode
        self.admin = AdminClient(self.url, timeout=timeout)
        self.clock = SandboxClock(self.admin)
        self.initial_seed = seed  # an external sandbox's seed when the session began
        self._credentials: dict[str, Any] | None = None
        self._errors_seen = 0

    # ---- starting and stopping ------------------------------------------------------------------
    @classmethod
    def in_thread(cls, settings: Any) -> ShopSandbox:
        """A server of our own on settings.host:settings.port (0: a free port) in a daemon thread."""
        from mockserver.app import (
            create_app,  # flask and the worlds load only when a test needs them
        )
        from mockserver.server import BackgroundServer

        server = BackgroundServer(create_app(settings), host=settings.host, port=settings.port,
                                  threads=settings.threads).start()
        return cls(server.url, THREAD, settings.seed, server=server,
                   default_clock=(settings.clock_start, settings.clock_frozen))

    @classmethod
    def external(cls, url: str, seed: int | None = None) -> ShopSandbox:
        """A running sandbox; without an explicit seed, the one it runs with now."""
        admin = AdminClient(url)
        try:
            health = admin.health()
        except SandboxUnreachable as exc:
            raise SandboxUnreachable(f"no shop-sandbox answers at {url} (--shop-sandbox-url / "
                                     f"SHOP_SANDBOX_URL): {exc}") from None
        sandbox = cls(url, EXTERNAL, health["seed"] if seed is None else seed)
        sandbox.initial_seed = health["seed"]
        return sandbox

    def close(self) -> None:
        if self.server is None:
            self._restore_seed()
            return
        self.server.close()
        # The webhook engine's dispatcher stops too, so a session's end leaves no sender behind.
        self.app.extensions["shop_sandbox"].webhooks.close(timeout=2)
        self.server = None

    def _restore_seed(self) -> None:
        """A running sandbox is left with the seed it had when the session began (the seed option
        or a marked test may have rebuilt another), so the next session starts from the same
        default; its world stays as the last test left it, for a look with curl, unless the seed
        has to change back."""
        try:
            if self.admin.health()["seed"] != self.initial_seed:
                self.admin.reset(self.initial_seed)
        except (SandboxUnreachable, AssertionError) as exc:
            log.warning("shop-sandbox at %s: could not restore seed %s: %s", self.url, self.seed, exc)

    @property
    def in_thread_mode(self) -> bool:
        return self.mode == THREAD

    @property
    def app(self) -> Any:
        """The Flask app (in-thread mode); None for an external sandbox."""
        return self.server.app if self.server is not None else None

    # ---- per test --------------------------------------------------------------------------------
    def prepare(self, seed: int | None = None, now: float | None = None, frozen: bool | None = None) -> None:
        """Before a test: the clock first (default_clock, normally real time and running, unless
        now/frozen say otherwise), then the world rebuilt from the seed, since the reset world is
        built around the clock."""
        default_now, default_frozen = self.default_clock
        now = default_now if now is None else now
        frozen = default_frozen if frozen is None else frozen
        if now is None and not frozen:
            self.admin.clock(real_time=True)  # exactly the machine's time, as a client's time.time()
        else:
            self.admin.clock(now=time.time() if now is None else now, freeze=bool(frozen))
        self.reset(self.seed if seed is None else seed)

    def reset(self, seed: int | None = None) -> dict[str, Any]:
        """Rebuild every platform's world (POST /_sandbox/reset)."""
        self._credentials = None
        return self.admin.reset(seed)

    def credentials(self, fresh: bool = False) -> dict[str, Any]:
        """GET /_sandbox/credentials (kept until the next reset through this object)."""
        if self._credentials is None or fresh:
            self._credentials = self.admin.credentials()
        return self._credentials

    def flush(self) -> dict[str, Any]:
        """Deliver every webhook due now; answers when those attempts finished."""
        result = self.admin.flush()
        if result.get("timed_out"):
            raise AssertionError(f"the sandbox's webhook flush timed out: {result}")
        return result

    def deliveries(self, **filters: Any) -> list[dict[str, Any]]:
        """Outbound webhooks of every platform, newest first (platform, status, target, event, limit)."""
        return self.admin.deliveries(**filters)

    def state(self) -> dict[str, Any]:
        return self.admin.get("/state")

    # ---- snapshots -------------------------------------------------------------------------------
    def snapshot(self) -> dict[str, Any]:
        """The whole world as one document (GET /_sandbox/snapshot): keep it, restore() it later."""
        return self.admin.get("/snapshot")

    def restore(self, document: Any) -> dict[str, Any]:
        """Replace the world with a snapshot: a document from snapshot(), or the path of a JSON file
        holding one (POST /_sandbox/snapshot; all or nothing)."""
        if isinstance(document, (str, os.PathLike)):
            with open(document, "rb") as source:
                document = json.load(source)
        self._credentials = None
        return self.admin.post("/snapshot", document)

    # ---- injected faults -------------------------------------------------------------------------
    def inject_fault(self, path: str, **rule: Any) -> dict[str, Any]:
        """A fault rule (POST /_sandbox/faults): e.g. inject_fault("/v1/order", status=429, times=2),
        inject_fault("/api/v2/order/get_order_list", status=503, skip=1), inject_fault(path,
        malformed=True), inject_fault(path, then=[{"path": "/_sandbox/...", "body": {...}}]).
        Returns the rule (its id, counters); the next reset removes it."""
        return self.admin.post("/faults", {"path": path, **rule})

    def faults(self) -> list[dict[str, Any]]:
        """Every fault rule with its counters (matched, fired, remaining, then_results)."""
        return self.admin.get("/faults")["faults"]

    def clear_faults(self) -> int:
        """Remove every fault rule; how many there were."""
        return int(self.admin.delete("/faults")["deleted"])

    # ---- the request journal ---------------------------------------------------------------------
    def requests(self, path: str | None = None, *, method: str | None = None,
                 limit: int | None = None) -> list[dict[str, Any]]:
        """Platform requests the sandbox answered, oldest first (GET /_sandbox/requests): each
        {"id", "at", "method", "path", "query" (first value per parameter), "status", "fault"}.
        path: exact, or a prefix ending in "*"; limit: the latest ones only. A reset empties it."""
        query = {name: value for name, value in (("path", path), ("method", method),
                                                  ("limit", JOURNAL_ALL if limit is None else limit))
                 if value is not None}
        return self.admin.get("/requests", **query)["requests"]

    def verify(self, match: dict[str, Any], count: Any = None) -> dict[str, Any]:
        """POST /_sandbox/requests/verify: {"passed", "count", "expected", "near_misses" | "extra"}."""
        body: dict[str, Any] = {"match": match}
        if count is not None:
            body["count"] = count
        return self.admin.post("/requests/verify", body)

    def assert_requested(self, path: str, *, count: int | None = None, at_least: int | None = None,
                         at_most: int | None = None, method: str | None = None,
                         params: dict[str, Any] | None = None, body: dict[str, Any] | None = None,
                         **match: Any) -> dict[str, Any]:
        """Fail the test unless the journal holds requests to `path` (a prefix when it ends in
        "*") with these params/body/method/status/error/tenant the expected number of times (at
        least once by default). The message shows the closest requests and what each missed."""
        __tracebackhide__ = True
        description: dict[str, Any] = {"path": path, **match}
        for name, value in (("method", method), ("params", params), ("body", body)):
            if value is not None:
                description[name] = value
        wanted: Any = count if count is not None else (
            {k: v for k, v in (("at_least", at_least), ("at_most", at_most)) if v is not None} or None)
        result = self.verify(description, wanted)
        if not result["passed"]:
            raise AssertionError(verify_message(description, result))
        return result

    def clear_requests(self) -> int:
        """Empty the request journal (DELETE /_sandbox/requests); how many entries it held."""
        return int(self.admin.delete("/requests")["deleted"])

    # ---- errors raised inside the server ---------------------------------------------------------
    def server_errors(self) -> list[BaseException]:
        """Every unexpected exception the in-thread server recorded (in-thread mode only)."""
        if self.app is None:
            return []
        return list(self.app.extensions.get(ERRORS_KEY, []))

    def _errors_total(self) -> int:
        return int(self.app.extensions.get(ERRORS_TOTAL_KEY, 0)) if self.app is not None else 0

    def mark_errors_seen(self) -> None:
        if self.app is not None:
            self._errors_seen = self._errors_total()
        else:
            self._errors_seen = self._remote_crashes(after=None)[1]

    def new_errors(self) -> list[BaseException]:
        """The exceptions recorded since the last mark; marks them seen. An external sandbox's come
        from GET /_sandbox/errors, as SandboxCrash with the server's traceback as text."""
        if self.app is None:
            crashes, self._errors_seen = self._remote_crashes(after=self._errors_seen)
            return [SandboxCrash(crash) for crash in crashes]
        errors, total = self.server_errors(), self._errors_total()
        # The app keeps the newest 100 (app.KEEP_CRASHES): more than that since the mark, and the
        # oldest of them are gone; the newest are what a test needs to see anyway.
        fresh = errors[len(errors) - min(total - self._errors_seen, len(errors)):] if total > self._errors_seen else []
        self._errors_seen = total
        return fresh

    def _remote_crashes(self, after: int | None) -> tuple[list[dict[str, Any]], int]:
        """(crashes after `after`, the total so far); ([], after) when the sandbox cannot say
        (unreachable, or a version without /_sandbox/errors): the test's own result stands."""
        try:
            answer = self.admin.get("/errors", after=after or 0)
        except (SandboxUnreachable, AssertionError):
            return [], after or 0
        return (answer["errors"] if after is not None else []), int(answer["total"])

    def __repr__(self) -> str:
        return f"<ShopSandbox {self.mode} {self.url} seed {self.seed}>"


class SandboxCrash(Exception):
    """An exception raised inside a sandbox in another process, as GET /_sandbox/errors reports it."""

    def __init__(self, crash: dict[str, Any]) -> None:
        super().__init__(f"{crash['type']}: {crash['message']}")
        self.crash = crash
        self.add_note(f"shop-sandbox: while answering {crash['method']} {crash['path']}; the server's traceback:\n"
                      + crash["traceback"].rstrip())


def raise_server_errors(errors: list[BaseException], when: str) -> None:
    """Re-raise the first server-side exception (its traceback shows where in the server it came
    from), with a note naming the others."""
    __tracebackhide__ = True  # pytest shows the server's frames, not this helper's
    if not errors:
        return
    first = errors[0]
    where = "in the sandbox's process" if isinstance(first, SandboxCrash) else "inside the sandbox server thread"
    note = f"shop-sandbox: raised {where} {when}"
    if len(errors) > 1:
        others = "; ".join(f"{type(e).__name__}: {e}" for e in errors[1:6])
        note += f" ({len(errors) - 1} more: {others}{' ...' if len(errors) > 6 else ''})"
    if note not in getattr(first, "__notes__", ()):
        first.add_note(note)
    raise first


def verify_message(match: dict[str, Any], result: dict[str, Any]) -> str:
    """A failed verification as a person reads it, like pytest's own diffs: what was expected,
    what came, and the closest requests with each part they missed."""
    from mockserver.core.verify import describe

    lines = [f"shop-sandbox: expected {describe(match)} {result['expected']} time(s); it was requested "
             f"{result['count']} time(s) (of {result['searched']} requests in the journal)"]
    if result.get("near_misses"):
        lines.append("closest requests:")
        for near in result["near_misses"]:
            lines.append(f"  #{near['id']} {near['method']} {near['path']} -> {near['status']}"
                         f"{' ' + near['error'] if near.get('error') else ''}  [{near.get('platform')} {near.get('tenant')}]")
            lines += [f"      {m['part']}: expected {m['expected']!r}, got {m['actual']!r}" for m in near["missed"]]
    elif result.get("near_misses") == []:
        lines.append("no request came to the sandbox at all")
    if result.get("extra"):
        lines.append("requests beyond the expected count:")
        lines += [f"  #{e['id']} {e['method']} {e['path']} -> {e['status']}" for e in result["extra"]]
    return "\n".join(lines)
