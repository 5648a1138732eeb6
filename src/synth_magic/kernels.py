"""Vectorised building blocks: numpy in, Arrow strings out, no Python loop per row.

Strings are built as fixed-width byte matrices (one row per value) or by joining
Arrow arrays element-wise; both stay in C for every row.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# Radix of each pattern character: '#' digit, '%' non-zero digit, '?' upper-case
# letter, '*' upper-case letter or digit. Everything else is literal.
PATTERN_CLASSES: dict[str, bytes] = {
    "#": b"0123456789",
    "%": b"123456789",
    "?": b"ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "*": b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
}

_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
# Large primes for the affine scramble; at least one never divides a domain size.
_PRIMES = (2_147_483_647, 2_147_483_629, 2_147_483_587, 1_000_000_007, 998_244_353)
_MAX_SCRAMBLE = 1 << 62


def fixed_width(mat: np.ndarray) -> pa.StringArray:
    """An (n, w) uint8 matrix of UTF-8 bytes → n strings of w bytes each."""
    n, w = mat.shape
    data = np.ascontiguousarray(mat, dtype=np.uint8).reshape(-1)
    offsets = np.arange(0, (n + 1) * w, w, dtype=np.int32) if n else np.zeros(1, np.int32)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data))


def hex_bytes(raw: np.ndarray) -> np.ndarray:
    """An (n, k) uint8 matrix → (n, 2k) matrix of lower-case hex digits."""
    n, k = raw.shape
    out = np.empty((n, 2 * k), dtype=np.uint8)
    out[:, 0::2] = _HEX[raw >> 4]
    out[:, 1::2] = _HEX[raw & 15]
    return out


def digit_matrix(values: np.ndarray, width: int) -> np.ndarray:
    """Non-negative integers → (n, width) matrix of their zero-padded decimal digits."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return ((values.astype(np.int64)[:, None] // powers) % 10).astype(np.uint8)


def to_str(values: np.ndarray) -> pa.Array:
    """Numbers → their decimal strings (Arrow's own formatting)."""
    return pc.cast(pa.array(values), pa.string())


def join(*parts: pa.Array | str, sep: str = "") -> pa.Array:
    """Element-wise concatenation of string arrays and scalars."""
    return pc.binary_join_element_wise(*parts, sep)


def take(pool: pa.Array, idx: np.ndarray) -> pa.Array:
    return pool.take(pa.array(idx, type=pa.int64()))


def scramble(index: np.ndarray, domain: int, key: int) -> np.ndarray:
    """A bijection of [0, domain) applied to ``index``: unique in, unique out.

    Affine map (a*i + b) mod domain with ``a`` a prime that does not divide the domain.
    ``a`` < 2**31 and indices < 2**32 keep every product inside int64.
    """
    if domain <= 1:
        return np.zeros(len(index), dtype=np.int64)
    a = next(p for p in _PRIMES if domain % p)
    b = key % domain
    return ((index.astype(np.int64) * a) % domain + b) % domain


def pattern_domain(pattern: str) -> int:
    size = 1
    for ch in pattern:
        if ch in PATTERN_CLASSES:
            size *= len(PATTERN_CLASSES[ch])
    return size


def fill_pattern(pattern: str, rng: np.random.Generator, n: int,
                 unique_index: np.ndarray | None = None, key: int = 0) -> pa.StringArray:
    """Strings following ``pattern`` ('#', '%', '?', '*' classes; other chars literal).

    With ``unique_index`` (global row numbers), the trailing class positions spell a
    scrambled row number, so no two rows share a value.
    """
    classes = [(i, PATTERN_CLASSES[ch]) for i, ch in enumerate(pattern) if ch in PATTERN_CLASSES]
    chosen: dict[int, np.ndarray] = {}
    if unique_index is not None:
        tail, size = [], 1
        for i, alphabet in reversed(classes):
            if size * len(alphabet) > _MAX_SCRAMBLE:
                break
            tail.append((i, alphabet))
            size *= len(alphabet)
        code = scramble(unique_index, size, key)
        for i, alphabet in tail:
            code, digit = np.divmod(code, len(alphabet))
            chosen[i] = digit
    width = len(pattern.encode())
    mat = np.empty((n, width), dtype=np.uint8)
    col = 0
    for i, ch in enumerate(pattern):
        if ch in PATTERN_CLASSES:
            alphabet = np.frombuffer(PATTERN_CLASSES[ch], dtype=np.uint8)
            digits = chosen.get(i)
            if digits is None:
                digits = rng.integers(0, len(alphabet), n)
            mat[:, col] = alphabet[digits]
            col += 1
        else:
            raw = np.frombuffer(ch.encode(), dtype=np.uint8)
            mat[:, col:col + len(raw)] = raw
            col += len(raw)
    return fixed_width(mat)


def luhn_digit(digits: np.ndarray) -> np.ndarray:
    """Check digit making each row of an (n, k) digit matrix Luhn-valid when appended."""
    k = digits.shape[1]
    # Positions counted from the right once the check digit is appended: doubled at odd.
    doubled = np.zeros(k, dtype=bool)
    doubled[k - 1::-2] = True
    d = digits.astype(np.int64)
    d = np.where(doubled, d * 2, d)
    d = np.where(d > 9, d - 9, d)
    return ((10 - d.sum(axis=1) % 10) % 10).astype(np.uint8)


def mod97(digits: np.ndarray) -> np.ndarray:
    """Each row of an (n, k) digit matrix read as a decimal number, modulo 97."""
    r = np.zeros(digits.shape[0], dtype=np.int64)
    for j in range(digits.shape[1]):
        r = (r * 10 + digits[:, j]) % 97
    return r


def weighted_index(rng: np.random.Generator, cdf: np.ndarray, n: int) -> np.ndarray:
    """n indices drawn with probabilities given by a cumulative distribution ending at 1."""
    return np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), len(cdf) - 1)


def cdf_of(weights) -> np.ndarray:
    w = np.asarray(weights, dtype=np.float64)
    c = np.cumsum(w)
    return c / c[-1]
