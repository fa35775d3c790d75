"""A persistent graph store that grows: one named graph per document, on disk, in pyoxigraph.

``kg build --store DIR articles/`` adds documents to a store instead of writing a graph
file. Each document's triples (exactly what :func:`kg.graph.add_extraction` makes of it
alone) live in a named graph called by its document IRI (:func:`kg.graph.document_iri`).
A document already there with the same content is skipped before any parsing; a changed
version (same id, other text) replaces the old one; :meth:`GraphStore.remove_documents`
takes documents out with every fact only they supported.

The default graph is the merged view that queries see: every triple of every document
graph once, with the single-valued properties of the shapes (``rdfs:label``,
``pol:trigger`` ...) kept to the value of the document added first, as in
:func:`kg.graph.merge_graphs` (a later, different ``rdfs:label`` becomes a
``skos:altLabel``). It is stored, not computed per query, because pyoxigraph's
``use_default_graph_as_union`` repeats a triple once per graph that holds it (a country
named in 1,000 documents would come back 1,000 times), and because the merge rules need
the order documents came in. Removing a document drops its named graph and fixes the
merged view only where it gave something: a triple stays while any other document
states it, and a single-valued property falls back to the next document's value.

Layout of a store directory::

    DIR/oxigraph/        the pyoxigraph (RocksDB) store
    DIR/manifest.sqlite  one row per document: id, graph IRI, content hash, order, state
    DIR/lock             advisory lock: one writer, or any number of readers

Every change is journalled in the manifest (a row is ``adding`` or ``removing`` until it
is done), so a store left by a killed process is repaired the next time it is opened
for writing.

Examples
--------
>>> from kg.model import Document, DocumentExtraction
>>> store = open_store(None)  # in memory; give a directory to keep it
>>> store.add_extraction(DocumentExtraction(Document("d1", "Hi."), (), (), (), ()))
'added'
>>> store.add_extraction(DocumentExtraction(Document("d1", "Hi."), (), (), (), ()))
'unchanged'
>>> len(store), [d.id for d in store.documents()]
(2, ['d1'])
>>> store.remove_documents(["d1"]), len(store)
(1, 0)
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from .curation import apply_decisions, is_curation_graph
from .errors import InputError, OutputError, StoreError
from .export import DATASET_FORMATS, split_by_document
from .graph import SINGLE_VALUED as GRAPH_SINGLE_VALUED
from .graph import (
    TOO_LONG,
    add_extraction,
    add_ntriples,
    document_iri,
    is_too_long,
    load_graph,
    new_graph,
    rdf_format_for,
)
from .model import Document, DocumentExtraction
from .query import QueryResult, run_query
from .summary import has_summary, is_summary_graph, mark_stale, summarize
from .vocab import DCTERMS, POLR, PREFIXES, RDFS, SKOS, slug

try:  # advisory locks; without fcntl (Windows) the store is unguarded
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "GraphStore",
    "StoredDocument",
    "open_store",
    "is_store",
    "load_source",
    "as_graph",
    "as_queryable",
    "document_hash",
    "SINGLE_VALUED",
]

log = logging.getLogger(__name__)

_OXIGRAPH_DIR = "oxigraph"
_MANIFEST = "manifest.sqlite"
_LOCK = "lock"
_FORMAT = "1"
_PREFIX_IRIS = {prefix: str(ns) for prefix, ns in PREFIXES.items()}

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


def open_store(path: str | os.PathLike | None, *, read_only: bool = False, create: bool = True) -> GraphStore:
    """Open (or create) a store directory; ``None`` gives a store in memory.

    Parameters
    ----------
    path
        The store directory. A new or empty directory becomes a store when ``create``.
    read_only
        Open for reading only: any number of readers may share a store, but not with a
        writer.
    create
        Make the store when ``path`` does not exist (ignored when ``read_only``).

    Returns
    -------
    GraphStore
        Close it (or use it as a context manager) to release the store for others.

    Raises
    ------
    InputError
        When ``path`` is a file or a directory with other content, does not exist (and
        is not to be created), is of another store format, or is in use by another
        process in a way that conflicts (a writer excludes everyone else).
    """
    if path is None:
        return GraphStore(None, ox.Store(), sqlite3.connect(":memory:"), read_only=False)
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise InputError(str(path), "is a file, not a store directory; give a directory for --store")
    if not is_store(path):
        if read_only or not create:
            if not path.exists():
                raise InputError(str(path), "no such store; make one with kg build --store DIR ...")
            raise InputError(str(path), "is not a kg store (it has no manifest.sqlite and oxigraph/)")
        if path.exists() and any(path.iterdir()):
            raise InputError(
                str(path), "is a directory with other files, not a kg store; give a new or empty directory"
            )
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(str(path), f"cannot make the store directory ({exc.strerror or exc})") from exc
    try:
        lock = _lock(path, shared=read_only)
    except PermissionError as exc:
        raise InputError(
            str(path), f"cannot write in the store directory ({exc.strerror or exc}); is it read-only?"
        ) from exc
    try:
        if read_only:
            conn = sqlite3.connect(f"file:{path / _MANIFEST}?mode=ro", uri=True, check_same_thread=False)
            oxstore = ox.Store.read_only(str(path / _OXIGRAPH_DIR))
        else:
            conn = sqlite3.connect(path / _MANIFEST, check_same_thread=False)
            oxstore = ox.Store(str(path / _OXIGRAPH_DIR))
    except (OSError, RuntimeError, sqlite3.Error) as exc:
        _unlock(lock)
        raise InputError(str(path), f"cannot open the store ({exc})") from exc
    return GraphStore(path, oxstore, conn, read_only=read_only, lock=lock)


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


class GraphStore:
    """A store of per-document named graphs with a merged default graph. Make one with :func:`open_store`.

    Attributes
    ----------
    path
        The store directory, or None in memory.
    oxigraph
        The underlying ``pyoxigraph.Store``: query it directly (its default graph is the
        merged view, ``GRAPH ?doc { ... }`` reaches each document's triples).
    read_only
        Whether changes are refused.
    """

    def __init__(self, path: Path | None, oxstore: ox.Store, conn: sqlite3.Connection, *, read_only: bool, lock=None):
        self.path = path
        self.oxigraph = oxstore
        self.read_only = read_only
        self._conn = conn
        self._lock = lock
        self._where = str(path) if path is not None else "(store in memory)"
        #: Review decisions the last refresh could not apply (:func:`kg.curation.apply_decisions`).
        self.stale_decisions: list = []
        if not read_only:
            self._setup()
        elif self._meta("clean") == "0":  # no writer can hold it now: one was killed
            log.warning(
                "%s: the store was not closed cleanly and may hold half-added documents; "
                "open it for writing once (kg remove --store DIR --missing-ok x) to repair it",
                self._where,
            )

    # ----------------------------------------------------------------- lifecycle

    def _setup(self) -> None:
        with self._conn:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS documents ("
                " seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, graph TEXT NOT NULL UNIQUE,"
                " content_hash TEXT, triples INTEGER NOT NULL DEFAULT 0, added TEXT NOT NULL,"
                " origin TEXT NOT NULL DEFAULT '', state TEXT NOT NULL DEFAULT 'ok')"
            )
            found = self._meta("format")
            if found is None:
                self._conn.execute("INSERT INTO meta VALUES ('format', ?)", (_FORMAT,))
            elif found != _FORMAT:
                self.close()
                raise InputError(self._where, f"store format {found} is not the one this kg reads ({_FORMAT})")
            clean = self._meta("clean")
            self._conn.execute("INSERT OR REPLACE INTO meta VALUES ('clean', '0')")
        if clean == "0":
            log.warning("%s: the store was not closed cleanly; repairing", self._where)
            self.repair()

    def _meta(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def close(self) -> None:
        """Flush and release the store (others may then open it). Closing twice is harmless."""
        if self._conn is None:
            return
        try:
            if not self.read_only:
                self.refresh_summary()
                self.oxigraph.flush()
                with self._conn:
                    self._conn.execute("INSERT OR REPLACE INTO meta VALUES ('clean', '1')")
        finally:
            self._conn.close()
            self._conn = None
            self.oxigraph = None  # RocksDB closes when the last reference goes
            _unlock(self._lock)
            self._lock = None

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._conn is None else f"{self.document_count()} documents"
        return f"<GraphStore {self._where} ({state})>"

    def _open(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"{self._where}: the store is closed")
        return self._conn

    def _writable(self) -> sqlite3.Connection:
        conn = self._open()
        if self.read_only:
            raise StoreError(f"{self._where}: the store is open read-only; open it without read_only to change it")
        return conn

    def _mark_stale(self) -> None:
        mark_stale(self.oxigraph)  # before the change: a process killed mid-change leaves it stale

    def refresh_summary(self) -> None:
        """Bring the counts the named queries read (:mod:`kg.summary`) up to date.

        Runs by itself when the store is closed or queried after a change; a store with
        a current summary costs one lookup.
        """
        self._writable()
        if not has_summary(self.oxigraph):
            self.stale_decisions = apply_decisions(self.oxigraph, order=self._order())  # kg review's decisions
            summarize(self.oxigraph)

    @property
    def summary_current(self) -> bool:
        """Whether the named queries' counts match the merged view."""
        self._open()
        return has_summary(self.oxigraph)

    # ----------------------------------------------------------------- documents

    def _rows(self, where: str = "", args: tuple = ()) -> list[StoredDocument]:
        sql = "SELECT id, graph, content_hash, triples, added, origin, seq FROM documents"
        return [StoredDocument(*r) for r in self._open().execute(f"{sql} {where} ORDER BY seq", args)]

    def documents(self) -> list[StoredDocument]:
        """The documents in the store, in the order they were added."""
        return self._rows("WHERE state = 'ok'")

    def document_count(self) -> int:
        """How many documents the store holds."""
        return self._open().execute("SELECT COUNT(*) FROM documents WHERE state = 'ok'").fetchone()[0]

    def get(self, doc_id: str) -> StoredDocument | None:
        """The stored document of that id, or None."""
        rows = self._rows("WHERE id = ? AND state = 'ok'", (doc_id,))
        return rows[0] if rows else None

    def has_document(self, doc_id: str, content_hash: str | None = None) -> bool:
        """Whether the document is in the store (with this content, when ``content_hash`` is given).

        ``content_hash`` is :func:`document_hash` of a :class:`~kg.model.Document`.
        """
        doc = self.get(doc_id)
        return doc is not None and (content_hash is None or doc.content_hash == content_hash)

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and self.has_document(doc_id)

    def pending(
        self, documents: Iterable[Document], *, on_skip: Callable[[Document], None] | None = None
    ) -> Iterator[Document]:
        """The documents that need parsing: new ones, and changed versions of stored ones.

        A document whose id is stored with the same :func:`document_hash` is passed to
        ``on_skip`` instead, without being parsed.
        """
        for document in documents:
            if self.has_document(document.id, document_hash(document)):
                if on_skip is not None:
                    on_skip(document)
                continue
            yield document

    # ----------------------------------------------------------------- adding

    def add_extraction(self, extraction: DocumentExtraction, *, origin: str | None = None) -> str:
        """Add one document's extraction as its own named graph.

        Returns
        -------
        str
            ``"added"``, ``"replaced"`` (the id was stored with other content: the old
            version is removed first) or ``"unchanged"`` (same id and content: nothing
            done).
        """
        document = extraction.document
        if self.has_document(document.id, document_hash(document)):
            return "unchanged"
        graph = add_extraction(new_graph(), extraction)
        return self.add_graph(
            graph,
            document.id,
            content_hash=document_hash(document),
            origin=origin if origin is not None else document.origin,
        )

    def add_graph(
        self,
        graph: Graph,
        doc_id: str,
        *,
        content_hash: str | None = None,
        origin: str = "",
        graph_name: str | None = None,
    ) -> str:
        """Add ``graph`` as the named graph of document ``doc_id`` (replacing an older version).

        Parameters
        ----------
        graph
            The triples this document states.
        doc_id
            The document's id; its graph is named :func:`kg.graph.document_iri` of it
            unless ``graph_name`` says otherwise.
        content_hash
            What identifies this version; by default a hash of the triples.
        origin
            Where it came from, for listings.

        Returns
        -------
        str
            ``"added"``, ``"replaced"`` or ``"unchanged"``, as in :meth:`add_extraction`.
        """
        return self._add_triples(
            _ox_triples(graph), doc_id, content_hash=content_hash, origin=origin, graph_name=graph_name
        )

    def _add_triples(
        self, triples: list, doc_id: str, *, content_hash: str | None, origin: str, graph_name: str | None = None
    ) -> str:
        conn = self._writable()
        content_hash = content_hash or _graph_hash(triples)
        old = self._rows("WHERE id = ?", (doc_id,))
        status = "added"
        if old:
            if old[0].content_hash == content_hash and self.get(doc_id) is not None:
                return "unchanged"
            self._remove(old)
            status = "replaced"
        name = graph_name or str(document_iri(doc_id))
        clash = self._rows("WHERE graph = ?", (name,))
        if clash:
            raise StoreError(f"{self._where}: graph <{name}> already holds document {clash[0].id!r}")
        self._mark_stale()
        with conn:
            conn.execute(
                "INSERT INTO documents (id, graph, content_hash, triples, added, origin, state)"
                " VALUES (?, ?, ?, ?, ?, ?, 'adding')",
                (doc_id, name, content_hash, len(triples), _now(), origin or ""),
            )
        node = ox.NamedNode(name)
        add, drop = self._merge(triples)
        for t in drop:
            self.oxigraph.remove(ox.Quad(t.subject, t.predicate, t.object, _DEFAULT))
        quads = [ox.Quad(t.subject, t.predicate, t.object, node) for t in triples]
        self.oxigraph.extend(quads + [ox.Quad(t.subject, t.predicate, t.object, _DEFAULT) for t in add])
        with conn:
            conn.execute("UPDATE documents SET state = 'ok' WHERE id = ?", (doc_id,))
        log.debug("%s: %s %s (%d triples)", self._where, status, doc_id, len(triples))
        return status

    def _merge(self, triples: list) -> tuple[list, list]:
        """What folding the triples of the newest document into the merged view adds and drops there."""
        chosen: dict[tuple, object] = {}

        def current(s, p):
            key = (s, p)
            if key not in chosen:
                found = next(iter(self.oxigraph.quads_for_pattern(s, p, None, _DEFAULT)), None)
                chosen[key] = found.object if found is not None else None
            return chosen[key]

        add: list = []
        drop: list = []
        single = [t for t in triples if t.predicate.value in SINGLE_VALUED]
        for t in single:
            value = current(t.subject, t.predicate)
            if value is None:
                chosen[(t.subject, t.predicate)] = t.object
                add.append(t)
                if t.predicate == _LABEL:
                    drop.append(ox.Triple(t.subject, _ALT, t.object))
            elif value != t.object and t.predicate == _LABEL:
                add.append(ox.Triple(t.subject, _ALT, t.object))
        for t in triples:
            if t.predicate.value in SINGLE_VALUED:
                continue
            if t.predicate == _ALT and current(t.subject, _LABEL) == t.object:
                continue
            add.append(t)
        return add, drop

    # ----------------------------------------------------------------- removing

    def remove_documents(self, ids: Iterable[str], *, missing_ok: bool = False) -> int:
        """Take documents out, with every fact that only they supported.

        A triple also stated by another document stays; a single-valued property
        (``rdfs:label``, ``pol:trigger`` ...) they gave falls back to the value of the
        earliest remaining document that has one.

        Parameters
        ----------
        ids
            Document ids (``dcterms:identifier``).
        missing_ok
            Ignore ids that are not in the store instead of failing.

        Returns
        -------
        int
            How many documents were removed.

        Raises
        ------
        InputError
            When an id is not in the store and ``missing_ok`` is false; nothing is removed.
        """
        self._writable()
        ids = list(dict.fromkeys(ids))
        rows = [r for i in ids for r in self._rows("WHERE id = ?", (i,))]
        missing = sorted(set(ids) - {r.id for r in rows})
        if missing and not missing_ok:
            shown = ", ".join(repr(m) for m in missing[:5]) + (" ..." if len(missing) > 5 else "")
            raise InputError(
                self._where,
                f"no document {shown} in the store; nothing was removed "
                "(list the ids with: kg query STORE 'SELECT ?id { ?d dcterms:identifier ?id }')",
            )
        if rows:
            self._remove(rows)
        return len(rows)

    def _remove(self, rows: list[StoredDocument]) -> None:
        conn = self._writable()
        self._mark_stale()
        with conn:
            conn.executemany("UPDATE documents SET state = 'removing' WHERE id = ?", [(r.id,) for r in rows])
        self._unmerge({r.graph for r in rows})
        for r in rows:
            self.oxigraph.remove_graph(ox.NamedNode(r.graph))
        with conn:
            conn.executemany("DELETE FROM documents WHERE id = ?", [(r.id,) for r in rows])

    def _unmerge(self, graphs: set[str]) -> None:
        """Fix the merged view as if ``graphs`` were gone (before they are dropped)."""
        excluded = {ox.NamedNode(g) for g in graphs}
        store = self.oxigraph

        def elsewhere(s, p, o) -> bool:
            return any(
                q.graph_name != _DEFAULT and q.graph_name not in excluded
                for q in store.quads_for_pattern(s, p, o, None)
            )

        single: set[tuple] = set()
        gone: list = []
        for name in excluded:
            for q in store.quads_for_pattern(None, None, None, name):
                p = q.predicate
                if p.value in SINGLE_VALUED or p == _ALT:
                    if p in (_LABEL, _ALT):
                        single.update({(q.subject, _LABEL), (q.subject, _ALT)})
                    else:
                        single.add((q.subject, p))
                elif not elsewhere(q.subject, p, q.object):
                    gone.append(ox.Quad(q.subject, p, q.object, _DEFAULT))
        for q in gone:
            store.remove(q)
        order = self._order()
        subjects: dict[object, set] = defaultdict(set)
        for s, p in single:
            subjects[s].add(p)
        for s, predicates in subjects.items():
            self._recompute(s, predicates, excluded, order)

    def _order(self) -> dict[str, int]:
        """Graph IRI -> position in the order documents were added (looked up when first asked)."""
        conn = self._open()

        class Order(dict):
            def __missing__(self, graph: str) -> int:
                row = conn.execute("SELECT seq FROM documents WHERE graph = ?", (graph,)).fetchone()
                self[graph] = row[0] if row else sys.maxsize
                return self[graph]

        return Order()

    def _recompute(self, s, predicates: set, excluded: set, order: dict[str, int]) -> None:
        """The merged values of ``s``'s single-valued ``predicates`` (and labels), from the graphs left."""
        by_graph: dict[object, list] = defaultdict(list)
        for p in predicates:
            for q in self.oxigraph.quads_for_pattern(s, p, None, None):
                if q.graph_name != _DEFAULT and q.graph_name not in excluded:
                    by_graph[q.graph_name].append(q.triple)
        ranked = sorted(by_graph, key=lambda g: (order[g.value], g.value))
        chosen: dict[object, object] = {}
        alts: set = set()
        merged: list = []
        for g in ranked:
            for t in sorted(by_graph[g], key=str):
                if t.predicate == _ALT:
                    alts.add(t.object)
                elif t.predicate not in chosen:
                    chosen[t.predicate] = t.object
                    merged.append(t)
                elif chosen[t.predicate] != t.object and t.predicate == _LABEL:
                    alts.add(t.object)
        if _ALT in predicates:
            merged += [ox.Triple(s, _ALT, o) for o in sorted(alts, key=str) if o != chosen.get(_LABEL)]
        for p in predicates:
            for q in list(self.oxigraph.quads_for_pattern(s, p, None, _DEFAULT)):
                self.oxigraph.remove(q)
        self.oxigraph.extend(ox.Quad(t.subject, t.predicate, t.object, _DEFAULT) for t in merged)

    def repair(self, *, full: bool = False) -> None:
        """Finish or undo changes a killed process left half done; with ``full``, rebuild the merged view.

        Runs by itself when a store that was not closed cleanly is opened for writing.
        Half-added documents are taken out (build them again), half-removed ones removed.
        ``full`` recomputes the whole merged default graph from the document graphs, for
        a store whose disk lost recent writes (a power cut).
        """
        conn = self._writable()
        unfinished = self._rows("WHERE state != 'ok'")
        known = {r[0] for r in conn.execute("SELECT graph FROM documents")}
        orphans = [
            g.value
            for g in self.oxigraph.named_graphs()
            if g.value not in known and not is_summary_graph(g.value) and not is_curation_graph(g.value)
        ]
        if unfinished:
            log.warning(
                "%s: taking out %d half-done document(s): %s",
                self._where,
                len(unfinished),
                ", ".join(r.id for r in unfinished[:5]),
            )
            self._remove(unfinished)
        if orphans:
            log.warning("%s: dropping %d graph(s) not in the manifest", self._where, len(orphans))
            self._unmerge(set(orphans))
            for g in orphans:
                self.oxigraph.remove_graph(ox.NamedNode(g))
        if full:
            self._mark_stale()
            self.oxigraph.clear_graph(_DEFAULT)
            for row in self.documents():
                quads = self.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(row.graph))
                add, drop = self._merge(sorted((q.triple for q in quads), key=str))
                for t in drop:
                    self.oxigraph.remove(ox.Quad(t.subject, t.predicate, t.object, _DEFAULT))
                self.oxigraph.extend(ox.Quad(t.subject, t.predicate, t.object, _DEFAULT) for t in add)

    # ----------------------------------------------------------------- loading graph files

    def load_file(self, path: str | os.PathLike, *, format: str | None = None) -> dict[str, int]:
        try:
            return self._load_file(path, format=format)
        except MemoryError as exc:  # Oxigraph's "buffer maximal size": a term over 16 MB
            if is_too_long(exc):
                raise InputError(str(path), TOO_LONG) from exc
            raise

    def _load_file(self, path: str | os.PathLike, *, format: str | None = None) -> dict[str, int]:
        """Load a graph file into the store, one named graph per document it describes.

        TriG and N-Quads files keep their named graphs (each graph's document id is the
        ``dcterms:identifier`` of the ``pol:Document`` named like the graph, else the
        graph IRI). Triples outside named graphs, and whole Turtle, N-Triples, JSON-LD or
        RDF/XML files, are split by :func:`kg.export.split_by_document`; what no document
        accounts for goes into a graph of its own with the id ``file:<file name>``.
        Loading the same file again changes nothing; documents that are already in the
        store with other content are replaced.

        Returns
        -------
        dict[str, int]
            How many documents were ``added``, ``replaced`` and ``unchanged``.

        Raises
        ------
        InputError
            When the file is missing or does not parse.
        """
        path = Path(path)
        fmt = format or rdf_format_for(path) or "turtle"
        counts = {"added": 0, "replaced": 0, "unchanged": 0}
        default = new_graph()
        loose: list = []
        if fmt in DATASET_FORMATS:
            if not path.is_file():
                raise InputError(str(path), "no such file")
            graphs: dict[str, list] = defaultdict(list)
            try:
                for q in ox.parse(path=str(path), format=DATASET_FORMATS[fmt], lenient=True):
                    if isinstance(q.graph_name, ox.DefaultGraph):
                        loose.append(q.triple)
                    else:
                        graphs[q.graph_name.value].append(q.triple)
            except (SyntaxError, ValueError) as exc:
                raise InputError(str(path), f"not valid {fmt} ({str(exc).splitlines()[0][:300]})") from exc
            if loose:
                add_ntriples(default, ox.serialize(loose, format=ox.RdfFormat.N_TRIPLES))
            for name, triples in graphs.items():
                doc_id = _identifier(triples, name) or name
                counts[
                    self._add_triples(
                        sorted(triples, key=str), doc_id, content_hash=None, origin=str(path), graph_name=name
                    )
                ] += 1
        else:
            default = load_graph(path, format=fmt)
        parts, rest = split_by_document(default)
        for doc, part in parts.items():
            doc_id = str(part.value(doc, DCTERMS.identifier) or doc)
            counts[self.add_graph(part, doc_id, origin=str(path), graph_name=str(doc))] += 1
        if len(rest):
            doc_id = f"file:{path.name}"
            name = str(POLR[f"import/{slug(path.name)[:60]}-{hashlib.sha1(doc_id.encode()).hexdigest()[:8]}"])
            counts[self.add_graph(rest, doc_id, origin=str(path), graph_name=name)] += 1
        return counts

    # ----------------------------------------------------------------- reading

    def __len__(self) -> int:
        """Triples in the merged view (the default graph)."""
        answer = self.oxigraph.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(next(iter(answer))["n"].value)

    def to_graph(self) -> Graph:
        """The merged view as an rdflib graph (kg's prefixes bound)."""
        self._open()
        g = new_graph()
        data = self.oxigraph.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=_DEFAULT)
        if data:
            add_ntriples(g, data)
        return g

    def query(
        self,
        sparql: str,
        *,
        params: Mapping[str, str] | None = None,
        timeout: float | None = None,
        max_results: int | None = None,
    ) -> QueryResult:
        """Run SPARQL on the merged view (``GRAPH ?g { }`` reaches each document); see :func:`kg.query.run_query`."""
        self._open()
        if not self.read_only:
            self.refresh_summary()
        return run_query(self.oxigraph, sparql, params=params, timeout=timeout, max_results=max_results)

    def write_dataset(self, path: str | os.PathLike, *, format: str | None = None) -> Path:
        """Write every document's named graph, in the order added, as TriG or N-Quads.

        The merged default graph is not written: load the file into a store again
        (:meth:`load_file`) to get it back, identical. ``path`` ``-`` writes to standard
        output. The file is replaced only once it is complete.

        Raises
        ------
        OutputError
            For a format other than TriG and N-Quads, or when the file cannot be written.
        """
        fmt = format or rdf_format_for(path) or ("trig" if str(path) == "-" else None)
        if fmt not in DATASET_FORMATS:
            raise OutputError(f"{path}: a store is written as trig (.trig) or nquads (.nq), not {fmt or 'this'}")
        rows = self.documents()

        def quads():
            for row in rows:
                yield from self.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(row.graph))

        ox_format = DATASET_FORMATS[fmt]
        if str(path) == "-":
            sys.stdout.buffer.write(ox.serialize(quads(), format=ox_format, prefixes=_PREFIX_IRIS))
            sys.stdout.flush()
            return Path("-")
        path = Path(path)
        tmp = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "wb") as f:
                ox.serialize(quads(), f, format=ox_format, prefixes=_PREFIX_IRIS)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
            tmp = None
        except OSError as exc:
            raise OutputError(f"{path}: cannot write the {fmt} output ({exc.strerror or exc})") from exc
        finally:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
        log.info("wrote %s (%s, %d documents)", path, fmt, len(rows))
        return path


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _identifier(triples: list, graph_name: str) -> str | None:
    ident = str(DCTERMS.identifier)
    for t in triples:
        if t.predicate.value == ident and isinstance(t.subject, ox.NamedNode) and t.subject.value == graph_name:
            return t.object.value
    return None


