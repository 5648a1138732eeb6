"""``synth_magic.dask.dataset`` on the 2-worker LocalCluster of ``test_dask``.

- Every table computed equals the local ``synth()`` table, for schemas with ``each`` and
  ``pick`` relations (distinct, optional), copies (hidden, text, categories, currencies),
  totals over children and totals of totals, parents without children, and for several
  partitionings (partition edges that cut a parent's children apart).
- Foreign keys hold across partitions; every table has known divisions; the graph's size
  does not depend on the rows.
- Folders of Parquet parts per table from the API and the CLI hold the local tables.
- What the dask engine cannot make as the local one does is refused in one sentence.
"""

from __future__ import annotations

import pickle

import dask
import pandas as pd
import pytest

pytest.importorskip("dask.dataframe")
pytest.importorskip("distributed")

import synth_magic.dask as sd  # noqa: E402
from synth_magic import InputError, api, synth  # noqa: E402
from synth_magic import _dask as D  # noqa: E402
from synth_magic.cli import main  # noqa: E402
from synth_magic.dataset import DatasetSchema, Derived, Relation, Table  # noqa: E402
from synth_magic.generate import CHUNK  # noqa: E402
from synth_magic.schema import Column, Schema  # noqa: E402
from test_dask import assert_same, client, cluster  # noqa: E402, F401  (the session's cluster fixtures)


def _table(name: str, *columns: Column, rows: int | None = None) -> Table:
    return Table(name, Schema(columns=[Column("id", "id", unique=True), *columns], rows=rows, locale="en_US"))


def _shop() -> DatasetSchema:
    """Customers → orders → items, items picking products: copies across each and pick
    relations, a currency from the customer's country, totals and a total of totals."""
    return DatasetSchema(
        tables=[
            _table("customers", Column("signup", "date", {"start": "2020-01-01", "end": "2024-12-31"}),
                   Column("country", "country", {"within": "world"}), Column("spent", "money"),
                   Column("orders", "integer"), Column("largest", "integer")),
            _table("products", Column("name", "product_name"), Column("kind", "category", {"values": ["x", "y", "z"]}),
                   Column("price", "money", {"min": 1, "max": 50}), rows=300),
            _table("orders", Column("signup", "date"),
                   Column("ordered", "date", {"after": "signup", "max_gap": "400d", "start": "2020-01-01", "end": "2025-06-30"}),
                   Column("currency", "currency_code"), Column("shipping", "money", {"by": "currency"}),
                   Column("total", "money"), Column("items", "integer"), Column("most", "integer"),
                   Column("mean_price", "float")),
            _table("items", Column("quantity", "quantity"), Column("name", "product_name"),
                   Column("kind", "category", {"values": ["z", "y", "x", "w"]}),
                   Column("price", "money", {"correlate": {"quantity": 0.5}}),
                   Column("line", "formula", {"expr": "quantity * price", "decimals": 2})),
        ],
        relations=[Relation("orders", "customer_id", "customers", "each", 0, 4),
                   Relation("items", "order_id", "orders", "each", 1, 3, "uniform"),
                   Relation("items", "product_id", "products", "pick", optional=0.2)],
        derived=[Derived("orders", "signup", "copy", "customers.signup", hidden=True),
                 Derived("orders", "currency", "currency", "customers.country"),
                 Derived("items", "name", "copy", "products.name"), Derived("items", "kind", "copy", "products.kind"),
                 Derived("orders", "total", "sum", "items.line"), Derived("orders", "items", "count", "items"),
                 Derived("orders", "most", "max", "items.quantity"), Derived("orders", "mean_price", "mean", "items.price"),
                 Derived("customers", "spent", "sum", "orders.total"), Derived("customers", "orders", "count", "orders"),
                 Derived("customers", "largest", "max", "orders.items")],
    )


