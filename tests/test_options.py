"""The run options: one table that the CLI, the magic and the form are built from."""

from __future__ import annotations

from pathlib import Path

import pytest

from synth_magic import InputError, options
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


@pytest.mark.parametrize(("text", "rows"), [("1000", 1000), ("1,000", 1000), ("1_000", 1000), (" 25 ", 25)])
def test_one_number_syntax_for_rows_on_every_surface(text, rows):
    assert options.parse("rows", text) == rows
    assert parse(f"rows={text.strip()}", "customers").options["rows"] == rows
    args = build_parser().parse_args(["customers", "--rows", text])
    assert options.parse("rows", args.rows) == rows


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
