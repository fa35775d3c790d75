"""The draw stage: the actor network as one offline, self-contained, interactive HTML page.

Nodes are the graph's entities, coloured and shaped by class and sized by how many events
they take part in; edges are one per (actor, recipient, event type, modality), coloured by
PLOVER quad class. The page filters links by event type and date, finds an entity by name,
re-runs the layout on demand (a short physics run that then stops) and, on a click, lists an
entity's or a link's events in time order with their sentences.

pyvis builds the vis-network node and edge records; the page around them is kg's own,
because pyvis 0.3.2's template loads bootstrap from a CDN in every mode and can switch to a
tooltip that assigns document text with ``innerHTML``. Here vis-network's JavaScript and CSS
are inlined, every piece of document text travels as escaped JSON in a non-executed
``application/json`` block, the page's script puts it into the page with ``textContent``
only, and a Content-Security-Policy lets only the page's own two scripts run and nothing
load from anywhere.

Positions are computed in Python with a seeded layout and vis physics is off, so a page
with hundreds of nodes opens at once, and the same graph always gives the same bytes.
"""

from __future__ import annotations

import base64
import calendar
import hashlib
import html
import json
import logging
import math
import os
import re
import secrets
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
from pyvis.network import Network
from rdflib import Graph

from .errors import OutputError
from .model import FACT_MODALITIES, MODALITIES
from .network import actor_network
from .vocab import EVENT_TYPES, POL, RDF

__all__ = [
    "DrawSummary",
    "draw_html",
    "render_html",
    "NODE_COLOURS",
    "NODE_SHAPES",
    "QUAD_COLOURS",
    "UNCERTAIN_COLOUR",
    "UNCERTAIN_MODALITIES",
    "UNDIRECTED_TYPES",
]

log = logging.getLogger(__name__)

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

