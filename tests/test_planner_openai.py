"""The openai planner against a local chat-completions server, through the real openai SDK."""

from __future__ import annotations

import json
import logging
import time
import traceback
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_openai import FakeOpenAI, Reply, Request, answer, error, slow
from synth_magic import api, config
from synth_magic._inputs import MAX_DESCRIPTION
from synth_magic.catalog import TYPES
from synth_magic.errors import ConfigError, InputError, PlannerError, SchemaError, SynthWarning
from synth_magic.planner import get_planner
from synth_magic.planner import _server as quirks
from synth_magic.planner import openai as op

KEY = "sk-test-SECRET-123"
DESCRIPTION = "finance transactions with merchant, amount between 1 and 500, about 2% fraud"

GOOD = {
    "title": "finance transactions", "locale": "en_US", "rows": None,
    "columns": [
        {"name": "transaction_id", "type": "uuid", "params": [], "null_rate": 0, "unique": True},
        {"name": "merchant", "type": "company", "params": [], "null_rate": 0, "unique": False},
        {"name": "amount", "type": "money", "params": [{"name": "min", "value": 1}, {"name": "max", "value": 500}],
         "null_rate": 0, "unique": False},
        {"name": "is_fraud", "type": "boolean", "params": [{"name": "p_true", "value": 0.02}],
         "null_rate": 0, "unique": False},
    ],
}


def good_with(**column: Any) -> dict[str, Any]:
    """GOOD with one more column (for answers that must be rejected)."""
    base = {"params": [], "null_rate": 0, "unique": False}
    return {**GOOD, "columns": [*GOOD["columns"], {**base, **column}]}


