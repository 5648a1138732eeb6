"""Several related tables from one sentence: which entities, how they relate.

"customers and their orders", "orders with line items", "a library: members, books,
loans", "a school: students, courses and enrollments", "the northwind sample database".
The knowledge is data: :data:`ENTITIES` (the words for each entity, what to ask the
single-table planner for its table, which of that table's columns belong to it),
:data:`LINKS` (how two entities relate: who makes whose rows, how many per parent, what
is carried across) and :data:`SCENES` (words that stand for a set of entities).

:func:`recognise` reads the sentence; :func:`plan_dataset` asks the given single-table
planner (whatever the registry chose) for each entity's table, then gives every table an
integer key, drops the columns its parents already hold, and adds relations and the
columns carried across them (a child's date after its parent's, a parent's total summing
its children's). A sentence with fewer than two related entities is left to the
single-table planner: :func:`recognise` returns None.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .._messages import clip
from ..catalog import TIME_KINDS, TYPES
from ..dataset import DatasetSchema, Derived, Relation, Table
from ..schema import Column, Schema, references

__all__ = ["ENTITIES", "LINKS", "SCENES", "Entity", "Found", "Link", "plan_dataset", "recognise"]


@dataclass(frozen=True)
class Entity:
    """One kind of row. ``words``: plurals that name it (the first is its table's name
    with spaces as _). ``phrase``: what the single-table planner is asked. ``keep``: only
    these of its columns (renamed by ``rename``); ``extra``: column lines (text form) added."""

    name: str
    singular: str
    words: tuple[str, ...]
    phrase: str
    keep: tuple[str, ...] = ()
    rename: tuple[tuple[str, str], ...] = ()
    extra: tuple[str, ...] = ()
    rows: int | None = None  # a fixed table size (a catalogue of courses), else rows follow the root


@dataclass(frozen=True)
class Link:
    """``child`` refers to ``parent``: ``each`` (min to max children per parent) or ``pick``."""

    parent: str
    child: str
    mode: str = "each"
    min: int = 1
    max: int = 5
    distinct: bool = False
    optional: float = 0.0
    rollups: tuple[tuple[str, str, str], ...] = ()  # (parent column, how, child column or "")
    takes: tuple[str, ...] = ()  # parent columns the child holds at its finer grain (dropped from the parent)


ENTITIES: dict[str, Entity] = {e.name: e for e in (
    Entity("customers", "customer", ("customers", "clients", "buyers"), "customers"),
    Entity("orders", "order", ("orders", "purchases"), "orders"),
    Entity("order_items", "item", ("order items", "line items", "order lines", "items"), "orders",
           keep=("product_name", "quantity", "unit_price", "total"), rename=(("total", "line_total"),)),
    Entity("products", "product", ("products",), "products", rows=200),
    Entity("members", "member", ("members", "patrons", "borrowers"), "library members",
           keep=("full_name", "email", "phone", "country"), extra=("joined_date: date start=2015-01-01 end=today",)),
    Entity("books", "book", ("books", "titles"), "books", rows=500),
    Entity("loans", "loan", ("loans", "checkouts", "borrowings"), "library loans",
           extra=("loan_date: date start=2015-01-01 end=today",
                  "due_date: date after=loan_date min_gap=14d max_gap=28d",
                  "returned_date: date after=loan_date min_gap=1d max_gap=40d end=today null_rate=0.1")),
    Entity("students", "student", ("students", "pupils", "learners"), "students"),
    Entity("courses", "course", ("courses", "classes", "modules"), "courses", rows=40),
    Entity("enrollments", "enrollment", ("enrollments", "enrolments", "registrations"), "enrollments",
           extra=("enrolled_date: date start=2021-08-15 end=today",
                  "grade: category values=[A, B, C, D, F] weights=[25, 35, 25, 10, 5]")),
    Entity("departments", "department", ("departments", "teams"), "departments", keep=("name",), rows=12,
           extra=("budget: money min=50000 max=5000000 distribution=lognormal mean=600000 decimals=0",)),
    Entity("employees", "employee", ("employees", "staff", "workers"), "employees"),
    Entity("users", "user", ("users", "account holders"), "users"),
    Entity("posts", "post", ("posts", "articles", "blog posts"), "blog posts"),
    Entity("comments", "comment", ("comments", "replies"), "comments", keep=(),
           extra=("body: sentence", "commented_at: datetime start=today-365d end=today", "likes: integer min=0 max=200 "
                  "distribution=lognormal mean=4")),
    Entity("patients", "patient", ("patients",), "patients"),
    Entity("doctors", "doctor", ("doctors", "physicians"), "doctors", keep=(), rows=30,
           extra=("name: full_name", "specialty: category values=[\"General practice\", Cardiology, Pediatrics, "
                  "Dermatology, Orthopedics, Neurology]")),
    Entity("appointments", "appointment", ("appointments", "visits"), "appointments", keep=(),
           extra=("scheduled_at: datetime start=today-365d end=today", "reason: category values=[checkup, "
                  "\"follow-up\", consultation, vaccination, emergency] weights=[35, 25, 25, 10, 5]",
                  "duration_minutes: integer min=10 max=90 distribution=normal mean=25 std=10")),
    Entity("accounts", "account", ("accounts", "bank accounts"), "bank accounts",
           keep=("iban", "account_type", "balance", "opened_date")),
    Entity("transactions", "transaction", ("transactions", "payments"), "transactions",
           keep=("merchant", "category", "transaction_type", "amount", "currency", "transaction_date")),
    Entity("projects", "project", ("projects",), "projects", keep=(), rows=50,
           extra=("name: title min_words=1 max_words=3", "start_date: date start=today-730d end=today",
                  "budget: money min=5000 max=500000 distribution=lognormal mean=60000 decimals=0")),
    Entity("tasks", "task", ("tasks", "tickets"), "tasks"),
    Entity("reviews", "review", ("reviews", "ratings"), "reviews"),
    Entity("authors", "author", ("authors", "writers"), "authors", keep=(), rows=None,
           extra=("name: full_name", "country: country", "born: year min=1920 max=2000")),
)}

LINKS: tuple[Link, ...] = (
    Link("customers", "orders", "each", 1, 8),
    Link("orders", "order_items", "each", 1, 5, rollups=(("total", "sum", "line_total"), ("item_count", "count", "")),
         takes=("product_name", "quantity", "unit_price")),
    Link("products", "order_items", "pick"),
    Link("employees", "orders", "pick"),  # who took the order
    Link("members", "loans", "each", 0, 12),
    Link("books", "loans", "pick"),
    Link("authors", "books", "each", 1, 8),
    Link("students", "enrollments", "each", 1, 6),
    Link("courses", "enrollments", "pick", distinct=True),
    Link("departments", "employees", "each", 2, 40),
    Link("users", "posts", "each", 0, 20),
    Link("posts", "comments", "each", 0, 12),
    Link("users", "comments", "pick"),
    Link("patients", "appointments", "each", 1, 6),
    Link("doctors", "appointments", "pick"),
    Link("customers", "accounts", "each", 1, 3),
    Link("accounts", "transactions", "each", 1, 40),
    Link("projects", "tasks", "each", 3, 30),
    Link("employees", "tasks", "pick", optional=0.1),
    Link("products", "reviews", "each", 0, 15),
    Link("customers", "reviews", "pick"),
)

# Words that stand for a set of entities: with "database", "dataset", "schema" or "tables",
# or with two of the entities named, the scene brings the rest.
SCENES: dict[str, tuple[str, ...]] = {
    "shop": ("customers", "orders", "order_items", "products"),
    "store": ("customers", "orders", "order_items", "products"),
    "e-commerce": ("customers", "orders", "order_items", "products"),
    "northwind": ("customers", "employees", "orders", "order_items", "products"),
    "library": ("members", "books", "loans"),
    "school": ("students", "courses", "enrollments"),
    "university": ("students", "courses", "enrollments"),
    "blog": ("users", "posts", "comments"),
    "clinic": ("patients", "doctors", "appointments"),
    "bank": ("customers", "accounts", "transactions"),
}
_NAMED = ("northwind",)  # sample databases: the name alone asks for the tables
_DATASET_WORDS = re.compile(r"\b(?:databases?|datasets?|schemas?|tables|data ?model)\b", re.I)
_COUNT_WORD = r"(?:\d{1,7}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty)"
_SMALL = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "twenty": 20}


@dataclass
class Found:
    """What the sentence asks for: entities in order, their links, counts and phrases."""

    entities: list[str]
    links: list[Link]
    rows: dict[str, int] = field(default_factory=dict)
    phrases: dict[str, str] = field(default_factory=dict)
    title: str = ""


def _word_pattern(word: str) -> str:
    return r"\b" + r"[\s_-]+".join(map(re.escape, word.split())) + r"\b"


def _mentions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, entity) for each mention, longest words first, no overlaps."""
    spans: list[tuple[int, int, str]] = []
    words = sorted(((w, e.name) for e in ENTITIES.values() for w in e.words), key=lambda x: -len(x[0]))
    for word, name in words:
        for m in re.finditer(_word_pattern(word), text, re.I):
            if not any(s < m.end() and m.start() < e for s, e, _ in spans):
                spans.append((m.start(), m.end(), name))
    return sorted(spans)


