"""Shared fixtures: every test gets its own cache directory and no OpenAI settings."""

from __future__ import annotations

import pytest

_OPENAI_VARS = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID",
                "SYNTH_MODEL", "SYNTH_PLANNER", "SYNTH_TIMEOUT", "SYNTH_MAX_RETRIES", "SYNTH_TEMPERATURE",
                "SYNTH_KEY_HOST")


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """No test sees the developer's key, .env or cache."""
    from synth_magic import config

    for var in _OPENAI_VARS:
        monkeypatch.delenv(var, raising=False)
    cache_dir = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("SYNTH_CACHE_DIR", str(cache_dir))
    monkeypatch.setattr(config, "_dotenv_loaded", True)  # never read a real .env
    return cache_dir
