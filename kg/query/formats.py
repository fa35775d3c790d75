"""Query results as text: every format ``kg query`` prints and ``kg serve`` answers with, and the
content negotiation that picks one from an ``Accept`` header."""

from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..errors import QueryError
from ..graph import new_graph
from ..vocab import PREFIX_IRIS
from .check import sparql_literal
from .run import _XSD_STRING, QueryResult

#: Output formats of :func:`format_result`: for SELECT/ASK results, and for graph results.
#: ``xml`` is both: SPARQL Query Results XML for a table, RDF/XML for a graph.
TABLE_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = {"turtle": "turtle", "nt": "nt", "json-ld": "json-ld", "xml": "xml"}
RESULT_FORMATS = tuple(dict.fromkeys(TABLE_FORMATS + tuple(GRAPH_FORMATS)))


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
        ``json`` (SPARQL 1.1 Query Results JSON) or ``xml`` (SPARQL Query Results XML).
        For CONSTRUCT and DESCRIBE: ``turtle`` (also what ``table`` gives), ``nt``,
        ``json-ld`` (also for ``json``) or ``xml`` (RDF/XML). An ASK answer prints as
        ``true`` or ``false`` except in json and xml.
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
    if fmt in GRAPH_FORMATS and fmt not in TABLE_FORMATS:
        raise QueryError(
            f"result format {fmt!r} is for CONSTRUCT and DESCRIBE results; a {result.kind.upper()} "
            f"result can be written as {', '.join(TABLE_FORMATS)}"
        )
    if fmt == "json":
        return _json(result)
    if fmt == "xml":
        return results_xml(result)
    if result.kind == "ask":
        return "true\n" if result.boolean else "false\n"
    if fmt == "csv":
        return _csv(result)
    if fmt == "tsv":
        return _tsv(result)
    return _table(result, max_width)


#: Media types of SELECT and ASK results -> format ("xml": SPARQL results XML); the first is the default.
TABLE_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
}
#: Media types of CONSTRUCT and DESCRIBE results -> kg.query format name; the first is the default.
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/x-turtle": "turtle",
    "text/plain": "nt",
    "application/json": "json-ld",
    "application/xml": "xml",
    "text/xml": "xml",
}


# --------------------------------------------------------------------------- negotiation


def negotiate(accept: str | None, kind: str) -> tuple[str, str] | None:
    """The (media type, format) to answer with, from an ``Accept`` header and the result kind.

    The acceptable type of highest quality wins (ties: the order given); ``type/*`` picks
    the first kg writes of that type. A missing or empty header, or ``*/*``, give the
    default: SPARQL JSON for SELECT and ASK, Turtle for graphs. A header naming nothing kg
    writes gives None (the server answers 406 Not Acceptable).
    The media type answered is the format's canonical one.

    >>> negotiate("text/csv, application/sparql-results+json;q=0.5", "select")
    ('text/csv', 'csv')
    >>> negotiate("application/sparql-results+xml", "graph") is None  # no results table for a graph
    True
    >>> negotiate("application/sparql-results+xml, */*;q=0.1", "graph")
    ('text/turtle', 'turtle')
    >>> negotiate("application/json", "graph")
    ('application/ld+json', 'json-ld')
    >>> negotiate("image/png", "select") is None
    True
    """
    table = GRAPH_TYPES if kind == "graph" else TABLE_TYPES
    canonical = {fmt: media for media, fmt in reversed(list(table.items()))}
    ranked = []
    for i, item in enumerate((accept or "").split(",")):
        media, *params = [p.strip() for p in item.split(";")]
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranked.append((-q, i, media.lower()))
    for _, _, media in sorted(ranked):
        if media.endswith("/*"):
            media = next((m for m in table if media == "*/*" or m.startswith(media[:-1])), "")
        if media in table:
            return canonical[table[media]], table[media]
    if (accept or "").strip():
        return None
    default = next(iter(table))
    return default, table[default]


def _xml_text(value: str) -> str:
    cleaned = "".join(c if c in "\t\n\r" or ord(c) >= 0x20 and c not in "\ufffe\uffff" else "\ufffd" for c in value)
    return escape(cleaned)


def results_xml(result: QueryResult) -> str:
    """A SELECT or ASK result in the SPARQL Query Results XML Format.

    >>> print(results_xml(QueryResult(kind="ask", boolean=True)))
    <?xml version="1.0" encoding="utf-8"?>
    <sparql xmlns="http://www.w3.org/2005/sparql-results#">
      <head/>
      <boolean>true</boolean>
    </sparql>
    """
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if result.kind == "ask":
        lines += ["  <head/>", f"  <boolean>{'true' if result.boolean else 'false'}</boolean>", "</sparql>"]
        return "\n".join(lines)
    lines.append("  <head>")
    lines += [f"    <variable name={quoteattr(v)}/>" for v in result.variables]
    lines += ["  </head>", "  <results>"]
    for row in result.terms:
        lines.append("    <result>")
        for var, term in zip(result.variables, row, strict=True):
            if term is None:
                continue
            if isinstance(term, URIRef):
                value = f"<uri>{_xml_text(str(term))}</uri>"
            elif isinstance(term, BNode):
                value = f"<bnode>{_xml_text(str(term))}</bnode>"
            elif isinstance(term, Literal) and term.language:
                value = f"<literal xml:lang={quoteattr(term.language)}>{_xml_text(str(term))}</literal>"
            elif isinstance(term, Literal) and term.datatype is not None:
                value = f"<literal datatype={quoteattr(str(term.datatype))}>{_xml_text(str(term))}</literal>"
            else:
                value = f"<literal>{_xml_text(str(term))}</literal>"
            lines.append(f"      <binding name={quoteattr(var)}>{value}</binding>")
        lines.append("    </result>")
    lines += ["  </results>", "</sparql>"]
    return "\n".join(lines)
