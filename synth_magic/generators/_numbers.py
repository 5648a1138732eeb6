"""Numbers, flags, categories and formulas."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._syntax import ANY, value_union
from . import _kernels as K
from ._base import Ctx, Generator
from ._by import correlate, groups, mapped, normal_quantile, per_row

__all__ = ["CHOICE", "GENERATORS", "REDRAWN", "below", "decimal_domain", "draw_numeric", "evaluate", "span_domain"]


def span_domain(p: dict[str, Any], _: str) -> int:
    if p.get("values"):
        return len(p["values"])
    return int(p["max"]) - int(np.ceil(p["min"])) + 1


def decimal_domain(p: dict[str, Any], _: str) -> int:
    return int(round((p["max"] - p["min"]) * 10 ** p.get("decimals", 2))) + 1


def draw_numeric(ctx: Ctx, p: dict[str, Any], integer: bool) -> np.ndarray:
    """Numbers in [min, max] with the requested distribution (unique: a scrambled grid).

    Every setting may be given per value of 'by' columns (then it is an array, one entry
    per row); ``min`` or ``max`` may be open (None: a centre was given outside the default
    range). With ``correlate`` the values drawn are reordered to follow other columns' ranks.
    """
    decimals = 0 if integer else int(p.get("decimals", 2))
    if ctx.unique:
        if integer:
            return int(np.ceil(p["min"])) + ctx.pick(span_domain(p, ctx.locale))
        step = 10.0 ** -decimals
        return np.round(p["min"] + ctx.pick(decimal_domain(p, ctx.locale)) * step, decimals)
    keys = mapped(p)
    g = groups(ctx, p, keys) if keys else None
    lo = _row_setting(p, "min", keys, g, ctx.n, open_value=-np.inf)
    hi = _row_setting(p, "max", keys, g, ctx.n, open_value=np.inf)
    mean = _row_setting(p, "mean", keys, g, ctx.n, open_value=np.nan)
    std = _row_setting(p, "std", keys, g, ctx.n, open_value=np.nan)
    x = _draw(ctx.rng, p["distribution"], lo, hi, mean, std, integer, ctx.n)
    if integer:
        x = np.clip(np.floor(x + 0.5), np.ceil(np.maximum(lo, -9.2e18)), np.floor(np.minimum(hi, 9.2e18)))
    else:
        x = np.round(x, decimals)
    if p.get("correlate"):
        x = correlate(ctx, x, p["correlate"], g)
    if p.get("at_least") or p.get("at_most"):
        x = _bounded(ctx, p, x, lo, hi, decimals)
    return x.astype(np.int64) if integer else x


def _bounded(ctx: Ctx, p: dict[str, Any], x: np.ndarray, lo: Any, hi: Any, decimals: int) -> np.ndarray:
    """Values kept at or above ``at_least``'s and at or below ``at_most``'s column, row by row:
    one past a bound is folded back inside by as much as it passed it (a sale price drawn
    $30 above its list price is $30 under it), within the column's own range and the other
    bound where that allows, else at the bound (the upper one when the bounds cross). A row
    whose bound is missing is masked afterwards, as every value derived from a missing one."""
    n = len(x)
    low = np.full(n, -np.inf) if not p.get("at_least") else np.asarray(ctx.cols[p["at_least"]], dtype=np.float64)
    high = np.full(n, np.inf) if not p.get("at_most") else np.asarray(ctx.cols[p["at_most"]], dtype=np.float64)
    low, high = np.where(np.isnan(low), -np.inf, low), np.where(np.isnan(high), np.inf, high)
    scale = 10.0 ** decimals  # to the column's digits, on the bounds' inner side
    floor_, top = np.maximum(low, lo), np.minimum(high, hi)  # where a folded value may land
    with np.errstate(invalid="ignore", over="ignore"):
        under, over = x < low, x > high
        folded = np.where(under, 2 * low - x, np.where(over, 2 * high - x, x))
        folded = np.minimum(np.maximum(folded, floor_), top)
        folded = np.minimum(np.maximum(folded, low), high)  # the bounds over the column's own range
        folded = np.where(under, np.ceil(folded * scale - 1e-9), np.floor(folded * scale + 1e-9)) / scale
        folded = np.where(folded < low, np.ceil(low * scale - 1e-9) / scale, folded)  # rounded past a bound:
        folded = np.where(folded > high, np.floor(high * scale + 1e-9) / scale, folded)  # the upper one wins
    return np.where(under | over, folded, x)


def below(ctx: Ctx, k: Any) -> np.ndarray:
    """Integers in [0, k) (a number, or one per row) from one uniform each, the column's
    stream then moved on as if drawn for the whole chunk: the draws after it give the same
    first values however many rows are made (``Generator.prefix``)."""
    i = (ctx.rng.random(ctx.n) * k).astype(np.int64)
    ctx.skip_rest()
    return np.minimum(i, np.asarray(k) - 1, out=i)


def _row_setting(p: dict[str, Any], name: str, keys: list[str], g: np.ndarray | None, n: int,
                 open_value: float | None = None) -> Any:
    """A setting as one number, or an array of one per row when it is given per value."""
    value = per_row(p.get(name), keys, g)
    if value is None:
        return np.float64(open_value)
    if np.ndim(value) == 0:
        return np.float64(value)
    if open_value is not None:
        value[np.isnan(value)] = open_value
    return value


def _at(a: Any, idx: np.ndarray) -> Any:
    return a if np.ndim(a) == 0 else a[idx]


def _centre(lo: Any, hi: Any, mean: Any, share: float) -> Any:
    """The given centre, else ``share`` of the way from min to max."""
    return np.where(np.isnan(mean), lo + (hi - lo) * share, mean)


def _closed(lo: Any, hi: Any, centre: Any) -> tuple[Any, Any]:
    """The range with an open side (a centre given outside the defaults) mirrored around the centre."""
    return (np.where(np.isfinite(lo), lo, 2 * centre - np.where(np.isfinite(hi), hi, centre + 1)),
            np.where(np.isfinite(hi), hi, 2 * centre - np.where(np.isfinite(lo), lo, centre - 1)))


def _spread(lo: Any, hi: Any, centre: Any, std: Any, parts: float) -> Any:
    """The given spread, else the range over ``parts`` (an open range: as if mirrored)."""
    a, b = _closed(lo, hi, centre)
    default = np.where(np.isfinite(lo) & np.isfinite(hi), (b - a) / parts, (b - a) / 6)
    return np.maximum(np.where(np.isnan(std), default, std), 1e-12)


# Samplers: settings are numbers or arrays of one per row; ``n`` values come out.

def _draw(rng, distribution, lo, hi, mean, std, integer, n):
    """``n`` numbers in [lo, hi] of the shape asked for.

    Uniform and Poisson numbers are drawn as they are (a Poisson tail beyond the bounds is
    drawn again). The other shapes take one uniform per value and nothing is drawn again,
    so a chunk's first k values are the same however many follow (``Generator.prefix``):
    a value is the shape truncated to the range (its inverse CDF) with the chance that one
    of five draws of the shape lands inside, else spread evenly over the range (a centre
    far outside the range, never piled on a bound), the figures redraws used to give.
    """
    if distribution in _SAMPLERS:
        return _redrawn(rng, _SAMPLERS[distribution], lo, hi, mean, std, integer, n)
    u = rng.random(n)
    with np.errstate(all="ignore"):
        inside, quantile = _INVERSE[distribution](lo, hi, mean, std)
        shaped = 1.0 - (1.0 - inside) ** 5
        x = quantile(np.minimum(u / shaped, 1.0))
        bottom, top = _closed(lo, hi, mean)
        spread = bottom + (u - shaped) / (1.0 - shaped) * (top - bottom)
    x = np.where(u < shaped, x, spread)
    bad = ~((x >= lo) & (x <= hi))  # a range beyond what doubles resolve (or NaN): spread over it
    if bad.any():
        bottom, top = _closed(_at(lo, bad), _at(hi, bad), _at(mean, bad))
        x[bad] = bottom + u[bad] * (top - bottom)
    return x


def _redrawn(rng, sample, lo, hi, mean, std, integer, n):
    x = sample(rng, lo, hi, mean, std, integer, n)
    for _ in range(4):  # tails beyond the bounds are drawn again from the same shape...
        out = np.flatnonzero((x < lo) | (x > hi))
        if not out.size:
            break
        x[out] = sample(rng, *(_at(a, out) for a in (lo, hi, mean, std)), integer, out.size)
    out = np.flatnonzero((x < lo) | (x > hi))
    if out.size:  # ...and what is still outside spread over the range, never piled on the bounds
        x[out] = rng.uniform(*_closed(_at(lo, out), _at(hi, out), _at(mean, out)))
    return x


# Truncated shapes: settings → (the share of the shape inside [lo, hi], v in [0, 1] → value).

def _normal(lo, hi, mean, std):
    mu = np.where(np.isnan(mean), (lo + hi) / 2, mean)
    sd = _spread(lo, hi, mu, std, 6)
    inside, z = _truncated_normal((lo - mu) / sd, (hi - mu) / sd)
    return inside, lambda v: mu + sd * z(v)


def _lognormal(lo, hi, mean, std):
    shift = np.maximum(_centre(lo, hi, mean, 0.15) - lo, 1e-9)
    spread = np.where(np.isfinite(hi), 0.8, 0.4)  # a range given: skewed across it; a centre alone: around it
    sigma = np.where(np.isnan(std) | (std <= 0), spread, np.sqrt(np.log1p((np.nan_to_num(std) / shift) ** 2)))
    mu = np.log(shift) - sigma**2 / 2
    inside, z = _truncated_normal(-np.inf, (np.log(hi - lo) - mu) / sigma)
    return inside, lambda v: lo + np.exp(mu + sigma * z(v))


def _exponential(lo, hi, mean, std):
    scale = np.where(np.isnan(mean), np.where(np.isfinite(hi), (hi - lo) / 4, 1.0), np.maximum(mean - lo, 1e-9))
    inside = -np.expm1(-(hi - lo) / scale)
    return inside, lambda v: lo - scale * np.log1p(-v * inside)


def _uniform(rng, lo, hi, mean, std, integer, n):
    bottom, top = _closed(lo, hi, mean)
    if integer:
        low, high = np.ceil(bottom).astype(np.int64), np.floor(top).astype(np.int64) + 1
        return rng.integers(low, high, n if np.ndim(low) == np.ndim(high) == 0 else None).astype(np.float64)
    return rng.uniform(bottom, top, n)


def _poisson(rng, lo, hi, mean, std, integer, n):
    lam = np.where(np.isnan(mean), np.where(np.isfinite(hi), (hi - lo) / 4, 1.0), np.maximum(mean - lo, 0.0))
    return lo + rng.poisson(lam, n).astype(np.float64)


_SAMPLERS = {"uniform": _uniform, "poisson": _poisson}  # the numbers drawn directly
_INVERSE = {"normal": _normal, "lognormal": _lognormal, "exponential": _exponential}  # one uniform each
REDRAWN = frozenset({"poisson"})  # tails drawn again: a chunk's values depend on its length


def _truncated_normal(a: Any, b: Any) -> tuple[Any, Any]:
    """The standard normal's share inside [a, b], and v in [0, 1] → its value truncated
    there (inverse CDF). An interval in the upper tail is mirrored into the lower one,
    where the CDF keeps its precision."""
    flip = a > 0
    lo, hi = np.where(flip, -b, a), np.where(flip, -a, b)
    p_lo, p_hi = _phi(lo), _phi(hi)

    def z(v: np.ndarray) -> np.ndarray:
        out = normal_quantile(p_lo + v * (p_hi - p_lo))
        return np.where(flip, -out, out)

    return p_hi - p_lo, z


def _phi(z: Any) -> Any:
    """The standard normal CDF (math.erfc, exact in both tails) of a number or of each of
    an array's distinct values (settings given per value of a 'by' column: a few)."""
    if np.ndim(z) == 0:
        return 0.5 * math.erfc(-float(z) / _SQRT2)
    distinct, where = np.unique(z, return_inverse=True)
    return np.array([0.5 * math.erfc(-v / _SQRT2) for v in distinct.tolist()])[where.reshape(np.shape(z))]


