"""The explorer in a real browser: headless Chromium, driven by ``tests/browser.py``.

Without Chromium these tests skip, saying why; under CI (``CI=true``) they fail instead.
One browser serves the whole module and every wait is bounded. Checks of filters and of
the side panel use a small graph made here, so that they do not depend on extraction.
"""

from __future__ import annotations

import json
import math
import os
import sys
import time
from pathlib import Path

import pytest
from browser import (
    BrowserError,
    Chromium,
    Page,
    build_example_graph,
    click_node,
    find_chromium,
    image_stats,
    screenshot_explorer,
)
from rdflib import Graph
from spacy.language import Language

from kg.analysis.network import actor_network
from kg.draw import UNCERTAIN_MODALITIES, draw_html
from kg.graph import build_graph
from kg.model import Document, DocumentExtraction, Entity, Event, Sentence
from kg.vocab import QUAD_COLOURS

READY = "window.kg && window.kg.ready && window.kg.drawn"
PAYLOAD = '<script>window.PWNED = 1</script><img src=x onerror="window.PWNED = 2">'

ATL = Entity("country/ATL", "Atlantis", "Country", "ATL", frozenset({"Atlantean Republic"}))
BOR = Entity("country/BOR", "Borduria", "Country", "BOR")
OTT = Entity("person/king-ottokar", "King Ottokar", "Person", "SYL", role="King")


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the browser tests must run, so .ci/run installs chromium)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium():
    executable = find_chromium()
    if executable is None:
        _unavailable("chromium not found: install it (apt-get install chromium) or set KG_CHROMIUM to a Chromium")
    try:
        browser = Chromium(executable)
    except (BrowserError, TimeoutError) as exc:
        _unavailable(f"chromium ({executable}) does not start headless: {exc}")
    yield browser
    browser.close()


@pytest.fixture
def page(chromium: Chromium):
    tab = chromium.new_page()
    yield tab
    tab.close()


@pytest.fixture(scope="module")
def example(nlp: Language, tmp_path_factory) -> tuple[Graph, Path]:
    """The bundled example articles as a graph and as an explorer page."""
    graph = build_example_graph(nlp)
    path = tmp_path_factory.mktemp("explorer") / "example.html"
    draw_html(graph, path, title="Example articles")
    return graph, path


def _extraction(doc_id: str, date: str | None, items: list, entities: tuple[Entity, ...]) -> DocumentExtraction:
    """A document of sentences ``items``: (text, type, actors, recipients, modality)."""
    sentences, events, start = [], [], 0
    for text, etype, actors, recipients, modality in items:
        sentence = Sentence(doc_id, start, start + len(text), text)
        sentences.append(sentence)
        events.append(Event(etype, actors, recipients, modality, "trigger", sentence))
        start += len(text) + 1
    document = Document(doc_id, " ".join(s.text for s in sentences), date=date, title=f"Title of {doc_id}")
    return DocumentExtraction(document, tuple(sentences), entities, (), tuple(events))


@pytest.fixture(scope="module")
def atlas(tmp_path_factory) -> Path:
    """An explorer page of four documents about Atlantis, given out of date order, one undated."""
    a, b, k = ATL.key, BOR.key, OTT.key
    graph = build_graph([
        _extraction("d1", "2024-11-11", [
            ("Atlantis and Borduria met.", "CONSULT", (a, b), (), "Asserted"),
            ("King Ottokar accused Atlantis of spying.", "ACCUSE", (k,), (a,), "Asserted"),
            ("Atlantis may attack Borduria.", "ASSAULT", (a,), (b,), "Hypothetical"),
        ], (ATL, BOR, OTT)),
        _extraction("d2", "2024-11-20", [
            ("Atlantis sanctioned Borduria.", "SANCTION", (a,), (b,), "Asserted"),
            ("Atlantis accused Borduria of lying.", "ACCUSE", (a,), (b,), "Asserted"),
        ], (ATL, BOR)),
        _extraction("d0", "2024-11-02", [
            ("Atlantis urged Borduria to talk.", "REQUEST", (a,), (b,), "Asserted"),
        ], (ATL, BOR)),
        _extraction("d3", None, [("Borduria accused Atlantis.", "ACCUSE", (b,), (a,), "Asserted")], (ATL, BOR)),
    ])
    path = tmp_path_factory.mktemp("atlas") / "atlas.html"
    draw_html(graph, path, title="Atlantis")
    return path


