"""``%%synth`` and friends: parse the line, call :mod:`synth_magic.api`, present.

::

    %load_ext synth_magic

    %%synth tx rows=1000 seed=42 save=transactions.csv
    finance transactions with merchant, amount between 1 and 500, about 2% fraud

    %synth customers --rows 50 customers who spend over $100
    tx = %synth rows=20 finance transactions      # the frame is returned; df is left alone
    %synth_schema tx          # the schema behind tx, ready to paste into a cell and edit
    %synth_cache info         # list | clear | info
    %synth_types finance      # the type catalogue (or one group of it)

Settings are traitlets: ``%config SynthMagics.default_rows = 500`` or
``c.SynthMagics.default_rows = 500`` in ``ipython_config.py``.

This module holds no pipeline logic. It parses arguments (one table of options, which
also makes the ``%%synth?`` help), calls :func:`synth_magic.api.run`, pushes the frame
into the user's namespace (or returns it, in ``x = %synth ...``) and shows a summary and a
preview. Errors we raise on
purpose become IPython's :class:`~IPython.core.error.UsageError`: one line, no
traceback, and "Run All" stops.
"""

from __future__ import annotations

import ast
import difflib
import re
import sys
import textwrap
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_cell_magic, line_magic, magics_class, no_var_expand
from traitlets import Bool, Enum, Int, Unicode

from . import planner as planners
from ._inputs import DEFAULT_ROWS
from ._present import PROGRESS_ROWS, Preview, notebook_words, replaced_note, types_table
from .errors import InputError, PlannerError, SynthError, SynthWarning
from .options import Option, check_name, on, option
from .options import parse as parse_option

if TYPE_CHECKING:
    from .api import Result

__all__ = [
    "MISSING_KEY_MESSAGE", "OPTIONS", "SECRET_MESSAGE", "Parsed", "SchemaText", "SynthMagics",
    "load_ipython_extension", "parse", "tokens", "unload_ipython_extension",
]


# The magic's options, from the one table of run options (VAR is the positional ``name``).
OPTIONS: tuple[Option, ...] = tuple(o for o in on("magic") if not o.positional)
_BY_NAME = {o.name: o for o in OPTIONS}
_FLAGS = {o.name for o in OPTIONS if o.flag}  # written alone: refresh
_SECRET_NAMES = {"key", "api_key", "apikey", "openai_api_key", "token", "secret"}
_DOLLAR = re.compile(r"^\$([A-Za-z_]\w*)$")

SECRET_MESSAGE = ("Never pass an API key to a magic: put OPENAI_API_KEY=... in a .env file next to "
                  "the notebook (or run %env OPENAI_API_KEY=... and clear that cell's output).")
MISSING_KEY_MESSAGE = ("The openai planner needs an API key: put OPENAI_API_KEY=... in a .env file "
                       "next to the notebook (or run %env OPENAI_API_KEY=... in a cell and clear its "
                       "output, or set OPENAI_BASE_URL for a local server), then run this cell again, "
                       "or use planner=offline.")


def _help() -> str:
    width = max(len(f"{o.name}={o.metavar}" if o.metavar else o.name) for o in OPTIONS) + 2
    lines = []
    for o in OPTIONS:
        form = f"{o.name}={o.metavar}" if o.metavar else o.name
        lines.append(textwrap.fill(o.help, 88, initial_indent=f"  {form:<{width}}",
                                   subsequent_indent=" " * (width + 2)))
    options = "\n".join(lines)
    return f"""Make a synthetic pandas DataFrame from a sentence and store it in VAR (default df).

::

  %%synth [VAR] [options]
  description of the table, or a schema in its text form (see %synth_schema)

  %synth [VAR options] description on one line
  x = %synth [options] description    (returns the frame; VAR only if you name one)

Options (write them as name=value or --name value; a flag alone or as --flag;
%%synth --help prints this help):

{options}

Examples::

  %%synth tx rows=1000 seed=42 save=transactions.csv
  finance transactions with merchant, amount between 1 and 500, about 2% fraud

  %%synth --rows 200 --seed 7
  employees with name, department and salary

  %synth orders rows=20 seed=1 online orders over $100

In %synth, a name directly followed by an option is VAR; the text after the options is
the description. The description is never expanded: $var and {{var}} stay as written.
An option value written $name is read from a variable, e.g. rows=$n.

Replacing a variable that synth-magic did not make says so in the summary line.
The frame's schema is shown by %synth_schema VAR; cached schemas by %synth_cache; the
column types by %synth_types [GROUP].
Settings: %config SynthMagics.default_rows = 500 (also default_planner, model, cache_dir,
short_errors, preview_rows, progress_rows). The API key is never an option: it is read
from OPENAI_API_KEY in the environment or a .env file.
"""


