"""What the offline planner knows about words: locales, row counts, column lists,
name → type rules, and the constraints written beside a column (ranges, shares,
enumerations, units, time windows).

Everything here is plain data and small pure functions over lower-cased text; nothing
here looks anything up by a name that came from the user.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from . import _knowledge as K
from ._words import WORD, Fuzzy, singular, singular_text, words

__all__ = [
    "AGES", "CONTEXT", "COUNT_NOUNS", "date_order", "LOCALE_WORDS", "Parts", "Phrase",
    "WORD", "age_range", "column_name", "correct", "detect_locale", "detect_rows",
    "enumeration", "global_currency", "global_ranges", "infer", "meaning_key", "number_range",
    "parse_phrase", "shares", "singular", "singular_text", "split_description", "split_list",
    "step", "time_window", "unit_of", "vocabulary", "words",
]

# ------------------------------------------------------------------ words

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
    "bytes", "milliseconds", "hits", "walks", "engines", "listings", "books", "packets", "additions", "deletions",
    "forks", "absences", "failures", "pregnancies", "applications", "arrests", "births", "cases", "admissions", "enrollments", "outs", "strikeouts", "homers", "touchdowns", "yards", "tackles",
    "interceptions", "blocks", "turnovers", "wickets", "boundaries", "sixes", "fours",
    # people counted on a row (hotel bookings' adults, Rossmann's customers per day)
    "adults", "infants", "babies", "customers", "clients", "patients", "students", "workers", "residents",
    "households", "persons", "occupants", "riders", "spectators", "casualties", "injuries", "fatalities",
    # events and acts counted on a row (a route's stops, a prescriber's claims and fills, a city's complaints)
    "stops", "claims", "fills", "prescriptions", "doses", "beneficiaries", "complaints", "violations",
    "incidents", "accidents", "crashes", "collisions", "readmissions", "discharges", "infections",
    "hospitalizations", "vaccinations", "tests", "takers", "citations", "inspections", "donations",
}
# First words that make a name a count whatever its plural ('total claims', 'num reviews'):
# the plural stays, as the real tables write it (Tot_Clms, TotalCharges → total_charges).
_COUNT_LEADS = {"total", "num", "count", "n"}


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
    clause: str = ""  # "where age is over 60" before a colon list: constraints, not columns


def split_description(text: str) -> Parts:
    """Separate the subject from an explicit column list, in any common phrasing."""
    text = text.strip().rstrip(".!")
    where = re.search(r"(?:,\s*|\s+)(?:where|whereby|such that|so that)\b", text, re.I)
    m = _MARKER.search(text, 0, where.start() if where else len(text))
    if m is None and where is not None:  # "patients where age is over 60: name, email, phone"
        colon = text.find(":", where.end())
        if colon > 0 and text[colon + 1:].strip():
            clause = text[where.start():colon]
            parts = _parts(text[:where.start()], text[colon + 1:], "colon")
            parts.clause = clause.strip(" ,")
            return parts
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
    re.compile(r"\([^)]*\)|\[[^\]]*\]|\{[^}]*\}"),
    re.compile(r"\b(?:between|from)\s+[$€£]?\d[\d.]*(?:,\d{3})*\w*\s+(?:and|to)\s+[$€£]?\d[\d.]*(?:,\d{3})*\w*", re.I),
    re.compile(r"\bone of\s+[\w$€£&'+.-]+(?:\s*,\s*[\w$€£&'+.-]+)*(?:\s*,?\s*or\s+[\w$€£&'+.-]+)?", re.I),
    # "one of a, b or c", "status is a, b or c": an enumeration; "years of service, sex and
    # salary" is three columns ("of ... and" lists columns, "of ... or" lists values)
    re.compile(r"\b(?:of|either)\s+(?:[\w$€£&'+-]+\s*,\s*)+[\w$€£&'+-]+\s*,?\s*or\s+[\w$€£&'+-]+", re.I),
    re.compile(r"\b(?:is|are|being|as|like)\s+(?:[\w$€£&'+-]+\s*,\s*)+[\w$€£&'+-]+\s*,?\s*(?:or|and)\s+"
               r"[\w$€£&'+-]+", re.I),
    re.compile(r"\b(?:of|either)\s+[\w$€£&'+-]+\s+or\s+[\w$€£&'+-]+", re.I),
]
_SPLIT = re.compile(r"\s*(?:;|,(?!\d{3}(?!\d)))\s*(?:and\s+|or\s+|plus\s+|as well as\s+)?|\s+(?:and|plus|as well as|&)\s+(?=[\w$\"'`])",
                    re.I)


def _value_ends(head: str) -> bool:
    """Whether the last word of ``head`` may be the first of a list of values ('room type single'
    of 'room type single, double or suite'), not part of the column's name: a word that ends
    names ('order id') or that changes what the name means ('speed limit', 'start lng') is not."""
    ws = head.split()
    if ws[-1].lower() in _NAME_ENDS:
        return False
    whole, rest = K.match_concept(meaning_key(head)), K.match_concept(meaning_key(" ".join(ws[:-1])))
    return whole is None or (rest is not None and rest[0] is whole[0])


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
            head_ok = j > 0 and len(out[j - 1].split()) >= 2 and _value_ends(out[j - 1])
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
    # a scale said whole ('on a 0-100 scale', 'on a scale of 1 to 10'): its words leave the name too
    re.compile(rf"\b(?:on|in)\s+an?\s+({_NUM})\s*(?:-|–|to)\s*({_NUM})(?:\s*point)?\s+scale\b", re.I),
    re.compile(rf"\b(?:on|in)\s+an?\s+scale\s+(?:of|from)\s+({_NUM})\s*(?:-|–|to)\s*({_NUM})", re.I),
    re.compile(rf"\b(?:between|from)\s+{_CUR}({_NUM})\s*(?:and|to|-|–)\s*{_CUR}({_NUM})", re.I),
    re.compile(rf"\(\s*{_CUR}({_NUM})\s*(?:-|–|to|\.\.)\s*{_CUR}({_NUM})\s*\)", re.I),
    re.compile(rf"(?<![\w./-]){_CUR}({_NUM})\s*(?:-|–|to|\.\.)\s*{_CUR}({_NUM})(?![\w./-])", re.I),
]
_LOWER = re.compile(rf"(?:\b(?:over|above|more than|at least|greater than|min(?:imum)?(?: of)?|no less than|"
                    rf"starting at|from)\s+|>=?\s*){_CUR}({_NUM})", re.I)
_UPPER = re.compile(rf"(?:\b(?:under|below|less than|at most|up to|max(?:imum)?(?: of)?|no more than|"
                    rf"not more than|within)\s+|<=?\s*){_CUR}({_NUM})", re.I)


# 'rating out of 10': a score's top; its bottom is 1 on a short scale (stars 1-5, IMDb 1-10)
# and 0 on a long one (a score out of 100) or a fraction's (out of 1).
_OUT_OF = re.compile(rf"\bout\s+of\s+({_NUM})(?!\s*(?:%|percent|people|cases|patients|students|games|matches|"
                     rf"attempts|shots|tries|trials|points possible))\b", re.I)


def number_range(phrase: str) -> tuple[float | None, float | None, str]:
    """(lo, hi, the text that said so) for 'between 5 and 500', '0-100', 'over $100', 'out of 10'."""
    m = _OUT_OF.search(phrase)
    if m:
        top = _number(m.group(1))
        if top > 0:
            return (1.0 if 2 <= top <= 10 else 0.0), top, m.group(0)
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


_SLASH = re.compile(r"(?<![\w/|])([A-Za-z0-9$€£+&-]{1,24}(?:\s*[/|]\s*[A-Za-z0-9$€£+&-]{1,24})+)(?![\w/|])")
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
        values = [v.strip() for v in re.split(r"[/|]", m.group(1)) if v.strip()]
        if len(values) >= 2 and len(set(values)) == len(values):
            return values, (p[:m.start()] + p[m.end():]).strip()
    m = re.search(r"\(\s*([^()]+?,[^()]+?)\s*\)|\[\s*([^\[\]]+?,[^\[\]]+?)\s*\]|\{\s*([^{}]+?,[^{}]+?)\s*\}", p)
    inside = next((g for g in m.groups() if g), "") if m else ""
    if m and not re.search(r"\d\s*(?:-|to)\s*\d", inside):
        items = _items(inside)
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
    (re.compile(r"\bkwh_hh\b", re.I), "energy", "kWh/hh"),  # a smart meter's half-hourly reading
    (re.compile(r"\b(?:kwh|kilowatt[- ]hours?)\b", re.I), "energy", "kWh"),
    (re.compile(r"\b(?:kg|kgs|kilograms?|kilos?)\b", re.I), "mass", "kg"),
    (re.compile(r"\b(?:mg|milligrams?)\b", re.I), "mass", "mg"),
    (re.compile(r"\b(?:grams?|g)\b", re.I), "mass", "g"),
    (re.compile(r"\b(?:lbs?|pounds)\b(?!\s+sterling)", re.I), "mass", "lb"),
    (re.compile(r"\b(?:km/h|kmh|kph|(?:km|kilomet(?:er|re)s?) (?:per|an|/) ?hour)\b", re.I), "speed", "km/h"),
    (re.compile(r"\bmiles? (?:per|an|/) ?hour\b", re.I), "speed", "mph"),
    (re.compile(r"\b(?:m/s|mps|met(?:er|re)s per second)\b", re.I), "speed", "m/s"),
    (re.compile(r"\b(?:knots?|kts?)\b", re.I), "speed", "knots"),
    (re.compile(r"\b(?:ppm|parts per million)\b", re.I), "concentration", "ppm"),
    (re.compile(r"\b(?:lux|lx)\b", re.I), "light", "lux"),
    (re.compile(r"\b(?:hpa|hectopascals?|mbar|millibars?)\b", re.I), "pressure", "hPa"),
    (re.compile(r"\b(?:mmhg|mm hg)\b", re.I), "pressure", "mmHg"),
    (re.compile(r"\bcents?\b", re.I), "minor", "cents"),
    (re.compile(r"\b(?:mph)\b", re.I), "speed", "mph"),
    (re.compile(r"\b(?:km|kms|kilomet(?:er|re)s?)\b", re.I), "length", "km"),
    (re.compile(r"\b(?:miles?|mi)\b", re.I), "length", "miles"),
    (re.compile(r"\b(?:mm|millimet(?:er|re)s?)\b(?!\s*hg)", re.I), "length", "mm"),
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
_PER_HALF_HOUR = re.compile(r"\bkwh\s*(?:/\s*hh|per\s+half[- ]?hour|/\s*half[- ]?hour)\b", re.I)
_IN_UNIT = re.compile(r"\s*\b(?:in|as|measured in|expressed in)\s+(?:the\s+)?([^\s,;()]+(?:\s+[^\s,;()]+)?)", re.I)
_MONTH_IN_PHRASE = re.compile(r"\s*\b(?:in|during|for|from|of)\s+(?:the\s+month\s+of\s+)?(january|february|march|april|may|"
                              r"june|july|august|september|october|november|december)\s+((?:19|20)\d{2})\b", re.I)
_WINDOW_IN_PHRASE = re.compile(r"\s*\b(?:in|during|for|from|of|since|after)\s+((?:19|20)\d{2})\b"
                               r"(?:\s*(?:-|to|and)\s*((?:19|20)\d{2}))?", re.I)


# "sales in millions", "population (thousands)", "revenue in billions of dollars": the
# magnitude the figures are counted in, beside any unit.
_MAGNITUDE = re.compile(r"\s*(?:\bin\s+(?:the\s+)?)?\(?\b(thousands|millions|billions)\b\)?"
                        r"(?:\s+of\s+((?:us\s+)?[^\s,;()]+))?", re.I)
MAGNITUDES = {"thousands": 1e3, "millions": 1e6, "billions": 1e9}

# "crime rate per 100,000 (people)", "births per 1,000": a rate on that scale.
_PER_SCALE = re.compile(r"\s*\bper\s+(100[,. ]?000|100k|hundred thousand|1[,. ]?000|1k|thousand)\b"
                        r"(?:\s+(?:people|persons|population|residents|inhabitants|live births|births|capita))?", re.I)


def per_scale(text: str) -> tuple[str, str] | None:
    """('scale', 'per 100000') for 'per 100,000 people', ('scale', 'per 1000') for 'per 1k'."""
    m = _PER_SCALE.search(text)
    if not m:
        return None
    big = re.sub(r"[,. ]", "", m.group(1).lower()) in ("100000", "100k", "hundredthousand")
    return "scale", "per 100000" if big else "per 1000"


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
    flag: bool = False  # said "X flag" / "X indicator": a flag, whatever X alone would mean
    magnitude: str | None = None  # "sales in millions": the figures counted in thousands, millions, billions
    per: str | None = None  # "drivers in fatal collisions per billion miles": the rate's denominator ('billion miles')
    yes_no: str | None = None  # "class (fraud or not)", "smoker (yes/no)": a flag; the word it says yes to ('fraud'), or ''


_LEAD_FILLER = re.compile(r"^(?:(?:a|an|the|their|its|his|her|our|my|some|each|every|all|any|optional|"
                          r"also|plus|with|and|including|whether|if|how|many|much|what|they|it|he|she|we|you|"
                          r"them|were|was|are|is|has|have|had|do|does|did|got|get|gets)\s+)+", re.I)
_TRAIL_FILLER = re.compile(r"(?:\s+(?:flag|indicator|field|column|data|info|information|details?|"
                           r"list|fields|columns|boolean|bool|yes/no|true/false|attribute|"
                           r"in which|that|which|if any))+$", re.I)
_IS_HAS = re.compile(r"^(?:(?:whether|if)\s+(?:they|he|she|it|the \w+)?\s*)?(?:is|are|has|have|was|were|had)\s+"
                     r"(?!(?:a|an|the|no|many|much|several|some|\d+|how|what|number|count|total)\b)\w+(?:\s+\w+)?$", re.I)
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
    mw = _MONTH_IN_PHRASE.search(text)
    w = None if mw else _WINDOW_IN_PHRASE.search(text)
    if mw:  # "reservation time in december 2025"
        start, end, _ = time_window(mw.group(0).strip().lower())  # type: ignore[misc]
        ph.window = (start, end)
        text = (text[:mw.start()] + text[mw.end():]).strip()
    if w:
        open_ended = re.match(r"\s*(?:since|after)", w.group(0), re.I) and not w.group(2)
        ph.window = (f"{w.group(1)}-01-01", "today" if open_ended else f"{w.group(2) or w.group(1)}-12-31")
        text = (text[:w.start()] + text[w.end():]).strip()
    if _OVER_AGE.fullmatch(text) or _OR_MORE.fullmatch(text):
        # 'over 18', 'under 21', 'age 80 or older', '3 or more children' alone: a yes/no about the
        # row (Reddit's over_18, Medpar's age80), not a range nor two values
        ph.yes_no, ph.head = "", text
        return ph
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
    yes_no = _YES_NO.search(text)
    if yes_no:  # 'class (fraud or not)', 'smoker (yes/no)', 'senior or not': a yes/no, whatever the noun alone is
        ph.yes_no = (yes_no.group("what") or yes_no.group("bare") or "").lower()
        keep = yes_no.group("bare") or ""
        text = re.sub(r"\s+", " ", f"{text[:yes_no.start()]} {keep} {text[yes_no.end():]}").strip()
    enum = None if yes_no else enumeration(text)
    if enum:
        ph.values, text = enum[0], enum[1]
    mag = _MAGNITUDE.search(text)
    if mag and mag.start() > 0:  # 'thousands of visitors' alone is no magnitude of a named column
        ph.magnitude = mag.group(1).lower()
        of = unit_of(mag.group(2)) if mag.group(2) else None  # 'in millions of dollars': the unit too
        end = mag.end() if of else mag.end(1) + (1 if text[mag.end(1):mag.end(1) + 1] == ")" else 0)
        text = (text[:mag.start()] + " " + text[end:]).strip()
        ph.unit = ph.unit or of
    scale = _PER_SCALE.search(text)
    if scale:
        ph.unit = per_scale(scale.group(0))
        text = (text[:scale.start()] + text[scale.end():]).strip()
    text = _PER_HALF_HOUR.sub("kwh_hh", text)  # 'energy in kwh per half hour': one unit, not part of the name
    rate = _RATE.search(text)
    if rate and rate.start() > 0 and not per_scale(rate.group(0)):  # 'X per billion miles', 'dose in mg per day'
        ph.per = rate.group(1).lower()
        before = text[:rate.start()].strip()
        unit = _IN_UNIT.search(before)
        if unit and unit_of(unit.group(1)):  # 'dose in milligrams per day': a rate unit, the name is 'dose'
            whole = unit_of(f"{unit.group(1)} per {ph.per}")
            ph.unit = ph.unit or (whole if whole and whole[0] in ("speed", "concentration") else None)
            text = (before[:unit.start()] + before[unit.end():]).strip()
        else:
            text = f"{before} per {ph.per}"
    m = _IN_UNIT.search(text)
    if ph.unit or ph.per:
        pass
    elif m and unit_of(m.group(1)):
        ph.unit = unit_of(m.group(1))
        text = (text[:m.start()] + text[m.end():]).strip()
    elif re.search(r"[$€£¥]", raw):
        ph.unit = unit_of(raw)
    if ph.unit is None:
        u = unit_of(text)
        if u and u[0] in ("time", "energy", "mass", "length", "area", "speed", "temperature", "concentration", "light",
                          "pressure"):
            ph.unit = u
    text = re.sub(r"\s*(?:\([^)]*\)|\[[^\]]*\]|\{[^}]*\})\s*", " ", text)
    text = re.sub(r"\s+", " ", text).strip(" ,.:;-")
    ph.vague = bool(_VAGUE.search(text))
    # 'is student', 'has children', 'whether they were promoted': a yes/no, whatever the noun alone is
    if _IS_HAS.match(text):  # the verb stays in the name: is_student, has_children
        text = re.sub(r"^(?:whether|if)\s+(?:(?:they|he|she|it|the \w+)\s+)?", "", text, flags=re.I)
    else:
        text = _LEAD_FILLER.sub("", text)
    trail = _TRAIL_FILLER.search(text)
    ph.flag = bool(trail and re.search(r"\b(?:flag|indicator)\b", trail.group(0), re.I))
    text = _TRAIL_FILLER.sub("", text).strip()
    ph.head = text
    return ph


# 'per billion miles', 'per insured driver', 'per day' ending a named field: the unit of a rate.
_RATE = re.compile(r"\s+per\s+((?:(?:\d[\d,.]*|a|an|one|each|billion|million|thousand|hundred)\s+)?[a-z]+(?:\s+[a-z]+)?)\s*$", re.I)
_OVER_AGE = re.compile(r"(?:over|under|above|below)\s+\d{1,3}", re.I)
_OR_MORE = re.compile(r"(?:[a-z]+\s+){0,3}\d[\d,.]*\s+or\s+(?:older|over|more|above|higher|greater|younger|under|"
                      r"less|fewer|below|lower)(?:\s+[a-z]+){0,2}", re.I)
_YES_NO = re.compile(r"\s*\(\s*(?:(?:(?P<what>[a-z]+(?: [a-z]+)?) or not)|yes ?/ ?no|yes or no|y ?/ ?n|true ?/ ?false|"
                     r"true or false|0 ?/ ?1|1 ?= ?yes,? 0 ?= ?no)\s*\)|\b(?P<bare>(?!whether\b)[a-z]+(?: [a-z]+)?) or not\b"
                     r"|\s*\b(?:yes ?/ ?no|y ?/ ?n|true ?/ ?false)$", re.I)
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
    if "per" in ws[1:6]:  # 'drivers in fatal collisions per billion miles': the rate whole, not cut at 'per'
        at = ws.index("per", 1)
        ws = ws[:at][:5] + ws[at:at + 3]
        return "_".join(ws)[:64]
    ws = ws[:5]
    last = ws[-1]
    counted = len(ws) > 1 and ("of" in ws[:-1] or ws[-2] in ("number", "num", "no") or ws[0] in _COUNT_LEADS)
    if last not in COUNT_NOUNS and "_".join(ws) not in _plural_names() and not counted:  # 'number of takers', 'total claims'
        ws[-1] = singular(last)
    name = "_".join(ws)
    if name[0].isdigit():
        name = "n_" + name
    return name[:64]


@K.dependent
@lru_cache(maxsize=1)
def _plural_names() -> frozenset[str]:
    """Column names ending in a plural that the named tables spell so more often than in the
    singular (changed_files, public_repos, tags, bytes): a named field so called keeps it."""
    count: dict[str, int] = {}
    for t in K.knowledge().tables:
        for name in t.names:
            count[name.lower()] = count.get(name.lower(), 0) + 1
    found = set()
    for name, n in count.items():
        head, _, last = name.rpartition("_")
        one = f"{head}_{singular(last)}" if head else singular(last)
        if one != name and n > count.get(one, 0):
            found.add(name)
    return frozenset(found)


def meaning_key(name: str) -> str:
    """Words of a column name for the type rules: 'bazQux' → 'baz qux', 'unit_price' → 'unit price'."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name)
    return " ".join(words(spaced))


