"""``Schema`` and ``Column``: declarative data, validation, JSON and text forms.

A schema never holds code. Every value is checked against the type catalogue when a
schema is built from outside data (:meth:`Schema.from_dict`, :meth:`Schema.from_json`,
:meth:`Schema.from_text`), so a schema from a model, a cache file or a user is just as
safe to generate as one the offline planner made.

The text form, one column a line::

    title: finance transactions
    locale: en_US
    columns:
      transaction_id: uuid unique
      amount: money min=1 max=500 distribution=lognormal  # constraint: between 1 and 500
      category: category values=[groceries, travel] weights=[0.7, 0.3]
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ._messages import CONTROL, clip, number, one_line, reject_constant
from ._syntax import (
    ANY,
    PATTERN_CLASSES,
    key_parts,
    parse_clock,
    parse_duration,
    parse_range,
    parse_when,
    value_union,
)
from .errors import InputError, SchemaError

if TYPE_CHECKING:
    import pandas as pd

    from .catalog import Param, TypeSpec

__all__ = [
    "MAX_COLUMNS",
    "MAX_NAME",
    "MAX_NOTE",
    "MAX_TEXT",
    "MAX_TITLE",
    "PARAM_CHECKS",
    "SOURCES",
    "TEXT_WIDTH",
    "Column",
    "Plan",
    "PlannedColumn",
    "Schema",
    "looks_like_text_form",
    "short_title",
    "order_columns",
    "references",
    "validate",
]

MAX_COLUMNS = 200
MAX_NAME = 64
MAX_TITLE = 200
MAX_NOTE = 300
_MAX_DURATION = 36525 * 86400  # a step or gap of at most a hundred years (dates never wrap)
_LAST_DATE = "9999-12-31 23:59:59"  # no date a column makes lies after this
MAX_TEXT = 1 << 20  # a schema's JSON or text form: a few kB in practice
SOURCES = ("named", "domain", "constraint", "model", "fallback", "user")
_NAME = re.compile(r"^[^\W\d][\w .\-/()%#]*$")
_COMMON = ("name", "type", "null_rate", "unique", "source", "why")


@dataclass
class Column:
    """One column: a catalogue type, its parameters, and how it came to be."""

    name: str
    type: str
    params: dict[str, Any] = field(default_factory=dict)
    null_rate: float = 0.0
    unique: bool = False
    source: str = ""
    why: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "type": self.type}
        out.update({k: v for k, v in self.params.items() if v is not None})
        if self.null_rate:
            out["null_rate"] = self.null_rate
        if self.unique:
            out["unique"] = True
        if self.source:
            out["source"] = self.source
        if self.why:
            out["why"] = self.why
        return out

    def spec(self) -> TypeSpec:
        from .catalog import TYPES

        return TYPES[self.type]

    def resolved(self) -> dict[str, Any]:
        """Parameters with every default filled in."""
        from .catalog import TIME_KINDS

        spec = self.spec()
        given = {k: v for k, v in self.params.items() if v is not None}
        out = {**spec.defaults(), **given}
        if "values" in given and "weights" not in given:
            out["weights"] = None  # default weights belong to the default values
        if "after" in given and "end" not in given and spec.kind in TIME_KINDS:
            out["end"] = None  # following another date: unbounded unless an end is given
        if "mean" in given and spec.param_index["mean"].by:  # a centre outside the default range opens that side
            means = list(given["mean"].values()) if isinstance(given["mean"], dict) else [given["mean"]]
            if "max" not in given and max(means) > out["max"]:
                out["max"] = None
            if "min" not in given and min(means) < out["min"] and out.get("distribution") in ("normal", "uniform"):
                out["min"] = None  # (the other shapes start at min)
        for name, value in given.items():
            if isinstance(value, dict) and spec.param_index[name].by and ANY not in value:
                out[name] = {**value, ANY: _fallback(spec.param_index[name], value)}
        return out


@dataclass
class Schema:
    """A table to generate: its columns, locale and a few notes."""

    columns: list[Column]
    title: str = ""
    locale: str = "en_US"
    rows: int | None = None
    planner: str = ""
    notes: list[str] = field(default_factory=list)
    messy: float = 0.0  # the share of cells made messy on purpose (typos, outliers...): data-cleaning exercises

    def __post_init__(self) -> None:
        validate(self)

    # ------------------------------------------------------------- generating
    def generate(self, rows: int | None = None, *, seed: int | None = None,
                 progress: Any = None) -> pd.DataFrame:
        """``rows`` rows (default: the schema's own, else 1000) as a DataFrame."""
        from .generate import generate

        return generate(self.resolve(), rows, seed=seed, progress=progress)

    def resolve(self) -> Plan:
        """Validated again (a schema can be edited after it was made) and resolved for generation."""
        return validate(self)

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    # ----------------------------------------------------------------- JSON
    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"title": self.title, "locale": self.locale}
        if self.rows is not None:
            out["rows"] = self.rows
        if self.planner:
            out["planner"] = self.planner
        if self.notes:
            out["notes"] = list(self.notes)
        if self.messy:
            out["messy"] = self.messy
        out["columns"] = [c.to_dict() for c in self.columns]
        return out

    def to_json(self, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: Any) -> Schema:
        """Build and validate a schema from untrusted JSON-like data."""
        if not isinstance(data, dict):
            raise SchemaError("A schema must be a JSON object with a 'columns' list.")
        unknown = set(data) - {"title", "locale", "rows", "planner", "notes", "messy", "columns"}
        if unknown:
            raise SchemaError(f"Unknown schema field '{clip(sorted(map(str, unknown))[0])}'; use title, locale, rows, "
                              "notes, messy and columns.")
        columns = data.get("columns")
        if not isinstance(columns, list) or not columns:
            raise SchemaError("A schema needs a non-empty 'columns' list.")
        if len(columns) > MAX_COLUMNS:
            raise SchemaError(f"A schema may have at most {MAX_COLUMNS} columns, not {len(columns)}.")
        cols = [_column_from_dict(c, i) for i, c in enumerate(columns)]
        notes = data.get("notes") or []
        if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
            raise SchemaError("Schema 'notes' must be a list of strings.")
        return cls(
            columns=cols,
            title=_text(data.get("title", ""), "title", MAX_TITLE),
            locale=_text(data.get("locale") or "en_US", "locale", 20),
            rows=data.get("rows"),
            planner=_text(data.get("planner", ""), "planner", 40),
            notes=[n[:MAX_NOTE] for n in notes[:20]],
            messy=data.get("messy") or 0.0,
        )

    @classmethod
    def from_json(cls, text: str) -> Schema:
        _check_size(text)
        try:
            data = json.loads(text, parse_constant=reject_constant)
        except (ValueError, RecursionError) as exc:
            raise SchemaError(f"The schema is not valid JSON ({str(exc).split(':')[0]}); check its quotes and brackets.") from None
        return cls.from_dict(data)

    # ----------------------------------------------------------------- text
    def to_text(self) -> str:
        """The readable form: paste it into a ``%%synth`` cell, edit, run again.

        It fits a notebook cell: a line is at most :data:`TEXT_WIDTH` characters where it can
        be broken (a long note goes on indented lines, a column's provenance on ``#`` lines
        above it, a long list of values after a comma), and :meth:`from_text` reads it back.
        """
        lines = []
        if self.title:
            lines.append(f"title: {self.title}")
        lines.append(f"locale: {self.locale}")
        if self.rows is not None:
            lines.append(f"rows: {self.rows}")
        for note in self.notes:
            lines += _folded(f"note: {note}", _spaces(note, 6), "      ")
        if self.messy:
            lines.append(f"messy: {_format_value(self.messy)}")
        lines.append("columns:")
        for col in self.columns:
            if col.source:
                said = f"{col.source}: {col.why}" if col.why else col.source
                lines += _folded(f"  # {said}", _spaces(said, 4), "  #   ")
            parts = [f"  {col.name}: {col.type}"]
            parts += [f"{k}={_format_value(v)}" for k, v in col.params.items() if v is not None]
            if col.null_rate:
                parts.append(f"null_rate={_format_value(col.null_rate)}")
            if col.unique:
                parts.append("unique")
            line = " ".join(parts)
            lines += _folded(line, _list_breaks(line), "      ")
        return "\n".join(lines) + "\n"

    @classmethod
    def from_text(cls, text: str) -> Schema:
        _check_size(text)
        data: dict[str, Any] = {"columns": [], "notes": []}
        in_columns = False
        for line_no, line in _logical_lines(text):
            if not line or line.startswith("#"):
                continue
            if not in_columns:
                key, sep, value = line.partition(":")
                key = key.strip().lower()
                if not sep or key not in ("title", "locale", "rows", "note", "messy", "columns"):
                    raise SchemaError(
                        f"Line {line_no} of the schema ('{clip(line)}') is not 'title:', 'locale:', "
                        "'rows:', 'note:', 'messy:' or 'columns:'."
                    )
                value = value.strip()
                if key == "columns":
                    in_columns = True
                elif key == "rows":
                    if not value.isdecimal() or len(value) > 18:
                        raise SchemaError(f"Line {line_no}: rows must be a whole number, not '{clip(value)}'.")
                    data["rows"] = int(value)
                elif key == "note":
                    data["notes"].append(value)
                elif key == "messy":
                    data["messy"] = _parse_scalar(value)
                else:
                    data[key] = value
                continue
            data["columns"].append(_parse_column_line(line, line_no))
        if not in_columns:
            raise SchemaError("The schema text needs a 'columns:' line followed by one column per line.")
        return cls.from_dict(data)


