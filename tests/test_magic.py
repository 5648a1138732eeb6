"""The magics, driven through a real IPython InteractiveShell."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from IPython.core.error import UsageError
from IPython.testing.globalipapp import start_ipython
from IPython.utils.capture import capture_output

from synth_magic import InputError, api
from synth_magic.magic import MISSING_KEY_MESSAGE, OPTIONS, SECRET_MESSAGE, SynthMagics, parse

ROOT = Path(__file__).resolve().parents[1]
TX = "finance transactions with merchant, amount between 1 and 500, about 2% fraud"
SUMMARY = re.compile(r"^(\w+): ([\d,]+) rows × (\d+) columns · schema from (\w+) · seed (\d+) · \d+\.\d\d s")


@pytest.fixture(scope="session")
def session_ip():
    ip = start_ipython()
    ip.run_line_magic("load_ext", "synth_magic")
    return ip


@pytest.fixture
def ip(session_ip):
    """The shell, with fresh settings and no frames left over from another test."""
    magics = session_ip.magics_manager.registry["SynthMagics"]
    for name in magics.trait_names(config=True):
        magics.trait_defaults(name)
        setattr(magics, name, magics.trait_defaults(name))
    before = set(session_ip.user_ns)
    yield session_ip
    for name in set(session_ip.user_ns) - before:
        session_ip.user_ns.pop(name, None)
    session_ip.user_ns.pop("df", None)


@pytest.fixture
def magics(ip) -> SynthMagics:
    return ip.magics_manager.registry["SynthMagics"]


def cell(ip, line: str, body: str):
    with capture_output() as out:
        ip.run_cell_magic("synth", line, body)
    return out


def line(ip, text: str):
    with capture_output() as out:
        ip.run_line_magic("synth", text)
    return out


def summary(out) -> re.Match:
    m = SUMMARY.match(out.stdout)
    assert m, out.stdout
    return m


@pytest.fixture
def spy(monkeypatch):
    """Record what the magic passes to api.run (and still run it)."""
    calls: list[tuple[tuple, dict]] = []
    real = api.run

    def run(*args, **kwargs):
        calls.append((args, kwargs))
        return real(*args, **kwargs)

    monkeypatch.setattr(api, "run", run)
    return calls


# ------------------------------------------------------------------ loading

def test_load_registers_every_magic(ip):
    magics = ip.magics_manager.magics
    assert {"synth", "synth_schema", "synth_cache"} <= set(magics["line"])
    assert "synth" in magics["cell"]
    ip.run_line_magic("load_ext", "synth_magic")  # loading twice is harmless
    assert isinstance(ip.magics_manager.registry["SynthMagics"], SynthMagics)


def test_unload_removes_every_magic_and_reload_brings_them_back(session_ip):
    ours = {kind: {n for n in names if n.startswith("synth")}
            for kind, names in session_ip.magics_manager.magics.items()}
    assert ours["line"] >= {"synth", "synth_schema", "synth_cache", "synth_form"} and ours["cell"] == {"synth"}
    session_ip.run_line_magic("unload_ext", "synth_magic")
    try:
        for kind, names in session_ip.magics_manager.magics.items():
            assert not {n for n in names if n.startswith("synth")}, kind
    finally:
        session_ip.run_line_magic("load_ext", "synth_magic")
    assert {n for n in session_ip.magics_manager.magics["line"] if n.startswith("synth")} == ours["line"]


def test_loading_the_extension_stays_light():
    code = ("import sys\nfrom IPython.testing.globalipapp import start_ipython\n"
            "ip = start_ipython()\nip.run_line_magic('load_ext', 'synth_magic')\n"
            "print(sorted(m for m in ('pandas', 'faker', 'openai', 'pyarrow', 'diskcache', 'tqdm') if m in sys.modules))")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"


# ------------------------------------------------------------------ the cell magic

def test_cell_pushes_frame_and_shows_summary_and_preview(ip):
    out = cell(ip, "tx rows=12 seed=42", TX)
    tx = ip.user_ns["tx"]
    assert isinstance(tx, pd.DataFrame) and len(tx) == 12
    m = summary(out)
    assert m.groups()[:5] == ("tx", "12", str(tx.shape[1]), "offline", "42")
    assert len(out.outputs) == 1  # the preview
    shown = out.outputs[0].data["text/plain"]
    assert shown == repr(tx.head(5))
    pd.testing.assert_frame_equal(tx, api.synth(TX, rows=12, seed=42))


def test_var_defaults_to_df(ip):
    cell(ip, "rows=3 seed=1", "customers with name and email")
    assert len(ip.user_ns["df"]) == 3


def test_existing_variable_is_replaced_only_on_success(ip):
    ip.user_ns["df"] = "keep me"
    with pytest.raises(UsageError):
        cell(ip, "rows=0", "customers")
    assert ip.user_ns["df"] == "keep me"
    cell(ip, "rows=2 seed=1", "customers")
    assert isinstance(ip.user_ns["df"], pd.DataFrame)


def run_cell(ip, source: str):
    """A cell as a notebook runs it: IPython's transforms (``x = %synth ...``) and ours."""
    with capture_output() as out:
        result = ip.run_cell(source, store_history=False)
    if result.error_in_exec is not None:
        raise result.error_in_exec
    return out


