"""A graph file or a store, wherever a command reads one."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ..errors import InputError
from ..export import DATASET_FORMATS
from ..graph import (
    load_graph,
    rdf_format_for,
)

try:  # advisory locks; without fcntl (Windows) the store is unguarded
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

from .disk import is_store
from .graphstore import GraphStore, open_store

log = logging.getLogger(__name__)


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


@contextlib.contextmanager
def opened_source(path: str | os.PathLike) -> Iterator[Graph | GraphStore]:
    """:func:`load_source` for the length of a ``with`` block: a store is closed (its lock let go)
    at the end, so a later write to it in the same process is not refused."""
    source = load_source(path)
    try:
        yield source
    finally:
        if isinstance(source, GraphStore):
            source.close()


def read_graph(path: str | os.PathLike) -> Graph:
    """The rdflib graph a GRAPH argument names: a graph file, or a store's merged view (the
    store closed again at once)."""
    with opened_source(path) as source:
        return as_graph(source)


def as_graph(source: Graph | GraphStore) -> Graph:
    """An rdflib graph of a source from :func:`load_source` (a store's merged view)."""
    return source.to_graph() if isinstance(source, GraphStore) else source


def as_queryable(source: Graph | GraphStore) -> Graph | ox.Store:
    """What :func:`kg.query.run_query` takes for a source from :func:`load_source`."""
    return source.oxigraph if isinstance(source, GraphStore) else source
