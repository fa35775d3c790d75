"""The event stage: PLOVER events from dependency patterns over a parsed sentence.

A trigger is a verb ("met", "called on", "shelled") or a nominal form, either as the
object of a light verb ("held talks with", "imposed sanctions on") or with its own
arguments ("Russia's invasion of Ukraine"). The trigger lexicon is data
(``kg/data/triggers.json``). Arguments come from the parse: subject -> actor, object
or prepositional object -> recipient, the ``by`` agent of a passive -> actor,
coordination -> several actors or recipients, and the speaker of reported speech for
"it"/"they" subjects. Modality comes from negation, modal verbs, conditionals,
speculation and commitment verbs, and PLOVER's future rules retype intended events.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from spacy.tokens import Doc, Span, Token

from .entities import DocEntities
from .model import Document, Event, Sentence
from .vocab import EVENT_TYPES

__all__ = ["Lexicon", "load_lexicon", "extract_events"]

log = logging.getLogger(__name__)

_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NAME_TYPES = {"PERSON", "GPE", "ORG", "NORP", "LAW", "EVENT", "WORK_OF_ART", "FAC", "PRODUCT"}
_GENERIC_PRONOUNS = {"it", "they", "we", "i"}


@dataclass(frozen=True)
class CameoLexicon:
    """Verbs, object nouns and prepositional phrases derived from the PETRARCH2 CAMEO verb
    dictionary by ``kg/data/build_lexicon.py`` (``kg/data/cameo_lexicon.json``)."""

    verbs: dict[str, str]  # lemma or "lemma particle" -> type
    objects: dict[str, dict[str, str]]  # lemma -> object noun ("aid", "peace talks") -> type
    preps: dict[str, dict[str, str]]  # lemma -> "prep noun" ("to court") -> type
    forms: dict[str, str]  # irregular form -> lemma ("struck" -> "strike")

    def reading(self, lemmas: list[str], objects: list[str], phrases: list[str]) -> tuple[str, str] | None:
        """The dictionary's (verb, type) for the first of ``lemmas`` it knows: an object noun or a
        prepositional phrase that picks a type first ("sent troops", "summoned to court"), else the
        verb's own type.

        >>> lex = CameoLexicon({"send": "AID"}, {"send": {"troops": "MOBILIZE"}}, {}, {})
        >>> lex.reading(["send"], ["troops"], [])
        ('send', 'MOBILIZE')
        >>> lex.reading(["send"], ["letter"], [])
        ('send', 'AID')
        """
        for verb in lemmas:
            by_object = self.objects.get(verb, {})
            by_phrase = self.preps.get(verb, {})
            picked = next((by_object[o] for o in objects if o in by_object), None) or next(
                (by_phrase[p] for p in phrases if p in by_phrase), None
            )
            if picked or verb in self.verbs:
                return verb, picked or self.verbs[verb]
        return None


@dataclass(frozen=True)
class Lexicon:
    """Trigger words by type and the verb classes that set modality."""

    verbs: dict[str, str]  # lemma or "lemma particle" -> type
    nouns: dict[str, str]
    preps: dict[str, frozenset[str]]  # type -> recipient prepositions
    light_verbs: frozenset[str]
    verb_wins: frozenset[str]
    speech: frozenset[str]
    commitment: frozenset[str]
    request: frozenset[str]
    modal_hypothetical: frozenset[str]
    speculation: frozenset[str]
    negation: frozenset[str]
    denial: frozenset[str]  # what they say did not happen did not: "denied that it had supplied arms"
    future_rules: dict[str, str]
    future_rule_triggers: dict[str, str]
    verb_preps: dict[str, frozenset[str]]
    reversal: frozenset[str]
    relation_nouns: frozenset[str]
    topic_object_verbs: frozenset[str]
    reciprocal_types: frozenset[str]
    needs_recipient: frozenset[str]
    reciprocal_verbs: frozenset[str]
    yield_verbs: frozenset[str]
    verbal_protest_verbs: frozenset[str]
    suppression_verbs: frozenset[str]
    phrase_nouns: dict[str, str]
    object_control_verbs: frozenset[str]
    cameo: CameoLexicon = CameoLexicon({}, {}, {}, {})  # the field's dictionary, consulted after the above
    known: frozenset[str] = frozenset()  # every word the lexicon names, for lemma repair


@lru_cache(maxsize=1)
def load_cameo_lexicon() -> CameoLexicon:
    """Read ``kg/data/cameo_lexicon.json`` once per process."""
    data = json.loads(files("kg.data").joinpath("cameo_lexicon.json").read_text(encoding="utf-8"))
    return CameoLexicon(data["verbs"], data["objects"], data["preps"], data["forms"])


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """Read ``kg/data/triggers.json`` once per process."""
    data = json.loads(files("kg.data").joinpath("triggers.json").read_text(encoding="utf-8"))
    verbs: dict[str, str] = {}
    nouns: dict[str, str] = {}
    for etype, spec in data["types"].items():
        for v in spec["verbs"]:
            verbs.setdefault(v, etype)
        for n in spec["nouns"]:
            nouns.setdefault(n, etype)
    lexicon = Lexicon(
        verbs=verbs,
        nouns=nouns,
        preps={t: frozenset(s["preps"]) for t, s in data["types"].items()},
        light_verbs=frozenset(data["light_verbs"]),
        verb_wins=frozenset(data.get("verb_wins", ())),
        speech=frozenset(data["speech_verbs"]),
        commitment=frozenset(data["commitment_verbs"]),
        request=frozenset(data["request_verbs"]),
        modal_hypothetical=frozenset(data["hypothetical_verbs"]),
        speculation=frozenset(data["speculation_verbs"]),
        negation=frozenset(data["negation_verbs"]),
        denial=frozenset(data.get("denial_verbs", ())),
        future_rules=dict(data["future_rules"]),
        future_rule_triggers=dict(data.get("future_rule_triggers", {})),
        verb_preps={v: frozenset(p) for v, p in data.get("verb_preps", {}).items()},
        reversal=frozenset(data.get("reversal_verbs", ())),
        relation_nouns=frozenset(data.get("relation_nouns", ())),
        topic_object_verbs=frozenset(data.get("topic_object_verbs", ())),
        reciprocal_types=frozenset(data.get("reciprocal_types", ("CONSULT",))),
        needs_recipient=frozenset(data.get("needs_recipient", ())),
        reciprocal_verbs=frozenset(data.get("reciprocal_verbs", ())),
        yield_verbs=frozenset(data.get("yield_verbs", ())),
        verbal_protest_verbs=frozenset(data.get("verbal_protest_verbs", ())),
        suppression_verbs=frozenset(data.get("suppression_verbs", ())),
        phrase_nouns=dict(data.get("phrase_nouns", {})),
        object_control_verbs=frozenset(data.get("object_control_verbs", ())),
    )
    # The dictionary's object and phrase patterns ("sent troops", "summoned to court") are used, its
    # verb defaults are not: on the dev folds they added 20 wrong events and no right one (its
    # WordNet synonym sets code "expect", "decide", "control", "persuade" as events).
    lexicon = dataclasses.replace(lexicon, cameo=dataclasses.replace(load_cameo_lexicon(), verbs={}))
    words = {w.split(" ")[0] for w in (*verbs, *nouns, *lexicon.cameo.verbs, *lexicon.cameo.objects)}
    for field_name in (
        "light_verbs",
        "speech",
        "commitment",
        "request",
        "speculation",
        "negation",
        "denial",
        "reversal",
        "yield_verbs",
        "suppression_verbs",
        "verbal_protest_verbs",
        "object_control_verbs",
        "topic_object_verbs",
        "reciprocal_verbs",
        "verb_wins",
    ):
        words |= {w.split(" ")[0] for w in getattr(lexicon, field_name)}
    return dataclasses.replace(lexicon, known=frozenset(words))


@dataclass(frozen=True)
class _Trigger:
    type: str
    token: Token  # the trigger word
    anchor: Token  # the verb whose subject acts and whose modality counts
    text: str
    nominal: bool
    light: bool = False  # a noun that is the object of a light verb: "held talks", "imposed sanctions"
    generic_addressee: bool = False  # "all parties must ...": addressed, but to no entity
    ends_protest: bool = False  # "called off the strike": a concession to whom the protest was aimed at


class _SentenceExtractor:
    def __init__(self, sent: Span, ents: DocEntities, lex: Lexicon, we: tuple[str, ...] = ()):
        self.sent, self.ents, self.lex = sent, ents, lex
        self.we = we  # who "we" is when no speaker is named: the parties the text last named acting together

    def lemma(self, tok: Token) -> str:
        """The token's lemma, or the form the lexicon knows when the lemmatizer slipped
        ("staged" -> "stag" instead of "stage")."""
        lemma = self.lex.cameo.forms.get(tok.lower_) or tok.lemma_.lower()
        if lemma in self.lex.known or tok.pos_ not in ("VERB", "AUX", "NOUN"):
            return lemma
        for form in _inflection_stems(tok.lower_):
            if form in self.lex.known:
                return form
        return lemma

    # -- triggers ---------------------------------------------------------------
    def triggers(self) -> list[_Trigger]:
        lex, found = self.lex, []
        ended: set[int] = set()  # tokens of what a reversal ended, blocked or lifted
        for tok in self.sent:
            if tok.pos_ == "VERB" or (tok.pos_ == "AUX" and tok.dep_ == "ROOT" and tok.lemma_ != "be"):
                lemma = self.lemma(tok)
                # particles first ("called off the strike" is no "call on"), then prepositions
                # whose object is not a time ("called on Monday" is no appeal)
                particles = [f"{lemma} {c.lower_}" for c in tok.children if _is_particle(c, tok)]
                preps = [
                    f"{lemma} {c.lower_}"
                    for c in tok.children
                    if c.dep_ == "prep" and not any(o.ent_type_ in ("DATE", "TIME") for o in c.children)
                ]
                key = next((p for p in particles if p in lex.verbs or p in lex.reversal), None)
                if key is None:
                    key = next((p for p in preps if p in lex.verbs), None)
                if key is None and lemma in lex.verbs:
                    key = lemma
                if key is None:
                    key = (
                        lemma
                        if lemma in lex.reversal or lemma in lex.yield_verbs or lemma in lex.suppression_verbs
                        else None
                    )
                obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
                cameo = self.cameo_reading(tok, lemma, obj) if key is None else None
                if cameo is not None:
                    key = cameo[0]
                if key is None:
                    continue
                if lex.verbs.get(key) == "REJECT" and any(
                    c.dep_ == "xcomp" and self.lemma(c) in lex.speech for c in tok.children
                ):
                    continue  # "refused to say": declining to speak is no rejection of anyone
                reversed_type = self.reversal(tok, key, obj)
                if reversed_type:
                    ended.update(t.i for t in obj.subtree)  # "blocked an aid package": no aid was given
                    ends_protest = reversed_type == "CONCEDE" and (
                        lex.nouns.get(self.lemma(obj)) == "PROTEST" or self.labour_strike(obj, tok)
                    )
                    text = f"{_phrase(tok, key)} {obj.text}"
                    found.append(_Trigger(reversed_type, tok, tok, text, False, ends_protest=ends_protest))
                    continue
                if (
                    lemma in lex.light_verbs
                    and lemma not in lex.verb_wins
                    and obj is not None
                    and self.lemma(obj) in lex.nouns
                ):
                    continue  # the noun says what happened ("provided support")
                if (
                    (tok.tag_ == "VBN" or tok.tag_ == "VBD" and tok.i == self.sent.start)
                    and tok.dep_ in ("advcl", "acl")
                    and not any(c.dep_ in _SUBJECTS for c in tok.children)
                ):
                    continue  # "Asked whether ...": a participle whose doer the sentence does not name
                if key in lex.verbs or cameo is not None:
                    etype = cameo[1] if cameo is not None else lex.verbs[key]
                    if etype == "ASSAULT" and any(c.lower_ == "test" for c in tok.children):
                        etype = "MOBILIZE"  # "test-fired two missiles": a weapons test, a show of force
                    if lemma == "welcome" and obj is not None and self.ents.at(obj) and any(
                        c.dep_ == "prep" and c.lower_ in ("to", "in") for c in [*tok.children, *obj.children]
                    ):
                        etype = "CONSULT"  # "welcomed Prime Minister X to the White House": a visit hosted
                    if etype in ("MOBILIZE", "AID") and obj is not None and self.lemma(obj) in _INVESTIGATORS:
                        etype = "ACCUSE"  # "dispatched inspectors to the plant": an investigation
                    found.append(_Trigger(etype, tok, tok, _phrase(tok, key), False))
            elif tok.pos_ == "NOUN" and tok.ent_type_ not in _NAME_TYPES:
                lemma = self.lemma(tok)
                compound = next(
                    (
                        f"{c.lower_} {lemma}"
                        for c in tok.children
                        if c.dep_ == "compound" and f"{c.lower_} {lemma}" in lex.nouns
                    ),
                    None,
                )
                key = compound or (lemma if lemma in lex.nouns else tok.lower_ if tok.lower_ in lex.nouns else None)
                phrase = next(
                    (
                        f"{lemma} of {self.lemma(p)}"
                        for c in tok.children
                        if c.dep_ == "prep" and c.lower_ == "of"
                        for p in c.children
                        if f"{lemma} of {self.lemma(p)}" in lex.phrase_nouns
                    ),
                    None,
                )
                if phrase:
                    key = phrase
                if key is None:
                    continue
                owner = self.ents.at(tok.head) if tok.dep_ == "compound" else None
                if owner and self.ents.at(tok) in (None, owner):
                    continue  # "riot police", "aid groups": a kind of actor, not an event
                if lemma in _MEASURE_NOUNS and any(
                    c.dep_ == "prep" and c.lower_ == "of" and any(self.lemma(p) in lex.nouns for p in c.children)
                    for c in tok.children
                ):
                    continue  # "a package of sanctions": the sanctions say what it is
                head = tok.head
                light = (
                    tok.dep_ in ("dobj", "attr", "nsubjpass")
                    and head.pos_ in ("VERB", "AUX")
                    and head.i != tok.i
                    and self.lemma(head) in lex.light_verbs
                )
                if tok.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in _MEASURE_NOUNS:
                    measure = head.head  # "launched ten days of war games", "a wave of arrests"
                    if measure.dep_ in ("dobj", "attr") and self.lemma(measure.head) in lex.light_verbs:
                        head, light = measure.head, True
                if tok.dep_ == "pobj" and (head.lower_, self.lemma(head.head)) in _STATE_VERBS:
                    head, light = head.head, True  # "troops remained on alert", "forces engaged in shelling"
                if (
                    tok.dep_ == "pobj"
                    and head.lower_ == "to"
                    and head.head.pos_ == "VERB"
                    and self.lemma(head.head) in lex.commitment
                ):
                    head, light = head.head, True  # "agreed to a ceasefire", "committed to talks": promised
                if light and self.lemma(head) in lex.verb_wins and self.lemma(head) in lex.verbs:
                    continue  # "signed an agreement": the verb says what happened
                if light:
                    etype = lex.nouns.get(key) or lex.phrase_nouns[key]
                    if self.labour_strike(tok, head):
                        etype = "PROTEST"
                    if etype == "PROTEST" and self.lemma(head) in lex.verbal_protest_verbs:
                        etype = "ACCUSE"  # "lodged a protest with Albania": a complaint, not a rally
                    found.append(_Trigger(etype, tok, head, f"{head.text} {tok.text}", True, True))
                else:  # "Russia's invasion of Ukraine": the noun carries its own arguments
                    found.append(
                        _Trigger(
                            "PROTEST"
                            if self.labour_strike(tok, _governing_verb(tok))
                            else lex.nouns.get(key) or lex.phrase_nouns[key],
                            tok,
                            _governing_verb(tok),
                            tok.text,
                            True,
                        )
                    )
        # "rejected a US offer", "welcomed the release", "accused X of attacking": what a verbal act
        # is about is its content, not a second event
        content: set[int] = set()
        for t in found:
            if t.nominal or t.type not in _VERBAL_ACTS:
                continue
            for child in t.token.children:
                # what is rejected, welcomed or demanded is content; what is criticised did happen
                # ("criticised Washington's provision of aid"), what is alleged is content again
                about = child.dep_ == "dobj" and t.type != "ACCUSE"
                alleged = child.dep_ == "prep" and child.lower_ in ("of", "for") and t.type == "ACCUSE"
                if about or alleged:
                    content.update(x.i for x in child.subtree)
        found = [t for t in found if t.token.i not in content and (t.token.i not in ended or not t.nominal)]
        # "agreed to cease hostilities", "pledged to deepen cooperation": the commitment is coded by
        # what was promised (future rules)
        promised = {t.token.i for t in found} | {t.anchor.i for t in found if t.light}
        return [
            t
            for t in found
            if not (
                t.type == "AGREE"
                and not t.nominal
                and any(
                    c.dep_ == "xcomp" and c.i in promised
                    or c.dep_ == "prep" and c.lower_ == "to" and any(p.i in promised for p in c.children)
                    for c in t.token.children
                )
            )
        ]

    def cameo_reading(self, verb: Token, lemma: str, obj: Token | None) -> tuple[str, str] | None:
        """What the field's verb dictionary makes of a verb the hand lexicon does not know, from the
        verb with its particle, its object noun (with a modifier: "peace talks") and its
        prepositional phrases ("summoned to court")."""
        lemmas = [f"{lemma} {c.lower_}" for c in verb.children if c.dep_ in ("prt", "prep")] + [lemma]
        objects: list[str] = []
        if obj is not None:
            head = self.lemma(obj)
            objects = [f"{c.lower_} {head}" for c in obj.children if c.dep_ in ("compound", "amod")]
            objects += [head, obj.lower_]
        phrases = [
            f"{prep.lower_} {self.lemma(p)}"
            for prep in verb.children
            if prep.dep_ == "prep"
            for p in prep.children
            if p.dep_ == "pobj"
        ]
        return self.lex.cameo.reading(lemmas, objects, phrases)

    def labour_strike(self, noun: Token, verb: Token | None) -> bool:
        """Whether "strike" is a walkout (PROTEST) rather than a military strike: it is counted in
        days or called general, or workers, a union or its members hold it."""
        if self.lemma(noun) != "strike":
            return False
        words = {t.lemma_.lower() for t in noun.subtree if t.i < noun.i}
        if words & _LABOUR_WORDS:
            return True
        holders = [c for c in noun.children if c.dep_ == "poss"]
        if verb is not None:
            holders += [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        for holder in holders:
            if {t.lemma_.lower() for t in holder.subtree} & _LABOUR_WORDS:
                return True
            keys = self.entities_of(holder)
            if any(k.rsplit("/", 1)[-1].split("-")[-1] in _LABOUR_WORDS or "union" in k for k in keys):
                return True
        return False

    def reversal(self, verb: Token, key: str, obj: Token | None) -> str | None:
        """Ending cooperation is a sanction ("halted aid", "cut ties"); ending repression or a protest
        a concession ("lifted the curfew"); ending force a retreat ("lifted the blockade")."""
        lex = self.lex
        if obj is None:
            return None
        if obj.lemma_.lower() in _QUANTITY_NOUNS:  # "suspended part of the aid programme"
            of = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            obj = next((c for c in of.children if c.dep_ == "pobj"), obj) if of is not None else obj
        noun = self.lemma(obj)
        noun_type = lex.nouns.get(noun) or lex.nouns.get(obj.lower_)
        if self.labour_strike(obj, verb):
            noun_type = "PROTEST"
        if noun_type is None and noun not in lex.relation_nouns:  # "aid programme", "mediation efforts"
            for c in obj.children:
                if c.dep_ == "compound" and (c.lemma_.lower() in lex.nouns or c.lemma_.lower() in lex.relation_nouns):
                    noun, noun_type = c.lemma_.lower(), lex.nouns.get(c.lemma_.lower())
                    break
        if self.lemma(verb) in lex.yield_verbs and noun_type == "REQUEST":
            return "CONCEDE"  # "accepted the rebels' demands"
        if self.lemma(verb) in lex.suppression_verbs and noun_type == "PROTEST":
            return "COERCE"  # "police prevented the demonstration"
        if self.lemma(verb) in lex.suppression_verbs and (
            noun in lex.relation_nouns or noun_type in ("COOPERATE", "AID")
        ):
            return "SANCTION"  # "would prohibit all aid to the rebels"
        if key not in lex.reversal and self.lemma(verb) not in lex.reversal:
            return None
        if noun in lex.relation_nouns or noun_type in ("AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID"):
            return "SANCTION" if self.lemma(verb) not in ("lift", "ease", "relax") else None
        if noun_type in ("PROTEST", "COERCE"):
            return "CONCEDE"  # "lifted the curfew", "called off the strike": an easing
        if noun_type in ("SANCTION", "ASSAULT", "MOBILIZE", "THREATEN"):
            return "RETREAT"  # "lifted the blockade", "ended the offensive"
        return None

    # -- arguments --------------------------------------------------------------
    def entities_of(self, tok: Token | None, depth: int = 0) -> list[str]:
        """Entity keys a noun phrase head refers to, coordination included."""
        if tok is None or depth > 3:
            return []
        keys: list[str] = list(self.ents.token_group.get(tok.i, ()))
        for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("of", "from")):
            # "delegates from both sides": the pair named, not whoever "delegates" alone would mean
            keys.extend(k for c in prep.children if c.dep_ == "pobj" for k in self.ents.token_group.get(c.i, ()))
        key = self.ents.at(tok) if not keys else None
        if key is None and not keys:
            # a named apposition first: "his Indian counterpart S. Jaishankar" is the person
            for child in sorted(tok.children, key=lambda c: c.dep_ != "appos"):
                if child.dep_ not in ("compound", "amod", "poss", "nmod", "appos"):
                    continue
                # "US Predator attacks": the owner may sit one compound further out
                key = self.ents.at(child) or next(
                    (self.ents.at(c) for c in child.children if c.dep_ == "compound" and self.ents.at(c)), None
                )
                if key:
                    break
        if key is None and not keys:
            of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("of", "from")), None)
            pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
            if pobj is not None and tok.lower_ not in self.lex.nouns:
                keys.extend(self.entities_of(pobj, depth + 1))
        if key:
            keys.append(key)
        for child in tok.children:
            if child.dep_ == "conj":
                keys.extend(self.entities_of(child, depth + 1))
            elif child.dep_ in ("amod", "compound", "nmod") and self.ents.at(child):
                # "the US and British forces", "Turkish and Greek sides": coordinated owners
                keys.extend(self.ents.at(c) for c in child.children if c.dep_ == "conj" and self.ents.at(c))
        return _unique(keys)

    def subject_entities(self, subj: Token | None) -> list[str]:
        """Entities of a subject, including names the parser folded into one phrase with "and"."""
        keys = self.entities_of(subj)
        if subj is not None and any(t.dep_ == "cc" and t.lower_ == "and" for t in subj.subtree):
            for t in subj.subtree:
                if t.i < subj.i and t.dep_ == "compound":
                    key = self.ents.at(t)
                    if key and key not in keys and key.startswith("person/"):
                        keys.append(key)
        return keys

    def subject(self, verb: Token) -> tuple[Token | None, bool]:
        """The subject of a verb, following control ("agreed to meet") and coordination; passive flag."""
        v = verb
        for _ in range(4):
            for child in v.children:
                if child.dep_ in _SUBJECTS:
                    return child, child.dep_ == "nsubjpass"
            if v.dep_ == "relcl":
                return v.head, False
            if v.dep_ == "xcomp" and self.lemma(v.head) in self.lex.object_control_verbs:
                obj = next((c for c in v.head.children if c.dep_ in ("dobj", "dative")), None)
                if obj is not None:  # object control: "urged Israel to withdraw"
                    return obj, False
            if v.dep_ == "xcomp" and self.lemma(v.head) == "call":  # "called on Israel to withdraw"
                on = next((c for c in v.head.children if c.dep_ == "prep" and c.lower_ in ("on", "upon")), None)
                obj = next((c for c in on.children if c.dep_ == "pobj"), None) if on is not None else None
                if obj is not None:
                    return obj, False
            if v.dep_ == "acl":  # "troops fighting rebels": the troops; "Haass's efforts to encourage": Haass
                if self.ents.at(v.head) and v.tag_ in ("VBG", "VBN"):
                    return v.head, v.tag_ == "VBN"
                owner = next((c for c in v.head.children if c.dep_ == "poss"), None)
                return owner, False
            if v.dep_ in ("xcomp", "conj", "advcl", "acomp") and v.head is not v:
                v = v.head
                continue
            break
        return None, False

    def speaker(self, verb: Token) -> Token | None:
        """Who says the clause a verb stands in: "X said it would back Y"."""
        v = verb
        for _ in range(5):
            if v.dep_ in ("ccomp", "parataxis"):
                head = v.head
                if self.lemma(head) in self.lex.speech:
                    subj = next((c for c in head.children if c.dep_ == "nsubj"), None)
                    return subj
            if v.head is v:
                break
            v = v.head
        # "..., the Kremlin said." attached as the root with the clause below it
        return None

    def recipients(self, trig: _Trigger) -> list[str]:
        preps = self.lex.preps[trig.type] | self.lex.verb_preps.get(self.lemma(trig.token), frozenset())
        if trig.type == "CONSULT" and self.lemma(trig.token) == "welcome":
            preps = frozenset()  # "welcomed X to the White House": the place is where, not who
        tokens: list[Token] = []
        topic_only = self.lemma(trig.token) in self.lex.topic_object_verbs  # "discussed Ukraine": a topic
        holders = [trig.token] + ([trig.anchor] if trig.nominal and trig.anchor is not trig.token else [])
        for holder in holders:
            for child in holder.children:
                if (
                    not trig.nominal
                    and not topic_only
                    and child.dep_ in ("dobj", "dative", "iobj", "attr")
                    or trig.nominal
                    and child.dep_ in ("dative", "iobj")
                ):
                    if child.pos_ == "ADP":  # "providing intelligence to Macedonia" parsed as a dative "to"
                        tokens.extend(c for c in child.children if c.dep_ == "pobj")
                    else:
                        tokens.append(child)
                elif child.dep_ == "prep" and (
                    child.lower_ in preps or trig.nominal and holder is trig.token and child.lower_ == "of"
                ):
                    tokens.extend(_prep_objects(child))
                elif child.dep_ == "agent" and trig.nominal and holder is trig.token:
                    continue
                elif (
                    child.dep_ == "acl"
                    and trig.nominal
                    and holder is trig.token
                    and not trig.light
                    and EVENT_TYPES[trig.type].quad == "material-conflict"
                ):
                    # "Israeli air strikes killed 20 people in Gaza" (parsed with "killed" a clause of "strikes")
                    tokens.extend(c for c in child.children if c.dep_ == "dobj")
                elif child.dep_ == "prep" and child.lower_ == "for" and trig.type in _PLACE_TARGETED:
                    # "mobilized reservists for a possible war against Iraq": the purpose's target
                    for purpose in (c for c in child.children if c.dep_ == "pobj"):
                        for prep in (c for c in purpose.children if c.dep_ == "prep" and c.lower_ in ("against", "on")):
                            tokens.extend(c for c in prep.children if c.dep_ == "pobj")
                elif child.dep_ in ("prt",) and child.lower_ in preps:
                    tokens.extend(c for c in holder.children if c.dep_ == "dobj")
        tokens = [_through_quantity(t) for t in tokens]  # "part of the aid programme"
        keys: list[str] = []
        for t in tokens:
            keys.extend(self.entities_of(t))
        if (
            keys
            and trig.type in _PLACE_TARGETED
            and all(k.startswith("location/") and not self.ents.country_of(k) for k in keys)
        ):
            keys = self.indirect_recipients(trig, tokens) or keys  # "blocked the bridge from France to Germany"
        if not keys:
            keys = self.indirect_recipients(trig, tokens)
        if not keys and not trig.nominal and trig.type in _VERBAL_ACTS:
            # "denounced as an ugly crime Serbia's suppression of ...": the object put after its "as"
            for prep in (c for c in trig.token.children if c.dep_ == "prep" and c.lower_ == "as"):
                for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                    owned = [pobj] if any(c.dep_ == "poss" for c in pobj.children) else []  # "as a crime X's ..."
                    for noun in [*(c for c in pobj.children if c.dep_ == "appos"), *owned]:
                        keys.extend(self.entities_of(noun))
        if not keys and not trig.nominal and self.lemma(trig.token) in _RAISING_VERBS:
            # "allowed Ouattara to run", parsed with "Ouattara" the subject of "run": who is allowed
            for clause in (c for c in trig.token.children if c.dep_ in ("ccomp", "xcomp")):
                keys.extend(k for c in clause.children if c.dep_ in ("nsubj", "nsubjpass") for k in self.entities_of(c))
        if not keys and trig.type == "THREATEN":
            keys = self.ultimatum_target(trig.token)
        if not keys and trig.type == "REJECT":
            keys = self.pressure_source(trig.anchor)
        if not keys and not trig.nominal and not topic_only and trig.type in ("THREATEN", "REJECT", "AGREE", "CONCEDE"):
            # "threatened to break relations with Russia", "refused to meet the envoy"
            for clause in trig.token.children:
                if clause.dep_ == "xcomp":
                    for child in clause.children:
                        if child.dep_ in ("dobj", "dative"):
                            keys.extend(self.entities_of(child))
                        elif child.dep_ == "prep" and child.lower_ in ("with", "to", "on", "against", "from"):
                            keys.extend(k for c in child.children if c.dep_ == "pobj" for k in self.entities_of(c))
                    obj = next((c for c in clause.children if c.dep_ == "dobj"), None)
                    if not keys and obj is not None:
                        keys.extend(self.indirect_recipients(trig, [obj]))
        return _unique(keys)

    def pressure_source(self, verb: Token) -> list[str]:
        """ "declined to resign despite pressure by the commission": whose demand was refused."""
        keys: list[str] = []
        for v in [verb, *(c for c in verb.children if c.dep_ == "xcomp")]:
            for prep in (c for c in v.children if c.dep_ == "prep" and c.lower_ in ("despite", "against")):
                for noun in (c for c in prep.children if c.dep_ == "pobj"):
                    for by in (c for c in noun.children if c.dep_ in ("prep", "agent") and c.lower_ in ("by", "from")):
                        keys.extend(k for c in by.children if c.dep_ == "pobj" for k in self.entities_of(c))
        return keys

    def ultimatum_target(self, verb: Token) -> list[str]:
        """ "threatened to strike unless Israel rescinded ...": the one who must comply is the target."""
        for v in [verb, *(c for c in verb.children if c.dep_ == "xcomp")]:
            for clause in v.children:
                if clause.dep_ == "advcl" and any(
                    c.dep_ == "mark" and c.lower_ in ("unless", "if") for c in clause.children
                ):
                    subj = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                    keys = self.entities_of(subj)
                    if keys:
                        return keys
        return []

    def indirect_recipients(self, trig: _Trigger, objects: list[Token]) -> list[str]:
        """Recipients one step further: "demanded that the US cancel ...", "denounced Serbia's
        suppression", "demanded the withdrawal of Serbian forces"."""
        keys: list[str] = []
        if trig.type == "REQUEST":
            # "demanded that the US cancel ...", "its demand that Uganda withdraw", "its call for
            # Uganda to withdraw": who is to act is asked
            clauses = ("ccomp", "xcomp") if not trig.nominal else ("acl", "ccomp", "advcl")
            for clause in trig.token.children:
                if clause.dep_ in clauses:
                    subj = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                    keys.extend(self.entities_of(subj))
        for obj in objects:
            for child in obj.children:
                if child.dep_ == "prep" and child.lower_ == "for":  # "reservists for a war against Iraq"
                    for purpose in (c for c in child.children if c.dep_ == "pobj"):
                        for prep in (c for c in purpose.children if c.dep_ == "prep" and c.lower_ in ("against", "on")):
                            keys.extend(k for c in prep.children if c.dep_ == "pobj" for k in self.entities_of(c))
                if child.dep_ == "acl":  # "the demonstration staged by students", "lines leading into Kabul"
                    agent = next((c for c in child.children if c.dep_ == "agent"), None)
                    if agent is not None and obj.i != trig.token.i:  # "a ceasefire brokered by X": a mediator
                        keys.extend(k for c in agent.children if c.dep_ == "pobj" for k in self.entities_of(c))
                    if trig.type in _PLACE_TARGETED:
                        for prep in (
                            c for c in child.children if c.dep_ == "prep" and c.lower_ in ("in", "into", "to", "from")
                        ):
                            keys.extend(k for c in prep.children if c.dep_ == "pobj" for k in self.entities_of(c))
                if child.dep_ in ("poss", "compound"):  # "Serbia's suppression", "hostage-takers' demands"
                    keys.extend(self.entities_of(child))
                elif child.dep_ == "prep" and (
                    child.lower_ in ("of", "from", "against", "on", "with", "by")
                    or child.lower_ in self.lex.preps[trig.type] - {"in", "at"}
                    or child.lower_ in ("in", "at")
                    and trig.type in _PLACE_TARGETED
                ):
                    keys.extend(k for c in child.children if c.dep_ == "pobj" for k in self.entities_of(c))
        return keys

    def actors_and_recipients(self, trig: _Trigger) -> tuple[list[str], list[str]]:
        recipients = self.recipients(trig)
        actors: list[str] = []
        if trig.nominal and not trig.light:
            # "Russia's invasion", "Russian strikes", "an attack by Russia", "talks between X and Y"
            for child in trig.token.children:
                if child.dep_ in ("poss", "amod", "compound", "nmod") and self.ents.at(child):
                    actors.extend(self.entities_of(child))
                elif child.dep_ == "agent" or child.dep_ == "prep" and child.lower_ == "by":
                    actors.extend(k for c in child.children if c.dep_ == "pobj" for k in self.entities_of(c))
                elif child.dep_ == "prep" and child.lower_ == "between":
                    actors.extend(k for c in child.children if c.dep_ == "pobj" for k in self.entities_of(c))
            if not actors and trig.type == "CONSULT":
                actors = self.unnamed_talks_parties(trig.token)
        else:
            subj, passive = self.subject(trig.anchor)
            if passive and not trig.nominal:  # "X was attacked by Y"
                anchor = trig.anchor
                # "was accused of misusing funds ... by officials": the parser may hang the agent lower,
                # or on the verb above
                higher = anchor.head.children if anchor.head is not anchor else ()
                agent = (
                    next((c for c in anchor.children if c.dep_ == "agent"), None)
                    or next((c for c in anchor.subtree if c.dep_ == "agent" and c.lower_ == "by"), None)
                    or next((c for c in higher if c.dep_ == "prep" and c.lower_ == "by" and c.i > anchor.i), None)
                )
                by = (
                    [k for c in agent.children if c.dep_ == "pobj" for k in self.entities_of(c)]
                    if agent is not None
                    else []
                )
                recipients = _unique(self.entities_of(subj) + recipients)
                actors = by
                if not actors and trig.type == "COERCE":
                    # "a missionary was arrested in Lebanon": the authorities where it happened
                    places = [self.ents.country_of(k) for k in _places(anchor, self.ents)]
                    code = next((c for c in places if c), None) or self.ents.main_country
                    actors = [self.ents.government(code)] if code else []
                    recipients = [r for r in recipients if not r.startswith("location/") and r != f"country/{code}"]
            else:
                actors = self.subject_entities(subj)
                if not actors and subj is not None and self.lemma(subj) in self.lex.nouns:
                    # "Israeli air strikes killed 20 people": whose strikes did the killing
                    actors = [
                        k
                        for c in subj.children
                        if c.dep_ in ("poss", "amod", "compound", "nmod") and self.ents.at(c)
                        for k in self.entities_of(c)
                    ]
                if not actors and (subj is None or subj.lower_ in _GENERIC_PRONOUNS):
                    actors = self.entities_of(self.speaker(trig.anchor))
                if not actors and subj is not None and subj.lower_ == "we":
                    actors = list(self.we)  # a joint statement's "we": its signatories, named acting together
        recipients = [r for r in recipients if r not in actors and not self.own_forces(r, actors)]
        return _unique(actors), recipients

    def unnamed_talks_parties(self, noun: Token) -> list[str]:
        """ "peace talks mediated by the AU began in Pretoria": talks that took place without naming
        who held them were held by the pair the text is about, with whoever mediated or hosted."""
        if noun.dep_ not in ("nsubj", "nsubjpass"):
            return []
        clauses = [c for c in noun.children if c.dep_ == "acl"]
        verb = noun.head
        if any(c.dep_ == "agent" for c in verb.children):  # "talks mediated by X began", parsed as a clause
            clauses.append(verb)
            verb = verb.head
        pair = self.ents.pair_before(noun.i)
        if not pair or self.lemma(verb) not in _TAKING_PLACE:
            return []
        hosts = [
            k
            for clause in clauses
            for agent in clause.children
            if agent.dep_ == "agent"
            for c in agent.children
            if c.dep_ == "pobj"
            for k in self.entities_of(c)
        ]
        return [*pair, *hosts]

    def own_forces(self, key: str, actors: list[str]) -> bool:
        """A country's own government or military is not the recipient of its act."""
        if not key.startswith(("military/", "government/")):
            return False
        code = key.split("/", 1)[1]
        return any(a in (f"country/{code}", f"government/{code}", f"military/{code}") for a in actors)

    # -- modality ---------------------------------------------------------------
    def modality(self, trig: _Trigger) -> str:
        """Asserted, Intended, Hypothetical or Negated; "Refused" for a negated cooperative act
        that someone will not do or refused to do (coded REJECT by the caller)."""
        lex = self.lex
        if self.sent.text.rstrip().endswith("?"):
            return "Hypothetical"
        chain: list[tuple[Token, str]] = []  # each verb up the tree, with the link it was reached by
        v, link = trig.anchor, ""
        for _ in range(6):
            chain.append((v, link))
            if (
                v.dep_
                not in (
                    "xcomp",
                    "ccomp",
                    "advcl",
                    "conj",
                    "acl",
                    "relcl",
                    "pcomp",
                    "pobj",
                    "prep",
                    "dobj",
                    "acomp",
                )
                or v.head is v
                or v.dep_ == "acl" and v.tag_ in ("VBG", "VBN") and v.head.pos_ in ("NOUN", "PROPN")
                and not trig.nominal  # "train troops fighting rebels": the fighting is a fact of its own
            ):
                break
            v, link = v.head, v.dep_
        # "offered concessions", "pledged aid": a noun offered or promised is an intention
        intended = trig.light and self.lemma(trig.anchor) in lex.commitment
        hypothetical = False
        for depth, (v, link) in enumerate(chain):
            lemma = self.lemma(v)
            if depth and link == "ccomp" and lemma in lex.denial:
                return "Negated"  # "denied that it had supplied weapons": what is denied is no fact
            if depth and lemma in lex.speech:
                break  # the speaker's own verb does not change what they said
            if link == "conj":
                continue  # a coordinated verb is its own statement
            children = list(v.children)
            if any(c.dep_ == "neg" for c in children) or (depth and link == "xcomp" and lemma in lex.negation):
                auxes = {c.lower_ for c in children if c.dep_ in ("aux", "auxpass")}
                refused = (depth == 1 and lemma in _REFUSALS) or bool(
                    auxes & {"will", "wo", "would", "shall", "can", "ca"}
                )
                return "Refused" if refused and trig.type in _COOPERATIVE else "Negated"
            auxes = {c.lower_ for c in children if c.dep_ in ("aux", "auxpass")}
            if auxes & {"will", "shall", "'ll", "wo"}:
                intended = True
            if auxes & lex.modal_hypothetical:
                if "would" in auxes and self.reported_clause(v):
                    intended = True
                else:
                    hypothetical = True
            if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in children):
                hypothetical = True
            if link in ("xcomp", "ccomp") and any(c.lower_ in ("how", "whether") for c in chain[depth - 1][0].children):
                hypothetical = True  # "discussed how best to support": a topic, not an act
            if depth and link in ("acl", "advcl") and v.pos_ == "NOUN" and lex.nouns.get(lemma) == "REQUEST":
                hypothetical = True  # "its demand that Uganda withdraw": asked for, not done
            if depth and link in ("xcomp", "ccomp", "acomp"):
                if lemma in lex.speculation:
                    hypothetical = True
                elif lemma in lex.request:
                    hypothetical = True
                elif lemma in lex.commitment:
                    intended = True
            if (
                depth == 0
                and v.dep_ == "xcomp"
                and self.lemma(v.head) in ("be", "go")
                and any(c.lower_ == "to" and c.dep_ == "aux" for c in children)
            ):
                intended = True
        if hypothetical:
            return "Hypothetical"
        return "Intended" if intended else "Asserted"

    def reported_clause(self, verb: Token) -> bool:
        """True when the clause is reported speech ("said it would"): "would" is then future."""
        v = verb
        for _ in range(4):
            if v.head is v:
                return False
            if self.lemma(v.head) in self.lex.speech and v.dep_ in ("ccomp", "parataxis"):
                return True
            v = v.head
        return False

    def speaker_entities(self, verb: Token) -> list[str]:
        """Who speaks with a verb: its subject, or for a participle ("..., saying that") the nearest
        subject up the tree that names an actor."""
        v = verb
        for _ in range(4):
            subj = next((c for c in v.children if c.dep_ == "nsubj"), None)
            keys = self.subject_entities(subj)
            if keys or v.dep_ not in ("advcl", "conj", "xcomp", "ccomp") or v.head is v:
                return keys
            v = v.head
        return []

    def reported_demands(self) -> list[tuple[_Trigger, list[str], list[str], str]]:
        """ "X said Y must ...", "X declared that Y should ...": a demand by X on Y (PLOVER REQUEST)."""
        out = []
        for verb in self.sent:
            lemma = self.lemma(verb)
            if (lemma not in self.lex.speech and lemma not in _AGREEMENT_VERBS) or verb.pos_ not in ("VERB", "AUX"):
                continue
            clauses = [c for c in verb.children if c.dep_ in ("ccomp", "parataxis")]
            clauses += [c for clause in clauses for c in clause.children if c.dep_ == "conj"]  # "that ... and that"
            for clause in clauses:
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

    def run(self, doc_date: str | None) -> list[tuple[_Trigger, list[str], list[str], str]]:
        out = self.reported_demands()
        for trig in self.triggers():
            actors, recipients = self.actors_and_recipients(trig)
            if not actors:
                continue
            modality = self.modality(trig)
            if modality in ("Intended", "Hypothetical") and _ultimatum(trig.anchor, conflict=trig.type in _CONFLICT):
                trig = _Trigger("THREATEN", trig.token, trig.anchor, trig.text, trig.nominal)
                modality = "Asserted"
                recipients = recipients or [k for k in self.ultimatum_target(trig.anchor) if k not in actors]
            elif modality == "Refused":  # "will not accept refugees", "refused to meet": PLOVER REJECT
                trig = _Trigger("REJECT", trig.token, trig.anchor, trig.text, trig.nominal, trig.light)
                modality = "Asserted"
            out.append((trig, actors, recipients, modality))
        return out


