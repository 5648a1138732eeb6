"""The ipywidgets form, driven directly: set values, click(), read outputs and namespace."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import warnings
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("ipywidgets")

import synth_magic  # noqa: E402
from synth_magic import api, widget  # noqa: E402
from synth_magic.errors import SynthWarning  # noqa: E402
from synth_magic.generate import CHUNK  # noqa: E402
from synth_magic.widget import SynthForm, form  # noqa: E402


class FakeShell:
    def __init__(self) -> None:
        self.user_ns: dict[str, Any] = {}


@pytest.fixture
def shell() -> FakeShell:
    return FakeShell()


@pytest.fixture
def f(shell: FakeShell) -> SynthForm:
    f = form(shell)
    f.description.value = "finance transactions with amount between 1 and 500"
    f.seed.value = "42"
    return f


def messages(f: SynthForm, where: str = "messages") -> list[str]:
    """What the form says under Generate (``messages``) or under Regenerate (``schema_messages``)."""
    return [out["data"]["text/plain"] for out in getattr(f, where).outputs if out["output_type"] == "display_data"]


def red_lines(f: SynthForm, where: str = "messages") -> list[str]:
    return [out["data"]["text/plain"] for out in getattr(f, where).outputs
            if out["output_type"] == "display_data" and "#c62828" in out["data"]["text/html"]]


def preview_table(f: SynthForm) -> str:
    assert f.preview.value
    return f.preview.value


TH = "<th style='white-space:nowrap'>"  # every cell of the preview on one line


def body_rows(table: str) -> int:
    body = table.split("<tbody>", 1)[1]
    return body.count("<tr>")


def test_generate_pushes_frame_and_shows_preview_summary_schema(f: SynthForm, shell: FakeShell) -> None:
    f.rows.value = "25"
    f.name.value = "tx"
    f.generate.click()

    assert messages(f) == []
    df = shell.user_ns["tx"]
    assert len(df) == 25 and "amount" in df.columns
    assert df["amount"].between(1, 500).all()
    assert f.result is not None and f.result.frame is df
    table = preview_table(f)
    assert body_rows(table) == widget.PREVIEW_ROWS  # first rows only
    assert "first 10 of 25 rows" in table
    for column, dtype in df.dtypes.items():
        assert f"{TH}{column}</th>" in table
        assert f"{TH}{dtype}</th>" in table  # the dtypes row under the names
    assert str(df["customer_name"].iloc[0]) in table
    assert "25 rows × " in f.summary.value and "offline" in f.summary.value
    assert "seed 42" in f.summary.value and "<code>tx</code>" in f.summary.value
    assert f.schema_text.value == f.result.schema.to_text()
    assert f.schema_box.layout.display != "none"
    assert not f.generate.disabled and not f.regenerate.disabled


def test_preview_shows_all_rows_of_a_small_frame(f: SynthForm, shell: FakeShell) -> None:
    f.rows.value = "3"
    f.generate.click()
    table = preview_table(f)
    assert body_rows(table) == 3 and "all 3 rows" in table


def test_blank_fields_leave_the_defaults_to_the_pipeline(shell: FakeShell,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Any, ...]] = []
    real_run = api.run

    def recording_run(description: Any, rows: Any, **kwargs: Any) -> api.Result:
        calls.append((description, rows, kwargs["seed"], kwargs["locale"], kwargs["planner"], kwargs["save"]))
        return real_run(description, rows, **kwargs)

    monkeypatch.setattr(api, "run", recording_run)
    f = form(shell)
    f.description.value = "a list of employees with salaries"
    f.generate.click()
    assert calls == [("a list of employees with salaries", None, None, None, "offline", None)]
    assert messages(f) == []
    assert f.result is not None and isinstance(f.result.seed, int)  # a random seed, reported
    assert f"seed {f.result.seed}" in f.summary.value

    f.rows.value = " 1,000 "
    f.seed.value = "7"
    f.generate.click()
    assert calls[-1][1:3] == (1000, 7)


def test_same_seed_same_frame_through_the_form(f: SynthForm, shell: FakeShell) -> None:
    f.rows.value = "50"
    f.generate.click()
    first = shell.user_ns["df"]
    f.generate.click()
    second = shell.user_ns["df"]
    assert first is not second
    assert first.equals(second)


@pytest.mark.parametrize(("field", "value", "expected"), [
    ("description", "   ", "The description is empty"),
    ("rows", "abc", "rows must be a whole number"),
    ("rows", "0", "rows must be at least 1"),
    ("seed", "-1", "seed must be a whole number"),
    ("name", "class", "'class' is a Python keyword and cannot name a variable"),
    ("name", "1df", "'1df' is not a valid variable name"),
    ("name", "my df", "'my df' is not a valid variable name"),
    ("path", "out.txt", "use a name ending in .csv or .parquet"),
])
def test_errors_are_one_red_line_in_the_form(f: SynthForm, shell: FakeShell, field: str, value: str,
                                            expected: str) -> None:
    if field == "path":
        f.save.value = True
    getattr(f, field).value = value
    f.generate.click()

    assert len(f.messages.outputs) == 1
    (line,) = red_lines(f)
    assert expected in line
    assert "\n" not in line and "Traceback" not in line
    assert shell.user_ns == {}
    assert f.preview.value == "" and f.summary.value == ""
    assert not f.generate.disabled and not f.busy

    getattr(f, field).value = {"description": "finance transactions", "rows": "5", "seed": "1",
                               "name": "df", "path": ""}[field]
    f.save.value = False
    f.generate.click()  # the form keeps working after the error
    assert messages(f) == []
    assert "df" in shell.user_ns


def test_an_error_does_not_erase_the_previous_result(f: SynthForm, shell: FakeShell) -> None:
    f.rows.value = "5"
    f.generate.click()
    df = shell.user_ns["df"]
    f.rows.value = "many"
    f.generate.click()
    assert red_lines(f) and shell.user_ns["df"] is df
    f.rows.value = "6"
    f.generate.click()
    assert messages(f) == [] and len(shell.user_ns["df"]) == 6


def test_buttons_disabled_and_progress_shown_while_running(f: SynthForm, shell: FakeShell,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[bool, bool, bool, str, int]] = []
    calls = 0
    real_run = api.run

    def recording_run(*args: Any, **kwargs: Any) -> api.Result:
        nonlocal calls
        calls += 1
        f.generate.click()  # a second click while running is ignored
        f.regenerate.click()
        progress = kwargs["progress"]

        def spy(done: int, total: int) -> None:
            progress(done, total)
            seen.append((f.generate.disabled, f.regenerate.disabled, f.busy,
                         f.progress.layout.visibility, f.progress.value))

        kwargs["progress"] = spy
        return real_run(*args, **kwargs)

    monkeypatch.setattr(api, "run", recording_run)
    f.rows.value = str(2 * CHUNK + 10)
    f.generate.click()

    assert calls == 1
    assert [s[:4] for s in seen] == [(True, True, True, "visible")] * 3
    assert [s[4] for s in seen] == [CHUNK, 2 * CHUNK, 2 * CHUNK + 10]
    assert f.progress.max == 2 * CHUNK + 10
    assert not f.generate.disabled and not f.regenerate.disabled and not f.busy
    assert f.progress.layout.visibility == "hidden" and f.status.value == ""
    assert len(shell.user_ns["df"]) == 2 * CHUNK + 10


def test_many_generations_keep_the_form_consistent(f: SynthForm, shell: FakeShell) -> None:
    for i in range(1, 16):
        f.rows.value = str(i)
        f.seed.value = str(i)
        f.name.value = f"df{i % 3}"
        if i % 5 == 0:
            f.rows.value = "oops"  # an error now and then
        f.generate.click()
        if i % 5 == 0:
            assert len(red_lines(f)) == 1
            continue
        assert messages(f) == []
        assert len(shell.user_ns[f"df{i % 3}"]) == i
        assert body_rows(preview_table(f)) == min(i, 10)
        assert f"{i} rows × " in f.summary.value
    assert f.runs == 12
    assert set(shell.user_ns) == {"df0", "df1", "df2"}


def test_regenerate_from_edited_schema_text(f: SynthForm, shell: FakeShell) -> None:
    f.rows.value = "30"
    f.generate.click()
    original = shell.user_ns["df"]
    text = f.schema_text.value
    assert "amount: money" in text
    edited = re.sub(r"amount: money[^\n]*", "amount: money min=1000 max=1001", text)
    edited = edited.replace("  merchant:", "  shop:")
    f.schema_text.value = edited
    f.regenerate.click()

    assert messages(f) == []
    df = shell.user_ns["df"]
    assert df is not original and len(df) == 30
    assert "shop" in df.columns and "merchant" not in df.columns
    assert df["amount"].between(1000, 1001).all()
    assert "schema from text" in f.summary.value
    assert f"{TH}shop</th>" in preview_table(f)
    assert "shop:" in f.schema_text.value  # the area now shows the schema that ran


def test_regenerate_with_broken_schema_text_is_a_red_line(f: SynthForm, shell: FakeShell) -> None:
    f.rows.value = "5"
    f.generate.click()
    df = shell.user_ns["df"]
    f.schema_text.value = "columns:\n  amount: no_such_type\n"
    f.regenerate.click()
    (line,) = red_lines(f, "schema_messages")  # under the button that was pressed
    assert "no_such_type" in line and messages(f) == []
    assert shell.user_ns["df"] is df and not f.regenerate.disabled
    assert "synth-stale" in f.preview._dom_classes and "synth-stale" in f.summary._dom_classes
    f.schema_text.value = "title: fixed\ncolumns:\n  amount: money\n"
    f.regenerate.click()
    assert messages(f, "schema_messages") == [] and "synth-stale" not in f.preview._dom_classes
    f.rows.value = "lots"
    f.generate.click()
    assert red_lines(f) and messages(f, "schema_messages") == []  # under Generate this time
    assert "synth-stale" in f.preview._dom_classes


def test_regenerate_without_a_columns_line_is_a_schema_error(f: SynthForm) -> None:
    f.rows.value = "5"
    f.generate.click()
    f.schema_text.value = "title: customers"  # never taken for a description
    f.regenerate.click()
    (line,) = red_lines(f, "schema_messages")
    assert "'columns:'" in line


def test_the_schema_area_is_sized_to_its_text(f: SynthForm) -> None:
    f.rows.value = "5"
    f.generate.click()
    assert f.schema_text.rows == min(max(f.schema_text.value.count("\n") + 1, 4), 40)
    f.schema_text.value = "columns:\n  a: integer\n"
    assert f.schema_text.rows == 4
    f.schema_text.value = "columns:\n" + "".join(f"  c{i}: integer\n" for i in range(80))
    assert f.schema_text.rows == 40


def test_save_writes_the_same_chosen_file_each_time(f: SynthForm, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    f.save.value = True
    f.rows.value = "5"
    f.generate.click()
    (written,) = list(tmp_path.glob("*.csv"))
    assert f.path.value == written.name
    f.rows.value = "7"
    f.generate.click()
    f.regenerate.click()
    assert list(tmp_path.glob("*.csv")) == [written]  # no _1.csv, _2.csv
    assert len(written.read_text().splitlines()) == 8 and f"saved to {written.name}" in f.summary.value


def test_replacing_a_variable_the_package_did_not_make_says_so(f: SynthForm, shell: FakeShell) -> None:
    shell.user_ns["df"] = {"mine": 1}
    f.rows.value = "3"
    f.generate.click()
    assert "replaced your df (dict)" in f.summary.value
    f.generate.click()
    assert "replaced" not in f.summary.value


def test_locale_dropdown_sets_the_schema_locale(f: SynthForm, shell: FakeShell) -> None:
    assert f.locale.value == widget.AUTO_LOCALE
    assert "de_DE" in f.locale.options[1:] or ("de_DE", "de_DE") in f.locale.options
    f.locale.value = "de_DE"
    f.rows.value = "5"
    f.generate.click()
    assert messages(f) == []
    assert f.result is not None and f.result.schema.locale == "de_DE"
    assert "locale: de_DE" in f.schema_text.value


def test_save_as_csv(f: SynthForm, shell: FakeShell, tmp_path: Path) -> None:
    assert f.path.disabled
    f.save.value = True
    assert not f.path.disabled
    target = tmp_path / "tx.csv"
    f.path.value = str(target)
    f.rows.value = "12"
    f.generate.click()
    assert messages(f) == []
    assert target.exists() and len(target.read_text().splitlines()) == 13
    assert f"saved to {target}" in f.summary.value


def test_planner_choice_explains_what_is_missing(shell: FakeShell, monkeypatch: pytest.MonkeyPatch) -> None:
    f = form(shell)
    assert f.planner.value == "offline"  # nothing configured
    assert f.planner_note.value == ""
    f.planner.value = "openai"
    assert "OPENAI_API_KEY" in f.planner_note.value and "OPENAI_BASE_URL" in f.planner_note.value
    f.planner.value = "offline"
    assert f.planner_note.value == ""

    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1")
    f = form(shell)
    assert f.planner.value == "openai"  # the automatic choice, as in synth()
    assert "http://127.0.0.1:11434/v1" in f.planner_note.value
    assert "OPENAI_API_KEY" not in f.planner_note.value


def test_bad_setting_at_startup_is_shown_not_raised(shell: FakeShell, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNTH_PLANNER", "gpt")
    f = form(shell)
    (line,) = red_lines(f)
    assert "Unknown planner 'gpt'" in line
    assert f.planner.value == "offline"


def test_warnings_are_shown_in_the_form(f: SynthForm, shell: FakeShell, monkeypatch: pytest.MonkeyPatch) -> None:
    real_run = api.run

    def warning_run(*args: Any, **kwargs: Any) -> api.Result:
        warnings.warn("The schema cache cannot be used; running without it.", SynthWarning, stacklevel=2)
        return real_run(*args, **kwargs)

    monkeypatch.setattr(api, "run", warning_run)
    f.rows.value = "4"
    f.generate.click()
    assert messages(f) == ["The schema cache cannot be used; running without it."]
    assert red_lines(f) == []
    assert len(shell.user_ns["df"]) == 4


def test_unexpected_error_shows_its_traceback_in_the_form(f: SynthForm, shell: FakeShell,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_run(*args: Any, **kwargs: Any) -> api.Result:
        raise RuntimeError("boom")

    monkeypatch.setattr(api, "run", broken_run)
    f.generate.click()
    (line,) = red_lines(f)
    assert "bug" in line
    (stream,) = [o for o in f.messages.outputs if o["output_type"] == "stream"]
    assert "RuntimeError: boom" in stream["text"] and "Traceback" in stream["text"]
    assert not f.generate.disabled and not f.busy

    monkeypatch.undo()
    f.rows.value = "3"
    f.seed.value = "1"
    f.description.value = "finance transactions"
    f.generate.click()
    assert messages(f) == [] and len(shell.user_ns["df"]) == 3


def test_background_run_ignores_clicks_until_done(f: SynthForm, shell: FakeShell,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    f.background = True
    release = threading.Event()
    started = threading.Event()
    calls = 0
    real_run = api.run

    def slow_run(*args: Any, **kwargs: Any) -> api.Result:
        nonlocal calls
        calls += 1
        started.set()
        assert release.wait(10)
        return real_run(*args, **kwargs)

    monkeypatch.setattr(api, "run", slow_run)
    f.rows.value = "8"
    f.generate.click()
    assert started.wait(10)
    assert f.generate.disabled and f.regenerate.disabled and f.busy
    f.generate.click()
    f.generate.click()
    release.set()
    f.wait(10)
    assert calls == 1
    assert not f.busy and not f.generate.disabled
    assert messages(f) == [] and len(shell.user_ns["df"]) == 8


def test_form_without_shell_uses_the_running_ipython(monkeypatch: pytest.MonkeyPatch) -> None:
    import IPython

    fake = FakeShell()
    monkeypatch.setattr(IPython, "get_ipython", lambda: fake)
    f = form()
    assert f.shell is fake and f.background is False  # no kernel: runs in line
    f.description.value = "server metrics"
    f.rows.value = "3"
    f.generate.click()
    assert len(fake.user_ns["df"]) == 3


def test_form_displays_as_the_widget(f: SynthForm) -> None:
    bundle = f._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    assert data["application/vnd.jupyter.widget-view+json"]["model_id"] == f.widget.model_id
    assert "synth-form" in f.widget._dom_classes


def test_form_is_exported_lazily() -> None:
    assert "form" in synth_magic.__all__
    assert synth_magic.form is form
    code = "import sys, synth_magic; assert 'ipywidgets' not in sys.modules, 'ipywidgets imported'"
    subprocess.run([sys.executable, "-c", code], check=True,
                   env={"PYTHONPATH": str(Path(synth_magic.__file__).parents[1])})




def test_a_dataset_through_the_form_previews_each_table_and_regenerates_from_its_text(f: SynthForm,
                                                                                      shell: FakeShell) -> None:
    f.description.value = "customers and their orders"
    f.rows.value = "20"
    f.name.value = "shop"
    f.generate.click()

    assert messages(f) == []
    shop = shell.user_ns["shop"]
    assert list(shop) == ["customers", "orders"] and len(shop["customers"]) == 20
    table = preview_table(f)
    assert "<h4 class='synth-table-name'>customers</h4>" in table and "<h4 class='synth-table-name'>orders</h4>" in table
    assert "2 tables: customers 20 × " in f.summary.value
    f.schema_text.value = f.schema_text.value.replace("each 1-8", "each 2-2")
    f.regenerate.click()
    assert messages(f) == []
    assert len(shell.user_ns["shop"]["orders"]) == 40
