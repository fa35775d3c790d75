"""Tests of kg.store: named graph per document, the merged view, removal, persistence, locks.

The documents are written by hand (no spaCy), so every expected triple is known:

- ``d1`` (2024-05-01): Atlantis and Borduria met (CONSULT, trigger "met").
- ``d2`` (2024-05-01): the same meeting (same type, parties and date: the same event),
  trigger "held talks", and Borduria under another label, "Republic of Borduria".
- ``d3`` (2024-05-02): Syldavia accused Borduria (ACCUSE).
"""

from __future__ import annotations

import itertools
import os
import signal
import sqlite3
import threading
import time

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal
from rdflib.compare import isomorphic

from kg.errors import InputError, KgError
from kg.export import split_by_document, write_graph
from kg.graph import add_extraction, build_graph, document_iri, entity_iri, event_iri, merge_graphs, new_graph
from kg.model import Document, DocumentExtraction, Entity, Event, Sentence
from kg.query import QueryTimeoutError, ResultLimitError, run_query
from kg.store import (
    GraphStore,
    as_graph,
    as_queryable,
    document_hash,
    is_store,
    load_source,
    open_store,
)
from kg.summary import is_summary_graph
from kg.vocab import POL, PROV, RDF, RDFS, SKOS

ATL = Entity("country/ATL", "Atlantis", "Country", country="ATL")
BOR = Entity("country/BOR", "Borduria", "Country", country="BOR", aliases=frozenset({"Bordurians"}))
BOR_2 = Entity("country/BOR", "Republic of Borduria", "Country", country="BOR")
SYL = Entity("country/SYL", "Syldavia", "Country", country="SYL")


def _extraction(doc_id, date, text, events, entities):
    sentence = Sentence(doc_id, 0, len(text), text)
    evs = tuple(Event(t, a, r, "Asserted", trig, sentence, date=date) for t, a, r, trig in events)
    return DocumentExtraction(Document(doc_id, text, date=date), (sentence,), tuple(entities), (), evs)


D1 = _extraction(
    "d1",
    "2024-05-01",
    "Atlantis and Borduria met in Geneva.",
    [("CONSULT", ("country/ATL", "country/BOR"), (), "met")],
    [ATL, BOR],
)
D2 = _extraction(
    "d2",
    "2024-05-01",
    "The Republic of Borduria and Atlantis held talks.",
    [("CONSULT", ("country/BOR", "country/ATL"), (), "held talks")],
    [BOR_2, ATL],
)
D3 = _extraction(
    "d3",
    "2024-05-02",
    "Syldavia accused Borduria of spying.",
    [("ACCUSE", ("country/SYL",), ("country/BOR",), "accused")],
    [SYL, BOR],
)
DOCS = {"d1": D1, "d2": D2, "d3": D3}
MEETING = event_iri(D1.events[0], "d1")


def _canonical(graph: Graph) -> Graph:
    """``graph`` as pyoxigraph keeps it (canonical literals, e.g. decimal "-3.0" as "-3")."""
    store = ox.Store()
    data = graph.serialize(format="nt", encoding="utf-8")
    if data.strip():
        store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)
    out = new_graph()
    dump = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    if dump:
        out.parse(data=dump.decode("utf-8"), format="nt")
    return out


def _expected(*ids: str) -> Graph:
    """The merged view a store should give for these documents, added in this order."""
    return _canonical(merge_graphs(add_extraction(new_graph(), DOCS[i]) for i in ids))


def _store(*ids: str, path=None) -> GraphStore:
    store = open_store(path)
    for i in ids:
        assert store.add_extraction(DOCS[i]) == "added"
    return store


# --------------------------------------------------------------------------- adding


def test_add_extraction_reports_added_unchanged_replaced():
    store = open_store(None)
    assert store.add_extraction(D1) == "added"
    assert store.add_extraction(D1) == "unchanged"
    changed = _extraction(
        "d1",
        "2024-05-01",
        "Atlantis and Borduria met again.",
        [("CONSULT", ("country/ATL", "country/BOR"), (), "met")],
        [ATL, BOR],
    )
    assert store.add_extraction(changed) == "replaced"
    assert [d.id for d in store.documents()] == ["d1"]
    assert store.has_document("d1", document_hash(changed.document))
    assert not store.has_document("d1", document_hash(D1.document))
    assert isomorphic(store.to_graph(), _canonical(add_extraction(new_graph(), changed)))


