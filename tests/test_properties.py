"""Properties over arbitrary input: any text makes a valid graph, any JSON lines a clean exit."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pyoxigraph as ox
from clitools import run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.graph import build_graph
from kg.model import Document
from kg.pipeline import extract_document
from kg.validation import validate

MODEST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)

#: Pieces that make the pipeline find actors and events, and pieces that make serialisers work.
FRAGMENTS = [
    "Kenya met Uganda on Monday. ",
    "Prime Minister Helena Varga accused NATO of lying. ",
    "The Kremlin said it would back Belarus. ",
    "Israeli forces shelled the village. ",
    "<script>alert('x')</script>",
    '"quoted" \\ back\\slash ',
    "\u202eRTL override \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 ",
    "emoji \U0001f600\U0001f1fa\U0001f1e6 ",
    "\x00\x01\x07\x1b\x7f\x85",
    "\r\n\t\u2028\u2029",
    "\ufeff\ufffe\uffff",
    "@prefix x: <y> . ",
    "]]> ${x} {{y}} %s ",
]

texts = st.one_of(
    st.text(),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=8).map("".join),
)
dates = st.one_of(st.none(), st.sampled_from(["2024-11-13", "2024-11", "2024", "2024-02-29"]))


@MODEST
@given(text=texts, doc_id=st.text(min_size=1, max_size=20), title=st.one_of(st.none(), st.text(max_size=20)),
       date=dates)
def test_extract_document_any_text_gives_conforming_graph_that_oxigraph_parses(nlp, text, doc_id, title, date):
    document = Document(doc_id, text, date=date, title=title)
    extraction = extract_document(document, nlp(text))
    graph = build_graph([extraction])
    report = validate(graph)
    assert (report.conforms, report.results) == (True, [])
    turtle = graph.serialize(format="turtle")
    quads = list(ox.parse(turtle, format=ox.RdfFormat.TURTLE))
    assert len(quads) == len(graph)


json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20))
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)), max_leaves=6)
records = st.fixed_dictionaries(
    {"text": st.one_of(texts, json_values)},
    optional={
        "id": st.one_of(st.text(max_size=10), st.integers(), json_values),
        "date": st.one_of(dates, st.text(max_size=12), json_values),
        "title": st.one_of(st.text(max_size=12), json_values),
        "url": st.one_of(st.just("https://example.org/a b"), st.text(max_size=12), json_values),
    },
)
lines = st.one_of(
    records.map(json.dumps),
    records.map(lambda r: json.dumps(r, ensure_ascii=False)),
    json_values.map(json.dumps),
    st.text(max_size=30),
)


@MODEST
@given(body=st.lists(lines, max_size=5))
def test_cli_build_any_json_lines_with_skip_bad_exits_cleanly(body):
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "input.jsonl"
        source.write_bytes("\n".join(body).encode("utf-8", "surrogatepass"))
        result = run("build", str(source), "--skip-bad", "-o", str(Path(tmp) / "out.ttl"))
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    assert "internal error" not in result.output
