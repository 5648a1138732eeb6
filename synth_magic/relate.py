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
added up per parent row over the child → parent index (counted by ``np.bincount``, summed
one value after the other in row order), filled in once the children exist.

Every draw can be made for any range of rows alone (:func:`counts_in`, :func:`pick`,
:func:`given_columns`, :func:`rollup_add` over the rows in parts, in order), so
:mod:`synth_magic.dask` makes the same tables a partition at a time.

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
from .generators._base import stream

if TYPE_CHECKING:
    import pandas as pd

    from .dataset import DatasetPlan, RelationPlan, Rollup, TablePlan

__all__ = [
    "check_pick", "chunk_counts", "counts", "counts_in", "generate_dataset", "given_columns", "own_rows", "pick",
    "relations", "rollup", "rollup_add", "rollup_finish", "rollup_start", "table_rows", "table_seed",
]

_SKEW = 2.5  # counts lo + (hi - lo + 1) * u**2.5: about half the parents the fewest, a few the most


def table_seed(seed: int, table: str) -> int:
    """The seed of one table's own columns."""
    ss = np.random.SeedSequence(seed, spawn_key=(zlib.crc32(table.encode()), 0x7AB1E))
    return int(ss.generate_state(1, np.uint64)[0] % (1 << 63))


def _rng(seed: int, tag: int, chunk: int, what: int) -> np.random.Generator:
    return stream(seed, tag, chunk, what)


