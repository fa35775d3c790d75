"""The whole path in one place: documents -> spaCy -> entities -> events -> extractions.

:func:`extract` streams :class:`~kg.model.DocumentExtraction` records, one per document,
so a corpus never has to fit in memory; :func:`build` collects them into one graph.

Where the parsing runs is an *engine*, named in :data:`ENGINES`: ``local`` (this
process, the default; with ``workers=N``, N worker processes of this machine) or ``dask``
(the workers of a Dask cluster, :mod:`kg.engines.dask`).
Every engine yields the extractions in input order, so the graph does not depend on it.
:func:`extract_batch` is the unit of work an engine ships: a list of documents in, a list
of picklable extractions out.
"""

from __future__ import annotations

import importlib
import logging
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence

from rdflib import Graph
from spacy.language import Language
from spacy.tokens import Doc

from .entities import prepare as prepare_entities
from .entities import resolve_entities
from .errors import UsageError
from .events import extract_events, load_lexicon
from .graph import add_extraction, new_graph
from .model import Document, DocumentExtraction
from .nlp import DEFAULT_MODEL, annotate, load_pipeline
from .read import read_texts

__all__ = ["extract_document", "extract", "extract_batch", "build", "prepare", "ENGINES"]

log = logging.getLogger(__name__)

#: Extraction engines by name, as ``"module:function"``. A module is imported only when
#: its engine is first used (like rdflib's plugins), so ``local`` never needs Dask. An
#: engine is called as ``func(documents, nlp=..., batch_size=..., on_document=...,
#: **options)`` and yields :class:`~kg.model.DocumentExtraction` records in input order.
ENGINES: dict[str, str] = {
    "local": "kg.engines.local:extract_local",
    "dask": "kg.engines.dask:extract_distributed",
}

# One parse at a time per process: a spaCy pipeline is not safe to share between threads.
_PARSE_LOCK = threading.Lock()


def prepare(nlp: Language) -> None:
    """Load what extraction needs (gazetteer, its matcher, the trigger lexicon) before the first
    document, so start-up cost is not charged to it."""
    prepare_entities(nlp.vocab)
    load_lexicon()


def extract_document(document: Document, doc: Doc) -> DocumentExtraction:
    """Entities and events of one parsed document.

    Only entities that take part in an event are kept: the graph is about who did what
    to whom, not every name an article mentions. Sentences are kept when they state an
    event (their provenance), so the graph stays small.
    """
    ents = resolve_entities(doc, doc_id=document.id, date=document.date)
    events = extract_events(doc, ents, document)
    used = {k for e in events for k in (*e.actors, *e.recipients, *((e.location,) if e.location else ()))}
    entities = tuple(ents.entities[k] for k in sorted(used) if k in ents.entities)
    sentences = tuple(sorted({e.sentence for e in events}, key=lambda s: s.start))
    n_sentences = sum(1 for _ in doc.sents) if doc.has_annotation("DEP") else 0
    return DocumentExtraction(
        document=document,
        sentences=sentences,
        entities=entities,
        mentions=tuple(m for m in ents.mentions if m.entity in used),
        events=tuple(events),
        stats={"sentences": n_sentences, "mentions": len(ents.mentions)},
    )


