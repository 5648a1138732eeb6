"""Saving: atomic writes, CSV and Parquet, streamed files, file names."""

from __future__ import annotations

import pandas as pd
import pytest

from synth_magic import ExportError, synth
from synth_magic.export import encode, save, save_frames, suggest_name, suggest_path
from synth_magic.generate import frames
from synth_magic.schema import Schema


def test_csv_and_parquet_round_trip(tmp_path):
    df = synth("online orders with order date, ship date and delivery status", rows=200, seed=5)
    save(df, tmp_path / "o.parquet")
    back = pd.read_parquet(tmp_path / "o.parquet")
    assert back.shape == df.shape and list(back.columns) == list(df.columns)
    save(df, tmp_path / "o.csv")
    with open(tmp_path / "o.csv", newline="") as fh:
        header = next(__import__("csv").reader(fh))
    assert header == list(df.columns)
    csv = pd.read_csv(tmp_path / "o.csv")
    assert len(csv) == 200
    ship = [c for c in df.columns if "ship" in c][0]
    assert csv[ship].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()  # dates, not midnight timestamps


def test_save_is_atomic_on_failure(tmp_path):
    target = tmp_path / "keep.csv"
    target.write_text("precious\n")
    schema = Schema.from_dict({"columns": [{"name": "a", "type": "uuid"}]})

    def exploding():
        yield from frames(schema.resolve(), 10, seed=1)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        save_frames(exploding(), target)
    assert target.read_text() == "precious\n"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.csv"]


def test_streamed_file_equals_the_in_memory_frame(tmp_path):
    schema = Schema.from_dict({"columns": [{"name": "id", "type": "id"}, {"name": "v", "type": "float"}]})
    save_frames(frames(schema.resolve(), 50000, seed=2, rows_per_frame=16384), tmp_path / "s.csv")
    streamed = pd.read_csv(tmp_path / "s.csv")
    whole = schema.generate(50000, seed=2)
    assert streamed["id"].tolist() == whole["id"].tolist()
    assert (streamed["v"] - whole["v"]).abs().max() < 1e-9


@pytest.mark.parametrize(
    ("name", "message"),
    [("x.txt", "Cannot save to 'x.txt': use a name ending in .csv or .parquet."),
     ("nodir/x.csv", "Cannot save to 'nodir/x.csv': the folder 'nodir' does not exist.")],
)
def test_bad_targets(tmp_path, monkeypatch, name, message):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ExportError) as err:
        save(pd.DataFrame({"a": [1]}), name)
    assert str(err.value) == message


ENCODED = Schema.from_dict({"columns": [
    {"name": "id", "type": "id"}, {"name": "name", "type": "full_name", "null_rate": 0.2},
    {"name": "day", "type": "date", "start": "2024-01-01", "end": "2024-12-31"},
    {"name": "at", "type": "datetime", "start": "2024-01-01", "end": "2024-12-31"},
    {"name": "kind", "type": "category", "values": ["=cmd", "b/c"]}, {"name": "n", "type": "integer", "null_rate": 0.2}]})


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_encoded_parts_are_the_file_save_writes(tmp_path, fmt):
    parts = list(encode(frames(ENCODED.resolve(), 40000, seed=4, rows_per_frame=16384), fmt))
    assert len(parts) == 4 and all(parts[:3])  # a part per frame, then what closing the writer adds
    save_frames(frames(ENCODED.resolve(), 40000, seed=4, rows_per_frame=16384), tmp_path / f"x.{fmt}")
    on_disk = (tmp_path / f"x.{fmt}").read_bytes()
    if fmt == "csv":
        assert b"".join(parts) == on_disk and parts[1].count(b"\n") == 16384 and b"'=cmd" in parts[0]
    else:
        import io

        import pyarrow.parquet as pq

        assert pq.read_table(io.BytesIO(b"".join(parts))).equals(pq.read_table(tmp_path / "x.parquet"))


def test_json_lines_have_dates_timestamps_and_nulls():
    import json

    whole = ENCODED.generate(100, seed=4)
    lines = b"".join(encode(frames(ENCODED.resolve(), 100, seed=4), "jsonl")).decode().splitlines()
    rows = [json.loads(line) for line in lines]
    assert len(rows) == 100 and list(rows[0]) == list(whole.columns)
    assert [r["day"] for r in rows] == whole["day"].dt.strftime("%Y-%m-%d").tolist()
    assert [r["at"] for r in rows] == whole["at"].dt.strftime("%Y-%m-%dT%H:%M:%S").tolist()
    assert [r["name"] for r in rows] == [None if pd.isna(v) else v for v in whole["name"]]
    assert [r["n"] for r in rows] == [None if pd.isna(v) else int(v) for v in whole["n"]]
    assert {r["kind"] for r in rows} <= {"=cmd", "b/c"}  # JSON is not a spreadsheet: text as it is
    with pytest.raises(ValueError, match="unknown encoding 'xml'"):
        next(encode([whole], "xml"))


