"""``kg query``: SPARQL and named queries over a graph file, in every result format."""

from __future__ import annotations

import json

import pytest
from clitools import error_message, run
from rdflib import Graph

from kg.export import write_graph
from kg.graph import entity_iri
from kg.query import named_queries
from kg.vocab import POL

KEN, UGA, FRA, RUS = (str(entity_iri(k)) for k in ("country/KEN", "country/UGA", "country/FRA", "country/RUS"))


@pytest.fixture(scope="module")
def graph_file(tiny_graph, tmp_path_factory) -> str:
    """``tiny_graph`` written as Turtle: KEN met UGA, KEN accused UGA, FRA urged RUS to withdraw."""
    path = tmp_path_factory.mktemp("query") / "tiny.ttl"
    write_graph(tiny_graph, path)
    return str(path)


def test_query_select_prints_table(graph_file):
    result = run("query", graph_file, "SELECT ?a ?b WHERE { ?a pol:accused ?b }")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "a                  b\n"
        "-----------------  -----------------\n"
        "polr:country\\/KEN  polr:country\\/UGA\n"
        "(1 row)\n"
    )


def test_query_misspelt_named_query_suggests_the_name(graph_file):
    result = run("query", graph_file, "who-met-who")
    assert result.exit_code == 1
    assert error_message(result) == "no named query 'who-met-who'; did you mean who-met-whom? (kg query --list)"


def test_query_entity_parameter_that_matches_nothing_lists_close_names(graph_file):
    result = run("query", graph_file, "entity-timeline", "--param", "entity=kenya republic")
    assert result.exit_code == 1
    assert error_message(result) == (
        "no entity named 'kenya republic' (label or alternative label, any case) for parameter 'entity' of named "
        "query 'entity-timeline'; close names: 'Kenya'"
    )
    assert result.stdout == ""


