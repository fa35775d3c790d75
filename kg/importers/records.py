"""What an imported record becomes (:class:`ImportedRecord`), the report of an import, the
CAMEO-to-PLOVER table, and actors resolved from CAMEO actor codes to kg's entity nodes."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib.resources import files

import pycountry

from ..errors import InputError
from ..gazetteer import Organization, country_name, load_gazetteer
from ..keys import country_key, government_key, group_key, location_key, military_key, org_key
from ..model import Document, DocumentExtraction, Entity, Event, Sentence

ErrorHandler = Callable[[InputError], None]


_ACTOR_CODE_RE = re.compile(r"([A-Z]{3})([A-Z]{3})?")
#: CAMEO codes of actors that are not states: they resolve by name to an organisation, or not at all.
_NON_STATE = {"IGO", "NGO", "IMG", "MNC", "INT"}
_LIST_SPLIT_RE = re.compile(r"\s*[;,]\s*")


# --------------------------------------------------------------------------- records and reports


@dataclass(frozen=True)
class ImportedRecord:
    """One record of an event dataset, ready for the graph.

    ``extraction`` holds one document, its one sentence, one event and the event's
    entities. The event itself is undated, so that its IRI is scoped to the record's
    document and never merges with an event extracted from text; ``date`` is the date
    written as ``pol:date``.
    """

    extraction: DocumentExtraction
    source: str
    date: str | None = None
    goldstein: Decimal | None = None
    mode: str | None = None
    context: tuple[str, ...] = ()


@dataclass
class ImportReport:
    """What an import read, and what it left out and why.

    Attributes
    ----------
    source : str
        The dataset: ``"gdelt"`` or ``"plover"``.
    records : int
        Rows or records read without error (imported or not).
    events : Counter
        Events imported, by PLOVER type.
    unmapped : Counter
        CAMEO codes with no PLOVER type (root 01, public statements) -> rows left out.
    unresolved : Counter
        Why an actor could not be resolved (``"country code 'JAP' is unknown"``) -> records left out.
    unknown_types : Counter
        Actor type codes kg does not know -> actors read as their country instead.
    bad : list of InputError
        Rows and records skipped as bad input (with ``skip_bad``).
    """

    source: str
    records: int = 0
    events: Counter = field(default_factory=Counter)
    unmapped: Counter = field(default_factory=Counter)
    unresolved: Counter = field(default_factory=Counter)
    unknown_types: Counter = field(default_factory=Counter)
    bad: list[InputError] = field(default_factory=list)


# --------------------------------------------------------------------------- the CAMEO table


@dataclass(frozen=True)
class CameoTable:
    """The CAMEO -> PLOVER table of ``kg/data/cameo_plover.json`` (see its ``_about``)."""

    roots: dict[str, dict]
    codes: dict[str, dict]
    valid: frozenset[str]
    country_codes: dict[str, str]
    regions: dict[str, str]
    actor_types: dict[str, dict]
    sector_words: dict[str, str]
    known_groups: dict[str, str]

    def _lookup(self, code: str, key: str):
        for n in range(len(code), 1, -1):
            entry = self.codes.get(code[:n]) or {}
            if key in entry:
                return entry[key]
        return self.roots[code[:2]].get(key)

    def plover_type(self, code: str) -> str | None:
        """The PLOVER type of a CAMEO event code, or None when PLOVER has none.

        Raises
        ------
        ValueError
            For a code that is not a CAMEO event code.
        """
        if code not in self.valid:
            raise ValueError(f"unknown CAMEO event code {code!r}")
        return self._lookup(code, "plover")

    def mode(self, code: str) -> str | None:
        """The PLOVER mode a CAMEO code implies (``"042"`` -> ``"visit"``), or None."""
        return self._lookup(code, "mode") if code in self.valid else None

    def verb(self, code: str, *, with_recipient: bool) -> str:
        """The verb phrase of a CAMEO code's root, for generated descriptions."""
        return self.roots[code[:2]]["verb" if with_recipient else "verb_alone"]


@lru_cache(maxsize=1)
def load_cameo_table() -> CameoTable:
    """Read ``kg/data/cameo_plover.json`` once per process."""
    data = json.loads(files("kg.data").joinpath("cameo_plover.json").read_text(encoding="utf-8"))
    valid = set(data["roots"])
    for codes in data["cameo_codes"].values():
        valid.update(codes)
    return CameoTable(
        roots=data["roots"],
        codes=data["codes"],
        valid=frozenset(valid),
        country_codes=data["country_codes"],
        regions=data["regions"],
        actor_types=data["actor_types"],
        sector_words=data["sector_words"],
        known_groups=data["known_groups"],
    )


def cameo_to_plover(code: str) -> str | None:
    """The PLOVER type of a CAMEO event code, or None for codes PLOVER has no type for.

    Parameters
    ----------
    code : str
        A CAMEO event code as GDELT writes it, with its leading zero (``"042"``).

    Returns
    -------
    str or None
        One of the sixteen PLOVER types; None for root 01 (public statements).

    Raises
    ------
    ValueError
        For a code that is not a CAMEO event code.

    Examples
    --------
    >>> cameo_to_plover("0841"), cameo_to_plover("0871"), cameo_to_plover("163")
    ('RETREAT', 'CONCEDE', 'SANCTION')
    >>> cameo_to_plover("42")
    Traceback (most recent call last):
    ...
    ValueError: unknown CAMEO event code '42'
    """
    return load_cameo_table().plover_type(code)