def _school() -> DatasetSchema:
    """A link table picking distinct courses per student, and a table picking distinct
    rooms across the whole table; a nullable number copied from the parent."""
    return DatasetSchema(
        tables=[_table("students", Column("age", "integer", {"min": 18, "max": 60}, null_rate=0.3)),
                _table("courses", Column("title", "job_title"), rows=25),
                _table("rooms", Column("floor", "integer", {"min": 0, "max": 9}), rows=CHUNK + 50),
                _table("enrollments", Column("age", "integer", {"min": 0, "max": 99}, null_rate=0.01),
                       Column("grade", "float", {"min": 0, "max": 10})),
                _table("exams", Column("room_floor", "integer"), rows=CHUNK + 20)],
        relations=[Relation("enrollments", "student_id", "students", "each", 2, 9, "skewed"),
                   Relation("enrollments", "course_id", "courses", "pick", distinct=True),
                   Relation("exams", "room_id", "rooms", "pick", distinct=True)],
        derived=[Derived("enrollments", "age", "copy", "students.age"),
                 Derived("exams", "room_floor", "copy", "rooms.floor")],
    )


def _computed(lazy: dict) -> dict[str, pd.DataFrame]:
    return dict(zip(lazy, dask.compute(*lazy.values()), strict=True))


@pytest.mark.parametrize(("make", "rows", "partitions"), [
    (_shop, 2 * CHUNK + 5, {"rows_per_partition": CHUNK}),
    (_shop, 2 * CHUNK + 5, {"npartitions": 2}),
    (_shop, 700, {}),
    (_school, CHUNK + 9, {"npartitions": 3}),
])
@pytest.mark.usefixtures("client")
def test_computed_tables_equal_synth(make, rows, partitions):
    schema = make()
    lazy = sd.dataset(schema, rows, seed=11, **partitions)
    got = _computed(lazy)
    expected = synth(schema, rows, seed=11)
    assert list(got) == list(expected)
    for name, df in expected.items():
        assert_same(got[name], df)
        assert got[name].attrs["synth"] == df.attrs["synth"]
        assert lazy[name].known_divisions
        assert lazy[name].dtypes.to_dict() == df.dtypes.to_dict()


@pytest.mark.usefixtures("client")
def test_keys_hold_across_partitions_and_partitions_are_chunk_ranges():
    lazy = sd.dataset(_shop(), 3 * CHUNK, seed=4, rows_per_partition=CHUNK)
    got = _computed(lazy)
    customers, orders, items = got["customers"], got["orders"], got["items"]
    assert lazy["customers"].npartitions == 3 and lazy["orders"].npartitions >= 4
    assert lazy["orders"].divisions[:3] == (0, CHUNK, 2 * CHUNK)
    assert lazy["orders"].divisions[-1] == len(orders) - 1
    assert orders["customer_id"].isin(customers["id"]).all()
    assert items["order_id"].isin(orders["id"]).all()
    assert items["product_id"].dropna().isin(got["products"]["id"]).all()
    # children stay grouped by parent across partition edges, and the totals add up
    assert orders["customer_id"].is_monotonic_increasing and items["order_id"].is_monotonic_increasing
    count = orders.groupby("customer_id").size().reindex(customers["id"], fill_value=0)
    assert (count.to_numpy() == customers["orders"].to_numpy()).all()
    assert set(lazy["orders"].partitions[1].compute()["customer_id"]) & set(
        lazy["orders"].partitions[0].compute()["customer_id"])  # a customer's orders cut by an edge


@pytest.mark.usefixtures("client")
def test_a_table_without_rows_is_one_empty_partition():
    schema = DatasetSchema(tables=[_table("a", Column("n", "integer")), _table("b", Column("m", "integer"))],
                           relations=[Relation("b", "a_id", "a", "each", 0, 0)],
                           derived=[Derived("a", "n", "count", "b")])
    got = _computed(sd.dataset(schema, 50, seed=1))
    expected = synth(schema, 50, seed=1)
    assert len(got["b"]) == 0 and (got["a"]["n"] == 0).all()
    for name in expected:
        assert_same(got[name], expected[name])


def _graph_bytes(rows: int) -> int:
    lazy = sd.dataset(_shop(), rows, seed=5, npartitions=4)
    return len(pickle.dumps({k: v for df in lazy.values() for k, v in dict(df.__dask_graph__()).items()}))


def test_the_graph_holds_schema_text_and_numbers_whatever_the_rows():
    small, big = _graph_bytes(4 * CHUNK), _graph_bytes(64 * CHUNK)
    assert abs(big - small) < 2048  # the same tasks; only the numbers in them are bigger
    assert big < len(_shop().to_json()) + 60_000