def test_query_select_csv(graph_file):
    result = run("query", graph_file, "SELECT ?a ?b WHERE { ?a pol:consulted ?b } ORDER BY ?a", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["a,b", f"{KEN},{UGA}", f"{UGA},{KEN}"]


def test_query_select_tsv(graph_file):
    result = run("query", graph_file, "SELECT ?a ?b WHERE { ?a pol:requested ?b }", "--format", "tsv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["?a\t?b", f"<{FRA}>\t<{RUS}>"]


def test_query_select_json(graph_file):
    result = run("query", graph_file, "SELECT ?a ?b WHERE { ?a pol:requested ?b }", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "head": {"vars": ["a", "b"]},
        "results": {"bindings": [{"a": {"type": "uri", "value": FRA}, "b": {"type": "uri", "value": RUS}}]},
    }


@pytest.mark.parametrize(("sparql", "answer"), [
    ("ASK { ?a pol:consulted ?b }", "true"),
    ("ASK { ?a pol:assaulted ?b }", "false"),
])
def test_query_ask_prints_true_or_false(graph_file, sparql, answer):
    result = run("query", graph_file, sparql)
    assert result.exit_code == 0, result.output
    assert result.stdout == answer + "\n"


def test_query_construct_prints_turtle(graph_file):
    result = run("query", graph_file, "CONSTRUCT { ?b pol:accused ?a } WHERE { ?a pol:accused ?b }")
    assert result.exit_code == 0, result.output
    g = Graph().parse(data=result.stdout, format="turtle")
    assert {(str(s), p, str(o)) for s, p, o in g} == {(UGA, POL.accused, KEN)}


def test_query_file_option_reads_rq(graph_file, tmp_path):
    rq = tmp_path / "pairs.rq"
    rq.write_text("# who asked whom\nSELECT ?a ?b\nWHERE { ?a pol:requested ?b }\n", encoding="utf-8")
    result = run("query", graph_file, "-f", str(rq), "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["a,b", f"{FRA},{RUS}"]


def test_query_file_option_missing_file_names_it(graph_file, tmp_path):
    rq = tmp_path / "absent.rq"
    result = run("query", graph_file, "-f", str(rq))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert error_message(result).startswith(f"{rq}: cannot read query (")
    assert "No such file or directory" in error_message(result)
    assert result.stdout == ""


def test_query_named_query_by_name(graph_file):
    result = run("query", graph_file, "who-accuses-whom", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["actorLabel,recipientLabel,events,actor,recipient",
                                          f"Kenya,Uganda,1,{KEN},{UGA}"]


def test_query_named_query_limit_cuts_rows_and_says_so(graph_file):
    result = run("query", graph_file, "entity-timeline", "--param", "entity=kenya", "--param", "limit=1",
                 "--format", "csv")
    assert result.exit_code == 0, result.output
    header = ["date", "type", "role", "others", "modality", "sentence", "entityLabel"]
    consult = ["2024-11-11", "CONSULT", "actor", "Uganda", "Asserted", "Kenya met Uganda on Monday.", "Kenya"]
    accuse = ["2024-11-13", "ACCUSE", "actor", "Uganda", "Asserted", "Kenya accused Uganda of smuggling.", "Kenya"]
    assert [line.split(",")[:7] for line in result.stdout.splitlines()] == [header, consult]  # the earliest event
    assert result.stderr == "(the first 1 rows: give --param limit=N for more)\n"
    everything = run("query", graph_file, "entity-timeline", "--param", "entity=kenya", "--format", "csv")
    assert everything.exit_code == 0, everything.output
    assert [line.split(",")[:7] for line in everything.stdout.splitlines()] == [header, consult, accuse]
    assert everything.stderr == ""


def test_query_named_query_bad_limit_is_a_clear_error(graph_file):
    result = run("query", graph_file, "who-met-whom", "--param", "limit=all")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert error_message(result) == (
        "parameter 'limit' of named query 'who-met-whom' (most pairs to list) must be a whole number of 1 or more, "
        "not 'all'"
    )


def test_query_list_shows_named_queries():
    result = run("query", "--list")
    assert result.exit_code == 0, result.output
    listed = [line.split("│")[1].strip() for line in result.stdout.splitlines()
              if line.startswith("│") and line.split("│")[1].strip()]
    assert listed == sorted(named_queries())


def test_query_param_fills_named_query(graph_file):
    result = run("query", graph_file, "entity-timeline", "--param", "entity=kenya", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = [line.split(",") for line in result.stdout.splitlines()]
    assert rows[0] == ["date", "type", "role", "others", "modality", "sentence", "entityLabel", "event"]
    assert [r[:7] for r in rows[1:]] == [
        ["2024-11-11", "CONSULT", "actor", "Uganda", "Asserted", "Kenya met Uganda on Monday.", "Kenya"],
        ["2024-11-13", "ACCUSE", "actor", "Uganda", "Asserted", "Kenya accused Uganda of smuggling.", "Kenya"],
    ]


def test_query_param_unknown_name_fails(graph_file):
    result = run("query", graph_file, "entity-timeline", "--param", "name=Kenya")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert error_message(result) == "named query 'entity-timeline' has no parameter name; it accepts: entity, limit"


def test_query_param_without_equals_fails(graph_file):
    result = run("query", graph_file, "entity-timeline", "--param", "entity")
    assert result.exit_code == 1
    assert error_message(result) == "--param 'entity': expected NAME=VALUE"


def test_query_invalid_sparql_gives_line_and_column(graph_file):
    result = run("query", graph_file, "SELECT ?a\nWHERE { ?a pol:consulted ?b . FILTR(?a) }")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    message = error_message(result).splitlines()
    assert message[0].startswith("invalid SPARQL at line 2, column 39: ")
    assert message[1].strip() == "WHERE { ?a pol:consulted ?b . FILTR(?a) }"
    assert message[2].index("^") - message[1].index("WHERE") == 38


def test_query_missing_graph_file_names_it(tmp_path):
    path = tmp_path / "absent.ttl"
    result = run("query", str(path), "ASK {}")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert error_message(result) == f"{path}: no such file or directory"


def test_query_without_query_fails_with_hint(graph_file):
    result = run("query", graph_file)
    assert result.exit_code == 1
    assert error_message(result) == "give a query: as text, as a named query (kg query --list), or with -f FILE.rq"


def test_query_service_refused_unless_allowed(tmp_path):
    from kg.graph import new_graph

    path = tmp_path / "empty.ttl"
    new_graph().serialize(path, format="turtle")
    query = "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    refused = run("query", str(path), query)
    assert refused.exit_code == 1
    assert refused.stdout == ""
    assert error_message(refused) == (
        "the query uses SERVICE, which would send requests to another server; remove it, or allow federated "
        "queries explicitly (kg query --allow-service, or allow_service=True in Python)"
    )
    allowed = run("query", str(path), query, "--allow-service", "--format", "csv")
    assert allowed.exit_code == 0, allowed.output
    # nothing listens on port 9: SERVICE SILENT's failure is one solution that binds nothing
    assert allowed.stdout.splitlines() == ["o,p,s", ",,"]