def _open(page: Page, path: Path) -> None:
    page.goto(path.resolve().as_uri())
    page.wait_for(READY)


def _node_id(page: Page, name: str) -> int:
    return page.evaluate(f"kg.entities.filter(function (n) {{ return n.name === {json.dumps(name)}; }})[0].id")


def _visible_links(page: Page) -> list[str]:
    """The drawn links as "A – B N" (the two names in alphabetical order, N events), sorted."""
    return sorted(page.evaluate("""kgNetwork.body.edgeIndices.map(function (id) {
        var e = kg.edges.get(id), names = [kg.name(e.from), kg.name(e.to)].sort();
        return names[0] + " \u2013 " + names[1] + " " + e.count;
    })"""))


def _drawn_nodes(page: Page) -> list[str]:
    return sorted(page.evaluate("kgNetwork.body.nodeIndices.map(function (id) { return kg.name(id); })"))


def _set(page: Page, element: str, value: str) -> None:
    """Set a select's or an input's value and fire its change event, as a user's choice does."""
    page.evaluate(f"""(function () {{
        var box = document.getElementById({json.dumps(element)});
        box.value = {json.dumps(value)};
        box.dispatchEvent(new Event("change"));
    }})()""")


def _panel(page: Page) -> dict:
    return page.evaluate("""(function () {
        function texts(selector) {
            return Array.prototype.map.call(document.querySelectorAll(selector), function (e) { return e.textContent });
        }
        return {
            title: document.getElementById("kg-panel-title").textContent,
            count: document.getElementById("kg-panel-count").textContent,
            dates: texts("#kg-panel-events .kg-event-date"),
            types: texts("#kg-panel-events .kg-event-type"),
            sentences: texts("#kg-panel-events .kg-sentence"),
            sources: texts("#kg-panel-events .kg-source"),
            hidden: document.getElementById("kg-panel").classList.contains("hidden")
        };
    })()""")


def test_explorer_loads_offline_and_draws_every_node_and_edge(page, example):
    graph, path = example
    _open(page, path)
    net = actor_network(graph)
    certain = {frozenset((a, r)) for a, r, d in net.edges(data=True) if d["modality"] not in UNCERTAIN_MODALITIES}
    linked = {n for pair in certain for n in pair}
    assert net.number_of_nodes() > 10 and certain
    assert page.evaluate("kg.view()") == "entity"  # a small graph opens at entity level
    drawn = page.evaluate("[kgNetwork.body.nodeIndices.length, kgNetwork.body.edgeIndices.length]")
    assert drawn == [len(linked), len(certain)]
    page.evaluate('document.getElementById("kg-uncertain").click()')  # disabled when there are none
    every = {frozenset((a, r)) for a, r in net.edges()}
    assert page.evaluate("kgNetwork.body.edgeIndices.length") == len(every)
    summary = page.evaluate('document.getElementById("kg-summary").textContent')
    assert summary.startswith(f"{net.number_of_nodes()} entities")
    assert page.errors() == []
    url = path.resolve().as_uri()
    assert [u for u in page.requests() if not u.startswith("data:")] == [url]  # data: is Chromium's date-picker icon


def test_explorer_empty_graph_says_no_events(page, tmp_path):
    path = tmp_path / "empty.html"
    draw_html(build_graph([]), path)
    page.goto(path.resolve().as_uri())
    page.wait_for("window.kg && window.kg.ready")
    assert page.evaluate("getComputedStyle(document.getElementById('kg-empty')).display") == "block"
    assert page.evaluate("document.getElementById('kg-relayout').disabled") is True
    assert page.errors() == []


def test_explorer_search_focuses_and_selects_node(page, atlas):
    _open(page, atlas)
    node = _node_id(page, "Atlantis")
    page.evaluate("""(function () {
        var box = document.getElementById("kg-search");
        box.value = "atlantean republic";
        box.dispatchEvent(new KeyboardEvent("keydown", {key: "Enter"}));
    })()""")  # an alias, in other case
    assert page.evaluate("kgNetwork.getSelectedNodes()") == [node]
    page.wait_for(f"""(function () {{
        var p = kgNetwork.getPositions([{node}])[{node}], v = kgNetwork.getViewPosition();
        return Math.abs(p.x - v.x) < 2 && Math.abs(p.y - v.y) < 2;
    }})()""", timeout=5)  # the view is centred on it once the 0.4 s animation ends
    assert _panel(page)["title"] == "Atlantis"
    page.evaluate("""(function () {
        var box = document.getElementById("kg-search");
        box.value = "nobody at all";
        box.dispatchEvent(new Event("change"));
    })()""")
    assert page.evaluate("document.getElementById('kg-search-status').textContent") == "no match"
    assert page.errors() == []


