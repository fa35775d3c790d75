"""The entity stage: mentions in a parsed document resolved to one node per real actor.

Mentions come from spaCy's NER, from the gazetteer (countries, capitals, seats of
government, international organisations) and from group noun phrases ("Israeli
forces", "the Ethiopian government", "protesters"). They resolve to :class:`Entity`
records with stable keys, so the same actor in two documents is one node, but only on evidence
(:mod:`kg.keys`): a full name is shared, a surname or an acronym alone is its document's own,
and an office without its holder is the holder on the document's date (:mod:`kg.offices`):

- people: honorifics and titles are stripped ("Sir Keir", "Mr Macron", "President Donald
  Trump"), short forms join the full name the document uses, titles become the role, and
  role nouns ("the Prime Minister") and subject pronouns ("he said") join the person the
  document says holds the role or was named last;
- places acting as governments (capitals, "the Kremlin", "Downing Street") resolve to
  the government of their country;
- group nouns take the country of their modifier, or the document's main country.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from .gazetteer import Gazetteer, geonames_iri, load_gazetteer
from .keys import (
    country_key,
    document_scope,
    government_key,
    group_key,
    local_key,
    location_key,
    military_key,
    office_key,
    org_key,
    person_key,
)
from .model import Entity, Mention
from .offices import load_offices

__all__ = ["DocEntities", "resolve_entities", "prepare"]

log = logging.getLogger(__name__)

_PRONOUNS_PERSON = {"he", "she", "him", "her"}
_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her"}
_VAGUE_GROUPS = {
    "leaders",
    "members",
    "people",
    "group",
    "groups",
    "party",
    "movement",
    "residents",
    "state",
    "court",
    "courts",
    "official",
    "crowd",
    "leadership",
}
_NER_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}


@dataclass
class DocEntities:
    """The entities of one document and which tokens refer to them."""

    entities: dict[str, Entity] = field(default_factory=dict)
    token_entity: dict[int, str] = field(default_factory=dict)
    token_group: dict[int, tuple[str, ...]] = field(default_factory=dict)  # "the two leaders" -> both
    mentions: list[Mention] = field(default_factory=list)
    main_country: str | None = None
    #: (token index, entities) of each pair named together as a subject ("X and Y agreed"), in order
    subject_pairs: list[tuple[int, tuple[str, ...]]] = field(default_factory=list)
    dateline: set[int] = field(default_factory=set)  # tokens of a dateline ("BERLIN, May 3 (Wire) -")

    def at(self, token: Token) -> str | None:
        """The entity a token belongs to, if any."""
        return self.token_entity.get(token.i)

    def pair_before(self, i: int) -> tuple[str, ...] | None:
        """The entities last named together as a subject before token ``i``: the parties the text is about."""
        return next((pair for at, pair in reversed(self.subject_pairs) if at < i), None)

    def pair_after(self, i: int) -> tuple[str, ...] | None:
        """The first entities named together as a subject after token ``i`` (a lead that names them later)."""
        return next((pair for at, pair in self.subject_pairs if at > i), None)

    def government(self, code: str) -> str:
        """The key of a country's government, added to the entities if the text never named it
        (the authorities a protest is aimed at)."""
        key = government_key(code)
        if key not in self.entities:
            name = load_gazetteer().names.get(code, code)
            self.entities[key] = Entity(key, f"Government of {name}", "Government", code)
        return key

    def place(self, name: str, country: str | None) -> str:
        """The key of a place named as where something happened ("met in Paris"), added as a
        Location entity: the same word acting ("Paris said") is the government instead."""
        key = location_key(name)
        if key not in self.entities:
            self.entities[key] = Entity(key, name, "Location", country)
        return key

    def country_of(self, key: str) -> str | None:
        entity = self.entities.get(key)
        return entity.country if entity else None


@dataclass
class _Draft:
    """An entity being assembled within a document."""

    key: str
    label: str
    kind: str
    country: str | None = None
    aliases: set[str] = field(default_factory=set)
    role: str | None = None
    wikidata: str | None = None
    same_as: tuple[str, ...] = ()

    def freeze(self) -> Entity:
        aliases = frozenset(a for a in self.aliases if a and a != self.label)
        return Entity(self.key, self.label, self.kind, self.country, aliases, self.role, self.wikidata, self.same_as)


class _Resolver:
    def __init__(self, doc: Doc, gaz: Gazetteer, doc_id: str | None = None, date: str | None = None):
        self.doc = doc
        self.gaz = gaz
        self.scope = document_scope(doc.text if doc_id is None else doc_id)  # for names only it resolves
        self.date = date
        self.by_office: set[str] = set()  # persons named only by their office, found by its date
        self.drafts: dict[str, _Draft] = {}
        self.result = DocEntities()
        self.person_mentions: list[tuple[int, str]] = []  # (token index, key), for pronouns
        self.country_counts: Counter[str] = Counter()  # countries the document names, how often
        self.abbreviations: dict[str, _Draft] = {}  # "NUT" after "the Nigerian Union of Teachers (NUT)"
        self.org_spans: list[Span] = []  # the organisations the document names (for "Arab" -> Arab League)
        self.country_spans: list[Span] = []  # the countries it names (for "the North" -> North Korea)
        self.result.dateline = dateline_tokens(doc)  # where and when a story was filed

    # -- drafts ---------------------------------------------------------------
    def draft(self, key: str, label: str, kind: str, **extra) -> _Draft:
        d = self.drafts.get(key)
        if d is None:
            d = self.drafts[key] = _Draft(key, label, kind)
        for name, value in extra.items():
            if value and not getattr(d, name):
                setattr(d, name, value)
        return d

    def mention(self, start: int, end: int, draft: _Draft, surface: str | None = None) -> None:
        span = self.doc[start:end]
        text = surface or span.text
        draft.aliases.add(_clean_alias(text))
        for i in range(start, end):
            self.result.token_entity.setdefault(i, draft.key)
        self.result.mentions.append(Mention(draft.key, span.text, span.start_char, span.end_char))
        if draft.kind == "Person":
            self.person_mentions.append((start, draft.key))

    def country_entity(self, code: str) -> _Draft:
        iri = geonames_iri(code)
        return self.draft(
            country_key(code), self.gaz.names.get(code, code), "Country", country=code, same_as=(iri,) if iri else ()
        )

    def government_entity(self, code: str, kind: str = "Government") -> _Draft:
        name = self.gaz.names.get(code, code)
        if kind == "Military":
            return self.draft(military_key(code), f"Armed forces of {name}", "Military", country=code)
        return self.draft(government_key(code), f"Government of {name}", "Government", country=code)

    # -- passes ---------------------------------------------------------------
    def run(self) -> DocEntities:
        spans = self.candidate_spans()
        self.org_spans = [s for s in spans if s.label_ in ("IGO", "ORG")]
        self.country_spans = [s for s in spans if self.gaz.country_of(s.text)]
        self.result.main_country = self.main_country(spans)
        people = [s for s in spans if s.label_ == "PERSON"]
        full_names = self.full_names(people)
        for span in sorted(spans, key=lambda s: s.start):
            self.resolve_span(span, full_names)
        self.resolve_role_nouns()  # before group nouns: "the Foreign Minister" is a person, not a ministry
        self.resolve_group_nouns()
        self.resolve_pronouns()
        self.resolve_plural_references()
        self.merge_plural_groups()
        self.result.entities = {k: d.freeze() for k, d in self.drafts.items()}
        return self.result

    def merge_plural_groups(self) -> None:
        """ "Houthi targets ... the Houthis": a group named in the plural is the group of that name."""
        kinds = ("Group", "Organization")
        groups = {d.label: d for d in self.drafts.values() if d.kind in kinds}
        plurals = [  # the model may call "the Houthis" a person
            d
            for d in self.drafts.values()
            if d.label.endswith("s") and d.label[:-1] in groups and (d.kind in kinds or " " not in d.label)
        ]
        for plural in plurals:
            single = groups[plural.label[:-1]]
            if single.country not in (None, plural.country):
                continue
            single.aliases |= plural.aliases | {plural.label}
            for i, key in self.result.token_entity.items():
                if key == plural.key:
                    self.result.token_entity[i] = single.key
            self.result.mentions = [
                Mention(single.key, m.text, m.start, m.end) if m.entity == plural.key else m
                for m in self.result.mentions
            ]
            del self.drafts[plural.key]

    def candidate_spans(self) -> list[Span]:
        """Gazetteer matches take precedence over NER where they overlap (NER calls "Kyiv" a person)."""
        matcher = _matcher(self.doc.vocab, self.gaz)
        gaz_spans = [Span(self.doc, s, e, label=self.doc.vocab.strings[m]) for m, s, e in matcher(self.doc)]
        ner_spans = [
            e
            for e in self.doc.ents
            if e.label_ in _NER_LABELS
            and not (len(e) == 1 and _capitalised_modifier(e.root))
            and self.result.dateline.isdisjoint(range(e.start, e.end))
        ]
        ner_spans = [self.whole_name(e) if e.label_ == "PERSON" else e for e in ner_spans]
        titled = [s for s in self.honorific_spans() if self.result.dateline.isdisjoint(range(s.start, s.end))]
        ner_spans += titled
        chosen: list[Span] = []
        taken: set[int] = set()
        # persons found by NER win over a gazetteer word inside them ("Jordan Peterson")
        titled_at = {(s.start, s.end) for s in titled}
        ranked = sorted(
            [(1 if len(s) > 1 or (s.start, s.end) in titled_at else 3, s) for s in ner_spans if s.label_ == "PERSON"]
            + [(0 if s.label_ in ("SEAT", "IGO") else 2, s) for s in gaz_spans]
            # a multi-word organisation name wins over a place inside it ("Washington Post")
            + [(1.5 if s.label_ in ("ORG", "FAC") and len(s) > 1 else 3, s) for s in ner_spans if s.label_ != "PERSON"],
            key=lambda p: (p[0], -len(p[1]), p[1].start),
        )
        for _, span in ranked:
            if taken.isdisjoint(range(span.start, span.end)):
                chosen.append(span)
                taken.update(range(span.start, span.end))
        return chosen

    def honorific_spans(self) -> list[Span]:
        """ "Sir Keir", "Mr Macron", "Dr Tedros", "President Sharma": an honorific or a capitalised
        title and the proper nouns after it (the model reads some surnames as places)."""
        doc, spans = self.doc, []
        for tok in doc:
            if tok.text in self.gaz.honorifics and tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ == "PROPN":
                end = tok.i + 1
                while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper():
                    end += 1
                spans.append(Span(doc, tok.i, end, label="PERSON"))
                continue
            for n in (3, 2, 1):
                title = doc[tok.i : tok.i + n]
                if len(title) < n or title.text not in self.gaz.titles or not tok.text[:1].isupper():
                    continue
                if tok.i > 0 and doc[tok.i - 1].text in self.gaz.titles:
                    break  # inside a longer title
                end = title.end
                while end < len(doc) and self.name_word(doc[end], ("", "PERSON", "GPE")):
                    end += 1
                if end > title.end and all(t.ent_type_ in ("", "PERSON") for t in title):
                    spans.append(Span(doc, title.end, end, label="PERSON"))  # the title is the role
                break
        return spans

    def name_word(self, tok: Token, kinds: tuple[str, ...]) -> bool:
        """A capitalised proper noun that can be part of a person's name: not a title, honorific,
        country, demonym or known place."""
        text, gaz = tok.text, self.gaz
        return (
            tok.pos_ == "PROPN"
            and text[:1].isupper()
            and tok.ent_type_ in kinds
            and tok.i not in self.result.dateline
            and text not in gaz.honorifics
            and text not in _title_words(gaz)
            and not (gaz.country_of(text) or text in gaz.capitals or text in gaz.cities or text in gaz.seats)
        )

    def whole_name(self, span: Span) -> Span:
        """A person's name with the given names the model left out before it: "London Mayor Sadiq
        Khan" is Sadiq Khan, never Khan (a first name is never dropped)."""
        start = span.start
        while start > 0 and self.name_word(self.doc[start - 1], ("",)):
            start -= 1
        return span if start == span.start else Span(self.doc, start, span.end, label="PERSON")

    def main_country(self, spans: Iterable[Span]) -> str | None:
        counts: Counter[str] = Counter()
        shared: list[str] = []
        for span in spans:
            text = _strip_det(span.text)
            if text in self.gaz.shared_cities:
                shared.append(text)
                continue  # which country it is in is what the other names decide
            code = (
                self.gaz.country_of(text)
                or self.gaz.capitals.get(text)
                or self.gaz.cities.get(text)
                or (self.gaz.seats[text].country if text in self.gaz.seats else None)
            )
            if code:
                counts[code] += 1
        if not counts:  # "Protesters stormed parliament in Colombo": no other name to weigh it against
            counts.update(self.gaz.cities[name] for name in shared)
        self.country_counts = counts
        return counts.most_common(1)[0][0] if counts else None

    def city_country(self, name: str) -> str | None:
        """The country of a city. A name several countries use ("Tripoli": Libya, Lebanon) is the
        largest such city's, unless the document never names that country but names another
        whose city of the name is not much smaller (a tenth of it at least: "London" stays in
        England even in a text about Canada)."""
        default = self.gaz.cities.get(name)
        others = self.gaz.shared_cities.get(name, {})
        if default is None or self.country_counts[default]:
            return default
        named = [code for code, share in others.items() if share >= 0.1 and self.country_counts[code]]
        return max(named, key=lambda code: self.country_counts[code]) if named else default

    def full_names(self, people: list[Span]) -> list[list[str]]:
        names = []
        for span in people:
            words = _drop_initials(_name_words(span, self.gaz))
            if len(words) >= 2 and words not in names:
                names.append(words)
        return names

    def resolve_span(self, span: Span, full_names: list[list[str]]) -> None:
        gaz, label = self.gaz, span.label_
        text = _strip_det(span.text).removesuffix("'s").removesuffix("\u2019s")
        if text in self.abbreviations:  # an organisation's own abbreviation, given in brackets earlier
            self.mention(span.start, span.end, self.abbreviations[text])
            return
        if label == "SEAT" or (text in gaz.seats):
            place = gaz.seats[text]
            self.mention(span.start, span.end, self.government_entity(place.country, place.kind))
            return
        if label == "IGO" or text in gaz.organizations:
            org = gaz.organizations[text]
            d = self.draft(org_key(org.name), org.name, "Organization", wikidata=org.wikidata)
            self.mention(span.start, span.end, d)
            return
        if (
            label == "PERSON"
            and span.end < len(self.doc)
            and any(t.startswith(f"{text} {self.doc[span.end].text}") for t in gaz.titles)
        ):
            return  # "Prime" in "Prime Minister's call": the start of a title, not a name
        if label == "PERSON" or (len(span) == 1 and any(n[-1] == text for n in full_names)):
            self.resolve_person(span, full_names)  # NER sometimes calls a surname an ORG ("Obasanjo")
            return
        code = gaz.countries.get(text)
        if code:
            self.mention(span.start, span.end, self.country_entity(code))
            return
        if text in gaz.demonyms:
            code = gaz.demonyms[text]
            # "the Palestinians", "Israelis": the people, i.e. the country; an adjective
            # ("Palestinian homes", "Israeli raids") marks its noun as the country's
            self.mention(span.start, span.end, self.country_entity(code))
            return
        capital_of = gaz.capitals.get(text)
        if label in ("CAPITAL", "GPE") and capital_of and self.city_country(text) in (None, capital_of):
            # a capital acting: the government it is the seat of (a place otherwise; events decide)
            self.mention(span.start, span.end, self.government_entity(gaz.capitals[text]))
            return
        country = self.country_named_by(text) if label in ("GPE", "LOC", "NORP") else None
        if country is not None:  # "the North said the South had fired": North and South Korea
            self.mention(span.start, span.end, self.country_entity(country))
            return
        if label in ("GPE", "LOC", "FAC", "CAPITAL"):  # a capital's name elsewhere: "Tripoli, the Lebanese port"
            code = self.city_country(text)
            d = self.draft(location_key(text), text, "Location", country=code)
            self.mention(span.start, span.end, d)
            return
        if label == "NORP":
            head = span.root.head
            org = self.organisation_named_by(text)
            if org is not None and not (span.root.dep_ == "amod" and head.tag_ in ("NNS", "NNPS")):
                # "an Arab deal" where the text names the Arab League: the League's
                self.mention(span.start, span.end, org)
                return
            if span.root.dep_ == "amod" and head.tag_ in ("NNS", "NNPS") and head.i == span.end:
                # "European countries", "Western diplomats": the group the adjective names
                text = f"{text} {head.text}"
                span = self.doc[span.start : head.i + 1]
            d = self.draft(group_key(text), text, "Group")
            self.mention(span.start, span.end, d)
            return
        if label == "ORG":
            kind, code = _org_kind(span, gaz)
            if code and kind in ("Government", "Military"):  # "the Russian Defence Ministry", "Israeli army"
                d = self.government_entity(code, kind)
            elif code is None and kind in ("Government", "Military") and self.result.main_country:
                # "Parliament", "the Supreme Court": an institution of the country the text is about
                main = self.result.main_country
                name = f"{text} ({self.gaz.names.get(main, main)})"
                d = self.draft(org_key(text, main), name, kind, country=main)
            elif _is_acronym(text):  # "PDP", "ANC": several organisations share most acronyms
                d = self.draft(local_key("org", text, self.scope), text, kind, country=code)
            else:
                d = self.draft(org_key(text), text, kind, country=code)
            self.mention(span.start, span.end, d)
            self.note_abbreviation(span, d)

    def country_named_by(self, word: str) -> str | None:
        """The country of this document whose name starts with a compass word used alone ("the North"
        -> North Korea where the document names North Korea)."""
        if word not in ("North", "South", "East", "West"):
            return None
        for span in self.country_spans:
            if _strip_det(span.text).startswith(f"{word} "):  # "North Korea", "South Korean"
                return self.gaz.country_of(span.text)
        return None

    def organisation_named_by(self, adjective: str) -> _Draft | None:
        """The organisation of this document whose name starts with a regional adjective ("Arab" ->
        the Arab League, "African" -> the African Union), if the document names one."""
        for span in self.org_spans:
            name = _strip_det(span.text)
            if name.startswith(f"{adjective} "):
                if span.start not in self.result.token_entity:
                    self.resolve_span(span, [])
                key = self.result.token_entity.get(span.start)
                if key and self.drafts[key].kind == "Organization":
                    return self.drafts[key]
        return None

    def note_abbreviation(self, span: Span, draft: _Draft) -> None:
        """ "the Nigerian Union of Teachers (NUT)": the bracketed acronym names the same organisation."""
        doc, end = self.doc, span.end
        if end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")":
            acronym = doc[end + 1].text
            initials = "".join(w[0] for w in span.text.split() if w[:1].isupper())
            if acronym.isupper() and len(acronym) > 1 and acronym not in self.gaz.countries and acronym in initials:
                self.abbreviations[acronym] = draft

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
                continue
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
                            self.government_entity(c, "Military" if kind == "Military" else "Government").key
                            for c in codes
                        )
                    break
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
_IT_KINDS = ("Country", "Government", "Organization")


