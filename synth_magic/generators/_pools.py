"""Faker's locale data as Arrow arrays, built once per locale and Faker version.

Name lists (with their weights) are read straight from Faker's providers. Values that
Faker composes from formats (cities, streets, companies, phone numbers...) are sampled
once into a pool by a Faker instance seeded with a fixed seed, so pools are the same in
every run of the same Faker version. Which Faker method fills which pool is fixed here
in code (``SAMPLERS``); no name that came from a user, a model or a cache is ever
looked up on Faker.

Every pool is kept in the cache directory as a memory-mapped Arrow file
(:mod:`synth_magic._pool_cache`), so a process that finds a locale's pools there never
imports Faker; in a process each pool is read once.
"""

from __future__ import annotations

import re
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from .. import _pool_cache
from ..errors import ConfigError
from ._kernels import Weighted

if TYPE_CHECKING:
    from faker import Faker

__all__ = ["FAMILY_FIRST", "POOL_SIZE", "SAMPLERS", "Names", "address_formats", "faker", "formats", "names",
           "sampled", "template_part", "words"]

POOL_SIZE = 1000
_lock = threading.RLock()

# Locales whose names are written family name first, without a space.
FAMILY_FIRST = {"ja_JP", "zh_CN", "zh_TW", "ko_KR"}


SAMPLERS: dict[str, Callable[[Faker], Any]] = {
    "city": lambda f: f.city(),
    "street_address": lambda f: f.street_address(),
    "street_name": lambda f: f.street_name(),
    "state": lambda f: f.administrative_unit(),
    "postcode": lambda f: f.postcode(),
    "country": lambda f: f.country(),
    "country_code": lambda f: f.country_code(),
    "company": lambda f: f.company(),
    "job": lambda f: f.job(),
    "phone": lambda f: f.phone_number(),
    "free_email_domain": lambda f: f.free_email_domain(),
    "domain_name": lambda f: f.domain_name(),
    "user_agent": lambda f: f.user_agent(),
    "uri_path": lambda f: f.uri_path(),
    "file_name": lambda f: f.file_name(),
    "mime_type": lambda f: f.mime_type(),
    "color_name": lambda f: f.color_name(),
    "license_plate": lambda f: f.license_plate(),
    "swift": lambda f: f.swift(),
    "timezone": lambda f: f.timezone(),
    "currency_code": lambda f: f.currency_code(),
    "language": lambda f: f.language_name(),
}


@cache
def faker(locale: str) -> Faker:
    from faker import Faker

    with _lock:
        return Faker(locale)


def _seeded(locale: str, tag: str) -> Faker:
    f = faker(locale)
    f.seed_instance(zlib.crc32(f"{locale}:{tag}".encode()))
    return f


@cache
def sampled(locale: str, kind: str) -> pa.Array:
    """POOL_SIZE draws of one Faker method (deduplicated, order kept).

    A locale whose Faker lacks the provider (en_PH has no phone numbers) gets en_US's pool.
    """
    def make() -> list[str]:
        sampler = SAMPLERS[kind]
        with _lock:
            f = _seeded(locale, kind)
            try:
                return list(dict.fromkeys(str(sampler(f)) for _ in range(POOL_SIZE)))
            except AttributeError:
                if locale == "en_US":
                    raise
        return sampled("en_US", kind).to_pylist()

    return _pool_cache.strings(locale, "sampled-" + kind, make)


_PARTS = frozenset({"street_name", "secondary_address"})  # the parts code asks for by name


@cache
def template_part(locale: str, token: str) -> pa.Array:
    """POOL_SIZE draws of one part of the locale's own address templates (``street_name``,
    ``secondary_address``...): ``token`` comes from Faker's templates, never from outside."""
    def make() -> list[str]:
        size = 4 * POOL_SIZE if token == "street_name" else POOL_SIZE  # street names: the variety of addresses
        if token not in _template_tokens(locale) | _PARTS:  # maybe read from a kept file: only Faker's own
            raise ConfigError(f"The kept address formats of {locale} name a part Faker does not have; delete "
                              f"{_pool_cache.folder()} and run again to rebuild the pools.")
        with _lock:
            f = _seeded(locale, "part:" + token)
            return list(dict.fromkeys(str(f.format(token)) for _ in range(size)))

    return _pool_cache.strings(locale, "part-" + token, make)


