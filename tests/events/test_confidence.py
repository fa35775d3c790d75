"""pol:confidence: evidence per event, its score, the graph's literal, the shapes, --min-confidence."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Literal
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import KgError
from kg.events import keep_confident, load_confidence_model
from kg.events.confidence import ConfidenceModel
from kg.graph import build_graph, event_iri, load_graph
from kg.model import Document, DocumentExtraction, Entity, Event, Sentence
from kg.validation import validate
from kg.vocab import POL, RDF, XSD


def test_extract_named_parties_and_light_verb_give_their_evidence(extract_one):
    x = extract_one("France imposed sanctions on Russia.")
    (event,) = x.events
    assert event.evidence == (
        "actor-kind:Country", "actor:name", "modality:Asserted", "parse:direct", "recipient-kind:Country",
        "recipient:name", "trigger:light", "type:SANCTION",
    )
    assert event.confidence == load_confidence_model().score(event.evidence)


def test_extract_hypothetical_event_is_less_sure_than_the_same_asserted(extract_one):
    (asserted,) = extract_one("France attacked Germany.").events
    (hypothetical,) = extract_one("France could attack Germany.").events
    assert hypothetical.modality == "Hypothetical"
    assert "modality:Hypothetical" in hypothetical.evidence
    assert hypothetical.confidence < asserted.confidence


def test_extract_reciprocal_meeting_has_no_recipient_evidence(extract_one):
    (event,) = extract_one("Kenya met Uganda on Monday.").events
    assert {"recipient:none", "actors:several", "trigger:verb"} <= set(event.evidence)


def test_confidence_model_score_is_logistic_of_summed_weights():
    model = ConfidenceModel(-1.0, {"a": 1.0, "b": 2.0}, frozenset(), 40)
    assert model.score(["a", "b"]) == 0.88  # 1 / (1 + e^-2)
    assert model.score(["a"]) == 0.5
    assert model.score(["unknown"]) == 0.27  # unknown evidence weighs nothing


def test_confidence_weights_file_names_every_evidence_the_extractor_gives(extract_one):
    weights = load_confidence_model().weights
    x = extract_one("The talks were held in Geneva. It condemned them. Kenya met Uganda.")
    assert x.events and all(set(e.evidence) <= set(weights) for e in x.events)


def test_graph_writes_confidence_as_a_decimal_and_the_shapes_accept_it(extract_one):
    x = extract_one("France imposed sanctions on Russia.", date="2025-01-02")
    (event,) = x.events
    g = build_graph([x])
    node = event_iri(event, x.document.id)
    text = g.value(node, POL.confidence)
    assert text.datatype == XSD.decimal and float(text) == event.confidence
    assert str(text) == f"{event.confidence:.2f}".rstrip("0").rstrip(".")  # canonical: "0.9", not "0.90"
    assert validate(g).conforms


def test_graph_keeps_the_first_confidence_of_an_event_stated_twice():
    s1, s2 = Sentence("d", 0, 10, "A hit B."), Sentence("d", 11, 21, "A hit B.")
    ents = (Entity("country/FRA", "France", "Country", "FRA"), Entity("country/DEU", "Germany", "Country", "DEU"))
    events = (
        Event("ASSAULT", ("country/FRA",), ("country/DEU",), "Asserted", "hit", s1, confidence=0.4),
        Event("ASSAULT", ("country/FRA",), ("country/DEU",), "Asserted", "hit", s2, confidence=0.9),
    )
    g = build_graph([DocumentExtraction(Document("d", "A hit B. A hit B."), (s1, s2), ents, (), events)])
    (node,) = g.subjects(RDF.type, POL.Event)
    assert list(g.objects(node, POL.confidence)) == [Literal("0.4", datatype=XSD.decimal)]


def test_shapes_reject_confidence_above_one(extract_one):
    x = extract_one("France imposed sanctions on Russia.")
    g = build_graph([x])
    node = event_iri(x.events[0], x.document.id)
    g.set((node, POL.confidence, Literal(Decimal("1.5"), datatype=XSD.decimal)))
    report = validate(g)
    assert not report.conforms
    assert "pol:confidence, an xsd:decimal from 0 to 1" in report.text


def test_keep_confident_drops_events_below_and_what_only_they_needed():
    s1, s2 = Sentence("d", 0, 9, "A met B."), Sentence("d", 10, 20, "C shot D.")
    ents = tuple(Entity(f"country/{c}", c, "Country", c) for c in ("AAA", "BBB", "CCC", "DDD"))
    events = (
        Event("CONSULT", ("country/AAA", "country/BBB"), (), "Asserted", "met", s1, confidence=0.81),
        Event("ASSAULT", ("country/CCC",), ("country/DDD",), "Asserted", "shot", s2, confidence=0.79),
        Event("AID", ("country/CCC",), ("country/AAA",), "Asserted", "aid", s2),  # imported: no confidence
    )
    x = DocumentExtraction(Document("d", "A met B. C shot D."), (s1, s2), ents, (), events)
    kept = keep_confident(x, 0.8)
    assert [e.type for e in kept.events] == ["CONSULT", "AID"]
    assert [e.key for e in kept.entities] == ["country/AAA", "country/BBB", "country/CCC"]
    assert kept.sentences == (s1, s2)
    assert keep_confident(x, 0.0) is x
    only = keep_confident(DocumentExtraction(x.document, (s1, s2), ents, (), events[:2]), 0.8)
    assert only.sentences == (s1,) and [e.key for e in only.entities] == ["country/AAA", "country/BBB"]


def test_keep_confident_refuses_a_threshold_outside_0_1():
    x = DocumentExtraction(Document("d", "Hi."), (), (), (), ())
    with pytest.raises(KgError, match="between 0 and 1, not 1.5"):
        keep_confident(x, 1.5)


def _events(path) -> dict:
    g = load_graph(path)
    return {e: float(g.value(e, POL.confidence)) for e in g.subjects(RDF.type, POL.Event)}


def test_cli_build_min_confidence_leaves_out_the_events_below(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = "France imposed sanctions on Russia. The talks were held in Geneva. Kenya met Uganda.\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["build", "a.txt", "-o", "all.ttl"]).exit_code == 0
    every = _events("all.ttl")
    cut = sorted(every.values())[len(every) // 2]
    assert min(every.values()) < cut  # the text has events on both sides of the cut
    result = runner.invoke(app, ["build", "a.txt", "-o", "cut.ttl", "--min-confidence", str(cut)])
    assert result.exit_code == 0, result.output
    kept = _events("cut.ttl")
    assert kept == {e: c for e, c in every.items() if c >= cut}


def test_cli_build_min_confidence_above_one_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("Kenya met Uganda.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["build", "a.txt", "-o", "g.ttl", "--min-confidence", "1.5"],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert "Invalid value for '--min-confidence': Input should be less than or equal to 1" in result.output
    assert not (tmp_path / "g.ttl").exists()
