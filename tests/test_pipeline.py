"""The whole path: texts -> extractions -> graph, and the names ``import kg`` offers."""

from __future__ import annotations

import importlib
import inspect

import pytest
from rdflib import Literal

import kg
from kg.graph import entity_iri
from kg.model import Document, Sentence
from kg.pipeline import build, extract, extract_document
from kg.validation import validate
from kg.vocab import DCTERMS, POL, RDF


def _events(graph) -> set[tuple]:
    out = set()
    for ev in graph.subjects(RDF.type, POL.Event):
        out.add((
            str(graph.value(ev, POL.eventType)).rsplit("#", 1)[1],
            tuple(sorted(str(a).rsplit("/id/", 1)[1] for a in graph.objects(ev, POL.actor))),
            tuple(sorted(str(r).rsplit("/id/", 1)[1] for r in graph.objects(ev, POL.recipient))),
            str(graph.value(ev, POL.modality)).rsplit("#", 1)[1],
        ))
    return out


def test_build_texts_gives_graph_of_their_events(nlp):
    g = build(["Kenya met Uganda.", "France accused Russia of lying."], nlp=nlp, date="2024-11-13")
    assert _events(g) == {
        ("CONSULT", ("country/KEN", "country/UGA"), (), "Asserted"),
        ("ACCUSE", ("country/FRA",), ("country/RUS",), "Asserted"),
    }
    assert sorted(str(i) for i in g.objects(None, DCTERMS.identifier)) == ["text-1", "text-2"]
    assert validate(g).conforms


def test_build_accepts_pairs_and_documents(nlp):
    g = build([("wire-7", "Egypt held talks with Jordan."),
               Document("wire-8", "Russia shelled Ukraine.", date="2024-11-12")], nlp=nlp)
    assert sorted(str(i) for i in g.objects(None, DCTERMS.identifier)) == ["wire-7", "wire-8"]
    assert _events(g) == {
        ("CONSULT", ("country/EGY", "country/JOR"), (), "Asserted"),
        ("ASSAULT", ("country/RUS",), ("country/UKR",), "Asserted"),
    }


def test_build_empty_input_is_empty_graph(nlp):
    assert len(build([], nlp=nlp)) == 0


def test_extract_streams_one_extraction_at_a_time(nlp):
    pulled: list[int] = []

    def documents():
        for n in range(1, 7):
            pulled.append(n)
            yield Document(f"d{n}", "Kenya met Uganda.")

    stream = extract(documents(), nlp=nlp, batch_size=2)
    assert inspect.isgenerator(stream)
    assert pulled == []
    first = next(stream)
    assert first.document.id == "d1"
    assert len(pulled) < 6
    assert [x.document.id for x in stream] == ["d2", "d3", "d4", "d5", "d6"]


def test_extract_calls_on_document_in_order(nlp):
    seen: list[str] = []
    docs = [Document("a", "Kenya met Uganda."), Document("b", "Calm returned.")]
    out = list(extract(docs, nlp=nlp, on_document=lambda x: seen.append(x.document.id)))
    assert seen == ["a", "b"] == [x.document.id for x in out]


def test_extract_document_keeps_only_entities_used_by_events(nlp):
    text = "Kenya met Uganda. The weather in Paris was mild, said Helena Varga."
    x = extract_document(Document("d", text), nlp(text))
    assert [e.key for e in x.entities] == ["country/KEN", "country/UGA"]
    assert {m.entity for m in x.mentions} == {"country/KEN", "country/UGA"}
    assert x.sentences == (Sentence("d", 0, 17, "Kenya met Uganda."),)
    assert x.stats["sentences"] == 2


def test_extract_document_without_events_keeps_nothing(nlp):
    text = "The weather in Paris was mild."
    x = extract_document(Document("d", text), nlp(text))
    assert (x.events, x.entities, x.mentions, x.sentences) == ((), (), (), ())
    assert x.stats["sentences"] == 1


def test_extract_document_sentence_offsets_slice_the_text(nlp):
    text = "Calm returned.\n\nKenya accused Uganda of smuggling. France met Germany."
    x = extract_document(Document("d", text), nlp(text))
    assert [s.text for s in x.sentences] == [text[s.start:s.end] for s in x.sentences]
    assert [e.sentence.start for e in x.events] == [16, 51]


#: Names the package docstring and README promise, with the module each comes from.
DOCUMENTED = {
    "build": "pipeline",
    "extract": "pipeline",
    "extract_document": "pipeline",
    "read_texts": "read",
    "read_documents": "read",
    "build_graph": "graph",
    "merge_graphs": "graph",
    "load_graph": "graph",
    "run_query": "query",
    "format_result": "query",
    "named_queries": "query",
    "write_graph": "export",
    "draw_html": "draw",
    "validate": "validation",
    "load_pipeline": "nlp",
    "KgError": "errors",
    "Document": "model",
}


@pytest.mark.parametrize(("name", "module"), sorted(DOCUMENTED.items()))
def test_import_kg_exposes_documented_name(name, module):
    assert name in kg.__all__
    assert getattr(kg, name) is getattr(importlib.import_module(f"kg.{module}"), name)


def test_import_kg_unknown_name_raises_attribute_error():
    with pytest.raises(AttributeError) as info:
        kg.no_such_name  # noqa: B018
    assert str(info.value) == "module 'kg' has no attribute 'no_such_name'"


def test_import_kg_facade_runs_the_documented_steps(nlp, tmp_path):
    docs = kg.read_texts(["Kenya met Uganda."], date="2024-11-13")
    graph = kg.build_graph(kg.extract(docs, nlp=nlp))
    path = kg.write_graph(graph, tmp_path / "graph.ttl")
    assert path == tmp_path / "graph.ttl"
    result = kg.run_query(kg.load_graph(path), "SELECT ?a ?b WHERE { ?a pol:consulted ?b } ORDER BY ?a")
    assert result.rows == [(str(entity_iri("country/KEN")), str(entity_iri("country/UGA"))),
                           (str(entity_iri("country/UGA")), str(entity_iri("country/KEN")))]
    assert graph.value(entity_iri("country/KEN"), POL.country) == Literal("KEN")
