"""The type catalogue: every type generates its dtype and honours its parameters."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from synth_magic import catalog as C
from synth_magic.schema import Column, Schema

ROWS = 3000


def spearman(a: pd.Series, b: pd.Series) -> float:
    return float(a.rank().corr(b.rank()))


def frame(*columns: Column, rows: int = ROWS, seed: int = 7, locale: str = "en_US") -> pd.DataFrame:
    return Schema(list(columns), locale=locale).generate(rows, seed=seed)


def one(type_: str, rows: int = ROWS, **params) -> pd.Series:
    helper = [Column("p", "series")] if "p" in params.values() else []  # a column 'x' reads
    return frame(*helper, Column("x", type_, params), rows=rows)["x"]


EXPECTED_DTYPE = {
    C.STRING: lambda s: s.dtype == "str",
    C.INT: lambda s: s.dtype == np.int64,
    C.FLOAT: lambda s: s.dtype == np.float64,
    C.BOOL: lambda s: s.dtype == bool,
    C.DATETIME: lambda s: str(s.dtype) == "datetime64[s]",
    C.DATE: lambda s: str(s.dtype) == "datetime64[s]" and (s.dt.normalize() == s).all(),
    C.CATEGORY: lambda s: isinstance(s.dtype, pd.CategoricalDtype),
}
REQUIRED = {"category": {"values": ["a", "b"]}, "formula": {"expr": "1 + 1"}, "ohlc": {"close": "p"}}
CONSTANT = {"formula", "country", "country_code"}  # "1 + 1" is one value; places lie in the locale's country


@pytest.mark.parametrize("type_", sorted(C.TYPES))
def test_every_type_generates_its_dtype_without_nulls(type_):
    s = one(type_, rows=500, **REQUIRED.get(type_, {}))
    assert len(s) == 500
    assert EXPECTED_DTYPE[C.TYPES[type_].kind](s), f"{type_} gave {s.dtype}"
    assert not s.isna().any(), f"{type_} produced missing values without a null_rate"
    if type_ not in CONSTANT:
        assert s.nunique() > 1, f"{type_} gave a single value"
    if s.dtype == "str":
        assert (s.str.len() > 0).all()


@pytest.mark.parametrize("type_", sorted(C.TYPES))
def test_every_type_is_deterministic(type_):
    params = REQUIRED.get(type_, {})
    a = one(type_, rows=300, **params)
    b = one(type_, rows=300, **params)
    pd.testing.assert_series_equal(a, b)


@pytest.mark.parametrize(
    ("type_", "params", "lo", "hi"),
    [
        ("integer", {"min": 5, "max": 9}, 5, 9),
        ("integer", {"min": 0, "max": 100, "distribution": "normal"}, 0, 100),
        ("integer", {"min": 1, "max": 20, "distribution": "poisson", "mean": 4}, 1, 20),
        ("float", {"min": -3.5, "max": 2.25}, -3.5, 2.25),
        ("float", {"min": 0, "max": 10, "distribution": "exponential"}, 0, 10),
        ("money", {"min": 1, "max": 500}, 1, 500),
        ("money", {"min": 100, "max": 100000, "distribution": "lognormal", "mean": 3000}, 100, 100000),
        ("percent", {}, 0, 100),
        ("rating", {"min": 1, "max": 5}, 1, 5),
        ("quantity", {"min": 1, "max": 6}, 1, 6),
        ("age", {"min": 30, "max": 40}, 30, 40),
        ("year", {"min": 1990, "max": 1999}, 1990, 1999),
        ("latitude", {"min": 40, "max": 41}, 40, 41),
        ("duration", {"min": 5, "max": 60}, 5, 60),
    ],
)
def test_numbers_stay_in_range(type_, params, lo, hi):
    s = one(type_, **params)
    assert s.min() >= lo and s.max() <= hi
    assert s.nunique() > 1


def test_distributions_have_their_shape():
    uniform = one("float", min=0, max=100)
    normal = one("float", min=0, max=100, distribution="normal")
    lognormal = one("money", min=1, max=1000, distribution="lognormal")
    assert abs(uniform.mean() - 50) < 3 and uniform.std() > 25
    assert abs(normal.mean() - 50) < 2 and normal.std() < 20
    assert lognormal.median() < lognormal.mean() < 400  # right-skewed
    assert one("money", min=1, max=500, decimals=2).mul(100).round(6).mod(1).eq(0).all()


def test_truncated_shapes_keep_their_figures():
    """Shapes are truncated to the range by their inverse CDF: medians where the shape puts
    them, every value inside, and a centre far outside the range spread over it evenly."""
    price = one("money", rows=20000, min=2, max=800, distribution="lognormal", mean=45)
    assert price.between(2, 800).all() and 30 < price.median() < 37 and 42 < price.mean() < 48
    tight = one("float", rows=20000, min=0, max=10, distribution="normal", mean=9.5, std=3)
    assert tight.between(0, 10).all() and 7.4 < tight.median() < 8.1  # the upper tail cut at 10
    wait = one("float", rows=20000, min=0, max=100, distribution="exponential")
    assert wait.between(0, 100).all() and 15.5 < wait.median() < 18.5
    far = one("integer", rows=20000, min=0, max=100, distribution="normal", mean=500)
    assert 45 < far.median() < 55 and far.min() < 5 and far.max() > 95  # never piled on a bound


# (column settings, whether its first values are made alone), after the columns of PREFIX_BEFORE.
PREFIX_BEFORE = [{"name": "gender", "type": "gender"}, {"name": "score", "type": "float"},
                 {"name": "level", "type": "category", "values": ["junior", "senior"]},
                 {"name": "merchant", "type": "company"}]
PREFIX_SETTINGS = [
    ({"type": "money", "min": 1, "max": 500, "distribution": "lognormal", "mean": 60}, True),
    ({"type": "integer", "min": 0, "max": 100, "distribution": "normal", "mean": 500}, True),
    ({"type": "float", "min": 0, "max": 10, "distribution": "normal"}, True),
    ({"type": "float", "min": 0, "distribution": "exponential", "mean": 3}, True),
    ({"type": "money", "by": "level", "mean": {"junior": 50, "*": 70}, "max": {"junior": 300, "*": 900}}, True),
    ({"type": "integer", "min": 0, "max": 12, "distribution": "poisson", "mean": 10}, False),
    ({"type": "float", "min": 0, "max": 10, "correlate": {"score": 0.5}}, False),
    ({"type": "first_name", "gender_from": "gender"}, True),
    ({"type": "full_name", "gender_from": "gender"}, True),
    ({"type": "email"}, True), ({"type": "username"}, True),
    ({"type": "email", "derive_from": "merchant"}, True),
    ({"type": "code", "pattern": "??-%###-*"}, True), ({"type": "sku"}, True),
    ({"type": "account_number", "digits": 18}, True), ({"type": "product_name"}, True),
    ({"type": "url"}, True), ({"type": "ipv4"}, True),
]


@pytest.mark.parametrize(("settings", "alone"), PREFIX_SETTINGS, ids=lambda v: str(v)[:60])
def test_prefix_stable_says_which_settings_make_their_first_values_alone(settings, alone):
    from synth_magic.generate import CHUNK
    from synth_magic.generators import prefix_stable
    from test_generate import _one_chunk  # a column's values in chunk 0, made n rows long

    plan = Schema.from_dict({"columns": [*PREFIX_BEFORE, {"name": "x", **settings}]}).resolve()
    x = plan.columns[-1]
    whole = _one_chunk(plan, "x", CHUNK)
    assert all(_one_chunk(plan, "x", k) == whole[:k] for k in (1, 37, 1000)) == alone
    assert prefix_stable(x.type, x.params) == alone


def test_boolean_share_and_category_weights():
    flags = one("boolean", rows=20000, p_true=0.02)
    assert 0.01 < flags.mean() < 0.03
    cats = one("category", rows=20000, values=["x", "y", "z"], weights=[0.7, 0.2, 0.1])
    share = cats.value_counts(normalize=True)
    assert list(cats.cat.categories) == ["x", "y", "z"]
    assert abs(share["x"] - 0.7) < 0.02 and abs(share["z"] - 0.1) < 0.02


def test_dates_stay_in_their_window_and_follow_other_dates():
    df = frame(
        Column("ordered", "datetime", {"start": "2024-03-01", "end": "2024-03-31 23:59:59"}),
        Column("shipped", "date", {"after": "ordered", "min_gap": "1d", "max_gap": "5d"}),
        Column("ticks", "datetime", {"start": "2024-01-01", "step": "1min"}),
        Column("born", "birth_date", {"min_age": 20, "max_age": 30, "as_of": "2025-12-31"}),
        Column("age", "age", {"derive_from": "born", "as_of": "2025-12-31"}),
    )
    assert df["ordered"].min() >= pd.Timestamp("2024-03-01")
    assert df["ordered"].max() <= pd.Timestamp("2024-03-31 23:59:59")
    gap = df["shipped"] - df["ordered"].dt.normalize()
    assert (gap >= pd.Timedelta(days=0)).all() and (gap <= pd.Timedelta(days=5)).all()
    assert (df["ticks"].diff().dropna() == pd.Timedelta(minutes=1)).all()
    assert df["ticks"].iloc[0] == pd.Timestamp("2024-01-01")
    assert df["age"].between(20, 30).all()
    expected = ((pd.Timestamp("2025-12-31") - df["born"]).dt.days / 365.2425).astype(int)
    assert (df["age"] == expected).all()


@pytest.mark.parametrize("n", [0, 1, 7, 16384])
def test_a_uuid_is_its_rows_sixteen_drawn_bytes(n):
    """Each row spells the stream's next 16 bytes (as eight 16-bit groups) with the
    version-4 and RFC 4122 variant bits set, as Python's uuid module reads them."""
    import uuid

    from synth_magic.generators import GENERATORS, Ctx

    ctx = Ctx(rng=np.random.default_rng(5), n=n, start=0, locale="en_US", cols={}, aux={}, unique=False,
              key=1, name="id")
    made = GENERATORS["uuid"].make(ctx, {}).to_pylist()
    groups = np.random.default_rng(5).integers(0, 1 << 16, (n, 8), dtype=np.uint16)
    groups[:, 3] = groups[:, 3] & 0x0FFF | 0x4000
    groups[:, 4] = groups[:, 4] & 0x3FFF | 0x8000
    expected = [str(uuid.UUID("".join(f"{g:04x}" for g in row))) for row in groups]
    assert made == expected
    assert all(uuid.UUID(u).version == 4 and uuid.UUID(u).variant == uuid.RFC_4122 for u in made)


