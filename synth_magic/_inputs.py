"""What a run's inputs may be: a description, a row count, a seed, a locale, an engine.

These checks are shared by every surface (through :mod:`synth_magic.options`), by
:mod:`synth_magic.api` and by schema validation; each raises :class:`InputError` with
the sentence the user sees.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .errors import ConfigError, InputError, SynthError

__all__ = [
    "DEFAULT_ROWS",
    "ENGINES",
    "MAX_DESCRIPTION",
    "MAX_MESSY",
    "MAX_ROWS",
    "MAX_THREADS",
    "THREADS_ENV",
    "available_locales",
    "check_description",
    "check_engine",
    "check_locale",
    "check_messy",
    "check_path",
    "check_rows",
    "check_seed",
    "check_text",
    "threads",
    "whole_number",
]

DEFAULT_ROWS = 1000
MAX_MESSY = 0.5
MAX_ROWS = 10**12  # anything bigger is a typo; the memory check refuses far less
MAX_DESCRIPTION = 4000
_NAME_MAX = 255  # bytes in one path component on every common file system
MAX_THREADS = 256
THREADS_ENV = "SYNTH_THREADS"  # how many threads make a request's chunks (default: every core)
ENGINES = ("local", "dask")  # where the rows are made: this process, or partitions on a Dask cluster


def available_locales() -> tuple[str, ...]:
    """Faker's locales, sorted (kept in the pool cache: Faker is not imported to know them)."""
    from ._pool_cache import locales

    return locales()


def check_locale(locale: str) -> str:
    """'de-DE', 'de_de' or 'de_DE' → 'de_DE'; an unknown locale is refused."""
    if not isinstance(locale, str) or not locale.strip():
        raise InputError("The locale must be a name such as en_US or de_DE.")
    text = locale.strip().replace("-", "_")
    known = available_locales()
    by_lower = {loc.lower(): loc for loc in known}
    found = by_lower.get(text.lower())
    if found:
        return found
    raise InputError(
        f"Unknown locale {text[:30]!r}; use a Faker locale such as en_US, de_DE, fr_FR or ja_JP "
        "(`synth --locales` lists them all)."
    )


def check_rows(rows: object) -> int:
    """A positive whole number of rows (``1000``, ``"1,000"``, ``"1_000"``, ``"10k"``, ``"1e6"``)."""
    number = whole_number(rows)
    if number is None:
        raise InputError(f"rows must be a whole number such as 1000, not {str(rows)[:40]!r}.")
    if number < 1:
        raise InputError(f"rows must be at least 1, not {number if number > -10**9 else 'a negative number'}.")
    if number > MAX_ROWS:
        raise InputError(f"rows must be at most {MAX_ROWS:,}; for big tables stream them to a file "
                         "with `synth ... -o data.csv`.")
    return number


def check_seed(seed: object) -> int | None:
    if seed is None:
        return None
    number = whole_number(seed)
    if number is None:
        raise InputError(f"seed must be a whole number such as 42, not {str(seed)[:40]!r}.")
    if not 0 <= number < 2**63:
        raise InputError("seed must be a whole number from 0 up.")
    return number


# The one way a person writes a whole number, on every surface: 1000, 1,000 (groups of three),
# 1_000, 10k / 2.5M / 1B, 1e6, with an optional sign. At most 30 digits and a two-digit
# exponent, so no text makes a huge number to compute.
_NUMBER = re.compile(r"(?P<sign>[-+]?)(?P<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+(?:_[0-9]+)*)"
                     r"(?P<frac>\.[0-9]+)?(?:[eE](?P<exp>[-+]?[0-9]{1,2}))?(?P<suffix>[kKmMbB]?)")
_SUFFIXES = {"": 0, "k": 3, "m": 6, "b": 9}