# --------------------------------------------------------------------------- actors


class _Unresolved(Exception):
    """An actor that cannot become an entity node; the message says why."""


class _Actors:
    """Resolves dataset actor codes to the extractor's entity nodes."""

    def __init__(self, table: CameoTable, report: ImportReport):
        self.table = table
        self.report = report
        self.gaz = load_gazetteer()
        self.orgs = {name.lower(): org for name, org in self.gaz.organizations.items()}

    def org(self, org: Organization) -> Entity:
        return Entity(org_key(org.name), org.name, "Organization", wikidata=org.wikidata)

    def org_named(self, name: str) -> Entity | None:
        text = name.strip().lower()
        org = self.orgs.get(text) or self.orgs.get(text.removeprefix("the "))
        return self.org(org) if org is not None else None

    def country_code(self, code: str) -> str:
        """An ISO 3166-1 alpha-3 code for a CAMEO country code, or _Unresolved."""
        iso = self.table.country_codes.get(code, code)
        if pycountry.countries.get(alpha_3=iso) is not None:
            return iso
        if code in self.table.regions:
            raise _Unresolved(f"{code} is a CAMEO region ({self.table.regions[code]}), not a country")
        raise _Unresolved(f"country code {code!r} is unknown")

    def type_code(self, value: str) -> str | None:
        if not value:
            return None
        code = value.strip().upper()
        if code in self.table.actor_types:
            return code
        return self.table.sector_words.get(value.strip().lower(), code)

    def resolve(self, *, country: str = "", type_code: str = "", group: str = "", name: str = "") -> Entity:
        """The entity of one actor, from its codes (and its name, for organisations).

        ``country`` is a CAMEO or ISO country code (``"USA"``), a full CAMEO actor code
        (``"USAGOV"``), ``"IGO"`` and the like for organisations, or a country's name.
        """
        country, group = country.strip(), group.strip().upper()
        if group and group in self.table.known_groups:
            return self.org(self.gaz.organizations[self.table.known_groups[group]])
        if m := _ACTOR_CODE_RE.fullmatch(country):
            country, type_code = m[1], type_code or m[2] or ""
        elif country:  # POLECAT writes countries by name
            code = self.gaz.country_of(country)
            if code is None:
                raise _Unresolved(f"country {country!r} is unknown")
            country = code
        if not country or country in _NON_STATE:
            org = self.org_named(name) if name else None
            if org is not None:
                return org
            code = self.gaz.country_of(name) if name and not country else None
            if code is None:
                if group:
                    raise _Unresolved(f"known-group code {group!r} is not in kg's table")
                if country:
                    raise _Unresolved(f"{country} actor is not an organisation kg knows")
                raise _Unresolved("actor has no country code")
            country = code
        return self._typed(self.country_code(country), self.type_code(type_code))

    def _typed(self, iso: str, type_code: str | None) -> Entity:
        name = country_name(iso)
        info = self.table.actor_types.get(type_code) if type_code else None
        if type_code and info is None:
            self.report.unknown_types[type_code] += 1
        if info is None:
            return Entity(country_key(iso), name, "Country", country=iso)
        if info["kind"] == "Government":
            return Entity(government_key(iso), f"Government of {name}", "Government", country=iso)
        if info["kind"] == "Military":
            return Entity(military_key(iso), f"Armed forces of {name}", "Military", country=iso)
        noun = info["noun"]
        return Entity(group_key(noun, iso), f"{noun.capitalize()} ({name})", "Group", country=iso)

    def place(self, full_name: str) -> Entity | None:
        """A GDELT place name (``"Kyiv, Kyyiv, Misto, Ukraine"``) as the extractor's location node."""
        label = full_name.split(",")[0].strip()
        if not label:
            return None
        return Entity(location_key(label), label, "Location", country=self.gaz.cities.get(label))


def _unique(entities: Iterable[Entity | None]) -> tuple[Entity, ...]:
    out: dict[str, Entity] = {}
    for e in entities:
        if e is not None:
            out.setdefault(e.key, e)
    return tuple(out.values())


def _record(
    *,
    source: str,
    doc_id: str,
    text: str,
    where: str,
    etype: str,
    actors: tuple[Entity, ...],
    recipients: tuple[Entity, ...],
    trigger: str,
    modality: str = "Asserted",
    date: str | None = None,
    doc_date: str | None = None,
    title: str | None = None,
    url: str | None = None,
    location: Entity | None = None,
    **extra,
) -> ImportedRecord:
    document = Document(doc_id, text, date=doc_date or date, title=title, url=url, origin=where)
    sentence = Sentence(doc_id, 0, len(text), text)
    if etype == "CONSULT":  # meetings are reciprocal: every participant is an actor (spec/events.md)
        actors, recipients = _unique((*actors, *recipients)), ()
    event = Event(
        type=etype,
        actors=tuple(a.key for a in actors),
        recipients=tuple(r.key for r in recipients if r.key not in {a.key for a in actors}),
        modality=modality,
        trigger=trigger,
        sentence=sentence,
        location=location.key if location is not None else None,
    )
    extraction = DocumentExtraction(
        document=document,
        sentences=(sentence,),
        entities=_unique((*actors, *recipients, location)),
        mentions=(),
        events=(event,),
    )
    return ImportedRecord(extraction, source, date=date, **extra)
