"""Merges a person can review: every entity of a graph with the surface forms and documents it
joins, and why kg made them one node.

The reason is read from the entity's IRI, which says on what evidence it was minted
(:mod:`kg.keys`): a full name shared by every document, a name only its document resolves,
an office on a date, a country code, an organisation's full name. Reads only the public
contract, so it works on any graph kg wrote, merged or imported.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, URIRef

from .vocab import DCTERMS, KIND_TERMS, POL, POLR, PROV, RDF, RDFS, SKOS

__all__ = ["EntityRecord", "entity_records", "merge_reason"]


@dataclass(frozen=True)
class EntityRecord:
    """One entity: what it is, the surface forms and documents it joins, and why."""

    iri: str
    label: str
    kind: str
    country: str
    state: str
    aliases: tuple[str, ...]
    documents: tuple[str, ...]
    reason: str


def merge_reason(iri: str, kind: str) -> str:
    """Why the mentions of an entity are one node, from the evidence its IRI was minted on.

    >>> merge_reason(str(POLR["person/sadiq-khan"]), "Person")
    'the same full name in every document'
    >>> merge_reason(str(POLR["person/doc-db70bb5d9d/khan"]), "Person")
    'a name only its document resolves (doc-db70bb5d9d): never joined to another document'
    >>> merge_reason(str(POLR["person/office/president-of-kenya/2024-05-02"]), "Person")
    'the same office on the same date (2024-05-02)'
    """
    key = iri.removeprefix(str(POLR))
    parts = key.split("/")
    if len(parts) == 3 and parts[1].startswith("doc-"):
        return f"a name only its document resolves ({parts[1]}): never joined to another document"
    if parts[0] == "person" and len(parts) > 1 and parts[1] == "office":
        when = parts[-1]
        if when.startswith("doc-"):
            return f"an office its document names without a country or date ({when})"
        return f"the same office on the same date ({when})"
    if parts[0] == "person":
        return "the same full name in every document"
    if parts[0] in ("country", "government", "military"):
        return f"the same country ({parts[-1]}): every name, demonym, capital or seat of it"
    if parts[0] == "group":
        return "the same group noun of the same country" if len(parts) == 3 else "the same group name"
    if parts[0] == "org":
        return "the same institution of the same country" if len(parts) == 3 else "the same organisation name"
    if parts[0] == "location":
        return "the same place name"
    return f"the same {kind.lower()} IRI"


def entity_records(graph: Graph, *, kind: str | None = None) -> list[EntityRecord]:
    """Every entity of ``graph`` (of one class if ``kind``), sorted by class and label.

    >>> from kg.graph import build_graph
    >>> from kg.model import Document, DocumentExtraction, Entity
    >>> e = Entity("person/ana-lopes", "Ana Lopes", "Person", aliases=frozenset({"Ms Lopes"}))
    >>> [r.aliases for r in entity_records(build_graph([DocumentExtraction(Document("d", "."), (), (e,), (), ())]))]
    [('Ms Lopes',)]
    """
    if kind is not None and kind not in KIND_TERMS:
        raise ValueError(f"unknown entity class {kind!r}: one of {', '.join(KIND_TERMS)}")
    docs_of: dict[URIRef, set[str]] = {}
    for event in graph.subjects(RDF.type, POL.Event):
        ids = {
            str(i)
            for sentence in graph.objects(event, PROV.wasDerivedFrom)
            for doc in graph.objects(sentence, POL.inDocument)
            for i in graph.objects(doc, DCTERMS.identifier)
        }
        for party in (*graph.objects(event, POL.actor), *graph.objects(event, POL.recipient)):
            docs_of.setdefault(party, set()).update(ids)
    records = []
    for name, term in KIND_TERMS.items():
        if kind is not None and name != kind:
            continue
        for node in set(graph.subjects(RDF.type, term)):
            label = graph.value(node, RDFS.label)
            records.append(
                EntityRecord(
                    iri=str(node),
                    label=str(label) if label is not None else str(node),
                    kind=name,
                    country=str(graph.value(node, POL.country) or ""),
                    state=str(graph.value(node, POL.state) or ""),
                    aliases=tuple(sorted(str(a) for a in graph.objects(node, SKOS.altLabel))),
                    documents=tuple(sorted(docs_of.get(node, ()))),
                    reason=merge_reason(str(node), name),
                )
            )
    return sorted(records, key=lambda r: (r.kind, r.label.casefold(), r.iri))
