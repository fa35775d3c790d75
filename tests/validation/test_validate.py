"""SHACL validation of graphs in the contract's shape (``kg.validation``)."""

from __future__ import annotations

from dataclasses import FrozenInstanceError

import pytest
from rdflib import Graph, Literal, URIRef

# XSD is used as vocab.XSD: as a module global, pytest's fixture scan makes rdflib warn.
from kg import vocab
from kg.errors import ValidationError
from kg.validation import ValidationReport, check, validate
from kg.vocab import DCTERMS, OWL, POL, POLR, PROV, RDF, RDFS, SKOS, WD

DOC = POLR["doc/bbc-1"]
SENT = POLR["sentence/bbc-1/0"]
EVENT = POLR["event/bbc-1/0"]
STARMER = POLR["person/keir-starmer"]
MACRON = POLR["person/emmanuel-macron"]
TEXT = "Sir Keir Starmer met Emmanuel Macron in Paris."


def contract_graph() -> Graph:
    """A tiny graph in exactly the contract's shape: one CONSULT between two people."""
    g = Graph()
    g.add((DOC, RDF.type, POL.Document))
    g.add((DOC, DCTERMS.identifier, Literal("bbc-1")))
    g.add((DOC, DCTERMS.date, Literal("2024-11-11", datatype=vocab.XSD.date)))
    g.add((DOC, DCTERMS.title, Literal("Starmer in Paris")))
    g.add((DOC, DCTERMS.source, URIRef("https://www.bbc.co.uk/news/articles/1")))

    g.add((SENT, RDF.type, POL.Sentence))
    g.add((SENT, POL.inDocument, DOC))
    g.add((SENT, POL.text, Literal(TEXT)))
    g.add((SENT, POL.start, Literal(0)))
    g.add((SENT, POL.end, Literal(len(TEXT))))

    g.add((EVENT, RDF.type, POL.Event))
    g.add((EVENT, POL.eventType, POL.CONSULT))
    g.add((EVENT, POL.actor, STARMER))
    g.add((EVENT, POL.recipient, MACRON))
    g.add((EVENT, POL.modality, POL.Asserted))
    g.add((EVENT, POL.trigger, Literal("met")))
    g.add((EVENT, POL.score, Literal("2.5", datatype=vocab.XSD.decimal)))
    g.add((EVENT, PROV.wasDerivedFrom, SENT))

    for node, label, alt, country in [
        (STARMER, "Keir Starmer", "Sir Keir Starmer", "GBR"),
        (MACRON, "Emmanuel Macron", "Macron", "FRA"),
    ]:
        g.add((node, RDF.type, POL.Person))
        g.add((node, RDFS.label, Literal(label)))
        g.add((node, SKOS.altLabel, Literal(alt)))
        g.add((node, POL.country, Literal(country)))
    g.add((STARMER, POL.role, Literal("Prime Minister")))
    g.add((STARMER, OWL.sameAs, WD.Q6383353))
    g.add((STARMER, POL.consulted, MACRON))
    g.add((MACRON, POL.consulted, STARMER))
    return g


def assert_violation(graph: Graph, focus: URIRef, path: str, words: str) -> ValidationReport:
    """The graph fails, with a result line about ``focus`` and ``path`` containing ``words``."""
    report = validate(graph)
    assert not report.conforms
    matching = [line for line in report.results if line.startswith(f"{focus.n3()}: {path}: ")]
    assert matching, report.results
    assert any(words in line for line in matching), matching
    return report


def test_validate_contract_graph_conforms():
    report = validate(contract_graph())
    assert report.results == []
    assert report.conforms is True
    assert "Conforms: True" in report.text


def test_validate_empty_graph_conforms():
    assert validate(Graph()) == ValidationReport(conforms=True, results=[], text=validate(Graph()).text)


def test_validate_does_not_change_the_graph():
    g = contract_graph()
    before = len(g)
    validate(g)
    validate(g, inference="rdfs")
    assert len(g) == before


def test_validate_report_is_frozen():
    report = validate(Graph())
    with pytest.raises(FrozenInstanceError):
        report.conforms = False  # type: ignore[misc]


def test_validate_rdfs_inference_conforms():
    assert validate(contract_graph(), inference="rdfs").conforms


def test_validate_unknown_inference_mode():
    with pytest.raises(ValueError, match="inference"):
        validate(Graph(), inference="owl")  # type: ignore[arg-type]


