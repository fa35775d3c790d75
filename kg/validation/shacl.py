"""Check graphs against the contract: the SHACL shapes of ``ontologies/shapes.ttl``.

The ontology (``ontologies/polkg.ttl``) and the shapes ship inside the package as
``kg.ontologies``; from a source checkout they are read from the repository's
``ontologies/`` folder. Validation runs pyshacl without inference: graphs written by
``kg`` state each node's class explicitly, and the shapes are written to need nothing
more.

>>> from rdflib import Graph
>>> validate(Graph()).conforms
True
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal

import pyshacl
from rdflib import Graph
from rdflib.namespace import SH, NamespaceManager
from rdflib.term import Node

from ..errors import ValidationError
from ..vocab import PREFIXES, RDF

__all__ = [
    "ValidationReport",
    "load_ontology",
    "load_shapes",
    "validate",
    "check",
    "violations_message",
]

log = logging.getLogger(__name__)

_ONTOLOGY_FILE = "polkg.ttl"
_SHAPES_FILE = "shapes.ttl"
#: Where the ttl files are in a source checkout that is not installed.
_REPO_ONTOLOGIES = Path(__file__).resolve().parents[2] / "ontologies"


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of :func:`validate`.

    Attributes
    ----------
    conforms : bool
        True when the graph satisfies every shape.
    results : list of str
        One line per violation, ``"focus node: path: message"``, with IRIs shortened
        by the ``kg`` prefixes (``polr:``, ``pol:`` ...), sorted.
    text : str
        pyshacl's full plain-text report.
    """

    conforms: bool
    results: list[str] = field(default_factory=list)
    text: str = ""


def _read_text(name: str) -> str:
    """Read ``ontologies/<name>`` from the installed package, else from the checkout."""
    try:
        return resources.files("kg.ontologies").joinpath(name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError, TypeError):
        return (_REPO_ONTOLOGIES / name).read_text(encoding="utf-8")


def _parse(name: str) -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.parse(data=_read_text(name), format="turtle")
    return graph


@functools.lru_cache(maxsize=1)
def _ontology() -> Graph:
    return _parse(_ONTOLOGY_FILE)


@functools.lru_cache(maxsize=1)
def _shapes() -> Graph:
    return _parse(_SHAPES_FILE)


def _copy(graph: Graph) -> Graph:
    copy = Graph()
    for prefix, namespace in graph.namespaces():
        copy.bind(prefix, namespace, override=True)
    copy += graph
    return copy


# pyshacl adds a few RDFS/OWL axioms to the shapes graph it is given, so validation
# works on its own cached copies and the graphs behind load_* stay as in the files.
@functools.lru_cache(maxsize=1)
def _shapes_for_pyshacl() -> Graph:
    return _copy(_shapes())


@functools.lru_cache(maxsize=1)
def _ontology_for_pyshacl() -> Graph:
    return _copy(_ontology())


def load_ontology() -> Graph:
    """Return the polkg ontology (OWL classes, properties and the PLOVER scheme).

    The file is parsed once and cached; each call returns a fresh copy, so callers may
    change what they get.

    Returns
    -------
    rdflib.Graph
        The triples of ``ontologies/polkg.ttl``, with the ``kg`` prefixes bound.

    See Also
    --------
    load_shapes : the SHACL shapes of the contract.

    Examples
    --------
    >>> from kg.vocab import POL, SKOS
    >>> onto = load_ontology()
    >>> str(onto.value(POL.CONSULT, SKOS.prefLabel))
    'consult'
    >>> float(onto.value(POL.ASSAULT, POL.score))
    -9.0
    """
    return _copy(_ontology())


def load_shapes() -> Graph:
    """Return the SHACL shapes that describe the public shape of a ``kg`` graph.

    The file is parsed once and cached; each call returns a fresh copy, so callers may
    change what they get.

    Returns
    -------
    rdflib.Graph
        The triples of ``ontologies/shapes.ttl``, with the ``kg`` prefixes bound.

    See Also
    --------
    validate : runs these shapes on a graph.

    Examples
    --------
    >>> from rdflib.namespace import SH
    >>> from kg.vocab import POL
    >>> POL.Event in set(load_shapes().objects(None, SH.targetClass))
    True
    """
    return _copy(_shapes())


