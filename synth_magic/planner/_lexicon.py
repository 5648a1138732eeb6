"""What the offline planner knows about words: locales, row counts, column lists,
name → type rules, and the constraints written beside a column (ranges, shares,
enumerations, units, time windows).

Everything here is plain data and small pure functions over lower-cased text; nothing
here looks anything up by a name that came from the user.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from . import _domains as D

__all__ = [
    "AGES", "COUNT_NOUNS", "DATE_ORDER", "LOCALE_WORDS", "Parts", "Phrase", "RULES", "Rule",
    "WORD", "age_range", "column_name", "correct", "detect_locale", "detect_rows",
    "enumeration", "global_currency", "global_ranges", "infer", "meaning_key", "number_range",
    "parse_phrase", "shares", "singular", "singular_text", "split_description", "split_list",
    "step", "time_window", "unit_of", "vocabulary", "words",
]

# ------------------------------------------------------------------ words

_IRREGULAR = {"people": "person", "children": "child", "men": "man", "women": "woman", "data": "data",
              "criteria": "criterion", "media": "media", "series": "series", "species": "species",
              "news": "news", "analytics": "analytics", "metrics": "metric", "sales": "sale",
              "gps": "gps", "kwh": "kwh", "ms": "ms", "saas": "saas", "ios": "ios", "macos": "macos",
              "status": "status", "address": "address", "bus": "bus", "class": "class", "plus": "plus"}
_IE_WORDS = {"movie", "cookie", "zombie", "calorie", "rookie", "selfie", "hoodie", "genie", "goalie", "brownie",
             "smoothie", "newbie", "freebie", "birdie", "veggie", "techie", "indie", "aussie", "prairie", "auntie",
             "sortie", "lingerie", "pixie", "collie", "junkie", "groupie", "budgie", "boogie"}
# Plural nouns that name counts: kept plural as column names ("likes", "bedrooms").
COUNT_NOUNS = {
    "likes", "shares", "clicks", "views", "impressions", "conversions", "pages", "goals", "points",
    "bedrooms", "bathrooms", "rooms", "credits", "refills", "passengers", "guests", "downloads", "seats",
    "applicants", "followers", "following", "comments", "visits", "sessions", "installs", "retweets",
    "reposts", "votes", "upvotes", "subscribers", "employees", "attendees", "participants", "stars",
    "wins", "losses", "assists", "rebounds", "steals", "errors", "bugs", "pageviews", "streams",
    "plays", "listens", "orders", "purchases", "returns", "visitors", "users", "members", "reviews",
    "children", "dependents", "floors", "doors", "cylinders", "calories", "steps", "reps", "sets",
    "miles", "kilometers", "kilometres", "hours", "minutes", "seconds", "days", "years", "months",
    "weeks", "units", "items", "tickets", "nights", "beds", "sales", "earnings", "savings", "wages",
    "tips", "fees", "taxes", "deductions", "expenses", "profits", "goals_scored", "kills",
    "deaths", "games", "matches", "laps", "innings", "runs", "shots", "saves", "fouls", "cards",
    "appearances", "transactions", "logins", "replies", "mentions", "bookings", "trips",
    "rides", "calls", "messages", "sms", "texts", "emails_sent", "opens", "bounces", "signups",
}


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


# ---------------------------------------------------------------- locales

# Countries, cities, nationalities and demonyms → Faker locale. Longer phrases are
# tried first so "mexico city" beats "mexico" and "new york" beats "york".
_LOCALES: dict[str, tuple[str, ...]] = {
    "en_US": ("american", "usa", "u.s.", "united states", "new york", "los angeles", "chicago", "san francisco",
              "texas", "california", "boston", "seattle", "miami", "us-based"),
    "en_GB": ("british", "uk", "united kingdom", "england", "scottish", "welsh", "london",
              "manchester", "birmingham", "edinburgh", "glasgow", "liverpool"),
    "en_IE": ("irish", "ireland", "dublin", "cork"),
    "en_CA": ("canadian", "canada", "toronto", "vancouver", "ottawa", "calgary"),
    "en_AU": ("australian", "australia", "sydney", "melbourne", "brisbane", "perth"),
    "en_NZ": ("new zealand", "kiwi", "auckland", "wellington"),
    "en_IN": ("indian", "india", "mumbai", "delhi", "new delhi", "bangalore", "bengaluru", "chennai",
              "hyderabad", "kolkata"),
    "fr_FR": ("french", "france", "paris", "lyon", "marseille", "toulouse", "nice", "bordeaux", "lille"),
    "fr_CA": ("quebec", "québec", "quebecois", "montreal", "montréal"),
    "fr_BE": ("belgian", "belgium", "brussels", "liège", "liege"),
    "de_DE": ("german", "germany", "berlin", "munich", "münchen", "hamburg", "frankfurt", "cologne", "köln",
              "stuttgart", "düsseldorf", "dusseldorf", "leipzig", "dresden"),
    "de_AT": ("austrian", "austria", "vienna", "wien", "salzburg", "graz"),
    "de_CH": ("swiss", "switzerland", "zurich", "zürich", "basel", "bern"),
    "fr_CH": ("geneva", "genève", "lausanne"),
    "ja_JP": ("japanese", "japan", "tokyo", "osaka", "kyoto", "yokohama", "nagoya", "sapporo"),
    "zh_CN": ("chinese", "china", "beijing", "shanghai", "shenzhen", "guangzhou", "chengdu"),
    "zh_TW": ("taiwanese", "taiwan", "taipei"),
    "ko_KR": ("korean", "korea", "south korea", "seoul", "busan"),
    "es_ES": ("spanish", "spain", "madrid", "barcelona", "valencia", "seville", "sevilla", "bilbao", "malaga"),
    "es_MX": ("mexican", "mexico", "mexico city", "guadalajara", "monterrey", "cancun"),
    "es_AR": ("argentinian", "argentine", "argentina", "buenos aires"),
    "es_CO": ("colombian", "colombia", "bogota", "bogotá", "medellin", "medellín"),
    "it_IT": ("italian", "italy", "rome", "roma", "milan", "milano", "naples", "turin", "florence", "venice"),
    "nl_NL": ("dutch", "netherlands", "holland", "amsterdam", "rotterdam", "utrecht", "the hague",
              "eindhoven"),
    "nl_BE": ("flemish", "flanders", "antwerp", "ghent"),
    "pt_BR": ("brazilian", "brazil", "brasil", "sao paulo", "são paulo", "rio de janeiro", "rio",
              "brasilia", "brasília", "salvador"),
    "pt_PT": ("portuguese", "portugal", "lisbon", "lisboa", "porto"),
    "pl_PL": ("polish", "poland", "warsaw", "krakow", "kraków", "gdansk", "wroclaw"),
    "ru_RU": ("russian", "russia", "moscow", "saint petersburg", "st petersburg", "novosibirsk"),
    "uk_UA": ("ukrainian", "ukraine", "kyiv", "kiev", "lviv", "odesa", "kharkiv"),
    "sv_SE": ("swedish", "sweden", "stockholm", "gothenburg", "malmo", "malmö"),
    "no_NO": ("norwegian", "norway", "oslo", "bergen"),
    "da_DK": ("danish", "denmark", "copenhagen", "aarhus"),
    "fi_FI": ("finnish", "finland", "helsinki", "tampere"),
    "tr_TR": ("turkish", "turkey", "türkiye", "istanbul", "ankara", "izmir"),
    "el_GR": ("greek", "greece", "athens", "thessaloniki"),
    "cs_CZ": ("czech", "czechia", "czech republic", "prague", "brno"),
    "hu_HU": ("hungarian", "hungary", "budapest"),
    "ro_RO": ("romanian", "romania", "bucharest", "cluj"),
    "th_TH": ("thai", "thailand", "bangkok", "phuket"),
    "id_ID": ("indonesian", "indonesia", "jakarta", "bali", "surabaya"),
    "vi_VN": ("vietnamese", "vietnam", "viet nam", "hanoi", "ho chi minh city", "saigon"),
    "he_IL": ("israeli", "israel", "tel aviv", "jerusalem"),
    "ar_EG": ("egyptian", "egypt", "cairo", "alexandria"),
}
LOCALE_WORDS: dict[str, str] = {w: loc for loc, ws in _LOCALES.items() for w in ws}
_LOCALE_RE = re.compile(
    r"(?<![\w.])(" + "|".join(re.escape(w) for w in sorted(LOCALE_WORDS, key=len, reverse=True)) + r")(?![\w])"
)
# Words that look like places but are something else in a data description.
_NOT_PLACES = re.compile(r"\b(?:english|spanish|french|german|italian|chinese|japanese|portuguese|russian|"
                         r"korean|turkish|greek|polish|dutch|thai)\s+(?:language|speaking|speakers|translation|"
                         r"subtitles|cuisine|food|dish|recipe)s?\b|\bturkey\s+(?:sandwich|meat|burger)|"
                         r"\brio\s+(?:tinto)|\bnice\s+(?!france)")


def detect_locale(lower: str) -> tuple[str, str] | None:
    """(locale, the word that named it) from the first country/city/nationality."""
    text = _NOT_PLACES.sub(" ", lower)
    m = _LOCALE_RE.search(text)
    if not m:
        return None
    return LOCALE_WORDS[m.group(1)], m.group(1)


# --------------------------------------------------------------------- rows

_UNIT_NOUNS = {"minute", "second", "hour", "day", "week", "month", "year", "star", "point", "km", "kms",
               "mile", "dollar", "euro", "percent", "word", "digit", "decimal", "character", "kg", "gram",
               "meter", "metre", "cent", "pound", "yen", "time", "ms", "sqm", "foot", "feet", "inch",
               "column", "field", "attribute", "feature", "variable", "category", "type", "class", "group",
               "value", "option", "level", "tier", "segment", "bucket", "variant", "store", "region", "country",
               "city", "language", "currency", "warehouse", "location", "branch", "site", "shop", "device",
               "sensor", "team", "department",
               "place", "letter", "night", "room", "bedroom", "bathroom", "seat", "page", "kid", "child",
               "share", "like", "click", "view", "visit", "credit", "goal", "refill", "guest", "passenger"}
_ROWS = re.compile(r"(?<![\w.$€£-])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(k|m|thousand|million)?\b(?!\s*%)"
                   r"((?:\s+[a-z][a-z-]*){1,3})")
_ROWS_BEFORE = re.compile(r"(?:between|from|to|and|over|under|than|least|most|above|below|of about|"
                          r"every|last|past|next|first|each|per|in|within|after|before|age|aged|across|among|"
                          r"score|rating|level)\s*$")
_ROW_NOUNS = {"row", "record", "entry", "item", "line", "sample", "example", "observation", "person",
              "people"}


def detect_rows(lower: str) -> int | None:
    """'200 employees', '1,500 orders', '5k transactions' → a row count."""
    for m in _ROWS.finditer(lower):
        before = lower[max(0, m.start() - 14):m.start()]
        if _ROWS_BEFORE.search(before):
            continue
        raw = m.group(1).replace(",", "")
        value = float(raw)
        mult = m.group(2) or ""
        value *= {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6}.get(mult, 1)
        nouns = m.group(3).split()
        hit = None
        for w in nouns:
            s = singular(w)
            if s in _UNIT_NOUNS:
                break
            if s in _ROW_NOUNS or (w.endswith("s") and len(w) > 3 and s != w):
                hit = w
                break
        if hit is None:
            continue
        if not value.is_integer() or not 1 <= value <= 10_000_000:
            continue
        if len(raw) == 4 and 1900 <= value <= 2100 and not mult:
            continue
        return int(value)
    return None


# ------------------------------------------------------------- column lists

_MARKER = re.compile(
    r"(?P<colon>:)|\b(?P<cols>columns?|fields?|attributes?|properties|variables)\b(?:\s*:)?|"
    r"\b(?P<with>(?:that|which|who)\s+(?:has|have|contains?|includes?)|each\s+with|"
    r"with|including|includes|include|containing|contains|having|showing|"
    r"covering|incl\.?)\b",
    re.I,
)
_TAIL = re.compile(
    r"(?:,\s*|\s+)(?:where|whereby|such that|so that|to be used|used for|suitable for|ready for|"
    r"for (?:an? |the |my |our )?(?:[\w-]+ ){0,3}(?:analysis|analytics|testing|tests|demo|demos|purposes|"
    r"dashboards?|reporting|research|training|modell?ing|visuali[sz]ation|prototyping|benchmarking))\b.*$",
    re.I,
)
_PRE_LIST = re.compile(r"^(?P<list>[^:%\d]*?(?:,|\band\b)[^:%\d]*?)\s+(?:of|for|from)\s+"
                       r"(?!which\b|whom\b|them\b|these\b|those\b|it\b|all\b)(?P<subject>[^,]+)$", re.I)


@dataclass
class Parts:
    subject: str  # the part that says what the rows are ("French customers")
    phrases: list[str] = field(default_factory=list)  # one per named column
    explicit: bool = False  # the list decides the table (vs adds to a domain's)
    marker: str = ""


def split_description(text: str) -> Parts:
    """Separate the subject from an explicit column list, in any common phrasing."""
    text = text.strip().rstrip(".!")
    where = re.search(r"(?:,\s*|\s+)(?:where|whereby|such that|so that)\b", text, re.I)
    m = _MARKER.search(text, 0, where.start() if where else len(text))
    rest = None
    if m:
        subject, rest = text[:m.start()], text[m.end():]
        kind = "colon" if m.group("colon") else ("cols" if m.group("cols") else "with")
        if kind == "cols" and re.match(r"\s*(?:with|including|like|such as)\b", rest, re.I):
            rest = re.sub(r"^\s*\w+(?:\s+as)?", "", rest)
        if kind == "with":  # "table with columns a, b"
            inner = re.match(r"\s*(?:the\s+)?(?:columns?|fields?|attributes?)\b\s*:?", rest, re.I)
            if inner:
                rest, kind = rest[inner.end():], "cols"
        if kind == "colon" and not rest.strip():
            rest = None
        elif kind == "colon":  # "mock data for a SaaS company: accounts with name, ..."
            nested = re.match(r"\s*([\w -]{1,40}?)\s+(?:with|including|containing|having)\s+(.+)$", rest, re.I)
            if nested:
                subject, rest = f"{subject} {nested.group(1)}", nested.group(2)
    if rest is None:
        pre = _PRE_LIST.match(text)
        if pre and not _MARKER.search(pre.group("list")):
            return _parts(pre.group("subject"), pre.group("list"), "pre")
        bare = split_list(text)
        if len(bare) >= 3 and all(len(p.split()) <= 4 and not re.search(
                r"\b(?:for|of|in|with|from|to|about|on|at|by)\b", p, re.I) for p in bare):
            return _parts("", text, "cols")
        return Parts(subject=text)
    return _parts(subject, rest, kind)


def _parts(subject: str, rest: str, kind: str) -> Parts:
    rest = _TAIL.sub("", rest).strip(" .;")
    phrases = split_list(rest)
    if kind == "with" and any(re.fullmatch(r"`[^`]+`|[A-Za-z]\w*_\w+|[a-z]+(?:[A-Z][a-z0-9]*)+", p.strip()) for p in phrases):
        kind = "cols"  # code-style names: the list is a column spec
    explicit = kind in ("colon", "cols", "pre") or len(phrases) >= 3
    return Parts(subject=subject.strip(), phrases=phrases, explicit=explicit, marker=kind)


# Last words that end a column name, not start a list of values ("order id, pending or shipped").
_NAME_ENDS = {"id", "date", "name", "number", "amount", "time", "code", "count", "price", "total", "at", "no",
              "score", "rate", "level", "percent", "value", "size", "type"}

_PROTECT = [
    re.compile(r"\([^)]*\)"),
    re.compile(r"\b(?:between|from)\s+[$€£]?\d[\d.]*(?:,\d{3})*\w*\s+(?:and|to)\s+[$€£]?\d[\d.]*(?:,\d{3})*\w*", re.I),
    re.compile(r"\bone of\s+[\w$€£&'+.-]+(?:\s*,\s*[\w$€£&'+.-]+)*(?:\s*,?\s*or\s+[\w$€£&'+.-]+)?", re.I),
    re.compile(r"\b(?:of|is|are|being|either|as|like)\s+(?:[\w$€£&'+-]+\s*,\s*)+[\w$€£&'+-]+\s*,?\s*(?:or|and)\s+"
               r"[\w$€£&'+-]+", re.I),
    re.compile(r"\b(?:of|either)\s+[\w$€£&'+-]+\s+or\s+[\w$€£&'+-]+", re.I),
]
_SPLIT = re.compile(r"\s*[,;]\s*(?:and\s+|or\s+|plus\s+|as well as\s+)?|\s+(?:and|plus|as well as|&)\s+(?=[\w$\"'`])",
                    re.I)


def split_list(rest: str) -> list[str]:
    """'a, b and c' → ['a', 'b', 'c'] with enumerations and ranges kept whole."""
    protected: dict[str, str] = {}

    def protect(match: re.Match[str]) -> str:
        key = f"\x00{len(protected)}\x00"
        protected[key] = match.group(0)
        return key

    for pattern in _PROTECT:
        rest = pattern.sub(protect, rest)
    parts = [p for p in _SPLIT.split(rest) if p and p.strip(" .")]

    def restore(part: str) -> str:
        # Latest first: a later span may hold an earlier key, never the other way round.
        # One pass, no loop: text that itself contains \x00 cannot make this spin.
        for key, value in reversed(protected.items()):
            part = part.replace(key, value)
        return part.strip(" .")

    parts = [restore(p) for p in parts]
    # Re-join enumerations the split cut apart: "room type single", "double or suite".
    out: list[str] = []
    i = 0
    while i < len(parts):
        part = parts[i]
        if re.fullmatch(r"[\w$€£&'+-]+ or [\w$€£&'+-]+(?: [\w$€£&'+-]+)?", part, re.I) and out:
            j = len(out)
            while j > 0 and len(out[j - 1].split()) == 1 and _rule_cached(meaning_key(out[j - 1])) is None:
                j -= 1
            head_ok = j > 0 and len(out[j - 1].split()) >= 2 and out[j - 1].split()[-1].lower() not in _NAME_ENDS
            start = j - 1 if head_ok else j
            if start < len(out):
                merged = ", ".join(out[start:] + [part])
                out = out[:start] + [merged]
                i += 1
                continue
        out.append(part)
        i += 1
    return [p for p in out if p]


# ------------------------------------------------------------------ phrases

_NUM = r"-?\d[\d,]*(?:\.\d+)?\s*(?:k\b|m\b|thousand\b|million\b)?"
_CUR = r"[$€£¥]?"


def _number(text: str) -> float:
    t = text.strip().lower().replace(",", "")
    mult = 1.0
    for suffix, factor in (("thousand", 1e3), ("million", 1e6), ("k", 1e3), ("m", 1e6)):
        if t.endswith(suffix):
            t, mult = t[: -len(suffix)].strip(), factor
            break
    value = float(t) * mult
    return int(value) if value.is_integer() else value


_RANGES = [
    re.compile(rf"\b(?:between|from)\s+{_CUR}({_NUM})\s*(?:and|to|-|–)\s*{_CUR}({_NUM})", re.I),
    re.compile(rf"\(\s*{_CUR}({_NUM})\s*(?:-|–|to|\.\.)\s*{_CUR}({_NUM})\s*\)", re.I),
    re.compile(rf"(?<![\w./-]){_CUR}({_NUM})\s*(?:-|–|to|\.\.)\s*{_CUR}({_NUM})(?![\w./-])", re.I),
]
_LOWER = re.compile(rf"(?:\b(?:over|above|more than|at least|greater than|min(?:imum)?(?: of)?|no less than|"
                    rf"starting at|from)\s+|>=?\s*){_CUR}({_NUM})", re.I)
_UPPER = re.compile(rf"(?:\b(?:under|below|less than|at most|up to|max(?:imum)?(?: of)?|no more than|"
                    rf"not more than|within)\s+|<=?\s*){_CUR}({_NUM})", re.I)


def number_range(phrase: str) -> tuple[float | None, float | None, str]:
    """(lo, hi, the text that said so) for 'between 5 and 500', '0-100', 'over $100'."""
    for pattern in _RANGES:
        m = pattern.search(phrase)
        if m:
            lo, hi = _number(m.group(1)), _number(m.group(2))
            return (lo, hi, m.group(0)) if lo <= hi else (hi, lo, m.group(0))
    m = _LOWER.search(phrase)
    if m:
        return _number(m.group(1)), None, m.group(0)
    m = _UPPER.search(phrase)
    if m:
        return None, _number(m.group(1)), m.group(0)
    return None, None, ""


_SLASH = re.compile(r"(?<![\w/])([A-Za-z0-9$€£+&-]{1,24}(?:\s*/\s*[A-Za-z0-9$€£+&-]{1,24})+)(?![\w/])")
_NOT_SLASH = {"km/h", "m/s", "i/o", "n/a", "and/or", "mb/s", "kb/s", "gb/s", "24/7", "b/w", "w/o", "mi/h"}
_LETTER_RANGE = re.compile(r"\b([A-Z])\s*(?:-|–|to|through)\s*([A-Z])\b")
_ONE_OF = re.compile(r"\b(?:one of|any of|either|among|values?|such as|e\.g\.|like|options?)\s*:?\s+(.+)$", re.I)
_CONNECT = re.compile(r"^(.*?)\b(?:of|is|are|being|as|either|like|e\.g\.|:)\s+(.+)$", re.I)
_VALUE = r"[\w$€£&'+.-]+(?: [\w$€£&'+.-]+){0,2}"


def enumeration(phrase: str) -> tuple[list[str], str] | None:
    """(values, the phrase without them) for 'one of a, b, c', 'low, medium or high',
    'buy or sell', 'A/B/C', 'grade A-F'."""
    p = phrase.strip()
    m = _LETTER_RANGE.search(p)
    if m and m.group(1) < m.group(2) and (re.search(r"\b(grades?|class|rating|tier|band|level|score)\b", p, re.I)
                                          or ord(m.group(2)) - ord(m.group(1)) <= 7):
        values = [chr(c) for c in range(ord(m.group(1)), ord(m.group(2)) + 1)]
        return values, (p[:m.start()] + p[m.end():]).strip()
    m = _SLASH.search(p)
    if m and m.group(1).lower().replace(" ", "") not in _NOT_SLASH and not re.fullmatch(r"[\d/ ]+", m.group(1)):
        values = [v.strip() for v in m.group(1).split("/") if v.strip()]
        if len(values) >= 2 and len(set(values)) == len(values):
            return values, (p[:m.start()] + p[m.end():]).strip()
    m = re.search(r"\(\s*([^()]+?,[^()]+?)\s*\)", p)
    if m and not re.search(r"\d\s*(?:-|to)\s*\d", m.group(1)):
        items = _items(m.group(1))
        if 2 <= len(items) <= 30 and all(re.fullmatch(_VALUE, v) for v in items):
            return items, (p[:m.start()] + p[m.end():]).strip()
    m = _ONE_OF.search(p)
    if m:
        items = _items(m.group(1))
        if items and len(items) >= 2:
            return items, p[:m.start()].strip()
    if re.search(r"\bor\b", p, re.I):
        left, right = re.split(r"\s*,?\s+or\s+", p, maxsplit=1, flags=re.I) if re.search(r"\s+or\s+", p) else (p, "")
        left_items = [x.strip() for x in left.split(",")]
        if not right or not re.fullmatch(_VALUE, right.strip()):
            return None
        first = left_items[0]
        c = _CONNECT.match(first)
        if c and c.group(1).strip():
            head, first_value = c.group(1).strip(), c.group(2).strip()
        elif len(first.split()) >= 2:
            head, first_value = " ".join(first.split()[:-1]), first.split()[-1]
        else:
            head, first_value = "", first
        values = [first_value, *left_items[1:], right.strip()]
        values = [re.sub(r"^(?:an?|the)\s+", "", v, flags=re.I) for v in values if v]
        if 2 <= len(values) <= 30 and all(re.fullmatch(_VALUE, v) for v in values):
            return values, head
    return None


def _items(text: str) -> list[str]:
    parts = re.split(r"\s*,\s*(?:or\s+|and\s+)?|\s+or\s+|\s+and\s+", text.strip(" ."), flags=re.I)
    return [re.sub(r"^(?:an?|the)\s+", "", x.strip(" .'\"")) for x in parts if x.strip(" .'\"")]


_SHARE_IN_PHRASE = re.compile(r"(?:(?:that is|which is|is|are|being)?\s*(?:true|set|yes|on)\s+(?:for|in)\s+)?"
                              r"(?:about|around|roughly|approximately|approx\.?|~|some|nearly|almost)?\s*"
                              r"(\d+(?:\.\d+)?)\s*(?:%|percent\b)(?:\s+of\s+(?:the\s+)?(?:rows|records|them|"
                              r"cases|time))?", re.I)
_NULL_WORDS = re.compile(r"\b(?:no|without|missing|empty|blank|null|unknown|lacking|lack)\b", re.I)

# Units: (pattern, kind, canonical)
_UNITS: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(r"\b(?:milliseconds?|msecs?|ms)\b", re.I), "time", "ms"),
    (re.compile(r"\b(?:seconds?|secs?)\b", re.I), "time", "seconds"),
    (re.compile(r"\b(?:minutes?|mins?)\b", re.I), "time", "minutes"),
    (re.compile(r"\b(?:hours?|hrs?)\b", re.I), "time", "hours"),
    (re.compile(r"\bdays\b", re.I), "time", "days"),
    (re.compile(r"\bmonths\b", re.I), "time", "months"),
    (re.compile(r"\b(?:kwh|kilowatt[- ]hours?)\b", re.I), "energy", "kWh"),
    (re.compile(r"\b(?:kg|kgs|kilograms?|kilos?)\b", re.I), "mass", "kg"),
    (re.compile(r"\b(?:mg|milligrams?)\b", re.I), "mass", "mg"),
    (re.compile(r"\b(?:grams?|g)\b", re.I), "mass", "g"),
    (re.compile(r"\b(?:lbs?|pounds)\b(?!\s+sterling)", re.I), "mass", "lb"),
    (re.compile(r"\b(?:km/h|kmh|kph)\b", re.I), "speed", "km/h"),
    (re.compile(r"\b(?:mph)\b", re.I), "speed", "mph"),
    (re.compile(r"\b(?:km|kms|kilomet(?:er|re)s?)\b", re.I), "length", "km"),
    (re.compile(r"\b(?:miles?|mi)\b", re.I), "length", "miles"),
    (re.compile(r"\b(?:mm|millimet(?:er|re)s?)\b", re.I), "length", "mm"),
    (re.compile(r"\b(?:cm|centimet(?:er|re)s?)\b", re.I), "length", "cm"),
    (re.compile(r"\b(?:square met(?:er|re)s?|sq\.? ?m|sqm|m2|m²)\b", re.I), "area", "sqm"),
    (re.compile(r"\b(?:square f(?:ee|oo)t|sq\.? ?ft|sqft|ft2)\b", re.I), "area", "sqft"),
    (re.compile(r"\b(?:met(?:er|re)s?)\b", re.I), "length", "m"),
    (re.compile(r"(?:°\s*c|\bcelsius\b|\bdegrees? c\b)", re.I), "temperature", "C"),
    (re.compile(r"(?:°\s*f|\bfahrenheit\b|\bdegrees? f\b)", re.I), "temperature", "F"),
    (re.compile(r"(?:%|\bpercent(?:age)?\b)", re.I), "percent", "%"),
    (re.compile(r"(?:\beur\b|\beuros?\b|€)", re.I), "currency", "EUR"),
    (re.compile(r"(?:\busd\b|\bus dollars?\b|\$)", re.I), "currency", "USD"),
    (re.compile(r"(?:\bgbp\b|\bpounds sterling\b|£)", re.I), "currency", "GBP"),
    (re.compile(r"(?:\bjpy\b|\byen\b|¥)", re.I), "currency", "JPY"),
    (re.compile(r"\b(?:chf|swiss francs?)\b", re.I), "currency", "CHF"),
    (re.compile(r"\b(?:cad|canadian dollars?)\b", re.I), "currency", "CAD"),
    (re.compile(r"\b(?:aud|australian dollars?)\b", re.I), "currency", "AUD"),
    (re.compile(r"\b(?:inr|rupees?)\b", re.I), "currency", "INR"),
    (re.compile(r"\bdollars?\b", re.I), "currency", "USD"),
]
for _code in ("BRL", "MXN", "CNY", "KRW", "SEK", "NOK", "DKK", "PLN", "TRY", "RUB", "ZAR", "NZD", "SGD", "HKD", "CZK",
              "HUF", "ILS", "THB", "IDR", "VND", "ARS", "COP", "CLP", "AED", "SAR", "EGP", "NGN", "UAH", "RON"):
    _UNITS.append((re.compile(rf"\b{_code}\b", re.I), "currency", _code))
_UNIT_AFTER = re.compile(r"\s*(%|percent|kgs?|g|mg|lbs?|kms?|miles?|m|cm|mm|minutes?|mins?|seconds?|secs?|hours?|"
                         r"hrs?|days?|ms|kwh|eur|usd|gbp|dollars?|euros?|sqm|m2|sq ?ft|sqft|°c|°f)\b", re.I)
_IN_UNIT = re.compile(r"\s*\b(?:in|as|measured in|expressed in)\s+(?:the\s+)?([^\s,;()]+(?:\s+[^\s,;()]+)?)", re.I)
_WINDOW_IN_PHRASE = re.compile(r"\s*\b(?:in|during|for|from|of|since|after)\s+((?:19|20)\d{2})\b"
                               r"(?:\s*(?:-|to|and)\s*((?:19|20)\d{2}))?", re.I)


def unit_of(text: str) -> tuple[str, str] | None:
    for pattern, kind, canonical in _UNITS:
        if pattern.search(text):
            return kind, canonical
    return None


@dataclass
class Phrase:
    """One named column as written, with the constraints written beside it."""

    raw: str
    head: str  # the words that name the column
    lo: float | None = None
    hi: float | None = None
    range_text: str = ""
    values: list[str] | None = None
    share: tuple[str, float] | None = None  # ("null"|"true", share)
    unit: tuple[str, str] | None = None
    window: tuple[str, str] | None = None
    vague: bool = False  # "billing information": the name is a topic, not a column


_LEAD_FILLER = re.compile(r"^(?:(?:a|an|the|their|its|his|her|our|my|some|each|every|all|any|optional|"
                          r"also|plus|with|and|including|whether|if|how|many|much|what|they|it|he|she|we|you|"
                          r"them|were|was|are|is|has|have|had|do|does|did|got|get|gets)\s+)+", re.I)
_TRAIL_FILLER = re.compile(r"(?:\s+(?:flag|indicator|field|column|data|info|information|details?|"
                           r"list|fields|columns|boolean|bool|yes/no|true/false|attribute|"
                           r"in which|that|which|if any))+$", re.I)
_VAGUE = re.compile(r"\b(?:information|info|details?|data|demographics|metadata|stats|statistics)\b", re.I)


def parse_phrase(raw: str) -> Phrase:
    text = raw.strip().strip("`'\"“”‘’ ")
    ph = Phrase(raw=raw, head=text)
    # shares first ("a pass flag that is true for about 70%", "about 1% fraud")
    m = _SHARE_IN_PHRASE.search(text)
    if m:
        share = float(m.group(1)) / 100
        if 0 <= share <= 1:
            kind = "null" if _NULL_WORDS.search(text) else "true"
            ph.share = (kind, share)
            text = (text[:m.start()] + " " + text[m.end():]).strip()
            text = _NULL_WORDS.sub(" ", text) if kind == "null" else text
            text = re.sub(r"\b(?:that|which)\s+(?:is|are)\s*$|\b(?:of|for)\s*$", "", text.strip(), flags=re.I).strip()
    w = _WINDOW_IN_PHRASE.search(text)
    if w:
        open_ended = re.match(r"\s*(?:since|after)", w.group(0), re.I) and not w.group(2)
        ph.window = (f"{w.group(1)}-01-01", "today" if open_ended else f"{w.group(2) or w.group(1)}-12-31")
        text = (text[:w.start()] + text[w.end():]).strip()
    lo, hi, said = number_range(text)
    if said:
        ph.lo, ph.hi, ph.range_text = lo, hi, said.strip()
        at = text.find(said)
        after = _UNIT_AFTER.match(text, at + len(said))
        if after:
            ph.unit = unit_of(after.group(1))
            text = text[:at] + " " + text[after.end():]
        else:
            text = text[:at] + " " + text[at + len(said):]
        text = text.strip()
    enum = enumeration(text)
    if enum:
        ph.values, text = enum[0], enum[1]
    m = _IN_UNIT.search(text)
    if m and unit_of(m.group(1)):
        ph.unit = unit_of(m.group(1))
        text = (text[:m.start()] + text[m.end():]).strip()
    elif re.search(r"[$€£¥]", raw):
        ph.unit = unit_of(raw)
    if ph.unit is None:
        u = unit_of(text)
        if u and u[0] in ("time", "energy", "mass", "length", "area", "speed"):
            ph.unit = u
    text = re.sub(r"\s*\([^)]*\)\s*", " ", text)
    text = re.sub(r"\s+", " ", text).strip(" ,.:;-")
    ph.vague = bool(_VAGUE.search(text))
    text = _LEAD_FILLER.sub("", text)
    text = _TRAIL_FILLER.sub("", text).strip()
    ph.head = text
    return ph


_CAMEL = re.compile(r"^[a-z]+(?:[A-Z][a-z0-9]*)+$")
_IDENT = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def column_name(head: str) -> str:
    """The column's name: snake_case and camelCase as written, else snake_case words
    with the last one singular ('customer ratings' → 'customer_rating')."""
    head = head.strip()
    if _IDENT.match(head) and ("_" in head or _CAMEL.match(head)):
        return head[:64]
    ws = words(head)
    if not ws or not any(w[0].isalpha() for w in ws):
        return ""
    ws = ws[:5]
    last = ws[-1]
    if last not in COUNT_NOUNS and not (len(ws) > 1 and ws[-2] in ("number", "num", "no")):
        ws[-1] = singular(last)
    name = "_".join(ws)
    if name[0].isdigit():
        name = "n_" + name
    return name[:64]


def meaning_key(name: str) -> str:
    """Words of a column name for the type rules: 'bazQux' → 'baz qux', 'unit_price' → 'unit price'."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name)
    return " ".join(words(spaced))


