"""``kg entities merge|split``: reviewers' decisions on entities, kept in a store's entity-curation
graph with PROV, applied to the merged view after every change, surviving rebuilds; stale ones
reported. Invented documents only."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from clitools import error_message, run

from kg.curation import ENTITY_CURATION_GRAPH, is_curation_graph
from kg.entity_curation import EntityDecision, apply_entity_decisions, read_entity_decisions, split_iri
from kg.store import open_store
from kg.vocab import POLR

DOCS = {
    "summit.txt": "date: 2025-04-01 Leaders meet\n"
    "President Tomas Reyes of Borduria met Prime Minister Helena Varga of Atlantis in Geneva on Monday.\n",
    "talks.txt": "date: 2025-04-02 Talks continue\n"
    "President Tom Reyes of Borduria criticised Prime Minister Helena Varga on Tuesday.\n",
    "cousin.txt": "date: 2025-04-04 Cousins\n"
    "President Tomas Reyes of Borduria met Prime Minister Helena Varga in Geneva. "
    "Mr Reyes later criticised Prime Minister Helena Varga.\n",
    "visit.txt": "date: 2025-04-03 A visit\n"
    "Helena Varga met Ivo Brand in Lisbon. Mr Brand praised Ms Varga, and Mr Kessler thanked Mr Brand.\n",
}
P = str(POLR)
TOMAS, TOM, VARGA = P + "person/tomas-reyes", P + "person/tom-reyes", P + "person/helena-varga"
MR_REYES = P + "person/tomas-reyes/split/doc-" + "980578c262/mr-reyes"

EDGES = "SELECT ?a ?p ?b WHERE { ?a ?p ?b . FILTER(?p IN (pol:consulted, pol:accused)) }"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A store built once from the four invented documents (copied by each test)."""
    root = tmp_path_factory.mktemp("built")
    (root / "docs").mkdir()
    for name, text in DOCS.items():
        (root / "docs" / name).write_text(text, encoding="utf-8")
    result = run("build", "--store", str(root / "news.kg"), str(root / "docs"))
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def store(built, tmp_path, monkeypatch) -> Path:
    shutil.copytree(built / "docs", tmp_path / "docs")
    shutil.copytree(built / "news.kg", tmp_path / "news.kg")
    monkeypatch.chdir(tmp_path)
    return Path("news.kg")


def _select(store: Path, sparql: str) -> set[tuple[str, ...]]:
    with open_store(store, read_only=True, create=False) as opened:
        return {tuple(term.value for term in row) for row in opened.oxigraph.query(sparql)}


def _edges(store: Path) -> set[tuple[str, str, str]]:
    found = _select(store, "PREFIX pol: <https://w3id.org/polkg/ontology#>\n" + EDGES)
    return {(a, p.rsplit("#", 1)[1], b) for a, p, b in found}


def _about(store: Path, iri: str) -> set[tuple[str, str]]:
    """What the merged view says of an entity: (predicate, object), and (subject, predicate) that point at it."""
    return _select(store, f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}") | {
        (s, p) for s, p in _select(store, f"SELECT ?s ?p WHERE {{ ?s ?p <{iri}> }}")
    }


def _aliases(store: Path, iri: str) -> set[str]:
    found = _select(store, f"SELECT ?a WHERE {{ <{iri}> <http://www.w3.org/2004/02/skos/core#altLabel> ?a }}")
    return {a for (a,) in found}


def _rebuild(*ids: str) -> None:
    assert run("remove", "--store", "news.kg", *ids).exit_code == 0
    result = run("build", "--store", "news.kg", "docs")
    assert result.exit_code == 0, result.output


def _merge() -> None:
    result = run("entities", "merge", "Tomas Reyes", "polr:person/tom-reyes", "--store", "news.kg",
                 "--reviewer", "Ana", "--note", "one president")
    assert result.exit_code == 0, result.output
    assert result.stderr.split() == (
        "merged Tom Reyes (polr:person/tom-reyes) into Tomas Reyes (polr:person/tomas-reyes): "
        "decision by Ana kept in polr:entity-curation"
    ).split()


def _split() -> None:
    result = run("entities", "split", TOMAS, "--forms", "Mr Reyes@cousin", "--store", "news.kg", "--reviewer", "Ben")
    assert result.exit_code == 0, result.output
    assert result.stderr.split() == (
        "split 'Mr Reyes' of cousin off polr:person/tomas-reyes: now Mr Reyes "
        "(polr:person/tomas-reyes/split/doc-980578c262/mr-reyes); decision by Ben kept in polr:entity-curation"
    ).split()


BEFORE = {
    (VARGA, "consulted", TOMAS), (TOMAS, "consulted", VARGA),
    (TOM, "accused", VARGA), (TOMAS, "accused", VARGA),
    (P + "org/helena-varga", "consulted", P + "org/ivo-brand"),
    (P + "org/ivo-brand", "consulted", P + "org/helena-varga"),
}  # fmt: skip


