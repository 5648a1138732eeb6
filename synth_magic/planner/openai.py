"""The openai planner: gpt-4o-mini, or any OpenAI-compatible server, asked for a schema.

::

    description ─► prompt (from the catalogue) ─► chat completion ─► JSON ─► Schema.from_dict
                                                        │                     │ invalid: one repair
                                                        ▼                     ▼ still invalid
                                        401/403/404: PlannerError     PlannerUnavailable
                                        429/5xx/timeout after retries: PlannerUnavailable

  (on PlannerUnavailable, :mod:`synth_magic.api` plans offline and warns)

- The prompt and the structured-output JSON schema are derived from
  :data:`synth_magic.catalog.TYPES`, so the model can only name catalogue types and
  parameters. Servers that reject ``json_schema`` are asked again in ``json_object`` mode,
  then with no response format at all.
- Every answer is untrusted input: its size, numbers and shape are checked here, then
  :meth:`Schema.from_dict` validates it against the catalogue. Nothing in it is executed.
- The API key is read by the ``openai`` SDK from the environment. It never enters a
  message, a warning, a note, a repr or the cache; SDK exceptions (which may carry request
  details) are replaced by our own one-sentence messages.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import re
from typing import TYPE_CHECKING, Any

from .._inputs import check_description
from .._messages import clip, reject_constant, shown_url
from ..errors import InputError, PlannerError, PlannerUnavailable, SchemaError
from ..schema import MAX_COLUMNS, MAX_NOTE, MAX_TITLE, Schema

if TYPE_CHECKING:
    from ..catalog import Param
    from ..config import Settings

__all__ = [
    "LOCAL_KEY", "MAX_ANSWER_CHARS", "MAX_ANSWER_TOKENS", "MAX_ECHO_CHARS", "MAX_MODEL_ROWS",
    "MAX_NUMBER", "MODES", "OpenAIPlanner", "PROMPT_TOKEN_LIMIT", "VERSION", "answer_schema",
    "estimate_tokens", "first_messages", "prompt_version", "read_answer", "repair_messages",
    "system_prompt", "to_schema",
]

VERSION = "1"
PROMPT_TOKEN_LIMIT = 4000  # system + description + repair turn, estimated at 4 characters a token
MAX_ANSWER_TOKENS = 6000
MAX_ANSWER_CHARS = 100_000  # a real schema of 200 columns fits in far less
MAX_ECHO_CHARS = 1500  # how much of a rejected answer goes back to the model with the repair
MAX_NUMBER = 1e15
MAX_MODEL_ROWS = 1_000_000  # a row count the model may suggest; callers can ask for more
LOCAL_KEY = "local-server"  # what we send when only OPENAI_BASE_URL is set (Ollama, llama.cpp, vLLM)
MODES = ("json_schema", "json_object", "text")
_COLUMN_FIELDS = ("name", "type", "params", "null_rate", "unique", "why", "source")
_FENCE = re.compile(r"```[a-zA-Z]*\s*\n(.*?)(?:```|$)", re.DOTALL)
# The response format each server (base URL, model) accepted, so a server without json_schema
# support is not asked for it again in this process.
_MODE_BY_SERVER: dict[tuple[str | None, str], int] = {}


# --------------------------------------------------------------------------- the prompt

def estimate_tokens(messages: list[dict[str, str]]) -> int:
    """A cautious token count: 4 characters a token, plus a little per message."""
    return sum(len(m["content"]) for m in messages) // 4 + 4 * len(messages)


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


@functools.cache
def prompt_version() -> str:
    """Part of the cache key: changes whenever the prompt or the answer schema does."""
    text = system_prompt() + json.dumps(answer_schema(), sort_keys=True)
    return f"{VERSION}.{hashlib.sha256(text.encode()).hexdigest()[:8]}"


def first_messages(description: str) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": system_prompt()},
        {"role": "user", "content": f"Description of the table:\n{description}"},
    ]


def repair_messages(messages: list[dict[str, str]], answer: str | None, problem: str) -> list[dict[str, str]]:
    """The conversation again, with the rejected answer (shortened) and why it was rejected."""
    ask = {"role": "user", "content": (
        f"That answer was rejected: {problem} Reply with the whole corrected JSON object only, "
        "using only the listed types and their parameters.")}
    if not answer:
        return [*messages, ask]
    echo = answer if len(answer) <= MAX_ECHO_CHARS else answer[:MAX_ECHO_CHARS] + " …(cut)"
    out = [*messages, {"role": "assistant", "content": echo}, ask]
    while estimate_tokens(out) >= PROMPT_TOKEN_LIMIT and len(echo) > 100:
        echo = echo[: len(echo) // 2] + " …(cut)"
        out[-2] = {"role": "assistant", "content": echo}
    return out


# ----------------------------------------------------------------- reading an answer

def read_answer(content: str) -> Any:
    """JSON text from a model → Python data, refusing oversized text and absurd numbers."""
    if len(content) > MAX_ANSWER_CHARS:
        raise SchemaError(
            f"The answer is {len(content):,} characters long; a schema should be far shorter "
            f"(at most {MAX_COLUMNS} columns)."
        )
    text = _strip_fences(content)
    try:
        data = json.loads(text, parse_constant=reject_constant)
    except (ValueError, RecursionError) as exc:
        reason = str(exc).split(":")[0][:80]
        raise SchemaError(f"The answer is not valid JSON ({reason}); reply with one JSON object only.") from None
    _check_numbers(data)
    return data


def to_schema(data: Any) -> Schema:
    """A model's answer (validated JSON data) → a :class:`Schema` checked against the catalogue."""
    if not isinstance(data, dict):
        raise SchemaError("The answer must be a JSON object with a 'columns' list.")
    columns = data.get("columns")
    if not isinstance(columns, list) or not columns:
        raise SchemaError("The answer needs a non-empty 'columns' list.")
    if len(columns) > MAX_COLUMNS:
        raise SchemaError(f"The answer has {len(columns):,} columns; use at most {MAX_COLUMNS}.")
    rows = data.get("rows")
    if rows is not None and (isinstance(rows, bool) or not isinstance(rows, int) or not 1 <= rows <= MAX_MODEL_ROWS):
        raise SchemaError(f"rows must be null or a whole number from 1 to {MAX_MODEL_ROWS:,}, not {clip(repr(rows))}.")
    title = data.get("title") or ""
    locale = data.get("locale") or "en_US"
    if not isinstance(title, str) or not isinstance(locale, str):
        raise SchemaError("title and locale must be text.")
    schema = Schema.from_dict({
        "title": " ".join(title.split())[:MAX_TITLE],
        "locale": locale.strip()[:20],
        "rows": rows,
        "planner": "openai",
        "columns": [_column(c, i) for i, c in enumerate(columns)],
    })
    return schema


