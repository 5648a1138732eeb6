"""``synth serve``: the seed's REST service, on FastAPI, over the same pipeline.

::

    POST /generate  DatasetRequest ─► read (64 KiB, JSON) ─► validate ─► plan ─► resolve ─► frames ─► encode ─► stream
                                                      400 ◄──┘   single-flight ──┘  (threads, a part at a time)
                                                                 + the plans used last
    GET  /health    HealthResponse: the planner's configuration and last outcome, the cache folder (no API call)
    GET  /docs, /openapi.json   the seed's spec with its three example requests

- Errors are the seed's ``ErrorResponse`` (``{error_type, message, details, timestamp}``):
  400 ``validation`` for every bad request, 500 ``api_failure`` when the model's server
  refuses us, 500 ``generation_failure`` with a request id for anything unexpected (the
  traceback goes to the log, never to the client). Auth, the rate limit, request ids and
  the access log are in :mod:`synth_magic._guard`.
- Planning and generation run in worker threads, never on the event loop (two threads at a
  time generate in each worker: more would only fight over the GIL). Concurrent
  requests for the same description share one planning call, and the server keeps the
  last plans it used (cache hits) in memory; the schema cache on disk is shared with other
  workers as always. A plan that fell back to the offline planner is not kept, like the
  cache does not keep it.
- Bodies are streamed a part of 16,384 rows at a time (:func:`synth_magic.export.encode`),
  so memory stays flat whatever the row count; a body of one part is sent whole, with its
  length. ``X-Generation-Time`` is the time until the first part was ready: for requests of
  up to 16,384 rows, the whole generation. CSV is encoded from Arrow tables of the generated
  columns (``frames(..., arrow=True)``), without a DataFrame: the bytes ``synth -o x.csv`` writes.
- A kept-alive connection is closed after :data:`KEEPALIVE_REQUESTS` answers, and at once
  by a worker busier than another (:class:`~synth_magic._guard.Loads`: with ``--workers``,
  each worker's requests in flight are in a small shared file): workers share one listening
  socket and a connection stays with the worker that accepted it, so clients that connect
  at once can leave one worker with most of them until they reconnect.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import logging
import os
import sys
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import anyio
import uvicorn
from fastapi import FastAPI, Request, Response
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware

from . import __version__, config
from ._guard import ERROR_TYPES, LOGGER, Guard, Loads, RateLimit, error_body, log_config, timestamp
from ._inputs import MAX_DESCRIPTION, check_locale
from .cache import normalise
from .errors import ConfigError, InputError, PlannerError, SchemaError, SynthError, SynthWarning
from .export import encode, suggest_name
from .generate import CHUNK, MAX_ROWS, frames, resolve_seed

if TYPE_CHECKING:
    from .schema import Plan

__all__ = [
    "DEFAULT_MAX_ROWS", "ENV", "ERROR_TYPES", "EXAMPLES", "KEEPALIVE_REQUESTS", "MAX_BODY", "MEDIA_TYPES", "MIN_DESCRIPTION",
    "ErrorResponse", "HealthResponse", "ServerConfig", "build_parser", "create_app", "main", "serve_app",
]

DEFAULT_MAX_ROWS = 10_000
MIN_DESCRIPTION = 10
MAX_BODY = 64 << 10  # a 4,000-character description is at most 16 KiB of UTF-8
MEMO_PLANS = 256
KEEPALIVE_REQUESTS = 20  # answers per kept-alive connection, then Connection: close
LOADS_ENV = "_SYNTH_SERVER_LOADS"  # internal, set by synth serve for its workers: the file of their requests in flight
ENV = {"token": "SYNTH_SERVER_TOKEN", "max_rows": "SYNTH_SERVER_MAX_ROWS",
       "rate_limit": "SYNTH_SERVER_RATE_LIMIT", "cors_origins": "SYNTH_SERVER_CORS_ORIGINS"}
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "parquet": "application/vnd.apache.parquet",
               "jsonl": "application/x-ndjson"}
FIELDS = ("description", "rows", "format", "seed", "locale")

# The seed's three example requests (docs/examples/ holds them as files; a test keeps them equal).
EXAMPLES: dict[str, dict[str, Any]] = {
    "ecommerce": {"summary": "E-commerce product dataset", "value": {
        "description": "Generate e-commerce product data including product names, prices, categories, "
                       "brands, and customer ratings for online store analysis",
        "rows": 1000}},
    "healthcare": {"summary": "Healthcare patient dataset", "value": {
        "description": "Create healthcare patient records with demographics, medical conditions, "
                       "treatment dates, and billing information for analysis",
        "rows": 500}},
    "finance": {"summary": "Financial transaction dataset", "value": {
        "description": "Generate financial transaction data with account numbers, transaction types, "
                       "amounts, dates, and merchant information",
        "rows": 2000}},
}


# --------------------------------------------------------------------------- the seed's models

class Dependencies(BaseModel):
    openai_api: Literal["available", "unavailable", "degraded"]
    schema_cache: Literal["accessible", "inaccessible"]


class HealthResponse(BaseModel):
    """The seed's ``HealthResponse``."""

    status: Literal["healthy", "unhealthy"] = Field(description="Overall service health status")
    version: str = Field(description="Service version identifier")
    timestamp: str = Field(description="Health check timestamp (ISO 8601 format)",
                           json_schema_extra={"format": "date-time"})
    dependencies: Dependencies = Field(description="Status of external dependencies")


