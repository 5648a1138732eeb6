"""The dask engine's machinery: chunk ranges as Dask partitions, and folders of parts.

A partition is a whole range of the generator's chunks, made where it runs by
:func:`synth_magic.generate.frame_of_chunks` from the schema's JSON text, the row count,
the seed and the range. The task graph holds that text and those numbers, never data, so
its size depends on the number of partitions, not on the number of rows; the partitions'
dtypes (from the catalogue) and divisions (from the ranges) are known before anything runs.

This module sits below :mod:`synth_magic.api` (which calls it for ``engine="dask"``);
:mod:`synth_magic.dask` is the public entry point above it. Dask and distributed are
imported on first use: without them, :func:`require` says how to install them.

A dataset (:func:`dataset`) partitions every table the same way, by whole chunk ranges of
its own rows. A table that an ``each`` relation makes gets its rows from its parents'
counts of children, drawn on the client per chunk of parent rows (memory by chunks); those
sums say where each child partition's parents are, and where each parent partition's
children are. A child partition's task reads the parent partitions that hold its parents
(its keys, copied columns and own columns are then the local run's: :mod:`synth_magic.relate`
makes them from any row range), a ``pick`` reads one shared task holding the picked
parent's key and copied columns, and a parent's totals read the child partitions that
hold its children (over a ``pick``: running totals that add every child partition in row
order). Tasks hold the dataset's schema text and numbers; no data is shuffled.
:func:`write_dataset` writes a folder of parts per table.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from . import config
from ._inputs import check_path
from .errors import ConfigError, ExportError, InputError
from .export import DATABASES, FORMATS, csv_safety_default, save
from .generate import CHUNK, Progress, empty_frame, frame_of_chunks
from .relate import table_seed

if TYPE_CHECKING:
    import dask.dataframe as dd
    import distributed
    import pandas as pd
    from dask.delayed import Delayed

    from .dataset import DatasetPlan, TablePlan
    from .generate import Given
    from .schema import Plan

__all__ = [
    "INSTALL", "MAX_PICKED", "ROWS_PER_PARTITION", "SCHEDULER_ENV", "dataset", "frame", "local_cluster",
    "parts_target", "partition", "ranges", "require", "rows_of", "write", "write_dataset", "write_part",
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
    elif p.suffix.lower() in DATABASES:
        raise ExportError(f"The dask engine writes a folder of parts, not a database: give a folder such as "
                          f"'{p.with_suffix('')}/'.")
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
    return _save_part(partition(bounds, schema_json, rows, seed), path, csv_safety)


def _save_part(df: pd.DataFrame, path: str, csv_safety: bool) -> int:
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
    frame_of_chunks(plan, rows, seed, 0, 0)  # refused here, before a cluster starts
    parts = ranges(rows)
    safe = csv_safety_default() if csv_safety is None else bool(csv_safety)

    def submit(client: distributed.Client, paths: list[str]) -> list[distributed.Future]:
        return client.map(write_part, parts, paths, schema_json=plan.schema_json, rows=rows, seed=seed,
                          csv_safety=safe, pure=False)

    return _write_parts(target, {"": len(parts)}, rows, submit, scheduler, progress)


def write_dataset(plan: DatasetPlan, rows: int | Mapping[str, int] | None, seed: int, target: Path, *,
                  scheduler: str | None = None, progress: Progress | None = None,
                  csv_safety: bool | None = None) -> tuple[Path, int]:
    """Write every table of a dataset as a folder of parts (``target``'s folder / table name /
    one part per partition); the folder and the rows written. As :func:`write`, nothing is
    left by an error or Ctrl-C."""
    require()
    from dask import delayed

    tasks, shape = _dataset_tasks(plan, rows, seed)  # refused here, before a cluster starts
    safe = csv_safety_default() if csv_safety is None else bool(csv_safety)
    total = sum(s.rows for s in shape.values())

    def submit(client: distributed.Client, paths: list[str]) -> list[distributed.Future]:
        saves = [delayed(_save_part, pure=False)(part, path, safe)
                 for part, path in zip((p for parts in tasks.values() for p in parts), paths, strict=True)]
        return client.compute(saves)

    return _write_parts(target, {name: len(parts) for name, parts in tasks.items()}, total, submit, scheduler,
                        progress), total


def _write_parts(target: Path, parts: dict[str, int], rows: int,
                 submit: Callable[[distributed.Client, list[str]], list[distributed.Future]],
                 scheduler: str | None, progress: Progress | None) -> Path:
    """Have the workers write ``parts`` (per sub-folder, "" for none: how many) into a hidden
    folder beside ``target``'s, renamed into place when all are there; the folder."""
    from distributed import as_completed

    folder, suffix = target.parent, target.suffix
    tmp = folder.parent / f".{folder.name}.{uuid.uuid4().hex[:12]}.part"
    try:
        tmp.mkdir()
    except OSError as exc:
        raise ExportError(f"Cannot write to '{folder.parent}': {exc.strerror or exc}.") from None
    try:
        paths = []
        for sub, count in parts.items():
            (tmp / sub).mkdir(exist_ok=True)
            width = max(5, len(str(count - 1)))
            paths += [str(tmp / sub / f"part.{i:0{width}d}{suffix}") for i in range(count)]
        with _client(scheduler) as client:
            futures = submit(client, paths)
            try:
                done = 0
                for future in as_completed(futures, loop=client.loop):  # not the default client: there may be none
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
    for stray in [*tmp.glob(".*"), *tmp.glob("*/.*")]:  # what a worker killed mid-write left (the parts are all there)
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


