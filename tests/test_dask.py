"""The dask engine on a real ``distributed.LocalCluster`` (2 worker processes on 127.0.0.1).

- ``frame(...).compute()`` equals ``synth(...)``: every catalogue type, nulls, unique and
  derived columns, whatever the partitioning.
- Partitions are whole chunk ranges; counts, boundaries, dtypes and divisions are known up
  front, and the task graph's size does not depend on the row count.
- Folders of Parquet or CSV parts from the API and the CLI hold the rows the local engine
  writes, also when a worker is killed mid-run (its task runs again elsewhere).
- Without Dask, ``engine="dask"`` says how to install it.
- Datasets: every table computed equals the local ``synth()`` table, for schemas with
  ``each`` and ``pick`` relations (distinct, optional), copies (hidden, text, categories,
  currencies), totals and totals of totals, parents without children, and several
  partitionings (edges that cut a parent's children apart); keys hold across partitions;
  the graph does not grow with the rows; a folder of parts per table from the API and the
  CLI; what the engine cannot make as the local one does is refused in one sentence.

One cluster serves the whole module (started and closed here).
"""

from __future__ import annotations

import os
import pickle
import re
import signal
import subprocess
import sys

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

import dask  # noqa: E402

import synth_magic.dask as sd  # noqa: E402
from synth_magic import ConfigError, ExportError, InputError, SchemaError, api, synth  # noqa: E402
from synth_magic import _dask as D  # noqa: E402
from synth_magic import catalog as C  # noqa: E402
from synth_magic.cli import main  # noqa: E402
from synth_magic.dataset import DatasetSchema, Derived, Relation, Table  # noqa: E402
from synth_magic.generate import CHUNK  # noqa: E402
from synth_magic.schema import Column, Schema  # noqa: E402
from test_generate import FINANCE, KINDS  # noqa: E402

_PARAMS = {"category": {"values": ["a", "b", "c"], "weights": [5, 3, 2]}, "formula": {"expr": "integer * 2 + float"},
           "integer": {"min": 0, "max": 10**9, "unique": True}, "uuid": {"unique": True},
           "code": {"pattern": "X-##########", "unique": True}, "ohlc": {"close": "series"}}
# One column of every catalogue type; every third one with missing values.
EVERY_TYPE = {"title": "every type", "locale": "en_US", "columns": [
    {"name": name, "type": name, **_PARAMS.get(name, {}), **({"null_rate": 0.2} if i % 3 == 0 else {})}
    for i, name in enumerate(C.TYPES)]}
SCHEMAS = {"every type": EVERY_TYPE, "kinds": KINDS, "finance": FINANCE}


@pytest.fixture(scope="module")
def cluster():
    with D.local_cluster(2) as cluster:  # what synth starts on this machine, with 2 workers
        yield cluster


@pytest.fixture(scope="module")
def client(cluster):
    """The module's client: the current one, so computing a lazy frame runs on the cluster."""
    with distributed.Client(cluster) as client:
        yield client


# ---------------------------------------------------------------- the same rows

