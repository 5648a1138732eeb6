"""Settings from arguments, environment variables and a ``.env`` file.

Precedence: an explicit argument, then the environment, then ``.env`` (found from the
working directory upwards; it never overrides a variable that is already set).

The API key itself is never read into our objects: :class:`Settings` only records
*whether* one is configured and whether it is meant for the configured server; the
``openai`` SDK reads it from the environment.

Which server gets the key: ``OPENAI_API_KEY`` is OpenAI's key. It is sent to OpenAI's API
(no ``OPENAI_BASE_URL``, or one on ``api.openai.com``), and to another ``OPENAI_BASE_URL``
only when ``SYNTH_KEY_HOST`` names that URL's host (``host`` or ``host:port``). Otherwise
the server gets a placeholder key, which Ollama, llama.cpp and vLLM without ``--api-key``
accept.

``SYNTH_THREADS`` is how many threads make the chunks of one request (default: every core
this process may use; 1: one thread). It changes the speed only, never the rows.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ._inputs import check_path, threads
from ._messages import shown_url
from ._pool_cache import default_cache_dir
from .errors import ConfigError
from .planner import check_name

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_MODEL",
    "DEFAULT_TEMPERATURE",
    "DEFAULT_TIMEOUT",
    "Settings",
    "check_base_url",
    "default_cache_dir",
    "load_dotenv_once",
    "settings",
]

DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_RETRIES = 2
DEFAULT_TEMPERATURE = 0.2  # low: a schema is an answer, not prose (Ollama's own default is 0.8 or more)
_OPENAI_HOST = "api.openai.com"

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
    temperature: float = DEFAULT_TEMPERATURE
    send_key: bool = False  # the key is meant for the server (OpenAI's API, or SYNTH_KEY_HOST)
    threads: int = 1  # SYNTH_THREADS: threads making one request's chunks (generate reads it per run)

    @property
    def openai_api(self) -> bool:
        """True when the server is OpenAI's own API."""
        return self.base_url is None or _host(self.base_url)[0] == _OPENAI_HOST

    def __repr__(self) -> str:
        key = ("set, sent" if self.send_key else "set, not sent") if self.has_key else "not set"
        base_url = shown_url(self.base_url) if self.base_url else None
        return (f"Settings(planner={self.planner!r}, model={self.model!r}, base_url={base_url!r}, "
                f"api_key={key}, timeout={self.timeout}, max_retries={self.max_retries}, "
                f"temperature={self.temperature}, threads={self.threads}, cache_dir='{self.cache_dir}')")


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
    chosen = check_name(chosen)
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
    temperature_text = env.get("SYNTH_TEMPERATURE", "").strip()
    try:
        temperature = float(temperature_text) if temperature_text else DEFAULT_TEMPERATURE
        if not 0 <= temperature <= 2:
            raise ValueError
    except ValueError:
        raise ConfigError(
            f"SYNTH_TEMPERATURE must be a number from 0 to 2, not '{_shown(temperature_text)}'."
        ) from None
    if chosen == "openai" and base_url is not None:
        check_base_url(base_url)
    key = env.get("OPENAI_API_KEY", "").strip()
    if chosen == "openai" and key and not (key.isascii() and key.isprintable()):
        raise ConfigError("OPENAI_API_KEY holds characters a request cannot carry (a key is plain ASCII); "
                          "paste the key again, without quotes or spaces.")
    folder = cache_dir or env.get("SYNTH_CACHE_DIR", "").strip() or default_cache_dir()
    return Settings(
        planner=chosen,
        model=(model or env.get("SYNTH_MODEL", "").strip() or DEFAULT_MODEL),
        base_url=base_url,
        has_key=has_key,
        timeout=timeout,
        max_retries=int(retries_text) if retries_text else DEFAULT_MAX_RETRIES,
        temperature=temperature,
        send_key=has_key and _key_is_for(base_url, env.get("SYNTH_KEY_HOST", "")),
        cache_dir=check_path(folder, "schema cache folder (SYNTH_CACHE_DIR)", ConfigError),
        threads=threads(),
    )


def _shown(value: str) -> str:
    """A setting's value for a message, clipped so a key pasted into the wrong variable is not echoed."""
    return value if len(value) <= 12 else value[:6] + "…"


def _host(url: str) -> tuple[str, int | None]:
    """(lower-cased host, port or None) of a URL or of ``host[:port]``; ("", None) when unreadable."""
    from urllib.parse import urlsplit

    text = url.strip()
    try:
        parts = urlsplit(text if "//" in text else f"//{text}")
        port = parts.port
        if port is None and parts.scheme:
            port = {"http": 80, "https": 443}.get(parts.scheme.lower())
        return (parts.hostname or "").lower(), port
    except ValueError:
        return "", None


def _key_is_for(base_url: str | None, key_host: str) -> bool:
    """Whether OPENAI_API_KEY is meant for ``base_url``: OpenAI's API, or the host (and the
    port, when one is given) that SYNTH_KEY_HOST names."""
    from urllib.parse import urlsplit

    if base_url is None:
        return True
    host, port = _host(base_url)
    if host == _OPENAI_HOST:
        return True
    text = key_host.strip()
    try:
        parts = urlsplit(text if "//" in text else f"//{text}")
        named, named_port = (parts.hostname or "").lower(), parts.port
    except ValueError:
        return False
    return bool(named) and named == host and named_port in (None, port)


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
