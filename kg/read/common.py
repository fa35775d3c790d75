"""What every reader shares: the kinds of file kg reads, decoding, and the ``.txt`` header."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path

from ..errors import InputError
from ..model import Document
from .dates import parse_date, read_date

log = logging.getLogger(__name__)

_TXT = ".txt"
_JSONL = ".jsonl"
_HTML = (".html", ".htm")
_FEEDS = (".xml", ".rss", ".atom")
_PDF = ".pdf"
_DOCX = ".docx"
_READABLE = (_TXT, _JSONL, *_HTML, *_FEEDS, _PDF, _DOCX)
#: What a directory walk reads: not ``.xml``, which is as often a sitemap or data as a feed.
_IN_DIRECTORIES = (_TXT, _JSONL, *_HTML, ".rss", ".atom", _PDF, _DOCX)
_UNSUPPORTED = "unsupported file type, expected .txt, .jsonl, .html, .htm, .xml, .rss, .atom, .pdf or .docx"
#: Why a file of another type is not read, when there is more to say than its type.
_OTHER_TYPES = {
    ".doc": "an old Word file: save it as .docx to read it",
    ".rtf": "a rich-text file: save it as .docx or .txt to read it",
    ".odt": "an OpenDocument file: save it as .docx to read it",
    **dict.fromkeys(
        (".ttl", ".nt", ".jsonld", ".rdf", ".trig", ".nq", ".graphml", ".gexf", ".csv", ".rq"),
        "a graph, table or query file (kg query, kg load and kg merge read graphs), not an article",
    ),
    **dict.fromkeys((".png", ".svg", ".jpg", ".jpeg", ".gif"), "an image, not an article"),
}
#: The two entries of a kg store directory (kg.store), which a folder build does not search.
_STORE_MARKERS = ("manifest.sqlite", "oxigraph")
#: How kg marks what it writes: the explorer page's generator, a figure's PDF creator.
_EXPLORER_MARK = b'<meta name="generator" content="kg '
_FIGURE_MARK = b"(kg plot)"
_EMPTY = "empty document"
_BOM = "\ufeff"
_BOM_BYTES = b"\xef\xbb\xbf"

# The .txt header, matched against the whole first line. A year-month or full date
# (optionally an ISO timestamp) after ``date`` or ``date:``, then an optional title;
# or ``date:`` and a bare year, alone on the line.
_HEADER_DATE = r"[0-9]{4}-[0-9]{2}(?:-[0-9]{2}(?:T[0-9:.,]+(?:Z|[+-][0-9:]+)?)?)?"
_HEADER_RE = re.compile(
    rf"[ \t]*date(?::[ \t]*|[ \t]+)(?P<date>{_HEADER_DATE})(?:[ \t]+(?P<title>.*?))?[ \t]*",
    re.IGNORECASE | re.ASCII,
)
_HEADER_YEAR_RE = re.compile(r"[ \t]*date:[ \t]*(?P<date>[0-9]{4})[ \t]*", re.IGNORECASE | re.ASCII)
# A date in words alone after ``date`` (``date: 3 March 2025``); with the colon, a line that
# is no date is warned about (it looks like a header), without it the line is just text.
_HEADER_WORDED_RE = re.compile(r"[ \t]*date(?P<colon>:[ \t]*|[ \t]+)(?P<date>\S.*?)[ \t]*", re.IGNORECASE)
_LEADING_BLANK_LINES_RE = re.compile(r"\A(?:[^\S\n]*\n)+")

ErrorHandler = Callable[[InputError], None]

# --------------------------------------------------------------------------- text


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes, where: str, offset: int = 0) -> str:
    """Decode UTF-8 strictly; NUL bytes count as binary. Positions are 1-based file bytes."""
    bad = data.find(b"\0")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        bad = e.start if bad < 0 else min(bad, e.start)
    else:
        if bad < 0:
            return text
        raise InputError(where, f"a NUL character (byte {offset + bad + 1}): a binary file, not text")
    raise InputError(where, f"not UTF-8 text (byte {offset + bad + 1})")


def _check_encodable(value: str, where: str, field: str) -> None:
    """Reject lone surrogates (from JSON ``\\ud800`` escapes): no output could encode them."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as e:
        raise InputError(where, f"'{field}' contains an unpaired surrogate at character {e.start + 1}") from None


def _split_header(text: str, where: str) -> tuple[str, str | None, str] | None:
    """Return ``(date, title, body)`` if the first line is a date header, else ``None``."""
    first, newline, rest = text.partition("\n")
    m = _HEADER_RE.fullmatch(first) or _HEADER_YEAR_RE.fullmatch(first)
    if m is None:
        worded = _HEADER_WORDED_RE.fullmatch(first)
        if worded is None:
            return None
        try:
            day = read_date(worded["date"])
        except ValueError as e:
            if worded["colon"].startswith(":"):
                log.warning("%s: header line 1 looks like a date but cannot be read, kept as text: %s", where, e)
            return None
        assert day is not None
        return day, None, _LEADING_BLANK_LINES_RE.sub("", rest)
    try:
        day = parse_date(m["date"])
    except ValueError as e:
        raise InputError(where, f"header line 1: {e}") from None
    assert day is not None
    title = (m.groupdict().get("title") or "").strip() or None
    return day, title, _LEADING_BLANK_LINES_RE.sub("", rest)


def _read_txt(name: str, default_date: str | None) -> Document:
    try:
        data = Path(name).read_bytes()
    except OSError as e:
        raise InputError(name, _os_problem(e)) from None
    text = _decode(data, name)
    if text.startswith(_BOM):
        text = text[1:]
    text = _normalise(text)
    day, title = default_date, None
    header = _split_header(text, name)
    if header is not None:
        day, title, text = header
    if not text.strip():
        raise InputError(name, _EMPTY)
    return Document(id=Path(name).stem, text=text, date=day, title=title, origin=name)


def _os_problem(e: OSError) -> str:
    return f"cannot read ({(e.strerror or str(e)).lower()})"


def _suffix(name: str) -> str:
    return Path(name).suffix.lower()
