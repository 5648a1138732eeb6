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
import os
import re
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ._inputs import check_path
from .errors import ExportError

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = [
    "CSV_SAFETY_ENV", "FORMATS", "csv_safety_default", "neutralise", "neutralise_name", "save",
    "save_frames", "suggest_path", "target", "to_arrow",
]

FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
CSV_SAFETY_ENV = "SYNTH_CSV_SAFETY"
_OFF = ("0", "off", "false", "no")

# A cell a spreadsheet would read as a formula (RE2 syntax: pyarrow.compute).
_FIRST = ["=", "@", "+", "-", "\t", "\r"]
_FORMULA_START = r"^[=@\t\r]"
_SIGNED = r"^[+-]."
# ... unless a sign is followed by a number or a phone number: -12.5, 1e-3, +1-555-0100x42, +49 (0) 30 1234.
_SIGNED_NUMBER = (r"^[+-](?:[0-9][0-9 ()./\-]*(?:\s*(?:x|ext\.?)\s*[0-9]+)?"
                  r"|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)$")


def suggest_path(description: str, suffix: str = ".csv", directory: str | os.PathLike[str] = ".") -> Path:
    """A file name from the first words of the description that does not exist yet."""
    words = re.findall(r"[a-z0-9]+", description.lower())[:5]
    stem = "_".join(words)[:60].strip("_") or "synth"
    folder = Path(directory)
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

    Vectorised with :mod:`pyarrow.compute`: two regular-expression matches and an ``if_else``.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    first = pc.utf8_slice_codeunits(values, 0, 1)  # cheap first pass: most columns have no candidate
    if not pc.any(pc.is_in(first, value_set=pa.array(_FIRST, pa.string()))).as_py():
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


def neutralise_name(name: str) -> str:
    """One column name, neutralised like a value."""
    import pyarrow as pa

    return neutralise(pa.array([name], pa.string()))[0].as_py()


def to_arrow(df: pd.DataFrame, csv: bool, neutralise_formulas: bool = True) -> pa.Table:
    """The frame as an Arrow table; for CSV, midnight-only datetimes become dates and
    (with ``neutralise_formulas``) text and headers cannot run as spreadsheet formulas."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    table = pa.Table.from_pandas(df, preserve_index=False)
    table = table.replace_schema_metadata(_without_attributes(table.schema.metadata))
    if not csv:
        return table
    safe = csv and neutralise_formulas
    for i, field in enumerate(table.schema):
        column = table.column(i)
        name = neutralise_name(field.name) if safe else field.name
        if pa.types.is_dictionary(field.type):
            column = column.cast(pa.string())
            table = table.set_column(i, name, neutralise(column) if safe else column)
        elif pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            table = table.set_column(i, name, neutralise(column) if safe else column)
        elif pa.types.is_timestamp(field.type):
            values = df.iloc[:, i]
            ints = values.to_numpy(dtype="datetime64[s]", na_value=np.datetime64("NaT")).astype(np.int64)
            valid = ~pd.isna(values).to_numpy()
            table = table.set_column(i, name, column.cast(pa.date32()) if not (ints[valid] % 86400).any() else column)
        elif name != field.name:
            table = table.set_column(i, name, column)
    return table


def _without_attributes(metadata: dict[bytes, bytes] | None) -> dict[bytes, bytes] | None:
    """pandas' metadata without ``df.attrs``: the schema and its notes (which may name a
    planner's server) stay in the frame, not in the file."""
    import json

    if not metadata or b"pandas" not in metadata:
        return metadata
    pandas_meta = json.loads(metadata[b"pandas"])
    pandas_meta.pop("attributes", None)
    return {**metadata, b"pandas": json.dumps(pandas_meta).encode()}


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
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    p, fmt = target(path)
    if not overwrite and p.exists():
        raise ExportError(f"'{p}' already exists; nothing was overwritten. Choose another name.")
    safe = csv_safety_default() if neutralise_formulas is None else bool(neutralise_formulas)
    with _atomic(p, overwrite) as tmp:
        writer = None
        try:
            for df in frames:
                table = to_arrow(df, csv=fmt == "csv", neutralise_formulas=safe)
                if writer is None:
                    writer = (pcsv.CSVWriter(tmp, table.schema) if fmt == "csv"
                              else pq.ParquetWriter(tmp, table.schema, compression="zstd"))
                writer.write_table(table)
        finally:
            if writer is not None:
                writer.close()
    return p


# Our temporary files are ".<name>.<pid>.<random>.part": a file whose process is gone (it was
# killed before it could clean up) is removed by the next write to that folder.
_PART = re.compile(r"^\..+\.(\d+)\.[a-z0-9_]{8}\.part$")


def _remove_stale_parts(folder: Path) -> None:
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            m = _PART.match(entry.name)
            if m and entry.is_file(follow_symlinks=False) and not _alive(int(m.group(1))):
                _remove(entry.path)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # another user's process, or not ours to judge
    return True


@contextlib.contextmanager
def _atomic(path: Path, overwrite: bool = True) -> Iterator[str]:
    _remove_stale_parts(path.parent)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".part")
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
