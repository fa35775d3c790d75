"""Shared fixtures: the spaCy pipeline (loaded once per session) and small graphs.

Texts here are short invented news sentences; dev data is never used as a fixture. The CLI
tests' helpers (``run`` kg in-process, read its ``error_message``) are plain functions in
clitools.py, imported like office_files.py and browser.py: a conftest is not for importing.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rdflib import Graph
from spacy.language import Language

from kg.graph import build_graph
from kg.model import Document, DocumentExtraction
from kg.nlp import load_pipeline
from kg.pipeline import extract_document

#: The documents of ``tiny_graph``: (id, date, text).
TINY_DOCUMENTS = (
    ("tiny-1", "2024-11-13", "Kenya met Uganda on Monday. Kenya accused Uganda of smuggling."),
    ("tiny-2", "2024-11", "France urged Russia to withdraw."),
)


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The default spaCy pipeline, loaded once for the whole test session."""
    return load_pipeline()


@pytest.fixture
def extract_one(nlp: Language) -> Callable[..., DocumentExtraction]:
    """``extract_one(text, date=None)``: the extraction of one document with the session pipeline."""

    def run(text: str, date: str | None = None, *, doc_id: str = "doc-1", title: str | None = None,
            url: str | None = None) -> DocumentExtraction:
        document = Document(doc_id, text, date=date, title=title, url=url)
        return extract_document(document, nlp(text))

    return run


@pytest.fixture(scope="session")
def tiny_graph(nlp: Language) -> Graph:
    """A graph of two short documents: a CONSULT and an ACCUSE (Kenya, Uganda), a REQUEST (France, Russia).

    Session-scoped: tests must not change it.
    """
    documents = [Document(doc_id, text, date=date) for doc_id, date, text in TINY_DOCUMENTS]
    return build_graph(extract_document(d, nlp(d.text)) for d in documents)
