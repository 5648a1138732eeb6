"""Series: values over time per entity (sensors, tickers, stores), and OHLC bars.

Rows of a series table are laid out time first: with N entities, row r is entity
``r % N`` at period ``r // N`` (every entity at the first period, then every entity at
the next...), so the first k rows of a bigger request are the same rows and the
timestamps of a stepped date column (``entity=...``) are in order.

How chunks and series meet: a series is a random process per entity (autocorrelated
noise, or a random walk) that must run on across the fixed 16,384-row chunks while each
chunk is still made from its own seed, in any order. So the process's value at each
chunk's boundary is drawn first, as a coarse chain over the chunks from its own seeds
(for a walk, the sum of L steps is one normal draw of L times the variance; for AR(1)
noise, the value L periods on is phi**L times the last plus a normal of the matching
variance): those boundary values are exact draws of the process. Inside a chunk the
path is drawn from the chunk's own seed and bridged to meet the next boundary value
(the Gaussian conditional: add the miss at the end times each period's covariance
share), which gives exactly the process's distribution. The chain costs one vector of
N normals per chunk and is kept as it is computed, so chunks in order cost nothing more
and a chunk far on (a Dask partition) costs one small draw per earlier chunk.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from ._base import Ctx, Generator, stream

__all__ = ["GENERATORS", "entity_count", "layout"]

_DAY = 86400.0
_YEAR = 365.2425 * _DAY
# Weekly shape: Monday..Sunday (1970-01-01 was a Thursday), a dip at the weekend.
_WEEK = np.array([0.3, 0.4, 0.4, 0.5, 0.6, -1.0, -1.2])
_lock = threading.Lock()
_chains: dict[tuple, dict[int, np.ndarray]] = {}  # per series: boundary values by chunk


def entity_count(ctx: Ctx, column: str | None) -> int:
    """How many entities the column ``column`` cycles through (1: none named)."""
    return int(ctx.aux.get(f"{column}:entities", 1)) if column else 1


def layout(ctx: Ctx, n_entities: int) -> tuple[np.ndarray, np.ndarray]:
    """Each row's entity and period (time first: row r is entity r % N at period r // N)."""
    rows = ctx.index
    return rows % n_entities, rows // n_entities


def _spans(start: int, n: int, entities: int) -> tuple[np.ndarray, np.ndarray]:
    """Per entity, its first period in rows [start, start + n) and how many periods it has there."""
    e = np.arange(entities, dtype=np.int64)
    first = (start - e + entities - 1) // entities
    after = (start + n - e + entities - 1) // entities
    return first, after - first


def _step(phi: float, sigma: float, steps: np.ndarray, rng: np.random.Generator, state: np.ndarray) -> np.ndarray:
    """The process ``steps`` periods on from ``state`` (one exact draw per entity)."""
    if phi >= 1.0:
        return state + sigma * np.sqrt(steps) * rng.standard_normal(len(state))
    decay = phi ** steps
    stationary = sigma / np.sqrt(1 - phi * phi)
    return decay * state + stationary * np.sqrt(1 - decay * decay) * rng.standard_normal(len(state))


def _chain(ctx: Ctx, tag: tuple, phi: float, sigma: float, entities: int, chunk: int) -> tuple[np.ndarray, np.ndarray]:
    """The process at the period before each entity's first row in ``chunk``, and in the next chunk."""
    key = (ctx.seed, ctx.key, tag, entities)

    def advance(at: int, state: np.ndarray) -> np.ndarray:
        _, steps = _spans(at * ctx.n, ctx.n, entities)
        rng = stream(ctx.seed, ctx.key, 0xA2C, at + 1)
        return _step(phi, sigma, steps, rng, state)

    with _lock:  # the latest kept boundary at or before this chunk (threads make chunks in any order)
        kept = _chains.get(key, {})
        at = max((c for c in kept if c <= chunk), default=-1)
        state = kept.get(at)
    if state is None:
        rng = stream(ctx.seed, ctx.key, 0xA2C, 0)
        stationary = 0.0 if phi >= 1.0 else sigma / np.sqrt(1 - phi * phi)
        at, state = 0, stationary * rng.standard_normal(entities)
    while at < chunk:
        state, at = advance(at, state), at + 1
    with _lock:
        kept = _chains.setdefault(key, {})
        kept[chunk] = state
        while len(kept) > 16:
            kept.pop(min(kept))
        while len(_chains) > 64:
            _chains.pop(next(iter(_chains)))
    return state, advance(chunk, state)


def _ar_paths(y0: np.ndarray, eps: np.ndarray, phi: float) -> np.ndarray:
    """y[:, 0] = y0 and y[:, j] = phi * y[:, j-1] + eps[:, j-1]: AR(1) paths (a walk at phi = 1),
    by scaled cumulative sums in blocks short enough for phi**-k to stay finite."""
    e, steps = eps.shape
    out = np.empty((e, steps + 1))
    out[:, 0] = y0
    if phi >= 1.0:
        np.cumsum(eps, axis=1, out=out[:, 1:])
        out[:, 1:] += y0[:, None]
        return out
    if phi <= 0.0:
        out[:, 1:] = eps
        return out
    block = max(1, min(steps, int(150 / -np.log10(phi))))
    current = y0
    for b in range(0, steps, block):
        seg = eps[:, b:b + block]
        k = np.arange(1, seg.shape[1] + 1, dtype=np.float64)
        vals = phi ** k * (current[:, None] + np.cumsum(seg * phi ** -k, axis=1))
        out[:, b + 1:b + 1 + seg.shape[1]] = vals
        current = vals[:, -1]
    return out


