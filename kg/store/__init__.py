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

The package: :mod:`~kg.store.disk` (files, hashes, locks), :mod:`~kg.store.graphstore`
(:class:`GraphStore`, :func:`open_store`), :mod:`~kg.store.merged` (keeping the merged view
right), :mod:`~kg.store.sources` (a graph file or a store, wherever a command reads one).
"""

from __future__ import annotations

from .disk import SINGLE_VALUED, StoredDocument, document_hash, is_store
from .graphstore import GraphStore, open_store
from .sources import as_graph, as_queryable, load_source, opened_source, read_graph

__all__ = [
    "GraphStore",
    "StoredDocument",
    "open_store",
    "is_store",
    "load_source",
    "as_graph",
    "as_queryable",
    "opened_source",
    "read_graph",
    "document_hash",
    "SINGLE_VALUED",
]