def _pair_kind(kind: str) -> str:
    return "person" if kind == "Person" else "actor"


#: Offices one person holds at a time: "the Prime Minister" is that person even when unnamed.
_OFFICES = {
    "President", "Prime Minister", "Chancellor", "Foreign Secretary", "Foreign Minister", "Secretary-General",
    "Secretary General", "King", "Queen", "Emir", "Premier", "Supreme Leader", "Vice President",
    "Defence Secretary", "Defence Minister", "Defense Secretary", "Secretary of State", "Home Secretary",
    "Pope", "Crown Prince",
}  # fmt: skip


def _title_regex(title: str) -> str:
    """A title as a pattern that allows any spacing, and spaces around its hyphens."""
    return r"\s+".join(r"\s*-\s*".join(map(re.escape, w.split("-"))) for w in title.split())


_OFFICE_PATTERN = re.compile(
    r"(?:\b[Tt]he\s+|^)(" + "|".join(map(_title_regex, sorted(_OFFICES, key=len, reverse=True))) + r")\b",
    re.M,
)  # the titles as written, capitalised, after "the" or at the start of a line

_REFERRING_DEPS = {"nsubj", "nsubjpass", "dobj", "pobj", "dative"}

#: Plural nouns that refer back to entities named together, and the kind of pair they want
#: (None: whichever pair came last).
_PLURAL_REFERENCES: dict[str, str | None] = {
    "leaders": "person",
    "pair": None,
    "sides": None,
    "men": "person",
    "women": "person",
    "presidents": "person",
    "ministers": "person",
    "countries": "actor",
    "nations": "actor",
    "governments": "actor",
    "parties": None,
}