def test_add_extraction_one_named_graph_per_document_named_by_document_iri():
    store = _store("d1", "d2", "d3")
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g").rows
    expected = sorted((str(document_iri(i)), str(len(add_extraction(new_graph(), DOCS[i])))) for i in DOCS)
    assert sorted(r for r in rows if not is_summary_graph(r[0])) == expected
    assert [(d.id, d.graph, d.triples) for d in store.documents()] == [
        (i, str(document_iri(i)), len(add_extraction(new_graph(), DOCS[i]))) for i in ("d1", "d2", "d3")
    ]


def test_merged_view_is_merge_of_document_graphs_in_order():
    for order in itertools.permutations(DOCS):
        store = _store(*order)
        assert isomorphic(store.to_graph(), _expected(*order)), order
        assert len(store) == len(_expected(*order))


def test_merged_view_shared_event_has_both_sentences_and_first_trigger():
    g = _store("d1", "d2").to_graph()
    assert len(set(g.objects(MEETING, PROV.wasDerivedFrom))) == 2
    assert set(g.objects(MEETING, POL.trigger)) == {Literal("met")}
    bor = entity_iri("country/BOR")
    assert set(g.objects(bor, RDFS.label)) == {Literal("Borduria")}
    assert set(g.objects(bor, SKOS.altLabel)) == {Literal("Bordurians"), Literal("Republic of Borduria")}


def test_merged_view_queries_see_each_triple_once():
    store = _store("d1", "d2", "d3")  # Borduria is typed in all three document graphs
    rows = store.query("SELECT ?c WHERE { ?c a pol:Country } ORDER BY ?c").rows
    assert rows == [(str(entity_iri(k)),) for k in ("country/ATL", "country/BOR", "country/SYL")]


# --------------------------------------------------------------------------- removing


def test_remove_documents_keeps_what_another_document_states():
    store = _store("d1", "d2", "d3")
    assert store.remove_documents(["d1"]) == 1
    g = store.to_graph()
    assert (MEETING, RDF.type, POL.Event) in g
    assert [str(s) for s in g.objects(MEETING, PROV.wasDerivedFrom)] == [
        str(s) for s in add_extraction(new_graph(), D2).objects(MEETING, PROV.wasDerivedFrom)
    ]
    assert set(g.objects(MEETING, POL.trigger)) == {Literal("held talks")}  # d2's value, now the first
    bor = entity_iri("country/BOR")
    assert set(g.objects(bor, RDFS.label)) == {Literal("Republic of Borduria")}
    # d3's label and alias; d3's label differs from the one that now stands, so it becomes an alias
    assert set(g.objects(bor, SKOS.altLabel)) == {Literal("Borduria"), Literal("Bordurians")}
    assert (document_iri("d1"), RDF.type, POL.Document) not in g
    assert (entity_iri("country/ATL"), POL.consulted, bor) in g


def test_remove_documents_takes_out_facts_only_they_supported():
    store = _store("d1", "d2", "d3")
    assert store.remove_documents(["d1", "d2"]) == 2
    g = store.to_graph()
    assert (MEETING, None, None) not in g
    assert (entity_iri("country/ATL"), None, None) not in g
    assert (None, POL.consulted, None) not in g
    assert isomorphic(g, _expected("d3"))


@pytest.mark.parametrize("removed", [s for n in range(1, 4) for s in itertools.combinations(DOCS, n)])
def test_remove_documents_equals_never_added(removed):
    store = _store("d1", "d2", "d3")
    assert store.remove_documents(removed) == len(removed)
    kept = [i for i in ("d1", "d2", "d3") if i not in removed]
    assert isomorphic(store.to_graph(), _expected(*kept))
    assert [d.id for d in store.documents()] == kept
    assert sorted(g.value for g in store.oxigraph.named_graphs()) == sorted(str(document_iri(i)) for i in kept)


def test_remove_then_add_again_restores_the_graph():
    store = _store("d1", "d2", "d3")
    store.remove_documents(["d2"])
    store.add_extraction(D2)
    assert isomorphic(store.to_graph(), _expected("d1", "d3", "d2"))


def test_remove_documents_unknown_id_removes_nothing():
    store = _store("d1", "d2")
    with pytest.raises(InputError) as info:
        store.remove_documents(["d2", "nope"])
    assert str(info.value) == (
        "(store in memory): no document 'nope' in the store; nothing was removed "
        "(list the ids with: kg query STORE 'SELECT ?id { ?d dcterms:identifier ?id }')"
    )
    assert [d.id for d in store.documents()] == ["d1", "d2"]
    assert store.remove_documents(["d2", "nope"], missing_ok=True) == 1


