"""What a build put in its graph, counted once, the way ``kg stats`` counts the graph.

A build sees extractions; the graph sees IRIs. The same event stated in two sentences (or
two documents of one date) is one event node, so the build counts distinct event and
sentence IRIs, not extractions: ``kg build`` and ``kg stats`` then agree on the same graph.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..graph import event_iri, sentence_iri, state_key
from ..model import DocumentExtraction

__all__ = ["BuildCounts"]


@dataclass
class BuildCounts:
    """Running counts of a build: documents, sentences and events as the graph holds them.

    >>> from kg.model import Document, DocumentExtraction
    >>> counts = BuildCounts()
    >>> counts.add(DocumentExtraction(Document("d1", "Hi."), (), (), (), (), stats={"sentences": 1}))
    >>> counts.documents, counts.sentences, counts.sentences_parsed, counts.events
    (1, 0, 1, 0)
    """

    documents: int = 0
    sentences_parsed: int = 0
    entity_keys: set[str] = field(default_factory=set)
    _sentences: set[str] = field(default_factory=set)
    _event_types: dict[str, str] = field(default_factory=dict)

    def add(self, extraction: DocumentExtraction) -> None:
        """Count one document's extraction."""
        self.documents += 1
        self.sentences_parsed += extraction.stats.get("sentences", 0)
        self.entity_keys.update(e.key for e in extraction.entities)
        self.entity_keys.update(k for k in map(state_key, extraction.entities) if k)  # their states' nodes
        self._sentences.update(str(sentence_iri(s)) for s in extraction.sentences)
        for event in extraction.events:
            self._sentences.add(str(sentence_iri(event.sentence)))
            self._event_types[str(event_iri(event, extraction.document.id))] = event.type

    @property
    def sentences(self) -> int:
        """Sentences in the graph: those that state an event or name an entity kept as evidence."""
        return len(self._sentences)

    @property
    def events(self) -> int:
        """Event nodes in the graph."""
        return len(self._event_types)

    @property
    def events_by_type(self) -> Counter[str]:
        """Event nodes by PLOVER type."""
        return Counter(self._event_types.values())
