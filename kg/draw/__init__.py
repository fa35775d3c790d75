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

The package: :mod:`~kg.draw.data` (what the page shows, computed in Python),
:mod:`~kg.draw.layout` (seeded positions), :mod:`~kg.draw.page` (the file: ``page.html``
and ``explorer.js``, filled and inlined).
"""

from __future__ import annotations

from .data import NODE_COLOURS, NODE_SHAPES, UNCERTAIN_COLOUR, UNCERTAIN_MODALITIES, UNDIRECTED_TYPES
from .page import DrawSummary, draw_html, render_html

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
