"""A stand-in for the OpenAI API: a real HTTP server on 127.0.0.1 speaking chat completions.

The real ``openai`` SDK talks to it through ``OPENAI_BASE_URL``; nothing of the SDK is mocked.
Each test scripts the replies::

    with FakeOpenAI() as server:
        server.script(error(429), answer({"columns": [...]}))
        ...
        assert len(server.requests) == 2

The last scripted reply repeats once the script runs out; ``server.respond`` can instead be
a function of the request for replies that depend on it. ``drip(seconds, reply)`` sends the
headers at once and then the body a few bytes at a time, as a slow or stuck server does.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

COMPLETIONS = "/v1/chat/completions"


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # a dict/list (sent as JSON), str or bytes
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering
    drip: float = 0.0  # seconds over which the body is sent, a few bytes at a time
    content_type: str = "application/json"


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    body: Any

    @property
    def messages(self) -> list[dict[str, Any]]:
        return self.body.get("messages", []) if isinstance(self.body, dict) else []

    @property
    def response_format(self) -> str | None:
        fmt = self.body.get("response_format") if isinstance(self.body, dict) else None
        return fmt.get("type") if isinstance(fmt, dict) else None


def completion(content: str | None, finish_reason: str = "stop", model: str = "gpt-4o-mini") -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake", "object": "chat.completion", "created": 1700000000, "model": model,
        "choices": [{"index": 0, "finish_reason": finish_reason, "logprobs": None,
                     "message": {"role": "assistant", "content": content, "refusal": None}}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
    }


def answer(content: Any, **kwargs: Any) -> Reply:
    """A 200 answer whose message content is ``content`` (JSON-encoded unless it is text)."""
    text = content if isinstance(content, str) else json.dumps(content)
    return Reply(200, completion(text, **kwargs))


def error(status: int, message: str = "scripted error", code: str | None = None,
          headers: dict[str, str] | None = None) -> Reply:
    """An error in the API's format; retry-after-ms keeps the SDK's backoff short in tests."""
    return Reply(status, {"error": {"message": message, "type": "invalid_request_error", "code": code}},
                 {"retry-after-ms": "10", **(headers or {})})


def slow(seconds: float, reply: Reply) -> Reply:
    return Reply(reply.status, reply.body, dict(reply.headers), seconds)


def drip(seconds: float, reply: Reply) -> Reply:
    """``reply`` with its body spread over ``seconds`` (every read gets a byte or a few)."""
    return Reply(reply.status, reply.body, dict(reply.headers), drip=seconds)


def broken(body: str | bytes, content_type: str = "application/json") -> Reply:
    """A 200 reply whose body is not a chat completion (a proxy's error page, a cut body)."""
    return Reply(200, body, content_type=content_type)


class FakeOpenAI:
    """A chat-completions server on an ephemeral port of 127.0.0.1."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.respond: Callable[[Request], Reply] | None = None
        self._script: list[Reply] = [answer({"columns": [{"name": "id", "type": "id"}]})]
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def script(self, *replies: Reply) -> None:
        with self._lock:
            self._script = list(replies)

    def start(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes handlers that are sleeping out a delay
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _next(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
            if self.respond is not None:
                return self.respond(request)
            return self._script.pop(0) if len(self._script) > 1 else self._script[0]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = raw
                request = Request(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                if self.path != COMPLETIONS:
                    reply = error(404, f"no route {self.path}")
                    fake.requests.append(request)
                else:
                    reply = fake._next(request)
                if reply.delay and fake._stopping.wait(reply.delay):
                    return
                data = reply.body
                if not isinstance(data, bytes):
                    data = (data if isinstance(data, str) else json.dumps(data)).encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("content-type", reply.content_type)
                    self.send_header("content-length", str(len(data)))
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    if not reply.drip:
                        self.wfile.write(data)
                        return
                    pieces = max(1, min(len(data), int(reply.drip / 0.05)))
                    size = -(-len(data) // pieces)
                    for start in range(0, len(data), size):
                        self.wfile.write(data[start:start + size])
                        self.wfile.flush()
                        if fake._stopping.wait(reply.drip / pieces):
                            return
                except (BrokenPipeError, ConnectionResetError, OSError):  # the client gave up (a timeout test)
                    pass

        return Handler
