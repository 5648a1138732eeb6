"""What OpenAI-compatible servers answer, and what the openai planner learns from it.

A server's error is sorted into what it means for the next request:

============================  ==================================  =========================================
the error is about            e.g.                                the planner
============================  ==================================  =========================================
the context length            vLLM ``maximum context length is    drops the completion limit and keeps the
                              N tokens``, llama.cpp               format; falls back when the prompt itself
                              ``exceed_context_size_error``       does not fit
a parameter it refuses        OpenAI ``Unsupported value:         sends the request without it
                              'temperature'``
the response format / schema  llama.cpp ``JSON schema             json_schema → json_object → plain text
                              conversion failed``, ``response_
                              format type must be one of``
anything else (4xx)           a malformed request                 falls back, with the server's message
429, 408, 409, 5xx, network   overload, restarts                  retries inside the plan's deadline; after
                                                                  5xx to json_schema, json_object once
============================  ==================================  =========================================

What is learnt is kept per (base URL, model) for the process, and said once.
Sources: vLLM's messages (vllm-project/vllm#20409 and #33418; ``'max_tokens' or
'max_completion_tokens' is too large: ... your request has N input tokens`` in 0.11.2,
opendatalab/MinerU#4868), llama.cpp's ``exceed_context_size_error`` with
``n_prompt_tokens``/``n_ctx`` (ggml-org/llama.cpp#15780: code 500 at first, 400 in later
builds, oobabooga/textgen#7257) and ``JSON schema conversion failed`` (400),
ik_llama.cpp's 500 ``response_format type must be one of "text" or "json_object"``
(ikawrakow/ik_llama.cpp#778), llama-cpp-python's 500 to json_schema
(ggml-org/llama.cpp#23463), OpenAI's ``context_length_exceeded`` and ``unsupported_value``
for ``temperature``. Retries follow the SDK's own rules (``openai/_base_client.py``:
408, 409, 429 and 5xx, ``x-should-retry``, ``retry-after-ms``/``retry-after``, backoff
0.5 s doubling to 8 s).
"""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass
from typing import Any

from .._messages import clip, one_line, shown_url
from ..errors import PlannerError, PlannerUnavailable, SchemaError, SynthWarning

__all__ = ["LIMIT", "MODES", "Failure", "Learnt", "content", "failure", "learn", "learnt", "warn_plain_http"]

MODES = ("json_schema", "json_object", "text")
# Request fields a server may refuse, which the request can do without.
_OPTIONAL = ("temperature", "max_tokens", "max_completion_tokens")
LIMIT = "limit"  # the completion limit, whichever field carries it
_MIN_ANSWER = 512  # tokens an answer needs at the least; a context with less room cannot plan
_MAX_WAIT = 60.0  # the longest Retry-After honoured (the SDK's own ceiling)


# ------------------------------------------------------------------ learnt per server

@dataclass(frozen=True)
class Learnt:
    """What a (base URL, model) does not take: the first format to ask for, fields to leave out."""

    mode: int = 0
    dropped: frozenset[str] = frozenset()


_LEARNT: dict[tuple[str | None, str], Learnt] = {}
_SAID: set[tuple[Any, ...]] = set()


def learnt(key: tuple[str | None, str]) -> Learnt:
    return _LEARNT.get(key, Learnt())


def learn(key: tuple[str | None, str], mode: int, dropped: set[str], why: str) -> None:
    """Remember for this server and model only, and say so once."""
    new = Learnt(mode, frozenset(dropped))
    old = learnt(key)
    _LEARNT[key] = new
    if new == old or (key, new) in _SAID:
        return
    _SAID.add((key, new))
    what = []
    if new.mode != old.mode:
        what.append(f"asks in {MODES[new.mode]} mode" if MODES[new.mode] != "text" else "asks for plain text")
    for name in sorted(new.dropped - old.dropped):
        what.append("sends no completion limit" if name == LIMIT else f"leaves out '{name}'")
    warnings.warn(f"{why[0].upper()}{why[1:]}; for this server and model the openai planner now "
                  f"{' and '.join(what)} (until the process ends).", SynthWarning, stacklevel=4)


# --------------------------------------------------------------------- sorting errors

_CONTEXT = re.compile(r"context (?:length|size|window)|context_length|exceed_context_size|"
                      r"maximum context|too many tokens|prompt is too long|input is too long", re.I)
_FORMAT = re.compile(r"response[_ ]format|json[_ ]?schema|json_object|\bschema\b|grammar|guided|"
                     r"structured output|xgrammar|outlines|\bstrict\b", re.I)
_REFUSED = re.compile(r"unsupported|not supported|unrecognized|unknown (?:field|parameter|argument)|"
                      r"extra (?:inputs|fields)|not permitted|not allowed|does not support|invalid", re.I)
