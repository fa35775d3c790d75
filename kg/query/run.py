"""Running SPARQL with pyoxigraph: an rdflib graph or a store in, a :class:`QueryResult` out,
with a time limit and a result limit."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, ConjunctiveGraph, Graph, Literal, URIRef
from rdflib.term import Node

from .. import vocab
from ..errors import QueryError, QueryRefusedError, QueryTimeoutError, ResultLimitError
from ..graph import new_graph
from ..vocab import PREFIX_IRIS
from .check import _check_depth, _substitute, _syntax_error, check_query

log = logging.getLogger(__name__)

_XSD_STRING = str(vocab.XSD.string)
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# --------------------------------------------------------------------------- results


@dataclass
class QueryResult:
    """What a query returned.

    Attributes
    ----------
    kind
        ``"select"``, ``"ask"`` or ``"graph"`` (CONSTRUCT and DESCRIBE).
    variables
        The projected variable names of a SELECT, without ``?``.
    rows
        One tuple per solution, one value per variable: an IRI in full, a literal's
        lexical form, a blank node as ``_:label``, None when unbound. Table output
        compacts IRIs with the known prefixes; csv and json keep them in full.
    terms
        The same solutions as rdflib terms (``URIRef``, ``Literal`` with its datatype or
        language, ``BNode``), for code that needs more than the text.
    boolean
        The answer of an ASK query, else None.
    graph
        The triples of a CONSTRUCT or DESCRIBE query (kg's prefixes bound), else None.

    Notes
    -----
    Terms come back as pyoxigraph stores them: blank nodes get fresh labels, and typed
    literals their canonical form (``"-3.0"^^xsd:decimal`` comes back as ``"-3"``,
    ``"01"^^xsd:integer`` as ``"1"``); equal in value, but not the same rdflib term.
    """

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[str | None, ...]] = field(default_factory=list)
    terms: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None

    def __len__(self) -> int:
        if self.kind == "graph":
            return len(self.graph) if self.graph is not None else 0
        if self.kind == "ask":
            return 1
        return len(self.rows)


def _to_rdflib(term) -> Node | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype in (_XSD_STRING, _RDF_LANGSTRING):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    # RDF-star quoted triples: no rdflib term; keep their text
    return Literal(str(term))


def _plain(term: Node | None) -> str | None:
    if term is None:
        return None
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


# --------------------------------------------------------------------------- running


def to_store(graph: Graph) -> ox.Store:
    """An in-memory pyoxigraph store holding the triples of ``graph``.

    A ``Dataset`` or ``ConjunctiveGraph`` keeps its named graphs. Build the store once
    and pass it to :func:`run_query` to run many queries on a large graph.

    >>> from kg.graph import new_graph
    >>> len(to_store(new_graph()))
    0
    """
    started = time.perf_counter()
    store = ox.Store()
    if isinstance(graph, ConjunctiveGraph):
        data, fmt = graph.serialize(format="nquads", encoding="utf-8"), ox.RdfFormat.N_QUADS
    else:
        data, fmt = graph.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES
    if data.strip():
        try:
            store.bulk_load(data, format=fmt, lenient=True)
        except (SyntaxError, ValueError, OSError) as exc:
            raise QueryError(f"the graph cannot be loaded for querying: {exc}") from exc
    log.debug("loaded %d quads into pyoxigraph in %.3f s", len(store), time.perf_counter() - started)
    return store


def run_query(
    graph: Graph | ox.Store,
    sparql: str,
    *,
    params: Mapping[str, str] | None = None,
    allow_service: bool = False,
    timeout: float | None = None,
    max_results: int | None = None,
    default_graphs: Sequence[str] | None = None,
    named_graphs: Sequence[str] | None = None,
) -> QueryResult:
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE) on ``graph``.

    Parameters
    ----------
    graph
        An rdflib graph (copied into pyoxigraph for the query) or a store made by
        :func:`to_store`.
    sparql
        The query. kg's prefixes (``pol:``, ``polr:``, ``rdfs:``, ``skos:``, ``prov:``,
        ``dcterms:``, ``xsd:``, ``owl:``, ``rdf:``, ``wd:``) need no ``PREFIX`` line.
    params
        Values for ``$name`` placeholders: each ``$name`` token is replaced by the value
        as an escaped string literal (``"..."``), so values cannot inject SPARQL.
        A parameter the query does not use triggers a warning.
    allow_service
        Let ``SERVICE`` clauses fetch data from remote endpoints. Off by default.
    timeout
        Seconds the query may run (evaluation and collecting the results); None for no
        limit. pyoxigraph cannot cancel a query: one that times out is left to finish in
        a background thread, which stops at its next result.
    max_results
        Most rows (SELECT) or triples (CONSTRUCT, DESCRIBE) to accept; None for no limit.
    default_graphs, named_graphs
        IRIs of the graphs that make the query's default graph, and of those ``GRAPH``
        may reach (the SPARQL protocol's ``default-graph-uri`` and ``named-graph-uri``);
        by default the store's default graph, and all its named graphs.

    Returns
    -------
    QueryResult

    Raises
    ------
    QueryError
        When the query does not parse (the message gives line and column in the query
        and shows the line with a caret) or fails while running.
    QueryRefusedError
        When the query uses ``SERVICE`` without ``allow_service`` (nothing is evaluated).
    QueryTimeoutError
        When it runs longer than ``timeout``.
    ResultLimitError
        When it gives more than ``max_results`` results.

    Examples
    --------
    >>> from kg.graph import new_graph
    >>> run_query(new_graph(), "ASK { ?s pol:consulted ?o }").boolean
    False
    """
    if not isinstance(sparql, str) or not sparql.strip():
        raise QueryError("the query is empty: give a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    _check_depth(sparql)
    text, subs = _substitute(sparql, params) if params else (sparql, [])
    if not allow_service:
        text = check_query(text)
    if timeout is not None and not timeout > 0:
        raise QueryError(f"timeout must be a positive number of seconds, not {timeout!r}")
    if max_results is not None and max_results < 0:
        raise QueryError(f"max_results must be 0 or more, not {max_results!r}")
    store = graph if isinstance(graph, ox.Store) else to_store(graph)
    union = isinstance(graph, ConjunctiveGraph)

    dataset: dict[str, object] = {}
    if default_graphs is not None:
        dataset["default_graph"] = [ox.NamedNode(_checked_iri(g)) for g in default_graphs]
    if named_graphs is not None:
        dataset["named_graphs"] = [ox.NamedNode(_checked_iri(g)) for g in named_graphs]

    def evaluate(deadline: float | None) -> QueryResult:
        try:
            answer = store.query(
                text,
                prefixes=PREFIX_IRIS,
                use_default_graph_as_union=union and "default_graph" not in dataset,
                **dataset,
            )
            return _collect(answer, max_results=max_results, deadline=deadline, timeout=timeout)
        except SyntaxError as exc:
            raise _syntax_error(exc, sparql, subs) from exc
        except (OSError, RuntimeError, ValueError, TypeError) as exc:
            if not allow_service and "os error 13" in str(exc):
                raise QueryRefusedError(
                    "the query tried to open a network connection, which kg forbids to queries; "
                    f"federated queries need kg query --allow-service ({exc})",
                    reason="network",
                ) from exc
            raise QueryError(f"the query failed while running: {exc}") from exc

    if not allow_service:  # a second wall: the thread that evaluates cannot open network sockets
        evaluate = _offline(evaluate)
    if timeout is None:
        return evaluate(None)
    return _with_timeout(evaluate, timeout)


def _offline(evaluate):
    from ..sandbox import deny_network, network_wall, run_offline

    if network_wall() is not None:
        return evaluate

    def offline(deadline: float | None) -> QueryResult:
        if threading.current_thread().name == "kg-query":  # already a thread of its own, ended after
            deny_network()
            return evaluate(deadline)
        return run_offline(evaluate, deadline)

    return offline


def _checked_iri(iri: str) -> str:
    try:
        ox.NamedNode(iri)
    except ValueError as exc:
        raise QueryError(f"graph name {iri!r} is not an IRI ({exc})") from exc
    return iri


def _timeout_error(timeout: float) -> QueryTimeoutError:
    return QueryTimeoutError(
        f"the query ran longer than its time limit of {timeout:g} s; narrow it (a LIMIT, a "
        "FILTER on a type, entity or date, fewer unbound patterns) or raise the limit",
        timeout,
    )


def _with_timeout(evaluate, timeout: float) -> QueryResult:
    """Run ``evaluate(deadline)`` in a daemon thread; give up waiting after ``timeout`` s.

    pyoxigraph releases the GIL while it evaluates, so the wait ends on time; the thread
    itself cannot be stopped and finishes (or hits the deadline at its next row) alone.
    """
    deadline = time.monotonic() + timeout
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["result"] = evaluate(deadline)
        except BaseException as exc:  # handed to the caller's thread
            # pyoxigraph's result iterators must be dropped on the thread that made them:
            # free the frames that hold one before the exception leaves this thread
            from ..sandbox import clear_frames

            clear_frames(exc)
            outcome["error"] = exc

    worker = threading.Thread(target=target, name="kg-query", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        log.warning("query abandoned after %g s; it keeps running in the background until it ends", timeout)
        raise _timeout_error(timeout)
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["result"]  # type: ignore[return-value]


def _limited(items, max_results: int | None, deadline: float | None, timeout: float | None, what: str):
    for n, item in enumerate(items, 1):
        if max_results is not None and n > max_results:
            raise ResultLimitError(
                f"the query gives more than {max_results:,} {what}, the limit; add LIMIT {max_results} "
                "or narrow the query, or raise the limit",
                max_results,
            )
        if deadline is not None and time.monotonic() > deadline:
            raise _timeout_error(timeout or 0.0)
        yield item


def _collect(
    answer,
    *,
    max_results: int | None = None,
    deadline: float | None = None,
    timeout: float | None = None,
) -> QueryResult:
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult(kind="ask", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        variables = [v.value for v in answer.variables]
        solutions = _limited(answer, max_results, deadline, timeout, "rows")
        terms = [tuple(_to_rdflib(solution[v]) for v in variables) for solution in solutions]
        rows = [tuple(_plain(t) for t in row) for row in terms]
        return QueryResult(kind="select", variables=variables, rows=rows, terms=terms)
    g = new_graph()
    for triple in _limited(answer, max_results, deadline, timeout, "triples"):
        g.add((_to_rdflib(triple.subject), _to_rdflib(triple.predicate), _to_rdflib(triple.object)))
    return QueryResult(kind="graph", graph=g)
