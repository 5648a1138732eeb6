"""Choosing the domain template or named table a description means, by retrieval.

Every entry's phrases (its aliases and title, keywords, context words) and its column
names go into an inverted index, built once per process: a plan looks up only the
description's own words and named fields, so its cost does not grow with the number of
entries. Each matched word is weighted by its rarity across entries (BM25's idf, scaled to
1 for a word only one entry has), and by how the entry lists it:

- a whole alias or title (3 a word; 0.8 of that when its words are there out of order),
  a keyword (1), a context word (0.5, and only beside another match), a word of a
  longer alias or title that is only partly there (0.8);
- the description's subject counts fully (a word more than one before its head noun 0.1
  less a step, 0.6 at least), its field list half; the subject's head noun doubles the phrase
  that holds it; a word corrected from a typo counts 0.8;
- named fields that are the entry's columns add their rarity, times the share of the
  named fields they cover (three at least, and half of them when no word matched).

A named table must be named: a whole alias of several words, a context word, or a rare word
that is a whole phrase of it (at most three entries' phrases and columns use it, and no column
concept: 'penguins', not 'cities'; 'planets' does not name 'HSAUR planets'); or every word of a
subject of three or more, its head noun and one more whole ('minneapolis police stops'); or
have three of the named fields as columns.

Precedence is by specificity: an entry that the description's words name comes before one
that only has the named fields as columns, unless those are rare columns (name, email and
phone say little; city mpg, highway mpg and engine displacement say which table it is); a named table wins over the best domain template when
it matches everything the template matched and more (its name, its context, more of the
named fields); otherwise the higher score wins, a domain on a tie. Nothing scoring
:data:`MIN_SCORE` or more: no entry (the planner composes the table from the nouns).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, overload

from . import _knowledge as K
from ._words import Fuzzy, singular_text

__all__ = ["GENERIC_ROWS", "KIND_WEIGHTS", "MIN_SCORE", "STOP", "Entry", "Index", "Match", "Phrase", "choose", "index", "rank", "retrieve"]

KIND_WEIGHTS = {"alias": 3.0, "keyword": 1.0, "context": 0.5}
PARTIAL = 0.8  # a word of a longer alias that is there without the rest of it
UNORDERED = 0.8  # a whole alias whose words are there in another order
TYPO = 0.8
FIELD_LIST = 0.5  # a word of the field list, not of the subject
MIN_SCORE = 0.3
_RARE = 3  # a word in at most this many entries names the one it retrieves ('penguins', 'gapminder')
_DISTINCT = 2.5  # the rarity a named table's columns need to count like a word that names it
_OVERLAP = 3  # named fields that must be an entry's columns before they count for it
# A column name in more entries than this does not propose entries (it still counts for them).
_COMMON_COLUMN = 400
# Words that never retrieve: what people say around the table's name.
STOP = frozenset({
    "a", "an", "the", "of", "and", "or", "with", "for", "in", "on", "at", "by", "to", "from", "per", "each", "every",
    "data", "dataset", "database", "db", "table", "tables", "list", "row", "record", "entry", "information", "info",
    "detail", "sample", "example", "set", "file", "csv", "realistic", "synthetic", "fake", "random", "dummy", "test",
    "mock", "some", "generate", "create", "make", "build", "give", "me", "i", "need", "want", "please", "show",
    "about", "like", "their", "its", "is", "are", "has", "have", "that", "which", "who", "where", "as", "into",
    "it", "them", "this", "these", "those", "all", "any", "my", "our", "your", "new", "one", "two", "three", "be",
    # containers: what holds the rows, not what they are ('USGS earthquake catalog')
    "catalog", "catalogue", "registry", "archive", "feed", "series", "collection", "statistic", "stats",
})


# Nouns that say what a row is in any field ('measurements', 'events'): rare in the entries'
# names or not, alone they never name a table.
GENERIC_ROWS = frozenset({
    "measurement", "observation", "reading", "event", "record", "result", "report", "log", "entry", "item",
    "transaction", "request", "message", "activity", "action", "change", "update", "value", "metric", "sample",
    "case", "visit", "session", "resource", "object", "document", "detail", "statistic", "figure", "indicator",
    "response", "submission", "entity", "element", "unit", "asset", "profile", "summary", "history", "snapshot",
})


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]
    kind: str  # alias, keyword or context


@dataclass
class Entry:
    dom: K.Domain
    phrases: tuple[Phrase, ...]
    columns: frozenset[tuple[str, ...]]
    by_word: dict[str, tuple[int, ...]] = field(default_factory=dict)  # word → its phrases

    def __post_init__(self) -> None:
        found: dict[str, list[int]] = {}
        for i, ph in enumerate(self.phrases):
            for w in set(ph.words):
                found.setdefault(w, []).append(i)
        self.by_word = {w: tuple(v) for w, v in found.items()}


@dataclass
class Match:
    """One entry's score for a description, and what it matched."""

    entry: Entry
    score: float = 0.0
    words: set[str] = field(default_factory=set)  # words of its phrases matched whole (context words too)
    columns: set[tuple[str, ...]] = field(default_factory=set)  # named fields that are its columns
    distinct: float = 0.0  # the rarity of the named fields that are its columns
    named: bool = False  # the description names it: a whole alias of several words, a context word, a rare word
    subject: bool = False  # a phrase matched whole holds a word of the subject (not only of the field list)
    alias: bool = False  # the subject says whole an alias of it that holds its own name ('twitter tweets')
    vendor: bool = False  # only its context words matched ('github' alone: any GitHub object)

    @property
    def said(self) -> bool:
        """The subject's words name it, or the named fields are columns few other entries have
        ('latitude, longitude' in a field list say little about which table it is)."""
        return self.subject or self.distinct >= _DISTINCT

    @property
    def matched(self) -> frozenset[object]:
        return frozenset(self.words) | frozenset(self.columns)


