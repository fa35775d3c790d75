"""People: full names, titles before and after a name, role nouns and office holders."""

from __future__ import annotations

import re

from spacy.tokens import Span

from ..keys import (
    local_key,
    office_key,
    person_key,
)
from ..offices import load_offices
from .words import _OFFICE_PATTERN, _clean_alias, _drop_initials, _name_words, _role_key, _title_regex


class _People:
    """How :class:`~kg.entities.resolver._Resolver` resolves people."""

    def resolve_person(self, span: Span, full_names: list[list[str]]) -> None:
        words = _drop_initials(_name_words(span, self.gaz))
        if not words:
            return
        honorific = span[0].text in self.gaz.honorifics
        full = words
        if len(words) == 1:
            matches = [n for n in full_names if n[-1] == words[0]]
            if not matches and honorific:  # "Sir Keir"
                matches = [n for n in full_names if n[0] == words[0]]
            if len(matches) == 1:
                full = matches[0]
        label = re.sub(r"\s*-\s*", "-", " ".join(full))  # "Roh Tae-woo", read as three words and a dash
        role, code = self.title_before(span)
        code = code or self.country_after(span)
        apposed = None if role else self.title_after(span)  # "Mr Khan, the foreign minister,"
        if apposed:
            role, code = apposed[0], code or apposed[1]
        offices = load_offices()
        if len(full) == 1 and role:  # "President Obama" in May 2012: the one holder of that name on the date
            holder = offices.holder(code, role, self.date) if code else None
            if holder and holder.split()[-1].lower() == full[0].lower():
                full, label = holder.split(), holder
            elif not code and (named := offices.holder_named(full[0], role, self.date)):
                (label, code), full = named, named[0].split()
        if len(full) > 1:  # a known person's country, and office on the date
            known_country, known_role = offices.person(label, self.date)
            code, role = code or known_country, role or known_role
        # a full name is evidence across documents; a surname alone is this document's only
        key = person_key(label) if len(full) > 1 else local_key("person", label, self.scope)
        d = self.draft(key, label, "Person", role=role, country=code)
        self.mention(span.start, span.end, d)
        for i in range(span.end, apposed[2] if apposed else span.end):
            self.result.token_entity.setdefault(i, d.key)  # the title in apposition is the person's, no ministry
        # a title written before the name belongs to the mention ("Prime Minister Sir Keir Starmer")
        if role:
            d.aliases.add(_clean_alias(span.text))

    def title_after(self, span: Span) -> tuple[str, str | None, int] | None:
        """Role, country and end of a title in apposition after a name: "Mr Khan, the foreign
        minister," -> Foreign Minister; "Ms Lopes, the Pakistani foreign minister" and "..., the
        foreign minister of Pakistan" also give the country."""
        doc, gaz = self.doc, self.gaz
        j = span.end + 2
        if j >= len(doc) or doc[span.end].text != "," or doc[span.end + 1].lower_ != "the":
            return None
        code = gaz.country_of(doc[j].text)
        if code:
            j += 1
        for n in (3, 2, 1):
            title = doc[j : j + n]
            if len(title) < n or title.text not in gaz.titles:
                continue
            end = j + n
            if not code and end + 1 < len(doc) and doc[end].lower_ == "of":
                code = gaz.country_of(doc[end + 1].text)
            role = " ".join(w[:1].upper() + w[1:] for w in title.text.split())
            return role, code, end
        return None

    def country_after(self, span: Span) -> str | None:
        """ "King Hassan of Morocco", "Sheikh Tamim of Qatar": the country named right after a name."""
        doc = self.doc
        if span.end + 1 < len(doc) and doc[span.end].lower_ == "of":
            for end in range(span.end + 2, min(span.end + 5, len(doc)) + 1):
                name = doc[span.end + 1 : end].text
                if name in self.gaz.countries:
                    return self.gaz.countries[name]
        return None

    def title_before(self, span: Span) -> tuple[str | None, str | None]:
        """Role and country from the words before a name: "Russian President", "Ethiopia's Prime Minister"."""
        doc, gaz = self.doc, self.gaz
        inner = [t.text for t in span if t.text not in gaz.honorifics]
        role = None
        # titles inside the NER span ("President Donald Trump")
        for n in (3, 2, 1):
            if len(inner) > n and " ".join(inner[:n]) in gaz.titles:
                role = " ".join(inner[:n])
                break
        i = span.start
        while i > 0 and doc[i - 1].text in gaz.honorifics:
            i -= 1
        if role is None:
            for n in (3, 2, 1):
                if i - n >= 0 and doc[i - n : i].text in gaz.titles:
                    role = doc[i - n : i].text
                    i -= n
                    break
        code = None
        if role and i > 0:
            prev = doc[i - 1]
            if prev.text in ("'s", "\u2019s") and i > 1:
                prev = doc[i - 2]
            code = gaz.country_of(prev.text) or gaz.capitals.get(prev.text) or gaz.cities.get(prev.text)
        if role:
            role = role[0].upper() + role[1:]
        return role, code

    def resolve_role_nouns(self) -> None:
        """ "the Prime Minister" -> the one person the document gives that role."""
        holders: dict[str, set[str]] = {}
        for d in self.drafts.values():
            if d.kind == "Person" and d.role:
                holders.setdefault(_role_key(d.role), set()).add(d.key)
        doc = self.doc
        for role, keys in holders.items():
            if len(keys) != 1:
                continue
            body = _title_regex(role)
            pattern = re.compile(r"\b(?:the|The)\s+(" + body + r")\b", re.I)
            for match in pattern.finditer(doc.text):
                span = doc.char_span(match.start(), match.end(1), alignment_mode="expand")
                if span is None or any(t.i in self.result.token_entity for t in span):
                    continue
                if span.end < len(doc) and doc[span.end].pos_ == "PROPN":
                    continue  # "the President Joe Biden": the name that follows decides
                self.mention(span.start, span.end, self.drafts[next(iter(keys))])
        # an office named without its holder is a person of its own, unless a person the document
        # names without a role could be that holder ("PM call with Barack Obama ... the President")
        if all(d.role for d in self.drafts.values() if d.kind == "Person"):
            self.unnamed_office_holders(holders)
        for tok in doc:  # headline abbreviations: "PM phone call with ..."
            role = self.gaz.role_abbreviations.get(tok.text)
            keys = holders.get(_role_key(role)) if role else None
            if keys and len(keys) == 1 and tok.i not in self.result.token_entity:
                self.mention(tok.i, tok.i + 1, self.drafts[next(iter(keys))])

    def unnamed_office_holders(self, holders: dict[str, set[str]]) -> None:
        """ "The Prime Minister spoke to ..." in a readout that never names the Prime Minister: the
        holder of the office is still one person, named by the office ("the President of Kenya" also
        gives the country). Offices with a named holder were resolved before."""
        doc = self.doc
        for match in _OFFICE_PATTERN.finditer(doc.text):
            title = re.sub(r"\s*-\s*", "-", " ".join(match.group(1).split()))  # as _OFFICES spells it
            known = holders.get(_role_key(title))
            if known and not any(k.startswith("person/office/") or k in self.by_office for k in known):
                continue  # a named holder
            span = doc.char_span(match.start(1), match.end(1), alignment_mode="expand")
            if span is None or any(t.i in self.result.token_entity for t in span):
                continue
            if span.end < len(doc) and doc[span.end].pos_ == "PROPN":
                continue  # "the President Joe Biden"
            code = None
            if span.end + 1 < len(doc) and doc[span.end].lower_ == "of":
                of = next((t for t in doc[span.end + 1 : span.end + 5] if t.i in self.result.token_entity), None)
                code = self.drafts[self.result.token_entity[of.i]].country if of is not None else None
            if known:  # "the President of Kenya ... the President": one holder
                d = self.drafts[next(iter(known))]
                d.country = d.country or code
            elif code and (holder := load_offices().holder(code, title, self.date)):
                d = self.draft(person_key(holder), holder, "Person", role=title, country=code)
                self.by_office.add(d.key)  # "the President of Russia" on 3 May 2012: Vladimir Putin
                holders[_role_key(title)] = {d.key}
            else:
                name = f"{title} of {self.gaz.names.get(code, code)}" if code else title
                # one office on one date is one person; without its country, only this document's
                key = office_key(name, self.date if code else None, self.scope)
                d = self.draft(key, name, "Person", role=title, country=code)
                holders[_role_key(title)] = {d.key}
            self.mention(span.start, span.end, d)
