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
graphml    .graphml               actor network (:func:`kg.network.actor_network`)
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

Examples
--------
>>> format_for("out/graph.ttl")
'turtle'
>>> format_for("actors.graphml")
'graphml'
"""

from __future__ import annotations

import csv
import heapq
import logging
import os
import secrets
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.stores.memory import Memory

from .errors import KgError, OutputError
from .graph import FIRST_VALUE_WINS, TOO_LONG, add_extraction, is_too_long, new_graph
from .model import DocumentExtraction
from .network import actor_network
from .vocab import DCTERMS, EVENT_TYPES, FACT_MODALITY_TERMS, POL, PREFIX_IRIS, PROV, RDF, RDFS, local_name

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

log = logging.getLogger(__name__)

ExportFunc = Callable[[Graph, Path], None]


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
    >>> from kg.vocab import POLR
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
    path = _write_atomic(Path(path), name, lambda tmp: exporter.func(graph, tmp))
    log.info("wrote %s (%s, %d triples)", path, name, len(graph))
    return path


def _write_atomic(path: Path, name: str, write: Callable[[Path], None]) -> Path:
    """Run ``write(tmp)`` on a new file beside ``path``, then move it over ``path``.

    On any failure the temporary file is removed and ``path`` is left as it was; errors
    become :class:`OutputError` naming the path and the format ``name``.
    """
    tmp: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = _create_temp(path)
        write(tmp)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
        tmp = None
    except KgError:
        raise
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OutputError(f"{path}: cannot write the {name} output ({reason})") from exc
    except Exception as exc:
        if is_too_long(exc):
            raise OutputError(f"{path}: cannot write the {name} output: {TOO_LONG}") from exc
        raise OutputError(f"{path}: the {name} exporter failed ({type(exc).__name__}: {exc})") from exc
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
    return path


def _create_temp(path: Path) -> Path:
    """An empty, new file beside ``path``, with the mode the final file should have."""
    for _ in range(100):
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # umask applies
        except FileExistsError:
            continue
        os.close(fd)
        try:
            os.chmod(tmp, stat.S_IMODE(path.stat().st_mode))  # keep an existing file's mode
        except FileNotFoundError:
            pass
        return tmp
    raise OSError(f"no free temporary name beside {path}")


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


# --------------------------------------------------------------------------- RDF


def _serialize(graph: Graph, rdf_format: str) -> str:
    if rdf_format in DATASET_FORMATS:
        return ox.serialize(dataset_quads(graph), format=DATASET_FORMATS[rdf_format], prefixes=PREFIX_IRIS).decode()
    if rdf_format in _OX_FORMATS:
        return _ox_rdf(_sorted_lines(graph), None, rdf_format).decode("utf-8")
    if rdf_format == "json-ld":
        context = dict(PREFIX_IRIS)
        return graph.serialize(format="json-ld", context=context, auto_compact=True)
    return graph.serialize(format=rdf_format)


def _rdf_exporter(rdf_format: str) -> ExportFunc:
    def export(graph: Graph, path: Path) -> None:
        if rdf_format in _OX_FORMATS:
            _ox_rdf(_sorted_lines(graph), path, rdf_format)
        elif rdf_format == "json-ld":
            path.write_text(_serialize(graph, rdf_format), encoding="utf-8")
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


# --------------------------------------------------------------------------- streaming

#: Formats :class:`GraphWriter` streams to disk as documents arrive; for the others it
#: collects an rdflib graph and calls :func:`write_graph` at the end.
STREAMED_FORMATS = frozenset(_OX_FORMATS)

#: N-Triples lines a streaming build holds before it sorts them into a temporary run file
#: (about 30 MB of memory).
_SPILL_LINES = 150_000


def _unique(sorted_lines: Iterable[str]) -> Iterator[str]:
    previous = None
    for line in sorted_lines:
        if line != previous:
            yield line
            previous = line


class _SortedRuns:
    """N-Triples lines, sorted and deduplicated with bounded memory (an external merge sort)."""

    def __init__(self, spill_lines: int) -> None:
        self.buffer: list[str] = []
        self.spill_lines = spill_lines
        self.runs: list[Path] = []
        self._dir: Path | None = None

    def directory(self) -> Path:
        if self._dir is None:
            self._dir = Path(tempfile.mkdtemp(prefix="kg-build-"))
        return self._dir

    def maybe_spill(self) -> None:
        if len(self.buffer) >= self.spill_lines:
            run = self.directory() / f"run-{len(self.runs):05d}.nt"
            self.buffer.sort()
            with open(run, "w", encoding="utf-8", newline="") as f:
                f.writelines(_unique(self.buffer))
            self.runs.append(run)
            self.buffer.clear()

    def sorted_unique(self) -> Iterator[str]:
        self.buffer.sort()
        files = [open(run, encoding="utf-8", newline="") for run in self.runs]
        try:
            yield from _unique(heapq.merge(*files, self.buffer) if files else self.buffer)
        finally:
            for f in files:
                f.close()

    def cleanup(self) -> None:
        self.buffer = []
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None


class _LineSink:
    """Stands in for the graph :func:`kg.graph.add_extraction` writes to: each triple becomes a line.

    ``value`` answers from the first value seen for the properties add_extraction asks
    about (:data:`kg.graph.FIRST_VALUE_WINS`), so first-seen-wins choices come out as in
    one rdflib graph of the whole build.
    """

    __slots__ = ("lines", "_first")

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self._first: dict[str, object] = {}

    def add(self, triple: tuple) -> None:
        s, p, o = triple
        self.lines.append(f"{_nt(s)} <{p}> {_nt(o)} .\n")
        if p in FIRST_VALUE_WINS:
            self._first.setdefault(f"{s}\x1f{p}", o)

    def value(self, subject, predicate):
        if predicate not in FIRST_VALUE_WINS:
            raise KgError(f"add_extraction asked for {predicate}, not in kg.graph.FIRST_VALUE_WINS: add it there")
        return self._first.get(f"{subject}\x1f{predicate}")


class GraphWriter:
    """Write the graph of a build to a file as document extractions arrive, atomically at the end.

    For Turtle and N-Triples (:data:`STREAMED_FORMATS`) no graph is held in memory: each
    document's triples become N-Triples lines, sorted in runs of bounded size on disk;
    :meth:`close` merges the runs (dropping duplicates), and pyoxigraph writes the
    format. The file equals what :func:`write_graph` writes for the graph
    :func:`kg.graph.build_graph` would make of the same extractions, byte for byte. Other
    formats collect that rdflib graph and hand it to :func:`write_graph`.

    Memory stays flat as the corpus grows: the run buffer, plus the first value of each
    property kept to one value across documents (an entity's label, an event's trigger).

    Parameters
    ----------
    path : str or Path
        The output file, or ``-`` for standard output (RDF formats only).
    format : str, optional
        A name of :data:`EXPORTERS`; by default from the extension of ``path``.
    validate : bool, keyword-only
        Check the SHACL shapes as documents arrive (:class:`kg.validation.StreamValidator`);
        a violation raises :class:`kg.errors.ValidationError` from :meth:`add` or
        :meth:`close`, and nothing is written.
    keep_graph : bool, keyword-only
        Also keep the rdflib graph, as :attr:`graph` (for the HTML explorer, say): memory
        then grows with the corpus again.
    spill_lines : int, keyword-only
        Lines held in memory before a sorted run goes to a temporary file.

    Attributes
    ----------
    graph : rdflib.Graph or None
        The whole graph, when kept.
    documents : int
        Extractions added.
    triples : int
        Triples written, once closed.

    Raises
    ------
    OutputError
        For an unknown format (at once), or when the file cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> from kg.model import Document, DocumentExtraction
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     with GraphWriter(Path(tmp) / "graph.nt") as writer:
    ...         writer.add(DocumentExtraction(Document("d1", "Hi."), (), (), (), ()))
    ...         path = writer.close()
    ...     print(path.name, writer.documents, writer.triples)
    graph.nt 1 2
    """

    def __init__(
        self,
        path: str | Path,
        *,
        format: str | None = None,
        validate: bool = True,
        keep_graph: bool = False,
        spill_lines: int = _SPILL_LINES,
    ) -> None:
        from .validation import StreamValidator, UnsupportedShapes

        self.format = format_for(path, format)
        self.path = Path(path)
        self.streamed = self.format in STREAMED_FORMATS
        if str(path) == "-" and EXPORTERS[self.format].rdf_format is None:
            _write_stdout(new_graph(), EXPORTERS[self.format])  # raises the usual error
        self.validator = None
        self._check_whole = False
        if validate:
            try:
                self.validator = StreamValidator()
            except UnsupportedShapes as exc:
                log.warning("SHACL shapes need pyshacl (%s): validating the whole graph at the end", exc)
                self._check_whole = True
        self.graph: Graph | None = new_graph() if keep_graph or self._check_whole or not self.streamed else None
        self._runs = _SortedRuns(spill_lines) if self.streamed else None
        self._sink = _LineSink(self._runs.buffer) if self._runs is not None else None
        self.documents = 0
        self.triples = 0
        self._closed = False

    def add(self, extraction: DocumentExtraction) -> None:
        """Add one document's extraction (checked against the shapes first when validating)."""
        if self._closed:
            raise ValueError("this GraphWriter is closed")
        if self.validator is not None:
            self.validator.check_extraction(extraction)
        if self._sink is not None:
            add_extraction(self._sink, extraction)
            self._runs.maybe_spill()
        if self.graph is not None:
            add_extraction(self.graph, extraction)
        self.documents += 1

    def close(self) -> Path:
        """Finish: check what only the whole graph can break, write the file, and return its path.

        Raises
        ------
        ValidationError
            When the graph breaks the shapes; nothing is written then.
        OutputError
            When the file cannot be written; an earlier file at the path is kept.
        """
        if self._closed:
            raise ValueError("this GraphWriter is closed")
        try:
            if self._check_whole:
                from .validation import check

                check(self.graph)
            if self.streamed:
                return self._write_streamed()
            if self.validator is not None:
                for _ in self.validator.watch_lines(_sorted_lines(self.graph)):
                    pass
                self.validator.raise_if_violated()
            self.triples = len(self.graph)
            return write_graph(self.graph, self.path, format=self.format)
        finally:
            self.abort()

    def _write_streamed(self) -> Path:
        sorted_nt = self._runs.directory() / "sorted.nt"
        lines = self._runs.sorted_unique()
        if self.validator is not None:
            lines = self.validator.watch_lines(lines)
        count = 0
        with open(sorted_nt, "w", encoding="utf-8", newline="") as f:
            for line in lines:
                f.write(line)
                count += 1
        if self.validator is not None:
            self.validator.raise_if_violated()
        self.triples = count
        if str(self.path) == "-":
            try:
                _ox_rdf(sorted_nt, sys.stdout.buffer, self.format)
                sys.stdout.flush()
            except OSError as exc:
                raise OutputError(f"-: cannot write to standard output ({exc.strerror or exc})") from exc
            return Path("-")
        path = _write_atomic(self.path, self.format, lambda tmp: _ox_rdf(sorted_nt, tmp, self.format))
        log.info("wrote %s (%s, %d triples, streamed)", path, self.format, count)
        return path

    def abort(self) -> None:
        """Stop without writing; remove the temporary files. (Closing twice is harmless.)"""
        self._closed = True
        if self._runs is not None:
            self._runs.cleanup()

    def __enter__(self) -> GraphWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.abort()


