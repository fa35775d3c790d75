"""How sure the extractor is of an event: evidence names in, a number between 0 and 1 out.

Machine coding is reviewed by sampling and checking, and a reviewer (or a user trading recall
for precision) needs to know which events are shaky. The evidence is what the extractor had
when it made the event: how the trigger matched (a multi-word entry of a dictionary, "called
on", "imposed sanctions", or a bare verb), how the sentence names each party (a name, a role
or group noun, a pronoun, or not at all: inferred from context), its modality and hedges, and
whether the parse links trigger and actor directly. The weights are data
(``kg/data/confidence.json``), fitted on the dev sets by ``benchmarks/confidence.py --fit``;
the confidence is the logistic of their sum.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib.resources import files

from spacy.tokens import Span, Token

from ..entities import DocEntities
from ..errors import UsageError
from ..model import DocumentExtraction

__all__ = [
    "ConfidenceModel",
    "load_confidence_model",
    "event_evidence",
    "party_evidence",
    "keep_confident",
    "PARTY_STRENGTH",
]

#: How a sentence refers to a party, strongest first: by name, by a role or group noun, by a
#: reference to a group named before ("the two leaders"), by a pronoun, or not at all.
PARTY_STRENGTH = ("name", "noun", "reference", "pronoun", "context")

_NAME_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}
_DIRECT_DEPS = {"nsubj", "nsubjpass", "agent", "poss", "compound", "amod", "nmod", "pobj", "conj", "appos"}


@dataclass(frozen=True)
class ConfidenceModel:
    """Logistic weights over evidence names (``kg/data/confidence.json``).

    Examples
    --------
    >>> model = ConfidenceModel(0.0, {"actor:name": 2.0}, frozenset(), 40)
    >>> model.score(["actor:name"]), model.score([])
    (0.88, 0.5)
    """

    bias: float
    weights: dict[str, float]
    hedges: frozenset[str]
    long_sentence_tokens: int

    def score(self, evidence: Iterable[str]) -> float:
        """The confidence, rounded to two decimals; evidence without a weight counts 0."""
        z = self.bias + sum(self.weights.get(name, 0.0) for name in evidence)
        return round(1.0 / (1.0 + math.exp(-z)), 2)


@lru_cache(maxsize=1)
def load_confidence_model() -> ConfidenceModel:
    """Read ``kg/data/confidence.json`` once per process."""
    data = json.loads(files("kg.data").joinpath("confidence.json").read_text(encoding="utf-8"))
    return ConfidenceModel(
        float(data["bias"]),
        {k: float(v) for k, v in data["weights"].items()},
        frozenset(data.get("hedges", ())),
        int(data.get("long_sentence_tokens", 40)),
    )


def party_evidence(key: str, sent: Span, ents: DocEntities) -> str:
    """How ``sent`` refers to entity ``key``: one of :data:`PARTY_STRENGTH` (the strongest found)."""
    kinds = set()
    for tok in sent:
        if ents.at(tok) == key:
            if tok.ent_type_ in _NAME_LABELS or tok.pos_ == "PROPN":
                return "name"
            kinds.add("pronoun" if tok.pos_ == "PRON" else "noun")
        elif key in ents.token_group.get(tok.i, ()):
            kinds.add("reference")
    return next((k for k in PARTY_STRENGTH if k in kinds), "context")


def _weakest(kinds: list[str]) -> str:
    return max(kinds, key=PARTY_STRENGTH.index)


def event_evidence(
    *,
    trigger: Token,
    anchor: Token,
    text: str,
    nominal: bool,
    light: bool,
    speech_verb: bool,
    recoded: bool,
    etype: str = "",
    sentence_events: int = 1,
    actors: Iterable[str],
    recipients: Iterable[str],
    modality: str,
    sent: Span,
    ents: DocEntities,
    model: ConfidenceModel | None = None,
) -> tuple[str, ...]:
    """The evidence names of one event, sorted (the keys of the model's weights).

    Parameters
    ----------
    trigger, anchor
        The trigger word, and the verb whose subject acts (the same for a verb trigger).
    text
        The trigger's text ("called on", "imposed sanctions").
    nominal, light
        A noun trigger; a noun that is the object of a light verb ("held talks").
    speech_verb
        The trigger is a speech verb that reports a demand or a judgement ("said Y must ...").
    recoded
        The event's type is not the trigger's (PLOVER's future rules, ultimatums, refusals).
    etype
        The event's PLOVER type: some are harder to get right than others.
    sentence_events
        How many events the sentence yielded: a sentence that says many things is parsed worse.
    actors, recipients
        Entity keys.
    modality
        ``Asserted``, ``Intended``, ``Hypothetical`` or ``Negated``.
    sent, ents
        The sentence and the document's entities.

    Examples
    --------
    >>> import spacy
    >>> from kg.entities import DocEntities
    >>> doc = spacy.blank("en")("Kenya met Uganda.")
    >>> ents = DocEntities(token_entity={0: "country/KEN", 2: "country/UGA"})
    >>> event_evidence(trigger=doc[1], anchor=doc[1], text="met", nominal=False, light=False,
    ...                speech_verb=False, recoded=False, actors=["country/KEN"], recipients=["country/UGA"],
    ...                modality="Asserted", sent=doc[:], ents=ents)
    ('actor:noun', 'modality:Asserted', 'parse:indirect', 'recipient:noun', 'trigger:verb')
    """
    model = model or load_confidence_model()
    actors, recipients = list(actors), list(recipients)
    if light:
        kind = "light"
    elif nominal:
        kind = "noun"
    elif speech_verb:
        kind = "clause"
    else:
        kind = "pattern" if len(text.split()) > 1 else "verb"
    out = {f"trigger:{kind}", f"modality:{modality}"}
    if etype:
        out.add(f"type:{etype}")
    if sentence_events >= 3:
        out.add("sentence:busy")
    for role, keys in (("actor", actors), ("recipient", recipients)):
        out.update(f"{role}-kind:{ents.entities[k].kind}" for k in keys if k in ents.entities)
    if recoded:
        out.add("type:recoded")
    out.add("actor:" + _weakest([party_evidence(k, sent, ents) for k in actors] or ["context"]))
    if recipients:
        out.add("recipient:" + _weakest([party_evidence(k, sent, ents) for k in recipients]))
    else:
        out.add("recipient:none")
    if len(actors) > 1:
        out.add("actors:several")
    if any(t.lower_ in model.hedges for t in sent):
        out.add("cue:hedge")
    heads = {trigger.i, anchor.i}
    direct = any(
        (ents.at(t) in actors or any(k in actors for k in ents.token_group.get(t.i, ())))
        and t.dep_ in _DIRECT_DEPS
        and (t.head.i in heads or t.head.head.i in heads)
        for t in sent
    )
    out.add("parse:direct" if direct else "parse:indirect")
    if (trigger.pos_ == "VERB" and trigger.tag_ and not trigger.tag_.startswith("VB")) or (
        trigger.pos_ == "NOUN" and trigger.tag_ and not trigger.tag_.startswith("NN")
    ):
        out.add("parse:tag-mismatch")
    if len(sent) > model.long_sentence_tokens:
        out.add("parse:long-sentence")
    return tuple(sorted(out))


def keep_confident(extraction: DocumentExtraction, threshold: float) -> DocumentExtraction:
    """The extraction without its events below ``threshold`` (``kg build --min-confidence``), and
    without the sentences, entities and mentions only they needed. Events with no confidence
    (imported, not extracted) stay.

    Raises
    ------
    KgError
        When ``threshold`` is not between 0 and 1.

    Examples
    --------
    >>> from kg.model import Document, Event, Sentence
    >>> s = Sentence("d", 0, 10, "Kenya met.")
    >>> x = DocumentExtraction(Document("d", "Kenya met."), (s,), (), (), (
    ...     Event("CONSULT", ("a", "b"), (), "Asserted", "met", s, confidence=0.9),
    ...     Event("ACCUSE", ("a",), ("b",), "Asserted", "hit", s, confidence=0.3)))
    >>> [e.type for e in keep_confident(x, 0.5).events]
    ['CONSULT']
    """
    if not 0.0 <= threshold <= 1.0:
        raise UsageError(f"a minimum confidence is between 0 and 1, not {threshold}")
    events = tuple(e for e in extraction.events if e.confidence is None or e.confidence >= threshold)
    if len(events) == len(extraction.events):
        return extraction
    used = {k for e in events for k in (*e.actors, *e.recipients, *((e.location,) if e.location else ()))}
    stated = {e.sentence for e in events}
    return replace(
        extraction,
        events=events,
        sentences=tuple(s for s in extraction.sentences if s in stated),
        entities=tuple(x for x in extraction.entities if x.key in used),
        mentions=tuple(m for m in extraction.mentions if m.entity in used),
    )
