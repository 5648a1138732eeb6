"""Regenerate the README's tables that are made from the code (``make readme``).

The blocks between ``<!-- generated: NAME -->`` and ``<!-- /generated -->`` are written
from the type catalogue (``types``) and the options table (``magic-options``,
``cli-options``). ``python tools/readme.py --check`` exits 1 when the README is stale;
``tests/test_catalog.py`` and ``tests/test_options.py`` run the same check.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from synth_magic import options  # noqa: E402
from synth_magic.catalog import GROUPS, PANDAS_DTYPES, TYPES  # noqa: E402

BLOCK = re.compile(r"(<!-- generated: ([\w-]+) -->\n)(.*?)(<!-- /generated -->)", re.DOTALL)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def types() -> str:
    """The catalogue, group by group."""
    lines = ["| type | group | dtype | parameters | what it makes |", "|---|---|---|---|---|"]
    for spec in sorted(TYPES.values(), key=lambda s: GROUPS.index(s.group)):
        params = ", ".join(f"`{p.name}`" for p in spec.params) or "–"
        lines.append(f"| `{spec.name}` | {spec.group} | {PANDAS_DTYPES[spec.kind]} | {params} | {spec.help} |")
    return "\n".join(lines) + "\n"


def _options(surface: str, spell) -> str:
    lines = ["| option | meaning |", "|---|---|"]
    lines += [f"| {spell(o)} | {o.help} |" for o in options.on(surface) if not o.positional]
    return "\n".join(lines) + "\n"


def magic_options() -> str:
    return _options("magic", lambda o: f"`{o.name}{'=' + _cell(o.metavar) if o.metavar else ''}`")


def cli_options() -> str:
    return _options("cli", lambda o: ", ".join(f"`{f}{' ' + _cell(o.metavar) if o.metavar else ''}`"
                                               for f in o.cli_flags))


BLOCKS = {"types": types, "magic-options": magic_options, "cli-options": cli_options}


def render(text: str) -> str:
    """``text`` with every generated block written anew."""
    return BLOCK.sub(lambda m: m.group(1) + BLOCKS[m.group(2)]() + m.group(4), text)


def main(argv: list[str]) -> int:
    path = ROOT / "README.md"
    text = path.read_text(encoding="utf-8")
    new = render(text)
    if "--check" in argv:
        if new != text:
            print("README.md is stale: run `make readme`", file=sys.stderr)
            return 1
        return 0
    path.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
