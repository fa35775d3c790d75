"""The ``local`` engine: extraction in this process, or in worker processes of this machine
(``kg build --workers N``) with the same output, in the same order, byte for byte."""

from __future__ import annotations

import logging
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import islice

from spacy.language import Language

from ..errors import KgError, UsageError
from ..model import Document, DocumentExtraction
from ..nlp import DEFAULT_MODEL, annotate, load_pipeline
from ..pipeline import extract_document, prepare

__all__ = ["extract_local", "extract_parallel"]

log = logging.getLogger(__name__)

# The pipeline a worker process of extract_parallel uses: set by _start_worker.
_WORKER: dict[str, object] = {}


def extract_local(
    documents: Iterable[Document],
    *,
    nlp: Language | str,
    batch_size: int,
    on_document: Callable[[DocumentExtraction], None] | None,
    workers: int = 1,
) -> Iterator[DocumentExtraction]:
    """The ``local`` engine: parse in this process, or in ``workers`` worker processes."""
    if workers > 1:
        return extract_parallel(documents, nlp=nlp, batch_size=batch_size, on_document=on_document, workers=workers)
    return _extract_here(documents, nlp=nlp, batch_size=batch_size, on_document=on_document)


def _extract_here(
    documents: Iterable[Document],
    *,
    nlp: Language | str,
    batch_size: int,
    on_document: Callable[[DocumentExtraction], None] | None,
) -> Iterator[DocumentExtraction]:
    if isinstance(nlp, str):
        nlp = load_pipeline(nlp)
    for document, doc in annotate(documents, nlp, batch_size=batch_size):
        extraction = extract_document(document, doc)
        if on_document is not None:
            on_document(extraction)
        yield extraction


def _start_worker(nlp: Language | str, batch_size: int) -> None:
    _WORKER["nlp"] = load_pipeline(nlp) if isinstance(nlp, str) else nlp
    _WORKER["batch_size"] = batch_size
    prepare(_WORKER["nlp"])


def _extract_in_worker(documents: list[Document]) -> list[DocumentExtraction]:
    nlp = _WORKER["nlp"]
    return [extract_document(d, doc) for d, doc in annotate(documents, nlp, batch_size=_WORKER["batch_size"])]


def extract_parallel(
    documents: Iterable[Document],
    *,
    nlp: Language | str = DEFAULT_MODEL,
    batch_size: int = 64,
    on_document: Callable[[DocumentExtraction], None] | None = None,
    workers: int = 2,
    chunk_size: int = 8,
) -> Iterator[DocumentExtraction]:
    """Parse and extract in ``workers`` processes of this machine; yield extractions in input order.

    Each worker runs the whole of :func:`extract_document` on chunks of ``chunk_size``
    documents and sends back the (small, picklable) extractions, so this process only
    reads documents and consumes results. At most two chunks per worker are in flight:
    memory does not grow with the corpus. The worker processes start at once (when this
    is called, not at the first document), so they are forked before any other threads
    (progress bars) start.

    Where processes can be forked (Linux), workers share the pipeline already loaded
    here; elsewhere each loads it by name, and ``nlp`` must be a package name.

    Parameters
    ----------
    documents
        Documents to extract.
    nlp
        A loaded spaCy pipeline, or the name of an installed one.
    batch_size
        Documents per ``nlp.pipe`` batch within a chunk.
    on_document
        Called here after each document, in input order.
    workers
        Worker processes (at least 1).
    chunk_size
        Documents per task sent to a worker.

    Returns
    -------
    iterator of DocumentExtraction
        One per document, in input order.

    Raises
    ------
    KgError
        When ``nlp`` is a pipeline object and processes cannot be forked here.

    Examples
    --------
    >>> [x.document.id for x in extract_parallel([Document("d1", "Kenya met Uganda.")], workers=1)]
    ['d1']
    """
    if workers < 1 or chunk_size < 1:
        raise UsageError(f"workers and chunk_size must be at least 1, not {workers} and {chunk_size}")
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods:
        context = multiprocessing.get_context("fork")
        if isinstance(nlp, str):
            nlp = load_pipeline(nlp)  # once, here: the workers inherit it
            prepare(nlp)
    elif isinstance(nlp, str):
        context = multiprocessing.get_context("spawn")
    else:
        raise KgError("parallel extraction needs the spaCy pipeline's package name here (processes cannot fork)")
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(nlp, batch_size))
    try:
        pool.submit(len, ()).result()  # start the workers now
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    return _ordered_results(pool, documents, workers=workers, chunk_size=chunk_size, on_document=on_document)


def _ordered_results(
    pool: ProcessPoolExecutor,
    documents: Iterable[Document],
    *,
    workers: int,
    chunk_size: int,
    on_document: Callable[[DocumentExtraction], None] | None,
) -> Iterator[DocumentExtraction]:
    pending: deque = deque()
    it = iter(documents)
    finished = False
    try:
        while True:
            while not finished and len(pending) < 2 * workers:
                chunk = list(islice(it, chunk_size))
                if chunk:
                    pending.append(pool.submit(_extract_in_worker, chunk))
                else:
                    finished = True
            if not pending:
                break
            for extraction in pending.popleft().result():
                if on_document is not None:
                    on_document(extraction)
                yield extraction
        finished = True
    finally:
        pool.shutdown(wait=finished, cancel_futures=True)
