"""Tests of kg.query: running SPARQL, formatting results, and the named-query library."""

from __future__ import annotations

import csv
import io
import json
from xml.etree import ElementTree

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal
from rdflib.compare import isomorphic

from kg import vocab
from kg.errors import QueryError
from kg.graph import build_graph, new_graph
from kg.model import Document, DocumentExtraction, Entity, Event, Sentence
from kg.query import (
    RESULT_FORMATS,
    format_result,
    load_named_query,
    named_queries,
    run_named_query,
    run_query,
    sparql_literal,
    to_store,
)
from kg.vocab import POL, POLR, RDFS, SKOS

ATL = POLR["country/ATL"]
BOR = POLR["country/BOR"]
QUIST = POLR["person/anna-quist"]
IRON = POLR["group/iron-party"]

ENTITIES = {
    "ATL": Entity("country/ATL", "Atlantis", "Country", country="ATL"),
    "BOR": Entity("country/BOR", "Borduria", "Country", country="BOR",
                  aliases=frozenset({"Bordurian government"})),
    "SYL": Entity("country/SYL", "Syldavia", "Country", country="SYL"),
    "QUIST": Entity("person/anna-quist", "Anna Quist", "Person", country="ATL",
                    aliases=frozenset({"Ms Quist"}), role="Foreign Minister"),
    "IRON": Entity("group/iron-party", 'The "Iron" Party', "Group"),
    "GVA": Entity("location/geneva", "Geneva", "Location"),
}


def _extraction(doc_id, date, sentences, entities, events):
    """A document of ``sentences``; events are (sentence index, type, actors, recipients,
    modality, trigger, event date)."""
    text = " ".join(sentences)
    spans, pos = [], 0
    for s in sentences:
        start = text.index(s, pos)
        spans.append(Sentence(doc_id, start, start + len(s), s))
        pos = start + len(s)
    evs = tuple(
        Event(t, tuple(a), tuple(r), m, trig, spans[i], date=d)
        for i, t, a, r, m, trig, d in events
    )
    return DocumentExtraction(
        Document(doc_id, text, date=date), tuple(spans), tuple(ENTITIES[k] for k in entities), (), evs
    )


def make_graph() -> Graph:
    d1 = _extraction(
        "d1", "2024-03-05",
        ["The foreign ministers of Atlantis and Borduria met in Geneva.",
         "Borduria accused Atlantis of violating the border."],
        ["ATL", "BOR", "GVA"],
        [(0, "CONSULT", ["country/ATL", "country/BOR"], [], "Asserted", "met", None),
         (1, "ACCUSE", ["country/BOR"], ["country/ATL"], "Asserted", "accused", None)],
    )
    d2 = _extraction(
        "d2", "2024-04-10",
        ["Atlantis backed Borduria's bid.",
         "Syldavia did not attack Borduria.",
         "Ms Quist met the Bordurian government.",
         'The "Iron" Party protested against Atlantis.'],
        ["ATL", "BOR", "SYL", "QUIST", "IRON"],
        [(0, "SUPPORT", ["country/ATL"], ["country/BOR"], "Asserted", "backed", None),
         (1, "ASSAULT", ["country/SYL"], ["country/BOR"], "Negated", "attack", None),
         (2, "CONSULT", ["person/anna-quist"], ["country/BOR"], "Asserted", "met", "2024-04-11"),
         (3, "PROTEST", ["group/iron-party"], ["country/ATL"], "Asserted", "protested", None)],
    )
    return build_graph([d1, d2])


@pytest.fixture(scope="module")
def tiny_graph() -> Graph:
    return make_graph()


COUNTRIES = "SELECT ?c ?label WHERE { ?c a pol:Country ; rdfs:label ?label } ORDER BY ?label"


# --------------------------------------------------------------------------- run_query


