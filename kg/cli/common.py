"""What every ``kg`` sub-command shares: the consoles, the error guard, the report of bad inputs.

A module of its own so that the command groups (``main``, ``store``, ``imports``,
``analysis``) use one guard without importing each other.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence

import typer
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from ..builder import BuildProgress
from ..errors import KgError, OutputError

__all__ = [
    "out", "err", "fail", "guard", "report_bad", "summary_table", "add_breakdown", "RichBuildProgress",
    "check_outputs", "load_source_graph", "IllTypedLiterals",
    "quiet_ill_typed_literals", "report_skipped",
]  # fmt: skip

#: Results (tables, query answers) go to standard output; messages and summaries to standard error.
#: Neither reads Rich markup or emoji codes in what it prints: file names, ids, labels and queries
#: are the user's text and are shown as written (``[/]``, ``[bold]x[/bold].txt``, ``:date:``).
#: Markup of kg's own must be asked for (``markup=True``) with every user value passed through
#: ``rich.markup.escape``.
out = Console(markup=False, emoji=False)
err = Console(stderr=True, markup=False, emoji=False)


class IllTypedLiterals(logging.Filter):
    """rdflib's warning for a literal that is not valid for its datatype, as one line, not a traceback.

    ``"2024-13-45"^^xsd:date`` is kept as written (RDF allows it); the user is told once
    per literal, up to ``limit`` of them; the rest are not shown.
    """

    def __init__(self, limit: int = 5):
        super().__init__()
        self.limit = limit
        self.seen = 0

    def filter(self, record: logging.LogRecord) -> bool:
        if not str(record.msg).startswith("Failed to convert Literal lexical form"):
            return True
        self.seen += 1
        if self.seen > self.limit:
            return False
        lexical, datatype, problem = "?", "", ""
        if record.exc_info and record.exc_info[1] is not None:
            problem = str(record.exc_info[1])
            tb = record.exc_info[2]
            while tb is not None:
                lexical = tb.tb_frame.f_locals.get("lexical", lexical)
                tb = tb.tb_next
        m = re.search(r"Datatype=(\S+?),", str(record.msg))
        datatype = m.group(1) if m else ""
        record.msg = "ill-typed literal %r^^<%s> kept as written%s%s"
        record.args = (
            str(lexical)[:80],
            datatype,
            f" ({problem})" if problem else "",
            "; further ones are not shown" if self.seen == self.limit else "",
        )
        record.exc_info = None
        record.exc_text = None
        return True


def quiet_ill_typed_literals() -> None:
    """Show rdflib's ill-typed literal warnings as :class:`IllTypedLiterals` lines (once per run)."""
    logger = logging.getLogger("rdflib.term")
    for old in [f for f in logger.filters if isinstance(f, IllTypedLiterals)]:
        logger.removeFilter(old)
    logger.addFilter(IllTypedLiterals())


def fail(message: str, code: str | None = None) -> None:
    """Print one error panel, titled with the error's code when it has one, and exit with code 1."""
    title = f"kg: error [{code}]" if code else "kg: error"
    err.print(Panel(Text(message), title=Text(title), title_align="left", border_style="red", expand=False))
    raise typer.Exit(1)


