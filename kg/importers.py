"""Other event datasets in the same graph: GDELT 2.0 event exports and PLOVER/POLECAT records.

An imported record becomes what the extractor makes of a text, a
:class:`~kg.model.DocumentExtraction`: one pol:Document per record (a GDELT row, a PLOVER
record) with the record's URL as ``dcterms:source``, one pol:Sentence (the record's own
text, or a one-line description generated from a GDELT row), one event and the entities
of its actors. The graph stage then writes them exactly as it writes extracted events, so
queries, exports and the explorer work on them unchanged, and :func:`kg.validation.validate`
holds. On top of that, each imported event carries ``pol:source`` (``"gdelt"`` or
``"plover"``), GDELT events ``pol:goldstein`` (the row's Goldstein scale) and both
``pol:mode`` when the record gives one.

Actors become the entity nodes the extractor makes: a CAMEO country code is checked
against pycountry and becomes ``country/ISO3``; with an actor type, ``government/ISO3``
(GOV, LEG, JUD), ``military/ISO3`` (MIL, COP) or ``group/ISO3/noun`` (REB, CVL, ...);
known international organisations become the gazetteer's ``org/`` nodes. So "USA" in a
GDELT row and "the United States" in an article are one node. CAMEO event codes map to
the sixteen PLOVER types through ``kg/data/cameo_plover.json``; codes of CAMEO root 01
(public statements) have no PLOVER type and are counted as unmapped, never guessed.

What cannot be resolved is reported, not guessed: a row whose actor has an unknown or
regional country code is left out and counted in :class:`ImportReport`. What is wrong
with the input (a GDELT row with the wrong number of columns, an unknown CAMEO code, a
record without an event type) is an :class:`~kg.errors.InputError` naming the file and
line or record.

>>> cameo_to_plover("042"), cameo_to_plover("1823"), cameo_to_plover("010")
('CONSULT', 'ASSAULT', None)
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import pycountry
from rdflib import Graph, Literal

from .errors import InputError
from .gazetteer import Organization, country_name, load_gazetteer
from .graph import add_extraction, date_literal, document_iri, event_iri, new_graph
from .model import MODALITIES, Document, DocumentExtraction, Entity, Event, Sentence
from .read import parse_date
from .vocab import DCTERMS, EVENT_TYPES, OLD_TYPE_NAMES, POL, slug

__all__ = [
    "ImportedRecord",
    "ImportReport",
    "CameoTable",
    "IMPORTERS",
    "GDELT_COLUMNS",
    "load_cameo_table",
    "cameo_to_plover",
    "read_records",
    "add_record",
    "import_events",
    "import_gdelt",
    "import_plover",
]

log = logging.getLogger(__name__)

ErrorHandler = Callable[[InputError], None]

#: The columns of a GDELT 2.0 event export, in order (tab-separated, no header line).
GDELT_COLUMNS = (
    "GLOBALEVENTID SQLDATE MonthYear Year FractionDate "
    "Actor1Code Actor1Name Actor1CountryCode Actor1KnownGroupCode Actor1EthnicCode "
    "Actor1Religion1Code Actor1Religion2Code Actor1Type1Code Actor1Type2Code Actor1Type3Code "
    "Actor2Code Actor2Name Actor2CountryCode Actor2KnownGroupCode Actor2EthnicCode "
    "Actor2Religion1Code Actor2Religion2Code Actor2Type1Code Actor2Type2Code Actor2Type3Code "
    "IsRootEvent EventCode EventBaseCode EventRootCode QuadClass GoldsteinScale "
    "NumMentions NumSources NumArticles AvgTone "
    "Actor1Geo_Type Actor1Geo_FullName Actor1Geo_CountryCode Actor1Geo_ADM1Code Actor1Geo_ADM2Code "
    "Actor1Geo_Lat Actor1Geo_Long Actor1Geo_FeatureID "
    "Actor2Geo_Type Actor2Geo_FullName Actor2Geo_CountryCode Actor2Geo_ADM1Code Actor2Geo_ADM2Code "
    "Actor2Geo_Lat Actor2Geo_Long Actor2Geo_FeatureID "
    "ActionGeo_Type ActionGeo_FullName ActionGeo_CountryCode ActionGeo_ADM1Code ActionGeo_ADM2Code "
    "ActionGeo_Lat ActionGeo_Long ActionGeo_FeatureID DATEADDED SOURCEURL"
).split()
_COL = {name: i for i, name in enumerate(GDELT_COLUMNS)}
#: GDELT geography types that name a place below the country (US state or city, world city or province).
_PLACE_TYPES = {"2", "3", "4", "5"}

_DAY_RE = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
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
        return Entity(f"org/{slug(org.name)}", org.name, "Organization", wikidata=org.wikidata)

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
            return Entity(f"country/{iso}", name, "Country", country=iso)
        if info["kind"] == "Government":
            return Entity(f"government/{iso}", f"Government of {name}", "Government", country=iso)
        if info["kind"] == "Military":
            return Entity(f"military/{iso}", f"Armed forces of {name}", "Military", country=iso)
        noun = info["noun"]
        return Entity(f"group/{iso}/{slug(noun)}", f"{noun.capitalize()} ({name})", "Group", country=iso)

    def place(self, full_name: str) -> Entity | None:
        """A GDELT place name (``"Kyiv, Kyyiv, Misto, Ukraine"``) as the extractor's location node."""
        label = full_name.split(",")[0].strip()
        if not label:
            return None
        return Entity(f"location/{slug(label)}", label, "Location", country=self.gaz.cities.get(label))


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


