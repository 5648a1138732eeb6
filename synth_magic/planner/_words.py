"""Words of descriptions and column names: lower-case words and their singular."""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["WORD", "Fuzzy", "singular", "singular_text", "words"]

_IRREGULAR = {"people": "person", "children": "child", "men": "man", "women": "woman", "data": "data",
              "criteria": "criterion", "media": "media", "series": "series", "species": "species",
              "news": "news", "analytics": "analytics", "metrics": "metric", "sales": "sale",
              "gps": "gps", "kwh": "kwh", "ms": "ms", "saas": "saas", "ios": "ios", "macos": "macos",
              "status": "status", "address": "address", "bus": "bus", "class": "class", "plus": "plus",
              # short and -us plurals the rules below leave alone, and Latin ones they get wrong
              "ids": "id", "prs": "pr", "ips": "ip", "skus": "sku", "menus": "menu", "cpus": "cpu", "gpus": "gpu",
              "vcpus": "vcpu", "gurus": "guru", "emus": "emu", "analyses": "analysis", "indices": "index",
              "matrices": "matrix", "vertices": "vertex", "diagnoses": "diagnosis", "theses": "thesis",
              "axes": "axis", "crises": "crisis", "hypotheses": "hypothesis", "phenomena": "phenomenon"}
_IE_WORDS = {"movie", "cookie", "zombie", "calorie", "rookie", "selfie", "hoodie", "genie", "goalie", "brownie",
             "smoothie", "newbie", "freebie", "birdie", "veggie", "techie", "indie", "aussie", "prairie", "auntie",
             "sortie", "lingerie", "pixie", "collie", "junkie", "groupie", "budgie", "boogie"}


@lru_cache(maxsize=1 << 16)
def singular(word: str) -> str:
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-1] if w[:-1] in _IE_WORDS else w[:-3] + "y"
    if len(w) >= 7 and w.endswith("oes"):  # volcanoes, tomatoes, tornadoes
        return w[:-2]
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




class Fuzzy:
    """Typo correction over a fixed vocabulary by one-edit neighbourhoods (symmetric deletes).

    A word is corrected to a known word one deletion, insertion, substitution or adjacent
    transposition away, with the same first letter; the cost does not grow with the
    vocabulary (a few dictionary look-ups), so it scales to any number of known words.
    Ties go to the word seen most often, then the alphabetically first: never list order.
    """

    def __init__(self, vocabulary: dict[str, int], min_length: int = 4) -> None:
        self.known = vocabulary  # word → how often the knowledge uses it
        self.min_length = min_length
        self.deletes: dict[str, list[str]] = {}
        for w in vocabulary:
            if len(w) >= min_length:
                for d in _deletes(w):
                    self.deletes.setdefault(d, []).append(w)

    def correct(self, word: str) -> str | None:
        """The known word ``word`` is a typo of, or None (also when it is known itself)."""
        if len(word) < self.min_length or word in self.known or not word.isalpha():
            return None
        found = set(self.deletes.get(word, ()))  # a letter missing: 'adress' → 'address'
        for d in _deletes(word):
            if d in self.known:  # a letter too many: 'emaill' → 'email'
                found.add(d)
            found.update(self.deletes.get(d, ()))  # a letter changed or two swapped
        found = {w for w in found if w[0] == word[0] and len(w) >= self.min_length}
        if not found:
            return None
        return min(found, key=lambda w: (-self.known[w], w))


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}
