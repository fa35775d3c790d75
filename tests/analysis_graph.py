"""The hand-made graph the analysis tests share (``analysis_graph``): test_stats, test_plot and
test_cli_analysis.

- d1, 2025-01-15: Atlantis accused Borduria (Asserted, -3); Borduria and Atlantis met in
  Geneva (Asserted, +2.5); Borduria may attack Atlantis (Hypothetical).
- d2, 2025-03-02: Atlantis will send aid to Syldavia (Intended, +10); King Ottokar threatened
  Borduria (Asserted, -3.5, dated 2025-02-20 itself); Borduria did not sanction Atlantis
  (Negated); Zorvia protested (Asserted, no partner).
- d3, no date: Atlantis and Borduria signed a pact (Asserted).
- d4, dated 2025 only: Alex Varga met Bela Varga (Asserted); both are called "Varga".

Asserted and intended links, weighted: Atlantis–Borduria 3, Atlantis–Syldavia 1,
King Ottokar–Borduria 1, Alex Varga–Bela Varga 1; Zorvia alone.
"""

from __future__ import annotations

from rdflib import Graph

from kg.graph import build_graph
from kg.model import Document, DocumentExtraction, Entity, Event, Sentence

ATL = Entity("country/ATL", "Atlantis", "Country", "ATL", frozenset({"Atlantean Republic"}))
BOR = Entity("country/BOR", "Borduria", "Country", "BOR")
SYL = Entity("country/SYL", "Syldavia", "Country", "SYL")
ZOR = Entity("country/ZOR", "Zorvia", "Country", "ZOR")
OTT = Entity("person/king-ottokar", "King Ottokar", "Person", "SYL", frozenset({"Ottokar", "Syldavia"}))
ALEX = Entity("person/alex-varga", "Alex Varga", "Person", aliases=frozenset({"Varga"}))
BELA = Entity("person/bela-varga", "Bela Varga", "Person", aliases=frozenset({"Varga"}))
GENEVA = Entity("location/geneva", "Geneva", "Location")


def _document(doc_id: str, date: str | None, entities, items) -> DocumentExtraction:
    """A document whose sentences are ``items``: (text, [(type, actors, recipients, modality, date, location)])."""
    sentences, events, start = [], [], 0
    for text, specs in items:
        sentence = Sentence(doc_id, start, start + len(text), text)
        sentences.append(sentence)
        for etype, actors, recipients, modality, date_, location in specs:
            keys = tuple(e.key for e in actors), tuple(e.key for e in recipients)
            events.append(Event(etype, *keys, modality, "trigger", sentence, date=date_, location=location))
        start += len(text) + 1
    text = " ".join(t for t, _ in items)
    return DocumentExtraction(Document(doc_id, text, date=date), tuple(sentences), tuple(entities), (), tuple(events))


def analysis_graph() -> Graph:
    """The hand-made graph of this module's docstring."""
    d1 = _document("d1", "2025-01-15", [ATL, BOR, GENEVA], [
        ("Atlantis accused Borduria of shelling.", [("ACCUSE", [ATL], [BOR], "Asserted", None, None)]),
        ("Borduria and Atlantis met in Geneva.", [("CONSULT", [BOR, ATL], [], "Asserted", None, GENEVA.key)]),
        ("Borduria may attack Atlantis.", [("ASSAULT", [BOR], [ATL], "Hypothetical", None, None)]),
    ])
    d2 = _document("d2", "2025-03-02", [ATL, BOR, SYL, ZOR, OTT], [
        ("Atlantis will send aid to Syldavia.", [("AID", [ATL], [SYL], "Intended", None, None)]),
        ("King Ottokar threatened Borduria on 20 February.",
         [("THREATEN", [OTT], [BOR], "Asserted", "2025-02-20", None)]),
        ("Borduria did not sanction Atlantis.", [("SANCTION", [BOR], [ATL], "Negated", None, None)]),
        ("Zorvia protested.", [("PROTEST", [ZOR], [], "Asserted", None, None)]),
    ])
    d3 = _document("d3", None, [ATL, BOR], [
        ("Atlantis and Borduria signed a pact.", [("AGREE", [ATL, BOR], [], "Asserted", None, None)]),
    ])
    d4 = _document("d4", "2025", [ALEX, BELA], [
        ("Alex Varga met Bela Varga.", [("CONSULT", [ALEX, BELA], [], "Asserted", None, None)]),
    ])
    return build_graph([d1, d2, d3, d4])
