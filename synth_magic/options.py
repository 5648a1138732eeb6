"""The run options: the one table the ``synth`` command, ``%%synth`` and the form are built from.

Every option a surface offers is one :class:`Option` in :data:`OPTIONS`: its name, how its
value is read (``kind``, one of :data:`PARSERS`), its default, its help, and which surfaces
offer it. The CLI's arguments, the magic's options and ``%%synth?`` help, the form's
fields and the README's option table are all made from it, and every surface reads a
value with the same parser, so ``rows=1,000`` means the same everywhere.

Adding a run option: one entry here (and, if :func:`synth_magic.api.run` does not take it
yet, the argument there).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import _inputs as inputs
from . import planner as planners
from .errors import InputError

__all__ = ["OPTIONS", "PARSERS", "SURFACES", "Option", "check_name", "on", "option", "parse"]

SURFACES = ("cli", "magic", "form")
_ALL = SURFACES
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class Option:
    """One run option.

    ``metavar`` is "" for a flag; ``example`` is a value for messages ("rows=1000");
    ``flags`` are the command line's spellings (default ``--name``); ``positional`` options
    are written without a name (the description, the variable name); ``label`` and
    ``placeholder`` are the form's.
    """

    name: str
    kind: str
    help: str
    metavar: str = ""
    default: Any = None
    example: str = ""
    flags: tuple[str, ...] = ()
    surfaces: tuple[str, ...] = _ALL
    positional: bool = False
    label: str = ""
    placeholder: str = ""

    @property
    def flag(self) -> bool:
        return self.kind == "flag"

    @property
    def cli_flags(self) -> tuple[str, ...]:
        return self.flags or ("--" + self.name.replace("_", "-"),)


OPTIONS: tuple[Option, ...] = (
    Option("description", "description", "what the table holds, e.g. 'finance transactions'",
           positional=True, label="Describe",
           placeholder="finance transactions with merchant, amount between 1 and 500, about 2% fraud"),
    Option("rows", "rows", "number of rows, written 1000, 1,000, 1_000, 10k, 2.5M or 1e6 (default: a count in the "
           "description, else 1000)", "N",
           example="1000", flags=("-n", "--rows"), label="Rows", placeholder="auto"),
    Option("seed", "seed", "the same seed gives the same table (default: a random one of at most 8 digits, shown in the summary)", "S",
           example="42", flags=("-s", "--seed"), label="Seed", placeholder="random"),
    Option("locale", "locale", "Faker locale for names, addresses and phones, e.g. de_DE or ja_JP "
           "(default: from the description, else en_US)", "L", example="de_DE", flags=("-l", "--locale"),
           label="Locale"),
    Option("save", "path", "also write a .csv or .parquet file (atomically)", "PATH", example="data.csv",
           flags=("-o", "--output"), label="save as CSV", placeholder="file.csv (blank: a name from the text)"),
    Option("planner", "planner", "which planner writes the schema (default: openai when OPENAI_API_KEY or "
           "OPENAI_BASE_URL is set, else offline)", "|".join(planners.NAMES), example="offline", label="Planner"),
    Option("messy", "messy", "make this share of the cells messy on purpose, for cleaning exercises (typos, case, "
           "spaces, duplicates, outliers, impossible and missing values; which cells: df.attrs['synth']['messy'])",
           "R", example="0.05", label="Messy", placeholder="0 (clean)"),
    Option("model", "text", "model for the openai planner (default gpt-4o-mini or SYNTH_MODEL)", "M",
           example="gpt-4o-mini", surfaces=("cli", "magic")),
    Option("preview", "preview", "rows to preview (default 5; 0 for none)", "N", default=5, example="5",
           surfaces=("cli", "magic")),
    Option("refresh", "flag", "plan again instead of using the cached schema", surfaces=("cli", "magic")),
    Option("engine", "engine", "where the rows are made: local (this process) or dask (partitions on a Dask "
           "cluster: a lazy dask DataFrame, one per table for a dataset; with save, a folder of Parquet parts per "
           "table, or CSV parts with out/*.csv; needs pip install synth-magic[dask])", "|".join(inputs.ENGINES), default="local", example="dask",
           surfaces=("cli", "magic")),
    Option("scheduler", "text", "with --engine dask: the address of the Dask scheduler that writes the parts "
           "(default DASK_SCHEDULER_ADDRESS, else a local cluster sized to this machine)", "ADDRESS",
           example="tcp://127.0.0.1:8786", surfaces=("cli",)),
    Option("name", "name", "the variable the frame goes into (default df)", positional=True, default="df",
           example="df",
           surfaces=("magic", "form"), label="Variable"),
    # the command line's own
    Option("schema", "flag", "print the planned schema as text and stop", surfaces=("cli",)),
    Option("json", "flag", "with --schema: print JSON instead of text", surfaces=("cli",)),
    Option("from_schema", "text", "generate from a schema file (text or JSON form)", "FILE", example="schema.txt",
           surfaces=("cli",)),
    Option("no_csv_safety", "flag", "write text starting with = @ + - to CSV as it is (default: prefix with ')",
           surfaces=("cli",)),
    Option("quiet", "flag", "print nothing but errors and warnings (no progress bar, preview, summary or notes)", flags=("-q", "--quiet"),
           surfaces=("cli",)),
    Option("types", "flag", "list the column types and stop", surfaces=("cli",)),
    Option("locales", "flag", "list the supported locales and stop", surfaces=("cli",)),
)
_BY_NAME = {o.name: o for o in OPTIONS}


def option(name: str) -> Option:
    return _BY_NAME[name]


def on(surface: str) -> tuple[Option, ...]:
    """The options a surface offers, in table order."""
    return tuple(o for o in OPTIONS if surface in o.surfaces)


# ------------------------------------------------------------------ reading values

def check_name(name: str) -> str:
    """A name the frame can be stored under."""
    import keyword

    if keyword.iskeyword(name):
        raise InputError(f"'{name}' is a Python keyword and cannot name a variable; use another name, e.g. {name}_df.")
    if not name.isidentifier():
        raise InputError(f"'{name[:40]}' is not a valid variable name; use letters, digits and "
                         "underscores, not starting with a digit, e.g. df or tx.")
    return name


def _flag(o: Option, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise InputError(f"{o.name} is a flag: write {o.name} alone, or {o.name}=yes / {o.name}=no, "
                     f"not '{str(value)[:40]}'.")


def _preview(o: Option, value: Any) -> int:
    number = inputs.whole_number(value)
    if number is None or number < 0:
        raise InputError(f"{o.name} must be a whole number of rows from 0 up, not '{str(value).strip()[:40]}'.")
    return number


def _text(o: Option, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{o.name} needs a value, e.g. {o.name}={o.example}.")
    return value.strip()


def _planner(o: Option, value: Any) -> str:
    return planners.check_name(_text(o, value))


def _locale(o: Option, value: Any) -> str:
    return inputs.check_locale(_text(o, value))


PARSERS: dict[str, Callable[[Option, Any], Any]] = {
    "description": lambda o, value: inputs.check_description(value),
    "rows": lambda o, value: inputs.check_rows(value),
    "seed": lambda o, value: inputs.check_seed(value),
    "locale": _locale,
    "engine": lambda o, value: inputs.check_engine(value),
    "path": _text,
    "planner": _planner,
    "text": _text,
    "preview": _preview,
    "flag": _flag,
    "name": lambda o, value: check_name(_text(o, value)),
    "messy": lambda o, value: inputs.check_messy(value),
}


def parse(name: str, value: Any) -> Any:
    """The value of option ``name`` as the pipeline takes it, or :class:`InputError`."""
    o = _BY_NAME[name]
    return PARSERS[o.kind](o, value)
