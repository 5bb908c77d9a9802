"""Every engine gives the same graph: local, local with processes, Dask LocalCluster."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.build import build
from kg.rdf.store import open_store
from tests.test_build import stores_isomorphic

FIXTURES = Path(__file__).parent / "fixtures" / "build"


@pytest.fixture(scope="module", autouse=True)
def fixed_ingest_time():
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1750000000")
        yield


@pytest.fixture(scope="module")
def local_graph(fixed_ingest_time):
    store = open_store("memory:")
    build([FIXTURES], store, batch_size=1)
    return store


@pytest.mark.slow
def test_two_processes_give_the_same_graph(local_graph):
    store = open_store("memory:")
    build([FIXTURES], store, jobs=2, batch_size=1)
    assert set(store.quads()) == set(local_graph.quads())
    assert stores_isomorphic(store, local_graph)


@pytest.mark.slow
def test_dask_local_cluster_of_two_workers_gives_the_same_graph(local_graph):
    pytest.importorskip("dask.distributed")
    store = open_store("memory:")
    report = build([FIXTURES], store, engine="dask", jobs=2, batch_size=1)
    assert report.articles_written == 3
    assert set(store.quads()) == set(local_graph.quads())
    assert stores_isomorphic(store, local_graph)
