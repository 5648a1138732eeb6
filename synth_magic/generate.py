"""Schema + rows + seed → DataFrame, column at a time, in fixed-size chunks.

Determinism contract: chunk ``c`` of column ``name`` is drawn from
``SeedSequence(seed, spawn_key=(crc32(name), c))`` and every chunk is generated whole,
so the same schema, rows, seed and package version give the same frame, the first k
rows of a bigger request equal a request for k rows, and adding a column does not
change the others.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import catalog as C
from .config import DEFAULT_ROWS, check_rows, check_seed
from .errors import InputError, SchemaError

if TYPE_CHECKING:
    import pandas as pd

    from .schema import Column, Schema

CHUNK = 16384
MAX_ROWS = 2**31  # unique values are scrambled row numbers below 2**32
_STRING_BYTES = {"paragraph": 420, "sentence": 80, "user_agent": 120, "address": 48,
                 "url": 50, "uuid": 40, "title": 36, "street_address": 28}

Progress = Callable[[int, int], None]


@dataclass
class _Col:
    column: Column
    spec: C.TypeSpec
    params: dict[str, Any]
    key: int
    refs: list[str]
    categories: list[str] | None
    nullable: bool = False


def _prepare(schema: Schema, rows: int) -> list[_Col]:
    from .schema import order_columns

    cols = {}
    deps = {}
    for column in schema.columns:
        spec = column.spec()
        params = column.resolved()
        refs = C.column_refs(spec, params)
        deps[column.name] = refs
        cats = spec.categories(params) if spec.categories else None
        cols[column.name] = _Col(column, spec, params, C.stable_key(column.name), refs, cats)
        if column.unique:
            _check_unique(column, spec, params, schema.locale, rows)
    ordered = [cols[c.name] for c in order_columns(schema.columns, deps)]
    for col in ordered:  # a value derived from a possibly missing value may be missing
        col.nullable = col.column.null_rate > 0 or any(cols[r].nullable for r in col.refs)
    return ordered


def _check_unique(column: Column, spec: C.TypeSpec, params: dict[str, Any], locale: str, rows: int) -> None:
    if spec.name in ("id", "uuid", "ipv6"):
        return
    if spec.domain is None:
        raise SchemaError(
            f"Column '{column.name}': type '{spec.name}' cannot promise unique values; drop 'unique' "
            "or use an id, uuid or code column."
        )
    size = spec.domain(params, locale)
    if size is None:
        raise SchemaError(f"Column '{column.name}': unique values need a fixed range; drop 'after' or 'unique'.")
    if size < rows:
        raise SchemaError(
            f"Column '{column.name}' must be unique but its type '{spec.name}' has only {size:,} possible "
            f"values for {rows:,} rows; widen its range, drop 'unique' or ask for fewer rows."
        )


def estimate_bytes_per_row(schema: Schema) -> int:
    total = 0
    for col in schema.columns:
        kind = col.spec().kind
        if kind == C.STRING:
            total += _STRING_BYTES.get(col.type, 20) + 4
        elif kind == C.CATEGORY or kind == C.BOOL:
            total += 2
        else:
            total += 9
    return total


def _available_memory() -> int:
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return 8 << 30


def check_fits(schema: Schema, rows: int) -> None:
    """Refuse up front a frame that cannot fit in this machine's free memory."""
    need = estimate_bytes_per_row(schema) * rows * 2
    free = _available_memory()
    if rows > MAX_ROWS or need > free:
        raise InputError(
            f"{rows:,} rows of this table need about {_gib(need)} of memory and this machine has "
            f"{_gib(free)} free; ask for fewer rows, or stream them to a file with "
            f"`synth ... --rows {rows} -o data.csv`."
        )


def _gib(n: int) -> str:
    return f"{n / (1 << 30):,.1f} GiB"


def resolve_seed(seed: int | None) -> int:
    seed = check_seed(seed)
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % (1 << 63))
    return seed


