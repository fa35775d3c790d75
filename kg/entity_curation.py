"""Reviewers' merges and splits of entities, kept in a store's entity-curation graph and applied
to its merged view.

kg joins mentions into one node only on evidence (:mod:`kg.keys`); a reviewer who reads
``kg entities STORE`` may know better. ``kg entities merge A B`` says that B is A; ``kg entities
split A --forms "Mr Khan@doc-17"`` says that the person document doc-17 calls "Mr Khan" is not A.
Each decision is a ``pol:EntityMerge`` or ``pol:EntitySplit`` (a ``prov:Entity``, with
``prov:wasAttributedTo`` the reviewer, ``prov:generatedAtTime`` and the note as ``rdfs:comment``)
in the named graph :data:`ENTITY_CURATION_GRAPH`, never in a document's graph, so rebuilding
a document cannot lose it.

Each time the merged view changes, :func:`apply_entity_decisions` first puts back what the
document graphs say of every entity a decision names, then applies the decisions, oldest first:

- a merge moves every triple of B onto A: B's labels become A's ``skos:altLabel``, its event
  links and truthy edges become A's (an edge between A and B is dropped), A keeps its class
  and its single-valued properties, and takes B's where it has none;
- a split makes a new entity (:func:`split_iri`: derived from A, the form and the document) of
  A's class, labelled with the form, and moves to it A's events of that document whose sentence
  says the form (all of them, when the form is the only name of A there), with their truthy
  edges; A keeps the form as an alias only where another document gives it.

Both entities get ``pol:curatedBy`` the decision. A decision whose entities (or document, or
form) are gone is *stale*: reported, never applied. The store runs this between undoing and
redoing the events' review decisions (:func:`kg.curation.apply_decisions`), so those see the
entities as the reviewers left them.
"""

from __future__ import annotations

import difflib
import hashlib
import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

import pyoxigraph as ox

from .curation import (
    ENTITY_CURATION_GRAPH,
    _is_document_graph,
    _supported,
    _truthy_pairs,
    ranking,
    recompute_merged,
    reviewer_iri,
)
from .errors import AmbiguousActorError, EntityNotFoundError, UsageError
from .graph import SINGLE_VALUED
from .keys import document_scope
from .vocab import DCTERMS, EVENT_TYPES, KIND_TERMS, POL, POLR, PROV, RDF, RDFS, SKOS, XSD, slug

__all__ = [
    "ENTITY_CURATION_GRAPH",
    "EntityDecision",
    "EntityStale",
    "split_iri",
    "entity_decision_iri",
    "record_entity_decision",
    "read_entity_decisions",
    "find_entity",
    "forms_in_document",
    "apply_entity_decisions",
    "curated_reasons",
    "merged_into",
    "unapplied",
]

log = logging.getLogger(__name__)

_DEFAULT = ox.DefaultGraph()
_GRAPH = ox.NamedNode(ENTITY_CURATION_GRAPH)


def _n(term) -> ox.NamedNode:
    return ox.NamedNode(str(term))


_TYPE, _LABEL, _ALT, _COMMENT = _n(RDF.type), _n(RDFS.label), _n(SKOS.altLabel), _n(RDFS.comment)
_ACTOR, _RECIPIENT, _PART = _n(POL.actor), _n(POL.recipient), _n(POL.participatedIn)
_DERIVED, _IN_DOC, _TEXT, _IDENT = _n(PROV.wasDerivedFrom), _n(POL.inDocument), _n(POL.text), _n(DCTERMS.identifier)
_MERGE, _SPLIT, _CURATED = _n(POL.EntityMerge), _n(POL.EntitySplit), _n(POL.curatedBy)
_KEPT, _MERGED, _SPLIT_FROM = _n(POL.keptEntity), _n(POL.mergedEntity), _n(POL.splitEntity)
_FORM, _DOCUMENT, _NEW = _n(POL.splitForm), _n(POL.splitDocument), _n(POL.newEntity)
_ATTRIBUTED, _GENERATED = _n(PROV.wasAttributedTo), _n(PROV.generatedAtTime)
_KINDS = {_n(t) for t in KIND_TERMS.values()}
_SINGLE = frozenset(str(p) for p in SINGLE_VALUED)
_TRUTHY = frozenset(_n(POL[t.truthy]) for t in EVENT_TYPES.values())


