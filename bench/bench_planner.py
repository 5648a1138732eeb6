"""How long the offline planner takes: the first plan in a fresh process, then per description.

    python bench/bench_planner.py                    # the shipped knowledge
    python bench/bench_planner.py --synthetic 5000   # plus 5,000 synthetic named tables

Time to first plan: a fresh interpreter imports the planner and plans one description
(reading the knowledge files and building the retrieval index on the way), the median of
``--fresh`` runs. Then, in this process, every description of the planner test cases (and
both styles of tests/planner_real) is planned once to warm up, then ``--repeat`` times
each, and the median and worst time per description are printed with the slowest ones.
The planner's own result cache is bypassed.

``--synthetic N`` copies the knowledge folder, adds N generated named tables (names,
aliases, keywords and columns drawn from the real entries' words and columns) in
``tables/zz_synthetic.json`` and measures against that: the cost of a plan must not grow
with the number of entries.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from synth_magic.planner import _knowledge as K  # noqa: E402
from synth_magic.planner import offline  # noqa: E402


def descriptions() -> list[str]:
    found = []
    for path in (ROOT.parent / "shared" / "planner-cases.json", Path("/work/shared/planner-cases.json"),
                 ROOT / "tests" / "planner_cases_extra.json"):
        if path.exists():
            found += [c["description"] for c in json.loads(path.read_text(encoding="utf-8"))["cases"]]
    for name in ("dev", "heldout"):  # the real-world sets, both styles
        path = ROOT / "tests" / "planner_real" / f"{name}.json"
        for c in json.loads(path.read_text(encoding="utf-8"))["cases"]:
            found += [c["short"], c["fields"]]
    return list(dict.fromkeys(found))


def synthetic_folder(n: int, seed: int = 7) -> Path:
    """A copy of the knowledge folder with ``n`` more named tables (a JSON file)."""
    rng = random.Random(seed)
    kb = K.knowledge()
    lines = sorted({line for d in kb.domains + kb.tables for line in d.lines
                    if "after=" not in line and "expr=" not in line and "derive_from=" not in line
                    and "_from=" not in line})
    words = sorted({w for d in kb.domains + kb.tables for p in (*d.keywords, *d.aliases, d.title)
                    for w in K.phrase_words(p) if len(w) > 3})
    tables = {}
    for i in range(n):
        pkg = "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(3))
        thing = rng.choice(words)
        cols, seen = [], set()
        for line in rng.sample(lines, 12):
            name = line.partition(":")[0].strip()
            if name not in seen:
                seen.add(name)
                cols.append(line)
        tables[f"zz_synthetic_{i}"] = {
            "title": f"{pkg} {thing}", "aliases": [f"{pkg} {thing}", f"{pkg} {thing} table"],
            "keywords": [thing, rng.choice(words)], "context": [pkg], "source": "synthetic (bench)",
            "columns": cols}
    folder = Path(tempfile.mkdtemp(prefix="synth-knowledge-"))
    shutil.copytree(K.KNOWLEDGE, folder, dirs_exist_ok=True)
    (folder / "tables").mkdir(exist_ok=True)
    (folder / "tables" / "zz_synthetic.json").write_text(json.dumps(tables), encoding="utf-8")
    return folder


_FRESH = """
import time
t = time.perf_counter()
from synth_magic.planner import _knowledge as K
from pathlib import Path
if {folder!r}:
    K.KNOWLEDGE = Path({folder!r})
from synth_magic.planner.offline import plan
plan({text!r})
print(time.perf_counter() - t)
"""


def first_plan(folder: Path | None, text: str, runs: int) -> float:
    """Median seconds from a fresh interpreter's start of import to its first plan."""
    times = []
    for _ in range(runs):
        code = _FRESH.format(folder=str(folder or ""), text=text)
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--fresh", type=int, default=3, help="fresh processes timed to their first plan")
    parser.add_argument("--synthetic", type=int, default=0, help="add this many synthetic named tables")
    args = parser.parse_args()
    folder = synthetic_folder(args.synthetic) if args.synthetic else None
    try:
        texts = descriptions()
        first = first_plan(folder, texts[0], args.fresh)
        if folder is not None:
            K.KNOWLEDGE = folder
            K.reload()
        kb = K.knowledge()
        per_text = []
        for text in texts:
            offline._plan(text)  # warm: the tables it uses are parsed on first use
            runs = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                offline._plan(text)  # uncached: the full pipeline including schema validation
                runs.append(time.perf_counter() - t)
            per_text.append((statistics.median(runs), text))
        per_text.sort()
        print(f"knowledge: {len(kb.domains)} domains, {len(kb.tables)} named tables, {len(kb.concepts)} concepts")
        print(f"first plan in a fresh process {first * 1000:.0f} ms (median of {args.fresh}, imports included)")
        print(f"{len(texts)} descriptions, {args.repeat} runs each: median "
              f"{statistics.median(t for t, _ in per_text) * 1000:.2f} ms, worst {per_text[-1][0] * 1000:.2f} ms "
              f"per description")
        for t, text in per_text[-3:][::-1]:
            print(f"  {t * 1000:6.2f} ms  {text[:70]}")
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
