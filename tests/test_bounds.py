"""Numbers bounded by another column of the row (``at_most``, ``at_least``)."""

from __future__ import annotations

import numpy as np
import pytest

from synth_magic.errors import SchemaError
from synth_magic.schema import Schema

SCHEMA = """columns:
  list_price: money min=10 max=500 distribution=lognormal mean=80
  price: money min=5 max=500 distribution=lognormal mean=70 at_most=list_price
  min_price: money min=5 max=50
  units: integer min=1 max=100 at_least=min_price at_most=list_price
  maybe: money min=10 max=90 null_rate=0.3
  capped: float min=0 max=100 at_most=maybe
"""


def test_a_bounded_number_holds_on_every_row_and_keeps_its_spread() -> None:
    df = Schema.from_text(SCHEMA).generate(5000, seed=3)
    assert (df.price <= df.list_price).all()
    assert (df.units <= df.list_price).all() and df.units.dtype == np.int64
    holds = df.list_price >= np.ceil(df.min_price)  # where an integer can lie between the bounds
    assert (df.units[holds] >= df.min_price[holds]).all()
    assert (df.price == df.list_price).mean() < 0.02  # folded back, not piled on the bound
    assert df.price.min() >= 5  # within its own range where that allows
    gone = df.maybe.isna()  # a value whose bound is missing is missing too (as a formula's)
    assert gone.any() and df.capped[gone].isna().all() and (df.capped[~gone] <= df.maybe[~gone]).all()


def test_bounded_numbers_are_the_same_however_the_rows_are_made() -> None:
    schema = Schema.from_text(SCHEMA)
    a = schema.generate(3000, seed=5)
    b = schema.generate(3000, seed=5)
    assert a.equals(b)
    assert a.head(100).equals(schema.generate(100, seed=5))


@pytest.mark.parametrize("text, says", [
    ("columns:\n  a: word\n  b: integer at_most=a", "'at_most' can only name an integer or number column, not 'a'"),
    ("columns:\n  a: date\n  b: float at_least=a", "'at_least' can only name an integer or number column, not 'a'"),
    ("columns:\n  b: integer at_most=c", "refers to column 'c', which the schema does not have"),
    ("columns:\n  b: integer at_most=b", "cannot be derived from itself"),
    ("columns:\n  a: integer at_most=b\n  b: integer at_most=a", "circle"),
])
def test_a_bound_that_cannot_hold_is_a_one_sentence_error(text: str, says: str) -> None:
    with pytest.raises(SchemaError, match=says) as err:
        Schema.from_text(text).generate(5, seed=1)
    assert str(err.value).count(". ") == 0
