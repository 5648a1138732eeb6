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


NO_VALUE = "has no value (a division by zero, an overflow or a root or log of a negative number); change it."
REFUSED = {  # expression -> the end of its one-sentence SchemaError
    "9**9**9": "the power in '9 ** 9 ** 9' is too large; use at most 1000.",
    "a ** 2000": "the power in 'a ** 2000' is too large; use at most 1000.",
    "10 ** 400": f"'10 ** 400' {NO_VALUE}",
    "1/0": "'1 / 0' divides by zero; change it.",
    "a + 5 % 0": "'5 % 0' divides by zero; change it.",
    "a * 7 // (1 - 1)": "'a * 7 // (1 - 1)' divides by zero; change it.",
    "0 ** -1": f"'0 ** (-1)' {NO_VALUE}",
    "(-8) ** 0.5": f"'(-8) ** 0.5' {NO_VALUE}",
    "a + 99999 ** 99": f"'99999 ** 99' {NO_VALUE}",
    "exp(1000) - a": f"'exp(1000)' {NO_VALUE}",
    "sqrt(-1) + a": f"'sqrt(-1)' {NO_VALUE}",
    "log(0) + a": f"'log(0)' {NO_VALUE}",
    "a * 1e16": "the number 1e+16 is too large for a formula; use at most 1e+15.",
    "a + 1e999": "the number inf is too large for a formula; use at most 1e+15.",
    "sqrt(a, 2)": "sqrt() takes one argument, as in sqrt(x).",
    "log(a, b)": "log() takes one argument, as in log(x) (log(x) / log(10) for base 10).",
    "days(a, b)": "days() takes one argument, as in days(x).",
    "min(a)": "min() takes 2 to 8 arguments, as in min(a, b).",
    "round(a, b)": "round(x, n) needs n a whole number from -15 to 15, such as round(price, 2).",
    "round(a, 2.5)": "round(x, n) needs n a whole number from -15 to 15, such as round(price, 2).",
    "round(a, 99)": "round(x, n) needs n a whole number from -15 to 15, such as round(price, 2).",
    "round(a, 1, 2)": "round() takes 1 or 2 arguments, as in round(x) or round(x, 2).",
    "abs(*a)": "abs() takes one argument, as in abs(x).",
}


@pytest.mark.parametrize("expr", list(REFUSED))
def test_bounds_arithmetic_errors_and_arities_are_refused_when_checked(expr):
    with pytest.raises(SchemaError) as err:
        formula.parse(expr, "x")
    assert str(err.value) == f"Column 'x': {REFUSED[expr]}"


def test_a_refused_formula_is_one_schema_error_from_a_schema():
    for expr in REFUSED:
        with pytest.raises(SchemaError, match="^Column 'b': "):
            Schema([Column("a", "integer"), Column("b", "formula", {"expr": expr})])


@pytest.mark.parametrize("expr", ["(1 + a / 100) ** 360", "round(a, -2) + round(b, 2)", "min(a, b, 3)", "2 ** -3 * a",
                                  "a ** b", "a % b", "a // b", "sqrt(a - b)", "log(b - a)", "exp(a * b)"])
def test_a_row_without_a_value_is_missing_never_inf_or_an_exception(expr):
    tree, names = formula.parse(expr, "x")
    env = {"a": np.array([0.0, 5.0, -3.0, 1e300, 700.0]), "b": np.array([0.0, -2.0, 0.5, 1e300, 2.0])}
    before = {k: v.copy() for k, v in env.items()}
    with np.errstate(all="raise"):  # the evaluator sets its own rule, whatever the caller's
        out = formula.evaluate(tree, {n: env[n] for n in names})
    assert out.dtype == np.float64 and not np.isinf(out).any()
    assert all((env[k] == before[k]).all() for k in env)


@pytest.mark.parametrize("expr", ["sqrt(a) + b", "log(a) + b", "round(a) + b", "abs(a) + b", "max(a, b)"])
def test_a_function_never_writes_into_another_column(expr):
    columns = [Column("a", "float", {"min": 1, "max": 100}), Column("b", "float", {"min": 1, "max": 100})]
    plain = frame(*columns, rows=500)
    derived = frame(*columns, Column("c", "formula", {"expr": expr}), rows=500)
    pd.testing.assert_frame_equal(derived[["a", "b"]], plain)


def test_names_are_read_as_written_not_folded_to_nfkc():
    # Python folds identifiers (ｘ is read as x); a schema's column names are not folded, so a
    # formula's are not either: ｘ names the column spelt ｘ.
    assert formula.parse("ｘ * 2", "y")[1] == ["ｘ"]
    with pytest.raises(SchemaError, match="refers to column 'ｘ', which the schema does not have"):
        Schema([Column("x", "integer"), Column("y", "formula", {"expr": "ｘ * 2"})])
    df = frame(Column("x", "integer", {"min": 1, "max": 9}), Column("ｘ", "integer", {"min": 100, "max": 900}),
               Column("y", "formula", {"expr": "ｘ * 2"}), rows=50)
    assert (df["y"] == df["ｘ"] * 2).all()


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
