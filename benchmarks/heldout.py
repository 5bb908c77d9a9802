"""Held-out benchmark: score the kg extractor on our own independently written corpus.

Usage: python benchmarks/heldout.py [--data PATH] [--scorer PATH] [--pred OUT.jsonl]
                                    [--model NAME] [--per-doc] [--json] [--check]

The extractor was tuned on the shared development corpus, so its dev score overstates how
well it reads unseen text. ``benchmarks/data/heldout.jsonl`` holds 24 articles written for
this project (see ``benchmarks/data/README.md``) and annotated by the same spec conventions.
This script extracts every article, writes predictions as JSONL (``{"id", "events"}``) and
runs the shared scorer on them as a separate process, so the numbers are exactly what
``score.py GOLD PRED`` prints for anyone re-running it by hand.
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import tempfile
from pathlib import Path

from kg.config import DEFAULT_MODEL
from kg.extract import Extractor
from kg.ingest import Problems, read_articles
from kg.model import Article

__all__ = ["load_articles", "write_predictions", "check_corpus", "main"]

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT / "benchmarks" / "data" / "heldout.jsonl"
DEFAULT_SCORER = ROOT.parent / "shared" / "eval" / "score.py"

log = logging.getLogger("benchmarks.heldout")

# roles whose values are names that must occur verbatim in the article text
_NAME_ROLES = ("acquirer", "target", "investor", "investee", "company", "person", "organization",
               "provider", "customer", "parent", "child", "product")


def load_articles(path: Path) -> list[Article]:
    """The corpus's articles, read as ``kg extract`` reads JSONL (gold events stay on disk
    for the scorer); any line it would skip stops the benchmark instead."""
    problems = Problems()
    articles = list(read_articles(path, problems=problems))
    if problems:
        raise SystemExit(f"{problems.first(1)[0]}; fix the corpus file")
    return articles


def write_predictions(extractor: Extractor, articles: list[Article], out: Path) -> int:
    """Extract every article and write one ``{"id", "events"}`` line each; returns #events."""
    n = 0
    with out.open("w", encoding="utf-8") as f:
        for result in extractor.extract_many(articles):
            events = [e.to_json() for e in result.events]
            n += len(events)
            f.write(json.dumps({"id": result.article.id, "events": events},
                               ensure_ascii=False) + "\n")
    return n


def check_corpus(path: Path) -> list[str]:
    """Problems that make a gold annotation unreadable from its own text.

    Gold names are "as written", so every entity name, list member and alias form must
    occur verbatim in the article; each problem is one line naming the document.
    """
    problems = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        doc = json.loads(line)
        text, doc_id = doc["text"], doc["id"]
        if not doc.get("title") or not text.startswith(doc["title"]):
            problems.append(f"{doc_id}: text does not start with the title")
        for canonical, forms in doc.get("aliases", {}).items():
            problems += [f"{doc_id}: alias {f!r} not in text" for f in [canonical, *forms]
                         if f not in text]
        for n, event in enumerate(doc["events"], 1):
            names = [event[r] for r in _NAME_ROLES if r in event]
            names += event.get("partners", []) + event.get("investors", [])
            problems += [f"{doc_id}: event {n} ({event['type']}): {name!r} not in text"
                         for name in names if name not in text]
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(DEFAULT_DATA), help="gold corpus (JSONL)")
    ap.add_argument("--scorer", default=str(DEFAULT_SCORER),
                    help="path to shared/eval/score.py (default: ../shared/eval/score.py "
                         "next to the repository)")
    ap.add_argument("--pred", default=None,
                    help="where to write predictions (default: a temporary file)")
    ap.add_argument("--model", default=DEFAULT_MODEL, help="spaCy model for the extractor")
    ap.add_argument("--per-doc", action="store_true",
                    help="also list each document's missed and spurious events")
    ap.add_argument("--json", action="store_true", help="print the scorer's JSON report")
    ap.add_argument("--check", action="store_true",
                    help="only check that the corpus's gold names occur in its texts")
    args = ap.parse_args(argv)

    data, scorer = Path(args.data), Path(args.scorer)
    if not data.is_file():
        raise SystemExit(f"corpus not found: {data} (pass --data PATH)")
    if args.check:
        problems = check_corpus(data)
        for problem in problems:
            print(problem)
        print(f"{data}: {len(problems)} problem(s)")
        return 1 if problems else 0
    if not scorer.is_file():
        raise SystemExit(f"scorer not found: {scorer} (pass --scorer PATH/TO/score.py)")
    if args.pred:
        pred = Path(args.pred)
    else:
        with tempfile.NamedTemporaryFile(prefix="kg-heldout-", suffix=".jsonl",
                                         delete=False) as tmp:
            pred = Path(tmp.name)

    articles = load_articles(data)
    n_events = write_predictions(Extractor(model=args.model), articles, pred)
    print(f"held-out corpus: {data} ({len(articles)} docs); "
          f"{n_events} predicted events written to {pred}")

    cmd = [sys.executable, str(scorer), str(data), str(pred)]
    cmd += ["--per-doc"] if args.per_doc else []
    cmd += ["--json"] if args.json else []
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    sys.stdout.write(done.stdout)
    if done.stderr:
        sys.stderr.write(done.stderr)
    return done.returncode


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    sys.exit(main())
