"""What the generator's speed work must not break (no timings here: see bench/).

- Determinism: the same schema, rows and seed give the same frame.
- Prefix stability: the first k rows of a bigger request equal a request for k rows,
  on both sides of every chunk boundary, and the streamed frames equal the whole frame.
- Independence: adding or removing a column does not change the other columns.
- Dtypes: every value kind gets its pandas dtype, with and without missing values.
- Uniqueness: unique columns never repeat, at a million rows too.
- Start-up: ``import synth_magic`` imports nothing heavy.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal, assert_series_equal

from synth_magic import InputError
from synth_magic import catalog as C
from synth_magic import generate as G
from synth_magic.schema import Schema

CHUNK = G.CHUNK

FINANCE = {
    "title": "finance transactions",
    "locale": "en_US",
    "columns": [
        {"name": "transaction_id", "type": "uuid", "unique": True},
        {"name": "account_number", "type": "account_number", "unique": True},
        {"name": "customer_name", "type": "full_name"},
        {"name": "email", "type": "email", "derive_from": "customer_name", "null_rate": 0.05},
        {"name": "merchant", "type": "company"},
        {"name": "category", "type": "category",
         "values": ["groceries", "travel", "dining", "utilities", "entertainment", "shopping"],
         "weights": [30, 10, 20, 10, 10, 20]},
        {"name": "amount", "type": "money", "min": 1, "max": 500, "distribution": "lognormal"},
        {"name": "currency", "type": "currency_code"},
        {"name": "timestamp", "type": "datetime", "start": "2025-01-01", "end": "2025-12-31 23:59:59"},
        {"name": "is_fraud", "type": "boolean", "p_true": 0.02},
    ],
}

# Every value kind, with and without missing values, plus derived columns.
KINDS = {
    "locale": "en_US",
    "columns": [
        {"name": "id", "type": "id"},
        {"name": "code", "type": "code", "pattern": "ORD-######", "unique": True},
        {"name": "gender", "type": "gender", "null_rate": 0.1},
        {"name": "first", "type": "first_name", "gender_from": "gender"},
        {"name": "name", "type": "full_name"},
        {"name": "username", "type": "username", "derive_from": "name", "unique": True},
        {"name": "phone", "type": "phone", "null_rate": 0.2},
        {"name": "age", "type": "age"},
        {"name": "age_or_none", "type": "age", "null_rate": 0.3},
        {"name": "price", "type": "money", "min": 1, "max": 100},
        {"name": "qty", "type": "quantity"},
        {"name": "total", "type": "formula", "expr": "price * qty"},
        {"name": "score", "type": "float", "null_rate": 0.1},
        {"name": "flag", "type": "boolean"},
        {"name": "flag_or_none", "type": "boolean", "null_rate": 0.25},
        {"name": "ordered", "type": "date"},
        {"name": "shipped", "type": "date", "after": "ordered", "null_rate": 0.1},
        {"name": "seen", "type": "datetime"},
        {"name": "ticked", "type": "datetime", "step": "1min"},
        {"name": "status", "type": "order_status"},
        {"name": "sentence", "type": "sentence"},
        {"name": "ip", "type": "ipv4", "unique": True},
        {"name": "uuid", "type": "uuid"},
        {"name": "iban", "type": "iban"},
    ],
}


def schema(data: dict) -> Schema:
    return Schema.from_dict(data)


@pytest.fixture(scope="module")
def kinds() -> Schema:
    return schema(KINDS)


@pytest.fixture(scope="module")
def finance() -> Schema:
    return schema(FINANCE)


# ---------------------------------------------------------------- determinism

def test_same_schema_rows_and_seed_give_the_same_frame(kinds):
    a = kinds.generate(5000, seed=11)
    b = kinds.generate(5000, seed=11)
    assert_frame_equal(a, b)
    c = kinds.generate(5000, seed=12)
    for name in ("uuid", "name", "price", "seen"):
        assert not a[name].equals(c[name]), name


def test_a_fresh_process_gives_the_same_frame(finance, tmp_path):
    """Nothing leaks in from process state (pool order, hash seeds, caches)."""
    here = finance.generate(3000, seed=5)
    script = (
        "import sys; from synth_magic.schema import Schema; "
        f"s = Schema.from_json({finance.to_json()!r}); "
        f"s.generate(3000, seed=5).to_parquet(sys.argv[1])"
    )
    out = tmp_path / "frame.parquet"
    env = {**os.environ, "PYTHONPATH": _src(), "PYTHONHASHSEED": "123"}
    subprocess.run([sys.executable, "-c", script, str(out)], check=True, env=env, timeout=120)
    there = pd.read_parquet(out)
    assert_frame_equal(here.reset_index(drop=True), there, check_dtype=False)


# ------------------------------------------------------------ prefix stability

@pytest.mark.parametrize("small", [1, 7, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 3])
def test_first_rows_of_a_bigger_request_equal_a_smaller_request(kinds, small):
    big = kinds.generate(2 * CHUNK + 10, seed=3)
    part = kinds.generate(small, seed=3)
    assert len(part) == small
    assert_frame_equal(part, big.iloc[:small])


def test_prefix_stability_at_40_000_of_100_000(finance):
    big = finance.generate(100_000, seed=9)
    part = finance.generate(40_000, seed=9)
    assert_frame_equal(part, big.iloc[:40_000])


def test_streamed_frames_equal_the_whole_frame(kinds):
    rows = 3 * CHUNK + 5
    whole = kinds.generate(rows, seed=4)
    parts = list(G.frames(kinds.resolve(), rows, seed=4, rows_per_frame=CHUNK))
    assert len(parts) == 4
    streamed = pd.concat(parts)
    assert_frame_equal(streamed, whole, check_categorical=False)
    for name in whole.columns:
        assert streamed[name].dtype == whole[name].dtype or isinstance(whole[name].dtype, pd.CategoricalDtype)


def test_any_chunk_range_is_its_slice_of_the_whole_frame(kinds):
    rows = 4 * CHUNK + 7
    whole = kinds.generate(rows, seed=4)
    plan = kinds.resolve()
    for first, stop in [(3, 5), (0, 1), (1, 3), (4, 99)]:  # any order; a range past the end stops there
        part = G.frame_of_chunks(plan, rows, 4, first, stop)
        assert_frame_equal(part, whole.iloc[first * CHUNK:stop * CHUNK], check_categorical=False)


def test_empty_frame_has_the_generated_dtypes(kinds):
    plan = kinds.resolve()
    empty = G.empty_frame(plan)
    assert len(empty) == 0 and empty.dtypes.to_dict() == kinds.generate(50, seed=1).dtypes.to_dict()
    assert_frame_equal(G.frame_of_chunks(plan, 100, 1, 0, 0), empty)


@pytest.mark.parametrize(("seed", "first", "stop", "message"), [
    (None, 0, 1, "seed must be given"),
    (1, -1, 1, "A chunk range needs 0 <= first <= stop, not -1 and 1."),
    (1, 3, 2, "A chunk range needs 0 <= first <= stop, not 3 and 2."),
])
def test_a_chunk_range_needs_the_seed_and_an_order(kinds, seed, first, stop, message):
    with pytest.raises(InputError, match=re.escape(message)):
        G.frame_of_chunks(kinds.resolve(), 1000, seed, first, stop)


# ---------------------------------------------------------------- independence

def test_adding_a_column_does_not_change_the_others(finance):
    before = finance.generate(CHUNK + 100, seed=21)
    data = {**FINANCE, "columns": list(FINANCE["columns"])}
    data["columns"].insert(2, {"name": "city", "type": "city"})
    data["columns"].append({"name": "note", "type": "sentence", "null_rate": 0.5})
    after = schema(data).generate(CHUNK + 100, seed=21)
    assert_frame_equal(after[before.columns], before)


def test_removing_an_unrelated_column_does_not_change_the_others(finance):
    before = finance.generate(2000, seed=2)
    data = {**FINANCE, "columns": [c for c in FINANCE["columns"] if c["name"] != "merchant"]}
    after = schema(data).generate(2000, seed=2)
    assert_frame_equal(after, before.drop(columns="merchant"))


def test_column_order_does_not_change_values(finance):
    before = finance.generate(2000, seed=8)
    data = {**FINANCE, "columns": list(reversed(FINANCE["columns"]))}
    after = schema(data).generate(2000, seed=8)
    assert list(after.columns) == list(reversed(before.columns))
    assert_frame_equal(after[before.columns], before)


# ----------------------------------------------------------------------- dtypes

def _dtype_ok(kind: str, s: pd.Series, nullable: bool) -> bool:
    dtype = s.dtype
    if kind == C.STRING:
        return dtype == "str"
    if kind == C.CATEGORY:
        return isinstance(dtype, pd.CategoricalDtype) and dtype.categories.dtype == "str"
    if kind == C.INT:
        return dtype == ("Int64" if nullable else np.int64)
    if kind == C.BOOL:
        return dtype == ("boolean" if nullable else np.bool_)
    if kind == C.FLOAT:
        return dtype == np.float64
    return str(dtype) == "datetime64[s]"  # DATE and DATETIME


@pytest.mark.parametrize("rows", [CHUNK + 1, 50])
def test_every_kind_gets_its_dtype(kinds, rows):
    df = kinds.generate(rows, seed=1)
    prepared = {c.name: c for c in kinds.resolve().columns}
    seen = set()
    for col in kinds.columns:
        kind = col.spec().kind
        seen.add(kind)
        s = df[col.name]
        assert _dtype_ok(kind, s, prepared[col.name].nullable), f"{col.name} ({kind}) is {s.dtype}"
        if not prepared[col.name].nullable:
            assert not s.isna().any(), col.name
        elif rows > 1000:
            assert s.isna().any(), col.name
    assert seen == set(C.PANDAS_DTYPES)
    assert (df["total"].isna() == df["price"].isna() | df["qty"].isna()).all()
    assert (df["shipped"].dropna() >= df["ordered"][df["shipped"].notna()]).all()


@pytest.mark.parametrize("type_", sorted(C.TYPES))
def test_every_type_keeps_its_dtype_across_chunks_and_with_nulls(type_):
    params = {"category": {"values": ["a", "b"]}, "formula": {"expr": "1 + 1"}, "ohlc": {"close": "p"}}.get(type_, {})
    s = Schema.from_dict({"columns": [{"name": "p", "type": "series"},
                                      {"name": "x", "type": type_, "null_rate": 0.5, **params}]})
    x = s.generate(CHUNK + 2, seed=6)["x"]
    assert _dtype_ok(C.TYPES[type_].kind, x, nullable=True), f"{type_} gave {x.dtype}"
    assert 0.4 < x.isna().mean() < 0.6


# ------------------------------------------------------------------- uniqueness

@pytest.mark.slow
def test_unique_identifiers_never_repeat_at_a_million_rows():
    s = Schema.from_dict({"columns": [
        {"name": "id", "type": "id"},
        {"name": "uuid", "type": "uuid", "unique": True},
        {"name": "code", "type": "code", "pattern": "TX-########", "unique": True},
        {"name": "account", "type": "account_number", "unique": True},
    ]})
    import pyarrow as pa
    import pyarrow.compute as pc

    df = s.generate(1_000_000, seed=13)
    assert len(df) == 1_000_000
    table = pa.Table.from_pandas(df, preserve_index=False)
    for name in df.columns:
        assert pc.count_distinct(table.column(name)).as_py() == len(df), name


@pytest.mark.parametrize("column", [
    {"type": "email", "unique": True},
    {"type": "username", "unique": True},
    {"type": "integer", "min": 0, "max": 10**6, "unique": True},
    {"type": "money", "min": 0, "max": 10**4, "unique": True},
    {"type": "float", "min": -10**15, "max": 10**15, "decimals": 6, "unique": True},
    {"type": "date", "start": "1800-01-01", "end": "2025-12-31", "unique": True},
    {"type": "datetime", "unique": True},
    {"type": "ipv4", "unique": True},
    {"type": "iban", "unique": True},
    {"type": "isbn", "unique": True},
    {"type": "credit_card_number", "unique": True},
    {"type": "time", "unique": True},
])
def test_unique_columns_never_repeat_across_chunks(column):
    s = Schema.from_dict({"columns": [{"name": "x", **column}]})
    x = s.generate(3 * CHUNK, seed=17)["x"]
    assert x.nunique() == len(x), column["type"]


def test_scramble_is_a_bijection():
    from synth_magic.generators._kernels import scramble

    for domain in (1, 2, 10, 97, 1000, CHUNK, 2**31, 9 * 10**9, 10**17, 2**62, 10**21):
        n = min(domain, 200_000)
        out = scramble(np.arange(n), domain, key=12345)
        assert out.min() >= 0 and out.max() < domain
        assert np.unique(out).size == n, domain


@pytest.mark.parametrize("width", [1, 2, 3, 4, 5, 7, 9, 12, 18])
def test_digits_are_spelled_zero_padded_at_any_width_and_column(width):
    from synth_magic.generators._kernels import _digits_into, ascii_digits

    v = np.random.default_rng(width).integers(0, 10**width, 3000)
    v[:3] = [0, 10**width - 1, 10 ** (width - 1)]
    want = [str(x).zfill(width) for x in v.tolist()]
    assert [bytes(row).decode() for row in ascii_digits(v, width)] == want
    mat = np.full((len(v), width + 5), ord("x"), dtype=np.uint8)  # written at column 2 of wider rows
    _digits_into(mat, 2, width, v)
    assert [bytes(row).decode() for row in mat] == ["xx" + w + "xxx" for w in want]


@pytest.mark.parametrize("pattern", ["SEN-####", "é#ü%-?*", "%#########", "ABCDEFGHIJK#", "#"])
def test_patterns_keep_their_literals_and_classes(pattern):
    import re

    from synth_magic._syntax import PATTERN_CLASSES
    from synth_magic.generators._kernels import fill_pattern

    regex = "".join(f"[{re.escape(PATTERN_CLASSES[ch].decode())}]" if ch in PATTERN_CLASSES else re.escape(ch)
                    for ch in pattern)
    for unique in (None, np.arange(5000, 7000)):
        out = fill_pattern(pattern, np.random.default_rng(1), 2000, unique, key=99).to_pylist()
        assert all(re.fullmatch(regex, value) for value in out), pattern
    assert fill_pattern(pattern, np.random.default_rng(1), 0).to_pylist() == []


@pytest.mark.parametrize("domain", [3, 1000, 9 * 10**9, 10**17])
def test_scramble_walks_its_last_values_alone_the_same_way(domain):
    from synth_magic.generators._kernels import _feistel, _round_keys, _walk

    keys = _round_keys(0xBEEF)
    half = ((domain - 1).bit_length() + 1) // 2
    start = np.arange(0, 4 << half, max(1, (4 << half) // 500), dtype=np.uint64) % np.uint64(1 << (2 * half))  # ~500 values, not 2**31
    for value in start.tolist():
        y = _feistel(np.array([value], np.uint64), half, keys)
        while y[0] >= domain:  # the vector walk, one value at a time
            y = _feistel(y, half, keys)
        assert _walk(value, domain, half, keys) == int(y[0])


@pytest.mark.parametrize("seed,keys", [
    (0, [[0], [1], [2**32 - 1]]),  # one-word keys, the smallest seed
    (42, [[123456789, c] for c in range(70)]),  # a column's chunks
    (2**63 - 1, [[7, 3, 1], [2**32 - 1, 0, 9], [0, 0, 0]]),  # the largest seed, masks' and messy keys
    (2**40 + 3, [[5, 6, 7, 8, 9]]),  # a two-word seed, a key longer than the pool
    (2**130 + 5, [[1, 2]]),  # a seed longer than the pool (mixed in after it)
])
def test_stream_states_seed_numpys_own_streams(seed, keys):
    from synth_magic.generators._base import stream_states, streamed

    for key, state in zip(keys, stream_states(seed, np.array(keys, dtype=np.int64)), strict=True):
        ours = streamed(state).integers(0, 2**63, 8)
        numpys = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=tuple(key))).integers(0, 2**63, 8)
        assert (ours == numpys).all(), (seed, key)


@pytest.mark.parametrize(("seed", "key"), [
    (0, ()), (42, (1,)), (7, (123456, 5, 3)),
    (9, (2**63 + 11, 0xA2C, 4)),  # a 64-bit key number is two words (a series' column key)
    (2**40 + 3, (0xFFFFFFFF, 2**32, 0)), (2**130 + 5, (1, 2)),
])
def test_one_stream_is_numpys_own(seed, key):
    from synth_magic.generators._base import stream

    ours = stream(seed, *key).integers(0, 2**63, 8)
    numpys = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=key)).integers(0, 2**63, 8)
    assert (ours == numpys).all()


def test_weighted_draws_follow_their_weights():
    from synth_magic.generators._kernels import Weighted

    weights = [5, 0, 1, 3, 1]
    idx = Weighted(weights).draw(np.random.default_rng(0), 200_000)
    share = np.bincount(idx, minlength=5) / len(idx)
    assert share[1] == 0
    assert np.allclose(share, np.array(weights) / sum(weights), atol=0.005)


# ----------------------------------------------------------------------- start-up

def _src() -> str:
    return str(Path(__file__).resolve().parents[1])


def test_import_is_light():
    code = (
        "import sys, synth_magic\n"
        "heavy = ['pandas', 'numpy', 'pyarrow', 'faker', 'openai', 'ipywidgets', 'IPython', 'diskcache']\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
    )
    env = {**os.environ, "PYTHONPATH": _src()}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True, timeout=60)
    assert out.stdout.strip() == "", f"import synth_magic loaded {out.stdout.strip()}"


def test_load_ext_is_light(tmp_path):
    pytest.importorskip("IPython")
    code = (
        "import sys\n"
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "shell = InteractiveShell.instance()\n"
        "before = set(sys.modules)\n"
        "shell.run_line_magic('load_ext', 'synth_magic')\n"
        "heavy = {'pandas', 'numpy', 'pyarrow', 'faker', 'openai', 'ipywidgets'}\n"
        "print(','.join(sorted(heavy & (set(sys.modules) - before))))\n"
    )
    env = {**os.environ, "PYTHONPATH": _src(), "IPYTHONDIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True, timeout=120)
    assert out.stdout.strip().splitlines()[-1:] in ([], [""]), f"%load_ext synth_magic loaded {out.stdout.strip()}"


def test_generated_frame_index_and_values_are_plain(finance):
    df = finance.generate(100, seed=1)
    assert isinstance(df.index, pd.RangeIndex) and df.index[0] == 0
    assert_series_equal(df["amount"], df["amount"].clip(1, 500))


# ------------------------------------------------------------------- messy data

MESSY = {"columns": [
    {"name": "id", "type": "id"}, {"name": "name", "type": "full_name"}, {"name": "email", "type": "email"},
    {"name": "phone", "type": "phone"}, {"name": "status", "type": "order_status"},
    {"name": "amount", "type": "money", "min": 1, "max": 500}, {"name": "qty", "type": "quantity"},
    {"name": "age", "type": "age"}, {"name": "joined", "type": "date"}, {"name": "vip", "type": "boolean"},
]}


@pytest.mark.parametrize("rate", [0.02, 0.05, 0.2])
def test_messy_data_comes_at_the_rate_asked_and_says_where(rate):
    schema = Schema.from_dict(MESSY)
    clean = schema.generate(20_000, seed=4)
    df = G.generate(schema.resolve(), 20_000, seed=4, messy=rate)
    cells = pd.DataFrame(df.attrs["synth"]["messy"]["cells"])
    spoilable = df.shape[0] * (df.shape[1] - 1)  # the id stays as it is
    assert 0.8 * rate < (cells["column"] != "*").sum() / spoilable < 1.2 * rate
    assert 0.8 * rate / 5 < (cells["problem"] == "duplicate").sum() / len(df) < 1.2 * rate / 5
    assert set(cells["problem"]) == {"typo", "case", "spaces", "format", "missing", "outlier", "impossible",
                                     "duplicate"}
    dups = cells[cells["column"] == "*"]
    sources = dups["clean"].str.rsplit(" ", n=1).str[1].astype(int).to_numpy()
    assert (sources < dups["row"].to_numpy()).all()
    spoiled = set(cells["row"][cells["column"] != "*"])
    plain = [i for i, r in enumerate(dups["row"]) if r not in spoiled][:200]  # copies not spoiled since
    assert (df.iloc[dups["row"].to_numpy()[plain]].astype(str).to_numpy()
            == clean.iloc[sources[plain]].astype(str).to_numpy()).all()
    for column, group in cells[cells["column"] != "*"].groupby("column"):
        now = df.loc[group["row"], column]
        missing = (group["problem"] == "missing").to_numpy()
        assert now[missing].isna().all(), column
        changed = now[~missing].astype(str).to_numpy() != group["clean"][~missing].astype(str).to_numpy()
        assert changed.all(), column
    untouched = ~df.index.isin(cells["row"])  # and nothing else changed
    pd.testing.assert_frame_equal(df[untouched].astype(str), clean[untouched].astype(str))


def test_messy_problems_fit_their_columns():
    df = G.generate(Schema.from_dict(MESSY).resolve(), 20_000, seed=8, messy=0.1)
    cells = pd.DataFrame(df.attrs["synth"]["messy"]["cells"])
    by = cells.groupby("column")["problem"].agg(set)
    assert by["amount"] <= {"outlier", "impossible", "missing"} and by["vip"] == {"missing"}
    assert by["phone"] >= {"format"} and "case" not in by["phone"]
    assert by["joined"] <= {"impossible", "missing"} and "id" not in by
    impossible_ages = cells[(cells["column"] == "age") & (cells["problem"] == "impossible")]["row"]
    assert (df.loc[impossible_ages, "age"] < 0).all()  # an age below zero
    assert {"DELIVERED", "delivered "} & set(df["status"].cat.categories)  # inconsistent spellings
    assert str(df["qty"].dtype) == "Int64" and str(df["vip"].dtype) == "boolean"


def test_messy_is_reproducible_prefix_stable_and_a_schema_field():
    text = "messy: 0.05\ncolumns:\n  name: full_name\n  amount: money\n"
    schema = Schema.from_text(text)
    assert schema.messy == 0.05 and Schema.from_text(schema.to_text()).messy == 0.05
    a, b = schema.generate(30_000, seed=1), schema.generate(20_000, seed=1)
    pd.testing.assert_frame_equal(a.iloc[:20_000], b)
    assert a.attrs["synth"]["messy"]["cells"]["row"][:5] == b.attrs["synth"]["messy"]["cells"]["row"][:5]
    streamed = pd.concat(G.frames(schema.resolve(), 30_000, seed=1))
    pd.testing.assert_frame_equal(streamed, a)
    assert "messy" not in Schema.from_dict({"columns": [{"name": "x", "type": "uuid"}]}).generate(10).attrs["synth"]


def test_messy_is_a_run_option_and_an_argument_of_synth():
    from synth_magic import InputError, options, synth

    assert options.parse("messy", "5%") == 0.05 and options.parse("messy", "0.1") == 0.1
    with pytest.raises(InputError, match="^messy must be a share of the cells from 0 to 0.5"):
        options.parse("messy", "0.9")
    text = "columns:\n  name: full_name\n  amount: money\n"
    df = synth(text, rows=2000, seed=3, messy=0.1)
    assert df.attrs["synth"]["messy"]["rate"] == 0.1 and len(df.attrs["synth"]["messy"]["cells"]["row"]) > 100


# ---------------------------------------------------------------- threads

_TYPE_PARAMS = {"category": {"values": ["a", "b", "c"], "weights": [5, 3, 2]},
                "formula": {"expr": "integer * 2 + float"}, "integer": {"min": 0, "max": 10**9, "unique": True},
                "uuid": {"unique": True}, "code": {"pattern": "X-##########", "unique": True},
                "ohlc": {"close": "series"}}
# One column of every catalogue type (every third with missing values); rows that hold
# together (a place per row, values chosen by another column, correlated numbers, series
# per entity, OHLC bars); and the finance table made messy.
THREADED = {
    "every type": ({"locale": "en_US", "columns": [
        {"name": name, "type": name, **_TYPE_PARAMS.get(name, {}), **({"null_rate": 0.2} if i % 3 == 0 else {})}
        for i, name in enumerate(C.TYPES)]}, 0.0),
    "together": ({"locale": "en_US", "columns": [
        {"name": "store", "type": "city", "entities": 7},
        {"name": "day", "type": "date", "start": "2024-01-01", "step": "1d", "entity": "store"},
        {"name": "level", "type": "category", "values": ["junior", "mid", "senior"], "weights": [5, 3, 2]},
        {"name": "salary", "type": "money", "by": "level", "mean": {"junior": 45000, "mid": 65000, "senior": 90000}},
        {"name": "bonus", "type": "float", "min": 0, "max": 1e5, "correlate": {"salary": 0.6}},
        {"name": "sales", "type": "series", "entity": "store", "walk": "additive", "noise": 2, "min": 0},
        {"name": "temp", "type": "series", "entity": "store", "time": "day", "season": "weekly", "ar": 0.9},
        {"name": "close", "type": "series", "entity": "store", "walk": "geometric", "level": 50},
        {"name": "open", "type": "ohlc", "part": "open", "close": "close"},
        {"name": "high", "type": "ohlc", "part": "high", "close": "close", "open": "open"},
        {"name": "street", "type": "street_address"}, {"name": "town", "type": "city"},
        {"name": "zip", "type": "postcode"}, {"name": "phone", "type": "phone", "null_rate": 0.1},
    ]}, 0.0),
    "messy finance": (FINANCE, 0.1),
}


def assert_same_frame(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Equal columns, dtypes, index and values (categoricals by categories and codes: pandas
    compares categorical values one Python object at a time, seconds per column)."""
    assert list(got.columns) == list(expected.columns) and got.index.equals(expected.index)
    for name in expected.columns:
        a, b = got[name], expected[name]
        assert a.dtype == b.dtype, name
        if isinstance(b.dtype, pd.CategoricalDtype):
            assert a.cat.categories.equals(b.cat.categories) and a.cat.codes.equals(b.cat.codes), name
        else:
            assert a.equals(b), name


