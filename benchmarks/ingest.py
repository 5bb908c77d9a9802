"""Ingest benchmark: kg build of generated articles with --jobs 1 and --jobs 2.

Prints articles per second and peak memory (summed RSS of the whole process tree) for
each, next to the bare spaCy pipeline (nlp.pipe with n_process 1 and 2) on the same
texts, all measured in this run.

Targets (issue 7): peak memory of the 10,000-article build under 1.5 GB; --jobs 2 at
least 1.35x faster than --jobs 1 (the bare pipeline gains about 1.44x from a second
process on a two-core machine).

Usage: python benchmarks/ingest.py [--articles 10000] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import generate_jsonl, run_measured  # noqa: E402

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="kg-bench-ingest-"))
    work.mkdir(parents=True, exist_ok=True)
    source = generate_jsonl(work / "articles.jsonl", args.articles)
    n = args.articles
    print(f"{n} generated articles in {source}")

    rows = []
    for n_process in (1, 2):
        m = run_measured([sys.executable, str(HERE / "_bare_spacy.py"), str(source),
                          str(n_process)])
        bare = json.loads(m.stdout)
        rows.append((f"bare spaCy n_process={n_process}", n / bare["seconds"], m.peak_mib))
    for jobs in (1, 2):
        store = work / f"store-jobs{jobs}"
        m = run_measured([sys.executable, "-m", "kg", "build", str(source), "--store",
                          str(store), "--jobs", str(jobs), "--quiet"],
                         env={"SOURCE_DATE_EPOCH": "1750000000"})
        rows.append((f"kg build --jobs {jobs}", n / m.seconds, m.peak_mib))

    print(f"\n{'run':<28}{'articles/s':>12}{'peak MiB':>10}")
    for name, rate, peak in rows:
        print(f"{name:<28}{rate:>12.1f}{peak:>10.0f}")
    bare_gain = rows[1][1] / rows[0][1]
    kg_gain = rows[3][1] / rows[2][1]
    peak = max(rows[2][2], rows[3][2])
    print(f"\nbare spaCy gain from a 2nd process: {bare_gain:.2f}x")
    print(f"kg build --jobs 2 vs --jobs 1:      {kg_gain:.2f}x  (target >= 1.35x) "
          f"{'OK' if kg_gain >= 1.35 else 'MISSED'}")
    print(f"kg build peak memory:               {peak:.0f} MiB (target < 1536 MiB) "
          f"{'OK' if peak < 1536 else 'MISSED'}")
    print(f"kg build --jobs 1 vs bare spaCy:    {rows[2][1] / rows[0][1]:.2f}x of its rate")
    return 0


if __name__ == "__main__":
    sys.exit(main())