def test_explorer_type_and_date_filters_hide_links_and_unlinked_nodes(page, atlas):
    _open(page, atlas)
    everything = ["Atlantis \u2013 Borduria 5", "Atlantis \u2013 King Ottokar 1"]
    assert _visible_links(page) == everything  # not the hypothetical ASSAULT
    page.evaluate('document.querySelector("#kg-types summary").click()')
    page.evaluate('document.querySelector("input.kg-type[value=ACCUSE]").click()')
    assert _visible_links(page) == ["Atlantis \u2013 Borduria 3"]
    assert _drawn_nodes(page) == ["Atlantis", "Borduria"]  # King Ottokar has no link left
    assert page.evaluate("document.getElementById('kg-types-count').textContent") == "4 of 5"
    assert page.evaluate("document.getElementById('kg-view-status').textContent") == (
        "2 nodes, 1 link; 1 entity with no link in these filters hidden")
    page.evaluate('document.getElementById("kg-types-all").click()')
    assert _visible_links(page) == everything
    assert page.evaluate("document.getElementById('kg-view-status').textContent") == "3 nodes, 2 links"

    def dates(start: str, end: str) -> None:
        page.evaluate(f"""(function () {{
            var from = document.getElementById("kg-from"), to = document.getElementById("kg-to");
            from.value = "{start}"; to.value = "{end}";
            from.dispatchEvent(new Event("change")); to.dispatchEvent(new Event("change"));
        }})()""")

    dates("2024-11-10", "2024-11-12")
    assert _visible_links(page) == ["Atlantis \u2013 Borduria 1", "Atlantis \u2013 King Ottokar 1"]
    dates("2024-11-15", "")
    assert _visible_links(page) == ["Atlantis \u2013 Borduria 2"]  # undated events drop out
    dates("", "")
    page.evaluate('document.getElementById("kg-uncertain").click()')
    assert _visible_links(page) == ["Atlantis \u2013 Borduria 6", "Atlantis \u2013 King Ottokar 1"]
    assert page.errors() == []


def test_explorer_click_opens_panel_with_events_in_time_order(page, atlas):
    _open(page, atlas)
    click_node(page, _node_id(page, "Atlantis"))
    page.wait_for("kg.panel !== null", timeout=5)
    panel = _panel(page)
    assert panel["title"] == "Atlantis" and not panel["hidden"]
    assert panel["count"] == "6 events (1 hidden by the filters)"
    assert panel["dates"] == ["2024-11-02", "2024-11-11", "2024-11-11", "2024-11-20", "2024-11-20", "undated"]
    assert panel["types"] == ["REQUEST", "CONSULT", "ACCUSE", "SANCTION", "ACCUSE", "ACCUSE"]
    assert panel["sentences"] == [
        "Atlantis urged Borduria to talk.", "Atlantis and Borduria met.", "King Ottokar accused Atlantis of spying.",
        "Atlantis sanctioned Borduria.", "Atlantis accused Borduria of lying.", "Borduria accused Atlantis.",
    ]
    assert panel["sources"][:2] == ["d0, Title of d0, 2024-11-02", "d1, Title of d1, 2024-11-11"]
    page.evaluate('document.getElementById("kg-uncertain").click()')  # the panel follows the filters
    panel = _panel(page)
    assert panel["count"] == "7 events" and panel["types"][3] == "ASSAULT (hypothetical)"

    ottokar = _node_id(page, "King Ottokar")
    click_node(page, ottokar)
    page.wait_for(f"kg.panel.node === {ottokar}", timeout=5)
    assert _panel(page)["sentences"] == ["King Ottokar accused Atlantis of spying."]
    page.evaluate('document.getElementById("kg-panel-close").click()')
    assert _panel(page)["hidden"] is True
    assert page.errors() == []


