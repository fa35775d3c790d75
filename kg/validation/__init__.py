"""Checking graphs against the contract (``ontologies/shapes.ttl``): :mod:`~kg.validation.shacl`
runs pyshacl on a whole graph; :mod:`~kg.validation.stream` checks the same shapes one
document at a time while a graph is built.
"""

from __future__ import annotations

from .shacl import ValidationReport, check, load_ontology, load_shapes, validate, violations_message
from .stream import ShapeRules, StreamValidator, UnsupportedShapes, shape_rules

__all__ = [
    "ValidationReport",
    "load_ontology",
    "load_shapes",
    "validate",
    "check",
    "violations_message",
    "ShapeRules",
    "UnsupportedShapes",
    "shape_rules",
    "StreamValidator",
]
