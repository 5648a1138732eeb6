"""Places and the values drawn from the locale's lists: addresses, phones, companies, jobs...

Address columns read the row's real place (:mod:`._geo`): city, region, ZIP code,
coordinates, time zone and the phone's area code agree. Where the tables have no place
for the locale (scripts other than Latin, and Japanese), they fall back on Faker's pools.
Street addresses are composed per row from the locale's parts (Faker's street names and
house number formats, in the locale's order), so they hardly repeat.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import _geo as geo
from . import _kernels as K
from . import _pools as pools
from ._base import Ctx, Generator
from ._numbers import decimal_domain, draw_numeric

__all__ = ["GENERATORS", "pool_generator"]


def _pool_gen(kind: str) -> Callable[[Ctx, dict[str, Any]], pa.Array]:
    def gen(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
        pool = pools.sampled(ctx.locale, kind)
        return K.take(pool, ctx.pick(len(pool)))

    return gen


def _pool_domain(kind: str) -> Callable[[dict[str, Any], str], int]:
    return lambda p, locale: len(pools.sampled(locale, kind))


def _format_gen(provider: str, fallback: str) -> Callable[[Ctx, dict[str, Any]], pa.Array]:
    """Phone numbers and postcodes from Faker's own formats, filled digit by digit."""

    def gen(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
        fmts = pools.formats(ctx.locale, provider)
        if not fmts:
            return _pool_gen(fallback)(ctx, p)
        if len(fmts) == 1:
            return K.fill_pattern(fmts[0], ctx.rng, ctx.n, ctx.index if ctx.unique else None, ctx.key)
        which = ctx.rng.integers(0, len(fmts), ctx.n)
        filled = [K.fill_pattern(f, ctx.rng, ctx.n, ctx.index if ctx.unique else None, ctx.key + i)
                  for i, f in enumerate(fmts)]
        return pc.choose(pa.array(which), *filled)

    return gen


def _format_domain(provider: str, fallback: str) -> Callable[[dict[str, Any], str], int]:
    def domain(p: dict[str, Any], locale: str) -> int:
        fmts = pools.formats(locale, provider)
        if not fmts:
            return len(pools.sampled(locale, fallback))
        return min(K.pattern_domain(f) for f in fmts)

    return domain


def pool_generator(kind: str) -> Generator:
    """The generator of a type that draws from the locale's pool ``kind`` (catalog ``pool``)."""
    return Generator(_pool_gen(kind), _pool_domain(kind))


# ----------------------------------------------------------------------------- places

def _place_gen(field: str, fallback: Callable[[Ctx, dict[str, Any]], pa.Array]) -> Callable[..., pa.Array]:
    """A column of the place table at each row's place (the locale's pool where there is none)."""

    def gen(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
        idx = geo.place_index(ctx, p) if not ctx.unique else None
        if idx is None:
            return fallback(ctx, p)
        return geo.field(field, idx)

    return gen


def _gen_postcode(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    """The place's postal code (US ZIP codes); elsewhere the locale's format, drawn from a
    stream the table shares (a postcode column and an address column agree)."""
    idx = geo.place_index(ctx, p) if not ctx.unique else None
    if idx is None:
        return _format_gen("postcode", "postcode")(ctx, p)
    known = K.take(geo.places().postcode, idx)
    empty = pc.equal(known, "")
    if not pc.any(empty).as_py():
        return known
    made = _format_gen("postcode", "postcode")(_shared(ctx, "postcode"), p)
    return pc.if_else(empty, made, known)


def _coordinate(field: str) -> Callable[[Ctx, dict[str, Any]], np.ndarray]:
    def gen(ctx: Ctx, p: dict[str, Any]) -> np.ndarray:
        idx = geo.place_index(ctx, p) if "place" in p and not ctx.unique else None
        if idx is None:
            return draw_numeric(ctx, p, integer=False)
        # within about a kilometre of the place's centre (a ZIP code's or a city's)
        base = getattr(geo.places(), field)[idx]
        return np.round(base + ctx.rng.normal(0.0, 0.008, ctx.n), int(p["decimals"]))

    return gen


def _gen_phone(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    """A valid number of the row's place: a fixed line with its area code, or (where mobiles
    have prefixes of their own) a mobile; national, or international for a foreign place."""
    idx = geo.place_index(ctx, p) if not ctx.unique else None
    if idx is None:
        return _format_gen("phone", "phone")(ctx, p)
    ph = geo.phones()
    table = geo.places()
    count = ph.place_count[idx]
    pick = ph.place_start[idx] + (ctx.rng.random(ctx.n) * count).astype(np.int64)
    rows = np.where(count > 0, ph.area_rows[np.minimum(pick, len(ph.area_rows) - 1)], -1)
    country = table.country_id[idx]
    mobile = ctx.rng.random(ctx.n) < geo.MOBILE_SHARE
    for number in np.flatnonzero(np.bincount(country, minlength=len(table.codes))):
        at = country == number
        code = table.codes[number]
        mob = ph.mobiles.get(str(code))
        fixed = ph.fixed.get(str(code))
        want = at & ((mobile & (mob is not None)) | (rows < 0))
        if mob is not None and want.any():
            rows[want] = mob[0][mob[1].draw(ctx.rng, int(want.sum()))]
        left = at & (rows < 0)
        if fixed is not None and left.any():
            rows[left] = fixed[0][fixed[1].draw(ctx.rng, int(left.sum()))]
    home = geo.country_of(ctx.locale)
    style = country != (table.codes.index(home) if home in table.codes else -1)
    if (rows < 0).any():  # a country without a spelling: the locale's own formats there
        made = _format_gen("phone", "phone")(ctx, p)
        spelled = geo.spell_phones(ctx, np.maximum(rows, 0), style)
        return pc.if_else(pa.array(rows < 0), made, spelled)
    return geo.spell_phones(ctx, rows, style)


# ----------------------------------------------------------------------------- streets

_TOKEN = re.compile(r"\{\{(\w+)\}\}")


@functools.cache
def _street_plan(locale: str) -> tuple[list[tuple[list[Any], float]], list[tuple[int, int]]]:
    """The locale's street address templates as parts (literal text or a pool of one token's
    values), with weights; and its house numbers as (lowest, highest) ranges."""
    streets, numbers = pools.address_formats(locale)
    formats = list(streets or ("{{building_number}} {{street_name}}",))
    weights: dict[str, float] = {}
    for fmt in formats:
        weights[fmt] = weights.get(fmt, 0) + 1.0
    templates = []
    for fmt, weight in weights.items():
        parts: list[Any] = []
        pos = 0
        for m in _TOKEN.finditer(fmt):
            if m.start() > pos:
                parts.append(fmt[pos:m.start()].replace("\n", ", ").lstrip() if not parts else
                             fmt[pos:m.start()].replace("\n", ", "))
            token = m.group(1)
            parts.append(None if token == "building_number" else pools.template_part(locale, token))
            pos = m.end()
        if fmt[pos:].strip():
            parts.append(fmt[pos:].replace("\n", ", ").rstrip())
        templates.append((parts, weight))
    ranges = []
    for fmt in numbers or ("###",):
        head = re.split(r"[^#%@!]", str(fmt))[0] or "#"
        lo = 10 ** (len(head) - 1) if head[0] in "%@" and len(head) > 1 else (1 if head[0] in "%@" else 0)
        ranges.append((max(lo, 1), 10 ** len(head) - 1))
    return templates, ranges


def _house_numbers(ctx: Ctx, ranges: list[tuple[int, int]], n: int) -> pa.Array:
    which = ctx.rng.integers(0, len(ranges), n)
    lo = np.array([r[0] for r in ranges])[which]
    hi = np.array([r[1] for r in ranges])[which]
    return K.to_str(lo + (ctx.rng.random(n) * (hi - lo + 1)).astype(np.int64))


def _shared(ctx: Ctx, tag: str) -> Ctx:
    """The chunk's context drawing from a stream the table shares instead of the column's own."""
    return Ctx(rng=ctx.shared_rng(tag), n=ctx.n, start=ctx.start, locale=ctx.locale, cols=ctx.cols, aux=ctx.aux,
               unique=False, key=ctx.key, name=ctx.name, seed=ctx.seed, chunk=ctx.chunk)


def _gen_street(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    """Street and house number, from a stream the table shares (an address column has the same)."""
    ctx = _shared(ctx, "street")
    templates, ranges = _street_plan(ctx.locale)
    which = K.weighted_index(ctx.rng, tuple(w for _, w in templates), ctx.n)
    pieces, order = [], []
    for t, (parts, _) in enumerate(templates):
        at = np.flatnonzero(which == t)
        if not at.size:
            continue
        row_parts = []
        for part in parts:
            if isinstance(part, str):
                row_parts.append(part)
            elif part is None:
                row_parts.append(_house_numbers(ctx, ranges, at.size))
            else:
                row_parts.append(K.take(part, ctx.rng.integers(0, len(part), at.size)))
        pieces.append(K.join(*row_parts) if any(not isinstance(x, str) for x in row_parts) else
                      pa.array(["".join(row_parts)] * at.size, type=K.STR))
        order.append(at)
    inverse = np.empty(ctx.n, dtype=np.int64)
    inverse[np.concatenate(order)] = np.arange(ctx.n)
    if len(pieces) == 1:
        return pieces[0].cast(K.STR)
    return pa.concat_arrays([x.cast(K.STR) for x in pieces]).take(pa.array(inverse))


# How a full address is written in a country (others: street, postcode city).
_ADDRESS = {"US": "{street}, {city}, {region_code} {postcode}", "CA": "{street}, {city}, {region_code} {postcode}",
            "GB": "{street}, {city} {postcode}", "AU": "{street}, {city} {region_code} {postcode}",
            "JP": "〒{postcode} {region}{city}{street}"}


def _gen_address(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    street = _gen_street(ctx, p)
    post = _gen_postcode(ctx, p)
    idx = geo.place_index(ctx, p)
    if idx is None:
        city = _pool_gen("city")(ctx, p)
        return K.join(street, K.join(post, city, sep=" "), sep=", ")
    table = geo.places()
    parts = {"street": street, "city": geo.field("city", idx), "postcode": post,
             "region": geo.field("region", idx), "region_code": K.take(pa.array(table.region_code, K.STR), idx)}
    country = table.country[idx]
    out = K.join(street, K.join(post, parts["city"], sep=" "), sep=", ")
    for code in set(np.unique(country).tolist()) & set(_ADDRESS):
        pieces = re.split(r"(\{\w+\})", _ADDRESS[code])
        spelled = K.join(*[parts[x[1:-1]] if x.startswith("{") else x for x in pieces if x])
        out = pc.if_else(pa.array(country == code), spelled, out)
    return out


GENERATORS: dict[str, Generator] = {
    "phone": Generator(_gen_phone, _format_domain("phone", "phone")),
    "postcode": Generator(_gen_postcode, _format_domain("postcode", "postcode")),
    "address": Generator(_gen_address),
    "street_address": Generator(_gen_street),
    "latitude": Generator(_coordinate("lat"), decimal_domain),
    "longitude": Generator(_coordinate("lon"), decimal_domain),
    **{name: Generator(_place_gen(field, _pool_gen(pool)), _pool_domain(pool))
       for name, field, pool in (("city", "city", "city"), ("state", "region", "state"),
                                 ("country", "country_name", "country"), ("country_code", "country", "country_code"),
                                 ("timezone", "tz", "timezone"))},
}
