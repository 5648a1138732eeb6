"""The offline planner: shared cases, our own cases, and the properties it promises.

The cases are data (``shared/planner-cases.json`` beside the repository, and
``tests/planner_cases_extra.json``); every case plans a schema, checks the column names
against regular expressions and checks properties of 2000 generated rows.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from synth_magic.planner import _knowledge as K
from synth_magic.planner import _stamp as S
from synth_magic.planner import offline
from synth_magic.planner.offline import OfflinePlanner, plan
from synth_magic.schema import SOURCES, Schema

HERE = Path(__file__).resolve().parent
SHARED_CANDIDATES = (
    Path(__file__).resolve().parents[2] / "shared" / "planner-cases.json",
    Path("/work/shared/planner-cases.json"),
)
ROWS = 2000
PERSON_TYPES = ("full_name", "first_name", "last_name")
ADDRESS_TYPES = ("city", "street_address", "address")


def _shared_path() -> Path | None:
    return next((p for p in SHARED_CANDIDATES if p.exists()), None)


def _load(path: Path | None, tag: str) -> list[Any]:
    if path is None:
        return [pytest.param(None, id=f"{tag}-missing",
                             marks=pytest.mark.skip(reason="shared/planner-cases.json not found beside the repository "
                                                           "nor at /work/shared"))]
    cases = json.loads(path.read_text(encoding="utf-8"))["cases"]
    return [pytest.param(c, id=f"{tag}{i:02d}-{c['description'][:40]}") for i, c in enumerate(cases)]


SHARED = _load(_shared_path(), "shared")
EXTRA = _load(HERE / "planner_cases_extra.json", "extra")


# ----------------------------------------------------------------- checking

def _matching(schema: Schema, regex: str) -> list[str]:
    return [n for n in schema.names if re.search(regex, n, re.I)]


def _check_range(schema: Schema, df: pd.DataFrame, regex: str, lo: float, hi: float) -> None:
    cols = [n for n in _matching(schema, regex) if pd.api.types.is_numeric_dtype(df[n])
            and not pd.api.types.is_bool_dtype(df[n])]
    assert cols, f"no numeric column matches {regex!r} in {schema.names}"
    found = {n: (df[n].min(), df[n].max()) for n in cols}
    assert any(lo <= a and b <= hi for a, b in found.values()), f"{regex!r}: {found} not within [{lo}, {hi}]"


def _check_values(schema: Schema, df: pd.DataFrame, regex: str, allowed: list[str]) -> None:
    allowed_l = {str(a).lower() for a in allowed}
    cols = _matching(schema, regex)
    assert cols, f"no column matches {regex!r} in {schema.names}"
    results = {}
    for n in cols:
        seen = {str(v).lower() for v in df[n].dropna().unique()}
        results[n] = seen
        if seen <= allowed_l and len(seen) >= 2:
            return
    pytest.fail(f"{regex!r}: values {results} are not a subset (of 2+) of {sorted(allowed_l)}")


def _check_true_fraction(schema: Schema, df: pd.DataFrame, regex: str, lo: float, hi: float) -> None:
    cols = [n for n in _matching(schema, regex) if pd.api.types.is_bool_dtype(df[n])]
    assert cols, f"no boolean column matches {regex!r} in {schema.names}"
    shares = {n: float(df[n].astype("boolean").mean()) for n in cols}
    assert any(lo <= s <= hi for s in shares.values()), f"{regex!r}: true shares {shares} not in [{lo}, {hi}]"


def _check_null_fraction(schema: Schema, df: pd.DataFrame, regex: str, lo: float, hi: float) -> None:
    cols = _matching(schema, regex)
    assert cols, f"no column matches {regex!r} in {schema.names}"
    shares = {n: float(df[n].isna().mean()) for n in cols}
    assert any(lo <= s <= hi for s in shares.values()), f"{regex!r}: null shares {shares} not in [{lo}, {hi}]"


def _bound(text: str, end: bool) -> pd.Timestamp:
    ts = pd.Timestamp(text)
    if end and len(text) <= 10:
        ts = ts + pd.Timedelta(days=1) - pd.Timedelta(seconds=1)
    return ts


def _check_date_range(schema: Schema, df: pd.DataFrame, regex: str, start: str, end: str) -> None:
    cols = [n for n in _matching(schema, regex) if pd.api.types.is_datetime64_any_dtype(df[n])]
    assert cols, f"no date column matches {regex!r} in {schema.names}"
    lo, hi = _bound(start, False), _bound(end, True)
    found = {n: (df[n].min(), df[n].max()) for n in cols}
    assert any(lo <= a and b <= hi for a, b in found.values()), f"{regex!r}: {found} not within [{lo}, {hi}]"


def _faker_names(locale: str) -> tuple[set[str], set[str], bool]:
    from faker import Faker

    person = Faker(locale).provider("faker.providers.person")
    firsts = set()
    for attr in ("first_names", "first_names_male", "first_names_female"):
        firsts |= {str(x) for x in (getattr(person, attr, None) or ())}
    lasts = {str(x) for x in (getattr(person, "last_names", None) or ())}
    return firsts, lasts, locale in ("ja_JP", "zh_CN", "zh_TW", "ko_KR")


def _is_full_name(value: str, firsts: set[str], lasts: set[str], family_first: bool) -> bool:
    if family_first:
        return any(value[:k] in lasts and value[k:] in firsts for k in range(1, min(len(value), 5)))
    parts = value.split(" ")
    return any(" ".join(parts[:k]) in firsts and " ".join(parts[k:]) in lasts for k in range(1, len(parts)))


def _check_locale(schema: Schema, df: pd.DataFrame, locale: str) -> None:
    from synth_magic.generators import _pools as pools

    assert schema.locale == locale, f"locale {schema.locale}, expected {locale}"
    people = [c for c in schema.columns if c.type in PERSON_TYPES]
    places = [c for c in schema.columns if c.type in ADDRESS_TYPES]
    assert people or places, f"no person or address column in {schema.names}"
    firsts, lasts, family_first = _faker_names(locale)
    for col in people:
        values = df[col.name].dropna().astype(str).unique()
        if col.type == "first_name":
            bad = [v for v in values if v not in firsts]
        elif col.type == "last_name":
            bad = [v for v in values if v not in lasts]
        else:
            bad = [v for v in values if not _is_full_name(v, firsts, lasts, family_first)]
        assert not bad, f"{col.name}: {bad[:5]} are not {locale} names"
    from synth_magic.generators import _geo as geo

    home = geo.country_of(locale)  # real places of the locale's country, where the tables have them
    real = set() if home is None else set(np.asarray(geo.places().city.to_pylist())[geo.places().country == home])
    cities = set(pools.sampled(locale, "city").to_pylist()) | real
    streets = pools.template_part(locale, "street_name").to_pylist()
    for col in places:
        values = df[col.name].dropna().astype(str).unique()
        if col.type == "address":
            bad = [v for v in values if not any(c in v for c in cities)]
        elif col.type == "city":
            bad = [v for v in values if v not in cities]
        else:  # streets are composed per row from the locale's street names
            bad = [v for v in values if not any(s in v for s in streets)]
        assert not bad, f"{col.name}: {bad[:5]} are not {locale} places"
    if places:  # the pools themselves must be the locale's: compare with a fresh Faker draw
        from faker import Faker

        fresh = Faker(locale)
        fresh.seed_instance(7)
        en = {Faker("en_US").city() for _ in range(50)}
        ours = {fresh.city() for _ in range(50)}
        assert ours != en or locale.startswith("en_")


CHECKS = {"range": _check_range, "values": _check_values, "true_fraction": _check_true_fraction,
          "null_fraction": _check_null_fraction, "date_range": _check_date_range, "locale": _check_locale}


def _run_case(case: dict[str, Any]) -> None:
    schema = plan(case["description"])
    for regex in case["columns"]:
        assert _matching(schema, regex), f"no column matches {regex!r}: {schema.names}\n{schema.to_text()}"
    if "rows" in case:
        assert schema.rows == case["rows"]
    assert not any("nothing it recognises" in n for n in schema.notes), "a generic fallback table"
    checks = case.get("checks") or {}
    if not checks:
        schema.generate(50, seed=1)
        return
    df = schema.generate(ROWS, seed=1)
    for kind, args in checks.items():
        CHECKS[kind](schema, df, *args)


@pytest.mark.parametrize("case", SHARED)
def test_shared_case(case: dict[str, Any]) -> None:
    _run_case(case)


@pytest.mark.parametrize("case", EXTRA)
def test_extra_case(case: dict[str, Any]) -> None:
    _run_case(case)


# -------------------------------------------------------------- properties

ALL_DESCRIPTIONS = [c.values[0]["description"] for c in SHARED + EXTRA if c.values[0]]


def test_enough_own_cases() -> None:
    assert len(EXTRA) >= 30


@pytest.mark.parametrize("description", ALL_DESCRIPTIONS[:12] + ["asdf", ""])
def test_deterministic(description: str) -> None:
    assert plan(description).to_json() == plan(description).to_json()


@pytest.mark.parametrize("description", ALL_DESCRIPTIONS)
def test_every_column_has_provenance(description: str) -> None:
    schema = plan(description)
    assert schema.planner == "offline"
    for col in schema.columns:
        assert col.source in SOURCES and col.source != "fallback", (col.name, col.source)
        assert col.why, col.name
    text = schema.to_text()
    assert all(f"  # {c.source}" in text for c in schema.columns)
    again = Schema.from_text(text)
    assert [c.to_dict() for c in again.columns] == [c.to_dict() for c in schema.columns]


@pytest.mark.parametrize("description", ["asdf", "qwerty zxcv", "", "   ", "!!!"])
def test_fallback_only_for_nothing_recognisable(description: str) -> None:
    schema = plan(description)
    assert schema.notes and "generic" in schema.notes[0]
    assert {c.source for c in schema.columns} == {"fallback"}
    schema.generate(20, seed=1)


@pytest.mark.parametrize("description", ["asdf customers", "names and emails", "planets with diameter",
                                         "a table of products"])
def test_recognisable_content_is_not_fallback(description: str) -> None:
    schema = plan(description)
    assert not schema.notes, schema.notes
    assert all(c.source != "fallback" for c in schema.columns)


def test_planner_interface() -> None:
    planner = OfflinePlanner()
    assert planner.name == "offline" and planner.model == ""
    assert planner.version == f"{offline.VERSION}-{K.version()}-{S.code_hash()}"
    assert planner.plan("bank customers").to_json() == plan("bank customers").to_json()


# ---------------------------------------------------------------- domains

def test_at_least_forty_domains() -> None:
    from synth_magic.planner._knowledge import knowledge
    DOMAINS = knowledge().domains

    assert len(DOMAINS) >= 40
    assert len({d.key for d in DOMAINS}) == len(DOMAINS)


def _domain_params() -> list[Any]:
    from synth_magic.planner._knowledge import knowledge
    DOMAINS = knowledge().domains

    return [pytest.param(d, id=d.key) for d in DOMAINS]


@pytest.mark.parametrize("domain", _domain_params())
def test_each_domain_is_reachable_and_generates(domain: Any) -> None:
    schema = plan(domain.example)
    assert schema.title == domain.title, (domain.example, schema.title)
    assert len(schema.columns) >= 5
    assert {c.source for c in schema.columns} <= {"domain", "constraint", "named"}
    df = schema.generate(200, seed=3)
    assert len(df) == 200 and list(df.columns) == schema.names
    again = Schema.from_text(schema.to_text())
    assert [c.to_dict() for c in again.columns] == [c.to_dict() for c in schema.columns]


# ---------------------------------------------------------- related columns

def test_order_columns_agree() -> None:
    schema = plan("e-commerce orders")
    df = schema.generate(500, seed=2)
    total = schema.column("total")
    assert total.type == "formula"
    assert np.allclose(df["total"], (df["quantity"] * df["unit_price"]).round(2))
    assert (df["ship_date"] >= df["order_date"].dt.floor("D")).all()
    email = schema.column("email")
    assert email.params.get("derive_from") == "customer_name"


def test_age_agrees_with_birth_date() -> None:
    schema = plan("patients")
    age = next(c for c in schema.columns if c.type == "age")
    birth = next(c for c in schema.columns if c.type == "birth_date")
    assert age.params.get("derive_from") == birth.name
    df = schema.generate(300, seed=4)
    years = (pd.Timestamp("2025-12-31") - df[birth.name]).dt.days / 365.2425
    assert (abs(years - df[age.name]) < 1.01).all()


def test_invoice_line_total_is_a_formula() -> None:
    schema = plan("invoice lines: invoice number, item, quantity, unit price and line total")
    total = schema.column("line_total")
    assert total.type == "formula" and "quantity" in total.params["expr"] and "unit_price" in total.params["expr"]


def test_email_follows_the_name_column() -> None:
    schema = plan("customers: name, email, country")
    assert schema.column("email").params.get("derive_from") == "name"


# ------------------------------------------------------------ reading text

@pytest.mark.parametrize(("description", "name", "type_"), [
    ("customers with adress and emial", "adress", "address"),
    ("customers with adress and emial", "emial", "email"),
    ("products with prices and categries", "price", "money"),
    ("employees with salarys and departmnt", "departmnt", "department"),
    ("users with phone nubmer", "phone_nubmer", "phone"),
    ("orders with quantities", "quantity", "quantity"),
    ("people with birthdays", "birthday", "birth_date"),
])
def test_typos_and_plurals(description: str, name: str, type_: str) -> None:
    schema = plan(description)
    assert name in schema.names, schema.names
    assert schema.column(name).type == type_


@pytest.mark.parametrize(("description", "names"), [
    ("columns order_id, customer_email, total_amount", ["order_id", "customer_email", "total_amount"]),
    ("fields: a, b and c", ["a", "b", "c"]),
    ("table with columns foo_bar and bazQux", ["foo_bar", "bazQux"]),
    ("people: first name; last name; shoe size", ["first_name", "last_name", "shoe_size"]),
    ("sensors including sensor_id, reading and unit", ["sensor_id", "reading", "unit"]),
    ("customers: name, email, country, lifetime value between 0 and 10000", ["name", "email", "country",
                                                                           "lifetime_value"]),
    ("spotify-like streams: user id, track, artist", ["user_id", "track", "artist"]),
])
def test_named_columns_are_kept(description: str, names: list[str]) -> None:
    schema = plan(description)
    for name in names:
        assert name in schema.names, (name, schema.names)
        assert schema.column(name).source in ("named", "constraint")


@pytest.mark.parametrize(("description", "column", "lo", "hi"), [
    ("orders with amount between 5 and 500", "amount", 5, 500),
    ("students with score 0-100", "score", 0, 100),
    ("reviews with rating 1 to 5", "rating", 1, 5),
    ("applicants with credit score (300 to 850)", "credit_score", 300, 850),
    ("payments with amount over $100", "amount", 100, None),
    ("parcels with weight under 30 kg", "weight", None, 30),
])
def test_ranges(description: str, column: str, lo: float | None, hi: float | None) -> None:
    col = plan(description).column(column)
    params = col.resolved()
    if lo is not None:
        assert params["min"] == lo
    if hi is not None:
        assert params["max"] == hi
    assert col.source in ("named", "constraint") and "range" in col.why


@pytest.mark.parametrize(("description", "column", "values"), [
    ("orders with status one of pending, shipped, delivered", "status", ["pending", "shipped", "delivered"]),
    ("tickets with severity low, medium or high", "severity", ["low", "medium", "high"]),
    ("trades with side buy or sell", "side", ["buy", "sell"]),
    ("robots with zone A/B/C", "zone", ["A", "B", "C"]),
    ("students with grade A-F", "grade", ["A", "B", "C", "D", "E", "F"]),
    # a diet is what an animal eats where the rows are animals, a person's eating pattern elsewhere
    ("mammals with name, genus, diet and total sleep hours", "diet", ["herbivore", "omnivore", "carnivore", "insectivore"]),
    ("customers with name, age and diet", "diet", ["Omnivore", "Vegetarian", "Vegan", "Pescatarian", "Flexitarian"]),
])
def test_enumerations(description: str, column: str, values: list[str]) -> None:
    col = plan(description).column(column)
    assert col.type == "category" and col.params["values"] == values


def test_shares_become_null_rate_and_p_true() -> None:
    schema = plan("customers where 30% have no phone and about 5% are churned")
    assert schema.column("phone").null_rate == pytest.approx(0.3)
    churn = next(c for c in schema.columns if "churn" in c.name)
    assert churn.type == "boolean" and churn.params["p_true"] == pytest.approx(0.05)


@pytest.mark.parametrize(("description", "start", "end"), [
    ("sales in 2024", "2024-01-01", "2024-12-31"),
    ("web logs for the last 90 days", "today-90d", "today"),
    ("orders from 2020 to 2022", "2020-01-01", "2022-12-31"),
])
def test_time_windows(description: str, start: str, end: str) -> None:
    schema = plan(description)
    dated = [c for c in schema.columns if c.type in ("date", "datetime") and "after" not in c.params]
    assert dated
    for c in dated:
        assert c.params["start"] == start and c.params["end"].startswith(end)


def test_every_minute_is_a_regular_series() -> None:
    schema = plan("temperature readings every minute")
    ts = next(c for c in schema.columns if c.type == "datetime")
    assert ts.params["step"] == "1min"
    df = schema.generate(10, seed=1)
    assert (df[ts.name].diff().dropna() == pd.Timedelta(minutes=1)).all()


@pytest.mark.parametrize(("description", "column", "expect"), [
    ("podcast episodes with duration in minutes", "duration", {"unit": "minutes"}),
    ("calls with duration in seconds", "duration", {"unit": "seconds"}),
])
def test_units(description: str, column: str, expect: dict[str, Any]) -> None:
    col = plan(description).column(column)
    for k, v in expect.items():
        assert col.params.get(k) == v


@pytest.mark.parametrize(("description", "column", "lo", "hi"), [
    ("chick weights with weight in grams, time in days, chick and diet", "weight", 35, 373),
    ("chick weights with weight in grams, time in days, chick and diet", "time", 0, 21),
    ("star wars characters with name, height in cm and mass in kg", "height", 66, 264),
])
def test_a_unit_that_agrees_keeps_the_named_tables_figures(description: str, column: str, lo: float,
                                                           hi: float) -> None:
    col = plan(description).column(column)
    assert (col.params["min"], col.params["max"]) == (lo, hi)


@pytest.mark.parametrize(("description", "column", "type_", "values"), [
    # a table's prefixed, run-together names reached by the words people write
    ("line items with order key, quantity, discount, tax, return flag, line status and ship mode",
     "return_flag", "category", ["R", "A", "N"]),
    ("line items with order key, quantity, discount, tax, return flag, line status and ship mode",
     "ship_mode", "category", ["REG AIR", "AIR", "RAIL", "SHIP", "TRUCK", "MAIL", "FOB"]),
    # 'X flag' is a flag even when X alone means a number; a flag word alone stays as said
    ("orders with amount, return flag and fraud flag", "return_flag", "boolean", None),
    ("orders with amount, return flag and fraud flag", "fraud", "boolean", None),
])
def test_flags_and_run_together_names_reach_their_column(description: str, column: str, type_: str,
                                                         values: list[str] | None) -> None:
    col = plan(description).column(column)
    assert col.type == type_
    if values is not None:
        assert col.params["values"] == values


def test_currency_unit_is_recorded() -> None:
    schema = plan("apartment rentals with rent in EUR")
    rent = schema.column("rent")
    assert rent.type == "money" and "EUR" in rent.why


@pytest.mark.parametrize(("description", "rows"), [
    ("a list of 200 employees with salaries", 200),
    ("1,500 orders", 1500),
    ("5k transactions", 5000),
    ("orders with amount between 5 and 500", None),
    ("sales in 2023", None),
    ("podcast episodes with duration in minutes", None),
])
def test_row_counts(description: str, rows: int | None) -> None:
    assert plan(description).rows == rows


@pytest.mark.parametrize(("description", "locale"), [
    ("German customers", "de_DE"), ("customers in Paris", "fr_FR"), ("Japanese employees", "ja_JP"),
    ("Spanish users", "es_ES"), ("patients in Mexico City", "es_MX"), ("Italian restaurants", "it_IT"),
    ("Dutch students", "nl_NL"), ("Brazilian customers", "pt_BR"), ("people in Lisbon", "pt_PT"),
    ("Chinese users", "zh_CN"), ("Korean gamers", "ko_KR"), ("Indian employees", "en_IN"),
    ("Polish customers", "pl_PL"), ("Russian users", "ru_RU"), ("Swedish employees", "sv_SE"),
    ("Turkish customers", "tr_TR"), ("British customers", "en_GB"), ("employees in Sydney", "en_AU"),
    ("Canadian customers", "en_CA"), ("customers", "en_US"),
])
def test_locales(description: str, locale: str) -> None:
    assert plan(description).locale == locale


def test_currency_words_are_not_locales() -> None:
    assert plan("payments in EUR").locale == "en_US"


# ------------------------------------------------------------ more reading

def test_age_range_in_the_sentence() -> None:
    schema = plan("500 patients aged 30 to 60 with blood pressure and cholesterol")
    age = schema.column("age")
    assert (age.params["min"], age.params["max"]) == (30, 60)
    birth = next(c for c in schema.columns if c.type == "birth_date")
    assert birth.params.get("derive_from") == "age"
    df = schema.generate(500, seed=1)
    assert df["age"].between(30, 60).all()
    assert schema.column("blood_pressure").type == "integer"
    assert schema.rows == 500


@pytest.mark.parametrize(("description", "column", "values"), [
    ("users: id, plan (free, pro, enterprise)", "plan", ["free", "pro", "enterprise"]),
    ("sensors with a status that is ok, warning or error", "status", ["ok", "warning", "error"]),
    ("hotel bookings with room type single, double or suite, nightly rate", "room_type", ["single", "double", "suite"]),
])
def test_more_enumerations(description: str, column: str, values: list[str]) -> None:
    col = plan(description).column(column)
    assert col.type == "category" and col.params["values"] == values


def test_bare_column_list_is_exactly_those_columns() -> None:
    schema = plan("employee_id, salary, hire_date")
    assert schema.names == ["employee_id", "salary", "hire_date"]
    assert schema.column("salary").type == "money" and schema.column("hire_date").type == "date"


def test_nested_colon_list() -> None:
    schema = plan("mock data for a SaaS company: accounts with company name, industry, seats between 1 and 500, ARR")
    assert {"company_name", "industry", "seats", "arr"} <= set(schema.names)
    assert schema.column("seats").params["max"] == 500


def test_entity_without_template_leads_the_table() -> None:
    schema = plan("a table of cities with population and country")
    assert schema.names[:1] == ["city"] and {"population", "country"} <= set(schema.names)


def test_outcome_named_in_the_subject_becomes_a_flag() -> None:
    schema = plan("customer churn dataset")
    churn = schema.column("churned")
    assert churn.type == "boolean" and 0 < churn.params["p_true"] < 0.5


def test_share_of_a_category_value() -> None:
    schema = plan("employees where 70% are female")
    gender = next(c for c in schema.columns if c.name == "gender" or c.type == "gender")
    df = schema.generate(3000, seed=5)
    assert 0.65 < (df[gender.name] == "Female").mean() < 0.75


def test_open_window_since_a_year() -> None:
    col = plan("employee table: name, start date since 2015").column("start_date")
    assert col.type == "date" and col.params["start"] == "2015-01-01" and col.params["end"] == "today"


def test_every_five_minutes() -> None:
    schema = plan("server metrics every 5 minutes")
    ts = next(c for c in schema.columns if c.params.get("step"))
    assert ts.params["step"] == "5min"


def test_subject_time_words_add_a_date_only_for_series() -> None:
    assert any(c.type == "date" for c in plan("daily revenue per store").columns)
    assert "date" not in plan("gym members with monthly fee").names


def test_named_columns_keep_the_users_words_for_typos() -> None:
    schema = plan("emplyees with salry and departmnt")
    assert schema.title == "emplyees with salry and departmnt"
    assert schema.column("salry").type == "money" and schema.column("departmnt").type == "department"
    assert "salary" not in schema.names and "department" not in schema.names


def test_planets_are_not_a_misspelt_plant() -> None:
    schema = plan("planets with diameter")
    assert schema.names == ["planet_id", "diameter"] and schema.column("diameter").type == "float"


@pytest.mark.parametrize(("description", "key"), [
    ("twitter tweets", "api_twitter_tweet"),  # the table's own name beats a template that lists it as a keyword
    ("spotify tracks", "api_spotify_track"),
    ("hotel bookings", "hotels"),  # a dataset titled 'hotel booking demand' is not named by common words
    ("github foo", None),  # the vendor alone does not say which of its objects
    # a league's or a city's name beside a generic word ('games') that the football template
    # lists: the table whose alias says both, not the template
    ("nba games", "sports_nba_team_game_log"),
    ("nyc road collisions", "opendata_nyc_collisions"),
])
def test_a_table_named_by_its_own_name(description: str, key: str | None) -> None:
    from synth_magic.planner.offline import pick_domain

    found = pick_domain(description, description)
    assert (found.key if found else None) == key


def test_a_named_tables_columns_keep_their_figures_in_a_context() -> None:
    # core_context's 'status' (charges) and 'amount' concepts do not replace Stripe's own columns
    schema = plan("stripe payment intents")
    assert "requires_payment_method" in schema.column("status").params["values"]


def test_a_formula_without_its_inputs_stays_a_number() -> None:
    schema = plan("mailchimp campaigns with opens, clicks and bounces")
    assert {c.type for c in schema.columns if c.name in ("opens", "clicks", "bounces")} <= {"integer", "float", "money"}


def test_numbers_as_categories_are_numbers() -> None:
    schema = plan("sakila films")
    col = schema.column("rental_rate")
    assert col.type == "float" and col.params["min"] == 0.99 and col.params["max"] == 4.99
    df = schema.generate(500, seed=3)
    assert 2.0 < df["rental_rate"].median() < 4.0


@pytest.mark.parametrize(("description", "column", "lo", "hi"), [
    # the id of a node that reports again and again: a few tens of small integers, repeating
    ("sensor readings with date, mote id, temperature and humidity", "mote_id", 1, 60),
    ("readings with sensor id, timestamp and value", "sensor_id", 1, 60),
    ("telemetry with node id, time and battery", "node_id", 1, 60),
    # a mote's counter and its two AA cells where the description says sensors; a model's epochs elsewhere
    ("sensor readings with epoch, mote id and voltage", "epoch", 1, 65535),
    ("sensor readings with epoch, mote id and voltage", "voltage", 2.0, 3.2),
    ("training runs with epoch, loss and accuracy", "epoch", 1, 100),
    # road collisions: one or two vehicles, a casualty or two
    ("road collisions with date, number of vehicles and number of casualties", "number_of_vehicles", 1, 12),
    ("road collisions with date, number of vehicles and number of casualties", "number_of_casualties", 1, 20),
])
def test_sensor_and_collision_counts(description: str, column: str, lo: float, hi: float) -> None:
    schema = plan(description)
    df = schema.generate(600, seed=2)
    assert lo <= df[column].min() and df[column].max() <= hi, (df[column].min(), df[column].max())
    if column.endswith("_id"):
        assert schema.column(column).type == "integer" and df[column].nunique() < 100  # repeats across rows


@pytest.mark.parametrize(("description", "column", "values"), [
    ("jira issues", "story_points", {1, 2, 3, 5, 8, 13, 21}),  # a few whole numbers with gaps stay those numbers
    ("lending club loans", "term", {36, 60}),
    ("road collisions with date, accident severity and speed limit", "speed_limit", {20, 30, 40, 50, 60, 70}),
    ("road collisions with date, accident severity and speed limit", "accident_severity", {"Slight", "Serious", "Fatal"}),
    ("jira issues with key, summary, story points and created", "story_points", {1, 2, 3, 5, 8, 13, 21}),
])
def test_a_few_whole_numbers_with_gaps_keep_their_values(description: str, column: str, values: set[object]) -> None:
    schema = plan(description)
    assert schema.column(column).type == ("category" if "severity" in column else "integer")
    seen = set(schema.generate(400, seed=5)[column].dropna().tolist())
    assert len(seen) >= 2 and seen <= values


@pytest.mark.parametrize(("description", "column", "type_", "lo", "hi"), [
    # typed by the named tables' columns of that name, whose values are numbers
    ("cars with manufacturer, model, engine displacement, year, cylinders, transmission, drive, city mpg, "
     "highway mpg, fuel type and class", "cylinders", "integer", 4, 8),
])
def test_a_field_typed_by_numeric_values_is_a_number(description: str, column: str, type_: str, lo: float,
                                                     hi: float) -> None:
    col = plan(description).column(column)
    assert (col.type, col.params["min"], col.params["max"]) == (type_, lo, hi)


@pytest.mark.parametrize(("said", "name"), [
    ("changed files", "changed_files"), ("public repos", "public_repos"), ("tags", "tags"), ("bytes", "bytes"),
    ("salaries", "salary"), ("customer ratings", "customer_rating"), ("skus", "sku"), ("prs", "pr"),
    ("adults", "adults"), ("customers", "customers"), ("number of stations", "number_of_stations"),
    ("total of special requests", "total_of_special_requests"), ("shipping addresses", "shipping_address"),
    # counted events, and anything after 'total' or 'num' (Medicare Part D's Tot_Clms, Tot_30day_Fills)
    ("stops", "stops"), ("total claims", "total_claims"), ("total 30 day fills", "total_30_day_fills"),
    ("num reviews", "num_reviews"), ("total charges", "total_charges"), ("total cost", "total_cost"),
])
def test_a_named_field_keeps_the_plural_real_tables_use(said: str, name: str) -> None:
    from synth_magic.planner import _lexicon as L

    assert L.column_name(said) == name


def test_named_fields_reach_the_table_column_they_mean() -> None:
    schema = plan("square payments with tip amount and total amount")  # Square's tip_money, total_money
    assert schema.column("tip_amount").why.endswith("'tip_money'")
    opens = plan("mailchimp campaigns with opens, clicks, open rate and bounces")
    assert opens.column("opens").type != opens.column("open_rate").type  # a count, not the open rate


@pytest.mark.parametrize(("description", "column", "expr", "unit"), [
    ("hospital admissions with admission date, discharge date and length of stay", "length_of_stay",
     "discharge_date - admission_date", "days"),
    ("rentals with rental date, return date and rental days", "rental_days", "return_date - rental_date", "days"),
    ("taxi trips with pickup time, dropoff time and trip duration in minutes", "trip_duration",
     "dropoff_time - pickup_time", "minutes"),
])
def test_a_duration_is_the_difference_of_its_dates(description: str, column: str, expr: str, unit: str) -> None:
    schema = plan(description)
    col = schema.column(column)
    assert (col.type, col.params["expr"], col.params["unit"]) == ("formula", expr, unit)
    assert (schema.generate(200, seed=4)[column].dropna() >= 0).all()


def test_domain_templates_are_well_formed() -> None:
    from synth_magic.planner._knowledge import knowledge
    DOMAINS = knowledge().domains

    for dom in DOMAINS:
        names = [c.name for c in dom.columns]
        assert len(names) == len(set(names)), dom.key
        assert any(c.core for c in dom.columns), dom.key
        assert dom.keywords and dom.example, dom.key


def _random_descriptions(count: int) -> list[str]:
    import random

    from synth_magic.planner import _lexicon as L
    from synth_magic.planner._knowledge import knowledge
    DOMAINS = knowledge().domains

    rng = random.Random(2024)
    vocab = sorted(L.vocabulary())
    extras = ["with", "including", ":", "and", ",", "between 5 and 50", "one of a, b or c", "about 20%", "in 2023",
              "last 7 days", "every 5 minutes", "in EUR", "German", "in Tokyo", "30% have no", "(1-10)", "A/B/C",
              "over $20", "under 3 kg", "grade A-F", "200", "where", "for analysis", "aged 20 to 30", "since 2019"]
    pool = vocab + extras + [d.example for d in DOMAINS]
    return [" ".join(rng.choice(pool) for _ in range(rng.randint(1, 12))) for _ in range(count)]


@pytest.mark.parametrize("chunk", range(4))
def test_any_mix_of_words_plans_a_valid_generatable_schema(chunk: int) -> None:
    for text in _random_descriptions(400)[chunk * 100:(chunk + 1) * 100]:
        schema = plan(text)
        assert schema.columns, text
        schema.generate(5, seed=1)


@pytest.mark.parametrize(("description", "column", "lo", "hi"), [
    ("products priced between €5 and €50", "price", 5, 50),
    ("employees earning over 100k", "salary", 100000, None),
    ("sessions lasting 1-30 minutes", "session_minutes", 1, 30),
])
def test_ranges_in_running_text(description: str, column: str, lo: float, hi: float | None) -> None:
    col = plan(description).column(column)
    assert col.params["min"] == lo
    if hi is not None:
        assert col.params["max"] == hi


@pytest.mark.parametrize(("description", "column", "start", "end"), [
    ("employees hired between 2015 and 2020", "hire_date", "2015-01-01", "2020-12-31"),
    ("patients born between 1950 and 1990", "birth_date", "1950-01-01", "1990-12-31"),
])
def test_year_ranges_are_windows(description: str, column: str, start: str, end: str) -> None:
    schema = plan(description)
    col = schema.column(column)
    assert (col.params["start"], col.params["end"]) == (start, end)
    if any(c.type == "age" for c in schema.columns):
        age = next(c for c in schema.columns if c.type == "age")
        assert age.params.get("derive_from") == column


@pytest.mark.parametrize(("description", "column", "kind", "share"), [
    ("users where email is missing for 10%", "email", "null", 0.10),
    ("customers with 15% missing emails", "email", "null", 0.15),
    ("transactions with a fraud rate of 2%", "is_fraud", "true", 0.02),
])
def test_share_phrasings(description: str, column: str, kind: str, share: float) -> None:
    col = plan(description).column(column)
    if kind == "null":
        assert col.null_rate == pytest.approx(share)
    else:
        assert col.type == "boolean" and col.params["p_true"] == pytest.approx(share)


def test_share_of_a_status_value() -> None:
    schema = plan("orders, 5% of which are returned")
    df = schema.generate(4000, seed=2)
    assert 0.03 < (df["status"] == "returned").mean() < 0.07


@pytest.mark.parametrize("description", ["a table with 3 columns", "products in 5 categories", "3 bedroom apartments",
                                         "10 stores with daily sales"])
def test_numbers_that_are_not_row_counts(description: str) -> None:
    assert plan(description).rows is None


def test_every_locale_the_planner_names_exists_in_faker() -> None:
    from faker.config import AVAILABLE_LOCALES

    from synth_magic.planner._lexicon import LOCALE_WORDS

    assert set(LOCALE_WORDS.values()) <= set(AVAILABLE_LOCALES)
    assert len(set(LOCALE_WORDS.values())) >= 15


@pytest.mark.parametrize(("description", "locale"), [
    ("customers in Hamburg", "de_DE"), ("French customers", "fr_FR"), ("Japanese employees", "ja_JP"),
    ("customers in Madrid", "es_ES"), ("Mexican customers", "es_MX"), ("customers in Milan", "it_IT"),
    ("Dutch customers", "nl_NL"), ("customers in Rio de Janeiro", "pt_BR"), ("Portuguese customers", "pt_PT"),
    ("customers in Shanghai", "zh_CN"), ("customers in Seoul", "ko_KR"), ("customers in Mumbai", "en_IN"),
    ("customers in Warsaw", "pl_PL"), ("Russian customers", "ru_RU"), ("customers in Stockholm", "sv_SE"),
    ("customers in Istanbul", "tr_TR"), ("customers in Manchester", "en_GB"), ("Greek customers", "el_GR"),
])
def test_locale_data_is_used(description: str, locale: str) -> None:
    schema = plan(description)
    df = schema.generate(300, seed=9)
    _check_locale(schema, df, locale)



# Domain choice for phrasings that are not the templates' own examples (52 of 58 right
# before the keyword lists were extended for them).
DOMAIN_PHRASES = {
 "shopping cart checkouts": "ecommerce_orders", "amazon product listings": "products", "customer reviews of headphones": "product_reviews",
 "monthly revenue by store": "sales", "unpaid invoices": "invoices", "stock levels per warehouse": "inventory",
 "credit card fraud detection data": "finance_transactions", "savings account holders": "bank_customers",
 "mortgage applications": "loans", "equity trades on NASDAQ": "trading", "car insurance policies": "insurance",
 "hospital admissions": "patients", "medication prescriptions": "prescriptions", "vaccine trial subjects": "clinical_trials",
 "company staff directory": "employees", "salary slips": "payroll", "open vacancies": "job_postings",
 "high school pupils": "students", "online courses catalogue": "courses", "quiz scores": "exam_results",
 "houses for sale": "real_estate", "parcel deliveries": "shipments", "airline flights": "flights",
 "hotel reservations": "hotels", "uber rides": "taxi", "scooter rentals": "rentals", "temperature sensors": "iot",
 "kubernetes node cpu metrics": "server_metrics", "web server access logs": "web_logs", "website visits": "web_sessions",
 "tweets": "social_media", "news articles": "blog", "ad campaigns": "marketing", "sales pipeline deals": "crm_leads",
 "subscription billing for a saas product": "subscriptions", "helpdesk tickets": "support_tickets", "to-do items": "tasks",
 "factory machine output": "manufacturing", "solar panel power generation": "energy", "daily rainfall": "weather",
 "soccer games": "sports_matches", "nba players": "athletes", "novels in a bookstore": "books", "films": "movies",
 "spotify listening history": "music_streams", "podcast shows": "podcasts", "fleet vehicles": "vehicles",
 "cafes in Paris": "restaurants", "takeaway orders": "food_orders", "conference attendees": "events",
 "employee satisfaction survey": "surveys", "mobile phone calls": "telecom", "registered users": "users",
 "gamers": None, "loyal clients": "customers", "contacts": "people", "youtube watch history": "watch_history",
 "split test variants": "experiments",
}


@pytest.mark.parametrize(("description", "key"), [(d, k) for d, k in DOMAIN_PHRASES.items() if k])
def test_domain_choice(description: str, key: str) -> None:
    from synth_magic.planner._knowledge import knowledge
    DOMAINS = knowledge().domains

    title = next(d.title for d in DOMAINS if d.key == key)
    assert plan(description).title == title


def test_long_descriptions_stay_bounded() -> None:
    items = ", ".join(f"field{i} between 1 and {i + 2}" for i in range(400))
    schema = plan("customers with " + items)
    assert 100 < len(schema.columns) <= 200
    assert plan("a" * 20000 + " with " + "b, " * 3000).columns


def test_fare_follows_distance_even_when_the_user_renames_it() -> None:
    schema = plan("taxi trips with pickup time, dropoff time, distance in km, fare and tip")
    assert schema.column("fare").type == "formula" and "distance" in schema.column("fare").params["expr"]
    df = schema.generate(200, seed=1)
    assert df["fare"].corr(df["distance"]) > 0.99


def test_a_person_word_stays_a_person() -> None:
    schema = plan("student enrollments in 2024 with student, course code and grade A-F")
    assert schema.column("student").type == "full_name"
    assert any(c.type == "date" and c.params.get("start") == "2024-01-01" for c in schema.columns)


def test_a_foreign_id_does_not_replace_the_row_id() -> None:
    names = plan("spotify-like streams: user id, track, artist").names
    assert "stream_id" in names and "user_id" in names


def test_quoted_names_are_kept_as_written() -> None:
    schema = plan('orders with `order_id`, `totalAmount` and "ship date"')
    assert schema.names == ["order_id", "totalAmount", "ship_date"]
    assert schema.column("totalAmount").type == "money"


@pytest.mark.parametrize(("description", "rows"), [
    ("list the top 100 songs with artist and streams", 100),
    ("inventory of 50 products across 3 warehouses", 50),
    ("2 million transactions", 2_000_000),
])
def test_more_row_counts(description: str, rows: int) -> None:
    assert plan(description).rows == rows


def test_values_without_a_name_find_their_column() -> None:
    schema = plan("orders: order id, pending, shipped or delivered, amount")
    status = schema.column("status")
    assert status.type == "category" and status.params["values"] == ["pending", "shipped", "delivered"]


def test_hours_times_rate_and_synonyms() -> None:
    schema = plan("invoices for a consulting firm with client, hours, hourly rate and total")
    assert schema.column("client").type == "company"  # the template's 'customer'
    assert "customer" not in schema.names
    assert schema.column("hours").params.get("unit") == "hours"
    assert schema.column("total").params["expr"] == "hours * hourly_rate"


def test_more_currency_codes() -> None:
    col = plan("shoppers with name and total spent in BRL").column("total_spent")
    assert col.type == "money" and "BRL" in col.why


@pytest.mark.parametrize("description", ["a table of employees that has name and salary",
                                         "students who have a name, a gpa and a major"])
def test_relative_clause_lists(description: str) -> None:
    schema = plan(description)
    assert "name" in schema.names and any(n in schema.names for n in ("salary", "gpa"))


def test_same_schemas_in_fresh_processes_with_other_hash_seeds() -> None:
    import os
    import subprocess
    import sys

    code = ("import hashlib, json, sys; from synth_magic.planner.offline import plan; "
            "texts = json.loads(sys.stdin.read()); "
            "print(hashlib.sha256(''.join(plan(t).to_json() for t in texts).encode()).hexdigest())")
    texts = json.dumps(ALL_DESCRIPTIONS)
    src = str(Path(__file__).resolve().parents[1])
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": src}
        out = subprocess.run([sys.executable, "-c", code], input=texts, capture_output=True, text=True, env=env,
                             check=True, timeout=120)
        digests.add(out.stdout.strip())
    digests.add(__import__("hashlib").sha256("".join(plan(t).to_json() for t in ALL_DESCRIPTIONS).encode()).hexdigest())
    assert len(digests) == 1


def test_a_year_range_for_a_year_column_is_not_a_time_window() -> None:
    schema = plan("used cars for sale with make, model, year between 2005 and 2024, mileage, price")
    assert not any(c.type in ("date", "datetime") for c in schema.columns)
    assert (schema.column("year").params["min"], schema.column("year").params["max"]) == (2005, 2024)


@pytest.mark.parametrize("text", ["a, b\x00 and c", "with \x000\x00, x or y", "one of \x00, \x001\x00 or z"])
def test_nul_characters_in_a_description_cannot_hang_the_planner(text):
    """Placeholders inside the list splitter are \\x00-delimited; user text with \\x00 once looped forever."""
    schema = OfflinePlanner().plan(text)
    assert schema.columns


# ------------------------------------------------------------- knowledge as data

def test_every_knowledge_entry_fits_the_catalogue() -> None:
    kb = K.check()  # every entry validated against the catalogue; a bad one raises KnowledgeError
    assert len(kb.domains) >= 40 and len(kb.tables) >= 30 and len(kb.concepts) >= 200
    for dom in kb.domains + kb.tables:
        Schema([__import__("synth_magic.schema", fromlist=["Column"]).Column(c.name, c.type, dict(c.params))
                for c in dom.columns])


@pytest.mark.parametrize(("entry", "message"), [
    ('[t]\ntitle = "t"\ncolumns = ["a: nosuchtype"]\n', "unknown type"),
    ('[t]\ntitle = "t"\ncolumns = ["a: integer min=5 max=1"]\n', "must not be greater"),
    ('[t]\ntitle = "t"\ncolumns = ["a: category values=@nosuchvocab"]\n', "unknown vocabulary"),
    ('[t]\ntitle = "t"\ncolumns = ["a: integer"]\ncore = ["b"]\n', "core column"),
])
def test_a_bad_knowledge_entry_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entry: str,
                                          message: str) -> None:
    import shutil

    shutil.copytree(K.KNOWLEDGE, tmp_path, dirs_exist_ok=True)
    (tmp_path / "tables" / "zz_bad.toml").parent.mkdir(exist_ok=True)
    (tmp_path / "tables" / "zz_bad.toml").write_text(entry, encoding="utf-8")
    monkeypatch.setattr(K, "KNOWLEDGE", tmp_path)
    K.reload()
    try:
        with pytest.raises(K.KnowledgeError, match=message):
            K.check()
    finally:
        K.reload()


def test_the_version_hashes_the_knowledge_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    before = K.version()
    shutil.copytree(K.KNOWLEDGE, tmp_path, dirs_exist_ok=True)
    (tmp_path / "rules.toml").write_text((tmp_path / "rules.toml").read_text() + "\n# changed\n")
    monkeypatch.setattr(K, "KNOWLEDGE", tmp_path)
    K.reload()
    try:
        assert K.version() != before
    finally:
        K.reload()


@pytest.mark.parametrize(("name", "type_"), [
    ("product category", "product_category"), ("host name", "domain_name"), ("number of contacts", "integer"),
    ("years at the company", "integer"), ("defaulted the next month", "boolean"), ("party size", "integer"),
    ("order status", "order_status"), ("gdp per capita", "money"), ("life expectancy", "float"),
    ("ship mode", "category"), ("risk level", "category"), ("genus", "category"),
])
def test_a_whole_phrase_beats_a_word_inside_it(name: str, type_: str) -> None:
    from synth_magic.planner._lexicon import infer

    assert infer(L_name(name))[0] == type_


def _real() -> Any:
    """tests/planner_real/measure.py, the real-world sets' runner."""
    import importlib.util
    import sys

    if "planner_real_measure" not in sys.modules:
        spec = importlib.util.spec_from_file_location("planner_real_measure", HERE / "planner_real" / "measure.py")
        module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        sys.modules["planner_real_measure"] = module
        spec.loader.exec_module(module)  # type: ignore[union-attr]
    return sys.modules["planner_real_measure"]