def test_the_normal_quantile_is_the_inverse_cdf_in_the_middle_and_both_tails():
    from statistics import NormalDist

    from synth_magic.generators._by import normal_quantile

    u = np.array([1e-300, 1e-12, 0.001, 0.02424, 0.02425, 0.3, 0.5, 0.7, 0.97575, 0.97576, 0.999, 1 - 1e-12])
    exact = np.array([NormalDist().inv_cdf(v) for v in u])
    assert np.allclose(normal_quantile(u), exact, rtol=2e-9, atol=1e-12)
    assert normal_quantile(np.array(0.5)) == 0.0  # a single number too


def test_time_of_day_is_within_hours():
    s = one("time", start="09:00", end="17:30")
    assert s.str.fullmatch(r"\d\d:\d\d:\d\d").all()
    assert s.min() >= "09:00:00" and s.max() <= "17:30:00"


def test_identifiers_are_well_formed():
    uuids = one("uuid")
    assert uuids.str.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}").all()
    codes = one("code", pattern="ORD-%####-??")
    assert codes.str.fullmatch(r"ORD-[1-9]\d{4}-[A-Z]{2}").all()
    assert one("account_number", digits=12).str.fullmatch(r"[1-9]\d{11}").all()
    ids = one("id", start=100, step=5)
    assert ids.iloc[0] == 100 and (ids.diff().dropna() == 5).all()


