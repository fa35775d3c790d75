"""The store itself: :class:`GraphStore`, documents in one on-disk pyoxigraph store, one named
graph each, with a SQLite manifest; and :func:`open_store`."""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ..curation import apply_decisions
from ..entity_curation import apply_entity_decisions, merged_into
from ..errors import InputError, OutputError, StoreError
from ..export import DATASET_FORMATS, split_by_document
from ..graph import (
    TOO_LONG,
    add_extraction,
    add_ntriples,
    document_iri,
    is_too_long,
    load_graph,
    new_graph,
    rdf_format_for,
)
from ..model import Document, DocumentExtraction
from ..outputs import write_atomic
from ..query import QueryResult, run_query
from ..summary import has_summary, mark_stale, summarize
from ..vocab import DCTERMS, POLR, PREFIX_IRIS, slug

try:  # advisory locks; without fcntl (Windows) the store is unguarded
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

from .disk import (
    _DEFAULT,
    _FORMAT,
    _MANIFEST,
    _OXIGRAPH_DIR,
    StoredDocument,
    _graph_hash,
    _lock,
    _ox_triples,
    _unlock,
    document_hash,
    is_store,
)
from .merged import MergedView

log = logging.getLogger(__name__)


class GraphStore(MergedView):
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
        #: Entity merges and splits the last refresh could not apply (:mod:`kg.entity_curation`).
        self.stale_entity_decisions: list = []
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
            order = self._order()

            def entities() -> dict[str, str]:  # kg entities merge|split, once the events' earlier pass is undone
                self.stale_entity_decisions = apply_entity_decisions(self.oxigraph, order=order)
                return merged_into(self.oxigraph)  # corrected actors named before a merge

            self.stale_decisions = apply_decisions(self.oxigraph, order=order, between=entities)  # kg review's
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
            sys.stdout.buffer.write(ox.serialize(quads(), format=ox_format, prefixes=PREFIX_IRIS))
            sys.stdout.flush()
            return Path("-")
        path = write_atomic(
            Path(path), lambda tmp: ox.serialize(quads(), str(tmp), format=ox_format, prefixes=PREFIX_IRIS),
            what=f"{fmt} output",
        )  # fmt: skip
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