# ------------------------------------------------------------------ parsing

@dataclass
class Parsed:
    """What a ``%%synth`` / ``%synth`` line asked for."""

    var: str = option("name").default
    options: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    named: bool = False  # VAR was written (not the default; a dataset then goes under it, not table by table)


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int


def tokens(line: str) -> list[_Token]:
    """Whitespace-separated words; a quote at a word's start or after ``=`` runs to its mate.

    An apostrophe inside a word ("customer's") is just a character.
    """
    out: list[_Token] = []
    i, n = 0, len(line)
    while i < n:
        while i < n and line[i].isspace():
            i += 1
        if i >= n:
            break
        start = i
        while i < n and not line[i].isspace():
            ch = line[i]
            if ch in "\"'" and (i == start or line[i - 1] == "="):
                mate = line.find(ch, i + 1)
                if mate != -1:
                    i = mate + 1
                    continue
            i += 1
        out.append(_Token(line[start:i], start, i))
    return out


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


def _split_option(text: str) -> tuple[str, str | None, bool] | None:
    """``name=value`` / ``--name=value`` / ``--name`` → (name, value or None, dashed)."""
    dashed = text.startswith("--") and len(text) > 2
    body = text[2:] if dashed else text
    name, sep, value = body.partition("=")
    name = name.replace("-", "_").lower() if dashed else name
    if not sep and not dashed:
        return None
    if not re.fullmatch(r"[A-Za-z_][\w]*", name):
        return None
    return name, (value if sep else None), dashed


def _unknown(name: str) -> InputError:
    if name.lower() in _SECRET_NAMES:
        return InputError(SECRET_MESSAGE)
    close = difflib.get_close_matches(name.lower(), list(_BY_NAME), n=1, cutoff=0.6)
    if close:
        return InputError(f"Unknown option '{name}'; did you mean '{close[0]}'?")
    names = [o.name for o in OPTIONS]
    return InputError(f"Unknown option '{name}'; the options are {', '.join(names[:-1])} and {names[-1]}.")


def parse(line: str, cell: str | None, user_ns: dict[str, Any] | None = None) -> Parsed:
    """Parse a ``%%synth`` line (``cell`` is its body) or a ``%synth`` line (``cell`` is None).

    Raises :class:`InputError` with the sentence the user sees.
    """
    toks = tokens(line)
    parsed = Parsed()
    raw: dict[str, str | None] = {}
    words: list[_Token] = []  # the description words of a line magic
    i = 0
    if toks and _split_option(toks[0].text) is None and toks[0].text not in _FLAGS:
        follows = len(toks) > 1 and _is_option_start(toks[1].text)
        if cell is not None or follows:
            parsed.var, parsed.named = check_name(toks[0].text), True
            i = 1
    in_description = False
    while i < len(toks):
        text = toks[i].text
        split = _split_option(text)
        if split is None and text.lower() in _FLAGS and not in_description:
            split = (text.lower(), None, False)
        if split is not None:
            name, value, dashed = split
            if name.lower() in _SECRET_NAMES:
                raise InputError(SECRET_MESSAGE)
            if name not in _BY_NAME and (cell is not None or dashed or not in_description):
                raise _unknown(name)
            if name in _BY_NAME:
                known = _BY_NAME[name]
                if value is None and not known.flag:
                    if not dashed or i + 1 >= len(toks):
                        raise InputError(f"{name} needs a value, e.g. {name}={known.example}.")
                    i += 1
                    value = toks[i].text
                if name in raw:
                    raise InputError(f"The option {name} is given twice; give it once.")
                raw[name] = value
                i += 1
                continue
        if cell is not None:
            raise InputError(f"Unexpected '{text[:40]}' on the %%synth line; give one variable name, then "
                             "options such as rows=1000 (the description goes in the cell body).")
        in_description = True
        words.append(toks[i])
        i += 1
    parsed.options = {name: _convert(name, value, user_ns or {}) for name, value in raw.items()}
    if cell is not None:
        if not cell.strip():
            raise InputError("The %%synth cell has no description; say what the table holds on the lines "
                             "below the %%synth line, e.g. finance transactions.")
        parsed.description = cell
    else:
        text = " ".join(line[t.start:t.end] for t in words).strip()
        if len(words) == 1:
            text = _unquote(text)
        if not text:
            raise InputError("%synth needs a description after the options, e.g. "
                             "%synth df rows=100 finance transactions.")
        parsed.description = text
    return parsed


