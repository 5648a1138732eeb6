"""A model's answer → a :class:`~synth_magic.schema.Schema`: the JSON in its text, harmless
slips put right, and every remaining problem at once.

::

    text ─► json_text ─► read_answer ─► table(): coerce by parameter kind ─► check each column ─► Schema
                            (bounded)           │ what was adjusted:                 │ every problem, one line:
                                                ▼ column ``why`` / schema notes      ▼ SchemaError (one repair turn)

- Coercion is driven by the catalogue: each parameter's kind (:data:`catalog.PARAM_KINDS`:
  its JSON type, then the kind's own written forms), its bounds and ``per`` relation, and
  the types' ``orders`` (a ``min`` on a date is its ``start``). A kind added to the
  catalogue later gets the JSON-type coercion without a change here.
- Only slips with one obvious reading are put right (``"500"`` for 500, ``F`` for
  ``female``, ``2024/01/01``, ``14 days``, a share written as a percentage, rows above the
  limit). Anything else is left for :meth:`Schema.from_dict`, whose validation stays
  strict; its messages are collected for every column, so one repair turn sees them all.
- :func:`table` reads one table; a multi-table answer applies it to each table.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .._messages import clip, number, reject_constant
from ..catalog import PARAM_KINDS, TYPES, Param
from ..errors import InputError, SchemaError
from ..schema import MAX_COLUMNS, MAX_NOTE, MAX_TITLE, PARAM_CHECKS, Schema, references, short_title

if TYPE_CHECKING:
    from ..catalog import TypeSpec

__all__ = [
    "MAX_ANSWER_CHARS", "MAX_MODEL_ROWS", "MAX_NUMBER", "MAX_PROBLEMS_CHARS", "json_text",
    "read_answer", "suggest_type", "table", "to_dataset", "to_schema",
]

MAX_ANSWER_CHARS = 100_000  # a real schema of 200 columns fits in far less
MAX_NUMBER = 1e15
MAX_MODEL_ROWS = 1_000_000  # a row count the model may suggest; callers can ask for more
MAX_PROBLEMS_CHARS = 1000  # all the problems of one answer, as sent back in the repair turn
_COLUMN_FIELDS = ("name", "type", "params", "null_rate", "unique", "why", "source")
_MAX_STARTS = 64  # '{' positions tried when looking for the JSON object in prose
_UNBOUNDED = 1e15  # the catalogue's default bounds: nothing to clamp to


# --------------------------------------------------------------------- the JSON in a text

_THINK = re.compile(r"<(think|thinking|reasoning)>.*?</\1>", re.DOTALL | re.IGNORECASE)
_THINK_END = re.compile(r"</(?:think|thinking|reasoning)>", re.IGNORECASE)
_FENCE = re.compile(r"```[a-zA-Z]*\s*\n(.*?)(?:```|$)", re.DOTALL)


def json_text(content: str) -> str:
    """The first complete JSON object in a model's text.

    Reasoning blocks (``<think>...</think>``, as DeepSeek-R1 and Qwen3 write them when the
    server has no reasoning parser) are dropped first, with any text before a lone closing
    tag (chat templates that open the block in the prompt). Then the first ``{`` from which
    a whole JSON object decodes wins, preferring one with a ``columns`` list, so prose
    with braces before the JSON ("use {name} as ...") or after it does not matter. This
    only cuts text; what it returns is parsed as JSON like any answer.
    """
    text = _THINK.sub(" ", content)
    closing = list(_THINK_END.finditer(text))
    if closing:
        text = text[closing[-1].end():]
    text = text.strip()
    if text.startswith(("{", "[")) and _decodes(text):
        return text
    fence = _FENCE.search(text)
    if fence and _decodes(fence.group(1).strip()):
        return fence.group(1).strip()
    decoder = json.JSONDecoder(parse_constant=reject_constant)
    first, start = None, text.find("{")
    for _ in range(_MAX_STARTS):
        if start < 0:
            break
        try:
            value, end = decoder.raw_decode(text, start)
        except (ValueError, RecursionError):
            start = text.find("{", start + 1)
            continue
        if isinstance(value, dict) and "columns" in value:
            return text[start:end]
        if first is None and isinstance(value, dict):
            first = text[start:end]
        start = text.find("{", end)
    if first is not None:
        return first
    if fence:
        return fence.group(1).strip()
    start, end = text.find("{"), text.rfind("}")
    return text[start:end + 1] if 0 <= start < end else text


def _decodes(text: str) -> bool:
    try:
        json.loads(text, parse_constant=reject_constant)
    except (ValueError, RecursionError):
        return False
    return True


def read_answer(content: str) -> Any:
    """JSON text from a model → Python data, refusing oversized text and absurd numbers."""
    if len(content) > MAX_ANSWER_CHARS:
        raise SchemaError(
            f"The answer is {len(content):,} characters long; a schema should be far shorter "
            f"(at most {MAX_COLUMNS} columns)."
        )
    try:
        data = json.loads(json_text(content), parse_constant=reject_constant)
    except (ValueError, RecursionError) as exc:
        reason = str(exc).split(":")[0][:80]
        raise SchemaError(f"The answer is not valid JSON ({reason}); reply with one JSON object only.") from None
    _check_numbers(data)
    return data


def _check_numbers(data: Any) -> None:
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, int | float) and not isinstance(item, bool) and (
                (isinstance(item, float) and not math.isfinite(item)) or abs(item) > MAX_NUMBER):
            raise SchemaError(
                f"The answer holds the number {clip(str(item), 24)}; keep numbers between "
                f"-{MAX_NUMBER:g} and {MAX_NUMBER:g}."
            )


# --------------------------------------------------------------------------- related tables

def to_dataset(data: Any) -> Any:
    """A model's answer for related tables → a :class:`~synth_magic.dataset.DatasetSchema`,
    each table read like a one-table answer; one :class:`SchemaError` with every problem."""
    from ..dataset import MAX_TABLES, DatasetSchema

    if not isinstance(data, dict) or not isinstance(data.get("tables"), list) or not data["tables"]:
        raise SchemaError("The answer must be a JSON object with a non-empty 'tables' list.")
    if len(data["tables"]) > MAX_TABLES:
        raise SchemaError(f"The answer has {len(data['tables'])} tables; use at most {MAX_TABLES}.")
    tables, problems = [], []
    for i, raw in enumerate(data["tables"]):
        name = raw.get("name") if isinstance(raw, dict) else None
        if not isinstance(name, str) or not name.strip():
            problems.append(f"Table {i + 1} needs a 'name'.")
            continue
        fields, found = table(raw)
        problems += [f"Table '{clip(name)}': {p}" for p in found]
        tables.append({"name": name.strip(), **fields})
    if problems:
        raise SchemaError(_joined(problems))
    title = data.get("title")
    return DatasetSchema.from_dict({
        "title": " ".join(title.split())[:MAX_TITLE] if isinstance(title, str) else "", "planner": "openai",
        "tables": tables,
        "relations": [{k: v for k, v in r.items() if v is not None} if isinstance(r, dict) else r
                      for r in data.get("relations") or []],
        "derived": [{k: v for k, v in d.items() if v is not None} if isinstance(d, dict) else d
                    for d in data.get("derived") or []],
    })


# --------------------------------------------------------------------------- one table

def to_schema(data: Any) -> Schema:
    """A model's answer (JSON data) → a :class:`Schema`, or one :class:`SchemaError` listing
    every problem (so a single repair turn can fix them all)."""
    fields, problems = table(data)
    if problems:
        raise SchemaError(_joined(problems))
    return Schema.from_dict(fields)


def table(data: Any) -> tuple[dict[str, Any], list[str]]:
    """One table of an answer → (fields for :meth:`Schema.from_dict`, problems).

    The fields carry the planner's provenance: ``source: model`` on every column, what was
    adjusted in the column's ``why`` and in the schema's ``notes``. With no problems the
    fields validate.
    """
    if not isinstance(data, dict):
        return {}, ["The answer must be a JSON object with a 'columns' list."]
    columns = data.get("columns")
    if not isinstance(columns, list) or not columns:
        return {}, ["The answer needs a non-empty 'columns' list."]
    if len(columns) > MAX_COLUMNS:
        return {}, [f"The answer has {len(columns):,} columns; use at most {MAX_COLUMNS}."]
    notes: list[str] = []
    title = data.get("title")
    locale = data.get("locale")
    fields: dict[str, Any] = {
        "title": short_title(title[:MAX_TITLE * 4]) if isinstance(title, str) else "",
        "locale": locale.strip()[:20] if isinstance(locale, str) and locale.strip() else "en_US",
        "rows": _rows(data.get("rows"), notes),
        "planner": "openai",
        "notes": notes,
    }
    problems: list[str] = []
    cols = []
    for i, raw in enumerate(columns):
        col, problem = _column(raw, i)
        if problem:
            problems.append(problem)
        elif col is not None:
            cols.append(col)
    names = [c["name"] for c in cols if isinstance(c.get("name"), str)]
    adjusted, bad = 0, set()
    for i, col in enumerate(cols):
        done, problem = _fix_column(col, names)
        adjusted += bool(done)
        if problem:
            problems.append(problem)
            bad.add(i)
    fields["columns"] = cols
    if len(cols) == len(columns):  # every column could be read
        problems += _validation_problems(fields, bad)
    if adjusted:
        notes.append(f"Values the model wrote another way were adjusted in {adjusted} column(s) "
                     "instead of asking again (see the columns' notes).")
    return fields, problems


def _joined(problems: list[str]) -> str:
    unique = list(dict.fromkeys(problems))
    if len(unique) == 1:
        return unique[0]
    text = f"{len(unique)} problems: " + " ".join(f"({i}) {p}" for i, p in enumerate(unique, 1))
    return text if len(text) <= MAX_PROBLEMS_CHARS else text[: MAX_PROBLEMS_CHARS - 1] + "…"


def _rows(rows: Any, notes: list[str]) -> int | None:
    """The row count the model suggests; a slip (text, a fraction, too many) is put right."""
    if rows is None:
        return None
    value = _as_number(rows) if isinstance(rows, str) else rows
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 1:
        notes.append(f"The model's row count {clip(repr(rows))} was not a usable number, so it was left out.")
        return None
    whole = int(round(value))
    if whole > MAX_MODEL_ROWS:
        notes.append(f"The model suggested {whole:,} rows; at most {MAX_MODEL_ROWS:,} are taken from "
                     "a model (ask for more with rows=).")
        return MAX_MODEL_ROWS
    if whole != rows:
        notes.append(f"The model's row count {clip(repr(rows))} was read as {whole}.")
    return whole


def _column(data: Any, i: int) -> tuple[dict[str, Any] | None, str | None]:
    """A column object of the answer (params as a list of pairs, an object, or flattened)."""
    if not isinstance(data, dict):
        return None, f"Column {i + 1} must be an object with name, type, params, null_rate and unique."
    name = data.get("name")
    label = clip(name) if isinstance(name, str) else str(i + 1)
    raw = data.get("params")
    pairs: list[tuple[Any, Any]] = []
    if isinstance(raw, list):
        for item in raw:
            if not isinstance(item, dict) or set(item) != {"name", "value"}:
                return None, f"Column '{label}': each entry of params must be {{\"name\": ..., \"value\": ...}}."
            pairs.append((item["name"], item["value"]))
    elif isinstance(raw, dict):
        pairs.extend(raw.items())
    elif raw is not None:
        return None, f"Column '{label}': params must be a list of name/value pairs."
    pairs.extend((k, v) for k, v in data.items() if k not in _COLUMN_FIELDS)  # a flattened answer
    out: dict[str, Any] = {"name": name.strip() if isinstance(name, str) else name, "type": data.get("type")}
    for key, value in pairs:
        if not isinstance(key, str) or key in _COLUMN_FIELDS or key in out:
            return None, f"Column '{label}': {clip(repr(key))} is not a parameter name, or appears twice."
        if value is not None:
            out[key] = value
    for key in ("null_rate", "unique"):
        if data.get(key) is not None:
            out[key] = data[key]
    why = data.get("why")
    out["why"] = " ".join(why.split())[:MAX_NOTE] if isinstance(why, str) else ""
    out["source"] = "model"
    return out, None


# ------------------------------------------------------------------ putting slips right

def _fix_column(col: dict[str, Any], names: list[str]) -> tuple[list[str], str | None]:
    """Put the column's harmless slips right in place, noted in its ``why``: (what was
    adjusted, a problem or None)."""
    done: list[str] = []
    given = col.get("type")
    if isinstance(given, str) and given not in TYPES:
        fixed = _type_keys().get(_key(given))
        if fixed is None:
            hint = suggest_type(given)
            return [], (f"Column '{clip(col['name'])}' has unknown type {clip(given)!r}"
                        + (f"; did you mean '{hint}'?" if hint else "; use one of the listed types."))
        col["type"] = fixed
        done.append(f"type {clip(given)!r} read as '{fixed}'")
    spec = TYPES.get(col["type"]) if isinstance(col["type"], str) else None
    if spec is None:
        return [], None  # not text: validation says so
    for key in [k for k in col if k not in _COLUMN_FIELDS and k not in spec.param_index]:
        _foreign(spec, col, key, done)
    for p in spec.params:
        if p.name in col:
            _fix_value(p, col, p.name, done, names)
    for p in spec.params:
        if p.per:
            _fix_per(spec, p, col, done)
    for p in _COLUMN_PARAMS:
        if p.name in col:
            _fix_value(p, col, p.name, done, names)
    if done:
        note = "adjusted: " + "; ".join(done)
        col["why"] = clip(f"{col['why']}; {note}" if col["why"] else note, MAX_NOTE)
    return done, None


def _fix_value(p: Param, col: dict[str, Any], key: str, done: list[str], names: list[str]) -> None:
    value = col[key]
    kind = PARAM_KINDS.get(p.kind)
    new = value
    if kind is not None:
        new = _BY_JSON.get((kind.json, kind.items), _same)(p, new)
    new = _BY_KIND.get(p.kind, _same)(p, new)
    if p.kind == "column" and isinstance(new, str) and new not in names:
        matches = [n for n in names if n.lower() == new.strip().lower()]
        new = matches[0] if len(matches) == 1 else new
    new = _clamped(p, new)
    if type(new) is not type(value) or new != value:
        col[key] = new
        done.append(f"{key} {clip(_shown(value))} read as {clip(_shown(new))}")


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str | list) else number(value)


def _same(p: Param, value: Any) -> Any:
    return value


def _foreign(spec: TypeSpec, col: dict[str, Any], key: str, done: list[str]) -> None:
    """A parameter this type does not have: another type's ``min`` is a date's ``start``
    (by the types' ``orders``); any other type's parameter is dropped. A name no type has is
    left for validation to report."""
    value = col[key]
    for role in _roles().get(key, ()):
        for order in spec.orders:
            target = spec.param_index[getattr(order, role)]
            if target.name in col:
                continue
            candidate = {"x": value}
            _fix_value(target, candidate, "x", [], [])
            try:
                PARAM_CHECKS[target.kind](target, candidate["x"], "", col.get("name", ""))
            except SchemaError:
                continue
            col[target.name] = candidate["x"]
            del col[key]
            done.append(f"{key} (a parameter of other types) read as {target.name}")
            return
    if key in _all_params():
        del col[key]
        done.append(f"dropped {key}={clip(_shown(value), 30)} (a parameter of other types)")


def _fix_per(spec: TypeSpec, p: Param, col: dict[str, Any], done: list[str]) -> None:
    """A list with one entry per value of another list (weights per value) of the wrong length."""
    weights = col.get(p.name)
    values = col.get(p.per, spec.param_index[p.per].default)
    if not isinstance(weights, list) or not isinstance(values, list) or len(weights) == len(values) \
            or not all(isinstance(w, int | float) and not isinstance(w, bool) and w >= 0 for w in weights):
        return
    n, total = len(values), sum(weights)
    if len(weights) > n and sum(weights[:n]) > 0:
        col[p.name] = weights[:n]
        done.append(f"kept the first {n} {p.name} (one per value of {p.per})")
    elif len(weights) < n and 0 < total < 1 and all(w <= 1 for w in weights):
        rest = (1 - total) / (n - len(weights))
        col[p.name] = [*weights, *[round(rest, 6)] * (n - len(weights))]
        done.append(f"{p.name} for the last {n - len(weights)} value(s) of {p.per} set to the remaining share")
    else:
        del col[p.name]
        done.append(f"dropped {p.name} ({len(weights)} for {n} values of {p.per}): equal shares")


def _clamped(p: Param, value: Any) -> Any:
    """A number outside the parameter's bounds, moved to the nearest bound."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return value
    lo = 0.0 if p.kind == "share" else p.lo
    hi = min(1.0, p.hi if p.hi is not None else 1.0) if p.kind == "share" else p.hi
    if lo is not None and lo > -_UNBOUNDED and value < lo:
        return type(value)(lo)
    if hi is not None and hi < _UNBOUNDED and value > hi:
        return type(value)(hi)
    return value


# By the kind's JSON type (catalog.ParamKind.json, .items): a kind added later gets these.

_NUMBER = re.compile(r"[-+]?(?:\d{1,3}(?:[,_ ]\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?|[-+]?\.\d+")


def _as_number(text: str) -> int | float | None:
    """'500', '1,000', '$1 200.50', '2e3' → a number; None for anything else."""
    body = text.strip().lstrip("$€£¥").rstrip("%").strip()
    if not _NUMBER.fullmatch(body) or len(body) > 40:
        return None
    body = re.sub(r"(?<=\d)[,_ ](?=\d{3})", "", body)
    value = float(body)
    if not math.isfinite(value):
        return None
    return int(value) if re.fullmatch(r"[-+]?\d+", body) else value


def _json_number(p: Param, value: Any) -> Any:
    if isinstance(value, str):
        found = _as_number(value)
        if found is not None:
            if value.strip().endswith("%") and p.kind == "share":
                return found / 100
            return found
    if isinstance(value, list) and len(value) == 1:
        return _json_number(p, value[0])
    return value


def _json_integer(p: Param, value: Any) -> Any:
    value = _json_number(p, value)
    if isinstance(value, float) and math.isfinite(value) and not value.is_integer():
        return int(round(value))
    return value


_TRUE, _FALSE = ("true", "yes", "y", "1", "on"), ("false", "no", "n", "0", "off")


def _json_boolean(p: Param, value: Any) -> Any:
    if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
        return value.strip().lower() in _TRUE
    if isinstance(value, int) and not isinstance(value, bool) and value in (0, 1):
        return bool(value)
    return value


def _json_strings(p: Param, value: Any) -> Any:
    if isinstance(value, str) and value.strip():
        parts = [part.strip() for part in re.split(r"[,;|]", value)]
        return [part for part in parts if part] or value
    return value


def _json_numbers(p: Param, value: Any) -> Any:
    if isinstance(value, list):
        items = [_as_number(v) if isinstance(v, str) else v for v in value]
        return value if any(v is None for v in items) else items
    return value


_BY_JSON: dict[tuple[str, str], Callable[[Param, Any], Any]] = {
    ("number", ""): _json_number,
    ("integer", ""): _json_integer,
    ("boolean", ""): _json_boolean,
    ("array", "string"): _json_strings,
    ("array", "number"): _json_numbers,
}


# By the kind's own written forms (catalog.PARAM_KINDS names).

def _share(p: Param, value: Any) -> Any:
    """A share written as a percentage: 2 for 0.02 (never 1, which is a share already)."""
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 < value <= 100:
        return value / 100
    return value


def _on_text(fix: Callable[[Param, str], Any]) -> Callable[[Param, Any], Any]:
    """A fix of written forms: other values pass unchanged, text is stripped, and a form
    the fix does not know (None) keeps the value as it was."""

    def apply(p: Param, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        fixed = fix(p, value.strip())
        return value if fixed is None else fixed

    apply.__doc__ = fix.__doc__
    return apply


_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
                  r"\s*(Z|UTC|[+-]\d{2}:?\d{2})?", re.IGNORECASE)
_RELATIVE = re.compile(r"(today|now)\s*(?:([+-])\s*(\d{1,5})\s*(days?|d|weeks?|w|months?|m|years?|y))?",
                       re.IGNORECASE)
_YESTERDAY = {"yesterday": "today-1d", "tomorrow": "today+1d"}


@_on_text
def _when(p: Param, text: str) -> str | None:
    """2024-01-01T00:00:00Z, 2024/01/01, 'today - 90 days' → the written forms validation reads."""
    m = _ISO.fullmatch(text)
    if m:
        import datetime as dt

        year, month, day, hour, minute, second = (int(g or 0) for g in m.group(1, 2, 3, 4, 5, 6))
        try:
            when = dt.datetime(year, month, day, hour, minute, second)
        except ValueError:
            return None
        zone = (m.group(7) or "").upper()
        if zone not in ("", "Z", "UTC"):
            sign = 1 if zone[0] == "+" else -1
            digits = zone[1:].replace(":", "")
            when -= sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        return when.strftime("%Y-%m-%d" if when.time() == dt.time() else "%Y-%m-%d %H:%M:%S")
    m = _RELATIVE.fullmatch(text)
    if m:
        base = m.group(1).lower()
        return f"{base}{m.group(2)}{m.group(3)}{m.group(4)[0].lower()}" if m.group(2) else base
    return _YESTERDAY.get(text.lower())


_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|wks?|w)",
                       re.IGNORECASE)