@dataclass(frozen=True)
class EntityDecision:
    """One reviewer's merge or split, as the entity-curation graph keeps it.

    ``action`` is ``"merge"`` (``other`` is merged into ``entity``) or ``"split"`` (the
    mentions named ``form`` in ``document``, an id, are split off ``entity``).
    """

    action: str
    reviewer: str
    time: str
    entity: str
    other: str = ""
    form: str = ""
    document: str = ""
    note: str = ""

    @property
    def iri(self) -> str:
        """The decision's IRI: one per merge of two entities, or split of one form of one document,
        so the same decision made again replaces the earlier one."""
        if self.action == "merge":
            return entity_decision_iri("merge", self.entity, self.other)
        return entity_decision_iri("split", self.entity, self.form, self.document)

    @property
    def new_entity(self) -> str:
        """The IRI of the entity a split makes ("" for a merge)."""
        return split_iri(self.entity, self.form, self.document) if self.action == "split" else ""

    def describe(self) -> str:
        """One line: what the decision does.

        >>> a, b = str(POLR["person/a"]), str(POLR["person/b"])
        >>> EntityDecision("merge", "Ana", "2026-01-02T10:00:00+00:00", a, b).describe()
        'merge polr:person/b into polr:person/a'
        """
        if self.action == "merge":
            return f"merge {_short(self.other)} into {_short(self.entity)}"
        return f"split {self.form!r} of document {self.document!r} off {_short(self.entity)}"


@dataclass(frozen=True)
class EntityStale:
    """An entity decision that was not applied, and why."""

    decision: EntityDecision
    reason: str


def _short(iri: str) -> str:
    base = str(POLR)
    return "polr:" + iri[len(base):] if iri.startswith(base) else f"<{iri}>"


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def entity_decision_iri(action: str, *parts: str) -> str:
    """IRI of an entity decision: ``polr:entity-decision/<hash of the action and what it is about>``."""
    return str(POLR[f"entity-decision/{_digest(action, *parts)}"])


def split_iri(entity: str, form: str, document: str) -> str:
    """The IRI of the entity a split makes: stable, derived from the entity, the form and the document.

    >>> split_iri(str(POLR["person/sadiq-khan"]), "Mr Khan", "report-1")
    'https://w3id.org/polkg/id/person/sadiq-khan/split/doc-db70bb5d9d/mr-khan'
    """
    return f"{entity}/split/{document_scope(document)}/{slug(form)}"


# --------------------------------------------------------------------------- the curation graph


def _lit(value: str, datatype=None) -> ox.Literal:
    return ox.Literal(value, datatype=_n(datatype)) if datatype is not None else ox.Literal(value)


def _decision_triples(d: EntityDecision) -> list[ox.Triple]:
    node, agent = ox.NamedNode(d.iri), ox.NamedNode(reviewer_iri(d.reviewer))
    out = [
        ox.Triple(node, _TYPE, _MERGE if d.action == "merge" else _SPLIT),
        ox.Triple(node, _TYPE, _n(PROV.Entity)),
        ox.Triple(node, _ATTRIBUTED, agent),
        ox.Triple(agent, _TYPE, _n(PROV.Agent)),
        ox.Triple(agent, _LABEL, _lit(d.reviewer)),
        ox.Triple(node, _GENERATED, _lit(d.time, XSD.dateTime)),
    ]
    if d.action == "merge":
        out += [ox.Triple(node, _KEPT, ox.NamedNode(d.entity)), ox.Triple(node, _MERGED, ox.NamedNode(d.other))]
    else:
        out += [
            ox.Triple(node, _SPLIT_FROM, ox.NamedNode(d.entity)),
            ox.Triple(node, _FORM, _lit(d.form)),
            ox.Triple(node, _DOCUMENT, _lit(d.document)),
            ox.Triple(node, _NEW, ox.NamedNode(d.new_entity)),
        ]
    if d.note:
        out.append(ox.Triple(node, _COMMENT, _lit(d.note)))
    return out