#: Colour of an edge, by PLOVER quad class of its event type.
QUAD_COLOURS: dict[str, str] = {
    "verbal-cooperation": "#2ca02c",
    "material-cooperation": "#1f77b4",
    "verbal-conflict": "#ff7f0e",
    "material-conflict": "#d62728",
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
_MAX_SENTENCES = 5
_MAX_ALIASES = 8
_MAX_TEXT = 300
_MAX_PANEL_TEXT = 1500  # characters of a sentence in the side panel
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_SPRING_LIMIT = 500  # networkx's spring_layout needs scipy from this size on
_NODE_SPACING = 60.0  # radius of a component's drawing, in pixels per square root of its nodes
_PAD = 45.0  # pixels around each component's drawing
_VIS_DIR = ("templates", "lib", "vis-9.1.2")


@dataclass(frozen=True)
class DrawSummary:
    """What :func:`draw_html` wrote: the file, how many nodes and edges it shows, how many it cut."""

    path: Path
    nodes: int
    edges: int
    hidden_nodes: int


@dataclass(frozen=True)
class _Page:
    html: str
    nodes: int
    edges: int
    hidden_nodes: int


def render_html(
    graph: Graph,
    *,
    title: str = "Political event graph",
    max_nodes: int = 500,
    seed: int = 7,
) -> str:
    """The actor network of ``graph`` as one self-contained interactive HTML page.

    Parameters
    ----------
    graph
        A graph in the shape of the RDF contract.
    title
        Heading and window title of the page (shown as text, never as HTML).
    max_nodes
        Show at most this many entities: the ones in most events (ties by label). The page
        says "showing N of M entities" when it cuts.
    seed
        Seed of the layout: the same graph and seed give the same page, byte for byte.

    Returns
    -------
    str
        The HTML page. It loads nothing from the network: vis-network is inlined.

    Raises
    ------
    ValueError
        When ``max_nodes`` is less than 1.

    See Also
    --------
    draw_html : write the page to a file.
    kg.network.actor_network : the nodes and edges drawn.

    Examples
    --------
    >>> from kg.graph import build_graph
    >>> page = render_html(build_graph([]))
    >>> page.startswith("<!DOCTYPE html>"), "No events" in page
    (True, True)
    """
    return _render_page(graph, title=title, max_nodes=max_nodes, seed=seed).html


def draw_html(
    graph: Graph,
    path: str | os.PathLike,
    *,
    title: str = "Political event graph",
    max_nodes: int = 500,
    seed: int = 7,
) -> DrawSummary:
    """Write the actor network of ``graph`` to ``path`` as an offline interactive HTML page.

    The page is rendered in full first, then written to a temporary file next to ``path``
    and moved over it in one step: a failure leaves any earlier file at ``path`` intact.

    Parameters
    ----------
    graph
        A graph in the shape of the RDF contract.
    path
        The HTML file to write; its directory must exist.
    title, max_nodes, seed
        As in :func:`render_html`.

    Returns
    -------
    DrawSummary
        The path written, the number of nodes and edges drawn, and how many entities were
        left out by ``max_nodes``.

    Raises
    ------
    OutputError
        When the file cannot be written (the message names it and the reason).
    ValueError
        When ``max_nodes`` is less than 1.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from kg.graph import build_graph
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     summary = draw_html(build_graph([]), Path(tmp) / "graph.html")
    >>> summary.nodes, summary.edges, summary.hidden_nodes
    (0, 0, 0)
    """
    target = Path(path)
    page = _render_page(graph, title=title, max_nodes=max_nodes, seed=seed)
    _write_atomic(target, page.html.encode("utf-8"))
    log.info(
        "drew %d entities and %d links to %s (%d entities left out)", page.nodes, page.edges, target, page.hidden_nodes
    )
    return DrawSummary(path=target, nodes=page.nodes, edges=page.edges, hidden_nodes=page.hidden_nodes)


# --------------------------------------------------------------------------------------
# Rendering


def _render_page(graph: Graph, *, title: str, max_nodes: int, seed: int) -> _Page:
    if max_nodes < 1:
        raise ValueError(f"max_nodes must be at least 1, not {max_nodes}")
    actors = actor_network(graph)
    ranked = sorted(actors.nodes, key=lambda n: (-actors.nodes[n]["events"], actors.nodes[n]["label"], n))
    kept = ranked[:max_nodes]
    index = {iri: i for i, iri in enumerate(kept)}
    reciprocal = _reciprocal_edges(graph)
    roles = _role_counts(actors.graph["events"])

    edges = [(a, r, key, data) for a, r, key, data in actors.edges(keys=True, data=True) if a in index and r in index]
    edges.sort(key=lambda e: (index[e[0]], index[e[1]], e[2]))
    positions = _layout(len(kept), [(index[a], index[r], d["weight"]) for a, r, _, d in edges], seed)
    events, sentences, edge_events = _page_events(
        actors, index, {(a, r, key): j for j, (a, r, key, _) in enumerate(edges)}
    )

    net = Network(directed=True, cdn_resources="in_line")
    for i, iri in enumerate(kept):
        data = actors.nodes[iri]
        x, y = positions[i]
        as_actor, as_recipient = roles.get(iri, (0, 0))
        partners = len((set(actors.successors(iri)) | set(actors.predecessors(iri))) - {iri})
        net.add_node(
            i,
            label=data["label"],
            shape=NODE_SHAPES.get(data["kind"], "dot"),
            color=NODE_COLOURS.get(data["kind"], _OTHER_COLOUR),
            size=round(min(10 + 5 * math.sqrt(data["events"]), 50), 1),
            title=_node_tooltip(data, as_actor, as_recipient, partners),
            x=x,
            y=y,
            iri=iri,
            kind=data["kind"],
            country=data["country"],
            role=_clip(data["role"], 120),
            events=data["events"],
            asActor=as_actor,
            asRecipient=as_recipient,
            partners=partners,
            aliases=list(data["aliases"]),
        )
    curves = _curves([(index[a], index[r]) for a, r, _, _ in edges])
    uncertain_count = 0
    for j, (a, r, _key, data) in enumerate(edges):
        uncertain = data["modality"] in UNCERTAIN_MODALITIES
        uncertain_count += uncertain
        flag = data.get("reciprocal")
        if flag is None:
            flag = (a, r, data["type"], data["modality"]) in reciprocal
        directed = data["type"] not in UNDIRECTED_TYPES and not flag
        options: dict[str, Any] = {
            "id": f"e{j}",
            "label": data["type"],
            "title": _edge_tooltip(actors.nodes[a]["label"], actors.nodes[r]["label"], data, directed),
            "width": round(min(1 + 1.5 * math.log2(max(data["weight"], 1)), 8), 2),
            "color": UNCERTAIN_COLOUR if uncertain else QUAD_COLOURS.get(data["quad"], _OTHER_COLOUR),
            "arrows": {"to": {"enabled": directed}},
            "dashes": uncertain,
            "hidden": uncertain,
            "eventType": data["type"],
            "modality": data["modality"],
            "quad": data["quad"],
            "weight": data["weight"],
            "uncertain": uncertain,
            "events": edge_events.get(j, []),
        }
        if curves[j]:
            options["smooth"] = curves[j]
        net.add_edge(index[a], index[r], **options)
    net.options = _vis_options(len(kept), seed)
    nodes, vis_edges, _heading, _height, _width, _options = net.get_network_data()

    hidden_nodes = len(ranked) - len(kept)
    page = _fill(
        title=title,
        data={"nodes": nodes, "edges": vis_edges, "options": net.options, "events": events, "sentences": sentences},
        summary=_summary_text(len(kept), len(ranked), len(vis_edges), uncertain_count),
        empty=not nodes,
        types=_type_counts(events),
        dates=sorted(ev["lo"] for ev in events if ev["lo"])[:1] + sorted(ev["hi"] for ev in events if ev["hi"])[-1:],
    )
    return _Page(html=page, nodes=len(nodes), edges=len(vis_edges), hidden_nodes=hidden_nodes)


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


def _page_events(
    actors: nx.MultiDiGraph, index: dict[str, int], edge_ids: dict[tuple[str, str, str], int]
) -> tuple[list[dict], list[dict], dict[int, list[int]]]:
    """The events with a drawn party, in time order; their sentences; each drawn edge's events.

    An event is ``{"type", "modality", "uncertain", "color", "date", "lo", "hi", "actors",
    "recipients", "nodes", "sentences"}``: ``actors`` and ``recipients`` are labels (drawn or
    not), ``nodes`` the drawn parties' node ids, ``sentences`` indices into the sentence list,
    ``lo`` and ``hi`` the first and last day its date covers (empty when undated).
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
    edge_events: dict[int, list[int]] = defaultdict(list)
    for i, (_key, event, parties) in enumerate(chosen):
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
                "color": UNCERTAIN_COLOUR if uncertain else QUAD_COLOURS.get(event["quad"], _OTHER_COLOUR),
                "date": event["date"],
                "lo": lo,
                "hi": hi,
                "actors": [_clip(actors.nodes[a]["label"], 120) for a in event["actors"]],
                "recipients": [_clip(actors.nodes[r]["label"], 120) for r in event["recipients"]],
                "nodes": [index[p] for p in parties],
                "sentences": ids,
            }
        )
        for edge in event["edges"]:
            j = edge_ids.get(edge)
            if j is not None:
                edge_events[j].append(i)
    return events, sentences, dict(edge_events)


def _type_counts(events: list[dict]) -> list[tuple[str, int]]:
    """(event type, number of events) of the types on the page, in PLOVER's order."""
    counts: dict[str, int] = defaultdict(int)
    for event in events:
        counts[event["type"]] += 1
    order = {name: i for i, name in enumerate(EVENT_TYPES)}
    return sorted(counts.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))