def test_explorer_relayout_runs_physics_then_stops(page, example):
    _open(page, example[1])
    before = page.evaluate("kgNetwork.getPositions()")
    assert page.evaluate("kgNetwork.physics.options.enabled") is False
    page.evaluate('document.getElementById("kg-relayout").click()')
    page.wait_for("kg.layouts === 1", timeout=15)
    assert page.evaluate("kgNetwork.physics.options.enabled") is False
    assert page.evaluate("document.getElementById('kg-relayout').disabled") is False
    assert page.evaluate("kgNetwork.getPositions()") != before
    assert page.errors() == []


def test_explorer_never_runs_document_text(page, tmp_path):
    evil = Entity("person/mallory", f"Mallory {PAYLOAD}", "Person", role=PAYLOAD, aliases=frozenset({PAYLOAD}))
    text = f"Mallory accused Atlantis. {PAYLOAD}"
    sentence = Sentence(PAYLOAD, 0, len(text), text)
    document = Document(PAYLOAD, text, date="2024-11-11", title=f"Title {PAYLOAD}")
    event = Event("ACCUSE", (evil.key,), (ATL.key,), "Asserted", "accused", sentence)
    graph = build_graph([DocumentExtraction(document, (sentence,), (evil, ATL), (), (event,))])
    path = tmp_path / "evil.html"
    draw_html(graph, path, title=f"Graph {PAYLOAD}")
    _open(page, path)
    mallory = _node_id(page, f"Mallory {PAYLOAD}")
    click_node(page, mallory)  # the panel shows every field
    page.wait_for("kg.panel !== null", timeout=5)
    page.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": 5, "y": 300})
    click_node(page, mallory)  # and hovering shows the tooltip
    page.wait_for("document.querySelector('div.vis-tooltip') && "
                  "document.querySelector('div.vis-tooltip').style.visibility === 'visible'", timeout=5)
    page.browser.pump(0.2)
    state = page.evaluate("""({
        pwned: typeof window.PWNED,
        images: document.images.length,
        scripts: document.scripts.length,
        panel: document.getElementById("kg-panel").textContent,
        tooltip: document.querySelector("div.vis-tooltip").textContent,
        tooltipTags: Array.prototype.map.call(document.querySelector("div.vis-tooltip").children,
                                              function (e) { return e.tagName; }),
        heading: document.querySelector("h1").textContent
    })""")
    assert state["pwned"] == "undefined"
    assert state["images"] == 0 and state["scripts"] == 3
    assert set(state["tooltipTags"]) <= {"BR"}  # vis sets the tooltip's innerText: line breaks only
    assert state["heading"] == f"Graph {PAYLOAD}"
    assert f"Mallory {PAYLOAD}" in state["panel"] and text in state["panel"] and f"Title {PAYLOAD}" in state["panel"]
    assert f"Role: {PAYLOAD}" in state["tooltip"]
    page.evaluate('document.dispatchEvent(new KeyboardEvent("keydown", {key: "Escape"}))')
    page.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": 5, "y": 300})
    page.wait_for("document.querySelector('div.vis-tooltip').style.visibility !== 'visible'", timeout=5)
    middle = page.evaluate("""(function () {
        var e = kg.edges.get()[0], p = kgNetwork.getPositions([e.from, e.to]);
        var box = document.getElementById("kg-network").getBoundingClientRect();
        var dom = kgNetwork.canvasToDOM({x: (p[e.from].x + p[e.to].x) / 2, y: (p[e.from].y + p[e.to].y) / 2});
        return [box.left + dom.x, box.top + dom.y];
    })()""")
    page.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": middle[0], "y": middle[1]})  # the link's
    page.wait_for("document.querySelector('div.vis-tooltip').style.visibility === 'visible' && "
                  "document.querySelector('div.vis-tooltip').textContent.indexOf('ACCUSE: 1') !== -1", timeout=5)
    link = page.evaluate("""({pwned: typeof window.PWNED, text: document.querySelector("div.vis-tooltip").textContent,
        tags: Array.prototype.map.call(document.querySelector("div.vis-tooltip").children,
                                       function (e) { return e.tagName; })})""")
    assert link["pwned"] == "undefined" and set(link["tags"]) <= {"BR"}
    assert text in link["text"] and f"Mallory {PAYLOAD}" in link["text"]
    assert page.errors() == []  # not even a CSP refusal: nothing tried to run