def L_name(text: str) -> str:
    return "_".join(text.split())


@pytest.mark.parametrize(("values", "share"), [
    ([True, False, False, False], 0.25), (["Y", "N", "N", "N"], 0.25), (["n", "N", "y", None], 1 / 3),
    (["yes", "no"], 0.5), (["Y"], 1.0), (["A", "N"], None), ([1, 0, 0, 1], None), (["maybe", "yes"], None),
])
def test_the_measure_reads_y_n_text_as_a_flag(values: list[Any], share: float | None) -> None:
    import pandas as pd

    got = _real().flag_share(pd.Series(values))
    assert got == share if share is None else got == pytest.approx(share)


@pytest.mark.parametrize(("description", "key"), [
    # all seven listed are WDI's columns, three of them also gapminder's: the table that has them all
    ("countries by year with country code, GDP per capita, life expectancy, population, fertility rate, "
     "literacy rate and unemployment rate", "opendata_world_bank_wdi"),
    ("countries by year with continent, life expectancy, population and GDP per capita", "rds_gapminder_gapminder"),
])
def test_the_table_that_has_more_of_the_named_fields_wins(description: str, key: str) -> None:
    from synth_magic.planner.offline import pick_domain

    subject, _, rest = description.partition(" with ")
    fields = tuple(f.strip() for f in rest.replace(" and ", ", ").split(","))
    assert pick_domain(subject, description.lower(), fields).key == key  # type: ignore[union-attr]