def _reciprocal_edges(graph: Graph) -> set[tuple[str, str, str, str]]:
    """(actor, actor, type, modality) of events with several actors and no recipient."""
    out: set[tuple[str, str, str, str]] = set()
    for event in graph.subjects(RDF.type, POL.Event):
        if graph.value(event, POL.recipient) is not None:
            continue
        etype, modality = graph.value(event, POL.eventType), graph.value(event, POL.modality)
        if etype is None or modality is None:
            continue
        tname, mname = _local(etype), _local(modality)
        actors = sorted(str(a) for a in graph.objects(event, POL.actor))
        for i, a in enumerate(actors):
            for b in actors[i + 1 :]:
                out.add((a, b, tname, mname))
    return out


def _local(iri: object) -> str:
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


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


def _edge_tooltip(actor: str, recipient: str, data: dict, directed: bool) -> str:
    arrow = "→" if directed else "–"
    weight = data["weight"]
    lines = [
        f"{_clip(actor, 80)} {arrow} {_clip(recipient, 80)}",
        f"{data['type']} ({data['modality']}), {weight} event" + ("" if weight == 1 else "s"),
    ]
    seen: set[tuple[str, str]] = set()
    sentences = []
    for s in data["sentences"]:
        if (s["text"], s["doc"]) not in seen:
            seen.add((s["text"], s["doc"]))
            sentences.append(s)
    for s in sentences[:_MAX_SENTENCES]:
        title = _clip(s["title"], 100) if s["title"] else ""
        source = ", ".join(p for p in (s["doc"], title, s["date"]) if p)
        lines.append(f"“{_clip(s['text'])}”")
        if source:
            lines.append(f"    {source}")
    if len(sentences) > _MAX_SENTENCES:
        lines.append(f"+{len(sentences) - _MAX_SENTENCES} more")
    return "\n".join(lines)


def _curves(pairs: list[tuple[int, int]]) -> list[dict | None]:
    """Per edge, a vis ``smooth`` setting that fans out parallel edges between one pair."""
    groups: dict[tuple[int, int], list[int]] = defaultdict(list)
    for j, (a, r) in enumerate(pairs):
        groups[(min(a, r), max(a, r))].append(j)
    out: list[dict | None] = [None] * len(pairs)
    for (low, _high), members in groups.items():
        if len(members) < 2:
            continue
        for k, j in enumerate(members):
            side = (k - (len(members) - 1) / 2) * 0.3
            if side == 0:
                continue
            if pairs[j][0] != low:  # drawn the other way round: flip to keep the same side
                side = -side
            out[j] = {
                "enabled": True,
                "type": "curvedCW" if side > 0 else "curvedCCW",
                "roundness": round(min(abs(side), 1.0), 3),
            }
    return out


