"""Reliability and security: nothing lost, nothing executed, nothing leaked.

The cache under concurrency and under faults, atomic files, limits, spreadsheet-safe CSV
and the API key. The fuzz tests live in ``test_fuzz_inputs.py``. SECURITY.md names the
tests here that back each promise.
"""

from __future__ import annotations

import json
import os
import pickle
import sqlite3
import stat
import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest

from synth_magic import api, cli, config, export, generate
from synth_magic.cache import MAX_ENTRY, SchemaCache, cache_key
from synth_magic.catalog import TYPES
from synth_magic.errors import (
    ConfigError,
    ExportError,
    InputError,
    SchemaError,
    SynthError,
    SynthWarning,
)
from synth_magic.schema import Column, Schema

SRC = Path(__file__).resolve().parents[1]
DESCRIPTION = "customers with name, email and country"


def offline_key(description: str) -> str:
    from synth_magic.planner import get_planner

    planner = get_planner(config.settings(planner="offline"))
    return cache_key(description, planner.name, planner.model, planner.version)


def plan_quietly(description: str = DESCRIPTION, **kwargs) -> tuple[api.Planned, list[str]]:
    """Plan offline; return the result and the SynthWarning messages it gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        planned = api.plan_with_source(description, planner="offline", **kwargs)
    other = [w for w in caught if not issubclass(w.category, SynthWarning | ResourceWarning)]
    assert not other, [str(w.message) for w in other]
    return planned, [str(w.message) for w in caught if issubclass(w.category, SynthWarning)]


def expected_json(description: str = DESCRIPTION) -> str:
    return api.plan_with_source(description, planner="offline", cache=False).schema.to_json()


def raw_cache(directory: Path):
    import diskcache

    return diskcache.Cache(str(directory))


# ---------------------------------------------------------------------------------------
# The cache under concurrency
# ---------------------------------------------------------------------------------------

WORKER = r"""
import json, random, sys, threading, warnings
from synth_magic import api

descriptions = json.loads(sys.argv[1])
seed, rounds = int(sys.argv[2]), int(sys.argv[3])
results, errors, lock = [], [], threading.Lock()

def work(t):
    rng = random.Random(seed * 100 + t)
    for _ in range(rounds):
        d = rng.choice(descriptions)
        try:
            p = api.plan_with_source(d, planner="offline", refresh=rng.random() < 0.3)
            with lock:
                results.append([d, p.source, p.schema.to_json()])
        except BaseException as exc:
            with lock:
                errors.append(repr(exc))

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
print(json.dumps({"results": results, "errors": errors, "warnings": [str(w.message) for w in caught]}))
"""

CONCURRENT_DESCRIPTIONS = [
    DESCRIPTION,
    "finance transactions with amount between 1 and 500, about 2% fraud",
    "server metrics every minute: host, cpu percent, memory percent",
    "online orders with order date, ship date and status",
    "employees with salary and department",
    "Customers   with NAME, email and country",  # normalises to the first one's key
]


def _run_workers(cache_dir: Path, per_thread: int, processes: int = 4,
                 descriptions: list[str] = CONCURRENT_DESCRIPTIONS) -> list[dict]:
    """Run WORKER in ``processes`` processes on one cache directory; their JSON reports."""
    env = {**os.environ, "SYNTH_CACHE_DIR": str(cache_dir), "PYTHONPATH": str(SRC)}
    procs = [
        subprocess.Popen([sys.executable, "-c", WORKER, json.dumps(descriptions), str(i), str(per_thread)],
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for i in range(processes)
    ]
    outputs = [p.communicate(timeout=240) for p in procs]
    assert [p.returncode for p in procs] == [0] * processes, [err[-2000:] for _, err in outputs]
    return [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]


def test_cache_concurrent_processes_and_threads(tmp_path):
    """4 processes × 4 threads plan and read overlapping descriptions against one cache."""
    cache_dir = tmp_path / "shared-cache"
    reports = _run_workers(cache_dir, 25)
    def norm(d: str) -> str:
        return " ".join(d.split()).casefold()

    # descriptions that normalise alike share one entry: either one's schema is a valid read
    expected: dict[str, set[str]] = {}
    for d in CONCURRENT_DESCRIPTIONS:
        expected.setdefault(norm(d), set()).add(expected_json(d))
    sources = set()
    for report in reports:
        assert report["errors"] == []
        # a lock held past SQLite's 10 s busy timeout on an overloaded CI box is the only excuse
        assert [w for w in report["warnings"] if "busy" not in w] == []
        assert len(report["results"]) == 4 * 25
        for description, source, schema_json in report["results"]:
            assert schema_json in expected[norm(description)], (description, source)
            if source != "cache":
                assert schema_json == expected_json(description)
            sources.add(source)
    assert sources == {"offline", "cache"}  # both writes and reads happened
    cache = raw_cache(cache_dir)
    try:
        assert cache.check() == []
        assert len(cache) == len(expected)
    finally:
        cache.close()


def test_cache_damaged_under_concurrent_use_recovers(tmp_path):
    """4 processes meet one damaged database at once: all complete, the cache ends up usable."""
    cache_dir = tmp_path / "damaged-cache"
    _run_workers(cache_dir, 2, processes=1, descriptions=CONCURRENT_DESCRIPTIONS[:2])
    _damage_header(cache_dir / "cache.db")
    for report in _run_workers(cache_dir, 8):
        assert report["errors"] == []
        assert len(report["results"]) == 4 * 8
        assert all("schema cache" in w for w in report["warnings"]), report["warnings"]
    assert list(cache_dir.glob("cache.db.damaged-*"))
    cache = raw_cache(cache_dir)
    try:
        assert cache.check() == []
    finally:
        cache.close()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SYNTH_CACHE_DIR", str(cache_dir))
        plan_quietly()
        again, warned = plan_quietly()
    assert (again.source, warned) == ("cache", [])


def test_cache_threads_in_one_process_share_one_directory(tmp_path):
    import threading

    errors: list[BaseException] = []
    expected = expected_json()

    def work():
        try:
            for _ in range(10):
                schema = api.plan(DESCRIPTION, planner="offline")
                assert schema.to_json() == expected
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


# ---------------------------------------------------------------------------------------
# Cache faults
# ---------------------------------------------------------------------------------------

def test_cache_directory_is_owner_only(tmp_path, monkeypatch):
    cache_dir = tmp_path / "new" / "cache"
    monkeypatch.setenv("SYNTH_CACHE_DIR", str(cache_dir))
    planned, warned = plan_quietly()
    assert warned == []
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700


def test_fixture_cache_dir_is_used(isolated_env):
    """Guards the tests below: they work on the per-test directory, never the user's cache."""
    assert config.settings().cache_dir == isolated_env
    plan_quietly()
    assert (isolated_env / "cache.db").exists()


def test_cache_hit_after_plan(isolated_env):
    first, _ = plan_quietly()
    second, warned = plan_quietly()
    assert (first.source, second.source, warned) == ("offline", "cache", [])
    assert second.schema.to_json() == first.schema.to_json()


def _damage_truncate(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])


