"""Synthetic extractions in the shape of the RDF contract, for store, query and explorer benchmarks.

Parsing a million triples' worth of news takes the better part of an hour on two cores;
these records take seconds. They are real :class:`kg.model.DocumentExtraction` records,
turned into triples by kg's own :func:`kg.graph.add_extraction`, so the graph has the
contract's exact shape (documents, sentences, events with actors, recipients, modality,
score, truthy edges, entities with labels, aliases and countries). What is invented is
the content: entity popularity follows a Zipf-like law (a few actors in many events, a
long tail in few), event types and modalities follow rough news frequencies, and dates
spread over two years.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

from rdflib import Graph

from kg.graph import add_extraction, new_graph
from kg.model import Document, DocumentExtraction, Entity, Event, Sentence
from kg.vocab import EVENT_TYPES

__all__ = ["synthetic_extractions", "synthetic_graph", "entity_pool"]

_KINDS = [
    ("Country", 0.3),
    ("Person", 0.4),
    ("Organization", 0.1),
    ("Government", 0.1),
    ("Military", 0.05),
    ("Group", 0.05),
]
_MODALITIES = [("Asserted", 0.8), ("Intended", 0.08), ("Hypothetical", 0.06), ("Negated", 0.06)]
_CODES = ["KEN", "UGA", "FRA", "DEU", "RUS", "UKR", "USA", "CHN", "IND", "BRA", "NGA", "EGY", "TUR", "IRN", "GBR"]
_SYLLABLES = ["ka", "lo", "ri", "ta", "mon", "vel", "sa", "dor", "in", "ba", "ne", "zu", "ar", "is", "ul", "te"]


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def entity_pool(size: int, seed: int = 11) -> list[Entity]:
    """``size`` distinct entities of mixed kinds, most popular first."""
    rng = random.Random(seed)
    kinds, weights = zip(*_KINDS, strict=True)
    out = []
    for n in range(size):
        kind = rng.choices(kinds, weights)[0]
        label = f"{_name(rng)} {_name(rng)}" if kind == "Person" else _name(rng)
        key = f"{kind.lower()}/{label.lower().replace(' ', '-')}-{n}"
        aliases = frozenset({label, label.upper()[:3]}) if kind != "Person" else frozenset({label.split()[-1]})
        out.append(Entity(key, label, kind, country=_CODES[n % len(_CODES)], aliases=aliases))
    return out


def synthetic_extractions(
    n_docs: int, *, entities: int | None = None, seed: int = 11, skew: float = 0.9
) -> Iterator[DocumentExtraction]:
    """``n_docs`` document extractions with 1 to 6 events each, over a pool of ``entities``.

    The pool defaults to 300 + n_docs / 3 entities (a corpus of 16,000 documents names
    about 5,600 actors).
    """
    pool = entity_pool(entities or 300 + n_docs // 3, seed)
    rng = random.Random(seed + 1)
    weights = [1.0 / (rank + 1) ** skew for rank in range(len(pool))]
    cumulative = []
    total = 0.0
    for w in weights:
        total += w
        cumulative.append(total)
    types = list(EVENT_TYPES)
    type_weights = [4 if t in ("CONSULT", "ACCUSE", "SUPPORT", "REQUEST") else 1 for t in types]
    modalities, modality_weights = zip(*_MODALITIES, strict=True)
    start = date(2024, 1, 1)

    def pick() -> Entity:
        return pool[rng.choices(range(len(pool)), cum_weights=cumulative)[0]]

    for n in range(n_docs):
        doc_id = f"syn-{n:07d}"
        day = (start + timedelta(days=rng.randrange(730))).isoformat()
        text_parts: list[str] = []
        events: list[Event] = []
        sentences: list[Sentence] = []
        used: dict[str, Entity] = {}
        offset = 0
        for _ in range(rng.randint(1, 6)):
            etype = rng.choices(types, type_weights)[0]
            actor = pick()
            other = pick()
            while other.key == actor.key:
                other = pick()
            if etype == "CONSULT":
                actors, recipients = (actor.key, other.key), ()
            else:
                actors, recipients = (actor.key,), (other.key,)
            verb = EVENT_TYPES[etype].label
            text = f"{actor.label} moved to {verb} {other.label} over the dispute on {day}."
            sentence = Sentence(doc_id, offset, offset + len(text), text)
            text_parts.append(text)
            offset += len(text) + 1
            sentences.append(sentence)
            used[actor.key] = actor
            used[other.key] = other
            events.append(
                Event(
                    type=etype,
                    actors=actors,
                    recipients=recipients,
                    modality=rng.choices(modalities, modality_weights)[0],
                    trigger=verb,
                    sentence=sentence,
                    date=day if rng.random() < 0.5 else None,
                )
            )
        document = Document(doc_id, " ".join(text_parts), date=day, title=f"Report {n}")
        yield DocumentExtraction(
            document=document,
            sentences=tuple(sentences),
            entities=tuple(used[k] for k in sorted(used)),
            mentions=(),
            events=tuple(events),
        )


def synthetic_graph(triples: int, *, seed: int = 11, entities: int | None = None) -> Graph:
    """A graph of at least ``triples`` triples (a little more: whole documents are added).

    Documents are added until the size is reached; the entity pool is sized for the
    number of documents that takes (about 55 triples a document).
    """
    estimate = max(1, triples // 55)
    graph = new_graph()
    for extraction in synthetic_extractions(estimate * 2, entities=entities or 300 + estimate // 3, seed=seed):
        add_extraction(graph, extraction)
        if len(graph) >= triples:
            break
    return graph