def recognise(text: str) -> Found | None:
    """The related entities ``text`` asks for, or None (a single table)."""
    lower = text.lower()
    spans = _mentions(text)
    named = list(dict.fromkeys(name for _, _, name in spans))
    scenes = [s for s in SCENES if re.search(_word_pattern(s), lower)]
    for scene in scenes:
        listed = [e for e in SCENES[scene] if e in named]
        if scene in _NAMED or _DATASET_WORDS.search(lower) or len(listed) >= 2:
            named += [e for e in SCENES[scene] if e not in named]
    if len(named) < 2:
        return None
    links = [link for link in LINKS if link.parent in named and link.child in named]
    linked = {e for link in links for e in (link.parent, link.child)}
    if not linked:
        return None
    if not any(link.mode == "each" for link in links):
        return None
    entities = [e for e in named if e in linked]
    found = Found(entities=entities, links=_ordered(links, entities), title=clip(" ".join(text.split()), 200))
    _read_counts(text, found)
    found.phrases = _phrases(text, spans, entities)
    return found


def _ordered(links: list[Link], entities: list[str]) -> list[Link]:
    """One 'each' link per child (the first parent named wins); picks after."""
    out, makers = [], set()
    for link in sorted(links, key=lambda k: (k.mode != "each", entities.index(k.parent))):
        if link.mode == "each":
            if link.child in makers:
                link = Link(link.parent, link.child, "pick", optional=0.0)
            makers.add(link.child)
        out.append(link)
    return out


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _SMALL[word.lower()]


