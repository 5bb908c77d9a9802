"""Entity-resolution benchmark: does each real-world entity get exactly one IRI?

Usage: python benchmarks/resolution.py [DEV.jsonl] [--model NAME] [--gold-events]

Extracts the dev corpus with ``kg.extract.Extractor`` (or, with ``--gold-events``, feeds
the gold events as if extracted, to measure resolution alone), resolves and maps every
article into a memory store, then reads each article's graph back: an entity node
stands for a gold entity of that document when one of its surface forms in that graph
(label or alias) names it. Gold entities are gold role fillers, joined across documents
through every document's ``aliases``.

Prints, for kg's resolver and for a baseline measured in the same run (every name as
written is its own entity, up to case and punctuation):
* the share of gold entities found in two or more documents that got exactly one IRI
  (target >= 95%), with the ones that got several;
* false merges: IRIs that stand for two different gold entities (target: none).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from kg.extract.gazetteer import load_gazetteer
from kg.model import Article, ArticleExtraction, Event
from kg.rdf.iris import graph_iri
from kg.rdf.mapping import article_graph
from kg.rdf.store import open_store
from kg.resolve import Resolver, match_key
from kg.schema import EVENT_TYPES, ROLE_KINDS

log = logging.getLogger("benchmarks.resolution")

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"
NOW = datetime(2026, 1, 1, tzinfo=UTC)

_FORMS = """
PREFIX kg: <https://w3id.org/aikg/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?g ?e ?form WHERE {
  GRAPH ?g {
    ?e a ?t . VALUES ?t { kg:Organization kg:Person kg:Product }
    { ?e rdfs:label ?form } UNION { ?e kg:alias ?form }
  }
}
"""


class NaiveResolver(Resolver):
    """Baseline: a name as written is its own entity (IRIs still fold case/punctuation)."""

    def resolve_name(self, name, etype, context=None, canonical_hint=None):  # noqa: D102
        return " ".join(name.split()), etype


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _gold_names(doc: dict) -> set[str]:
    names: set[str] = set()
    for ev in doc.get("events", []):
        for role, value in ev.items():
            kind = ROLE_KINDS.get(role)
            if kind == "entity" and isinstance(value, str):
                names.add(value)
            elif kind == "entities" and isinstance(value, list):
                names.update(v for v in value if isinstance(v, str))
    return names


def gold_entities(docs: list[dict]) -> tuple[_UnionFind, dict[str, set[str]]]:
    """Clusters of name keys (joined through aliases) and, per document, its gold entities."""
    uf = _UnionFind()
    for doc in docs:
        for canonical, aliases in (doc.get("aliases") or {}).items():
            for alias in aliases:
                uf.union(match_key(canonical), match_key(alias))
    per_doc = {doc["id"]: {uf.find(match_key(n)) for n in _gold_names(doc)} for doc in docs}
    return uf, per_doc


def _gold_extraction(doc: dict) -> ArticleExtraction:
    events = []
    for ev in doc.get("events", []):
        if ev.get("type") not in EVENT_TYPES:
            continue
        roles = {k: v for k, v in ev.items() if k in ROLE_KINDS}
        events.append(Event(ev["type"], roles))
    return ArticleExtraction(Article(doc["id"], doc["text"], published=doc.get("published")),
                             events)


def evaluate(extractions: list[ArticleExtraction], resolver: Resolver, uf: _UnionFind,
             per_doc: dict[str, set[str]]) -> dict:
    """Build into a memory store and compare entity IRIs with the gold clusters."""
    store = open_store("memory:")
    t0 = time.perf_counter()
    for x in extractions:
        graph, triples = article_graph(resolver.resolve(x), NOW)
        store.replace_graphs({graph: triples})
    seconds = time.perf_counter() - t0
    graph_doc = {graph_iri(doc_id): doc_id for doc_id in per_doc}
    forms: dict[tuple[str, str], set[str]] = defaultdict(set)
    for g, e, form in store.query(_FORMS).rows:
        forms[(graph_doc.get(g, str(g)), str(e))].add(match_key(str(form)))
    iris_of: dict[str, set[str]] = defaultdict(set)      # gold entity -> IRIs
    docs_of: dict[str, set[str]] = defaultdict(set)      # gold entity -> docs found in
    gold_of: dict[str, set[str]] = defaultdict(set)      # IRI -> gold entities
    for (doc_id, iri), keys in forms.items():
        gold_here = per_doc.get(doc_id, set())
        for cluster in {uf.find(k) for k in keys if k in uf.parent} & gold_here:
            iris_of[cluster].add(iri)
            docs_of[cluster].add(doc_id)
            gold_of[iri].add(cluster)
    gold_docs: dict[str, int] = defaultdict(int)
    for clusters in per_doc.values():
        for c in clusters:
            gold_docs[c] += 1
    multi = sorted(c for c, n in gold_docs.items() if n >= 2)
    found = [c for c in multi if len(docs_of[c]) >= 2]
    single = [c for c in found if len(iris_of[c]) == 1]
    return {
        "multi_doc": len(multi), "found_in_2plus": len(found), "one_iri": len(single),
        "split": {c: sorted(iris_of[c]) for c in found if len(iris_of[c]) > 1},
        "false_merges": {iri: sorted(cs) for iri, cs in gold_of.items() if len(cs) > 1},
        "seconds": seconds,
    }


def _gazetteer_link(clusters: list[str], gazetteer) -> str:
    entries = {getattr(gazetteer.lookup(c), "name", None) for c in clusters}
    if len(entries) == 1 and None not in entries:
        return f"  (the gazetteer makes them one: {entries.pop()!r})"
    return ""


def _report(name: str, r: dict, gazetteer=None) -> None:
    share = r["one_iri"] / r["found_in_2plus"] if r["found_in_2plus"] else 0.0
    print(f"{name}: {r['multi_doc']} gold entities in 2+ documents, "
          f"{r['found_in_2plus']} found in 2+; one IRI: {r['one_iri']} "
          f"({share:.1%}, target >= 95%); false merges: {len(r['false_merges'])} "
          f"(target 0); resolve+map {r['seconds']:.2f}s")
    for cluster, iris in sorted(r["split"].items()):
        print(f"  split  {cluster!r}: {', '.join(i.rsplit('/id/', 1)[-1] for i in iris)}")
    for iri, clusters in sorted(r["false_merges"].items()):
        link = _gazetteer_link(clusters, gazetteer) if gazetteer is not None else ""
        print(f"  merged {iri.rsplit('/id/', 1)[-1]}: {clusters}{link}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dev", nargs="?", default=str(DEFAULT_DEV))
    ap.add_argument("--model", default=None, help="spaCy model (default: kg's)")
    ap.add_argument("--gold-events", action="store_true",
                    help="resolve the gold events instead of extracted ones")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    dev = Path(args.dev)
    try:
        docs = [json.loads(line) for line in dev.read_text("utf-8").splitlines() if line.strip()]
    except (OSError, json.JSONDecodeError) as e:
        print(f"error: cannot read {dev}: {e}", file=sys.stderr)
        return 1
    uf, per_doc = gold_entities(docs)
    if args.gold_events:
        extractions = [_gold_extraction(d) for d in docs]
        source = "gold events"
    else:
        from kg.extract import Extractor

        articles = [Article(d["id"], d["text"], published=d.get("published")) for d in docs]
        extractor = Extractor(model=args.model) if args.model else Extractor()
        t0 = time.perf_counter()
        extractions = list(extractor.extract_many(articles))
        source = f"extracted ({time.perf_counter() - t0:.1f}s)"
    gazetteer = load_gazetteer()
    print(f"{len(docs)} documents, {source}")
    _report("kg resolver", evaluate(extractions, Resolver(gazetteer), uf, per_doc), gazetteer)
    _report("baseline (names as written)",
            evaluate(extractions, NaiveResolver(gazetteer), uf, per_doc), gazetteer)
    return 0


if __name__ == "__main__":
    sys.exit(main())