# ------------------------------------------------------------ name → type

@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    type: str
    params: tuple[tuple[str, Any], ...] = ()


def _r(regex: str, type_: str, **params: Any) -> Rule:
    return Rule(re.compile(regex), type_, tuple(params.items()))


def _cat(regex: str, values: list[str], weights: list[float] | None = None) -> Rule:
    params: dict[str, Any] = {"values": values}
    if weights:
        params["weights"] = weights
    return _r(regex, "category", **params)


_ID_PREFIX = {"order": "ORD", "invoice": "INV", "customer": "CUS", "user": "USR", "product": "PRD",
              "transaction": "TXN", "ticket": "TKT", "patient": "PAT", "employee": "EMP",
              "student": "STU", "account": "ACC", "booking": "BKG", "shipment": "SHP", "session": "SES",
              "device": "DEV", "robot": "RBT", "vehicle": "VEH", "trip": "TRP", "episode": "EP",
              "event": "EVT", "item": "ITM", "store": "STR", "track": "TRK", "policy": "POL",
              "claim": "CLM", "loan": "LN", "lead": "LEAD", "campaign": "CMP", "sensor": "SNS",
              "meter": "MTR", "machine": "MCH", "respondent": "R", "participant": "SUBJ",
              "subscription": "SUB", "contract": "CTR", "project": "PRJ", "task": "TASK", "case": "CASE",
              "reservation": "RES", "payment": "PAY", "card": "CRD", "member": "MBR", "course": "CRS",
              "host": "HST", "server": "SRV", "call": "CALL", "job": "JOB", "listing": "LST"}

