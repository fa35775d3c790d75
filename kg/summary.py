"""Counts kept beside the graph, so the named queries answer in milliseconds on large stores.

pyoxigraph evaluates a join by looking each binding up in its indexes, some
microseconds a lookup: any query that joins the 55,000 events of a million-triple
graph (type with modality with date ...) spends a quarter of a second before it groups
anything. The named queries (``kg/queries/*.rq``) ask the same aggregate questions again
and again (events per type and month, who is most active, who met whom), so their
answers are counted once, here, and kept in named graphs under ``polr:summary/``
beside the merged view they are counted from. A named query then scans one small table
instead of joining everything (measured in ``benchmarks/run.py``).

The summary is derived data: :func:`summarize` recomputes it from the default graph in
one pass and writes only what changed. :class:`kg.store.GraphStore` runs it after
every change, and :func:`kg.query.run_named_query` before a query on a store that has
none, so it is not stale there. The default graph, which users' own SPARQL sees, is
not touched; the counts use their own terms (``pol:eventCount``, ``pol:TypeMonthCount``
...), declared in the ontology.

The tables (``active`` events: modality ``pol:Asserted`` or ``pol:Intended``, what the
text says did or will happen; the named queries leave out the rest):

``polr:summary/type-month``
    one ``pol:TypeMonthCount`` a type and month: ``pol:countedType``, ``pol:month``
    (``"2024-03"``, or ``"2024"`` when only the year is known; absent for undated
    events) and ``pol:eventCount``, the active events of that type in that month.
``polr:summary/activity``
    on each entity in an active event: ``pol:activeEventCount``, ``pol:asActorCount``,
    ``pol:asRecipientCount``.
``polr:summary/dyads/<type>`` (``.../dyads/consult`` ...)
    one node a pair of entities with active events of that type between them:
    ``pol:first``, ``pol:second``, ``pol:eventCount``. Directed (``pol:first`` is an
    actor, ``pol:second`` another actor or a recipient), except for CONSULT, whose
    parties kg treats as a set (see :func:`kg.graph.event_iri`): there the pair is
    unordered (``pol:first`` sorts before ``pol:second``) and counts the meetings both
    took part in. One graph a type, so that ranking a type's dyads is one index scan.
``polr:summary/dates``
    on every event: ``pol:timelineDate``, its own ``pol:date``, else the earliest date of
    a document that states it, as text (``"2024-03-05"``, ``"2024-03"`` or ``"2024"``).
``polr:summary/names``
    on every entity: ``pol:nameKey``, its label and alternative labels in lower case, so
    that finding an entity by name (any case) is a scan of one table.

Examples
--------
>>> from kg.graph import add_extraction, new_graph
>>> from kg.model import Document, DocumentExtraction, Entity, Event, Sentence
>>> from kg.query import to_store
>>> s = Sentence("d1", 0, 17, "Kenya met Uganda.")
>>> e = Event("CONSULT", ("country/KEN",), ("country/UGA",), "Asserted", "met", s)
>>> ents = (Entity("country/KEN", "Kenya", "Country"), Entity("country/UGA", "Uganda", "Country"))
>>> doc = Document("d1", s.text, date="2024-03-05")
>>> store = to_store(add_extraction(new_graph(), DocumentExtraction(doc, (s,), ents, (), (e,))))
>>> summarize(store)
{'added': 16, 'removed': 0}
>>> summarize(store)  # nothing changed: nothing written
{'added': 0, 'removed': 0}
>>> q = "SELECT ?n WHERE { GRAPH <https://w3id.org/polkg/id/summary/dyads/consult> { ?d pol:eventCount ?n } }"
>>> [row["n"].value for row in store.query(q, prefixes={"pol": "https://w3id.org/polkg/ontology#"})]
['1']
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Iterator

import pyoxigraph as ox

from .vocab import DCTERMS, FACT_MODALITY_TERMS, POL, POLR, PROV, RDF, RDFS, SKOS, XSD

__all__ = ["SUMMARY_PREFIX", "summary_graph", "summarize", "has_summary", "mark_stale", "is_summary_graph"]

log = logging.getLogger(__name__)

#: Every summary graph's IRI starts with this.
SUMMARY_PREFIX = str(POLR["summary/"])

_ACTIVE = {str(term) for term in FACT_MODALITY_TERMS}
_RECIPROCAL_TYPES = {str(POL.CONSULT)}
_INTEGER = ox.NamedNode(str(XSD.integer))
_DEFAULT = ox.DefaultGraph()


def summary_graph(table: str) -> str:
    """The IRI of a summary table's graph: ``type-month``, ``activity``, ``dates``, ``names``, ``dyads/<type>``.

    >>> summary_graph("dyads/consult")
    'https://w3id.org/polkg/id/summary/dyads/consult'
    """
    return SUMMARY_PREFIX + table


def is_summary_graph(name: str) -> bool:
    """Whether a graph name is one of the summary's (not a document's)."""
    return name.startswith(SUMMARY_PREFIX)


# One triple in a graph of its own says the summary is current: whoever changes the
# default graph takes it out first (mark_stale), summarize puts it back last.
_STATE = ox.NamedNode(summary_graph("state"))
_STAMP = ox.Quad(
    ox.NamedNode(SUMMARY_PREFIX[:-1]), ox.NamedNode(str(DCTERMS.conformsTo)), ox.Literal("kg summary 1"), _STATE
)


def has_summary(store: ox.Store) -> bool:
    """Whether ``store`` holds a current summary: made by :func:`summarize`, not marked stale since."""
    return _STAMP in store


def mark_stale(store: ox.Store) -> None:
    """Say the summary no longer matches the default graph (call before changing it)."""
    store.remove(_STAMP)


def summarize(store: ox.Store) -> dict[str, int]:
    """Bring the summary graphs of ``store`` up to date with its default graph.

    The whole summary is recomputed in Python from one scan of each property it
    needs; only the triples that differ from the stored summary are removed and added.

    Returns
    -------
    dict
        How many triples were ``added`` and ``removed``.
    """
    started = time.perf_counter()
    mark_stale(store)
    wanted = set(_summary_quads(store))
    graphs = [
        g for g in store.named_graphs() if isinstance(g, ox.NamedNode) and is_summary_graph(g.value) and g != _STATE
    ]
    stored = {q for g in graphs for q in store.quads_for_pattern(None, None, None, g)}
    removed = stored - wanted
    added = wanted - stored
    if removed and len(removed) > len(stored) // 2:  # most of it changed: rewriting is faster
        for graph in graphs:
            store.remove_graph(graph)
        added, removed = wanted, set()
    for quad in removed:
        store.remove(quad)
    if added:
        store.extend(sorted(added, key=str))
    store.add(_STAMP)
    log.debug(
        "summary: %d triples, %d added, %d removed in %.2f s",
        len(wanted), len(added), len(removed), time.perf_counter() - started,
    )
    return {"added": len(added), "removed": len(removed)}


def _objects(store: ox.Store, predicate) -> Iterator[tuple[str, ox.NamedNode | ox.Literal]]:
    """(subject IRI, object) of each triple of ``predicate`` in the default graph."""
    for quad in store.quads_for_pattern(None, ox.NamedNode(str(predicate)), None, _DEFAULT):
        if isinstance(quad.subject, ox.NamedNode):
            yield quad.subject.value, quad.object


def _node(kind: str, *key: str) -> ox.NamedNode:
    digest = hashlib.blake2b("\x1f".join(key).encode("utf-8"), digest_size=10).hexdigest()
    return ox.NamedNode(f"{SUMMARY_PREFIX}{kind}/{digest}")


def _summary_quads(store: ox.Store) -> Iterator[ox.Quad]:
    # an event a reviewer rejected (kg.curation) keeps its type, but counts no more
    flagged = store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(POL.RejectedEvent)), _DEFAULT)
    rejected = {q.subject.value for q in flagged}
    types = {s: o.value for s, o in _objects(store, POL.eventType) if s not in rejected}
    modality = {s: o.value for s, o in _objects(store, POL.modality)}
    own_date = {s: o.value for s, o in _objects(store, POL.date)}
    doc_of = {s: o.value for s, o in _objects(store, POL.inDocument)}
    doc_date = {s: o.value for s, o in _objects(store, DCTERMS.date)}
    parties: dict[str, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for s, o in _objects(store, POL.actor):
        parties[s][0].add(o.value)
    for s, o in _objects(store, POL.recipient):
        parties[s][1].add(o.value)
    stated_on: dict[str, str] = {}
    for s, o in _objects(store, PROV.wasDerivedFrom):
        day = doc_date.get(doc_of.get(o.value, ""))
        if day is not None and s in types and (s not in stated_on or day < stated_on[s]):
            stated_on[s] = day

    def quad(graph: str, subject: ox.NamedNode, predicate, obj) -> ox.Quad:
        return ox.Quad(subject, ox.NamedNode(str(predicate)), obj, ox.NamedNode(graph))

    def count(n: int) -> ox.Literal:
        return ox.Literal(str(n), datatype=_INTEGER)

    type_month: Counter[tuple[str, str]] = Counter()
    activity: dict[str, Counter[str]] = defaultdict(Counter)
    dyads: Counter[tuple[str, str, str]] = Counter()
    dates = summary_graph("dates")
    for event, etype in types.items():
        when = own_date.get(event) or stated_on.get(event)
        if when is not None:
            yield quad(dates, ox.NamedNode(event), POL.timelineDate, ox.Literal(when))
        if modality.get(event) not in _ACTIVE:
            continue
        type_month[(etype, when[:7] if when else "")] += 1
        actors, recipients = parties.get(event, (set(), set()))
        for entity in actors | recipients:
            activity[entity]["events"] += 1
        for entity in actors:
            activity[entity]["actor"] += 1
        for entity in recipients:
            activity[entity]["recipient"] += 1
        if etype in _RECIPROCAL_TYPES:
            together = sorted(actors | recipients)
            dyads.update((etype, a, b) for i, a in enumerate(together) for b in together[i + 1 :])
        else:
            dyads.update((etype, a, b) for a in actors for b in actors | recipients if a != b)

    graph = summary_graph("type-month")
    for (etype, month), n in type_month.items():
        node = _node("type-month", etype, month)
        yield quad(graph, node, RDF.type, ox.NamedNode(str(POL.TypeMonthCount)))
        yield quad(graph, node, POL.countedType, ox.NamedNode(etype))
        if month:
            yield quad(graph, node, POL.month, ox.Literal(month))
        yield quad(graph, node, POL.eventCount, count(n))
    graph = summary_graph("activity")
    for entity, counts in activity.items():
        node = ox.NamedNode(entity)
        yield quad(graph, node, POL.activeEventCount, count(counts["events"]))
        yield quad(graph, node, POL.asActorCount, count(counts["actor"]))
        yield quad(graph, node, POL.asRecipientCount, count(counts["recipient"]))
    for (etype, a, b), n in dyads.items():
        name = etype.rsplit("#", 1)[-1].lower()
        graph = summary_graph(f"dyads/{name}")
        node = _node(f"dyad/{name}", a, b)
        yield quad(graph, node, POL.first, ox.NamedNode(a))
        yield quad(graph, node, POL.second, ox.NamedNode(b))
        yield quad(graph, node, POL.eventCount, count(n))
    graph = summary_graph("names")
    for predicate in (RDFS.label, SKOS.altLabel):
        for entity, name in _objects(store, predicate):
            if isinstance(name, ox.Literal):
                yield quad(graph, ox.NamedNode(entity), POL.nameKey, ox.Literal(name.value.lower()))