_AGREEMENT_VERBS = {"agree", "stress", "emphasise", "emphasize", "underline", "underscore", "insist", "reiterate"}
_GENERIC_ADDRESSEES = {"parties", "sides", "everyone", "all", "community", "countries", "states", "nations", "actors"}


def _is_generic_addressee(subj: Token) -> bool:
    """ "all parties", "both sides", "the international community": addressees that are not entities."""
    return subj.lower_ in _GENERIC_ADDRESSEES and subj.pos_ in ("NOUN", "PRON", "DET")


#: (preposition, verb) pairs that put their subject in the act a noun names: "remained on alert",
#: "went on strike", "were engaged in ethnic cleansing", "returned to Geneva for talks".
_STATE_VERBS = (
    {("on", v) for v in ("be", "remain", "go", "stay", "put", "place", "keep")}
    | {("in", v) for v in ("engage", "involve", "participate", "join")}
    | {("for", v) for v in ("return", "travel", "go", "come", "arrive", "fly", "head", "gather")}
)

#: Verbal acts whose object is what they are about ("rejected the offer", "welcomed the release").
_VERBAL_ACTS = {"REJECT", "ACCUSE", "SUPPORT", "REQUEST", "AGREE", "CONCEDE", "THREATEN"}

#: Types whose target can be a place ("rioted at a jail in Israel", "shelled targets in Jericho").
_PLACE_TARGETED = {"PROTEST", "ASSAULT", "MOBILIZE", "COERCE", "CONCEDE"}

