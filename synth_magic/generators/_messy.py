"""Messy data on request: the typical problems of real tables, at a rate, reproducibly.

:func:`mess` takes one chunk's finished columns and spoils about ``rate`` of their cells,
each with a problem that fits its kind of value (text: a typo, other case, stray spaces,
another format for phone numbers, missing; categories: case, spaces, a typo, missing;
numbers: outliers, impossible values, missing; dates: impossible dates, missing; flags:
missing), and duplicates about ``rate / 5`` of the rows (a copy of an earlier row of the
chunk). It returns what it did, cell by cell (row, column, problem, the clean value), so
an exercise can be checked. Everything is drawn from the chunk's own seeds.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..catalog import BOOL, CATEGORY, DATE, DATETIME, FLOAT, INT, STRING
from . import _kernels as K

__all__ = ["DUPLICATE", "PROBLEMS", "mess", "messy_categories"]

DUPLICATE = "duplicate"
# The problems each kind of value can get, with their shares.
PROBLEMS: dict[str, dict[str, float]] = {
    STRING: {"typo": 0.3, "case": 0.2, "spaces": 0.2, "missing": 0.3},
    CATEGORY: {"case": 0.3, "spaces": 0.25, "typo": 0.2, "missing": 0.25},
    INT: {"outlier": 0.35, "impossible": 0.25, "missing": 0.4},
    FLOAT: {"outlier": 0.35, "impossible": 0.25, "missing": 0.4},
    DATE: {"impossible": 0.5, "missing": 0.5},
    DATETIME: {"impossible": 0.5, "missing": 0.5},
    BOOL: {"missing": 1.0},
}
_KEYS = ("id", "uuid")
_VARIANTS = ("upper", "lower", "lead", "trail", "typo")  # the messy spellings of a category
_CATEGORY_PROBLEM = {"upper": "case", "lower": "case", "lead": "spaces", "trail": "spaces", "typo": "typo"}


def messy_categories(categories: tuple[str, ...]) -> tuple[list[str], np.ndarray]:
    """A category column's categories followed by the messy spellings of each, and where
    each messy code (``k * (1 + variant) + category``, variants as in :data:`_VARIANTS`)
    lands in that list (spellings that coincide share one category)."""
    out = {c: i for i, c in enumerate(categories)}
    where = list(range(len(categories)))
    for variant in _VARIANTS:
        for c in categories:
            where.append(out.setdefault(_spell(c, variant), len(out)))
    return list(out), np.array(where, dtype=np.int64)


def _spell(text: str, variant: str) -> str:
    if variant == "upper":
        return text.upper() if text.upper() != text else text.title()
    if variant == "lower":
        return text.lower() if text.lower() != text else text.swapcase()
    if variant == "lead":
        return " " + text
    if variant == "trail":
        return text + "  "
    i = max(0, len(text) // 2 - 1)
    return text[:i] + text[i + 1:i + 2] + text[i] + text[i + 2:] if len(text) > 2 else text + text[-1:]


def mess(out: dict[str, Any], columns: list[tuple], rate: float, start: int, rng_of: Any) -> dict[str, list]:
    """Spoil the chunk ``out`` in place: ``columns`` are (name, kind, type, params, categories);
    ``rng_of(i)`` is the generator for column i (-1: the rows). Returns what was done."""
    record: dict[str, list] = {"row": [], "column": [], "problem": [], "clean": []}
    n = len(_values(out[columns[0][0]]))
    rows = rng_of(-1)
    dup = np.flatnonzero(rows.random(n) < rate / 5)
    dup = dup[dup > 0]
    if dup.size:
        source = (rows.random(dup.size) * dup).astype(np.int64)
        idx = np.arange(n)
        idx[dup] = source
        for name, *_ in columns:
            out[name] = _take(out[name], idx)
        _note(record, start + dup, "*", DUPLICATE, [f"a copy of row {start + s}" for s in source])
    spare = np.ones(n, dtype=bool)
    spare[dup] = False
    for i, col in enumerate(columns):
        name, kind, type_ = col[:3]
        if type_ in _KEYS:
            continue  # a sequential id or a UUID stays as it is (duplicate rows repeat it)
        rng = rng_of(i)
        hit = np.flatnonzero(spare & (rng.random(n) < rate))
        if not hit.size:
            continue
        problems = list(PROBLEMS[kind])
        weights = np.array([PROBLEMS[kind][p] for p in problems])
        which = rng.choice(len(problems), hit.size, p=weights / weights.sum())
        if type_ == "phone":  # phone numbers: another format instead of case
            problems = [("format" if p == "case" else p) for p in problems]
        out[name] = _SPOIL[kind](out[name], hit, [problems[w] for w in which], rng, col, record, start)
    return record


def _values(value: Any) -> Any:
    return value[0] if isinstance(value, tuple) else value


def _take(value: Any, idx: np.ndarray) -> Any:
    if isinstance(value, tuple):
        data, mask = value
        return data[idx], (None if mask is None else mask[idx])
    if isinstance(value, pa.Array):
        return value.take(pa.array(idx))
    return value[idx]


def _note(record: dict[str, list], rows: np.ndarray, column: str, problems: Any, clean: list) -> None:
    record["row"] += rows.tolist()
    record["column"] += [column] * len(rows)
    record["problem"] += [problems] * len(rows) if isinstance(problems, str) else list(problems)
    record["clean"] += clean


def _spoil_text(arr: pa.Array, hit: np.ndarray, problems: list[str], rng: np.random.Generator,
                col: tuple, record: dict[str, list], start: int) -> pa.Array:
    arr = arr.cast(K.STR)
    sub = arr.take(pa.array(hit))
    kinds = np.array(problems)
    spoiled = sub
    for problem, make in (("case", _case), ("spaces", _spaces), ("format", _digits_only), ("typo", _typo)):
        chosen = pa.array(kinds == problem)
        if pc.any(chosen).as_py():
            spoiled = pc.replace_with_mask(spoiled, chosen, make(sub.filter(chosen), rng))
    spoiled = pc.if_else(pa.array(kinds == "missing"), pa.scalar(None, K.STR), spoiled)
    mask = np.zeros(len(arr), dtype=bool)
    mask[hit] = True
    changed = np.asarray(pc.fill_null(pc.not_equal(spoiled, sub), True)) & np.asarray(sub.is_valid())
    clean = sub.to_pylist()
    _note(record, start + hit[changed], col[0], kinds[changed].tolist(), [c for c, k in zip(clean, changed, strict=True) if k])
    return pc.replace_with_mask(arr, pa.array(mask), spoiled)


def _case(values: pa.Array, rng: np.random.Generator) -> pa.Array:
    upper, lower = pc.utf8_upper(values), pc.utf8_lower(values)
    pick_upper = pa.array(rng.random(len(values)) < 0.5)
    first = pc.if_else(pick_upper, upper, lower)
    return pc.if_else(pc.equal(first, values), pc.if_else(pick_upper, lower, upper), first)


def _spaces(values: pa.Array, rng: np.random.Generator) -> pa.Array:
    lead = pa.array(rng.random(len(values)) < 0.5)
    return pc.if_else(lead, K.join(" ", values), K.join(values, "  "))


def _digits_only(values: pa.Array, rng: np.random.Generator) -> pa.Array:
    return pc.replace_substring_regex(values, r"[^0-9+]", "")


def _typo(values: pa.Array, rng: np.random.Generator) -> pa.Array:
    """Two neighbouring ASCII letters swapped (where a value has none: stray spaces instead)."""
    values = pa.concat_arrays([values.cast(K.STR)])  # its own buffers, from offset 0
    _, offsets, data = values.buffers()
    off = np.frombuffer(offsets, dtype=np.int64, count=len(values) + 1).copy()
    raw = np.frombuffer(data, dtype=np.uint8).copy() if data is not None and off[-1] else np.zeros(1, np.uint8)
    length = np.diff(off)
    pos = off[:-1] + (rng.random(len(values)) * np.maximum(length - 1, 1)).astype(np.int64)
    pos = np.where(length >= 2, pos, 0)
    a, b = raw[pos], raw[np.minimum(pos + 1, len(raw) - 1)]
    letter = lambda x: ((x >= 65) & (x <= 90)) | ((x >= 97) & (x <= 122))  # noqa: E731
    ok = (length >= 2) & letter(a) & letter(b) & (a != b)
    raw[pos[ok]], raw[pos[ok] + 1] = b[ok], a[ok]
    swapped = pa.LargeStringArray.from_buffers(len(values), pa.py_buffer(off), pa.py_buffer(raw))
    return pc.if_else(pa.array(ok), swapped, _spaces(values, rng))


def _spoil_category(codes: np.ndarray, hit: np.ndarray, problems: list[str], rng: np.random.Generator,
                    col: tuple, record: dict[str, list], start: int) -> np.ndarray:
    name, labels = col[0], col[4]
    k = len(labels)
    codes = codes.copy()
    clean = codes[hit]
    kinds = np.array(problems)
    variant = np.where(kinds == "case", rng.integers(0, 2, hit.size),
                       np.where(kinds == "spaces", 2 + rng.integers(0, 2, hit.size), 4))
    same = _unchanged(labels)
    stays = same[variant, np.maximum(clean, 0)]
    variant = np.where(stays, 2, variant)  # a spelling that changes nothing: a leading space instead
    kinds = np.where(stays & (kinds != "missing"), "spaces", kinds)
    new = np.where(kinds == "missing", -1, k * (1 + variant) + clean)
    keep = clean >= 0
    codes[hit[keep]] = new[keep]
    _note(record, start + hit[keep], name, kinds[keep].tolist(), [labels[c] for c in clean[keep]])
    return codes


def _unchanged(labels: tuple[str, ...]) -> np.ndarray:
    """[variant, category]: whether that messy spelling is the category itself."""
    return np.array([[_spell(c, v) == c for c in labels] for v in _VARIANTS], dtype=bool)


def _spoil_number(value: Any, hit: np.ndarray, problems: list[str], rng: np.random.Generator,
                  col: tuple, record: dict[str, list], start: int) -> Any:
    name, params = col[0], col[3]
    data, mask = value if isinstance(value, tuple) else (value, None)
    integer = isinstance(value, tuple)
    data = data.copy()
    clean = data[hit].astype(np.float64)
    if not integer:
        live = ~np.isnan(clean)
        hit, clean, problems = hit[live], clean[live], [p for p, ok in zip(problems, live, strict=True) if ok]
    kinds = np.array(problems)
    spread = np.nanstd(data) if len(data) > 1 else 1.0
    lo = params.get("min")
    outlier = clean + np.sign(rng.random(hit.size) - 0.2) * (5 + 10 * rng.random(hit.size)) * max(spread, 1.0)
    if lo is not None and lo >= 0:
        impossible = -np.abs(clean) - 1 - rng.integers(0, 10, hit.size)  # a count, an age, a price below zero
    else:
        impossible = clean + (20 + 80 * rng.random(hit.size)) * max(spread, 1.0)
    new = np.where(kinds == "outlier", outlier, impossible)
    fix = kinds != "missing"
    if integer:
        data[hit[fix]] = np.round(new[fix]).astype(data.dtype)
        mask = np.zeros(len(data), dtype=bool) if mask is None else mask.copy()
        mask[hit[~fix]] = True
    else:
        data[hit[fix]] = np.round(new[fix], 2)
        data[hit[~fix]] = np.nan
    _note(record, start + hit, name, kinds.tolist(), [int(c) if integer else float(c) for c in clean])
    return (data, mask) if integer else data


def _spoil_date(data: np.ndarray, hit: np.ndarray, problems: list[str], rng: np.random.Generator,
                col: tuple, record: dict[str, list], start: int) -> np.ndarray:
    name = col[0]
    data = data.copy()
    clean = data[hit]
    live = ~np.isnat(clean)
    hit, clean = hit[live], clean[live]
    kinds = np.array(problems)[live]
    years = np.where(rng.random(hit.size) < 0.5, -1 * (100 + rng.integers(0, 50, hit.size)), 80 + rng.integers(0, 50, hit.size))
    moved = clean + (years * 365.2425 * 86400).astype("timedelta64[s]")
    data[hit] = np.where(kinds == "missing", np.datetime64("NaT"), moved)
    _note(record, start + hit, name, kinds.tolist(), [str(c) for c in clean])
    return data


def _spoil_flag(value: Any, hit: np.ndarray, problems: list[str], rng: np.random.Generator,
                col: tuple, record: dict[str, list], start: int) -> Any:
    name = col[0]
    data, mask = value
    mask = np.zeros(len(data), dtype=bool) if mask is None else mask.copy()
    fresh = hit[~mask[hit]]
    mask[fresh] = True
    _note(record, start + fresh, name, "missing", [bool(x) for x in data[fresh]])
    return data, mask


_SPOIL = {STRING: _spoil_text, CATEGORY: _spoil_category, INT: _spoil_number, FLOAT: _spoil_number,
          DATE: _spoil_date, DATETIME: _spoil_date, BOOL: _spoil_flag}
