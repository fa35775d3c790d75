"""The entity key scheme: the one place that spells an entity's key and reads it back.

Identity on evidence: a name that identifies someone on its own (a full name, an
organisation's full name) gives a key shared by every document. A name that does not (a
surname, a title, an acronym several organisations share) gives a key scoped to its
document: the graph keeps it, but never joins it to a namesake elsewhere. Keys stay stable:
the same document id gives the same scope.

A key is the local part of an entity's IRI (``polr:`` + key): its kind, then what identifies
it. Countries, their governments and militaries go by ISO 3166 alpha-3 code; organisations,
groups, places and people by a slug of their name, under a country code when one tells
namesakes apart; what only one document can resolve by a scope of that document
(:func:`local_key`), and an office holder the text does not name by office and date.

>>> country_key("KEN"), group_key("protesters", "GEO"), person_key("Sadiq Khan")
('country/KEN', 'group/GEO/protesters', 'person/sadiq-khan')
>>> kind_of("military/RUS"), is_kind("location/kyiv", "location")
('military', True)
"""

from __future__ import annotations

import hashlib

from .vocab import slug

__all__ = [
    "country_key", "government_key", "military_key", "org_key", "group_key", "location_key", "person_key",
    "office_key", "local_key", "document_scope", "is_local_key", "kind_of", "is_kind",
]  # fmt: skip


def country_key(code: str) -> str:
    """A country, by ISO 3166 alpha-3 code."""
    return f"country/{code}"


def government_key(code: str) -> str:
    """A country's government."""
    return f"government/{code}"


def military_key(code: str) -> str:
    """A country's armed forces."""
    return f"military/{code}"


def org_key(name: str, country: str | None = None) -> str:
    """An organisation, under the country that tells namesakes apart when there is one."""
    return f"org/{country}/{slug(name)}" if country else f"org/{slug(name)}"


def group_key(name: str, country: str | None = None) -> str:
    """A group (a crowd, rebels, a party), under its country when it has one."""
    return f"group/{country}/{slug(name)}" if country else f"group/{slug(name)}"


def location_key(name: str) -> str:
    """A place below the country."""
    return f"location/{slug(name)}"


def person_key(full_name: str) -> str:
    """A person by full name: shared by every document that gives that name."""
    return f"person/{slug(full_name)}"


def document_scope(doc_id: str) -> str:
    """The scope segment of a document's local keys: a short hash of its id (ids may hold any text).

    >>> document_scope("report-1")
    'doc-db70bb5d9d'
    """
    return "doc-" + hashlib.sha1(doc_id.encode("utf-8")).hexdigest()[:10]


def local_key(prefix: str, name: str, scope: str) -> str:
    """The key of something a document names in a way that only it can resolve.

    >>> local_key("person", "Khan", "doc-db70bb5d9d")
    'person/doc-db70bb5d9d/khan'
    """
    return f"{prefix}/{scope}/{slug(name)}"


def is_local_key(key: str) -> bool:
    """Whether a key is scoped to one document (:func:`local_key`).

    >>> is_local_key("person/doc-db70bb5d9d/khan"), is_local_key("person/sadiq-khan")
    (True, False)
    """
    parts = key.split("/")
    return len(parts) == 3 and parts[1].startswith("doc-") and len(parts[1]) == 14


def office_key(office: str, date: str | None, scope: str) -> str:
    """The key of an office holder a document names only by office ("the Prime Minister of
    Kenya"): the same office on the same date is the same person, so dated documents share it;
    an undated one keeps it to itself.

    >>> office_key("Prime Minister of Kenya", "2024-05-02", "doc-db70bb5d9d")
    'person/office/prime-minister-of-kenya/2024-05-02'
    >>> office_key("President", None, "doc-db70bb5d9d")
    'person/office/president/doc-db70bb5d9d'
    """
    when = date if date and len(date) == 10 else scope
    return f"person/office/{slug(office)}/{when}"


def kind_of(key: str) -> str:
    """The kind segment of a key: ``country``, ``government``, ``person`` ..."""
    return key.split("/", 1)[0]


def is_kind(key: str, kind: str) -> bool:
    """Whether ``key`` is of ``kind`` (``is_kind("location/kyiv", "location")``)."""
    return key.startswith(kind + "/")
