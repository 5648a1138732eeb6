"""``DatasetSchema``: related tables whose keys hold, as declarative data.

A dataset is several tables, each a :class:`~synth_magic.schema.Schema` as for one table,
plus **relations** and **derived** columns:

- a relation gives a child table a foreign key column holding its parent's primary key
  (the parent's first unique column). ``each`` relations make the child's rows: every
  parent row gets ``min`` to ``max`` children (a skewed count by default: most parents
  few, some many). ``pick`` relations let each row of a table choose a parent: at random,
  ``distinct`` (no parent twice among the rows of one ``each`` parent: a many-to-many link
  table such as enrollments), and ``optional`` (that share of rows has no parent: a null
  key).
- a derived column is a ``copy`` of a parent's column (``hidden`` when it only feeds the
  child's own columns, such as an order date ``after`` the customer's signup date), or a
  parent's column made from its children: ``sum``, ``count``, ``mean``, ``min``, ``max``
  (an order total that sums its items' line totals).

:func:`validate` turns a dataset schema into a :class:`DatasetPlan` (one resolved
:class:`~synth_magic.schema.Plan` per table, in dependency order) that
:mod:`synth_magic.relate` generates. The text form, one block per table::

    dataset: shop
    table customers:
      columns:
        customer_id: id unique
        signup_date: date start=2020-01-01 end=today
    table orders:
      columns:
        order_id: id unique
        signup_date: date
        order_date: date after=signup_date max_gap=3650d end=today
        total: money
    relations:
      orders.customer_id -> customers each 1-5 skewed
    derived:
      orders.signup_date = customers.signup_date hidden
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ._messages import clip, number, one_line, reject_constant
from .errors import SchemaError
from .schema import MAX_NAME, MAX_NOTE, MAX_TEXT, MAX_TITLE, Plan, Schema
from .schema import validate as validate_table

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ACROSS", "AGGREGATES", "DISTRIBUTIONS", "MAX_PER_PARENT", "MAX_TABLES", "MODES", "Dataset", "DatasetPlan",
    "DatasetSchema", "Derived", "Relation", "RelationPlan", "Rollup", "Table", "TablePlan",
    "looks_like_dataset_text", "schema_from_json", "schema_from_text", "validate",
]

MAX_TABLES = 20
MAX_PER_PARENT = 10**6
MODES = ("each", "pick")
DISTRIBUTIONS = ("skewed", "uniform")
AGGREGATES = ("sum", "count", "mean", "min", "max")
ACROSS = ("copy", "currency")  # from a parent row: its value, or the currency of its country
_TABLE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_TABLE_LINE = re.compile(r"^table\s+(\S+)\s*:\s*$")
_RELATION_LINE = re.compile(
    r"^(?P<child>\w+)\.(?P<column>\w+)\s*->\s*(?P<parent>\w+)(?P<rest>(?:\s+\S+)*)\s*$")
_DERIVED_LINE = re.compile(
    r"^(?P<table>\w+)\.(?P<column>\w+)\s*=\s*(?:(?P<how>sum|count|mean|min|max|currency)\s+)?"
    r"(?P<source>\w+(?:\.\w+)?)(?P<hidden>\s+hidden)?\s*$")
_COUNT = re.compile(r"^(\d{1,7})(?:-(\d{1,7}))?$")


@dataclass
class Table:
    """One table of a dataset: its name and its schema (its own columns)."""

    name: str
    schema: Schema


@dataclass
class Relation:
    """``child.column`` holds a key of ``parent`` (see the module's docstring)."""

    child: str
    column: str
    parent: str
    mode: str = "each"
    min: int = 1
    max: int = 5
    distribution: str = "skewed"
    optional: float = 0.0
    distinct: bool = False

    def to_text(self) -> str:
        parts = [f"{self.child}.{self.column} -> {self.parent} {self.mode}"]
        if self.mode == "each":
            parts.append(f"{self.min}" if self.min == self.max else f"{self.min}-{self.max}")
        if self.distinct:
            parts.append("distinct")
        parts.append(self.distribution)
        if self.optional:
            parts.append(f"optional={number(self.optional)}")
        return " ".join(parts)


@dataclass
class Derived:
    """``table.column`` made across a relation: a ``copy`` of a parent's column (``source``
    is ``parent.column``), the ``currency`` of a parent's country column, or an aggregate of a
    child's (``child.column``; ``count``: ``child``)."""

    table: str
    column: str
    how: str
    source: str
    hidden: bool = False

    def to_text(self) -> str:
        how = "" if self.how == "copy" else f"{self.how} "  # "orders.currency = currency customers.country"
        return f"{self.table}.{self.column} = {how}{self.source}" + (" hidden" if self.hidden else "")


@dataclass
class DatasetSchema:
    """Related tables to generate: tables, relations and derived columns."""

    tables: list[Table]
    relations: list[Relation] = field(default_factory=list)
    derived: list[Derived] = field(default_factory=list)
    title: str = ""
    planner: str = ""
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        validate(self)

    # ------------------------------------------------------------- access
    def table(self, name: str) -> Schema:
        for t in self.tables:
            if t.name == name:
                return t.schema
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [t.name for t in self.tables]

    @property
    def locale(self) -> str:
        return self.tables[0].schema.locale

    @locale.setter
    def locale(self, value: str) -> None:
        for t in self.tables:
            t.schema.locale = value

    @property
    def messy(self) -> float:
        return max(t.schema.messy for t in self.tables)

    @messy.setter
    def messy(self, value: float) -> None:
        for t in self.tables:
            t.schema.messy = value

    def resolve(self) -> DatasetPlan:
        return validate(self)

    def generate(self, rows: int | Mapping[str, int] | None = None, *, seed: int | None = None) -> Dataset:
        """The tables (``rows``: the first table's rows, or rows per table name)."""
        from .relate import generate_dataset

        plan = self.resolve()
        frames, seed = generate_dataset(plan, rows, seed=seed)
        return Dataset(frames, self, seed, plan)

    # ----------------------------------------------------------------- JSON
    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"title": self.title}
        if self.planner:
            out["planner"] = self.planner
        if self.notes:
            out["notes"] = list(self.notes)
        out["tables"] = [{"name": t.name, **t.schema.to_dict()} for t in self.tables]
        out["relations"] = [dict(vars(r)) for r in self.relations]
        out["derived"] = [dict(vars(d)) for d in self.derived]
        return out

    def to_json(self, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: Any) -> DatasetSchema:
        """Build and validate a dataset schema from untrusted JSON-like data."""
        if not isinstance(data, dict):
            raise SchemaError("A dataset schema must be a JSON object with a 'tables' list.")
        unknown = set(data) - {"title", "planner", "notes", "tables", "relations", "derived"}
        if unknown:
            raise SchemaError(f"Unknown dataset field '{clip(sorted(map(str, unknown))[0])}'; use title, notes, "
                              "tables, relations and derived.")
        tables = data.get("tables")
        if not isinstance(tables, list) or not tables:
            raise SchemaError("A dataset schema needs a non-empty 'tables' list.")
        if len(tables) > MAX_TABLES:
            raise SchemaError(f"A dataset may have at most {MAX_TABLES} tables, not {len(tables)}.")
        built = []
        for i, item in enumerate(tables):
            if not isinstance(item, dict) or not isinstance(item.get("name"), str):
                raise SchemaError(f"Table {i + 1} of the dataset must be an object with a 'name' and 'columns'.")
            body = {k: v for k, v in item.items() if k != "name"}
            try:
                schema = Schema.from_dict(body)
            except SchemaError as exc:
                raise SchemaError(f"Table '{clip(item['name'])}': {exc}") from None
            built.append(Table(item["name"], schema))
        notes = data.get("notes") or []
        if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
            raise SchemaError("Dataset 'notes' must be a list of strings.")
        return cls(
            tables=built,
            relations=[_from_fields(Relation, r, "relation") for r in _list(data.get("relations"), "relations")],
            derived=[_from_fields(Derived, d, "derived column") for d in _list(data.get("derived"), "derived")],
            title=_text(data.get("title", ""), "title", MAX_TITLE),
            planner=_text(data.get("planner", ""), "planner", 40),
            notes=[n[:MAX_NOTE] for n in notes[:20]],
        )

    @classmethod
    def from_json(cls, text: str) -> DatasetSchema:
        return cls.from_dict(_load_json(text))

    # ----------------------------------------------------------------- text
    def to_text(self) -> str:
        """The readable form: paste it into a ``%%synth`` cell, edit, run again."""
        lines = [f"dataset: {self.title}"]
        lines += [f"note: {n}" for n in self.notes]
        for t in self.tables:
            lines.append(f"table {t.name}:")
            lines += ["  " + line for line in t.schema.to_text().splitlines()]
        if self.relations:
            lines.append("relations:")
            lines += ["  " + r.to_text() for r in self.relations]
        if self.derived:
            lines.append("derived:")
            lines += ["  " + d.to_text() for d in self.derived]
        return "\n".join(lines) + "\n"

    @classmethod
    def from_text(cls, text: str) -> DatasetSchema:
        _check_size(text)
        data: dict[str, Any] = {"title": "", "notes": [], "tables": [], "relations": [], "derived": []}
        section, block, name = "", [], ""

        def close_table() -> None:
            if name:
                try:
                    schema = Schema.from_text("\n".join(block))
                except SchemaError as exc:
                    raise SchemaError(f"Table '{clip(name)}': {exc}") from None
                data["tables"].append({"name": name, **schema.to_dict()})

        for line_no, raw in enumerate(text.splitlines(), 1):
            line = raw.strip()
            if section == "table" and line and raw[:1] in (" ", "\t"):  # the table's own text, comments too
                block.append(raw[2:] if raw.startswith("  ") else raw.lstrip())
                continue
            if not line or line.startswith("#"):
                continue
            if raw[:1] not in (" ", "\t"):  # a section starts at the left margin
                close_table()
                name, block = "", []
                m = _TABLE_LINE.match(line)
                key, _, value = line.partition(":")
                if m:
                    section, name = "table", m.group(1)
                elif key.strip() in ("dataset", "title"):
                    data["title"] = value.strip()
                elif key.strip() == "note":
                    data["notes"].append(value.strip())
                elif line in ("relations:", "derived:"):
                    section = line[:-1]
                else:
                    raise SchemaError(f"Line {line_no} of the dataset ('{clip(line)}') is not 'dataset:', 'note:', "
                                      "'table NAME:', 'relations:' or 'derived:'.")
            elif section == "relations":
                data["relations"].append(_parse_relation(line, line_no))
            elif section == "derived":
                data["derived"].append(_parse_derived(line, line_no))
            else:
                raise SchemaError(f"Line {line_no} of the dataset ('{clip(line)}') belongs to no table or section.")
        close_table()
        return cls.from_dict(data)


