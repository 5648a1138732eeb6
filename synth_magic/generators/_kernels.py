"""Vectorised building blocks: numpy in, Arrow strings out, no Python loop per row.

Strings are built as fixed-width byte matrices (one row per value), or by one Arrow
take from pools glued together (:class:`Pieces`: every row's parts land back to back in
one buffer, read back with every k-th offset); both stay in C for every row.
"""

from __future__ import annotations

from functools import cache, lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .._syntax import PATTERN_CLASSES

__all__ = [
    "STR", "Pieces", "Weighted", "Weighted2", "ascii_digits", "concat", "concat_ragged", "decimal_index",
    "decimal_pools", "digit_matrix", "digits_or_empty", "fill_pattern", "fixed_width", "hex_bytes",
    "hex_words", "join", "luhn_digit", "mod97", "pattern_domain", "scramble", "take", "to_str",
    "weighted", "weighted_index",
]


_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
# Byte value -> its two hex digits as one little-endian uint16 (high nibble first in memory).
_HEX16 = (_HEX[np.arange(256) >> 4].astype("<u2") | (_HEX[np.arange(256) & 15].astype("<u2") << 8))
_MAX_SCRAMBLE = 1 << 62  # the Feistel halves stay below 2**31


# Strings are built as Arrow large_string (64-bit offsets) throughout: that is what
# pandas' "str" dtype holds, so handing a column to pandas costs no conversion.
STR = pa.large_string()


def _str(values: pa.Array) -> pa.Array:
    """``values`` as large_string: itself when it is one already (a cast costs microseconds of GIL)."""
    return values if values.type == STR else values.cast(STR)


def fixed_width(mat: np.ndarray) -> pa.LargeStringArray:
    """An (n, w) uint8 matrix of UTF-8 bytes → n strings of w bytes each."""
    n, w = mat.shape
    data = np.ascontiguousarray(mat, dtype=np.uint8).reshape(-1)
    offsets = np.arange(0, (n + 1) * w, w, dtype=np.int64) if n else np.zeros(1, np.int64)
    return pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data))


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


def hex_words(groups: np.ndarray) -> np.ndarray:
    """An (n, k) uint16 matrix → (n, k) uint32 words, each the four lower-case hex digits
    of its group as bytes in reading order (little-endian)."""
    return np.take(_hex4(), groups)


def digit_matrix(values: np.ndarray, width: int) -> np.ndarray:
    """Non-negative integers → (n, width) matrix of their zero-padded decimal digits."""
    return ascii_digits(values, width) - np.uint8(48)


def concat(pool: pa.Array, idx: np.ndarray) -> pa.LargeStringArray:
    """Row r = pool[idx[r, 0]] + pool[idx[r, 1]] + ... for an (n, k) index matrix.

    One take of the flattened (row-major) indices lays every row's parts out back to
    back, so the joined strings are that same data buffer read with every k-th offset:
    no second copy and no per-part join.
    """
    n, k = idx.shape
    flat = take(_str(pool), idx.reshape(-1))
    if k == 1:
        return flat
    _, offsets, data = flat.buffers()
    every = np.frombuffer(offsets, dtype=np.int64, count=len(flat) + 1, offset=flat.offset * 8)[::k]
    return pa.LargeStringArray.from_buffers(n, pa.py_buffer(np.ascontiguousarray(every)), data)


def concat_ragged(pool: pa.Array, idx: np.ndarray, counts: np.ndarray) -> pa.LargeStringArray:
    """Like :func:`concat` with ``counts[r]`` parts in row r: ``idx`` lists all rows' parts."""
    flat = take(_str(pool), idx)
    _, offsets, data = flat.buffers()
    every = np.frombuffer(offsets, dtype=np.int64, count=len(flat) + 1, offset=flat.offset * 8)
    at = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=at[1:])
    return pa.LargeStringArray.from_buffers(len(counts), pa.py_buffer(every[at]), data)


class Pieces:
    """String pools (or literals) glued into one so that one take spells whole rows.

    ``Pieces(first, " ", last).spell(fi, 0, li)`` is first[fi] + " " + last[li]:
    the j-th index picks from the j-th pool.
    """

    __slots__ = ("base", "pool")

    def __init__(self, *parts: pa.Array | str) -> None:
        arrays = [pa.array([p], type=STR) if isinstance(p, str) else _str(p) for p in parts]
        self.pool = pa.concat_arrays(arrays)
        self.base = np.cumsum([0] + [len(a) for a in arrays[:-1]]).astype(np.int64)

    def spell(self, *idx: np.ndarray | int) -> pa.LargeStringArray:
        n = next(len(i) for i in idx if isinstance(i, np.ndarray))
        mat = np.empty((n, len(idx)), dtype=np.int64)
        for j, i in enumerate(idx):
            if isinstance(i, np.ndarray):
                np.add(i, self.base[j], out=mat[:, j])
            else:
                mat[:, j] = self.base[j] + i
        return concat(self.pool, mat)


