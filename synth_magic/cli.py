"""The ``synth`` command: parse, call the pipeline, present. Nothing else.

Its arguments are made from :data:`synth_magic.options.OPTIONS`, and every value is read
by the same parser the magic and the form use.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import signal
import sys
import threading
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from . import options
from ._present import PROGRESS_ROWS, preview_text
from ._present import types_table as _types_table
from .errors import SynthError

if TYPE_CHECKING:
    from .generate import Progress

__all__ = ["EPILOG", "build_parser", "cli_words", "main", "types_table"]

EPILOG = """\
examples:
  synth "finance transactions" --rows 1000 --seed 42 -o transactions.csv
  synth "customers: name, email, country, lifetime value between 0 and 10000" --schema
  synth "server metrics every minute" --rows 5M -o metrics.parquet
  synth "web sessions" --rows 10k -o - | gzip > sessions.csv.gz   # CSV on stdout, summary on stderr
  synth --from-schema schema.txt --rows 100
  synth serve --port 8000            # the REST service (pip install 'synth-magic[serve]')

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
    for o in options.on("cli"):
        if o.positional:
            parser.add_argument(o.name, nargs="?", help=o.help)
        elif o.flag:
            parser.add_argument(*o.cli_flags, dest=o.name, action="store_true", help=o.help)
        else:
            parser.add_argument(*o.cli_flags, dest=o.name, metavar=o.metavar, help=o.help)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["serve"]:  # `synth serve ...`: the REST service has its own parser
        try:
            from .server import main as serve
        except ModuleNotFoundError as exc:
            print(f"synth serve: error: {exc.name} is missing; pip install 'synth-magic[serve]'.", file=sys.stderr)
            return 2
        return serve(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    previous = _stop_on_signals()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            code = _run(parser, args)
        for w in caught:
            print(f"synth: warning: {cli_words(str(w.message))}", file=sys.stderr)
        return code
    except SynthError as exc:
        print(f"synth: error: {cli_words(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("synth: interrupted; nothing was written.", file=sys.stderr)
        return 130
    except _Stopped as stop:  # SIGTERM, SIGHUP: the file being written was removed on the way out
        print("synth: stopped; nothing was written.", file=sys.stderr)
        return 128 + stop.signum
    except BrokenPipeError:  # the reader went away (`synth --types | head`): stop quietly
        _silence_stdout()
        return 141
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


class _Stopped(BaseException):
    """A signal asked the command to stop (raised so that cleanup runs)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _stop_on_signals() -> dict[int, Any]:
    """SIGTERM and SIGHUP end the command like Ctrl-C does: through the cleanup, not around it."""

    def stop(signum: int, _frame: Any) -> None:
        raise _Stopped(signum)

    previous = {}
    for name in ("SIGTERM", "SIGHUP"):
        signum = signal.Signals.__members__.get(name)
        if signum is not None and threading.current_thread() is threading.main_thread():
            previous[signum] = signal.signal(signum, stop)
    return previous


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that flushing it at exit cannot raise again."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


# `planner='offline'`, `rows=1000` in a library message: the options as a command line writes them
_NAMES = sorted((o.name for o in options.on("cli") if not o.positional), key=len, reverse=True)
_OPTION_WRITTEN = re.compile(r"(?<![\w.%-])(?P<name>" + "|".join(_NAMES) + r")="
                             r"(?:'(?P<q1>[^']*)'|\"(?P<q2>[^\"]*)\"|(?P<bare>[\w$*/:-]+(?:\.\w+)*))")


def cli_words(message: str) -> str:
    """A message with option hints worded for the command line: ``planner='offline'`` →
    ``--planner offline``."""
    def spell(m: re.Match[str]) -> str:
        flag = options.option(m["name"]).cli_flags[-1]
        value = next(v for v in (m["q1"], m["q2"], m["bare"]) if v is not None)
        return f"{flag} {value}"

    return _OPTION_WRITTEN.sub(spell, message)


def _values(args: argparse.Namespace) -> dict[str, Any]:
    """The options given, each read by its parser (flags as they are)."""
    return {o.name: options.parse(o.name, getattr(args, o.name)) if not o.flag else getattr(args, o.name)
            for o in options.on("cli") if getattr(args, o.name) not in (None, False)}


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if args.types:
        print(types_table())
        return 0
    if args.locales:
        from ._inputs import available_locales

        print(" ".join(available_locales()))
        return 0
    from . import api

    given = _values(args)
    if args.from_schema:
        source: Any = _read_schema_file(given["from_schema"])
    elif "description" in given:
        source = given["description"]
    else:
        parser.error("give a description, e.g. synth \"finance transactions\", or --from-schema FILE")
    preview = given.get("preview", options.option("preview").default)
    if args.schema:
        planned = api.plan_with_source(source, planner=given.get("planner"), model=given.get("model"),
                                       locale=given.get("locale"), refresh=args.refresh)
        print(planned.schema.to_json(indent=2) if args.json else planned.schema.to_text(),
              end="" if not args.json else "\n")
        return 0
    if given.get("engine") == "dask" and "save" not in given:
        parser.error("--engine dask writes a folder of parts: add -o out/ (Parquet) or -o 'out/*.csv'")
    to_stdout = given.get("save") == "-"  # -o -: the CSV is the output; what we say goes to stderr
    says = sys.stderr if to_stdout else sys.stdout
    with _progress(quiet=args.quiet) as progress:
        result = api.run(source, given.get("rows"), seed=given.get("seed"), locale=given.get("locale"),
                         planner=given.get("planner"), model=given.get("model"),
                         save=sys.stdout.buffer if to_stdout else given.get("save"),
                         refresh=args.refresh, keep=False, head=0 if to_stdout else preview,
                         csv_safety=False if args.no_csv_safety else None, progress=progress,
                         engine=given.get("engine", "local"), scheduler=given.get("scheduler"),
                         messy=given.get("messy"))
    if result.head is not None and preview and not to_stdout and not args.quiet:
        print(preview_text(result.head) + "\n")
    if not args.quiet:
        print(result.summary(path=False) + (f"\nwrote {result.path}" if result.path else ""), file=says)
        for note in result.schema.notes:
            print(f"note: {note}", file=says)
    return 0


_BAR = "synth {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} rows · {rate_fmt} · {remaining} left"


@contextmanager
def _progress(quiet: bool = False) -> Iterator[Progress | None]:
    """A bar on stderr while more than PROGRESS_ROWS rows are made, when stderr is a terminal
    and the run is not ``--quiet``: rows done, rows per second, time left. It is cleared at the end."""
    if quiet or not _is_terminal(sys.stderr):
        yield None
        return
    bars: list[Any] = []

    def update(done: int, total: int) -> None:
        if total <= PROGRESS_ROWS:
            return
        if not bars:
            from tqdm import tqdm

            # COLUMNS and LINES, else the terminal's size, else 80 × 24 (tqdm draws nothing on a
            # terminal that reports 0 rows, as a new pseudo-terminal does)
            size = shutil.get_terminal_size((80, 24))
            bars.append(tqdm(total=total, unit=" rows", unit_scale=True, file=sys.stderr, leave=False,
                             ncols=min(size.columns or 80, 120), nrows=size.lines or 24, bar_format=_BAR))
        bars[0].update(done - bars[0].n)

    try:
        yield update
    finally:
        for bar in bars:
            bar.close()


def _is_terminal(stream: Any) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # replaced by an object without one, or closed
        return False


def _read_schema_file(path: str) -> Any:
    from ._inputs import check_path
    from .dataset import schema_from_json, schema_from_text
    from .errors import InputError
    from .schema import MAX_TEXT

    checked = check_path(path, "schema file")
    try:
        with open(checked, "rb") as fh:
            data = fh.read(MAX_TEXT + 1)
    except OSError as exc:
        raise InputError(f"Cannot read schema file '{path}': {exc.strerror or exc}.") from None
    if len(data) > MAX_TEXT:
        raise InputError(f"The schema file '{path}' is larger than {MAX_TEXT >> 20} MiB; a schema is a few kB, "
                         "so check that it is the right file.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"The schema file '{path}' is not UTF-8 text (byte {exc.start}); save it as UTF-8.") from None
    return schema_from_json(text) if text.lstrip().startswith("{") else schema_from_text(text)


def types_table() -> str:
    """The catalogue as a table: type, group, dtype, parameters, meaning (``%synth_types`` too)."""
    return _types_table()


if __name__ == "__main__":
    raise SystemExit(main())
