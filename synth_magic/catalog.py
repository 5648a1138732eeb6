"""The type catalogue: every semantic column type, as one declarative table.

:data:`TYPES` is the single source of truth about types. Validation
(:mod:`synth_magic.schema`), the generators (:mod:`synth_magic.generators`, keyed by type
name), the OpenAI planner's prompt and JSON schema, the ``synth --types`` listing and the
README's type table are all derived from it. This module is data only: it imports no
numpy or pyarrow, and holds no code that generates or checks values.

Adding a type: one entry in ``_TYPE_LIST`` here and one generator in
:mod:`synth_magic.generators` under the same name (a test keeps the two in step).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "BOOL",
    "CATEGORY",
    "COUNTRY_CURRENCY",
    "CURRENCIES",
    "DATE",
    "DATETIME",
    "DISTRIBUTIONS",
    "FLOAT",
    "GROUPS",
    "INT",
    "KINDS",
    "MAX_CATEGORIES",
    "MAX_STRING",
    "NUMERIC_KINDS",
    "PANDAS_DTYPES",
    "PARAM_KINDS",
    "STRING",
    "TIME_KINDS",
    "TYPES",
    "UNIQUE",
    "Order",
    "locale_currency",
    "Param",
    "ParamKind",
    "TypeSpec",
]

# Value kinds: how a type's values are held while generating and which dtype they get.
STRING, INT, FLOAT, BOOL, DATETIME, DATE, CATEGORY = (
    "string", "int", "float", "bool", "datetime", "date", "category",
)
KINDS = (STRING, INT, FLOAT, BOOL, DATETIME, DATE, CATEGORY)
PANDAS_DTYPES = {
    STRING: "str",
    INT: "int64 (Int64 with nulls)",
    FLOAT: "float64",
    BOOL: "bool (boolean with nulls)",
    DATETIME: "datetime64[s]",
    DATE: "datetime64[s] (midnight)",
    CATEGORY: "category",
}
NUMERIC_KINDS = (INT, FLOAT, BOOL)  # what a formula may read
TIME_KINDS = (DATE, DATETIME)
# Bytes one value takes in memory, by kind (a type may say otherwise: TypeSpec.size).
_KIND_SIZE = {STRING: 24, CATEGORY: 2, BOOL: 2, INT: 9, FLOAT: 9, DATE: 9, DATETIME: 9}



@dataclass(frozen=True)
class ParamKind:
    """How a parameter's values are written: JSON type (and item type for lists), and help."""

    json: str
    help: str
    items: str = ""