#: Nouns that measure what follows "of": "ten days of war games", "a wave of arrests".
_MEASURE_NOUNS = {
    "day", "week", "month", "hour", "round", "series", "wave", "spate", "number", "string", "campaign",
    "package", "set",
}  # fmt: skip

#: Nouns that stand for a part of what follows "of".
_QUANTITY_NOUNS = {"part", "some", "most", "much", "all", "portion", "half", "bulk", "rest", "share"}

#: Hostile acts: announced with a condition, they are threats.
_CONFLICT = {"SANCTION", "ASSAULT", "COERCE", "MOBILIZE", "PROTEST", "REJECT"}

#: People sent to investigate: sending them is an investigation (PLOVER codes it ACCUSE).
_INVESTIGATORS = {"inspector", "investigator", "auditor", "examiner", "prosecutor"}

#: Words that make "strike" a walkout: its kind and length, and who strikes.
_LABOUR_WORDS = {
    "general", "labour", "labor", "nationwide", "indefinite", "day", "week", "warning", "union", "worker",
    "teacher", "doctor", "nurse", "miner", "driver", "employee", "staff", "lecturer", "student", "farmer",
    "trader", "pilot", "docker", "porter", "unionist", "civil", "servant", "transport", "railway",
}  # fmt: skip

#: Verbs that say talks took place ("talks began in Doha").
_TAKING_PLACE = {"begin", "start", "open", "resume", "continue", "conclude", "end", "close", "take", "get"}

