"""The ``synth`` command: writing, previewing, schemas, listings, errors."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from synth_magic import synth
from synth_magic.cli import cli_words, main
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


# ------------------------------------------------------------------ the command line experience

ENV = {**os.environ, "PYTHONPATH": SRC}
TWO_COLUMNS = "title: counters\ncolumns:\n  n: integer min=1 max=9\n  flag: boolean\n"


def _in_a_terminal(argv: list[str], cwd: Path) -> tuple[int, str, bytes]:
    """Run ``synth argv`` with stderr on a pseudo-terminal (stdout a pipe): exit code, what the
    terminal showed, stdout."""
    import pty
    import select

    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "synth_magic", *argv], stdout=subprocess.PIPE,
                            stderr=follower, stdin=subprocess.DEVNULL, env={**ENV, "COLUMNS": "120"}, cwd=cwd)
    os.close(follower)
    shown = b""
    try:
        while True:
            ready, _, _ = select.select([leader], [], [], 120)
            if not ready:
                raise AssertionError("synth did not finish in 120 s")
            try:
                data = os.read(leader, 65536)
            except OSError:  # EIO: the process closed its end
                break
            if not data:
                break
            shown += data
        out = proc.stdout.read()
        proc.wait(30)
    finally:
        os.close(leader)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, shown.decode("utf-8", "replace"), out


def test_a_long_run_shows_a_progress_bar_on_a_terminal(tmp_path):
    schema = tmp_path / "s.txt"
    schema.write_text(TWO_COLUMNS)
    code, shown, out = _in_a_terminal(["--from-schema", str(schema), "--rows", "300k", "--seed", "1",
                                       "-o", str(tmp_path / "big.csv")], tmp_path)
    assert code == 0, shown
    bar = re.search(r"synth +\d+%\|.*\| [\d.]+k?/300k rows · (?:\?|[\d.]+k?) rows/s · (?:\?|[\d:]+) left", shown)
    assert bar, shown
    assert "\r" in shown  # redrawn in place, and cleared at the end (leave=False)
    assert b"300,000 rows" in out and b"rows/s" not in out  # the summary on stdout, the bar never
    assert len(pd.read_csv(tmp_path / "big.csv")) == 300_000


def test_quiet_and_short_runs_show_no_bar(tmp_path):
    schema = tmp_path / "s.txt"
    schema.write_text(TWO_COLUMNS)
    code, shown, out = _in_a_terminal(["--from-schema", str(schema), "--rows", "300k", "-q",
                                       "-o", str(tmp_path / "big.csv")], tmp_path)
    assert (code, shown, out) == (0, "", b"")
    code, shown, out = _in_a_terminal(["--from-schema", str(schema), "--rows", "2,000", "--preview", "0",
                                       "-o", str(tmp_path / "small.csv")], tmp_path)
    assert code == 0 and shown == "" and out.startswith(b"2,000 rows")


def test_not_a_terminal_means_no_bar(tmp_path):
    schema = tmp_path / "s.txt"
    schema.write_text(TWO_COLUMNS)
    done = subprocess.run([sys.executable, "-m", "synth_magic", "--from-schema", str(schema), "--rows", "300k",
                           "-o", str(tmp_path / "big.csv")], capture_output=True, text=True, env=ENV, timeout=120)
    assert done.returncode == 0 and done.stderr == ""


def test_dash_writes_csv_to_stdout_and_the_summary_to_stderr(tmp_path, capsysbinary):
    assert main(["bank customers", "--rows", "1_000", "--seed", "9", "-o", "-"]) == 0
    captured = capsysbinary.readouterr()
    import io

    got = pd.read_csv(io.BytesIO(captured.out))
    expected = synth("bank customers", rows=1000, seed=9)
    assert got.shape == expected.shape and got["customer_id"].tolist() == expected["customer_id"].tolist()
    assert captured.err.decode().startswith("1,000 rows × ") and b"wrote" not in captured.err
    out = tmp_path / "same.csv"
    main(["bank customers", "--rows", "1000", "--seed", "9", "-o", str(out)])
    assert out.read_bytes() == captured.out  # the same bytes as the file
    assert main(["bank customers", "--rows", "10", "-o", "-", "-q"]) == 0
    assert capsysbinary.readouterr().err == b""


def test_dash_into_a_closed_pipe_ends_quietly(tmp_path):
    done = subprocess.run(f"{sys.executable} -m synth_magic 'web sessions' --rows 1M -o - | head -3", shell=True,
                          capture_output=True, text=True, timeout=120, env=ENV, cwd=tmp_path)
    assert done.stdout.count("\n") == 3 and done.stderr == ""
    assert not list(tmp_path.iterdir())  # nothing written beside


@pytest.mark.parametrize(("message", "worded"), [
    ("use planner='offline'.", "use --planner offline."),
    ("or use planner=offline.", "or use --planner offline."),
    ('rows needs a value, e.g. rows=1000.', "rows needs a value, e.g. --rows 1000."),
    ("set seed=42 or locale=de_DE", "set --seed 42 or --locale de_DE"),
    ("null_rate=0.1 and %synth rows=5 stay", "null_rate=0.1 and %synth --rows 5 stay"),
    ("keyrows=5 stays", "keyrows=5 stays"),
])
def test_hints_are_worded_for_the_command_line(message, worded):
    assert cli_words(message) == worded


def test_the_missing_key_error_names_the_flag(capsys, monkeypatch, tmp_path):
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SYNTH_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["bank customers", "--planner", "openai", "--rows", "3"]) == 2
    err = capsys.readouterr().err
    assert err.strip().endswith("or use --planner offline.") and "planner=" not in err


def test_the_preview_shows_identifiers_whole(capsys):
    assert main(["users with a uuid", "--rows", "3", "--seed", "1"]) == 0
    printed = capsys.readouterr().out
    uuids = synth("users with a uuid", rows=3, seed=1)["uuid"]
    assert all(u in printed for u in uuids) and "..." not in printed.splitlines()[1]


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