_TITLE_WORDS: dict[int, frozenset[str]] = {}


def _title_words(gaz: Gazetteer) -> frozenset[str]:
    """Every word of every title ("Prime", "Minister", "Mayor"): never part of a name."""
    key = id(gaz)
    if key not in _TITLE_WORDS:
        _TITLE_WORDS[key] = frozenset(w for t in gaz.titles for w in t.split() if w[:1].isupper())
    return _TITLE_WORDS[key]


def _is_acronym(text: str) -> bool:
    """An organisation named by its initials alone ("PDP", "U.N.C."), which many share.

    >>> _is_acronym("PDP"), _is_acronym("Hamas"), _is_acronym("Labour Party")
    (True, False, False)
    """
    letters = text.replace(".", "")
    return " " not in text and letters.isalpha() and letters.isupper() and 1 < len(letters) <= 6


def _drop_initials(words: list[str]) -> list[str]:
    """ "Donald J. Trump" is "Donald Trump": middle initials do not name another person."""
    if len(words) < 3:
        return words
    return [words[0]] + [w for w in words[1:-1] if not re.fullmatch(r"[A-Z]\.?", w)] + [words[-1]]


def _role_key(role: str) -> str:
    """Roles compare without case and "-elect": "the president-elect" is "President" Trump."""
    role = re.sub(r"\s*-\s*", "-", role.lower())
    return role.replace("-elect", "").replace(" elect", "").strip()


