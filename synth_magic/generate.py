"""Schema + rows + seed → DataFrame, column at a time, in fixed-size chunks.

Determinism contract: chunk ``c`` of column ``name`` is drawn from
``SeedSequence(seed, spawn_key=(crc32(name), c))`` and every chunk is generated whole
(or, when every column's generator makes its first values alone, ``Generator.prefix``,
only as far as the rows kept: the same values), so the same schema, rows, seed and
package version give the same frame, the first k rows of a bigger request equal a
request for k rows, and adding a column does not change the others; which thread makes
a chunk changes nothing. Unique values are a keyed bijection of the row number, the key
mixing the column and the seed: distinct across chunks, different between seeds.

Rows that hold together keep the contract: the address columns of a table read one place
per row from a stream of the seed and the chunk that no column owns; an entity column's N
values come from their own seed, row r taking entity ``r % N`` (rows time first); and a
series runs on across chunks because its value at every chunk boundary is drawn first,
as a chain over the chunks from their own seeds, and each chunk's path is bridged exactly
onto the next boundary (:mod:`synth_magic.generators._series`). A chunk can still be
made alone: it needs only the boundary chain up to it (one vector draw per earlier chunk,
kept as it is computed). ``messy`` spoils each whole chunk from its own seeds before it is
cut to the rows asked for, so messy frames are prefix-stable too.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ._inputs import DEFAULT_ROWS, check_rows, check_seed, threads
from .catalog import BOOL, CATEGORY, DATE, DATETIME, FLOAT, INT, STRING, TYPES
from .errors import InputError, SchemaError
from .generators import GENERATORS, Ctx, column_key, prefix_stable
from .generators._base import stream, stream_states, streamed
from .generators._messy import mess, messy_categories

if TYPE_CHECKING:
    import pandas as pd

    from .schema import Plan, PlannedColumn

__all__ = [
    "BATCH_BYTES", "BATCH_CHUNKS", "CHUNK", "MAX_ROWS", "Given", "Progress", "batch_chunks", "check_fits",
    "empty_frame", "frame_of_chunks", "frames", "generate", "resolve_seed",
]

CHUNK = 16384
BATCH_BYTES = 128 << 20  # a stream's frame: about this much memory (see batch_chunks)
BATCH_CHUNKS = 8  # and at most this many chunks (131,072 rows)
MAX_ROWS = 2**31  # unique values are scrambled row numbers below 2**32
_ALWAYS_FITS = 16 << 20  # a frame this small needs no look at free memory (the interpreter takes more)
_RANDOM_SEEDS = 10**8  # a seed chosen for you has at most 8 digits, so a person can retype it

Progress = Callable[[int, int], None]
Given = dict[str, tuple[Any, "np.ndarray | None"]]
# How each kind's values are held while generating (strings: a list of Arrow arrays).
_HELD = {INT: np.int64, FLOAT: np.float64, BOOL: np.bool_, DATE: "datetime64[s]", DATETIME: "datetime64[s]",
         CATEGORY: np.int32}


def _check_unique(plan: Plan, rows: int) -> None:
    """Refuse a unique column that cannot have ``rows`` distinct values (and whatever else
    the plan cannot make ``rows`` of: :meth:`Plan.check_rows`)."""
    plan.check_rows(rows)
    for col in plan.columns:
        rule = TYPES[col.type].unique
        if not col.unique or rule == "always":
            continue
        domain = GENERATORS[col.type].domain
        if rule == "never" or domain is None:
            raise SchemaError(
                f"Column '{col.name}': type '{col.type}' cannot promise unique values; drop 'unique' "
                "or use an id, uuid or code column."
            )
        size = domain(col.params, plan.locale)
        if size is None:
            raise SchemaError(f"Column '{col.name}': unique values need a fixed range; drop 'after' or 'unique'.")
        if size < rows:
            raise SchemaError(
                f"Column '{col.name}' must be unique but its type '{col.type}' has only {size:,} possible "
                f"values for {rows:,} rows; widen its range, drop 'unique' or ask for fewer rows."
            )


def _available_memory(cgroup: str = "/sys/fs/cgroup", proc: str = "/proc") -> int:
    """Bytes this process can still take: the host's available memory (MemAvailable, which
    counts reclaimable cache), or less when a container's cgroup limit is nearer (v2
    ``memory.max`` − ``memory.current``, else v1 ``memory.limit_in_bytes`` −
    ``memory.usage_in_bytes``; its reclaimable ``inactive_file`` counted as free), the
    tightest of the process's cgroup and its parents."""
    free = [_host_available(proc)]
    for folder, limit, usage, inactive in _cgroup_folders(cgroup, proc):
        try:
            with open(os.path.join(folder, limit)) as fh:
                text = fh.read().strip()
            if text == "max" or int(text) >= 1 << 60:  # no limit here ("max"; v1's page-rounded 2**63)
                continue
            with open(os.path.join(folder, usage)) as fh:
                used = int(fh.read())
        except (OSError, ValueError):
            continue
        free.append(max(0, int(text) - max(0, used - _stat(folder, inactive))))
    known = [f for f in free if f is not None]
    return min(known) if known else 8 << 30


