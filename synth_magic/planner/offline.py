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
from functools import lru_cache
from typing import Any

from .._messages import number
from ..schema import Column, Schema, short_title
from . import _domains as D
from . import _lexicon as L

__all__ = ["FALLBACK_NOTE", "VERSION", "OfflinePlanner", "head_noun", "pick_domain", "plan"]

VERSION = "2"
MAX_DESCRIPTION = 4000  # characters read; a description is a sentence or a paragraph
MAX_PLANNED = 180  # columns from the list and template; constraints may add a few more (the schema allows 200)

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
    version = VERSION
    model = ""

    def plan(self, description: str) -> Schema:
        return plan(description)


def plan(description: str) -> Schema:
    """A schema for ``description``: deterministic, offline, a few milliseconds."""
    return Schema.from_json(_plan_json(" ".join(str(description).split())[:MAX_DESCRIPTION]))


@lru_cache(maxsize=256)
def _plan_json(text: str) -> str:
    return _plan(text).to_json()


def _plan(text: str) -> Schema:
    lower = text.lower()
    parts = L.split_description(text)
    domain = pick_domain(parts.subject, lower)
    named: list[Draft] = []
    used: set[str] = set()
    for raw in parts.phrases:
        for d in _named_drafts(L.parse_phrase(raw), domain, used):
            if d.origin:
                used.add(d.origin)
            named.append(d)
    if domain is None and not named:
        named = _loose_columns(text)
    if domain is None and named and parts.subject:
        named = _entity_column(parts.subject, named) + named
    notes: list[str] = []
    head = head_noun(parts.subject) if parts.subject else ""
    drafts = _assemble(domain, named, parts.explicit, parts.marker, head) if domain is not None else named
    drafts = drafts[:MAX_PLANNED]
    if not drafts:
        drafts = _fallback()
        notes.append(FALLBACK_NOTE)
    else:
        _apply_global(drafts, lower, parts)
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

@lru_cache(maxsize=1)
def _keyword_patterns() -> list[tuple[D.Domain, list[tuple[re.Pattern[str], str, int]]]]:
    out = []
    for dom in D.DOMAINS:
        pats = []
        for norm in dict.fromkeys(L.singular_text(kw) for kw in dom.keywords):
            pats.append((re.compile(rf"\b{re.escape(norm)}\b"), norm, len(norm.split())))
        out.append((dom, pats))
    return out


_SUBJECT_CUT = re.compile(r"\b(?:in|for|from|during|at|on|where|that|which|who|every|each|per|between|since|over|"
                          r"across|by|within|about|last|past|to|as|like)\b")
_SUBJECT_SKIP = {"data", "dataset", "record", "table", "list", "row", "entry", "information", "info", "detail",
                 "sample", "example", "set", "file", "csv", "realistic", "synthetic", "fake",
                 "random", "dummy", "test", "mock", "some", "generate", "create", "make", "build", "give", "me",
                 "a", "an", "the", "of", "i", "need", "want", "please", "show", "with", "analysis", "item"}


def head_noun(subject: str) -> str:
    """The noun that says what a row is: 'a list of 200 employees' → 'employee'."""
    text = L.singular_text(subject)
    text = re.sub(r"^.*?\b(?:list|table|set|dataset|sample|collection|bunch|number|log)\s+of\s+", "", text)
    text = _SUBJECT_CUT.split(text, maxsplit=1)[0]
    ws = [w for w in text.split() if w not in _SUBJECT_SKIP and not w.isdigit()]
    return ws[-1] if ws else ""


def pick_domain(subject: str, lower: str, typos: bool = True) -> D.Domain | None:
    """The template whose keywords the description uses most, the subject's noun counting double."""
    head = head_noun(subject or lower)
    text = L.singular_text(lower)
    subj = L.singular_text(subject) if subject else text
    best, best_score = None, 0.0
    for dom, pats in _keyword_patterns():
        score = 0.0
        for pattern, norm, n in pats:
            if pattern.search(text):
                weight = float(n)
                if head and head in norm.split():
                    weight *= 2
                if subject and pattern.search(subj):
                    weight += 0.5
                score += weight
        if score > best_score:
            best, best_score = dom, score
    if best is not None or not typos:
        return best
    # Typos: 'custmers', 'employes' (long words only: 'planet' is not a misspelt 'plant').
    fixed = " ".join(L.correct(w) if len(w) >= 6 and len(L.correct(w)) >= 6 else w for w in text.split())
    if fixed != text:
        return pick_domain("", fixed, typos=False)
    return None


# ------------------------------------------------------------ named columns

