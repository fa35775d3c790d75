"""The explorer in a real browser: headless Chromium, driven by ``tests/browser.py``.

Without Chromium these tests skip, saying why; under CI (``CI=true``) they fail instead.
One browser serves the whole module; every wait is bounded.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from browser import BrowserError, Chromium, Page, build_example_graph, find_chromium, image_stats, screenshot_explorer
from rdflib import Graph
from spacy.language import Language

from kg.draw import draw_html
from kg.graph import build_graph
from kg.model import Document, DocumentExtraction, Entity, Event, Sentence
from kg.network import actor_network

READY = "window.kg && window.kg.ready && window.kg.drawn"
PAYLOAD = '<script>window.PWNED = 1</script><img src=x onerror="window.PWNED = 2">'


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


@pytest.fixture(scope="module")
def example(nlp: Language, tmp_path_factory) -> tuple[Graph, Path]:
    """The bundled example articles as a graph and as an explorer page."""
    graph = build_example_graph(nlp)
    path = tmp_path_factory.mktemp("explorer") / "example.html"
    draw_html(graph, path, title="Example articles")
    return graph, path


@pytest.fixture
def page(chromium: Chromium):
    tab = chromium.new_page()
    yield tab
    tab.close()


def _open(page: Page, path: Path) -> None:
    page.goto(path.resolve().as_uri())
    page.wait_for(READY)


def _node_id(page: Page, label: str) -> int:
    return page.evaluate(f"kg.nodes.get({{filter: function (n) {{ return n.label === {json.dumps(label)}; }}}})[0].id")


def _visible_edges(page: Page) -> list[dict]:
    return page.evaluate("kgNetwork.body.edgeIndices.map(function (id) { return kg.edges.get(id); })")


def _click_node(page: Page, node: int) -> None:
    x, y = page.evaluate(f"""(function () {{
        var dom = kgNetwork.canvasToDOM(kgNetwork.getPositions([{node}])[{node}]);
        var box = document.getElementById("kg-network").getBoundingClientRect();
        return [box.left + dom.x, box.top + dom.y];
    }})()""")
    page.click(x, y)


def test_explorer_loads_offline_and_draws_every_node_and_edge(page, example):
    graph, path = example
    _open(page, path)
    net = actor_network(graph)
    certain = [d for _, _, d in net.edges(data=True) if d["modality"] not in ("Hypothetical", "Negated")]
    drawn = page.evaluate("[kgNetwork.body.nodeIndices.length, kgNetwork.body.edgeIndices.length]")
    assert drawn == [net.number_of_nodes(), len(certain)] == [23, 13]
    page.evaluate('document.getElementById("kg-uncertain").click()')
    assert page.evaluate("kgNetwork.body.edgeIndices.length") == net.number_of_edges() == 14
    assert page.evaluate('document.getElementById("kg-summary").textContent') == (
        "23 entities, 14 links, 1 hypothetical/negated")
    assert page.errors() == []
    url = path.resolve().as_uri()
    assert [u for u in page.requests() if not u.startswith("data:")] == [url]  # data: is Chromium's date-picker icon


def test_explorer_search_focuses_and_selects_node(page, example):
    _open(page, example[1])
    node = _node_id(page, "Tomas Reyes")
    page.evaluate("""(function () {
        var box = document.getElementById("kg-search");
        box.value = "reyes";
        box.dispatchEvent(new KeyboardEvent("keydown", {key: "Enter"}));
    })()""")
    assert page.evaluate("kgNetwork.getSelectedNodes()") == [node]
    page.wait_for(f"""(function () {{
        var p = kgNetwork.getPositions([{node}])[{node}], v = kgNetwork.getViewPosition();
        return Math.abs(p.x - v.x) < 2 && Math.abs(p.y - v.y) < 2;
    }})()""", timeout=5)  # the view is centred on it once the 0.4 s animation ends
    assert page.evaluate("document.getElementById('kg-panel-title').textContent") == "Tomas Reyes"
    page.evaluate("""(function () {
        var box = document.getElementById("kg-search");
        box.value = "nobody at all";
        box.dispatchEvent(new Event("change"));
    })()""")
    assert page.evaluate("document.getElementById('kg-search-status').textContent") == "no match"
    assert page.errors() == []


def test_explorer_type_and_date_filters_hide_edges(page, example):
    _open(page, example[1])
    before = _visible_edges(page)
    assert sum(e["eventType"] == "AGREE" for e in before) == 4  # Varga-Reyes, Japan-Sudan (twice), WHO-Sudan
    page.evaluate('document.querySelector("#kg-types summary").click()')
    page.evaluate('document.querySelector("input.kg-type[value=AGREE]").click()')
    after = _visible_edges(page)
    assert [e for e in before if e["eventType"] != "AGREE"] == after
    types = page.evaluate("document.querySelectorAll('input.kg-type').length")
    assert page.evaluate("document.getElementById('kg-types-count').textContent") == f"{types - 1} of {types}"
    assert page.evaluate("document.getElementById('kg-filter-status').textContent") == "9 of 14 links shown"
    page.evaluate('document.getElementById("kg-types-all").click()')
    assert _visible_edges(page) == before

    page.evaluate("""(function () {
        var from = document.getElementById("kg-from"), to = document.getElementById("kg-to");
        from.value = "2025-03-06"; to.value = "2025-03-07";
        from.dispatchEvent(new Event("change")); to.dispatchEvent(new Event("change"));
    })()""")
    dated = _visible_edges(page)
    assert sorted(e["label"] for e in dated) == ["COERCE", "PROTEST", "REQUEST", "SANCTION"]
    assert page.errors() == []


def test_explorer_click_opens_panel_with_events_in_time_order(page, example):
    graph, path = example
    _open(page, path)
    _click_node(page, _node_id(page, "Helena Varga"))
    page.wait_for("kg.panel !== null", timeout=5)
    panel = page.evaluate("""(function () {
        function texts(selector) {
            return Array.prototype.map.call(document.querySelectorAll(selector), function (e) { return e.textContent });
        }
        return {
            title: document.getElementById("kg-panel-title").textContent,
            count: document.getElementById("kg-panel-count").textContent,
            dates: texts("#kg-panel-events li .kg-event-date"),
            types: texts("#kg-panel-events li .kg-event-type"),
            sentences: texts("#kg-panel-events li .kg-sentence"),
            hidden: document.getElementById("kg-panel").classList.contains("hidden")
        };
    })()""")
    assert panel["title"] == "Helena Varga" and not panel["hidden"]
    assert panel["count"] == "3 events"
    assert panel["dates"] == sorted(panel["dates"]) == ["2025-03-03"] * 3
    assert panel["types"] == ["CONSULT", "AGREE", "AGREE (intended)"]  # in the order the article tells them
    assert panel["sentences"][0] == (
        "Prime Minister Helena Varga of Atlantis met President Tomas Reyes of Borduria in Geneva on Monday.")
    page.evaluate('document.getElementById("kg-panel-close").click()')
    assert page.evaluate("document.getElementById('kg-panel').classList.contains('hidden')") is True
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
    atl = Entity("country/ATL", "Atlantis", "Country", "ATL")
    evil = Entity("person/mallory", f"Mallory {PAYLOAD}", "Person", role=PAYLOAD, aliases=frozenset({PAYLOAD}))
    text = f"Mallory accused Atlantis. {PAYLOAD}"
    sentence = Sentence(PAYLOAD, 0, len(text), text)
    document = Document(PAYLOAD, text, date="2024-11-11", title=f"Title {PAYLOAD}")
    event = Event("ACCUSE", (evil.key,), (atl.key,), "Asserted", "accused", sentence)
    graph = build_graph([DocumentExtraction(document, (sentence,), (evil, atl), (), (event,))])
    path = tmp_path / "evil.html"
    draw_html(graph, path, title=f"Graph {PAYLOAD}")
    _open(page, path)
    mallory = _node_id(page, f"Mallory {PAYLOAD}")
    _click_node(page, mallory)  # the panel shows every field
    page.wait_for("kg.panel !== null", timeout=5)
    page.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": 5, "y": 300})
    _click_node(page, mallory)  # and hovering shows the tooltip
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
    assert set(state["tooltipTags"]) == {"BR"}  # vis sets the tooltip's innerText: line breaks only
    assert state["heading"] == f"Graph {PAYLOAD}"
    assert f"Mallory {PAYLOAD}" in state["panel"] and text in state["panel"] and f"Title {PAYLOAD}" in state["panel"]
    assert f"Role: {PAYLOAD}" in state["tooltip"]
    assert page.errors() == []  # not even a CSP refusal: nothing tried to run


def test_explorer_screenshot_is_not_blank(chromium, example):
    png = screenshot_explorer(chromium, example[1], search="Helena Varga")
    stats = image_stats(chromium, png)
    assert (stats["width"], stats["height"]) == (1280, 800)
    assert stats["colours"] > 100 and stats["other"] > 0.03  # nodes, edges, labels and the panel, not one colour


def _big_graph(n: int, links: int) -> Graph:
    """``n`` entities and ``links`` ACCUSE/CONSULT events among them, a few hubs getting most of them."""
    entities = [Entity(f"group/g{i}", f"Group {i:04}", "Group") for i in range(n)]
    extractions = []
    for d in range(0, links, 100):
        sentences, events, start = [], [], 0
        for k in range(d, min(d + 100, links)):
            a, r = k % n, (k * 7919) % 40 if k % 3 else (k * 31 + 1) % n
            if a == r:
                r = (r + 1) % n
            text = f"Group {a} and group {r}, event {k}."
            sentence = Sentence(f"d{d}", start, start + len(text), text)
            sentences.append(sentence)
            etype = "ACCUSE" if k % 2 else "CONSULT"
            events.append(Event(etype, (entities[a].key,), (entities[r].key,), "Asserted", "x", sentence))
            start += len(text) + 1
        document = Document(f"d{d}", " ".join(s.text for s in sentences), date=f"2024-{1 + d // 100 % 12:02}-01")
        extractions.append(DocumentExtraction(document, tuple(sentences), tuple(entities), (), tuple(events)))
    return build_graph(extractions)


def test_explorer_2000_nodes_is_usable(page, tmp_path):
    graph = _big_graph(2000, 2500)
    path = tmp_path / "big.html"
    summary = draw_html(graph, path, max_nodes=2000)
    assert (summary.nodes, summary.hidden_nodes) == (2000, 0)
    page.goto(path.resolve().as_uri())
    page.wait_for(READY, timeout=10)
    assert page.evaluate("[kgNetwork.body.nodeIndices.length, kgNetwork.body.edgeIndices.length]") == [
        2000, summary.edges]
    assert page.evaluate("kgNetwork.physics.options.enabled") is False  # laid out in Python: nothing moves
    page.evaluate('document.getElementById("kg-relayout").click()')
    page.wait_for("kg.layouts === 1", timeout=25)  # a bounded physics run, then it stops
    assert page.evaluate("kgNetwork.physics.options.enabled") is False
    page.evaluate('document.querySelector("input.kg-type[value=ACCUSE]").click()')
    assert page.evaluate("kgNetwork.body.edgeIndices.length") == sum(
        1 for _, _, d in actor_network(graph).edges(data=True) if d["type"] != "ACCUSE")
    assert page.errors() == []