def _layout(n: int, edges: list[tuple[int, int, int]], seed: int) -> list[tuple[int, int]]:
    """Pixel positions of nodes ``0..n-1``: same input and seed, same positions.

    Each connected component gets its own seeded force layout (sized by its node count),
    and the components are packed in rows, biggest first, so that isolated entities do
    not fly off and squeeze the rest of the drawing into its middle.
    """
    if n == 0:
        return []
    weights: dict[tuple[int, int], int] = defaultdict(int)
    for a, r, weight in edges:
        if a != r:
            weights[(min(a, r), max(a, r))] += weight
    g = nx.Graph()
    g.add_nodes_from(range(n))
    for (a, r), weight in sorted(weights.items()):
        g.add_edge(a, r, weight=1.0 + math.log(weight))  # strong ties closer, without collapsing
    components = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))
    positions = np.zeros((n, 2))
    row_width = max(
        2 * _NODE_SPACING * math.sqrt(len(components[0])) + 2 * _PAD,
        1.3 * math.sqrt(sum((2 * _NODE_SPACING * math.sqrt(len(c)) + 2 * _PAD) ** 2 for c in components)),
    )
    x = y = row_height = 0.0
    for members in components:
        radius = _NODE_SPACING * math.sqrt(len(members)) if len(members) > 1 else 0.0
        side = 2 * radius + 2 * _PAD
        if x > 0 and x + side > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        positions[members] = _component_layout(g, members, seed) * radius + (x + side / 2, y + side / 2)
        x += side
        row_height = max(row_height, side)
    positions -= (positions.min(axis=0) + positions.max(axis=0)) / 2
    return [(int(round(px)), int(round(py))) for px, py in positions]


def _component_layout(g: nx.Graph, members: list[int], seed: int) -> np.ndarray:
    """Positions of one connected component, centred and scaled into [-1, 1]."""
    m = len(members)
    if m == 1:
        return np.zeros((1, 2))
    local = {v: i for i, v in enumerate(members)}
    sub = nx.Graph()
    sub.add_nodes_from(range(m))
    links = g.edges(members, data="weight")
    sub.add_weighted_edges_from(sorted((local[a], local[b], w) for a, b, w in links))
    if m < _SPRING_LIMIT:
        pos = nx.spring_layout(sub, seed=seed, weight="weight", iterations=100)
        coords = np.array([pos[i] for i in range(m)], dtype=float)
    else:
        coords = _large_layout(sub, seed)
    return nx.rescale_layout(coords, scale=1.0)


def _large_layout(g: nx.Graph, seed: int, iterations: int = 50) -> np.ndarray:
    """Fruchterman-Reingold as in networkx's dense version, without scipy and in row blocks.

    networkx's ``spring_layout`` switches to a scipy sparse solver at 500 nodes; kg does
    not depend on scipy, so big graphs use this (O(n^2) per iteration, O(n * block) memory).
    """
    n = g.number_of_nodes()
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2))
    src = np.array([a for a, _, _ in g.edges(data="weight")], dtype=np.intp)
    dst = np.array([b for _, b, _ in g.edges(data="weight")], dtype=np.intp)
    weight = np.array([w for _, _, w in g.edges(data="weight")], dtype=float)
    k = math.sqrt(1.0 / n)
    t = 0.1
    dt = t / (iterations + 1)
    block = 256
    for _ in range(iterations):
        disp = np.zeros_like(pos)
        x, y = pos[:, 0], pos[:, 1]
        for start in range(0, n, block):
            dx = x[start : start + block, None] - x[None, :]
            dy = y[start : start + block, None] - y[None, :]
            push = k * k / np.maximum(dx * dx + dy * dy, 1e-4)
            disp[start : start + block, 0] = (dx * push).sum(axis=1)
            disp[start : start + block, 1] = (dy * push).sum(axis=1)
        if len(src):
            delta = pos[src] - pos[dst]
            dist = np.clip(np.linalg.norm(delta, axis=1), 0.01, None)
            pull = delta * (weight * dist / k)[:, None]
            np.add.at(disp, src, -pull)
            np.add.at(disp, dst, pull)
        length = np.clip(np.linalg.norm(disp, axis=1), 0.01, None)
        pos += disp * (t / length)[:, None]
        t -= dt
    return pos


def _vis_options(n: int, seed: int) -> dict:
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": seed},
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": n > 300,
            "multiselect": True,
        },
        "nodes": {
            "shape": "dot",
            "borderWidth": 1,
            "font": {"size": 14, "color": "#222222", "strokeWidth": 3, "strokeColor": "#ffffff"},
        },
        "edges": {
            "smooth": False,
            "selectionWidth": 2,
            "arrows": {"to": {"scaleFactor": 0.6}},
            "font": {"size": 10, "color": "#444444", "strokeWidth": 3, "strokeColor": "#ffffff", "align": "middle"},
        },
    }


def _summary_text(shown: int, total: int, edges: int, uncertain: int) -> str:
    if total == 0:
        return "No events in this graph."
    if shown < total:
        parts = [f"showing {shown:,} of {total:,} entities (those in most events)"]
    else:
        parts = [f"{total:,} entit{'y' if total == 1 else 'ies'}"]
    parts.append(f"{edges:,} link{'' if edges == 1 else 's'}")
    if uncertain:
        parts.append(f"{uncertain:,} hypothetical/negated")
    text = ", ".join(parts)
    return text if edges else text + ". No events in this graph."


