"""The event stage's entry point: one sentence extractor per sentence, then document-level passes.

``extract_events`` runs :class:`SentenceExtractor` (triggers, arguments, modality) over each
sentence and then applies what needs the document: PLOVER's future rules, whom a verbal act
about "the" event just reported is aimed at, retaliation against whoever struck first, one
event per act, dates moved to the weekday named.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from spacy.tokens import Doc, Span, Token

from ..entities import DocEntities
from ..model import Document, Event, Sentence
from ..vocab import EVENT_TYPES
from .arguments import ArgumentFinder, _is_generic_addressee, _location, _places, _unique
from .confidence import event_evidence, load_confidence_model
from .lexicon import CONFLICT, VERBAL_ACTS, WORDS, Lexicon, load_lexicon
from .modality import ModalityReader, _ultimatum
from .triggers import TriggerFinder, _Trigger

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class SentenceExtractor(TriggerFinder, ArgumentFinder, ModalityReader):
    """The events of one sentence: its triggers, their arguments and modality."""

    def __init__(self, sent: Span, ents: DocEntities, lex: Lexicon, we: tuple[str, ...] = ()):
        self.sent, self.ents, self.lex = sent, ents, lex
        self.we = we  # who "we" is when no speaker is named: the parties the text last named acting together

    def reported_clauses(
        self, also: frozenset[str] = frozenset(), *, conjuncts: bool = False
    ) -> list[tuple[Token, Token]]:
        """(speech verb, what it says) for each clause reported in the sentence: "X said [that Y must
        ...]"; ``also`` adds verbs that report like speech, ``conjuncts`` "that ... and that" clauses."""
        pairs = []
        for verb in self.sent:
            lemma = self.lemma(verb)
            if (lemma not in self.lex.speech and lemma not in also) or verb.pos_ not in ("VERB", "AUX"):
                continue
            clauses = [c for c in verb.children if c.dep_ in ("ccomp", "parataxis")]
            if conjuncts:
                clauses += [c for clause in clauses for c in clause.children if c.dep_ == "conj"]
            pairs.extend((verb, clause) for clause in clauses)
        return pairs

    def reported_demands(self) -> list[tuple[_Trigger, list[str], list[str], str]]:
        """ "X said Y must ...", "X declared that Y should ...": a demand by X on Y (PLOVER REQUEST)."""
        out = []
        for verb, clause in self.reported_clauses(WORDS.agreement_verbs, conjuncts=True):
            auxes = {c.lower_ for c in clause.children if c.dep_ in ("aux", "auxpass")}
            if not auxes & {"must", "should"}:
                continue
            subj = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            actors, recipients = self.speaker_entities(verb), self.entities_of(subj)
            generic = subj is not None and not recipients and _is_generic_addressee(subj)
            if actors and (recipients or generic):
                trig = _Trigger("REQUEST", verb, verb, f"{verb.text} {clause.text}", False, False, generic)
                out.append((trig, actors, [r for r in recipients if r not in actors], "Asserted"))
        return out

    def mediators(self, trig: _Trigger) -> list[str]:
        """Who brokered or mediated what a trigger noun names: "the UN-brokered deal", "Qatari-mediated
        talks", "a truce mediated by Egypt"."""
        if not trig.nominal:
            return []
        keys: list[str] = []
        for child in trig.token.children:
            if child.dep_ in ("amod", "compound", "acl") and self.lemma(child) in WORDS.mediation_verbs:
                doc = child.doc
                hyphen = [doc[child.i - 2]] if child.i > 1 and doc[child.i - 1].text == "-" else []
                for tok in (*hyphen, *child.subtree):  # "UN-brokered", parsed as two modifiers
                    key = self.ents.at(tok)
                    if key and key not in keys and tok.i != trig.token.i:
                        keys.append(key)
        return keys

    def reported_judgements(self) -> list[tuple[_Trigger, list[str], list[str], str]]:
        """ "X said Y's action was unacceptable", "X warned that the attack was a violation of the
        armistice": a judgement by X of what Y did (ACCUSE; SUPPORT for praise), aimed at Y."""
        out = []
        for verb, clause in self.reported_clauses():
            if clause.lemma_ != "be" or any(c.dep_ == "neg" for c in clause.children):
                continue
            said = [c for c in clause.children if c.dep_ in ("acomp", "attr")]
            said += [a for w in said for a in w.children if a.dep_ == "amod"]  # "a welcome step"
            word = next((w for w in said if self.lemma(w) in WORDS.judgements), None)
            subj = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if word is None or subj is None or subj.pos_ != "NOUN":
                continue
            actors = self.speaker_entities(verb)
            doers = [k for k in self.doers_of(subj) if k not in actors]
            if actors and doers:
                etype = WORDS.judgements[self.lemma(word)]
                out.append(
                    (_Trigger(etype, verb, verb, f"{verb.text} {word.text}", False), actors, doers, "Asserted")
                )
        return out

    def run(self, doc_date: str | None) -> list[tuple[_Trigger, list[str], list[str], str]]:
        out = self.reported_demands() + self.reported_judgements()
        for trig in self.triggers():
            actors, recipients = self.actors_and_recipients(trig)
            mediators = self.mediators(trig) if trig.type in ("AGREE", "CONSULT") else []
            if mediators and trig.type == "CONSULT":
                actors = _unique(actors + mediators)  # "Qatari-mediated talks between X and Y": Qatar took part
            elif mediators:
                # "the UN-brokered deal between X and Y": the deal is X's and Y's, the mediator met both
                actors = [a for a in actors if a not in mediators]
                parties = [p for p in _unique(actors + recipients) if p not in mediators]
                mediation = _Trigger("CONSULT", trig.token, trig.anchor, trig.text, trig.nominal, trig.light)
                out.append((mediation, parties + mediators, [], "Asserted"))
            if not actors:
                continue
            modality = self.modality(trig)
            if modality in ("Intended", "Hypothetical") and _ultimatum(trig.anchor, conflict=trig.type in CONFLICT):
                trig = _Trigger("THREATEN", trig.token, trig.anchor, trig.text, trig.nominal)
                modality = "Asserted"
                recipients = recipients or [k for k in self.ultimatum_target(trig.anchor) if k not in actors]
            elif modality == "Refused":  # "will not accept refugees", "refused to meet": PLOVER REJECT
                trig = _Trigger("REJECT", trig.token, trig.anchor, trig.text, trig.nominal, trig.light)
                modality = "Asserted"
            out.append((trig, actors, recipients, modality))
        return out


