"""What stands in front of the server's routes: request ids, auth, a rate limit, access logs.

One pure ASGI middleware (:class:`Guard`), so streamed bodies pass through untouched:

::

    request ─► request id (X-Request-ID echoed or made) ─► bearer token? ─► rate limit? ─► app
                                                   401 ◄──┘         429 ◄──┘
    response ◄─ X-Request-ID added ◄─ an unexpected exception becomes a 500 (no traceback sent)
            └─► one JSON line in the access log (with the worker's pid): never a description, data or key

Error bodies are the seed's ``ErrorResponse``: ``{error_type, message, details, timestamp}``.
"""

from __future__ import annotations

import hmac
import json
import logging
import math
import mmap
import os
import re
import struct
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import UTC, datetime
from typing import Any

from .export import process_alive

__all__ = ["ERROR_TYPES", "LOGGER", "Guard", "JSONFormatter", "Loads", "RateLimit", "error_body", "log_config",
           "timestamp"]

ERROR_TYPES = ("validation", "generation_failure", "rate_limit", "api_failure")
LOGGER = "synth_magic.server"
_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")  # a caller's request id we echo; anything else gets a new one

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


def timestamp() -> str:
    """Now, in UTC, as the seed writes it: ``2025-09-05T10:30:00Z``."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def error_body(error_type: str, message: str, details: dict[str, Any] | None = None) -> bytes:
    """The seed's ``ErrorResponse`` as JSON bytes."""
    if error_type not in ERROR_TYPES:
        raise ValueError(f"unknown error type {error_type!r}")
    return json.dumps({"error_type": error_type, "message": message, "details": details or {},
                       "timestamp": timestamp()}, ensure_ascii=False).encode()


async def _send_error(send: Send, status: int, error_type: str, message: str,
                      details: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> None:
    body = error_body(error_type, message, details)
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body, "more_body": False})