def _named_drafts(ph: L.Phrase, domain: D.Domain | None, used: set[str]) -> list[Draft]:
    name = L.column_name(ph.head)
    if not name and ph.values:  # "pending, shipped or delivered" alone: the column those values belong to
        name = _column_for_values(ph.values, domain) or "category"
    if ph.share and ph.share[0] == "true":  # "a fraud rate of 2%" is a 2% fraud flag
        name = re.sub(r"_(?:rate|share|ratio|percentage|prevalence)$", "", name)
    if not name:
        return []
    group = _group(name, ph)
    if group:
        return group
    col = _domain_column(name, domain, used)
    if col is not None and (ph.vague or (ph.share and ph.share[0] == "true" and col.type == "boolean")):
        name = col.name  # "billing information", "about 2% fraud" → the template's column
    if col is not None:
        draft = Draft(name, col.type, _copy(col.params), col.null_rate, col.unique, "named",
                      f"named in the description ({_quote(ph.raw)}); typed as the {domain.title} template's "  # type: ignore[union-attr]
                      f"'{col.name}'", origin=col.name, core=col.core)
    else:
        type_, params, how = L.infer(name)
        if type_ == "duration":
            unit = next((u for u in ("seconds", "minutes", "hours", "days") if u in name.lower().split("_")), None)
            if unit:
                params = {**_UNIT_DEFAULTS[unit], "distribution": "lognormal", "unit": unit}
        why = {"rule": "typed by its name", "fuzzy": "typed by its name (spelling forgiven)",
               "guess": "not a name the planner knows; typed by its shape"}[how]
        draft = Draft(name, type_, params, source="named", why=f"named in the description ({_quote(ph.raw)}); {why}",
                      unique=type_ in ("uuid", "id") or (type_ == "code" and name.endswith(("_id", "_number"))))
    _apply_phrase(draft, ph)
    return [draft]


def _column_for_values(values: list[str], domain: D.Domain | None) -> str | None:
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


def _domain_column(name: str, domain: D.Domain | None, used: set[str]) -> D.Col | None:
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
            "surname": "last", "forename": "first", "ts": "timestamp", "dt": "date", "desc": "description"}


def _domain_column_exact(name: str, domain: D.Domain, used: set[str]) -> D.Col | None:
    cols = [c for c in domain.columns if c.name not in used]
    toks = {_stem(SYNONYMS.get(t, t)) for t in name.lower().split("_")}
    for col in cols:
        if col.name == name.lower() or {_stem(t) for t in col.name.split("_")} == toks:
            return col
    type_, _, how = L.infer(name)
    if how == "rule":  # a name that clearly means a person, a date or an id stays one
        cols = [c for c in cols if _family(c.type) == _family(type_) or _family(type_) == "other"
                or _family(c.type) == "other"]
    for col in cols:
        ctoks = {_stem(t) for t in col.name.split("_")}
        common = toks & ctoks
        if common - GENERIC and (toks <= ctoks or ctoks <= toks):
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
        if cur_hi is None or cur_hi < lo * 1.5 or cur_hi <= lo:
            p["max"] = lo * 10 if lo > 0 else lo + 100
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


_UNIT_DEFAULTS: dict[str, dict[str, Any]] = {
    "seconds": {"min": 1, "max": 3600, "mean": 180},
    "minutes": {"min": 1, "max": 180, "mean": 25},
    "hours": {"min": 1, "max": 48, "mean": 4},
    "days": {"min": 1, "max": 60, "mean": 7},
    "kg": {"min": 0.1, "max": 50, "distribution": "lognormal", "mean": 4, "decimals": 2},
    "g": {"min": 1, "max": 2000, "distribution": "lognormal", "mean": 250, "decimals": 0},
    "mg": {"min": 1, "max": 1000, "distribution": "lognormal", "mean": 100, "decimals": 0},
    "lb": {"min": 0.2, "max": 110, "distribution": "lognormal", "mean": 9, "decimals": 2},
    "km": {"min": 0.3, "max": 60, "distribution": "lognormal", "mean": 6, "decimals": 2},
    "miles": {"min": 0.2, "max": 40, "distribution": "lognormal", "mean": 4, "decimals": 2},
    "m": {"min": 1, "max": 5000, "distribution": "lognormal", "mean": 300, "decimals": 1},
    "cm": {"min": 1, "max": 250, "distribution": "normal", "decimals": 1},
    "mm": {"min": 0, "max": 100, "distribution": "exponential", "mean": 4, "decimals": 1},
    "sqm": {"min": 15, "max": 300, "distribution": "lognormal", "mean": 80, "decimals": 0},
    "sqft": {"min": 200, "max": 6000, "distribution": "lognormal", "mean": 1500, "decimals": 0},
    "kWh": {"min": 0, "max": 10, "distribution": "lognormal", "mean": 1, "decimals": 3},
    "C": {"min": -20, "max": 45, "distribution": "normal", "mean": 15, "std": 8, "decimals": 1},
    "F": {"min": -5, "max": 110, "distribution": "normal", "mean": 59, "std": 15, "decimals": 1},
    "km/h": {"min": 0, "max": 130, "distribution": "lognormal", "mean": 30, "decimals": 1},
    "mph": {"min": 0, "max": 80, "distribution": "lognormal", "mean": 20, "decimals": 1},
}


