"""PDF and Word files: their text, title and date."""

from __future__ import annotations

import io
from datetime import date as _date
from pathlib import Path

from ..errors import InputError
from ..model import Document
from .common import _EMPTY, _normalise, _os_problem, _split_header
from .web import _clean

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
