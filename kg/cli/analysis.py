"""The ``kg`` commands that analyse a graph: ``stats`` and ``plot balance|activity``.

Each parses options, calls :mod:`kg.analysis.stats` or :mod:`kg.analysis.plot`, and shows the result;
:mod:`kg.cli.main` registers them (each is already wrapped in the error guard)::

    kg stats graph.ttl --top 5                                  # counts, central actors, components
    kg stats news.kg --format json                              # the same as JSON (a store works too)
    kg plot balance graph.ttl --actor Russia --other Ukraine -o balance.png
    kg plot activity graph.ttl -o activity.svg

matplotlib is imported only when a plot command runs, so ``kg`` starts fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from ..errors import NothingToDoError, UsageError
from .common import check_outputs, err, guard, load_source_graph, out

if TYPE_CHECKING:

    from ..analysis.stats import ActorCentrality, GraphStats

__all__ = ["stats", "plot_app", "balance", "activity", "STATS_FORMATS"]

#: Output formats of ``kg stats``.
STATS_FORMATS = ("table", "json")

plot_app = typer.Typer(
    name="plot",
    help="Draw figures of a graph's events over time (PNG, SVG or PDF; asserted and intended events only).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_Source = Annotated[str, typer.Argument(help="Graph file (.ttl, .nt, .jsonld, .trig ...) or store directory.")]


# --------------------------------------------------------------------------- kg stats


@guard
def stats(
    graph: _Source,
    top: Annotated[int, typer.Option("--top", "-n", min=1, help="How many actors and component sizes to list.")] = 10,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    by_state: Annotated[
        bool, typer.Option("--by-state", help="Count each government, army, office holder ... as its state.")
    ] = False,
) -> None:
    """Count and rank: kg stats graph.ttl --top 5 (events, entities, central actors, components)"""
    from ..analysis.stats import graph_stats

    if fmt not in STATS_FORMATS:
        raise UsageError(f"--format {fmt!r}: choose one of {', '.join(STATS_FORMATS)}")
    result = graph_stats(load_source_graph(graph), top=top, by_state=by_state)
    if fmt == "json":
        sys.stdout.write(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n")
        return
    for table in _stats_tables(result):
        out.print(table)


def _stats_tables(s: GraphStats) -> list[Table]:
    counts = Table(title="graph", show_header=False, title_justify="left")
    counts.add_column(style="bold")
    counts.add_column(justify="right")
    counts.add_column()
    largest = ", ".join(str(n) for n in s.largest_components)
    level = "each entity with a pol:state counted as its state" if s.level == "state" else "each entity on its own"
    counts.add_row("level", s.level, level)
    for label, value, note in (
        ("documents", s.documents, ""),
        ("sentences", s.sentences, ""),
        ("events", s.events, ""),
        ("entities", s.entities, ""),
        ("actors", s.actors, "in the network of asserted and intended events"),
        ("links", s.links, "pairs of actors, weighted by events between them"),
        ("components", s.components, f"largest: {largest}" if largest else ""),
        ("isolated", s.isolated, "actors without links"),
    ):
        counts.add_row(label, f"{value:,}", note)

    modalities = list(s.events_by_modality)
    events = Table(title="events by type and modality", title_justify="left")
    events.add_column("type", style="bold")
    events.add_column("total", justify="right")
    for m in modalities:
        events.add_column(m, justify="right")
    for etype, total in s.events_by_type.items():
        row = s.events_by_type_and_modality[etype]
        events.add_row(etype, f"{total:,}", *(f"{row[m]:,}" for m in modalities))
    events.add_row("all", f"{s.events:,}", *(f"{s.events_by_modality[m]:,}" for m in modalities), style="italic")

    classes = Table(title="entities by class", title_justify="left")
    classes.add_column("class", style="bold")
    classes.add_column("entities", justify="right")
    for kind, n in s.entities_by_class.items():
        classes.add_row(kind, f"{n:,}")

    return [
        counts,
        events,
        classes,
        _actor_table(f"top {len(s.top_degree)} actors by degree", s.top_degree),
        _actor_table(f"top {len(s.top_betweenness)} actors by betweenness", s.top_betweenness),
    ]


def _actor_table(title: str, actors: tuple[ActorCentrality, ...]) -> Table:
    table = Table(title=title, title_justify="left")
    for name, justify in (("#", "right"), ("actor", "left"), ("class", "left"), ("partners", "right"),
                          ("events", "right"), ("betweenness", "right")):
        table.add_column(name, justify=justify)
    for rank, a in enumerate(actors, 1):
        table.add_row(str(rank), a.label, a.kind, f"{a.degree:,}", f"{a.weighted_degree:,}", f"{a.betweenness:.3f}")
    return table


# --------------------------------------------------------------------------- kg plot


def _months(n: int) -> str:
    return f"{n} month{'s' * (n != 1)}"


def _events(n: int) -> str:
    return f"{n} event{'s' * (n != 1)}"


def _left_out(undated: int) -> str:
    return f"; {_events(undated)} without a month left out" if undated else ""


_Output = Annotated[Path, typer.Option("--output", "-o", help="Figure file: .png, .svg or .pdf.")]


@plot_app.command("balance")
@guard
def balance(
    graph: _Source,
    actor: Annotated[str, typer.Option("--actor", "-a", help="The actor: label, alias (skos:altLabel) or IRI.")],
    other: Annotated[
        str | None, typer.Option("--other", "-b", help="The other actor (default: everyone the actor deals with).")
    ] = None,
    output: _Output = Path("balance.png"),
    by_state: Annotated[
        bool, typer.Option("--by-state", help="Take each actor as its state, with all the state's parts.")
    ] = False,
    exact: Annotated[
        bool, typer.Option("--exact", help="Take a country as its own node, without its government, army ...")
    ] = False,
) -> None:
    """Monthly conflict–cooperation balance: kg plot balance graph.ttl --actor Russia --other Ukraine -o balance.png"""
    from ..analysis.plot import draw_balance, figure_format, save_figure
    from ..analysis.series import monthly_balance

    check_outputs([graph], [output])
    figure_format(output)  # a bad extension fails before any work
    data = monthly_balance(load_source_graph(graph), actor, other, by_state=by_state, exact=exact)
    first = _with_parts(data.actor.label, data.actor_parts)
    who = f"{first} and {_with_parts(data.other.label, data.other_parts)}" if data.other else f"{first} with everyone"
    if not data.months:
        raise NothingToDoError(
            f"nothing to plot: no asserted or intended events of {who} in a known month"
            f"{_left_out(data.undated)}; {output} was not written"
        )
    path = save_figure(draw_balance(data), output)
    err.print(
        f"wrote {path}: {who}, {_events(data.events)} in {_months(len(data.months))}, "
        f"balance {sum(data.balance):g} (asserted and intended events only{_left_out(data.undated)})",
        markup=False,
        highlight=False,
    )


def _with_parts(label: str, parts: int) -> str:
    """ "Russia (state: 3 parts)": says when a name was taken as a state with its parts."""
    return f"{label} (state: {parts} part{'s' * (parts != 1)})" if parts else label


@plot_app.command("activity")
@guard
def activity(graph: _Source, output: _Output = Path("activity.png")) -> None:
    """Events by type and month, stacked bars: kg plot activity graph.ttl -o activity.png"""
    from ..analysis.plot import draw_activity, figure_format, save_figure
    from ..analysis.series import monthly_activity

    check_outputs([graph], [output])
    figure_format(output)
    data = monthly_activity(load_source_graph(graph))
    if not data.months:
        raise NothingToDoError(
            f"nothing to plot: no asserted or intended events in a known month{_left_out(data.undated)}; "
            f"{output} was not written"
        )
    path = save_figure(draw_activity(data), output)
    types = len(data.counts)
    err.print(
        f"wrote {path}: {_events(data.events)} of {types} type{'s' * (types != 1)} in {_months(len(data.months))} "
        f"(asserted and intended events only{_left_out(data.undated)})",
        markup=False,
        highlight=False,
    )
