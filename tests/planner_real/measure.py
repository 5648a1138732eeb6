"""Measure the offline planner on real tables: concept recall and value checks, by style.

    python tests/planner_real/measure.py            # dev and held-out figures
    python tests/planner_real/measure.py --failures # and what failed, case by case
    python tests/planner_real/measure.py --set older  # shared/planner-cases.json and planner_cases_extra.json
    python tests/planner_real/measure.py --set dev --batch probe-24  # only the cases marked "batch": "probe-24"

Each case in ``dev.json`` / ``heldout.json`` is a real public table described twice, as a
person would type it: ``short`` (its name) and ``fields`` (its columns). For each style the
planner's schema is checked:

- concept recall: the share of the case's ``concepts`` (column-name regexes,
  case-insensitive) that some planned column name matches;
- value checks: the share of the case's ``checks`` that hold on 1000 generated rows (seed 1).
  A check passes when any column whose name matches its regex satisfies it:

  ``["range", re, lo, hi]``      every value of a numeric column is within [lo, hi]
  ``["median", re, lo, hi]``     the median of a numeric column is within [lo, hi]
  ``["share", re, lo, hi]``      the share of True of a boolean column is within [lo, hi]
  ``["null_share", re, lo, hi]`` the share of missing values is within [lo, hi]
  ``["values", re, [v...]]``     the values (case-insensitive) are among v, at least two of them
  ``["integer", re]``            a numeric column of whole numbers (not a flag)
  ``["number", re]``             a numeric column (not a flag, not a date)
  ``["date", re]``               a date or datetime column
  ``["text", re]``               free text: most values have several words
  ``["after", re_a, re_b]``      a date column b is never before a date column a
  ``["date_range", re, a, b]``   a date column lies within [a, b]
  ``["sum", re, [re...]]``       a numeric column is at least the sum of one column per part
  ``["formula_sum", re, [re...]]`` a numeric column equals the sum of one column per part (to the cent)

The planner is imported from ``synth_magic`` on the path, so the same script measures any
checkout (``PYTHONPATH=/path/to/checkout python tests/planner_real/measure.py``).
"""

from __future__ import annotations

import argparse
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SETS = ("dev", "heldout")
STYLES = ("short", "fields")
ROWS = 1000
TEXT_TYPES = ("word", "sentence", "paragraph", "title")


OLDER = (HERE.parents[2] / "shared" / "planner-cases.json", Path("/work/shared/planner-cases.json"),
         HERE.parent / "planner_cases_extra.json")
# The older cases' check names, as the real-world sets spell them.
_OLDER_CHECKS = {"range": "range", "values": "values", "true_fraction": "share", "null_fraction": "null_share",
                 "date_range": "date_range", "locale": "locale"}


def load(name: str) -> list[dict[str, Any]]:
    if name == "older":
        return _older()
    return json.loads((HERE / f"{name}.json").read_text(encoding="utf-8"))["cases"]


def cases(name: str, batch: str | None = None) -> list[dict[str, Any]]:
    """A set's cases, only those of ``batch`` when given."""
    return [c for c in load(name) if batch is None or c.get("batch") == batch]


def _older() -> list[dict[str, Any]]:
    """shared/planner-cases.json and tests/planner_cases_extra.json, one style ('short')."""
    cases, seen = [], set()
    for path in OLDER:
        if not path.exists() or path.name in seen:
            continue
        seen.add(path.name)
        for i, c in enumerate(json.loads(path.read_text(encoding="utf-8"))["cases"]):
            checks = [[_OLDER_CHECKS[k], *v] for k, v in (c.get("checks") or {}).items()]
            cases.append({"id": f"{path.stem}-{i}", "short": c["description"], "concepts": c["columns"],
                          "checks": checks})
    return cases


@dataclass
class Result:
    concepts: int = 0
    found: int = 0
    checks: int = 0
    passed: int = 0
    words: int = 0  # planned 'word' columns whose name does not say text
    failures: list[str] = field(default_factory=list)

    def add(self, other: Result) -> None:
        self.concepts += other.concepts
        self.found += other.found
        self.checks += other.checks
        self.passed += other.passed
        self.words += other.words
        self.failures += other.failures

    @property
    def recall(self) -> float:
        return self.found / self.concepts if self.concepts else 1.0

    @property
    def check_rate(self) -> float:
        return self.passed / self.checks if self.checks else 1.0


def _names(schema: Any, regex: str) -> list[str]:
    return [n for n in schema.names if re.search(regex, n, re.I)]


def _numeric(df: Any, name: str) -> bool:
    import pandas as pd

    s = df[name]
    return pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)


def _is_date(df: Any, name: str) -> bool:
    import pandas as pd

    return pd.api.types.is_datetime64_any_dtype(df[name])


def _text_of(v: Any) -> str:
    if isinstance(v, float) and math.isfinite(v) and v.is_integer():
        return str(int(v))
    return str(v)


_YES_NO = (("y", "n"), ("yes", "no"), ("true", "false"))  # (true, false) spellings


def flag_share(s: Any) -> float | None:
    """The share of True of a flag: a boolean column, or one of text Y/N (yes/no) values as
    standards such as CDISC SDTM write their flags (aeser, saffl); None for any other column."""
    import pandas as pd

    if pd.api.types.is_bool_dtype(s):
        return float(s.astype("boolean").mean())
    if pd.api.types.is_numeric_dtype(s):
        return None
    values = s.dropna().astype(str).str.strip().str.lower()
    seen = set(values.unique())
    yes = next((t for t, f in _YES_NO if seen and seen <= {t, f}), None)
    return None if yes is None else float((values == yes).mean())


