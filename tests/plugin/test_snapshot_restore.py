"""The plugin restores a snapshot per test: shop_sandbox.snapshot() / restore(), and the marker's
snapshot= (a file from GET /_sandbox/snapshot, restored after the per-test reset)."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest

from mockserver.app import create_app
from mockserver.settings import Settings
from mockserver.world import snapshot


def _saved_world() -> Path:
    """A world saved before the session starts: seed 4242, strict mode on."""
    app = create_app(Settings(seed=4242))
    store = app.extensions["shop_sandbox"]
    store.strict = True
    path = Path(tempfile.mkdtemp(prefix="shop-sandbox-snapshot-")) / "world.json"
    path.write_bytes(snapshot.dumps(snapshot.export_snapshot(store)))
    return path


SAVED = _saved_world()


def test_snapshot_and_restore_by_hand(shop_sandbox, tmp_path):
    shop_sandbox.admin.post("/strict", {"strict": True})
    document = shop_sandbox.snapshot()
    partner_id = shop_sandbox.credentials()["shopee"]["partner_id"]
    shop_sandbox.reset(seed=777)
    assert shop_sandbox.admin.get("/strict") == {"strict": False}
    assert shop_sandbox.restore(document)["status"] == "restored"
    assert shop_sandbox.admin.get("/strict") == {"strict": True}
    assert shop_sandbox.credentials()["shopee"]["partner_id"] == partner_id
    path = tmp_path / "saved.json"
    path.write_text(json.dumps(document))
    shop_sandbox.reset(seed=777)
    shop_sandbox.restore(path)
    assert shop_sandbox.snapshot() == document


@pytest.mark.shop_sandbox(snapshot=str(SAVED))
def test_the_marker_starts_the_test_in_the_saved_world(shop_sandbox):
    assert shop_sandbox.admin.get("/health")["seed"] == 4242
    assert shop_sandbox.admin.get("/strict") == {"strict": True}


def test_the_next_test_gets_the_seeded_world_again(shop_sandbox):
    assert shop_sandbox.admin.get("/strict") == {"strict": False}
    assert shop_sandbox.admin.get("/health")["seed"] != 4242