class ErrorResponse(BaseModel):
    """The seed's ``ErrorResponse`` (bodies are made by :func:`synth_magic._guard.error_body`)."""

    error_type: Literal[ERROR_TYPES] = Field(description="Category of error that occurred")
    message: str = Field(description="Human-readable error message")
    details: dict[str, Any] = Field(default_factory=dict, description="Additional context about the error")
    timestamp: str = Field(description="When the error occurred (ISO 8601 format)",
                           json_schema_extra={"format": "date-time"})


def _request_model(max_rows: int) -> type[BaseModel]:
    """The seed's ``DatasetRequest`` with this server's row limit, plus ``seed`` and ``locale``."""
    return create_model(
        "DatasetRequest",
        __config__=ConfigDict(extra="forbid", str_strip_whitespace=True),
        description=(str, Field(
            min_length=MIN_DESCRIPTION, max_length=MAX_DESCRIPTION, strict=True,
            description="Natural language description of the desired synthetic dataset. Should include "
                        "domain context, field types, and any specific requirements (or a schema in its "
                        "text form).",
            examples=["Generate e-commerce product data with names, prices, categories, and ratings"])),
        rows=(int, Field(1000, ge=1, le=max_rows, strict=True, description="Number of data rows to generate",
                         examples=[1500])),
        format=(Literal[tuple(MEDIA_TYPES)], Field("csv", description="Output format: csv (the seed's), "
                                                   "parquet or jsonl (one JSON object a line)")),
        seed=(int | None, Field(None, ge=0, le=2**63 - 1, strict=True,
                                description="The same seed gives the same data (default: random, sent back in X-Seed)",
                                examples=[42])),
        locale=(str | None, Field(None, max_length=20, strict=True,
                                  description="Faker locale for names, addresses and phones (default: from "
                                              "the description, else en_US)", examples=["de_DE"])),
    )


# --------------------------------------------------------------------------- settings

@dataclass(frozen=True)
class ServerConfig:
    """How one server runs: from ``synth serve``'s flags, else the ``SYNTH_SERVER_*`` variables."""

    max_rows: int = DEFAULT_MAX_ROWS
    token: str | None = field(default=None, repr=False)  # never shown
    rate_limit: int = 0  # requests per minute per client; 0: no limit
    cors_origins: tuple[str, ...] = ()

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> ServerConfig:
        config.load_dotenv_once()
        text = {key: env.get(name, "").strip() for key, name in ENV.items()}
        return cls(
            max_rows=_count("max_rows", text["max_rows"], ENV["max_rows"]) if text["max_rows"] else DEFAULT_MAX_ROWS,
            token=text["token"] or None,
            rate_limit=_count("rate_limit", text["rate_limit"], ENV["rate_limit"]) if text["rate_limit"] else 0,
            cors_origins=_origins(text["cors_origins"].split(","), ENV["cors_origins"]),
        )


