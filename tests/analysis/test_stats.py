"""Tests of kg.analysis.stats: counts, centrality and components worked out by hand, actors by name, monthly series.

On the hand-made graph of ``analysis_graph.py`` (shared with test_plot.py and test_cli_analysis.py),
whose docstring lists its documents, events and links.
"""

from __future__ import annotations

import json

import pytest
from analysis_graph import analysis_graph
from rdflib import Graph
from spacy.language import Language

from kg.analysis.network import actor_network
from kg.analysis.series import event_month, monthly_activity, monthly_balance
from kg.analysis.stats import (
    QUAD_CLASSES,
    ActorNotFoundError,
    AmbiguousActorError,
    GraphStats,
    find_actor,
    graph_stats,
    undirected_network,
)
from kg.errors import KgError
from kg.graph import build_graph
from kg.model import Document
from kg.pipeline import extract_document
from kg.vocab import POLR


@pytest.fixture(scope="module")
def graph() -> Graph:
    return analysis_graph()


@pytest.fixture(scope="module")
def stats(graph: Graph) -> GraphStats:
    return graph_stats(graph)


# --------------------------------------------------------------------------- graph_stats: counts


def test_graph_stats_counts_documents_sentences_events_entities(stats):
    assert (stats.documents, stats.sentences, stats.events, stats.entities) == (4, 9, 9, 8)


def test_graph_stats_events_by_type_most_first_then_plover_order(stats):
    assert list(stats.events_by_type.items()) == [
        ("CONSULT", 2), ("AGREE", 1), ("AID", 1), ("ACCUSE", 1), ("THREATEN", 1), ("PROTEST", 1),
        ("SANCTION", 1), ("ASSAULT", 1),
    ]


def test_graph_stats_events_by_modality_all_four_in_order(stats):
    assert list(stats.events_by_modality.items()) == [
        ("Asserted", 6), ("Intended", 1), ("Hypothetical", 1), ("Negated", 1),
    ]


def test_graph_stats_events_by_type_and_modality_cross_table(stats):
    table = stats.events_by_type_and_modality
    assert list(table) == list(stats.events_by_type)
    assert table["CONSULT"] == {"Asserted": 2, "Intended": 0, "Hypothetical": 0, "Negated": 0}
    assert table["AID"] == {"Asserted": 0, "Intended": 1, "Hypothetical": 0, "Negated": 0}
    assert table["SANCTION"] == {"Asserted": 0, "Intended": 0, "Hypothetical": 0, "Negated": 1}
    assert {t: sum(row.values()) for t, row in table.items()} == stats.events_by_type


def test_graph_stats_entities_by_class_most_first(stats):
    assert list(stats.entities_by_class.items()) == [("Country", 4), ("Person", 3), ("Location", 1)]


# --------------------------------------------------------------------------- graph_stats: network


def test_graph_stats_network_leaves_out_places_and_uncertain_events(stats):
    # Geneva is only where a meeting happened; the hypothetical ASSAULT and the negated
    # SANCTION add no links (Atlantis–Borduria stays at 3 events: ACCUSE, CONSULT, AGREE)
    assert (stats.actors, stats.links) == (7, 4)
    assert stats.modalities == ("Asserted", "Intended")


def test_graph_stats_top_degree_ranks_by_partners_then_events_then_label(stats):
    assert [(a.label, a.degree, a.weighted_degree) for a in stats.top_degree] == [
        ("Atlantis", 2, 4), ("Borduria", 2, 4),
        ("Alex Varga", 1, 1), ("Bela Varga", 1, 1), ("King Ottokar", 1, 1), ("Syldavia", 1, 1),
    ]
    assert stats.top_degree[0].iri == str(POLR["country/ATL"]) and stats.top_degree[0].kind == "Country"


def test_graph_stats_top_betweenness_path_centres_only(stats):
    # Syldavia – Atlantis – Borduria – King Ottokar is a path: Atlantis and Borduria each lie on
    # 2 of the 15 pairs' shortest paths of the 7-actor network (normalised: 2 / 15)
    assert [a.label for a in stats.top_betweenness] == ["Atlantis", "Borduria"]
    assert [a.betweenness for a in stats.top_betweenness] == pytest.approx([2 / 15, 2 / 15])
    assert {a.label: a.betweenness for a in stats.top_degree}["Syldavia"] == 0.0


