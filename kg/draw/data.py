"""What the explorer page shows, computed in Python: its nodes (sized, folded into states,
placed by :mod:`~kg.draw.layout`), its events and links, its filters' choices."""

from __future__ import annotations

import calendar
import math
import re
from collections import defaultdict
from dataclasses import dataclass

import networkx as nx
from rdflib import Graph

from ..analysis.network import actor_network
from ..analysis.states import entity_states
from ..model import FACT_MODALITIES, MODALITIES
from ..vocab import EVENT_TYPES, QUAD_COLOURS
from .layout import group_layout

#: Fill colour of a node, by entity class.
NODE_COLOURS: dict[str, str] = {
    "Person": "#9467bd",
    "Country": "#e8b51d",
    "Government": "#17becf",
    "Organization": "#8c564b",
    "Military": "#55693a",
    "Group": "#e377c2",
    "Location": "#a3a35c",
}
_OTHER_COLOUR = "#c7c7c7"

#: vis-network shape of a node, by entity class (other classes: ``"dot"``).
NODE_SHAPES: dict[str, str] = {
    "Person": "dot",
    "Country": "square",
    "Government": "diamond",
    "Organization": "hexagon",
    "Military": "triangle",
    "Group": "triangleDown",
    "Location": "star",
}

#: The same shapes as small SVG paths for the legend, in a 14 x 14 box centred on 0.
_SHAPE_PATHS: dict[str, str] = {
    "dot": "M-6,0a6,6 0 1,0 12,0a6,6 0 1,0 -12,0z",
    "square": "M-5.5,-5.5h11v11h-11z",
    "diamond": "M0,-7L7,0L0,7L-7,0z",
    "hexagon": "M-6,0L-3,-5.2L3,-5.2L6,0L3,5.2L-3,5.2z",
    "triangle": "M0,-6.5L6.5,5L-6.5,5z",
    "triangleDown": "M0,6.5L6.5,-5L-6.5,-5z",
    "star": "M0,-7L1.8,-2.2L6.7,-2.2L2.8,0.9L4.2,5.7L0,2.8L-4.2,5.7L-2.8,0.9L-6.7,-2.2L-1.8,-2.2z",
}

#: Colour of hypothetical and negated edges (drawn dashed, hidden until asked for).
UNCERTAIN_COLOUR = "#9a9a9a"

#: Modalities of events that did not (or may not) happen.
UNCERTAIN_MODALITIES = frozenset(MODALITIES) - set(FACT_MODALITIES)

#: Event types drawn without an arrow whatever their parties' roles.
UNDIRECTED_TYPES = frozenset({"CONSULT"})

_QUAD_NAMES = {
    "verbal-cooperation": "verbal cooperation",
    "material-cooperation": "material cooperation",
    "verbal-conflict": "verbal conflict",
    "material-conflict": "material conflict",
}
_MAX_ALIASES = 8
_MAX_TEXT = 300
_MAX_PANEL_TEXT = 1500  # characters of a sentence in the side panel
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_MIN_SIZE, _MAX_SIZE = 6.0, 30.0  # node radius in pixels: 6 + 3 * sqrt(events), at most 30
_STATE_VIEW_FROM = 150  # pages with more linked entities than this open in the state view
_VIS_DIR = ("templates", "lib", "vis-9.1.2")


@dataclass(frozen=True)
class PageContent:
    """What the page shows: the fields its template is filled with, and the counts
    :class:`~kg.draw.DrawSummary` reports (linked entities, linked pairs, entities cut)."""

    fields: dict
    nodes: int
    edges: int
    hidden_nodes: int


