"""Identity on evidence, over invented documents: who is one node across documents and who is not."""

from __future__ import annotations

from rdflib import RDF, RDFS

from kg.entities import resolve_entities
from kg.graph import build_graph
from kg.keys import document_scope
from kg.model import Document
from kg.pipeline import extract_document
from kg.vocab import POL, POLR


def _graph(nlp, *docs: tuple[str, str, str | None]):
    return build_graph(extract_document(Document(i, t, date=d), nlp(t)) for i, t, d in docs)


def _people(g) -> dict[str, str]:
    """Person IRI (without the namespace) -> label."""
    return {str(p).removeprefix(str(POLR)): str(g.value(p, RDFS.label)) for p in g.subjects(RDF.type, POL.Person)}


def test_namesakes_known_by_surname_in_different_documents_stay_apart(nlp):
    g = _graph(
        nlp,
        ("a", "Mr Khan accused Kenya of lying.", "2024-03-01"),
        ("b", "Mr Khan criticised the Nigerian government.", "2024-03-01"),
    )
    assert _people(g) == {
        f"person/{document_scope('a')}/khan": "Khan",
        f"person/{document_scope('b')}/khan": "Khan",
    }


def test_the_same_full_name_in_two_documents_is_one_node(nlp):
    g = _graph(
        nlp,
        ("a", "Maria Santos met Peter Hall in Lisbon.", "2024-03-01"),
        ("b", "Maria Santos criticised Peter Hall.", "2025-06-01"),
    )
    assert _people(g) == {"person/maria-santos": "Maria Santos", "person/peter-hall": "Peter Hall"}


def test_a_surname_resolves_to_the_full_name_its_document_gives(nlp):
    g = _graph(nlp, ("a", "Maria Santos arrived on Monday. Santos criticised Peter Hall.", None))
    assert set(_people(g)) == {"person/maria-santos", "person/peter-hall"}


def test_a_title_before_a_name_is_a_role_and_keeps_the_first_name(nlp):
    g = _graph(nlp, ("a", "London Mayor Sadiq Khan criticised the government on Monday.", None))
    node = POLR["person/sadiq-khan"]
    assert str(g.value(node, RDFS.label)) == "Sadiq Khan"
    assert (str(g.value(node, POL.role)), str(g.value(node, POL.country))) == ("Mayor", "GBR")


def test_a_title_and_a_surname_the_model_reads_as_a_place_is_a_person_of_its_document(nlp):
    g = _graph(nlp, ("a", "President Sharma accused the opposition of treason.", "2024-03-01"))
    node = POLR[f"person/{document_scope('a')}/sharma"]
    assert (str(g.value(node, RDFS.label)), str(g.value(node, POL.role))) == ("Sharma", "President")


def test_an_office_named_without_its_holder_resolves_within_its_document(nlp):
    text = "The Prime Minister spoke to President William Ruto of Kenya. The Prime Minister thanked him."
    g = _graph(nlp, ("a", text, None), ("b", text, None))
    offices = sorted(k for k in _people(g) if k.startswith("person/office/"))
    assert offices == sorted(f"person/office/prime-minister/{document_scope(d)}" for d in ("a", "b"))


def test_a_dateline_is_not_an_actor(nlp):
    g = _graph(nlp, ("a", "BERLIN, October 30 (Wire) - Vietnam expelled two German diplomats.", "2024-10-30"))
    labels = {str(o) for o in g.objects(None, RDFS.label)}
    assert "BERLIN" not in labels and "Berlin" not in labels
    actors = {str(g.value(a, RDFS.label)) for a in g.objects(None, POL.actor)}
    assert actors == {"Vietnam"}


def test_protesters_and_demonstrators_of_a_country_are_one_group(nlp):
    g = _graph(nlp, ("a", "Protesters attacked police in Georgia. Demonstrators clashed with police in Tbilisi.", None))
    groups = {str(p).removeprefix(str(POLR)) for p in g.subjects(RDF.type, POL.Group)}
    assert groups == {"group/GEO/protester"}


def test_an_acronym_is_its_documents_organisation(nlp):
    g = _graph(
        nlp,
        ("a", "The PDP accused Kenya of fraud.", None),
        ("b", "The PDP criticised the Nigerian government.", None),
    )
    orgs = {str(p).removeprefix(str(POLR)) for p in g.subjects(RDF.type, POL.Organization)}
    assert orgs == {f"org/{document_scope(d)}/pdp" for d in ("a", "b")}


def test_bylines_and_credits_name_no_one_who_acts(nlp):
    text = (
        "By Jane Doe and Tom Lee\n"
        "BERLIN, October 30 (Wire) - Vietnam expelled two German diplomats.\n"
        "(Reporting by Anna Smith; Editing by Mark Jones)"
    )
    ents = resolve_entities(nlp(text), doc_id="a")
    assert sorted(ents.entities) == ["country/DEU", "country/VNM", "government/DEU"]


def test_a_sentence_starting_with_by_is_no_byline(nlp):
    ents = resolve_entities(nlp("By Monday, Maria Santos had criticised Kenya."), doc_id="a")
    assert "person/maria-santos" in ents.entities


def test_a_title_in_apposition_is_the_persons_role_not_a_ministry(nlp):
    ents = resolve_entities(nlp("Maria Santos, the foreign minister of Pakistan, criticised India."), doc_id="a")
    santos = ents.entities["person/maria-santos"]
    assert (santos.role, santos.country) == ("Foreign Minister", "PAK")
    assert not any(k.startswith("government/") for k in ents.entities)
