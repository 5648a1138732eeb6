"""``synth()``, ``plan()`` and ``run()``: the one pipeline every surface calls.

description ─► plan (cache, planner, fallback) ─► Schema ─► resolve ─► generate ─► DataFrame ─► save

This module owns what every surface shares: defaults, seeds, the planner fallback
(a planner that raises :class:`~synth_magic.errors.PlannerUnavailable` is replaced by the
offline planner, with a warning, and its plan is not cached), streaming to a file and the
summary line. Surfaces only parse their input and present the :class:`Result`.
"""

from __future__ import annotations

import os
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import _inputs as inputs
from . import config
from ._messages import clip
from .errors import InputError, PlannerUnavailable, SynthWarning
from .schema import MAX_NOTE, Schema, looks_like_text_form

if TYPE_CHECKING:
    import pandas as pd

    from .dataset import Dataset, DatasetSchema
    from .generate import Progress

__all__ = ["Planned", "Result", "plan", "plan_with_source", "run", "schema_of", "synth"]


@dataclass
class Planned:
    """A schema and where it came from: 'offline', 'openai' (a planner), 'cache', 'text' (a schema's
    text form) or 'schema' (a :class:`Schema`)."""

    schema: Schema | DatasetSchema
    source: str
    seconds: float


@dataclass
class Result:
    """What one run made, for surfaces that show more than the frame.

    ``frame`` is None when the rows were streamed to ``path`` without being kept
    (``run(..., keep=False)``); ``head`` then holds the first rows. With ``engine="dask"``
    it is a lazy ``dask.dataframe.DataFrame``.
    """

    frame: pd.DataFrame | Dataset | None
    schema: Schema | DatasetSchema
    source: str
    seed: int
    rows: int
    seconds: float
    path: Path | None = None
    head: pd.DataFrame | None = None

    def summary(self, path: bool = True) -> str:
        """One line: rows × columns · schema from … · seed … · seconds (· saved to …)."""
        origin = "schema given" if self.source == "schema" else f"schema from {self.source}"
        if hasattr(self.frame, "foreign_keys"):  # a Dataset: each table's rows
            shape = self.frame.summary()
        elif hasattr(self.schema, "tables"):  # lazy tables (engine="dask")
            shape = f"{len(self.schema.tables)} tables, {self.rows:,} rows"
        else:
            shape = f"{self.rows:,} rows × {len(self.schema.columns)} columns"
        text = f"{shape} · {origin} · seed {self.seed} · {self.seconds:.2f} s"
        if path and self.path is not None:
            text += f" · saved to {self.path}"
        return text


def plan_with_source(description: str | Schema, *, planner: str | None = None, model: str | None = None,
                     locale: str | None = None, refresh: bool = False, cache: bool = True,
                     cache_dir: str | os.PathLike[str] | None = None) -> Planned:
    """Plan a schema, saying whether it came from a planner, the cache or the text itself."""
    from .dataset import DatasetSchema, looks_like_dataset_text, schema_from_text

    started = time.perf_counter()
    if isinstance(description, Schema | DatasetSchema):
        schema, source = type(description).from_dict(description.to_dict()), "schema"
    else:
        text = inputs.check_text(description)
        if looks_like_dataset_text(text) or looks_like_text_form(text):  # a schema pasted back: its own size limit
            schema, source = schema_from_text(text), "text"
        else:
            text = inputs.check_description(text)
            schema, source = _plan_description(text, planner, model, refresh, cache, cache_dir)
    if locale is not None:
        schema.locale = inputs.check_locale(locale)
    return Planned(schema, source, time.perf_counter() - started)


