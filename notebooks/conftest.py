"""nbval settings for the notebooks: this checkout's code in the kernels, and the sanitize file.

``make test`` (or plain ``pytest``) runs these notebooks with ``--nbval`` (see
``[tool.pytest.ini_options]`` in pyproject.toml): each code cell is run in a fresh kernel
and its outputs are compared with the committed ones, after ``sanitize.cfg`` masks
timings and temporary paths. Cells tagged ``raises-exception`` must fail.

Re-make the committed outputs after an intended change with ``make notebooks``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SRC = HERE.parent

# Kernels are separate processes: they find this checkout's package through PYTHONPATH,
# whatever version of synth-magic is installed in the environment.
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), os.environ.get("PYTHONPATH", "")) if p)


def pytest_configure(config: pytest.Config) -> None:
    if getattr(config.option, "nbval_sanitize_with", "unset") is None:
        config.option.nbval_sanitize_with = str(HERE / "sanitize.cfg")