@pytest.mark.parametrize(("make", "rows", "message"), [
    (_shop, {"customers": 10, "orders": 20}, "With engine='dask' the rows of 'orders' come from its parent"),
    (lambda: _with_total_over_a_pick(), 10, "is the sum over 'items', whose rows pick 'products'"),
    (_school, {"students": 10, "rooms": D.MAX_PICKED + 1}, "with engine='dask' every partition of 'exams' holds"),
])
def test_what_the_dask_engine_cannot_make_is_one_sentence(make, rows, message):
    with pytest.raises(InputError, match=message) as raised:
        sd.dataset(make(), rows, seed=1)
    assert "\n" not in str(raised.value)


def _with_total_over_a_pick() -> DatasetSchema:
    schema = _shop()
    schema.tables[1].schema.columns.append(Column("sold", "money"))
    schema.derived.append(Derived("products", "sold", "sum", "items.line"))
    return DatasetSchema(schema.tables, schema.relations, schema.derived)


def test_a_description_of_one_table_is_sent_to_frame():
    with pytest.raises(InputError, match="makes one table; use synth_magic.dask.frame"):
        sd.dataset("finance transactions", 10)


# ---------------------------------------------------------------- folders of parts per table

def _assert_same_folders(dask_folder, local_folder, names) -> None:
    for name in names:
        assert_same(pd.read_parquet(dask_folder / name), pd.read_parquet(local_folder / f"{name}.parquet"))


@pytest.mark.usefixtures("client")
def test_api_writes_a_folder_of_parts_per_table_with_the_local_tables(tmp_path, monkeypatch):
    monkeypatch.setattr(D, "ROWS_PER_PARTITION", CHUNK)  # several parts per table
    schema, rows = _shop(), CHUNK + 40
    seen: list[tuple[int, int]] = []
    result = api.run(schema, rows, seed=9, engine="dask", save=tmp_path / "shop", keep=False,
                     progress=lambda done, total: seen.append((done, total)))
    local = synth(schema, rows, seed=9, save=f"{tmp_path / 'local.parquet'}/")
    assert result.frame is None and result.path == tmp_path / "shop"
    assert result.rows == sum(len(df) for df in local.values()) == seen[-1][0] == seen[-1][1]
    assert sorted(p.name for p in (tmp_path / "shop").iterdir()) == sorted(local)
    assert [p.name for p in sorted((tmp_path / "shop" / "customers").iterdir())] == ["part.00000.parquet",
                                                                                     "part.00001.parquet"]
    _assert_same_folders(tmp_path / "shop", tmp_path / "local.parquet", local)
    assert result.summary(path=False).startswith(f"4 tables, {result.rows:,} rows · schema given · seed 9")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary folder left


@pytest.mark.usefixtures("client")
def test_synth_with_the_dask_engine_gives_lazy_tables():
    lazy = synth(_school(), 300, seed=2, engine="dask")
    assert list(lazy) == ["students", "courses", "rooms", "enrollments", "exams"]
    assert type(lazy["enrollments"]).__module__.startswith("dask")
    assert_same(lazy["enrollments"].compute(), synth(_school(), 300, seed=2)["enrollments"])


def test_cli_writes_parquet_folders_per_table_without_a_client_of_its_own(cluster, tmp_path):  # noqa: F811
    """A separate process, as a user runs it: no default client, the scheduler from --scheduler."""
    import subprocess
    import sys

    (tmp_path / "shop.txt").write_text(_shop().to_text())
    argv = [sys.executable, "-m", "synth_magic", "--from-schema", str(tmp_path / "shop.txt"), "--rows", "900",
            "--seed", "5"]
    out = subprocess.run([*argv, "--engine", "dask", "-o", str(tmp_path / "out"), "--scheduler",
                          cluster.scheduler_address], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert f"wrote {tmp_path / 'out'}" in out.stdout
    assert main(["--from-schema", str(tmp_path / "shop.txt"), "--rows", "900", "--seed", "5",
                 "-o", f"{tmp_path / 'local.parquet'}/"]) == 0
    _assert_same_folders(tmp_path / "out", tmp_path / "local.parquet", ["customers", "products", "orders", "items"])
