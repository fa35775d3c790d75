"""Streaming builds: kg.export.GraphWriter, the fast shape rules of kg.validation, parallel extraction.

A streamed build must write exactly what the in-memory build writes (graph for graph, and
byte for byte), fail on exactly the graphs pyshacl rejects, and stay flat in memory.
"""

from __future__ import annotations

import io
import os
import sys

import pyoxigraph as ox
import pyshacl
import pytest
from clitools import error_message, run
from rdflib import BNode, ConjunctiveGraph, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import SH

from kg.engines.local import extract_parallel
from kg.errors import KgError, OutputError, ValidationError
from kg.export import STREAMED_FORMATS, GraphWriter, ntriples_lines, write_graph
from kg.export.stream import _LineSink
from kg.graph import build_graph, document_iri, entity_iri, new_graph
from kg.model import Document, DocumentExtraction, Entity, Event, Sentence
from kg.pipeline import extract
from kg.read import read_documents
from kg.validation import ShapeRules, StreamValidator, UnsupportedShapes, shacl, validate
from kg.vocab import DCTERMS, POL, RDF, RDFS, SKOS, XSD

ATL = Entity("country/ATL", "Atlantis", "Country", country="ATL")
BOR = Entity("country/BOR", "Borduria", "Country", country="BOR", aliases=frozenset({"Bordurians", "Borduria"}))
BOR_AGAIN = Entity("country/BOR", "Bordurian Republic", "Country", country="BOR",
                   aliases=frozenset({"Borduria", "Bordurian Republic"}))


def _extraction(doc_id: str, text: str, events: list[tuple], entities=(ATL, BOR), *, date="2024-03-05",
                title: str | None = None) -> DocumentExtraction:
    """One document whose sentences are its text's sentences; events as (sentence index, type, actors,
    recipients, trigger)."""
    spans, pos = [], 0
    for part in text.split(". "):
        part = part if part.endswith(".") else part + "."
        start = text.index(part.rstrip("."), pos)
        spans.append(Sentence(doc_id, start, start + len(part), part))
        pos = start + len(part)
    evs = tuple(Event(t, tuple(a), tuple(r), "Asserted", trig, spans[i], date=date) for i, t, a, r, trig in events)
    return DocumentExtraction(Document(doc_id, text, date=date, title=title or f"Title of {doc_id}"),
                              tuple(spans), tuple(entities), (), evs)


def _extractions() -> list[DocumentExtraction]:
    """Three documents sharing entities and one event (stated twice, with two triggers)."""
    return [
        _extraction("d1", "Atlantis met Borduria. Borduria accused Atlantis.",
                    [(0, "CONSULT", ["country/ATL", "country/BOR"], [], "met"),
                     (1, "ACCUSE", ["country/BOR"], ["country/ATL"], "accused")]),
        _extraction("d2", "Borduria blamed Atlantis again.",
                    [(0, "ACCUSE", ["country/BOR"], ["country/ATL"], "blamed")], entities=(ATL, BOR_AGAIN)),
        _extraction("d3", 'The "Iron" \\ Party said: Atlantis\nmet Borduria.',
                    [(0, "CONSULT", ["country/ATL", "country/BOR"], [], "met")], date="2024-04-01"),
    ]


def _write(tmp_path, name: str, extractions, **options):
    with GraphWriter(tmp_path / name, **options) as writer:
        for extraction in extractions:
            writer.add(extraction)
        path = writer.close()
    return path, writer


# --------------------------------------------------------------------------- GraphWriter


@pytest.mark.parametrize("filename", ["graph.ttl", "graph.nt"])
def test_graph_writer_streamed_file_equals_write_graph_byte_for_byte(tmp_path, filename):
    extractions = _extractions()
    expected = write_graph(build_graph(extractions), tmp_path / f"expected-{filename}").read_bytes()
    path, writer = _write(tmp_path, filename, extractions, spill_lines=7)  # several sorted runs on disk
    assert path.read_bytes() == expected
    assert writer.documents == 3 and writer.triples == len(build_graph(extractions)) and writer.graph is None


def test_graph_writer_keeps_first_label_and_trigger_like_one_graph(tmp_path):
    path, _ = _write(tmp_path, "graph.nt", _extractions())
    g = Graph().parse(path, format="nt")
    assert isomorphic(g, build_graph(_extractions()))
    bor = entity_iri("country/BOR")
    assert list(g.objects(bor, RDFS.label)) == [Literal("Borduria")]
    assert sorted(map(str, g.objects(bor, SKOS.altLabel))) == ["Bordurian Republic", "Bordurians"]
    accusations = list(g.subjects(POL.eventType, POL.ACCUSE))
    assert len(accusations) == 1 and list(g.objects(accusations[0], POL.trigger)) == [Literal("accused")]
    assert len(list(g.objects(accusations[0], POL.score))) == 1


