"""The schema cache: hits never call the planner, refresh bypasses, damage is survived."""

from __future__ import annotations

import json
import sqlite3
import warnings

import pytest

from synth_magic import SynthWarning, api
from synth_magic.cache import SchemaCache, cache_key, normalise
from synth_magic.planner import offline


@pytest.fixture
def calls(monkeypatch):
    """Count offline planner calls."""
    seen: list[str] = []
    real = offline.OfflinePlanner.plan

    def counting(self, description):
        seen.append(description)
        return real(self, description)

    monkeypatch.setattr(offline.OfflinePlanner, "plan", counting)
    return seen


def test_key_normalises_the_description_and_includes_planner_model_version():
    k = cache_key("Bank  customers ", "offline", "", "1")
    assert k == cache_key("bank customers", "offline", "", "1")
    assert len({k, cache_key("bank customers", "openai", "gpt-4o-mini", "1"),
                cache_key("bank customers", "offline", "", "2"),
                cache_key("bank customers", "openai", "other-model", "1")}) == 4
    assert normalise("  A\tB  ") == "a b"


def test_miss_then_hit_then_refresh(calls):
    first = api.plan_with_source("bank customers")
    second = api.plan_with_source("Bank customers")
    third = api.plan_with_source("bank customers", refresh=True)
    assert [first.source, second.source, third.source] == ["offline", "cache", "offline"]
    assert len(calls) == 2
    assert second.schema.to_dict() == first.schema.to_dict()


def test_values_are_json_text_only(isolated_env):
    api.plan_with_source("bank customers")
    cache = SchemaCache(isolated_env)
    raw = cache._open()
    key = cache.keys()[0]
    value = raw.get(key)
    assert isinstance(value, str) and json.loads(value)["columns"]
    with sqlite3.connect(isolated_env / "cache.db") as db:
        modes = {row[0] for row in db.execute("SELECT mode FROM Cache")}
    assert modes <= {1, 3}  # diskcache MODE_RAW / MODE_TEXT; never MODE_PICKLE (4)
    cache.close()


def test_cache_dir_is_owner_only(isolated_env):
    api.plan_with_source("bank customers")
    assert isolated_env.stat().st_mode & 0o077 == 0


def test_invalid_entry_is_replanned_with_a_warning(isolated_env, calls):
    api.plan_with_source("bank customers")
    cache = SchemaCache(isolated_env)
    key = cache.keys()[0]
    cache._open().set(key, '{"columns": [{"name": "x", "type": "__import__"}]}')
    cache.close()
    with pytest.warns(SynthWarning, match="A schema cache entry was invalid"):
        again = api.plan_with_source("bank customers")
    assert again.source == "offline" and len(calls) == 2


def test_garbage_database_is_moved_aside_and_rebuilt(isolated_env, calls):
    api.plan_with_source("bank customers")
    (isolated_env / "cache.db").write_bytes(b"this is not a database" * 100)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = api.plan_with_source("bank customers")
    assert result.source == "offline"
    assert any("damaged" in str(w.message) for w in caught)
    assert list(isolated_env.glob("cache.db.damaged-*"))
    assert api.plan_with_source("bank customers").source == "cache"


def test_unusable_cache_dir_runs_without_cache(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    monkeypatch.setenv("SYNTH_CACHE_DIR", str(blocker / "cache"))
    with pytest.warns(SynthWarning, match="cannot be used"):
        result = api.plan_with_source("bank customers")
    assert result.schema.columns and result.source == "offline"


def test_clear_and_info(isolated_env):
    api.plan_with_source("bank customers")
    api.plan_with_source("finance transactions")
    cache = SchemaCache(isolated_env)
    info = cache.info()
    assert info["entries"] == 2 and info["usable"]
    assert {s.title for s in cache.entries()} == {"bank customers", "finance transactions"}
    assert cache.clear() == 2 and cache.info()["entries"] == 0
    cache.close()
