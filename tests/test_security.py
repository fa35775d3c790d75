"""What kg promises about security (SECURITY.md), attacked on loopback only.

Every request kg might send goes to a TCP listener on 127.0.0.1 that records each
connection; the tests assert it received nothing. Each SERVICE spelling is checked
against each wall alone: the decision on rdflib's parse (with the network wall taken
away) and the network wall (with the parse check taken away); a control run with both
taken away shows that Oxigraph really sends the request for that spelling.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from decimal import Decimal
from pathlib import Path
from unittest import mock

import httpx
import pytest
from clitools import error_message, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef

import kg.query.check
import kg.query.run
from kg.cli.common import IllTypedLiterals, quiet_ill_typed_literals
from kg.errors import InputError, QueryError
from kg.graph import TOO_LONG, load_graph, new_graph
from kg.query import MAX_QUERY_DEPTH, QueryRefusedError, check_query, query_depth, run_query
from kg.sandbox import network_wall, run_offline
from kg.serve import BackgroundServer
from kg.serve.workers import _FairQueue

#: Tests of the process-level wall, which needs Linux, libseccomp and a kernel that allows a filter.
needs_wall = pytest.mark.skipif(network_wall() is not None, reason=f"no network wall here: {network_wall()}")


# --------------------------------------------------------------------------- fixtures


class Listener:
    """A TCP server on loopback that counts connections (and answers none of them usefully)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.hits: list[bytes] = []
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    self.hits.append(conn.recv(1024))
                except OSError:
                    self.hits.append(b"")

    def settle(self) -> int:
        """The number of connections so far, after a moment for late ones."""
        time.sleep(0.05)
        return len(self.hits)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.sock.close()


@pytest.fixture(scope="module")
def listener():
    server = Listener()
    yield server
    server.close()


def _graph():
    g = new_graph()
    g.add((URIRef("http://e/s"), URIRef("http://e/p"), Literal(0)))
    g.add((URIRef("http://e/s"), URIRef("http://e/p"), Literal(Decimal("1.5"))))
    return g


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("security") / "g.ttl"
    _graph().serialize(destination=str(path), format="turtle")
    return path


def _spellings(target: str) -> dict[str, str]:
    """The families of issue 13 that hid SERVICE from the old tokenizer, each one Oxigraph follows."""
    t = f"<{target}>"
    s = f"SERVICE {t} {{ ?s ?p ?o }}"
    p = "PREFIX ex: <http://e/> "
    return {
        "escaped-hash-in-local-name": p + f"SELECT * WHERE {{ {s} OPTIONAL {{ ?s ex:a\\# ?o }} }}",
        "escaped-quote-in-local-name": p + f"SELECT * WHERE {{ {s} OPTIONAL {{ ?s ex:it\\'s ?o }} }}",
        "u-escape-then-hash-in-iri": f"SELECT * WHERE {{ {s} OPTIONAL {{ ?s <http://e/\\u00e9#x> ?o }} }}",
        "u-escape-then-quote-in-iri": f"SELECT * WHERE {{ {s} OPTIONAL {{ ?s <http://e/\\u00e9'x> ?o }} }}",
        "number-dot-glued": f"SELECT * WHERE {{ ?s ?p 0.SERVICE {t} {{ ?s ?p ?o }} }}",
        "number-glued": f"SELECT * WHERE {{ ?s ?p 0SERVICE {t} {{ ?s ?p ?o }} }}",
        "decimal-glued": f"SELECT * WHERE {{ ?s ?p 1.5SERVICE {t} {{ ?s ?p ?o }} }}",
        "u-escaped-backslash-ends-string": f'SELECT * WHERE {{ BIND("a\\u005c" AS ?x) {s} BIND("b" AS ?y) }}',
        "lower-case-silent": f"select * where {{ service silent {t} {{ ?s ?p ?o }} }}",
        "in-subquery": f"SELECT * WHERE {{ {{ SELECT * WHERE {{ {s} }} }} }}",
        "after-comment": f"SELECT * WHERE {{ # a comment\n{s} }}",
    }