_SQRT2 = math.sqrt(2.0)


def _integer(ctx: Ctx, p: dict[str, Any]) -> np.ndarray:
    if p.get("values"):  # numeric codes: one of the values, by their weights
        weights = p.get("weights")
        table = K.weighted(tuple(float(w) for w in weights)) if weights else None
        return np.asarray(p["values"], dtype=np.int64)[ctx.pick(len(p["values"]), table)]
    return draw_numeric(ctx, p, integer=True)


def _float(ctx: Ctx, p: dict[str, Any]) -> np.ndarray:
    return draw_numeric(ctx, p, integer=False)


def _money(ctx: Ctx, p: dict[str, Any]) -> np.ndarray:
    """Amounts; 'by' a currency column (and no setting per value): each row in its own currency."""
    from ..catalog import CURRENCIES, locale_currency

    x = draw_numeric(ctx, p, integer=False)
    by = p.get("by")
    cats = ctx.aux.get(f"{by}:categories", (None, None))[1] if isinstance(by, str) else None
    if not cats or mapped(p) or not any(c in CURRENCIES for c in cats):
        return x
    base = CURRENCIES[locale_currency(ctx.locale)][0]
    rate = np.array([CURRENCIES.get(c, (base, 2))[0] / base for c in cats] + [1.0])
    digits = np.array([CURRENCIES.get(c, (0, int(p["decimals"])))[1] for c in cats] + [int(p["decimals"])])
    codes = np.asarray(ctx.cols[by])
    codes = np.where(codes < 0, len(cats), codes)
    scale = 10.0 ** digits[codes]
    return np.round(x * rate[codes] * scale) / scale


