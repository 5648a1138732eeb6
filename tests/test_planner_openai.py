"""The openai planner against a local chat-completions server, through the real openai SDK."""

from __future__ import annotations

import json
import logging
import re
import time
import traceback
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import synth_magic
from fake_openai import FakeOpenAI, Reply, Request, answer, broken, drip, error, slow
from synth_magic import api, config
from synth_magic._inputs import MAX_DESCRIPTION
from synth_magic.catalog import TYPES
from synth_magic.errors import ConfigError, InputError, PlannerError, SchemaError, SynthWarning
from synth_magic.planner import _answer as reading
from synth_magic.planner import _server as quirks
from synth_magic.planner import get_planner
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
    "formula dividing by zero": (good_with(name="ratio", type="formula", params=[{"name": "expr", "value": "1/0"}]),
                                 "divides by zero"),
    "formula writing into another column": (good_with(name="root", type="formula",
                                                      params=[{"name": "expr", "value": "sqrt(amount, amount)"}]),
                                            "takes one argument"),
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


@pytest.mark.parametrize("bad", ["python code as type", "faker method string", "10,000 columns", "huge number",
                                 "formula dividing by zero"])
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
    with pytest.warns(SynthWarning, match="did not take the response format .* now asks in json_object mode"):
        assert plan().source == "openai"
    assert [r.response_format for r in server.requests] == ["json_schema", "json_object"]


def test_no_response_format_support_uses_plain_text(server: FakeOpenAI) -> None:
    def respond(request: Request) -> Reply:
        if request.response_format is not None:
            return error(400, "unknown field response_format")
        return answer("Here is the schema:\n```json\n" + json.dumps(GOOD) + "\n```\nEnjoy!")

    server.respond = respond
    with pytest.warns(SynthWarning) as caught:
        assert plan().source == "openai"
    assert [r.response_format for r in server.requests] == ["json_schema", "json_object", None]
    assert ["asks for plain text" in str(w.message) for w in caught] == [False, True]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # remembered for this server and model, and said once
        assert plan("another table of customers").source == "openai"
    assert [r.response_format for r in server.requests][3:] == [None]


# ------------------------------------------------------------------------- cache, config

def test_cache_hit_makes_no_request(server: FakeOpenAI) -> None:
    server.script(answer(GOOD))
    assert plan().source == "openai"
    assert plan().source == "cache"
    frame = api.synth(DESCRIPTION, rows=5, seed=1, planner="openai")
    assert list(frame.columns) == [c["name"] for c in GOOD["columns"]]
    assert len(server.requests) == 1


def test_an_answer_with_a_bad_formula_is_never_cached(server: FakeOpenAI) -> None:
    server.script(answer(BAD_ANSWERS["formula dividing by zero"][0]))
    fallback("still invalid after one repair")
    server.script(answer(GOOD))
    assert plan().source == "openai"  # asked again, not a cached answer that fails every run
    assert len(server.requests) == 3


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


LIMITS = ("max_tokens", "max_completion_tokens")


def limited(reply: Reply) -> Any:
    """A server that answers ``reply`` to any request carrying a completion limit."""
    return lambda r: reply if any(k in r.body for k in LIMITS) else answer(GOOD)


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
    ("context 400", limited(error(400, f"maximum context length is 4096 tokens; key {KEY}"))),
    ("format 400", lambda r: error(400, f"json_schema unsupported for {KEY}") if r.response_format else answer(GOOD)),
    ("broken body", [broken(f"<html>{KEY}</html>")]),
    ("dripping", [drip(3, answer(good_with(name="x", type="word")))]),
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


# ------------------------------------------------------------- real servers' quirks

CONTEXT_ERRORS = {  # what each server says when prompt + completion limit exceed the context
    "vLLM >= 0.11": error(400, "'max_tokens' or 'max_completion_tokens' is too large: 6000. This model's maximum "
                               "context length is 4096 tokens and your request has 1900 input tokens "
                               "(6000 > 4096 - 1900). None"),
    "vLLM < 0.11": error(400, "This model's maximum context length is 4096 tokens. However, you requested 7900 "
                              "tokens (1900 in the messages, 6000 in the completion). Please reduce the length "
                              "of the messages or completion."),
}


