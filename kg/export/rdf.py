"""RDF syntaxes: rdflib for JSON-LD and RDF/XML, pyoxigraph for Turtle and N-Triples (from the
graph's triples sorted as N-Triples lines)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.stores.memory import Memory

from ..vocab import PREFIX_IRIS

#: An exporter: writes a graph to one file.
ExportFunc = Callable[[Graph, Path], None]

# --------------------------------------------------------------------------- RDF


def _jsonld(graph: Graph) -> str:
    return graph.serialize(format="json-ld", context=dict(PREFIX_IRIS), auto_compact=True)


def _rdf_exporter(rdf_format: str) -> ExportFunc:
    def export(graph: Graph, path: Path) -> None:
        if rdf_format in _OX_FORMATS:
            _ox_rdf(_sorted_lines(graph), path, rdf_format)
        elif rdf_format == "json-ld":
            path.write_text(_jsonld(graph), encoding="utf-8")
        else:
            graph.serialize(destination=str(path), format=rdf_format, encoding="utf-8")

    export.__name__ = f"export_{rdf_format.replace('-', '_')}"
    if rdf_format in _OX_FORMATS:
        export.__doc__ = f"Write the graph as {rdf_format}, sorted, through pyoxigraph's serializer."
    else:
        export.__doc__ = f"Write the graph as {rdf_format} (rdflib's serializer)."
    return export


# --------------------------------------------------------------------------- N-Triples
#
# rdflib's Turtle writer takes about 34 s for a million triples, pyoxigraph's under one.
# Turtle and N-Triples therefore go through pyoxigraph: the graph becomes N-Triples lines
# (sorted, so output is deterministic and diff-friendly: a subject's triples together,
# subjects in IRI order), pyoxigraph parses them (which checks every IRI) and writes the
# format. A kg build streams the same lines from its extractions (GraphWriter).

#: The formats written through pyoxigraph, and its names for them.
_OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES}

#: Turtle prefixes: kg's, but not polr: its local names hold slashes, which Turtle would have
#: to escape (polr:country\/KEN); full IRIs read better, as rdflib wrote them.
_TURTLE_PREFIXES = {prefix: iri for prefix, iri in PREFIX_IRIS.items() if prefix != "polr"}

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _nt(term) -> str:
    """The N-Triples form of an rdflib term: one form per term, so equal lines are equal triples."""
    if type(term) is URIRef:
        return f"<{term}>"
    if isinstance(term, Literal):
        text = str(term).translate(_ESCAPES)
        if term.language:
            return f'"{text}"@{term.language}'
        datatype = term.datatype
        if datatype is None:
            return f'"{text}"'
        return f'"{text}"^^<{datatype}>'
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, URIRef):
        return f"<{term}>"
    raise TypeError(f"not an RDF term: {term!r}")


def ntriples_lines(graph: Graph) -> Iterator[str]:
    """The triples of ``graph`` as N-Triples lines (``"<s> <p> <o> .\\n"``), in no particular order.

    About twice as fast as ``graph.serialize(format="nt")`` on a plain in-memory graph,
    which it reads through rdflib's subject index.

    Examples
    --------
    >>> from rdflib import Literal
    >>> from kg.graph import new_graph
    >>> from kg.vocab import POL, RDFS
    >>> g = new_graph()
    >>> _ = g.add((POL.PLOVER, RDFS.label, Literal('say "hi"')))
    >>> list(ntriples_lines(g))
    ['<https://w3id.org/polkg/ontology#PLOVER> <http://www.w3.org/2000/01/rdf-schema#label> "say \\\\"hi\\\\"" .\\n']
    """
    store = graph.store
    index = getattr(store, "_Memory__spo", None)
    if type(graph) is Graph and type(store) is Memory and isinstance(index, dict) and len(store) == len(graph):
        nt, iri = _nt, URIRef
        for s, po in index.items():
            subject = nt(s)
            for p, objects in po.items():
                head = f"{subject} {nt(p)} "
                for o in objects:
                    yield f"{head}<{o}> .\n" if type(o) is iri else f"{head}{nt(o)} .\n"
        return
    for s, p, o in graph:
        yield f"{_nt(s)} {_nt(p)} {_nt(o)} .\n"


def _sorted_lines(graph: Graph) -> list[str]:
    return sorted(ntriples_lines(graph))


def _ox_rdf(lines: Iterable[str] | Path, output, rdf_format: str) -> bytes | None:
    """Write sorted N-Triples lines (or a file of them) as ``rdf_format`` through pyoxigraph.

    ``output`` is a path, a binary file, or None for bytes.
    """
    if isinstance(lines, Path):
        triples = ox.parse(path=str(lines), format=ox.RdfFormat.N_TRIPLES)
    else:
        triples = ox.parse("".join(lines), format=ox.RdfFormat.N_TRIPLES)
    prefixes = _TURTLE_PREFIXES if rdf_format == "turtle" else None
    return ox.serialize(triples, None if output is None else _ox_output(output), _OX_FORMATS[rdf_format],
                        prefixes=prefixes)  # fmt: skip


def _ox_output(output):
    return str(output) if isinstance(output, Path) else output