@pytest.mark.parametrize("name", sorted(THREADED))
def test_any_number_of_threads_gives_the_same_rows(name, monkeypatch):
    data, messy = THREADED[name]
    plan = schema(data).resolve()
    rows = 3 * CHUNK + 5  # four chunks: the last one cut
    made = {}
    for threads in ("1", "3"):
        monkeypatch.setenv("SYNTH_THREADS", threads)
        made[threads] = G.generate(plan, rows, seed=11, messy=messy)
    assert_same_frame(made["3"], made["1"])
    assert made["3"].attrs == made["1"].attrs  # what was made messy, too
    streamed = list(G.frames(plan, rows, seed=11, rows_per_frame=2 * CHUNK, messy=messy))  # with 3 threads
    assert_same_frame(pd.concat(streamed), made["1"])


def test_chunks_made_out_of_order_give_the_same_series(monkeypatch):
    """A series' boundary chain is kept per chunk: a chunk made before an earlier one
    (another thread, a Dask partition) still continues the same path."""
    monkeypatch.setenv("SYNTH_THREADS", "1")
    plan = schema(THREADED["together"][0]).resolve()
    rows = 5 * CHUNK
    whole = G.generate(plan, rows, seed=3)
    for first in (4, 1, 3, 0, 2):
        part = G.frame_of_chunks(plan, rows, 3, first, first + 1)
        assert_same_frame(part, whole.iloc[first * CHUNK:(first + 1) * CHUNK])