def test_the_documents_give_two_reyes_and_one_mr_reyes(store):
    assert _edges(store) == BEFORE
    assert _aliases(store, TOMAS) == {"Mr Reyes"}


def test_merge_makes_one_node_and_survives_a_rebuild(store):
    _merge()
    merged = (BEFORE - {(TOM, "accused", VARGA)}) | {(TOMAS, "accused", VARGA)}
    assert _edges(store) == merged
    assert _about(store, TOM) == set()  # no triple names it any more
    assert _aliases(store, TOMAS) == {"Mr Reyes", "Tom Reyes"}
    assert _select(store, f"SELECT ?l WHERE {{ <{TOMAS}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }}") == {
        ("Tomas Reyes",)
    }
    _rebuild("talks", "summit")  # both documents re-extracted, added again in another order
    assert _edges(store) == merged
    assert _about(store, TOM) == set()
    assert _aliases(store, TOMAS) == {"Mr Reyes", "Tom Reyes"}
    stats = run("stats", "news.kg", "--format", "json")
    assert json.loads(stats.stdout)["entities_by_class"]["Person"] == 5  # Tomas Reyes, Helena Varga, Brand, ...


def test_a_merged_store_exports_one_node(store):
    _merge()
    assert run("export", "news.kg", "-o", "out.nt").exit_code == 0
    text = Path("out.nt").read_text(encoding="utf-8")
    assert TOM not in text
    assert f'<{TOMAS}> <http://www.w3.org/2004/02/skos/core#altLabel> "Tom Reyes" .' in text


def test_split_makes_a_new_entity_and_survives_a_rebuild(store):
    _split()
    split = (BEFORE - {(TOMAS, "accused", VARGA)}) | {(MR_REYES, "accused", VARGA)}
    assert _edges(store) == split
    assert _aliases(store, TOMAS) == set()  # "Mr Reyes" was his alias in cousin only
    accusations = "SELECT ?e ?a WHERE { ?e <https://w3id.org/polkg/ontology#eventType> " \
                  "<https://w3id.org/polkg/ontology#ACCUSE> ; <https://w3id.org/polkg/ontology#actor> ?a }"
    actors = {a for _, a in _select(store, accusations)}
    assert actors == {TOM, MR_REYES}
    assert MR_REYES == split_iri(TOMAS, "Mr Reyes", "cousin")
    _rebuild("cousin")
    assert _edges(store) == split
    assert {a for _, a in _select(store, accusations)} == {TOM, MR_REYES}
    assert _select(store, f"SELECT ?l WHERE {{ <{MR_REYES}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }}") == {
        ("Mr Reyes",)
    }


def test_merge_then_split_both_survive(store):
    _merge()
    _split()
    expected = (BEFORE - {(TOM, "accused", VARGA)}) | {(MR_REYES, "accused", VARGA)}
    assert _edges(store) == expected
    _rebuild("cousin", "talks", "summit")
    assert _edges(store) == expected
    assert _aliases(store, TOMAS) == {"Tom Reyes"}


def test_entities_shows_curated_reasons(store):
    _merge()
    _split()
    with open_store(store, read_only=True, create=False) as opened:
        day = {d.action: d.time[:10] for d in read_entity_decisions(opened.oxigraph)}
    result = run("entities", "news.kg", "--kind", "Person", "--format", "json")
    assert result.exit_code == 0, result.output
    reasons = {r["iri"]: r["reason"] for r in json.loads(result.stdout)}
    assert reasons[TOMAS] == (
        f"curated merge by Ana on {day['merge']} (of polr:person/tom-reyes); "
        f"curated split by Ben on {day['split']} ('Mr Reyes' in cousin split off)"
    )
    assert reasons[MR_REYES] == (
        f"curated split by Ben on {day['split']} ('Mr Reyes' in cousin, from polr:person/tomas-reyes)"
    )
    assert reasons[VARGA] == "the same full name in every document"
    assert TOM not in reasons


