"""The export stage: write a kg graph to a file, in an RDF syntax or as a network or table.

Formats live in a registry, :data:`EXPORTERS`, keyed by the name users give to
``--format``. Each exporter is a small function ``(graph, path) -> None`` that writes one
file; :func:`register_exporter` adds more (plugins). :func:`write_graph` picks the
exporter (from ``format`` or the file's extension) and writes atomically: the exporter
writes a temporary file next to the target, which replaces the target only once it is
complete, so a failure never destroys an earlier good output or leaves half a file.

=========  =====================  ==================================================
format     extensions             content
=========  =====================  ==================================================
turtle     .ttl .turtle           RDF, Turtle (subjects sorted: diff-friendly)
nt         .nt                    RDF, N-Triples (sorted)
json-ld    .jsonld .json          RDF, JSON-LD with kg's prefixes as the @context
xml        .rdf .xml .owl         RDF, RDF/XML
trig       .trig                  RDF dataset, TriG: one named graph per document
nquads     .nq                    RDF dataset, N-Quads: one named graph per document
graphml    .graphml               actor network (:func:`kg.analysis.network.actor_network`)
gexf       .gexf                  actor network, for Gephi
csv        .csv                   one row per event: type, modality, parties, sentence
=========  =====================  ==================================================

The path ``-`` means standard output, for the RDF formats only (turtle unless
``format`` says otherwise).

Turtle and N-Triples are written by pyoxigraph (a million triples in seconds; rdflib's
Turtle writer takes half a minute), from the graph's triples sorted as N-Triples lines.
:class:`GraphWriter` writes the same files for a build without holding the graph: each
document's triples are streamed to sorted runs on disk and merged at the end.

The dataset formats (TriG, N-Quads) split a plain graph by provenance with
:func:`split_by_document`: each document's named graph (named by its document IRI)
holds what that document states, and the default graph what no document accounts for.
A store (:mod:`kg.store`) writes its own per-document graphs instead.

One module per family: :mod:`~kg.export.rdf`, :mod:`~kg.export.dataset`,
:mod:`~kg.export.network`, :mod:`~kg.export.tables`; the registry and atomic writing in
:mod:`~kg.export.files`; the streaming writer of a build in :mod:`~kg.export.stream`.

Examples
--------
>>> format_for("out/graph.ttl")
'turtle'
>>> format_for("actors.graphml")
'graphml'
"""

from __future__ import annotations

from .dataset import DATASET_FORMATS, dataset_quads, export_nquads, export_trig, split_by_document
from .files import EXPORTERS, Exporter, format_for, register_exporter, write_graph
from .network import export_gexf, export_graphml, flat_network
from .rdf import _rdf_exporter, ntriples_lines
from .stream import STREAMED_FORMATS, GraphWriter
from .tables import CSV_COLUMNS, event_rows, export_csv

__all__ = [
    "Exporter",
    "EXPORTERS",
    "register_exporter",
    "format_for",
    "write_graph",
    "flat_network",
    "event_rows",
    "CSV_COLUMNS",
    "DATASET_FORMATS",
    "split_by_document",
    "dataset_quads",
    "ntriples_lines",
    "GraphWriter",
    "STREAMED_FORMATS",
]

register_exporter("turtle", (".ttl", ".turtle"), _rdf_exporter("turtle"), rdf_format="turtle")
register_exporter("nt", (".nt",), _rdf_exporter("nt"), rdf_format="nt")
register_exporter("json-ld", (".jsonld", ".json"), _rdf_exporter("json-ld"), rdf_format="json-ld")
register_exporter("xml", (".rdf", ".xml", ".owl"), _rdf_exporter("xml"), rdf_format="xml")
register_exporter("trig", (".trig",), export_trig, rdf_format="trig")
register_exporter("nquads", (".nq",), export_nquads, rdf_format="nquads")
register_exporter("graphml", (".graphml",), export_graphml)
register_exporter("gexf", (".gexf",), export_gexf)
register_exporter("csv", (".csv",), export_csv)