# --------------------------------------------------------------------------- datasets

#: rdflib format name -> pyoxigraph format, for the dataset formats (one graph per document).
DATASET_FORMATS = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}

_ENTITY_LINKS = (POL.actor, POL.recipient, POL.location)
_TRUTHY_BY_TYPE = {POL[name]: POL[t.truthy] for name, t in EVENT_TYPES.items()}
_TRUTHY_PREDICATES = frozenset(_TRUTHY_BY_TYPE.values())


def split_by_document(graph: Graph) -> tuple[dict[URIRef, Graph], Graph]:
    """Split a graph by provenance: the triples each ``pol:Document`` accounts for, and the rest.

    A document's part holds the document's own triples, its sentences (``pol:inDocument``),
    the events derived from them (with only its own ``prov:wasDerivedFrom`` links), the
    entities taking part in those events (their type, labels and other properties; only
    the ``pol:participatedIn`` links and truthy edges its events give). An event or
    entity stated by several documents appears in each of their parts; what no document
    accounts for is the rest.

    Parameters
    ----------
    graph
        A graph in the shape of the RDF contract.

    Returns
    -------
    tuple[dict[URIRef, Graph], Graph]
        The part of each document, by document IRI (sorted), and the rest.

    Notes
    -----
    Properties of an entity are not traced to the document that gave them: an entity's
    aliases go with every document that mentions it.

    Examples
    --------
    >>> from rdflib import Literal
    >>> from kg.model import Document, DocumentExtraction
    >>> from kg.graph import add_extraction
    >>> g = add_extraction(new_graph(), DocumentExtraction(Document("d1", "Hi."), (), (), (), ()))
    >>> _ = g.add((POL.PLOVER, RDFS.label, Literal("PLOVER")))
    >>> parts, rest = split_by_document(g)
    >>> [len(part) for part in parts.values()], len(rest)
    ([2], 1)
    """
    parts: dict[URIRef, Graph] = {}
    used: set = set()
    for doc in sorted({d for d in graph.subjects(RDF.type, POL.Document) if isinstance(d, URIRef)}, key=str):
        part = new_graph()

        def take(triple, part=part) -> None:
            part.add(triple)
            used.add(triple)

        for triple in graph.triples((doc, None, None)):
            take(triple)
        sentences = set(graph.subjects(POL.inDocument, doc))
        for sentence in sentences:
            for triple in graph.triples((sentence, None, None)):
                take(triple)
        events = {e for s in sentences for e in graph.subjects(PROV.wasDerivedFrom, s)}
        entities = set()
        for event in events:
            for triple in graph.triples((event, None, None)):
                if triple[1] == PROV.wasDerivedFrom and triple[2] not in sentences:
                    continue
                take(triple)
                if triple[1] in _ENTITY_LINKS:
                    entities.add(triple[2])
        for entity in entities:
            for triple in graph.triples((entity, None, None)):
                if triple[1] == POL.participatedIn and triple[2] not in events:
                    continue
                if triple[1] not in _TRUTHY_PREDICATES:
                    take(triple)
        for event in events:
            truthy = _TRUTHY_BY_TYPE.get(graph.value(event, POL.eventType))
            if truthy is None or graph.value(event, POL.modality) not in FACT_MODALITY_TERMS:
                continue
            actors, recipients = set(graph.objects(event, POL.actor)), set(graph.objects(event, POL.recipient))
            pairs = (
                [(a, r) for a in actors for r in recipients]
                if recipients
                else [(a, b) for a in actors for b in actors if a != b]
            )
            for a, b in pairs:
                if (a, truthy, b) in graph:
                    take((a, truthy, b))
        parts[doc] = part
    rest = new_graph()
    for triple in graph:
        if triple not in used:
            rest.add(triple)
    return parts, rest


