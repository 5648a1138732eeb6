"""Text: words, sentences, paragraphs, titles, product and brand names."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import _kernels as K
from . import _pools as pools
from ._base import Ctx, Generator
from ._numbers import below

__all__ = ["GENERATORS"]


_ADJECTIVES = ("Classic", "Compact", "Deluxe", "Eco", "Ergonomic", "Essential", "Everyday",
               "Premium", "Pro", "Portable", "Smart", "Ultra", "Vintage", "Wireless", "Modern",
               "Organic", "Rugged", "Sleek", "Lightweight", "Handmade")
_MATERIALS = ("Bamboo", "Ceramic", "Cotton", "Leather", "Linen", "Metal", "Steel", "Wooden",
              "Glass", "Wool", "Silicone", "Granite", "Aluminium", "Recycled", "Carbon")
_PRODUCTS = ("Backpack", "Blender", "Bottle", "Chair", "Desk Lamp", "Headphones", "Jacket",
             "Keyboard", "Kettle", "Mug", "Notebook", "Pillow", "Running Shoes", "Scarf",
             "Speaker", "Sunglasses", "Table", "T-Shirt", "Towel", "Wallet", "Watch", "Mouse",
             "Monitor", "Phone Case", "Yoga Mat", "Frying Pan", "Candle", "Charger", "Drone",
             "Camera", "Tent", "Bicycle Helmet", "Coffee Grinder", "Vase", "Sneakers")
_BRAND_HEADS = ("Al", "Bri", "Cor", "Da", "El", "Fen", "Gal", "Hel", "Ix", "Jun", "Kor", "Lu",
                "Mar", "No", "Or", "Pax", "Quin", "Ro", "Sol", "Tor", "Ul", "Vel", "Wex", "Zen")
_BRAND_TAILS = ("ara", "ex", "ion", "ora", "ix", "ly", "mo", "nova", "on", "ra", "tech", "va",
                "ton", "lux", "io", "wave")


@functools.cache
def _product_pieces() -> K.Pieces:
    materials = pa.array([m + " " for m in _MATERIALS] + [""])  # the last: no material
    return K.Pieces(pa.array([a + " " for a in _ADJECTIVES]), materials, pa.array(_PRODUCTS))


def _gen_product_name(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    # one draw of a row's four choices (read in row order: the first k rows alone are the same)
    adj, mat, noun, bare = ctx.rng.integers(0, _PRODUCT_CHOICES, (ctx.n, 4)).T
    mat[bare == 1] = len(_MATERIALS)  # half the names have no material
    return _product_pieces().spell(adj, mat, noun)


_PRODUCT_CHOICES = np.array([len(_ADJECTIVES), len(_MATERIALS), len(_PRODUCTS), 2])


def _gen_brand(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    brands = pa.array([h + t for h in _BRAND_HEADS for t in _BRAND_TAILS])
    return K.take(brands, ctx.pick(len(brands)))


# Text is spelled like names: one take from the locale's words glued into blocks
# (Capitalised, ' word', ' Capitalised', '.', Title, ' Title') and the parts of each row
# read back as one string (``K.concat_ragged``).
_CAP, _SP_WORD, _SP_CAP, _DOT, _TITLE, _SP_TITLE = range(6)


@functools.cache
def _text_pieces(locale: str) -> K.Pieces:
    words = pools.words(locale)
    cap, title = pc.utf8_capitalize(words), pc.utf8_title(words)
    return K.Pieces(cap, K.join(" ", words), K.join(" ", cap), ".", title, K.join(" ", title))


def _spell_words(ctx: Ctx, counts: np.ndarray, first: np.ndarray | int, rest: int,
                 end: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Part indices for groups of ``counts`` words (+ an ``end`` part), and their sizes."""
    pieces = _text_pieces(ctx.locale)
    size = counts + (end is not None)
    ends = np.cumsum(size)
    starts = ends - size
    idx = ctx.rng.integers(0, len(pools.words(ctx.locale)), int(ends[-1]) if len(ends) else 0)
    idx[starts] += pieces.base[first] - pieces.base[rest]
    idx += pieces.base[rest]
    if end is not None:
        idx[ends - 1] = pieces.base[end]
    return idx, size


def _gen_word(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    pool = pools.words(ctx.locale)
    return K.take(pool, ctx.pick(len(pool)))


def _gen_sentence(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    counts = p["min_words"] + below(ctx, p["max_words"] - p["min_words"] + 1)  # then the words: one last draw
    idx, size = _spell_words(ctx, counts, _CAP, _SP_WORD, _DOT)
    return K.concat_ragged(_text_pieces(ctx.locale).pool, idx, size)


def _gen_paragraph(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    per_row = ctx.rng.integers(p["min_sentences"], p["max_sentences"] + 1, ctx.n)
    counts = ctx.rng.integers(5, 15, int(per_row.sum()))
    opens_row = np.zeros(len(counts), dtype=bool)
    opens_row[np.cumsum(per_row) - per_row] = True  # a row's first sentence has no space before it
    first = np.where(opens_row, _CAP, _SP_CAP)
    idx, size = _spell_words(ctx, counts, 0, _SP_WORD, _DOT)
    pieces = _text_pieces(ctx.locale)
    starts = np.cumsum(size) - size
    idx[starts] += pieces.base[first]
    row_parts = np.add.reduceat(size, np.cumsum(per_row) - per_row)
    return K.concat_ragged(pieces.pool, idx, row_parts)


def _gen_title(ctx: Ctx, p: dict[str, Any]) -> pa.Array:
    counts = p["min_words"] + below(ctx, p["max_words"] - p["min_words"] + 1)  # then the words: one last draw
    idx, size = _spell_words(ctx, counts, _TITLE, _SP_TITLE, None)
    return K.concat_ragged(_text_pieces(ctx.locale).pool, idx, size)


GENERATORS: dict[str, Generator] = {
    "product_name": Generator(_gen_product_name),
    "brand": Generator(_gen_brand, lambda p, _: len(_BRAND_HEADS) * len(_BRAND_TAILS)),
    "word": Generator(_gen_word, lambda p, loc: len(pools.words(loc))),
    "sentence": Generator(_gen_sentence),
    "paragraph": Generator(_gen_paragraph),
    "title": Generator(_gen_title),
}
