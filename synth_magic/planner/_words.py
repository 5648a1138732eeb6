"""Words of descriptions and column names: lower-case words and their singular."""

from __future__ import annotations

import re

__all__ = ["WORD", "singular", "singular_text", "words"]

_IRREGULAR = {"people": "person", "children": "child", "men": "man", "women": "woman", "data": "data",
              "criteria": "criterion", "media": "media", "series": "series", "species": "species",
              "news": "news", "analytics": "analytics", "metrics": "metric", "sales": "sale",
              "gps": "gps", "kwh": "kwh", "ms": "ms", "saas": "saas", "ios": "ios", "macos": "macos",
              "status": "status", "address": "address", "bus": "bus", "class": "class", "plus": "plus"}
_IE_WORDS = {"movie", "cookie", "zombie", "calorie", "rookie", "selfie", "hoodie", "genie", "goalie", "brownie",
             "smoothie", "newbie", "freebie", "birdie", "veggie", "techie", "indie", "aussie", "prairie", "auntie",
             "sortie", "lingerie", "pixie", "collie", "junkie", "groupie", "budgie", "boogie"}


def singular(word: str) -> str:
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-1] if w[:-1] in _IE_WORDS else w[:-3] + "y"
    if len(w) > 4 and w.endswith(("sses", "shes", "ches", "xes", "zes")):
        return w[:-2]
    if len(w) > 4 and w.endswith("ses") and not w.endswith(("cases", "bases", "phases", "purchases", "courses",
                                                             "responses", "licenses", "houses", "expenses",
                                                             "databases", "releases", "nurses")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "ous", "ics")):
        return w[:-1]
    return w


WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def singular_text(text: str) -> str:
    """Lower-case words, each singular, joined by single spaces (for keyword search)."""
    return " ".join(singular(w) for w in words(text))


