"""The type catalogue: every semantic column type, its parameters, generator and dtype.

This table is the single source of truth. The schema validator, the generator's
dispatch, the OpenAI planner's JSON schema and the README's type list are all derived
from :data:`TYPES`.

A generator is ``gen(ctx, params) -> values`` for one chunk of rows, where ``params`` has
every default filled in and values are a numpy array (numbers, booleans, datetimes,
category codes) or an Arrow string array.
"""

from __future__ import annotations

import functools
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import kernels as K
from . import pools

# Value kinds: how a type's values are held while generating and which dtype they get.
STRING, INT, FLOAT, BOOL, DATETIME, DATE, CATEGORY = (
    "string", "int", "float", "bool", "datetime", "date", "category",
)
PANDAS_DTYPES = {
    STRING: "str",
    INT: "int64 (Int64 with nulls)",
    FLOAT: "float64",
    BOOL: "bool (boolean with nulls)",
    DATETIME: "datetime64[s]",
    DATE: "datetime64[s] (midnight)",
    CATEGORY: "category",
}
DISTRIBUTIONS = ("uniform", "normal", "lognormal", "poisson", "exponential")
GROUPS = (
    "identifiers", "people", "contact", "address", "company", "finance", "commerce",
    "dates", "numbers", "text", "internet",
)
MAX_CATEGORIES = 1000
MAX_STRING = 200


@dataclass(frozen=True)
class Param:
    """One parameter of a type: its kind, default and bounds."""

    name: str
    kind: str  # int float share str enum strings floats when duration column expr pattern bool
    default: Any = None
    lo: float | None = None
    hi: float | None = None
    choices: tuple[str, ...] = ()
    help: str = ""


@dataclass(frozen=True)
class TypeSpec:
    """One semantic type of the catalogue."""

    name: str
    group: str
    kind: str
    help: str
    gen: Callable[[Ctx, dict[str, Any]], Any]
    params: tuple[Param, ...] = ()
    # Number of distinct values the type can produce with these params (None: unbounded).
    domain: Callable[[dict[str, Any], str], int | None] | None = None
    # Extra cross-parameter check: returns a problem (a phrase) or None.
    check: Callable[[dict[str, Any]], str | None] | None = None
    categories: Callable[[dict[str, Any]], list[str]] | None = None
    param_index: dict[str, Param] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "param_index", {p.name: p for p in self.params})

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}


class Ctx:
    """What a generator sees for one column and one chunk of rows."""

    __slots__ = ("rng", "n", "start", "locale", "cols", "aux", "unique", "key", "name")

    def __init__(self, *, rng: np.random.Generator, n: int, start: int, locale: str,
                 cols: dict[str, Any], aux: dict[str, Any], unique: bool, key: int, name: str):
        self.rng, self.n, self.start, self.locale = rng, n, start, locale
        self.cols, self.aux, self.unique, self.key, self.name = cols, aux, unique, key, name

    @property
    def index(self) -> np.ndarray:
        """Global row numbers of this chunk."""
        return np.arange(self.start, self.start + self.n, dtype=np.int64)

    def pick(self, domain: int, weights: K.Weighted | None = None) -> np.ndarray:
        """Indices into ``domain`` values: distinct per row when the column is unique."""
        if self.unique:
            return K.scramble(self.index, domain, self.key)
        if weights is not None:
            return weights.draw(self.rng, self.n)
        return self.rng.integers(0, domain, self.n)


# ---------------------------------------------------------------------------- time