# Parameter kinds (schema.py checks each kind; the OpenAI planner's JSON schema uses ``json``).
PARAM_KINDS = {
    "int": ParamKind("integer", "a whole number within the bounds"),
    "float": ParamKind("number", "a number within the bounds"),
    "share": ParamKind("number", "a number from 0 to 1"),
    "bool": ParamKind("boolean", "true or false"),
    "str": ParamKind("string", "plain text"),
    "enum": ParamKind("string", "one of the choices"),
    "strings": ParamKind("array", "a list of distinct plain text values", items="string"),
    "floats": ParamKind("array", "a list of non-negative numbers", items="number"),
    "when": ParamKind("string", "a date: 2024-03-01, 2024-03-01 12:00, today, now, today-90d"),
    "duration": ParamKind("string", "a length of time: 30s, 5min, 2h, 3d, 1w"),
    "clock": ParamKind("string", "a time of day: 09:30, 23:59:59"),
    "pattern": ParamKind("string", "# digit, % non-zero digit, ? letter, * letter or digit; others literal"),
    "column": ParamKind("string", "the name of another column"),
    "expr": ParamKind("string", "arithmetic over numeric columns, dates and durations"),
    "columns": ParamKind("array", "a column name, or a list of up to 3 column names", items="string"),
    "per_value": ParamKind("object", "a setting per value of the 'by' column(s): {junior: 45000, senior: 90000}; "
                           "keys are values, ranges of numbers (18-39, 65+, <18), a|b for several "
                           "'by' columns, * for the rest"),
    "correlations": ParamKind("object", "rank correlations with other numeric columns: {height: 0.7}"),
}
DISTRIBUTIONS = ("uniform", "normal", "lognormal", "poisson", "exponential")
# Money: units of each currency per US dollar (rounded 2025 exchange rates; an estimate, not a
# quote) and its digits after the point (ISO 4217). Default amounts are written in dollars and
# scaled to the locale's currency; a money column 'by' a currency column is in each row's.
CURRENCIES: dict[str, tuple[float, int]] = {
    "USD": (1, 2), "EUR": (0.92, 2), "GBP": (0.79, 2), "JPY": (150, 0), "CAD": (1.36, 2), "AUD": (1.52, 2),
    "CHF": (0.88, 2), "CNY": (7.2, 2), "INR": (83, 2), "KRW": (1350, 0), "BRL": (5.0, 2), "MXN": (17.5, 2),
    "SEK": (10.5, 2), "NOK": (10.7, 2), "DKK": (6.9, 2), "PLN": (4.0, 2), "CZK": (23, 2), "HUF": (360, 2),
    "RON": (4.6, 2), "TRY": (32, 2), "ZAR": (18.5, 2), "NZD": (1.65, 2), "SGD": (1.35, 2), "HKD": (7.8, 2),
    "TWD": (32, 2), "THB": (36, 2), "IDR": (15800, 0), "PHP": (56, 2), "VND": (25000, 0), "ARS": (900, 2),
    "CLP": (950, 0), "COP": (3900, 2), "NGN": (1500, 2), "KES": (130, 2), "EGP": (48, 2), "ILS": (3.7, 2),
    "SAR": (3.75, 2), "AED": (3.67, 2), "RUB": (92, 2), "UAH": (41, 2), "BGN": (1.8, 2), "ISK": (138, 0),
    "PKR": (278, 2), "BDT": (118, 2), "GEL": (2.7, 2), "IRR": (42000, 0), "NPR": (133, 2), "LKR": (300, 2),
}
_EURO = ("DE", "AT", "FR", "BE", "ES", "IT", "NL", "PT", "FI", "IE", "LU", "MT", "SI", "SK", "EE", "LV", "LT",
         "HR", "GR", "CY")
# The currency of a locale's country (the country part of the locale name; others: USD).
COUNTRY_CURRENCY: dict[str, str] = {
    **dict.fromkeys(_EURO, "EUR"), "US": "USD", "GB": "GBP", "CH": "CHF", "LI": "CHF", "JP": "JPY", "CN": "CNY",
    "TW": "TWD", "IN": "INR", "KR": "KRW", "BR": "BRL", "MX": "MXN", "SE": "SEK", "NO": "NOK", "DK": "DKK",
    "PL": "PLN", "CZ": "CZK", "HU": "HUF", "RO": "RON", "TR": "TRY", "ZA": "ZAR", "AU": "AUD", "NZ": "NZD",
    "CA": "CAD", "ID": "IDR", "PH": "PHP", "VN": "VND", "TH": "THB", "AR": "ARS", "CL": "CLP", "CO": "COP",
    "NG": "NGN", "KE": "KES", "EG": "EGP", "IL": "ILS", "SA": "SAR", "AE": "AED", "RU": "RUB", "UA": "UAH",
    "BG": "BGN", "IS": "ISK", "PK": "PKR", "BD": "BDT", "GE": "GEL", "IR": "IRR", "NP": "NPR", "LK": "LKR",
}


def locale_currency(locale: str) -> str:
    """The currency of a locale's country (USD where the table has none)."""
    return COUNTRY_CURRENCY.get(locale.rpartition("_")[2].upper(), "USD")