# --------------------------------------------------------------------------- GDELT


def _open_lines(path: str) -> Iterator[tuple[str, bytes]]:
    """``(where, raw line)`` for a plain, gzipped or zipped file; ``where`` is ``file:LINE``."""
    suffix = Path(path).suffix.lower()
    try:
        if suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                members = [m for m in archive.infolist() if not m.is_dir()]
                if not members:
                    raise InputError(path, "empty zip archive")
                for member in members:
                    prefix = path if len(members) == 1 else f"{path}/{member.filename}"
                    with archive.open(member) as f:
                        for n, line in enumerate(f, 1):
                            yield f"{prefix}:{n}", line
            return
        opener = gzip.open if suffix == ".gz" else open
        with opener(path, "rb") as f:
            for n, line in enumerate(f, 1):
                yield f"{path}:{n}", line
    except zipfile.BadZipFile as e:
        raise InputError(path, f"not a zip archive ({e})") from None
    except gzip.BadGzipFile as e:
        raise InputError(path, f"not a gzip file ({e})") from None
    except (EOFError, zlib.error) as e:
        raise InputError(path, f"corrupt compressed data ({e})") from None
    except OSError as e:
        raise InputError(path, f"cannot read ({(e.strerror or str(e)).lower()})") from None


def _gdelt_day(value: str, where: str, column: str) -> str:
    m = _DAY_RE.fullmatch(value.strip()[:8]) if len(value.strip()) in (8, 14) else None
    try:
        day = parse_date(f"{m[1]}-{m[2]}-{m[3]}") if m else None
    except ValueError:
        day = None
    if day is None:
        raise InputError(where, f"{column} must be a date written YYYYMMDD, not {value!r}")
    return day


def _decimal(value: str, where: str, column: str) -> Decimal | None:
    text = value.strip()
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or not -10 <= number <= 10:
        raise InputError(where, f"{column} must be a number from -10 to 10, not {value!r}")
    return number


def _check_columns(fields: list[str], where: str) -> None:
    if len(fields) == len(GDELT_COLUMNS):
        return
    hint = ""
    if len(fields) == 58:
        hint = "; this looks like a GDELT 1.0 file, which kg does not read"
    elif len(fields) == 1 and "," in fields[0]:
        hint = "; GDELT exports are tab-separated, not comma-separated"
    raise InputError(
        where,
        f"expected {len(GDELT_COLUMNS)} tab-separated columns (GDELT 2.0 event export), found {len(fields)}{hint}",
    )


def _gdelt_actor(col: dict[str, str], which: str, actors: _Actors) -> Entity | None:
    """Actor1 or Actor2 of a row, or None when the row has none."""
    if not col[f"{which}Code"]:
        return None
    return actors.resolve(
        country=col[f"{which}CountryCode"],
        type_code=col[f"{which}Type1Code"] or col[f"{which}Type2Code"],
        group=col[f"{which}KnownGroupCode"],
        name=col[f"{which}Name"],
    )


