"""Saving: atomic writes, CSV and Parquet, streamed files, file names."""

from __future__ import annotations

import pandas as pd
import pytest

from synth_magic import ExportError, synth
from synth_magic.export import save, save_frames, suggest_path
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


def test_suggested_names_never_collide(tmp_path):
    assert suggest_path("Finance transactions, 2% fraud!", directory=tmp_path).name == "finance_transactions_2_fraud.csv"
    (tmp_path / "synth.csv").write_text("")
    assert suggest_path("!!!", directory=tmp_path).name == "synth_1.csv"


# ----------------------------------------------------------------------- CLI