def _earlier_doers(verb: Token, earlier: list[Event], lex: Lexicon, actors: list[str]) -> list[str]:
    """ "Police detained dozens. The EU criticised the crackdown.": a verbal act about "the" event
    the text has just reported is aimed at whoever did it (the last earlier event of the noun's
    type, or of the same quad class)."""
    # what is judged or asked for: the object, or what a request is "for" ("called for the release")
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    objects += [o for p in verb.children if p.dep_ == "prep" and p.lower_ == "for" for o in p.children]
    obj = next(iter(objects), None)
    if obj is None or not any(c.lower_ in ("the", "this", "these", "that") for c in obj.children):
        return []
    noun_type = lex.nouns.get(obj.lemma_.lower())
    if noun_type is None and obj.lemma_.lower() not in WORDS.generic_event_nouns:
        return []
    quad = EVENT_TYPES[noun_type].quad if noun_type else None
    for event in reversed(earlier):
        if noun_type is None:  # "condemned the move": the act reported just before
            fits = obj.idx - event.sentence.end < 300
        else:
            fits = (
                event.type == noun_type
                or EVENT_TYPES[event.type].quad == quad
                and quad.startswith("material")
                # "demanded the release": of whoever the text last reported holding someone by force
                or obj.lemma_.lower() in WORDS.patient_nouns
                and EVENT_TYPES[event.type].quad == "material-conflict"
            )
        doers = [a for a in event.actors if a not in actors]
        if fits and doers and event.modality in ("Asserted", "Intended"):
            return doers
        if noun_type is None:
            break
    return []