def _gdelt_row(fields: list[str], where: str, table: CameoTable, actors: _Actors) -> ImportedRecord | None:
    col = {name: fields[i].strip() for name, i in _COL.items()}
    event_id = col["GLOBALEVENTID"]
    if not event_id.isdigit():
        raise InputError(where, f"GLOBALEVENTID (column 1) must be a number, not {event_id!r}")
    day = _gdelt_day(col["SQLDATE"], where, "SQLDATE (column 2)")
    code = col["EventCode"]
    if code not in table.valid:
        hint = f" (leading zero lost? '0{code}' is one)" if f"0{code}" in table.valid else ""
        raise InputError(where, f"unknown CAMEO event code {code!r} (EventCode, column 27){hint}")
    goldstein = _decimal(col["GoldsteinScale"], where, "GoldsteinScale (column 31)")
    added = col["DATEADDED"]
    doc_day = _gdelt_day(added, where, "DATEADDED (column 60)") if added else day
    actors.report.records += 1
    etype = table.plover_type(code)
    if etype is None:
        actors.report.unmapped[code] += 1
        return None
    try:
        actor = _gdelt_actor(col, "Actor1", actors)
        if actor is None:
            raise _Unresolved("actor has no code (Actor1Code is empty)")
        recipient = _gdelt_actor(col, "Actor2", actors)
    except _Unresolved as e:
        actors.report.unresolved[str(e)] += 1
        return None
    place = actors.place(col["ActionGeo_FullName"]) if col["ActionGeo_Type"] in _PLACE_TYPES else None
    verb = table.verb(code, with_recipient=recipient is not None)
    said = f"{actor.label} {verb}" + (f" {recipient.label}" if recipient is not None else "")
    details = f"GDELT event {event_id}, CAMEO {code}" + (f", Goldstein {goldstein}" if goldstein is not None else "")
    return _record(
        source="gdelt",
        doc_id=f"gdelt:{event_id}",
        text=f"{said} ({details}).",
        where=where,
        etype=etype,
        actors=(actor,),
        recipients=(recipient,) if recipient is not None else (),
        trigger=verb,
        date=day,
        doc_date=doc_day,
        title=f"GDELT event {event_id}",
        url=col["SOURCEURL"] or None,
        location=place,
        goldstein=goldstein,
        mode=table.mode(code),
    )


def _gdelt_file(path: str, report: ImportReport) -> Iterator[ImportedRecord | InputError]:
    """The records of one GDELT 2.0 event export (``.CSV``, ``.csv.zip``, ``.gz``)."""
    table = load_cameo_table()
    actors = _Actors(table, report)
    rows = 0
    try:
        for where, raw in _open_lines(path):
            try:
                line = raw.rstrip(b"\r\n").decode("utf-8")
            except UnicodeDecodeError as e:
                yield InputError(where, f"not UTF-8 text (byte {e.start + 1} of the line)")
                continue
            if not line.strip():
                continue
            fields = line.split("\t")
            if rows == 0 and fields[0].strip() == "GLOBALEVENTID":
                continue  # a header line that someone added
            rows += 1
            try:
                _check_columns(fields, where)
                record = _gdelt_row(fields, where, table, actors)
            except InputError as e:
                yield e
                continue
            if record is not None:
                yield record
    except InputError as e:
        yield e
        return
    if rows == 0:
        yield InputError(path, "empty file (no GDELT rows)")


# --------------------------------------------------------------------------- PLOVER / POLECAT


def _field(record: dict, *names: str):
    for name in names:
        value = record.get(name)
        if value not in (None, "", []):
            return value
    return None


def _text_field(record: dict, where: str, *names: str) -> str | None:
    value = _field(record, *names)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(where, f"'{names[0]}' must be a string, not {type(value).__name__}")
    return value.strip() or None