def test_graph_writer_turtle_groups_subjects_in_iri_order(tmp_path):
    path, _ = _write(tmp_path, "graph.ttl", _extractions())
    text = path.read_text(encoding="utf-8")
    subjects = [line.split(" ", 1)[0] for line in text.splitlines() if line.startswith("<")]
    assert subjects == sorted(subjects) and len(subjects) == len(set(subjects))
    assert "@prefix pol: <https://w3id.org/polkg/ontology#> ." in text and "@prefix polr:" not in text
    assert isomorphic(Graph().parse(data=text, format="turtle"), build_graph(_extractions()))


@pytest.mark.parametrize("filename", ["graph.jsonld", "graph.graphml", "graph.trig"])
def test_graph_writer_other_formats_go_through_write_graph(tmp_path, filename):
    path, writer = _write(tmp_path, filename, _extractions())
    expected = write_graph(build_graph(_extractions()), tmp_path / f"expected-{filename}")
    assert writer.graph is not None and isomorphic(writer.graph, build_graph(_extractions()))
    if filename.endswith(".jsonld"):
        assert isomorphic(Graph().parse(path, format="json-ld"), Graph().parse(expected, format="json-ld"))
    else:
        assert path.read_bytes() == expected.read_bytes()


def test_graph_writer_keep_graph_streams_and_keeps(tmp_path):
    path, writer = _write(tmp_path, "graph.ttl", _extractions(), keep_graph=True)
    assert isomorphic(writer.graph, Graph().parse(path, format="turtle"))


def test_graph_writer_empty_build_writes_an_empty_graph(tmp_path):
    path, writer = _write(tmp_path, "graph.nt", [])
    assert path.read_bytes() == b"" and writer.triples == 0


def test_graph_writer_unknown_format_fails_before_any_work(tmp_path):
    with pytest.raises(OutputError, match=r"cannot tell the output format \(extension '\.yaml'\)"):
        GraphWriter(tmp_path / "graph.yaml")


def test_graph_writer_dash_streams_turtle_to_stdout(monkeypatch):
    buffer = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(buffer, encoding="utf-8"))
    with GraphWriter("-", validate=False) as writer:
        for extraction in _extractions():
            writer.add(extraction)
        assert str(writer.close()) == "-"
    assert isomorphic(Graph().parse(data=buffer.getvalue().decode(), format="turtle"), build_graph(_extractions()))


