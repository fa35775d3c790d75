"""Tests of the draw stage: the offline, self-contained HTML network."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import pytest
from rdflib import Graph

import kg.draw.page
import kg.outputs
from kg.analysis.network import actor_network
from kg.draw import (
    NODE_COLOURS,
    NODE_SHAPES,
    DrawSummary,
    draw_html,
    render_html,
)
from kg.errors import OutputError
from kg.graph import build_graph
from kg.model import Document, DocumentExtraction, Entity, Event, Sentence
from kg.vocab import POL, POLR, QUAD_COLOURS

ATL = Entity("country/ATL", "Atlantis", "Country", "ATL", frozenset({"Atlantean Republic"}))
BOR = Entity("country/BOR", "Borduria", "Country", "BOR")
OTT = Entity("person/king-ottokar", "King Ottokar", "Person", "SYL", frozenset({"Ottokar IV"}), role="King")
MIN = Entity("government/atl-foreign-ministry", "Atlantean Foreign Ministry", "Government", "ATL")

VIS_JS = (
    resources.files("pyvis").joinpath("templates", "lib", "vis-9.1.2", "vis-network.min.js")
    .read_text(encoding="utf-8")
)


def _extraction(doc_id, items, entities, *, title=None, date=None):
    """A document whose sentences are ``items``: (text, [(type, actors, recipients, modality)])."""
    sentences, events, start = [], [], 0
    for text, specs in items:
        sentence = Sentence(doc_id, start, start + len(text), text)
        sentences.append(sentence)
        for etype, actors, recipients, modality in specs:
            events.append(Event(etype, actors, recipients, modality, "trigger", sentence))
        start += len(text) + 1
    document = Document(doc_id, " ".join(t for t, _ in items), date=date, title=title)
    return DocumentExtraction(document, tuple(sentences), tuple(entities), (), tuple(events))


def _tiny_graph() -> Graph:
    a, b, k, m = ATL.key, BOR.key, OTT.key, MIN.key
    d1 = _extraction(
        "d1",
        [
            ("Ministers of Atlantis and Borduria met in the capital.", [("CONSULT", (a, b), (), "Asserted")]),
            ("King Ottokar accused Atlantis of spying.", [("ACCUSE", (k,), (a,), "Asserted")]),
            ("Atlantis may attack Borduria.", [("ASSAULT", (a,), (b,), "Hypothetical")]),
            ("Borduria did not send aid to Atlantis.", [("AID", (b,), (a,), "Negated")]),
            ("Atlantis and Borduria agreed to a ceasefire.", [("AGREE", (a, b), (), "Asserted")]),
            ("The Atlantean Foreign Ministry sanctioned Borduria.", [("SANCTION", (m,), (b,), "Asserted")]),
        ],
        [ATL, BOR, OTT, MIN],
        title="Summit in the capital",
        date="2024-11-11",
    )
    d2 = _extraction(
        "d2",
        [("Atlantis plans to cooperate with Borduria.", [("COOPERATE", (a,), (b,), "Intended")])],
        [ATL, BOR],
        date="2024-11-12",
    )
    return build_graph([d1, d2])


def _data(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    assert match is not None
    return json.loads(match.group(1))


def _shell(page: str) -> str:
    """The page without the inlined vis-network library: kg's own markup and script."""
    assert page.count(VIS_JS) == 1
    return page.replace(VIS_JS, "")


def _by_label(items: list[dict]) -> dict[str, dict]:
    return {item["name"]: item for item in items}