def _clean_alias(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"['\u2019]s$", "", text).strip()


def _strip_det(text: str) -> str:
    return re.sub(r"^(the|The)\s+", "", text.strip())


def dateline_tokens(doc: Doc) -> set[int]:
    """The tokens of datelines: a place in capitals at the start of a sentence, then optionally a
    date and an agency in brackets, up to a dash, bullet or colon ("BERLIN, October 30 (Wire) -",
    "YANGON •", "NAIROBI (Reuters) -"). They say where and when a story was filed; no actor.

    >>> import spacy
    >>> doc = spacy.blank("en")("NAIROBI (Reuters) - Police arrested ten people.")
    >>> doc[0].is_sent_start = True
    >>> sorted(dateline_tokens(doc))
    [0, 1, 2, 3, 4]
    """
    found: set[int] = byline_tokens(doc)
    starts = [t for t in doc if t.is_sent_start] if doc.has_annotation("SENT_START") else [doc[0]] if len(doc) else []
    starts += [t for t in doc if t.i > 0 and "\n" in doc[t.i - 1].text_with_ws]  # a line's first word
    for first in starts:
        if not (first.is_alpha and first.is_upper and len(first) > 1):
            continue
        depth = 0
        for tok in doc[first.i : first.i + 15]:
            if tok.text == "(":
                depth += 1
            elif tok.text == ")":
                depth -= 1
            elif depth == 0 and tok.text in _DATELINE_ENDS and tok.i > first.i:
                found.update(range(first.i, tok.i + 1))
                break
            elif depth == 0 and not (tok.is_upper or tok.is_punct or tok.like_num or tok.ent_type_ == "DATE"):
                break  # a sentence that only starts with a word in capitals
    return found