def assert_same(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    """``assert_frame_equal``, with categorical columns compared by dtype and codes.

    Equal dtypes (categories and their order included) and equal codes are equal values;
    pandas 3 compares categorical values one Python object at a time, seconds per column.
    """
    assert got.dtypes.to_dict() == expected.dtypes.to_dict()
    cats = [c for c in expected.columns if isinstance(expected[c].dtype, pd.CategoricalDtype)]
    assert_frame_equal(got.assign(**{c: got[c].cat.codes for c in cats}),
                       expected.assign(**{c: expected[c].cat.codes for c in cats}))


@pytest.mark.parametrize(("name", "rows", "partitions"), [  # rows just past a chunk boundary
    ("every type", CHUNK + 5, {"npartitions": 2}),
    ("kinds", 2 * CHUNK + 5, {"rows_per_partition": 2 * CHUNK}),
    ("finance", 2 * CHUNK + 5, {"npartitions": 3}),
])
def test_computed_frame_equals_synth(client, name, rows, partitions):
    schema = Schema.from_dict(SCHEMAS[name])
    lazy = sd.frame(schema, rows, seed=7, **partitions)
    got = lazy.compute()
    expected = synth(schema, rows, seed=7)
    assert_same(got, expected)
    assert got.attrs["synth"] == {"seed": 7, "schema": schema.to_json()}


def test_dtypes_and_divisions_are_known_before_anything_runs():
    schema = Schema.from_dict(EVERY_TYPE)
    lazy = sd.frame(schema, 10**9, seed=1)
    assert lazy.known_divisions and lazy.npartitions == -(-10**9 // D.ROWS_PER_PARTITION)
    assert lazy.divisions[:2] == (0, D.ROWS_PER_PARTITION) and lazy.divisions[-1] == 10**9 - 1
    small = synth(schema, 50, seed=1)
    assert lazy.dtypes.to_dict() == small.dtypes.to_dict()
    assert list(lazy.columns) == list(small.columns)


def test_a_request_that_cannot_be_made_is_refused_before_any_task():
    tight = Schema.from_dict({"columns": [{"name": "c", "type": "code", "pattern": "##", "unique": True}]})
    with pytest.raises(SchemaError, match="has only 100 possible values for 1,000 rows"):
        sd.frame(tight, 1000, seed=1)
    with pytest.raises(InputError, match="at most 2,147,483,648"):
        sd.frame(Schema.from_dict(FINANCE), 2**31 + 1, seed=1)


# ---------------------------------------------------------------- partitions

@pytest.mark.parametrize(("rows", "kwargs", "expected"), [
    (5, {}, [(0, 1)]),
    (10 * CHUNK, {"npartitions": 4}, [(0, 2), (2, 5), (5, 7), (7, 10)]),
    (10 * CHUNK + 1, {"npartitions": 100}, [(i, i + 1) for i in range(11)]),
    (5 * CHUNK, {"rows_per_partition": CHUNK + 1}, [(0, 2), (2, 4), (4, 5)]),
    (5 * CHUNK, {"rows_per_partition": 2 * CHUNK}, [(0, 2), (2, 4), (4, 5)]),
    (10**8, {}, [(i, min(i + 64, 6104)) for i in range(0, 6104, 64)]),
])
def test_partitions_are_whole_chunk_ranges(rows, kwargs, expected):
    assert D.ranges(rows, **kwargs) == expected
    lazy = sd.frame(Schema.from_dict(FINANCE), rows, seed=2, **kwargs)
    assert lazy.npartitions == len(expected)
    assert lazy.divisions == (*(first * CHUNK for first, _ in expected), rows - 1)


def test_each_partition_holds_the_rows_of_its_range(client):
    rows = 4 * CHUNK + 9
    lazy = sd.frame(Schema.from_dict(KINDS), rows, seed=3, npartitions=3)
    whole = synth(Schema.from_dict(KINDS), rows, seed=3)
    edges = lazy.divisions
    for i in range(lazy.npartitions):
        part = lazy.partitions[i].compute()
        stop = edges[i + 1] if i + 1 < lazy.npartitions else rows
        assert (part.index[0], part.index[-1] + 1) == (edges[i], stop)
        assert_same(part, whole.iloc[edges[i]:stop])


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"npartitions": 2, "rows_per_partition": 10}, "Give npartitions or rows_per_partition, not both."),
    ({"npartitions": 0}, "npartitions must be a whole number from 1 up, not '0'."),
    ({"rows_per_partition": 2.5}, "rows_per_partition must be a whole number from 1 up, not '2.5'."),
])
def test_bad_partitioning_is_one_sentence(kwargs, message):
    with pytest.raises(InputError, match=f"^{re.escape(message)}$"):
        sd.frame(Schema.from_dict(FINANCE), 1000, seed=1, **kwargs)


def _graph_bytes(rows: int) -> int:
    lazy = sd.frame(Schema.from_dict(FINANCE), rows, seed=5, npartitions=16)
    return len(pickle.dumps(dict(lazy.__dask_graph__())))