def _plan_description(text: str, planner_name: str | None, model: str | None, refresh: bool,
                      use_cache: bool, cache_dir: str | os.PathLike[str] | None) -> tuple[Schema, str]:
    from . import planner as planners
    from .cache import SchemaCache, cache_key

    settings = config.settings(planner=planner_name, model=model, cache_dir=cache_dir)
    chosen = planners.get_planner(settings)
    found = _dataset_request(text)
    key = cache_key(text, chosen.name, chosen.model, chosen.version + (_DATASET_VERSION if found else ""))
    store = SchemaCache(settings.cache_dir) if use_cache else None
    try:
        if store is not None and not refresh:
            hit = store.get(key)
            if hit is not None:
                return hit, "cache"
        try:
            schema = _plan_text(chosen, text, found)
        except PlannerUnavailable as exc:
            return _fall_back(text, chosen.name, exc.reason, settings, found), planners.FALLBACK
        if store is not None:
            store.set(key, schema)
        return schema, chosen.name
    finally:
        if store is not None:
            store.close()


_DATASET_VERSION = "+dataset1"  # part of a dataset's cache key: bump when datasets plan differently


def _dataset_request(text: str) -> Any:
    """The related tables a description asks for (None: one table)."""
    from .planner._entities import recognise

    return recognise(text)


def _plan_text(chosen: Any, text: str, found: Any) -> Schema | DatasetSchema:
    """One table from the planner; for related tables the planner's own dataset answer
    (the OpenAI planner's), else a dataset whose tables it plans one by one."""
    if found is None:
        return chosen.plan(text)
    if hasattr(chosen, "plan_dataset"):
        return chosen.plan_dataset(text, found)
    from .planner._entities import plan_dataset

    return plan_dataset(found, chosen.plan, chosen.name)


def _fall_back(text: str, name: str, reason: str, settings: config.Settings, found: Any = None) -> Schema | DatasetSchema:
    """The fallback planner's schema for a planner that could not answer (never cached)."""
    from . import planner as planners

    warnings.warn(f"The {name} planner fell back to the {planners.FALLBACK} planner because {reason}; "
                  "the schema was not cached, so the next run asks the model again.", SynthWarning, stacklevel=5)
    schema = _plan_text(planners.REGISTRY[planners.FALLBACK](settings), text, found)
    schema.notes.append(clip(f"Planned {planners.FALLBACK} because the {name} planner failed: {reason}.", MAX_NOTE))
    return schema


def plan(description: str | Schema | DatasetSchema, *, planner: str | None = None, model: str | None = None,
         locale: str | None = None, refresh: bool = False) -> Schema | DatasetSchema:
    """Turn a description (or a schema's text form) into a :class:`Schema`, or a
    :class:`~synth_magic.dataset.DatasetSchema` when it names several related tables.

    ``planner`` is ``"offline"`` or ``"openai"``; ``None`` picks ``openai`` when an API key
    or base URL is configured, else ``offline``. ``refresh=True`` skips the cache.
    """
    return plan_with_source(description, planner=planner, model=model, locale=locale, refresh=refresh).schema


