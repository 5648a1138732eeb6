"""What every generator is and sees: :class:`Generator` and :class:`Ctx`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from . import _kernels as K

__all__ = ["Ctx", "Domain", "Generator", "Make", "column_key", "stream", "stream_states", "streamed"]


def _tag(text: str) -> int:
    import zlib

    return zlib.crc32(text.encode())


def column_key(seed: int, key: int) -> int:
    """The key a column's scrambled unique values use: its own key mixed with the run's seed,
    so unique codes differ between seeds (and stay distinct across chunks: one bijection)."""
    return (key * 0x9E3779B1 + seed * 0x85EBCA77) & 0xFFFFFFFFFFFFFFFF


# numpy's SeedSequence (a pool of four 32-bit words), vectorised over many spawn keys:
# a chunk's columns (and a request's chunks) get their streams' seeds in a few dozen
# array operations instead of one SeedSequence each (about 15 us apiece, most of it
# holding the GIL). The values are numpy's own: ``streamed(stream_states(seed, keys)[i])``
# is ``default_rng(SeedSequence(seed, spawn_key=keys[i]))``.
_M32 = 0xFFFFFFFF
_INIT_A, _MULT_A, _INIT_B, _MULT_B = 0x43B0D7E5, 0x931E8875, 0x8B51F9DD, 0x58F38DED
_MIX_L, _MIX_R = 0xCA01F9DD, 0x4973F715


def _hashmix(value: int, h: int) -> tuple[int, int]:
    """SeedSequence's hashmix of a 32-bit word; the next hash constant."""
    h, value = (h * _MULT_A) & _M32, value ^ h
    value = (value * h) & _M32
    return value ^ (value >> 16), h


def _mix(x: int, y: int) -> int:
    result = (_MIX_L * x - _MIX_R * y) & _M32
    return result ^ (result >> 16)


def _key_words(key: tuple[int, ...]) -> list[int]:
    """A spawn key's 32-bit words as SeedSequence reads them (each number's, lowest first)."""
    words = []
    for part in key:
        if part < 0:
            raise ValueError("a spawn key's numbers must be non-negative")
        words.append(part & _M32)
        part >>= 32
        while part:
            words.append(part & _M32)
            part >>= 32
    return words


@lru_cache(maxsize=256)
def _seed_pool(seed: int) -> tuple[tuple[int, ...], int]:
    """The pool (and hash constant) once a seed's words are mixed in, padded to the pool's
    four words as SeedSequence pads a run entropy that comes with a spawn key."""
    if seed < 0:
        raise ValueError("a stream's seed must be non-negative")
    run = _key_words((seed,))
    run += [0] * (4 - len(run))
    pool, h = [], _INIT_A
    for word in run[:4]:
        value, h = _hashmix(word, h)
        pool.append(value)
    for src in range(4):
        for dst in range(4):
            if src != dst:
                value, h = _hashmix(pool[src], h)
                pool[dst] = _mix(pool[dst], value)
    return _mixed_in(pool, h, run[4:])


def _mixed_in(pool: list[int] | tuple[int, ...], h: int, words: list[int]) -> tuple[tuple[int, ...], int]:
    """Each word hashmixed into each of the pool's four words in turn (how SeedSequence
    takes entropy beyond the pool's size, a spawn key's words included)."""
    pool = list(pool)
    for word in words:
        for dst in range(4):
            value = ((word ^ h) * ((h * _MULT_A) & _M32)) & _M32  # _hashmix, inline: a stream costs ~20 us
            h = (h * _MULT_A) & _M32
            value = (_MIX_L * pool[dst] - _MIX_R * (value ^ (value >> 16))) & _M32
            pool[dst] = value ^ (value >> 16)
    return tuple(pool), h


@lru_cache(maxsize=64)
def _constants(count: int, h: int, mult: int) -> tuple[tuple[np.uint32, np.uint32], ...]:
    """The hash constants of ``count`` hashmix steps from ``h``: (xor, then multiply by)."""
    out = []
    for _ in range(count):
        nxt = (h * mult) & _M32
        out.append((np.uint32(h), np.uint32(nxt)))
        h = nxt
    return tuple(out)


_OUT = _constants(8, _INIT_B, _MULT_B)
_L, _R, _16 = np.uint32(_MIX_L), np.uint32(_MIX_R), np.uint32(16)


def stream_states(seed: int, keys: np.ndarray) -> np.ndarray:
    """For every row of ``keys`` (an (..., k) array of spawn-key words, each below 2**32),
    the four 64-bit words ``SeedSequence(seed, spawn_key=row)`` seeds a PCG64 with: (..., 4)."""
    keys = np.asarray(keys)
    if keys.size and (keys.min() < 0 or keys.max() > _M32):
        raise ValueError("spawn-key words must be in [0, 2**32)")
    words = np.moveaxis(keys, -1, 0).astype(np.uint32)  # one contiguous row per key position
    start, h = _seed_pool(int(seed))
    shape = words.shape[1:]
    pool = np.empty((4, *shape), dtype=np.uint32)
    pool.T[...] = start
    value = np.empty(shape, dtype=np.uint32)
    for j, (xor, mul) in enumerate(_constants(4 * len(words), h, _MULT_A)):
        dst = pool[j & 3]
        np.bitwise_xor(words[j >> 2], xor, out=value)  # hashmix(word)
        value *= mul
        value ^= value >> _16
        dst *= _L  # mix(pool[dst], hashmix(word))
        value *= _R
        dst -= value
        dst ^= dst >> _16
    out = np.empty((*shape, 8), dtype=np.uint32)
    for i, (xor, mul) in enumerate(_OUT):
        part = out[..., i]
        np.bitwise_xor(pool[i & 3], xor, out=part)
        part *= mul
        part ^= part >> _16
    return out.astype("<u4").view("<u8").astype(np.uint64)