def record_entity_decision(store: ox.Store, decision: EntityDecision) -> str:
    """Write a decision into the entity-curation graph of ``store`` (replacing one with its IRI);
    return its IRI. The caller marks the summary stale, so that the next refresh applies it."""
    if decision.action not in ("merge", "split"):
        raise UsageError(f"an entity decision is a merge or a split, not {decision.action!r}")
    node = ox.NamedNode(decision.iri)
    for q in list(store.quads_for_pattern(node, None, None, _GRAPH)):
        store.remove(q)
    store.extend(ox.Quad(t.subject, t.predicate, t.object, _GRAPH) for t in _decision_triples(decision))
    return decision.iri


def read_entity_decisions(store: ox.Store) -> list[EntityDecision]:
    """The decisions of the entity-curation graph, oldest first.

    >>> read_entity_decisions(ox.Store())
    []
    """
    by_node: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for q in store.quads_for_pattern(None, None, None, _GRAPH):
        by_node[q.subject.value][q.predicate.value].append(q.object)
    names = {s: v[_LABEL.value][0].value for s, v in by_node.items() if v.get(_LABEL.value)}
    out = []
    for props in by_node.values():
        types = props.get(_TYPE.value, [])
        if _MERGE not in types and _SPLIT not in types:
            continue

        def one(p, props=props) -> str:
            values = props.get(p.value)
            return values[0].value if values else ""

        if _MERGE in types:
            d = EntityDecision("merge", names.get(one(_ATTRIBUTED), ""), one(_GENERATED), one(_KEPT), one(_MERGED))
        else:
            d = EntityDecision(
                "split", names.get(one(_ATTRIBUTED), ""), one(_GENERATED), one(_SPLIT_FROM),
                form=one(_FORM), document=one(_DOCUMENT),
            )  # fmt: skip
        out.append(EntityDecision(**{**d.__dict__, "note": one(_COMMENT)}))
    return sorted(out, key=lambda d: (_when(d.time), d.iri))


def _when(time: str) -> datetime:
    """A decision's time, for ordering (the store may write ``Z`` for ``+00:00`` and drop trailing
    zeros of the seconds, so the text does not sort)."""
    try:
        when = datetime.fromisoformat(time.replace("Z", "+00:00"))
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


# --------------------------------------------------------------------------- finding entities


@dataclass(frozen=True)
class _Found:
    iri: str
    label: str
    kind: str


def _entities(store: ox.Store) -> dict[str, _Found]:
    kinds = {_n(t): name for name, t in KIND_TERMS.items()}
    found: dict[str, _Found] = {}
    for kind_node, name in kinds.items():
        for q in store.quads_for_pattern(None, _TYPE, kind_node, _DEFAULT):
            label = _one(store, q.subject, _LABEL)
            iri = q.subject.value
            found[iri] = _Found(iri, label.value if label is not None else iri, name)
    return found


def find_entity(store: ox.Store, name: str, *, where: str = "STORE") -> str:
    """The IRI of the entity of the merged view that ``name`` names: its IRI (in full, ``<...>``
    or ``polr:...``), its ``rdfs:label``, else one of its ``skos:altLabel`` (case ignored).

    Raises
    ------
    EntityNotFoundError
        When nothing has that IRI or name (with the closest names).
    AmbiguousActorError
        When several entities have that label (or, with no label, that alias).
    """
    wanted = name.strip()
    entities = _entities(store)
    iri = str(POLR) + wanted[5:] if wanted.startswith("polr:") else wanted.strip("<>")
    if iri in entities:
        return iri
    key = wanted.casefold()
    by_label = sorted(i for i, e in entities.items() if e.label.casefold() == key)
    by_alias = sorted(
        i for i in entities
        if any(q.object.value.casefold() == key for q in store.quads_for_pattern(ox.NamedNode(i), _ALT, None, _DEFAULT))
    )  # fmt: skip
    for found in (by_label, by_alias):
        if len(found) == 1:
            return found[0]
        if found:
            raise AmbiguousActorError(name, [entities[i] for i in found])
    known = {e.label for e in entities.values()}
    folded = {k.casefold(): k for k in known}
    close = difflib.get_close_matches(key, list(folded), n=3, cutoff=0.6) if wanted else []
    raise EntityNotFoundError(name, [folded[c] for c in close], where)


