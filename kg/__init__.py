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
    "actor_network": "analysis.network",
    "graph_stats": "analysis.stats",
    "balance_figure": "analysis.plot",
    "activity_figure": "analysis.plot",
    "save_figure": "analysis.plot",
    "run_query": "query",
    "format_result": "query",
    "named_queries": "query",
    "write_graph": "export",
    "draw_html": "draw",
    "validate": "validation",
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
