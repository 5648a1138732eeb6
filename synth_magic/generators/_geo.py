"""Coherent geography: every address column of a row reads the same real place.

``data/places.csv.gz`` (built by ``tools/build_geo.py`` from GeoNames, the ``zipcodes``
package and Google's phone metadata) holds one row per US ZIP code and per city of 15,000
people or more in the countries of Faker's Latin-script locales and Japan, with its
region, coordinates, time zone, population weight and phone area. A table's place columns
(city, state, postcode, country, country_code, latitude, longitude, timezone, phone,
street_address, address) draw one place index per row from a stream shared by the whole
table (``Ctx.shared_rng``), weighted by population and restricted by ``within``, so they
agree whatever else the table has. ``within`` names a country ("France", "DE"), a region
("Bavaria", "US/NY"), a city ("Munich") or an alias ("NYC"); "world" spreads the places
over every country; by default they lie in the locale's country.

``data/phones.csv.gz`` holds, per country, how fixed lines of each area and mobiles of each
prefix are written (national and international: a head as written and a tail of digit
slots, ``#`` any digit, ``%`` 1-9, ``N`` 2-9), each checked valid with ``phonenumbers``.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pyarrow as pa

from ..errors import SchemaError
from . import _kernels as K
from ._base import Ctx

__all__ = ["MOBILE_SHARE", "WORLD", "Phones", "Places", "country_of", "field", "phones", "place_index", "places",
           "selection", "spell_phones"]

DATA = Path(__file__).resolve().parents[1] / "data"
MOBILE_SHARE = 0.6  # personal numbers that are mobiles, where mobiles have prefixes of their own
WORLD = "world"
_lock = threading.Lock()
# Names a description uses for a place the tables spell otherwise.
_NYC = ("New York County", "Kings County", "Queens County", "Bronx County", "Richmond County")
_ALIASES = {  # (country, field, values, region code)
    "nyc": ("US", "county", _NYC, "NY"), "new york city": ("US", "county", _NYC, "NY"),
    "la": ("US", "city", ("Los Angeles",), "CA"), "sf": ("US", "city", ("San Francisco",), "CA"),
    "dc": ("US", "region_code", ("DC",), "DC"), "washington dc": ("US", "region_code", ("DC",), "DC"),
    "uk": ("GB", "country", ("GB",), ""), "usa": ("US", "country", ("US",), ""),
}


@dataclass(frozen=True)
class Places:
    """The place table, column by column (Arrow strings, numpy numbers)."""

    country: np.ndarray  # ISO codes (numpy str)
    country_name: pa.Array
    country_code: pa.Array
    region: pa.Array
    region_code: np.ndarray
    city: pa.Array
    county: np.ndarray
    postcode: pa.Array
    lat: np.ndarray
    lon: np.ndarray
    tz: pa.Array
    weight: np.ndarray
    area: np.ndarray
    lookup: dict[str, dict[str, np.ndarray]]  # field → folded name → row numbers
    country_id: np.ndarray  # per place, its country's number in ``codes``
    codes: tuple[str, ...]
    coded: dict[str, tuple[pa.Array, np.ndarray]]  # field → (distinct values, each place's one): small takes


def _fold(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)).strip().lower()


def _read(name: str) -> pa.Table:
    import pyarrow.csv as pacsv

    convert = pacsv.ConvertOptions(strings_can_be_null=False, column_types={
        "postcode": pa.string(), "area": pa.string(), "region_code": pa.string(), "prefix": pa.string(),
        "national_head": pa.string(), "international_head": pa.string()})
    return pacsv.read_csv(DATA / name, convert_options=convert)


@cache
def places() -> Places:
    with _lock:
        t = _read("places.csv.gz")
    text = {name: t.column(name).combine_chunks().cast(K.STR) for name in
            ("country", "country_name", "region", "region_en", "region_code", "city", "city_en", "county",
             "postcode", "tz", "area")}
    plain = {name: np.asarray(text[name].to_numpy(zero_copy_only=False), dtype=str)
             for name in ("country", "region", "region_en", "region_code", "city", "city_en", "county", "area")}
    lookup: dict[str, dict[str, list[int]]] = {}
    for name, spellings in (("country", ("country",)), ("region", ("region", "region_en")),
                            ("region_code", ("region_code",)), ("city", ("city", "city_en")), ("county", ("county",))):
        table: dict[str, list[int]] = {}
        for spelling in spellings:  # the local spelling and the English one (München, Munich)
            for i, value in enumerate(plain[spelling]):
                if value:
                    table.setdefault(_fold(value), []).append(i)
        lookup[name] = table
    for i, value in enumerate(text["country_name"].to_pylist()):
        lookup["country"].setdefault(_fold(value), []).append(i)
    codes, country_id = np.unique(plain["country"], return_inverse=True)
    coded = {}
    for name in ("country_name", "country", "region", "city", "tz"):
        values, ids = np.unique(np.asarray(text[name].to_numpy(zero_copy_only=False), dtype=str), return_inverse=True)
        coded[name] = (pa.array(values.tolist(), type=K.STR), ids.astype(np.int64))
    return Places(
        country_id=country_id.astype(np.int64), codes=tuple(codes.tolist()), coded=coded,
        country=plain["country"], country_name=text["country_name"], country_code=text["country"],
        region=text["region"], region_code=plain["region_code"], city=text["city"], county=plain["county"],
        postcode=text["postcode"], lat=t.column("lat").to_numpy(), lon=t.column("lon").to_numpy(), tz=text["tz"],
        weight=t.column("weight").to_numpy().astype(np.float64), area=plain["area"],
        lookup={k: {n: np.array(v, dtype=np.int64) for n, v in d.items()} for k, d in lookup.items()},
    )


def country_of(locale: str) -> str | None:
    """The country a locale's places lie in, when the tables have it."""
    country = locale.rpartition("_")[2].upper()
    return country if country in _countries() else None