# ------------------------------------------------------------ name → type

# Measures: unknown names that still mean a number.
_MEASURE = re.compile(r"\b(?:diameter|width|depth|length|radius|volume|speed|velocity|density|ratio|index|"
                      r"amount|total|sum|average|avg|mean|median|min|max|population|frequency|angle|altitude|"
                      r"elevation|level|size|magnitude|intensity|concentration|dose|reading|measurement|value|"
                      r"quantity|number|num|count|weight|mass|score|rate|duration|capacity|temperature|"
                      r"distance|budget|cost|price|balance|pressure|energy|power|efficiency|yield|strength|"
                      r"metric|kpi|estimate|forecast|target|threshold|limit|offset|delta|change|growth)\b")


def _measure_heads() -> dict[str, list[float]]:
    """A measurement's [min, max] by its head word when no concept knows the name (rules.toml
    ``[measure_heads]``, read from the named tables' real columns)."""
    return K.knowledge().rules.get("measure_heads", {})


# Things that last: their 'length' is a duration ('stay length', 'video length'), not a size.
_EVENTS = {"stay", "video", "song", "track", "call", "session", "visit", "trip", "flight", "movie", "film", "game",
           "match", "meeting", "shift", "employment", "audio", "clip", "podcast", "episode", "wait", "outage", "ride",
           "commute", "lesson", "class", "lecture", "course", "treatment", "hospitalization", "admission", "contract",
           "tenure", "stream", "recording", "show", "broadcast", "event", "journey", "drive", "run", "workout",
           "exercise", "sleep", "nap", "break", "interview", "speech", "talk", "conversation", "chat", "queue time",
           "delay", "downtime", "activity", "task", "job", "process", "phase", "stage", "period", "season", "term",
           "marriage", "incubation", "pregnancy", "gestation", "illness", "absence", "leave", "vacation", "holiday"}