@pytest.mark.parametrize("value", ["0", "-1", "two", "257", "1.5"])
def test_a_bad_thread_count_is_refused_in_one_sentence(value, monkeypatch):
    from synth_magic import ConfigError

    monkeypatch.setenv("SYNTH_THREADS", value)
    with pytest.raises(ConfigError, match=r"^SYNTH_THREADS must be a whole number of threads from 1 to 256, not "):
        G.generate(schema(FINANCE).resolve(), 2 * CHUNK, seed=1)


# ---------------------------------------------------------------- a cut chunk made without waste

def _one_chunk(plan, type_: str, n: int):
    """The values of column ``type_`` in chunk 0 made ``n`` rows long (the columns before it too)."""
    from synth_magic.generators import GENERATORS, Ctx, column_key

    values, aux = {}, {}
    for col in plan.columns:
        rng = np.random.default_rng(np.random.SeedSequence(7, spawn_key=(col.key, 0)))
        ctx = Ctx(rng=rng, n=n, start=0, locale=plan.locale, cols=values, aux=aux, unique=col.unique,
                  key=column_key(7, col.key), name=col.name, seed=7, chunk=0, span=CHUNK)
        values[col.name] = GENERATORS[col.type].make(ctx, col.params)
    out = values[type_]
    return out.to_pylist() if hasattr(out, "to_pylist") else np.asarray(out).tolist()


