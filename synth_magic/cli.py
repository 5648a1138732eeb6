"""The ``synth`` command: parse, call the pipeline, present. Nothing else."""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections.abc import Sequence

from .errors import SynthError

EPILOG = """\
examples:
  synth "finance transactions" --rows 1000 --seed 42 -o transactions.csv
  synth "customers: name, email, country, lifetime value between 0 and 10000" --schema
  synth "server metrics every minute" --rows 5000000 -o metrics.parquet
  synth --from-schema schema.txt --rows 100

The planner is offline unless OPENAI_API_KEY or OPENAI_BASE_URL is set (environment or
.env); --planner chooses explicitly. Schemas are cached in SYNTH_CACHE_DIR.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="synth",
        description="Turn a sentence into a realistic synthetic table (CSV, Parquet or a preview).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("description", nargs="?", help="what the table holds, e.g. 'finance transactions'")
    parser.add_argument("-n", "--rows", help="number of rows (default: from the description, else 1000)")
    parser.add_argument("-s", "--seed", help="seed for a reproducible table")
    parser.add_argument("-l", "--locale", help="Faker locale for names and addresses, e.g. de_DE")
    parser.add_argument("-o", "--output", metavar="PATH", help="write a .csv or .parquet file")
    parser.add_argument("--planner", choices=["offline", "openai"], help="which planner to use")
    parser.add_argument("--model", help="model for the openai planner (default gpt-4o-mini)")
    parser.add_argument("--schema", action="store_true", help="print the planned schema as text and stop")
    parser.add_argument("--json", action="store_true", help="with --schema: print JSON instead of text")
    parser.add_argument("--from-schema", metavar="FILE", help="generate from a schema file (text or JSON form)")
    parser.add_argument("--no-csv-safety", action="store_true",
                        help="write text starting with = @ + - to CSV as it is (default: prefix with ')")
    parser.add_argument("--refresh", action="store_true", help="plan again instead of using the cache")
    parser.add_argument("--preview", type=int, default=5, metavar="N", help="rows to preview (default 5)")
    parser.add_argument("--types", action="store_true", help="list the column types and stop")
    parser.add_argument("--locales", action="store_true", help="list the supported locales and stop")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            code = _run(parser, args)
        for w in caught:
            print(f"synth: warning: {w.message}", file=sys.stderr)
        return code
    except SynthError as exc:
        print(f"synth: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("synth: interrupted; nothing was written.", file=sys.stderr)
        return 130


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if args.types:
        print(types_table())
        return 0
    if args.locales:
        from .pools import available_locales

        print(" ".join(available_locales()))
        return 0
    from . import api, config
    from .errors import InputError

    if args.from_schema:
        source = _read_schema_file(args.from_schema)
    elif args.description is not None:
        source = args.description
    else:
        parser.error("give a description, e.g. synth \"finance transactions\", or --from-schema FILE")
    planned = api.plan_with_source(source, planner=args.planner, model=args.model, locale=args.locale,
                                   refresh=args.refresh)
    schema = planned.schema
    if args.schema:
        print(schema.to_json(indent=2) if args.json else schema.to_text(), end="" if not args.json else "\n")
        return 0
    rows = config.check_rows(args.rows) if args.rows is not None else (schema.rows or config.DEFAULT_ROWS)
    seed = config.check_seed(args.seed)
    if args.preview < 0:
        raise InputError("--preview must be 0 or more.")
    started = time.perf_counter()
    if args.output:
        from .export import save_frames, target
        from .generate import frames, resolve_seed

        target(args.output)
        seed = resolve_seed(seed)
        first: list = []

        def stream():
            for frame in frames(schema, rows, seed=seed):
                if not first:
                    first.append(frame.head(args.preview))
                yield frame

        path = save_frames(stream(), args.output,
                           neutralise_formulas=False if args.no_csv_safety else None)
        preview = first[0] if first else None
    else:
        frame = schema.generate(rows, seed=seed)
        seed, path, preview = frame.attrs["synth"]["seed"], None, frame.head(args.preview)
    elapsed = time.perf_counter() - started + planned.seconds
    if preview is not None and args.preview:
        import pandas as pd

        with pd.option_context("display.width", 120, "display.max_columns", 12, "display.max_colwidth", 28):
            print(preview.to_string(index=False))
        print()
    line = f"{rows:,} rows × {len(schema.columns)} columns · schema from {planned.source} · seed {seed} · {elapsed:.2f} s"
    print(line + (f"\nwrote {path}" if path else ""))
    for note in schema.notes:
        print(f"note: {note}")
    return 0


def _read_schema_file(path: str):
    from .errors import InputError
    from .schema import Schema

    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read(1 << 20)
    except OSError as exc:
        raise InputError(f"Cannot read schema file '{path}': {exc.strerror or exc}.") from None
    return Schema.from_json(text) if text.lstrip().startswith("{") else Schema.from_text(text)


def types_table() -> str:
    """The catalogue as a table: type, group, dtype, parameters, meaning."""
    from .catalog import PANDAS_DTYPES, TYPES

    lines = []
    for spec in TYPES.values():
        params = ", ".join(p.name for p in spec.params) or "-"
        lines.append(f"{spec.name:<20} {spec.group:<12} {PANDAS_DTYPES[spec.kind]:<26} {params:<50} {spec.help}")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