def test_render_html_is_self_contained():
    page = render_html(_tiny_graph())
    shell = _shell(page)
    assert "@version 9.1.2" in VIS_JS and "<script>" + VIS_JS + "</script>" in page
    assert not re.search(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=", shell, re.I)
    markup = re.sub(r"<(script|style)\b[^>]*>.*?</\1>", "", shell, flags=re.S)
    assert "http://" not in markup and "https://" not in markup
    assert "default-src 'none'" in page
    assert "bootstrap" not in shell and "jsdelivr" not in shell and "cdnjs" not in shell


def test_render_html_counts_match_actor_network():
    graph = _tiny_graph()
    data = _data(render_html(graph))
    net = actor_network(graph)
    assert len(data["nodes"]) == net.number_of_nodes() == 4
    assert len(data["events"]) == len(net.graph["events"]) == 7
    assert sorted(n["iri"] for n in data["nodes"]) == sorted(net.nodes)
    assert all(n["linked"] for n in data["nodes"])


def test_render_html_colours_and_shapes_nodes_by_class():
    page = render_html(_tiny_graph())
    nodes = _by_label(_data(page)["nodes"])
    assert nodes["Atlantis"]["color"] == nodes["Borduria"]["color"] == NODE_COLOURS["Country"]
    assert nodes["King Ottokar"]["color"] == NODE_COLOURS["Person"]
    assert nodes["Atlantean Foreign Ministry"]["color"] == NODE_COLOURS["Government"]
    assert nodes["Atlantis"]["shape"] == "square" and nodes["King Ottokar"]["shape"] == "dot"
    assert nodes["Atlantean Foreign Ministry"]["shape"] == "diamond"
    assert len(set(NODE_COLOURS.values())) == len(set(NODE_SHAPES.values())) == 7
    assert set(NODE_SHAPES) == set(NODE_COLOURS)
    legend = re.search(r'<div id="kg-legend".*?</div>', page, re.S).group(0)
    for kind, colour in NODE_COLOURS.items():
        assert re.search(rf'<li><svg class="shape" [^>]*><path d="[^"]+" fill="{colour}"/></svg>{kind}</li>', legend)


def test_render_html_sizes_nodes_by_square_root_of_events_capped():
    nodes = _by_label(_data(render_html(_tiny_graph()))["nodes"])
    assert nodes["Atlantis"]["events"] == 6 and nodes["King Ottokar"]["events"] == 1
    assert nodes["Atlantis"]["size"] == round(6 + 3 * 6**0.5, 1) == 13.3
    assert nodes["King Ottokar"]["size"] == 9.0
    a, b = ATL.key, BOR.key
    busy = [_extraction(f"d{i}", [(f"Atlantis accused Borduria {i}.", [("ACCUSE", (a,), (b,), "Asserted")])],
                        [ATL, BOR], date="2024-11-11") for i in range(100)]
    assert {n["size"] for n in _data(render_html(build_graph(busy)))["nodes"]} == {30.0}  # 6 + 3 * 10, capped


def test_render_html_events_directed_only_with_recipient_and_directed_type():
    events = {e["type"]: e for e in _data(render_html(_tiny_graph()))["events"]}
    assert events["ACCUSE"]["directed"] is True and events["COOPERATE"]["directed"] is True
    assert events["CONSULT"]["directed"] is False  # an undirected type
    assert events["AGREE"]["directed"] is False  # "A and B agreed": two actors, no recipient
    assert (events["ACCUSE"]["a"], events["ACCUSE"]["r"]) == ([3], [0])  # King Ottokar -> Atlantis
    assert (events["AGREE"]["a"], events["AGREE"]["r"]) == ([0, 1], [])


def test_render_html_node_tooltips_give_aliases_country_role_and_counts():
    data = _data(render_html(_tiny_graph()))
    nodes = _by_label(data["nodes"])
    assert nodes["King Ottokar"]["title"] == (
        "King Ottokar\nPerson\nAlso: Ottokar IV\nCountry: SYL\nRole: King\n1 event (1 as actor), with 1 other entity"
    )
    assert nodes["Atlantis"]["title"] == (
        "Atlantis\nCountry\nAlso: Atlantean Republic\nCountry: ATL\n"
        "6 events (4 as actor, 2 as recipient), with 2 other entities"
    )
    ottokar = nodes["King Ottokar"]
    assert (ottokar["asActor"], ottokar["asRecipient"], ottokar["partners"], ottokar["role"]) == (1, 0, 1, "King")


def test_render_html_computes_positions_and_turns_physics_off():
    data = _data(render_html(_tiny_graph()))
    assert data["options"]["physics"] == {"enabled": False}
    positions = {(n["x"], n["y"]) for n in data["nodes"]}
    assert all(isinstance(x, int) and isinstance(y, int) for x, y in positions)
    assert len(positions) == 4


def test_render_html_escapes_malicious_text():
    payload = "</script><script>window.PWNED=1</script> <img src=x onerror=alert(1)> href"
    evil = Entity("person/mallory", f"Mallory {payload}", "Person", role=payload,
                  aliases=frozenset({f"<a href=javascript:alert(1)>{payload}</a>"}))
    doc = _extraction(
        "evil<script>",
        [(f"Mallory accused Atlantis. {payload}", [("ACCUSE", (evil.key,), (ATL.key,), "Asserted")])],
        [evil, ATL],
        title=f"Title {payload}",
        date="2024-11-11",
    )
    page = render_html(build_graph([doc]), title=f"My graph {payload}")
    shell = _shell(page)
    for raw in ("<script>window.PWNED", "<img src=x", "</script><script>", "<a href=javascript"):
        assert raw not in page
    assert shell.count("<script") == 3  # the data block, vis-network, kg's own script
    assert "<title>My graph &lt;/script&gt;&lt;script&gt;window.PWNED=1&lt;/script&gt;" in page
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "Function("):
        assert sink not in shell
    assert ".textContent = " in shell
    data = _data(page)  # the text survives as text
    (sentence,) = data["sentences"]
    assert sentence == {"text": f"Mallory accused Atlantis. {payload}", "doc": "evil<script>",
                        "title": f"Title {payload}", "date": "2024-11-11"}
    assert data["events"][0]["actors"] == [f"Mallory {payload}"]
    node_title = _by_label(data["nodes"])[f"Mallory {payload}"]["title"]
    assert node_title.count(payload) == 2 and "Also: <a href=javascript:alert(1)></script>" in node_title


