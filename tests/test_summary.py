"""The summary counts (kg.summary) and the named queries that read them.

Each named query is checked against its direct form (tests/reference_queries), which
joins the events themselves: same rows, on a synthetic graph of a few hundred
documents (benchmarks/synthetic.py) and on graphs built from text.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import QueryError
from kg.graph import build_graph, new_graph
from kg.model import Document, DocumentExtraction, Entity, Event, Sentence
from kg.query import load_named_query, named_queries, run_named_query, run_query, to_store
from kg.store import load_source, open_store
from kg.summary import has_summary, is_summary_graph, mark_stale, summarize, summary_graph

sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
from synthetic import entity_pool, synthetic_extractions  # noqa: E402

REFERENCE = Path(__file__).parent / "reference_queries"


def _rows(result) -> list[tuple]:
    return sorted(tuple("" if v is None else str(v) for v in row) for row in result.rows)


def _params(name: str, values: dict[str, str]) -> dict[str, str]:
    return {p.name: values[p.name] for p in load_named_query(name).params if p.name in values}


@pytest.fixture(scope="module")
def synthetic_store() -> ox.Store:
    store = to_store(build_graph(synthetic_extractions(300, entities=120)))
    summarize(store)
    return store


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_named_query_answers_as_its_direct_form(synthetic_store, name):
    top = entity_pool(3)
    values = {"a": top[0].label, "b": top[1].label.lower(), "entity": top[2].label.upper()}
    direct = run_query(synthetic_store, (REFERENCE / f"{name}.rq").read_text(), params=_params(name, values))
    values["limit"] = "100000"
    fast = run_named_query(synthetic_store, name, params=_params(name, values))
    assert fast.variables == direct.variables
    assert direct.rows, "the synthetic graph should give every query rows"
    assert _rows(fast) == _rows(direct)


def test_named_query_limit_keeps_the_top_rows(synthetic_store):
    everything = run_named_query(synthetic_store, "most-active-actors", params={"limit": "100000"})
    top = run_named_query(synthetic_store, "most-active-actors", params={"limit": "5"})
    assert len(top) == 5
    assert [int(r[2]) for r in top.rows] == sorted((int(r[2]) for r in everything.rows), reverse=True)[:5]


@pytest.mark.parametrize("bad", ["0", "-3", "ten", "5 } DROP ALL", ""])
def test_named_query_integer_parameter_refuses_what_is_not_a_count(synthetic_store, bad):
    with pytest.raises(QueryError, match="must be a whole number of 1 or more"):
        run_named_query(synthetic_store, "who-met-whom", params={"limit": bad})


def _event_graph(*events: tuple[str, str, str, str, str]) -> DocumentExtraction:
    """One document (d1, 2024-03-05) with events (type, actor, recipient, modality, own date or "")."""
    sentences, out, keys = [], [], set()
    for n, (etype, actor, recipient, modality, date) in enumerate(events):
        sentence = Sentence("d1", n * 10, n * 10 + 9, f"sentence {n}")
        sentences.append(sentence)
        keys |= {actor, recipient}
        out.append(Event(etype, (actor,), (recipient,), modality, "did", sentence, date=date or None))
    entities = tuple(
        Entity(k, k.split("/")[1].title(), "Country", aliases=frozenset({k.split("/")[1]})) for k in sorted(keys)
    )
    return DocumentExtraction(Document("d1", "x" * 100, date="2024-03-05"), tuple(sentences), entities, (), tuple(out))


def _table(store: ox.Store, graph: str, sparql: str) -> list[tuple]:
    """Rows of the variables of ``sparql`` in the order they first appear, over one summary graph."""
    names = list(dict.fromkeys(re.findall(r"\?(\w+)", sparql)))
    query = f"SELECT {' '.join('?' + n for n in names)} WHERE {{ GRAPH <{graph}> {{ {sparql} }} }}"
    return sorted(row[1:] if names[0] in ("c", "d") else row for row in _rows(run_query(store, query)))


def test_summary_counts_active_events_only_and_dates_them():
    extraction = _event_graph(
        ("ACCUSE", "country/ka", "country/lo", "Asserted", ""),
        ("ACCUSE", "country/ka", "country/lo", "Intended", "2023-07"),
        ("ACCUSE", "country/ka", "country/lo", "Negated", ""),
        ("CONSULT", "country/lo", "country/ka", "Hypothetical", ""),
    )
    store = to_store(build_graph([extraction]))
    summarize(store)
    assert _table(store, summary_graph("type-month"), "?c pol:countedType ?t ; pol:month ?m ; pol:eventCount ?n") == [
        ("https://w3id.org/polkg/ontology#ACCUSE", "2023-07", "1"),
        ("https://w3id.org/polkg/ontology#ACCUSE", "2024-03", "1"),
    ]
    assert _table(store, summary_graph("dyads/accuse"), "?d pol:first ?a ; pol:second ?b ; pol:eventCount ?n") == [
        ("https://w3id.org/polkg/id/country/ka", "https://w3id.org/polkg/id/country/lo", "2")
    ]
    assert _table(store, summary_graph("activity"), "?e pol:activeEventCount ?n ; pol:asActorCount ?a") == [
        ("https://w3id.org/polkg/id/country/ka", "2", "2"),
        ("https://w3id.org/polkg/id/country/lo", "2", "0"),
    ]
    dates = _table(store, summary_graph("dates"), "?e pol:timelineDate ?d")
    assert sorted(d for _, d in dates) == ["2023-07", "2024-03-05", "2024-03-05", "2024-03-05"]
    assert ("https://w3id.org/polkg/id/country/ka", "ka") in _table(store, summary_graph("names"), "?e pol:nameKey ?k")


def test_summary_consult_pairs_are_unordered():
    extraction = _event_graph(
        ("CONSULT", "country/ka", "country/lo", "Asserted", "2024-01-01"),
        ("CONSULT", "country/lo", "country/ka", "Asserted", "2024-01-02"),
    )
    store = to_store(build_graph([extraction]))
    summarize(store)
    assert _table(store, summary_graph("dyads/consult"), "?d pol:first ?a ; pol:second ?b ; pol:eventCount ?n") == [
        ("https://w3id.org/polkg/id/country/ka", "https://w3id.org/polkg/id/country/lo", "2")
    ]


def test_summarize_writes_only_what_changed_and_leaves_the_default_graph():
    extraction = _event_graph(("ACCUSE", "country/ka", "country/lo", "Asserted", ""))
    store = to_store(build_graph([extraction]))
    before = set(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    first = summarize(store)
    assert first["added"] > 0 and first["removed"] == 0
    assert set(store.quads_for_pattern(None, None, None, ox.DefaultGraph())) == before
    assert summarize(store) == {"added": 0, "removed": 0}
    assert has_summary(store)
    mark_stale(store)
    assert not has_summary(store)


def test_run_named_query_on_read_only_store_without_summary_says_what_to_do(tmp_path):
    writable = ox.Store(str(tmp_path / "ox"))
    writable.extend(ox.Quad(q.subject, q.predicate, q.object) for q in to_store(new_graph()))
    del writable
    store = ox.Store.read_only(str(tmp_path / "ox"))
    with pytest.raises(QueryError, match="this store has none and cannot be written"):
        run_named_query(store, "who-met-whom")


def _extraction(doc_id: str, text_date: str, *events: tuple[str, str, str]) -> DocumentExtraction:
    sentence = Sentence(doc_id, 0, 10, f"text of {doc_id}")
    evs = tuple(Event(t, (a,), (r,), "Asserted", "did", sentence) for t, a, r in events)
    keys = sorted({k for _, a, r in events for k in (a, r)})
    entities = tuple(Entity(k, k.split("/")[1].title(), "Country") for k in keys)
    return DocumentExtraction(Document(doc_id, f"text of {doc_id}", date=text_date), (sentence,), entities, (), evs)


def test_store_keeps_the_summary_current_through_adds_and_removes(tmp_path):
    with open_store(tmp_path / "s") as store:
        store.add_extraction(_extraction("d1", "2024-01-02", ("ACCUSE", "country/ka", "country/lo")))
        assert run_named_query(store.oxigraph, "who-accuses-whom").rows == [
            ("Ka", "Lo", "1", "https://w3id.org/polkg/id/country/ka", "https://w3id.org/polkg/id/country/lo")
        ]
        store.add_extraction(_extraction("d2", "2024-02-03", ("ACCUSE", "country/ka", "country/lo")))
        assert not has_summary(store.oxigraph)  # stale until refreshed
        assert store.query("SELECT * WHERE { ?s ?p ?o } LIMIT 1").rows
        assert has_summary(store.oxigraph)
        assert [r[2] for r in run_named_query(store.oxigraph, "who-accuses-whom").rows] == ["2"]
        store.remove_documents(["d1", "d2"])
    with open_store(tmp_path / "s", read_only=True) as store:
        assert has_summary(store.oxigraph)
        assert run_named_query(store.oxigraph, "who-accuses-whom").rows == []
        assert all(not is_summary_graph(d.graph) for d in store.documents())


def test_load_source_brings_up_to_date_a_store_whose_writer_was_killed(tmp_path):
    with open_store(tmp_path / "s") as store:
        store.add_extraction(_extraction("d1", "2024-01-02", ("SUPPORT", "country/ka", "country/lo")))
    killed = (
        "import os, sys; from kg.store import open_store; from kg.summary import mark_stale\n"
        "store = open_store(sys.argv[1]); mark_stale(store.oxigraph); store.oxigraph.flush(); os._exit(9)\n"
    )
    assert subprocess.run([sys.executable, "-c", killed, str(tmp_path / "s")]).returncode == 9
    with open_store(tmp_path / "s", read_only=True) as stale:
        assert not stale.summary_current
    source = load_source(tmp_path / "s")
    try:
        assert source.summary_current
        assert [r[2] for r in run_named_query(source.oxigraph, "who-supports-whom").rows] == ["1"]
    finally:
        source.close()
