"""Figures of a graph's events over time, drawn with matplotlib.

Figures are made with :class:`matplotlib.figure.Figure` on the Agg canvas, never through
``pyplot``: nothing needs a display, and no global state of the caller's matplotlib
(its backend, its open figures) is touched. The numbers come from :mod:`kg.analysis.stats`;
only asserted and intended events count, each in the month of its ``pol:date`` (else of
its document's ``dcterms:date``), and events without a month are left out and said so
on the figure.

- :func:`balance_figure`: the monthly conflict–cooperation balance (sum of PLOVER
  scores) between two actors, or of one actor with everyone, above the events by quad
  class.
- :func:`activity_figure`: events by PLOVER type and month, as stacked bars.
- :func:`save_figure`: PNG, SVG or PDF (from the extension), written atomically.

Examples
--------
>>> from kg.graph import build_graph
>>> fig = activity_figure(build_graph([]))
>>> fig.axes[0].get_title()
'Events by type and month'
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex, to_rgb
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from rdflib import Graph

from ..errors import OutputError
from ..outputs import write_atomic
from ..vocab import EVENT_TYPES, QUAD_COLOURS
from .series import MonthlyActivity, MonthlyBalance, monthly_activity, monthly_balance
from .stats import QUAD_CLASSES

__all__ = [
    "FIGURE_FORMATS",
    "TYPE_COLOURS",
    "balance_figure",
    "activity_figure",
    "draw_balance",
    "draw_activity",
    "save_figure",
    "figure_format",
]

log = logging.getLogger(__name__)

#: File extension -> matplotlib format of :func:`save_figure`.
FIGURE_FORMATS: dict[str, str] = {".png": "png", ".svg": "svg", ".pdf": "pdf"}

_OTHER_COLOUR = "#c7c7c7"
_LINE_COLOUR = "#333333"
_MAX_MONTH_LABELS = 24


def _shades() -> dict[str, str]:
    """Each type in a shade of its quad class's colour (the explorer's colours), light to dark."""
    colours: dict[str, str] = {}
    for quad in QUAD_CLASSES:
        types = [t for t in EVENT_TYPES.values() if t.quad == quad]
        base = to_rgb(QUAD_COLOURS[quad])
        for i, etype in enumerate(types):
            mix = 0.6 * i / max(len(types), 1)
            colours[etype.name] = to_hex(tuple(c + (1 - c) * mix for c in base))
    return colours


#: Bar colour of each PLOVER type in :func:`activity_figure`: shades of its quad class colour.
TYPE_COLOURS: dict[str, str] = _shades()


def _width(months: int) -> float:
    """Inches: wider with more months, from 7.5 up to 14 (then bars get thinner)."""
    return min(14.0, max(7.5, 0.3 * months + 3.5))


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _month_axis(ax, months: tuple[str, ...]) -> None:
    step = max(1, -(-len(months) // _MAX_MONTH_LABELS))
    ticks = list(range(0, len(months), step))
    slanted = len(ticks) > 6
    ax.set_xticks(ticks, [months[i] for i in ticks], rotation=45 if slanted else 0, ha="right" if slanted else "center")
    pad = max(0.0, (3 - len(months)) / 2)  # a month or two: bars of a sensible width, centred
    ax.set_xlim(-0.6 - pad, len(months) - 0.4 + pad)


def _note(events: int, undated: int) -> str:
    left_out = f"; {undated} event{'s' * (undated != 1)} without a month left out" if undated else ""
    return f"month\n{events} event{'s' * (events != 1)}, asserted and intended only{left_out}"


def _empty(ax, what: str) -> None:
    ax.text(0.5, 0.5, what, transform=ax.transAxes, ha="center", va="center", color="#666666")
    ax.set_xticks([])


def _stack(ax, months: tuple[str, ...], series: dict[str, tuple[int, ...]], colours: dict[str, str]) -> None:
    x = list(range(len(months)))
    bottom = [0] * len(months)
    for name, heights in series.items():
        ax.bar(x, heights, bottom=bottom, color=colours.get(name, _OTHER_COLOUR), label=name, edgecolor="white",
               linewidth=0.5)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("events")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False, reverse=True)


def draw_balance(data: MonthlyBalance) -> Figure:
    """The figure of a :class:`~kg.analysis.series.MonthlyBalance`: balance line above stacked quad-class bars.

    The top axes hold one line (``axes[0].lines[0]``: the balance of each month, with a
    zero line as ``axes[0].lines[1]``); the bottom axes one bar container per quad class
    (``axes[1].containers``, labelled with the class), stacked, one bar per month.

    Parameters
    ----------
    data
        From :func:`kg.analysis.series.monthly_balance`.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from kg.analysis.series import MonthlyBalance
    >>> from kg.analysis.stats import Actor
    >>> data = MonthlyBalance(Actor("polr:a", "Atlantis", "Country"), None, ("2025-03",), (-3.0,),
    ...                       {"verbal-conflict": (1,)}, events=1, undated=0)
    >>> fig = draw_balance(data)
    >>> fig.axes[0].lines[0].get_ydata().tolist(), fig.axes[1].containers[0].get_label()
    ([-3.0], 'verbal-conflict')
    """
    n = len(data.months)
    fig = _figure(_width(n), 6.0)
    top, bottom = fig.subplots(2, 1, sharex=True)
    who = f"{data.actor.label} and {data.other.label}" if data.other else f"{data.actor.label} with everyone"
    fig.suptitle(f"Conflict–cooperation balance: {who}")
    top.set_ylabel("sum of PLOVER scores")
    bottom.set_xlabel(_note(data.events, data.undated))
    if not n:
        _empty(top, "no dated asserted or intended events")
        _empty(bottom, "")
        return fig
    x = list(range(n))
    top.plot(x, data.balance, marker="o", color=_LINE_COLOUR, label="balance")
    top.margins(y=0.2)  # room for the value labels
    top.axhline(0.0, color="#999999", linewidth=0.8)
    for xi, value in zip(x, data.balance, strict=True):
        colour = QUAD_COLOURS["verbal-cooperation"] if value > 0 else QUAD_COLOURS["material-conflict"]
        if value:
            top.annotate(f"{value:g}", (xi, value), textcoords="offset points", xytext=(0, 6), ha="center",
                         fontsize="small", color=colour)
    _stack(bottom, data.months, data.counts, QUAD_COLOURS)
    _month_axis(bottom, data.months)
    return fig


def draw_activity(data: MonthlyActivity) -> Figure:
    """The figure of a :class:`~kg.analysis.series.MonthlyActivity`: events by type and month, stacked.

    One axes, one bar container per type present (``axes[0].containers``, labelled with
    the type, in PLOVER order from cooperation to conflict), one bar per month.

    Parameters
    ----------
    data
        From :func:`kg.analysis.series.monthly_activity`.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from kg.analysis.series import MonthlyActivity
    >>> fig = draw_activity(MonthlyActivity(("2025-03", "2025-04"), {"CONSULT": (2, 0)}, events=2, undated=0))
    >>> [int(bar.get_height()) for bar in fig.axes[0].containers[0]]
    [2, 0]
    """
    n = len(data.months)
    fig = _figure(_width(n), 4.5)
    ax = fig.subplots()
    ax.set_title("Events by type and month")
    ax.set_xlabel(_note(data.events, data.undated))
    if not n:
        _empty(ax, "no dated asserted or intended events")
        return fig
    _stack(ax, data.months, data.counts, TYPE_COLOURS)
    _month_axis(ax, data.months)
    return fig


def balance_figure(graph: Graph, actor: str, other: str | None = None) -> Figure:
    """The monthly conflict–cooperation balance between two actors, or of one with everyone.

    Parameters
    ----------
    graph
        A graph in the shape of the RDF contract.
    actor, other
        Labels, aliases (``skos:altLabel``) or IRIs; see :func:`kg.analysis.stats.find_actor`.

    Returns
    -------
    matplotlib.figure.Figure
        As drawn by :func:`draw_balance`.

    Raises
    ------
    kg.analysis.stats.ActorNotFoundError, kg.analysis.stats.AmbiguousActorError
        When a name fits no entity, or several.

    See Also
    --------
    kg.analysis.series.monthly_balance : the numbers drawn, and which events count.

    Examples
    --------
    >>> from kg.graph import build_graph
    >>> from kg.model import Document, DocumentExtraction, Entity, Event, Sentence
    >>> atl, bor = Entity("country/ATL", "Atlantis", "Country"), Entity("country/BOR", "Borduria", "Country")
    >>> s = Sentence("d1", 0, 26, "Atlantis accused Borduria.")
    >>> x = DocumentExtraction(Document("d1", s.text, date="2025-03-05"), (s,), (atl, bor), (),
    ...                        (Event("ACCUSE", (atl.key,), (bor.key,), "Asserted", "accused", s),))
    >>> fig = balance_figure(build_graph([x]), "Atlantis", "Borduria")
    >>> fig.axes[0].lines[0].get_ydata().tolist()
    [-3.0]
    """
    return draw_balance(monthly_balance(graph, actor, other))


def activity_figure(graph: Graph) -> Figure:
    """Asserted and intended events by PLOVER type and month, as stacked bars.

    Parameters
    ----------
    graph
        A graph in the shape of the RDF contract.

    Returns
    -------
    matplotlib.figure.Figure
        As drawn by :func:`draw_activity`.

    See Also
    --------
    kg.analysis.series.monthly_activity : the numbers drawn.

    Examples
    --------
    >>> from kg.graph import build_graph
    >>> activity_figure(build_graph([])).axes[0].containers
    []
    """
    return draw_activity(monthly_activity(graph))


def figure_format(path: str | os.PathLike, format: str | None = None) -> str:
    """The format :func:`save_figure` writes ``path`` in: ``format``, else from the extension.

    Raises
    ------
    OutputError
        For anything but PNG, SVG and PDF.

    >>> figure_format("balance.svg"), figure_format("out.fig", "png")
    ('svg', 'png')
    """
    target = Path(path)
    fmt = format.lower() if format else FIGURE_FORMATS.get(target.suffix.lower())
    if fmt not in FIGURE_FORMATS.values():
        shown = f"format {format!r}" if format else f"extension {target.suffix or '(none)'!r}"
        raise OutputError(f"{target}: cannot write a figure with {shown}; use .png, .svg or .pdf")
    return fmt


def save_figure(fig: Figure, path: str | os.PathLike, *, format: str | None = None) -> Path:
    """Write a figure as PNG, SVG or PDF, replacing ``path`` only once the file is complete.

    The figure is written to a temporary file beside ``path`` and moved over it in one
    step: a failure leaves any earlier file at ``path`` as it was.

    Parameters
    ----------
    fig
        The figure.
    path
        The file to write; its directory must exist.
    format
        ``png``, ``svg`` or ``pdf``; by default from the extension of ``path``.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    OutputError
        For another format, or when the file cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from kg.graph import build_graph
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = save_figure(activity_figure(build_graph([])), Path(tmp) / "activity.png")
    ...     path.read_bytes()[:8]
    b'\\x89PNG\\r\\n\\x1a\\n'
    """
    target = Path(path)
    fmt = figure_format(target, format)
    metadata = {"svg": {"Date": None}, "pdf": {"CreationDate": None, "Creator": "kg plot"}}.get(fmt)

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as out:
            fig.savefig(out, format=fmt, metadata=metadata, dpi=150 if fmt == "png" else "figure")

    write_atomic(target, write, what="figure", make_folder=False)
    log.info("wrote %s (%s)", target, fmt)
    return target