def test_the_curation_graph_holds_the_prov_triples(store):
    _merge()
    with open_store(store, read_only=True, create=False) as opened:
        quads = list(opened.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(ENTITY_CURATION_GRAPH)))
        (decision,) = read_entity_decisions(opened.oxigraph)
        graphs = {g.value for g in opened.oxigraph.named_graphs()}
        documents = [d.graph for d in opened.documents()]
    assert ENTITY_CURATION_GRAPH == P + "entity-curation" and is_curation_graph(ENTITY_CURATION_GRAPH)
    assert ENTITY_CURATION_GRAPH in graphs and ENTITY_CURATION_GRAPH not in documents
    node = decision.iri
    agent = {q.object.value for q in quads if q.predicate.value.endswith("wasAttributedTo")}.pop()
    pol, prov = "https://w3id.org/polkg/ontology#", "http://www.w3.org/ns/prov#"
    rdf, rdfs = "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#"
    assert {(q.subject.value, q.predicate.value, q.object.value) for q in quads} == {
        (node, rdf + "type", pol + "EntityMerge"),
        (node, rdf + "type", prov + "Entity"),
        (node, prov + "wasAttributedTo", agent),
        (agent, rdf + "type", prov + "Agent"),
        (agent, rdfs + "label", "Ana"),
        (node, prov + "generatedAtTime", decision.time),
        (node, pol + "keptEntity", TOMAS),
        (node, pol + "mergedEntity", TOM),
        (node, rdfs + "comment", "one president"),
    }
    assert decision == EntityDecision("merge", "Ana", decision.time, TOMAS, TOM, note="one president")
    assert _select(store, f"SELECT ?d WHERE {{ <{TOMAS}> <{pol}curatedBy> ?d }}") == {(node,)}
    # a dump of the store's documents leaves the decisions in the store
    assert run("export", "news.kg", "-o", "dump.trig").exit_code == 0
    assert "entity-curation" not in Path("dump.trig").read_text(encoding="utf-8")


def test_a_decision_whose_entity_is_gone_is_stale_and_comes_back(store):
    _merge()
    result = run("remove", "--store", "news.kg", "talks")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-1] == (
        "stale entity decision: merge polr:person/tom-reyes into polr:person/tomas-reyes: "
        "polr:person/tom-reyes is no longer in the store"
    )
    assert _aliases(store, TOMAS) == {"Mr Reyes"}
    assert _select(store, f"SELECT ?d WHERE {{ <{TOMAS}> <https://w3id.org/polkg/ontology#curatedBy> ?d }}") == set()
    listed = run("entities", "news.kg", "--kind", "Person")
    assert listed.stderr.splitlines()[-1] == (
        "stale entity decision: merge polr:person/tom-reyes into polr:person/tomas-reyes: "
        "polr:person/tom-reyes is no longer in the store"
    )
    result = run("build", "--store", "news.kg", "docs")  # the document is back: so is the merge
    assert result.exit_code == 0, result.output
    assert "stale entity decision" not in result.stderr
    assert _about(store, TOM) == set()
    assert _aliases(store, TOMAS) == {"Mr Reyes", "Tom Reyes"}


def test_a_split_whose_document_is_gone_is_stale(store):
    _split()
    result = run("remove", "--store", "news.kg", "cousin")
    assert result.stderr.splitlines()[-1] == (
        "stale entity decision: split 'Mr Reyes' of document 'cousin' off polr:person/tomas-reyes: "
        "document 'cousin' is no longer in the store"
    )
    assert _about(store, MR_REYES) == set()
    result = run("build", "--store", "news.kg", "docs")
    assert result.exit_code == 0, result.output
    assert "stale entity decision" not in result.stderr
    assert (MR_REYES, "accused", VARGA) in _edges(store)


def test_stale_decisions_in_the_library():
    store = ox.Store()
    d = EntityDecision("merge", "Ana", "2026-01-01T00:00:00Z", TOMAS, TOM)
    from kg.entity_curation import record_entity_decision

    record_entity_decision(store, d)
    stale = apply_entity_decisions(store)
    assert [(s.decision, s.reason) for s in stale] == [(d, "polr:person/tomas-reyes is no longer in the store")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["merge", "Tomas Reyez", "Tom Reyes"],
         "news.kg: no entity 'Tomas Reyez' in the store (IRI, label or alias); did you mean 'Tomas Reyes', "
         "'Tom Reyes'? List them with: kg entities news.kg"),
        (["merge", "polr:person/nobody", "Tom Reyes"],
         "news.kg: no entity 'polr:person/nobody' in the store (IRI, label or alias) "
         "List them with: kg entities news.kg"),
        (["merge", "Helena Varga", "Tom Reyes"],
         "the name 'Helena Varga' fits 2 actors: Helena Varga (Organization, polr:org/helena-varga); "
         "Helena Varga (Person, polr:person/helena-varga). Give the label of one, or its IRI (polr:...)"),
        (["merge", "Tomas Reyes", "Mr Reyes"],
         "'Tomas Reyes' and 'Mr Reyes' are one entity already (Tomas Reyes (polr:person/tomas-reyes)); "
         "nothing to merge"),
        (["split", "Tomas Reyes", "--forms", "Mr Reyes"],
         "--forms 'Mr Reyes': give FORM@DOCUMENT, e.g. \"Mr Khan@doc-17\""),
        (["split", "Tomas Reyes", "--forms", "Mr Reyes@nowhere"],
         "--forms Mr Reyes@nowhere: no document 'nowhere' in news.kg (list the ids with: "
         "kg query news.kg 'SELECT ?id { ?d dcterms:identifier ?id }')"),
        (["split", "Tomas Reyes", "--forms", "Mr Reyes@summit"],
         "--forms Mr Reyes@summit: document 'summit' never calls Tomas Reyes (polr:person/tomas-reyes) "
         "'Mr Reyes'; it calls it 'Tomas Reyes'"),
        (["split", "Tomas Reyes", "--forms", "Mr Reyes@visit"],
         "--forms Mr Reyes@visit: document 'visit' never calls Tomas Reyes (polr:person/tomas-reyes) "
         "'Mr Reyes'; it does not name it"),
    ],
)
def test_bad_names_and_forms_are_refused_with_nothing_recorded(store, args, message):
    result = run("entities", *args, "--store", "news.kg", "--reviewer", "Ana")
    assert result.exit_code == 1
    assert error_message(result).replace("\n", " ") == message
    with open_store(store, read_only=True, create=False) as opened:
        assert read_entity_decisions(opened.oxigraph) == []