_ISO_DURATION = re.compile(r"P(?:(\d+)W|(\d+)D|T(\d+)H|T(\d+)M|T(\d+)S)", re.IGNORECASE)
_UNITS = {"s": "s", "m": "min", "h": "h", "d": "d", "w": "w"}


@_on_text
def _duration(p: Param, text: str) -> str | None:
    """'14 days', '2 hours', 'P14D' → 14d, 2h (the written forms validation reads)."""
    m = _DURATION.fullmatch(text)
    if m:
        amount = m.group(1)
        return f"{amount}{_UNITS[m.group(2)[0].lower()]}"
    m = _ISO_DURATION.fullmatch(text)
    if m:
        for amount, unit in zip(m.groups(), ("w", "d", "h", "min", "s"), strict=True):
            if amount:
                return f"{amount}{unit}"
    return None


_CLOCK_12 = re.compile(r"(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*([ap])\.?\s*m\.?", re.IGNORECASE)


@_on_text
def _clock(p: Param, text: str) -> str | None:
    """'9:30 pm' → 21:30."""
    m = _CLOCK_12.fullmatch(text)
    if not m or not 1 <= int(m.group(1)) <= 12:
        return None
    hour = int(m.group(1)) % 12 + (12 if m.group(4).lower() == "p" else 0)
    return f"{hour:02d}:{m.group(2) or '00'}" + (f":{m.group(3)}" if m.group(3) else "")