@pytest.mark.parametrize(("a", "b"), [
    ({"score": 9.18, "alias": True}, {"score": 9.18}),  # the same score: the alias said whole first
    ({"score": 9.18, "named": True}, {"score": 9.18}),  # then the one the description names
    ({"score": 9.2}, {"score": 9.18, "alias": True, "named": True}),  # a higher score still wins
])
def test_ties_between_entries_are_not_broken_by_key_order(a: dict[str, Any], b: dict[str, Any]) -> None:
    from synth_magic.planner import _retrieve as R

    kb = K.knowledge()
    first, second = sorted(kb.tables, key=lambda t: t.key)[:2]
    for one, other in ((first, second), (second, first)):  # whichever key comes first
        ma = R.Match(R.Entry(one, (), frozenset()), subject=True, **a)
        mb = R.Match(R.Entry(other, (), frozenset()), subject=True, **b)
        assert sorted([mb, ma], key=R.rank)[0] is ma


@pytest.mark.parametrize(("description", "title"), [
    ("sakila film table", "Sakila films"), ("TPC-H lineitem", "TPC-H lineitem"),
    ("northwind orders", "Northwind orders"), ("DVD rental store payments", "Sakila payments"),
    ("daily store sales", "sales records"), ("invoices", "invoices"),
])
def test_named_tables_are_retrieved_by_name_and_context(description: str, title: str) -> None:
    assert plan(description).title == title


