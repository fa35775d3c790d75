"""The actor network as GraphML or GEXF, with plain attribute values those formats can hold."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
from rdflib import Graph

from ..analysis.network import actor_network

# --------------------------------------------------------------------------- networks

_MAX_TEXTS = 3
_MAX_TEXT_LEN = 300


def _short(text: str) -> str:
    return text if len(text) <= _MAX_TEXT_LEN else text[: _MAX_TEXT_LEN - 1] + "…"


def flat_network(graph: Graph) -> nx.MultiDiGraph:
    """:func:`kg.analysis.network.actor_network` with only scalar attributes, for GraphML and GEXF.

    Node ``aliases`` become one string joined with ``"; "``. On edges, ``sentences``
    becomes the number of supporting sentences, ``text`` up to three of them joined with
    ``" | "``, ``docs`` the document ids joined with ``"; "``, and ``first_date`` and
    ``last_date`` the range of their documents' dates.
    """
    net = actor_network(graph)
    flat = nx.MultiDiGraph()
    for node, data in net.nodes(data=True):
        attrs = {k: v for k, v in data.items() if k != "aliases"}
        attrs["aliases"] = "; ".join(data.get("aliases", []))
        flat.add_node(node, **{k: _scalar(v) for k, v in attrs.items()})
    for u, v, key, data in net.edges(keys=True, data=True):
        sentences = data.get("sentences", [])
        attrs = {k: _scalar(val) for k, val in data.items() if k != "sentences"}
        texts = list(dict.fromkeys(s["text"] for s in sentences if s.get("text")))
        dates = sorted(s["date"] for s in sentences if s.get("date"))
        attrs.update(
            sentences=len(sentences),
            text=" | ".join(_short(t) for t in texts[:_MAX_TEXTS]),
            docs="; ".join(dict.fromkeys(s["doc"] for s in sentences if s.get("doc"))),
            first_date=dates[0] if dates else "",
            last_date=dates[-1] if dates else "",
        )
        flat.add_edge(u, v, key=key, **attrs)
    return flat


def _scalar(value):
    if value is None:
        return ""
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(str(v) for v in value)
    return str(value)


def export_graphml(graph: Graph, path: Path) -> None:
    """Write the actor network as GraphML (node and edge attributes all scalars)."""
    nx.write_graphml(flat_network(graph), str(path), encoding="utf-8")


def export_gexf(graph: Graph, path: Path) -> None:
    """Write the actor network as GEXF 1.2 for Gephi.

    GEXF reserves an edge's ``type`` (directed or undirected) and ``label``, so the
    event type is stored as ``event_type`` and also shown as the edge label.
    """
    net = flat_network(graph)
    for _, _, data in net.edges(data=True):
        data["event_type"] = data.pop("type", "")
        data["label"] = data["event_type"]
    nx.write_gexf(net, str(path), encoding="utf-8")