def test_the_graph_holds_the_schema_text_and_numbers_not_data():
    small, huge = _graph_bytes(16 * CHUNK), _graph_bytes(2**31)
    assert abs(huge - small) < 16 * 8  # the same 16 tasks; only the numbers in them are bigger
    schema_text = len(Schema.from_dict(FINANCE).to_json())
    assert huge < schema_text + 16 * 256  # the schema text (pickled once) and a few numbers a task


# ---------------------------------------------------------------- folders of parts

@pytest.mark.parametrize(("save", "expected"), [
    ("out", "out/*.parquet"),
    ("out/", "out/*.parquet"),
    ("out.parquet", "out.parquet/*.parquet"),
    ("out/*.csv", "out/*.csv"),
    ("out/*.parquet", "out/*.parquet"),
])
def test_parts_targets(tmp_path, save, expected):
    assert D.parts_target(tmp_path / save) == tmp_path / expected


@pytest.mark.parametrize(("save", "message"), [
    ("out.csv", "give '.*out/\\*.csv' for CSV parts, not 'out.csv'"),
    ("full", "it already exists and is not an empty folder; nothing was written"),
    ("a_file", "it already exists and is not an empty folder"),
    ("missing/out", "the folder '.*missing' does not exist"),
    ("shop.sqlite", "writes a folder of parts, not a database: give a folder such as '.*shop/'"),
])
def test_parts_targets_refused(tmp_path, save, message):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    (tmp_path / "a_file").write_text("x")
    with pytest.raises(ExportError, match=message):
        D.parts_target(tmp_path / save)


def test_api_writes_a_parquet_dataset_with_the_local_rows(client, tmp_path, monkeypatch):
    monkeypatch.setattr(D, "ROWS_PER_PARTITION", 2 * CHUNK)  # the ranges are cut here, not on the workers
    schema, rows = Schema.from_dict(KINDS), 5 * CHUNK + 3
    seen: list[tuple[int, int]] = []
    result = api.run(schema, rows, seed=8, engine="dask", save=tmp_path / "out", keep=False, head=3,
                     progress=lambda done, total: seen.append((done, total)))
    assert result.frame is None and result.path == tmp_path / "out" and result.rows == rows
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"part.0000{i}.parquet" for i in range(3)]
    assert [done for done, _ in seen] == sorted(done for done, _ in seen) and seen[-1] == (rows, rows)
    local = api.run(schema, rows, seed=8, save=tmp_path / "one.parquet", keep=False).path
    assert_same(pd.read_parquet(tmp_path / "out"), pd.read_parquet(local))
    assert_same(result.head, synth(schema, 3, seed=8))
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary folder left


def test_a_part_never_touches_another_writers_temporary_file(tmp_path):
    """On a shared file system, another machine's writer has a temporary file whose process
    does not exist here: writing a part beside it must leave it alone."""
    parts = tmp_path / "parts"
    parts.mkdir()
    foreign = parts / ".part.00001.parquet.99999999.abcdefgh.part"
    foreign.write_bytes(b"half of another machine's part")
    plan = Schema.from_dict(FINANCE).resolve()
    assert D.write_part((0, 1), str(parts / "part.00000.parquet"), plan.schema_json, 100, 1, True) == 100
    assert sorted(p.name for p in parts.iterdir()) == [foreign.name, "part.00000.parquet"]
    local = api.run(Schema.from_dict(FINANCE), 100, seed=1, save=tmp_path / "one.parquet").path
    assert_same(pd.read_parquet(parts / "part.00000.parquet"), pd.read_parquet(local))