# --------------------------------------------------------------------------- the merged view


def _one(store: ox.Store, s, p):
    return next((q.object for q in store.quads_for_pattern(s, p, None, _DEFAULT)), None)


def _exists(store: ox.Store, node) -> bool:
    return any(q.object in _KINDS for q in store.quads_for_pattern(node, _TYPE, None, _DEFAULT))


def _document_node(store: ox.Store, doc_id: str):
    for q in store.quads_for_pattern(None, _IDENT, ox.Literal(doc_id), _DEFAULT):
        if ox.Quad(q.subject, _TYPE, _n(POL.Document), _DEFAULT) in store:
            return q.subject
    return None


def forms_in_document(store: ox.Store, entities: Iterable[str], doc_id: str) -> set[str]:
    """The surface forms (label and aliases) a document's graph gives any of ``entities``."""
    doc = _document_node(store, doc_id)
    if doc is None:
        return set()
    graph = ox.NamedNode(doc.value)
    return {
        q.object.value
        for e in entities
        for p in (_LABEL, _ALT)
        for q in store.quads_for_pattern(ox.NamedNode(e), p, None, graph)
    }


def _says(text: str, form: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text, re.IGNORECASE) is not None


def _recompute(store: ox.Store, s, predicates: set, rank: Callable[[str], int]) -> None:
    """The merged values of ``s``'s single-valued ``predicates`` (labels with aliases), from the
    document graphs, as a store folds documents in (the first document's value wins)."""
    recompute_merged(store, s, predicates, rank, _is_document_graph)


def _reset(store: ox.Store, nodes: set, rank: Callable[[str], int]) -> None:
    """Put back what the document graphs say of ``nodes`` (as subject or object) in the merged
    view, undoing an earlier pass."""
    for node in nodes:
        as_subject = list(store.quads_for_pattern(node, None, None, _DEFAULT))
        for q in [*as_subject, *store.quads_for_pattern(None, None, node, _DEFAULT)]:
            store.remove(q)
    single: dict = defaultdict(set)
    add: set = set()
    for node in nodes:
        for q in [*store.quads_for_pattern(node, None, None, None), *store.quads_for_pattern(None, None, node, None)]:
            if not _is_document_graph(q.graph_name):
                continue
            if q.predicate.value in _SINGLE or q.predicate == _ALT:
                single[q.subject].update((_LABEL, _ALT) if q.predicate in (_LABEL, _ALT) else (q.predicate,))
            else:
                add.add(q.triple)
    store.extend(ox.Quad(t.subject, t.predicate, t.object, _DEFAULT) for t in add)
    for s, predicates in single.items():
        _recompute(store, s, predicates, rank)


def _merge(store: ox.Store, d: EntityDecision) -> str | None:
    kept, gone = ox.NamedNode(d.entity), ox.NamedNode(d.other)
    for node in (kept, gone):
        if not _exists(store, node):
            return f"{_short(node.value)} is no longer in the store"
    label = _one(store, kept, _LABEL)
    for q in list(store.quads_for_pattern(gone, None, None, _DEFAULT)):
        store.remove(q)
        p, o = q.predicate, q.object
        if p == _TYPE:
            continue  # the kept entity keeps its class
        if p in (_LABEL, _ALT):
            if o != label:
                store.add(ox.Quad(kept, _ALT, o, _DEFAULT))
            continue
        if p.value in _SINGLE and _one(store, kept, p) is not None:
            continue
        o = kept if o == gone else o
        if o == kept and p in _TRUTHY:
            continue
        store.add(ox.Quad(kept, p, o, _DEFAULT))
    for q in list(store.quads_for_pattern(None, None, gone, _DEFAULT)):
        store.remove(q)
        if q.subject == kept and q.predicate in _TRUTHY:
            continue  # an edge between the two: one entity now
        store.add(ox.Quad(q.subject, q.predicate, kept, _DEFAULT))
    store.add(ox.Quad(kept, _CURATED, ox.NamedNode(d.iri), _DEFAULT))
    return None


