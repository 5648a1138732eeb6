"""How long the offline planner takes per description (no cache, no generation).

    python bench/bench_planner.py

Plans every description of the planner test cases (and both styles of tests/planner_real), first once to warm up (imports and
lazily built tables), then ``--repeat`` times each, and prints the median and worst time
per description. The planner's own result cache is bypassed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    texts = descriptions()
    start = time.perf_counter()
    offline._plan(texts[0])
    warm = time.perf_counter() - start
    per_text = []
    for text in texts:
        runs = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            offline._plan(text)  # uncached: the full pipeline including schema validation
            runs.append(time.perf_counter() - t)
        per_text.append(statistics.median(runs))
    per_text.sort()
    print(f"{len(texts)} descriptions, {args.repeat} runs each; first call (imports) {warm * 1000:.0f} ms")
    print(f"median {statistics.median(per_text) * 1000:.2f} ms, worst {per_text[-1] * 1000:.2f} ms per description")


if __name__ == "__main__":
    main()