_WHEN = re.compile(r"^(today|now)\s*(?:([+-])\s*(\d{1,5})\s*([dwmy]))?$")
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*(s|sec|min|h|d|w)$")
_DURATION_SECONDS = {"s": 1, "sec": 1, "min": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_when(value: str) -> np.datetime64 | None:
    """'2024-03-01', '2024-03-01 12:00', 'today', 'now', 'today-90d' → datetime64[s]."""
    text = value.strip().lower()
    m = _WHEN.match(text)
    if m:
        base = np.datetime64("now", "s") if m.group(1) == "now" else np.datetime64("today", "D").astype("datetime64[s]")
        if m.group(2):
            amount = int(m.group(3)) * {"d": 1, "w": 7, "m": 30, "y": 365}[m.group(4)]
            base = base + np.timedelta64(amount if m.group(2) == "+" else -amount, "D")
        return base
    if not re.fullmatch(r"\d{4}-\d{2}(-\d{2}([ t]\d{2}:\d{2}(:\d{2})?)?)?", text):
        return None
    try:
        return np.datetime64(text.replace(" ", "T"), "s")
    except ValueError:
        return None


def parse_duration(value: str) -> float | None:
    """'30s', '5min', '2h', '3d', '1w' → seconds."""
    m = _DURATION.match(value.strip().lower())
    return float(m.group(1)) * _DURATION_SECONDS[m.group(2)] if m else None


# ------------------------------------------------------------------- parameters

def _num(name: str, default: float | None, lo: float = -1e15, hi: float = 1e15, help: str = "") -> Param:
    return Param(name, "float", default, lo, hi, help=help)


def _int(name: str, default: int | None, lo: int, hi: int, help: str = "") -> Param:
    return Param(name, "int", default, lo, hi, help=help)


def _col(name: str, help: str) -> Param:
    return Param(name, "column", None, help=help)


def _numeric_params(lo: float, hi: float, dist: str, decimals: int | None) -> tuple[Param, ...]:
    params = (
        _num("min", lo, help="smallest value"),
        _num("max", hi, help="largest value"),
        Param("distribution", "enum", dist, choices=DISTRIBUTIONS, help="shape of the values"),
        _num("mean", None, help="centre of the values (default: from min and max)"),
        _num("std", None, 0, 1e15, help="spread of the values (default: from min and max)"),
    )
    if decimals is not None:
        params += (_int("decimals", decimals, 0, 6, "digits after the decimal point"),)
    return params


def _check_min_max(p: dict[str, Any]) -> str | None:
    return "min must not be greater than max" if p["min"] > p["max"] else None


def _span_domain(p: dict[str, Any], _: str) -> int:
    return int(p["max"]) - int(np.ceil(p["min"])) + 1


def _decimal_domain(p: dict[str, Any], _: str) -> int:
    return int(round((p["max"] - p["min"]) * 10 ** p.get("decimals", 2))) + 1


def _check_values(p: dict[str, Any]) -> str | None:
    values, weights = p.get("values"), p.get("weights")
    if not values:
        return "values must list at least one value"
    if len(set(values)) != len(values):
        return "values must not repeat"
    if weights is not None:
        if len(weights) != len(values):
            return f"weights must have one number per value ({len(values)})"
        if sum(weights) <= 0:
            return "weights must add up to more than 0"
    return None


# ------------------------------------------------------------------- generators

def draw_numeric(ctx: Ctx, p: dict[str, Any], integer: bool) -> np.ndarray:
    """Numbers in [min, max] with the requested distribution (unique: a scrambled grid)."""
    lo, hi = float(p["min"]), float(p["max"])
    decimals = 0 if integer else int(p.get("decimals", 2))
    if ctx.unique:
        if integer:
            return int(np.ceil(lo)) + ctx.pick(_span_domain(p, ctx.locale))
        step = 10.0 ** -decimals
        return np.round(lo + ctx.pick(_decimal_domain(p, ctx.locale)) * step, decimals)
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


def _gen_integer(ctx: Ctx, p: dict[str, Any]) -> np.ndarray:
    return draw_numeric(ctx, p, integer=True)


def _gen_float(ctx: Ctx, p: dict[str, Any]) -> np.ndarray:
    return draw_numeric(ctx, p, integer=False)


def _gen_rating(ctx: Ctx, p: dict[str, Any]) -> np.ndarray:
    lo, hi, dec = float(p["min"]), float(p["max"]), int(p["decimals"])
    if ctx.unique:
        return np.round(lo + ctx.pick(_decimal_domain(p, ctx.locale)) * 10.0**-dec, dec)
    # Ratings lean high, as real ones do: a beta(4, 1.6) shape over [min, max].
    x = lo + (hi - lo) * ctx.rng.beta(4.0, 1.6, ctx.n)
    return np.clip(np.round(x, dec), lo, hi)


def _gen_boolean(ctx: Ctx, p: dict[str, Any]) -> np.ndarray:
    return ctx.rng.random(ctx.n) < p["p_true"]


def _gen_id(ctx: Ctx, p: dict[str, Any]) -> np.ndarray:
    return p["start"] + ctx.index * p["step"]


def _gen_uuid(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    groups = ctx.rng.integers(0, 1 << 16, (ctx.n, 8), dtype=np.uint16)  # 8 x 4 hex digits
    groups[:, 3] &= 0x0FFF
    groups[:, 3] |= 0x4000  # version 4
    groups[:, 4] &= 0x3FFF
    groups[:, 4] |= 0x8000  # RFC 4122 variant
    hexed = K.hex_groups(groups)
    mat = np.empty((ctx.n, 36), dtype=np.uint8)
    for dash in (8, 13, 18, 23):
        mat[:, dash] = ord("-")
    for dst, src, width in ((0, 0, 8), (9, 8, 4), (14, 12, 4), (19, 16, 4), (24, 20, 12)):
        mat[:, dst:dst + width] = hexed[:, src:src + width]
    return K.fixed_width(mat)


def _gen_pattern(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    return K.fill_pattern(p["pattern"], ctx.rng, ctx.n, ctx.index if ctx.unique else None, ctx.key)


def _pattern_domain(p: dict[str, Any], _: str) -> int:
    return K.pattern_domain(p["pattern"])


def _check_pattern(p: dict[str, Any]) -> str | None:
    if not any(ch in K.PATTERN_CLASSES for ch in p["pattern"]):
        return "pattern needs at least one of # (digit), % (non-zero digit), ? (letter) or * (letter or digit)"
    return None


def _gen_account_number(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    return _gen_pattern(ctx, {"pattern": "%" + "#" * (p["digits"] - 1)})


_IBAN_LENGTHS = {"DE": 18, "GB": 18, "FR": 23, "ES": 20, "IT": 23, "NL": 14, "BE": 12, "AT": 16,
                 "CH": 17, "PL": 24, "PT": 21, "SE": 20, "DK": 14, "NO": 11, "FI": 14, "IE": 18}


def _iban_country(p: dict[str, Any], locale: str) -> str:
    country = (p.get("country") or locale.rpartition("_")[2]).upper()
    return country if country in _IBAN_LENGTHS else "DE"


def _gen_iban(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    country = _iban_country(p, ctx.locale)
    width = _IBAN_LENGTHS[country]
    if ctx.unique:
        digits = K.digit_matrix(K.scramble(ctx.index, 10 ** min(width, 17), ctx.key), width)
    else:
        digits = ctx.rng.integers(0, 10, (ctx.n, width), dtype=np.uint8)
    # Check digits: 98 - (BBAN + country letters as numbers + '00') mod 97.
    letters = [d for ch in country for d in str(ord(ch) - 55)]
    tail = np.array([int(d) for d in letters] + [0, 0], dtype=np.uint8)
    full = np.hstack([digits, np.broadcast_to(tail, (ctx.n, len(tail)))])
    check = 98 - K.mod97(full)
    head = np.empty((ctx.n, 4), dtype=np.uint8)
    head[:, 0], head[:, 1] = ord(country[0]), ord(country[1])
    head[:, 2], head[:, 3] = 48 + check // 10, 48 + check % 10
    return K.fixed_width(np.hstack([head, digits + 48]))


def _gen_isbn(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    if ctx.unique:
        nine = K.digit_matrix(K.scramble(ctx.index, 10**9, ctx.key), 9)
    else:
        nine = ctx.rng.integers(0, 10, (ctx.n, 9), dtype=np.uint8)
    digits = np.hstack([np.broadcast_to(np.array([9, 7, 8], np.uint8), (ctx.n, 3)), nine])
    weights = np.tile([1, 3], 6)
    check = (10 - (digits.astype(np.int64) * weights).sum(axis=1) % 10) % 10
    return K.fixed_width(np.hstack([digits, check[:, None].astype(np.uint8)]) + 48)


_CARD_PREFIXES = {"Visa": ("4",), "Mastercard": ("51", "52", "53", "54", "55"),
                  "American Express": ("34", "37"), "Discover": ("6011",)}
_CARD_LENGTHS = {"Visa": 16, "Mastercard": 16, "American Express": 15, "Discover": 16}


def _gen_credit_card(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    provider = p["provider"] if p["provider"] in _CARD_PREFIXES else "Visa"
    length = _CARD_LENGTHS[provider]
    prefixes = _CARD_PREFIXES[provider]
    width = len(prefixes[0])
    pre = np.array([[int(c) for c in x] for x in prefixes], dtype=np.uint8)
    head = pre[ctx.rng.integers(0, len(prefixes), ctx.n)]
    body_len = length - width - 1
    if ctx.unique:
        body = K.digit_matrix(K.scramble(ctx.index, 10 ** min(body_len, 17), ctx.key), body_len)
    else:
        body = ctx.rng.integers(0, 10, (ctx.n, body_len), dtype=np.uint8)
    digits = np.hstack([head, body])
    return K.fixed_width(np.hstack([digits, K.luhn_digit(digits)[:, None]]) + 48)


def _card_domain(p: dict[str, Any], _: str) -> int:
    provider = p["provider"] if p["provider"] in _CARD_PREFIXES else "Visa"
    return 10 ** min(_CARD_LENGTHS[provider] - len(_CARD_PREFIXES[provider][0]) - 1, 17)


# People ------------------------------------------------------------------------

def _gender_masks(ctx: Ctx, p: dict[str, Any]) -> np.ndarray | None:
    """True where a row gets a female given name; None: either, at one half each."""
    source = p.get("gender_from")
    if source and source in ctx.cols:
        codes, cats = ctx.aux.get(source + ":categories", (None, None))
        values = ctx.cols[source]
        if cats is not None:
            female_cats = np.array([str(c).strip().lower().startswith(("f", "w")) for c in cats] + [False])
            male_cats = np.array([str(c).strip().lower().startswith("m") for c in cats] + [False])
            codes = np.where(values < 0, len(cats), values)
            female, male = female_cats[codes], male_cats[codes]
            coin = ctx.rng.random(ctx.n) < 0.5
            return female | (~male & coin)
    gender = p.get("gender", "any")
    if gender == "female":
        return np.ones(ctx.n, dtype=bool)
    if gender == "male":
        return np.zeros(ctx.n, dtype=bool)
    return None


def _first_index(ctx: Ctx, p: dict[str, Any]) -> np.ndarray:
    """Indices into the locale's given names (male names first, then female)."""
    names = pools.names(ctx.locale)
    female = _gender_masks(ctx, p)
    if female is None:
        return names.first_any.draw(ctx.rng, ctx.n)
    if female.all():
        return names.n_male + names.female_w.draw(ctx.rng, ctx.n)
    if not female.any():
        return names.male_w.draw(ctx.rng, ctx.n)
    fi = names.female_w.draw(ctx.rng, ctx.n)
    mi = names.male_w.draw(ctx.rng, ctx.n)
    return np.where(female, names.n_male + fi, mi)


def _name_aux(ctx: Ctx, first_idx: np.ndarray | None, last_idx: np.ndarray | None) -> None:
    ctx.aux[ctx.name] = {"first": first_idx, "last": last_idx}


def _gen_first_name(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    idx = _first_index(ctx, p)
    _name_aux(ctx, idx, None)
    return K.take(pools.names(ctx.locale).first, idx)


def _gen_last_name(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    names = pools.names(ctx.locale)
    idx = names.last_w.draw(ctx.rng, ctx.n)
    _name_aux(ctx, None, idx)
    return K.take(names.last, idx)


@functools.cache
def _full_name_pieces(locale: str) -> K.Pieces:
    names = pools.names(locale)
    if names.family_first:
        return K.Pieces(names.last, names.first)
    return K.Pieces(names.first, " ", names.last)


def _gen_full_name(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    names = pools.names(ctx.locale)
    fidx = _first_index(ctx, p)
    lidx = names.last_w.draw(ctx.rng, ctx.n)
    _name_aux(ctx, fidx, lidx)
    if names.family_first:
        return _full_name_pieces(ctx.locale).spell(lidx, fidx)
    return _full_name_pieces(ctx.locale).spell(fidx, 0, lidx)


def _generic_slug(values: pa.Array) -> pa.Array:
    lowered = pc.utf8_lower(pc.fill_null(values, "user"))
    slug = pc.replace_substring_regex(lowered, r"[^a-z0-9]+", ".")
    slug = pc.utf8_trim(slug, ".")
    return pc.if_else(pc.equal(pc.utf8_length(slug), 0), "user", slug)


# E-mail addresses and user names are spelled by one take from pools glued together
# (``K.Pieces``): a stem from the name (styles first.last, firstlast, f + last,
# first_last; each style's separator glued to the family names), then a number, then
# for e-mail '@' and a domain (the optional 1..99 glued to the domains).
_STYLE_SEPS = (".", "", "", "_")  # per style, the separator before the family name
_INITIAL_STYLE = 2
_SUFFIXES = 100  # '' and '1'..'99'


def _stem_pools(locale: str, stem: str) -> tuple[pa.Array, ...]:
    names = pools.names(locale)
    if stem == "first":
        return (names.first_ascii,)
    if stem == "last":
        return (names.last_ascii,)
    first, last = names.first_ascii, names.last_ascii
    initial = pc.utf8_slice_codeunits(first, 0, 1)
    # One block per style, so a row's index is style * block + name: no per-row branching.
    return (pa.concat_arrays([initial if style == _INITIAL_STYLE else first for style in range(len(_STYLE_SEPS))]),
            pa.concat_arrays([K.join(sep, last) for sep in _STYLE_SEPS]))


def _at_domains(locale: str, domain: str | None) -> pa.Array:
    if domain:
        return pa.array(["@" + domain], type=K.STR)
    return K.join("@", pools.sampled(locale, "free_email_domain"))


@functools.cache
def _address_pieces(locale: str, stem: str, unique: bool, email: bool, domain: str | None) -> K.Pieces:
    parts = list(_stem_pools(locale, stem))
    if unique:
        parts += K.decimal_pools()
        if email:
            parts.append(_at_domains(locale, domain))
    elif email:  # '@gmail.com', '1@gmail.com' ... '99@gmail.com', then the next domain
        digits = K.digits_or_empty().slice(0, _SUFFIXES)
        parts.append(pa.concat_arrays([K.join(digits, at) for at in _at_domains(locale, domain).to_pylist()]))
    else:
        parts.append(K.digits_or_empty())
    return K.Pieces(*parts)


def _stem_index(ctx: Ctx, source: str | None) -> tuple[str, list[np.ndarray]] | pa.Array:
    """Which stem pools and indices follow the name column (or a slug of another column)."""
    info = ctx.aux.get(source) if source else None
    names = pools.names(ctx.locale)
    if info:
        fidx, lidx = info.get("first"), info.get("last")
    elif source and source in ctx.cols and isinstance(ctx.cols[source], pa.Array):
        return _generic_slug(ctx.cols[source])
    else:
        fidx = names.first_any.draw(ctx.rng, ctx.n)
        lidx = names.last_w.draw(ctx.rng, ctx.n)
    if fidx is None:
        return "last", [lidx]
    if lidx is None:
        return "first", [fidx]
    style = ctx.rng.integers(0, len(_STYLE_SEPS), ctx.n)
    first = style * len(names.first_ascii)
    first += fidx
    style *= len(names.last_ascii)
    style += lidx
    return "name", [first, style]


def _optional_number(ctx: Ctx) -> np.ndarray:
    """1..99 on about four rows in ten (99 in 250), else 0 (which spells nothing)."""
    num = ctx.rng.integers(0, 250, ctx.n)
    num[num >= _SUFFIXES] = 0
    return num


def _gen_address_like(ctx: Ctx, p: dict[str, Any], email: bool) -> pa.Array:
    """E-mail address or user name: stem, number (a scrambled row number when unique)."""
    domain = (p.get("domain") or None) if email else None
    stem = _stem_index(ctx, p.get("derive_from"))
    which = ctx.rng.integers(0, len(_at_domains(ctx.locale, domain)), ctx.n) if email else None
    if isinstance(stem, pa.Array):  # a slug of some other text column: join, not pools
        parts: list[Any] = [stem]
        if ctx.unique:
            parts.append(K.to_str(K.scramble(ctx.index, 1 << 31, ctx.key)))
        else:
            parts.append(K.take(K.digits_or_empty(), _optional_number(ctx)))
        if email:
            parts.append(K.take(_at_domains(ctx.locale, domain), which))
        return K.join(*parts)
    kind, idx = stem
    if ctx.unique:
        idx += K.decimal_index(K.scramble(ctx.index, 1 << 31, ctx.key))
        if email:
            idx.append(which)
    elif email:
        idx.append(which * _SUFFIXES + _optional_number(ctx))
    else:
        idx.append(_optional_number(ctx))
    return _address_pieces(ctx.locale, kind, ctx.unique, email, domain).spell(*idx)


def _gen_email(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    return _gen_address_like(ctx, p, email=True)


def _gen_username(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    return _gen_address_like(ctx, p, email=False)


_YEAR_SECONDS = 365.2425 * 86400


def _as_of(p: dict[str, Any]) -> np.datetime64:
    return parse_when(p["as_of"]) or np.datetime64("2025-12-31T00:00:00", "s")


def _gen_age(ctx: Ctx, p: dict[str, Any]) -> np.ndarray:
    source = p.get("derive_from")
    if source and source in ctx.cols:
        born = ctx.cols[source].astype("datetime64[s]").astype(np.int64)
        now = _as_of(p).astype(np.int64)
        return np.floor((now - born) / _YEAR_SECONDS).astype(np.int64)
    return draw_numeric(ctx, p, integer=True)


def _gen_birth_date(ctx: Ctx, p: dict[str, Any]) -> np.ndarray:
    now = _as_of(p).astype(np.int64)
    source = p.get("derive_from")
    if source and source in ctx.cols:
        years = np.asarray(ctx.cols[source], dtype=np.float64) + ctx.rng.random(ctx.n)
    else:
        years = ctx.rng.uniform(p["min_age"], p["max_age"] + 1, ctx.n)
    seconds = now - (years * _YEAR_SECONDS).astype(np.int64)
    return (seconds // 86400 * 86400).astype("datetime64[s]")


# Categories, pools and composed strings ------------------------------------------

def _gen_choice(ctx: Ctx, p: dict[str, Any]) -> np.ndarray:
    values, weights = p["values"], p.get("weights")
    table = K.weighted(tuple(float(w) for w in weights)) if weights else None
    return ctx.pick(len(values), table)


def _choice_categories(p: dict[str, Any]) -> list[str]:
    return list(p["values"])


def _choice_domain(p: dict[str, Any], _: str) -> int:
    return len(p["values"])


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


def _gen_address(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    street = _pool_gen("street_address")(ctx, p)
    city = _pool_gen("city")(ctx, p)
    post = _format_gen("postcode", "postcode")(ctx, p)
    return K.join(street, K.join(post, city, sep=" "), sep=", ")


_ADJECTIVES = ("Classic", "Compact", "Deluxe", "Eco", "Ergonomic", "Essential", "Everyday",
               "Premium", "Pro", "Portable", "Smart", "Ultra", "Vintage", "Wireless", "Modern",
               "Organic", "Rugged", "Sleek", "Lightweight", "Handmade")
_MATERIALS = ("Bamboo", "Ceramic", "Cotton", "Leather", "Linen", "Metal", "Steel", "Wooden",
              "Glass", "Wool", "Silicone", "Granite", "Aluminium", "Recycled", "Carbon")
_PRODUCTS = ("Backpack", "Blender", "Bottle", "Chair", "Desk Lamp", "Headphones", "Jacket",
             "Keyboard", "Kettle", "Mug", "Notebook", "Pillow", "Running Shoes", "Scarf",
             "Speaker", "Sunglasses", "Table", "T-Shirt", "Towel", "Wallet", "Watch", "Mouse",
             "Monitor", "Phone Case", "Yoga Mat", "Frying Pan", "Candle", "Charger", "Drone",
             "Camera", "Tent", "Bicycle Helmet", "Coffee Grinder", "Vase", "Sneakers")
_BRAND_HEADS = ("Al", "Bri", "Cor", "Da", "El", "Fen", "Gal", "Hel", "Ix", "Jun", "Kor", "Lu",
                "Mar", "No", "Or", "Pax", "Quin", "Ro", "Sol", "Tor", "Ul", "Vel", "Wex", "Zen")
_BRAND_TAILS = ("ara", "ex", "ion", "ora", "ix", "ly", "mo", "nova", "on", "ra", "tech", "va",
                "ton", "lux", "io", "wave")


@functools.cache
def _product_pieces() -> K.Pieces:
    materials = pa.array([m + " " for m in _MATERIALS] + [""])  # the last: no material
    return K.Pieces(pa.array([a + " " for a in _ADJECTIVES]), materials, pa.array(_PRODUCTS))


def _gen_product_name(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    adj = ctx.rng.integers(0, len(_ADJECTIVES), ctx.n)
    mat = ctx.rng.integers(0, len(_MATERIALS), ctx.n)
    noun = ctx.rng.integers(0, len(_PRODUCTS), ctx.n)
    mat[ctx.rng.random(ctx.n) >= 0.5] = len(_MATERIALS)
    return _product_pieces().spell(adj, mat, noun)


def _gen_brand(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    brands = pa.array([h + t for h in _BRAND_HEADS for t in _BRAND_TAILS])
    return K.take(brands, ctx.pick(len(brands)))


def _gen_quantity(ctx: Ctx, p: dict[str, Any]) -> np.ndarray:
    return draw_numeric(ctx, p, integer=True)


# Dates and times -----------------------------------------------------------------

def _check_window(p: dict[str, Any]) -> str | None:
    start, end = parse_when(p["start"]), parse_when(p["end"])
    if start is None or end is None:
        return None  # the value check has said so already
    if start > end:
        return f"start {p['start']} is after end {p['end']}"
    lo, hi = parse_duration(p["min_gap"]), parse_duration(p["max_gap"])
    if lo is not None and hi is not None and lo > hi:
        return "min_gap must not be longer than max_gap"
    return None


def _draw_seconds(ctx: Ctx, p: dict[str, Any], grain: int) -> np.ndarray:
    after = p.get("after")
    if after and after in ctx.cols:
        base = ctx.cols[after].astype("datetime64[s]").astype(np.int64)
        lo, hi = parse_duration(p["min_gap"]) or 0.0, parse_duration(p["max_gap"]) or 0.0
        gap = ctx.rng.uniform(lo, hi, ctx.n) if hi > lo else np.full(ctx.n, lo)
        return base + (gap // grain * grain).astype(np.int64)
    start = int(parse_when(p["start"]).astype(np.int64))  # type: ignore[union-attr]
    end = int(parse_when(p["end"]).astype(np.int64))  # type: ignore[union-attr]
    if p.get("step"):
        step = int(parse_duration(p["step"]) or grain)
        return start + ctx.index * step
    slots = (end - start) // grain + 1
    return start + ctx.pick(slots) * grain


def _gen_datetime(ctx: Ctx, p: dict[str, Any]) -> np.ndarray:
    return _draw_seconds(ctx, p, 1).astype("datetime64[s]")


def _gen_date(ctx: Ctx, p: dict[str, Any]) -> np.ndarray:
    secs = _draw_seconds(ctx, p, 86400)
    return (secs // 86400 * 86400).astype("datetime64[s]")


def _window_domain(grain: int) -> Callable[[dict[str, Any], str], int | None]:
    def domain(p: dict[str, Any], _: str) -> int | None:
        if p.get("after") or p.get("step"):
            return None
        start, end = parse_when(p["start"]), parse_when(p["end"])
        if start is None or end is None:
            return None
        return int((end.astype(np.int64) - start.astype(np.int64)) // grain + 1)

    return domain


def _gen_time(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    lo = _clock_seconds(p["start"])
    hi = _clock_seconds(p["end"])
    secs = lo + ctx.pick(hi - lo + 1)
    hms = np.stack([secs // 3600, secs // 60 % 60, secs % 60], axis=1)
    mat = np.empty((ctx.n, 8), dtype=np.uint8)
    for j in range(3):
        mat[:, 3 * j:3 * j + 2] = K.digit_matrix(hms[:, j], 2) + 48
    mat[:, 2] = mat[:, 5] = ord(":")
    return K.fixed_width(mat)


_CLOCK = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?")


def _clock_seconds(text: str) -> int:
    m = _CLOCK.fullmatch(text.strip())
    return int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3) or 0) if m else 0


def _check_clock(p: dict[str, Any]) -> str | None:
    for key in ("start", "end"):
        if not _CLOCK.fullmatch(p[key].strip()):
            return f"{key} must be a time of day such as 09:30"
    if _clock_seconds(p["start"]) > _clock_seconds(p["end"]):
        return "start must not be later than end"
    return None


# Text --------------------------------------------------------------------------

# Text is spelled like names: one take from the locale's words glued into blocks
# (Capitalised, ' word', ' Capitalised', '.', Title, ' Title') and the parts of each row
# read back as one string (``K.concat_ragged``).
_CAP, _SP_WORD, _SP_CAP, _DOT, _TITLE, _SP_TITLE = range(6)


@functools.cache
def _text_pieces(locale: str) -> K.Pieces:
    words = pools.words(locale)
    cap, title = pc.utf8_capitalize(words), pc.utf8_title(words)
    return K.Pieces(cap, K.join(" ", words), K.join(" ", cap), ".", title, K.join(" ", title))


def _spell_words(ctx: Ctx, counts: np.ndarray, first: np.ndarray | int, rest: int,
                 end: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Part indices for groups of ``counts`` words (+ an ``end`` part), and their sizes."""
    pieces = _text_pieces(ctx.locale)
    size = counts + (end is not None)
    ends = np.cumsum(size)
    starts = ends - size
    idx = ctx.rng.integers(0, len(pools.words(ctx.locale)), int(ends[-1]) if len(ends) else 0)
    idx[starts] += pieces.base[first] - pieces.base[rest]
    idx += pieces.base[rest]
    if end is not None:
        idx[ends - 1] = pieces.base[end]
    return idx, size


def _gen_word(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    pool = pools.words(ctx.locale)
    return K.take(pool, ctx.pick(len(pool)))


def _gen_sentence(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    counts = ctx.rng.integers(p["min_words"], p["max_words"] + 1, ctx.n)
    idx, size = _spell_words(ctx, counts, _CAP, _SP_WORD, _DOT)
    return K.concat_ragged(_text_pieces(ctx.locale).pool, idx, size)


def _gen_paragraph(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    per_row = ctx.rng.integers(p["min_sentences"], p["max_sentences"] + 1, ctx.n)
    counts = ctx.rng.integers(5, 15, int(per_row.sum()))
    opens_row = np.zeros(len(counts), dtype=bool)
    opens_row[np.cumsum(per_row) - per_row] = True  # a row's first sentence has no space before it
    first = np.where(opens_row, _CAP, _SP_CAP)
    idx, size = _spell_words(ctx, counts, 0, _SP_WORD, _DOT)
    pieces = _text_pieces(ctx.locale)
    starts = np.cumsum(size) - size
    idx[starts] += pieces.base[first]
    row_parts = np.add.reduceat(size, np.cumsum(per_row) - per_row)
    return K.concat_ragged(pieces.pool, idx, row_parts)


def _gen_title(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    counts = ctx.rng.integers(p["min_words"], p["max_words"] + 1, ctx.n)
    idx, size = _spell_words(ctx, counts, _TITLE, _SP_TITLE, None)
    return K.concat_ragged(_text_pieces(ctx.locale).pool, idx, size)


def _check_words(lo: str, hi: str) -> Callable[[dict[str, Any]], str | None]:
    return lambda p: f"{lo} must not be greater than {hi}" if p[lo] > p[hi] else None


# Internet ------------------------------------------------------------------------

@functools.cache
def _ipv4_pieces() -> K.Pieces:
    octet = K.to_str(np.arange(256))
    return K.Pieces(octet, ".", octet, ".", octet, ".", octet)


def _gen_ipv4(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    if ctx.unique:
        n32 = K.scramble(ctx.index, 1 << 32, ctx.key)
        octets = [(n32 >> s) & 255 for s in (24, 16, 8, 0)]
    else:
        octets = [ctx.rng.integers(1 if i == 0 else 0, 255 if i == 0 else 256, ctx.n) for i in range(4)]
    return _ipv4_pieces().spell(octets[0], 0, octets[1], 0, octets[2], 0, octets[3])


def _hex_groups(ctx: Ctx, groups: int, size: int, sep: str) -> pa.Array:
    raw = ctx.rng.integers(0, 256, (ctx.n, groups * size), dtype=np.uint8)
    hexed = K.hex_bytes(raw)
    width = 2 * size
    mat = np.full((ctx.n, groups * width + groups - 1), ord(sep), dtype=np.uint8)
    for g in range(groups):
        mat[:, g * (width + 1):g * (width + 1) + width] = hexed[:, g * width:(g + 1) * width]
    return K.fixed_width(mat)


def _gen_ipv6(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    return _hex_groups(ctx, 8, 2, ":")


def _gen_mac(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    return _hex_groups(ctx, 6, 1, ":")


def _gen_hex_color(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    raw = ctx.rng.integers(0, 256, (ctx.n, 3), dtype=np.uint8)
    mat = np.hstack([np.full((ctx.n, 1), ord("#"), dtype=np.uint8), K.hex_bytes(raw)])
    return K.fixed_width(mat)


@functools.cache
def _url_pieces(locale: str) -> K.Pieces:
    return K.Pieces("https://www.", pools.sampled(locale, "domain_name"), "/", pools.sampled(locale, "uri_path"))


def _gen_url(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    domains = pools.sampled(ctx.locale, "domain_name")
    paths = pools.sampled(ctx.locale, "uri_path")
    host = ctx.rng.integers(0, len(domains), ctx.n)
    path = ctx.rng.integers(0, len(paths), ctx.n)
    return _url_pieces(ctx.locale).spell(0, host, 0, path)


def _gen_http_status(ctx: Ctx, p: dict[str, Any]) -> np.ndarray:
    codes = np.array([200, 201, 204, 301, 302, 304, 400, 401, 403, 404, 429, 500, 502, 503])
    weights = (70, 4, 2, 2, 3, 5, 3, 1.5, 1, 4, 0.5, 2, 1, 1)
    return codes[K.weighted_index(ctx.rng, weights, ctx.n)]


def _gen_formula(ctx: Ctx, p: dict[str, Any]) -> np.ndarray:
    from . import formula

    tree, names = formula.parse(p["expr"], ctx.name)
    env = {name: np.asarray(ctx.cols[name], dtype=np.float64) for name in names}
    values = np.broadcast_to(formula.evaluate(tree, env), (ctx.n,))  # "1 + 1" is one number
    return np.round(values, p["decimals"])


# ------------------------------------------------------------------ the table

def _choice(name: str, group: str, help: str, values: list[str], weights: list[float] | None = None) -> TypeSpec:
    return TypeSpec(
        name, group, CATEGORY, help, _gen_choice,
        (Param("values", "strings", values, help="the possible values"),
         Param("weights", "floats", weights, help="relative frequency of each value")),
        domain=_choice_domain, check=_check_values, categories=_choice_categories,
    )


def _pool(name: str, group: str, help: str, kind: str | None = None) -> TypeSpec:
    kind = kind or name
    return TypeSpec(name, group, STRING, help, _pool_gen(kind), domain=_pool_domain(kind))


def _patterned(name: str, group: str, help: str, pattern: str) -> TypeSpec:
    return TypeSpec(name, group, STRING, help, _gen_pattern,
                    (Param("pattern", "pattern", pattern,
                           help="# digit, % non-zero digit, ? letter, * letter or digit; others literal"),),
                    domain=_pattern_domain, check=_check_pattern)


def _numeric(name: str, group: str, help: str, kind: str, lo: float, hi: float, dist: str,
             decimals: int | None, gen: Callable[[Ctx, dict[str, Any]], Any] | None = None,
             extra: tuple[Param, ...] = ()) -> TypeSpec:
    gen = gen or (_gen_integer if kind == INT else _gen_float)
    domain = _span_domain if kind == INT else _decimal_domain
    return TypeSpec(name, group, kind, help, gen, _numeric_params(lo, hi, dist, decimals) + extra,
                    domain=domain, check=_check_min_max)


def _window(name: str, kind: str, help: str, grain: int) -> TypeSpec:
    return TypeSpec(
        name, "dates", kind, help, _gen_date if kind == DATE else _gen_datetime,
        (Param("start", "when", "2025-01-01", help="earliest value: a date, 'today' or 'today-90d'"),
         Param("end", "when", "2025-12-31" if kind == DATE else "2025-12-31 23:59:59",
               help="latest value"),
         _col("after", "a date column this one follows (e.g. ship date after order date)"),
         Param("min_gap", "duration", "0d" if kind == DATE else "0s", help="shortest gap after 'after'"),
         Param("max_gap", "duration", "14d" if kind == DATE else "2h", help="longest gap after 'after'"),
         Param("step", "duration", None, help="a regular series: one value every step from start")),
        domain=_window_domain(grain), check=_check_window,
    )


_GENDER_PARAMS = (
    Param("gender", "enum", "any", choices=("any", "female", "male"), help="which given names"),
    _col("gender_from", "a gender column the given name agrees with"),
)
_AS_OF = Param("as_of", "when", "2025-12-31", help="the date ages are counted at")

_TYPE_LIST: list[TypeSpec] = [
    # identifiers
    TypeSpec("id", "identifiers", INT, "Sequential integer id (1, 2, 3, ...)", _gen_id,
             (_int("start", 1, -10**15, 10**15, "first id"), _int("step", 1, 1, 10**6, "gap between ids"))),
    TypeSpec("uuid", "identifiers", STRING, "Random UUID4 string", _gen_uuid),
    _patterned("code", "identifiers", "Code from a pattern, e.g. ORD-######", "ID-######"),
    _patterned("sku", "identifiers", "Stock keeping unit, e.g. SKU-AB-1234", "SKU-??-####"),
    _patterned("tracking_number", "identifiers", "Parcel tracking number", "1Z????##########"),
    TypeSpec("account_number", "identifiers", STRING, "Bank account number (digits)", _gen_account_number,
             (_int("digits", 10, 4, 18, "number of digits"),),
             domain=lambda p, _: 9 * 10 ** (p["digits"] - 1)),
    TypeSpec("iban", "finance", STRING, "IBAN with valid check digits", _gen_iban,
             (Param("country", "str", None, help="two-letter country code (default: from the locale)"),),
             domain=lambda p, loc: 10 ** min(_IBAN_LENGTHS[_iban_country(p, loc)], 17)),
    TypeSpec("isbn", "identifiers", STRING, "ISBN-13 with a valid check digit", _gen_isbn,
             domain=lambda p, _: 10**9),
    # people
    TypeSpec("first_name", "people", STRING, "Given name from the locale's name lists",
             _gen_first_name, _GENDER_PARAMS),
    TypeSpec("last_name", "people", STRING, "Family name from the locale's name lists", _gen_last_name),
    TypeSpec("full_name", "people", STRING, "Given and family name, in the locale's order",
             _gen_full_name, _GENDER_PARAMS),
    _choice("gender", "people", "Gender", ["Female", "Male", "Non-binary"], [0.49, 0.49, 0.02]),
    _numeric("age", "people", "Age in years (or from a birth date column)", INT, 18, 80, "uniform", None,
             gen=_gen_age, extra=(_col("derive_from", "a birth date column to count the age from"), _AS_OF)),
    TypeSpec("birth_date", "people", DATE, "Birth date for an age range (or from an age column)",
             _gen_birth_date,
             (_int("min_age", 18, 0, 120, "youngest age"), _int("max_age", 80, 0, 120, "oldest age"),
              _col("derive_from", "an age column the birth date agrees with"), _AS_OF),
             check=_check_words("min_age", "max_age")),
    _pool("job_title", "people", "Job title", "job"),
    TypeSpec("username", "people", STRING, "User name (from a name column when given)", _gen_username,
             (_col("derive_from", "a name column to build the user name from"),), domain=lambda p, _: 1 << 31),
    _choice("blood_type", "people", "ABO/Rh blood type",
            ["O+", "A+", "B+", "AB+", "O-", "A-", "B-", "AB-"], [37, 36, 8.5, 2.5, 7, 6, 1.5, 1]),
    _pool("language", "people", "Language name"),
    # contact
    TypeSpec("email", "contact", STRING, "E-mail address (from a name column when given)", _gen_email,
             (_col("derive_from", "a name column the address is built from"),
              Param("domain", "str", None, help="one domain for every address, e.g. example.com")),
             domain=lambda p, _: 1 << 31),
    TypeSpec("phone", "contact", STRING, "Phone number in the locale's formats",
             _format_gen("phone", "phone"), domain=_format_domain("phone", "phone")),
    # address
    _pool("street_address", "address", "Street and house number"),
    _pool("city", "address", "City"),
    _pool("state", "address", "State, region or province"),
    TypeSpec("postcode", "address", STRING, "Postal code in the locale's formats",
             _format_gen("postcode", "postcode"), domain=_format_domain("postcode", "postcode")),
    _pool("country", "address", "Country name"),
    _pool("country_code", "address", "Two-letter country code"),
    TypeSpec("address", "address", STRING, "Full postal address", _gen_address),
    _numeric("latitude", "address", "Latitude in degrees", FLOAT, -90, 90, "uniform", 6),
    _numeric("longitude", "address", "Longitude in degrees", FLOAT, -180, 180, "uniform", 6),
    _pool("timezone", "address", "IANA time zone name"),
    # company
    _pool("company", "company", "Company name"),
    _choice("department", "company", "Department",
            ["Engineering", "Sales", "Marketing", "Finance", "Human Resources", "Operations",
             "Customer Support", "Legal", "Product", "IT"],
            [22, 16, 10, 8, 6, 12, 12, 3, 6, 5]),
    _choice("industry", "company", "Industry",
            ["Technology", "Healthcare", "Finance", "Retail", "Manufacturing", "Education",
             "Energy", "Real Estate", "Transportation", "Media"]),
    # finance
    _numeric("money", "finance", "Amount of money (2 decimals by default)", FLOAT, 1, 1000, "lognormal", 2),
    _choice("currency_code", "finance", "ISO 4217 currency code",
            ["USD", "EUR", "GBP", "JPY", "CAD", "AUD", "CHF"], [45, 25, 10, 7, 5, 5, 3]),
    TypeSpec("credit_card_number", "finance", STRING, "Card number with a valid Luhn digit", _gen_credit_card,
             (Param("provider", "enum", "Visa", choices=tuple(_CARD_PREFIXES), help="card network"),),
             domain=_card_domain),
    _choice("credit_card_provider", "finance", "Card network",
            list(_CARD_PREFIXES), [52, 33, 10, 5]),
    _pool("swift", "finance", "SWIFT/BIC bank code"),
    _patterned("stock_ticker", "finance", "Stock ticker symbol", "???"),
    _choice("transaction_type", "finance", "Kind of bank transaction",
            ["purchase", "payment", "transfer", "withdrawal", "deposit", "refund"],
            [45, 20, 12, 9, 10, 4]),
    # commerce
    TypeSpec("product_name", "commerce", STRING, "Product name", _gen_product_name),
    _choice("product_category", "commerce", "Product category",
            ["Electronics", "Clothing", "Home & Kitchen", "Books", "Sports & Outdoors", "Beauty",
             "Toys & Games", "Grocery", "Health", "Automotive"],
            [18, 16, 14, 9, 9, 8, 7, 8, 6, 5]),
    TypeSpec("brand", "commerce", STRING, "Brand name", _gen_brand,
             domain=lambda p, _: len(_BRAND_HEADS) * len(_BRAND_TAILS)),
    TypeSpec("rating", "commerce", FLOAT, "Rating leaning high, as reviews do", _gen_rating,
             (_num("min", 1.0, help="lowest rating"), _num("max", 5.0, help="highest rating"),
              _int("decimals", 1, 0, 3, "digits after the point")),
             domain=_decimal_domain, check=_check_min_max),
    _numeric("quantity", "commerce", "Item count (mostly small)", INT, 1, 10, "poisson", None,
             gen=_gen_quantity),
    _choice("order_status", "commerce", "Order status",
            ["pending", "processing", "shipped", "delivered", "cancelled", "returned"],
            [8, 7, 15, 60, 6, 4]),
    _choice("payment_method", "commerce", "Payment method",
            ["credit card", "debit card", "PayPal", "bank transfer", "cash", "gift card"],
            [38, 25, 18, 8, 7, 4]),
    _pool("color", "commerce", "Colour name", "color_name"),
    _numeric("percent", "numbers", "Percentage", FLOAT, 0, 100, "uniform", 1),
    # dates
    _window("date", DATE, "Calendar date in a window, or after another date column", 86400),
    _window("datetime", DATETIME, "Timestamp in a window, after another column, or every step", 1),
    TypeSpec("time", "dates", STRING, "Time of day HH:MM:SS", _gen_time,
             (Param("start", "str", "00:00", help="earliest time"), Param("end", "str", "23:59:59", help="latest time")),
             domain=lambda p, _: _clock_seconds(p["end"]) - _clock_seconds(p["start"]) + 1, check=_check_clock),
    _numeric("year", "dates", "Calendar year", INT, 2000, 2025, "uniform", None),
    _choice("month", "dates", "Month name",
            ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]),
    _choice("weekday", "dates", "Day of the week",
            ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]),
    _numeric("duration", "dates", "Length of time as a number (say the unit in the column name)",
             INT, 1, 120, "lognormal", None,
             extra=(Param("unit", "enum", "minutes", choices=("seconds", "minutes", "hours", "days"),
                          help="unit of the numbers"),)),
    # numbers
    _numeric("integer", "numbers", "Whole number", INT, 0, 100, "uniform", None),
    _numeric("float", "numbers", "Decimal number", FLOAT, 0, 100, "uniform", 2),
    TypeSpec("boolean", "numbers", BOOL, "True/false flag", _gen_boolean,
             (Param("p_true", "share", 0.5, 0, 1, help="share of True values"),), domain=lambda p, _: 2),
    TypeSpec("category", "numbers", CATEGORY, "One of a list of values", _gen_choice,
             (Param("values", "strings", None, help="the possible values (required)"),
              Param("weights", "floats", None, help="relative frequency of each value")),
             domain=_choice_domain, check=_check_values, categories=_choice_categories),
    TypeSpec("formula", "numbers", FLOAT, "Arithmetic over numeric columns, e.g. quantity * unit_price",
             _gen_formula,
             (Param("expr", "expr", None, help="the arithmetic (required)"),
              _int("decimals", 2, 0, 6, "digits after the decimal point"))),
    # text
    TypeSpec("word", "text", STRING, "Single word", _gen_word,
             domain=lambda p, loc: len(pools.words(loc))),
    TypeSpec("sentence", "text", STRING, "Sentence of random words", _gen_sentence,
             (_int("min_words", 6, 1, 50, "fewest words"), _int("max_words", 14, 1, 50, "most words")),
             check=_check_words("min_words", "max_words")),
    TypeSpec("paragraph", "text", STRING, "Several sentences", _gen_paragraph,
             (_int("min_sentences", 3, 1, 20, "fewest sentences"), _int("max_sentences", 6, 1, 20, "most sentences")),
             check=_check_words("min_sentences", "max_sentences")),
    TypeSpec("title", "text", STRING, "Short title-cased phrase", _gen_title,
             (_int("min_words", 2, 1, 20, "fewest words"), _int("max_words", 6, 1, 20, "most words")),
             check=_check_words("min_words", "max_words")),
    # internet
    TypeSpec("ipv4", "internet", STRING, "IPv4 address", _gen_ipv4, domain=lambda p, _: 1 << 32),
    TypeSpec("ipv6", "internet", STRING, "IPv6 address", _gen_ipv6),
    TypeSpec("mac_address", "internet", STRING, "MAC address", _gen_mac),
    TypeSpec("url", "internet", STRING, "Web address", _gen_url),
    _pool("domain_name", "internet", "Internet domain name"),
    _pool("user_agent", "internet", "Browser user agent string"),
    _choice("http_method", "internet", "HTTP method",
            ["GET", "POST", "PUT", "DELETE", "PATCH"], [70, 20, 4, 3, 3]),
    TypeSpec("http_status", "internet", INT, "HTTP status code, mostly 200", _gen_http_status),
    _pool("uri_path", "internet", "Path part of a URL"),
    TypeSpec("hex_color", "internet", STRING, "Colour as #rrggbb", _gen_hex_color),
    _pool("file_name", "internet", "File name with extension"),
    _pool("mime_type", "internet", "MIME type"),
    _pool("license_plate", "identifiers", "Vehicle licence plate"),
]

TYPES: dict[str, TypeSpec] = {t.name: t for t in _TYPE_LIST}


def column_refs(spec: TypeSpec, params: dict[str, Any]) -> list[str]:
    """The other columns a column of this type reads (for ordering and validation)."""
    refs = [params[p.name] for p in spec.params if p.kind == "column" and params.get(p.name)]
    if spec.name == "formula" and params.get("expr"):
        from . import formula

        refs.extend(formula.parse(params["expr"], "?")[1])
    return refs


def stable_key(name: str) -> int:
    """A per-column number that does not change when other columns are added."""
    return zlib.crc32(name.encode())
