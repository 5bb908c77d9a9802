"""Query stage: SPARQL with bound parameters, result formats, DataFrames, named queries.

Named queries run on both the rdflib memory store and an in-memory Oxigraph store, since
the two bind parameters differently and Oxigraph's union graph repeats triples that
several article graphs share.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg.errors import QueryError, UnknownNamedQueryError
from kg.query import (
    format_result,
    load_query,
    named_queries,
    query_df,
    run_named,
    run_query,
    to_dataframe,
)
from kg.query.catalog import parse_header
from kg.rdf.store import open_store
from kg.rdf.store.base import QueryResult

FIXTURE = Path(__file__).parent / "fixtures" / "small.trig"
ID = "https://w3id.org/aikg/id/"
HOSTILE = "<img src=x onerror=alert(1)>"


def _store(url: str):
    store = open_store(url)
    store.load(FIXTURE, "trig")
    return store


@pytest.fixture(scope="module")
def store():
    return _store("memory:")


@pytest.fixture(scope="module", params=["memory:", "oxigraph:"])
def any_store(request):
    return _store(request.param)


def test_run_query_binds_parameters_as_terms(store):
    q = "SELECT ?e WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?name }"
    result = run_query(store, q, {"name": "Nvidia"})
    assert result.rows == [(URIRef(ID + "organization/nvidia"),)]
    # an injection attempt stays a string literal and matches nothing
    assert run_query(store, q, {"name": '"} ?e ?p ?o . { "'}).rows == []


def test_run_query_numbers_become_typed_literals(store):
    q = ("PREFIX kg: <https://w3id.org/aikg/ns#> SELECT ?v WHERE { ?m kg:value ?v "
         "FILTER(?v >= ?min) } ORDER BY ?v")
    values = [float(r[0]) for r in run_query(store, q, {"min": 10_000_000_000}).rows]
    assert values == [10e9, 14.3e9, 40e9, 61.5e9]


def test_load_query_from_file(tmp_path):
    f = tmp_path / "q.rq"
    f.write_text("SELECT * WHERE { ?s ?p ?o }", encoding="utf-8")
    assert load_query(str(f)) == "SELECT * WHERE { ?s ?p ?o }"
    assert load_query(f) == "SELECT * WHERE { ?s ?p ?o }"
    assert load_query("ASK {}") == "ASK {}"
    with pytest.raises(QueryError, match="not found"):
        load_query(str(tmp_path / "missing.rq"))


def test_bad_sparql_raises_query_error(store):
    with pytest.raises(QueryError):
        run_query(store, "SELECT WHERE {")


SAMPLE = QueryResult(
    "select",
    ["s", "n", "label", "missing"],
    [
        (URIRef(ID + "organization/meta"), Literal("14300000000", datatype=XSD.decimal),
         Literal("Meta bets", lang="en"), None),
        (URIRef(ID + "article/a1"), Literal(3), Literal('quote " and, comma'), None),
    ],
)


def test_json_is_sparql_results_json():
    doc = json.loads(format_result(SAMPLE, "json"))
    assert doc["head"] == {"vars": ["s", "n", "label", "missing"]}
    first, second = doc["results"]["bindings"]
    assert first == {
        "s": {"type": "uri", "value": ID + "organization/meta"},
        "n": {"type": "literal", "value": "14300000000", "datatype": str(XSD.decimal)},
        "label": {"type": "literal", "value": "Meta bets", "xml:lang": "en"},
    }
    assert second["n"] == {"type": "literal", "value": "3", "datatype": str(XSD.integer)}
    assert second["label"] == {"type": "literal", "value": 'quote " and, comma'}
    ask = json.loads(format_result(QueryResult("ask", boolean=True), "json"))
    assert ask == {"head": {}, "boolean": True}


def test_csv_is_sparql_results_csv():
    text = format_result(SAMPLE, "csv")
    assert text.startswith("s,n,label,missing\r\n")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1] == [ID + "organization/meta", "14300000000", "Meta bets", ""]
    assert rows[2] == [ID + "article/a1", "3", 'quote " and, comma', ""]


def test_table_is_aligned_and_compacts_iris():
    assert format_result(SAMPLE, "table") == (
        "s                     n            label               missing\n"
        "--------------------  -----------  ------------------  -------\n"
        "id:organization/meta  14300000000  Meta bets\n"
        "id:article/a1         3            quote \" and, comma\n"
        "(2 rows)"
    )
    with pytest.raises(QueryError, match="unknown result format"):
        format_result(SAMPLE, "xml")  # type: ignore[arg-type]


def test_to_dataframe_gives_python_values(store):
    df = to_dataframe(SAMPLE)
    assert list(df.columns) == ["s", "n", "label", "missing"]
    assert df.loc[0, "n"] == 14300000000.0 and isinstance(df.loc[0, "n"], float)
    assert df.loc[0, "s"] == ID + "organization/meta"
    assert df["missing"].isna().all()
    dates = query_df(store, "PREFIX kg: <https://w3id.org/aikg/ns#> "
                            "SELECT DISTINCT ?d WHERE { ?e kg:date ?d } ORDER BY STR(?d)")
    assert list(dates["d"]) == ["2024-12", "2025", "2025-03-03", "2025-03-31", "2025-06",
                                "2025-06-12", "2025-07-15", "2026-04-08"]


def test_named_queries_are_described():
    queries = named_queries()
    for name in ("deals-of", "funding-rounds-above", "timeline", "roles", "top-investors",
                 "events-by-type", "sources-of", "entities", "articles"):
        assert name in queries
        assert queries[name].description
    deals = queries["deals-of"]
    assert [(p.name, p.kind, p.required) for p in deals.params] == [("org", "name", True)]
    rounds = queries["funding-rounds-above"]
    assert [(p.name, p.required) for p in rounds.params] == [("min", True), ("currency", False)]
    assert rounds.params[1].description == "only rounds in this ISO currency, e.g. USD"


def test_order_header_sorts_rows(store, monkeypatch):
    q = parse_header("# name: by-value\n# order: -v s\n"
                     "PREFIX kg: <https://w3id.org/aikg/ns#>\n"
                     "SELECT DISTINCT ?s ?v WHERE { ?s kg:value ?v }")
    assert q.order == ("-v", "s")
    monkeypatch.setattr("kg.query.catalog._load_all", lambda: {"by-value": q})
    values = [float(r[1]) for r in run_named(store, "by-value").rows]
    assert values == sorted(values, reverse=True) and len(values) == 7
    bad = parse_header("# name: bad\n# order: nope\nSELECT ?s WHERE { ?s ?p ?o } LIMIT 1")
    monkeypatch.setattr("kg.query.catalog._load_all", lambda: {"bad": bad})
    with pytest.raises(QueryError, match="orders by 'nope'"):
        run_named(store, "bad")


def test_parse_header_rejects_unknown_kind():
    with pytest.raises(QueryError, match="unknown parameter kind"):
        parse_header("# name: x\n# param: a (colour) - nope\nSELECT * {}")


def test_unknown_named_query_lists_known(store):
    with pytest.raises(UnknownNamedQueryError, match="known: .*deals-of"):
        run_named(store, "deals-off", {})


def test_missing_and_unknown_parameters(store):
    with pytest.raises(QueryError, match="needs parameter 'org'"):
        run_named(store, "deals-of", {})
    with pytest.raises(QueryError, match="no parameter 'organisation'"):
        run_named(store, "deals-of", {"org": "Meta", "organisation": "x"})
    with pytest.raises(QueryError, match="must be a number"):
        run_named(store, "funding-rounds-above", {"min": "a lot"})


def test_deals_of_matches_alias_case_insensitively(any_store):
    df = to_dataframe(run_named(any_store, "deals-of", {"org": "FACEBOOK"}))
    assert list(df.columns) == ["event", "type", "role", "counterparts", "amount", "currency",
                                "date", "sources"]
    assert df.to_dict("records") == [
        {"event": ID + "event/investment/meta-scale-ai", "type": "Investment",
         "role": "investor", "counterparts": "Scale AI", "amount": 14300000000.0,
         "currency": "USD", "date": "2025-06", "sources": 1},
        {"event": ID + "event/appointment/alexandr-wang-meta", "type": "Appointment",
         "role": "organization", "counterparts": "Alexandr Wang", "amount": None,
         "currency": None, "date": "2025-06-12", "sources": 1},
        {"event": ID + "event/product-launch/meta-muse-spark", "type": "ProductLaunch",
         "role": "company", "counterparts": "Muse Spark", "amount": None, "currency": None,
         "date": "2026-04-08", "sources": 1},
    ]


def test_deals_of_counts_sources_and_takes_iri(any_store):
    df = query_df(any_store, "deals-of", org="nvidia")
    assert df[["type", "counterparts", "amount", "sources"]].values.tolist() == [
        ["Acquisition", "Run:ai", 700000000.0, 2]]
    by_iri = query_df(any_store, "deals-of", org=ID + "organization/openai")
    assert sorted(by_iri["type"]) == ["FundingRound", "Partnership"]


def test_funding_rounds_above(any_store):
    df = query_df(any_store, "funding-rounds-above", min="1000000")
    assert df[["company", "amount", "currency", "round"]].values.tolist() == [
        ["OpenAI", 40e9, "USD", "late-stage"],
        ["Anthropic", 3.5e9, "USD", "Series E"],
        [HOSTILE, 5e6, "EUR", "Seed"],
    ]
    assert df.loc[1, "investors"] == f"{HOSTILE}; Sequoia"
    assert df.loc[1, "valuation"] == 61.5e9
    usd = query_df(any_store, "funding-rounds-above", min=1e9, currency="usd")
    assert list(usd["company"]) == ["OpenAI", "Anthropic"]
    for text in ("1e9", "1B", "1 billion", "1,000,000,000", "1000m"):
        assert list(query_df(any_store, "funding-rounds-above", min=text)["company"]) == \
            ["OpenAI", "Anthropic"], text
    eur = query_df(any_store, "funding-rounds-above", min=0, currency="EUR")
    assert list(eur["company"]) == [HOSTILE]


def test_timeline_is_ordered_by_date(any_store):
    df = query_df(any_store, "timeline")
    assert list(df["date"]) == ["2024-12", "2025", "2025-03-03", "2025-03-31", "2025-06",
                                "2025-06-12", "2025-07-15", "2026-04-08"]
    meta = query_df(any_store, "timeline", org="Meta Platforms")
    assert list(meta["type"]) == ["Investment", "Appointment", "ProductLaunch"]
    assert meta.loc[0, "participants"] == "Meta; Scale AI"


def test_roles_filters(any_store):
    everyone = query_df(any_store, "roles")
    assert everyone[["person_name", "role", "organization"]].values.tolist() == [
        ["Alexandr Wang", "chief AI officer", "Meta"],
        ["Alexandr Wang", "CEO", "Scale AI"],
    ]
    one = query_df(any_store, "roles", person="alexandr wang", org="scale ai")
    assert one[["role", "organization"]].values.tolist() == [["CEO", "Scale AI"]]
    assert query_df(any_store, "roles", org="Nvidia").empty


def test_top_investors_and_events_by_type(any_store):
    top = query_df(any_store, "top-investors")
    assert top[["investor", "deals", "total"]].values.tolist() == [
        ["Microsoft", 1, 40e9], ["Meta", 1, 14.3e9], [HOSTILE, 1, 3.5e9], ["Sequoia", 1, 3.5e9]]
    types = query_df(any_store, "events-by-type")
    assert types.values.tolist() == [
        ["FundingRound", 3, 3], ["Appointment", 2, 2], ["Acquisition", 1, 2],
        ["Investment", 1, 1], ["Partnership", 1, 1], ["ProductLaunch", 1, 1]]


def test_sources_of_and_entities(any_store):
    src = query_df(any_store, "sources-of", event="NVIDIA ACQUIRES RUN:AI")
    assert list(src["url"]) == ["https://example.com/news/a1", "https://example.com/news/a2"]
    assert src.loc[0, "sentence"].startswith("Nvidia completed its $700 million")
    people = query_df(any_store, "entities", type="Person")
    assert people[["label", "events"]].values.tolist() == [["Alexandr Wang", 2]]
    meta = query_df(any_store, "entities").set_index("label").loc["Meta"]
    assert meta["aliases"] == "Facebook; Meta Platforms"


def test_named_table_output_is_identical_across_engines():
    a, b = _store("memory:"), _store("oxigraph:")
    for name, params in [("timeline", {}), ("funding-rounds-above", {"min": 0}),
                         ("entities", {})]:
        assert format_result(run_named(a, name, params)) == \
            format_result(run_named(b, name, params))


def test_undated_events_sort_first(any_store):
    df = query_df(any_store, "deals-of", org="Scale AI")
    assert df[["type", "date"]].values.tolist() == [["Appointment", None],
                                                   ["Investment", "2025-06"]]


def test_articles(any_store):
    df = query_df(any_store, "articles")
    assert df[["id", "published", "headline", "events"]].values.tolist() == [
        ["a2", "2025-09-01", "OpenAI's mega-round", 6],
        ["a1", "2025-06-13", "Meta bets on Scale AI", 4],
    ]