def page_content(graph: Graph, *, title: str, max_nodes: int, seed: int) -> PageContent:
    """The nodes, events and filter choices of the page for ``graph``, placed and folded."""
    if max_nodes < 1:
        raise ValueError(f"max_nodes must be at least 1, not {max_nodes}")
    actors = actor_network(graph)
    ranked = sorted(actors.nodes, key=lambda n: (-actors.nodes[n]["events"], actors.nodes[n]["label"], n))
    kept = ranked[:max_nodes]
    index = {iri: i for i, iri in enumerate(kept)}
    roles = _role_counts(actors.graph["events"])
    events, sentences = _page_events(actors, index)
    pairs = _pair_counts(events)
    linked = {i for pair in pairs for i in pair}
    states = entity_states(graph, {iri: actors.nodes[iri] for iri in kept})
    state = [index.get(states.get(iri, ""), -1) for iri in kept]
    sizes = [_node_size(actors.nodes[iri]["events"]) for iri in kept]
    positions = group_layout(sizes, state, pairs, seed=seed)
    compact = _state_positions(events, state, sizes, positions, seed)

    members: dict[int, list[int]] = defaultdict(list)
    for i, s in enumerate(state):
        if s >= 0:
            members[s].append(i)
    nodes = []
    for i, iri in enumerate(kept):
        data = actors.nodes[iri]
        as_actor, as_recipient = roles.get(iri, (0, 0))
        partners = len((set(actors.successors(iri)) | set(actors.predecessors(iri))) - {iri})
        nodes.append(
            {
                "id": i,
                "name": data["label"],
                "shape": NODE_SHAPES.get(data["kind"], "dot"),
                "color": NODE_COLOURS.get(data["kind"], _OTHER_COLOUR),
                "size": sizes[i],
                "title": _node_tooltip(data, as_actor, as_recipient, partners),
                "x": positions[i][0],
                "y": positions[i][1],
                "sx": compact[i][0],
                "sy": compact[i][1],
                "iri": iri,
                "kind": data["kind"],
                "country": data["country"],
                "role": _clip(data["role"], 120),
                "events": data["events"],
                "asActor": as_actor,
                "asRecipient": as_recipient,
                "partners": partners,
                "aliases": list(data["aliases"]),
                "state": state[i],
                "members": members.get(i, []),
                "linked": i in linked,
            }
        )
    folded = sum(1 for s in state if s >= 0)
    view = "state" if folded and len(linked) > _STATE_VIEW_FROM else "entity"
    hidden_nodes = len(ranked) - len(kept)
    uncertain = sum(1 for ev in events if ev["uncertain"])
    fields = dict(
        title=title,
        data={
            "nodes": nodes,
            "events": events,
            "sentences": sentences,
            "options": _vis_options(len(kept), seed),
            "view": view,
            "states": bool(folded),
            "uncertainColour": UNCERTAIN_COLOUR,
        },
        summary=_summary_text(len(kept), len(ranked), len(pairs), uncertain),
        empty=not pairs,
        types=_type_counts(events),
        dates=sorted(ev["lo"] for ev in events if ev["lo"])[:1] + sorted(ev["hi"] for ev in events if ev["hi"])[-1:],
        kinds=_kind_counts(nodes),
        countries=_country_options(nodes),
    )
    return PageContent(fields=fields, nodes=len(linked), edges=len(pairs), hidden_nodes=hidden_nodes)


def _state_positions(
    events: list[dict], state: list[int], sizes: list[float], positions: list[tuple[int, int]], seed: int
) -> list[tuple[int, int]]:
    """Positions in the state view: the state nodes laid out by themselves, tighter than the entity
    view (which leaves room around each country for its parts); a state's parts keep their place
    relative to their country, so expanding a state shows them as the entity view does."""
    if all(s < 0 for s in state):
        return positions  # no state has parts: the two views are the same
    centre = [s if s >= 0 else i for i, s in enumerate(state)]
    folded: dict[int, set[int]] = defaultdict(set)
    pairs: dict[tuple[int, int], int] = defaultdict(int)
    for k, event in enumerate(events):
        for node in event["nodes"]:
            folded[centre[node]].add(k)
        for a, b in _event_pairs(event["a"], event["r"]):
            ca, cb = centre[a], centre[b]
            if ca != cb:
                pairs[(min(ca, cb), max(ca, cb))] += 1
    has_parts = set(s for s in state if s >= 0)
    state_sizes = [_state_size(len(folded[i])) if i in has_parts else sizes[i] for i in range(len(state))]
    places = group_layout(state_sizes, [-1] * len(state), dict(pairs), seed=seed)
    out = []
    for i, c in enumerate(centre):
        x, y = places[c]
        out.append((x + positions[i][0] - positions[c][0], y + positions[i][1] - positions[c][1]))
    return out


