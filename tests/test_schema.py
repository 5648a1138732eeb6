"""Schema validation (exact messages), JSON and text round trips."""

from __future__ import annotations

import json

import pytest

from synth_magic import SchemaError
from synth_magic.catalog import TYPES
from synth_magic.schema import Column, Schema, looks_like_text_form


def schema_of(*cols: dict, **top) -> Schema:
    return Schema.from_dict({"columns": list(cols), **top})


BAD = [
    ({"name": "x", "type": "wibble"}, "Column 'x' has unknown type 'wibble'; run `synth --types` to list the types."),
    ({"name": "x", "type": "emial"}, "Column 'x' has unknown type 'emial'; did you mean 'email'?"),
    ({"name": "x", "type": "money", "min": 10, "max": 5}, "Column 'x': min must not be greater than max."),
    ({"name": "x", "type": "money", "min": "ten"}, "Column 'x': min must be a number, not 'ten'."),
    ({"name": "x", "type": "integer", "max": 1e300}, "Column 'x': max must be between -1000000000000000 and 1000000000000000, not 1e+300."),
    ({"name": "x", "type": "boolean", "p_true": 1.5}, "Column 'x': p_true must be between 0 and 1, not 1.5."),
    ({"name": "x", "type": "money", "distribution": "zipf"},
     "Column 'x': distribution must be one of uniform, normal, lognormal, poisson, exponential, not 'zipf'."),
    ({"name": "x", "type": "category"}, "Column 'x': type 'category' needs 'values'."),
    ({"name": "x", "type": "category", "values": ["a", "b"], "weights": [1]},
     "Column 'x': weights must have one number per value (2)."),
    ({"name": "x", "type": "category", "values": ["a", "a"]}, "Column 'x': values must not repeat."),
    ({"name": "x", "type": "category", "values": [{"x": 1}]}, "Column 'x': values must hold plain text values, not {'x': 1}."),
    ({"name": "x", "type": "date", "start": "2024-02-30"},
     "Column 'x': start must be a date like 2024-03-01 (or 'today', 'today-90d'), not '2024-02-30'."),
    ({"name": "x", "type": "date", "start": "2025-01-01", "end": "2024-01-01"},
     "Column 'x': start 2025-01-01 is after end 2024-01-01."),
    ({"name": "x", "type": "datetime", "step": "soon"},
     "Column 'x': step must be a duration like 30s, 5min, 2h or 3d, of at most 36525d (a hundred years), not 'soon'."),
    ({"name": "x", "type": "money", "colour": "red"},
     "Column 'x': type 'money' has no parameter 'colour' (it takes min, max, distribution, mean, std, decimals, by, correlate, at_most, at_least)."),
    ({"name": "x", "type": "uuid", "null_rate": 2}, "Column 'x': null_rate must be a share between 0 and 0.99."),
    ({"name": "1x", "type": "uuid"},
     "Column name '1x' is not usable; start with a letter and use letters, digits, spaces or _ (at most 64 characters)."),
    ({"name": "x", "type": "formula", "expr": "__import__('os').system('id')"},
     "Column 'x': formula '__import__('os').system('id')' calls something other than abs, ceil, days, exp, floor, hours, log, max, min, minutes, round, seconds, sqrt, weeks."),
    ({"name": "x", "type": "formula", "expr": "a.b"},
     "Column 'x': formula 'a.b' is not arithmetic; use column names, numbers and + - * / ( )."),
    ({"name": "x", "type": "formula", "expr": "'a' * 3"}, "Column 'x': formula ''a' * 3' may only contain numbers, not 'a'."),
    ({"name": "x", "type": "formula", "expr": "y * 2"},
     "Column 'x' refers to column 'y', which the schema does not have."),
    ({"name": "x", "type": "email", "derive_from": "x"}, "Column 'x' cannot be derived from itself."),
    ({"name": "x", "type": "code", "pattern": "ABC"},
     "Column 'x': pattern needs at least one # (digit), ? (letter) or * (either)."),
    ({"name": "x", "faker_method": "fake.company() + ' ' + fake.word()"}, "Column 'x' needs a 'type' (run `synth --types` to list them)."),
]


