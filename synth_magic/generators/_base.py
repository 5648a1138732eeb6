"""What every generator is and sees: :class:`Generator` and :class:`Ctx`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _kernels as K

__all__ = ["Ctx", "Domain", "Generator", "Make"]


class Ctx:
    """What a generator sees for one column and one chunk of rows."""

    __slots__ = ("aux", "cols", "key", "locale", "n", "name", "rng", "start", "unique")

    def __init__(self, *, rng: np.random.Generator, n: int, start: int, locale: str,
                 cols: dict[str, Any], aux: dict[str, Any], unique: bool, key: int, name: str):
        self.rng, self.n, self.start, self.locale = rng, n, start, locale
        self.cols, self.aux, self.unique, self.key, self.name = cols, aux, unique, key, name

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
    """How one catalogue type is generated; ``domain`` for types that can be unique."""

    make: Make
    domain: Domain | None = None