def _big_graph(n: int, links: int) -> Graph:
    """``n`` entities and ``links`` ACCUSE/CONSULT events among them, a few hubs taking most of them."""
    entities = tuple(Entity(f"group/g{i}", f"Group {i:04}", "Group") for i in range(n))
    extractions = []
    for first in range(0, links, 100):
        items = []
        for k in range(first, min(first + 100, links)):
            a, r = k % n, (k * 7919) % 40 if k % 3 else (k * 31 + 1) % n
            r = (r + 1) % n if a == r else r
            items.append((f"Group {a} and group {r}, event {k}.", "ACCUSE" if k % 2 else "CONSULT",
                          (entities[a].key,), (entities[r].key,), "Asserted"))
        extractions.append(_extraction(f"d{first}", f"2024-{1 + first // 100 % 12:02}-01", items, entities))
    return build_graph(extractions)


def test_explorer_2000_nodes_is_usable(page, tmp_path):
    graph = _big_graph(2000, 2500)
    path = tmp_path / "big.html"
    summary = draw_html(graph, path, max_nodes=2000)
    assert (summary.nodes, summary.hidden_nodes) == (2000, 0)
    page.goto(path.resolve().as_uri())
    page.wait_for(READY, timeout=10)
    drawn = page.evaluate("[kgNetwork.body.nodeIndices.length, kgNetwork.body.edgeIndices.length]")
    assert drawn == [2000, summary.edges]
    assert page.evaluate("kgNetwork.physics.options.enabled") is False  # laid out in Python: nothing moves
    page.evaluate('document.getElementById("kg-relayout").click()')
    page.wait_for("kg.layouts === 1", timeout=25)  # a bounded physics run, then it stops
    assert page.evaluate("kgNetwork.physics.options.enabled") is False
    page.evaluate('document.querySelector("input.kg-type[value=ACCUSE]").click()')
    assert page.evaluate("kgNetwork.body.edgeIndices.length") == len(
        {frozenset((a, r)) for a, r, d in actor_network(graph).edges(data=True) if d["type"] != "ACCUSE"})
    assert page.errors() == []


def test_explorer_5000_nodes_opens_in_under_10_s(page, tmp_path):
    graph = _big_graph(5000, 6000)
    path = tmp_path / "big.html"
    summary = draw_html(graph, path, max_nodes=5000)
    assert (summary.nodes, summary.hidden_nodes) == (5000, 0)
    started = time.monotonic()
    page.goto(path.resolve().as_uri(), timeout=30)
    page.wait_for(READY, timeout=30)
    opened = time.monotonic() - started
    assert opened < 10, f"opened in {opened:.1f} s"
    assert page.evaluate("[kgNetwork.body.nodeIndices.length, kgNetwork.body.edgeIndices.length]") == [
        5000, summary.edges]
    assert page.evaluate("kg.labels.length") >= 20
    assert page.errors() == []


def test_explorer_screenshot_is_not_blank(chromium, example):
    png = screenshot_explorer(chromium, example[1])
    stats = image_stats(chromium, png)
    assert (stats["width"], stats["height"]) == (1280, 800)
    assert stats["colours"] > 100 and stats["other"] > 0.03  # nodes, edges, labels and the panel, not one colour


def test_explorer_collapses_parallel_links_with_breakdown_in_tooltip(page, atlas):
    _open(page, atlas)
    atlantis, borduria = _node_id(page, "Atlantis"), _node_id(page, "Borduria")
    link = page.evaluate(f"kg.edges.get('{min(atlantis, borduria)}-{max(atlantis, borduria)}')")
    assert link["title"] == "\n".join([
        "Atlantis \u2013 Borduria: 5 events",
        "  ACCUSE: 2 (1 \u2192, 1 \u2190)",
        "  CONSULT: 1",
        "  REQUEST: 1 (1 \u2192)",
        "  SANCTION: 1 (1 \u2192)",
        "\u201cBorduria accused Atlantis.\u201d",
        "    d3, Title of d3",
        "\u201cAtlantis accused Borduria of lying.\u201d",
        "    d2, Title of d2, 2024-11-20",
        "Click for all 5 events.",
    ])  # the two latest events' sentences
    assert link["arrows"] == {"to": {"enabled": True}, "from": {"enabled": True}}  # accusations both ways
    assert link["width"] == round(1 + 1.5 * math.log2(5), 2) and link["dashes"] is False
    ottokar = page.evaluate(f"kg.edges.get('{atlantis}-{_node_id(page, 'King Ottokar')}')")
    assert ottokar["color"]["color"] == QUAD_COLOURS["verbal-conflict"] and ottokar["width"] == 1
    assert ottokar["arrows"] == {"to": {"enabled": False}, "from": {"enabled": True}}  # King Ottokar -> Atlantis
    page.evaluate('document.getElementById("kg-uncertain").click()')
    link = page.evaluate(f"kg.edges.get('{min(atlantis, borduria)}-{max(atlantis, borduria)}')")
    assert "  ASSAULT (hypothetical): 1 (1 \u2192)" in link["title"].split("\n")
    assert page.errors() == []