def test_line_magic_as_a_value_returns_the_frame_and_leaves_df_alone(ip):
    ip.user_ns["df"] = "mine"
    out = run_cell(ip, "x = %synth rows=5 seed=3 customers with name and email")
    x = ip.user_ns["x"]
    assert isinstance(x, pd.DataFrame) and len(x) == 5 and ip.user_ns["df"] == "mine"
    assert out.stdout.startswith("5 rows × ") and "seed 3" in out.stdout  # no "df:" before it
    pd.testing.assert_frame_equal(x, api.synth("customers with name and email", rows=5, seed=3))
    # VAR named as well: both hold the frame
    run_cell(ip, "y = %synth tx rows=4 seed=3 customers with name and email")
    assert ip.user_ns["y"] is ip.user_ns["tx"] and len(ip.user_ns["y"]) == 4
    # inside an expression too (a direct call whose value is used)
    run_cell(ip, "n = len(get_ipython().run_line_magic('synth', 'rows=6 preview=0 customers'))")
    assert ip.user_ns["n"] == 6 and ip.user_ns["df"] == "mine"


def test_line_magic_as_a_statement_stores_df_and_returns_nothing(ip):
    out = run_cell(ip, "%synth rows=3 seed=1 customers with name and email")
    assert isinstance(ip.user_ns["df"], pd.DataFrame) and len(ip.user_ns["df"]) == 3
    assert not [o for o in out.outputs if "text/plain" in o.data and "Out" in o.data["text/plain"]]
    assert ip.run_line_magic("synth", "rows=2 preview=0 customers") is None  # a plain call: as before


def test_replacing_a_variable_synth_magic_did_not_make_says_so(ip):
    ip.user_ns["df"] = [1, 2, 3]
    first = cell(ip, "rows=2 seed=1", "customers")
    assert first.stdout.splitlines()[0].endswith(" · replaced your df (list)")
    again = cell(ip, "rows=2 seed=1", "customers")  # our own frame: replacing it is the point
    assert "replaced" not in again.stdout
    ip.user_ns["orders"] = pd.DataFrame({"a": [1]})
    assert "replaced your orders (DataFrame)" in line(ip, "orders rows=2 preview=0 customers").stdout


def test_hints_are_worded_for_the_notebook(ip):
    with pytest.raises(UsageError, match=r"^Column 'a' has unknown type 'wibble'; run %synth_types to list the types\.$"):
        cell(ip, "rows=2", "columns:\n  a: wibble\n")


def test_synth_types_lists_the_catalogue_or_one_group(ip):
    from synth_magic.catalog import GROUPS, TYPES

    every = ip.run_line_magic("synth_types", "")
    assert [row.split()[0] for row in every.splitlines()] == list(TYPES)
    finance = ip.run_line_magic("synth_types", "Finance")
    assert [row.split()[0] for row in finance.splitlines()] == [n for n, t in TYPES.items() if t.group == "finance"]
    with pytest.raises(UsageError, match=f"^Unknown type group 'fin'; the groups are {', '.join(GROUPS[:-1])} "):
        ip.run_line_magic("synth_types", "fin")
    with pytest.raises(UsageError, match="^%synth_types takes at most one group name"):
        ip.run_line_magic("synth_types", "finance people")


@pytest.mark.parametrize(("text", "rows"), [("1,000", 1000), ("1_000", 1000), ("10k", 10_000), ("1e3", 1000),
                                            ("2.5k", 2500)])
def test_rows_in_every_number_syntax(ip, text, rows):
    line(ip, f"rows={text} preview=0 customers")
    assert len(ip.user_ns["df"]) == rows