# --------------------------------------------------------------------------------------
# The page


def _script_json(value: object) -> str:
    """JSON that can sit inside a ``<script>`` element: no ``<``, ``>`` or ``&`` left raw.

    Those characters only occur inside JSON strings, where ``\\u003c`` is the same text,
    so ``</script>`` or ``<!--`` in a sentence cannot end or alter the element.
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for raw, escaped in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """vis-network's JavaScript and CSS as shipped inside pyvis, checked to be inlinable."""
    lib = resources.files("pyvis").joinpath(*_VIS_DIR)
    js = lib.joinpath("vis-network.min.js").read_text(encoding="utf-8")
    css = lib.joinpath("vis-network.css").read_text(encoding="utf-8")
    if "</script" in js.lower() or "</style" in css.lower():
        raise OutputError(
            "pyvis's vis-network files cannot be inlined (they contain a closing tag); reinstall pyvis==0.3.2"
        )
    return js, css


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _legend() -> str:
    items = []
    for kind, colour in NODE_COLOURS.items():
        path = _SHAPE_PATHS[NODE_SHAPES[kind]]
        items.append(
            f'<li><svg class="shape" viewBox="-7.5 -7.5 15 15" aria-hidden="true"><path d="{path}" '
            f'fill="{colour}"/></svg>{html.escape(kind)}</li>'
        )
    items += [
        f'<li><span class="line" style="border-color:{colour}"></span>{html.escape(_QUAD_NAMES[quad])}</li>'
        for quad, colour in QUAD_COLOURS.items()
    ]
    items.append(
        f'<li><span class="line dashed" style="border-color:{UNCERTAIN_COLOUR}"></span>hypothetical / negated</li>'
    )
    return "\n".join(items)


def _type_items(types: list[tuple[str, int]]) -> str:
    items = []
    for name, count in types:
        etype = EVENT_TYPES.get(name)
        colour = QUAD_COLOURS.get(etype.quad, _OTHER_COLOUR) if etype else _OTHER_COLOUR
        label = html.escape(name)
        items.append(
            f'<li><label><input type="checkbox" class="kg-type" value="{label}" checked>'
            f'<span class="line" style="border-color:{colour}"></span>{label} '
            f'<span class="count">{count:,}</span></label></li>'
        )
    return "\n".join(items)


def _fill(*, title: str, data: dict, summary: str, empty: bool, types: list[tuple[str, int]], dates: list[str]) -> str:
    js, css = _vis_assets()
    if dates:
        bounds = f' min="{html.escape(dates[0])}" max="{html.escape(dates[-1])}"'
    else:
        bounds = " disabled"
    values = {
        "TITLE": html.escape(title),
        "CSP": " ".join(
            [
                "default-src 'none';",
                "script-src",
                _csp_hash(js),
                _csp_hash(_APP_JS) + ";",
                "style-src 'unsafe-inline';",
                "img-src data:;",
                "base-uri 'none';",
                "form-action 'none'",
            ]
        ),
        "VIS_CSS": css,
        "VIS_JS": js,
        "APP_JS": _APP_JS,
        "DATA": _script_json(data),
        "SUMMARY": html.escape(summary),
        "EMPTY_CLASS": "" if empty else " hidden",
        "LEGEND": _legend(),
        "TYPES": _type_items(types),
        "TYPES_DISABLED": "" if types else " disabled",
        "DATE_BOUNDS": bounds,
        "CONTROLS_DISABLED": " disabled" if empty else "",
    }
    return re.sub(r"@@([A-Z_]+)@@", lambda m: values[m.group(1)], _PAGE)


