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


@pytest.mark.slow
@pytest.mark.virtuoso
def test_dask_build_writes_to_a_sparql_server_store(local_graph, virtuoso_url, monkeypatch):
    """Issue 8: workers extract, the client writes batches to a server triple store."""
    from urllib.parse import quote

    from kg.rdf.namespace import ID

    pytest.importorskip("dask.distributed")
    if not __import__("os").environ.get("KG_SPARQL_USER"):
        monkeypatch.setenv("KG_SPARQL_USER", "dba")
        monkeypatch.setenv("KG_SPARQL_PASSWORD", "dba")
    url = f"sparql:{virtuoso_url}/sparql?graphs={quote(str(ID['graph/']), safe='')}"
    with open_store(url) as server:
        server.drop_graphs(server.graphs())
        try:
            report = build([FIXTURES], server, engine="dask", jobs=2, batch_size=1)
            assert report.articles_written == 3
            assert set(server.graphs()) == set(local_graph.graphs())
            assert stores_isomorphic(server, local_graph)
        finally:
            server.drop_graphs(server.graphs())