_NAME_WORDS = (r"name|full name|customer|patient|employee|student|user|contact|author|person|driver|passenger|"
               r"guest|owner|manager|agent|artist|player|client|buyer|seller|reviewer|doctor|physician|nurse|"
               r"instructor|teacher|professor|applicant|participant|tenant|landlord|recipient|sender|director|"
               r"prescriber|assignee|operator|courier|referee|cardholder|policyholder|trader|salesperson|rep|"
               r"technician|pilot|candidate|speaker|attendee|winner|borrower|lender|coach|captain|member name|"
               r"account holder|holder|beneficiary|payee|payer|signer|inspector|supervisor|lead name|"
               r"respondent|interviewer|caregiver|therapist|dentist|surgeon|pharmacist|writer|editor|"
               r"actor|actress|singer|musician|composer|creator|influencer|streamer|host|presenter|narrator|"
               r"parent|guardian|child|spouse|emergency contact|rider|traveler|traveller|visitor|subscriber|"
               r"shopper|homeowner|resident|citizen|voter|athlete|employee name|staff|worker|volunteer")

RULES: list[Rule] = [
    # identifiers
    _r(r"^(?:uuid|guid)$|\b(?:uuid|guid)\b", "uuid"),
    _r(r"^(?:id|row id|index|pk|key)$", "id"),
    _r(r"\biban\b", "iban"),
    _r(r"\bisbn\b", "isbn"),
    _r(r"\bsku\b", "sku"),
    _r(r"\btracking\b|\bwaybill\b", "tracking_number"),
    _r(r"\bvin\b", "code", pattern="1*?**##?*?#######"),
    _r(r"\b(?:wallet|wallet address|tx hash|transaction hash|txid|hash|contract address)\b", "code",
       pattern="0x**************************************"),
    _cat(r"\b(?:coin|token|cryptocurrency|crypto|asset)\b", ["BTC", "ETH", "SOL", "USDT", "XRP", "ADA", "DOGE"],
         [30, 25, 12, 15, 8, 5, 5]),
    _r(r"\b(?:card network|card type|card brand|card provider|card issuer)\b", "credit_card_provider"),
    _r(r"\b(?:card number|credit card|card no|debit card|pan)\b|^card$", "credit_card_number"),
    _r(r"\b(?:account number|account no|account num|bank account)\b|^account$", "account_number"),
    _r(r"\b(?:swift|bic)\b", "swift"),
    _cat(r"\b(?:ticker|symbol|stock)\b", ["AAPL", "MSFT", "AMZN", "GOOGL", "META", "NVDA", "TSLA", "JPM", "V",
                                          "JNJ", "XOM", "WMT"]),
    _r(r"\b(?:license plate|licence plate|number plate|plate|registration number)\b", "license_plate"),
    _r(r"\b(?:phone|mobile|telephone|tel|cell|fax|caller|callee|msisdn|contact number)\b", "phone"),
    _r(r"\b(?:zip|postcode|post code|postal code|zip code|zipcode)\b", "postcode"),
    _r(r"\bcountry code\b", "country_code"),
    _r(r"\bcurrency\b", "currency_code"),
    _r(r"\bcourse code\b", "code", pattern="???###"),
    _r(r"\bflight (?:number|no|code)\b", "code", pattern="??####"),
    _r(r"\b(?:ip|ip address|ipv4|client ip|source ip|remote addr)\b", "ipv4"),
    _r(r"\bipv6\b", "ipv6"),
    _r(r"\bmac(?: address)?\b", "mac_address"),
    _r(r"\b(?:table number|seat number|room number|gate|platform|lane|floor number|table no|locker)\b", "integer",
       min=1, max=60, distribution="uniform"),
    _r(r"^(\w+(?: \w+)?) (?:id|number|no|num|code|ref|reference|key|identifier)$", "code"),
    # people
    _r(r"\b(?:first name|given name|forename|firstname|middle name)\b", "first_name"),
    _r(r"\b(?:last name|surname|family name|lastname)\b", "last_name"),
    _r(r"\b(?:e mail|email|mail|email address)\b", "email"),
    _r(r"\b(?:user name|username|handle|login name|screen name|nickname|gamertag)\b", "username"),
    _r(r"\b(?:birth|dob|birthday|birthdate|born|date of birth)\b", "birth_date"),
    _r(r"^age$|\bage$|^age\b|\baged\b", "age"),
    _r(r"\b(?:gender|sex)\b", "gender"),
    _r(r"\b(?:blood pressure|systolic|bp|systolic bp)\b", "integer", min=85, max=190, distribution="normal", mean=125,
       std=16),
    _r(r"\bdiastolic\b", "integer", min=50, max=120, distribution="normal", mean=80, std=10),
    _r(r"\b(?:heart rate|pulse|bpm|resting heart rate)\b", "integer", min=40, max=180, distribution="normal", mean=74,
       std=12),
    _r(r"\b(?:cholesterol|ldl|hdl)\b", "integer", min=100, max=320, distribution="normal", mean=195, std=38),
    _r(r"\b(?:glucose|blood sugar)\b", "integer", min=60, max=300, distribution="lognormal", mean=105),
    _r(r"\bbmi\b", "float", min=15, max=50, distribution="normal", mean=27, std=5, decimals=1),
    _r(r"\b(?:population|inhabitants|residents count)\b", "integer", min=1000, max=10000000,
       distribution="lognormal", mean=150000),
    _r(r"\bblood\b", "blood_type"),
    _r(r"\b(?:nationality|citizenship)\b", "country"),
    _r(r"\b(?:job title|job|occupation|profession|role|position title|designation)\b", "job_title"),
    _r(r"\b(?:department|dept|division)\b", "department"),
    _r(r"\bindustry|sector\b", "industry"),
    _r(r"\b(?:language|lang)\b", "language"),
    _cat(r"\b(?:marital status|marital)\b", ["single", "married", "divorced", "widowed"], [40, 45, 11, 4]),
    _cat(r"\b(?:education|education level|degree)\b",
         ["high school", "associate", "bachelor", "master", "doctorate"], [35, 10, 35, 15, 5]),
    # organisations
    _cat(r"\bairline\b", D.AIRLINES),
    _cat(r"\b(?:airport|origin airport|destination airport)\b", D.AIRPORTS),
    _r(r"\bbrand\b", "brand"),
    _r(r"\b(?:merchant|vendor|supplier|employer|company|organi[sz]ation|business|publisher|manufacturer|"
       r"carrier|insurer|bank name|bank|restaurant|hotel|venue|pharmacy|firm|agency|provider|retailer|"
       r"distributor|partner|sponsor|brewery|winery|studio|label|network|team name|client company|account name|"
       r"organizer|organiser|lender)\b", "company"),
    # places
    _r(r"\b(?:street|address line|street address|address 1|address1)\b", "street_address"),
    _r(r"\baddress\b|\baddr\b", "address"),
    _r(r"\b(?:city|town|location|origin|destination|hometown|birthplace|municipality|place|store|shop|branch|"
       r"station|warehouse|site|office|depot|stadium|pickup location|dropoff location|village|campus)\b", "city"),
    _r(r"\b(?:state|province|county|prefecture)\b", "state"),
    _r(r"\b(?:country|nation)\b", "country"),
    _r(r"\b(?:lat|latitude)\b", "latitude"),
    _r(r"\b(?:lon|lng|long|longitude)\b", "longitude"),
    _r(r"\b(?:timezone|time zone|tz)\b", "timezone"),
    _cat(r"\bregion\b", ["North", "South", "East", "West", "Central"]),
    # status-like categories (before dates: "delivery status")
    _r(r"\b(?:order status|delivery status|shipping status|shipment status|fulfil?ment status)\b", "order_status"),
    _r(r"\b(?:payment method|payment type|pay method|payment mode)\b", "payment_method"),
    _r(r"\btransaction type\b", "transaction_type"),
    _r(r"\b(?:http method|method|verb)\b", "http_method"),
    _r(r"\b(?:status code|http status|response code|http code)\b", "http_status"),
    _cat(r"\bstage\b", D.DEAL_STAGES, D.DEAL_STAGE_W),
    _cat(r"\b(?:lead source|source|channel|acquisition channel|utm source|referral source)\b", D.LEAD_SOURCES),
    _cat(r"\b(?:priority|severity|urgency|importance|risk|risk level)\b", ["low", "medium", "high"], [30, 50, 20]),
    _cat(r"\b(?:sentiment)\b", ["positive", "neutral", "negative"], [50, 30, 20]),
    _cat(r"\bgenre\b", D.GENRES_MUSIC, D.GENRES_MUSIC_W),
    _cat(r"\bcuisine\b", D.CUISINES),
    _cat(r"\b(?:make|manufacturer brand|car make)\b", D.CAR_MAKES),
    _cat(r"\b(?:model|car model)\b", D.CAR_MODELS),
    _cat(r"\b(?:fuel|fuel type)\b", ["petrol", "diesel", "hybrid", "electric"], [55, 20, 15, 10]),
    _cat(r"\b(?:team|club|home team|away team|opponent)\b", D.TEAMS),
    _cat(r"\bshift\b", D.SHIFTS, [40, 35, 25]),
    _cat(r"\b(?:room type|room)\b", ["single", "double", "twin", "suite", "family"], [15, 45, 15, 10, 15]),
    _cat(r"\b(?:membership type|membership|membership level|membership tier)\b", ["basic", "standard", "premium"],
         [45, 35, 20]),
    _cat(r"\b(?:member type|user type|rider type|customer type)\b", ["member", "casual"], [70, 30]),
    _cat(r"\b(?:treatment arm|arm|cohort|study group|group)\b", ["placebo", "treatment"]),
    _cat(r"\b(?:side|direction|buy sell)\b", ["buy", "sell"]),
    _cat(r"\b(?:plan|tier|subscription plan|package|subscription)\b", D.PLANS, D.PLAN_W),
    _cat(r"\bsegment\b", ["consumer", "small business", "enterprise"], [70, 22, 8]),
    _cat(r"\b(?:device|device type|platform)\b", D.DEVICES, D.DEVICE_W),
    _cat(r"\b(?:os|operating system)\b", D.OS, [42, 28, 18, 9, 3]),
    _cat(r"\bbrowser\b", D.BROWSERS, [64, 19, 6, 4, 4, 3]),
    _cat(r"\b(?:condition|diagnosis|diagnose|disease|illness|medical condition)\b", D.CONDITIONS, D.CONDITION_W),
    _cat(r"\b(?:drug|medication|medicine|drug name)\b", D.DRUGS),
    _cat(r"\b(?:dosage|dose)\b", ["5", "10", "20", "25", "40", "50", "100", "250", "500"]),
    _cat(r"\b(?:outcome|result)\b", ["improved", "no change", "worsened"], [55, 35, 10]),
    _cat(r"\b(?:weather|conditions|sky)\b", D.WEATHER, D.WEATHER_W),
    _cat(r"\b(?:major|field of study)\b", D.MAJORS),
    _cat(r"\b(?:course|subject area|class name)\b", D.COURSES),
    _cat(r"\b(?:campaign|campaign name)\b", D.CAMPAIGNS),
    _cat(r"\b(?:dish|menu item|meal|entree|food item)\b", D.DISHES),
    _cat(r"\b(?:hobby|hobbies|interest|interests|pastime)\b", ["reading", "hiking", "cooking", "gaming", "photography",
                                                          "gardening", "music", "travel", "painting", "cycling"]),
    _cat(r"\b(?:sport|favou?rite sport)\b", ["football", "basketball", "tennis", "running", "swimming", "cycling",
                                              "baseball", "golf", "volleyball", "cricket"]),
    _cat(r"\b(?:pet|pet type|animal|species|favou?rite animal)\b", ["dog", "cat", "fish", "bird", "rabbit",
                                                                     "hamster", "reptile"], [38, 30, 10, 8, 6, 4, 4]),
    _cat(r"\b(?:food|favou?rite food|cuisine preference)\b", ["pizza", "sushi", "pasta", "burger", "tacos", "curry",
                                                              "salad", "ramen", "steak", "dumplings"]),
    _cat(r"\b(?:fruit|favou?rite fruit)\b", ["apple", "banana", "orange", "strawberry", "grape", "mango",
                                              "pineapple", "pear", "cherry", "watermelon"]),
    _cat(r"\b(?:drink|beverage|favou?rite drink)\b", ["coffee", "tea", "water", "juice", "soda", "beer", "wine",
                                                       "smoothie"]),
    _cat(r"\b(?:ethnicity|race)\b", ["White", "Hispanic or Latino", "Black", "Asian", "Two or more", "Other"],
         [58, 19, 12, 6, 3, 2]),
    _cat(r"\b(?:religion)\b", ["Christian", "None", "Muslim", "Hindu", "Buddhist", "Jewish", "Other"],
         [45, 28, 10, 6, 4, 2, 5]),
    _cat(r"\b(?:zodiac|star sign|horoscope)\b", ["Aries", "Taurus", "Gemini", "Cancer", "Leo", "Virgo", "Libra",
                                                 "Scorpio", "Sagittarius", "Capricorn", "Aquarius", "Pisces"]),
    _cat(r"\b(?:weather condition|season)\b", ["spring", "summer", "autumn", "winter"]),
    _cat(r"\b(?:day part|daypart|time of day category)\b", ["morning", "afternoon", "evening", "night"]),
    _cat(r"\b(?:insurance type|policy type|coverage)\b", D.INSURANCE_TYPES),
    _cat(r"\b(?:position)\b", D.SPORT_POSITIONS),
    _cat(r"\b(?:event type)\b", D.EVENT_TYPES),
    _cat(r"\b(?:property type|home type|housing type)\b", D.DEPTS_PROPERTY),
    _cat(r"\b(?:term|loan term)\b", ["12", "24", "36", "48", "60"], [10, 20, 35, 10, 25]),
    _cat(r"\bgrade\b", D.LETTER_GRADES, D.LETTER_GRADE_W),
    _cat(r"\b(?:shirt size|clothing size|t shirt size|garment size|apparel size)$", ["XS", "S", "M", "L", "XL", "XXL"],
         [5, 18, 30, 27, 14, 6]),
    _cat(r"\b(?:employment status|employment|employment type|work status)\b",
         ["employed", "self-employed", "unemployed", "student", "retired"], [62, 12, 8, 8, 10]),
    _cat(r"\b(?:decision|approval decision|approval status|application status|verdict)\b",
         ["approved", "rejected", "pending"], [60, 30, 10]),
    _r(r"\b(?:status|state of)\b", "category", values=["active", "inactive", "pending"], weights=[70, 20, 10]),
    # money
    _r(r"\b(?:salary|salaries|wage|income|compensation|annual pay|base pay)\b", "money",
       min=25000, max=250000, distribution="lognormal", mean=68000, decimals=0),
    _r(r"\b(?:gross pay|net pay|gross|net|take home|paycheck)\b", "money", min=1500, max=20000,
       distribution="lognormal", mean=4800),
    _r(r"\b(?:tax|taxes|vat)\b", "money", min=0, max=5000, distribution="lognormal", mean=350),
    _r(r"\b(?:balance|savings|net worth|assets)\b", "money", min=0, max=100000, distribution="lognormal", mean=8000),
    _r(r"\b(?:rent|monthly rent)\b", "money", min=400, max=6000, distribution="lognormal", mean=1500, decimals=0),
    _r(r"\b(?:house price|property price|home value|property value|sale price|asking price|listing price)\b",
       "money", min=50000, max=3000000, distribution="lognormal", mean=420000, decimals=0),
    _r(r"\b(?:price|unit price|cost|msrp|list price|unit cost|rate|nightly rate|daily rate|hourly rate)\b", "money",
       min=1, max=500, distribution="lognormal", mean=45),
    _r(r"\bfare\b", "money", min=3, max=150, distribution="lognormal", mean=22),
    _r(r"\btips?\b", "money", min=0, max=40, distribution="lognormal", mean=4),
    _r(r"\b(?:revenue|sales|spend|spending|turnover|profit|earnings|gmv|box office)\b", "money", min=10, max=50000,
       distribution="lognormal", mean=2500),
    _r(r"\b(?:lifetime value|ltv|clv|customer value)\b", "money", min=0, max=10000, distribution="lognormal", mean=900),
    _r(r"\b(?:deal size|deal value|deal amount|deal|contract value|opportunity value)\b", "money", min=500,
       max=250000, distribution="lognormal", mean=18000, decimals=0),
    _r(r"\b(?:mrr|monthly recurring revenue|subscription fee|monthly fee)\b", "money", min=0, max=5000,
       distribution="lognormal", mean=120),
    _r(r"\b(?:arr|annual recurring revenue|acv|contract value)\b", "money", min=0, max=500000,
       distribution="lognormal", mean=15000, decimals=0),
    _r(r"\b(?:budget|funding|grant|donation|investment|loan amount|loan|principal|credit limit|limit)\b", "money",
       min=100, max=100000, distribution="lognormal", mean=12000, decimals=0),
    _r(r"\b(?:premium|deductible|copay|claim amount|claim)\b", "money", min=50, max=20000, distribution="lognormal",
       mean=900),
    _r(r"\b(?:amount|total|subtotal|payment|fee|fees|charge|charges|bill|billing|invoice amount|value|cost basis|"
       r"refund|discount amount|shipping cost|shipping|expense|expenses|debt|owed|paid amount|order value|"
       r"basket|cart value|aov)\b", "money", min=1, max=2000, distribution="lognormal", mean=120),
    # numbers
    _r(r"\b(?:quantity|qty|quantities|units|unit count|units sold|number of items|items)\b", "quantity"),
    _r(r"\b(?:stock|on hand|in stock quantity|inventory level|stock level|reorder level|reorder point)\b",
       "integer", min=0, max=1000, distribution="lognormal", mean=120),
    _r(r"\b(?:rating|ratings|stars|star rating|review score|imdb rating)\b", "rating"),
    _r(r"\bcredit score\b", "integer", min=300, max=850, distribution="normal", mean=690, std=70),
    _r(r"\b(?:nps|nps score|net promoter)\b", "integer", min=0, max=10, distribution="normal", mean=7.5, std=2),
    _r(r"\b(?:satisfaction|csat|happiness|likert)\b", "integer", min=1, max=5, distribution="normal", mean=3.9, std=1),
    _r(r"\bgpa\b", "float", min=0, max=4, distribution="normal", mean=3.0, std=0.5, decimals=2),
    _r(r"\b(?:score|points|marks|mark|grade points|test score|exam score)\b", "integer", min=0, max=100,
       distribution="normal", mean=70, std=15),
    _r(r"\b(?:interest rate|apr|interest|yield|return)\b", "float", min=0.5, max=25, distribution="normal", mean=7,
       std=3.5, decimals=2),
    _r(r"\b(?:percent|pct|percentage|utili[sz]ation|usage|cpu|memory|mem|ram|battery|humidity|load|occupancy|"
       r"progress|completion|share|ctr|conversion rate|churn rate|defect rate|open rate|bounce rate|rate|"
       r"discount|margin|tax rate|probability|confidence)\b", "percent"),
    _r(r"\b(?:response time|latency|ping|load time|ttfb|rtt)\b", "float", min=1, max=5000, distribution="lognormal",
       mean=120, decimals=1),
    _r(r"\b(?:duration|minutes|seconds|hours|runtime|run time|length of stay|time spent|watch time|delay|"
       r"wait time|waiting time|call length|session length|dwell time|processing time|lead time|downtime|"
       r"minutes played|seconds played|played|listen time|tenure)\b", "duration"),
    _r(r"\b(?:mileage|odometer)\b", "integer", min=0, max=300000, distribution="lognormal", mean=60000),
    _r(r"\b(?:distance|km|kilometers|kilometres|miles|trip distance)\b", "float", min=0.5, max=40,
       distribution="lognormal", mean=5, decimals=1),
    _r(r"\b(?:weight|kg|mass|weight kg)\b", "float", min=0.1, max=50, distribution="lognormal", mean=4, decimals=2),
    _r(r"\b(?:height|cm|tall)\b", "float", min=150, max=200, distribution="normal", mean=172, std=9, decimals=1),
    _r(r"\b(?:temperature|temp|temperature c|celsius)\b", "float", min=-15, max=40, distribution="normal", mean=15,
       std=8, decimals=1),
    _r(r"\b(?:precipitation|rainfall|rain|snowfall|snow)\b", "float", min=0, max=100, distribution="exponential",
       mean=3, decimals=1),
    _r(r"\b(?:wind|wind speed|gust)\b", "float", min=0, max=120, distribution="lognormal", mean=14, decimals=1),
    _r(r"\b(?:pressure|air pressure|barometric pressure)\b", "float", min=950, max=1050, distribution="normal",
       mean=1013, std=8, decimals=1),
    _r(r"\b(?:voltage|volts)\b", "float", min=210, max=250, distribution="normal", mean=230, std=4, decimals=1),
    _r(r"\b(?:kwh|consumption|energy|power|usage kwh|generation|watts|load kw)\b", "float", min=0, max=10,
       distribution="lognormal", mean=1, decimals=3),
    _r(r"\b(?:square feet|square foot|sqft|sq ft|square footage|footage)\b", "float", min=300, max=6000, distribution="lognormal",
       mean=1600, decimals=0),
    _r(r"\b(?:size|area|sqm|square meters|square metres|square meter|surface|floor area|living area|m2)\b",
       "float", min=15, max=300, distribution="lognormal", mean=80, decimals=0),
    _r(r"\b(?:rooms|bedrooms|bathrooms|room count|beds|floors)\b", "integer", min=1, max=6, distribution="poisson",
       mean=2.5),
    _r(r"\b(?:disk|io|iops|throughput|bandwidth|network|disk io|mbps)\b", "float", min=0, max=500,
       distribution="lognormal", mean=40, decimals=1),
    _r(r"\b(?:goals|home goals|away goals|score home|score away)\b", "integer", min=0, max=7,
       distribution="poisson", mean=1.4),
    _r(r"\b(?:credits|credit hours|ects)\b", "integer", min=1, max=6, distribution="poisson", mean=3),
    _r(r"\b(?:refills)\b", "integer", min=0, max=5, distribution="poisson", mean=1.5),
    _r(r"\b(?:passengers|guests|occupants|party size|adults|children|kids|dependents|household size)\b",
       "integer", min=1, max=6, distribution="poisson", mean=1.8),
    _r(r"\b(?:pages|page count)\b", "integer", min=40, max=1200, distribution="normal", mean=320, std=110),
    _r(r"\bper (?:day|week|month|year|session|visit|user|order|customer)\b|\b(?:daily|weekly|monthly) "
       r"(?:visits|logins|sessions|orders|steps|calls|messages)\b", "integer", min=0, max=60,
       distribution="lognormal", mean=8),
    _r(r"\b(?:likes|shares|retweets|reposts|views|clicks|impressions|conversions|downloads|followers|"
       r"comments|votes|upvotes|visits|sessions|installs|plays|streams|listens|subscribers|pageviews|"
       r"visitors|signups|opens|tickets sold|tickets|attendance|attendees|applicants|enrolled|capacity|"
       r"seats|orders|purchases|transactions|reviews|review count|logins|calls|messages|count|counts|"
       r"frequency|occurrences|hits|errors|requests|steps|calories|units produced|produced|output)\b",
       "integer", min=0, max=10000, distribution="lognormal", mean=150),
    _r(r"\b(?:age group|age band|age range)\b", "category", values=["18-24", "25-34", "35-44", "45-54", "55-64",
                                                                     "65+"],
       weights=[14, 22, 20, 17, 14, 13]),
    _r(r"\b(?:year|years|model year|release year|published year|year built|fiscal year)\b", "year"),
    _r(r"\bmonth\b", "month"),
    _r(r"\b(?:weekday|day of week|day of the week|dow)\b", "weekday"),
    _r(r"\b(?:time of day|clock time)\b", "time"),
    # dates and times
    _r(r"\b(?:date time|datetime|date and time)\b", "datetime"),
    _r(r"\bdate\b", "date"),
    _r(r"\b(?:timestamp|datetime|date time|time|ts|seen|logged|pickup|dropoff|drop off|pick up|departure|arrival|"
       r"executed|started|ended|start|end|hour|login|last login|last active|last seen|occurred|event time|"
       r"checkin time|scheduled)\b|\bat$", "datetime"),
    _r(r"\b(?:date|day|created|updated|modified|published|publish|joined|signup|sign up|registered|hired|hire|"
       r"enrolled|enrollment|enrolment|due|shipped|delivered|ship|delivery|expiry|expiration|expires|deadline|"
       r"renewal|week|period|listing|posted|check in|check out|checkin|checkout|admission|discharge|"
       r"visit|appointment|purchase|issued|opened|closed|resolved|completed|cancelled date|incident|"
       r"effective|maturity|termination|graduation|release|release date|founded|birthday)\b", "date"),
    # booleans (after the rates: "churn rate" is a percentage)
    _r(r"^(?:is|has|was|can|did|should|will|needs|uses|accepts|allows) |\b(?:flag|done|active|fraud|fraudulent|"
       r"verified|skipped|skip|churned|churn|subscribed|unsubscribed|completed|passed|pass|paid|enabled|"
       r"disabled|returned|cancelled|canceled|approved|rejected|remote|roaming|premium member|vip|defaulted|"
       r"default|refunded|converted|clicked|opened email|bounced|smoker|insured|married|available|in stock|"
       r"sold|deleted|archived|flagged|on time|late|delayed|overdue|resolved flag|escalated|recommended|"
       r"recommend|attended|present|absent|success|successful|failed|failure|error flag|anomaly|outlier|"
       r"spam|bot|trial|promo|discounted|sponsored|featured|verified purchase|organic|public|private|"
       r"opt in|opted in|consent|newsletter|member|premium|senior|student discount|adverse event|"
       r"readmitted|admitted|vaccinated|alive|deceased|exited|attrition|left|retained|responded|"
       r"answered|missed|dropped|delivered flag|damaged|lost|won|win|winner flag|home win)\b", "boolean"),
    # text
    _r(r"\b(?:content|body|article|abstract|essay|transcript|story|post body|full text|description long)\b",
       "paragraph"),
    _r(r"\b(?:description|comment|comments|note|notes|review|review text|feedback|message|summary|text|bio|"
       r"caption|tweet|post text|post|reason|remarks|answer|response text|query|question|complaint|symptoms|"
       r"instructions|slogan|tagline|excerpt)\b", "sentence"),
    _r(r"\b(?:title|headline|subject|episode|track|song|album|book|movie|film|show|podcast|event name|"
       r"event|project|project name|product title|course title|session title|talk|chapter|playlist|"
       r"game|app|app name|recipe|exhibit)\b", "title"),
    # internet
    _r(r"\b(?:url|website|link|homepage|web page|webpage|referrer|referer|landing page url|image url)\b", "url"),
    _r(r"\b(?:user agent|useragent|ua)\b", "user_agent"),
    _r(r"\b(?:domain|hostname|domain name)\b", "domain_name"),
    _r(r"\b(?:host|server|node|instance|machine|pod|container)\b", "code", pattern="srv-%##"),
    _r(r"\b(?:path|endpoint|route|uri|page|landing page|page path)\b", "uri_path"),
    _r(r"\b(?:colou?r|favou?rite colou?r|eye colou?r|hair colou?r)\b", "color"),
    _r(r"\bhex\b", "hex_color"),
    _r(r"\b(?:file|filename|file name|attachment)\b", "file_name"),
    _r(r"\b(?:mime|content type|mime type)\b", "mime_type"),
    _r(r"\b(?:product|item|product name|item name|article name|goods|merchandise|sku name)\b", "product_name"),
    _r(r"\b(?:" + _NAME_WORDS + r")\b", "full_name"),
    _r(r"\b(?:category|categories|product category|department category)\b", "product_category"),
    _cat(r"\b(?:type|kind|class|level|zone|tier|band|bucket|label|group|variant)\b", ["A", "B", "C"]),
    _r(r"\b(?:word|tag|tags|keyword|keywords|hashtag|topic|color name|nickname)\b", "word"),
]