def test_run_query_select_returns_rows_and_terms(tiny_graph):
    result = run_query(tiny_graph, COUNTRIES)
    assert result.kind == "select"
    assert result.variables == ["c", "label"]
    assert result.rows == [
        (str(ATL), "Atlantis"),
        (str(BOR), "Borduria"),
        (str(POLR["country/SYL"]), "Syldavia"),
    ]
    assert result.terms[0] == (ATL, Literal("Atlantis"))
    assert result.boolean is None and result.graph is None
    assert len(result) == 3


def test_run_query_select_unbound_is_none(tiny_graph):
    result = run_query(
        tiny_graph,
        "SELECT ?label ?role WHERE { ?e rdfs:label ?label . OPTIONAL { ?e pol:role ?role } "
        "FILTER(?label IN ('Atlantis', 'Anna Quist')) } ORDER BY ?label",
    )
    assert result.rows == [("Anna Quist", "Foreign Minister"), ("Atlantis", None)]


def test_run_query_ask_gives_boolean(tiny_graph):
    query = "ASK { polr:country\\/ATL pol:consulted polr:country\\/BOR }"
    assert run_query(tiny_graph, query).boolean is True
    result = run_query(tiny_graph, "ASK { ?a pol:assaulted ?b }")  # only a negated assault
    assert result.kind == "ask" and result.boolean is False


def test_run_query_construct_gives_graph(tiny_graph):
    result = run_query(
        tiny_graph, "CONSTRUCT { ?a pol:consulted ?b } WHERE { ?a pol:consulted ?b }"
    )
    assert result.kind == "graph"
    expected = Graph()
    for s, o in [(ATL, BOR), (BOR, ATL), (QUIST, BOR)]:
        expected.add((s, POL.consulted, o))
    assert isomorphic(result.graph, expected)
    assert len(result) == 3


def test_run_query_describe_gives_triples_of_resource(tiny_graph):
    result = run_query(tiny_graph, "DESCRIBE polr:group\\/iron-party")
    assert result.kind == "graph"
    assert set(result.graph.predicate_objects(IRON)) == set(tiny_graph.predicate_objects(IRON))


def test_run_query_prefixes_available_without_declaration(tiny_graph):
    query = "SELECT ?alt WHERE { ?e skos:altLabel ?alt ; a pol:Person ; pol:country ?c }"
    assert run_query(tiny_graph, query).rows == [("Ms Quist",)]


def test_run_query_own_prefix_declaration_wins(tiny_graph):
    query = "PREFIX pol: <http://example.org/other#>\nSELECT ?c WHERE { ?c a pol:Country }"
    assert run_query(tiny_graph, query).rows == []


def test_run_query_literals_keep_datatype_language_and_blank_nodes():
    g = new_graph()
    node = BNode()
    g.add((ATL, RDFS.label, Literal("Atlantide", lang="fr")))
    g.add((ATL, POL.score, Literal("2.5", datatype=vocab.XSD.decimal)))
    g.add((ATL, POL.memberOf, node))
    g.add((node, RDFS.label, Literal("Union")))
    result = run_query(g, "SELECT ?p ?o WHERE { polr:country\\/ATL ?p ?o } ORDER BY ?p")
    terms = dict(result.terms)
    assert terms[RDFS.label] == Literal("Atlantide", lang="fr")
    assert terms[POL.score] == Literal("2.5", datatype=vocab.XSD.decimal)
    assert isinstance(terms[POL.memberOf], BNode)
    assert dict(result.rows)[str(POL.memberOf)].startswith("_:")
    follow = run_query(g, "SELECT ?l WHERE { polr:country\\/ATL pol:memberOf/rdfs:label ?l }")
    assert follow.rows == [("Union",)]


def test_run_query_empty_graph_gives_no_rows():
    result = run_query(new_graph(), "SELECT ?s WHERE { ?s ?p ?o }")
    assert result.variables == ["s"] and result.rows == []


def test_run_query_accepts_store(tiny_graph):
    store = to_store(tiny_graph)
    assert isinstance(store, ox.Store) and len(store) == len(tiny_graph)
    assert len(run_query(store, COUNTRIES).rows) == 3


