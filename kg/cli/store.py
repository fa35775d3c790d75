"""The ``kg`` commands for stores and the server: build --store, load, remove, serve.

Each parses options, calls :mod:`kg.store` or :mod:`kg.serve`, and shows the result;
:mod:`kg.cli.main` registers them (wrapped in its error guard)::

    kg build --store news.kg articles/      # add new and changed documents only
    kg load --store news.kg old-graph.ttl   # bring an existing graph file in
    kg remove --store news.kg doc-17 doc-18
    kg serve news.kg --port 7878            # SPARQL at /sparql, explorer at /
"""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import UsageError
from .common import (
    add_breakdown,
    err,
    summary_table,
)

if TYPE_CHECKING:
    from ..builder import BuildReport

__all__ = ["print_store_report", "load", "remove", "serve"]

log = logging.getLogger(__name__)


def print_store_report(report: BuildReport, store_dir: Path) -> None:
    """The summary of ``kg build --store``, then each review decision that went stale."""
    counts = report.counts
    table = summary_table("kg build --store")
    table.add_row("store", str(store_dir))
    table.add_row("documents added", f"{report.added:,}")
    table.add_row("documents replaced", f"{report.replaced:,}")
    table.add_row("unchanged, skipped", f"{report.unchanged:,}")
    table.add_row("sentences parsed", f"{counts.sentences_parsed:,}")
    table.add_row("events", f"{counts.events:,}")
    add_breakdown(table, counts.events_by_type)
    if report.stale:
        table.add_row("review decisions stale", f"{len(report.stale):,}")
    if report.stale_entities:
        table.add_row("entity decisions stale", f"{len(report.stale_entities):,}")
    table.add_row("documents in store", f"{report.documents_in_store:,}")
    table.add_row("triples in store", f"{report.triples:,}")
    table.add_row("seconds", f"{report.seconds:.1f}")
    for path in report.written:
        table.add_row("wrote", str(path))
    err.print(table)
    for s in report.stale:
        err.print(f"stale review decision: {s.decision.document} {s.decision.trigger!r}: {s.reason}", highlight=False)
    _report_stale_entities(report.stale_entities)


_STORE_OPTION = typer.Option("--store", "-s", help="The store directory.")


def load(
    files: Annotated[list[str], typer.Argument(help="Graph files (.ttl, .nt, .jsonld, .rdf, .trig, .nq).")],
    store: Annotated[Path, _STORE_OPTION],
) -> None:
    """Load graph files into a store, one named graph per document: kg load --store news.kg graph.ttl"""
    from ..store import open_store

    totals: Counter[str] = Counter()
    with open_store(store) as opened:
        for name in files:
            counts = opened.load_file(name)
            totals.update(counts)
            err.print(
                f"{name}: {counts['added']} added, {counts['replaced']} replaced, {counts['unchanged']} unchanged",
                markup=False,
                highlight=False,
            )
        err.print(f"{store}: {opened.document_count():,} documents, {len(opened):,} triples", highlight=False)
    _report_stale_entities(opened.stale_entity_decisions)


def remove(
    ids: Annotated[list[str], typer.Argument(help="Ids of the documents to take out (dcterms:identifier).")],
    store: Annotated[Path, _STORE_OPTION],
    missing_ok: Annotated[
        bool, typer.Option("--missing-ok", help="Ignore ids that are not in the store instead of failing.")
    ] = False,
) -> None:
    """Take documents out of a store, with every fact only they supported: kg remove --store news.kg doc-17"""
    from ..store import open_store

    with open_store(store, create=False) as opened:
        n = opened.remove_documents(ids, missing_ok=missing_ok)
        err.print(
            f"removed {n} document(s); {store} now holds {opened.document_count():,} documents, "
            f"{len(opened):,} triples",
            highlight=False,
        )
    _report_stale_entities(opened.stale_entity_decisions)


def _report_stale_entities(stale: list) -> None:
    """List the entity merges and splits (kg entities merge|split) a store's last refresh could not apply."""
    for s in stale:
        err.print(f"stale entity decision: {s.decision.describe()}: {s.reason}", highlight=False)


def serve(
    source: Annotated[str, typer.Argument(help="Graph file or store directory to serve.")],
    host: Annotated[str, typer.Option("--host", help="Address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", "-p", min=0, max=65535, help="Port to listen on.")] = 7878,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.001, help="Seconds a query may run before it is stopped (503).")
    ] = 30.0,
    max_results: Annotated[
        int, typer.Option("--max-results", min=0, help="Rows or triples a query may return (more: 400); 0: no limit.")
    ] = 10_000,
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="Queries that can run at once (one client runs at most workers-1).")
    ] = 2,
    title: Annotated[str, typer.Option("--title", help="Title of the explorer page.")] = "Political event graph",
    cors_origin: Annotated[
        list[str] | None,
        typer.Option(
            "--cors",
            "--cors-origin",
            help="Origin whose web pages may read answers (repeatable; '*' for any): --cors https://yasgui.triply.cc. "
            "Default: none.",
        ),
    ] = None,
    max_memory: Annotated[
        str, typer.Option("--max-memory", help="Memory a query worker may use, graph included (2G, 512M); 0: no bound.")
    ] = "2G",
) -> None:
    """Serve SPARQL and the explorer: kg serve graph.ttl (SPARQL at /sparql, explorer at /, Ctrl-C stops)"""
    from ..sandbox import format_size, parse_size
    from ..serve import serve as run_server

    try:
        memory = None if max_memory.strip() in ("0", "none") else parse_size(max_memory)
    except ValueError as exc:
        raise UsageError(f"--max-memory: {exc}") from None

    def ready(url: str) -> None:
        base = url[: -len("/sparql")]
        err.print(
            f"kg serve: SPARQL endpoint {url}\n  explorer {base}/   graph {base}/graph.ttl\n"
            f"  read-only; time limit {timeout:g} s, "
            f"{f'at most {max_results:,} results' if max_results else 'no result limit'}, "
            f"{format_size(memory) if memory else 'no memory bound'} per worker; "
            f"{'CORS for ' + ', '.join(cors_origin) if cors_origin else 'no cross-origin reads'}; Ctrl-C stops",
            highlight=False,
            markup=False,
        )

    try:
        run_server(
            source,
            host=host,
            port=port,
            on_ready=ready,
            timeout=timeout,
            max_results=max_results or None,
            workers=workers,
            title=title,
            cors_origins=cors_origin or [],
            max_memory=memory,
        )
    except KeyboardInterrupt:  # Ctrl-C is how a server stops: the workers are already gone
        pass
    err.print("kg serve: stopped")
