"""The state view: a country together with every entity that acts for or belongs to it.

A graph says "Russia", "Government of Russia", "Armed forces of Russia" and "Vladimir Putin"
as four nodes; each part links to its country node with ``pol:state``. Questions about a
state take in its parts: :func:`state_members` gives the nodes a state stands for, and
:func:`state_view` rewrites a graph so that every part takes part in events as its state.
Reads only the public contract, so it works on any graph kg wrote, merged or imported.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rdflib import Graph, URIRef

from ..vocab import EVENT_TYPES, POL, RDF

__all__ = ["state_of", "state_members", "state_view", "entity_states"]


def state_of(graph: Graph, node: str | URIRef) -> str | None:
    """The state (country node) an entity acts for or belongs to; a country is its own state.

    >>> from kg.vocab import POLR
    >>> g = Graph()
    >>> _ = g.add((POLR["military/RUS"], POL.state, POLR["country/RUS"]))
    >>> _ = g.add((POLR["country/RUS"], RDF.type, POL.Country))
    >>> state_of(g, POLR["military/RUS"]) == state_of(g, POLR["country/RUS"]) == str(POLR["country/RUS"])
    True
    """
    node = URIRef(str(node))
    state = graph.value(node, POL.state)
    if state is not None:
        return str(state)
    return str(node) if (node, RDF.type, POL.Country) in graph else None


def state_members(graph: Graph, state: str | URIRef) -> frozenset[str]:
    """The IRIs a state stands for: its country node and every entity whose ``pol:state`` it is.

    >>> from kg.vocab import POLR
    >>> g = Graph()
    >>> _ = g.add((POLR["government/RUS"], POL.state, POLR["country/RUS"]))
    >>> sorted(m.rsplit("/", 2)[-2] for m in state_members(g, POLR["country/RUS"]))
    ['country', 'government']
    """
    node = URIRef(str(state))
    return frozenset({str(node), *(str(part) for part in graph.subjects(POL.state, node))})


#: Predicates whose subject or object is an event's party, rewritten to the party's state.
_PARTY_OBJECTS = frozenset({POL.actor, POL.recipient})
_PARTY_BOTH = frozenset({POL[t.truthy] for t in EVENT_TYPES.values()})


def state_view(graph: Graph) -> Graph:
    """A copy of ``graph`` in which every entity with a ``pol:state`` takes part in events as
    that state, and is no longer an entity of its own (its class triples are left out).

    Entities without a state (international organisations, unnamed groups, places) stay
    as they are. Events between two parts of one state become events of the state with itself,
    which the actor network leaves out as it leaves out any self-link.

    >>> from kg.vocab import POLR
    >>> g = Graph()
    >>> ev, army, rus = POLR["event/1"], POLR["military/RUS"], POLR["country/RUS"]
    >>> for t in ((army, RDF.type, POL.Military), (army, POL.state, rus), (rus, RDF.type, POL.Country),
    ...           (ev, POL.actor, army)):
    ...     _ = g.add(t)
    >>> view = state_view(g)
    >>> view.value(ev, POL.actor) == rus, (army, RDF.type, POL.Military) in view
    (True, False)
    """
    states = dict(graph.subject_objects(POL.state))
    view = Graph()
    for prefix, namespace in graph.namespaces():
        view.bind(prefix, namespace, override=True)
    for s, p, o in graph:
        if s in states and p == RDF.type:
            continue  # the part is its state now
        if p in _PARTY_OBJECTS or p in _PARTY_BOTH:
            o = states.get(o, o)
        if p in _PARTY_BOTH or p == POL.participatedIn:
            s = states.get(s, s)
        view.add((s, p, o))
    return view


def entity_states(graph: Graph, entities: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    """The country node of each drawn entity's state (for the explorer's state view), falling back
    to ``pol:country`` codes for graphs written before ``pol:state``.

    Parameters
    ----------
    graph
        A graph in the shape of the RDF contract.
    entities
        Entity IRI -> its attributes ``kind`` and ``country`` (as the nodes of
        :func:`kg.analysis.network.actor_network` carry them). Only these entities are mapped, and
        only to one of them that is a ``Country``.

    Returns
    -------
    dict
        Entity IRI -> the IRI of its state's country node. Country nodes are states
        themselves and are never mapped. When the graph holds any ``pol:state`` triple,
        those are the only links used; otherwise an entity with a ``pol:country`` code
        maps to the country node with the same code (the one whose IRI ends in the code
        when several have it, else the first by IRI).

    Examples
    --------
    >>> from rdflib import Graph
    >>> nodes = {"c/RUS": {"kind": "Country", "country": "RUS"},
    ...          "g/RUS": {"kind": "Government", "country": "RUS"},
    ...          "o/UN": {"kind": "Organization", "country": ""}}
    >>> entity_states(Graph(), nodes)
    {'g/RUS': 'c/RUS'}
    """
    countries = {iri for iri, data in entities.items() if data.get("kind") == "Country"}
    stated = [(str(s), str(o)) for s, o in graph.subject_objects(POL.state)]
    if stated:
        return {
            entity: state
            for entity, state in sorted(stated)
            if entity in entities and entity not in countries and state in countries
        }
    by_code = _country_by_code((iri, entities[iri].get("country", "")) for iri in sorted(countries))
    out = {}
    for iri, data in entities.items():
        code = data.get("country", "")
        if iri not in countries and code in by_code:
            out[iri] = by_code[code]
    return out


def _country_by_code(countries: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Country code -> its country node: the one whose IRI ends in ``/CODE``, else the first."""
    out: dict[str, str] = {}
    for iri, code in countries:
        if not code:
            continue
        if code not in out or (iri.endswith("/" + code) and not out[code].endswith("/" + code)):
            out[code] = iri
    return out
