"""Where extraction runs: in this process, in a pool of local processes, or on Dask.

Extraction is the slow stage (spaCy), and the only one worth spreading: resolution and
the store write stay in the calling process, in input order, so that every engine gives
the same graph. Each worker loads the spaCy pipeline once and keeps it. Engines are a
registry (``engines.register("name", factory)``); a factory takes the extraction settings
and returns an ``Engine`` whose ``run(batches)`` yields extraction results batch by batch,
in the order the batches were given.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Protocol

from kg.config import DEFAULT_MODEL
from kg.errors import ConfigError
from kg.model import Article, ArticleExtraction
from kg.registry import Registry

__all__ = ["ExtractionSettings", "Engine", "engines", "extract_batch"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExtractionSettings:
    """What a worker needs to build the same extractor as every other worker."""

    model: str = DEFAULT_MODEL
    gazetteer_files: tuple[str, ...] = ()
    extractor: str = "rules"
    jobs: int = 1
    scheduler: str | None = None
    options: dict = field(default_factory=dict)


class Engine(Protocol):
    def run(self, batches: Iterable[list[Article]]) -> Iterator[list[ArticleExtraction]]: ...

    def close(self) -> None: ...


_WORKER_EXTRACTORS: dict[tuple, object] = {}


def _extractor_for(settings: ExtractionSettings):
    """The process-wide extractor for these settings (loaded once per worker)."""
    key = (settings.extractor, settings.model, settings.gazetteer_files)
    if key not in _WORKER_EXTRACTORS:
        from kg.extract import extractors

        factory = extractors.get(settings.extractor)
        _WORKER_EXTRACTORS[key] = factory(
            model=settings.model, gazetteer_files=settings.gazetteer_files
        )
    return _WORKER_EXTRACTORS[key]


def extract_batch(
    settings: ExtractionSettings, batch: Sequence[Article]
) -> list[ArticleExtraction]:
    """Extract one batch with this process's extractor; the unit of work of every engine."""
    extractor = _extractor_for(settings)
    return list(extractor.extract_many(batch))


class LocalEngine:
    """In-process for ``jobs == 1``; otherwise a pool of ``jobs`` spawned processes.

    At most ``2 * jobs`` batches are in flight, so memory stays bounded however long the
    input stream is.
    """

    def __init__(self, settings: ExtractionSettings) -> None:
        self.settings = settings
        self._pool: ProcessPoolExecutor | None = None
        if settings.jobs > 1:
            self._pool = ProcessPoolExecutor(
                max_workers=settings.jobs, mp_context=multiprocessing.get_context("spawn")
            )

    def run(self, batches: Iterable[list[Article]]) -> Iterator[list[ArticleExtraction]]:
        if self._pool is None:
            for batch in batches:
                yield extract_batch(self.settings, batch)
            return
        window: deque[Future] = deque()
        for batch in batches:
            window.append(self._pool.submit(extract_batch, self.settings, batch))
            if len(window) >= 2 * self.settings.jobs:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


class DaskEngine:
    """Batches go to Dask workers: a LocalCluster of ``jobs`` workers, or ``scheduler``.

    Workers need kg and the spaCy model installed; each loads the pipeline once (the
    extractor is cached per worker process) and returns ArticleExtraction objects.
    """

    def __init__(self, settings: ExtractionSettings) -> None:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise ConfigError(
                "the dask engine needs dask.distributed: pip install 'kg[dask]'"
            ) from None
        self.settings = settings
        self._cluster = None
        if settings.scheduler:
            self.client = Client(settings.scheduler)
        else:
            self._cluster = LocalCluster(
                n_workers=max(1, settings.jobs), threads_per_worker=1, processes=True,
                dashboard_address=None,
            )
            self.client = Client(self._cluster)
        log.info("dask engine: %s", self.client)

    def run(self, batches: Iterable[list[Article]]) -> Iterator[list[ArticleExtraction]]:
        n_workers = max(1, len(self.client.scheduler_info().get("workers", {})))
        window: deque = deque()
        for batch in batches:
            window.append(self.client.submit(extract_batch, self.settings, batch, pure=False))
            if len(window) >= 2 * n_workers:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


engines: Registry = Registry("engine")
engines.register("local", LocalEngine)
engines.register("dask", DaskEngine)