def _luhn_ok(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _iban_ok(iban: str) -> bool:
    moved = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def _isbn_ok(isbn: str) -> bool:
    return sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(isbn)) % 10 == 0


def test_check_digits_are_valid():
    cards = one("credit_card_number", rows=500)
    assert cards.map(_luhn_ok).all() and cards.str.startswith("4").all()
    amex = one("credit_card_number", rows=200, provider="American Express")
    assert amex.str.len().eq(15).all() and amex.map(_luhn_ok).all()
    ibans = frame(Column("iban", "iban"), rows=500, locale="de_DE")["iban"]
    assert ibans.str.fullmatch(r"DE\d{20}").all() and ibans.map(_iban_ok).all()
    assert one("isbn", rows=500).map(_isbn_ok).all()


def test_internet_values_are_well_formed():
    ips = one("ipv4")
    octets = ips.str.split(".", expand=True).astype(int)
    assert octets.shape[1] == 4 and octets.min().min() >= 0 and octets.max().max() <= 255
    assert one("ipv6").str.fullmatch(r"([0-9a-f]{4}:){7}[0-9a-f]{4}").all()
    assert one("mac_address").str.fullmatch(r"([0-9a-f]{2}:){5}[0-9a-f]{2}").all()
    assert one("hex_color").str.fullmatch(r"#[0-9a-f]{6}").all()
    assert one("url").str.startswith("https://www.").all()
    assert set(one("http_status").unique()) <= {200, 201, 204, 301, 302, 304, 400, 401, 403, 404, 429, 500, 502, 503}


def test_names_come_from_the_locale_and_agree_with_gender():
    from faker.providers.person.de_DE import Provider as German

    df = frame(Column("gender", "gender", {"values": ["female", "male"]}),
               Column("first", "first_name", {"gender_from": "gender"}),
               Column("name", "full_name"), locale="de_DE")
    assert df["first"].isin(set(German.first_names_female) | set(German.first_names_male)).all()
    women = df.loc[df["gender"] == "female", "first"]
    assert women.isin(set(German.first_names_female)).mean() > 0.95
    last = df["name"].str.split(" ").str[-1]
    assert last.isin(set(German.last_names)).mean() > 0.95


def test_email_follows_the_name_column():
    df = frame(Column("name", "full_name"), Column("email", "email", {"derive_from": "name"}))
    first = df["name"].str.split(" ").str[0].str.lower().str.replace(r"[^a-z]", "", regex=True)
    last = df["name"].str.split(" ").str[-1].str.lower().str.replace(r"[^a-z]", "", regex=True)
    local = df["email"].str.split("@").str[0]
    matches = [ln.startswith(f) or ln.startswith(f[0]) and la in ln for ln, f, la in zip(local, first, last, strict=True)]
    assert np.mean(matches) > 0.99
    assert df["email"].str.fullmatch(r"[a-z0-9._]+@[a-z0-9.-]+\.[a-z]+").all()
    fixed = frame(Column("email", "email", {"domain": "example.org"}))["email"]
    assert fixed.str.endswith("@example.org").all()


