"""What the offline planner knows: words → column types, constraints, domains, locales."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .offline import Draft

# ------------------------------------------------------------------ locales

LOCALE_WORDS: dict[str, str] = {
    "american": "en_US", "usa": "en_US", "united states": "en_US", "new york": "en_US",
    "british": "en_GB", "uk": "en_GB", "england": "en_GB", "london": "en_GB",
    "french": "fr_FR", "france": "fr_FR", "paris": "fr_FR", "lyon": "fr_FR",
    "german": "de_DE", "germany": "de_DE", "berlin": "de_DE", "munich": "de_DE", "hamburg": "de_DE",
    "japanese": "ja_JP", "japan": "ja_JP", "tokyo": "ja_JP", "osaka": "ja_JP",
    "spanish": "es_ES", "spain": "es_ES", "madrid": "es_ES", "barcelona": "es_ES",
    "mexican": "es_MX", "mexico": "es_MX",
    "italian": "it_IT", "italy": "it_IT", "rome": "it_IT", "milan": "it_IT",
    "dutch": "nl_NL", "netherlands": "nl_NL", "amsterdam": "nl_NL",
    "brazilian": "pt_BR", "brazil": "pt_BR", "sao paulo": "pt_BR",
    "portuguese": "pt_PT", "portugal": "pt_PT", "lisbon": "pt_PT",
    "chinese": "zh_CN", "china": "zh_CN", "beijing": "zh_CN", "shanghai": "zh_CN",
    "korean": "ko_KR", "korea": "ko_KR", "seoul": "ko_KR",
    "indian": "en_IN", "india": "en_IN", "mumbai": "en_IN", "delhi": "en_IN",
    "polish": "pl_PL", "poland": "pl_PL", "warsaw": "pl_PL",
    "russian": "ru_RU", "russia": "ru_RU", "moscow": "ru_RU",
    "swedish": "sv_SE", "sweden": "sv_SE", "stockholm": "sv_SE",
    "turkish": "tr_TR", "turkey": "tr_TR", "istanbul": "tr_TR",
    "canadian": "en_CA", "canada": "en_CA", "toronto": "en_CA",
    "australian": "en_AU", "australia": "en_AU", "sydney": "en_AU",
    "danish": "da_DK", "denmark": "da_DK", "copenhagen": "da_DK",
    "norwegian": "no_NO", "norway": "no_NO", "oslo": "no_NO",
    "finnish": "fi_FI", "finland": "fi_FI", "helsinki": "fi_FI",
    "swiss": "de_CH", "switzerland": "de_CH", "zurich": "de_CH",
    "austrian": "de_AT", "austria": "de_AT", "vienna": "de_AT",
    "irish": "en_IE", "ireland": "en_IE", "dublin": "en_IE",
    "greek": "el_GR", "greece": "el_GR", "athens": "el_GR",
    "czech": "cs_CZ", "prague": "cs_CZ",
}


def detect_locale(lower: str) -> str:
    for word, locale in LOCALE_WORDS.items():
        if re.search(rf"\b{re.escape(word)}\b", lower):
            return locale
    return "en_US"


# --------------------------------------------------------------------- rows

_ROWS = re.compile(r"\b(\d{1,3}(?:,\d{3})+|\d+)\s*(?:k\b)?\s*(?:[a-z]+\s+){0,2}?"
                   r"(rows|records|entries|items|[a-z]+s)\b")


def detect_rows(lower: str) -> int | None:
    for m in _ROWS.finditer(lower):
        number = m.group(1).replace(",", "")
        before = lower[max(0, m.start() - 12):m.start()]
        if re.search(r"(between|from|to|and|over|under|than|-)\s*\$?$", before):
            continue
        noun = m.group(2)
        if noun in ("minutes", "seconds", "hours", "days", "weeks", "months", "years", "stars", "points",
                    "kms", "miles", "dollars", "euros", "percent", "words", "digits"):
            continue
        value = int(number) * (1000 if lower[m.start():m.end()].replace(number, "", 1).lstrip(",").strip().startswith("k ") else 1)
        if 1 <= value <= 10_000_000 and not (1900 <= value <= 2100 and len(number) == 4):
            return value
    return None


# ------------------------------------------------------------- column lists

_LIST_START = re.compile(
    r"(?:\b(?:with|including|includes|containing|contains|having|columns?|fields?)\b|:)\s*(?P<rest>.+)$",
    re.I,
)
_FILLER = {"a", "an", "the", "their", "its", "his", "her", "some", "each", "every", "data",
           "information", "info", "details", "for", "analysis", "of", "and", "field", "column",
           "flag", "value", "values", "numbers", "number", "list"}


def has_explicit_list(text: str) -> bool:
    m = _LIST_START.search(text)
    return bool(m) and (":" in text.split(m.group("rest"))[0][-2:] or "," in m.group("rest"))


def split_columns(text: str) -> list[str]:
    """The phrases of an explicit column list, or [] when there is none."""
    m = _LIST_START.search(text)
    if not m:
        return []
    rest = re.split(r"\s+(?:for|to be used|used for)\s+(?:an?\s+)?\w+\s+(?:analysis|testing|demo)\b", m.group("rest"))[0]
    rest = rest.rstrip(" .")
    # Protect enumerations and ranges ("one of a, b or c", "between 1 and 5") from the split.
    protected: dict[str, str] = {}

    def protect(match: re.Match[str]) -> str:
        key = f"\x00{len(protected)}\x00"
        protected[key] = match.group(0)
        return key

    rest = re.sub(r"\([^)]*\)", protect, rest)
    rest = re.sub(r"\b(?:between|from)\s+\S+\s+(?:and|to)\s+\S+", protect, rest, flags=re.I)
    rest = re.sub(r"\b(?:of|one of|either|is|are|being)\s+((?:[\w$€£-]+\s*,\s*)+[\w$€£-]+\s*,?\s*(?:or|and)\s+[\w$€£-]+"
                  r"|[\w$€£-]+\s+or\s+[\w$€£-]+)", protect, rest, flags=re.I)
    parts = re.split(r"\s*,\s*(?:and\s+|or\s+)?|\s+and\s+(?=[a-z_])|;\s*", rest)
    out = []
    for part in parts:
        for key, value in protected.items():
            part = part.replace(key, value)
        part = part.strip(" .")
        if part:
            out.append(part)
    return out


_CONSTRAINT_TAIL = re.compile(
    r"\s*(?:\(.*|\b(?:between|from|of|one of|either|over|above|under|below|at least|at most|up to|"
    r"more than|less than|that|which|where|in|as|is|are|being|with)\b.*)$",
    re.I,
)


def snake(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "_".join(words)


def column_name(phrase: str) -> str:
    """'customer ratings (1-5)' → 'customer_rating'; keeps snake_case names as written."""
    phrase = phrase.strip()
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", phrase) and "_" in phrase:
        return phrase
    head = _CONSTRAINT_TAIL.sub("", phrase).strip() or phrase
    words = [w for w in re.findall(r"[a-z0-9]+", head.lower()) if w not in _FILLER]
    words = [_singular(w) for w in words[:4]]
    return "_".join(words)


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "status")):
        return word[:-1]
    return word


# ------------------------------------------------------------ name → type

@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    type: str
    params: tuple[tuple[str, Any], ...] = ()


def _r(regex: str, type_: str, **params: Any) -> Rule:
    return Rule(re.compile(regex), type_, tuple(params.items()))


_ID_PREFIX = {"order": "ORD", "invoice": "INV", "customer": "CUS", "user": "USR", "product": "PRD",
              "transaction": "TXN", "ticket": "TKT", "patient": "PAT", "employee": "EMP",
              "student": "STU", "course": "CRS", "account": "ACC", "session": "SES",
              "shipment": "SHP", "booking": "BKG", "policy": "POL", "claim": "CLM", "lead": "LEAD",
              "device": "DEV", "robot": "RBT", "vehicle": "VEH", "trip": "TRP", "episode": "EP",
              "event": "EVT", "item": "ITM", "store": "STR", "track": "TRK"}

RULES: list[Rule] = [
    _r(r"^(uuid|guid)$|\buuid\b", "uuid"),
    _r(r"^id$|^row_?id$", "id"),
    _r(r"\biban\b", "iban"),
    _r(r"\bisbn\b", "isbn"),
    _r(r"\bsku\b", "sku"),
    _r(r"\btracking\b", "tracking_number"),
    _r(r"\b(card_number|credit_card|card_no)\b|^card$", "credit_card_number"),
    _r(r"\baccount_(number|no|num)\b|^account$", "account_number"),
    _r(r"\b(swift|bic)\b", "swift"),
    _r(r"\b(ticker|symbol)\b", "stock_ticker"),
    _r(r"\bcourse_code\b", "code", pattern="???###"),
    _r(r"^(\w+?)_(id|number|no|num|code|ref|reference)$", "code"),
    _r(r"\b(first_name|given_name|forename|firstname)\b", "first_name"),
    _r(r"\b(last_name|surname|family_name|lastname)\b", "last_name"),
    _r(r"\b(e_?mail|email_address)\b", "email"),
    _r(r"\b(phone|mobile|telephone|tel|cell)\b", "phone"),
    _r(r"\b(user_?name|handle|login)\b", "username"),
    _r(r"\b(birth|dob|birthday|born)\b", "birth_date"),
    _r(r"^age$|_age$|^age_", "age"),
    _r(r"\b(gender|sex)\b", "gender"),
    _r(r"\bblood\b", "blood_type"),
    _r(r"\b(job|occupation|position|role)\b|^job_title$", "job_title"),
    _r(r"\b(department|dept|team)\b", "department"),
    _r(r"\bindustry\b", "industry"),
    _r(r"\b(merchant|vendor|supplier|employer|company|organi[sz]ation|business|publisher|carrier|airline)\b", "company"),
    _r(r"\bbrand\b", "brand"),
    _r(r"\b(street|address_line)\b", "street_address"),
    _r(r"\baddress\b", "address"),
    _r(r"\b(city|town)\b", "city"),
    _r(r"\b(state|province|county)\b", "state"),
    _r(r"\bcountry_code\b", "country_code"),
    _r(r"\b(country|nationality)\b", "country"),
    _r(r"\b(zip|postcode|postal|zip_code)\b", "postcode"),
    _r(r"\b(lat|latitude)\b", "latitude"),
    _r(r"\b(lon|lng|longitude)\b", "longitude"),
    _r(r"\b(timezone|time_zone|tz)\b", "timezone"),
    _r(r"\bcurrency\b", "currency_code"),
    _r(r"\bsalary|wage|income\b", "money", min=28000, max=220000, distribution="lognormal", mean=72000),
    _r(r"\b(balance)\b", "money", min=0, max=100000, distribution="lognormal", mean=8000),
    _r(r"\b(price|unit_price|cost|msrp)\b", "money", min=1, max=500, distribution="lognormal", mean=45),
    _r(r"\b(fare)\b", "money", min=3, max=120, distribution="lognormal", mean=22),
    _r(r"\b(tip)\b", "money", min=0, max=40, distribution="lognormal", mean=5),
    _r(r"\b(revenue|sales|spend|turnover)\b", "money", min=10, max=50000, distribution="lognormal", mean=2500),
    _r(r"\b(lifetime_value|ltv|clv)\b", "money", min=0, max=10000, distribution="lognormal", mean=900),
    _r(r"\b(deal_size|deal_value|deal)\b", "money", min=500, max=250000, distribution="lognormal", mean=18000),
    _r(r"\b(amount|total|subtotal|payment|fee|charge|bill|billing|invoice_amount|value|budget|premium|claim_amount)\b",
       "money", min=1, max=2000, distribution="lognormal", mean=120),
    _r(r"\b(quantity|qty|units|count)\b", "quantity"),
    _r(r"\b(rating|stars)\b", "rating"),
    _r(r"\b(score|points|grade_points)\b", "integer", min=0, max=100, distribution="normal"),
    _r(r"\b(percent|pct|percentage|utili[sz]ation|usage|cpu|memory|mem|battery|humidity|load)\b", "percent"),
    _r(r"\b(discount|rate)\b", "percent", min=0, max=50),
    _r(r"\b(duration|minutes|seconds|hours|length|runtime)\b", "duration"),
    _r(r"\bseconds_played|played\b", "integer", min=5, max=400, distribution="lognormal"),
    _r(r"\b(distance|km|kilometers|miles|mileage)\b", "float", min=0.5, max=40, distribution="lognormal", decimals=1),
    _r(r"\b(weight|kg)\b", "float", min=0.1, max=50, distribution="lognormal", decimals=2),
    _r(r"\b(height|cm)\b", "float", min=150, max=200, distribution="normal", decimals=1),
    _r(r"\b(temperature|temp)\b", "float", min=-15, max=40, distribution="normal", decimals=1),
    _r(r"\b(size|area|sqm|square|square_meter|square_feet|sqft)\b", "float", min=20, max=250, distribution="lognormal", decimals=0),
    _r(r"\b(rooms|bedrooms|bathrooms)\b|^room$", "integer", min=1, max=6, distribution="poisson", mean=2.5),
    _r(r"\b(disk|io|iops|throughput|bandwidth|latency)\b", "float", min=0, max=500, distribution="lognormal", decimals=1),
    _r(r"\byear\b", "year"),
    _r(r"\bmonth\b", "month"),
    _r(r"\b(weekday|day_of_week)\b", "weekday"),
    _r(r"\b(timestamp|time|datetime|_at|seen|login|logged|pickup|dropoff|start|end|departure|arrival)\b|_at$", "datetime"),
    _r(r"\b(date|day|created|updated|published|publish|joined|signup|hired|enrolled|due|shipped|delivered|ship)\b", "date"),
    _r(r"\b(order_status|delivery_status|shipping_status)\b", "order_status"),
    _r(r"\bpayment_method|payment_type\b", "payment_method"),
    _r(r"\btransaction_type\b", "transaction_type"),
    _r(r"\b(status)\b", "category", values=["active", "inactive", "pending"], weights=[0.7, 0.2, 0.1]),
    _r(r"\b(stage)\b", "category", values=["lead", "qualified", "proposal", "negotiation", "won", "lost"],
       weights=[0.3, 0.2, 0.15, 0.1, 0.15, 0.1]),
    _r(r"\b(lead_source|source|channel)\b", "category",
       values=["website", "referral", "email", "social media", "event", "cold call"]),
    _r(r"\b(priority)\b", "category", values=["low", "medium", "high"], weights=[0.3, 0.5, 0.2]),
    _r(r"\bgenre\b", "category", values=["pop", "rock", "hip hop", "electronic", "jazz", "classical", "country", "r&b"]),
    _r(r"\b(category|categories)\b", "product_category"),
    _r(r"\b(type|kind|tier|plan|segment|level|class|zone|grade|member)\b", "category",
       values=["A", "B", "C"]),
    _r(r"^(is|has|was|can)_|\b(flag|done|active|fraud|verified|skipped|skip|churned|subscribed|completed|passed|pass|"
       r"paid|enabled|returned|cancelled)\b", "boolean"),
    _r(r"\b(condition|diagnosis|diagnose)\b", "category",
       values=["Hypertension", "Type 2 diabetes", "Asthma", "Hyperlipidemia", "Depression", "Arthritis",
               "COPD", "Migraine", "Anxiety", "Coronary artery disease"]),
    _r(r"\b(description|comment|comments|note|notes|review|feedback|message|summary|content|body|text|bio)\b",
       "sentence"),
    _r(r"\b(title|headline|subject|episode)\b", "title"),
    _r(r"\b(url|website|link|homepage)\b", "url"),
    _r(r"\b(ip|ip_address|ipv4)\b", "ipv4"),
    _r(r"\bipv6\b", "ipv6"),
    _r(r"\bmac\b", "mac_address"),
    _r(r"\buser_agent|browser\b", "user_agent"),
    _r(r"\b(domain|hostname|host)\b", "domain_name"),
    _r(r"\b(method|http_method)\b", "http_method"),
    _r(r"\b(status_code|http_status)\b", "http_status"),
    _r(r"\b(path|endpoint|route)\b", "uri_path"),
    _r(r"\b(colou?r)\b", "color"),
    _r(r"\b(language)\b", "language"),
    _r(r"\b(file|filename|file_name)\b", "file_name"),
    _r(r"\b(product|item|product_name|item_name)\b", "product_name"),
    _r(r"\b(name|full_name|customer|patient|employee|student|user|contact|author|person|member|driver|"
       r"passenger|guest|owner|manager|agent|artist|host|player|client|buyer|seller|reviewer|doctor|physician)\b",
       "full_name"),
    _r(r"\b(store|shop|branch|station|warehouse|hotel|restaurant)\b", "city"),
    _r(r"\b(word|tag|keyword|label)\b", "word"),
]


def infer(name: str, phrase: str = "") -> tuple[str, dict[str, Any]]:
    """The type a column called ``name`` most likely has."""
    key = name.lower()
    for rule in RULES:
        m = rule.pattern.search(key)
        if m:
            params = dict(rule.params)
            if rule.type == "code" and not params:
                entity = m.group(1) if m.groups() else key
                prefix = _ID_PREFIX.get(entity.split("_")[-1], entity.split("_")[-1][:3].upper())
                params = {"pattern": f"{prefix}-######"}
            return rule.type, params
    fuzzy = _fuzzy(key)
    if fuzzy:
        return fuzzy
    return "word", {}


_VOCAB: dict[str, Rule] = {}


def _fuzzy(key: str) -> tuple[str, dict[str, Any]] | None:
    """Typos ('adress', 'emial'): match each word against the words the rules know."""
    if not _VOCAB:
        for rule in RULES:
            for word in re.findall(r"[a-z]{4,}", rule.pattern.pattern):
                _VOCAB.setdefault(word, rule)
    for word in key.split("_"):
        close = difflib.get_close_matches(word, list(_VOCAB), n=1, cutoff=0.8)
        if close:
            rule = _VOCAB[close[0]]
            return rule.type, dict(rule.params)
    return None


def same_meaning(domain_col: Draft, named: Draft) -> bool:
    if domain_col.name == named.name:
        return True
    if domain_col.type != named.type:
        return False
    if domain_col.type in ("money", "category", "date", "datetime", "integer", "float", "code", "boolean",
                           "percent", "sentence", "title"):
        # Several columns share these types: only the same key word is the same column.
        return bool(set(domain_col.name.split("_")) & set(named.name.split("_")))
    return True


def find_column(drafts: list[Draft], word: str) -> Draft | None:
    stem = _singular(word.lower())
    for d in drafts:
        if stem in d.name.lower().split("_") or stem in d.name.lower():
            return d
    return None


# --------------------------------------------------------------- constraints

_NUM = r"-?\d[\d,]*(?:\.\d+)?"


def _number(text: str) -> float:
    value = float(text.replace(",", ""))
    return int(value) if value.is_integer() else value


def number_range(phrase: str) -> tuple[float | None, float | None]:
    p = phrase.lower()
    m = (re.search(rf"(?:between|from)\s+[$€£]?({_NUM})\s*(?:and|to|-)\s*[$€£]?({_NUM})", p)
         or re.search(rf"\(\s*[$€£]?({_NUM})\s*(?:-|–|to)\s*[$€£]?({_NUM})\s*\)", p)
         or re.search(rf"(?<![\w-])[$€£]?({_NUM})\s*(?:-|–|to)\s*[$€£]?({_NUM})(?![\w-])", p))
    if m:
        lo, hi = _number(m.group(1)), _number(m.group(2))
        return (lo, hi) if lo <= hi else (hi, lo)
    m = re.search(rf"\b(?:over|above|more than|at least|greater than|min(?:imum)?)\s+[$€£]?({_NUM})", p)
    if m:
        return _number(m.group(1)), None
    m = re.search(rf"\b(?:under|below|less than|at most|up to|max(?:imum)?)\s+[$€£]?({_NUM})", p)
    if m:
        return None, _number(m.group(1))
    return None, None


def enumeration(phrase: str) -> list[str] | None:
    p = phrase.strip()
    m = re.search(r"\b([A-Za-z])\s*-\s*([A-Za-z])\b", p)
    if m and re.search(r"\bgrades?\b", p, re.I) and m.group(1).upper() < m.group(2).upper():
        return [chr(c) for c in range(ord(m.group(1).upper()), ord(m.group(2).upper()) + 1)]
    m = re.search(r"\b([A-Za-z0-9]{1,12}(?:/[A-Za-z0-9]{1,12})+)\b", p)
    if m:
        return m.group(1).split("/")
    m = re.search(r"\b(?:of|one of|either|is|are|being|:)?\s*((?:[\w$€£&'-]+(?: [\w$€£&'-]+)?\s*,\s*)*[\w$€£&'-]+(?: [\w$€£&'-]+)?)"
                  r"\s*,?\s+or\s+([\w$€£&'-]+(?: [\w$€£&'-]+)?)\s*$", p)
    if m:
        head = re.sub(r"^.*\b(?:of|one of|either|is|are|being|type|types)\s+", "", m.group(1))
        items = [x.strip() for x in head.split(",") if x.strip()] + [m.group(2).strip()]
        words = [i.split()[-1] if len(i.split()) > 1 and i.split()[0].lower() in ("a", "an", "the") else i for i in items]
        if 2 <= len(words) <= 30:
            return words
    return None


def apply_phrase_constraints(draft: Draft, phrase: str) -> None:
    lo, hi = number_range(phrase)
    if (lo is not None or hi is not None) and draft.type not in ("date", "datetime", "code", "category"):
        if draft.type not in ("money", "integer", "float", "percent", "rating", "quantity", "duration", "age", "year"):
            draft.type = "float" if any(isinstance(x, float) for x in (lo, hi)) else "integer"
            draft.params = {}
        if lo is not None:
            draft.params["min"] = lo
        if hi is not None:
            draft.params["max"] = hi
        elif lo is not None:
            draft.params["max"] = max(lo * 10, lo + 100)
        if lo is not None and hi is None and draft.params.get("mean") is not None and draft.params["mean"] <= lo:
            draft.params["mean"] = lo * 1.8
        if draft.params.get("mean") is not None and not draft.params["min"] <= draft.params["mean"] <= draft.params["max"]:
            draft.params.pop("mean")
        if draft.params.get("min", 0) > draft.params.get("max", 0):
            draft.params["max"] = draft.params["min"]
        draft.why += "; range from the description"
        draft.source = "named"
    values = enumeration(phrase)
    if values:
        draft.type, draft.params = "category", {"values": values}
        draft.why += "; values from the description"
    share = re.search(r"(\d+(?:\.\d+)?)\s*%", phrase)
    if share and draft.type == "boolean":
        draft.params["p_true"] = float(share.group(1)) / 100


_SHARE = re.compile(
    r"(?:about|around|roughly|approximately|~)?\s*(\d+(?:\.\d+)?)\s*%\s*(?:of\s+(?:them|rows|records|users|customers)\s+)?"
    r"(?P<neg>(?:have|has|with)\s+no|without|missing|lack|are|is|have|has)?\s*(?:an?\s+)?(?P<word>[a-z_]+)"
)
_SHARE_AFTER = re.compile(r"(?P<word>[a-z_]+)\s+(?:flag\s+)?(?:that\s+is\s+)?(?:true|set|yes)\s+(?:for|in)\s+"
                          r"(?:about|around|roughly|approximately|~)?\s*(\d+(?:\.\d+)?)\s*%")


def shares(lower: str) -> list[tuple[str, str, float]]:
    """('null'|'true', column word, share) for '30% have no phone', 'about 2% fraud'."""
    out = []
    for m in _SHARE.finditer(lower):
        value = float(m.group(1)) / 100
        if not 0 <= value <= 1:
            continue
        word = m.group("word")
        neg = m.group("neg") or ""
        if word in ("of", "the", "and", "or", "to", "in"):
            continue
        kind = "null" if ("no" in neg.split() or neg in ("without", "missing", "lack")) else "true"
        out.append((kind, word, value))
    for m in _SHARE_AFTER.finditer(lower):
        out.append(("true", m.group("word"), float(m.group(2)) / 100))
    return out


def time_window(lower: str) -> tuple[str, str] | None:
    m = re.search(r"\b(?:in|for|during|of|from)\s+((?:19|20)\d{2})\b(?!\s*(?:-|to)\s*\d)", lower)
    if m:
        return f"{m.group(1)}-01-01", f"{m.group(1)}-12-31"
    m = re.search(r"\b(?:from|between)\s+((?:19|20)\d{2})\s+(?:to|and|-)\s+((?:19|20)\d{2})\b", lower)
    if m:
        return f"{m.group(1)}-01-01", f"{m.group(2)}-12-31"
    m = re.search(r"\b(?:last|past|previous)\s+(\d+)\s+(day|week|month|year)s?\b", lower)
    if m:
        unit = {"day": "d", "week": "w", "month": "m", "year": "y"}[m.group(2)]
        return f"today-{m.group(1)}{unit}", "today"
    m = re.search(r"\b(?:last|past|previous)\s+(day|week|month|year)\b", lower)
    if m:
        return f"today-1{m.group(1)[0]}", "today"
    return None


# (earlier, later): a column with a later word follows one with the earlier word.
DATE_ORDER = [
    ("order", ("ship", "deliver", "dispatch")),
    ("ship", ("deliver", "arriv")),
    ("pickup", ("dropoff", "drop_off")),
    ("start", ("end", "finish", "stop")),
    ("check_in", ("check_out",)),
    ("departure", ("arrival",)),
    ("admission", ("discharge",)),
    ("created", ("updated", "resolved", "closed")),
    ("opened", ("closed", "resolved")),
    ("hire", ("termination",)),
    ("treatment", ("follow_up",)),
]


# ------------------------------------------------------------------ domains

@dataclass(frozen=True)
class Domain:
    key: str
    title: str
    keywords: tuple[str, ...]
    columns: tuple[tuple[Any, ...], ...]


DOMAINS: list[Domain] = [
    Domain("finance_transactions", "finance transactions",
           ("transaction", "transactions", "payment", "payments", "finance", "financial", "purchases", "card"),
           (("transaction_id", "uuid", {}, True),
            ("account_number", "account_number"),
            ("customer_name", "full_name"),
            ("email", "email"),
            ("merchant", "company"),
            ("category", "category", {"values": ["groceries", "restaurants", "travel", "shopping", "utilities",
                                                  "entertainment", "health", "fuel"],
                                       "weights": [24, 16, 9, 18, 10, 8, 7, 8]}),
            ("transaction_type", "transaction_type"),
            ("amount", "money", {"min": 1, "max": 500, "distribution": "lognormal", "mean": 60}),
            ("currency", "currency_code"),
            ("transaction_date", "datetime"),
            ("is_fraud", "boolean", {"p_true": 0.02}))),
    Domain("bank_customers", "bank customers", ("bank", "banking", "account holders"),
           (("customer_id", "code", {"pattern": "CUS-######"}),
            ("full_name", "full_name"),
            ("email", "email"),
            ("phone", "phone"),
            ("iban", "iban"),
            ("account_type", "category", {"values": ["checking", "savings", "business"], "weights": [0.55, 0.35, 0.1]}),
            ("balance", "money", {"min": 0, "max": 100000, "distribution": "lognormal", "mean": 8000}),
            ("credit_score", "integer", {"min": 300, "max": 850, "distribution": "normal", "mean": 690, "std": 70}),
            ("opened_date", "date", {"start": "2010-01-01", "end": "2025-12-31"}))),
    Domain("ecommerce_products", "e-commerce products", ("product", "products", "catalog", "catalogue", "store", "shop"),
           (("product_id", "code", {"pattern": "PRD-#####"}),
            ("product_name", "product_name"),
            ("category", "product_category"),
            ("brand", "brand"),
            ("price", "money", {"min": 2, "max": 800, "distribution": "lognormal", "mean": 45}),
            ("rating", "rating"),
            ("review_count", "integer", {"min": 0, "max": 5000, "distribution": "lognormal", "mean": 120}),
            ("in_stock", "boolean", {"p_true": 0.88}))),
    Domain("ecommerce_orders", "e-commerce orders", ("order", "orders", "e-commerce", "ecommerce", "online shop"),
           (("order_id", "code", {"pattern": "ORD-########"}),
            ("customer_name", "full_name"),
            ("email", "email"),
            ("product_name", "product_name"),
            ("quantity", "quantity"),
            ("unit_price", "money", {"min": 2, "max": 500, "distribution": "lognormal", "mean": 40}),
            ("total", "money"),
            ("order_date", "datetime"),
            ("ship_date", "date", {"after": "order_date"}),
            ("status", "order_status"),
            ("payment_method", "payment_method"))),
    Domain("healthcare_patients", "healthcare patient records",
           ("patient", "patients", "healthcare", "medical", "hospital", "clinic"),
           (("patient_id", "code", {"pattern": "PAT-######"}),
            ("full_name", "full_name"),
            ("gender", "gender"),
            ("birth_date", "birth_date", {"min_age": 0, "max_age": 95}),
            ("age", "age"),
            ("blood_type", "blood_type"),
            ("condition", "category", {"values": ["Hypertension", "Type 2 diabetes", "Asthma", "Hyperlipidemia",
                                                   "Depression", "Arthritis", "COPD", "Migraine", "Anxiety",
                                                   "Coronary artery disease"]}),
            ("admission_date", "date", {"start": "2024-01-01", "end": "2025-12-31"}),
            ("treatment_date", "date", {"after": "admission_date", "max_gap": "10d"}),
            ("billing_amount", "money", {"min": 50, "max": 50000, "distribution": "lognormal", "mean": 2400}),
            ("insurance_provider", "category", {"values": ["Medicare", "Medicaid", "Aetna", "Blue Cross",
                                                            "Cigna", "UnitedHealthcare", "Self-pay"]}))),
    Domain("hr_employees", "employees", ("employee", "employees", "staff", "hr", "payroll", "workforce", "salaries"),
           (("employee_id", "code", {"pattern": "EMP-#####"}),
            ("full_name", "full_name"),
            ("email", "email", {"domain": "company.example"}),
            ("department", "department"),
            ("job_title", "job_title"),
            ("hire_date", "date", {"start": "2010-01-01", "end": "2025-12-31"}),
            ("salary", "money", {"min": 28000, "max": 220000, "distribution": "lognormal", "mean": 72000, "decimals": 0}),
            ("performance_rating", "rating", {"min": 1, "max": 5, "decimals": 0}),
            ("is_remote", "boolean", {"p_true": 0.3}))),
    Domain("education_students", "students", ("student", "students", "school", "course", "courses", "education",
                                              "enrollments", "grades", "exam", "university"),
           (("student_id", "code", {"pattern": "STU-######"}),
            ("full_name", "full_name"),
            ("email", "email"),
            ("course", "category", {"values": ["Mathematics", "Physics", "Chemistry", "Biology", "History",
                                                "Literature", "Computer Science", "Economics"]}),
            ("grade", "category", {"values": ["A", "B", "C", "D", "F"], "weights": [0.22, 0.33, 0.27, 0.12, 0.06]}),
            ("score", "integer", {"min": 0, "max": 100, "distribution": "normal", "mean": 72, "std": 13}),
            ("enrollment_date", "date", {"start": "2024-08-15", "end": "2025-09-15"}),
            ("year_of_study", "integer", {"min": 1, "max": 4}))),
]


def pick_domain(lower: str) -> Domain | None:
    best, best_score = None, 0.0
    for domain in DOMAINS:
        score = 0.0
        for kw in domain.keywords:
            if re.search(rf"\b{re.escape(kw)}\b", lower):
                score += 1 + len(kw) / 20
        if score > best_score:
            best, best_score = domain, score
    return best