def _actor_items(record: dict, where: str, names: tuple[str, ...], flat: str) -> list[dict]:
    """The actors (or recipients) of a record as dicts, from a list, one object, or flat fields."""
    value = _field(record, *names)
    if value is None:
        flat_name = _field(record, f"{flat}_name", f"{flat.title()} Name")
        flat_code = _field(record, f"{flat}_country", f"{flat.title()} Country")
        if flat_name is None and flat_code is None:
            return []
        value = {
            "name": flat_name or "",
            "code": flat_code or "",
            "sector": _field(record, f"{flat}_sector", f"Primary {flat.title()} Sector") or "",
        }
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict):
            raise InputError(where, f"'{names[0]}' must list objects or names, not {type(item).__name__}")
        out.append(item)
    return out


def _resolve_items(items: list[dict], actors: _Actors) -> tuple[Entity, ...]:
    resolved = []
    for item in items:
        name = str(_field(item, "actorText", "name", "text") or "")
        code = str(_field(item, "code", "country", "countryCode") or "")
        sector = _field(item, "sector", "type")
        if isinstance(sector, list):
            sector = sector[0] if sector else ""
        resolved.append(actors.resolve(country=code, type_code=str(sector or ""), name=name))
    return _unique(resolved)


def _plover_record(record: object, where: str, fallback_id: str, actors: _Actors) -> ImportedRecord | None:
    if not isinstance(record, dict):
        raise InputError(where, f"expected a JSON object, not {type(record).__name__}")
    raw_id = _field(record, "id", "event_id", "Event ID")
    rid = str(raw_id) if isinstance(raw_id, int) and not isinstance(raw_id, bool) else None
    rid = rid or _text_field(record, where, "id", "event_id", "Event ID") or fallback_id
    raw_type = _text_field(record, where, "event", "event_type", "eventType", "Event Type", "type")
    if raw_type is None:
        raise InputError(where, "missing the event type ('event': one of the 16 PLOVER types)")
    etype = OLD_TYPE_NAMES.get(raw_type.upper(), raw_type.upper())
    if etype not in EVENT_TYPES:
        raise InputError(where, f"unknown PLOVER event type {raw_type!r} (expected one of {', '.join(EVENT_TYPES)})")
    raw_date = _text_field(record, where, "date", "event_date", "Event Date")
    try:
        day = parse_date(raw_date)
    except ValueError as e:
        raise InputError(where, str(e)) from None
    raw_modality = _text_field(record, where, "modality") or "asserted"
    modality = raw_modality.capitalize()
    if modality not in MODALITIES:
        raise InputError(
            where, f"unknown modality {raw_modality!r} (expected asserted, intended, hypothetical or negated)"
        )
    actor_items = _actor_items(record, where, ("source", "actors", "actor"), "actor")
    recipient_items = _actor_items(record, where, ("target", "recipients", "recipient"), "recipient")
    context = _field(record, "context", "Context") or ()
    if isinstance(context, str):
        context = _LIST_SPLIT_RE.split(context.strip())
    text = _text_field(record, where, "text", "sentence", "Text")
    mode = _text_field(record, where, "mode", "event_mode", "Event Mode")
    trigger = _text_field(record, where, "eventText", "trigger") or EVENT_TYPES[etype].label
    url = _text_field(record, where, "url", "source_url")
    actors.report.records += 1
    try:
        if not actor_items:
            raise _Unresolved("no actor")
        source = _resolve_items(actor_items, actors)
        target = _resolve_items(recipient_items, actors)
    except _Unresolved as e:
        actors.report.unresolved[str(e)] += 1
        return None
    if text is None:
        parties = " and ".join(e.label for e in source)
        whom = f" {' and '.join(e.label for e in target)}" if target else ""
        text = f"{parties}: {etype}{whom} (PLOVER record {rid})."
    return _record(
        source="plover",
        doc_id=f"plover:{rid}",
        text=text.replace("\r\n", "\n").replace("\r", "\n"),
        where=where,
        etype=etype,
        actors=source,
        recipients=target,
        trigger=trigger,
        modality=modality,
        date=day,
        url=url,
        mode=mode,
        context=tuple(str(c).strip() for c in context if str(c).strip()),
    )


