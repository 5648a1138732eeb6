"""Vectorised building blocks: numpy in, Arrow strings out, no Python loop per row.

Strings are built as fixed-width byte matrices (one row per value) or by joining
Arrow arrays element-wise; both stay in C for every row.
"""

from __future__ import annotations

from functools import cache, lru_cache

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
# Byte value -> its two hex digits as one little-endian uint16 (high nibble first in memory).
_HEX16 = (_HEX[np.arange(256) >> 4].astype("<u2") | (_HEX[np.arange(256) & 15].astype("<u2") << 8))
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
    pairs = np.take(_HEX16, np.ascontiguousarray(raw, dtype=np.uint8))
    return pairs.view(np.uint8).reshape(n, 2 * k)


@cache
def _hex4() -> np.ndarray:
    """uint16 value -> its four hex digits as the bytes of one little-endian uint32."""
    v = np.arange(1 << 16, dtype=np.uint32)
    table = np.zeros(1 << 16, dtype="<u4")
    for j, shift in enumerate((12, 8, 4, 0)):
        table |= _HEX[(v >> shift) & 15].astype("<u4") << np.uint32(8 * j)
    return table


def hex_groups(groups: np.ndarray) -> np.ndarray:
    """An (n, k) uint16 matrix → (n, 4k) matrix of lower-case hex digits."""
    n, k = groups.shape
    return np.take(_hex4(), groups).view(np.uint8).reshape(n, 4 * k)


def digit_matrix(values: np.ndarray, width: int) -> np.ndarray:
    """Non-negative integers → (n, width) matrix of their zero-padded decimal digits."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return ((values.astype(np.int64)[:, None] // powers) % 10).astype(np.uint8)


def concat(pool: pa.Array, idx: np.ndarray) -> pa.StringArray:
    """Row r = pool[idx[r, 0]] + pool[idx[r, 1]] + ... for an (n, k) index matrix.

    One take of the flattened (row-major) indices lays every row's parts out back to
    back, so the joined strings are that same data buffer read with every k-th offset:
    no second copy and no per-part join.
    """
    n, k = idx.shape
    flat = take(pool, idx.reshape(-1))
    if k == 1:
        return flat
    _, offsets, data = flat.buffers()
    every = np.frombuffer(offsets, dtype=np.int32, count=len(flat) + 1, offset=flat.offset * 4)[::k]
    return pa.StringArray.from_buffers(n, pa.py_buffer(np.ascontiguousarray(every)), data)


class Pieces:
    """String pools (or literals) glued into one so that one take spells whole rows.

    ``Pieces(first, " ", last).spell(fi, 0, li)`` is first[fi] + " " + last[li]:
    the j-th index picks from the j-th pool.
    """

    __slots__ = ("base", "pool")

    def __init__(self, *parts: pa.Array | str) -> None:
        arrays = [pa.array([p], type=pa.string()) if isinstance(p, str) else p.cast(pa.string())
                  for p in parts]
        self.pool = pa.concat_arrays(arrays)
        self.base = np.cumsum([0] + [len(a) for a in arrays[:-1]]).astype(np.int64)

    def spell(self, *idx: np.ndarray | int) -> pa.StringArray:
        n = next(len(i) for i in idx if isinstance(i, np.ndarray))
        mat = np.empty((n, len(idx)), dtype=np.int64)
        for j, i in enumerate(idx):
            mat[:, j] = i
        mat += self.base
        return concat(self.pool, mat)


_SPLIT = 100_000


@cache
def decimal_pools() -> tuple[pa.Array, pa.Array]:
    """The two pools numbers below 10**10 are spelled from (see :func:`decimal_index`).

    ``lead``: '', '1'..'99999' (zero spells nothing); ``low``: '00000'..'99999' then
    '0'..'99999'.
    """
    plain = pc.cast(pa.array(np.arange(_SPLIT, dtype=np.int64)), pa.string())
    lead = pa.concat_arrays([pa.array([""], pa.string()), plain.slice(1)])
    padded = fixed_width(digit_matrix(np.arange(_SPLIT, dtype=np.int64), 5) + 48)
    return lead, pa.concat_arrays([padded, plain])


@cache
def _decimal_pieces() -> Pieces:
    return Pieces(*decimal_pools())


def decimal_index(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Indices into the two :func:`decimal_pools` spelling values in [0, 10**10)."""
    hi, lo = np.divmod(values.astype(np.int64), _SPLIT)
    lo[hi == 0] += _SPLIT
    return hi, lo