def test_run_query_empty_query_raises(tiny_graph):
    with pytest.raises(QueryError, match="the query is empty"):
        run_query(tiny_graph, "  \n")


def test_run_query_syntax_error_gives_line_and_caret(tiny_graph):
    with pytest.raises(QueryError) as info:
        run_query(tiny_graph, "SELEC ?s WHERE { ?s ?p ?o }")
    message = str(info.value)
    assert message.startswith("invalid SPARQL at line 1, column ")
    lines = message.splitlines()
    assert lines[1] == "    SELEC ?s WHERE { ?s ?p ?o }"
    assert lines[2] == "    " + " " * (info.value.column - 1) + "^"


def test_run_query_syntax_error_on_line_3_refers_to_users_query(tiny_graph):
    query = "SELECT ?s\nWHERE {\n  ?s ?p 'abc\n}"
    with pytest.raises(QueryError) as info:
        run_query(tiny_graph, query)
    err = info.value
    assert (err.line, err.column) == (3, 13)  # the string runs to the end of line 3
    assert str(err).splitlines() == [
        str(err).splitlines()[0],
        "      ?s ?p 'abc",
        "                ^",
    ]
    assert str(err).startswith("invalid SPARQL at line 3, column 13: ")


def test_run_query_unknown_prefix_names_it(tiny_graph):
    with pytest.raises(QueryError, match=r"line 2, column \d+: unknown prefix 'foo:'"):
        run_query(tiny_graph, "SELECT ?s WHERE {\n  ?s foo:bar ?o }")


def test_run_query_service_refused(tiny_graph):
    query = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    with pytest.raises(QueryError, match="uses SERVICE"):
        run_query(tiny_graph, query)
    with pytest.raises(QueryError, match="uses SERVICE"):
        run_query(tiny_graph, "SELECT * WHERE { service silent <http://example.org/x> { ?s ?p ?o } }")


def test_run_query_service_word_in_string_comment_or_name_allowed(tiny_graph):
    query = (
        "# SERVICE is mentioned in a comment\n"
        "SELECT ?x WHERE { BIND('SERVICE <http://example.org/>' AS ?x) "
        "OPTIONAL { ?x pol:SERVICE ?y } }"
    )
    assert run_query(tiny_graph, query).rows == [("SERVICE <http://example.org/>",)]


def test_run_query_service_allowed_when_asked(tiny_graph):
    # Port 9 is refused by pyoxigraph's HTTP client itself: no request leaves the machine.
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    with pytest.raises(QueryError, match="failed while running"):
        run_query(tiny_graph, query, allow_service=True)


def test_run_query_params_substituted_as_literals(tiny_graph):
    query = "SELECT ?e WHERE { ?e rdfs:label ?l FILTER(STR(?l) = $name) }"
    assert run_query(tiny_graph, query, params={"name": 'The "Iron" Party'}).rows == [(str(IRON),)]


def test_run_query_params_cannot_inject(tiny_graph):
    query = "SELECT ?e WHERE { ?e rdfs:label ?l FILTER(STR(?l) = $name) }"
    for evil in ['x") || true || ("', "x' } UNION { ?e ?p ?o } #", 'a\\" ) } #\n', "\\u0022) || (true"]:
        assert run_query(tiny_graph, query, params={"name": evil}).rows == []


def test_run_query_params_leave_strings_comments_and_question_variables(tiny_graph):
    query = "SELECT ?x WHERE { BIND('$name' AS ?x) } # $name"
    with pytest.warns(UserWarning, match=r"parameter\(s\) name not used"):
        assert run_query(tiny_graph, query, params={"name": "Atlantis"}).rows == [("$name",)]


def test_run_query_params_bad_name_raises(tiny_graph):
    with pytest.raises(QueryError, match="parameter name 'a b' is not usable"):
        run_query(tiny_graph, "ASK {}", params={"a b": "x"})


