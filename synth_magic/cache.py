"""The schema cache: diskcache on disk, JSON text in it, nothing else.

Key: SHA-256 of (normalised description, planner, model, planner version).
Value: the schema's JSON text. A value read back is validated like any untrusted
schema; a value that is not text (a pickle, say) is never unpickled: diskcache's
``Disk`` is subclassed so it refuses pickled entries and keys, binary blobs, entry files
outside the cache directory and entries over 1 MiB.

Trouble with the cache (unreadable, damaged, read-only, locked, full) gives a
:class:`~synth_magic.errors.SynthWarning` and the run goes on without it. Only a damaged
database ("malformed", "not a database") is moved aside and a new one started; a busy,
read-only or full one is left alone. Writes never retry forever (see ``_write``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import time
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import diskcache

from .errors import SchemaError, SynthWarning

if TYPE_CHECKING:
    from .dataset import DatasetSchema
    from .schema import Schema

__all__ = ["JSONOnlyDisk", "MAX_ENTRY", "SchemaCache", "cache_key", "normalise"]

# diskcache.Timeout: the database stayed locked for ``timeout`` seconds, or SQLite refused
# to start a write at all (read-only, I/O error). diskcache's own ``retry=True`` loops
# forever on the latter, so it is never used here: a write is tried ``_WRITE_TRIES`` times.
_PROBLEMS = (OSError, sqlite3.Error, ValueError, TypeError, EOFError, diskcache.Timeout)
_WRITE_TRIES = 2
_TIMEOUT = 10.0  # seconds SQLite waits for a lock, per statement (and once before opening)
# Every setting given explicitly: diskcache otherwise takes them from the database's own
# Settings table, so a garbled value there (cull_limit='x') would break every write.
_SETTINGS = {**diskcache.core.DEFAULT_SETTINGS, "size_limit": 256 << 20,
             "eviction_policy": "least-recently-stored"}
_BUSY = "busy or read-only"
MAX_ENTRY = 1 << 20  # a schema's JSON is a few kB; anything far bigger is not ours
_DAMAGE = ("malformed", "not a database", "corrupt", "no such table", "no such column")


def normalise(description: str) -> str:
    return " ".join(description.split()).casefold()


def cache_key(description: str, planner: str, model: str, version: str) -> str:
    payload = json.dumps([normalise(description), planner, model, version], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


class JSONOnlyDisk(diskcache.Disk):
    """A diskcache Disk that only hands back text: never unpickles, never reads or
    removes a file outside the cache directory, never reads an oversized entry."""

    def fetch(self, mode: int, filename: str | None, value: Any, read: bool) -> Any:
        if mode == diskcache.core.MODE_RAW:
            return super().fetch(mode, filename, value, read)
        if mode != diskcache.core.MODE_TEXT or read or not self._inside(filename):
            raise _Refused  # pickles, binary blobs, paths leading out of the cache
        try:
            size = os.path.getsize(os.path.join(self._directory, filename))
        except OSError:
            return None  # deleted meanwhile by another process: a miss
        if size > MAX_ENTRY:
            raise _Refused
        return super().fetch(mode, filename, value, read)

    def remove(self, file_path: str) -> None:
        if self._inside(file_path):
            super().remove(file_path)

    def get(self, key: Any, raw: bool) -> Any:  # a key read back (listing): never unpickled
        return super().get(key, raw) if raw else None

    def put(self, key: Any) -> Any:  # keys are hex strings: stored raw, never pickled
        if not isinstance(key, str):
            raise TypeError("cache keys are strings")
        return super().put(key)

    @staticmethod
    def _inside(filename: Any) -> bool:
        """A relative path below the cache directory (diskcache writes ``ab/cd/<hex>.val``)."""
        if not isinstance(filename, str) or not filename or os.path.isabs(filename):
            return False
        parts = Path(filename).parts
        return ".." not in parts and not Path(filename).drive


class _Refused(Exception):
    """A cache entry that is not plain text."""


def _warn(message: str) -> None:
    warnings.warn(message, SynthWarning, stacklevel=4)


class SchemaCache:
    """Planned schemas on disk, keyed by description, planner, model and version."""

    def __init__(self, directory: str | os.PathLike[str]):
        self.directory = Path(directory)
        self._cache: Any = None
        self._broken = False
        self._recreated = False

    def _open(self) -> Any:
        if self._cache is not None or self._broken:
            return self._cache
        try:
            _make_private_folder(self.directory)
            _wait_for_lock(self.directory / "cache.db")
            self._cache = diskcache.Cache(str(self.directory), disk=JSONOnlyDisk, timeout=_TIMEOUT, **_SETTINGS)
        except _PROBLEMS as exc:
            if _damaged(exc):
                if self._move_aside(exc):
                    return self._open()
                return None
            self._broken = True
            _warn(f"The schema cache at {self.directory} cannot be used ({_reason(exc)}); running without it.")
        return self._cache

    def _move_aside(self, exc: Exception) -> bool:
        """Rename a damaged cache database and let a fresh one be created."""
        db = self.directory / "cache.db"
        if self._recreated or not db.exists():
            self._broken = True
            _warn(f"The schema cache at {self.directory} cannot be used ({_reason(exc)}); running without it.")
            return False
        aside = db.with_name(f"cache.db.damaged-{int(time.time())}-{os.getpid()}")
        try:
            os.replace(db, aside)
            for extra in ("cache.db-wal", "cache.db-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.remove(self.directory / extra)
        except OSError:
            self._broken = True
            _warn(f"The schema cache at {self.directory} is damaged and cannot be moved aside; running without it.")
            return False
        _warn(f"The schema cache at {self.directory} was damaged; moved it to {aside.name} and started a new one.")
        self._recreated = True  # one fresh start per process, never a loop
        return True

    def get(self, key: str) -> Schema | DatasetSchema | None:
        from .dataset import schema_from_json

        cache = self._open()
        if cache is None:
            return None
        try:
            if self._stored_size(key) > MAX_ENTRY:  # measured in the database, never loaded
                raise _Refused
            text = cache.get(key, default=None, retry=False)
        except _Refused:
            _warn("A schema cache entry was not plain JSON text and was ignored; planning again.")
            self._discard(key)
            return None
        except _PROBLEMS as exc:
            self._trouble(exc, f"Could not read the schema cache ({_reason(exc)}); planning again.")
            return None
        if text is None:
            return None
        if not isinstance(text, str) or len(text) > MAX_ENTRY:
            _warn("A schema cache entry was not JSON text and was ignored; planning again.")
            self._discard(key)
            return None
        try:
            return schema_from_json(text)
        except SchemaError as exc:
            _warn(f"A schema cache entry was invalid ({exc}) and was ignored; planning again.")
            self._discard(key)
            return None

    def _stored_size(self, key: str) -> int:
        """Bytes of the value stored in the database row for ``key`` (0: none, or in a file)."""
        db = self.directory / "cache.db"
        with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=_TIMEOUT)) as con:
            row = con.execute("SELECT length(CAST(value AS BLOB)) FROM Cache WHERE key = ? AND raw = 1",
                              (key,)).fetchone()
        return int(row[0] or 0) if row else 0

    def set(self, key: str, schema: Schema | DatasetSchema) -> None:
        cache = self._open()
        if cache is None:
            return
        try:
            _write(lambda: cache.set(key, schema.to_json(), retry=False))
        except _PROBLEMS as exc:
            self._trouble(exc, f"Could not write to the schema cache ({_reason(exc)}); the schema was not cached.")

    def _trouble(self, exc: BaseException, message: str) -> None:
        """A damaged database is closed and moved aside (the next use starts afresh); other
        trouble (locked, full, read-only) is only reported."""
        if _damaged(exc) and self._cache is not None:
            self.close()
            self._move_aside(exc)
        else:
            _warn(message)

    def _discard(self, key: str) -> None:
        if self._cache is not None:
            with contextlib.suppress(*_PROBLEMS, _Refused):
                _write(lambda: self._cache.delete(key, retry=False))

    def keys(self) -> list[str]:
        cache = self._open()
        if cache is None:
            return []
        try:
            return [k for k in cache.iterkeys() if isinstance(k, str)]
        except _PROBLEMS:
            return []

    def entries(self) -> list[Schema | DatasetSchema]:
        """Every valid cached schema (for `%synth_cache list`)."""
        found = []
        for key in self.keys():
            schema = self.get(key)
            if schema is not None:
                found.append(schema)
        return found

    def clear(self) -> int:
        cache = self._open()
        if cache is None:
            return 0
        try:
            return int(_write(lambda: cache.clear(retry=False)))
        except _PROBLEMS as exc:
            _warn(f"Could not clear the schema cache ({_reason(exc)}).")
            return 0

    def info(self) -> dict[str, Any]:
        cache = self._open()
        count = len(self.keys()) if cache is not None else 0
        size = 0
        with contextlib.suppress(*_PROBLEMS):
            size = int(cache.volume()) if cache is not None else 0
        return {"directory": str(self.directory), "entries": count, "bytes": size,
                "usable": cache is not None}

    def close(self) -> None:
        if self._cache is not None:
            with contextlib.suppress(*_PROBLEMS):
                self._cache.close()
            self._cache = None


def _make_private_folder(folder: Path) -> None:
    """Create ``folder`` owner-only; a folder that exists (made by another process meanwhile,
    or one the user chose, such as /tmp) keeps its permissions."""
    if folder.is_dir():
        return
    folder.parent.mkdir(parents=True, exist_ok=True)
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        return
    with contextlib.suppress(OSError):
        os.chmod(folder, 0o700)  # the umask may have taken bits from mkdir's mode


def _wait_for_lock(db: Path) -> None:
    """Wait at most ``_TIMEOUT`` for a write lock another process holds on the database.

    Opening a cache runs several writing statements, and SQLite waits for the lock once per
    statement: with another process holding it, that is a minute. Taking the write lock once
    first, with the same timeout, makes a busy cache give up after one wait (a
    diskcache.Timeout, "busy or read-only"). Any other trouble is left to diskcache to meet.
    """
    if not db.exists():
        return
    try:
        with contextlib.closing(sqlite3.connect(db, timeout=_TIMEOUT, isolation_level=None)) as con:
            con.execute("BEGIN IMMEDIATE")
            con.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc).lower() or "busy" in str(exc).lower():
            raise diskcache.Timeout from None


def _write(action: Any) -> Any:
    """Run one cache write, trying again once if the database was busy."""
    for attempt in range(_WRITE_TRIES):
        try:
            return action()
        except diskcache.Timeout:
            if attempt == _WRITE_TRIES - 1:
                raise
            time.sleep(0.05)
    return None


def _damaged(exc: BaseException) -> bool:
    """True for errors that mean the database file itself is broken (not busy, full or read-only)."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    text = str(exc).lower()
    return type(exc) is sqlite3.DatabaseError or any(word in text for word in _DAMAGE)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, diskcache.Timeout):
        return f"the database is {_BUSY}"
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:120]
