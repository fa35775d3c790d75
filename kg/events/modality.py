"""Modality: whether what a trigger says happened, is intended, hypothetical or denied.

Read up the dependency chain from the trigger: negation and refusals ("did not meet",
"refused to release"), denials ("denied that it had supplied"), modal verbs and conditionals
("could impose", "if X attacks"), speculation and requests ("analysts expect", "urged X to"),
commitments and futures ("pledged to send", "will meet"). Speech verbs stop the climb: what
the speaker said keeps its own modality.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from .lexicon import COOPERATIVE, WORDS, Lexicon
from .triggers import _SUBJECTS, _Trigger


class ModalityReader:
    """The modality part of a sentence extractor (see :class:`kg.events.extract.SentenceExtractor`)."""

    sent: Span
    lex: Lexicon

    def modality(self, trig: _Trigger) -> str:
        """Asserted, Intended, Hypothetical or Negated; "Refused" for a negated cooperative act
        that someone will not do or refused to do (coded REJECT by the caller)."""
        lex = self.lex
        if self.sent.text.rstrip().endswith("?"):
            return "Hypothetical"
        chain = self.governing_chain(trig)
        # "offered concessions", "pledged aid": a noun offered or promised is an intention
        intended = trig.light and self.lemma(trig.anchor) in lex.commitment
        hypothetical = False
        for depth, (v, link) in enumerate(chain):
            lemma = self.lemma(v)
            if depth and link == "ccomp" and lemma in lex.denial:
                return "Negated"  # "denied that it had supplied weapons": what is denied is no fact
            if depth and link in ("xcomp", "ccomp") and lemma in lex.speculation and lemma in lex.speech:
                hypothetical = True  # "he believed Washington would remain steadfast": a belief, not a report
                break
            if depth and lemma in lex.speech:
                break  # the speaker's own verb does not change what they said
            if link == "conj":
                # a coordinated verb is its own statement, but shares the auxiliary it lacks: "will
                # prepare and impose sanctions" is a plan for both
                own = chain[depth - 1][0]
                if not any(c.dep_ in ("aux", "auxpass", *_SUBJECTS) for c in own.children):
                    auxes = {c.lower_ for c in v.children if c.dep_ in ("aux", "auxpass")}
                    intended = intended or bool(auxes & {"will", "shall", "'ll"})
                    hypothetical = hypothetical or bool(auxes & lex.modal_hypothetical - {"would"})
                continue
            children = list(v.children)
            if any(c.dep_ == "neg" for c in children) or (depth and link == "xcomp" and lemma in lex.negation):
                auxes = {c.lower_ for c in children if c.dep_ in ("aux", "auxpass")}
                refused = (depth == 1 and lemma in WORDS.refusals) or bool(
                    auxes & {"will", "wo", "would", "shall", "can", "ca"}
                )
                return "Refused" if refused and trig.type in COOPERATIVE else "Negated"
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
                and (
                    v.dep_ == "xcomp"
                    and self.lemma(v.head) in ("be", "go")
                    or v.dep_ == "advcl"
                    and self.lemma(v.head) in WORDS.sending_verbs
                )
                and any(c.lower_ == "to" and c.dep_ == "aux" for c in children)
            ):
                intended = True  # "is to meet", "sent an envoy to Mali to meet the junta": what is yet to come
        if hypothetical:
            return "Hypothetical"
        return "Intended" if intended else "Asserted"

    def governing_chain(self, trig: _Trigger) -> list[tuple[Token, str]]:
        """Each verb from the trigger's anchor up the tree (at most six), with the link it was
        reached by: the clauses whose negation, modal or mood decide the modality."""
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
                or v.dep_ == "acl"
                and v.tag_ in ("VBG", "VBN")
                and v.head.pos_ in ("NOUN", "PROPN")
                and not trig.nominal  # "train troops fighting rebels": the fighting is a fact of its own
            ):
                break
            v, link = v.head, v.dep_
        return chain

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
