"""The explorer page: one offline HTML file, its template (``page.html``) and script
(``explorer.js``) read from this package, the data inlined, a Content-Security-Policy that
lets only those scripts run; and writing it atomically."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import logging
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from rdflib import Graph

from ..errors import OutputError
from ..outputs import write_atomic
from ..vocab import EVENT_TYPES, QUAD_COLOURS
from .data import (
    _OTHER_COLOUR,
    _QUAD_NAMES,
    _SHAPE_PATHS,
    _VIS_DIR,
    NODE_COLOURS,
    NODE_SHAPES,
    UNCERTAIN_COLOUR,
    _clip,
    page_content,
)

log = logging.getLogger(__name__)


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
    return _fill(**page_content(graph, title=title, max_nodes=max_nodes, seed=seed).fields)


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
    page = page_content(graph, title=title, max_nodes=max_nodes, seed=seed)
    html = _fill(**page.fields).encode("utf-8")
    write_atomic(target, lambda tmp: tmp.write_bytes(html), what="explorer page", make_folder=False)
    log.info(
        "drew %d entities and %d links to %s (%d entities left out)", page.nodes, page.edges, target, page.hidden_nodes
    )
    return DrawSummary(path=target, nodes=page.nodes, edges=page.edges, hidden_nodes=page.hidden_nodes)


# --------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------
# The page


@lru_cache(maxsize=2)
def _asset(name: str) -> str:
    """The page's template (``page.html``) or script (``explorer.js``): files of this package.
    The script reaches document text only through ``textContent`` and vis-network's own text
    tooltips; ``window.kg`` exposes its state for tests and notebooks."""
    return resources.files("kg.draw").joinpath(name).read_text(encoding="utf-8")


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
                _csp_hash(_asset("explorer.js")) + ";",
                "style-src 'unsafe-inline';",
                "img-src data:;",
                "base-uri 'none';",
                "form-action 'none'",
            ]
        ),
        "VIS_CSS": css,
        "VIS_JS": js,
        "APP_JS": _asset("explorer.js"),
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
    return re.sub(r"@@([A-Z_]+)@@", lambda m: values[m.group(1)], _asset("page.html"))
