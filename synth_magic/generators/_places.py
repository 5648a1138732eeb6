"""Values drawn from the locale's lists: places, companies, jobs, phone numbers, postcodes..."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from . import _kernels as K
from . import _pools as pools
from ._base import Ctx, Generator

__all__ = ["GENERATORS", "pool_generator"]


def _pool_gen(kind: str) -> Callable[[Ctx, dict[str, Any]], pa.Array]:
    def gen(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
        pool = pools.sampled(ctx.locale, kind)
        return K.take(pool, ctx.pick(len(pool)))

    return gen


def _pool_domain(kind: str) -> Callable[[dict[str, Any], str], int]:
    return lambda p, locale: len(pools.sampled(locale, kind))


def _format_gen(provider: str, fallback: str) -> Callable[[Ctx, dict[str, Any]], pa.Array]:
    """Phone numbers and postcodes from Faker's own formats, filled digit by digit."""

    def gen(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
        fmts = pools.formats(ctx.locale, provider)
        if not fmts:
            return _pool_gen(fallback)(ctx, p)
        if len(fmts) == 1:
            return K.fill_pattern(fmts[0], ctx.rng, ctx.n, ctx.index if ctx.unique else None, ctx.key)
        which = ctx.rng.integers(0, len(fmts), ctx.n)
        filled = [K.fill_pattern(f, ctx.rng, ctx.n, ctx.index if ctx.unique else None, ctx.key + i)
                  for i, f in enumerate(fmts)]
        return pc.choose(pa.array(which), *filled)

    return gen


def _format_domain(provider: str, fallback: str) -> Callable[[dict[str, Any], str], int]:
    def domain(p: dict[str, Any], locale: str) -> int:
        fmts = pools.formats(locale, provider)
        if not fmts:
            return len(pools.sampled(locale, fallback))
        return min(K.pattern_domain(f) for f in fmts)

    return domain


def _gen_address(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    street = _pool_gen("street_address")(ctx, p)
    city = _pool_gen("city")(ctx, p)
    post = _format_gen("postcode", "postcode")(ctx, p)
    return K.join(street, K.join(post, city, sep=" "), sep=", ")


def pool_generator(kind: str) -> Generator:
    """The generator of a type that draws from the locale's pool ``kind`` (catalog ``pool``)."""
    return Generator(_pool_gen(kind), _pool_domain(kind))


GENERATORS: dict[str, Generator] = {
    "phone": Generator(_format_gen("phone", "phone"), _format_domain("phone", "phone")),
    "postcode": Generator(_format_gen("postcode", "postcode"), _format_domain("postcode", "postcode")),
    "address": Generator(_gen_address),
}