def _rating(ctx: Ctx, p: dict[str, Any]) -> np.ndarray:
    lo, hi, dec = float(p["min"]), float(p["max"]), int(p["decimals"])
    if ctx.unique:
        return np.round(lo + ctx.pick(decimal_domain(p, ctx.locale)) * 10.0**-dec, dec)
    # Ratings lean high, as real ones do: a beta(4, 1.6) shape over [min, max].
    x = lo + (hi - lo) * ctx.rng.beta(4.0, 1.6, ctx.n)
    return np.clip(np.round(x, dec), lo, hi)


def _boolean(ctx: Ctx, p: dict[str, Any]) -> np.ndarray:
    keys = mapped(p)
    return ctx.rng.random(ctx.n) < per_row(p["p_true"], keys, groups(ctx, p, keys) if keys else None)


def _id(ctx: Ctx, p: dict[str, Any]) -> np.ndarray:
    return p["start"] + ctx.index * p["step"]


def _choice(ctx: Ctx, p: dict[str, Any]) -> np.ndarray:
    values, weights = p["values"], p.get("weights")
    keys = mapped(p)
    if keys:
        return _choice_by(ctx, p, keys)
    table = K.weighted(tuple(float(w) for w in weights)) if weights else None
    return ctx.pick(len(values), table)


