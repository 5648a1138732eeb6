"""The run options: one table that the CLI, the magic and the form are built from."""

from __future__ import annotations

from pathlib import Path

import pytest

from synth_magic import InputError, options
from synth_magic._inputs import whole_number
from synth_magic.cli import build_parser
from synth_magic.magic import OPTIONS as MAGIC_OPTIONS
from synth_magic.magic import parse
from synth_magic.planner import NAMES

ROOT = Path(__file__).resolve().parents[1]


def test_every_option_has_a_parser_help_and_a_surface():
    for o in options.OPTIONS:
        assert o.kind in options.PARSERS and o.help and o.surfaces, o.name
        assert set(o.surfaces) <= set(options.SURFACES), o.name
        assert o.flag or o.positional or o.example, o.name  # "rows needs a value, e.g. rows=1000"


def test_the_cli_arguments_are_the_cli_options():
    parser = build_parser()
    assert list(vars(parser.parse_args([]))) == [o.name for o in options.on("cli")]
    shown = parser.format_help()
    assert "-o PATH, --output PATH" in shown and "-n N, --rows N" in shown


def test_the_magic_options_are_the_magic_options():
    assert tuple(o for o in options.on("magic") if not o.positional) == MAGIC_OPTIONS


def test_the_form_fields_are_the_form_options():
    pytest.importorskip("ipywidgets")
    from synth_magic.widget import SynthForm

    form = SynthForm()
    assert list(form.fields) == [o.name for o in options.on("form")]
    assert list(form.planner.options) == list(NAMES)


NUMBERS = [("1000", 1000), ("1,000", 1000), ("1_000", 1000), (" 25 ", 25), ("10k", 10_000), ("10K", 10_000),
           ("2.5M", 2_500_000), ("1B", 10**9), ("1e6", 10**6), ("1.5e3", 1500), ("12,345,678", 12_345_678),
           ("+7", 7), ("1_0_0", 100)]


@pytest.mark.parametrize(("text", "rows"), NUMBERS)
def test_one_number_syntax_for_rows_on_every_surface(text, rows):
    assert options.parse("rows", text) == rows
    assert parse(f"rows={text.strip()}", "customers").options["rows"] == rows
    args = build_parser().parse_args(["customers", "--rows", text])
    assert options.parse("rows", args.rows) == rows
    assert options.parse("seed", text) == rows and options.parse("preview", text) == rows


@pytest.mark.parametrize("text", ["1,00", "1,5", "1.5", "1e-3", "2.5", "k", "1kk", "1_", "_1", "1__0", "1 000",
                                  "1e999", "0x10", "٣", "1" * 40, "nan", "inf", "1,000.5", ""])
def test_what_is_not_a_whole_number(text):
    assert whole_number(text) is None
    with pytest.raises(InputError, match=r"^rows must be a whole number such as 1000, not "):
        options.parse("rows", text)


def test_whole_numbers_from_python_values():
    assert [whole_number(v) for v in (5, 5.0, 1e6, True, 2.5, None, float("nan"), [1])] == \
        [5, 5, 10**6, None, None, None, None, None]


@pytest.mark.parametrize(("name", "value", "message"), [
    ("rows", "abc", "rows must be a whole number such as 1000, not 'abc'."),
    ("seed", "x", "seed must be a whole number such as 42, not 'x'."),
    ("preview", "-1", "preview must be a whole number of rows from 0 up, not '-1'."),
    ("planner", "gpt", "Unknown planner 'gpt'; use 'offline' or 'openai'."),
    ("refresh", "maybe", "refresh is a flag: write refresh alone, or refresh=yes / refresh=no, not 'maybe'."),
    ("model", " ", "model needs a value, e.g. model=gpt-4o-mini."),
    ("name", "class", "'class' is a Python keyword and cannot name a variable; use another name, e.g. class_df."),
])
def test_bad_values_get_one_sentence(name, value, message):
    with pytest.raises(InputError) as err:
        options.parse(name, value)
    assert str(err.value) == message


@pytest.mark.parametrize(("name", "ok"), [("df", True), ("_x1", True), ("données", True), ("class", False),
                                          ("1a", False), ("a-b", False), ("None", False)])
def test_check_name(name: str, ok: bool) -> None:
    if ok:
        assert options.check_name(name) == name
    else:
        with pytest.raises(InputError):
            options.check_name(name)


def test_flags_read_yes_and_no():
    assert options.parse("refresh", "yes") is True and options.parse("refresh", "off") is False


def test_readme_option_tables_are_generated_from_the_table():
    from tools import readme

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "<!-- generated: magic-options -->" in text and "<!-- generated: cli-options -->" in text
    assert readme.render(text) == text, "README.md is stale: run `make readme`"