# ------------------------------------------------------------------ datasets

# A table that rows of another pick from is held whole by every partition of that table.
MAX_PICKED = 8 * ROWS_PER_PARTITION


@dataclass(frozen=True)
class _Layout:
    """A table's rows and partitions, and for a table an ``each`` relation makes, the row of
    its first child of each chunk of parent rows (``starts[j]``; ``starts[-1]``: its rows)."""

    rows: int
    parts: list[tuple[int, int]]
    starts: np.ndarray | None = None


def _layout_of(plan: DatasetPlan, rows: int | Mapping[str, int] | None, seed: int, *,
               npartitions: int | None = None, rows_per_partition: int | None = None) -> dict[str, _Layout]:
    """Every table's rows and partitions (whole chunk ranges of its own rows), checked up
    front: what a worker could refuse is refused here. A child's rows are its parents'
    counts of children, drawn here per chunk of parent rows (memory by chunks)."""
    from .relate import check_pick, chunk_counts, own_rows, table_rows

    asked = table_rows(plan, rows)
    out: dict[str, _Layout] = {}
    for t in plan.tables:
        starts, largest = None, None
        if t.each is not None:
            if t.name in asked:
                raise InputError(f"With engine='dask' the rows of '{t.name}' come from its parent '{t.each.parent}' "
                                 f"(each {t.each.min}-{t.each.max}); give rows for '{t.each.parent}' instead, or "
                                 "use engine='local' for an exact row count.")
            sums, largest = chunk_counts(t.each, out[t.each.parent].rows, seed)
            starts = np.concatenate([[0], np.cumsum(sums)])
            n = int(starts[-1])
        else:
            n = own_rows(plan, t, asked)
        for rel in t.picks:
            parents = out[rel.parent].rows
            check_pick(rel, n, parents, largest if rel.distinct else None)
            if parents > MAX_PICKED:
                raise InputError(f"Table '{t.name}' picks rows of '{rel.parent}', which has {parents:,} rows; with "
                                 f"engine='dask' every partition of '{t.name}' holds those keys, so '{rel.parent}' "
                                 f"may have at most {MAX_PICKED:,}: give it fewer rows, or make the relation 'each'.")
        frame_of_chunks(t.plan, max(n, 1), table_seed(seed, t.name), 0, 0)  # what cannot be made is refused here
        out[t.name] = _Layout(n, ranges(n, npartitions, rows_per_partition) if n else [(0, 0)], starts)
    return out


