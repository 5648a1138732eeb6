"""Faker's locale data kept on disk: Arrow IPC files in the cache directory, memory-mapped.

A pool (values sampled once from Faker, a locale's names with their weights, its address
formats, Faker's list of locales) is built once per Faker version, locale and pool, and
written to ``<cache>-pools/faker-<version>-<FORMAT>/<locale>/<name>.arrow`` beside the
schema cache (``SYNTH_CACHE_DIR``, else the user cache, e.g. ``~/.cache/synth-magic-pools``);
every later process maps that file instead of building it, and so need not import Faker
at all for a locale it has seen.

A file is used only when it opens as an Arrow file, has the columns and types asked for,
the row count and checksum written in its metadata match its data, and its arrays pass
Arrow's full validation; anything else (truncated, damaged, another format) is built
again and replaced atomically (a temporary file renamed into place). A folder that cannot
be written to costs only the building; the folders made here are owner-only.

What a pool file holds is data, like a schema cache entry: strings that go into generated
values, weights, number formats checked again when read (:mod:`.generators._pools`). No
name read from a file is looked up on Faker: a pool of a template's part is built only for
a token of the locale's own Faker templates.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import threading
import zlib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ConfigError

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["FORMAT", "beside_cache", "column", "default_cache_dir", "faker_version", "folder", "load", "locales",
           "strings"]

FORMAT = "1"  # bump when what a pool holds or how it is built changes
_CHECKSUM, _ROWS = b"synth.checksum", b"synth.rows"
_lock = threading.Lock()
_loaded: dict[tuple[str, str, str], pa.Table] = {}


def default_cache_dir() -> Path:
    """The user cache directory of this platform, e.g. ``~/.cache/synth-magic``."""
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "synth-magic" / "Cache"
    if sys.platform not in ("win32", "darwin") and os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]) / "synth-magic"
    try:
        home = Path.home()
    except RuntimeError:  # no HOME and no password entry: nowhere to put a user cache
        raise ConfigError("There is no home directory for the schema cache; set SYNTH_CACHE_DIR "
                          "to a folder.") from None
    if sys.platform == "win32":
        return home / "AppData" / "Local" / "synth-magic" / "Cache"
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "synth-magic"
    return home / ".cache" / "synth-magic"


@cache
def faker_version() -> str:
    """The installed Faker's version, read from its metadata (Faker is not imported)."""
    from importlib.metadata import version

    return version("faker")


def beside_cache(suffix: str) -> Path:
    """A folder beside the schema cache (``SYNTH_CACHE_DIR``, else the user cache):
    ``<cache>-<suffix>/``. The schema cache's own folder is diskcache's, which counts any
    other file in it as damage."""
    text = os.environ.get("SYNTH_CACHE_DIR", "").strip()
    root = Path(text).expanduser() if text else default_cache_dir()
    return root.with_name(f"{root.name}-{suffix}")


def folder() -> Path:
    """This Faker version's pool folder, beside the schema cache: ``<cache>-pools/``."""
    return beside_cache("pools") / f"faker-{faker_version()}-{FORMAT}"


def load(locale: str, name: str, schema: pa.Schema, build: Callable[[], pa.Table]) -> pa.Table:
    """The pool ``name`` of ``locale`` (``""``: not one locale's), with columns ``schema``:
    mapped from its file when that is sound, else made by ``build()`` (which may import
    Faker) and written for the next process."""
    key = (str(folder()), locale, name)
    with _lock:
        found = _loaded.get(key)
    if found is not None:
        return found
    path = Path(key[0]) / (locale or "_") / f"{name}.arrow"
    try:
        table = _read(path, schema)
    except (OSError, ValueError):  # not an Arrow file, or damaged (pyarrow.ArrowInvalid is a ValueError)
        table = None
    if table is None:
        table = build().cast(schema)
        _write(path, table)
    with _lock:
        return _loaded.setdefault(key, table)


def strings(locale: str, name: str, make: Callable[[], list[str]]) -> pa.Array:
    """A pool that is one list of strings (a ``large_string`` array), made by ``make()``
    the first time."""
    import pyarrow as pa

    schema = pa.schema([("value", pa.large_string())])
    return column(load(locale, name, schema, lambda: pa.table({"value": pa.array(make(), pa.large_string())})), "value")


def column(table: pa.Table, name: str) -> pa.Array:
    """One column of a pool as one array (no copy: a pool file holds one record batch)."""
    col = table.column(name)
    return col.chunk(0) if col.num_chunks == 1 else col.combine_chunks()


_LOCALE = re.compile(r"[A-Za-z]{2,3}(_[A-Za-z0-9]{2,4})*")


@cache
def locales() -> tuple[str, ...]:
    """Faker's locales, sorted. A kept list with a name that is not a locale's shape (it
    names folders and Faker locales) is not used: Faker's own list is read instead."""
    def make() -> list[str]:
        from faker.config import AVAILABLE_LOCALES

        return sorted(AVAILABLE_LOCALES)

    kept = strings("", "locales", make).to_pylist()
    if all(_LOCALE.fullmatch(x) for x in kept):
        return tuple(kept)
    return tuple(x for x in make() if _LOCALE.fullmatch(x))


def _checksum(table: pa.Table) -> str:
    """CRC-32 of the table's own Arrow stream (no metadata): the same before and after a file."""
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    plain = table.replace_schema_metadata(None).combine_chunks()
    with pa.ipc.new_stream(sink, plain.schema) as writer:
        writer.write_table(plain)
    return f"{zlib.crc32(sink.getvalue()):08x}"


def _read(path: Path, schema: pa.Schema) -> pa.Table | None:
    import pyarrow as pa

    if not path.is_file():
        return None
    with pa.memory_map(str(path)) as source:
        table = pa.ipc.open_file(source).read_all()
    meta = table.schema.metadata or {}
    if not table.schema.remove_metadata().equals(schema) or meta.get(_ROWS) != str(table.num_rows).encode():
        return None
    table.validate(full=True)  # offsets inside their buffers before anything reads a string
    if meta.get(_CHECKSUM) != _checksum(table).encode():
        return None
    return table.replace_schema_metadata(None)


def _write(path: Path, table: pa.Table) -> None:
    import pyarrow as pa

    meta = {_ROWS: str(table.num_rows).encode(), _CHECKSUM: _checksum(table).encode()}
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        for folder_ in reversed([path.parent, *path.parent.parents]):  # the folders made here: owner-only
            if not folder_.is_dir():
                folder_.mkdir(mode=0o700, exist_ok=True)
        with pa.OSFile(str(tmp), "wb") as sink, pa.ipc.new_file(sink, table.schema.with_metadata(meta)) as writer:
            writer.write_table(table.replace_schema_metadata(meta).combine_chunks())
        os.replace(tmp, path)
    except OSError:  # a read-only or full cache: the pool is still made, just not kept
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