SPELLINGS = list(_spellings("http://127.0.0.1:9/sparql"))
#: The spellings rdflib's SPARQL parser cannot read: refused as unreadable rather than as SERVICE.
UNPARSED_SPELLINGS = ("number-glued", "decimal-glued", "u-escaped-backslash-ends-string")


def _no_parse_check():
    return mock.patch.object(kg.query.run, "check_query", lambda text: text)


def _no_network_wall():
    return mock.patch.object(kg.query.run, "_offline", lambda evaluate: evaluate)


# --------------------------------------------------------------------------- SERVICE in run_query


@pytest.mark.parametrize("name", SPELLINGS)
def test_service_spelling_is_followed_by_oxigraph_without_the_walls(listener, name):
    query = _spellings(listener.url)[name]
    before = listener.settle()
    with _no_parse_check(), _no_network_wall():
        try:
            run_query(_graph(), query)
        except QueryError:
            pass  # the listener's empty answer is no SPARQL result
    assert listener.settle() - before >= 1


@pytest.mark.parametrize("name", SPELLINGS)
def test_service_spelling_refused_by_the_parse_alone(listener, name):
    query = _spellings(listener.url)[name]
    before = listener.settle()
    with _no_network_wall(), pytest.raises(QueryRefusedError) as info:
        run_query(_graph(), query)
    assert info.value.reason in ("service", "unparsed")
    assert listener.settle() == before


def _assert_never_reaches(listener, query: str, wall_off) -> None:
    """Run ``query`` with one wall switched off: whatever it answers, the listener hears nothing."""
    count = len(listener.hits)
    with wall_off():
        try:
            run_query(_graph(), query)
        except QueryError:
            pass
    assert listener.settle() == count, query


@needs_wall
@pytest.mark.parametrize("name", SPELLINGS)
def test_service_spelling_stopped_by_the_network_wall_alone(listener, name):
    query = _spellings(listener.url)[name]
    before = listener.settle()
    with _no_parse_check():
        try:
            result = run_query(_graph(), query)
        except QueryRefusedError as exc:
            assert exc.reason == "network"
            assert str(exc).startswith("the query tried to open a network connection, which kg forbids to queries")
        else:  # SERVICE SILENT: the failed request gives no rows
            assert "silent" in query.lower() and result.rows == [(None, None, None)]
    assert listener.settle() == before