def test_random_seeds_have_at_most_8_digits(ip):
    seeds = {int(summary(cell(ip, "rows=1 preview=0", "customers")).group(5)) for _ in range(20)}
    assert all(0 <= s < 10**8 for s in seeds) and len(seeds) > 1


def test_preview_keeps_every_cell_on_one_line(ip, monkeypatch):
    monkeypatch.setattr(ip.display_formatter.formatters["text/html"], "enabled", True)  # as in a notebook
    out = cell(ip, "rows=3 seed=1", "users with a uuid and a signup date")
    html = out.outputs[0].data["text/html"]
    assert "<td>" not in html and html.count("<td style='white-space:nowrap'>") == 3 * ip.user_ns["df"].shape[1]


@pytest.mark.parametrize("options", [
    "rows=7 seed=3 locale=de_DE",
    "--rows 7 --seed 3 --locale de_DE",
    "--rows=7 --seed=3 --locale=de-DE",
    "--rows 7 seed=3 --locale de_de",
    'rows="7" seed=\'3\' locale=de_DE',
])
def test_both_option_syntaxes_give_the_same_frame(ip, options):
    cell(ip, f"people {options}", "customers with name, city and phone")
    expected = api.synth("customers with name, city and phone", rows=7, seed=3, locale="de_DE")
    pd.testing.assert_frame_equal(ip.user_ns["people"], expected)
    assert api.schema_of(ip.user_ns["people"]).locale == "de_DE"


def test_every_option_reaches_the_api(ip, spy, tmp_path):
    path = tmp_path / "out.csv"
    cell(ip, f"tx rows=4 seed=9 locale=fr_FR save={path} planner=offline model=m1 preview=0 refresh", TX)
    args, kwargs = spy[-1]
    assert args == (TX, 4)
    assert kwargs["seed"] == 9 and kwargs["locale"] == "fr_FR" and kwargs["save"] == str(path)
    assert kwargs["planner"] == "offline" and kwargs["model"] == "m1" and kwargs["refresh"] is True
    assert path.exists()
    assert pd.read_csv(path).shape == ip.user_ns["tx"].shape


def test_save_parquet_and_summary_names_the_file(ip, tmp_path):
    path = tmp_path / "tx.parquet"
    out = cell(ip, f'tx rows=5 seed=1 save="{path}"', TX)
    assert f"saved to {path}" in out.stdout
    pd.testing.assert_frame_equal(pd.read_parquet(path), ip.user_ns["tx"], check_dtype=False,
                                  check_categorical=False)


def test_engine_dask_gives_the_lazy_frame_and_a_preview_made_here(ip, spy):
    pytest.importorskip("distributed")
    out = cell(ip, "tx rows=40000 seed=3 engine=dask preview=2", TX)
    lazy = ip.user_ns["tx"]
    assert type(lazy).__module__.startswith("dask") and spy[-1][1]["engine"] == "dask"
    assert summary(out).group(2) == "40,000"
    expected = api.synth(TX, rows=40_000, seed=3)
    assert out.outputs[0].data["text/plain"] == repr(expected.head(2))
    pd.testing.assert_frame_equal(lazy.compute(), expected, check_categorical=False)


def test_refresh_and_cache_source(ip):
    assert summary(cell(ip, "rows=2 seed=1", TX)).group(4) == "offline"
    assert summary(cell(ip, "rows=2 seed=1", TX)).group(4) == "cache"
    assert summary(cell(ip, "rows=2 seed=1 refresh", TX)).group(4) == "offline"
    assert summary(cell(ip, "rows=2 seed=1 --refresh", TX)).group(4) == "offline"
    assert summary(cell(ip, "rows=2 seed=1 refresh=no", TX)).group(4) == "cache"


@pytest.mark.parametrize(("options", "shown"), [("preview=0", 0), ("preview=2", 2), ("--preview 3", 3), ("", 5)])
def test_preview(ip, options, shown):
    out = cell(ip, f"rows=8 seed=1 {options}", TX)
    if shown == 0:
        assert out.outputs == []
    else:
        assert out.outputs[0].data["text/plain"] == repr(ip.user_ns["df"].head(shown))


def test_dollar_name_in_option_values(ip):
    ip.user_ns["n"] = 6
    cell(ip, "rows=$n seed=1", TX)
    assert len(ip.user_ns["df"]) == 6


def test_schema_text_form_in_the_body(ip):
    body = "title: tiny\nlocale: en_US\ncolumns:\n  id: id\n  score: integer min=1 max=3\n"
    out = cell(ip, "t rows=4 seed=1", body)
    assert summary(out).group(4) == "text"
    assert list(ip.user_ns["t"].columns) == ["id", "score"]
    assert ip.user_ns["t"]["score"].between(1, 3).all()