def extract(
    documents: Iterable[Document],
    *,
    nlp: Language | str = DEFAULT_MODEL,
    batch_size: int = 64,
    on_document: Callable[[DocumentExtraction], None] | None = None,
    engine: str = "local",
    scheduler: object | None = None,
    workers: int = 1,
    **options,
) -> Iterator[DocumentExtraction]:
    """Run the pipeline over documents, one extraction at a time.

    Parameters
    ----------
    documents
        Documents from :func:`kg.read.read_documents` or :func:`kg.read.read_texts`.
    nlp
        A loaded spaCy pipeline, or the name of an installed one. The ``dask`` engine
        needs the name: each worker loads the pipeline itself.
    batch_size
        Documents per ``nlp.pipe`` batch.
    on_document
        Called after each document (progress bars).
    engine
        Where parsing runs, a name in :data:`ENGINES`: ``"local"`` (this process) or
        ``"dask"`` (the workers of a Dask cluster; see :mod:`kg.engines.dask`).
    scheduler
        For the ``dask`` engine: the scheduler's address (``tcp://HOST:8786``), or a
        ``distributed.Client`` or cluster object; None starts a cluster on this machine.
        Ignored, with a warning, by the ``local`` engine.
    workers
        For the ``local`` engine: worker processes that parse and extract (each with its
        own copy of the pipeline; see :func:`kg.engines.local.extract_parallel`). 1 parses here.
        Ignored, with a warning, by the ``dask`` engine (its cluster has its workers).
    **options
        Further options of the engine, such as the ``dask`` engine's ``partition_size``
        and ``timeout`` (:func:`kg.engines.dask.extract_distributed`).

    Returns
    -------
    iterator of DocumentExtraction
        One per document, in input order, produced lazily.

    Raises
    ------
    KgError
        At once, for an engine name not in :data:`ENGINES`, or ``workers`` below 1.

    Examples
    --------
    >>> from kg.read import read_texts
    >>> [(x.document.id, len(x.sentences)) for x in extract(read_texts(["Calm returned.", "Kenya met Uganda."]))]
    [('text-1', 0), ('text-2', 1)]
    """
    if engine not in ENGINES:
        raise UsageError(f"no extraction engine {engine!r}: choose one of {', '.join(ENGINES)}")
    if workers < 1:
        raise UsageError(f"workers must be at least 1, not {workers}")
    if engine == "local":
        ignored = sorted(options) + (["scheduler"] if scheduler is not None else [])
        if ignored:
            warnings.warn(f"{', '.join(ignored)} ignored by the local engine; they are for engine='dask'", stacklevel=2)
    elif workers != 1:
        warnings.warn(f"workers={workers} ignored by the {engine} engine: its cluster has its own", stacklevel=2)
    module, _, name = ENGINES[engine].partition(":")
    func = getattr(importlib.import_module(module), name)
    if engine == "local":
        return func(documents, nlp=nlp, batch_size=batch_size, on_document=on_document, workers=workers)
    return func(documents, nlp=nlp, batch_size=batch_size, on_document=on_document, scheduler=scheduler, **options)


def extract_batch(
    documents: Sequence[Document], *, model: str = DEFAULT_MODEL, batch_size: int = 64
) -> list[DocumentExtraction]:
    """The extractions of a batch of documents: the unit of work an engine ships to a worker.

    A plain module-level function of picklable arguments and results (the dataclasses of
    :mod:`kg.model`), so a process pool or a Dask worker can run it. The pipeline is
    loaded by name, once per process; calls within one process parse one at a time.

    Parameters
    ----------
    documents
        The documents of the batch.
    model
        The package name of an installed spaCy pipeline.
    batch_size
        Documents per ``nlp.pipe`` batch.

    Returns
    -------
    list of DocumentExtraction
        One per document, in order.

    Raises
    ------
    ModelError
        When the pipeline is not installed where this runs.

    Examples
    --------
    >>> [x.document.id for x in extract_batch([Document("d1", "Kenya met Uganda.")])]
    ['d1']
    """
    nlp = load_pipeline(model)
    with _PARSE_LOCK:
        return [extract_document(document, doc) for document, doc in annotate(documents, nlp, batch_size=batch_size)]


def build(
    texts: Iterable[str | tuple[str, str] | Document],
    *,
    nlp: Language | str = DEFAULT_MODEL,
    date: str | None = None,
) -> Graph:
    """A graph from texts in one call: the Python counterpart of ``kg build``.

    Parameters
    ----------
    texts
        Plain strings, ``(id, text)`` pairs, or :class:`~kg.model.Document` records.
    nlp
        A loaded spaCy pipeline, or the name of an installed one.
    date
        Date of texts that do not carry one (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``).

    Examples
    --------
    >>> g = build(["The Atlantic Council met. France and Germany signed a treaty."], date="2024-05-02")
    >>> from kg.vocab import POL, RDF
    >>> len(list(g.subjects(RDF.type, POL.Event))) >= 1
    True
    """
    items = list(texts)
    docs = [t for t in items if isinstance(t, Document)]
    docs += list(read_texts([t for t in items if not isinstance(t, Document)], date=date))
    graph = new_graph()
    for extraction in extract(docs, nlp=nlp):
        add_extraction(graph, extraction)
    return graph