def byline_tokens(doc: Doc) -> set[int]:
    r"""The tokens of bylines and credits: a line "By Jane Doe and Tom Lee", "(Reporting by Anna
    Smith; Editing by Mark Jones)". They name who wrote the story, not who acted in it.

    >>> import spacy
    >>> doc = spacy.blank("en")("By Jane Doe\nPolice arrested ten people.")
    >>> sorted(byline_tokens(doc))
    [0, 1, 2, 3]
    """
    found: set[int] = set()
    for match in _BYLINE.finditer(doc.text):
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is not None:
            found.update(range(span.start, span.end))
    return found


#: A line of names after "By" (capitalised words, "and", commas), or a bracketed credit.
_BYLINE = re.compile(
    r"^[ \t]*By[ \t]+[A-Z][\w.'\-]*(?:(?:[ \t]+|,[ \t]*|[ \t]+(?:and|&)[ \t]+)[A-Z][\w.'\-]*)*[ \t]*(?:\n|$)"
    r"|\((?:Additional |Writing and )?(?:[Rr]eporting|[Ww]riting|[Ee]diting)(?: and \w+)? by [^)]{1,200}\)",
    re.M,
)

#: What closes a dateline: "BERLIN, October 30 (Wire) -", "YANGON •", "LONDON:".
_DATELINE_ENDS = {"-", "--", "\u2013", "\u2014", "\u2022", "\u00b7", ":"}