#: Verbs whose object the parser may hang as the subject of their complement ("allow X to go").
_RAISING_VERBS = {"allow", "permit", "let", "enable", "help", "force", "compel", "invite", "order", "forbid", "ban"}

#: Verbs whose "to"-complement is refused, and the types a refusal turns into REJECT.
_REFUSALS = {"refuse", "decline", "reject", "fail", "resist", "oppose", "deny"}
_COOPERATIVE = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"}


def _ultimatum(verb: Token, *, conflict: bool = False) -> bool:
    """A promised act with an "unless" condition is a threat ("will withdraw unless ..."); so is a
    hostile act with an "if" condition ("may halt its mediation if ...")."""
    marks = ("unless", "if") if conflict else ("unless",)
    for v in (verb, verb.head):
        for clause in v.children:
            if clause.i == verb.i:
                continue  # the condition itself ("unless Bolivia releases ...") is not the threat
            if clause.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in marks for c in clause.children):
                return True
    return False


def _is_particle(word: Token, verb: Token) -> bool:
    """A verb's particle, also where the parser calls it an adverb: "hit back at", "lashed out"."""
    return word.dep_ == "prt" or word.dep_ == "advmod" and word.i == verb.i + 1 and word.lower_ in _ADVERB_PARTICLES


#: Adverbs that, right after a verb, make a phrasal verb of it.
_ADVERB_PARTICLES = {"back", "out", "off", "up", "down", "away"}


