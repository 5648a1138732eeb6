"""The dataset schema: JSON and text forms that round-trip, validation of untrusted data."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from synth_magic.dataset import DatasetSchema, looks_like_dataset_text, schema_from_json
from synth_magic.errors import SchemaError
from synth_magic.schema import Schema
from tests.test_relate import SHOP


def test_text_form_round_trips_to_the_same_schema_and_tables():
    schema = DatasetSchema.from_text(SHOP)
    again = DatasetSchema.from_text(schema.to_text())
    assert again.to_dict() == schema.to_dict()
    first, second = schema.generate(30, seed=4), again.generate(30, seed=4)
    for name in first:
        pd.testing.assert_frame_equal(first[name], second[name])


def test_json_form_round_trips_and_is_told_apart_from_a_table():
    schema = DatasetSchema.from_text(SHOP)
    assert DatasetSchema.from_json(schema.to_json()).to_dict() == schema.to_dict()
    assert isinstance(schema_from_json(schema.to_json()), DatasetSchema)
    assert isinstance(schema_from_json(schema.table("orders").to_json()), Schema)


def test_text_form_is_recognised():
    assert looks_like_dataset_text(SHOP)
    assert not looks_like_dataset_text(DatasetSchema.from_text(SHOP).table("orders").to_text())
    assert not looks_like_dataset_text("customers and their orders")


@pytest.mark.parametrize("data, message", [
    ([], "must be a JSON object"),
    ({"tables": []}, "non-empty 'tables'"),
    ({"tables": [{"name": "a", "columns": [{"name": "x", "type": "nope"}]}]}, r"Table 'a': Column 'x' has unknown type"),
    ({"tables": [{"name": "a b", "columns": [{"name": "x", "type": "id"}]}]}, "Table name 'a b' is not usable"),
    ({"tables": [{"name": "a", "columns": [{"name": "x", "type": "id"}]}] * 2}, "Table 'a' appears twice"),
    ({"tables": [{"name": "a", "columns": [{"name": "x", "type": "id"}]}], "relations": [{"child": "a"}]},
     "A relation needs child, column, parent"),
    ({"tables": [{"name": "a", "columns": [{"name": "x", "type": "id"}]}], "relations": [{"kid": "a"}]},
     "unknown field 'kid'"),
    ({"tables": [{"name": "a", "columns": [{"name": "x", "type": "id"}]}], "extra": 1}, "Unknown dataset field 'extra'"),
])
def test_untrusted_data_gives_one_clear_schema_error(data, message):
    with pytest.raises(SchemaError, match=message):
        DatasetSchema.from_dict(json.loads(json.dumps(data)))


@pytest.mark.parametrize("line, message", [
    ("  orders.customer_id => customers", "a relation looks like"),
    ("  orders.customer_id -> customers each 1-5 lots", "cannot read 'lots'"),
    ("  orders.customer_id -> customers pick optional=some", "optional must be a share"),
])
def test_bad_relation_lines_say_what_a_line_looks_like(line, message):
    text = SHOP.replace("  orders.customer_id -> customers each 1-5 skewed", line)
    with pytest.raises(SchemaError, match=message):
        DatasetSchema.from_text(text)


def test_an_each_relation_cannot_be_optional_nor_two_make_one_tables_rows():
    base = DatasetSchema.from_text(SHOP).to_dict()
    base["relations"][0]["optional"] = 0.1
    with pytest.raises(SchemaError, match="an 'each' relation's rows all have a parent"):
        DatasetSchema.from_dict(base)
    base = DatasetSchema.from_text(SHOP).to_dict()
    base["relations"].append({"child": "order_items", "column": "customer_id", "parent": "customers"})
    with pytest.raises(SchemaError, match="Table 'order_items': column 'customer_id' and 'order_id' both make its rows"):
        DatasetSchema.from_dict(base)


def test_messy_data_is_refused_for_related_tables():
    schema = DatasetSchema.from_text(SHOP)
    schema.messy = 0.05
    with pytest.raises(SchemaError, match="Table 'customers': messy data .* would break the keys"):
        schema.resolve()