@pytest.mark.parametrize(("column", "message"), BAD)
def test_bad_columns_are_refused_with_one_sentence(column, message):
    with pytest.raises(SchemaError) as err:
        schema_of(column)
    assert str(err.value) == message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "A schema must be a JSON object with a 'columns' list."),
        ({"columns": []}, "A schema needs a non-empty 'columns' list."),
        ({"columns": [{"name": "a", "type": "uuid"}] * 201}, "A schema may have at most 200 columns, not 201."),
        ({"columns": [{"name": "a", "type": "uuid"}, {"name": "A", "type": "uuid"}]},
         "Column 'A' appears twice; give each column its own name."),
        ({"columns": [{"name": "a", "type": "uuid"}], "locale": "xx_YY"},
         "Unknown locale 'xx_YY'; use a Faker locale such as en_US, de_DE, fr_FR or ja_JP (`synth --locales` lists them all)."),
        ({"columns": [{"name": "a", "type": "uuid"}], "code": "import os"},
         "Unknown schema field 'code'; use title, locale, rows, notes, messy and columns."),
        ({"columns": [
            {"name": "a", "type": "date", "after": "b"},
            {"name": "b", "type": "date", "after": "a"}]},
         "Columns depend on each other in a circle (a -> b -> a); break the circle."),
        ({"columns": [{"name": "a", "type": "uuid"}, {"name": "b", "type": "date", "after": "a"}]},
         "Column 'b' can only follow a date or datetime column, not 'a'."),
        ({"columns": [{"name": "a", "type": "city"}, {"name": "t", "type": "formula", "expr": "a + 1"}]},
         "Column 't': formula uses 'a', which is not a numeric or date column."),
    ],
)
def test_bad_schemas_are_refused(data, message):
    with pytest.raises(SchemaError) as err:
        Schema.from_dict(data)
    assert str(err.value) == message


@pytest.mark.parametrize(
    "text",
    ["{not json", "[1, 2", '{"columns": NaN}', "1e999999"],
)
def test_bad_json_is_one_sentence(text):
    with pytest.raises(SchemaError) as err:
        Schema.from_json(text)
    assert "\n" not in str(err.value) and str(err.value).endswith(".")


def test_locale_is_normalised():
    assert schema_of({"name": "a", "type": "uuid"}, locale="de-de").locale == "de_DE"


RICH = {
    "title": "shop: orders & \"quotes\"",
    "locale": "fr_FR",
    "rows": 250,
    "notes": ["made by hand"],
    "columns": [
        {"name": "order_id", "type": "code", "pattern": "ORD-######", "unique": True, "source": "domain",
         "why": "e-commerce default"},
        {"name": "Customer Name", "type": "full_name", "gender": "female"},
        {"name": "email", "type": "email", "derive_from": "Customer Name", "null_rate": 0.05},
        {"name": "status", "type": "category", "values": ["new", "on hold", "1", "true", "a,b", "x#y", 'say "hi"'],
         "weights": [0.5, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05], "source": "named", "why": "one of ... # with a hash"},
        {"name": "qty", "type": "quantity", "min": 1, "max": 9},
        {"name": "price", "type": "money", "min": 0.5, "max": 99.99, "distribution": "normal", "decimals": 2},
        {"name": "total", "type": "formula", "expr": "qty * price"},
        {"name": "ordered", "type": "datetime", "start": "2024-01-01", "end": "2024-06-30 23:59:59"},
        {"name": "shipped", "type": "date", "after": "ordered", "min_gap": "1d", "max_gap": "5d"},
        {"name": "flag", "type": "boolean", "p_true": 0.25, "source": "constraint", "why": "25% from the description"},
    ],
}


def test_json_round_trip():
    schema = Schema.from_dict(RICH)
    again = Schema.from_json(schema.to_json())
    assert again == schema
    assert json.loads(schema.to_json()) == json.loads(again.to_json())