def _count(key: str, text: str, what: str) -> int:
    """``max_rows`` or ``rate_limit`` from text; ``what`` names the flag or variable in the message."""
    low, high = {"max_rows": (1, MAX_ROWS), "rate_limit": (0, 1_000_000)}[key]
    shown = text if len(text) <= 12 else text[:6] + "…"
    if not (text.isascii() and text.isdecimal() and low <= int(text) <= high):
        raise ConfigError(f"{what} must be a whole number from {low:,} to {high:,}, not '{shown}'.")
    return int(text)


def _origins(texts: Sequence[str], what: str) -> tuple[str, ...]:
    return tuple(_origin(t.strip(), what) for t in texts if t.strip())


def _origin(text: str, what: str) -> str:
    from urllib.parse import urlsplit

    if text == "*":
        return text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
        raise ConfigError(f"{what}: '{text[:60]}' is not an origin; write it like https://example.org "
                          "or http://localhost:3000 (or * for any).")
    return f"{parts.scheme}://{parts.netloc}"


# --------------------------------------------------------------------------- errors

class _Problem(Exception):
    """A request we answer with an ``ErrorResponse``."""

    def __init__(self, status: int, error_type: str, message: str, details: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.error_type, self.message = status, error_type, message
        self.details, self.headers = details or {}, headers or {}


def _error(status: int, error_type: str, message: str, details: dict[str, Any] | None = None,
           headers: dict[str, str] | None = None) -> Response:
    return Response(error_body(error_type, message, details), status, headers=headers,
                    media_type="application/json")


def _from_synth_error(exc: SynthError) -> _Problem:
    if isinstance(exc, InputError | SchemaError):
        return _Problem(400, "validation", str(exc))
    if isinstance(exc, PlannerError):  # the model's server refused us (key, model); PlannerUnavailable falls back
        return _Problem(500, "api_failure", str(exc))
    return _Problem(500, "generation_failure", str(exc))


def _shown(value: Any) -> Any:
    """A value to echo in ``details``: short scalars only."""
    if isinstance(value, str):
        return value if len(value) <= 100 else None
    return value if isinstance(value, int | float | bool) or value is None else None


def _problem_of(err: dict[str, Any], max_rows: int) -> tuple[str, dict[str, Any]]:
    """One Pydantic error as (message, details)."""
    loc, kind, given = err["loc"], err["type"], err.get("input")
    name = str(loc[0]) if loc else "body"
    details: dict[str, Any] = {"field": name}
    if kind != "missing" and _shown(given) is not None:
        details["provided_value"] = _shown(given)
    if kind == "extra_forbidden":
        return (f"Unknown field '{name[:40]}'; a request may have {', '.join(FIELDS[:-1])} and {FIELDS[-1]}.",
                {"field": name[:40]})
    if name == "description":
        text = given.strip() if isinstance(given, str) else given
        if kind == "missing" or text == "":
            return "Description field is required and cannot be empty", details
        if kind == "string_too_short":
            return (f"Description must be at least {MIN_DESCRIPTION} characters long, not {len(text)}; say what "
                    "the table holds, e.g. 'e-commerce product data with names, prices and ratings'.", details)
        if kind == "string_too_long":
            details.pop("provided_value", None)
            details["length"] = len(text)
            return (f"Description must be at most {MAX_DESCRIPTION:,} characters long, not {len(text):,}; "
                    "list the columns you need rather than pasting documents.", details)
        return "Description must be text: a JSON string of 10 to 4,000 characters.", details
    if name == "rows":
        if kind in ("greater_than_equal", "less_than_equal"):
            return f"Row count must be between 1 and {max_rows}", details
        return f"Row count must be a whole number between 1 and {max_rows}", details
    if name == "format":
        details["allowed"] = list(MEDIA_TYPES)
        return f"Format must be one of {', '.join(list(MEDIA_TYPES)[:-1])} or {list(MEDIA_TYPES)[-1]}.", details
    if name == "seed":
        return f"Seed must be a whole number from 0 to {2**63 - 1} (the same seed gives the same data).", details
    if name == "locale":
        return "Locale must be a Faker locale name such as en_US or de_DE.", details
    return "The request body must be a JSON object such as {\"description\": \"...\", \"rows\": 1000}.", details


def _validated(model: type[BaseModel], data: Any, max_rows: int) -> Any:
    if not isinstance(data, dict):
        raise _Problem(400, "validation", "The request body must be a JSON object such as "
                       "{\"description\": \"finance transactions\", \"rows\": 1000}.", {"field": "body"})
    try:
        request = model.model_validate(data)
    except ValidationError as exc:
        problems = [_problem_of(e, max_rows) for e in exc.errors(include_url=False)]
        message, details = problems[0]
        if len(problems) > 1:
            details = {**details, "problems": [{"field": d["field"], "message": m} for m, d in problems]}
        raise _Problem(400, "validation", message, details) from None
    if request.locale is not None:
        try:
            request.locale = check_locale(request.locale)
        except InputError as exc:
            raise _Problem(400, "validation", str(exc), {"field": "locale", "provided_value": request.locale}) from None
    return request


async def _read_json(request: Request) -> Any:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json":
        raise _Problem(415, "validation", "Send the request body as JSON with the header "
                       "'Content-Type: application/json'.", {"field": "Content-Type", "provided_value": media[:60]})
    too_big = _Problem(413, "validation", f"The request body is over {MAX_BODY // 1024} KiB; a description "
                       f"has at most {MAX_DESCRIPTION:,} characters.", {"max_bytes": MAX_BODY})
    declared = request.headers.get("content-length", "")
    if declared.isdecimal() and int(declared) > MAX_BODY:
        raise too_big
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise too_big
    try:
        return json.loads(body)
    except ValueError as exc:
        where = f" (line {exc.lineno}, column {exc.colno}: {exc.msg})" if isinstance(exc, json.JSONDecodeError) else ""
        raise _Problem(400, "validation", f"The request body is not valid JSON{where}.", {"field": "body"}) from None


# --------------------------------------------------------------------------- planning

@dataclass(frozen=True)
class _Prepared:
    plan: Plan
    title: str
    source: str


class _Plans:
    """Plans for requests: one planning call per description at a time, the plans used last
    kept in memory, and what the planner did last (for /health)."""

    def __init__(self, size: int = MEMO_PLANS):
        self._flights: dict[str, asyncio.Future[Any]] = {}
        self._kept: OrderedDict[tuple[str, str | None], _Prepared] = OrderedDict()
        self._size = size
        self.outcome: str | None = None  # "ok", "fallback" or "refused", once the planner was asked

    async def get(self, description: str, locale: str | None) -> _Prepared:
        text = normalise(description)
        kept = self._kept.get((text, locale))
        if kept is not None:
            self._kept.move_to_end((text, locale))
            return _Prepared(kept.plan, kept.title, "cache")
        flight = self._flights.get(text)
        if flight is None:
            flight = asyncio.ensure_future(anyio.to_thread.run_sync(self._plan, description))
            self._flights[text] = flight
            flight.add_done_callback(lambda f: self._landed(text, f))
        planned, fell_back = await asyncio.shield(flight)
        prepared = await anyio.to_thread.run_sync(self._resolve, planned, locale)
        if not fell_back:
            self._kept[(text, locale)] = prepared
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)
        return prepared

    def _landed(self, text: str, flight: asyncio.Future[Any]) -> None:
        self._flights.pop(text, None)
        if not flight.cancelled():
            flight.exception()  # retrieved here, raised in every waiter

    def _plan(self, description: str) -> tuple[Any, bool]:
        from . import api
        from . import planner as planners
        from .errors import PlannerUnavailable

        chosen = config.settings().planner
        try:
            planned = api.plan_with_source(description)
        except PlannerError as exc:
            if not isinstance(exc, PlannerUnavailable):
                self.outcome = "refused"
            raise
        fell_back = planned.source == planners.FALLBACK != chosen
        if planned.source in (chosen, planners.FALLBACK):
            self.outcome = "fallback" if fell_back else "ok"
        return planned, fell_back

    @staticmethod
    def _resolve(planned: Any, locale: str | None) -> _Prepared:
        from . import api

        schema = api.plan_with_source(planned.schema, locale=locale).schema if locale else planned.schema
        if not hasattr(schema, "columns"):  # a dataset: the service's answer is one table
            raise InputError(f"The description names related tables ({', '.join(schema.names)}); this service "
                             f"makes one table per request, so describe one of them (such as '{schema.names[0]}'), "
                             "or use synth() or the synth command for the related tables.")
        return _Prepared(schema.resolve(), schema.title, planned.source)

    def openai_api(self) -> tuple[str, bool]:
        """The OpenAI API as /health reports it, and whether the service can work."""
        try:
            settings = config.settings()
        except SynthError:
            return "unavailable", False
        if settings.planner != "openai":
            return "unavailable", True  # not configured; the offline planner needs nothing
        if not (settings.has_key or settings.base_url):
            return "unavailable", False
        return {"refused": ("unavailable", False), "fallback": ("degraded", True)}.get(
            self.outcome or "", ("available", True))