def _is_option_start(text: str) -> bool:
    return text.lower() in _FLAGS or _split_option(text) is not None


def _convert(name: str, value: str | None, user_ns: dict[str, Any]) -> Any:
    """One option's value: a flag alone is True; ``$name`` reads a variable; then the option's parser."""
    if value is None:
        return True  # a flag
    value = _unquote(value)
    found: Any = value
    m = _DOLLAR.match(value)
    if m:
        if m.group(1) not in user_ns:
            raise InputError(f"{name}=${m.group(1)} names no variable; define {m.group(1)} first or write the value.")
        found = user_ns[m.group(1)]
    return parse_option(name, found)


# ------------------------------------------------------------------ presenting

class _Progress:
    """A tqdm.auto bar, made only once a run turns out to be long."""

    def __init__(self, threshold: int):
        self.threshold = threshold
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if total <= self.threshold:
            return
        if self.bar is None:
            from tqdm.auto import tqdm

            self.bar = tqdm(total=total, unit="rows", unit_scale=True, leave=False, desc="synth")
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class _ValueUse(ast.NodeTransformer):
    """Marks ``%synth`` lines whose value is used (``x = %synth ...``), so the magic returns the
    frame there, and only there: a ``%synth`` line on its own keeps storing it in VAR.

    IPython turns ``x = %synth rows=5 users`` into ``x = get_ipython().run_line_magic('synth',
    'rows=5 users')`` before this runs (an AST transformer, IPython's own extension point); a
    call that is not a statement of its own gets :data:`_AS_VALUE` before its line.
    """

    def visit_Expr(self, node: ast.Expr) -> ast.AST:
        if _magic_call(node.value):
            return node  # a statement of its own: the frame goes into VAR (df)
        return self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if _magic_call(node):
            line = node.args[1]
            node.args[1] = ast.copy_location(ast.Constant(_AS_VALUE + line.value), line)  # type: ignore[attr-defined]
        return node


_AS_VALUE = "\x00value\x00"  # no one types a NUL character into a magic line


def _magic_call(node: ast.AST) -> bool:
    """``<anything>.run_line_magic('synth', '<text>')``."""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "run_line_magic" and len(node.args) == 2
            and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args)
            and node.args[0].value == "synth")  # type: ignore[attr-defined]


class SchemaText(str):
    """The text ``%synth_schema`` returns: shown as is, without quotes."""

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(str(self).rstrip("\n"))


# ------------------------------------------------------------------ the magics