# ------------------------------------------------------------------ the line magic

def test_line_magic_with_var_and_options(ip):
    out = line(ip, "orders rows=3 seed=1 online orders with status")
    assert summary(out).group(1) == "orders"
    pd.testing.assert_frame_equal(ip.user_ns["orders"], api.synth("online orders with status", rows=3, seed=1))


def test_line_magic_without_var_uses_df(ip, spy):
    line(ip, "--rows 2 --seed 5 customers with email")
    assert spy[-1][0] == ("customers with email", 2)
    assert len(ip.user_ns["df"]) == 2


def test_line_magic_description_only(ip, spy):
    line(ip, "20 employees with salary")
    assert spy[-1][0] == ("20 employees with salary", None)
    assert len(ip.user_ns["df"]) == 20  # the count in the description


def test_line_magic_options_after_the_description(ip, spy):
    line(ip, "tx finance transactions rows=3 seed=2")
    assert spy[-1][0] == ("tx finance transactions", 3)  # no option right after 'tx': not a VAR
    line(ip, "tx rows=3 finance transactions seed=2")
    assert spy[-1][0] == ("finance transactions", 3) and spy[-1][1]["seed"] == 2


def test_line_magic_keeps_quotes_and_apostrophes(ip, spy):
    line(ip, "rows=2 seed=1 customer's orders with \"status\"")
    assert spy[-1][0][0] == "customer's orders with \"status\""
    line(ip, 'rows=2 seed=1 "customers with email"')
    assert spy[-1][0][0] == "customers with email"


def test_dollar_and_braces_are_not_expanded(ip, spy):
    ip.user_ns["n"] = 5
    with capture_output():
        result = ip.run_cell("%synth tx rows=3 seed=1 transactions over $100 and $n {n} {1+1}")
    assert result.success, result.error_in_exec
    assert spy[-1][0] == ("transactions over $100 and $n {n} {1+1}", 3)
    with capture_output():
        result = ip.run_cell("%%synth tx rows=3 seed={n}\ntransactions over $n\n")
    assert not result.success  # {n} is not expanded in the line either
    assert str(result.error_in_exec) == "seed must be a whole number such as 42, not '{n}'."


# ------------------------------------------------------------------ schema round trip

def test_synth_schema_round_trip(ip):
    cell(ip, "tx rows=6 seed=42", TX)
    text = ip.run_line_magic("synth_schema", "tx")
    assert text.startswith("%%synth tx rows=6 seed=42\ntitle: ")
    head, _, body = text.partition("\n")
    original = ip.user_ns.pop("tx")
    with capture_output() as out:
        result = ip.run_cell(text)
    assert result.success, result.error_in_exec
    assert summary(out).group(4) == "text"
    pd.testing.assert_frame_equal(ip.user_ns["tx"], original)
    # edit a column and run it again
    edited = re.sub(r"(amount: money min=)1 max=500", r"\g<1>1000 max=2000", body)
    assert edited != body
    cell(ip, "tx2 rows=6 seed=42", edited)
    assert ip.user_ns["tx2"]["amount"].between(1000, 2000).all()


def test_synth_schema_defaults_to_df_and_displays_plain_text(ip):
    cell(ip, "rows=2 seed=3", "customers with name")
    with capture_output() as out:
        ip.run_cell("%synth_schema")
    shown = re.sub(r"^Out\[\d+\]: ", "", out.stdout).lstrip("\n")  # the display hook
    assert shown.startswith("%%synth df rows=2 seed=3\ntitle:") and "columns:" in shown
    assert "\\n" not in shown  # shown as text, not as a quoted str repr


@pytest.mark.parametrize(("arg", "message"), [
    ("nothing_here", "There is no variable 'nothing_here'; make one first, e.g. %synth nothing_here rows=100 customers."),
    ("plain", "'plain' was not made by synth-magic, so it has no schema to show."),
    ("a b", "%synth_schema takes at most one variable name, e.g. %synth_schema df."),
    ("1df", "'1df' is not a valid variable name; use letters, digits and underscores, not starting with a digit, e.g. df or tx."),
])
def test_synth_schema_errors(ip, arg, message):
    ip.user_ns["plain"] = pd.DataFrame({"a": [1]})
    with pytest.raises(UsageError) as err:
        ip.run_line_magic("synth_schema", arg)
    assert str(err.value) == message


