"""Group nouns: "Israeli forces", "the Ethiopian government", "protesters", with their country."""

from __future__ import annotations

from spacy.tokens import Token

from ..keys import (
    group_key,
)
from .doc import _Draft
from .words import _PLURAL_REFERENCES, _VAGUE_GROUPS, _capitalised_modifier, crowd_noun


class _Groups:
    """How :class:`~kg.entities.resolver._Resolver` resolves group nouns."""

    def resolve_group_nouns(self) -> None:
        gaz, doc = self.gaz, self.doc
        named_groups: dict[str, _Draft] = {}  # group noun -> the named group it last stood with
        for tok in doc:
            if tok.i in self.result.token_entity:
                continue
            if tok.pos_ not in ("NOUN", "PROPN") and not (tok.pos_ == "ADJ" and tok.dep_ == "compound"):
                continue  # "rebel positions" is tagged an adjective, but names the rebels
            head_key = self.result.token_entity.get(tok.head.i)
            if tok.dep_ == "compound" and head_key and self.drafts[head_key].kind == "Person":
                continue  # "Prime Minister Abiy Ahmed": a title, not a ministry
            kind = gaz.group_nouns.get(tok.lower_)
            if kind is None:
                continue
            if tok.lower_ in _PLURAL_REFERENCES and any(c.lower_ in ("two", "both") for c in tok.children):
                continue  # "the two ministers": the pair named before (resolve_plural_references)
            mods = [
                c
                for c in tok.children
                if c.dep_ in ("amod", "compound", "poss", "nmod") and c.i not in self.result.dateline
            ]
            owner = self.group_owner(tok, kind, mods)
            start = min([tok.i] + [m.left_edge.i for m in mods])
            noun = tok.lemma_.lower() if tok.lemma_ else tok.lower_
            if owner is None and noun in named_groups and not any(gaz.country_of(m.text) for m in mods):
                owner = named_groups[noun]  # "Houthi rebels ... rebel positions": the rebels named before
            if owner is not None and owner.country is None and owner.kind in ("Group", "Organization"):
                self.mention(start, tok.i + 1, owner)  # "Houthi rebels", "Hamas fighters": the group itself
                named_groups[noun] = owner
                continue
            if owner is not None and owner.kind in ("Organization", "Government", "Military") and kind == "Government":
                self.mention(start, tok.i + 1, owner)  # "a Downing Street spokesperson"
                continue
            code = owner.country if owner is not None else None
            if code is None:
                for m in mods:
                    code = gaz.country_of(m.text)
                    if code:
                        break
            if kind == "Country":  # "the Ukrainian city of Kharkiv" stands for the country attacked
                if code is not None:
                    self.mention(start, tok.i + 1, self.country_entity(code))
                continue
            if code is None:
                if tok.lower_ in _VAGUE_GROUPS or any(m.dep_ == "poss" and m.pos_ == "PRON" for m in mods):
                    continue  # "people", "his administration": not a country's actor
                # "Venezuelan authorities arrested an opposition leader": the country whose actor acts
                # on the group, else the one the text is about
                code = self.acting_country(tok) or self.result.main_country
            if code is None:
                continue
            if kind == "Group":
                noun = crowd_noun(noun)  # "demonstrators" and "protesters" are one crowd
                d = self.draft(
                    group_key(noun, code),
                    f"{noun.capitalize()} ({self.gaz.names.get(code, code)})",
                    "Group",
                    country=code,
                )
            else:
                d = self.government_entity(code, kind)
            self.mention(start, tok.i + 1, d)

    def group_owner(self, tok: Token, kind: str, mods: list[Token]) -> _Draft | None:
        """Whose group a group noun names: the entity a modifier names ("Israeli forces", "the
        Saudi-led coalition"), a group by its own name ("Houthi rebels"), or the object of "of",
        "from" or "in" ("forces of the regime"); a group noun of several countries' officials
        becomes each country's government."""
        gaz = self.gaz
        owner = None
        for m in mods:
            key = self.result.token_entity.get(m.i)
            if key is None and m.lower_ == "led":  # "the Saudi-led coalition": the leader owns it
                key = next((self.result.token_entity.get(c.i) for c in m.children if c.dep_ == "npadvmod"), None)
            if key:
                owner = self.drafts[key]
                break
        named = [
            m
            for m in mods
            if m.dep_ == "compound" and m.pos_ == "PROPN" and m.text[:1].isupper() and not _capitalised_modifier(m)
        ]
        misread = owner is not None and (owner.kind == "Person" or owner.kind == "Location" and not owner.country)
        if (owner is None or misread) and named and not any(gaz.country_of(m.text) for m in mods):
            # "Houthi rebels", "Tamil fighters": a group by its own name, even one the model does not know
            name = " ".join(m.text for m in sorted(named, key=lambda m: m.i))
            owner = self.draft(group_key(name), name, "Group")
        if owner is None:  # "refugees from Iraq", "forces of the regime", "a force in Liberia"
            for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("from", "of", "in")):
                key = next((self.result.token_entity.get(p.i) for p in prep.children if p.dep_ == "pobj"), None)
                if not key or self.drafts[key].kind == "Person":
                    continue
                if prep.lower_ == "in" and not self.drafts[key].country:
                    continue  # "in" gives a place's country, not an owner
                owner = self.drafts[key]
                pobj = next(p for p in prep.children if p.dep_ == "pobj")
                others = [self.drafts[k] for k in self.coordinated(pobj) if k != key]
                speaks_for_state = kind in ("Government", "Military") or tok.lower_ in gaz.representatives
                if others and speaks_for_state and owner.country:
                    # "the foreign ministers of Japan, South Korea and China": each country's
                    codes = [owner.country, *(d.country for d in others if d.country)]
                    self.result.token_group[tok.i] = tuple(
                        self.government_entity(c, "Military" if kind == "Military" else "Government").key for c in codes
                    )
                break
        return owner

    def coordinated(self, tok: Token) -> list[str]:
        """Entity keys of a token and the tokens coordinated with it ("Japan, South Korea and China")."""
        keys = [self.result.token_entity[t.i] for t in (tok, *tok.conjuncts) if t.i in self.result.token_entity]
        return list(dict.fromkeys(keys))

    def acting_country(self, tok: Token) -> str | None:
        """The country of the subject of the verb an object noun depends on ("Kenyan police
        detained students": Kenya), if that subject is an entity with one."""
        if tok.dep_ not in ("dobj", "pobj", "compound", "amod"):
            return None
        verb = next((a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), None)
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None) if verb is not None else None
        if subj is None and verb is not None and verb.dep_ == "acl":  # "Mozambican troops fighting rebels"
            subj = verb.head
        key = self.result.token_entity.get(subj.i) if subj is not None else None
        return self.drafts[key].country if key else None
