"""The entity stage: mentions in a parsed document resolved to one node per real actor.

Mentions come from spaCy's NER, from the gazetteer (countries, capitals, seats of
government, international organisations) and from group noun phrases ("Israeli
forces", "the Ethiopian government", "protesters"). They resolve to :class:`Entity`
records with stable keys, so the same actor in two documents is one node, but only on evidence
(:mod:`kg.keys`): a full name is shared, a surname or an acronym alone is its document's own,
and an office without its holder is the holder on the document's date (:mod:`kg.offices`):

- people: honorifics and titles are stripped ("Sir Keir", "Mr Macron", "President Donald
  Trump"), short forms join the full name the document uses, titles become the role, and
  role nouns ("the Prime Minister") and subject pronouns ("he said") join the person the
  document says holds the role or was named last;
- places acting as governments (capitals, "the Kremlin", "Downing Street") resolve to
  the government of their country;
- group nouns take the country of their modifier, or the document's main country.

The package: :mod:`~kg.entities.resolver` (the steps, names and countries),
:mod:`~kg.entities.people`, :mod:`~kg.entities.groups`, :mod:`~kg.entities.references`,
:mod:`~kg.entities.words` (the word lists and patterns they read) and
:mod:`~kg.entities.doc` (:class:`DocEntities`, what the event stage reads).
"""

from __future__ import annotations

from spacy.tokens import Doc

from ..gazetteer import Gazetteer, load_gazetteer
from ..offices import load_offices
from .doc import DocEntities
from .resolver import _Resolver
from .words import _matcher

__all__ = ["DocEntities", "resolve_entities", "prepare"]


def prepare(vocab) -> None:
    """Load the gazetteer, its matcher for a pipeline's vocabulary and the office-holder table now,
    not on the first document (so a progress bar's rate is the steady one)."""
    _matcher(vocab, load_gazetteer())
    load_offices()


def resolve_entities(
    doc: Doc, *, gazetteer: Gazetteer | None = None, doc_id: str | None = None, date: str | None = None
) -> DocEntities:
    """Find the political actors of a parsed document and resolve them to entities.

    Parameters
    ----------
    doc
        A spaCy Doc with NER and a dependency parse.
    gazetteer
        Lookup tables (default: :func:`kg.gazetteer.load_gazetteer`).
    doc_id, date
        The document's id and date: names only this document can resolve (a surname, an
        office without its holder) get keys scoped to the id (default: the text itself), and
        an office named without its holder is resolved by the date.

    Returns
    -------
    DocEntities
        Entities by key, and for each token inside a mention, the entity it refers to.

    Examples
    --------
    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> ents = resolve_entities(nlp("Talks in Kenya."))
    >>> sorted(ents.entities)
    ['country/KEN']
    """
    return _Resolver(doc, gazetteer or load_gazetteer(), doc_id, date).run()