# Measures: unknown names that still mean a number.
_MEASURE = re.compile(r"\b(?:diameter|width|depth|length|radius|volume|speed|velocity|density|ratio|index|"
                      r"amount|total|sum|average|avg|mean|median|min|max|population|frequency|angle|altitude|"
                      r"elevation|level|size|magnitude|intensity|concentration|dose|reading|measurement|value|"
                      r"quantity|number|num|count|weight|mass|score|rate|duration|capacity|temperature|"
                      r"distance|budget|cost|price|balance|pressure|energy|power|efficiency|yield|strength|"
                      r"metric|kpi|estimate|forecast|target|threshold|limit|offset|delta|change|growth)\b")
_COUNT_HINT = re.compile(r"^(?:number of|num|n|count of|no of|total) |\b(?:count|num|number)$")


def infer(name: str) -> tuple[str, dict[str, Any], str]:
    """(type, params, how) for a column called ``name``; how is 'rule', 'fuzzy' or 'guess'."""
    key = meaning_key(name)
    hit = _rule_for(key)
    if hit is not None:
        return hit[0], hit[1], "rule"
    fixed = _fuzzy_key(key)
    if fixed != key:
        hit = _rule_for(fixed)
        if hit is not None:
            return hit[0], hit[1], "fuzzy"
    if _COUNT_HINT.search(key):
        return "integer", {"min": 0, "max": 1000, "distribution": "lognormal", "mean": 40}, "guess"
    if _MEASURE.search(key):
        return "float", {"min": 0, "max": 1000, "distribution": "lognormal", "mean": 100, "decimals": 2}, "guess"
    if key.endswith("ed") and " " not in key:
        return "boolean", {"p_true": 0.5}, "guess"
    return "word", {}, "guess"


