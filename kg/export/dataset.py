"""RDF datasets (TriG, N-Quads): a plain graph split by provenance, one named graph per document."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from ..graph import new_graph
from ..vocab import EVENT_TYPES, FACT_MODALITY_TERMS, POL, PREFIX_IRIS, PROV, RDF
from .rdf import ExportFunc, _sorted_lines

# --------------------------------------------------------------------------- datasets

#: rdflib format name -> pyoxigraph format, for the dataset formats (one graph per document).
DATASET_FORMATS = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}

_ENTITY_LINKS = (POL.actor, POL.recipient, POL.location)
_TRUTHY_BY_TYPE = {POL[name]: POL[t.truthy] for name, t in EVENT_TYPES.items()}
_TRUTHY_PREDICATES = frozenset(_TRUTHY_BY_TYPE.values())


def split_by_document(graph: Graph) -> tuple[dict[URIRef, Graph], Graph]:
    """Split a graph by provenance: the triples each ``pol:Document`` accounts for, and the rest.

    A document's part holds the document's own triples, its sentences (``pol:inDocument``),
    the events derived from them (with only its own ``prov:wasDerivedFrom`` links), the
    entities taking part in those events (their type, labels and other properties; only
    the ``pol:participatedIn`` links and truthy edges its events give). An event or
    entity stated by several documents appears in each of their parts; what no document
    accounts for is the rest.

    Parameters
    ----------
    graph
        A graph in the shape of the RDF contract.

    Returns
    -------
    tuple[dict[URIRef, Graph], Graph]
        The part of each document, by document IRI (sorted), and the rest.

    Notes
    -----
    Properties of an entity are not traced to the document that gave them: an entity's
    aliases go with every document that mentions it.

    Examples
    --------
    >>> from rdflib import Literal
    >>> from kg.model import Document, DocumentExtraction
    >>> from kg.graph import add_extraction, new_graph
    >>> from kg.vocab import POL, RDFS
    >>> g = add_extraction(new_graph(), DocumentExtraction(Document("d1", "Hi."), (), (), (), ()))
    >>> _ = g.add((POL.PLOVER, RDFS.label, Literal("PLOVER")))
    >>> parts, rest = split_by_document(g)
    >>> [len(part) for part in parts.values()], len(rest)
    ([2], 1)
    """
    parts: dict[URIRef, Graph] = {}
    used: set = set()
    for doc in sorted({d for d in graph.subjects(RDF.type, POL.Document) if isinstance(d, URIRef)}, key=str):
        part = new_graph()

        def take(triple, part=part) -> None:
            part.add(triple)
            used.add(triple)

        for triple in graph.triples((doc, None, None)):
            take(triple)
        sentences = set(graph.subjects(POL.inDocument, doc))
        for sentence in sentences:
            for triple in graph.triples((sentence, None, None)):
                take(triple)
        events = {e for s in sentences for e in graph.subjects(PROV.wasDerivedFrom, s)}
        entities = set()
        for event in events:
            for triple in graph.triples((event, None, None)):
                if triple[1] == PROV.wasDerivedFrom and triple[2] not in sentences:
                    continue
                take(triple)
                if triple[1] in _ENTITY_LINKS:
                    entities.add(triple[2])
        for entity in entities:
            for triple in graph.triples((entity, None, None)):
                if triple[1] == POL.participatedIn and triple[2] not in events:
                    continue
                if triple[1] not in _TRUTHY_PREDICATES:
                    take(triple)
        for event in events:
            truthy = _TRUTHY_BY_TYPE.get(graph.value(event, POL.eventType))
            if truthy is None or graph.value(event, POL.modality) not in FACT_MODALITY_TERMS:
                continue
            actors, recipients = set(graph.objects(event, POL.actor)), set(graph.objects(event, POL.recipient))
            pairs = (
                [(a, r) for a in actors for r in recipients]
                if recipients
                else [(a, b) for a in actors for b in actors if a != b]
            )
            for a, b in pairs:
                if (a, truthy, b) in graph:
                    take((a, truthy, b))
        parts[doc] = part
    rest = new_graph()
    for triple in graph:
        if triple not in used:
            rest.add(triple)
    return parts, rest


def _ox_triples(graph: Graph) -> list:
    lines = _sorted_lines(graph)
    return list(ox.parse("".join(lines), format=ox.RdfFormat.N_TRIPLES)) if lines else []


def dataset_quads(graph: Graph) -> list[ox.Quad]:
    """The quads of ``graph`` split by :func:`split_by_document`, as pyoxigraph quads.

    The rest comes first in the default graph, then each document's named graph (named
    by its document IRI), in IRI order; triples are sorted, so output is deterministic.
    """
    parts, rest = split_by_document(graph)
    quads = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in _ox_triples(rest)]
    for doc, part in parts.items():
        name = ox.NamedNode(str(doc))
        quads += [ox.Quad(t.subject, t.predicate, t.object, name) for t in _ox_triples(part)]
    return quads


def _dataset_exporter(rdf_format: str) -> ExportFunc:
    def export(graph: Graph, path: Path) -> None:
        ox.serialize(dataset_quads(graph), str(path), format=DATASET_FORMATS[rdf_format], prefixes=PREFIX_IRIS)

    return export


def export_trig(graph: Graph, path: Path) -> None:
    """Write TriG: one named graph per document (:func:`split_by_document`), the rest in the default graph."""
    _dataset_exporter("trig")(graph, path)


def export_nquads(graph: Graph, path: Path) -> None:
    """Write N-Quads: one named graph per document (:func:`split_by_document`), the rest in the default graph."""
    _dataset_exporter("nquads")(graph, path)