def test_suggested_name_is_the_first_words():
    assert suggest_name("E-commerce product data, with prices!", ".parquet") == "e_commerce_product_data_with.parquet"
    assert suggest_name("???") == "synth.csv"


def test_suggested_names_never_collide(tmp_path):
    assert suggest_path("Finance transactions, 2% fraud!", directory=tmp_path).name == "finance_transactions_2_fraud.csv"
    (tmp_path / "synth.csv").write_text("")
    assert suggest_path("!!!", directory=tmp_path).name == "synth_1.csv"


# ----------------------------------------------------------------------- CLI


# ------------------------------------------------------------------ several tables

def _shop():
    from synth_magic.dataset import DatasetSchema
    from tests.test_relate import SHOP

    return DatasetSchema.from_text(SHOP).generate(300, seed=6)


def test_sqlite_declares_keys_and_its_foreign_key_check_is_clean(tmp_path):
    import sqlite3

    from synth_magic.export import save_dataset

    shop = _shop()
    path = save_dataset(shop, tmp_path / "shop.sqlite")
    with sqlite3.connect(path) as con:
        con.execute("PRAGMA foreign_keys = ON")
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        fks = con.execute("PRAGMA foreign_key_list(order_items)").fetchall()
        assert [(row[2], row[3], row[4]) for row in fks] == [("orders", "order_id", "order_id")]
        assert [row[1] for row in con.execute("PRAGMA table_info(customers)") if row[5]] == ["customer_id"]
        for name, df in shop.items():
            assert con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] == len(df)
        first = con.execute("SELECT order_date, total FROM orders ORDER BY order_id LIMIT 1").fetchone()
        with pytest.raises(sqlite3.IntegrityError):  # the keys are enforced, not just written down
            con.execute("INSERT INTO orders (order_id, customer_id) VALUES (999999, 999999)")
    assert first == (str(shop["orders"]["order_date"].iloc[0].date()), shop["orders"]["total"].iloc[0])
    joined = pd.read_sql("SELECT o.order_id, c.signup_date FROM orders o JOIN customers c USING (customer_id)",
                         sqlite3.connect(path))
    assert len(joined) == len(shop["orders"])


def test_a_folder_gets_one_file_per_table_and_parquet_on_request(tmp_path):
    from synth_magic.export import save_dataset

    shop = _shop()
    folder = save_dataset(shop, tmp_path / "shop")
    assert sorted(p.name for p in folder.iterdir()) == ["customers.csv", "order_items.csv", "orders.csv"]
    assert len(pd.read_csv(folder / "orders.csv")) == len(shop["orders"])
    pq = save_dataset(shop, f"{tmp_path}/shop.parquet/")
    back = pd.read_parquet(pq / "order_items.parquet")
    assert list(back.columns) == list(shop["order_items"].columns)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


@pytest.mark.parametrize("name, message", [
    ("shop.csv", "Cannot save several tables to 'shop.csv': use a folder"),
    ("missing/shop.sqlite", "the folder .* does not exist"),
])
def test_several_tables_need_a_folder_or_a_database(tmp_path, name, message):
    from synth_magic.export import save_dataset

    with pytest.raises(ExportError, match=message):
        save_dataset(_shop(), tmp_path / name)


def test_an_existing_database_is_kept_unless_overwriting(tmp_path):
    from synth_magic.export import save_dataset

    (tmp_path / "shop.sqlite").write_text("keep")
    with pytest.raises(ExportError, match="already exists"):
        save_dataset(_shop(), tmp_path / "shop.sqlite", overwrite=False)
    assert (tmp_path / "shop.sqlite").read_text() == "keep"


def test_duckdb_declares_keys_too(tmp_path):
    duckdb = pytest.importorskip("duckdb")
    from synth_magic.export import save_dataset

    shop = _shop()
    path = save_dataset(shop, tmp_path / "shop.duckdb")
    con = duckdb.connect(str(path))
    assert con.execute("SELECT count(*) FROM orders").fetchone()[0] == len(shop["orders"])
    assert con.execute("SELECT count(*) FROM duckdb_constraints() WHERE constraint_type = 'FOREIGN KEY'").fetchone()[0] == 2