_NEEDS = {"formula": [{"name": "integer", "type": "integer"}, {"name": "float", "type": "float"}],
          "ohlc": [{"name": "series", "type": "series"}]}


@pytest.mark.parametrize("type_", sorted(C.TYPES))
def test_the_types_that_make_their_first_values_alone_are_exactly_those_declared(type_):
    """``Generator.prefix`` is a promise: k rows made alone equal the first k of a whole
    chunk; and the types not declared really need the whole chunk (else declare them)."""
    from synth_magic.generators import PREFIX

    cols = [*_NEEDS.get(type_, []), {"name": type_, "type": type_, **_TYPE_PARAMS.get(type_, {})}]
    plan = schema({"locale": "de_DE", "columns": cols}).resolve()
    whole = _one_chunk(plan, type_, CHUNK)
    alone = all(_one_chunk(plan, type_, k) == whole[:k] for k in (1, 37, 1000))
    assert alone == (type_ in PREFIX)


# Columns whose types make their first values alone, with settings that read other columns.
SHORT = {"locale": "en_US", "columns": [
    {"name": "id", "type": "id"}, {"name": "ref", "type": "code", "pattern": "R-#####", "unique": True},
    {"name": "level", "type": "category", "values": ["junior", "mid", "senior"], "weights": [5, 3, 2]},
    {"name": "pay", "type": "integer", "by": "level", "min": {"junior": 1, "*": 50}, "max": {"junior": 9, "*": 99}},
    {"name": "remote", "type": "boolean", "by": "level", "p_true": {"junior": 0.1, "*": 0.7}, "null_rate": 0.2},
    {"name": "gender", "type": "gender"}, {"name": "first", "type": "first_name"},
    {"name": "name", "type": "full_name"}, {"name": "her_name", "type": "full_name", "gender": "female"},
    {"name": "born", "type": "birth_date"}, {"name": "age", "type": "age", "derive_from": "born"},
    {"name": "store", "type": "city", "entities": 9}, {"name": "state", "type": "state"},
    {"name": "tick", "type": "datetime", "step": "1h", "entity": "store"},
    {"name": "zip", "type": "postcode", "null_rate": 0.1}, {"name": "lat", "type": "latitude"},
    {"name": "ordered", "type": "date"}, {"name": "shipped", "type": "date", "after": "ordered"},
    {"name": "seen", "type": "datetime", "step": "1min"}, {"name": "double", "type": "formula", "expr": "pay * 2"},
    {"name": "company", "type": "company"}, {"name": "uuid", "type": "uuid"},
]}


