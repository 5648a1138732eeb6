"""``synth serve`` as a client meets it: a real uvicorn server on 127.0.0.1, a real HTTP client.

Each server is started by ``synth serve`` in a subprocess (its own cache folder, working
folder and environment: no key, no .env) on a free port, and stopped after.
"""

from __future__ import annotations

import concurrent.futures
import csv
import io
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pyarrow.parquet as pq
import pytest

from fake_openai import FakeOpenAI, answer, error, slow
from synth_magic import __version__, server

ROOT = Path(__file__).resolve().parents[1]
STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
ECOMMERCE, HEALTHCARE, FINANCE = (e["value"] for e in server.EXAMPLES.values())
TOKEN = "test-token-Zq81"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``synth serve`` in a subprocess; JSON log lines in ``self.log``."""

    def __init__(self, folder: Path, *args: str, env: dict[str, str] | None = None):
        folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = folder / "server.log"
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SYNTH_"))}
        clean |= {"SYNTH_CACHE_DIR": str(folder / "cache"), "PYTHONPATH": str(ROOT)} | (env or {})
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "synth_magic", "serve", "--port", str(self.port), *args],
                cwd=folder, env=clean, stdout=log, stderr=log)
        # idle connections are dropped before uvicorn's 5 s keep-alive ends, so none is reused as it closes
        self.client = httpx.Client(base_url=self.url, timeout=60, limits=httpx.Limits(keepalive_expiry=2))
        deadline = time.monotonic() + 30
        while True:
            try:
                self.client.get("/health")
                break
            except httpx.TransportError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the server did not start:\n" + self.log_path.read_text()) from None
                time.sleep(0.1)

    @property
    def log(self) -> list[dict]:
        return [json.loads(line) for line in self.log_path.read_text().splitlines() if line.startswith("{")]

    def requests_logged(self, request_id: str, timeout: float = 10) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [e for e in self.log if e.get("message") == "request" and e.get("request_id") == request_id]
            if found:
                return found[0]
            time.sleep(0.05)
        raise AssertionError(f"no access log line for {request_id}")

    def post(self, body: object, **kwargs) -> httpx.Response:
        return self.client.post("/generate", json=body, **kwargs)

    def peak_rss(self) -> int:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) << 10

    def stop(self) -> None:
        self.client.close()
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    s = Server(tmp_path_factory.mktemp("srv"), "--max-rows", "200000")
    yield s
    s.stop()


@pytest.fixture
def make_server(tmp_path):
    started: list[Server] = []

    def make(*args: str, env: dict[str, str] | None = None) -> Server:
        started.append(Server(tmp_path / f"s{len(started)}", *args, env=env))
        return started[-1]

    yield make
    for s in started:
        s.stop()


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def is_error(response: httpx.Response, status: int, error_type: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"error_type", "message", "details", "timestamp"}
    server.ErrorResponse.model_validate(body)
    assert body["error_type"] == error_type and STAMP.match(body["timestamp"])
    assert "Traceback" not in response.text
    return body


# --------------------------------------------------------------------------- the seed's examples

@pytest.mark.parametrize("example", list(server.EXAMPLES))
def test_the_seeds_three_examples(srv, example):
    value = server.EXAMPLES[example]["value"]
    r = srv.post(value)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(r'attachment; filename="[a-z0-9_]+\.csv"', r.headers["content-disposition"])
    assert r.headers["x-row-count"] == str(value["rows"])
    assert float(r.headers["x-generation-time"]) >= 0
    assert int(r.headers["x-seed"]) >= 0
    assert r.headers["x-schema-source"] in ("offline", "cache")
    table = rows_of(r.text)
    assert len(table) == value["rows"] + 1 and len(table[0]) >= 5
    assert {len(row) for row in table} == {len(table[0])}


def test_filename_comes_from_the_schema_title(srv):
    r = srv.post({"description": "Generate financial transaction data with account numbers", "rows": 2})
    assert r.headers["content-disposition"] == 'attachment; filename="financial_transaction_data_with_account.csv"'


def test_same_seed_same_data_and_prefixes_agree(srv):
    a = srv.post({**FINANCE, "rows": 300, "seed": 7})
    b = srv.post({**FINANCE, "rows": 300, "seed": 7})
    head = srv.post({**FINANCE, "rows": 20, "seed": 7})
    other = srv.post({**FINANCE, "rows": 300, "seed": 8})
    assert a.headers["x-seed"] == "7" and a.content == b.content
    assert rows_of(head.text) == rows_of(a.text)[:21]
    assert other.content != a.content
    assert b.headers["x-schema-source"] == "cache"


def test_rows_default_to_1000_as_the_seed_says(srv):
    r = srv.post({"description": HEALTHCARE["description"]})
    assert r.headers["x-row-count"] == "1000" and len(rows_of(r.text)) == 1001


@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_parquet_and_json_lines_hold_the_same_table(srv, fmt):
    request = {**ECOMMERCE, "rows": 40, "seed": 3}
    as_csv = rows_of(srv.post(request).text)
    r = srv.post({**request, "format": fmt})
    assert r.status_code == 200 and r.headers["x-row-count"] == "40"
    assert r.headers["content-disposition"].endswith(f'.{fmt}"')
    if fmt == "parquet":
        assert r.headers["content-type"] == "application/vnd.apache.parquet"
        table = pq.read_table(io.BytesIO(r.content))
        names, first = table.column_names, table.slice(0, 1).to_pylist()[0]
    else:
        assert r.headers["content-type"] == "application/x-ndjson"
        lines = [json.loads(line) for line in r.text.splitlines()]
        assert len(lines) == 40
        names, first = list(lines[0]), lines[0]
    assert names == as_csv[0]
    assert str(first[names[0]]) == as_csv[1][0]


def test_locale_changes_the_names(srv):
    request = {"description": "customers with full name and city", "rows": 50, "seed": 1}
    us, de = srv.post(request), srv.post({**request, "locale": "de-DE"})
    assert de.status_code == 200 and de.text != us.text
    assert re.search(r"[äöüß]", de.text)


# --------------------------------------------------------------------------- every validation error

OK = "finance transactions with amounts"
SPEC_ROWS = ("Row count must be between 1 and 200000", {"field": "rows", "provided_value": 250000})

VALIDATION = [
    ({}, "Description field is required and cannot be empty", {"field": "description"}),
    ({"description": ""}, "Description field is required and cannot be empty",
     {"field": "description", "provided_value": ""}),
    ({"description": "    "}, "Description field is required and cannot be empty",
     {"field": "description", "provided_value": "    "}),
    ({"description": "too short"}, "Description must be at least 10 characters long, not 9; say what the table "
     "holds, e.g. 'e-commerce product data with names, prices and ratings'.",
     {"field": "description", "provided_value": "too short"}),
    ({"description": "x" * 4001}, "Description must be at most 4,000 characters long, not 4,001; list the "
     "columns you need rather than pasting documents.", {"field": "description", "length": 4001}),
    ({"description": 42}, "Description must be text: a JSON string of 10 to 4,000 characters.",
     {"field": "description", "provided_value": 42}),
    ({"description": OK, "rows": 0}, "Row count must be between 1 and 200000", {"field": "rows", "provided_value": 0}),
    ({"description": OK, "rows": 250000}, *SPEC_ROWS),
    ({"description": OK, "rows": "100"}, "Row count must be a whole number between 1 and 200000",
     {"field": "rows", "provided_value": "100"}),
    ({"description": OK, "rows": 10.5}, "Row count must be a whole number between 1 and 200000",
     {"field": "rows", "provided_value": 10.5}),
    ({"description": OK, "rows": True}, "Row count must be a whole number between 1 and 200000",
     {"field": "rows", "provided_value": True}),
    ({"description": OK, "rows": None}, "Row count must be a whole number between 1 and 200000", {"field": "rows"}),
    ({"description": OK, "format": "xml"}, "Format must be one of csv, parquet or jsonl.",
     {"field": "format", "provided_value": "xml", "allowed": ["csv", "parquet", "jsonl"]}),
    ({"description": OK, "seed": -1}, "Seed must be a whole number from 0 to 9223372036854775807 (the same seed "
     "gives the same data).", {"field": "seed", "provided_value": -1}),
    ({"description": OK, "locale": "xx_YY"}, "Unknown locale 'xx_YY'; use a Faker locale such as en_US, de_DE, "
     "fr_FR or ja_JP (`synth --locales` lists them all).", {"field": "locale", "provided_value": "xx_YY"}),
    ({"description": OK, "row": 5}, "Unknown field 'row'; a request may have description, rows, format, seed "
     "and locale.", {"field": "row"}),
    ([OK], "The request body must be a JSON object such as {\"description\": \"finance transactions\", "
     "\"rows\": 1000}.", {"field": "body"}),
]


@pytest.mark.parametrize(("body", "message", "details"), VALIDATION,
                         ids=[f"{i}-{str(v[0])[:30]}" for i, v in enumerate(VALIDATION)])
def test_every_validation_problem_is_a_400_error_response(srv, body, message, details):
    found = is_error(srv.post(body), 400, "validation")
    assert found["message"] == message
    assert {k: v for k, v in found["details"].items() if k != "problems"} == details


def test_several_problems_are_all_listed(srv):
    found = is_error(srv.post({"description": "", "rows": 250000}), 400, "validation")
    assert found["message"] == "Description field is required and cannot be empty"
    assert [p["field"] for p in found["details"]["problems"]] == ["description", "rows"]


@pytest.mark.parametrize(("content", "headers", "status", "message"), [
    (b'{"description": "finance', {"content-type": "application/json"}, 400,
     "The request body is not valid JSON (line 1, column 17: Unterminated string starting at)."),
    (b"", {"content-type": "application/json"}, 400,
     "The request body is not valid JSON (line 1, column 1: Expecting value)."),
    (b"\xff\xfe\x00", {"content-type": "application/json"}, 400, "The request body is not valid JSON."),
    (b'{"description": "finance transactions"}', {"content-type": "text/plain"}, 415,
     "Send the request body as JSON with the header 'Content-Type: application/json'."),
    (b'{"description": "' + b"x" * (70 << 10) + b'"}', {"content-type": "application/json"}, 413,
     "The request body is over 64 KiB; a description has at most 4,000 characters."),
], ids=["malformed", "empty", "not-utf8", "not-json-type", "too-big"])
def test_bodies_that_are_not_a_json_request(srv, content, headers, status, message):
    assert is_error(srv.client.post("/generate", content=content, headers=headers), status, "validation")[
        "message"] == message


def test_a_body_streamed_past_the_limit_is_refused(srv):
    def chunks():
        yield b'{"description": "'
        for _ in range(100):
            yield b"y" * 1024

    r = srv.client.post("/generate", content=chunks(), headers={"content-type": "application/json"})
    assert is_error(r, 413, "validation")["details"] == {"max_bytes": server.MAX_BODY}


def test_impossible_schema_is_a_validation_error(srv):
    text = "title: t\ncolumns:\n  flag: boolean unique\n"
    assert is_error(srv.post({"description": text, "rows": 10}), 400, "validation")["message"] == (
        "Column 'flag' must be unique but its type 'boolean' has only 2 possible values for 10 rows; widen its "
        "range, drop 'unique' or ask for fewer rows.")


def test_unknown_paths_and_methods_use_the_error_shape(srv):
    assert is_error(srv.client.get("/nowhere"), 404, "validation")["message"] == (
        "There is no /nowhere; the service has POST /generate and GET /health.")
    assert is_error(srv.client.get("/generate"), 405, "validation")["message"] == "GET is not allowed on /generate."


# --------------------------------------------------------------------------- health, docs

def test_health_offline(srv):
    r = srv.client.get("/health")
    assert r.status_code == 200
    body = server.HealthResponse.model_validate(r.json()).model_dump()
    assert body["status"] == "healthy" and body["version"] == __version__ and STAMP.match(body["timestamp"])
    assert body["dependencies"] == {"openai_api": "unavailable", "schema_cache": "accessible"}


def test_health_is_503_when_the_service_cannot_work(make_server, tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    s = make_server(env={"SYNTH_PLANNER": "openai", "SYNTH_CACHE_DIR": str(tmp_path / "a-file" / "cache")})
    r = s.client.get("/health")
    assert r.status_code == 503
    assert r.json()["status"] == "unhealthy"
    assert r.json()["dependencies"] == {"openai_api": "unavailable", "schema_cache": "inaccessible"}
    found = is_error(s.post(FINANCE), 500, "api_failure")
    assert "OPENAI_API_KEY" in found["message"]


def test_openapi_shows_the_seeds_spec_and_examples(srv):
    spec = srv.client.get("/openapi.json").json()
    assert "422" not in json.dumps(spec)
    generate = spec["paths"]["/generate"]["post"]
    assert generate["operationId"] == "generateDataset"
    body = generate["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/DatasetRequest"}
    assert body["examples"] == server.EXAMPLES
    assert set(generate["responses"]) >= {"200", "400", "429", "500"}
    assert set(generate["responses"]["200"]["headers"]) >= {"Content-Disposition", "X-Row-Count",
                                                            "X-Generation-Time", "X-Seed", "X-Schema-Source"}
    assert "text/csv" in generate["responses"]["200"]["content"]
    schemas = spec["components"]["schemas"]
    request = schemas["DatasetRequest"]
    assert request["required"] == ["description"]
    assert (request["properties"]["description"]["minLength"], request["properties"]["description"]["maxLength"]) == (10, 4000)
    rows = request["properties"]["rows"]
    assert (rows["type"], rows["minimum"], rows["maximum"], rows["default"]) == ("integer", 1, 200000, 1000)
    assert request["properties"]["format"]["default"] == "csv" and "csv" in request["properties"]["format"]["enum"]
    assert schemas["ErrorResponse"]["properties"]["error_type"]["enum"] == list(server.ERROR_TYPES)
    assert set(schemas["ErrorResponse"]["required"]) == {"error_type", "message", "timestamp"}
    assert schemas["HealthResponse"]["properties"]["status"]["enum"] == ["healthy", "unhealthy"]
    assert spec["paths"]["/health"]["get"]["operationId"] == "healthCheck"
    docs = srv.client.get("/docs").text
    assert "/openapi.json" in docs and "cdn." not in docs  # Swagger UI's files come from the service itself
    scripts = re.findall(r'src="(/[^"]+\.js)"', docs)
    assert scripts and all(srv.client.get(src).status_code == 200 for src in scripts)


def test_docs_examples_are_the_seeds_three_requests():
    files = {p.stem.removesuffix("_request"): json.loads(p.read_text())
             for p in sorted((ROOT / "docs" / "examples").glob("*.json"))}
    assert files == {name: e["value"] for name, e in server.EXAMPLES.items()}


# --------------------------------------------------------------------------- logs and request ids

def test_request_ids_and_access_logs_hold_no_description_or_data(srv):
    marker = "zebracorn"
    r = srv.post({"description": f"{marker} inventory with sku and quantity", "rows": 30, "seed": 5},
                 headers={"X-Request-ID": "trace-42.a"})
    assert r.status_code == 200 and r.headers["x-request-id"] == "trace-42.a"
    made = srv.client.get("/health", headers={"X-Request-ID": "bad id with spaces"}).headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    entry = srv.requests_logged("trace-42.a")
    assert entry | {"ms": 0, "bytes": 0, "ts": ""} == {
        "ts": "", "level": "info", "logger": "synth_magic.server", "message": "request", "request_id": "trace-42.a",
        "method": "POST", "path": "/generate", "status": 200, "ms": 0, "bytes": 0, "client": "127.0.0.1",
        "rows": 30, "format": "csv", "source": r.headers["x-schema-source"],
        "pid": srv.process.pid}  # one worker: uvicorn serves in its own process
    assert entry["bytes"] == len(r.content)
    assert srv.requests_logged(made)["status"] == 200
    text = srv.log_path.read_text()
    values = [v for v in rows_of(r.text)[1][:3] if len(v) > 3]
    assert marker not in text and values and not any(v in text for v in values)


def test_a_kept_alive_connection_is_closed_after_its_share_of_answers(srv):
    """Workers share one listening socket and a connection stays with the worker that accepted
    it: the server closes each after KEEPALIVE_REQUESTS answers, so connections opened at once
    are dealt out again; the client just opens another."""
    with httpx.Client(base_url=srv.url, timeout=60) as client:
        said = [client.get("/health").headers.get("connection") for _ in range(server.KEEPALIVE_REQUESTS + 1)]
        r = client.post("/generate", json={**ECOMMERCE, "rows": 5})
    assert said == [None] * (server.KEEPALIVE_REQUESTS - 1) + ["close", None]
    assert r.status_code == 200 and len(rows_of(r.text)) == 6
    assert not any(e.get("shares_connections") for e in srv.log if e.get("message") == "ready")  # one worker


# --------------------------------------------------------------------------- auth, rate limit, CORS

def test_bearer_token_rate_limit_and_cors(make_server):
    s = make_server("--rate-limit", "3", "--cors-origin", "http://localhost:3000",
                    env={"SYNTH_SERVER_TOKEN": TOKEN})
    request = {**FINANCE, "rows": 5}
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"},
                    {"Authorization": TOKEN}):
        r = s.post(request, headers=headers)
        assert is_error(r, 401, "validation")["details"] == {"field": "Authorization"}
        assert r.headers["www-authenticate"] == "Bearer"
    assert s.client.get("/health").status_code == 200  # open: for load balancers
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert [s.post(request, headers=auth).status_code for _ in range(3)] == [200, 200, 200]
    limited = s.post(request, headers=auth)
    found = is_error(limited, 429, "rate_limit")
    assert 1 <= int(limited.headers["retry-after"]) <= 20
    assert found["details"] == {"retry_after": int(limited.headers["retry-after"]), "limit": "3 requests per minute"}
    assert found["message"] == (f"Rate limit of 3 requests per minute exceeded. Please try again in "
                                f"{limited.headers['retry-after']} seconds.")
    preflight = {"Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization,content-type"}
    ok = s.client.options("/generate", headers=preflight)
    assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == "http://localhost:3000"
    other = s.client.options("/generate", headers={**preflight, "Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in other.headers
    refused = s.post(request, headers={**auth, "Origin": "http://localhost:3000"})
    assert refused.status_code == 429  # a page can read why it was refused
    assert refused.headers["access-control-allow-origin"] == "http://localhost:3000"
    simple = s.client.get("/health", headers={"Origin": "http://localhost:3000"})
    assert simple.headers["access-control-allow-origin"] == "http://localhost:3000"
    assert "x-row-count" in simple.headers["access-control-expose-headers"].lower()
    assert TOKEN not in s.log_path.read_text()


def test_cors_is_off_by_default(srv):
    r = srv.client.options("/generate", headers={"Origin": "http://localhost:3000",
                                                 "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in r.headers
    assert "access-control-allow-origin" not in srv.post({**FINANCE, "rows": 1},
                                                         headers={"Origin": "http://localhost:3000"}).headers


# --------------------------------------------------------------------------- single-flight, the planner's outcome

SCHEMA = {"title": "patients", "columns": [{"name": "patient_id", "type": "uuid", "unique": True},
                                           {"name": "name", "type": "full_name"},
                                           {"name": "admitted", "type": "date"}]}


def test_ten_identical_first_requests_cost_one_model_call(make_server):
    with FakeOpenAI() as fake:
        fake.script(slow(1.0, answer(SCHEMA)))
        s = make_server(env={"OPENAI_BASE_URL": fake.url, "SYNTH_MAX_RETRIES": "0"})
        assert s.client.get("/health").json()["dependencies"]["openai_api"] == "available"
        request = {"description": "hospital admissions with patient name and admission date", "rows": 50}
        with concurrent.futures.ThreadPoolExecutor(10) as pool:
            answers = list(pool.map(lambda _: s.post(request), range(10)))
        assert [a.status_code for a in answers] == [200] * 10
        assert {rows_of(a.text)[0] == ["patient_id", "name", "admitted"] for a in answers} == {True}
        assert {a.headers["x-schema-source"] for a in answers} == {"openai"}
        assert len(fake.requests) == 1
        assert s.post(request).headers["x-schema-source"] == "cache" and len(fake.requests) == 1

        fake.script(error(500))  # down: the offline planner plans, nothing is kept, health says degraded
        down = {"description": "hospital wards with beds and nurses", "rows": 5}
        assert s.post(down).headers["x-schema-source"] == "offline"
        asked = len(fake.requests) - 1  # the planner's own tries (a 5xx to json_schema: json_object once)
        assert asked >= 1
        assert s.post(down).headers["x-schema-source"] == "offline"  # asked again: fallbacks are not kept
        assert len(fake.requests) == 1 + 2 * asked
        health = s.client.get("/health")
        assert health.status_code == 200 and health.json()["dependencies"]["openai_api"] == "degraded"
        assert any("fell back to the offline planner" in e["message"] for e in s.log if e["level"] == "warning")

        fake.script(error(401, "bad key"))  # refused: an api_failure, and the service cannot plan
        found = is_error(s.post({"description": "clinic appointments with doctor", "rows": 5}), 500, "api_failure")
        assert "OPENAI_API_KEY" in found["message"]
        assert s.client.get("/health").status_code == 503
        assert s.client.get("/health").json()["dependencies"]["openai_api"] == "unavailable"


# --------------------------------------------------------------------------- streaming, disconnects

@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="peak RSS is read from /proc")
def test_200000_rows_stream_in_flat_memory(srv):
    request = {**FINANCE, "rows": 40_000}
    assert srv.post(request).status_code == 200  # warm: pools, plan, the buffers of a few parts
    before = srv.peak_rss()
    size = lines = 0
    with srv.client.stream("POST", "/generate", json={**request, "rows": 200_000}) as r:
        assert r.status_code == 200 and r.headers["x-row-count"] == "200000"
        assert r.headers["transfer-encoding"] == "chunked"
        for part in r.iter_raw():
            size += len(part)
            lines += part.count(b"\n")
    growth = srv.peak_rss() - before
    assert lines == 200_001
    # holding the body (or the frame) would grow the server by more than the body's size (25 MB)
    assert growth < size / 2, f"peak RSS grew {growth >> 20} MiB for a {size >> 20} MiB body"


def test_a_client_that_goes_away_mid_stream(srv):
    request = {**FINANCE, "rows": 200_000}
    with srv.client.stream("POST", "/generate", json=request, headers={"X-Request-ID": "leaves-early"}) as r:
        assert r.status_code == 200
        next(r.iter_raw())
    entry = srv.requests_logged("leaves-early")
    assert entry["status"] == 200 and entry["aborted"] is True
    assert entry["bytes"] < 10_000_000  # the full body is about 25 MB: generation stopped
    assert srv.client.get("/health").status_code == 200
    assert srv.post({**FINANCE, "rows": 3}).status_code == 200


# --------------------------------------------------------------------------- synth serve's settings

@pytest.mark.parametrize(("argv", "env", "message"), [
    (["--max-rows", "0"], {}, "--max-rows must be a whole number from 1 to 2,147,483,648, not '0'."),
    (["--rate-limit", "lots"], {}, "--rate-limit must be a whole number from 0 to 1,000,000, not 'lots'."),
    (["--cors-origin", "localhost:3000"], {}, "--cors-origin: 'localhost:3000' is not an origin; write it like "
     "https://example.org or http://localhost:3000 (or * for any)."),
    (["--port", "70000"], {}, "--port must be from 0 to 65535 and --workers from 1 to 64."),
    ([], {"SYNTH_SERVER_MAX_ROWS": "ten"}, "SYNTH_SERVER_MAX_ROWS must be a whole number from 1 to "
     "2,147,483,648, not 'ten'."),
    ([], {"SYNTH_TIMEOUT": "soon"}, "SYNTH_TIMEOUT must be a number of seconds between 0 and 600, not 'soon'."),
])
def test_bad_settings_stop_synth_serve_with_one_line(monkeypatch, capsys, argv, env, message):
    from synth_magic import cli

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(os, "environ", os.environ.copy())  # a flag sets its variable: keep ours clean
    assert cli.main(["serve", *argv]) == 2
    assert capsys.readouterr().err == f"synth serve: error: {message}\n"


@pytest.mark.parametrize("missing", ["fastapi", "uvicorn"])
def test_synth_serve_without_the_extra_says_what_to_install(monkeypatch, capsys, missing):
    from synth_magic import cli

    monkeypatch.delitem(sys.modules, "synth_magic.server")
    monkeypatch.setitem(sys.modules, missing, None)  # as if it were not installed
    assert cli.main(["serve"]) == 2
    assert capsys.readouterr().err == f"synth serve: error: {missing} is missing; pip install 'synth-magic[serve]'.\n"


def test_server_config_never_shows_the_token():
    config = server.ServerConfig.from_env({"SYNTH_SERVER_TOKEN": TOKEN, "SYNTH_SERVER_CORS_ORIGINS": "https://a.org/, *"})
    assert TOKEN not in repr(config) and config.token == TOKEN
    assert config.cors_origins == ("https://a.org", "*")


def test_an_unexpected_error_is_a_500_with_a_request_id_and_no_traceback(tmp_path, caplog):
    import uvicorn

    from synth_magic._guard import Guard

    async def broken(scope, receive, send):
        raise KeyError("secret internals")

    port = free_port()
    uv = uvicorn.Server(uvicorn.Config(Guard(broken), host="127.0.0.1", port=port, log_config=None,
                                       access_log=False, lifespan="off"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    try:
        while not uv.started:
            time.sleep(0.02)
        r = httpx.post(f"http://127.0.0.1:{port}/generate", json={}, headers={"X-Request-ID": "boom-1"})
    finally:
        uv.should_exit = True
        thread.join(10)
    found = is_error(r, 500, "generation_failure")
    assert found["details"] == {"request_id": "boom-1"} and "boom-1" in found["message"]
    assert "secret internals" not in r.text and "KeyError" not in r.text
    assert any(rec.exc_info and rec.fields["request_id"] == "boom-1" for rec in caplog.records)


def test_workers_share_the_schema_cache(make_server, tmp_path):
    (tmp_path / "tmp").mkdir()
    s = make_server("--workers", "2", env={"TMPDIR": str(tmp_path / "tmp")})
    request = {"description": "library loans with book title, member and due date", "rows": 3}
    assert s.post(request).headers["x-schema-source"] == "offline"
    sources = set()
    for _ in range(8):  # new connections, so both workers get some
        with httpx.Client(base_url=s.url) as fresh:
            sources.add(fresh.post("/generate", json=request).headers["x-schema-source"])
    assert sources == {"cache"}
    ready = [e for e in s.log if e.get("message") == "ready"]
    assert len({e["pid"] for e in ready}) == 2
    assert all(e["shares_connections"] for e in ready)  # they tell each other their requests in flight
    assert len(list((tmp_path / "tmp").glob("synth-serve-*.loads"))) == 1
    s.stop()
    assert not list((tmp_path / "tmp").glob("synth-serve-*.loads"))  # removed when the server stops


def test_a_description_of_related_tables_is_a_clear_400(srv):
    found = is_error(srv.post({"description": "customers and their orders", "rows": 10}), 400, "validation")
    assert found["message"].startswith("The description names related tables (customers, orders); this service "
                                       "makes one table per request")