GROUPS = (
    "identifiers", "people", "contact", "address", "company", "finance", "commerce",
    "dates", "numbers", "text", "internet",
)
# Whether a column of the type can be asked to be unique:
#   always:  its values never repeat anyway (sequential ids, random 122-bit UUIDs)
#   bounded: yes, while the rows fit in the number of values it can make
#   never:   it cannot promise distinct values
UNIQUE = ("always", "bounded", "never")
MAX_CATEGORIES = 1000
MAX_STRING = 200


@dataclass(frozen=True)
class Param:
    """One parameter of a type: its kind, default and bounds.

    ``refers`` (for ``column`` and ``expr`` parameters) lists the value kinds the named
    columns may have, ``refers_error`` what to say when one does not; ``per`` names the
    list parameter this one has one entry per value of (weights per value); ``by`` says the
    value may also be a ``per_value`` mapping, one setting per value of the ``by`` column.
    """

    name: str
    kind: str
    default: Any = None
    lo: float | None = None
    hi: float | None = None
    choices: tuple[str, ...] = ()
    help: str = ""
    required: bool = False
    refers: tuple[str, ...] = ()
    refers_error: str = ""
    per: str = ""
    by: bool = False  # may be written per value of the column(s) named by the type's 'by' parameter
    needs: str = ""  # (column parameters) the parameter the named column must have set
    requires: str = ""  # a parameter that must be given when this one is not at its default
    follows: bool = False  # (column parameters) values follow the named column's: never promised unique


@dataclass(frozen=True)
class Order:
    """Two parameters whose values must not decrease (``lo`` ≤ ``hi``), and what to say."""

    lo: str
    hi: str
    message: str  # may use {lo}, {hi} (names) and {lo_value}, {hi_value}


@dataclass(frozen=True)
class TypeSpec:
    """One semantic type of the catalogue."""

    name: str
    group: str
    kind: str
    help: str
    params: tuple[Param, ...] = ()
    unique: str = "bounded"
    categories: str = ""  # the parameter whose values are the categories (category kinds)
    pool: str = ""  # the locale's list of values the type draws from (generators/_pools.py)
    orders: tuple[Order, ...] = ()
    size: int = 0  # bytes per value in memory at the default settings (0: the kind's usual size), measured
    grows: tuple[str, int] = ()  # (count parameter, bytes per value for each one above its default)
    place: bool = False  # reads the row's place: every such column of a table agrees (generators/_geo.py)
    param_index: dict[str, Param] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "param_index", {p.name: p for p in self.params})
        if not self.size:
            object.__setattr__(self, "size", _KIND_SIZE[self.kind])

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}


# ------------------------------------------------------------------ building blocks

def _num(name: str, default: float | None, lo: float = -1e15, hi: float = 1e15, help: str = "") -> Param:
    return Param(name, "float", default, lo, hi, help=help)


def _int(name: str, default: int | None, lo: int, hi: int, help: str = "") -> Param:
    return Param(name, "int", default, lo, hi, help=help)


def _col(name: str, help: str, refers: tuple[str, ...] = (), error: str = "") -> Param:
    return Param(name, "column", None, help=help, refers=refers, refers_error=error)


_NOT_ABOVE = "{lo} must not be greater than {hi}"
_MIN_MAX = Order("min", "max", _NOT_ABOVE)


_BY_KINDS = (CATEGORY, STRING, INT, FLOAT, BOOL)
_BY = Param("by", "columns", None, help="the column(s) whose value chooses this column's settings, "
            "which are then written per value: {junior: 45000, senior: 90000}", refers=_BY_KINDS,
            refers_error="Column '{column}': 'by' can only name category, text, number or flag columns, not '{ref}'.")
_CORRELATE = Param("correlate", "correlations", None,
                   help="rank correlation with numeric columns this one follows: {height: 0.7}",
                   refers=NUMERIC_KINDS,
                   refers_error="Column '{column}' can only be correlated with numeric columns, not '{ref}'.")