TEXT_WIDTH = 100  # characters a line of the text form takes at most, where it can be broken


def short_title(text: str) -> str:
    """A title that fits on the text form's ``title:`` line: one line, cut at a word with an
    ellipsis when it is longer (planners name their schemas with it)."""
    text = " ".join(text.split())
    limit = TEXT_WIDTH - len("title: ")
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    if " " in cut and text[limit - 1] != " ":
        cut = cut.rsplit(" ", 1)[0]  # not in the middle of a word
    return cut.rstrip(" .,:;-") + "…"


def _folded(line: str, breaks: list[int], indent: str) -> list[str]:
    """``line`` over lines of at most TEXT_WIDTH characters, broken only at ``breaks`` (indexes
    of single spaces, each replaced by a line break and ``indent``)."""
    out, start, last = [], 0, None
    room = TEXT_WIDTH
    for at in [*breaks, len(line)]:
        if at - start > room and last is not None:
            out.append(line[start:last])
            start, last, room = last + 1, None, TEXT_WIDTH - len(indent)
        last = at if at < len(line) else last
    out.append(line[start:])
    return [out[0]] + [indent + piece for piece in out[1:]]


def _spaces(text: str, offset: int) -> list[int]:
    """Where prose may break: a single space between two words (so that joining the lines with
    one space gives the text back exactly)."""
    return [offset + i for i in range(1, len(text) - 1)
            if text[i] == " " and not text[i - 1].isspace() and not text[i + 1].isspace()]


def _list_breaks(line: str) -> list[int]:
    """Where a column line may break: the space after a comma inside [...] or {...}, outside quotes."""
    breaks, depth, quoted = [], 0, False
    for i, ch in enumerate(line):
        if ch == '"' and line[i - 1] != "\\":
            quoted = not quoted
        elif not quoted and ch in "[{":
            depth += 1
        elif not quoted and ch in "]}":
            depth -= 1
        elif not quoted and depth > 0 and ch == " " and line[i - 1] == ",":
            breaks.append(i)
    return breaks


_PROVENANCE = re.compile(r"#\s?(" + "|".join(SOURCES) + r")(?::\s*(.*))?$")


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """(line number, stripped line) of a schema text, with what :meth:`Schema.to_text` folds
    put back on one line: a note's indented lines, a line ending inside [...] or {...}, and a
    column's ``# source: why`` comment lines above it (as the column line's own comment)."""
    out: list[tuple[int, str]] = []
    in_columns, held, said, saying = False, False, None, None

    def finish() -> None:  # the logical line above is complete: give it the comment above it
        nonlocal saying
        if saying is not None and _split_comment(out[-1][1]) is None:
            out[-1] = (out[-1][0], f"{out[-1][1]}  # {saying}")
        saying = None

    for line_no, raw in enumerate(_lines(text), 1):
        line = raw.strip()
        last = out[-1][1] if out else ""
        if held or (not in_columns and line and raw[:1].isspace() and last.lower().startswith("note:")):
            out[-1] = (out[-1][0], f"{last} {line}")  # more of the line above
            held = in_columns and _open(out[-1][1])
            if not held:
                finish()
            continue
        if in_columns and line.startswith("#"):
            if _PROVENANCE.match(line):
                said = line[1:].strip()
            elif said is not None and line.startswith("#  ") and line[3:].strip():
                said += " " + line[3:].strip()
            continue
        if in_columns and line:
            saying, said = said, None
        in_columns = in_columns or line.lower() == "columns:"
        out.append((line_no, line))
        held = in_columns and bool(line) and _open(line)
        if not held:
            finish()
    return out