# ------------------------------------------------------------------ errors

BAD = [
    # (line, body, exact message)
    ("df colour=red", TX, "Unknown option 'colour'; the options are rows, seed, locale, save, planner, messy, model, preview, refresh and engine."),
    ("df row=5", TX, "Unknown option 'row'; did you mean 'rows'?"),
    ("--rowz 5", TX, "Unknown option 'rowz'; did you mean 'rows'?"),
    ("rows=abc", TX, "rows must be a whole number such as 1000, not 'abc'."),
    ("rows=0", TX, "rows must be at least 1, not 0."),
    ("rows=-3", TX, "rows must be at least 1, not -3."),
    ("--rows", TX, "rows needs a value, e.g. rows=1000."),
    ("rows=1 rows=2", TX, "The option rows is given twice; give it once."),
    ("seed=x", TX, "seed must be a whole number such as 42, not 'x'."),
    ("preview=-1", TX, "preview must be a whole number of rows from 0 up, not '-1'."),
    ("planner=gpt", TX, "Unknown planner 'gpt'; use 'offline' or 'openai'."),
    ("locale=xx_YY", TX, "Unknown locale 'xx_YY'; use a Faker locale such as en_US, de_DE, fr_FR or ja_JP (`synth --locales` lists them all)."),
    ("save=out.txt", TX, None),  # the export module's message, whatever it is
    ("refresh=maybe", TX, "refresh is a flag: write refresh alone, or refresh=yes / refresh=no, not 'maybe'."),
    ("rows=$missing", TX, "rows=$missing names no variable; define missing first or write the value."),
    ("df", "   \n  \n", "The %%synth cell has no description; say what the table holds on the lines below the %%synth line, e.g. finance transactions."),
    ("1df", TX, "'1df' is not a valid variable name; use letters, digits and underscores, not starting with a digit, e.g. df or tx."),
    ("class", TX, "'class' is a Python keyword and cannot name a variable; use another name, e.g. class_df."),
    ("my-df rows=3", TX, "'my-df' is not a valid variable name; use letters, digits and underscores, not starting with a digit, e.g. df or tx."),
    ("df tx", TX, "Unexpected 'tx' on the %%synth line; give one variable name, then options such as rows=1000 (the description goes in the cell body)."),
    ("df key=sk-123", TX, SECRET_MESSAGE),
    ("df api_key=sk-123", TX, SECRET_MESSAGE),
    ("df --api-key sk-123", TX, SECRET_MESSAGE),
    ("df planner=openai", TX, MISSING_KEY_MESSAGE),
]


@pytest.mark.parametrize(("line_", "body", "message"), BAD, ids=[b[0] or "empty" for b in BAD])
def test_bad_cells_raise_usage_error_with_exact_text(ip, line_, body, message):
    ip.user_ns["df"] = "untouched"
    with pytest.raises(UsageError) as err:
        cell(ip, line_, body)
    assert type(err.value) is UsageError
    if message is not None:
        assert str(err.value) == message
    assert err.value.__cause__ is None and err.value.__suppress_context__
    assert ip.user_ns["df"] == "untouched"


BAD_LINES = [
    ("", "%synth needs a description after the options, e.g. %synth df rows=100 finance transactions."),
    ("df rows=5", "%synth needs a description after the options, e.g. %synth df rows=100 finance transactions."),
    ("rows=abc customers", "rows must be a whole number such as 1000, not 'abc'."),
    ("df rows=0 customers", "rows must be at least 1, not 0."),
    ("df colour=red customers", "Unknown option 'colour'; the options are rows, seed, locale, save, planner, messy, model, preview, refresh and engine."),
    ("1df rows=3 customers", "'1df' is not a valid variable name; use letters, digits and underscores, not starting with a digit, e.g. df or tx."),
    ("class rows=3 customers", "'class' is a Python keyword and cannot name a variable; use another name, e.g. class_df."),
    ("df rows=3 customers --vip", "Unknown option 'vip'; the options are rows, seed, locale, save, planner, messy, model, preview, refresh and engine."),
    ("df rows=3 customers api_key=sk-1", SECRET_MESSAGE),
]


@pytest.mark.parametrize(("text", "message"), BAD_LINES, ids=[b[0] or "empty" for b in BAD_LINES])
def test_bad_lines_raise_usage_error_with_exact_text(ip, text, message):
    with pytest.raises(UsageError) as err:
        line(ip, text)
    assert str(err.value) == message


