"""Tests of kg.serve: the SPARQL endpoint, driven over real HTTP by SPARQLWrapper and httpx.

One server (two worker processes) runs for the module on a free loopback port, over a
store of three hand-written documents; every wait is bounded.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error

import httpx
import pytest
from rdflib import Graph, Literal
from rdflib.compare import isomorphic
from SPARQLWrapper import CSV, JSON, POST, POSTDIRECTLY, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from kg.errors import InputError
from kg.graph import build_graph, entity_iri
from kg.model import Document, DocumentExtraction, Entity, Event, Sentence
from kg.query import QueryResult, format_result, negotiate, results_xml, run_query
from kg.serve import BackgroundServer
from kg.store import open_store

TIMEOUT = 1.5
MAX_RESULTS = 40
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
WHO_MET = "SELECT ?a ?b WHERE { ?a pol:consulted ?b } ORDER BY ?a ?b"

ATL = Entity("country/ATL", "Atlantis", "Country", country="ATL")
BOR = Entity("country/BOR", "Borduria", "Country", country="BOR")
SYL = Entity("country/SYL", "Syldavia", "Country", country="SYL")


def _extraction(doc_id, date, text, events, entities):
    sentence = Sentence(doc_id, 0, len(text), text)
    evs = tuple(Event(t, a, r, "Asserted", trig, sentence, date=date) for t, a, r, trig in events)
    return DocumentExtraction(Document(doc_id, text, date=date), (sentence,), tuple(entities), (), evs)


EXTRACTIONS = [
    _extraction(
        "d1",
        "2024-05-01",
        "Atlantis and Borduria met in Geneva.",
        [("CONSULT", ("country/ATL", "country/BOR"), (), "met")],
        [ATL, BOR],
    ),
    _extraction(
        "d2",
        "2024-05-01",
        "Borduria and Atlantis held talks.",
        [("CONSULT", ("country/BOR", "country/ATL"), (), "held talks")],
        [BOR, ATL],
    ),
    _extraction(
        "d3",
        "2024-05-02",
        "Syldavia accused Borduria of spying.",
        [("ACCUSE", ("country/SYL",), ("country/BOR",), "accused")],
        [SYL, BOR],
    ),
]


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("serve") / "news.kg"
    with open_store(path) as store:
        for extraction in EXTRACTIONS:
            store.add_extraction(extraction)
    return path


@pytest.fixture(scope="module")
def server(store_dir):
    with BackgroundServer(store_dir, timeout=TIMEOUT, max_results=MAX_RESULTS, workers=2) as srv:
        yield srv


@pytest.fixture(scope="module")
def direct(store_dir, server):
    """The store as the server sees it, read directly (a second reader beside the server's)."""
    with open_store(store_dir, read_only=True) as store:
        yield store


@pytest.fixture
def http():
    with httpx.Client(timeout=20) as client:
        yield client


def _wrapper(url: str, query: str, fmt=JSON) -> SPARQLWrapper:
    client = SPARQLWrapper(url)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setTimeout(20)
    return client


def _json_rows(doc: dict) -> list[tuple]:
    return [tuple(b[v]["value"] if v in b else None for v in doc["head"]["vars"]) for b in doc["results"]["bindings"]]


# --------------------------------------------------------------------------- SPARQLWrapper


def test_sparqlwrapper_select_json_matches_direct_query(server, direct):
    doc = _wrapper(server.url, "PREFIX pol: <https://w3id.org/polkg/ontology#>\n" + WHO_MET).queryAndConvert()
    assert doc["head"]["vars"] == ["a", "b"]
    expected = run_query(direct.oxigraph, WHO_MET).rows
    assert _json_rows(doc) == expected
    atl, bor = str(entity_iri("country/ATL")), str(entity_iri("country/BOR"))
    assert expected == [(atl, bor), (bor, atl)]


def test_sparqlwrapper_select_xml_and_post(server, direct):
    client = _wrapper(server.url, WHO_MET, XML)
    client.setMethod(POST)
    dom = client.queryAndConvert()
    rows = [
        tuple(b.getElementsByTagName("uri")[0].firstChild.data for b in r.getElementsByTagName("binding"))
        for r in dom.getElementsByTagName("result")
    ]
    assert rows == run_query(direct.oxigraph, WHO_MET).rows


def test_sparqlwrapper_ask_csv_and_construct(server, direct):
    assert _wrapper(server.url, "ASK { ?a pol:accused ?b }").queryAndConvert() == {"head": {}, "boolean": True}
    csv_text = _wrapper(server.url, WHO_MET + " LIMIT 1", CSV).queryAndConvert().decode()
    assert csv_text == f"a,b\r\n{entity_iri('country/ATL')},{entity_iri('country/BOR')}\r\n"
    construct = "CONSTRUCT WHERE { ?a pol:accused ?b }"
    data = _wrapper(server.url, construct, TURTLE).queryAndConvert()
    assert isomorphic(Graph().parse(data=data, format="turtle"), run_query(direct.oxigraph, construct).graph)


def test_sparqlwrapper_update_refused_with_403(server, direct):
    before = len(direct)
    for method in (None, POSTDIRECTLY):
        client = _wrapper(server.url, "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
        client.setMethod(POST)
        if method:
            client.setRequestMethod(method)
        with pytest.raises(urllib.error.HTTPError) as info:
            client.query()
        assert info.value.code == 403
        assert info.value.read().decode() == (
            "this endpoint is read-only: SPARQL Update is refused; build or remove documents with the kg command\n"
        )
    assert len(direct) == before


def test_sparqlwrapper_syntax_error_is_400_with_position(server):
    with pytest.raises(QueryBadFormed) as info:
        _wrapper(server.url, "SELECT ?x WHERE { ?x ?y").query()
    assert "invalid SPARQL at line 1, column 24" in str(info.value)


# --------------------------------------------------------------------------- plain HTTP


def test_get_post_and_form_give_the_same_json(server, http, direct):
    expected = json.loads(format_result(run_query(direct.oxigraph, WHO_MET), "json"))
    get = http.get(server.url, params={"query": WHO_MET})
    body = http.post(server.url, content=WHO_MET.encode(), headers={"content-type": "application/sparql-query"})
    form = http.post(server.url, data={"query": WHO_MET})
    for response in (get, body, form):
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/sparql-results+json; charset=utf-8"
        assert response.json() == expected


@pytest.mark.parametrize(
    ("accept", "media", "fmt"),
    [
        ("text/csv", "text/csv; charset=utf-8", "csv"),
        ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8", "tsv"),
        ("application/sparql-results+xml", "application/sparql-results+xml; charset=utf-8", "xml"),
        ("*/*", "application/sparql-results+json; charset=utf-8", "json"),
    ],
)
def test_select_results_follow_accept(server, http, direct, accept, media, fmt):
    response = http.get(server.url, params={"query": WHO_MET}, headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"] == media
    result = run_query(direct.oxigraph, WHO_MET)
    assert response.text == (results_xml(result) if fmt == "xml" else format_result(result, fmt))


@pytest.mark.parametrize(
    ("accept", "media", "rdflib_format"),
    [
        ("text/turtle", "text/turtle; charset=utf-8", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/ld+json", "application/ld+json; charset=utf-8", "json-ld"),
        ("application/rdf+xml", "application/rdf+xml; charset=utf-8", "xml"),
    ],
)
def test_construct_results_follow_accept(server, http, direct, accept, media, rdflib_format):
    query = "CONSTRUCT WHERE { ?a pol:consulted ?b }"
    response = http.get(server.url, params={"query": query}, headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"] == media
    assert isomorphic(Graph().parse(data=response.text, format=rdflib_format), run_query(direct.oxigraph, query).graph)


def test_update_refused_every_way(server, http):
    update = "DELETE WHERE { ?s ?p ?o }"
    responses = [
        http.get(server.url, params={"update": update}),
        http.post(server.url, data={"update": update}),
        http.post(server.url, content=update, headers={"content-type": "application/sparql-update"}),
    ]
    assert [r.status_code for r in responses] == [403, 403, 403]
    assert http.get(server.url, params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True


@pytest.fixture
def listener():
    """A TCP listener on 127.0.0.1 that counts the connections it receives."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    sock.settimeout(0.1)
    hits: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(1)
                try:
                    hits.append(conn.recv(1024))
                except OSError:
                    hits.append(b"")
                conn.sendall(b"HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n")

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/sparql", hits
    stop.set()
    thread.join(5)
    sock.close()


def test_service_refused_before_any_request_leaves(server, http, listener):
    target, hits = listener
    queries = [
        f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"select * where {{ ?x a pol:Country . {{ service silent <{target}> {{ ?x ?p ?o }} }} }}",
        f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }} }} }}",
    ]
    for query in queries:
        response = http.get(server.url, params={"query": query})
        assert response.status_code == 403, query
        assert response.text == "SERVICE is refused: this endpoint does not send requests to other servers\n"
    with pytest.raises(urllib.error.HTTPError) as info:
        _wrapper(server.url, queries[0]).query()
    assert info.value.code == 403
    time.sleep(0.3)
    assert hits == []
    # the listener does count: a request sent straight to it arrives
    httpx.get(target, timeout=5)
    assert len(hits) == 1


def test_timeout_answers_503_and_the_server_recovers(server, http):
    started = time.perf_counter()
    response = http.get(server.url, params={"query": HEAVY})
    elapsed = time.perf_counter() - started
    assert response.status_code == 503
    assert response.text == (
        f"the query ran longer than this server's time limit of {TIMEOUT:g} s and was stopped; narrow it "
        "(a LIMIT, a FILTER on a type, entity or date, fewer unbound patterns)\n"
    )
    assert TIMEOUT <= elapsed < TIMEOUT + 3
    for _ in range(3):  # the other worker answers at once; the killed one is replaced
        assert http.get(server.url, params={"query": "ASK { ?s ?p ?o }"}).status_code == 200
    deadline = time.monotonic() + 30
    while server.app.state.kg.pool._idle.qsize() < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.app.state.kg.pool._idle.qsize() == 2


def test_too_many_results_is_400_with_a_clear_message(server, http, direct):
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    assert len(direct) > MAX_RESULTS
    response = http.get(server.url, params={"query": query})
    assert response.status_code == 400
    assert response.text == (
        f"the query gives more than {MAX_RESULTS} results, the most this server returns (kg serve --max-results); "
        f"add LIMIT {MAX_RESULTS} (and OFFSET to page), or narrow the query\n"
    )
    limited = http.get(server.url, params={"query": query + f" LIMIT {MAX_RESULTS}"})
    assert limited.status_code == 200 and len(limited.json()["results"]["bindings"]) == MAX_RESULTS


def test_bad_requests(server, http):
    missing = http.get(server.url)
    assert (missing.status_code, missing.text) == (
        400,
        "no query given: send one query, as ?query=... or in a POST body\n",
    )
    two = http.get(server.url, params=[("query", "ASK {}"), ("query", "ASK {}")])
    assert (two.status_code, two.text) == (400, "2 queries given: send one query, as ?query=... or in a POST body\n")
    wrong_type = http.post(server.url, content="ASK {}", headers={"content-type": "text/plain"})
    assert (wrong_type.status_code, wrong_type.text) == (
        415,
        "send the query as application/sparql-query, or form-encoded as query=... (got text/plain)\n",
    )
    huge = http.post(server.url, content=b"#" * 1_000_001, headers={"content-type": "application/sparql-query"})
    assert (huge.status_code, huge.text) == (413, "the request is larger than 1,000,000 bytes\n")


def test_accept_type_it_cannot_produce_is_406(server, http):
    answer = http.get(server.url, params={"query": "ASK {}"}, headers={"accept": "image/png"})
    assert (answer.status_code, answer.text) == (
        406,
        "cannot answer as image/png; this result comes as: application/sparql-results+json, "
        "application/sparql-results+xml, text/csv, text/tab-separated-values, application/json, "
        "application/xml, text/xml\n",
    )
    construct = {"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"}
    graph = http.get(server.url, params=construct, headers={"accept": "image/png"})
    assert (graph.status_code, graph.text) == (
        406,
        "cannot answer as image/png; this result comes as: text/turtle, application/n-triples, "
        "application/ld+json, application/rdf+xml, application/x-turtle, text/plain, application/json, "
        "application/xml, text/xml\n",
    )


def test_no_cors_headers_by_default(server, http):
    answer = http.get(server.url, params={"query": "ASK {}"}, headers={"origin": "https://evil.example"})
    assert answer.status_code == 200
    assert "access-control-allow-origin" not in answer.headers
    preflight = http.options(
        server.url, headers={"origin": "https://evil.example", "access-control-request-method": "POST"}
    )
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_only_for_the_origins_named(store_dir, http):
    origin = "https://yasgui.example"
    with BackgroundServer(store_dir, workers=1, cors_origins=[origin]) as srv:
        answer = http.get(srv.url, params={"query": "ASK {}"}, headers={"origin": origin})
        assert answer.headers["access-control-allow-origin"] == origin
        other = http.get(srv.url, params={"query": "ASK {}"}, headers={"origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
        preflight = http.options(
            srv.url,
            headers={
                "origin": origin,
                "access-control-request-method": "POST",
                "access-control-request-headers": "content-type",
            },
        )
        assert preflight.status_code == 200
        assert "POST" in preflight.headers["access-control-allow-methods"]
        assert preflight.headers["access-control-allow-headers"] == "content-type"


def test_cors_star_allows_any_origin_when_asked(store_dir, http):
    with BackgroundServer(store_dir, workers=1, cors_origins=["*"]) as srv:
        answer = http.get(srv.url, params={"query": "ASK {}"}, headers={"origin": "https://any.example"})
        assert answer.headers["access-control-allow-origin"] == "*"


def test_cors_origin_that_is_not_an_origin_is_refused(store_dir):
    with pytest.raises(InputError, match="'yasgui' is not an origin"):
        BackgroundServer(store_dir, workers=1, cors_origins=["yasgui"])


def test_explorer_page_and_turtle_download(server, http, direct):
    page = http.get(server.base + "/")
    assert page.status_code == 200 and page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.text.startswith("<!DOCTYPE html>") and "Atlantis" in page.text
    ttl = http.get(server.base + "/graph.ttl")
    assert ttl.status_code == 200 and ttl.headers["content-disposition"] == 'attachment; filename="graph.ttl"'
    assert isomorphic(Graph().parse(data=ttl.text, format="turtle"), direct.to_graph())


def test_store_cannot_be_written_while_served(server, store_dir):
    with pytest.raises(InputError, match="in use by another kg process"):
        open_store(store_dir)


def test_serve_graph_file_and_loopback_default(tmp_path, http):
    graph = build_graph(EXTRACTIONS)
    path = tmp_path / "g.ttl"
    graph.serialize(path, format="turtle")
    with BackgroundServer(path, workers=1) as srv:
        assert srv.url.startswith("http://127.0.0.1:")
        doc = http.get(srv.url, params={"query": "SELECT ?l WHERE { ?c a pol:Country ; rdfs:label ?l } ORDER BY ?l"})
        assert _json_rows(doc.json()) == [("Atlantis",), ("Borduria",), ("Syldavia",)]
        pool = srv.app.state.kg.pool
    assert pool._all == set()  # workers stopped with the server


def test_serve_missing_source_raises(tmp_path):
    with pytest.raises(InputError, match="no such file or directory"):
        BackgroundServer(tmp_path / "missing.ttl")


# --------------------------------------------------------------------------- negotiation and xml


@pytest.mark.parametrize(
    ("accept", "kind", "expected"),
    [
        (None, "select", ("application/sparql-results+json", "json")),
        ("text/csv;q=0.4, text/tab-separated-values", "select", ("text/tab-separated-values", "tsv")),
        ("application/json", "ask", ("application/sparql-results+json", "json")),
        ("text/xml", "select", ("application/sparql-results+xml", "xml")),
        ("text/*", "select", ("text/csv", "csv")),
        ("image/png", "select", None),
        ("text/csv;q=0", "select", None),
        ("image/png, */*;q=0.1", "select", ("application/sparql-results+json", "json")),
        ("text/csv;q=0, */*;q=0.1", "select", ("application/sparql-results+json", "json")),
        (None, "graph", ("text/turtle", "turtle")),
        ("application/xml", "graph", ("application/rdf+xml", "xml")),
        ("text/plain", "graph", ("application/n-triples", "nt")),
    ],
)
def test_negotiate(accept, kind, expected):
    assert negotiate(accept, kind) == expected


def test_results_xml_terms():
    from rdflib import BNode, URIRef

    result = QueryResult(
        kind="select",
        variables=["a", "b"],
        terms=[
            (URIRef("https://x/a"), Literal("x < y & z", lang="en")),
            (BNode("b1"), Literal("3", datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer"))),
            (None, Literal("bell\x07")),
        ],
    )
    lines = results_xml(result).splitlines()
    assert lines[lines.index("  <results>") :] == [
        "  <results>",
        "    <result>",
        '      <binding name="a"><uri>https://x/a</uri></binding>',
        '      <binding name="b"><literal xml:lang="en">x &lt; y &amp; z</literal></binding>',
        "    </result>",
        "    <result>",
        '      <binding name="a"><bnode>b1</bnode></binding>',
        '      <binding name="b"><literal datatype="http://www.w3.org/2001/XMLSchema#integer">3</literal></binding>',
        "    </result>",
        "    <result>",
        '      <binding name="b"><literal>bell\ufffd</literal></binding>',
        "    </result>",
        "  </results>",
        "</sparql>",
    ]


def test_serve_graph_object_and_open_store(http):
    graph = build_graph(EXTRACTIONS[2:])
    store = open_store(None)
    for extraction in EXTRACTIONS:
        store.add_extraction(extraction)
    query = (
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(!STRSTARTS(STR(?g), STR(polr:summary\\/))) }"
        " GROUP BY ?g ORDER BY ?g"
    )  # the document graphs (the summary's graphs are counted when served, and not yet in the open store)
    with BackgroundServer(graph, workers=1) as from_graph, BackgroundServer(store, workers=1) as from_store:
        ask = http.get(from_graph.url, params={"query": "ASK { ?a pol:accused ?b }"})
        assert ask.json()["boolean"] is True
        per_document = http.get(from_store.url, params={"query": query}).json()
        assert _json_rows(per_document) == run_query(store.oxigraph, query).rows
        assert len(per_document["results"]["bindings"]) == 3
