"""Reviewers' decisions, kept in a store's curation graph and applied to its merged view.

A store (:mod:`kg.store`) holds one named graph per document and a merged default graph that
every query, export, plot and explorer view reads. Review decisions (``kg review import``)
live in one more named graph, :data:`CURATION_GRAPH`, as ``pol:ReviewDecision`` nodes with
PROV (who, when) and what they change; they are never written into a document's graph, so
rebuilding a document cannot lose them. Each time the merged view changes (when a writer
refreshes the summary counts), :func:`apply_decisions` first puts back what extraction said
about every event an earlier pass touched, then applies each decision to the event it finds
again by document, sentence offsets and trigger:

- ``ok``: the event gets ``pol:confirmedBy`` the decision;
- ``wrong``: the event stops being a ``pol:Event`` and becomes a ``pol:RejectedEvent`` (type,
  parties and provenance kept, ``pol:rejectedBy``); its truthy edges go unless another event
  supports them, and so do its parties' ``pol:participatedIn`` links to it, so counts, edges
  and the shapes' view of entities leave it out;
- ``fix``: the event shows the reviewer's type, actors and recipients (``pol:correctedBy``),
  with its truthy edges redrawn.

A decision whose sentence is gone or reads differently now, or whose event the sentence no
longer yields, is *stale*: reported, never applied.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from .graph import document_iri
from .vocab import EVENT_TYPES, POL, POLR, PROV, RDF, RDFS, SKOS, XSD, local_name

__all__ = [
    "CURATION_GRAPH",
    "DRAWN_GRAPH",
    "ENTITY_CURATION_GRAPH",
    "VERDICTS",
    "recompute_merged",
    "ranking",
    "Decision",
    "Stale",
    "is_curation_graph",
    "decision_iri",
    "read_decisions",
    "record_decisions",
    "locate",
    "apply_decisions",
]

log = logging.getLogger(__name__)

#: The named graph of a store that holds the review decisions.
CURATION_GRAPH = str(POLR["curation"])
#: The truthy edges the last pass drew for corrections (so the next pass can take them back).
DRAWN_GRAPH = CURATION_GRAPH + "/drawn"

#: The named graph of a store that holds the reviewers' merges and splits of entities
#: (:mod:`kg.entity_curation`).
ENTITY_CURATION_GRAPH = str(POLR["entity-curation"])

#: What a reviewer may say of an event.
VERDICTS = ("ok", "wrong", "fix")

_DEFAULT = ox.DefaultGraph()
_CURATION = ox.NamedNode(CURATION_GRAPH)
_DRAWN = ox.NamedNode(DRAWN_GRAPH)
_ENTITY_CURATION = ox.NamedNode(ENTITY_CURATION_GRAPH)
_SUMMARY_PREFIX = str(POLR["summary/"])


def _n(term) -> ox.NamedNode:
    return ox.NamedNode(str(term))


_TYPE, _EVENT, _REJECTED = _n(RDF.type), _n(POL.Event), _n(POL.RejectedEvent)
_ETYPE, _SCORE, _MODALITY, _TRIGGER = _n(POL.eventType), _n(POL.score), _n(POL.modality), _n(POL.trigger)
_ACTOR, _RECIPIENT, _PART = _n(POL.actor), _n(POL.recipient), _n(POL.participatedIn)
_DERIVED, _TEXT = _n(PROV.wasDerivedFrom), _n(POL.text)
_CONFIRMED, _REJECTED_BY, _CORRECTED = _n(POL.confirmedBy), _n(POL.rejectedBy), _n(POL.correctedBy)
_FLAGS = (_CONFIRMED, _REJECTED_BY, _CORRECTED)
_NIL = _n(RDF.nil)
_TRUTHY = {_n(POL[t.name]): _n(POL[t.truthy]) for t in EVENT_TYPES.values()}
_TRUTHY_MODALITIES = {_n(POL.Asserted), _n(POL.Intended)}


@dataclass(frozen=True)
class Decision:
    """One reviewer's judgement of one event, as the curation graph keeps it.

    ``fix_actors`` and ``fix_recipients`` are entity IRIs, or None when the reviewer left
    them as extracted (``fix_recipients == ()``: no recipient). ``reviewed_type`` and
    ``fix_type`` are PLOVER type names.
    """

    reviewer: str
    time: str
    verdict: str
    event: str
    document: str
    sentence: str
    text: str
    trigger: str
    reviewed_type: str
    fix_type: str | None = None
    fix_actors: tuple[str, ...] | None = None
    fix_recipients: tuple[str, ...] | None = None
    note: str = ""

    @property
    def iri(self) -> str:
        """The decision's IRI: one per reviewer, sentence, trigger and event, so a reviewer's later
        decision on the same event replaces their earlier one."""
        return decision_iri(self.reviewer, self.sentence, self.trigger, self.event)


@dataclass(frozen=True)
class Stale:
    """A decision that was not applied, and why."""

    decision: Decision
    reason: str


def is_curation_graph(name: str) -> bool:
    """Whether a graph name is a curation graph, of events (with its record of drawn edges) or of
    entities (not a document's).

    >>> is_curation_graph("https://w3id.org/polkg/id/curation"), is_curation_graph(DRAWN_GRAPH)
    (True, True)
    """
    return name in (CURATION_GRAPH, ENTITY_CURATION_GRAPH) or name.startswith(CURATION_GRAPH + "/")


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def decision_iri(reviewer: str, sentence: str, trigger: str, event: str) -> str:
    """IRI of a decision: ``polr:decision/<hash of reviewer, sentence, trigger, event>``."""
    return str(POLR[f"decision/{_digest(reviewer, sentence, trigger, event)}"])


def reviewer_iri(name: str) -> str:
    """IRI of a reviewer (a ``prov:Agent``)."""
    return str(POLR[f"reviewer/{_digest(name)}"])


def _lit(value: str, datatype=None) -> ox.Literal:
    return ox.Literal(value, datatype=_n(datatype)) if datatype is not None else ox.Literal(value)


def _decision_triples(d: Decision) -> list[ox.Triple]:
    node, agent = ox.NamedNode(d.iri), ox.NamedNode(reviewer_iri(d.reviewer))
    out = [
        ox.Triple(node, _TYPE, _n(POL.ReviewDecision)),
        ox.Triple(node, _TYPE, _n(PROV.Activity)),
        ox.Triple(node, _n(PROV.wasAssociatedWith), agent),
        ox.Triple(agent, _TYPE, _n(PROV.Agent)),
        ox.Triple(agent, _n(RDFS.label), _lit(d.reviewer)),
        ox.Triple(node, _n(PROV.endedAtTime), _lit(d.time, XSD.dateTime)),
        ox.Triple(node, _n(POL.verdict), _lit(d.verdict)),
        ox.Triple(node, _n(POL.decides), ox.NamedNode(d.event)),
        ox.Triple(node, _n(POL.onSentence), ox.NamedNode(d.sentence)),
        ox.Triple(node, _n(POL.reviewedDocument), _lit(d.document)),
        ox.Triple(node, _n(POL.reviewedText), _lit(d.text)),
        ox.Triple(node, _n(POL.reviewedTrigger), _lit(d.trigger)),
        ox.Triple(node, _n(POL.reviewedType), _n(POL[d.reviewed_type])),
    ]
    if d.fix_type:
        out.append(ox.Triple(node, _n(POL.correctedType), _n(POL[d.fix_type])))
    for key, values in ((POL.correctedActor, d.fix_actors), (POL.correctedRecipient, d.fix_recipients)):
        if values is not None:
            out += [ox.Triple(node, _n(key), ox.NamedNode(v)) for v in values] or [ox.Triple(node, _n(key), _NIL)]
    if d.note:
        out.append(ox.Triple(node, _n(RDFS.comment), _lit(d.note)))
    return out


def record_decisions(store: ox.Store, decisions: Iterable[Decision]) -> int:
    """Write decisions into the curation graph of ``store``; a decision with the IRI of one already
    there replaces it. Returns how many were written. The caller marks the summary stale."""
    n = 0
    for d in decisions:
        node = ox.NamedNode(d.iri)
        for q in list(store.quads_for_pattern(node, None, None, _CURATION)):
            store.remove(q)
        store.extend(ox.Quad(t.subject, t.predicate, t.object, _CURATION) for t in _decision_triples(d))
        n += 1
    return n


def read_decisions(store: ox.Store) -> list[Decision]:
    """The decisions of the curation graph, oldest first (then by reviewer)."""
    by_node: dict[str, dict[str, list]] = {}
    for q in store.quads_for_pattern(None, None, None, _CURATION):
        by_node.setdefault(q.subject.value, {}).setdefault(q.predicate.value, []).append(q.object)
    names = {s: v[str(RDFS.label)][0].value for s, v in by_node.items() if str(RDFS.label) in v}
    out = []
    for props in by_node.values():
        if _n(POL.ReviewDecision) not in props.get(str(RDF.type), []):
            continue

        def one(p, props=props):
            values = props.get(str(p))
            return values[0].value if values else None

        def many(p, props=props):
            values = props.get(str(p))
            if values is None:
                return None
            return tuple(sorted(v.value for v in values if v != _NIL))

        fix_type = one(POL.correctedType)
        out.append(
            Decision(
                reviewer=names.get(one(PROV.wasAssociatedWith), ""),
                time=one(PROV.endedAtTime) or "",
                verdict=one(POL.verdict) or "",
                event=one(POL.decides) or "",
                document=one(POL.reviewedDocument) or "",
                sentence=one(POL.onSentence) or "",
                text=one(POL.reviewedText) or "",
                trigger=one(POL.reviewedTrigger) or "",
                reviewed_type=local_name(one(POL.reviewedType) or ""),
                fix_type=local_name(fix_type) if fix_type else None,
                fix_actors=many(POL.correctedActor),
                fix_recipients=many(POL.correctedRecipient),
                note=one(RDFS.comment) or "",
            )
        )
    return sorted(out, key=lambda d: (d.time, d.reviewer, d.iri))


# --------------------------------------------------------------------------- the merged view


def ranking(order: Mapping[str, int] | Callable[[str], int] | None) -> Callable[[str], int]:
    """A graph's rank in the order documents were added, from a mapping, a function or nothing
    (every graph ranks alike).

    >>> ranking({"g": 3})("g"), ranking(None)("g")
    (3, 0)
    """
    if order is None:
        return lambda name: 0
    return order if callable(order) else order.__getitem__


def recompute_merged(
    store: ox.Store, s, predicates: set, rank: Callable[[str], int], include: Callable[[object], bool]
) -> None:
    """Set the merged view's values of ``s``'s single-valued ``predicates`` (labels with their
    aliases) from the named graphs ``include`` accepts, as a store folds documents in: the
    value of the graph first in ``rank`` wins, other labels become ``skos:altLabel``."""
    label, alt = ox.NamedNode(str(RDFS.label)), ox.NamedNode(str(SKOS.altLabel))
    by_graph: dict = defaultdict(list)
    for p in predicates:
        for q in store.quads_for_pattern(s, p, None, None):
            if q.graph_name != _DEFAULT and include(q.graph_name):
                by_graph[q.graph_name].append(q.triple)
    chosen: dict = {}
    alts: set = set()
    merged: list = []
    for g in sorted(by_graph, key=lambda g: (rank(g.value), g.value)):
        for t in sorted(by_graph[g], key=str):
            if t.predicate == alt:
                alts.add(t.object)
            elif t.predicate not in chosen:
                chosen[t.predicate] = t.object
                merged.append(t)
            elif chosen[t.predicate] != t.object and t.predicate == label:
                alts.add(t.object)
    if alt in predicates:
        merged += [ox.Triple(s, alt, o) for o in sorted(alts, key=str) if o != chosen.get(label)]
    for p in predicates:
        for q in list(store.quads_for_pattern(s, p, None, _DEFAULT)):
            store.remove(q)
    store.extend(ox.Quad(t.subject, t.predicate, t.object, _DEFAULT) for t in merged)


def _is_document_graph(name) -> bool:
    return (
        isinstance(name, ox.NamedNode)
        and not is_curation_graph(name.value)
        and not name.value.startswith(_SUMMARY_PREFIX)
    )


def _stated(store: ox.Store, s, p, o) -> bool:
    """Whether some document graph states the triple."""
    return any(_is_document_graph(q.graph_name) for q in store.quads_for_pattern(s, p, o, None))


def _objects(store: ox.Store, s, p) -> list:
    return [q.object for q in store.quads_for_pattern(s, p, None, _DEFAULT)]


def _one(store: ox.Store, s, p):
    return next((q.object for q in store.quads_for_pattern(s, p, None, _DEFAULT)), None)


def locate(store: ox.Store, decision: Decision) -> tuple[str | None, str | None]:
    """The IRI of the event a decision is about in the merged view now, or None and why not.

    Found by its sentence (document and character offsets, as the sentence IRI says), which
    must read as the reviewer read it (a sentence that only moved, with the same words, is
    found by them in the same document), then among that sentence's events: the one of the
    same IRI, else the one with the same trigger (and type, when the trigger gives several).
    """
    sentence = ox.NamedNode(decision.sentence)
    text = _one(store, sentence, _TEXT)
    if text is None:
        doc = ox.NamedNode(str(document_iri(decision.document)))
        if _one(store, doc, _TYPE) is None:
            return None, f"document {decision.document!r} is no longer in the store"
        # the same sentence moved (text added before it): found by its words in the same document
        moved = [
            q.subject
            for q in store.quads_for_pattern(None, _n(POL.inDocument), doc, _DEFAULT)
            if (t := _one(store, q.subject, _TEXT)) is not None and t.value == decision.text
        ]
        if len(moved) != 1:
            return None, (
                f"its sentence is no longer in document {decision.document!r} "
                "(the text changed, or no event is found there)"
            )
        sentence, text = moved[0], ox.Literal(decision.text)
    if text.value != decision.text:
        return None, f"its sentence in document {decision.document!r} changed: now {_short(text.value)!r}"
    events = [q.subject for q in store.quads_for_pattern(None, _DERIVED, sentence, _DEFAULT)]
    if any(e.value == decision.event for e in events):
        return decision.event, None
    same = [e for e in events if (t := _one(store, e, _TRIGGER)) is not None and t.value == decision.trigger]
    if len(same) > 1:
        same = [e for e in same if _one(store, e, _ETYPE) == _n(POL[decision.reviewed_type])] or same
    if len(same) == 1:
        return same[0].value, None
    if not same:
        return None, f"its sentence no longer yields an event with trigger {decision.trigger!r}"
    return None, f"its sentence yields {len(same)} events with trigger {decision.trigger!r}"


def _short(text: str, n: int = 80) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _truthy_pairs(store: ox.Store, event) -> set[tuple]:
    """The truthy edges (actor, predicate, recipient) the event's current form gives."""
    if ox.Quad(event, _TYPE, _EVENT, _DEFAULT) not in store:
        return set()
    if _one(store, event, _MODALITY) not in _TRUTHY_MODALITIES:
        return set()
    predicate = _TRUTHY.get(_one(store, event, _ETYPE))
    if predicate is None:
        return set()
    actors, recipients = _objects(store, event, _ACTOR), _objects(store, event, _RECIPIENT)
    pairs = [(a, r) for a in actors for r in recipients] if recipients else [
        (a, b) for a in actors for b in actors if a != b
    ]
    return {(a, predicate, b) for a, b in pairs if a != b}


def _supported(store: ox.Store, edge: tuple) -> bool:
    events = {q.subject for q in store.quads_for_pattern(None, _ACTOR, edge[0], _DEFAULT)}
    return any(edge in _truthy_pairs(store, e) for e in events)


def _restore(store: ox.Store, events: set, order: Callable[[str], int]) -> None:
    """Put back what the document graphs say of ``events`` (and of the truthy edges between their
    parties) in the merged view, undoing an earlier pass."""
    parties: set = set()
    for event in events:
        for p in (_ACTOR, _RECIPIENT):
            parties.update(_objects(store, event, p))
        for q in list(store.quads_for_pattern(event, None, None, _DEFAULT)):
            if q.predicate in (_TYPE, _ETYPE, _SCORE, _ACTOR, _RECIPIENT, *_FLAGS):
                store.remove(q)
        for q in list(store.quads_for_pattern(None, _PART, event, _DEFAULT)):
            store.remove(q)
        stated = [q for q in store.quads_for_pattern(event, None, None, None) if _is_document_graph(q.graph_name)]
        stated += [q for q in store.quads_for_pattern(None, _PART, event, None) if _is_document_graph(q.graph_name)]
        first: dict = {}
        for q in sorted(stated, key=lambda q: (order(q.graph_name.value), q.graph_name.value)):
            if q.predicate in (_ETYPE, _SCORE):
                first.setdefault(q.predicate, q)
            elif q.predicate in (_TYPE, _ACTOR, _RECIPIENT, _PART):
                store.add(ox.Quad(q.subject, q.predicate, q.object, _DEFAULT))
                if q.predicate in (_ACTOR, _RECIPIENT):
                    parties.add(q.object)
        for q in first.values():
            store.add(ox.Quad(q.subject, q.predicate, q.object, _DEFAULT))
    truthy = set(_TRUTHY.values())
    for a in parties:
        for q in list(store.quads_for_pattern(a, None, None, None)):
            if q.predicate in truthy and _is_document_graph(q.graph_name):
                store.add(ox.Quad(q.subject, q.predicate, q.object, _DEFAULT))  # taken away for a correction


def _take_back_drawn(store: ox.Store) -> None:
    """Remove from the merged view the truthy edges the last pass drew that no document states."""
    for q in list(store.quads_for_pattern(None, None, None, _DRAWN)):
        if not _stated(store, q.subject, q.predicate, q.object):
            store.remove(ox.Quad(q.subject, q.predicate, q.object, _DEFAULT))
        store.remove(q)


def _replace(store: ox.Store, event, predicate, values: Iterable) -> None:
    for q in list(store.quads_for_pattern(event, predicate, None, _DEFAULT)):
        store.remove(q)
        if predicate in (_ACTOR, _RECIPIENT):
            store.remove(ox.Quad(q.object, _PART, event, _DEFAULT))
    for v in values:
        store.add(ox.Quad(event, predicate, v, _DEFAULT))
        if predicate in (_ACTOR, _RECIPIENT):
            store.add(ox.Quad(v, _PART, event, _DEFAULT))


def apply_decisions(
    store: ox.Store,
    *,
    order: Mapping[str, int] | Callable[[str], int] | None = None,
    between: Callable[[], Mapping[str, str] | None] | None = None,
) -> list[Stale]:
    """Bring the merged view of ``store`` in line with its decisions; return the stale ones.

    Parameters
    ----------
    store
        A store's pyoxigraph Store (``GraphStore.oxigraph``): named document graphs, the merged
        default graph, and perhaps the curation graph.
    order
        A document graph's position in the order documents were added (for the single-valued
        properties put back); by default graph IRI order.
    between
        Called once the earlier pass is undone and before the decisions are applied: the
        store applies its entity merges and splits there (:mod:`kg.entity_curation`), so the
        events' decisions see the entities as the reviewers left them. It may return a map
        of entity IRIs merged away to the entity they are now: corrected actors and
        recipients are read through it.

    Returns
    -------
    list of Stale
        The decisions not applied, with the reason. Where several reviewers judged one event,
        the latest decision is applied.

    Examples
    --------
    >>> apply_decisions(ox.Store())
    []
    """
    rank = ranking(order)
    touched = {q.subject for p in _FLAGS for q in store.quads_for_pattern(None, p, None, _DEFAULT)}
    touched |= {q.subject for q in store.quads_for_pattern(None, _TYPE, _REJECTED, _DEFAULT)}
    if touched:
        _restore(store, touched, rank)
    _take_back_drawn(store)
    renamed = (between() or {}) if between is not None else {}
    decisions = read_decisions(store)
    stale: list[Stale] = []
    latest: dict[str, Decision] = {}
    for d in decisions:
        event, why = locate(store, d)
        if event is None:
            stale.append(Stale(d, why or "not found"))
        else:
            latest[event] = d  # oldest first: the latest stands
    check: set = set()
    draw: set = set()
    for event_iri, d in latest.items():
        event, node = ox.NamedNode(event_iri), ox.NamedNode(d.iri)
        before = _truthy_pairs(store, event)
        if d.verdict == "ok":
            store.add(ox.Quad(event, _CONFIRMED, node, _DEFAULT))
            continue
        if d.verdict == "wrong":
            store.remove(ox.Quad(event, _TYPE, _EVENT, _DEFAULT))
            store.add(ox.Quad(event, _TYPE, _REJECTED, _DEFAULT))
            store.add(ox.Quad(event, _REJECTED_BY, node, _DEFAULT))
            for q in list(store.quads_for_pattern(None, _PART, event, _DEFAULT)):
                store.remove(q)  # an entity's events are pol:Events (the shapes): the shortcut goes too
            check |= before
            continue
        if d.fix_type:
            _replace(store, event, _ETYPE, [_n(POL[d.fix_type])])
            score = str(EVENT_TYPES[d.fix_type].score)
            _replace(store, event, _SCORE, [ox.Literal(score, datatype=_n(XSD.decimal))])
        if d.fix_actors is not None:
            _replace(store, event, _ACTOR, [ox.NamedNode(renamed.get(a, a)) for a in d.fix_actors])
        if d.fix_recipients is not None:
            _replace(store, event, _RECIPIENT, [ox.NamedNode(renamed.get(r, r)) for r in d.fix_recipients])
        store.add(ox.Quad(event, _CORRECTED, node, _DEFAULT))
        after = _truthy_pairs(store, event)
        check |= before - after
        draw |= after
    for edge in check - draw:
        if not _supported(store, edge):
            store.remove(ox.Quad(*edge, _DEFAULT))
    for edge in draw:
        store.add(ox.Quad(*edge, _DEFAULT))
        store.add(ox.Quad(*edge, _DRAWN))
    if stale:
        shown = "; ".join(f"{s.decision.document}: {s.reason}" for s in stale[:3])
        log.info(
            "%d review decision(s) are stale and were not applied (kg review report lists them): %s%s",
            len(stale), shown, " ..." if len(stale) > 3 else "",
        )
    return stale