_TEXTY = re.compile(r"\b(?:word|words|text|tag|tags|keyword|label|term|token|slug|handle|alias|nickname|code name|motto)\b")
_COUNT_HINT = re.compile(r"^(?:number of|num|n|count of|no of|total) |\b(?:count|num|number)$")


def is_count_name(key: str) -> bool:
    """'number of stops', 'stop count': a name that says it counts."""
    return bool(_COUNT_HINT.search(key))


# A mean, median or standard deviation of something is a number, whatever its head noun names.
_MEANS = {"mean", "average", "avg", "median", "std", "stdev", "sd"}
_NOT_A_MEAN = ("code", "id", "uuid", "category", "title", "word", "date", "datetime")


def infer(name: str) -> tuple[str, dict[str, Any], str]:
    """(type, params, how) for a column called ``name``; how is 'rule', 'fuzzy' or 'guess'."""
    key = meaning_key(name)
    part, named_rate = _typed_part(key), _named_rate(key)
    rate = part != key and "per" in key.split()[1:] and not named_rate
    key = part if rate or not named_rate else key
    hit = _modifier_rule(key) or _counted_rule(key) or _rule_for(key)
    if rate:  # a rate the concepts know by its denominator ('per billion miles') has those figures
        ws = meaning_key(name).split()
        by_unit = _rule_for(" ".join(ws[ws.index("per", 1):]))
        hit = by_unit if by_unit is not None and by_unit[0] in ("float", "percent") else hit
    if rate and (hit is None or hit[0] not in _RATE_TYPES):  # 'drivers in ... per ...': how many drivers, per so much
        first = key.split()[0]
        hit = _rule_for(f"number of {first}") if singular(first) != first else None
    if rate and hit is not None and hit[0] == "integer" and "values" not in hit[1]:
        # 'drivers in fatal collisions per billion miles': a rate of the count, not a whole count
        hit = "float", {**hit[1], "decimals": 2}
    if hit is not None and hit[0] == "state":
        hit = _state_or_status(key) or hit
    if hit is not None and hit[0] in ("full_name", "first_name", "last_name", "title"):
        hit = _place_name(key) or hit
    if hit is not None and hit[0] == "code" and key.endswith(" code"):
        hit = _category_code(key) or hit
    if hit is not None and _modifier_only(key, hit):  # 'song length', 'cpu cores': the head decides, not 'song'
        head = _rule_for(key.split()[-1])
        hit = head if head is not None and head[0] == "integer" else None
    if hit is not None:
        if hit[0] in _NOT_A_MEAN and key.split()[0] in _MEANS:  # 'mean sunspot number' is no code
            return "float", {"min": 0, "max": 1000, "distribution": "lognormal", "mean": 100, "decimals": 2}, "rule"
        return hit[0], hit[1], "rule"
    fixed = _fuzzy_key(key)
    if fixed != key:
        hit = _rule_for(fixed)
        if hit is not None:
            return hit[0], hit[1], "fuzzy"
    if is_count_name(key):
        return "integer", {"min": 0, "max": 1000, "distribution": "lognormal", "mean": 40}, "guess"
    head = singular(key.split()[-1])
    if head == "length" and len(key.split()) > 1 and singular(key.split()[-2]) in _EVENTS:
        # 'stay length', 'video length': how long an event lasts is a duration, as its 'duration' is
        hit = _rule_for(" ".join([*key.split()[:-1], "duration"]))
        return ("duration", {}, "guess") if hit is None or hit[0] != "duration" else (*hit, "rule")
    if head in _measure_heads():  # 'tooth length', 'shell width': a measurement of a thing, not an amount
        lo, hi = _measure_heads()[head]
        return "float", {"min": lo, "max": hi, "distribution": "normal", "mean": round((lo + hi) / 2, 2),
                         "std": round((hi - lo) / 4, 2), "decimals": 1}, "guess"
    if _MEASURE.search(key):
        return "float", {"min": 0, "max": 1000, "distribution": "lognormal", "mean": 100, "decimals": 2}, "guess"
    last = key.split()[-1]
    if len(last) > 3 and singular(last) != last and not _TEXTY.search(key):
        # an unknown plural ('stops', 'assists', 'siblings', 'open issues'): how many, not a measure
        hit = _rule_for(f"number of {last}")
        if hit is not None and hit[0] == "integer":
            return hit[0], hit[1], "guess"
    if _participle(last) and (" " not in key or _nounlike(key.split()[0])):
        # 'employed', 'married', 'vehicle searched', 'citation issued': a flag, its share from the priors
        return "boolean", {}, "guess"
    if _TEXTY.search(key):
        return "word", {}, "guess"
    # A plain noun nobody listed ('protocol', 'service', 'habitat') names a kind of thing, not
    # a quantity: a category, its values from the vocabulary of that noun when there is one.
    if _nounlike(last) and not _quantity_noun(last):
        return "category", _category_values(last), "guess"
    # A bare token (an abbreviation, a code: 'hwy', 'x1') is most often a measure in real tables.
    return "float", {"min": 0, "max": 1000, "distribution": "lognormal", "mean": 100, "decimals": 2}, "guess"


