"""The schema cache: diskcache on disk, JSON text in it, nothing else.

Key: SHA-256 of (normalised description, planner, model, planner version).
Value: the schema's JSON text. A value read back is validated like any untrusted
schema; a value that is not text (a pickle, say) is never unpickled: diskcache's
``Disk`` is subclassed so it refuses to load pickled entries at all.

Trouble with the cache (unreadable, damaged, read-only, full) gives a
:class:`~synth_magic.errors.SynthWarning` and the run goes on without it; a damaged
database is moved aside and a new one started.
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

from .errors import SchemaError, SynthWarning

if TYPE_CHECKING:
    from .schema import Schema

_PROBLEMS = (OSError, sqlite3.Error, ValueError, TypeError, EOFError)


def normalise(description: str) -> str:
    return " ".join(description.split()).casefold()


def cache_key(description: str, planner: str, model: str, version: str) -> str:
    payload = json.dumps([normalise(description), planner, model, version], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def _json_only_disk() -> type:
    import diskcache

    class JSONOnlyDisk(diskcache.Disk):
        """A diskcache Disk that never unpickles: pickled entries read as missing."""

        def fetch(self, mode: int, filename: str | None, value: Any, read: bool) -> Any:
            if mode == diskcache.core.MODE_PICKLE:
                raise _Refused
            return super().fetch(mode, filename, value, read)

        def put(self, key: Any) -> Any:  # keys are hex strings: stored raw, never pickled
            if not isinstance(key, str):
                raise TypeError("cache keys are strings")
            return super().put(key)

    return JSONOnlyDisk


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
        import diskcache

        try:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            with contextlib.suppress(OSError):
                os.chmod(self.directory, 0o700)
            self._cache = diskcache.Cache(str(self.directory), disk=_json_only_disk(), timeout=10,
                                          size_limit=256 << 20, eviction_policy="least-recently-stored")
        except sqlite3.DatabaseError as exc:
            if self._move_aside(exc):
                return self._open()
        except _PROBLEMS as exc:
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
        aside = db.with_name(f"cache.db.damaged-{int(time.time())}")
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

    def get(self, key: str) -> Schema | None:
        from .schema import Schema

        cache = self._open()
        if cache is None:
            return None
        try:
            text = cache.get(key, default=None, retry=True)
        except _Refused:
            _warn("A schema cache entry was not plain JSON text and was ignored; planning again.")
            self._discard(key)
            return None
        except _PROBLEMS as exc:
            _warn(f"Could not read the schema cache ({_reason(exc)}); planning again.")
            return None
        if text is None:
            return None
        if not isinstance(text, str):
            _warn("A schema cache entry was not JSON text and was ignored; planning again.")
            self._discard(key)
            return None
        try:
            return Schema.from_json(text)
        except SchemaError as exc:
            _warn(f"A schema cache entry was invalid ({exc}) and was ignored; planning again.")
            self._discard(key)
            return None

    def set(self, key: str, schema: Schema) -> None:
        cache = self._open()
        if cache is None:
            return
        try:
            cache.set(key, schema.to_json(), retry=True)
        except _PROBLEMS as exc:
            _warn(f"Could not write to the schema cache ({_reason(exc)}); the schema was not cached.")

    def _discard(self, key: str) -> None:
        with contextlib.suppress(*_PROBLEMS, _Refused):
            self._cache.delete(key, retry=True)

    def keys(self) -> list[str]:
        cache = self._open()
        if cache is None:
            return []
        try:
            return [k for k in cache.iterkeys() if isinstance(k, str)]
        except _PROBLEMS:
            return []

    def entries(self) -> list[Schema]:
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
            return int(cache.clear(retry=True))
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


def _reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:120]