@lru_cache(maxsize=4096)
def _rule_cached(key: str) -> tuple[str, tuple[tuple[str, Any], ...]] | None:
    for rule in RULES:
        m = rule.pattern.search(key)
        if m:
            params: tuple[tuple[str, Any], ...] = rule.params
            if rule.type == "code" and not params:
                entity = m.group(1).split()[-1]
                prefix = _ID_PREFIX.get(singular(entity), singular(entity)[:3].upper())
                params = (("pattern", f"{prefix}-######"),)
            return rule.type, params
    return None


def _rule_for(key: str) -> tuple[str, dict[str, Any]] | None:
    hit = _rule_cached(key)
    if hit is None:
        return None
    return hit[0], {k: (list(v) if isinstance(v, list) else v) for k, v in hit[1]}


@lru_cache(maxsize=1)
def vocabulary() -> tuple[str, ...]:
    """Every word the rules and domains know, for typo correction."""
    found: set[str] = set()
    for rule in RULES:
        found.update(w for w in re.findall(r"[a-z]{4,}", rule.pattern.pattern))
    for dom in D.DOMAINS:
        for kw in dom.keywords:
            found.update(w for w in words(kw) if len(w) >= 4)
        for col in dom.columns:
            found.update(w for w in col.name.split("_") if len(w) >= 4)
    return tuple(sorted(found))


