"""synth-magic against its peers on one 10-column finance-transactions table.

    python bench/bench.py            # 10k, 100k and 1M rows, peers where they finish
    python bench/bench.py --quick    # small sizes, one repeat: a smoke run
    python bench/bench.py --sizes 10000 1000000 --repeats 5 --json results.json

The same table (uuid id, account number, customer name, e-mail, merchant, category,
amount, currency, timestamp, fraud flag) is built as a pandas DataFrame by

  (a) a Faker row loop: one Faker call per cell (the original service design),
  (b) Mimesis' Fieldset: one call per column asking for ``i`` values,
  (c) seedfaker (a Rust core): ``SeedFaker.records(fields, n=rows)``, a list of records
      of strings, and the same into a DataFrame,
  (d) synth-magic from a Schema built from a dict (no planner involved).

Peers run only up to the sizes they finish in reasonable time (``--faker-max``,
``--mimesis-max``); at bigger sizes their rows/s at their largest size is used for the
ratios and marked as extrapolated (``--seedfaker-max`` likewise). synth-magic is timed warm (pools built, the normal
state of a notebook after its first cell) and cold (a fresh process, from ``import
synth_magic`` to the frame: numpy/pyarrow/pandas/Faker imports, Faker locale data and
pools included), each the median of ``--repeats`` runs. Ratios use the warm rate.

Also timed warm at the largest size: a 10-column customer table whose address columns
agree on a real place (coherent geography), a 10-column series table (sensors with a
daily season, random walks, price bars) and a customers → orders → order items dataset
with that many order items (child rows/s: orders and items made per second). Also measured, each in a fresh process: peak memory while generating the largest size
against the final frame's own ``memory_usage(deep=True)``, CSV writing of that frame
through ``synth_magic.export.save``, and ``python -c "import synth_magic"``.

Threads: the largest size warm with ``SYNTH_THREADS=1`` and with every core, in the same
run, as rows/s and rows per CPU second (per-core efficiency), and whether both frames are
equal. Cold command line: ``synth "finance transactions" --rows 1000 -o x.csv`` in a fresh
process (schemas and pools already in a fresh cache folder, as after a first run) against
``python -c "import pandas"``, both medians of ``--import-repeats``, as a ratio (wall and
CPU). The last lines put every figure next to its target.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SRC = HERE.parent
if str(SRC) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(SRC))

CATEGORIES = ["groceries", "travel", "dining", "utilities", "entertainment", "shopping"]
WEIGHTS = [30, 10, 20, 10, 10, 20]
START, END = datetime(2025, 1, 1), datetime(2025, 12, 31, 23, 59, 59)

SCHEMA: dict[str, Any] = {
    "title": "finance transactions",
    "locale": "en_US",
    "columns": [
        {"name": "transaction_id", "type": "uuid", "unique": True},
        {"name": "account_number", "type": "account_number", "unique": True},
        {"name": "customer_name", "type": "full_name"},
        {"name": "email", "type": "email", "derive_from": "customer_name"},
        {"name": "merchant", "type": "company"},
        {"name": "category", "type": "category", "values": CATEGORIES, "weights": WEIGHTS},
        {"name": "amount", "type": "money", "min": 1, "max": 500, "distribution": "lognormal"},
        {"name": "currency", "type": "currency_code"},
        {"name": "timestamp", "type": "datetime", "start": "2025-01-01", "end": "2025-12-31 23:59:59"},
        {"name": "is_fraud", "type": "boolean", "p_true": 0.02},
    ],
}


# ----------------------------------------------------------------------- builders

def faker_loop(rows: int, seed: int = 42):
    """One Faker call per cell, one dict per row: the original service design."""
    from collections import OrderedDict

    import pandas as pd
    from faker import Faker

    fake = Faker("en_US")
    fake.seed_instance(seed)
    total = sum(WEIGHTS)
    categories = OrderedDict((c, w / total) for c, w in zip(CATEGORIES, WEIGHTS, strict=True))
    out = []
    for _ in range(rows):
        out.append({
            "transaction_id": fake.uuid4(),
            "account_number": fake.numerify("%#########"),
            "customer_name": fake.name(),
            "email": fake.email(),
            "merchant": fake.company(),
            "category": fake.random_element(categories),
            "amount": fake.pyfloat(min_value=1, max_value=500, right_digits=2),
            "currency": fake.currency_code(),
            "timestamp": fake.date_time_between(START, END),
            "is_fraud": fake.boolean(chance_of_getting_true=2),
        })
    return pd.DataFrame(out)


def mimesis_fieldset(rows: int, seed: int = 42):
    """Mimesis' Fieldset: each column asked for ``rows`` values at once."""
    import pandas as pd
    from mimesis import Fieldset
    from mimesis.locales import Locale

    fs = Fieldset(locale=Locale.EN, seed=seed)
    return pd.DataFrame({
        "transaction_id": fs("uuid", i=rows),
        "account_number": fs("random.generate_string_by_mask", mask="##########", i=rows),
        "customer_name": fs("person.full_name", i=rows),
        "email": fs("person.email", i=rows),
        "merchant": fs("finance.company", i=rows),
        "category": fs("random.weighted_choice", choices=dict(zip(CATEGORIES, WEIGHTS, strict=True)), i=rows),
        "amount": fs("finance.price", minimum=1, maximum=500, i=rows),
        "currency": fs("finance.currency_iso_code", i=rows),
        "timestamp": fs("datetime.datetime", start=2025, end=2025, i=rows),
        "is_fraud": fs("random.weighted_choice", choices={True: 0.02, False: 0.98}, i=rows),
    })


