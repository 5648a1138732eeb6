"""Recognising related tables in a sentence, and the dataset built from the table planner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from synth_magic.dataset import DatasetSchema
from synth_magic.planner._entities import ENTITIES, LINKS, SCENES, plan_dataset, recognise
from synth_magic.planner.offline import OfflinePlanner

CASES = [
    ("customers and their orders", ["customers", "orders"], [("customers", "orders", "each", 1, 8)]),
    ("customers and their orders; each customer has 1 to 5 orders", ["customers", "orders"],
     [("customers", "orders", "each", 1, 5)]),
    ("orders with line items", ["orders", "order_items"], [("orders", "order_items", "each", 1, 5)]),
    ("orders with up to 3 items per order", ["orders", "order_items"], [("orders", "order_items", "each", 1, 3)]),
    ("a library: members, books, loans", ["members", "books", "loans"],
     [("members", "loans", "each", 0, 12), ("books", "loans", "pick", 1, 5)]),
    ("a school: students, courses and enrollments", ["students", "courses", "enrollments"],
     [("students", "enrollments", "each", 1, 6), ("courses", "enrollments", "pick", 1, 5)]),
    ("a school database", ["students", "courses", "enrollments"],
     [("students", "enrollments", "each", 1, 6), ("courses", "enrollments", "pick", 1, 5)]),
    ("the northwind sample database", ["customers", "employees", "orders", "order_items", "products"],
     [("customers", "orders", "each", 1, 8), ("orders", "order_items", "each", 1, 5),
      ("employees", "orders", "pick", 1, 5), ("products", "order_items", "pick", 1, 5)]),
    ("departments and their employees, each department has exactly 10 employees", ["departments", "employees"],
     [("departments", "employees", "each", 10, 10)]),
    ("blog users, their posts and comments", ["users", "posts", "comments"],
     [("users", "posts", "each", 0, 20), ("posts", "comments", "each", 0, 12), ("users", "comments", "pick", 1, 5)]),
]


@pytest.mark.parametrize("text, entities, links", CASES)
def test_common_phrasings_name_the_entities_and_how_they_relate(text, entities, links):
    found = recognise(text)
    assert found is not None and found.entities == entities
    assert [(k.parent, k.child, k.mode, k.min, k.max) for k in found.links] == links


def _single_table_descriptions() -> list[str]:
    shared = Path("/work/shared/planner-cases.json")
    extra = Path(__file__).parent / "planner_cases_extra.json"
    texts = [c["description"] for c in json.loads(extra.read_text())["cases"]]
    if shared.exists():
        texts += [c["description"] for c in json.loads(shared.read_text())["cases"]]
    return texts + ["library books", "orders with customer name and product", "customers in Germany",
                    "students with their grades", "employees with department and salary", "500 customers"]


def test_single_table_descriptions_stay_single_tables():
    hits = [t for t in _single_table_descriptions() if recognise(t) is not None]
    assert hits == []


def test_counts_in_the_sentence_set_table_rows():
    found = recognise("500 customers and their orders")
    assert found is not None and found.rows == {"customers": 500}
    schema = plan_dataset(found, OfflinePlanner().plan)
    assert schema.table("customers").rows == 500 and schema.table("orders").rows is None


def test_the_knowledge_is_consistent():
    for link in LINKS:
        assert link.parent in ENTITIES and link.child in ENTITIES
    for names in SCENES.values():
        assert all(n in ENTITIES for n in names)


@pytest.mark.parametrize("text", [t for t, _, _ in CASES])
def test_every_recognised_dataset_plans_validates_and_generates(text):
    schema = plan_dataset(recognise(text), OfflinePlanner().plan)
    again = DatasetSchema.from_text(schema.to_text()).to_dict()
    assert again == {k: v for k, v in schema.to_dict().items() if k != "planner"}  # the text form round-trips
    tables = schema.generate(30, seed=1)
    for name, df in tables.items():
        key = tables.primary_keys[name]
        assert df[key].is_unique and df.columns[0] == key
        for column, parent, parent_key in tables.foreign_keys[name]:
            assert df[column].dropna().isin(tables[parent][parent_key]).all()


def test_a_child_repeats_nothing_its_parent_holds_and_follows_its_dates():
    schema = plan_dataset(recognise("customers and their orders"), OfflinePlanner().plan)
    orders = schema.table("orders").names
    assert not any(n.startswith("customer_") and n != "customer_signup_date" for n in orders)
    tables = schema.generate(300, seed=2)
    joined = tables["orders"].merge(tables["customers"], on="customer_id")
    assert (joined["order_date"] >= joined["signup_date"]).all()


def test_order_totals_sum_their_items():
    tables = plan_dataset(recognise("orders with line items"), OfflinePlanner().plan).generate(300, seed=4)
    sums = tables["order_items"].groupby("order_id")["line_total"].sum().round(2)
    orders = tables["orders"].set_index("order_id")
    assert (orders.loc[sums.index, "total"] == sums).all()
    assert "quantity" not in orders.columns  # the items hold it
