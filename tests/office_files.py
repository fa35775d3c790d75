"""PDF and Word files made for the tests: fpdf2 writes PDFs, python-docx Word files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
from fpdf import FPDF


def make_pdf(path: Path, pages: list[str], *, title: str | None = None, created: dt.datetime | None = None) -> Path:
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    if title is not None:
        pdf.set_title(title)
    if created is not None:
        pdf.set_creation_date(created)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(pdf.output()))
    return path


def make_docx(path: Path, paragraphs: list[str], *, title: str | None = None, created: dt.datetime | None = None):
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if title is not None:
        document.core_properties.title = title
    if created is not None:
        document.core_properties.created = created
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path