SHORT = ["Faker", "Mimesis", "sf rec", "sf df"]  # the ratio columns' headings
SEEDFAKER_FIELDS = ["uuid", "bank-account", "name", "email", "company-name", "enum:" + ",".join(CATEGORIES),
                    "amount:1..500", "currency-code", "timestamp", "boolean"]


def seedfaker_records(rows: int, seed: int = 42):
    """seedfaker's Rust core: ``rows`` records (dicts of strings) of the same ten fields."""
    from seedfaker import SeedFaker

    return SeedFaker(seed=str(seed), locale="en", since=2025, until=2025).records(SEEDFAKER_FIELDS, n=rows)


def seedfaker_frame(rows: int, seed: int = 42):
    """seedfaker's records as a pandas DataFrame (what the others return)."""
    import pandas as pd

    return pd.DataFrame(seedfaker_records(rows, seed))


# Two more 10-column tables, synth-magic only (no peer makes them): rows that agree on a
# real place (coherent geography) and sensor readings and price bars (series).
GEO_SCHEMA: dict[str, Any] = {"title": "customers", "locale": "en_US", "columns": [
    {"name": "customer_id", "type": "id"}, {"name": "name", "type": "full_name"},
    {"name": "street", "type": "street_address"}, {"name": "city", "type": "city"},
    {"name": "state", "type": "state"}, {"name": "zip", "type": "postcode"},
    {"name": "latitude", "type": "latitude"}, {"name": "longitude", "type": "longitude"},
    {"name": "timezone", "type": "timezone"}, {"name": "phone", "type": "phone"},
]}
SERIES_SCHEMA: dict[str, Any] = {"title": "sensor readings and prices", "locale": "en_US", "columns": [
    {"name": "sensor", "type": "code", "pattern": "SEN-####", "entities": 50},
    {"name": "timestamp", "type": "datetime", "start": "2024-01-01", "step": "1min", "entity": "sensor"},
    {"name": "temperature", "type": "series", "entity": "sensor", "time": "timestamp", "level": 20,
     "season": "daily", "amplitude": 4, "noise": 0.5, "ar": 0.9},
    {"name": "humidity", "type": "series", "entity": "sensor", "level": 55, "noise": 3, "ar": 0.95},
    {"name": "load", "type": "series", "entity": "sensor", "walk": "additive", "noise": 0.2, "min": 0},
    {"name": "close", "type": "series", "entity": "sensor", "walk": "geometric", "level": 100, "noise": 0.01},
    {"name": "open", "type": "ohlc", "part": "open", "close": "close"},
    {"name": "high", "type": "ohlc", "part": "high", "close": "close", "open": "open"},
    {"name": "low", "type": "ohlc", "part": "low", "close": "close", "open": "open"},
    {"name": "volume", "type": "integer", "min": 0, "max": 100000, "distribution": "lognormal", "mean": 2000},
]}
TABLES = {"finance": SCHEMA, "geography": GEO_SCHEMA, "series": SERIES_SCHEMA}

