"""Writing frames to CSV or Parquet, atomically and spreadsheet-safe.

Everything is written to a temporary file beside the target and renamed over it only
when complete, so an error or Ctrl-C mid-write never leaves half a file and never
clobbers an existing one with half a frame.

CSV files are opened by spreadsheets, which run any cell that looks like a formula.
Text that came from a description or a model (category values, column names, free
text) is therefore *neutralised* in CSV output: a value or header starting with ``=``,
``@``, a tab, a carriage return, or ``+``/``-`` followed by something that is not a
number gets a leading ``'``. Phone numbers such as ``+1-555-0100`` and numbers such as
``-12.5`` are left exactly as they are. It is on by default; turn it off with
``neutralise_formulas=False``, ``SYNTH_CSV_SAFETY=off`` or ``synth --no-csv-safety``.
Parquet files hold typed data, not formulas, and are written unchanged.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import stat
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ._inputs import check_path
from .errors import ExportError

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa

__all__ = [
    "CSV_SAFETY_ENV", "DATABASES", "ENCODINGS", "FORMATS", "csv_safety_default", "encode", "neutralise",
    "neutralise_name", "process_alive", "save", "save_dataset", "save_frames", "suggest_name", "suggest_path",
    "tables_target", "target", "to_arrow",
]

FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
DATABASES = {".sqlite": "sqlite", ".sqlite3": "sqlite", ".db": "sqlite", ".duckdb": "duckdb"}  # several tables
ENCODINGS = ("csv", "parquet", "jsonl")  # what :func:`encode` streams (files: FORMATS)
CSV_SAFETY_ENV = "SYNTH_CSV_SAFETY"
_OFF = ("0", "off", "false", "no")

# A cell a spreadsheet would read as a formula (RE2 syntax: pyarrow.compute).
_FIRST = ["=", "@", "+", "-", "\t", "\r"]
_FORMULA_START = r"^[=@\t\r]"
_SIGNED = r"^[+-]."
# ... unless a sign is followed by a number or a phone number: -12.5, 1e-3, +1-555-0100x42, +49 (0) 30 1234.
_SIGNED_NUMBER = (r"^[+-](?:[0-9][0-9 ()./\-]*(?:\s*(?:x|ext\.?)\s*[0-9]+)?"
                  r"|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)$")


def suggest_name(description: str, suffix: str = ".csv") -> str:
    """A file name from the first words of the description: ``finance_transactions.csv``."""
    words = re.findall(r"[a-z0-9]+", description.lower())[:5]
    return ("_".join(words)[:60].strip("_") or "synth") + suffix


def suggest_path(description: str, suffix: str = ".csv", directory: str | os.PathLike[str] = ".") -> Path:
    """A file name from the first words of the description that does not exist yet."""
    folder = Path(directory)
    stem = suggest_name(description, "")
    path = folder / f"{stem}{suffix}"
    n = 1
    while path.exists():
        path = folder / f"{stem}_{n}{suffix}"
        n += 1
    return path


def target(path: str | os.PathLike[str]) -> tuple[Path, str]:
    """Check a save path up front: a usable name, known suffix, existing folder."""
    p = check_path(path, "file to save", ExportError)
    fmt = FORMATS.get(p.suffix.lower())
    if fmt is None:
        raise ExportError(f"Cannot save to '{p.name}': use a name ending in .csv or .parquet.")
    if not p.parent.exists():
        raise ExportError(f"Cannot save to '{p}': the folder '{p.parent}' does not exist.")
    if p.is_dir():
        raise ExportError(f"Cannot save to '{p}': it is a folder; give a file name ending in .csv or .parquet.")
    return p, fmt


def csv_safety_default() -> bool:
    """Whether CSV output is neutralised when the caller does not say: ``SYNTH_CSV_SAFETY``."""
    return os.environ.get(CSV_SAFETY_ENV, "").strip().lower() not in _OFF


def neutralise(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Text values a spreadsheet would run as formulas, prefixed with ``'``; others as they are.

    Vectorised: the values' first bytes are read from the Arrow buffers (most columns have
    no candidate and are done), then two regular-expression matches and an ``if_else``
    with :mod:`pyarrow.compute`.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if not _may_start_a_formula(values):
        return values
    danger = pc.or_(
        pc.match_substring_regex(values, _FORMULA_START),
        pc.and_(pc.match_substring_regex(values, _SIGNED),
                pc.invert(pc.match_substring_regex(values, _SIGNED_NUMBER))),
    )
    if not pc.any(danger).as_py():
        return values
    quoted = pc.binary_join_element_wise(pa.scalar("'", values.type), values, pa.scalar("", values.type))
    return pc.if_else(pc.fill_null(danger, False), quoted, values)


def _may_start_a_formula(values: pa.Array | pa.ChunkedArray) -> bool:
    """Whether some value's first byte is one of :data:`_FIRST` (a multi-byte character's
    first byte never is). Read straight from the offsets and data buffers; a missing value
    is counted as it is stored, which may only send a column on to the exact check."""
    import numpy as np
    import pyarrow as pa

    for chunk in values.chunks if isinstance(values, pa.ChunkedArray) else (values,):
        if not len(chunk):
            continue
        _, offsets, data = chunk.buffers()
        wide = pa.types.is_large_string(chunk.type)
        at = np.frombuffer(offsets, dtype=np.int64 if wide else np.int32, count=len(chunk) + 1,
                           offset=chunk.offset * (8 if wide else 4))
        starts = at[:-1][at[1:] > at[:-1]]
        if starts.size and data is not None and _first_bytes()[np.frombuffer(data, dtype=np.uint8)[starts]].any():
            return True
    return False


@functools.cache
def _first_bytes() -> np.ndarray:
    """Byte value → whether a value starting with it may be a formula (see :data:`_FIRST`)."""
    import numpy as np

    table = np.zeros(256, dtype=bool)
    table[[ord(c) for c in _FIRST]] = True
    return table


@functools.lru_cache(maxsize=4096)  # the same headers again for every part of a stream
def neutralise_name(name: str) -> str:
    """One column name, neutralised like a value."""
    import pyarrow as pa

    return neutralise(pa.array([name], pa.string()))[0].as_py()


def to_arrow(df: pd.DataFrame | pa.Table, csv: bool, neutralise_formulas: bool = True) -> pa.Table:
    """The frame as an Arrow table; for CSV, midnight-only datetimes become dates, category
    columns their text and (with ``neutralise_formulas``) text and headers cannot run as
    spreadsheet formulas. For CSV, ``df`` may also be a pyarrow Table of what ``pa.array``
    makes of a frame's columns (``frames(..., arrow=True)``): the same bytes, without pandas."""
    import pyarrow as pa

    given = isinstance(df, pa.Table)
    if given and not csv:
        raise TypeError("only CSV is encoded from an Arrow table; Parquet keeps the frame's pandas metadata")
    if not csv:
        # one thread: pyarrow's pool costs more to start than it saves, even at a million rows
        table = pa.Table.from_pandas(df, preserve_index=False, nthreads=1)
        return table.replace_schema_metadata(_without_attributes(table.schema.metadata))
    # CSV keeps no pandas metadata: each column converted on its own (what from_pandas does
    # per column, without its schema bookkeeping), text neutralised once per distinct category
    names, columns = [], []
    for name, values in zip(df.column_names, df.columns, strict=True) if given else df.items():
        column = values if given else pa.array(values)
        if pa.types.is_dictionary(column.type):
            if isinstance(column, pa.ChunkedArray):
                column = column.combine_chunks()
            dictionary = neutralise(column.dictionary) if neutralise_formulas else column.dictionary
            column = dictionary.take(column.indices)
        elif pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            column = neutralise(column) if neutralise_formulas else column
        elif pa.types.is_timestamp(column.type):
            column = _as_dates(values) or column
        names.append(neutralise_name(str(name)) if neutralise_formulas else str(name))
        columns.append(column)
    return pa.Table.from_arrays(columns, names=names)


