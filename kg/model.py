"""The plain dataclasses that flow between the pipeline's stages.

Data moves one way: ``read`` makes :class:`Document`, ``entities`` makes
:class:`Entity` and :class:`Mention`, ``events`` makes :class:`Event`, and
``graph`` turns a :class:`DocumentExtraction` into triples. Every record keeps
the character offsets of the text it came from, so every fact has provenance.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "Document",
    "Sentence",
    "Entity",
    "Mention",
    "Event",
    "DocumentExtraction",
    "ENTITY_KINDS",
    "MODALITIES",
    "FACT_MODALITIES",
]

#: Entity classes of the contract (``pol:Person`` ... ``pol:Location``).
ENTITY_KINDS = ("Person", "Country", "Organization", "Government", "Military", "Group", "Location")

#: Event modalities of the contract (``pol:Asserted`` ...).
MODALITIES = ("Asserted", "Intended", "Hypothetical", "Negated")

#: The modalities that count as facts: what the text says did or will happen. Only their
#: events give truthy edges, and only they are counted by stats, plots and summaries.
FACT_MODALITIES = ("Asserted", "Intended")


@dataclass(frozen=True)
class Document:
    """One input text.

    ``date`` is an ISO string: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``.
    ``origin`` says where it was read from (``file.txt`` or ``file.jsonl:12``), for messages.
    ``author`` is the byline of a web page or feed entry, when it gives one.
    """

    id: str
    text: str
    date: str | None = None
    title: str | None = None
    url: str | None = None
    origin: str = ""
    author: str | None = None


@dataclass(frozen=True)
class Sentence:
    """A sentence of a document, by character offsets into ``Document.text``."""

    doc_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Entity:
    """One real-world political entity.

    ``key`` is the stable identity (``person/keir-starmer``, ``country/GBR``) that the
    graph turns into an IRI, so the same entity in two documents is one node.
    """

    key: str
    label: str
    kind: str
    country: str | None = None
    aliases: frozenset[str] = frozenset()
    role: str | None = None
    wikidata: str | None = None
    same_as: tuple[str, ...] = ()  # further identifiers as IRIs (a country's GeoNames feature)


@dataclass(frozen=True)
class Mention:
    """A stretch of text that refers to an entity (by ``Entity.key``)."""

    entity: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Event:
    """One PLOVER event: actors do ``type`` to recipients, stated by ``sentence``.

    ``confidence`` (0-1) is how sure the extractor is, from ``evidence``: the names of what
    it had to go on (:mod:`kg.events.confidence`); None for events not extracted from text.
    """

    type: str
    actors: tuple[str, ...]
    recipients: tuple[str, ...]
    modality: str
    trigger: str
    sentence: Sentence
    date: str | None = None
    location: str | None = None
    confidence: float | None = None
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocumentExtraction:
    """Everything one document yields: what the graph stage needs, and nothing of spaCy."""

    document: Document
    sentences: tuple[Sentence, ...]
    entities: tuple[Entity, ...]
    mentions: tuple[Mention, ...]
    events: tuple[Event, ...]
    stats: dict[str, int] = field(default_factory=dict)