def test_remove_documents_empty_list_and_empty_store():
    store = open_store(None)
    assert store.remove_documents([]) == 0
    assert len(store) == 0 and store.documents() == [] and len(store.to_graph()) == 0


# --------------------------------------------------------------------------- pending documents


def test_pending_skips_documents_stored_with_the_same_content():
    store = _store("d1", "d2")
    same = Document("d1", D1.document.text, date="2024-05-01", origin="elsewhere.txt")
    changed = Document("d2", "Other text.", date="2024-05-01")
    new = Document("d9", "New text.")
    skipped = []
    assert list(store.pending([same, changed, new], on_skip=skipped.append)) == [changed, new]
    assert skipped == [same]


def test_document_hash_covers_text_date_title_and_url():
    base = Document("d", "Text.", date="2024", title="T", url="https://example.org/a")
    for other in (
        Document("d", "Text!", "2024", "T", "https://example.org/a"),
        Document("d", "Text.", "2025", "T", "https://example.org/a"),
        Document("d", "Text.", "2024", "U", "https://example.org/a"),
        Document("d", "Text.", "2024", "T", "https://example.org/b"),
    ):
        assert document_hash(other) != document_hash(base)
    assert document_hash(Document("other-id", "Text.", "2024", "T", "https://example.org/a")) == document_hash(base)


# --------------------------------------------------------------------------- on disk


def test_open_store_creates_directory_and_persists(tmp_path):
    path = tmp_path / "news.kg"
    with _store("d1", "d2", path=path) as store:
        n = len(store)
    assert is_store(path)
    assert sorted(p.name for p in path.iterdir()) == ["lock", "manifest.sqlite", "oxigraph"]
    with open_store(path) as store:
        assert [d.id for d in store.documents()] == ["d1", "d2"]
        assert len(store) == n
        assert store.add_extraction(D3) == "added"
        assert isomorphic(store.to_graph(), _expected("d1", "d2", "d3"))


def test_open_store_second_writer_and_reader_refused(tmp_path):
    path = tmp_path / "s"
    with open_store(path):
        with pytest.raises(InputError) as info:
            open_store(path)
        assert str(info.value) == (
            f"{path}: the store is in use by another kg process (a build, remove, load or serve); wait for it to finish"
        )
        with pytest.raises(InputError, match="being written by another kg process"):
            open_store(path, read_only=True)
    with open_store(path, read_only=True) as r1, open_store(path, read_only=True) as r2:
        assert r1.documents() == r2.documents() == []
        with pytest.raises(InputError, match="in use by another kg process"):
            open_store(path)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_open_store_is_free_once_closed_even_while_forked_workers_live(tmp_path):
    path = tmp_path / "s"
    store = open_store(path)
    child = os.fork()  # a parse worker, forked while the store is open
    if child == 0:  # pragma: no cover - the child only waits
        time.sleep(3)
        os._exit(0)
    try:
        store.close()
        open_store(path).close()  # not refused: the worker does not hold the lock
    finally:
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)


def test_open_store_read_only_refuses_changes(tmp_path):
    _store("d1", path=tmp_path / "s").close()
    with open_store(tmp_path / "s", read_only=True) as store:
        assert store.has_document("d1")
        with pytest.raises(KgError, match="open read-only"):
            store.add_extraction(D2)
        with pytest.raises(KgError, match="open read-only"):
            store.remove_documents(["d1"])


def test_open_store_bad_paths(tmp_path):
    (tmp_path / "file.ttl").write_text("", encoding="utf-8")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x.txt").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="is a file, not a store directory"):
        open_store(tmp_path / "file.ttl")
    with pytest.raises(InputError, match="is a directory with other files, not a kg store"):
        open_store(tmp_path / "full")
    with pytest.raises(InputError, match="no such store"):
        open_store(tmp_path / "missing", read_only=True)
    with pytest.raises(InputError, match="no such store"):
        open_store(tmp_path / "missing", create=False)


def test_closed_store_says_so(tmp_path):
    store = _store("d1", path=tmp_path / "s")
    store.close()
    store.close()
    with pytest.raises(KgError, match="the store is closed"):
        store.documents()