_BOUND_ERROR = "Column '{column}': '%s' can only name an integer or number column, not '{ref}'."
_AT_MOST = Param("at_most", "column", None, help="a number column this one is never above, row by row (a sale "
                 "price at most its list price); values drawn above it are folded back under it",
                 refers=(INT, FLOAT), refers_error=_BOUND_ERROR % "at_most")
_AT_LEAST = Param("at_least", "column", None, help="a number column this one is never below, row by row (a "
                  "price at least its minimum price)", refers=(INT, FLOAT), refers_error=_BOUND_ERROR % "at_least")


def _numeric_params(lo: float, hi: float, dist: str, decimals: int | None) -> tuple[Param, ...]:
    params = (
        Param("min", "float", lo, -1e15, 1e15, help="smallest value", by=True),
        Param("max", "float", hi, -1e15, 1e15, help="largest value (open above when only mean is given)", by=True),
        Param("distribution", "enum", dist, choices=DISTRIBUTIONS, help="shape of the values"),
        Param("mean", "float", None, -1e15, 1e15, help="centre of the values (default: from min and max)", by=True),
        Param("std", "float", None, 0, 1e15, help="spread of the values (default: from min and max)", by=True),
    )
    if decimals is not None:
        params += (_int("decimals", decimals, 0, 6, "digits after the decimal point"),)
    return params + (_BY, _CORRELATE, _AT_MOST, _AT_LEAST)


def _choice(name: str, group: str, help: str, values: list[str] | None, weights: list[float] | None = None,
            required: bool = False) -> TypeSpec:
    return TypeSpec(
        name, group, CATEGORY, help,
        (Param("values", "strings", values, help="the possible values" + (" (required)" if required else ""),
               required=required, by=True),
         Param("weights", "floats", weights, help="relative frequency of each value", per="values", by=True),
         _BY, _ENTITIES),
        categories="values",
    )


_ENTITIES = _int("entities", None, 1, 100_000, "a fixed set of N entities (sensors, tickers, stores) "
                 "the rows cycle through in order: one row per entity and period")
_ENTITY = Param("entity", "column", None, help="the entity column (with entities=N) this follows: one value "
                "per entity and period", needs="entities")


_WITHIN = Param("within", "str", None, help="where the table's places lie: a country, region or city "
                "('France', 'Bavaria', 'US/NY', 'NYC'), or 'world'; every address column of a row agrees")


def _place(name: str, help: str, pool: str = "", size: int = 0, unique: str = "bounded") -> TypeSpec:
    """An address type: real places, the same for every address column of a row."""
    return TypeSpec(name, "address", STRING, help, (_WITHIN, _ENTITIES), pool=pool, size=size, unique=unique,
                    place=True)


def _pool(name: str, group: str, help: str, pool: str = "", size: int = 0) -> TypeSpec:
    return TypeSpec(name, group, STRING, help, pool=pool or name, size=size)


def _patterned(name: str, group: str, help: str, pattern: str) -> TypeSpec:
    return TypeSpec(name, group, STRING, help,
                    (Param("pattern", "pattern", pattern, help=PARAM_KINDS["pattern"].help), _ENTITIES))


def _numeric(name: str, group: str, help: str, kind: str, lo: float, hi: float, dist: str,
             decimals: int | None, extra: tuple[Param, ...] = ()) -> TypeSpec:
    return TypeSpec(name, group, kind, help, _numeric_params(lo, hi, dist, decimals) + extra,
                    orders=(_MIN_MAX,))