def test_text_round_trip_keeps_everything():
    schema = Schema.from_dict(RICH)
    text = schema.to_text()
    again = Schema.from_text(text)
    assert again.to_dict() == schema.to_dict()
    assert again.to_text() == text
    assert looks_like_text_form(text)
    assert '  status: category values=[new, "on hold", "1", "true", "a,b", "x#y", "say \\"hi\\""]' in text
    assert "  # domain: e-commerce default\n  order_id: code pattern=\"ORD-######\" unique\n" in text


LONG_VALUES = [f"value number {i}" for i in range(40)] + ["a, b", 'q"uote [x', "{brace", "#"]


@pytest.mark.parametrize("why", ["named in the description ('amount between 1 and 500'); typed as the finance "
                                 "transactions template's 'amount'; range 1 to 500 from the description",
                                 "w" * 150, "", "two  spaces and a # hash: and a colon " * 4])
def test_the_text_form_fits_a_cell_and_reads_back(why):
    schema = Schema.from_dict({
        "title": "t", "notes": ["a long note, " * 30 + "end"],
        "columns": [{"name": "c", "type": "category", "values": LONG_VALUES, "weights": list(range(1, 45)),
                     "source": "user", **({"why": why} if why else {})},
                    {"name": "n", "type": "integer", "min": 1, "max": 5, "source": "domain", "why": "short"},
                    {"name": "d", "type": "category", "values": ["x", "y"], "by": "c"}]})
    text = schema.to_text()
    lines = text.splitlines()
    breakable = [line for line in lines if " " in line.strip().lstrip("#").strip()]  # one word cannot be cut
    assert all(len(line) <= 100 for line in breakable), [len(line) for line in lines]
    assert "  # domain: short\n  n: integer min=1 max=5\n" in text  # provenance on its own line
    assert Schema.from_text(text).to_dict() == schema.to_dict()
    assert Schema.from_text(text).to_text() == text


def test_hand_written_schema_text_still_reads():
    text = ("columns:\n  a: integer min=1  # domain: an inline comment\n  # my own comment\n  b: integer\n"
            "    c: category values=[x,\n      y]   \n")
    a, b, c = Schema.from_text(text).columns
    assert (a.source, a.why, b.source, b.why) == ("domain", "an inline comment", "", "")
    assert c.params["values"] == ["x", "y"]


@pytest.mark.parametrize("type_", sorted(TYPES))
def test_every_type_round_trips_through_text_with_defaults(type_):
    spec = TYPES[type_]
    params = {p.name: p.default for p in spec.params if p.default is not None and p.kind not in ("column",)}
    if type_ == "category":
        params["values"] = ["a", "b"]
    if type_ == "formula":
        params["expr"] = "2 * 3"
    others = []
    if type_ == "ohlc":
        params["close"], others = "p", [Column("p", "series")]
    schema = Schema([*others, Column("c", type_, params)])
    assert Schema.from_text(schema.to_text()).to_dict() == schema.to_dict()


ROUND_TRIPS = {
    "a value in brackets": [Column("a", "category", {"values": ["[beta]", "{gamma}", "x, y", 'q"uote', "c #d"]})],
    "braces inside a value": [Column("path", "category", {"values": ["/api/users/{id}", "/login", "a[1]"]})],
    "a name holding ' #'": [Column("room #2", "integer"), Column("b", "category", {"values": ["x"]})],
    "a line separator in a value": [Column("a", "category", {"values": ["one\u2028two", "three\u2029four"]})],
    "a per-value mapping of brackets": [Column("level", "category", {"values": ["[a]", "b: c"]}),
                                        Column("paid", "boolean", {"by": "level", "p_true": {"[a]": 0.25, "b: c": 1}})],
}


def test_braces_may_stand_unquoted_inside_a_list_item():
    schema = Schema.from_text("columns:\n  path: category values=[/api/users/{id}, /login, tasks.run]")
    assert schema.columns[0].params["values"] == ["/api/users/{id}", "/login", "tasks.run"]


@pytest.mark.parametrize("case", list(ROUND_TRIPS))
def test_the_text_form_round_trips(case):
    schema = Schema(ROUND_TRIPS[case])
    assert Schema.from_text(schema.to_text()).to_dict() == schema.to_dict()


