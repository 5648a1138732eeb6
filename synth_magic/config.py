"""Settings from arguments, environment variables and a ``.env`` file.

Precedence: an explicit argument, then the environment, then ``.env`` (found from the
working directory upwards; it never overrides a variable that is already set).

The API key itself is never read into our objects: :class:`Settings` only records
*whether* one is configured; the ``openai`` SDK reads it from the environment.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError, InputError

PLANNERS = ("offline", "openai")
DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_RETRIES = 2
DEFAULT_ROWS = 1000
MAX_ROWS = 10**12  # anything bigger is a typo; the memory check refuses far less
MAX_DESCRIPTION = 4000

_dotenv_loaded = False


def load_dotenv_once() -> None:
    """Read ``.env`` from the working directory or a parent, once per process."""
    global _dotenv_loaded
    if _dotenv_loaded:
        return
    _dotenv_loaded = True
    from dotenv import find_dotenv, load_dotenv

    path = find_dotenv(usecwd=True)
    if path:
        load_dotenv(path, override=False)


@dataclass(frozen=True)
class Settings:
    """What the pipeline needs to know; holds no secret."""

    planner: str
    model: str
    base_url: str | None
    has_key: bool
    timeout: float
    cache_dir: Path
    max_retries: int = DEFAULT_MAX_RETRIES

    def __repr__(self) -> str:
        key = "set" if self.has_key else "not set"
        base_url = shown_url(self.base_url) if self.base_url else None
        return (f"Settings(planner={self.planner!r}, model={self.model!r}, base_url={base_url!r}, "
                f"api_key={key}, timeout={self.timeout}, max_retries={self.max_retries}, "
                f"cache_dir='{self.cache_dir}')")


def settings(planner: str | None = None, model: str | None = None,
             cache_dir: str | os.PathLike[str] | None = None) -> Settings:
    """Resolve the settings for one run."""
    load_dotenv_once()
    env = os.environ
    has_key = bool(env.get("OPENAI_API_KEY", "").strip())
    base_url = env.get("OPENAI_BASE_URL", "").strip() or None
    chosen = planner or env.get("SYNTH_PLANNER", "").strip() or None
    if chosen is None:
        chosen = "openai" if (has_key or base_url) else "offline"
    chosen = chosen.strip().lower()
    if chosen not in PLANNERS:
        raise InputError(f"Unknown planner '{chosen}'; use 'offline' or 'openai'.")
    timeout_text = env.get("SYNTH_TIMEOUT", "").strip()
    try:
        timeout = float(timeout_text) if timeout_text else DEFAULT_TIMEOUT
        if not 0 < timeout <= 600:
            raise ValueError
    except ValueError:
        raise ConfigError(
            f"SYNTH_TIMEOUT must be a number of seconds between 0 and 600, not '{_shown(timeout_text)}'."
        ) from None
    retries_text = env.get("SYNTH_MAX_RETRIES", "").strip()
    if retries_text and not (retries_text.isascii() and retries_text.isdecimal() and int(retries_text) <= 10):
        raise ConfigError(f"SYNTH_MAX_RETRIES must be a whole number from 0 to 10, not '{_shown(retries_text)}'.")
    if chosen == "openai" and base_url is not None:
        check_base_url(base_url)
    return Settings(
        planner=chosen,
        model=(model or env.get("SYNTH_MODEL", "").strip() or DEFAULT_MODEL),
        base_url=base_url,
        has_key=has_key,
        timeout=timeout,
        max_retries=int(retries_text) if retries_text else DEFAULT_MAX_RETRIES,
        cache_dir=Path(cache_dir or env.get("SYNTH_CACHE_DIR", "").strip() or default_cache_dir()).expanduser(),
    )


def _shown(value: str) -> str:
    """A setting's value for a message, clipped so a key pasted into the wrong variable is not echoed."""
    return value if len(value) <= 12 else value[:6] + "…"


def check_base_url(url: str) -> str:
    """An ``http(s)://host/...`` URL, or a :class:`ConfigError` that does not echo it."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        ok = parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:
        ok = False
    if not ok:
        raise ConfigError(
            "OPENAI_BASE_URL must be an http:// or https:// address such as "
            "http://localhost:11434/v1 (Ollama) or https://api.openai.com/v1."
        )
    return url


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


def default_cache_dir() -> Path:
    """The user cache directory of this platform, e.g. ``~/.cache/synth-magic``."""
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
        return base / "synth-magic" / "Cache"
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "synth-magic"
    return Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache") / "synth-magic"


def check_locale(locale: str) -> str:
    """'de-DE', 'de_de' or 'de_DE' → 'de_DE'; an unknown locale is refused."""
    from .pools import available_locales

    if not isinstance(locale, str) or not locale.strip():
        raise InputError("The locale must be a name such as en_US or de_DE.")
    text = locale.strip().replace("-", "_")
    known = available_locales()
    by_lower = {loc.lower(): loc for loc in known}
    found = by_lower.get(text.lower())
    if found:
        return found
    raise InputError(
        f"Unknown locale {text[:30]!r}; use a Faker locale such as en_US, de_DE, fr_FR or ja_JP "
        "(`synth --locales` lists them all)."
    )


def check_rows(rows: object) -> int:
    """A positive whole number of rows that fits on this machine."""
    if isinstance(rows, bool) or not isinstance(rows, int):
        if isinstance(rows, str) and _whole(rows):
            rows = int(rows.strip())
        elif isinstance(rows, float) and rows.is_integer():
            rows = int(rows)
        else:
            raise InputError(f"rows must be a whole number such as 1000, not {str(rows)[:40]!r}.")
    if rows < 1:
        raise InputError(f"rows must be at least 1, not {rows if rows > -10**9 else 'a negative number'}.")
    if rows > MAX_ROWS:
        raise InputError(f"rows must be at most {MAX_ROWS:,}; for big tables stream them to a file "
                         "with `synth ... -o data.csv`.")
    return rows


def check_seed(seed: object) -> int | None:
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, int):
        if not (isinstance(seed, str) and _whole(seed)):
            raise InputError(f"seed must be a whole number such as 42, not {str(seed)[:40]!r}.")
        seed = int(seed.strip())
    if not 0 <= seed < 2**63:
        raise InputError("seed must be a whole number from 0 up.")
    return seed


def _whole(text: str) -> bool:
    """An optional sign and 1 to 30 ASCII digits: what int() takes, no '²', no 5,000 digits."""
    return re.fullmatch(r"[-+]?[0-9]{1,30}", text.strip()) is not None


def check_description(description: object) -> str:
    if not isinstance(description, str):
        raise InputError("The description must be text, e.g. 'finance transactions'.")
    text = description.strip()
    if not text:
        raise InputError("The description is empty; say what the table holds, e.g. 'finance transactions'.")
    if len(text) > MAX_DESCRIPTION:
        raise InputError(
            f"The description is {len(text):,} characters long; keep it under {MAX_DESCRIPTION:,} "
            "(list the columns you need rather than pasting documents)."
        )
    return text