def _capitalised_modifier(word: Token) -> bool:
    """A sentence's first word, capitalised only for being first, that is an event word modifying
    the noun after it: "Riot police fired ...", "Strike leaders said ..." (no name: the actor is
    the noun).

    >>> import spacy
    >>> from spacy.tokens import Doc
    >>> doc = Doc(spacy.blank("en").vocab, ["Riot", "police", "fired"], heads=[1, 2, 2],
    ...           deps=["compound", "nsubj", "ROOT"])
    >>> _capitalised_modifier(doc[0])
    True
    """
    return bool(
        word.is_sent_start
        and word.dep_ in ("compound", "amod")
        and word.head.i == word.i + 1
        and word.lower_ in _event_words()
    )


@lru_cache(maxsize=1)
def _event_words() -> frozenset[str]:
    """Every trigger word of ``kg/data/triggers.json`` (verbs and nouns, first word of a phrase)."""
    data = json.loads(files("kg.data").joinpath("triggers.json").read_text(encoding="utf-8"))
    return frozenset(w.split(" ")[0] for spec in data["types"].values() for w in (*spec["verbs"], *spec["nouns"]))


def _is_nominal(span: Span) -> bool:
    root = span.root
    return root.pos_ in ("PROPN", "NOUN") and root.dep_ not in ("amod", "compound") or root.text.endswith("s")


