"""synth() / plan(): the pipeline every surface calls."""

from __future__ import annotations

import pandas as pd
import pytest

import synth_magic
from synth_magic import InputError, SchemaError, SynthError, plan, synth
from synth_magic.api import run, schema_of
from synth_magic.schema import Schema


def test_public_names_are_pinned():
    assert sorted(synth_magic.__all__) == sorted([
        "Column", "ConfigError", "Dataset", "DatasetSchema", "ExportError", "InputError", "PlannerError", "Schema",
        "SchemaError",
        "SynthError", "SynthWarning", "__version__", "form", "load_ipython_extension", "plan", "synth",
    ])
    for name in synth_magic.__all__:
        assert getattr(synth_magic, name) is not None


def test_finance_transactions_is_a_real_table():
    df = synth("finance transactions", rows=1000, seed=42)
    assert df.shape == (1000, len(df.columns)) and len(df.columns) >= 8
    kinds = {str(t) for t in df.dtypes}
    assert {"str", "float64", "bool", "category", "datetime64[s]"} <= kinds
    assert df.select_dtypes("float64").gt(0).all().all()
    assert df["transaction_id"].is_unique


def test_same_seed_same_frame_and_different_seed_different_frame():
    a = synth("finance transactions", rows=300, seed=1)
    b = synth("finance transactions", rows=300, seed=1)
    c = synth("finance transactions", rows=300, seed=2)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)
    assert a.attrs["synth"]["seed"] == 1


def test_first_rows_of_a_bigger_request_equal_a_smaller_request():
    small = synth("bank customers", rows=50, seed=3)
    big = synth("bank customers", rows=40000, seed=3)
    pd.testing.assert_frame_equal(big.head(50), small)


def test_no_seed_picks_one_and_records_it():
    df = synth("bank customers", rows=20)
    again = synth("bank customers", rows=20, seed=df.attrs["synth"]["seed"])
    pd.testing.assert_frame_equal(df, again)


def test_rows_default_to_the_description_then_1000():
    assert len(synth("a list of 200 employees with salaries", seed=0)) == 200
    assert len(synth("bank customers", seed=0)) == 1000
    assert len(synth("a list of 200 employees with salaries", rows=10, seed=0)) == 10


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"description": ""}, InputError, "The description is empty; say what the table holds, e.g. 'finance transactions'."),
        ({"description": "x" * 5000}, InputError,
         "The description is 5,000 characters long; keep it under 4,000 (list the columns you need rather than pasting documents)."),
        ({"description": 42}, InputError, "The description must be text, e.g. 'finance transactions'."),
        ({"rows": 0}, InputError, "rows must be at least 1, not 0."),
        ({"rows": -1}, InputError, "rows must be at least 1, not -1."),
        ({"rows": "ten"}, InputError, "rows must be a whole number such as 1000, not 'ten'."),
        ({"rows": 2.5}, InputError, "rows must be a whole number such as 1000, not '2.5'."),
        ({"seed": "abc"}, InputError, "seed must be a whole number such as 42, not 'abc'."),
        ({"seed": -5}, InputError, "seed must be a whole number from 0 up."),
        ({"locale": "xx_YY"}, InputError,
         "Unknown locale 'xx_YY'; use a Faker locale such as en_US, de_DE, fr_FR or ja_JP (`synth --locales` lists them all)."),
        ({"planner": "magic"}, InputError, "Unknown planner 'magic'; use 'offline' or 'openai'."),
        ({"save": "out.xlsx"}, SynthError, "Cannot save to 'out.xlsx': use a name ending in .csv or .parquet."),
        ({"save": "/no/such/dir/x.csv"}, SynthError, "Cannot save to '/no/such/dir/x.csv': the folder '/no/such/dir' does not exist."),
    ],
)
def test_bad_input_is_one_clear_sentence(kwargs, error, message):
    args = {"description": "bank customers", "rows": 5, **kwargs}
    with pytest.raises(error) as err:
        synth(**args)
    assert str(err.value) == message


def test_rows_beyond_memory_are_refused_up_front():
    with pytest.raises(InputError) as err:
        synth("finance transactions", rows=10**12)
    text = str(err.value)
    assert text.startswith("1,000,000,000,000 rows of this table need about ")
    assert "-o data.csv" in text and "\n" not in text