def forget_servers(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees what another learnt about a server, or was told about it."""
    monkeypatch.setattr(quirks, "_LEARNT", {})
    monkeypatch.setattr(quirks, "_SAID", set())
    monkeypatch.setattr(quirks, "_WARNED_HOSTS", set())


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch):
    forget_servers(monkeypatch)
    with FakeOpenAI() as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.url)
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        monkeypatch.setenv("SYNTH_KEY_HOST", "127.0.0.1")  # the key is meant for the fake server
        monkeypatch.setenv("SYNTH_MAX_RETRIES", "1")
        monkeypatch.setenv("SYNTH_TIMEOUT", "5")
        yield fake


def plan(description: str = DESCRIPTION, **kwargs: Any) -> api.Planned:
    return api.plan_with_source(description, planner="openai", **kwargs)


def fallback(match: str, description: str = DESCRIPTION) -> api.Planned:
    with pytest.warns(SynthWarning, match=match):
        planned = plan(description)
    assert planned.source == "offline" and planned.schema.planner == "offline"
    assert any("openai planner failed" in note for note in planned.schema.notes)
    return planned


def last_user_message(request: Request) -> str:
    return request.messages[-1]["content"]


# ------------------------------------------------------------------------------ answers

def test_good_answer(server: FakeOpenAI) -> None:
    server.script(answer(GOOD))
    planned = plan()
    schema = planned.schema
    assert planned.source == "openai" and schema.planner == "openai"
    assert schema.names == ["transaction_id", "merchant", "amount", "is_fraud"]
    assert schema.column("amount").params == {"min": 1, "max": 500}
    assert schema.column("transaction_id").unique
    assert {c.source for c in schema.columns} == {"model"}
    assert schema.generate(20, seed=1).shape == (20, 4)
    [request] = server.requests
    assert request.body["model"] == "gpt-4o-mini"
    assert request.headers["authorization"] == f"Bearer {KEY}"
    fmt = request.body["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["strict"] is True
    branches = fmt["json_schema"]["schema"]["properties"]["columns"]["items"]["anyOf"]
    typed = {name: b for b in branches for name in b["properties"]["type"]["enum"]}
    assert sorted(typed) == sorted(TYPES)  # every type once, with its own parameters only
    for name, branch in typed.items():
        assert branch["properties"]["params"]["required"] == [p.name for p in TYPES[name].params], name
    assert typed["rating"]["properties"]["params"]["properties"]["decimals"]["maximum"] == 3
    assert "min" not in typed["date"]["properties"]["params"]["properties"]
    assert DESCRIPTION in last_user_message(request)


def test_model_setting_is_sent(server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNTH_MODEL", "llama3.2")
    server.script(answer(GOOD))
    assert plan().source == "openai"
    assert server.requests[0].body["model"] == "llama3.2"


def test_malformed_json_then_good(server: FakeOpenAI) -> None:
    server.script(answer('{"title": "x", "columns": [ {"name": '), answer(GOOD))
    planned = plan()
    assert planned.source == "openai"
    assert len(server.requests) == 2
    repair = server.requests[1].messages
    assert repair[-2]["role"] == "assistant" and repair[-2]["content"].startswith('{"title"')
    assert "not valid JSON" in repair[-1]["content"]


BAD_ANSWERS = {
    "unknown type": (good_with(name="vibe", type="sentiment_score"), "unknown type"),
    "python code as type": (good_with(name="x", type="__import__('os').system('touch {sentinel}')"), "unknown type"),
    "faker method string": (good_with(name="company_name", type="fake.company() + ' ' + fake.company_suffix()"),
                            "unknown type"),
    "python code in formula": (good_with(name="total", type="formula",
                                         params=[{"name": "expr", "value": "__import__('os').system('touch {sentinel}')"}]),
                               "calls something other than"),
    "faker call as parameter": (good_with(name="merchant2", type="company",
                                          params=[{"name": "faker", "value": "fake.company()"}]), "no parameter"),
    "huge number": (good_with(name="big", type="integer", params=[{"name": "max", "value": 1e300}]), "number"),
    "huge integer": (good_with(name="big", type="integer", params=[{"name": "max", "value": 10**40}]), "number"),
    "NaN": ('{"title": "x", "columns": [{"name": "a", "type": "float", "params": [{"name": "min", "value": NaN}]}]}',
            "not valid JSON"),
    "10,000 columns": ({**GOOD, "columns": [{"name": f"c{i}", "type": "integer", "params": [], "null_rate": 0,
                                              "unique": False} for i in range(10_000)]}, "columns"),
    "500 columns": ({**GOOD, "columns": [{"name": f"c{i}", "type": "integer", "params": [], "null_rate": 0,
                                          "unique": False} for i in range(500)]}, "at most 200"),
    "not an object": ("[1, 2, 3]", "JSON object"),
    "code instead of JSON": ("import os; os.system('touch {sentinel}')", "not valid JSON"),
}


@pytest.mark.parametrize("bad", list(BAD_ANSWERS), ids=list(BAD_ANSWERS))
def test_bad_answer_is_repaired(server: FakeOpenAI, bad: str, tmp_path: Path) -> None:
    sentinel = tmp_path / "executed"
    content, problem = BAD_ANSWERS[bad]
    text = (content if isinstance(content, str) else json.dumps(content)).replace("{sentinel}", str(sentinel))
    server.script(answer(text), answer(GOOD))
    planned = plan()
    assert planned.source == "openai"
    assert planned.schema.names == [c["name"] for c in GOOD["columns"]]
    assert len(server.requests) == 2
    assert "rejected" in last_user_message(server.requests[1])
    assert problem.lower() in last_user_message(server.requests[1]).lower()
    assert not sentinel.exists()


@pytest.mark.parametrize("bad", ["python code as type", "faker method string", "10,000 columns", "huge number"])
def test_bad_answer_twice_falls_back(server: FakeOpenAI, bad: str, tmp_path: Path) -> None:
    sentinel = tmp_path / "executed"
    content, _ = BAD_ANSWERS[bad]
    text = (content if isinstance(content, str) else json.dumps(content)).replace("{sentinel}", str(sentinel))
    server.script(answer(text))
    planned = fallback("still invalid after one repair")
    assert len(server.requests) == 2
    assert planned.schema.generate(10, seed=1).shape[0] == 10
    assert not sentinel.exists()


def test_fenced_and_flattened_answer_is_read(server: FakeOpenAI) -> None:
    flat = {"title": "t", "columns": [{"name": "amount", "type": "money", "min": 1, "max": 500}]}
    server.script(answer("```json\n" + json.dumps(flat) + "\n```"))
    schema = plan().schema
    assert schema.column("amount").params == {"min": 1, "max": 500}


def test_cut_off_answer_is_repaired(server: FakeOpenAI) -> None:
    server.script(answer('{"title": "x", "columns": [', finish_reason="length"), answer(GOOD))
    assert plan().source == "openai"
    assert "cut off" in last_user_message(server.requests[1])


# ------------------------------------------------------------------------ the API's errors

def test_429_then_success(server: FakeOpenAI) -> None:
    server.script(error(429, "Rate limit reached", "rate_limit_exceeded"), answer(GOOD))
    assert plan().source == "openai"
    assert len(server.requests) == 2


def test_500s_until_fallback(server: FakeOpenAI) -> None:
    server.script(error(500, "boom"))
    fallback(r"HTTP 500 after 1 retry")
    # the first try, SYNTH_MAX_RETRIES=1 retry, then json_object once
    assert [r.response_format for r in server.requests] == ["json_schema", "json_schema", "json_object"]
    assert quirks._LEARNT == {}  # nothing worked, so nothing is learnt


def test_429s_until_fallback(server: FakeOpenAI) -> None:
    server.script(error(429, "You exceeded your current quota", "insufficient_quota"))
    fallback("rate-limited or out of quota")


def test_timeout_falls_back(server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNTH_TIMEOUT", "0.3")
    monkeypatch.setenv("SYNTH_MAX_RETRIES", "0")
    server.script(slow(3, answer(GOOD)))
    started = time.perf_counter()
    fallback(r"did not answer within 0\.3 s")
    assert time.perf_counter() - started < 2.5


def test_unreachable_server_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeOpenAI() as fake:
        url = fake.url  # a port nobody listens on once the server is gone
    monkeypatch.setenv("OPENAI_BASE_URL", url)
    monkeypatch.setenv("SYNTH_MAX_RETRIES", "0")
    fallback("could not be reached")


def test_401_is_not_retried_and_says_how_to_fix_the_key(server: FakeOpenAI) -> None:
    server.script(error(401, f"Incorrect API key provided: {KEY}", "invalid_api_key"))
    with pytest.raises(PlannerError, match="OPENAI_API_KEY") as info:
        plan()
    assert "401" in str(info.value) and ".env" in str(info.value)
    assert KEY not in "".join(traceback.format_exception(info.value))
    assert len(server.requests) == 1


def test_404_model_names_the_setting(server: FakeOpenAI) -> None:
    server.script(error(404, "model 'gpt-4o-mini' not found, try pulling it first"))
    with pytest.raises(PlannerError, match="SYNTH_MODEL"):
        plan()


def test_json_schema_rejected_uses_json_object(server: FakeOpenAI) -> None:
    def respond(request: Request) -> Reply:
        if request.response_format == "json_schema":
            return error(400, "response_format json_schema is not supported")
        return answer(GOOD)

    server.respond = respond
    assert plan().source == "openai"
    assert [r.response_format for r in server.requests] == ["json_schema", "json_object"]


def test_no_response_format_support_uses_plain_text(server: FakeOpenAI) -> None:
    def respond(request: Request) -> Reply:
        if request.response_format is not None:
            return error(400, "unknown field response_format")
        return answer("Here is the schema:\n```json\n" + json.dumps(GOOD) + "\n```\nEnjoy!")

    server.respond = respond
    assert plan().source == "openai"
    assert [r.response_format for r in server.requests] == ["json_schema", "json_object", None]
    assert plan("another table of customers").source == "openai"  # remembered for this server
    assert [r.response_format for r in server.requests][3:] == [None]


# ------------------------------------------------------------------------- cache, config

def test_cache_hit_makes_no_request(server: FakeOpenAI) -> None:
    server.script(answer(GOOD))
    assert plan().source == "openai"
    assert plan().source == "cache"
    frame = api.synth(DESCRIPTION, rows=5, seed=1, planner="openai")
    assert list(frame.columns) == [c["name"] for c in GOOD["columns"]]
    assert len(server.requests) == 1


def test_fallback_is_not_cached(server: FakeOpenAI) -> None:
    server.script(error(500))
    fallback("HTTP 500")
    fallback("HTTP 500")
    assert len(server.requests) == 6


def test_base_url_alone_uses_a_local_key_and_is_chosen_automatically(
        server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY")
    server.script(answer(GOOD))
    planned = api.plan_with_source(DESCRIPTION)
    assert planned.source == "openai"
    assert server.requests[0].headers["authorization"] == f"Bearer {op.LOCAL_KEY}"


@pytest.mark.parametrize("url", ["ftp://example.com/v1", "localhost:8000/v1", "file:///etc/passwd", "http://:99/v1"])
def test_base_url_scheme_is_checked_up_front(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", url)
    with pytest.raises(ConfigError, match="http:// or https://") as info:
        plan()
    assert url not in str(info.value)


def test_openai_without_key_or_url_says_what_to_set() -> None:
    with pytest.raises(PlannerError, match="OPENAI_API_KEY"):
        plan()


def test_too_long_description_is_refused_not_cut(server: FakeOpenAI) -> None:
    with pytest.raises(InputError, match="under 4,000"):
        plan("x" * (MAX_DESCRIPTION + 1))
    planner = get_planner(config.settings(planner="openai"))
    with pytest.raises(InputError):
        planner.plan("word " * 1000)
    assert server.requests == []


def test_prompt_stays_under_4000_tokens() -> None:
    """The conversation fits a 4,096-token context (Ollama's default). The answer schema is
    not part of it: servers turn it into a grammar that constrains decoding."""
    messages = op.first_messages("x" * MAX_DESCRIPTION)
    assert op.estimate_tokens(messages) < op.PROMPT_TOKEN_LIMIT
    repair = op.repair_messages(messages, "y" * 200_000, "z" * 400)
    assert op.estimate_tokens(repair) < op.PROMPT_TOKEN_LIMIT
    assert len(json.dumps(op.answer_schema(), separators=(",", ":"))) < 16_000  # one anyOf branch per parameter set


def test_version_follows_the_prompt() -> None:
    assert op.prompt_version().startswith(f"{op.VERSION}.")
    for spec in TYPES.values():
        assert spec.name in op.system_prompt()


# ------------------------------------------------------------------------------ the key

def echo_key(request: Request) -> Reply:
    """A hostile proxy: puts the Authorization header into the answer."""
    key = request.headers.get("authorization", "").removeprefix("Bearer ")
    return answer(good_with(name=key, type="word"))


def test_answer_echoing_the_key_is_discarded(server: FakeOpenAI, isolated_env: Path) -> None:
    server.respond = echo_key
    fallback("contained the API key")
    assert len(server.requests) == 1  # not sent back for repair either
    assert all(KEY.encode() not in p.read_bytes() for p in isolated_env.rglob("*") if p.is_file())


SCENARIOS: list[tuple[str, Any]] = [
    ("good", [answer(GOOD)]),
    ("malformed then good", [answer("{oops"), answer(GOOD)]),
    ("bad twice", [answer(good_with(name="x", type="fake.company()"))]),
    ("429 then good", [error(429), answer(GOOD)]),
    ("500s", [error(500, f"internal error for key {KEY}")]),
    ("timeout", [slow(2, answer(GOOD))]),
    ("401", [error(401, f"Incorrect API key provided: {KEY}")]),
    ("403", [error(403, f"key {KEY} may not use this model")]),
    ("404", [error(404, f"model not found for {KEY}")]),
    ("400 everywhere", [error(400, f"bad request from {KEY}")]),
    ("echo", echo_key),
    ("json_schema rejected", lambda r: error(400, KEY) if r.response_format == "json_schema" else answer(GOOD)),
]


def test_the_key_never_leaks(server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, isolated_env: Path,
                             caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SYNTH_TIMEOUT", "0.5")
    for name in ("", "openai", "httpx", "httpx2", "httpcore", "synth_magic"):
        caplog.set_level(logging.DEBUG, logger=name)
    seen: list[str] = []
    for number, (name, script) in enumerate(SCENARIOS):
        server.requests.clear()
        if callable(script):
            server.respond = script
        else:
            server.respond = None
            server.script(*script)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                planned = plan(f"{DESCRIPTION} number {number}")
                planned = plan(f"{DESCRIPTION} number {number}")  # the cache path too
                seen += [planned.schema.to_json(), planned.schema.to_text(), repr(planned)]
            except Exception as exc:  # noqa: BLE001 - every error text is checked below
                seen += ["".join(traceback.format_exception(exc)), repr(exc)]
        seen += [str(w.message) for w in caught]
        assert server.requests, name
    resolved = config.settings(planner="openai")
    seen += [repr(resolved), str(resolved), repr(get_planner(resolved))]
    seen += [r.getMessage() for r in caplog.records] + [caplog.text]
    assert any(r.name.startswith("openai") for r in caplog.records)  # the SDK did log
    out = capsys.readouterr()
    seen += [out.out, out.err]
    files = [p for p in isolated_env.rglob("*") if p.is_file()]
    assert files  # schemas were cached
    for path in files:
        assert KEY.encode() not in path.read_bytes(), path
    for text in seen:
        assert KEY not in text
        assert "SECRET" not in text


# ------------------------------------------------------------------- untrusted answers

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
column_like = st.fixed_dictionaries(
    {"name": st.sampled_from(["a", "b", "amount", "x y", "1bad", ""]) | json_values,
     "type": st.sampled_from([*list(TYPES)[:20], "formula", "category", "fake.name()"]) | json_values},
    optional={"params": st.lists(st.fixed_dictionaries({"name": st.sampled_from(["min", "max", "values", "expr", "after"]),
                                                        "value": json_values}), max_size=3) | json_values,
              "null_rate": json_values, "unique": json_values, "why": json_values, "min": json_values},
)
answers = st.fixed_dictionaries({"columns": st.lists(column_like, max_size=4) | json_values},
                                optional={"title": json_values, "locale": json_values, "rows": json_values})


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers)
def test_any_answer_is_a_valid_schema_or_a_schema_error(data: Any) -> None:
    try:
        schema = op.to_schema(op.read_answer(json.dumps(data)))
    except (SchemaError, InputError) as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert schema.planner == "openai" and all(c.source == "model" for c in schema.columns)


@pytest.mark.parametrize("text", [
    "```json\n{\"columns\": [{\"name\": \"a\", \"type\": \"word\"}]}\n```",
    "Sure! Here it is: {\"columns\": [{\"name\": \"a\", \"type\": \"word\"}]} Hope this helps.",
    "  {\"columns\": [{\"name\": \"a\", \"type\": \"word\", \"params\": {}}]}  ",
])
def test_answers_wrapped_in_prose_or_fences_are_read(text: str) -> None:
    assert op.to_schema(op.read_answer(text)).names == ["a"]


def test_max_retries_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert config.settings().max_retries == config.DEFAULT_MAX_RETRIES
    monkeypatch.setenv("SYNTH_MAX_RETRIES", "0")
    assert config.settings().max_retries == 0
    monkeypatch.setenv("SYNTH_MAX_RETRIES", "lots")
    with pytest.raises(ConfigError, match="SYNTH_MAX_RETRIES"):
        config.settings()


def test_settings_repr_hides_credentials_in_the_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "https://user:hunter2@proxy.example:8443/v1?api-key=hunter2")
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    shown = repr(config.settings())
    assert "hunter2" not in shown and KEY not in shown
    assert "https://proxy.example:8443/v1" in shown and "api_key=set" in shown


def test_openai_sdk_is_imported_lazily() -> None:
    import subprocess
    import sys

    code = "import sys, synth_magic, synth_magic.planner.openai; print('openai' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(Path(__file__).parents[1])})
    assert out.stdout.strip() == "False"


def test_400_not_about_the_format_falls_back_and_is_not_remembered(server: FakeOpenAI) -> None:
    server.script(error(400, "messages[1].content: expected a string"))
    fallback(r"rejected the request \(HTTP 400: messages\[1\]\.content: expected a string\)")
    assert [r.response_format for r in server.requests] == ["json_schema"]  # no downgrade
    assert quirks._LEARNT == {}
    server.script(answer(GOOD))
    assert plan().source == "openai"
    assert server.requests[-1].response_format == "json_schema"
