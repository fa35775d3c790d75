"""The resolver of one document: candidate spans, names, countries and organisations, and the
order the other resolution steps run in."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from spacy.tokens import Doc, Span, Token

from ..gazetteer import Gazetteer, geonames_iri
from ..keys import (
    country_key,
    document_scope,
    government_key,
    group_key,
    local_key,
    location_key,
    military_key,
    org_key,
)
from ..model import Mention
from .doc import DocEntities, _Draft
from .groups import _Groups
from .people import _People
from .references import _References
from .words import (
    _NER_LABELS,
    _capitalised_modifier,
    _clean_alias,
    _drop_initials,
    _is_acronym,
    _matcher,
    _name_words,
    _org_kind,
    _strip_det,
    _title_words,
    dateline_tokens,
)


class _Resolver(_People, _Groups, _References):
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