def _prep_objects(prep: Token) -> list[Token]:
    """The objects of a preposition, with one parse error repaired: in "granted asylum to five
    officers holed up in ...", the small model makes "officers" the subject of "holed" and leaves
    "to" without an object."""
    objects = [c for c in prep.children if c.dep_ == "pobj"]
    if objects or prep.i + 1 >= len(prep.doc):
        return objects
    nxt = prep.doc[prep.i + 1]
    noun = nxt if nxt.dep_ == "nsubj" else next((a for a in nxt.ancestors if a.dep_ == "nsubj"), None)
    if (
        noun is not None
        and noun.pos_ in ("NOUN", "PROPN")
        and noun.head.tag_ in ("VBN", "VBG", "VBD")
        and noun.head.dep_ in ("advcl", "acl", "conj")
        and noun.i > prep.i
        and all(t.i > prep.i for t in noun.subtree)
    ):
        return [noun]
    return objects


def _through_quantity(tok: Token) -> Token:
    """ "part of the programme" -> "programme": a quantity noun stands for what follows "of"."""
    if tok.lemma_.lower() not in _QUANTITY_NOUNS:
        return tok
    of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    return next((c for c in of.children if c.dep_ == "pobj"), tok) if of is not None else tok


def _location(verb: Token, ents: DocEntities) -> str | None:
    """Where an event happened when the sentence says so: "met in Paris", "clashed in Gaza"."""
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("in", "at")):
        for place in (c for c in prep.children if c.dep_ == "pobj"):
            key = ents.at(place)
            if key is None or place.ent_type_ not in ("GPE", "LOC", "FAC"):
                continue
            span = next((e for e in place.doc.ents if e.start <= place.i < e.end), None)
            name = span.text if span is not None else place.text
            return ents.place(name.removeprefix("the ").removeprefix("The "), ents.country_of(key))
    return None


