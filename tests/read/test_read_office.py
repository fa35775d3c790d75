"""Reading what analysts hold: PDF and Word files, dates in words, folders with other files in them.

Every PDF and Word file here is made in the test (fpdf2 writes PDFs, python-docx Word files).
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest
from office_files import make_docx, make_pdf

from kg.errors import InputError
from kg.model import Document
from kg.read import Skipped, count_documents, document_kind, read_date, read_documents


def read_all(*paths, **kwargs) -> list[Document]:
    return list(read_documents(list(paths), **kwargs))


# --------------------------------------------------------------------------- PDF


def test_read_documents_pdf_text_of_every_page_with_title_and_date_from_metadata(tmp_path):
    path = make_pdf(
        tmp_path / "readout.pdf",
        ["Atlantis accused Borduria of shelling the border.", "Borduria rejected the accusation."],
        title="Readout of the border talks",
        created=dt.datetime(2025, 3, 4, 9, 30, tzinfo=dt.UTC),
    )
    [doc] = read_all(path)
    assert (doc.id, doc.title, doc.date) == ("readout", "Readout of the border talks", "2025-03-04")
    assert doc.origin == str(path)
    assert doc.text == "Atlantis accused Borduria of shelling the border.\nBorduria rejected the accusation."
    assert document_kind(doc) == "pdf"


def test_read_documents_pdf_date_header_line_overrides_metadata(tmp_path):
    path = make_pdf(
        tmp_path / "statement.pdf", ["date: 3 March 2025\nThe ministry condemned the strike."],
        created=dt.datetime(2025, 4, 1, tzinfo=dt.UTC),
    )
    [doc] = read_all(path)
    assert (doc.date, doc.text) == ("2025-03-03", "The ministry condemned the strike.")


def test_read_documents_pdf_without_text_is_an_input_error(tmp_path):
    path = make_pdf(tmp_path / "scan.pdf", [""])
    with pytest.raises(InputError) as info:
        read_all(path)
    assert str(info.value) == f"{path}: no text in this PDF (scanned pages? kg reads only PDFs with a text layer)"


def test_read_documents_broken_pdf_is_an_input_error_naming_the_file(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\nnot really a pdf")
    with pytest.raises(InputError) as info:
        read_all(path)
    assert info.value.where == str(path)
    assert info.value.problem.startswith("not a readable PDF (")


# --------------------------------------------------------------------------- Word


def test_read_documents_docx_paragraphs_with_title_and_date_from_properties(tmp_path):
    path = make_docx(
        tmp_path / "statement.docx",
        ["Joint statement", "", "Atlantis and Borduria agreed to resume talks.", "Both sides welcomed the move."],
        title="Joint statement on the talks",
        created=dt.datetime(2024, 11, 5, 12, 0),
    )
    [doc] = read_all(path)
    assert (doc.id, doc.title, doc.date) == ("statement", "Joint statement on the talks", "2024-11-05")
    assert doc.text == (
        "Joint statement\n\nAtlantis and Borduria agreed to resume talks.\n\nBoth sides welcomed the move."
    )
    assert document_kind(doc) == "docx"


def test_read_documents_docx_without_metadata_date_takes_the_header_or_default_date(tmp_path):
    headed = make_docx(tmp_path / "a.docx", ["date: March 2025", "Kenya recalled its envoy."])
    plain = make_docx(tmp_path / "b.docx", ["Uganda protested."])
    docs = read_all(headed, plain, default_date="2024")
    assert [(d.id, d.date, d.title, d.text) for d in docs] == [
        ("a", "2025-03", None, "Kenya recalled its envoy."),
        ("b", "2024", None, "Uganda protested."),
    ]


def test_read_documents_empty_docx_is_an_empty_document(tmp_path):
    path = make_docx(tmp_path / "empty.docx", ["", "   "])
    with pytest.raises(InputError) as info:
        read_all(path)
    assert str(info.value) == f"{path}: empty document"


def test_read_documents_file_that_is_not_a_docx_is_an_input_error(tmp_path):
    path = tmp_path / "fake.docx"
    path.write_text("not a zip file", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_all(path)
    assert info.value.where == str(path)
    assert info.value.problem.startswith("not a readable Word .docx file (")


def test_read_documents_old_word_file_says_to_save_as_docx(tmp_path):
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputError) as info:
        read_all(path)
    assert str(info.value).endswith("(an old Word file: save it as .docx to read it)")


# --------------------------------------------------------------------------- dates as people write them


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3 March 2025", "2025-03-03"),
        ("March 3, 2025", "2025-03-03"),
        ("Monday, 3rd of March 2025", "2025-03-03"),
        ("3 Mar 2025", "2025-03-03"),
        ("Mon, 03 Mar 2025 10:00:00 GMT", "2025-03-03"),
        ("13/03/2025", "2025-03-13"),
        ("March 2025", "2025-03"),
        ("2025", "2025"),
        ("2025-03-03", "2025-03-03"),
    ],
)
def test_read_date_keeps_the_precision_given(value, expected):
    assert read_date(value) == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("3 March", "not a date with a four-digit year"),
        ("soon", "not a date with a four-digit year"),
        ("Spring 2025", "not a date"),
        ("31 February 2025", "day is out of range for month"),
        ("03/04/2025", "day and month are ambiguous; write it as YYYY-MM-DD"),
    ],
)
def test_read_date_unreadable_raises_value_error_with_reason(value, reason):
    with pytest.raises(ValueError) as info:
        read_date(value)
    assert str(info.value) == (
        f"invalid date {value!r}: {reason} (expected YYYY-MM-DD, YYYY-MM, YYYY or a date like 3 March 2025)"
    )


@pytest.mark.parametrize(
    ("header", "date"),
    [("date: 3 March 2025", "2025-03-03"), ("Date: March 2025", "2025-03"), ("date 5 November 2024", "2024-11-05")],
)
def test_read_documents_txt_worded_header_date(tmp_path, header, date):
    path = tmp_path / "note.txt"
    path.write_text(f"{header}\n\nThe envoy arrived in Seoul.", encoding="utf-8")
    [doc] = read_all(path)
    assert (doc.date, doc.title, doc.text) == (date, None, "The envoy arrived in Seoul.")


def test_read_documents_txt_unreadable_date_header_warns_and_keeps_the_line(tmp_path, caplog):
    path = tmp_path / "note.txt"
    text = "date: the third of March\nThe envoy arrived in Seoul."
    path.write_text(text, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="kg.read"):
        [doc] = read_all(path)
    assert (doc.date, doc.text) == (None, text)
    assert caplog.messages == [
        f"{path}: header line 1 looks like a date but cannot be read, kept as text: invalid date "
        "'the third of March': not a date with a four-digit year "
        "(expected YYYY-MM-DD, YYYY-MM, YYYY or a date like 3 March 2025)"
    ]


def test_read_documents_jsonl_worded_date_field(tmp_path):
    path = tmp_path / "wire.jsonl"
    path.write_text('{"id": "w1", "text": "Talks resumed.", "date": "5 November 2024"}\n', encoding="utf-8")
    [doc] = read_all(path)
    assert doc.date == "2024-11-05"


# --------------------------------------------------------------------------- folders


def test_read_documents_folder_reads_pdf_and_docx_and_reports_every_skipped_file(tmp_path):
    make_pdf(tmp_path / "a-readout.pdf", ["Atlantis met Borduria."])
    make_docx(tmp_path / "b-statement.docx", ["Kenya recalled its envoy."])
    (tmp_path / "c-notes.txt").write_text("Uganda protested.", encoding="utf-8")
    (tmp_path / "d-photo.png").write_bytes(b"\x89PNG")
    (tmp_path / "e-sitemap.xml").write_text("<urlset/>", encoding="utf-8")
    (tmp_path / "f-old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / ".hidden.txt").write_text("Hidden.", encoding="utf-8")
    skipped: list[Skipped] = []
    docs = read_all(tmp_path, on_skip=skipped.append)
    assert [(d.id, d.text) for d in docs] == [
        ("a-readout", "Atlantis met Borduria."),
        ("b-statement", "Kenya recalled its envoy."),
        ("c-notes", "Uganda protested."),
    ]
    assert [(Path(s.path).name, s.reason) for s in skipped] == [
        (".hidden.txt", "hidden, not searched"),
        ("d-photo.png", "an image, not an article"),
        ("e-sitemap.xml", "an .xml file: read only when named, as it is as often a sitemap or data as a news feed"),
        ("f-old.doc", "an old Word file: save it as .docx to read it"),
    ]


def test_read_documents_folder_skips_kg_own_outputs_and_says_so(tmp_path, tiny_graph):
    from kg.analysis.plot import activity_figure, save_figure
    from kg.draw import draw_html
    from kg.export import write_graph
    from kg.store import open_store

    (tmp_path / "article.txt").write_text("date: 2025-03-03\nAtlantis met Borduria.", encoding="utf-8")
    draw_html(tiny_graph, tmp_path / "graph.html")
    write_graph(tiny_graph, tmp_path / "graph.ttl")
    save_figure(activity_figure(tiny_graph), tmp_path / "activity.pdf")
    open_store(tmp_path / "news.kg").close()
    skipped: list[Skipped] = []
    docs = read_all(tmp_path, on_skip=skipped.append)
    assert [d.id for d in docs] == ["article"]
    assert [(Path(s.path).name, s.reason) for s in skipped] == [
        ("activity.pdf", "kg's own output: a figure kg plot wrote, not an article"),
        ("graph.html", "kg's own output: an explorer page kg wrote (kg draw, kg build --html), not an article"),
        ("graph.ttl", "a graph, table or query file (kg query, kg load and kg merge read graphs), not an article"),
        ("news.kg", "kg's own output: a store (kg query and kg export read it), not articles"),
    ]


def test_read_documents_explorer_page_named_alone_is_an_input_error(tmp_path, tiny_graph):
    from kg.draw import draw_html

    path = draw_html(tiny_graph, tmp_path / "graph.html").path
    with pytest.raises(InputError) as info:
        read_all(path)
    assert str(info.value) == (
        f"{path}: kg's own output: an explorer page kg wrote (kg draw, kg build --html), not an article"
    )


# --------------------------------------------------------------------------- counting for the progress bar


def test_count_documents_counts_files_json_lines_and_feed_entries(tmp_path):
    import shutil

    data = Path(__file__).parents[1] / "data"
    (tmp_path / "a.txt").write_text("Kenya met Uganda.", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"text": "One."}\n\n{"text": "Two."}\n{"text": "Three."}\n', encoding="utf-8")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG")
    shutil.copy(data / "feed-rss2.xml", tmp_path / "wire.rss")
    feed_entries = len(read_all(tmp_path / "wire.rss"))
    assert count_documents([tmp_path]) == 1 + 3 + feed_entries
    assert count_documents([tmp_path]) == len(read_all(tmp_path))


def test_count_documents_unknown_for_standard_input_and_addresses(tmp_path):
    assert count_documents(["-"]) is None
    assert count_documents([tmp_path, "https://example.org/feed"]) is None
