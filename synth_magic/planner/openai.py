"""The openai planner: gpt-4o-mini, or any OpenAI-compatible server, asked for a schema.

::

    description ─► prompt (from the catalogue) ─► chat completion ─► JSON ─► coerced, validated Schema
                    │ too long for the                  │                        │ problems: one repair turn
                    ▼ prompt limit: InputError          ▼                        ▼ with all of them, then
                                       401/403/404: PlannerError          PlannerUnavailable
                                       429/5xx/timeout/deadline: PlannerUnavailable

  (on PlannerUnavailable, :mod:`synth_magic.api` plans offline and warns)

- The prompt and the structured-output JSON schema are derived from
  :data:`synth_magic.catalog.TYPES`, so the model can only name catalogue types and
  parameters.
- One deadline per plan (``SYNTH_TIMEOUT``) covers every attempt, retry, backoff and the
  reading of a reply, so a server that drips its answer is cut off too.
- What a server does not take is learnt from its error and remembered for that server and
  model only, said once (:mod:`._server`): a format it rejects, a parameter it refuses, a
  completion limit its context cannot hold.
- Every answer is untrusted input (:mod:`._answer`): harmless slips are put right (noted
  in the schema), the rest is validated strictly; nothing in it is executed.
- The API key is read from the environment and handed to the SDK only for a server it is
  meant for (:attr:`Settings.send_key`). It never enters a message, a warning, a note, a
  repr or the cache; SDK exceptions (which may carry request details) are replaced by our
  own one-sentence messages.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import threading
import time
from typing import TYPE_CHECKING, Any

from .._inputs import check_description
from .._messages import clip, shown_url
from ..errors import InputError, PlannerError, PlannerUnavailable, SchemaError
from ..schema import MAX_COLUMNS, Schema
from . import _server as server
from ._answer import (
    MAX_ANSWER_CHARS,
    MAX_MODEL_ROWS,
    MAX_NUMBER,
    MAX_PROBLEMS_CHARS,
    read_answer,
    to_dataset,
    to_schema,
)

if TYPE_CHECKING:
    from ..catalog import Param
    from ..config import Settings

__all__ = [
    "LOCAL_KEY", "MAX_ANSWER_CHARS", "MAX_ANSWER_TOKENS", "MAX_ECHO_CHARS", "MAX_MODEL_ROWS",
    "MAX_NUMBER", "MODES", "OpenAIPlanner", "PROMPT_TOKEN_LIMIT", "VERSION", "answer_schema",
    "check_prompt", "dataset_answer_schema", "estimate_tokens", "first_messages", "prompt_version",
    "read_answer", "repair_messages", "system_prompt", "to_schema",
]

VERSION = "2"
# The whole conversation (instructions, description, repair turn) stays under this, so it
# fits a 4,096-token context: Ollama's default below 24 GiB of VRAM (docs.ollama.com,
# "Context length"), which truncates a longer prompt silently instead of refusing it.
PROMPT_TOKEN_LIMIT = 4000
MAX_ANSWER_TOKENS = 6000
MAX_ECHO_CHARS = 1500  # how much of a rejected answer goes back to the model with the repair
LOCAL_KEY = "local-server"  # what we send when the key is not meant for the server (Ollama, llama.cpp, vLLM)
MODES = server.MODES
_MIN_ECHO = 120  # the shortest echo of a rejected answer worth sending back


# --------------------------------------------------------------------------- the prompt

def estimate_tokens(messages: list[dict[str, str]]) -> int:
    """A cautious token count of a conversation, for any server's tokenizer.

    By character class, rates that bound what o200k (gpt-4o), cl100k (gpt-4), Llama 3 and
    Qwen 3 spend (measured on prose, JSON, the system prompt and CJK, Hangul, Devanagari,
    Thai, Arabic, Cyrillic text): ASCII letters and digits 0.32 a character, ASCII
    punctuation 0.62, spaces nothing; 2-byte characters (Cyrillic, Arabic, accents) 0.9,
    3-byte ones (CJK, kana, Hangul, Indic, Thai) 1.3, 4-byte ones (emoji) 2.5; plus 4 a
    message. A real tokenizer is not used: a local server's is unknown, and under a
    shared limit the bound must hold for all of them.
    """
    return sum(_text_tokens(m["content"]) + 4 for m in messages)


def _text_tokens(text: str) -> int:
    ascii_words = ascii_marks = wide2 = wide3 = wide4 = 0
    for ch in text:
        code = ord(ch)
        if code < 128:
            if ch.isalnum():
                ascii_words += 1
            elif not ch.isspace():
                ascii_marks += 1
        elif code < 0x800:
            wide2 += 1
        elif code < 0x10000:
            wide3 += 1
        else:
            wide4 += 1
    return int(ascii_words * 0.32 + ascii_marks * 0.62 + wide2 * 0.9 + wide3 * 1.3 + wide4 * 2.5) + 1


@functools.cache
def system_prompt() -> str:
    """The instructions and the type list, derived from the catalogue."""
    from .. import formula
    from ..catalog import TYPES

    lines = []
    for spec in TYPES.values():
        params = []
        for p in spec.params:
            if p.kind == "enum":
                params.append(f"{p.name}={'|'.join(p.choices)}")
            elif p.default is None or isinstance(p.default, list):
                params.append(p.name)
            else:
                params.append(f"{p.name}={p.default}")
        lines.append(f"{spec.name}: {spec.help}" + (f" [{', '.join(params)}]" if params else ""))
    types = "\n".join(lines)
    functions = ", ".join(sorted(formula.FUNCTIONS))
    return f"""You plan tables of realistic synthetic data. Reply with one JSON object and nothing else:
{{"title": "short title", "locale": "en_US", "rows": null, "columns": [
  {{"name": "amount", "type": "money", "params": {{"max": 500}}, "null_rate": 0, "unique": false}}]}}

