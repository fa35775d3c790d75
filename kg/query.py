"""The query stage: SPARQL over a kg graph, evaluated by pyoxigraph, with readable results.

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

import csv
import difflib
import functools
import io
import json
import logging
import re
import sys
import threading
import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources

import pyoxigraph as ox
from rdflib import BNode, ConjunctiveGraph, Graph, Literal, URIRef
from rdflib.term import Node

from . import vocab
from .errors import QueryError, QueryRefusedError, QueryTimeoutError, ResultLimitError
from .graph import new_graph
from .summary import has_summary, summarize
from .vocab import PREFIX_IRIS, PREFIXES

__all__ = [
    "QueryResult",
    "QueryRefusedError",
    "QueryTimeoutError",
    "ResultLimitError",
    "NamedQuery",
    "QueryParam",
    "RESULT_FORMATS",
    "run_query",
    "run_named_query",
    "format_result",
    "named_queries",
    "load_named_query",
    "to_store",
    "sparql_literal",
    "uses_service",
    "check_query",
    "query_depth",
    "MAX_QUERY_DEPTH",
]

log = logging.getLogger(__name__)

#: Output formats of :func:`format_result`: for SELECT/ASK results, and for graph results.
TABLE_FORMATS = ("table", "csv", "tsv", "json")
GRAPH_FORMATS = {"turtle": "turtle", "nt": "nt", "json-ld": "json-ld", "xml": "xml"}
RESULT_FORMATS = TABLE_FORMATS + tuple(GRAPH_FORMATS)

_XSD_STRING = str(vocab.XSD.string)
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


# --------------------------------------------------------------------------- errors





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


# --------------------------------------------------------------------------- tokens

_STRING = (
    r'"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""'
    r"|'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
)
_TOKEN = re.compile(
    rf"""
    (?P<comment>\#[^\n\r]*)
    |(?P<string>{_STRING})
    |(?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
    |(?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
    |(?P<word>[\w:][\w\-.:]*)
    |(?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_PARAM_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _tokens(sparql: str):
    """(kind, text, start) for each token; strings, IRIs and comments are single tokens."""
    for m in _TOKEN.finditer(sparql):
        if m.lastgroup == "other" and m.group().isspace():
            continue
        yield m.lastgroup, m.group(), m.start()


def _uses_service(sparql: str) -> bool:
    try:
        check_query(sparql)
    except QueryRefusedError:
        return True
    return False


def uses_service(sparql: str) -> bool:
    """Whether kg refuses a query for ``SERVICE``: found in the parsed query, or not ruled out.

    This is the decision :func:`run_query` makes before evaluating anything
    (:func:`check_query` says why); a server can make it before handing the query on.

    >>> uses_service('SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }')
    True
    >>> uses_service('SELECT * { ?s rdfs:label "SERVICE" }  # no SERVICE here')
    False
    >>> uses_service('SELECT * { ?s ?p 0.SERVICE <http://example.org/sparql> { ?s ?p ?o } }')
    True
    """
    return _uses_service(sparql)


#: The deepest nesting of brackets (``{``, ``(``, ``[``) a query may have. Deeper ones are
#: refused before any parser reads them: a few thousand levels crash Oxigraph's parser.
MAX_QUERY_DEPTH = 100
#: Stack of the thread that parses a query with rdflib (a recursive-descent parser).
_PARSE_STACK = 64 * 2**20
_PARSE_RECURSION = 8_000
_OPENERS = {"{": 1, "(": 1, "[": 1, "}": -1, ")": -1, "]": -1}
_SERVICE_LETTERS = re.compile("service", re.IGNORECASE)


def query_depth(sparql: str) -> int:
    """The deepest nesting of brackets in ``sparql``, counted over every character (strings too).

    >>> query_depth("SELECT * { { ?s ?p ?o } FILTER((1)) }")
    3
    """
    brackets = _NOT_BRACKET.sub("", sparql)
    if len(brackets) < 4096:
        depth = deepest = 0
        for char in brackets:
            depth = max(depth + _OPENERS[char], 0)
            deepest = max(deepest, depth)
        return deepest
    # a long run: the depth that never goes below 0 is the running sum less its running minimum
    import numpy as np

    steps = _steps()[np.frombuffer(brackets.encode("ascii"), dtype=np.uint8)]
    sums = np.cumsum(steps)
    floor = np.minimum(np.minimum.accumulate(sums), 0)
    return int((sums - floor).max())


_NOT_BRACKET = re.compile(r"[^{}()\[\]]+")


@functools.cache
def _steps():
    """The +1 / -1 of each byte (0 for all but brackets), for :func:`query_depth`."""
    import numpy as np

    table = np.zeros(256, dtype=np.int64)
    for char, step in _OPENERS.items():
        table[ord(char)] = step
    return table


def _check_depth(sparql: str) -> None:
    depth = query_depth(sparql)
    if depth > MAX_QUERY_DEPTH:
        raise QueryError(
            f"the query nests brackets {depth} deep; kg reads queries nested at most {MAX_QUERY_DEPTH} deep "
            "(count of open '{', '(' and '[', strings included): flatten it"
        )


def _expand_escapes(sparql: str) -> str:
    """``\\uXXXX`` and ``\\UXXXXXXXX`` escapes replaced by their characters, as SPARQL reads them.

    Both parsers then read the same characters: rdflib expands escapes before it parses,
    Oxigraph only inside IRIs and strings.
    """
    if "\\u" not in sparql and "\\U" not in sparql:
        return sparql
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes

    try:
        return expandUnicodeEscapes(sparql)
    except ValueError as exc:
        raise QueryError(f"invalid SPARQL: {exc}") from exc


def _has_service(node) -> bool:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            if item.name == "ServiceGraphPattern":
                return True
            stack.extend(item.values())
        elif isinstance(item, list | tuple | ParseResults):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
    return False


def _rdflib_parse(sparql: str):
    """rdflib's parse tree of ``sparql`` (a SyntaxError-like exception when it has none).

    Parsed in a thread with a large stack: rdflib's parser recurses some 25 frames per
    level of nesting.
    """
    from rdflib.plugins.sparql.parser import parseQuery

    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["tree"] = parseQuery(sparql)
        except BaseException as exc:  # handed to the caller
            outcome["error"] = exc

    with _PARSE_LOCK:  # the recursion limit is the interpreter's: raised only while rdflib parses
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, _PARSE_RECURSION))
        size = threading.stack_size(_PARSE_STACK)
        try:
            thread = threading.Thread(target=target, name="kg-parse", daemon=True)
            thread.start()
        finally:
            threading.stack_size(size)
        try:
            thread.join()
        finally:
            sys.setrecursionlimit(limit)
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["tree"]


_PARSE_LOCK = threading.Lock()


def check_query(sparql: str) -> str:
    """The text to evaluate, once ``sparql`` is known to send no request elsewhere; else an error.

    A query that has no ``SERVICE`` pattern passes. The decision is made on a real parse
    (rdflib's SPARQL parser), never on a scan of tokens: a query in which rdflib's parse
    tree has a ``ServiceGraphPattern`` is refused, and so is a query rdflib cannot parse
    at all, since nothing then rules SERVICE out. A query whose text does not have the
    letters s, e, r, v, i, c, e in that order at all (after escapes are expanded) cannot
    have the keyword, and is passed without the parse. ``\\u`` escapes are expanded in
    the text returned, so that Oxigraph evaluates the very characters rdflib read.

    Raises
    ------
    QueryRefusedError
        With ``reason`` ``"service"`` (rdflib found SERVICE) or ``"unparsed"`` (rdflib
        cannot parse the query).
    QueryError
        When the query nests too deep (:data:`MAX_QUERY_DEPTH`) or has a bad escape.

    >>> check_query("ASK { ?s ?p ?o }")
    'ASK { ?s ?p ?o }'
    """
    _check_depth(sparql)
    text = _expand_escapes(sparql)
    if not _SERVICE_LETTERS.search(text):
        return text
    try:
        tree = _rdflib_parse(text)
    except Exception as exc:
        where = getattr(exc, "lineno", None), getattr(exc, "col", None)
        at = f" at line {where[0]}, column {where[1]}" if None not in where else ""
        raise QueryRefusedError(
            f"the query mentions 'service', and rdflib's SPARQL parser, which kg uses to rule SERVICE out "
            f"before anything is evaluated, cannot read it{at} ({getattr(exc, 'msg', None) or _first_line(exc)}). "
            "If the query is valid "
            "SPARQL (Oxigraph accepts some SPARQL 1.1 and 1.2 that rdflib's parser does not, such as "
            "escaped characters in some prefixed names, or triple terms), rewrite that part, or skip the "
            "check with kg query --allow-service (allow_service=True in Python), which also allows SERVICE",
            reason="unparsed",
        ) from None
    if _has_service(tree):
        raise QueryRefusedError(
            "the query uses SERVICE, which would send requests to another server; "
            "remove it, or allow federated queries explicitly "
            "(kg query --allow-service, or allow_service=True in Python)",
            reason="service",
        )
    return text


def _first_line(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deep for it"
    lines = str(exc).strip().splitlines()
    text = lines[0] if lines else type(exc).__name__
    return text if len(text) <= 200 else text[:199] + "…"


def sparql_literal(value: str) -> str:
    """``value`` as a SPARQL string literal, escaped so that it stays one literal.

    >>> print(sparql_literal('say "hi"\\n'))
    "say \\"hi\\"\\n"
    """
    out = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return f'"{out}"'


@dataclass(frozen=True)
class _Substitution:
    line: int  # 1-based line of the query
    new_col: int  # 1-based column where the literal starts in the substituted text
    new_len: int
    old_col: int
    old_len: int


def _substitute(sparql: str, params: Mapping[str, str]) -> tuple[str, list[_Substitution]]:
    for name in params:
        if not _PARAM_NAME.match(name):
            raise QueryError(f"parameter name {name!r} is not usable: use letters, digits and _ (like $entity)")
    parts: list[str] = []
    subs: list[_Substitution] = []
    used: set[str] = set()
    pos = 0
    shift: dict[int, int] = {}  # line -> columns added so far on that line
    for kind, text, start in _tokens(sparql):
        if kind != "var" or text[0] != "$" or text[1:] not in params:
            continue
        name = text[1:]
        literal = sparql_literal(str(params[name]))
        line = sparql.count("\n", 0, start) + 1
        col = start - (sparql.rfind("\n", 0, start) + 1) + 1
        subs.append(_Substitution(line, col + shift.get(line, 0), len(literal), col, len(text)))
        shift[line] = shift.get(line, 0) + len(literal) - len(text)
        parts.append(sparql[pos:start])
        parts.append(literal)
        pos = start + len(text)
        used.add(name)
    parts.append(sparql[pos:])
    unused = sorted(set(params) - used)
    if unused:
        warnings.warn(
            f"query parameter(s) {', '.join(unused)} not used: the query has no {', '.join('$' + n for n in unused)}",
            stacklevel=3,
        )
    return "".join(parts), subs


def _shift_back(line: int, col: int, subs: list[_Substitution]) -> int:
    delta = 0
    for sub in (s for s in subs if s.line == line):
        if col >= sub.new_col + sub.new_len:
            delta += sub.new_len - sub.old_len
        elif col >= sub.new_col:
            return sub.old_col
    return col - delta


# --------------------------------------------------------------------------- errors

_ERROR_AT = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)


def _problem_text(message: str, source_line: str, col: int) -> str:
    message = message.strip()
    if "Prefix not found" in message:
        before = source_line[: max(col - 1, 0)]
        m = re.search(r"([\w\-.]*):[\w\-.:%\\]*$", before)
        name = f"'{m.group(1)}:'" if m else "a prefix"
        known = ", ".join(sorted(PREFIXES))
        return f"unknown prefix {name}: declare it with PREFIX, or use one of {known}"
    if message.startswith("expected one of "):
        items = [i.strip() for i in message[len("expected one of ") :].split(", ")]
        words = [i for i in items if " " in i and i[:1] not in "[\"'"]
        if words:
            return words[0][:1].lower() + words[0][1:]
    message = " ".join(message.split())
    return message if len(message) <= 200 else message[:199] + "…"


def _syntax_error(exc: SyntaxError, original: str, subs: list[_Substitution]) -> QueryError:
    message = str(exc)
    m = _ERROR_AT.match(message)
    if not m:
        return QueryError(f"invalid SPARQL: {message}")
    line, col = int(m.group(1)), int(m.group(2))
    col = _shift_back(line, col, subs)
    lines = original.split("\n")
    source_line = lines[line - 1].rstrip("\r") if 0 < line <= len(lines) else ""
    problem = _problem_text(m.group(3), source_line, col)
    caret = "".join(c if c == "\t" else " " for c in source_line[: col - 1]) + "^"
    err = QueryError(f"invalid SPARQL at line {line}, column {col}: {problem}\n    {source_line}\n    {caret}")
    err.line, err.column = line, col
    return err


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
    from .sandbox import deny_network, network_wall, run_offline

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
            from .sandbox import clear_frames

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


# --------------------------------------------------------------------------- formatting


#: Characters a prefixed name's local part may hold only escaped (SPARQL 1.1 PN_LOCAL_ESC).
_LOCAL_ESCAPES = set("_~.-!$&'()*+,;=/?#@%")
_HEX = set("0123456789abcdefABCDEF")


def _local_part(local: str) -> str | None:
    """``local`` written as the local part of a SPARQL prefixed name, escaping what must be
    escaped (``person\\/helena-varga``); None if it cannot be one."""
    out = []
    for i, c in enumerate(local):
        if c.isalnum() or c in "_:" or (c == "-" and i > 0) or (c == "." and 0 < i < len(local) - 1):
            out.append(c)
        elif c == "%" and len(local) > i + 2 and local[i + 1] in _HEX and local[i + 2] in _HEX:
            out.append(c)
        elif c in _LOCAL_ESCAPES:
            out.append("\\" + c)
        else:
            return None
    return "".join(out)


def _compact(iri: str) -> str:
    """An IRI as SPARQL (and Turtle) read it: a prefixed name of kg's prefixes when it is one
    (``polr:person\\/helena-varga``, the ``/`` escaped), else in full (``<...>``)."""
    best = ""
    for prefix, ns in PREFIX_IRIS.items():
        if iri.startswith(ns) and len(iri) > len(ns) and len(ns) > len(PREFIX_IRIS.get(best, "")):
            best = prefix
    local = _local_part(iri[len(PREFIX_IRIS[best]) :]) if best else None
    return f"{best}:{local}" if local is not None else f"<{iri}>"


def _cell(term: Node | None, max_width: int) -> str:
    if term is None:
        text = ""
    elif isinstance(term, URIRef):
        return _compact(str(term))  # whole, never shortened: it can be pasted into a query
    elif isinstance(term, BNode):
        text = f"_:{term}"
    else:
        text = str(term)
    text = " ".join(text.split()) if any(c in text for c in "\n\r\t") else text
    return text if len(text) <= max_width else text[: max_width - 1] + "…"


def _table(result: QueryResult, max_width: int) -> str:
    header = list(result.variables)
    body = [[_cell(t, max_width) for t in row] for row in result.terms]
    widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in body]
    n = len(body)
    lines.append(f"({n} row{'' if n == 1 else 's'})")
    return "\n".join(lines)


def _csv(result: QueryResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()


def _tsv_term(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    text = sparql_literal(str(term))
    if term.language:
        return f"{text}@{term.language}"
    if term.datatype is not None and str(term.datatype) != _XSD_STRING:
        return f"{text}^^<{term.datatype}>"
    return text


def _tsv(result: QueryResult) -> str:
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join(_tsv_term(t) for t in row) for row in result.terms]
    return "\n".join(lines) + "\n"


def _json_term(term: Node) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype is not None and str(term.datatype) != _XSD_STRING:
        out["datatype"] = str(term.datatype)
    return out


def _json(result: QueryResult) -> str:
    if result.kind == "ask":
        doc: dict = {"head": {}, "boolean": bool(result.boolean)}
    else:
        bindings = [
            {v: _json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
            for row in result.terms
        ]
        doc = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def format_result(result: QueryResult, fmt: str = "table", *, max_width: int = 60) -> str:
    """Render a query result as text.

    Parameters
    ----------
    result
        From :func:`run_query`.
    fmt
        For SELECT and ASK: ``table`` (aligned columns, IRIs as prefixed names, values
        longer than ``max_width`` cut with …), ``csv`` (SPARQL 1.1 CSV: full IRIs,
        lexical forms, CRLF line ends), ``tsv`` (SPARQL 1.1 TSV: terms in Turtle syntax)
        or ``json`` (SPARQL 1.1 Query Results JSON). For CONSTRUCT and DESCRIBE:
        ``turtle`` (also what ``table`` gives), ``nt``, ``json-ld`` (also for ``json``)
        or ``xml``. An ASK answer prints as ``true`` or ``false`` except in json.
    max_width
        Longest cell of a table, in characters.

    Returns
    -------
    str
        Plain text; no terminal needed.

    Raises
    ------
    QueryError
        For an unknown format, or one that does not fit the kind of result.
    """
    if fmt not in RESULT_FORMATS:
        raise QueryError(f"unknown result format {fmt!r}: choose one of {', '.join(RESULT_FORMATS)}")
    if result.kind == "graph":
        if fmt == "table":
            fmt = "turtle"
        elif fmt == "json":
            fmt = "json-ld"
        if fmt not in GRAPH_FORMATS:
            raise QueryError(
                f"result format {fmt!r} is for SELECT and ASK results; the triples of a CONSTRUCT "
                f"or DESCRIBE query can be written as {', '.join(GRAPH_FORMATS)}"
            )
        graph = result.graph if result.graph is not None else new_graph()
        return graph.serialize(format=GRAPH_FORMATS[fmt])
    if fmt in GRAPH_FORMATS:
        raise QueryError(
            f"result format {fmt!r} is for CONSTRUCT and DESCRIBE results; a {result.kind.upper()} "
            f"result can be written as {', '.join(TABLE_FORMATS)}"
        )
    if fmt == "json":
        return _json(result)
    if result.kind == "ask":
        return "true\n" if result.boolean else "false\n"
    if fmt == "csv":
        return _csv(result)
    if fmt == "tsv":
        return _tsv(result)
    return _table(result, max_width)


# --------------------------------------------------------------------------- named queries


@dataclass(frozen=True)
class QueryParam:
    """A parameter of a named query: ``$name`` in its text; required when ``default`` is None.

    A string parameter becomes an escaped string literal; an ``integer`` one (a row
    limit, say) a whole number of 1 or more, checked before it is put in.
    """

    name: str
    description: str
    default: str | None = None
    integer: bool = False

    @property
    def required(self) -> bool:
        return self.default is None

    @property
    def entity(self) -> bool:
        """Whether the parameter names an entity (by label or alternative label, any case)."""
        return self.description.startswith("label or alternative label")


@dataclass(frozen=True)
class NamedQuery:
    """A query of the library in ``kg/queries``: its name, header and SPARQL text."""

    name: str
    title: str
    description: str
    params: tuple[QueryParam, ...]
    sparql: str

    def bind(self, params: Mapping[str, str] | None = None) -> dict[str, str]:
        """The parameter values to run with: ``params`` checked and defaults filled in.

        Raises
        ------
        QueryError
            For a parameter the query does not have, or a required one that is missing.
        """
        params = dict(params or {})
        known = {p.name for p in self.params}
        unknown = sorted(set(params) - known)
        if unknown:
            accepted = ", ".join(sorted(known)) or "none"
            raise QueryError(f"named query {self.name!r} has no parameter {', '.join(unknown)}; it accepts: {accepted}")
        out: dict[str, str] = {}
        for p in self.params:
            if p.name in params:
                out[p.name] = params[p.name]
            elif p.default is not None:
                out[p.name] = p.default
            else:
                raise QueryError(
                    f"named query {self.name!r} needs parameter {p.name!r} ({p.description}): give it as {p.name}=VALUE"
                )
            if p.integer and not (str(out[p.name]).strip().isdigit() and int(out[p.name]) >= 1):
                raise QueryError(
                    f"parameter {p.name!r} of named query {self.name!r} ({p.description}) "
                    f"must be a whole number of 1 or more, not {out[p.name]!r}"
                )
        return out

    def text(self, params: Mapping[str, str]) -> tuple[str, dict[str, str]]:
        """The SPARQL with the integer parameters put in, and the string parameters left to bind.

        ``params`` are values from :meth:`bind`.
        """
        integers = {p.name: str(int(params[p.name])) for p in self.params if p.integer and p.name in params}
        if not integers:
            return self.sparql, dict(params)
        parts: list[str] = []
        pos = 0
        for kind, token, start in _tokens(self.sparql):
            if kind == "var" and token[0] == "$" and token[1:] in integers:
                parts += [self.sparql[pos:start], integers[token[1:]]]
                pos = start + len(token)
        parts.append(self.sparql[pos:])
        return "".join(parts), {k: v for k, v in params.items() if k not in integers}


_HEADER = re.compile(r"^#\s*(title|description|param)\s*:\s*(.*?)\s*$")
_PARAM_HEADER = re.compile(
    r"^([A-Za-z_][A-Za-z0-9_]*)\s*(\(integer\))?\s*=\s*(.*?)\s*(?:\(default:\s*(.*?)\s*\))?$"
)


def _parse_named(name: str, text: str) -> NamedQuery:
    title = description = ""
    params: list[QueryParam] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        m = _HEADER.match(stripped)
        if not m:
            continue
        key, value = m.groups()
        if key == "title":
            title = value
        elif key == "description":
            description = f"{description} {value}".strip()
        else:
            pm = _PARAM_HEADER.match(value)
            if not pm:
                raise QueryError(f"named query {name!r}: cannot read the header line {stripped!r}")
            pname, integer, pdesc, default = pm.groups()
            if default is not None and default.lower() == "none":
                default = None
            params.append(QueryParam(pname, pdesc, default, integer=integer is not None))
    return NamedQuery(name, title or name, description, tuple(params), text)


def named_queries() -> dict[str, NamedQuery]:
    """The library of named queries (``kg/queries/*.rq``), by name.

    >>> sorted(named_queries())[:3]
    ['conflict-cooperation-balance', 'entity-timeline', 'events-by-type-and-month']
    """
    out: dict[str, NamedQuery] = {}
    for entry in sorted(resources.files("kg.queries").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name[: -len(".rq")]
            out[name] = _parse_named(name, entry.read_text(encoding="utf-8"))
    return out


def load_named_query(name: str) -> NamedQuery:
    """One named query.

    Raises
    ------
    QueryError
        When there is no query of that name; the message lists those there are.

    >>> load_named_query("who-met-whom").title
    'Who met whom'
    """
    queries = named_queries()
    if name not in queries:
        close = difflib.get_close_matches(name.lower(), list(queries), n=3, cutoff=0.75)
        if close:
            raise QueryError(f"no named query {name!r}; did you mean {' or '.join(close)}? (kg query --list)")
        raise QueryError(f"no named query {name!r}: choose one of {', '.join(queries)}")
    return queries[name]


_SPARQL_WORDS = {"select", "ask", "construct", "describe", "prefix", "base", "with", "insert", "delete"}


def is_query_name(text: str) -> bool:
    """Whether ``text`` is meant as the name of a named query rather than SPARQL: one word of
    letters, digits, ``-`` and ``_`` that is no SPARQL keyword.

    >>> is_query_name("who-met-who"), is_query_name("SELECT * WHERE { ?s ?p ?o }")
    (True, False)
    """
    word = text.strip()
    return re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", word) is not None and word.lower() not in _SPARQL_WORDS


def run_named_query(
    graph: Graph | ox.Store,
    query: str | NamedQuery,
    *,
    params: Mapping[str, str] | None = None,
    timeout: float | None = None,
    max_results: int | None = None,
) -> QueryResult:
    """Run a named query (by name or as loaded) with its parameters checked.

    The named queries read the counts of :mod:`kg.summary`: an rdflib graph gets them
    when it is copied into pyoxigraph, and a pyoxigraph store that has none gets them
    here (a store kept by :class:`kg.store.GraphStore` keeps its own up to date).
    ``timeout`` and ``max_results`` are as in :func:`run_query`.

    Raises
    ------
    QueryError
        For an unknown query, an unknown or missing parameter, a failed run, or a
        read-only store without a summary.
    """
    named = load_named_query(query) if isinstance(query, str) else query
    entity_params = {p.name for p in named.params if p.entity}
    params = {k: v.strip() if k in entity_params else v for k, v in (params or {}).items()}
    sparql, values = named.text(named.bind(params))
    if isinstance(graph, ox.Store):
        store = graph
        if not has_summary(store):
            try:
                summarize(store)
            except (OSError, RuntimeError) as exc:  # a read-only store
                raise QueryError(
                    "named queries read the summary counts kg keeps beside the graph, and this store has none "
                    f"and cannot be written ({exc}); open it once for writing (kg.store.open_store) to add them"
                ) from exc
    else:
        if isinstance(graph, ConjunctiveGraph):  # the counts are of the merged view
            merged = new_graph()
            merged += graph
            graph = merged
        store = to_store(graph)
        summarize(store)
    for p in named.params:
        if p.entity and p.name in values:
            _check_entity_name(store, named, p, values[p.name])
    return run_query(store, sparql, params=values, timeout=timeout, max_results=max_results)


def _check_entity_name(store: ox.Store, named: NamedQuery, param: QueryParam, name: str) -> None:
    """Raise a QueryError listing close names when no entity has ``name`` as its label or an
    alternative label (in any case): the query would answer no rows, silently."""
    from .summary import summary_graph

    names = ox.NamedNode(summary_graph("names"))
    key = ox.NamedNode(str(vocab.POL.nameKey))
    if next(iter(store.quads_for_pattern(None, key, ox.Literal(name.lower()), names)), None) is not None:
        return
    labels = run_query(store, "SELECT DISTINCT ?name WHERE { ?e rdfs:label|skos:altLabel ?name }")
    known = sorted({str(row[0]) for row in labels.terms if row[0] is not None})
    folded: dict[str, str] = {}
    for label in known:
        folded.setdefault(label.casefold(), label)
    words = set(name.casefold().split())
    shared = {k: len(words & set(k.split())) for k in folded}
    containing = [folded[k] for k in sorted(folded, key=lambda k: (-shared[k], k)) if shared[k]]
    close = containing + [folded[k] for k in difflib.get_close_matches(name.casefold(), list(folded), n=5, cutoff=0.6)]
    close = list(dict.fromkeys(close))[:6]
    hint = (
        f"; close names: {', '.join(repr(c) for c in close)}"
        if close
        else "; list the actors with the named query most-active-actors"
    )
    raise QueryError(
        f"no entity named {name!r} (label or alternative label, any case) for parameter {param.name!r} "
        f"of named query {named.name!r}{hint}"
    )