def _plover_file(path: str, report: ImportReport) -> Iterator[ImportedRecord | InputError]:
    """The records of a ``.jsonl`` file (one a line) or a ``.json`` file (an array, or one record)."""
    actors = _Actors(load_cameo_table(), report)
    stem = Path(path).stem
    try:
        data = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as e:
        yield InputError(path, f"cannot read ({(e.strerror or str(e)).lower()})")
        return
    except UnicodeDecodeError as e:
        yield InputError(path, f"not UTF-8 text (byte {e.start + 1})")
        return
    if Path(path).suffix.lower() == ".jsonl":
        items = []
        for n, line in enumerate(data.split("\n"), 1):  # not splitlines(): JSON strings may hold U+2028
            if not line.strip():
                continue
            where = f"{path}:{n}"
            try:
                items.append((json.loads(line), where, f"{stem}:{n}"))
            except json.JSONDecodeError as e:
                items.append((InputError(where, f"malformed JSON ({e.msg} at column {e.colno})"), where, ""))
            except RecursionError:
                items.append((InputError(where, "malformed JSON (nested too deeply)"), where, ""))
    else:
        try:
            whole = json.loads(data)
        except json.JSONDecodeError as e:
            yield InputError(f"{path}:{e.lineno}", f"malformed JSON ({e.msg} at column {e.colno})")
            return
        records = whole if isinstance(whole, list) else [whole]
        items = [(r, f"{path}: record {n}", f"{stem}:{n}") for n, r in enumerate(records, 1)]
    if not items:
        yield InputError(path, "empty file (no records)")
        return
    for record, where, fallback_id in items:
        if isinstance(record, InputError):
            yield record
            continue
        try:
            imported = _plover_record(record, where, fallback_id, actors)
        except InputError as e:
            yield e
            continue
        if imported is not None:
            yield imported


# --------------------------------------------------------------------------- the graph


#: Readers of event datasets by name: ``reader(path, report)`` yields records and errors.
IMPORTERS: dict[str, Callable[[str, ImportReport], Iterator[ImportedRecord | InputError]]] = {
    "gdelt": _gdelt_file,
    "plover": _plover_file,
}


def read_records(
    source: str,
    paths: Iterable[str | os.PathLike],
    *,
    skip_bad: bool = False,
    on_error: ErrorHandler | None = None,
    report: ImportReport | None = None,
) -> Iterator[ImportedRecord]:
    """Read the records of an event dataset, one at a time.

    Parameters
    ----------
    source : str
        A name of :data:`IMPORTERS`: ``"gdelt"`` or ``"plover"``.
    paths : iterable of str or os.PathLike
        GDELT 2.0 event exports (tab-separated, plain, ``.zip`` or ``.gz``), or PLOVER
        records (``.jsonl``, or ``.json`` holding an array or one record).
    skip_bad : bool, default False
        Skip bad rows and records instead of raising; each goes to ``report.bad`` and
        ``on_error``.
    on_error : callable, optional
        Called with each skipped :class:`~kg.errors.InputError`.
    report : ImportReport, optional
        Filled in as records are read.

    Returns
    -------
    iterator of ImportedRecord
        The records that become events; those without a PLOVER type or with an
        actor that cannot be resolved are counted in ``report`` instead.

    Raises
    ------
    InputError
        At once for a missing file; while reading, unless ``skip_bad``, for the first
        bad row or record (message: ``file:LINE: problem``).
    ValueError
        For an unknown ``source``.
    """
    reader = IMPORTERS.get(source)
    if reader is None:
        raise ValueError(f"unknown event dataset {source!r}; kg imports {', '.join(sorted(IMPORTERS))}")
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    names = [os.fsdecode(p) for p in paths]
    for name in names:
        if not os.path.isfile(name):
            raise InputError(name, "no such file" if not os.path.exists(name) else "not a file")
    report = report if report is not None else ImportReport(source)
    return _read_records(reader, names, skip_bad, on_error, report)


def _read_records(
    reader: Callable[[str, ImportReport], Iterator[ImportedRecord | InputError]],
    names: list[str],
    skip_bad: bool,
    on_error: ErrorHandler | None,
    report: ImportReport,
) -> Iterator[ImportedRecord]:
    for name in names:
        for item in reader(name, report):
            if isinstance(item, InputError):
                if not skip_bad:
                    raise item
                report.bad.append(item)
                log.debug("skipped %s", item)
                if on_error is not None:
                    on_error(item)
                continue
            yield item