def _read_counts(text: str, found: Found) -> None:
    """'each customer has 1 to 5 orders', 'up to 3 items per order', '500 customers'."""
    words = {w: e.name for e in ENTITIES.values() for w in (*e.words, e.singular)}
    by_word = sorted(words, key=len, reverse=True)
    noun = "(" + "|".join(_word_pattern(w)[2:-2] for w in by_word) + ")"
    rng = rf"(?:(?:between\s+)?({_COUNT_WORD})\s*(?:to|-|–|and)\s*({_COUNT_WORD})|(?:up to|at most)\s+({_COUNT_WORD})" \
          rf"|(?:exactly\s+)?({_COUNT_WORD}))"
    patterns = (
        rf"\b(?:each|every)\s+{noun}\s+(?:has|have|gets|places|makes|takes|with)\s+{rng}\s+{noun}",
        rf"{rng}\s+{noun}\s+(?:per|for each|each)\s+{noun}",
    )
    for i, pattern in enumerate(patterns):
        for m in re.finditer(pattern, text, re.I):
            g = m.groups()
            parent, child = (g[0], g[5]) if i == 0 else (g[5], g[4])
            lo_hi = g[1:5] if i == 0 else g[0:4]
            parent_name, child_name = words.get(_key(parent, words)), words.get(_key(child, words))
            if lo_hi[0]:
                lo, hi = _number(lo_hi[0]), _number(lo_hi[1])
            else:
                lo = hi = _number(lo_hi[2] or lo_hi[3])
            for j, link in enumerate(found.links):
                if link.parent == parent_name and link.child == child_name and link.mode == "each":
                    if lo_hi[2]:  # up to N: from the link's usual least
                        lo = min(link.min, hi)
                    found.links[j] = Link(link.parent, link.child, "each", min(lo, hi), max(lo, hi),
                                          rollups=link.rollups, takes=link.takes)
    for m in re.finditer(rf"\b(\d[\d,_]{{0,9}})\s+{noun}", text, re.I):
        name = words.get(_key(m.group(2), words))
        if name in found.entities and name not in found.rows and m.start() == _not_a_range(text, m.start()):
            found.rows[name] = int(re.sub(r"[,_]", "", m.group(1)))


