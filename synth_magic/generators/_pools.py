"""Faker's locale data as Arrow arrays, built once per locale and process.

Name lists (with their weights) are read straight from Faker's providers. Values that
Faker composes from formats (cities, streets, companies, phone numbers...) are sampled
once into a pool by a Faker instance seeded with a fixed seed, so pools are the same in
every run of the same Faker version. Which Faker method fills which pool is fixed here
in code (``SAMPLERS``); no name that came from a user, a model or a cache is ever
looked up on Faker.
"""

from __future__ import annotations

import threading
import zlib
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from ._kernels import Weighted

if TYPE_CHECKING:
    from collections.abc import Callable

    from faker import Faker

__all__ = ["FAMILY_FIRST", "POOL_SIZE", "SAMPLERS", "Names", "faker", "formats", "names", "sampled",
           "template_part", "words"]

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
    sampler = SAMPLERS[kind]
    with _lock:
        f = _seeded(locale, kind)
        try:
            values = dict.fromkeys(str(sampler(f)) for _ in range(POOL_SIZE))
        except AttributeError:
            if locale == "en_US":
                raise
            return sampled("en_US", kind)
    return pa.array(list(values), type=pa.large_string())


@cache
def template_part(locale: str, token: str) -> pa.Array:
    """POOL_SIZE draws of one part of the locale's own address templates (``street_name``,
    ``secondary_address``...): ``token`` comes from Faker's templates, never from outside."""
    size = 4 * POOL_SIZE if token == "street_name" else POOL_SIZE  # street names: the variety of addresses
    with _lock:
        f = _seeded(locale, "part:" + token)
        values = dict.fromkeys(str(f.format(token)) for _ in range(size))
    return pa.array(list(values), type=pa.large_string())


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


@cache
def names(locale: str) -> Names:
    with _lock:
        person = faker(locale).provider("faker.providers.person")
    first_any = getattr(person, "first_names", None) or ()
    male = getattr(person, "first_names_male", None) or first_any
    female = getattr(person, "first_names_female", None) or first_any
    last = getattr(person, "last_names", None) or ()
    if not (male and female and last):  # a locale without its own names: en_US's
        return names("en_US")
    (mv, mw), (fv, fw), (lv, lw) = (_weighted(x) for x in (male, female, last))
    mw_, fw_ = np.asarray(mw) / sum(mw), np.asarray(fw) / sum(fw)
    romanised = _romanised(person)
    return Names(
        first=pa.array(mv + fv, type=pa.large_string()),
        first_ascii=_ascii(mv + fv, romanised),
        n_male=len(mv),
        male_w=Weighted(mw),
        female_w=Weighted(fw),
        first_any=Weighted(np.concatenate([mw_, fw_]) / 2),
        last=pa.array(lv, type=pa.large_string()),
        last_ascii=_ascii(lv, romanised),
        last_w=Weighted(lw),
        family_first=locale in FAMILY_FIRST,
    )


@cache
def words(locale: str) -> pa.Array:
    """The locale's lorem word list (English words for en_*)."""
    with _lock:
        lorem = faker(locale).provider("faker.providers.lorem")
    data = getattr(lorem, "word_list", None) or ()
    values = list(dict.fromkeys(str(w) for w in data if str(w).strip()))
    return pa.array(values or ["lorem", "ipsum"], type=pa.large_string())


@cache
def formats(locale: str, provider: str) -> tuple[str, ...]:
    """Faker's plain number formats ('###-###-####') for phone numbers or postcodes.

    Only formats made of '#', '%', digits, letters, spaces and punctuation qualify;
    templates ('{{area_code}}') and Faker's other wildcards are left to sampled pools.
    """
    with _lock:
        f = faker(locale)
        if provider == "phone":
            data = getattr(f.provider("faker.providers.phone_number"), "formats", ())
        else:
            data = getattr(f.provider("faker.providers.address"), "postcode_formats", ())
    allowed = set("#%0123456789 -+().") if provider == "phone" else set("#0123456789 -")
    plain = [str(x) for x in data if set(str(x)) <= allowed and "#" in str(x)]
    if provider == "phone":
        plain = [x for x in plain if "x" not in x][:6]
    else:  # a locale may write its postcodes its own way (ja_JP: 333-2274) whatever formats it inherits
        shapes = {"".join("#" if ch.isdigit() else ch for ch in p) for p in plain}
        with _lock:
            seen = {"".join("#" if ch.isdigit() else ch for ch in _seeded(locale, "postcode").postcode())
                    for _ in range(20)}
        if not seen <= shapes:
            return ()
    return tuple(dict.fromkeys(plain))
