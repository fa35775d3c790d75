"""kg: political-event knowledge graphs from news text.

The same steps as the ``kg`` command, as functions::

    import kg
    docs = kg.read_documents(["articles/"])          # or kg.read_texts(["..."])
    graph = kg.build_graph(kg.extract(docs))         # spaCy -> entities -> PLOVER events -> RDF
    kg.write_graph(graph, "graph.ttl")               # .nt .jsonld .graphml .gexf .csv ...
    print(kg.format_result(kg.run_query(graph, "SELECT * WHERE { ?a pol:consulted ?b }")))
    kg.draw_html(graph, "graph.html")                # offline interactive explorer

or in one call: ``graph = kg.build(["Russia struck Kyiv.", ...], date="2025-03-01")``.
Names are imported on first use, so ``import kg`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

_EXPORTS = {
    "read_documents": "read",
    "read_texts": "read",
    "load_pipeline": "nlp",
    "annotate": "nlp",
    "resolve_entities": "entities",
    "extract_events": "events",
    "extract": "pipeline",
    "extract_document": "pipeline",
    "build": "pipeline",
    "build_graph": "graph",
    "add_extraction": "graph",
    "merge_graphs": "graph",
    "load_graph": "graph",
    "new_graph": "graph",
    "actor_network": "network",
    "run_query": "query",
    "format_result": "query",
    "named_queries": "query",
    "write_graph": "export",
    "draw_html": "draw",
    "validate": "validate",
    "Document": "model",
    "Sentence": "model",
    "Entity": "model",
    "Mention": "model",
    "Event": "model",
    "DocumentExtraction": "model",
    "KgError": "errors",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)


if TYPE_CHECKING:  # pragma: no cover
    from .draw import draw_html
    from .entities import resolve_entities
    from .errors import KgError
    from .events import extract_events
    from .export import write_graph
    from .graph import add_extraction, build_graph, load_graph, merge_graphs, new_graph
    from .model import Document, DocumentExtraction, Entity, Event, Mention, Sentence
    from .network import actor_network
    from .nlp import annotate, load_pipeline
    from .pipeline import build, extract, extract_document
    from .query import format_result, named_queries, run_query
    from .read import read_documents, read_texts
    from .validate import validate