def add_record(g: Graph, record: ImportedRecord) -> Graph:
    """Add one imported record to ``g`` (in place): its extraction, then pol:source and the rest.

    Raises
    ------
    ValueError
        For a record whose date is not an ISO date (readers check dates first).
    """
    add_extraction(g, record.extraction)
    doc_id = record.extraction.document.id
    for event in record.extraction.events:
        node = event_iri(event, doc_id)
        g.add((node, POL.source, Literal(record.source)))
        if record.date and g.value(node, POL.date) is None:
            g.add((node, POL.date, date_literal(record.date)))
        if record.goldstein is not None and g.value(node, POL.goldstein) is None:
            g.add((node, POL.goldstein, Literal(record.goldstein)))
        if record.mode:
            g.add((node, POL.mode, Literal(record.mode)))
    for topic in record.context:
        g.add((document_iri(doc_id), DCTERMS.subject, Literal(topic)))
    return g


def import_events(
    source: str,
    paths: Iterable[str | os.PathLike],
    *,
    skip_bad: bool = False,
    on_error: ErrorHandler | None = None,
    graph: Graph | None = None,
) -> tuple[Graph, ImportReport]:
    """Import an event dataset into a graph: the Python counterpart of ``kg import``.

    Parameters
    ----------
    source : str
        ``"gdelt"`` or ``"plover"`` (see :data:`IMPORTERS`).
    paths
        The files to import (see :func:`read_records`).
    skip_bad, on_error
        As for :func:`read_records`.
    graph : rdflib.Graph, optional
        Add to this graph (for example one built from articles) instead of a new one.

    Returns
    -------
    (rdflib.Graph, ImportReport)
        The graph, and what was read, imported and left out.

    Raises
    ------
    InputError
        As for :func:`read_records`.

    Examples
    --------
    >>> import json, os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "records.jsonl")
    >>> record = {"id": "r1", "event": "CONSULT", "mode": "visit", "date": "2024-11-13",
    ...           "source": [{"actorText": "Kenya", "code": "KEN", "sector": "GOV"}],
    ...           "target": [{"actorText": "Uganda", "code": "UGA"}], "text": "Kenya's president visited Uganda."}
    >>> with open(path, "w", encoding="utf-8") as f:
    ...     _ = f.write(json.dumps(record) + "\\n")
    >>> g, report = import_events("plover", [path])
    >>> report.events
    Counter({'CONSULT': 1})
    >>> from kg.graph import entity_iri
    >>> from kg.vocab import POL
    >>> (entity_iri("government/KEN"), POL.consulted, entity_iri("country/UGA")) in g
    True
    """
    g = graph if graph is not None else new_graph()
    report = ImportReport(source)
    for record in read_records(source, paths, skip_bad=skip_bad, on_error=on_error, report=report):
        add_record(g, record)
        report.events.update(e.type for e in record.extraction.events)
    return g, report


def import_gdelt(paths: Iterable[str | os.PathLike], **options) -> tuple[Graph, ImportReport]:
    """Import GDELT 2.0 event exports: ``import_events("gdelt", paths, ...)``."""
    return import_events("gdelt", paths, **options)


def import_plover(paths: Iterable[str | os.PathLike], **options) -> tuple[Graph, ImportReport]:
    """Import PLOVER/POLECAT JSON records: ``import_events("plover", paths, ...)``.

    A record gives its event type (``event``), and optionally ``id``, ``date``, ``mode``,
    ``context``, ``text``, ``eventText`` (the trigger words), ``modality`` and ``url``.
    Actors are in ``source`` (or ``actors``), recipients in ``target`` (or
    ``recipients``), each a list of ``{"actorText": ..., "code": "GBR", "sector": "GOV"}``
    (``name`` and ``country`` are accepted too), or POLECAT's flat ``actor_name``,
    ``actor_country``, ``actor_sector`` and ``recipient_...`` fields. Codes are CAMEO or
    ISO country codes (``IGO`` for an organisation named by ``actorText``); countries may
    also be given by name.
    """
    return import_events("plover", paths, **options)
