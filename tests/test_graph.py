"""The graph stage: extractions become triples in the shape of the RDF contract."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic

from kg import vocab
from kg.errors import InputError
from kg.gazetteer import geonames_iri
from kg.graph import (
    add_extraction,
    build_graph,
    document_iri,
    entity_iri,
    event_iri,
    load_graph,
    merge_graphs,
    new_graph,
    sentence_iri,
)
from kg.model import Document, DocumentExtraction, Entity, Event, Sentence
from kg.validation import validate
from kg.vocab import DCTERMS, EVENT_TYPES, OWL, POL, PROV, RDF, RDFS, SKOS, WD

TEXT = "Prime Minister Helena Varga accused NATO. Ms Varga spoke later."
DOC = Document("wire-1", TEXT, date="2024-11-13", title="Border talks", url="https://example.org/wire-1")
SENT = Sentence("wire-1", 0, 41, "Prime Minister Helena Varga accused NATO.")
VARGA = Entity("person/helena-varga", "Helena Varga", "Person", country="HUN",
               aliases=frozenset({"Ms Varga", "Helena Varga"}), role="Prime Minister")
NATO = Entity("org/nato", "NATO", "Organization", wikidata="Q7184")
ACCUSE = Event("ACCUSE", ("person/helena-varga",), ("org/nato",), "Asserted", "accused", SENT, date="2024-11-11")


def _extraction(document=DOC, events=(ACCUSE,), entities=(VARGA, NATO), sentences=(SENT,)) -> DocumentExtraction:
    return DocumentExtraction(document, tuple(sentences), tuple(entities), (), tuple(events))


def _truthy_predicates() -> set[URIRef]:
    return {POL[t.truthy] for t in EVENT_TYPES.values()}


def _build(nlp, docs: list[Document]):
    from kg.pipeline import extract

    return build_graph(extract(docs, nlp=nlp))


def test_add_extraction_writes_exactly_the_contract_shape():
    g = add_extraction(new_graph(), _extraction())
    doc, sent, ev = document_iri("wire-1"), sentence_iri(SENT), event_iri(ACCUSE, "wire-1")
    varga, nato = entity_iri("person/helena-varga"), entity_iri("org/nato")
    hungary = entity_iri("country/HUN")
    assert set(g) == {
        (doc, RDF.type, POL.Document),
        (doc, DCTERMS.identifier, Literal("wire-1")),
        (doc, DCTERMS.date, Literal("2024-11-13", datatype=vocab.XSD.date)),
        (doc, DCTERMS.title, Literal("Border talks")),
        (doc, DCTERMS.source, URIRef("https://example.org/wire-1")),
        (sent, RDF.type, POL.Sentence),
        (sent, POL.inDocument, doc),
        (sent, POL.text, Literal("Prime Minister Helena Varga accused NATO.")),
        (sent, POL.start, Literal(0)),
        (sent, POL.end, Literal(41)),
        (ev, RDF.type, POL.Event),
        (ev, POL.eventType, POL.ACCUSE),
        (ev, POL.actor, varga),
        (ev, POL.recipient, nato),
        (ev, POL.modality, POL.Asserted),
        (ev, POL.trigger, Literal("accused")),
        (ev, POL.date, Literal("2024-11-11", datatype=vocab.XSD.date)),
        (ev, POL.score, Literal("-3.0", datatype=vocab.XSD.decimal)),
        (ev, PROV.wasDerivedFrom, sent),
        (varga, RDF.type, POL.Person),
        (varga, RDFS.label, Literal("Helena Varga")),
        (varga, SKOS.altLabel, Literal("Ms Varga")),
        (varga, POL.country, Literal("HUN")),
        (varga, POL.role, Literal("Prime Minister")),
        (varga, POL.participatedIn, ev),
        (varga, POL.accused, nato),
        (varga, POL.state, hungary),  # an office holder belongs to the state of its country
        (hungary, RDF.type, POL.Country),
        (hungary, RDFS.label, Literal("Hungary")),
        (hungary, POL.country, Literal("HUN")),
        (hungary, OWL.sameAs, URIRef(geonames_iri("HUN"))),
        (nato, RDF.type, POL.Organization),
        (nato, RDFS.label, Literal("NATO")),
        (nato, OWL.sameAs, WD.Q7184),
        (nato, POL.participatedIn, ev),
    }
    assert validate(g).conforms


def test_add_extraction_year_month_date_is_g_year_month():
    document = Document("wire-2", "Kenya met Uganda.", date="2024-11")
    g = add_extraction(new_graph(), DocumentExtraction(document, (), (), (), ()))
    assert list(g.objects(document_iri("wire-2"), DCTERMS.date)) == [Literal("2024-11", datatype=vocab.XSD.gYearMonth)]
    assert validate(g).conforms


def test_add_extraction_without_optional_fields_writes_type_and_identifier_only():
    g = add_extraction(new_graph(), DocumentExtraction(Document("bare", "Calm."), (), (), (), ()))
    doc = document_iri("bare")
    assert set(g) == {(doc, RDF.type, POL.Document), (doc, DCTERMS.identifier, Literal("bare"))}
    assert validate(g).conforms


def test_add_extraction_truthy_edges_only_for_asserted_and_intended():
    a, b = "country/KEN", "country/UGA"
    events = [
        Event("ACCUSE", (a,), (b,), "Asserted", "accused", SENT),
        Event("AGREE", (a,), (b,), "Intended", "will meet", SENT),
        Event("ASSAULT", (a,), (b,), "Hypothetical", "could attack", SENT),
        Event("CONSULT", (a, b), (), "Negated", "did not meet", SENT),
    ]
    entities = [Entity(a, "Kenya", "Country", "KEN"), Entity(b, "Uganda", "Country", "UGA")]
    g = add_extraction(new_graph(), _extraction(events=events, entities=entities))
    truthy = {(s, p, o) for s, p, o in g if p in _truthy_predicates()}
    assert truthy == {
        (entity_iri(a), POL.accused, entity_iri(b)),
        (entity_iri(a), POL.agreedWith, entity_iri(b)),
    }
    modalities = {(g.value(e, POL.eventType), g.value(e, POL.modality)) for e in g.subjects(RDF.type, POL.Event)}
    assert modalities == {(POL.ACCUSE, POL.Asserted), (POL.AGREE, POL.Intended),
                          (POL.ASSAULT, POL.Hypothetical), (POL.CONSULT, POL.Negated)}
    assert validate(g).conforms


def test_add_extraction_reciprocal_consult_links_both_ways():
    a, b = "country/KEN", "country/UGA"
    event = Event("CONSULT", (a, b), (), "Asserted", "met", SENT)
    entities = [Entity(a, "Kenya", "Country", "KEN"), Entity(b, "Uganda", "Country", "UGA")]
    g = add_extraction(new_graph(), _extraction(events=[event], entities=entities))
    assert {(s, o) for s, o in g.subject_objects(POL.consulted)} == {
        (entity_iri(a), entity_iri(b)), (entity_iri(b), entity_iri(a)),
    }
    assert list(g.objects(None, POL.recipient)) == []


def test_build_graph_twice_gives_isomorphic_graphs_and_same_iris(nlp):
    docs = [Document("a", "Kenya met Uganda on Monday. Kenya accused Uganda of smuggling.", date="2024-11-13"),
            Document("b", "France urged Russia to withdraw.", date="2024-11")]
    first, second = _build(nlp, docs), _build(nlp, docs)
    assert isomorphic(first, second)
    assert set(first) == set(second)
    assert sorted(first.subjects(RDF.type, POL.Event)) == sorted(second.subjects(RDF.type, POL.Event))
    assert validate(first).conforms


def test_merge_graphs_overlapping_documents_no_duplicates_and_both_sentences_kept(nlp):
    doc_a = Document("a", "Kenya met Uganda on Monday.", date="2024-11-13")
    doc_b = Document("b", "Kenya met Uganda on Monday. Kenya accused Uganda of smuggling.", date="2024-11-13")
    merged = merge_graphs([_build(nlp, [doc_a]), _build(nlp, [doc_b])])
    entities = sorted(set(merged.subjects(RDF.type, POL.Country)))
    assert entities == [entity_iri("country/KEN"), entity_iri("country/UGA")]
    for entity in entities:
        assert len(list(merged.objects(entity, RDFS.label))) == 1
        assert len(list(merged.objects(entity, RDF.type))) == 1
    consults = [e for e in merged.subjects(POL.eventType, POL.CONSULT)]
    assert len(consults) == 1
    stated_in = {
        (str(merged.value(merged.value(s, POL.inDocument), DCTERMS.identifier)), str(merged.value(s, POL.text)))
        for s in merged.objects(consults[0], PROV.wasDerivedFrom)
    }
    assert stated_in == {("a", "Kenya met Uganda on Monday."), ("b", "Kenya met Uganda on Monday.")}
    assert len(list(merged.subjects(RDF.type, POL.Document))) == 2
    assert validate(merged).conforms


def test_merge_graphs_disagreeing_labels_keep_one_label():
    sentence = Sentence("d2", 0, 17, "Varga met Kenya.")
    first = add_extraction(new_graph(), _extraction())
    other = Entity("person/helena-varga", "H. Varga", "Person", country="HUN")
    second = add_extraction(new_graph(), DocumentExtraction(
        Document("d2", "Varga met Kenya."), (sentence,), (other,), (), ()))
    merged = merge_graphs([first, second])
    varga = entity_iri("person/helena-varga")
    assert list(merged.objects(varga, RDFS.label)) == [Literal("Helena Varga")]
    assert set(merged.objects(varga, SKOS.altLabel)) == {Literal("Ms Varga"), Literal("H. Varga")}
    assert validate(merged).conforms


def test_merge_graphs_of_nothing_is_empty():
    assert len(merge_graphs([])) == 0


def test_load_graph_missing_file_names_it(tmp_path):
    path = tmp_path / "absent.ttl"
    with pytest.raises(InputError) as info:
        load_graph(path)
    assert str(info.value) == f"{path}: no such file or directory"


def test_load_graph_bad_turtle_names_file(tmp_path):
    path = tmp_path / "broken.ttl"
    path.write_text("@prefix pol: <https://w3id.org/polkg/ontology#> .\npol:a pol:b \n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_graph(path)
    assert info.value.where == str(path)
    assert str(info.value).startswith(f"{path}: not valid turtle (")


def test_load_graph_round_trips_a_written_graph(tmp_path):
    g = add_extraction(new_graph(), _extraction())
    path = tmp_path / "graph.ttl"
    path.write_text(g.serialize(format="turtle"), encoding="utf-8")
    assert isomorphic(load_graph(path), g)


def test_tiny_graph_validates(tiny_graph):
    report = validate(tiny_graph)
    assert (report.conforms, report.results) == (True, [])
    types = sorted(str(t).rsplit("#", 1)[1] for t in tiny_graph.objects(None, POL.eventType))
    assert types == ["ACCUSE", "CONSULT", "REQUEST", "RETREAT"]


def test_build_graph_empty_input_is_empty_graph():
    g = build_graph([])
    assert len(g) == 0
    assert validate(g).conforms


def test_triple_buffer_holds_what_a_fresh_graph_holds():
    from kg.graph import TripleBuffer

    buffer = add_extraction(TripleBuffer(), _extraction())
    assert set(buffer) == set(add_extraction(new_graph(), _extraction()))
    assert len(buffer) == len(set(buffer))
    assert buffer.value(entity_iri("person/helena-varga"), RDFS.label) == Literal("Helena Varga")
    assert buffer.value(entity_iri("person/helena-varga"), POL.date) is None


def test_triple_buffer_keeps_each_triple_once_in_order():
    from kg.graph import TripleBuffer

    a, b = (entity_iri("x"), RDFS.label, Literal("A")), (entity_iri("x"), RDFS.label, Literal("B"))
    buffer = TripleBuffer().add(a).add(b).add(a)
    assert list(buffer) == [a, b] and a in buffer
    assert buffer.value(entity_iri("x"), RDFS.label) == Literal("A")
