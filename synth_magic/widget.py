"""The ipywidgets form: ``synth_magic.form()`` (and ``%synth_form``).

A surface like the magic and the CLI: it reads the fields, calls :func:`api.run` and
shows what came back. No pipeline logic lives here.

::

    ┌ description ─────────────────────────────┐
    │ rows  seed  locale  planner  name  save  │
    │ [Generate]  progress · status            │
    │ messages of Generate (a red line each)   │
    │ summary · preview table (first rows)     │
    │ schema text (sized to it)                │
    │ [Regenerate from schema]                 │
    │ messages of Regenerate                   │
    └──────────────────────────────────────────┘

An error shows next to the button that caused it, and the result above it, now stale, is
dimmed until a run succeeds. The preview scrolls sideways in one box of its own.

Runs happen on a worker thread (in a kernel) so the notebook stays responsive; the
buttons are disabled while one runs and a click that arrives meanwhile is ignored.
Everything a run reports (errors, warnings, an unexpected traceback) is written into the
form's own ``Output`` widgets, never to the cell or the log console.
"""

from __future__ import annotations

import html
import threading
import traceback
import warnings
from typing import Any

from . import _inputs as inputs
from . import api, config
from . import planner as planners
from ._messages import shown_url
from ._present import notebook_words, preview_html, replaced_note
from .errors import SynthError
from .options import on, option, parse

__all__ = ["AUTO_LOCALE", "PREVIEW_ROWS", "SynthForm", "form", "preview_html"]

PREVIEW_ROWS = 10
AUTO_LOCALE = ""
_ERROR_STYLE = "color:#c62828;font-weight:600"
_WARNING_STYLE = "color:#a15c00"
_CSS = ("<style>.synth-form .synth-stale{opacity:.4}"
        # the preview's own box scrolls sideways, nothing around it: the widget and its content
        # take the column's width (not the table's) and do not clip
        ".synth-form .synth-preview{min-width:0;overflow:visible}"
        ".synth-form .synth-preview .widget-html-content{min-width:0;width:100%;overflow:visible}"
        # the schema area as tall as its text, wrapped lines too, where the browser can size it
        # (field-sizing); elsewhere its rows follow the text's lines (_fit_schema)
        ".synth-form .synth-schema textarea{field-sizing:content;min-height:4lh;max-height:40lh}</style>")
_SCHEMA_ROWS = (4, 40)  # the schema area grows with its text, between these


def form(shell: Any = None, *, background: bool | None = None) -> SynthForm:
    """The form; show it as a cell's last expression or with ``display()``.

    ``shell`` is the IPython shell whose namespace receives the frame (default: the
    running one). ``background`` runs generations on a worker thread; by default it does
    so inside a kernel and runs in line otherwise (plain Python, tests).
    """
    if shell is None:
        from IPython import get_ipython

        shell = get_ipython()
    if background is None:
        background = getattr(shell, "kernel", None) is not None
    return SynthForm(shell, background=background)