def test_render_html_is_deterministic():
    first = render_html(_tiny_graph())
    assert render_html(_tiny_graph()) == first
    graph = _tiny_graph()
    assert render_html(graph) == render_html(graph) == first
    assert render_html(graph, seed=8) != first


def test_render_html_max_nodes_keeps_most_active():
    graph = _tiny_graph()
    page = render_html(graph, max_nodes=2)
    data = _data(page)
    assert sorted(n["name"] for n in data["nodes"]) == ["Atlantis", "Borduria"]
    assert [e["type"] for e in data["events"]] == ["CONSULT", "ACCUSE", "ASSAULT", "AID", "AGREE", "SANCTION",
                                                   "COOPERATE"]  # every event with a drawn party
    assert [e["nodes"] for e in data["events"]][1] == [0]  # King Ottokar is not drawn
    assert "showing 2 of 4 entities" in page
    assert "showing" not in render_html(graph, max_nodes=4)


def test_render_html_max_nodes_breaks_ties_by_label():
    # King Ottokar and the Atlantean Foreign Ministry take part in one event each
    data = _data(render_html(_tiny_graph(), max_nodes=3))
    assert [n["name"] for n in data["nodes"]] == ["Atlantis", "Borduria", "Atlantean Foreign Ministry"]


def test_render_html_rejects_max_nodes_below_one():
    with pytest.raises(ValueError, match="max_nodes must be at least 1, not 0"):
        render_html(_tiny_graph(), max_nodes=0)


@pytest.mark.parametrize("graph", [Graph(), build_graph([])], ids=["rdflib", "kg"])
def test_render_html_empty_graph_says_no_events(graph):
    page = render_html(graph)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert '<span id="kg-summary">No events in this graph.</span>' in page
    assert '<div id="kg-empty" class="">No events in this graph.</div>' in page
    data = _data(page)
    assert data["nodes"] == [] and data["events"] == []
    for control in ("kg-types-all", "kg-relayout", "kg-view", "kg-country"):
        assert re.search(rf'id="{control}" disabled>', page)
    assert '<input id="kg-from" type="date" disabled>' in page


def test_render_html_entities_without_events_say_no_events():
    graph = build_graph([_extraction("d1", [("Atlantis is an island.", [])], [ATL])])
    page = render_html(graph)
    assert '<span id="kg-summary">No events in this graph.</span>' in page
    assert [n["linked"] for n in _data(page)["nodes"]] == [False]


def test_render_html_lays_out_large_graphs_without_scipy():
    entities = [Entity(f"group/g{i}", f"Group {i:03}", "Group") for i in range(520)]
    items = [
        (f"Group {i} supported group {i + 1}.", [("SUPPORT", (g.key,), (h.key,), "Asserted")])
        for i, (g, h) in enumerate(zip(entities, entities[1:], strict=False))
    ]
    graph = build_graph([_extraction("big", items, entities, date="2024-11-11")])
    page = render_html(graph, max_nodes=600)
    data = _data(page)
    assert len(data["nodes"]) == 520 and len(data["events"]) == 519
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == 520
    assert render_html(graph, max_nodes=600) == page