# 'losses incurred by insurers', 'fees paid by customers': what is named comes before the agent.
_BY_AGENT = re.compile(r"^(.+?) (?:\w+ed|paid|made|held|spent|lost|sold|won|done|taken|given|written|driven|seen|"
                       r"borne|owed|brought|caught|bought|kept) by \w+")


def _typed_part(key: str) -> str:
    """The words that say what a name is: 'drivers in fatal collisions per billion miles' is a
    number of drivers (its rate's unit is 'billion miles'), 'losses incurred by insurers' losses."""
    ws = key.split()
    if "per" in ws[1:]:
        key = " ".join(ws[:ws.index("per", 1)])
    m = _BY_AGENT.match(key)
    return m.group(1) if m else key


_RATE_TYPES = {"integer", "float", "money", "percent", "quantity", "duration", "rating"}


def _named_rate(key: str) -> bool:
    """A rate a concept names whole ('points per game', 'births per woman', 'gdp per capita')."""
    ws = tuple(singular(w) for w in key.split())
    for n in range(2, min(len(ws), K.knowledge().longest) + 1):
        for i in range(len(ws) - n + 1):
            form = ws[i:i + n]
            if "per" in form and (K.knowledge().by_words.get(form) or K.knowledge().by_words.get(tuple(key.split()[i:i + n]))):
                return True
    return False