@_on_text
def _choice(p: Param, text: str) -> str | None:
    """One of the choices written another way: 'Log-Normal' → lognormal, 'F' → female
    (the one choice it starts)."""
    key = _key(text).replace("_", "")
    if text in p.choices or not key:
        return text if key else None
    exact = [c for c in p.choices if _key(c).replace("_", "") == key]
    starts = [c for c in p.choices if _key(c).replace("_", "").startswith(key)]
    found = exact or starts
    return found[0] if len(found) == 1 else None


_BY_KIND: dict[str, Callable[[Param, Any], Any]] = {
    "share": _share,
    "when": _when,
    "duration": _duration,
    "clock": _clock,
    "enum": _choice,
}


# ------------------------------------------------------------------------ type names

def _key(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip()).lower()


@functools.cache
def _type_keys() -> dict[str, str]:
    """Type names by their lower-cased, underscored form ('Date', 'Full Name' → date, full_name)."""
    return {_key(name): name for name in TYPES}

# Data-type words models use for a column's type, and the catalogue type each means. Column
# meanings (email_address, zip_code, ...) come from the offline planner's name rules.
_DATA_TYPE_WORDS = {
    "string": "word", "str": "word", "varchar": "word", "char": "word", "text": "sentence",
    "int": "integer", "int64": "integer", "bigint": "integer", "smallint": "integer", "long": "integer",
    "number": "float", "numeric": "float", "decimal": "float", "double": "float", "real": "float",
    "float64": "float", "bool": "boolean", "flag": "boolean", "enum": "category",
    "categorical": "category", "choice": "category", "timestamp": "datetime", "datetime64": "datetime",
    "guid": "uuid", "identifier": "id", "currency": "money",
}


