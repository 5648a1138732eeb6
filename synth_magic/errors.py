"""The exceptions synth-magic raises on purpose.

::

    SynthError                 every error we raise on purpose; the message is one sentence
     ├── InputError            a bad argument: description, rows, seed, locale, option
     ├── SchemaError           a schema that cannot be generated (unknown type, bad parameter)
     ├── PlannerError          a planner that cannot be used (not configured, refused)
     │    └── PlannerUnavailable   it cannot answer now (down, rate-limited, invalid
     │                             answers): synth_magic.api falls back to offline
     ├── ConfigError           a bad setting (environment variable, .env, base URL)
     └── ExportError           a file that cannot be written

Surfaces (the magic, the form, the CLI) show ``str(error)`` and nothing else.
Anything else that escapes is a bug and should show its traceback.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "ExportError",
    "InputError",
    "PlannerError",
    "PlannerUnavailable",
    "SchemaError",
    "SynthError",
    "SynthWarning",
]


class SynthError(Exception):
    """Base class: a problem the user can fix, described in one sentence."""


class InputError(SynthError, ValueError):
    """A bad argument: description, rows, seed, locale or another option."""


class SchemaError(SynthError, ValueError):
    """A schema that is invalid or cannot be generated."""


class PlannerError(SynthError):
    """A planner that cannot be used as configured."""


class PlannerUnavailable(PlannerError):
    """The planner cannot answer now; ``reason`` says why (the caller falls back)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class ConfigError(SynthError):
    """A bad setting in the environment or in ``.env``."""


class ExportError(SynthError, OSError):
    """A file that cannot be written."""


class SynthWarning(UserWarning):
    """Something went wrong but the run went on (cache trouble, planner fallback)."""