_SPLIT = 100_000


@cache
def decimal_pools() -> tuple[pa.Array, pa.Array]:
    """The two pools numbers below 10**10 are spelled from (see :func:`decimal_index`).

    ``lead``: '', '1'..'99999' (zero spells nothing); ``low``: '00000'..'99999' then
    '0'..'99999'.
    """
    plain = pc.cast(pa.array(np.arange(_SPLIT, dtype=np.int64)), STR)
    lead = pa.concat_arrays([pa.array([""], STR), plain.slice(1)])
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
    return pc.cast(pa.array(values), STR)


def join(*parts: pa.Array | str, sep: str = "") -> pa.Array:
    """Element-wise concatenation of string arrays and scalars (as large_string)."""
    args = [pa.scalar(p, STR) if isinstance(p, str) else _str(p) for p in parts]
    return pc.binary_join_element_wise(*args, pa.scalar(sep, STR))


def take(pool: pa.Array, idx: np.ndarray) -> pa.Array:
    return pool.take(pa.array(idx, type=pa.int64()))


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_ROUNDS = 3  # Luby-Rackoff: three rounds make a pseudo-random permutation


def _round_keys(key: int) -> tuple[np.uint64, ...]:
    out, z = [], key & 0xFFFFFFFFFFFFFFFF
    for _ in range(_ROUNDS):  # splitmix64
        z = (z + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
        m = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
        m = ((m ^ (m >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
        out.append(np.uint64(m ^ (m >> 31)))
    return tuple(out)


def _feistel(x: np.ndarray, half: int, keys: tuple[np.uint64, ...]) -> np.ndarray:
    """A keyed permutation of [0, 2**(2*half)): balanced Feistel rounds."""
    shift, low = np.uint64(half), np.uint64((1 << half) - 1)
    top = np.uint64(64 - half)
    left, right = x >> shift, x & low
    for k in keys:
        f = right ^ k
        f *= _GOLDEN
        f >>= top
        f ^= left
        left, right = right, f
    left <<= shift
    left |= right
    return left


def scramble(index: np.ndarray, domain: int, key: int) -> np.ndarray:
    """A keyed bijection of [0, domain) applied to ``index``: unique in, unique out.

    A Feistel permutation of the smallest even power of two covering the domain,
    cycle-walked back into the domain (values that land outside are permuted again
    until they fall inside; the result is still a bijection of [0, domain)). Consecutive
    row numbers come out looking unrelated, unlike with an affine map.
    """
    if domain <= 1:
        return np.zeros(len(index), dtype=np.int64)
    # Rows number below 2**31, so a bijection of [0, 2**62) is plenty: its values are
    # distinct and inside any larger domain, and the arithmetic stays in 64 bits.
    domain = min(domain, _MAX_SCRAMBLE)
    bits = (domain - 1).bit_length()
    half = (bits + 1) // 2
    keys = _round_keys(key)
    with np.errstate(over="ignore"):
        x = np.asarray(index, dtype=np.int64)
        if len(x) and (x.min() < 0 or x.max() >= domain):
            x = x % domain
        x = x.astype(np.uint64)
        y = _feistel(x, half, keys)
        out = np.flatnonzero(y >= np.uint64(domain))
        while out.size > _WALK_ALONE:
            z = _feistel(y[out], half, keys)
            y[out] = z
            out = out[z >= np.uint64(domain)]
    if out.size:  # the last few walk on alone: a vector pass costs as much for 1 value as for 1,000
        y[out] = [_walk(int(v), domain, half, keys) for v in y[out]]
    return y.astype(np.int64)


_WALK_ALONE = 24


def _walk(value: int, domain: int, half: int, keys: tuple[np.uint64, ...]) -> int:
    """:func:`_feistel` on one value in Python integers, again until it falls inside ``domain``."""
    low, top, mask = (1 << half) - 1, 64 - half, 0xFFFFFFFFFFFFFFFF
    ks = [int(k) for k in keys]
    golden = int(_GOLDEN)
    while True:
        left, right = value >> half, value & low
        for k in ks:
            left, right = right, ((((right ^ k) * golden) & mask) >> top) ^ left
        value = (left << half) | right
        if value < domain:
            return value


def pattern_domain(pattern: str) -> int:
    size = 1
    for ch in pattern:
        if ch in PATTERN_CLASSES:
            size *= len(PATTERN_CLASSES[ch])
    return size


def fill_pattern(pattern: str, rng: np.random.Generator, n: int,
                 unique_index: np.ndarray | None = None, key: int = 0) -> pa.LargeStringArray:
    """Strings following ``pattern`` ('#', '%', '?', '*' classes; other chars literal).

    With ``unique_index`` (global row numbers), the trailing class positions spell a
    scrambled row number, so no two rows share a value. Runs of '#' are drawn and
    spelled as whole numbers (four digits per table lookup), not digit by digit.
    """
    literal, scrambled, size, drawn = _pattern_plan(pattern, unique_index is not None)
    width = len(literal)
    mat = np.empty((n, width), dtype=np.uint8)
    for col, stop in _literal_runs(pattern):
        _fill(mat, col, literal[col:stop])
    if unique_index is not None:
        code = scramble(unique_index, size, key)
        for run, radix in scrambled:
            code, value = _divmod(code, radix)
            _write_run(mat, run, value)
    for run, radix in drawn:
        _write_run(mat, run, rng.integers(0, radix, n, dtype=np.int64))
    return fixed_width(mat)


@lru_cache(maxsize=256)
def _literal_runs(pattern: str) -> tuple[tuple[int, int], ...]:
    """The byte ranges of a pattern's literal characters, adjacent ones together."""
    runs: list[list[int]] = []
    at = 0
    for ch in pattern:
        size = len(ch.encode())
        if ch not in PATTERN_CLASSES:
            if runs and runs[-1][1] == at:
                runs[-1][1] = at + size
            else:
                runs.append([at, at + size])
        at += size
    return tuple((a, b) for a, b in runs)


def _field(mat: np.ndarray, col: int, dtype: str) -> np.ndarray:
    """Bytes ``col`` on of every row of a C-contiguous uint8 matrix, read as one ``dtype``
    value per row (unaligned, strided): a whole value lands in every row in one pass, where
    a copy of an (n, k) block walks row by row."""
    n, w = mat.shape
    if not n:
        return np.empty(0, dtype=dtype)
    return np.ndarray((n,), dtype=dtype, buffer=mat, offset=col, strides=(w,))


def _fill(mat: np.ndarray, col: int, data: np.ndarray) -> None:
    """The same bytes ``data`` at ``col`` of every row, up to eight at a time."""
    at = 0
    while at < len(data):
        size = next(s for s in (8, 4, 2, 1) if s <= len(data) - at)
        _field(mat, col + at, f"<u{size}")[...] = data[at:at + size].view(f"<u{size}")[0]
        at += size


Run = list[tuple[int, str]]


@lru_cache(maxsize=256)
def _pattern_plan(pattern: str, unique: bool) -> tuple[np.ndarray, tuple[tuple[Run, int], ...], int,
                                                         tuple[tuple[Run, int], ...]]:
    """A pattern read once: its bytes, the runs a unique code spells (last first, each with
    its number of values), that code's domain, and the runs drawn at random (in order)."""
    cols: list[tuple[int, str]] = []  # (byte column, class char) of every class position
    raw = pattern.encode()
    width = 0
    for ch in pattern:
        if ch in PATTERN_CLASSES:
            cols.append((width, ch))
        width += len(ch.encode())
    rest, scrambled, size = cols, (), 1
    if unique:
        tail = 0
        for _, ch in reversed(cols):
            if size * len(PATTERN_CLASSES[ch]) > _MAX_SCRAMBLE:
                break
            tail += 1
            size *= len(PATTERN_CLASSES[ch])
        rest, fixed = cols[:len(cols) - tail], cols[len(cols) - tail:]
        scrambled = tuple((run, len(PATTERN_CLASSES[run[0][1]]) ** len(run)) for run in reversed(_runs(fixed)))
    drawn = []
    for run in _runs(rest):
        radix = len(PATTERN_CLASSES[run[0][1]])
        step = 18 if radix == 10 else 1
        drawn += [(run[part:part + step], radix ** len(run[part:part + step])) for part in range(0, len(run), step)]
    return np.frombuffer(raw, dtype=np.uint8), scrambled, size, tuple(drawn)


def _runs(cols: Run) -> list[Run]:
    """Adjacent '#' positions grouped into runs; every other class position alone."""
    runs: list[Run] = []
    for col, ch in cols:
        if runs and ch == "#" and runs[-1][-1][1] == "#" and runs[-1][-1][0] == col - 1:
            runs[-1].append((col, ch))
        else:
            runs.append([(col, ch)])
    return runs


def _write_run(mat: np.ndarray, run: Run, value: np.ndarray) -> None:
    """Spell ``value`` (below radix**len(run)) into the run's columns."""
    col, ch = run[0]
    if ch == "#":
        _digits_into(mat, col, len(run), value)
    else:
        _field(mat, col, "u1")[...] = np.frombuffer(PATTERN_CLASSES[ch], dtype=np.uint8)[value]


@cache
def _digits4() -> np.ndarray:
    """0..9999 → their four ASCII digits as the bytes of one uint32."""
    v = np.arange(10_000)
    digits = (v[:, None] // np.array([1000, 100, 10, 1]) % 10 + 48).astype(np.uint8)
    return digits.view("<u4").reshape(-1)


def _divmod(values: np.ndarray, by: int) -> tuple[np.ndarray, np.ndarray]:
    """``np.divmod`` of non-negative integers by a constant, as a floor division (numpy
    divides by a scalar with a multiply and a shift) and a multiply-subtract: faster."""
    q = values // by
    return q, values - q * by


@cache
def _digits2() -> np.ndarray:
    """0..99 → their two ASCII digits as the bytes of one uint16."""
    return (_digits4()[:100] >> np.uint32(16)).astype("<u2")


def ascii_digits(values: np.ndarray, width: int) -> np.ndarray:
    """Non-negative integers below 10**width → (n, width) matrix of their ASCII digits
    (a view of four-digit words; :func:`_digits_into` writes them into a wider matrix)."""
    groups = -(-width // 4)
    words = np.empty((len(values), groups), dtype="<u4")
    v = np.asarray(values, dtype=np.int64)
    for j in range(groups - 1, -1, -1):
        if j:
            v, low = _divmod(v, 10_000)
        else:
            low = v
        words[:, j] = np.take(_digits4(), low)
    return words.view(np.uint8).reshape(len(values), 4 * groups)[:, 4 * groups - width:]


def _digits_into(mat: np.ndarray, col: int, width: int, values: np.ndarray) -> None:
    """The zero-padded ASCII digits of ``values`` (below 10**width) into bytes
    ``col``..``col + width`` of every row: four digits per table lookup, written a word at a
    time (:func:`_field`), the leading one to three digits as a half word and a byte."""
    v = np.asarray(values, dtype=np.int64)
    end = col + width
    while width >= 4:
        width -= 4
        end -= 4
        if width:
            v, low = _divmod(v, 10_000)
        else:
            low = v
        _field(mat, end, "<u4")[...] = np.take(_digits4(), low)
    if width == 3:
        v, low = _divmod(v, 100)
        _field(mat, end - 2, "<u2")[...] = np.take(_digits2(), low)
        width, end = 1, end - 2
    if width == 2:
        _field(mat, end - 2, "<u2")[...] = np.take(_digits2(), v)
    elif width == 1:
        _field(mat, end - 1, "u1")[...] = v + 48


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
        scaled = w / w.sum() * k  # shares first: k / sum overflows for tiny weights (5e-324)
        prob = np.ones(k, dtype=np.float64)
        alias = np.arange(k, dtype=np.int64)
        small = [i for i in range(k) if scaled[i] < 1.0]
        large = [i for i in range(k) if scaled[i] >= 1.0]
        while small and large:
            s, g = small.pop(), large.pop()
            prob[s], alias[s] = scaled[s], g
            scaled[g] -= 1.0 - scaled[s]
            (small if scaled[g] < 1.0 else large).append(g)
        # A value of weight 0 is paired (its prob 0: never drawn); should rounding ever leave
        # its slot unpaired (prob 1), the slot gives the heaviest value instead.
        unpaired = (w == 0) & (prob == 1.0)
        prob[unpaired], alias[unpaired] = 0.0, int(np.argmax(w))
        self.prob, self.alias, self.k = prob, alias, k

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        u = rng.random(n)
        u *= self.k
        i = u.astype(np.int64)
        np.minimum(i, self.k - 1, out=i)
        u -= i
        # the slot itself where the fraction is below its share, else its alias
        return np.where(u < np.take(self.prob, i), i, np.take(self.alias, i))


class Weighted2:
    """Alias tables for several weight rows over the same k values: row g[i] for draw i."""

    __slots__ = ("alias", "k", "prob")

    def __init__(self, weights: np.ndarray) -> None:
        tables = [Weighted(w) for w in weights]
        self.prob = np.stack([t.prob for t in tables])
        self.alias = np.stack([t.alias for t in tables])
        self.k = weights.shape[1]

    def draw(self, rng: np.random.Generator, g: np.ndarray) -> np.ndarray:
        u = rng.random(len(g))
        u *= self.k
        i = u.astype(np.int64)
        np.minimum(i, self.k - 1, out=i)
        u -= i
        return np.where(u < self.prob[g, i], i, self.alias[g, i])


@lru_cache(maxsize=1024)
def weighted(weights: tuple[float, ...]) -> Weighted:
    """The alias table of a weight list (cached: categories redraw it every chunk)."""
    return Weighted(weights)


def weighted_index(rng: np.random.Generator, weights: Weighted | tuple[float, ...], n: int) -> np.ndarray:
    """n indices drawn with probabilities proportional to ``weights``."""
    table = weights if isinstance(weights, Weighted) else weighted(tuple(float(w) for w in weights))
    return table.draw(rng, n)