def _not_a_range(text: str, start: int) -> int:
    """``start`` unless the number ends a range ('1 to 5 orders'): then -1."""
    before = text[max(0, start - 12):start].lower()
    return -1 if re.search(r"(?:to|-|–|and|up to|at most|exactly|has|have)\s*$", before) else start


def _key(word: str, words: dict[str, str]) -> str:
    norm = " ".join(re.split(r"[\s_-]+", word.lower()))
    return norm if norm in words else next((w for w in words if w.lower() == norm), norm)


def _phrases(text: str, spans: list[tuple[int, int, str]], entities: list[str]) -> dict[str, str]:
    """An entity's own words: 'orders with amount between 1 and 500' up to the next entity."""
    out: dict[str, str] = {}
    for i, (start, end, name) in enumerate(spans):
        if name not in entities or name in out:
            continue
        stop = spans[i + 1][0] if i + 1 < len(spans) else len(text)
        tail = re.split(r"[;:]|\band their\b|\bwith their\b|\beach\b|\bevery\b|\bper\b", text[end:stop])[0]
        tail = re.sub(r"(?:,|\band\b|\bwith\b|\bof\b|\s)+$", "", tail)
        if re.match(r"^\s+(?:with|having|including)\b", tail) and len(tail.split()) > 1:
            out[name] = text[start:end] + tail
    return out


# ------------------------------------------------------------------ building the tables

def plan_dataset(found: Found, plan_table: Callable[[str], Schema], planner: str = "offline") -> DatasetSchema:
    """The dataset schema for ``found``, each table planned by ``plan_table``."""
    tables: dict[str, Schema] = {}
    for name in found.entities:
        entity = ENTITIES[name]
        phrase = found.phrases.get(name)
        schema = plan_table(phrase or entity.phrase)
        tables[name] = _own_columns(schema, entity, bool(phrase))
        rows = found.rows.get(name, entity.rows)
        if name != found.entities[0] and name in found.rows:
            rows = found.rows[name]
        tables[name].rows = rows if not _made_by_link(name, found) or name in found.rows else None
    for link in found.links:
        _drop_parent_columns(tables[link.child], [ENTITIES[a] for a in _ancestors(link.child, found)])
        if link.mode == "each":
            for column in link.takes:
                _drop(tables[link.parent], column)
    relations, derived = [], []
    for link in found.links:
        parent = ENTITIES[link.parent]
        relations.append(Relation(link.child, f"{parent.singular}_id", link.parent, link.mode, link.min, link.max,
                                  optional=link.optional, distinct=link.distinct))
        if link.mode == "each":
            hidden = {d.column for d in derived if d.table == link.parent and d.hidden}
            derived += _after_parent(tables[link.parent], tables[link.child], parent, link.child, hidden)
            derived += _rollups(link, tables)
        derived += _currency_from(tables[link.parent], tables[link.child], link)
    schema = DatasetSchema(
        tables=[Table(name, tables[name]) for name in found.entities], relations=relations, derived=derived,
        title=found.title, planner=planner,
        notes=[f"Tables {', '.join(found.entities)} related by "
               + "; ".join(f"{r.child}.{r.column} → {r.parent}" for r in relations) + "."],
    )
    return schema


def _made_by_link(name: str, found: Found) -> bool:
    return any(link.child == name and link.mode == "each" for link in found.links)


def _ancestors(name: str, found: Found) -> list[str]:
    out: list[str] = []
    todo = [name]
    while todo:
        for link in found.links:
            if link.child == todo[-1] and link.parent not in out:
                out.append(link.parent)
                todo.insert(0, link.parent)
        todo.pop()
    return out


def _own_columns(schema: Schema, entity: Entity, asked: bool) -> Schema:
    """The table planner's columns that belong to ``entity``, with an integer key first."""
    cols = [c for c in schema.columns if not (c.unique and _is_key(c))]
    if entity.keep and not asked:
        rename = dict(entity.rename)
        cols = [c for c in cols if c.name in entity.keep]
        for c in cols:
            c.name = rename.get(c.name, c.name)
    elif not entity.keep and entity.extra and not asked:
        cols = []
    names = {c.name for c in cols}
    cols += [c for c in _extra_columns(entity) if c.name not in names]
    key = Column(f"{entity.singular}_id", "id", unique=True, source="domain", why="the table's key")
    return Schema(columns=_without_broken([key, *cols]), title=entity.name.replace("_", " "), locale=schema.locale,
                  notes=[], messy=schema.messy)