def _split(store: ox.Store, d: EntityDecision, sources: set[str]) -> str | None:
    entity, new = ox.NamedNode(d.entity), ox.NamedNode(d.new_entity)
    if not _exists(store, entity):
        return f"{_short(d.entity)} is no longer in the store"
    doc = _document_node(store, d.document)
    if doc is None:
        return f"document {d.document!r} is no longer in the store"
    forms = {f.casefold() for f in forms_in_document(store, sources, d.document)}
    if d.form.casefold() not in forms:
        return f"document {d.document!r} no longer names {_short(d.entity)} {d.form!r}"
    only = len(forms) == 1
    moved = []
    for role in (_ACTOR, _RECIPIENT):
        for q in store.quads_for_pattern(None, role, entity, _DEFAULT):
            sentences = [
                s.object for s in store.quads_for_pattern(q.subject, _DERIVED, None, _DEFAULT)
                if ox.Quad(s.object, _IN_DOC, doc, _DEFAULT) in store
            ]  # fmt: skip
            if sentences and (only or any(_says(t.value, d.form) for s in sentences if (t := _one(store, s, _TEXT)))):
                moved.append(q.subject)
    node = ox.NamedNode(d.iri)
    for q in list(store.quads_for_pattern(entity, _TYPE, None, _DEFAULT)):
        store.add(ox.Quad(new, _TYPE, q.object, _DEFAULT))
    store.add(ox.Quad(new, _LABEL, ox.Literal(d.form), _DEFAULT))
    store.add(ox.Quad(new, _CURATED, node, _DEFAULT))
    store.add(ox.Quad(entity, _CURATED, node, _DEFAULT))
    before: set = set()
    for event in set(moved):
        before |= _truthy_pairs(store, event)
        for role in (_ACTOR, _RECIPIENT):
            if ox.Quad(event, role, entity, _DEFAULT) in store:
                store.remove(ox.Quad(event, role, entity, _DEFAULT))
                store.add(ox.Quad(event, role, new, _DEFAULT))
        store.remove(ox.Quad(entity, _PART, event, _DEFAULT))
        store.add(ox.Quad(new, _PART, event, _DEFAULT))
    after: set = set()
    for event in set(moved):
        after |= _truthy_pairs(store, event)
    for edge in before - after:
        if not _supported(store, edge):
            store.remove(ox.Quad(*edge, _DEFAULT))
    for edge in after:
        store.add(ox.Quad(*edge, _DEFAULT))
    elsewhere = any(
        q.object.value.casefold() == d.form.casefold()
        and _is_document_graph(q.graph_name)
        and q.graph_name.value != doc.value
        for s in sources
        for p in (_LABEL, _ALT)
        for q in store.quads_for_pattern(ox.NamedNode(s), p, None, None)
    )  # fmt: skip
    if not elsewhere:
        for q in list(store.quads_for_pattern(entity, _ALT, None, _DEFAULT)):
            if q.object.value.casefold() == d.form.casefold():
                store.remove(q)
    return None


