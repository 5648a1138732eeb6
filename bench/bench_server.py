"""A bounded load benchmark of ``synth serve`` on loopback.

    python bench/bench_server.py                       # 2,000 requests of 1,000 rows, 16 clients
    python bench/bench_server.py --workers 2 --requests 500 --json server.json

It starts ``synth serve`` on 127.0.0.1 (a free port, a fresh schema cache), plans the
seed's three example descriptions once, then sends ``--requests`` POST /generate requests
(the three descriptions in turn, no seed: every answer is new data) from ``--concurrency``
clients that each send their next request when the last one's body has fully arrived.
Every answer is checked (status 200, X-Row-Count, the CSV's line count). It prints the
latency percentiles and requests per second, and stops the server. Nothing leaves
127.0.0.1; the run is bounded by the request count and ``--timeout``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from synth_magic.server import EXAMPLES  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int, cache_dir: str, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SYNTH_CACHE_DIR": cache_dir, "PYTHONPATH": str(ROOT)}
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SYNTH_PLANNER", "SYNTH_SERVER_TOKEN", "SYNTH_SERVER_RATE_LIMIT"):
        env.pop(name, None)
    with open(log, "wb") as out:  # the access log: a JSON line per request, with the worker's pid
        return subprocess.Popen([sys.executable, "-m", "synth_magic", "serve", "--port", str(port),
                                 "--workers", str(workers), "--log-level", "info"], env=env, stderr=out)


def per_worker(log: Path, sent: dict[str, tuple[float, float]]) -> dict[str, object]:
    """From the access log and the client's wall-clock times per request id: each worker's
    share of the requests, its time in the server (the app's middleware in to the last byte
    out) and the client's latency; and for the slowest 1% of requests, how their time splits
    into before the server's app saw them (client, kernel, the worker's event loop), in it,
    and after its last byte (the client reading)."""
    from datetime import datetime

    entries = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    timed = []  # (pid, ms in the server, ms at the client, ms before the server, ms after it)
    for e in entries:
        if e.get("message") == "request" and e.get("request_id") in sent:
            start, end = sent[e["request_id"]]
            logged = datetime.fromisoformat(e["ts"].replace("Z", "+00:00")).timestamp()  # when the body was out
            timed.append((e["pid"], e["ms"], (end - start) * 1000, (logged - start) * 1000 - e["ms"],
                          (end - logged) * 1000))

    def p(values: list[float], q: float) -> float:
        values = sorted(values)
        return round(values[min(len(values) - 1, int(round(q / 100 * len(values))) - 1)], 1)

    workers = {}
    for pid in sorted({t[0] for t in timed}):
        mine = [t for t in timed if t[0] == pid]
        workers[str(pid)] = {"requests": len(mine), "server_p50_ms": p([t[1] for t in mine], 50),
                             "server_p99_ms": p([t[1] for t in mine], 99),
                             "client_p50_ms": p([t[2] for t in mine], 50), "client_p99_ms": p([t[2] for t in mine], 99)}
    slowest = sorted(timed, key=lambda t: t[2])[-max(1, len(timed) // 100):]
    return {"per_worker": workers, "slowest_1pct": {
        "client_ms_median": p([t[2] for t in slowest], 50), "server_ms_median": p([t[1] for t in slowest], 50),
        "before_server_ms_median": p([t[3] for t in slowest], 50), "after_server_ms_median": p([t[4] for t in slowest], 50),
        "by_worker": {str(pid): sum(t[0] == pid for t in slowest) for pid in sorted({t[0] for t in slowest})}}}


def server_cpu_seconds(pid: int) -> float | None:
    """User + system CPU of the server and its worker processes (Linux /proc), else None."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total, found = 0, False
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):  # fields[1]: the parent's pid
            total += int(fields[11]) + int(fields[12])
            found = True
    return total / ticks if found else None