def _is_key(col: Column) -> bool:
    return col.type in ("id", "uuid", "code") and (col.name == "id" or col.name.endswith("_id"))


def _extra_columns(entity: Entity) -> list[Column]:
    if not entity.extra:
        return []
    lines = "".join(f"  {line}  # domain: {entity.name} in a dataset\n" for line in entity.extra)
    return Schema.from_text("columns:\n" + lines).columns


def _drop(schema: Schema, name: str) -> None:
    schema.columns = [c for c in schema.columns if c.name != name]
    _drop_broken(schema)


def _drop_broken(schema: Schema) -> None:
    schema.columns = _without_broken(schema.columns)


def _without_broken(cols: list[Column]) -> list[Column]:
    """Columns reading a column that is gone go too (transitively)."""
    while True:
        names = {c.name for c in cols}
        broken = {c.name for c in cols if any(ref not in names for ref in references(c.spec(), c.resolved()))}
        if not broken:
            return cols
        cols = [c for c in cols if c.name not in broken]


def _drop_parent_columns(schema: Schema, parents: list[Entity]) -> None:
    """A child does not repeat what its parents hold: their ids and their names ('customer_name')."""
    prefixes = tuple(f"{p.singular}_" for p in parents)
    keep_key = schema.columns[0].name
    schema.columns = [c for c in schema.columns
                      if c.name == keep_key or not (c.name.startswith(prefixes) or c.name in {p.singular for p in parents})]
    _drop_broken(schema)


def _first_date(schema: Schema, free: bool = False, skip: set[str] | None = None) -> Column | None:
    for c in schema.columns:
        if skip and c.name in skip:
            continue
        if TYPES[c.type].kind in TIME_KINDS and c.type in ("date", "datetime") and not c.params.get("expr") \
                and not c.params.get("step") and (not free or not c.params.get("after")):
            return c
    return None


def _after_parent(parent: Schema, child: Schema, entity: Entity, child_name: str, hidden: set[str]) -> list[Derived]:
    """The child's first own date follows its parent's first date (an order after its customer's signup)."""
    pdate, cdate = _first_date(parent, skip=hidden), _first_date(child, free=True)
    if pdate is None or cdate is None:
        return []
    copy = f"{entity.singular}_{pdate.name}" if not pdate.name.startswith(entity.singular) else pdate.name
    if copy in child.names:
        return []
    resolved = cdate.resolved()
    end = cdate.params.get("end") or resolved.get("end") or "today"
    child.columns.insert(child.columns.index(cdate), Column(copy, pdate.type, {k: v for k, v in pdate.params.items()
                                                                            if k in ("start", "end")}))
    cdate.params.update({"after": copy, "max_gap": "3650d" if cdate.type == "date" else "87600h", "end": end})
    cdate.params.pop("min_gap", None)
    cdate.why = f"after its {entity.singular}'s {pdate.name}"
    child.resolve()
    return [Derived(child_name, copy, "copy", f"{entity.name}.{pdate.name}", hidden=True)]


def _currency_from(parent: Schema, child: Schema, link: Link) -> list[Derived]:
    """A child's currency is that of its parent's country (an order's, its customer's)."""
    country = next((c.name for c in parent.columns if c.type == "country"), None)
    currency = next((c for c in child.columns if c.type == "currency_code"), None)
    if country is None or currency is None or currency.params.get("by"):
        return []
    currency.why = f"the currency of its {ENTITIES[link.parent].singular}'s {country}"
    return [Derived(link.child, currency.name, "currency", f"{link.parent}.{country}")]


def _rollups(link: Link, tables: dict[str, Schema]) -> list[Derived]:
    out = []
    parent, child = tables[link.parent], tables[link.child]
    for column, how, source in link.rollups:
        if source and source not in child.names:
            continue
        kind = "integer" if how == "count" else "money"
        used = [c for c in parent.columns if column in references(c.spec(), c.resolved())]
        if used:
            continue
        _drop(parent, column)
        parent.columns.append(Column(column, kind, {"min": 0} if how == "count" else {},
                                     source="constraint", why=f"{how} of its {link.child}"))
        out.append(Derived(link.parent, column, how, f"{link.child}.{source}" if source else link.child))
    return out
