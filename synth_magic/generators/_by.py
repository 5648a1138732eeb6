"""Settings chosen per value of other columns (``by``), and rank correlation with others.

A column with ``by=level`` and ``mean={junior: 45000, senior: 90000}`` gets, row by row,
the setting of the key its ``level`` matches. :func:`groups` turns the keys into one
group number per row (the most specific key first: fewer ``*`` parts win, then the order
written; -1 where no key matches), and :func:`per_row` spreads a setting over the rows
as an array, so a generator draws every row in one vector operation whatever its group.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .._syntax import ANY, key_parts, parse_range
from ._base import Ctx

__all__ = ["correlate", "groups", "mapped", "normal_quantile", "per_row"]


def mapped(p: dict[str, Any]) -> list[str]:
    """The keys of every setting given per value, in the order written (none: no 'by')."""
    if not p.get("by"):
        return []
    keys = (k for name, v in p.items() if isinstance(v, dict) and name != "correlate" for k in v)
    return list(dict.fromkeys(keys))


def groups(ctx: Ctx, p: dict[str, Any], keys: list[str]) -> np.ndarray:
    """Per row, the index in ``keys`` of the key its 'by' values match (-1: none)."""
    by = [p["by"]] if isinstance(p["by"], str) else list(p["by"])
    out = np.full(ctx.n, -1, dtype=np.int64)
    parsed = [(i, key_parts(k, len(by)) or [ANY] * len(by)) for i, k in enumerate(keys)]
    parsed.sort(key=lambda item: sum(part == ANY for part in item[1]))  # stable: the order written breaks ties
    for i, parts in parsed:
        hit = np.ones(ctx.n, dtype=bool)
        for part, column in zip(parts, by, strict=True):
            if part != ANY:
                hit &= _matches(ctx, column, part)
        out[hit & (out < 0)] = i
    return out


def _matches(ctx: Ctx, column: str, part: str) -> np.ndarray:
    values = ctx.cols[column]
    cats = ctx.aux.get(column + ":categories", (None, None))[1]
    if cats is not None:
        return np.asarray(values) == (cats.index(part) if part in cats else -2)
    if isinstance(values, pa.Array):
        return np.asarray(pc.fill_null(pc.equal(values, pa.scalar(part, values.type)), False))
    arr = np.asarray(values)
    if arr.dtype == np.bool_:
        return arr == (part.lower() == "true")
    span = parse_range(part)
    if span is None:
        return np.zeros(len(arr), dtype=bool)
    lo, hi, lo_in, hi_in = span
    return ((arr >= lo) if lo_in else (arr > lo)) & ((arr <= hi) if hi_in else (arr < hi))


def per_row(value: Any, keys: list[str], g: np.ndarray | None) -> Any:
    """``value`` as it holds on each row: itself, or when given per value an array of each
    row's setting (its key's, else the '*' entry validation always fills; None becomes NaN)."""
    if not isinstance(value, dict) or g is None:
        return value
    fallback = value.get(ANY)
    table = np.array([_num(value.get(k, fallback)) for k in keys] + [_num(fallback)], dtype=np.float64)
    return table[np.where(g < 0, len(keys), g)]


def _num(x: Any) -> float:
    return np.nan if x is None else float(x)


# ------------------------------------------------------------------ correlation

def normal_quantile(u: np.ndarray) -> np.ndarray:
    """The standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9)."""
    a = (-3.969683028665376e01, 2.209460984245205e02, -2.759285104469687e02, 1.383577518672690e02,
         -3.066479806614716e01, 2.506628277459239e00)
    b = (-5.447609879822406e01, 1.615858368580409e02, -1.556989798598866e02, 6.680131188771972e01,
         -1.328068155288572e01)
    c = (-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e00, -2.549732539343734e00,
         4.374664141464968e00, 2.938163982698783e00)
    d = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e00, 3.754408661907416e00)
    u = np.clip(np.asarray(u, dtype=np.float64), 1e-300, 1 - 1e-16)
    # The central formula on every value (in place, no gather: the tails are overwritten
    # after), the tails' own on theirs: each value exactly as computed alone.
    q = u - 0.5
    r = q * q
    num, den = np.full_like(r, a[0]), np.full_like(r, b[0])
    for k in a[1:]:
        num *= r
        num += k
    num *= q
    for k in b[1:]:
        den *= r
        den += k
    den *= r
    den += 1
    out = np.divide(num, den, out=num)
    for side, sign in ((u < 0.02425, 1.0), (u > 1 - 0.02425, -1.0)):
        t = np.sqrt(-2 * np.log(u[side] if sign > 0 else 1 - u[side]))
        out[side] = sign * (((((c[0] * t + c[1]) * t + c[2]) * t + c[3]) * t + c[4]) * t + c[5]) / \
            ((((d[0] * t + d[1]) * t + d[2]) * t + d[3]) * t + 1)
    return out


def _scores(values: Any, rng: np.random.Generator) -> np.ndarray:
    """Normal scores of a column's ranks in the chunk (ties broken at random)."""
    x = np.asarray(values, dtype=np.float64)
    n = len(x)
    order = np.lexsort((rng.random(n), np.nan_to_num(x, nan=-np.inf)))
    ranks = np.empty(n, dtype=np.float64)
    ranks[order] = np.arange(n)
    return normal_quantile((ranks + 0.5) / n)


def correlate(ctx: Ctx, x: np.ndarray, with_: dict[str, float], g: np.ndarray | None = None) -> np.ndarray:
    """``x`` reordered so its ranks follow the columns of ``with_`` at those rank
    correlations (a Gaussian copula), keeping exactly the values drawn (per group, when
    the column's settings depend on 'by')."""
    z = np.zeros(ctx.n)
    left = 1.0
    for name, rho in with_.items():
        r = 2 * np.sin(np.pi * rho / 6)  # Spearman's rho → the copula's Pearson correlation
        z += r * _scores(ctx.cols[name], ctx.rng)
        left -= r * r
    z += np.sqrt(max(left, 0.0)) * ctx.rng.standard_normal(ctx.n)
    group = np.zeros(ctx.n, dtype=np.int64) if g is None else g
    out = np.empty_like(x)
    out[np.lexsort((z, group))] = x[np.lexsort((x, group))]
    return out
