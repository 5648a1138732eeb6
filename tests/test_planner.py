"""The planner registry, and how the pipeline treats a planner that cannot answer."""

from __future__ import annotations

import warnings

import pytest

from synth_magic import InputError, SynthWarning, api, config, planner
from synth_magic.errors import PlannerUnavailable
from synth_magic.planner.offline import OfflinePlanner
from synth_magic.schema import Schema


class Flaky:
    """A planner that is down (or broken, with ``error``)."""

    name, version, model = "flaky", "1", ""

    def __init__(self, error: BaseException) -> None:
        self.error = error

    def plan(self, description: str) -> Schema:
        raise self.error


@pytest.fixture
def flaky(monkeypatch: pytest.MonkeyPatch):
    def install(error: BaseException) -> None:
        monkeypatch.setitem(planner.REGISTRY, "flaky", lambda settings: Flaky(error))

    return install


def test_the_registry_names_every_planner_once():
    assert planner.NAMES == ("offline", "openai")
    assert planner.FALLBACK in planner.NAMES
    assert planner.get_planner(config.settings(planner="offline")).name == "offline"


@pytest.mark.parametrize(("given", "name"), [("offline", "offline"), (" OpenAI ", "openai")])
def test_check_name_normalises(given, name):
    assert planner.check_name(given) == name


def test_an_unknown_planner_is_one_sentence():
    with pytest.raises(InputError, match="^Unknown planner 'gpt'; use 'offline' or 'openai'.$"):
        planner.check_name("gpt")


def test_an_unavailable_planner_falls_back_offline_with_a_warning_and_is_not_cached(flaky, isolated_env):
    flaky(PlannerUnavailable("the server is down"))
    for _ in range(2):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            planned = api.plan_with_source("bank customers", planner="flaky")
        assert planned.source == "offline"  # never "cache": the fallback was not cached
        assert [str(w.message) for w in caught if w.category is SynthWarning] == [
            "The flaky planner fell back to the offline planner because the server is down; "
            "the schema was not cached, so the next run asks the model again."]
        assert planned.schema.notes[-1] == "Planned offline because the flaky planner failed: the server is down."
        offline = OfflinePlanner().plan("bank customers")
        assert planned.schema.names == offline.names


@pytest.mark.parametrize("error", [ImportError("No module named 'openai'"), ZeroDivisionError("bug")])
def test_a_bug_in_a_planner_surfaces_as_itself(flaky, isolated_env, error):
    flaky(error)
    with pytest.raises(type(error), match=str(error.args[0]).replace("(", r"\(")):
        api.plan_with_source("bank customers", planner="flaky")


def test_a_planner_module_that_cannot_import_is_not_called_unavailable(monkeypatch, isolated_env):
    def broken(settings):
        raise ImportError("cannot import name 'OpenAI' from 'openai'")

    monkeypatch.setitem(planner.REGISTRY, "openai", broken)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    with pytest.raises(ImportError, match="cannot import name 'OpenAI'"):
        api.synth("bank customers", rows=3)
