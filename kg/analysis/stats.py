"""Statistics of a graph: counts, central actors, components, and monthly event series.

Everything here reads only the public RDF contract (so it works on any graph kg wrote,
merged or imported) and returns plain frozen dataclasses; :mod:`kg.analysis.plot` draws the
monthly series, and ``kg stats`` prints :func:`graph_stats`.

The actor network is :func:`kg.analysis.network.actor_network` restricted to asserted and intended
events (the events that the truthy edges link), seen as an undirected simple graph: one
link per pair of entities, weighted by the number of events between them, in either
direction and of any type.

Examples
--------
>>> from kg.graph import build_graph
>>> stats = graph_stats(build_graph([]))
>>> stats.documents, stats.events, stats.components
(0, 0, 0)
"""

from __future__ import annotations

import difflib
import logging
from collections import Counter
from dataclasses import asdict, dataclass, field

import networkx as nx
from rdflib import Graph

from ..errors import ActorNotFoundError, AmbiguousActorError
from ..model import FACT_MODALITIES, MODALITIES
from ..vocab import EVENT_TYPES, KIND_TERMS, POL, POLR, RDF, local_name
from .network import actor_network
from .states import state_view

__all__ = [
    "ActorCentrality",
    "GraphStats",
    "Actor",
    "ActorNotFoundError",
    "AmbiguousActorError",
    "COUNTED_MODALITIES",
    "QUAD_CLASSES",
    "graph_stats",
    "undirected_network",
    "find_actor",
]

log = logging.getLogger(__name__)

#: Modalities of the events that the network, the balance and the activity series count.
COUNTED_MODALITIES: tuple[str, ...] = FACT_MODALITIES

#: The four PLOVER quad classes, from cooperation to conflict.
QUAD_CLASSES: tuple[str, ...] = ("verbal-cooperation", "material-cooperation", "verbal-conflict", "material-conflict")

_TYPE_ORDER = {name: i for i, name in enumerate(EVENT_TYPES)}
_CLASS_ORDER = {name: i for i, name in enumerate(KIND_TERMS)}


# --------------------------------------------------------------------------- errors


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Actor:
    """An entity of the graph: its IRI, ``rdfs:label`` and class (``Person``, ``Country`` ...)."""

    iri: str
    label: str
    kind: str


@dataclass(frozen=True)
class ActorCentrality:
    """One actor's place in the undirected actor network.

    Attributes
    ----------
    iri, label, kind
        The entity.
    degree
        How many other actors it is linked to.
    weighted_degree
        The sum of the weights of its links (events shared with each partner).
    betweenness
        Normalised betweenness centrality, with the length of a link taken as
        ``1 / weight`` (actors who share many events are close).
    """

    iri: str
    label: str
    kind: str
    degree: int
    weighted_degree: int
    betweenness: float


@dataclass(frozen=True)
class GraphStats:
    """What :func:`graph_stats` counts. Dictionaries are in display order.

    Attributes
    ----------
    documents, sentences, events, entities
        How many ``pol:Document``, ``pol:Sentence``, ``pol:Event`` and entity nodes the
        graph holds (an entity counts once even when it has two classes).
    events_by_type
        PLOVER type -> events, most first (ties in PLOVER order); only types present.
    events_by_modality
        Modality -> events, for all four modalities in order (zeros included).
    events_by_type_and_modality
        PLOVER type -> modality -> events, types as in ``events_by_type``, all four
        modalities in order.
    entities_by_class
        Class -> entities, most first; only classes present.
    actors, links
        Nodes and links of the undirected actor network (asserted and intended events).
    top_degree
        Up to ``top`` actors with at least one link, by degree, then weighted degree,
        then label.
    top_betweenness
        Up to ``top`` actors with a betweenness above zero, highest first.
    components
        Connected components of the actor network (an actor without links is one).
    largest_components
        Sizes of the ``top`` largest components, largest first.
    isolated
        Actors without links (in events with no partner, or only in hypothetical and
        negated ones).
    modalities
        The modalities of the events the network counts.
    level
        ``"entity"`` (each entity its own node) or ``"state"`` (every entity with a
        ``pol:state`` counted as that state: ``graph_stats(by_state=True)``).
    """

    documents: int = 0
    sentences: int = 0
    events: int = 0
    entities: int = 0
    events_by_type: dict[str, int] = field(default_factory=dict)
    events_by_modality: dict[str, int] = field(default_factory=dict)
    events_by_type_and_modality: dict[str, dict[str, int]] = field(default_factory=dict)
    entities_by_class: dict[str, int] = field(default_factory=dict)
    actors: int = 0
    links: int = 0
    top_degree: tuple[ActorCentrality, ...] = ()
    top_betweenness: tuple[ActorCentrality, ...] = ()
    components: int = 0
    largest_components: tuple[int, ...] = ()
    isolated: int = 0
    modalities: tuple[str, ...] = COUNTED_MODALITIES
    level: str = "entity"

    def to_dict(self) -> dict:
        """The statistics as plain JSON-ready values (lists for tuples)."""
        data = asdict(self)
        for key in ("top_degree", "top_betweenness", "largest_components", "modalities"):
            data[key] = list(data[key])
        return data