def test_graph_stats_components_sizes_and_isolated(stats):
    assert (stats.components, stats.largest_components, stats.isolated) == (3, (4, 2, 1), 1)


def test_graph_stats_top_limits_rankings_and_components(graph):
    small = graph_stats(graph, top=1)
    assert [a.label for a in small.top_degree] == ["Atlantis"]
    assert [a.label for a in small.top_betweenness] == ["Atlantis"]
    assert (small.components, small.largest_components) == (3, (4,))


def test_graph_stats_top_below_one_raises(graph):
    with pytest.raises(ValueError, match="^top must be at least 1, not 0$"):
        graph_stats(graph, top=0)


def test_graph_stats_empty_graph_all_zero():
    stats = graph_stats(build_graph([]))
    assert stats == GraphStats(events_by_modality={"Asserted": 0, "Intended": 0, "Hypothetical": 0, "Negated": 0})


def test_graph_stats_to_dict_is_json_ready(stats):
    data = json.loads(json.dumps(stats.to_dict()))
    assert data["events_by_type"]["CONSULT"] == 2
    assert data["largest_components"] == [4, 2, 1]
    assert data["top_betweenness"][0] == {
        "iri": str(POLR["country/ATL"]), "label": "Atlantis", "kind": "Country",
        "degree": 2, "weighted_degree": 4, "betweenness": pytest.approx(2 / 15),
    }
    assert data["modalities"] == ["Asserted", "Intended"]


def test_undirected_network_sums_weights_both_directions(graph):
    simple = undirected_network(actor_network(graph, modalities=("Asserted", "Intended")))
    atl, bor = str(POLR["country/ATL"]), str(POLR["country/BOR"])
    assert simple[atl][bor]["weight"] == 3
    assert simple[atl][bor]["distance"] == pytest.approx(1 / 3)
    assert simple.nodes[atl]["label"] == "Atlantis"


# --------------------------------------------------------------------------- a graph kg built from text


@pytest.fixture(scope="module")
def built(nlp: Language) -> Graph:
    documents = [
        Document("n1", "Kenya accused Uganda of smuggling. Uganda and Kenya met in Nairobi.", date="2025-01-10"),
        Document("n2", "Tanzania urged Kenya to reopen the border.", date="2025-02-03"),
    ]
    return build_graph(extract_document(d, nlp(d.text)) for d in documents)


def test_graph_stats_built_from_text_kenya_is_the_bridge(built):
    stats = graph_stats(built)
    assert (stats.documents, stats.sentences) == (2, 3)
    assert stats.events_by_modality["Asserted"] == 3
    assert {"ACCUSE", "CONSULT", "REQUEST"} <= set(stats.events_by_type)
    assert [(a.label, a.degree, a.weighted_degree) for a in stats.top_degree] == [
        ("Kenya", 2, 3), ("Uganda", 1, 2), ("Tanzania", 1, 1),
    ]
    assert [(a.label, a.betweenness) for a in stats.top_betweenness] == [("Kenya", 1.0)]
    assert (stats.components, stats.largest_components) == (1, (3,))


def test_monthly_balance_built_from_text_kenya_with_everyone(built):
    balance = monthly_balance(built, "Kenya")
    assert balance.months == ("2025-01", "2025-02")
    assert balance.balance == (-0.5, 0.0)  # ACCUSE -3 + CONSULT 2.5; REQUEST 0
    assert balance.counts["verbal-conflict"] == (1, 1)


# --------------------------------------------------------------------------- find_actor


def test_find_actor_by_label_alias_case_and_iri(graph):
    assert find_actor(graph, "Atlantis").iri == str(POLR["country/ATL"])
    assert find_actor(graph, "atlantean REPUBLIC").label == "Atlantis"
    assert find_actor(graph, "Ottokar").label == "King Ottokar"
    assert find_actor(graph, "polr:person/bela-varga").label == "Bela Varga"
    assert find_actor(graph, str(POLR["country/SYL"])).label == "Syldavia"


def test_find_actor_label_wins_over_alias(graph):
    # "Syldavia" is the country's label and an alias of King Ottokar
    assert find_actor(graph, "Syldavia").iri == str(POLR["country/SYL"])


