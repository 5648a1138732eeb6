"""Medians of several ``bench.py --json`` runs as the Markdown tables of the README.

    python bench/bench.py --json run1.json   # a few times
    python bench/report.py run1.json run2.json run3.json
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path
from typing import Any


def median(values: list[float]) -> float:
    return statistics.median(values)


def rate(x: float) -> str:
    return f"{x:,.0f}"


def report(runs: list[dict[str, Any]]) -> str:
    sizes = sorted({int(k) for run in runs for k in run["sizes"]})
    lines = [
        "| rows | Faker row loop | Mimesis Fieldset | synth-magic warm | synth-magic cold | × Faker | × Mimesis |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size in sizes:
        rows = [run["sizes"][str(size)] for run in runs if str(size) in run["sizes"]]

        def cell(name: str, rows: list[dict[str, Any]] = rows) -> str:
            got = [r[name] for r in rows if name in r]
            if not got:
                return "–"
            mark = "*" if got[0].get("extrapolated") else ""
            return rate(median([g["rows_per_s"] for g in got])) + mark

        def ratio(name: str, rows: list[dict[str, Any]] = rows) -> str:
            got = [r[f"x_{name}"] for r in rows if f"x_{name}" in r]
            return f"{median(got):,.0f}×" if got else "–"

        lines.append(f"| {size:,} | {cell('faker')} | {cell('mimesis')} | {cell('synth_warm')} |"
                     f" {cell('synth_cold')} | {ratio('faker')} | {ratio('mimesis')} |")
    lines += ["", "Wall-clock rows/s, each the median of the runs' medians; * extrapolated from the peer's"
              " largest size (Faker 10k, Mimesis 100k rows).", "",
              "Per CPU second of the generating process (steadier than wall time on a shared machine):", "",
              "| rows | Faker row loop | Mimesis Fieldset | synth-magic warm | × Faker | × Mimesis |",
              "|---:|---:|---:|---:|---:|---:|"]
    for size in sizes:
        rows = [run["sizes"][str(size)] for run in runs if str(size) in run["sizes"]]

        def cpu(name: str, rows: list[dict[str, Any]] = rows) -> str:
            got = [r[name] for r in rows if name in r and "rows_per_cpu_s" in r[name]]
            if not got:
                return "–"
            return rate(median([g["rows_per_cpu_s"] for g in got])) + ("*" if got[0].get("extrapolated") else "")

        def xcpu(name: str, rows: list[dict[str, Any]] = rows) -> str:
            got = [r[f"x_{name}_cpu"] for r in rows if f"x_{name}_cpu" in r]
            return f"{median(got):,.0f}×" if got else "–"

        lines.append(f"| {size:,} | {cpu('faker')} | {cpu('mimesis')} | {cpu('synth_warm')} |"
                     f" {xcpu('faker')} | {xcpu('mimesis')} |")
    big = max(sizes)
    cold = [run["sizes"][str(big)]["synth_cold"] for run in runs if "synth_cold" in run["sizes"][str(big)]]
    out = ["\n".join(lines), ""]
    if cold:
        c = {k: median([x[k] for x in cold]) for k in cold[0]}
        out.append(f"Cold, {big:,} rows in a fresh process: {c['total']:.2f} s from `import synth_magic` to the"
                   f" frame = {c['imports']:.2f} s importing numpy, pyarrow, pandas and Faker +"
                   f" {c['schema']:.2f} s schema + {c.get('pools', 0):.2f} s building Faker pools +"
                   f" {c['first']:.2f} s the frame itself (a second frame in the same process:"
                   f" {c['second']:.2f} s).")
        out.append("")
    extra = ["| measure | result |", "|---|---|"]
    mem = [run["memory"] for run in runs if "memory" in run]
    if mem:
        growth = median([m["rss_peak_growth"] for m in mem])
        frame = median([m["frame"] for m in mem])
        extra.append(f"| peak memory generating {big:,} rows (RSS growth) | {growth / 2**20:,.0f} MiB ="
                     f" {growth / frame:.2f}× the frame's {frame / 2**20:,.0f} MiB |")
    for suffix in (".csv", ".parquet"):
        got = [run["write"][suffix] for run in runs if "write" in run]
        if got:
            secs = median([g["seconds"] for g in got])
            extra.append(f"| write {big:,} rows to {suffix} (`export.save`) | {secs:.2f} s = {rate(big / secs)} rows/s |")
    for rows in sorted({int(k) for run in runs for k in run.get("stream", {})}):
        got = [run["stream"][str(rows)] for run in runs if str(rows) in run.get("stream", {})]
        secs = median([g["seconds"] for g in got])
        peak = median([g["rss_peak_growth"] for g in got])
        extra.append(f"| stream {rows:,} rows to CSV (`frames` + `save_frames`) | {secs:.2f} s ="
                     f" {rate(rows / secs)} rows/s, peak RSS growth {peak / 2**20:,.0f} MiB |")
    imports = [run["import"]["import synth_magic"] for run in runs if "import" in run]
    if imports:
        bare = median([run["import"]["python -c pass"] for run in runs if "import" in run])
        extra.append(f"| `python -c \"import synth_magic\"` | {median(imports):.3f} s (bare interpreter {bare:.3f} s) |")
    out.append("\n".join(extra))
    m = runs[0]["machine"]
    loads = "; ".join(run["machine"]["load"] for run in runs)
    out.append("")
    out.append(f"Machine: {m['cpus']} CPUs ({m['cpu']}), Python {m['python']}, {m['versions']};"
               f" {len(runs)} runs on {m['date']}, load average before each run: {loads}"
               " (the machine was shared with other work).")
    return "\n".join(out)


def main(argv: list[str]) -> int:
    runs = [json.loads(Path(p).read_text()) for p in argv]
    if not runs:
        print(__doc__)
        return 2
    print(report(runs))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