def _cache_accessible() -> bool:
    try:
        folder = config.settings().cache_dir
    except SynthError:
        return False
    while not folder.exists() and folder.parent != folder:  # the cache makes missing folders
        folder = folder.parent
    return folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)


# --------------------------------------------------------------------------- generating

def _start(plan: Plan, rows: int, seed: int | None, fmt: str) -> tuple[bytes, Iterator[bytes] | None, int]:
    """The body's first part (errors surface here, before any byte is sent) and an iterator
    over the rest; for a request that fits in one part, the whole body and None."""
    seed = resolve_seed(seed)
    # CSV is encoded from Arrow tables of the generated columns: no DataFrame (the same bytes)
    parts = encode(frames(plan, rows, seed=seed, rows_per_frame=CHUNK, arrow=fmt == "csv"), fmt)
    first = next(parts)
    if rows <= CHUNK:
        return first + b"".join(parts), None, seed
    return first, parts, seed


async def _body(first: bytes, parts: Iterator[bytes], limiter: Any) -> AsyncIterator[bytes]:
    try:
        yield first
        while (part := await anyio.to_thread.run_sync(next, parts, None, limiter=limiter)) is not None:
            if part:
                yield part
    finally:
        parts.close()  # a client that went away stops the generation here


GENERATING_THREADS = 1  # per worker (scale with --workers, one per core): a second thread in one process fights
# over the GIL; bench_server.py through httpx, 2 workers, 16 clients: p99 ~275 ms with 1, ~380-440 ms with 2


