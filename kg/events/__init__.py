"""The event stage: PLOVER events from a parsed, entity-resolved document.

An engine of general mechanisms over rules kept as data:

- :mod:`kg.events.lexicon`: the trigger lexicon (``kg/data/triggers.json``), the field's CAMEO
  verb dictionary (``kg/data/cameo_lexicon.json``, derived by ``kg/data/build_lexicon.py``)
  and the word classes the mechanisms consult (``kg/data/event_words.json``);
- :mod:`kg.events.triggers`: which words say an event happened, and its type;
- :mod:`kg.events.arguments`: who acts and at whom;
- :mod:`kg.events.modality`: asserted, intended, hypothetical or negated;
- :mod:`kg.events.confidence`: how sure the extractor is of each event (``kg/data/confidence.json``);
- :mod:`kg.events.extract`: the entry point, ``extract_events``, and the document-level passes.
"""

from __future__ import annotations

from .confidence import keep_confident, load_confidence_model
from .extract import SentenceExtractor, event_date, extract_events
from .lexicon import CameoLexicon, Lexicon, load_cameo_lexicon, load_lexicon

__all__ = [
    "CameoLexicon",
    "Lexicon",
    "SentenceExtractor",
    "event_date",
    "extract_events",
    "keep_confident",
    "load_confidence_model",
    "load_cameo_lexicon",
    "load_lexicon",
]
