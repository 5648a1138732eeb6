"""Small helpers for one-sentence messages about untrusted text and numbers."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["CONTROL", "clip", "number", "one_line", "reject_constant", "shown_url"]

# Characters that never belong in generated text or a message: C0/C1 controls (terminal
# escapes) and bidirectional overrides (text that displays differently from what it is).
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clip(text: Any, limit: int = 40) -> str:
    """Untrusted text for a one-line message: short, control characters escaped."""
    text = str(text)[: limit * 2]
    if not text.isprintable():
        text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def number(value: Any) -> str:
    """A number as a person writes it: 5 rather than 5.0."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value)) if not isinstance(value, bool) else str(value)
    return str(value)


def one_line(text: str) -> str:
    """Text on one line: runs of whitespace (newlines included) become one space and control
    characters (terminal escapes, bidi overrides) are dropped."""
    return " ".join(CONTROL.sub(" ", text).split())


def reject_constant(name: str) -> Any:
    """``json.loads(..., parse_constant=reject_constant)``: NaN and Infinity are not numbers."""
    raise ValueError(f"{name} is not a number")


def shown_url(url: str) -> str:
    """``url`` without any user name, password or query string, for messages and reprs."""
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        if ":" in host:
            host = f"[{host}]"
        if parts.port:
            host = f"{host}:{parts.port}"
        return urlunsplit((parts.scheme, host, parts.path, "", ""))
    except ValueError:
        return "<unreadable URL>"