HOSTILE_LINES = {  # shapes that made a backtracking parser take seconds (32,000 spaces: 19 s)
    "spaces inside a list": "values=[a" + " " * 200_000 + "b]",
    "spaces and commas inside a list": "values=[a" + " ," * 100_000 + "b]",
    "spaces inside a mapping": "p_true={a" + " " * 200_000 + ": 1}",
    "an unclosed quote of backslashes": 'values=["' + "\\\\a" * 50_000,
    "many opening brackets": "values=" + "[" * 200_000,
    "a long run of keys": "a=1 " * 50_000,
}


@pytest.mark.parametrize("case", list(HOSTILE_LINES))
def test_the_text_form_is_read_in_linear_time(case):
    import time

    text = f"columns:\n  a: category {HOSTILE_LINES[case]}\n"
    started = time.process_time()  # CPU time, not the machine's load
    try:
        Schema.from_text(text)
    except SchemaError as exc:
        assert "\n" not in str(exc) and len(str(exc)) < 300
    assert time.process_time() - started < 1


def test_edited_text_is_what_runs():
    schema = Schema.from_dict(RICH)
    edited = schema.to_text().replace("max=9", "max=3").replace("p_true=0.25", "p_true=1")
    df = Schema.from_text(edited).generate(200, seed=1)
    assert df["qty"].max() <= 3 and df["flag"].all()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title: x\n", "The schema text needs a 'columns:' line followed by one column per line."),
        ("colour: red\ncolumns:\n  a: uuid\n",
         "Line 1 of the schema ('colour: red') is not 'title:', 'locale:', 'rows:', 'note:', 'messy:' or 'columns:'."),
        ("columns:\n  just words\n", "Line 2 of the schema ('just words') should look like 'name: type key=value ...'."),
        ("columns:\n  a:\n", "Line 2: column 'a' needs a type after the colon."),
        ("columns:\n  a: integer min 5\n", "Line 2: cannot read 'min 5'; write parameters as key=value."),
        ("rows: many\ncolumns:\n  a: uuid\n", "Line 1: rows must be a whole number, not 'many'."),
        ("columns:\n  a: category values=[\"x]\n", "Line 2: bad quoted text \"x]; close the quotes."),
        ("columns:\n  a: category values=[x, y\n", "Line 2: cannot read 'values=[x, y'; close the list with ]."),
        ("columns:\n  a: boolean by=b p_true={x 0.5}\n", "Line 2: cannot read '}'; write mappings as {value: setting, ...}."),
        ("columns:\n  a: integer min=5\"x\"\n", "Line 2: cannot read '\"x\"'; write parameters as key=value."),
    ],
)
def test_bad_text_names_the_line(text, message):
    with pytest.raises(SchemaError) as err:
        Schema.from_text(text)
    assert str(err.value) == message


def test_schema_is_data_not_code():
    """A Faker method string is just an unknown type; nothing is looked up or run."""
    hostile = {"columns": [{"name": "x", "type": "fake.company() + ' ' + fake.word().title()"}]}
    with pytest.raises(SchemaError, match="unknown type"):
        Schema.from_dict(hostile)


def test_resolve_orders_columns_after_what_they_read_and_fills_every_parameter():
    schema = Schema.from_dict({"columns": [
        {"name": "total", "type": "formula", "expr": "qty * price"},
        {"name": "shipped", "type": "date", "after": "ordered"},
        {"name": "qty", "type": "quantity"},
        {"name": "price", "type": "money", "null_rate": 0.1},
        {"name": "ordered", "type": "date"},
    ]})
    plan = schema.resolve()
    order = [c.name for c in plan.columns]
    assert order.index("total") > max(order.index("qty"), order.index("price"))
    assert order.index("shipped") > order.index("ordered")
    assert plan.order == tuple(schema.names)
    by_name = {c.name: c for c in plan.columns}
    assert by_name["total"].refs == ("qty", "price") and by_name["total"].nullable  # reads a nullable column
    assert not by_name["qty"].nullable
    assert by_name["price"].params == {**TYPES["money"].defaults(), "decimals": 2}
    assert plan.bytes_per_row() == sum(TYPES[c.type].size for c in schema.columns)