def run(description: str | Schema, rows: int | None = None, *, seed: int | None = None,
        locale: str | None = None, planner: str | None = None, model: str | None = None,
        save: str | os.PathLike[str] | bool | None = None, refresh: bool = False,
        progress: Progress | None = None, default_rows: int | None = None,
        cache_dir: str | os.PathLike[str] | None = None, keep: bool = True, head: int = 0,
        csv_safety: bool | None = None, engine: str = "local", scheduler: str | None = None,
        messy: float | None = None) -> Result:
    """The whole pipeline, returning the frame with what surfaces show about it.

    ``default_rows`` is used when neither ``rows`` nor the description gives a count
    (a surface's own default, e.g. ``%config SynthMagics.default_rows``). With
    ``keep=False`` and ``save``, the rows are streamed to the file in chunks and only the
    first ``head`` rows are kept (files far larger than memory). ``csv_safety`` is the
    export's ``neutralise_formulas`` (default: on, or ``SYNTH_CSV_SAFETY``).
    ``save`` may also be a writable binary stream (``sys.stdout.buffer``): CSV is written
    to it. ``engine="dask"`` gives a lazy dask DataFrame, and ``save`` is a folder of parts
    written on the cluster at ``scheduler`` (see :mod:`synth_magic.dask`). ``messy``
    (default: the schema's own, usually 0) makes that share of the cells messy on purpose
    and records which in ``df.attrs["synth"]["messy"]``.
    """
    from collections.abc import Mapping

    from .generate import frame_of_chunks, frames, generate, resolve_seed

    started = time.perf_counter()
    if rows is not None and not isinstance(rows, Mapping):  # a mapping: rows per table of a dataset
        rows = inputs.check_rows(rows)
    engine = inputs.check_engine(engine)
    if engine == "dask":
        from . import _dask

        _dask.require()
    if messy is not None:
        messy = inputs.check_messy(messy)
    stream_to = _csv_stream(save, engine)
    save_path = _save_target(description, None if stream_to is not None else save, engine)
    planned = plan_with_source(description, planner=planner, model=model, locale=locale, refresh=refresh,
                               cache_dir=cache_dir)
    schema = planned.schema
    if messy is not None:  # the run's own rate: the plan carries it to every engine
        schema.messy = messy
    if not isinstance(schema, Schema) or isinstance(rows, Mapping):
        return _run_dataset(planned, rows, seed, engine, save, save_path, csv_safety, default_rows, started,
                            keep=keep, scheduler=scheduler, progress=progress)
    if save_path is not None and _tables_target(save_path):
        from .errors import ExportError

        raise ExportError(f"'{save_path.name}' holds several tables, and this description makes one; save it "
                          "to a .csv or .parquet file.")
    resolved = schema.resolve()
    if rows is None:  # the schema's own (or one row per period of a series given its end)
        rows = inputs.check_rows(resolved.rows or default_rows or inputs.DEFAULT_ROWS)
    written, frame, first = None, None, None
    if engine == "dask":
        seed = resolve_seed(seed)
        if save_path is not None:
            written = _dask.write(resolved, rows, seed, save_path, scheduler=scheduler, progress=progress,
                                  csv_safety=csv_safety)
        frame = _dask.frame(resolved, rows, seed) if keep else None
        first = frame_of_chunks(resolved, rows, seed, 0, 1 if head else 0).head(head)
    elif (save_path is not None or stream_to is not None) and not keep:
        from .export import save_frames

        seed = resolve_seed(seed)
        kept: list[pd.DataFrame] = []

        def stream() -> Any:
            done = 0
            for part in frames(resolved, rows, seed=seed):
                if not kept:
                    kept.append(part.head(head))
                yield part
                done += len(part)
                if progress is not None:
                    progress(done, rows)

        if stream_to is not None:
            _write_csv(stream(), stream_to, csv_safety)
        else:
            written = save_frames(stream(), save_path, neutralise_formulas=csv_safety, overwrite=save is not True)
        first = kept[0] if kept else None
    else:
        frame = generate(resolved, rows, seed=seed, progress=progress)
        frame.attrs["synth"]["source"] = planned.source
        seed = frame.attrs["synth"]["seed"]
        first = frame.head(head)
        if save_path is not None:
            from .export import save as write

            written = write(frame, save_path, neutralise_formulas=csv_safety,
                            overwrite=save is not True)  # a suggested name never overwrites
        elif stream_to is not None:
            _write_csv([frame], stream_to, csv_safety)
    return Result(frame, schema, planned.source, seed, rows, time.perf_counter() - started, written, first)


def synth(description: str | Schema | DatasetSchema, rows: int | dict[str, int] | None = None, *,
          seed: int | None = None, locale: str | None = None, planner: str | None = None,
          model: str | None = None, save: str | os.PathLike[str] | bool | None = None, refresh: bool = False,
          engine: str = "local", messy: float | None = None) -> pd.DataFrame | Dataset:
    """A synthetic DataFrame from a sentence (a :class:`~synth_magic.dataset.Dataset` of
    related tables when it names several: "customers and their orders").

    >>> df = synth("finance transactions with amount between 1 and 500", rows=100, seed=42)
    >>> df.shape[0]
    100

    ``rows`` defaults to a count named in the description ("200 employees"), else 1000.
    The same description, rows and seed give the same frame. ``save`` writes a ``.csv``
    or ``.parquet`` file atomically (``save=True`` picks a name from the description).
    ``engine="dask"`` returns the same rows as a lazy dask DataFrame (``save``: a folder).
    ``messy=0.05`` makes 5% of the cells messy for a cleaning exercise (which ones:
    ``df.attrs["synth"]["messy"]``). For a dataset ``rows`` is the first table's rows, or
    rows per table (``{"customers": 100, "orders": 1000}``), and ``save`` a folder
    (``shop/``), a SQLite database (``shop.sqlite``) or a DuckDB one (``shop.duckdb``).
    """
    return run(description, rows, seed=seed, locale=locale, planner=planner, model=model,
               save=save, refresh=refresh, engine=engine, messy=messy).frame