# Related tables: customers → orders → order items, keys from parent row numbers, each order's
# date after its customer's signup, its total the sum of its items' line totals.
DATASET = """\
dataset: shop
table customers:
  columns:
    customer_id: id unique
    name: full_name
    email: email derive_from=name
    country: country
    signup_date: date start=2018-01-01 end=2025-06-30
    segment: category values=[consumer, "small business", enterprise] weights=[70, 22, 8]
table orders:
  columns:
    order_id: id unique
    signup_date: date
    order_date: datetime after=signup_date max_gap=87600h start=2018-01-01 end="2025-12-31 23:59:59"
    status: order_status
    payment_method: payment_method
    total: money
    items: integer
table order_items:
  columns:
    item_id: id unique
    product: product_name
    quantity: quantity
    unit_price: money min=2 max=500 distribution=lognormal mean=40
    line_total: formula expr="quantity * unit_price" decimals=2
relations:
  orders.customer_id -> customers each 1-8
  order_items.order_id -> orders each 1-5
derived:
  orders.signup_date = customers.signup_date hidden
  orders.total = sum order_items.line_total
  orders.items = count order_items
"""


def dataset_rows(items: int) -> dict[str, int]:
    """Rows per table for ``items`` order items: 2.5 items per order, 4 orders per customer."""
    orders = max(1, int(items / 2.5))
    return {"customers": max(1, orders // 4), "orders": orders, "order_items": items}


def synth_dataset(items: int, seed: int = 42, schema: Any = None):
    from synth_magic.dataset import DatasetSchema

    return (schema or DatasetSchema.from_text(DATASET)).generate(dataset_rows(items), seed=seed)


def synth_schema(table: str = "finance"):
    from synth_magic.schema import Schema

    return Schema.from_dict(TABLES[table])


def synth_magic(rows: int, seed: int = 42, schema: Any = None):
    return (schema or synth_schema()).generate(rows, seed=seed)


# ----------------------------------------------------------------------- timing

def timed(fn: Callable[[], Any], repeats: int) -> tuple[float, float, Any]:
    """Median wall time and median CPU time of ``repeats`` calls, and the last result.

    CPU time (this process, all threads) is the steadier number on a shared machine:
    other people's work stretches wall time but not the CPU seconds a run needs.
    """
    walls, cpus, result = [], [], None
    for _ in range(repeats):
        result = None  # let the previous frame go before the next run
        t, c = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus), result


def child(code: str, timeout: float = 900) -> dict[str, Any]:
    """Run ``code`` in a fresh interpreter (this checkout's package first); it prints JSON."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), str(HERE)])}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         timeout=timeout, check=False)
    if out.returncode:
        raise RuntimeError(f"benchmark child failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def cold_run(rows: int) -> dict[str, Any]:
    """A fresh process: everything from ``import synth_magic`` to the first frame.

    Split into the one-time imports (numpy, pyarrow, pandas: usually already loaded in a
    notebook), building the schema, reading the locale's pools (a one-row frame: from the
    pool cache, or built with Faker the first time on a machine), the first frame (its
    memory touched for the first time) and a second frame.
    """
    return child(f"""
import json, time
t0 = time.perf_counter()
import synth_magic
import numpy, pyarrow, pandas
t1 = time.perf_counter()
from bench import synth_schema
s = synth_schema()
t2 = time.perf_counter()
s.generate(1, seed=42)
t3 = time.perf_counter()
s.generate({rows}, seed=42)
t4 = time.perf_counter()
s.generate({rows}, seed=42)
t5 = time.perf_counter()
print(json.dumps({{"imports": t1 - t0, "schema": t2 - t1, "pools": t3 - t2, "first": t4 - t3,
                   "second": t5 - t4, "total": t4 - t0}}))
