"""The reading stage: files, JSON lines and strings in, :class:`~kg.model.Document` out.

These kinds of input are read:

* ``.txt`` files, one document each. The id is the file stem. An optional first-line
  header gives the date and title (``date: 2025-03-03`` or ``date 2024-11 Title``).
* ``.jsonl`` files (and ``-`` for standard input), one JSON object a line with the fields
  ``id``, ``text`` and optionally ``date``, ``title`` and ``url``.
* saved web pages (``.html``, ``.htm``), one document each: trafilatura finds the
  article's main text, title, publication date, author and canonical URL, and leaves out
  menus, comments, adverts and other boilerplate.
* news feeds (``.xml``, ``.rss``, ``.atom``: RSS 0.9x, 1.0 and 2.0, Atom), read with
  feedparser: one document per entry, from its content or summary, with its link, title
  and date.
* ``http://`` and ``https://`` addresses of a page or a feed, only with ``fetch=True``
  (``kg build --fetch``), with a timeout and a size limit (:data:`FETCH_TIMEOUT`,
  :data:`FETCH_MAX_BYTES`). Nothing else touches the network.
* PDF files (``.pdf``, read with pypdf: the text of each page in turn) and Word files
  (``.docx``, read with python-docx: one paragraph after another, a blank line between),
  one document each; the title and creation date come from the file's metadata, unless a
  ``date:`` first line gives them as in a ``.txt`` file.
* directories, searched recursively in sorted order for ``.txt``, ``.jsonl``, ``.html``,
  ``.htm``, ``.rss``, ``.atom``, ``.pdf`` and ``.docx`` files (``.xml`` files in a
  directory are left alone: they are as often something else as a feed). Every file a
  directory walk leaves out is reported with its reason (``on_skip``), among them the
  files kg itself wrote (an explorer page, a figure, a store).

Dates may be written as people write them (``3 March 2025``, ``March 2025``): see
:func:`read_date`; the date keeps the precision given (day, month or year).

Document text is kept exactly as written, except that ``\\r\\n`` and ``\\r`` become
``\\n`` (and a ``.txt`` header line is removed): later stages store character offsets
into it. The text of a page or feed entry is the text extracted from its HTML, one
paragraph a line. Every problem with the input is an :class:`~kg.errors.InputError` that
names the file (and line, or feed entry), so a user can find and fix it.

>>> docs = read_texts(["Kenya recalled its ambassador."], date="2024-05")
>>> [(d.id, d.date) for d in docs]
[('text-1', '2024-05')]
"""

from __future__ import annotations

import email.utils
import http.client
import io
import json
import logging
import os
import re
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from datetime import date as _date
from pathlib import Path
from typing import NamedTuple, TextIO

from .errors import InputError
from .model import Document

__all__ = [
    "read_documents", "read_texts", "parse_date", "read_date", "document_kind", "count_documents", "Skipped",
    "FETCH_TIMEOUT", "FETCH_MAX_BYTES",
]  # fmt: skip

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
_EXPECTED_DATES = "expected YYYY-MM-DD, YYYY-MM or YYYY"

# Dates: ASCII digits only (``\d`` would also accept Arabic-Indic and other digits).
_YEAR_RE = re.compile(r"([0-9]{4})")
_MONTH_RE = re.compile(r"([0-9]{4})-([0-9]{2})")
_DAY_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_STAMP_RE = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.,][0-9]+)?)?"
    r"(?:Z|[+-]([0-9]{2})(?::?([0-9]{2}))?)?",
    re.IGNORECASE,
)

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

#: Seconds to wait for a server (to connect, and between reads) with ``fetch=True``.
FETCH_TIMEOUT = 20.0
#: Largest page or feed read with ``fetch=True``, in bytes; a larger one is an error.
FETCH_MAX_BYTES = 10_000_000
_USER_AGENT = "kg (political-event knowledge graphs; +https://w3id.org/polkg)"
_URL_RE = re.compile(r"https?://", re.IGNORECASE)
_ENTRY_RE = re.compile(r" entry [0-9]+\Z")
_LINE_SUFFIX_RE = re.compile(r":[0-9]+\Z")
_SENTENCE_END_RE = re.compile(r"[^.!?\n]*[.!?]")
_WORD_RE = re.compile(r"\w+")
#: HTML elements that end a line of text (feed entries are HTML fragments).
_BLOCKS = (
    *"p div br hr li ul ol pre blockquote table tr section article header footer figure figcaption".split(),
    *"h1 h2 h3 h4 h5 h6".split(),
)