def _limiter(app: FastAPI) -> Any:
    """The threads that generate parts at once (made on first use: it needs the event loop)."""
    if getattr(app.state, "generating", None) is None:
        app.state.generating = anyio.CapacityLimiter(GENERATING_THREADS)
    return app.state.generating


def _filename(title: str, fmt: str) -> str:
    return suggest_name(title, "." + fmt)


# --------------------------------------------------------------------------- the app

_HEADERS = {
    "Content-Disposition": ("Suggested filename for the dataset", "string",
                            'attachment; filename="e_commerce_product_data_including.csv"'),
    "X-Row-Count": ("Number of rows in the generated dataset", "integer", 1000),
    "X-Generation-Time": ("Seconds taken to plan and generate the dataset (for streams over 16,384 rows: "
                          "until the first part was ready)", "number", 0.012),
    "X-Seed": ("The seed used: send it back to get the same data", "integer", 42),
    "X-Schema-Source": ("Where the schema came from: offline or openai (a planner), cache, or text "
                        "(the description was a schema's text form)", "string", "cache"),
    "X-Request-ID": ("The request's id (yours, if you sent X-Request-ID); it is in the server's log", "string",
                     "4bf92f3577b34da6a3ce929d0e0e4736"),
}
_CSV_EXAMPLE = """"product_id","product_name","price","category","brand","customer_rating"
"PRD-70467","Compact T-Shirt",34.53,"Home & Kitchen","Ixva",3.9
"PRD-62516","Essential Aluminium Vase",18.72,"Home & Kitchen","Eltech",4.1
"""