@pytest.mark.parametrize("small", [1, 1000, CHUNK - 1, CHUNK + 5])
def test_a_cut_chunk_made_alone_equals_the_first_rows_of_a_bigger_request(small):
    plan = schema(SHORT).resolve()
    assert all(G._prefix_stable(c) for c in plan.columns)  # the short way is taken
    assert_same_frame(G.generate(plan, small, seed=5), G.generate(plan, 2 * CHUNK + 3, seed=5).iloc[:small])


@pytest.mark.parametrize(("change", "short"), [
    ({}, True),
    ({"distribution": "normal"}, True),  # truncated by its inverse CDF: one uniform per value
    ({"distribution": "poisson"}, False),  # tails beyond min..max drawn again: depends on the chunk
    ({"correlate": {"id": 0.5}}, False),  # reordered by the ranks of the whole chunk
    ({"distribution": "uniform", "null_rate": 0.3}, True),
])
def test_only_columns_that_can_are_made_short(change, short, monkeypatch):
    from synth_magic.generators import GENERATORS

    plan = schema({"columns": [{"name": "id", "type": "id"},
                               {"name": "x", "type": "float", "min": 0, "max": 10, **change}]}).resolve()
    lengths = []
    real = GENERATORS["float"]
    monkeypatch.setitem(GENERATORS, "float", real.__class__(
        lambda ctx, p: lengths.append(ctx.n) or real.make(ctx, p), real.domain, real.prefix))
    part = G.generate(plan, 1000, seed=2)
    assert lengths == [1000 if short else CHUNK]
    assert_same_frame(part, G.generate(plan, CHUNK + 1, seed=2).iloc[:1000])


def test_a_given_name_that_follows_a_gender_column_is_made_short_too():
    plan = schema({"columns": [{"name": "gender", "type": "gender"},
                               {"name": "first", "type": "first_name", "gender_from": "gender"}]}).resolve()
    assert G._prefix_stable(plan.columns[1])
    assert_same_frame(G.generate(plan, 1000, seed=2), G.generate(plan, CHUNK + 1, seed=2).iloc[:1000])