class SynthForm:
    """The widgets of one form and the two actions behind its buttons."""

    def __init__(self, shell: Any = None, *, background: bool = False) -> None:
        import ipywidgets as w

        self.shell = shell
        self.background = background
        self.result: api.Result | None = None
        self.runs = 0
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        startup_problem = None
        try:
            default_planner = config.settings().planner
        except SynthError as exc:
            default_planner, startup_problem = "offline", str(exc)

        self.fields = self._fields(w, default_planner)
        for name, widget in self.fields.items():
            setattr(self, name, widget)  # f.rows, f.seed, ... (names from the options table)
        self.planner_note = w.HTML()
        self.path = w.Text(placeholder=option("save").placeholder, disabled=True, layout=w.Layout(width="22em"))
        self.generate = w.Button(description="Generate", button_style="primary", icon="play")
        self.progress = w.IntProgress(value=0, min=0, max=1, layout=w.Layout(width="16em", visibility="hidden"))
        self.status = w.Label()
        self.messages = w.Output()  # what Generate said
        self.summary = w.HTML()
        self.preview = w.HTML(layout=w.Layout(width="auto"))  # the column's width, margins included
        self.schema_text = w.Textarea(rows=_SCHEMA_ROWS[0], layout=w.Layout(width="auto"))
        self.regenerate = w.Button(description="Regenerate from schema", icon="refresh",
                                   layout=w.Layout(width="auto"))
        self.schema_messages = w.Output()  # what Regenerate said, right under it
        self.schema_box = w.VBox([w.HTML("<b>Schema</b> (edit it and regenerate)"), self.schema_text,
                                  self.regenerate, self.schema_messages],
                                 layout=w.Layout(display="none", overflow="visible"))

        for widget, css in [*((f, f"synth-{name}") for name, f in self.fields.items()),
                            (self.planner_note, "synth-planner-note"), (self.path, "synth-path"),
                            (self.generate, "synth-generate"), (self.progress, "synth-progress"),
                            (self.status, "synth-status"), (self.messages, "synth-messages"),
                            (self.summary, "synth-summary"), (self.preview, "synth-preview"),
                            (self.schema_text, "synth-schema"), (self.regenerate, "synth-regenerate"),
                            (self.schema_messages, "synth-schema-messages")]:
            widget.add_class(css)

        def wrap() -> Any:  # a row of fields wraps in a narrow window rather than scroll
            return w.Layout(flex_flow="row wrap", overflow="visible")

        self.widget = w.VBox([
            w.HTML(_CSS, layout=w.Layout(display="none")),
            self.description,
            w.HBox([self.rows, self.seed, self.locale], layout=wrap()),
            w.HBox([self.planner, self.planner_note], layout=wrap()),
            w.HBox([self.name, self.save, self.path], layout=wrap()),
            w.HBox([self.generate, self.progress, self.status], layout=wrap()),
            self.messages,
            self.summary,
            self.preview,
            self.schema_box,
        ])
        self.widget.add_class("synth-form")
        self.widget.layout.width = "100%"

        self.planner.observe(self._explain_planner, names="value")
        self.save.observe(lambda change: setattr(self.path, "disabled", not change["new"]), names="value")
        self.generate.on_click(lambda _button: self._start(from_schema=False))
        self.regenerate.on_click(lambda _button: self._start(from_schema=True))
        self.schema_text.observe(self._fit_schema, names="value")
        self._explain_planner()
        if startup_problem:
            self._message(startup_problem, _ERROR_STYLE, clear=True)

    @staticmethod
    def _fields(w: Any, default_planner: str) -> dict[str, Any]:
        """One widget per form option of the options table, by the option's kind."""
        label = {"description_width": "7em"}
        narrow = w.Layout(width="19em")
        made: dict[str, Any] = {}
        for o in on("form"):
            if o.kind == "description":
                made[o.name] = w.Textarea(placeholder=o.placeholder, description=o.label, rows=3,
                                          layout=w.Layout(width="100%"), style=label)
            elif o.kind in ("locale", "planner"):
                choices = ([("auto (from the text)", AUTO_LOCALE), *((loc, loc) for loc in inputs.available_locales())]
                           if o.kind == "locale" else list(planners.NAMES))
                made[o.name] = w.Dropdown(options=choices, value=AUTO_LOCALE if o.kind == "locale" else default_planner,
                                          description=o.label, style=label, layout=narrow)
            elif o.kind == "path":
                made[o.name] = w.Checkbox(value=False, description=o.label, indent=False, layout=w.Layout(width="8em"))
            else:
                made[o.name] = w.Text(value=o.default or "", placeholder=o.placeholder, description=o.label,
                                      style=label, layout=narrow)
        return made

    # ------------------------------------------------------------------ display
    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    @property
    def busy(self) -> bool:
        return self._lock.locked()

    def wait(self, timeout: float | None = None) -> None:
        """Block until a background run has finished (tests, scripts)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    # ------------------------------------------------------------------ planner note
    def _explain_planner(self, _change: Any = None) -> None:
        if self.planner.value != "openai":
            self.planner_note.value = ""
            return
        try:
            current = config.settings(planner="openai")
        except SynthError as exc:
            note = html.escape(str(exc))
        else:
            if current.has_key or current.base_url:
                where = f"server {html.escape(shown_url(current.base_url))}" if current.base_url else "the OpenAI API"
                note = f"model {html.escape(current.model)} via {where}"
            else:
                note = ("needs <code>OPENAI_API_KEY</code> (or <code>OPENAI_BASE_URL</code> for a "
                        "compatible server such as Ollama) in the environment or a <code>.env</code> "
                        "file; neither is set, so choose <i>offline</i> or set one first.")
        self.planner_note.value = f"<span style='{_WARNING_STYLE}'>openai: {note}</span>"

    # ------------------------------------------------------------------ running
    def _start(self, *, from_schema: bool) -> None:
        if not self._lock.acquire(blocking=False):
            return  # a run is going on: ignore the extra click
        try:
            self._set_running(True)
            if self.background:
                self._thread = threading.Thread(target=self._run, args=(from_schema,),
                                                name="synth-form", daemon=True)
                self._thread.start()
                return
        except BaseException:
            self._set_running(False)
            self._lock.release()
            raise
        self._run(from_schema)

    def _set_running(self, running: bool) -> None:
        self.generate.disabled = running
        self.regenerate.disabled = running
        self.progress.layout.visibility = "visible" if running else "hidden"
        if running:
            self.progress.value = 0
            self.status.value = "planning…"
            self.messages.outputs = ()
            self.schema_messages.outputs = ()

    def _run(self, from_schema: bool) -> None:
        where = self.schema_messages if from_schema else self.messages  # next to the button clicked
        try:
            # SynthWarnings (cache trouble, planner fallback) go into the form; on a worker
            # thread they would otherwise land in the log console. (catch_warnings is
            # process-wide: a warning from another thread during a run shows here too.)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                result, name = self._call(from_schema)
            for warning in caught:
                self._message(str(warning.message), _WARNING_STYLE, where=where)
            self._show(result, name)
        except SynthError as exc:
            self._message(notebook_words(str(exc)), _ERROR_STYLE, clear=True, where=where)
            self._stale(True)
        except Exception:  # a bug: show the whole traceback, in the form
            self._message("Unexpected error (a bug in synth-magic; please report it):", _ERROR_STYLE, clear=True,
                          where=where)
            where.outputs += ({"output_type": "stream", "name": "stderr", "text": traceback.format_exc()},)
            self._stale(True)
        finally:
            self.status.value = ""
            self._set_running(False)
            self._lock.release()

    def _call(self, from_schema: bool) -> tuple[api.Result, str]:
        """Read the fields, call the pipeline once."""
        name = parse("name", self.name.value)
        rows = parse("rows", self.rows.value) if self.rows.value.strip() else None
        seed = parse("seed", self.seed.value) if self.seed.value.strip() else None
        save: str | bool | None = None
        if self.save.value:
            save = self.path.value.strip() or True
        source = self.description.value
        if from_schema:
            from .dataset import schema_from_text

            schema_from_text(self.schema_text.value)  # its own errors, even without a 'columns:' line
            source = self.schema_text.value
        messy = parse("messy", self.messy.value) if self.messy.value.strip() else None
        result = api.run(source, rows, seed=seed, locale=self.locale.value or None,
                         planner=self.planner.value, save=save, progress=self._progress, messy=messy)
        if save is True and result.path is not None:
            self.path.value = str(result.path)  # the name chosen: the next run writes the same file
        return result, name

    def _progress(self, done: int, total: int) -> None:
        self.progress.max = max(total, 1)
        self.progress.value = done
        self.status.value = f"{done:,} / {total:,} rows"

    # ------------------------------------------------------------------ presenting
    def _show(self, result: api.Result, name: str) -> None:
        self.result = result
        self.runs += 1
        shell = self.shell
        pushed = False
        summary = html.escape(result.summary())
        if shell is not None and hasattr(shell, "user_ns"):
            summary += html.escape(replaced_note(shell.user_ns, name))
            shell.user_ns[name] = result.frame
            pushed = True
        if pushed:
            summary += f" · in <code>{html.escape(name)}</code>"
        self.summary.value = f"<span class='synth-summary-line'>{summary}</span>"
        self.preview.value = _preview(result.frame)
        self._stale(False)
        self.schema_text.value = result.schema.to_text()
        self.schema_box.layout.display = "flex"

    def _stale(self, stale: bool) -> None:
        """Dim the result shown (summary and preview) while it is not what the fields ask for."""
        for widget in (self.summary, self.preview):
            (widget.add_class if stale else widget.remove_class)("synth-stale")

    def _fit_schema(self, _change: Any = None) -> None:
        lines = self.schema_text.value.count("\n") + 1
        self.schema_text.rows = min(max(lines, _SCHEMA_ROWS[0]), _SCHEMA_ROWS[1])

    def _message(self, text: str, style: str, *, clear: bool = False, where: Any = None) -> None:
        where = self.messages if where is None else where
        line = {"output_type": "display_data",
                "data": {"text/html": f"<div class='synth-message' style='{style}'>{html.escape(text)}</div>",
                         "text/plain": text},
                "metadata": {}}
        where.outputs = (line,) if clear else (*where.outputs, line)


def _preview(frame: Any) -> str:
    """A frame's preview; a dataset's: each table's, under its name."""
    from .dataset import Dataset

    if not isinstance(frame, Dataset):
        return preview_html(frame, PREVIEW_ROWS)
    return "".join(f"<h4 class='synth-table-name'>{html.escape(name)}</h4>{preview_html(df, PREVIEW_ROWS)}"
                   for name, df in frame.items())
