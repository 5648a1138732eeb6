"""Numbers, flags, categories and formulas."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _kernels as K
from ._base import Ctx, Generator

__all__ = ["CHOICE", "GENERATORS", "decimal_domain", "draw_numeric", "span_domain"]


def span_domain(p: dict[str, Any], _: str) -> int:
    return int(p["max"]) - int(np.ceil(p["min"])) + 1


def decimal_domain(p: dict[str, Any], _: str) -> int:
    return int(round((p["max"] - p["min"]) * 10 ** p.get("decimals", 2))) + 1


def draw_numeric(ctx: Ctx, p: dict[str, Any], integer: bool) -> np.ndarray:
    """Numbers in [min, max] with the requested distribution (unique: a scrambled grid)."""
    lo, hi = float(p["min"]), float(p["max"])
    decimals = 0 if integer else int(p.get("decimals", 2))
    if ctx.unique:
        if integer:
            return int(np.ceil(lo)) + ctx.pick(span_domain(p, ctx.locale))
        step = 10.0 ** -decimals
        return np.round(lo + ctx.pick(decimal_domain(p, ctx.locale)) * step, decimals)
    rng, n, dist = ctx.rng, ctx.n, p["distribution"]
    mean, std = p.get("mean"), p.get("std")
    if dist == "uniform" and integer:
        return rng.integers(int(np.ceil(lo)), int(np.floor(hi)) + 1, n, dtype=np.int64)
    if dist == "uniform":
        x = rng.uniform(lo, hi, n)
    elif dist == "normal":
        mu = (lo + hi) / 2 if mean is None else mean
        sd = (hi - lo) / 6 if std is None else std
        x = rng.normal(mu, max(sd, 1e-12), n)
    elif dist == "lognormal":
        m = lo + (hi - lo) * 0.15 if mean is None else mean
        shift = max(m - lo, 1e-9)
        sigma = 0.8 if std is None or std <= 0 else float(np.sqrt(np.log1p((std / shift) ** 2)))
        x = lo + rng.lognormal(np.log(shift) - sigma**2 / 2, sigma, n)
    elif dist == "poisson":
        lam = (hi - lo) / 4 if mean is None else max(mean - lo, 0.0)
        x = lo + rng.poisson(lam, n).astype(np.float64)
    else:  # exponential
        scale = (hi - lo) / 4 if mean is None else max(mean - lo, 1e-9)
        x = lo + rng.exponential(scale, n)
    out = (x < lo) | (x > hi)
    if out.any():  # tails beyond the bounds are redrawn inside them, never piled on them
        x[out] = rng.uniform(lo, hi, int(out.sum()))
    if integer:
        return np.clip(np.floor(x + 0.5), np.ceil(lo), np.floor(hi)).astype(np.int64)
    return np.round(x, decimals)


def _integer(ctx: Ctx, p: dict[str, Any]) -> np.ndarray:
    return draw_numeric(ctx, p, integer=True)


def _float(ctx: Ctx, p: dict[str, Any]) -> np.ndarray:
    return draw_numeric(ctx, p, integer=False)


def _rating(ctx: Ctx, p: dict[str, Any]) -> np.ndarray:
    lo, hi, dec = float(p["min"]), float(p["max"]), int(p["decimals"])
    if ctx.unique:
        return np.round(lo + ctx.pick(decimal_domain(p, ctx.locale)) * 10.0**-dec, dec)
    # Ratings lean high, as real ones do: a beta(4, 1.6) shape over [min, max].
    x = lo + (hi - lo) * ctx.rng.beta(4.0, 1.6, ctx.n)
    return np.clip(np.round(x, dec), lo, hi)


def _boolean(ctx: Ctx, p: dict[str, Any]) -> np.ndarray:
    return ctx.rng.random(ctx.n) < p["p_true"]


def _id(ctx: Ctx, p: dict[str, Any]) -> np.ndarray:
    return p["start"] + ctx.index * p["step"]


def _choice(ctx: Ctx, p: dict[str, Any]) -> np.ndarray:
    values, weights = p["values"], p.get("weights")
    table = K.weighted(tuple(float(w) for w in weights)) if weights else None
    return ctx.pick(len(values), table)


def _choice_domain(p: dict[str, Any], _: str) -> int:
    return len(p["values"])


def _formula(ctx: Ctx, p: dict[str, Any]) -> np.ndarray:
    from .. import formula

    tree, names = formula.parse(p["expr"], ctx.name)
    env = {name: np.asarray(ctx.cols[name], dtype=np.float64) for name in names}
    values = np.broadcast_to(formula.evaluate(tree, env), (ctx.n,))  # "1 + 1" is one number
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
    **dict.fromkeys(("float", "money", "percent", "latitude", "longitude"), _FLOAT),
    "rating": Generator(_rating, decimal_domain),
    "boolean": Generator(_boolean, lambda p, _: 2),
    "formula": Generator(_formula),
    "http_status": Generator(_http_status),
}
