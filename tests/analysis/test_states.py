"""The state view: pol:state links, kg stats --by-state and kg plot balance's state scopes."""

from __future__ import annotations

import pytest
from rdflib import RDF
from typer.testing import CliRunner

from kg.analysis.series import monthly_balance
from kg.analysis.stats import graph_stats
from kg.cli import app
from kg.errors import KgError
from kg.export import write_graph
from kg.graph import STATE_PARTS, build_graph
from kg.model import Document, DocumentExtraction, Entity, Event, Sentence
from kg.pipeline import extract_document
from kg.vocab import KIND_TERMS, POL, POLR

RUS = Entity("country/RUS", "Russia", "Country", "RUS")
UKR = Entity("country/UKR", "Ukraine", "Country", "UKR")
RUS_GOV = Entity("government/RUS", "Government of Russia", "Government", "RUS")
RUS_ARMY = Entity("military/RUS", "Armed forces of Russia", "Military", "RUS")
UKR_GOV = Entity("government/UKR", "Government of Ukraine", "Government", "UKR")
ENVOY = Entity("person/ivan-petrov", "Ivan Petrov", "Person", "RUS", role="Envoy")
UN = Entity("org/united-nations", "United Nations", "Organization")


def _state_graph():
    """Three events between Russia's parts and Ukraine's, one between the two countries, one with the UN."""
    s = [Sentence("d1", i * 10, i * 10 + 9, f"sentence {i}") for i in range(5)]
    events = (
        Event("ACCUSE", (RUS.key,), (UKR.key,), "Asserted", "accused", s[0]),
        Event("ACCUSE", (RUS_GOV.key,), (UKR_GOV.key,), "Asserted", "accused", s[1]),
        Event("ASSAULT", (RUS_ARMY.key,), (UKR.key,), "Asserted", "struck", s[2]),
        Event("CONSULT", (ENVOY.key, UKR_GOV.key), (), "Asserted", "met", s[3]),
        Event("REQUEST", (UN.key,), (RUS_GOV.key,), "Asserted", "urged", s[4]),
    )
    entities = (RUS, UKR, RUS_GOV, RUS_ARMY, UKR_GOV, ENVOY, UN)
    return build_graph([DocumentExtraction(Document("d1", "", date="2024-05-02"), tuple(s), entities, (), events)])


def test_every_entity_that_acts_for_a_state_links_to_its_country_node(nlp):
    text = (
        "Russian troops shelled Kharkiv. The Ukrainian government condemned Moscow. "
        "Protesters in Georgia attacked police. President Sharma of Kenya accused Uganda."
    )
    g = build_graph([extract_document(Document("a", text, date="2024-05-02"), nlp(text))])
    parts = [n for kind in STATE_PARTS for n in g.subjects(RDF.type, KIND_TERMS[kind]) if g.value(n, POL.country)]
    assert len(parts) >= 4
    for node in parts:
        state = g.value(node, POL.state)
        assert state == POLR[f"country/{g.value(node, POL.country)}"], node
        assert (state, RDF.type, POL.Country) in g
    for node in g.subjects(RDF.type, POL.Country):
        assert g.value(node, POL.state) is None


def test_stats_by_state_counts_each_part_as_its_state():
    g = _state_graph()
    plain, states = graph_stats(g), graph_stats(g, by_state=True)
    assert (plain.level, plain.actors, plain.links) == ("entity", 7, 5)
    assert (states.level, states.actors, states.links) == ("state", 3, 2)
    assert states.entities_by_class == {"Country": 2, "Organization": 1}
    top = [(a.label, a.weighted_degree) for a in states.top_degree]
    assert top == [("Russia", 5), ("Ukraine", 4), ("United Nations", 1)]


def test_balance_of_a_country_takes_in_its_parts_unless_exact():
    g = _state_graph()
    state = monthly_balance(g, "Russia", "Ukraine")
    assert (state.events, state.actor_parts, state.other_parts) == (4, 3, 1)
    exact = monthly_balance(g, "Russia", "Ukraine", exact=True)
    assert (exact.events, exact.actor_parts, exact.other_parts) == (1, 0, 0)


def test_balance_by_state_takes_any_actor_as_its_state():
    g = _state_graph()
    assert monthly_balance(g, "Ivan Petrov", "Government of Ukraine").events == 1
    by_state = monthly_balance(g, "Ivan Petrov", "Government of Ukraine", by_state=True)
    assert (by_state.actor.label, by_state.other.label, by_state.events) == ("Russia", "Ukraine", 4)


def test_balance_of_a_state_and_one_of_its_parts_is_refused():
    with pytest.raises(KgError, match="overlap: a state takes in its parts"):
        monthly_balance(_state_graph(), "Russia", "Armed forces of Russia")


def test_cli_stats_and_plot_say_which_level_they_answer_at(tmp_path):
    path = tmp_path / "g.ttl"
    write_graph(_state_graph(), path)
    runner = CliRunner()
    stats = runner.invoke(app, ["stats", str(path), "--by-state"], env={"COLUMNS": "200"})
    assert stats.exit_code == 0, stats.output
    assert "│ level      │ state │ each entity with a pol:state counted as its state │" in stats.stdout
    plot = runner.invoke(app, ["plot", "balance", str(path), "--actor", "Russia", "--other", "Ukraine",
                               "-o", str(tmp_path / "b.png")], env={"COLUMNS": "200"})
    assert plot.exit_code == 0, plot.output
    assert "Russia (state: 3 parts) and Ukraine (state: 1 part), 4 events in 1 month" in plot.stderr