class RateLimit:
    """Requests per minute per client, as a token bucket: a client may spend ``per_minute``
    at once, then one more every ``60 / per_minute`` seconds."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic, max_clients: int = 10_000):
        self.per_minute = per_minute
        self._rate = per_minute / 60.0
        self._clock = clock
        self._max_clients = max_clients
        self._buckets: dict[str, tuple[float, float]] = {}

    def take(self, client: str) -> float:
        """0 when the request may go ahead, else the seconds until it may."""
        now = self._clock()
        tokens, last = self._buckets.get(client, (float(self.per_minute), now))
        tokens = min(float(self.per_minute), tokens + (now - last) * self._rate)
        if tokens >= 1:
            self._buckets[client] = (tokens - 1, now)
            if len(self._buckets) > self._max_clients:
                self._forget_idle(now)
            return 0.0
        self._buckets[client] = (tokens, now)
        return (1 - tokens) / self._rate

    def _forget_idle(self, now: float) -> None:
        """Drop clients whose bucket has filled up again (they are as good as new)."""
        full = [c for c, (tokens, last) in self._buckets.items()
                if tokens + (now - last) * self._rate >= self.per_minute]
        for client in full:
            del self._buckets[client]


class Loads:
    """The requests in flight in each worker of one ``synth serve``, in a small file the
    workers map into memory, so a worker can tell that it is busier than another.

    Workers share one listening socket and a kept-alive connection stays with the worker
    that accepted it, so one worker may hold most connections while another idles. A worker
    that has :data:`SHED_AT` more requests in flight than the least busy one answers with
    ``Connection: close``; the client connects again, and a free worker is as likely as
    any to accept. Each worker writes only its own slot (a pid and a count, 16 bytes);
    slots are claimed under a file lock, and a dead worker's slot is taken over.
    """

    SLOTS = 64
    SHED_AT = 3  # requests in flight beyond the least busy worker's: fewer would close connections for noise
    _SLOT = struct.Struct("<qq")  # pid, requests in flight

    def __init__(self, path: str) -> None:
        import fcntl

        self._file = open(path, "r+b")  # noqa: SIM115 - kept open for the map's life
        try:
            if os.fstat(self._file.fileno()).st_size < self.SLOTS * self._SLOT.size:
                raise ValueError(f"{path} is not a loads file")
            self._map = mmap.mmap(self._file.fileno(), self.SLOTS * self._SLOT.size)
            fcntl.flock(self._file, fcntl.LOCK_EX)
            try:
                self._slot = next(i for i in range(self.SLOTS) if not process_alive(self._pid(i)))
                self._SLOT.pack_into(self._map, self._slot * self._SLOT.size, os.getpid(), 0)
            finally:
                fcntl.flock(self._file, fcntl.LOCK_UN)
        except BaseException:
            self._file.close()
            raise
        self._count = 0

    @classmethod
    def create(cls) -> str:
        """A new, empty loads file (its path); the caller removes it when the server stops."""
        import tempfile

        fd, path = tempfile.mkstemp(prefix="synth-serve-", suffix=".loads")
        with os.fdopen(fd, "wb") as out:
            out.write(bytes(cls.SLOTS * cls._SLOT.size))
        return path

    @classmethod
    def attach(cls, path: str | None) -> Loads | None:
        """This worker's slot in the file at ``path``; None without one (a single process,
        or a system without file locks), when the server does not share out connections."""
        if not path:
            return None
        try:
            loads = cls(path)
        except (OSError, ValueError, ImportError, StopIteration):
            return None
        import atexit

        atexit.register(loads.close)
        return loads

    def _pid(self, slot: int) -> int:
        return self._SLOT.unpack_from(self._map, slot * self._SLOT.size)[0]

    def add(self, n: int) -> None:
        self._count += n
        struct.pack_into("<q", self._map, self._slot * self._SLOT.size + 8, self._count)

    def busier(self) -> bool:
        """Whether another live worker has at least :data:`SHED_AT` fewer requests in flight."""
        for i in range(self.SLOTS):
            if i != self._slot:
                pid, count = self._SLOT.unpack_from(self._map, i * self._SLOT.size)
                if pid and self._count - count >= self.SHED_AT and process_alive(pid):
                    return True
        return False

    def close(self) -> None:
        if not self._map.closed:
            self._SLOT.pack_into(self._map, self._slot * self._SLOT.size, 0, 0)
            self._map.close()
            self._file.close()


class Guard:
    """Request ids, optional bearer auth and rate limit on ``protected`` paths, access logs,
    and a 500 ``generation_failure`` (with the request id, without a traceback) for anything
    the app did not handle."""

    def __init__(self, app: App, *, token: str | None = None, rate_limit: RateLimit | None = None,
                 protected: tuple[str, ...] = (), keepalive_requests: int = 0, loads: Loads | None = None):
        self.app = app
        self._keepalive_requests = keepalive_requests  # 0: no cap
        self._loads = loads  # the workers' requests in flight: a busier worker closes connections
        self._served: dict[Any, int] = {}  # requests answered per open connection (the client's address and port)
        self._token = token.encode() if token else None
        self._rate_limit = rate_limit
        self._protected = protected
        self._log = logging.getLogger(LOGGER)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = dict(scope.get("headers") or [])
        given = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _ID.fullmatch(given) else uuid.uuid4().hex
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        seen: dict[str, Any] = {"status": None, "bytes": 0, "complete": False}

        async def tracked(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
                message = {**message, "headers": [*message.get("headers", []),
                                                   (b"x-request-id", request_id.encode()), *self._closing(scope)]}
            elif message["type"] == "http.response.body":
                seen["bytes"] += len(message.get("body", b""))
                seen["complete"] = not message.get("more_body", False)
            await send(message)

        if self._loads is not None:
            self._loads.add(1)
        try:
            refusal = self._refusal(scope, headers) if scope["path"] in self._protected else None
            if refusal is not None:
                await _send_error(tracked, *refusal)
            else:
                await self.app(scope, receive, tracked)
        except Exception:
            self._log.exception("unexpected error", extra={"fields": {"request_id": request_id}})
            if seen["status"] is None:
                await _send_error(tracked, 500, "generation_failure",
                                  f"Something went wrong on our side; please report request id {request_id}.",
                                  {"request_id": request_id})
        finally:
            if self._loads is not None:
                self._loads.add(-1)
            self._access(scope, state, seen, started)

    def _closing(self, scope: Scope) -> list[tuple[bytes, bytes]]:
        """``Connection: close`` on a connection's ``keepalive_requests``-th answer (nginx's
        ``keepalive_requests``), and on any answer while this worker is busier than another
        (:class:`Loads`): workers share one listening socket and a kept-alive connection
        stays with the worker that accepted it, so a client that opens its connections at once
        can leave one worker with most of them; a new connection goes to a worker free to accept it."""
        if not self._keepalive_requests or not scope.get("client"):
            return []
        key = tuple(scope["client"])
        served = self._served.pop(key, 0) + 1
        if served >= self._keepalive_requests or (self._loads is not None and self._loads.busier()):
            return [(b"connection", b"close")]
        if len(self._served) >= 10_000:  # connections that closed first: forgetting them only restarts counts
            self._served.clear()
        self._served[key] = served
        return []

    def _refusal(self, scope: Scope, headers: dict[bytes, bytes]) -> tuple[Any, ...] | None:
        if self._token is not None:
            scheme, _, given = headers.get(b"authorization", b"").partition(b" ")
            if scheme.lower() != b"bearer" or not hmac.compare_digest(given.strip(), self._token):
                return (401, "validation", "This service needs a bearer token: send the header "
                        "'Authorization: Bearer <token>' with the token set in SYNTH_SERVER_TOKEN.",
                        {"field": "Authorization"}, {"WWW-Authenticate": "Bearer"})
        if self._rate_limit is not None:
            wait = self._rate_limit.take(_client(scope))
            if wait > 0:
                seconds = max(1, math.ceil(wait))
                limit = f"{self._rate_limit.per_minute} requests per minute"
                return (429, "rate_limit", f"Rate limit of {limit} exceeded. Please try again in {seconds} seconds.",
                        {"retry_after": seconds, "limit": limit}, {"Retry-After": str(seconds)})
        return None

    def _access(self, scope: Scope, state: dict[str, Any], seen: dict[str, Any], started: float) -> None:
        fields = {"request_id": state["request_id"], "method": scope.get("method"), "path": scope.get("path"),
                  "status": seen["status"], "ms": round((time.perf_counter() - started) * 1000, 1),
                  "bytes": seen["bytes"], "client": _client(scope), "pid": os.getpid()}
        if seen["status"] is not None and not seen["complete"]:
            fields["aborted"] = True  # the client went away mid-stream, or the stream failed
        fields.update(state.get("log") or {})
        self._log.info("request", extra={"fields": fields})


def _client(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


class JSONFormatter(logging.Formatter):
    """One JSON object a line: ts, level, logger, message and the record's ``fields``."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname.lower(), "logger": record.name, "message": record.getMessage(),
        }
        out.update(getattr(record, "fields", None) or {})
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


def log_config(level: str = "INFO") -> dict[str, Any]:
    """A :func:`logging.config.dictConfig` for uvicorn: every logger as JSON lines on stderr,
    uvicorn's own access log off (the :class:`Guard` writes ours)."""
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    quiet = {"handlers": [], "level": "WARNING", "propagate": False}
    return {
        "version": 1, "disable_existing_loggers": False,
        "formatters": {"json": {"()": f"{__name__}.JSONFormatter"}},
        "handlers": {"stderr": handler},
        "loggers": {name: {"handlers": ["stderr"], "level": level, "propagate": False}
                    for name in ("uvicorn", "uvicorn.error", LOGGER, "py.warnings")} | {"uvicorn.access": quiet},
    }