# Nouns that name a quantity by their make ('acidity', 'brightness', 'tonnage', 'rainfall',
# 'cloud cover', 'throughput', 'evaporation') or a measured substance ('caffeine', 'nitrate'):
# a number, not a category, though no measure word says so.
_QUANTITY_END = re.compile(r"(?:idity|inity|osity|ivity|icity|ility|ness|fall|cover|put|runoff|sium|cium|dium|"
                           r"(?:ton|mile|acre|volt|watt|foot|dos|yard|leak|shrink|percent|cover|us|wast)age)$")
_NOT_QUANTITY = {"activity", "nationality", "ethnicity", "facility", "ability", "disability", "liability", "mobility",
                 "utility", "nobility", "civility", "business", "witness", "illness", "wilderness", "fitness",
                 "wellness"}
_QUANTITY_WORDS = {"evaporation", "precipitation", "insolation", "circulation", "saturation", "radiation", "transpiration",
                   "acceleration", "deviation", "variation", "inflation", "ventilation", "respiration", "sedimentation",
                   "caffeine", "nicotine", "nitrate", "nitrite", "phosphate", "sulfate", "sulphate", "chloride", "fluoride",
                   "ammonia", "lactate", "creatinine", "bilirubin", "albumin", "insulin", "hemoglobin", "haemoglobin",
                   "ferritin", "cortisol", "testosterone", "methane", "ethanol", "benzene", "arsenic", "mercury",
                   "amplitude", "latitude", "longitude", "magnitude", "altitude", "payroll", "attendance", "turnout",
                   "headcount", "footfall", "tonnage", "runoff", "cloudcover", "throughput", "bandwidth", "latency"}