@cache
def _countries() -> frozenset[str]:
    return frozenset(np.unique(places().country).tolist())


@cache
def selection(locale: str, within: str, column: str = "") -> tuple[np.ndarray, K.Weighted] | None:
    """The places a table may use (row numbers) and their weights; None: no data for the locale."""
    table = places()
    home = country_of(locale)
    text = _fold(within or "")
    if not text:
        if home is None:
            return None
        rows = np.flatnonzero(table.country == home)
    elif text == WORLD:
        rows = np.arange(len(table.country))
    else:
        rows = _find(table, text, home)
        if rows is None:
            raise SchemaError(
                f"Column '{column}': no place called '{within[:60]}' in the geography tables; name a country, "
                "region or city (such as 'France', 'Bavaria', 'US/NY' or 'Munich')."
            )
    weight = table.weight[rows]
    if text == WORLD:  # every country has a say, the big ones more: weights scaled to sqrt(population) per country
        codes, inverse = np.unique(table.country[rows], return_inverse=True)
        totals = np.bincount(inverse, weights=weight)
        weight = weight / totals[inverse] * np.sqrt(totals)[inverse]
    return rows, K.Weighted(np.maximum(weight, 1e-9))


def _find(table: Places, text: str, home: str | None) -> np.ndarray | None:
    country_part, _, rest = text.partition("/")
    if rest:  # "de/bavaria", "us/ny"
        inside = table.lookup["country"].get(country_part)
        if inside is None:
            return None
        return _find_in(table, rest, table.country[inside[0]])
    if text in _ALIASES:
        country, field, values, region = _ALIASES[text]
        if field == "country":
            return np.flatnonzero(table.country == country)
        column = {"county": table.county, "region_code": table.region_code}.get(field)
        if column is None:
            column = np.asarray(getattr(table, field).to_numpy(zero_copy_only=False), dtype=str)
        return np.flatnonzero((table.country == country) & (table.region_code == region) & np.isin(column, values))
    if text in table.lookup["country"]:
        return table.lookup["country"][text]
    if home is not None:
        found = _find_in(table, text, home)
        if found is not None:
            return found
    return _find_in(table, text, None)


def _find_in(table: Places, text: str, country: str | None) -> np.ndarray | None:
    for field in ("region", "region_code", "city", "county"):
        rows = table.lookup[field].get(text)
        if rows is not None and country is not None:
            rows = rows[table.country[rows] == country]
        if rows is not None and len(rows):
            return rows
    return None


def field(name: str, idx: np.ndarray) -> pa.Array:
    """A text column of the place table at places ``idx`` (taken from its distinct values)."""
    values, ids = places().coded[name]
    return K.take(values, ids[idx])


def place_index(ctx: Ctx, p: dict) -> np.ndarray | None:
    """Row numbers into :func:`places` for the chunk: the same for every place column of the
    table (None: the locale has no place data and no place was named)."""
    within = p.get("place") or ""
    key = f"place:{within}"
    if key not in ctx.aux:
        chosen = selection(ctx.locale, within, ctx.name)
        if chosen is None:
            ctx.aux[key] = None
        else:
            rows, weights = chosen
            ctx.aux[key] = rows[weights.draw(ctx.shared_rng(key), ctx.n)]
    return ctx.aux[key]


# ----------------------------------------------------------------------------- phones