def _name_words(span: Span, gaz: Gazetteer) -> list[str]:
    words = [t.text for t in span if t.text not in ("'s", "\u2019s")]
    while words and (words[0] in gaz.honorifics or words[0].lower() in _DETERMINERS):
        words.pop(0)
    for n in (3, 2, 1):
        if len(words) > n and " ".join(words[:n]) in gaz.titles:
            words = words[n:]
            break
    while words and words[0] in gaz.honorifics:
        words.pop(0)
    return words


def _org_kind(span: Span, gaz: Gazetteer) -> tuple[str, str | None]:
    code = None
    for tok in span:  # "the Russian Defence Ministry", "Baghdad University": the country in the name
        code = gaz.country_of(tok.text) or gaz.capitals.get(tok.text) or gaz.cities.get(tok.text) or code
        if code:
            break
    kind = gaz.group_nouns.get(span.root.lower_, "Organization")
    return ("Organization" if kind == "Country" else kind), code


_MATCHERS: dict[int, PhraseMatcher] = {}


def _matcher(vocab, gaz: Gazetteer) -> PhraseMatcher:
    """One PhraseMatcher per vocabulary: countries, capitals, seats and organisations."""
    key = id(vocab)
    if key not in _MATCHERS:
        from spacy.lang.en import English

        tokenizer = English().tokenizer
        matcher = PhraseMatcher(vocab, attr="ORTH")
        groups = {
            "COUNTRY": list(gaz.countries) + [d for d in gaz.demonyms if d[0].isupper()],
            "CAPITAL": list(gaz.capitals),
            "SEAT": list(gaz.seats),
            "IGO": list(gaz.organizations),
        }
        for label, names in groups.items():
            docs = [tokenizer(n) for n in names if n and not n.startswith("the ")]
            matcher.add(label, [Doc(vocab, words=[t.text for t in d]) for d in docs])
        _MATCHERS[key] = matcher
    return _MATCHERS[key]