def test_validate_optional_fields_conform():
    g = contract_graph()
    paris = POLR["location/paris"]
    g.set((DOC, DCTERMS.date, Literal("2024-11", datatype=vocab.XSD.gYearMonth)))
    g.add((EVENT, POL.date, Literal("2024", datatype=vocab.XSD.gYear)))
    g.add((EVENT, POL.mode, Literal("visit")))
    g.add((EVENT, POL.location, paris))
    g.add((paris, RDF.type, POL.Location))
    g.add((paris, RDFS.label, Literal("Paris")))
    g.add((paris, POL.country, Literal("FRA")))
    g.add((STARMER, POL.participatedIn, EVENT))
    assert validate(g).results == []


def test_validate_event_without_recipient_conforms():
    g = contract_graph()
    g.remove((EVENT, POL.recipient, None))
    g.add((EVENT, POL.actor, MACRON))
    assert validate(g).conforms


def test_validate_event_with_no_actor():
    g = contract_graph()
    g.remove((EVENT, POL.actor, None))
    assert_violation(g, EVENT, "pol:actor", "needs at least one pol:actor")


def test_validate_actor_not_an_entity():
    g = contract_graph()
    stranger = POLR["person/nobody"]
    g.add((EVENT, POL.actor, stranger))
    assert_violation(g, EVENT, "pol:actor", "typed as one of the entity classes")


def test_validate_actor_typed_only_as_entity():
    g = contract_graph()
    g.remove((STARMER, RDF.type, POL.Person))
    g.add((STARMER, RDF.type, POL.Entity))
    assert_violation(g, EVENT, "pol:actor", "typed as one of the entity classes")


def test_validate_unknown_event_type():
    g = contract_graph()
    g.set((EVENT, POL.eventType, URIRef("https://w3id.org/polkg/ontology#MEET")))
    assert_violation(g, EVENT, "pol:eventType", "one of the 16 PLOVER types")


def test_validate_two_event_types():
    g = contract_graph()
    g.add((EVENT, POL.eventType, POL.AGREE))
    assert_violation(g, EVENT, "pol:eventType", "exactly one pol:eventType")


def test_validate_unknown_modality():
    g = contract_graph()
    g.set((EVENT, POL.modality, Literal("asserted")))
    assert_violation(g, EVENT, "pol:modality", "pol:Asserted, pol:Intended")


def test_validate_missing_was_derived_from():
    g = contract_graph()
    g.remove((EVENT, PROV.wasDerivedFrom, None))
    assert_violation(g, EVENT, "prov:wasDerivedFrom", "at least one prov:wasDerivedFrom")


def test_validate_derived_from_a_document_not_a_sentence():
    g = contract_graph()
    g.set((EVENT, PROV.wasDerivedFrom, DOC))
    assert_violation(g, EVENT, "prov:wasDerivedFrom", "a pol:Sentence")


def test_validate_event_date_wrong_datatype():
    g = contract_graph()
    g.add((EVENT, POL.date, Literal("2024-11-11")))
    assert_violation(g, EVENT, "pol:date", "xsd:date, xsd:gYearMonth or xsd:gYear")


def test_validate_document_date_wrong_datatype():
    g = contract_graph()
    g.set((DOC, DCTERMS.date, Literal("2024-11-11T10:00:00", datatype=vocab.XSD.dateTime)))
    assert_violation(g, DOC, "dcterms:date", "xsd:date, xsd:gYearMonth or xsd:gYear")


def test_validate_score_not_decimal():
    g = contract_graph()
    g.set((EVENT, POL.score, Literal(2.5)))  # a Python float becomes xsd:double
    assert_violation(g, EVENT, "pol:score", "xsd:decimal")


def test_validate_two_triggers():
    g = contract_graph()
    g.add((EVENT, POL.trigger, Literal("talks")))
    assert_violation(g, EVENT, "pol:trigger", "at most one pol:trigger")


def test_validate_document_without_identifier():
    g = contract_graph()
    g.remove((DOC, DCTERMS.identifier, None))
    assert_violation(g, DOC, "dcterms:identifier", "exactly one dcterms:identifier")


def test_validate_document_identifier_not_a_string():
    g = contract_graph()
    g.set((DOC, DCTERMS.identifier, Literal(1)))
    assert_violation(g, DOC, "dcterms:identifier", "plain string")