def guard(func: Callable) -> Callable:
    """Turn library errors into one clear message and exit code 1, never a traceback.

    Set ``KG_DEBUG=1`` to see the traceback of an unexpected error instead.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except KgError as exc:
            fail(str(exc), code=exc.code)
        except KeyboardInterrupt:
            fail("interrupted; no output was changed")
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except Exception as exc:  # a bug: still no traceback for the user, but a way to get one
            if os.environ.get("KG_DEBUG"):
                raise
            fail(f"internal error: {type(exc).__name__}: {exc}\nRun with KG_DEBUG=1 for the traceback.")

    return wrapper


def load_source_graph(source: str):
    """A command's GRAPH argument, a graph file or a store directory, as an rdflib graph (a store's
    merged view, the store closed again). Imported here, on use, so ``kg --help`` stays fast."""
    from ..store import read_graph

    return read_graph(source)


def check_outputs(inputs: Iterable, outputs: Iterable) -> None:
    """Refuse a run whose output is one of its inputs, or the same file as another of its outputs.

    ``-`` (standard input or output) and None are ignored; paths are compared after
    resolving links, and by identity where both exist.

    Raises
    ------
    KgError
        Naming the path and the two roles it has.
    """
    seen: list[tuple[str, str]] = []  # (real path, role)
    for role, paths in (("input", inputs), ("output", outputs)):
        for path in paths:
            if path is None or str(path) in ("-", "") or str(path).startswith(("http://", "https://")):
                continue
            real = os.path.realpath(path)
            for other, other_role in seen if role == "output" else ():
                if real == other or (os.path.exists(real) and os.path.exists(other) and os.path.samefile(real, other)):
                    if other_role == "input":
                        raise OutputError(
                            f"{path}: this output is also an input of the same run and would overwrite it; "
                            "write the output to another file"
                        )
                    raise OutputError(
                        f"{path}: two outputs of the same run are this one file, and one would overwrite the other; "
                        "give each its own file"
                    )
            seen.append((real, role))


def summary_table(title: str) -> Table:
    """The two-column table (what, how many) that ends a build or an import."""
    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column(justify="right")
    return table


def add_breakdown(table: Table, counts: Mapping, *, name: Callable[[str], str] = str, by_count: bool = True) -> None:
    """One indented row per key of ``counts``: most first (ties by key), or by key."""
    order = (lambda kv: (-kv[1], kv[0])) if by_count else (lambda kv: kv[0])
    for key, n in sorted(counts.items(), key=order):
        table.add_row(f"  {name(key)}", f"{n:,}")


def report_bad(bad: Sequence[Exception], what: str = "document(s)") -> None:
    """List the inputs a run skipped (``--skip-bad``), one message each."""
    if not bad:
        return
    err.print(f"[yellow]skipped {len(bad)} bad {escape(what)}:[/yellow]", markup=True)
    for error in bad:
        err.print(f"  {error}", markup=False, highlight=False)


def report_skipped(skipped: Sequence) -> None:
    """List the files a folder build left out (:class:`kg.read.Skipped`), each with its reason."""
    if not skipped:
        return
    err.print(f"[yellow]left out {len(skipped)} file(s) found in folders:[/yellow]", markup=True)
    for item in skipped:
        err.print(f"  {item.path}: {item.reason}", markup=False, highlight=False)


class _CountColumn(ProgressColumn):
    """``12/300 documents`` with a total, ``12 documents`` without one; nothing for a phase."""

    def __init__(self, what: str):
        super().__init__()
        self.what = what

    def render(self, task) -> Text:
        if task.fields.get("phase"):
            return Text("")
        done = f"{int(task.completed):,}" + (f"/{int(task.total):,}" if task.total is not None else "")
        return Text(f"{done} {self.what}", style="progress.download")


class _RemainingColumn(TimeRemainingColumn):
    """The estimated time left, only when there is a total to reach."""

    def render(self, task) -> Text:
        if task.total is None or task.fields.get("phase"):
            return Text("")
        return Text.assemble("ETA ", super().render(task))


class RichBuildProgress(BuildProgress):
    """A build's progress on the terminal: a bar of documents done (of the total, when
    :func:`kg.read.count_documents` knows it), documents per second, time taken and time
    left; then one line for each later phase. Nothing when standard error is no terminal."""

    def __init__(self, what: str = "documents"):
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            _CountColumn(what),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            _RemainingColumn(),
            console=err,
            transient=True,
            disable=not err.is_terminal,
        )
        self._task = None
        self._running = False

    def _run(self) -> None:
        if not self._running:
            self._progress.start()
            self._running = True

    def start(self, description: str, total: int | None) -> None:
        """Show the bar (called once parsing begins, after any workers are forked)."""
        self._run()
        self._task = self._progress.add_task(description, total=total, rate="")

    def advance(self, rate: float) -> None:
        """One more document parsed, at ``rate`` documents per second."""
        if self._task is not None:
            self._progress.update(self._task, advance=1, rate=f"{rate:.1f} docs/s")

    def skip(self) -> None:
        """One more document done without parsing (unchanged in a store)."""
        if self._task is not None:
            self._progress.advance(self._task)

    @contextlib.contextmanager
    def phase(self, description: str):
        """Show one phase of a build (validating and writing, drawing the explorer) while it runs."""
        if self._task is not None:
            self._progress.update(self._task, visible=False)
        self._run()
        task = self._progress.add_task(description, total=None, rate="", phase=True)
        try:
            yield
        finally:
            self._progress.update(task, visible=False)

    def stop(self) -> None:
        """Take the bar off the screen."""
        if self._running:
            self._progress.stop()
            self._running = False
