"""Identity on evidence: when two mentions in different documents may be one node.

A name that identifies someone on its own (a full name, an organisation's full name) gives a
key shared by every document. A name that does not (a surname, a title, an acronym several
organisations share) gives a key scoped to its document: the graph keeps it, but never joins
it to a namesake elsewhere. Keys stay stable: the same document id gives the same scope.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib.resources import files

from .vocab import slug

__all__ = ["document_scope", "local_key", "is_local_key", "crowd_noun", "office_key"]


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
