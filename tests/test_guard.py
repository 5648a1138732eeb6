"""The server's guard: rate limit arithmetic, error bodies, JSON log lines (the HTTP side is in test_server)."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import struct
import subprocess
import sys

import pytest

from synth_magic import _guard


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(("per_minute", "steps", "waits"), [
    # a burst of per_minute, then one every 60/per_minute seconds
    (3, [0, 0, 0, 0], [0, 0, 0, 20]),
    (3, [0, 0, 0, 20, 0], [0, 0, 0, 0, 20]),
    (60, [0] * 61, [0] * 60 + [1]),
    (1, [0, 30, 30], [0, 30, 0]),
])
def test_rate_limit_is_a_token_bucket(per_minute, steps, waits):
    clock = Clock()
    limit = _guard.RateLimit(per_minute, clock=clock)
    got = []
    for step in steps:
        clock.now += step
        got.append(round(limit.take("a"), 6))
    assert got == waits


def test_rate_limit_counts_each_client_and_forgets_idle_ones():
    clock = Clock()
    limit = _guard.RateLimit(1, clock=clock, max_clients=2)
    assert [limit.take(c) for c in "abc"] == [0, 0, 0]
    assert limit.take("a") > 0
    clock.now += 120  # every bucket is full again: a fourth client prunes them
    assert limit.take("d") == 0 and len(limit._buckets) <= 2


def test_error_body_is_the_seeds_error_response():
    body = json.loads(_guard.error_body("rate_limit", "Slow down.", {"retry_after": 3}))
    assert list(body) == ["error_type", "message", "details", "timestamp"]
    assert body["details"] == {"retry_after": 3} and body["timestamp"].endswith("Z")
    with pytest.raises(ValueError):
        _guard.error_body("auth", "no")


def test_log_lines_are_one_json_object_each():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(_guard.JSONFormatter())
    log = logging.getLogger("tests.guard")
    log.addHandler(handler)
    log.propagate = False
    log.setLevel(logging.INFO)
    log.info("request", extra={"fields": {"status": 200, "path": "/health"}})
    try:
        raise RuntimeError("multi\nline")
    except RuntimeError:
        log.exception("unexpected error", extra={"fields": {"request_id": "r1"}})
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    first, second = map(json.loads, lines)
    assert first | {"ts": ""} == {"ts": "", "level": "info", "logger": "tests.guard", "message": "request",
                                  "status": 200, "path": "/health"}
    assert second["request_id"] == "r1" and "RuntimeError: multi\nline" in second["exception"]


def test_log_config_sends_every_logger_through_the_json_formatter():
    from logging.config import BaseConfigurator

    config = _guard.log_config("WARNING")
    assert BaseConfigurator({}).resolve(config["formatters"]["json"]["()"]) is _guard.JSONFormatter
    assert {name: c["handlers"] for name, c in config["loggers"].items()} == {
        "uvicorn": ["stderr"], "uvicorn.error": ["stderr"], _guard.LOGGER: ["stderr"], "py.warnings": ["stderr"],
        "uvicorn.access": []}
    assert config["loggers"][_guard.LOGGER]["level"] == "WARNING"


# --------------------------------------------------------------------------- workers' loads

def test_a_worker_is_busier_when_another_has_fewer_requests_in_flight():
    path = _guard.Loads.create()
    try:
        a, b = _guard.Loads(path), _guard.Loads(path)  # two workers' slots (one pid here: both alive)
        assert a._slot != b._slot
        for _ in range(_guard.Loads.SHED_AT - 1):
            a.add(1)
        assert not a.busier() and not b.busier()  # a difference below SHED_AT is noise
        a.add(1)
        assert a.busier() and not b.busier()
        b.add(1)
        assert not a.busier()
        b.close()  # a worker that stopped counts no more
        a.add(5)
        assert not a.busier()
        a.close()
    finally:
        os.unlink(path)


def test_a_dead_workers_slot_is_taken_over_and_ignored():
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    path = _guard.Loads.create()
    try:
        with open(path, "r+b") as f:  # slot 0: a worker that died with nothing in flight
            f.write(struct.pack("<qq", dead.pid, 0))
        with open(path, "r+b") as f:
            f.seek(16)
            f.write(struct.pack("<qq", dead.pid, 0))  # slot 1 too
        a = _guard.Loads(path)
        assert a._slot == 0  # taken over
        a.add(_guard.Loads.SHED_AT + 2)
        assert not a.busier()  # slot 1's worker is dead: not a free worker to shed to
        a.close()
    finally:
        os.unlink(path)


@pytest.mark.parametrize("path", [None, "", "/nonexistent/synth.loads"])
def test_without_a_loads_file_nothing_is_shared(path):
    assert _guard.Loads.attach(path) is None


def test_a_file_of_the_wrong_size_is_not_a_loads_file(tmp_path):
    (tmp_path / "x.loads").write_bytes(b"\0" * 10)
    assert _guard.Loads.attach(str(tmp_path / "x.loads")) is None


def test_the_busier_worker_answers_with_connection_close():
    path = _guard.Loads.create()
    try:
        mine, other = _guard.Loads(path), _guard.Loads(path)  # the other worker: nothing in flight
        answered: list[list[tuple[bytes, bytes]]] = []

        async def app(scope, receive, send):
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"ok", "more_body": False})

        async def send(message):
            if message["type"] == "http.response.start":
                answered.append(message["headers"])

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        guard = _guard.Guard(app, keepalive_requests=100, loads=mine)
        scope = {"type": "http", "method": "GET", "path": "/health", "headers": [], "client": ("127.0.0.1", 5000)}
        asyncio.run(guard(dict(scope), receive, send))  # 1 in flight against 0: not busier
        for _ in range(_guard.Loads.SHED_AT - 1):  # requests of other connections still in flight here
            mine.add(1)
        asyncio.run(guard(dict(scope), receive, send))
        closing = [(b"connection", b"close") in headers for headers in answered]
        assert closing == [False, True]
        assert mine._count == _guard.Loads.SHED_AT - 1  # each request counted in, then out
        mine.close()
        other.close()
    finally:
        os.unlink(path)