def _ox_triples(graph: Graph) -> list:
    lines = _sorted_lines(graph)
    return list(ox.parse("".join(lines), format=ox.RdfFormat.N_TRIPLES)) if lines else []


def dataset_quads(graph: Graph) -> list[ox.Quad]:
    """The quads of ``graph`` split by :func:`split_by_document`, as pyoxigraph quads.

    The rest comes first in the default graph, then each document's named graph (named
    by its document IRI), in IRI order; triples are sorted, so output is deterministic.
    """
    parts, rest = split_by_document(graph)
    quads = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in _ox_triples(rest)]
    for doc, part in parts.items():
        name = ox.NamedNode(str(doc))
        quads += [ox.Quad(t.subject, t.predicate, t.object, name) for t in _ox_triples(part)]
    return quads


def _dataset_exporter(rdf_format: str) -> ExportFunc:
    def export(graph: Graph, path: Path) -> None:
        ox.serialize(dataset_quads(graph), str(path), format=DATASET_FORMATS[rdf_format], prefixes=PREFIX_IRIS)

    return export


def export_trig(graph: Graph, path: Path) -> None:
    """Write TriG: one named graph per document (:func:`split_by_document`), the rest in the default graph."""
    _dataset_exporter("trig")(graph, path)


def export_nquads(graph: Graph, path: Path) -> None:
    """Write N-Quads: one named graph per document (:func:`split_by_document`), the rest in the default graph."""
    _dataset_exporter("nquads")(graph, path)


