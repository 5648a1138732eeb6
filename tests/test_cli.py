"""The ``synth`` command: writing, previewing, schemas, listings, errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from synth_magic import synth
from synth_magic.cli import main
from synth_magic.schema import Schema

SRC = str(Path(__file__).parents[1])


def test_cli_writes_and_previews(tmp_path, capsys):
    out = tmp_path / "tx.csv"
    assert main(["finance transactions", "--rows", "1000", "--seed", "42", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "1,000 rows × 11 columns · schema from offline · seed 42" in printed
    assert f"wrote {out}" in printed
    df = pd.read_csv(out)
    assert df.shape == (1000, 11)
    again = tmp_path / "again.csv"
    main(["finance transactions", "--rows", "1000", "--seed", "42", "-o", str(again)])
    assert out.read_bytes() == again.read_bytes()


def test_cli_file_matches_the_python_api(tmp_path):
    out = tmp_path / "c.csv"
    main(["bank customers", "--rows", "300", "--seed", "9", "-o", str(out), "--preview", "0"])
    expected = synth("bank customers", rows=300, seed=9)
    got = pd.read_csv(out)
    assert got["customer_id"].tolist() == expected["customer_id"].tolist()
    assert got["full_name"].tolist() == expected["full_name"].tolist()


def test_cli_schema_and_from_schema(tmp_path, capsys):
    assert main(["tasks with a priority of low, normal or high and a done flag", "--schema"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("title: ") and "columns:" in text
    path = tmp_path / "schema.txt"
    path.write_text(text.replace("priority: category", "priority: category"))
    assert main(["--from-schema", str(path), "--rows", "5", "--seed", "1"]) == 0
    assert "5 rows" in capsys.readouterr().out
    assert main(["bank customers", "--schema", "--json"]) == 0
    assert Schema.from_json(capsys.readouterr().out).columns


def test_cli_lists_types_and_locales(capsys):
    assert main(["--types"]) == 0
    from synth_magic.catalog import TYPES

    listed = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert listed == list(TYPES)
    assert main(["--locales"]) == 0
    assert "de_DE" in capsys.readouterr().out.split()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["bank customers", "--rows", "ten"], "synth: error: rows must be a whole number such as 1000, not 'ten'."),
        (["bank customers", "--rows", "0"], "synth: error: rows must be at least 1, not 0."),
        (["bank customers", "--rows", "-1"], "synth: error: rows must be at least 1, not -1."),
        ([""], "synth: error: The description is empty; say what the table holds, e.g. 'finance transactions'."),
        (["x" * 5000], "synth: error: The description is 5,000 characters long; keep it under 4,000 (list the columns you need rather than pasting documents)."),
        (["bank customers", "--locale", "xx"], "synth: error: Unknown locale 'xx'; use a Faker locale such as en_US, de_DE, fr_FR or ja_JP (`synth --locales` lists them all)."),
        (["bank customers", "-o", "x.xlsx"], "synth: error: Cannot save to 'x.xlsx': use a name ending in .csv or .parquet."),
        (["--from-schema", "/no/such/file"], "synth: error: Cannot read schema file '/no/such/file': No such file or directory."),
        (["bank customers", "--rows", str(10**12)], None),
    ],
)
def test_cli_bad_input_exits_2_with_one_line(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("synth: error: ")
    if message:
        assert err == message


def test_cli_unknown_type_in_a_schema_file(tmp_path, capsys):
    path = tmp_path / "s.txt"
    path.write_text("columns:\n  a: wibble\n")
    assert main(["--from-schema", str(path)]) == 2
    assert capsys.readouterr().err.strip() == (
        "synth: error: Column 'a' has unknown type 'wibble'; run `synth --types` to list the types."
    )


def test_cli_runs_as_a_module(tmp_path):
    env = {**os.environ, "PYTHONPATH": SRC}
    done = subprocess.run([sys.executable, "-m", "synth_magic", "--help"], capture_output=True, text=True, env=env,
                          timeout=60)
    assert done.returncode == 0
    for option in ("--rows", "--seed", "--locale", "--output", "--planner", "--model", "--schema", "--from-schema",
                   "--refresh", "--types", "--locales", "--preview", "--json"):
        assert option in done.stdout
    bad = subprocess.run([sys.executable, "-m", "synth_magic", "bank customers", "--rows", "abc"],
                         capture_output=True, text=True, env=env, timeout=60)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_cli_writes_related_tables_to_sqlite_and_a_folder(tmp_path, capsys):
    import sqlite3

    library = "a library: members, books, loans"
    db = tmp_path / "lib.sqlite"
    assert main([library, "--rows", "50", "--seed", "3", "-o", str(db)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("3 tables: members 50 × ") and f"wrote {db}" in printed
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        loans = con.execute("SELECT count(*) FROM loans").fetchone()[0]
    assert main([library, "--rows", "50", "--seed", "3", "-o", f"{tmp_path}/lib/"]) == 0
    assert len(pd.read_csv(tmp_path / "lib" / "loans.csv")) == loans
    capsys.readouterr()
    assert main([library, "--schema"]) == 0
    schema = tmp_path / "lib.txt"
    schema.write_text(capsys.readouterr().out)
    assert main(["--from-schema", str(schema), "--rows", "50", "--seed", "3", "-o", str(tmp_path / "again.sqlite")]) == 0
    with sqlite3.connect(tmp_path / "again.sqlite") as con:
        assert con.execute("SELECT count(*) FROM loans").fetchone()[0] == loans


def test_cli_refuses_a_database_for_one_table(tmp_path, capsys):
    assert main(["finance transactions", "-o", str(tmp_path / "tx.sqlite")]) == 2
    assert capsys.readouterr().err.strip() == (
        "synth: error: 'tx.sqlite' holds several tables, and this description makes one; save it to a .csv or "
        ".parquet file.")