def _host_available(proc: str) -> int | None:
    try:
        with open(os.path.join(proc, "meminfo")) as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None


def _cgroup_folders(cgroup: str, proc: str) -> Iterator[tuple[str, str, str, str]]:
    """(folder, limit file, usage file, reclaimable stat) for the process's memory cgroup and
    its parents, v2 first; the mount's root too (a container sees its own cgroup there)."""
    try:
        with open(os.path.join(proc, "self", "cgroup")) as fh:
            lines = fh.read().splitlines()
    except OSError:
        lines = []
    v1 = next((line.split(":", 2)[2] for line in lines if line.count(":") >= 2
               and "memory" in line.split(":", 2)[1].split(",")), None)
    v2 = next((line.split(":", 2)[2] for line in lines if line.startswith("0::")), None)
    for mount, path, files in ((cgroup, v2, ("memory.max", "memory.current", "inactive_file")),
                               (os.path.join(cgroup, "memory"), v1,
                                ("memory.limit_in_bytes", "memory.usage_in_bytes", "total_inactive_file"))):
        if path is None:
            continue
        parts = [part for part in path.split("/") if part and part != ".."]
        for depth in range(len(parts), -1, -1):
            folder = os.path.join(mount, *parts[:depth])
            if os.path.isfile(os.path.join(folder, files[0])):
                yield (folder, *files)


def _stat(folder: str, key: str) -> int:
    try:
        with open(os.path.join(folder, "memory.stat")) as fh:
            for line in fh:
                name, _, value = line.partition(" ")
                if name == key:
                    return int(value)
    except (OSError, ValueError):
        pass
    return 0


def check_fits(plan: Plan, rows: int, *, streaming: bool = False) -> None:
    """Refuse up front a frame that cannot fit in this machine's (or container's) free
    memory; ``streaming``: one batch of a stream to a file."""
    need = plan.bytes_per_row(written=streaming) * rows * 2
    if rows <= MAX_ROWS and need <= _ALWAYS_FITS:  # a small request (a server's 1,000 rows) reads no files
        return
    free = _available_memory()
    if rows > MAX_ROWS or need > free:
        fix = ("use fewer or shorter text columns (a stream makes at least "
               f"{CHUNK:,} rows at a time)") if streaming else (
            f"ask for fewer rows, or stream them to a file with `synth ... --rows {rows} -o data.csv`")
        raise InputError(f"{rows:,} rows of this table need about {_gib(need)} of memory and this machine has "
                         f"{_gib(free)} free; {fix}.")


