"""kg serve: the SPARQL 1.1 Protocol endpoint, driven by SPARQLWrapper and plain urllib."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from importlib import resources

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS, XSD
from SPARQLWrapper import CSV, JSON, POST, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from kg.errors import ConfigError
from kg.rdf.store import open_store
from kg.server import make_server
from kg.server.page import APP_JS, INDEX_HTML

EX = Namespace("urn:ex:")
G = URIRef("urn:graph:one")
TRIPLES = [
    (EX.openai, RDFS.label, Literal("OpenAI")),
    (EX.anthropic, RDFS.label, Literal('Anthropic "<b>x</b>"')),
    (EX.openai, EX.raised, Literal("6.6", datatype=XSD.decimal)),
]
SELECT_LABELS = "SELECT ?org ?label WHERE { ?org <http://www.w3.org/2000/01/rdf-schema#label> " \
                "?label } ORDER BY ?label"


@pytest.fixture(params=["oxigraph:", "memory:"])
def store(request):
    s = open_store(request.param)
    s.replace_graphs({G: TRIPLES})
    yield s
    s.close()


@pytest.fixture
def run_server():
    servers = []

    def start(store, **kw):
        srv = make_server(store, port=0, **kw)
        threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        servers.append(srv)
        return srv

    yield start
    for srv in servers:
        srv.shutdown()
        srv.server_close()


def _client(srv, query: str, fmt=JSON) -> SPARQLWrapper:
    client = SPARQLWrapper(f"{srv.url}/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


def _get(url: str, headers: dict[str, str] | None = None, method: str = "GET",
         data: bytes | None = None):
    req = urllib.request.Request(url, headers=headers or {}, method=method, data=data)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


# -- queries --------------------------------------------------------------------------------
def test_select_rows_as_json(store, run_server):
    srv = run_server(store)
    data = _client(srv, SELECT_LABELS).queryAndConvert()
    assert data["head"]["vars"] == ["org", "label"]
    rows = [(b["org"]["value"], b["label"]["value"]) for b in data["results"]["bindings"]]
    assert rows == [(str(EX.anthropic), 'Anthropic "<b>x</b>"'), (str(EX.openai), "OpenAI")]


def test_typed_literal_in_json(store, run_server):
    srv = run_server(store)
    data = _client(srv, "SELECT ?v WHERE { ?s <urn:ex:raised> ?v }").queryAndConvert()
    assert data["results"]["bindings"] == [
        {"v": {"type": "literal", "value": "6.6", "datatype": str(XSD.decimal)}}]


def test_select_as_csv_tsv_xml(store, run_server):
    srv = run_server(store)
    csv_text = _client(srv, SELECT_LABELS, CSV).queryAndConvert().decode()
    assert csv_text.splitlines() == ["org,label", 'urn:ex:anthropic,"Anthropic ""<b>x</b>"""',
                                     "urn:ex:openai,OpenAI"]
    tsv_text = _client(srv, SELECT_LABELS, TSV).queryAndConvert().decode()
    assert tsv_text.splitlines() == ["?org\t?label",
                                     '<urn:ex:anthropic>\t"Anthropic \\"<b>x</b>\\""',
                                     '<urn:ex:openai>\t"OpenAI"']
    doc = _client(srv, SELECT_LABELS, XML).queryAndConvert()
    literals = [n.firstChild.data for n in doc.getElementsByTagName("literal")]
    assert literals == ['Anthropic "<b>x</b>"', "OpenAI"]


def test_accept_q_values_pick_the_format(store, run_server):
    srv = run_server(store)
    url = f"{srv.url}/sparql?" + urllib.parse.urlencode({"query": SELECT_LABELS})
    status, headers, _ = _get(url, {"Accept": "text/csv;q=0.4, application/sparql-results+xml"})
    assert status == 200 and headers.get_content_type() == "application/sparql-results+xml"
    status, headers, _ = _get(url, {"Accept": "text/csv;q=0.9, application/sparql-results+xml;"
                                              "q=0.2"})
    assert headers.get_content_type() == "text/csv"
    status, headers, _ = _get(url, {"Accept": "text/html"})  # nothing matches: the default
    assert headers.get_content_type() == "application/sparql-results+json"


def test_ask(store, run_server):
    srv = run_server(store)
    assert _client(srv, 'ASK { ?s ?p "OpenAI" }').queryAndConvert()["boolean"] is True
    assert _client(srv, 'ASK { ?s ?p "Meta" }').queryAndConvert()["boolean"] is False


def test_construct_as_turtle_and_ntriples(store, run_server):
    srv = run_server(store)
    q = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    got = _client(srv, q, TURTLE).queryAndConvert()
    expected = Graph()
    for t in TRIPLES:
        expected.add(t)
    assert isomorphic(Graph().parse(data=got, format="turtle"), expected)
    status, headers, body = _get(f"{srv.url}/sparql?" + urllib.parse.urlencode({"query": q}),
                                 {"Accept": "application/n-triples"})
    assert headers.get_content_type() == "application/n-triples"
    assert isomorphic(Graph().parse(data=body, format="nt"), expected)