def suggest_type(name: str) -> str | None:
    """The catalogue type an unknown type name most likely means: a data-type word
    (``string`` → word), then what the offline planner makes of a column so named
    (``email_address`` → email, ``zip`` → postcode), then the closest spelling."""
    import difflib

    from ._lexicon import infer

    key = _key(name)[:64]
    if not key:
        return None
    word = _DATA_TYPE_WORDS.get(key)
    if word in TYPES:
        return word
    found, _, how = infer(key.replace("_", " "))
    if how in ("rule", "fuzzy") and found in TYPES:
        return found
    match = difflib.get_close_matches(key, list(TYPES), n=1, cutoff=0.75)
    return match[0] if match else None


# --------------------------------------------------------------------------- validation

def _validation_problems(fields: dict[str, Any], bad: set[int]) -> list[str]:
    """Every problem :meth:`Schema.from_dict` finds, not only the first one.

    The whole table first; if it fails, each column alone (with the columns it refers to
    standing in by type), then the table with the failing columns replaced by stand-ins,
    for what lies between columns (a name twice, a circle of references). Columns in
    ``bad`` (already reported), and the columns that refer to them, are checked again
    after the repair.
    """
    columns = fields["columns"]
    first = None
    if not bad:
        try:
            Schema.from_dict(fields)
            return []
        except (SchemaError, InputError) as exc:
            first = str(exc)
    bad_names = {n for i in bad if isinstance(n := columns[i].get("name"), str)}  # a list as a name is bad too
    by_name = {c["name"]: c for i, c in enumerate(columns) if i not in bad and _usable(c)}
    problems, failed, skipped = [], set(), set(bad)
    for i, col in enumerate(columns):
        refs = _refs(col)
        if i in bad or bad_names.intersection(refs):
            skipped.add(i)
            continue
        stand_ins = [_stand_in(by_name[r]["type"], r) for r in refs if r != col.get("name") and r in by_name]
        try:
            Schema.from_dict({**fields, "columns": [col, *stand_ins]})
        except (SchemaError, InputError) as exc:
            problems.append(str(exc))
            failed.add(i)
    rest = [_stand_in(c["type"], c["name"]) if i in failed else c
            for i, c in enumerate(columns) if i not in skipped and (i not in failed or _usable(c))]
    if rest and (failed or skipped):
        try:
            Schema.from_dict({**fields, "columns": rest})
        except (SchemaError, InputError) as exc:
            problems.append(str(exc))
    return problems or ([first] if first else [])


