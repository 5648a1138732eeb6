"""Dates, timestamps and times of day."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa

from .._syntax import clock_seconds, parse_duration, parse_when
from . import _kernels as K
from ._base import Ctx, Generator
from ._numbers import evaluate
from ._series import entity_count

__all__ = ["GENERATORS", "when"]


def when(text: str) -> np.datetime64:
    """A date parameter (already validated) as datetime64[s]."""
    return np.datetime64(parse_when(text), "s")


_NAT = np.iinfo(np.int64).min  # NaT as int64 seconds
_FIRST, _LAST = parse_when("0001-01-01"), parse_when("9999-12-31 23:59:59")


def _draw_seconds(ctx: Ctx, p: dict[str, Any], grain: int) -> np.ndarray:
    """Seconds since 1970 (int64; NaT where there is no date yet)."""
    if p.get("expr"):  # a date beyond the years 1 to 9999 is no date (missing, as a formula's NaN)
        values, _ = evaluate(ctx, p["expr"])
        lost = np.isnan(values) | (values < _FIRST) | (values > _LAST)
        return np.where(lost, _NAT, np.floor(np.where(lost, 0, values) / grain) * grain).astype(np.int64)
    after = p.get("after")
    if after and after in ctx.cols:
        return _after(ctx, p, grain, ctx.cols[after].astype("datetime64[s]"))
    start = parse_when(p["start"])
    end = parse_when(p["end"])
    if p.get("step"):  # one value every step (per entity: each entity's rows in turn, in order)
        step = int(parse_duration(p["step"]) or grain)
        return start + ctx.index // entity_count(ctx, p.get("entity")) * step
    slots = (end - start) // grain + 1
    return start + ctx.pick(slots) * grain


def _after(ctx: Ctx, p: dict[str, Any], grain: int, base: np.ndarray) -> np.ndarray:
    """A gap after another date; with an end given, never past it (an event that could not
    have happened by then has no date yet: NaT)."""
    missing = np.isnat(base)
    secs = base.astype(np.int64)
    lo, hi = parse_duration(p["min_gap"]) or 0.0, parse_duration(p["max_gap"]) or 0.0
    end = parse_when(p["end"]) if p.get("end") else None
    top = np.full(ctx.n, hi) if end is None else np.minimum(hi, (end - secs).astype(np.float64))
    gap = lo + ctx.rng.random(ctx.n) * np.maximum(top - lo, 0.0)
    out = secs + (gap // grain * grain).astype(np.int64)
    return np.where(missing | (top < lo), _NAT, out)


def _gen_datetime(ctx: Ctx, p: dict[str, Any]) -> np.ndarray:
    return _draw_seconds(ctx, p, 1).astype("datetime64[s]")


def _gen_date(ctx: Ctx, p: dict[str, Any]) -> np.ndarray:
    secs = _draw_seconds(ctx, p, 86400)
    return np.where(secs == _NAT, secs, secs // 86400 * 86400).astype("datetime64[s]")


def _window_domain(grain: int) -> Callable[[dict[str, Any], str], int | None]:
    def domain(p: dict[str, Any], _: str) -> int | None:
        if p.get("after") or p.get("step") or p.get("expr"):
            return None
        start, end = parse_when(p["start"]), parse_when(p["end"])
        if start is None or end is None:
            return None
        return (end - start) // grain + 1

    return domain


def _gen_time(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    lo = clock_seconds(p["start"])
    hi = clock_seconds(p["end"])
    secs = lo + ctx.pick(hi - lo + 1)
    hms = np.stack([secs // 3600, secs // 60 % 60, secs % 60], axis=1)
    mat = np.empty((ctx.n, 8), dtype=np.uint8)
    for j in range(3):
        mat[:, 3 * j:3 * j + 2] = K.digit_matrix(hms[:, j], 2) + 48
    mat[:, 2] = mat[:, 5] = ord(":")
    return K.fixed_width(mat)


GENERATORS: dict[str, Generator] = {
    "date": Generator(_gen_date, _window_domain(86400)),
    "datetime": Generator(_gen_datetime, _window_domain(1)),
    "time": Generator(_gen_time, lambda p, _: clock_seconds(p["end"]) - clock_seconds(p["start"]) + 1),
}