def _process(ctx: Ctx, tag: tuple, phi: float, sigma: float, entities: int) -> tuple[np.ndarray, np.ndarray]:
    """The process on the chunk's rows, and on each row's previous period (same entity)."""
    first, steps = _spans(ctx.start, ctx.n, entities)
    begin, end = _chain(ctx, tag, phi, sigma, entities, ctx.chunk)
    present = np.flatnonzero(steps > 0)
    longest = int(steps.max()) if len(steps) else 0
    eps = sigma * ctx.rng.standard_normal((len(present), longest))  # each period's innovation
    lengths = steps[present]
    eps[np.arange(longest)[None, :] >= lengths[:, None]] = 0.0
    path = _ar_paths(begin[present], eps, phi)  # positions 0 (the period before) .. longest
    # bridge each entity's path to its boundary value at its own last position
    at_end = path[np.arange(len(present)), lengths]
    j = np.arange(longest + 1, dtype=np.float64)[None, :]
    length = lengths[:, None].astype(np.float64)
    if phi >= 1.0:
        share = j / length
    elif phi <= 0.0:
        share = (j >= length).astype(np.float64)
    else:
        share = phi ** np.maximum(length - j, 0) * (1 - phi ** (2 * j)) / (1 - phi ** (2 * length))
    path += (end[present] - at_end)[:, None] * np.where(j <= length, share, 0.0)
    e, t = layout(ctx, entities)
    row_of = np.full(entities, -1, dtype=np.int64)
    row_of[present] = np.arange(len(present))
    pos = t - first[e] + 1
    return path[row_of[e], pos], path[row_of[e], pos - 1]


def _season(ctx: Ctx, p: dict[str, Any]) -> np.ndarray | float:
    kind = p["season"]
    if kind == "none" or not p.get("time"):
        return 0.0
    secs = np.asarray(ctx.cols[p["time"]]).astype("datetime64[s]").astype(np.int64).astype(np.float64)
    amplitude = float(p["amplitude"])
    if kind == "daily":  # low at 03:00, high at 15:00
        return amplitude * np.sin(2 * np.pi * ((secs % _DAY) / _DAY - 9 / 24))
    if kind == "weekly":
        return amplitude * _WEEK[((secs // _DAY).astype(np.int64) + 3) % 7]
    return amplitude * np.sin(2 * np.pi * ((secs % _YEAR) / _YEAR - 0.3))  # high in July


def _gen_series(ctx: Ctx, p: dict[str, Any]) -> np.ndarray:
    entities = entity_count(ctx, p.get("entity"))
    _, t = layout(ctx, entities)
    walk = p["walk"]
    if walk == "geometric":
        sigma = 0.02 if p.get("noise") is None else float(p["noise"])
        w, w_prev = _process(ctx, ("walk",), 1.0, sigma, entities)
        drift = float(p["trend"]) - sigma * sigma / 2
        tick = 10.0 ** -int(p["decimals"])  # a price never rounds to nothing
        value = np.maximum(p["level"] * np.exp(drift * t + w), tick)
        previous = np.maximum(p["level"] * np.exp(drift * (t - 1) + w_prev), tick)
    else:
        phi = 1.0 if walk == "additive" else float(p["ar"])
        noise = 0.05 * abs(p["level"]) if p.get("noise") is None else float(p["noise"])
        z, z_prev = _process(ctx, ("noise", phi), phi, noise * (1.0 if phi >= 1.0 else np.sqrt(1 - phi * phi)),
                             entities)
        base = p["level"] + p["trend"] * t + _season(ctx, p)
        value, previous = base + z, base - p["trend"] + z_prev
    lo = -np.inf if p.get("min") is None else p["min"]
    decimals = int(p["decimals"])
    ctx.aux[ctx.name + ":previous"] = np.round(np.maximum(previous, lo), decimals)
    ctx.aux[ctx.name + ":decimals"] = decimals
    return np.round(np.maximum(value, lo), decimals)


def _gen_ohlc(ctx: Ctx, p: dict[str, Any]) -> np.ndarray:
    """A bar's open (near the previous close), high or low (bounding open and close)."""
    close = np.asarray(ctx.cols[p["close"]], dtype=np.float64)
    spread = float(p["spread"])
    decimals = int(ctx.aux.get(p["close"] + ":decimals", 2))  # the close's own
    if p["part"] == "open":
        previous = ctx.aux.get(p["close"] + ":previous", close)
        return np.round(previous * np.exp(ctx.rng.normal(0.0, spread / 4, ctx.n)), decimals)
    opened = np.asarray(ctx.cols[p["open"]], dtype=np.float64) if p.get("open") else close
    wick = np.abs(ctx.rng.normal(0.0, spread, ctx.n))
    if p["part"] == "high":
        return np.ceil(np.maximum(opened, close) * (1 + wick) * 10**decimals) / 10**decimals
    return np.floor(np.minimum(opened, close) * (1 - np.minimum(wick, 0.5)) * 10**decimals) / 10**decimals


GENERATORS: dict[str, Generator] = {
    "series": Generator(_gen_series),
    "ohlc": Generator(_gen_ohlc),
}
