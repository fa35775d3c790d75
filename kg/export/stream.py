"""Writing a build's graph without holding it: each document's triples go to sorted runs on
disk, merged at the end (:class:`GraphWriter`)."""

from __future__ import annotations

import heapq
import logging
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from rdflib import Graph

from ..errors import KgError, OutputError
from ..graph import FIRST_VALUE_WINS, add_extraction, new_graph
from ..model import DocumentExtraction
from ..outputs import write_atomic
from .files import EXPORTERS, _exporter_errors, _write_stdout, format_for, write_graph
from .rdf import _OX_FORMATS, _nt, _ox_rdf, _sorted_lines

log = logging.getLogger(__name__)

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
        from ..validation import StreamValidator, UnsupportedShapes

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
                from ..validation import check

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
        write = _exporter_errors(lambda tmp: _ox_rdf(sorted_nt, tmp, self.format), self.path, self.format)
        path = write_atomic(self.path, write, what=f"{self.format} output")
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