def apply_unit(d: Draft, kind: str, unit: str) -> None:
    if kind == "time":
        if unit == "ms":
            if d.type not in ("float", "integer") or "range" not in d.fixed:
                d.type, d.params = "float", {"min": 1, "max": 5000, "distribution": "lognormal", "mean": 120,
                                             "decimals": 1}
        elif unit in _UNIT_DEFAULTS and d.type in ("duration", "word", "integer", "float") and "range" not in d.fixed:
            if d.type != "duration" or d.params.get("unit", "minutes") != unit:
                d.type, d.params = "duration", {**_UNIT_DEFAULTS[unit], "distribution": "lognormal", "unit": unit}
        elif d.type == "duration" and unit in _UNIT_DEFAULTS:
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
    marked = unit.lower() in (d.origin or d.name).lower().split("_")
    if unit in _UNIT_DEFAULTS and "range" not in d.fixed and not marked and d.type in ("word", "integer", "category",
                                                                                       "float"):
        d.type, d.params = "float", dict(_UNIT_DEFAULTS[unit])
    d.note(f"in {unit}")


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


def _entity_column(subject: str, named: list[Draft]) -> list[Draft]:
    """'cities with population': the rows are cities, so a city column leads."""
    head = head_noun(subject)
    if not head or any(d.name == head for d in named):
        return []
    type_, params, how = L.infer(head)
    if how == "guess" or type_ not in ("city", "country", "company", "product_name", "full_name", "title",
                                       "state", "job_title", "language", "brand"):
        return []
    return [Draft(head, type_, params, source="named", why=f"the rows are {L.words(subject)[-1]}")]


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

def _from_template(col: D.Col, domain: D.Domain) -> Draft:
    return Draft(col.name, col.type, _copy(col.params), col.null_rate, col.unique, "domain",
                 f"{domain.title} template default", origin=col.name, core=col.core)


def _assemble(domain: D.Domain, named: list[Draft], explicit: bool, marker: str, head: str = "") -> list[Draft]:
    by_origin = {d.origin: d for d in named if d.origin}
    if not explicit:
        out = [by_origin.get(col.name) or _from_template(col, domain) for col in domain.columns]
        return out + [d for d in named if not d.origin]
    core = []
    if marker == "cols":  # "columns a, b, c": exactly those
        return named
    for col in domain.columns:
        if not col.core or col.name in by_origin or _covered(col, named, head):
            continue
        if col.type in DATES and any(d.type in DATES for d in named):
            continue
        if marker != "with" and not (col.unique or (col.type in PERSON and domain.key in PERSON_ROWS)
                                     or col.type in ("street_address", "address") or col.type in DATES):
            continue  # "customers: a, b, c" reads as a column spec: only what identifies a row is added
        draft = _from_template(col, domain)
        draft.why = f"{domain.title} template: a core column (what, who or when each row is)"
        core.append(draft)
    return core + named


def _covered(col: D.Col, named: list[Draft], head: str = "") -> bool:
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


def _apply_global_ranges(drafts: list[Draft], lower: str) -> None:
    """'products priced between €5 and €50', 'employees hired between 2015 and 2020'."""
    if L.age_range(lower):
        lower = L.AGES.sub(" ", lower)
    for cands, lo, hi, said, unit in L.global_ranges(lower):
        target = None
        for i, word in enumerate(cands):
            if word.isdigit():
                break
            found = _find(drafts, word, want_bool=False)
            if found is None:
                type_, _, how = L.infer(word)
                if how == "rule":
                    found = next((d for d in drafts if d.type == type_), None)
            if found is None:
                continue
            numeric = found.type in NUMERIC + DATES + ("birth_date",)
            # "grades (0-100)": a range right after a template category makes it a number
            if numeric or (i == 0 and found.source == "domain" and found.type in ("category", "word")):
                target = found
                break
        if target is None or target.fixed & {"range", "window"}:
            continue
        apply_range(target, lo, hi, said)
        if unit:
            apply_unit(target, *unit)
            _rename_unit(target, unit[1])
        if target.source == "domain":
            target.source = "constraint"