def _without_attributes(metadata: dict[bytes, bytes] | None) -> dict[bytes, bytes] | None:
    """pandas' metadata without ``df.attrs``: the schema and its notes (which may name a
    planner's server) stay in the frame, not in the file."""
    import json

    if not metadata or b"pandas" not in metadata:
        return metadata
    pandas_meta = json.loads(metadata[b"pandas"])
    pandas_meta.pop("attributes", None)
    return {**metadata, b"pandas": json.dumps(pandas_meta).encode()}


def _as_dates(values: pd.Series | pa.ChunkedArray) -> pa.Array | None:
    """A datetime column whose every value is a midnight, as Arrow dates; else None."""
    import numpy as np
    import pyarrow as pa

    if isinstance(values, pa.ChunkedArray) and (values.type.unit != "s" or values.type.tz is not None):
        values = values.to_pandas()
    held = values.to_numpy()
    if held.dtype != np.dtype("datetime64[s]"):
        return pa.array(values).cast(pa.date32()) if _midnights(values)[0] else None
    seconds, missing = held.view(np.int64), np.isnat(held)
    if (seconds[~missing] % 86400).any():
        return None
    return pa.array((seconds // 86400).astype(np.int32), pa.date32(), mask=missing if missing.any() else None)


def _midnights(values: pd.Series) -> tuple[bool, np.ndarray]:
    """Whether every value of a datetime column is a midnight (a date), and its values in seconds."""
    import numpy as np

    seconds = values.to_numpy(dtype="datetime64[s]", na_value=np.datetime64("NaT"))
    ints = seconds.astype(np.int64)
    return not (ints[~np.isnat(seconds)] % 86400).any(), seconds


def save(df: pd.DataFrame, path: str | os.PathLike[str], *, neutralise_formulas: bool | None = None,
         overwrite: bool = True) -> Path:
    """Write ``df`` to ``path`` (.csv or .parquet) atomically; return the path.

    ``neutralise_formulas`` (CSV only; default on, or ``SYNTH_CSV_SAFETY``) prefixes text
    a spreadsheet would run as a formula with ``'``. With ``overwrite=False`` an existing
    file (even one that appears while writing) is never replaced: :class:`ExportError`.
    """
    return save_frames([df], path, neutralise_formulas=neutralise_formulas, overwrite=overwrite)


def save_frames(frames: Iterable[pd.DataFrame], path: str | os.PathLike[str], *,
                neutralise_formulas: bool | None = None, overwrite: bool = True) -> Path:
    """Write a stream of frames with the same columns to one file, atomically."""
    p, fmt = target(path)
    if not overwrite and p.exists():
        raise ExportError(f"'{p}' already exists; nothing was overwritten. Choose another name.")
    with _atomic(p, overwrite) as tmp, open(tmp, "wb") as fh:
        for data in encode(frames, fmt, neutralise_formulas=neutralise_formulas):
            fh.write(data)
    return p


# Our temporary files are ".<name>.<host>.<pid>.<random>.part": a file of this machine whose
# process is gone (it was killed before it could clean up) is removed by the next write to
# that folder. Another machine's (a shared file system) is never judged from here.
_PART = re.compile(r"^\..+\.([A-Za-z0-9-]+)\.(\d+)\.[a-z0-9_]{8}\.part$")


@functools.cache
def _host() -> str:
    import socket

    return re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())[:63] or "host"


def _remove_stale_parts(folder: Path) -> None:
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            m = _PART.match(entry.name)
            if m and m.group(1) == _host() and entry.is_file(follow_symlinks=False) \
                    and not process_alive(int(m.group(2))):
                _remove(entry.path)


def process_alive(pid: int) -> bool:
    """Whether ``pid`` is a running process of this machine (another user's counts; 0 or
    below is none): a stale temporary file's writer, a ``synth serve`` worker's slot."""
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # another user's process, or not ours to judge
    return True


def encode(frames: Iterable[pd.DataFrame], fmt: str, *,
           neutralise_formulas: bool | None = None) -> Iterator[bytes]:
    """A stream of frames with the same columns as the bytes of one file, a piece per frame.

    ``fmt`` is one of :data:`ENCODINGS`: ``csv`` (as :func:`save` writes it, header once),
    ``parquet`` (a row group per frame, the footer last) or ``jsonl`` (one JSON object a
    line; dates as ``2024-03-01``, timestamps as ``2024-03-01T12:00:00``, missing values as
    null). Nothing is buffered beyond the current frame.
    """
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    if fmt not in ENCODINGS:
        raise ValueError(f"unknown encoding {fmt!r}")
    if fmt == "jsonl":
        yield from (_jsonl(df) for df in frames)
        return
    safe = csv_safety_default() if neutralise_formulas is None else bool(neutralise_formulas)
    sink, writer = _Sink(), None
    try:
        for df in frames:
            table = to_arrow(df, csv=fmt == "csv", neutralise_formulas=safe)
            if writer is None:
                writer = (pcsv.CSVWriter(sink, table.schema) if fmt == "csv"
                          else pq.ParquetWriter(sink, table.schema, compression="zstd"))
            writer.write_table(table)
            yield sink.take()
    finally:
        if writer is not None:
            writer.close()
    yield sink.take()


class _Sink:
    """A file-like object that pyarrow writers write to and :meth:`take` empties."""

    closed = False

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self._position = 0

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        self._position += len(data)
        return len(data)

    def tell(self) -> int:  # Parquet's footer records offsets: the position never goes back
        return self._position

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def _jsonl(df: pd.DataFrame) -> bytes:
    import numpy as np
    import pandas as pd

    columns = {}
    for name in df.columns:
        values = df[name]
        if pd.api.types.is_datetime64_any_dtype(values.dtype):
            dates, seconds = _midnights(values)
            text = np.datetime_as_string(seconds, unit="D" if dates else "s").astype(object)
            text[np.isnat(seconds)] = None
            columns[name] = text
        elif pd.api.types.is_string_dtype(values.dtype) and not isinstance(values.dtype, pd.CategoricalDtype):
            columns[name] = values.to_numpy(dtype=object, na_value=None)  # faster to encode than Arrow text
        else:
            columns[name] = values
    out = pd.DataFrame(columns, index=df.index).to_json(orient="records", lines=True, force_ascii=False)
    return (out if out.endswith("\n") or not out else out + "\n").encode()


@contextlib.contextmanager
def _atomic(path: Path, overwrite: bool = True) -> Iterator[str]:
    _remove_stale_parts(path.parent)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{_host()}.{os.getpid()}.", suffix=".part")
    except OSError as exc:
        raise ExportError(f"Cannot write to '{path.parent}': {exc.strerror or exc}.") from None
    os.close(fd)
    try:
        yield tmp
        _match_mode(tmp, path)
        if overwrite:
            os.replace(tmp, path)
        else:
            _publish_new(tmp, path)
    except FileExistsError:
        _remove(tmp)
        raise ExportError(f"'{path}' appeared while writing; nothing was overwritten. Choose another name.") from None
    except OSError as exc:
        _remove(tmp)
        raise ExportError(f"Could not write '{path}': {exc.strerror or exc}.") from None
    except BaseException:
        _remove(tmp)
        raise


def _publish_new(tmp: str, path: Path) -> None:
    """Move ``tmp`` to ``path`` only if ``path`` does not exist (a hard link fails if it does)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError:  # no hard links here (some network or FAT file systems): check, then rename
        if path.exists():
            raise FileExistsError(path) from None
        os.replace(tmp, path)
        return
    _remove(tmp)


def _match_mode(tmp: str, path: Path) -> None:
    """Give the finished file the permissions a plain ``open(path, "w")`` would: those of the
    file it replaces, else 0666 less the umask (mkstemp makes it owner-only)."""
    try:  # never setuid, setgid or sticky, even when the file replaced was (or a link led to one)
        mode = stat.S_IMODE(os.stat(path).st_mode) & 0o777
    except OSError:
        mode = 0o666 & ~_umask()
    with contextlib.suppress(OSError):
        os.chmod(tmp, mode)


def _umask() -> int:
    try:  # Linux: read it without changing it
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _remove(tmp: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.remove(tmp)


# ------------------------------------------------------------------ several tables

def tables_target(path: str | os.PathLike[str]) -> tuple[Path, str] | None:
    """Where several tables go, checked up front: a database file (``.sqlite``, ``.db``,
    ``.duckdb``) or a folder (a name without a suffix, ending in ``/``, or an existing
    folder; its files CSV, or Parquet for ``name.parquet/``); None for a one-table file."""
    text = os.fspath(path) if isinstance(path, str | os.PathLike) else path
    p = check_path(path, "place to save the tables", ExportError)
    fmt = DATABASES.get(p.suffix.lower())
    folder = fmt is None and (str(text).endswith(("/", os.sep)) or p.is_dir() or not p.suffix)
    if fmt is None and not folder:
        return None
    if not p.parent.exists():
        raise ExportError(f"Cannot save to '{p}': the folder '{p.parent}' does not exist.")
    if fmt is not None and p.is_dir():
        raise ExportError(f"Cannot save to '{p}': it is a folder; give a database file name such as shop.sqlite.")
    if folder and p.exists() and not p.is_dir():
        raise ExportError(f"Cannot save the tables to '{p}': it is a file; give a folder name such as shop/.")
    return p, fmt or ("parquet-folder" if FORMATS.get(p.suffix.lower()) == "parquet" else "csv-folder")


def save_dataset(tables: Mapping[str, pd.DataFrame], path: str | os.PathLike[str], *,
                 primary_keys: Mapping[str, str | None] | None = None,
                 foreign_keys: Mapping[str, Iterable[tuple[str, str, str]]] | None = None,
                 neutralise_formulas: bool | None = None, overwrite: bool = True) -> Path:
    """Write related tables (parents first) to a folder with one file per table, a SQLite
    database or a DuckDB database, atomically; return the path.

    In a database every table declares its ``PRIMARY KEY`` (``primary_keys``: table →
    column) and ``FOREIGN KEY`` constraints (``foreign_keys``: table → (column, parent,
    parent's column)); a :class:`~synth_magic.dataset.Dataset` carries both and is used
    when they are not given. The database is written to a temporary file beside it and
    renamed when complete; a new folder is filled under a temporary name and renamed, and
    each file of an existing folder is replaced atomically.
    """
    found = tables_target(path)
    if found is None:
        raise ExportError(f"Cannot save several tables to '{Path(os.fspath(path)).name}': use a folder (shop/), "
                          "a SQLite database (shop.sqlite) or a DuckDB database (shop.duckdb).")
    p, fmt = found
    primary = dict(primary_keys if primary_keys is not None else getattr(tables, "primary_keys", {}))
    foreign = dict(foreign_keys if foreign_keys is not None else getattr(tables, "foreign_keys", {}))
    if fmt.endswith("-folder"):
        return _save_folder(tables, p, ".parquet" if fmt.startswith("parquet") else ".csv", neutralise_formulas, overwrite)
    if not overwrite and p.exists():
        raise ExportError(f"'{p}' already exists; nothing was overwritten. Choose another name.")
    writer = _write_sqlite if fmt == "sqlite" else _write_duckdb
    with _atomic(p, overwrite) as tmp:
        writer(tables, tmp, primary, foreign)
    return p


def _save_folder(tables: Mapping[str, pd.DataFrame], folder: Path, suffix: str,
                 neutralise_formulas: bool | None, overwrite: bool) -> Path:
    if folder.exists():
        if not overwrite and any((folder / f"{name}{suffix}").exists() for name in tables):
            raise ExportError(f"'{folder}' already holds these tables; nothing was overwritten. Choose another folder.")
        for name, df in tables.items():
            save(df, folder / f"{name}{suffix}", neutralise_formulas=neutralise_formulas)
        return folder
    _remove_stale_parts(folder.parent)
    tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.{_host()}.{os.getpid()}.", suffix=".part"))
    try:
        for name, df in tables.items():
            save(df, tmp / f"{name}{suffix}", neutralise_formulas=neutralise_formulas)
        os.chmod(tmp, 0o777 & ~_umask())
        os.rename(tmp, folder)
    except OSError as exc:
        raise ExportError(f"Could not write '{folder}': {exc.strerror or exc}.") from None
    finally:
        if tmp.exists():
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
    return folder


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sql_columns(df: pd.DataFrame) -> list[tuple[str, str, list]]:
    """(name, SQL type, values as Python objects with None for missing) per column."""
    import numpy as np
    import pandas as pd

    out = []
    for name in df.columns:
        values = df[name]
        missing = values.isna().to_numpy()
        if pd.api.types.is_datetime64_any_dtype(values.dtype):
            dates, seconds = _midnights(values)
            text = np.datetime_as_string(seconds, unit="D" if dates else "s").astype(object)
            text[missing] = None
            out.append((name, "TEXT", text.tolist()))
            continue
        if pd.api.types.is_bool_dtype(values.dtype) or pd.api.types.is_integer_dtype(values.dtype):
            kind = "INTEGER"
        elif pd.api.types.is_float_dtype(values.dtype):
            kind = "REAL"
        else:
            kind = "TEXT"
        data = values.to_numpy(dtype=object)
        if missing.any():
            data[missing] = None
        out.append((name, kind, data.tolist()))
    return out


def _table_sql(name: str, columns: list[tuple[str, str, list]], key: str | None,
               refs: Iterable[tuple[str, str, str]]) -> str:
    parts = [f"{_quote(c)} {kind}" + (" NOT NULL" if c == key else "") for c, kind, _ in columns]
    if key:
        parts.append(f"PRIMARY KEY ({_quote(key)})")
    parts += [f"FOREIGN KEY ({_quote(c)}) REFERENCES {_quote(parent)} ({_quote(pk)})" for c, parent, pk in refs]
    return f"CREATE TABLE {_quote(name)} ({', '.join(parts)})"


def _write_sqlite(tables: Mapping[str, pd.DataFrame], tmp: str, primary: dict, foreign: dict) -> None:
    import sqlite3

    con = sqlite3.connect(tmp)
    try:
        for name, df in tables.items():
            columns = _sql_columns(df)
            con.execute(_table_sql(name, columns, primary.get(name), foreign.get(name, ())))
            marks = ", ".join("?" * len(columns))
            con.executemany(f"INSERT INTO {_quote(name)} VALUES ({marks})", zip(*(v for _, _, v in columns), strict=True))
        con.commit()
    except sqlite3.Error as exc:
        raise ExportError(f"Could not write the SQLite database: {exc}.") from None
    finally:
        con.close()


def _write_duckdb(tables: Mapping[str, pd.DataFrame], tmp: str, primary: dict, foreign: dict) -> None:
    try:
        import duckdb
    except ImportError:
        raise ExportError("Saving to .duckdb needs the duckdb package: pip install duckdb "
                          "(or save to .sqlite or a folder).") from None
    _remove(tmp)  # DuckDB makes its own file; an empty one is not a database to it
    con = duckdb.connect(tmp)
    try:
        for name, df in tables.items():
            columns = _sql_columns(df.head(0))
            types = {c: ("VARCHAR" if kind == "TEXT" else "BIGINT" if kind == "INTEGER" else "DOUBLE")
                     for c, kind, _ in columns}
            sql = _table_sql(name, [(c, types[c], v) for c, _, v in columns], primary.get(name), foreign.get(name, ()))
            con.execute(sql)
            con.register("frame_in", _plain_frame(df))
            con.execute(f"INSERT INTO {_quote(name)} SELECT * FROM frame_in")
            con.unregister("frame_in")
    finally:
        con.close()


def _plain_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Dates and datetimes as text, categories as text: what :func:`_sql_columns` declares."""
    import pandas as pd

    return pd.DataFrame({name: values for name, _, values in _sql_columns(df)}, columns=list(df.columns))
