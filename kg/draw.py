"""The draw stage: the actor network as one offline, self-contained, interactive HTML page.

Nodes are the graph's entities, coloured by class and sized by how many events they take
part in; edges are one per (actor, recipient, event type, modality), coloured by PLOVER
quad class. pyvis builds the vis-network node and edge records; the page around them is
kg's own, because pyvis 0.3.2's template loads bootstrap from a CDN in every mode and can
switch to a tooltip that assigns document text with ``innerHTML``. Here vis-network's
JavaScript and CSS are inlined, every piece of document text travels as escaped JSON in a
non-executed ``application/json`` block, and a Content-Security-Policy lets only the page's
own two scripts run and nothing load from anywhere.

Positions are computed in Python with a seeded layout and vis physics is off, so a page
with hundreds of nodes opens at once, and the same graph always gives the same bytes.
"""

from __future__ import annotations

import base64
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
from .network import actor_network
from .vocab import POL, RDF

__all__ = [
    "DrawSummary",
    "draw_html",
    "render_html",
    "NODE_COLOURS",
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
UNCERTAIN_MODALITIES = frozenset({"Hypothetical", "Negated"})

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
    log.info("drew %d entities and %d links to %s (%d entities left out)",
             page.nodes, page.edges, target, page.hidden_nodes)
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

    edges = [
        (a, r, key, data)
        for a, r, key, data in actors.edges(keys=True, data=True)
        if a in index and r in index
    ]
    edges.sort(key=lambda e: (index[e[0]], index[e[1]], e[2]))
    positions = _layout(len(kept), [(index[a], index[r], d["weight"]) for a, r, _, d in edges], seed)

    net = Network(directed=True, cdn_resources="in_line")
    for i, iri in enumerate(kept):
        data = actors.nodes[iri]
        x, y = positions[i]
        net.add_node(
            i,
            label=data["label"],
            shape="dot",
            color=NODE_COLOURS.get(data["kind"], _OTHER_COLOUR),
            size=round(min(10 + 5 * math.sqrt(data["events"]), 50), 1),
            title=_node_tooltip(data),
            x=x,
            y=y,
            iri=iri,
            kind=data["kind"],
            events=data["events"],
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
        }
        if curves[j]:
            options["smooth"] = curves[j]
        net.add_edge(index[a], index[r], **options)
    net.options = _vis_options(len(kept), seed)
    nodes, vis_edges, _heading, _height, _width, _options = net.get_network_data()

    hidden_nodes = len(ranked) - len(kept)
    page = _fill(
        title=title,
        data={"nodes": nodes, "edges": vis_edges, "options": net.options},
        summary=_summary_text(len(kept), len(ranked), len(vis_edges), uncertain_count),
        empty=not nodes,
    )
    return _Page(html=page, nodes=len(nodes), edges=len(vis_edges), hidden_nodes=hidden_nodes)


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
            for b in actors[i + 1:]:
                out.add((a, b, tname, mname))
    return out


def _local(iri: object) -> str:
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _clip(text: str, size: int = _MAX_TEXT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def _node_tooltip(data: dict) -> str:
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
    lines.append(f"{events} event" + ("" if events == 1 else "s"))
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
    row_width = max(2 * _NODE_SPACING * math.sqrt(len(components[0])) + 2 * _PAD,
                    1.3 * math.sqrt(sum((2 * _NODE_SPACING * math.sqrt(len(c)) + 2 * _PAD) ** 2
                                        for c in components)))
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
            dx = x[start:start + block, None] - x[None, :]
            dy = y[start:start + block, None] - y[None, :]
            push = k * k / np.maximum(dx * dx + dy * dy, 1e-4)
            disp[start:start + block, 0] = (dx * push).sum(axis=1)
            disp[start:start + block, 1] = (dy * push).sum(axis=1)
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
            "font": {"size": 10, "color": "#444444", "strokeWidth": 3, "strokeColor": "#ffffff",
                     "align": "middle"},
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
    for raw, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """vis-network's JavaScript and CSS as shipped inside pyvis, checked to be inlinable."""
    lib = resources.files("pyvis").joinpath(*_VIS_DIR)
    js = lib.joinpath("vis-network.min.js").read_text(encoding="utf-8")
    css = lib.joinpath("vis-network.css").read_text(encoding="utf-8")
    if "</script" in js.lower() or "</style" in css.lower():
        raise OutputError("pyvis's vis-network files cannot be inlined (they contain a closing tag); "
                          "reinstall pyvis==0.3.2")
    return js, css


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _legend() -> str:
    items = [
        f'<li><span class="dot" style="background:{colour}"></span>{html.escape(kind)}</li>'
        for kind, colour in NODE_COLOURS.items()
    ]
    items += [
        f'<li><span class="line" style="border-color:{colour}"></span>{html.escape(_QUAD_NAMES[quad])}</li>'
        for quad, colour in QUAD_COLOURS.items()
    ]
    items.append(f'<li><span class="line dashed" style="border-color:{UNCERTAIN_COLOUR}"></span>'
                 "hypothetical / negated</li>")
    return "\n".join(items)


def _fill(*, title: str, data: dict, summary: str, empty: bool) -> str:
    js, css = _vis_assets()
    values = {
        "TITLE": html.escape(title),
        "CSP": " ".join(["default-src 'none';", "script-src", _csp_hash(js), _csp_hash(_APP_JS) + ";",
                         "style-src 'unsafe-inline';", "img-src data:;", "base-uri 'none';",
                         "form-action 'none'"]),
        "VIS_CSS": css,
        "VIS_JS": js,
        "APP_JS": _APP_JS,
        "DATA": _script_json(data),
        "SUMMARY": html.escape(summary),
        "EMPTY_CLASS": "" if empty else " hidden",
        "LEGEND": _legend(),
    }
    return re.sub(r"@@([A-Z_]+)@@", lambda m: values[m.group(1)], _PAGE)


_APP_JS = """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  if (!data.nodes.length) { return; }
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(document.getElementById("kg-network"),
                                {nodes: nodes, edges: edges}, data.options);
  window.kgNetwork = network;

  var toggle = document.getElementById("kg-uncertain");
  var uncertain = data.edges.filter(function (e) { return e.uncertain; });
  toggle.disabled = uncertain.length === 0;
  toggle.addEventListener("change", function () {
    var show = toggle.checked;
    edges.update(uncertain.map(function (e) { return {id: e.id, hidden: !show}; }));
  });

  var names = document.getElementById("kg-names");
  data.nodes.forEach(function (n) {
    var option = document.createElement("option");
    option.value = n.label;
    names.appendChild(option);
  });
  var search = document.getElementById("kg-search");
  var status = document.getElementById("kg-search-status");
  function find(query) {
    var q = query.trim().toLowerCase();
    var exact = null, partial = null;
    if (!q) { return null; }
    data.nodes.forEach(function (n) {
      var names = [n.label].concat(n.aliases || []).map(function (s) { return s.toLowerCase(); });
      if (exact === null && names.indexOf(q) !== -1) { exact = n; }
      if (partial === null && names.some(function (s) { return s.indexOf(q) !== -1; })) { partial = n; }
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
    network.focus(node.id, {scale: 1.2, animation: {duration: 400, easingFunction: "easeInOutQuad"}});
  }
  search.addEventListener("change", go);
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); go(); }
  });
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
           align-items: center; gap: 8px 20px; }
  header h1 { font-size: 1.2em; margin: 0; }
  #kg-summary { color: #555; font-size: 0.9em; }
  #kg-search-status { color: #b00; font-size: 0.9em; }
  main { flex: 1; position: relative; min-height: 300px; }
  #kg-network { position: absolute; inset: 0; }
  #kg-empty { position: absolute; top: 40%; width: 100%; text-align: center; font-size: 1.3em; color: #777; }
  .hidden { display: none; }
  #kg-legend { position: absolute; right: 10px; top: 10px; background: rgba(255,255,255,0.9);
               border: 1px solid #ddd; border-radius: 4px; padding: 6px 10px; font-size: 0.8em; }
  #kg-legend summary { cursor: pointer; color: #555; }
  #kg-legend ul { list-style: none; margin: 4px 0 0; padding: 0; }
  #kg-legend li { margin: 2px 0; white-space: nowrap; }
  #kg-legend .dot { display: inline-block; width: 11px; height: 11px; border-radius: 50%;
                    margin-right: 6px; vertical-align: middle; }
  #kg-legend .line { display: inline-block; width: 22px; border-top: 3px solid; margin-right: 6px;
                     vertical-align: middle; }
  #kg-legend .line.dashed { border-top-style: dashed; }
  div.vis-tooltip { white-space: pre-wrap; max-width: 36em; font-family: system-ui, sans-serif;
                    font-size: 13px; }
</style>
</head>
<body>
<header>
  <h1>@@TITLE@@</h1>
  <span id="kg-summary">@@SUMMARY@@</span>
  <label>Find <input id="kg-search" type="search" list="kg-names" placeholder="entity name"
    autocomplete="off"></label>
  <datalist id="kg-names"></datalist>
  <span id="kg-search-status"></span>
  <label><input id="kg-uncertain" type="checkbox"> show hypothetical/negated</label>
</header>
<main>
  <div id="kg-network"></div>
  <div id="kg-empty" class="@@EMPTY_CLASS@@">No events in this graph.</div>
  <details id="kg-legend" open><summary>Legend</summary><ul>
@@LEGEND@@
  </ul></details>
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
        raise OutputError(f"{target}: cannot write ({exc.strerror or exc}); check that the directory "
                          "exists and is writable") from exc
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        _remove_quietly(tmp)
        raise OutputError(f"{target}: cannot write ({exc.strerror or exc}); the previous file, if any, "
                          "is unchanged") from exc
    except BaseException:
        _remove_quietly(tmp)
        raise


def _remove_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
