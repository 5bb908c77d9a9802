"""Extraction benchmark: dev-corpus quality (via shared/eval/score.py) and throughput.

Usage: python benchmarks/extraction.py [DEV.jsonl] [--pred OUT.jsonl] [--model NAME]

Extracts every document of the dev corpus, writes predictions (one JSON object per line,
``{"id", "events"}``), scores them with the shared scorer, and prints per-type P/R/F1,
argument F1, and words per second of the extractor next to the bare spaCy pipeline
(``nlp.pipe`` over the same texts with the same model and all its default pipes), both
measured in this run.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import sys
import tempfile
import time
from pathlib import Path

import spacy

from kg.config import DEFAULT_MODEL
from kg.extract import Extractor
from kg.model import Article

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"

log = logging.getLogger("benchmarks.extraction")


def load_scorer(dev: Path):
    path = dev.parent / "score.py"
    spec = importlib.util.spec_from_file_location("kg_shared_score", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load scorer {path}")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dev", nargs="?", default=str(DEFAULT_DEV))
    ap.add_argument("--pred", default=str(Path(tempfile.gettempdir()) / "kg-extraction-pred.jsonl"),
                    help="where to write predictions")
    ap.add_argument("--model", default=DEFAULT_MODEL)
    ap.add_argument("--repeat", type=int, default=3, help="timing repetitions (best is kept)")
    args = ap.parse_args(argv)
    dev = Path(args.dev)
    docs = [json.loads(line) for line in dev.read_text("utf-8").splitlines() if line.strip()]
    articles = [Article(id=d["id"], text=d["text"], published=d.get("published")) for d in docs]
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)

    extractor = Extractor(model=args.model)
    bare = spacy.load(args.model)
    results = list(extractor.extract_many(articles))  # warm-up and predictions
    for _ in bare.pipe(texts[:2]):
        pass

    def timed(fn) -> float:
        best = float("inf")
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - t0)
        return best

    t_bare = timed(lambda: list(bare.pipe(texts)))
    t_ext = timed(lambda: list(extractor.extract_many(articles)))

    with open(args.pred, "w", encoding="utf-8") as f:
        for r in results:
            f.write(json.dumps({"id": r.article.id, "events": [e.to_json() for e in r.events]},
                               ensure_ascii=False) + "\n")

    scorer = load_scorer(dev)
    gold = {d["id"]: {"events": d["events"], "aliases": d.get("aliases", {})} for d in docs}
    pred = {r.article.id: {"events": [e.to_json() for e in r.events]} for r in results}
    report = scorer.evaluate(gold, pred)
    print(f"dev corpus: {dev} ({len(docs)} docs, {words} words); predictions: {args.pred}")
    print(f"{'type':<14}{'P':>7}{'R':>7}{'F1':>7}{'tp':>5}{'fp':>5}{'fn':>5}")
    for t, c in report["per_type"].items():
        if c["tp"] + c["fp"] + c["fn"] == 0:
            continue
        print(f"{t:<14}{c['p']:>7.3f}{c['r']:>7.3f}{c['f1']:>7.3f}{c['tp']:>5}{c['fp']:>5}"
              f"{c['fn']:>5}")
    e = report["event"]
    print(f"{'EVENTS':<14}{e['p']:>7.3f}{e['r']:>7.3f}{e['f1']:>7.3f}{e['tp']:>5}{e['fp']:>5}"
          f"{e['fn']:>5}")
    a = report["argument"]
    print(f"{'ARGUMENTS':<14}{a['p']:>7.3f}{a['r']:>7.3f}{a['f1']:>7.3f}{a['tp']:>5}{a['fp']:>5}"
          f"{a['fn']:>5}")
    for r, c in report["per_role"].items():
        if c["tp"] + c["fp"] + c["fn"]:
            print(f"  {r:<12}{c['p']:>7.3f}{c['r']:>7.3f}{c['f1']:>7.3f}{c['tp']:>5}{c['fp']:>5}"
                  f"{c['fn']:>5}")
    wps_bare, wps_ext = words / t_bare, words / t_ext
    print(f"throughput: extractor {wps_ext:,.0f} words/s; bare spaCy pipeline "
          f"({args.model}, all default pipes) {wps_bare:,.0f} words/s; "
          f"ratio {wps_ext / wps_bare:.2f}")
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    sys.exit(main())
