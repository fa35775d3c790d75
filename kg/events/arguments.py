"""Arguments: who acts and at whom, from the parse.

Subject -> actor, object or prepositional object -> recipient, the ``by`` agent of a passive ->
actor, coordination -> several actors or recipients, control verbs ("urged X to withdraw"),
the speaker of reported speech for "it"/"they", and a joint statement's "we" for the parties
the text last named acting together.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from ..entities import DocEntities
from ..keys import country_key, government_key, military_key
from ..vocab import EVENT_TYPES
from .lexicon import JUDGEMENTS, PLACE_TARGETED, VERBAL_ACTS, WORDS, Lexicon
from .triggers import _SUBJECTS, _Trigger


class ArgumentFinder:
    """The argument part of a sentence extractor (see :class:`kg.events.extract.SentenceExtractor`)."""

    sent: Span
    ents: DocEntities
    lex: Lexicon
    we: tuple[str, ...]

    def entities_of(self, tok: Token | None, depth: int = 0) -> list[str]:
        """Entity keys a noun phrase head refers to, coordination included."""
        if tok is None or depth > 3:
            return []
        if tok.tag_ in ("WDT", "WP") and tok.head.dep_ == "relcl":
            # "Ashton, who held talks", "the government, which the Houthis forced out": the noun referred to
            return self.entities_of(tok.head.head, depth + 1)
        keys: list[str] = list(self.ents.token_group.get(tok.i, ()))
        for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("of", "from")):
            # "delegates from both sides": the pair named, not whoever "delegates" alone would mean
            keys.extend(k for c in prep.children if c.dep_ == "pobj" for k in self.ents.token_group.get(c.i, ()))
        key = self.ents.at(tok) if not keys else None
        # "Ortega's challengers", "an aide of Suu Kyi": people defined by someone are not that someone
        counterpart = tok.pos_ == "NOUN" and self.lemma(tok) in WORDS.counterparts
        if key is None and not keys:
            # a named apposition first: "his Indian counterpart S. Jaishankar" is the person
            for child in sorted(tok.children, key=lambda c: c.dep_ != "appos"):
                if child.dep_ not in ("compound", "amod", "poss", "nmod", "appos"):
                    continue
                if counterpart and child.dep_ != "appos":
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
            if pobj is not None and tok.lower_ not in self.lex.nouns and not counterpart:
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
        """Entities of a subject, including names the parser folded into one phrase with "and"; a
        spokesperson of a group speaks as the group ("X, the spokesman of the Houthis, welcomed ...")."""
        if subj is not None:
            for appos in (c for c in subj.children if c.dep_ == "appos" and self.lemma(c) in WORDS.spokespeople):
                of = [o for p in appos.children if p.dep_ == "prep" and p.lower_ == "of" for o in p.children]
                speaks_for = [k for o in of for k in self.entities_of(o)]
                if speaks_for:
                    return speaks_for
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
                if child.i in self.ents.dateline:
                    continue  # "NAIROBI (Reuters) - Kenyan police arrested ...": the parser's first subject
                if child.dep_ in _SUBJECTS:
                    return child, child.dep_ == "nsubjpass"
            if v.dep_ == "relcl":
                return v.head, False
            if v.dep_ == "xcomp" and self.lemma(v.head) in self.lex.object_control_verbs:
                obj = next((c for c in v.head.children if c.dep_ in ("dobj", "dative")), None)
                if obj is not None:  # object control: "urged Israel to withdraw"
                    return obj, False
            if v.dep_ == "xcomp" and self.lemma(v.head) in WORDS.calling_verbs:  # "called on Israel to withdraw"
                on = next((c for c in v.head.children if c.dep_ == "prep" and c.lower_ in ("on", "upon")), None)
                obj = next((c for c in on.children if c.dep_ == "pobj"), None) if on is not None else None
                if obj is not None:
                    return obj, False
            if v.dep_ == "acl":  # "troops fighting rebels": the troops; "Haass's efforts to encourage": Haass
                if v.tag_ in ("VBG", "VBN") and (self.ents.at(v.head) or v.head.pos_ == "NOUN"):
                    # "a plane flying between two capitals": the plane flies, no one the text names
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
        if trig.type in JUDGEMENTS and not trig.nominal:
            doers = self.doers_of_objects(trig.token)
            if doers:
                return doers
        tokens = self.recipient_tokens(trig)
        keys: list[str] = []
        for t in tokens:
            keys.extend(self.entities_of(t))
        if (
            keys
            and trig.type in PLACE_TARGETED
            and all(k.startswith("location/") and not self.ents.country_of(k) for k in keys)
        ):
            keys = self.indirect_recipients(trig, tokens) or keys  # "blocked the bridge from France to Germany"
        if not keys:
            keys = self.recipients_elsewhere(trig, tokens)
        return _unique(keys)

    def recipient_tokens(self, trig: _Trigger) -> list[Token]:
        """The words that name a trigger's recipients: its objects, and the objects of the
        prepositions its type takes ("sanctions on Iran", "talks with Kenya")."""
        preps = self.lex.preps[trig.type] | self.lex.verb_preps.get(self.lemma(trig.token), frozenset())
        if trig.type == "CONSULT" and self.lemma(trig.token) == "welcome":
            preps = frozenset()  # "welcomed X to the White House": the place is where, not who
        tokens: list[Token] = []
        topic_only = self.lemma(trig.token) in self.lex.topic_object_verbs  # "discussed Ukraine": a topic
        holders = [trig.token] + ([trig.anchor] if trig.nominal and trig.anchor is not trig.token else [])
        if trig.light:  # "imposed sanctions and a travel ban on Estonia": the phrase hangs on the last one
            holders += [c for c in trig.token.conjuncts if c.i > trig.token.i]
        for holder in holders:
            for child in holder.children:
                if (
                    not trig.nominal
                    and not topic_only
                    and child.dep_ in ("dobj", "dative", "iobj", "attr")
                    or trig.nominal
                    and child.dep_ in ("dative", "iobj")
                    # "placed Mugabe under house arrest": the verb's object undergoes the act its phrase names
                    or trig.light
                    and holder is trig.anchor
                    and child.dep_ == "dobj"
                    and child.i != trig.token.i
                    and trig.token.dep_ == "pobj"
                ):
                    if child.pos_ == "ADP":  # "providing intelligence to Macedonia" parsed as a dative "to"
                        tokens.extend(c for c in child.children if c.dep_ == "pobj")
                    else:
                        tokens.append(child)
                elif trig.nominal and holder is trig.token and child.lower_ == "by" and child.dep_ in ("prep", "agent"):
                    # "the detention by Belarus of the journalist": the parser hangs the patient on the agent
                    for agent in (c for c in child.children if c.dep_ == "pobj"):
                        tokens.extend(
                            o for q in agent.children if q.dep_ == "prep" and q.lower_ == "of" for o in _prep_objects(q)
                        )
                elif child.dep_ == "prep" and (
                    child.lower_ in preps or trig.nominal and holder is trig.token and child.lower_ == "of"
                ):
                    tokens.extend(_prep_objects(child))
                elif (
                    child.dep_ == "acl"
                    and trig.nominal
                    and holder is trig.token
                    and not trig.light
                    and EVENT_TYPES[trig.type].quad == "material-conflict"
                ):
                    # "Israeli air strikes killed 20 people in Gaza" (parsed with "killed" a clause of "strikes")
                    tokens.extend(c for c in child.children if c.dep_ == "dobj")
                elif child.dep_ == "prep" and child.lower_ == "for" and trig.type in PLACE_TARGETED:
                    # "mobilized reservists for a possible war against Iraq": the purpose's target
                    for purpose in (c for c in child.children if c.dep_ == "pobj"):
                        for prep in (c for c in purpose.children if c.dep_ == "prep" and c.lower_ in ("against", "on")):
                            tokens.extend(c for c in prep.children if c.dep_ == "pobj")
                elif child.dep_ in ("prt",) and child.lower_ in preps:
                    tokens.extend(c for c in holder.children if c.dep_ == "dobj")
        tokens = [_through_quantity(t) for t in tokens]  # "part of the aid programme"
        return tokens

    def recipients_elsewhere(self, trig: _Trigger, tokens: list[Token]) -> list[str]:
        """Recipients named away from the trigger's own objects, when those name none: through
        what the objects stand for, an "as" phrase, a raised subject, an ultimatum, pressure, or
        the clause a threat or refusal governs."""
        topic_only = self.lemma(trig.token) in self.lex.topic_object_verbs
        keys = self.indirect_recipients(trig, tokens)
        if not keys and not trig.nominal and trig.type in VERBAL_ACTS:
            # "denounced as an ugly crime Serbia's suppression of ...": the object put after its "as"
            for prep in (c for c in trig.token.children if c.dep_ == "prep" and c.lower_ == "as"):
                for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                    owned = [pobj] if any(c.dep_ == "poss" for c in pobj.children) else []  # "as a crime X's ..."
                    for noun in [*(c for c in pobj.children if c.dep_ == "appos"), *owned]:
                        keys.extend(self.entities_of(noun))
        if not keys and not trig.nominal and self.lemma(trig.token) in WORDS.raising_verbs:
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
        return keys

    def doers_of_objects(self, verb: Token) -> list[str]:
        """Whom a judgement of acts is aimed at: the doers its objects name ("condemned the landing of
        a plane and the detention by Belarus of a journalist": Belarus; "praised Chile's decision":
        Chile). Empty when no object is an act with a named doer."""
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        return self.doers_of(obj) if obj is not None else []

    def doers_of(self, obj: Token) -> list[str]:
        """The doers an act noun names: its owner ("Chile's decision", "Russian strikes") or its "by"
        agent, for it and the acts coordinated with it."""

        def is_act(noun: Token) -> bool:
            return noun.pos_ == "NOUN" and (
                self.lemma(noun) in self.lex.nouns or noun.lemma_.lower() in WORDS.generic_event_nouns
            )

        # the parser may hang a second act low: "the landing of a plane and the detention by Belarus"
        acts = [obj, *obj.conjuncts]
        acts += [c for p in obj.children if p.dep_ == "prep" for o in p.children for c in o.conjuncts]
        doers: list[str] = []
        for act in acts:
            if not is_act(act):
                continue
            for child in act.children:
                if child.dep_ in ("poss", "amod", "compound") and self.ents.at(child):
                    doers.extend(self.entities_of(child))
                elif child.dep_ == "agent" or child.dep_ == "prep" and child.lower_ == "by":
                    doers.extend(k for c in child.children if c.dep_ == "pobj" for k in self.entities_of(c))
        return _unique(doers)

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
        # the condition may hang on the verb, on what it threatens ("threatened to strike unless"), or
        # inside what a warning says ("warned that it will retaliate if X attacks")
        for v in [verb, *(c for c in verb.children if c.dep_ in ("xcomp", "ccomp"))]:
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
            if self.lemma(obj) in WORDS.counterparts:
                continue  # "arrested Ortega's challengers": not Ortega
            if trig.type == "REQUEST" and self.lemma(obj) in WORDS.patient_nouns:
                continue  # "demanded the release of X": asked of whoever holds X, not of X
            for child in obj.children:
                if child.dep_ == "prep" and child.lower_ == "for":  # "reservists for a war against Iraq"
                    for purpose in (c for c in child.children if c.dep_ == "pobj"):
                        for prep in (c for c in purpose.children if c.dep_ == "prep" and c.lower_ in ("against", "on")):
                            keys.extend(k for c in prep.children if c.dep_ == "pobj" for k in self.entities_of(c))
                if child.dep_ == "acl":  # "the demonstration staged by students", "lines leading into Kabul"
                    agent = next((c for c in child.children if c.dep_ == "agent"), None)
                    if agent is not None and obj.i != trig.token.i:  # "a ceasefire brokered by X": a mediator
                        keys.extend(k for c in agent.children if c.dep_ == "pobj" for k in self.entities_of(c))
                    if trig.type in PLACE_TARGETED:
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
                    and trig.type in PLACE_TARGETED
                ):
                    for pobj in (c for c in child.children if c.dep_ == "pobj"):
                        keys.extend(self.entities_of(pobj))
                        if child.lower_ in ("on", "about", "over"):
                            # "talks on sovereignty with Argentina": the parser hangs the party on the topic
                            keys.extend(
                                k
                                for p in pobj.children
                                if p.dep_ == "prep" and p.lower_ in ("with", "between")
                                for o in p.children
                                if o.dep_ == "pobj"
                                for k in self.entities_of(o)
                            )
        return keys

    def actors_and_recipients(self, trig: _Trigger) -> tuple[list[str], list[str]]:
        recipients = self.recipients(trig)
        actors: list[str] = []
        if trig.nominal and not trig.light:
            # "Russia's invasion", "Russian strikes", "an attack by Russia", "talks between X and Y"
            for child in trig.token.children:
                if child.dep_ in ("poss", "amod", "compound", "nmod") and self.ents.at(child) not in (
                    None,
                    self.ents.at(trig.token),  # "China's strong opposition": "strong" is in the noun's own mention
                ):
                    actors.extend(self.entities_of(child))
                elif child.dep_ == "agent" or child.dep_ == "prep" and child.lower_ == "by":
                    actors.extend(k for c in child.children if c.dep_ == "pobj" for k in self.entities_of(c))
                elif child.dep_ == "prep" and child.lower_ == "between":
                    actors.extend(k for c in child.children if c.dep_ == "pobj" for k in self.entities_of(c))
            if not actors and any(c.dep_ == "poss" and c.lower_ in ("its", "their") for c in trig.token.children):
                # "insisted on its demands", "stepped up their attacks": whoever the clause is about
                actors = self.subject_entities(self.subject(trig.anchor)[0])
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
                    recipients = [r for r in recipients if not r.startswith("location/") and r != country_key(code)]
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
                if not actors and (subj is None or subj.lower_ in WORDS.generic_pronouns):
                    actors = self.entities_of(self.speaker(trig.anchor))
                if not actors and subj is not None and subj.lower_ == "we":
                    actors = list(self.we)  # a joint statement's "we": its signatories, named acting together
        recipients = [
            r
            for r in recipients
            if r not in actors
            and not self.own_forces(r, actors)
            and not (EVENT_TYPES[trig.type].quad != "material-conflict" and self.own_country(r, actors))
        ]
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
        if not pair or self.lemma(verb) not in WORDS.taking_place:
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
        return any(a in (country_key(code), government_key(code), military_key(code)) for a in actors)

    def own_country(self, key: str, actors: list[str]) -> bool:
        """Whether a country is that of an actor acting for it: "Aliyev and Pashinyan agreed to open an
        Armenian-Azerbaijani line" is no agreement with Azerbaijan. (Force a state uses at home, a
        curfew or a crackdown, does have its own country as the recipient.)"""
        if not key.startswith("country/"):
            return False
        code = key.split("/", 1)[1]
        return any(self.ents.country_of(a) == code and not a.startswith("group/") for a in actors)

    # -- modality ---------------------------------------------------------------

    def speaker_entities(self, verb: Token) -> list[str]:
        """Who speaks with a verb: its subject, or for a participle ("..., saying that") the nearest
        subject up the tree that names an actor."""
        v = verb
        for _ in range(4):
            subj = next((c for c in v.children if c.dep_ == "nsubj"), None)
            keys = self.subject_entities(subj)
            if not keys and subj is not None and subj.lower_ == "we":
                keys = list(self.we)  # "we agree that the Council should ...": a joint statement's signatories
            if keys or v.dep_ not in ("advcl", "conj", "xcomp", "ccomp") or v.head is v:
                return keys
            v = v.head
        return []


def _is_generic_addressee(subj: Token) -> bool:
    """ "all parties", "both sides", "the international community": addressees that are not entities."""
    return subj.lower_ in WORDS.generic_addressees and subj.pos_ in ("NOUN", "PRON", "DET")


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
    if tok.lemma_.lower() not in WORDS.quantity_nouns:
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


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
