"""synth-magic: a sentence in, a realistic synthetic pandas DataFrame out.

    >>> from synth_magic import synth
    >>> df = synth("finance transactions", rows=1000, seed=42)

In Jupyter: ``%load_ext synth_magic`` then a ``%%synth`` cell.

Importing the package is light: pandas, numpy, Faker and openai load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import (
    ConfigError,
    ExportError,
    InputError,
    PlannerError,
    SchemaError,
    SynthError,
    SynthWarning,
)

__version__ = "0.1.0"

__all__ = [
    "Column",
    "ConfigError",
    "Dataset",
    "DatasetSchema",
    "ExportError",
    "InputError",
    "PlannerError",
    "Schema",
    "SchemaError",
    "SynthError",
    "SynthWarning",
    "__version__",
    "form",
    "load_ipython_extension",
    "plan",
    "synth",
]

_LAZY = {
    "synth": ("api", "synth"),
    "plan": ("api", "plan"),
    "Schema": ("schema", "Schema"),
    "Column": ("schema", "Column"),
    "Dataset": ("dataset", "Dataset"),
    "DatasetSchema": ("dataset", "DatasetSchema"),
    "form": ("widget", "form"),
}

if TYPE_CHECKING:
    from .api import plan, synth
    from .dataset import Dataset, DatasetSchema
    from .schema import Column, Schema
    from .widget import form


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        module, attr = _LAZY[name]
        value = getattr(import_module(f".{module}", __name__), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'synth_magic' has no attribute {name!r}")


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext synth_magic``: register the ``%%synth`` magics."""
    from .magic import load_ipython_extension as load

    load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    from .magic import unload_ipython_extension as unload

    unload(ipython)