def test_run_query_params_error_column_refers_to_users_query(tiny_graph):
    query = "SELECT ?e WHERE {\n  ?e rdfs:label $name $other }"
    with pytest.raises(QueryError) as plain:
        run_query(tiny_graph, query)
    with pytest.raises(QueryError) as substituted:
        run_query(tiny_graph, query, params={"name": "a long value " * 5})
    assert str(substituted.value) == str(plain.value)
    assert str(substituted.value).splitlines()[1] == "      ?e rdfs:label $name $other }"
    assert substituted.value.line == 2


def test_sparql_literal_escapes_quotes_backslashes_and_newlines():
    assert sparql_literal('a "b" \\ c\nd') == '"a \\"b\\" \\\\ c\\nd"'


# --------------------------------------------------------------------------- format_result


def test_format_result_table_aligns_and_compacts(tiny_graph):
    text = format_result(run_query(tiny_graph, COUNTRIES))
    assert text == (
        "c                  label\n"
        "-----------------  --------\n"
        "polr:country\\/ATL  Atlantis\n"
        "polr:country\\/BOR  Borduria\n"
        "polr:country\\/SYL  Syldavia\n"
        "(3 rows)"
    )


def test_format_result_table_iris_can_be_pasted_back_into_a_query(tiny_graph):
    text = format_result(run_query(tiny_graph, COUNTRIES))
    iri = text.splitlines()[2].split()[0]
    assert iri == "polr:country\\/ATL"
    again = run_query(tiny_graph, f"SELECT ?label WHERE {{ {iri} rdfs:label ?label }}")
    assert again.rows == [("Atlantis",)]


@pytest.mark.parametrize(
    ("iri", "shown"),
    [
        ("https://w3id.org/polkg/ontology#CONSULT", "pol:CONSULT"),
        ("https://w3id.org/polkg/id/doc/seed-1.2", "polr:doc\\/seed-1.2"),
        ("https://w3id.org/polkg/id/org/x.", "polr:org\\/x\\."),
        ("http://example.org/a/b", "<http://example.org/a/b>"),
        ("https://w3id.org/polkg/id/person/a b", "<https://w3id.org/polkg/id/person/a b>"),
    ],
)
def test_format_result_table_iri_forms(iri, shown):
    from rdflib import URIRef

    from kg.query import QueryResult

    result = QueryResult(kind="select", variables=["x"], terms=[(URIRef(iri),)])
    assert format_result(result).splitlines()[2] == shown


def test_format_result_table_truncates_long_values(tiny_graph):
    query = "SELECT ?t WHERE { ?s pol:text ?t FILTER(STRSTARTS(?t, 'The foreign')) }"
    text = format_result(run_query(tiny_graph, query), max_width=20)
    assert text.splitlines()[2] == "The foreign ministe…"
    assert text.splitlines()[-1] == "(1 row)"


def test_format_result_table_empty(tiny_graph):
    text = format_result(run_query(tiny_graph, "SELECT ?x WHERE { ?x a pol:Military }"))
    assert text == "x\n-\n(0 rows)"


def test_format_result_csv_exact(tiny_graph):
    query = "SELECT ?c ?label ?role WHERE { ?c a pol:Country ; rdfs:label ?label " \
            "OPTIONAL { ?c pol:role ?role } } ORDER BY ?label LIMIT 2"
    text = format_result(run_query(tiny_graph, query), "csv")
    assert text == (
        "c,label,role\r\n"
        "https://w3id.org/polkg/id/country/ATL,Atlantis,\r\n"
        "https://w3id.org/polkg/id/country/BOR,Borduria,\r\n"
    )


def test_format_result_csv_quotes_commas_and_quotes(tiny_graph):
    query = "SELECT ?t WHERE { ?s pol:text ?t FILTER(CONTAINS(?t, 'Iron')) }"
    text = format_result(run_query(tiny_graph, query), "csv")
    assert list(csv.reader(io.StringIO(text))) == [["t"], ['The "Iron" Party protested against Atlantis.']]


