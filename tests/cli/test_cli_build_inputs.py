"""``kg build`` on what analysts hold: PDF and Word files, folders with other files (kg's own
outputs among them), duplicate ids, very long documents; and the progress it shows."""

from __future__ import annotations

import datetime as dt

import pytest
from clitools import error_message, run
from office_files import make_docx, make_pdf
from rdflib import Graph
from rich.progress import Progress

from kg.cli.common import _CountColumn, _RemainingColumn
from kg.graph import document_iri
from kg.vocab import DCTERMS, POL


def _rows(result) -> dict[str, str]:
    """The build summary's rows, name -> value (the last of a repeated name)."""
    rows = {}
    for line in result.stderr.splitlines():
        cells = [c.strip() for c in line.strip().strip("│").split("│")]
        if len(cells) == 2:
            rows[cells[0]] = cells[1]
    return rows


def test_build_folder_reads_pdf_and_docx_and_lists_every_file_left_out(tmp_path, monkeypatch, tiny_graph):
    from kg.draw import draw_html

    monkeypatch.chdir(tmp_path)
    make_pdf(tmp_path / "in" / "readout.pdf", ["Kenya accused Uganda of smuggling."],
             created=dt.datetime(2025, 3, 4, tzinfo=dt.UTC))
    make_docx(tmp_path / "in" / "statement.docx", ["date: 3 March 2025", "France met Germany in Paris."])
    (tmp_path / "in" / "notes.txt").write_text("Russia shelled Ukraine.", encoding="utf-8")
    (tmp_path / "in" / "photo.png").write_bytes(b"\x89PNG")
    draw_html(tiny_graph, tmp_path / "in" / "graph.html")  # an earlier build's explorer
    result = run("build", "in", "-o", "out.ttl")
    assert result.exit_code == 0, result.output
    rows = _rows(result)
    assert (rows["documents"], rows["from PDF files"], rows["from Word files"], rows["from .txt files"]) == (
        "3", "1", "1", "1",
    )
    assert result.stderr.splitlines()[-3:] == [
        "left out 2 file(s) found in folders:",
        "  in/graph.html: kg's own output: an explorer page kg wrote (kg draw, kg build --html), not an article",
        "  in/photo.png: an image, not an article",
    ]
    g = Graph().parse(tmp_path / "out.ttl")
    dates = {doc: g.value(document_iri(doc), DCTERMS.date) for doc in ("readout", "statement")}
    assert {doc: (str(d), d.datatype.rsplit("#", 1)[1]) for doc, d in dates.items()} == {
        "readout": ("2025-03-04", "date"), "statement": ("2025-03-03", "date"),
    }


DUPLICATES = (
    '{"id": "a", "text": "Kenya met Uganda.", "date": "2024-11-12"}\n'
    '{"id": "b", "text": "France met Germany."}\n'
    '{"id": "a", "text": "Kenya met Uganda again.", "date": "2024-11-13"}\n'
)


def test_build_duplicate_id_is_one_error_naming_both_lines(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "wire.jsonl").write_text(DUPLICATES, encoding="utf-8")
    result = run("build", "wire.jsonl", "-o", "out.ttl")
    assert result.exit_code == 1
    assert error_message(result) == (
        "wire.jsonl:3: duplicate document id 'a', first read from wire.jsonl:1; give each document its own id "
        "(--skip-bad keeps the first)"
    )
    assert not (tmp_path / "out.ttl").exists()


def test_build_duplicate_id_with_skip_bad_keeps_the_first_and_writes_the_graph(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "wire.jsonl").write_text(DUPLICATES, encoding="utf-8")
    result = run("build", "wire.jsonl", "--skip-bad", "-o", "out.ttl")
    assert result.exit_code == 0, result.output
    assert _rows(result)["documents"] == "2"
    g = Graph().parse(tmp_path / "out.ttl")
    assert str(g.value(document_iri("a"), DCTERMS.date)) == "2024-11-12"
    assert result.stderr.splitlines()[-2:] == [
        "skipped 1 bad document(s):",
        "  wire.jsonl:3: duplicate document id 'a', first read from wire.jsonl:1; give each document its own id "
        "(--skip-bad keeps the first)",
    ]


def test_build_long_run_on_document_is_parsed_in_pieces(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run_on = "Russia struck Kyiv and France met Germany while Britain supported Ukraine, " * 400  # 30,000 chars
    (tmp_path / "long.txt").write_text("date: 2025-03-03\n" + run_on + "and talks went on.", encoding="utf-8")
    result = run("build", "long.txt", "-o", "out.nt")
    assert result.exit_code == 0, result.output
    rows = _rows(result)
    assert rows["documents"] == "1"
    assert int(rows["sentences parsed"]) >= 20  # cut into bounded sentences, not one of 30,000 characters
    g = Graph().parse(tmp_path / "out.nt")
    text = (tmp_path / "long.txt").read_text(encoding="utf-8").split("\n", 1)[1]
    spans = [(int(g.value(s, POL.start)), int(g.value(s, POL.end)), str(o)) for s, o in g.subject_objects(POL.text)]
    assert spans and all(text[a:b] == sentence for a, b, sentence in spans)


# --------------------------------------------------------------------------- progress


def _task(total):
    progress = Progress()
    task_id = progress.add_task("parsing", total=total, rate="")
    progress.update(task_id, completed=12)
    return progress.tasks[0]


@pytest.mark.parametrize(("total", "shown"), [(300, "12/300 documents"), (None, "12 documents")])
def test_build_progress_counts_documents_of_the_total_when_known(total, shown):
    assert str(_CountColumn("documents").render(_task(total))) == shown


def test_build_progress_shows_time_left_only_with_a_total():
    assert str(_RemainingColumn().render(_task(None))) == ""
    assert str(_RemainingColumn().render(_task(300))).startswith("ETA ")