def _csv_stream(save: Any, engine: str) -> Any:
    """``save`` when it is a writable binary stream (CSV goes to it), else None."""
    if not callable(getattr(save, "write", None)):
        return None
    if engine != "local":
        raise InputError("engine='dask' writes a folder of parts, not a stream; give a folder to save to.")
    return save


def _write_csv(parts: Any, out: Any, csv_safety: bool | None) -> None:
    from .export import encode

    for data in encode(parts, "csv", neutralise_formulas=csv_safety):
        out.write(data)
    out.flush()


def _run_dataset(planned: Planned, rows: Any, seed: int | None, engine: str, save: Any, save_path: Path | None,
                 csv_safety: bool | None, default_rows: int | None, started: float, *, keep: bool = True,
                 scheduler: str | None = None, progress: Progress | None = None) -> Result:
    """Related tables: made locally in memory, saved to a folder or a database; or with
    ``engine="dask"`` lazy tables by name, saved as a folder of parts per table."""
    from .dataset import DatasetSchema

    schema = planned.schema
    if not isinstance(schema, DatasetSchema):
        raise InputError("rows per table (a mapping) are for descriptions of several related tables; give one number.")
    if rows is None and default_rows is not None and schema.tables[0].schema.rows is None:
        rows = default_rows
    if engine == "dask":
        from . import _dask
        from .generate import resolve_seed

        plan, seed = schema.resolve(), resolve_seed(seed)
        written, total = (None, None) if save_path is None else _dask.write_dataset(
            plan, rows, seed, save_path, scheduler=scheduler, progress=progress, csv_safety=csv_safety)
        tables = _dask.dataset(plan, rows, seed) if keep or total is None else None
        if total is None:
            total = _dask.rows_of(tables)
        return Result(tables, schema, planned.source, seed, total, time.perf_counter() - started, written)
    dataset = schema.generate(rows, seed=seed)
    written = None
    if save_path is not None:
        from .export import save_dataset

        target = save if save is not True else save_path.with_suffix("")  # "shop.parquet/": its slash says folder
        written = save_dataset(dataset, target, neutralise_formulas=csv_safety, overwrite=save is not True)
    return Result(dataset, schema, planned.source, dataset.seed, dataset.rows, time.perf_counter() - started, written)


def _tables_target(path: Path) -> bool:
    from .export import tables_target

    return tables_target(path) is not None


def _save_target(description: str | Schema, save: str | os.PathLike[str] | bool | None,
                 engine: str = "local") -> Path | None:
    from .export import suggest_path, tables_target, target

    if save is None or save is False:
        return None
    if isinstance(save, str | os.PathLike) and engine == "local" and tables_target(save) is not None:
        return tables_target(save)[0]  # a folder or a database: several tables
    if save is True:
        title = description.title if isinstance(description, Schema) else str(description)
        save = suggest_path(title or "synth", suffix=".csv" if engine == "local" else "")
    if not isinstance(save, str | os.PathLike):
        raise InputError("save must be a file name ending in .csv or .parquet, or True.")
    if engine == "dask":
        from ._dask import parts_target

        return parts_target(save)  # a folder of parts: out/*.parquet or out/*.csv
    return target(save)[0]


def schema_of(frame: Any) -> Schema | None:
    """The schema a frame was generated from, if it carries one."""
    info = getattr(frame, "attrs", {}).get("synth") if hasattr(frame, "attrs") else None
    if not isinstance(info, dict) or not isinstance(info.get("schema"), str):
        return None
    return Schema.from_json(info["schema"])
