"""Writing frames to CSV or Parquet, atomically.

Everything is written to a temporary file beside the target and renamed over it only
when complete, so an error or Ctrl-C mid-write never leaves half a file and never
clobbers an existing one with half a frame.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ExportError

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}


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
    """Check a save path up front: known suffix, existing folder."""
    p = Path(os.fspath(path)).expanduser()
    fmt = FORMATS.get(p.suffix.lower())
    if fmt is None:
        raise ExportError(f"Cannot save to '{p.name}': use a name ending in .csv or .parquet.")
    if not p.parent.exists():
        raise ExportError(f"Cannot save to '{p}': the folder '{p.parent}' does not exist.")
    if p.is_dir():
        raise ExportError(f"Cannot save to '{p}': it is a folder; give a file name ending in .csv or .parquet.")
    return p, fmt


def to_arrow(df: pd.DataFrame, csv: bool) -> pa.Table:
    """The frame as an Arrow table; for CSV, midnight-only datetimes become dates."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    table = pa.Table.from_pandas(df, preserve_index=False)
    if not csv:
        return table
    for i, field in enumerate(table.schema):
        column = table.column(i)
        if pa.types.is_dictionary(field.type):
            table = table.set_column(i, field.name, column.cast(pa.string()))
        elif pa.types.is_timestamp(field.type):
            values = df.iloc[:, i]
            ints = values.to_numpy(dtype="datetime64[s]", na_value=np.datetime64("NaT")).astype(np.int64)
            valid = ~pd.isna(values).to_numpy()
            if not (ints[valid] % 86400).any():
                table = table.set_column(i, field.name, column.cast(pa.date32()))
    return table


def save(df: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write ``df`` to ``path`` (.csv or .parquet) atomically; return the path."""
    return save_frames([df], path)


def save_frames(frames: Iterable[pd.DataFrame], path: str | os.PathLike[str]) -> Path:
    """Write a stream of frames with the same columns to one file, atomically."""
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    p, fmt = target(path)
    with _atomic(p) as tmp:
        writer = None
        try:
            for df in frames:
                table = to_arrow(df, csv=fmt == "csv")
                if writer is None:
                    writer = (pcsv.CSVWriter(tmp, table.schema) if fmt == "csv"
                              else pq.ParquetWriter(tmp, table.schema, compression="zstd"))
                writer.write_table(table)
        finally:
            if writer is not None:
                writer.close()
    return p


@contextlib.contextmanager
def _atomic(path: Path) -> Iterator[str]:
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise ExportError(f"Cannot write to '{path.parent}': {exc.strerror or exc}.") from None
    os.close(fd)
    try:
        yield tmp
        os.replace(tmp, path)
    except OSError as exc:
        _remove(tmp)
        raise ExportError(f"Could not write '{path}': {exc.strerror or exc}.") from None
    except BaseException:
        _remove(tmp)
        raise


def _remove(tmp: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.remove(tmp)