def _column(data: Any, i: int) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise SchemaError(f"Column {i + 1} must be an object with name, type, params, null_rate and unique.")
    name = data.get("name")
    label = clip(name) if isinstance(name, str) else str(i + 1)
    raw = data.get("params")
    pairs: list[tuple[Any, Any]] = []
    if isinstance(raw, list):
        for item in raw:
            if not isinstance(item, dict) or set(item) != {"name", "value"}:
                raise SchemaError(f"Column '{label}': each entry of params must be {{\"name\": ..., \"value\": ...}}.")
            pairs.append((item["name"], item["value"]))
    elif isinstance(raw, dict):
        pairs.extend(raw.items())
    elif raw is not None:
        raise SchemaError(f"Column '{label}': params must be a list of name/value pairs.")
    pairs.extend((k, v) for k, v in data.items() if k not in _COLUMN_FIELDS)  # a flattened answer
    out: dict[str, Any] = {"name": name, "type": data.get("type")}
    for key, value in pairs:
        if not isinstance(key, str) or key in _COLUMN_FIELDS or key in out:
            raise SchemaError(f"Column '{label}': {clip(repr(key))} is not a parameter name, or appears twice.")
        if value is not None:
            out[key] = value
    for key in ("null_rate", "unique"):
        if data.get(key) is not None:
            out[key] = data[key]
    why = data.get("why")
    if isinstance(why, str) and why.strip():
        out["why"] = " ".join(why.split())[:MAX_NOTE]
    out["source"] = "model"
    return out


def _strip_fences(content: str) -> str:
    """The JSON in an answer: fences (```json ... ```) and prose around it, common outside
    the json modes, are dropped. This only cuts text; what is left is parsed as JSON."""
    text = content.strip()
    if text.startswith(("{", "[")):
        return text
    fence = _FENCE.search(text)
    if fence:
        return fence.group(1).strip()
    start, end = text.find("{"), text.rfind("}")
    return text[start:end + 1] if 0 <= start < end else text


def _check_numbers(data: Any) -> None:
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, int | float) and not isinstance(item, bool) and (
                (isinstance(item, float) and not math.isfinite(item)) or abs(item) > MAX_NUMBER):
            raise SchemaError(
                f"The answer holds the number {clip(str(item), 24)}; keep numbers between "
                f"-{MAX_NUMBER:g} and {MAX_NUMBER:g}."
            )