@dataclass
class Index:
    entries: Sequence[Entry]
    postings: Mapping[str, list[int]]  # phrase word → entries
    column_postings: Mapping[tuple[str, ...], list[int]]  # column words → entries
    idf: dict[str, float]
    column_idf: Mapping[tuple[str, ...], float]
    words: dict[str, int]  # every phrase word and how many entries use it
    known: frozenset[str]  # those and every column word: never corrected as a typo
    column_words: dict[str, int]  # every column word and how many entries have it

    @property
    def fuzzy(self) -> Fuzzy:
        return _fuzzy()


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(singular_text(text).split())


# The index is kept as text, read only where a plan looks: an entry's phrases are
# "a:words|k:words|c:words" (alias, keyword, context), its columns "words|words", a posting
# the entries' places "3 17 240". Words are [a-z0-9]+ (singular_text, column_words), so the
# separators never occur inside them.
_KINDS = {"alias": "a", "keyword": "k", "context": "c"}
_KIND_OF = {v: k for k, v in _KINDS.items()}


@K.dependent
@lru_cache(maxsize=1)
def index() -> Index:
    """The inverted index over every domain template and named table: built once and kept
    beside the schema cache for the next process (:func:`._knowledge.kept`), whose plans
    read only the postings and entries their words reach."""
    kb = K.knowledge()
    doms = kb.domains + kb.tables
    data = K.kept("index", lambda: _index_data(doms), lambda found: _index_sound(found, len(doms)))
    n = len(doms)
    counts = {w: v.count(" ") + 1 for w, v in data["postings"].items()}
    idf = _idf_of(n)

    def places(text: str) -> list[int]:  # a place past the entries (a foreign file's) is left out
        return [i for i in map(int, text.split()) if i < n]

    return Index(_Entries(doms, data["phrases"], data["columns"]), K.KeptText(data["postings"], places),
                 K.KeptText(data["column_postings"], places, joined=True), {w: idf(c) for w, c in counts.items()},
                 K.KeptText(data["column_postings"], lambda v: idf(v.count(" ") + 1), joined=True), counts,
                 frozenset(data["column_words"]) | frozenset(counts), data["column_words"])