def _responses() -> dict[int | str, dict[str, Any]]:
    error = {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}

    def errors(**examples: dict[str, Any]) -> dict[str, Any]:
        return {"application/json": {**error, "examples": {
            name: {"summary": summary, "value": {"error_type": kind, "message": message, "details": details,
                                                 "timestamp": "2025-09-05T10:30:00Z"}}
            for name, (summary, kind, message, details) in examples.items()}}}

    binary = {"schema": {"type": "string", "format": "binary"}}
    return {
        200: {"description": "The generated dataset, streamed (CSV unless format says otherwise)",
              "headers": {name: {"description": text, "schema": {"type": kind, "example": example}}
                          for name, (text, kind, example) in _HEADERS.items()},
              "content": {"text/csv": {**binary, "example": _CSV_EXAMPLE},
                          "application/vnd.apache.parquet": binary, "application/x-ndjson": binary}},
        400: {"description": "Invalid request parameters", "content": errors(
            empty_description=("Missing description", "validation",
                               "Description field is required and cannot be empty",
                               {"field": "description", "provided_value": ""}),
            invalid_rows=("Invalid row count", "validation", "Row count must be between 1 and 10000",
                          {"field": "rows", "provided_value": 15000}))},
        401: {"description": "A bearer token is required (SYNTH_SERVER_TOKEN is set) and was missing or wrong",
              "content": {"application/json": error}},
        413: {"description": "The request body is over 64 KiB", "content": {"application/json": error}},
        415: {"description": "The body was not sent as application/json", "content": {"application/json": error}},
        429: {"description": "Rate limit exceeded (see Retry-After)", "headers": {
            "Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}}, "content": errors(
            rate_limit=("Rate limit exceeded", "rate_limit",
                        "Rate limit of 60 requests per minute exceeded. Please try again in 2 seconds.",
                        {"retry_after": 2, "limit": "60 requests per minute"}))},
        500: {"description": "Internal server error", "content": errors(
            generation_failure=("Unexpected failure", "generation_failure",
                                "Something went wrong on our side; please report request id "
                                "4bf92f3577b34da6a3ce929d0e0e4736.",
                                {"request_id": "4bf92f3577b34da6a3ce929d0e0e4736"}),
            api_failure=("The model's server refused the request", "api_failure",
                         "The OpenAI API refused the key (401); set OPENAI_API_KEY to a valid key.", {}))},
    }


_DESCRIPTION = """REST API for generating custom synthetic datasets from natural language descriptions.

**Key features:** natural language to synthetic data; an offline planner by default, or gpt-4o-mini
(or any OpenAI-compatible server) when configured; schema caching to minimise API costs; CSV (or
Parquet, JSON lines) streamed for data science workflows.

**Process:** validate the request; check the cache for a schema; plan one if missing (concurrent
requests for the same description share one planning call); generate the rows; stream the file.
"""