def _uniforms(seed: int, tag: int, stop: int, what: int, start: int = 0) -> np.ndarray:
    """Uniforms number ``start`` to ``stop`` of a stream drawn chunk by chunk (whole chunks,
    then cut): prefix-stable, and any range of it can be drawn alone."""
    out = np.empty(max(stop - start, 0))
    for chunk in range(start // CHUNK, -(-stop // CHUNK)):
        lo = chunk * CHUNK
        a, b = max(start, lo), min(stop, lo + CHUNK)
        out[a - start:b - start] = _rng(seed, tag, chunk, what).random(CHUNK)[a - lo:b - lo]
    return out


def _shape(u: np.ndarray, distribution: str) -> np.ndarray:
    return u ** _SKEW if distribution == "skewed" else u


def counts_in(rel: RelationPlan, seed: int, start: int, stop: int) -> np.ndarray:
    """Children of parent rows ``start`` to ``stop``, each in [min, max] (as :func:`counts`
    draws them without a total)."""
    span = rel.max - rel.min
    weights = _shape(_uniforms(seed, rel.tag, stop, 0xC0, start), rel.distribution)
    return rel.min + np.minimum(np.floor(weights * (span + 1)).astype(np.int64), span)


def chunk_counts(rel: RelationPlan, parents: int, seed: int) -> tuple[np.ndarray, int]:
    """The children of each chunk of parent rows (their sum) and the most any one parent has;
    memory by chunks, not rows."""
    sums = np.zeros(-(-parents // CHUNK), dtype=np.int64)
    largest = 0
    for chunk in range(len(sums)):
        per = counts_in(rel, seed, chunk * CHUNK, min(parents, (chunk + 1) * CHUNK))
        sums[chunk] = per.sum()
        largest = max(largest, int(per.max()))
    return sums, largest


def counts(rel: RelationPlan, parents: int, seed: int, total: int | None = None) -> np.ndarray:
    """Children per parent row, each in [min, max]; summing to ``total`` when it is given."""
    if total is None:
        return counts_in(rel, seed, 0, parents)
    lo, hi = rel.min, rel.max
    span = hi - lo
    weights = _shape(_uniforms(seed, rel.tag, parents, 0xC0), rel.distribution)
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


def check_pick(rel: RelationPlan, rows: int, parents: int, largest_group: int | None = None) -> None:
    """Refuse a ``pick`` that cannot be made for a table of ``rows`` rows (``largest_group``:
    the most rows one ``each`` parent of the table has, when ``distinct`` is within groups)."""
    if parents == 0:
        if rows and rel.optional < 1:
            raise SchemaError(f"Column '{rel.child}.{rel.column}' refers to '{rel.parent}', which has no rows; "
                              f"give '{rel.parent}' rows.")
    elif rel.distinct and largest_group is None and rows > parents:
        raise SchemaError(f"Column '{rel.child}.{rel.column}' picks distinct rows of '{rel.parent}', so "
                          f"'{rel.child}' can have at most {parents:,} rows, not {rows:,}.")
    elif rel.distinct and largest_group is not None and largest_group > parents:
        raise SchemaError(f"Column '{rel.child}.{rel.column}' picks distinct rows of '{rel.parent}', but one group "
                          f"has {largest_group:,} rows and '{rel.parent}' only {parents:,}; lower the count per "
                          f"parent or give '{rel.parent}' more rows.")


def pick(rel: RelationPlan, parents: int, seed: int, first: int, stop: int,
         group: np.ndarray | None = None, within: np.ndarray | None = None) -> np.ndarray:
    """A parent row for each of rows ``first`` to ``stop`` (-1: none), checked by
    :func:`check_pick`; ``distinct`` within each group of rows (rows of the same ``each``
    parent: ``group`` is each row's parent row, ``within`` its place among that parent's
    rows) or, without groups, across the whole table. Any range can be drawn alone."""
    rows = stop - first
    if parents == 0:
        return np.full(rows, -1, dtype=np.int64)
    if rel.distinct and group is None:
        from .generators._kernels import scramble

        idx = scramble(np.arange(first, stop, dtype=np.int64), parents, rel.tag * 0x9E3779B1 + seed)
    elif rel.distinct:
        idx = _distinct_in_groups(rel, parents, seed, group, within)
    else:
        u = _shape(_uniforms(seed, rel.tag, stop, 0xB0, first), rel.distribution)
        idx = np.minimum((u * parents).astype(np.int64), parents - 1)
    if rel.optional:
        idx = np.where(_uniforms(seed, rel.tag, stop, 0xB1, first) < rel.optional, -1, idx)
    return idx


def _distinct_in_groups(rel: RelationPlan, parents: int, seed: int, group: np.ndarray,
                        within: np.ndarray) -> np.ndarray:
    """Row j of group g takes parent (a_g * j + b_g) mod parents, a_g coprime to parents:
    distinct for j < parents. a_g and b_g are drawn per chunk of groups (prefix-stable),
    for the groups of these rows only (``group`` ascends)."""
    g0, g1 = (int(group[0]), int(group[-1]) + 1) if len(group) else (0, 0)
    groups = g1 - g0
    b = np.minimum((_uniforms(seed, rel.tag, g1, 0xA0, g0) * parents).astype(np.int64), parents - 1)
    a = np.ones(groups, dtype=np.int64)
    if parents > 2:
        todo = np.ones(groups, dtype=bool)
        for what in range(0xA1, 0xA9):  # a few tries: most draws are coprime
            draw = 1 + np.minimum((_uniforms(seed, rel.tag, g1, what, g0) * (parents - 1)).astype(np.int64),
                                  parents - 2)
            ok = todo & (np.gcd(draw, parents) == 1)
            a[ok] = draw[ok]
            todo &= ~ok
    at = group - g0
    return (a[at] * within + b[at]) % parents


def relations(t: TablePlan) -> tuple[RelationPlan, ...]:
    """A table's relations to its parents: its ``each`` one first, then its picks."""
    return ((t.each,) if t.each is not None else ()) + t.picks


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
        group = within = None
        largest = None
        if t.each is not None:
            per = counts(t.each, len(frames[t.each.parent]), seed, asked.get(t.name))
            group = np.repeat(np.arange(len(per), dtype=np.int64), per)
            within = np.arange(len(group), dtype=np.int64) - (np.cumsum(per) - per)[group]
            n, largest = len(group), int(per.max(initial=0))
            index[(t.name, t.each.column)] = group
        else:
            n = own_rows(plan, t, asked)
        for rel in t.picks:
            check_pick(rel, n, len(frames[rel.parent]), largest if rel.distinct else None)
            index[(t.name, rel.column)] = pick(rel, len(frames[rel.parent]), seed, 0, n, group, within)
        given = given_columns(plan, t, {r.column: frames[r.parent] for r in relations(t)},
                              {r.column: index[(t.name, r.column)] for r in relations(t)})
        df = generate(t.plan, n, seed=table_seed(seed, t.name), given=given) if n else _empty(t)
        df.attrs["synth"] = {"seed": seed, "schema": t.schema_json, "table": t.name}
        frames[t.name] = df
    for t in reversed(plan.tables):  # children first: a sum of sums adds finished totals
        for roll in t.rollups:
            frames[t.name][roll.column] = rollup(plan, roll, index[(roll.child, roll.via)], frames[roll.child],
                                                 len(frames[t.name]))
    return {name: frames[name] for name in (t.name for t in plan.tables)}, seed


def own_rows(plan: DatasetPlan, t: TablePlan, asked: Mapping[str, int]) -> int:
    """The rows of a table that no ``each`` relation makes: asked, its schema's, else the
    first table's (else the default)."""
    first = plan.order[0]
    return asked.get(t.name) or t.rows or (
        DEFAULT_ROWS if t.name == first else asked.get(first) or plan.table(first).rows or DEFAULT_ROWS)


def given_columns(plan: DatasetPlan, t: TablePlan, parent_rows: Mapping[str, pd.DataFrame],
                  index: Mapping[str, np.ndarray]) -> dict[str, tuple[Any, np.ndarray | None]]:
    """``t``'s foreign keys and copied columns, as :func:`~synth_magic.generate.generate`
    takes them: per relation (by its column), ``parent_rows`` are rows of the parent and
    ``index`` the row among them of each row of ``t`` (-1: none)."""
    planned = {c.name: c for c in t.plan.columns}
    given = {rel.column: _gather(parent_rows[rel.column][_key(plan, rel.parent)], index[rel.column],
                                 planned[rel.column]) for rel in relations(t)}
    for column, via, source, how in t.copies:
        values = parent_rows[via][source]
        if how == "currency":
            values = _currency_of(values)
        given[column] = _gather(values, index[via], planned[column])
    return given


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


def rollup(plan: DatasetPlan, roll: Rollup, idx: np.ndarray, child: pd.DataFrame, parents: int) -> Any:
    """A parent column from its children: sum, count, mean, min or max per parent row
    (``idx``: each child row's parent row, -1: none). A whole-number min or max is a
    nullable Int64 column when a parent can be without a value (no children, or missing
    values), whether or not one is: the dtype follows the schema, not the rows."""
    return rollup_finish(plan, roll, rollup_add(roll, rollup_start(parents), idx, child))


def rollup_start(parents: int) -> tuple[np.ndarray, ...]:
    """What a total adds up, before any child: children, children with a value, their sum,
    least and greatest value, per parent row."""
    return (np.zeros(parents, np.int64), np.zeros(parents, np.int64), np.zeros(parents),
            np.full(parents, np.inf), np.full(parents, -np.inf))


def rollup_add(roll: Rollup, state: tuple[np.ndarray, ...], idx: np.ndarray,
               child: pd.DataFrame) -> tuple[np.ndarray, ...]:
    """``state`` with more children added (a new one: the state given is left as it was).
    Values are added one by one in row order, so adding the rows in parts, in order,
    gives the very sums that adding them at once does."""
    n, seen_n, total, least, most = (a.copy() for a in state)
    has = idx >= 0
    owner = idx[has]
    n += np.bincount(owner, minlength=len(n))
    if roll.how == "count":
        return n, seen_n, total, least, most
    values = child[roll.source].to_numpy(dtype=np.float64, na_value=np.nan)[has]
    seen = ~np.isnan(values)
    owner, values = owner[seen], values[seen]
    if roll.how in ("sum", "mean"):
        np.add.at(total, owner, values)
        seen_n += np.bincount(owner, minlength=len(n))
    else:
        (np.minimum if roll.how == "min" else np.maximum).at(least if roll.how == "min" else most, owner, values)
    return n, seen_n, total, least, most


def rollup_finish(plan: DatasetPlan, roll: Rollup, state: tuple[np.ndarray, ...]) -> Any:
    """The parent column from what its children added up (see :func:`rollup`)."""
    n, seen_n, total, least, most = state
    if roll.how == "count":
        return n.copy()
    if roll.how in ("sum", "mean"):
        out = total.copy() if roll.how == "sum" else np.where(n > 0, total / np.maximum(seen_n, 1), np.nan)
    else:
        out = (least if roll.how == "min" else most).copy()
        out[~np.isfinite(out)] = np.nan
    if roll.decimals is not None:
        out = np.round(out, roll.decimals)
    if roll.kind == INT:
        if _can_be_missing(plan, roll):
            import pandas as pd

            gone = np.isnan(out)
            return pd.arrays.IntegerArray(np.where(gone, 0, out).astype(np.int64), gone)
        return out.astype(np.int64)
    return out


def _can_be_missing(plan: DatasetPlan, roll: Rollup) -> bool:
    if roll.how not in ("min", "max"):
        return False
    child = plan.table(roll.child)
    rel = next(r for r in relations(child) if r.column == roll.via)
    source = next(c for c in child.plan.columns if c.name == roll.source)
    return rel.mode == "pick" or rel.min == 0 or source.nullable