def _state_size(events: int) -> float:
    """Radius of a state node in pixels (as the page computes it): grows with its events, capped at 40."""
    return min(8 + 3 * math.sqrt(events), 40.0)


def _node_size(events: int) -> float:
    """Radius in pixels: grows with the square root of the entity's events, capped."""
    return round(min(_MIN_SIZE + 3 * math.sqrt(events), _MAX_SIZE), 1)


def _pair_counts(events: list[dict]) -> dict[tuple[int, int], int]:
    """(low id, high id) -> number of events that link the two drawn entities, any type or modality."""
    out: dict[tuple[int, int], int] = defaultdict(int)
    for event in events:
        for a, b in _event_pairs(event["a"], event["r"]):
            out[(min(a, b), max(a, b))] += 1
    return dict(out)


def _event_pairs(actors: list[int], recipients: list[int]) -> list[tuple[int, int]]:
    """The links an event makes: actor to recipient, or between its actors when it has no recipient."""
    if recipients:
        return [(a, r) for a in actors for r in recipients if a != r]
    return [(a, b) for i, a in enumerate(actors) for b in actors[i + 1 :] if a != b]


def _role_counts(events: dict[str, dict]) -> dict[str, tuple[int, int]]:
    """Per entity, in how many events it is an actor and in how many a recipient."""
    as_actor: dict[str, int] = defaultdict(int)
    as_recipient: dict[str, int] = defaultdict(int)
    for event in events.values():
        for party in set(event["actors"]):
            as_actor[party] += 1
        for party in set(event["recipients"]):
            as_recipient[party] += 1
    return {p: (as_actor.get(p, 0), as_recipient.get(p, 0)) for p in set(as_actor) | set(as_recipient)}


def _date_span(date: str) -> tuple[str, str]:
    """First and last day that an ISO date, year-month or year covers; empty strings if not a date."""
    match = _DATE.match(date)
    if match is None:
        return "", ""
    year, month, day = match.groups()
    if day:
        return date, date
    if month:
        if not 1 <= int(month) <= 12:
            return "", ""
        last = calendar.monthrange(int(year), int(month))[1]
        return f"{year}-{month}-01", f"{year}-{month}-{last:02}"
    return f"{year}-01-01", f"{year}-12-31"


def _page_events(actors: nx.MultiDiGraph, index: dict[str, int]) -> tuple[list[dict], list[dict]]:
    """The events with a drawn party, in time order, and their sentences.

    An event is ``{"type", "modality", "uncertain", "directed", "quad", "color", "date", "lo",
    "hi", "actors", "recipients", "a", "r", "nodes", "sentences"}``: ``actors`` and
    ``recipients`` are labels (drawn or not), ``a`` and ``r`` the drawn actors' and
    recipients' node ids, ``nodes`` all drawn parties' ids, ``sentences`` indices into the
    sentence list, ``lo`` and ``hi`` the first and last day its date covers (empty when
    undated). ``directed``: it has a recipient and a type that is not undirected.
    """
    chosen = []
    for iri, event in actors.graph["events"].items():
        parties = [p for p in dict.fromkeys(event["actors"] + event["recipients"]) if p in index]
        if parties:
            doc = event["sentences"][0]["doc"] if event["sentences"] else ""
            chosen.append(
                (
                    (event["date"] == "", event["date"], doc, event["start"], event["type"], event["modality"], iri),
                    event,
                    parties,
                )
            )
    chosen.sort(key=lambda item: item[0])
    sentence_ids: dict[tuple[str, str, str, str], int] = {}
    sentences: list[dict] = []
    events: list[dict] = []
    for _key, event, parties in chosen:
        ids: list[int] = []
        for s in event["sentences"]:
            key = (s["text"], s["doc"], s["title"], s["date"])
            if key not in sentence_ids:
                sentence_ids[key] = len(sentences)
                sentences.append(
                    {
                        "text": _clip(s["text"], _MAX_PANEL_TEXT),
                        "doc": _clip(s["doc"], 200),
                        "title": _clip(s["title"], 200),
                        "date": s["date"],
                    }
                )
            if sentence_ids[key] not in ids:
                ids.append(sentence_ids[key])
        uncertain = event["modality"] in UNCERTAIN_MODALITIES
        lo, hi = _date_span(event["date"])
        events.append(
            {
                "type": event["type"],
                "modality": event["modality"],
                "uncertain": uncertain,
                "directed": bool(event["recipients"]) and event["type"] not in UNDIRECTED_TYPES,
                "quad": event["quad"],
                "color": UNCERTAIN_COLOUR if uncertain else QUAD_COLOURS.get(event["quad"], _OTHER_COLOUR),
                "date": event["date"],
                "lo": lo,
                "hi": hi,
                "actors": [_clip(actors.nodes[a]["label"], 120) for a in event["actors"]],
                "recipients": [_clip(actors.nodes[r]["label"], 120) for r in event["recipients"]],
                "a": [index[p] for p in dict.fromkeys(event["actors"]) if p in index],
                "r": [index[p] for p in dict.fromkeys(event["recipients"]) if p in index],
                "nodes": [index[p] for p in parties],
                "sentences": ids,
            }
        )
    return events, sentences