#: Determiners that make an addressee someone in particular ("the parties", "both sides").
_DEFINITE = {"the", "both", "these", "those", "its", "their", "his", "her", "two"}


def _about_an_event(trig: _Trigger, lex: Lexicon) -> bool:
    """ "welcomed the agreement", "condemned the attack": a verbal act about an event, not aimed at
    an entity; it stands with no recipient when the text does not say whose event it was. So does
    one addressed to no entity ("urged all parties to ...")."""
    if trig.nominal:
        # "opened a hearing into the legality of ...": an investigation of a matter, not of someone
        holders = (*trig.token.children, *trig.anchor.children)
        return trig.type == "ACCUSE" and any(c.dep_ == "prep" and c.lower_ == "into" for c in holders)
    if trig.type not in VERBAL_ACTS:
        return False
    obj = next((c for c in trig.token.children if c.dep_ in ("dobj", "dative")), None)
    if obj is not None and _is_generic_addressee(obj) and not any(c.lower_ in _DEFINITE for c in obj.children):
        return True  # "urged all parties to ...": addressed, but to no entity ("the parties" are someone)
    return obj is not None and (obj.lemma_.lower() in lex.nouns or obj.lemma_.lower() in WORDS.generic_event_nouns)


def _earlier_attackers(actors: list[str], earlier: list[Event]) -> list[str]:
    """ "The Houthis vowed to retaliate": against whoever the text last reported acting on them."""
    for event in reversed(earlier):
        if (
            set(actors) & set(event.recipients)
            and EVENT_TYPES[event.type].quad.endswith("conflict")
            and event.modality in ("Asserted", "Intended")
        ):
            return [a for a in event.actors if a not in actors]
    return []


def event_date(trigger: Token, doc_date: str | None) -> str | None:
    """The document date, moved back to a weekday named with the trigger ("on Monday", "yesterday")."""
    if not doc_date or len(doc_date) != 10:
        return doc_date
    try:
        day = dt.date.fromisoformat(doc_date)
    except ValueError:
        return doc_date
    words = [t for t in trigger.subtree if t.i != trigger.i] + [t for c in trigger.children for t in c.subtree]
    for t in words:
        w = t.lower_
        if w == "yesterday":
            return (day - dt.timedelta(days=1)).isoformat()
        if w in _WEEKDAYS and t.ent_type_ == "DATE":
            back = (day.weekday() - _WEEKDAYS.index(w)) % 7
            return (day - dt.timedelta(days=back)).isoformat()
    return doc_date


