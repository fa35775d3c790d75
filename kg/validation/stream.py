"""Checking the shapes while a graph is built, one document at a time, without pyshacl.

pyshacl costs about 0.2 ms per triple here: a 25k-triple build spends longer validating
than parsing. :class:`StreamValidator` instead checks the same shapes, read from the same
shapes graph, with :class:`ShapeRules`: plain Python for the SHACL Core constraints kg's
shapes use, and nothing else (a shapes graph using anything more is refused with
:class:`UnsupportedShapes`, and the caller falls back to pyshacl). Its results are the
lines :func:`kg.validation.validate` gives.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.collection import Collection
from rdflib.namespace import SH, XSD, NamespaceManager
from rdflib.term import Node

from ..errors import ValidationError
from ..graph import TripleBuffer, add_extraction
from ..vocab import PREFIXES, RDF, RDFS
from .shacl import _shapes, _short, violations_message

__all__ = ["ShapeRules", "UnsupportedShapes", "shape_rules", "StreamValidator"]

_SH_IGNORED = frozenset({SH.name, SH.description, SH.order, SH.group, SH.severity, SH.defaultValue})
_SH_HANDLED = frozenset(
    {
        SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.property, SH.path,
        SH.message, SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH.nodeKind, SH["in"], SH.pattern,
        SH.flags, SH.minInclusive, SH.maxInclusive, SH.lessThan, SH.node, SH["or"], SH.deactivated,
    }
)  # fmt: skip
_NUMBERS = (int, float, Decimal)


class UnsupportedShapes(ValueError):
    """The shapes use a SHACL feature :class:`ShapeRules` does not implement (use pyshacl)."""


@dataclass(frozen=True)
class _Shape:
    node: Node
    path: Node | None
    messages: tuple[str, ...]
    targets: tuple[tuple[str, Node], ...]
    min_count: int | None
    max_count: int | None
    datatype: Node | None
    classes: tuple[Node, ...]
    node_kind: Node | None
    members: frozenset | None
    pattern: re.Pattern | None
    min_inclusive: Node | None
    max_inclusive: Node | None
    less_than: Node | None
    nodes: tuple[Node, ...]
    ors: tuple[tuple[Node, ...], ...]
    properties: tuple[Node, ...]


def _compare(a: Node, b: Node) -> int | None:
    """SPARQL-style comparison of two literals: -1, 0, 1, or None when they cannot be compared."""
    if not (isinstance(a, RDFLiteral) and isinstance(b, RDFLiteral)):
        return None
    x, y = a.value, b.value
    if x is None or y is None or isinstance(x, bool) or isinstance(y, bool):
        return None
    if not (isinstance(x, _NUMBERS) and isinstance(y, _NUMBERS)) and type(x) is not type(y):
        return None
    try:
        return (x > y) - (x < y)
    except TypeError:
        return None


def _less_than(a: Node, b: Node) -> bool:
    """sh:lessThan as pyshacl reads it: IRIs and string literals compare as strings, others by value."""

    def key(node):
        if isinstance(node, URIRef):
            return str(node), True
        if isinstance(node, RDFLiteral) and isinstance(node.value, str):
            return node.value, True
        return node, False

    (x, x_text), (y, y_text) = key(a), key(b)
    if isinstance(a, BNode) or isinstance(b, BNode) or x_text != y_text:
        return False
    if x_text:
        return x < y
    return _compare(x, y) == -1


def _kind_ok(value: Node, kind: Node) -> bool:
    if isinstance(value, BNode):
        return kind in (SH.BlankNode, SH.BlankNodeOrIRI, SH.BlankNodeOrLiteral)
    if isinstance(value, RDFLiteral):
        return kind in (SH.Literal, SH.BlankNodeOrLiteral, SH.IRIOrLiteral)
    return kind in (SH.IRI, SH.BlankNodeOrIRI, SH.IRIOrLiteral)


def _datatype_ok(value: Node, datatype: Node) -> bool:
    """sh:datatype as pyshacl reads it: a plain literal is an xsd:string; ill-typed literals fail."""
    if not isinstance(value, RDFLiteral):
        return False
    if value.datatype is None:
        return value.language is None and datatype == XSD.string
    return value.datatype == datatype and not getattr(value, "ill_typed", False)


class _Data:
    """One batch of triples indexed for the rules: by subject and predicate, and rdf:type."""

    def __init__(self, triples: Iterable[tuple]) -> None:
        self.out: dict[Node, dict[Node, list[Node]]] = {}
        self.subjects_of: dict[Node, list[Node]] = {}
        self.objects_of: dict[Node, list[Node]] = {}
        for s, p, o in triples:
            self.out.setdefault(s, {}).setdefault(p, []).append(o)
            self.subjects_of.setdefault(p, []).append(s)
            self.objects_of.setdefault(p, []).append(o)
        self.types: dict[Node, set[Node]] = {}
        for s, o in zip(self.subjects_of.get(RDF.type, ()), self.objects_of.get(RDF.type, ()), strict=True):
            self.types.setdefault(s, set()).add(o)
        sub = RDFS.subClassOf
        if sub in self.subjects_of:  # instances of subclasses count (SHACL's rdf:type/rdfs:subClassOf*)
            parents: dict[Node, set[Node]] = {}
            for s, o in zip(self.subjects_of[sub], self.objects_of[sub], strict=True):
                parents.setdefault(s, set()).add(o)
            for classes in self.types.values():
                todo = list(classes)
                while todo:
                    for parent in parents.get(todo.pop(), ()):
                        if parent not in classes:
                            classes.add(parent)
                            todo.append(parent)

    def values(self, node: Node, path: Node) -> list[Node]:
        return self.out.get(node, {}).get(path, [])


class ShapeRules:
    """SHACL shapes compiled to plain Python checks, for validating many small graphs fast.

    Reads the shapes graph once and checks triples against it with the semantics of
    pyshacl without inference, for the SHACL Core features kg's shapes use: targets
    (``sh:targetClass``, ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``,
    ``sh:targetNode``), property shapes with an IRI ``sh:path``, ``sh:minCount``,
    ``sh:maxCount``, ``sh:datatype``, ``sh:class``, ``sh:nodeKind``, ``sh:in``,
    ``sh:pattern``, ``sh:minInclusive``, ``sh:maxInclusive``, ``sh:lessThan``,
    ``sh:node``, ``sh:or`` and ``sh:message``.

    Parameters
    ----------
    shapes : rdflib.Graph, optional
        The shapes; by default kg's own (:func:`load_shapes`).

    Raises
    ------
    UnsupportedShapes
        When a shape uses anything else (run :func:`validate` instead).

    See Also
    --------
    validate : pyshacl, for any shapes and graph; the reference these rules are tested against.
    StreamValidator : applies the rules to a graph as it is built.

    Examples
    --------
    >>> from rdflib import URIRef
    >>> from kg.vocab import POL
    >>> ShapeRules().violations([(URIRef("https://w3id.org/polkg/id/event/1"), RDF.type, POL.Event)])[0]
    ... # doctest: +ELLIPSIS
    '<https://w3id.org/polkg/id/event/1>: pol:actor: A pol:Event needs at least one pol:actor, ...'
    """

    def __init__(self, shapes: Graph | None = None) -> None:
        self._graph = _shapes() if shapes is None else shapes
        self._shapes: dict[Node, _Shape] = {}
        self._names = NamespaceManager(Graph(), bind_namespaces="none")
        for prefix, namespace in PREFIXES.items():
            self._names.bind(prefix, namespace)
        self.targeted: tuple[_Shape, ...] = tuple(
            self._compile(node)
            for node in sorted(self._target_nodes(), key=str)
            if (self._graph.value(node, SH.deactivated) or RDFLiteral(False)).toPython() is not True
        )

    def _target_nodes(self) -> set[Node]:
        g = self._graph
        found = set()
        for p in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode):
            found.update(g.subjects(p, None))
        implicit = set(g.subjects(RDF.type, RDFS.Class)) & set(g.subjects(RDF.type, SH.NodeShape))
        if implicit:
            raise UnsupportedShapes(f"implicit class targets ({', '.join(sorted(map(str, implicit)))})")
        return found

    def _compile(self, node: Node) -> _Shape:
        if node in self._shapes:
            return self._shapes[node]
        g = self._graph
        for p in set(g.predicates(node, None)):
            if str(p).startswith(str(SH)) and p not in _SH_HANDLED and p not in _SH_IGNORED:
                raise UnsupportedShapes(f"{_short(node, self._names)} uses {_short(p, self._names)}")

        def one(p):
            values = list(g.objects(node, p))
            if len(values) > 1:
                raise UnsupportedShapes(f"{_short(node, self._names)} has several {_short(p, self._names)}")
            return values[0] if values else None

        def count(p):
            value = one(p)
            return None if value is None else int(value)

        path = one(SH.path)
        if path is not None and not isinstance(path, URIRef):
            raise UnsupportedShapes(f"{_short(node, self._names)}: only IRI paths are implemented")
        members = one(SH["in"])
        pattern = one(SH.pattern)
        flags = str(one(SH.flags) or "")
        re_flags = 0
        for letter in flags:
            re_flags |= {"i": re.I, "m": re.M, "s": re.S, "x": re.X}.get(letter, 0)
        targets = tuple(
            (kind, t)
            for kind, p in (("class", SH.targetClass), ("subjects", SH.targetSubjectsOf),
                            ("objects", SH.targetObjectsOf), ("node", SH.targetNode))
            for t in sorted(g.objects(node, p), key=str)
        )  # fmt: skip
        shape = _Shape(
            node=node,
            path=path,
            messages=tuple(sorted(str(m) for m in g.objects(node, SH.message))),
            targets=targets,
            min_count=count(SH.minCount),
            max_count=count(SH.maxCount),
            datatype=one(SH.datatype),
            classes=tuple(g.objects(node, SH["class"])),
            node_kind=one(SH.nodeKind),
            members=None if members is None else frozenset(Collection(g, members)),
            pattern=None if pattern is None else re.compile(str(pattern), re_flags),
            min_inclusive=one(SH.minInclusive),
            max_inclusive=one(SH.maxInclusive),
            less_than=one(SH.lessThan),
            nodes=tuple(g.objects(node, SH.node)),
            ors=tuple(tuple(Collection(g, lst)) for lst in g.objects(node, SH["or"])),
            properties=tuple(sorted(g.objects(node, SH.property), key=str)),
        )
        self._shapes[node] = shape
        for ref in (*shape.nodes, *(m for members in shape.ors for m in members), *shape.properties):
            self._compile(ref)
        return shape

    # ---------------------------------------------------------------- evaluation

    def _focus(self, shape: _Shape, data: _Data) -> set[Node]:
        focus: set[Node] = set()
        for kind, target in shape.targets:
            if kind == "class":
                focus.update(n for n, classes in data.types.items() if target in classes)
            elif kind == "subjects":
                focus.update(data.subjects_of.get(target, ()))
            elif kind == "objects":
                focus.update(data.objects_of.get(target, ()))
            else:
                focus.add(target)
        return focus

    def _conforms(self, shape_node: Node, focus: Node, data: _Data) -> bool:
        return not any(True for _ in self._results(self._shapes[shape_node], focus, data))

    def _value_failures(self, shape: _Shape, value: Node, data: _Data) -> int:
        """How many of the shape's value constraints ``value`` fails (one result each)."""
        failed = 0
        if shape.datatype is not None and not _datatype_ok(value, shape.datatype):
            failed += 1
        for cls in shape.classes:
            if cls not in data.types.get(value, ()):
                failed += 1
        if shape.node_kind is not None and not _kind_ok(value, shape.node_kind):
            failed += 1
        if shape.members is not None and value not in shape.members:
            failed += 1
        if shape.pattern is not None and (isinstance(value, BNode) or not shape.pattern.search(str(value))):
            failed += 1
        if shape.min_inclusive is not None and _compare(value, shape.min_inclusive) not in (0, 1):
            failed += 1
        if shape.max_inclusive is not None and _compare(value, shape.max_inclusive) not in (-1, 0):
            failed += 1
        for ref in shape.nodes:
            if not self._conforms(ref, value, data):
                failed += 1
        for members in shape.ors:
            if not any(self._conforms(m, value, data) for m in members):
                failed += 1
        return failed

    def _results(self, shape: _Shape, focus: Node, data: _Data) -> Iterator[tuple[Node, Node | None, _Shape]]:
        """One ``(focus, path, shape)`` per validation result of ``shape`` on ``focus``."""
        values = [focus] if shape.path is None else data.values(focus, shape.path)
        if shape.min_count is not None and len(set(values)) < shape.min_count:
            yield focus, shape.path, shape
        if shape.max_count is not None and len(set(values)) > shape.max_count:
            yield focus, shape.path, shape
        for value in dict.fromkeys(values):
            for _ in range(self._value_failures(shape, value, data)):
                yield focus, shape.path, shape
        if shape.less_than is not None:
            others = data.values(focus, shape.less_than)
            for value in dict.fromkeys(values):
                for other in dict.fromkeys(others):
                    if not _less_than(value, other):
                        yield focus, shape.path, shape
        for ref in shape.properties:
            yield from self._results(self._shapes[ref], focus, data)

    def line(self, focus: Node, path: Node | None, shape: _Shape | None = None, message: str = "") -> str:
        """A result as :func:`validate` words it: ``"focus node: path: message"``."""
        text = " / ".join(shape.messages) if shape is not None else message
        return f"{_short(focus, self._names)}: {_short(path, self._names)}: {text}"

    def violations(self, triples: Iterable[tuple]) -> list[str]:
        """Check a graph (any iterable of triples), returning one line per violation, sorted.

        The lines are those of :attr:`ValidationReport.results` for the same graph.
        """
        data = _Data(triples)
        lines = []
        for shape in self.targeted:
            for focus in self._focus(shape, data):
                lines.extend(self.line(f, p, s) for f, p, s in self._results(shape, focus, data))
        return sorted(lines)

    def max_counts(self) -> dict[URIRef, list[tuple[frozenset, int, _Shape]]]:
        """For each path with an ``sh:maxCount`` under a class-targeted shape: ``(classes, max, shape)``.

        What a check of the whole graph needs beyond each document's own check (see
        :class:`StreamValidator`).

        Raises
        ------
        UnsupportedShapes
            When a ``sh:maxCount`` sits under a shape targeted otherwise than by class.
        """
        out: dict[URIRef, list[tuple[frozenset, int, _Shape]]] = {}
        for shape in self.targeted:
            props = [self._shapes[p] for p in shape.properties]
            for prop in props:
                if prop.max_count is None:
                    continue
                if any(kind != "class" for kind, _ in shape.targets) or prop.path is None:
                    raise UnsupportedShapes(f"{_short(shape.node, self._names)}: sh:maxCount needs class targets")
                classes = frozenset(t for _, t in shape.targets)
                out.setdefault(prop.path, []).append((classes, prop.max_count, prop))
            if shape.max_count is not None:
                raise UnsupportedShapes(f"{_short(shape.node, self._names)}: sh:maxCount on a node shape")
        return out


