"""``kg import gdelt|plover``: event datasets in, a graph file out, one clear message per bad row."""

from __future__ import annotations

from pathlib import Path

from clitools import error_message, run
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.export import write_graph
from kg.graph import build_graph, entity_iri, load_graph
from kg.importers import import_gdelt, import_plover
from kg.model import Document
from kg.pipeline import extract_document
from kg.validation import validate
from kg.vocab import POL

DATA = Path(__file__).resolve().parents[1] / "data"
GDELT = DATA / "gdelt-events.CSV"


def _table(result) -> dict[str, str]:
    """The summary table as {row label: value}."""
    rows = {}
    for line in result.stderr.splitlines():
        cells = [c.strip() for c in line.strip().strip("│").split("│")]
        if len(cells) == 2 and cells[0]:
            rows[cells[0]] = cells[1]
    return rows


def test_import_gdelt_writes_the_graph_and_a_summary(tmp_path):
    out = tmp_path / "gdelt.ttl"
    result = run("import", "gdelt", str(GDELT), "-o", str(out))
    assert result.exit_code == 0, result.output
    g = Graph().parse(out, format="turtle")
    assert isomorphic(g, import_gdelt([GDELT])[0])
    assert validate(g).conforms
    assert _table(result) == {
        "records read": "8",
        "events imported": "6",
        "ACCUSE": "1",
        "ASSAULT": "1",
        "CONSULT": "1",
        "PROTEST": "1",
        "REQUEST": "1",
        "SUPPORT": "1",
        "no PLOVER type (left out)": "1",
        "CAMEO 010": "1",
        "actor not resolved (left out)": "1",
        "AFR is a CAMEO region (Africa), not a country": "1",
        "triples": f"{len(g):,}",
        "wrote": str(out),
    }


def test_import_gdelt_bad_row_is_one_message_and_exit_1(tmp_path):
    out = tmp_path / "gdelt.ttl"
    result = run("import", "gdelt", str(DATA / "gdelt-bad.CSV"), "-o", str(out))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert error_message(result) == (
        f"{DATA / 'gdelt-bad.CSV'}:2: expected 61 tab-separated columns (GDELT 2.0 event export), found 58; "
        "this looks like a GDELT 1.0 file, which kg does not read"
    )
    assert not out.exists()


def test_import_gdelt_skip_bad_lists_the_bad_rows(tmp_path):
    out = tmp_path / "gdelt.ttl"
    result = run("import", "gdelt", str(DATA / "gdelt-bad.CSV"), "-o", str(out), "--skip-bad")
    assert result.exit_code == 0, result.output
    path = DATA / "gdelt-bad.CSV"
    tail = result.stderr[result.stderr.index("skipped 3 bad row(s) or record(s):") :]
    assert tail.splitlines() == [
        "skipped 3 bad row(s) or record(s):",
        f"  {path}:2: expected 61 tab-separated columns (GDELT 2.0 event export), found 58; "
        "this looks like a GDELT 1.0 file, which kg does not read",
        f"  {path}:3: unknown CAMEO event code '999' (EventCode, column 27)",
        f"  {path}:4: SQLDATE (column 2) must be a date written YYYYMMDD, not '20241345'",
    ]
    assert _table(result)["events imported"] == "2"


def test_import_gdelt_merge_into_articles_graph(tmp_path, nlp):
    text = "The United States imposed sanctions on Iran."
    articles = tmp_path / "articles.ttl"
    write_graph(build_graph([extract_document(Document("wire-1", text, date="2024-11-13"), nlp(text))]), articles)
    result = run("import", "gdelt", str(GDELT), "--merge-into", str(articles))
    assert result.exit_code == 0, result.output
    g = load_graph(articles)  # written back in place: -o defaults to the --merge-into file
    assert {g.value(ev, POL.source) for ev in g.subjects(POL.eventType, POL.SANCTION)} == {None}  # the article's
    assert {str(g.value(ev, POL.source)) for ev in g.subjects(POL.eventType, POL.ASSAULT)} == {"gdelt"}
    assert (entity_iri("country/USA"), POL.sanctioned, entity_iri("country/IRN")) in g
    assert (entity_iri("military/RUS"), POL.assaulted, entity_iri("country/UKR")) in g
    assert validate(g).conforms


def test_import_gdelt_merge_into_other_output_leaves_the_original(tmp_path):
    base = tmp_path / "base.ttl"
    write_graph(import_gdelt([GDELT])[0], base)
    before = base.read_bytes()
    out = tmp_path / "all.nt"
    result = run("import", "gdelt", str(GDELT), "--merge-into", str(base), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert base.read_bytes() == before
    assert isomorphic(Graph().parse(out, format="nt"), import_gdelt([GDELT])[0])


def test_import_plover(tmp_path):
    out = tmp_path / "plover.nt"
    sources = (str(DATA / "plover-records.jsonl"), str(DATA / "plover-polecat.json"))
    result = run("import", "plover", *sources, "-o", str(out))
    assert result.exit_code == 0, result.output
    g = Graph().parse(out, format="nt")
    assert isomorphic(g, import_plover(sources)[0])
    assert validate(g).conforms
    assert _table(result) == {
        "records read": "7",
        "events imported": "6",
        "ACCUSE": "1",
        "ASSAULT": "1",
        "CONSULT": "1",
        "PROTEST": "1",
        "REQUEST": "1",
        "SANCTION": "1",
        "actor not resolved (left out)": "1",
        "country code 'JAP' is unknown": "1",
        "triples": f"{len(g):,}",
        "wrote": str(out),
    }


def test_import_missing_file(tmp_path):
    result = run("import", "plover", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "x.ttl"))
    assert result.exit_code == 1
    assert error_message(result) == f"{tmp_path / 'nope.jsonl'}: no such file"
    assert list(tmp_path.iterdir()) == []


def test_import_only_bad_records_is_an_error(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"event": "HUG", "source": ["Kenya"]}\n', encoding="utf-8")
    result = run("import", "plover", str(path), "-o", str(tmp_path / "x.ttl"), "--skip-bad")
    assert result.exit_code == 1
    assert error_message(result) == (
        f"no records were read (all bad: {path}:1: unknown PLOVER event type 'HUG' (expected one of AGREE, "
        "CONSULT, SUPPORT, CONCEDE, COOPERATE, AID, RETREAT, REQUEST, ACCUSE, REJECT, THREATEN, PROTEST, SANCTION, "
        "MOBILIZE, COERCE, ASSAULT))"
    )
    assert not (tmp_path / "x.ttl").exists()


def test_import_unknown_output_format(tmp_path):
    result = run("import", "gdelt", str(GDELT), "-o", str(tmp_path / "out.xyz"))
    assert result.exit_code == 1
    assert error_message(result) == (
        f"{tmp_path / 'out.xyz'}: cannot tell the output format (extension '.xyz'); use one of turtle (.ttl .turtle), "
        "nt (.nt), json-ld (.jsonld .json), xml (.rdf .xml .owl), trig (.trig), nquads (.nq), graphml (.graphml), "
        "gexf (.gexf), csv (.csv), or give --format"
    )
    assert list(tmp_path.iterdir()) == []
