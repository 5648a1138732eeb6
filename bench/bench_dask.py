"""The dask engine against the single-process stream: one big Parquet write, both ways.

    python bench/bench_dask.py                      # 100M rows, 2 local workers (about 5 minutes)
    python bench/bench_dask.py --rows 4000000       # a smoke run
    python bench/bench_dask.py --json bench/results/dask-run1.json

The 10-column finance table of ``bench/bench.py`` (``synth_schema()``), with seed 42:

  (a) local: ``api.run(schema, rows, save="local.parquet", keep=False)``, what
      ``synth -o local.parquet`` does: frames of 131,072 rows streamed into one file;
  (b) dask: ``api.run(schema, rows, engine="dask", save="parts/", keep=False)``, what
      ``synth --engine dask -o parts/`` does, on the local cluster it starts
      (``_dask.local_cluster``) with ``--workers`` worker processes of one thread each,
      started here (its start-up is timed apart).

Reported: wall time and rows/s of each, the speed-up, rows/s per worker and per CPU second
of the workers (``time.process_time`` in each worker, which other people's work on a
shared machine stretches less than wall time), the size of the files, the size of the
pickled task graph at this row count and at ten times it, and a check that the first part
holds the local file's first rows and that both hold ``rows`` rows. The load average before
and after says how busy the machine was.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench import machine, synth_schema  # noqa: E402  (puts this checkout first on the path)


def size(path: Path) -> int:
    return path.stat().st_size if path.is_file() else sum(p.stat().st_size for p in path.iterdir())


def local_run(schema: Any, rows: int, folder: Path) -> dict[str, Any]:
    from synth_magic import api

    out = folder / "local.parquet"
    wall, cpu = time.perf_counter(), time.process_time()
    api.run(schema, rows, seed=42, save=out, keep=False)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"seconds": wall, "cpu_seconds": cpu, "rows_per_s": rows / wall, "bytes": size(out), "path": str(out)}


def dask_run(schema: Any, rows: int, workers: int, folder: Path) -> dict[str, Any]:
    import distributed

    from synth_magic import _dask, api

    started = time.perf_counter()
    with _dask.local_cluster(workers) as cluster, distributed.Client(cluster) as client:  # what synth starts
        startup = time.perf_counter() - started
        before = client.run(time.process_time)
        out = folder / "parts"
        wall = time.perf_counter()
        api.run(schema, rows, seed=42, engine="dask", save=out, keep=False)
        wall = time.perf_counter() - wall
        after = client.run(time.process_time)
    worker_cpu = sum(after[w] - before[w] for w in before)
    parts = sorted(out.iterdir())
    return {"seconds": wall, "startup_seconds": startup, "worker_cpu_seconds": worker_cpu,
            "rows_per_s": rows / wall, "rows_per_s_with_startup": rows / (wall + startup),
            "rows_per_s_per_worker": rows / wall / workers, "rows_per_cpu_s": rows / worker_cpu,
            "parts": len(parts), "bytes": size(out), "path": str(out)}


def graph_bytes(schema: Any, rows: int, npartitions: int | None = None) -> dict[str, int]:
    from synth_magic import _dask

    lazy = _dask.frame(schema.resolve(), rows, 42, npartitions=npartitions)
    return {"rows": rows, "partitions": lazy.npartitions, "bytes": len(pickle.dumps(dict(lazy.__dask_graph__())))}


def same_rows(local: Path, parts: Path, rows: int) -> bool:
    """Both hold ``rows`` rows, and the first part equals the local file's first rows."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    files = sorted(parts.iterdir())
    if pq.ParquetFile(local).metadata.num_rows != rows or sum(pq.ParquetFile(f).metadata.num_rows
                                                                for f in files) != rows:
        return False
    first = pd.read_parquet(files[0])
    batches, have = [], 0
    for batch in pq.ParquetFile(local).iter_batches(batch_size=65536):
        batches.append(batch)
        have += batch.num_rows
        if have >= len(first):
            break
    head = pa.Table.from_batches(batches).slice(0, len(first)).to_pandas()
    return first.equals(head)


def report(r: dict[str, Any]) -> str:
    loc, dsk = r["local"], r["dask"]
    rows, workers = r["rows"], r["workers"]
    lines = [
        f"{rows:,} rows of the 10-column finance table to Parquet, seed 42:", "",
        "| run | wall s | rows/s | speed-up | rows/s per worker | rows per CPU s | files |",
        "|---|---:|---:|---:|---:|---:|---:|",
        f"| single-process stream (`synth -o x.parquet`) | {loc['seconds']:,.1f} | {loc['rows_per_s']:,.0f} | 1.00× "
        f"| – | {rows / loc['cpu_seconds']:,.0f} | 1 file, {loc['bytes'] / 2**30:,.2f} GiB |",
        f"| dask, {workers} local workers (`synth --engine dask -o parts/`) | {dsk['seconds']:,.1f} "
        f"| {dsk['rows_per_s']:,.0f} | {dsk['rows_per_s'] / loc['rows_per_s']:.2f}× "
        f"| {dsk['rows_per_s_per_worker']:,.0f} | {dsk['rows_per_cpu_s']:,.0f} "
        f"| {dsk['parts']} parts, {dsk['bytes'] / 2**30:,.2f} GiB |",
        "",
        f"Cluster start-up (not in the wall time above): {dsk['startup_seconds']:.1f} s; with it, "
        f"{dsk['rows_per_s_with_startup']:,.0f} rows/s "
        f"({dsk['rows_per_s_with_startup'] / loc['rows_per_s']:.2f}×).",
        "Task graph (pickled): " + "; ".join(f"{g['rows']:,} rows in {g['partitions']} partitions: "
                                             f"{g['bytes']:,} bytes" for g in r["graphs"]) + ".",
        f"Same rows: {'yes' if r['same_rows'] else 'NO'} (row counts, and the first part against the "
        "local file's first rows).",
        f"Machine: {r['machine']['cpus']} CPUs ({r['machine']['cpu']}), Python {r['machine']['python']}, "
        f"{r['machine']['versions']}, dask {r['dask_version']}; {r['machine']['date']}; load average "
        f"before {r['machine']['load']}, after {r['load_after']}.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--dir", default=None, help="where the files go (default: a temporary folder)")
    parser.add_argument("--json", default=None, help="also write the results to this file")
    args = parser.parse_args(argv)
    import dask

    schema = synth_schema()
    info = machine()
    folder = Path(tempfile.mkdtemp(prefix="bench-dask-", dir=args.dir))
    try:
        local = local_run(schema, args.rows, folder)
        print(f"local: {local['seconds']:.1f} s", file=sys.stderr)
        dsk = dask_run(schema, args.rows, args.workers, folder)
        print(f"dask: {dsk['seconds']:.1f} s", file=sys.stderr)
        same = same_rows(Path(local["path"]), Path(dsk["path"]), args.rows)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    graphs = [graph_bytes(schema, args.rows), graph_bytes(schema, 10 * args.rows),
              graph_bytes(schema, args.rows, npartitions=16), graph_bytes(schema, 10 * args.rows, npartitions=16)]
    result = {"rows": args.rows, "workers": args.workers, "local": local, "dask": dsk, "graphs": graphs,
              "same_rows": same, "machine": info, "dask_version": dask.__version__,
              "load_after": ", ".join(f"{x:.2f}" for x in os.getloadavg())}
    print(report(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
