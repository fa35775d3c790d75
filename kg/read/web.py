"""Saved web pages and news feeds, and (only with ``fetch=True``) addresses."""

from __future__ import annotations

import email.utils
import http.client
import io
import json
import logging
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import date as _date

from ..errors import InputError
from ..model import Document
from .common import _LEADING_BLANK_LINES_RE, _normalise
from .dates import parse_date, read_date

log = logging.getLogger(__name__)

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