def test_no_planned_column_of_random_words_for_names_that_are_not_text() -> None:
    real = _real()
    for case in real.load("dev") + real.load("heldout"):
        for style in ("short", "fields"):
            schema = plan(case[style])
            assert not [c.name for c in schema.columns if c.type == "word" and not real.text_name(c.name)], \
                (case["id"], style)


# Floors for the real-world sets (tests/planner_real): the figures measured when this was
# written, so a regression fails. The targets (held-out recall 95 %, checks 90 %)
# are not reached yet; raise these as the knowledge grows.
# dev holds probe batches written before tuning (docs/planner.md), which lower its figures.
REAL_FLOORS = {("dev", "short"): (0.93, 0.88), ("dev", "fields"): (0.99, 0.90),
               ("heldout", "short"): (0.90, 0.82), ("heldout", "fields"): (0.99, 0.79)}


def test_real_cases_have_one_id_each_and_no_case_is_in_both_sets():
    """The held-out set judges tables the planner was not tuned for: no dev case may be one
    of them (the same id, or the same short description)."""
    cases = {name: _real().load(name) for name in ("dev", "heldout")}
    for name, found in cases.items():
        for key in ("id", "short"):  # one table twice (two probe batches picked it) would count twice
            said = [c[key].lower().strip() for c in found]
            assert len(said) == len(set(said)), f"{name}.json: a case's {key} is used twice"
    for key in ("id", "short"):
        dev, held = ({c[key].lower().strip() for c in cases[n]} for n in ("dev", "heldout"))
        both = sorted(dev & held)  # only those: the message must not print the held-out set
        assert not both, f"held-out cases' {key}s are in dev.json, remove them from dev.json: {both}"