def _open(line: str) -> bool:
    """True when ``line`` ends inside [...] or {...} (outside quotes): it goes on below."""
    depth, quoted = 0, False
    for i, ch in enumerate(line):
        if ch == '"' and (i == 0 or line[i - 1] != "\\"):
            quoted = not quoted
        elif not quoted and ch in "[{":
            depth += 1
        elif not quoted and ch in "]}":
            depth -= 1
    return depth > 0 and not quoted


def _check_size(text: Any) -> None:
    if not isinstance(text, str):
        raise SchemaError("A schema's JSON or text form must be text.")
    if len(text) > MAX_TEXT:
        raise SchemaError(f"The schema is {len(text):,} characters long; a schema's text may be at most "
                          f"{MAX_TEXT:,} (200 columns fit in far less).")


def looks_like_text_form(text: str) -> bool:
    """True when ``text`` is a schema in its text form rather than a description."""
    return any(line.strip().lower() == "columns:" for line in _lines(text))


def _lines(text: str) -> list[str]:
    """Lines as the text form writes them: only CR/LF end a line (never U+2028 and the other
    breaks str.splitlines knows, which a quoted value may hold)."""
    return re.split(r"\r\n|\r|\n", text.removesuffix("\n"))


# ------------------------------------------------------------------ the resolved plan

@dataclass(frozen=True)
class PlannedColumn:
    """One column as generation needs it: every parameter resolved, references listed."""

    name: str
    type: str
    kind: str
    params: dict[str, Any]
    refs: tuple[str, ...]
    null_rate: float
    unique: bool
    key: int  # a per-column number that does not change when other columns are added
    categories: tuple[str, ...] | None
    nullable: bool  # missing values possible (its own null_rate, or a missing value it reads)


@dataclass(frozen=True)
class Plan:
    """A validated schema, resolved for :func:`synth_magic.generate.generate`.

    ``columns`` are in an order where each comes after the columns it reads; ``order`` is
    the schema's own column order (the frame's).
    """

    columns: tuple[PlannedColumn, ...]
    order: tuple[str, ...]
    locale: str
    rows: int | None
    schema_json: str
    messy: float = 0.0

    def check_rows(self, rows: int) -> None:
        """A SchemaError when ``rows`` rows cannot be made: a series of dates stepping past
        the year 9999."""
        from .catalog import DATE, DATETIME

        entities = {c.name: c.params.get("entities") or 1 for c in self.columns}
        for col in self.columns:
            p = col.params
            if col.kind not in (DATE, DATETIME) or not p.get("step") or p.get("after") or p.get("expr"):
                continue
            start, step = parse_when(p["start"]), parse_duration(p["step"])
            periods = (rows - 1) // entities.get(p.get("entity"), 1)
            if start is not None and step and start + periods * step > parse_when(_LAST_DATE):
                raise SchemaError(f"Column '{col.name}': {rows:,} rows {p['step']} apart from {p['start']} run past "
                                  "the year 9999; use a shorter step or fewer rows.")

    def bytes_per_row(self, written: bool = False) -> int:
        """Memory one row takes, from the catalogue's measured sizes per value scaled by the
        settings that make values longer; ``written``: as text on its way to a file too
        (where a category is its value, not a code)."""
        return sum(_value_bytes(c, written) for c in self.columns)


