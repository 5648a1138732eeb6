"""Formulas: arithmetic over columns, parsed into an allow-listed tree and never executed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from synth_magic import SchemaError, formula
from synth_magic.schema import Column, Schema


def frame(*columns: Column, rows: int = 3000, seed: int = 7) -> pd.DataFrame:
    return Schema(list(columns)).generate(rows, seed=seed)


def test_parse_lists_each_column_once_and_no_function_names():
    _, names = formula.parse("qty * price + qty / (1 + tax) - round(price)", "total")
    assert sorted(names) == ["price", "qty", "tax"]


@pytest.mark.parametrize("expr", ["__import__('os')", "a.b", "a[0]", "lambda: 1", "f(a)", "a if b else c",
                                  "'a' * 3", "abs", "round(a, b, c)", "a < b", ""])
def test_anything_but_arithmetic_is_refused(expr):
    with pytest.raises(SchemaError, match="^Column 'x': "):
        formula.parse(expr, "x")


def test_evaluate_walks_the_tree_over_arrays():
    tree, _ = formula.parse("sqrt(a) * 2 + max(a, b) - 1 / b", "x")
    a, b = np.array([4.0, 9.0]), np.array([1.0, 0.0])
    out = formula.evaluate(tree, {"a": a, "b": b})
    assert out[0] == 2 * 2 + 4 - 1 and np.isnan(out[1])  # 1/0 is not a value: NaN, never inf


def test_formula_computes_over_columns_and_propagates_missing_values():
    df = frame(
        Column("quantity", "quantity", {"min": 1, "max": 5}),
        Column("unit_price", "money", {"min": 1, "max": 10}, null_rate=0.1),
        Column("total", "formula", {"expr": "quantity * unit_price", "decimals": 2}),
    )
    expected = (df["quantity"] * df["unit_price"]).round(2)
    pd.testing.assert_series_equal(df["total"], expected, check_names=False)
    assert df["total"].isna().equals(df["unit_price"].isna())


D, N, T = formula.DATE, formula.NUMBER, formula.DURATION


@pytest.mark.parametrize(("expr", "kind"), [
    ("out - in_", T), ("in_ + days(3)", D), ("days(n) + in_", D), ("in_ - hours(n * 2)", D),
    ("(out - in_) / days(1)", N), ("(out - in_) * 2", T), ("(out - in_) / 2", T), ("n * 2", N),
    ("max(out, in_)", D), ("abs(out - in_)", T), ("(out - in_) // hours(1)", N),
    ("days * 2", N),  # a column may be called days: bare, it is a column
])
def test_kinds_of_date_arithmetic(expr, kind):
    tree, names = formula.parse(expr, "x")
    kinds = {name: D if name in ("in_", "out") else N for name in names}
    assert formula.result_kind(tree, kinds, "x") == kind


@pytest.mark.parametrize(("expr", "why"), [
    ("out + in_", "a date + a date means nothing"), ("in_ * 2", "a date * a number means nothing"),
    ("-in_", "a date cannot be negated"), ("n + days(1)", "a number + a duration means nothing"),
    ("days(in_)", "days() turns one number into a duration"),
    ("sqrt(out - in_)", "sqrt() takes numbers; divide a duration by days(1) for a number of days"),
])
def test_date_arithmetic_that_means_nothing_is_refused(expr, why):
    tree, names = formula.parse(expr, "x")
    kinds = {name: D if name in ("in_", "out") else N for name in names}
    with pytest.raises(SchemaError) as err:
        formula.result_kind(tree, kinds, "x")
    assert str(err.value) == f"Column 'x': the formula does not add up: {why}."