def _places(verb: Token, ents: DocEntities) -> list[str]:
    """Entities named as where an act happens: "rallied in Nairobi", "rioted at a jail in Israel"."""
    keys = []
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("in", "at", "outside", "near")):
        for tok in prep.subtree:
            key = ents.at(tok)
            if key and key not in keys:
                keys.append(key)
    return keys


def _inflection_stems(word: str) -> list[str]:
    """Candidate base forms of an inflected English word, most likely first."""
    out = []
    for suffix, repl in (
        ("ied", "y"),
        ("ies", "y"),
        ("ing", "e"),
        ("ing", ""),
        ("ed", "e"),
        ("ed", ""),
        ("d", ""),
        ("es", ""),
        ("s", ""),
    ):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            out.append(word[: -len(suffix)] + repl)
    return out


def _governing_verb(tok: Token) -> Token:
    v = tok
    for _ in range(8):
        if v.pos_ in ("VERB", "AUX") or v.head is v:
            return v
        v = v.head
    return v


def _earlier_doers(verb: Token, earlier: list[Event], lex: Lexicon, actors: list[str]) -> list[str]:
    """ "Police detained dozens. The EU criticised the crackdown.": a verbal act about "the" event
    the text has just reported is aimed at whoever did it (the last earlier event of the noun's
    type, or of the same quad class)."""
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is None or not any(c.lower_ in ("the", "this", "these", "that") for c in obj.children):
        return []
    noun_type = lex.nouns.get(obj.lemma_.lower())
    if noun_type is None and obj.lemma_.lower() not in _GENERIC_EVENT_NOUNS:
        return []
    quad = EVENT_TYPES[noun_type].quad if noun_type else None
    for event in reversed(earlier):
        if noun_type is None:  # "condemned the move": the act reported just before
            fits = obj.idx - event.sentence.end < 300
        else:
            fits = event.type == noun_type or EVENT_TYPES[event.type].quad == quad and quad.startswith("material")
        doers = [a for a in event.actors if a not in actors]
        if fits and doers and event.modality in ("Asserted", "Intended"):
            return doers
        if noun_type is None:
            break
    return []