""")


def memory_run(rows: int) -> dict[str, Any]:
    """Peak memory of generating ``rows`` rows (pools already built), in a fresh process.

    Three views: the growth of the process' resident set (sampled every 2 ms in a
    thread; it sees every allocator, Arrow's included), numpy/Python allocations seen
    by tracemalloc, and Arrow's own pool high-water mark.
    """
    return child(f"""
import gc, json, threading, time, tracemalloc
import pyarrow as pa
from bench import synth_schema, rss_bytes
s = synth_schema()
s.generate(20000, seed=1)  # build the pools first: they are not part of one frame
gc.collect()
base = rss_bytes()
arrow_base = pa.default_memory_pool().max_memory()
peak = [base]
done = threading.Event()
def sample():
    while not done.is_set():
        peak[0] = max(peak[0], rss_bytes())
        time.sleep(0.002)
t = threading.Thread(target=sample, daemon=True)
t.start()
df = s.generate({rows}, seed=42)
done.set(); t.join()
peak[0] = max(peak[0], rss_bytes())
frame = int(df.memory_usage(deep=True).sum())
del df
gc.collect()
tracemalloc.start()
df = s.generate({rows}, seed=42)
traced = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
print(json.dumps({{"rss_peak_growth": peak[0] - base, "frame": frame, "tracemalloc_peak": traced,
                   "arrow_max": pa.default_memory_pool().max_memory() - arrow_base,
                   "arrow_backend": pa.default_memory_pool().backend_name}}))
""")


def stream_run(rows: int) -> dict[str, Any]:
    """``rows`` rows streamed to CSV with frames() + save_frames (what ``synth -o`` does):
    time and peak RSS growth, which should not grow with the row count."""
    return child(f"""
import json, os, tempfile, threading, time
from bench import synth_schema, rss_bytes
from synth_magic.generate import frames
from synth_magic.export import save_frames
s = synth_schema()
s.generate(20000, seed=1)
base = rss_bytes(); peak = [base]; done = threading.Event()
def sample():
    while not done.is_set():
        peak[0] = max(peak[0], rss_bytes()); time.sleep(0.002)
t = threading.Thread(target=sample, daemon=True); t.start()
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "stream.csv")
    t0 = time.perf_counter()
    save_frames(frames(s.resolve(), {rows}, seed=42), path)
    secs = time.perf_counter() - t0
    size = os.path.getsize(path)
done.set(); t.join()
print(json.dumps({{"seconds": secs, "rss_peak_growth": peak[0] - base, "bytes": size}}))
""")


def csv_run(rows: int, repeats: int) -> dict[str, Any]:
    """CSV (and Parquet) writing of the ``rows``-row frame through synth_magic.export.save."""
    return child(f"""
import json, os, statistics, tempfile, time
from bench import synth_schema
from synth_magic.export import save
df = synth_schema().generate({rows}, seed=42)
out = {{}}
with tempfile.TemporaryDirectory() as tmp:
    for suffix in (".csv", ".parquet"):
        path = os.path.join(tmp, "frame" + suffix)
        times = []
        for _ in range({repeats}):
            t = time.perf_counter(); save(df, path); times.append(time.perf_counter() - t)
        out[suffix] = {{"seconds": statistics.median(times), "bytes": os.path.getsize(path)}}
