"""The dask engine's machinery: chunk ranges as Dask partitions, and folders of parts.

A partition is a whole range of the generator's chunks, made where it runs by
:func:`synth_magic.generate.frame_of_chunks` from the schema's JSON text, the row count,
the seed and the range. The task graph holds that text and those numbers, never data, so
its size depends on the number of partitions, not on the number of rows; the partitions'
dtypes (from the catalogue) and divisions (from the ranges) are known before anything runs.

This module sits below :mod:`synth_magic.api` (which calls it for ``engine="dask"``);
:mod:`synth_magic.dask` is the public entry point above it. Dask and distributed are
imported on first use: without them, :func:`require` says how to install them.

A later ``dataset()`` (several related tables) needs, per table, what :func:`frame` takes
for one (a plan, a row count, the seed, the ranges), plus the rows of each child
partition: a child table's partition boundaries then come from the parents' counts of
children per chunk, drawn up front, so foreign keys are parent row numbers and no shuffle
is needed; :func:`write` then writes a folder of parts per table.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from . import config
from ._inputs import check_path
from .errors import ConfigError, ExportError, InputError
from .export import FORMATS, csv_safety_default, save
from .generate import CHUNK, Progress, empty_frame, frame_of_chunks

if TYPE_CHECKING:
    import dask.dataframe as dd
    import distributed
    import pandas as pd

    from .schema import Plan

__all__ = [
    "INSTALL", "ROWS_PER_PARTITION", "SCHEDULER_ENV", "frame", "local_cluster", "parts_target", "partition",
    "ranges", "require", "write", "write_part",
]

INSTALL = "pip install synth-magic[dask]"
SCHEDULER_ENV = "DASK_SCHEDULER_ADDRESS"
# 64 chunks: about 150 MB of a 10-column table in memory, the size Dask suggests per partition.
ROWS_PER_PARTITION = 64 * CHUNK


def require() -> None:
    """Refuse, in one sentence, when Dask is not installed."""
    try:
        import dask.dataframe  # noqa: F401
        import distributed  # noqa: F401
    except ImportError:
        raise ConfigError(f"engine='dask' needs Dask and distributed, which are not installed here; "
                          f"install them with `{INSTALL}`.") from None


# ------------------------------------------------------------------ partitions

def ranges(rows: int, npartitions: int | None = None,
           rows_per_partition: int | None = None) -> list[tuple[int, int]]:
    """The chunk ranges ``[first, stop)`` of the partitions of ``rows`` rows.

    ``npartitions`` spreads the chunks evenly (at most one partition per chunk);
    ``rows_per_partition`` is rounded up to whole chunks (default :data:`ROWS_PER_PARTITION`).
    """
    chunks = -(-rows // CHUNK)
    if npartitions is not None and rows_per_partition is not None:
        raise InputError("Give npartitions or rows_per_partition, not both.")
    if npartitions is not None:
        n = min(_count(npartitions, "npartitions"), chunks)
        edges = [i * chunks // n for i in range(n + 1)]
        return list(zip(edges, edges[1:], strict=False))
    per = -(-_count(rows_per_partition or ROWS_PER_PARTITION, "rows_per_partition") // CHUNK)
    return [(first, min(first + per, chunks)) for first in range(0, chunks, per)]


def _count(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InputError(f"{name} must be a whole number from 1 up, not {str(value)[:20]!r}.")
    return value


@functools.lru_cache(maxsize=16)
def _plan(schema_json: str) -> Plan:
    """The plan of a schema text, resolved once per process (a worker makes many partitions)."""
    from .schema import Schema

    return Schema.from_json(schema_json).resolve()


def partition(bounds: tuple[int, int], schema_json: str, rows: int, seed: int) -> pd.DataFrame:
    """One partition, made where it runs: chunks ``bounds`` of the request, as ``synth()`` makes them."""
    df = frame_of_chunks(_plan(schema_json), rows, seed, *bounds)
    df.attrs["synth"] = {"seed": seed, "schema": schema_json}  # as synth()'s frame carries them
    return df


def frame(plan: Plan, rows: int, seed: int, *, npartitions: int | None = None,
          rows_per_partition: int | None = None) -> dd.DataFrame:
    """The lazy frame of a request: one task per partition, holding the schema text and numbers."""
    require()
    import dask
    import dask.dataframe as dd

    frame_of_chunks(plan, rows, seed, 0, 0)  # what cannot be made is refused here, not on a worker
    parts = ranges(rows, npartitions, rows_per_partition)
    divisions = (*(first * CHUNK for first, _ in parts), rows - 1)
    with dask.config.set({"dataframe.convert-string": False}):  # keep pandas' own str dtype, as synth()
        return dd.from_map(partition, parts, args=(plan.schema_json, rows, seed), meta=empty_frame(plan),
                           divisions=divisions, label="synth", enforce_metadata=False)


# ------------------------------------------------------------------ folders of parts

def parts_target(save: str | os.PathLike[str]) -> Path:
    """Where the parts go, as ``folder/*.parquet`` or ``folder/*.csv``, checked up front.

    ``out/`` (any name without a ``.csv`` suffix) is a folder of Parquet parts; ``out/*.csv``
    and ``out/*.parquet`` say the format. The folder must be new or empty.
    """
    p = check_path(save, "folder to save", ExportError)
    if p.name.startswith("*") and p.suffix.lower() in FORMATS:
        folder, suffix = p.parent, p.suffix.lower()
    elif FORMATS.get(p.suffix.lower()) == "csv":
        raise ExportError(f"The dask engine writes a folder of parts: give '{p.with_suffix('')}/*.csv' "
                          f"for CSV parts, not '{p.name}'.")
    else:
        folder, suffix = p, ".parquet"
    folder = folder.absolute()  # the workers' working folder is not ours
    if not folder.parent.is_dir():
        raise ExportError(f"Cannot write parts to '{folder}': the folder '{folder.parent}' does not exist.")
    if folder.exists() and not (folder.is_dir() and not any(folder.iterdir())):
        raise ExportError(f"Cannot write parts to '{folder}': it already exists and is not an empty folder; "
                          "nothing was written. Choose a new folder.")
    return folder / f"*{suffix}"


def write_part(bounds: tuple[int, int], path: str, schema_json: str, rows: int, seed: int,
               csv_safety: bool) -> int:
    """Make one partition and write it to ``path``, where it runs; its row count.

    The part is written (atomically) in a hidden folder of this attempt's own, then moved
    beside the others: writers on other machines never share a folder, so none can take
    another's temporary file for that of a process that is gone.
    """
    df = partition(bounds, schema_json, rows, seed)
    final = Path(path)
    own = final.with_name(f".{final.name}.{uuid.uuid4().hex[:12]}")
    own.mkdir()
    try:
        os.replace(save(df, own / final.name, neutralise_formulas=csv_safety), final)
    finally:
        shutil.rmtree(own, ignore_errors=True)
    return len(df)


def write(plan: Plan, rows: int, seed: int, target: Path, *, scheduler: str | None = None,
          progress: Progress | None = None, csv_safety: bool | None = None) -> Path:
    """Write the request as one part per partition (:func:`ranges`) into ``target``'s folder; the folder.

    The workers write the parts into a hidden folder beside it, renamed into place when all
    are there: an error or Ctrl-C leaves nothing. The folder must be one that this machine
    and every worker see at the same path (a local cluster, or a shared file system).
    """
    require()
    from distributed import as_completed

    frame_of_chunks(plan, rows, seed, 0, 0)  # refused here, before a cluster starts
    folder, suffix = target.parent, target.suffix
    parts = ranges(rows)
    safe = csv_safety_default() if csv_safety is None else bool(csv_safety)
    width = max(5, len(str(len(parts) - 1)))
    tmp = folder.parent / f".{folder.name}.{uuid.uuid4().hex[:12]}.part"
    try:
        tmp.mkdir()
    except OSError as exc:
        raise ExportError(f"Cannot write to '{folder.parent}': {exc.strerror or exc}.") from None
    try:
        paths = [str(tmp / f"part.{i:0{width}d}{suffix}") for i in range(len(parts))]
        with _client(scheduler) as client:
            futures = client.map(write_part, parts, paths, schema_json=plan.schema_json, rows=rows, seed=seed,
                                 csv_safety=safe, pure=False)
            try:
                done = 0
                for future in as_completed(futures):
                    done += future.result()
                    if progress is not None:
                        progress(done, rows)
            finally:
                client.cancel(futures)
        _publish(tmp, folder, paths)
    except BaseException:
        _discard(tmp)
        raise
    return folder


def _discard(tmp: Path) -> None:
    """Remove the hidden folder, first renamed so that a part a worker is still writing
    (a cancelled task runs to its end) cannot land in it while it is being removed."""
    gone = tmp.with_name(tmp.name + ".discarded")
    try:
        os.rename(tmp, gone)
    except OSError:
        gone = tmp
    shutil.rmtree(gone, ignore_errors=True)


def _publish(tmp: Path, folder: Path, paths: list[str]) -> None:
    missing = [p for p in paths if not os.path.exists(p)]
    if missing:
        raise ExportError(f"The workers wrote their parts where this machine cannot see them (no "
                          f"'{Path(missing[0]).name}' in '{tmp}'); write to a folder that every worker "
                          "and this machine share at the same path.")
    for stray in tmp.glob(".*"):  # what a worker killed mid-write left (the parts are all there)
        shutil.rmtree(stray, ignore_errors=True)
    try:
        if folder.exists():
            folder.rmdir()  # empty, as checked up front; fails if something appeared since
        os.rename(tmp, folder)
    except OSError:
        raise ExportError(f"'{folder}' appeared while writing; nothing was overwritten. "
                          "Choose a new folder.") from None


@contextlib.contextmanager
def _client(scheduler: str | None) -> Iterator[distributed.Client]:
    """A client of ``scheduler`` (else ``DASK_SCHEDULER_ADDRESS``), else the caller's current
    client, else a new local cluster sized to this machine (on 127.0.0.1), closed after."""
    from distributed import Client, default_client

    config.load_dotenv_once()
    address = (scheduler or os.environ.get(SCHEDULER_ENV, "")).strip() or None
    if address is not None:
        try:
            client = Client(address, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ConfigError(f"Cannot reach the Dask scheduler at '{address[:80]}' ({_reason(exc)}); check "
                              f"--scheduler or {SCHEDULER_ENV}, or leave both unset for a local "
                              "cluster.") from None
        with client:
            yield client
        return
    try:
        current = default_client()
    except ValueError:  # none
        current = None
    if current is not None:
        yield current
        return
    with local_cluster() as cluster, Client(cluster, set_as_default=False) as client:
        yield client


def local_cluster(workers: int | None = None) -> distributed.LocalCluster:
    """A cluster on this machine: ``workers`` single-threaded worker processes (default one
    per core), listening on 127.0.0.1 only.

    Its workers run without distributed's ``MALLOC_TRIM_THRESHOLD_=65536``, which makes
    glibc map and unmap every large array afresh: 40 to 60% more CPU per row here.
    """
    import dask
    from distributed import LocalCluster

    if workers is None:
        workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}):
        return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                            dashboard_address="127.0.0.1:0")


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()).rstrip(".")
    return text[:120] or type(exc).__name__