def _index_data(doms: tuple[K.Domain, ...]) -> dict[str, Any]:
    """The index in its kept form (see above): every entry's phrases and column words, the
    postings of phrase words and of column words, and how many entries have each column word."""
    phrases_of: list[str] = []
    columns_of: list[str] = []
    postings: dict[str, list[int]] = {}
    cols: dict[str, list[int]] = {}
    column_words: dict[str, int] = {}
    for i, dom in enumerate(doms):
        phrases: dict[tuple[str, ...], str] = {}
        # A named table's title is one of its names; a template's title only describes it.
        named = (*dom.aliases, dom.title) if dom.kind == "table" else dom.aliases
        keywords = dom.keywords if dom.kind == "table" else (*dom.keywords, dom.title)
        for kind, items in (("alias", named), ("keyword", keywords), ("context", dom.context)):
            for text in items:
                ws = _phrase(text)
                if ws and ws not in phrases:
                    phrases[ws] = kind
        columns = {K.column_words(said) for name in dom.names for said in (name, *dom.labels.get(name, ()))}
        columns |= {K.squashed(ws) for ws in columns}  # 'order key' is TPC-H's l_orderkey
        names = sorted(" ".join(ws) for ws in columns)
        phrases_of.append("|".join(f"{_KINDS[kind]}:{' '.join(ws)}" for ws, kind in phrases.items()))
        columns_of.append("|".join(names))
        for w in sorted({w for ws in phrases for w in ws}):
            postings.setdefault(w, []).append(i)
        for c in names:
            cols.setdefault(c, []).append(i)
        for w in sorted({w for c in columns for w in c}):
            column_words[w] = column_words.get(w, 0) + 1
    return {"phrases": phrases_of, "columns": columns_of, "column_words": column_words,
            "postings": {w: " ".join(map(str, v)) for w, v in postings.items()},
            "column_postings": {c: " ".join(map(str, v)) for c, v in cols.items()}}


_ENTRY_TEXT = re.compile(r"[a-z0-9 |:]*")  # an entry's phrases or columns, all entries joined
_PLACES_TEXT = re.compile(r"[0-9 ]*")  # the postings, all joined


def _index_sound(data: Any, n: int) -> bool:
    """Kept index data has the shape :func:`_index_data` writes, for ``n`` entries: every text
    is made of its characters (what is read from them is checked again where it is read: a
    phrase of an unknown kind, a place that is not an entry's are left out)."""
    phrases, columns = data["phrases"], data["columns"]
    if not (type(phrases) is list and type(columns) is list and len(phrases) == n and len(columns) == n):
        return False
    texts = [*phrases, *columns]
    if not all(type(t) is str for t in texts) or not _ENTRY_TEXT.fullmatch("".join(texts)):
        return False
    for name in ("postings", "column_postings"):
        found = data[name]
        if type(found) is not dict or not all(type(v) is str for v in found.values()) or \
                not _PLACES_TEXT.fullmatch("".join(found.values())):
            return False
    counts = data["column_words"]
    return type(counts) is dict and all(type(v) is int for v in counts.values())


class _Entries(Sequence[Entry]):
    """The index's entries, each made from its kept phrases and columns when a plan reaches it."""

    def __init__(self, doms: tuple[K.Domain, ...], phrases: list[str], columns: list[str]) -> None:
        self._doms, self._phrases, self._columns = doms, phrases, columns
        self._made: dict[int, Entry] = {}

    @overload
    def __getitem__(self, i: int) -> Entry: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Entry]: ...
    def __getitem__(self, i: int | slice) -> Entry | Sequence[Entry]:
        if isinstance(i, slice):
            return [self[j] for j in range(len(self))[i]]
        i = range(len(self))[i]  # IndexError out of range; a negative place from the end
        found = self._made.get(i)
        if found is None:
            phrases = tuple(Phrase(tuple(t[2:].split()), _KIND_OF[t[0]]) for t in self._phrases[i].split("|")
                            if t[:1] in _KIND_OF and t[1:2] == ":" and t[2:].strip())
            columns = frozenset(tuple(c.split()) for c in self._columns[i].split("|")) if self._columns[i] else frozenset()
            found = self._made[i] = Entry(self._doms[i], phrases, columns)
        return found

    def __len__(self) -> int:
        return len(self._doms)


@K.dependent
@lru_cache(maxsize=1)
def _concept_words() -> frozenset[str]:
    """The words of the column concepts' names: words of columns, not names of tables."""
    return frozenset(w for c in K.knowledge().concepts for ws in c.names for w in ws)


def _idf_of(n: int) -> Callable[[int], float]:
    """BM25's idf of a key that ``count`` of ``n`` entries have, scaled so a key only one entry has weighs 1."""
    top = math.log(1 + (n - 0.5) / 1.5) or 1.0
    return lambda count: math.log(1 + (n - count + 0.5) / (count + 0.5)) / top


@K.dependent
@lru_cache(maxsize=1)
def _fuzzy() -> Fuzzy:
    return Fuzzy(index().words, min_length=6)


