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

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from ..catalog import TYPES
from . import _dates, _identifiers, _internet, _numbers, _people, _places, _series, _text
from ._base import Ctx, Generator, column_key

__all__ = ["GENERATORS", "PREFIX", "Ctx", "Generator", "column_key", "prefix_stable"]


# Types whose chunk's first k values can be made alone (``Generator.prefix``); a test
# checks this set against every type.
PREFIX = frozenset({
    "id", "uuid", "code", "iban", "isbn", "first_name", "last_name", "full_name", "gender", "age", "birth_date", "job_title",
    "blood_type", "language", "city", "state", "postcode", "country", "country_code", "latitude", "longitude",
    "timezone", "company", "department", "industry", "currency_code", "credit_card_number", "credit_card_provider",
    "swift", "transaction_type", "product_category", "brand", "rating", "quantity", "order_status",
    "payment_method", "color", "percent", "date", "datetime", "time", "year", "month", "weekday", "integer",
    "float", "boolean", "category", "formula", "word", "ipv6", "mac_address", "domain_name", "user_agent",
    "http_method", "http_status", "uri_path", "hex_color", "file_name", "mime_type", "license_plate",
    "money", "duration", "account_number", "sku", "stock_ticker", "tracking_number", "email", "username",
    "product_name", "url", "ipv4", "sentence", "title",
})


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
        if name in PREFIX:
            table[name] = replace(table[name], prefix=True)
    return table


GENERATORS: dict[str, Generator] = _table()


def prefix_stable(type_name: str, params: Mapping[str, Any]) -> bool:
    """Whether a column of this type with these settings makes a chunk's first k values
    alone: its type's ``Generator.prefix``, unless its values are reordered by the ranks of
    the whole chunk (``correlate``) or its shape's tails are drawn again (Poisson).
    Numbers of every other shape, and given names that follow a gender column, qualify."""
    return (GENERATORS[type_name].prefix and not params.get("correlate")
            and params.get("distribution") not in _numbers.REDRAWN)