def test_find_actor_ambiguous_alias_lists_candidates(graph):
    with pytest.raises(AmbiguousActorError) as info:
        find_actor(graph, "varga")
    assert [c.label for c in info.value.candidates] == ["Alex Varga", "Bela Varga"]
    assert str(info.value) == (
        "the name 'varga' fits 2 actors: Alex Varga (Person, polr:person/alex-varga); "
        "Bela Varga (Person, polr:person/bela-varga). Give the label of one, or its IRI (polr:...)"
    )


def test_find_actor_unknown_name_suggests_close_ones(graph):
    with pytest.raises(ActorNotFoundError) as info:
        find_actor(graph, "Atlantys")
    assert info.value.suggestions == ["Atlantis"]
    assert str(info.value) == (
        "no actor named 'Atlantys' in the graph (label or alias); did you mean 'Atlantis'? "
        "List the actors with: kg stats GRAPH, or kg query GRAPH most-active-actors"
    )


def test_find_actor_place_only_named_as_location_is_not_an_actor(graph):
    with pytest.raises(ActorNotFoundError):
        find_actor(graph, "Geneva")


def test_find_actor_empty_name_not_found(graph):
    with pytest.raises(ActorNotFoundError):
        find_actor(graph, "  ")


# --------------------------------------------------------------------------- monthly series


def test_event_month_full_partial_and_missing_dates():
    assert [event_month(d) for d in ("2025-03-05", "2025-03", "2025-03-05T10:00:00", "2025", "", "2025-13")] == [
        "2025-03", "2025-03", "2025-03", None, None, None,
    ]


def test_monthly_balance_pair_sums_scores_by_month(graph):
    balance = monthly_balance(graph, "Atlantis", "Borduria")
    assert (balance.actor.label, balance.other.label) == ("Atlantis", "Borduria")
    assert balance.months == ("2025-01",)
    assert balance.balance == (-0.5,)  # ACCUSE -3 + CONSULT 2.5; ASSAULT hypothetical, SANCTION negated
    assert balance.counts == {
        "verbal-cooperation": (1,), "material-cooperation": (0,), "verbal-conflict": (1,), "material-conflict": (0,),
    }
    assert (balance.events, balance.undated) == (2, 1)  # the undated AGREE is left out


def test_monthly_balance_one_actor_with_everyone_fills_empty_months(graph):
    balance = monthly_balance(graph, "Atlantis")
    assert balance.other is None
    assert balance.months == ("2025-01", "2025-02", "2025-03")
    assert balance.balance == (-0.5, 0.0, 10.0)  # AID is intended: it counts
    assert balance.counts["material-cooperation"] == (0, 0, 1)
    assert list(balance.counts) == list(QUAD_CLASSES)
    assert (balance.events, balance.undated) == (3, 1)


def test_monthly_balance_event_date_wins_over_document_date(graph):
    balance = monthly_balance(graph, "Borduria", "King Ottokar")
    assert (balance.months, balance.balance) == (("2025-02",), (-3.5,))


def test_monthly_balance_only_undated_events_empty_series(graph):
    balance = monthly_balance(graph, "Alex Varga", "Bela Varga")  # dated 2025 only: no month
    assert (balance.months, balance.balance, balance.events, balance.undated) == ((), (), 0, 1)


def test_monthly_balance_unknown_other_raises(graph):
    with pytest.raises(ActorNotFoundError, match="^no actor named 'Nowhere'"):
        monthly_balance(graph, "Atlantis", "Nowhere")


def test_monthly_balance_same_actor_twice_raises(graph):
    with pytest.raises(KgError, match="^'Atlantis' and 'Atlantean Republic' are the same actor"):
        monthly_balance(graph, "Atlantis", "Atlantean Republic")


def test_monthly_activity_types_by_month_in_plover_order(graph):
    activity = monthly_activity(graph)
    assert activity.months == ("2025-01", "2025-02", "2025-03")
    assert list(activity.counts.items()) == [
        ("CONSULT", (1, 0, 0)), ("AID", (0, 0, 1)), ("ACCUSE", (1, 0, 0)), ("THREATEN", (0, 1, 0)),
        ("PROTEST", (0, 0, 1)),
    ]
    assert (activity.events, activity.undated) == (5, 2)


def test_monthly_activity_empty_graph():
    activity = monthly_activity(build_graph([]))
    assert (activity.months, activity.counts, activity.events, activity.undated) == ((), {}, 0, 0)
