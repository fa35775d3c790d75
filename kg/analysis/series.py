"""Monthly series of a graph's events: the conflict-cooperation balance between actors and
events by type, each in the month of its date; what ``kg plot`` draws."""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass

import networkx as nx
from rdflib import Graph, URIRef

from ..errors import UsageError
from ..vocab import EVENT_TYPES, POL
from .network import actor_network
from .states import state_members, state_of
from .stats import _TYPE_ORDER, COUNTED_MODALITIES, QUAD_CLASSES, Actor, _actor, _counted_events, _find

log = logging.getLogger(__name__)

_MONTH = re.compile(r"^(\d{4})-(\d{2})(?:$|-)")

__all__ = ["MonthlyBalance", "MonthlyActivity", "monthly_balance", "monthly_activity", "event_month"]


@dataclass(frozen=True)
class MonthlyBalance:
    """Monthly conflict–cooperation balance of one actor, or of a pair of actors.

    Attributes
    ----------
    actor, other
        The actor, and the other one (None: events with anyone).
    months
        ``YYYY-MM``, every month from the first to the last dated event (empty months
        included, so that the axis is time).
    balance
        Per month, the sum of the events' ``pol:score`` (PLOVER: cooperation positive,
        conflict negative).
    counts
        Quad class -> events per month, for the four classes of :data:`QUAD_CLASSES`.
    events
        Dated events counted.
    undated
        Events that would count but have no month (no date, or only a year): left out.
    modalities
        The modalities counted: asserted and intended events only.
    actor_parts, other_parts
        How many entities each side stands for besides itself: the parts of a state
        (``pol:state``) when the side is taken as a state, else 0.
    """

    actor: Actor
    other: Actor | None
    months: tuple[str, ...]
    balance: tuple[float, ...]
    counts: dict[str, tuple[int, ...]]
    events: int
    undated: int
    modalities: tuple[str, ...] = COUNTED_MODALITIES
    actor_parts: int = 0
    other_parts: int = 0


@dataclass(frozen=True)
class MonthlyActivity:
    """Events by PLOVER type and month.

    Attributes
    ----------
    months
        ``YYYY-MM``, every month from the first to the last dated event.
    counts
        PLOVER type -> events per month; only types that occur, in PLOVER order.
    events, undated, modalities
        As in :class:`MonthlyBalance`.
    """

    months: tuple[str, ...]
    counts: dict[str, tuple[int, ...]]
    events: int
    undated: int
    modalities: tuple[str, ...] = COUNTED_MODALITIES