# --------------------------------------------------------------------------- sources


def load_source(path: str | os.PathLike, *, read_only: bool = True) -> Graph | GraphStore:
    """What a command's GRAPH argument names: a store directory, or a graph file.

    A store is opened (read-only unless asked); a TriG or N-Quads file is loaded into a
    store in memory, so that its named graphs merge as in a store; any other graph file
    is read with :func:`kg.graph.load_graph`.

    Raises
    ------
    InputError
        When the path is missing, does not parse, or is a directory that is not a store.
    """
    path = Path(path)
    if is_store(path):
        store = open_store(path, read_only=read_only, create=False)
        if read_only and not store.summary_current:  # made by an older kg, or its writer was killed
            store.close()
            try:
                with open_store(path, create=False):
                    log.info("%s: bringing the summary counts up to date", path)
            except InputError as exc:  # others are reading it: the named queries will say so
                log.warning("%s: the summary counts could not be brought up to date (%s)", path, exc)
            store = open_store(path, read_only=True, create=False)
        return store
    if path.is_dir():
        raise InputError(
            str(path),
            "is a directory but not a kg store (no manifest.sqlite); "
            "give a graph file, or a store made with kg build --store",
        )
    if rdf_format_for(path) in DATASET_FORMATS:
        store = open_store(None)
        store.load_file(path)
        return store
    return load_graph(path)


def as_graph(source: Graph | GraphStore) -> Graph:
    """An rdflib graph of a source from :func:`load_source` (a store's merged view)."""
    return source.to_graph() if isinstance(source, GraphStore) else source


def as_queryable(source: Graph | GraphStore) -> Graph | ox.Store:
    """What :func:`kg.query.run_query` takes for a source from :func:`load_source`."""
    return source.oxigraph if isinstance(source, GraphStore) else source