@pytest.mark.parametrize(("text", "seconds"), [
    ("2024-03-01", 1709251200), ("2024-03-01 12:30", 1709296200), ("2024-03", 1709251200),
    ("1970-01-01", 0), ("2024-13-01", None), ("2023-02-29", None), ("yesterday", None),
    ("01/02/2024", None), ("2024-03-01T12:30", None)])
def test_dates_are_read_as_utc_seconds(text, seconds):
    from synth_magic._syntax import parse_when

    assert parse_when(text) == seconds


def test_relative_dates_and_durations():
    import time

    from synth_magic._syntax import parse_duration, parse_when

    today = int(time.time()) // 86400 * 86400
    assert parse_when("today") == today and parse_when("today-90d") == today - 90 * 86400
    assert parse_when("now+2w") is not None and parse_when(" TODAY ") == today
    assert (parse_duration("90s"), parse_duration("5min"), parse_duration("2h"), parse_duration("1.5d")) == \
        (90, 300, 7200, 129600)
    assert parse_duration("5 parsecs") is None


LEVEL = {"name": "level", "type": "category", "values": ["junior", "senior"]}
BAD_DEPENDENT = [
    ({"name": "x", "type": "money", "mean": {"junior": 1}},
     "Column 'x': mean is given per value, so the column needs by=<column> naming the column those values belong to."),
    ({"name": "x", "type": "money", "by": "level", "decimals": {"junior": 1}},
     "Column 'x': decimals is one setting, not a mapping: a whole number within the bounds."),
    ({"name": "x", "type": "money", "by": "level", "mean": {"jnuior": 1}},
     "Column 'x': mean key 'jnuior' is not a value of column 'level' (a number range such as 18-39 or 65+ for numbers, * for any)."),
    ({"name": "x", "type": "money", "by": "level", "mean": {"junior": "lots"}},
     "Column 'x': mean for 'junior' must be a number, not 'lots'."),
    ({"name": "x", "type": "money", "by": "level", "min": {"junior": 10}, "max": {"junior": 5}},
     "Column 'x': min must not be greater than max (for 'junior')."),
    ({"name": "x", "type": "category", "by": "level", "values": {"junior": ["a", "b"]}, "weights": {"junior": [1]}},
     "Column 'x': weights for 'junior' must have one number per value (2)."),
    ({"name": "x", "type": "money", "by": "grade", "mean": {"a": 1}},
     "Column 'x' refers to column 'grade', which the schema does not have."),
    ({"name": "x", "type": "money", "by": ["level", "level"], "mean": {"junior|junior": 1}},
     "Column 'x': 'by' must name other columns, each once."),
    ({"name": "x", "type": "money", "by": ["level", "y"], "mean": {"junior": 1}},
     "Column 'x': mean key 'junior' needs one part per 'by' column (level|y), or '*'."),
    ({"name": "x", "type": "money", "by": "y", "mean": {"lots": 1}},
     "Column 'x': mean key 'lots' is not a value of column 'y' (a number range such as 18-39 or 65+ for numbers, * for any)."),
    ({"name": "x", "type": "integer", "by": "level", "mean": {"junior": 1}, "unique": True},
     "Column 'x' cannot be unique when its settings depend on another column; drop 'unique' or 'by'."),
    ({"name": "x", "type": "float", "correlate": {"y": 0.9, "level": 0.1}},
     "Column 'x' can only be correlated with numeric columns, not 'level'."),
    ({"name": "x", "type": "float", "correlate": {"y": 1.5}},
     "Column 'x': correlate for 'y' must be a correlation from -1 to 1, not 1.5."),
    ({"name": "x", "type": "float", "correlate": {"y": 0.9, "z": 0.9}},
     "Column 'x': correlate: the squared correlations add up to more than 1; lower them."),
]


@pytest.mark.parametrize(("column", "message"), BAD_DEPENDENT)
def test_bad_dependent_columns_are_refused_with_one_sentence(column, message):
    with pytest.raises(SchemaError) as err:
        schema_of(LEVEL, {"name": "y", "type": "integer"}, {"name": "z", "type": "float"}, column)
    assert str(err.value) == message


