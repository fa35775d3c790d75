"""The graph's vocabulary, as objects: the one place IRIs are spelled.

``POL`` is closed: a misspelt term fails on first use instead of silently minting a
new predicate. ``ontologies/polkg.ttl`` declares the same terms, and a test checks
that the two agree.

>>> POL.CONSULT
rdflib.term.URIRef('https://w3id.org/polkg/ontology#CONSULT')
>>> EVENT_TYPES["ASSAULT"].score
-9.0
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, ClosedNamespace

from .model import ENTITY_KINDS, FACT_MODALITIES, MODALITIES

__all__ = [
    "POL",
    "POLR",
    "WD",
    "DCTERMS",
    "OWL",
    "PROV",
    "RDF",
    "RDFS",
    "SKOS",
    "XSD",
    "EventType",
    "EVENT_TYPES",
    "OLD_TYPE_NAMES",
    "MODALITY_TERMS",
    "FACT_MODALITY_TERMS",
    "KIND_TERMS",
    "QUAD_COLOURS",
    "PREFIXES",
    "PREFIX_IRIS",
    "local_name",
    "slug",
]


@dataclass(frozen=True)
class EventType:
    """A PLOVER event type: its name, quad class, score and truthy predicate."""

    name: str
    quad: str
    score: float
    truthy: str
    label: str


_TYPES = [
    # name, quad class, PLOVER score, truthy edge, label
    ("AGREE", "verbal-cooperation", 2.5, "agreedWith", "agree"),
    ("CONSULT", "verbal-cooperation", 2.5, "consulted", "consult"),
    ("SUPPORT", "verbal-cooperation", 5.0, "supported", "support"),
    ("CONCEDE", "verbal-cooperation", 4.5, "concededTo", "concede"),
    ("COOPERATE", "material-cooperation", 9.5, "cooperatedWith", "cooperate"),
    ("AID", "material-cooperation", 10.0, "aided", "aid"),
    ("RETREAT", "material-cooperation", 6.5, "retreatedFrom", "retreat"),
    ("REQUEST", "verbal-conflict", 0.0, "requested", "request"),
    ("ACCUSE", "verbal-conflict", -3.0, "accused", "accuse"),
    ("REJECT", "verbal-conflict", -2.0, "rejected", "reject"),
    ("THREATEN", "verbal-conflict", -3.5, "threatened", "threaten"),
    ("PROTEST", "material-conflict", -5.0, "protestedAgainst", "protest"),
    ("SANCTION", "material-conflict", -6.0, "sanctioned", "sanction"),
    ("MOBILIZE", "material-conflict", -5.5, "mobilizedAgainst", "mobilize"),
    ("COERCE", "material-conflict", -7.0, "coerced", "coerce"),
    ("ASSAULT", "material-conflict", -9.0, "assaulted", "assault"),
]

#: The sixteen PLOVER types, in the manual's order.
EVENT_TYPES: dict[str, EventType] = {t[0]: EventType(*t) for t in _TYPES}

#: CAMEO-era names still found in PLOVER gold records.
OLD_TYPE_NAMES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}

_CLASSES = [
    "Entity",
    "Person",
    "Country",
    "Organization",
    "Government",
    "Military",
    "Group",
    "Location",
    "Document",
    "Sentence",
    "Event",
    "Modality",
    "EventType",
    "QuadClass",
    # the summary graph (kg.summary): counts the named queries read
    "TypeMonthCount",
    # human review (kg.curation, kg.review)
    "ReviewDecision",
    "RejectedEvent",
    # reviewers' merges and splits of entities (kg.entity_curation)
    "EntityMerge",
    "EntitySplit",
]
_PROPERTIES = [
    "actor",
    "recipient",
    "eventType",
    "modality",
    "trigger",
    "mode",
    "date",
    "location",
    "score",
    "confidence",
    "source",
    "goldstein",
    "inDocument",
    "text",
    "start",
    "end",
    "country",
    "role",
    "memberOf",
    "state",
    "quadClass",
    "participatedIn",
    # the summary graph (kg.summary)
    "countedType",
    "month",
    "eventCount",
    "first",
    "second",
    "activeEventCount",
    "asActorCount",
    "asRecipientCount",
    "timelineDate",
    "nameKey",
    # human review (kg.curation, kg.review)
    "decides",
    "verdict",
    "onSentence",
    "reviewedDocument",
    "reviewedText",
    "reviewedTrigger",
    "reviewedType",
    "correctedType",
    "correctedActor",
    "correctedRecipient",
    "confirmedBy",
    "rejectedBy",
    "correctedBy",
    # reviewers' merges and splits of entities (kg.entity_curation)
    "keptEntity",
    "mergedEntity",
    "splitEntity",
    "splitForm",
    "splitDocument",
    "newEntity",
    "curatedBy",
]
_INDIVIDUALS = [
    "PLOVER",
    "Asserted",
    "Intended",
    "Hypothetical",
    "Negated",
    "VerbalCooperation",
    "MaterialCooperation",
    "VerbalConflict",
    "MaterialConflict",
]

POL = ClosedNamespace(
    "https://w3id.org/polkg/ontology#",
    _CLASSES + _PROPERTIES + _INDIVIDUALS + list(EVENT_TYPES) + [t.truthy for t in EVENT_TYPES.values()],
)
POLR = Namespace("https://w3id.org/polkg/id/")
WD = Namespace("http://www.wikidata.org/entity/")

MODALITY_TERMS = {m: POL[m] for m in MODALITIES}
#: ``pol:Asserted`` and ``pol:Intended``: the modalities whose events are facts (:data:`kg.model.FACT_MODALITIES`).
FACT_MODALITY_TERMS = frozenset(MODALITY_TERMS[m] for m in FACT_MODALITIES)
KIND_TERMS = {k: POL[k] for k in ENTITY_KINDS}
#: The colour of each PLOVER quad class, the same in the explorer and the figures.
QUAD_COLOURS: dict[str, str] = {
    "verbal-cooperation": "#2ca02c",
    "material-cooperation": "#1f77b4",
    "verbal-conflict": "#ff7f0e",
    "material-conflict": "#d62728",
}

QUAD_TERMS = {
    "verbal-cooperation": POL.VerbalCooperation,
    "material-cooperation": POL.MaterialCooperation,
    "verbal-conflict": POL.VerbalConflict,
    "material-conflict": POL.MaterialConflict,
}

#: Prefixes bound on every graph kg writes, and prepended to every query.
PREFIXES = {
    "pol": POL,
    "polr": POLR,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "skos": SKOS,
    "prov": PROV,
    "dcterms": DCTERMS,
    "xsd": XSD,
    "wd": WD,
}
#: The same prefixes as plain strings, for libraries that take them so (pyoxigraph, SPARQL text).
PREFIX_IRIS = {prefix: str(ns) for prefix, ns in PREFIXES.items()}


def local_name(iri: object) -> str:
    """The last segment of an IRI, after its last ``#`` or ``/``: how kg shows a term briefly.

    >>> local_name("https://w3id.org/polkg/ontology#CONSULT"), local_name("https://w3id.org/polkg/resource/country/RUS")
    ('CONSULT', 'RUS')
    """
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def slug(text: str) -> str:
    """A readable, stable IRI segment from a name: accents folded, lower case, hyphens.

    >>> slug("Élysée Palace")
    'elysee-palace'
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    return out or "x" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