def test_validate_document_source_as_string():
    g = contract_graph()
    g.set((DOC, DCTERMS.source, Literal("https://www.bbc.co.uk/news/articles/1")))
    assert_violation(g, DOC, "dcterms:source", "an IRI")


def test_validate_sentence_end_before_start():
    g = contract_graph()
    g.set((SENT, POL.start, Literal(50)))
    g.set((SENT, POL.end, Literal(10)))
    assert_violation(g, SENT, "pol:start", "pol:start must be smaller than its pol:end")


def test_validate_sentence_end_equals_start():
    g = contract_graph()
    g.set((SENT, POL.end, Literal(0)))
    assert_violation(g, SENT, "pol:start", "smaller than")


def test_validate_sentence_negative_start():
    g = contract_graph()
    g.set((SENT, POL.start, Literal(-1)))
    assert_violation(g, SENT, "pol:start", "xsd:integer >= 0")


def test_validate_sentence_offset_as_string():
    g = contract_graph()
    g.set((SENT, POL.end, Literal(str(len(TEXT)))))
    assert_violation(g, SENT, "pol:end", "xsd:integer")


def test_validate_sentence_without_document():
    g = contract_graph()
    g.remove((SENT, POL.inDocument, None))
    assert_violation(g, SENT, "pol:inDocument", "exactly one pol:inDocument")


def test_validate_entity_with_two_labels():
    g = contract_graph()
    g.add((STARMER, RDFS.label, Literal("Sir Keir")))
    assert_violation(g, STARMER, "rdfs:label", "exactly one rdfs:label")


def test_validate_entity_without_label():
    g = contract_graph()
    g.remove((MACRON, RDFS.label, None))
    assert_violation(g, MACRON, "rdfs:label", "exactly one rdfs:label")


def test_validate_entity_label_with_language_tag():
    g = contract_graph()
    g.set((MACRON, RDFS.label, Literal("Emmanuel Macron", lang="fr")))
    assert_violation(g, MACRON, "rdfs:label", "plain string")


def test_validate_entity_country_uk():
    g = contract_graph()
    g.set((STARMER, POL.country, Literal("UK")))
    assert_violation(g, STARMER, "pol:country", "ISO 3166-1 alpha-3")


def test_validate_entity_country_lower_case():
    g = contract_graph()
    g.set((STARMER, POL.country, Literal("gbr")))
    assert_violation(g, STARMER, "pol:country", "ISO 3166-1 alpha-3")


def test_validate_entity_same_as_string():
    g = contract_graph()
    g.set((STARMER, OWL.sameAs, Literal("Q6383353")))
    assert_violation(g, STARMER, "owl:sameAs", "must be an IRI")


def test_validate_truthy_edge_to_untyped_node():
    g = contract_graph()
    stranger = POLR["person/nobody"]
    g.add((STARMER, POL.accused, stranger))
    assert_violation(g, stranger, "-", "Both ends of a truthy edge")


def test_validate_results_are_focus_path_message_lines():
    g = contract_graph()
    g.remove((EVENT, POL.actor, None))
    g.set((STARMER, POL.country, Literal("UK")))
    report = validate(g)
    assert report.results == sorted(report.results)
    assert report.results == [
        f"{EVENT.n3()}: pol:actor: A pol:Event needs at least one pol:actor, each typed as one of the "
        "entity classes (pol:Person ... pol:Location).",
        f"{STARMER.n3()}: pol:country: An entity has at most one pol:country, an ISO 3166-1 alpha-3 "
        'code in capitals such as "GBR".',
    ]


def test_check_conforming_graph_returns_none():
    assert check(contract_graph()) is None


def test_check_raises_validation_error():
    g = contract_graph()
    g.remove((EVENT, POL.actor, None))
    with pytest.raises(ValidationError, match=r"\(1 violation\):\n  .*pol:actor: A pol:Event needs"):
        check(g)


def test_check_quotes_at_most_limit_results():
    g = contract_graph()
    for node in (STARMER, MACRON):
        g.remove((node, RDFS.label, None))
        g.set((node, POL.country, Literal("UK")))
    with pytest.raises(ValidationError) as info:
        check(g, limit=2)
    message = str(info.value)
    assert "(4 violations)" in message
    assert message.count("\n  <") == 2
    assert "... and 2 more" in message
