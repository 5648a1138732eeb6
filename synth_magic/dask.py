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
    import dask.dataframe as dd

    from .schema import Schema

__all__ = ["frame"]


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
