"""``synth()`` and ``plan()``: the one pipeline every surface calls.

description ─► plan (cache, planner) ─► Schema ─► generate ─► DataFrame ─► save
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import config
from .errors import InputError
from .schema import Schema, looks_like_text_form

if TYPE_CHECKING:
    import pandas as pd

    from .generate import Progress


@dataclass
class Planned:
    """A schema and where it came from: 'offline', 'openai', 'cache' or 'schema'."""

    schema: Schema
    source: str
    seconds: float


@dataclass
class Result:
    """What one run made, for surfaces that show more than the frame."""

    frame: pd.DataFrame
    schema: Schema
    source: str
    seed: int
    seconds: float
    path: Path | None = None

    def summary(self) -> str:
        rows, cols = self.frame.shape
        text = f"{rows:,} rows × {cols} columns · schema from {self.source} · seed {self.seed} · {self.seconds:.2f} s"
        if self.path is not None:
            text += f" · saved to {self.path}"
        return text


def plan_with_source(description: str | Schema, *, planner: str | None = None, model: str | None = None,
                     locale: str | None = None, refresh: bool = False, cache: bool = True,
                     cache_dir: str | os.PathLike[str] | None = None) -> Planned:
    """Plan a schema, saying whether it came from a planner, the cache or the text itself."""
    started = time.perf_counter()
    if isinstance(description, Schema):
        schema, source = Schema.from_dict(description.to_dict()), "schema"
    else:
        text = config.check_description(description)
        if looks_like_text_form(text):
            schema, source = Schema.from_text(text), "schema"
        else:
            schema, source = _plan_description(text, planner, model, refresh, cache, cache_dir)
    if locale is not None:
        schema.locale = config.check_locale(locale)
    return Planned(schema, source, time.perf_counter() - started)


def _plan_description(text: str, planner_name: str | None, model: str | None, refresh: bool,
                      use_cache: bool, cache_dir: str | os.PathLike[str] | None) -> tuple[Schema, str]:
    from .cache import SchemaCache, cache_key
    from .planner import get_planner

    settings = config.settings(planner=planner_name, model=model, cache_dir=cache_dir)
    planner = get_planner(settings)
    key = cache_key(text, planner.name, planner.model, planner.version)
    store = SchemaCache(settings.cache_dir) if use_cache else None
    try:
        if store is not None and not refresh:
            hit = store.get(key)
            if hit is not None:
                return hit, "cache"
        schema = planner.plan(text)
        if store is not None and schema.planner == planner.name:
            store.set(key, schema)  # a fallback plan is not cached under the model's key
        return schema, schema.planner or planner.name
    finally:
        if store is not None:
            store.close()


def plan(description: str | Schema, *, planner: str | None = None, model: str | None = None,
         locale: str | None = None, refresh: bool = False) -> Schema:
    """Turn a description (or a schema's text form) into a :class:`Schema`.

    ``planner`` is ``"offline"`` or ``"openai"``; ``None`` picks ``openai`` when an API key
    or base URL is configured, else ``offline``. ``refresh=True`` skips the cache.
    """
    return plan_with_source(description, planner=planner, model=model, locale=locale, refresh=refresh).schema


def run(description: str | Schema, rows: int | None = None, *, seed: int | None = None,
        locale: str | None = None, planner: str | None = None, model: str | None = None,
        save: str | os.PathLike[str] | bool | None = None, refresh: bool = False,
        progress: Progress | None = None, default_rows: int | None = None,
        cache_dir: str | os.PathLike[str] | None = None) -> Result:
    """The whole pipeline, returning the frame with what surfaces show about it.

    ``default_rows`` is used when neither ``rows`` nor the description gives a count
    (a surface's own default, e.g. ``%config SynthMagics.default_rows``).
    """
    from .generate import generate

    started = time.perf_counter()
    if rows is not None:
        rows = config.check_rows(rows)
    save_path = _save_target(description, save)
    planned = plan_with_source(description, planner=planner, model=model, locale=locale, refresh=refresh,
                               cache_dir=cache_dir)
    if rows is None and planned.schema.rows is None and default_rows is not None:
        rows = config.check_rows(default_rows)
    frame = generate(planned.schema, rows, seed=seed, progress=progress)
    frame.attrs["synth"]["source"] = planned.source
    written = None
    if save_path is not None:
        from .export import save as write

        written = write(frame, save_path, overwrite=save is not True)  # a suggested name never overwrites
    return Result(frame, planned.schema, planned.source, frame.attrs["synth"]["seed"],
                  time.perf_counter() - started, written)


def synth(description: str | Schema, rows: int | None = None, *, seed: int | None = None,
          locale: str | None = None, planner: str | None = None, model: str | None = None,
          save: str | os.PathLike[str] | bool | None = None, refresh: bool = False) -> pd.DataFrame:
    """A synthetic DataFrame from a sentence.

    >>> df = synth("finance transactions with amount between 1 and 500", rows=100, seed=42)
    >>> df.shape[0]
    100

    ``rows`` defaults to a count named in the description ("200 employees"), else 1000.
    The same description, rows and seed give the same frame. ``save`` writes a ``.csv``
    or ``.parquet`` file atomically (``save=True`` picks a name from the description).
    """
    return run(description, rows, seed=seed, locale=locale, planner=planner, model=model,
               save=save, refresh=refresh).frame


def _save_target(description: str | Schema, save: str | os.PathLike[str] | bool | None) -> Path | None:
    from .export import suggest_path, target

    if save is None or save is False:
        return None
    if save is True:
        title = description.title if isinstance(description, Schema) else str(description)
        return suggest_path(title or "synth")
    if isinstance(save, str | os.PathLike):
        return target(save)[0]
    raise InputError("save must be a file name ending in .csv or .parquet, or True.")


def schema_of(frame: Any) -> Schema | None:
    """The schema a frame was generated from, if it carries one."""
    info = getattr(frame, "attrs", {}).get("synth") if hasattr(frame, "attrs") else None
    if not isinstance(info, dict) or not isinstance(info.get("schema"), str):
        return None
    return Schema.from_json(info["schema"])