Rules:
- Every column's type is one of the types listed below. params may only use that type's parameters, shown in brackets with their defaults; leave a parameter out (or null) to keep its default.
- Values are plain data. Never write code, function calls, Faker calls or templates.
- Column names: snake_case, starting with a letter, unique, at most 64 characters.
- null_rate is the share of missing values (0 to 0.99). unique is true for identifiers that must not repeat.
- locale is the Faker locale the description implies (en_US, en_GB, de_DE, fr_FR, es_ES, it_IT, ja_JP, pt_BR, ...), else en_US.
- rows is the row count the description asks for, else null.
- min and max bound numbers (numbers between -1e15 and 1e15). Dates: 2024-03-01, 'today' or 'today-90d'. Durations: 30s, 5min, 2h, 3d.
- category needs values (weights optional, one per value). formula needs expr: arithmetic over numeric columns with + - * / ** and {functions}.
- derive_from, gender_from and after name another column of the same table.
- Use 3 to 15 columns unless the description lists more (never more than {MAX_COLUMNS}). Honour every range, share and list the description gives.

Types (name: meaning [parameters]):
{types}
"""


_UNBOUNDED = 1e15  # the catalogue's default bounds: numbers the answer check refuses anyway


def _param_schema(p: Param) -> dict[str, Any]:
    """The JSON schema of one parameter's value (null keeps the default)."""
    from ..catalog import PARAM_KINDS

    kind = PARAM_KINDS[p.kind]
    out: dict[str, Any] = {"type": [kind.json, "null"]}
    if kind.items:
        out["items"] = {"type": kind.items}
    if p.lo is not None and p.lo > -_UNBOUNDED:
        out["minimum"] = p.lo
    if p.hi is not None and p.hi < _UNBOUNDED:
        out["maximum"] = p.hi
    if p.choices:
        out["enum"] = [*p.choices, None]
    return out