@lru_cache(maxsize=4096)
def correct(word: str) -> str:
    """A known word for a typo ('adress' → 'address'), or the word itself."""
    if len(word) < 4 or word in _vocab_set() or singular(word) in _vocab_set():
        return word
    # Typos keep their first letter ('adress', 'emial'); 'history' is not a misspelt 'story'.
    close = difflib.get_close_matches(word, [v for v in vocabulary() if v[0] == word[0]], n=1, cutoff=0.8)
    return close[0] if close else word


@lru_cache(maxsize=1)
def _vocab_set() -> frozenset[str]:
    return frozenset(vocabulary())


def _fuzzy_key(key: str) -> str:
    return " ".join(correct(w) for w in key.split())


# ------------------------------------------------------------ constraints

_SHARE = re.compile(
    r"(?:about|around|roughly|approximately|approx\.?|~|some|nearly|almost|only|just)?\s*(\d+(?:\.\d+)?)\s*"
    r"(?:%|percent\b)\s*(?:of\s+(?:the\s+)?(?:them|rows|records|users|customers|people|entries|cases|"
    r"transactions|orders|employees|patients|students|which|these|those|all)\s+)?"
    r"(?P<neg>(?:have|has|with|had)\s+no|have\s+not|without|missing|lack(?:ing)?|(?:are|is)\s+missing|"
    r"(?:do|does|did)\s+not\s+have|have\s+an?\s+empty|(?:are|is|were|being|have|has|with|of\s+which\s+are|"
    r"marked(?:\s+as)?|flagged(?:\s+as)?))?\s*(?:an?\s+|the\s+|their\s+)?(?P<word>[a-z_-]+)(?:\s+(?P<word2>[a-z_]+))?",
    re.I,
)
_SHARE_AFTER = re.compile(r"\b(?P<word>[a-z_]+)\s+(?:flag\s+)?(?:that\s+is\s+|which\s+is\s+|is\s+)?(?:true|set|yes|on)\s+"
                          r"(?:for|in)\s+(?:about|around|roughly|approximately|~)?\s*(\d+(?:\.\d+)?)\s*%")