def _check(kind: str, args: list[Any], schema: Any, df: Any) -> bool:
    import pandas as pd

    regex = args[0]
    cols = _names(schema, regex)
    if kind == "range":
        lo, hi = args[1], args[2]
        return any(_numeric(df, c) and df[c].dropna().size and lo <= df[c].min() and df[c].max() <= hi for c in cols)
    if kind == "median":
        lo, hi = args[1], args[2]
        return any(_numeric(df, c) and df[c].dropna().size and lo <= df[c].median() <= hi for c in cols)
    if kind == "share":
        lo, hi = args[1], args[2]
        shares = (flag_share(df[c]) for c in cols)
        return any(f is not None and lo <= f <= hi for f in shares)
    if kind == "null_share":
        lo, hi = args[1], args[2]
        return any(lo <= float(df[c].isna().mean()) <= hi for c in cols)
    if kind == "values":
        allowed = {_text_of(a).lower() for a in args[1]}
        for c in cols:
            if pd.api.types.is_bool_dtype(df[c]):
                continue
            seen = {_text_of(v).lower() for v in df[c].dropna().unique()}
            if len(seen) >= 2 and seen <= allowed:
                return True
        return False
    if kind == "integer":
        return any(_numeric(df, c) and bool((df[c].dropna() % 1 == 0).all()) for c in cols)
    if kind == "number":
        return any(_numeric(df, c) for c in cols)
    if kind == "date":
        return any(_is_date(df, c) for c in cols)
    if kind == "text":
        return any(schema.column(c).type in ("sentence", "paragraph", "title") for c in cols)
    if kind == "after":
        later = [c for c in _names(schema, args[1]) if _is_date(df, c)]
        for a in (c for c in cols if _is_date(df, c)):
            for b in later:
                if a == b:
                    continue
                both = df[[a, b]].dropna()
                if len(both) and bool((both[b] >= both[a].dt.floor("D")).all()):
                    return True
        return False
    if kind == "locale":
        return schema.locale == regex
    if kind == "date_range":
        lo, hi = pd.Timestamp(args[1]), pd.Timestamp(args[2]) + pd.Timedelta(days=1)
        return any(_is_date(df, c) and lo <= df[c].min() and df[c].max() < hi for c in cols)
    if kind in ("sum", "formula_sum"):  # formula_sum: the column equals the sum of its parts
        parts = []
        for part in args[1]:
            found = [c for c in _names(schema, part) if _numeric(df, c) and c not in cols]
            if not found:
                return False
            parts.append(found[0])
        for c in cols:
            if _numeric(df, c) and c not in parts:
                rest = df[parts].sum(axis=1)
                if kind == "sum" and bool((df[c] + 0.011 >= rest).all()):
                    return True
                if kind == "formula_sum" and bool(((df[c] - rest).abs() <= 0.011).all()):
                    return True
        return False
    raise ValueError(f"unknown check kind {kind!r}")


def text_name(name: str) -> bool:
    return bool(re.search(r"(?:^|_)(?:text|body|comment|comments|description|desc|note|notes|message|title|hashtag|"
                          r"summary|tag|tags|keyword|word|label|bio|content|review|name)(?:$|_)", name, re.I))


def measure_case(case: dict[str, Any], style: str, plan: Any) -> Result:
    r = Result(concepts=len(case["concepts"]), checks=len(case["checks"]))
    where = f"{case['id']} [{style}]"
    try:
        schema = plan(case[style])
        df = schema.generate(ROWS, seed=1)
    except Exception as exc:  # noqa: BLE001 - a planner that fails scores nothing
        r.failures.append(f"{where}: planner failed: {exc!r}")
        return r
    for regex in case["concepts"]:
        if _names(schema, regex):
            r.found += 1
        else:
            r.failures.append(f"{where}: no column for /{regex}/ in {schema.names}")
    for check in case["checks"]:
        try:
            ok = _check(check[0], check[1:], schema, df)
        except Exception as exc:  # noqa: BLE001 - a check that cannot be computed has failed
            ok = False
            check = [*check, repr(exc)]
        if ok:
            r.passed += 1
        else:
            r.failures.append(f"{where}: check {json.dumps(check)} failed")
    r.words = sum(1 for c in schema.columns if c.type == "word" and not text_name(c.name))
    return r


def measure(name: str, plan: Any = None, batch: str | None = None) -> dict[str, Result]:
    """Results by style ('short', 'fields') and for both ('all') over one case set (only the
    cases of ``batch``, when given)."""
    if plan is None:
        from synth_magic.planner.offline import plan
    out = {s: Result() for s in (*STYLES, "all")}
    for case in cases(name, batch):
        for style in (s for s in STYLES if s in case):
            r = measure_case(case, style, plan)
            out[style].add(r)
            out["all"].add(r)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--failures", action="store_true", help="list every concept or check that failed")
    parser.add_argument("--set", choices=(*SETS, "older"), action="append",
                        help="which case sets (default: dev and heldout; 'older': the planner test cases)")
    parser.add_argument("--batch", help="only the cases of this batch (a case's \"batch\": the cases written "
                                            "together, to measure before and after tuning for others)")
    args = parser.parse_args()
    for name in args.set or SETS:
        results = measure(name, batch=args.batch)
        n = len(cases(name, args.batch))
        for style in (*STYLES, "all") if name != "older" else ("all",):
            r = results[style]
            print(f"{name:8s} {style:6s} cases {n:3d}  concept recall {r.recall:6.1%} ({r.found}/{r.concepts})  "
                  f"value checks {r.check_rate:6.1%} ({r.passed}/{r.checks})  word columns {r.words}")
        if args.failures:
            for line in results["all"].failures:
                print("   ", line)


if __name__ == "__main__":
    main()