def _window(name: str, kind: str, help: str) -> TypeSpec:
    return TypeSpec(
        name, "dates", kind, help,
        (Param("start", "when", "today-365d", help="earliest value: a date, 'today' or 'today-90d'"),
         Param("end", "when", "today", help="latest value (with 'after': none unless given; 'today' "
               "keeps events in the past)"),
         _col("after", "a date column this one follows (e.g. ship date after order date)", TIME_KINDS,
              "Column '{column}' can only follow a date or datetime column, not '{ref}'."),
         Param("min_gap", "duration", "0d" if kind == DATE else "0s", help="shortest gap after 'after'"),
         Param("max_gap", "duration", "14d" if kind == DATE else "2h", help="longest gap after 'after'"),
         Param("step", "duration", None, help="a regular series: one value every step from start"),
         _ENTITY,
         Param("expr", "expr", None, help="a date computed from others, e.g. admitted + days(stay)",
               refers=NUMERIC_KINDS + TIME_KINDS,
               refers_error="Column '{column}': the date uses '{ref}', which is not a numeric or date column.")),
        orders=(Order("start", "end", "start {lo_value} is after end {hi_value}"),
                Order("min_gap", "max_gap", "min_gap must not be longer than max_gap")),
    )


def _range(lo: str, hi: str) -> tuple[Order, ...]:
    return (Order(lo, hi, _NOT_ABOVE),)


_DURATION_UNITS = ("seconds", "minutes", "hours", "days", "weeks")
_THIS_YEAR = time.gmtime().tm_year
_GENDER_PARAMS = (
    Param("gender", "enum", "any", choices=("any", "female", "male"), help="which given names"),
    _col("gender_from", "a gender column the given name agrees with"),
)
_AS_OF = Param("as_of", "when", "today", help="the date ages are counted at")
_FROM_NAME = "Column '{column}' can only be built from a text column such as a name."
_CARD_PROVIDERS = ("Visa", "Mastercard", "American Express", "Discover")

# ------------------------------------------------------------------ the table

