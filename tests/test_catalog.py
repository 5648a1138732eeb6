"""The type catalogue: one declarative table that everything about types is derived from."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from synth_magic import catalog as C
from synth_magic.generators import GENERATORS
from synth_magic.generators._pools import SAMPLERS
from synth_magic.schema import PARAM_CHECKS

ROOT = Path(__file__).resolve().parents[1]


def test_catalogue_is_broad():
    assert len(C.TYPES) >= 60
    assert set(C.GROUPS) == {t.group for t in C.TYPES.values()}
    for spec in C.TYPES.values():
        assert spec.help and spec.kind in C.PANDAS_DTYPES, spec.name
        for p in spec.params:
            assert p.kind in C.PARAM_KINDS and p.help, (spec.name, p.name)


def test_catalog_imports_no_numpy_or_pyarrow():
    code = "import sys, synth_magic.catalog; print([m for m in ('numpy', 'pyarrow', 'pandas') if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.stdout.strip() == "[]"


def test_every_type_has_a_generator_and_every_generator_a_type():
    assert set(GENERATORS) == set(C.TYPES)


@pytest.mark.parametrize("name", sorted(C.TYPES))
def test_a_types_unique_rule_matches_its_generator(name):
    """'bounded' types count their values (a domain); 'never' types cannot and say so."""
    spec, gen = C.TYPES[name], GENERATORS[name]
    assert spec.unique in C.UNIQUE
    if spec.unique == "bounded":
        assert gen.domain is not None, name
    if spec.unique == "never":
        assert gen.domain is None, name


@pytest.mark.parametrize("name", sorted(C.TYPES))
def test_every_declared_relation_names_real_parameters(name):
    spec = C.TYPES[name]
    for order in spec.orders:
        assert {order.lo, order.hi} <= set(spec.param_index), order
        assert spec.param_index[order.lo].kind == spec.param_index[order.hi].kind
    for p in spec.params:
        if p.refers:
            assert p.kind in ("column", "columns", "expr", "correlations") and set(p.refers) <= set(C.KINDS) and p.refers_error, p.name
        if p.per:
            assert spec.param_index[p.per].kind in ("strings", "floats"), p.name  # one weight per value
        if p.choices:
            assert p.kind == "enum" and p.default in (*p.choices, None), p.name
    if spec.categories:
        assert spec.kind == C.CATEGORY and spec.param_index[spec.categories].kind == "strings"
    if spec.pool:
        assert spec.pool in SAMPLERS, spec.pool
    assert spec.size > 0


def test_every_parameter_kind_has_a_check():
    assert set(PARAM_CHECKS) == set(C.PARAM_KINDS)


def test_readme_type_table_is_generated_from_the_catalogue():
    from tools import readme

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "<!-- generated: types -->" in text
    assert readme.render(text) == text, "README.md is stale: run `make readme`"
    for name in C.TYPES:
        assert f"| `{name}` |" in text