def event_month(date: str) -> str | None:
    """The ``YYYY-MM`` month of a date (``YYYY-MM-DD``, ``YYYY-MM``, a date-time); None for a year or nothing.

    >>> event_month("2025-03-05"), event_month("2025-03"), event_month("2025"), event_month("")
    ('2025-03', '2025-03', None, None)
    """
    m = _MONTH.match(date.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        return None
    return f"{m.group(1)}-{m.group(2)}"


def _month_range(months: set[str]) -> tuple[str, ...]:
    if not months:
        return ()
    first, last = min(months), max(months)
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while True:
        current = f"{year:04d}-{month:02d}"
        out.append(current)
        if current >= last:
            return tuple(out)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _score(graph: Graph, event: str, etype: str) -> float:
    value = graph.value(URIRef(event), POL.score)
    if value is not None:
        try:
            return float(value)
        except (TypeError, ValueError):
            log.warning("event %s: pol:score %r is not a number; using its type's score", event, str(value))
    known = EVENT_TYPES.get(etype)
    return known.score if known else 0.0


def _side(graph: Graph, net: nx.MultiDiGraph, found: Actor, *, by_state: bool, exact: bool) -> tuple[Actor, set[str]]:
    """The actor a name stands for and the nodes it takes in: a country is the state with its
    parts unless ``exact``; with ``by_state``, any entity is its state with the state's parts."""
    if exact:
        return found, {found.iri}
    state = state_of(graph, found.iri) if by_state or found.kind == "Country" else None
    if state is None:
        return found, {found.iri}
    members = set(state_members(graph, state)) & set(net)
    return (_actor(net, state) if state in net else found), members | {found.iri}


def monthly_balance(
    graph: Graph, actor: str, other: str | None = None, *, by_state: bool = False, exact: bool = False
) -> MonthlyBalance:
    """The conflict–cooperation balance by month between two actors, or of one actor with everyone.

    An event counts when it is asserted or intended, and ``actor`` takes part in it (as
    actor or recipient); with ``other``, when the two are linked by it (one acts on the
    other, or both act together, as in "A and B met"). Its month is its ``pol:date``,
    else its document's ``dcterms:date``; events without a month are counted in
    ``undated`` and left out.

    Parameters
    ----------
    graph
        A graph in the shape of the RDF contract.
    actor, other
        Labels, aliases or IRIs, as for :func:`find_actor`. A country stands for its state:
        the country node and every entity whose ``pol:state`` it is (its government, army,
        office holders, groups of its citizens).
    by_state
        Take any actor as its state with all the state's parts ("Vladimir Putin" as Russia).
    exact
        Take each actor as the one node it names, a country without its parts.

    Returns
    -------
    MonthlyBalance

    Raises
    ------
    ActorNotFoundError, AmbiguousActorError
        When a name fits no entity, or several.

    Examples
    --------
    >>> from kg.graph import build_graph
    >>> from kg.model import Document, DocumentExtraction, Entity, Event, Sentence
    >>> atl, bor = Entity("country/ATL", "Atlantis", "Country"), Entity("country/BOR", "Borduria", "Country")
    >>> s1 = Sentence("d1", 0, 26, "Atlantis accused Borduria.")
    >>> s2 = Sentence("d1", 27, 57, "Atlantis and Borduria met.")
    >>> x = DocumentExtraction(Document("d1", "", date="2025-03-05"), (s1, s2), (atl, bor), (), (
    ...     Event("ACCUSE", (atl.key,), (bor.key,), "Asserted", "accused", s1),
    ...     Event("CONSULT", (atl.key, bor.key), (), "Asserted", "met", s2, date="2025-04-01")))
    >>> b = monthly_balance(build_graph([x]), "Atlantis", "Borduria")
    >>> b.months, b.balance, b.counts["verbal-conflict"]
    (('2025-03', '2025-04'), (-3.0, 2.5), (1, 0))
    """
    if by_state and exact:
        raise UsageError("--by-state and --exact ask for opposite things; give one of them")
    net = actor_network(graph)
    first, ones = _side(graph, net, _find(net, actor), by_state=by_state, exact=exact)
    second, others = None, set()
    if other is not None:
        second, others = _side(graph, net, _find(net, other), by_state=by_state, exact=exact)
    if second is not None and second.iri == first.iri:
        raise UsageError(f"{actor!r} and {other!r} are the same actor ({first.label}); give two different actors")
    if second is not None and ones & others:
        raise UsageError(
            f"{actor!r} and {other!r} overlap: a state takes in its parts ({first.label}: {len(ones)} entities, "
            f"{second.label}: {len(others)}); give two different states, or --exact for the entities alone"
        )
    totals: dict[str, float] = Counter()
    quads: dict[str, Counter[str]] = {q: Counter() for q in QUAD_CLASSES}
    counted = undated = 0
    for iri, event in _counted_events(net):
        if second is None:
            if ones.isdisjoint(event["actors"]) and ones.isdisjoint(event["recipients"]):
                continue
        elif not any(a in ones and r in others or a in others and r in ones for a, r, _ in event["edges"]):
            continue
        month = event_month(event["date"])
        if month is None:
            undated += 1
            continue
        counted += 1
        totals[month] += _score(graph, iri, event["type"])
        quads.setdefault(event["quad"] or "(no quad class)", Counter())[month] += 1
    months = _month_range(set(totals))
    return MonthlyBalance(
        actor=first,
        other=second,
        months=months,
        balance=tuple(float(totals.get(m, 0.0)) for m in months),
        counts={q: tuple(c[m] for m in months) for q, c in quads.items()},
        events=counted,
        undated=undated,
        actor_parts=len(ones) - 1,
        other_parts=len(others) - 1 if second is not None else 0,
    )


def monthly_activity(graph: Graph) -> MonthlyActivity:
    """Asserted and intended events by PLOVER type and month.

    The month of an event is its ``pol:date``, else its document's ``dcterms:date``;
    events without a month are counted in ``undated`` and left out.

    Parameters
    ----------
    graph
        A graph in the shape of the RDF contract.

    Returns
    -------
    MonthlyActivity

    Examples
    --------
    >>> from kg.graph import build_graph
    >>> activity = monthly_activity(build_graph([]))
    >>> activity.months, activity.counts, activity.events, activity.undated
    ((), {}, 0, 0)
    """
    net = actor_network(graph)
    by_type: dict[str, Counter[str]] = {}
    counted = undated = 0
    for _, event in _counted_events(net):
        month = event_month(event["date"])
        if month is None:
            undated += 1
            continue
        counted += 1
        by_type.setdefault(event["type"], Counter())[month] += 1
    months = _month_range({m for c in by_type.values() for m in c})
    order = sorted(by_type, key=lambda t: (_TYPE_ORDER.get(t, len(_TYPE_ORDER)), t))
    return MonthlyActivity(
        months=months,
        counts={t: tuple(by_type[t][m] for m in months) for t in order},
        events=counted,
        undated=undated,
    )
