"""Planners turn a description into a :class:`~synth_magic.schema.Schema`.

Every planner has a ``name``, a ``version`` (part of the cache key: bump it when the
same description should plan differently) and a ``model`` (``""`` when there is none),
and a ``plan(description)`` method.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from ..errors import PlannerError

if TYPE_CHECKING:
    from ..config import Settings
    from ..schema import Schema


class Planner(Protocol):
    name: str
    version: str
    model: str

    def plan(self, description: str) -> Schema: ...


def get_planner(settings: Settings) -> Planner:
    """The planner the settings ask for."""
    if settings.planner == "offline":
        from .offline import OfflinePlanner

        return OfflinePlanner()
    if settings.planner == "openai":
        try:
            from .openai import OpenAIPlanner
        except ImportError:
            raise PlannerError(
                "The openai planner is not available in this version yet; use planner='offline'."
            ) from None
        return OpenAIPlanner(settings)
    raise PlannerError(f"Unknown planner '{settings.planner}'; use 'offline' or 'openai'.")
