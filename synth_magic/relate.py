"""A resolved dataset → its tables, children made from their parents' row numbers.

Parents come first (:class:`~synth_magic.dataset.DatasetPlan` lists the tables in
dependency order). For a table whose rows an ``each`` relation makes, every parent row's
number of children is drawn, vectorised and exactly within the relation's range, and the
child → parent row index is ``np.repeat(arange(parents), counts)``: children are grouped
by parent, no join and no loop per row. ``pick`` relations draw a parent row per child row
(``distinct``: a keyed affine permutation within each group, so one parent never appears
twice in a group; ``optional``: that share of keys missing). Foreign keys and copied
columns are then the parent's values gathered at those row numbers and given to
:func:`synth_magic.generate.generate` as columns, so the child's own columns can read them
(an order date after its customer's signup date). Aggregates (a sum of line totals) are
``np.bincount`` over the child → parent index, filled in once the children exist.

Determinism and prefix stability: each table's columns have their own seed (the run's seed
and the table's name); per-parent counts are drawn per chunk of parent rows from seeds of
the relation and the chunk, and per-row picks per chunk of child rows, so the first k
parents have the same children when more parents are asked for, and the first rows of
every table stay the same. Only when a child table's rows are fixed as well (``rows={...}``)
are the counts allocated over all parents at once, exactly summing to those rows.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from ._inputs import DEFAULT_ROWS, check_rows
from .catalog import CATEGORY, DATE, DATETIME, FLOAT, INT, STRING
from .errors import InputError, SchemaError
from .generate import CHUNK, generate, resolve_seed

if TYPE_CHECKING:
    import pandas as pd

    from .dataset import DatasetPlan, RelationPlan, Rollup, TablePlan

__all__ = ["counts", "generate_dataset", "pick", "table_rows", "table_seed"]

_SKEW = 2.5  # counts lo + (hi - lo + 1) * u**2.5: about half the parents the fewest, a few the most


def table_seed(seed: int, table: str) -> int:
    """The seed of one table's own columns."""
    ss = np.random.SeedSequence(seed, spawn_key=(zlib.crc32(table.encode()), 0x7AB1E))
    return int(ss.generate_state(1, np.uint64)[0] % (1 << 63))


def _rng(seed: int, tag: int, chunk: int, what: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(tag, chunk, what)))


