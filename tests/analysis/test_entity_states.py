"""Tests of which state each entity belongs to: pol:state, else pol:country."""

from __future__ import annotations

from rdflib import Graph, URIRef

from kg.analysis.states import entity_states
from kg.vocab import POL

STATE = POL.state

NODES = {
    "c/RUS": {"kind": "Country", "country": "RUS"},
    "c/UKR": {"kind": "Country", "country": "UKR"},
    "g/RUS": {"kind": "Government", "country": "RUS"},
    "m/RUS": {"kind": "Military", "country": "RUS"},
    "p/putin": {"kind": "Person", "country": "RUS"},
    "p/nobody": {"kind": "Person", "country": "FRA"},  # no French country node
    "o/UN": {"kind": "Organization", "country": ""},
}


def test_entity_states_falls_back_to_country_codes_without_pol_state():
    assert entity_states(Graph(), NODES) == {"g/RUS": "c/RUS", "m/RUS": "c/RUS", "p/putin": "c/RUS"}


def test_entity_states_uses_only_pol_state_when_the_graph_states_any():
    graph = Graph()
    graph.add((URIRef("p/putin"), STATE, URIRef("c/RUS")))
    graph.add((URIRef("o/UN"), STATE, URIRef("c/UKR")))
    graph.add((URIRef("g/RUS"), STATE, URIRef("p/putin")))  # not a country node: ignored
    graph.add((URIRef("c/UKR"), STATE, URIRef("c/RUS")))  # a country is a state itself: ignored
    graph.add((URIRef("p/elsewhere"), STATE, URIRef("c/RUS")))  # not drawn: ignored
    assert entity_states(graph, NODES) == {"p/putin": "c/RUS", "o/UN": "c/UKR"}


def test_entity_states_prefers_the_country_node_named_by_its_code():
    nodes = {
        "x/russian-federation": {"kind": "Country", "country": "RUS"},
        "y/RUS": {"kind": "Country", "country": "RUS"},
        "g/RUS": {"kind": "Government", "country": "RUS"},
    }
    assert entity_states(Graph(), nodes) == {"g/RUS": "y/RUS"}
    del nodes["y/RUS"]
    assert entity_states(Graph(), nodes) == {"g/RUS": "x/russian-federation"}


def test_entity_states_nothing():
    assert entity_states(Graph(), {}) == {}


def test_state_is_the_contract_predicate():
    assert str(STATE) == "https://w3id.org/polkg/ontology#state"