def test_a_reviewer_and_a_store_are_needed(store):
    result = run("entities", "merge", "Tomas Reyes", "Tom Reyes", "--store", "news.kg", "--reviewer", " ")
    assert error_message(result) == "--reviewer: give the reviewer's name (it is kept with the decision)"
    result = run("entities", "merge", "Tomas Reyes", "Tom Reyes", "--store", "docs", "--reviewer", "Ana")
    assert error_message(result) == "docs: not a kg store (make one with kg build --store docs ARTICLES)"


def test_event_review_and_merge_together(store):
    """A rejected event of the merged entity stays rejected, and its edge gone, after a rebuild."""
    result = run("review", "export", "news.kg", "-o", "sheet.csv")
    assert result.exit_code == 0, result.output
    import csv

    with open("sheet.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        if r["document"] == "talks" and r["type"] == "ACCUSE":
            r["verdict"] = "wrong"
    with open("sheet.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert run("review", "import", "sheet.csv", "--store", "news.kg", "--reviewer", "Ben").exit_code == 0
    _merge()
    expected = BEFORE - {(TOM, "accused", VARGA)}  # rejected; the cousin accusation stays
    pol = "https://w3id.org/polkg/ontology#"
    rejected = f"SELECT ?a ?r WHERE {{ ?e a <{pol}RejectedEvent> ; <{pol}actor> ?a ; <{pol}recipient> ?r }}"
    accusations = f"SELECT ?e WHERE {{ ?e a <{pol}Event> ; <{pol}eventType> <{pol}ACCUSE> ; <{pol}actor> <{TOMAS}> }}"
    for _ in range(2):
        assert _edges(store) == expected
        assert _select(store, rejected) == {(TOMAS, VARGA)}  # the merged entity's event, still rejected
        assert len(_select(store, accusations)) == 1  # the cousin one
        assert _about(store, TOM) == set()
        _rebuild("talks")


def test_a_correction_naming_the_merged_entity_names_the_kept_one(store):
    """A reviewer corrected an event to "Tom Reyes" before the merge: the event shows Tomas Reyes."""
    import csv

    assert run("review", "export", "news.kg", "-o", "sheet.csv").exit_code == 0
    with open("sheet.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        if r["document"] == "summit" and r["type"] == "CONSULT":
            r.update(verdict="fix", fix_actors="polr:person/tom-reyes", fix_recipients="polr:person/helena-varga")
    with open("sheet.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert run("review", "import", "sheet.csv", "--store", "news.kg", "--reviewer", "Ben").exit_code == 0
    pol = "https://w3id.org/polkg/ontology#"
    corrected = f"SELECT ?a ?r WHERE {{ ?e <{pol}correctedBy> ?d ; <{pol}actor> ?a ; <{pol}recipient> ?r }}"
    assert _select(store, corrected) == {(TOM, VARGA)}
    _merge()
    for _ in range(2):
        assert _select(store, corrected) == {(TOMAS, VARGA)}
        assert _about(store, TOM) == set()
        _rebuild("summit", "talks")


def test_decisions_hold_after_kg_load(store):
    _merge()
    with open_store(store, read_only=True, create=False) as opened:
        opened.write_dataset("dump.trig")  # what kg export news.kg -o dump.trig writes: the documents' graphs
    result = run("remove", "--store", "news.kg", "talks", "summit")
    assert "stale entity decision: merge polr:person/tom-reyes" in result.stderr
    result = run("load", "--store", "news.kg", "dump.trig")
    assert result.exit_code == 0, result.output
    assert "stale" not in result.stderr
    assert _edges(store) == (BEFORE - {(TOM, "accused", VARGA)}) | {(TOMAS, "accused", VARGA)}
    assert _about(store, TOM) == set()
    assert _aliases(store, TOMAS) == {"Mr Reyes", "Tom Reyes"}