def test_an_empty_cell_gets_ipythons_message(ip):
    with pytest.raises(UsageError) as err:
        ip.run_cell_magic("synth", "df rows=3", "")
    assert str(err.value) == ("%%synth is a cell magic, but the cell body is empty. "
                              "Did you mean the line magic %synth (single %)?")


def test_usage_error_stops_run_all(ip):
    with capture_output() as out:
        result = ip.run_cell("%%synth df rows=abc\ncustomers\n")
    assert not result.success and isinstance(result.error_in_exec, UsageError)
    assert "Traceback" not in out.stderr + out.stdout


def test_short_errors_false_shows_the_original(ip, magics):
    magics.short_errors = False
    with pytest.raises(InputError, match="rows must be at least 1"):
        cell(ip, "rows=0", TX)


@pytest.mark.parametrize("how", ["option", "config", "env"])
def test_missing_key_for_openai(ip, magics, monkeypatch, how):
    if how == "config":
        ip.run_line_magic("config", "SynthMagics.default_planner = 'openai'")
    elif how == "env":
        monkeypatch.setenv("SYNTH_PLANNER", "openai")
    with pytest.raises(UsageError) as err:
        cell(ip, "rows=3 planner=openai" if how == "option" else "rows=3", TX)
    assert str(err.value) == MISSING_KEY_MESSAGE
    assert "%env OPENAI_API_KEY=" in MISSING_KEY_MESSAGE and ".env file" in MISSING_KEY_MESSAGE


def test_openai_planner_without_key_is_fine_for_a_schema_text(ip):
    body = "title: tiny\ncolumns:\n  id: id\n"
    cell(ip, "rows=2 seed=1 planner=openai", body)
    assert list(ip.user_ns["df"]["id"]) == [1, 2]