def _overlapping(parts: list[tuple[int, int]], start: int, stop: int) -> list[int]:
    """The partitions that hold rows ``start`` to ``stop`` (``parts`` follow each other)."""
    import bisect

    first = bisect.bisect_right(parts, start // CHUNK, key=lambda p: p[0]) - 1
    last = bisect.bisect_left(parts, -(-stop // CHUNK), key=lambda p: p[0])
    return list(range(max(first, 0), last))


@functools.lru_cache(maxsize=16)
def _dataset_plan(schema_json: str) -> DatasetPlan:
    from .dataset import DatasetSchema

    return DatasetSchema.from_json(schema_json).resolve()


def _table_part(schema_json: str, seed: int, name: str, rows: int, bounds: tuple[int, int],
                window: tuple[int, int, int, int] | None, sources: dict[str, list[pd.DataFrame]]) -> pd.DataFrame:
    """One partition of a table before its totals: chunks ``bounds`` of its ``rows`` rows.

    ``sources`` holds, per relation (by its column), partitions of the parent in row order:
    those holding the parents of these rows for the ``each`` relation, whose parent rows
    ``window`` gives (the chunks ``j0`` to ``j1`` of the parent's ``parents`` rows, whose
    first child is row ``first_child``); every row of the parent for a pick.
    """
    plan = _dataset_plan(schema_json)
    t = plan.table(name)
    first, stop = bounds[0] * CHUNK, min(bounds[1] * CHUNK, rows)
    df = frame_of_chunks(t.plan, max(rows, 1), table_seed(seed, name), *bounds,
                         given=_given(plan, t, seed, first, stop, window, sources) if stop > first else None)
    df.attrs["synth"] = {"seed": seed, "schema": t.schema_json, "table": name}
    return df


def _given(plan: DatasetPlan, t: TablePlan, seed: int, first: int, stop: int,
           window: tuple[int, int, int, int] | None, sources: dict[str, list[pd.DataFrame]]) -> Given:
    """Rows ``first`` to ``stop`` of ``t``'s foreign keys and copies, as the local run makes them."""
    import pandas as pd

    from .relate import given_columns, pick

    parent_rows = {column: pd.concat(frames) if len(frames) > 1 else frames[0] for column, frames in sources.items()}
    index: dict[str, np.ndarray] = {}
    group, within = _groups(t, seed, first, stop, window)
    if group is not None:
        index[t.each.column] = group - int(parent_rows[t.each.column].index[0])
    for rel in t.picks:
        index[rel.column] = pick(rel, len(parent_rows[rel.column]), seed, first, stop, group, within)
    return given_columns(plan, t, parent_rows, index)


def _groups(t: TablePlan, seed: int, first: int, stop: int, window: tuple[int, int, int, int] | None
            ) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The ``each`` parent row of rows ``first`` to ``stop``, and each row's place among that
    parent's rows (None without an ``each`` relation)."""
    from .relate import counts_in

    if t.each is None or window is None:
        return None, None
    j0, j1, parents, first_child = window
    lo, hi = j0 * CHUNK, min(j1 * CHUNK, parents)
    per = counts_in(t.each, seed, lo, hi)
    group = np.repeat(np.arange(lo, hi, dtype=np.int64), per)[first - first_child:stop - first_child]
    return group, np.arange(first, stop, dtype=np.int64) - (first_child + np.cumsum(per) - per)[group - lo]


def _pick_total_step(schema_json: str, seed: int, name: str, column: str, parents: int,
                     state: tuple[np.ndarray, ...] | None, child: pd.DataFrame,
                     window: tuple[int, int, int, int] | None) -> tuple[np.ndarray, ...]:
    """A total over a ``pick`` relation (``name.column``, of ``parents`` rows) with one more
    partition of the child added (``state`` None: the first). The partitions come one after
    the other, in row order, so the sums are those of the local run, which adds all at once."""
    from .relate import pick, rollup_add, rollup_start

    plan = _dataset_plan(schema_json)
    roll = next(r for r in plan.table(name).rollups if r.column == column)
    t = plan.table(roll.child)
    rel = next(r for r in t.picks if r.column == roll.via)
    first = int(child.index[0]) if len(child) else 0
    group, within = _groups(t, seed, first, first + len(child), window)
    idx = pick(rel, parents, seed, first, first + len(child), group, within)
    return rollup_add(roll, rollup_start(parents) if state is None else state, idx, child)


def _pick_total(schema_json: str, name: str, column: str, state: tuple[np.ndarray, ...]) -> Any:
    from .relate import rollup_finish

    plan = _dataset_plan(schema_json)
    return rollup_finish(plan, next(r for r in plan.table(name).rollups if r.column == column), state)


def _picked(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    """The columns of a parent that picks read, every row, once per run."""
    import pandas as pd

    return pd.concat([f[columns] for f in frames]) if len(frames) > 1 else frames[0][columns]


def _totals_part(schema_json: str, seed: int, name: str, df: pd.DataFrame, bounds: tuple[int, int], parents: int,
                children: dict[str, tuple[int, list[pd.DataFrame]]], whole: dict[str, Any]) -> pd.DataFrame:
    """A partition with its totals: per total over an ``each`` relation (by column), the
    children's partitions that hold the children of these rows and the row of the first of
    them; per total over a ``pick``, the whole column (:func:`_pick_total`)."""
    import pandas as pd

    from .relate import counts_in, rollup

    plan = _dataset_plan(schema_json)
    t = plan.table(name)
    lo, hi = bounds[0] * CHUNK, min(bounds[1] * CHUNK, parents)
    df = df.copy(deep=False)
    for roll in t.rollups:
        if roll.column in whole:
            df[roll.column] = whole[roll.column][lo:hi]
            continue
        first_child, frames = children[roll.column]
        per = counts_in(plan.table(roll.child).each, seed, lo, hi)
        idx = np.repeat(np.arange(hi - lo, dtype=np.int64), per)
        child = pd.concat(frames) if frames else empty_frame(plan.table(roll.child).plan)
        at = first_child - (int(child.index[0]) if len(child) else first_child)
        df[roll.column] = rollup(plan, roll, idx, child.iloc[at:at + len(idx)], hi - lo)
    return df


def _meta(plan: DatasetPlan, name: str) -> pd.DataFrame:
    from .relate import rollup

    t = plan.table(name)
    meta = empty_frame(t.plan)
    for roll in t.rollups:
        meta[roll.column] = rollup(plan, roll, np.empty(0, np.int64), empty_frame(plan.table(roll.child).plan), 0)
    return meta


def _dataset_tasks(plan: DatasetPlan, rows: int | Mapping[str, int] | None, seed: int,
                   npartitions: int | None = None, rows_per_partition: int | None = None
                   ) -> tuple[dict[str, list[Delayed]], dict[str, _Layout]]:
    """Every table's partitions as tasks: schema text, numbers and the partitions they read."""
    from dask import delayed
    from dask.base import tokenize

    from .relate import relations

    shape = _layout_of(plan, rows, seed, npartitions=npartitions, rows_per_partition=rows_per_partition)
    token = tokenize(plan.schema_json, seed, {n: (s.rows, tuple(s.parts)) for n, s in shape.items()})
    text = plan.schema_json
    base: dict[str, list[Delayed]] = {}
    windows: dict[str, list[tuple[int, int, int, int] | None]] = {}  # per partition: where its each parents are
    shared: dict[tuple[str, tuple[str, ...]], Delayed] = {}
    for t in plan.tables:
        own = shape[t.name]
        base[t.name], windows[t.name] = [], []
        for k, bounds in enumerate(own.parts):
            first, stop = bounds[0] * CHUNK, min(bounds[1] * CHUNK, own.rows)
            window, sources = None, {}
            for rel in relations(t):
                parent = shape[rel.parent]
                if rel is t.each and stop > first:
                    j0 = int(np.searchsorted(own.starts, first, "right")) - 1
                    j1 = int(np.searchsorted(own.starts, stop - 1, "right"))
                    window = (j0, j1, parent.rows, int(own.starts[j0]))
                    ks = _overlapping(parent.parts, j0 * CHUNK, min(j1 * CHUNK, parent.rows))
                    sources[rel.column] = [base[rel.parent][i] for i in ks]
                elif stop <= first:  # an empty table's one partition reads nothing
                    continue
                else:
                    columns = (plan.table(rel.parent).key, *dict.fromkeys(
                        source for _, via, source, _ in t.copies if via == rel.column))
                    if (rel.parent, columns) not in shared:
                        shared[(rel.parent, columns)] = delayed(_picked, pure=True)(
                            base[rel.parent], list(columns), dask_key_name=f"synth-picked-{rel.parent}-{len(shared)}-{token}")
                    sources[rel.column] = [shared[(rel.parent, columns)]]
            windows[t.name].append(window)
            base[t.name].append(delayed(_table_part, pure=True)(
                text, seed, t.name, own.rows, bounds, window, sources, dask_key_name=f"synth-{t.name}-{k}-{token}"))
    final: dict[str, list[Delayed]] = {}
    for t in reversed(plan.tables):  # children first: a total of totals adds finished ones
        own = shape[t.name]
        if not t.rollups:
            final[t.name] = base[t.name]
            continue
        whole = {}
        for roll in t.rollups:
            if roll.via == getattr(plan.table(roll.child).each, "column", None):
                continue
            state = None  # over a pick: every partition of the child, added one after the other
            for k, part in enumerate(final[roll.child]):
                state = delayed(_pick_total_step, pure=True)(
                    text, seed, t.name, roll.column, own.rows, state, part, windows[roll.child][k],
                    dask_key_name=f"synth-{t.name}-{roll.column}-adding-{k}-{token}")
            whole[roll.column] = delayed(_pick_total, pure=True)(
                text, t.name, roll.column, state, dask_key_name=f"synth-{t.name}-{roll.column}-{token}")
        final[t.name] = []
        for k, bounds in enumerate(own.parts):
            children = {}
            for roll in t.rollups:
                if roll.column in whole:
                    continue
                child = shape[roll.child]
                start, end = int(child.starts[bounds[0]]), int(child.starts[bounds[1]])
                ks = _overlapping(child.parts, start, end) if end > start else []
                children[roll.column] = (start, [final[roll.child][i] for i in ks])
            final[t.name].append(delayed(_totals_part, pure=True)(
                text, seed, t.name, base[t.name][k], bounds, own.rows, children, whole,
                dask_key_name=f"synth-{t.name}-totals-{k}-{token}"))
    return {t.name: final[t.name] for t in plan.tables}, shape


def dataset(plan: DatasetPlan, rows: int | Mapping[str, int] | None, seed: int, *,
            npartitions: int | None = None, rows_per_partition: int | None = None) -> dict[str, dd.DataFrame]:
    """The lazy tables of a dataset, parents first (see the module's docstring)."""
    require()
    import dask
    import dask.dataframe as dd

    tasks, shape = _dataset_tasks(plan, rows, seed, npartitions, rows_per_partition)
    out = {}
    with dask.config.set({"dataframe.convert-string": False}):
        for name, parts in tasks.items():
            own = shape[name]
            divisions = (*(first * CHUNK for first, _ in own.parts), own.rows - 1) if own.rows else (None, None)
            out[name] = dd.from_delayed(parts, meta=_meta(plan, name), divisions=divisions, verify_meta=False)
    return out


def rows_of(tables: Mapping[str, dd.DataFrame]) -> int:
    """The rows of lazy tables, from their divisions (nothing is made)."""
    return sum(df.divisions[-1] + 1 for df in tables.values() if df.known_divisions)