# Words of five letters or more ending in -ed, not in -eed ('speed', 'seed'), that are no
# verb's participle.
_ED_NOUNS = {"hundred", "kindred", "shred", "embed"}


def _participle(word: str) -> bool:
    """'searched', 'issued', 'approved': a past participle, not a noun such as 'speed' or 'bed'."""
    return len(word) > 4 and word.endswith("ed") and not word.endswith("eed") and word not in _ED_NOUNS


def _quantity_noun(word: str) -> bool:
    return word in _QUANTITY_WORDS or (word not in _NOT_QUANTITY and bool(_QUANTITY_END.search(word)))


def _nounlike(word: str) -> bool:
    """A word that reads as an English noun, not an abbreviation or a code ('protocol', not 'hwy', 'x1')."""
    return len(word) >= 5 and word.isalpha() and bool(re.search(r"[aeiouy]", word)) and bool(
        re.fullmatch(r"(?:[^aeiouy]{0,3}[aeiouy]+)+[^aeiouy]{0,3}", word))


def _category_values(word: str) -> dict[str, Any]:
    """The values of an unknown kind of thing: vocab.toml's list of that noun ('protocols'), else
    the generic 'type' concept's."""
    vocab = K.knowledge().vocab
    for key in (f"{singular(word)}s", word, singular(word), f"{singular(word)}es"):
        entry = vocab.get(key)
        if entry and entry.get("values"):
            params: dict[str, Any] = {"values": list(entry["values"])}
            if entry.get("weights"):
                params["weights"] = list(entry["weights"])
            return params
    hit = _rule_for("type")
    return hit[1] if hit is not None and hit[0] == "category" else {"values": ["A", "B", "C"]}


# 'number of passengers', 'count of comments': a count whose figures are those of the thing
# counted when the concepts know its count ('passengers', 'passenger count'); else the
# general count concept ('number of ...', small and skewed).
_COUNTED = re.compile(r"^(?:number|num|no|count|total number) of ((?:\w+ ){0,2}\w+)$")


def _counted_rule(key: str) -> tuple[str, dict[str, Any]] | None:
    m = _COUNTED.match(key)
    if not m:
        return None
    what = m.group(1)
    general = _general_counts()
    for form in (f"number of {what}", f"{singular_text(what)} count", what):
        hit = _named_count(form) or _rule_for(form)
        if hit is None or hit[0] != "integer" or "values" in hit[1] or _frozen(hit) in general:
            continue  # a general count pattern ('number of ...', '... count'): the thing counted may know better
        return hit
    return None


def _named_count(form: str) -> tuple[str, dict[str, Any]] | None:
    """A count the concepts name whole ('number of employees', read from the named tables' CRM
    company columns), which the general 'number of ...' pattern would otherwise outrank."""
    kb, context = K.knowledge(), CONTEXT.get()
    ws = tuple(form.split())
    derived = K.derived_concept(K.column_words(form))
    found = [c for c in (*kb.by_words.get(ws, ()), *kb.by_words.get(tuple(map(singular, ws)), ()),
                         *((derived,) if derived is not None else ()))
             if c.type == "integer" and c.params and not c.patterns and (not c.context or set(c.context) & context)]
    if not found:
        return None
    best = max(found, key=lambda c: (bool(c.context), not c.derived, c.priority))
    return best.type, {k: (list(v) if isinstance(v, list) else v) for k, v in best.params}


def _frozen(hit: tuple[str, dict[str, Any]]) -> tuple[str, tuple[tuple[str, Any], ...]]:
    return hit[0], tuple(sorted((k, str(v)) for k, v in hit[1].items()))


@K.dependent
@lru_cache(maxsize=1)
def _general_counts() -> frozenset[tuple[str, tuple[tuple[str, Any], ...]]]:
    """What the count patterns give a thing no concept knows ('number of qqqxs', 'qqqx count')."""
    found = set()
    with_context = CONTEXT.set(frozenset())
    try:
        for form in ("number of qqqxs", "qqqx count", "qqqxs", "num qqqxs", "total qqqxs"):
            hit = _rule_for(form)
            if hit is not None:
                found.add(_frozen(hit))
    finally:
        CONTEXT.reset(with_context)
    return frozenset(found)


