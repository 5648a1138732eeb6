"""Short descriptions of tables the knowledge does not hold by name: the planner gives what a
table of that KIND has (a log, network connections, a payroll, a figure by period)."""

from __future__ import annotations

import re

import pytest

from synth_magic.planner import offline
from synth_magic.planner.offline import plan


def _has(names: list[str], *patterns: str) -> list[str]:
    """The patterns no planned column name matches."""
    return [p for p in patterns if not any(re.search(p, n) for n in names)]


@pytest.mark.parametrize("description", ["zeek conn log", "netflow records", "firewall connection log",
                                         "bro conn logs", "tcp connections"])
def test_connections_have_hosts_ports_protocol_and_state(description: str) -> None:
    schema = plan(description)
    assert not _has(schema.names, "^ts$|time", "source_ip", "source_port", "destination_ip", "destination_port",
                    "protocol", "duration", "bytes", "conn_state"), schema.names
    df = schema.generate(500, seed=1)
    assert set(df["protocol"]) <= {"tcp", "udp", "icmp"}
    assert df["destination_port"].between(0, 65535).all() and df["source_port"].between(1024, 65535).all()
    assert set(df["conn_state"]) <= {"S0", "S1", "SF", "REJ", "S2", "S3", "RSTO", "RSTR", "RSTOS0", "RSTRH", "SH",
                                     "SHR", "OTH"}


@pytest.mark.parametrize("description", ["kafka broker log", "application logs", "payment service logs",
                                         "error log entries"])
def test_a_log_of_no_known_kind_is_log_events_not_web_access(description: str) -> None:
    """Only 'log' matched: the rows are log records (time, source, level, message), not the
    web server's requests (method, path, status code)."""
    schema = plan(description)
    assert not _has(schema.names, "timestamp", "host", "service", "level", "message"), schema.names
    assert not {"method", "path", "status_code"} & set(schema.names), schema.names  # not HTTP requests
    df = schema.generate(300, seed=2)
    assert set(df["level"]) <= {"DEBUG", "INFO", "WARN", "ERROR", "FATAL"}


@pytest.mark.parametrize("description", ["web server access logs", "server access logs", "http logs"])
def test_web_logs_stay_web_access_logs(description: str) -> None:
    assert {"method", "path", "status_code"} <= set(plan(description).names)


@pytest.mark.parametrize("description", ["nyc citywide payroll", "county payroll", "payroll"])
def test_a_payroll_has_department_title_salary_basis_hours_and_overtime(description: str) -> None:
    schema = plan(description)
    assert not _has(schema.names, "fiscal_year", "last_name", "first_name", "department", "job_title",
                    "pay_basis", "base_salary", "regular_hours", "overtime_hours", "gross_pay", "net_pay"), schema.names
    df = schema.generate(400, seed=3)
    assert set(df["pay_basis"]) <= {"per Annum", "per Hour", "per Day", "Prorated Annual"}
    assert df["regular_hours"].between(0, 2088).all()
    assert (df["net_pay"] <= df["gross_pay"]).all()


@pytest.mark.parametrize(("description", "period", "figure"), [
    ("airline passengers by month", ["year", "month"], "airline_passengers"),
    ("births per year", ["year"], "births"),
    ("website visitors by day", ["date"], "website_visitors"),
    ("sales by month", ["year", "month"], "sales"),
])
def test_a_figure_by_a_period_is_a_series(description: str, period: list[str], figure: str) -> None:
    """'X by month': a row a month (the period's columns, then X), not a row a flight or a sale;
    the period is not one more column ('by day' is the date)."""
    schema = plan(description)
    assert schema.names == [*period, figure] and schema.notes == [offline.COMPOSED_NOTE]
    assert schema.column(figure).type in offline.NUMERIC


def test_a_count_by_period_is_a_tally_not_one_row_s_figure() -> None:
    """Passengers in a month are many, not the one to six of a booking."""
    df = plan("airline passengers by month").generate(1000, seed=4)
    assert df["airline_passengers"].median() > 10


def test_a_named_table_by_period_keeps_its_columns() -> None:
    names = plan("Texas housing sales by city and month").names
    assert {"city", "year", "month", "sales", "volume", "listings"} <= set(names)


@pytest.mark.parametrize(("description", "expect"), [
    ("unemployment rate by state", [("state", "state"), ("unemployment_rate", "percent")]),
    ("median income by zip code", [("zip_code", None), ("median_income", "money")]),
    ("average rent by city", [("city", "city"), ("average_rent", "money")]),
])
def test_a_measure_by_what_the_concepts_know_is_a_breakdown(description: str, expect: list[tuple[str, str | None]]) -> None:
    """'X by Y': a row a value of Y, then X as its measure, not rows of an event called X
    (an 'unemployment' with its time and coordinates)."""
    schema = plan(description)
    assert [(c.name, t and c.type) for c, (_, t) in zip(schema.columns, expect, strict=True)] == expect
    assert schema.notes == [offline.COMPOSED_NOTE]


def test_events_by_a_place_stay_events_that_say_it() -> None:
    names = plan("osha inspections by state").names
    assert names[0] == "inspection_id" and "inspection_time" in names and "state" in names


def test_a_pick_that_only_the_breakdown_reached_is_not_the_table() -> None:
    """'volcanoes by country': the World Bank's countries matched only 'country'."""
    schema = plan("volcanoes by country")
    assert schema.names == ["volcano_id", "volcano_name", "country"]
    assert "gdp_per_capita" in plan("gdp by country").names  # WDI has the rows' own words as columns


@pytest.mark.parametrize("description", ["circleci pipelines", "jenkins jobs"])
def test_an_unknown_product_s_objects_are_not_the_template_of_their_noun(description: str) -> None:
    """A CI product's pipelines are not a CRM's sales pipeline, its jobs not job postings."""
    schema = plan(description)
    assert schema.names == ["id", "name", "status", "owner", "created_at", "updated_at"]


@pytest.mark.parametrize(("description", "title"), [("clickup tasks", "tasks"), ("remote jobs", "job postings"),
                                                    ("sales pipeline deals", "CRM leads")])
def test_a_template_its_own_words_reach_stays(description: str, title: str) -> None:
    assert plan(description).title == title


@pytest.mark.parametrize("description", ["imdb movies", "tmdb films", "movies"])
def test_movies_have_what_movie_tables_carry(description: str) -> None:
    """IMDb, TMDB and the IMDb Top 1000 all carry a rating certificate, an overview and votes."""
    schema = plan(description)
    assert not _has(schema.names, "title", "genre", "certificate", "overview", "vote_count", "meta_score"), schema.names
    df = schema.generate(500, seed=5)
    assert df["meta_score"].between(0, 100).all() and (df["vote_count"] % 1 == 0).all()


def test_fraud_is_as_rare_as_in_real_card_data() -> None:
    """ULB 0.17%, PaySim 0.13%, Sparkov 0.58% of transactions are fraud: under 1%, not 2%."""
    df = plan("credit card fraud detection").generate(20000, seed=6)
    assert 0.001 <= df["is_fraud"].mean() <= 0.01
    assert plan("transactions with a fraud rate of 2%").generate(20000, seed=6)["is_fraud"].mean() > 0.015