def test_explorer_clicking_a_link_lists_its_events_and_dims_the_rest(page, atlas):
    _open(page, atlas)
    atlantis, ottokar = _node_id(page, "Atlantis"), _node_id(page, "King Ottokar")
    link = f"{min(atlantis, ottokar)}-{max(atlantis, ottokar)}"
    ends = page.evaluate(f"""(function () {{
        var p = kgNetwork.getPositions([{atlantis}, {ottokar}]), a = p[{atlantis}], b = p[{ottokar}];
        var box = document.getElementById("kg-network").getBoundingClientRect();
        var mid = kgNetwork.canvasToDOM({{x: (a.x + b.x) / 2, y: (a.y + b.y) / 2}});
        return [box.left + mid.x, box.top + mid.y];
    }})()""")
    page.click(*ends)  # the middle of the link, with the mouse
    page.wait_for("kg.panel !== null && kg.panel.edge !== undefined", timeout=5)
    assert page.evaluate("kg.panel") == {"edge": link}
    panel = _panel(page)
    assert panel["title"] == "King Ottokar \u2192 Atlantis" and panel["sentences"] == [
        "King Ottokar accused Atlantis of spying."]
    assert page.evaluate("kg.focus") == {"node": min(atlantis, ottokar), "neighbours": [max(atlantis, ottokar)],
                                         "link": link}
    opacity = {n["name"]: n.get("opacity", 1) for n in page.evaluate("kg.entities.map(function (n) { "
                                                                     "return {name: n.name, opacity: "
                                                                     "kg.nodes.get(n.id).opacity}; })")}
    assert opacity == {"Atlantis": 1, "King Ottokar": 1, "Borduria": 0.15}
    page.send("Input.dispatchKeyEvent", {"type": "keyDown", "key": "Escape", "code": "Escape",
                                         "windowsVirtualKeyCode": 27})
    page.wait_for("kg.focus === null && kg.panel === null", timeout=5)
    assert page.errors() == []


def test_explorer_selecting_a_node_dims_the_rest_and_escape_clears(page, atlas):
    _open(page, atlas)
    ottokar, atlantis, borduria = (_node_id(page, n) for n in ("King Ottokar", "Atlantis", "Borduria"))
    click_node(page, ottokar)
    page.wait_for("kg.focus !== null", timeout=5)
    assert page.evaluate("kg.focus") == {"node": ottokar, "neighbours": [atlantis]}
    opacity = page.evaluate("kg.nodes.get().map(function (n) { return [n.id, n.opacity === undefined ? 1 : "
                            "n.opacity]; })")
    assert dict(opacity) == {ottokar: 1, atlantis: 1, borduria: 0.15}
    links = dict(page.evaluate("kg.edges.get().map(function (e) { return [e.id, e.color.opacity]; })"))
    assert links == {f"{atlantis}-{ottokar}": 1, f"{min(atlantis, borduria)}-{max(atlantis, borduria)}": 0.07}
    assert sorted(label["text"] for label in page.evaluate("kg.labels")) == ["Atlantis", "King Ottokar"]
    assert _panel(page)["title"] == "King Ottokar"
    page.send("Input.dispatchKeyEvent", {"type": "keyDown", "key": "Escape", "code": "Escape",
                                         "windowsVirtualKeyCode": 27})
    page.wait_for("kg.focus === null", timeout=5)
    assert {n.get("opacity", 1) for n in page.evaluate("kg.nodes.get()")} == {1}
    assert _panel(page)["hidden"] is True
    assert page.evaluate("kgNetwork.getSelectedNodes()") == []
    assert page.errors() == []


