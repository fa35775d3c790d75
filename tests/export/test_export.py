"""Tests of kg.export: the exporter registry, each format's round trip, and atomic writes."""

from __future__ import annotations

import csv
import os
import stat

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal
from rdflib.compare import isomorphic

import kg.outputs
from kg import export as export_module
from kg.errors import OutputError
from kg.export import (
    CSV_COLUMNS,
    EXPORTERS,
    event_rows,
    flat_network,
    format_for,
    register_exporter,
    write_graph,
)
from kg.graph import build_graph, new_graph
from kg.model import Document, DocumentExtraction, Entity, Event, Sentence
from kg.vocab import POLR, RDFS

ENTITIES = {
    "ATL": Entity("country/ATL", "Atlantis", "Country", country="ATL"),
    "BOR": Entity("country/BOR", "Borduria", "Country", country="BOR",
                  aliases=frozenset({"Bordurian government", "Bordurians"})),
    "SYL": Entity("country/SYL", "Syldavia", "Country", country="SYL"),
    "IRON": Entity("group/iron-party", 'The "Iron" Party', "Group"),
}


def _extraction(doc_id, date, sentences, events):
    text = " ".join(sentences)
    spans, pos = [], 0
    for s in sentences:
        start = text.index(s, pos)
        spans.append(Sentence(doc_id, start, start + len(s), s))
        pos = start + len(s)
    evs = tuple(Event(t, tuple(a), tuple(r), m, trig, spans[i], date=d) for i, t, a, r, m, trig, d in events)
    return DocumentExtraction(
        Document(doc_id, text, date=date, title=f"Title of {doc_id}"),
        tuple(spans), tuple(ENTITIES.values()), (), evs,
    )


def make_graph() -> Graph:
    d1 = _extraction(
        "d1", "2024-03-05",
        ["The foreign ministers of Atlantis and Borduria met in Geneva.",
         "Borduria accused Atlantis of violating the border."],
        [(0, "CONSULT", ["country/ATL", "country/BOR"], [], "Asserted", "met", None),
         (1, "ACCUSE", ["country/BOR"], ["country/ATL"], "Asserted", "accused", None)],
    )
    d2 = _extraction(
        "d2", "2024-04-10",
        ["Atlantis backed Borduria's bid, again.",
         "Syldavia did not attack Borduria.",
         'The "Iron" Party protested against Atlantis.'],
        [(0, "SUPPORT", ["country/ATL"], ["country/BOR"], "Asserted", "backed", None),
         (1, "ASSAULT", ["country/SYL"], ["country/BOR"], "Negated", "attack", None),
         (2, "PROTEST", ["group/iron-party"], ["country/ATL"], "Asserted", "protested", "2024-04-09")],
    )
    return build_graph([d1, d2])


@pytest.fixture(scope="module")
def tiny_graph() -> Graph:
    return make_graph()


RDF_CASES = [
    ("turtle", "graph.ttl", ox.RdfFormat.TURTLE),
    ("nt", "graph.nt", ox.RdfFormat.N_TRIPLES),
    ("json-ld", "graph.jsonld", ox.RdfFormat.JSON_LD),
    ("xml", "graph.rdf", ox.RdfFormat.RDF_XML),
]