def test_post_sparql_query_body(store, run_server):
    srv = run_server(store)
    status, headers, body = _get(f"{srv.url}/sparql", {
        "Content-Type": "application/sparql-query", "Accept": "application/json"},
        "POST", SELECT_LABELS.encode())
    assert status == 200
    assert [b["label"]["value"] for b in json.loads(body)["results"]["bindings"]] == [
        'Anthropic "<b>x</b>"', "OpenAI"]


def test_bad_query_is_400_with_message(store, run_server):
    srv = run_server(store)
    with pytest.raises(QueryBadFormed):
        _client(srv, "SELECT ?x WHERE { ?x ").queryAndConvert()


def test_row_cap(store, run_server):
    srv = run_server(store, max_rows=2)
    url = f"{srv.url}/sparql?" + urllib.parse.urlencode({"query": "SELECT * { ?s ?p ?o }"})
    status, headers, body = _get(url)
    assert status == 200 and headers["X-KG-Truncated"] == "true"
    assert len(json.loads(body)["results"]["bindings"]) == 2


def test_runaway_query_is_stopped_with_an_error(store, run_server):
    store.replace_graphs({G: [(EX[f"s{i}"], EX.p, Literal(i)) for i in range(300)]})
    srv = run_server(store, timeout=0.5, max_rows=10**9)  # streams rows until stopped
    client = _client(srv, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
    with pytest.raises(urllib.error.HTTPError) as info:
        client.query()
    assert info.value.code == 503
    assert "timed out" in info.value.read().decode()
    # and the server still answers
    assert _client(srv, 'ASK { ?s ?p 5 }').queryAndConvert()["boolean"] is True


# -- updates ------------------------------------------------------------------------------------
UPDATE = 'INSERT DATA { GRAPH <urn:graph:two> { <urn:ex:meta> <urn:ex:name> "Meta" } }'


def _update(srv, token: str | None = None) -> int:
    headers = {"Content-Type": "application/sparql-update"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    status, _, _ = _get(f"{srv.url}/sparql", headers, "POST", UPDATE.encode())
    return status


def test_update_refused_on_read_only_server(store, run_server):
    srv = run_server(store)
    client = _client(srv, "")
    client.setMethod(POST)
    client.setQuery(UPDATE)
    with pytest.raises(urllib.error.HTTPError) as info:
        client.query()
    assert info.value.code == 403
    assert _update(srv, "anything") == 403
    assert store.count() == 3 and store.graphs() == {G}


def test_update_needs_the_right_token(store, run_server):
    srv = run_server(store, allow_update=True, token="s3cret")
    assert _update(srv) == 403
    assert _update(srv, "wrong") == 403
    assert store.count() == 3
    client = _client(srv, "")
    client.setMethod(POST)
    client.setQuery(UPDATE)
    client.addCustomHttpHeader("Authorization", "Bearer s3cret")
    client.query()
    assert store.graphs() == {G, URIRef("urn:graph:two")}
    assert set(store.quads(URIRef("urn:graph:two"))) == {
        (EX.meta, EX.name, Literal("Meta"), URIRef("urn:graph:two"))}


def test_update_server_without_token_is_refused(store):
    with pytest.raises(ConfigError, match="token"):
        make_server(store, port=0, allow_update=True)


# -- browser side ------------------------------------------------------------------------------
def test_cors_preflight_and_headers(store, run_server):
    srv = run_server(store)
    status, headers, _ = _get(f"{srv.url}/sparql", {
        "Origin": "http://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"}, "OPTIONS")
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "Authorization" in headers["Access-Control-Allow-Headers"]
    url = f"{srv.url}/sparql?" + urllib.parse.urlencode({"query": "ASK {}"})
    assert _get(url, {"Origin": "http://example.org"})[1]["Access-Control-Allow-Origin"] == "*"


def test_query_page_and_named_examples(store, run_server):
    srv = run_server(store)
    status, headers, body = _get(f"{srv.url}/")
    assert status == 200 and headers.get_content_type() == "text/html"
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    page = body.decode()
    assert '<textarea id="query"' in page and 'href="/graph"' in page
    assert "<script src=\"/app.js\">" in page
    status, _, body = _get(f"{srv.url}/queries.json")
    shipped = sorted(f.name[:-3] for f in resources.files("kg.query.named").iterdir()
                     if f.name.endswith(".rq"))
    examples = json.loads(body)
    assert [q["name"] for q in examples] == shipped
    for q in examples:
        assert q["text"] == (resources.files("kg.query.named") / f"{q['name']}.rq").read_text(
            encoding="utf-8")


def test_page_script_never_uses_inner_html():
    assert "innerHTML" not in APP_JS and "outerHTML" not in APP_JS
    assert "textContent" in APP_JS
    assert "<script>" not in INDEX_HTML  # inline scripts are forbidden by the CSP


def test_graph_page(store, run_server, tmp_path):
    srv = run_server(store)
    assert _get(f"{srv.url}/graph")[0] == 404
    html = tmp_path / "graph.html"
    html.write_text("<html><body>the graph</body></html>", encoding="utf-8")
    srv2 = run_server(store, graph_html=html)
    status, headers, body = _get(f"{srv2.url}/graph")
    assert status == 200 and body == html.read_bytes()
