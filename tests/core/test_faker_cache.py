"""Faker's pools kept on disk between starts (core/faker_cache.py): what comes out of the cache is
what Faker draws, a change of the drawing code draws again, a cache that cannot be used is skipped,
and a start whose pools are cached never imports Faker."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mockserver.core import faker_cache
from mockserver.oneshop import factory as oneshop_factory
from mockserver.shopee import factory as shopee_factory

DRAWS = [(oneshop_factory._draw_pools, "zh_TW", "oneshop:42"),
         (shopee_factory._draw_tw, "zh_TW", 43),
         (shopee_factory._draw_abroad, "pt_BR", 8),
         (shopee_factory._draw_last_names, "zh_TW", 42)]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SHOP_SANDBOX_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.mark.parametrize("draw, locale, seed", DRAWS, ids=lambda v: getattr(v, "__name__", str(v)))
def test_cold_and_warm_both_give_what_faker_draws(cache: Path, draw, locale, seed) -> None:
    live = faker_cache.draw_live(draw, locale, seed)
    cold = faker_cache.drawn(draw, locale, seed)
    assert list(cache.glob("faker/*.json")), "the first draw is written"
    warm = faker_cache.drawn(draw, locale, seed)
    assert cold == live and warm == live
    assert all(isinstance(values, tuple) for values in warm.values())
    assert all(isinstance(v, (str, tuple)) for values in warm.values() for v in values)


def _names_a(fake) -> dict[str, tuple]:
    return {"names": tuple(fake.last_name() for _ in range(3))}


def _names_b(fake) -> dict[str, tuple]:
    return {"names": tuple(fake.last_name() for _ in range(4))}


def test_the_key_follows_the_code_faker_and_seed() -> None:
    assert faker_cache.cache_key(_names_a, "zh_TW", 1) == faker_cache.cache_key(_names_a, "zh_TW", 1)
    assert faker_cache.cache_key(_names_a, "zh_TW", 1) != faker_cache.cache_key(_names_b, "zh_TW", 1)
    assert faker_cache.cache_key(_names_a, "zh_TW", 1) != faker_cache.cache_key(_names_a, "zh_TW", 2)
    assert faker_cache.cache_key(_names_a, "zh_TW", 1) != faker_cache.cache_key(_names_a, "en_US", 1)
    import faker

    assert faker_cache.faker_version() == faker.VERSION


def test_a_damaged_file_is_drawn_again(cache: Path) -> None:
    faker_cache.drawn(_names_a, "zh_TW", 5)
    (written,) = cache.glob("faker/*.json")
    written.write_text('{"names": ', encoding="utf-8")
    assert faker_cache.drawn(_names_a, "zh_TW", 5) == faker_cache.draw_live(_names_a, "zh_TW", 5)
    assert json.loads(written.read_text(encoding="utf-8"))["names"]


def test_a_cache_that_cannot_be_written_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache would be", encoding="utf-8")
    monkeypatch.setenv("SHOP_SANDBOX_CACHE_DIR", str(blocker))
    assert faker_cache.drawn(_names_a, "zh_TW", 6) == faker_cache.draw_live(_names_a, "zh_TW", 6)


def test_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOP_SANDBOX_CACHE_DIR", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert faker_cache.cache_dir() is None
    assert faker_cache.drawn(_names_a, "zh_TW", 7) == faker_cache.draw_live(_names_a, "zh_TW", 7)
    assert not list(tmp_path.rglob("*.json"))


@pytest.mark.parametrize("cached_first", [0, 3, 64])
def test_the_world_faker_goes_on_as_one_faker_would(cache: Path, cached_first: int) -> None:
    """Names from the cache, then the real Faker moved past them: the same stream as a Faker that
    gave every name itself, whatever is asked next."""
    plain = shopee_factory.faker_for(11)
    world = shopee_factory.WorldFaker(11)
    for _ in range(cached_first):
        assert world.last_name() == plain.last_name()
    assert world.name() == plain.name()  # not cached: the Faker is made here
    assert [world.last_name() for _ in range(70)] == [plain.last_name() for _ in range(70)]
    assert world.random.getstate() == plain.random.getstate()


def test_a_warm_start_never_imports_faker(cache: Path) -> None:
    script = ("import sys\nfrom mockserver.app import create_app\nfrom mockserver.settings import from_env\n"
              "create_app(from_env())\nprint('faker' in sys.modules)")
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                           timeout=120).stdout.strip() for _ in range(2)]
    assert runs == ["True", "False"]  # the first start drew and wrote the pools; the second read them


def test_the_cache_keeps_the_newest_files(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(faker_cache, "MAX_FILES", 3)
    for seed in range(5):
        faker_cache.drawn(_names_a, "zh_TW", seed)
    kept = list(cache.glob("faker/*.json"))
    assert len(kept) == 3
    assert faker_cache.drawn(_names_a, "zh_TW", 4) == faker_cache.draw_live(_names_a, "zh_TW", 4)