@pytest.mark.parametrize("name", ["dev", "heldout"])
def test_real_tables_stay_above_their_floors(name: str) -> None:
    results = _real().measure(name, plan)
    for style in ("short", "fields"):
        recall, checks = REAL_FLOORS[(name, style)]
        assert results[style].recall >= recall, (name, style, results[style].recall)
        assert results[style].check_rate >= checks, (name, style, results[style].check_rate)


def test_knowledge_may_be_split_into_folders_but_a_key_is_defined_once(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    shutil.copytree(K.KNOWLEDGE, tmp_path, dirs_exist_ok=True)
    (tmp_path / "tables").mkdir(exist_ok=True)
    extra = '[zz_probe_table]\ntitle = "probe"\naliases = ["zz probe"]\ncolumns = ["a: integer"]\n'
    (tmp_path / "tables" / "zz_extra.toml").write_text(extra, encoding="utf-8")
    monkeypatch.setattr(K, "KNOWLEDGE", tmp_path)
    K.reload()
    try:
        assert any(t.key == "zz_probe_table" for t in K.knowledge().tables)
        assert tmp_path / "tables" / "zz_extra.toml" in K.paths()
        (tmp_path / "tables" / "zz_again.toml").write_text(extra, encoding="utf-8")
        K.reload()
        with pytest.raises(K.KnowledgeError, match="'zz_probe_table' is defined twice"):
            K.knowledge()
    finally:
        K.reload()


@pytest.mark.parametrize("damage", ["none", "truncated", "other files", "edited", "not json"])
def test_the_parsed_knowledge_is_cached_as_checked_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        damage: str) -> None:
    monkeypatch.setenv("SYNTH_CACHE_DIR", str(tmp_path / "cache"))
    K.reload()
    try:
        first = K.knowledge()
        path = K.cache_path()
        assert path is not None and path.exists() and path.parent == tmp_path / "cache-knowledge"
        data = path.read_bytes()
        header, _, body = data.partition(b"\n")
        if damage == "truncated":
            path.write_bytes(data[: len(data) // 2])
        elif damage == "other files":
            path.write_bytes(header.replace(K.version().encode(), b"0" * 16) + b"\n" + body)
        elif damage == "edited":  # the hash no longer matches: never trusted
            path.write_bytes(header + b"\n" + body.replace(b'"sakila_payment"', b'"sakila_paymenT"', 1))
        elif damage == "not json":
            path.write_bytes(b"\x80\x04 pickle?")
        K.reload()
        read: list[str] = []
        real = K.tomllib.loads
        monkeypatch.setattr(K.tomllib, "loads", lambda text: read.append(text) or real(text))
        again = K.knowledge()
        assert bool(read) == (damage != "none")  # a sound cache is read instead of the files
        assert [t.key for t in again.tables] == [t.key for t in first.tables]
        assert again.rules == first.rules and len(again.concepts) == len(first.concepts)
        assert K.cache_path().read_bytes().partition(b"\n")[0] == header  # a damaged file is written again
    finally:
        K.reload()


def test_retrieval_scales_to_thousands_of_named_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """5,000 more named tables: the right ones are still found by name, and a plan looks only
    at the entries its words reach (the inverted index), not at every entry."""
    import random
    import shutil

    from synth_magic.planner import _retrieve as R

    rng = random.Random(3)
    kb = K.knowledge()
    lines = sorted({ln for d in kb.tables for ln in d.lines if "after=" not in ln and "expr=" not in ln})
    words = sorted({w for d in kb.domains + kb.tables for p in d.keywords for w in K.phrase_words(p) if len(w) > 3})
    tables = {}
    for i in range(5000):
        pkg = "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(3))
        thing = rng.choice(words)
        cols = list({ln.partition(":")[0]: ln for ln in rng.sample(lines, 10)}.values())
        tables[f"zz_synthetic_{i}"] = {"title": f"{pkg} {thing} {i}", "aliases": [f"{pkg} {thing}"],
                                       "keywords": [thing], "context": [pkg], "columns": cols}
    shutil.copytree(K.KNOWLEDGE, tmp_path, dirs_exist_ok=True)
    (tmp_path / "tables").mkdir(exist_ok=True)
    (tmp_path / "tables" / "zz_synthetic.json").write_text(json.dumps(tables), encoding="utf-8")
    monkeypatch.setattr(K, "KNOWLEDGE", tmp_path)
    K.reload()
    try:
        assert len(K.knowledge().tables) == len(kb.tables) + 5000
        assert plan("sakila payments").title == "Sakila payments"
        assert plan("northwind orders").title == "Northwind orders"
        probe = tables["zz_synthetic_1234"]
        assert plan(probe["aliases"][0] + " table").title == probe["title"]
        reached = R.retrieve("sakila payments", "", "payment")
        assert len(reached) < 200, len(reached)  # the entries holding 'sakila' or 'payment', not 5,000
    finally:
        K.reload()


# an event's place, as event tables write it
PLACE = [("location", "city"), ("latitude", "latitude"), ("longitude", "longitude")]


@pytest.mark.parametrize(("description", "expect"), [
    # (old faithful eruptions, star wars characters, chick weights and US arrests are datasets
    # the knowledge now holds: tests/test_knowledge_datasets.py)
    ("comet sightings", [("sighting_id", "id"), ("sighting_time", "datetime"), *PLACE]),
    ("dragon boat races", [("race_id", "id"), ("race_time", "datetime"), *PLACE]),
    ("treehouse builders", [("builder_id", "id"), ("builder_name", "title")]),
    ("glacier observations", [("observation_id", "id"), ("observation_time", "datetime"), ("glacier_id", "code"),
                              ("value", "float"), *PLACE]),
    ("meteor sightings by state", [("sighting_id", "id"), ("sighting_time", "datetime"), *PLACE, ("state", "state")]),
    ("volcanoes", [("volcano_id", "id"), ("volcano_name", "title")]),
])
def test_a_table_is_composed_from_the_nouns_when_nothing_fits(description: str, expect: list[Any]) -> None:
    schema = plan(description)
    assert [(c.name, c.type) for c in schema.columns] == expect
    assert schema.notes == [offline.COMPOSED_NOTE]


@pytest.mark.parametrize(("description", "expect"), [
    # a figure said with its frequency is a series: the period's columns, then the figure
    ("monthly meteor counts", [("year", "year"), ("month", "integer"), ("meteor_counts", "integer")]),
    ("weekly flu cases", [("year", "year"), ("week", "integer"), ("flu_cases", "integer")]),
    ("annual gdp per capita", [("year", "year"), ("gdp", None)]),
    ("quarterly earnings", [("year", "year"), ("quarter", "integer"), ("earnings", None)]),
    ("daily snow depth", [("date", "date"), ("snow_depth", None)]),
    ("monthly unemployment rate by state", [("year", "year"), ("month", "integer"), ("unemployment_rate", "percent"),
                                            ("state", "state")]),
])
def test_a_figure_with_its_frequency_is_composed_as_a_series(description: str, expect: list[Any]) -> None:
    schema = plan(description)
    assert len(schema.columns) == len(expect) and schema.notes == [offline.COMPOSED_NOTE]
    assert [(c.name, t and c.type) for c, (_, t) in zip(schema.columns, expect, strict=True)] == expect
    figure = schema.columns[-1] if expect[-1][0] != "state" else schema.columns[-2]
    assert figure.type in offline.NUMERIC
    if "month" in schema.names:
        assert (schema.column("month").params["min"], schema.column("month").params["max"]) == (1, 12)


@pytest.mark.parametrize("description", ["webflow items", "contentful entries", "vercel deployments", "zork api objects"])
def test_a_product_s_objects_are_composed_as_api_objects(description: str) -> None:
    schema = plan(description)
    assert schema.names == ["id", "name", "status", "owner", "created_at", "updated_at"]
    assert schema.column("id").unique and schema.notes == [offline.COMPOSED_NOTE]
    df = schema.generate(200, seed=1)
    assert (df["updated_at"] >= df["created_at"]).all()


@pytest.mark.parametrize("description", ["comet sightings", "shopping cart items", "volcanoes"])
def test_known_things_are_not_api_objects(description: str) -> None:
    assert "owner" not in plan(description).names


def test_a_frequency_beside_rows_of_things_is_not_a_series() -> None:
    assert "commuter_id" in plan("daily commuters").names  # the rows are commuters, not a figure
    assert plan("daily asdf").notes == [offline.FALLBACK_NOTE]


@pytest.mark.parametrize(("description", "title"), [
    # a weak match is not the table: the words it leaves out weigh more than the ones it has
    ("nyc pigeon counts", "nyc pigeon counts"),  # only 'nyc' of NYC's tables
    # a pick that matched a word of its own whole stays, or its city's word and the head noun
    ("warehouse sensor data", "IoT sensor readings"),
    ("nyc sat results", "NYC 2012 SAT results by high school (NYC Open Data)"),
    ("uci occupancy detection", "Occupancy Detection dataset (UCI, office room sensors)"),
    ("nyc road collisions", "NYPD Motor Vehicle Collisions - Crashes"),
    ("customer churn dataset", "customers"),
    ("server access logs", "web access logs"),
    ("bls consumer price index series data", "BLS time series data (series_id, year, period, value)"),
    ("sakilla rentals", "Sakila rentals"),
    # no word is rare, but the table has all three, whole its head noun and one more
    ("minneapolis police stops", "Minneapolis Police Department 2017 Stop Data (carData MplsStops)"),
    ("airline passengers by month", "airline passengers by month"),  # a table without months is not it
    # only the place's name matched, and the table has not the rows' noun: composed, not the LA riots
    ("los angeles parking citations", "los angeles parking citations"),
])
def test_a_short_description_picks_only_a_specific_enough_match(description: str, title: str) -> None:
    schema = plan(description)
    assert schema.title == title
    if title == description:
        assert schema.notes == [offline.COMPOSED_NOTE]


def test_a_colon_list_after_a_clause_is_the_table() -> None:
    schema = plan("patients where age is over 60: name, email, phone")
    assert schema.names == ["patient_id", "name", "email", "phone", "age"]
    assert schema.column("age").params["min"] == 60 and schema.column("age").params["max"] <= 120


def test_an_amount_said_of_the_rows_applies_to_their_total() -> None:
    schema = plan("orders over $100 in 2024")
    df = schema.generate(500, seed=1)
    assert df["total"].min() >= 100
    assert ((df["unit_price"] * df["quantity"] - df["total"]).abs() < 0.01 * df["quantity"]).all()


def test_a_window_inside_a_phrase_is_not_part_of_the_name() -> None:
    schema = plan("hotel reservations with check-in, check-out and reservation time in december 2025")
    col = schema.column("reservation_time")
    assert col.params["start"] == "2025-12-01" and col.params["end"].startswith("2025-12-31")


@pytest.mark.parametrize(("description", "earlier", "later"), [
    ("library loans with loan date, due date and return date", "loan_date", "due_date"),
    ("library loans with loan date, due date and return date", "loan_date", "return_date"),
    ("hotel bookings with booking date, check-in date and check-out date", "booking_date", "check_in_date"),
    ("hotel bookings with booking date, check-in date and check-out date", "check_in_date", "check_out_date"),
    ("job postings with date posted and valid through", "date_posted", "valid_through"),
    # double opt-in: confirmed after signing up, so a change after the opt-in is after the signup too
    ("mailchimp list members", "timestamp_signup", "timestamp_opt"),
    ("subscribers with email, signup date and confirmed date", "signup_date", "confirmed_date"),
    # leaving after joining, cancelling after starting, however it is said
    ("staff with name, hire date and term date", "hire_date", "term_date"),
    ("employees with name, start date and separation date", "start_date", "separation_date"),
    ("members with name, join date and cancel date", "join_date", "cancel_date"),
    ("subscriptions with start date, trial end and canceled at", "start_date", "canceled_at"),
])
def test_event_pairs_are_ordered(description: str, earlier: str, later: str) -> None:
    schema = plan(description)
    assert schema.column(later).params.get("after") == earlier, schema.to_text()
    df = schema.generate(300, seed=2)
    both = df[[earlier, later]].dropna()
    assert (both[later] >= both[earlier]).all()


@pytest.mark.parametrize(("description", "column", "check"), [
    ("flights from NYC airports with origin, destination and departure delay", "origin",
     lambda c: set(c.params["values"]) == {"EWR", "JFK", "LGA"}),
    ("airbnb listings in Paris with name, nightly price, latitude, longitude", "latitude",
     lambda c: 48.5 < c.params["min"] < c.params["max"] < 49.2),
    ("airbnb listings in Paris with name, nightly price, latitude, longitude", "nightly_price",
     lambda c: c.type == "money" and c.params["max"] <= 5000),
    ("airbnb listings in Paris with name, nightly price, latitude, longitude", "name", lambda c: c.type == "title"),
    ("high school students", "birth_date", lambda c: c.params["max_age"] <= 19),
    ("students with name, age and weekly study hours", "weekly_study_hours",
     lambda c: c.type == "integer" and c.params["max"] <= 60),
    ("sales with discount and price", "discount", lambda c: c.params["max"] <= 1),
    # a sport's statistics by the sport named (football-data.co.uk, nba-games, Lahman)
    ("premier league matches with home team, away team, full time result and away red cards", "full_time_result",
     lambda c: c.params["values"] == ["H", "D", "A"]),
    ("premier league matches with home team, away team, full time result and away red cards", "away_red_cards",
     lambda c: c.type == "integer" and c.params["max"] <= 3),
    ("nba games with game date, home points, home field goal percentage and home team wins", "home_field_goal_percentage",
     lambda c: c.params["max"] <= 1),
    ("nba games with game date, home points, home field goal percentage and home team wins", "home_points",
     lambda c: c.type == "integer" and 90 <= c.params["mean"] <= 115),
    # indoor sensors, New York's boroughs, SAT sections
    ("office sensor readings with timestamp, temperature, humidity and co2", "co2",
     lambda c: c.params["min"] >= 350 and c.params["max"] <= 5000),
    ("restaurant inspections with camis, dba, boro and score", "boro", lambda c: "Staten Island" in c.params["values"]),
    ("school sat results with dbn, school name and math average score", "math_average_score",
     lambda c: (c.params["min"], c.params["max"]) == (200, 800)),
    # a field a standard or a well-known table fixes the values of, in a table the planner does not know
    ("vulnerabilities with cve id, cvss base score, attack vector and user interaction", "cvss_base_score",
     lambda c: (c.type, c.params["min"], c.params["max"]) == ("float", 0, 10)),
    ("vulnerabilities with cve id, cvss base score, attack vector and user interaction", "attack_vector",
     lambda c: set(c.params["values"]) == {"NETWORK", "ADJACENT_NETWORK", "LOCAL", "PHYSICAL"}),
    ("species occurrences with kingdom and basis of record", "basis_of_record",
     lambda c: "PRESERVED_SPECIMEN" in c.params["values"]),
    ("colleges with name, control and admission rate", "control",
     lambda c: set(c.params["values"]) == {"Public", "Private nonprofit", "Private for-profit"}),
    ("colleges with name, control and admission rate", "admission_rate", lambda c: c.params["max"] == 1),  # a fraction
    ("colleges with name, admission rate and average sat", "average_sat", lambda c: c.params["min"] >= 700),
    ("human resources data with employee name, performance score and engagement survey", "performance_score",
     lambda c: c.params["values"][0] == "Fully Meets"),
    ("office sensor readings with temperature and occupancy", "occupancy",
     lambda c: c.type == "boolean" and 0.1 < c.params["p_true"] < 0.4),
    ("hotels with name and occupancy", "occupancy", lambda c: c.type == "percent"),  # not a room's sensor
    # a date split into columns: each part its calendar number (Beijing PM2.5, Mauna Loa CO2)
    ("hourly air pollution with year, month, day, hour and pm2.5", "hour",
     lambda c: (c.type, c.params["min"], c.params["max"]) == ("integer", 0, 23)),
    ("monthly co2 with year, month and average", "month",
     lambda c: (c.type, c.params["min"], c.params["max"]) == ("integer", 1, 12)),
    ("sales with month and amount", "month", lambda c: c.type == "month"),  # no year: the month's name
    # counted events said in the plural are counts; a mean of anything is a number
    ("US counties with county name, births and deaths", "births", lambda c: c.type == "integer"),
    ("US counties with county name, births and deaths", "deaths", lambda c: c.type == "integer"),
    ("monthly sunspots with year, month and mean sunspot number", "mean_sunspot_number",
     lambda c: c.type == "float"),
])
def test_values_ring_true_in_their_context(description: str, column: str, check: Any) -> None:
    col = plan(description).column(column)
    assert check(col), col


@pytest.mark.parametrize(("name", "values", "weights", "discrete"), [
    ("payment_type", ["1", "2", "3", "4"], [72, 26, 1.5, 0.5], True),  # NYC TLC codes
    ("ratecode_id", ["1", "2", "5", "99"], [95, 3, 1, 1], True),
    ("accident_severity", ["1", "2", "3"], None, True),  # STATS19 fatal / serious / slight
    ("pclass", ["1", "2", "3"], [216, 184, 491], True),
    ("vendorid", ["1", "2"], [30, 70], True),  # run together: still an id
    ("rental_rate", ["0.99", "2.99", "4.99"], None, False),  # a measure keeps its range
    ("discount_amount", ["0", "5", "10"], None, False),
    ("cylinders", ["4", "6", "8"], None, False),  # close together: a range
    ("story_points", ["1", "2", "3", "5", "8", "13", "21"], [15, 22, 25, 20, 12, 5, 1], True),  # far apart
    ("term", ["36", "60"], None, True),
])
def test_numeric_codes_keep_their_values_and_measures_their_range(name: str, values: list[str],
                                                                   weights: list[float] | None, discrete: bool) -> None:
    d = offline.Draft(name, "category", {"values": values, **({"weights": weights} if weights else {})})
    offline._numeric_choice(d)
    assert d.type in ("integer", "float")
    if discrete:
        assert d.params["values"] == [int(v) for v in values] and d.params.get("weights") == weights
        df = Schema.from_dict({"columns": [offline.Draft.column(d).to_dict()]}).generate(2000, seed=1)
        assert set(df[name].unique()) <= {int(v) for v in values}
    else:
        assert "values" not in d.params and d.params["min"] == float(min(values, key=float))


def test_a_category_of_dates_is_a_date() -> None:
    d = offline.Draft("date", "category", {"values": ["10/25/1995 0:00:00", "9/10/1990 0:00:00", "8/5/1994 0:00:00"]})
    offline._numeric_choice(d)
    assert (d.type, d.params) == ("date", {"start": "1990-09-10", "end": "1995-10-25"})
    d = offline.Draft("seen", "category", {"values": ["2013-01-01 05:30", "2013-02-01 00:00"]})
    offline._numeric_choice(d)
    assert (d.type, d.params["start"]) == ("datetime", "2013-01-01 05:30:00")
    d = offline.Draft("code", "category", {"values": ["2013-02-31", "2013-01-01"]})  # not a day: stays a category
    offline._numeric_choice(d)
    assert d.type == "category"


@pytest.mark.parametrize(("columns", "fixed"), [
    (['valid_start_date: date start=1970-01-01 end=2023-12-31', 'valid_end_date: date start=2099-12-31 end=2099-12-31'],
     "valid_end_date"),  # OMOP's sentinel end of validity
    (['start_date: date start=2020-01-01 end=2020-12-31', 'end_date: date start=2024-06-30 end=2024-06-30'], "end_date"),
])
def test_a_constant_date_is_not_moved_by_the_ordering_rule(columns: list[str], fixed: str) -> None:
    drafts = [offline.Draft(c.name, c.type, dict(c.params)) for c in Schema.from_text("columns:\n  " + "\n  ".join(columns)).columns]
    before = next(d for d in drafts if d.name == fixed).params
    offline._order_dates(drafts)
    assert next(d for d in drafts if d.name == fixed).params == before


@pytest.mark.parametrize(("field", "ok"), [
    ("ship instructions", lambda c: c.type in ("sentence", "paragraph")),  # the head, not 'ship', decides
    ("return reason", lambda c: c.type in ("sentence", "category")),
    ("refund reason", lambda c: c.type in ("sentence", "category")),
    ("delivery notes", lambda c: c.type in ("sentence", "paragraph")),
    ("order date", lambda c: c.type in ("date", "datetime")),
    ("email address", lambda c: c.type == "email"),
    ("admission rate", lambda c: c.type in ("percent", "float")),  # a rate is a share, not a price
    ("success rate", lambda c: c.type in ("percent", "float")),
    ("hourly rate", lambda c: c.type == "money"),
    ("campaign contacts", lambda c: c.type in ("integer", "quantity")),  # people counted, not named
])
def test_the_head_word_decides_the_type(field: str, ok: Any) -> None:
    schema = plan(f"widget records with id, {field} and created at")
    col = next(c for c in schema.columns if c.name.startswith(L_name(field)[:-1]))
    assert ok(col), col


@pytest.mark.parametrize(("field", "type_", "lo", "hi", "unit"), [
    ("crime rate per 100,000", "float", 0, 2000, "per 100000"),  # FBI UCR: 115-867 by state
    ("birth rate per 1,000 people", "float", 0, 100, "per 1000"),
    ("temperature in fahrenheit", "float", -20, 120, "F"),
    ("co2 in ppm", "float", 400, 2000, "ppm"),
    ("light in lux", "float", 0, 2000, "lux"),
    ("pressure in hPa", "float", 900, 1100, "hPa"),
    ("wind speed in m/s", "float", 0, 40, "m/s"),
    ("price in cents", "integer", 100, 100_000, "cents"),  # money in minor units
    ("prep time in minutes", "duration", 1, 180, "minutes"),  # a length of time, not a timestamp
    ("energy in kwh per half hour", "float", 0, 10, "kWh/hh"),  # a smart meter's reading, not 'energy_half_hour'
])
def test_a_unit_or_scale_beside_a_field_gives_its_range(field: str, type_: str, lo: float, hi: float, unit: str) -> None:
    name = L_name(re.sub(r"\s+(?:in|per)\s.*$", "", field))
    col = plan(f"records with id, {field} and created at").column(name)
    assert col.type == type_, col
    assert lo <= col.params["min"] < col.params["max"] <= hi, col
    assert unit in col.why, col


def test_units_have_figures_and_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    units = K.knowledge().rules["units"]
    assert {"per 100000", "per 1000", "ppm", "cents", "F", "C"} <= set(units)
    assert all(entry.get("source") for entry in units.values())
    K.check()  # every unit's figures are a float column's parameters
    monkeypatch.setitem(units, "zz", {"min": 5, "max": 1, "source": "probe"})
    with pytest.raises(K.KnowledgeError, match="units.zz"):
        K.check()


@pytest.mark.parametrize(("field", "lo", "hi"), [
    ("murder rate per 100,000", 1, 15),  # US states: AER Guns, castle, USArrests
    ("larceny rate per 100,000", 1000, 4000),  # a hundred times a murder rate on the same scale
    ("motor vehicle theft per 100,000", 100, 700),  # not larceny's 'theft'
    ("infant mortality per 1,000 live births", 2, 80),
    ("crime rate per 100,000", 0, 2000),  # no kind said: the unit's own figures
])
def test_a_rate_per_100000_has_the_figures_of_what_it_counts(field: str, lo: float, hi: float) -> None:
    name = L_name(re.sub(r"\s+per\s.*$", "", field))
    col = plan(f"records with id, {field} and created at").column(name)
    assert lo <= col.params["min"] < col.params["max"] <= hi, col


def test_a_unit_kind_needs_words_figures_and_a_source(monkeypatch: pytest.MonkeyPatch) -> None:
    units = K.knowledge().rules["units"]
    assert all(k.get("source") and k.get("words") for k in units["per 100000"]["kinds"])
    monkeypatch.setitem(units, "zz", {"min": 0, "max": 1, "source": "probe", "kinds": [{"words": ["a"], "min": 0,
                                                                                         "max": 1}]})
    with pytest.raises(K.KnowledgeError, match="units.zz kinds 1"):
        K.check()


@pytest.mark.parametrize(("field", "lo", "hi"), [
    ("normalized temperature", 0, 1),  # a scale the name says, whatever it measures
    ("scaled income", 0, 1),
    ("standardized score", -4, 4),
    ("ratio of family income to poverty", 0, 6),  # a ratio, not an amount of income
])
def test_a_scale_the_name_says_bounds_the_values(field: str, lo: float, hi: float) -> None:
    schema = plan(f"widget records with id, {field} and created at")
    col = next(c for c in schema.columns if c.name.startswith(L_name(field)[:8]))
    assert col.type == "float" and lo <= col.params["min"] < col.params["max"] <= hi, col


@pytest.mark.parametrize(("description", "column", "lo", "hi"), [
    ("songs with title, artist, duration in seconds and popularity", "duration", 10, 3600),  # a duration_ms / 1000
    ("counties with name, population in thousands and area", "population", 0, 2_000_000),  # people / 1000
    ("movies with title and budget in millions of dollars", "budget", 0, 1000),
])
def test_a_unit_or_magnitude_said_converts_the_figures(description: str, column: str, lo: float, hi: float) -> None:
    col = plan(description).column(column)
    assert lo <= col.params["min"] < col.params["max"] <= hi, col


def test_a_magnitude_is_read_beside_a_unit() -> None:
    from synth_magic.planner import _lexicon as L

    ph = L.parse_phrase("gross in millions of dollars")
    assert (ph.head, ph.magnitude, ph.unit) == ("gross", "millions", ("currency", "USD"))
    assert L.parse_phrase("thousands of visitors").magnitude is None  # a count, not a magnitude


@pytest.mark.parametrize(("field", "column", "lo", "hi"), [
    ("rating out of 10", "rating", 1, 10),  # a short scale starts at 1 (IMDb)
    ("score out of 100", "score", 0, 100),
    ("satisfaction on a scale of 1 to 7", "satisfaction", 1, 7),  # the scale's words leave the name
    ("score on a 0-100 scale", "score", 0, 100),
])
def test_a_scale_said_bounds_a_score(field: str, column: str, lo: float, hi: float) -> None:
    col = plan(f"survey responses with id, {field} and created at").column(column)
    assert (col.params["min"], col.params["max"]) == (lo, hi), col


def test_numbers_beside_not_available_are_numbers_with_the_rest_missing() -> None:
    d = offline.Draft("hospital_overall_rating", "category",
                      {"values": ["Not Available", "1", "2", "3", "4", "5"], "weights": [40, 5, 12, 18, 16, 9]})
    offline._numeric_choice(d)
    assert d.type == "integer" and (d.params["min"], d.params["max"]) == (1, 5), d
    assert d.null_rate == 0.4
    words = offline.Draft("grade", "category", {"values": ["Not Available", "A", "B"]})
    offline._numeric_choice(words)
    assert words.type == "category" and words.null_rate == 0  # words stay words


@pytest.mark.parametrize(("field", "column", "share"), [
    ("is student", "is_student", "default"),  # a yes/no, not a student's name; rules.toml [flag_default]
    ("has children", "has_children", "default"),  # not a count of children
    ("has insurance", "has_insurance", 0.92),  # CPS 2022: 7.9 % uninsured
    ("homeowner", "homeowner", 0.66),  # Census HVS 2023: 65.9 %
    ("veteran", "veteran", 0.06),
    ("employed", "employed", 0.6),  # an '-ed' flag takes its prior too
])
def test_a_yes_no_about_a_person_is_a_flag_with_a_typical_share(field: str, column: str, share: float | str) -> None:
    col = plan(f"people with id, {field} and created at").column(column)
    assert col.type == "boolean", col
    if share == "default":  # no prior knows it: the median share of real tables' flags
        share = K.knowledge().rules["flag_default"]["p_true"]
    assert col.params.get("p_true") == share, col


def test_a_temperature_unit_said_once_holds_for_the_other_temperatures() -> None:
    schema = plan("weather observations with date, max temperature in F and min temperature")
    low = schema.column("min_temperature")
    assert low.params["min"] >= 0 and low.params["max"] >= 80, low  # °F, not °C
    assert "other temperatures" in low.why


def test_a_percentage_past_100_stops_at_100() -> None:
    drafts = [offline.Draft("grad_rate", "integer", {"min": 10, "max": 118, "mean": 65}),
              offline.Draft("growth_pct", "float", {"min": -20, "max": 300}),  # can fall and grow past 100
              offline.Draft("heart_rate", "integer", {"min": 40, "max": 120}),  # no percentage
              offline.Draft("exchange_rate", "float", {"min": 0.5, "max": 125})]
    offline._percent_bounds(drafts)
    assert [d.params["max"] for d in drafts] == [100, 300, 120, 125]


@pytest.mark.parametrize("name", ["stops", "assists", "siblings", "open issues", "retries"])
def test_an_unknown_plural_is_a_count(name: str) -> None:
    from synth_magic.planner import _lexicon as L

    type_, params, _ = L.infer(name)
    assert type_ == "integer" and params["min"] >= 0, (type_, params)


def test_a_derived_concept_takes_the_middle_tables_range() -> None:
    # named tables hold 'min temperature' in °C and °F: the union would span -70 to 100
    concept = K.derived_concept(("min", "temperature"))
    assert concept is not None
    params = dict(concept.params)
    assert -40 <= params["min"] < params["max"] <= 60, params


@pytest.mark.parametrize(("description", "columns", "values"), [
    ("rides with ride id, start lat, start lng and member or casual", ["start_lat", "start_lng"], {}),
    ("collisions with date, speed limit, urban or rural area and casualties", ["speed_limit", "urban_or_rural_area"],
     {"urban_or_rural_area": ["urban", "rural area"]}),
    ("hotel bookings with room type single, double or suite, guests and nightly rate", ["room_type"],
     {"room_type": ["single", "double", "suite"]}),  # a list of values after a name still is one
])
def test_a_field_list_keeps_names_whose_last_word_is_part_of_them(description: str, columns: list[str],
                                                                  values: dict[str, list[str]]) -> None:
    schema = plan(description)
    assert set(columns) <= set(schema.names), schema.names
    for name, vals in values.items():
        assert schema.column(name).params["values"] == vals


def test_of_and_lists_columns_of_or_lists_values() -> None:
    schema = plan("professors with rank, discipline, years since phd, years of service, sex and salary")
    assert {"years_of_service", "sex", "salary"} <= set(schema.names)
    assert plan("shirts with size of small, medium or large").column("size").params["values"] == \
        ["small", "medium", "large"]


def test_rows_broken_down_by_a_dimension_get_its_column() -> None:
    schema = plan("countries by year with continent, life expectancy, population and GDP per capita")
    assert {"country", "year", "continent", "life_expectancy"} <= set(schema.names)


@pytest.mark.parametrize(("description", "total", "parts"), [
    ("sales orders with subtotal, tax amount, freight and total due", "total_due", ["subtotal", "tax_amount", "freight"]),
    ("taxi trips with fare amount, tip amount, tolls amount and total amount", "total_amount",
     ["fare_amount", "tip_amount", "tolls_amount"]),
])
def test_a_total_is_the_sum_of_its_parts(description: str, total: str, parts: list[str]) -> None:
    df = plan(description).generate(300, seed=3)
    assert ((df[total] - df[parts].sum(axis=1)).abs() <= 0.011).all()


def test_a_named_tables_labels_retrieve_it_and_type_its_fields(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    shutil.copytree(K.KNOWLEDGE, tmp_path, dirs_exist_ok=True)
    (tmp_path / "tables").mkdir(exist_ok=True)
    (tmp_path / "tables" / "zz_labels.toml").write_text(
        '[zz_fuel]\ntitle = "zz fuel economy"\naliases = ["zz fuel economy"]\n'
        'columns = ["cty: integer min=9 max=35", "hwy: integer min=12 max=44", "displ: float min=1.6 max=7"]\n'
        'labels = { cty = "city mpg", hwy = ["highway mpg"], displ = "engine displacement" }\n', encoding="utf-8")
    monkeypatch.setattr(K, "KNOWLEDGE", tmp_path)
    K.reload()
    try:
        schema = plan("vehicles with city mpg, highway mpg and engine displacement")
        assert schema.names == ["city_mpg", "highway_mpg", "engine_displacement"]
        assert schema.column("city_mpg").params["max"] == 35 and schema.column("engine_displacement").params["min"] == 1.6
    finally:
        K.reload()


@pytest.mark.parametrize(("description", "column", "values"), [
    ("products with category (books, toys, games) and price", "category", ["books", "toys", "games"]),
    ("support tickets with priority [low, medium, high] and status", "priority", ["low", "medium", "high"]),
    ("orders with status {new, paid, shipped}", "status", ["new", "paid", "shipped"]),
    ("employees with department: sales|hr|it and salary", "department", ["sales", "hr", "it"]),
])
def test_enumerations_in_any_brackets_win_over_the_template(description: str, column: str, values: list[str]) -> None:
    assert plan(description).column(column).params["values"] == values


@pytest.mark.parametrize(("description", "column"), [
    ("universities with name, world rank, country and score", "world_rank"),
    ("players with name, overall rank and nationality", "overall_rank"),  # not FIFA's 'overall' rating
    ("songs with title, artist, peak position and weeks on chart", "peak_position"),  # not a football position
])
def test_a_rank_is_a_position_not_an_id(description: str, column: str) -> None:
    col = plan(description).column(column)
    assert col.type == "integer" and col.params["min"] == 1 and not col.unique, col


@pytest.mark.parametrize(("name", "type_"), [
    ("rating value", "rating"),  # schema.org ratingValue
    ("pressure value", "float"),
    ("order value", "money"),  # a name known whole keeps its concept
    ("property value", "money"),
])
def test_an_empty_head_yields_to_its_modifier(name: str, type_: str) -> None:
    from synth_magic.planner import _lexicon as L

    assert L.infer(name)[0] == type_


def test_a_category_of_0_and_1_is_a_flag_unless_a_count_or_a_code() -> None:
    flag = offline.Draft("monday", "category", {"values": [1, 0], "weights": [75, 25]})
    code = offline.Draft("direction_id", "category", {"values": [0, 1], "weights": [50, 50]})
    count = offline.Draft("stops", "category", {"values": [0, 1], "weights": [90, 10]})
    for d in (flag, code, count):
        offline._numeric_choice(d)
    assert flag.type == "boolean" and flag.params == {"p_true": 0.75}
    assert code.type == "integer" and count.type == "integer"


def test_a_fiscal_or_calendar_year_spans_recent_years() -> None:
    from datetime import datetime

    schema = plan("budget lines with fiscal year, calendar year, department and amount")
    for name in ("fiscal_year", "calendar_year"):
        col = schema.column(name)
        assert col.params["max"] == datetime.now().year and col.params["min"] == datetime.now().year - 12, col
    said = plan("budget lines with fiscal year between 1990 and 1999 and amount").column("fiscal_year")
    assert said.params["min"] == 1990 and said.params["max"] == 1999


def test_a_pay_basis_is_its_vocabulary() -> None:
    col = plan("employees with name, pay basis and base salary").column("pay_basis")
    assert col.type == "category" and {"per Annum", "per Hour", "per Day"} <= set(col.params["values"])


def test_an_animals_outcome_follows_its_birth_within_its_window() -> None:
    schema = plan("animals with animal id, date of birth, outcome date and outcome type")
    df = schema.generate(500, seed=2)
    assert (df["outcome_date"].dropna() >= df.loc[df["outcome_date"].notna(), "date_of_birth"]).all()
    end = schema.column("outcome_date").params.get("end")
    assert end is not None and str(df["outcome_date"].max()) <= str(end)


def test_a_total_time_is_the_sum_of_its_stages() -> None:
    df = plan("recipes with name, prep time in minutes, cook time in minutes and total time in minutes").generate(
        200, seed=4)
    assert (df["total_time"] == df["prep_time"] + df["cook_time"]).all()


def test_a_unit_said_keeps_a_concepts_figures_in_that_unit() -> None:
    col = plan("buoy observations with station id, significant wave height in meters").column(
        "significant_wave_height")
    assert col.params["max"] <= 20, col  # NDBC's metres of sea, not any length of 1-5,000 m