def test_render_html_lists_events_in_time_order():
    graph = _tiny_graph()
    data = _data(render_html(graph))
    events, sentences = data["events"], data["sentences"]
    assert [(e["date"], e["type"], e["modality"]) for e in events] == [
        ("2024-11-11", "CONSULT", "Asserted"),
        ("2024-11-11", "ACCUSE", "Asserted"),
        ("2024-11-11", "ASSAULT", "Hypothetical"),
        ("2024-11-11", "AID", "Negated"),
        ("2024-11-11", "AGREE", "Asserted"),
        ("2024-11-11", "SANCTION", "Asserted"),
        ("2024-11-12", "COOPERATE", "Intended"),
    ]  # by date, then by place in the document
    accuse = events[1]
    assert (accuse["actors"], accuse["recipients"], accuse["color"]) == (
        ["King Ottokar"], ["Atlantis"], QUAD_COLOURS["verbal-conflict"])
    assert [sentences[i]["text"] for i in accuse["sentences"]] == ["King Ottokar accused Atlantis of spying."]
    assert sentences[accuse["sentences"][0]]["title"] == "Summit in the capital"
    assert [e["uncertain"] for e in events] == [False, False, True, True, False, False, False]
    nodes = {n["id"]: n["name"] for n in data["nodes"]}
    ottokar = [i for i, e in enumerate(events) if any(nodes[n] == "King Ottokar" for n in e["nodes"])]
    assert ottokar == [1]


def test_render_html_lists_events_without_a_link():
    a = ATL.key
    doc = _extraction("d1", [("Atlantis mobilised its army.", [("MOBILIZE", (a,), (), "Asserted")]),
                             ("Atlantis and Borduria met.", [("CONSULT", (a, BOR.key), (), "Asserted")])],
                      [ATL, BOR], date="2024-11-11")
    data = _data(render_html(build_graph([doc])))
    assert [e["type"] for e in data["events"]] == ["MOBILIZE", "CONSULT"]
    assert [(e["a"], e["r"]) for e in data["events"]] == [([0], []), ([0, 1], [])]  # only CONSULT links two
    assert data["events"][0]["nodes"] == [_by_label(data["nodes"])["Atlantis"]["id"]]


def test_render_html_type_filter_lists_types_in_plover_order():
    page = render_html(_tiny_graph())
    menu = re.search(r'<details id="kg-types" class="kg-menu">.*?</details>', page, re.S).group(0)
    found = re.findall(r'<input type="checkbox" class="kg-type" value="([A-Z]+)" checked>'
                       r'<span class="line" style="border-color:(#[0-9a-f]{6})"></span>\1 <span class="count">(\d+)',
                       menu)
    assert found == [
        ("AGREE", QUAD_COLOURS["verbal-cooperation"], "1"),
        ("CONSULT", QUAD_COLOURS["verbal-cooperation"], "1"),
        ("COOPERATE", QUAD_COLOURS["material-cooperation"], "1"),
        ("AID", QUAD_COLOURS["material-cooperation"], "1"),
        ("ACCUSE", QUAD_COLOURS["verbal-conflict"], "1"),
        ("SANCTION", QUAD_COLOURS["material-conflict"], "1"),
        ("ASSAULT", QUAD_COLOURS["material-conflict"], "1"),
    ]
    assert '<button type="button" id="kg-relayout">Re-run layout</button>' in page


def test_render_html_date_filter_spans_partial_dates():
    a, b = ATL.key, BOR.key
    docs = [
        _extraction(f"d{i}", [(f"Atlantis accused Borduria ({i}).", [("ACCUSE", (a,), (b,), "Asserted")])],
                    [ATL, BOR], date=date)
        for i, date in enumerate(["2024-02", "2023", "2024-11-05"])
    ]
    docs.append(_extraction("d9", [("Borduria accused Atlantis.", [("ACCUSE", (b,), (a,), "Asserted")])],
                            [ATL, BOR]))
    page = render_html(build_graph(docs))
    spans = [(e["date"], e["lo"], e["hi"]) for e in _data(page)["events"]]
    assert spans == [
        ("2023", "2023-01-01", "2023-12-31"),
        ("2024-02", "2024-02-01", "2024-02-29"),
        ("2024-11-05", "2024-11-05", "2024-11-05"),
        ("", "", ""),  # undated events come last and drop out when a date range is set
    ]
    assert '<input id="kg-from" type="date" min="2023-01-01" max="2024-11-05">' in page
    assert '<input id="kg-to" type="date" min="2023-01-01" max="2024-11-05">' in page