# 'connection state', 'order state', 'account state': a state of a process, not a place; only
# 'state' alone, a place's state ('home state', 'us state', 'billing state') or 'state' in a
# geographic phrase ('state name', 'state code') is a region.
_PLACE_STATES = {
    "us", "u", "s", "usa", "american", "home", "birth", "billing", "shipping", "mailing", "residence", "residential",
    "address", "origin", "destination", "departure", "arrival", "pickup", "dropoff", "registration", "license",
    "licence", "issuing", "member", "provider", "patient", "customer", "employer", "company", "store", "vendor",
    "supplier", "plate", "voter", "postal", "mail", "hq", "headquarters", "location", "office", "property",
    "school", "facility", "hospital", "incident", "accident", "crash", "border", "host", "user", "client",
    "owner", "seller", "buyer", "merchant", "recipient", "sender", "applicant", "borrower", "insured", "subscriber",
    "state", "federal", "indian", "australian", "german", "brazilian", "mexican", "nigerian", "malaysian",
    "sovereign", "independent", "neighboring", "neighbouring", "bordering", "lower", "upper", "northern", "southern",
    "eastern", "western", "coastal", "swing", "battleground", "red", "blue", "plant", "farm", "mine", "branch",
    "site", "warehouse", "dealer", "agent", "flag", "port", "nation", "country", "broker", "physician", "doctor", "prescriber", "practice", "clinic",
    "team", "university", "college", "campus", "city", "county", "zip", "district", "region", "residency",
}


def _modifier_only(key: str, hit: tuple[str, dict[str, Any]]) -> bool:
    """A head whose type came from the word before it alone: a measure head ('length', 'width') no
    concept knows, or a plural of things counted ('cpu cores': how many cores, not a cpu percent)."""
    ws = key.split()
    if len(ws) < 2 or _rule_for(" ".join(ws[:-1])) != hit:
        return False
    if singular(ws[-1]) in (*_measure_heads(), "length"):
        return _rule_for(ws[-1]) is None
    head = _rule_for(ws[-1])
    return len(ws[-1]) > 3 and singular(ws[-1]) != ws[-1] and head is not None and head[0] == "integer" and head != hit


# What a 'X name' names when X is not a person: a part of a city or a region ('area name',
# 'district name': LAPD's area_name, Chicago's community area) reads as a place's name; an
# organisation or a site ('agency name', 'school name', 'facility name') as an organisation's;
# a made thing ('program name', 'project name') as a title. A person's name otherwise.
_NAMED_PLACES = {"area", "district", "zone", "precinct", "ward", "neighborhood", "neighbourhood", "borough", "region",
                 "division", "beat", "sector", "tract", "village", "suburb", "locality", "community", "quarter",
                 "parish", "municipality", "township", "province", "county", "town", "place", "location"}
_NAMED_BODIES = {"agency", "school", "facility", "hospital", "clinic", "institution", "organization", "organisation",
                 "university", "college", "library", "museum", "church", "club", "bank", "hotel", "restaurant",
                 "business", "establishment", "venue", "office", "branch", "plant", "farm", "airline", "carrier",
                 "operator", "utility", "provider", "employer", "charity", "nonprofit", "firm", "practice", "lab",
                 "laboratory", "pharmacy", "dealer", "dealership", "brand", "publisher", "manufacturer", "sponsor"}
_NAMED_THINGS = {"program", "programme", "project", "campaign", "event", "dataset", "game", "album", "show", "series",
                 "feature", "model", "experiment", "study", "trial", "policy", "plan", "package", "report",
                 "document", "initiative", "grant", "award", "exhibit", "exhibition", "conference", "festival"}


def _place_name(key: str) -> tuple[str, dict[str, Any]] | None:
    """'county name', 'town name', 'province name': the name of a place is that place, not a
    person's; 'area name', 'agency name', 'program name' the name of a part of a city, of an
    organisation, of a made thing (:data:`_NAMED_PLACES`, :data:`_NAMED_BODIES`, :data:`_NAMED_THINGS`)."""
    ws = key.split()
    if len(ws) < 2 or ws[-1] != "name":
        return None
    hit = _rule_for(" ".join(ws[:-1]))
    if hit is not None and hit[0] in ("city", "state", "country"):
        return hit
    what = singular(ws[-2])
    if what in _NAMED_PLACES:
        return "city", {}
    if what in _NAMED_BODIES:
        return "company", {}
    return ("title", {}) if what in _NAMED_THINGS else None


def _category_code(key: str) -> tuple[str, dict[str, Any]] | None:
    """'sex code', 'race code': the code of a category is its values' one-letter codes (M, F;
    W, B, A, H: LAPD's vict_sex and vict_descent, CDC WONDER's race codes), not a made-up
    'SEX-######'; None when the category's values do not start with distinct letters."""
    what = _rule_for(key[:-len(" code")])
    if what is None:
        return None
    if what[0] == "gender":
        return "category", {"values": ["M", "F"], "weights": [52, 48]}
    values = what[1].get("values") if what[0] == "category" else None
    if not isinstance(values, list) or len(values) < 2 or not all(isinstance(v, str) and v[:1].isalpha() for v in values):
        return None
    letters = [v[0].upper() for v in values]
    if len(set(letters)) != len(letters):
        return None
    params: dict[str, Any] = {"values": letters}
    if what[1].get("weights"):
        params["weights"] = list(what[1]["weights"])
    return "category", params


def _state_or_status(key: str) -> tuple[str, dict[str, Any]] | None:
    ws = key.split()
    if len(ws) < 2 or ws[-1] not in ("state", "states") or ws[-2] in _PLACE_STATES:
        return None
    place = _rule_for(" ".join(ws[:-1]))
    if place is not None and place[0] in ("city", "country", "address", "state"):
        return None  # 'station state' is where a station is
    status = " ".join([*ws[:-1], "status"])
    hit = _rule_for(status)
    if hit is not None and hit[0] != "state":
        return hit
    return _rule_for("status")