@dataclass(frozen=True)
class Phones:
    """Phone spellings (rows of phones.csv.gz) and, per place, its fixed-line spelling."""

    country: np.ndarray
    mobile: np.ndarray  # bool
    weight: np.ndarray
    heads: dict[str, pa.Array]  # style → heads
    tails: dict[str, np.ndarray]  # style → tail shape index per row
    shapes: dict[str, list[str]]  # style → tail shapes
    area_rows: np.ndarray  # fixed-line rows, grouped by area
    place_start: np.ndarray  # per place: where its area's rows start in area_rows
    place_count: np.ndarray  # per place: how many (0: no area)
    mobiles: dict[str, tuple[np.ndarray, K.Weighted]]  # country → mobile rows and weights
    fixed: dict[str, tuple[np.ndarray, K.Weighted]]  # country → fixed rows (for places without an area)


@cache
def phones() -> Phones:
    with _lock:
        t = _read("phones.csv.gz")
    col = {name: t.column(name).to_pylist() for name in t.column_names}
    country = np.array(col["country"], dtype=str)
    mobile = np.array([k == "mobile" for k in col["kind"]])
    weight = np.array(col["weight"], dtype=np.float64)
    heads, tails, shapes = {}, {}, {}
    for style in ("national", "international"):
        heads[style] = pa.array(col[f"{style}_head"], type=K.STR)
        found: dict[str, int] = {}
        tails[style] = np.array([found.setdefault(s, len(found)) for s in col[f"{style}_tail"]], dtype=np.int64)
        shapes[style] = list(found)
    by_area: dict[tuple[str, str], list[int]] = {}
    for i, (c, a, m) in enumerate(zip(col["country"], col["area"], mobile, strict=True)):
        if not m:
            by_area.setdefault((c, a), []).append(i)
    starts, flat = {}, []
    for key, rows in by_area.items():
        starts[key] = (len(flat), len(rows))
        flat += rows
    table = places()
    spans = [starts.get((c, a), (0, 0)) for c, a in zip(table.country, table.area, strict=True)]
    place_start = np.array([s for s, _ in spans], dtype=np.int64)
    place_count = np.array([n for _, n in spans], dtype=np.int64)
    groups = {}
    for name, wanted in (("mobiles", True), ("fixed", False)):
        out = {}
        for c in np.unique(country):
            rows = np.flatnonzero((country == c) & (mobile == wanted))
            if len(rows):
                out[str(c)] = (rows, K.Weighted(weight[rows]))
        groups[name] = out
    return Phones(country, mobile, weight, heads, tails, shapes, np.array(flat, dtype=np.int64), place_start,
                  place_count, groups["mobiles"], groups["fixed"])


_LOW = {"#": 0, "%": 1, "N": 2}


def _tails(shape: str, rng: np.random.Generator, n: int) -> pa.Array:
    """n strings of a tail shape, each digit slot filled (its class's lowest digit and up)."""
    raw = np.frombuffer(shape.encode(), dtype=np.uint8)
    mat = np.repeat(raw[None, :], n, axis=0)
    slots = [i for i, ch in enumerate(shape) if ch in _LOW]
    low = np.array([_LOW[shape[i]] for i in slots], dtype=np.uint8)
    digits = rng.integers(0, 250, (n, len(slots)), dtype=np.uint8) % (10 - low)  # bytes (for 1-9, 2-9: a bias under 3%)
    mat[:, slots] = digits + low + np.uint8(48)
    return K.fixed_width(mat)


def spell_phones(ctx: Ctx, rows: np.ndarray, style: np.ndarray) -> pa.Array:
    """Phone numbers for phone-table rows ``rows`` in ``style`` (True: international)."""
    ph = phones()
    out_heads = []
    pieces, order = [], []
    for name, mask in (("national", ~style), ("international", style)):
        idx = np.flatnonzero(mask)
        if not idx.size:
            continue
        out_heads.append((idx, K.take(ph.heads[name], rows[idx])))
        shape_of = ph.tails[name][rows[idx]]
        for s in np.unique(shape_of):
            at = idx[shape_of == s]
            pieces.append(_tails(ph.shapes[name][s], ctx.rng, at.size))
            order.append(at)
    if len(pieces) == 1:  # one way of writing every row (a US table): already in row order
        tails = pieces[0]
    else:
        inverse = np.empty(ctx.n, dtype=np.int64)
        inverse[np.concatenate(order)] = np.arange(ctx.n)
        tails = pa.concat_arrays(pieces).take(pa.array(inverse))
    if len(out_heads) == 1:
        heads = out_heads[0][1]
    else:
        heads_at = np.concatenate([i for i, _ in out_heads])
        heads = pa.concat_arrays([h for _, h in out_heads]).take(pa.array(np.argsort(heads_at, kind="stable")))
    return K.join(heads, tails)