@magics_class
class SynthMagics(Magics):
    """``%%synth``, ``%synth``, ``%synth_schema``, ``%synth_cache``, ``%synth_types`` and ``%synth_form``."""

    default_rows = Int(DEFAULT_ROWS, min=1, help="Rows when neither rows= nor the description gives a count.").tag(config=True)
    default_planner = Enum(list(planners.NAMES), default_value=None, allow_none=True,
                           help="Planner when planner= is not given (None: automatic).").tag(config=True)
    model = Unicode(None, allow_none=True, help="Model for the openai planner (None: SYNTH_MODEL or gpt-4o-mini).").tag(config=True)
    cache_dir = Unicode(None, allow_none=True, help="Schema cache directory (None: SYNTH_CACHE_DIR or the user cache).").tag(config=True)
    short_errors = Bool(True, help="Show errors as one UsageError line; False shows the full traceback.").tag(config=True)
    preview_rows = Int(option("preview").default, min=0, help="Rows shown after a run (0: no preview).").tag(config=True)
    progress_rows = Int(PROGRESS_ROWS, min=0, help="Show a progress bar for runs of more rows than this.").tag(config=True)

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """SynthError → UsageError (one line); ``short_errors=False`` keeps the original."""
        try:
            yield
        except SynthError as exc:
            if not self.short_errors:
                raise
            raise UsageError(notebook_words(str(exc))) from None

    @no_var_expand
    @line_cell_magic
    def synth(self, line: str, cell: str | None = None) -> Any:
        as_value = cell is None and line.startswith(_AS_VALUE)
        line = line.removeprefix(_AS_VALUE)
        words = line.split()
        if "--help" in words or words[:1] == ["-h"]:
            print(_help())
            return None
        with self._errors():
            parsed = parse(line, cell, self.shell.user_ns if self.shell is not None else {})
            return self._make(parsed, as_value=as_value)

    def _make(self, parsed: Parsed, *, as_value: bool = False) -> Any:
        """Run; store the frame in VAR (unless the line's value is used and no VAR was named);
        return it when the value is used."""
        from . import api

        opts = parsed.options
        planner = opts.get("planner") or self.default_planner
        self._check_key(planner, parsed.description)
        progress = _Progress(self.progress_rows)
        preview = opts.get("preview", self.preview_rows)
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", SynthWarning)
                result = api.run(parsed.description, opts.get("rows"), seed=opts.get("seed"),
                                 locale=opts.get("locale"), planner=planner,
                                 model=opts.get("model") or self.model, save=opts.get("save"),
                                 refresh=bool(opts.get("refresh")), progress=progress,
                                 default_rows=self.default_rows, cache_dir=self.cache_dir,
                                 head=preview, engine=opts.get("engine", "local"), messy=opts.get("messy"))
        except KeyboardInterrupt:
            progress.close()
            if not self.short_errors:
                raise
            raise UsageError(f"Interrupted: {parsed.var} was not changed and no file was written.") from None
        finally:
            progress.close()
        _show_warnings(caught)
        store = self.shell is not None and (parsed.named or not as_value)
        pushed = _namespace_entries(parsed, result) if store else {}
        replaced = "".join(replaced_note(self.shell.user_ns, name) for name in pushed) if store else ""
        if store:
            self.shell.push(pushed)
        self._present(", ".join(pushed), result, preview, replaced)
        return result.frame if as_value else None

    def _check_key(self, planner: str | None, description: str) -> None:
        """A clear message before the run when planner=openai has no key or base URL."""
        from . import config
        from .schema import looks_like_text_form

        chosen = config.settings(planner=planner, model=self.model, cache_dir=self.cache_dir)
        if chosen.planner == "openai" and not (chosen.has_key or chosen.base_url) \
                and not looks_like_text_form(description):
            raise PlannerError(MISSING_KEY_MESSAGE)

    def _present(self, var: str, result: Result, preview: int, replaced: str = "") -> None:
        print(f"{var}: " * bool(var) + result.summary() + replaced)
        for note in result.schema.notes:
            print(f"note: {note}")
        if preview and (result.head is not None or _is_dataset(result.frame)):
            from IPython.display import display

            if _is_dataset(result.frame):
                for name, df in result.frame.items():
                    print(f"{name}:")
                    display(Preview(df.head(preview)))
                return
            display(Preview(result.head))  # a lazy (dask) frame too: its first rows, made here

    @line_magic
    def synth_schema(self, line: str) -> SchemaText:
        """Show the schema behind a frame made by synth-magic, ready to paste into a cell.

        ::

          %synth_schema [VAR]      (VAR defaults to df)

        The first line is a %%synth line with the frame's rows and seed; the rest is the
        schema's text form. Paste it into a new cell, edit a column, run it again.
        """
        with self._errors():
            words = line.split()
            if len(words) > 1:
                raise InputError("%synth_schema takes at most one variable name, e.g. %synth_schema df.")
            var = check_name(words[0]) if words else "df"
            ns = self.shell.user_ns if self.shell is not None else {}
            if var not in ns:
                raise InputError(f"There is no variable '{var}'; make one first, e.g. %synth {var} rows=100 customers.")
            from .api import schema_of

            frame = ns[var]
            schema = schema_of(frame)
            if schema is None:
                raise InputError(f"'{var}' was not made by synth-magic, so it has no schema to show.")
            seed = frame.attrs["synth"].get("seed")
            head = f"%%synth {var} rows={len(frame)}" + (f" seed={seed}" if seed is not None else "")
            return SchemaText(f"{head}\n{schema.to_text()}")

    @line_magic
    def synth_cache(self, line: str) -> None:
        """The schema cache: ``%synth_cache [list|clear|info]`` (default list).

        ::

          %synth_cache list     titles of the cached schemas
          %synth_cache clear    remove every cached schema
          %synth_cache info     where the cache is, entries and size
        """
        with self._errors():
            from . import config
            from .cache import SchemaCache

            action = line.strip().lower() or "list"
            if action not in ("list", "clear", "info"):
                raise InputError(f"Unknown %synth_cache action '{line.strip()[:40]}'; use list, clear or info.")
            store = SchemaCache(config.settings(cache_dir=self.cache_dir).cache_dir)
            try:
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always", SynthWarning)
                    _cache_action(store, action)
            finally:
                store.close()
            _show_warnings(caught)


    @line_magic
    def synth_types(self, line: str) -> SchemaText:
        """The column types a schema can use: ``%synth_types [GROUP]``.

        ::

          %synth_types             every type: name, group, dtype, parameters, meaning
          %synth_types finance     one group (identifiers, people, contact, address, ...)
        """
        with self._errors():
            words = line.split()
            if len(words) > 1:
                raise InputError("%synth_types takes at most one group name, e.g. %synth_types finance.")
            return SchemaText(types_table(words[0] if words else None) + "\n")

    @line_magic
    def synth_form(self, line: str) -> Any:
        """The form: ``%synth_form`` shows fields and a Generate button (see ``synth_magic.form``)."""
        with self._errors():
            if line.strip():
                raise InputError("%synth_form takes no options; fill in the form's fields instead.")
            from .widget import form

            return form(self.shell)

