"""How parameter values are written: dates, durations, times of day (no numpy).

Validation reads them here; generators turn the seconds into numpy values.

- a date or timestamp: ``2024-03-01``, ``2024-03``, ``2024-03-01 12:00``, ``today``,
  ``now``, ``today-90d`` (units d, w, m = 30 days, y = 365 days)
- a duration: ``30s``, ``5min``, ``2h``, ``3d``, ``1w``
- a time of day: ``09:30``, ``23:59:59``
- a pattern: ``ORD-######`` (see :data:`PATTERN_CLASSES`)
- a key of a setting given per value of ``by`` columns: a value (``junior``), a range of
  numbers (``18-39``, ``65+``, ``<18``, ``>=100``), ``a|b`` for several ``by`` columns,
  ``*`` for any value
"""

from __future__ import annotations

import re
import time

__all__ = [
    "ANY", "PATTERN_CLASSES", "clock_seconds", "key_parts", "parse_clock", "parse_duration", "parse_range",
    "parse_when", "value_union",
]

# Radix of each pattern character: '#' digit, '%' non-zero digit, '?' upper-case
# letter, '*' upper-case letter or digit. Everything else is literal.
PATTERN_CLASSES: dict[str, bytes] = {
    "#": b"0123456789",
    "%": b"123456789",
    "?": b"ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "*": b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
}

_WHEN = re.compile(r"^(today|now)\s*(?:([+-])\s*(\d{1,5})\s*([dwmy]))?$")
_STAMP = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?)?")
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*(s|sec|min|h|d|w)$")
_DURATION_SECONDS = {"s": 1, "sec": 1, "min": 60, "h": 3600, "d": 86400, "w": 604800}
_UNIT_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}
_CLOCK = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?")
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def parse_when(value: str) -> int | None:
    """'2024-03-01', '2024-03-01 12:00', 'today', 'now', 'today-90d' → seconds since 1970 (UTC).

    None when the text is not such a value (or names a day that does not exist).
    """
    text = value.strip().lower()
    m = _WHEN.match(text)
    if m:
        now = int(time.time())
        base = now if m.group(1) == "now" else now - now % 86400
        if m.group(2):
            days = int(m.group(3)) * _UNIT_DAYS[m.group(4)]
            base += (days if m.group(2) == "+" else -days) * 86400
        return base
    m = _STAMP.fullmatch(text)
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    day = int(m.group(3) or 1)
    hour, minute, second = (int(g or 0) for g in m.group(4, 5, 6))
    if not 1 <= month <= 12 or not 1 <= day <= _days_in_month(year, month) \
            or hour > 23 or minute > 59 or second > 59:
        return None
    return _days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second


def parse_duration(value: str) -> float | None:
    """'30s', '5min', '2h', '3d', '1w' → seconds."""
    m = _DURATION.match(value.strip().lower())
    return float(m.group(1)) * _DURATION_SECONDS[m.group(2)] if m else None


def parse_clock(value: str) -> int | None:
    """'09:30' or '23:59:59' → seconds after midnight; None for anything else."""
    m = _CLOCK.fullmatch(value.strip())
    return int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3) or 0) if m else None


def clock_seconds(value: str) -> int:
    """Seconds after midnight of a time already checked by :func:`parse_clock`."""
    return parse_clock(value) or 0


def _days_in_month(year: int, month: int) -> int:
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return 29 if month == 2 and leap else _MONTH_DAYS[month - 1]


def _days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 in the proleptic Gregorian calendar (year 0 included)."""
    year -= month <= 2
    era = year // 400
    yoe = year - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


ANY = "*"
_NUM = r"-?\d+(?:\.\d+)?"
_SPAN = re.compile(rf"^({_NUM})\s*(?:-|\.\.|to)\s*({_NUM})$")
_OPEN = re.compile(rf"^({_NUM})\s*\+$")
_CMP = re.compile(rf"^(<=|>=|<|>|=)?\s*({_NUM})$")


def parse_range(text: str) -> tuple[float, float, bool, bool] | None:
    """'18-39' (both ends in), '65+', '<18', '>=100', '5' → (lo, hi, lo included, hi included)."""
    t = text.strip()
    m = _SPAN.match(t)
    if m:
        return float(m.group(1)), float(m.group(2)), True, True
    m = _OPEN.match(t)
    if m:
        return float(m.group(1)), float("inf"), True, False
    m = _CMP.match(t)
    if not m:
        return None
    op, x = m.group(1) or "=", float(m.group(2))
    return {"<": (-float("inf"), x, False, False), "<=": (-float("inf"), x, False, True),
            ">": (x, float("inf"), False, False), ">=": (x, float("inf"), True, False),
            "=": (x, x, True, True)}[op]


def key_parts(key: str, columns: int) -> list[str] | None:
    """A per-value key split into one part per 'by' column ('*' alone: any value of each)."""
    if key.strip() == ANY:
        return [ANY] * columns
    parts = [part.strip() for part in key.split("|")]
    return parts if len(parts) == columns else None


def value_union(mapping: dict) -> list:
    """The values a list given per value can take: every entry's, in order."""
    out: dict = {}
    for values in mapping.values():
        out.update(dict.fromkeys(values or ()))
    return list(out)