@pytest.mark.parametrize("said", list(CONTEXT_ERRORS))
def test_context_length_400_keeps_json_schema_now_and_for_the_next_plan(server: FakeOpenAI, said: str) -> None:
    server.respond = limited(CONTEXT_ERRORS[said])
    with pytest.warns(SynthWarning, match="sends no completion limit") as caught:
        assert plan().source == "openai"
    assert len([w for w in caught if "completion limit" in str(w.message)]) == 1
    first, second = server.requests
    assert first.response_format == second.response_format == "json_schema"
    assert all(k in first.body for k in LIMITS) and not any(k in second.body for k in LIMITS)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # said once: no warning the second time
        assert plan("customers with name and email").source == "openai"
    [third] = server.requests[2:]
    assert third.response_format == "json_schema" and not any(k in third.body for k in LIMITS)


def test_what_is_learnt_stays_with_its_server_and_model(server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> None:
    server.respond = limited(CONTEXT_ERRORS["vLLM >= 0.11"])
    with pytest.warns(SynthWarning):
        plan()
    monkeypatch.setenv("SYNTH_MODEL", "qwen3:8b")
    server.respond = None
    server.script(answer(GOOD))
    assert plan().source == "openai"
    assert all(k in server.requests[-1].body for k in LIMITS)  # another model: asked in full again


@pytest.mark.parametrize("reply, reason", [
    (error(400, "the request exceeds the available context size, try increasing it"), "even with it left out"),
    (Reply(400, {"error": {"code": 400, "message": "the request exceeds the available context size. try increasing "
                           "the context size or enable context shift", "type": "exceed_context_size_error",
                           "n_prompt_tokens": 5200, "n_ctx": 4096}}), r"holds 4,096 tokens \(the prompt is 5,200"),
    (error(400, "This model's maximum context length is 4096 tokens. However, your request has 5200 input "
                "tokens. Please reduce the length of the input messages."), "holds 4,096 tokens"),
], ids=["limit dropped, still too long", "llama.cpp prompt too long", "vLLM prompt too long"])
def test_a_prompt_longer_than_the_context_falls_back_and_says_so(server: FakeOpenAI, reply: Reply,
                                                                  reason: str) -> None:
    server.script(reply)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the first case learns (and says) that the limit goes
        planned = plan()
    assert planned.source == "offline"
    assert re.search(reason, planned.schema.notes[-1])
    assert {r.response_format for r in server.requests} == {"json_schema"}  # never a format downgrade


def test_refused_parameter_is_left_out(server: FakeOpenAI) -> None:
    """OpenAI's reasoning models refuse any temperature but 1."""
    refused = Reply(400, {"error": {"message": "Unsupported value: 'temperature' does not support 0.2 with this "
                                               "model. Only the default (1) value is supported.",
                                    "type": "invalid_request_error", "param": "temperature",
                                    "code": "unsupported_value"}})
    server.respond = lambda r: refused if "temperature" in r.body else answer(GOOD)
    with pytest.warns(SynthWarning, match="leaves out 'temperature'"):
        assert plan().source == "openai"
    assert ["temperature" in r.body for r in server.requests] == [True, False]
    assert server.requests[1].response_format == "json_schema"


def test_5xx_to_json_schema_then_json_object(server: FakeOpenAI) -> None:
    def respond(request: Request) -> Reply:
        if request.response_format == "json_schema":
            return error(500, "Internal Server Error")  # vLLM guided decoding crashing, no word of the format
        return answer(GOOD)

    server.respond = respond
    with pytest.warns(SynthWarning, match="json_object mode"):
        assert plan().source == "openai"
    assert [r.response_format for r in server.requests] == ["json_schema", "json_schema", "json_object"]
    assert plan("a list of products").source == "openai"
    assert server.requests[-1].response_format == "json_object"  # learnt for this server and model


def test_500_about_the_format_downgrades_at_once(server: FakeOpenAI) -> None:
    """ik_llama.cpp and old llama.cpp servers answer 500 to a json_schema request."""
    server.respond = lambda r: (error(500, 'response_format type must be one of "text" or "json_object", but '
                                           "got: json_schema") if r.response_format == "json_schema" else answer(GOOD))
    with pytest.warns(SynthWarning, match="json_object mode"):
        assert plan().source == "openai"
    assert [r.response_format for r in server.requests] == ["json_schema", "json_object"]


@pytest.mark.parametrize("reply", [
    broken("<html><body>502 Bad Gateway</body></html>"),
    broken("<html><body>oops</body></html>", "text/html"),
    broken(b""),
    broken('{"id": "x", "object": "list", "data": []}'),
], ids=["html as json", "html", "empty", "json but no completion"])
def test_broken_body_falls_back_with_a_warning(server: FakeOpenAI, reply: Reply) -> None:
    server.script(reply)
    fallback("not a JSON chat completion")
    assert len(server.requests) == 1


def test_deadline_holds_for_a_dripping_reply(server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNTH_TIMEOUT", "1")
    server.script(drip(20, answer(GOOD)))  # every byte resets the SDK's read timeout
    started = time.perf_counter()
    fallback(r"did not answer within 1 s \(SYNTH_TIMEOUT, the limit for the whole plan\)")
    assert time.perf_counter() - started < 1 + 1


def test_deadline_covers_retries_and_backoff(server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNTH_TIMEOUT", "1")
    monkeypatch.setenv("SYNTH_MAX_RETRIES", "10")
    server.script(error(503, "overloaded", headers={"retry-after-ms": "400"}))
    started = time.perf_counter()
    fallback(r"HTTP 503, and the 1 s limit \(SYNTH_TIMEOUT\) left no time to try again")
    assert time.perf_counter() - started < 1 + 1
    # 0, 0.4, 0.8 s when the machine is idle (a busy one answers more slowly, so fewer):
    # the next would start after the deadline
    assert 1 <= len(server.requests) <= 3


def test_temperature_and_both_limits_are_sent(server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> None:
    server.script(answer(GOOD))
    assert plan().source == "openai"
    body = server.requests[0].body
    assert body["temperature"] == config.DEFAULT_TEMPERATURE == 0.2
    assert body["max_tokens"] == body["max_completion_tokens"] == op.MAX_ANSWER_TOKENS  # Ollama reads max_tokens
    monkeypatch.setenv("SYNTH_TEMPERATURE", "0")
    assert plan("customers").source == "openai"
    assert server.requests[-1].body["temperature"] == 0


@pytest.mark.parametrize("url", [None, "https://api.openai.com/v1"])
def test_openai_gets_max_completion_tokens_only(monkeypatch: pytest.MonkeyPatch, url: str | None) -> None:
    """Its reasoning models refuse max_tokens; no request is made here."""
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    if url:
        monkeypatch.setenv("OPENAI_BASE_URL", url)
    planner = get_planner(config.settings(planner="openai"))
    request = planner._request("json_schema", set())
    assert "max_tokens" not in request and request["max_completion_tokens"] == op.MAX_ANSWER_TOKENS
    assert planner.settings.send_key


@pytest.mark.parametrize("value", ["-1", "3", "hot"])
def test_temperature_setting_is_checked(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("SYNTH_TEMPERATURE", value)
    with pytest.raises(ConfigError, match="SYNTH_TEMPERATURE must be a number from 0 to 2"):
        config.settings()


# -------------------------------------------------------------- reading answers

CORE = json.dumps({"columns": [{"name": "a", "type": "word"}]})


@pytest.mark.parametrize("text", [
    f"<think>The user wants {{columns}}; maybe {{\"a\": 1}} first.</think>\n{CORE}",
    f"Okay, let me think. {{columns}} need names.</think>{CORE}",  # the template opened the block
    f"Use {{name}} as the key. Here it is: {CORE} Hope this helps {{:}}",
    f"```json\n{CORE}\n```\nAlternatively {{\"columns\": []}}",
    f'{{"note": "a draft"}} and the schema: {CORE}',
], ids=["think block", "lone closing tag", "braces in prose", "fence then prose", "another object first"])
def test_think_blocks_and_prose_around_the_json(text: str) -> None:
    assert op.to_schema(op.read_answer(text)).names == ["a"]


def test_think_block_and_prose_through_the_server(server: FakeOpenAI) -> None:
    server.script(answer("<think>columns {like} these</think>Sure: " + json.dumps(GOOD) + " {done}"))
    assert plan().schema.names == [c["name"] for c in GOOD["columns"]]
    assert len(server.requests) == 1


def col(type_: str, **params: Any) -> dict[str, Any]:
    return {"name": "c", "type": type_, "params": params}


# (column as the model wrote it, the parameters it becomes)
SLIPS = {
    "numbers as strings": (col("money", min="1", max="1,500.50"), {"min": 1, "max": 1500.5}),
    "min on a date": (col("date", min="2024-01-01", max="2024-06-30"), {"start": "2024-01-01", "end": "2024-06-30"}),
    "ISO timestamp with Z": (col("datetime", start="2024-01-01T00:00:00Z", end="2024-03-01T12:30:00+02:00"),
                             {"start": "2024-01-01", "end": "2024-03-01 10:30:00"}),
    "slashes in a date": (col("date", start="2024/01/01"), {"start": "2024-01-01"}),
    "relative date in words": (col("date", start="today - 90 days", end="today"),
                               {"start": "today-90d", "end": "today"}),
    "gaps in words": (col("date", after="c0", min_gap="1 day", max_gap="14 days"),
                      {"after": "c0", "min_gap": "1d", "max_gap": "14d"}),
    "gender F": (col("first_name", gender="F"), {"gender": "female"}),
    "enum in another case": (col("money", distribution="Log-Normal"), {"distribution": "lognormal"}),
    "too many weights": (col("category", values=["a", "b"], weights=[0.5, 0.3, 0.2]),
                         {"values": ["a", "b"], "weights": [0.5, 0.3]}),
    "one weight short": (col("category", values=["a", "b", "c"], weights=[0.5, 0.3]),
                         {"values": ["a", "b", "c"], "weights": [0.5, 0.3, 0.2]}),
    "weights for default values": (col("gender", weights=[0.5, 0.5]), {}),
    "share as a percentage": (col("boolean", p_true=2), {"p_true": 0.02}),
    "share with a % sign": (col("boolean", p_true="35%"), {"p_true": 0.35}),
    "values as one string": (col("category", values="low, medium, high"), {"values": ["low", "medium", "high"]}),
    "a bound beyond the catalogue's": (col("rating", decimals=9), {"decimals": 3}),
    "a parameter no such type has": (col("integer", decimals=2, min=0), {"min": 0}),
    "12-hour clock": (col("time", start="9:30 am", end="5 PM"), {"start": "09:30", "end": "17:00"}),
}


@pytest.mark.parametrize("slip", list(SLIPS), ids=list(SLIPS))
def test_harmless_slips_are_coerced_and_noted(slip: str) -> None:
    column, params = SLIPS[slip]
    before = {"name": "c0", "type": "date", "params": {}}
    schema = op.to_schema(op.read_answer(json.dumps({"columns": [before, column]})))
    got = schema.column("c")
    assert got.params == params
    assert "adjusted:" in got.why and got.source == "model"
    assert any("adjusted in 1 column" in note for note in schema.notes)
    assert schema.generate(5, seed=1).shape == (5, 2)


def test_column_fields_and_rows_are_coerced() -> None:
    data = {"title": "t", "rows": "2,000,000", "columns": [
        {"name": "a", "type": "Date"}, {"name": "b", "type": "Full Name", "null_rate": 5, "unique": "no"},
        {"name": "c", "type": "email", "derive_from": "B"}]}
    schema = op.to_schema(data)
    assert [c.type for c in schema.columns] == ["date", "full_name", "email"]
    assert schema.column("b").null_rate == 0.05 and schema.column("b").unique is False
    assert schema.column("c").params == {"derive_from": "b"}
    assert schema.rows == op.MAX_MODEL_ROWS
    assert any("2,000,000 rows" in note for note in schema.notes)


def test_two_slips_cost_no_repair(server: FakeOpenAI) -> None:
    slips = good_with(name="signup", type="date", params=[{"name": "min", "value": "2024/01/01"}])
    slips["columns"][3]["params"] = [{"name": "p_true", "value": "2"}]
    server.script(answer(slips))
    schema = plan().schema
    assert len(server.requests) == 1
    assert schema.column("is_fraud").params == {"p_true": 0.02}
    assert schema.column("signup").params == {"start": "2024-01-01"}


def test_every_problem_goes_back_in_one_repair(server: FakeOpenAI) -> None:
    bad = good_with(name="contact", type="email_address")
    bad["columns"].append({"name": "total", "type": "formula", "params": [{"name": "expr", "value": "amount * nope"}],
                           "null_rate": 0, "unique": False})
    bad["columns"].append({"name": "total", "type": "integer", "params": [], "null_rate": 0, "unique": False})
    server.script(answer(bad), answer(GOOD))
    assert plan().source == "openai"
    ask = last_user_message(server.requests[1])
    assert "3 problems" in ask
    assert "unknown type 'email_address'; did you mean 'email'?" in ask
    assert "nope" in ask and "appears twice" in ask


@pytest.mark.parametrize("name, hint", [
    ("email_address", "email"), ("phone_number", "phone"), ("zip_code", "postcode"), ("string", "word"),
    ("bool", "boolean"), ("timestamp", "datetime"), ("uuid4", "uuid"), ("emial", "email"),
])
def test_did_you_mean_prefers_meaning_to_spelling(name: str, hint: str) -> None:
    assert reading.suggest_type(name) == hint
    with pytest.raises(SchemaError, match=f"did you mean '{hint}'"):
        op.to_schema({"columns": [{"name": "x", "type": name}]})


# --------------------------------------------------------------- prompt length

JAPANESE = ("東京都内の小売店で記録された顧客の購買履歴を作成してください。各行には注文番号、顧客の氏名、メールアドレス、"
            "電話番号、郵便番号、都道府県、購入日時、商品カテゴリ、数量、単価（1円から50000円まで）、支払い方法、"
            "配送状況を含めます。返品率は約3パーセント、会員の割合は6割程度にしてください。")


def test_cjk_text_is_measured_as_cjk() -> None:
    """o200k spends 0.71 tokens per character of this text, cl100k 1.05, Llama 3 0.77,
    Qwen 3 0.77 (tokenizers run outside the suite); 4 characters a token would say 0.25."""
    text = (JAPANESE * 40)[:4000]
    assert op.estimate_tokens([{"role": "user", "content": text}]) >= 1.05 * 4000
    english = ("finance transactions with merchant, amount between 1 and 500, about 2% fraud; " * 60)[:4000]
    assert op.estimate_tokens([{"role": "user", "content": english}]) <= 0.4 * 4000  # real: 0.25


def test_prompt_stays_under_4000_tokens(server: FakeOpenAI) -> None:
    """The conversation fits a 4,096-token context (Ollama's default below 24 GiB of VRAM).
    Any ASCII description the package accepts fits, repair turn included. A 4,000-character
    Japanese one cannot (about 4,200 tokens with cl100k, 2,850 with o200k, before the
    1,700-token instructions), so it is refused up front with how long it may be, and
    nothing is sent. The answer schema is not part of it: servers turn it into a grammar."""
    for text in ("x" * MAX_DESCRIPTION, "word " * (MAX_DESCRIPTION // 5), (DESCRIPTION + " ") * 50):
        messages = op.check_prompt(text[:MAX_DESCRIPTION])
        repair = op.repair_messages(messages, "y" * 200_000, "z" * 5000)
        assert op.estimate_tokens(repair) < op.PROMPT_TOKEN_LIMIT
    japanese = (JAPANESE * 40)[:MAX_DESCRIPTION]
    with pytest.raises(InputError, match=r"4,000-token prompt limit .*shorten it to about [\d,]+ characters") as info:
        plan(japanese)
    keep = int(re.search(r"about ([\d,]+) characters", str(info.value)).group(1).replace(",", ""))
    assert 1000 < keep < 2000
    messages = op.check_prompt(japanese[:keep])  # what the message says fits
    assert op.estimate_tokens(op.repair_messages(messages, "y" * 200_000, "z" * 5000)) < op.PROMPT_TOKEN_LIMIT
    assert server.requests == []
    # one anyOf branch per parameter set (integer has its own since it takes numeric codes: values, weights)
    assert len(json.dumps(op.answer_schema(), separators=(",", ":"))) < 17_000


# ------------------------------------------------------------------ key hygiene

@pytest.mark.parametrize("url, key_host, sent", [
    (None, "", True),
    ("https://api.openai.com/v1", "", True),
    ("http://localhost:11434/v1", "", False),
    ("http://gpu-box:8000/v1", "gpu-box", True),
    ("http://gpu-box:8000/v1", "GPU-BOX:8000", True),
    ("http://gpu-box:8000/v1", "gpu-box:9000", False),
    ("https://proxy.example/v1", "https://proxy.example", True),
    ("https://proxy.example/v1", "proxy.example.evil", False),
])
def test_key_goes_only_where_it_is_meant(monkeypatch: pytest.MonkeyPatch, url: str | None, key_host: str,
                                          sent: bool) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    if url:
        monkeypatch.setenv("OPENAI_BASE_URL", url)
    monkeypatch.setenv("SYNTH_KEY_HOST", key_host)
    resolved = config.settings(planner="openai")
    assert resolved.send_key is sent
    assert ("api_key=set, sent" if sent else "api_key=set, not sent") in repr(resolved)


def test_key_not_meant_for_the_server_is_not_sent(server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SYNTH_KEY_HOST")
    server.script(answer(GOOD))
    assert plan().source == "openai"
    assert server.requests[0].headers["authorization"] == f"Bearer {op.LOCAL_KEY}"
    server.script(error(401, "Unauthorized"))
    with pytest.raises(PlannerError, match="only when SYNTH_KEY_HOST names its host"):
        plan("another table")


def test_key_over_plain_http_off_this_machine_warns_once(monkeypatch: pytest.MonkeyPatch) -> None:
    forget_servers(monkeypatch)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    for url, warned in [("http://10.1.2.3:8000/v1", True), ("http://10.1.2.3:8000/v1", False),
                        ("https://10.1.2.3/v1", False), ("http://127.0.0.1:8000/v1", False),
                        ("http://[::1]:8000/v1", False), ("http://gpu.localhost/v1", False)]:
        monkeypatch.setenv("OPENAI_BASE_URL", url)
        monkeypatch.setenv("SYNTH_KEY_HOST", url)
        planner = get_planner(config.settings(planner="openai"))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            planner._client().close()  # no request is made
        said = [str(w.message) for w in caught if "plain http" in str(w.message)]
        assert len(said) == warned, url
        assert all(KEY not in text for text in said)


def test_a_key_echoed_in_an_error_is_not_quoted(server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> None:
    token = "vllm-local-token-42"  # a server's own key, not shaped like OpenAI's
    monkeypatch.setenv("OPENAI_API_KEY", token)
    server.script(error(400, f"invalid request from {token}"))
    planned = fallback(r"rejected the request \(HTTP 400: invalid request from …\)")
    assert token not in " ".join(planned.schema.notes)


# ------------------------------------------------------------------ related tables

SHOP = "customers and their orders; each customer has 1 to 5 orders"


def _table(name: str, *columns: dict[str, Any]) -> dict[str, Any]:
    key = {"name": f"{name[:-1]}_id", "type": "id", "params": [], "null_rate": 0, "unique": True}
    return {"name": name, "title": name, "locale": "en_US", "rows": None, "columns": [key, *columns]}


SHOP_ANSWER = {
    "title": "shop",
    "tables": [
        _table("customers", {"name": "name", "type": "full_name", "params": [], "null_rate": 0, "unique": False}),
        _table("orders", {"name": "total", "type": "money", "params": [{"name": "max", "value": 300}],
                          "null_rate": 0, "unique": False}),
    ],
    "relations": [{"child": "orders", "column": "customer_id", "parent": "customers", "mode": "each", "min": 1,
                   "max": 5, "distribution": "skewed", "optional": 0, "distinct": False}],
    "derived": [],
}


def test_a_dataset_is_planned_in_one_answer_with_its_own_schema(server: FakeOpenAI) -> None:
    server.script(answer(SHOP_ANSWER))
    planned = plan(SHOP)
    assert planned.source == "openai" and planned.schema.planner == "openai"
    assert planned.schema.names == ["customers", "orders"]
    shop = planned.schema.generate(50, seed=1)
    assert shop["orders"].groupby("customer_id").size().between(1, 5).all()
    [request] = server.requests
    fmt = request.body["response_format"]["json_schema"]
    assert fmt["name"] == "synth_dataset" and fmt["strict"] is True
    assert fmt["schema"]["$defs"]["columns"] == op.answer_schema()["properties"]["columns"]
    assert "Several related tables are asked for" in request.messages[0]["content"]
    assert op.estimate_tokens(op.first_messages(SHOP, dataset=True)) + op._repair_reserve() < op.PROMPT_TOKEN_LIMIT
    assert len(json.dumps(op.dataset_answer_schema(), separators=(",", ":"))) < 18_500  # integer has its own branch (numeric codes); numbers take at_most and at_least


def test_a_bad_dataset_answer_is_repaired_once_naming_table_and_column(server: FakeOpenAI) -> None:
    bad = json.loads(json.dumps(SHOP_ANSWER))
    bad["tables"][1]["columns"][1]["type"] = "moneyy"
    bad["relations"][0]["parent"] = "clients"
    server.script(answer(bad), answer(SHOP_ANSWER))
    assert plan(SHOP).schema.names == ["customers", "orders"]
    assert "Table 'orders': " in last_user_message(server.requests[1])
    server.script(answer({**SHOP_ANSWER, "relations": [{**SHOP_ANSWER["relations"][0], "parent": "clients"}]}))
    planned = fallback("still invalid after one repair", "customers and their orders")
    assert isinstance(planned.schema, synth_magic.DatasetSchema)
    assert "names table 'clients'" in last_user_message(server.requests[-1])
