"""``kg build``: articles in, graph out — ingest, extract, resolve, map, store, in batches.

Each batch of articles is written in one store transaction (``Store.replace_graphs``),
one named graph per article. So a crash loses at most the batch in flight, the store
stays readable, and the next build of the same input skips every article whose content
hash is already stored: unchanged articles are never re-extracted, changed ones replace
their earlier contribution.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from kg.config import DEFAULT_MODEL, DEFAULT_STORE
from kg.engines import ExtractionSettings, engines
from kg.ingest import Problems, read_articles
from kg.model import Article, ArticleExtraction, Entity
from kg.progress import Progress
from kg.rdf.mapping import article_graph
from kg.rdf.store import Store, open_store
from kg.resolve import Resolver

__all__ = ["BuildReport", "build", "stored_articles", "ingest_time"]

log = logging.getLogger(__name__)


@dataclass
class BuildReport:
    """What a build did, for the CLI's summary and for callers."""

    store: str
    articles_read: int = 0
    articles_added: int = 0
    articles_replaced: int = 0
    articles_unchanged: int = 0
    events: int = 0
    seconds: float = 0.0
    problems: Problems = field(default_factory=Problems)

    @property
    def articles_written(self) -> int:
        return self.articles_added + self.articles_replaced


def ingest_time() -> datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` when set, so that two builds can be compared."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(tz=UTC).replace(microsecond=0)


# Constant vocabulary only: these queries take no user input.
_STORED_ARTICLES = """
PREFIX kg: <https://w3id.org/aikg/ns#>
SELECT DISTINCT ?id ?hash WHERE { ?article a kg:Article ; kg:articleId ?id ; kg:contentHash ?hash }
"""

_STORED_ENTITIES = """
PREFIX kg: <https://w3id.org/aikg/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?entity ?type ?label ?alias WHERE {
  VALUES ?type { kg:Organization kg:Person kg:Product kg:AIModel }
  ?entity a ?type ; rdfs:label ?label .
  OPTIONAL { ?entity kg:alias ?alias }
}
"""


def stored_articles(store: Store) -> dict[str, str]:
    """Article id -> content hash of every article already in the store."""
    result = store.query(_STORED_ARTICLES)
    return {str(row[0]): str(row[1]) for row in result.rows}


def _stored_entities(store: Store) -> list[Entity]:
    result = store.query(_STORED_ENTITIES)
    found: dict[str, tuple[str, str, set[str]]] = {}
    for iri, etype, label, alias in result.rows:
        key = str(iri)
        _, _, aliases = found.setdefault(key, (str(label), str(etype).rsplit("#", 1)[-1], set()))
        if alias is not None:
            aliases.add(str(alias))
    return [Entity(label, etype, frozenset(aliases)) for label, etype, aliases in found.values()]


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def build(
    inputs: Sequence[str | Path],
    store: str | Store = DEFAULT_STORE,
    *,
    model: str = DEFAULT_MODEL,
    gazetteer_files: Sequence[str | Path] = (),
    alias_files: Sequence[str | Path] = (),
    engine: str = "local",
    jobs: int = 1,
    scheduler: str | None = None,
    batch_size: int = 32,
    max_bytes: int = 50_000_000,
    text_column: str | None = None,
    quiet: bool = True,
    problems: Problems | None = None,
) -> BuildReport:
    """Build ``inputs`` into ``store`` and return what was done.

    Articles already stored with the same content are skipped; an article whose content
    changed replaces its earlier statements. ``engine`` is ``local`` (``jobs`` processes)
    or ``dask`` (a LocalCluster of ``jobs`` workers, or the cluster at ``scheduler``).
    """
    from kg.extract.gazetteer import load_gazetteer

    started = time.perf_counter()
    own_store = not isinstance(store, Store)
    db = open_store(store, create=True) if own_store else store
    report = BuildReport(db.url, problems=problems if problems is not None else Problems())
    gaz_files = tuple(str(p) for p in gazetteer_files)
    settings = ExtractionSettings(model=model, gazetteer_files=gaz_files, jobs=jobs,
                                  scheduler=scheduler)
    runner = None
    try:
        known = stored_articles(db)
        known_hashes = set(known.values())
        resolver = Resolver(load_gazetteer(gaz_files), alias_files=[Path(p) for p in alias_files])
        resolver.seed(_stored_entities(db))
        ingested_at = ingest_time()
        replaced: set[str] = set()

        def wanted(articles: Iterable[Article]) -> Iterator[Article]:
            for article in articles:
                report.articles_read += 1
                digest = article.content_hash
                if known.get(article.id) == digest or (
                    article.id not in known and digest in known_hashes
                ):
                    report.articles_unchanged += 1
                    continue
                if article.id in known:
                    replaced.add(article.id)
                yield article

        stream = read_articles(inputs, problems=report.problems, max_bytes=max_bytes,
                               text_column=text_column)
        runner = engines.get(engine)(settings)
        with Progress(unit="articles", quiet=quiet) as bar:
            for extractions in runner.run(_batches(wanted(stream), batch_size)):
                _write_batch(db, resolver, extractions, ingested_at)
                for extraction in extractions:
                    if extraction.article.id in replaced:
                        report.articles_replaced += 1
                    else:
                        report.articles_added += 1
                    report.events += len(extraction.events)
                bar.advance(len(extractions), events=sum(len(x.events) for x in extractions))
    finally:
        if runner is not None:
            runner.close()
        if own_store:
            db.close()
    report.seconds = time.perf_counter() - started
    return report


def _write_batch(
    store: Store, resolver: Resolver, extractions: list[ArticleExtraction], ingested_at: datetime
) -> None:
    graphs = {}
    for extraction in extractions:
        resolved = resolver.resolve(extraction)
        graph, triples = article_graph(resolved, ingested_at)
        graphs[graph] = triples
    store.replace_graphs(graphs)
    log.debug("wrote %d article graphs", len(graphs))

