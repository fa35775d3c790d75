"""Files and directories: which reader each path goes to, what a folder walk leaves out, and
:func:`read_documents`, the reading stage's entry point."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import NamedTuple, TextIO

from ..errors import InputError
from ..model import Document
from .common import (
    _DOCX,
    _EMPTY,
    _EXPLORER_MARK,
    _FEEDS,
    _FIGURE_MARK,
    _HTML,
    _IN_DIRECTORIES,
    _JSONL,
    _OTHER_TYPES,
    _PDF,
    _READABLE,
    _STORE_MARKERS,
    _UNSUPPORTED,
    ErrorHandler,
    _check_encodable,
    _normalise,
    _read_txt,
    _suffix,
)
from .dates import _checked_date
from .jsonl import _read_jsonl, _read_stdin
from .office import _docx_document, _pdf_document, _read_bytes
from .web import _ENTRY_RE, _LINE_SUFFIX_RE, _URL_RE, _feed_documents, _page_document, _read_url

log = logging.getLogger(__name__)

# --------------------------------------------------------------------------- files and directories


class Skipped(NamedTuple):
    """A file or directory a folder build leaves out, and why (for ``on_skip``)."""

    path: str
    reason: str


def _other_type(name: str) -> str:
    suffix = _suffix(name)
    if suffix == ".xml":
        return "an .xml file: read only when named, as it is as often a sitemap or data as a news feed"
    return _OTHER_TYPES.get(suffix) or (
        f"not a kind of file kg reads ({suffix or 'no extension'}; it reads {', '.join(_IN_DIRECTORIES)})"
    )


def _kg_output(name: str) -> str | None:
    """Why a file is one kg wrote (an explorer page, a figure), or None: read from its first or last bytes."""
    suffix = _suffix(name)
    try:
        with open(name, "rb") as f:
            if suffix in _HTML:
                if _EXPLORER_MARK in f.read(4096):
                    return "kg's own output: an explorer page kg wrote (kg draw, kg build --html), not an article"
            elif suffix == _PDF:
                f.seek(0, os.SEEK_END)
                f.seek(max(0, f.tell() - 4096))
                if _FIGURE_MARK in f.read():
                    return "kg's own output: a figure kg plot wrote, not an article"
    except OSError:
        return None  # reading it will say what is wrong
    return None


def _walk(directory: str) -> Iterator[str | Skipped | InputError]:
    """Files kg reads below ``directory`` (not ``.xml``), depth first, sorted by name, and
    what it leaves out (:class:`Skipped`): other files, kg's own outputs, hidden entries, stores."""
    try:
        with os.scandir(directory) as it:
            entries = sorted(it, key=lambda entry: entry.name)
    except OSError as e:
        yield InputError(directory, f"cannot read directory ({(e.strerror or str(e)).lower()})")
        return
    for entry in entries:
        path = os.path.join(directory, entry.name)
        if entry.name.startswith("."):
            yield Skipped(path, "hidden, not searched")
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                if all(os.path.exists(os.path.join(path, m)) for m in _STORE_MARKERS):
                    yield Skipped(path, "kg's own output: a store (kg query and kg export read it), not articles")
                else:
                    yield from _walk(path)
                continue
            if entry.is_symlink() and entry.is_dir():
                yield Skipped(path, "a symbolic link to a directory, not followed")
                continue
            is_file = entry.is_file()
        except OSError:
            is_file = False
        if not is_file:
            yield Skipped(path, "not a regular file")
        elif _suffix(entry.name) not in _IN_DIRECTORIES:
            yield Skipped(path, _other_type(entry.name))
        elif (own := _kg_output(path)) is not None:
            yield Skipped(path, own)
        else:
            yield path


def _read_file(name: str, default_date: str | None) -> Iterator[Document | InputError]:
    suffix = _suffix(name)
    if suffix == _JSONL:
        yield from _read_jsonl(name, default_date)
        return
    try:
        if (own := _kg_output(name)) is not None:
            raise InputError(name, own)
        if suffix in _FEEDS:
            yield from _feed_documents(_read_bytes(name), name, Path(name).stem, default_date)
        elif suffix in _HTML:
            yield _page_document(_read_bytes(name), name, Path(name).stem, default_date)
        elif suffix == _PDF:
            yield _pdf_document(_read_bytes(name), name, Path(name).stem, default_date)
        elif suffix == _DOCX:
            yield _docx_document(_read_bytes(name), name, Path(name).stem, default_date)
        else:
            yield _read_txt(name, default_date)
    except InputError as e:
        yield e