_SHARE_SKIP = {"of", "the", "and", "or", "to", "in", "on", "for", "off", "more", "less", "than", "discount",
               "chance", "probability", "increase", "decrease", "growth", "rate", "tax", "vat", "margin"}
_GENERIC_NOUNS = {"member", "members", "user", "users", "customer", "customers", "people", "account", "accounts",
                  "rows", "records", "row", "record", "client", "clients", "ones", "case", "cases", "of"}


def shares(lower: str) -> list[tuple[str, str, float]]:
    """('null'|'true', column word, share) for '30% have no phone', 'about 2% fraud'."""
    out = []
    for m in _SHARE.finditer(lower):
        value = float(m.group(1)) / 100
        word = (m.group("word") or "").strip("-")
        if not 0 <= value <= 1 or not word or word in _SHARE_SKIP:
            continue
        neg = (m.group("neg") or "").lower()
        kind = "null" if re.search(r"\bno\b|without|missing|lack|not|empty", neg) else "true"
        word2 = m.group("word2") or ""
        if kind == "null" and word2 and word2 not in _GENERIC_NOUNS and word2 not in ("and", "or", "in", "at"):
            word = f"{word}_{word2}" if word2 in ("number", "address", "name", "date", "id") else word
        out.append((kind, word, value))
    for m in _SHARE_AFTER.finditer(lower):
        out.append(("true", m.group("word"), float(m.group(2)) / 100))
    for m in _NULL_AFTER.finditer(lower):
        out.append(("null", m.group("word"), float(m.group(2)) / 100))
    for m in _RATE_OF.finditer(lower):
        out.append(("true", m.group("word"), float(m.group(2)) / 100))
    return out


_NULL_AFTER = re.compile(r"\b(?P<word>[a-z_]+)\s+(?:is\s+|are\s+)?(?:missing|empty|null|blank|unknown|not\s+given)\s+"
                         r"(?:for|in)\s+(?:about|around|roughly|approximately|~)?\s*(\d+(?:\.\d+)?)\s*%")
_RATE_OF = re.compile(r"\b(?P<word>[a-z_]+)\s+(?:rate|share|ratio|percentage|prevalence)\s+(?:of\s+|is\s+|at\s+|around\s+|"
                      r"about\s+|~\s*)*(\d+(?:\.\d+)?)\s*%")


_VERB_TARGET = {"priced": "price", "costing": "price", "costs": "price", "cost": "price", "lasting": "duration",
                "taking": "duration", "weighing": "weight", "earning": "salary", "earn": "salary", "paid": "salary",
                "hired": "hire", "born": "birth", "joined": "signup", "signed": "signup", "created": "created",
                "rated": "rating", "scoring": "score", "scored": "score", "sized": "size", "spending": "spend",
                "aged": "age", "worth": "value", "valued": "value"}