def digits_or_empty() -> pa.Array:
    """'', '1', '2', ... '99999': index 0 spells nothing (optional number suffixes)."""
    return decimal_pools()[0]


def to_str(values: np.ndarray) -> pa.Array:
    """Integers → their decimal strings.

    Non-negative values below 10**10 are spelled from tables of the numbers below
    100,000 (a take instead of a per-value cast); others use Arrow's cast.
    """
    values = np.asarray(values)
    if values.size and values.dtype.kind in "iu" and values.min() >= 0 and values.max() < _SPLIT**2:
        return _decimal_pieces().spell(*decimal_index(values))
    return pc.cast(pa.array(values), pa.string())


def join(*parts: pa.Array | str, sep: str = "") -> pa.Array:
    """Element-wise concatenation of string arrays and scalars."""
    return pc.binary_join_element_wise(*parts, sep)


def take(pool: pa.Array, idx: np.ndarray) -> pa.Array:
    return pool.take(pa.array(idx, type=pa.int64()))


@cache
def _multiplier(domain: int) -> int:
    """A multiplier coprime with ``domain`` that spreads consecutive rows far apart.

    The integer nearest min(domain, 2**31)/φ, moved up until coprime with the domain
    (a Weyl step: rows i and i+1 land about 0.62·domain apart in domains up to 2**31).
    It stays below 2**31, so a·i fits in int64 for every row number below 2**32.
    """
    from math import gcd

    a = max(1, int(min(domain, 1 << 31) * 0.6180339887498949))
    while gcd(a, domain) != 1:
        a += 1
    return a


def scramble(index: np.ndarray, domain: int, key: int) -> np.ndarray:
    """A bijection of [0, domain) applied to ``index``: unique in, unique out.

    Affine map (a*i + b) mod domain with ``a`` coprime with the domain.
    """
    if domain <= 1:
        return np.zeros(len(index), dtype=np.int64)
    a = _multiplier(domain)
    b = key % domain
    out = index.astype(np.int64) * a
    out %= domain
    out += b
    out %= domain
    return out


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


class Weighted:
    """Walker's alias table: O(1) weighted draws of indices in [0, k), one uniform each.

    A uniform u·k picks a slot i (its integer part) and the fraction decides between
    the slot's own index and its alias; the draw is exact, unlike a quantised table,
    and costs a handful of vector passes where a binary search costs log2(k).
    """

    __slots__ = ("alias", "k", "prob")

    def __init__(self, weights) -> None:
        w = np.asarray(weights, dtype=np.float64)
        k = len(w)
        scaled = w * (k / w.sum())
        prob = np.ones(k, dtype=np.float64)
        alias = np.arange(k, dtype=np.int64)
        small = [i for i in range(k) if scaled[i] < 1.0]
        large = [i for i in range(k) if scaled[i] >= 1.0]
        while small and large:
            s, g = small.pop(), large.pop()
            prob[s], alias[s] = scaled[s], g
            scaled[g] -= 1.0 - scaled[s]
            (small if scaled[g] < 1.0 else large).append(g)
        self.prob, self.alias, self.k = prob, alias, k

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        u = rng.random(n)
        u *= self.k
        i = u.astype(np.int64)
        np.minimum(i, self.k - 1, out=i)
        u -= i
        return np.where(u < self.prob[i], i, self.alias[i])


@lru_cache(maxsize=1024)
def weighted(weights: tuple[float, ...]) -> Weighted:
    """The alias table of a weight list (cached: categories redraw it every chunk)."""
    return Weighted(weights)


def weighted_index(rng: np.random.Generator, weights: Weighted | tuple[float, ...], n: int) -> np.ndarray:
    """n indices drawn with probabilities proportional to ``weights``."""
    table = weights if isinstance(weights, Weighted) else weighted(tuple(float(w) for w in weights))
    return table.draw(rng, n)