# --------------------------------------------------------------------------- helpers


def undirected_network(net: nx.MultiDiGraph) -> nx.Graph:
    """The undirected simple view of an actor network: one link per pair, weighted by events.

    ``weight`` of a link is the sum of the weights of every edge between the two actors,
    in either direction and of any type; ``distance`` is ``1 / weight``. Node attributes
    are kept.

    Parameters
    ----------
    net
        A network from :func:`kg.analysis.network.actor_network`.

    Returns
    -------
    networkx.Graph

    Examples
    --------
    >>> import networkx as nx
    >>> net = nx.MultiDiGraph()
    >>> net.add_edge("a", "b", key="CONSULT/Asserted", weight=2)
    'CONSULT/Asserted'
    >>> net.add_edge("b", "a", key="ACCUSE/Asserted", weight=1)
    'ACCUSE/Asserted'
    >>> simple = undirected_network(net)
    >>> simple["a"]["b"]["weight"], round(simple["a"]["b"]["distance"], 3)
    (3, 0.333)
    """
    simple = nx.Graph()
    simple.add_nodes_from(net.nodes(data=True))
    for a, b, weight in net.edges(data="weight", default=1):
        if simple.has_edge(a, b):
            simple[a][b]["weight"] += weight
        else:
            simple.add_edge(a, b, weight=weight)
    for _, _, data in simple.edges(data=True):
        data["distance"] = 1.0 / data["weight"]
    return simple


def _counted_events(net: nx.MultiDiGraph) -> list[tuple[str, dict]]:
    return [(iri, e) for iri, e in sorted(net.graph["events"].items()) if e["modality"] in COUNTED_MODALITIES]


# --------------------------------------------------------------------------- statistics


def graph_stats(graph: Graph, *, top: int = 10, by_state: bool = False) -> GraphStats:
    """Counts, the most central actors and the connected components of a graph.

    Parameters
    ----------
    graph
        A graph in the shape of the RDF contract (a store's merged view works too:
        :func:`kg.store.as_graph`).
    top
        How many actors to rank, and how many component sizes to give.
    by_state
        Count at state level: every entity with a ``pol:state`` (a government, an army, an
        office holder ...) is counted as its state (:func:`kg.analysis.states.state_view`).

    Returns
    -------
    GraphStats

    Raises
    ------
    ValueError
        When ``top`` is less than 1.

    See Also
    --------
    kg.analysis.network.actor_network : the network ranked here.
    undirected_network : its undirected, weighted view.

    Notes
    -----
    Degree and betweenness are computed by networkx on the undirected simple view of
    the network of asserted and intended events; betweenness uses ``1 / weight`` as the
    length of a link, so a path through frequent partners is short.

    Examples
    --------
    >>> from kg.graph import build_graph
    >>> from kg.model import Document, DocumentExtraction, Entity, Event, Sentence
    >>> atl, bor = Entity("country/ATL", "Atlantis", "Country"), Entity("country/BOR", "Borduria", "Country")
    >>> s = Sentence("d1", 0, 26, "Atlantis accused Borduria.")
    >>> x = DocumentExtraction(Document("d1", s.text, date="2025-03-05"), (s,), (atl, bor), (),
    ...                        (Event("ACCUSE", (atl.key,), (bor.key,), "Asserted", "accused", s),))
    >>> stats = graph_stats(build_graph([x]))
    >>> stats.documents, stats.sentences, stats.events_by_type, stats.entities_by_class
    (1, 1, {'ACCUSE': 1}, {'Country': 2})
    >>> [(a.label, a.degree) for a in stats.top_degree], stats.largest_components
    ([('Atlantis', 1), ('Borduria', 1)], (2,))
    """
    if top < 1:
        raise ValueError(f"top must be at least 1, not {top}")
    if by_state:
        graph = state_view(graph)
    documents = len(set(graph.subjects(RDF.type, POL.Document)))
    sentences = len(set(graph.subjects(RDF.type, POL.Sentence)))

    by_type_modality: dict[str, Counter[str]] = {}
    modalities: Counter[str] = Counter()
    events = 0
    for event in set(graph.subjects(RDF.type, POL.Event)):
        events += 1
        etype, modality = graph.value(event, POL.eventType), graph.value(event, POL.modality)
        tname = local_name(etype) if etype is not None else "(no type)"
        mname = local_name(modality) if modality is not None else "(no modality)"
        by_type_modality.setdefault(tname, Counter())[mname] += 1
        modalities[mname] += 1
    type_totals = {t: sum(c.values()) for t, c in by_type_modality.items()}
    type_order = sorted(type_totals, key=lambda t: (-type_totals[t], _TYPE_ORDER.get(t, len(_TYPE_ORDER)), t))
    modality_order = list(MODALITIES) + sorted(set(modalities) - set(MODALITIES))

    classes: dict[str, set] = {}
    for kind, term in KIND_TERMS.items():
        members = set(graph.subjects(RDF.type, term))
        if members:
            classes[kind] = members
    entity_nodes = set().union(*classes.values()) | set(graph.subjects(RDF.type, POL.Entity))
    class_order = sorted(classes, key=lambda k: (-len(classes[k]), _CLASS_ORDER[k]))

    net = actor_network(graph, modalities=COUNTED_MODALITIES)
    simple = undirected_network(net)
    betweenness = nx.betweenness_centrality(simple, weight="distance") if simple.number_of_nodes() else {}
    ranked = [
        ActorCentrality(
            iri=node,
            label=data["label"],
            kind=data["kind"],
            degree=simple.degree(node),
            weighted_degree=int(simple.degree(node, weight="weight")),
            betweenness=betweenness.get(node, 0.0),
        )
        for node, data in simple.nodes(data=True)
    ]
    by_degree = sorted(
        (a for a in ranked if a.degree > 0), key=lambda a: (-a.degree, -a.weighted_degree, a.label, a.iri)
    )
    by_betweenness = sorted(
        (a for a in ranked if a.betweenness > 0), key=lambda a: (-a.betweenness, -a.degree, a.label, a.iri)
    )
    sizes = sorted((len(c) for c in nx.connected_components(simple)), reverse=True)

    return GraphStats(
        documents=documents,
        sentences=sentences,
        events=events,
        entities=len(entity_nodes),
        events_by_type={t: type_totals[t] for t in type_order},
        events_by_modality={m: modalities[m] for m in modality_order},
        events_by_type_and_modality={t: {m: by_type_modality[t][m] for m in modality_order} for t in type_order},
        entities_by_class={k: len(classes[k]) for k in class_order},
        actors=simple.number_of_nodes(),
        links=simple.number_of_edges(),
        top_degree=tuple(by_degree[:top]),
        top_betweenness=tuple(by_betweenness[:top]),
        components=len(sizes),
        largest_components=tuple(sizes[:top]),
        isolated=sum(1 for n in simple if simple.degree(n) == 0),
        level="state" if by_state else "entity",
    )