def stream(seed: int, *key: int) -> np.random.Generator:
    """``default_rng(SeedSequence(seed, spawn_key=key))`` for one key (numbers of any size):
    :func:`stream_states`' steps for a single row in Python integers, where array
    operations on one value would cost more than they save."""
    pool, _ = _mixed_in(*_seed_pool(int(seed)), _key_words(key))
    out = []
    for i, (xor, mul) in enumerate(_OUT_INT):
        value = ((pool[i & 3] ^ xor) * mul) & _M32
        out.append(value ^ (value >> 16))
    return streamed(np.array(out, dtype="<u4").view("<u8"))


_OUT_INT = tuple((int(xor), int(mul)) for xor, mul in _OUT)


class _State:
    """Four 64-bit words standing in for a SeedSequence when a PCG64 is seeded."""

    __slots__ = ("words",)

    def __init__(self, words: np.ndarray) -> None:
        self.words = np.ascontiguousarray(words, dtype=np.uint64)

    def generate_state(self, n_words: int, dtype: Any = np.uint32) -> np.ndarray:
        if n_words != 4 or np.dtype(dtype) != np.uint64:  # all PCG64 asks for
            raise ValueError("a stream state gives four 64-bit words")
        return self.words


np.random.bit_generator.ISeedSequence.register(_State)


def streamed(state: np.ndarray) -> np.random.Generator:
    """The generator seeded with one row of :func:`stream_states` (about 2 us)."""
    return np.random.Generator(np.random.PCG64(_State(state)))


class Ctx:
    """What a generator sees for one column and one chunk of rows."""

    __slots__ = ("aux", "chunk", "cols", "key", "locale", "n", "name", "rng", "seed", "span", "start", "unique")

    def __init__(self, *, rng: np.random.Generator, n: int, start: int, locale: str,
                 cols: dict[str, Any], aux: dict[str, Any], unique: bool, key: int, name: str,
                 seed: int = 0, chunk: int = 0, span: int | None = None):
        self.rng, self.n, self.start, self.locale = rng, n, start, locale
        self.cols, self.aux, self.unique, self.key, self.name = cols, aux, unique, key, name
        self.seed, self.chunk = seed, chunk
        self.span = n if span is None else span  # the whole chunk's length (n: the rows made, maybe fewer)

    def skip_rest(self) -> None:
        """After a draw of one 64-bit word per value (``rng.random(n)``), move the column's
        stream on to where it would be had the whole chunk been drawn: the next draw then
        gives the whole chunk's first values (a generator made short stays the same)."""
        if self.n < self.span:
            self.rng.bit_generator.advance(self.span - self.n)

    def shared_rng(self, tag: str) -> np.random.Generator:
        """A stream every column of the chunk can draw the same values from (one per ``tag``):
        columns that must agree row by row (a row's place) read it, whatever else the table has."""
        return stream(self.seed, _tag(tag), self.chunk, 3)

    @property
    def index(self) -> np.ndarray:
        """Global row numbers of this chunk."""
        return np.arange(self.start, self.start + self.n, dtype=np.int64)

    def pick(self, domain: int, weights: K.Weighted | None = None) -> np.ndarray:
        """Indices into ``domain`` values: distinct per row when the column is unique."""
        if self.unique:
            return K.scramble(self.index, domain, self.key)
        if weights is not None:
            return weights.draw(self.rng, self.n)
        return self.rng.integers(0, domain, self.n)


# ``make(ctx, params) -> values`` for one chunk, where ``params`` has every default filled
# in and values are a numpy array (numbers, booleans, datetimes, category codes) or an
# Arrow string array.
Make = Callable[[Ctx, dict[str, Any]], Any]
# ``domain(params, locale)``: how many distinct values the type can make with these
# parameters (None: no fixed number, e.g. dates that follow another column).
Domain = Callable[[dict[str, Any], str], "int | None"]


@dataclass(frozen=True)
class Generator:
    """How one catalogue type is generated; ``domain`` for types that can be unique.

    ``prefix``: ``make`` with ``ctx.n = k`` gives the first k values it gives for a whole
    chunk (every draw is a vector of n values, read in row order, and nothing depends on
    how many rows follow), with uniform numbers and no ``correlate`` or ``gender_from``
    (tails drawn again, reordering by rank and draws per gender depend on the whole chunk). The last, cut chunk of a request whose
    columns all have it is made only as long as it is kept.
    """

    make: Make
    domain: Domain | None = None
    prefix: bool = False
