"""Identifiers with structure: UUIDs, patterned codes, account numbers, IBANs, ISBNs, cards."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pyarrow as pa

from .._syntax import PATTERN_CLASSES
from . import _kernels as K
from ._base import Ctx, Generator

__all__ = ["GENERATORS", "PATTERN", "pattern"]


_DASH = np.uint32(ord("-"))


def _uuid(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    """Version-4 UUIDs: 16 random bytes a row in one draw (read as eight 16-bit groups),
    the version and variant bits set in place, each group's four hex digits one 32-bit
    word of a table, written as the nine words of a 36-byte row (the dashes shifted in)."""
    groups = ctx.rng.integers(0, 1 << 64, (ctx.n, 2), dtype=np.uint64).view(np.uint16)
    version, variant = groups[:, 3], groups[:, 4]
    version &= 0x0FFF
    version |= 0x4000  # version 4
    variant &= 0x3FFF
    variant |= 0x8000  # RFC 4122 variant
    words = K.hex_words(groups)
    row = np.empty((ctx.n, 9), dtype="<u4")  # xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx as 9 words
    for dst, src in ((0, 0), (1, 1), (6, 5), (7, 6), (8, 7)):  # whole words where a group is aligned
        row[:, dst] = words[:, src]
    g2, g3, g4 = words[:, 2], words[:, 3], words[:, 4]  # bytes 9-12, 14-17, 19-22: across words
    spare = np.empty(ctx.n, dtype="<u4")
    out = row[:, 2]
    np.left_shift(g2, 8, out=out)
    out |= _DASH
    out = row[:, 3]
    np.right_shift(g2, 24, out=out)
    out |= _DASH << np.uint32(8)
    out |= np.left_shift(g3, 16, out=spare)
    out = row[:, 4]
    np.right_shift(g3, 16, out=out)
    out |= _DASH << np.uint32(16)
    out |= np.left_shift(g4, 24, out=spare)
    out = row[:, 5]
    np.right_shift(g4, 8, out=out)
    out |= _DASH << np.uint32(24)
    return K.fixed_width(row.view(np.uint8))


def pattern(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    """Strings following a pattern; unique ones spell a scrambled row number, the others
    draw every class position of a row at once (one matrix, read in row order, so the
    first k rows made alone are the same as a whole chunk's)."""
    if ctx.unique:
        return K.fill_pattern(p["pattern"], ctx.rng, ctx.n, ctx.index, ctx.key)
    literal, positions = _pattern_positions(p["pattern"])
    mat = np.empty((ctx.n, len(literal)), dtype=np.uint8)
    mat[:] = literal
    if positions:
        drawn = ctx.rng.integers(0, np.array([radix for _, _, radix, _ in positions]), (ctx.n, len(positions)))
        for j, (start, width, _, letters) in enumerate(positions):
            mat[:, start:start + width] = K.ascii_digits(drawn[:, j], width) if letters is None else \
                letters[drawn[:, j]][:, None]
    return K.fixed_width(mat)


@functools.lru_cache(maxsize=256)
def _pattern_positions(text: str) -> tuple[np.ndarray, list[tuple[int, int, int, np.ndarray | None]]]:
    """A pattern's literal bytes, and its class positions as (byte, width, radix, letters):
    runs of '#' as numbers of up to 18 digits (letters None), every other class alone."""
    literal = np.frombuffer(text.encode(), dtype=np.uint8).copy()
    positions: list[tuple[int, int, int, np.ndarray | None]] = []
    at = 0
    for ch in text:
        if ch == "#" and positions and positions[-1][3] is None and positions[-1][0] + positions[-1][1] == at \
                and positions[-1][1] < 18:
            start, width, _, _ = positions[-1]
            positions[-1] = (start, width + 1, 10 ** (width + 1), None)
        elif ch == "#":
            positions.append((at, 1, 10, None))
        elif ch in PATTERN_CLASSES:
            letters = np.frombuffer(PATTERN_CLASSES[ch], dtype=np.uint8)
            positions.append((at, 1, len(letters), letters))
        at += len(ch.encode())
    return literal, positions


def _pattern_domain(p: dict[str, Any], _: str) -> int:
    return K.pattern_domain(p["pattern"])


def _account_number(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    return pattern(ctx, {"pattern": "%" + "#" * (p["digits"] - 1)})


_IBAN_LENGTHS = {"DE": 18, "GB": 18, "FR": 23, "ES": 20, "IT": 23, "NL": 14, "BE": 12, "AT": 16,
                 "CH": 17, "PL": 24, "PT": 21, "SE": 20, "DK": 14, "NO": 11, "FI": 14, "IE": 18}


def _iban_country(p: dict[str, Any], locale: str) -> str:
    country = (p.get("country") or locale.rpartition("_")[2]).upper()
    return country if country in _IBAN_LENGTHS else "DE"


def _iban(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    country = _iban_country(p, ctx.locale)
    width = _IBAN_LENGTHS[country]
    if ctx.unique:
        digits = K.digit_matrix(K.scramble(ctx.index, 10 ** min(width, 17), ctx.key), width)
    else:
        digits = ctx.rng.integers(0, 10, (ctx.n, width), dtype=np.uint8)
    # Check digits: 98 - (BBAN + country letters as numbers + '00') mod 97.
    letters = [d for ch in country for d in str(ord(ch) - 55)]
    tail = np.array([int(d) for d in letters] + [0, 0], dtype=np.uint8)
    full = np.hstack([digits, np.broadcast_to(tail, (ctx.n, len(tail)))])
    check = 98 - K.mod97(full)
    head = np.empty((ctx.n, 4), dtype=np.uint8)
    head[:, 0], head[:, 1] = ord(country[0]), ord(country[1])
    head[:, 2], head[:, 3] = 48 + check // 10, 48 + check % 10
    return K.fixed_width(np.hstack([head, digits + 48]))


def _isbn(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    if ctx.unique:
        nine = K.digit_matrix(K.scramble(ctx.index, 10**9, ctx.key), 9)
    else:
        nine = ctx.rng.integers(0, 10, (ctx.n, 9), dtype=np.uint8)
    digits = np.hstack([np.broadcast_to(np.array([9, 7, 8], np.uint8), (ctx.n, 3)), nine])
    weights = np.tile([1, 3], 6)
    check = (10 - (digits.astype(np.int64) * weights).sum(axis=1) % 10) % 10
    return K.fixed_width(np.hstack([digits, check[:, None].astype(np.uint8)]) + 48)


# The providers are the catalogue's credit_card_number choices.
_CARD_PREFIXES = {"Visa": ("4",), "Mastercard": ("51", "52", "53", "54", "55"),
                  "American Express": ("34", "37"), "Discover": ("6011",)}
_CARD_LENGTHS = {"Visa": 16, "Mastercard": 16, "American Express": 15, "Discover": 16}


def _credit_card(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    provider = p["provider"] if p["provider"] in _CARD_PREFIXES else "Visa"
    length = _CARD_LENGTHS[provider]
    prefixes = _CARD_PREFIXES[provider]
    width = len(prefixes[0])
    pre = np.array([[int(c) for c in x] for x in prefixes], dtype=np.uint8)
    head = pre[ctx.rng.integers(0, len(prefixes), ctx.n)]
    body_len = length - width - 1
    if ctx.unique:
        body = K.digit_matrix(K.scramble(ctx.index, 10 ** min(body_len, 17), ctx.key), body_len)
    else:
        body = ctx.rng.integers(0, 10, (ctx.n, body_len), dtype=np.uint8)
    digits = np.hstack([head, body])
    return K.fixed_width(np.hstack([digits, K.luhn_digit(digits)[:, None]]) + 48)


def _card_domain(p: dict[str, Any], _: str) -> int:
    provider = p["provider"] if p["provider"] in _CARD_PREFIXES else "Visa"
    return 10 ** min(_CARD_LENGTHS[provider] - len(_CARD_PREFIXES[provider][0]) - 1, 17)


PATTERN = Generator(pattern, _pattern_domain)  # every type with a pattern (catalog)

GENERATORS: dict[str, Generator] = {
    "uuid": Generator(_uuid),
    "account_number": Generator(_account_number, lambda p, _: 9 * 10 ** (p["digits"] - 1)),
    "iban": Generator(_iban, lambda p, loc: 10 ** min(_IBAN_LENGTHS[_iban_country(p, loc)], 17)),
    "isbn": Generator(_isbn, lambda p, _: 10**9),
    "credit_card_number": Generator(_credit_card, _card_domain),
}
