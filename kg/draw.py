"""The draw stage: the actor network as one offline, self-contained, interactive HTML page.

Python computes what the page cannot afford to: the entities (coloured and shaped by class,
sized by the square root of their events, capped), each event with its drawn parties and
sentences, the state each entity is folded into (:mod:`kg.analysis.states`), and seeded positions for
the entity view and the state view (:mod:`kg.layout`). The page's own script then builds the
drawing for the current view and filters: one link per pair of nodes (the breakdown by event
type and direction in its tooltip), no node without a link, labels placed where they overlap
nothing, a selected node's neighbours highlighted and the rest dimmed, states folded or
expanded, and an entity's or a link's events listed in time order with their sentences.

pyvis supplies vis-network; the page around it is kg's own, because pyvis 0.3.2's template
loads bootstrap from a CDN in every mode and can switch to a tooltip that assigns document
text with ``innerHTML``. Here vis-network's JavaScript and CSS are inlined, every piece of
document text travels as escaped JSON in a non-executed ``application/json`` block, the
page's script puts it into the page with ``textContent`` only (and draws labels on the
canvas), and a Content-Security-Policy lets only the page's own two scripts run and nothing
load from anywhere. vis physics is off: the same graph always gives the same bytes.
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

import networkx as nx
from rdflib import Graph

from .analysis.network import actor_network
from .analysis.states import entity_states
from .errors import OutputError
from .layout import group_layout
from .model import FACT_MODALITIES, MODALITIES
from .vocab import EVENT_TYPES, QUAD_COLOURS

__all__ = [
    "DrawSummary",
    "draw_html",
    "render_html",
    "NODE_COLOURS",
    "NODE_SHAPES",
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
class DrawSummary:
    """What :func:`draw_html` wrote: the file, how many nodes and edges it shows, how many it cut.

    ``nodes`` counts the entities with a link and ``edges`` the linked pairs, at entity level
    with every event shown (hypothetical and negated too): the most the page can draw.
    """

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
    kg.analysis.network.actor_network : the nodes and edges drawn.

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
        The path written, the number of entities with a link and of linked pairs (the most
        the page draws), and how many entities were left out by ``max_nodes``.

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
    page = _fill(
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
    return _Page(html=page, nodes=len(linked), edges=len(pairs), hidden_nodes=hidden_nodes)


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


def _kind_items(kinds: list[tuple[str, int]]) -> str:
    items = []
    for kind, count in kinds:
        path = _SHAPE_PATHS[NODE_SHAPES.get(kind, "dot")]
        label = html.escape(kind)
        items.append(
            f'<li><label><input type="checkbox" class="kg-kind" value="{label}" checked>'
            f'<svg class="shape" viewBox="-7.5 -7.5 15 15" aria-hidden="true"><path d="{path}" '
            f'fill="{NODE_COLOURS.get(kind, _OTHER_COLOUR)}"/></svg>{label} <span class="count">{count:,}</span>'
            "</label></li>"
        )
    return "\n".join(items)


def _fill(
    *,
    title: str,
    data: dict,
    summary: str,
    empty: bool,
    types: list[tuple[str, int]],
    dates: list[str],
    kinds: list[tuple[str, int]],
    countries: list[tuple[str, str]],
) -> str:
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
        "KINDS": _kind_items(kinds),
        "COUNTRIES": "\n".join(
            f'<option value="{html.escape(code)}">'
            + (html.escape(code) if name == code else f"{html.escape(_clip(name, 40))} ({html.escape(code)})")
            + "</option>"
            for code, name in countries
        ),
        "DATE_BOUNDS": bounds,
        "CONTROLS_DISABLED": " disabled" if empty else "",
    }
    return re.sub(r"@@([A-Z_]+)@@", lambda m: values[m.group(1)], _PAGE)


# The page's script. Document text reaches the page only through ``textContent`` and
# vis-network's own text tooltips; ``window.kg`` exposes the state for tests and notebooks.
_APP_JS = """
(function () {
  "use strict";
  var kg = window.kg = {ready: false, drawn: false, layouts: 0, panel: null, focus: null, labels: []};
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  if (!data.nodes.length || !data.events.length) { kg.ready = true; return; }
  function $(id) { return document.getElementById(id); }
  function make(tag, className, text) {
    var element = document.createElement(tag);
    if (className) { element.className = className; }
    if (text !== undefined) { element.textContent = text; }
    return element;
  }
  function clear(element) { while (element.firstChild) { element.removeChild(element.firstChild); } }
  function plural(n, word, many) { return n.toLocaleString("en") + " " + (n === 1 ? word : (many || word + "s")); }
  function clip(text, size) { return text.length <= size ? text : text.slice(0, size - 1) + "\\u2026"; }

  var ents = data.nodes, events = data.events, sentences = data.sentences;
  var nodeEvents = ents.map(function () { return []; });
  events.forEach(function (ev, i) { ev.nodes.forEach(function (id) { nodeEvents[id].push(i); }); });
  var stateEvents = {};
  ents.forEach(function (n) {
    if (!n.members.length) { return; }
    var seen = {}, list = [];
    [n.id].concat(n.members).forEach(function (m) {
      nodeEvents[m].forEach(function (i) { if (!seen[i]) { seen[i] = true; list.push(i); } });
    });
    stateEvents[n.id] = list.sort(function (a, b) { return a - b; });
  });

  // ---- The view: which node stands for each entity, and the links between those nodes.
  var view = data.view, expanded = {}, filters = null, current = null;
  function isState(id) { return view === "state" && ents[id].members.length > 0 && !expanded[id]; }
  function shownAs(id) {
    var s = ents[id].state;
    return view === "state" && s >= 0 && !expanded[s] ? s : id;
  }
  function stateLabel(n) { return n.name + " (+" + n.members.length + ")"; }
  function nodeName(id) { return isState(id) ? stateLabel(ents[id]) : ents[id].name; }
  function countryOf(id) {
    var n = ents[id];
    return n.country || (n.state >= 0 ? ents[n.state].country : "");
  }
  var typeBoxes = Array.prototype.slice.call(document.querySelectorAll("input.kg-type"));
  var kindBoxes = Array.prototype.slice.call(document.querySelectorAll("input.kg-kind"));
  var toggle = $("kg-uncertain"), from = $("kg-from"), to = $("kg-to"), country = $("kg-country");
  var viewBox = $("kg-view");
  function readFilters() {
    var types = {}, kinds = {};
    typeBoxes.forEach(function (box) { types[box.value] = box.checked; });
    kindBoxes.forEach(function (box) { kinds[box.value] = box.checked; });
    return {types: types, kinds: kinds, uncertain: toggle.checked, from: from.value, to: to.value,
            country: country.value};
  }
  function shown(ev) {
    if (!filters.types[ev.type] || (ev.uncertain && !filters.uncertain)) { return false; }
    if (filters.from || filters.to) {
      if (!ev.lo) { return false; }
      if ((filters.from && ev.hi < filters.from) || (filters.to && ev.lo > filters.to)) { return false; }
    }
    return true;
  }
  function kept(id) { return filters.kinds[ents[id].kind] !== false; }
  function pairsOf(ev) {
    var a = ev.a.filter(kept), r = ev.r.filter(kept), out = [];
    if (ev.r.length) {
      a.forEach(function (x) { r.forEach(function (y) { if (x !== y) { out.push([x, y]); } }); });
    } else {
      a.forEach(function (x, i) { a.slice(i + 1).forEach(function (y) { if (x !== y) { out.push([x, y]); } }); });
    }
    return out;
  }
  function links() {
    var byKey = {}, list = [];
    events.forEach(function (ev, i) {
      if (!shown(ev)) { return; }
      pairsOf(ev).forEach(function (pair) {
        if (filters.country && countryOf(pair[0]) !== filters.country && countryOf(pair[1]) !== filters.country) {
          return;
        }
        var x = shownAs(pair[0]), y = shownAs(pair[1]);
        if (x === y) { return; }
        var low = Math.min(x, y), high = Math.max(x, y), key = low + "-" + high;
        var link = byKey[key];
        if (!link) {
          link = byKey[key] = {id: key, from: low, to: high, events: [], kinds: {}, quads: {}, forward: false,
                               backward: false, certain: 0};
          list.push(link);
        }
        if (ev.directed) { if (x === low) { link.forward = true; } else { link.backward = true; } }
        if (link.events[link.events.length - 1] === i) { return; }
        link.events.push(i);
        var name = ev.type + (ev.uncertain ? " (" + ev.modality.toLowerCase() + ")" : "");
        var kind = link.kinds[name] || (link.kinds[name] = {n: 0, forward: 0, backward: 0});
        kind.n += 1;
        if (ev.directed) { kind[x === low ? "forward" : "backward"] += 1; }
        if (!ev.uncertain) { link.certain += 1; link.quads[ev.color] = (link.quads[ev.color] || 0) + 1; }
      });
    });
    return list;
  }
  function linkTitle(link) {
    var a = nodeName(link.from), b = nodeName(link.to);
    var lines = [clip(a, 80) + " \\u2013 " + clip(b, 80) + ": " + plural(link.events.length, "event")];
    Object.keys(link.kinds).sort(function (p, q) {
      return link.kinds[q].n - link.kinds[p].n || (p < q ? -1 : 1);
    }).forEach(function (name) {
      var k = link.kinds[name], ways = [];
      if (k.forward) { ways.push(k.forward + " \\u2192"); }
      if (k.backward) { ways.push(k.backward + " \\u2190"); }
      lines.push("  " + name + ": " + k.n + (ways.length ? " (" + ways.join(", ") + ")" : ""));
    });
    var last = link.events.slice(-2).reverse();
    last.forEach(function (i) {
      var s = sentences[events[i].sentences[0]];
      if (s) {
        lines.push("\\u201c" + clip(s.text, 240) + "\\u201d");
        lines.push("    " + [s.doc, s.title, s.date].filter(function (p) { return p; }).join(", "));
      }
    });
    if (link.events.length > last.length) { lines.push("Click for all " + link.events.length + " events."); }
    return lines.join("\\n");
  }
  function visLink(link) {
    var colour = data.uncertainColour, top = 0;
    Object.keys(link.quads).sort().forEach(function (c) {
      if (link.quads[c] > top) { top = link.quads[c]; colour = c; }
    });
    return {
      id: link.id, from: link.from, to: link.to, title: linkTitle(link),
      width: Math.round(Math.min(1 + 1.5 * Math.log2(link.events.length), 8) * 100) / 100,
      color: {color: colour, highlight: colour, hover: colour, opacity: linkOpacity},
      dashes: link.certain === 0,
      arrows: {to: {enabled: link.forward}, from: {enabled: link.backward}},
      count: link.events.length
    };
  }
  function stateTitle(n) {
    var kinds = {};
    n.members.forEach(function (m) { kinds[ents[m].kind] = (kinds[ents[m].kind] || 0) + 1; });
    return [n.name + ": a state and the " + plural(n.members.length, "entity", "entities") + " it folds in",
            Object.keys(kinds).sort().map(function (k) { return k + " " + kinds[k]; }).join(", "),
            plural(stateEvents[n.id].length, "event"), "Click to expand it into its parts."].join("\\n");
  }
  function visNode(id, show) {
    var n = ents[id], state = isState(id);
    return {id: id, hidden: !show, title: state ? stateTitle(n) : n.title,
            size: state ? Math.min(8 + 3 * Math.sqrt(stateEvents[id].length), 40) : n.size,
            borderWidth: state ? 3 : 1};
  }

  var nodes = null, edges = null, network = null, degree = {}, order = [], linkOpacity = 1;
  function rebuild() {
    filters = readFilters();
    var list = links(), visible = {};
    degree = {};
    list.forEach(function (link) {
      visible[link.from] = visible[link.to] = true;
      degree[link.from] = (degree[link.from] || 0) + 1;
      degree[link.to] = (degree[link.to] || 0) + 1;
    });
    var hiddenCount = 0, nodeCount = 0;
    ents.forEach(function (n) {
      if (!visible[shownAs(n.id)]) { hiddenCount += 1; }
      if (visible[n.id]) { nodeCount += 1; }
    });
    var records = ents.map(function (n) { return visNode(n.id, !!visible[n.id]); });
    linkOpacity = list.length > 1000 ? 0.35 : list.length > 300 ? 0.6 : 1;  // dense drawings: lighter links
    var linkRecords = list.map(visLink);
    current = {links: {}, visible: visible};
    list.forEach(function (link) { current.links[link.id] = link; });
    if (nodes === null) {
      nodes = new vis.DataSet(ents.map(function (n, i) {
        var r = records[i];
        r.x = view === "state" ? n.sx : n.x; r.y = view === "state" ? n.sy : n.y; r.shape = n.shape; r.color = n.color;
        return r;
      }));
      edges = new vis.DataSet(linkRecords);
    } else {
      var changes = [];
      records.forEach(function (r) {
        var old = nodes.get(r.id);
        if (old.hidden !== r.hidden || old.size !== r.size || old.title !== r.title) { changes.push(r); }
      });
      if (changes.length) { nodes.update(changes); }
      edges.clear();
      edges.add(linkRecords);
    }
    order = Object.keys(visible).map(Number).sort(function (a, b) {
      return (degree[b] - degree[a]) || (ents[b].events - ents[a].events) || (a - b);
    });
    kg.visibleNodes = nodeCount;
    kg.visibleEdges = list.length;
    kg.hiddenEntities = hiddenCount;
    var status = plural(nodeCount, "node") + ", " + plural(list.length, "link");
    if (hiddenCount) {
      status += "; " + plural(hiddenCount, "entity", "entities") + " with no link in these filters hidden";
    }
    $("kg-view-status").textContent = status;
    var on = typeBoxes.filter(function (box) { return box.checked; }).length;
    $("kg-types-count").textContent = on === typeBoxes.length ? "all" : on + " of " + typeBoxes.length;
    var kindsOn = kindBoxes.filter(function (box) { return box.checked; }).length;
    $("kg-kinds-count").textContent = kindsOn === kindBoxes.length ? "all" : kindsOn + " of " + kindBoxes.length;
  }

  rebuild();
  network = new vis.Network($("kg-network"), {nodes: nodes, edges: edges}, data.options);
  kg.network = network; kg.nodes = nodes; kg.edges = edges;
  kg.entities = ents;
  kg.view = function () { return view; };
  kg.expanded = function () { return Object.keys(expanded).map(Number); };
  kg.name = nodeName;
  window.kgNetwork = network;
  network.once("afterDrawing", function () { kg.drawn = true; });

  // ---- Labels: drawn by the page, most linked first, each only where it overlaps no other.
  var stage = $("kg-network"), widths = {};
  function drawLabels(ctx) {
    var ratio = network.canvas.pixelRatio || 1, scale = network.getScale();
    var origin = network.canvasToDOM({x: 0, y: 0}), width = stage.clientWidth, height = stage.clientHeight;
    var grid = {}, placed = [], cell = 60, focus = kg.focus;
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    function free(box) {
      for (var gx = Math.floor(box[0] / cell); gx <= Math.floor((box[0] + box[2]) / cell); gx++) {
        for (var gy = Math.floor(box[1] / cell); gy <= Math.floor((box[1] + box[3]) / cell); gy++) {
          var list = grid[gx + ":" + gy] || [];
          for (var k = 0; k < list.length; k++) {
            var o = list[k];
            if (o.node !== box.node &&
                box[0] < o[0] + o[2] && o[0] < box[0] + box[2] && box[1] < o[1] + o[3] && o[1] < box[1] + box[3]) {
              return false;
            }
          }
        }
      }
      return true;
    }
    function take(box) {
      for (var gx = Math.floor(box[0] / cell); gx <= Math.floor((box[0] + box[2]) / cell); gx++) {
        for (var gy = Math.floor(box[1] / cell); gy <= Math.floor((box[1] + box[3]) / cell); gy++) {
          (grid[gx + ":" + gy] = grid[gx + ":" + gy] || []).push(box);
        }
      }
    }
    var candidates = focus ? [focus.node].concat(focus.neighbours) : order;
    order.forEach(function (id) {  // nodes are obstacles too: a label never covers another node
      var body = network.body.nodes[id];
      if (!body || body.options.hidden || (focus && body.options.opacity < 1)) { return; }
      var x = body.x * scale + origin.x, y = body.y * scale + origin.y, r = body.options.size * scale;
      if (r >= 3 && x > -r && y > -r && x < width + r && y < height + r) {
        var box = [x - r, y - r, 2 * r, 2 * r];
        box.node = id;
        take(box);
      }
    });
    for (var c = 0; c < candidates.length && placed.length < 300; c++) {
      var id = candidates[c], body = network.body.nodes[id];
      if (!body || body.options.hidden) { continue; }
      var x = body.x * scale + origin.x, y = body.y * scale + origin.y, r = body.options.size * scale;
      if (x < -50 || y < -50 || x > width + 50 || y > height + 50) { continue; }
      var text = clip(nodeName(id), 32), font = (isState(id) ? "600 " : "") + "12px system-ui, sans-serif";
      var key = font + text;
      ctx.font = font;
      if (!(key in widths)) { widths[key] = ctx.measureText(text).width; }
      var w = widths[key] + 4, h = 15;
      var box = null, spots = [[x - w / 2, y + r + 2], [x - w / 2, y - r - 2 - h], [x + r + 3, y - h / 2],
                               [x - r - 3 - w, y - h / 2]];  // below, above, right, left
      for (var k = 0; k < spots.length && box === null; k++) {
        var spot = [spots[k][0], spots[k][1], w, h];
        spot.node = id;
        if (spot[0] >= 0 && spot[1] >= 0 && spot[0] + w <= width && spot[1] + h <= height && free(spot)) { box = spot; }
      }
      if (box === null) { continue; }
      take(box);
      placed.push({id: id, text: text, x: box[0], y: box[1], w: w, h: h});
      ctx.lineWidth = 3;
      ctx.strokeStyle = "rgba(255,255,255,0.9)";
      ctx.fillStyle = "#222";
      ctx.strokeText(text, box[0] + w / 2, box[1] + 1);
      ctx.fillText(text, box[0] + w / 2, box[1] + 1);
    }
    ctx.restore();
    kg.labels = placed;
  }
  network.on("afterDrawing", drawLabels);

  // ---- Focus and context: a selected node and its neighbours stay, the rest dims.
  function neighbours(id) {
    var out = [];
    Object.keys(current.links).forEach(function (key) {
      var link = current.links[key];
      if (link.from === id) { out.push(link.to); } else if (link.to === id) { out.push(link.from); }
    });
    return out.sort(function (a, b) { return (degree[b] - degree[a]) || (a - b); });
  }
  function applyFocus() {
    var focus = kg.focus, near = {};
    if (focus) {
      near[focus.node] = true;
      focus.neighbours.forEach(function (id) { near[id] = true; });
    }
    var nodeChanges = [];
    ents.forEach(function (n) {
      if (!current.visible[n.id]) { return; }
      var opacity = !focus || near[n.id] ? 1 : 0.15;
      if ((nodes.get(n.id).opacity || 1) !== opacity) { nodeChanges.push({id: n.id, opacity: opacity}); }
    });
    if (nodeChanges.length) { nodes.update(nodeChanges); }
    var edgeChanges = [];
    edges.forEach(function (e) {
      var on = !focus || (focus.link ? e.id === focus.link : e.from === focus.node || e.to === focus.node);
      var opacity = !focus ? linkOpacity : on ? 1 : 0.07;
      if (e.color.opacity !== opacity) {
        edgeChanges.push({id: e.id, color: {color: e.color.color, highlight: e.color.highlight,
                                             hover: e.color.hover, opacity: opacity}});
      }
    });
    if (edgeChanges.length) { edges.update(edgeChanges); }
    kg.dimmed = ents.filter(function (n) { return current.visible[n.id] && !near[n.id] && !!focus; }).length;
  }
  function setFocus(id) {
    kg.focus = null;
    if (id !== null && current.visible[id]) {
      var near = neighbours(id), parts = expanded[id] ? ents[id].members.filter(function (m) {
        return current.visible[m] && near.indexOf(m) === -1;
      }) : [];
      kg.focus = {node: id, neighbours: near.concat(parts)};  // an expanded state's parts are its context too
    }
    applyFocus();
    if (kg.focus) { network.selectNodes([id]); } else { network.unselectAll(); }
  }

  // ---- The side panel: a node's or a link's events in time order, with their sentences.
  var panel = $("kg-panel"), panelShows = null, fold = $("kg-panel-fold");
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
    panelShows = function () {
      var n = ents[id];
      fold.classList.toggle("hidden", !(view === "state" && n.members.length));
      fold.textContent = expanded[id] ? "Collapse into the state" : "Expand into its parts";
      if (isState(id)) {
        var kinds = {};
        n.members.forEach(function (m) { kinds[ents[m].kind] = (kinds[ents[m].kind] || 0) + 1; });
        renderPanel(n.name + " (state)", [
          "Folds in " + plural(n.members.length, "entity", "entities") + ": " +
            Object.keys(kinds).sort().map(function (k) { return k + " " + kinds[k]; }).join(", "),
          "Linked to " + plural(degree[id] || 0, "node") + " in this view"], stateEvents[id]);
        return;
      }
      var meta = [n.kind + (n.country ? ", " + n.country : "") + (n.role ? ", " + n.role : "")];
      if (n.state >= 0) { meta.push("State: " + ents[n.state].name); }
      if (n.aliases.length) { meta.push("Also: " + n.aliases.join(", ")); }
      meta.push(plural(n.events, "event") + ": " + n.asActor + " as actor, " + n.asRecipient +
                " as recipient; linked to " + n.partners + (n.partners === 1 ? " entity" : " entities"));
      renderPanel(n.name, meta, nodeEvents[id]);
    };
    kg.panel = {node: id};
    panelShows();
  }
  function showEdge(id) {
    panelShows = function () {
      var link = current.links[id];
      if (!link) { closePanel(); return; }
      fold.classList.add("hidden");
      var kinds = Object.keys(link.kinds).sort().map(function (k) { return k + " " + link.kinds[k].n; });
      var heading = link.forward === link.backward ? nodeName(link.from) + " \\u2013 " + nodeName(link.to) :
        link.forward ? nodeName(link.from) + " \\u2192 " + nodeName(link.to) :
        nodeName(link.to) + " \\u2192 " + nodeName(link.from);  // in the direction its events point
      renderPanel(heading, [kinds.join(", ")], link.events);
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
  function refresh() {
    var focused = kg.focus ? kg.focus.node : null, link = kg.focus ? kg.focus.link : undefined;
    rebuild();
    if (link !== undefined) {
      setFocus(null);
      if (current.links[link]) { kg.focus = {node: current.links[link].from, neighbours: [current.links[link].to],
                                             link: link}; applyFocus(); }
    } else {
      if (focused !== null && !current.visible[focused] && ents[focused].state >= 0) { focused = shownAs(focused); }
      setFocus(focused);
    }
    if (kg.panel && kg.panel.node !== undefined && !current.visible[kg.panel.node]) { closePanel(); }
    if (panelShows) { panelShows(); }
    network.redraw();
  }
  function select(id) {
    setFocus(id);
    showNode(id);
  }
  function expand(id, open) {
    if (open) { expanded[id] = true; } else { delete expanded[id]; }
    refresh();
    select(id);
    if (open) {
      var parts = [id].concat(ents[id].members).filter(function (m) { return current.visible[m]; });
      network.fit({nodes: parts, maxZoomLevel: 1.2, animation: {duration: 400, easingFunction: "easeInOutQuad"}});
    }
  }
  $("kg-panel-close").addEventListener("click", function () { closePanel(); setFocus(null); });
  fold.addEventListener("click", function () {
    if (kg.panel && kg.panel.node !== undefined) { expand(kg.panel.node, !expanded[kg.panel.node]); }
  });
  network.on("click", function (params) {
    if (params.nodes.length) {
      var id = params.nodes[0];
      if (isState(id)) { expand(id, true); } else { select(id); }
    } else if (params.edges.length) {
      var link = current.links[params.edges[0]];
      setFocus(null);
      if (link) {  // the link's two ends and the link itself stay, the rest dims
        kg.focus = {node: link.from, neighbours: [link.to], link: link.id};
        applyFocus();
      }
      showEdge(params.edges[0]);
    } else {
      setFocus(null);
      closePanel();
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { setFocus(null); closePanel(); }
  });

  // ---- Filters and the view toggle.
  typeBoxes.concat(kindBoxes, [toggle, from, to, country]).forEach(function (input) {
    input.addEventListener("change", refresh);
  });
  toggle.disabled = !events.some(function (ev) { return ev.uncertain; });
  function all(boxes, on) { boxes.forEach(function (box) { box.checked = on; }); refresh(); }
  $("kg-types-all").addEventListener("click", function () { all(typeBoxes, true); });
  $("kg-types-none").addEventListener("click", function () { all(typeBoxes, false); });
  $("kg-kinds-all").addEventListener("click", function () { all(kindBoxes, true); });
  viewBox.value = view;
  viewBox.disabled = !data.states;
  viewBox.addEventListener("change", function () {
    view = viewBox.value;
    expanded = {};
    nodes.update(ents.map(function (n) {
      return {id: n.id, x: view === "state" ? n.sx : n.x, y: view === "state" ? n.sy : n.y};
    }));
    refresh();
    network.fit({animation: false});
  });

  // ---- Search: the first entity whose name or alias is the query, else contains it.
  var names = $("kg-names");
  ents.forEach(function (n) {
    var option = document.createElement("option");
    option.value = n.name;
    names.appendChild(option);
  });
  var search = $("kg-search"), status = $("kg-search-status");
  function find(query) {
    var q = query.trim().toLowerCase(), exact = null, partial = null;
    if (!q) { return null; }
    ents.forEach(function (n) {
      var every = [n.name].concat(n.aliases || []).map(function (s) { return s.toLowerCase(); });
      if (exact === null && every.indexOf(q) !== -1) { exact = n; }
      if (partial === null && every.some(function (s) { return s.indexOf(q) !== -1; })) { partial = n; }
    });
    return exact || partial;
  }
  function go() {
    var n = find(search.value);
    if (!n) {
      status.textContent = search.value.trim() ? "no match" : "";
      setFocus(null);
      return;
    }
    var id = n.id, shownId = shownAs(id);
    if (shownId !== id) { expanded[shownId] = true; refresh(); }
    if (!current.visible[id]) {
      status.textContent = n.name + ": no link in these filters";
      setFocus(null);
      showNode(id);
      return;
    }
    status.textContent = "";
    select(id);
    network.focus(id, {scale: Math.max(network.getScale(), 1),
                       animation: {duration: 400, easingFunction: "easeInOutQuad"}});
  }
  search.addEventListener("change", go);
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); go(); }
  });

  // ---- Re-run layout: a bounded physics run from the current positions, then physics off again.
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
    var iterations = ents.length > 1000 ? 100 : 250;
    relayout.disabled = true;
    relayout.textContent = "Laying out\\u2026";
    timer = setTimeout(stopPhysics, 20000);
    network.setOptions({physics: {
      enabled: true, solver: "barnesHut", minVelocity: 1,
      barnesHut: {gravitationalConstant: -3000, centralGravity: 0.2, springLength: 110, avoidOverlap: 0.3},
      stabilization: {enabled: true, iterations: iterations, updateInterval: 50, fit: true}
    }});
    network.stabilize(iterations);
  });

  kg.select = function (id) { select(id); };
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
  #kg-view-status { color: #555; font-style: italic; }
  details.kg-menu { position: relative; }
  details.kg-menu summary { cursor: pointer; }
  details.kg-menu .menu { position: absolute; z-index: 20; top: 1.6em; left: 0; background: #fff;
                    border: 1px solid #ccc; border-radius: 4px; padding: 6px 10px;
                    box-shadow: 0 2px 8px rgba(0,0,0,0.15); max-height: 70vh; overflow-y: auto; }
  details.kg-menu ul { list-style: none; margin: 6px 0 0; padding: 0; }
  details.kg-menu li { white-space: nowrap; margin: 2px 0; }
  details.kg-menu .count { color: #777; }
  #kg-country { max-width: 12em; }
  #kg-panel-fold { margin: 4px 0; }
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
  <label>View <select id="kg-view"@@CONTROLS_DISABLED@@>
    <option value="state">states</option><option value="entity">entities</option></select></label>
  <details id="kg-kinds" class="kg-menu"><summary>Classes: <span id="kg-kinds-count">all</span></summary>
    <div class="menu">
      <button type="button" id="kg-kinds-all"@@CONTROLS_DISABLED@@>all</button>
      <ul>
@@KINDS@@
      </ul>
    </div>
  </details>
  <label>Country <select id="kg-country"@@CONTROLS_DISABLED@@><option value="">all</option>
@@COUNTRIES@@
  </select></label>
  <details id="kg-types" class="kg-menu"><summary>Event types: <span id="kg-types-count">all</span></summary>
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
  <span id="kg-view-status"></span>
</header>
<div id="kg-legend" role="note" aria-label="Legend"><ul>
@@LEGEND@@
</ul><span class="hint">Click a node or a link for its events, a state to expand it; Escape clears.</span></div>
<main>
  <div id="kg-stage">
  <div id="kg-network"></div>
  <div id="kg-empty" class="@@EMPTY_CLASS@@">No events in this graph.</div>
  </div>
  <aside id="kg-panel" class="hidden" aria-live="polite">
    <button type="button" id="kg-panel-close" title="Close">\u00d7</button>
    <h2 id="kg-panel-title"></h2>
    <div id="kg-panel-meta"></div>
    <button type="button" id="kg-panel-fold" class="hidden"></button>
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
