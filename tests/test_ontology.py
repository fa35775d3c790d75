"""The ontology and shapes files: they parse, and they agree with ``kg.vocab``."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import SH

# XSD is used as vocab.XSD: as a module global, pytest's fixture scan makes rdflib warn.
from kg import vocab
from kg.validation import load_ontology, load_shapes, validate
from kg.vocab import (
    EVENT_TYPES,
    KIND_TERMS,
    MODALITY_TERMS,
    OWL,
    POL,
    QUAD_TERMS,
    RDF,
    RDFS,
    SKOS,
)

ONTOLOGIES = Path(__file__).resolve().parent.parent / "ontologies"
POL_TERMS = {POL[name] for name in dir(POL)}


def _pol_iris(graph: Graph) -> set[URIRef]:
    """Every IRI of the ``pol:`` namespace used anywhere in ``graph``."""
    return {node for triple in graph for node in triple if isinstance(node, URIRef) and str(node).startswith(str(POL))}


@pytest.fixture(scope="module")
def onto() -> Graph:
    return load_ontology()


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


@pytest.mark.parametrize("name", ["polkg.ttl", "shapes.ttl"])
def test_ttl_parses_with_rdflib_and_pyoxigraph(name):
    path = ONTOLOGIES / name
    graph = Graph().parse(path, format="turtle")
    triples = list(pyoxigraph.parse(path=path, format=pyoxigraph.RdfFormat.TURTLE))
    assert len(graph) > 100
    assert len(triples) == len(graph)


def test_load_ontology_matches_file(onto):
    assert isomorphic(onto, Graph().parse(ONTOLOGIES / "polkg.ttl", format="turtle"))


def test_load_shapes_matches_file(shapes):
    assert isomorphic(shapes, Graph().parse(ONTOLOGIES / "shapes.ttl", format="turtle"))


def test_load_ontology_returns_a_copy():
    first = load_ontology()
    first.remove((None, None, None))
    assert len(first) == 0
    assert len(load_ontology()) > 100
    assert load_ontology() is not load_ontology()


def test_load_ontology_and_shapes_unchanged_by_validation():
    shapes, onto = load_shapes(), load_ontology()
    validate(Graph())
    validate(Graph(), inference="rdfs")
    assert isomorphic(load_shapes(), shapes)
    assert isomorphic(load_ontology(), onto)


def test_load_shapes_returns_a_copy():
    first = load_shapes()
    size = len(first)
    assert size > 100
    first.remove((None, None, None))
    assert len(first) == 0
    second = load_shapes()
    assert second is not first and len(second) == size
    assert isomorphic(second, load_shapes())


def test_ontology_header(onto):
    header = URIRef("https://w3id.org/polkg/ontology")
    assert (header, RDF.type, OWL.Ontology) in onto
    assert onto.value(header, OWL.versionInfo) == Literal("0.1.0")
    assert onto.value(header, URIRef("http://purl.org/dc/terms/license")) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert "PLOVER" in str(onto.value(header, RDFS.comment))
    assert "CC BY-SA 4.0" in str(onto.value(header, RDFS.comment))


def test_ontology_declares_every_vocab_term(onto):
    undeclared = sorted(t for t in POL_TERMS if onto.value(t, RDF.type) is None)
    assert undeclared == []


def test_ontology_declares_nothing_outside_vocab(onto):
    assert sorted(_pol_iris(onto) - POL_TERMS) == []
    subjects = {s for s in onto.subjects() if isinstance(s, URIRef) and str(s).startswith(str(POL))}
    assert subjects == POL_TERMS


def test_shapes_use_only_vocab_terms(shapes):
    assert sorted(_pol_iris(shapes) - POL_TERMS) == []


def test_ontology_terms_have_label_and_comment(onto):
    described = [t for t in POL_TERMS if (t, RDF.type, POL.EventType) not in onto]
    assert len(described) == len(POL_TERMS) - 16
    for term in described:
        assert onto.value(term, RDFS.label) is not None, term
        assert onto.value(term, RDFS.comment) is not None, term


def test_ontology_entity_classes(onto):
    assert (POL.Entity, RDF.type, OWL.Class) in onto
    for term in KIND_TERMS.values():
        assert (term, RDF.type, OWL.Class) in onto
    assert set(onto.subjects(RDFS.subClassOf, POL.Entity)) == set(KIND_TERMS.values())
    assert (POL.EventType, RDFS.subClassOf, SKOS.Concept) in onto


def test_ontology_property_domains_and_ranges(onto):
    expected = {
        POL.actor: (POL.Event, POL.Entity),
        POL.recipient: (POL.Event, POL.Entity),
        POL.eventType: (POL.Event, POL.EventType),
        POL.modality: (POL.Event, POL.Modality),
        POL.trigger: (POL.Event, vocab.XSD.string),
        POL.location: (POL.Event, POL.Entity),
        POL.score: (None, vocab.XSD.decimal),
        POL.inDocument: (POL.Sentence, POL.Document),
        POL.text: (POL.Sentence, vocab.XSD.string),
        POL.start: (POL.Sentence, vocab.XSD.integer),
        POL.end: (POL.Sentence, vocab.XSD.integer),
        POL.country: (POL.Entity, vocab.XSD.string),
        POL.role: (POL.Entity, vocab.XSD.string),
        POL.memberOf: (POL.Entity, POL.Entity),
        POL.quadClass: (POL.EventType, POL.QuadClass),
        POL.participatedIn: (POL.Entity, POL.Event),
    }
    for prop, (domain, range_) in expected.items():
        assert onto.value(prop, RDFS.domain) == domain, prop
        assert onto.value(prop, RDFS.range) == range_, prop


def test_ontology_participated_in_covers_actor_and_recipient(onto):
    inverses = {onto.value(b, OWL.inverseOf) for b in onto.subjects(RDFS.subPropertyOf, POL.participatedIn)}
    assert inverses == {POL.actor, POL.recipient}


def test_ontology_plover_scheme_has_the_sixteen_types(onto):
    assert (POL.PLOVER, RDF.type, SKOS.ConceptScheme) in onto
    concepts = set(onto.subjects(SKOS.inScheme, POL.PLOVER))
    assert concepts == {POL[name] for name in EVENT_TYPES}
    assert set(onto.objects(POL.PLOVER, SKOS.hasTopConcept)) == concepts
    assert set(onto.subjects(RDF.type, POL.EventType)) == concepts


@pytest.mark.parametrize("name", list(EVENT_TYPES))
def test_ontology_event_type_concept(onto, name):
    info = EVENT_TYPES[name]
    concept = POL[name]
    assert (concept, RDF.type, SKOS.Concept) in onto
    assert (concept, SKOS.topConceptOf, POL.PLOVER) in onto
    assert onto.value(concept, SKOS.prefLabel) == Literal(info.label, lang="en")
    assert onto.value(concept, SKOS.notation) == Literal(name)
    assert len(str(onto.value(concept, SKOS.definition))) > 30
    score = onto.value(concept, POL.score)
    assert score.datatype == vocab.XSD.decimal
    assert score.toPython() == Decimal(str(info.score))
    assert onto.value(concept, POL.quadClass) == QUAD_TERMS[info.quad]


def test_ontology_definitions_are_distinct(onto):
    definitions = [str(onto.value(POL[name], SKOS.definition)) for name in EVENT_TYPES]
    assert len(set(definitions)) == 16


@pytest.mark.parametrize("name", list(EVENT_TYPES))
def test_ontology_truthy_predicate(onto, name):
    prop = POL[EVENT_TYPES[name].truthy]
    assert (prop, RDF.type, OWL.ObjectProperty) in onto
    assert onto.value(prop, RDFS.domain) == POL.Entity
    assert onto.value(prop, RDFS.range) == POL.Entity
    assert onto.value(prop, RDFS.seeAlso) == POL[name]
    assert "Shortcut" in str(onto.value(prop, RDFS.comment))
    symmetric = (prop, RDF.type, OWL.SymmetricProperty) in onto
    assert symmetric == (name in {"CONSULT", "COOPERATE"})


def test_ontology_modalities(onto):
    assert set(onto.subjects(RDF.type, POL.Modality)) == set(MODALITY_TERMS.values())
    one_of = Collection(onto, onto.value(POL.Modality, OWL.oneOf))
    assert set(one_of) == set(MODALITY_TERMS.values())


def test_ontology_quad_classes(onto):
    assert set(onto.subjects(RDF.type, POL.QuadClass)) == set(QUAD_TERMS.values())


def _in_list(shapes: Graph, path: URIRef) -> set:
    for prop_shape in shapes.subjects(SH.path, path):
        head = shapes.value(prop_shape, SH["in"])
        if head is not None:
            return set(Collection(shapes, head))
    return set()


def test_shapes_event_type_list_is_the_sixteen(shapes):
    assert _in_list(shapes, POL.eventType) == {POL[name] for name in EVENT_TYPES}


def test_shapes_modality_list_is_the_four(shapes):
    assert _in_list(shapes, POL.modality) == set(MODALITY_TERMS.values())


def test_shapes_entity_targets_are_the_seven_kinds(shapes):
    entity_shape = URIRef("https://w3id.org/polkg/shapes#EntityShape")
    assert set(shapes.objects(entity_shape, SH.targetClass)) == set(KIND_TERMS.values())


def test_shapes_entity_reference_lists_the_seven_kinds(shapes):
    reference = URIRef("https://w3id.org/polkg/shapes#EntityReference")
    alternatives = Collection(shapes, shapes.value(reference, SH["or"]))
    assert {shapes.value(b, SH["class"]) for b in alternatives} == set(KIND_TERMS.values())


def test_shapes_truthy_targets_are_the_sixteen(shapes):
    truthy = URIRef("https://w3id.org/polkg/shapes#TruthyEdgeEndShape")
    expected = {POL[t.truthy] for t in EVENT_TYPES.values()}
    assert set(shapes.objects(truthy, SH.targetSubjectsOf)) == expected
    assert set(shapes.objects(truthy, SH.targetObjectsOf)) == expected


def test_shapes_every_property_shape_has_a_message(shapes):
    property_shapes = set(shapes.objects(None, SH.property))
    assert len(property_shapes) > 20
    for shape in property_shapes:
        assert isinstance(shape, BNode)
        assert shapes.value(shape, SH.message) is not None, shapes.value(shape, SH.path)