def test_text_types_have_words_and_shape():
    sentences = one("sentence", min_words=3, max_words=5)
    counts = sentences.str.split().str.len()
    assert counts.between(3, 5).all() and sentences.str.endswith(".").all()
    titles = one("title", min_words=2, max_words=4)
    assert (titles.str[0].str.isupper()).all()
    paragraphs = one("paragraph", rows=200, min_sentences=2, max_sentences=3)
    assert paragraphs.str.count(r"\.").between(2, 3).all()


def test_unique_columns_never_repeat():
    df = frame(
        Column("a", "code", {"pattern": "A-####"}, unique=True),
        Column("b", "integer", {"min": 1, "max": 5000}, unique=True),
        Column("c", "email", unique=True),
        Column("d", "category", {"values": [str(i) for i in range(1000)]}, unique=True),
        Column("e", "date", {"start": "2000-01-01", "end": "2020-01-01"}, unique=True),
        rows=1000,
    )
    for name in "abcde":
        assert df[name].is_unique, name


def test_null_rate_is_respected_and_gives_nullable_dtypes():
    df = frame(
        Column("i", "integer", null_rate=0.3),
        Column("b", "boolean", null_rate=0.3),
        Column("s", "city", null_rate=0.3),
        Column("d", "date", null_rate=0.3),
        Column("c", "category", {"values": ["x", "y"]}, null_rate=0.3),
        rows=10000,
    )
    assert str(df["i"].dtype) == "Int64" and str(df["b"].dtype) == "boolean"
    for name in df:
        assert 0.27 < df[name].isna().mean() < 0.33, name


_EVERY_LOCALE = """
import warnings
from synth_magic import catalog as C
from synth_magic._inputs import available_locales
from synth_magic.generators import _pools as pools
from synth_magic.schema import Column, Schema

pools.POOL_SIZE = 20  # small pools: this is about every locale working
warnings.simplefilter("ignore", UserWarning)  # Faker: fr_QC is deprecated
columns = [Column(t, t) for t in C.TYPES if C.TYPES[t].kind == C.STRING]
for locale in available_locales():
    df = Schema(columns, locale=locale).generate(3, seed=1)
    assert not df.isna().any().any(), locale
print("ok", len(available_locales()))
"""


