"""One row per event, as CSV."""

from __future__ import annotations

import csv
from pathlib import Path

from rdflib import Graph

from ..vocab import DCTERMS, POL, PROV, RDF, RDFS, local_name

# --------------------------------------------------------------------------- csv

#: Columns of the csv export, in order.
CSV_COLUMNS = (
    "event",
    "type",
    "modality",
    "actors",
    "recipients",
    "date",
    "trigger",
    "score",
    "confidence",
    "sentence",
    "documents",
)


def event_rows(graph: Graph) -> list[dict[str, str]]:
    """One dict per event (keys :data:`CSV_COLUMNS`), sorted by date, type and IRI.

    Parties are labels joined with ``"; "`` (sorted); ``date`` is the event's own date,
    else the earliest date of a document that states it; ``sentence`` joins the
    supporting sentences with ``" | "``.
    """

    def label(node) -> str:
        value = graph.value(node, RDFS.label)
        return str(value) if value is not None else local_name(node)

    rows = []
    for event in set(graph.subjects(RDF.type, POL.Event)):
        sentences = sorted(set(graph.objects(event, PROV.wasDerivedFrom)), key=str)
        docs = sorted({d for s in sentences for d in graph.objects(s, POL.inDocument)}, key=str)
        doc_dates = sorted(str(d) for doc in docs for d in graph.objects(doc, DCTERMS.date))
        own_date = graph.value(event, POL.date)
        texts = list(dict.fromkeys(str(t) for s in sentences for t in graph.objects(s, POL.text)))
        ids = [str(graph.value(d, DCTERMS.identifier) or local_name(d)) for d in docs]
        etype, modality = graph.value(event, POL.eventType), graph.value(event, POL.modality)
        score, trigger = graph.value(event, POL.score), graph.value(event, POL.trigger)
        confidence = graph.value(event, POL.confidence)
        rows.append(
            {
                "event": str(event),
                "type": local_name(etype) if etype is not None else "",
                "modality": local_name(modality) if modality is not None else "",
                "actors": "; ".join(sorted(label(a) for a in graph.objects(event, POL.actor))),
                "recipients": "; ".join(sorted(label(r) for r in graph.objects(event, POL.recipient))),
                "date": str(own_date) if own_date is not None else (doc_dates[0] if doc_dates else ""),
                "trigger": str(trigger) if trigger is not None else "",
                "score": str(score) if score is not None else "",
                "confidence": str(confidence) if confidence is not None else "",
                "sentence": " | ".join(texts),
                "documents": "; ".join(sorted(ids)),
            }
        )
    rows.sort(key=lambda r: (r["date"] == "", r["date"], r["type"], r["event"]))
    return rows


def export_csv(graph: Graph, path: Path) -> None:
    """Write one row per event (columns :data:`CSV_COLUMNS`), UTF-8, with a header."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(event_rows(graph))