def _uniforms(seed: int, tag: int, n: int, what: int) -> np.ndarray:
    """n uniforms drawn chunk by chunk (whole chunks, then cut): prefix-stable."""
    out = np.empty(n)
    for chunk in range(-(-n // CHUNK)):
        start = chunk * CHUNK
        out[start:start + CHUNK] = _rng(seed, tag, chunk, what).random(CHUNK)[:n - start]
    return out


def _shape(u: np.ndarray, distribution: str) -> np.ndarray:
    return u ** _SKEW if distribution == "skewed" else u


def counts(rel: RelationPlan, parents: int, seed: int, total: int | None = None) -> np.ndarray:
    """Children per parent row, each in [min, max]; summing to ``total`` when it is given."""
    lo, hi = rel.min, rel.max
    span = hi - lo
    weights = _shape(_uniforms(seed, rel.tag, parents, 0xC0), rel.distribution)
    if total is None:
        return lo + np.minimum(np.floor(weights * (span + 1)).astype(np.int64), span)
    if not parents * lo <= total <= parents * hi:
        raise SchemaError(
            f"Table '{rel.child}' cannot have {total:,} rows when each of the {parents:,} rows of '{rel.parent}' "
            f"has {lo} to {hi} of them ({parents * lo:,} to {parents * hi:,} in all); change the rows or the "
            f"range of '{rel.child}.{rel.column}'.")
    extra = total - parents * lo
    if not parents or not extra:
        return np.full(parents, lo, dtype=np.int64)
    weights = weights + 1e-9
    given = np.minimum(np.floor(weights * (extra / weights.sum())).astype(np.int64), span)
    left = extra - int(given.sum())
    order = _rng(seed, rel.tag, 0, 0xC1).permutation(parents)  # the rest one by one, in a random order
    free = span - given[order]
    before = np.cumsum(free) - free
    given[order] += np.clip(left - before, 0, free)
    return lo + given


def pick(rel: RelationPlan, rows: int, parents: int, seed: int,
         group: np.ndarray | None = None, starts: np.ndarray | None = None) -> np.ndarray:
    """A parent row per row (-1: none); ``distinct`` within each group of rows (rows of the
    same ``each`` parent, contiguous) or, without groups, across the whole table."""
    if parents == 0:
        if rows and rel.optional < 1:
            raise SchemaError(f"Column '{rel.child}.{rel.column}' refers to '{rel.parent}', which has no rows; "
                              f"give '{rel.parent}' rows.")
        return np.full(rows, -1, dtype=np.int64)
    if rel.distinct and group is None:
        if rows > parents:
            raise SchemaError(f"Column '{rel.child}.{rel.column}' picks distinct rows of '{rel.parent}', so "
                              f"'{rel.child}' can have at most {parents:,} rows, not {rows:,}.")
        from .generators._kernels import scramble

        idx = scramble(np.arange(rows, dtype=np.int64), parents, rel.tag * 0x9E3779B1 + seed)
    elif rel.distinct:
        idx = _distinct_in_groups(rel, parents, seed, group, starts)
    else:
        u = _shape(_uniforms(seed, rel.tag, rows, 0xB0), rel.distribution)
        idx = np.minimum((u * parents).astype(np.int64), parents - 1)
    if rel.optional:
        idx = np.where(_uniforms(seed, rel.tag, rows, 0xB1) < rel.optional, -1, idx)
    return idx


def _distinct_in_groups(rel: RelationPlan, parents: int, seed: int, group: np.ndarray,
                        starts: np.ndarray) -> np.ndarray:
    """Row j of group g takes parent (a_g * j + b_g) mod parents, a_g coprime to parents:
    distinct for j < parents. a_g and b_g are drawn per chunk of groups (prefix-stable)."""
    groups = len(starts)
    sizes = np.diff(np.append(starts, len(group)))
    if groups and sizes.max(initial=0) > parents:
        raise SchemaError(f"Column '{rel.child}.{rel.column}' picks distinct rows of '{rel.parent}', but one group "
                          f"has {int(sizes.max()):,} rows and '{rel.parent}' only {parents:,}; lower the count per "
                          f"parent or give '{rel.parent}' more rows.")
    b = np.minimum((_uniforms(seed, rel.tag, groups, 0xA0) * parents).astype(np.int64), parents - 1)
    a = np.ones(groups, dtype=np.int64)
    if parents > 2:
        todo = np.ones(groups, dtype=bool)
        for what in range(0xA1, 0xA9):  # a few tries: most draws are coprime
            draw = 1 + np.minimum((_uniforms(seed, rel.tag, groups, what) * (parents - 1)).astype(np.int64), parents - 2)
            ok = todo & (np.gcd(draw, parents) == 1)
            a[ok] = draw[ok]
            todo &= ~ok
    j = np.arange(len(group), dtype=np.int64) - starts[group]
    return (a[group] * j + b[group]) % parents


def table_rows(plan: DatasetPlan, rows: int | Mapping[str, int] | None) -> dict[str, int]:
    """Rows asked per table: an int is the first table's; a mapping names tables."""
    first = plan.order[0]
    if rows is None:
        return {}
    if isinstance(rows, Mapping):
        unknown = [name for name in rows if name not in plan.order]
        if unknown:
            raise InputError(f"rows names table '{str(unknown[0])[:40]}', which the dataset does not have "
                             f"(it has {', '.join(plan.order)}).")
        return {name: check_rows(value) for name, value in rows.items()}
    return {first: check_rows(rows)}


def generate_dataset(plan: DatasetPlan, rows: int | Mapping[str, int] | None = None, *,
                     seed: int | None = None) -> tuple[dict[str, pd.DataFrame], int]:
    """Every table of ``plan`` (parents first) and the seed used."""
    seed = resolve_seed(seed)
    asked = table_rows(plan, rows)
    frames: dict[str, pd.DataFrame] = {}
    index: dict[tuple[str, str], np.ndarray] = {}  # (child, foreign key) → parent row per child row
    for t in plan.tables:
        given: dict[str, tuple[Any, np.ndarray | None]] = {}
        group = starts = None
        if t.each is not None:
            per = counts(t.each, len(frames[t.each.parent]), seed, asked.get(t.name))
            group = np.repeat(np.arange(len(per), dtype=np.int64), per)
            starts = np.cumsum(per) - per
            n = len(group)
            index[(t.name, t.each.column)] = group
        else:
            n = asked.get(t.name) or t.rows or (DEFAULT_ROWS if t.name == plan.order[0] else _default_rows(plan, asked))
        for rel in t.picks:
            index[(t.name, rel.column)] = pick(rel, n, len(frames[rel.parent]), seed, group, starts)
        planned = {c.name: c for c in t.plan.columns}
        for rel in ((t.each,) if t.each else ()) + t.picks:
            key = frames[rel.parent][_key(plan, rel.parent)]
            given[rel.column] = _gather(key, index[(t.name, rel.column)], planned[rel.column])
        for column, via, source, how in t.copies:
            parent = next(r.parent for r in ((t.each,) if t.each else ()) + t.picks if r.column == via)
            values = frames[parent][source]
            if how == "currency":
                values = _currency_of(values)
            given[column] = _gather(values, index[(t.name, via)], planned[column])
        df = generate(t.plan, n, seed=table_seed(seed, t.name), given=given) if n else _empty(t)
        df.attrs["synth"] = {"seed": seed, "schema": t.schema_json, "table": t.name}
        frames[t.name] = df
    for t in reversed(plan.tables):  # children first: a sum of sums adds finished totals
        for roll in t.rollups:
            frames[t.name][roll.column] = _rollup(roll, index[(roll.child, roll.via)], frames[roll.child], len(frames[t.name]))
    return {name: frames[name] for name in (t.name for t in plan.tables)}, seed


def _default_rows(plan: DatasetPlan, asked: dict[str, int]) -> int:
    return asked.get(plan.order[0]) or plan.table(plan.order[0]).rows or DEFAULT_ROWS


def _empty(t: TablePlan) -> pd.DataFrame:
    from .generate import empty_frame

    return empty_frame(t.plan)


def _key(plan: DatasetPlan, table: str) -> str:
    key = plan.table(table).key
    assert key is not None  # validation refuses a parent without a key
    return key


def _gather(values: pd.Series, idx: np.ndarray, col: Any) -> tuple[Any, np.ndarray | None]:
    """A parent's column at the child rows' parent row numbers (-1: missing), held as the
    child's column ``col`` holds its values while generating."""
    import pandas as pd

    missing = idx < 0
    safe = np.where(missing, 0, idx)
    kind = col.kind
    if kind == STRING:
        arrow = pa.array(values.array, type=pa.large_string()) if len(values) else pa.array([], pa.large_string())
        taken = arrow.take(pa.array(safe))
        if missing.any():
            import pyarrow.compute as pc

            taken = pc.if_else(pa.array(missing), pa.scalar(None, pa.large_string()), taken)
        return taken, None
    if kind == CATEGORY:
        cats = list(col.categories or ())
        source = pd.Categorical(values)
        lookup = np.array([cats.index(c) for c in source.categories], dtype=np.int32)
        codes = source.codes.astype(np.int64)
        mapped = np.where(codes >= 0, lookup[np.maximum(codes, 0)] if len(lookup) else -1, -1).astype(np.int32)
        return np.where(missing, -1, mapped[safe]).astype(np.int32), None
    if kind in (DATE, DATETIME):
        arr = values.to_numpy(dtype="datetime64[s]", na_value=np.datetime64("NaT"))[safe]
        arr[missing] = np.datetime64("NaT")
        return arr, None
    if kind == FLOAT:
        arr = values.to_numpy(dtype=np.float64, na_value=np.nan)[safe]
        arr[missing] = np.nan
        return arr, None
    dtype = np.int64 if kind == INT else np.bool_
    data = values.to_numpy(dtype=dtype, na_value=0)[safe] if len(values) else np.zeros(len(idx), dtype)
    nulls = (values.isna().to_numpy()[safe] if len(values) else np.zeros(len(idx), bool)) | missing
    return data, (nulls if col.nullable and nulls.any() else None)


def _currency_of(countries: pd.Series) -> pd.Series:
    """Each country's currency (ISO 4217, from the catalogue's table; USD where it has none),
    one lookup per distinct country."""
    import pandas as pd

    from .catalog import COUNTRY_CURRENCY
    from .generators._geo import places

    table = places()
    code = dict(zip(np.asarray(table.country_name.to_pylist() if hasattr(table.country_name, "to_pylist")
                               else table.country_name), table.country, strict=True))
    codes, names = pd.factorize(countries, use_na_sentinel=True)
    currency = np.array([COUNTRY_CURRENCY.get(code.get(name, ""), "USD") for name in names] + [None], dtype=object)
    return pd.Series(currency[codes], index=countries.index, dtype="str")


def _rollup(roll: Rollup, idx: np.ndarray, child: pd.DataFrame, parents: int) -> np.ndarray:
    """A parent column from its children: sum, count, mean, min or max per parent row."""
    has = idx >= 0
    owner = idx[has]
    n = np.bincount(owner, minlength=parents)
    if roll.how == "count":
        return n.astype(np.int64)
    values = child[roll.source].to_numpy(dtype=np.float64, na_value=np.nan)[has]
    seen = ~np.isnan(values)
    owner, values = owner[seen], values[seen]
    if roll.how in ("sum", "mean"):
        total = np.bincount(owner, weights=values, minlength=parents)
        out = total if roll.how == "sum" else np.where(n > 0, total / np.maximum(np.bincount(owner, minlength=parents), 1), np.nan)
    else:
        out = np.full(parents, np.inf if roll.how == "min" else -np.inf)
        (np.minimum if roll.how == "min" else np.maximum).at(out, owner, values)
        out[~np.isfinite(out)] = np.nan
    if roll.decimals is not None:
        out = np.round(out, roll.decimals)
    if roll.kind == INT:
        if np.isnan(out).any():
            import pandas as pd

            return pd.array(np.where(np.isnan(out), 0, out).astype(np.int64), dtype="Int64").where(~np.isnan(out))
        return out.astype(np.int64)
    return out