def test_an_interrupted_write_leaves_nothing(client, tmp_path, monkeypatch):
    monkeypatch.setattr(D, "ROWS_PER_PARTITION", CHUNK)

    def interrupt(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        api.run(Schema.from_dict(KINDS), 8 * CHUNK, seed=1, engine="dask", save=tmp_path / "out", keep=False,
                progress=interrupt)
    assert list(tmp_path.iterdir()) == []


def test_synth_gives_the_lazy_frame_and_writes_a_folder(client, tmp_path):
    lazy = synth(Schema.from_dict(FINANCE), 2000, seed=4, engine="dask", save=tmp_path / "tx")
    assert type(lazy).__module__.startswith("dask")
    assert_same(lazy.compute(), synth(Schema.from_dict(FINANCE), 2000, seed=4))
    assert len(pd.read_parquet(tmp_path / "tx")) == 2000


def test_a_worker_killed_mid_run_leaves_the_same_rows(client, cluster, tmp_path, monkeypatch):
    monkeypatch.setattr(D, "ROWS_PER_PARTITION", CHUNK)
    schema, rows = Schema.from_dict(KINDS), 8 * CHUNK  # 8 partitions, each a tenth of a second or more
    pids = client.run(os.getpid)
    killed: dict[str, list[str]] = {}

    def progress(done: int, total: int) -> None:
        busy = {w: keys for w, keys in client.processing().items() if keys}
        if killed or not busy:
            return
        victim = sorted(busy)[0]
        killed[victim] = [str(k) for k in busy[victim]]
        os.kill(pids[victim], signal.SIGKILL)

    api.run(schema, rows, seed=10, engine="dask", save=tmp_path / "out", keep=False, progress=progress)
    (victim, keys), = killed.items()
    runs = {k: sum(1 for t in cluster.scheduler.story(k) if t[2] == "processing") for k in keys}
    assert max(runs.values()) >= 2, runs  # a task the dead worker held ran again elsewhere
    local = api.run(schema, rows, seed=10, save=tmp_path / "one.parquet", keep=False).path
    assert_same(pd.read_parquet(tmp_path / "out"), pd.read_parquet(local))
    client.wait_for_workers(2, timeout=60)  # the nanny starts a new worker for the next tests


def _trim_threshold() -> str | None:
    return os.environ.get("MALLOC_TRIM_THRESHOLD_")


def test_local_workers_run_without_distributeds_malloc_trim_threshold(client):
    """With distributed's MALLOC_TRIM_THRESHOLD_=65536 glibc maps and unmaps every large array
    afresh: 40 to 60% more CPU per row of this generator."""
    assert set(client.run(_trim_threshold).values()) == {None}


def _listening() -> set[str]:
    """The addresses this process and its children (the workers, their nannies) listen on."""
    import psutil

    me = psutil.Process()
    return {c.laddr.ip for p in (me, *me.children(recursive=True))
            for c in p.net_connections(kind="inet") if c.status == psutil.CONN_LISTEN}


def test_without_a_client_a_local_cluster_sized_to_the_machine_runs_on_localhost(tmp_path, monkeypatch):
    started: list[tuple[distributed.LocalCluster, str, int]] = []

    class Recorded(distributed.LocalCluster):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            started.append((self, _listening(), len(self.workers)))

    def no_client():
        raise ValueError("No clients found")

    monkeypatch.setattr(distributed, "LocalCluster", Recorded)
    monkeypatch.setattr(distributed, "default_client", no_client)
    api.run(Schema.from_dict(FINANCE), 5000, seed=2, engine="dask", save=tmp_path / "tx", keep=False)
    (cluster, listening, workers), = started
    assert listening == {"127.0.0.1"} and workers == len(os.sched_getaffinity(0))
    assert cluster.status == distributed.core.Status.closed  # closed after the run
    assert len(pd.read_parquet(tmp_path / "tx")) == 5000


# ---------------------------------------------------------------- the command line

def test_cli_writes_csv_parts_with_the_local_rows(cluster, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(D, "ROWS_PER_PARTITION", CHUNK)
    schema_file = tmp_path / "s.txt"
    schema_file.write_text(Schema.from_dict(FINANCE).to_text())
    rows = 3 * CHUNK + 11
    argv = ["--from-schema", str(schema_file), "--rows", str(rows), "--seed", "6", "--preview", "2"]
    assert main([*argv, "--engine", "dask", "-o", str(tmp_path / "out" / "*.csv"),
                 "--scheduler", cluster.scheduler_address]) == 0
    printed = capsys.readouterr().out
    assert f"{rows:,} rows × 10 columns · schema given · seed 6" in printed
    assert f"wrote {tmp_path / 'out'}" in printed
    parts = sorted((tmp_path / "out").iterdir())
    assert [p.name for p in parts] == [f"part.0000{i}.csv" for i in range(4)]
    assert main([*argv, "-o", str(tmp_path / "one.csv")]) == 0
    together = pd.concat([pd.read_csv(p) for p in parts], ignore_index=True)
    assert_same(together, pd.read_csv(tmp_path / "one.csv"))


def test_cli_writes_parquet_parts_on_the_scheduler_from_the_environment(cluster, tmp_path, monkeypatch):
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", cluster.scheduler_address)
    assert main(["finance transactions", "--rows", "3000", "--seed", "1", "--engine", "dask",
                 "-o", str(tmp_path / "tx"), "--preview", "0"]) == 0
    assert len(pd.read_parquet(tmp_path / "tx")) == 3000


@pytest.mark.parametrize(("argv", "message"), [
    (["--engine", "dask"], "--engine dask writes a folder of parts: add -o out/ (Parquet) or -o 'out/*.csv'"),
    (["--engine", "spark", "-o", "x/"], "synth: error: Unknown engine 'spark'; use 'local' or 'dask'."),
])
def test_cli_engine_mistakes_exit_2_with_one_line(argv, message, capsys):
    try:
        code = main(["finance transactions", *argv])
    except SystemExit as stop:  # argparse's own usage errors
        code = stop.code
    assert code == 2
    assert message in capsys.readouterr().err.strip().splitlines()[-1]


def test_an_unreachable_scheduler_is_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", "tcp://127.0.0.1:9")  # nothing listens on the discard port
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        code = main(["finance transactions", "--rows", "10", "--engine", "dask", "-o", str(tmp_path / "x")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1
    assert err[0].startswith("synth: error: Cannot reach the Dask scheduler at 'tcp://127.0.0.1:9' (")
    assert err[0].endswith("check --scheduler or DASK_SCHEDULER_ADDRESS, or leave both unset for a local cluster.")
    assert not list(tmp_path.iterdir())


# ---------------------------------------------------------------- datasets
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
    rooms across the whole table; a nullable number copied from the parent, which a column
    follows by rank within its chunk (so a chunk needs every copied value of its rows)."""
    return DatasetSchema(
        tables=[_table("students", Column("age", "integer", {"min": 18, "max": 60}, null_rate=0.3)),
                _table("courses", Column("title", "job_title"), rows=25),
                _table("rooms", Column("floor", "integer", {"min": 0, "max": 9}), rows=CHUNK + 50),
                _table("enrollments", Column("age", "integer", {"min": 0, "max": 99}, null_rate=0.01),
                       Column("grade", "float", {"min": 0, "max": 10, "correlate": {"age": 0.6}})),
                _table("exams", Column("room_floor", "integer"), rows=CHUNK + 20)],
        relations=[Relation("enrollments", "student_id", "students", "each", 2, 9, "skewed"),
                   Relation("enrollments", "course_id", "courses", "pick", distinct=True),
                   Relation("exams", "room_id", "rooms", "pick", distinct=True)],
        derived=[Derived("enrollments", "age", "copy", "students.age"),
                 Derived("exams", "room_floor", "copy", "rooms.floor")],
    )


def _totals_over_a_pick() -> DatasetSchema:
    """The shop, with products' totals over the items that pick them: every item adds to them."""
    schema = _shop()
    schema.tables[1].schema.columns += [Column("sold", "money"), Column("times", "integer"), Column("most", "integer"),
                                        Column("mean_line", "float")]
    schema.derived += [Derived("products", "sold", "sum", "items.line"), Derived("products", "times", "count", "items"),
                       Derived("products", "most", "max", "items.quantity"),
                       Derived("products", "mean_line", "mean", "items.line")]
    return DatasetSchema(schema.tables, schema.relations, schema.derived)


def _computed(lazy: dict) -> dict[str, pd.DataFrame]:
    return dict(zip(lazy, dask.compute(*lazy.values()), strict=True))


@pytest.mark.parametrize(("make", "rows", "partitions"), [
    (_shop, 2 * CHUNK + 5, {"rows_per_partition": CHUNK}),
    (_shop, 2 * CHUNK + 5, {"npartitions": 2}),
    (_shop, 700, {}),
    (_school, CHUNK + 9, {"npartitions": 3}),
    (_totals_over_a_pick, CHUNK + 30, {"rows_per_partition": CHUNK}),
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


def _dataset_graph_bytes(rows: int) -> int:
    lazy = sd.dataset(_shop(), rows, seed=5, npartitions=4)
    return len(pickle.dumps({k: v for df in lazy.values() for k, v in dict(df.__dask_graph__()).items()}))


def test_the_graph_holds_schema_text_and_numbers_whatever_the_rows():
    small, big = _dataset_graph_bytes(4 * CHUNK), _dataset_graph_bytes(64 * CHUNK)
    assert abs(big - small) < 2048  # the same tasks; only the numbers in them are bigger
    assert big < len(_shop().to_json()) + 60_000


@pytest.mark.parametrize(("make", "rows", "message"), [
    (_shop, {"customers": 10, "orders": 20}, "With engine='dask' the rows of 'orders' come from its parent"),
    (_school, {"students": 10, "rooms": D.MAX_PICKED + 1}, "with engine='dask' every partition of 'exams' holds"),
])
def test_what_the_dask_engine_cannot_make_is_one_sentence(make, rows, message):
    with pytest.raises(InputError, match=message) as raised:
        sd.dataset(make(), rows, seed=1)
    assert "\n" not in str(raised.value)


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


def test_cli_writes_parquet_folders_per_table_without_a_client_of_its_own(cluster, tmp_path):
    """A separate process, as a user runs it: no default client, the scheduler from --scheduler."""
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


def test_the_magic_puts_lazy_tables_under_their_names(tmp_path):
    """In a shell of its own (this session's IPython belongs to test_magic), computed with
    Dask's threads: the magic names the tables, and they are the local ones."""
    (tmp_path / "school.txt").write_text(_school().to_text())
    code = f"""
from IPython.testing.globalipapp import start_ipython
from IPython.utils.capture import capture_output
from synth_magic import synth
from synth_magic.dataset import DatasetSchema
ip = start_ipython()
ip.run_line_magic("load_ext", "synth_magic")
text = open({str(tmp_path / "school.txt")!r}).read()
with capture_output() as out:
    ip.run_cell_magic("synth", "rows=300 seed=2 engine=dask", text)
print(out.stdout.splitlines()[0])
lazy = ip.user_ns["enrollments"]
print(type(lazy).__module__.split(".")[0], lazy.compute().equals(synth(DatasetSchema.from_text(text), 300, seed=2)["enrollments"]))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    first, last = out.stdout.strip().splitlines()[0], out.stdout.strip().splitlines()[-1]
    assert first.startswith("students, courses, rooms, enrollments, exams: 5 tables, ")
    assert last == "dask True"


# ---------------------------------------------------------------- without the extra

@pytest.mark.parametrize("missing", ["dask.dataframe", "distributed"])
def test_without_dask_the_engine_says_how_to_install_it(missing, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, missing, None)  # import fails as when it is not installed
    message = ("engine='dask' needs Dask and distributed, which are not installed here; "
               "install them with `pip install synth-magic[dask]`.")
    with pytest.raises(ConfigError) as raised:
        synth("finance transactions", 10, engine="dask")
    assert str(raised.value) == message
    with pytest.raises(ConfigError):
        sd.frame("finance transactions", 10)
    assert main(["finance transactions", "--engine", "dask", "-o", "out/"]) == 2
    worded = message.replace("engine='dask'", "--engine dask")  # the command's own spelling
    assert capsys.readouterr().err == f"synth: error: {worded}\n"