# Head nouns that say nothing of their own: 'rating value' (schema.org ratingValue) is a
# rating and 'pressure value' a pressure, not an amount of money; their modifier decides when it
# is a number of another kind. A name the concepts know whole ('order value') keeps its concept.
_EMPTY_HEADS = {"value", "values", "val"}
_MODIFIER_TYPES = {"rating", "integer", "float", "percent", "age", "year", "quantity", "duration"}


# 'cholesterol level', 'glucose reading', 'salary level': a level of a measured thing is that thing's figure;
# a level the concepts know whole ('risk level', 'education level') or of an unmeasured thing ('skill level') is a grade.
_LEVEL_HEADS = {"level", "levels", "reading", "readings", "concentration", "measurement"}


def _modifier_rule(key: str) -> tuple[str, dict[str, Any]] | None:
    ws = key.split()
    if len(ws) < 2 or ws[-1] not in _EMPTY_HEADS | _LEVEL_HEADS:
        return None
    whole = K.match_concept(key, CONTEXT.get())
    if whole is not None and any(len(n) > 1 and tuple(map(singular, n)) == tuple(map(singular, ws[-len(n):]))
                                 for n in whole[0].names):
        return None  # a name it knows whole: 'order value', 'cart value'
    hit = _rule_for(" ".join(ws[:-1]))
    types = _MODIFIER_TYPES | {"money"} if ws[-1] in _LEVEL_HEADS else _MODIFIER_TYPES
    return hit if hit is not None and hit[0] in types else None


# The concepts' context phrases the description being planned holds ('nyc', 'school'): set
# by the planner for one plan (a context variable, so threads and tasks do not mix them).
CONTEXT: ContextVar[frozenset[tuple[str, ...]]] = ContextVar("synth_magic_concept_context", default=frozenset())


@K.dependent
@lru_cache(maxsize=8192)
def _rule_cached(key: str, context: frozenset[tuple[str, ...]] = frozenset()
                 ) -> tuple[str, tuple[tuple[str, Any], ...]] | None:
    hit = K.match_concept(key, context)
    if hit is None:
        return None
    concept, m = hit
    params = concept.params
    if concept.type == "code" and not params and m is not None and m.groups():
        entity = m.group(1).split()[-1]
        prefixes = K.knowledge().rules.get("id_prefix", {})
        prefix = prefixes.get(singular(entity), singular(entity)[:3].upper())
        params = (("pattern", f"{prefix}-######"),)
    return concept.type, params


def _rule_for(key: str) -> tuple[str, dict[str, Any]] | None:
    hit = _rule_cached(key, CONTEXT.get())
    if hit is None:
        return None
    return hit[0], {k: (list(v) if isinstance(v, list) else v) for k, v in hit[1]}


@K.dependent
@lru_cache(maxsize=1)
def _known() -> dict[str, int]:
    """Every word the concepts, domains and named tables know, and how often, for typo correction."""
    kb = K.knowledge()
    found: dict[str, int] = {}

    def add(ws: Any) -> None:
        for w in ws:
            if len(w) >= 4:
                found[w] = found.get(w, 0) + 1

    for concept in kb.concepts:
        for ws in concept.names:
            add(ws)
        for p in concept.patterns:
            add(re.findall(r"[a-z]{4,}", p.pattern))
    for dom in kb.domains + kb.tables:
        for kw in dom.keywords + dom.aliases:
            add(words(kw))
        for name in dom.names:
            add(name.lower().split("_"))
    return found


def vocabulary() -> tuple[str, ...]:
    """Every word the concepts, domains and named tables know, for typo correction."""
    return tuple(sorted(_known()))


@K.dependent
@lru_cache(maxsize=1)
def _fuzzy() -> Fuzzy:
    return Fuzzy(_known())


@K.dependent
@lru_cache(maxsize=4096)
def correct(word: str) -> str:
    """A known word for a typo ('adress' → 'address'), or the word itself."""
    if len(word) < 4 or word in _known() or singular(word) in _known():
        return word
    return _fuzzy().correct(word) or word


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


_ROW_WORDS = {"row", "rows", "record", "records", "reading", "readings", "entry", "entries", "sample", "samples",
              "observation", "observations", "measurement", "measurements", "tick", "ticks", "log", "logs",
              "snapshot", "snapshots", "point", "points", "one", "once", "line", "lines", "value", "values"}


def _rate_per(lower: str, m: re.Match[str]) -> bool:
    """'dose in milligrams per day', 'hours worked per week', 'cigarettes per day': a rate in a
    column's unit, not how often rows come ('one row per day', 'readings per minute')."""
    if not m.group(0).startswith("per"):
        return False
    before = re.findall(r"[a-z]+", lower[:m.start()])
    prev = before[-1] if before else ""
    if not prev or prev in _ROW_WORDS:
        return False
    return unit_of(prev) is not None or prev in COUNT_NOUNS or (len(prev) > 3 and singular(prev) != prev) or \
        prev in ("worked", "spent", "used", "consumed", "taken", "smoked", "sold", "made", "earned")


def step(lower: str) -> tuple[str, str] | None:
    """('1min', words) for 'every minute', 'every 5 minutes', 'hourly readings'."""
    m = next((m for m in _STEP.finditer(lower) if not _rate_per(lower, m)), None)
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


_Order = tuple[tuple[str, ...], tuple[str, ...], tuple[str, str], tuple[str, str], bool]


def date_order() -> list[_Order]:
    """(earlier name prefixes, later name prefixes, gap for a date column, gap for a datetime
    column, whether the later column keeps its window's end), from the ``[[order]]`` rules of
    ``knowledge/rules.toml``."""
    return _DATE_ORDER()


@K.dependent
@lru_cache(maxsize=1)
def _DATE_ORDER() -> list[_Order]:
    return [(tuple(r["earlier"]), tuple(r["later"]), tuple(r["date_gap"]), tuple(r["time_gap"]),  # type: ignore[misc]
             bool(r.get("keep_end", False)))
            for r in K.knowledge().rules.get("order", [])]