def retrieve(subject: str, rest: str, head: str, fields: tuple[tuple[str, ...], ...] = ()) -> list[Match]:
    """Every entry the description's words or named fields reach, best first (see the module)."""
    idx = index()
    subj = [w for w in singular_text(subject).split()]
    tail = [w for w in singular_text(rest).split()]
    text = subj + tail
    weight: dict[str, float] = {}  # a word's weight where the description says it (0: a stop word)
    typos: set[str] = set()
    at = max((p for p, w in enumerate(subj) if w == head), default=-1)
    for pos, w in enumerate(text):
        here = 1.0 if pos < len(subj) else FIELD_LIST
        if 0 <= pos < at - 1:  # a compound's head and the word before it say most ('vaccine trial subjects')
            here = max(0.6, 1.0 - 0.1 * (at - 1 - pos))
        if w in STOP or (w.isdigit() and len(w) < 2):
            here = 0.0
        elif w not in idx.known and pos < len(subj):  # a typo in the subject ('sakilla rentals')
            fixed = idx.fuzzy.correct(w)
            if fixed is not None:
                text[pos], w, here = fixed, fixed, here * TYPO
                typos.add(w)
        weight[w] = max(weight.get(w, 0.0), here)
    candidates: dict[int, Match] = {}
    # The subject's words propose entries (the field list's only score the ones proposed:
    # 'status' or 'code' in a list of fields would otherwise reach hundreds)
    for w in {w for w in text[:len(subj)] if weight.get(w)}:
        for i in idx.postings.get(w, ()):
            if i not in candidates:
                candidates[i] = Match(idx.entries[i])
    named = [f for f in dict.fromkeys(
        f if f in idx.column_postings or len(f) < 2 or K.squashed(f) not in idx.column_postings else K.squashed(f)
        for f in fields) if f]
    hits: dict[int, int] = {}  # entries by how many of the named fields they have as columns
    for f in named:
        found = idx.column_postings.get(f, ())
        if len(found) <= _COMMON_COLUMN:
            for i in found:
                hits[i] = hits.get(i, 0) + 1
    for i, n in hits.items():
        if n >= _OVERLAP and i not in candidates:
            candidates[i] = Match(idx.entries[i])
    positions = {w: [p for p, x in enumerate(text) if x == w] for w in weight}
    for m in candidates.values():
        _score(m, weight, positions, text, head, idx, typos, set(text[:len(subj)]))
        if named:
            _overlap(m, named, idx)
    found = [m for m in candidates.values() if m.score > 0]
    # What the rows are comes first: an entry the description's words name ('patients' in
    # "patients: name, email, phone") beats one that only has the named fields as columns.
    found.sort(key=rank)
    return found


def rank(m: Match) -> tuple[bool, float, bool, bool, str]:
    """Best first. On a tie, the entry whose own alias was said whole, then one the description
    names, and only then the key (kaggle_titanic and rds_vcdExtra_Titanicp once scored alike)."""
    return not m.said, -round(m.score, 9), not m.alias, not m.named, m.entry.dom.key


def _ordered(ws: tuple[str, ...], text: list[str], positions: dict[str, list[int]]) -> bool:
    return any(tuple(text[p:p + len(ws)]) == ws for p in positions.get(ws[0], ()))


