"""Internet values: addresses, URLs, colours."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pyarrow as pa

from . import _kernels as K
from . import _pools as pools
from ._base import Ctx, Generator

__all__ = ["GENERATORS"]


@functools.cache
def _ipv4_pieces() -> K.Pieces:
    octet = K.to_str(np.arange(256))
    return K.Pieces(octet, ".", octet, ".", octet, ".", octet)


_OCTET_LOW, _OCTET_HIGH = np.array([1, 0, 0, 0]), np.array([255, 256, 256, 256])


def _gen_ipv4(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    if ctx.unique:
        n32 = K.scramble(ctx.index, 1 << 32, ctx.key)
        octets = [(n32 >> s) & 255 for s in (24, 16, 8, 0)]
    else:
        octets = ctx.rng.integers(_OCTET_LOW, _OCTET_HIGH, (ctx.n, 4)).T  # a row's four at once
    return _ipv4_pieces().spell(octets[0], 0, octets[1], 0, octets[2], 0, octets[3])


def _hex_groups(ctx: Ctx, groups: int, size: int, sep: str) -> pa.Array:
    raw = ctx.rng.integers(0, 256, (ctx.n, groups * size), dtype=np.uint8)
    hexed = K.hex_bytes(raw)
    width = 2 * size
    mat = np.full((ctx.n, groups * width + groups - 1), ord(sep), dtype=np.uint8)
    for g in range(groups):
        mat[:, g * (width + 1):g * (width + 1) + width] = hexed[:, g * width:(g + 1) * width]
    return K.fixed_width(mat)


def _gen_ipv6(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    return _hex_groups(ctx, 8, 2, ":")


def _gen_mac(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    return _hex_groups(ctx, 6, 1, ":")


def _gen_hex_color(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    raw = ctx.rng.integers(0, 256, (ctx.n, 3), dtype=np.uint8)
    mat = np.hstack([np.full((ctx.n, 1), ord("#"), dtype=np.uint8), K.hex_bytes(raw)])
    return K.fixed_width(mat)


@functools.cache
def _url_pieces(locale: str) -> K.Pieces:
    return K.Pieces("https://www.", pools.sampled(locale, "domain_name"), "/", pools.sampled(locale, "uri_path"))


def _gen_url(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    domains = pools.sampled(ctx.locale, "domain_name")
    paths = pools.sampled(ctx.locale, "uri_path")
    host, path = ctx.rng.integers(0, np.array([len(domains), len(paths)]), (ctx.n, 2)).T  # a row's two at once
    return _url_pieces(ctx.locale).spell(0, host, 0, path)


GENERATORS: dict[str, Generator] = {
    "ipv4": Generator(_gen_ipv4, lambda p, _: 1 << 32),
    "ipv6": Generator(_gen_ipv6),
    "mac_address": Generator(_gen_mac),
    "hex_color": Generator(_gen_hex_color),
    "url": Generator(_gen_url),
}
