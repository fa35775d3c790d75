"""The explorer in a real browser: headless Chromium, driven by ``tests/browser.py``.

Without Chromium these tests skip, saying why; under CI (``CI=true``) they fail instead.
One browser serves the whole module and every wait is bounded. Checks of filters and of
the side panel use a small graph made here, so that they do not depend on extraction.
"""

from __future__ import annotations

import json
import os
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

from kg.draw import UNCERTAIN_MODALITIES, draw_html
from kg.graph import build_graph
from kg.model import Document, DocumentExtraction, Entity, Event, Sentence
from kg.network import actor_network

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


def _node_id(page: Page, label: str) -> int:
    return page.evaluate(f"kg.nodes.get({{filter: function (n) {{ return n.label === {json.dumps(label)}; }}}})[0].id")


def _visible_edges(page: Page) -> list[str]:
    """The drawn edges as "from TYPE to" labels, sorted."""
    return sorted(page.evaluate("""kgNetwork.body.edgeIndices.map(function (id) {
        var e = kg.edges.get(id);
        return kg.nodes.get(e.from).label + " " + e.eventType + " " + kg.nodes.get(e.to).label;
    })"""))


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
    certain = [d for _, _, d in net.edges(data=True) if d["modality"] not in UNCERTAIN_MODALITIES]
    assert net.number_of_nodes() > 10 and certain
    drawn = page.evaluate("[kgNetwork.body.nodeIndices.length, kgNetwork.body.edgeIndices.length]")
    assert drawn == [net.number_of_nodes(), len(certain)]
    page.evaluate('document.getElementById("kg-uncertain").click()')  # disabled when there are none
    assert page.evaluate("kgNetwork.body.edgeIndices.length") == net.number_of_edges()
    summary = page.evaluate('document.getElementById("kg-summary").textContent')
    assert summary.startswith(f"{net.number_of_nodes()} entities, {net.number_of_edges()} links")
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


def test_explorer_type_and_date_filters_hide_edges(page, atlas):
    _open(page, atlas)
    everything = [
        "Atlantis ACCUSE Borduria", "Atlantis CONSULT Borduria", "Atlantis REQUEST Borduria",
        "Atlantis SANCTION Borduria", "Borduria ACCUSE Atlantis", "King Ottokar ACCUSE Atlantis",
    ]
    assert _visible_edges(page) == everything  # not the hypothetical ASSAULT
    page.evaluate('document.querySelector("#kg-types summary").click()')
    page.evaluate('document.querySelector("input.kg-type[value=ACCUSE]").click()')
    assert _visible_edges(page) == [e for e in everything if "ACCUSE" not in e]
    assert page.evaluate("document.getElementById('kg-types-count').textContent") == "4 of 5"
    assert page.evaluate("document.getElementById('kg-filter-status').textContent") == "3 of 7 links shown"
    page.evaluate('document.getElementById("kg-types-all").click()')
    assert _visible_edges(page) == everything

    def dates(start: str, end: str) -> None:
        page.evaluate(f"""(function () {{
            var from = document.getElementById("kg-from"), to = document.getElementById("kg-to");
            from.value = "{start}"; to.value = "{end}";
            from.dispatchEvent(new Event("change")); to.dispatchEvent(new Event("change"));
        }})()""")

    dates("2024-11-10", "2024-11-12")
    assert _visible_edges(page) == ["Atlantis CONSULT Borduria", "King Ottokar ACCUSE Atlantis"]
    dates("2024-11-15", "")
    assert _visible_edges(page) == ["Atlantis ACCUSE Borduria", "Atlantis SANCTION Borduria"]  # undated drop out
    dates("", "")
    page.evaluate('document.getElementById("kg-uncertain").click()')
    assert _visible_edges(page) == sorted([*everything, "Atlantis ASSAULT Borduria"])
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
    assert page.evaluate("kgNetwork.body.edgeIndices.length") == sum(
        1 for _, _, d in actor_network(graph).edges(data=True) if d["type"] != "ACCUSE")
    assert page.errors() == []


def test_explorer_screenshot_is_not_blank(chromium, example):
    png = screenshot_explorer(chromium, example[1])
    stats = image_stats(chromium, png)
    assert (stats["width"], stats["height"]) == (1280, 800)
    assert stats["colours"] > 100 and stats["other"] > 0.03  # nodes, edges, labels and the panel, not one colour
