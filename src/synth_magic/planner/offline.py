"""The offline planner: reads a description the way a careful analyst would, no network.

Steps, each a small function:

1. ``detect_locale`` — countries, cities and nationalities name a Faker locale.
2. ``detect_rows`` — "200 employees" gives a row count when the caller gave none.
3. ``split_columns`` — an explicit list ("with X, Y and Z", "X: a, b, c") becomes named
   columns, each typed by what its name means (``infer``) and shaped by the constraints
   written beside it (ranges, shares, enumerations, time windows).
4. ``pick_domain`` — keywords choose a domain template whose columns fill in what was
   not named.
5. Whole-description constraints ("about 2% fraud", "in 2023", "30% have no phone")
   are applied to the columns they name.

Every column records where it came from (``source``/``why``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..schema import Column, Schema
from . import lexicon as L

VERSION = "1"


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

    def column(self) -> Column:
        return Column(self.name, self.type, dict(self.params), self.null_rate, self.unique,
                      self.source, self.why)


class OfflinePlanner:
    name = "offline"
    version = VERSION
    model = ""

    def plan(self, description: str) -> Schema:
        return plan(description)


def plan(description: str) -> Schema:
    text = " ".join(description.split())
    lower = text.lower()
    locale = L.detect_locale(lower)
    rows = L.detect_rows(lower)
    named = [_named_draft(phrase) for phrase in L.split_columns(text)]
    named = [d for d in named if d is not None]
    domain = L.pick_domain(lower)
    notes: list[str] = []
    drafts: list[Draft] = []
    if domain is not None:
        drafts = [Draft(c[0], c[1], dict(c[2]) if len(c) > 2 else {}, unique=len(c) > 3 and c[3],
                        why=f"{domain.title} default") for c in domain.columns]
    drafts = _merge(drafts, named, keep_domain=domain is not None and not L.has_explicit_list(text))
    if not drafts:
        drafts = _fallback(lower)
        notes.append(
            "The offline planner found nothing it recognises in the description, so this is a "
            "generic table; name the columns you want (e.g. 'with name, email and signup date')."
        )
    _apply_global_constraints(drafts, lower)
    _link_related(drafts)
    title = domain.title if domain is not None and not named else _title(text)
    return Schema(columns=[d.column() for d in _dedupe(drafts)], title=title, locale=locale,
                  rows=rows, planner="offline", notes=notes)


def _title(text: str) -> str:
    words = re.sub(r"^(generate|create|make|give me|build|i need|a table of|a list of)\s+", "", text,
                   flags=re.I)
    return words[:80].rstrip(" .,:;")


def _named_draft(phrase: str) -> Draft | None:
    name = L.column_name(phrase)
    if not name:
        return None
    type_, params = L.infer(name, phrase)
    draft = Draft(name, type_, dict(params), source="named", why=f"named in the description: {phrase.strip()[:60]!r}")
    L.apply_phrase_constraints(draft, phrase)
    return draft


def _merge(domain: list[Draft], named: list[Draft], keep_domain: bool) -> list[Draft]:
    """Named columns replace the domain column they mean; the rest of the domain stays."""
    if not named:
        return domain
    out = list(domain)
    used: set[int] = set()
    for draft in named:
        match = next((i for i, d in enumerate(out) if i not in used and L.same_meaning(d, draft)), None)
        if match is not None:
            out[match] = draft
            used.add(match)
        else:
            out.append(draft)
            used.add(len(out) - 1)
    if not keep_domain:
        # An explicit list decides the table; only the domain's identifier stays in front.
        out = [d for i, d in enumerate(out) if i in used or (i == 0 and d.type in ("id", "uuid", "code"))]
    return out


def _fallback(lower: str) -> list[Draft]:
    return [Draft("id", "id", source="fallback", why="generic table"),
            Draft("name", "full_name", source="fallback", why="generic table"),
            Draft("value", "float", {"min": 0, "max": 100}, source="fallback", why="generic table"),
            Draft("category", "category", {"values": ["A", "B", "C"]}, source="fallback", why="generic table"),
            Draft("created_at", "datetime", source="fallback", why="generic table")]


def _apply_global_constraints(drafts: list[Draft], lower: str) -> None:
    for kind, word, value in L.shares(lower):
        target = L.find_column(drafts, word)
        if target is None and kind == "true":
            target = Draft(L.snake(word), "boolean", source="constraint", why=f"'{value:.0%} {word}' in the description")
            drafts.append(target)
        if target is None:
            continue
        if kind == "null":
            target.null_rate = value
        elif target.type == "boolean":
            target.params["p_true"] = value
        else:
            continue
        target.why = (target.why + "; " if target.why else "") + f"{value:.0%} from the description"
        if target.source == "domain":
            target.source = "constraint"
    window = L.time_window(lower)
    if window:
        for d in drafts:
            if d.type in ("date", "datetime") and "after" not in d.params:
                d.params["start"], d.params["end"] = window
                if d.source == "domain":
                    d.source = "constraint"
                d.why = (d.why + "; " if d.why else "") + "time window from the description"


def _link_related(drafts: list[Draft]) -> None:
    """Make related columns agree: e-mail from the name, total from quantity × price, ..."""
    names = [d for d in drafts if d.type in ("full_name", "first_name")]
    for d in drafts:
        if d.type in ("email", "username") and names and "derive_from" not in d.params:
            d.params["derive_from"] = names[0].name
    gender = next((d for d in drafts if d.type == "gender"), None)
    if gender:
        for d in drafts:
            if d.type in ("full_name", "first_name") and "gender_from" not in d.params:
                d.params["gender_from"] = gender.name
    qty = next((d for d in drafts if d.type == "quantity"), None)
    price = next((d for d in drafts if d.type == "money" and re.search(r"price|cost", d.name)), None)
    for d in drafts:
        if qty and price and d.type == "money" and re.search(r"total|subtotal|line", d.name) and d is not price:
            d.type, d.params = "formula", {"expr": f"{qty.name} * {price.name}"}
            d.why = (d.why + "; " if d.why else "") + f"= {qty.name} × {price.name}"
    birth = next((d for d in drafts if d.type == "birth_date"), None)
    for d in drafts:
        if birth and d.type == "age":
            d.params = {"derive_from": birth.name}
    dates = [d for d in drafts if d.type in ("date", "datetime")]
    for d in dates:
        for earlier_word, later_words in L.DATE_ORDER:
            if any(w in d.name for w in later_words):
                base = next((e for e in dates if e is not d and earlier_word in e.name and e.type == d.type), None)
                if base is not None and "after" not in d.params and "step" not in d.params:
                    d.params["after"] = base.name
                    for k in ("start", "end"):
                        d.params.pop(k, None)
                    if d.type == "date":
                        d.params.setdefault("max_gap", "10d")
                    break


def _dedupe(drafts: list[Draft]) -> list[Draft]:
    seen: set[str] = set()
    out = []
    for d in drafts:
        key = d.name.lower()
        if key in seen:
            continue
        seen.add(key)
        out.append(d)
    return out
