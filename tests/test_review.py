"""``kg review``: a sheet out of a store, decisions back in, kept across rebuilds, reported."""

from __future__ import annotations

import csv
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal
from typer.testing import CliRunner

from kg.analysis.stats import graph_stats
from kg.cli import app
from kg.curation import CURATION_GRAPH, apply_decisions, read_decisions
from kg.errors import SheetError
from kg.export import write_graph
from kg.graph import new_graph
from kg.query import load_named_query, run_named_query
from kg.review import (
    SHEET_COLUMNS,
    _Names,
    cohen_kappa,
    read_sheet,
    review_report,
    sheet_rows,
)
from kg.store import open_store
from kg.validation import validate
from kg.vocab import EVENT_TYPES, POL, PROV, RDF, RDFS

A_TXT = "date: 2025-01-02\nFrance imposed sanctions on Russia. Germany accused Poland of spying. Spain praised Italy.\n"
B_TXT = "date: 2025-01-03\nKenya met Uganda on Monday. Egypt threatened Sudan.\n"
C = "https://w3id.org/polkg/id/country/"


def run(*args: str):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "300"})


@pytest.fixture
def store_dir(tmp_path, monkeypatch) -> Path:
    """A store built from two invented articles, a.txt and b.txt (five events)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "arts").mkdir()
    (tmp_path / "arts" / "a.txt").write_text(A_TXT, encoding="utf-8")
    (tmp_path / "arts" / "b.txt").write_text(B_TXT, encoding="utf-8")
    result = run("build", "--store", "news.kg", "arts")
    assert result.exit_code == 0, result.output
    return tmp_path / "news.kg"


def _rows(path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _write(path, rows) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=SHEET_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def _fill(rows: list[dict]) -> list[dict]:
    """The test's reviewer: the accusation is wrong, the sanctions were aid to Russia and Poland,
    the meeting and the praise are right, the threat undecided."""
    for r in rows:
        if r["type"] == "ACCUSE":
            r["verdict"], r["note"] = "wrong", "no accusation in the text"
        elif r["type"] == "SANCTION":
            r.update(verdict="fix", fix_type="aid", fix_recipients="Russia; poland")
        elif r["type"] in ("CONSULT", "SUPPORT"):
            r["verdict"] = "ok"
    return rows


def _truthy(store_path) -> set[tuple[str, str, str]]:
    with open_store(store_path, read_only=True, create=False) as store:
        g = store.to_graph()
    names = {t.truthy for t in EVENT_TYPES.values()}
    return {
        (str(s).rsplit("/", 1)[1], str(p).rsplit("#", 1)[1], str(o).rsplit("/", 1)[1])
        for s, p, o in g
        if str(p).rsplit("#", 1)[-1] in names
    }


def _events(store_path) -> dict[str, tuple[str, tuple, tuple]]:
    """type -> (rdf class, actors, recipients) of each event node in the merged view, by trigger."""
    with open_store(store_path, read_only=True, create=False) as store:
        g = store.to_graph()
    out = {}
    for e in set(g.subjects(POL.eventType, None)):
        cls = sorted(str(c).rsplit("#", 1)[1] for c in g.objects(e, RDF.type))
        out[str(g.value(e, POL.trigger))] = (
            str(g.value(e, POL.eventType)).rsplit("#", 1)[1],
            tuple(cls),
            tuple(sorted(str(a).rsplit("/", 1)[1] for a in g.objects(e, POL.actor))),
            tuple(sorted(str(r).rsplit("/", 1)[1] for r in g.objects(e, POL.recipient))),
        )
    return out


def _type_counts(store_path) -> dict[str, int]:
    """Events by type, from the summary counts the named query reads (the store closed after)."""
    with open_store(store_path, read_only=True, create=False) as store:
        result = run_named_query(store.oxigraph, load_named_query("events-by-type-and-month"))
        at = {name: i for i, name in enumerate(result.variables)}
        rows = [(str(r[at["type"]]), int(r[at["events"]])) for r in result.rows]
    counts: dict[str, int] = {}
    for etype, n in rows:
        counts[etype.rsplit("#", 1)[-1]] = counts.get(etype.rsplit("#", 1)[-1], 0) + n
    return counts


def _export_csv() -> str:
    with open_store("news.kg", read_only=True, create=False) as store:
        write_graph(store.to_graph(), "events.csv")
    return "events.csv"


EXTRACTED = {
    "imposed sanctions": ("SANCTION", ("Event",), ("FRA",), ("RUS",)),
    "accused": ("ACCUSE", ("Event",), ("DEU",), ("POL",)),
    "praised": ("SUPPORT", ("Event",), ("ESP",), ("ITA",)),
    "met": ("CONSULT", ("Event",), ("KEN", "UGA"), ()),
    "threatened": ("THREATEN", ("Event",), ("EGY",), ("SDN",)),
}
REVIEWED = {
    **EXTRACTED,
    "imposed sanctions": ("AID", ("Event",), ("FRA",), ("POL", "RUS")),
    "accused": ("ACCUSE", ("RejectedEvent",), ("DEU",), ("POL",)),
}
TRUTHY_EXTRACTED = {
    ("FRA", "sanctioned", "RUS"), ("DEU", "accused", "POL"), ("ESP", "supported", "ITA"),
    ("KEN", "consulted", "UGA"), ("UGA", "consulted", "KEN"), ("EGY", "threatened", "SDN"),
}  # fmt: skip
TRUTHY_REVIEWED = TRUTHY_EXTRACTED - {("FRA", "sanctioned", "RUS"), ("DEU", "accused", "POL")} | {
    ("FRA", "aided", "RUS"), ("FRA", "aided", "POL"),
}


def test_review_export_writes_one_row_per_event_with_empty_decisions(store_dir):
    result = run("review", "export", "news.kg", "-o", "sheet.csv")
    assert result.exit_code == 0, result.output
    assert "wrote sheet.csv: 5 event(s) to review" in result.stderr
    rows = _rows("sheet.csv")
    assert list(rows[0]) == list(SHEET_COLUMNS)
    assert [(r["document"], r["start"], r["end"], r["type"], r["trigger"]) for r in rows] == [
        ("a", "0", "35", "SANCTION", "imposed sanctions"),
        ("a", "36", "69", "ACCUSE", "accused"),
        ("a", "70", "90", "SUPPORT", "praised"),
        ("b", "0", "27", "CONSULT", "met"),
        ("b", "28", "51", "THREATEN", "threatened"),
    ]
    accuse = rows[1]
    assert (accuse["actors"], accuse["recipients"], accuse["modality"], accuse["date"]) == (
        "Germany", "Poland", "Asserted", "2025-01-02"
    )
    assert accuse["sentence"] == "Germany accused Poland of spying."
    assert 0 < float(accuse["confidence"]) <= 1
    assert all(r[c] == "" for r in rows for c in ("verdict", "fix_type", "fix_actors", "fix_recipients", "note"))


def test_review_round_trip_applies_decisions_and_keeps_them_across_a_rebuild(store_dir, tmp_path):
    assert _events(store_dir) == EXTRACTED
    assert _truthy(store_dir) == TRUTHY_EXTRACTED
    assert run("review", "export", "news.kg", "-o", "sheet.csv").exit_code == 0
    _write("filled.csv", _fill(_rows("sheet.csv")))
    result = run("review", "import", "filled.csv", "--store", "news.kg", "--reviewer", "Ana Coder")
    assert result.exit_code == 0, result.output
    assert "│ decisions recorded  │ 4 │" in result.stderr and "│ rows left undecided │ 1 │" in result.stderr

    # the n-ary layer keeps the rejected event, flagged; truthy edges and counts drop it
    assert _events(store_dir) == REVIEWED
    assert _truthy(store_dir) == TRUTHY_REVIEWED
    assert _type_counts(store_dir) == {"AID": 1, "CONSULT": 1, "SUPPORT": 1, "THREATEN": 1}
    assert sorted(r["type"] for r in _rows(_export_csv())) == ["AID", "CONSULT", "SUPPORT", "THREATEN"]

    with open_store(store_dir, read_only=True, create=False) as store:
        merged = store.to_graph()
    assert graph_stats(merged).events == 4
    assert validate(merged).conforms  # a rejected event's parties no longer list it as theirs
    rejected = next(merged.subjects(RDF.type, POL.RejectedEvent))
    assert list(merged.subjects(POL.participatedIn, rejected)) == []
    assert {str(x).rsplit("/", 1)[1] for x in merged.objects(rejected, POL.actor)} == {"DEU"}
    assert len(list(merged.objects(rejected, PROV.wasDerivedFrom))) == 1
    assert len(list(merged.subjects(POL.confirmedBy, None))) == 2
    assert len(list(merged.subjects(POL.correctedBy, None))) == 1

    # rebuilding the same documents (taken out, built again) keeps every decision
    assert run("remove", "--store", "news.kg", "a", "b").exit_code == 0
    assert _events(store_dir) == {}
    assert _truthy(store_dir) == set()  # nothing the corrections drew is left behind
    assert run("build", "--store", "news.kg", "arts", "--html", "map.html").exit_code == 0
    assert _events(store_dir) == REVIEWED
    page = Path("map.html").read_text(encoding="utf-8")
    assert "THREATEN" in page and "ACCUSE" not in page  # the explorer drawn after the decisions applied
    assert _truthy(store_dir) == TRUTHY_REVIEWED
    assert _type_counts(store_dir) == {"AID": 1, "CONSULT": 1, "SUPPORT": 1, "THREATEN": 1}

    # a changed sentence: its decision is stale, reported and not applied; a moved one still holds
    changed = A_TXT.replace("Germany accused", "Germany sharply accused")
    (tmp_path / "arts" / "a.txt").write_text(changed, encoding="utf-8")
    result = run("build", "--store", "news.kg", "arts")
    assert result.exit_code == 0, result.output
    assert "│ review decisions stale │       1 │" in result.stderr
    assert (
        "stale review decision: a 'accused': its sentence is no longer in document 'a' (the text changed, or no "
        "event is found there)" in result.stderr.replace("\n", " ")
    )
    assert _events(store_dir) == {**REVIEWED, "accused": EXTRACTED["accused"]}
    assert _truthy(store_dir) == TRUTHY_REVIEWED | {("DEU", "accused", "POL")}
    with open_store(store_dir, read_only=True, create=False) as store:
        merged = store.to_graph()
    praised = next(merged.subjects(POL.trigger, Literal("praised")))
    assert len(list(merged.objects(praised, POL.confirmedBy))) == 1  # its sentence moved, unchanged: found
    report = run("review", "report", "news.kg")
    assert report.exit_code == 0, report.output
    assert (
        "stale: a 'accused': its sentence is no longer in document 'a' (the text changed, or no event is found there)"
        in report.stdout
    )


def test_review_import_records_decisions_with_prov(store_dir):
    run("review", "export", "news.kg", "-o", "sheet.csv")
    _write("filled.csv", _fill(_rows("sheet.csv")))
    assert run("review", "import", "filled.csv", "--store", "news.kg", "--reviewer", "Ana Coder").exit_code == 0
    with open_store(store_dir, read_only=True, create=False) as store:
        decisions = read_decisions(store.oxigraph)
        curation = ox.NamedNode(CURATION_GRAPH)
        agents = {
            q.object.value
            for q in store.oxigraph.quads_for_pattern(None, ox.NamedNode(str(RDFS.label)), None, curation)
        }
        associated = list(store.oxigraph.quads_for_pattern(None, ox.NamedNode(str(PROV.wasAssociatedWith)), None,
                                                           curation))
        # the decisions are in their own graph, never in a document's
        in_docs = [q for q in store.oxigraph.quads_for_pattern(None, ox.NamedNode(str(POL.verdict)), None, None)
                   if q.graph_name != curation]
    assert agents == {"Ana Coder"} and len(associated) == 4 and in_docs == []
    assert sorted((d.verdict, d.reviewed_type, d.fix_type, d.fix_recipients, d.note, d.reviewer)
                  for d in decisions) == [
        ("fix", "SANCTION", "AID", (C + "POL", C + "RUS"), "", "Ana Coder"),
        ("ok", "CONSULT", None, None, "", "Ana Coder"),
        ("ok", "SUPPORT", None, None, "", "Ana Coder"),
        ("wrong", "ACCUSE", None, None, "no accusation in the text", "Ana Coder"),
    ]
    assert all(d.time and d.document in ("a", "b") for d in decisions)


def test_review_report_accuracy_by_type_and_kappa_of_two_reviewers(store_dir):
    run("review", "export", "news.kg", "-o", "sheet.csv")
    rows = _rows("sheet.csv")
    first = {"SANCTION": "ok", "ACCUSE": "wrong", "SUPPORT": "ok", "CONSULT": "ok", "THREATEN": "wrong"}
    second = {"SANCTION": "ok", "ACCUSE": "wrong", "SUPPORT": "wrong", "CONSULT": "ok", "THREATEN": "wrong"}
    for name, verdicts in (("ana", first), ("ben", second)):
        _write(f"{name}.csv", [{**r, "verdict": verdicts[r["type"]]} for r in rows])
        assert run("review", "import", f"{name}.csv", "--store", "news.kg", "--reviewer", name).exit_code == 0
    with open_store(store_dir, read_only=True, create=False) as store:
        report = review_report(store.oxigraph)
    assert report.decisions == 10 and report.events == 5
    # the latest decision per event counts: ben's
    assert report.by_type == {"ACCUSE": (1, 0), "CONSULT": (1, 1), "SANCTION": (1, 1), "SUPPORT": (1, 0),
                              "THREATEN": (1, 0)}
    assert report.right == 0.4
    # 4 of 5 agree; expected agreement (3/5*2/5 + 2/5*3/5) = 0.48; kappa = (0.8 - 0.48) / 0.52
    assert report.agreement == [("ana", "ben", 5, 0.8, pytest.approx(0.32 / 0.52))]
    result = run("review", "report", "news.kg")
    assert "│ ana / ben │      5 │    80% │  0.62 │" in result.stdout
    assert "│ all      │        5 │     2 │   40% │" in result.stdout


def test_review_report_without_decisions_says_so(store_dir):
    result = run("review", "report", "news.kg")
    assert result.exit_code == 0
    assert result.stdout.strip() == "no review decisions in news.kg yet (kg review export, then kg review import)"


def test_cohen_kappa_known_values():
    assert cohen_kappa([]) is None
    assert cohen_kappa([("ok", "ok"), ("wrong", "wrong")]) == 1.0
    assert cohen_kappa([("ok", "wrong"), ("wrong", "ok")]) == -1.0
    # 2 of 4 agree; each rater says ok 3 times in 4: expected 9/16 + 1/16 = 0.625
    assert cohen_kappa([("ok", "ok"), ("ok", "ok"), ("ok", "wrong"), ("wrong", "ok")]) == pytest.approx(
        (0.5 - 0.625) / 0.375
    )
    assert cohen_kappa([("ok", "ok"), ("ok", "ok")]) == 1.0  # one category only: full agreement


def test_sheet_rows_sample_is_drawn_by_seed_and_filters_apply(store_dir):
    with open_store(store_dir, read_only=True, create=False) as store:
        g = store.to_graph()
    every = sheet_rows(g)
    first, again = sheet_rows(g, sample=3, seed=7), sheet_rows(g, sample=3, seed=7)
    assert len(first) == 3 and first == again and all(r in every for r in first)
    assert [r["type"] for r in sheet_rows(g, event_type="accuse")] == ["ACCUSE"]
    lowest = min(float(r["confidence"]) for r in every)
    assert [float(r["confidence"]) for r in sheet_rows(g, below=lowest + 0.001)] == [lowest]
    assert sheet_rows(g, below=lowest) == []
    assert sheet_rows(new_graph()) == []


def test_review_export_unknown_type_is_an_error(store_dir):
    result = run("review", "export", "news.kg", "-o", "sheet.csv", "--type", "acuse")
    assert result.exit_code == 1
    assert "--type: 'acuse' is not a PLOVER event type; did you mean ACCUSE?" in result.stderr
    assert not Path("sheet.csv").exists()


@pytest.mark.parametrize(("change", "message"), [
    ({"verdict": "maybe"}, "verdict 'maybe' is not one of ok, wrong, fix"),
    ({"verdict": "fix"}, "verdict fix needs a corrected fix_type, fix_actors or fix_recipients"),
    ({"verdict": "ok", "fix_type": "AID"}, "fix_type filled but the verdict is 'ok': write fix, or clear them"),
    ({"fix_type": "AID"}, "fix_type filled but no verdict: write fix in the verdict column"),
    ({"verdict": "fix", "fix_type": "AIDE"}, "'AIDE' is not a PLOVER event type; did you mean AID?"),
    ({"verdict": "fix", "fix_actors": "Germny"}, "no entity named 'Germny' in the store (label, alias or IRI); "
                                                 "close names: 'germany'"),
    ({"verdict": "ok", "start": "x"}, "start and end must be character offsets, not 'x', '69'"),
])  # fmt: skip
def test_read_sheet_bad_row_names_file_and_line(store_dir, change, message):
    run("review", "export", "news.kg", "-o", "sheet.csv")
    rows = _rows("sheet.csv")
    rows[1].update(change)  # the ACCUSE row, line 3 of the file
    _write("bad.csv", rows)
    with open_store(store_dir, read_only=True, create=False) as store:
        names = _Names(store.oxigraph)
    with pytest.raises(SheetError) as info:
        read_sheet("bad.csv", names, reviewer="ana", time="2026-01-01T00:00:00+00:00")
    assert str(info.value) == f"bad.csv:3: {message}"
    assert info.value.code == "sheet"


def test_review_import_bad_sheet_records_nothing(store_dir):
    run("review", "export", "news.kg", "-o", "sheet.csv")
    rows = _fill(_rows("sheet.csv"))
    rows[-1]["verdict"] = "perhaps"
    _write("bad.csv", rows)
    result = run("review", "import", "bad.csv", "--store", "news.kg", "--reviewer", "ana")
    assert result.exit_code == 1
    assert "bad.csv:6: verdict 'perhaps' is not one of ok, wrong, fix" in result.stderr
    with open_store(store_dir, read_only=True, create=False) as store:
        assert read_decisions(store.oxigraph) == []
    assert _events(store_dir) == EXTRACTED


def test_review_import_sheet_that_is_not_one_is_refused(store_dir):
    Path("other.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    result = run("review", "import", "other.csv", "--store", "news.kg", "--reviewer", "ana")
    assert result.exit_code == 1
    assert "other.csv: not a review sheet: no event, type, trigger, sentence, document, start, end, verdict" in (
        result.stderr.replace("\n", "")
    )


def test_review_import_into_a_directory_that_is_no_store_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("sheet.csv").write_text(",".join(SHEET_COLUMNS) + "\n", encoding="utf-8")
    result = run("review", "import", "sheet.csv", "--store", "nowhere", "--reviewer", "ana")
    assert result.exit_code == 1
    assert "nowhere: not a kg store" in result.stderr


def test_review_import_of_a_sheet_made_before_the_sentence_changed_reports_it_stale(store_dir):
    run("review", "export", "news.kg", "-o", "sheet.csv")
    rows = _rows("sheet.csv")
    rows[1].update(verdict="wrong", sentence="Germany accused Poland of spying twice.")  # an older text
    rows[2].update(verdict="wrong")
    _write("old.csv", rows)
    result = run("review", "import", "old.csv", "--store", "news.kg", "--reviewer", "ana")
    assert result.exit_code == 0, result.output
    assert "│ stale, not applied  │ 1 │" in result.stderr
    assert "stale: a 'accused': its sentence in document 'a' changed: now 'Germany accused Poland of spying.'" in (
        result.stderr.replace("\n", "")
    )
    assert _events(store_dir) == {
        **EXTRACTED, "praised": ("SUPPORT", ("RejectedEvent",), ("ESP",), ("ITA",))
    }


def test_apply_decisions_twice_gives_the_same_merged_view(store_dir):
    run("review", "export", "news.kg", "-o", "sheet.csv")
    _write("filled.csv", _fill(_rows("sheet.csv")))
    assert run("review", "import", "filled.csv", "--store", "news.kg", "--reviewer", "ana").exit_code == 0
    with open_store(store_dir, create=False) as store:
        once = set(store.oxigraph.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        assert apply_decisions(store.oxigraph, order=store._order()) == []
        again = set(store.oxigraph.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    assert once == again