def test_synth_warnings_are_one_line(ip, magics, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    magics.cache_dir = str(blocker / "cache")
    out = cell(ip, "rows=2 seed=1", TX)
    assert re.match(r"^warning: The schema cache at .* cannot be used", out.stderr)
    assert len(ip.user_ns["df"]) == 2


# ------------------------------------------------------------------ settings

def test_config_magic_sets_defaults(ip, magics, spy):
    ip.run_line_magic("config", "SynthMagics.default_rows = 9")
    ip.run_line_magic("config", "SynthMagics.preview_rows = 1")
    ip.run_line_magic("config", "SynthMagics.model = 'my-model'")
    out = cell(ip, "seed=1", TX)
    assert len(ip.user_ns["df"]) == 9
    assert out.outputs[0].data["text/plain"] == repr(ip.user_ns["df"].head(1))
    assert spy[-1][1]["model"] == "my-model"
    line(ip, "seed=1 20 employees")  # a count in the description beats default_rows
    assert len(ip.user_ns["df"]) == 20
    line(ip, "rows=4 seed=1 20 employees")  # and rows= beats both
    assert len(ip.user_ns["df"]) == 4


def test_config_rejects_bad_values(ip, magics):
    from traitlets import TraitError

    with pytest.raises(TraitError):
        magics.default_rows = 0
    with pytest.raises(TraitError):
        magics.default_planner = "gpt"


def test_settings_from_ipython_config(session_ip):
    from traitlets.config import Config

    config = Config()
    config.SynthMagics.default_rows = 11
    config.SynthMagics.short_errors = False
    magics = SynthMagics(shell=session_ip, config=config)
    try:
        assert magics.default_rows == 11 and magics.short_errors is False
    finally:
        session_ip.configurables.remove(magics)


def test_cache_dir_setting(ip, magics, tmp_path):
    magics.cache_dir = str(tmp_path / "mine")
    cell(ip, "rows=2 seed=1", TX)
    with capture_output() as out:
        ip.run_line_magic("synth_cache", "info")
    assert out.stdout.startswith(f"schema cache: {tmp_path / 'mine'}\n1 entry, ")


def test_synth_cache_list_info_clear(ip):
    with capture_output() as out:
        ip.run_line_magic("synth_cache", "")
    assert out.stdout == "The schema cache is empty.\n"
    cell(ip, "rows=2 seed=1", TX)
    cell(ip, "rows=2 seed=1", "online orders with status")
    with capture_output() as out:
        ip.run_line_magic("synth_cache", "list")
    lines = out.stdout.splitlines()
    assert len(lines) == 2 and re.fullmatch(rf"{re.escape(TX)} · \d+ columns · offline", lines[0])
    assert re.fullmatch(r"online orders with status · \d+ columns · offline", lines[1])
    with capture_output() as out:
        ip.run_line_magic("synth_cache", "info")
    assert "\n2 entries, " in out.stdout
    with capture_output() as out:
        ip.run_line_magic("synth_cache", "clear")
    assert out.stdout == "Removed 2 cached schemas.\n"
    assert summary(cell(ip, "rows=2 seed=1", TX)).group(4) == "offline"
    with pytest.raises(UsageError, match=r"^Unknown %synth_cache action 'drop'; use list, clear or info\.$"):
        ip.run_line_magic("synth_cache", "drop")


# ------------------------------------------------------------------ progress and Ctrl-C

class FakeBar:
    made: list[FakeBar] = []

    def __init__(self, total: int, **kwargs):
        self.total, self.n, self.closed, self.kwargs = total, 0, False, kwargs
        FakeBar.made.append(self)

    def update(self, k: int) -> None:
        self.n += k

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def fake_tqdm(monkeypatch):
    import tqdm.auto

    FakeBar.made = []
    monkeypatch.setattr(tqdm.auto, "tqdm", FakeBar)
    return FakeBar


def test_progress_bar_only_for_long_runs(ip, magics, fake_tqdm):
    cell(ip, "rows=40000 seed=1 preview=0", TX)
    assert fake_tqdm.made == []  # below the default 200,000 rows
    magics.progress_rows = 1000
    cell(ip, "rows=40000 seed=1 preview=0", TX)
    (bar,) = fake_tqdm.made
    assert bar.total == 40000 and bar.n == 40000 and bar.closed and bar.kwargs["leave"] is False


def test_ctrl_c_leaves_namespace_and_disk_untouched(ip, magics, fake_tqdm, monkeypatch, tmp_path):
    magics.progress_rows = 1000

    def interrupt(self, k):
        if self.n:  # the second chunk
            raise KeyboardInterrupt
        self.n += k

    monkeypatch.setattr(FakeBar, "update", interrupt)
    ip.user_ns["tx"] = "before"
    path = tmp_path / "big.csv"
    with pytest.raises(UsageError) as err:
        cell(ip, f"tx rows=50000 seed=1 save={path}", TX)
    assert str(err.value) == "Interrupted: tx was not changed and no file was written."
    assert ip.user_ns["tx"] == "before"
    assert list(tmp_path.iterdir()) == []
    assert fake_tqdm.made[0].closed
    magics.short_errors = False
    with pytest.raises(KeyboardInterrupt):
        cell(ip, f"tx rows=50000 seed=1 save={path}", TX)


def test_ctrl_c_while_saving_leaves_no_file(ip, monkeypatch, tmp_path):
    import synth_magic.export as export

    real = export.to_arrow

    def interrupted(*args, **kwargs):
        real(*args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(export, "to_arrow", interrupted)
    with pytest.raises(UsageError, match="^Interrupted: df was not changed"):
        cell(ip, f"rows=10 seed=1 save={tmp_path / 'x.csv'}", TX)
    assert list(tmp_path.iterdir()) == []
    assert "df" not in ip.user_ns


# ------------------------------------------------------------------ help and docs

def test_help_lists_every_option_and_setting(ip):
    doc = ip.find_cell_magic("synth").__doc__
    assert doc == ip.find_line_magic("synth").__doc__
    for option in OPTIONS:
        assert re.search(rf"^  {option.name}(={re.escape(option.metavar)})?\s+\S", doc, re.M), option.name
    for setting in SynthMagics.class_trait_names(config=True):
        assert setting in doc, setting
    with capture_output() as out:
        ip.run_cell("%%synth?")
    assert "rows=N" in out.stdout + "".join(o.data.get("text/plain", "") for o in out.outputs)


@pytest.mark.parametrize("text", ["--help", "-h", "tx --help"])
def test_dash_dash_help_prints_the_help(ip, text):
    with capture_output() as out:
        ip.run_cell_magic("synth", text, "customers")
    assert out.stdout == ip.find_cell_magic("synth").__doc__ + "\n"
    assert "tx" not in ip.user_ns and "df" not in ip.user_ns


def test_readme_documents_every_option_and_magic():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Jupyter", 1)[1].split("\n## ", 1)[0]
    for option in OPTIONS:
        assert f"`{option.name}" in section, option.name
    for name in ("%%synth", "%synth ", "%synth_schema", "%synth_cache", "%synth_types", "= %synth", "short_errors", "default_rows",
                 "default_planner", "cache_dir", "preview_rows", "progress_rows"):
        assert name in section, name


def test_parse_is_pure():
    p = parse("tx --rows 5 seed=1", "customers\n")
    assert (p.var, p.options, p.description) == ("tx", {"rows": 5, "seed": 1}, "customers\n")


def test_synth_form_shows_the_form_bound_to_the_shell(ip):
    from synth_magic.widget import SynthForm

    shown = ip.run_line_magic("synth_form", "")
    assert isinstance(shown, SynthForm) and shown.shell is ip
    with pytest.raises(UsageError, match="^%synth_form takes no options; fill in the form's fields instead.$"):
        ip.run_line_magic("synth_form", "rows=5")


# ------------------------------------------------------------------ fuzzed magic lines

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_WORDS = st.sampled_from([
    "tx", "df", "1df", "class", "_x", "orders", "customers", "with", "name,", "email", "amount", "between",
    "1", "and", "500", "over", "$100", "$n", "{n}", "%", "2%", "fraud", "'quoted text'", '"open', "--", "-",
    "=", "rows", "refresh", "--refresh", "--rows", "seed=1", "rows=3", "rows=0", "rows=-1", "rows=abc",
    "rows=10000000000000", "rows=$n", "rows=$missing", "seed=-2", "seed=x", "locale=de_DE", "locale=xx",
    "save=out.csv", "save=out.txt", "save=/no/such/dir/a.csv", "save=", "planner=offline",
    "planner=openai", "planner=magic", "model=m", "preview=0", "preview=2", "preview=-1", "key=sk-1",
    "api_key=x", "--api-key", "colour=red", "--seed", "7", "\t", "é", "\x00",
])
_LINES = st.lists(_WORDS, max_size=8).map(" ".join)
def test_any_magic_line_gives_a_frame_or_one_usage_error_line(ip, tmp_path, monkeypatch):
    """The only outcomes of a %%synth / %synth line: a frame in the namespace or a one-line UsageError.

    The fuzz must reach both outcomes, so a parser that refuses everything fails too.
    """
    monkeypatch.chdir(tmp_path)
    outcomes = {"frame": 0, "usage error": 0}

    @settings(max_examples=120, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(line=_LINES, body=st.one_of(_LINES, st.just(""), st.just("columns:\n  a: integer max=9\n")),
           cell=st.booleans())
    def check(line, body, cell):
        ip.user_ns["n"] = 3
        for name in [k for k, v in ip.user_ns.items() if isinstance(v, pd.DataFrame)]:
            del ip.user_ns[name]  # examples share the shell: start each without frames
        try:
            if cell:
                ip.run_cell_magic("synth", line, body)
            else:
                ip.run_line_magic("synth", line)
        except UsageError as exc:
            message = str(exc)
            assert message.strip() and "\n" not in message and len(message) < 600, message
            outcomes["usage error"] += 1
            return
        frames = [v for v in ip.user_ns.values() if isinstance(v, pd.DataFrame)]
        assert len(frames) == 1 and len(frames[0]) >= 1
        outcomes["frame"] += 1
        assert not list(tmp_path.glob("*.part")) and not list(tmp_path.glob(".*.part"))

    check()
    assert outcomes["frame"] >= 10 and outcomes["usage error"] >= 10, outcomes


# ------------------------------------------------------------------ related tables

SHOP = "customers and their orders; each customer has 1 to 5 orders"


def test_a_dataset_cell_without_var_puts_each_table_under_its_own_name(ip):
    for name in ("customers", "orders", "df"):
        ip.user_ns.pop(name, None)
    out = cell(ip, "rows=20 seed=3 preview=2", SHOP)
    customers, orders = ip.user_ns["customers"], ip.user_ns["orders"]
    assert len(customers) == 20 and orders["customer_id"].isin(customers["customer_id"]).all()
    assert "df" not in ip.user_ns
    assert out.stdout.startswith("customers, orders: 2 tables: customers 20 × ")
    assert [o.data["text/plain"] for o in out.outputs] == [repr(customers.head(2)), repr(orders.head(2))]


def test_a_dataset_cell_with_var_puts_the_dataset_under_it(ip):
    ip.user_ns.pop("orders", None)
    out = cell(ip, "shop rows=10 seed=1 preview=0", SHOP)
    shop = ip.user_ns["shop"]
    assert list(shop) == ["customers", "orders"] and "orders" not in ip.user_ns
    assert out.stdout.startswith("shop: 2 tables: customers 10 × ")