@functools.cache
def answer_schema() -> dict[str, Any]:
    """The structured-output JSON schema: each type with its own parameters and bounds.

    Types whose parameters are the same (every pool type, every choice type...) share one
    branch of the ``anyOf``, so the schema stays small.
    """
    from ..catalog import TYPES

    groups: dict[str, list[str]] = {}
    for spec in TYPES.values():
        params = {p.name: _param_schema(p) for p in spec.params}
        groups.setdefault(json.dumps(params), []).append(spec.name)
    branches = []
    for params_json, names in groups.items():
        params = json.loads(params_json)
        branches.append({
            "type": "object",
            "additionalProperties": False,
            "required": ["name", "type", "params", "null_rate", "unique"],
            "properties": {
                "name": {"type": "string"},
                "type": {"type": "string", "enum": names},
                "params": {"type": "object", "additionalProperties": False, "required": list(params),
                           "properties": params},
                "null_rate": {"type": "number"},
                "unique": {"type": "boolean"},
            },
        })
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["title", "locale", "rows", "columns"],
        "properties": {
            "title": {"type": "string"},
            "locale": {"type": "string"},
            "rows": {"type": ["integer", "null"]},
            "columns": {"type": "array", "items": {"anyOf": branches}},
        },
    }


# Appended to the instructions when the description names several related tables (the
# offline recogniser found them): the answer is then a dataset, each table as above.
DATASET_RULES = """
Several related tables are asked for. Reply instead with:
{"title": "...", "tables": [{"name": "customers", "title": "...", "locale": "en_US", "rows": null, "columns": [...]}],
 "relations": [{"child": "orders", "column": "customer_id", "parent": "customers", "mode": "each", "min": 1, "max": 5, "distribution": "skewed", "optional": 0, "distinct": false}],
 "derived": [{"table": "orders", "column": "total", "how": "sum", "source": "order_items.line_total", "hidden": false}]}
- Table names: snake_case plurals. Each table's first column is its key: <singular>_id, type id, unique true.
- A relation adds its foreign key column to the child; do not list it among the child's columns.
- mode each: every parent row has min to max child rows. pick: each child row picks a parent (distinct: never twice for one 'each' parent, as in a link table; optional: share left without one).
- derived how: copy (source parent.column into a child column of the same type; hidden: only read by the child's columns, such as after=), currency (source parent.country into a currency_code column) or sum, count, mean, min, max (source child.column, for count the child table) into a parent's number column.
"""


@functools.cache
def dataset_answer_schema() -> dict[str, Any]:
    """The structured-output schema for related tables: each table's columns as in
    :func:`answer_schema` (one definition, by ``$ref``), plus relations and derived columns."""
    from ..dataset import ACROSS, AGGREGATES, DISTRIBUTIONS, MODES

    table = answer_schema()
    strings = {"type": "string"}

    def obj(fields: dict[str, Any]) -> dict[str, Any]:
        return {"type": "object", "additionalProperties": False, "required": list(fields), "properties": fields}

    return {
        **obj({
            "title": strings,
            "tables": {"type": "array", "items": obj({
                "name": strings, "title": strings, "locale": strings, "rows": {"type": ["integer", "null"]},
                "columns": {"$ref": "#/$defs/columns"}})},
            "relations": {"type": "array", "items": obj({
                "child": strings, "column": strings, "parent": strings, "mode": {"type": "string", "enum": list(MODES)},
                "min": {"type": "integer", "minimum": 0}, "max": {"type": "integer", "minimum": 0},
                "distribution": {"type": "string", "enum": list(DISTRIBUTIONS)},
                "optional": {"type": "number", "minimum": 0, "maximum": 0.99}, "distinct": {"type": "boolean"}})},
            "derived": {"type": "array", "items": obj({
                "table": strings, "column": strings, "how": {"type": "string", "enum": [*ACROSS, *AGGREGATES]},
                "source": strings, "hidden": {"type": "boolean"}})},
        }),
        "$defs": {"columns": table["properties"]["columns"]},
    }