@functools.lru_cache(maxsize=1)
def shape_rules() -> ShapeRules:
    """kg's own shapes as :class:`ShapeRules`, compiled once.

    >>> shape_rules().violations([])
    []
    """
    return ShapeRules()


class StreamValidator:
    """Check a graph against the shapes while it is built, one document at a time.

    :meth:`check_extraction` checks each document's own graph (what
    :func:`kg.graph.add_extraction` makes of it alone) with :class:`ShapeRules`, and
    stops at the first document that breaks a shape. Once the whole graph is written,
    :meth:`watch_lines` sees its N-Triples lines in sorted order and catches the one thing
    only the merged graph can break: a property a shape allows once (``sh:maxCount``)
    that two documents gave different values (the same document id read twice with
    different texts, say). :meth:`raise_if_violated` then fails the build.

    Parameters
    ----------
    rules : ShapeRules, optional
        The compiled shapes; kg's own by default.
    limit : int, keyword-only
        How many violations to quote in an error message.

    Raises
    ------
    UnsupportedShapes
        When the shapes cannot be checked this way (use :func:`check` on the whole graph).

    Notes
    -----
    Why the documents' graphs answer for the merged one: merging only adds triples, so
    every node keeps the types, ``sh:minCount`` values and well-formed values it had in
    its document's graph, and every value a document gives is checked there, with the
    nodes it points to (a document's graph holds the entities, sentences and document its
    events point to). The properties kg keeps to one value across documents (an entity's
    label, an event's trigger) keep the first one. What is left is ``sh:maxCount``
    across documents, which the sorted pass checks for nodes typed with a shape's target
    class (classes stated in the data; ``rdfs:subClassOf`` is not followed there).

    Examples
    --------
    >>> from kg.model import Document, DocumentExtraction
    >>> v = StreamValidator()
    >>> v.check_extraction(DocumentExtraction(Document("d1", "Hi."), (), (), (), ()))
    >>> lines = [
    ...     '<https://w3id.org/polkg/id/doc/d1> <http://purl.org/dc/terms/identifier> "a" .\\n',
    ...     '<https://w3id.org/polkg/id/doc/d1> <http://purl.org/dc/terms/identifier> "b" .\\n',
    ...     '<https://w3id.org/polkg/id/doc/d1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
    ...     '<https://w3id.org/polkg/ontology#Document> .\\n',
    ... ]
    >>> len(list(v.watch_lines(lines)))
    3
    >>> v.raise_if_violated()  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.errors.ValidationError: the graph does not conform to the kg SHACL shapes (1 violation):
      <https://w3id.org/polkg/id/doc/d1>: dcterms:identifier: A pol:Document needs exactly one ...
    """

    def __init__(self, rules: ShapeRules | None = None, *, limit: int = 5) -> None:
        self.rules = shape_rules() if rules is None else rules
        self.limit = limit
        self._max = {
            f"<{path}>": [(frozenset(f"<{c}>" for c in classes), n, shape) for classes, n, shape in entries]
            for path, entries in self.rules.max_counts().items()
        }
        self.count = 0
        self.lines: list[str] = []

    def check_extraction(self, extraction) -> None:
        """Check one document's own graph; raise :class:`kg.errors.ValidationError` if it breaks a shape."""
        lines = self.rules.violations(add_extraction(TripleBuffer(), extraction))
        if lines:
            document = extraction.document
            where = f"document {document.id!r}" + (f" ({document.origin})" if document.origin else "")
            raise ValidationError(violations_message(len(lines), lines, self.limit, f"the graph of {where}"))

    def watch_lines(self, lines: Iterable[str]) -> Iterator[str]:
        """Pass sorted, unique N-Triples lines through, noting nodes with more values than a shape allows."""
        rdf_type = f"<{RDF.type}>"
        watched = self._max
        subject, types, counts = None, set(), {}
        for line in lines:
            s, p, rest = line.split(" ", 2)
            if s != subject:
                if counts:
                    self._flush(subject, types, counts)
                subject, types, counts = s, set(), {}
            if p == rdf_type:
                types.add(rest[:-3])
            elif p in watched:
                counts[p] = counts.get(p, 0) + 1
            yield line
        if counts:
            self._flush(subject, types, counts)

    def _flush(self, subject: str, types: set[str], counts: dict[str, int]) -> None:
        for p, n in counts.items():
            for classes, most, shape in self._max[p]:
                if n > most and types & classes:
                    node = BNode(subject[2:]) if subject.startswith("_:") else URIRef(subject[1:-1])
                    self.count += 1
                    if len(self.lines) < self.limit:
                        self.lines.append(self.rules.line(node, URIRef(p[1:-1]), shape))

    def raise_if_violated(self) -> None:
        """Raise :class:`kg.errors.ValidationError` if :meth:`watch_lines` saw a violation."""
        if self.count:
            raise ValidationError(violations_message(self.count, sorted(self.lines), self.limit, "the graph"))