class Connection:
    """A lean HTTP/1.1 client connection (keep-alive, Content-Length or chunked bodies): the
    load generator shares the machine's cores with the server, so it should spend as little
    CPU per request as it can (httpx, pure-Python h11 underneath, spends several ms a request
    here and its own delays then count as the server's latency; ``--client httpx`` shows it)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self.writer.write(f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nContent-Type: application/json\r\n"
                          f"Content-Length: {len(body)}\r\n{head}\r\n".encode() + body)
        lines = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        got = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        if "content-length" in got:
            data = await self.reader.readexactly(int(got["content-length"]))
        else:  # chunked
            parts = []
            while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
                parts.append(await self.reader.readexactly(size + 2))
            await self.reader.readuntil(b"\r\n")
            data = b"".join(p[:-2] for p in parts)
        if got.get("connection", "").lower() == "close":
            self.close()
        return status, got, data

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def run(args: argparse.Namespace, url: str, pid: int) -> dict[str, object]:
    import httpx

    descriptions = [e["value"]["description"] for e in EXAMPLES.values()]
    latencies: list[float] = []
    by_id: dict[str, tuple[float, float]] = {}  # X-Request-ID -> wall-clock times sent and fully received
    errors: list[str] = []
    sent = 0
    host, port = url.rsplit("/", 1)[1].split(":")
    # idle connections are dropped before uvicorn's 5 s keep-alive ends, so none is reused as the server closes it
    limits = httpx.Limits(max_connections=args.concurrency, max_keepalive_connections=args.concurrency,
                          keepalive_expiry=2)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=args.timeout) as client:
        for _ in range(60):  # wait for the server
            try:
                if (await client.get("/health")).status_code == 200:
                    break
            except httpx.TransportError:
                await asyncio.sleep(0.25)
        for d in descriptions:  # plan once, warm the pools: what a running service has done already
            (await client.post("/generate", json={"description": d, "rows": args.rows})).raise_for_status()

        async def post(connection: Connection | None, i: int, request_id: str) -> tuple[int, dict[str, str], bytes]:
            body = {"description": descriptions[i % 3], "rows": args.rows}
            if connection is None:
                r = await client.post("/generate", json=body, headers={"X-Request-ID": request_id})
                return r.status_code, dict(r.headers), r.content
            return await asyncio.wait_for(connection.post("/generate", json.dumps(body).encode(),
                                                          {"X-Request-ID": request_id}), args.timeout)

        async def one_client() -> None:
            nonlocal sent
            connection = Connection(host, int(port)) if args.client == "raw" else None
            while sent < args.requests:
                i = sent
                sent += 1
                started, sent_at, request_id = time.perf_counter(), time.time(), f"bench-{i}"
                try:
                    status, headers, body = await post(connection, i, request_id)
                    ok = (status == 200 and headers.get("x-row-count") == str(args.rows)
                          and body.count(b"\n") == args.rows + 1)
                    if not ok:
                        errors.append(f"{status} {body[:200]!r}")
                except (TimeoutError, httpx.HTTPError, OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                        ValueError) as exc:
                    errors.append(repr(exc))
                    if connection is not None:
                        connection.close()
                latencies.append(time.perf_counter() - started)
                by_id[request_id] = (sent_at, time.time())
            if connection is not None:
                connection.close()

        lags: list[float] = []  # how late the client's own event loop wakes from a 10 ms sleep

        async def watch_the_loop() -> None:
            while sent < args.requests:
                before = time.perf_counter()
                await asyncio.sleep(0.01)
                lags.append((time.perf_counter() - before - 0.01) * 1000)

        cpu_before, client_cpu = server_cpu_seconds(pid), time.process_time()
        started = time.perf_counter()
        watcher = asyncio.ensure_future(watch_the_loop())
        await asyncio.gather(*(one_client() for _ in range(args.concurrency)))
        wall = time.perf_counter() - started
        cpu_after, client_cpu = server_cpu_seconds(pid), time.process_time() - client_cpu
        await watcher
        lags.sort()
    ms = sorted(x * 1000 for x in latencies)
    pct = {p: ms[min(len(ms) - 1, int(round(p / 100 * len(ms))) - 1)] for p in (50, 90, 99)}
    return {"requests": len(ms), "errors": len(errors), "first_errors": errors[:3], "rows": args.rows,
            "concurrency": args.concurrency, "workers": args.workers, "seconds": round(wall, 2),
            "requests_per_s": round(len(ms) / wall, 1), "p50_ms": round(pct[50], 1), "p90_ms": round(pct[90], 1),
            "p99_ms": round(pct[99], 1), "max_ms": round(ms[-1], 1), "mean_ms": round(statistics.fmean(ms), 1),
            "server_cpu_ms_per_request": None if cpu_before is None or cpu_after is None
            else round((cpu_after - cpu_before) * 1000 / len(ms), 2), "latency_by_request_id": by_id,
            "client": args.client, "client_cpu_ms_per_request": round(client_cpu * 1000 / len(ms), 2),
            "client_loop_lag_ms": {"p50": round(lags[len(lags) // 2], 1), "p99": round(lags[int(len(lags) * 0.99)], 1),
                                   "max": round(lags[-1], 1)}}


def pipeline_ms(rows: int, repeats: int = 30) -> dict[str, float]:
    """CPU milliseconds per request in this process, without HTTP: the Arrow table of the
    generated columns, then its CSV (what the server does); and, for comparison, the same
    CSV through a DataFrame (what ``synth -o x.csv`` does)."""
    from synth_magic import api
    from synth_magic.export import encode
    from synth_magic.generate import CHUNK, frames

    plans = [api.plan_with_source(e["value"]["description"], planner="offline", cache=False).schema.resolve()
             for e in EXAMPLES.values()]
    table_ms, encode_ms, frame_path_ms = [], [], []
    for i in range(repeats * len(plans)):
        plan = plans[i % len(plans)]
        started = time.process_time()
        parts = list(frames(plan, rows, seed=i, rows_per_frame=CHUNK, arrow=True))
        made = time.process_time()
        b"".join(encode(parts, "csv"))
        encoded = time.process_time()
        b"".join(encode(frames(plan, rows, seed=i, rows_per_frame=CHUNK), "csv"))
        table_ms.append((made - started) * 1000)
        encode_ms.append((encoded - made) * 1000)
        frame_path_ms.append((time.process_time() - encoded) * 1000)
    return {"table_ms": round(statistics.median(table_ms), 2), "encode_ms": round(statistics.median(encode_ms), 2),
            "through_dataframe_ms": round(statistics.median(frame_path_ms), 2)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument("--client", choices=("raw", "httpx"), default="raw",
                        help="the load generator's HTTP client: a lean one (default) or httpx (more CPU a request)")
    parser.add_argument("--timeout", type=float, default=60, help="seconds per request before it counts as an error")
    parser.add_argument("--json", help="also write the result to this file")
    args = parser.parse_args()
    if not (1 <= args.requests <= 100_000 and 1 <= args.concurrency <= 256):
        parser.error("--requests must be 1 to 100,000 and --concurrency 1 to 256")
    cpu = pipeline_ms(args.rows)
    port = free_port()
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as cache_dir:
        log = Path(cache_dir) / "server.log"
        server = start_server(port, args.workers, cache_dir, log)
        try:
            result = asyncio.run(run(args, f"http://127.0.0.1:{port}", server.pid))
        finally:
            server.terminate()
            server.wait(15)
        result |= per_worker(log, result.pop("latency_by_request_id"))
    result |= {"pipeline_cpu": cpu, "load_before": [round(x, 2) for x in load], "load_after": [round(x, 2) for x in os.getloadavg()],
               "cpus": os.cpu_count(), "python": platform.python_version(),
               "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    print(json.dumps(result, indent=2))
    print(f"\n| {result['requests']:,} requests × {args.rows:,} rows, {args.concurrency} clients, "
          f"{args.workers} worker(s) | p50 {result['p50_ms']} ms | p99 {result['p99_ms']} ms | "
          f"{result['requests_per_s']} requests/s | errors {result['errors']} |")
    print(f"server CPU per request: {result['server_cpu_ms_per_request']} ms (the load generator's, {args.client}: "
          f"{result['client_cpu_ms_per_request']} ms); without HTTP, in this process: "
          f"{cpu['table_ms']} ms making the Arrow table + {cpu['encode_ms']} ms encoding the CSV (medians; "
          f"through a DataFrame: {cpu['through_dataframe_ms']} ms)")
    for pid, w in result["per_worker"].items():
        print(f"worker {pid}: {w['requests']} requests; in the server p50 {w['server_p50_ms']} ms, "
              f"p99 {w['server_p99_ms']} ms; at the client p50 {w['client_p50_ms']} ms, p99 {w['client_p99_ms']} ms")
    tail, lag = result["slowest_1pct"], result["client_loop_lag_ms"]
    print(f"the client's own event loop woke late by p50 {lag['p50']} ms, p99 {lag['p99']} ms, max {lag['max']} ms")
    print(f"slowest 1%: {tail['client_ms_median']} ms at the client: {tail['before_server_ms_median']} ms before "
          f"the server's app saw it, {tail['server_ms_median']} ms in it, {tail['after_server_ms_median']} ms after "
          f"its last byte (medians; log times to the ms); by worker {tail['by_worker']}")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
