"""``kg stats`` and ``kg plot balance|activity``: exact output, exit codes, files, no tracebacks.

Uses the hand-made graph of test_stats.py (its docstring lists the events), written once as
Turtle and once into a store.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from analysis_graph import _document, analysis_graph
from clitools import error_message, run

from kg.analysis.stats import graph_stats
from kg.export import write_graph
from kg.store import open_store

PNG = b"\x89PNG\r\n\x1a\n"



def _tables(text: str) -> dict[str, list[list[str]]]:
    """Each rich table of ``text`` as {title: rows of cells} (header rows included)."""
    tables: dict[str, list[list[str]]] = {}
    title = None
    for line in text.splitlines():
        if line.strip() and line.lstrip()[0] not in "┌┏┡└│┃╇├":
            title = line.strip()
            tables[title] = []
        elif line.lstrip().startswith(("│", "┃")) and title is not None:
            tables[title].append([c.strip() for c in line.strip().strip("│┃").replace("┃", "│").split("│")])
    return tables


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("analysis") / "graph.ttl"
    write_graph(analysis_graph(), path)
    return path


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("analysis") / "news.kg"
    with open_store(path) as store:
        store.add_graph(analysis_graph(), "all", origin="test")
    return path


# --------------------------------------------------------------------------- kg stats


def test_stats_table_counts(graph_file):
    result = run("stats", str(graph_file))
    assert result.exit_code == 0, result.output
    tables = _tables(result.stdout)
    assert list(tables) == [
        "graph", "events by type and modality", "entities by class",
        "top 6 actors by degree", "top 2 actors by betweenness",
    ]
    assert tables["graph"] == [
        ["level", "entity", "each entity on its own"],
        ["documents", "4", ""],
        ["sentences", "9", ""],
        ["events", "9", ""],
        ["entities", "8", ""],
        ["actors", "7", "in the network of asserted and intended events"],
        ["links", "4", "pairs of actors, weighted by events between them"],
        ["components", "3", "largest: 4, 2, 1"],
        ["isolated", "1", "actors without links"],
    ]


def test_stats_table_events_by_type_and_modality(graph_file):
    rows = _tables(run("stats", str(graph_file)).stdout)["events by type and modality"]
    assert rows == [
        ["type", "total", "Asserted", "Intended", "Hypothetical", "Negated"],
        ["CONSULT", "2", "2", "0", "0", "0"],
        ["AGREE", "1", "1", "0", "0", "0"],
        ["AID", "1", "0", "1", "0", "0"],
        ["ACCUSE", "1", "1", "0", "0", "0"],
        ["THREATEN", "1", "1", "0", "0", "0"],
        ["PROTEST", "1", "1", "0", "0", "0"],
        ["SANCTION", "1", "0", "0", "0", "1"],
        ["ASSAULT", "1", "0", "0", "1", "0"],
        ["all", "9", "6", "1", "1", "1"],
    ]


def test_stats_table_top_actors(graph_file):
    tables = _tables(run("stats", str(graph_file), "--top", "2").stdout)
    assert tables["entities by class"] == [["class", "entities"], ["Country", "4"], ["Person", "3"], ["Location", "1"]]
    assert tables["top 2 actors by degree"] == [
        ["#", "actor", "class", "partners", "events", "betweenness"],
        ["1", "Atlantis", "Country", "2", "4", "0.133"],
        ["2", "Borduria", "Country", "2", "4", "0.133"],
    ]
    assert tables["graph"][7] == ["components", "3", "largest: 4, 2"]


def test_stats_json_matches_library(graph_file):
    result = run("stats", str(graph_file), "--format", "json", "--top", "3")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data == json.loads(json.dumps(graph_stats(analysis_graph(), top=3).to_dict()))
    assert data["events_by_modality"] == {"Asserted": 6, "Intended": 1, "Hypothetical": 1, "Negated": 1}
    assert [a["label"] for a in data["top_degree"]] == ["Atlantis", "Borduria", "Alex Varga"]


def test_stats_store_same_as_file(graph_file, store_dir):
    from_file = json.loads(run("stats", str(graph_file), "--format", "json").stdout)
    result = run("stats", str(store_dir), "--format", "json")
    assert result.exit_code == 0, result.output
    from_store = json.loads(result.stdout)
    assert from_store == from_file


def test_stats_unknown_format_exit_1(graph_file):
    result = run("stats", str(graph_file), "--format", "xml")
    assert result.exit_code == 1
    assert error_message(result) == "--format 'xml': choose one of table, json"
    assert result.stdout == "" and "Traceback" not in result.output


def test_stats_missing_file_exit_1(tmp_path):
    result = run("stats", str(tmp_path / "missing.ttl"))
    assert result.exit_code == 1
    assert error_message(result) == f"{tmp_path / 'missing.ttl'}: no such file or directory"
    assert result.stdout == "" and "Traceback" not in result.output


def test_stats_top_zero_usage_error(graph_file):
    result = run("stats", str(graph_file), "--top", "0")
    assert result.exit_code == 2
    assert result.stderr.startswith("Usage: kg stats ")
    assert error_message(result).splitlines()[-1] == (
        "Invalid value for '--top' / '-n': Input should be greater than or equal to 1"
    )
    assert result.stdout == "" and "Traceback" not in result.output


def test_stats_empty_graph_zero_counts(tmp_path):
    path = tmp_path / "empty.ttl"
    path.write_text("", encoding="utf-8")
    result = run("stats", str(path))
    assert result.exit_code == 0, result.output
    tables = _tables(result.stdout)
    assert tables["graph"][0] == ["level", "entity", "each entity on its own"]
    assert tables["graph"][1] == ["documents", "0", ""]
    assert tables["graph"][7] == ["components", "0", ""]
    assert tables["top 0 actors by degree"] == [["#", "actor", "class", "partners", "events", "betweenness"]]


# --------------------------------------------------------------------------- kg plot balance


def test_plot_balance_pair_writes_png_and_says_what(graph_file, tmp_path):
    out = tmp_path / "balance.png"
    result = run("plot", "balance", str(graph_file), "--actor", "Atlantis", "--other", "Borduria", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:8] == PNG
    assert result.stderr == (
        f"wrote {out}: Atlantis and Borduria, 2 events in 1 month, balance -0.5 "
        "(asserted and intended events only; 1 event without a month left out)\n"
    )
    assert result.stdout == ""


def test_plot_balance_with_nothing_to_plot_exits_1_and_writes_nothing(graph_file, tmp_path):
    out = tmp_path / "balance.png"
    result = run("plot", "balance", str(graph_file), "--actor", "Zorvia", "--other", "Syldavia", "-o", str(out))
    assert result.exit_code == 1
    assert error_message(result) == (
        # King Ottokar acts for Syldavia (pol:state): the country stands for its state
        "nothing to plot: no asserted or intended events of Zorvia and Syldavia (state: 1 part) in a known month; "
        f"{out} was not written"
    )
    assert not out.exists()


def test_plot_balance_with_only_undated_events_says_they_were_left_out(graph_file, tmp_path):
    out = tmp_path / "balance.png"
    result = run("plot", "balance", str(graph_file), "--actor", "Alex Varga", "--other", "Bela Varga", "-o", str(out))
    assert result.exit_code == 1
    assert error_message(result) == (
        "nothing to plot: no asserted or intended events of Alex Varga and Bela Varga in a known month; "
        f"1 event without a month left out; {out} was not written"
    )
    assert not out.exists()


def test_plot_balance_one_actor_by_alias_svg(graph_file, tmp_path):
    out = tmp_path / "balance.svg"
    result = run("plot", "balance", str(graph_file), "-a", "atlantean republic", "-o", str(out))
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(b"<?xml") and b"<svg" in data[:1000]
    assert result.stderr == (
        f"wrote {out}: Atlantis with everyone, 3 events in 3 months, balance 9.5 "
        "(asserted and intended events only; 1 event without a month left out)\n"
    )


def test_plot_balance_from_store(store_dir, tmp_path):
    out = tmp_path / "balance.png"
    result = run("plot", "balance", str(store_dir), "--actor", "Borduria", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:8] == PNG
    assert result.stderr == (
        f"wrote {out}: Borduria with everyone, 3 events in 2 months, balance -4 "
        "(asserted and intended events only; 1 event without a month left out)\n"
    )


def test_plot_balance_unknown_actor_exit_1(graph_file, tmp_path):
    out = tmp_path / "balance.png"
    result = run("plot", "balance", str(graph_file), "--actor", "Atlantys", "-o", str(out))
    assert result.exit_code == 1
    assert error_message(result) == (
        "no actor named 'Atlantys' in the graph (label or alias); did you mean 'Atlantis'? "
        "List the actors with: kg stats GRAPH, or kg query GRAPH most-active-actors"
    )
    assert not out.exists() and "Traceback" not in result.output


def test_plot_balance_ambiguous_actor_exit_1(graph_file, tmp_path):
    result = run("plot", "balance", str(graph_file), "--actor", "Varga", "-o", str(tmp_path / "b.png"))
    assert result.exit_code == 1
    assert error_message(result) == (
        "the name 'Varga' fits 2 actors: Alex Varga (Person, polr:person/alex-varga); "
        "Bela Varga (Person, polr:person/bela-varga). Give the label of one, or its IRI (polr:...)"
    )


def test_plot_balance_ambiguity_resolved_by_iri(graph_file, tmp_path):
    out = tmp_path / "b.png"
    result = run("plot", "balance", str(graph_file), "--actor", "polr:person/alex-varga", "-o", str(out))
    assert result.exit_code == 1  # the IRI picks Alex Varga, whose one event has no month
    assert error_message(result) == (
        "nothing to plot: no asserted or intended events of Alex Varga with everyone in a known month; "
        f"1 event without a month left out; {out} was not written"
    )


def test_plot_balance_needs_actor_usage_error(graph_file):
    result = run("plot", "balance", str(graph_file))
    assert result.exit_code == 2
    assert result.stderr.startswith("Usage: kg plot balance ")
    assert error_message(result).splitlines()[-1] == "Missing option '--actor' / '-a'."
    assert "Traceback" not in result.output


def test_plot_balance_bad_extension_fails_before_work(tmp_path):
    # the graph does not exist: the extension is checked first
    out = tmp_path / "balance.jpg"
    result = run("plot", "balance", str(tmp_path / "missing.ttl"), "--actor", "Atlantis", "-o", str(out))
    assert result.exit_code == 1
    assert error_message(result) == f"{out}: cannot write a figure with extension '.jpg'; use .png, .svg or .pdf"


def test_plot_balance_failed_write_keeps_old_file(graph_file, tmp_path, monkeypatch):
    from matplotlib.figure import Figure

    out = tmp_path / "missing-dir" / "balance.png"
    result = run("plot", "balance", str(graph_file), "--actor", "Atlantis", "-o", str(out))
    assert result.exit_code == 1
    assert error_message(result) == (
        f"{out}: cannot write the figure (No such file or directory); check that the directory exists and is "
        "writable. An earlier file, if any, is unchanged"
    )
    assert not out.parent.exists()

    out = tmp_path / "balance.png"
    out.write_bytes(b"the old figure")

    def disk_full(self, fname, **kwargs):
        fname.write(b"half a figure")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Figure, "savefig", disk_full)
    result = run("plot", "balance", str(graph_file), "--actor", "Atlantis", "-o", str(out))
    assert result.exit_code == 1
    assert error_message(result) == (
        f"{out}: cannot write the figure (No space left on device); check that the directory exists and is "
        "writable. An earlier file, if any, is unchanged"
    )
    assert out.read_bytes() == b"the old figure"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["balance.png"]  # no temporary file left behind


# --------------------------------------------------------------------------- kg plot activity


def test_plot_activity_writes_png_and_says_what(graph_file, tmp_path):
    out = tmp_path / "activity.png"
    result = run("plot", "activity", str(graph_file), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:8] == PNG
    assert result.stderr == (
        f"wrote {out}: 5 events of 5 types in 3 months "
        "(asserted and intended events only; 2 events without a month left out)\n"
    )


def test_plot_activity_default_output_name(graph_file, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("plot", "activity", str(graph_file))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "activity.png").read_bytes()[:8] == PNG
    assert result.stderr == (
        "wrote activity.png: 5 events of 5 types in 3 months "
        "(asserted and intended events only; 2 events without a month left out)\n"
    )


def test_plot_activity_all_dated_no_left_out_note(tmp_path):
    from analysis_graph import ATL, BOR

    from kg.graph import build_graph

    path = tmp_path / "one.ttl"
    doc = _document("x", "2024-12-01", [ATL, BOR], [
        ("Atlantis met Borduria.", [("CONSULT", [ATL, BOR], [], "Asserted", None, None)]),
    ])
    write_graph(build_graph([doc]), path)
    out = tmp_path / "activity.svg"
    result = run("plot", "activity", str(path), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stderr == f"wrote {out}: 1 event of 1 type in 1 month (asserted and intended events only)\n"


def test_plot_activity_bad_extension_exit_1(graph_file, tmp_path):
    out = tmp_path / "activity.gif"
    result = run("plot", "activity", str(graph_file), "-o", str(out))
    assert result.exit_code == 1
    assert error_message(result) == f"{out}: cannot write a figure with extension '.gif'; use .png, .svg or .pdf"
    assert list(tmp_path.iterdir()) == [] and "Traceback" not in result.output