@functools.cache
def prompt_version() -> str:
    """Part of the cache key: changes whenever the prompt, the answer schema or the way
    answers are read does."""
    text = system_prompt() + json.dumps(answer_schema(), sort_keys=True) + DATASET_RULES \
        + json.dumps(dataset_answer_schema(), sort_keys=True)
    return f"{VERSION}.{hashlib.sha256(text.encode()).hexdigest()[:8]}"


def first_messages(description: str, dataset: bool = False) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": system_prompt() + (DATASET_RULES if dataset else "")},
        {"role": "user", "content": f"Description of the {'tables' if dataset else 'table'}:\n{description}"},
    ]


def _ask_again(problem: str) -> dict[str, str]:
    return {"role": "user", "content": (
        f"That answer was rejected: {problem} Reply with the whole corrected JSON object only, "
        "using only the listed types and their parameters.")}


def repair_messages(messages: list[dict[str, str]], answer: str | None, problem: str) -> list[dict[str, str]]:
    """The conversation again, with the rejected answer (shortened to fit) and every problem."""
    problem = clip(problem, MAX_PROBLEMS_CHARS)
    ask = _ask_again(problem)
    if not answer:
        return [*messages, ask]
    echo = answer if len(answer) <= MAX_ECHO_CHARS else answer[:MAX_ECHO_CHARS] + " …(cut)"
    out = [*messages, {"role": "assistant", "content": echo}, ask]
    cut = " …(cut)"
    while estimate_tokens(out) >= PROMPT_TOKEN_LIMIT and len(echo) > _MIN_ECHO + len(cut):
        echo = echo[: max(_MIN_ECHO, len(echo) // 2)] + cut
        out[-2] = {"role": "assistant", "content": echo}
    while estimate_tokens(out) >= PROMPT_TOKEN_LIMIT and len(problem) > 200:
        problem = clip(problem, len(problem) // 2)
        out[-1] = _ask_again(problem)
    return out


@functools.cache
def _repair_reserve() -> int:
    """Tokens the repair turn adds to the first messages at the most: the shortest echo of
    an answer, and the longest list of problems."""
    problems = ("Column 'amount': min must be between 0 and 100, not 500. " * 40)[:MAX_PROBLEMS_CHARS]
    return estimate_tokens(repair_messages([], ('{"name": "a", ' * 40)[:_MIN_ECHO], problems))


def check_prompt(description: str, dataset: bool = False) -> list[dict[str, str]]:
    """The first messages for ``description``, or an :class:`InputError` when they would not
    leave room for a repair turn under :data:`PROMPT_TOKEN_LIMIT`."""
    messages = first_messages(description, dataset)
    if _fits(messages):
        return messages
    keep, step = 0, 1 << max(0, len(description).bit_length())
    while step:  # the longest start of the description that fits
        if keep + step < len(description) and _fits(first_messages(description[:keep + step], dataset)):
            keep += step
        step //= 2
    raise InputError(
        f"The description is about {_text_tokens(description):,} tokens for the model, too long for the "
        f"planner's {PROMPT_TOKEN_LIMIT:,}-token prompt limit with its instructions (small local servers "
        f"hold 4,096 tokens); shorten it to about {keep:,} characters, or use planner='offline'."
    )


def _fits(messages: list[dict[str, str]]) -> bool:
    return estimate_tokens(messages) + _repair_reserve() < PROMPT_TOKEN_LIMIT


# ----------------------------------------------------------------------- the planner

class OpenAIPlanner:
    """Plans with a chat model; raises :class:`PlannerUnavailable` when it cannot answer now."""

    name = "openai"

    def __init__(self, settings: Settings):
        if not settings.has_key and not settings.base_url:
            raise PlannerError(
                "The openai planner needs an API key: set OPENAI_API_KEY in the environment or a .env "
                "file (or OPENAI_BASE_URL for a local server such as Ollama), or use planner='offline'."
            )
        self.settings = settings
        self.model = settings.model
        self.version = prompt_version()
        self._server = (settings.base_url, settings.model)

    def __repr__(self) -> str:
        return f"OpenAIPlanner(model={self.model!r}, server={self._where()!r})"

    def _where(self) -> str:
        if self.settings.base_url:
            return f"the server at {shown_url(self.settings.base_url)}"
        return "the OpenAI API"

    # ------------------------------------------------------------------------- plan
    def plan(self, description: str) -> Schema:
        text = check_description(description)  # over MAX_DESCRIPTION characters: refused, never cut
        messages = check_prompt(text)
        deadline = time.monotonic() + self.settings.timeout
        client = self._client()
        try:
            return self._plan(client, messages, deadline)
        finally:
            client.close()

    def plan_dataset(self, description: str, found: Any = None) -> Any:
        """Related tables in one answer (:func:`dataset_answer_schema`), validated like a
        table's; ``found`` is what the offline recogniser read (not needed here)."""
        text = check_description(description)
        messages = check_prompt(text, dataset=True)
        deadline = time.monotonic() + self.settings.timeout
        client = self._client()
        try:
            return self._plan(client, messages, deadline, to_dataset)
        finally:
            client.close()

    def _plan(self, client: Any, messages: list[dict[str, str]], deadline: float, read: Any = to_schema) -> Any:
        answer: str | None = None
        dataset = read is to_dataset
        try:
            answer = self._ask(client, messages, deadline, dataset)
            return self._schema(answer, read)
        except (SchemaError, InputError) as exc:
            problem = str(exc)
        messages = repair_messages(messages, answer, problem)
        try:
            return self._schema(self._ask(client, messages, deadline, dataset), read)
        except (SchemaError, InputError) as exc:
            raise PlannerUnavailable(f"its answer was still invalid after one repair ({clip(str(exc), 200)})") from None

    def _schema(self, answer: str, read: Any = to_schema) -> Any:
        if _key_in(answer):
            raise PlannerUnavailable("its answer contained the API key, so it was discarded")
        data = read_answer(answer)
        if _key_in(json.dumps(data, ensure_ascii=False)):
            raise PlannerUnavailable("its answer contained the API key, so it was discarded")
        return read(data)

    # --------------------------------------------------------------------- the API
    def _client(self) -> Any:
        import openai

        # Retries are ours (_ask), so that they stay inside the plan's deadline: the SDK's
        # own (max_retries, with backoff up to 8 s or a Retry-After of up to 60 s) would
        # each get a fresh timeout.
        options: dict[str, Any] = {"timeout": self.settings.timeout, "max_retries": 0}
        if self.settings.base_url:
            options["base_url"] = self.settings.base_url
        if self.settings.send_key:
            server.warn_plain_http(self.settings.base_url)
        else:
            options["api_key"] = LOCAL_KEY
        try:
            return openai.OpenAI(**options)
        except openai.OpenAIError:
            raise PlannerError(
                "The openai SDK could not be set up; check OPENAI_API_KEY and OPENAI_BASE_URL "
                "in the environment or .env file."
            ) from None

    def _ask(self, client: Any, messages: list[dict[str, str]], deadline: float, dataset: bool = False) -> str:
        """One answer's text within the deadline; SDK errors become our own messages."""
        where, timeout = self._where(), self.settings.timeout
        learnt = server.learnt(self._server)
        mode, dropped = learnt.mode, set(learnt.dropped)
        retries = attempts = 0
        object_tried = False
        while True:
            request = self._request(MODES[mode], dropped, dataset)
            attempts += 1
            try:  # the SDK's timeout is a backstop: the deadline below comes first
                response = _within(deadline, functools.partial(
                    client.chat.completions.create, model=self.model, messages=messages,
                    timeout=deadline - time.monotonic() + 1, **request))
            except _Deadline:
                client.close()  # stops a reply still being read
                tries = f"; {attempts} attempts" if attempts > 1 else ""
                raise PlannerUnavailable(
                    f"{where} did not answer within {timeout:g} s (SYNTH_TIMEOUT, the limit for the "
                    f"whole plan{tries})") from None
            except Exception as exc:  # noqa: BLE001 - sorted below; anything else is re-raised
                failure = server.failure(exc, where, self.model, self.settings.send_key)
                if failure is None:
                    raise
                if failure.change is not None:  # the request itself must change (learnt)
                    mode, dropped = self._learn(failure, mode, dropped)
                    continue
                if failure.retry and retries < self.settings.max_retries:
                    wait = failure.wait(retries)
                    if time.monotonic() + wait < deadline:
                        retries += 1
                        time.sleep(wait)
                        continue
                    raise PlannerUnavailable(
                        f"{failure.reason}, and the {timeout:g} s limit (SYNTH_TIMEOUT) left no time to "
                        "try again") from None
                if failure.server_error and MODES[mode] == "json_schema" and not object_tried:
                    # vLLM's guided decoding and llama.cpp's older servers answer 5xx to some
                    # json_schema requests; json_object may still work.
                    object_tried, mode = True, MODES.index("json_object")
                    continue
                raise failure.error(retries) from None
            break
        if object_tried:
            server.learn(self._server, mode, dropped,
                         f"{where} failed on json_schema requests for model '{self.model}' (HTTP 5xx) and "
                         "answered in json_object mode")
        return server.content(response, where)

    def _request(self, mode: str, dropped: set[str], dataset: bool = False) -> dict[str, Any]:
        """The request's fields besides model and messages.

        OpenAI's API takes ``max_completion_tokens`` (its reasoning models refuse
        ``max_tokens``); other servers get both, since Ollama reads only ``max_tokens``
        (ollama/ollama#7125, docs.ollama.com "OpenAI compatibility") and vLLM prefers the
        newer name. Without a temperature Ollama samples at its model's default (0.8 or
        more), so a low one is always sent (``SYNTH_TEMPERATURE``).
        """
        out: dict[str, Any] = {}
        if "temperature" not in dropped:
            out["temperature"] = self.settings.temperature
        if server.LIMIT not in dropped:
            names = ("max_completion_tokens",) if self.settings.openai_api else ("max_tokens", "max_completion_tokens")
            out.update({name: MAX_ANSWER_TOKENS for name in names if name not in dropped})
        if mode == "json_schema":
            out["response_format"] = {"type": "json_schema", "json_schema": {
                "name": "synth_dataset" if dataset else "synth_schema", "strict": True,
                "schema": dataset_answer_schema() if dataset else answer_schema()}}
        elif mode == "json_object":
            out["response_format"] = {"type": "json_object"}
        return out

    def _learn(self, failure: server.Failure, mode: int, dropped: set[str]) -> tuple[int, set[str]]:
        change = failure.change
        assert change is not None
        if change == "format":
            if mode == len(MODES) - 1:
                raise failure.error(0) from None
            mode += 1
        elif change in dropped:  # leaving it out did not help
            raise PlannerUnavailable(f"{failure.reason}, even with it left out") from None
        else:
            dropped.add(change)
        server.learn(self._server, mode, dropped, failure.reason)
        return mode, dropped


class _Deadline(Exception):
    """The plan's deadline passed while waiting for the server."""


def _within(deadline: float, call: Any) -> Any:
    """``call()`` in a daemon thread, given up on at ``deadline`` (the SDK's own timeouts
    restart with every byte received, so a dripping reply would never time out)."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _Deadline
    box: dict[str, Any] = {}
    done = threading.Event()

    def work() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=work, name="synth-magic-openai", daemon=True).start()
    if not done.wait(remaining):
        raise _Deadline
    if "error" in box:
        raise box["error"]
    return box["value"]


def _key_in(text: str) -> bool:
    """True when the configured API key appears in ``text`` (an echoing proxy, say)."""
    key = os.environ.get("OPENAI_API_KEY", "").strip()
    return len(key) >= 8 and key in text