def test_unique_over_a_small_domain_names_the_column():
    schema = Schema.from_dict({"columns": [{"name": "grade", "type": "category", "values": ["A", "B"], "unique": True}]})
    with pytest.raises(SchemaError) as err:
        schema.generate(3)
    assert str(err.value) == (
        "Column 'grade' must be unique but its type 'category' has only 2 possible values for 3 rows; "
        "widen its range, drop 'unique' or ask for fewer rows."
    )
    assert len(schema.generate(2)) == 2


def test_the_text_form_is_accepted_as_a_description():
    schema = plan("online orders with order date, ship date and delivery status")
    df = synth(schema.to_text(), rows=30, seed=4)
    assert list(df.columns) == schema.names
    result = run(schema.to_text(), rows=5, seed=4)
    assert result.source == "text" and "· schema from text ·" in result.summary()


def test_locale_argument_overrides_the_description():
    from faker.providers.person.ja_JP import Provider as Japanese

    df = synth("French customers with name", rows=200, seed=1, locale="ja_JP")
    names = df[[c for c in df.columns if "name" in c][0]]
    assert names.str[0].isin({n[0] for n in Japanese.last_names}).mean() > 0.9


def test_schema_travels_with_the_frame():
    df = synth("tasks with a priority of low, normal or high and a done flag", rows=10, seed=1)
    schema = schema_of(df)
    assert schema is not None and schema.names == list(df.columns)
    assert schema_of(pd.DataFrame({"a": [1]})) is None


def test_save_writes_the_file_and_save_true_picks_a_new_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("bank customers", rows=10, seed=1, save="out.csv")
    assert result.path.name == "out.csv"
    assert pd.read_csv(tmp_path / "out.csv").shape == (10, len(result.frame.columns))
    first = run("bank customers", rows=10, seed=1, save=True).path
    second = run("bank customers", rows=10, seed=1, save=True).path
    assert first.name == "bank_customers.csv" and second.name == "bank_customers_1.csv"
    assert "10 rows" in result.summary() and "schema from offline" in result.summary()


# ------------------------------------------------------------------ related tables

SHOP = "customers and their orders; each customer has 1 to 5 orders"


def test_a_description_of_related_tables_gives_a_dataset_in_dependency_order():
    shop = synth(SHOP, rows=200, seed=3)
    assert isinstance(shop, synth_magic.Dataset) and list(shop) == ["customers", "orders"]
    customers, orders = shop["customers"], shop["orders"]
    assert len(customers) == 200 and orders["customer_id"].isin(customers["customer_id"]).all()
    per = orders.groupby("customer_id").size().reindex(customers["customer_id"], fill_value=0)
    assert per.between(1, 5).all()
    assert isinstance(synth("finance transactions", rows=5, seed=1), pd.DataFrame)


def test_plan_gives_a_dataset_schema_whose_text_gives_the_same_tables():
    schema = plan(SHOP)
    assert isinstance(schema, synth_magic.DatasetSchema) and schema.names == ["customers", "orders"]
    first, again = synth(SHOP, rows=50, seed=8), synth(schema.to_text(), rows=50, seed=8)
    for name in first:
        pd.testing.assert_frame_equal(first[name], again[name])
    pd.testing.assert_frame_equal(synth(schema, rows=50, seed=8)["orders"], first["orders"])


def test_a_dataset_plan_is_cached_and_read_back_as_a_dataset():
    assert run(SHOP, 10, seed=1).source == "offline"
    second = run(SHOP, 10, seed=1)
    assert second.source == "cache" and isinstance(second.schema, synth_magic.DatasetSchema)


def test_rows_per_table_and_the_run_summary():
    result = run(SHOP, {"customers": 40, "orders": 120}, seed=2)
    assert len(result.frame["orders"]) == 120 and result.rows == 160
    assert result.summary(path=False).startswith("2 tables: customers 40 × ") and "orders 120 × " in result.summary()
    with pytest.raises(InputError, match="rows per table .* several related tables"):
        run("finance transactions", {"transactions": 5})


def test_saving_a_dataset_to_sqlite_and_a_single_table_refuses_a_database(tmp_path):
    import sqlite3

    result = run(SHOP, 30, seed=1, save=tmp_path / "shop.sqlite")
    with sqlite3.connect(result.path) as con:
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        assert con.execute("SELECT count(*) FROM orders").fetchone()[0] == len(result.frame["orders"])
    from synth_magic import ExportError

    with pytest.raises(ExportError, match="'one.sqlite' holds several tables, and this description makes one"):
        run("finance transactions", 5, save=tmp_path / "one.sqlite")