def create_app(server: ServerConfig | None = None, loads: Loads | None = None) -> FastAPI:
    """The FastAPI app (settings from the ``SYNTH_SERVER_*`` variables when ``server`` is None);
    ``loads``: the workers' requests in flight, when this is one of several (:class:`~synth_magic._guard.Loads`)."""
    server = server or ServerConfig.from_env()
    model = _request_model(server.max_rows)
    plans = _Plans()
    # /docs serves Swagger UI's files itself: no CDN, so it works offline and tells no third party.
    # No `servers` (the seed lists localhost:8000): "Try it out" then calls the port you serve on.
    app = FastAPIOffline(title="Synthetic Data Generation Service API", version=__version__,
                         description=_DESCRIPTION, redoc_url=None)
    app.state.plans = plans

    @app.post("/generate", summary="Generate synthetic dataset from natural language description",
              operation_id="generateDataset", responses=_responses(), response_class=StreamingResponse,
              openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                  "schema": {"$ref": "#/components/schemas/DatasetRequest"}, "examples": EXAMPLES}}}})
    async def generate_dataset(request: Request) -> StreamingResponse:
        """Accepts a natural language description of the desired dataset and returns a file of
        synthetic data matching it (CSV by default), streamed. **Performance:** well under a
        second for the seed's examples (the seed's target was under 30 seconds)."""
        wanted = _validated(model, await _read_json(request), server.max_rows)
        log = request.state.log = {"rows": wanted.rows, "format": wanted.format}
        started = time.perf_counter()
        prepared = await plans.get(wanted.description, wanted.locale)
        log["source"] = prepared.source
        limiter = _limiter(app)
        first, parts, seed = await anyio.to_thread.run_sync(_start, prepared.plan, wanted.rows, wanted.seed,
                                                            wanted.format, limiter=limiter)
        headers = {
            "Content-Disposition": f'attachment; filename="{_filename(prepared.title, wanted.format)}"',
            "X-Row-Count": str(wanted.rows), "X-Generation-Time": f"{time.perf_counter() - started:.3f}",
            "X-Seed": str(seed), "X-Schema-Source": prepared.source, "Cache-Control": "no-store",
        }
        if parts is None:  # one part: sent whole, with its length
            return Response(first, media_type=MEDIA_TYPES[wanted.format], headers=headers)
        return StreamingResponse(_body(first, parts, limiter), media_type=MEDIA_TYPES[wanted.format],
                                 headers=headers)

    @app.get("/health", summary="Service health check", operation_id="healthCheck",
             response_model=HealthResponse, responses={
                 200: {"description": "Service is healthy and operational"},
                 503: {"description": "Service is temporarily unavailable: its settings are wrong, or the "
                                      "model's server refused the key or the model", "model": HealthResponse}})
    async def health() -> JSONResponse:
        """Service status and its dependencies, from the planner's configuration and last outcome
        and the cache folder; it never calls the model."""
        openai_api, working = plans.openai_api()
        body = HealthResponse(status="healthy" if working else "unhealthy", version=__version__,
                              timestamp=timestamp(), dependencies=Dependencies(
                                  openai_api=openai_api,
                                  schema_cache="accessible" if _cache_accessible() else "inaccessible"))
        return JSONResponse(body.model_dump(), status_code=200 if working else 503)

    @app.exception_handler(_Problem)
    async def problem(request: Request, exc: _Problem) -> Response:
        return _error(exc.status, exc.error_type, exc.message, exc.details, exc.headers)

    @app.exception_handler(SynthError)
    async def synth_error(request: Request, exc: SynthError) -> Response:
        return await problem(request, _from_synth_error(exc))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        message = {404: f"There is no {request.url.path[:80]}; the service has POST /generate and GET /health.",
                   405: f"{request.method} is not allowed on {request.url.path[:80]}."}.get(exc.status_code, str(exc.detail))
        return _error(exc.status_code, "validation", message, {}, dict(exc.headers or {}))

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = get_openapi(title=app.title, version=app.version, description=app.description,
                               routes=app.routes)
            schemas = spec.setdefault("components", {}).setdefault("schemas", {})
            for item in (model, ErrorResponse, HealthResponse):
                found = item.model_json_schema(ref_template="#/components/schemas/{model}")
                schemas.update(found.pop("$defs", {}))
                schemas[found.get("title", item.__name__)] = found
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    app.add_middleware(Guard, token=server.token, protected=("/generate",), keepalive_requests=KEEPALIVE_REQUESTS,
                       loads=loads,
                       rate_limit=RateLimit(server.rate_limit) if server.rate_limit else None)
    if server.cors_origins:  # outside the guard: preflights and refusals carry CORS headers too
        app.add_middleware(CORSMiddleware, allow_origins=list(server.cors_origins), allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
                           expose_headers=["Content-Disposition", *(h for h in _HEADERS if h.startswith("X-")),
                                           "Retry-After"])
    return app