def test_repair_takes_out_half_added_documents(tmp_path):
    path = tmp_path / "s"
    _store("d1", "d3", "d2", path=path).close()
    # what a process killed while adding d3 leaves: its row still 'adding', the store not closed cleanly
    with sqlite3.connect(path / "manifest.sqlite") as conn:
        conn.execute("UPDATE documents SET state = 'adding' WHERE id = 'd3'")
        conn.execute("UPDATE meta SET value = '0' WHERE key = 'clean'")
    with open_store(path) as store:
        assert [d.id for d in store.documents()] == ["d1", "d2"]
        assert isomorphic(store.to_graph(), _expected("d1", "d2"))
        assert store.add_extraction(D3) == "added"


def test_repair_full_rebuilds_the_merged_view(tmp_path):
    with _store("d1", "d2", "d3", path=tmp_path / "s") as store:
        store.oxigraph.clear_graph(ox.DefaultGraph())
        store.repair(full=True)
        assert isomorphic(store.to_graph(), _expected("d1", "d2", "d3"))


# --------------------------------------------------------------------------- files in and out


def test_load_file_splits_a_graph_by_document(tmp_path):
    path = write_graph(build_graph([D1, D3]), tmp_path / "g.ttl")
    store = open_store(None)
    assert store.load_file(path) == {"added": 2, "replaced": 0, "unchanged": 0}
    assert [(d.id, d.graph) for d in store.documents()] == [
        ("d1", str(document_iri("d1"))),
        ("d3", str(document_iri("d3"))),
    ]
    assert isomorphic(store.to_graph(), _canonical(build_graph([D1, D3])))
    assert store.load_file(path) == {"added": 0, "replaced": 0, "unchanged": 2}
    store.remove_documents(["d1"])
    assert isomorphic(store.to_graph(), _expected("d3"))


def test_load_file_keeps_what_no_document_states_in_a_graph_of_its_own(tmp_path):
    g = build_graph([D1])
    g.add((POL.PLOVER, RDFS.label, Literal("PLOVER")))
    store = open_store(None)
    store.load_file(write_graph(g, tmp_path / "extra.nt"))
    assert [d.id for d in store.documents()] == ["d1", "file:extra.nt"]
    assert isomorphic(store.to_graph(), _canonical(g))


def test_load_file_replaces_a_built_document():
    store = _store("d1")
    changed = _extraction(
        "d1",
        "2024-05-01",
        "Atlantis met Borduria.",
        [("CONSULT", ("country/ATL", "country/BOR"), (), "met with")],
        [ATL, BOR],
    )
    store.add_graph(add_extraction(new_graph(), changed), "d1")
    assert store.get("d1").content_hash.startswith("graph:")
    assert set(store.to_graph().objects(MEETING, POL.trigger)) == {Literal("met with")}


def test_load_file_bad_file(tmp_path):
    (tmp_path / "bad.trig").write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.trig: not valid trig"):
        open_store(None).load_file(tmp_path / "bad.trig")
    with pytest.raises(InputError, match="no such file"):
        open_store(None).load_file(tmp_path / "missing.nq")


@pytest.mark.parametrize("name", ["out.trig", "out.nq"])
def test_write_dataset_round_trips_through_load_file(tmp_path, name):
    store = _store("d2", "d1", "d3")
    path = store.write_dataset(tmp_path / name)
    quads = list(ox.parse(path=str(path), format=ox.RdfFormat.from_extension(name.rsplit(".", 1)[1])))
    assert {q.graph_name.value for q in quads} == {str(document_iri(i)) for i in DOCS}
    assert len(quads) == sum(d.triples for d in store.documents())
    again = open_store(None)
    assert again.load_file(path) == {"added": 3, "replaced": 0, "unchanged": 0}
    assert [d.id for d in again.documents()] == ["d2", "d1", "d3"]
    assert isomorphic(again.to_graph(), store.to_graph())


def test_write_dataset_refuses_triple_formats(tmp_path):
    with pytest.raises(KgError, match=r"out.ttl: a store is written as trig \(.trig\) or nquads \(.nq\), not turtle"):
        open_store(None).write_dataset(tmp_path / "out.ttl")


# --------------------------------------------------------------------------- sources and queries