# The page's script. Document text reaches the page only through ``textContent`` and
# vis-network's own text tooltips; ``window.kg`` exposes the state for tests and notebooks.
_APP_JS = """
(function () {
  "use strict";
  var kg = window.kg = {ready: false, drawn: false, layouts: 0, panel: null};
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  if (!data.nodes.length) { kg.ready = true; return; }
  function $(id) { return document.getElementById(id); }
  function make(tag, className, text) {
    var element = document.createElement(tag);
    if (className) { element.className = className; }
    if (text !== undefined) { element.textContent = text; }
    return element;
  }
  function clear(element) { while (element.firstChild) { element.removeChild(element.firstChild); } }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network($("kg-network"), {nodes: nodes, edges: edges}, data.options);
  var events = data.events, sentences = data.sentences;
  var nodeById = {}, edgeById = {}, nodeEvents = {}, hidden = {};
  data.nodes.forEach(function (n) { nodeById[n.id] = n; nodeEvents[n.id] = []; });
  data.edges.forEach(function (e) { edgeById[e.id] = e; hidden[e.id] = !!e.hidden; });
  events.forEach(function (ev, i) { ev.nodes.forEach(function (id) { nodeEvents[id].push(i); }); });
  kg.network = network; kg.nodes = nodes; kg.edges = edges;
  window.kgNetwork = network;
  network.once("afterDrawing", function () { kg.drawn = true; });

  // Filters: event types, dates, hypothetical/negated. A link shows when one of its events does.
  var typeBoxes = Array.prototype.slice.call(document.querySelectorAll("input.kg-type"));
  var toggle = $("kg-uncertain"), from = $("kg-from"), to = $("kg-to");
  var filters = null;
  function readFilters() {
    var types = {};
    typeBoxes.forEach(function (box) { types[box.value] = box.checked; });
    return {types: types, uncertain: toggle.checked, from: from.value, to: to.value};
  }
  function shown(ev) {
    if (!filters.types[ev.type] || (ev.uncertain && !filters.uncertain)) { return false; }
    if (filters.from || filters.to) {
      if (!ev.lo) { return false; }
      if ((filters.from && ev.hi < filters.from) || (filters.to && ev.lo > filters.to)) { return false; }
    }
    return true;
  }
  function applyFilters() {
    filters = readFilters();
    var changes = [], visible = 0;
    data.edges.forEach(function (e) {
      var show = e.events.length ? e.events.some(function (i) { return shown(events[i]); }) :
        filters.types[e.eventType] !== false && (!e.uncertain || filters.uncertain);
      visible += show ? 1 : 0;
      if (hidden[e.id] === show) { hidden[e.id] = !show; changes.push({id: e.id, hidden: !show}); }
    });
    if (changes.length) { edges.update(changes); }
    var on = typeBoxes.filter(function (box) { return box.checked; }).length;
    $("kg-types-count").textContent = on === typeBoxes.length ? "all" : on + " of " + typeBoxes.length;
    $("kg-filter-status").textContent = visible === data.edges.length ? "" :
      visible + " of " + plural(data.edges.length, "link") + " shown";
    kg.visibleEdges = visible;
    if (panelShows) { panelShows(); }
  }
  toggle.disabled = !events.some(function (ev) { return ev.uncertain; });
  typeBoxes.concat([toggle, from, to]).forEach(function (input) {
    input.addEventListener("change", applyFilters);
  });
  $("kg-types-all").addEventListener("click", function () {
    typeBoxes.forEach(function (box) { box.checked = true; });
    applyFilters();
  });
  $("kg-types-none").addEventListener("click", function () {
    typeBoxes.forEach(function (box) { box.checked = false; });
    applyFilters();
  });

  // The side panel: an entity's or a link's events in time order, with their sentences.
  var panel = $("kg-panel"), panelShows = null;
  function parties(ev) {
    if (ev.recipients.length) { return ev.actors.join(", ") + " \\u2192 " + ev.recipients.join(", "); }
    return ev.actors.join(" \\u2013 ");
  }
  function renderPanel(heading, meta, list) {
    $("kg-panel-title").textContent = heading;
    var metaBox = $("kg-panel-meta"), listBox = $("kg-panel-events");
    clear(metaBox);
    meta.forEach(function (line) { metaBox.appendChild(make("div", "", line)); });
    clear(listBox);
    var visible = list.filter(function (i) { return shown(events[i]); });
    var note = plural(visible.length, "event");
    if (visible.length < list.length) { note += " (" + (list.length - visible.length) + " hidden by the filters)"; }
    $("kg-panel-count").textContent = note;
    visible.forEach(function (i) {
      var ev = events[i], item = make("li", "kg-event"), head = make("div", "kg-event-head");
      head.appendChild(make("span", "kg-event-date", ev.date || "undated"));
      var type = make("span", "kg-event-type",
                      ev.type + (ev.modality === "Asserted" ? "" : " (" + ev.modality.toLowerCase() + ")"));
      type.style.borderColor = ev.color;
      head.appendChild(type);
      item.appendChild(head);
      item.appendChild(make("div", "kg-event-parties", parties(ev)));
      ev.sentences.forEach(function (k) {
        var s = sentences[k];
        item.appendChild(make("blockquote", "kg-sentence", s.text));
        var source = [s.doc, s.title, s.date].filter(function (p) { return p; }).join(", ");
        if (source) { item.appendChild(make("div", "kg-source", source)); }
      });
      listBox.appendChild(item);
    });
    panel.scrollTop = 0;
    if (panel.classList.contains("hidden")) {
      panel.classList.remove("hidden");
      network.setSize("100%", "100%");  // the drawing narrows beside the panel
    }
  }
  function showNode(id) {
    var n = nodeById[id];
    panelShows = function () {
      var meta = [n.kind + (n.country ? ", " + n.country : "") + (n.role ? ", " + n.role : "")];
      if (n.aliases.length) { meta.push("Also: " + n.aliases.join(", ")); }
      meta.push(plural(n.events, "event") + ": " + n.asActor + " as actor, " + n.asRecipient +
                " as recipient; linked to " + n.partners + (n.partners === 1 ? " entity" : " entities"));
      renderPanel(n.label, meta, nodeEvents[id]);
    };
    kg.panel = {node: id};
    panelShows();
  }
  function showEdge(id) {
    var e = edgeById[id];
    panelShows = function () {
      var arrow = e.arrows.to.enabled ? " \\u2192 " : " \\u2013 ";
      renderPanel(nodeById[e.from].label + arrow + nodeById[e.to].label,
                  [e.eventType + " (" + e.modality.toLowerCase() + "), " + plural(e.weight, "event")], e.events);
    };
    kg.panel = {edge: id};
    panelShows();
  }
  function closePanel() {
    if (!panel.classList.contains("hidden")) {
      panel.classList.add("hidden");
      network.setSize("100%", "100%");
    }
    panelShows = null;
    kg.panel = null;
  }
  $("kg-panel-close").addEventListener("click", closePanel);
  network.on("click", function (params) {
    if (params.nodes.length) { showNode(params.nodes[0]); }
    else if (params.edges.length) { showEdge(params.edges[0]); }
    else { closePanel(); }
  });

  // Search: the first entity whose name or alias is the query, else contains it.
  var names = $("kg-names");
  data.nodes.forEach(function (n) {
    var option = document.createElement("option");
    option.value = n.label;
    names.appendChild(option);
  });
  var search = $("kg-search"), status = $("kg-search-status");
  function find(query) {
    var q = query.trim().toLowerCase();
    var exact = null, partial = null;
    if (!q) { return null; }
    data.nodes.forEach(function (n) {
      var all = [n.label].concat(n.aliases || []).map(function (s) { return s.toLowerCase(); });
      if (exact === null && all.indexOf(q) !== -1) { exact = n; }
      if (partial === null && all.some(function (s) { return s.indexOf(q) !== -1; })) { partial = n; }
    });
    return exact || partial;
  }
  function go() {
    var node = find(search.value);
    if (!node) {
      status.textContent = search.value.trim() ? "no match" : "";
      network.unselectAll();
      return;
    }
    status.textContent = "";
    network.selectNodes([node.id]);
    showNode(node.id);
    network.focus(node.id, {scale: Math.max(network.getScale(), 1),
                            animation: {duration: 400, easingFunction: "easeInOutQuad"}});
  }
  search.addEventListener("change", go);
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); go(); }
  });

  // Re-run layout: a bounded physics run from the current positions, then physics off again.
  var relayout = $("kg-relayout"), timer = null;
  function stopPhysics() {
    if (timer === null) { return; }
    clearTimeout(timer);
    timer = null;
    network.setOptions({physics: {enabled: false}});
    relayout.disabled = false;
    relayout.textContent = "Re-run layout";
    kg.layouts += 1;
  }
  network.on("stabilizationIterationsDone", stopPhysics);
  relayout.addEventListener("click", function () {
    if (timer !== null) { return; }
    var iterations = data.nodes.length > 1000 ? 100 : 250;
    relayout.disabled = true;
    relayout.textContent = "Laying out\\u2026";
    timer = setTimeout(stopPhysics, 20000);
    network.setOptions({physics: {
      enabled: true, solver: "barnesHut", minVelocity: 1,
      barnesHut: {gravitationalConstant: -3000, centralGravity: 0.2, springLength: 110, avoidOverlap: 0.1},
      stabilization: {enabled: true, iterations: iterations, updateInterval: 50, fit: true}
    }});
    network.stabilize(iterations);
  });

  applyFilters();
  kg.ready = true;
})();
"""

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="@@CSP@@">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="kg draw">
<title>@@TITLE@@</title>
<style>@@VIS_CSS@@</style>
<style>
  html, body { margin: 0; height: 100%; font-family: system-ui, sans-serif; color: #222; }
  body { display: flex; flex-direction: column; }
  header { padding: 8px 14px; border-bottom: 1px solid #ddd; display: flex; flex-wrap: wrap;
           align-items: center; gap: 6px 14px; font-size: 0.9em; }
  header h1 { font-size: 1.35em; margin: 0; }
  header input[type=search] { width: 11em; }
  #kg-summary { color: #555; }
  #kg-search-status { color: #b00; }
  #kg-filter-status { color: #555; font-style: italic; }
  #kg-types { position: relative; }
  #kg-types summary { cursor: pointer; }
  #kg-types .menu { position: absolute; z-index: 20; top: 1.6em; left: 0; background: #fff;
                    border: 1px solid #ccc; border-radius: 4px; padding: 6px 10px;
                    box-shadow: 0 2px 8px rgba(0,0,0,0.15); max-height: 70vh; overflow-y: auto; }
  #kg-types ul { list-style: none; margin: 6px 0 0; padding: 0; }
  #kg-types li { white-space: nowrap; margin: 2px 0; }
  #kg-types .count { color: #777; }
  main { flex: 1; display: flex; min-height: 300px; overflow: hidden; }
  #kg-stage { flex: 1; position: relative; min-width: 0; }
  #kg-network { position: absolute; inset: 0; }
  #kg-empty { position: absolute; top: 40%; width: 100%; text-align: center; font-size: 1.3em; color: #777; }
  .hidden { display: none; }
  #kg-legend { display: flex; flex-wrap: wrap; align-items: center; gap: 2px 14px; padding: 3px 14px;
               border-bottom: 1px solid #eee; font-size: 0.8em; color: #444; }
  #kg-legend ul { display: contents; list-style: none; }
  #kg-legend li { white-space: nowrap; }
  #kg-legend .hint { color: #666; font-style: italic; }
  svg.shape { width: 13px; height: 13px; margin-right: 6px; vertical-align: middle; }
  .line { display: inline-block; width: 22px; border-top: 3px solid; margin-right: 6px; vertical-align: middle; }
  .line.dashed { border-top-style: dashed; }
  #kg-panel { position: relative; flex: 0 0 min(420px, 45%); overflow-y: auto; background: #fff;
              border-left: 1px solid #ccc; padding: 10px 14px; box-sizing: border-box; font-size: 0.9em; }
  #kg-panel h2 { font-size: 1.15em; margin: 0 28px 4px 0; overflow-wrap: anywhere; }
  #kg-panel-close { position: absolute; top: 6px; right: 8px; border: none; background: none;
                    font-size: 1.4em; cursor: pointer; color: #555; }
  #kg-panel-meta { color: #555; overflow-wrap: anywhere; }
  #kg-panel-count { font-weight: 600; margin: 8px 0 4px; }
  #kg-panel-events { list-style: none; margin: 0; padding: 0; }
  .kg-event { border-top: 1px solid #eee; padding: 6px 0; }
  .kg-event-date { color: #555; margin-right: 8px; font-variant-numeric: tabular-nums; }
  .kg-event-type { font-weight: 600; border-left: 4px solid; padding-left: 5px; }
  .kg-event-parties { margin: 2px 0; }
  .kg-sentence { margin: 4px 0 0 10px; color: #333; font-style: italic; overflow-wrap: anywhere; }
  .kg-source { margin-left: 10px; color: #777; font-size: 0.9em; overflow-wrap: anywhere; }
  div.vis-tooltip { white-space: pre-wrap; max-width: 36em; font-family: system-ui, sans-serif;
                    font-size: 13px; }
</style>
</head>
<body>
<header>
  <h1>@@TITLE@@</h1>
  <span id="kg-summary">@@SUMMARY@@</span>
  <label>Find <input id="kg-search" type="search" list="kg-names" placeholder="entity name"
    autocomplete="off"@@CONTROLS_DISABLED@@></label>
  <datalist id="kg-names"></datalist>
  <span id="kg-search-status"></span>
  <details id="kg-types"><summary>Event types: <span id="kg-types-count">all</span></summary>
    <div class="menu">
      <button type="button" id="kg-types-all"@@TYPES_DISABLED@@>all</button>
      <button type="button" id="kg-types-none"@@TYPES_DISABLED@@>none</button>
      <ul>
@@TYPES@@
      </ul>
    </div>
  </details>
  <label>From <input id="kg-from" type="date"@@DATE_BOUNDS@@></label>
  <label>to <input id="kg-to" type="date"@@DATE_BOUNDS@@></label>
  <label><input id="kg-uncertain" type="checkbox"> show hypothetical/negated</label>
  <button type="button" id="kg-relayout"@@CONTROLS_DISABLED@@>Re-run layout</button>
  <span id="kg-filter-status"></span>
</header>
<div id="kg-legend" role="note" aria-label="Legend"><ul>
@@LEGEND@@
</ul><span class="hint">Click an entity or a link for its events.</span></div>
<main>
  <div id="kg-stage">
  <div id="kg-network"></div>
  <div id="kg-empty" class="@@EMPTY_CLASS@@">No events in this graph.</div>
  </div>
  <aside id="kg-panel" class="hidden" aria-live="polite">
    <button type="button" id="kg-panel-close" title="Close">\u00d7</button>
    <h2 id="kg-panel-title"></h2>
    <div id="kg-panel-meta"></div>
    <div id="kg-panel-count"></div>
    <ol id="kg-panel-events"></ol>
  </aside>
</main>
<script type="application/json" id="kg-data">@@DATA@@</script>
<script>@@VIS_JS@@</script>
<script>@@APP_JS@@</script>
</body>
</html>
"""


# --------------------------------------------------------------------------------------
# Writing


def _write_atomic(target: Path, payload: bytes) -> None:
    """Write ``payload`` to a new file beside ``target``, then move it over ``target``."""
    directory = target.parent
    tmp = directory / f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise OutputError(
            f"{target}: cannot write ({exc.strerror or exc}); check that the directory exists and is writable"
        ) from exc
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        _remove_quietly(tmp)
        raise OutputError(
            f"{target}: cannot write ({exc.strerror or exc}); the previous file, if any, is unchanged"
        ) from exc
    except BaseException:
        _remove_quietly(tmp)
        raise


def _remove_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