_CONTEXT_SIZE = re.compile(r"(?:maximum context length|context (?:length|size|window))\D{0,20}(\d{2,9})", re.I)
_PROMPT_SIZE = re.compile(r"(\d{1,9}) input tokens|(\d{1,9}) (?:tokens )?in the (?:messages|prompt)|"
                          r"messages resulted in (\d{1,9}) tokens|prompt \((\d{1,9}) tokens\)", re.I)
_SECRET = re.compile(r"(?:sk|key)-[A-Za-z0-9_\-*.]{6,}|Bearer\s+\S+", re.I)


@dataclass
class Failure:
    """One failed request: what it means and what to raise when nothing more can be done."""

    reason: str  # ends "…" so that "after N retries" can follow
    final: type[PlannerError] = PlannerUnavailable
    message: str = ""  # a PlannerError's whole message (for errors that are not fallbacks)
    change: str | None = None  # "format", a field of _OPTIONAL or "limit": what the next request changes
    retry: bool = False
    server_error: bool = False
    retry_after: float | None = None
    counts_retries: bool = True

    def wait(self, retries: int) -> float:
        """Seconds before retry number ``retries + 1``: the server's Retry-After, else backoff."""
        if self.retry_after is not None and 0 < self.retry_after <= _MAX_WAIT:
            return self.retry_after
        return min(0.5 * 2.0 ** retries, 8.0)

    def error(self, retries: int) -> PlannerError:
        if self.final is not PlannerUnavailable:
            return self.final(self.message or self.reason)
        if self.counts_retries and retries:
            return PlannerUnavailable(f"{self.reason} after {retries} {'retry' if retries == 1 else 'retries'}")
        return PlannerUnavailable(self.reason)


def failure(exc: BaseException, where: str, model: str, sent_key: bool) -> Failure | None:
    """What an exception from the SDK means; None for anything else (a bug: let it show)."""
    import json

    import openai

    subject = where[0].upper() + where[1:]
    if isinstance(exc, openai.APIStatusError):
        return _status_failure(exc, where, subject, model, sent_key)
    if isinstance(exc, openai.APITimeoutError):
        return Failure(f"{where} timed out", retry=True)
    if isinstance(exc, openai.APIConnectionError):
        return Failure(f"{where} could not be reached", retry=True)
    if isinstance(exc, json.JSONDecodeError | openai.APIResponseValidationError):
        return Failure(f"{where} sent a reply that is not a JSON chat completion (HTTP 200)")
    if isinstance(exc, openai.APIError):
        return Failure(f"{where} sent a response the openai SDK could not read")
    return None


def _status_failure(exc: Any, where: str, subject: str, model: str, sent_key: bool) -> Failure:
    status = exc.status_code
    text, numbers = _error_text(exc.body)
    message = numbers.get("message") or text
    said = clip(_scrubbed(one_line(message)), 120) if message else ""
    if status == 401:
        hint = ("; OPENAI_API_KEY goes to a server other than OpenAI's only when SYNTH_KEY_HOST names its host"
                if not sent_key else "")
        return Failure("", PlannerError, (
            f"{subject} refused the API key (HTTP 401){hint}; set a valid OPENAI_API_KEY in the environment "
            "or a .env file, or use planner='offline'."))
    if status == 403:
        return Failure("", PlannerError, (
            f"{subject} does not allow this key to use model '{model}' (HTTP 403); check OPENAI_API_KEY "
            "and SYNTH_MODEL, or use planner='offline'."))
    if status == 404:
        return Failure("", PlannerError, (
            f"{subject} has no model '{model}' (HTTP 404); set SYNTH_MODEL to a model it serves and check "
            "that OPENAI_BASE_URL ends in /v1."))
    if status in (400, 413, 422, 500) and _CONTEXT.search(text):
        size, prompt = numbers.get("n_ctx") or _first(_CONTEXT_SIZE, text), \
            numbers.get("n_prompt_tokens") or _first(_PROMPT_SIZE, text)
        too_long = "exceed_context_size" in text or "messages resulted in" in text or (
            size is not None and prompt is not None and prompt + _MIN_ANSWER > size)
        if too_long:
            held = f"holds {size:,} tokens" if size else "is too small"
            need = f" (the prompt is {prompt:,} tokens)" if prompt else ""
            return Failure(f"the context of model '{model}' at {where.removeprefix('the ')} {held}{need}, too "
                           "little for the planner's prompt and an answer; give the model a larger context",
                           counts_retries=False)
        return Failure(f"{where} has a context for model '{model}' too small for the planner's "
                       f"completion limit (HTTP {status}: {said})", change=LIMIT, counts_retries=False)
    if status in (400, 422):
        refused = [name for name in _OPTIONAL
                   if numbers.get("param") == name or (_REFUSED.search(text) and re.search(rf"\b{name}\b", text))]
        if refused:
            return Failure(f"{where} refused '{refused[0]}' for model '{model}' (HTTP {status}: {said})",
                           change=refused[0], counts_retries=False)
    if status in (400, 422) or (status >= 500 and _FORMAT.search(text)):
        if _FORMAT.search(text):
            return Failure(f"{where} did not take the response format for model '{model}' (HTTP {status}: "
                           f"{said})", change="format", counts_retries=False)
        return Failure(f"{where} rejected the request (HTTP {status}{': ' + said if said else ''})",
                       counts_retries=False)
    retry = status in (408, 409, 429) or status >= 500
    should = exc.response.headers.get("x-should-retry")
    if should in ("true", "false"):
        retry = should == "true"
    if status == 429:
        quota = numbers.get("code") == "insufficient_quota"
        return Failure(f"{where} was rate-limited or out of quota (HTTP 429)", retry=retry and not quota,
                       retry_after=_retry_after(exc.response.headers))
    return Failure(f"{where} answered HTTP {status}", retry=retry, server_error=status >= 500,
                   retry_after=_retry_after(exc.response.headers))