def _usable(col: dict[str, Any]) -> bool:
    return isinstance(col.get("name"), str) and isinstance(col.get("type"), str) and col["type"] in TYPES


def _refs(col: dict[str, Any]) -> list[str]:
    """The names of the columns ``col`` refers to ([] when they cannot be read: the
    column's own check says why)."""
    if not _usable(col):
        return []
    spec = TYPES[col["type"]]
    try:
        refs = references(spec, {k: v for k, v in col.items() if k in spec.param_index})
    except (SchemaError, TypeError, AttributeError):
        return []
    return list(dict.fromkeys(r for r in refs if isinstance(r, str)))


def _stand_in(type_name: str, name: str) -> dict[str, Any]:
    """A column named ``name`` of the same value kind as ``type_name`` that needs no parameters."""
    return {"name": name, "type": _plain_type(type_name)}


@functools.cache
def _plain_type(type_name: str) -> str:
    kind = TYPES[type_name].kind
    if not any(p.required for p in TYPES[type_name].params):
        return type_name
    return next(t.name for t in TYPES.values() if t.kind == kind and not any(p.required for p in t.params))


# Column fields checked like parameters (null_rate is a share of at most 0.99).
_COLUMN_PARAMS = (Param("null_rate", "share", 0.0, 0, 0.99), Param("unique", "bool", False))


@functools.cache
def _roles() -> dict[str, tuple[str, ...]]:
    """Parameter name → the sides it takes in any type's orders ('min' → lo, 'end' → hi)."""
    out: dict[str, list[str]] = {}
    for spec in TYPES.values():
        for order in spec.orders:
            for role in ("lo", "hi"):
                sides = out.setdefault(getattr(order, role), [])
                if role not in sides:
                    sides.append(role)
    return {k: tuple(v) for k, v in out.items()}


@functools.cache
def _all_params() -> frozenset[str]:
    return frozenset(p.name for spec in TYPES.values() for p in spec.params)
