"""References: pronouns ("he said", "it"), and plural references to parties named before."""

from __future__ import annotations

from spacy.tokens import Token

from ..model import Mention
from .words import _IT_KINDS, _PLURAL_REFERENCES, _PRONOUNS_PERSON, _REFERRING_DEPS, _pair_kind


class _References:
    """How :class:`~kg.entities.resolver._Resolver` resolves references."""

    def resolve_pronouns(self) -> None:
        """Subject "he"/"she" -> the person named last; subject "it" -> the country, government or
        organisation named last in this or the previous sentence ("Ukraine ... since it was invaded")."""
        self.resolve_it()
        if not self.person_mentions:
            return
        self.person_mentions.sort()
        for tok in self.doc:
            if tok.lower_ not in _PRONOUNS_PERSON or tok.dep_ not in ("nsubj", "nsubjpass"):
                continue
            before = [(i, k) for i, k in self.person_mentions if i < tok.i]
            if not before:
                continue
            i, key = before[-1]
            if tok.sent.start - self.doc[i].sent.start > 400:  # too far back to be safe
                continue
            # the person the previous sentence was about (its subject) wins over one it merely
            # mentioned: "The Prime Minister spoke to President X. He reiterated ..."
            if tok.sent.start > 0 and not any(t.i < tok.i and self.is_person(t) for t in tok.sent):
                previous = self.doc[tok.sent.start - 1].sent
                subjects = [t for t in previous if t.dep_ in ("nsubj", "nsubjpass") and self.is_person(t)]
                if subjects:
                    key = self.result.token_entity[subjects[-1].i]
            self.result.token_entity[tok.i] = key
            self.result.mentions.append(Mention(key, tok.text, tok.idx, tok.idx + len(tok.text)))

    def is_person(self, tok: Token) -> bool:
        key = self.result.token_entity.get(tok.i)
        return key is not None and self.drafts[key].kind == "Person"

    def resolve_it(self) -> None:
        doc, last, last_sent = self.doc, None, -1
        sent_of = {}
        if doc.has_annotation("DEP"):
            for number, sent in enumerate(doc.sents):
                for t in sent:
                    sent_of[t.i] = number
        for tok in doc:
            key = self.result.token_entity.get(tok.i)
            if key and self.drafts[key].kind in _IT_KINDS:
                last, last_sent = key, sent_of.get(tok.i, 0)
                continue
            if (
                tok.lower_ == "it"
                and tok.dep_ in ("nsubj", "nsubjpass")
                and last is not None
                and sent_of.get(tok.i, 0) - last_sent <= 1
            ):
                key = (self.previous_main_subject(tok) if last_sent < sent_of.get(tok.i, 0) else None) or last
                self.result.token_entity[tok.i] = key
                self.result.mentions.append(Mention(key, tok.text, tok.idx, tok.idx + len(tok.text)))

    def previous_main_subject(self, tok: Token) -> str | None:
        """The country, government or organisation the previous sentence was about (its main
        clause's subject): "the North said the South had fired first. It said ..." is the North."""
        if tok.sent.start == 0:
            return None
        root = self.doc[tok.sent.start - 1].sent.root
        for subject in (c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")):
            key = self.result.token_entity.get(subject.i)
            if key and self.drafts[key].kind in _IT_KINDS:
                return key
        return None

    def resolve_plural_references(self) -> None:
        """ "the two leaders", "both sides", "the parties", "they": entities named together.

        Persons named together ("Starmer and Macron", "X met Y") answer for "the two
        leaders"; countries, governments, groups or organisations named together ("the
        government and the rebels") for "the two countries"; for "both sides" or "the
        parties", the last pair named as a subject (the pair the text is about), else the
        last pair, else (a lead that names the parties later) the first subject pair after
        it. A bare "they" or "both" is resolved to persons only.
        """
        pairs: list[tuple[int, str, tuple[str, ...]]] = []  # (token, "person" | "actor", entities)
        for tok in self.doc:
            key = self.result.token_entity.get(tok.i)
            if not key or tok.dep_ == "compound":
                continue
            kind = _pair_kind(self.drafts[key].kind)
            partners = [self.result.token_entity.get(c.i) for c in tok.children if c.dep_ == "conj"]
            partners = [p for p in partners if p and p != key and _pair_kind(self.drafts[p].kind) == kind]
            obj = tok.head if tok.dep_ == "appos" else tok  # "met his counterpart S. Jaishankar"
            if not partners and kind == "person" and obj.dep_ in ("dobj", "pobj"):  # "X met Y"
                verb = obj.head if obj.dep_ == "dobj" else obj.head.head
                if verb.lemma_.lower() in self.gaz.meeting_verbs:
                    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
                    other = self.result.token_entity.get(subj.i) if subj is not None else None
                    if other and other != key and self.drafts[other].kind == "Person":
                        partners = [other]
            if partners:
                pair = (key, *dict.fromkeys(partners))
                pairs.append((tok.i, kind, pair))
                if tok.dep_ in ("nsubj", "nsubjpass"):
                    self.result.subject_pairs.append((tok.i, pair))

        def last(i: int, kind: str | None = None) -> tuple[str, ...] | None:
            return next((p for at, k, p in reversed(pairs) if at < i and kind in (None, k)), None)

        for tok in self.doc:
            if tok.i in self.result.token_entity or tok.dep_ not in _REFERRING_DEPS:
                continue
            words = {t.lower_ for t in tok.subtree}
            if tok.lower_ in ("they", "both") and tok.dep_ in ("nsubj", "nsubjpass"):
                pair = last(tok.i, "person")  # a bare pronoun: only persons named together are safe enough
            elif tok.lower_ in _PLURAL_REFERENCES and words & {"the", "two", "both"}:
                wanted = _PLURAL_REFERENCES[tok.lower_]
                if wanted is not None:
                    pair = last(tok.i, wanted)
                else:
                    pair = (
                        self.result.pair_before(tok.i)
                        or last(tok.i)
                        or self.result.pair_after(tok.i)
                        # a lead ("The warring sides have agreed to a truce") whose parties are named later
                        or next((p for at, k, p in pairs if at > tok.i and k == "actor"), None)
                    )
            else:
                continue
            if pair is not None:
                self.result.token_group[tok.i] = pair


#: What a subject "it" can stand for.