def _rename_unit(d: Draft, unit: str) -> None:
    """A template's 'session_seconds' measured in minutes becomes 'session_minutes'."""
    m = re.search(r"_(seconds|minutes|hours|days|ms)$", d.name)
    if m and d.source in ("domain", "constraint") and unit in _TIME_WORDS and m.group(1) != unit:
        d.name = d.name[:m.start()] + "_" + unit


_TIME_WORDS = ("seconds", "minutes", "hours", "days", "ms")


# Outcomes a dataset is often about ("customer churn dataset", "loan default data").
FLAGS = {"churn": ("churned", 0.2), "fraud": ("is_fraud", 0.02), "default": ("defaulted", 0.06),
         "attrition": ("left_company", 0.15), "readmission": ("readmitted", 0.14), "conversion": ("converted", 0.05),
         "cancellation": ("cancelled", 0.12), "no show": ("no_show", 0.1), "return": ("returned", 0.08),
         "delay": ("delayed", 0.2), "spam": ("is_spam", 0.15), "anomaly": ("is_anomaly", 0.02)}


def _subject_flags(drafts: list[Draft], subject: str) -> None:
    text = L.singular_text(subject)
    for word, (name, p_true) in FLAGS.items():
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


# How often common flags are true, for flags named without a share.
BOOL_PRIORS = {"churn": 0.2, "fraud": 0.02, "default": 0.06, "attrition": 0.15, "verified": 0.8, "active": 0.75,
               "remote": 0.3, "premium": 0.2, "skip": 0.25, "complet": 0.7, "cancel": 0.12, "return": 0.08,
               "convert": 0.05, "approv": 0.65, "paid": 0.85, "delay": 0.2, "on_time": 0.8, "subscrib": 0.3,
               "smoker": 0.15, "insured": 0.88, "spam": 0.15, "anomal": 0.02, "vip": 0.05, "done": 0.4,
               "pass": 0.75, "sponsor": 0.05, "refund": 0.05, "roaming": 0.04, "available": 0.8, "in_stock": 0.88,
               "deleted": 0.03, "archived": 0.1, "married": 0.5, "readmit": 0.14, "no_show": 0.1, "win": 0.45,
               "success": 0.8, "fail": 0.1, "error": 0.03, "click": 0.04, "open": 0.25, "bounce": 0.4}


def _link(drafts: list[Draft]) -> None:
    """Make related columns agree: e-mail from the name, total = quantity × unit price, ..."""
    for d in drafts:
        if d.type == "boolean" and "p_true" not in d.params:
            prior = next((p for k, p in BOOL_PRIORS.items() if k in d.name.lower()), None)
            if prior is not None:
                d.params["p_true"] = prior
                d.note(f"true for about {prior:.0%}, as is typical")
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
            if d is price or d.type not in ("money", "formula") or "range" in d.fixed or not _TOTAL.search(d.name):
                continue
            d.type, d.params = "formula", {"expr": f"{qty.name} * {price.name}", "decimals": 2}
            _touch(d, f"= {qty.name} × {price.name}")
    names = {d.name for d in drafts}
    renamed = {d.origin: d.name for d in drafts if d.origin and d.origin != d.name and d.origin not in names}
    for d in drafts:
        if d.type == "formula" and renamed and d.params.get("expr"):
            d.params["expr"] = re.sub(r"[A-Za-z_]\w*", lambda m: renamed.get(m.group(0), m.group(0)), d.params["expr"])
    for d in drafts:
        if d.type == "formula":
            from ..formula import parse

            try:
                refs = parse(d.params.get("expr", ""), d.name)[1]
            except Exception:  # noqa: BLE001 - a template formula that no longer fits: retype it
                refs = ["?"]
            if not set(refs) <= names:
                type_, params, _ = L.infer(d.name)
                d.type, d.params = ("money", params) if type_ != "money" else (type_, params)
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
    _order_dates(drafts)


def _prefixed(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(re.search(rf"(?:^|_){re.escape(p)}", name) for p in prefixes)


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
        if "after" in d.params or "step" in d.params or "window" in d.fixed:
            continue
        name = d.name.lower()
        for earlier, later, date_gap, time_gap in L.DATE_ORDER:
            if not _prefixed(name, later) or _prefixed(name, earlier):
                continue
            base = next((e for e in dated if e is not d and _prefixed(e.name.lower(), earlier)
                         and d.name not in chain(e)), None)
            if base is None:
                continue
            lo, hi = date_gap if d.type == "date" else time_gap
            d.params = {"after": base.name, "min_gap": lo, "max_gap": hi}
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