def extract_events(doc: Doc, ents: DocEntities, document: Document, *, lexicon: Lexicon | None = None) -> list[Event]:
    """Find the PLOVER events of a parsed document.

    Parameters
    ----------
    doc
        The spaCy Doc of ``document.text`` (parser and NER run).
    ents
        The document's resolved entities (:func:`kg.entities.resolve_entities`).
    document
        The document, for its id and date.
    lexicon
        Trigger lexicon (default: :func:`load_lexicon`).

    Returns
    -------
    list of Event
        One event per trigger with at least one actor; CONSULT and reciprocal events list
        every participant as an actor.

    Examples
    --------
    >>> import spacy
    >>> from kg.entities import resolve_entities
    >>> nlp = spacy.blank("en")
    >>> doc = nlp("Calm.")
    >>> extract_events(doc, resolve_entities(doc), Document("d", "Calm."))
    []
    """
    lex = lexicon or load_lexicon()
    model = load_confidence_model()
    speech_only = lex.speech - lex.verbs.keys()  # speech verbs that report a demand or judgement, not acts
    if not doc.has_annotation("DEP"):
        return []
    events: list[Event] = []
    seen: set[tuple] = set()
    acts: dict[tuple, tuple[int, Token]] = {}  # (type, actors, sentence) -> the first event's index and trigger
    we: tuple[str, ...] = ()
    for sent in doc.sents:
        text = sent.text.rstrip()
        if not text:
            continue
        sentence = Sentence(document.id, sent.start_char, sent.start_char + len(text), text)
        extractor = SentenceExtractor(sent, ents, lex, we)
        found = extractor.run(document.date)
        we = next((tuple(a) for _, a, _, _ in found if len(a) > 1), we)
        for trig, actors, recipients, modality in found:
            etype = trig.type
            if modality == "Intended":
                lemma = trig.token.lemma_.lower()
                etype = lex.future_rule_triggers.get(lemma) or lex.future_rules.get(etype, etype)
            if (etype == "PROTEST" or trig.ends_protest) and not recipients:
                # a protest with no stated target is aimed at the authorities where it happens,
                # and calling it off is a concession to them
                place = next((ents.country_of(k) for k in _places(trig.anchor, ents) if ents.country_of(k)), None)
                if place or ents.main_country:
                    recipients = [ents.government(place or ents.main_country)]
            if not recipients and etype in VERBAL_ACTS:
                recipients = _earlier_doers(trig.token, events, lex, actors)
            if not recipients and trig.token.lemma_.lower() in WORDS.retaliation:
                recipients = _earlier_attackers(actors, events)
            if etype == "CONSULT":
                # a place is where a meeting is, not who meets ("travelled to Geneva for talks")
                actors = [k for k in _unique(actors + recipients) if not k.startswith("location/")]
                recipients = []
                if len(actors) < 2:
                    continue  # a meeting needs two parties the text names
            joint = (
                not recipients
                and len(actors) > 1
                and (etype in lex.reciprocal_types or trig.token.lemma_.lower() in lex.reciprocal_verbs)
            )
            if (
                not recipients
                and not joint
                and etype in lex.needs_recipient
                and not trig.generic_addressee
                and not _about_an_event(trig, lex)
            ):
                continue  # "accused" with no one accused: the parse missed the target
            when = event_date(trig.anchor, document.date)
            where = _location(trig.anchor, ents)
            # "both condemned ..." with no target: one statement by each, not a joint act
            for group in [actors] if joint or recipients else [[a] for a in actors]:
                evidence = event_evidence(
                    trigger=trig.token, anchor=trig.anchor, text=trig.text, nominal=trig.nominal, light=trig.light,
                    speech_verb=extractor.lemma(trig.token) in speech_only, recoded=etype != trig.type,
                    etype=etype, sentence_events=len(found),
                    actors=group, recipients=recipients, modality=modality, sent=sent, ents=ents,
                )
                event = Event(
                    etype, tuple(group), tuple(recipients), modality, trig.text, sentence, when, where,
                    confidence=model.score(evidence), evidence=evidence,
                )
                # one act, one event: "refused to meet" is one REJECT, "threatened to strike" one
                # THREATEN (not an asserted threat and an intended one)
                key = (etype, event.actors, event.recipients, sentence.start)
                if key in seen:
                    continue
                seen.add(key)
                first = acts.get((etype, event.actors, sentence.start))
                if first is not None and etype in VERBAL_ACTS and first[1].is_ancestor(trig.token):
                    # "threatened to launch an offensive against Iraq": the threat and what is threatened
                    # are one act, aimed at whom its content names
                    index = first[0]
                    if not events[index].recipients:
                        events[index] = dataclasses.replace(events[index], recipients=event.recipients)
                    continue
                acts.setdefault((etype, event.actors, sentence.start), (len(events), trig.token))
                events.append(event)
    return events
