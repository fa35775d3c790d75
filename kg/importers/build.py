"""Imported records into a graph: reading records of any importer, and writing them as the
graph stage writes extracted events."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator

from rdflib import Graph, Literal

from ..errors import InputError
from ..graph import add_extraction, date_literal, document_iri, event_iri, new_graph
from ..vocab import DCTERMS, POL
from .gdelt import _gdelt_file
from .plover import _plover_file
from .records import ErrorHandler, ImportedRecord, ImportReport

log = logging.getLogger(__name__)

# --------------------------------------------------------------------------- the graph


#: Readers of event datasets by name: ``reader(path, report)`` yields records and errors.
IMPORTERS: dict[str, Callable[[str, ImportReport], Iterator[ImportedRecord | InputError]]] = {
    "gdelt": _gdelt_file,
    "plover": _plover_file,
}


def read_records(
    source: str,
    paths: Iterable[str | os.PathLike],
    *,
    skip_bad: bool = False,
    on_error: ErrorHandler | None = None,
    report: ImportReport | None = None,
) -> Iterator[ImportedRecord]:
    """Read the records of an event dataset, one at a time.

    Parameters
    ----------
    source : str
        A name of :data:`IMPORTERS`: ``"gdelt"`` or ``"plover"``.
    paths : iterable of str or os.PathLike
        GDELT 2.0 event exports (tab-separated, plain, ``.zip`` or ``.gz``), or PLOVER
        records (``.jsonl``, or ``.json`` holding an array or one record).
    skip_bad : bool, default False
        Skip bad rows and records instead of raising; each goes to ``report.bad`` and
        ``on_error``.
    on_error : callable, optional
        Called with each skipped :class:`~kg.errors.InputError`.
    report : ImportReport, optional
        Filled in as records are read.

    Returns
    -------
    iterator of ImportedRecord
        The records that become events; those without a PLOVER type or with an
        actor that cannot be resolved are counted in ``report`` instead.

    Raises
    ------
    InputError
        At once for a missing file; while reading, unless ``skip_bad``, for the first
        bad row or record (message: ``file:LINE: problem``).
    ValueError
        For an unknown ``source``.
    """
    reader = IMPORTERS.get(source)
    if reader is None:
        raise ValueError(f"unknown event dataset {source!r}; kg imports {', '.join(sorted(IMPORTERS))}")
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    names = [os.fsdecode(p) for p in paths]
    for name in names:
        if not os.path.isfile(name):
            raise InputError(name, "no such file" if not os.path.exists(name) else "not a file")
    report = report if report is not None else ImportReport(source)
    return _read_records(reader, names, skip_bad, on_error, report)


def _read_records(
    reader: Callable[[str, ImportReport], Iterator[ImportedRecord | InputError]],
    names: list[str],
    skip_bad: bool,
    on_error: ErrorHandler | None,
    report: ImportReport,
) -> Iterator[ImportedRecord]:
    for name in names:
        for item in reader(name, report):
            if isinstance(item, InputError):
                if not skip_bad:
                    raise item
                report.bad.append(item)
                log.debug("skipped %s", item)
                if on_error is not None:
                    on_error(item)
                continue
            yield item


def add_record(g: Graph, record: ImportedRecord) -> Graph:
    """Add one imported record to ``g`` (in place): its extraction, then pol:source and the rest.

    Raises
    ------
    ValueError
        For a record whose date is not an ISO date (readers check dates first).
    """
    add_extraction(g, record.extraction)
    doc_id = record.extraction.document.id
    for event in record.extraction.events:
        node = event_iri(event, doc_id)
        g.add((node, POL.source, Literal(record.source)))
        if record.date and g.value(node, POL.date) is None:
            g.add((node, POL.date, date_literal(record.date)))
        if record.goldstein is not None and g.value(node, POL.goldstein) is None:
            g.add((node, POL.goldstein, Literal(record.goldstein)))
        if record.mode:
            g.add((node, POL.mode, Literal(record.mode)))
    for topic in record.context:
        g.add((document_iri(doc_id), DCTERMS.subject, Literal(topic)))
    return g


def import_events(
    source: str,
    paths: Iterable[str | os.PathLike],
    *,
    skip_bad: bool = False,
    on_error: ErrorHandler | None = None,
    graph: Graph | None = None,
) -> tuple[Graph, ImportReport]:
    """Import an event dataset into a graph: the Python counterpart of ``kg import``.

    Parameters
    ----------
    source : str
        ``"gdelt"`` or ``"plover"`` (see :data:`IMPORTERS`).
    paths
        The files to import (see :func:`read_records`).
    skip_bad, on_error
        As for :func:`read_records`.
    graph : rdflib.Graph, optional
        Add to this graph (for example one built from articles) instead of a new one.

    Returns
    -------
    (rdflib.Graph, ImportReport)
        The graph, and what was read, imported and left out.

    Raises
    ------
    InputError
        As for :func:`read_records`.

    Examples
    --------
    >>> import json, os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "records.jsonl")
    >>> record = {"id": "r1", "event": "CONSULT", "mode": "visit", "date": "2024-11-13",
    ...           "source": [{"actorText": "Kenya", "code": "KEN", "sector": "GOV"}],
    ...           "target": [{"actorText": "Uganda", "code": "UGA"}], "text": "Kenya's president visited Uganda."}
    >>> with open(path, "w", encoding="utf-8") as f:
    ...     _ = f.write(json.dumps(record) + "\\n")
    >>> g, report = import_events("plover", [path])
    >>> report.events
    Counter({'CONSULT': 1})
    >>> from kg.graph import entity_iri
    >>> from kg.vocab import POL
    >>> (entity_iri("government/KEN"), POL.consulted, entity_iri("country/UGA")) in g
    True
    """
    g = graph if graph is not None else new_graph()
    report = ImportReport(source)
    for record in read_records(source, paths, skip_bad=skip_bad, on_error=on_error, report=report):
        add_record(g, record)
        report.events.update(e.type for e in record.extraction.events)
    return g, report


def import_gdelt(paths: Iterable[str | os.PathLike], **options) -> tuple[Graph, ImportReport]:
    """Import GDELT 2.0 event exports: ``import_events("gdelt", paths, ...)``."""
    return import_events("gdelt", paths, **options)


def import_plover(paths: Iterable[str | os.PathLike], **options) -> tuple[Graph, ImportReport]:
    """Import PLOVER/POLECAT JSON records: ``import_events("plover", paths, ...)``.

    A record gives its event type (``event``), and optionally ``id``, ``date``, ``mode``,
    ``context``, ``text``, ``eventText`` (the trigger words), ``modality`` and ``url``.
    Actors are in ``source`` (or ``actors``), recipients in ``target`` (or
    ``recipients``), each a list of ``{"actorText": ..., "code": "GBR", "sector": "GOV"}``
    (``name`` and ``country`` are accepted too), or POLECAT's flat ``actor_name``,
    ``actor_country``, ``actor_sector`` and ``recipient_...`` fields. Codes are CAMEO or
    ISO country codes (``IGO`` for an organisation named by ``actorText``); countries may
    also be given by name.
    """
    return import_events("plover", paths, **options)