def _list(value: Any, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > 100:
        raise SchemaError(f"The dataset's '{what}' must be a list of at most 100 entries.")
    return value


def _from_fields(kind: type, data: Any, what: str) -> Any:
    names = set(kind.__dataclass_fields__)
    if not isinstance(data, dict):
        raise SchemaError(f"Each {what} must be an object with {', '.join(kind.__dataclass_fields__)}.")
    unknown = set(data) - names
    if unknown:
        raise SchemaError(f"A {what} has an unknown field '{clip(sorted(map(str, unknown))[0])}'; "
                          f"use {', '.join(kind.__dataclass_fields__)}.")
    try:
        return kind(**data)
    except TypeError:
        raise SchemaError(f"A {what} needs {', '.join(kind.__dataclass_fields__)}.") from None


def _parse_relation(line: str, line_no: int) -> dict[str, Any]:
    m = _RELATION_LINE.match(line)
    if not m:
        raise SchemaError(f"Line {line_no}: a relation looks like 'orders.customer_id -> customers each 1-5', "
                          f"not '{clip(line)}'.")
    out: dict[str, Any] = {"child": m.group("child"), "column": m.group("column"), "parent": m.group("parent")}
    for word in m.group("rest").split():
        count = _COUNT.match(word)
        if word in MODES:
            out["mode"] = word
        elif word in DISTRIBUTIONS:
            out["distribution"] = word
        elif word == "distinct":
            out["distinct"] = True
        elif count:
            out["min"] = int(count.group(1))
            out["max"] = int(count.group(2) or count.group(1))
        elif word.startswith("optional="):
            try:
                out["optional"] = float(word.partition("=")[2])
            except ValueError:
                raise SchemaError(f"Line {line_no}: optional must be a share such as 0.1.") from None
        else:
            raise SchemaError(f"Line {line_no}: cannot read '{clip(word)}' in a relation; use each or pick, a count "
                              "such as 1-5, skewed or uniform, distinct, optional=0.1.")
    return out


def _parse_derived(line: str, line_no: int) -> dict[str, Any]:
    m = _DERIVED_LINE.match(line)
    if not m:
        raise SchemaError(f"Line {line_no}: a derived column looks like 'orders.total = sum order_items.line_total' "
                          f"or 'orders.signup_date = customers.signup_date hidden', not '{clip(line)}'.")
    return {"table": m.group("table"), "column": m.group("column"), "how": m.group("how") or "copy",
            "source": m.group("source"), "hidden": bool(m.group("hidden"))}


def _check_size(text: Any) -> None:
    if not isinstance(text, str):
        raise SchemaError("A dataset schema's JSON or text form must be text.")
    if len(text) > MAX_TEXT:
        raise SchemaError(f"The dataset schema is {len(text):,} characters long; it may be at most {MAX_TEXT:,}.")


def _load_json(text: str) -> Any:
    _check_size(text)
    try:
        return json.loads(text, parse_constant=reject_constant)
    except (ValueError, RecursionError) as exc:
        raise SchemaError(f"The schema is not valid JSON ({str(exc).split(':')[0]}); check its quotes and brackets.") from None


def _text(value: Any, what: str, limit: int) -> str:
    if not isinstance(value, str):
        raise SchemaError(f"The dataset's {what} must be text.")
    if len(value) > limit:
        raise SchemaError(f"The dataset's {what} is longer than {limit} characters.")
    return value


def looks_like_dataset_text(text: str) -> bool:
    """True when ``text`` is a dataset schema in its text form."""
    return any(_TABLE_LINE.match(line) for line in text.splitlines()) and \
        any(line.strip().lower() == "columns:" for line in text.splitlines())


def schema_from_text(text: str) -> Schema | DatasetSchema:
    """A table's or a dataset's schema from its text form."""
    return DatasetSchema.from_text(text) if looks_like_dataset_text(text) else Schema.from_text(text)


def schema_from_json(text: str) -> Schema | DatasetSchema:
    """A table's or a dataset's schema from its JSON (a cache entry, a file)."""
    data = _load_json(text)
    if isinstance(data, dict) and "tables" in data:
        return DatasetSchema.from_dict(data)
    return Schema.from_dict(data)


# ------------------------------------------------------------------ the resolved plan

@dataclass(frozen=True)
class RelationPlan:
    """A checked relation; ``tag`` seeds its draws (it depends on the child and column only)."""

    child: str
    column: str
    parent: str
    mode: str
    min: int
    max: int
    distribution: str
    optional: float
    distinct: bool
    tag: int


@dataclass(frozen=True)
class Rollup:
    """``column`` of a parent table made from the rows of ``child`` that refer to it."""

    column: str
    how: str
    child: str
    via: str  # the child's foreign key column
    source: str | None  # the child's column (None for count)
    kind: str
    decimals: int | None


@dataclass(frozen=True)
class TablePlan:
    """One table resolved: its generation plan (own columns, foreign keys and copies given
    from outside), how its rows come to be, and what is filled in after its children."""

    name: str
    plan: Plan
    rows: int | None
    key: str | None
    each: RelationPlan | None
    picks: tuple[RelationPlan, ...]
    copies: tuple[tuple[str, str, str, str], ...]  # (column, via foreign key, parent's column, copy|currency)
    rollups: tuple[Rollup, ...]
    schema_json: str  # the table's own schema (what the frame says it came from)


@dataclass(frozen=True)
class DatasetPlan:
    """A validated dataset schema: its tables in dependency order (parents first)."""

    tables: tuple[TablePlan, ...]
    order: tuple[str, ...]  # the tables as the schema lists them
    schema_json: str

    def table(self, name: str) -> TablePlan:
        return next(t for t in self.tables if t.name == name)


# ------------------------------------------------------------------ validation

def validate(ds: DatasetSchema) -> DatasetPlan:
    """Check ``ds`` and resolve it into a :class:`DatasetPlan`; :class:`SchemaError` names
    the table and column of anything that cannot be generated."""
    from .catalog import FLOAT, INT, NUMERIC_KINDS

    if not ds.tables:
        raise SchemaError("A dataset needs at least one table.")
    if len(ds.tables) > MAX_TABLES:
        raise SchemaError(f"A dataset may have at most {MAX_TABLES} tables, not {len(ds.tables)}.")
    ds.title = one_line(_text(ds.title, "title", 1 << 20))[:MAX_TITLE]
    ds.notes = [one_line(_text(n, "note", 1 << 20))[:MAX_NOTE] for n in ds.notes]
    plans: dict[str, Plan] = {}
    for t in ds.tables:
        if not isinstance(t.name, str) or not _TABLE_NAME.match(t.name) or len(t.name) > MAX_NAME:
            raise SchemaError(f"Table name {clip(str(t.name))!r} is not usable; start with a letter and use letters, "
                              f"digits or _ (at most {MAX_NAME} characters).")
        if t.name.lower() in {n.lower() for n in plans}:
            raise SchemaError(f"Table '{t.name}' appears twice; give each table its own name.")
        if not isinstance(t.schema, Schema):
            raise SchemaError(f"Table '{t.name}' needs a Schema.")
        try:
            plans[t.name] = validate_table(t.schema)
        except SchemaError as exc:
            raise SchemaError(f"Table '{t.name}': {exc}") from None
        if t.schema.messy:
            raise SchemaError(f"Table '{t.name}': messy data (duplicated rows, spoilt values) would break the keys "
                              "between tables; leave messy out for related tables, or ask for one table.")
    schemas = {t.name: t.schema for t in ds.tables}
    keys = {name: next((c.name for c in s.columns if c.unique), None) for name, s in schemas.items()}
    rels = [_check_relation(r, schemas, keys) for r in ds.relations]
    each: dict[str, RelationPlan] = {}
    for r in rels:
        if r.mode == "each":
            if r.child in each:
                raise SchemaError(f"Table '{r.child}': column '{r.column}' and '{each[r.child].column}' both make its "
                                  "rows ('each'); make one of them 'pick'.")
            each[r.child] = r
        if r.distinct and r.child in each and each[r.child].parent == r.parent and each[r.child] is not r:
            raise SchemaError(f"Table '{r.child}': column '{r.column}' picks distinct rows of '{r.parent}', which "
                              "already makes its rows; pick from another table.")
    order = _dependency_order(ds.names, rels)
    copies: dict[str, list[tuple[str, str, str, str]]] = {n: [] for n in schemas}
    rollups: dict[str, list[Rollup]] = {n: [] for n in schemas}
    hidden: dict[str, set[str]] = {n: set() for n in schemas}
    rolled: set[tuple[str, str]] = set()
    seen: set[tuple[str, str]] = set()
    for d in ds.derived:
        where = _check_derived(d, schemas)
        if (d.table, d.column) in seen:
            raise SchemaError(f"{where} is derived twice; keep one rule for it.")
        seen.add((d.table, d.column))
        if d.how == "currency":
            parent, _, pcol = d.source.partition(".")
            rel = _one_relation(rels, d.table, parent, where)
            if schemas[parent].column(pcol).type != "country":
                raise SchemaError(f"{where} is the currency of '{d.source}', which must be a country column.")
            if schemas[d.table].column(d.column).type != "currency_code":
                raise SchemaError(f"{where} holds a currency, so its type must be currency_code.")
            if d.hidden:
                raise SchemaError(f"{where}: only copies can be hidden.")
            copies[d.table].append((d.column, rel.column, pcol, "currency"))
        elif d.how == "copy":
            parent, _, pcol = d.source.partition(".")
            rel = _one_relation(rels, d.table, parent, where)
            ptype, ctype = schemas[parent].column(pcol).spec(), schemas[d.table].column(d.column).spec()
            if ptype.kind != ctype.kind:
                raise SchemaError(f"{where} copies '{d.source}', a {ptype.kind} column; give it a {ptype.kind} type "
                                  f"such as '{ptype.name}'.")
            pcats = _planned(plans[parent], pcol).categories
            ccats = _planned(plans[d.table], d.column).categories
            if pcats is not None and not set(pcats) <= set(ccats or ()):
                raise SchemaError(f"{where} copies '{d.source}', so it needs every value of it ({', '.join(pcats[:5])}...).")
            if any(h.hidden and h.table == parent and h.column == pcol for h in ds.derived):
                raise SchemaError(f"{where} copies '{d.source}', which is hidden from its table; copy a column "
                                  f"'{parent}' shows.")
            copies[d.table].append((d.column, rel.column, pcol, "copy"))
            if d.hidden:
                hidden[d.table].add(d.column)
        else:
            if d.hidden:
                raise SchemaError(f"{where}: only copies can be hidden.")
            child, _, ccol = d.source.partition(".")
            rel = _one_relation(rels, child, d.table, where)
            target = _planned(plans[d.table], d.column)
            source = _planned(plans[child], ccol) if ccol else None
            if source is not None and source.kind not in NUMERIC_KINDS:
                raise SchemaError(f"{where}: '{d.source}' is not a number; {d.how} reads a number column.")
            whole = d.how == "count" or (d.how != "mean" and source is not None and source.kind == INT)
            if target.kind not in (INT, FLOAT) or (target.kind == INT and not whole) \
                    or (d.how == "count" and target.kind != INT):
                raise SchemaError(f"{where} holds the {d.how} of '{d.source}', so it must be a "
                                  f"{'whole number (integer)' if whole else 'number (money, float)'} column.")
            users = [c.name for c in plans[d.table].columns if d.column in c.refs]
            if users:
                raise SchemaError(f"{where} is filled in from '{child}' after its table is made, so column "
                                  f"'{users[0]}' cannot read it; derive '{users[0]}' from '{d.source}' instead.")
            rollups[d.table].append(Rollup(d.column, d.how, child, rel.column, ccol or None, target.kind,
                                           target.params.get("decimals")))
            rolled.add((d.table, d.column))
    for table, items in copies.items():
        for column, via, pcol, _ in items:
            parent = next(r.parent for r in rels if r.child == table and r.column == via)
            if (parent, pcol) in rolled:
                raise SchemaError(f"Column '{table}.{column}' copies '{parent}.{pcol}', which is filled in from "
                                  "its children later; copy another column.")
    tables = []
    for name in order:
        schema = schemas[name]
        fks = [r for r in rels if r.child == name]
        currencies = {c for c, _, _, how in copies[name] if how == "currency"}
        plan = _generation_plan(plans[name], keys[name], fks, schemas, keys, hidden[name], currencies)
        tables.append(TablePlan(
            name=name, plan=plan, rows=schema.rows, key=keys[name], each=each.get(name),
            picks=tuple(r for r in fks if r.mode == "pick"), copies=tuple(copies[name]),
            rollups=tuple(rollups[name]), schema_json=schema.to_json(),
        ))
    return DatasetPlan(tables=tuple(tables), order=tuple(ds.names), schema_json=ds.to_json())


def _planned(plan: Plan, name: str) -> Any:
    return next(c for c in plan.columns if c.name == name)


def _check_relation(r: Relation, schemas: dict[str, Schema], keys: dict[str, str | None]) -> RelationPlan:
    where = f"Relation '{clip(str(r.child))}.{clip(str(r.column))}'"
    for table in (r.child, r.parent):
        if table not in schemas:
            raise SchemaError(f"{where} names table '{clip(str(table))}', which the dataset does not have "
                              f"(it has {', '.join(schemas)}).")
    if not isinstance(r.column, str) or not re.fullmatch(r"[A-Za-z]\w{0,63}", r.column):
        raise SchemaError(f"{where}: the foreign key column needs a name of letters, digits and _.")
    if r.column.lower() in {c.lower() for c in schemas[r.child].names}:
        raise SchemaError(f"Table '{r.child}': column '{r.column}' is made by its relation to '{r.parent}'; "
                          "remove it from the table's columns.")
    if keys[r.parent] is None:
        raise SchemaError(f"Table '{r.parent}' is referred to by '{r.child}.{r.column}' but has no key; give it a "
                          "unique column (such as 'id: id unique').")
    if r.mode not in MODES:
        raise SchemaError(f"{where}: mode must be 'each' (the parent's rows make the child's) or 'pick', "
                          f"not {clip(repr(r.mode))}.")
    if r.distribution not in DISTRIBUTIONS:
        raise SchemaError(f"{where}: distribution must be {' or '.join(DISTRIBUTIONS)}, not {clip(repr(r.distribution))}.")
    for name in ("min", "max"):
        value = getattr(r, name)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_PER_PARENT:
            raise SchemaError(f"{where}: {name} must be a whole number from 0 to {MAX_PER_PARENT:,}.")
    if r.min > r.max:
        raise SchemaError(f"{where}: each parent cannot have at least {r.min} and at most {r.max} rows; "
                          "make min at most max.")
    if isinstance(r.optional, bool) or not isinstance(r.optional, int | float) or not 0 <= r.optional <= 0.99:
        raise SchemaError(f"{where}: optional must be a share between 0 and 0.99.")
    if r.mode == "each" and r.optional:
        raise SchemaError(f"{where}: an 'each' relation's rows all have a parent; use min=0 for parents without "
                          "rows, or make it 'pick' to leave keys empty.")
    if not isinstance(r.distinct, bool) or (r.distinct and r.mode == "each"):
        raise SchemaError(f"{where}: distinct is true or false, and only for 'pick' relations.")
    if r.child == r.parent:
        raise SchemaError(f"{where} refers to its own table; a table cannot be its own parent.")
    return RelationPlan(r.child, r.column, r.parent, r.mode, r.min, r.max, r.distribution, float(r.optional),
                        r.distinct, zlib.crc32(f"{r.child}.{r.column}".encode()))


def _check_derived(d: Derived, schemas: dict[str, Schema]) -> str:
    where = f"Column '{clip(str(d.table))}.{clip(str(d.column))}'"
    if d.table not in schemas:
        raise SchemaError(f"{where}: the dataset has no table '{clip(str(d.table))}'.")
    if not isinstance(d.column, str) or d.column not in schemas[d.table].names:
        raise SchemaError(f"{where}: table '{d.table}' has no column '{clip(str(d.column))}'; add it to the table "
                          "(its type says what kind of value it holds).")
    if d.how not in (*ACROSS, *AGGREGATES):
        raise SchemaError(f"{where}: how must be {', '.join((*ACROSS, *AGGREGATES))}, not {clip(repr(d.how))}.")
    if not isinstance(d.hidden, bool):
        raise SchemaError(f"{where}: hidden must be true or false.")
    table, dot, column = str(d.source).partition(".")
    if table not in schemas:
        raise SchemaError(f"{where} reads '{clip(str(d.source))}', but the dataset has no table '{clip(table)}'.")
    if d.how == "count":
        if dot:
            raise SchemaError(f"{where}: count names a table ('{table}'), not a column.")
    elif not dot or column not in schemas[table].names:
        raise SchemaError(f"{where} reads '{clip(str(d.source))}', but table '{table}' has no column "
                          f"'{clip(column)}'.")
    return where


def _one_relation(rels: list[RelationPlan], child: str, parent: str, where: str) -> RelationPlan:
    found = [r for r in rels if r.child == child and r.parent == parent]
    if not found:
        raise SchemaError(f"{where} reads table '{parent if child != parent else child}', but no relation joins "
                          f"'{child}' to '{parent}'; add one (such as '{child}.{parent}_id -> {parent} each 1-5').")
    if len(found) > 1:
        raise SchemaError(f"{where}: '{child}' refers to '{parent}' twice ({found[0].column}, {found[1].column}), "
                          "so it is not clear which row to read.")
    return found[0]


def _dependency_order(names: list[str], rels: list[RelationPlan]) -> list[str]:
    parents: dict[str, list[RelationPlan]] = {n: [] for n in names}
    for r in rels:
        parents[r.child].append(r)
    done: dict[str, None] = {}
    visiting: list[str] = []

    def visit(name: str) -> None:
        if name in done:
            return
        if name in visiting:
            chain = [*visiting[visiting.index(name):], name]
            rel = next(r for r in parents[chain[-2]] if r.parent == name)
            raise SchemaError(f"Tables refer to each other in a circle ({' -> '.join(chain)}); relation "
                              f"'{rel.child}.{rel.column}' closes it, so drop or reverse it.")
        visiting.append(name)
        for r in parents[name]:
            visit(r.parent)
        visiting.pop()
        done[name] = None

    for name in names:
        visit(name)
    return list(done)


def _generation_plan(own: Plan, key_name: str | None, fks: list[RelationPlan], schemas: dict[str, Schema],
                     keys: dict[str, str | None], hidden: set[str], currencies: set[str]) -> Plan:
    """The table's plan with its foreign keys as columns (values given when generating),
    placed after its key (or first); hidden copies out of the frame; a currency from the
    parent's country able to hold every country's currency."""
    if not fks and not hidden:
        return own
    if currencies:
        from .catalog import COUNTRY_CURRENCY

        every = tuple(sorted({*COUNTRY_CURRENCY.values(), "USD"}))
        own = replace(own, columns=tuple(replace(c, categories=every) if c.name in currencies else c
                                         for c in own.columns))
    from .catalog import TYPES
    from .schema import PlannedColumn

    extra = []
    for r in fks:
        key = schemas[r.parent].column(keys[r.parent])
        spec = TYPES[key.type]
        extra.append(PlannedColumn(
            name=r.column, type=key.type, kind=spec.kind, params={}, refs=(), null_rate=r.optional,
            unique=False, key=zlib.crc32(r.column.encode()), categories=None, nullable=r.optional > 0))
    names = list(own.order)
    at = names.index(key_name) + 1 if key_name else 0
    order = [n for n in names[:at] + [r.column for r in fks] + names[at:] if n not in hidden]
    return replace(own, columns=tuple(extra) + own.columns, order=tuple(order))


# ------------------------------------------------------------------ the generated tables

class Dataset(Mapping):
    """Generated related tables: a mapping of table name → DataFrame, parents first.

    ``schema`` is the :class:`DatasetSchema`, ``seed`` the run's seed; ``primary_keys``
    each table's key column and ``foreign_keys`` its references (column, parent, parent's
    key), which :func:`synth_magic.export.save_dataset` declares in SQLite.
    """

    def __init__(self, frames: dict[str, pd.DataFrame], schema: DatasetSchema, seed: int, plan: DatasetPlan):
        self._frames = frames
        self.schema, self.seed = schema, seed
        self.primary_keys = {t.name: t.key for t in plan.tables}
        self.foreign_keys = {t.name: tuple((r.column, r.parent, self.primary_keys[r.parent])
                                         for r in ((t.each,) if t.each else ()) + t.picks)
                           for t in plan.tables}

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self._frames[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._frames)

    def __len__(self) -> int:
        return len(self._frames)

    @property
    def rows(self) -> int:
        return sum(len(df) for df in self._frames.values())

    def summary(self) -> str:
        """One line: each table's rows and columns, and what its keys refer to."""
        parts = []
        for name, df in self._frames.items():
            refs = ", ".join(f"{c} → {p}" for c, p, _ in self.foreign_keys[name])
            parts.append(f"{name} {len(df):,} × {df.shape[1]}" + (f" ({refs})" if refs else ""))
        return f"{len(self)} tables: " + "; ".join(parts)

    def __repr__(self) -> str:
        title = f" '{self.schema.title}'" if self.schema.title else ""
        return f"<Dataset{title} · {self.summary()} · seed {self.seed}>"
