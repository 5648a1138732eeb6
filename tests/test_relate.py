"""Generating datasets: keys that hold, exact cardinalities, derived columns, determinism."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from synth_magic.dataset import Dataset, DatasetSchema, Derived, Relation, Table
from synth_magic.errors import InputError, SchemaError
from synth_magic.schema import Column, Schema

SHOP = """\
dataset: shop
table customers:
  columns:
    customer_id: id unique
    name: full_name
    signup_date: date start=2020-01-01 end=2024-12-31
table orders:
  columns:
    order_id: id unique
    signup_date: date
    order_date: date after=signup_date max_gap=3650d start=2020-01-01 end=2025-06-30
    total: money
    items: integer
    biggest: money
table order_items:
  columns:
    item_id: id unique
    quantity: quantity
    unit_price: money min=2 max=200
    line_total: formula expr="quantity * unit_price" decimals=2
relations:
  orders.customer_id -> customers each 1-5 skewed
  order_items.order_id -> orders each 1-4 uniform
derived:
  orders.signup_date = customers.signup_date hidden
  orders.total = sum order_items.line_total
  orders.items = count order_items
  orders.biggest = max order_items.line_total
"""


def _table(name: str, *columns: Column, rows: int | None = None) -> Table:
    return Table(name, Schema(columns=[Column("id", "id", unique=True), *columns], rows=rows))


def _lean(per: tuple[int, int] = (0, 6), distribution: str = "skewed") -> DatasetSchema:
    """Parents and children with a cheap column each: the 1M-row tests stay quick."""
    return DatasetSchema(
        tables=[_table("parents", Column("size", "integer")), _table("children", Column("n", "integer"))],
        relations=[Relation("children", "parent_id", "parents", "each", *per, distribution=distribution)],
    )


def _counts_of(df: pd.DataFrame, fk: str, parents: int) -> np.ndarray:
    return np.bincount(df[fk].to_numpy() - 1, minlength=parents)


@pytest.mark.parametrize("distribution", ["skewed", "uniform"])
def test_one_to_many_at_a_million_children_keys_hold_and_counts_are_exact(distribution):
    ds = _lean((0, 6), distribution).generate({"parents": 300_000, "children": 1_000_000}, seed=3)
    parents, children = ds["parents"], ds["children"]
    assert len(children) == 1_000_000
    assert children["parent_id"].isin(parents["id"]).all()
    per = _counts_of(children, "parent_id", len(parents))
    assert per.min() >= 0 and per.max() <= 6 and per.sum() == 1_000_000
    assert (np.diff(children["parent_id"].to_numpy()) >= 0).all()  # grouped by parent, no join needed


def test_counts_without_fixed_child_rows_follow_the_range_and_skew():
    ds = _lean((1, 5)).generate(400_000, seed=1)
    per = _counts_of(ds["children"], "parent_id", 400_000)
    assert per.min() == 1 and per.max() == 5
    share = np.bincount(per)[1:] / len(per)
    assert share[0] > 0.4 and share[4] < 0.15  # most parents few children, some many


def test_many_to_many_through_a_link_table_is_distinct_per_parent():
    ds = DatasetSchema(
        tables=[_table("students", rows=None), _table("courses", Column("credits", "integer"), rows=40),
                _table("enrollments", Column("grade", "integer"))],
        relations=[Relation("enrollments", "student_id", "students", "each", 1, 8),
                   Relation("enrollments", "course_id", "courses", "pick", distinct=True)],
    ).generate({"students": 150_000}, seed=5)
    links = ds["enrollments"]
    assert len(ds["courses"]) == 40 and len(links) > 400_000
    assert links["course_id"].between(1, 40).all() and links["student_id"].isin(ds["students"]["id"]).all()
    assert not links.duplicated(["student_id", "course_id"]).any()
    assert links["course_id"].nunique() == 40
    assert _counts_of(links, "student_id", 150_000).min() == 1


def test_optional_references_leave_that_share_of_keys_empty_and_the_rest_valid():
    ds = DatasetSchema(
        tables=[_table("departments", rows=12), _table("employees", Column("salary", "integer"))],
        relations=[Relation("employees", "department_id", "departments", "pick", optional=0.2)],
    ).generate({"employees": 1_000_000}, seed=9)
    fk = ds["employees"]["department_id"]
    assert str(fk.dtype) == "Int64"
    assert 0.19 < fk.isna().mean() < 0.21
    assert fk.dropna().isin(ds["departments"]["id"]).all()


def test_child_dates_follow_parent_dates_and_totals_equal_their_parts():
    ds = DatasetSchema.from_text(SHOP).generate(2000, seed=7)
    customers, orders, items = ds["customers"], ds["orders"], ds["order_items"]
    assert "signup_date" not in orders.columns  # a hidden copy feeds the order date only
    signup = customers.set_index("customer_id")["signup_date"]
    assert (orders["order_date"].to_numpy() >= signup.loc[orders["customer_id"]].to_numpy()).all()
    assert (orders["order_date"] <= "2025-06-30").all()
    grouped = items.groupby("order_id")["line_total"]
    by_order = orders.set_index("order_id")
    assert np.allclose(grouped.sum().round(2), by_order["total"].loc[grouped.sum().index])
    assert (grouped.size() == by_order["items"].loc[grouped.size().index]).all()
    assert np.allclose(grouped.max(), by_order["biggest"].loc[grouped.max().index])
    assert by_order["items"].between(1, 4).all()


def test_the_same_seed_gives_the_same_tables_and_first_rows_stay_when_more_are_asked():
    schema = DatasetSchema.from_text(SHOP)
    small, again, big = schema.generate(50, seed=11), schema.generate(50, seed=11), schema.generate(20_000, seed=11)
    for name in small:
        pd.testing.assert_frame_equal(small[name], again[name])
        head = big[name].head(len(small[name]))
        pd.testing.assert_frame_equal(small[name], head, check_categorical=False)
    assert not schema.generate(50, seed=12)["orders"].equals(small["orders"])


def test_dataset_is_a_mapping_in_dependency_order_with_a_summary():
    ds = DatasetSchema.from_text(SHOP).generate(10, seed=1)
    assert isinstance(ds, Dataset) and list(ds) == ["customers", "orders", "order_items"]
    assert ds.foreign_keys["orders"] == (("customer_id", "customers", "customer_id"),)
    assert "orders" in repr(ds) and "customer_id → customers" in ds.summary()


def test_rows_for_two_tables_adapt_the_counts_or_say_why_they_cannot():
    ds = _lean((1, 3)).generate({"parents": 100, "children": 300}, seed=1)
    assert (_counts_of(ds["children"], "parent_id", 100) == 3).all()
    with pytest.raises(SchemaError, match=r"Table 'children' cannot have 301 rows .* 1 to 3 .*'children.parent_id'"):
        _lean((1, 3)).generate({"parents": 100, "children": 301}, seed=1)
    with pytest.raises(InputError, match="rows names table 'kids'"):
        _lean().generate({"kids": 3})


def _bad(text_edit: tuple[str, str]) -> str:
    return SHOP.replace(*text_edit)


@pytest.mark.parametrize("edit, message", [
    (("order_items.order_id -> orders each 1-4 uniform", "order_items.order_id -> orders each 1-4 uniform\n"
      "  customers.item_id -> order_items pick"), r"circle \(customers -> order_items -> orders -> customers\)"),
    (("-> orders each", "-> invoices each"), r"Relation 'order_items.order_id' names table 'invoices'"),
    (("sum order_items.line_total", "sum order_items.price"), r"table 'order_items' has no column 'price'"),
    (("orders.total = sum", "orders.nothing = sum"), r"Column 'orders.nothing': table 'orders' has no column"),
    (("each 1-5 skewed", "each 5-1 skewed"), r"'orders.customer_id': each parent cannot have at least 5 and at most 1"),
    (("orders.customer_id -> customers each 1-5 skewed", "orders.order_id -> customers each 1-5"),
     r"Table 'orders': column 'order_id' is made by its relation to 'customers'"),
    (("    total: money", "    total: date"), r"'orders.total' holds the sum of 'order_items.line_total', so it must be a number"),
    (("    items: integer", "    items: money"), r"'orders.items' holds the count .* whole number"),
    (("customer_id: id unique", "customer_id: id"), r"Table 'customers' is referred to by 'orders.customer_id' but has no key"),
    (("    signup_date: date\n    order_date", "    signup_date: integer\n    order_date"), r"Table 'orders'"),
])
def test_bad_relations_give_one_clear_error_naming_table_and_column(edit, message):
    with pytest.raises(SchemaError, match=message):
        DatasetSchema.from_text(_bad(edit))


def test_a_distinct_pick_that_cannot_hold_is_refused_when_generating():
    schema = DatasetSchema(
        tables=[_table("students"), _table("courses", rows=3), _table("enrollments")],
        relations=[Relation("enrollments", "student_id", "students", "each", 4, 4),
                   Relation("enrollments", "course_id", "courses", "pick", distinct=True)])
    with pytest.raises(SchemaError, match=r"'enrollments.course_id' picks distinct rows of 'courses'.* 4 rows .* 3"):
        schema.generate(10, seed=1)


def test_a_copy_needs_a_column_of_the_same_kind():
    with pytest.raises(SchemaError, match=r"Column 'b.when' copies 'a.made', a date column"):
        DatasetSchema(tables=[_table("a", Column("made", "date")), _table("b", Column("when", "integer"))],
                      relations=[Relation("b", "a_id", "a", "pick")], derived=[Derived("b", "when", "copy", "a.made")])


def test_copies_of_text_and_categories_follow_their_parent_row():
    ds = DatasetSchema(
        tables=[_table("a", Column("city", "city"), Column("tier", "category", {"values": ["x", "y", "z"]})),
                _table("b", Column("city", "city"), Column("tier", "category", {"values": ["z", "y", "x", "w"]}))],
        relations=[Relation("b", "a_id", "a", "pick", optional=0.3)],
        derived=[Derived("b", "city", "copy", "a.city"), Derived("b", "tier", "copy", "a.tier")],
    ).generate({"a": 50, "b": 5000}, seed=2)
    a, b = ds["a"].set_index("id"), ds["b"]
    known = b[b["a_id"].notna()]
    assert (known["city"].to_numpy() == a["city"].loc[known["a_id"].astype(int)].to_numpy()).all()
    assert (known["tier"].astype(str).to_numpy() == a["tier"].astype(str).loc[known["a_id"].astype(int)].to_numpy()).all()
    assert b.loc[b["a_id"].isna(), "city"].isna().all()


def test_a_childs_currency_is_that_of_its_parents_country():
    schema = DatasetSchema.from_text("""\
dataset: world shop
table customers:
  columns:
    customer_id: id unique
    country: country within=world
table orders:
  columns:
    order_id: id unique
    currency: currency_code
    amount: money by=currency
relations:
  orders.customer_id -> customers each 1-3
derived:
  orders.currency = currency customers.country
""")
    assert DatasetSchema.from_text(schema.to_text()).to_dict() == schema.to_dict()
    ds = schema.generate(400, seed=5)
    joined = ds["orders"].merge(ds["customers"], on="customer_id")
    expected = {"Germany": "EUR", "France": "EUR", "Japan": "JPY", "United Kingdom": "GBP", "United States": "USD"}
    seen = joined[joined["country"].isin(list(expected))]
    assert len(seen) > 10 and (seen["currency"].astype(str) == seen["country"].map(expected)).all()
    assert joined.groupby("customer_id")["currency"].nunique().eq(1).all()
    with pytest.raises(SchemaError, match=r"'orders.currency' is the currency of 'customers.customer_id', which must be "
                                          "a country column"):
        DatasetSchema.from_text(schema.to_text().replace("currency customers.country", "currency customers.customer_id"))
