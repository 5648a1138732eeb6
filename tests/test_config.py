"""Settings: arguments, then the environment, then ``.env``; the key is only ever noted as set."""

from __future__ import annotations

import pytest

from synth_magic import InputError, SynthError
from synth_magic import config as cfg


def test_planner_selection(monkeypatch):
    assert cfg.settings().planner == "offline"
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    assert cfg.settings().planner == "openai"
    assert cfg.settings(planner="offline").planner == "offline"
    monkeypatch.delenv("OPENAI_API_KEY")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    assert cfg.settings().planner == "openai"
    monkeypatch.setenv("SYNTH_PLANNER", "offline")
    assert cfg.settings().planner == "offline"


def test_settings_repr_never_shows_the_key(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-SECRET-value")
    s = cfg.settings()
    assert "SECRET" not in repr(s) and "api_key=set" in repr(s)
    assert not hasattr(s, "api_key")


def test_dotenv_is_read_without_overriding_the_environment(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text("SYNTH_MODEL=from-dotenv\nSYNTH_TIMEOUT=12\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cfg, "_dotenv_loaded", False)
    monkeypatch.setenv("SYNTH_TIMEOUT", "7")
    monkeypatch.delenv("SYNTH_MODEL", raising=False)
    s = cfg.settings()
    assert s.model == "from-dotenv" and s.timeout == 7.0


def test_bad_timeout_is_a_config_error(monkeypatch):
    monkeypatch.setenv("SYNTH_TIMEOUT", "soon")
    with pytest.raises(SynthError, match="^SYNTH_TIMEOUT must be a number of seconds between 0 and 600, not 'soon'.$"):
        cfg.settings()


def test_every_setting_the_code_reads_is_documented():
    import re
    from pathlib import Path

    root = Path(__file__).parents[1]
    code = "\n".join(p.read_text() for p in (root / "synth_magic").rglob("*.py"))
    names = set(re.findall(r'"((?:SYNTH|OPENAI|DASK)_[A-Z_]+)"', code))
    readme, example = (root / "README.md").read_text(), (root / ".env.example").read_text()
    assert names >= {"OPENAI_API_KEY", "SYNTH_CACHE_DIR", "DASK_SCHEDULER_ADDRESS"}
    assert [n for n in sorted(names) if f"| `{n}` |" not in readme] == []
    assert [n for n in sorted(names) if f"\n{n}=" not in example] == []


def test_unknown_planner_in_the_environment_is_one_sentence(monkeypatch):
    monkeypatch.setenv("SYNTH_PLANNER", "gpt")
    with pytest.raises(InputError, match="^Unknown planner 'gpt'; use 'offline' or 'openai'.$"):
        cfg.settings()


def test_threads_default_to_every_core_and_follow_synth_threads(monkeypatch):
    import os

    monkeypatch.delenv("SYNTH_THREADS", raising=False)
    assert cfg.settings().threads == len(os.sched_getaffinity(0))
    monkeypatch.setenv("SYNTH_THREADS", "3")
    assert cfg.settings().threads == 3 and "threads=3" in repr(cfg.settings())
    monkeypatch.setenv("SYNTH_THREADS", "many")
    with pytest.raises(SynthError, match="^SYNTH_THREADS must be a whole number of threads from 1 to 256, "
                                         "not 'many'; unset it to use every core.$"):
        cfg.settings()
