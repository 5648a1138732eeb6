"""A dataset on the dask engine against the local one: the same related tables to Parquet.

    python bench/bench_dask_dataset.py                       # 200,000 customers, 2 local workers
    python bench/bench_dask_dataset.py --customers 20000     # a smoke run

The customers → orders → order items dataset of ``bench/bench.py`` (``DATASET``: keys, an
order date after the customer's signup date, totals and counts from the items), seed 42,
the customers' rows given (the orders' and items' come from the counts per parent):

  (a) local: ``api.run(schema, customers, save="local/")``, what ``synth -o local/`` does
      (the tables in memory, one Parquet file each);
  (b) dask: ``api.run(schema, customers, engine="dask", save="parts/", keep=False)``, what
      ``synth --engine dask -o parts/`` does, on a local cluster of ``--workers`` worker
      processes started here (its start-up timed apart).

Reported: wall and CPU seconds of each (the workers' CPU from ``time.process_time`` in each),
rows per CPU second, the speed-up, whether every table read back is the same, and the load
average before and after (the machine may be shared: compare the two in the same run).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench import DATASET  # noqa: E402  (puts this checkout first on the path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=200_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    import distributed
    import pandas as pd

    from synth_magic import _dask, api
    from synth_magic.dataset import DatasetSchema

    schema = DatasetSchema.from_text(DATASET)
    load_before = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    folder = Path(tempfile.mkdtemp(prefix="bench-dask-dataset-"))
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        local = api.run(schema, args.customers, seed=42, save=f"{folder / 'local.parquet'}/")
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        rows = local.rows
        started = time.perf_counter()
        with _dask.local_cluster(args.workers) as cluster, distributed.Client(cluster) as client:
            startup = time.perf_counter() - started
            before = client.run(time.process_time)
            dwall, dcpu_client = time.perf_counter(), time.process_time()
            result = api.run(schema, args.customers, seed=42, engine="dask", save=folder / "parts", keep=False)
            dwall, dcpu_client = time.perf_counter() - dwall, time.process_time() - dcpu_client
            after = client.run(time.process_time)
        dcpu = sum(after[w] - before[w] for w in before)
        same = result.rows == rows and all(
            pd.read_parquet(folder / "parts" / name).reset_index(drop=True).equals(
                pd.read_parquet(folder / "local.parquet" / f"{name}.parquet").reset_index(drop=True))
            for name in local.frame)
        parts = {name: len(list((folder / "parts" / name).iterdir())) for name in local.frame}
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    sizes = ", ".join(f"{name} {len(df):,}" for name, df in local.frame.items())
    print(f"{rows:,} rows ({sizes}) to Parquet, seed 42:\n")
    print("| run | wall s | rows/s | speed-up | CPU s | rows per CPU s |\n|---|---:|---:|---:|---:|---:|")
    print(f"| local (`synth -o shop/`) | {wall:.1f} | {rows / wall:,.0f} | 1.00× | {cpu:.1f} | {rows / cpu:,.0f} |")
    print(f"| dask, {args.workers} local workers (`synth --engine dask -o shop/`) | {dwall:.1f} | {rows / dwall:,.0f} "
          f"| {wall / dwall:.2f}× | {dcpu:.1f} workers + {dcpu_client:.1f} client | {rows / dcpu:,.0f} |")
    print(f"\nParts per table: {parts}. Cluster start-up (not in the wall time): {startup:.1f} s.")
    print(f"Same tables: {'yes' if same else 'NO'}. Load average before {load_before}, after "
          f"{', '.join(f'{x:.2f}' for x in os.getloadavg())} ({len(os.sched_getaffinity(0))} CPUs).")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
