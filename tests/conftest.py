"""Shared pytest fixtures. Each area keeps its fixtures in its own marked section."""

from __future__ import annotations

import os

import pytest

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def skip_or_fail(reason: str) -> None:
    """Skip loudly on a developer machine; fail in CI, where every service must run."""
    if IN_CI:
        pytest.fail(f"CI must run this test for real: {reason}")
    pytest.skip(f"SKIPPED FOR REAL REASON: {reason}")


# --- extraction fixtures ---


@pytest.fixture(scope="module")
def ex():
    """The real spaCy extractor over the small gazetteer of invented names only, so each
    expected event in the pattern tests depends on the rules alone."""
    from pathlib import Path

    from kg.extract import Extractor
    from kg.extract.gazetteer import load_gazetteer

    gaz = Path(__file__).parent / "fixtures" / "extract" / "gazetteer.jsonl"
    return Extractor(gazetteer=load_gazetteer([gaz], builtin=False))




# --- store fixtures ---
# Owned by the store/server helper. Backends: memory, oxigraph (in tmp_path) and sparql
# (a running Virtuoso named by KG_TEST_VIRTUOSO; see .ci/virtuoso.sh).

VIRTUOSO_MISSING = ("Virtuoso not running: start it with .ci/virtuoso.sh start DIR and set "
                    "KG_TEST_VIRTUOSO")


@pytest.fixture(scope="session")
def virtuoso_url() -> str:
    """Base URL of the test Virtuoso (skips loudly, or fails in CI, when it is not there)."""
    import urllib.parse
    import urllib.request

    base = os.environ.get("KG_TEST_VIRTUOSO", "").rstrip("/")
    if not base:
        skip_or_fail(VIRTUOSO_MISSING)
    data = urllib.parse.urlencode({"query": "ASK {}"}).encode()
    try:
        urllib.request.urlopen(f"{base}/sparql", data=data, timeout=10).read()
    except OSError as e:
        skip_or_fail(f"{VIRTUOSO_MISSING} (KG_TEST_VIRTUOSO={base} does not answer: {e})")
    return base


@pytest.fixture
def store_ns():
    """A Namespace unique to one test: its graphs and subjects never meet another test's."""
    import uuid

    from rdflib import Namespace

    return Namespace(f"urn:kgtest:{uuid.uuid4().hex}/")


def _open_test_store(kind: str, request, tmp_path, ns, monkeypatch):
    from urllib.parse import quote

    from kg.rdf.store import open_store

    if kind == "memory":
        return open_store("memory:")
    if kind == "oxigraph":
        return open_store(f"oxigraph:{tmp_path / 'store'}")
    base = request.getfixturevalue("virtuoso_url")
    if not os.environ.get("KG_SPARQL_USER"):  # a fresh Virtuoso's account
        monkeypatch.setenv("KG_SPARQL_USER", "dba")
        monkeypatch.setenv("KG_SPARQL_PASSWORD", "dba")
    return open_store(f"sparql:{base}/sparql?graphs={quote(str(ns), safe='')}")


@pytest.fixture(params=["memory", "oxigraph",
                        pytest.param("sparql", marks=pytest.mark.virtuoso)])
def any_store(request, tmp_path, store_ns, monkeypatch):
    """Each backend in turn; on the shared Virtuoso the test's graphs are dropped after."""
    store = _open_test_store(request.param, request, tmp_path, store_ns, monkeypatch)
    store.kind = request.param
    yield store
    try:
        if request.param == "sparql":
            store.drop_graphs(store.graphs())
    finally:
        store.close()