def test_format_result_tsv_uses_turtle_terms(tiny_graph):
    query = "SELECT ?c ?label ?start WHERE { ?c rdfs:label ?label . " \
            "BIND(STRLANG(?label, 'en') AS ?start) FILTER(?label = 'Atlantis') }"
    text = format_result(run_query(tiny_graph, query), "tsv")
    assert text == '?c\t?label\t?start\n<https://w3id.org/polkg/id/country/ATL>\t"Atlantis"\t"Atlantis"@en\n'


def test_format_result_json_follows_sparql_results_shape(tiny_graph):
    query = "SELECT ?e ?score ?role WHERE { ?e pol:eventType pol:ACCUSE ; pol:score ?score " \
            "OPTIONAL { ?e pol:role ?role } }"
    doc = json.loads(format_result(run_query(tiny_graph, query), "json"))
    assert doc["head"] == {"vars": ["e", "score", "role"]}
    [binding] = doc["results"]["bindings"]
    assert binding["e"]["type"] == "uri" and binding["e"]["value"].startswith(str(POLR["event/accuse-"]))
    assert binding["score"]["type"] == "literal" and binding["score"]["datatype"] == str(vocab.XSD.decimal)
    assert float(binding["score"]["value"]) == -3.0  # pyoxigraph writes canonical "-3"
    assert "role" not in binding  # unbound


def test_format_result_json_literal_and_bnode_terms():
    g = new_graph()
    g.add((ATL, RDFS.label, Literal("Atlantide", lang="fr")))
    g.add((ATL, SKOS.altLabel, Literal("ATL")))
    g.add((ATL, POL.memberOf, BNode()))
    doc = json.loads(format_result(run_query(g, "SELECT ?p ?o WHERE { ?s ?p ?o } ORDER BY ?p"), "json"))
    objects = {b["p"]["value"]: b["o"] for b in doc["results"]["bindings"]}
    assert objects[str(RDFS.label)] == {"type": "literal", "value": "Atlantide", "xml:lang": "fr"}
    assert objects[str(SKOS.altLabel)] == {"type": "literal", "value": "ATL"}
    assert objects[str(POL.memberOf)]["type"] == "bnode"


def test_format_result_ask_formats(tiny_graph):
    result = run_query(tiny_graph, "ASK { ?a pol:accused ?b }")
    assert json.loads(format_result(result, "json")) == {"head": {}, "boolean": True}
    assert format_result(result) == "true\n"
    assert format_result(result, "csv") == "true\n"


def test_format_result_xml_of_a_select_is_sparql_results_xml(tiny_graph):
    result = run_query(tiny_graph, COUNTRIES)
    text = format_result(result, "xml")
    root = ElementTree.fromstring(text)
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == list(result.variables)
    assert len(root.findall("r:results/r:result", ns)) == len(result.rows)
    assert format_result(run_query(tiny_graph, "ASK { ?a pol:accused ?b }"), "xml").endswith(
        "  <boolean>true</boolean>\n</sparql>"
    )


@pytest.mark.parametrize("fmt,rdflib_format", [("table", "turtle"), ("turtle", "turtle"), ("nt", "nt"),
                                                 ("json-ld", "json-ld"), ("json", "json-ld"), ("xml", "xml")])
def test_format_result_graph_formats_parse_back(tiny_graph, fmt, rdflib_format):
    result = run_query(tiny_graph, "CONSTRUCT { ?a pol:consulted ?b } WHERE { ?a pol:consulted ?b }")
    text = format_result(result, fmt)
    assert isomorphic(Graph().parse(data=text, format=rdflib_format), result.graph)


def test_format_result_unknown_format_lists_choices(tiny_graph):
    with pytest.raises(QueryError) as info:
        format_result(run_query(tiny_graph, COUNTRIES), "yaml")
    assert str(info.value) == f"unknown result format 'yaml': choose one of {', '.join(RESULT_FORMATS)}"