def _chunks(schema: Schema, prepared: list[_Col], rows: int, seed: int,
            first: int = 0, stop: int | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (start, {name: values}) for chunks [first, stop), nulls applied, cut to ``rows``."""
    last = -(-rows // CHUNK) if stop is None else min(stop, -(-rows // CHUNK))
    for chunk in range(first, last):
        yield _chunk(schema, prepared, rows, seed, chunk)


def _chunk(schema: Schema, prepared: list[_Col], rows: int, seed: int, chunk: int) -> tuple[int, dict[str, Any]]:
    start = chunk * CHUNK
    keep = min(CHUNK, rows - start)
    values: dict[str, Any] = {}
    aux: dict[str, Any] = {}
    masks: dict[str, np.ndarray | None] = {}
    for col in prepared:
        name = col.column.name
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(col.key, chunk)))
        ctx = C.Ctx(rng=rng, n=CHUNK, start=start, locale=schema.locale, cols=values, aux=aux,
                    unique=col.column.unique, key=col.key, name=name)
        values[name] = col.spec.gen(ctx, col.params)
        if col.categories is not None:
            aux[name + ":categories"] = (None, col.categories)
        mask = None
        if col.column.null_rate:
            null_rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(col.key, chunk, 1)))
            mask = null_rng.random(CHUNK) < col.column.null_rate
        for ref in col.refs:  # a value derived from a missing value is missing too
            if masks.get(ref) is not None:
                mask = masks[ref] if mask is None else (mask | masks[ref])
        masks[name] = mask
    out = {}
    for col in prepared:
        name = col.column.name
        out[name] = _cut(values[name], masks[name], col.spec.kind, keep)
    return start, out


def _cut(values: Any, mask: np.ndarray | None, kind: str, keep: int) -> Any:
    if kind == C.STRING:
        arr = values.slice(0, keep)
        if arr.type != pa.large_string():  # what pandas' "str" holds: no conversion later
            arr = arr.cast(pa.large_string())
        if mask is not None:
            arr = pc.if_else(pa.array(mask[:keep]), pa.scalar(None, pa.large_string()), arr)
        return arr
    arr = np.asarray(values)[:keep]
    if kind == C.FLOAT:
        arr = arr.astype(np.float64, copy=mask is not None)
        if mask is not None:
            arr[mask[:keep]] = np.nan
        return arr
    if kind in (C.DATE, C.DATETIME):
        arr = arr.astype("datetime64[s]", copy=mask is not None)
        if mask is not None:
            arr[mask[:keep]] = np.datetime64("NaT")
        return arr
    if kind == C.CATEGORY:
        arr = arr.astype(np.int32)
        if mask is not None:
            arr[mask[:keep]] = -1
        return arr
    return (arr, None if mask is None else mask[:keep])  # INT, BOOL: values + mask


def generate(schema: Schema, rows: int | None = None, *, seed: int | None = None,
             progress: Progress | None = None) -> pd.DataFrame:
    """The whole frame in memory (see :func:`frames` to stream)."""
    import pandas as pd

    rows = check_rows(rows if rows is not None else (schema.rows or DEFAULT_ROWS))
    check_fits(schema, rows)
    seed = resolve_seed(seed)
    prepared = _prepare(schema, rows)
    store: dict[str, Any] = {}
    masks: dict[str, np.ndarray | None] = {}
    for col in prepared:
        kind, name = col.spec.kind, col.column.name
        if kind == C.STRING:
            store[name] = []
        elif kind == C.CATEGORY:
            store[name] = np.empty(rows, dtype=np.int32)
        else:
            dtype = {C.INT: np.int64, C.FLOAT: np.float64, C.BOOL: np.bool_}.get(kind, "datetime64[s]")
            store[name] = np.empty(rows, dtype=dtype)
            if kind in (C.INT, C.BOOL) and col.nullable:
                masks[name] = np.zeros(rows, dtype=bool)
    for start, chunk in _chunks(schema, prepared, rows, seed):
        for col in prepared:
            name, value = col.column.name, chunk[col.column.name]
            if col.spec.kind == C.STRING:
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
    data = {p.column.name: _to_pandas(store[p.column.name], masks.get(p.column.name), p)
            for p in _in_schema_order(schema, prepared)}
    df = pd.DataFrame(data, copy=False)
    df.attrs["synth"] = {"seed": seed, "schema": schema.to_json()}
    return df


def frames(schema: Schema, rows: int, *, seed: int | None = None,
           rows_per_frame: int = 8 * CHUNK) -> Iterator[pd.DataFrame]:
    """The same rows as :func:`generate`, as a stream of smaller frames (for big files)."""
    import pandas as pd

    rows = check_rows(rows)
    if rows > MAX_ROWS:
        raise InputError(f"rows must be at most {MAX_ROWS:,}.")
    seed = resolve_seed(seed)
    prepared = _prepare(schema, rows)
    per = max(1, rows_per_frame // CHUNK)
    for first in range(0, -(-rows // CHUNK), per):
        parts: dict[str, list[Any]] = {c.column.name: [] for c in prepared}
        for _, chunk in _chunks(schema, prepared, rows, seed, first, first + per):
            for name, value in chunk.items():
                parts[name].append(value)
        data = {p.column.name: _to_pandas(*_concat(parts[p.column.name], p), p) for p in _in_schema_order(schema, prepared)}
        df = pd.DataFrame(data, copy=False)
        df.index = pd.RangeIndex(first * CHUNK, first * CHUNK + len(df))
        yield df


def _concat(parts: list[Any], prep: _Col) -> tuple[Any, np.ndarray | None]:
    if prep.spec.kind == C.STRING:
        return parts, None
    if isinstance(parts[0], tuple):
        values = np.concatenate([p[0] for p in parts])
        mask = None if parts[0][1] is None else np.concatenate([p[1] for p in parts])
        if mask is None and prep.nullable:
            mask = np.zeros(len(values), dtype=bool)
        return values, mask
    return np.concatenate(parts), None


def _in_schema_order(schema: Schema, prepared: list[_Col]) -> list[_Col]:
    by_name = {p.column.name: p for p in prepared}
    return [by_name[c.name] for c in schema.columns]


def _to_pandas(values: Any, mask: np.ndarray | None, prep: _Col) -> Any:
    import pandas as pd

    kind = prep.spec.kind
    if kind == C.STRING:
        return pd.array(pa.chunked_array(values, type=pa.large_string()), dtype="str")
    if kind == C.CATEGORY:
        cats = prep.categories or []
        codes = values.astype(np.int8 if len(cats) < 127 else np.int16)
        return pd.Categorical.from_codes(codes, categories=pd.Index(cats, dtype="str"))
    if kind == C.INT and prep.nullable:
        return pd.arrays.IntegerArray(values, mask if mask is not None else np.zeros(len(values), bool))
    if kind == C.BOOL and prep.nullable:
        return pd.arrays.BooleanArray(values, mask if mask is not None else np.zeros(len(values), bool))
    return values