def test_dependent_columns_round_trip_through_text_and_json():
    text = """columns:
  level: category values=[junior, mid, senior]
  salary: money by=level mean={junior: 45000, mid: 65000, senior: 90000}
  sub: category by=level values={junior: [a, "b c"], "*": [d]} weights={junior: [2, 1]}
  age: age min=0 max=99
  dx: category by=[age, level] values={"<30|junior": [x], "65+|*": [y, z], "*": [w]}
  remote: boolean by=level p_true={senior: 0.8}
  bonus: float correlate={age: 0.5, salary: -0.2}
"""
    schema = Schema.from_text(text)
    assert schema.column("salary").params["mean"] == {"junior": 45000, "mid": 65000, "senior": 90000}
    assert schema.column("dx").params["by"] == ["age", "level"]
    assert Schema.from_text(schema.to_text()).to_dict() == schema.to_dict()
    assert Schema.from_json(schema.to_json()).to_dict() == schema.to_dict()
    plan = schema.resolve()
    planned = {c.name: c for c in plan.columns}
    assert planned["sub"].categories == ("a", "b c", "d")
    assert planned["salary"].params["max"] is None  # a centre alone: open above
    assert planned["remote"].params["p_true"] == {"senior": 0.8, "*": 0.5}  # the rest: the default
    assert set(planned["bonus"].refs) == {"age", "salary"}
    names = [c.name for c in plan.columns]
    assert names.index("level") < names.index("salary") and names.index("age") < names.index("dx")


BAD_SERIES = [
    ({"name": "x", "type": "series", "entity": "plain"},
     "Column 'x': entity 'plain' needs entities=N (how many there are) to be followed."),
    ({"name": "x", "type": "series", "season": "daily"},
     "Column 'x': season needs time (the timestamp column the season follows)."),
    ({"name": "x", "type": "code", "entities": 5, "unique": True},
     "Column 'x' cycles through 5 entities, so it can be neither unique nor depend on another column; drop 'entities' or the other."),
    ({"name": "x", "type": "ohlc"}, "Column 'x': type 'ohlc' needs 'close'."),
    ({"name": "x", "type": "ohlc", "close": "plain"}, "Column 'x': a bar needs a numeric close, not 'plain'."),
    ({"name": "x", "type": "code", "entities": 0}, "Column 'x': entities must be between 1 and 100000, not 0."),
]


@pytest.mark.parametrize(("column", "message"), BAD_SERIES)
def test_bad_series_are_refused_with_one_sentence(column, message):
    with pytest.raises(SchemaError) as err:
        schema_of({"name": "plain", "type": "city"}, column)
    assert str(err.value) == message


def test_series_round_trip_through_text():
    text = """columns:
  sensor: code pattern=S-### entities=10
  ts: datetime start=2024-01-01 end=2024-01-31 step=1h entity=sensor
  temp: series entity=sensor time=ts season=daily amplitude=3 noise=0.5 ar=0.9
  close: series walk=geometric noise=0.01
  high: ohlc part=high close=close
"""
    schema = Schema.from_text(text)
    assert Schema.from_text(schema.to_text()).to_dict() == schema.to_dict()
    assert schema.resolve().rows == (30 * 24 + 1) * 10  # one row per period and entity


@pytest.mark.parametrize(("title", "shown"), [
    ("finance transactions", "finance transactions"),
    ("word " * 30, ("word " * 18).strip() + "…"),
    ("a" * 120, "a" * 92 + "…"),
    ("customer support tickets with priority, channel, status, assigned agent, satisfaction score from 1 to 5",
     "customer support tickets with priority, channel, status, assigned agent, satisfaction score…"),
])
def test_titles_are_cut_at_a_word_with_an_ellipsis(title, shown):
    from synth_magic.schema import short_title

    assert short_title(title) == shown and len(f"title: {shown}") <= 100


def test_planned_titles_fit_the_title_line():
    from synth_magic import plan

    long = ("a customer support tickets table with priority, channel, status, assigned agent, satisfaction score "
            "from 1 to 5 and resolution time in hours")
    title = plan(long).title
    assert title.endswith("…") and long.startswith(title[:-1]) and long[len(title) - 1] in " ,"  # at a word