def test_graph_writer_failed_close_keeps_old_file_and_no_temporary_files(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    out = tmp_path / "graph.nt"
    out.write_text("previous\n", encoding="utf-8")
    twice = [_extraction("same", "Atlantis met Borduria.", [(0, "CONSULT", ["country/ATL", "country/BOR"], [], "met")],
                         title=title) for title in ("First title", "Second title")]  # fmt: skip
    with pytest.raises(ValidationError):
        _write(tmp_path, "graph.nt", twice, spill_lines=3)
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.nt", "tmp"]
    assert os.listdir(tmp_path / "tmp") == []


def test_line_sink_refuses_lookups_it_does_not_track():
    with pytest.raises(KgError, match="not in kg.graph.FIRST_VALUE_WINS"):
        _LineSink([]).value(entity_iri("country/ATL"), DCTERMS.title)


def test_streamed_formats_are_the_pyoxigraph_ones():
    assert STREAMED_FORMATS == {"turtle", "nt"}


# --------------------------------------------------------------------------- validation while streaming


def test_graph_writer_rejects_a_document_that_breaks_a_shape(tmp_path):
    bad = Entity("country/XX", "Nowhere", "Country", country="xx")
    extraction = _extraction("bad-doc", "Nowhere met Atlantis.",
                             [(0, "CONSULT", ["country/XX", "country/ATL"], [], "met")], entities=(ATL, bad))
    with pytest.raises(ValidationError) as info:
        _write(tmp_path, "graph.ttl", [_extractions()[0], extraction])
    assert str(info.value) == (
        "the graph of document 'bad-doc' does not conform to the kg SHACL shapes (1 violation):\n"
        "  <https://w3id.org/polkg/id/country/XX>: pol:country: An entity has at most one pol:country, "
        'an ISO 3166-1 alpha-3 code in capitals such as "GBR".\n'
        "Fix the nodes named above; kg.validation.validate(graph).text has pyshacl's full report."
    )
    assert not (tmp_path / "graph.ttl").exists()
    assert not validate(build_graph([extraction])).conforms  # pyshacl agrees


def test_graph_writer_rejects_values_two_documents_disagree_on(tmp_path):
    twice = [_extraction("same", "Atlantis met Borduria.", [(0, "CONSULT", ["country/ATL", "country/BOR"], [], "met")],
                         title=title) for title in ("First title", "Second title")]  # fmt: skip
    for extraction in twice:
        assert validate(build_graph([extraction])).conforms
    report = validate(build_graph(twice))
    assert not report.conforms
    with pytest.raises(ValidationError) as info:
        _write(tmp_path, "graph.ttl", twice, spill_lines=5)
    assert str(info.value) == (
        "the graph does not conform to the kg SHACL shapes (1 violation):\n"
        f"  <{document_iri('same')}>: dcterms:title: A pol:Document has at most one dcterms:title, a literal.\n"
        "Fix the nodes named above; kg.validation.validate(graph).text has pyshacl's full report."
    )
    assert report.results == [str(info.value).splitlines()[1].strip()]
    assert not (tmp_path / "graph.ttl").exists()


def test_graph_writer_without_validation_writes_what_it_is_given(tmp_path):
    twice = [_extraction("same", "Atlantis met Borduria.", [(0, "CONSULT", ["country/ATL", "country/BOR"], [], "met")],
                         title=title) for title in ("First title", "Second title")]  # fmt: skip
    path, _ = _write(tmp_path, "graph.nt", twice, validate=False)
    assert isomorphic(Graph().parse(path, format="nt"), build_graph(twice))


def test_graph_writer_falls_back_to_pyshacl_for_shapes_it_cannot_compile(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise UnsupportedShapes("test")

    monkeypatch.setattr("kg.validation.StreamValidator", refuse)
    path, writer = _write(tmp_path, "graph.nt", _extractions())
    assert writer.graph is not None and isomorphic(Graph().parse(path, format="nt"), writer.graph)


def test_stream_validator_watch_lines_needs_the_target_class():
    v = StreamValidator()
    doc = f"<{document_iri('d')}>"
    lines = [f'{doc} <{DCTERMS.title}> "a" .\n', f'{doc} <{DCTERMS.title}> "b" .\n']
    assert list(v.watch_lines(lines)) == lines
    v.raise_if_violated()  # not typed pol:Document: no shape applies
    typed = [*lines, f"{doc} <{RDF.type}> <{POL.Document}> .\n"]
    list(v.watch_lines(sorted(typed)))
    with pytest.raises(ValidationError, match=r"\(1 violation\)"):
        v.raise_if_violated()


# --------------------------------------------------------------------------- ShapeRules against pyshacl


def _pyshacl_lines(graph: Graph) -> tuple[bool, list[str]]:
    """pyshacl's verdict and its top-level results, worded as kg.validation.validate words them."""
    conforms, report, _ = pyshacl.validate(graph, shacl_graph=shacl._shapes_for_pyshacl(), inference="none")
    top = Graph()
    for result in report.objects(None, SH.result):
        for triple in report.triples((result, None, None)):
            top.add(triple)
    return bool(conforms), shacl._result_lines(top)


EV = URIRef("https://w3id.org/polkg/id/event/e1")
SENT = URIRef("https://w3id.org/polkg/id/sentence/s1")
DOC = URIRef("https://w3id.org/polkg/id/doc/d1")
A, B = entity_iri("person/a"), entity_iri("country/B")

BREAKAGES = {
    "document without identifier": [(DOC, DCTERMS.identifier, Literal("d1"))],
    "two identifiers": [(DOC, DCTERMS.identifier, Literal("other"), "add")],
    "title is an IRI": [(DOC, DCTERMS.title, Literal("T")), (DOC, DCTERMS.title, URIRef("http://x/t"), "add")],
    "source is a string": [(DOC, DCTERMS.source, Literal("http://x/page"), "add")],
    "date of wrong type": [(DOC, DCTERMS.date, Literal("2024-01-01", datatype=XSD.date)),
                           (DOC, DCTERMS.date, Literal("2024-01-01"), "add")],
    "sentence without document": [(SENT, POL.inDocument, DOC)],
    "sentence start negative": [(SENT, POL.start, Literal(0)), (SENT, POL.start, Literal(-4), "add")],
    "start after end": [(SENT, POL.start, Literal(0)), (SENT, POL.start, Literal(99), "add")],
    "text with a language": [(SENT, POL.text, Literal("Hi.")), (SENT, POL.text, Literal("Hi.", lang="en"), "add")],
    "event without actor": [(EV, POL.actor, A)],
    "untyped recipient": [(EV, POL.recipient, URIRef("http://x/nobody"), "add")],
    "unknown event type": [(EV, POL.eventType, POL.CONSULT), (EV, POL.eventType, POL.Event, "add")],
    "two modalities": [(EV, POL.modality, POL.Negated, "add")],
    "derived from a document": [(EV, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), DOC, "add")],
    "score as a string": [(EV, POL.score, Literal("2.5", datatype=XSD.decimal)),
                          (EV, POL.score, Literal("2.5"), "add")],
    "goldstein out of range": [(EV, POL.goldstein, Literal("12", datatype=XSD.decimal), "add")],
    "lower-case country": [(A, POL.country, Literal("ATL")), (A, POL.country, Literal("atl"), "add")],
    "two labels": [(A, RDFS.label, Literal("Other"), "add")],
    "no label": [(A, RDFS.label, Literal("A"))],
    "sameAs a literal": [(A, URIRef("http://www.w3.org/2002/07/owl#sameAs"), Literal("Q1"), "add")],
    "participated in a sentence": [(A, POL.participatedIn, SENT, "add")],
    "truthy edge to an untyped node": [(A, POL.consulted, URIRef("http://x/nobody"), "add")],
    "truthy edge to a literal": [(A, POL.accused, Literal("B"), "add")],
    "memberOf a blank node": [(A, POL.memberOf, BNode("member"), "add")],
    "location untyped": [(EV, POL.location, URIRef("http://x/somewhere"), "add")],
}


def _valid_graph() -> Graph:
    g = new_graph()
    for triple in [
        (DOC, RDF.type, POL.Document), (DOC, DCTERMS.identifier, Literal("d1")),
        (DOC, DCTERMS.title, Literal("T")), (DOC, DCTERMS.date, Literal("2024-01-01", datatype=XSD.date)),
        (SENT, RDF.type, POL.Sentence), (SENT, POL.inDocument, DOC), (SENT, POL.text, Literal("Hi.")),
        (SENT, POL.start, Literal(0)), (SENT, POL.end, Literal(3)),
        (EV, RDF.type, POL.Event), (EV, POL.eventType, POL.CONSULT), (EV, POL.modality, POL.Asserted),
        (EV, POL.actor, A), (EV, POL.recipient, B), (EV, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), SENT),
        (EV, POL.score, Literal("2.5", datatype=XSD.decimal)), (EV, POL.trigger, Literal("met")),
        (A, RDF.type, POL.Person), (A, RDFS.label, Literal("A")), (A, POL.country, Literal("ATL")),
        (A, POL.participatedIn, EV), (A, POL.consulted, B), (B, RDF.type, POL.Country), (B, RDFS.label, Literal("B")),
    ]:  # fmt: skip
        g.add(triple)
    return g