def global_ranges(lower: str) -> list[tuple[list[str], float | None, float | None, str, tuple[str, str] | None]]:
    """Ranges written in running text: (candidate column words nearest first, lo, hi, the words, unit)."""
    out = []
    taken: list[tuple[int, int]] = []
    for pattern in (*_RANGES, _LOWER, _UPPER):
        for m in pattern.finditer(lower):
            if any(a <= m.start() < b or a < m.end() <= b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            if pattern in _RANGES:
                lo, hi = _number(m.group(1)), _number(m.group(2))
                lo, hi = (lo, hi) if lo <= hi else (hi, lo)
            elif pattern is _LOWER:
                lo, hi = _number(m.group(1)), None
            else:
                lo, hi = None, _number(m.group(1))
            before = words(lower[max(0, m.start() - 60):m.start()])[-4:]
            before = [w for w in reversed(before) if w not in ("a", "an", "the", "of", "is", "are", "with", "and",
                                                               "in", "that", "which", "range", "between", "from")]
            cands = [_VERB_TARGET.get(w, w) for w in before]
            after = _UNIT_AFTER.match(lower, m.end())
            unit = unit_of(after.group(1)) if after else None
            out.append((cands, lo, hi, m.group(0).strip(), unit))
    return out


AGES = re.compile(r"\b(?:aged|ages?|age range|between the ages of|from the ages of)\s+(?:of\s+)?(?:between\s+|from\s+)?"
                   r"(\d{1,3})\s*(?:-|–|to|and)\s*(\d{1,3})\b|\baged\s+(?:over|above|at least)\s+(\d{1,3})\b|"
                   r"\baged\s+(?:under|below)\s+(\d{1,3})\b|\b(\d{1,3})\s*(?:-|–|to)\s*(\d{1,3})[- ]year[- ]olds?\b")


def age_range(lower: str) -> tuple[int | None, int | None, str] | None:
    """'aged 30 to 60', 'ages 18-25', 'aged over 65', '20-30 year olds' → (lo, hi, words)."""
    m = AGES.search(lower)
    if not m:
        return None
    g = m.groups()
    if g[0]:
        return int(g[0]), int(g[1]), m.group(0)
    if g[2]:
        return int(g[2]), 100, m.group(0)
    if g[3]:
        return 0, int(g[3]), m.group(0)
    return int(g[4]), int(g[5]), m.group(0)


_MONTHS = {m: i for i, m in enumerate(("january", "february", "march", "april", "may", "june", "july", "august",
                                       "september", "october", "november", "december"), 1)}


def time_window(lower: str) -> tuple[str, str, str] | None:
    """(start, end, the words) for 'in 2024', 'last 90 days', 'from 2020 to 2022', 'since 2021'."""
    m = re.search(r"\b(?:from|between)\s+((?:19|20)\d{2})\s*(?:to|and|-|–|until|through)\s*((?:19|20)\d{2})\b", lower)
    if m:
        return f"{m.group(1)}-01-01", f"{m.group(2)}-12-31", m.group(0)
    m = re.search(r"\b(?:in|for|during|of|from|throughout)\s+(?:the\s+year\s+)?(" + "|".join(_MONTHS) +
                  r")\s+((?:19|20)\d{2})\b", lower)
    if m:
        month, year = _MONTHS[m.group(1)], int(m.group(2))
        days = [31, 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28, 31, 30, 31, 30, 31, 31,
                30, 31, 30, 31][month - 1]
        return f"{year}-{month:02d}-01", f"{year}-{month:02d}-{days:02d}", m.group(0)
    m = re.search(r"\b(?:in|for|during|of|from|throughout)\s+(?:the\s+year\s+|fy\s*)?((?:19|20)\d{2})\b"
                  r"(?!\s*(?:-|–|to)\s*\d)", lower)
    if m:
        return f"{m.group(1)}-01-01", f"{m.group(1)}-12-31", m.group(0)
    m = re.search(r"\bq([1-4])\s+((?:19|20)\d{2})\b", lower)
    if m:
        q, year = int(m.group(1)), m.group(2)
        ends = {1: "03-31", 2: "06-30", 3: "09-30", 4: "12-31"}
        return f"{year}-{3 * q - 2:02d}-01", f"{year}-{ends[q]}", m.group(0)
    m = re.search(r"\bsince\s+((?:19|20)\d{2})\b", lower)
    if m:
        return f"{m.group(1)}-01-01", "today", m.group(0)
    m = re.search(r"\b(?:last|past|previous|recent)\s+(\d+)\s+(day|week|month|year)s?\b", lower)
    if m:
        unit = {"day": "d", "week": "w", "month": "m", "year": "y"}[m.group(2)]
        return f"today-{m.group(1)}{unit}", "today", m.group(0)
    m = re.search(r"\b(?:last|past|previous)\s+(day|week|month|year|quarter)\b", lower)
    if m:
        span = {"day": "1d", "week": "1w", "month": "1m", "year": "1y", "quarter": "3m"}[m.group(1)]
        return f"today-{span}", "today", m.group(0)
    m = re.search(r"\b(?:this|current)\s+year\b", lower)
    if m:
        return "today-1y", "today", m.group(0)
    return None


_STEP = re.compile(r"\b(?:every|each|per|once (?:a|an|per|every))\s+(\d+\s*)?(second|sec|minute|min|hour|day|week)s?\b"
                   r"|\b(minutely|hourly)\b(?=.*\b(?:reading|readings|series|measurement|measurements|sample|"
                   r"samples|tick|ticks|log|logs|metric|metrics|price|prices)\b)")
_STEP_UNIT = {"second": "s", "sec": "s", "minute": "min", "min": "min", "hour": "h", "day": "d", "week": "w",
              "minutely": "min", "hourly": "h"}


def step(lower: str) -> tuple[str, str] | None:
    """('1min', words) for 'every minute', 'every 5 minutes', 'hourly readings'."""
    m = _STEP.search(lower)
    if not m:
        return None
    if m.group(3):
        return f"1{_STEP_UNIT[m.group(3)]}", m.group(0)
    n = int(m.group(1)) if m.group(1) else 1
    return f"{n}{_STEP_UNIT[m.group(2)]}", m.group(0)


_GLOBAL_CURRENCY = re.compile(r"\b(?:in|priced in|paid in|amounts? in|denominated in)\s+(eur|euros?|usd|us dollars?|"
                              r"dollars?|gbp|pounds sterling|jpy|yen|chf|cad|aud|inr|rupees?|brl|mxn|cny|krw|sek|nok|"
                              r"dkk|pln|try|zar|nzd|sgd|hkd|czk|huf|ils|thb|aed)\b|[€£¥]", re.I)


def global_currency(lower: str) -> str | None:
    m = _GLOBAL_CURRENCY.search(lower)
    if not m:
        return None
    u = unit_of(m.group(0))
    return u[1] if u and u[0] == "currency" else None


# (earlier name prefixes, later name prefixes, gap for a date column, gap for a datetime column)
DATE_ORDER: list[tuple[tuple[str, ...], tuple[str, ...], tuple[str, str], tuple[str, str]]] = [
    (("order",), ("ship", "dispatch"), ("0d", "5d"), ("1h", "3d")),
    (("ship", "dispatch"), ("deliver", "arriv", "receiv"), ("1d", "8d"), ("12h", "7d")),
    (("order", "purchase"), ("deliver", "arriv", "receiv"), ("1d", "14d"), ("20min", "90min")),
    (("pickup", "pick_up"), ("dropoff", "drop_off"), ("0d", "0d"), ("3min", "75min")),
    (("check_in", "checkin"), ("check_out", "checkout"), ("1d", "14d"), ("1d", "14d")),
    (("departure", "depart"), ("arrival", "arrive"), ("0d", "1d"), ("45min", "14h")),
    (("admission", "admit"), ("discharge",), ("0d", "21d"), ("4h", "21d")),
    (("incident", "accident", "loss"), ("claim", "report"), ("0d", "30d"), ("1h", "30d")),
    (("created", "opened", "submitted", "reported", "raised"), ("first_response",), ("0d", "2d"), ("5min", "8h")),
    (("created", "opened", "submitted", "reported", "raised"), ("resolved", "closed", "completed", "updated",
                                                                  "fixed"),
     ("0d", "14d"), ("15min", "5d")),
    (("signup", "sign_up", "registered", "joined", "created", "account_created"), ("last_login", "last_active",
                                                                                   "last_seen", "last_order",
                                                                                   "churn"),
     ("0d", "700d"), ("1h", "700d")),
    (("start", "begin", "started"), ("end", "finish", "stop", "ended", "finished", "completed", "stopped"),
     ("1d", "60d"), ("5min", "3h")),
    (("call_start",), ("call_end",), ("0d", "0d"), ("10s", "1h")),
    (("hire", "hired", "join"), ("termination", "exit", "left", "resign"), ("60d", "2000d"), ("60d", "2000d")),
    (("invoice", "issue", "issued", "billing", "bill"), ("due", "payment", "paid"), ("14d", "45d"), ("14d", "45d")),
    (("application", "applied", "submitted"), ("decision", "approval", "approved", "funded", "disbursed"),
     ("1d", "30d"), ("1h", "30d")),
    (("listing", "listed"), ("sold", "sale", "closing"), ("7d", "150d"), ("7d", "150d")),
    (("posted", "published"), ("closing", "expires", "expiry", "deadline"), ("14d", "60d"), ("14d", "60d")),
    (("enrollment", "enrolment", "enrolled"), ("completion", "completed", "graduation", "dropout", "withdrawal"),
     ("30d", "1400d"), ("30d", "1400d")),
    (("incident", "accident"), ("report", "reported"), ("0d", "5d"), ("10min", "5d")),
    (("request", "requested"), ("response", "responded", "approved"), ("0d", "7d"), ("1s", "2h")),
    (("prescribed",), ("dispensed", "filled"), ("0d", "3d"), ("10min", "3d")),
    (("treatment", "visit", "appointment"), ("follow_up", "followup"), ("7d", "60d"), ("7d", "60d")),
    (("birth", "born"), ("death", "died"), ("7000d", "36000d"), ("7000d", "36000d")),
    (("start",), ("renewal", "expiry", "expiration"), ("30d", "365d"), ("30d", "365d")),
]