def test_actor_network_events_table():
    graph = _tiny_graph()
    net = actor_network(graph)
    events = net.graph["events"]
    assert len(events) == 7
    (accuse,) = [e for e in events.values() if e["type"] == "ACCUSE"]
    assert accuse["actors"] == [str(POLR[OTT.key])] and accuse["recipients"] == [str(POLR[ATL.key])]
    assert (accuse["modality"], accuse["quad"], accuse["date"]) == ("Asserted", "verbal-conflict", "2024-11-11")
    assert accuse["edges"] == [(str(POLR[OTT.key]), str(POLR[ATL.key]), "ACCUSE/Asserted")]
    assert [s["text"] for s in accuse["sentences"]] == ["King Ottokar accused Atlantis of spying."]
    assert accuse["start"] == len("Ministers of Atlantis and Borduria met in the capital. ")
    (agree,) = [e for e in events.values() if e["type"] == "AGREE"]
    assert agree["edges"] == [(str(POLR[ATL.key]), str(POLR[BOR.key]), "AGREE/Asserted")]
    assert set(actor_network(graph, modalities=("Asserted",)).graph["events"]) < set(events)


def test_draw_html_writes_page_and_summary(tmp_path: Path):
    target = tmp_path / "graph.html"
    summary = draw_html(_tiny_graph(), target, title="Atlantis and Borduria", max_nodes=3)
    assert summary == DrawSummary(path=target, nodes=3, edges=2, hidden_nodes=1)  # Atlantis-Borduria, ministry-Borduria
    assert target.read_text(encoding="utf-8") == render_html(_tiny_graph(), title="Atlantis and Borduria",
                                                             max_nodes=3)
    assert [p.name for p in tmp_path.iterdir()] == ["graph.html"]


def test_draw_html_replaces_earlier_file(tmp_path: Path):
    target = tmp_path / "graph.html"
    target.write_text("old", encoding="utf-8")
    draw_html(_tiny_graph(), str(target))
    assert target.read_text(encoding="utf-8") == render_html(_tiny_graph())
    assert [p.name for p in tmp_path.iterdir()] == ["graph.html"]


def test_draw_html_keeps_old_file_when_rendering_fails(tmp_path: Path, monkeypatch):
    target = tmp_path / "graph.html"
    target.write_text("old page", encoding="utf-8")

    def broken(*args, **kwargs):
        raise RuntimeError("render failed")

    monkeypatch.setattr(kg.draw.page, "page_content", broken)
    with pytest.raises(RuntimeError, match="render failed"):
        draw_html(_tiny_graph(), target)
    assert target.read_text(encoding="utf-8") == "old page"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.html"]