@pytest.mark.parametrize("name", ["shop.sqlite", "shop"])
def test_an_interrupted_dataset_save_leaves_nothing(tmp_path, monkeypatch, name):
    from synth_magic import export

    shop = _shop()
    real = export.save
    calls = []

    def stop_second(df, path, **kwargs):  # the folder: the first file written, then Ctrl-C
        calls.append(path)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(df, path, **kwargs)

    def stop_sqlite(tables, tmp, primary, foreign):
        import sqlite3

        sqlite3.connect(tmp).execute("CREATE TABLE half (x)")
        raise KeyboardInterrupt

    monkeypatch.setattr(export, "save", stop_second)
    monkeypatch.setattr(export, "_write_sqlite", stop_sqlite)
    with pytest.raises(KeyboardInterrupt):
        export.save_dataset(shop, tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def _csv_through_pandas_metadata(df: pd.DataFrame) -> bytes:
    """The CSV as pyarrow writes the whole frame converted by ``Table.from_pandas``, with
    categories as their text, midnight-only datetimes as dates and every text cell and
    header neutralised one by one: what :func:`encode` must write, column by column."""
    import io

    import pyarrow as pa
    import pyarrow.csv as pcsv

    from synth_magic.export import neutralise_name

    table = pa.Table.from_pandas(df, preserve_index=False)
    columns = []
    for i, field in enumerate(table.schema):
        column = table.column(i)
        if pa.types.is_dictionary(field.type):
            column = column.cast(pa.string())
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            column = pa.array([None if v is None else ("'" + v if neutralise_name(v) != v else v)
                               for v in column.to_pylist()], pa.string())
        elif pa.types.is_timestamp(field.type):
            seconds = [v for v in column.cast(pa.int64()).to_pylist() if v is not None]
            column = column.cast(pa.date32()) if all(v % 86400 == 0 for v in seconds) else column
        columns.append(column)
    out = io.BytesIO()
    pcsv.write_csv(pa.Table.from_arrays(columns, names=[neutralise_name(n) for n in table.column_names]), out)
    return out.getvalue()


@pytest.mark.parametrize("messy", [0.0, 0.3])
def test_csv_of_every_type_with_missing_values_is_what_from_pandas_gives(messy):
    from synth_magic import catalog as C

    required = {"category": {"values": ["=1+1", "-x", "+49 30 1234", "ok"]}, "formula": {"expr": "1 + 1"},
                "ohlc": {"close": "p"}}
    columns = [{"name": "p", "type": "series"}, {"name": "head", "type": "word"}]
    columns += [{"name": name, "type": name, **required.get(name, {}), **({"null_rate": 0.3} if i % 2 else {})}
                for i, name in enumerate(sorted(C.TYPES))]
    df = Schema.from_dict({"columns": columns, "messy": messy}).generate(500, seed=8).rename(columns={"head": "=head"})
    assert b"".join(encode([df], "csv")) == _csv_through_pandas_metadata(df)


def test_csv_from_arrow_tables_is_the_csv_of_the_frames():
    """``frames(..., arrow=True)`` (what the server encodes, without pandas) writes the same
    bytes as the frames, for every type with and without missing values (and messy tables
    are the messy frames')."""
    from synth_magic import catalog as C

    required = {"category": {"values": ["=1+1", "-x", "+49 30 1234", "ok"]}, "formula": {"expr": "1 + 1"},
                "ohlc": {"close": "p"}}
    columns = [{"name": "p", "type": "series"}, {"name": "head", "type": "word"}]
    columns += [{"name": name, "type": name, **required.get(name, {}), **({"null_rate": 0.3} if i % 2 else {})}
                for i, name in enumerate(sorted(C.TYPES))]
    columns += [{"name": "day", "type": "date"}, {"name": "day_or_none", "type": "date", "null_rate": 0.2},
                {"name": "flag", "type": "boolean"}, {"name": "flag_or_none", "type": "boolean", "null_rate": 0.2}]
    plan = Schema.from_dict({"columns": columns}).resolve()
    kinds = {(c.kind, c.nullable) for c in plan.columns}
    assert {(k, n) for k in ("int", "float", "bool", "category", "date", "string") for n in (True, False)} <= kinds
    tables = list(frames(plan, 500, seed=8, arrow=True))
    assert [type(t).__name__ for t in tables] == ["Table"]
    assert b"".join(encode(tables, "csv")) == b"".join(encode(frames(plan, 500, seed=8), "csv"))
    messy = Schema.from_dict({"columns": columns[-6:], "messy": 0.3}).resolve()
    assert b"".join(encode(frames(messy, 500, seed=8, arrow=True), "csv")) == b"".join(encode(frames(messy, 500, seed=8), "csv"))
    with pytest.raises(TypeError, match="only CSV"):
        list(encode(tables, "parquet"))