def _read_directory(name: str, default_date: str | None) -> Iterator[Document | InputError | Skipped]:
    found = False
    for path in _walk(name):
        if not isinstance(path, str):
            yield path
            continue
        found = True
        log.debug("reading %s", path)
        yield from _read_file(path, default_date)
    if not found:
        log.warning("%s: no .txt or .jsonl files, web pages, feeds, PDF or Word files in this directory", name)


_FEED_ITEM_RE = re.compile(rb"<(?:item|entry)[\s>]")


def document_kind(document: Document) -> str:
    """The kind of input a document was read from, for summaries: "txt", "jsonl", "html", "feed",
    "pdf", "docx" or "text".

    "text" is a string given to :func:`read_texts` (or a document made in Python).

    Examples
    --------
    >>> document_kind(Document("a1", "Talks resumed.", origin="wire.jsonl:3"))
    'jsonl'
    >>> document_kind(Document("x", "Talks resumed.", origin="feeds/wire.xml entry 2"))
    'feed'
    >>> document_kind(Document("r", "Talks resumed.", origin="reports/readout.pdf"))
    'pdf'
    """
    origin = document.origin
    if _ENTRY_RE.search(origin):
        return "feed"
    if origin.startswith("<stdin>"):
        return "jsonl"
    if not origin or origin.startswith("<texts>"):
        return "text"
    if _URL_RE.match(origin):
        return "html"
    suffix = _suffix(_LINE_SUFFIX_RE.sub("", origin))
    if suffix == _JSONL:
        return "jsonl"
    if suffix in (_PDF, _DOCX):
        return suffix[1:]
    return "html" if suffix in _HTML else "txt"


def count_documents(paths: Iterable[str | os.PathLike]) -> int | None:
    """How many documents :func:`read_documents` will read from ``paths``, counted cheaply.

    Files are counted, not parsed: one document a file, one a non-blank line of a JSON
    lines file, one an ``<item>`` or ``<entry>`` of a feed. Bad inputs and duplicates
    (which are skipped) are counted too, so the count is an upper bound.

    Returns
    -------
    int or None
        The count, or None when it cannot be known without reading: standard input
        (``-``), web addresses, or a path that does not exist.

    Examples
    --------
    >>> count_documents(["-"]) is None
    True
    """
    if isinstance(paths, str | bytes | os.PathLike):
        paths = [paths]
    total = 0
    for path in paths:
        name = os.fsdecode(path)
        if name == "-" or _URL_RE.match(name) or not os.path.exists(name):
            return None
        files = [p for p in _walk(name) if isinstance(p, str)] if os.path.isdir(name) else [name]
        total += sum(_count_file(f) for f in files)
    return total


def _count_file(name: str) -> int:
    suffix = _suffix(name)
    try:
        if suffix == _JSONL:
            with open(name, "rb") as f:
                return sum(1 for line in f if line.strip())
        if suffix in _FEEDS:
            return len(_FEED_ITEM_RE.findall(_read_bytes(name)))
    except (OSError, InputError):
        pass
    return 1


def _source(path: str | os.PathLike, fetch: bool) -> tuple[str, str]:
    """Check one input path up front; return ``(kind, name)``."""
    name = os.fsdecode(path)
    if name == "-":
        return "stdin", name
    if _URL_RE.match(name):
        if not fetch:
            raise InputError(name, "not fetched: kg reads from the network only when asked (kg build --fetch)")
        return "url", name
    if not name or not os.path.exists(name):
        raise InputError(name or "''", "no such file or directory")
    if os.path.isdir(name):
        return "dir", name
    if _suffix(name) not in _READABLE:
        reason = _OTHER_TYPES.get(_suffix(name))
        raise InputError(name, _UNSUPPORTED + (f" ({reason})" if reason else ""))
    return "file", name


def _report(error: InputError, on_error: ErrorHandler | None) -> None:
    if on_error is None:
        log.warning("skipped %s", error)
    else:
        log.debug("skipped %s", error)
        on_error(error)


