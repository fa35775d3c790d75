"""The actor network: who did what to whom, as a networkx graph read from the RDF graph.

Drawing and graph-format exports (GraphML, GEXF) both start here, so they agree on
what a node and an edge are. It reads only the public contract, so it works on any
graph kg wrote, merged or imported.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx
from rdflib import Graph

from ..vocab import DCTERMS, EVENT_TYPES, POL, PROV, RDF, RDFS, SKOS, local_name

__all__ = ["actor_network"]

_ENTITY_CLASSES = ("Person", "Country", "Organization", "Government", "Military", "Group", "Location")



def actor_network(graph: Graph, *, modalities: tuple[str, ...] | None = None) -> nx.MultiDiGraph:
    """The entities of ``graph`` as nodes and one edge per (actor, type, recipient, modality).

    Nodes carry ``label``, ``kind``, ``country``, ``role``, ``aliases`` (list) and
    ``events`` (how many events the entity takes part in). Edges carry ``type``,
    ``modality``, ``quad`` (PLOVER quad class), ``score``, ``weight`` (number of events)
    and ``sentences``: a list of dicts ``{"text", "doc", "title", "date"}``, one per
    supporting sentence. Reciprocal events with several actors and no recipient give an
    edge between each pair of actors. Key of an edge: ``"TYPE/Modality"``.

    The graph attribute ``events`` maps each event's IRI to a dict: ``type``, ``modality``,
    ``quad``, ``date`` (the event's ``pol:date``, else its earliest document date, else
    ``""``), ``actors`` and ``recipients`` (node ids), ``sentences`` (as on edges, in
    document order), ``start`` (character offset of its first sentence in that sentence's
    document) and ``edges``: the ``(actor, recipient, key)`` edges it supports. Events
    without any entity node are in it too, with empty ``actors`` and ``recipients``.

    Parameters
    ----------
    graph
        A graph in the shape of the RDF contract.
    modalities
        Keep only events of these modalities (``("Asserted", "Intended")``); all if None.

    Examples
    --------
    >>> from rdflib import Graph
    >>> net = actor_network(Graph())
    >>> net.number_of_nodes(), net.graph["events"]
    (0, {})
    """
    net = nx.MultiDiGraph()
    events: dict[str, dict] = {}
    net.graph["events"] = events
    _add_actors(graph, net)
    read = _Sentences(graph)

    edges: dict[tuple, dict] = defaultdict(lambda: {"weight": 0, "sentences": []})
    for event in graph.subjects(RDF.type, POL.Event):
        etype = graph.value(event, POL.eventType)
        modality = graph.value(event, POL.modality)
        if etype is None or modality is None:
            continue
        tname, mname = local_name(etype), local_name(modality)
        if modalities is not None and mname not in modalities:
            continue
        actors = sorted(str(a) for a in graph.objects(event, POL.actor) if str(a) in net)
        recipients = sorted(str(r) for r in graph.objects(event, POL.recipient) if str(r) in net)
        for party in set(actors) | set(recipients):
            net.nodes[party]["events"] += 1
        if recipients:
            pairs = [(a, r) for a in actors for r in recipients if a != r]
        else:
            pairs = [(a, b) for i, a in enumerate(actors) for b in actors[i + 1 :]]
        sources = list(graph.objects(event, PROV.wasDerivedFrom))
        sentences = [read.info(s) for s in sources]
        for a, r in pairs:
            edge = edges[(a, r, tname, mname)]
            edge["weight"] += 1
            edge["sentences"].extend(sentences)
        ordered = sorted(zip(sources, sentences, strict=True), key=lambda p: read.order[str(p[0])])
        date = graph.value(event, POL.date)
        doc_dates = [s["date"] for s in sentences if s["date"]]
        etype = EVENT_TYPES.get(tname)
        events[str(event)] = {
            "type": tname,
            "modality": mname,
            "quad": etype.quad if etype else "",
            "date": str(date) if date is not None else min(doc_dates, default=""),
            "actors": actors,
            "recipients": recipients,
            "sentences": [info for _, info in ordered],
            "start": read.order[str(ordered[0][0])][2] if ordered else 0,
            "edges": [(a, r, f"{tname}/{mname}") for a, r in pairs],
        }
    for (a, r, tname, mname), data in sorted(edges.items()):
        etype = EVENT_TYPES.get(tname)
        net.add_edge(
            a,
            r,
            key=f"{tname}/{mname}",
            type=tname,
            modality=mname,
            quad=etype.quad if etype else "",
            score=etype.score if etype else 0.0,
            weight=data["weight"],
            sentences=sorted(data["sentences"], key=lambda s: (s["date"], s["doc"], s["text"])),
        )
    return net


def _add_actors(graph: Graph, net: nx.MultiDiGraph) -> None:
    """One node per entity that takes part in events: not a place named only as where events
    happened, nor a state named only as what its parts belong to."""
    kinds: dict = {}
    for cls in _ENTITY_CLASSES:
        for node in graph.subjects(RDF.type, POL[cls]):
            kinds.setdefault(node, cls)
    for node, kind in kinds.items():
        if (
            kind == "Location"
            and (None, POL.location, node) in graph
            and not any((None, p, node) in graph for p in (POL.actor, POL.recipient))
        ):
            continue  # a place named only as where events happened is not an actor
        if (
            kind == "Country"
            and (None, POL.state, node) in graph
            and not any((None, p, node) in graph for p in (POL.actor, POL.recipient))
        ):
            continue  # a state named only as what its parts belong to (pol:state) is not an actor
        label = graph.value(node, RDFS.label)
        net.add_node(
            str(node),
            label=str(label) if label is not None else local_name(node),
            kind=kind,
            country=str(graph.value(node, POL.country) or ""),
            role=str(graph.value(node, POL.role) or ""),
            aliases=sorted(str(a) for a in graph.objects(node, SKOS.altLabel)),
            events=0,
        )


class _Sentences:
    """Each source sentence as the network keeps it (text, document, title, date), read once,
    and the order of sentences (date, document, offset, text)."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self.docs: dict = {}
        self.order: dict[str, tuple] = {}

    def info(self, sent) -> dict:
        """The sentence's text with its document's id, title and date."""
        graph, doc = self.graph, self.graph.value(sent, POL.inDocument)
        if doc not in self.docs:
            self.docs[doc] = {
                "doc": str(graph.value(doc, DCTERMS.identifier) or ""),
                "title": str(graph.value(doc, DCTERMS.title) or ""),
                "date": str(graph.value(doc, DCTERMS.date) or ""),
            }
        info = {"text": str(graph.value(sent, POL.text) or ""), **self.docs[doc]}
        start = graph.value(sent, POL.start)
        self.order[str(sent)] = (info["date"], info["doc"], int(start) if start is not None else 0, info["text"])
        return info