# --------------------------------------------------------------------------- actors


def _actor(net: nx.MultiDiGraph, node: str) -> Actor:
    data = net.nodes[node]
    return Actor(iri=node, label=data["label"], kind=data["kind"])


def _find(net: nx.MultiDiGraph, name: str) -> Actor:
    wanted = name.strip()
    if not wanted:
        raise ActorNotFoundError(name, [])
    iri = str(POLR) + wanted[len("polr:"):] if wanted.startswith("polr:") else wanted
    if iri in net:
        return _actor(net, iri)
    key = wanted.casefold()
    by_label = sorted(n for n in net if net.nodes[n]["label"].casefold() == key)
    by_alias = sorted(n for n in net if any(a.casefold() == key for a in net.nodes[n]["aliases"]))
    for found in (by_label, by_alias):  # a label first: "Syldavia" is the country, not its king's alias
        if len(found) == 1:
            return _actor(net, found[0])
        if found:
            raise AmbiguousActorError(name, sorted((_actor(net, n) for n in found), key=lambda a: (a.label, a.iri)))
    known = sorted({net.nodes[n]["label"] for n in net} | {a for n in net for a in net.nodes[n]["aliases"]})
    folded = {k.casefold(): k for k in known}
    close = difflib.get_close_matches(key, list(folded), n=3, cutoff=0.6)
    raise ActorNotFoundError(name, [folded[c] for c in close])


def find_actor(graph: Graph, name: str) -> Actor:
    """The entity that ``name`` names: its ``rdfs:label``, one of its ``skos:altLabel``, or its IRI.

    Case is ignored. A label wins over an alias; an IRI (in full or as ``polr:...``)
    always picks one entity.

    Parameters
    ----------
    graph
        A graph in the shape of the RDF contract.
    name
        A label, an alias or an IRI.

    Returns
    -------
    Actor

    Raises
    ------
    ActorNotFoundError
        When no entity has that label or alias (the message suggests close names).
    AmbiguousActorError
        When several entities have it (the message lists them with their IRIs).

    Examples
    --------
    >>> from kg.graph import build_graph
    >>> from kg.model import Document, DocumentExtraction, Entity
    >>> atl = Entity("country/ATL", "Atlantis", "Country", aliases=frozenset({"Atlantean Republic"}))
    >>> g = build_graph([DocumentExtraction(Document("d1", "."), (), (atl,), (), ())])
    >>> find_actor(g, "atlantean republic").label
    'Atlantis'
    >>> try:
    ...     find_actor(g, "Atlantys")
    ... except ActorNotFoundError as exc:
    ...     print(exc.suggestions)
    ['Atlantis']
    """
    return _find(actor_network(graph), name)
