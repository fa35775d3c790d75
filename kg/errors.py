"""Errors the user can act on. Each names the bad input and how to fix it.

The CLI turns any :class:`KgError` into one message and exit code 1, never a traceback; the
message's panel carries the error's ``code``, a short stable name to search for or to match
in scripts (``kg: error [query-timeout]``).

>>> QueryTimeoutError("too slow", limit=5).code
'query-timeout'
>>> sorted(e.code for e in (InputError, ValidationError))
['input', 'validation']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = [
    "KgError",
    "InputError",
    "SheetError",
    "UsageError",
    "NothingToDoError",
    "StoreError",
    "WorkerError",
    "ModelError",
    "QueryError",
    "QueryRefusedError",
    "QueryTimeoutError",
    "ResultLimitError",
    "OutputError",
    "ValidationError",
    "ServerBusy",
    "WorkerOutOfMemory",
    "ClusterError",
    "ActorNotFoundError",
    "AmbiguousActorError",
    "EntityNotFoundError",
]


class KgError(Exception):
    """Base class of every error ``kg`` reports to the user."""

    code = "kg"


class InputError(KgError):
    """An input file or line cannot be read as a document.

    ``where`` is the file, or ``file:line`` for JSON lines.
    """

    code = "input"

    def __init__(self, where: str, problem: str):
        self.where = where
        self.problem = problem
        super().__init__(f"{where}: {problem}")


class SheetError(InputError):
    """A review sheet cannot be read: a missing column, or a bad decision on a line."""

    code = "sheet"


class UsageError(KgError):
    """An option or argument is missing, malformed or out of range (``--param NAME=VALUE``, ``--workers 0``)."""

    code = "usage"


class NothingToDoError(KgError):
    """The input holds nothing for the job asked (no records read, no dated events to plot); no output was written."""

    code = "nothing"


class StoreError(KgError):
    """A store cannot be used as asked: closed, read-only, or a graph name already taken."""

    code = "store"


class ModelError(KgError):
    """A spaCy pipeline cannot be loaded."""

    code = "model"


class OutputError(KgError):
    """An output file cannot be written, or its format is unknown."""

    code = "output"


class ValidationError(KgError):
    """A graph does not conform to the SHACL shapes of the contract."""

    code = "validation"


# --------------------------------------------------------------------------- queries


class QueryError(KgError):
    """A SPARQL query is invalid or cannot run."""

    code = "query"


class QueryRefusedError(QueryError):
    """The query asks for something kg will not do: ``SERVICE`` (requests to other servers).

    ``reason`` is ``"service"`` when the parsed query has a SERVICE pattern, ``"unparsed"``
    when no parse can rule one out.
    """

    code = "query-refused"

    def __init__(self, message: str, reason: str = "service"):
        super().__init__(message)
        self.reason = reason


class QueryTimeoutError(QueryError):
    """The query ran longer than its time limit (from ``kg query`` or a server's worker).

    ``limit`` is the limit in seconds.
    """

    code = "query-timeout"

    def __init__(self, message: str, limit: float):
        super().__init__(message)
        self.limit = limit


class ResultLimitError(QueryError):
    """The query gave more results (rows or triples) than allowed. ``limit`` is that number."""

    code = "result-limit"

    def __init__(self, message: str, limit: int):
        super().__init__(message)
        self.limit = limit


class ServerBusy(KgError):
    """Every query worker of a server stayed busy for the whole time limit."""

    code = "server-busy"


class WorkerError(KgError):
    """A query worker of a server did not start, or died while loading the graph or answering."""

    code = "worker"


class WorkerOutOfMemory(KgError):
    """A query needed more memory than a worker may use; its worker died and was replaced."""

    code = "worker-memory"


# --------------------------------------------------------------------------- engines, actors


class ClusterError(KgError):
    """The Dask cluster cannot be reached or used: no scheduler, no workers, kg missing there."""

    code = "cluster"


class ActorNotFoundError(KgError):
    """No entity of the graph has the name given as its label or one of its aliases.

    ``name`` is the name asked for; ``suggestions`` the closest labels and aliases.
    """

    code = "actor-not-found"

    def __init__(self, name: str, suggestions: list[str]):
        self.name = name
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        super().__init__(
            f"no actor named {name!r} in the graph (label or alias){hint} "
            "List the actors with: kg stats GRAPH, or kg query GRAPH most-active-actors"
        )


class AmbiguousActorError(KgError):
    """Several entities have the name given as their label or an alias.

    ``name`` is the name asked for; ``candidates`` the matching actors (with ``label``,
    ``kind`` and ``iri``).
    """

    code = "actor-ambiguous"

    def __init__(self, name: str, candidates: Sequence[Any]):
        from .vocab import POLR

        self.name = name
        self.candidates = list(candidates)
        base = str(POLR)
        short = [("polr:" + c.iri[len(base) :]) if c.iri.startswith(base) else c.iri for c in candidates]
        listed = "; ".join(f"{c.label} ({c.kind}, {s})" for c, s in zip(candidates, short, strict=True))
        super().__init__(
            f"the name {name!r} fits {len(candidates)} actors: {listed}. Give the label of one, or its IRI (polr:...)"
        )


class EntityNotFoundError(ActorNotFoundError):
    """No entity of a store has the IRI, label or alias given (``kg entities merge|split``).

    ``name`` is the name asked for, ``suggestions`` the closest labels and aliases, ``where``
    the store.
    """

    code = "entity-not-found"

    def __init__(self, name: str, suggestions: list[str], where: str):
        self.name = name
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        KgError.__init__(
            self,
            f"{where}: no entity {name!r} in the store (IRI, label or alias){hint} "
            f"List them with: kg entities {where}",
        )