def _key_in(text: str) -> bool:
    """True when the configured API key appears in ``text`` (an echoing proxy, say)."""
    key = os.environ.get("OPENAI_API_KEY", "").strip()
    return len(key) >= 8 and key in text


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
        client = self._client()
        try:
            return self._plan(client, text)
        finally:
            client.close()

    def _plan(self, client: Any, text: str) -> Schema:
        messages = first_messages(text)
        answer: str | None = None
        try:
            answer = self._ask(client, messages)
            return self._schema(answer)
        except (SchemaError, InputError) as exc:
            problem = str(exc)
        messages = repair_messages(messages, answer, problem)
        try:
            return self._schema(self._ask(client, messages))
        except (SchemaError, InputError) as exc:
            raise PlannerUnavailable(f"its answer was still invalid after one repair ({clip(str(exc), 200)})") from None

    def _schema(self, answer: str) -> Schema:
        if _key_in(answer):
            raise PlannerUnavailable("its answer contained the API key, so it was discarded")
        data = read_answer(answer)
        if _key_in(json.dumps(data, ensure_ascii=False)):
            raise PlannerUnavailable("its answer contained the API key, so it was discarded")
        return to_schema(data)

    # --------------------------------------------------------------------- the API
    def _client(self) -> Any:
        import openai

        options: dict[str, Any] = {"timeout": self.settings.timeout, "max_retries": self.settings.max_retries}
        if self.settings.base_url:
            options["base_url"] = self.settings.base_url
        if not self.settings.has_key:
            options["api_key"] = LOCAL_KEY
        try:
            return openai.OpenAI(**options)
        except openai.OpenAIError:
            raise PlannerError(
                "The openai SDK could not be set up; check OPENAI_API_KEY and OPENAI_BASE_URL "
                "in the environment or .env file."
            ) from None

    def _request(self, mode: str) -> dict[str, Any]:
        if mode == "json_schema":
            return {"response_format": {"type": "json_schema", "json_schema": {
                "name": "synth_schema", "strict": True, "schema": answer_schema()}},
                "max_completion_tokens": MAX_ANSWER_TOKENS}
        if mode == "json_object":
            return {"response_format": {"type": "json_object"}, "max_completion_tokens": MAX_ANSWER_TOKENS}
        return {}  # the plainest request any chat-completions server accepts

    def _ask(self, client: Any, messages: list[dict[str, str]]) -> str:
        """One answer's text; SDK errors become our own messages (they never carry the SDK's text)."""
        import openai

        if estimate_tokens(messages) >= PROMPT_TOKEN_LIMIT:  # MAX_DESCRIPTION and MAX_ECHO_CHARS keep it under
            raise PlannerError("The prompt for the model is too long; shorten the description.")
        where, retries = self._where(), self.settings.max_retries
        subject = where[0].upper() + where[1:]
        after = f"after {retries} {'retry' if retries == 1 else 'retries'}"
        mode = _MODE_BY_SERVER.get(self._server, 0)
        while True:
            try:
                response = client.chat.completions.create(
                    model=self.model, messages=messages, **self._request(MODES[mode]))
                break
            except (openai.BadRequestError, openai.UnprocessableEntityError) as exc:
                if mode < len(MODES) - 1:
                    mode += 1  # e.g. no json_schema support: try json_object, then plain text
                    continue
                raise PlannerUnavailable(f"{where} rejected the request (HTTP {exc.status_code})") from None
            except openai.AuthenticationError:
                raise PlannerError(
                    f"{subject} refused the API key (HTTP 401); set a valid OPENAI_API_KEY in the "
                    "environment or a .env file, or use planner='offline'."
                ) from None
            except openai.PermissionDeniedError:
                raise PlannerError(
                    f"{subject} does not allow this key to use model '{self.model}' (HTTP 403); "
                    "check OPENAI_API_KEY and SYNTH_MODEL, or use planner='offline'."
                ) from None
            except openai.NotFoundError:
                raise PlannerError(
                    f"{subject} has no model '{self.model}' (HTTP 404); set SYNTH_MODEL to a model it "
                    "serves and check that OPENAI_BASE_URL ends in /v1."
                ) from None
            except openai.RateLimitError:
                raise PlannerUnavailable(f"{where} was rate-limited or out of quota (HTTP 429) {after}") from None
            except openai.APITimeoutError:
                raise PlannerUnavailable(
                    f"{where} did not answer within {self.settings.timeout:g} s {after} (SYNTH_TIMEOUT)"
                ) from None
            except openai.APIConnectionError:
                raise PlannerUnavailable(f"{where} could not be reached {after}") from None
            except openai.APIStatusError as exc:
                raise PlannerUnavailable(f"{where} answered HTTP {exc.status_code} {after}") from None
            except openai.APIError:
                raise PlannerUnavailable(f"{where} sent a response the openai SDK could not read") from None
        _MODE_BY_SERVER[self._server] = mode  # remembered only once a request in this mode worked
        return _content(response)


def _content(response: Any) -> str:
    """The text of the first choice, or a :class:`SchemaError` saying what was missing."""
    try:
        choice = response.choices[0]
        message = choice.message
        content, finish = message.content, choice.finish_reason
        refusal = getattr(message, "refusal", None)
    except (AttributeError, IndexError, TypeError, KeyError):
        raise SchemaError("The response held no message; reply with one JSON object.") from None
    if refusal:
        raise PlannerUnavailable("the model refused to plan this description")
    if not isinstance(content, str) or not content.strip():
        raise SchemaError("The answer was empty; reply with one JSON object.")
    if finish == "length":
        raise SchemaError("The answer was cut off at the length limit; use fewer columns and shorter value lists.")
    return content
