"""The offline planner's knowledge, read from the data files in ``knowledge/``.

- ``vocab.toml``: value vocabularies (lists of values and weights) that the other files
  name as ``"@name"``;
- ``concepts.toml``: column concepts, name words or patterns → catalogue type and parameters;
- ``domains.toml``: domain templates (the default table for a kind of data);
- ``tables.toml``: named tables (well-known datasets, sample databases, benchmark schemas,
  API objects, standards) by their common names;
- ``rules.toml``: cross-column rules (event pairs that are ordered, flag priors, outcomes).

Each kind may also be a folder of files (``tables/*.toml``, ``tables/*.json``...).

The files are read once per process, on the first plan, and only their structure is
checked then (known keys, known types, vocabularies): a named table's columns are parsed
and validated against the catalogue when a plan first uses that table. :func:`check`
validates every entry (every table's columns, every concept's parameters); the tests call
it, so a bad entry fails there, never quietly at plan time. :func:`version` hashes the
files: it is part of the offline planner's cache key.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, TypeVar

from . import _stamp as S
from ._stamp import FILES
from ._words import singular as _singular

__all__ = ["FILES", "KNOWLEDGE", "UNIT_WORDS", "Col", "Concept", "Domain", "KeptText", "Knowledge", "KnowledgeError", "check",
           "column_words", "context_in", "dependent", "derived_concept", "kept", "knowledge", "match_concept", "paths",
           "phrase_words", "reload", "squashed", "version"]

KNOWLEDGE = S.KNOWLEDGE  # each kind may also be a folder of files; a key may be defined once only
_WORD = re.compile(r"[a-z0-9]+")
_REF = re.compile(r"(\w+)=@(\w+)")
# Words a column name carries that do not say what it is ('bill_length_mm', 'price_usd').
UNIT_WORDS = frozenset({"mm", "cm", "m", "km", "kg", "g", "mg", "lb", "lbs", "ms", "sec", "usd", "eur", "gbp", "pct",
                        "in", "of", "the", "a", "per"})
# Parameters that name other columns of the same table: they do not carry over to another table.
_REF_PARAMS = frozenset({"after", "derive_from", "gender_from", "by", "expr", "of", "parent", "from"})


_CACHES: list[Any] = []  # caches built from the knowledge (indexes, matches): cleared by reload()
_F = TypeVar("_F")


def dependent(cache: _F) -> _F:
    """Register an ``lru_cache``d function whose results come from the knowledge."""
    _CACHES.append(cache)
    return cache


def reload() -> None:
    """Forget the knowledge read so far (the files, their hash, every cache built from them):
    the next plan reads ``KNOWLEDGE`` again. For tests and tools that point it elsewhere."""
    knowledge.cache_clear()
    version.cache_clear()
    S.version.cache_clear()
    for cache in _CACHES:
        cache.cache_clear()  # type: ignore[attr-defined]


class KnowledgeError(ValueError):
    """A knowledge file entry that does not fit the catalogue or the format (a bug in the data)."""


@dataclass(frozen=True)
class Col:
    """One column of a domain template or a named table."""

    name: str
    type: str
    params: dict[str, Any] = field(default_factory=dict)
    core: bool = False
    unique: bool = False
    null_rate: float = 0.0


@dataclass(frozen=True, eq=False)
class Domain:
    """A domain template (``kind`` 'domain') or a named table (``kind`` 'table').

    ``lines`` are its columns in the schema text form; ``columns`` parses and validates
    them the first time they are needed (one table per plan, not thousands per process).
    """

    key: str
    title: str
    keywords: tuple[str, ...]
    example: str
    lines: tuple[str, ...]
    core_names: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    kind: str = "domain"
    source: str = ""
    locale: str = ""
    labels: dict[str, tuple[str, ...]] = field(default_factory=dict)  # column → what people call it
    vocab: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)

    @cached_property
    def names(self) -> tuple[str, ...]:
        """The column names, read without parsing the columns."""
        return tuple(line.partition(":")[0].strip() for line in self.lines)

    @cached_property
    def columns(self) -> tuple[Col, ...]:
        return _columns(self.lines, self.core_names, self.vocab, f"{self.kind} '{self.key}'")


# What the kept file holds of a named table beside its entry's text: what code that looks at
# every table reads (a typo vocabulary, the plural column names), so that it reads no entry.
_KEPT_FIELDS = ("names", "keywords", "aliases")


class _KeptTable(Domain):
    """A named table from the kept file: its entry (JSON text in the file's blob) is read and
    checked, like the files' entries are, when a plan first looks at more than its key, kind,
    column names, keywords or aliases."""

    def __init__(self, key: str, kept: list[Any], blob: bytes, vocab: dict[str, dict[str, Any]]) -> None:
        d = self.__dict__
        d["key"], d["kind"], d["_kept"], d["_blob"], d["_vocab"] = key, "table", kept, blob, vocab

    @cached_property
    def names(self) -> tuple[str, ...]:
        return tuple(self._kept[2])  # type: ignore[attr-defined]

    @cached_property
    def keywords(self) -> tuple[str, ...]:  # type: ignore[override]
        return tuple(self._kept[3])  # type: ignore[attr-defined]

    @cached_property
    def aliases(self) -> tuple[str, ...]:  # type: ignore[override]
        return tuple(self._kept[4])  # type: ignore[attr-defined]

    def _read(self) -> Domain:
        found = self.__dict__.get("_domain")
        if found is None:
            at, size = self._kept[0], self._kept[1]  # type: ignore[attr-defined]
            try:
                entry = json.loads(self._blob[at:at + size])  # type: ignore[attr-defined]
            except (ValueError, RecursionError):
                raise KnowledgeError(f"table '{self.key}': its kept copy is not JSON; delete the folder "
                                     "<cache>-knowledge beside the schema cache") from None
            found = _domain(self.key, entry, "table", self._vocab)
            self.__dict__["_domain"] = found
        return found


for _field in fields(Domain):
    if _field.name not in ("key", "kind", *_KEPT_FIELDS):
        setattr(_KeptTable, _field.name, property(lambda self, name=_field.name: getattr(self._read(), name)))


@dataclass(frozen=True)
class Concept:
    """What a column name means: a catalogue type and its parameters."""

    key: str
    type: str
    params: tuple[tuple[str, Any], ...]
    names: tuple[tuple[str, ...], ...] = ()
    patterns: tuple[re.Pattern[str], ...] = ()
    priority: int = 0
    specificity: int = 0  # 0: the number of words matched
    unit: str = ""
    source: str = ""
    context: tuple[tuple[str, ...], ...] = ()  # applies only when the description says one of these
    derived: bool = False  # read from the named tables' columns of that name


@dataclass(frozen=True)
class Knowledge:
    vocab: dict[str, dict[str, Any]]
    concepts: tuple[Concept, ...]
    domains: tuple[Domain, ...]
    tables: tuple[Domain, ...]
    rules: dict[str, Any]
    by_words: dict[tuple[str, ...], tuple[Concept, ...]]
    longest: int
    patterned: tuple[Concept, ...]  # the concepts with patterns (few): tried on every name
    table_columns: Mapping[tuple[str, ...], tuple[tuple[Domain, str], ...]]  # column words → (table, column)
    context_phrases: frozenset[tuple[str, ...]]  # every concept's context phrase
    context_longest: int = 1


def paths() -> list[Path]:
    """Every knowledge file: ``<kind>.toml`` and ``<kind>/*.toml``, ``*.json`` for each kind, in order."""
    return S.paths(KNOWLEDGE)


def _read(name: str) -> dict[str, Any]:
    """The entries of one kind, from its file and its folder (``[[concept]]`` lists concatenate)."""
    merged: dict[str, Any] = {}
    for path in S.kind_paths(KNOWLEDGE, name):
        try:
            data = json.loads(path.read_text(encoding="utf-8")) if path.suffix == ".json" \
                else tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, ValueError) as exc:
            raise KnowledgeError(f"{path.relative_to(KNOWLEDGE)}: {exc}") from None
        if not isinstance(data, dict):
            raise KnowledgeError(f"{path.relative_to(KNOWLEDGE)}: the file must hold a table of entries")
        for key, value in data.items():
            if key.startswith("_"):
                continue  # a comment ("_about": "generated by ...")
            if isinstance(value, list) and isinstance(merged.get(key, []), list):
                merged.setdefault(key, []).extend(value)
            elif key in merged:
                raise KnowledgeError(f"{path.relative_to(KNOWLEDGE)}: '{key}' is defined twice")
            else:
                merged[key] = value
    return merged


@lru_cache(maxsize=1)
def version() -> str:
    """A hash of the knowledge files: a change to any of them plans afresh (:func:`._stamp.files_hash`)."""
    return S.files_hash(KNOWLEDGE)


@lru_cache(maxsize=1 << 16)
def phrase_words(text: str) -> tuple[str, ...]:
    return tuple(_singular(w) for w in _WORD.findall(text.lower()))


@lru_cache(maxsize=1 << 16)
def column_words(name: str) -> tuple[str, ...]:
    """A column name's meaning words: 'bill_length_mm' and 'bill length in mm' → ('bill', 'length')."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name)
    ws = tuple(w for w in phrase_words(spaced) if w not in UNIT_WORDS)
    return ws or phrase_words(spaced)


def squashed(words: tuple[str, ...]) -> tuple[str, ...]:
    """A column's words as one, without a table prefix of one or two letters: TPC-H's
    'l_orderkey' and 'orderkey' → ('orderkey',), which is how 'order key' is written run together."""
    if len(words) > 1 and len(words[0]) <= 2:
        words = words[1:]
    return ("".join(words),)


def _resolve(value: Any, vocab: dict[str, dict[str, Any]], where: str, part: str = "values") -> Any:
    if isinstance(value, str) and value.startswith("@"):
        entry = vocab.get(value[1:])
        if entry is None:
            raise KnowledgeError(f"{where}: unknown vocabulary {value!r}")
        if part == "weights":
            if "weights" not in entry:
                raise KnowledgeError(f"{where}: vocabulary {value!r} has no weights")
            return list(entry["weights"])
        return list(entry["values"])
    return value


def _columns(lines: tuple[str, ...], core: tuple[str, ...], vocab: dict[str, dict[str, Any]],
             where: str) -> tuple[Col, ...]:
    """Columns written in the schema text form, validated against the catalogue."""
    from ..errors import SchemaError
    from ..schema import Schema

    def expand(m: re.Match[str]) -> str:
        key, name = m.group(1), m.group(2)
        entry = vocab.get(name)
        if entry is None:
            raise KnowledgeError(f"{where}: unknown vocabulary '@{name}'")
        items = entry["weights"] if key == "weights" else entry["values"]
        return f"{key}=[" + ", ".join(json.dumps(x) if isinstance(x, str) else repr(x) for x in items) + "]"

    body = ["  " + _REF.sub(expand, line) for line in lines]
    try:
        schema = Schema.from_text("columns:\n" + "\n".join(body))
    except SchemaError as exc:
        raise KnowledgeError(f"{where}: {exc}") from None
    names = {c.name for c in schema.columns}
    missing = [c for c in core if c not in names]
    if missing:
        raise KnowledgeError(f"{where}: core column {missing[0]!r} is not one of its columns")
    return tuple(Col(c.name, c.type, dict(c.params), c.name in core, c.unique, c.null_rate) for c in schema.columns)


_DOMAIN_KEYS = {"title", "example", "keywords", "aliases", "context", "columns", "core", "source", "locale", "by",
                "figures", "labels"}
_UNREAD = ("figures", "by")  # what a plan never reads: not kept


def _strings(entry: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = entry.get(key, ())
    if isinstance(value, str) or not all(isinstance(v, str) for v in value):
        raise KnowledgeError(f"{where}: '{key}' must be a list of strings")
    return tuple(value)


def _domain(key: str, entry: Any, kind: str, vocab: dict[str, dict[str, Any]]) -> Domain:
    where = f"{kind} '{key}'"
    if not isinstance(entry, dict):
        raise KnowledgeError(f"{where}: must be a table of keys (title, columns...)")
    extra = set(entry) - _DOMAIN_KEYS
    if extra:
        raise KnowledgeError(f"{where}: unknown key {sorted(extra)[0]!r}")
    for need in ("title", "columns"):
        if need not in entry:
            raise KnowledgeError(f"{where}: needs '{need}'")
    lines = _strings(entry, "columns", where)
    if not lines:
        raise KnowledgeError(f"{where}: needs at least one column")
    labels: dict[str, tuple[str, ...]] = {}
    if not isinstance(entry.get("labels", {}), dict):
        raise KnowledgeError(f"{where}: 'labels' must map column names to what people call them")
    for col, said in (entry.get("labels") or {}).items():
        labels[str(col)] = (said,) if isinstance(said, str) else tuple(str(s) for s in said)
    dom = Domain(key=key, title=str(entry["title"]), keywords=_strings(entry, "keywords", where),
                 example=str(entry.get("example", entry["title"])), lines=lines,
                 core_names=_strings(entry, "core", where), aliases=_strings(entry, "aliases", where),
                 context=_strings(entry, "context", where), kind=kind, source=str(entry.get("source", "")),
                 locale=str(entry.get("locale", "")), labels=labels, vocab=vocab)
    for what, names in (("core column", dom.core_names), ("labelled column", tuple(labels))):
        unknown = [c for c in names if c not in dom.names]
        if unknown:
            raise KnowledgeError(f"{where}: {what} {unknown[0]!r} is not one of its columns")
    return dom


_CONCEPT_KEYS = {"names", "patterns", "type", "priority", "specificity", "unit", "source", "by", "note", "context"}
_TIME_UNITS = ("seconds", "minutes", "hours", "days")  # a duration's units (the catalogue's 'unit' choices)


def _concept(i: int, entry: dict[str, Any], vocab: dict[str, dict[str, Any]]) -> Concept:
    from ..catalog import TYPES

    names = [str(n) for n in entry.get("names", ())]
    where = f"concept {i + 1} ({(names or entry.get('patterns') or ['?'])[0]!r})"
    type_ = entry.get("type")
    if type_ not in TYPES:
        raise KnowledgeError(f"{where}: unknown type {type_!r}")
    params = {k: _resolve(v, vocab, where, k) for k, v in entry.items() if k not in _CONCEPT_KEYS}
    unknown = [k for k in params if k not in TYPES[type_].param_index]
    if unknown:
        raise KnowledgeError(f"{where}: type '{type_}' has no parameter {unknown[0]!r}")
    if not names and not entry.get("patterns"):
        raise KnowledgeError(f"{where}: needs 'names' or 'patterns'")
    unit = str(entry.get("unit", ""))
    if type_ == "duration" and params and "unit" not in params and unit in _TIME_UNITS:
        params["unit"] = unit  # the figures' unit, so that a unit said converts them
    try:
        patterns = tuple(re.compile(p) for p in entry.get("patterns", ()))
    except re.error as exc:
        raise KnowledgeError(f"{where}: bad pattern ({exc})") from None
    return Concept(key=(names or [entry["patterns"][0]])[0], type=type_, params=tuple(params.items()),
                   names=tuple(phrase_words(n) for n in names), patterns=patterns,
                   priority=int(entry.get("priority", 0)), specificity=int(entry.get("specificity", 0)),
                   unit=unit, source=str(entry.get("source", "")),
                   context=tuple(phrase_words(c) for c in entry.get("context", ())))


def _probe(concept: Concept, where: str) -> None:
    """A one-column schema of the concept's type and parameters: the catalogue accepts it."""
    probe = dict(concept.params)
    if concept.type == "code" and "pattern" not in probe:
        probe["pattern"] = "ID-####"  # a pattern made from the name ('order id' → ORD-######)
    _schema_probe(concept.type, probe, where)


def _schema_probe(type_: str, params: dict[str, Any], where: str) -> None:
    from ..errors import SchemaError
    from ..schema import Column, Schema

    try:
        Schema([Column("probe", type_, params)])
    except SchemaError as exc:
        raise KnowledgeError(f"{where}: {exc}") from None


CACHE_FORMAT = "2"  # bump when what the cache file holds changes


def cache_path() -> Path | None:
    """Where the files' parsed entries are kept for the next process: beside the schema cache,
    ``<cache>-knowledge/knowledge-<format>-<hash of the files>.json`` (None: no cache folder)."""
    return S.kept_path(f"knowledge-{CACHE_FORMAT}-{version()}")


def _entries() -> tuple[dict[str, dict[str, Any]], bytes | None, Path | None]:
    """Every kind's entries; the kept file's blob when they come from it (None: from the
    files); where to keep them once they have passed the checks (None: no cache folder, or
    already kept). The kept file is read when it is sound (its header names this format, the
    files' hash and the SHA-256 of the rest; a named table's entry is JSON text in the blob,
    read when a plan first looks at it), else the files are read."""
    path = cache_path()
    found = _cached(path) if path is not None else None
    if found is not None:
        return found[0], found[1], None
    return {name: _read(name) for name in FILES}, None, path


def _cached(path: Path) -> tuple[dict[str, dict[str, Any]], bytes] | None:
    found = S.read_kept(path, {"format": CACHE_FORMAT, "version": version()}, blob=True)
    if found is None:
        return None
    entries, blob = found
    if not isinstance(entries, dict) or set(entries) != set(FILES) or \
            not all(isinstance(v, dict) for v in entries.values()):
        return None
    kept = list(entries["tables.toml"].values())
    n = 2 + len(_KEPT_FIELDS)
    if not all(type(v) is list and len(v) == n and type(v[0]) is int and type(v[1]) is int for v in kept) or \
            not all(type(f) is list for v in kept for f in v[2:]) or \
            not all(type(x) is str for v in kept for f in v[2:] for x in f):
        return None
    return entries, blob


def _keep(path: Path, entries: dict[str, dict[str, Any]], tables: tuple[Domain, ...]) -> None:
    """Keep the files' entries (checked) for the next process: a named table as the place of
    its entry's JSON text in the file's blob (without what no plan reads) and the fields that
    code looking at every table reads (:data:`_KEPT_FIELDS`)."""
    try:
        texts = [json.dumps({k: v for k, v in entries["tables.toml"][t.key].items() if k not in _UNREAD},
                            ensure_ascii=False, separators=(",", ":")).encode() for t in tables]
    except (TypeError, ValueError):  # a value JSON cannot hold (a TOML date): read the files each time
        return
    kept, at = {}, 0
    for t, text in zip(tables, texts, strict=True):
        kept[t.key] = [at, len(text), *(list(getattr(t, name)) for name in _KEPT_FIELDS)]
        at += len(text)
    S.write_kept(path, {"format": CACHE_FORMAT, "version": version()}, {**entries, "tables.toml": kept},
                 b"".join(texts), replaces="knowledge-")


def kept(name: str, build: Callable[[], Any], sound: Callable[[Any], bool]) -> Any:
    """Data derived from the knowledge (an index, a table of look-ups: JSON values only), kept
    beside the schema cache for the next process: ``<cache>-knowledge/<name>-<hash>.json``,
    the hash of the knowledge files and of the planner's code. The kept data is used when its
    header names that hash, the SHA-256 of its body matches and ``sound`` accepts its
    structure; else ``build()`` makes it and the file is written again. Data only: never
    executed, never unpickled. The caller turns it into its objects the same way either way,
    so kept and built data plan alike."""
    stem = f"{name}-{version()}-{S.code_hash()}"
    path = S.kept_path(stem)
    if path is not None:
        found = S.read_kept(path, {"format": name, "version": stem})
        if found is not None and _sound(sound, found):
            return found
    data = build()
    if path is not None:
        S.write_kept(path, {"format": name, "version": stem}, data, replaces=f"{name}-")
    return data


def _sound(sound: Callable[[Any], bool], data: Any) -> bool:
    try:
        return bool(sound(data))
    except (TypeError, ValueError, KeyError, IndexError, AttributeError):  # a shape the check did not expect
        return False


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    """Every knowledge file, read once per process (structure checked; see :func:`check`)."""
    raw, blob, keep = _entries()
    vocab = raw["vocab.toml"]
    for name, entry in vocab.items():
        values, weights = entry.get("values"), entry.get("weights")
        if not isinstance(values, list) or not values:
            raise KnowledgeError(f"vocabulary '{name}': needs a non-empty 'values' list")
        if weights is not None and len(weights) != len(values):
            raise KnowledgeError(f"vocabulary '{name}': one weight per value")
    concepts = tuple(_concept(i, e, vocab) for i, e in enumerate(raw["concepts.toml"].get("concept", [])))
    domains = tuple(_domain(k, e, "domain", vocab) for k, e in raw["domains.toml"].items())
    tables = tuple(_domain(k, e, "table", vocab) if blob is None else _KeptTable(k, e, blob, vocab)
                   for k, e in raw["tables.toml"].items())
    if keep is not None:
        _keep(keep, raw, tables)
    index: dict[tuple[str, ...], list[Concept]] = {}
    for c in concepts:
        for words in c.names:
            index.setdefault(words, []).append(c)
    longest = max((len(w) for w in index), default=1)
    columns = kept("columns", lambda: _table_columns(tables), _columns_sound)
    return Knowledge(vocab=vocab, concepts=concepts, domains=domains, tables=tables, rules=raw["rules.toml"],
                     by_words={k: tuple(v) for k, v in index.items()}, longest=longest,
                     patterned=tuple(c for c in concepts if c.patterns),
                     table_columns=KeptText(columns, _table_pairs(tables), joined=True),
                     context_phrases=frozenset(p for c in concepts for p in c.context),
                     context_longest=max((len(p) for c in concepts for p in c.context), default=1))


def _table_columns(tables: tuple[Domain, ...]) -> dict[str, str]:
    """The named tables' columns by their words (a column's name or label), kept as text:
    ``"bill length"`` → ``"40.2 612.2"``, each table by its place and the column by its place
    among the table's columns (tables in key order, one column each)."""
    columns: dict[tuple[str, ...], dict[str, str]] = {}
    for i, t in enumerate(tables):
        for j, name in enumerate(t.names):
            for said in (name, *t.labels.get(name, ())):
                columns.setdefault(column_words(said), {}).setdefault(t.key, f"{i}.{j}")
    return {" ".join(k): " ".join(v[t] for t in sorted(v)) for k, v in columns.items()}


_PAIRS_TEXT = re.compile(r"[0-9. ]*")


def _columns_sound(data: Any) -> bool:
    return type(data) is dict and all(type(v) is str for v in data.values()) \
        and bool(_PAIRS_TEXT.fullmatch("".join(data.values())))


_V = TypeVar("_V")


class KeptText(Mapping[Any, _V]):
    """Kept text values (an index's postings, a look-up's places), each read by ``read`` on
    first look-up; keys are words, or word tuples kept joined by spaces when ``joined``."""

    def __init__(self, raw: dict[str, str], read: Callable[[str], _V], joined: bool = False) -> None:
        self._raw, self._read, self._joined = raw, read, joined
        self._done: dict[Any, _V] = {}

    def __getitem__(self, key: Any) -> _V:
        try:
            return self._done[key]
        except KeyError:
            pass
        found = self._read(self._raw[" ".join(key) if self._joined else key])  # KeyError: not there
        self._done[key] = found
        return found

    def __contains__(self, key: object) -> bool:
        return (" ".join(key) if self._joined else key) in self._raw  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[Any]:
        return (tuple(k.split()) for k in self._raw) if self._joined else iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


def _table_pairs(tables: tuple[Domain, ...]) -> Callable[[str], tuple[tuple[Domain, str], ...]]:
    """Kept places ``"40.2 612.2"`` → (named table, its column); a place that is not a table's
    or a column's is left out."""
    def read(text: str) -> tuple[tuple[Domain, str], ...]:
        pairs = []
        for pair in text.split():
            i, _, j = pair.partition(".")
            if i.isdigit() and j.isdigit() and int(i) < len(tables) and int(j) < len(names := tables[int(i)].names):
                pairs.append((tables[int(i)], names[int(j)]))
        return tuple(pairs)
    return read


# Words of a column name that say a position in an order, not an identifier.
_RANK_WORDS = frozenset({"rank", "ranking", "position", "standing", "placing"})
_YEAR_NAMES = frozenset({"year", "season", "yr", "fiscal_year", "survey_year", "report_year", "data_year"})


def kind_problems(dom: Domain) -> list[str]:
    """A named table's columns that a generic loader typed as another kind of value than the
    table holds, each as one sentence saying how to fix it:

    - a rank typed ``id``: an identifier counts 1..rows, a rank is a position 1..n of the
      table's n (World Happiness 2019: 1-156), repeated across groups;
    - a year without the table's years (no min and max, no values): it would be recent years,
      not the dataset's.
    """
    out = []
    for c in dom.columns:
        words = column_words(c.name)
        if c.type == "id" and set(words) & _RANK_WORDS and words[-1] != "id":
            out.append(f"column '{c.name}' is a rank typed as an id (1..rows); type it "
                       f"'integer min=1 max=<the table's count>' (unique when each rank occurs once)")
        if (c.type == "year" or (c.type == "integer" and c.name.lower() in _YEAR_NAMES)) \
                and not c.params.get("values") and (c.params.get("min") is None or c.params.get("max") is None):
            out.append(f"column '{c.name}' is a year without the table's years; give it min= and max= "
                       f"(or values=) from the data")
    return out


def check() -> Knowledge:
    """Validate every entry against the catalogue (the tests call this; plans do not).

    Raises :class:`KnowledgeError` naming the first entry that the catalogue refuses: a
    column of a domain or named table (every table's whole schema is built), a concept's
    parameters, a core or labelled column that is not one of the table's columns.
    """
    kb = knowledge()
    for dom in kb.domains + kb.tables:
        dom.columns  # noqa: B018 - parsing validates
    for dom in kb.tables:
        problems = kind_problems(dom)
        if problems:
            raise KnowledgeError(f"table '{dom.key}': {problems[0]}")
    for i, c in enumerate(kb.concepts):
        _probe(c, f"concept {i + 1} ({c.key!r})")
    for unit, entry in kb.rules.get("units", {}).items():  # a unit's figures: a float column's parameters
        if not isinstance(entry, dict) or not entry.get("source"):
            raise KnowledgeError(f"rules.toml units.{unit}: needs its figures and a 'source'")
        if not entry.get("minor"):
            _schema_probe("float", {k: v for k, v in entry.items() if k not in ("source", "kinds")},
                          f"rules.toml units.{unit}")
        for i, kind in enumerate(entry.get("kinds", ())):  # figures by the column name's words
            where = f"rules.toml units.{unit} kinds {i + 1}"
            if not isinstance(kind, dict) or not kind.get("source") or not kind.get("words"):
                raise KnowledgeError(f"{where}: needs its 'words', figures and a 'source'")
            _schema_probe("float", {k: v for k, v in kind.items() if k not in ("source", "words")}, where)
    keys = [d.key for d in kb.domains + kb.tables]
    if len(set(keys)) != len(keys):
        twice = sorted(k for k in set(keys) if keys.count(k) > 1)[0]
        raise KnowledgeError(f"'{twice}' is both a domain and a named table; give one another key")
    return kb


def context_in(words: tuple[str, ...]) -> frozenset[tuple[str, ...]]:
    """The concepts' context phrases that ``words`` (a description's singular words) contain."""
    kb = knowledge()
    if not kb.context_phrases:
        return frozenset()
    found = set()
    n = len(words)
    longest = kb.context_longest
    for i in range(n):
        for j in range(i + 1, min(n, i + longest) + 1):
            if words[i:j] in kb.context_phrases:
                found.add(words[i:j])
    return frozenset(found)


_Rank = tuple[int, int, int, int, int, str]


def match_concept(key: str, context: frozenset[tuple[str, ...]] = frozenset()
                  ) -> tuple[Concept, re.Match[str] | None] | None:
    """The concept a column's words (``key``, lower case, space-separated) mean, or None.

    Precedence: most words matched (a concept's ``specificity`` overrides that for a
    pattern), then a concept whose ``context`` the description holds (``context``: the
    phrases :func:`context_in` found), then a match holding the name's last word (its head:
    'ship instructions' is text, 'return reason' not a return), then ``priority``, then the
    match ending nearest the end of the name. A concept derived from the named tables' columns of the same name
    counts its words like any other and yields to a written concept of the same count.
    """
    kb = knowledge()
    words = key.split()
    sing = [_singular(w) for w in words]
    best: tuple[_Rank, Concept, re.Match[str] | None] | None = None

    def offer(rank: _Rank, concept: Concept, m: re.Match[str] | None) -> None:
        nonlocal best
        if concept.context and not (set(concept.context) & context):
            return
        if best is None or rank > best[0]:
            best = (rank, concept, m)

    n = len(words)
    for i in range(n):
        for j in range(i + 1, min(n, i + kb.longest) + 1):
            for form in {tuple(words[i:j]), tuple(sing[i:j])}:
                for c in kb.by_words.get(form, ()):
                    offer((c.specificity or j - i, bool(c.context), j == n, c.priority, j, c.key), c, None)
    for c in kb.patterned:
        for p in c.patterns:
            m = p.search(key)
            if m:
                span = len(key[:m.end()].split()) if m.end() else 0
                count = len(_WORD.findall(m.group(0))) or 1
                offer((c.specificity or count, bool(c.context), span == n, c.priority, span, c.key), c, m)
    whole = column_words(key)
    # A single word that a written concept knows stays that concept; a longer name may be
    # a column of named tables that says more than the words a written concept matched.
    if best is None or (len(whole) > 1 and best[0][0] < len(whole)):
        found = derived_concept(whole)
        if found is not None:
            offer((len(whole), False, True, -1, n, found.key), found, None)
    return None if best is None else (best[1], best[2])


# How many named tables a derived concept reads (the first by key): enough to see agreement.
_DERIVE_FROM = 7
_NUMERIC_RANGE = ("min", "max")


def _middle(xs: list[Any]) -> Any:
    """The median of a few numbers (the lower middle one of an even count: a value one table has)."""
    return sorted(xs)[(len(xs) - 1) // 2]


@dependent
@lru_cache(maxsize=4096)
def derived_concept(words: tuple[str, ...]) -> Concept | None:
    """A concept read from the named tables' columns called ``words`` ('bill length' from
    palmer penguins' bill_length_mm), when those tables agree on the type.

    The majority type wins when it holds at least two thirds of the tables; a numeric range,
    mean and spread are the middle table's (the median of each); a category keeps the values of the tables that agree with
    the first; parameters naming other columns are dropped. None when nothing agrees.
    """
    hits = knowledge().table_columns.get(words, ())[:_DERIVE_FROM]
    cols = []
    for dom, name in hits:
        col = next(c for c in dom.columns if c.name == name)
        if col.type == "formula" or col.type in ("id", "uuid"):
            continue
        cols.append((dom, col))
    if not cols:
        return None
    types = sorted({c.type for _, c in cols}, key=lambda t: (-sum(c.type == t for _, c in cols), t))
    agree = [(d, c) for d, c in cols if c.type == types[0]]
    if len(agree) * 3 < len(cols) * 2:
        return None
    first = agree[0][1]
    params = {k: v for k, v in first.params.items() if k not in _REF_PARAMS}
    if "after" in first.params:  # the gap after a column of its own table means nothing elsewhere
        params = {k: v for k, v in params.items() if k not in ("min_gap", "max_gap")}
    if "values" in params:
        same = [c for _, c in agree if set(map(str, c.params.get("values") or ())) == set(map(str, params["values"]))]
        if len(same) * 3 < len(agree) * 2:
            return None
    elif all(k in params for k in _NUMERIC_RANGE):
        los = [c.params["min"] for _, c in agree if isinstance(c.params.get("min"), int | float)]
        his = [c.params["max"] for _, c in agree if isinstance(c.params.get("max"), int | float)]
        if los and his and isinstance(params["min"], int | float):
            # the typical table's range, not their union: one table in °F and one in °C, or one
            # outlier, would make a range no real column spans ('min temperature' -70 to 100)
            params["min"], params["max"] = _middle(los), _middle(his)
            for key in ("mean", "std"):
                got = [c.params[key] for _, c in agree if isinstance(c.params.get(key), int | float)]
                if key in params and len(got) == len(agree):
                    params[key] = _middle(got)
            if params["min"] >= params["max"]:
                params["min"], params["max"] = min(los), max(his)
            if "mean" in params and not params["min"] < params["mean"] < params["max"]:
                params.pop("mean")
    tables = ", ".join(d.key for d, _ in agree)
    return Concept(key=" ".join(words), type=first.type, params=tuple(params.items()), names=(words,),
                   source=f"named tables: {tables}", derived=True)