# --------------------------------------------------------------------------- networks

_MAX_TEXTS = 3
_MAX_TEXT_LEN = 300


def _short(text: str) -> str:
    return text if len(text) <= _MAX_TEXT_LEN else text[: _MAX_TEXT_LEN - 1] + "…"


def flat_network(graph: Graph) -> nx.MultiDiGraph:
    """:func:`kg.network.actor_network` with only scalar attributes, for GraphML and GEXF.

    Node ``aliases`` become one string joined with ``"; "``. On edges, ``sentences``
    becomes the number of supporting sentences, ``text`` up to three of them joined with
    ``" | "``, ``docs`` the document ids joined with ``"; "``, and ``first_date`` and
    ``last_date`` the range of their documents' dates.
    """
    net = actor_network(graph)
    flat = nx.MultiDiGraph()
    for node, data in net.nodes(data=True):
        attrs = {k: v for k, v in data.items() if k != "aliases"}
        attrs["aliases"] = "; ".join(data.get("aliases", []))
        flat.add_node(node, **{k: _scalar(v) for k, v in attrs.items()})
    for u, v, key, data in net.edges(keys=True, data=True):
        sentences = data.get("sentences", [])
        attrs = {k: _scalar(val) for k, val in data.items() if k != "sentences"}
        texts = list(dict.fromkeys(s["text"] for s in sentences if s.get("text")))
        dates = sorted(s["date"] for s in sentences if s.get("date"))
        attrs.update(
            sentences=len(sentences),
            text=" | ".join(_short(t) for t in texts[:_MAX_TEXTS]),
            docs="; ".join(dict.fromkeys(s["doc"] for s in sentences if s.get("doc"))),
            first_date=dates[0] if dates else "",
            last_date=dates[-1] if dates else "",
        )
        flat.add_edge(u, v, key=key, **attrs)
    return flat


