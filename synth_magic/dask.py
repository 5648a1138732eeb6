"""The same rows on a Dask cluster: ``frame(...).compute()`` equals ``synth(...)``.

::

    import synth_magic.dask

    df = synth_magic.dask.frame("finance transactions", 100_000_000, seed=42)
    df.amount.mean().compute()          # on your Client's cluster, or Dask's local threads
    df.to_parquet("transactions/")

Each partition is a whole range of the generator's 16,384-row chunks, made on a worker from
the schema's text, the row count, the seed and the range: the task graph carries that text
and those numbers, never data, so its size depends on the partitions, not on the rows. The
dtypes (from the type catalogue) and the divisions (row numbers) are known up front.

:func:`dataset` does the same for related tables: a lazy frame per table, whose foreign
keys hold across partitions (children are made from their parents' row numbers; nothing
is shuffled).

``synth(..., engine="dask")`` gives the same lazy frame with the default partitions, and
``synth DESC --rows N --engine dask -o out/`` writes a folder of Parquet parts on a cluster.
Needs ``pip install synth-magic[dask]``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import _dask, api
from ._inputs import check_rows
from .generate import resolve_seed

if TYPE_CHECKING:
    from collections.abc import Mapping

    import dask.dataframe as dd

    from .dataset import DatasetSchema
    from .schema import Schema

__all__ = ["dataset", "frame"]


def frame(description_or_schema: str | Schema, rows: int, *, seed: int | None = None,
          npartitions: int | None = None, rows_per_partition: int | None = None,
          planner: str | None = None, locale: str | None = None) -> dd.DataFrame:
    """``rows`` rows of a description (or a :class:`~synth_magic.schema.Schema`) as a lazy
    ``dask.dataframe.DataFrame``.

    Partitions are whole chunk ranges: ``npartitions`` spreads them evenly (at most one per
    16,384 rows), ``rows_per_partition`` is rounded up to whole chunks (default 1,048,576).
    The same schema, rows and seed give the rows ``synth()`` gives; without a seed a random
    one is drawn (it is in every computed partition's ``attrs["synth"]["seed"]``).
    """
    _dask.require()
    planned = api.plan_with_source(description_or_schema, planner=planner, locale=locale)
    return _dask.frame(planned.schema.resolve(), check_rows(rows), resolve_seed(seed),
                       npartitions=npartitions, rows_per_partition=rows_per_partition)


def dataset(description_or_schema: str | DatasetSchema, rows: int | Mapping[str, int] | None = None, *,
            seed: int | None = None, npartitions: int | None = None, rows_per_partition: int | None = None,
            planner: str | None = None, locale: str | None = None) -> dict[str, dd.DataFrame]:
    """Related tables (a description of several, or a :class:`~synth_magic.dataset.DatasetSchema`)
    as lazy ``dask.dataframe.DataFrame`` s, by table name, parents first.

    ``{name: df.compute()}`` equals ``synth(...)``'s tables for the same schema, rows and seed.
    ``rows`` is the first table's rows, or rows by table name for tables no ``each`` relation
    makes (those get their parents' counts of children). Every table is partitioned as
    :func:`frame` partitions one, by its own rows, with known divisions; a partition of a
    child reads the partitions of its parent that hold its rows' parents, and a parent's
    totals (a sum over its children) read the child's partitions that hold its children:
    foreign keys are parent row numbers, and nothing is shuffled.
    """
    from .dataset import DatasetSchema

    _dask.require()
    planned = api.plan_with_source(description_or_schema, planner=planner, locale=locale)
    if not isinstance(planned.schema, DatasetSchema):
        from .errors import InputError

        raise InputError("This description makes one table; use synth_magic.dask.frame for it, or describe "
                         "several related tables (\"customers and their orders\").")
    return _dask.dataset(planned.schema.resolve(), rows, resolve_seed(seed), npartitions=npartitions,
                         rows_per_partition=rows_per_partition)
