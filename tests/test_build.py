"""kg.build: batches into the store, resume by content hash, replacement, crash safety."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.build import build, stored_articles
from kg.rdf.store import open_store

FIXTURES = Path(__file__).parent / "fixtures" / "build"


def named_graphs(store) -> dict:
    graphs: dict = {}
    for s, p, o, g in store.quads():
        graphs.setdefault(g, Graph()).add((s, p, o))
    return graphs


def stores_isomorphic(a, b) -> bool:
    """Same named graphs, each isomorphic to its counterpart."""
    ga, gb = named_graphs(a), named_graphs(b)
    return ga.keys() == gb.keys() and all(isomorphic(ga[k], gb[k]) for k in ga)


def quads(store) -> set:
    return set(store.quads())


@pytest.fixture
def inputs(tmp_path) -> Path:
    folder = tmp_path / "articles"
    shutil.copytree(FIXTURES, folder)
    return folder


@pytest.fixture(autouse=True)
def fixed_ingest_time(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1750000000")


def test_build_writes_one_graph_per_article(inputs, tmp_path):
    url = f"oxigraph:{tmp_path / 'store'}"
    report = build([inputs], url)
    assert (report.articles_read, report.articles_added, report.articles_unchanged) == (3, 3, 0)
    with open_store(url, create=False) as store:
        assert sorted(stored_articles(store)) == [
            "helio-launch", "quanta-buys-lattice", "quanta-lattice-wire"]
        assert len(store.graphs()) == 3
        assert report.events > 0


def test_building_twice_changes_nothing(inputs, tmp_path):
    url = f"oxigraph:{tmp_path / 'store'}"
    build([inputs], url)
    with open_store(url, create=False) as store:
        first = quads(store)
    again = build([inputs], url)
    assert (again.articles_unchanged, again.articles_written, again.events) == (3, 0, 0)
    with open_store(url, create=False) as store:
        assert quads(store) == first


def test_two_fresh_builds_are_isomorphic(inputs, tmp_path):
    a, b = open_store("memory:"), open_store("memory:")
    build([inputs], a)
    build([inputs], b)
    assert stores_isomorphic(a, b)
    assert quads(a) == quads(b)


def test_changed_article_replaces_its_statements(inputs, tmp_path):
    store = open_store("memory:")
    build([inputs], store)
    graph = next(g for g in store.graphs() if str(g).endswith("helio-launch"))
    before = set(store.quads(graph))
    path = inputs / "helio-launch.md"
    path.write_text(path.read_text().replace("Helio-1", "Helio-2"), encoding="utf-8")
    report = build([inputs], store)
    assert (report.articles_replaced, report.articles_unchanged) == (1, 2)
    after = set(store.quads(graph))
    assert after != before
    labels = " ".join(str(o) for _, _, o, _ in after)
    assert "Helio-2" in labels and "Helio-1" not in labels
    # no statement of the old version survives anywhere in the store
    assert not [q for q in store.quads() if "Helio-1" in str(q[2])]


def test_same_text_under_two_names_is_ingested_once(inputs, tmp_path):
    shutil.copy(inputs / "helio-launch.md", inputs / "helio-copy.md")
    store = open_store("memory:")
    report = build([inputs], store)
    assert report.articles_written == 3
    assert len({"helio-copy", "helio-launch"} & set(stored_articles(store))) == 1


def _jsonl(path: Path, n: int) -> Path:
    import json

    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            text = (f"Company{i} Labs raised ${i + 1} million in a seed round led by "
                    f"Fund{i} Capital on Monday. Company{i} Labs unveiled Widget{i} on Tuesday.")
            f.write(json.dumps({"id": f"a{i:04d}", "text": text, "published": "2025-01-10"})
                    + "\n")
    return path


@pytest.mark.slow
def test_kill_9_mid_build_leaves_store_readable_and_resumable(tmp_path):
    """A SIGKILL during a build keeps every committed batch; the next build finishes it."""
    source = _jsonl(tmp_path / "many.jsonl", 400)
    store_path = tmp_path / "store"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1750000000"}
    cmd = [sys.executable, "-m", "kg", "--log-level", "debug", "build", str(source),
           "--store", str(store_path), "--batch-size", "10", "--quiet"]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, env=env)
    written = 0
    deadline = time.monotonic() + 120
    assert proc.stderr is not None
    for line in proc.stderr:
        if "wrote 10 article graphs" in line:
            written += 1
            if written >= 3:
                break
        assert time.monotonic() < deadline, "build wrote no batch in time"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    with open_store(f"oxigraph:{store_path}", create=False) as store:
        stored = stored_articles(store)
    assert len(stored) >= 30 and len(stored) % 10 == 0 and len(stored) < 400

    resumed = build([source], f"oxigraph:{store_path}")
    assert resumed.articles_unchanged == len(stored)
    assert resumed.articles_written == 400 - len(stored)
    with open_store(f"oxigraph:{store_path}", create=False) as store:
        assert len(stored_articles(store)) == 400