def test_load_source_detects_store_file_and_dataset(tmp_path):
    _store("d1", "d3", path=tmp_path / "s").close()
    source = load_source(tmp_path / "s")
    assert isinstance(source, GraphStore) and source.read_only
    assert isomorphic(as_graph(source), _expected("d1", "d3"))
    assert isinstance(as_queryable(source), ox.Store)
    source.close()
    ttl = write_graph(build_graph([D1]), tmp_path / "g.ttl")
    graph = load_source(ttl)
    assert isinstance(graph, Graph) and as_graph(graph) is graph and as_queryable(graph) is graph
    trig = _store("d1", "d2").write_dataset(tmp_path / "g.trig")
    dataset = load_source(trig)
    assert isinstance(dataset, GraphStore) and isomorphic(dataset.to_graph(), _expected("d1", "d2"))
    (tmp_path / "plain-dir").mkdir()
    with pytest.raises(InputError, match="is a directory but not a kg store"):
        load_source(tmp_path / "plain-dir")


def test_store_query_runs_on_the_merged_view_with_limits():
    store = _store("d1", "d2", "d3")
    assert store.query("ASK { ?a pol:accused ?b }").boolean is True
    result = run_query(store.oxigraph, "SELECT ?s WHERE { ?s a pol:Sentence }", max_results=3)
    assert len(result.rows) == 3
    with pytest.raises(ResultLimitError) as info:
        store.query("SELECT ?s WHERE { ?s a pol:Sentence }", max_results=2)
    assert str(info.value) == (
        "the query gives more than 2 rows, the limit; add LIMIT 2 or narrow the query, or raise the limit"
    )
    assert info.value.limit == 2


def test_store_query_timeout_stops_a_streaming_query():
    store = _store("d1", "d2", "d3")
    before = threading.active_count()
    started = time.perf_counter()
    with pytest.raises(QueryTimeoutError, match=r"ran longer than its time limit of 0.2 s"):
        store.query("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }", timeout=0.2)
    assert time.perf_counter() - started < 1.0
    deadline = time.monotonic() + 2
    while threading.active_count() > before and time.monotonic() < deadline:
        time.sleep(0.02)
    assert threading.active_count() == before  # the abandoned query stopped at its next row


def test_store_query_default_and_named_graph_options():
    store = _store("d1", "d3")
    d1 = str(document_iri("d1"))
    query = "SELECT ?c WHERE { ?c a pol:Country } ORDER BY ?c"
    rows = run_query(store.oxigraph, query, default_graphs=[d1]).rows
    assert rows == [(str(entity_iri("country/ATL")),), (str(entity_iri("country/BOR")),)]


# --------------------------------------------------------------------------- dataset exporters (kg.export)


def test_split_by_document_gives_each_document_its_own_statements():
    parts, rest = split_by_document(build_graph([D1, D2, D3]))
    assert list(parts) == sorted((document_iri(i) for i in DOCS), key=str)
    d1 = parts[document_iri("d1")]
    assert set(d1.objects(MEETING, PROV.wasDerivedFrom)) == set(
        add_extraction(new_graph(), D1).objects(MEETING, PROV.wasDerivedFrom)
    )
    assert (entity_iri("country/ATL"), POL.consulted, entity_iri("country/BOR")) in d1
    assert (entity_iri("country/SYL"), None, None) not in d1
    assert len(rest) == 0


@pytest.mark.parametrize("name", ["x.trig", "x.nq"])
def test_write_graph_dataset_formats_split_by_document(tmp_path, name):
    graph = build_graph([D1, D2, D3])
    graph.add((POL.PLOVER, RDFS.label, Literal("PLOVER")))
    path = write_graph(graph, tmp_path / name)
    quads = list(ox.parse(path=str(path), format=ox.RdfFormat.from_extension(name.rsplit(".", 1)[1])))
    names = {q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else "" for q in quads}
    assert names == {""} | {str(document_iri(i)) for i in DOCS}
    assert [q.triple for q in quads if isinstance(q.graph_name, ox.DefaultGraph)] == [
        ox.Triple(ox.NamedNode(str(POL.PLOVER)), ox.NamedNode(str(RDFS.label)), ox.Literal("PLOVER"))
    ]
    store = open_store(None)
    store.load_file(path)
    assert isomorphic(store.to_graph(), _canonical(graph))


def test_write_graph_dataset_format_to_stdout(capsys):
    write_graph(build_graph([D3]), "-", format="nquads")
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(build_graph([D3]))
    assert all(line.endswith(f"<{document_iri('d3')}> .") for line in lines)
