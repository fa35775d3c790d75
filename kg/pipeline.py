"""The whole path in one place: documents -> spaCy -> entities -> events -> extractions.

:func:`extract` streams :class:`~kg.model.DocumentExtraction` records, one per document,
so a corpus never has to fit in memory; :func:`build` collects them into one graph.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator

from rdflib import Graph
from spacy.language import Language
from spacy.tokens import Doc

from .entities import resolve_entities
from .events import extract_events
from .graph import add_extraction, new_graph
from .model import Document, DocumentExtraction
from .nlp import DEFAULT_MODEL, annotate, load_pipeline
from .read import read_texts

__all__ = ["extract_document", "extract", "build"]

log = logging.getLogger(__name__)


def extract_document(document: Document, doc: Doc) -> DocumentExtraction:
    """Entities and events of one parsed document.

    Only entities that take part in an event are kept: the graph is about who did what
    to whom, not every name an article mentions. Sentences are kept when they state an
    event (their provenance), so the graph stays small.
    """
    ents = resolve_entities(doc)
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
) -> Iterator[DocumentExtraction]:
    """Run the pipeline over documents, one extraction at a time.

    Parameters
    ----------
    documents
        Documents from :func:`kg.read.read_documents` or :func:`kg.read.read_texts`.
    nlp
        A loaded spaCy pipeline, or the name of an installed one.
    batch_size
        Documents per ``nlp.pipe`` batch.
    on_document
        Called after each document (progress bars).

    Examples
    --------
    >>> from kg.read import read_texts
    >>> [x.events[0].type for x in extract(read_texts(["France condemned the attack."]))]
    []
    """
    if isinstance(nlp, str):
        nlp = load_pipeline(nlp)
    for document, doc in annotate(documents, nlp, batch_size=batch_size):
        extraction = extract_document(document, doc)
        if on_document is not None:
            on_document(extraction)
        yield extraction


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
