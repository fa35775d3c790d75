"""kg entities: every entity with its surface forms, documents and why it is one node."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.export import write_graph
from kg.graph import build_graph
from kg.keys import document_scope
from kg.merges import entity_records
from kg.model import Document
from kg.pipeline import extract_document


@pytest.fixture(scope="module")
def graph(nlp):
    docs = [
        ("a", "Maria Santos met Peter Hall in Lisbon. Mr Khan accused Kenya of lying.", "2024-03-01"),
        ("b", "Maria Santos criticised Peter Hall.", "2024-03-02"),
    ]
    return build_graph(extract_document(Document(i, t, date=d), nlp(t)) for i, t, d in docs)


def test_entity_records_give_documents_and_the_evidence_of_each_merge(graph):
    people = {r.label: (r.documents, r.reason) for r in entity_records(graph, kind="Person")}
    local = f"a name only its document resolves ({document_scope('a')}): never joined to another document"
    assert people == {
        "Khan": (("a",), local),
        "Maria Santos": (("a", "b"), "the same full name in every document"),
        "Peter Hall": (("a", "b"), "the same full name in every document"),
    }


def test_entity_records_refuse_an_unknown_class(graph):
    with pytest.raises(ValueError, match="unknown entity class 'People'"):
        entity_records(graph, kind="People")


def test_cli_entities_lists_surface_forms_and_reasons(graph, tmp_path):
    path = tmp_path / "g.ttl"
    write_graph(graph, path)
    result = CliRunner().invoke(app, ["entities", str(path), "--kind", "Person", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["label"]: r for r in json.loads(result.stdout)}
    assert rows["Khan"]["aliases"] == ["Mr Khan"]
    assert rows["Khan"]["iri"].endswith(f"/person/{document_scope('a')}/khan")
    bad = CliRunner().invoke(app, ["entities", str(path), "--kind", "People"])
    assert bad.exit_code == 1 and "--kind 'People': choose one of Person" in bad.stderr
