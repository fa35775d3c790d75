"""``kg import``: events coded by other datasets into a graph. Parses options, calls
:mod:`kg.importers`, shows the result. Nothing else.

kg import gdelt 20241113.export.CSV.zip -o gdelt.ttl
kg import plover records.jsonl -o plover.ttl --merge-into articles.ttl

Registered on the main app by :mod:`kg.cli.main` (``app.add_typer(import_app)``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import NothingToDoError
from .common import add_breakdown, check_outputs, err, guard, report_bad, summary_table

if TYPE_CHECKING:
    from ..importers import ImportReport

__all__ = ["import_app"]

import_app = typer.Typer(
    name="import",
    help="Import events coded by other datasets (GDELT 2.0 exports, PLOVER/POLECAT records) into a graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_Output = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Graph file to write (default: the --merge-into file, else graph.ttl)."),
]
_MergeInto = Annotated[
    Path | None,
    typer.Option("--merge-into", help="Add the events to this graph (for example one built from articles)."),
]
_Format = Annotated[str | None, typer.Option("--format", "-f", help="Output format (default: from the extension).")]
_SkipBad = Annotated[bool, typer.Option("--skip-bad", help="Carry on past bad rows or records; list them at the end.")]
_Validate = Annotated[bool, typer.Option("--validate/--no-validate", help="Check the graph against the SHACL shapes.")]


def _importer(source: str, inputs: str, doc: str):
    """The ``kg import SOURCE`` command: the same options for every dataset, its own help."""

    def command(
        files: list[Path],
        output: _Output = None,
        merge_into: _MergeInto = None,
        fmt: _Format = None,
        skip_bad: _SkipBad = False,
        validate: _Validate = True,
    ) -> None:
        _run(source, files, output, merge_into, fmt, skip_bad, validate)

    # the help of the files argument is this dataset's own (annotations are strings here)
    command.__annotations__["files"] = Annotated[list[Path], typer.Argument(help=inputs)]
    command.__doc__ = doc
    command.__name__ = source
    return import_app.command(source)(guard(command))


gdelt = _importer(
    "gdelt",
    "GDELT 2.0 event exports: .CSV, .csv.zip or .gz.",
    "Import GDELT 2.0 events: kg import gdelt 20241113.export.CSV.zip -o gdelt.ttl",
)
plover = _importer(
    "plover",
    "PLOVER/POLECAT records: .jsonl, or .json (an array).",
    "Import PLOVER/POLECAT records: kg import plover records.jsonl -o plover.ttl",
)


def _run(
    source: str,
    files: list[Path],
    output: Path | None,
    merge_into: Path | None,
    fmt: str | None,
    skip_bad: bool,
    validate: bool,
) -> None:
    from ..export import format_for, write_graph
    from ..graph import load_graph
    from ..importers import import_events

    target = output or merge_into or Path("graph.ttl")
    check_outputs(files, [target])  # writing over --merge-into is what it is for
    fmt = format_for(target, fmt)  # fail on a bad format before any work
    graph = load_graph(merge_into) if merge_into is not None else None
    g, report = import_events(source, files, skip_bad=skip_bad, graph=graph)
    if report.records == 0:
        detail = "; ".join(str(e) for e in report.bad[:5])
        raise NothingToDoError("no records were read" + (f" (all bad: {detail})" if detail else ""))
    if validate:
        from ..validation import check

        check(g)
    path = write_graph(g, target, format=fmt)
    _summary(report, len(g), path)


def _summary(report: ImportReport, n_triples: int, path: Path) -> None:
    table = summary_table(f"kg import {report.source}")
    table.add_row("records read", f"{report.records:,}")
    table.add_row("events imported", f"{sum(report.events.values()):,}")
    add_breakdown(table, report.events)
    if report.unmapped:
        table.add_row("no PLOVER type (left out)", f"{sum(report.unmapped.values()):,}")
        add_breakdown(table, report.unmapped, name=lambda code: f"CAMEO {code}", by_count=False)
    if report.unresolved:
        table.add_row("actor not resolved (left out)", f"{sum(report.unresolved.values()):,}")
        add_breakdown(table, report.unresolved)
    if report.unknown_types:
        table.add_row("unknown actor types (read as the country)", f"{sum(report.unknown_types.values()):,}")
        add_breakdown(table, report.unknown_types, by_count=False)
    table.add_row("triples", f"{n_triples:,}")
    table.add_row("wrote", str(path))
    err.print(table)
    report_bad(report.bad, "row(s) or record(s)")