_TYPE_LIST: list[TypeSpec] = [
    # identifiers
    TypeSpec("id", "identifiers", INT, "Sequential integer id (1, 2, 3, ...)",
             (_int("start", 1, -10**15, 10**15, "first id"), _int("step", 1, 1, 10**6, "gap between ids"),
              _ENTITIES),
             unique="always"),
    TypeSpec("uuid", "identifiers", STRING, "Random UUID4 string", (_ENTITIES,), unique="always", size=44),
    _patterned("code", "identifiers", "Code from a pattern, e.g. ORD-######", "ID-######"),
    _patterned("sku", "identifiers", "Stock keeping unit, e.g. SKU-AB-1234", "SKU-??-####"),
    _patterned("tracking_number", "identifiers", "Parcel tracking number", "1Z????##########"),
    TypeSpec("account_number", "identifiers", STRING, "Bank account number (digits)",
             (_int("digits", 10, 4, 18, "number of digits"),)),
    TypeSpec("iban", "finance", STRING, "IBAN with valid check digits",
             (Param("country", "str", None, help="two-letter country code (default: from the locale)"),), size=40),
    TypeSpec("isbn", "identifiers", STRING, "ISBN-13 with a valid check digit"),
    # people
    TypeSpec("first_name", "people", STRING, "Given name from the locale's name lists", _GENDER_PARAMS,
             unique="never"),
    TypeSpec("last_name", "people", STRING, "Family name from the locale's name lists", unique="never"),
    TypeSpec("full_name", "people", STRING, "Given and family name, in the locale's order", _GENDER_PARAMS,
             unique="never"),
    _choice("gender", "people", "Gender", ["Female", "Male", "Non-binary"], [0.49, 0.49, 0.02]),
    _numeric("age", "people", "Age in years (or from a birth date column)", INT, 18, 80, "uniform", None,
             extra=(Param("derive_from", "column", None, help="a birth date column to count the age from",
                          refers=TIME_KINDS, refers_error="Column '{column}': an age can only be counted from a "
                          "date column.", follows=True), _AS_OF)),
    TypeSpec("birth_date", "people", DATE, "Birth date for an age range (or from an age column)",
             (_int("min_age", 18, 0, 120, "youngest age"), _int("max_age", 80, 0, 120, "oldest age"),
              _col("derive_from", "an age column the birth date agrees with", (INT, FLOAT),
                   "Column '{column}': a birth date can only follow a numeric age column."), _AS_OF,
              _col("age_at", "a date column the ages are counted at, row by row (a patient's age at admission: "
                   "born before it)", TIME_KINDS, "Column '{column}': 'age_at' can only name a date or datetime "
                   "column, not '{ref}'.")),
             unique="never", orders=_range("min_age", "max_age")),
    _pool("job_title", "people", "Job title", "job", size=32),
    TypeSpec("username", "people", STRING, "User name (from a name column when given)",
             (_col("derive_from", "a name column to build the user name from", (STRING,), _FROM_NAME),)),
    _choice("blood_type", "people", "ABO/Rh blood type",
            ["O+", "A+", "B+", "AB+", "O-", "A-", "B-", "AB-"], [37, 36, 8.5, 2.5, 7, 6, 1.5, 1]),
    _pool("language", "people", "Language name"),
    # contact
    TypeSpec("email", "contact", STRING, "E-mail address (from a name column when given)",
             (_col("derive_from", "a name column the address is built from", (STRING,), _FROM_NAME),
              Param("domain", "str", None, help="one domain for every address, e.g. example.com")), size=32),
    TypeSpec("phone", "contact", STRING, "Phone number of the row's place", place=True),
    # address
    _place("street_address", "Street and house number", size=32, unique="never"),
    _place("city", "City", "city"),
    _place("state", "State, region or province", "state"),
    _place("postcode", "Postal code (US: ZIP code)"),
    _place("country", "Country name", "country"),
    _place("country_code", "Two-letter country code", "country_code"),
    _place("address", "Full postal address", size=52, unique="never"),
    TypeSpec("latitude", "address", FLOAT, "Latitude of the row's place",
             _numeric_params(-90, 90, "uniform", 6), orders=(_MIN_MAX,), place=True),
    TypeSpec("longitude", "address", FLOAT, "Longitude of the row's place",
             _numeric_params(-180, 180, "uniform", 6), orders=(_MIN_MAX,), place=True),
    _place("timezone", "IANA time zone", "timezone", size=28),
    # company
    _pool("company", "company", "Company name", size=28),
    _choice("department", "company", "Department",
            ["Engineering", "Sales", "Marketing", "Finance", "Human Resources", "Operations",
             "Customer Support", "Legal", "Product", "IT"],
            [22, 16, 10, 8, 6, 12, 12, 3, 6, 5]),
    _choice("industry", "company", "Industry",
            ["Technology", "Healthcare", "Finance", "Retail", "Manufacturing", "Education",
             "Energy", "Real Estate", "Transportation", "Media"]),
    # finance
    _numeric("money", "finance", "Amount of money in the locale's currency (by=a currency column: each row's)",
             FLOAT, 1, 1000, "lognormal", 2),
    _choice("currency_code", "finance", "ISO 4217 currency code",
            ["USD", "EUR", "GBP", "JPY", "CAD", "AUD", "CHF"], [45, 25, 10, 7, 5, 5, 3]),
    TypeSpec("credit_card_number", "finance", STRING, "Card number with a valid Luhn digit",
             (Param("provider", "enum", "Visa", choices=_CARD_PROVIDERS, help="card network"),)),
    _choice("credit_card_provider", "finance", "Card network", list(_CARD_PROVIDERS), [52, 33, 10, 5]),
    _pool("swift", "finance", "SWIFT/BIC bank code"),
    _patterned("stock_ticker", "finance", "Stock ticker symbol", "???"),
    TypeSpec("ohlc", "finance", FLOAT, "Open, high or low of a price bar around a close column",
             (Param("part", "enum", "high", choices=("open", "high", "low"), help="which price of the bar"),
              Param("close", "column", None, help="the closing price column (a series)", required=True,
                    refers=(FLOAT, INT), refers_error="Column '{column}': a bar needs a numeric close, not '{ref}'."),
              _col("open", "the bar's open column, which high and low bound too", (FLOAT, INT),
                   "Column '{column}': a bar needs a numeric open, not '{ref}'."),
              Param("spread", "share", 0.01, help="typical size of a bar's wicks relative to the price")),
             unique="never"),
    _choice("transaction_type", "finance", "Kind of bank transaction",
            ["purchase", "payment", "transfer", "withdrawal", "deposit", "refund"],
            [45, 20, 12, 9, 10, 4]),
    # commerce
    TypeSpec("product_name", "commerce", STRING, "Product name", unique="never", size=28),
    _choice("product_category", "commerce", "Product category",
            ["Electronics", "Clothing", "Home & Kitchen", "Books", "Sports & Outdoors", "Beauty",
             "Toys & Games", "Grocery", "Health", "Automotive"],
            [18, 16, 14, 9, 9, 8, 7, 8, 6, 5]),
    TypeSpec("brand", "commerce", STRING, "Brand name"),
    TypeSpec("rating", "commerce", FLOAT, "Rating leaning high, as reviews do",
             (_num("min", 1.0, help="lowest rating"), _num("max", 5.0, help="highest rating"),
              _int("decimals", 1, 0, 3, "digits after the point")),
             orders=(_MIN_MAX,)),
    _numeric("quantity", "commerce", "Item count (mostly small)", INT, 1, 10, "poisson", None),
    _choice("order_status", "commerce", "Order status",
            ["pending", "processing", "shipped", "delivered", "cancelled", "returned"],
            [8, 7, 15, 60, 6, 4]),
    _choice("payment_method", "commerce", "Payment method",
            ["credit card", "debit card", "PayPal", "bank transfer", "cash", "gift card"],
            [38, 25, 18, 8, 7, 4]),
    _pool("color", "commerce", "Colour name", "color_name"),
    _numeric("percent", "numbers", "Percentage", FLOAT, 0, 100, "uniform", 1),
    # dates
    _window("date", DATE, "Calendar date in a window, or after another date column"),
    _window("datetime", DATETIME, "Timestamp in a window, after another column, or every step"),
    TypeSpec("time", "dates", STRING, "Time of day HH:MM:SS",
             (Param("start", "clock", "00:00", help="earliest time"),
              Param("end", "clock", "23:59:59", help="latest time")),
             orders=(Order("start", "end", "start must not be later than end"),)),
    _numeric("year", "dates", "Calendar year", INT, 2000, _THIS_YEAR, "uniform", None),
    _choice("month", "dates", "Month name",
            ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]),
    _choice("weekday", "dates", "Day of the week",
            ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]),
    _numeric("duration", "dates", "Length of time as a number (say the unit in the column name)",
             INT, 1, 120, "lognormal", None,
             extra=(Param("unit", "enum", "minutes", choices=("seconds", "minutes", "hours", "days"),
                          help="unit of the numbers"),)),
    # numbers
    _numeric("integer", "numbers", "Whole number", INT, 0, 100, "uniform", None,
             extra=(Param("values", "floats", None, help="the only whole numbers it takes, for numeric codes "
                          "(1, 2, 5, 99): drawn with weights, min and max then unused"),
                    Param("weights", "floats", None, help="relative frequency of each value", per="values"))),
    _numeric("float", "numbers", "Decimal number", FLOAT, 0, 100, "uniform", 2),
    TypeSpec("boolean", "numbers", BOOL, "True/false flag",
             (Param("p_true", "share", 0.5, 0, 1, help="share of True values", by=True), _BY)),
    _choice("category", "numbers", "One of a list of values", None, required=True),
    TypeSpec("formula", "numbers", FLOAT, "Arithmetic over columns, e.g. quantity * unit_price, discharged - admitted",
             (Param("expr", "expr", None, help="the arithmetic (required)", required=True,
                    refers=NUMERIC_KINDS + TIME_KINDS,
                    refers_error="Column '{column}': formula uses '{ref}', which is not a numeric or date column."),
              _int("decimals", 2, 0, 6, "digits after the decimal point"),
              Param("unit", "enum", "days", choices=_DURATION_UNITS,
                    help="unit of a duration result (a date minus a date)")),
             unique="never"),
    TypeSpec("series", "numbers", FLOAT, "Values over time per entity (trend, season, noise or a random walk)",
             (_ENTITY,
              _col("time", "the timestamp column the season follows", TIME_KINDS,
                   "Column '{column}': a season follows a date or datetime column, not '{ref}'."),
              _num("level", 100, help="where the values start (a price: its first value)"),
              _num("trend", 0, help="change per period (geometric walk: relative, 0.001 = 0.1%)"),
              Param("season", "enum", "none", choices=("none", "daily", "weekly", "yearly"),
                    help="a repeating pattern over the time column", requires="time"),
              _num("amplitude", 10, 0, 1e15, help="size of the season"),
              _num("noise", None, 0, 1e15, help="spread of the noise, or of each step of an additive walk "
                   "(default 5% of the level); a geometric walk: of each period's relative change (default 0.02)"),
              Param("ar", "share", 0.8, help="how much of one period's noise carries into the next"),
              Param("walk", "enum", "none", choices=("none", "additive", "geometric"),
                    help="a random walk instead of noise; geometric for prices"),
              _num("min", None, help="floor of the values (0 for counts)"),
              _int("decimals", 2, 0, 6, "digits after the decimal point")),
             unique="never"),
    # text
    TypeSpec("word", "text", STRING, "Single word"),
    TypeSpec("sentence", "text", STRING, "Sentence of random words",
             (_int("min_words", 6, 1, 50, "fewest words"), _int("max_words", 14, 1, 50, "most words")),
             unique="never", orders=_range("min_words", "max_words"), size=84, grows=("max_words", 7)),
    TypeSpec("paragraph", "text", STRING, "Several sentences",
             (_int("min_sentences", 3, 1, 20, "fewest sentences"), _int("max_sentences", 6, 1, 20, "most sentences")),
             unique="never", orders=_range("min_sentences", "max_sentences"), size=424,
             grows=("max_sentences", 64)),
    TypeSpec("title", "text", STRING, "Short title-cased phrase",
             (_int("min_words", 2, 1, 20, "fewest words"), _int("max_words", 6, 1, 20, "most words")),
             unique="never", orders=_range("min_words", "max_words"), size=40, grows=("max_words", 8)),
    # internet
    TypeSpec("ipv4", "internet", STRING, "IPv4 address"),
    TypeSpec("ipv6", "internet", STRING, "IPv6 address", unique="always", size=48),
    TypeSpec("mac_address", "internet", STRING, "MAC address", unique="never", size=28),
    TypeSpec("url", "internet", STRING, "Web address", unique="never", size=54),
    _pool("domain_name", "internet", "Internet domain name"),
    _pool("user_agent", "internet", "Browser user agent string", size=124),
    _choice("http_method", "internet", "HTTP method",
            ["GET", "POST", "PUT", "DELETE", "PATCH"], [70, 20, 4, 3, 3]),
    TypeSpec("http_status", "internet", INT, "HTTP status code, mostly 200", unique="never"),
    _pool("uri_path", "internet", "Path part of a URL", size=28),
    TypeSpec("hex_color", "internet", STRING, "Colour as #rrggbb", unique="never"),
    _pool("file_name", "internet", "File name with extension"),
    _pool("mime_type", "internet", "MIME type"),
    _pool("license_plate", "identifiers", "Vehicle licence plate"),
]

TYPES: dict[str, TypeSpec] = {t.name: t for t in _TYPE_LIST}