def prepare(vocab) -> None:
    """Load the gazetteer, its matcher for a pipeline's vocabulary and the office-holder table now,
    not on the first document (so a progress bar's rate is the steady one)."""
    _matcher(vocab, load_gazetteer())
    load_offices()


def resolve_entities(
    doc: Doc, *, gazetteer: Gazetteer | None = None, doc_id: str | None = None, date: str | None = None
) -> DocEntities:
    """Find the political actors of a parsed document and resolve them to entities.

    Parameters
    ----------
    doc
        A spaCy Doc with NER and a dependency parse.
    gazetteer
        Lookup tables (default: :func:`kg.gazetteer.load_gazetteer`).
    doc_id, date
        The document's id and date: names only this document can resolve (a surname, an
        office without its holder) get keys scoped to the id (default: the text itself), and
        an office named without its holder is resolved by the date.

    Returns
    -------
    DocEntities
        Entities by key, and for each token inside a mention, the entity it refers to.

    Examples
    --------
    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> ents = resolve_entities(nlp("Talks in Kenya."))
    >>> sorted(ents.entities)
    ['country/KEN']
    """
    return _Resolver(doc, gazetteer or load_gazetteer(), doc_id, date).run()


@lru_cache(maxsize=1)
def _crowd_nouns() -> dict[str, str]:
    data = json.loads(files("kg.data").joinpath("actors.json").read_text(encoding="utf-8"))
    return {word: canonical for canonical, words in data.get("group_synonyms", {}).items() for word in words}


def crowd_noun(noun: str) -> str:
    """The one noun a kind of crowd goes by, so "protesters" and "demonstrators" in a country are
    one group (``group_synonyms`` in ``kg/data/actors.json``).

    >>> crowd_noun("demonstrator"), crowd_noun("rebel")
    ('protester', 'rebel')
    """
    return _crowd_nouns().get(noun, noun)
