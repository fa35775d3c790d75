"""Keeping the merged view of a store right as documents come and go: a property that takes one
value keeps the first document's, and removing a document recomputes what it had set."""

from __future__ import annotations

import logging
import sys
from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from ..curation import is_curation_graph, recompute_merged
from ..errors import InputError
from ..summary import is_summary_graph

try:  # advisory locks; without fcntl (Windows) the store is unguarded
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

from .disk import _ALT, _DEFAULT, _LABEL, SINGLE_VALUED, StoredDocument

log = logging.getLogger(__name__)


class MergedView:
    """The merged-view half of :class:`~kg.store.GraphStore`: what its add and remove methods call."""

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
        recompute_merged(self.oxigraph, s, predicates, order.__getitem__, lambda g: g not in excluded)

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