def _short(node: Node | None, names: NamespaceManager) -> str:
    if node is None:
        return "-"
    try:
        return node.n3(names)
    except Exception:  # complex SHACL paths are blank nodes: show them as they are
        return str(node)


def _result_lines(report: Graph) -> list[str]:
    names = NamespaceManager(Graph(), bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        names.bind(prefix, namespace)
    lines = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = _short(report.value(result, SH.focusNode), names)
        path = _short(report.value(result, SH.resultPath), names)
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        message = " / ".join(messages) or _short(report.value(result, SH.sourceConstraintComponent), names)
        lines.append(f"{focus}: {path}: {message}")
    return sorted(lines)


def validate(graph: Graph, *, inference: Literal["none", "rdfs"] = "none") -> ValidationReport:
    """Check a graph against the SHACL shapes of the contract.

    Parameters
    ----------
    graph : rdflib.Graph
        The graph to check. It is not changed.
    inference : {"none", "rdfs"}, keyword-only
        ``"none"`` (the default, and fast) checks the graph as written; graphs made by
        ``kg`` state every class explicitly, which is all the shapes need. ``"rdfs"``
        first mixes in the ontology and applies RDFS reasoning on a copy, for graphs
        from elsewhere that rely on domains, ranges or subclasses.

    Returns
    -------
    ValidationReport
        ``conforms``, one ``"focus node: path: message"`` line per violation, and
        pyshacl's full text report.

    See Also
    --------
    check : raises instead of returning a report.

    Examples
    --------
    >>> from rdflib import Graph, URIRef
    >>> from kg.vocab import POL, RDF
    >>> g = Graph()
    >>> _ = g.add((URIRef("https://w3id.org/polkg/id/event/1"), RDF.type, POL.Event))
    >>> report = validate(g)
    >>> report.conforms
    False
    >>> print(report.results[0])  # doctest: +ELLIPSIS
    <https://w3id.org/polkg/id/event/1>: pol:actor: A pol:Event needs at least one pol:actor, ...
    """
    if inference not in ("none", "rdfs"):
        raise ValueError(f"inference must be 'none' or 'rdfs', not {inference!r}")
    conforms, report_graph, text = pyshacl.validate(
        data_graph=graph,
        shacl_graph=_shapes_for_pyshacl(),
        ont_graph=_ontology_for_pyshacl() if inference != "none" else None,
        inference=inference,
        abort_on_first=False,
        allow_warnings=False,
    )
    results = _result_lines(report_graph)
    log.debug("SHACL validation: conforms=%s, %d results", conforms, len(results))
    return ValidationReport(conforms=bool(conforms), results=results, text=str(text))


def check(graph: Graph, *, limit: int = 5) -> None:
    """Raise :class:`kg.errors.ValidationError` unless the graph fits the contract.

    Parameters
    ----------
    graph : rdflib.Graph
        The graph to check, as written (no inference).
    limit : int, keyword-only
        How many violations to quote in the error message (the count is always given).

    Raises
    ------
    kg.errors.ValidationError
        When the graph does not conform; the message quotes the first ``limit``
        violations as ``"focus node: path: message"``.

    See Also
    --------
    validate : returns the full report instead.

    Examples
    --------
    >>> from rdflib import Graph, URIRef
    >>> from kg.vocab import POL, RDF
    >>> check(Graph())
    >>> g = Graph()
    >>> _ = g.add((URIRef("https://w3id.org/polkg/id/doc/1"), RDF.type, POL.Document))
    >>> check(g)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.errors.ValidationError: the graph does not conform to the kg SHACL shapes (1 violation):
      <https://w3id.org/polkg/id/doc/1>: dcterms:identifier: A pol:Document needs exactly one ...
    """
    report = validate(graph)
    if report.conforms:
        return
    raise ValidationError(violations_message(len(report.results), report.results, limit, "the graph"))


def violations_message(count: int, lines: list[str], limit: int, what: str) -> str:
    """The message of a failed check: the count, the first ``limit`` lines, and where to look next."""
    shown = "\n".join(f"  {line}" for line in lines[:limit])
    more = f"\n  ... and {count - limit} more" if count > limit else ""
    plural = "violation" if count == 1 else "violations"
    return (
        f"{what} does not conform to the kg SHACL shapes ({count} {plural}):\n{shown}{more}\n"
        "Fix the nodes named above; kg.validation.validate(graph).text has pyshacl's full report."
    )
