"""Scale benchmark: articles per second with one and two Dask workers, in one run.

Builds the same generated articles with ``kg build --engine dask --jobs 1`` and
``--jobs 2`` (a LocalCluster of that many single-threaded worker processes) into fresh
stores, and with the local engine for reference. Target (issue 8): two workers at least
1.35x one worker on a two-core machine, where the bare spaCy pipeline gains about 1.44x
from a second process.

Usage: python benchmarks/scale.py [--articles 2000] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import generate_jsonl, run_measured  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="kg-bench-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    n = args.articles
    source = generate_jsonl(work / "articles.jsonl", n)
    print(f"{n} generated articles in {source}")
    runs = [("local --jobs 1", ["--engine", "local", "--jobs", "1"]),
            ("dask, 1 worker", ["--engine", "dask", "--jobs", "1"]),
            ("dask, 2 workers", ["--engine", "dask", "--jobs", "2"])]
    rates = {}
    print(f"\n{'run':<20}{'seconds':>9}{'articles/s':>12}{'per worker':>12}{'peak MiB':>10}")
    for i, (name, opts) in enumerate(runs):
        m = run_measured([sys.executable, "-m", "kg", "build", str(source), "--store",
                          str(work / f"store-{i}"), "--quiet", *opts],
                         env={"SOURCE_DATE_EPOCH": "1750000000"})
        workers = int(opts[-1])
        rates[name] = n / m.seconds
        print(f"{name:<20}{m.seconds:>9.1f}{rates[name]:>12.1f}{rates[name] / workers:>12.1f}"
              f"{m.peak_mib:>10.0f}")
    gain = rates["dask, 2 workers"] / rates["dask, 1 worker"]
    verdict = "OK" if gain >= 1.35 else "MISSED"
    print(f"\ntwo workers vs one: {gain:.2f}x (target >= 1.35x) {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
