"""--state-dir: the world kept on disk (DIR/snapshot.json), restored at start, saved as the chosen
strategy says (LocalStack's names):

- scheduled (default): every SHOP_SANDBOX_SAVE_INTERVAL seconds (2) when something changed, and at
  shutdown. A `kill -9` loses at most the last interval; an idle world costs nothing.
- on_change: within a quarter second of every change. The most durable; a busy world is exported
  and written several times a second (a world of 100,000 orders costs ~0.1-0.5 s a save).
- on_shutdown: once, after the drain on SIGTERM/SIGINT. Free while running; `kill -9` loses all
  since the start.
- manual: only on POST /_sandbox/snapshot/save.

Saving holds the store's lock only to read the world into plain data; serialising and writing
happen outside it. The write is atomic: a temporary file in the same directory, fsync, then
os.replace, so a crash at any moment leaves the previous snapshot (or the new one) whole.
"""
from __future__ import annotations

import logging
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from mockserver.world import snapshot

log = logging.getLogger(__name__)

STRATEGIES = ("scheduled", "on_change", "on_shutdown", "manual")
FILE_NAME = "snapshot.json"
ON_CHANGE_POLL = 0.25


class StateDirError(Exception):
    """The state directory cannot be used or its snapshot cannot be loaded (serve stops with it)."""


def write_atomically(path: Path, data: bytes) -> None:
    """Replace path with data, whole or not at all (temp file in the same dir, fsync, rename)."""
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
    try:  # the rename itself survives a power cut once the directory is synced
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass


class StateDir:
    """One sandbox's state directory and its saver thread."""

    def __init__(self, store: Any, directory: str, strategy: str = "scheduled", interval: float = 2.0) -> None:
        if strategy not in STRATEGIES:
            raise StateDirError(f"save strategy {strategy!r} is not one of {', '.join(STRATEGIES)}")
        if not interval > 0:
            raise StateDirError("the save interval should be > 0 seconds")
        self.store = store
        self.directory = Path(directory)
        self.path = self.directory / FILE_NAME
        self.strategy = strategy
        self.interval = interval
        self._save_lock = threading.Lock()
        self._saved_mark: Any = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.saves = 0
        self.last_save: dict[str, Any] | None = None
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StateDirError(f"state directory {directory}: {exc.strerror or exc}") from None
        for stale in self.directory.glob(f".{FILE_NAME}.*.tmp"):  # a save cut short by a crash
            try:
                stale.unlink()
            except OSError:
                pass

    # ---- start -----------------------------------------------------------------------------------
    def restore(self) -> bool:
        """Load DIR/snapshot.json if there is one (True); StateDirError with the reason if it is bad."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise StateDirError(f"cannot read {self.path}: {exc.strerror or exc}") from None
        try:
            snapshot.import_snapshot(self.store, snapshot.loads(raw))
        except snapshot.SnapshotError as exc:
            raise StateDirError(f"{self.path}: {exc}") from None
        self._saved_mark = self.store.change_mark()
        return True

    def start(self) -> None:
        """Start the saver thread (strategies scheduled and on_change)."""
        if self.strategy in ("scheduled", "on_change") and self._thread is None:
            self._thread = threading.Thread(target=self._run, name="shop-sandbox-saver", daemon=True)
            self._thread.start()

    # ---- saving ----------------------------------------------------------------------------------
    def save(self, force: bool = True) -> dict[str, Any] | None:
        """Write the world now (unless nothing changed since the last save and not force)."""
        with self._save_lock:
            mark = self.store.change_mark()
            if not force and mark == self._saved_mark:
                return None
            started = time.perf_counter()
            document = snapshot.export_snapshot(self.store)  # under the store's lock, briefly
            exported = time.perf_counter()
            data = snapshot.dumps(document)
            write_atomically(self.path, data)
            self._saved_mark = mark
            self.saves += 1
            self.last_save = {"path": str(self.path), "bytes": len(data),
                              "export_seconds": round(exported - started, 4),
                              "seconds": round(time.perf_counter() - started, 4),
                              "saved_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
            return self.last_save

    def _run(self) -> None:
        period = ON_CHANGE_POLL if self.strategy == "on_change" else self.interval
        while not self._stop.wait(period):
            try:
                self.save(force=False)
            except Exception:  # a full disk must not end the saver: say so and try again later
                log.exception("shop-sandbox: saving the world to %s failed", self.path)

    def close(self) -> dict[str, Any] | None:
        """Stop the saver; save once more unless the strategy is manual (after the drain)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        if self.strategy == "manual":
            return None
        return self.save(force=False)

    def view(self) -> dict[str, Any]:
        return {"path": str(self.path), "strategy": self.strategy, "interval_seconds": self.interval,
                "saves": self.saves, "last_save": self.last_save}