def batch_chunks(plan: Plan) -> int:
    """Chunks per frame of a stream to a file: about :data:`BATCH_BYTES` of rows, at least
    one chunk and at most :data:`BATCH_CHUNKS` (so a wide text table streams in flat memory)."""
    return max(1, min(BATCH_CHUNKS, BATCH_BYTES // (plan.bytes_per_row(written=True) * CHUNK)))


def _gib(n: int) -> str:
    return f"{n / (1 << 30):,.1f} GiB"


def resolve_seed(seed: int | None) -> int:
    seed = check_seed(seed)
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % _RANDOM_SEEDS)
    return seed


def _chunks(plan: Plan, rows: int, seed: int, first: int = 0, stop: int | None = None,
            messy: float = 0.0, given: Given | None = None, origin: int = 0,
            ) -> Iterator[tuple[int, dict[str, Any], dict[str, list] | None]]:
    """Yield (start, {name: values}, what was made messy) for chunks [first, stop), nulls
    applied, cut to ``rows``, in order.

    With more than one chunk and ``SYNTH_THREADS`` > 1 the chunks are made on a pool of
    threads (numpy's and Arrow's kernels let go of the GIL), at most one more chunk in
    flight than there are threads; every chunk depends only on its own seeds, so the
    rows are the same with any number of threads.
    """
    last = -(-rows // CHUNK) if stop is None else min(stop, -(-rows // CHUNK))
    todo = range(first, last)
    workers = min(threads(), len(todo))
    seeded = _seeded(plan, seed, todo)
    if workers <= 1:
        for chunk, seeds in seeded:
            yield _made(plan, rows, seed, chunk, messy, given, origin, seeds)
        return
    for col in plan.columns:  # shared by every chunk: made once, before the threads start
        if col.params.get("entities"):
            _entity_values(plan, col, seed)
    pool = _executor(workers)
    pending = deque(pool.submit(_made, plan, rows, seed, chunk, messy, given, origin, seeds)
                    for chunk, seeds in islice(seeded, workers + 1))
    try:
        while pending:
            done = pending.popleft().result()
            following = next(seeded, None)
            if following is not None:
                chunk, seeds = following
                pending.append(pool.submit(_made, plan, rows, seed, chunk, messy, given, origin, seeds))
            yield done
    finally:  # stopped early (an error, Ctrl-C, a consumer that had enough): drop what has not started
        for future in pending:
            future.cancel()


Seeds = tuple[np.ndarray, "np.ndarray | None"]
_SEEDED_AT_ONCE = 64  # chunks whose streams are seeded in one pass


def _seeded(plan: Plan, seed: int, chunks: range) -> Iterator[tuple[int, Seeds]]:
    """(chunk, its seeds) for every chunk: for each column the state of its stream
    ``SeedSequence(seed, spawn_key=(key, chunk))`` and, when the plan has missing values,
    of its mask's ``(key, chunk, 1)``, seeded in one vectorised pass per
    :data:`_SEEDED_AT_ONCE` chunks (:func:`~synth_magic.generators._base.stream_states`)."""
    keys = np.array([c.key for c in plan.columns], dtype=np.int64)
    nulls = any(c.null_rate for c in plan.columns)
    for at in range(chunks.start, chunks.stop, _SEEDED_AT_ONCE):
        block = np.arange(at, min(at + _SEEDED_AT_ONCE, chunks.stop), dtype=np.int64)
        grid = np.stack(np.broadcast_arrays(keys[None, :], block[:, None]), axis=-1)
        main = stream_states(seed, grid)
        missing = stream_states(seed, np.concatenate([grid, np.ones_like(grid[..., :1])], axis=-1)) if nulls else None
        for i, chunk in enumerate(block.tolist()):
            yield chunk, (main[i], None if missing is None else missing[i])


_executors: dict[int, ThreadPoolExecutor] = {}
_executors_lock = threading.Lock()


def _executor(workers: int) -> ThreadPoolExecutor:
    """The process' pool of ``workers`` chunk threads, made on first use and kept (requests
    share it; a run started with another SYNTH_THREADS keeps its own)."""
    with _executors_lock:
        pool = _executors.get(workers)
        if pool is None:
            pool = _executors[workers] = ThreadPoolExecutor(workers, thread_name_prefix="synth-chunk")
        return pool


def _made(plan: Plan, rows: int, seed: int, chunk: int, messy: float, given: Given | None = None,
          origin: int = 0, seeds: Seeds | None = None) -> tuple[int, dict[str, Any], dict[str, list] | None]:
    """One chunk: its values cut to ``rows`` and, with ``messy``, spoilt (and what was)."""
    start, out = _chunk(plan, rows, seed, chunk, whole=bool(messy), given=given, origin=origin, seeds=seeds)
    record = None
    if messy:  # on the whole chunk, then cut: the first rows do not depend on how many follow
        def rng_of(i: int) -> np.random.Generator:
            key = plan.columns[i].key if i >= 0 else 0xD0B
            return stream(seed, key, chunk, 9)

        cols = [(c.name, c.kind, c.type, c.params, c.categories) for c in plan.columns]
        record = mess(out, cols, messy, start, rng_of)
        keep = min(CHUNK, rows - start)
        out = {name: _head(value, keep) for name, value in out.items()}
        if keep < CHUNK:
            inside = [i for i, row in enumerate(record["row"]) if row < start + keep]
            record = {k: [v[i] for i in inside] for k, v in record.items()}
    return start, out, record


def _head(value: Any, keep: int) -> Any:
    if isinstance(value, tuple):
        return value[0][:keep], None if value[1] is None else value[1][:keep]
    return value.slice(0, keep) if isinstance(value, pa.Array) else value[:keep]


def _prefix_stable(col: PlannedColumn) -> bool:
    """Whether a column's first k values of a chunk can be made alone (see ``Generator.prefix``)."""
    return prefix_stable(col.type, col.params)


def _chunk(plan: Plan, rows: int, seed: int, chunk: int, whole: bool = False,
           given: Given | None = None, origin: int = 0, seeds: Seeds | None = None) -> tuple[int, dict[str, Any]]:
    """Chunk ``chunk``'s values, nulls applied, cut to ``rows``. Drawn for the whole chunk,
    except a cut chunk of columns that all make their first values alone: then only the
    rows kept (the same values, without the waste: 1,000 rows cost 1,000, not 16,384).
    ``given`` values start at row ``origin``; ``seeds``: its streams' states (:func:`_seeded`),
    else seeded here."""
    if seeds is None:
        seeds = next(_seeded(plan, seed, range(chunk, chunk + 1)))[1]
    states, null_states = seeds
    start = chunk * CHUNK
    keep = CHUNK if whole else min(CHUNK, rows - start)
    n = keep if keep < CHUNK and all(_prefix_stable(c) for c in plan.columns) else CHUNK
    values: dict[str, Any] = {}
    aux: dict[str, Any] = {}
    masks: dict[str, np.ndarray | None] = {}
    for i, col in enumerate(plan.columns):
        name = col.name
        rng = streamed(states[i])  # default_rng(SeedSequence(seed, spawn_key=(col.key, chunk)))
        ctx = Ctx(rng=rng, n=n, start=start, locale=plan.locale, cols=values, aux=aux, unique=col.unique,
                  key=column_key(seed, col.key), name=name, seed=seed, chunk=chunk, span=CHUNK)
        entities = col.params.get("entities")
        mask = None
        if given is not None and name in given:  # values (and missing ones) from outside: a foreign key, a copy
            values[name], mask = _given_chunk(given[name], start - origin, n)
        elif entities:  # N entities, the rows cycling through them: row r is entity r % N
            values[name] = _take(_entity_values(plan, col, seed), ctx.index % entities)
            aux[name + ":entities"] = entities
        else:
            values[name] = GENERATORS[col.type].make(ctx, col.params)
        if col.categories is not None:
            aux[name + ":categories"] = (None, col.categories)
        if col.null_rate and (given is None or name not in given):
            mask = streamed(null_states[i]).random(n) < col.null_rate  # spawn_key (col.key, chunk, 1)
        for ref in col.refs:  # a value derived from a missing value is missing too
            if masks.get(ref) is not None:
                mask = masks[ref] if mask is None else (mask | masks[ref])
        masks[name] = mask
    out = {col.name: _cut(values[col.name], masks[col.name], col.kind, keep) for col in plan.columns}
    return start, out


def _given_chunk(values: tuple[Any, np.ndarray | None], start: int, n: int) -> tuple[Any, np.ndarray | None]:
    """Rows [start, start + n) of a given column, padded to n (the chunk's tail is cut later)."""
    data, mask = values
    part = data.slice(start, n) if isinstance(data, pa.Array) else data[start:start + n]
    short = n - len(part)
    if short:
        part = (pa.concat_arrays([part, pa.nulls(short, part.type)]) if isinstance(part, pa.Array)
                else np.concatenate([part, np.zeros(short, dtype=part.dtype)]))
    if mask is not None:
        mask = np.concatenate([mask[start:start + n], np.zeros(short, bool)])
    return part, mask


_ENTITY_VALUES: dict[tuple, Any] = {}
_entity_lock = threading.Lock()


def _entity_values(plan: Plan, col: PlannedColumn, seed: int) -> Any:
    """The N values of an entity column (distinct when its type can make that many), from
    their own seed, so every chunk agrees on them."""
    key = (plan.schema_json, plan.locale, seed, col.name)
    with _entity_lock:
        found = _ENTITY_VALUES.get(key)
    if found is None:
        n = col.params["entities"]
        gen = GENERATORS[col.type]
        size = gen.domain(col.params, plan.locale) if gen.domain is not None else None
        distinct = TYPES[col.type].unique == "always" or (size is not None and size >= n)
        rng = stream(seed, col.key, 0xE171)
        ctx = Ctx(rng=rng, n=n, start=0, locale=plan.locale, cols={}, aux={}, unique=distinct,
                  key=column_key(seed, col.key), name=col.name, seed=seed, chunk=0)
        found = gen.make(ctx, col.params)
        with _entity_lock:
            _ENTITY_VALUES[key] = found
            while len(_ENTITY_VALUES) > 64:
                _ENTITY_VALUES.pop(next(iter(_ENTITY_VALUES)))
    return found


def _take(values: Any, idx: np.ndarray) -> Any:
    return values.take(pa.array(idx)) if isinstance(values, pa.Array) else np.asarray(values)[idx]


def _cut(values: Any, mask: np.ndarray | None, kind: str, keep: int) -> Any:
    if kind == STRING:
        arr = values.slice(0, keep)
        if arr.type != pa.large_string():  # what pandas' "str" holds: no conversion later
            arr = arr.cast(pa.large_string())
        if mask is not None:
            arr = pc.if_else(pa.array(mask[:keep]), pa.scalar(None, pa.large_string()), arr)
        return arr
    arr = np.asarray(values)[:keep]
    if kind == FLOAT:
        arr = arr.astype(np.float64, copy=mask is not None)
        if mask is not None:
            arr[mask[:keep]] = np.nan
        return arr
    if kind in (DATE, DATETIME):
        arr = arr.astype("datetime64[s]", copy=mask is not None)
        if mask is not None:
            arr[mask[:keep]] = np.datetime64("NaT")
        return arr
    if kind == CATEGORY:
        arr = arr.astype(np.int32)
        if mask is not None:
            arr[mask[:keep]] = -1
        return arr
    return (arr, None if mask is None else mask[:keep])  # INT, BOOL: values + mask


def _rows(plan: Plan, rows: int | None) -> int:
    return check_rows(rows if rows is not None else (plan.rows or DEFAULT_ROWS))


def generate(plan: Plan, rows: int | None = None, *, seed: int | None = None,
             progress: Progress | None = None, messy: float | None = None,
             given: Given | None = None) -> pd.DataFrame:
    """The whole frame in memory (see :func:`frames` to stream).

    ``rows`` defaults to the plan's own, else 1000; ``messy`` (default: the plan's own)
    spoils that share of the cells and records which in ``df.attrs["synth"]["messy"]``.
    ``given`` maps columns whose values come from outside (a dataset's foreign keys and
    copied columns, :mod:`synth_magic.relate`) to ``(values, missing mask or None)`` for
    every row, held as generators hold them (numpy arrays, Arrow strings, category codes).
    """
    import pandas as pd

    rows = _rows(plan, rows)
    check_fits(plan, rows)
    seed = resolve_seed(seed)
    _check_unique(plan, rows)
    messy = _messy_rate(plan, messy)
    records: list[dict[str, list]] = []
    store: dict[str, Any] = {}
    masks: dict[str, np.ndarray | None] = {}
    for col in plan.columns:
        kind, name = col.kind, col.name
        if kind == STRING:
            store[name] = []
        else:
            store[name] = np.empty(rows, dtype=_HELD[kind])
            if kind in (INT, BOOL) and (col.nullable or messy):
                masks[name] = np.zeros(rows, dtype=bool)
    for start, chunk, record in _chunks(plan, rows, seed, messy=messy, given=given):
        if record is not None:
            records.append(record)
        for col in plan.columns:
            name, value = col.name, chunk[col.name]
            if col.kind == STRING:
                store[name].append(value)
            elif isinstance(value, tuple):
                data, mask = value
                store[name][start:start + len(data)] = data
                if mask is not None:
                    masks[name][start:start + len(data)] = mask
            else:
                store[name][start:start + len(value)] = value
        if progress is not None:
            progress(min(start + CHUNK, rows), rows)
    data = {c.name: _to_pandas(store[c.name], masks.get(c.name), c, bool(messy)) for c in _in_frame_order(plan)}
    df = pd.DataFrame(data, copy=False)
    df.attrs["synth"] = {"seed": seed, "schema": plan.schema_json}
    if messy:
        df.attrs["synth"]["messy"] = _messy_record(messy, records)
    return df


def _messy_rate(plan: Plan, messy: float | None) -> float:
    from ._inputs import check_messy

    return check_messy(plan.messy if messy is None else messy)


def _messy_record(rate: float, records: list[dict[str, list]]) -> dict[str, Any]:
    """What was made messy, as plain JSON-able lists (row, column, problem, clean value)."""
    cells: dict[str, list] = {"row": [], "column": [], "problem": [], "clean": []}
    for record in records:
        for key in cells:
            cells[key] += record[key]
    return {"rate": rate, "cells": cells}


def frames(plan: Plan, rows: int | None = None, *, seed: int | None = None,
           rows_per_frame: int | None = None, messy: float | None = None,
           arrow: bool = False) -> Iterator[pd.DataFrame | pa.Table]:
    """The same rows as :func:`generate`, as a stream of smaller frames (for big files);
    each frame's ``attrs["synth"]["messy"]`` says what was made messy in it. Frames have
    ``rows_per_frame`` rows (whole chunks), by default as many as fill about
    :data:`BATCH_BYTES` (:func:`batch_chunks`). With ``arrow``, each is a pyarrow Table of
    the same columns instead (see :func:`frame_of_chunks`)."""
    rows = _rows(plan, rows)
    seed = resolve_seed(seed)
    per = max(1, rows_per_frame // CHUNK) if rows_per_frame is not None else batch_chunks(plan)
    check_fits(plan, min(rows, per * CHUNK), streaming=True)
    for first in range(0, -(-rows // CHUNK), per):
        yield frame_of_chunks(plan, rows, seed, first, first + per, messy=messy, arrow=arrow)


def frame_of_chunks(plan: Plan, rows: int, seed: int, first: int, stop: int, *,
                    messy: float | None = None, given: Given | None = None,
                    arrow: bool = False) -> pd.DataFrame | pa.Table:
    """Chunks ``[first, stop)`` of a request for ``rows`` rows with ``seed``.

    These are rows ``first * CHUNK`` up to ``stop * CHUNK`` (at most ``rows``) of
    ``generate(plan, rows, seed=seed)``, with that RangeIndex. A chunk range depends on
    nothing else, so ranges can be made in any order, in any process, on any machine
    (:mod:`synth_magic.dask`). An empty range gives :func:`empty_frame`. ``given`` is as
    :func:`generate`'s, for the range's rows only (its values start at row ``first * CHUNK``).
    With ``arrow`` (and no ``messy``), a pyarrow Table of the columns the frame would have, made
    without pandas: what ``pa.array`` makes of each column of the frame (an encoder's input).
    """
    rows = check_rows(rows)
    if rows > MAX_ROWS:
        raise InputError(f"rows must be at most {MAX_ROWS:,}.")
    if check_seed(seed) is None:
        raise InputError("seed must be given: every chunk range of one request needs the request's seed.")
    if not 0 <= first <= stop:
        raise InputError(f"A chunk range needs 0 <= first <= stop, not {first} and {stop}.")
    _check_unique(plan, rows)
    messy = _messy_rate(plan, messy)
    parts: dict[str, list[Any]] = {c.name: [] for c in plan.columns}
    records = []
    for _, chunk, record in _chunks(plan, rows, seed, first, stop, messy, given, first * CHUNK):
        for name, value in chunk.items():
            parts[name].append(value)
        records.append(record)
    if arrow and not messy:
        cols = _in_frame_order(plan)
        return pa.Table.from_arrays([_to_arrow(*_concat(parts[c.name], c), c) for c in cols],
                                    names=[c.name for c in cols])
    df = _frame(plan, parts, first * CHUNK, bool(messy))
    if arrow:
        return pa.Table.from_pandas(df, preserve_index=False, nthreads=1)
    if messy:
        df.attrs["synth"] = {"seed": seed, "messy": _messy_record(messy, records)}
    return df


def empty_frame(plan: Plan) -> pd.DataFrame:
    """No rows, with the columns and dtypes of ``plan``'s frames (a Dask ``meta``).

    Made from the catalogue's value kinds; nothing is drawn.
    """
    return _frame(plan, {c.name: [] for c in plan.columns}, 0, bool(_messy_rate(plan, None)))


def _frame(plan: Plan, parts: dict[str, list[Any]], start: int, messy: bool) -> pd.DataFrame:
    import pandas as pd

    data = {c.name: _to_pandas(*_concat(parts[c.name], c, messy), c, messy) for c in _in_frame_order(plan)}
    df = pd.DataFrame(data, copy=False)
    df.index = pd.RangeIndex(start, start + len(df))
    return df


def _concat(parts: list[Any], col: PlannedColumn, messy: bool = False) -> tuple[Any, np.ndarray | None]:
    if col.kind == STRING:
        return parts, None
    if not parts:
        return np.empty(0, dtype=_HELD[col.kind]), None
    if isinstance(parts[0], tuple):
        values = np.concatenate([p[0] for p in parts])
        if any(p[1] is not None for p in parts):
            mask = np.concatenate([p[1] if p[1] is not None else np.zeros(len(p[0]), bool) for p in parts])
        else:
            mask = np.zeros(len(values), dtype=bool) if col.nullable or messy else None
        return values, mask
    return np.concatenate(parts), None


def _in_frame_order(plan: Plan) -> list[PlannedColumn]:
    by_name = {c.name: c for c in plan.columns}
    return [by_name[name] for name in plan.order]


def _to_arrow(values: Any, mask: np.ndarray | None, col: PlannedColumn) -> pa.Array | pa.ChunkedArray:
    """A column as ``pa.array`` makes it of :func:`_to_pandas`' column (not messy): NaN and NaT are nulls."""
    if col.kind == STRING:
        return pa.chunked_array(values, type=pa.large_string())
    if col.kind == CATEGORY:
        codes = pa.array(values.astype(np.int8 if len(col.categories or ()) < 127 else np.int16), mask=values < 0)
        return pa.DictionaryArray.from_arrays(codes, pa.array(list(col.categories or []), pa.large_string()))
    return pa.array(values, mask=mask if col.kind in (INT, BOOL) and col.nullable else None, from_pandas=True)


def _to_pandas(values: Any, mask: np.ndarray | None, col: PlannedColumn, messy: bool = False) -> Any:
    import pandas as pd

    kind = col.kind
    if kind == STRING:
        return pd.array(pa.chunked_array(values, type=pa.large_string()), dtype="str")
    if kind == CATEGORY:
        cats = list(col.categories or [])
        if messy:  # the clean categories, then the messy spellings that occur
            spelled, where = messy_categories(tuple(cats))
            values = np.where(values >= 0, where[np.maximum(values, 0)], -1)
            used = np.zeros(len(spelled), dtype=bool)
            used[:len(cats)] = True
            used[np.unique(values[values >= 0])] = True
            keep = np.flatnonzero(used)
            values = np.where(values >= 0, np.searchsorted(keep, np.maximum(values, 0)), -1)
            cats = [spelled[i] for i in keep]
        codes = values.astype(np.int8 if len(cats) < 127 else np.int16)
        return pd.Categorical.from_codes(codes, categories=pd.Index(cats, dtype="str"))
    if kind in (INT, BOOL) and (col.nullable or messy):
        array = pd.arrays.IntegerArray if kind == INT else pd.arrays.BooleanArray
        return array(values, mask if mask is not None else np.zeros(len(values), bool))
    return values
