"""The registry of output formats, and writing a file atomically: a temporary file next to the
target replaces it only once complete."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ..errors import KgError, OutputError
from ..graph import TOO_LONG, is_too_long
from ..outputs import write_atomic
from ..vocab import PREFIX_IRIS
from .dataset import DATASET_FORMATS, dataset_quads
from .rdf import _OX_FORMATS, ExportFunc, _jsonld, _ox_rdf, _sorted_lines

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Exporter:
    """A registered output format.

    ``rdf_format`` is the rdflib serializer name for RDF formats (which can also go to
    standard output); None for the others.
    """

    name: str
    extensions: tuple[str, ...]
    func: ExportFunc
    rdf_format: str | None = None


#: Output formats by name. Add to it with :func:`register_exporter`.
EXPORTERS: dict[str, Exporter] = {}


def register_exporter(
    name: str,
    extensions: Iterable[str],
    func: ExportFunc,
    *,
    rdf_format: str | None = None,
    replace: bool = False,
) -> Exporter:
    """Register an output format: ``func(graph, path)`` writes ``graph`` to ``path``.

    Parameters
    ----------
    name
        The format's name, as given to ``--format``.
    extensions
        File extensions that select it (``".ttl"``); matched case-insensitively.
    func
        Writes one file. It may raise; :func:`write_graph` then keeps the old output.
    rdf_format
        rdflib's serializer name, when the format is an RDF syntax (enables path ``-``).
    replace
        Allow replacing an exporter of the same name.

    Raises
    ------
    ValueError
        When ``name`` is taken and ``replace`` is false.
    """
    if name in EXPORTERS and not replace:
        raise ValueError(f"an exporter named {name!r} exists; pass replace=True to replace it")
    exts = tuple(e.lower() if e.startswith(".") else f".{e.lower()}" for e in extensions)
    exporter = Exporter(name, exts, func, rdf_format)
    EXPORTERS[name] = exporter
    return exporter


def _choices() -> str:
    return ", ".join(f"{e.name} ({' '.join(e.extensions)})" if e.extensions else e.name for e in EXPORTERS.values())


def format_for(path: str | Path, format: str | None = None) -> str:
    """The exporter name for ``path``: ``format`` if given, else from the extension.

    Raises
    ------
    OutputError
        For an unknown format or extension; the message names the path and the choices.

    >>> format_for("graph.out", "nt")
    'nt'
    """
    if format is not None:
        if format not in EXPORTERS:
            raise OutputError(f"{path}: unknown output format {format!r}; choose one of {_choices()}")
        return format
    if str(path) == "-":
        return "turtle"
    suffix = Path(path).suffix.lower()
    for exporter in EXPORTERS.values():
        if suffix in exporter.extensions:
            return exporter.name
    what = f"extension {suffix!r}" if suffix else "no extension"
    raise OutputError(f"{path}: cannot tell the output format ({what}); use one of {_choices()}, or give --format")


def write_graph(graph: Graph, path: str | Path, *, format: str | None = None) -> Path:
    """Write ``graph`` to ``path`` atomically, creating parent directories.

    Parameters
    ----------
    graph
        A graph in the shape of the RDF contract.
    path
        The output file; ``-`` writes to standard output (RDF formats only, turtle by
        default).
    format
        A name of :data:`EXPORTERS`; by default from the extension of ``path``.

    Returns
    -------
    Path
        The path written.

    Raises
    ------
    OutputError
        For an unknown format, or when the file cannot be written (the message names the
        path). Any earlier file at ``path`` is then left as it was.

    Examples
    --------
    >>> import tempfile
    >>> from rdflib import Literal
    >>> from kg.graph import new_graph
    >>> from kg.vocab import POLR, RDFS
    >>> g = new_graph()
    >>> _ = g.add((POLR["country/ATL"], RDFS.label, Literal("Atlantis")))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = write_graph(g, Path(tmp) / "new-dir" / "graph.nt")
    ...     print(out.name, out.read_text(), end="")
    graph.nt <https://w3id.org/polkg/id/country/ATL> <http://www.w3.org/2000/01/rdf-schema#label> "Atlantis" .
    """
    name = format_for(path, format)
    exporter = EXPORTERS[name]
    if str(path) == "-":
        return _write_stdout(graph, exporter)
    path = Path(path)
    write = _exporter_errors(lambda tmp: exporter.func(graph, tmp), path, name)
    path = write_atomic(path, write, what=f"{name} output")
    log.info("wrote %s (%s, %d triples)", path, name, len(graph))
    return path


def _exporter_errors(write: Callable[[Path], None], path: Path, name: str) -> Callable[[Path], None]:
    """``write``, with an exporter's failure said as an :class:`OutputError`: Oxigraph's on a term
    over 16 MB in kg's words, any other (not a file error) naming the exporter."""

    def run(tmp: Path) -> None:
        try:
            write(tmp)
        except (KgError, OSError):
            raise
        except Exception as exc:
            if is_too_long(exc):
                raise OutputError(f"{path}: cannot write the {name} output: {TOO_LONG}") from exc
            raise OutputError(f"{path}: the {name} exporter failed ({type(exc).__name__}: {exc})") from exc

    return run


def _write_stdout(graph: Graph, exporter: Exporter) -> Path:
    if exporter.rdf_format is None:
        raise OutputError(
            f"-: the {exporter.name} format cannot go to standard output; give a file name, "
            f"or use one of {', '.join(e.name for e in EXPORTERS.values() if e.rdf_format)}"
        )
    text = _serialize(graph, exporter.rdf_format)
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except OSError as exc:
        raise OutputError(f"-: cannot write to standard output ({exc.strerror or exc})") from exc
    return Path("-")


def _serialize(graph: Graph, rdf_format: str) -> str:
    if rdf_format in DATASET_FORMATS:
        return ox.serialize(dataset_quads(graph), format=DATASET_FORMATS[rdf_format], prefixes=PREFIX_IRIS).decode()
    if rdf_format in _OX_FORMATS:
        return _ox_rdf(_sorted_lines(graph), None, rdf_format).decode("utf-8")
    if rdf_format == "json-ld":
        return _jsonld(graph)
    return graph.serialize(format=rdf_format)