def _error_text(body: Any) -> tuple[str, dict[str, Any]]:
    """The text of an error body (the SDK hands over its ``error`` object), and its fields."""
    if isinstance(body, dict):
        parts = [str(body[k]) for k in ("message", "type", "code", "param") if isinstance(body.get(k), str | int)]
        fields: dict[str, Any] = {k: body.get(k) for k in ("message", "param", "code") if isinstance(body.get(k), str)}
        for k in ("n_ctx", "n_prompt_tokens"):
            if isinstance(body.get(k), int) and not isinstance(body.get(k), bool):
                fields[k] = body[k]
        return " ".join(parts)[:2000], fields
    if isinstance(body, str):
        return body[:2000], {}
    return "", {}


def _scrubbed(text: str) -> str:
    """A server's message without the API key, or anything that looks like one."""
    import os

    key = os.environ.get("OPENAI_API_KEY", "").strip()
    if len(key) >= 8:
        text = text.replace(key, "…")
    return _SECRET.sub("…", text)


def _first(pattern: re.Pattern[str], text: str) -> int | None:
    m = pattern.search(text)
    if not m:
        return None
    return int(next(g for g in m.groups() if g))


def _retry_after(headers: Any) -> float | None:
    for name, divisor in (("retry-after-ms", 1000), ("retry-after", 1)):
        value = headers.get(name)
        try:
            seconds = float(value) / divisor if value is not None else None
        except ValueError:
            continue
        if seconds is not None and math.isfinite(seconds):
            return seconds
    return None


# --------------------------------------------------------------------- the reply

def content(response: Any, where: str) -> str:
    """The text of the first choice, or a :class:`SchemaError` saying what was missing
    (:class:`PlannerUnavailable` when the reply is no chat completion at all)."""
    choices = getattr(response, "choices", None)
    if not isinstance(choices, list):
        raise PlannerUnavailable(f"{where} sent a reply that is not a JSON chat completion (HTTP 200)")
    try:
        choice = choices[0]
        message = choice.message
        text, finish = message.content, choice.finish_reason
        refusal = getattr(message, "refusal", None)
    except (AttributeError, IndexError, TypeError, KeyError):
        raise SchemaError("The response held no message; reply with one JSON object.") from None
    if refusal:
        raise PlannerUnavailable("the model refused to plan this description")
    if not isinstance(text, str) or not text.strip():
        raise SchemaError("The answer was empty; reply with one JSON object.")
    if finish == "length":
        raise SchemaError("The answer was cut off at the length limit; use fewer columns and shorter value lists.")
    return text


# --------------------------------------------------------------------- key hygiene

def _sent_in_clear(base_url: str | None) -> str | None:
    """The host when ``base_url`` is plain http to a host other than this machine, else None."""
    import ipaddress
    from urllib.parse import urlsplit

    if not base_url:
        return None
    try:
        parts = urlsplit(base_url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if parts.scheme.lower() != "http" or not host:
        return None
    if host == "localhost" or host.endswith(".localhost"):
        return None
    try:
        if ipaddress.ip_address(host).is_loopback:
            return None
    except ValueError:
        pass
    return host


_WARNED_HOSTS: set[str] = set()


def warn_plain_http(base_url: str | None) -> None:
    """Say once per host when the API key is about to travel over plain http off this machine."""
    host = _sent_in_clear(base_url)
    if host is None or host in _WARNED_HOSTS:
        return
    _WARNED_HOSTS.add(host)
    warnings.warn(
        f"OPENAI_API_KEY is sent to {shown_url(base_url or '')} over plain http, which anyone on the way "
        "can read; use an https:// OPENAI_BASE_URL, or unset SYNTH_KEY_HOST if the server needs no key.",
        SynthWarning, stacklevel=4)