def _is_dataset(frame: Any) -> bool:
    from .dataset import Dataset

    return isinstance(frame, Dataset)


def _namespace_entries(parsed: Parsed, result: Result) -> dict[str, Any]:
    """The frame under VAR; a dataset's tables (lazy ones too) under their own names when no VAR was given."""
    from collections.abc import Mapping

    if isinstance(result.frame, Mapping) and not parsed.named:
        return dict(result.frame.items())
    return {parsed.var: result.frame}


def _cache_action(store: Any, action: str) -> None:
    if action == "clear":
        count = store.clear()
        print(f"Removed {count} cached schema{'' if count == 1 else 's'}.")
    elif action == "info":
        info = store.info()
        state = "" if info["usable"] else " (not usable)"
        print(f"schema cache: {info['directory']}{state}\n"
              f"{info['entries']} entr{'y' if info['entries'] == 1 else 'ies'}, {info['bytes']:,} bytes")
    else:
        schemas = store.entries()
        if not schemas:
            print("The schema cache is empty.")
        for schema in sorted(schemas, key=lambda s: s.title):
            print(f"{schema.title or '(untitled)'} · {len(schema.columns)} columns · {schema.planner or 'schema'}")


def _show_warnings(caught: list[warnings.WarningMessage]) -> None:
    for w in caught:
        if issubclass(w.category, SynthWarning):
            print(f"warning: {w.message}", file=sys.stderr)
        else:
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)


SynthMagics.synth.__doc__ = _help()

_LOADED: dict[int, SynthMagics] = {}
_VALUE_USE = _ValueUse()


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext synth_magic``."""
    if id(ipython) in _LOADED:
        return
    magics = SynthMagics(shell=ipython)
    ipython.register_magics(magics)
    _LOADED[id(ipython)] = magics
    if hasattr(ipython, "ast_transformers"):
        ipython.ast_transformers.append(_VALUE_USE)


def unload_ipython_extension(ipython: Any) -> None:
    """``%unload_ext synth_magic``: remove the magics and their settings object."""
    magics = _LOADED.pop(id(ipython), None)
    if magics is None:
        return
    table = ipython.magics_manager.magics
    for kind, names in magics.magics.items():  # every magic the class registered, by kind
        for name in names:
            table[kind].pop(name, None)
    if magics in ipython.configurables:
        ipython.configurables.remove(magics)
    if _VALUE_USE in getattr(ipython, "ast_transformers", ()):
        ipython.ast_transformers.remove(_VALUE_USE)

