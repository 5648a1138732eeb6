"""People: names (with their real frequencies), e-mail addresses, user names, ages, birth dates."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import _kernels as K
from . import _pools as pools
from ._base import Ctx, Generator
from ._dates import when
from ._numbers import below, draw_numeric, span_domain

__all__ = ["GENERATORS"]


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
            ctx.skip_rest()
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
    ctx.skip_rest()  # every draw here is one uniform per row: the next reads as for a whole chunk
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
    return K.Pieces(K.join(names.first, " "), names.last)  # the space glued on: two parts a row, not three


def _gen_full_name(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    names = pools.names(ctx.locale)
    fidx = _first_index(ctx, p)
    ctx.skip_rest()  # one uniform per given name: family names as for a whole chunk
    lidx = names.last_w.draw(ctx.rng, ctx.n)
    _name_aux(ctx, fidx, lidx)
    if names.family_first:
        return _full_name_pieces(ctx.locale).spell(lidx, fidx)
    return _full_name_pieces(ctx.locale).spell(fidx, lidx)


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


@functools.lru_cache(maxsize=256)
def _at_domains(locale: str, domain: str | None) -> pa.Array:
    """'@' and each domain: the one given, else the locale's free e-mail domains (joined
    once, not once a chunk)."""
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
        ctx.skip_rest()
        lidx = names.last_w.draw(ctx.rng, ctx.n)
        ctx.skip_rest()
    if fidx is None:
        return "last", [lidx]
    if lidx is None:
        return "first", [fidx]
    style = below(ctx, len(_STYLE_SEPS))
    first = style * len(names.first_ascii)
    first += fidx
    style *= len(names.last_ascii)
    style += lidx
    return "name", [first, style]


def _optional_number(ctx: Ctx) -> np.ndarray:
    """1..99 on about four rows in ten (99 in 250), else 0 (which spells nothing)."""
    num = below(ctx, 250)
    num[num >= _SUFFIXES] = 0
    return num


def _gen_address_like(ctx: Ctx, p: dict[str, Any], email: bool) -> pa.Array:
    """E-mail address or user name: stem, number (a scrambled row number when unique)."""
    domain = (p.get("domain") or None) if email else None
    stem = _stem_index(ctx, p.get("derive_from"))
    which = below(ctx, len(_at_domains(ctx.locale, domain))) if email else None
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
    return when(p["as_of"])


def _gen_age(ctx: Ctx, p: dict[str, Any]) -> np.ndarray:
    source = p.get("derive_from")
    if source and source in ctx.cols:
        born = ctx.cols[source].astype("datetime64[s]").astype(np.int64)
        now = _as_of(p).astype(np.int64)
        return np.floor((now - born) / _YEAR_SECONDS).astype(np.int64)
    return draw_numeric(ctx, p, integer=True)


def _gen_birth_date(ctx: Ctx, p: dict[str, Any]) -> np.ndarray:
    at = p.get("age_at")  # ages at each row's own date (an admission, a hire): born that long before it
    now = ctx.cols[at].astype("datetime64[s]").astype(np.int64) if at and at in ctx.cols \
        else _as_of(p).astype(np.int64)
    source = p.get("derive_from")
    if source and source in ctx.cols:
        years = np.asarray(ctx.cols[source], dtype=np.float64) + ctx.rng.random(ctx.n)
    else:
        years = ctx.rng.uniform(p["min_age"], p["max_age"] + 1 - 2 / 365.2425, ctx.n)  # (dates round down a day)
    seconds = now - (years * _YEAR_SECONDS).astype(np.int64)
    return (seconds // 86400 * 86400).astype("datetime64[s]")


GENERATORS: dict[str, Generator] = {
    "first_name": Generator(_gen_first_name),
    "last_name": Generator(_gen_last_name),
    "full_name": Generator(_gen_full_name),
    "email": Generator(_gen_email, lambda p, _: 1 << 31),
    "username": Generator(_gen_username, lambda p, _: 1 << 31),
    "age": Generator(_gen_age, span_domain),
    "birth_date": Generator(_gen_birth_date),
}