def apply_entity_decisions(
    store: ox.Store, *, order: Mapping[str, int] | Callable[[str], int] | None = None
) -> list[EntityStale]:
    """Bring the merged view of ``store`` in line with its entity decisions; return the stale ones.

    Parameters
    ----------
    store
        A store's pyoxigraph Store (``GraphStore.oxigraph``).
    order
        A document graph's position in the order documents were added (whose single-valued
        values are put back first); by default graph IRI order.

    Returns
    -------
    list of EntityStale
        The decisions not applied (an entity, the document or the form is gone), with why.

    Examples
    --------
    >>> apply_entity_decisions(ox.Store())
    []
    """
    decisions = read_entity_decisions(store)
    if not decisions:
        return []
    rank = ranking(order)
    touched = {ox.NamedNode(i) for d in decisions for i in (d.entity, d.other, d.new_entity) if i}
    _reset(store, touched, rank)
    stale: list[EntityStale] = []
    into: dict[str, str] = {}  # an entity merged away -> the entity it is part of now
    for d in decisions:
        if d.action == "merge":
            why = _merge(store, d)
            if why is None:
                into[d.other] = d.entity
                for gone, kept in list(into.items()):
                    if kept == d.other:
                        into[gone] = d.entity
        else:
            why = _split(store, d, {d.entity} | {g for g, k in into.items() if k == d.entity})
        if why is not None:
            stale.append(EntityStale(d, why))
    if stale:
        shown = "; ".join(f"{s.decision.describe()}: {s.reason}" for s in stale[:3])
        log.info(
            "%d entity decision(s) are stale and were not applied: %s%s",
            len(stale), shown, " ..." if len(stale) > 3 else "",
        )  # fmt: skip
    return stale


def curated_reasons(store: ox.Store) -> dict[str, str]:
    """Entity IRI -> the curated decision that shaped it, for ``kg entities``: "curated merge by
    NAME on DATE" (the kept entity), "curated split by NAME on DATE" (the new entity, and the one
    split). Only decisions the merged view shows (not stale ones)."""
    reasons: dict[str, list[str]] = defaultdict(list)
    for d in read_entity_decisions(store):
        node = ox.NamedNode(d.iri)
        when = d.time[:10]
        if d.action == "merge":
            if ox.Quad(ox.NamedNode(d.entity), _CURATED, node, _DEFAULT) in store:
                reasons[d.entity].append(f"curated merge by {d.reviewer} on {when} (of {_short(d.other)})")
        elif ox.Quad(ox.NamedNode(d.new_entity), _CURATED, node, _DEFAULT) in store:
            reasons[d.new_entity].append(
                f"curated split by {d.reviewer} on {when} ({d.form!r} in {d.document}, from {_short(d.entity)})"
            )
            reasons[d.entity].append(f"curated split by {d.reviewer} on {when} ({d.form!r} in {d.document} split off)")
    return {iri: "; ".join(parts) for iri, parts in reasons.items()}


def _shown(store: ox.Store, d: EntityDecision) -> bool:
    """Whether the merged view shows the decision (the last pass applied it)."""
    target = d.entity if d.action == "merge" else d.new_entity
    return ox.Quad(ox.NamedNode(target), _CURATED, ox.NamedNode(d.iri), _DEFAULT) in store


def merged_into(store: ox.Store) -> dict[str, str]:
    """Entity IRI -> the entity the merged view folded it into, by the merges it shows."""
    into: dict[str, str] = {}
    for d in read_entity_decisions(store):
        if d.action == "merge" and _shown(store, d):
            into[d.other] = d.entity
            for gone, kept in list(into.items()):
                if kept == d.other:
                    into[gone] = d.entity
    return into


def unapplied(store: ox.Store) -> list[EntityStale]:
    """The decisions the merged view does not show (stale at the last refresh), with why, as
    far as the merged view tells now: for a store opened read-only, which cannot re-apply them.
    """
    stale = []
    for d in read_entity_decisions(store):
        if _shown(store, d):
            continue
        gone = [i for i in (d.entity, d.other) if i and not _exists(store, ox.NamedNode(i))]
        if gone:
            why = f"{_short(gone[0])} is no longer in the store"
        elif d.action == "split" and _document_node(store, d.document) is None:
            why = f"document {d.document!r} is no longer in the store"
        elif d.action == "split":
            why = f"document {d.document!r} no longer names {_short(d.entity)} {d.form!r}"
        else:
            why = "not applied yet (open the store for writing once)"
        stale.append(EntityStale(d, why))
    return stale