ErrorHandler = Callable[[InputError], None]


# --------------------------------------------------------------------------- dates


def parse_date(value: str | None) -> str | None:
    """Validate a date and return it in normalised ISO form.

    Parameters
    ----------
    value : str or None
        ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``, or an ISO timestamp such as
        ``2024-11-11T09:30:00Z``. Surrounding whitespace is ignored.

    Returns
    -------
    str or None
        The date at the precision given (``2024``, ``2024-11`` or ``2024-11-11``);
        a timestamp gives its calendar date as written, without converting its time
        zone. ``None`` for ``None`` or an empty string.

    Raises
    ------
    ValueError
        If the value is not one of those forms or not a real calendar date
        (``2024-02-30``, ``2024-13``).

    Examples
    --------
    >>> parse_date("2024-11-11T09:30:00Z")
    '2024-11-11'
    >>> parse_date("2025-03")
    '2025-03'
    >>> parse_date("2024-02-30")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: invalid date '2024-02-30': day is out of range for month (...)
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"date must be a string, not {type(value).__name__}")
    text = value.strip()
    if not text:
        return None

    def invalid(reason: str) -> ValueError:
        return ValueError(f"invalid date {value!r}: {reason} ({_EXPECTED_DATES})")

    if m := _YEAR_RE.fullmatch(text):
        _check_year(int(m[1]), invalid)
        return text
    if m := _MONTH_RE.fullmatch(text):
        _check_year(int(m[1]), invalid)
        if not 1 <= int(m[2]) <= 12:
            raise invalid("month must be 01 to 12")
        return text
    if m := _DAY_RE.fullmatch(text):
        return _check_day(m[1], m[2], m[3], invalid)
    if m := _STAMP_RE.fullmatch(text):
        day = _check_day(m[1], m[2], m[3], invalid)
        hour, minute, second = int(m[4]), int(m[5]), int(m[6] or 0)
        if hour > 23 or minute > 59 or second > 60:
            raise invalid("time of day is out of range")
        if m[7] is not None and (int(m[7]) > 23 or int(m[8] or 0) > 59):
            raise invalid("time zone offset is out of range")
        return day
    raise invalid("not a date")


def _check_year(year: int, invalid: Callable[[str], ValueError]) -> None:
    if year < 1:
        raise invalid("year must be 0001 or later")


def _check_day(year: str, month: str, day: str, invalid: Callable[[str], ValueError]) -> str:
    _check_year(int(year), invalid)
    if not 1 <= int(month) <= 12:
        raise invalid("month must be 01 to 12")
    try:
        return _date(int(year), int(month), int(day)).isoformat()
    except ValueError as e:
        raise invalid(str(e)) from None


def _checked_date(value: str | None, where: str) -> str | None:
    try:
        return read_date(value)
    except ValueError as e:
        raise InputError(where, str(e)) from None


_FOUR_DIGITS_RE = re.compile(r"(?<![0-9])[0-9]{4}(?![0-9])")
_NUMERIC_DATE_RE = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-][0-9]{4}")


def read_date(value: str | None) -> str | None:
    """A date as people write it, in normalised ISO form at the precision it gives.

    Parameters
    ----------
    value : str or None
        Anything :func:`parse_date` takes, or a date in words and numbers read with
        python-dateutil: ``3 March 2025``, ``March 3, 2025``, ``Monday, 3rd of March 2025``,
        ``March 2025``, ``Mon, 03 Mar 2025 10:00:00 GMT``, ``13/03/2025``. It must give a
        four-digit year.

    Returns
    -------
    str or None
        ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``: a day only when the value names one, a
        month only when it names one. ``None`` for ``None`` or an empty string.

    Raises
    ------
    ValueError
        If the value is not a date, gives no four-digit year, names a day but no month,
        is not a real calendar date, or is all numbers with both the day and the month
        12 or less and different (``03/04/2025``: 3 April or March 4?).

    Examples
    --------
    >>> [read_date(v) for v in ("3 March 2025", "March 2025", "2025", "Monday, 3rd of March 2025")]
    ['2025-03-03', '2025-03', '2025', '2025-03-03']
    >>> read_date("03/04/2025")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: invalid date '03/04/2025': day and month are ambiguous; write it as YYYY-MM-DD ...
    """
    try:
        return parse_date(value)
    except ValueError as e:
        if "not a date" not in str(e):
            raise
    assert isinstance(value, str)
    text = value.strip()

    def invalid(reason: str) -> ValueError:
        return ValueError(
            f"invalid date {value!r}: {reason} (expected YYYY-MM-DD, YYYY-MM, YYYY or a date like 3 March 2025)"
        )

    if len(text) > 100 or not _FOUR_DIGITS_RE.search(text):
        raise invalid("not a date with a four-digit year")
    if (m := _NUMERIC_DATE_RE.fullmatch(text)) and m[1] != m[2] and int(m[1]) <= 12 and int(m[2]) <= 12:
        raise invalid("day and month are ambiguous; write it as YYYY-MM-DD")
    from datetime import datetime

    from dateutil import parser as dateutil_parser

    try:  # parsed twice with different defaults: what the text does not give differs
        a = dateutil_parser.parse(text, default=datetime(1, 1, 1), ignoretz=True)
        b = dateutil_parser.parse(text, default=datetime(2, 2, 2), ignoretz=True)
    except (ValueError, OverflowError) as e:  # dateutil's ParserError is a ValueError
        reason = str(e).split(":")[0].lower() if str(e) else "not a date"
        if reason.startswith("unknown string format"):
            reason = "not a date"
        raise invalid(reason) from None
    if a.year != b.year:
        raise invalid("no year")
    if a.month != b.month:
        if a.day == b.day:
            raise invalid("a day but no month")
        return f"{a.year:04d}"
    if a.day != b.day:
        return f"{a.year:04d}-{a.month:02d}"
    return a.date().isoformat()


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


# --------------------------------------------------------------------------- JSON lines


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _optional_str(record: dict, field: str, where: str) -> str | None:
    value = record.get(field)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(where, f"'{field}' must be a string, not {_json_type(value)}")
    _check_encodable(value, where, field)
    return value.strip() or None


def _json_document(line: str, where: str, fallback_id: str, default_date: str | None) -> Document:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as e:
        raise InputError(where, f"malformed JSON ({e.msg} at column {e.colno})") from None
    except RecursionError:
        raise InputError(where, "malformed JSON (nested too deeply)") from None
    except ValueError as e:  # e.g. an integer too long to convert
        raise InputError(where, f"malformed JSON ({e})") from None
    if not isinstance(record, dict):
        raise InputError(where, f"expected a JSON object, got {_json_type(record)}")

    raw_id = record.get("id")
    if raw_id is None:
        doc_id = fallback_id
    elif isinstance(raw_id, int) and not isinstance(raw_id, bool):
        doc_id = str(raw_id)
    elif isinstance(raw_id, str):
        _check_encodable(raw_id, where, "id")
        doc_id = raw_id.strip()
        if not doc_id:
            raise InputError(where, "'id' is empty")
    else:
        raise InputError(where, f"'id' must be a string, not {_json_type(raw_id)}")

    if "text" not in record:
        raise InputError(where, "missing 'text' field")
    text = record["text"]
    if not isinstance(text, str):
        raise InputError(where, f"missing 'text' field (found {_json_type(text)}, not a string)")
    _check_encodable(text, where, "text")
    text = _normalise(text)
    if not text.strip():
        raise InputError(where, _EMPTY)

    raw_date = record.get("date")
    if raw_date is not None and not isinstance(raw_date, str):
        raise InputError(where, f"'date' must be a string like \"2024-11-05\", not {_json_type(raw_date)}")
    day = _checked_date(raw_date, where) or default_date

    return Document(
        id=doc_id,
        text=text,
        date=day,
        title=_optional_str(record, "title", where),
        url=_optional_str(record, "url", where),
        origin=where,
    )


def _binary_lines(lines: Iterable[bytes], where: str) -> Iterator[tuple[int, str | InputError]]:
    """Number and decode the lines of a binary stream, reporting bad bytes by file position."""
    offset = 0
    lineno = 0
    try:
        for lineno, raw in enumerate(lines, 1):
            start = offset
            offset += len(raw)
            if lineno == 1 and raw.startswith(_BOM_BYTES):
                raw = raw[len(_BOM_BYTES) :]
                start += len(_BOM_BYTES)
            try:
                yield lineno, _decode(raw, f"{where}:{lineno}", start)
            except InputError as e:
                yield lineno, e
    except OSError as e:
        yield lineno + 1, InputError(f"{where}:{lineno + 1}", _os_problem(e))


def _text_lines(stream: TextIO, where: str) -> Iterator[tuple[int, str | InputError]]:
    """Number the lines of a text stream (its own decoding; no byte positions)."""
    lineno = 0
    try:
        for line in stream:
            lineno += 1
            if lineno == 1 and line.startswith(_BOM):
                line = line[1:]
            yield lineno, line
    except UnicodeDecodeError:
        yield lineno + 1, InputError(f"{where}:{lineno + 1}", "not UTF-8 text")
    except OSError as e:
        yield lineno + 1, InputError(f"{where}:{lineno + 1}", _os_problem(e))


def _jsonl_documents(
    lines: Iterator[tuple[int, str | InputError]], where: str, stem: str, default_date: str | None
) -> Iterator[Document | InputError]:
    found = False
    for lineno, line in lines:
        if isinstance(line, InputError):
            found = True
            yield line
            continue
        if not line.strip():
            continue
        found = True
        try:
            yield _json_document(line, f"{where}:{lineno}", f"{stem}:{lineno}", default_date)
        except InputError as e:
            yield e
    if not found:
        yield InputError(where, f"{_EMPTY} (no JSON lines)")


def _read_jsonl(name: str, default_date: str | None) -> Iterator[Document | InputError]:
    try:
        f = open(name, "rb")
    except OSError as e:
        yield InputError(name, _os_problem(e))
        return
    with f:
        yield from _jsonl_documents(_binary_lines(f, name), name, Path(name).stem, default_date)


def _read_stdin(stdin: TextIO | None, default_date: str | None) -> Iterator[Document | InputError]:
    where = "<stdin>"
    if stdin is None:
        stream = sys.stdin
        if stream is None:
            yield InputError(where, "no standard input")
            return
        buffer = getattr(stream, "buffer", None)
        # Read the real stdin as bytes: its text encoding follows the locale, not UTF-8.
        lines = _binary_lines(buffer, where) if buffer is not None else _text_lines(stream, where)
    else:
        lines = _text_lines(stdin, where)
    yield from _jsonl_documents(lines, where, "stdin", default_date)


# --------------------------------------------------------------------------- web pages and feeds


def _clean(value: object) -> str | None:
    """A metadata string with its whitespace collapsed, or None."""
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def _lenient_date(value: object, where: str) -> str | None:
    """A date found by a heuristic (a page's metadata): dropped with a warning if invalid."""
    if not isinstance(value, str):
        return None
    try:
        return read_date(value)
    except ValueError as e:
        log.warning("%s: ignoring the page's date: %s", where, e)
        return None


def _web_url(value: object) -> str | None:
    """An absolute http(s) address, else None (relative canonical links are dropped)."""
    url = _clean(value)
    return url if url and _URL_RE.match(url) and " " not in url else None


def _has_prose(text: str) -> bool:
    """True if some line holds a sentence: four or more words ending in . ! or ?"""
    return any(len(_WORD_RE.findall(chunk)) >= 4 for chunk in _SENTENCE_END_RE.findall(text))


def _page_document(data: bytes, where: str, doc_id: str, default_date: str | None, url: str | None = None) -> Document:
    """The article of a saved or fetched web page."""
    import trafilatura  # imported on first use: it takes a third of a second

    try:
        raw = trafilatura.extract(data, url=url, output_format="json", with_metadata=True, include_comments=False)
    except Exception as e:  # lxml and trafilatura raise many unrelated types on odd markup
        raise InputError(where, f"cannot read the page ({type(e).__name__}: {e})") from None
    meta = json.loads(raw) if raw else {}
    title = _clean(meta.get("title"))
    text = _normalise(meta.get("text") or "")
    first, _, rest = text.partition("\n")
    if title and first.strip() == title:  # the headline is the title, not a sentence of the body
        text = _LEADING_BLANK_LINES_RE.sub("", rest)
    text = text.strip()
    if not _has_prose(text):
        raise InputError(where, "no article text found (only menus, links or other boilerplate)")
    return Document(
        id=doc_id,
        text=text,
        date=_lenient_date(meta.get("date"), where) or default_date,
        title=title,
        url=_web_url(meta.get("source")) or url,
        origin=where,
        author=_clean(meta.get("author")),
    )


def _html_text(fragment: str) -> str:
    """The text of an HTML fragment (a feed entry's content), one block element a line."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return fragment
    for element in list(root.iter("script", "style")):
        element.drop_tree()
    for element in root.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def _entry_text(entry) -> str:
    """An entry's full content if it has one, else its summary, as plain text."""
    blocks = [(b.get("value") or "", b.get("type")) for b in entry.get("content") or []]
    blocks.append((entry.get("summary") or "", (entry.get("summary_detail") or {}).get("type")))
    for value, kind in blocks:
        if value.strip():
            is_html = kind in ("text/html", "application/xhtml+xml") or (kind is None and "<" in value)
            return _normalise(_html_text(value) if is_html else value).strip()
    return ""


def _entry_date(entry) -> str | None:
    """An entry's publication date as written in the feed (falling back to the update date)."""
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if not raw:
            continue
        try:
            return parse_date(raw)  # Atom and RSS 1.0: ISO timestamps
        except ValueError:
            pass
        try:
            return email.utils.parsedate_to_datetime(raw).date().isoformat()  # RSS 2.0: RFC 822
        except (TypeError, ValueError, IndexError):
            pass
        try:
            return read_date(raw)  # as people write them: "3 March 2025"
        except ValueError:
            pass
        parsed = entry.get(f"{key}_parsed")  # feedparser's own reading, in UTC
        if parsed:
            return _date(*parsed[:3]).isoformat()
    return None


def _entry_document(entry, where: str, fallback_id: str, default_date: str | None) -> Document:
    text = _entry_text(entry)
    if not text:
        raise InputError(where, "no text (the entry has neither content nor a summary)")
    doc_id = _clean(entry.get("id")) or _clean(entry.get("link")) or fallback_id
    return Document(
        id=doc_id,
        text=text,
        date=_entry_date(entry) or default_date,
        title=_clean(entry.get("title")),
        url=_web_url(entry.get("link")),
        origin=where,
        author=_clean(entry.get("author")),
    )


def _not_a_feed(parsed) -> str:
    error = parsed.get("bozo_exception")
    if parsed.get("bozo") and error is not None:
        line = getattr(error, "getLineNumber", lambda: None)()
        at = f" at line {line}" if line else ""
        return f"not a news feed: not well-formed XML ({getattr(error, 'getMessage', lambda: error)()}{at})"
    if not parsed.get("version"):
        return "not a news feed (no RSS or Atom root element)"
    return "empty feed (no entries)"


def _feed_documents(data: bytes, where: str, stem: str, default_date: str | None) -> Iterator[Document | InputError]:
    """One document per entry of an RSS or Atom feed."""
    import feedparser  # imported on first use

    # A stream, never a string: given a string, feedparser may treat it as an address and fetch it.
    parsed = feedparser.parse(io.BytesIO(data))
    entries = parsed.get("entries") or []
    if not entries:
        yield InputError(where, _not_a_feed(parsed))
        return
    if parsed.get("bozo"):
        log.warning(
            "%s: %s; read %d entries anyway", where, _not_a_feed(parsed).removeprefix("not a news feed: "), len(entries)
        )
    for n, entry in enumerate(entries, 1):
        try:
            yield _entry_document(entry, f"{where} entry {n}", f"{stem}:{n}", default_date)
        except InputError as e:
            yield e


def _looks_like_feed(data: bytes) -> bool:
    head = data[:4096].lower()
    return any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf"))


def _fetch(url: str) -> bytes:
    """Download one address, within :data:`FETCH_TIMEOUT` and :data:`FETCH_MAX_BYTES`."""
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:
            data = response.read(FETCH_MAX_BYTES + 1)
    except urllib.error.HTTPError as e:
        raise InputError(url, f"cannot fetch (HTTP {e.code} {e.reason})") from None
    except urllib.error.URLError as e:
        if isinstance(e.reason, TimeoutError):
            raise InputError(url, f"cannot fetch (no answer within {FETCH_TIMEOUT:g} s)") from None
        problem = f"cannot fetch ({e.reason}); check the address, or whether this machine is offline"
        raise InputError(url, problem) from None
    except TimeoutError:
        raise InputError(url, f"cannot fetch (no answer within {FETCH_TIMEOUT:g} s)") from None
    except (OSError, ValueError, http.client.HTTPException) as e:
        raise InputError(url, f"cannot fetch ({type(e).__name__}: {e})") from None
    if len(data) > FETCH_MAX_BYTES:
        raise InputError(url, f"larger than {FETCH_MAX_BYTES:,} bytes; not read (see kg.read.FETCH_MAX_BYTES)")
    return data


def _read_url(url: str, default_date: str | None) -> Iterator[Document | InputError]:
    try:
        data = _fetch(url)
        if _looks_like_feed(data):
            yield from _feed_documents(data, url, url, default_date)
        else:
            yield _page_document(data, url, url, default_date, url=url)
    except InputError as e:
        yield e


# --------------------------------------------------------------------------- PDF and Word files


#: The creation date python-docx's own template carries: the date of no real document.
_DOCX_TEMPLATE_CREATED = (2013, 12, 23, 23, 15)


def _meta_date(value: object) -> str | None:
    """The calendar day of a metadata timestamp (a datetime), or None."""
    if value is None or not hasattr(value, "year"):
        return None
    try:
        return _date(value.year, value.month, value.day).isoformat()
    except (TypeError, ValueError):
        return None


def _office_document(
    text: str, where: str, doc_id: str, default_date: str | None, title: str | None, day: str | None
) -> Document:
    """A document from the text of a PDF or Word file: a ``date:`` first line, as in a
    ``.txt`` file, gives the date (and title), else the file's metadata does."""
    text = _normalise(text)
    header = _split_header(text.lstrip("\n"), where)
    if header is not None:
        day, header_title, text = header
        title = header_title or title
    text = text.strip("\n")
    if not text.strip():
        raise InputError(where, _EMPTY)
    return Document(id=doc_id, text=text, date=day or default_date, title=title, origin=where)


def _pdf_document(data: bytes, where: str, doc_id: str, default_date: str | None) -> Document:
    """A PDF file's text (pypdf), page after page; title and creation date from its metadata."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(where, "an encrypted PDF: save an unencrypted copy to read it")
        pages = [page.extract_text() or "" for page in reader.pages]
        meta = reader.metadata
        title = _clean(meta.title) if meta is not None else None
        created = _meta_date(meta.creation_date) if meta is not None else None
    except InputError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError) as e:
        raise InputError(where, f"not a readable PDF ({type(e).__name__}: {e})") from None
    text = "\n".join(page.rstrip() for page in pages)
    if not text.strip():
        raise InputError(where, "no text in this PDF (scanned pages? kg reads only PDFs with a text layer)")
    return _office_document(text, where, doc_id, default_date, title, created)


def _docx_document(data: bytes, where: str, doc_id: str, default_date: str | None) -> Document:
    """A Word (.docx) file's paragraphs (python-docx), a blank line between them; title and
    creation date from its properties."""
    import zipfile

    import docx
    from docx.opc.exceptions import OpcError

    try:
        document = docx.Document(io.BytesIO(data))
        paragraphs = [p.text for p in document.paragraphs]
        core = document.core_properties
        title = _clean(core.title)
        created = core.created
    except (OpcError, zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise InputError(where, f"not a readable Word .docx file ({type(e).__name__}: {e})") from None
    if created is not None and tuple(created.timetuple())[:5] == _DOCX_TEMPLATE_CREATED:
        created = None
    text = "\n\n".join(p.strip() for p in paragraphs if p.strip())
    return _office_document(text, where, doc_id, default_date, title, _meta_date(created))


def _read_bytes(name: str) -> bytes:
    try:
        return Path(name).read_bytes()
    except OSError as e:
        raise InputError(name, _os_problem(e)) from None


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


# --------------------------------------------------------------------------- files and directories


def _suffix(name: str) -> str:
    return Path(name).suffix.lower()


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