def read_documents(
    paths: Iterable[str | os.PathLike],
    *,
    default_date: str | None = None,
    skip_bad: bool = False,
    on_error: ErrorHandler | None = None,
    stdin: TextIO | None = None,
    fetch: bool = False,
    on_skip: Callable[[Skipped], None] | None = None,
) -> Iterator[Document]:
    """Read documents from files, directories, standard input and (if asked) the web, one at a time.

    Parameters
    ----------
    paths : iterable of str or os.PathLike
        ``.txt`` files (one document each, id = file stem), ``.jsonl`` files (one JSON
        object a line), saved web pages (``.html``, ``.htm``: one document each, id =
        file stem), news feeds (``.xml``, ``.rss``, ``.atom``: one document per entry),
        directories (searched recursively in sorted order for all of these but ``.xml``;
        hidden files and directories, other files and symlinked directories are
        skipped), ``-`` for JSON lines on standard input, and ``http(s)://`` addresses
        of a page or feed when ``fetch`` is true, PDF (``.pdf``) and Word (``.docx``)
        files, one document each (id = file stem). A single path is accepted too.
    default_date : str, optional
        The date of documents that give none (no ``.txt`` header date, no ``date``
        field). Validated with :func:`parse_date`.
    skip_bad : bool, default False
        Skip bad documents and lines instead of raising: each one's
        :class:`~kg.errors.InputError` goes to ``on_error``, or is logged as a warning
        if there is no ``on_error``, and reading goes on.
    on_error : callable, optional
        Called with each skipped error when ``skip_bad`` is true; unused otherwise.
    stdin : text stream, optional
        Where ``-`` reads from; default ``sys.stdin`` (read as UTF-8 bytes).
    fetch : bool, default False
        Download ``http(s)://`` addresses (waiting at most :data:`FETCH_TIMEOUT`
        seconds for the server, reading at most :data:`FETCH_MAX_BYTES` bytes). Without
        it, an address is an error: nothing is read from the network unless asked.
    on_skip : callable, optional
        Called with a :class:`Skipped` (path and reason) for each file or directory a
        directory walk leaves out: files of other types, hidden entries, and kg's own
        outputs (an explorer page, a figure, a store). Without it they are logged at
        INFO level.

    Returns
    -------
    iterator of Document
        Documents in input order, read lazily: one file, JSON line or feed at a time.
        ``origin`` is the path (or address), ``path:LINE`` / ``<stdin>:LINE`` for JSON
        lines, and ``path entry N`` for the Nth entry of a feed (see :func:`document_kind`).

    Raises
    ------
    InputError
        At once, before anything is read, for a path that does not exist
        (``no such file or directory``), a file of another type
        (``unsupported file type, expected .txt or .jsonl``), an address without
        ``fetch`` (``not fetched: ...``) or an invalid ``default_date``, whatever
        ``skip_bad`` says. While reading, unless
        ``skip_bad``: for an empty or whitespace-only document (``empty document``),
        a binary or non-UTF-8 file (``not UTF-8 text (byte N)``, N counted from 1 in
        the file), an invalid header date, and for JSON lines that are malformed
        (``malformed JSON (... at column N)``), not an object, lack a string ``text``
        (``missing 'text' field``), or have an invalid ``date``, ``id``, ``title`` or
        ``url``; for a web page with no article text (``no article text found``), a
        feed that is not XML or not RSS or Atom (``not a news feed ...``) or has no
        entries, a feed entry with no text, and an address that cannot be fetched
        (``cannot fetch (...)``, ``larger than N bytes``). Messages start with the
        file, ``file:LINE`` for JSON lines, or ``file entry N`` for feed entries.

    Notes
    -----
    A ``.txt`` file may start with a header line giving its date and title:
    ``date: 2025-03-03`` or ``Date: 2025-03`` or ``date: 2025`` alone on the line, or
    ``date 2024-11 Title of the article`` (``date`` in any case, optionally a colon,
    then a year-month or full date, then optionally the title). The header line and
    the blank lines after it are removed from the text. Anything else on the first
    line (``Date palms grow in Iraq.``) is text. ``\\r\\n`` and ``\\r`` become ``\\n``
    and a UTF-8 byte order mark is dropped; the text is otherwise kept exactly.

    A JSON line's ``id`` may be a string or an integer; without one the id is
    ``STEM:LINE`` (``articles:7``, or ``stdin:7``). Other fields are ignored. A
    document whose id was read before is an :class:`~kg.errors.InputError` naming both
    places (``b.jsonl:4: duplicate document id 'x', first read from a.jsonl:1; ...``);
    with ``skip_bad`` the first is kept and the later ones are skipped.

    A date (a header line, a ``date`` field, ``default_date``, a page's metadata) may be
    ISO or written in words, read with :func:`read_date`. A first line ``date: ...`` whose
    date cannot be read is kept as text, with a warning.

    A web page's text is its main article as trafilatura finds it, one paragraph a
    line, without the headline when that is the title; its date, title, author and
    canonical URL come from its metadata. A feed entry's id is its ``id``/``guid``,
    else its link, else ``STEM:N``; its text is its content, else its summary, as plain
    text; its date is its publication date as written (else its update date).

    Examples
    --------
    >>> import io
    >>> lines = io.StringIO('{"id": "a1", "text": "Talks resumed.", "date": "2024-06-01"}\\n')
    >>> [(d.id, d.text, d.date, d.origin) for d in read_documents(["-"], stdin=lines)]
    [('a1', 'Talks resumed.', '2024-06-01', '<stdin>:1')]
    """
    if isinstance(paths, str | bytes | os.PathLike):
        paths = [paths]
    default = _checked_date(default_date, "default date")
    sources = [_source(path, fetch) for path in paths]
    return _read_sources(sources, default, skip_bad, on_error, stdin, on_skip)


