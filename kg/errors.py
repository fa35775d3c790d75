"""Errors the user can act on. Each names the bad input and how to fix it.

The CLI turns any :class:`KgError` into one message and exit code 1, never a traceback.
"""

from __future__ import annotations

__all__ = [
    "KgError",
    "InputError",
    "ModelError",
    "QueryError",
    "OutputError",
    "ValidationError",
]


class KgError(Exception):
    """Base class of every error ``kg`` reports to the user."""


class InputError(KgError):
    """An input file or line cannot be read as a document.

    ``where`` is the file, or ``file:line`` for JSON lines.
    """

    def __init__(self, where: str, problem: str):
        self.where = where
        self.problem = problem
        super().__init__(f"{where}: {problem}")


class ModelError(KgError):
    """A spaCy pipeline cannot be loaded."""


class QueryError(KgError):
    """A SPARQL query is invalid or cannot run."""


class OutputError(KgError):
    """An output file cannot be written, or its format is unknown."""


class ValidationError(KgError):
    """A graph does not conform to the SHACL shapes of the contract."""