def test_shape_rules_valid_graph_has_no_violations():
    assert ShapeRules().violations(_valid_graph()) == [] and validate(_valid_graph()).conforms


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_shape_rules_agree_with_pyshacl(breakage):
    g = _valid_graph()
    for change in BREAKAGES[breakage]:
        if len(change) == 4:
            g.add(change[:3])
        else:
            g.remove(change)
    conforms, expected = _pyshacl_lines(g)
    assert not conforms
    assert ShapeRules().violations(g) == expected


def test_shape_rules_agree_with_pyshacl_on_a_built_graph(tiny_graph):
    assert ShapeRules().violations(tiny_graph) == _pyshacl_lines(tiny_graph)[1] == []


def test_shape_rules_refuse_features_they_do_not_implement():
    shapes = shacl.load_shapes()
    shapes.add((URIRef("https://w3id.org/polkg/shapes#DocumentShape"), SH.closed, Literal(True)))
    with pytest.raises(UnsupportedShapes, match="sh:closed|shacl#closed"):
        ShapeRules(shapes)


# --------------------------------------------------------------------------- N-Triples lines


def test_ntriples_lines_round_trip_awkward_literals():
    g = new_graph()
    s = entity_iri("person/x")
    for value in [Literal('say "hi"\\ now'), Literal("two\nlines\r\n"), Literal("tab\there"), Literal("Zürich ✓"),
                  Literal("bonjour", lang="fr"), Literal("5", datatype=XSD.integer), Literal("x", datatype=XSD.string),
                  BNode("b1"), URIRef("http://example.org/a?b=c#d")]:  # fmt: skip
        g.add((s, SKOS.altLabel, value))
    lines = list(ntriples_lines(g))
    assert len(lines) == len(g)
    back = Graph().parse(data=ox.serialize(ox.parse("".join(lines), format=ox.RdfFormat.N_TRIPLES),
                                           format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")  # fmt: skip
    # RDF 1.1: "x"^^xsd:string is "x"; pyoxigraph writes it plain, rdflib tells them apart.
    g.remove((s, SKOS.altLabel, Literal("x", datatype=XSD.string)))
    g.add((s, SKOS.altLabel, Literal("x")))
    assert isomorphic(back, g)


def test_ntriples_lines_same_for_any_store(tiny_graph):
    other = ConjunctiveGraph()  # not a plain in-memory Graph: the generic path
    other += tiny_graph
    assert sorted(ntriples_lines(other)) == sorted(ntriples_lines(tiny_graph))


# --------------------------------------------------------------------------- parallel extraction


TEXTS = [
    ("p1", "Kenya met Uganda on Monday. Kenya accused Uganda of smuggling."),
    ("p2", "France urged Russia to withdraw."),
    ("p3", "Egypt held talks with Jordan."),
    ("p4", "Russia shelled Ukraine."),
    ("p5", "Calm returned."),
]


def test_extract_parallel_equals_extract_in_order(nlp):
    documents = [Document(i, t, date="2024-11-13") for i, t in TEXTS]
    seen: list[str] = []
    parallel = list(extract_parallel(documents, nlp=nlp, workers=2, chunk_size=2, on_document=lambda x: seen.append(
        x.document.id)))  # fmt: skip
    assert parallel == list(extract(documents, nlp=nlp))
    assert seen == [i for i, _ in TEXTS]


def test_extract_workers_option_uses_processes(nlp):
    documents = [Document(i, t) for i, t in TEXTS]
    assert list(extract(documents, nlp=nlp, workers=2)) == list(extract(documents, nlp=nlp))


def test_extract_workers_below_one_is_refused(nlp):
    with pytest.raises(KgError, match="workers must be at least 1, not 0"):
        extract([], nlp=nlp, workers=0)


# --------------------------------------------------------------------------- kg build


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lines = [f'{{"id": "{i}", "text": "{t}", "date": "2024-11-13"}}' for i, t in TEXTS]
    (tmp_path / "news.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def _build(*args: str):
    return run("build", *args)


def test_build_streamed_equals_in_memory_build(corpus, nlp):
    result = _build("news.jsonl", "-o", "out.ttl")
    assert result.exit_code == 0, result.output
    in_memory = build_graph(extract(read_documents(["news.jsonl"]), nlp=nlp))
    assert isomorphic(Graph().parse(corpus / "out.ttl", format="turtle"), in_memory)
    assert (corpus / "out.ttl").read_bytes() == write_graph(in_memory, corpus / "ref.ttl").read_bytes()


def test_build_workers_writes_the_same_file(corpus):
    assert _build("news.jsonl", "-o", "one.ttl").exit_code == 0
    result = _build("news.jsonl", "-o", "two.ttl", "--workers", "2")
    assert result.exit_code == 0, result.output
    assert (corpus / "two.ttl").read_bytes() == (corpus / "one.ttl").read_bytes()


def test_build_duplicate_id_fails_before_the_shapes_and_keeps_the_old_file(corpus):
    # Two documents with one id would break the shapes (two titles); the reader stops them first.
    (corpus / "out.ttl").write_text("previous\n", encoding="utf-8")
    twice = '{"id": "same", "text": "Kenya met Uganda.", "title": "One"}\n'
    twice += '{"id": "same", "text": "Kenya met Uganda.", "title": "Two"}\n'
    (corpus / "twice.jsonl").write_text(twice, encoding="utf-8")
    result = _build("twice.jsonl", "-o", "out.ttl")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert error_message(result) == (
        "twice.jsonl:2: duplicate document id 'same', first read from twice.jsonl:1; give each document its own id "
        "(--skip-bad keeps the first)"
    )
    assert (corpus / "out.ttl").read_text(encoding="utf-8") == "previous\n"
    assert _build("twice.jsonl", "-o", "out.ttl", "--skip-bad").exit_code == 0