def test_explorer_class_and_country_filters(page, atlas):
    _open(page, atlas)
    options = page.evaluate("Array.prototype.map.call(document.querySelectorAll('#kg-country option'), "
                            "function (o) { return [o.value, o.textContent]; })")
    assert options == [["", "all"], ["ATL", "Atlantis (ATL)"], ["BOR", "Borduria (BOR)"], ["SYL", "SYL"]]
    _set(page, "kg-country", "SYL")  # links with a party of that country
    assert _visible_links(page) == ["Atlantis \u2013 King Ottokar 1"]
    _set(page, "kg-country", "BOR")
    assert _visible_links(page) == ["Atlantis \u2013 Borduria 5"]
    _set(page, "kg-country", "")
    page.evaluate('document.querySelector("input.kg-kind[value=Person]").click()')
    assert _visible_links(page) == ["Atlantis \u2013 Borduria 5"]
    assert page.evaluate("document.getElementById('kg-kinds-count').textContent") == "1 of 2"
    page.evaluate('document.getElementById("kg-kinds-all").click()')
    assert len(_visible_links(page)) == 2
    assert page.errors() == []


GOV = Entity("government/ATL", "Government of Atlantis", "Government", "ATL")
ARMY = Entity("military/ATL", "Armed forces of Atlantis", "Military", "ATL")
BORMIN = Entity("person/vera-lind", "Vera Lind", "Person", "BOR", role="Foreign Minister")
LEAGUE = Entity("organization/league", "League of Isles", "Organization")
HERMIT = Entity("group/hermits", "Hermit Guild", "Group")


@pytest.fixture(scope="module")
def realm(tmp_path_factory) -> Path:
    """Two states with parts, an organisation, and a group whose one event links it to nobody."""
    a, b, g, m, v, league, hermit = (e.key for e in (ATL, BOR, GOV, ARMY, BORMIN, LEAGUE, HERMIT))
    graph = build_graph([_extraction("r1", "2024-11-11", [
        ("The Government of Atlantis accused Vera Lind.", "ACCUSE", (g,), (v,), "Asserted"),
        ("Atlantean troops attacked Borduria.", "ASSAULT", (m,), (b,), "Asserted"),
        ("The government backed its army.", "SUPPORT", (g,), (m,), "Asserted"),
        ("The League of Isles urged Atlantis to stop.", "REQUEST", (league,), (a,), "Asserted"),
        ("Vera Lind met the League of Isles.", "CONSULT", (v, league), (), "Asserted"),
        ("The Hermit Guild mobilised.", "MOBILIZE", (hermit,), (), "Asserted"),
    ], (ATL, BOR, GOV, ARMY, BORMIN, LEAGUE, HERMIT))])
    path = tmp_path_factory.mktemp("realm") / "realm.html"
    draw_html(graph, path, title="Realm")
    return path


def test_explorer_state_view_folds_parts_and_expands_a_state_on_click(page, realm):
    _open(page, realm)
    assert page.evaluate("kg.view()") == "entity"  # a small graph opens at entity level
    entities = ["Armed forces of Atlantis", "Atlantis", "Borduria", "Government of Atlantis", "League of Isles",
                "Vera Lind"]
    assert _drawn_nodes(page) == entities
    assert page.evaluate("kg.hiddenEntities") == 1  # the Hermit Guild: its one event links it to nobody
    _set(page, "kg-view", "state")
    assert _drawn_nodes(page) == ["Atlantis (+2)", "Borduria (+1)", "League of Isles"]
    assert _visible_links(page) == ["Atlantis (+2) \u2013 Borduria (+1) 2", "Atlantis (+2) \u2013 League of Isles 1",
                                    "Borduria (+1) \u2013 League of Isles 1"]  # SUPPORT stays inside Atlantis
    assert page.evaluate("document.getElementById('kg-view-status').textContent") == (
        "3 nodes, 3 links; 1 entity with no link in these filters hidden")
    atlantis = _node_id(page, "Atlantis")
    click_node(page, atlantis)
    page.wait_for(f"kg.expanded().indexOf({atlantis}) !== -1", timeout=5)
    assert _drawn_nodes(page) == ["Armed forces of Atlantis", "Atlantis", "Borduria (+1)", "Government of Atlantis",
                                  "League of Isles"]
    assert page.evaluate("kg.focus.node") == atlantis and _panel(page)["title"] == "Atlantis"
    positions = page.evaluate(f"kgNetwork.getPositions([{atlantis}, {_node_id(page, 'Government of Atlantis')}])")
    assert len({(p["x"], p["y"]) for p in positions.values()}) == 2  # its parts around it, not on it
    page.evaluate('document.getElementById("kg-panel-fold").click()')  # collapse again
    assert _drawn_nodes(page) == ["Atlantis (+2)", "Borduria (+1)", "League of Isles"]
    _set(page, "kg-view", "entity")
    assert _drawn_nodes(page) == entities
    assert page.errors() == []


