"""The library of named queries (``kg/queries/*.rq``): their headers, parameters and running."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

import pyoxigraph as ox
from rdflib import ConjunctiveGraph, Graph

from .. import vocab
from ..errors import QueryError
from ..graph import new_graph
from ..summary import has_summary, summarize
from .check import _tokens
from .run import QueryResult, run_query, to_store

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
_PARAM_HEADER = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*(\(integer\))?\s*=\s*(.*?)\s*(?:\(default:\s*(.*?)\s*\))?$")


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
    from ..summary import summary_graph

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
