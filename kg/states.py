"""Which state each entity acts for or belongs to, so the explorer can fold a state's parts into one node.

The RDF contract links an entity to its state's country node with ``pol:state``. Graphs
written before extraction stated it have none; for those, an entity's ``pol:country`` code
points to the country node with the same code, when the graph has one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rdflib import Graph, URIRef

from .vocab import POL

__all__ = ["STATE", "state_of"]

#: ``pol:state`` (entity -> its state's country node), spelled from the namespace until the
#: closed vocabulary lists it.
STATE = URIRef(str(POL) + "state")


def state_of(graph: Graph, entities: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    """The country node of each entity's state, for the entities that belong to one.

    Parameters
    ----------
    graph
        A graph in the shape of the RDF contract.
    entities
        Entity IRI -> its attributes ``kind`` and ``country`` (as the nodes of
        :func:`kg.network.actor_network` carry them). Only these entities are mapped, and
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
    >>> state_of(Graph(), nodes)
    {'g/RUS': 'c/RUS'}
    """
    countries = {iri for iri, data in entities.items() if data.get("kind") == "Country"}
    stated = [(str(s), str(o)) for s, o in graph.subject_objects(STATE)]
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