def _read_sources(
    sources: list[tuple[str, str]],
    default_date: str | None,
    skip_bad: bool,
    on_error: ErrorHandler | None,
    stdin: TextIO | None,
    on_skip: Callable[[Skipped], None] | None = None,
) -> Iterator[Document]:
    seen: dict[str, str] = {}
    for kind, name in sources:
        if kind == "stdin":
            items = _read_stdin(stdin, default_date)
        elif kind == "dir":
            items = _read_directory(name, default_date)
        elif kind == "url":
            items = _read_url(name, default_date)
        else:
            items = _read_file(name, default_date)
        for item in items:
            if isinstance(item, Skipped):
                if on_skip is None:
                    log.info("skipped %s: %s", item.path, item.reason)
                else:
                    on_skip(item)
                continue
            if not isinstance(item, InputError):
                first = seen.setdefault(item.id, item.origin)
                if first != item.origin:
                    item = InputError(
                        item.origin,
                        f"duplicate document id {item.id!r}, first read from {first}; give each document its own "
                        "id (--skip-bad keeps the first)",
                    )
            if isinstance(item, InputError):
                if not skip_bad:
                    raise item
                _report(item, on_error)
                continue
            yield item


# --------------------------------------------------------------------------- strings


def read_texts(texts: Iterable[str | tuple[str, str]], *, date: str | None = None) -> Iterator[Document]:
    """Make documents from strings, for use from Python.

    Parameters
    ----------
    texts : iterable of str or (str, str)
        Plain strings, whose ids are ``text-N`` by position (from 1), or
        ``(id, text)`` pairs, which keep their id. A single string is accepted too.
    date : str, optional
        The date of every document, validated with :func:`parse_date`.

    Returns
    -------
    iterator of Document
        One document per item, lazily; ``origin`` is ``<texts>:N``. ``\\r\\n`` and
        ``\\r`` become ``\\n``; the text is otherwise kept exactly.

    Raises
    ------
    InputError
        For an invalid ``date`` (at once), and for an empty or whitespace-only text
        or an empty id (when that item is reached).
    TypeError
        For an item that is neither a string nor a pair of strings.

    Examples
    --------
    >>> docs = read_texts(["France and Germany signed a pact.", ("wire-7", "Talks failed.")])
    >>> [(d.id, d.text) for d in docs]
    [('text-1', 'France and Germany signed a pact.'), ('wire-7', 'Talks failed.')]
    """
    if isinstance(texts, str):
        texts = [texts]
    day = _checked_date(date, "date")
    return _texts(texts, day)


def _texts(texts: Iterable[str | tuple[str, str]], day: str | None) -> Iterator[Document]:
    for n, item in enumerate(texts, 1):
        origin = f"<texts>:{n}"
        if isinstance(item, str):
            doc_id, text = f"text-{n}", item
        elif isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str) and isinstance(item[1], str):
            doc_id, text = item[0].strip(), item[1]
            if not doc_id:
                raise InputError(origin, "'id' is empty")
        else:
            raise TypeError(f"{origin}: expected a string or an (id, text) pair, not {type(item).__name__}")
        _check_encodable(text, origin, "text")
        text = _normalise(text)
        if not text.strip():
            raise InputError(origin, _EMPTY)
        yield Document(id=doc_id, text=text, date=day, origin=origin)