def test_service_found_in_the_parse_gives_the_service_message():
    with pytest.raises(QueryRefusedError) as info:
        check_query("SELECT * WHERE { ?s ?p 0.SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    assert info.value.reason == "service"
    assert str(info.value) == (
        "the query uses SERVICE, which would send requests to another server; remove it, or allow federated "
        "queries explicitly (kg query --allow-service, or allow_service=True in Python)"
    )


def test_query_rdflib_cannot_parse_is_refused_when_it_mentions_service():
    with pytest.raises(QueryRefusedError) as info:
        check_query("SELECT * WHERE { ?s ?p 0SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    assert info.value.reason == "unparsed"
    message = str(info.value)
    assert message.startswith(
        "the query mentions 'service', and rdflib's SPARQL parser, which kg uses to rule SERVICE out before "
        "anything is evaluated, cannot read it at line 1, column 25 (Expected SelectQuery). If the query is "
        "valid SPARQL"
    )
    assert "Oxigraph accepts some SPARQL 1.1 and 1.2 that rdflib's parser does not" in message
    assert "kg query --allow-service" in message


def test_query_without_the_letters_of_service_is_not_parsed_by_rdflib():
    # rdflib cannot read this (an escaped '#' before a '.'), Oxigraph can; no 'service' in it: it runs
    query = "PREFIX ex: <http://e/> SELECT * WHERE { ?s ex:a\\# ?o . ?s ?p ?o }"
    with mock.patch.object(kg.query.check, "_rdflib_parse", side_effect=AssertionError("parsed")):
        assert check_query(query) == query
    assert run_query(_graph(), query).rows == []


def test_service_in_strings_comments_and_names_is_no_service():
    query = (
        "# SERVICE <http://127.0.0.1:9/> in a comment\n"
        "SELECT ?x WHERE { BIND('SERVICE <http://127.0.0.1:9/>' AS ?x) OPTIONAL { ?x pol:SERVICE ?y } }"
    )
    assert run_query(_graph(), query).rows == [("SERVICE <http://127.0.0.1:9/>",)]


def test_shipped_named_queries_parse_in_rdflib_and_pass_the_check():
    from kg.query import named_queries
    from kg.query.check import _has_service, _rdflib_parse

    for name, named in named_queries().items():
        text, _ = named.text(named.bind({p.name: "x" for p in named.params if p.required}))
        text = text.replace("$", "?")
        assert not _has_service(_rdflib_parse(text)), name
        assert check_query(text) == text, name


def test_query_depth_counts_brackets_never_below_zero():
    assert query_depth("SELECT * { { ?s ?p ?o } FILTER((1)) }") == 3
    assert query_depth("}" * 5000 + "{" * 5000) == 5000
    assert query_depth('"' + ")" * 9000 + '" ' + "(" * 6000 + ")" * 6000) == 6000  # the long path too


# --------------------------------------------------------------------------- generated spellings

_FRAGMENTS = [
    "OPTIONAL { ?s ex:a\\# ?o }",
    "OPTIONAL { ?s ex:it\\'s ?o }",
    "OPTIONAL { ?s ex:b\\.c ?o }",
    "OPTIONAL { ?s <http://e/\\u00e9#x> ?o }",
    "OPTIONAL { ?s <http://e/\\u0027> ?o }",
    'BIND("a\\u005c" AS ?v1)',
    "BIND('\\u0027' AS ?v2)",
    'BIND("\\u0022#" AS ?v3)',
    "BIND('#' AS ?v4)",
    "FILTER(?o != \"'\")",
    "# a comment ' \" \n",
    "#\n",
    'BIND("""a"b""" AS ?v5)',
    "BIND('service' AS ?v6)",
]
_KEYWORDS = ["SERVICE", "service", "SeRvIcE", "Service SILENT", "service silent"]
_BEFORE = ["", " ", "\n", " . ", "#x\n", "."]
_OBJECTS = ["0", "0.", "1.5", "1e0", "?o", "ex:x", "ex:a\\#", "'x'", '"x"', "<http://e/\\u0023>"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    before=st.lists(st.sampled_from(_FRAGMENTS), max_size=3),
    obj=st.sampled_from(_OBJECTS),
    glue=st.sampled_from(_BEFORE),
    keyword=st.sampled_from(_KEYWORDS),
    after=st.lists(st.sampled_from(_FRAGMENTS), max_size=3),
)
def test_generated_service_spellings_never_reach_the_listener_through_the_parse(
    listener, before, obj, glue, keyword, after
):
    query = (
        "PREFIX ex: <http://e/> SELECT * WHERE { "
        + " ".join(before)
        + f" ?s ?p {obj}{glue}{keyword} <{listener.url}> {{ ?s ?p ?o }} "
        + " ".join(after)
        + " }"
    )
    _assert_never_reaches(listener, query, _no_network_wall)


@needs_wall
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    before=st.lists(st.sampled_from(_FRAGMENTS), max_size=2),
    keyword=st.sampled_from(_KEYWORDS),
)
def test_generated_service_spellings_never_reach_the_listener_through_the_wall(listener, before, keyword):
    query = f"PREFIX ex: <http://e/> SELECT * WHERE {{ {keyword} <{listener.url}> {{ ?s ?p ?o }} {' '.join(before)} }}"
    _assert_never_reaches(listener, query, _no_parse_check)


# --------------------------------------------------------------------------- the wall itself


@needs_wall
def test_run_offline_refuses_network_sockets_but_not_unix_ones(listener):
    before = listener.settle()
    port = int(listener.url.split(":")[2].split("/")[0])
    with pytest.raises(PermissionError):
        run_offline(socket.create_connection, ("127.0.0.1", port), 2)
    with pytest.raises(PermissionError):
        run_offline(socket.socket, socket.AF_INET6, socket.SOCK_STREAM)
    a, b = run_offline(socket.socketpair)
    a.close()
    b.close()
    assert listener.settle() == before
    socket.create_connection(("127.0.0.1", port), 2).close()  # the calling thread is not bound
    assert listener.settle() == before + 1


# --------------------------------------------------------------------------- kg query


@pytest.mark.parametrize("name", SPELLINGS)
def test_kg_query_refuses_service_spellings(listener, graph_file, name):
    before = listener.settle()
    result = run("query", str(graph_file), _spellings(listener.url)[name])
    assert result.exit_code == 1
    message = " ".join(error_message(result).split())  # one line, however the panel wrapped it
    if name in UNPARSED_SPELLINGS:  # refused because rdflib's parser, which rules SERVICE out, cannot read it
        assert message.startswith(
            "the query mentions 'service', and rdflib's SPARQL parser, which kg uses to rule SERVICE out before "
            "anything is evaluated, cannot read it at line 1, column "
        )
        assert message.endswith(
            "rewrite that part, or skip the check with kg query --allow-service (allow_service=True in Python), "
            "which also allows SERVICE"
        )
    else:
        assert message == (
            "the query uses SERVICE, which would send requests to another server; remove it, or allow federated "
            "queries explicitly (kg query --allow-service, or allow_service=True in Python)"
        )
    assert result.stdout == ""
    assert listener.settle() == before


# --------------------------------------------------------------------------- kg serve


@pytest.fixture(scope="module")
def server(graph_file):
    with BackgroundServer(graph_file, workers=1, timeout=10) as srv:
        yield srv


@needs_wall
def test_serve_workers_run_under_the_network_wall(server):
    for worker in server.app.state.kg.pool._all:
        status = Path(f"/proc/{worker.process.pid}/status").read_text()
        assert "Seccomp:\t2" in status


@pytest.mark.parametrize("name", SPELLINGS)
def test_serve_refuses_service_spellings_on_get_and_both_posts(server, listener, name):
    query = _spellings(listener.url)[name]
    before = listener.settle()
    with httpx.Client(timeout=20) as http:
        answers = [
            http.get(server.url, params={"query": query}),
            http.post(server.url, content=query.encode(), headers={"content-type": "application/sparql-query"}),
            http.post(server.url, data={"query": query}),
        ]
    for answer in answers:
        assert answer.status_code == 403
        if answer.text.startswith("SERVICE"):
            assert answer.text == "SERVICE is refused: this endpoint does not send requests to other servers\n"
        else:
            assert answer.text.startswith("the query mentions 'service', and rdflib's SPARQL parser")
    assert listener.settle() == before


# --------------------------------------------------------------------------- deep queries


def _deep(depth: int) -> str:
    return "SELECT * WHERE " + "{ " * depth + "?s ?p ?o " + "} " * depth


def test_query_nested_5000_deep_is_refused_unread():
    with pytest.raises(QueryError) as info:
        run_query(_graph(), _deep(5000))
    assert str(info.value) == (
        f"the query nests brackets 5000 deep; kg reads queries nested at most {MAX_QUERY_DEPTH} deep "
        "(count of open '{', '(' and '[', strings included): flatten it"
    )


def test_query_nested_to_the_limit_runs_and_mentions_service_safely():
    query = "SELECT * WHERE " + "{ " * (MAX_QUERY_DEPTH - 1) + "?s ?p ?o FILTER(?o != 'service') " + "} " * (
        MAX_QUERY_DEPTH - 1
    )
    assert len(run_query(_graph(), query).rows) == 2


def test_kg_query_and_serve_refuse_a_deep_query(server, graph_file):
    result = run("query", str(graph_file), _deep(5000))
    assert result.exit_code == 1
    assert error_message(result) == (
        f"the query nests brackets 5000 deep; kg reads queries nested at most {MAX_QUERY_DEPTH} deep "
        "(count of open '{', '(' and '[', strings included): flatten it"
    )
    answer = httpx.get(server.url, params={"query": _deep(5000)}, timeout=20)
    assert answer.status_code == 400
    assert answer.text == f"the query nests brackets more than {MAX_QUERY_DEPTH} deep; flatten it\n"


# --------------------------------------------------------------------------- files fetch nothing


@pytest.mark.parametrize(
    "doc",
    [
        {"@context": "URL", "@id": "http://e/a", "name": "x"},
        {"@context": ["URL", {"name": "http://schema.org/name"}], "@id": "http://e/a", "name": "x"},
        {"@graph": [{"@context": "URL", "@id": "http://e/a"}]},
        {"@context": {"@import": "URL", "name": "http://schema.org/name"}, "@id": "http://e/a", "name": "x"},
    ],
)
def test_jsonld_with_a_remote_context_is_refused_and_nothing_fetched(tmp_path, listener, doc):
    path = tmp_path / "remote.jsonld"
    path.write_text(json.dumps(doc).replace("URL", listener.url + "/context.jsonld"), encoding="utf-8")
    before = listener.settle()
    with pytest.raises(InputError, match="which kg does not fetch"):
        load_graph(path)
    result = run("stats", str(path))
    assert result.exit_code == 1
    reference = "@import" if "@import" in json.dumps(doc) else "@context"
    assert error_message(result) == (
        f"{path}: its {reference} is a reference to another document ('{listener.url}/context.jsonld'), which kg "
        "does not fetch: nothing is read from the network or from other files unless asked. Put the context "
        'itself in the file ("@context": {...})'
    )
    assert listener.settle() == before


def test_jsonld_with_an_inline_context_loads(tmp_path):
    path = tmp_path / "inline.jsonld"
    path.write_text(
        json.dumps({"@context": {"name": "http://schema.org/name"}, "@id": "http://e/a", "name": "x"}), encoding="utf-8"
    )
    assert list(load_graph(path)) == [(URIRef("http://e/a"), URIRef("http://schema.org/name"), Literal("x"))]


LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="http://e/a"><rdf:value>&e;&e;&e;&e;</rdf:value></rdf:Description>
</rdf:RDF>
"""


def test_rdfxml_with_entities_is_refused_at_once(tmp_path):
    path = tmp_path / "laughs.rdf"
    path.write_text(LAUGHS, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(InputError) as info:
        load_graph(path)
    assert time.perf_counter() - started < 2
    assert str(info.value) == (
        f"{path}: its DTD declares XML entities (&a;), which kg does not expand (a few lines of entities can "
        "expand to gigabytes); write the text of each entity where it is used"
    )


def test_rdfxml_without_entities_loads(tmp_path):
    path = tmp_path / "plain.rdf"
    path.write_text(LAUGHS.split("]>\n")[1].replace("&e;&e;&e;&e;", "x"), encoding="utf-8")
    assert list(load_graph(path)) == [
        (URIRef("http://e/a"), URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#value"), Literal("x"))
    ]


# --------------------------------------------------------------------------- memory and fairness


def test_query_past_the_memory_bound_is_503_and_the_server_recovers(tmp_path):
    g = new_graph()
    for i in range(60):
        g.add((URIRef(f"http://e/{i}"), URIRef("http://e/p"), Literal(f"value number {i} " * 3)))
    heavy = "SELECT * WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z . ?d ?s ?w } ORDER BY ?x ?y ?z ?w LIMIT 1"
    with BackgroundServer(g, workers=1, timeout=30, max_memory=600 * 2**20) as srv:
        answer = httpx.get(srv.url, params={"query": heavy}, timeout=60)
        assert answer.status_code == 503
        assert answer.text == (
            "the query needed more memory than a query worker of this server may use (600 MiB, kg serve "
            "--max-memory) and was stopped; narrow it (a LIMIT, fewer unbound patterns, no ORDER BY over "
            "everything); its worker has been replaced\n"
        )
        assert httpx.get(srv.url, params={"query": "ASK { ?s ?p ?o }"}, timeout=60).json()["boolean"] is True


def test_fair_queue_gives_a_free_worker_to_the_client_running_fewest():
    queue = _FairQueue(per_client=1)
    got: list[str] = []

    def take(client: str) -> None:
        queue.get(timeout=5, client=client)
        got.append(client)

    queue.put("w1")
    queue.get(timeout=1, client="greedy")  # greedy runs one query
    second = threading.Thread(target=take, args=("greedy",))
    second.start()  # greedy's second query waits: one at a time per client
    time.sleep(0.1)
    other = threading.Thread(target=take, args=("other",))
    other.start()
    time.sleep(0.1)
    queue.put("w2")  # a worker comes free: the other client, though it came later, gets it
    other.join(5)
    assert got == ["other"]
    queue.release("greedy")
    queue.put("w1")
    second.join(5)
    assert got == ["other", "greedy"]


def test_one_client_cannot_hold_every_worker():
    queue = _FairQueue(per_client=1)
    queue.put("w1")
    queue.put("w2")
    queue.get(timeout=1, client="a")
    with pytest.raises(Exception) as info:
        queue.get(timeout=0.2, client="a")
    assert type(info.value).__name__ == "Empty"
    queue.get(timeout=1, client="b")


# --------------------------------------------------------------------------- messages


def test_markup_in_file_names_is_shown_as_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "[bold]"
    folder.mkdir()
    name = "[bold red]x[/] :date: [link=http://e/]y.txt"
    result = run("build", f"{folder.name}/{name}", "-o", "out.ttl")
    assert result.exit_code == 1
    assert error_message(result) == f"[bold]/{name}: no such file or directory"


def test_ill_typed_literal_is_one_warning_line(tmp_path, caplog):
    path = tmp_path / "bad.ttl"
    path.write_text(
        '@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n<http://e/a> <http://e/d> "2024-13-45"^^xsd:date .\n',
        encoding="utf-8",
    )
    logger = logging.getLogger("rdflib.term")
    quiet_ill_typed_literals()
    try:
        with caplog.at_level(logging.WARNING):
            assert len(load_graph(path)) == 1
    finally:
        for f in [f for f in logger.filters if isinstance(f, IllTypedLiterals)]:
            logger.removeFilter(f)
    [record] = [r for r in caplog.records if r.name == "rdflib.term"]
    assert record.getMessage() == (
        "ill-typed literal '2024-13-45'^^<http://www.w3.org/2001/XMLSchema#date> kept as written "
        "(month must be in 1..12)"
    )
    assert record.exc_info is None


def test_too_long_literal_is_read_or_refused_with_a_message(tmp_path):
    path = tmp_path / "long.nt"
    path.write_text('<http://e/a> <http://e/b> "' + "a" * 17_000_000 + '" .\n', encoding="utf-8")
    assert len(load_graph(path)) == 1  # Oxigraph stops at 16 MB; rdflib's Turtle reader reads it
    result = run("load", "--store", str(tmp_path / "s.kg"), str(path))
    assert result.exit_code == 1
    assert error_message(result) == f"{path}: {TOO_LONG}"


# --------------------------------------------------------------------------- outputs and options


def test_draw_refuses_to_overwrite_its_input(graph_file, tmp_path):
    copy = tmp_path / "g.ttl"
    copy.write_bytes(graph_file.read_bytes())
    result = run("draw", str(copy), "-o", str(tmp_path / "." / "g.ttl"))
    assert result.exit_code == 1
    assert error_message(result) == (
        f"{tmp_path / '.' / 'g.ttl'}: this output is also an input of the same run and would overwrite it; "
        "write the output to another file"
    )
    assert copy.read_bytes() == graph_file.read_bytes()


def test_build_refuses_two_outputs_that_are_one_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("x.jsonl").write_text('{"id": "a", "text": "Kenya met Uganda."}\n', encoding="utf-8")
    result = run("build", "x.jsonl", "-o", "x.ttl", "--html", "x.ttl")
    assert result.exit_code == 1
    assert error_message(result) == (
        "x.ttl: two outputs of the same run are this one file, and one would overwrite the other; "
        "give each its own file"
    )
    assert not Path("x.ttl").exists()
    result = run("build", "x.jsonl", "-o", "x.jsonl")
    assert result.exit_code == 1
    assert error_message(result) == (
        "x.jsonl: this output is also an input of the same run and would overwrite it; write the output to another file"
    )
    assert Path("x.jsonl").read_text(encoding="utf-8") == '{"id": "a", "text": "Kenya met Uganda."}\n'


def test_merge_may_read_one_input_twice(graph_file, tmp_path):
    result = run("merge", str(graph_file), str(graph_file), "-o", str(tmp_path / "m.ttl"))
    assert result.exit_code == 0, result.output
    assert len(load_graph(tmp_path / "m.ttl")) == 2


@pytest.mark.parametrize(
    "args, message",
    [
        (["build", "x.jsonl", "--batch-size", "-1"], "Invalid value for '--batch-size': Input should be greater "
         "than or equal to 1"),
        (["serve", "g.ttl", "--port", "99999"], "Invalid value for '--port' / '-p': Input should be less than or "
         "equal to 65535"),
    ],
)
def test_out_of_range_options_are_usage_errors(args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Usage: kg {args[0]} ")
    assert error_message(result).splitlines()[-1] == message
    assert "internal error" not in result.output


def test_store_that_cannot_be_made_is_named(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("afile").write_text("x", encoding="utf-8")
    Path("x.jsonl").write_text('{"id": "a", "text": "Kenya met Uganda."}\n', encoding="utf-8")
    result = run("build", "x.jsonl", "--store", "afile/news.kg")
    assert result.exit_code == 1
    assert error_message(result) == "afile/news.kg: cannot make the store directory (Not a directory)"


def test_slow_queries_of_one_client_do_not_lock_out_another(graph_file):
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o . ?q ?r ?t }"
    big = new_graph()
    for i in range(40):
        big.add((URIRef(f"http://e/{i}"), URIRef("http://e/p"), Literal(i)))
    with BackgroundServer(big, workers=2, timeout=1.5) as srv:
        slow: list[int] = []

        def greedy() -> None:
            with httpx.Client(timeout=30, transport=httpx.HTTPTransport(local_address="127.0.0.1")) as http:
                slow.append(http.get(srv.url, params={"query": heavy}).status_code)

        threads = [threading.Thread(target=greedy) for _ in range(2)]
        for thread in threads:
            thread.start()
        time.sleep(0.5)  # both slow queries sent: one runs, the other waits its turn
        with httpx.Client(timeout=30, transport=httpx.HTTPTransport(local_address="127.0.0.2")) as other:
            started = time.perf_counter()
            answer = other.get(srv.url, params={"query": "ASK { ?s ?p ?o }"})
            waited = time.perf_counter() - started
        assert answer.status_code == 200 and answer.json()["boolean"] is True
        assert waited < 1  # not after the 1.5 s of a slow query
        for thread in threads:
            thread.join(30)
        assert slow == [503, 503]  # each ran out its time in turn
