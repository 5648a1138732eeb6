"""The server's guard: rate limit arithmetic, error bodies, JSON log lines (the HTTP side is in test_server)."""

from __future__ import annotations

import io
import json
import logging

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
