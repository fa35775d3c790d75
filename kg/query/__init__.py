"""The query stage: SPARQL over a kg graph, evaluated by pyoxigraph, with readable results.

One module per job: :mod:`~kg.query.check` (what a query may do, checked before it runs),
:mod:`~kg.query.run` (running it), :mod:`~kg.query.formats` (every result format, for
``kg query`` and ``kg serve`` alike) and :mod:`~kg.query.named` (the named queries).

:func:`run_query` loads an rdflib graph into an in-memory pyoxigraph store (serialised
as N-Triples and bulk-loaded: measured about 1.4 times faster than converting terms one
by one in Python) and runs a SELECT, ASK, CONSTRUCT or DESCRIBE query on it. The
prefixes of :data:`kg.vocab.PREFIXES` (``pol:``, ``polr:``, ``rdfs:``, ``skos:`` ...) are
available without ``PREFIX`` lines; a query's own ``PREFIX`` declaration wins. They are
passed to the parser rather than prepended, so error positions are those of the query
as written.

Parameters are substituted, never pasted: each ``$name`` token (outside strings, IRIs
and comments) is replaced by the value as an escaped SPARQL string literal, so a value
can never change the structure of the query. ``?name`` stays an ordinary variable.

``SERVICE`` (federated query) is refused unless ``allow_service=True``: pyoxigraph
would otherwise send requests to any host the query names.

Limits: ``timeout`` (seconds) and ``max_results`` (rows or triples) stop a query that
runs too long or answers too much, with :class:`QueryTimeoutError` or
:class:`ResultLimitError`. pyoxigraph cannot cancel a running query, so a timed-out
query is abandoned in a background thread that finishes on its own (it stops at its
next result row; an aggregate or sort over everything runs to its end). Where a query
must really be stopped, run it in a process that can be killed, as :mod:`kg.serve` does.

A library of named queries lives in ``kg/queries/*.rq``; see :func:`named_queries`.

Examples
--------
>>> from kg.graph import new_graph
>>> from kg.vocab import POLR, POL, RDF, RDFS
>>> from rdflib import Literal
>>> g = new_graph()
>>> g.add((POLR["country/ATL"], RDF.type, POL.Country))  # doctest: +ELLIPSIS
<Graph ...>
>>> g.add((POLR["country/ATL"], RDFS.label, Literal("Atlantis")))  # doctest: +ELLIPSIS
<Graph ...>
>>> result = run_query(g, "SELECT ?c ?label WHERE { ?c a pol:Country ; rdfs:label ?label }")
>>> result.rows
[('https://w3id.org/polkg/id/country/ATL', 'Atlantis')]
>>> print(format_result(result))
c                  label
-----------------  --------
polr:country\\/ATL  Atlantis
(1 row)
"""

from __future__ import annotations

from .check import MAX_QUERY_DEPTH, check_query, query_depth, sparql_literal, uses_service
from .formats import (
    GRAPH_FORMATS,
    GRAPH_TYPES,
    RESULT_FORMATS,
    TABLE_FORMATS,
    TABLE_TYPES,
    format_result,
    negotiate,
    results_xml,
)
from .named import NamedQuery, QueryParam, is_query_name, load_named_query, named_queries, run_named_query
from .run import QueryRefusedError, QueryResult, QueryTimeoutError, ResultLimitError, run_query, to_store

__all__ = [
    "QueryResult",
    "QueryRefusedError",
    "QueryTimeoutError",
    "ResultLimitError",
    "NamedQuery",
    "QueryParam",
    "RESULT_FORMATS",
    "TABLE_FORMATS",
    "GRAPH_FORMATS",
    "TABLE_TYPES",
    "GRAPH_TYPES",
    "run_query",
    "run_named_query",
    "format_result",
    "negotiate",
    "results_xml",
    "named_queries",
    "load_named_query",
    "is_query_name",
    "to_store",
    "sparql_literal",
    "uses_service",
    "check_query",
    "query_depth",
    "MAX_QUERY_DEPTH",
]
