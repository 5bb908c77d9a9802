"""The kg command line: exact output, exit codes, one-line errors, every verb wired."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.cli.main import cli

FIXTURES = Path(__file__).parent / "fixtures"
SMALL = FIXTURES / "small.trig"


DATASET_DEFAULT = Dataset().default_graph.identifier


def stored_quads(url: str) -> set:
    from kg.rdf.store import open_store

    with open_store(url, create=False) as store:
        return set(store.quads())


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def small_store(tmp_path) -> str:
    path = tmp_path / "store"
    result = run("import", str(SMALL), "--store", str(path))
    assert result.exit_code == 0, result.output
    assert result.output == f"246 quad(s) loaded into oxigraph:{path}\n"
    return str(path)


@pytest.fixture(autouse=True)
def no_user_config(monkeypatch, tmp_path):
    monkeypatch.delenv("KG_STORE", raising=False)
    monkeypatch.delenv("KG_CONFIG", raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1750000000")
    monkeypatch.chdir(tmp_path)


def test_every_verb_has_help_with_an_example():
    verbs = ["extract", "build", "query", "viz", "export", "validate", "stats", "demo",
             "import", "serve", "remove", "entities", "conflicts", "timeline"]
    top = run("--help")
    assert top.exit_code == 0
    for verb in verbs:
        assert f"  {verb}" in top.output
        result = run(verb, "--help")
        assert result.exit_code == 0
        assert "Example:" in result.output, verb


def test_stats_json_counts_exactly(small_store):
    result = run("stats", "--store", small_store, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output) == {
        "articles": 2, "entities": 11, "events": 9,
        "events_by_type": {"Acquisition": 1, "Investment": 1, "FundingRound": 3,
                           "ProductLaunch": 1, "Partnership": 1, "Appointment": 2},
        "quads": 246, "graphs": 2,
    }


def test_stats_table(small_store):
    assert run("stats", "--store", small_store).output == (
        "articles                 2\n"
        "entities                11\n"
        "events                   9\n"
        "  Acquisition            1\n"
        "  Investment             1\n"
        "  FundingRound           3\n"
        "  ProductLaunch          1\n"
        "  Partnership            1\n"
        "  Appointment            2\n"
        "quads                  246\n"
    )


def test_named_query_binds_parameters_and_prints_a_table(small_store):
    result = run("query", "--named", "roles", "--store", small_store)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["person_name", "role", "organization", "date", "sources", "event"]
    assert lines[2].split()[:5] == ["Alexandr", "Wang", "chief", "AI", "officer"]
    assert lines[-1] == "(2 rows)"


def test_named_query_csv_is_sparql_csv(small_store):
    result = run("query", "--named", "funding-rounds-above", "--param", "min=1000000000",
                 "--store", small_store, "--format", "csv")
    assert result.exit_code == 0
    rows = result.output.splitlines()
    assert rows[0] == "event,company,amount,currency,round,valuation,date,investors"
    assert [r.split(",")[1] for r in rows[1:]] == ["OpenAI", "Anthropic"]


def test_query_json_is_sparql_results_json(small_store):
    query = ("PREFIX kg: <https://w3id.org/aikg/ns#> PREFIX rdfs: "
             "<http://www.w3.org/2000/01/rdf-schema#> "
             "SELECT DISTINCT ?name WHERE { ?o a kg:Person ; rdfs:label ?name }")
    result = run("query", query, "--store", small_store, "--format", "json")
    assert json.loads(result.output) == {
        "head": {"vars": ["name"]},
        "results": {"bindings": [{"name": {"type": "literal", "value": "Alexandr Wang"}}]},
    }


def test_query_from_rq_file_with_a_hostile_parameter(small_store, tmp_path):
    rq = tmp_path / "by-name.rq"
    rq.write_text("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                  "SELECT DISTINCT ?o WHERE { ?o rdfs:label ?name }\n", encoding="utf-8")
    result = run("query", str(rq), "--param", "name=<img src=x onerror=alert(1)>",
                 "--store", small_store, "--format", "csv")
    assert result.output.splitlines() == [
        "o", "https://w3id.org/aikg/id/organization/img-src-x-onerror-alert-1"]
    hostile = run("query", str(rq), "--param", 'name=x" } ; DROP ALL ; #',
                  "--store", small_store, "--format", "csv")
    assert hostile.output.splitlines() == ["o"]
    assert json.loads(run("stats", "--store", small_store, "--format", "json").output)[
        "quads"] == 246


def test_errors_are_one_line_with_status_1(tmp_path):
    result = CliRunner().invoke(cli, ["stats", "--store", str(tmp_path / "missing")])
    assert result.exit_code == 1
    assert result.output == (f"error: no store at {tmp_path / 'missing'}; run `kg build INPUT "
                             f"--store {tmp_path / 'missing'}` first\n")
    assert not (tmp_path / "missing").exists()


def test_bad_usage_exits_2(small_store):
    assert CliRunner().invoke(cli, ["query", "--store", small_store]).exit_code == 2
    assert CliRunner().invoke(cli, ["export", "--format", "pdf", "-o", "x"]).exit_code == 2
    assert CliRunner().invoke(cli, ["frobnicate"]).exit_code == 2


def test_unknown_named_query_lists_the_known_ones(small_store):
    result = CliRunner().invoke(cli, ["query", "--named", "nope", "--store", small_store])
    assert result.exit_code == 1
    assert result.output.startswith("error: ") and "deals-of" in result.output
    assert result.output.count("\n") == 1


@pytest.mark.parametrize("fmt,parse", [("turtle", "turtle"), ("nt", "nt"),
                                       ("jsonld", "json-ld")])
def test_export_rdf_round_trips(small_store, tmp_path, fmt, parse):
    out = tmp_path / f"out.{fmt}"
    assert run("export", "--store", small_store, "--format", fmt, "-o", str(out)).exit_code == 0
    expected = Graph()
    for s, p, o, _ in stored_quads(small_store):
        expected.add((s, p, o))
    assert isomorphic(Graph().parse(out, format=parse), expected)


@pytest.mark.parametrize("fmt", ["nquads", "trig"])
def test_export_quads_keep_the_named_graphs(small_store, tmp_path, fmt):
    out = tmp_path / f"out.{fmt}"
    assert run("export", "--store", small_store, "--format", fmt, "-o", str(out)).exit_code == 0
    got = Dataset().parse(out, format=fmt)
    assert {q for q in got.quads() if q[3] != DATASET_DEFAULT} == stored_quads(small_store)


def test_export_graphml_and_gexf_open_with_networkx(small_store, tmp_path):
    import networkx as nx

    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        out = tmp_path / f"g.{fmt}"
        assert run("export", "--store", small_store, "--format", fmt, "-o", str(out)).exit_code == 0
        graph = reader(out)
        labels = {d.get("label") for _, d in graph.nodes(data=True)}
        assert {"Nvidia", "Run:ai", "<img src=x onerror=alert(1)>"} <= labels


def test_validate_reports_conformance(small_store):
    result = run("validate", "--store", small_store)
    assert (result.exit_code, result.output) == (0, "conforms: no violation\n")


def test_viz_writes_a_page(small_store, tmp_path):
    out = tmp_path / "g.html"
    result = run("viz", "--store", small_store, "-o", str(out))
    assert result.exit_code == 0 and result.output.startswith(f"wrote {out} (")
    page = out.read_text(encoding="utf-8")
    assert "<img src=x onerror" not in page


def test_build_twice_leaves_the_store_unchanged(tmp_path):
    articles = tmp_path / "in"
    shutil.copytree(FIXTURES / "build", articles)
    store = str(tmp_path / "s")
    first = run("build", str(articles), "--store", store, "--quiet")
    assert first.exit_code == 0
    assert first.output.startswith("3 article(s) written (3 new, 0 replaced, 0 unchanged), ")
    dump1 = tmp_path / "1.nq"
    run("export", "--store", store, "--format", "nquads", "-o", str(dump1))
    second = run("build", str(articles), "--store", store, "--quiet")
    assert second.output == (f"0 article(s) written (0 new, 0 replaced, 3 unchanged), "
                             f"0 event(s), store oxigraph:{store}\n")
    dump2 = tmp_path / "2.nq"
    run("export", "--store", store, "--format", "nquads", "-o", str(dump2))
    assert sorted(dump1.read_text().splitlines()) == sorted(dump2.read_text().splitlines())


def test_build_lists_problems_and_strict_fails(tmp_path):
    articles = tmp_path / "in"
    shutil.copytree(FIXTURES / "build", articles)
    (articles / "empty.txt").write_text("", encoding="utf-8")
    store = str(tmp_path / "s")
    result = CliRunner().invoke(cli, ["build", str(articles), "--store", store, "--quiet"])
    assert result.exit_code == 0
    assert "1 input problem(s):" in result.output
    strict = CliRunner().invoke(cli, ["build", str(articles), "--store", store, "--quiet",
                                      "--strict"])
    assert strict.exit_code == 1


def test_remove_takes_one_article_out(tmp_path):
    articles = tmp_path / "in"
    shutil.copytree(FIXTURES / "build", articles)
    store = str(tmp_path / "s")
    run("build", str(articles), "--store", store, "--quiet")
    result = run("remove", "helio-launch", "--store", store)
    assert result.output == "removed 1 article(s)\n"
    stats = json.loads(run("stats", "--store", store, "--format", "json").output)
    assert stats["articles"] == 2 and stats["graphs"] == 2
    missing = CliRunner().invoke(cli, ["remove", "helio-launch", "--store", store])
    assert missing.exit_code == 1 and missing.output.startswith("error: no article 'helio-launch'")


def test_extract_prints_one_json_line_per_article(tmp_path):
    result = run("extract", str(FIXTURES / "build"), "--quiet")
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["id"] for line in lines] == [
        "helio-launch", "quanta-buys-lattice", "quanta-lattice-wire"]
    acquisitions = [e for e in lines[1]["events"] if e["type"] == "Acquisition"]
    assert acquisitions and acquisitions[0]["acquirer"] == "Quanta Systems"
    assert acquisitions[0]["target"] == "Lattice Robotics"
    assert acquisitions[0]["amount"] == {"value": 420000000, "currency": "USD"}


def test_demo_builds_counts_draws_and_answers(tmp_path):
    result = run("demo", "--store", "memory:", "-o", str(tmp_path / "demo.html"), "--quiet")
    assert result.exit_code == 0, result.output
    assert "Events by type:" in result.output
    assert "$ kg query --named deals-of --param org=Nvidia" in result.output
    assert (tmp_path / "demo.html").stat().st_size > 10_000


def test_demo_store_validates(tmp_path):
    store = str(tmp_path / "demo-store")
    assert run("demo", "--store", store, "-o", str(tmp_path / "d.html"), "--quiet").exit_code == 0
    result = run("validate", "--store", store)
    assert (result.exit_code, result.output) == (0, "conforms: no violation\n")


def test_ad_hoc_queries_may_use_kg_prefixes_undeclared(small_store):
    result = run("query", "SELECT ?p WHERE { ?p a kg:Person ; rdfs:label ?n }", "--store",
                 small_store, "--format", "csv")
    assert result.output.splitlines() == ["p", "https://w3id.org/aikg/id/person/alexandr-wang"]


def test_declared_prefixes_are_left_alone():
    from kg.query.core import with_prefixes

    text = "PREFIX kg: <http://other/>\nSELECT * WHERE { ?s a kg:X ; rdfs:label ?l }"
    assert with_prefixes(text) == (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" + text)
    assert with_prefixes("SELECT * WHERE { ?s <urn:x:y> 'a:b' }") == (
        "SELECT * WHERE { ?s <urn:x:y> 'a:b' }")


def test_serve_refuses_updates_without_a_token(small_store, monkeypatch):
    monkeypatch.delenv("KG_SERVE_TOKEN", raising=False)
    result = CliRunner().invoke(cli, ["serve", "--store", small_store, "--allow-update"])
    assert result.exit_code == 1
    assert result.output == "error: --allow-update needs a token: set KG_SERVE_TOKEN\n"


def test_timeline_writes_a_picture(small_store, tmp_path):
    out = tmp_path / "t.png"
    result = run("timeline", "--store", small_store, "-o", str(out))
    assert result.output == f"wrote {out}\n"
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    bad = CliRunner().invoke(cli, ["timeline", "--store", small_store, "-o", "t.pdf"])
    assert bad.exit_code == 1
    assert bad.output == "error: t.pdf: the timeline is written as .png or .svg\n"


def test_entities_lists_names_with_aliases(small_store):
    result = run("entities", "--store", small_store, "--type", "Organization")
    lines = result.output.splitlines()
    assert "Organization  Meta  (Facebook, Meta Platforms)" in lines
    assert "Organization  Nvidia  (NVIDIA Corp)" in lines
    assert all(line.startswith("Organization") for line in lines)