def whole_number(value: object) -> int | None:
    """``value`` as a whole number, or None when it is not one.

    Integers as they are (not booleans), integral floats, and text in the one number
    syntax: ``1000``, ``1,000``, ``1_000``, ``10k``, ``2.5M``, ``1B``, ``1e6``.
    """
    from decimal import Decimal

    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    m = _NUMBER.fullmatch(value.strip()) if isinstance(value, str) else None
    if m is None:
        return None
    digits = m["int"].replace(",", "").replace("_", "") + (m["frac"] or "")
    if len(digits) > 31:
        return None
    number = Decimal(digits).scaleb(int(m["exp"] or 0) + _SUFFIXES[m["suffix"].lower()])
    if number != number.to_integral_value():
        return None
    return -int(number) if m["sign"] == "-" else int(number)


def check_description(description: object) -> str:
    if not isinstance(description, str):
        raise InputError("The description must be text, e.g. 'finance transactions'.")
    text = description.strip()
    if not text:
        raise InputError("The description is empty; say what the table holds, e.g. 'finance transactions'.")
    if len(text) > MAX_DESCRIPTION:
        raise InputError(
            f"The description is {len(text):,} characters long; keep it under {MAX_DESCRIPTION:,} "
            "(list the columns you need rather than pasting documents)."
        )
    return text


def check_messy(messy: object) -> float:
    """The share of cells to make messy: a number from 0 to 0.5 (text such as '0.05' or '5%' too)."""
    value = messy
    if isinstance(messy, str):
        text = messy.strip().rstrip("%")
        try:
            value = float(text) / (100 if messy.strip().endswith("%") else 1)
        except ValueError:
            value = None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= MAX_MESSY:
        raise InputError(f"messy must be a share of the cells from 0 to {MAX_MESSY}, such as 0.05, "
                         f"not {str(messy)[:40]!r}.")
    return float(value)


def check_text(value: object) -> str:
    """A description or a schema's text form: some text, stripped (its length is checked by
    :func:`check_description`, or by the schema's own text limit)."""
    if not isinstance(value, str):
        raise InputError("The description must be text, e.g. 'finance transactions'.")
    text = value.strip()
    if not text:
        raise InputError("The description is empty; say what the table holds, e.g. 'finance transactions'.")
    return text


def check_path(path: object, what: str, error: type[SynthError] = InputError) -> Path:
    """Every path the package opens or writes, checked the same way before it is used.

    ``~`` and ``~user`` are expanded; a NUL character, an overlong name or an unknown user
    become ``error`` with one sentence that names ``what`` the path is for.
    """
    if not isinstance(path, str | os.PathLike):
        raise error(f"The {what} must be a path such as data.csv, not {type(path).__name__}.")
    text = os.fspath(path)
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    shown = text if len(text) <= 60 else text[:59] + "…"
    if "\x00" in text:
        raise error(f"The {what} '{shown!r}' contains a NUL character; use a plain file name.")
    try:
        expanded = Path(text).expanduser()
    except RuntimeError:  # ~nosuchuser, or no home directory to expand ~ to
        raise error(f"The {what} '{shown}' starts with ~ but that home directory is unknown; "
                    "give the full path.") from None
    for part in expanded.parts:
        if len(os.fsencode(part)) > _NAME_MAX:
            raise error(f"The {what} '{shown}' has a name longer than {_NAME_MAX} bytes; shorten it.")
    return expanded


def check_engine(engine: object) -> str:
    """'local' or 'dask' (any case)."""
    word = engine.strip().lower() if isinstance(engine, str) else None
    if word not in ENGINES:
        raise InputError(f"Unknown engine {str(engine)[:20]!r}; use 'local' or 'dask'.")
    return word


def threads() -> int:
    """How many threads make the chunks of one request: ``SYNTH_THREADS``, else every core
    this process may run on. Any number gives the same rows."""
    text = os.environ.get(THREADS_ENV, "").strip()
    if not text:
        try:
            return max(1, len(os.sched_getaffinity(0)))
        except (AttributeError, OSError):
            return max(1, os.cpu_count() or 1)
    if not (text.isascii() and text.isdecimal() and 1 <= int(text) <= MAX_THREADS):
        raise ConfigError(f"{THREADS_ENV} must be a whole number of threads from 1 to {MAX_THREADS}, "
                          f"not '{text[:12]}'; unset it to use every core.")
    return int(text)