def test_format_result_format_not_fitting_kind(tiny_graph):
    with pytest.raises(QueryError, match="'csv' is for SELECT and ASK results"):
        format_result(run_query(tiny_graph, "CONSTRUCT WHERE { ?s pol:consulted ?o }"), "csv")
    with pytest.raises(QueryError, match="'turtle' is for CONSTRUCT and DESCRIBE results"):
        format_result(run_query(tiny_graph, COUNTRIES), "turtle")


# --------------------------------------------------------------------------- named queries

NAMES = [
    "conflict-cooperation-balance", "entity-timeline", "events-by-type-and-month",
    "most-active-actors", "most-active-states", "who-accuses-whom", "who-met-whom", "who-supports-whom",
]


def test_named_queries_lists_library_with_headers():
    queries = named_queries()
    assert sorted(queries) == NAMES
    for name, query in queries.items():
        assert query.name == name
        assert query.title and query.title != name
        assert query.description
    assert [(p.name, p.required, p.integer) for p in queries["entity-timeline"].params] == [
        ("entity", True, False), ("limit", False, True),
    ]
    assert [p.name for p in queries["conflict-cooperation-balance"].params] == ["a", "b"]
    assert [(p.name, p.default) for p in queries["who-met-whom"].params] == [("limit", "100")]


def test_load_named_query_unknown_lists_choices():
    with pytest.raises(QueryError) as info:
        load_named_query("how-many-dogs")
    assert str(info.value) == f"no named query 'how-many-dogs': choose one of {', '.join(NAMES)}"


def test_load_named_query_misspelt_suggests_the_closest():
    with pytest.raises(QueryError) as info:
        load_named_query("who-met-who")
    assert str(info.value) == "no named query 'who-met-who'; did you mean who-met-whom? (kg query --list)"


def test_run_named_query_who_met_whom_gives_each_pair_once(tiny_graph):
    result = run_named_query(tiny_graph, "who-met-whom")
    assert result.rows == [
        ("Atlantis", "Borduria", "1", str(ATL), str(BOR)),
        ("Borduria", "Anna Quist", "1", str(BOR), str(QUIST)),
    ]


def test_run_named_query_who_supports_whom(tiny_graph):
    assert run_named_query(tiny_graph, "who-supports-whom").rows == [
        ("Atlantis", "Borduria", "1", str(ATL), str(BOR))
    ]


def test_run_named_query_who_accuses_whom(tiny_graph):
    assert run_named_query(tiny_graph, "who-accuses-whom").rows == [
        ("Borduria", "Atlantis", "1", str(BOR), str(ATL))
    ]


def test_run_named_query_entity_timeline_by_alt_label(tiny_graph):
    result = run_named_query(tiny_graph, "entity-timeline", params={"entity": "bordurian GOVERNMENT"})
    assert result.variables == ["date", "type", "role", "others", "modality", "sentence", "entityLabel",
                                "event"]
    assert [row[:7] for row in result.rows] == [
        ("2024-03-05", "ACCUSE", "actor", "Atlantis", "Asserted",
         "Borduria accused Atlantis of violating the border.", "Borduria"),
        ("2024-03-05", "CONSULT", "actor", "Atlantis", "Asserted",
         "The foreign ministers of Atlantis and Borduria met in Geneva.", "Borduria"),
        ("2024-04-10", "ASSAULT", "recipient", "Syldavia", "Negated",
         "Syldavia did not attack Borduria.", "Borduria"),
        ("2024-04-10", "SUPPORT", "recipient", "Atlantis", "Asserted",
         "Atlantis backed Borduria's bid.", "Borduria"),
        ("2024-04-11", "CONSULT", "recipient", "Anna Quist", "Asserted",
         "Ms Quist met the Bordurian government.", "Borduria"),
    ]


def test_run_named_query_entity_timeline_name_with_quote(tiny_graph):
    result = run_named_query(tiny_graph, "entity-timeline", params={"entity": 'The "Iron" Party'})
    assert [row[:4] for row in result.rows] == [("2024-04-10", "PROTEST", "actor", "Atlantis")]