print(json.dumps(out))
""")


def import_time(repeats: int) -> dict[str, float]:
    """Best wall time of ``python -c "import synth_magic"`` and of ``python -c pass``."""
    env = {**os.environ, "PYTHONPATH": str(SRC)}

    def best(code: str) -> float:
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], env=env, check=True)
            times.append(time.perf_counter() - t)
        return min(times)

    return {"import synth_magic": best("import synth_magic"), "python -c pass": best("pass")}


def cli_cold(repeats: int) -> dict[str, float]:
    """``synth "finance transactions" --rows 1000 -o x.csv`` in fresh processes against
    ``python -c "import pandas"``: medians of wall time and of the child's CPU time.

    The cache folder is new, filled by one first run (timed too: it plans the schema and
    builds the pools with Faker), so the timed runs are what every later run costs.
    """
    import resource
    import tempfile

    def once(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PYTHONPATH": str(SRC), "SYNTH_CACHE_DIR": str(Path(tmp) / "cache")}
        env.pop("OPENAI_API_KEY", None), env.pop("OPENAI_BASE_URL", None)
        cli = [sys.executable, "-m", "synth_magic", "finance transactions", "--rows", "1000", "--seed", "1",
               "-o", str(Path(tmp) / "x.csv")]
        first_wall, first_cpu = once(cli, env)
        runs = {"cli": [], "pandas": []}
        for _ in range(repeats):  # interleaved: the machine's load falls on both alike
            runs["cli"].append(once(cli, env))
            runs["pandas"].append(once([sys.executable, "-c", "import pandas"], env))
    med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in runs.items()}
    return {"cli_wall": med["cli"][0], "cli_cpu": med["cli"][1], "pandas_wall": med["pandas"][0],
            "pandas_cpu": med["pandas"][1], "first_wall": first_wall, "first_cpu": first_cpu,
            "ratio_wall": med["cli"][0] / med["pandas"][0], "ratio_cpu": med["cli"][1] / med["pandas"][1]}


def threads_run(rows: int, repeats: int, schema: Any) -> dict[str, Any]:
    """The warm frame with one thread and with every core (SYNTH_THREADS), in this process."""
    from synth_magic._inputs import threads

    saved = os.environ.pop("SYNTH_THREADS", None)
    cores = threads()
    out: dict[str, Any] = {"cores": cores}
    frames = {}
    try:
        for n in sorted({1, cores}):
            os.environ["SYNTH_THREADS"] = str(n)
            secs, cpu, frames[n] = timed(lambda: synth_magic(rows, schema=schema), repeats)
            out[n] = {"seconds": secs, "rows_per_s": rows / secs, "rows_per_cpu_s": rows / cpu}
    finally:
        os.environ.pop("SYNTH_THREADS", None)
        if saved is not None:
            os.environ["SYNTH_THREADS"] = saved
    out["identical"] = same_frame(frames[1], frames[cores])
    out["speedup"] = out[cores]["rows_per_s"] / out[1]["rows_per_s"]
    return out


def same_frame(a: Any, b: Any) -> bool:
    """Equal columns, dtypes and values (categoricals by categories and codes: fast)."""
    import pandas as pd

    if list(a.columns) != list(b.columns) or not a.index.equals(b.index):
        return False
    for name in a.columns:
        x, y = a[name], b[name]
        if x.dtype != y.dtype:
            return False
        if isinstance(x.dtype, pd.CategoricalDtype):
            if not (x.cat.categories.equals(y.cat.categories) and x.cat.codes.equals(y.cat.codes)):
                return False
        elif not x.equals(y):
            return False
    return True


def small_frame(repeats: int, schema: Any) -> dict[str, float]:
    """Median wall and CPU time of a warm 1,000-row frame (what one `synth serve` request makes)."""
    secs, cpu, _ = timed(lambda: synth_magic(1000, schema=schema), repeats)
    return {"seconds": secs, "cpu": cpu}


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


# ----------------------------------------------------------------------- machine

def machine() -> dict[str, str]:
    import importlib.metadata as md

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), cpu)
    except OSError:
        pass
    versions = []
    for pkg in ("numpy", "pandas", "pyarrow", "faker", "mimesis", "seedfaker"):
        try:
            versions.append(f"{pkg} {md.version(pkg)}")
        except md.PackageNotFoundError:
            versions.append(f"{pkg} -")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return {"cpus": str(os.cpu_count()), "cpu": cpu, "python": platform.python_version(),
            "versions": ", ".join(versions), "load": load,
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


# ----------------------------------------------------------------------- report

def fmt_rate(x: float | None) -> str:
    return "-" if x is None else f"{x:,.0f}"


def mib(n: float) -> str:
    return f"{n / 2**20:,.0f} MiB"


def cell(row: dict[str, Any], name: str) -> str:
    if name not in row:
        return "-"
    return fmt_rate(row[name]["rows_per_s"]) + ("*" if row[name].get("extrapolated") else "")


def ratio(row: dict[str, Any], name: str) -> str:
    return f"{row[f'x_{name}']:,.0f}x" if f"x_{name}" in row else "-"


def run(args: argparse.Namespace) -> dict[str, Any]:
    info = machine()
    print(f"machine: {info['cpus']} CPUs, {info['cpu']}, Python {info['python']}")
    print(f"         {info['versions']}")
    print(f"         load average before: {info['load']}")
    results: dict[str, Any] = {"machine": info, "sizes": {}}

    schema = synth_schema()
    synth_magic(20_000, schema=schema)  # warm: pools built once per process and locale
    peers = [("faker", "Faker loop", faker_loop, args.faker_max), ("mimesis", "Mimesis", mimesis_fieldset, args.mimesis_max)]
    try:
        import seedfaker  # noqa: F401
        peers += [("seedfaker", "seedfaker rec", seedfaker_records, args.seedfaker_max),
                  ("seedfaker_df", "seedfaker df", seedfaker_frame, args.seedfaker_max)]
    except ImportError:
        print("seedfaker is not installed (pip install -e '.[dev]'): left out")
    names = [p[0] for p in peers]
    peak_rate: dict[str, tuple[float, float] | None] = dict.fromkeys(names)
    print()
    print(f"{'rows':>10} " + " ".join(f"{label:>13}" for _, label, _, _ in peers)
          + f" {'synth warm':>12} {'synth cold':>12} " + " ".join(f"{'x ' + short:>10}" for short in SHORT[:len(peers)])
          + f"   (rows/s, median of {args.repeats})")
    for rows in args.sizes:
        row: dict[str, Any] = {}
        for name, _, fn, limit in peers:
            if rows <= limit:
                secs, cpu, _ = timed(lambda fn=fn, rows=rows: fn(rows), args.repeats if rows < limit else 1)
                row[name] = {"seconds": secs, "rows_per_s": rows / secs, "rows_per_cpu_s": rows / cpu,
                             "extrapolated": False}
                peak_rate[name] = (rows / secs, rows / cpu)
            elif peak_rate[name] is not None:
                wall_rate, cpu_rate = peak_rate[name]
                row[name] = {"seconds": rows / wall_rate, "rows_per_s": wall_rate, "rows_per_cpu_s": cpu_rate,
                             "extrapolated": True}
        secs, cpu, df = timed(lambda rows=rows: synth_magic(rows, schema=schema), args.repeats)
        assert len(df) == rows and list(df.columns) == [c["name"] for c in SCHEMA["columns"]]
        del df
        row["synth_warm"] = {"seconds": secs, "rows_per_s": rows / secs, "rows_per_cpu_s": rows / cpu}
        if not args.no_cold:
            colds = [cold_run(rows) for _ in range(args.repeats)]
            cold = {k: statistics.median(c[k] for c in colds) for k in colds[0]}
            row["synth_cold"] = {"seconds": cold["total"], "rows_per_s": rows / cold["total"], **cold}
        warm = row["synth_warm"]["rows_per_s"]
        for name in names:
            if name in row:
                row[f"x_{name}"] = warm / row[name]["rows_per_s"]
                row[f"x_{name}_cpu"] = row["synth_warm"]["rows_per_cpu_s"] / row[name]["rows_per_cpu_s"]
        results["sizes"][rows] = row
        print(f"{rows:>10,} " + " ".join(f"{cell(row, n):>13}" for n in names)
              + f" {cell(row, 'synth_warm'):>12} {cell(row, 'synth_cold'):>12} "
              + " ".join(f"{ratio(row, n):>10}" for n in names), flush=True)
    print("  * extrapolated: the peer's rows/s at the largest size it ran")
    print("  per CPU second (per-core efficiency, steadier under load):")
    for r, v in results["sizes"].items():
        print(f"    {r:>10,}: " + ", ".join(f"{label} {fmt_rate(v[n]['rows_per_cpu_s']) if n in v else '-'}"
                                         for n, label, _, _ in peers)
              + f", synth {fmt_rate(v['synth_warm']['rows_per_cpu_s'])} ("
              + ", ".join(f"{v[f'x_{n}_cpu']:,.1f}x {label}" for n, label, _, _ in peers if f"x_{n}_cpu" in v) + ")")
    for r, v in results["sizes"].items():
        if "synth_cold" in v:
            c = v["synth_cold"]
            print(f"  cold {r:,} rows (fresh process, from `import synth_magic` to the frame): {c['total']:.2f} s ="
                  f" imports of numpy/pyarrow/pandas {c['imports']:.2f} s + schema {c['schema']:.2f} s"
                  f" + pools {c['pools']:.2f} s + the frame {c['first']:.2f} s (a second one:"
                  f" {c['second']:.2f} s)")
    big = max(args.sizes)
    thr = threads_run(big, args.repeats, schema)
    results["threads"] = thr
    cores = thr["cores"]
    print(f"threads at {big:,} rows warm: 1 thread {fmt_rate(thr[1]['rows_per_s'])} rows/s"
          f" ({fmt_rate(thr[1]['rows_per_cpu_s'])} per CPU second); {cores} threads"
          f" {fmt_rate(thr[cores]['rows_per_s'])} rows/s ({fmt_rate(thr[cores]['rows_per_cpu_s'])} per CPU second):"
          f" {thr['speedup']:.2f}x; the same frame: {'yes' if thr['identical'] else 'NO'}", flush=True)
    small = small_frame(max(20, args.repeats), schema)
    results["small_frame"] = small
    print(f"a 1,000-row frame warm (one `synth serve` request's rows): {small['seconds'] * 1000:.1f} ms"
          f" ({small['cpu'] * 1000:.1f} ms CPU)", flush=True)
    for table in ("geography", "series"):
        other = synth_schema(table)
        synth_magic(20_000, schema=other)
        secs, cpu, df = timed(lambda other=other: synth_magic(big, schema=other), args.repeats)
        assert len(df) == big and df.shape[1] == 10
        del df
        results.setdefault("tables", {})[table] = {"rows": big, "rows_per_s": big / secs, "rows_per_cpu_s": big / cpu}
        print(f"{table} table (10 columns), {big:,} rows warm: {fmt_rate(big / secs)} rows/s"
              f" ({fmt_rate(big / cpu)} per CPU second)", flush=True)
    from synth_magic.dataset import DatasetSchema

    shop = DatasetSchema.from_text(DATASET)
    synth_dataset(20_000, schema=shop)
    secs, cpu, ds = timed(lambda: synth_dataset(big, schema=shop), args.repeats)
    sizes = {name: len(df) for name, df in ds.items()}
    assert sizes == dataset_rows(big) and ds["order_items"]["order_id"].isin(ds["orders"]["order_id"]).all()
    del ds
    children = sizes["orders"] + sizes["order_items"]
    results["dataset"] = {"rows": sizes, "seconds": secs, "child_rows_per_s": children / secs,
                          "items_per_s": sizes["order_items"] / secs, "rows_per_cpu_s": sum(sizes.values()) / cpu,
                          "x_finance_table": (sum(sizes.values()) / secs) / results["sizes"][big]["synth_warm"]["rows_per_s"]
                          if big in results["sizes"] else None}
    d = results["dataset"]
    print(f"dataset customers {sizes['customers']:,} / orders {sizes['orders']:,} / order items "
          f"{sizes['order_items']:,} warm: {secs:.2f} s = {fmt_rate(d['child_rows_per_s'])} child rows/s"
          f" ({fmt_rate(d['items_per_s'])} items/s; all rows {fmt_rate(d['rows_per_cpu_s'])} per CPU second"
          + (f"; {d['x_finance_table']:.2f}x the finance table's rows/s)" if d["x_finance_table"] else ")"), flush=True)
    if not args.no_memory:
        mem = memory_run(big)
        results["memory"] = mem
        print(f"\nmemory at {big:,} rows: peak RSS growth while generating {mib(mem['rss_peak_growth'])}"
              f" = {mem['rss_peak_growth'] / mem['frame']:.2f}x the frame's own {mib(mem['frame'])}"
              f" (memory_usage(deep=True));")
        print(f"  tracemalloc peak (numpy + Python) {mib(mem['tracemalloc_peak'])},"
              f" Arrow pool high-water {mib(mem['arrow_max'])} ({mem['arrow_backend']})")
    if not args.no_csv:
        out = csv_run(big, args.repeats)
        results["write"] = out
        for suffix, v in out.items():
            print(f"write {suffix:8s} {big:,} rows: {v['seconds']:.2f} s = {fmt_rate(big / v['seconds'])} rows/s,"
                  f" {v['bytes'] / 2**20:,.0f} MiB (synth_magic.export.save)")
    if not args.no_csv and not args.no_memory:
        for rows in sorted({big, 4 * big}):
            out = stream_run(rows)
            results.setdefault("stream", {})[rows] = out
            print(f"stream {rows:,} rows to CSV (frames() + save_frames): {out['seconds']:.2f} s ="
                  f" {fmt_rate(rows / out['seconds'])} rows/s, peak RSS growth {mib(out['rss_peak_growth'])}")
    imp = import_time(args.import_repeats)
    results["import"] = imp
    print(f"python -c 'import synth_magic': {imp['import synth_magic']:.3f} s"
          f" (python -c pass: {imp['python -c pass']:.3f} s), best of {args.import_repeats}")
    cli = cli_cold(args.import_repeats)
    results["cli_cold"] = cli
    print(f"cold CLI `synth \"finance transactions\" --rows 1000 -o x.csv`: {cli['cli_wall']:.2f} s"
          f" ({cli['cli_cpu']:.2f} s CPU) = {cli['ratio_wall']:.2f}x `python -c \"import pandas\"`"
          f" {cli['pandas_wall']:.2f} s ({cli['ratio_cpu']:.2f}x its {cli['pandas_cpu']:.2f} s CPU),"
          f" medians of {args.import_repeats}; the very first run (planning, pools built with Faker):"
          f" {cli['first_wall']:.2f} s")
    targets(results, big)
    info_after = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    results["machine"]["load_after"] = info_after
    print(f"load average after: {info_after}")
    return results


def targets(results: dict[str, Any], big: int) -> None:
    """Every figure issue 20 asks for, next to its target (wall and per CPU second)."""
    row = results["sizes"].get(big, {})
    warm = row.get("synth_warm", {})
    lines = [("warm rows/s at " + f"{big:,}", f"{fmt_rate(warm.get('rows_per_s'))}"
              f" ({fmt_rate(warm.get('rows_per_cpu_s'))} per CPU second)", ">= 4,000,000")]
    for name, label, goal in (("seedfaker", "x seedfaker (records)", ">= 12x"), ("faker", "x the Faker loop", ">= 500x"),
                              ("mimesis", "x Mimesis", "-"), ("seedfaker_df", "x seedfaker (DataFrame)", "-")):
        if f"x_{name}" in row:
            lines.append((label, f"{row[f'x_{name}']:,.1f}x ({row[f'x_{name}_cpu']:,.1f}x per CPU second)", goal))
    if "cli_cold" in results:
        c = results["cli_cold"]
        lines.append(("cold 1,000-row CLI / import pandas", f"{c['ratio_wall']:.2f}x ({c['ratio_cpu']:.2f}x CPU)", "< 1.6x"))
    if "memory" in results:
        m = results["memory"]
        lines.append(("peak memory / frame", f"{m['rss_peak_growth'] / m['frame']:.2f}x", "<= 1.5x"))
    if "threads" in results:
        t = results["threads"]
        lines.append((f"1 vs {t['cores']} threads", f"{'identical' if t['identical'] else 'DIFFERENT'},"
                      f" speed-up {t['speedup']:.2f}x", "identical"))
    print(f"\ntargets (load average now {', '.join(f'{x:.2f}' for x in os.getloadavg())}):")
    for what, got, goal in lines:
        print(f"  {what:<38} {got:<44} target {goal}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--faker-max", type=int, default=10_000, help="largest size for the Faker loop")
    parser.add_argument("--mimesis-max", type=int, default=100_000, help="largest size for Mimesis")
    parser.add_argument("--seedfaker-max", type=int, default=100_000, help="largest size for seedfaker")
    parser.add_argument("--import-repeats", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="2k/20k rows, one repeat: a smoke run")
    parser.add_argument("--no-cold", action="store_true", help="skip fresh-process (cold) runs")
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument("--no-csv", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.repeats, args.import_repeats = [2_000, 20_000], 1, 3
        args.faker_max, args.mimesis_max, args.seedfaker_max = 2_000, 20_000, 20_000
    args.sizes = sorted(args.sizes)
    results = run(args)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())