def _type_counts(events: list[dict]) -> list[tuple[str, int]]:
    """(event type, number of events) of the types on the page, in PLOVER's order."""
    counts: dict[str, int] = defaultdict(int)
    for event in events:
        counts[event["type"]] += 1
    order = {name: i for i, name in enumerate(EVENT_TYPES)}
    return sorted(counts.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))



def _clip(text: str, size: int = _MAX_TEXT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def _node_tooltip(data: dict, as_actor: int = 0, as_recipient: int = 0, partners: int = 0) -> str:
    lines = [_clip(data["label"]), data["kind"]]
    aliases = data["aliases"]
    if aliases:
        shown = ", ".join(_clip(a, 80) for a in aliases[:_MAX_ALIASES])
        more = f" (+{len(aliases) - _MAX_ALIASES} more)" if len(aliases) > _MAX_ALIASES else ""
        lines.append(f"Also: {shown}{more}")
    if data["country"]:
        lines.append(f"Country: {data['country']}")
    if data["role"]:
        lines.append(f"Role: {_clip(data['role'], 120)}")
    events = data["events"]
    roles = [f"{n} as {role}" for n, role in ((as_actor, "actor"), (as_recipient, "recipient")) if n]
    line = f"{events} event" + ("" if events == 1 else "s") + (f" ({', '.join(roles)})" if roles else "")
    if partners:
        line += f", with {partners} other entit" + ("y" if partners == 1 else "ies")
    lines.append(line)
    return "\n".join(lines)


def _vis_options(n: int, seed: int) -> dict:
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": seed},
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": n > 300,
            "multiselect": False,
        },
        "nodes": {"shape": "dot", "borderWidth": 1, "color": {"border": "#555555"}},
        "edges": {
            "smooth": False,
            "selectionWidth": 2,
            "arrows": {"to": {"scaleFactor": 0.5}, "from": {"scaleFactor": 0.5}},
        },
    }


def _summary_text(shown: int, total: int, links: int, uncertain: int) -> str:
    if total == 0 or links == 0:
        return "No events in this graph."
    if shown < total:
        parts = [f"showing {shown:,} of {total:,} entities (those in most events)"]
    else:
        parts = [f"{total:,} entit{'y' if total == 1 else 'ies'}"]
    if uncertain:
        parts.append(f"{uncertain:,} hypothetical/negated events")
    return ", ".join(parts)


def _kind_counts(nodes: list[dict]) -> list[tuple[str, int]]:
    """(class, number of linked entities) of the classes on the page, in the legend's order."""
    counts: dict[str, int] = defaultdict(int)
    for node in nodes:
        if node["linked"]:
            counts[node["kind"]] += 1
    order = {kind: i for i, kind in enumerate(NODE_COLOURS)}
    return sorted(counts.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))


def _country_options(nodes: list[dict]) -> list[tuple[str, str]]:
    """(code, name) of the countries of the page's entities, by name: a country node's label, else the code."""
    names: dict[str, str] = {}
    for node in nodes:
        if node["kind"] == "Country" and node["country"]:
            names.setdefault(node["country"], node["name"])
    codes = {node["country"] for node in nodes if node["country"] and (node["linked"] or node["members"])}
    return sorted(((code, names.get(code, code)) for code in codes), key=lambda item: (item[1].lower(), item[0]))
