"""What every generator is and sees: :class:`Generator` and :class:`Ctx`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _kernels as K

__all__ = ["Ctx", "Domain", "Generator", "Make", "column_key"]


def _tag(text: str) -> int:
    import zlib

    return zlib.crc32(text.encode())


def column_key(seed: int, key: int) -> int:
    """The key a column's scrambled unique values use: its own key mixed with the run's seed,
    so unique codes differ between seeds (and stay distinct across chunks: one bijection)."""
    return (key * 0x9E3779B1 + seed * 0x85EBCA77) & 0xFFFFFFFFFFFFFFFF


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
        return np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=(_tag(tag), self.chunk, 3)))

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