def _about_an_event(trig: _Trigger, lex: Lexicon) -> bool:
    """ "welcomed the agreement", "condemned the attack": a verbal act about an event, not aimed at
    an entity; it stands with no recipient when the text does not say whose event it was."""
    if trig.nominal or trig.type not in _VERBAL_ACTS:
        return False
    obj = next((c for c in trig.token.children if c.dep_ == "dobj"), None)
    return obj is not None and (obj.lemma_.lower() in lex.nouns or obj.lemma_.lower() in _GENERIC_EVENT_NOUNS)


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


#: Verbs of hitting back: their target is whoever hit first.
_RETALIATION = {"retaliate", "avenge", "respond"}

#: Nouns that name whatever act was just reported: "welcomed the decision", "condemned the move".
_GENERIC_EVENT_NOUNS = {"move", "decision", "step", "action", "act", "measure", "launch", "test", "incident"}


def _phrase(tok: Token, key: str) -> str:
    parts = key.split(" ", 1)
    return tok.text if len(parts) == 1 else f"{tok.text} {parts[1]}"


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


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
    if not doc.has_annotation("DEP"):
        return []
    events: list[Event] = []
    seen: set[tuple] = set()
    we: tuple[str, ...] = ()
    for sent in doc.sents:
        text = sent.text.rstrip()
        if not text:
            continue
        sentence = Sentence(document.id, sent.start_char, sent.start_char + len(text), text)
        found = _SentenceExtractor(sent, ents, lex, we).run(document.date)
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
            if not recipients and etype in _VERBAL_ACTS:
                recipients = _earlier_doers(trig.token, events, lex, actors)
            if not recipients and trig.token.lemma_.lower() in _RETALIATION:
                recipients = _earlier_attackers(actors, events)
            if etype == "CONSULT":
                actors, recipients = _unique(actors + recipients), []
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
                event = Event(etype, tuple(group), tuple(recipients), modality, trig.text, sentence, when, where)
                # one act, one event: "refused to meet" is one REJECT, "threatened to strike" one
                # THREATEN (not an asserted threat and an intended one)
                key = (etype, event.actors, event.recipients, sentence.start)
                if key not in seen:
                    seen.add(key)
                    events.append(event)
    return events