def _scalar(value):
    if value is None:
        return ""
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(str(v) for v in value)
    return str(value)


def export_graphml(graph: Graph, path: Path) -> None:
    """Write the actor network as GraphML (node and edge attributes all scalars)."""
    nx.write_graphml(flat_network(graph), str(path), encoding="utf-8")


def export_gexf(graph: Graph, path: Path) -> None:
    """Write the actor network as GEXF 1.2 for Gephi.

    GEXF reserves an edge's ``type`` (directed or undirected) and ``label``, so the
    event type is stored as ``event_type`` and also shown as the edge label.
    """
    net = flat_network(graph)
    for _, _, data in net.edges(data=True):
        data["event_type"] = data.pop("type", "")
        data["label"] = data["event_type"]
    nx.write_gexf(net, str(path), encoding="utf-8")


# --------------------------------------------------------------------------- csv

#: Columns of the csv export, in order.
CSV_COLUMNS = (
    "event",
    "type",
    "modality",
    "actors",
    "recipients",
    "date",
    "trigger",
    "score",
    "confidence",
    "sentence",
    "documents",
)


def event_rows(graph: Graph) -> list[dict[str, str]]:
    """One dict per event (keys :data:`CSV_COLUMNS`), sorted by date, type and IRI.

    Parties are labels joined with ``"; "`` (sorted); ``date`` is the event's own date,
    else the earliest date of a document that states it; ``sentence`` joins the
    supporting sentences with ``" | "``.
    """

    def label(node) -> str:
        value = graph.value(node, RDFS.label)
        return str(value) if value is not None else local_name(node)

    rows = []
    for event in set(graph.subjects(RDF.type, POL.Event)):
        sentences = sorted(set(graph.objects(event, PROV.wasDerivedFrom)), key=str)
        docs = sorted({d for s in sentences for d in graph.objects(s, POL.inDocument)}, key=str)
        doc_dates = sorted(str(d) for doc in docs for d in graph.objects(doc, DCTERMS.date))
        own_date = graph.value(event, POL.date)
        texts = list(dict.fromkeys(str(t) for s in sentences for t in graph.objects(s, POL.text)))
        ids = [str(graph.value(d, DCTERMS.identifier) or local_name(d)) for d in docs]
        etype, modality = graph.value(event, POL.eventType), graph.value(event, POL.modality)
        score, trigger = graph.value(event, POL.score), graph.value(event, POL.trigger)
        confidence = graph.value(event, POL.confidence)
        rows.append(
            {
                "event": str(event),
                "type": local_name(etype) if etype is not None else "",
                "modality": local_name(modality) if modality is not None else "",
                "actors": "; ".join(sorted(label(a) for a in graph.objects(event, POL.actor))),
                "recipients": "; ".join(sorted(label(r) for r in graph.objects(event, POL.recipient))),
                "date": str(own_date) if own_date is not None else (doc_dates[0] if doc_dates else ""),
                "trigger": str(trigger) if trigger is not None else "",
                "score": str(score) if score is not None else "",
                "confidence": str(confidence) if confidence is not None else "",
                "sentence": " | ".join(texts),
                "documents": "; ".join(sorted(ids)),
            }
        )
    rows.sort(key=lambda r: (r["date"] == "", r["date"], r["type"], r["event"]))
    return rows


def export_csv(graph: Graph, path: Path) -> None:
    """Write one row per event (columns :data:`CSV_COLUMNS`), UTF-8, with a header."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(event_rows(graph))


# --------------------------------------------------------------------------- registry

register_exporter("turtle", (".ttl", ".turtle"), _rdf_exporter("turtle"), rdf_format="turtle")
register_exporter("nt", (".nt",), _rdf_exporter("nt"), rdf_format="nt")
register_exporter("json-ld", (".jsonld", ".json"), _rdf_exporter("json-ld"), rdf_format="json-ld")
register_exporter("xml", (".rdf", ".xml", ".owl"), _rdf_exporter("xml"), rdf_format="xml")
register_exporter("trig", (".trig",), export_trig, rdf_format="trig")
register_exporter("nquads", (".nq",), export_nquads, rdf_format="nquads")
register_exporter("graphml", (".graphml",), export_graphml)
register_exporter("gexf", (".gexf",), export_gexf)
register_exporter("csv", (".csv",), export_csv)