def _choice_by(ctx: Ctx, p: dict[str, Any], keys: list[str]) -> np.ndarray:
    """Codes into all the values a choice given per value can take, each row drawn from
    its own key's values and weights (one alias table per key, drawn in one pass)."""
    union = value_union(p["values"]) if isinstance(p["values"], dict) else list(p["values"])
    position = {v: i for i, v in enumerate(union)}
    rows = []
    for key in [*keys, ANY]:
        vals = _entry(p["values"], key)
        wts = _entry(p.get("weights"), key)
        w = np.zeros(len(union))
        w[[position[v] for v in vals]] = wts if wts is not None and len(wts) == len(vals) else 1.0
        rows.append(w)
    table = K.Weighted2(np.array(rows))
    g = groups(ctx, p, keys)
    return table.draw(ctx.rng, np.where(g < 0, len(keys), g))


def _entry(value: Any, key: str) -> Any:
    return value.get(key, value.get(ANY)) if isinstance(value, dict) else value


def _choice_domain(p: dict[str, Any], _: str) -> int:
    return len(p["values"])


def evaluate(ctx: Ctx, expr: str) -> tuple[np.ndarray, str]:
    """An expression over the chunk's columns (dates as seconds since 1970) and its kind."""
    from .. import formula

    tree, names = formula.parse(expr, ctx.name)
    env, kinds = {}, {}
    for name in names:
        values = np.asarray(ctx.cols[name])
        if values.dtype.kind == "M":
            seconds = values.astype("datetime64[s]")
            env[name] = np.where(np.isnat(seconds), np.nan, seconds.astype(np.int64).astype(np.float64))
            kinds[name] = formula.DATE
        else:
            env[name], kinds[name] = values.astype(np.float64), formula.NUMBER
    values = np.broadcast_to(formula.evaluate(tree, env), (ctx.n,))  # "1 + 1" is one number
    return values, formula.result_kind(tree, kinds, ctx.name)


def _formula(ctx: Ctx, p: dict[str, Any]) -> np.ndarray:
    from .. import formula

    values, kind = evaluate(ctx, p["expr"])
    if kind == formula.DURATION:
        values = values / formula.DURATIONS[p["unit"]]
    return np.round(values, p["decimals"])


_HTTP_CODES = np.array([200, 201, 204, 301, 302, 304, 400, 401, 403, 404, 429, 500, 502, 503])
_HTTP_WEIGHTS = (70, 4, 2, 2, 3, 5, 3, 1.5, 1, 4, 0.5, 2, 1, 1)


def _http_status(ctx: Ctx, p: dict[str, Any]) -> np.ndarray:
    return _HTTP_CODES[K.weighted_index(ctx.rng, _HTTP_WEIGHTS, ctx.n)]


_INTEGER = Generator(_integer, span_domain)
_FLOAT = Generator(_float, decimal_domain)
CHOICE = Generator(_choice, _choice_domain)  # every type with categories (catalog)

GENERATORS: dict[str, Generator] = {
    "id": Generator(_id),
    **dict.fromkeys(("integer", "quantity", "year", "duration"), _INTEGER),
    **dict.fromkeys(("float", "percent"), _FLOAT),
    "money": Generator(_money, decimal_domain),
    "rating": Generator(_rating, decimal_domain),
    "boolean": Generator(_boolean, lambda p, _: 2),
    "formula": Generator(_formula),
    "http_status": Generator(_http_status),
}