def test_draw_html_keeps_old_file_when_writing_fails(tmp_path: Path, monkeypatch):
    target = tmp_path / "graph.html"
    target.write_text("old page", encoding="utf-8")

    def broken(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(kg.outputs.os, "replace", broken)
    with pytest.raises(OutputError, match=r"graph\.html: cannot write the explorer page \(No space left on device\)"):
        draw_html(_tiny_graph(), target)
    assert target.read_text(encoding="utf-8") == "old page"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.html"]


def test_draw_html_missing_directory_raises_output_error(tmp_path: Path):
    target = tmp_path / "missing" / "graph.html"
    with pytest.raises(OutputError, match=r"graph\.html: cannot write .*directory exists"):
        draw_html(_tiny_graph(), target)
    assert not target.parent.exists()


GOV = Entity("government/ATL", "Government of Atlantis", "Government", "ATL")
ARMY = Entity("military/ATL", "Armed forces of Atlantis", "Military", "ATL")


def _states_graph() -> Graph:
    a, b, g, m = ATL.key, BOR.key, GOV.key, ARMY.key
    return build_graph([_extraction("s1", [
        ("The Government of Atlantis accused Borduria.", [("ACCUSE", (g,), (b,), "Asserted")]),
        ("Atlantean troops attacked Borduria.", [("ASSAULT", (m,), (b,), "Asserted")]),
        ("Atlantis met Borduria.", [("CONSULT", (a, b), (), "Asserted")]),
        ("King Ottokar praised Borduria.", [("SUPPORT", (OTT.key,), (b,), "Asserted")]),
    ], [ATL, BOR, GOV, ARMY, OTT], date="2024-11-11")])


def test_render_html_folds_parts_into_their_country_by_country_code():
    nodes = _by_label(_data(render_html(_states_graph()))["nodes"])
    atlantis = nodes["Atlantis"]["id"]
    assert nodes["Government of Atlantis"]["state"] == nodes["Armed forces of Atlantis"]["state"] == atlantis
    assert sorted(nodes["Atlantis"]["members"]) == sorted(
        [nodes["Government of Atlantis"]["id"], nodes["Armed forces of Atlantis"]["id"]])
    assert nodes["King Ottokar"]["state"] == -1  # Sylvania has no country node
    assert nodes["Borduria"]["state"] == -1 and nodes["Borduria"]["members"] == []


def test_render_html_state_positions_keep_parts_around_their_country():
    nodes = _by_label(_data(render_html(_states_graph()))["nodes"])
    atlantis = nodes["Atlantis"]
    for part in ("Government of Atlantis", "Armed forces of Atlantis"):
        n = nodes[part]
        assert (n["sx"] - atlantis["sx"], n["sy"] - atlantis["sy"]) == (n["x"] - atlantis["x"], n["y"] - atlantis["y"])
        assert (n["x"], n["y"]) != (atlantis["x"], atlantis["y"])
    plain = build_graph([_extraction("d1", [("Atlantis met Borduria.", [("CONSULT", (ATL.key, BOR.key), (),
                                                                           "Asserted")])], [ATL, BOR])])
    data = _data(render_html(plain))
    assert data["states"] is False  # no country node has parts here: one layout for both views
    assert all((n["x"], n["y"]) == (n["sx"], n["sy"]) for n in data["nodes"])


def test_render_html_opens_large_graphs_with_states_at_state_level():
    data = _data(render_html(_states_graph()))
    assert (data["view"], data["states"]) == ("entity", True)  # small: entity level
    countries = [Entity(f"country/C{i:02}", f"Country {i:02}", "Country", f"C{i:02}") for i in range(20)]
    people = [Entity(f"person/p{i}", f"Person {i}", "Person", f"C{i % 20:02}") for i in range(140)]
    items = [(f"Person {i} met Person {i + 1}.", [("CONSULT", (people[i].key, people[i + 1].key), (), "Asserted")])
             for i in range(139)]
    items += [(f"Country {i} met Person {i}.", [("CONSULT", (countries[i].key, people[i].key), (), "Asserted")])
              for i in range(20)]
    big = build_graph([_extraction("big", items, countries + people, date="2024-11-11")])
    data = _data(render_html(big))
    assert sum(n["linked"] for n in data["nodes"]) == 160 and data["view"] == "state"
    assert sorted(len(n["members"]) for n in data["nodes"] if n["kind"] == "Country") == [7] * 20


def test_render_html_class_and_country_menus():
    page = render_html(_states_graph())
    kinds = re.findall(r'<input type="checkbox" class="kg-kind" value="(\w+)" checked>.*?'
                       r'<span class="count">(\d+)</span>', page)
    assert kinds == [("Person", "1"), ("Country", "2"), ("Government", "1"), ("Military", "1")]
    countries = re.findall(r'<option value="([A-Z]+)">([^<]*)</option>', page)
    assert countries == [("ATL", "Atlantis (ATL)"), ("BOR", "Borduria (BOR)"), ("SYL", "SYL")]


def test_render_html_folds_by_pol_state_when_the_graph_states_it():
    graph = _states_graph()
    graph.remove((None, POL.state, None))  # every part left with its country code alone ...
    graph.add((POLR[OTT.key], POL.state, POLR[BOR.key]))  # ... but one, linked as the contract says
    nodes = _by_label(_data(render_html(graph))["nodes"])
    assert nodes["King Ottokar"]["state"] == nodes["Borduria"]["id"]
    assert nodes["Government of Atlantis"]["state"] == -1  # pol:state is stated: country codes are not used
    assert nodes["Atlantis"]["members"] == [] and nodes["Borduria"]["members"] == [nodes["King Ottokar"]["id"]]