def _value_bytes(col: PlannedColumn, written: bool) -> int:
    from .catalog import BOOL, DATE, DATETIME, FLOAT, INT, TYPES

    text_bytes = {INT: 21, FLOAT: 25, BOOL: 6, DATE: 11, DATETIME: 20}  # numbers and dates written as text
    spec = TYPES[col.type]
    size = spec.size
    if spec.grows:  # a paragraph of 20 sentences is three times one of 6
        name, per = spec.grows
        size += per * max(0, (col.params.get(name) or 0) - spec.param_index[name].default)
    for p in spec.params:
        if p.kind == "pattern" and col.params.get(p.name):  # a value is as long as its pattern
            size = max(size, 8 + len(col.params[p.name].encode()))
    if written and col.categories:
        size += -(-sum(len(v.encode()) for v in col.categories) // len(col.categories))
    elif written:
        size = max(size, text_bytes.get(col.kind, 0))
    return size


# ------------------------------------------------------------------ validation

def validate(schema: Schema) -> Plan:
    """Check ``schema`` against the catalogue and resolve it into a :class:`Plan`.

    Raises :class:`SchemaError` naming the column for anything that cannot be generated.
    """
    from ._inputs import MAX_ROWS, check_locale, check_messy
    from .catalog import TYPES

    if not schema.columns:
        raise SchemaError("A schema needs at least one column.")
    if len(schema.columns) > MAX_COLUMNS:
        raise SchemaError(f"A schema may have at most {MAX_COLUMNS} columns, not {len(schema.columns)}.")
    if schema.rows is not None and (isinstance(schema.rows, bool) or not isinstance(schema.rows, int)
                                    or not 1 <= schema.rows <= MAX_ROWS):
        raise SchemaError(f"The schema's rows must be a whole number from 1 to {MAX_ROWS:,}.")

    try:
        schema.locale = check_locale(schema.locale)
        schema.messy = check_messy(schema.messy)
    except InputError as exc:
        raise SchemaError(str(exc)) from None
    # one line each, so the text form round-trips and messages stay one line
    # (from_dict has already refused overlong untrusted titles; a planner's are clipped here)
    schema.title = one_line(_text(schema.title, "title", 1 << 20))[:MAX_TITLE]
    schema.notes = [one_line(_text(n, "note", 1 << 20))[:MAX_NOTE] for n in schema.notes]
    lowered: set[str] = set()
    resolved: dict[str, dict[str, Any]] = {}
    for col in schema.columns:
        if not isinstance(col.name, str) or not _NAME.match(col.name) or len(col.name) > MAX_NAME:
            raise SchemaError(
                f"Column name {clip(str(col.name))!r} is not usable; start with a letter and use "
                f"letters, digits, spaces or _ (at most {MAX_NAME} characters)."
            )
        if col.name.lower() in lowered:
            raise SchemaError(f"Column '{col.name}' appears twice; give each column its own name.")
        lowered.add(col.name.lower())
        spec = TYPES.get(col.type) if isinstance(col.type, str) else None
        if spec is None:
            hint = _closest(str(col.type), TYPES)
            raise SchemaError(
                f"Column '{col.name}' has unknown type {clip(str(col.type))!r}"
                + (f"; did you mean '{hint}'?" if hint else "; run `synth --types` to list the types.")
            )
        if isinstance(col.null_rate, bool) or not isinstance(col.null_rate, int | float) or not 0 <= col.null_rate <= 0.99:
            raise SchemaError(f"Column '{col.name}': null_rate must be a share between 0 and 0.99.")
        if not isinstance(col.unique, bool):
            raise SchemaError(f"Column '{col.name}': unique must be true or false.")
        if col.source and col.source not in SOURCES:
            raise SchemaError(f"Column '{col.name}': source must be one of {', '.join(SOURCES)}.")
        col.why = one_line(_text(col.why, f"column '{col.name}' why", MAX_NOTE))
        for key in col.params:
            if key not in spec.param_index:
                allowed = ", ".join(spec.param_index) or "no parameters"
                raise SchemaError(f"Column '{col.name}': type '{col.type}' has no parameter '{clip(key)}' (it takes {allowed}).")
        for key, value in list(col.params.items()):
            if value is not None:
                p = spec.param_index[key]
                col.params[key] = _check_param(p, value, col)
        if col.params.get("entities") is not None and (col.unique or col.params.get("by") is not None):
            raise SchemaError(f"Column '{col.name}' cycles through {col.params['entities']} entities, so it can be "
                              "neither unique nor depend on another column; drop 'entities' or the other.")
        follows = next((k for k, v in col.params.items() if v and spec.param_index[k].follows), None)
        if col.unique and follows:
            raise SchemaError(f"Column '{col.name}' follows column '{clip(col.params[follows])}' ({follows}), so "
                              f"its values cannot be promised unique; drop 'unique' or '{follows}'.")
        if col.unique and any(isinstance(v, dict) and spec.param_index[k].by for k, v in col.params.items()):
            raise SchemaError(f"Column '{col.name}' cannot be unique when its settings depend on another column; "
                              "drop 'unique' or 'by'.")
        params = col.resolved()
        if col.type == "money":
            _in_currency(col, params, schema.locale)
        problem = _relation_problem(spec, params)
        if problem:
            raise SchemaError(f"Column '{col.name}': {problem}.")
        resolved[col.name] = params
    return _resolve(schema, resolved)


def _fallback(p: Param, mapping: dict[str, Any]) -> Any:
    """The setting of rows no key of a per-value mapping matches: the default, else the
    mean of the numbers given, else every value given."""
    if p.default is not None:
        return p.default
    entries = [v for v in mapping.values() if v is not None]
    if p.kind == "strings":
        return list(dict.fromkeys(x for v in entries for x in v))
    if p.kind in ("int", "float", "share") and entries:
        return sum(entries) / len(entries)
    return None


_MAPPING_KINDS = ("per_value", "correlations")  # kinds whose values are mappings themselves


def _in_currency(col: Column, params: dict[str, Any], locale: str) -> None:
    """Default amounts (written in dollars) on the scale of the locale's currency, with its digits."""
    from .catalog import CURRENCIES, locale_currency

    factor, digits = CURRENCIES[locale_currency(locale)]
    for name in ("min", "max"):
        if name not in col.params and isinstance(params.get(name), int | float):
            params[name] = params[name] * factor
    if "decimals" not in col.params:
        params["decimals"] = digits


def _check_param(p: Param, value: Any, col: Column) -> Any:
    """One parameter's value checked against its kind (per value of 'by' when a mapping)."""
    from .catalog import PARAM_KINDS

    where = f"Column '{col.name}': {p.name}"
    if isinstance(value, dict) and p.kind not in _MAPPING_KINDS:
        if not p.by:
            raise SchemaError(f"{where} is one setting, not a mapping: {PARAM_KINDS[p.kind].help}.")
        if col.params.get("by") is None:
            raise SchemaError(f"{where} is given per value, so the column needs by=<column> naming the "
                              "column those values belong to.")
        return PARAM_CHECKS["per_value"](p, value, where, col.name)
    return PARAM_CHECKS[p.kind](p, value, where, col.name)


def _entries(spec: TypeSpec, p: dict[str, Any], names: tuple[str, ...]) -> list[tuple[str, dict[str, Any]]]:
    """The parameters ``names`` as they hold for each key of the ones given per value
    ('' alone when none is): a key a mapping lacks takes its '*' entry, else the default."""
    keys = list(dict.fromkeys(k for n in names if isinstance(p.get(n), dict) for k in p[n]))
    if not keys:
        return [("", {n: p.get(n) for n in names})]

    def at(name: str, key: str) -> Any:
        value = p.get(name)
        if not isinstance(value, dict):
            return value
        return value.get(key, value.get(ANY, spec.param_index[name].default))

    return [(k, {n: at(n, k) for n in names}) for k in keys]


def _relation_problem(spec: TypeSpec, p: dict[str, Any]) -> str | None:
    """What is wrong between a column's parameters (all defaults filled in), or None."""
    from .catalog import INT

    for param in spec.params:
        if param.required and p.get(param.name) is None:
            return f"type '{spec.name}' needs '{param.name}'"
        if param.requires and p.get(param.name) != param.default and p.get(param.requires) is None:
            return f"{param.name} needs {param.requires} ({spec.param_index[param.requires].help})"
        names = (param.name, param.per) if param.per else (param.name,)
        for key, e in _entries(spec, p, names):
            value, at = e[param.name], f" for '{key}'" if key else ""
            if param.kind == "strings" and value is not None and len(set(value)) != len(value):
                return f"{param.name}{at} must not repeat"
            if param.per and value is not None and e[param.per] is not None:
                count = len(e[param.per])
                if len(value) != count:
                    return f"{param.name}{at} must have one number per value ({count})"
                if sum(value) <= 0:
                    return f"{param.name}{at} must add up to more than 0"
    codes = p.get("values") if spec.kind == INT else None
    if codes is not None and (not codes or any(not float(v).is_integer() for v in codes) or len(set(codes)) != len(codes)):
        return "values of a whole-number column must be distinct whole numbers (use a float column for others)"
    if spec.kind == INT and "min" in spec.param_index and "max" in spec.param_index:
        for key, e in _entries(spec, p, ("min", "max")):
            lo, hi = e["min"], e["max"]
            if lo is not None and hi is not None and lo <= hi and math.ceil(lo) > math.floor(hi):
                return (f"no whole number lies between min={number(lo)} and max={number(hi)}"
                        + (f" (for '{key}')" if key else "") + "; widen the range or use a float column")
    for order in spec.orders:
        measure = _MEASURE.get(spec.param_index[order.lo].kind, float)
        for key, e in _entries(spec, p, (order.lo, order.hi)):
            if e[order.lo] is None or e[order.hi] is None:
                continue
            lo, hi = measure(e[order.lo]), measure(e[order.hi])
            if lo is not None and hi is not None and lo > hi:
                message = order.message.format(lo=order.lo, hi=order.hi, lo_value=e[order.lo], hi_value=e[order.hi])
                return message + (f" (for '{key}')" if key else "")
    return None


def references(spec: TypeSpec, params: dict[str, Any]) -> list[str]:
    """The other columns a column of this type reads, in its parameters' order."""
    return [ref for p in spec.params for ref in _param_refs(p, params.get(p.name))]


def _param_refs(p: Param, value: Any) -> list[str]:
    reader = _REFS.get(p.kind)
    return reader(value) if reader is not None and value else []


def _formula_names(expr: str) -> list[str]:
    from . import formula

    return formula.parse(expr, "?")[1]


# Parameter kinds that name other columns, and how to read the names from a value.
_REFS = {"column": lambda value: [value], "expr": _formula_names,
         "columns": lambda value: [value] if isinstance(value, str) else list(value),
         "correlations": lambda value: list(value)}


def _by_columns(params: dict[str, Any]) -> list[str]:
    """The columns a column's 'by' parameter names."""
    return _REFS["columns"](params["by"]) if params.get("by") else []


def _resolve(schema: Schema, resolved: dict[str, dict[str, Any]]) -> Plan:
    """References checked, columns ordered by them, the plan built."""
    import zlib

    from .catalog import TYPES

    kinds = {c.name: TYPES[c.type].kind for c in schema.columns}
    types = {c.name: c.type for c in schema.columns}
    deps: dict[str, list[str]] = {}
    for col in schema.columns:
        spec, params = TYPES[col.type], resolved[col.name]
        refs = references(spec, params)
        for ref in refs:
            if ref not in kinds:
                raise SchemaError(f"Column '{col.name}' refers to column '{clip(ref)}', which the schema does not have.")
            if ref == col.name:
                raise SchemaError(f"Column '{col.name}' cannot be derived from itself.")
        for p in spec.params:
            for ref in _param_refs(p, params.get(p.name)) if p.refers else ():
                if kinds[ref] not in p.refers:
                    raise SchemaError(p.refers_error.format(column=col.name, ref=ref))
            if p.needs and params.get(p.name) and resolved[params[p.name]].get(p.needs) is None:
                raise SchemaError(f"Column '{col.name}': {p.name} '{params[p.name]}' needs {p.needs}=N "
                                  f"(how many there are) to be followed.")
        _check_by_keys(col, params, kinds, types, resolved)
        _check_expr_kind(col, spec, params, kinds)
        deps[col.name] = refs
    _share_place(schema, resolved)
    planned: dict[str, PlannedColumn] = {}
    for col in order_columns(schema.columns, deps):
        spec, params = TYPES[col.type], resolved[col.name]
        refs = tuple(deps[col.name])
        planned[col.name] = PlannedColumn(
            name=col.name, type=col.type, kind=spec.kind, params=params, refs=refs,
            null_rate=col.null_rate, unique=col.unique, key=zlib.crc32(col.name.encode()),
            categories=_categories(spec, params, col.name),
            nullable=col.null_rate > 0 or any(planned[r].nullable for r in refs),
        )
    rows = schema.rows if schema.rows is not None else _series_rows(schema, resolved)
    return Plan(columns=tuple(planned.values()), order=tuple(schema.names), locale=schema.locale,
                rows=rows, schema_json=schema.to_json(), messy=schema.messy)


def _share_place(schema: Schema, resolved: dict[str, dict[str, Any]]) -> None:
    """Every address column of the table reads the same place, restricted as one of them says
    ('within'; else the locale's country)."""
    from .catalog import TYPES

    named = {resolved[c.name]["within"] for c in schema.columns if resolved[c.name].get("within")}
    if len(named) > 1:
        first, second = sorted(named)[:2]
        raise SchemaError(f"The address columns disagree on where the places lie ('{clip(first)}' and "
                          f"'{clip(second)}'); give one 'within' for the table.")
    within = next(iter(named), "")
    for col in schema.columns:
        spec = TYPES[col.type]
        if spec.place and not ({"min", "max"} & set(col.params)):  # coordinates in a box stay numbers
            resolved[col.name]["place"] = within


def _series_rows(schema: Schema, resolved: dict[str, dict[str, Any]]) -> int | None:
    """One row per period (and entity) of a stepped date column given its own end."""
    from ._inputs import MAX_ROWS

    for col in schema.columns:
        if col.params.get("step") and col.params.get("end"):
            p = resolved[col.name]
            start, end, step = parse_when(p["start"]), parse_when(p["end"]), parse_duration(p["step"])
            if start is None or end is None or not step:
                continue
            entities = resolved[p["entity"]].get("entities") or 1 if p.get("entity") else 1
            return max(1, min(MAX_ROWS, (int((end - start) // step) + 1) * entities))
    return None


def _check_expr_kind(col: Column, spec: TypeSpec, params: dict[str, Any], kinds: dict[str, str]) -> None:
    """A date column's expression gives a date; a formula's a number or a duration."""
    from . import formula
    from .catalog import TIME_KINDS

    expr = params.get("expr")
    if not expr:
        return
    tree, names = formula.parse(expr, col.name)
    kind = formula.result_kind(tree, {n: formula.DATE if kinds[n] in TIME_KINDS else formula.NUMBER for n in names},
                               col.name)
    if spec.kind in TIME_KINDS and kind != formula.DATE:
        raise SchemaError(f"Column '{col.name}': the expression gives a {kind}, but a date column needs a date "
                          "(such as admitted + days(3)).")
    if spec.kind not in TIME_KINDS and kind == formula.DATE:
        raise SchemaError(f"Column '{col.name}': the formula gives a date; make the column a date or datetime "
                          "with expr=..., or subtract another date for a duration.")


def _categories(spec: TypeSpec, params: dict[str, Any], column: str) -> tuple[str, ...] | None:
    """A category column's categories: its values, or all the values it has per value of 'by'."""
    from .catalog import MAX_CATEGORIES

    if not spec.categories:
        return None
    values = params[spec.categories]
    if isinstance(values, dict):
        values = value_union(values)
        if len(values) > MAX_CATEGORIES:
            raise SchemaError(f"Column '{column}' has {len(values):,} values in all; use at most {MAX_CATEGORIES}.")
    return tuple(values) if values is not None else None


def _check_by_keys(col: Column, params: dict[str, Any], kinds: dict[str, str], types: dict[str, str],
                   resolved: dict[str, dict[str, Any]]) -> None:
    """Every key of a setting given per value names a value its 'by' column(s) can have."""
    from .catalog import BOOL, CATEGORY, FLOAT, INT, TYPES

    by = _by_columns(params)
    if len(by) != len(set(by)) or col.name in by:
        raise SchemaError(f"Column '{col.name}': 'by' must name other columns, each once.")
    spec = col.spec()
    for name, value in params.items():
        if not isinstance(value, dict) or not spec.param_index[name].by:
            continue
        for key in value:
            parts = key_parts(key, len(by))
            if parts is None:
                raise SchemaError(f"Column '{col.name}': {name} key '{clip(key)}' needs one part per 'by' column "
                                  f"({'|'.join(by)}), or '*'.")
            for part, ref in zip(parts, by, strict=True):
                kind = kinds[ref]
                if part == ANY or kind not in (CATEGORY, INT, FLOAT, BOOL):
                    continue
                if kind == CATEGORY:
                    ok = part in (_categories(TYPES[types[ref]], resolved[ref], ref) or ())
                else:
                    ok = parse_range(part) is not None if kind != BOOL else part.lower() in ("true", "false")
                if not ok:
                    raise SchemaError(f"Column '{col.name}': {name} key '{clip(part)}' is not a value of column "
                                      f"'{ref}' (a number range such as 18-39 or 65+ for numbers, * for any).")


def order_columns(columns: list[Column], deps: dict[str, list[str]]) -> list[Column]:
    """Columns in an order where each comes after the columns it reads."""
    by_name = {c.name: c for c in columns}
    done: dict[str, None] = {}
    visiting: set[str] = set()

    def visit(name: str, chain: list[str]) -> None:
        if name in done:
            return
        if name in visiting:
            cycle = " -> ".join([*chain[chain.index(name):], name])
            raise SchemaError(f"Columns depend on each other in a circle ({cycle}); break the circle.")
        visiting.add(name)
        for dep in deps.get(name, []):
            visit(dep, [*chain, name])
        visiting.discard(name)
        done[name] = None

    for col in columns:
        visit(col.name, [])
    return [by_name[n] for n in done]


# Parameter kinds (catalog.PARAM_KINDS): each checks one value and returns it coerced to its kind
# (``where`` is "Column 'x': param", the start of every message).

def _number(p: Param, value: Any, where: str, column: str) -> Any:
    if (isinstance(value, bool) or not isinstance(value, int | float)
            or (isinstance(value, int) and abs(value) >= 2**63)  # math.isfinite overflows on huge ints
            or not math.isfinite(value)):
        raise SchemaError(f"{where} must be a number, not {clip(repr(value))}.")
    if p.kind == "int":
        if value != int(value):
            raise SchemaError(f"{where} must be a whole number, not {value}.")
        value = int(value)
    lo = 0.0 if p.kind == "share" else p.lo
    hi = 1.0 if p.kind == "share" else p.hi
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise SchemaError(f"{where} must be between {number(lo)} and {number(hi)}, not {number(value)}.")
    return value


def _boolean(p: Param, value: Any, where: str, column: str) -> bool:
    if not isinstance(value, bool):
        raise SchemaError(f"{where} must be true or false.")
    return value


def _strings(p: Param, value: Any, where: str, column: str) -> list[str]:
    from .catalog import MAX_CATEGORIES, MAX_STRING

    if not isinstance(value, list) or not value:
        raise SchemaError(f"{where} must be a non-empty list of values.")
    if len(value) > MAX_CATEGORIES:
        raise SchemaError(f"{where} may list at most {MAX_CATEGORIES} values, not {len(value)}.")
    out = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise SchemaError(f"{where} must hold plain text values, not {clip(repr(item))}.")
        text = item if isinstance(item, str) else number(item)
        if not text.strip() or len(text) > MAX_STRING:
            raise SchemaError(f"{where} values must be 1 to {MAX_STRING} characters long.")
        if CONTROL.search(text):
            raise SchemaError(f"{where} must be plain text without control characters, not '{clip(text)}'.")
        out.append(text)
    return out


def _floats(p: Param, value: Any, where: str, column: str) -> list[float]:
    from .catalog import MAX_CATEGORIES

    if not isinstance(value, list) or len(value) > MAX_CATEGORIES:
        raise SchemaError(f"{where} must be a list of at most {MAX_CATEGORIES} numbers.")
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int | float) or not math.isfinite(item) or not 0 <= item <= 1e9:
            raise SchemaError(f"{where} must hold numbers from 0 up, not {clip(repr(item))}.")
    return [float(v) for v in value]


def _plain(p: Param, value: Any, where: str, column: str) -> str:
    from .catalog import MAX_STRING

    if not isinstance(value, str):
        raise SchemaError(f"{where} must be text, not {clip(repr(value))}.")
    if len(value) > MAX_STRING:
        raise SchemaError(f"{where} is longer than {MAX_STRING} characters.")
    if CONTROL.search(value):
        raise SchemaError(f"{where} must be plain text without control characters, not '{clip(value)}'.")
    return value


def _text_kind(test: Any, message: str) -> Any:
    """A kind written as plain text that ``test(param, text)`` accepts; else ``message``."""

    def check(p: Param, value: Any, where: str, column: str) -> str:
        text = _plain(p, value, where, column)
        if not test(p, text):
            raise SchemaError(message.format(where=where, value=clip(text), choices=", ".join(p.choices)))
        return text

    return check


def _pattern(p: Param, value: Any, where: str, column: str) -> str:
    text = _plain(p, value, where, column)
    if len(text) > 40:
        raise SchemaError(f"{where} may be at most 40 characters long.")
    if not any(ch in PATTERN_CLASSES for ch in text):
        raise SchemaError(f"{where} needs at least one # (digit), ? (letter) or * (either).")
    return text


def _expr(p: Param, value: Any, where: str, column: str) -> str:
    from . import formula

    text = _plain(p, value, where, column)
    formula.parse(text, column)
    return text


def _columns(p: Param, value: Any, where: str, column: str) -> str | list[str]:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not 1 <= len(names) <= 3 or not all(isinstance(n, str) and n.strip() for n in names):
        raise SchemaError(f"{where} must name a column, or a list of up to 3 columns.")
    return value


def _key(key: Any, where: str) -> str:
    from .catalog import MAX_STRING

    if not isinstance(key, str) or not key.strip() or len(key) > MAX_STRING or CONTROL.search(key):
        raise SchemaError(f"{where} keys must be plain text of 1 to {MAX_STRING} characters, not {clip(repr(key))}.")
    return key


def _per_value(p: Param, value: Any, where: str, column: str) -> dict[str, Any]:
    """A setting given per value of the 'by' column(s): each entry checked as the parameter's own kind."""
    from .catalog import MAX_CATEGORIES

    if not isinstance(value, dict) or not value or len(value) > MAX_CATEGORIES:
        raise SchemaError(f"{where} per value must map 1 to {MAX_CATEGORIES} values to settings.")
    return {_key(k, where): PARAM_CHECKS[p.kind](p, v, f"{where} for '{clip(str(k))}'", column)
            for k, v in value.items()}


def _correlations(p: Param, value: Any, where: str, column: str) -> dict[str, float]:
    if not isinstance(value, dict) or not 1 <= len(value) <= 5:
        raise SchemaError(f"{where} must map 1 to 5 column names to correlations from -1 to 1.")
    out = {}
    for name, rho in value.items():
        if (isinstance(rho, bool) or not isinstance(rho, int | float) or not math.isfinite(rho)
                or not -1 <= rho <= 1):
            raise SchemaError(f"{where} for '{clip(str(name))}' must be a correlation from -1 to 1, not {clip(repr(rho))}.")
        out[_key(name, where)] = float(rho)
    if sum(r * r for r in out.values()) > 1:
        raise SchemaError(f"{where}: the squared correlations add up to more than 1; lower them.")
    return out


PARAM_CHECKS = {
    "int": _number,
    "float": _number,
    "share": _number,
    "bool": _boolean,
    "strings": _strings,
    "floats": _floats,
    "str": _plain,
    "enum": _text_kind(lambda p, v: v in p.choices, "{where} must be one of {choices}, not {value!r}."),
    "when": _text_kind(lambda p, v: parse_when(v) is not None,
                       "{where} must be a date like 2024-03-01 (or 'today', 'today-90d'), not {value!r}."),
    "duration": _text_kind(lambda p, v: parse_duration(v) is not None and parse_duration(v) <= _MAX_DURATION,
                           "{where} must be a duration like 30s, 5min, 2h or 3d, of at most "
                           "36525d (a hundred years), not {value!r}."),
    "clock": _text_kind(lambda p, v: parse_clock(v) is not None, "{where} must be a time of day such as 09:30."),
    "pattern": _pattern,
    "column": _text_kind(lambda p, v: bool(v.strip()), "{where} must name a column."),
    "expr": _expr,
    "columns": _columns,
    "per_value": _per_value,
    "correlations": _correlations,
}
# How two values of a kind compare (Order checks); None: not comparable (already refused).
_MEASURE = {"when": parse_when, "duration": parse_duration, "clock": parse_clock}


def _column_from_dict(data: Any, i: int) -> Column:
    if not isinstance(data, dict):
        raise SchemaError(f"Column {i + 1} must be an object with at least 'name' and 'type'.")
    name, type_ = data.get("name"), data.get("type")
    if not isinstance(name, str) or not name.strip():
        raise SchemaError(f"Column {i + 1} needs a 'name'.")
    if not isinstance(type_, str):
        raise SchemaError(f"Column '{clip(name)}' needs a 'type' (run `synth --types` to list them).")
    params = {k: v for k, v in data.items() if k not in _COMMON}
    if "derive_from" in params and params["derive_from"] is None:
        params.pop("derive_from")
    return Column(
        name=name.strip(),
        type=type_.strip(),
        params=params,
        null_rate=data.get("null_rate", 0.0) or 0.0,
        unique=data.get("unique", False),
        source=data.get("source", "") or "",
        why=data.get("why", "") or "",
    )


# ------------------------------------------------------------- text form bits

# The parameters of a column line are read by a scanner (below) that looks at each character
# once or twice: no regular expression backtracks over a long line.
_KEY = re.compile(r"[A-Za-z_]\w*")
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')  # linear: each alternative takes a different character
_BARE = re.compile(r"^[\w.@:/+%\-]+$")
_SPACE = " \t"


def _format_value(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_format_key(k)}: {_format_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_format_scalar(v) for v in value) + "]"
    return _format_scalar(value)


def _format_key(key: str) -> str:
    text = _format_scalar(key)
    return text if text == key and ":" not in key else json.dumps(key, ensure_ascii=False)


def _format_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return number(value)
    text = str(value)
    if _BARE.match(text) and _parse_scalar(text) == text and "," not in text:
        return text
    return json.dumps(text, ensure_ascii=False)


def _parse_scalar(token: str) -> Any:
    if token.startswith('"'):
        try:
            return json.loads(token)
        except ValueError:
            raise SchemaError(f"bad quoted text {clip(token)}; close the quotes") from None
    if token in ("true", "false"):
        return token == "true"
    if re.fullmatch(r"-?\d+", token):
        return int(token)
    if re.fullmatch(r"-?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?", token):
        return float(token)
    return token


class _Unreadable(Exception):
    """Where the scanner stopped and what it expected there."""

    def __init__(self, pos: int, hint: str):
        self.pos, self.hint = pos, hint


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _SPACE:
        pos += 1
    return pos


def _quoted(text: str, pos: int) -> tuple[str, int]:
    m = _QUOTED.match(text, pos)
    if m is None:
        raise SchemaError(f"bad quoted text {clip(text[pos:])}; close the quotes")
    return m.group(), m.end()


def _until(text: str, pos: int, stops: str) -> tuple[str, int]:
    """Plain text up to the first of ``stops`` (or the end), without its outer spaces."""
    end = pos
    while end < len(text) and text[end] not in stops:
        end += 1
    return text[pos:end].strip(_SPACE), end


def _scan_value(text: str, pos: int, stops: str) -> tuple[Any, int]:
    """A value at ``pos``: "quoted", [a, list], {a: mapping} or plain text up to ``stops``."""
    if pos < len(text) and text[pos] == '"':
        token, pos = _quoted(text, pos)
        return _parse_scalar(token), pos
    if pos < len(text) and text[pos] == "[":
        return _scan_list(text, pos)
    if pos < len(text) and text[pos] == "{":
        return _scan_mapping(text, pos)
    token, end = _until(text, pos, stops)
    if not token:
        raise _Unreadable(pos, "write parameters as key=value")
    return _parse_scalar(token), end


def _scan_list(text: str, pos: int) -> tuple[list[Any], int]:
    items: list[Any] = []
    pos = _skip(text, pos + 1)
    while pos < len(text) and text[pos] != "]":
        if text[pos] == '"':
            token, pos = _quoted(text, pos)
            items.append(_parse_scalar(token))
        else:
            token, pos = _until(text, pos, ',]"')  # braces may stand in an item: /users/{id}
            if token:
                items.append(_parse_scalar(token))
            elif pos < len(text) and text[pos] != ",":
                raise _Unreadable(pos, "write lists as [a, b, ...]")
        pos = _skip(text, pos)
        if pos < len(text) and text[pos] == ",":
            pos = _skip(text, pos + 1)
        elif pos < len(text) and text[pos] != "]":
            raise _Unreadable(pos, "write lists as [a, b, ...]")
    if pos >= len(text):
        raise _Unreadable(pos, "close the list with ]")
    return items, pos + 1


def _scan_mapping(text: str, pos: int) -> tuple[dict[str, Any], int]:
    out: dict[str, Any] = {}
    hint = "write mappings as {value: setting, ...}"
    pos = _skip(text, pos + 1)
    while pos < len(text) and text[pos] != "}":
        if text[pos] == '"':
            raw, pos = _quoted(text, pos)
        else:
            raw, pos = _until(text, pos, ':,{}[]"')
        key = _parse_scalar(raw) if raw else None
        pos = _skip(text, pos)
        if key is None or pos >= len(text) or text[pos] != ":":
            raise _Unreadable(pos, hint)
        value, pos = _scan_value(text, _skip(text, pos + 1), ',[]{}"')
        out[key if isinstance(key, str) else raw] = value
        pos = _skip(text, pos)
        if pos < len(text) and text[pos] == ",":
            pos = _skip(text, pos + 1)
        elif pos < len(text) and text[pos] != "}":
            raise _Unreadable(pos, hint)
    if pos >= len(text):
        raise _Unreadable(pos, "close the mapping with }")
    return out, pos + 1


def _scan_params(args: str, out: dict[str, Any]) -> None:
    """``key=value`` and ``unique`` parameters into ``out``."""
    pos = _skip(args, 0)
    while pos < len(args):
        key = _KEY.match(args, pos)
        after = _skip(args, key.end()) if key else pos
        if key and after < len(args) and args[after] == "=":
            out[key.group()], pos = _scan_value(args, _skip(args, after + 1), _SPACE + '[]{}"')
        elif key and key.group() == "unique" and (key.end() == len(args) or args[key.end()] in _SPACE):
            out["unique"], pos = True, key.end()
        else:
            raise _Unreadable(pos, "write parameters as key=value")
        if pos < len(args) and args[pos] not in _SPACE:
            raise _Unreadable(pos, "write parameters as key=value")
        pos = _skip(args, pos)


def _parse_column_line(line: str, line_no: int) -> dict[str, Any]:
    body, why, source = line, "", ""
    comment = _split_comment(line)
    if comment is not None:
        body, note = line[:comment].rstrip(), line[comment + 1:].strip()
        source, _, why = note.partition(":")
        source, why = source.strip(), why.strip()
        if source not in SOURCES:
            source, why = "", ""
    name, sep, rest = body.partition(":")
    if not sep or not name.strip():
        raise SchemaError(f"Line {line_no} of the schema ('{clip(line)}') should look like 'name: type key=value ...'.")
    rest = rest.strip()
    type_, _, args = rest.partition(" ")
    if not type_:
        raise SchemaError(f"Line {line_no}: column '{clip(name.strip())}' needs a type after the colon.")
    out: dict[str, Any] = {"name": name.strip(), "type": type_.strip()}
    args = args.strip()
    try:
        _scan_params(args, out)
    except _Unreadable as stop:
        raise SchemaError(f"Line {line_no}: cannot read {clip(args[stop.pos:].strip() or args)!r}; "
                          f"{stop.hint}.") from None
    except SchemaError as exc:
        raise SchemaError(f"Line {line_no}: {exc}.") from None
    if source:
        out["source"] = source
    if why:
        out["why"] = why
    return out


def _split_comment(line: str) -> int | None:
    """Index of a '#' that starts a comment (after the name's colon, outside quotes and after
    whitespace: a column may be called 'room #2')."""
    quoted = False
    for i in range(max(0, line.find(":")), len(line)):
        ch = line[i]
        if ch == '"' and (i == 0 or line[i - 1] != "\\"):
            quoted = not quoted
        elif ch == "#" and not quoted and i > 0 and line[i - 1] in " \t":
            return i
    return None


# ------------------------------------------------------------------- helpers

def _text(value: Any, what: str, limit: int) -> str:
    if not isinstance(value, str):
        raise SchemaError(f"The schema's {what} must be text.")
    if len(value) > limit:
        raise SchemaError(f"The schema's {what} is longer than {limit} characters.")
    return value


def _closest(word: str, options: Any) -> str | None:
    import difflib

    match = difflib.get_close_matches(word.lower(), list(options), n=1, cutoff=0.75)
    return match[0] if match else None
