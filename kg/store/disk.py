"""A store on disk: its files, the hash that tells a changed document, and the advisory lock
that keeps writers apart."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ..errors import InputError
from ..graph import SINGLE_VALUED as GRAPH_SINGLE_VALUED
from ..model import Document
from ..vocab import RDFS, SKOS

try:  # advisory locks; without fcntl (Windows) the store is unguarded
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]


log = logging.getLogger(__name__)

_OXIGRAPH_DIR = "oxigraph"
_MANIFEST = "manifest.sqlite"
_LOCK = "lock"
_FORMAT = "1"

#: The graph stage's single-valued properties, as IRI strings: in the merged view the value of
#: the document added first stands.
SINGLE_VALUED = frozenset(str(p) for p in GRAPH_SINGLE_VALUED)
_LABEL = ox.NamedNode(str(RDFS.label))
_ALT = ox.NamedNode(str(SKOS.altLabel))
_DEFAULT = ox.DefaultGraph()


def document_hash(document: Document) -> str:
    """The content hash a store keeps per document: sha256 of its text, date, title and url.

    A document whose id and hash are in the store is not parsed again.

    >>> document_hash(Document("d1", "Hi.")) == document_hash(Document("d1", "Hi.", origin="a.txt"))
    True
    >>> document_hash(Document("d1", "Hi.")) == document_hash(Document("d1", "Hi!"))
    False
    """
    payload = json.dumps([document.text, document.date, document.title, document.url], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _graph_hash(triples: list) -> str:
    digest = hashlib.sha256()
    for t in triples:
        digest.update(str(t).encode("utf-8") + b"\n")
    return "graph:" + digest.hexdigest()


def _ox_triples(graph: Graph) -> list:
    data = graph.serialize(format="nt", encoding="utf-8")
    return sorted(ox.parse(data, format=ox.RdfFormat.N_TRIPLES), key=str) if data.strip() else []


@dataclass(frozen=True)
class StoredDocument:
    """A document in a store: its id, named graph, content hash, size and when it was added.

    ``content_hash`` is :func:`document_hash` for built documents, ``graph:<sha256>`` of
    the triples for documents loaded from a graph file.
    """

    id: str
    graph: str
    content_hash: str | None
    triples: int
    added: str
    origin: str
    seq: int


def is_store(path: str | os.PathLike) -> bool:
    """Whether ``path`` is a store directory (it has a manifest and an oxigraph directory)."""
    path = Path(path)
    return (path / _MANIFEST).is_file() and (path / _OXIGRAPH_DIR).is_dir()


#: The lock descriptors this process holds: a forked child (a parse worker) closes its
#: copies at once, so that the store is free as soon as this process closes it.
_LOCK_FDS: set[int] = set()


def _forget_locks_in_child() -> None:
    for fd in _LOCK_FDS:
        try:
            os.close(fd)
        except OSError:  # pragma: no cover
            pass
    _LOCK_FDS.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_locks_in_child)


def _lock(path: Path, *, shared: bool):
    if fcntl is None:  # pragma: no cover
        return None
    lock_path = path / _LOCK
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError:
        if shared:  # a read-only directory: readers go unguarded
            return None
        raise
    try:
        fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
    except OSError as exc:
        os.close(fd)
        what = "being written by another kg process" if shared else "in use by another kg process"
        raise InputError(
            str(path), f"the store is {what} (a build, remove, load or serve); wait for it to finish"
        ) from exc
    _LOCK_FDS.add(fd)
    return fd


def _unlock(fd) -> None:
    if fd is not None:
        _LOCK_FDS.discard(fd)
        os.close(fd)  # closing releases the flock