def _faker_address_formats(locale: str) -> list[str]:
    with _lock:
        address = faker(locale).provider("faker.providers.address")
    streets = getattr(address, "street_address_formats", ()) or ()
    numbers = getattr(address, "building_number_formats", ()) or ()
    return [f"s{x}" for x in streets] + [f"b{x}" for x in numbers]


@cache
def _template_tokens(locale: str) -> frozenset[str]:
    """The ``{{token}}`` names in the locale's street templates, read from Faker itself."""
    return frozenset(re.findall(r"\{\{(\w+)\}\}", " ".join(_faker_address_formats(locale))))


@cache
def address_formats(locale: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The locale's street address templates and house number formats, as Faker writes them."""
    make = partial(_faker_address_formats, locale)

    both = _pool_cache.strings(locale, "address-formats", make).to_pylist()
    return tuple(x[1:] for x in both if x[0] == "s"), tuple(x[1:] for x in both if x[0] == "b")


@dataclass(frozen=True)
class Names:
    """One locale's given and family names with their frequencies.

    ``first`` is the male names followed by the female names, so one index (and one
    take) serves both; ``first_any`` draws from it with each gender at one half.
    """

    first: pa.Array
    first_ascii: pa.Array
    n_male: int
    male_w: Weighted
    female_w: Weighted
    first_any: Weighted
    last: pa.Array
    last_ascii: pa.Array
    last_w: Weighted
    family_first: bool


def _weighted(data: Any) -> tuple[list[str], list[float]]:
    if hasattr(data, "items"):
        items = [(str(k), float(v)) for k, v in data.items()]
    else:  # a plain sequence: equal weights, duplicates counted
        counts: dict[str, float] = {}
        for v in data:
            counts[str(v)] = counts.get(str(v), 0.0) + 1.0
        items = list(counts.items())
    return [k for k, _ in items], [w for _, w in items]


def _romanised(person: Any) -> dict[str, str]:
    """A locale's own romanisation of its names, where Faker has one (ja_JP: 佐藤 → Sato, not
    the Chinese reading unidecode would give)."""
    out: dict[str, str] = {}
    for attr in ("first_name_male_pairs", "first_name_female_pairs", "last_name_pairs"):
        for pair in getattr(person, attr, None) or ():
            if isinstance(pair, tuple) and len(pair) == 3 and all(isinstance(x, str) for x in pair):
                out.setdefault(pair[0], pair[2])
    return out


def _ascii(values: list[str], romanised: dict[str, str] | None = None) -> pa.Array:
    """Lower-case ASCII slugs of names, for e-mail addresses and user names."""
    from faker.decode import unidecode

    out = []
    for v in values:
        s = "".join(ch for ch in unidecode((romanised or {}).get(v, v)).lower() if ch.isalnum())
        out.append(s or "user")
    return pa.array(out, type=pa.large_string())


_FIRST = pa.schema([("value", pa.large_string()), ("ascii", pa.large_string()), ("weight", pa.float64()),
                    ("male", pa.bool_())])
_LAST = pa.schema([("value", pa.large_string()), ("ascii", pa.large_string()), ("weight", pa.float64())])


@cache
def _name_tables(locale: str) -> tuple[pa.Table, pa.Table]:
    """The locale's given names (male first) and family names, from Faker; empty tables
    for a locale without names of its own."""
    with _lock:
        person = faker(locale).provider("faker.providers.person")
    first_any = getattr(person, "first_names", None) or ()
    male = getattr(person, "first_names_male", None) or first_any
    female = getattr(person, "first_names_female", None) or first_any
    last = getattr(person, "last_names", None) or ()
    if not (male and female and last):
        return _FIRST.empty_table(), _LAST.empty_table()
    (mv, mw), (fv, fw), (lv, lw) = (_weighted(x) for x in (male, female, last))
    romanised = _romanised(person)
    first = pa.table({"value": pa.array(mv + fv, type=pa.large_string()), "ascii": _ascii(mv + fv, romanised),
                      "weight": pa.array(mw + fw, type=pa.float64()),
                      "male": pa.array([True] * len(mv) + [False] * len(fv))}, schema=_FIRST)
    family = pa.table({"value": pa.array(lv, type=pa.large_string()), "ascii": _ascii(lv, romanised),
                       "weight": pa.array(lw, type=pa.float64())}, schema=_LAST)
    return first, family


@cache
def names(locale: str) -> Names:
    first = _pool_cache.load(locale, "names-first", _FIRST, lambda: _name_tables(locale)[0])
    last = _pool_cache.load(locale, "names-last", _LAST, lambda: _name_tables(locale)[1])
    if not (first.num_rows and last.num_rows):  # a locale without its own names: en_US's
        return names("en_US")
    n_male = int(np.count_nonzero(_pool_cache.column(first, "male").to_numpy(zero_copy_only=False)))
    weights = _pool_cache.column(first, "weight").to_pylist()
    mw, fw, lw = weights[:n_male], weights[n_male:], _pool_cache.column(last, "weight").to_pylist()
    mw_, fw_ = np.asarray(mw) / sum(mw), np.asarray(fw) / sum(fw)
    return Names(
        first=_pool_cache.column(first, "value"),
        first_ascii=_pool_cache.column(first, "ascii"),
        n_male=n_male,
        male_w=Weighted(mw),
        female_w=Weighted(fw),
        first_any=Weighted(np.concatenate([mw_, fw_]) / 2),
        last=_pool_cache.column(last, "value"),
        last_ascii=_pool_cache.column(last, "ascii"),
        last_w=Weighted(lw),
        family_first=locale in FAMILY_FIRST,
    )


@cache
def words(locale: str) -> pa.Array:
    """The locale's lorem word list (English words for en_*)."""
    def make() -> list[str]:
        with _lock:
            lorem = faker(locale).provider("faker.providers.lorem")
        data = getattr(lorem, "word_list", None) or ()
        return list(dict.fromkeys(str(w) for w in data if str(w).strip())) or ["lorem", "ipsum"]

    return _pool_cache.strings(locale, "words", make)


@cache
def formats(locale: str, provider: str) -> tuple[str, ...]:
    """Faker's plain number formats ('###-###-####') for phone numbers or postcodes.

    Only formats made of '#', '%', digits, letters, spaces and punctuation qualify;
    templates ('{{area_code}}') and Faker's other wildcards are left to sampled pools.
    """
    kept = _pool_cache.strings(locale, "formats-" + provider, lambda: list(_plain_formats(locale, provider)))
    return tuple(x for x in kept.to_pylist() if _plain(x, provider))  # a kept file is data: checked again


_CHARS = {"phone": frozenset("#%0123456789 -+()."), "postcode": frozenset("#0123456789 -")}


def _plain(fmt: str, provider: str) -> bool:
    """A plain number format: '#' slots, digits and the provider's punctuation only."""
    return set(fmt) <= _CHARS[provider] and "#" in fmt


def _plain_formats(locale: str, provider: str) -> tuple[str, ...]:
    with _lock:
        f = faker(locale)
        if provider == "phone":
            data = getattr(f.provider("faker.providers.phone_number"), "formats", ())
        else:
            data = getattr(f.provider("faker.providers.address"), "postcode_formats", ())
    plain = [str(x) for x in data if _plain(str(x), provider)]
    if provider == "phone":
        plain = plain[:6]
    else:  # a locale may write its postcodes its own way (ja_JP: 333-2274) whatever formats it inherits
        shapes = {"".join("#" if ch.isdigit() else ch for ch in p) for p in plain}
        with _lock:
            seen = {"".join("#" if ch.isdigit() else ch for ch in _seeded(locale, "postcode").postcode())
                    for _ in range(20)}
        if not seen <= shapes:
            return ()
    return tuple(dict.fromkeys(plain))