def test_every_locale_generates_every_string_type():
    """Locales whose Faker lacks a provider (en_PH: no phone numbers) borrow en_US's pool.

    Run in its own process: the shrunken pools must not reach any other test's caches.
    """
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    done = subprocess.run([sys.executable, "-c", _EVERY_LOCALE], capture_output=True, text=True, env=env,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("ok ")


# ---------------------------------------------------------------- identifiers follow the seed

@pytest.mark.parametrize(("type_", "params"), [
    ("code", {"pattern": "TKT-######"}), ("account_number", {}), ("ipv4", {}), ("isbn", {}),
    ("username", {}), ("integer", {"min": 0, "max": 10**9}),
])
def test_unique_identifiers_differ_between_seeds_and_never_repeat(type_, params):
    cols = [Column("x", type_, params, unique=True)]
    a = frame(*cols, rows=40_000, seed=1)["x"]
    b = frame(*cols, rows=40_000, seed=2)["x"]
    assert a.is_unique and b.is_unique  # across the chunks (16,384 rows each) too
    assert (a.to_numpy() != b.to_numpy()).mean() > 0.99, "two seeds gave the same identifiers"
    assert len(set(a) & set(b)) < 0.05 * len(a)  # no more shared than chance (TKT-######: 1.6k in 40k)


# ---------------------------------------------------------------- dependent columns

LEVELS = Column("level", "category", {"values": ["junior", "mid", "senior"], "weights": [5, 3, 2]})
DEPENDENT = [
    # (column, its per-value parameter, the order its medians must follow)
    (Column("salary", "money", {"by": "level", "mean": {"junior": 45000, "mid": 65000, "senior": 90000}}),
     ["junior", "mid", "senior"]),
    (Column("salary", "money", {"by": "level", "min": {"senior": 100, "*": 10}, "max": {"senior": 200, "*": 50}}),
     ["junior", "senior"]),
    (Column("years", "integer", {"by": "level", "distribution": "normal",
                                 "mean": {"junior": 2, "mid": 6, "senior": 12}, "std": {"*": 1}}),
     ["junior", "mid", "senior"]),
    (Column("bonus", "float", {"by": "level", "distribution": "exponential", "min": 0, "max": 1e6,
                               "mean": {"senior": 5000, "mid": 2000, "junior": 500}}),
     ["junior", "mid", "senior"]),
    (Column("remote", "boolean", {"by": "level", "p_true": {"junior": 0.1, "mid": 0.4, "senior": 0.8}}),
     ["junior", "mid", "senior"]),
]


@pytest.mark.parametrize(("column", "order"), DEPENDENT, ids=lambda x: x.name if isinstance(x, Column) else "")
def test_dependent_medians_follow_the_declared_order(column, order):
    df = frame(LEVELS, column, rows=20_000)
    by = df.groupby("level", observed=True)[column.name]
    centre = by.mean() if column.type == "boolean" else by.median()
    assert list(centre[order]) == sorted(centre[order]), centre
    assert centre[order].iloc[-1] > 1.2 * centre[order].iloc[0]


def test_dependent_numbers_are_drawn_around_their_own_centre():
    df = frame(LEVELS, DEPENDENT[0][0], rows=20_000)
    mean = df.groupby("level", observed=True)["salary"].mean()
    for level, want in {"junior": 45000, "mid": 65000, "senior": 90000}.items():
        assert abs(mean[level] / want - 1) < 0.05, (level, mean[level])
    assert df["salary"].min() >= 1


def test_subcategory_belongs_to_its_category_and_other_values_fall_back():
    sub = Column("sub", "category", {"by": "cat", "values": {"Electronics": ["Phones", "Laptops"],
                                                            "Clothing": ["Shirts", "Shoes"], "*": ["Misc"]},
                                     "weights": {"Electronics": [3, 1]}})
    cat = Column("cat", "category", {"values": ["Electronics", "Clothing", "Toys"]})
    df = frame(cat, sub, rows=20_000)
    pairs = set(zip(df["cat"], df["sub"], strict=True))
    assert pairs == {("Electronics", "Phones"), ("Electronics", "Laptops"), ("Clothing", "Shirts"),
                     ("Clothing", "Shoes"), ("Toys", "Misc")}
    phones = (df["sub"] == "Phones").sum() / (df["cat"] == "Electronics").sum()
    assert 0.72 < phones < 0.78  # weights 3:1 within Electronics
    assert list(df["sub"].cat.categories) == ["Phones", "Laptops", "Shirts", "Shoes", "Misc"]


def test_diagnosis_by_age_band_and_sex():
    cols = [Column("age", "age", {"min": 0, "max": 99}),
            Column("sex", "category", {"values": ["F", "M"]}),
            Column("dx", "category", {"by": ["age", "sex"], "values": {
                "<18|*": ["asthma"], "65+|F": ["osteoporosis", "arthritis"], "65+|M": ["prostate"],
                "*": ["flu"]}})]
    df = frame(*cols, rows=20_000)
    assert set(df.loc[df["age"] < 18, "dx"]) == {"asthma"}
    assert set(df.loc[(df["age"] >= 65) & (df["sex"] == "F"), "dx"]) == {"osteoporosis", "arthritis"}
    assert set(df.loc[(df["age"] >= 65) & (df["sex"] == "M"), "dx"]) == {"prostate"}
    assert set(df.loc[df["age"].between(18, 64), "dx"]) == {"flu"}


@pytest.mark.parametrize(("rho", "lo", "hi"), [(0.7, 0.65, 0.75), (-0.5, -0.56, -0.44), (0.95, 0.93, 0.97)])
def test_correlated_numbers_follow_their_drivers_and_keep_their_shape(rho, lo, hi):
    height = Column("height", "float", {"min": 140, "max": 200, "distribution": "normal"})
    weight = Column("weight", "float", {"min": 40, "max": 150, "distribution": "normal", "correlate": {"height": rho}})
    df = frame(height, weight, rows=20_000)
    alone = frame(Column("weight", "float", {"min": 40, "max": 150, "distribution": "normal"}), rows=20_000)
    assert lo < spearman(df["height"], df["weight"]) < hi
    assert abs(df["weight"].std() - alone["weight"].std()) < 0.5  # the same values, in another order


def test_target_follows_several_drivers():
    cols = [Column("a", "float"), Column("b", "integer", {"min": 0, "max": 1000}),
            Column("y", "money", {"correlate": {"a": 0.6, "b": -0.4}})]
    df = frame(*cols, rows=20_000)
    assert 0.55 < spearman(df["a"], df["y"]) < 0.65
    assert -0.45 < spearman(df["b"], df["y"]) < -0.35


# ---------------------------------------------------------------- dates relative to today

def today() -> pd.Timestamp:
    """The generator's today (UTC midnight), read when a test runs: a module constant went
    stale when a run crossed midnight."""
    return pd.Timestamp.now("UTC").normalize().tz_localize(None)


PAST_EVENTS = [
    Column("signed_up", "date"),
    Column("seen", "datetime"),
    Column("last_login", "datetime", {"after": "signed_up", "max_gap": "30d", "end": "today"}),
    Column("shipped", "date", {"after": "signed_up", "min_gap": "2d", "max_gap": "9d", "end": "today"}),
    Column("born", "birth_date"),
    Column("age", "age", {"derive_from": "born"}),
]


def test_default_windows_end_today_and_past_events_never_come_after_it():
    before = today()
    df = frame(*PAST_EVENTS, rows=20_000)
    after = today()  # the same day unless the frame was made across midnight
    for name in ("signed_up", "seen", "last_login", "shipped", "born"):
        assert df[name].max() <= after, name
    assert df["signed_up"].min() >= before - pd.Timedelta(days=366)
    assert df["seen"].max() > before - pd.Timedelta(days=3)  # the window reaches the present
    # an order shipped 2 to 9 days after it was placed: the last days' orders are not shipped yet
    recent = df["signed_up"] > after - pd.Timedelta(days=2)
    assert df.loc[recent, "shipped"].isna().all() and df.loc[~recent, "shipped"].notna().all()
    assert (df["shipped"] - df["signed_up"]).dropna().between(pd.Timedelta(days=2), pd.Timedelta(days=9)).all()
    assert df["age"].between(18, 80).all()


def test_a_date_without_an_end_may_follow_its_date_into_the_future():
    df = frame(Column("issued", "date"), Column("due", "date", {"after": "issued", "min_gap": "30d", "max_gap": "30d"}))
    assert df["due"].max() > today() and ((df["due"] - df["issued"]) == pd.Timedelta(days=30)).all()


# ---------------------------------------------------------------- date arithmetic

@pytest.mark.parametrize(("expr", "params", "check"), [
    ("discharged - admitted", {}, lambda df, x: np.allclose(x, (df.discharged - df.admitted).dt.total_seconds() / 86400, atol=0.005)),
    ("discharged - admitted", {"unit": "hours", "decimals": 0},
     lambda df, x: (x == ((df.discharged - df.admitted).dt.total_seconds() / 3600).round()).all()),
    ("(discharged - admitted) / days(1) * rate", {},
     lambda df, x: np.allclose(x, (df.discharged - df.admitted).dt.total_seconds() / 86400 * df.rate, atol=0.01)),
    ("hours * rate", {}, lambda df, x: np.allclose(x, df.hours * df.rate, atol=0.01)),  # a column named hours
])
def test_formulas_over_dates_give_durations(expr, params, check):
    df = frame(Column("admitted", "datetime", {"start": "2024-01-01", "end": "2024-12-31"}),
               Column("stay", "integer", {"min": 1, "max": 14}),
               Column("discharged", "datetime", {"expr": "admitted + days(stay) + hours(stay * 2)"}),
               Column("rate", "money", {"min": 100, "max": 900}), Column("hours", "float"),
               Column("x", "formula", {"expr": expr, **params}))
    assert check(df, df["x"])


def test_a_date_plus_a_duration_is_a_date():
    df = frame(Column("admitted", "datetime", {"start": "2024-01-01", "end": "2024-12-31"}),
               Column("stay", "integer", {"min": 1, "max": 14}, null_rate=0.2),
               Column("discharged", "datetime", {"expr": "admitted + days(stay) + hours(3)"}),
               Column("follow_up", "date", {"expr": "discharged + weeks(2)"}))
    known = df["stay"].notna()
    want = df["admitted"] + pd.to_timedelta(df["stay"].astype(float) * 86400 + 3 * 3600, unit="s")
    assert (df.loc[known, "discharged"] == want[known]).all()
    assert df.loc[~known, ["discharged", "follow_up"]].isna().all().all()  # missing in, missing out
    assert (df.loc[known, "follow_up"] == (df.loc[known, "discharged"] + pd.Timedelta(weeks=2)).dt.normalize()).all()


# ---------------------------------------------------------------- series

SENSORS = [
    Column("sensor", "code", {"pattern": "SEN-####", "entities": 12}),
    Column("ts", "datetime", {"start": "2024-01-01", "step": "1h", "entity": "sensor"}),
    Column("temp", "series", {"entity": "sensor", "time": "ts", "level": 20, "season": "daily", "amplitude": 4,
                              "noise": 1, "ar": 0.8}),
]
PRICES = [
    Column("ticker", "stock_ticker", {"entities": 4}),
    Column("day", "date", {"start": "2024-01-02", "step": "1d", "entity": "ticker"}),
    Column("close", "series", {"entity": "ticker", "walk": "geometric", "level": 50, "noise": 0.02}),
    Column("open", "ohlc", {"part": "open", "close": "close"}),
    Column("high", "ohlc", {"part": "high", "close": "close", "open": "open"}),
    Column("low", "ohlc", {"part": "low", "close": "close", "open": "open"}),
]


def lag1(values: pd.Series) -> float:
    x = values.to_numpy(dtype=float)
    return float(np.corrcoef(x[:-1], x[1:])[0, 1])


@pytest.mark.parametrize(("columns", "entity", "value", "n", "autocorrelation"), [
    (SENSORS, "sensor", "temp", 12, 0.7),
    (PRICES, "ticker", "close", 4, 0.9),
    ([Column("store", "city", {"entities": 8}),
      Column("level", "series", {"entity": "store", "walk": "additive", "noise": 2})], "store", "level", 8, 0.9),
], ids=["smooth sensor", "price path", "random walk"])
def test_series_have_their_entities_in_order_and_run_smoothly_across_chunks(columns, entity, value, n, autocorrelation):
    df = frame(*columns, rows=60_000)  # 3.7 chunks: every series crosses chunk boundaries
    assert df[entity].nunique() == n
    assert (df[entity].iloc[:n].to_numpy() == df[entity].iloc[n:2 * n].to_numpy()).all()  # r is entity r % N
    for _, one in df.groupby(entity, sort=False)[value]:
        assert lag1(one) >= autocorrelation, lag1(one)
        steps = (np.log(one) if value == "close" else one).diff().dropna().abs()  # prices: relative steps
        assert steps.max() < 8 * steps.std()  # no jump where chunks meet
    time = next((c.name for c in columns if c.type in ("date", "datetime")), None)
    if time:
        per_entity = df.groupby(entity, sort=False)[time].diff().dropna()
        assert per_entity.nunique() == 1 and per_entity.iloc[0] > pd.Timedelta(0)


def test_a_sensor_follows_its_daily_season():
    df = frame(*SENSORS, rows=20_000)
    by_hour = df.groupby(df["ts"].dt.hour)["temp"].mean()
    assert by_hour.idxmax() in (14, 15, 16) and by_hour.idxmin() in (2, 3, 4)
    assert 3 < (by_hour.max() - by_hour.min()) / 2 < 5  # amplitude 4


def test_price_paths_keep_their_volatility_and_bars_bound_open_and_close():
    df = frame(*PRICES, rows=40_000)
    returns = df.groupby("ticker")["close"].transform(lambda c: np.log(c).diff())
    assert 0.018 < returns.std() < 0.022
    assert (df["high"] >= df[["open", "close"]].max(axis=1)).all()
    assert (df["low"] <= df[["open", "close"]].min(axis=1)).all()
    assert (df["low"] > 0).all()
    prev = df.groupby("ticker")["close"].shift()
    assert ((df["open"] / prev - 1).abs().dropna() < 0.05).all()  # a bar opens near the last close


def test_series_are_prefix_stable_and_the_same_streamed():
    from synth_magic import generate as G

    schema = Schema(PRICES + SENSORS[:1] + [Column("t2", "series", {"entity": "sensor", "noise": 3})])
    whole = schema.generate(50_000, seed=9)
    pd.testing.assert_frame_equal(schema.generate(17_000, seed=9), whole.iloc[:17_000])
    streamed = pd.concat(G.frames(schema.resolve(), 50_000, seed=9, rows_per_frame=G.CHUNK))
    pd.testing.assert_frame_equal(streamed, whole)
    assert not schema.generate(1000, seed=10)["close"].equals(whole["close"].iloc[:1000])


def test_one_row_per_period_when_the_series_has_an_end():
    schema = Schema([Column("store", "category", {"values": ["north", "south", "east"], "entities": 3}),
                     Column("day", "date", {"start": "2024-01-01", "end": "2024-12-31", "step": "1d", "entity": "store"}),
                     Column("sales", "series", {"entity": "store", "level": 500, "min": 0})])
    df = schema.generate()
    assert len(df) == 366 * 3 and df["day"].max() == pd.Timestamp("2024-12-31")
    assert df.groupby("store", observed=True).size().eq(366).all() and (df["sales"] >= 0).all()


# ---------------------------------------------------------------- personal data and places

PHONE_REGIONS = {"en_US": "US", "en_GB": "GB", "de_DE": "DE", "fr_FR": "FR", "ja_JP": "JP"}


@pytest.mark.parametrize("locale", sorted(PHONE_REGIONS))
def test_phone_numbers_are_valid_for_the_locale_and_have_no_extensions(locale):
    phonenumbers = pytest.importorskip("phonenumbers")
    phones = frame(Column("phone", "phone"), Column("city", "city"), rows=4000, locale=locale)["phone"]
    region = PHONE_REGIONS[locale]
    valid = [phonenumbers.is_valid_number_for_region(phonenumbers.parse(p, region), region) for p in phones]
    assert np.mean(valid) >= 0.95, phones[~np.array(valid)].head().tolist()
    assert not phones.str.contains("x|ext", case=False).any()


@pytest.mark.parametrize("locale", ["en_US", "de_DE", "fr_FR", "en_GB"])
def test_phones_and_street_addresses_hardly_repeat(locale):
    df = frame(Column("phone", "phone"), Column("street", "street_address"), rows=20_000, locale=locale)
    assert df["phone"].nunique() >= 0.95 * len(df)
    assert df["street"].nunique() >= 0.90 * len(df)
    assert (df["street"].str.strip() == df["street"]).all() and not df["street"].str.contains("\n").any()


def test_us_rows_agree_on_state_city_zip_coordinates_and_area_code():
    zipcodes = pytest.importorskip("zipcodes")
    states = {"NY": "New York", "CA": "California", "TX": "Texas"}
    df = frame(Column("city", "city"), Column("state", "state"), Column("zip", "postcode"),
               Column("lat", "latitude"), Column("lon", "longitude"), Column("phone", "phone"),
               Column("tz", "timezone"), rows=3000)
    agree = []
    for row in df.itertuples(index=False):
        z = zipcodes.matching(row.zip)[0]
        area = "".join(ch for ch in row.phone if ch.isdigit())[-10:-7]
        agree.append(z["city"] == row.city and abs(float(z["lat"]) - row.lat) < 0.1
                     and abs(float(z["long"]) - row.lon) < 0.1 and area in z["area_codes"]
                     and z["timezone"] == row.tz and states.get(z["state"], row.state) == row.state)
    assert np.mean(agree) >= 0.95
    big = df["city"].value_counts()
    assert big.index[0] in ("New York", "Los Angeles", "Chicago", "Houston", "Brooklyn", "Phoenix")  # by population


@pytest.mark.parametrize(("locale", "within", "check"), [
    ("en_US", "NYC", lambda df: (df["state"] == "New York").all() and df["zip"].str[:3].isin(
        ["100", "101", "102", "103", "104", "110", "111", "112", "113", "114", "116"]).all()
        and {"New York", "Brooklyn", "Bronx", "Staten Island"} <= set(df["city"])),
    ("en_US", "US/NY", lambda df: (df["state"] == "New York").all() and df["zip"].str.match(r"^1[0-4]\d{3}$").all()),
    ("de_DE", "Bavaria", lambda df: (df["state"] == "Bayern").all() and df["phone"].str.startswith("0").all()),
    ("de_DE", "Munich", lambda df: (df["city"] == "München").all() and df["tz"].eq("Europe/Berlin").all()),
    ("en_US", "France", lambda df: (df["country"] == "France").all() and df["phone"].str.startswith("+33").all()),
    ("en_US", "world", lambda df: df["country"].nunique() > 20),
])
def test_places_can_be_restricted_to_a_country_region_or_city(locale, within, check):
    cols = [Column("city", "city", {"within": within}), Column("state", "state"), Column("zip", "postcode"),
            Column("country", "country"), Column("phone", "phone"), Column("tz", "timezone")]
    df = frame(*cols, rows=3000, locale=locale)
    assert check(df), df.head()


def test_places_over_the_world_agree_on_country_city_and_time_zone():
    df = frame(Column("country", "country_code", {"within": "world"}), Column("city", "city"),
               Column("tz", "timezone"), rows=5000)
    assert df["country"].nunique() > 20
    us = df[df["country"] == "US"]
    assert us["tz"].str.match(r"^(America|Pacific)/").all()
    assert (df.loc[df["country"] == "JP", "tz"] == "Asia/Tokyo").all()


def test_an_unknown_place_is_one_sentence():
    from synth_magic import SchemaError

    with pytest.raises(SchemaError) as err:
        frame(Column("city", "city", {"within": "Xyzzyville"}))
    assert str(err.value) == ("Column 'city': no place called 'Xyzzyville' in the geography tables; name a country, "
                              "region or city (such as 'France', 'Bavaria', 'US/NY' or 'Munich').")


def test_japanese_email_addresses_are_romanised_the_japanese_way():
    from synth_magic.generators import _pools

    person = _pools.faker("ja_JP").provider("faker.providers.person")
    family = {pair[2].lower() for pair, _ in person.last_name_pairs.items()}
    emails = frame(Column("name", "full_name"), Column("email", "email", {"derive_from": "name"}),
                   rows=2000, locale="ja_JP")["email"]
    local = emails.str.split("@").str[0]
    assert np.mean([any(f in part for f in family) for part in local]) >= 0.9


@pytest.mark.parametrize(("locale", "factor"), [("ja_JP", 50), ("en_GB", 0.5), ("de_DE", 0.5)])
def test_money_is_on_the_scale_of_the_currency(locale, factor):
    schema = [Column("currency", "currency_code", {"values": ["USD", "JPY"]}),
              Column("amount", "money", {"by": "currency"}), Column("invoice", "money")]
    us, here = frame(*schema, rows=20_000), frame(*schema, rows=20_000, locale=locale)
    by_row = us.groupby("currency", observed=True)["amount"].median()
    assert by_row["JPY"] >= 50 * by_row["USD"]  # each row in its own currency
    assert (us.loc[us["currency"] == "JPY", "amount"] % 1 == 0).all()  # yen have no decimals
    assert here["invoice"].median() >= factor * us["invoice"].median()  # the locale's currency


@pytest.mark.parametrize(("params", "unique"), [
    ({"values": [1, 2, 5, 99], "weights": [70, 20, 5, 5]}, False),  # numeric codes (NYC TLC ratecode_id)
    ({"values": [3, 7, 11]}, True),
])
def test_an_integer_with_values_takes_only_those_by_their_weights(params: dict, unique: bool) -> None:
    rows = 3 if unique else 4000
    df = Schema([Column("code", "integer", params, unique=unique)]).generate(rows, seed=3)
    seen = df["code"]
    assert pd.api.types.is_integer_dtype(seen) and set(seen.unique()) <= set(params["values"])
    if unique:
        assert seen.is_unique
    else:
        share = seen.value_counts(normalize=True)
        assert abs(share[1] - 0.7) < 0.03 and abs(share[99] - 0.05) < 0.02


@pytest.mark.parametrize("values", [[1.5, 2], [1, 1], []])
def test_an_integer_takes_distinct_whole_values(values: list) -> None:
    from synth_magic.errors import SchemaError

    with pytest.raises(SchemaError, match="whole"):
        Schema([Column("code", "integer", {"values": values})]).resolve()
