"""A document's resolved entities, as the event stage reads them."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from ..gazetteer import load_gazetteer
from ..keys import (
    government_key,
    location_key,
)
from ..model import Entity, Mention


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
