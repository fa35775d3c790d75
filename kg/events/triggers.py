"""Finding triggers: the words of a sentence that say an event happened, with their type.

A trigger is a verb ("met", "called on", "shelled"), a noun that is the object of a light verb
("held talks", "imposed sanctions"), or a noun with arguments of its own ("Russia's invasion
of Ukraine"). Its type comes from kg's lexicon, then from the field's CAMEO dictionary (the
verb with its object or phrase: "expelled the ambassador"), then from the general mechanisms
below: reversals ("lifted the blockade"), labour strikes, content clauses of verbal acts.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from .lexicon import VERBAL_ACTS, WORDS, Lexicon, _inflection_stems

_NAME_TYPES = {"PERSON", "GPE", "ORG", "NORP", "LAW", "EVENT", "WORK_OF_ART", "FAC", "PRODUCT"}
_SUBJECTS = ("nsubj", "nsubjpass", "csubj")


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


class TriggerFinder:
    """The trigger part of a sentence extractor (see :class:`kg.events.extract.SentenceExtractor`)."""

    sent: Span
    lex: Lexicon

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
        found: list[_Trigger] = []
        ended: set[int] = set()  # tokens of what a reversal ended, blocked or lifted
        for tok in self.sent:
            if tok.pos_ == "VERB" or (tok.pos_ == "AUX" and tok.dep_ == "ROOT" and tok.lemma_ != "be"):
                trigger = self.verb_trigger(tok, ended)
            elif tok.pos_ == "NOUN" and tok.ent_type_ not in _NAME_TYPES:
                trigger = self.noun_trigger(tok)
            else:
                continue
            if trigger is not None:
                found.append(trigger)
        return self.without_promised(self.without_content(found, ended))

    def verb_trigger(self, tok: Token, ended: set[int]) -> _Trigger | None:
        """The trigger a verb makes, if any; a reversal adds the tokens of what it ended to ``ended``."""
        lex = self.lex
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
            key = lemma if lemma in lex.reversal or lemma in lex.yield_verbs or lemma in lex.suppression_verbs else None
        obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        cameo = self.cameo_reading(tok, lemma, obj) if key is None else None
        if cameo is not None:
            key = cameo[0]
        if key is None:
            return None
        if lex.verbs.get(key) == "REJECT" and any(
            c.dep_ == "xcomp" and self.lemma(c) in lex.speech for c in tok.children
        ):
            return None  # "refused to say": declining to speak is no rejection of anyone
        if lemma in lex.denial and lex.verbs.get(key) == "REJECT" and self.denies_an_allegation(tok, obj):
            return None  # "denied any complicity": a denial of what is alleged is a statement
        reversed_type = self.reversal(tok, key, obj)
        if reversed_type:
            ended.update(t.i for t in obj.subtree)  # "blocked an aid package": no aid was given
            ends_protest = reversed_type == "CONCEDE" and (
                lex.nouns.get(self.lemma(obj)) == "PROTEST" or self.labour_strike(obj, tok)
            )
            text = f"{_phrase(tok, key)} {obj.text}"
            return _Trigger(reversed_type, tok, tok, text, False, ends_protest=ends_protest)
        if lex.is_light(lemma) and lemma not in lex.verb_wins and obj is not None and self.lemma(obj) in lex.nouns:
            return None  # the noun says what happened ("provided support")
        if (
            (tok.tag_ == "VBN" or tok.tag_ == "VBD" and tok.i == self.sent.start)
            and tok.dep_ in ("advcl", "acl")
            and not any(c.dep_ in _SUBJECTS for c in tok.children)
        ):
            return None  # "Asked whether ...": a participle whose doer the sentence does not name
        if key in lex.verbs or cameo is not None:
            etype = cameo[1] if cameo is not None else lex.verbs[key]
            if etype == "ASSAULT" and any(c.lower_ in WORDS.weapons_tests for c in tok.children):
                etype = "MOBILIZE"  # "test-fired two missiles": a weapons test, a show of force
            if (
                lemma in WORDS.hosting_verbs
                and obj is not None
                and self.ents.at(obj)
                and any(c.dep_ == "prep" and c.lower_ in ("to", "in") for c in [*tok.children, *obj.children])
            ):
                etype = "CONSULT"  # "welcomed Prime Minister X to the White House": a visit hosted
            if etype in ("MOBILIZE", "AID") and obj is not None and self.lemma(obj) in WORDS.investigators:
                etype = "ACCUSE"  # "dispatched inspectors to the plant": an investigation
            if etype == "AID" and lemma in WORDS.sending_verbs and self.sends_an_envoy(obj):
                etype = "CONSULT"  # "sent an envoy to the talks": taking part through someone, no aid
            return _Trigger(etype, tok, tok, _phrase(tok, key), False)
        return None

    def noun_trigger(self, tok: Token) -> _Trigger | None:
        """The trigger a noun makes: as the object of a light verb, or with arguments of its own."""
        lex = self.lex
        lemma = self.lemma(tok)
        key = self.noun_key(tok, lemma)
        if key is None:
            return None
        owner = self.ents.at(tok.head) if tok.dep_ == "compound" else None
        if owner and self.ents.at(tok) in (None, owner):
            return None  # "riot police", "aid groups": a kind of actor, not an event
        if self.names_a_group(tok):
            return None  # "the Syrian opposition met the envoy": the group, not its act
        if lemma in WORDS.measure_nouns and any(
            c.dep_ == "prep" and c.lower_ == "of" and any(self.lemma(p) in lex.nouns for p in c.children)
            for c in tok.children
        ):
            return None  # "a package of sanctions": the sanctions say what it is
        head, light = self.light_verb_of(tok)
        if light and self.lemma(head) in lex.verb_wins and self.lemma(head) in lex.verbs:
            return None  # "signed an agreement": the verb says what happened
        if light:
            etype = lex.nouns.get(key) or lex.phrase_nouns[key]
            if self.labour_strike(tok, head):
                etype = "PROTEST"
            if etype == "PROTEST" and self.lemma(head) in lex.verbal_protest_verbs:
                etype = "ACCUSE"  # "lodged a protest with Albania": a complaint, not a rally
            if etype == "COOPERATE" and self.lemma(tok) in WORDS.shows_of_force and not _held_jointly(tok, head):
                etype = "MOBILIZE"  # "launched exercises off Taiwan's coast": a show of force, not a joint act
            return _Trigger(etype, tok, head, f"{head.text} {tok.text}", True, True)
        else:  # "Russia's invasion of Ukraine": the noun carries its own arguments
            return _Trigger(
                "PROTEST"
                if self.labour_strike(tok, _governing_verb(tok))
                else lex.nouns.get(key) or lex.phrase_nouns[key],
                tok,
                _governing_verb(tok),
                tok.text,
                True,
            )

    def noun_key(self, tok: Token, lemma: str) -> str | None:
        """The lexicon entry a noun is read by: a compound ("peace talks"), the noun, the modifier of a
        carrier noun ("a mediation effort"), or a phrase with "of" ("the release of hostages")."""
        lex = self.lex
        compound = next(
            (
                f"{c.lower_} {lemma}"
                for c in tok.children
                if c.dep_ == "compound" and f"{c.lower_} {lemma}" in lex.nouns
            ),
            None,
        )
        key = compound or (lemma if lemma in lex.nouns else tok.lower_ if tok.lower_ in lex.nouns else None)
        if key is None and lemma in WORDS.carrier_nouns:
            # "launched a mediation effort between X and Y", "an aid package for Z": the modifier
            # names the act, the noun carries its arguments
            key = next(
                (self.lemma(c) for c in tok.children if c.dep_ in ("compound", "amod") and self.lemma(c) in lex.nouns),
                None,
            )
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
        return key

    def light_verb_of(self, tok: Token) -> tuple[Token, bool]:
        """The verb a noun trigger hangs from, and whether it is light (the noun says what happened):
        "held talks", "launched ten days of war games", "remained on alert", "agreed to a ceasefire"."""
        lex = self.lex
        first = tok
        while first.dep_ == "conj" and first.head is not first:
            first = first.head  # "imposed sanctions and a curfew": the curfew shares the verb
        head = first.head
        light = (
            first.dep_ in ("dobj", "attr", "nsubjpass")
            and head.pos_ in ("VERB", "AUX")
            and head.i != tok.i
            and lex.is_light(self.lemma(head))
        )
        if tok.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in WORDS.measure_nouns:
            measure = head.head  # "launched ten days of war games", "a wave of arrests"
            if measure.dep_ in ("dobj", "attr") and lex.is_light(self.lemma(measure.head)):
                head, light = measure.head, True
        if tok.dep_ == "pobj" and (head.lower_, self.lemma(head.head)) in WORDS.state_verbs:
            head, light = head.head, True  # "troops remained on alert", "forces engaged in shelling"
        if (
            tok.dep_ == "pobj"
            and head.lower_ == "to"
            and head.head.pos_ == "VERB"
            and self.lemma(head.head) in lex.commitment
        ):
            head, light = head.head, True  # "agreed to a ceasefire", "committed to talks": promised
        return head, light

    def without_content(self, found: list[_Trigger], ended: set[int]) -> list[_Trigger]:
        """``found`` without what its verbal acts are about, and without the nouns a reversal ended."""
        # "rejected a US offer", "welcomed the release", "accused X of attacking": what a verbal act
        # is about is its content, not a second event
        content: set[int] = set()
        for t in found:
            if t.nominal or t.type not in VERBAL_ACTS:
                continue
            for child in t.token.children:
                # what is rejected, welcomed or demanded is content; what is criticised did happen
                # ("criticised Washington's provision of aid"), what is alleged is content again
                about = child.dep_ == "dobj" and t.type != "ACCUSE"
                alleged = child.dep_ == "prep" and child.lower_ in ("of", "for") and t.type == "ACCUSE"
                if about or alleged:
                    content.update(x.i for x in child.subtree)
        return [t for t in found if t.token.i not in content and (t.token.i not in ended or not t.nominal)]

    def without_promised(self, found: list[_Trigger]) -> list[_Trigger]:
        """``found`` without agreements to something that is itself a trigger (coded by what was promised)."""
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
                    c.dep_ == "xcomp"
                    and c.i in promised
                    or c.dep_ == "prep"
                    and c.lower_ == "to"
                    and any(p.i in promised for p in c.children)
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

    def sends_an_envoy(self, obj: Token | None) -> bool:
        """Whether what is sent is someone to speak for the sender (an envoy, ministers, a named
        person), which is no aid."""
        if obj is None:
            return False
        key = self.ents.at(obj) or ""
        return (
            self.lemma(obj) in WORDS.envoys
            or obj.lemma_.lower().rstrip("s") in WORDS.envoys
            or key.startswith("person/")
        )

    def names_a_group(self, noun: Token) -> bool:
        """A trigger noun that the text uses as the name of a group: "the Syrian opposition" (no
        owner's possessive, no "to"/"against" complement), unlike "China's opposition to the visit"."""
        key = self.ents.at(noun)
        if key is None or not key.startswith("group/"):
            return False
        return not any(c.dep_ == "poss" or c.dep_ == "prep" and c.lower_ in ("to", "against") for c in noun.children)

    def denies_an_allegation(self, verb: Token, obj: Token | None) -> bool:
        """Whether a denial answers an allegation ("denied any complicity", "denied the reports",
        "denied that it had ...") rather than refusing something asked ("denied the request",
        "denied Chile access")."""
        if obj is None:
            return any(c.dep_ == "ccomp" for c in verb.children)
        return self.lemma(obj) in WORDS.alleged or obj.lower_ in WORDS.alleged

    def labour_strike(self, noun: Token, verb: Token | None) -> bool:
        """Whether "strike" is a walkout (PROTEST) rather than a military strike: it is counted in
        days or called general, or workers, a union or its members hold it."""
        if self.lemma(noun) != "strike":
            return False
        words = {t.lemma_.lower() for t in noun.subtree if t.i < noun.i}
        if words & WORDS.labour_words:
            return True
        holders = [c for c in noun.children if c.dep_ == "poss"]
        if verb is not None:
            holders += [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        for holder in holders:
            if {t.lemma_.lower() for t in holder.subtree} & WORDS.labour_words:
                return True
            keys = self.entities_of(holder)
            if any(k.rsplit("/", 1)[-1].split("-")[-1] in WORDS.labour_words or "union" in k for k in keys):
                return True
        return False

    def reversal(self, verb: Token, key: str, obj: Token | None) -> str | None:
        """Ending cooperation is a sanction ("halted aid", "cut ties"); ending repression or a protest
        a concession ("lifted the curfew"); ending force a retreat ("lifted the blockade")."""
        lex = self.lex
        if obj is None:
            return None
        if obj.lemma_.lower() in WORDS.quantity_nouns:  # "suspended part of the aid programme"
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
        if self.lemma(verb) in WORDS.obstruction_verbs and (
            noun in lex.relation_nouns or noun_type in ("AGREE", "COOPERATE", "AID")
        ):
            return "REJECT"  # "blocked an aid package for Ukraine": a measure others wanted, rejected
        if self.lemma(verb) in lex.suppression_verbs and (
            noun in lex.relation_nouns or noun_type in ("COOPERATE", "AID")
        ):
            return "SANCTION"  # "would prohibit all aid to the rebels"
        if key not in lex.reversal and self.lemma(verb) not in lex.reversal:
            return None
        if noun in lex.relation_nouns or noun_type in ("AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID"):
            return "SANCTION" if self.lemma(verb) not in WORDS.easing_verbs else None
        if noun_type in ("PROTEST", "COERCE"):
            return "CONCEDE"  # "lifted the curfew", "called off the strike": an easing
        if noun_type in ("SANCTION", "ASSAULT", "MOBILIZE", "THREATEN"):
            return "RETREAT"  # "lifted the blockade", "ended the offensive"
        return None

    # -- arguments --------------------------------------------------------------


def _held_jointly(noun: Token, verb: Token) -> bool:
    """Whether an act is held together: "joint exercises", "held drills with Japan", "Japan and the
    US held exercises"."""
    subject = next((c for c in verb.children if c.dep_ in _SUBJECTS), None)
    return (
        any(c.lower_ in WORDS.joint_words for c in noun.children)
        or any(c.dep_ == "prep" and c.lower_ == "with" for c in (*noun.children, *verb.children))
        or subject is not None
        and any(c.dep_ == "conj" for c in subject.children)
    )


def _is_particle(word: Token, verb: Token) -> bool:
    """A verb's particle, also where the parser calls it an adverb: "hit back at", "lashed out"."""
    return (
        word.dep_ == "prt" or word.dep_ == "advmod" and word.i == verb.i + 1 and word.lower_ in WORDS.adverb_particles
    )


def _phrase(tok: Token, key: str) -> str:
    parts = key.split(" ", 1)
    return tok.text if len(parts) == 1 else f"{tok.text} {parts[1]}"


def _governing_verb(tok: Token) -> Token:
    v = tok
    for _ in range(8):
        if v.pos_ in ("VERB", "AUX") or v.head is v:
            return v
        v = v.head
    return v