def test_run_named_query_entity_timeline_injection_finds_nothing(tiny_graph):
    evil = '") || true || ("'
    with pytest.raises(QueryError, match=r"^no entity named '\"\) \|\| true \|\| \(\"'"):
        run_named_query(tiny_graph, "entity-timeline", params={"entity": evil})


@pytest.mark.parametrize("name", ["atlantis", "  ATLANTIS ", "Atlantis"])
def test_run_named_query_entity_matches_label_in_any_case(tiny_graph, name):
    rows = run_named_query(tiny_graph, "entity-timeline", params={"entity": name}).rows
    assert rows and {row[6] for row in rows} == {"Atlantis"}


def test_run_named_query_entity_nothing_matches_lists_close_names(tiny_graph):
    with pytest.raises(QueryError) as info:
        run_named_query(tiny_graph, "entity-timeline", params={"entity": "quist"})
    assert str(info.value) == (
        "no entity named 'quist' (label or alternative label, any case) for parameter 'entity' of named query "
        "'entity-timeline'; close names: 'Anna Quist', 'Ms Quist'"
    )


def test_run_named_query_most_active_actors(tiny_graph):
    result = run_named_query(tiny_graph, "most-active-actors")
    assert [row[:5] for row in result.rows] == [
        ("Atlantis", "Country", "4", "2", "2"),
        ("Borduria", "Country", "4", "2", "2"),  # the negated assault does not count
        ("Anna Quist", "Person", "1", "1", "0"),
        ('The "Iron" Party', "Group", "1", "1", "0"),
    ]


def test_run_named_query_events_by_type_and_month(tiny_graph):
    assert run_named_query(tiny_graph, "events-by-type-and-month").rows == [
        ("2024-03", "ACCUSE", "1"),
        ("2024-03", "CONSULT", "1"),
        ("2024-04", "CONSULT", "1"),
        ("2024-04", "PROTEST", "1"),
        ("2024-04", "SUPPORT", "1"),
    ]


def test_run_named_query_conflict_cooperation_balance(tiny_graph):
    result = run_named_query(tiny_graph, "conflict-cooperation-balance",
                             params={"a": "atlantis", "b": "Bordurian government"})
    assert result.variables == ["month", "events", "cooperation", "conflict", "balance"]
    values = [(r[0], int(r[1]), float(r[2]), float(r[3]), float(r[4])) for r in result.rows]
    assert values == [("2024-03", 2, 2.5, -3.0, -0.5), ("2024-04", 1, 5.0, 0.0, 5.0)]
    swapped = run_named_query(tiny_graph, "conflict-cooperation-balance",
                              params={"a": "Borduria", "b": "Atlantis"})
    assert swapped.rows == result.rows


def test_run_named_query_missing_param_raises(tiny_graph):
    with pytest.raises(QueryError, match="named query 'entity-timeline' needs parameter 'entity'"):
        run_named_query(tiny_graph, "entity-timeline")


def test_run_named_query_unknown_param_raises(tiny_graph):
    with pytest.raises(QueryError, match="has no parameter country; it accepts: entity"):
        run_named_query(tiny_graph, "entity-timeline", params={"entity": "Atlantis", "country": "x"})


@pytest.mark.parametrize("name", NAMES)
def test_run_named_query_empty_graph_gives_no_rows(name):
    params = {p.name: "Atlantis" for p in load_named_query(name).params if not p.integer}
    if params:  # an entity no graph names
        with pytest.raises(QueryError, match="^no entity named 'Atlantis' .*; list the actors with"):
            run_named_query(new_graph(), name, params=params)
    else:
        assert run_named_query(new_graph(), name, params=params).rows == []


def test_named_queries_spell_no_iris():
    # IRIs live in kg.vocab; the queries use its prefixes
    for query in named_queries().values():
        assert "https://" not in query.sparql and "http://" not in query.sparql