def _damage_header(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(b"\x00garbage!" * 16 + data[144:])


def _damage_pages(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[:4096] + bytes((b * 7 + 13) % 256 for b in data[4096:]))


def _damage_empty_garbage(db: Path) -> None:
    db.write_bytes(b"this is not sqlite at all\n" * 3)


@pytest.mark.parametrize("damage", [_damage_truncate, _damage_header, _damage_pages, _damage_empty_garbage])
def test_damaged_database_is_moved_aside_and_recreated(isolated_env, damage):
    plan_quietly()
    db = isolated_env / "cache.db"
    assert db.exists()
    damage(db)
    planned, warned = plan_quietly()
    assert planned.source == "offline"  # re-planned
    assert planned.schema.to_json() == expected_json()
    assert len(warned) == 1 and "damaged" in warned[0] and "moved it to cache.db.damaged-" in warned[0]
    assert len(list(isolated_env.glob("cache.db.damaged-*"))) == 1
    again, warned = plan_quietly()  # the new database works
    assert (again.source, warned) == ("cache", [])


def test_cache_path_that_is_a_file_warns_and_runs_without_cache(tmp_path, monkeypatch):
    not_a_dir = tmp_path / "cache-file"
    not_a_dir.write_text("I am a file")
    monkeypatch.setenv("SYNTH_CACHE_DIR", str(not_a_dir))
    planned, warned = plan_quietly()
    assert planned.source == "offline"
    assert len(warned) == 1 and "cannot be used" in warned[0] and "running without it" in warned[0]
    assert not_a_dir.read_text() == "I am a file"
    with pytest.warns(SynthWarning, match="running without it"):
        df = api.synth(DESCRIPTION, rows=3, seed=1, planner="offline")
    assert df.shape[0] == 3


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root writes to read-only directories anyway; see the query_only test")
def test_read_only_cache_directory_real(isolated_env):
    plan_quietly("something else entirely with a price")
    os.chmod(isolated_env, 0o500)
    os.chmod(isolated_env / "cache.db", 0o400)
    try:
        planned, warned = plan_quietly()
    finally:
        os.chmod(isolated_env, 0o700)
        os.chmod(isolated_env / "cache.db", 0o600)
    assert planned.source == "offline"
    assert warned and all("schema cache" in w for w in warned)


def _after_open(monkeypatch, *pragmas: str) -> None:
    """Run real SQLite pragmas on every diskcache connection right after it opens."""
    import diskcache

    original = diskcache.Cache.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        for pragma in pragmas:
            if "{pages}" in pragma:
                pages = self._sql("PRAGMA page_count").fetchone()[0]
                pragma = pragma.format(pages=pages)
            self._sql(pragma)

    monkeypatch.setattr(diskcache.Cache, "__init__", init)


def test_read_only_database_warns_and_completes(isolated_env, monkeypatch):
    """SQLite's own read-only mode (works as root too): the write fails, the run completes."""
    _after_open(monkeypatch, "PRAGMA query_only = ON")
    planned, warned = plan_quietly()
    assert planned.source == "offline"
    assert len(warned) == 1 and "Could not write to the schema cache" in warned[0]
    assert "read-only" in warned[0]
    assert list(isolated_env.glob("cache.db.damaged-*")) == []  # read-only is not damage


def test_full_disk_real_sqlite_full(isolated_env, monkeypatch):
    """A database that may not grow (SQLITE_FULL, as on a full disk): warn, re-plan, no damage."""
    plan_quietly("employees with salary and department")
    # a wide schema does not fit in the pages the database already has
    wide = "survey with " + ", ".join(f"question {i} score" for i in range(60))
    with monkeypatch.context() as patch:
        _after_open(patch, "PRAGMA max_page_count = {pages}")
        planned, warned = plan_quietly(wide)
    assert planned.source == "offline"
    assert len(warned) == 1 and "full" in warned[0] and "was not cached" in warned[0]
    assert list(isolated_env.glob("cache.db.damaged-*")) == []
    hit, warned = plan_quietly("employees with salary and department")  # still readable
    assert (hit.source, warned) == ("cache", [])


def test_full_disk_when_opening(isolated_env, monkeypatch):
    import diskcache.core

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    with monkeypatch.context() as patch:
        patch.setattr(diskcache.core.sqlite3, "connect", full)
        planned, warned = plan_quietly()
    assert planned.source == "offline"
    assert len(warned) == 1 and "database or disk is full" in warned[0]
    assert list(isolated_env.glob("cache.db.damaged-*")) == []


def test_locked_database_is_not_moved_aside(isolated_env, monkeypatch):
    """Busy is not broken: a lock timeout never renames a healthy shared database."""
    plan_quietly()
    import diskcache

    def locked(self, *args, **kwargs):
        raise sqlite3.OperationalError("database is locked")

    with monkeypatch.context() as patch:
        patch.setattr(diskcache.Cache, "get", locked)
        planned, warned = plan_quietly()
    assert planned.source == "offline"
    assert len(warned) == 1 and "database is locked" in warned[0] and "planning again" in warned[0]
    assert list(isolated_env.glob("cache.db.damaged-*")) == []
    assert plan_quietly()[0].source == "cache"


@pytest.mark.parametrize("setting", ["cull_limit", "disk_min_file_size", "eviction_policy", "statistics",
                                     "sqlite_mmap_size", "size_limit"])
def test_garbled_settings_table_does_not_break_the_cache(isolated_env, setting):
    """diskcache reads its settings from the database; ours are always given explicitly."""
    plan_quietly()
    con = sqlite3.connect(isolated_env / "cache.db")
    con.execute("UPDATE Settings SET value = ? WHERE key = ?", ("bogus", setting))
    con.commit()
    con.close()
    for description in (DESCRIPTION, "orders with amount", "orders with amount"):
        planned, warned = plan_quietly(description)
        assert warned == []
    assert planned.source == "cache"


HOSTILE_ENTRIES = {
    "not json": "{'columns': [}",
    "json but not a schema": "[1, 2, 3]",
    "empty object": "{}",
    "deep nesting": "[" * 100_000 + "]" * 100_000,
    "unknown type": json.dumps({"columns": [{"name": "x", "type": "__import__('os')"}]}),
    "formula that would run code": json.dumps({"columns": [
        {"name": "a", "type": "integer"},
        {"name": "b", "type": "formula", "expr": "__import__('os').system('touch PWNED')"}]}),
    "formula attribute access": json.dumps({"columns": [
        {"name": "a", "type": "integer"},
        {"name": "b", "type": "formula", "expr": "a.__class__.__mro__"}]}),
    "NaN number": '{"columns": [{"name": "x", "type": "integer", "min": NaN}]}',
    "wrong field": json.dumps({"columns": [{"name": "x", "type": "integer"}], "exec": "rm -rf /"}),
    "huge category list": json.dumps({"columns": [
        {"name": "x", "type": "category", "values": [f"v{i}" for i in range(5000)]}]}),
}


@pytest.mark.parametrize("text", list(HOSTILE_ENTRIES.values()), ids=list(HOSTILE_ENTRIES))
def test_invalid_or_hostile_json_entry_is_ignored(isolated_env, monkeypatch, tmp_path, text):
    monkeypatch.chdir(tmp_path)
    plan_quietly()
    cache = raw_cache(isolated_env)
    cache.set(offline_key(DESCRIPTION), text)
    cache.close()
    planned, warned = plan_quietly()
    assert planned.source == "offline"
    assert planned.schema.to_json() == expected_json()
    assert len(warned) == 1 and "was invalid" in warned[0] and "planning again" in warned[0]
    assert "\n" not in warned[0]
    assert not (tmp_path / "PWNED").exists()
    assert plan_quietly()[0].source == "cache"  # replaced by the good schema


@pytest.mark.parametrize("value", [b'{"columns": []}', 12345, 1.5, "x" * (MAX_ENTRY + 10)],
                         ids=["bytes", "int", "float", "oversized text file"])
def test_entry_that_is_not_json_text_is_ignored(isolated_env, value):
    plan_quietly()
    cache = raw_cache(isolated_env)
    cache.set(offline_key(DESCRIPTION), value)
    cache.close()
    planned, warned = plan_quietly()
    assert planned.source == "offline"
    assert len(warned) == 1 and "planning again" in warned[0]
    assert plan_quietly()[0].source == "cache"


class Booby:
    """Unpickling this creates the marker file: the test proves it never happens."""

    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


@pytest.mark.parametrize("big", [False, True], ids=["pickle in the database", "pickle in a file"])
def test_pickled_entry_is_never_unpickled(isolated_env, tmp_path, big):
    marker = tmp_path / "UNPICKLED"
    booby = [Booby(str(marker)), "x" * (40_000 if big else 1)]
    assert b"UNPICKLED" in pickle.dumps(booby)
    plan_quietly()
    cache = raw_cache(isolated_env)
    cache.set(offline_key(DESCRIPTION), booby)
    mode = cache._sql("SELECT mode FROM Cache WHERE key = ?", (offline_key(DESCRIPTION),)).fetchone()[0]
    cache.close()
    import diskcache.core

    assert mode == diskcache.core.MODE_PICKLE
    planned, warned = plan_quietly()
    assert not marker.exists()
    assert planned.source == "offline"
    assert len(warned) == 1 and "not plain JSON text" in warned[0]
    assert plan_quietly()[0].source == "cache"  # the pickle was replaced by JSON
    for schema in SchemaCache(isolated_env).entries():  # listing never unpickles either
        assert isinstance(schema, Schema)
    assert not marker.exists()


def test_pickled_key_is_never_unpickled_when_listing(isolated_env, tmp_path):
    marker = tmp_path / "KEY_UNPICKLED"
    plan_quietly()
    cache = raw_cache(isolated_env)
    cache.set(("key", Booby(str(marker))), "value")
    cache.close()
    store = SchemaCache(isolated_env)
    assert store.keys() == [offline_key(DESCRIPTION)]
    assert [s.to_json() for s in store.entries()] == [expected_json()]
    assert store.info()["entries"] == 1
    store.close()
    assert not marker.exists()


def test_entry_pointing_outside_the_cache_is_neither_read_nor_deleted(isolated_env, tmp_path):
    """A database row naming a file elsewhere (../ or absolute): not read, not removed."""
    import diskcache.core

    victim = tmp_path / "victim.json"
    victim.write_text(expected_json("employees with salary and department"))
    plan_quietly()
    key = offline_key(DESCRIPTION)
    cache = raw_cache(isolated_env)
    for filename in (str(victim), os.path.relpath(victim, isolated_env)):
        cache.set(key, "placeholder")
        cache._sql("UPDATE Cache SET mode = ?, filename = ?, value = NULL WHERE key = ?",
                   (diskcache.core.MODE_TEXT, filename, key))
        planned, warned = plan_quietly()
        assert planned.source == "offline"  # the victim's (valid) schema was not used
        assert planned.schema.to_json() == expected_json()
        assert len(warned) == 1 and "not plain JSON text" in warned[0]
        assert victim.exists()
    cache.close()


def test_large_schema_stored_as_text_file_round_trips(isolated_env):
    """Schemas above diskcache's 32 kB inline limit live in a .val file and still load."""
    wide = "survey with " + ", ".join(f"q{i} answer score" for i in range(198))
    first, _ = plan_quietly(wide)
    assert len(first.schema.to_json()) > 32_768
    second, warned = plan_quietly(wide)
    assert (second.source, warned) == ("cache", [])
    assert second.schema.to_json() == first.schema.to_json()
    assert list(isolated_env.rglob("*.val"))


# ---------------------------------------------------------------------------------------
# Files: atomic, never clobbered, overwritten only on request
# ---------------------------------------------------------------------------------------

def small_frame(n: int = 50, start: int = 0) -> pd.DataFrame:
    return pd.DataFrame({"id": range(start, start + n), "name": [f"n{i}" for i in range(start, start + n)]})


def frames_then(error: BaseException, count: int = 1):
    for i in range(count):
        yield small_frame(start=i * 50)
    raise error


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
@pytest.mark.parametrize("error", [RuntimeError("boom"), KeyboardInterrupt()], ids=["exception", "ctrl-c"])
def test_interrupted_save_leaves_no_file(tmp_path, suffix, error):
    path = tmp_path / f"out{suffix}"
    with pytest.raises(type(error)):
        export.save_frames(frames_then(error, count=2), path)
    assert not path.exists()
    assert leftovers(tmp_path) == []
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
@pytest.mark.parametrize("error", [RuntimeError("boom"), KeyboardInterrupt()], ids=["exception", "ctrl-c"])
def test_interrupted_save_never_clobbers_existing_file(tmp_path, suffix, error):
    path = tmp_path / f"out{suffix}"
    export.save(small_frame(7), path)
    before = path.read_bytes()
    with pytest.raises(type(error)):
        export.save_frames(frames_then(error, count=3), path)
    assert path.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_writer_failure_becomes_export_error_and_leaves_nothing(tmp_path, monkeypatch):
    path = tmp_path / "out.csv"
    path.write_text("precious\n")

    real = pcsv.CSVWriter

    class FillsUp:
        """The real writer, until the disk is full on the second chunk."""

        def __init__(self, *args, **kwargs):
            self.inner, self.calls = real(*args, **kwargs), 0

        def write_table(self, table):
            self.calls += 1
            if self.calls == 2:
                raise OSError(28, "No space left on device")
            self.inner.write_table(table)

        def close(self):
            self.inner.close()

    monkeypatch.setattr(pcsv, "CSVWriter", FillsUp)
    with pytest.raises(ExportError, match="No space left on device"):
        export.save_frames([small_frame(), small_frame()], path)
    assert path.read_text() == "precious\n"
    assert leftovers(tmp_path) == []


def test_save_writes_whole_file_and_replaces_only_when_complete(tmp_path):
    path = tmp_path / "out.parquet"
    export.save_frames((small_frame(start=i * 50) for i in range(3)), path)
    table = pq.read_table(path)
    assert table.num_rows == 150
    assert table.column("id").to_pylist() == list(range(150))
    assert leftovers(tmp_path) == []


def test_save_true_never_overwrites(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    suggested = export.suggest_path(DESCRIPTION)
    Path(suggested).write_text("mine\n")
    result = api.run(DESCRIPTION, rows=5, seed=1, planner="offline", save=True)
    assert Path(suggested).read_text() == "mine\n"
    assert result.path is not None and result.path.exists() and result.path.name != Path(suggested).name
    third = api.run(DESCRIPTION, rows=5, seed=1, planner="offline", save=True)
    assert len({Path(suggested).name, result.path.name, third.path.name}) == 3


def test_explicit_path_is_overwritten_on_request(tmp_path):
    path = tmp_path / "asked.csv"
    path.write_text("old\n")
    api.synth(DESCRIPTION, rows=4, seed=1, planner="offline", save=path)
    assert len(path.read_text().splitlines()) == 5
    assert leftovers(tmp_path) == []


def test_failed_run_does_not_touch_an_existing_explicit_path(tmp_path):
    path = tmp_path / "asked.csv"
    path.write_text("old\n")
    with pytest.raises(InputError):
        api.synth(DESCRIPTION, rows=10**12, planner="offline", save=path)
    assert path.read_text() == "old\n"


def test_cli_interrupted_while_streaming_writes_nothing(tmp_path, monkeypatch, capsys):
    from synth_magic import generate

    real = generate.frames

    def interrupted(*args, **kwargs):
        it = real(*args, **kwargs)
        yield next(it)
        raise KeyboardInterrupt

    monkeypatch.setattr(generate, "frames", interrupted)
    out = tmp_path / "big.csv"
    out.write_text("keep me\n")
    code = cli.main([DESCRIPTION, "--rows", "40000", "--planner", "offline", "-o", str(out)])
    assert code == 130
    assert "nothing was written" in capsys.readouterr().err
    assert out.read_text() == "keep me\n"
    assert leftovers(tmp_path) == []


def test_save_to_missing_folder_or_bad_suffix_is_refused_up_front(tmp_path):
    with pytest.raises(ExportError, match="does not exist"):
        api.synth(DESCRIPTION, rows=3, planner="offline", save=tmp_path / "nope" / "x.csv")
    with pytest.raises(ExportError, match=r"\.csv or \.parquet"):
        api.synth(DESCRIPTION, rows=3, planner="offline", save=tmp_path / "x.xlsx")
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------------------
# Limits
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("rows", [10**12, 2**31 + 1, 10**18])
def test_rows_beyond_memory_refused_up_front(rows):
    with pytest.raises(InputError) as info:
        api.synth(DESCRIPTION, rows=rows, seed=0, planner="offline")
    message = str(info.value)
    assert "-o data.csv" in message and "stream them to a file" in message
    assert "\n" not in message


def test_rows_beyond_memory_refused_by_cli(capsys):
    assert cli.main([DESCRIPTION, "--rows", str(10**13), "--planner", "offline"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("synth: error:") and "-o" in err and len(err.strip().splitlines()) == 1


# Memory: sizes measured per type and scaled by the settings that make values longer
MEASURED = [(name, {}) for name in TYPES if name not in ("ohlc", "category", "formula")] + [
    ("paragraph", {"min_sentences": 20, "max_sentences": 20}), ("sentence", {"min_words": 50, "max_words": 50}),
    ("title", {"min_words": 20, "max_words": 20}), ("code", {"pattern": "#" * 40}),
    ("sku", {"pattern": "??-" + "*" * 37}), ("category", {"values": ["x" * 200, "y" * 200]}),
    ("formula", {"expr": "b * 2"}), ("ohlc", {"close": "b"})]


@pytest.mark.parametrize(("name", "params"), MEASURED, ids=[f"{n}{'-' + '-'.join(p) if p else ''}" for n, p in MEASURED])
def test_the_memory_estimate_of_every_type_is_measured(name, params):
    rows = 4096
    schema = Schema([Column("b", "float", {"min": 1, "max": 9}), Column("x", name, dict(params))])
    df = schema.generate(rows, seed=3)
    measured = df["x"].memory_usage(deep=True, index=False) / rows
    written = len(df[["x"]].to_csv(index=False).encode()) / rows
    plan = schema.resolve()
    estimate, on_its_way = (plan.bytes_per_row(w) - TYPES["float"].size for w in (False, True))  # x's share
    assert measured <= estimate <= 3 * measured + 8
    assert written <= on_its_way + 8  # as text in a file (a category's value, not its code)


def test_the_guard_counts_long_text_and_the_memory_a_container_has(monkeypatch):
    monkeypatch.setattr(generate, "_available_memory", lambda: 1 << 30)
    short = Schema([Column("p", "paragraph")]).resolve()
    long = Schema([Column("p", "paragraph", {"max_sentences": 20, "min_sentences": 18})]).resolve()
    rows = 600_000  # twice 0.25 GiB of short paragraphs, twice 0.75 GiB of long ones
    generate.check_fits(short, rows)
    with pytest.raises(InputError, match=r"^600,000 rows of this table need about 1\.5 GiB of memory and this "
                                         r"machine has 1\.0 GiB free; ask for fewer rows"):
        generate.check_fits(long, rows)


def _cgroup(tmp_path: Path, lines: str, files: dict[str, str], meminfo_kib: int = 64 << 20) -> tuple[str, str]:
    proc, root = tmp_path / "proc", tmp_path / "cgroup"
    (proc / "self").mkdir(parents=True)
    (proc / "self" / "cgroup").write_text(lines)
    (proc / "meminfo").write_text(f"MemTotal: {meminfo_kib * 2} kB\nMemAvailable: {meminfo_kib} kB\n")
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return str(root), str(proc)


GIB, MIB = 1 << 30, 1 << 20
CGROUPS = {  # /proc/self/cgroup, the cgroup files, what is free
    "v2 limit": ("0::/box\n", {"box/memory.max": f"{GIB}\n", "box/memory.current": f"{600 * MIB}\n",
                                "box/memory.stat": f"anon 1\ninactive_file {100 * MIB}\n"}, 524 * MIB),
    "v2 no limit: the host's": ("0::/box\n", {"box/memory.max": "max\n", "box/memory.current": "5\n"}, 64 * GIB),
    "v2 parent tighter": ("0::/a/b\n", {"a/b/memory.max": f"{4 * GIB}", "a/b/memory.current": "0",
                                         "a/memory.max": f"{2 * GIB}", "a/memory.current": f"{GIB}"}, GIB),
    "v2 seen at the mount's root": ("0::/host/path\n", {"memory.max": f"{GIB}", "memory.current": "0"}, GIB),
    "v1": ("4:memory:/box\n0::/\n", {"memory/box/memory.limit_in_bytes": f"{3 * GIB}",
                                       "memory/box/memory.usage_in_bytes": f"{2 * GIB}",
                                       "memory/box/memory.stat": f"total_inactive_file {GIB}\n"}, 2 * GIB),
    "v1 unlimited (2**63 rounded)": ("4:memory:/\n", {"memory/memory.limit_in_bytes": "9223372036854771712",
                                                       "memory/memory.usage_in_bytes": "7"}, 64 * GIB),
    "none: the host's": ("", {}, 64 * GIB),
    "garbled": ("0::/box\n", {"box/memory.max": "lots", "box/memory.current": "x"}, 64 * GIB),
}


@pytest.mark.parametrize("case", list(CGROUPS))
def test_free_memory_is_read_from_the_cgroup_else_the_host(tmp_path, case):
    lines, files, free = CGROUPS[case]
    assert generate._available_memory(*_cgroup(tmp_path, lines, files)) == free


def test_a_stream_sizes_its_frames_by_bytes_so_wide_text_streams_in_flat_memory(monkeypatch):
    narrow = Schema([Column("a", "integer"), Column("b", "first_name")]).resolve()
    wide = Schema([Column(f"p{i}", "paragraph", {"min_sentences": 18, "max_sentences": 20})
                   for i in range(8)]).resolve()
    assert generate.batch_chunks(narrow) == generate.BATCH_CHUNKS  # as before: 131,072 rows
    assert generate.batch_chunks(wide) == 1
    monkeypatch.setattr(generate, "BATCH_BYTES", 32 << 20)  # a chunk of long paragraphs is about 22 MB
    parts = list(generate.frames(Schema([Column("p", "paragraph", {"min_sentences": 18, "max_sentences": 20}),
                                         Column("n", "integer")]).resolve(), 3 * generate.CHUNK, seed=2))
    budget = generate.BATCH_BYTES
    assert len(parts) > 1 and all(p.memory_usage(deep=True).sum() <= budget for p in parts)


def test_a_stream_whose_one_batch_cannot_fit_is_refused_up_front(monkeypatch):
    monkeypatch.setattr(generate, "_available_memory", lambda: 64 << 20)
    wide = Schema([Column(f"p{i}", "paragraph", {"max_sentences": 20}) for i in range(8)]).resolve()
    with pytest.raises(InputError, match="^16,384 rows of this table need about .* use fewer or shorter text columns"):
        next(generate.frames(wide, 10**6, seed=1))


def _one_column(**column) -> dict:
    return {"columns": [{"name": "x", **column}]}


LIMITS = {
    "too many categories": _one_column(type="category", values=[f"v{i}" for i in range(1001)]),
    "category value too long": _one_column(type="category", values=["a" * 201, "b"]),
    "empty category value": _one_column(type="category", values=["", "b"]),
    "category value not text": _one_column(type="category", values=[{"a": 1}]),
    "string parameter too long": _one_column(type="datetime", start="2024-01-01" + " " * 300),
    "pattern too long": _one_column(type="code", pattern="#" * 41),
    "formula too long": {"columns": [{"name": "a", "type": "integer"},
                                     {"name": "b", "type": "formula", "expr": "a + " * 100 + "a"}]},
    "too many columns": {"columns": [{"name": f"c{i}", "type": "integer"} for i in range(201)]},
    "name too long": {"columns": [{"name": "n" * 65, "type": "integer"}]},
    "title too long": {"title": "t" * 201, "columns": [{"name": "x", "type": "integer"}]},
    "huge number": _one_column(type="integer", min=0, max=10**400),
    "terminal escape in a category": _one_column(type="category", values=["\x1b]0;owned\x07", "b"]),
    "bidi override in a category": _one_column(type="category", values=["abc\u202egnp.exe", "b"]),
    "newline in a category": _one_column(type="category", values=["a\nb", "b"]),
    "escape in a text parameter": _one_column(type="code", pattern="##\x1b[2J"),
}


def test_metadata_text_is_kept_on_one_line_without_control_characters():
    schema = Schema.from_dict({"title": "sales\n\x1b[31mreport\u202e", "notes": ["a\r\nb"],
                               "columns": [{"name": "x", "type": "integer", "source": "model",
                                            "why": "because\n# not a comment"}]})
    assert (schema.title, schema.notes, schema.columns[0].why) == ("sales [31mreport", ["a b"],
                                                                   "because # not a comment")
    assert Schema.from_text(schema.to_text()).to_dict() == {**schema.to_dict()}


@pytest.mark.parametrize("data", list(LIMITS.values()), ids=list(LIMITS))
def test_schema_limits(data):
    with pytest.raises(SchemaError) as info:
        Schema.from_dict(data)
    assert str(info.value) and "\n" not in str(info.value)
    assert len(str(info.value)) < 400


# What once escaped as a raw exception (ValueError, ArrowInvalid at Parquet time) or was ignored
NO_RAW_EXCEPTIONS = {
    "no whole number in the range": ([Column("a", "integer", {"min": 0.5, "max": 0.7})], 10,
                                     "Column 'a': no whole number lies between min=0.5 and max=0.7; widen the range "
                                     "or use a float column."),
    "nor for one value of by": ([Column("g", "category", {"values": ["x", "y"]}),
                                 Column("a", "quantity", {"by": "g", "min": {"x": 1.2, "y": 1}, "max": {"x": 1.9, "y": 5}})],
                                10, "Column 'a': no whole number lies between min=1.2 and max=1.9 (for 'x'); widen the "
                                    "range or use a float column."),
    "a step that wraps the dates": ([Column("a", "datetime", {"start": "2024-01-01", "step": "99999999d"})], 10,
                                    "Column 'a': step must be a duration like 30s, 5min, 2h or 3d, of at most 36525d "
                                    "(a hundred years), not '99999999d'."),
    "a gap that wraps the dates": ([Column("a", "date"), Column("b", "date", {"after": "a", "max_gap": "9999999w"})],
                                   10, "Column 'b': max_gap must be a duration like 30s, 5min, 2h or 3d, of at most "
                                       "36525d (a hundred years), not '9999999w'."),
    "a series stepping past 9999": ([Column("a", "date", {"start": "2024-01-01", "step": "36525d"})], 81,
                                    "Column 'a': 81 rows 36525d apart from 2024-01-01 run past the year 9999; use a "
                                    "shorter step or fewer rows."),
    "per entity too": ([Column("s", "code", {"entities": 2}),
                        Column("t", "datetime", {"start": "2024-01-01", "step": "36525d", "entity": "s"})], 161,
                       "Column 't': 161 rows 36525d apart from 2024-01-01 run past the year 9999; use a shorter "
                       "step or fewer rows."),
    "a unique age counted from a birth date": (
        [Column("b", "birth_date", {"min_age": 30, "max_age": 31}), Column("a", "age", {"derive_from": "b"}, unique=True)],
        2, "Column 'a' follows column 'b' (derive_from), so its values cannot be promised unique; drop 'unique' or "
           "'derive_from'."),
}


@pytest.mark.parametrize("case", list(NO_RAW_EXCEPTIONS))
def test_what_once_escaped_raw_is_one_schema_error(case):
    columns, rows, message = NO_RAW_EXCEPTIONS[case]
    with pytest.raises(SchemaError) as info:
        Schema(columns).generate(rows, seed=1)
    assert str(info.value) == message


def test_the_longest_series_allowed_and_dates_computed_past_9999_write_to_parquet(tmp_path):
    df = Schema([Column("a", "date", {"start": "2024-01-01", "step": "36525d"}),
                 Column("b", "date", {"expr": "a + days(3650000)"})]).generate(80, seed=1)
    assert df["a"].iloc[-1].year == 9924 and df["b"].isna().all()  # beyond 9999: no date, as a formula's NaN
    export.save(df, tmp_path / "x.parquet")
    assert len(pq.read_table(tmp_path / "x.parquet")) == 80


@pytest.mark.parametrize("weights", [[0, 5e-324], [5e-324, 0, 0], [0, 1e-300, 1e-300], [0, 1, 0, 1e9]])
def test_a_value_of_weight_zero_is_never_drawn(weights):
    values = [f"v{i}" for i in range(len(weights))]
    df = Schema([Column("a", "category", {"values": values, "weights": weights})]).generate(100_000, seed=5)
    drawn = set(df["a"].astype(str))
    assert drawn and all(weights[values.index(v)] > 0 for v in drawn)


def test_description_length_is_bounded():
    with pytest.raises(InputError, match="keep it under"):
        api.synth("customers " * 1000, rows=3)


# ---------------------------------------------------------------------------------------
# Spreadsheet safety in CSV
# ---------------------------------------------------------------------------------------

NEUTRALISED = {
    "=1+1": "'=1+1",
    "=HYPERLINK(\"http://x\",\"click\")": "'=HYPERLINK(\"http://x\",\"click\")",
    "@SUM(A1:A2)": "'@SUM(A1:A2)",
    "+cmd": "'+cmd",
    "-cmd": "'-cmd",
    "+SUM(1,2)": "'+SUM(1,2)",
    "-2+3+cmd|' /C calc'!A0": "'-2+3+cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0": "'+1+cmd|' /C calc'!A0",
    "\t=1": "'\t=1",
    "\r=1": "'\r=1",
    "- x": "'- x",
}
KEPT = [
    "+1-555-0100", "+1 555 0100", "+1-435-418-7912x42606", "+49 (0) 5639 588480", "+49(0)2861 604953",
    "+33 (0)1 79 86 75 03", "+55 16 9541-9324", "-12.5", "-0.5", "-.5", "+7", "-1e5", "-2.5E-3",
    "plain", "a=b", "x@y.com", "", "-", "+", "'=already", " =1", "(555) 123-4567",
]


def read_csv_cells(path: Path) -> list[list[str]]:
    import csv

    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def test_neutralise_table():
    import pyarrow as pa

    values = list(NEUTRALISED) + KEPT + [None]
    out = export.neutralise(pa.array(values, pa.large_string())).to_pylist()
    assert out == list(NEUTRALISED.values()) + KEPT + [None]
    chunked = pa.chunked_array([pa.array(list(NEUTRALISED)), pa.array(KEPT)])
    assert export.neutralise(chunked).to_pylist() == list(NEUTRALISED.values()) + KEPT


def test_csv_cells_and_headers_are_neutralised(tmp_path):
    df = pd.DataFrame({
        "=HYPERLINK(\"x\")": list(NEUTRALISED) + ["ok"] * (len(KEPT) - len(NEUTRALISED)),
        "@head": pd.Categorical(KEPT),
        "+1 555 0100": range(len(KEPT)),
        "amount": [-(i + 0.5) for i in range(len(KEPT))],
    })
    path = export.save(df, tmp_path / "x.csv")
    rows = read_csv_cells(path)
    assert rows[0] == ["'=HYPERLINK(\"x\")", "'@head", "+1 555 0100", "amount"]
    assert [r[0] for r in rows[1:len(NEUTRALISED) + 1]] == list(NEUTRALISED.values())
    assert [r[1] for r in rows[1:]] == KEPT
    assert [r[3] for r in rows[1:]] == [str(-(i + 0.5)) for i in range(len(KEPT))]


def test_csv_safety_switches(tmp_path, monkeypatch):
    df = pd.DataFrame({"@x": ["=1+1", "+1 555 0100"]})
    on = read_csv_cells(export.save(df, tmp_path / "on.csv"))
    off = read_csv_cells(export.save(df, tmp_path / "off.csv", neutralise_formulas=False))
    assert on == [["'@x"], ["'=1+1"], ["+1 555 0100"]]
    assert off == [["@x"], ["=1+1"], ["+1 555 0100"]]
    monkeypatch.setenv("SYNTH_CSV_SAFETY", "off")
    assert read_csv_cells(export.save(df, tmp_path / "env.csv")) == off
    assert read_csv_cells(export.save(df, tmp_path / "forced.csv", neutralise_formulas=True)) == on
    monkeypatch.setenv("SYNTH_CSV_SAFETY", "on")
    assert read_csv_cells(export.save(df, tmp_path / "env-on.csv")) == on


def test_parquet_is_written_unchanged(tmp_path):
    df = pd.DataFrame({"@x": ["=1+1", "-cmd"]})
    table = pq.read_table(export.save(df, tmp_path / "x.parquet"))
    assert table.column_names == ["@x"]
    assert table.column("@x").to_pylist() == ["=1+1", "-cmd"]


HOSTILE_SCHEMA = {"title": "tickets", "columns": [
    {"name": "id", "type": "id"},
    {"name": "status", "type": "category", "values": ["=cmd|' /C calc'!A0", "@SUM(1)", "+x", "-y", "open"]},
    {"name": "phone", "type": "phone"},
    {"name": "delta", "type": "integer", "min": -100, "max": -1},
]}


def test_generated_csv_is_safe_and_phones_untouched(tmp_path):
    schema = Schema.from_dict(HOSTILE_SCHEMA)
    df = schema.generate(300, seed=3)
    path = export.save(df, tmp_path / "t.csv")
    rows = read_csv_cells(path)
    status = {r[1] for r in rows[1:]}
    assert status == {"'=cmd|' /C calc'!A0", "'@SUM(1)", "'+x", "'-y", "open"}
    assert [r[2] for r in rows[1:]] == df["phone"].tolist()
    assert [int(r[3]) for r in rows[1:]] == df["delta"].tolist()


@pytest.mark.parametrize("locale", ["en_US", "de_DE", "fr_FR", "pt_BR", "en_GB", "it_IT"])
def test_generated_phone_numbers_are_left_exactly(tmp_path, locale):
    df = api.synth("contacts with name and phone", rows=400, seed=5, locale=locale, planner="offline")
    rows = read_csv_cells(export.save(df, tmp_path / "p.csv"))
    col = rows[0].index("phone")
    assert [r[col] for r in rows[1:]] == df["phone"].tolist()


def test_cli_no_csv_safety_flag(tmp_path, capsys):
    schema_file = tmp_path / "s.json"
    schema_file.write_text(json.dumps(HOSTILE_SCHEMA))
    safe, raw = tmp_path / "safe.csv", tmp_path / "raw.csv"
    assert cli.main(["--from-schema", str(schema_file), "--rows", "50", "--seed", "1", "-o", str(safe)]) == 0
    assert cli.main(["--from-schema", str(schema_file), "--rows", "50", "--seed", "1", "-o", str(raw),
                     "--no-csv-safety"]) == 0
    safe_status = {r[1] for r in read_csv_cells(safe)[1:]}
    raw_status = {r[1] for r in read_csv_cells(raw)[1:]}
    assert "'=cmd|' /C calc'!A0" in safe_status and "=cmd|' /C calc'!A0" not in safe_status
    assert "=cmd|' /C calc'!A0" in raw_status
    assert "--no-csv-safety" in cli.build_parser().format_help()


def test_api_save_neutralises_by_default(tmp_path):
    df = api.synth(Schema.from_dict(HOSTILE_SCHEMA), rows=100, seed=2, save=tmp_path / "a.csv")
    assert set(df["status"].astype(str)) >= {"=cmd|' /C calc'!A0"}  # the frame itself is untouched
    assert {r[1] for r in read_csv_cells(tmp_path / "a.csv")[1:]} <= {
        "'=cmd|' /C calc'!A0", "'@SUM(1)", "'+x", "'-y", "open"}


# ---------------------------------------------------------------------------------------
# Secrets
# ---------------------------------------------------------------------------------------

SECRET = "sk-test-SECRET-0123456789abcdefSECRET"


def all_bytes_under(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def test_api_key_never_appears_anywhere(isolated_env, monkeypatch, tmp_path, capsys, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    monkeypatch.setenv("SYNTH_PLANNER", "offline")
    monkeypatch.chdir(tmp_path)
    seen: list[str] = []

    settings = config.settings()
    assert settings.has_key and settings.planner == "offline"
    seen += [repr(settings), str(settings), str(vars(settings)) if hasattr(settings, "__dict__") else ""]

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = api.run(DESCRIPTION, rows=20, seed=1, save="k.csv")
        seen += [result.summary(), repr(result.schema), result.schema.to_text(), result.schema.to_json(),
                 repr(result.frame.attrs), result.frame.to_csv()]
        (isolated_env / "cache.db").write_bytes(b"garbage" * 100)  # a warning path too
        api.plan(DESCRIPTION)
    seen += [str(w.message) for w in caught]
    assert caught  # the damaged cache warned

    for argv in ([DESCRIPTION, "--rows", "5", "--seed", "1"], [DESCRIPTION, "--schema", "--json"],
                 [DESCRIPTION, "--rows", "5", "-o", "cli.parquet"], [DESCRIPTION, "--rows", "x"],
                 ["--from-schema", "missing.txt"]):
        cli.main(argv)
        out = capsys.readouterr()
        seen += [out.out, out.err]

    errors = []
    for bad in (lambda: api.synth(DESCRIPTION, rows=-1), lambda: api.synth(DESCRIPTION, locale="xx_XX"),
                lambda: config.settings(planner="nope")):
        with pytest.raises(SynthError) as info:
            bad()
        errors.append(info.value)
    monkeypatch.setenv("SYNTH_TIMEOUT", SECRET)  # a key pasted into the wrong variable
    with pytest.raises(ConfigError) as info:
        config.settings()
    seen += [str(e) for e in errors] + [repr(e) for e in errors]
    timeout_message = str(info.value)

    seen.append(caplog.text)
    text = "\n".join(seen)
    assert SECRET not in text and "SECRET" not in text
    assert SECRET.encode() not in all_bytes_under(isolated_env)
    assert SECRET.encode() not in all_bytes_under(tmp_path)
    assert "SECRET" not in timeout_message and "SYNTH_TIMEOUT" in timeout_message


def test_saved_file_gets_ordinary_permissions(tmp_path):
    """The temp file is owner-only while written; the result is like any file the user writes."""
    mask = os.umask(0o022)
    os.umask(mask)
    fresh = export.save(small_frame(), tmp_path / "fresh.csv")
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~mask
    existing = tmp_path / "existing.parquet"
    existing.write_bytes(b"old")
    os.chmod(existing, 0o640)
    export.save(small_frame(), existing)
    assert stat.S_IMODE(existing.stat().st_mode) == 0o640


def test_no_overwrite_save_refuses_a_file_that_appears_while_writing(tmp_path):
    """save=True's no-clobber promise holds even when another job takes the name meanwhile."""
    path = tmp_path / "race.csv"

    def frames():
        yield small_frame()
        path.write_text("the other job's file\n")  # appears mid-write
        yield small_frame(start=50)

    with pytest.raises(ExportError, match="appeared while writing; nothing was overwritten"):
        export.save_frames(frames(), path, overwrite=False)
    assert path.read_text() == "the other job's file\n"
    assert leftovers(tmp_path) == []
    with pytest.raises(ExportError, match="already exists"):
        export.save(small_frame(), path, overwrite=False)
    fresh = export.save(small_frame(), tmp_path / "fresh.csv", overwrite=False)
    assert len(fresh.read_text().splitlines()) == 51
    assert leftovers(tmp_path) == []


def test_save_true_uses_no_clobber_writes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    calls = []
    real = export.save_frames

    def spy(frames, path, **kwargs):
        calls.append(kwargs.get("overwrite"))
        return real(frames, path, **kwargs)

    monkeypatch.setattr(export, "save_frames", spy)
    api.run(DESCRIPTION, rows=3, seed=1, planner="offline", save=True)
    api.run(DESCRIPTION, rows=3, seed=1, planner="offline", save=tmp_path / "explicit.csv")
    assert calls == [False, True]


def test_api_key_from_dotenv_is_only_noted_as_set(isolated_env, monkeypatch, tmp_path, capsys):
    """A key in .env reaches the environment for the SDK; our objects only know it is set."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text(f"OPENAI_API_KEY={SECRET}\nSYNTH_PLANNER=offline\n")
    for var in ("OPENAI_API_KEY", "SYNTH_PLANNER"):
        monkeypatch.setenv(var, "")
        monkeypatch.delenv(var)  # restored to absent after the test, whatever .env loads
    monkeypatch.setattr(config, "_dotenv_loaded", False)
    settings = config.settings()
    assert settings.has_key and settings.planner == "offline"
    assert os.environ["OPENAI_API_KEY"] == SECRET  # for the openai SDK to read
    assert SECRET not in repr(settings)
    assert cli.main([DESCRIPTION, "--rows", "3", "-o", "out.csv"]) == 0
    out = capsys.readouterr()
    assert "SECRET" not in out.out + out.err
    assert SECRET.encode() not in all_bytes_under(isolated_env)
    assert "SECRET" not in (tmp_path / "out.csv").read_text()


# ---------------------------------------------------------------------------------------
# Second round: what an attacker found (issue 18)
# ---------------------------------------------------------------------------------------

def test_form_never_shows_credentials_of_the_base_url(monkeypatch):
    pytest.importorskip("ipywidgets")
    from synth_magic.widget import form

    monkeypatch.setenv("OPENAI_BASE_URL", "http://alice:hunter2@llm.internal:8000/v1?token=abc123")
    f = form(None)
    assert f.planner.value == "openai"
    shown = f.planner_note.value
    assert "llm.internal:8000/v1" in shown
    assert "hunter2" not in shown and "alice" not in shown and "abc123" not in shown


def test_an_existing_folder_used_as_cache_keeps_its_permissions(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o755)
    monkeypatch.setenv("SYNTH_CACHE_DIR", str(shared))
    planned, warned = plan_quietly()
    assert warned == [] and stat.S_IMODE(shared.stat().st_mode) == 0o755
    assert plan_quietly()[0].source == "cache"


def test_saving_over_a_link_to_a_setuid_file_gives_an_ordinary_file(tmp_path):
    target = tmp_path / "tool"
    target.write_text("#!/bin/sh\n")
    os.chmod(target, 0o4755)
    link = tmp_path / "out.csv"
    link.symlink_to(target)
    written = export.save(small_frame(), link)
    mode = stat.S_IMODE(written.stat().st_mode)
    assert not mode & (stat.S_ISUID | stat.S_ISGID | stat.S_ISVTX) and mode == 0o755
    assert not written.is_symlink() and stat.S_IMODE(target.stat().st_mode) == 0o4755  # the target is untouched


@pytest.mark.parametrize(("path", "message"), [
    ("x\0y.csv", "contains a NUL character"),
    ("a" * 300 + ".csv", "has a name longer than 255 bytes"),
    ("~nosuchuser-synth/x.csv", "starts with ~ but that home directory is unknown"),
])
def test_unusable_save_paths_are_one_sentence(tmp_path, monkeypatch, path, message):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ExportError, match=message):
        api.synth(DESCRIPTION, rows=3, save=path)
    if "\0" not in path:  # a command line cannot carry a NUL
        assert code_and_one_line([DESCRIPTION, "--rows", "3", "-o", path])[0] == 2
    assert list(tmp_path.iterdir()) == []


def code_and_one_line(argv: list[str]) -> tuple[int, str]:
    done = subprocess.run([sys.executable, "-m", "synth_magic", *argv], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(SRC)}, timeout=120)
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) <= 1, done.stderr
    return done.returncode, done.stderr.strip()


@pytest.mark.parametrize("folder", ["~nosuchuser-synth/cache", "cache\0dir", "c" * 300])
def test_unusable_cache_folders_are_one_sentence(monkeypatch, folder):
    with pytest.raises(ConfigError, match=r"^The schema cache folder \(SYNTH_CACHE_DIR\) '.*'"):
        config.settings(cache_dir=folder)  # as the magic's cache_dir setting passes it
    if "\0" not in folder:  # the environment cannot hold a NUL
        monkeypatch.setenv("SYNTH_CACHE_DIR", folder)
        with pytest.raises(ConfigError, match=r"^The schema cache folder"):
            config.settings()


def test_no_home_directory_for_the_cache_is_one_sentence(monkeypatch):
    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("SYNTH_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    with pytest.raises(ConfigError, match="^There is no home directory for the schema cache; set SYNTH_CACHE_DIR"):
        config.settings()


def test_a_key_with_characters_a_request_cannot_carry_is_one_sentence(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-ümlaut-" + "x" * 20)
    with pytest.raises(ConfigError, match="^OPENAI_API_KEY holds characters a request cannot carry") as info:
        config.settings(planner="openai")
    assert "ümlaut" not in str(info.value)
    assert config.settings(planner="offline").has_key  # the offline planner does not need it


def test_from_schema_refuses_a_file_over_the_limit_rather_than_cutting_it(tmp_path):
    from synth_magic.schema import MAX_TEXT

    path = tmp_path / "big.txt"
    path.write_text("columns:\n" + "".join(f"  c{i}: integer\n" for i in range(30)) + "#" * MAX_TEXT)
    code, line = code_and_one_line(["--from-schema", str(path)])
    assert code == 2 and "is larger than 1 MiB" in line


def test_from_schema_that_is_not_utf8_is_one_sentence(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes(b"columns:\n  caf\xe9: integer\n\xff\n")
    code, line = code_and_one_line(["--from-schema", str(path)])
    assert code == 2 and "is not UTF-8 text" in line


def test_a_pasted_schema_longer_than_a_description_is_accepted():
    schema = Schema.from_dict({"title": "wide", "columns": [
        {"name": f"sensor_measurement_{i:03d}", "type": "float", "min": 0, "max": i + 1, "source": "user",
         "why": "named in the description"} for i in range(60)]})
    text = schema.to_text()
    assert len(text) > config_max_description()
    df = api.synth(text, rows=5, seed=1)
    assert list(df.columns) == schema.names


def config_max_description() -> int:
    from synth_magic._inputs import MAX_DESCRIPTION

    return MAX_DESCRIPTION


def test_a_closed_pipe_ends_the_command_quietly(tmp_path):
    done = subprocess.run(f"{sys.executable} -m synth_magic '{DESCRIPTION}' --rows 20000 --preview 20000 | head -1",
                          shell=True, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(SRC)}, cwd=tmp_path)
    assert done.stdout.count("\n") == 1 and done.stderr == ""
    types = subprocess.run(f"{sys.executable} -m synth_magic --types | head -2", shell=True, capture_output=True,
                           text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(SRC)})
    assert types.stdout.count("\n") == 2 and types.stderr == ""


HOLD_LOCK = r"""
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(60)
"""


def test_a_cache_locked_by_another_process_is_waited_for_once_then_skipped(isolated_env, monkeypatch):
    from synth_magic import cache as cache_module

    plan_quietly()  # the database exists
    monkeypatch.setattr(cache_module, "_TIMEOUT", 0.5)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(isolated_env / "cache.db")],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        planned, warned = plan_quietly()
        assert planned.source == "offline" and len(warned) == 1 and "busy or read-only" in warned[0]
        assert holder.poll() is None  # done while the other process still holds its lock: it waited once
    finally:
        holder.kill()
        holder.wait()
    assert plan_quietly()[0].source in ("cache", "offline")


def _dead_pid() -> int:
    done = subprocess.Popen([sys.executable, "-c", "pass"])
    done.wait()
    return done.pid


def test_part_files_of_a_killed_run_are_removed_by_the_next_write(tmp_path):
    import socket

    host = "".join(ch if ch.isalnum() or ch == "-" else "-" for ch in socket.gethostname())
    pid = _dead_pid()
    dead = tmp_path / f".old.csv.{host}.{pid}.abcd_123.part"
    mine = tmp_path / f".other.csv.{host}.{os.getpid()}.efgh_456.part"  # a write of this process, still running
    elsewhere = tmp_path / f".big.csv.othermachine.{pid}.ijkl_789.part"  # a shared folder: not ours to judge
    theirs = tmp_path / ".notes.part"  # not named like ours: never touched
    for path in (dead, mine, elsewhere, theirs):
        path.write_text("x" * 1000)
    export.save(small_frame(), tmp_path / "new.csv")
    assert not dead.exists() and mine.exists() and elsewhere.exists() and theirs.exists()


STREAM_FOREVER = ["--rows", "200000000", "--preview", "0", "--seed", "1"]
WIDE = "columns:\n  id: uuid\n  note: sentence\n  amount: money\n"


@pytest.mark.parametrize("signame", ["SIGKILL", "SIGTERM", "SIGHUP"])
def test_a_stopped_streaming_run_leaves_no_part_file_for_long(tmp_path, signame):
    import signal
    import time

    out = tmp_path / "big.csv"
    schema = tmp_path.parent / f"{tmp_path.name}-schema.txt"
    schema.write_text(WIDE)
    run = subprocess.Popen([sys.executable, "-m", "synth_magic", "--from-schema", str(schema), *STREAM_FOREVER,
                            "-o", str(out)],
                           env={**os.environ, "PYTHONPATH": str(SRC)}, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(600):  # until the temporary file has data in it
            parts = leftovers(tmp_path)
            if parts and (tmp_path / parts[0]).stat().st_size > 1 << 20:
                break
            time.sleep(0.05)
        assert parts, "the run never started writing"
        run.send_signal(getattr(signal, signame))
        code = run.wait(timeout=60)
    finally:
        run.kill()
    if signame == "SIGKILL":  # nothing can clean up: the next write to the folder does
        assert code == -9 and leftovers(tmp_path)
        export.save(small_frame(), tmp_path / "next.csv")
    else:
        assert code == 128 + getattr(signal, signame) and "Traceback" not in run.stderr.read()
    assert leftovers(tmp_path) == [] and not out.exists()


def test_an_oversized_value_in_the_cache_database_is_refused_without_being_loaded(isolated_env):
    import tracemalloc

    import diskcache

    plan_quietly()
    key = offline_key(DESCRIPTION)
    big = '{"columns": [' + " " * (4 * MAX_ENTRY) + "]}"
    with sqlite3.connect(isolated_env / "cache.db") as con:
        con.execute("UPDATE Cache SET value = ?, mode = ?, filename = NULL WHERE key = ?",
                    (big, diskcache.core.MODE_TEXT, key))
    del big
    cache = SchemaCache(isolated_env)
    tracemalloc.start()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert cache.get(key) is None
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        cache.close()
    assert peak < MAX_ENTRY  # the 4 MiB value was never read into memory
    assert [str(w.message) for w in caught] == [
        "A schema cache entry was not plain JSON text and was ignored; planning again."]


def test_parquet_files_carry_no_planner_notes(tmp_path):
    schema = Schema.from_dict({"notes": ["Planned offline because the openai planner failed: the server at "
                                         "http://llm.internal:8000/v1 could not be reached."],
                               "columns": [{"name": "a", "type": "integer"}]})
    df = schema.generate(10, seed=1)
    assert "llm.internal" in df.attrs["synth"]["schema"]  # the frame keeps its schema
    path = export.save(df, tmp_path / "a.parquet")
    assert b"llm.internal" not in path.read_bytes()
    pd.testing.assert_frame_equal(pd.read_parquet(path), df, check_dtype=False)
