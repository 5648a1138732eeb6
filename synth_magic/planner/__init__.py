"""Planners turn a description into a :class:`~synth_magic.schema.Schema`; this is their registry.

Every planner has a ``name``, a ``version`` (part of the cache key: bump it when the
same description should plan differently) and a ``model`` (``""`` when there is none),
and a ``plan(description)`` method. A planner that cannot answer now (a server down,
rate-limited, or giving invalid answers) raises
:class:`~synth_magic.errors.PlannerUnavailable`; :mod:`synth_magic.api` then falls back
to the offline planner. Any other exception is a bug and shows as itself.

:data:`REGISTRY` is the one list of planners: the CLI's, the magic's and the form's choices
come from it. Adding a planner: a module here and one entry in :data:`REGISTRY`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from ..errors import InputError

if TYPE_CHECKING:
    from ..config import Settings
    from ..schema import Schema

__all__ = ["FALLBACK", "NAMES", "REGISTRY", "Planner", "check_name", "get_planner"]


class Planner(Protocol):
    name: str
    version: str
    model: str

    def plan(self, description: str) -> Schema: ...


class _Offline:
    """The offline planner as the registry gives it: its version (the cache key) is read
    without importing the planner (:mod:`._stamp`), which is imported when it first plans."""

    name = "offline"
    model = ""

    @property
    def version(self) -> str:
        from ._stamp import version

        return version()

    def plan(self, description: str) -> Schema:
        from .offline import OfflinePlanner

        return OfflinePlanner().plan(description)


def _offline(settings: Settings) -> Planner:
    return _Offline()


def _openai(settings: Settings) -> Planner:
    from .openai import OpenAIPlanner

    return OpenAIPlanner(settings)


REGISTRY: dict[str, Callable[[Settings], Planner]] = {"offline": _offline, "openai": _openai}
NAMES = tuple(REGISTRY)
FALLBACK = "offline"  # plans when another planner is unavailable; needs no key and no network


def check_name(name: str) -> str:
    """A planner's name as the registry knows it ('OpenAI ' → 'openai'), or :class:`InputError`."""
    word = name.strip().lower()
    if word not in REGISTRY:
        listed = ", ".join(f"'{n}'" for n in NAMES[:-1]) + f" or '{NAMES[-1]}'"
        raise InputError(f"Unknown planner '{name.strip()[:40]}'; use {listed}.")
    return word


def get_planner(settings: Settings) -> Planner:
    """The planner the settings ask for."""
    return REGISTRY[check_name(settings.planner)](settings)