def _read_with_pyoxigraph(path, fmt) -> Graph:
    quads = ox.parse(path=str(path), format=fmt)
    return Graph().parse(data=ox.serialize(quads, format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")


# --------------------------------------------------------------------------- format_for


@pytest.mark.parametrize("path,expected", [
    ("g.ttl", "turtle"), ("G.TTL", "turtle"), ("g.nt", "nt"), ("g.jsonld", "json-ld"), ("g.rdf", "xml"),
    ("g.graphml", "graphml"), ("g.gexf", "gexf"), ("dir.v2/events.csv", "csv"), ("-", "turtle"),
])
def test_format_for_extension(path, expected):
    assert format_for(path) == expected


def test_format_for_explicit_format_wins():
    assert format_for("graph.ttl", "nt") == "nt"


def test_format_for_unknown_extension_names_path_and_choices():
    with pytest.raises(OutputError) as info:
        format_for("out/graph.yaml")
    assert str(info.value) == (
        "out/graph.yaml: cannot tell the output format (extension '.yaml'); use one of "
        "turtle (.ttl .turtle), nt (.nt), json-ld (.jsonld .json), xml (.rdf .xml .owl), "
        "trig (.trig), nquads (.nq), graphml (.graphml), gexf (.gexf), csv (.csv), or give --format"
    )


def test_format_for_no_extension():
    with pytest.raises(OutputError, match=r"^graph: cannot tell the output format \(no extension\)"):
        format_for("graph")


def test_format_for_unknown_format_lists_choices():
    with pytest.raises(OutputError) as info:
        format_for("graph.ttl", "n3")
    assert str(info.value) == (
        "graph.ttl: unknown output format 'n3'; choose one of turtle (.ttl .turtle), nt (.nt), "
        "json-ld (.jsonld .json), xml (.rdf .xml .owl), trig (.trig), nquads (.nq), graphml (.graphml), "
        "gexf (.gexf), csv (.csv)"
    )


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("name,filename,ox_format", RDF_CASES)
def test_write_graph_rdf_formats_round_trip(tiny_graph, tmp_path, name, filename, ox_format):
    path = write_graph(tiny_graph, tmp_path / filename)
    assert path == tmp_path / filename
    assert isomorphic(Graph().parse(path, format=EXPORTERS[name].rdf_format), tiny_graph)
    assert isomorphic(_read_with_pyoxigraph(path, ox_format), tiny_graph)


@pytest.mark.parametrize("name,filename,ox_format", RDF_CASES)
def test_write_graph_rdf_formats_empty_graph(tmp_path, name, filename, ox_format):
    path = write_graph(new_graph(), tmp_path / filename)
    assert len(Graph().parse(path, format=EXPORTERS[name].rdf_format)) == 0


def test_write_graph_turtle_is_deterministic(tiny_graph, tmp_path):
    first = write_graph(tiny_graph, tmp_path / "a.ttl").read_bytes()
    second = write_graph(make_graph(), tmp_path / "b.ttl").read_bytes()
    assert first == second
    assert b"@prefix pol: <https://w3id.org/polkg/ontology#> ." in first


def test_write_graph_graphml_round_trip(tiny_graph, tmp_path):
    net = nx.read_graphml(write_graph(tiny_graph, tmp_path / "actors.graphml"))
    assert isinstance(net, nx.MultiDiGraph)
    # Atlantis, Borduria, Syldavia, the Iron Party; edges: consult, accuse, support,
    # negated assault, protest
    assert (net.number_of_nodes(), net.number_of_edges()) == (4, 5)
    bor = net.nodes[str(POLR["country/BOR"])]
    assert bor["label"] == "Borduria" and bor["aliases"] == "Bordurian government; Bordurians"
    assert bor["kind"] == "Country" and bor["events"] == 4
    [support] = [d for _, _, d in net.edges(data=True) if d["type"] == "SUPPORT"]
    assert support == {
        "type": "SUPPORT", "modality": "Asserted", "quad": "verbal-cooperation", "score": 5.0, "weight": 1,
        "sentences": 1, "text": "Atlantis backed Borduria's bid, again.", "docs": "d2",
        "first_date": "2024-04-10", "last_date": "2024-04-10",
    }


def test_write_graph_gexf_round_trip(tiny_graph, tmp_path):
    net = nx.read_gexf(write_graph(tiny_graph, tmp_path / "actors.gexf"))
    assert (net.number_of_nodes(), net.number_of_edges()) == (4, 5)
    assert net.is_directed()
    types = sorted(d["event_type"] for _, _, d in net.edges(data=True))
    assert types == ["ACCUSE", "ASSAULT", "CONSULT", "PROTEST", "SUPPORT"]
    assert net.nodes[str(POLR["group/iron-party"])]["label"] == 'The "Iron" Party'


@pytest.mark.parametrize("filename", ["actors.graphml", "actors.gexf"])
def test_write_graph_network_formats_empty_graph(tmp_path, filename):
    reader = nx.read_graphml if filename.endswith("graphml") else nx.read_gexf
    net = reader(write_graph(new_graph(), tmp_path / filename))
    assert (net.number_of_nodes(), net.number_of_edges()) == (0, 0)


def test_flat_network_attributes_are_scalars(tiny_graph):
    net = flat_network(tiny_graph)
    values = [v for _, d in net.nodes(data=True) for v in d.values()]
    values += [v for _, _, d in net.edges(data=True) for v in d.values()]
    assert values and all(isinstance(v, str | int | float) for v in values)


def test_write_graph_csv_rows(tiny_graph, tmp_path):
    path = write_graph(tiny_graph, tmp_path / "events.csv")
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == list(CSV_COLUMNS) == [
        "event", "type", "modality", "actors", "recipients", "date", "trigger", "score", "confidence",
        "sentence", "documents",
    ]
    body = [row[1:] for row in rows[1:]]
    assert body == [
        ["ACCUSE", "Asserted", "Borduria", "Atlantis", "2024-03-05", "accused", "-3.0", "",
         "Borduria accused Atlantis of violating the border.", "d1"],
        ["CONSULT", "Asserted", "Atlantis; Borduria", "", "2024-03-05", "met", "2.5", "",
         "The foreign ministers of Atlantis and Borduria met in Geneva.", "d1"],
        ["PROTEST", "Asserted", 'The "Iron" Party', "Atlantis", "2024-04-09", "protested", "-5.0", "",
         'The "Iron" Party protested against Atlantis.', "d2"],
        ["ASSAULT", "Negated", "Syldavia", "Borduria", "2024-04-10", "attack", "-9.0", "",
         "Syldavia did not attack Borduria.", "d2"],
        ["SUPPORT", "Asserted", "Atlantis", "Borduria", "2024-04-10", "backed", "5.0", "",
         "Atlantis backed Borduria's bid, again.", "d2"],
    ]
    assert all(row[0].startswith(str(POLR["event/"])) for row in rows[1:])


def test_write_graph_csv_empty_graph_has_header_only(tmp_path):
    path = write_graph(new_graph(), tmp_path / "events.csv")
    assert path.read_bytes() == (",".join(CSV_COLUMNS) + "\r\n").encode()  # RFC 4180 line ends
    assert event_rows(new_graph()) == []


# --------------------------------------------------------------------------- writing


def test_write_graph_format_overrides_extension(tiny_graph, tmp_path):
    path = write_graph(tiny_graph, tmp_path / "graph.txt", format="nt")
    assert isomorphic(Graph().parse(path, format="nt"), tiny_graph)


def test_write_graph_creates_parent_dirs(tiny_graph, tmp_path):
    path = write_graph(tiny_graph, tmp_path / "a" / "b" / "graph.ttl")
    assert path.is_file()


def test_write_graph_keeps_previous_file_when_exporter_raises(tiny_graph, tmp_path, monkeypatch):
    path = tmp_path / "graph.ttl"
    path.write_text("previous good output\n", encoding="utf-8")

    def broken(graph, target):
        target.write_text("half a fi", encoding="utf-8")
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(EXPORTERS, "turtle", EXPORTERS["turtle"].__class__("turtle", (".ttl",), broken))
    with pytest.raises(OutputError) as info:
        write_graph(tiny_graph, path)
    assert str(info.value) == f"{path}: the turtle exporter failed (RuntimeError: disk on fire)"
    assert path.read_text(encoding="utf-8") == "previous good output\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]  # no temporary file left


def test_write_graph_keeps_previous_file_when_replace_fails(tiny_graph, tmp_path, monkeypatch):
    path = tmp_path / "graph.nt"
    path.write_text("previous\n", encoding="utf-8")

    def failing_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(kg.outputs.os, "replace", failing_replace)
    with pytest.raises(OutputError) as info:
        write_graph(tiny_graph, path)
    assert str(info.value) == (
        f"{path}: cannot write the nt output (No space left on device); check that the directory exists and is "
        "writable. An earlier file, if any, is unchanged"
    )
    assert path.read_text(encoding="utf-8") == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.nt"]


def test_write_graph_unwritable_place_raises_output_error(tiny_graph, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    with pytest.raises(OutputError, match=rf"^{blocker / 'graph.ttl'}: cannot write the turtle output"):
        write_graph(tiny_graph, blocker / "graph.ttl")


def test_write_graph_replaces_and_keeps_mode(tiny_graph, tmp_path):
    path = tmp_path / "graph.ttl"
    path.write_text("old", encoding="utf-8")
    os.chmod(path, 0o640)
    write_graph(tiny_graph, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert isomorphic(Graph().parse(path, format="turtle"), tiny_graph)


def test_write_graph_dash_writes_turtle_to_stdout(capsys):
    g = new_graph()
    g.add((POLR["country/ATL"], RDFS.label, Literal("Atlantis")))
    assert str(write_graph(g, "-")) == "-"
    out = capsys.readouterr().out
    assert isomorphic(Graph().parse(data=out, format="turtle"), g)
    write_graph(g, "-", format="nt")
    assert capsys.readouterr().out == (
        '<https://w3id.org/polkg/id/country/ATL> <http://www.w3.org/2000/01/rdf-schema#label> '
        '"Atlantis" .\n'
    )


def test_write_graph_dash_refuses_non_rdf_formats(tiny_graph):
    with pytest.raises(OutputError, match="^-: the graphml format cannot go to standard output"):
        write_graph(tiny_graph, "-", format="graphml")


def test_register_exporter_adds_a_format(tiny_graph, tmp_path, monkeypatch):
    monkeypatch.setattr(export_module.files, "EXPORTERS", dict(EXPORTERS))

    def count(graph, path):
        path.write_text(f"{len(graph)}\n", encoding="utf-8")

    register_exporter("count", ["COUNT"], count)
    assert format_for("x.count") == "count"
    assert write_graph(tiny_graph, tmp_path / "x.count").read_text() == f"{len(tiny_graph)}\n"
    with pytest.raises(ValueError, match="an exporter named 'count' exists"):
        register_exporter("count", [".count"], count)