def _score(m: Match, weight: dict[str, float], positions: dict[str, list[int]], text: list[str], head: str,
           idx: Index, typos: set[str], subject: set[str]) -> None:
    concept_words = _concept_words()
    best: dict[str, float] = {}
    context: dict[str, float] = {}
    strong: set[str] = set()  # words of phrases matched whole: what the entry is specific about
    entry = m.entry
    seen = sorted({i for w in weight if weight[w] for i in entry.by_word.get(w, ())})
    for ph in (entry.phrases[i] for i in seen):
        there = [w for w in ph.words if w in weight]
        whole = len(there) == len(ph.words)
        said = [w for w in there if w in subject]
        # A rare word names the entry only as a whole phrase of it ('penguins' is an alias,
        # 'planets' only a word of 'HSAUR planets'); so does a whole alias of several words.
        if whole and (any(len(w) >= 4 and w not in typos and w not in GENERIC_ROWS and idx.words[w] <= _RARE
                          and idx.column_words.get(w, 0) <= _RARE and w not in concept_words for w in said)
                      or (len(said) == len(there) and (ph.kind == "context"
                                                       or (ph.kind == "alias" and len(ph.words) > 1)))):
            m.named = True
        if whole:
            factor = KIND_WEIGHTS[ph.kind] * (1.0 if len(ph.words) == 1 or _ordered(ph.words, text, positions)
                                              else UNORDERED)
            strong.update(w for w in ph.words if weight[w])
            m.subject = m.subject or any(weight[w] for w in said)
            m.alias = m.alias or (ph.kind == "alias" and len(said) == len(there)
                                  and bool(set(ph.words) & _own_names(entry)))
        elif ph.kind == "alias":
            factor = PARTIAL
        else:
            factor = KIND_WEIGHTS[ph.kind] * PARTIAL * 0.5
        if head and head in ph.words and whole:
            factor *= 2
        into = context if ph.kind == "context" else best
        for w in there:
            if not weight[w]:
                continue
            value = factor * idx.idf[w] * weight[w]
            if value > into.get(w, 0.0):
                into[w] = value
    score = sum(best.values())
    m.vendor = bool(strong) and strong <= _own_names(entry, ("context",))
    m.named = m.named or _covers(entry, strong, weight, subject, head)
    if score:
        score += sum(v for w, v in context.items() if w not in best)
        m.words = strong
    m.score = score


def _covers(entry: Entry, strong: set[str], weight: dict[str, float], subject: set[str], head: str) -> bool:
    """A subject of three words or more that the entry's own phrases hold every word of, whole
    its head noun and one more: 'minneapolis police stops' names the Minneapolis Police
    Department's stop data though no one of those words is rare. Two words say too little
    ('nba players', 'customer churn': any of several tables), and a word the entry lacks is
    another table ('nyc road collisions' are not Britain's STATS19 road collisions)."""
    said = {w for w in subject if weight.get(w) and w not in STOP and not w.isdigit()}
    return len(said) >= 3 and head in strong and len(said & strong) >= 2 and all(w in entry.by_word for w in said)


def _overlap(m: Match, named: list[tuple[str, ...]], idx: Index) -> None:
    hit = [f for f in named if f in m.entry.columns]
    if len(hit) < _OVERLAP or (not m.words and 2 * len(hit) < len(named)):
        return
    m.columns = set(hit)
    m.distinct = sum(idx.column_idf[f] for f in hit)
    m.score += 1.5 * m.distinct * len(hit) / len(named)


def choose(matches: list[Match]) -> Match | None:
    """The entry a description means: the best domain, unless a named table is more specific."""
    domain = next((m for m in matches if m.entry.dom.kind == "domain"), None)
    # A named table needs the description to name it, or to list its columns ('cities with
    # population' is not MySQL's world.city, 'penguins' is palmer penguins, 'sakila films' is Sakila's).
    tables = [m for m in matches if m.entry.dom.kind == "table" and (m.named or m.columns)]
    # Of two tables the named fields reach, the one that has them all and more comes first:
    # all seven World Bank indicators listed are WDI's, three of them also gapminder's.
    reached = list(tables)
    tables.sort(key=lambda t: bool(t.columns) and any(o.columns > t.columns for o in reached))
    pick = domain
    for t in tables:
        if _ambiguous(t, tables):  # 'github foo': every GitHub object says 'github' as much
            continue
        if domain is None:
            pick = t
            break
        if t.matched > domain.matched:  # everything the template matched and more: the more specific
            pick = t
            break
        if not (domain.matched >= t.matched) and (t.said, t.score) > (domain.said, domain.score):
            pick = t
            break
        # the same words, but they are the table's own name and only the template's keywords
        if t.matched == domain.matched and t.alias and (not domain.alias or t.score > domain.score):
            pick = t
            break
    if pick is None or pick.score < MIN_SCORE:
        return None
    return pick


def _ambiguous(t: Match, tables: list[Match]) -> bool:
    """Only the vendor's name matched, and another of its tables as well: the description does
    not say which one it means."""
    return t.vendor and any(o is not t and o.matched == t.matched and abs(o.score - t.score) < 1e-9
                            for o in tables)


def _own_names(entry: Entry, kinds: tuple[str, ...] = ("alias", "context")) -> frozenset[str]:
    """The entry's one-word aliases and context words: its own name, its vendor's."""
    return frozenset(ph.words[0] for ph in entry.phrases if len(ph.words) == 1 and ph.kind in kinds)