def serve_app() -> FastAPI:
    """The app as ``synth serve`` runs it in each worker: :func:`create_app` from the
    environment, with every :class:`SynthWarning` (cache trouble, a planner fallback) a log line."""
    import warnings

    import pandas  # noqa: F401  (imported now rather than by the first request)

    from . import api  # noqa: F401

    warnings.simplefilter("always", SynthWarning)
    logging.captureWarnings(True)
    server = ServerConfig.from_env()
    loads = Loads.attach(os.environ.get(LOADS_ENV))
    logging.getLogger(LOGGER).info("ready", extra={"fields": {
        "pid": os.getpid(), "max_rows": server.max_rows, "auth": server.token is not None,
        "rate_limit_per_minute": server.rate_limit, "cors_origins": list(server.cors_origins),
        "shares_connections": loads is not None}})
    return create_app(server, loads)


# --------------------------------------------------------------------------- synth serve

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="synth serve", description="Serve POST /generate and GET /health over HTTP (FastAPI on uvicorn).",
        epilog="The bearer token, if any, is read from SYNTH_SERVER_TOKEN (never a flag). Every flag can also "
               "be set in the environment: " + ", ".join(ENV[k] for k in ("max_rows", "rate_limit", "cors_origins"))
               + ". Logs are JSON lines on stderr.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this "
                        "machine only; 0.0.0.0 for every interface is an explicit choice)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument("--max-rows", metavar="N", help=f"most rows one request may ask for (default {DEFAULT_MAX_ROWS:,})")
    parser.add_argument("--workers", type=int, default=1, metavar="N", help="worker processes (default 1); they "
                        "share the schema cache")
    parser.add_argument("--rate-limit", metavar="N", help="requests per minute per client to POST /generate "
                        "(default: no limit)")
    parser.add_argument("--cors-origin", action="append", default=[], metavar="ORIGIN",
                        help="let pages from this origin call the API (repeatable; default: none)")
    parser.add_argument("--forwarded-allow-ips", metavar="IPS", help="trust X-Forwarded-For from these proxy "
                        "addresses (default: none; clients are told apart by their own address)")
    parser.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """``synth serve ...``: check the settings, then run uvicorn until Ctrl-C."""
    import logging.config

    args = build_parser().parse_args(argv)
    try:
        if not 0 <= args.port <= 65535 or not 1 <= args.workers <= 64:
            raise InputError("--port must be from 0 to 65535 and --workers from 1 to 64.")
        # workers read their settings from the environment: a flag sets its variable
        for key in ("max_rows", "rate_limit"):
            if getattr(args, key) is not None:
                os.environ[ENV[key]] = str(_count(key, getattr(args, key).strip(), "--" + key.replace("_", "-")))
        if args.cors_origin:
            os.environ[ENV["cors_origins"]] = ",".join(_origins(args.cors_origin, "--cors-origin"))
        server = ServerConfig.from_env()
        config.settings()  # a bad SYNTH_TIMEOUT, planner or base URL stops us here, not on every request
    except SynthError as exc:
        print(f"synth serve: error: {exc}", file=sys.stderr)
        return 2
    logging_config = log_config(args.log_level.upper())
    logging.config.dictConfig(logging_config)
    if not _loopback(args.host) and server.token is None:
        logging.getLogger(LOGGER).warning(
            f"listening on {args.host} without SYNTH_SERVER_TOKEN: anyone who can reach this address can use it")
    # several workers tell each other their requests in flight, so a busier one sheds connections
    loads = Loads.create() if args.workers > 1 else None
    if loads is not None:
        os.environ[LOADS_ENV] = loads
    try:
        uvicorn.run("synth_magic.server:serve_app", factory=True, host=args.host, port=args.port,
                    workers=args.workers, log_config=logging_config, log_level=args.log_level, access_log=False,
                    server_header=False, proxy_headers=bool(args.forwarded_allow_ips),
                    forwarded_allow_ips=args.forwarded_allow_ips, timeout_graceful_shutdown=10)
    finally:
        if loads is not None:
            os.environ.pop(LOADS_ENV, None)
            os.unlink(loads)
    return 0


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"

