"""Vectorised generators, one per catalogue type, keyed by type name.

:data:`GENERATORS` maps every name in :data:`synth_magic.catalog.TYPES` to a
:class:`Generator`: ``make(ctx, params)`` draws one chunk of values, ``domain(params,
locale)`` counts the distinct values it can make (for unique columns). Types whose
catalogue entry names their values (``categories``), their locale pool (``pool``) or a
``pattern`` share one generator each; the others have their own, in the modules below.

Adding a type: its catalogue entry, and (unless it is a choice, pool or pattern type) one
``Generator`` in the module of its group.
"""

from __future__ import annotations

from ..catalog import TYPES
from . import _dates, _identifiers, _internet, _numbers, _people, _places, _series, _text
from ._base import Ctx, Generator, column_key

__all__ = ["GENERATORS", "Ctx", "Generator", "column_key"]


def _table() -> dict[str, Generator]:
    own: dict[str, Generator] = {}
    for module in (_numbers, _identifiers, _people, _places, _dates, _series, _text, _internet):
        own.update(module.GENERATORS)
    table = {}
    for name, spec in TYPES.items():
        if name in own:
            table[name] = own[name]
        elif spec.categories:
            table[name] = _numbers.CHOICE
        elif spec.pool:
            table[name] = _places.pool_generator(spec.pool)
        elif "pattern" in spec.param_index:
            table[name] = _identifiers.PATTERN
        else:
            raise LookupError(f"catalogue type {name!r} has no generator")
    return table


GENERATORS: dict[str, Generator] = _table()