@pytest.fixture(scope="session")
def corpus_page(nlp: Language, tmp_path_factory) -> Path:
    """The explorer of a generated 300-document corpus (benchmarks/make_corpus.py), built once a session."""
    import kg

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from make_corpus import write_corpus

    folder = tmp_path_factory.mktemp("corpus")
    write_corpus(folder / "corpus.jsonl", docs=300)
    graph = kg.build_graph(kg.extract(kg.read_documents([folder / "corpus.jsonl"]), nlp=nlp))
    path = folder / "corpus.html"
    draw_html(graph, path, title="300 documents")
    return path


def _boxes_overlap(a: dict, b: dict) -> bool:
    return (a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"]
            and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"])


def test_explorer_300_documents_opens_fast_at_state_level_with_readable_labels(page, corpus_page):
    started = time.monotonic()
    page.goto(corpus_page.resolve().as_uri())
    page.wait_for(READY, timeout=20)
    opened = time.monotonic() - started
    assert opened < 5, f"opened in {opened:.1f} s"
    assert page.evaluate("kg.view()") == "state"
    labels = page.evaluate("kg.labels")
    stage = page.evaluate("(function () { var s = document.getElementById('kg-network'); "
                          "return [s.clientWidth, s.clientHeight]; })()")
    assert len(labels) >= 20
    for i, a in enumerate(labels):
        assert 0 <= a["x"] and a["x"] + a["w"] <= stage[0] and 0 <= a["y"] and a["y"] + a["h"] <= stage[1]
        assert not any(_boxes_overlap(a, b) for b in labels[i + 1:]), a
    top = page.evaluate("""(function () {
        var degree = {};
        kg.edges.get().forEach(function (e) { degree[e.from] = (degree[e.from] || 0) + 1;
                                              degree[e.to] = (degree[e.to] || 0) + 1; });
        return Object.keys(degree).map(Number).sort(function (a, b) { return degree[b] - degree[a] || a - b; })
            .slice(0, 5);
    })()""")
    assert set(top) <= {label["id"] for label in labels}  # the most connected are labelled
    assert page.errors() == []


def test_explorer_300_documents_hides_isolated_nodes_and_toggles_views(page, corpus_page):
    _open(page, corpus_page)
    ends = page.evaluate("""(function () {
        var ends = {};
        kgNetwork.body.edgeIndices.forEach(function (id) { var e = kg.edges.get(id); ends[e.from] = ends[e.to] = 1; });
        return [kgNetwork.body.nodeIndices.length, Object.keys(ends).length];
    })()""")
    assert ends[0] == ends[1]  # every drawn node has a drawn link
    states = page.evaluate("kgNetwork.body.nodeIndices.length")
    _set(page, "kg-view", "entity")
    drawn = page.evaluate("kgNetwork.body.nodeIndices.length")
    assert drawn > states
    hidden = page.evaluate("kg.hiddenEntities")
    assert hidden > 0 and drawn + hidden == page.evaluate("kg.entities.length")
    assert page.evaluate("document.getElementById('kg-view-status').textContent").endswith(
        f"; {hidden} entities with no link in these filters hidden")
    assert page.errors() == []


def test_explorer_300_documents_search_focuses_a_state_and_dims_the_rest(page, corpus_page):
    _open(page, corpus_page)
    _set(page, "kg-search", "Russia")
    focus = page.evaluate("kg.focus")
    russia = _node_id(page, "Russia")
    assert focus["node"] == russia and page.evaluate("kgNetwork.getSelectedNodes()") == [russia]
    near = {russia, *focus["neighbours"]}
    opacity = dict(page.evaluate("""kgNetwork.body.nodeIndices.map(function (id) {
        var n = kg.nodes.get(id); return [id, n.opacity === undefined ? 1 : n.opacity]; })"""))
    assert {i for i, o in opacity.items() if o == 1} == near
    assert {o for i, o in opacity.items() if i not in near} == {0.15} and len(opacity) > len(near)
    page.wait_for("kg.labels.length > 0 && kg.labels[0].id === " + str(russia), timeout=5)
    assert {label["id"] for label in page.evaluate("kg.labels")} <= near
    assert _panel(page)["title"] == "Russia (state)"
    assert page.errors() == []
